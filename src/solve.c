/*
 * solve.c - plan_solve(): splits the campaign into parts, solves each
 * part's aggregated model level by level with GLPK, turns the result into
 * dated sessions and the plan. The only file that includes glpk.h; the
 * model itself is in model.c. See docs/model.md.
 *
 * Without a time limit every search is bounded by counts (LP solves,
 * branch-and-bound nodes), never by the clock, so that a plan does not
 * depend on the machine: the same campaign gives the same plan.
 */
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "model.h"
#include "solve.h"
#include "util.h"
#include "banned.h"

/* Effort per level, in counts: LP solves of one dive, nodes of the MIP
 * that gives whole people to fixed sessions, nodes of the branch and
 * bound that follows. */
enum { DIVE_LPS = 80, PEOPLE_NODES = 400, SEARCH_NODES = 60, RINS_NODES = 400,
       RINS_ROUNDS = 4 };
/* Fine models up to this many columns are searched for earliness too. */
enum { FINE_SEARCH_COLS = 1500 };

void solve_options_init(struct solve_options *o)
{
	memset(o, 0, sizeof(*o));
	o->time_limit = 0.0;
	o->gap = 0.0;
	o->threads = 1;
	o->progress = 0;
	o->mps_dir = NULL;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool debug_on(void)
{
	static int on = -1;

	if (on < 0)
		on = getenv("ROTA_DEBUG") != NULL;
	return on;
}

/* What solving one part gives. */
struct part_result {
	struct wplan plan;
	double *value, *bound;   /* [nlv] */
	bool *reached;           /* [nlv]: the level was solved at all */
	int rc;
	char message[256];
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
	pthread_mutex_t lock;    /* guards next_part and the progress line */
	size_t next_part;        /* index into order */
	size_t *order;           /* parts, largest first */
	int nthreads;
	bool printed;
	double last_print;
};

/* --------------------------------------------------------------- GLPK */

enum { MAX_LEVELS = 256 };

struct lp {
	struct solve_run *run;
	size_t part;
	const struct model *mo;
	const char *model_name;
	glp_prob *P;
	double *x;               /* incumbent, [ncols], always feasible */
	double *x1;              /* the same, 1-based, for glp_ios_heur_sol */
	double until;            /* 0: no clock limit */
	int node_cap;            /* branch-and-bound nodes per level */
	bool maximise;
	int level;
	char level_name[48];
	double bound;            /* best bound seen in the tree */
	bool heur_given;
	double started;
	double fixed_value[MAX_LEVELS]; /* value each earlier level is held at */
	bool fixed_set[MAX_LEVELS];
	/* The model's rows by row (all of them), and which lazy ones are in P. */
	size_t *row_start;       /* [nrows + 1] into row_col/row_val */
	int *row_col;
	double *row_val;
	char *in_p;              /* [nrows] */
};

static void progress(struct lp *lp, double best, double bound)
{
	struct solve_run *run = lp->run;
	double t = now_seconds();
	double gap;

	if (!run->o->progress || t - run->t0 < 1.0)
		return;
	pthread_mutex_lock(&run->lock);
	if (t - run->last_print >= 0.5) {
		gap = fabs(best - bound) / fmax(fabs(best), 1.0);
		fprintf(stderr, "\rrota: %6.1f s  part %zu/%zu  %-16s best %.0f  bound %.0f  gap %.2f%%   ",
			t - run->t0, lp->part + 1, run->nparts, lp->level_name, best, bound,
			100.0 * gap);
		fflush(stderr);
		run->printed = true;
		run->last_print = t;
	}
	pthread_mutex_unlock(&run->lock);
}

/* Every level's value is a whole number: bounds round towards it. */
static double round_bound(double b, bool maximise)
{
	return maximise ? floor(b + 1e-6) : ceil(b - 1e-6);
}

static bool reaches(double value, double bound, bool maximise)
{
	return maximise ? value >= bound - 0.5 : value <= bound + 0.5;
}

static bool out_of_time(double until)
{
	return until > 0 && now_seconds() >= until;
}

static void mip_callback(glp_tree *tree, void *info)
{
	struct lp *lp = info;
	int reason = glp_ios_reason(tree);
	int best, nodes = 0;

	if (reason == GLP_IHEUR && !lp->heur_given) {
		lp->heur_given = true;
		/* The incumbent is exactly integral and feasible. */
		glp_ios_heur_sol(tree, lp->x1);
	}
	best = glp_ios_best_node(tree);
	if (best) {
		double b = glp_ios_node_bound(tree, best);

		if (lp->maximise ? b < lp->bound : b > lp->bound)
			lp->bound = b;
	}
	glp_ios_tree_size(tree, NULL, NULL, &nodes);
	if (nodes > lp->node_cap || out_of_time(lp->until)) {
		glp_ios_terminate(tree);
		return;
	}
	if (reason == GLP_IBINGO || reason == GLP_ISELECT) {
		glp_prob *P = glp_ios_get_prob(tree);
		double inc = glp_mip_obj_val(P);

		if (glp_mip_status(P) != GLP_UNDEF) {
			if (reaches(inc, round_bound(lp->bound, lp->maximise), lp->maximise))
				glp_ios_terminate(tree);
			progress(lp, inc, lp->bound);
		}
	}
}

static void write_mps(struct lp *lp)
{
	const struct solve_options *o = lp->run->o;
	char path[4096];

	if (!o->mps_dir)
		return;
	snprintf(path, sizeof(path), "%s/%s-part%zu-%s-%s.mps", o->mps_dir, lp->run->c->id,
		 lp->part + 1, lp->model_name, lp->level_name);
	glp_write_mps(lp->P, GLP_MPS_FILE, NULL, path);
}

static int lp_load(struct lp *lp)
{
	const struct model *mo = lp->mo;
	size_t n = mo->nents, k = 0;
	int *ia = malloc((n + 1) * sizeof(int));
	int *ja = malloc((n + 1) * sizeof(int));
	double *ar = malloc((n + 1) * sizeof(double));
	int *glp_row = malloc(((size_t)mo->nrows + 1) * sizeof(int));
	size_t *fill = calloc((size_t)mo->nrows + 1, sizeof(size_t));
	int nrows = 0, rc = ROTA_ENOMEM;
	char name[32];

	lp->row_start = calloc((size_t)mo->nrows + 2, sizeof(size_t));
	lp->row_col = malloc((n + 1) * sizeof(int));
	lp->row_val = malloc((n + 1) * sizeof(double));
	lp->in_p = calloc((size_t)mo->nrows + 1, 1);
	if (!ia || !ja || !ar || !glp_row || !fill || !lp->row_start || !lp->row_col ||
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
		glp_row[i] = mo->sense[i] == 'l' ? 0 : ++nrows;
		lp->in_p[i] = mo->sense[i] != 'l';
	}
	lp->P = glp_create_prob();
	glp_set_prob_name(lp->P, lp->model_name);
	if (nrows > 0)
		glp_add_rows(lp->P, nrows);
	if (mo->ncols > 0)
		glp_add_cols(lp->P, mo->ncols);
	for (int i = 0; i < mo->nrows; i++) {
		int r = glp_row[i];

		if (!r)
			continue;
		if (mo->sense[i] == 'L')
			glp_set_row_bnds(lp->P, r, GLP_UP, 0.0, mo->rhs[i]);
		else if (mo->sense[i] == 'E')
			glp_set_row_bnds(lp->P, r, GLP_FX, mo->rhs[i], mo->rhs[i]);
		else
			glp_set_row_bnds(lp->P, r, GLP_LO, mo->rhs[i], 0.0);
		if (lp->run->o->mps_dir) {
			snprintf(name, sizeof(name), "r%d", i + 1);
			glp_set_row_name(lp->P, r, name);
		}
	}
	for (int j = 0; j < mo->ncols; j++) {
		glp_set_col_kind(lp->P, j + 1, j < mo->nint ? GLP_IV : GLP_CV);
		if (!isfinite(mo->col_ub[j]))
			glp_set_col_bnds(lp->P, j + 1, GLP_LO, 0.0, 0.0);
		else if (mo->col_ub[j] <= 0)
			glp_set_col_bnds(lp->P, j + 1, GLP_FX, 0.0, 0.0);
		else
			glp_set_col_bnds(lp->P, j + 1, GLP_DB, 0.0, mo->col_ub[j]);
		if (lp->run->o->mps_dir) {
			snprintf(name, sizeof(name), "%c%d",
				 j < mo->ncells ? 'y' : j < mo->ncells + mo->nvisits ? 'x' : j < mo->nint ? 'Y' : 'q',
				 j + 1);
			glp_set_col_name(lp->P, j + 1, name);
		}
	}
	for (size_t e = 0; e < n; e++) {
		if (!glp_row[mo->ents[e].row])
			continue;
		k++;
		ia[k] = glp_row[mo->ents[e].row];
		ja[k] = mo->ents[e].col + 1;
		ar[k] = mo->ents[e].val;
	}
	if (k > 0)
		glp_load_matrix(lp->P, (int)k, ia, ja, ar);
	rc = ROTA_OK;
out:
	free(ia);
	free(ja);
	free(ar);
	free(glp_row);
	free(fill);
	return rc;
}

/* Adds to Q (and to P, when Q is another problem) the lazy rows that x
 * breaks; returns how many. */
static int add_broken_rows(struct lp *lp, glp_prob *Q, const double *x, char *in_q)
{
	const struct model *mo = lp->mo;
	int added = 0;

	for (int i = 0; i < mo->nrows; i++) {
		double act = 0.0;
		size_t a = lp->row_start[i], b = lp->row_start[i + 1];
		int r;

		if (mo->sense[i] != 'l' || in_q[i])
			continue;
		for (size_t e = a; e < b; e++)
			act += lp->row_val[e] * x[lp->row_col[e]];
		if (act <= mo->rhs[i] + 1e-6)
			continue;
		r = glp_add_rows(Q, 1);
		glp_set_row_bnds(Q, r, GLP_UP, 0.0, mo->rhs[i]);
		{
			int *ind = malloc((b - a + 1) * sizeof(int));
			double *val = malloc((b - a + 1) * sizeof(double));

			if (!ind || !val) {
				free(ind);
				free(val);
				glp_del_rows(Q, 1, (int[]){ 0, r });
				continue;
			}
			for (size_t e = a; e < b; e++) {
				ind[e - a + 1] = lp->row_col[e] + 1;
				val[e - a + 1] = lp->row_val[e];
			}
			glp_set_mat_row(Q, r, (int)(b - a), ind, val);
			if (Q != lp->P && !lp->in_p[i]) {
				r = glp_add_rows(lp->P, 1);
				glp_set_row_bnds(lp->P, r, GLP_UP, 0.0, mo->rhs[i]);
				glp_set_mat_row(lp->P, r, (int)(b - a), ind, val);
				lp->in_p[i] = 1;
			}
			free(ind);
			free(val);
		}
		in_q[i] = 1;
		added++;
	}
	return added;
}

/* The LP of P with the lazy rows its solutions break, up to ten rounds. */
static int simplex_with_cuts(struct lp *lp, glp_smcp *sp)
{
	const struct model *mo = lp->mo;
	double *x = malloc(((size_t)mo->ncols + 1) * sizeof(double));
	int ret = glp_simplex(lp->P, sp);

	if (!x)
		return ret;
	for (int round = 0; round < 10 && ret == 0 && glp_get_status(lp->P) == GLP_OPT; round++) {
		glp_smcp dual = *sp;

		for (int j = 0; j < mo->ncols; j++)
			x[j] = glp_get_col_prim(lp->P, j + 1);
		if (add_broken_rows(lp, lp->P, x, lp->in_p) == 0)
			break;
		dual.meth = GLP_DUALP;
		ret = glp_simplex(lp->P, &dual);
		if (ret != 0 || glp_get_status(lp->P) != GLP_OPT)
			ret = glp_simplex(lp->P, sp);
	}
	free(x);
	return ret;
}

/* Adds the row "level i stays at least as good as value". */
static void fix_level(struct lp *lp, int i, double value, bool maximise)
{
	if (i < MAX_LEVELS) {
		lp->fixed_value[i] = value;
		lp->fixed_set[i] = true;
	}
	const struct model *mo = lp->mo;
	const double *o = mo->obj + (size_t)i * (size_t)mo->ncols;
	int n = 0, row;
	int *ind = malloc(((size_t)mo->ncols + 1) * sizeof(int));
	double *val = malloc(((size_t)mo->ncols + 1) * sizeof(double));

	if (!ind || !val) {
		free(ind);
		free(val);
		return; /* the next levels then only lose the constraint's help */
	}
	for (int j = 0; j < mo->ncols; j++)
		if (o[j] != 0.0) {
			n++;
			ind[n] = j + 1;
			val[n] = o[j];
		}
	if (n > 0) {
		row = glp_add_rows(lp->P, 1);
		glp_set_row_bnds(lp->P, row, maximise ? GLP_LO : GLP_UP,
				 value - mo->obj_const[i], value - mo->obj_const[i]);
		glp_set_mat_row(lp->P, row, n, ind, val);
		if (lp->run->o->mps_dir) {
			char name[32];

			snprintf(name, sizeof(name), "level%d", i + 1);
			glp_set_row_name(lp->P, row, name);
		}
	}
	free(ind);
	free(val);
}

/* Diving: on a copy of the problem, fixes the session columns one at a
 * time to a rounding of their LP value (the aggregates first, then the
 * sessions of each cell), re-solving the LP each time. Writes the last LP
 * point (whole sessions, people possibly fractional) into out. */
static void basis_save(glp_prob *Q, int *rstat, int *cstat)
{
	int m = glp_get_num_rows(Q), n = glp_get_num_cols(Q);

	for (int i = 1; i <= m; i++)
		rstat[i] = glp_get_row_stat(Q, i);
	for (int j = 1; j <= n; j++)
		cstat[j] = glp_get_col_stat(Q, j);
}

static void basis_restore(glp_prob *Q, const int *rstat, const int *cstat)
{
	int m = glp_get_num_rows(Q), n = glp_get_num_cols(Q);

	for (int i = 1; i <= m; i++)
		glp_set_row_stat(Q, i, rstat[i]);
	for (int j = 1; j <= n; j++)
		glp_set_col_stat(Q, j, cstat[j]);
}

/* Rounds the cells of every aggregate so that they add up to its whole
 * value (largest remainders first) and fixes them; cells outside any
 * aggregate are rounded to the nearest. Keeps the result when the LP stays
 * feasible, and returns true then; otherwise restores Q. */
static bool round_cells(struct lp *lp, glp_prob *Q, char *fixed, int *rstat, int *cstat)
{
	const struct model *mo = lp->mo;
	double *val = malloc((size_t)mo->ncells * sizeof(double));
	char *done = calloc((size_t)mo->ncells + 1, 1);
	glp_smcp sp;
	bool ok = false;

	if (!val || !done)
		goto out;
	basis_save(Q, rstat, cstat);
	for (int i = 0; i < mo->ncells; i++)
		val[i] = glp_get_col_prim(Q, mo->cells[i].col + 1);
	for (int a = 0; a < mo->naggs; a++) {
		const struct magg *ag = &mo->aggs[a];
		long total = lround(glp_get_col_prim(Q, ag->col + 1)), sum = 0;

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
	for (int i = 0; i < mo->ncells; i++) {
		double r = done[i] ? floor(val[i] + 1e-9) : floor(val[i] + 0.5);

		glp_set_col_bnds(Q, mo->cells[i].col + 1, GLP_FX, r, r);
	}
	glp_init_smcp(&sp);
	sp.msg_lev = GLP_MSG_OFF;
	sp.meth = GLP_DUALP;
	sp.it_lim = 2000;
	if (glp_simplex(Q, &sp) == 0 && glp_get_status(Q) == GLP_OPT) {
		for (int i = 0; i < mo->ncells; i++)
			fixed[mo->cells[i].col] = 1;
		ok = true;
	} else {
		for (int i = 0; i < mo->ncells; i++) {
			int j = mo->cells[i].col + 1;

			glp_set_col_bnds(Q, j, glp_get_col_type(lp->P, j), glp_get_col_lb(lp->P, j),
					 glp_get_col_ub(lp->P, j));
		}
		basis_restore(Q, rstat, cstat);
		sp.it_lim = INT_MAX;
		glp_simplex(Q, &sp);
	}
out:
	free(val);
	free(done);
	return ok;
}

struct node_cap {
	int nodes;
	double until;
};

static void node_cap_callback(glp_tree *tree, void *info)
{
	const struct node_cap *cap = info;
	int nodes = 0;

	glp_ios_tree_size(tree, NULL, NULL, &nodes);
	if (nodes > cap->nodes || out_of_time(cap->until))
		glp_ios_terminate(tree);
}

/* Solves the MIP Q as it stands (most sessions fixed) depth first, within
 * half a percent, for at most `nodes` nodes each time, adding the lazy
 * rows its answer breaks (in_q: those Q has) and solving again; true with
 * a point in out that breaks none. */
static bool people_mip(struct lp *lp, glp_prob *Q, char *in_q, int nodes, double *out)
{
	glp_iocp ip;
	struct node_cap cap = { .nodes = nodes, .until = lp->until };
	int n = glp_get_num_cols(Q);

	for (int round = 0; round < 4; round++) {
		glp_init_iocp(&ip);
		ip.msg_lev = GLP_MSG_OFF;
		ip.presolve = GLP_ON;
		ip.br_tech = GLP_BR_FFV;
		ip.bt_tech = GLP_BT_DFS;
		ip.mip_gap = 0.005;
		ip.cb_func = node_cap_callback;
		ip.cb_info = &cap;
		glp_intopt(Q, &ip);
		if (glp_mip_status(Q) != GLP_OPT && glp_mip_status(Q) != GLP_FEAS)
			return false;
		for (int j = 0; j < n; j++)
			out[j] = glp_mip_col_val(Q, j + 1);
		if (add_broken_rows(lp, Q, out, in_q) == 0)
			return true;
	}
	return false;
}

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

static void restore_bounds(struct lp *lp, glp_prob *Q, int j)
{
	glp_set_col_bnds(Q, j + 1, glp_get_col_type(lp->P, j + 1), glp_get_col_lb(lp->P, j + 1),
			 glp_get_col_ub(lp->P, j + 1));
}

/* Diving: on a copy of the problem, fixes the session columns to a
 * rounding of their LP value, the aggregates first, a quarter of the
 * fractional ones at a time (nearest to whole first), one alone when a
 * batch leaves the LP infeasible, re-solving the LP each time. With the
 * aggregates whole, a small MIP may place the rest; otherwise the cells
 * are rounded too and the MIP gives whole people. keep_extra first fixes
 * the incumbent's extra sessions. Writes an integer point (or, failing
 * the last MIP, the last LP point) into out. */
static bool dive(struct lp *lp, bool keep_extra, double *out)
{
	const struct model *mo = lp->mo;
	glp_prob *Q = glp_create_prob();
	glp_smcp sp;
	int ranges[2][2] = { { mo->ncells + mo->nvisits, mo->nint }, { 0, mo->ncells } };
	bool ok = false;
	char *fixed = calloc((size_t)mo->ncols + 1, 1);
	struct frac_col *frac = calloc((size_t)mo->ncols + 1, sizeof(*frac));
	int *rstat = NULL, *cstat = calloc((size_t)mo->ncols + 2, sizeof(int));
	char *in_q = malloc((size_t)mo->nrows + 1);
	int nlp = 0, nfail = 0;
	double t_start = now_seconds();

	glp_copy_prob(Q, lp->P, GLP_OFF);
	rstat = calloc((size_t)glp_get_num_rows(Q) + (size_t)mo->nrows + 2, sizeof(int));
	if (!fixed || !frac || !rstat || !cstat || !in_q)
		goto out;
	memcpy(in_q, lp->in_p, (size_t)mo->nrows);
	glp_init_smcp(&sp);
	sp.msg_lev = GLP_MSG_OFF;
	for (int i = 0; keep_extra && i < mo->ncells; i++)
		if (slot_kind_is_extra(mo->cells[i].kind)) {
			int j = mo->cells[i].col;

			glp_set_col_bnds(Q, j + 1, GLP_FX, lp->x[j], lp->x[j]);
			fixed[j] = 1;
		}
	for (int a = 0; keep_extra && a < mo->naggs; a++)
		if (slot_kind_is_extra(mo->aggs[a].kind)) {
			int j = mo->aggs[a].col;

			glp_set_col_bnds(Q, j + 1, GLP_FX, lp->x[j], lp->x[j]);
			fixed[j] = 1;
		}
	if (glp_simplex(Q, &sp) != 0 || glp_get_status(Q) != GLP_OPT) {
		glp_adv_basis(Q, 0);
		if (glp_simplex(Q, &sp) != 0 || glp_get_status(Q) != GLP_OPT)
			goto out;
	}
	/* Fixing a column keeps the basis dual feasible; a fix that needs
	 * many pivots is treated as a dead end. */
	sp.meth = GLP_DUALP;
	sp.it_lim = 200;
	for (int cls = 0; cls < 2; cls++) {
		if (cls == 1) {
			/* The LP point with whole aggregates, and the lazy rows it
			 * breaks. */
			for (int round = 0; round < 5; round++) {
				for (int j = 0; j < mo->ncols; j++)
					out[j] = glp_get_col_prim(Q, j + 1);
				if (add_broken_rows(lp, Q, out, in_q) == 0)
					break;
				nlp++;
				if (glp_simplex(Q, &sp) != 0 || glp_get_status(Q) != GLP_OPT)
					goto out;
			}
			if (people_mip(lp, Q, in_q, PEOPLE_NODES, out)) {
				ok = true;
				goto out;
			}
			if (mo->naggs > 0 && round_cells(lp, Q, fixed, rstat, cstat))
				nlp++;
		}
		for (;;) {
			int nfrac = 0, batch, best;
			double v, r;

			if (nlp >= DIVE_LPS || out_of_time(lp->until))
				goto out;
			for (int j = ranges[cls][0]; j < ranges[cls][1]; j++) {
				if (fixed[j])
					continue;
				v = glp_get_col_prim(Q, j + 1);
				r = floor(v + 0.5);
				if (fabs(v - r) < 1e-6) {
					glp_set_col_bnds(Q, j + 1, GLP_FX, r, r);
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
			batch = nfrac / (4 << (nfail < 4 ? nfail : 4));
			if (batch > 1) {
				basis_save(Q, rstat, cstat);
				for (int k = 0; k < batch; k++) {
					int j = frac[k].col;

					r = floor(glp_get_col_prim(Q, j + 1) + 0.5);
					glp_set_col_bnds(Q, j + 1, GLP_FX, r, r);
					fixed[j] = 1;
				}
				nlp++;
				if (glp_simplex(Q, &sp) == 0 && glp_get_status(Q) == GLP_OPT)
					continue;
				for (int k = 0; k < batch; k++) {
					restore_bounds(lp, Q, frac[k].col);
					fixed[frac[k].col] = 0;
				}
				basis_restore(Q, rstat, cstat);
				nlp++;
				if (glp_simplex(Q, &sp) != 0 || glp_get_status(Q) != GLP_OPT)
					goto out;
				nfail++;
			}
			best = frac[0].col;
			v = glp_get_col_prim(Q, best + 1);
			r = floor(v + 0.5);
			basis_save(Q, rstat, cstat);
			glp_set_col_bnds(Q, best + 1, GLP_FX, r, r);
			fixed[best] = 1;
			nlp++;
			if (glp_simplex(Q, &sp) == 0 && glp_get_status(Q) == GLP_OPT)
				continue;
			r = r > v ? floor(v) : ceil(v);
			glp_set_col_bnds(Q, best + 1, GLP_FX, r, r);
			basis_restore(Q, rstat, cstat);
			nlp++;
			if (glp_simplex(Q, &sp) == 0 && glp_get_status(Q) == GLP_OPT)
				continue;
			/* Neither way: leave it to the MIP below. */
			restore_bounds(lp, Q, best);
			basis_restore(Q, rstat, cstat);
			nlp++;
			if (glp_simplex(Q, &sp) != 0 || glp_get_status(Q) != GLP_OPT)
				goto out;
		}
	}
	for (int j = 0; j < mo->ncols; j++)
		out[j] = glp_get_col_prim(Q, j + 1);
	ok = true;
	/* Whole people for these sessions. */
	people_mip(lp, Q, in_q, PEOPLE_NODES, out);
out:
	if (debug_on())
		fprintf(stderr, "dive%s: %s after %d LP solves, %.2f s\n", keep_extra ? " (extra kept)" : "",
			ok ? "a point" : "nothing", nlp, now_seconds() - t_start);
	free(fixed);
	free(frac);
	free(rstat);
	free(cstat);
	free(in_q);
	glp_delete_prob(Q);
	return ok;
}

/* RINS (relaxation induced neighbourhood search, Danna, Rothberg and Le
 * Pape 2005): the session columns on which the LP optimum of level i (in
 * lp->P, just solved) and the incumbent agree are fixed, a row asks for
 * a better value than the incumbent's, and the small MIP that is left
 * (the other sessions and every people column) is searched depth first
 * for at most RINS_NODES nodes. True with a point in out. */
static bool rins(struct lp *lp, int i, double *out)
{
	const struct model *mo = lp->mo;
	const double *o = mo->obj + (size_t)i * (size_t)mo->ncols;
	glp_prob *Q;
	char *in_q = malloc((size_t)mo->nrows + 1);
	int *ind = malloc(((size_t)mo->ncols + 1) * sizeof(int));
	double *val = malloc(((size_t)mo->ncols + 1) * sizeof(double));
	double inc = model_value(mo, i, lp->x);
	int nfree = 0, nz = 0, r;
	bool ok = false;

	if (!in_q || !ind || !val) {
		free(in_q);
		free(ind);
		free(val);
		return false;
	}
	Q = glp_create_prob();
	glp_copy_prob(Q, lp->P, GLP_OFF);
	memcpy(in_q, lp->in_p, (size_t)mo->nrows);
	for (int j = 0; j < mo->nint; j++) {
		double xl;

		if (j >= mo->ncells && j < mo->ncells + mo->nvisits)
			continue; /* people stay free */
		xl = glp_get_col_prim(lp->P, j + 1);
		if (fabs(xl - lp->x[j]) < 1e-6)
			glp_set_col_bnds(Q, j + 1, GLP_FX, lp->x[j], lp->x[j]);
		else
			nfree++;
	}
	if (nfree == 0)
		goto out;
	for (int j = 0; j < mo->ncols; j++)
		if (o[j] != 0.0) {
			nz++;
			ind[nz] = j + 1;
			val[nz] = o[j];
		}
	r = glp_add_rows(Q, 1);
	if (lp->maximise)
		glp_set_row_bnds(Q, r, GLP_LO, inc + 1.0 - mo->obj_const[i], 0.0);
	else
		glp_set_row_bnds(Q, r, GLP_UP, 0.0, inc - 1.0 - mo->obj_const[i]);
	glp_set_mat_row(Q, r, nz, ind, val);
	ok = people_mip(lp, Q, in_q, RINS_NODES, out);
out:
	if (debug_on())
		fprintf(stderr, "%s %s: rins with %d session columns free: %s\n", lp->model_name,
			lp->level_name, nfree, ok ? "a point" : "nothing");
	glp_delete_prob(Q);
	free(in_q);
	free(ind);
	free(val);
	return ok;
}

/* Turns a point with whole sessions into a plan: people made whole,
 * dated, the rest served by the greedy. When the plan keeps every held
 * level and improves level i, its point becomes the incumbent. */
static int repair_point(struct lp *lp, int i, double *xf, bool *improved)
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
	if (model_round_people(mo, xf) || model_disaggregate(mo, xf, &w) || greedy_fill(m, &w))
		goto out;
	wplan_levels(m, &w, v);
	for (int j = 0; j < i && j < MAX_LEVELS; j++) {
		char name[48];
		bool maximise = lv_describe(lp->run->c, j, name, sizeof(name));

		if (lp->fixed_set[j] &&
		    (maximise ? v[j] < lp->fixed_value[j] - 0.5 : v[j] > lp->fixed_value[j] + 0.5))
			goto done;
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
done:
	rc = ROTA_OK;
out:
	wplan_release(&w);
	free(v);
	return rc;
}

/* Optimises level i with the earlier levels held; x stays the best point.
 * search: dive and branch when the LP bound is not reached. Sets *value
 * and *bound. Returns 0 or ROTA_ENOMEM. */
static int solve_level(struct lp *lp, int i, bool search, double *value, double *bound)
{
	const struct model *mo = lp->mo;
	const double *o = mo->obj + (size_t)i * (size_t)mo->ncols;
	glp_smcp sp;
	double lpval, lpbound, inc, t_stage;
	int ret;

	lp->maximise = lv_describe(lp->run->c, i, lp->level_name, sizeof(lp->level_name));
	lp->level = i;
	glp_set_obj_dir(lp->P, lp->maximise ? GLP_MAX : GLP_MIN);
	glp_set_obj_coef(lp->P, 0, mo->obj_const[i]);
	for (int j = 0; j < mo->ncols; j++)
		glp_set_obj_coef(lp->P, j + 1, o[j]);
	inc = model_value(mo, i, lp->x);
	write_mps(lp);

	glp_init_smcp(&sp);
	sp.msg_lev = GLP_MSG_OFF;
	t_stage = now_seconds();
	ret = simplex_with_cuts(lp, &sp);
	if (ret != 0 || glp_get_status(lp->P) != GLP_OPT) {
		glp_std_basis(lp->P);
		ret = simplex_with_cuts(lp, &sp);
	}
	if (ret != 0 || glp_get_status(lp->P) != GLP_OPT) {
		/* The incumbent is feasible, so the LP is too; a numerical
		 * failure leaves the level where it is, with no bound. */
		*value = inc;
		*bound = lp->maximise ? HUGE_VAL : -HUGE_VAL;
		fix_level(lp, i, inc, lp->maximise);
		return ROTA_OK;
	}
	lpval = glp_get_obj_val(lp->P);
	lpbound = round_bound(lpval, lp->maximise);
	if (debug_on())
		fprintf(stderr, "%s %s: lp %.2f (%d it, %.2f s), incumbent %.0f, %.2f s\n",
			lp->model_name, lp->level_name, lpval, glp_get_it_cnt(lp->P),
			now_seconds() - t_stage, inc, now_seconds() - lp->run->t0);
	if (search && !reaches(inc, lpbound, lp->maximise)) {
		double *xd = malloc((size_t)mo->ncols * sizeof(double));

		if (!xd)
			return ROTA_ENOMEM;
		/* First with the incumbent's extra sessions kept (they carry the
		 * groups that only come then), then free; on the extra-sessions
		 * level itself, keeping them would leave nothing to improve. */
		int keep0 = i == lv_extra(lp->run->c->nlevels) ? 0 : 1;

		for (int keep = keep0; keep >= 0 && !reaches(inc, lpbound, lp->maximise); keep--) {
			bool better = false;

			if (out_of_time(lp->until))
				break;
			/* Within a percent after the first dive is good enough
			 * for a second one not to pay. */
			if (keep == 0 && fabs(inc - lpbound) <= 0.01 * fmax(fabs(inc), 1.0))
				break;
			if (dive(lp, keep, xd)) {
				if (repair_point(lp, i, xd, &better)) {
					free(xd);
					return ROTA_ENOMEM;
				}
				if (better)
					inc = model_value(mo, i, lp->x);
				if (debug_on())
					fprintf(stderr, "%s %s: after the dive %.0f\n", lp->model_name,
						lp->level_name, inc);
			}
		}
		/* Then the neighbourhood of the incumbent and the LP optimum,
		 * again from each better incumbent (a new neighbourhood). */
		for (int round = 0; round < RINS_ROUNDS && !reaches(inc, lpbound, lp->maximise) &&
				    !out_of_time(lp->until) && rins(lp, i, xd);
		     round++) {
			bool better = false;

			if (repair_point(lp, i, xd, &better)) {
				free(xd);
				return ROTA_ENOMEM;
			}
			if (debug_on())
				fprintf(stderr, "%s %s: after rins %.0f\n", lp->model_name,
					lp->level_name, model_value(mo, i, lp->x));
			if (!better)
				break;
			inc = model_value(mo, i, lp->x);
		}
		free(xd);
	}
	/* Branch and bound: with a time limit while there is time; without,
	 * a few nodes, and only when the dives left more than a percent. */
	if (search && !reaches(inc, lpbound, lp->maximise) && !out_of_time(lp->until) &&
	    (lp->until > 0 || fabs(inc - lpbound) > 0.01 * fmax(fabs(inc), 1.0))) {
		glp_iocp ip;

		glp_init_iocp(&ip);
		ip.msg_lev = GLP_MSG_OFF;
		ip.presolve = GLP_OFF; /* the incumbent is given in the problem's own columns */
		ip.cb_func = mip_callback;
		ip.cb_info = lp;
		ip.gmi_cuts = GLP_OFF;
		ip.mir_cuts = GLP_OFF;
		ip.cov_cuts = GLP_ON;
		ip.clq_cuts = GLP_ON;
		ip.mip_gap = lp->run->o->gap;
		memcpy(lp->x1 + 1, lp->x, (size_t)mo->ncols * sizeof(double));
		lp->bound = lpval;
		lp->heur_given = false;
		lp->started = now_seconds();
		ret = glp_intopt(lp->P, &ip);
		if (glp_mip_status(lp->P) == GLP_OPT || glp_mip_status(lp->P) == GLP_FEAS) {
			double v = glp_mip_obj_val(lp->P);

			if (lp->maximise ? v > inc + 0.5 : v < inc - 0.5) {
				double *xb = malloc((size_t)mo->ncols * sizeof(double));

				if (xb) {
					for (int j = 0; j < mo->ncols; j++) {
						xb[j] = glp_mip_col_val(lp->P, j + 1);
						if (j < mo->nint)
							xb[j] = floor(xb[j] + 0.5);
					}
					/* A point that breaks a lazy row may not pack into
					 * whole sessions: keep the rows, not the point. */
					if (add_broken_rows(lp, lp->P, xb, lp->in_p) == 0) {
						memcpy(lp->x, xb, (size_t)mo->ncols * sizeof(double));
						inc = model_value(mo, i, lp->x);
					}
				}
				free(xb);
			}
			if (ret == 0 && glp_mip_status(lp->P) == GLP_OPT)
				lp->bound = v;
		}
		lpbound = round_bound(lp->bound, lp->maximise);
		if (debug_on())
			fprintf(stderr, "%s %s: branch and bound to %.0f (bound %.2f) in %.2f s, %.2f s\n",
				lp->model_name, lp->level_name, inc, lp->bound,
				now_seconds() - lp->started, now_seconds() - lp->run->t0);
	}
	/* In the fine model the incumbent's value is itself a relaxation
	 * (ranks), so it too is rounded before it caps the bound. */
	if (lp->maximise ? lpbound < inc : lpbound > inc)
		lpbound = round_bound(inc, lp->maximise);
	*value = inc;
	*bound = lpbound;
	fix_level(lp, i, inc, lp->maximise);
	return ROTA_OK;
}

static _Thread_local jmp_buf *glpk_jump;

static void on_glpk_error(void *info)
{
	(void)info;
	longjmp(*glpk_jump, 1);
}

static int glpk_silent(void *info, const char *s)
{
	(void)info;
	(void)s;
	return 1;
}

/* Solves levels [first, last] of model mo starting from the feasible
 * point x (improved in place), the levels before `nfixed` held at
 * fixed_values. search: see solve_level. Returns 0, ROTA_ENOMEM or
 * ROTA_ESOLVER (GLPK stopped on an error). */
static int solve_levels(struct solve_run *run, size_t part, const struct model *mo,
			const char *model_name, double *x, const double *fixed_values,
			int nfixed, int first, int last, bool search, double until,
			double *value, double *bound, bool *reached)
{
	struct lp lp;
	jmp_buf jump;
	int rc = ROTA_OK;

	memset(&lp, 0, sizeof(lp));
	lp.run = run;
	lp.part = part;
	lp.mo = mo;
	lp.model_name = model_name;
	lp.x = x;
	lp.until = until;
	lp.node_cap = run->deadline > 0 ? INT_MAX : SEARCH_NODES;
	lp.x1 = malloc(((size_t)mo->ncols + 1) * sizeof(double));
	if (!lp.x1)
		return ROTA_ENOMEM;
	glpk_jump = &jump;
	if (setjmp(jump)) {
		glp_free_env();
		free(lp.x1);
		free(lp.row_start);
		free(lp.row_col);
		free(lp.row_val);
		free(lp.in_p);
		return ROTA_ESOLVER;
	}
	glp_error_hook(on_glpk_error, NULL);
	glp_term_hook(glpk_silent, NULL);
	glp_term_out(GLP_OFF);
	if (debug_on())
		fprintf(stderr, "%s: %d periods %d cells %d visits, %d columns %d rows %zu entries\n",
			model_name, mo->nperiods, mo->ncells, mo->nvisits, mo->ncols, mo->nrows, mo->nents);
	rc = lp_load(&lp);
	for (int i = 0; i < nfixed && !rc; i++) {
		bool maximise = lv_describe(run->c, i, lp.level_name, sizeof(lp.level_name));

		fix_level(&lp, i, fixed_values[i], maximise);
	}
	for (int i = first; i <= last && i < mo->nlv && !rc; i++) {
		double part_until = lp.until;

		if (out_of_time(part_until))
			break;
		/* Under a time limit each level gets an equal share of what is
		 * left, so that a long search on one level does not leave the
		 * later ones unsolved; time a level does not use passes on. */
		if (part_until > 0)
			lp.until = now_seconds() + (part_until - now_seconds()) / (double)(last - i + 1);
		rc = solve_level(&lp, i, search, &value[i], &bound[i]);
		lp.until = part_until;
		if (!rc)
			reached[i] = true;
	}
	if (lp.P)
		glp_delete_prob(lp.P);
	glp_error_hook(NULL, NULL);
	free(lp.x1);
	free(lp.row_start);
	free(lp.row_col);
	free(lp.row_val);
	free(lp.in_p);
	return rc;
}

/* ---------------------------------------------------------------- parts */

/* Lexicographic comparison of two level vectors: < 0 when a is better. */
static int levels_cmp(const struct campaign *c, const double *a, const double *b)
{
	char name[48];

	for (int i = 0; i < lv_count(c->nlevels); i++) {
		bool maximise = lv_describe(c, i, name, sizeof(name));

		if (fabs(a[i] - b[i]) > 0.5)
			return (maximise ? a[i] > b[i] : a[i] < b[i]) ? -1 : 1;
	}
	return 0;
}

/* Turns the point x of model mo into a dated plan (disaggregated, the
 * rest served by the greedy, re-dated) and makes it the part's plan when
 * its levels are lexicographically better; *adopted says whether. */
static int adopt_point(const struct campaign *c, const struct mcomp *m, const struct model *mo,
		       const double *x, struct part_result *res, bool *adopted)
{
	int nlv = lv_count(c->nlevels);
	struct wplan w = { 0 };
	double *v = xcalloc_array((size_t)nlv, sizeof(double));
	int rc = v ? ROTA_OK : ROTA_ENOMEM;

	*adopted = false;
	if (!rc)
		rc = model_disaggregate(mo, x, &w);
	if (!rc)
		rc = greedy_fill(m, &w);
	if (!rc)
		rc = wplan_improve_dates(m, &w);
	if (!rc) {
		wplan_levels(m, &w, v);
		if (levels_cmp(c, v, res->value) < 0) {
			wplan_release(&res->plan);
			res->plan = w;
			memcpy(res->value, v, (size_t)nlv * sizeof(double));
			memset(&w, 0, sizeof(w));
			*adopted = true;
		}
	}
	wplan_release(&w);
	free(v);
	return rc;
}

static int solve_part(struct solve_run *run, size_t pi)
{
	const struct mcomp *m = &run->parts[pi];
	const struct campaign *c = run->c;
	struct part_result *res = &run->results[pi];
	int nlv = lv_count(c->nlevels), L = c->nlevels;
	struct model coarse = { 0 }, fine = { 0 };
	double *x = NULL, *v1 = NULL, *v2 = NULL;
	double t_part = now_seconds(), until;
	int rc, horizon;
	bool adopted;

	v1 = xcalloc_array((size_t)nlv, sizeof(double));
	v2 = xcalloc_array((size_t)nlv, sizeof(double));
	if (!v1 || !v2) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	/* Bounds that hold before any solve: everyone, and nothing more
	 * than the fixed sessions. */
	for (int i = 0; i < nlv; i++)
		res->bound[i] = 0.0;
	for (size_t r = 0; r < m->nrows; r++) {
		res->bound[lv_deadline(m->rows[r].level)] += m->rows[r].count;
		res->bound[lv_served(L, m->rows[r].level)] += m->rows[r].count;
	}
	/* A plan at once: the fixed sessions and the greedy. */
	rc = wplan_place_fixed(m, &res->plan);
	if (!rc)
		rc = greedy_fill(m, &res->plan);
	if (rc)
		goto out;
	wplan_levels(m, &res->plan, res->value);
	{
		/* The fixed sessions alone are a lower bound on levels 3-4. */
		struct wplan fixed_only = { 0 };

		if (wplan_place_fixed(m, &fixed_only)) {
			rc = ROTA_ENOMEM;
			goto out;
		}
		wplan_levels(m, &fixed_only, v1);
		res->bound[lv_extra(L)] = v1[lv_extra(L)];
		res->bound[lv_minutes(L)] = v1[lv_minutes(L)];
		wplan_release(&fixed_only);
	}
	/* A level the greedy's plan already takes to its trivial bound is
	 * solved, whatever the clock leaves for the models (everyone invited
	 * by their deadline, say). */
	for (int i = 0; i < nlv; i++)
		if (res->value[i] == res->bound[i])
			res->reached[i] = true;
	if (m->nrows == 0) {
		for (int i = 0; i < nlv; i++) {
			res->bound[i] = res->value[i];
			res->reached[i] = true;
		}
		goto out;
	}

	/* Levels 1-4 on the coarse model. */
	rc = model_build(&coarse, m, false, 0);
	if (rc)
		goto out;
	x = xcalloc_array((size_t)coarse.ncols, sizeof(double));
	if (!x) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	model_point(&coarse, &res->plan, x);
	/* With a time limit, a fifth of the part's time is kept for the rest. */
	until = run->part_deadline[pi];
	if (until > 0)
		until -= 0.2 * (until - now_seconds());
	rc = solve_levels(run, pi, &coarse, "coarse", x, NULL, 0, 0, lv_minutes(L), true, until,
			  v1, res->bound, res->reached);
	if (rc)
		goto out;
	rc = adopt_point(c, m, &coarse, x, res, &adopted);
	if (rc)
		goto out;
	if (!adopted) {
		rc = wplan_improve_dates(m, &res->plan);
		if (rc)
			goto out;
		wplan_levels(m, &res->plan, res->value);
	}
	free(x);
	x = NULL;

	/* The bound on earliness: the LP of the fine model, the other levels
	 * held at the plan's values. */
	horizon = c->start;
	for (size_t k = 0; k < res->plan.n; k++)
		if (res->plan.s[k].nvisits > 0 && res->plan.s[k].date > horizon)
			horizon = res->plan.s[k].date;
	rc = model_build(&fine, m, true, horizon);
	if (rc)
		goto out;
	x = xcalloc_array((size_t)fine.ncols, sizeof(double));
	if (!x) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	model_point(&fine, &res->plan, x);
	/* A small fine model is searched too (dive, then branch and bound
	 * from the plan); a large one gives its LP bound only. */
	rc = solve_levels(run, pi, &fine, "fine", x, res->value, lv_early(L), lv_early(L),
			  lv_early(L), fine.ncols <= FINE_SEARCH_COLS, run->part_deadline[pi], v2,
			  res->bound, res->reached);
	if (rc)
		goto out;
	if (v2[lv_early(L)] < res->value[lv_early(L)] - 0.5) {
		rc = adopt_point(c, m, &fine, x, res, &adopted);
		if (rc)
			goto out;
	}
	if (res->bound[lv_early(L)] > res->value[lv_early(L)])
		res->bound[lv_early(L)] = res->value[lv_early(L)];
out:
	if (debug_on())
		fprintf(stderr, "part %zu: %zu teams %zu sites %zu rows: %.2f s; extra %.0f/%.0f "
			"minutes %.0f/%.0f earliness %.0f/%.0f\n",
			pi + 1, m->nteams, m->nsites, m->nrows, now_seconds() - t_part,
			res->value[lv_extra(L)], res->bound[lv_extra(L)], res->value[lv_minutes(L)],
			res->bound[lv_minutes(L)], res->value[lv_early(L)], res->bound[lv_early(L)]);
	if (rc == ROTA_ESOLVER)
		snprintf(res->message, sizeof(res->message), "GLPK failed on part %zu", pi + 1);
	model_release(&coarse);
	model_release(&fine);
	free(x);
	free(v1);
	free(v2);
	res->rc = rc;
	return rc;
}

/* Threads take the parts largest first (by mcomp.weight, the size that
 * also shares out a time limit), so that a large part does not start last
 * and keep one thread busy alone. The plans do not depend on the order
 * (parts are independent until resolve_shared, which takes them by
 * index). */
struct part_key {
	double weight;
	size_t index;
};

static int part_key_cmp(const void *pa, const void *pb)
{
	const struct part_key *a = pa, *b = pb;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Fills run->order; returns false when out of memory. */
static bool order_parts(struct solve_run *run)
{
	struct part_key *keys = xcalloc_array(run->nparts, sizeof(*keys));

	run->order = xcalloc_array(run->nparts, sizeof(size_t));
	if (!keys || !run->order) {
		free(keys);
		return false;
	}
	for (size_t i = 0; i < run->nparts; i++)
		keys[i] = (struct part_key){ run->parts[i].weight, i };
	qsort(keys, run->nparts, sizeof(*keys), part_key_cmp);
	for (size_t i = 0; i < run->nparts; i++)
		run->order[i] = keys[i].index;
	free(keys);
	return true;
}

static void *worker(void *arg)
{
	struct solve_run *run = arg;

	for (;;) {
		size_t pi, k0;

		pthread_mutex_lock(&run->lock);
		k0 = run->next_part++;
		pi = k0 < run->nparts ? run->order[k0] : run->nparts;
		if (pi < run->nparts && run->deadline > 0) {
			/* Its share of the time left, in proportion to its size
			 * among the parts not yet started; the threads overlap. */
			double w = run->parts[pi].weight + 1.0, left = 0.0;
			double t = now_seconds();

			for (size_t k = k0; k < run->nparts; k++)
				left += run->parts[run->order[k]].weight + 1.0;
			run->part_deadline[pi] =
				t + fmax(0.0, run->deadline - t) * fmin(1.0, w / left * run->nthreads);
		}
		pthread_mutex_unlock(&run->lock);
		if (pi >= run->nparts)
			break;
		solve_part(run, pi);
	}
	glp_free_env();
	return NULL;
}

/* Shared teams: after each part was planned as if it had them to itself,
 * parts are taken in order and a part whose plan uses a date that an
 * earlier part took (or a week's extra room) is planned again without it.
 * The bounds stay those of the first, relaxed, pass. */
static int resolve_shared(struct solve_run *run)
{
	const struct campaign *c = run->c;
	int nlv = lv_count(c->nlevels);
	unsigned char *taken = NULL;  /* [nteams * ndays]: kinds taken by earlier parts */
	int *extra = NULL;            /* [nteams * nweeks]: their extra sessions */
	int week0, nweeks, rc = ROTA_OK;
	bool any_shared = false;

	for (size_t p = 0; p < run->nparts; p++)
		for (size_t t = 0; t < run->parts[p].nteams; t++)
			any_shared = any_shared || run->parts[p].shared[t];
	if (!any_shared || run->nparts < 2)
		return ROTA_OK;
	week0 = run->parts[0].week0;
	nweeks = run->parts[0].nweeks;
	taken = xcalloc_array(c->nteams * (size_t)c->ndays, 1);
	extra = xcalloc_array(c->nteams * (size_t)nweeks, sizeof(int));
	if (!taken || !extra) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	for (size_t p = 0; p < run->nparts; p++) {
		struct mcomp *m = &run->parts[p];
		struct part_result *res = &run->results[p];
		bool conflict = false;

		for (int pass = 0; pass < 2; pass++) {
			int *mine = xcalloc_array(m->nteams * (size_t)nweeks, sizeof(int));

			if (!mine) {
				rc = ROTA_ENOMEM;
				goto out;
			}
			conflict = false;
			for (size_t i = 0; i < res->plan.n; i++) {
				const struct wsession *s = &res->plan.s[i];
				size_t t = m->teams[s->team];
				int w = (date_week_monday(s->date) - week0) / 7;

				if (!m->shared[s->team] || s->fixed)
					continue;
				if (taken[t * (size_t)c->ndays + (size_t)(s->date - c->start)] & SLOT_BIT(s->kind))
					conflict = true;
				if (slot_kind_is_extra(s->kind))
					mine[s->team * (size_t)nweeks + (size_t)w]++;
			}
			for (size_t lt = 0; lt < m->nteams; lt++)
				for (int w = 0; w < nweeks; w++)
					if (m->shared[lt] && mine[lt * (size_t)nweeks + (size_t)w] > 0 &&
					    mine[lt * (size_t)nweeks + (size_t)w] +
							    m->extra_used[lt * (size_t)nweeks + (size_t)w] +
							    extra[m->teams[lt] * (size_t)nweeks + (size_t)w] >
						    c->teams[m->teams[lt]].max_extra_per_week)
						conflict = true;
			free(mine);
			if (!conflict || pass == 1)
				break;
			/* Plan the part again with the earlier parts' dates taken. */
			{
				double *bound = xcalloc_array((size_t)nlv, sizeof(double));
				bool *reached = xcalloc_array((size_t)nlv, sizeof(bool));

				if (!bound || !reached) {
					free(bound);
					free(reached);
					rc = ROTA_ENOMEM;
					goto out;
				}
				memcpy(bound, res->bound, (size_t)nlv * sizeof(double));
				memcpy(reached, res->reached, (size_t)nlv * sizeof(bool));
				for (size_t lt = 0; lt < m->nteams; lt++) {
					size_t t = m->teams[lt];

					if (!m->shared[lt])
						continue;
					for (int d = 0; d < c->ndays; d++)
						m->blocked[lt * (size_t)c->ndays + (size_t)d] |=
							taken[t * (size_t)c->ndays + (size_t)d];
					for (int w = 0; w < nweeks; w++)
						m->extra_used[lt * (size_t)nweeks + (size_t)w] +=
							extra[t * (size_t)nweeks + (size_t)w];
				}
				wplan_release(&res->plan);
				run->part_deadline[p] = run->deadline;
				rc = solve_part(run, p);
				memcpy(res->bound, bound, (size_t)nlv * sizeof(double));
				memcpy(res->reached, reached, (size_t)nlv * sizeof(bool));
				free(bound);
				free(reached);
				if (rc)
					goto out;
			}
		}
		/* What this part now takes, for the parts after it. */
		for (size_t i = 0; i < res->plan.n; i++) {
			const struct wsession *s = &res->plan.s[i];
			size_t t = m->teams[s->team];

			if (!m->shared[s->team] || s->fixed)
				continue;
			taken[t * (size_t)c->ndays + (size_t)(s->date - c->start)] |=
				(unsigned char)SLOT_BIT(s->kind);
			if (slot_kind_is_extra(s->kind))
				extra[t * (size_t)nweeks + (size_t)((date_week_monday(s->date) - week0) / 7)]++;
		}
	}
out:
	free(taken);
	free(extra);
	return rc;
}

/* ----------------------------------------------------------------- plan */

static int emit_plan(struct plan *p, const struct mcomp *m, const struct wplan *w)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];
		struct plan_session *ps;

		if (!s->fixed && s->nvisits == 0)
			continue;
		ps = plan_add_session(p, m->teams[s->team], s->site, s->date, s->kind);
		if (!ps)
			return ROTA_ENOMEM;
		ps->fixed = s->fixed;
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct mrow *r = &m->rows[s->visits[j].row];

			if (s->visits[j].count > 0 &&
			    plan_add_visit(ps, r->unit, r->demand, s->visits[j].count))
				return ROTA_ENOMEM;
		}
	}
	return ROTA_OK;
}

static int fill_record(struct plan *p, struct solve_run *run, double seconds)
{
	const struct campaign *c = run->c;
	int nlv = lv_count(c->nlevels);
	struct plan_solver *sv = &p->solver;
	double worst = 0.0;

	sv->levels = xcalloc_array((size_t)nlv, sizeof(*sv->levels));
	if (!sv->levels)
		return ROTA_ENOMEM;
	sv->nlevels = (size_t)nlv;
	for (int i = 0; i < nlv; i++) {
		struct plan_level *lv = &sv->levels[i];
		bool reached = true;

		lv->maximise = lv_describe(c, i, lv->name, sizeof(lv->name));
		for (size_t k = 0; k < run->nparts; k++) {
			lv->value += run->results[k].value[i];
			lv->bound += run->results[k].bound[i];
			reached = reached && run->results[k].reached[i];
		}
		if (!reached || !isfinite(lv->bound)) {
			lv->gap = 1.0;
			if (!isfinite(lv->bound))
				lv->bound = lv->value;
		} else {
			lv->gap = fabs(lv->value - lv->bound) / fmax(fabs(lv->value), 1.0);
		}
		if (lv->gap > worst)
			worst = lv->gap;
	}
	sv->gap = worst;
	sv->status = worst <= 1e-9 ? PLAN_OPTIMAL : PLAN_FEASIBLE;
	sv->objective = sv->levels[nlv - 1].value;
	sv->bound = sv->levels[nlv - 1].bound;
	sv->seconds = seconds;
	return ROTA_OK;
}

int plan_solve(struct plan **out, const struct campaign *c, const struct solve_options *o,
	       struct rota_error *err)
{
	struct solve_options defaults;
	struct solve_run run;
	struct plan *p = NULL;
	int nlv = lv_count(c->nlevels);
	int rc = ROTA_ENOMEM;
	int nthreads, rc_parts = 0;
	bool error_set = false;

	*out = NULL;
	if (!o) {
		solve_options_init(&defaults);
		o = &defaults;
	}
	memset(&run, 0, sizeof(run));
	run.c = c;
	run.o = o;
	run.t0 = now_seconds();
	run.deadline = o->time_limit > 0 ? run.t0 + o->time_limit : 0;
	pthread_mutex_init(&run.lock, NULL);
	if (mcomp_build_all(c, &run.parts, &run.nparts))
		goto out;
	run.results = xcalloc_array(run.nparts, sizeof(*run.results));
	run.part_deadline = xcalloc_array(run.nparts, sizeof(double));
	if (!run.results || !run.part_deadline || !order_parts(&run))
		goto out;
	for (size_t i = 0; i < run.nparts; i++) {
		struct part_result *r = &run.results[i];

		r->value = xcalloc_array((size_t)nlv, sizeof(double));
		r->bound = xcalloc_array((size_t)nlv, sizeof(double));
		r->reached = xcalloc_array((size_t)nlv, sizeof(bool));
		if (!r->value || !r->bound || !r->reached)
			goto out;
	}
	nthreads = o->threads > 1 ? o->threads : 1;
	if (nthreads > (int)run.nparts)
		nthreads = run.nparts > 0 ? (int)run.nparts : 1;
	run.nthreads = nthreads;
	if (nthreads <= 1) {
		worker(&run);
	} else {
		pthread_t *tids = xcalloc_array((size_t)nthreads, sizeof(*tids));
		int started = 0;

		if (!tids)
			goto out;
		for (int t = 0; t < nthreads; t++)
			if (pthread_create(&tids[t], NULL, worker, &run) == 0)
				started++;
		if (started == 0)
			worker(&run);
		for (int t = 0; t < started; t++)
			pthread_join(tids[t], NULL);
		free(tids);
	}
	for (size_t i = 0; i < run.nparts && !rc_parts; i++)
		rc_parts = run.results[i].rc;
	if (!rc_parts && resolve_shared(&run)) {
		rota_error_set(err, ROTA_ENOMEM, "out of memory while planning");
		error_set = true;
		goto out;
	}
	if (run.printed)
		fputs("\r\033[K", stderr);
	for (size_t i = 0; i < run.nparts; i++)
		if (run.results[i].rc) {
			rc = run.results[i].rc;
			if (rc == ROTA_ESOLVER)
				rota_error_set(err, rc, "solver: %s", run.results[i].message);
			else
				rota_error_set(err, rc, "out of memory while planning");
			error_set = true;
			goto out;
		}
	p = plan_new(c);
	if (!p)
		goto out;
	for (size_t i = 0; i < run.nparts; i++)
		if (emit_plan(p, &run.parts[i], &run.results[i].plan))
			goto out;
	plan_sort(p);
	plan_assign_arrivals(p);
	if (fill_record(p, &run, now_seconds() - run.t0))
		goto out;
	*out = p;
	p = NULL;
	rc = ROTA_OK;
out:
	if (rc == ROTA_ENOMEM && !error_set)
		rota_error_set(err, rc, "out of memory while planning");
	plan_free(p);
	if (run.results)
		for (size_t i = 0; i < run.nparts; i++) {
			wplan_release(&run.results[i].plan);
			free(run.results[i].value);
			free(run.results[i].bound);
			free(run.results[i].reached);
		}
	free(run.results);
	free(run.part_deadline);
	free(run.order);
	mcomp_free_all(run.parts, run.nparts);
	pthread_mutex_destroy(&run.lock);
	return rc;
}
