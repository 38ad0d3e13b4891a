/*
 * solve_run.h - the state of one plan_solve() call shared by its layers:
 * the parts and threads (solve.c), the level loop (levels.c) and the
 * heuristics (dive.c, rins.c). Not used outside the solver.
 */
#ifndef ROTA_SOLVE_RUN_H
#define ROTA_SOLVE_RUN_H

#include <pthread.h>
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

/* State shared by every part of one plan_solve() call. */
struct solve_run {
	const struct campaign *c;
	const struct solve_options *o;
	double t0, deadline;     /* deadline 0: none */
	struct mcomp *parts;
	size_t nparts;
	struct part_result *results;
	double *part_deadline;   /* 0: none */
	pthread_mutex_t lock;    /* guards next_part and the progress reports */
	size_t next_part;        /* index into order */
	size_t *order;           /* parts, largest first */
	int nthreads;
	bool reported;           /* on_progress was called */
	double last_report;
};

/* Seconds on a monotonic clock. */
double solve_now(void);
/* True when until (a solve_now() time, 0: none) has passed. */
bool solve_out_of_time(double until);
/* Passes one line to o->on_debug, if the caller gave one. */
void solve_debug(const struct solve_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Reports where part `part` stands to o->on_progress, at most twice a
 * second and only after the first second. Thread-safe. */
void solve_progress(struct solve_run *run, size_t part, const char *level, double best,
		    double bound);

#endif
