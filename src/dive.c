/*
 * dive.c - the diving heuristic of the level loop (heur.h): on a copy of
 * the problem, fixes the session columns to a rounding of their LP value,
 * the aggregates first, a quarter of the fractional ones at a time
 * (nearest to whole first), one alone when a batch leaves the LP
 * infeasible, re-solving the LP each time. With the aggregates whole, a
 * small MIP may place the rest; otherwise the cells are rounded too and
 * the MIP gives whole people.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "heur.h"
#include "lp.h"
#include "timebox.h"
#include "banned.h"

struct frac_col {
	int col;
	double dist;
};

static int frac_col_cmp(const void *pa, const void *pb)
{
	const struct frac_col *a = pa, *b = pb;

	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	return (a->col > b->col) - (a->col < b->col);
}

/* Column j of Q back to its bounds in the level's problem. */
static int restore_bounds(struct level_lp *lp, struct lp *Q, int j)
{
	return lp_copy_col_bounds(Q, j, lp->P);
}

/* Rounds the cells of every aggregate so that they add up to its whole
 * value (largest remainders first) and fixes them; cells outside any
 * aggregate are rounded to the nearest. Keeps the result when the LP stays
 * feasible, *kept then; otherwise restores Q. */
static int round_cells(struct level_lp *lp, struct lp *Q, char *fixed, int *rstat, int *cstat,
		       bool *kept)
{
	const struct model *mo = lp->mo;
	double *val = malloc((size_t)mo->ncells * sizeof(double) + 1);
	char *done = calloc((size_t)mo->ncells + 1, 1);
	struct lp_simplex_opts sp = { .dual = true, .it_limit = ROUND_CELLS_ITERATIONS };
	bool optimal;
	int rc = ROTA_ENOMEM;

	*kept = false;
	if (!val || !done)
		goto out;
	lp_get_basis(Q, rstat, cstat);
	for (int i = 0; i < mo->ncells; i++)
		val[i] = lp_col_value(Q, mo->cells[i].col);
	for (int a = 0; a < mo->naggs; a++) {
		const struct magg *ag = &mo->aggs[a];
		long total = lround(lp_col_value(Q, ag->col)), sum = 0;

		for (int i = 0; i < mo->ncells; i++) {
			const struct mcell *cl = &mo->cells[i];

			if (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind)
				continue;
			done[i] = 1;
			sum += (long)floor(val[i] + 1e-9);
		}
		while (sum < total) {
			int best = -1;
			double best_frac = -1.0;

			for (int i = 0; i < mo->ncells; i++) {
				const struct mcell *cl = &mo->cells[i];
				double f = val[i] - floor(val[i] + 1e-9);

				if (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind ||
				    floor(val[i] + 1e-9) + 1 > cl->ub || f <= best_frac)
					continue;
				best = i;
				best_frac = f;
			}
			if (best < 0)
				break;
			val[best] = floor(val[best] + 1e-9) + 1.0;
			sum++;
		}
	}
	rc = ROTA_OK;
	for (int i = 0; i < mo->ncells && !rc; i++) {
		double r = done[i] ? floor(val[i] + 1e-9) : floor(val[i] + 0.5);

		rc = lp_set_col_bounds(Q, mo->cells[i].col, LP_FIXED, r, r);
	}
	if (!rc)
		rc = lp_simplex(Q, &sp, &optimal);
	if (rc)
		goto out;
	if (optimal) {
		for (int i = 0; i < mo->ncells; i++)
			fixed[mo->cells[i].col] = 1;
		*kept = true;
	} else {
		for (int i = 0; i < mo->ncells && !rc; i++)
			rc = restore_bounds(lp, Q, mo->cells[i].col);
		if (!rc)
			rc = lp_set_basis(Q, rstat, cstat);
		sp.it_limit = 0;
		if (!rc)
			rc = lp_simplex(Q, &sp, &optimal);
	}
out:
	free(val);
	free(done);
	return rc;
}

/* Whether the LP of Q, a minimised level's dive so far, is already no
 * better than the incumbent (cutoff): the dive's point can only be
 * worse, and its repair (people rounded down, the rest served by the
 * greedy) mostly adds cost, so the dive stops. A maximised level's repair
 * serves more people than the point, so those dives go on. A trace lists
 * each objective tested: every other decision of the dive is the same
 * whatever the cutoff (spec.c). */
static bool cannot_beat(const struct level_lp *lp, const struct lp *Q, double cutoff)
{
	struct heur_trace *t = lp->trace;
	double v;

	if (lp->maximise)
		return false;
	v = lp_objective_value(Q);
	if (t) {
		if (t->nseen < HEUR_TRACE_TESTS)
			t->seen[t->nseen++] = v;
		else
			t->full = true;
		if (t->nseen == 1 || v > t->most_seen)
			t->most_seen = v;
		/* Told a later cutoff: a test it fails, now or before, makes
		 * the result one the loop throws away. */
		if (t->cutoff_now && t->most_seen > atomic_load(t->cutoff_now) - 0.5)
			return true;
	}
	return v > cutoff - 0.5;
}

/* Nodes of the MIP that places the sessions of whole aggregates in
 * periods (the first of heur_dive). On a minimised level,
 * DIVE_PLACE_NODES: there that MIP mostly used all its PEOPLE_NODES for
 * nothing (generated seed 37, person-minutes: 401 nodes, 23 s of the
 * free dive's 32; Trung Hội's free person-minutes dive, 0.5 s of its
 * 0.8), while rounding the cells too, which follows, costs a fraction of
 * it. On a maximised level a person more outweighs the time. */
static int place_nodes(const struct level_lp *lp)
{
	return lp->maximise ? PEOPLE_NODES : DIVE_PLACE_NODES;
}

/* Fixes column j of Q at r. */
static int fix_col(struct lp *Q, int j, double r)
{
	return lp_set_col_bounds(Q, j, LP_FIXED, r, r);
}

/* The loop of heur_dive over the columns of one class; *stop when the
 * dive ends there (out of LP solves or time, or infeasible). */
static int dive_class(struct level_lp *lp, double cutoff, struct lp *Q, int from, int to,
		      char *fixed, struct frac_col *frac, int *rstat, int *cstat, int *nlp,
		      int *nfail, bool *stop)
{
	const struct lp_simplex_opts sp = { .dual = true, .it_limit = DIVE_FIX_ITERATIONS };
	bool optimal;
	int rc = ROTA_OK;

	*stop = true;
	for (;;) {
		int nfrac = 0, batch, best;
		double v, r;

		if (*nlp >= DIVE_LPS || heur_stop(lp) || cannot_beat(lp, Q, cutoff))
			return ROTA_OK;
		for (int j = from; j < to; j++) {
			if (fixed[j])
				continue;
			v = lp_col_value(Q, j);
			r = floor(v + 0.5);
			if (fabs(v - r) < 1e-6) {
				if ((rc = fix_col(Q, j, r)))
					return rc;
				fixed[j] = 1;
			} else {
				frac[nfrac].col = j;
				frac[nfrac].dist = fabs(v - r);
				nfrac++;
			}
		}
		if (nfrac == 0)
			break;
		qsort(frac, (size_t)nfrac, sizeof(*frac), frac_col_cmp);
		batch = nfrac / (4 << (*nfail < 4 ? *nfail : 4));
		if (batch > 1) {
			lp_get_basis(Q, rstat, cstat);
			for (int k = 0; k < batch; k++) {
				int j = frac[k].col;

				r = floor(lp_col_value(Q, j) + 0.5);
				if ((rc = fix_col(Q, j, r)))
					return rc;
				fixed[j] = 1;
			}
			(*nlp)++;
			if ((rc = lp_simplex(Q, &sp, &optimal)))
				return rc;
			if (optimal)
				continue;
			for (int k = 0; k < batch; k++) {
				if ((rc = restore_bounds(lp, Q, frac[k].col)))
					return rc;
				fixed[frac[k].col] = 0;
			}
			if ((rc = lp_set_basis(Q, rstat, cstat)))
				return rc;
			(*nlp)++;
			if ((rc = lp_simplex(Q, &sp, &optimal)) || !optimal)
				return rc;
			(*nfail)++;
		}
		best = frac[0].col;
		v = lp_col_value(Q, best);
		r = floor(v + 0.5);
		lp_get_basis(Q, rstat, cstat);
		if ((rc = fix_col(Q, best, r)))
			return rc;
		fixed[best] = 1;
		(*nlp)++;
		if ((rc = lp_simplex(Q, &sp, &optimal)))
			return rc;
		if (optimal)
			continue;
		r = r > v ? floor(v) : ceil(v);
		if ((rc = fix_col(Q, best, r)) || (rc = lp_set_basis(Q, rstat, cstat)))
			return rc;
		(*nlp)++;
		if ((rc = lp_simplex(Q, &sp, &optimal)))
			return rc;
		if (optimal)
			continue;
		/* Neither way: leave it to the MIP below. */
		if ((rc = restore_bounds(lp, Q, best)) || (rc = lp_set_basis(Q, rstat, cstat)))
			return rc;
		(*nlp)++;
		if ((rc = lp_simplex(Q, &sp, &optimal)) || !optimal)
			return rc;
	}
	*stop = false;
	return ROTA_OK;
}

int heur_dive(struct level_lp *lp, bool keep_extra, double cutoff, double *out, bool *found)
{
	const struct model *mo = lp->mo;
	const struct lp_simplex_opts dual = { .dual = true, .it_limit = DIVE_FIX_ITERATIONS };
	struct lp *Q = NULL;
	int ranges[2][2] = { { mo->ncells + mo->nvisits, mo->nint }, { 0, mo->ncells } };
	char *fixed = calloc((size_t)mo->ncols + 1, 1);
	struct frac_col *frac = calloc((size_t)mo->ncols + 1, sizeof(*frac));
	int *rstat = NULL, *cstat = calloc((size_t)mo->ncols + 2, sizeof(int));
	char *in_q = malloc((size_t)mo->nrows + 1);
	struct lp_simplex_opts first = { 0 };
	int nlp = 0, nfail = 0, rc, added, it0;
	double t_start = solve_now(), cpu = timebox_cpu_now();
	bool optimal, stop, kept;

	*found = false;
	rc = lp_copy(&Q, lp->P);
	if (rc)
		goto out;
	it0 = lp_iterations(Q);
	rstat = calloc((size_t)lp_rows(Q) + (size_t)mo->nrows + 2, sizeof(int));
	if (!fixed || !frac || !rstat || !cstat || !in_q) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	memcpy(in_q, lp->in_p, (size_t)mo->nrows);
	for (int i = 0; keep_extra && i < mo->ncells && !rc; i++)
		if (slot_kind_is_extra(mo->cells[i].kind)) {
			int j = mo->cells[i].col;

			rc = fix_col(Q, j, lp->x[j]);
			fixed[j] = 1;
		}
	for (int a = 0; keep_extra && a < mo->naggs && !rc; a++)
		if (slot_kind_is_extra(mo->aggs[a].kind)) {
			int j = mo->aggs[a].col;

			rc = fix_col(Q, j, lp->x[j]);
			fixed[j] = 1;
		}
	/* The LP with the kept extra sessions, within a level LP's cap
	 * (levels.h), the retry included: the dive's other LPs are counted
	 * by DIVE_FIX_ITERATIONS. */
	first.it_limit = levels_lp_iterations(lp);
	if (!rc)
		rc = lp_simplex(Q, &first, &optimal);
	if (!rc && !optimal && lp_iterations(Q) - it0 < first.it_limit) {
		first.it_limit -= lp_iterations(Q) - it0;
		rc = lp_adv_basis(Q);
		if (!rc)
			rc = lp_simplex(Q, &first, &optimal);
	}
	if (rc || !optimal)
		goto out;
	/* Fixing a column keeps the basis dual feasible; a fix that needs
	 * many pivots is treated as a dead end. */
	for (int cls = 0; cls < 2; cls++) {
		if (cls == 1) {
			/* The LP point with whole aggregates, and the lazy rows it
			 * breaks. */
			for (int round = 0; round < DIVE_CUT_ROUNDS; round++) {
				for (int j = 0; j < mo->ncols; j++)
					out[j] = lp_col_value(Q, j);
				if ((rc = heur_add_broken_rows(lp, Q, out, in_q, &added)))
					goto out;
				if (added == 0)
					break;
				nlp++;
				if ((rc = lp_simplex(Q, &dual, &optimal)) || !optimal)
					goto out;
			}
			if (cannot_beat(lp, Q, cutoff))
				goto out;
			rc = levels_people_mip(lp, Q, in_q, place_nodes(lp), out, found);
			if (rc || *found)
				goto out;
			if (mo->naggs > 0) {
				if ((rc = round_cells(lp, Q, fixed, rstat, cstat, &kept)))
					goto out;
				if (kept)
					nlp++;
			}
		}
		rc = dive_class(lp, cutoff, Q, ranges[cls][0], ranges[cls][1], fixed, frac, rstat,
				cstat, &nlp, &nfail, &stop);
		if (rc || stop)
			goto out;
	}
	for (int j = 0; j < mo->ncols; j++)
		out[j] = lp_col_value(Q, j);
	/* Whole people for these sessions; the LP point stands otherwise. */
	rc = levels_people_mip(lp, Q, in_q, PEOPLE_NODES, out, &optimal);
	if (!rc)
		*found = true;
out:
	solve_debug(lp->run, "dive%s: %s after %d LP solves, %.2f s, processor %.2f s",
		    keep_extra ? " (extra kept)" : "", *found ? "a point" : "nothing", nlp,
		    solve_now() - t_start, timebox_cpu_now() - cpu);
	free(fixed);
	free(frac);
	free(rstat);
	free(cstat);
	free(in_q);
	lp_free(Q);
	return rc;
}
