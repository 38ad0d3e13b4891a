/*
 * solve.h - turns a campaign into a plan with a mixed-integer programme
 * solved by GLPK. The only module that sees glpk.h.
 */
#ifndef ROTA_SOLVE_H
#define ROTA_SOLVE_H

#include <stdio.h>

#include "campaign.h"
#include "plan.h"
#include "util.h"

struct solve_options {
	double time_limit;   /* seconds for the whole solve; <= 0: none */
	double gap;          /* relative MIP gap at which a level stops */
	int threads;         /* independent parts solved at once, >= 1 */
	int progress;        /* 1: a progress line on stderr after a second */
	const char *mps_dir; /* if not NULL, each MIP is also written there as MPS */
};

void solve_options_init(struct solve_options *o);

/* Plans campaign c. Returns 0 and sets *out (free with plan_free) with the
 * plan sorted and arrival windows given; a plan is always found, since
 * doing nothing is feasible. Returns ROTA_ESOLVER or ROTA_ENOMEM with err
 * set when GLPK fails. */
int plan_solve(struct plan **out, const struct campaign *c, const struct solve_options *o,
	       struct rota_error *err);

#endif
