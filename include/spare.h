/*
 * spare.h - work on a processor that the run leaves idle (solve_run.h:
 * idle). A single part runs on one thread while --threads allows more;
 * the level loop (levels.c) then runs one heuristic beside another
 * (docs/model.md section 6). A task takes an idle processor or does not
 * start; the caller then does the work itself.
 */
#ifndef ROTA_SPARE_H
#define ROTA_SPARE_H

#include <stdatomic.h>
#include <stdbool.h>

#include "solve_run.h"

struct spare_task;

/* What a task runs; cancel becomes true when its result is not wanted.
 * Returns 0 or an error value, which spare_join gives back. */
typedef int (*spare_fn)(void *arg, const atomic_bool *cancel);

/* The run's processors: n idle ones to start with; spare_give when a
 * worker ends. */
void spare_init(struct solve_run *run, int n);
void spare_give(struct solve_run *run);
/* Takes one back for the calling thread (after the workers ended). */
void spare_take(struct solve_run *run);

/* Starts fn(arg) on a thread of its own when the run has an idle
 * processor, with the thread's time (timebox.h) set to until and GLPK's
 * memory limit of the run: *out, or NULL when none is idle or the thread
 * cannot be made (nothing started then). Returns 0 or ROTA_ENOMEM. */
int spare_start(struct solve_run *run, double until, spare_fn fn, void *arg,
		struct spare_task **out);
/* Asks the task to stop soon; its result is dropped. */
void spare_cancel(struct spare_task *t);
/* Waits for the task, gives its processor back and frees it; returns what
 * fn returned. NULL gives 0. */
int spare_join(struct spare_task *t);

#endif
