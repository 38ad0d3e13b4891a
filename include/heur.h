/*
 * heur.h - the two primal heuristics of the level loop, each in a file of
 * its own behind one entry point (dive.c, rins.c), and the free dive run
 * beside the rest on an idle processor (spec.c). Both heuristics work on
 * a copy of lp->P and leave lp->P as it was, but for lazy rows they add
 * to it (or, with a trace, list for the caller).
 */
#ifndef ROTA_HEUR_H
#define ROTA_HEUR_H

#include <stdatomic.h>
#include <stdbool.h>

#include "levels.h"

/* What a heuristic run with lp->trace set did that the level loop must
 * know to go on as if it had run alone (docs/model.md section 6): it
 * adds its lazy rows to its own problems only and lists them here, and a
 * dive lists its LP's objective at each of its cannot_beat tests. */
struct heur_trace {
	int *rows;               /* model rows, in the order added */
	int *stamps;             /* of each: the tests made before it */
	int nrows;
	char *known;             /* [mo->nrows]: in lp->P at the start, or listed */
	double *seen;            /* [HEUR_TRACE_TESTS] */
	int nseen;
	bool full;               /* more tests than seen holds: not usable */
	const atomic_bool *cancel; /* NULL, or true when the result is not wanted */
	/* NULL, or a cutoff that the loop may tighten while the dive runs
	 * (spec.c), and the most the dive's tests have seen. */
	const _Atomic double *cutoff_now;
	double most_seen;
};

/* Tests a dive makes at most: one per LP solve (DIVE_LPS) and one more
 * per class and before the people MIP. */
enum { HEUR_TRACE_TESTS = DIVE_LPS + 8 };

/* Diving: fixes the session columns to a rounding of their LP value,
 * re-solving the LP each time (keep_extra: the incumbent's extra sessions
 * first). On a minimised level it stops, with nothing, once its LP is no
 * better than cutoff (the incumbent's value). *found with an integer
 * point (or, failing the last MIP, the last LP point) in out[ncols].
 * Returns 0, ROTA_ENOMEM or ROTA_ESOLVER. */
int heur_dive(struct level_lp *lp, bool keep_extra, double cutoff, double *out, bool *found);

/* RINS for level i, whose LP optimum lp->P holds: *found with a point in
 * out[ncols] better than the incumbent on level i (before repair).
 * Returns 0, ROTA_ENOMEM or ROTA_ESOLVER. */
int heur_rins(struct level_lp *lp, int i, double *out, bool *found);

/* A trace that starts from lp->in_p. Returns 0 or ROTA_ENOMEM. */
int heur_trace_init(struct heur_trace *t, const struct level_lp *lp,
		    const atomic_bool *cancel);
void heur_trace_release(struct heur_trace *t);
/* Adds to lp->P (and its in_p) the rows t lists before test `tests`
 * (INT_MAX: all), as the heuristic alone would have added them. */
int heur_trace_apply(struct level_lp *lp, const struct heur_trace *t, int tests);
/* For the heuristics: levels_add_broken_rows, or with lp->trace set, the
 * rows added to Q alone and listed. */
int heur_add_broken_rows(struct level_lp *lp, struct lp *Q, const double *x, char *in_q,
			 int *added);
/* Whether a heuristic stops where it checks the clock: out of time, or
 * its trace cancelled. */
bool heur_stop(const struct level_lp *lp);

/* The free dive (keep_extra false) on an idle processor, started before
 * the dive that keeps the extra sessions, with that dive's cutoff: *out,
 * or NULL when no processor is idle. Returns 0 or ROTA_ENOMEM. */
struct dive_spec;
int dive_spec_start(struct level_lp *lp, double cutoff, struct dive_spec **out);
/* Its result as heur_dive(lp, false, cutoff, out, found) would give it
 * now, its lazy rows added to lp->P; frees s. *redo (nothing done) when
 * it cannot say (more tests than its trace holds). Returns 0 or the
 * error of its thread (ROTA_ENOMEM, ROTA_ESOLVER), as heur_dive would. */
/* The incumbent's value after the first dive and its repair, told to the
 * free dive running beside it: it stops at its next test once its LP, now
 * or at an earlier test, is no better (a result the loop would throw
 * away, dive_spec_finish). */
void dive_spec_tighten(struct dive_spec *s, double cutoff);
int dive_spec_finish(struct level_lp *lp, struct dive_spec *s, double cutoff, double *out,
		     bool *found, bool *redo);
/* Asks it to stop soon, without waiting: its result is not wanted. */
void dive_spec_cancel(struct dive_spec *s);
/* Stops it, waits for it and frees it; NULL does nothing. Returns the
 * error of its thread, if any: an allocation failed is reported even
 * where its result was not wanted. */
int dive_spec_drop(struct dive_spec *s);

#endif
