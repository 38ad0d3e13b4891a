/*
 * heur.h - the two primal heuristics of the level loop, each in a file of
 * its own behind one entry point (dive.c, rins.c). Both work on a copy of
 * lp->P and leave lp->P as it was, but for lazy rows they add to it.
 */
#ifndef ROTA_HEUR_H
#define ROTA_HEUR_H

#include <stdbool.h>

#include "levels.h"

/* Diving: fixes the session columns to a rounding of their LP value,
 * re-solving the LP each time (keep_extra: the incumbent's extra sessions
 * first). *found with an integer point (or, failing the last MIP, the last
 * LP point) in out[ncols]. Returns 0, ROTA_ENOMEM or ROTA_ESOLVER. */
int heur_dive(struct level_lp *lp, bool keep_extra, double *out, bool *found);

/* RINS for level i, whose LP optimum lp->P holds: *found with a point in
 * out[ncols] better than the incumbent on level i (before repair).
 * Returns 0, ROTA_ENOMEM or ROTA_ESOLVER. */
int heur_rins(struct level_lp *lp, int i, double *out, bool *found);

#endif
