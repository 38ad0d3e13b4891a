/*
 * rins.c - RINS (relaxation induced neighbourhood search, Danna, Rothberg
 * and Le Pape 2005), the second heuristic of the level loop (heur.h): the
 * session columns on which the LP optimum of level i (in lp->P, just
 * solved) and the incumbent agree are fixed, a row asks for a better value
 * than the incumbent's, and the small MIP that is left (the other sessions
 * and every people column) is searched depth first for at most RINS_NODES
 * nodes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "heur.h"
#include "lp.h"
#include "timebox.h"
#include "banned.h"

int heur_rins(struct level_lp *lp, int i, double *out, bool *found)
{
	const struct model *mo = lp->mo;
	const double *o = mo->obj + (size_t)i * (size_t)mo->ncols;
	struct lp *Q = NULL;
	char *in_q = malloc((size_t)mo->nrows + 1);
	int *ind = malloc(((size_t)mo->ncols + 1) * sizeof(int));
	double *val = malloc(((size_t)mo->ncols + 1) * sizeof(double));
	double inc = model_value(mo, i, lp->x), t_start = solve_now(),
	       cpu = timebox_cpu_now();
	int nfree = 0, nz = 0, r, rc = ROTA_ENOMEM;

	*found = false;
	if (!in_q || !ind || !val)
		goto out;
	rc = lp_copy(&Q, lp->P);
	if (rc)
		goto out;
	memcpy(in_q, lp->in_p, (size_t)mo->nrows);
	for (int j = 0; j < mo->nint && !rc; j++) {
		double xl;

		if (j >= mo->ncells && j < mo->ncells + mo->nvisits)
			continue; /* people stay free */
		xl = lp_col_value(lp->P, j);
		if (fabs(xl - lp->x[j]) < 1e-6)
			rc = lp_set_col_bounds(Q, j, LP_FIXED, lp->x[j], lp->x[j]);
		else
			nfree++;
	}
	if (rc || nfree == 0)
		goto out;
	for (int j = 0; j < mo->ncols; j++)
		if (o[j] != 0.0) {
			ind[nz] = j;
			val[nz] = o[j];
			nz++;
		}
	rc = lp_add_rows(Q, 1, &r);
	if (!rc && lp->maximise)
		rc = lp_set_row_bounds(Q, r, LP_LOWER, inc + 1.0 - mo->obj_const[i], 0.0);
	else if (!rc)
		rc = lp_set_row_bounds(Q, r, LP_UPPER, 0.0, inc - 1.0 - mo->obj_const[i]);
	if (!rc)
		rc = lp_set_row(Q, r, nz, ind, val);
	if (!rc)
		rc = levels_people_mip(lp, Q, in_q, RINS_NODES, out, found);
out:
	solve_debug(lp->run, "%s %s: rins with %d session columns free: %s, %.2f s, "
		    "processor %.2f s", lp->model_name, lp->level_name, nfree,
		    *found ? "a point" : "nothing", solve_now() - t_start, timebox_cpu_now() - cpu);
	lp_free(Q);
	free(in_q);
	free(ind);
	free(val);
	return rc;
}
