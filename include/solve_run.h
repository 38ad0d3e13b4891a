/*
 * solve_run.h - the state of one plan_solve() call shared by its layers:
 * the parts and threads (solve.c), the level loop (levels.c) and the
 * heuristics (dive.c, rins.c). Not used outside the solver.
 */
#ifndef ROTA_SOLVE_RUN_H
#define ROTA_SOLVE_RUN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "campaign.h"
#include "model.h"
#include "solve.h"
#include "util.h"

/* What solving one part gives. */
struct part_result {
	struct wplan plan;
	double *value, *bound;   /* [nlv] */
	bool *reached;           /* [nlv]: the level was solved at all */
	struct rota_error err;   /* err.code: 0 or why the part failed */
};

struct level_lp;   /* levels.h */
struct part_work;  /* solve.c: a part between the two phases of a time limit */

/* State shared by every part of one plan_solve() call. */
struct solve_run {
	const struct campaign *c;
	const struct solve_options *o;
	double t0, deadline;     /* deadline 0: none */
	struct mcomp *parts;
	size_t nparts;
	struct part_result *results;
	double *part_deadline;   /* 0: none */
	pthread_mutex_t lock;    /* guards next_part, the phase count and the progress reports */
	size_t next_part;        /* index into order */
	size_t *order;           /* parts, largest first */
	int nthreads;
	bool reported;           /* on_progress was called */
	/* Under a time limit (NULL without): [nparts]. A part's coarse LP is
	 * kept by the thread that solved its deadline levels until the same
	 * thread solves the rest (GLPK's state is per thread): lp_keep[i]
	 * asks levels_solve to keep it, lp_kept[i] is the one kept, which
	 * the next levels_solve of part i resumes (or frees). */
	bool *lp_keep;
	struct level_lp **lp_kept;
	struct part_work *work;
	/* The threads wait for each other between the phases. */
	pthread_cond_t phase_done;
	int workers;             /* threads that run worker(); 0: not known yet */
	int phase1_done;         /* of them, those past phase 1 */
	/* Processors --threads allows that no thread uses (spare.h): fewer
	 * parts than threads, or workers that ended. */
	atomic_int idle;
	/* resolve_shared plans a part again: the bounds it keeps are the
	 * first pass's, so a fine model that only gives bounds is not solved. */
	bool bounds_kept;
};

/* Seconds on a monotonic clock. */
double solve_now(void);
/* True when until (a solve_now() time, 0: none) has passed. */
bool solve_out_of_time(double until);
/* Passes one line to o->on_debug, if the caller gave one. */
void solve_debug(const struct solve_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Reports to o->on_progress (when o->progress) that part `part` (from 0)
 * searches level `level`, with the incumbent's value best and the bound.
 * Thread-safe. */
void solve_progress(struct solve_run *run, size_t part, const char *level, double best,
		    double bound);
/* Reports that part `part` enters a stage: "greedy", "model",
 * "disaggregating", "fine model" (level NULL), or the search of a level
 * (stage and level its name), whose incumbent is then best (NAN: none).
 * Thread-safe. */
void solve_stage(struct solve_run *run, size_t part, const char *stage, const char *level,
		 double best);

#endif
