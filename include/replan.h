/*
 * replan.h - a campaign in progress planned again (replan-v1.md): history
 * kept as fact with who came, announced sessions kept, no-shows due again,
 * the rest planned with a stability level between extra sessions and
 * person-minutes. Calls plan_solve() for what is left to plan.
 */
#ifndef ROTA_REPLAN_H
#define ROTA_REPLAN_H

#include "actuals.h"
#include "lang.h"
#include "campaign.h"
#include "plan.h"
#include "solve.h"
#include "util.h"

struct replan_input {
	const struct plan *old;         /* the previous plan, on its own campaign */
	const struct actuals *actuals;  /* may be NULL: every past visit came */
	int today;                      /* first day not yet happened */
	int freeze;                     /* days from today that are announced, >= 0 */
	enum rota_lang lang;            /* of the reasons given for cancellations */
};

/*
 * Plans campaign c again from in. The old plan's ids (teams, sites, units,
 * groups, services of its held and frozen sessions) must exist in c:
 * otherwise ROTA_EINPUT, each missing id reported to d as a problem of
 * the previous plan's rota.json. The result (*out, free with plan_free)
 * is sorted with arrival windows given; its sessions carry their origin,
 * held visits their came (and assumed), p->today and p->freeze_end are set,
 * frozen sessions that c now rules out are recorded as cancelled events
 * (with a reason), and solver.levels has the "stability" level right
 * after extra-sessions. Sequences are not assigned here
 * (sequence_assign). Returns 0, ROTA_EINPUT, ROTA_ENOMEM, ROTA_ESOLVER or
 * ROTA_EIO as plan_solve does.
 */
int replan_solve(struct plan **out, const struct campaign *c, const struct replan_input *in,
		 const struct solve_options *o, struct diags *d, struct rota_error *err);

#endif
