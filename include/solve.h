/*
 * solve.h - turns a campaign into a plan with a mixed-integer programme
 * solved by GLPK (behind lp.h). Prints nothing and reads no environment:
 * the caller passes callbacks for progress and debug lines.
 */
#ifndef ROTA_SOLVE_H
#define ROTA_SOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "campaign.h"
#include "plan.h"
#include "util.h"

/* Where the solve stands, for a progress line. The strings are valid
 * during the call only. */
struct solve_progress {
	double seconds;      /* since plan_solve started */
	size_t part, nparts; /* the part reporting (from 0), of nparts */
	/* "greedy", "model", "disaggregating", "fine model", or the name of
	 * the level the part optimises ("deadline-p1", ..., level set too) */
	const char *stage;
	const char *level;   /* the level it optimises, or NULL */
	bool has_best, has_bound; /* best (the incumbent's value), bound and gap are set */
	double best, bound, gap;
	bool done;           /* the last call: the solve is over, only seconds set */
};

/* A session that a re-plan already has (held, frozen or kept, replan.h):
 * its team cannot take another session on that date in that kind, and an
 * extra one counts against the team's week. Campaign indices. */
struct solve_taken_session {
	size_t team, site;
	int date;
	enum slot_kind kind;
};

/* What a re-plan leaves to plan (docs/model.md, "Re-planning"): no
 * session before first_date; left[] the people still to serve per demand
 * row, flattened in unit order (units[0].demand[0..], units[1].demand[0..],
 * ...), replacing the rows' counts (rows at 0 are not planned); sessions
 * the dates and weeks already taken. Campaign fixed sessions before
 * first_date, or on a (team, date, kind) already taken, are not planned.
 * Everything is borrowed for the call. */
struct solve_taken {
	int first_date;
	const int *left;
	const struct solve_taken_session *sessions;
	size_t nsessions;
};

struct solve_options {
	double time_limit;   /* seconds for the whole solve; <= 0: none */
	double gap;          /* relative MIP gap at which a level stops */
	int threads;         /* independent parts solved at once, >= 1 */
	int progress;        /* 1: on_progress is called */
	const char *mps_dir; /* if not NULL, each MIP is also written there as MPS */
	/* If not NULL, put before the model's name in each MPS file's name:
	 * a re-plan's two candidates ("stable", "fresh") write apart. */
	const char *mps_tag;
	/* Called from any solving thread, one call at a time, whenever a part
	 * enters a stage or a level's search finds a better value or bound
	 * (often: the callee keeps the latest and shows it when it likes);
	 * the last call (done) comes only when an earlier one came. */
	void (*on_progress)(void *arg, const struct solve_progress *p);
	/* If not NULL, called with each line of the solver's debug trace
	 * (sizes, LP values, timings), from any solving thread. */
	void (*on_debug)(void *arg, const char *line);
	void *callback_arg;  /* passed to both */
	int glpk_mem_limit;  /* megabytes GLPK may use per thread; 0: no limit */
	/* Simplex iterations x model rows one level's LP may take (levels.h,
	 * LEVEL_LP_WORK when <= 0); the unit tests lower it. */
	double lp_work;
	/* NULL (a first plan): the whole campaign. Otherwise only what a
	 * re-plan leaves, and the plan holds only the new sessions. */
	const struct solve_taken *taken;
	/* Only levels 1-3 (deadline-pN, served-pN, extra-sessions) are
	 * optimised; person-minutes and earliness are those of the plan found,
	 * not searched and not bounded (gap 1). For a re-plan's quick look at
	 * whether a fresh plan could do better on levels 1-3. */
	bool up_to_extra;
};

void solve_options_init(struct solve_options *o);

/* Plans campaign c. Returns 0 and sets *out (free with plan_free) with the
 * plan sorted and arrival windows given; a plan is always found, since
 * doing nothing is feasible. Otherwise returns, with err set, ROTA_ENOMEM
 * (out of memory, in rota or in GLPK), ROTA_ESOLVER (GLPK failed) or
 * ROTA_EIO (an MPS file of mps_dir could not be written). */
int plan_solve(struct plan **out, const struct campaign *c, const struct solve_options *o,
	       struct rota_error *err);

#endif
