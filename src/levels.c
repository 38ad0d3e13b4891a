/*
 * levels.c - the level loop (levels.h): loads a part's model into an LP
 * (lp.h), then for each level solves the LP with the lazy rows it breaks,
 * tries the heuristics (heur.h) and a bounded branch and bound when the
 * incumbent is short of the LP bound, and holds the level's value for the
 * next ones. See docs/model.md.
 *
 * Without a time limit every search is bounded by counts (levels.h),
 * never by the clock, so that a plan does not depend on the machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heur.h"
#include "levels.h"
#include "lp.h"
#include "model.h"
#include "repair.h"
#include "timebox.h"
#include "util.h"
#include "banned.h"

/* Every level's value is a whole number: bounds round towards it. */
static double round_bound(double b, bool maximise)
{
	return maximise ? floor(b + 1e-6) : ceil(b - 1e-6);
}

static bool reaches(double value, double bound, bool maximise)
{
	return maximise ? value >= bound - 0.5 : value <= bound + 0.5;
}

static void mip_callback(struct lp_tree *tree, void *info)
{
	struct level_lp *lp = info;
	enum lp_reason reason = lp_tree_reason(tree);
	double b, inc;

	if (reason == LP_REASON_HEUR && !lp->heur_given) {
		lp->heur_given = true;
		/* The incumbent is exactly integral and feasible. */
		if (lp_tree_offer(tree, lp->x)) {
			lp->callback_rc = ROTA_ENOMEM;
			lp_tree_stop(tree);
			return;
		}
	}
	if (lp_tree_best_bound(tree, &b) && (lp->maximise ? b < lp->bound : b > lp->bound))
		lp->bound = b;
	lp->tree_nodes = lp_tree_nodes(tree);
	if (lp->tree_nodes > lp->node_cap || solve_out_of_time(lp->until)) {
		lp_tree_stop(tree);
		return;
	}
	if ((reason == LP_REASON_BINGO || reason == LP_REASON_SELECT) &&
	    lp_tree_incumbent(tree, &inc)) {
		if (reaches(inc, round_bound(lp->bound, lp->maximise), lp->maximise))
			lp_tree_stop(tree);
		solve_progress(lp->run, lp->part, lp->level_name, inc, lp->bound);
	}
}

/* --mps: the problem as it stands, into a file of its own made under a
 * temporary name that nobody else can have planted (mkstemp, mode 0600),
 * then renamed over the final name (a link planted there is replaced,
 * never followed). */
static int write_mps(struct level_lp *lp)
{
	const struct solve_options *o = lp->run->o;
	char path[4096], tmp[4096 + 16];
	int fd, n, rc;

	if (!o->mps_dir)
		return ROTA_OK;
	n = snprintf(path, sizeof(path), "%s/%s-part%zu-%s%s%s-%s.mps", o->mps_dir, lp->run->c->id,
		     lp->part + 1, o->mps_tag ? o->mps_tag : "", o->mps_tag ? "-" : "",
		     lp->model_name, lp->level_name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return rota_error_set(lp->err, ROTA_EIO, "%s/: MPS file name too long", o->mps_dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return rota_error_set(lp->err, ROTA_EIO, "cannot write '%s': %s", path,
				      strerror(errno));
	rc = lp_write_mps(lp->P, fd);
	if (rc) {
		close(fd);
		unlink(tmp);
		if (rc == ROTA_EIO)
			rota_error_set(lp->err, rc, "cannot write '%s'", path);
		return rc;
	}
	if (close(fd) || rename(tmp, path)) {
		rc = rota_error_set(lp->err, ROTA_EIO, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
	}
	return rc;
}

/* The model's rows into a new LP, the lazy ones aside (row_start...). */
static int load_model(struct level_lp *lp)
{
	const struct model *mo = lp->mo;
	size_t n = mo->nents, k = 0;
	int *ia = malloc((n + 1) * sizeof(int));
	int *ja = malloc((n + 1) * sizeof(int));
	double *ar = malloc((n + 1) * sizeof(double));
	int *lp_row = malloc(((size_t)mo->nrows + 1) * sizeof(int));
	size_t *fill = calloc((size_t)mo->nrows + 1, sizeof(size_t));
	int nrows = 0, rc = ROTA_ENOMEM;
	bool named = lp->run->o->mps_dir != NULL;
	char name[32];

	lp->row_start = calloc((size_t)mo->nrows + 2, sizeof(size_t));
	lp->row_col = malloc((n + 1) * sizeof(int));
	lp->row_val = malloc((n + 1) * sizeof(double));
	lp->in_p = calloc((size_t)mo->nrows + 1, 1);
	if (!ia || !ja || !ar || !lp_row || !fill || !lp->row_start || !lp->row_col ||
	    !lp->row_val || !lp->in_p)
		goto out;
	for (size_t e = 0; e < n; e++)
		lp->row_start[mo->ents[e].row + 1]++;
	for (int i = 0; i < mo->nrows; i++)
		lp->row_start[i + 1] += lp->row_start[i];
	for (size_t e = 0; e < n; e++) {
		size_t at = lp->row_start[mo->ents[e].row] + fill[mo->ents[e].row]++;

		lp->row_col[at] = mo->ents[e].col;
		lp->row_val[at] = mo->ents[e].val;
	}
	for (int i = 0; i < mo->nrows; i++) {
		lp_row[i] = mo->sense[i] == 'l' ? -1 : nrows++;
		lp->in_p[i] = mo->sense[i] != 'l';
	}
	rc = lp_new(&lp->P, lp->model_name);
	if (!rc && nrows > 0)
		rc = lp_add_rows(lp->P, nrows, NULL);
	if (!rc && mo->ncols > 0)
		rc = lp_add_cols(lp->P, mo->ncols);
	for (int i = 0; i < mo->nrows && !rc; i++) {
		int r = lp_row[i];

		if (r < 0)
			continue;
		if (mo->sense[i] == 'L')
			rc = lp_set_row_bounds(lp->P, r, LP_UPPER, 0.0, mo->rhs[i]);
		else if (mo->sense[i] == 'E')
			rc = lp_set_row_bounds(lp->P, r, LP_FIXED, mo->rhs[i], mo->rhs[i]);
		else
			rc = lp_set_row_bounds(lp->P, r, LP_LOWER, mo->rhs[i], 0.0);
		if (!rc && named) {
			snprintf(name, sizeof(name), "r%d", i + 1);
			rc = lp_set_row_name(lp->P, r, name);
		}
	}
	for (int j = 0; j < mo->ncols && !rc; j++) {
		rc = lp_set_col_integer(lp->P, j, j < mo->nint);
		if (rc)
			break;
		if (!isfinite(mo->col_ub[j]))
			rc = lp_set_col_bounds(lp->P, j, LP_LOWER, 0.0, 0.0);
		else if (mo->col_ub[j] <= 0)
			rc = lp_set_col_bounds(lp->P, j, LP_FIXED, 0.0, 0.0);
		else
			rc = lp_set_col_bounds(lp->P, j, LP_RANGE, 0.0, mo->col_ub[j]);
		if (!rc && named) {
			snprintf(name, sizeof(name), "%c%d",
				 j < mo->ncells			       ? 'y'
				 : j < mo->ncells + mo->nvisits	       ? 'x'
				 : j < mo->nint			       ? 'Y'
				 : j < mo->nint + mo->ninvites	       ? 'z'
								       : 'q',
				 j + 1);
			rc = lp_set_col_name(lp->P, j, name);
		}
	}
	if (rc)
		goto out;
	for (size_t e = 0; e < n; e++) {
		if (lp_row[mo->ents[e].row] < 0)
			continue;
		ia[k] = lp_row[mo->ents[e].row];
		ja[k] = mo->ents[e].col;
		ar[k] = mo->ents[e].val;
		k++;
	}
	if (k > 0)
		rc = lp_load_matrix(lp->P, k, ia, ja, ar);
out:
	free(ia);
	free(ja);
	free(ar);
	free(lp_row);
	free(fill);
	return rc;
}

int levels_add_broken_rows(struct level_lp *lp, struct lp *Q, const double *x, char *in_q,
			   int *added)
{
	const struct model *mo = lp->mo;
	int rc = ROTA_OK;

	*added = 0;
	for (int i = 0; i < mo->nrows && !rc; i++) {
		double act = 0.0;
		size_t a = lp->row_start[i], b = lp->row_start[i + 1];
		int r;

		if (mo->sense[i] != 'l' || in_q[i])
			continue;
		for (size_t e = a; e < b; e++)
			act += lp->row_val[e] * x[lp->row_col[e]];
		if (act <= mo->rhs[i] + 1e-6)
			continue;
		rc = lp_add_rows(Q, 1, &r);
		if (!rc)
			rc = lp_set_row_bounds(Q, r, LP_UPPER, 0.0, mo->rhs[i]);
		if (!rc)
			rc = lp_set_row(Q, r, (int)(b - a), lp->row_col + a, lp->row_val + a);
		if (!rc && Q != lp->P && !lp->in_p[i]) {
			rc = lp_add_rows(lp->P, 1, &r);
			if (!rc)
				rc = lp_set_row_bounds(lp->P, r, LP_UPPER, 0.0, mo->rhs[i]);
			if (!rc)
				rc = lp_set_row(lp->P, r, (int)(b - a), lp->row_col + a, lp->row_val + a);
			lp->in_p[i] = 1;
		}
		in_q[i] = 1;
		(*added)++;
	}
	return rc;
}

/* The simplex iterations one level's LP may take, retry and lazy rows
 * included: LEVEL_LP_WORK iterations x rows of the model (an iteration
 * costs about its rows), so that the cap depends on the model alone and
 * a level's LP takes about the same time, whatever the model's size. */
int levels_lp_iterations(const struct level_lp *lp)
{
	double work = lp->run->o->lp_work > 0.0 ? lp->run->o->lp_work : LEVEL_LP_WORK;
	double it = floor(work / (double)(lp->mo->nrows > 0 ? lp->mo->nrows : 1));

	if (it >= (double)INT_MAX)
		return INT_MAX;
	return it < 1.0 ? 1 : (int)it;
}

/* lp_simplex within the *left iterations of the level's cap, which it
 * counts down; nothing is solved once they are spent. */
static int capped_simplex(struct level_lp *lp, bool dual, int *left, bool *optimal)
{
	struct lp_simplex_opts o = { .dual = dual, .it_limit = *left };
	int before = lp_iterations(lp->P), rc;

	*optimal = false;
	if (*left <= 0)
		return ROTA_OK;
	rc = lp_simplex(lp->P, &o, optimal);
	*left -= lp_iterations(lp->P) - before;
	return rc;
}

/* The LP of P with the lazy rows its solutions break, up to CUT_ROUNDS
 * rounds, within *left simplex iterations. */
static int simplex_with_cuts(struct level_lp *lp, int *left, bool *optimal)
{
	const struct model *mo = lp->mo;
	double *x = malloc(((size_t)mo->ncols + 1) * sizeof(double));
	int rc = ROTA_ENOMEM, added;

	*optimal = false;
	if (!x)
		return rc;
	rc = capped_simplex(lp, false, left, optimal);
	for (int round = 0; round < CUT_ROUNDS && !rc && *optimal; round++) {
		for (int j = 0; j < mo->ncols; j++)
			x[j] = lp_col_value(lp->P, j);
		rc = levels_add_broken_rows(lp, lp->P, x, lp->in_p, &added);
		if (rc || added == 0)
			break;
		rc = capped_simplex(lp, true, left, optimal);
		if (!rc && !*optimal)
			rc = capped_simplex(lp, false, left, optimal);
	}
	free(x);
	return rc;
}

/* Adds the row "level i stays at least as good as value". */
static int fix_level(struct level_lp *lp, int i, double value, bool maximise)
{
	const struct model *mo = lp->mo;
	const double *o = mo->obj + (size_t)i * (size_t)mo->ncols;
	int n = 0, row, rc = ROTA_ENOMEM;
	int *ind = malloc(((size_t)mo->ncols + 1) * sizeof(int));
	double *val = malloc(((size_t)mo->ncols + 1) * sizeof(double));

	if (lp->hold_at && (maximise ? lp->hold_at[i] < value : lp->hold_at[i] > value))
		value = lp->hold_at[i];
	if (i < MAX_LEVELS) {
		lp->fixed_value[i] = value;
		lp->fixed_set[i] = true;
	}
	if (!ind || !val)
		goto out;
	for (int j = 0; j < mo->ncols; j++)
		if (o[j] != 0.0) {
			ind[n] = j;
			val[n] = o[j];
			n++;
		}
	rc = ROTA_OK;
	if (n > 0) {
		rc = lp_add_rows(lp->P, 1, &row);
		if (!rc)
			rc = lp_set_row_bounds(lp->P, row, maximise ? LP_LOWER : LP_UPPER,
					       value - mo->obj_const[i], value - mo->obj_const[i]);
		if (!rc)
			rc = lp_set_row(lp->P, row, n, ind, val);
		if (!rc && lp->run->o->mps_dir) {
			char name[32];

			snprintf(name, sizeof(name), "level%d", i + 1);
			rc = lp_set_row_name(lp->P, row, name);
		}
	}
out:
	free(ind);
	free(val);
	return rc;
}

struct node_cap {
	int nodes;
	const struct level_lp *lp;
};

static void node_cap_callback(struct lp_tree *tree, void *info)
{
	const struct node_cap *cap = info;

	if (lp_tree_nodes(tree) > cap->nodes || heur_stop(cap->lp))
		lp_tree_stop(tree);
}

int levels_people_mip(struct level_lp *lp, struct lp *Q, char *in_q, int nodes, double *out,
		      bool *found)
{
	struct node_cap cap = { .nodes = nodes, .lp = lp };
	const struct lp_mip_opts ip = { .presolve = true, .depth_first = true, .gap = PEOPLE_GAP,
					.callback = node_cap_callback, .info = &cap };
	int n = lp_cols(Q), rc = ROTA_OK, added;
	bool complete;

	*found = false;
	for (int round = 0; round < PEOPLE_ROUNDS; round++) {
		rc = lp_intopt(Q, &ip, &complete);
		if (!rc && lp_mip_stalled(Q))
			solve_debug(lp->run, "%s %s: the people MIP stalled, stopped after %d s",
				    lp->model_name, lp->level_name, LP_STALL_SECONDS);
		if (rc || !lp_mip_found(Q, NULL))
			return rc;
		for (int j = 0; j < n; j++)
			out[j] = lp_mip_col_value(Q, j);
		rc = heur_add_broken_rows(lp, Q, out, in_q, &added);
		if (rc)
			return rc;
		if (added == 0) {
			*found = true;
			return ROTA_OK;
		}
	}
	return ROTA_OK;
}

/* Turns a point with whole sessions into a plan: people made whole,
 * dated, the rest served (wplan_complete). When the plan keeps every held
 * level and improves level i, its point becomes the incumbent. */
static int repair_point(struct level_lp *lp, int i, double *xf, bool *improved)
{
	const struct model *mo = lp->mo;
	const struct mcomp *m = mo->comp;
	struct wplan w = { 0 };
	double *v = xcalloc_array((size_t)mo->nlv, sizeof(double));
	int rc = ROTA_ENOMEM;

	*improved = false;
	if (!v)
		return rc;
	for (int j = 0; j < mo->nint; j++)
		if (j < mo->ncells || j >= mo->ncells + mo->nvisits)
			xf[j] = floor(xf[j] + 0.5);
	rc = model_round_people(mo, xf);
	if (!rc)
		rc = model_disaggregate(mo, xf, &w);
	if (!rc)
		rc = wplan_complete(m, &w);
	if (rc)
		goto out;
	wplan_levels(m, &w, v);
	for (int j = 0; j < i && j < MAX_LEVELS; j++) {
		char name[48];
		bool maximise = lv_describe(lp->run->c, j, name, sizeof(name));

		if (lp->fixed_set[j] &&
		    (maximise ? v[j] < lp->fixed_value[j] - 0.5 : v[j] > lp->fixed_value[j] + 0.5))
			goto out;
	}
	{
		double cur = model_value(mo, i, lp->x);

		model_point(mo, &w, xf);
		if (lp->maximise ? model_value(mo, i, xf) > cur + 0.5
				 : model_value(mo, i, xf) < cur - 0.5) {
			memcpy(lp->x, xf, (size_t)mo->ncols * sizeof(double));
			*improved = true;
		}
	}
out:
	wplan_release(&w);
	free(v);
	return rc;
}

/* Whether every extra session column is held at 0, so that a dive with
 * the incumbent's extra sessions kept is the free dive: none can be
 * opened (no room, or extra-sessions held at the fixed ones alone). */
static bool extras_held_none(const struct level_lp *lp)
{
	const struct model *mo = lp->mo;
	int e = lv_extra(lp->run->c->nlevels);

	if (e < MAX_LEVELS && lp->fixed_set[e] && lp->fixed_value[e] <= mo->obj_const[e] + 0.5)
		return true;
	for (int i = 0; i < mo->ncells; i++)
		if (slot_kind_is_extra(mo->cells[i].kind) && mo->col_ub[mo->cells[i].col] > 0)
			return false;
	return true;
}

/* Whether two incumbents give RINS the same neighbourhood: they agree
 * with the level's LP optimum (in lp->P) on the same session columns (y
 * and Y), the ones RINS fixes. */
static bool same_neighbourhood(const struct level_lp *lp, const double *a, const double *b)
{
	const struct model *mo = lp->mo;

	for (int j = 0; j < mo->nint; j++) {
		double xl;

		if (j >= mo->ncells && j < mo->ncells + mo->nvisits)
			continue;
		xl = lp_col_value(lp->P, j);
		if ((fabs(xl - a[j]) < 1e-6) != (fabs(xl - b[j]) < 1e-6))
			return false;
	}
	return true;
}

/* Round 1 of RINS, run while the free dive runs on another processor
 * (spec.c): its lazy rows are listed, not added, until the loop knows
 * that it is the round it would have run. */
struct rins_ahead {
	bool done;               /* run, and the round the loop would run */
	bool found;
	double *x;
	struct heur_trace trace;
};

/* The free dive started on another processor: RINS round 1 meanwhile, on
 * the incumbent after the first dive, then the dive's result as if it had
 * run here (*redo when it has to run here after all). */
static int dive_beside_rins(struct level_lp *lp, int i, double inc, struct dive_spec *spec,
			    double *xd, bool *found, bool *redo, struct rins_ahead *ra)
{
	int rc;

	dive_spec_tighten(spec, inc);
	rc = heur_trace_init(&ra->trace, lp, NULL);
	if (!rc) {
		lp->trace = &ra->trace;
		rc = heur_rins(lp, i, ra->x, &ra->found);
		lp->trace = NULL;
	}
	if (rc) {
		dive_spec_drop(spec);
		return rc;
	}
	ra->done = true;
	return dive_spec_finish(lp, spec, inc, xd, found, redo);
}

/* The heuristics, from the LP optimum of level i towards its bound: dives
 * (with the incumbent's extra sessions kept, then free), then RINS from
 * each better incumbent. *inc follows the incumbent. With an idle
 * processor the free dive starts beside the first, and RINS round 1
 * runs beside it; each is taken only where it gives what running them
 * one after the other would (spec.c). */
static int search_heuristics(struct level_lp *lp, int i, double lpbound, double *inc)
{
	const struct model *mo = lp->mo;
	double *xd = malloc((size_t)mo->ncols * sizeof(double));
	int rc = ROTA_OK;
	bool found, better, redo;
	/* Keeping the extra sessions carries the groups that only come then;
	 * on the extra-sessions level itself, it would leave nothing to
	 * improve. */
	int keep0 = i == lv_extra(lp->run->c->nlevels) ? 0 : 1;
	/* With no extra session to keep or open, the two dives are one. */
	int keep1 = keep0 == 1 && extras_held_none(lp) ? 1 : 0;
	double *xs = NULL;
	struct dive_spec *spec = NULL;
	struct rins_ahead ra = { 0 };
	int rows0 = lp_rows(lp->P), rc2;

	if (!xd)
		return ROTA_ENOMEM;
	if (keep0 == 1 && keep1 == 0 && !reaches(*inc, lpbound, lp->maximise) &&
	    !solve_out_of_time(lp->until) && (rc = dive_spec_start(lp, *inc, &spec))) {
		free(xd);
		return rc;
	}
	for (int keep = keep0; keep >= keep1 && !reaches(*inc, lpbound, lp->maximise); keep--) {
		if (solve_out_of_time(lp->until))
			break;
		/* Within SEARCH_GAP after the first dive is good enough for a
		 * second one not to pay. */
		if (keep == 0 && fabs(*inc - lpbound) <= SEARCH_GAP * fmax(fabs(*inc), 1.0))
			break;
		redo = true;
		/* The free dive started with the lazy rows of P before the
		 * first: its result stands only when that added none. */
		if (keep == 0 && spec && lp_rows(lp->P) == rows0) {
			ra.x = malloc((size_t)mo->ncols * sizeof(double));
			rc = ra.x ? dive_beside_rins(lp, i, *inc, spec, xd, &found, &redo, &ra)
				  : ROTA_ENOMEM;
			spec = NULL;
			if (rc)
				goto out;
			/* Round 1 read the rows and the incumbent before the
			 * dive's: taken below only if the dive changed neither. */
			if (lp_rows(lp->P) != rows0 || redo)
				ra.done = false;
		} else if (keep == 0 && spec) {
			solve_debug(lp->run, "%s %s: the first dive added lazy rows: the free "
				    "dive beside it is dropped", lp->model_name, lp->level_name);
			dive_spec_cancel(spec);
		}
		if (redo)
			rc = heur_dive(lp, keep, *inc, xd, &found);
		if (!rc && found) {
			rc = repair_point(lp, i, xd, &better);
			if (!rc && better) {
				*inc = model_value(mo, i, lp->x);
				ra.done = false;
			}
			solve_debug(lp->run, "%s %s: after the dive %.0f", lp->model_name,
				    lp->level_name, *inc);
		}
		if (rc)
			goto out;
	}
	/* The loop ended before the free dive: not wanted. */
	dive_spec_cancel(spec);
	xs = malloc((size_t)mo->ncols * sizeof(double));
	if (!xs) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	for (int round = 0; round < RINS_ROUNDS && !reaches(*inc, lpbound, lp->maximise) &&
			    !solve_out_of_time(lp->until);
	     round++) {
		memcpy(xs, lp->x, (size_t)mo->ncols * sizeof(double));
		if (round == 0 && ra.done) {
			solve_debug(lp->run, "%s %s: rins round 1 taken from beside the dive",
				    lp->model_name, lp->level_name);
			found = ra.found;
			if (found)
				memcpy(xd, ra.x, (size_t)mo->ncols * sizeof(double));
			rc = heur_trace_apply(lp, &ra.trace, INT_MAX);
		} else {
			rc = heur_rins(lp, i, xd, &found);
		}
		if (rc || !found)
			break;
		rc = repair_point(lp, i, xd, &better);
		if (rc)
			break;
		solve_debug(lp->run, "%s %s: after rins %.0f", lp->model_name, lp->level_name,
			    model_value(mo, i, lp->x));
		if (!better)
			break;
		*inc = model_value(mo, i, lp->x);
		/* A better plan that gives the same neighbourhood gives its
		 * MIP the same point again. */
		if (same_neighbourhood(lp, xs, lp->x))
			break;
	}
out:
	rc2 = dive_spec_drop(spec);
	if (!rc)
		rc = rc2;
	heur_trace_release(&ra.trace);
	free(ra.x);
	free(xd);
	free(xs);
	return rc;
}

/* Branch and bound from the incumbent, within the node cap or the clock.
 * *inc and lp->bound follow. */
static int branch_and_bound(struct level_lp *lp, int i, double lpval, double *inc)
{
	const struct model *mo = lp->mo;
	const struct lp_mip_opts ip = {
		.presolve = false, /* the incumbent is given in the problem's own columns */
		.clique_cover = true, .gap = lp->run->o->gap,
		.callback = mip_callback, .info = lp };
	double *xb = NULL;
	bool complete, optimal;
	int rc, added;

	int node_cap = lp->node_cap;
	double cpu = timebox_cpu_now();

	if (node_cap == SEARCH_NODES && i < lv_extra(lp->run->c->nlevels))
		lp->node_cap = PEOPLE_SEARCH_NODES;
	lp->bound = lpval;
	lp->heur_given = false;
	lp->tree_nodes = 0;
	lp->callback_rc = ROTA_OK;
	lp->started = solve_now();
	rc = lp_intopt(lp->P, &ip, &complete);
	if (!rc && lp_mip_stalled(lp->P))
		solve_debug(lp->run, "%s %s: branch and bound stalled, stopped after %d s",
			    lp->model_name, lp->level_name, LP_STALL_SECONDS);
	lp->node_cap = node_cap;
	if (!rc)
		rc = lp->callback_rc;
	if (rc)
		return rc;
	if (lp_mip_found(lp->P, &optimal)) {
		double v = lp_mip_objective(lp->P);

		if (lp->maximise ? v > *inc + 0.5 : v < *inc - 0.5) {
			xb = malloc((size_t)mo->ncols * sizeof(double));
			if (!xb)
				return ROTA_ENOMEM;
			for (int j = 0; j < mo->ncols; j++) {
				xb[j] = lp_mip_col_value(lp->P, j);
				if (j < mo->nint)
					xb[j] = floor(xb[j] + 0.5);
			}
			/* A point that breaks a lazy row may not pack into whole
			 * sessions: keep the rows, not the point. */
			rc = levels_add_broken_rows(lp, lp->P, xb, lp->in_p, &added);
			if (!rc && added == 0) {
				memcpy(lp->x, xb, (size_t)mo->ncols * sizeof(double));
				*inc = model_value(mo, i, lp->x);
			}
			free(xb);
			if (rc)
				return rc;
		}
		if (complete && optimal)
			lp->bound = v;
	}
	solve_debug(lp->run, "%s %s: branch and bound to %.0f (bound %.2f) in %.2f s, %.2f s, "
		    "%d nodes, processor %.2f s", lp->model_name, lp->level_name, *inc, lp->bound,
		    solve_now() - lp->started, solve_now() - lp->run->t0,
		    lp->tree_nodes, timebox_cpu_now() - cpu);
	return ROTA_OK;
}

/* An earlier level, held, with level i's objective, or -1 (served-pN of a
 * group whose deadline is the campaign's last day is its deadline-pN; two
 * empty levels are both 0). The row that holds it holds level i already:
 * it has the same bound, and a search would repeat the earlier one
 * node for node (seed 5 of the generated family: 2,000 nodes, 11 s). */
static int twin_level(const struct level_lp *lp, int i)
{
	const struct model *mo = lp->mo;
	const double *oi = mo->obj + (size_t)i * (size_t)mo->ncols;

	for (int k = 0; k < i && k < MAX_LEVELS; k++) {
		const double *ok = mo->obj + (size_t)k * (size_t)mo->ncols;

		if (lp->fixed_set[k] && !isnan(lp->bound_of[k]) && mo->obj_const[k] == mo->obj_const[i] &&
		    lv_describe(lp->run->c, k, NULL, 0) == lv_describe(lp->run->c, i, NULL, 0) &&
		    memcmp(ok, oi, (size_t)mo->ncols * sizeof(double)) == 0)
			return k;
	}
	return -1;
}

/* Whether branch and bound is tried on level i after the heuristics left
 * inc against lpbound: always on a deadline or served level, where one
 * person outweighs everything below (rule 7); on the others only past
 * SEARCH_GAP, and on person-minutes only in a model of at most
 * MINUTES_TREE_ENTRIES entries, where a node's LP is cheap: there its 60
 * nodes cost under a second of processor time, and found the May push
 * (25,736 entries) 3.5 % fewer person-minutes than the heuristics; in
 * larger models 1.4-22 s (Điềm Mặc, 36,307 entries: 1.4 s of its 3.5),
 * and on the generated communes 1-40 and the other examples never a
 * better plan (docs/model.md section 6): there the bound is the LP's. */
static bool tree_pays(const struct level_lp *lp, int i, double inc, double lpbound)
{
	int L = lp->run->c->nlevels;

	if (i < lv_extra(L))
		return true;
	if (i == lv_minutes(L) && lp->mo->nents > MINUTES_TREE_ENTRIES)
		return false;
	return fabs(inc - lpbound) > SEARCH_GAP * fmax(fabs(inc), 1.0);
}

/* Frees what lp owns: its GLPK problem and its rows by row. */
static void level_lp_release(struct level_lp *lp)
{
	lp_free(lp->P);
	free(lp->row_start);
	free(lp->row_col);
	free(lp->row_val);
	free(lp->in_p);
}

/* Optimises level i with the earlier levels held; x stays the best point.
 * Sets *value and *bound. */
static int solve_level(struct level_lp *lp, int i, bool search, double *value, double *bound)
{
	const struct model *mo = lp->mo;
	double lpval, lpbound, inc, t_stage, cpu;
	bool optimal;
	int rc, twin, it0, cap, left;

	lp->maximise = lv_describe(lp->run->c, i, lp->level_name, sizeof(lp->level_name));
	lp->level = i;
	rc = lp_set_objective(lp->P, lp->maximise, mo->obj_const[i],
			      mo->obj + (size_t)i * (size_t)mo->ncols);
	if (rc)
		return rc;
	inc = model_value(mo, i, lp->x);
	rc = write_mps(lp);
	if (rc)
		return rc;

	t_stage = solve_now();
	cpu = timebox_cpu_now();
	it0 = lp_iterations(lp->P);
	cap = levels_lp_iterations(lp);
	left = cap;
	rc = simplex_with_cuts(lp, &left, &optimal);
	/* The retry from the standard basis spends what is left of the
	 * same cap: a capped LP is not solved twice. */
	if (!rc && !optimal && left > 0) {
		rc = lp_std_basis(lp->P);
		if (!rc)
			rc = simplex_with_cuts(lp, &left, &optimal);
	}
	if (rc)
		return rc;
	if (!optimal) {
		/* The incumbent is feasible, so the LP is too; the cap of
		 * simplex iterations, the clock or a numerical failure leaves
		 * the level where it is, with no bound (gap 1). */
		solve_debug(lp->run, "%s %s: lp not solved (%d it of %d%s, %.2f s), incumbent %.0f kept, processor %.2f s",
			    lp->model_name, lp->level_name, lp_iterations(lp->P) - it0, cap,
			    left <= 0 ? ": capped" : "", solve_now() - t_stage, inc,
			    timebox_cpu_now() - cpu);
		*value = inc;
		*bound = lp->maximise ? HUGE_VAL : -HUGE_VAL;
		return fix_level(lp, i, inc, lp->maximise);
	}
	lpval = lp_objective_value(lp->P);
	lpbound = round_bound(lpval, lp->maximise);
	solve_debug(lp->run, "%s %s: lp %.2f (%d it of %d, %.2f s), incumbent %.0f, %.2f s, processor %.2f s",
		    lp->model_name, lp->level_name, lpval, lp_iterations(lp->P) - it0, cap,
		    solve_now() - t_stage, inc, solve_now() - lp->run->t0, timebox_cpu_now() - cpu);
	twin = twin_level(lp, i);
	if (twin >= 0) {
		solve_debug(lp->run, "%s %s: an earlier level's objective, searched there",
			    lp->model_name, lp->level_name);
		search = false;
		if (lp->maximise ? lp->bound_of[twin] < lpbound : lp->bound_of[twin] > lpbound)
			lpbound = lp->bound_of[twin];
	}
	if (search && !reaches(inc, lpbound, lp->maximise)) {
		rc = search_heuristics(lp, i, lpbound, &inc);
		if (rc)
			return rc;
	}
	/* Branch and bound: a few nodes (a time limit may stop it sooner),
	 * where it pays. */
	if (search && !reaches(inc, lpbound, lp->maximise) && !solve_out_of_time(lp->until) &&
	    tree_pays(lp, i, inc, lpbound)) {
		rc = branch_and_bound(lp, i, lpval, &inc);
		if (rc)
			return rc;
		lpbound = round_bound(lp->bound, lp->maximise);
	}
	/* In the fine model the incumbent's value is itself a relaxation
	 * (ranks), so it too is rounded before it caps the bound. */
	if (lp->maximise ? lpbound < inc : lpbound > inc)
		lpbound = round_bound(inc, lp->maximise);
	*value = inc;
	*bound = lpbound;
	if (i < MAX_LEVELS)
		lp->bound_of[i] = lpbound;
	return fix_level(lp, i, inc, lp->maximise);
}

int levels_solve(struct solve_run *run, size_t part, const struct model *mo,
		 const char *model_name, double *x, const double *fixed_values, int nfixed,
		 bool hold_plan, int first, int last, bool search, double until, double *value, double *bound,
		 bool *reached, struct rota_error *err)
{
	struct level_lp lp;
	struct level_lp *kept = run->lp_kept ? run->lp_kept[part] : NULL;
	double outer = timebox_get();
	int rc = ROTA_OK;

	/* Under a time limit a part's coarse levels are solved in two calls
	 * (deadline levels first, for every part; solve.c): the second
	 * resumes the LP the first kept, basis, held levels and lazy rows
	 * included, so that it goes on exactly as one call would. */
	if (kept)
		run->lp_kept[part] = NULL;
	if (kept && kept->mo == mo) {
		lp = *kept;
		free(kept);
		kept = NULL;
		lp.x = x;
		lp.err = err;
	} else {
		memset(&lp, 0, sizeof(lp));
		lp.run = run;
		lp.part = part;
		lp.mo = mo;
		lp.model_name = model_name;
		lp.x = x;
		lp.err = err;
		lp.hold_at = hold_plan ? fixed_values : NULL;
		/* The count caps hold with a time limit too: the clock only
		 * stops a search earlier, never lets it run longer. */
		lp.node_cap = SEARCH_NODES;
		for (int i = 0; i < MAX_LEVELS; i++)
			lp.bound_of[i] = NAN; /* held, not solved here */
		lp_set_mem_limit(run->o->glpk_mem_limit);
		solve_debug(run, "%s: %d periods %d cells %d visits, %d columns %d rows %zu entries",
			    model_name, mo->nperiods, mo->ncells, mo->nvisits, mo->ncols, mo->nrows,
			    mo->nents);
		rc = load_model(&lp);
		for (int i = 0; i < nfixed && !rc; i++) {
			bool maximise = lv_describe(run->c, i, lp.level_name, sizeof(lp.level_name));

			rc = fix_level(&lp, i, fixed_values[i], maximise);
		}
		/* The fine model's bound only (no search): its first LP starts
		 * from the plan's point, not from a phase 1 (solve.c). */
		if (!rc && hold_plan && !search)
			rc = lp_point_basis(lp.P, x);
	}
	/* Kept for another model: not resumable. */
	levels_kept_free(kept);
	lp.until = until;
	for (int i = first; i <= last && i < mo->nlv && !rc; i++) {
		double part_until = lp.until;
		char name[48];

		if (solve_out_of_time(part_until))
			break;
		/* Under a time limit each level gets an equal share of what is
		 * left, so that a long search on one level does not leave the
		 * later ones unsolved; time a level does not use passes on. */
		if (part_until > 0)
			lp.until = solve_now() + (part_until - solve_now()) / (double)(last - i + 1);
		/* The share stops the searches; an LP may take what is left of
		 * the call's time, since nothing of the level is done without
		 * it. */
		timebox_set(part_until);
		lv_describe(run->c, i, name, sizeof(name));
		solve_stage(run, part, name, name, model_value(mo, i, x));
		rc = solve_level(&lp, i, search, &value[i], &bound[i]);
		timebox_set(outer);
		lp.until = part_until;
		if (!rc)
			reached[i] = true;
	}
	if (!rc && run->lp_keep && run->lp_keep[part]) {
		struct level_lp *keep = malloc(sizeof(*keep));

		if (keep) {
			*keep = lp;
			run->lp_kept[part] = keep;
			return ROTA_OK;
		}
		rc = ROTA_ENOMEM;
	}
	level_lp_release(&lp);
	return rc;
}

void levels_kept_free(struct level_lp *kept)
{
	if (!kept)
		return;
	level_lp_release(kept);
	free(kept);
}
