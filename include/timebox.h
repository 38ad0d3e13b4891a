/*
 * timebox.h - the time by which the work of the calling thread gives up
 * (a --time-limit, docs/model.md section 8). The solver (solve.c,
 * levels.c) sets it around each stage of a part; the loops that can be
 * long on a large part check it and stop where what they have is still
 * valid: building the model (model.c: the model is then dropped, the part
 * keeps its greedy plan), re-dating (redate.c: the dates found so far)
 * and GLPK's simplex and branch and bound (lp.c: as at an iteration
 * limit). Without a time limit nothing is set and nothing depends on the
 * clock.
 */
#ifndef ROTA_TIMEBOX_H
#define ROTA_TIMEBOX_H

#include <stdbool.h>

/* Seconds on a monotonic clock. */
double timebox_now(void);
/* Sets the calling thread's time (a timebox_now() value); 0: none. */
void timebox_set(double until);
/* The calling thread's time, 0 when none. */
double timebox_get(void);
/* True when the calling thread has a time and it has passed. */
bool timebox_over(void);
/* Seconds left (at least 0), or a negative number when there is no time
 * set. */
double timebox_left(void);

/* The calling thread's processor time in seconds, for the debug trace
 * only: no decision may depend on it. */
double timebox_cpu_now(void);

#endif
