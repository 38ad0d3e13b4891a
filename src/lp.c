/*
 * lp.c - GLPK behind the interface of lp.h; the only file that includes
 * glpk.h.
 *
 * GLPK reports a failure (out of memory, a broken invariant) by printing
 * its reason through the terminal hook, calling the error hook and then
 * abort() if the hook returns. Every function here that calls into GLPK
 * sets a jump point first (GUARD); the error hook jumps back to it, the
 * function frees GLPK's state of the thread (glp_free_env, the only way
 * on) and returns an error value, so that the callers free what they own
 * on their ordinary paths. Problems made before the failure are marked
 * dead by a per-thread generation count.
 */
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "packed.h"
#include "timebox.h"
#include "util.h"
#include "banned.h"

struct lp {
	glp_prob *P;
	unsigned generation;
	bool stalled;    /* the last lp_intopt ran into LP_STALL_SECONDS */
	int scaled_rows; /* rows when last scaled; -1: never */
};

struct lp_tree {
	glp_tree *T;
};

/* Per thread: GLPK's own state is per thread too. */
static _Thread_local jmp_buf *glpk_jump;      /* innermost GUARD, or NULL */
static _Thread_local unsigned glpk_generation;  /* bumped by every failure */
static _Thread_local int glpk_mem_mb;
static _Thread_local char glpk_said[256];      /* what GLPK printed before failing */
static _Thread_local size_t glpk_said_len;
static _Thread_local char glpk_last_error[256];

static void on_glpk_error(void *info)
{
	(void)info;
	if (glpk_jump)
		longjmp(*glpk_jump, 1);
	/* No jump point: GLPK aborts, as it would without a hook. */
}

/* GLPK prints only when failing (terminal output is off otherwise). */
static int on_glpk_text(void *info, const char *s)
{
	size_t n = strlen(s);

	(void)info;
	if (n > sizeof(glpk_said) - 1 - glpk_said_len)
		n = sizeof(glpk_said) - 1 - glpk_said_len;
	memcpy(glpk_said + glpk_said_len, s, n);
	glpk_said_len += n;
	glpk_said[glpk_said_len] = '\0';
	return 1;
}

static void guard_enter(void)
{
	glpk_said_len = 0;
	glpk_said[0] = '\0';
	glp_error_hook(on_glpk_error, NULL);
	glp_term_hook(on_glpk_text, NULL);
	glp_term_out(GLP_OFF);
	if (glpk_mem_mb > 0)
		glp_mem_limit(glpk_mem_mb);
}

/* After GLPK failed: everything of the thread goes, the reason stays. */
static int guard_fail(void)
{
	size_t n;
	int rc;

	glpk_jump = NULL;
	/* The first line is the reason; the second says where in GLPK. */
	n = strcspn(glpk_said, "\n");
	glpk_said[n] = '\0';
	rc = strstr(glpk_said, "memory") ? ROTA_ENOMEM : ROTA_ESOLVER;
	snprintf(glpk_last_error, sizeof(glpk_last_error), "%s",
		 glpk_said[0] ? glpk_said : "GLPK stopped on an error");
	glp_free_env();
	glpk_generation++;
	return rc;
}

/* Sets the jump point of the enclosing function; a dead problem fails at
 * once. setjmp is the whole controlling expression, as C11 requires. */
#define GUARD(p)                                                                   \
	jmp_buf jump_;                                                             \
	if ((p) && (p)->generation != glpk_generation)                             \
		return ROTA_ESOLVER;                                               \
	if (setjmp(jump_))                                                         \
		return guard_fail();                                               \
	glpk_jump = &jump_;                                                        \
	guard_enter()
#define UNGUARD() (glpk_jump = NULL)

const char *lp_last_error(void)
{
	return glpk_last_error;
}

void lp_clear_error(void)
{
	glpk_last_error[0] = '\0';
}

void lp_set_mem_limit(int mb)
{
	glpk_mem_mb = mb > 0 ? mb : 0;
}

/* A time limit (timebox.h) as GLPK's tm_lim: milliseconds, at least 1. */
static int glpk_ms(double seconds)
{
	return seconds < 1e-3 ? 1 : seconds > INT_MAX / 1000.0 ? INT_MAX : (int)(seconds * 1000.0);
}

/* Fails by a return from inside GUARD, so p must already be owned. */
static int create_into(struct lp *p, const char *name)
{
	GUARD((struct lp *)NULL);
	p->P = glp_create_prob();
	if (name)
		glp_set_prob_name(p->P, name);
	UNGUARD();
	return ROTA_OK;
}

int lp_new(struct lp **out, const char *name)
{
	struct lp *p = calloc(1, sizeof(*p));
	int rc;

	*out = NULL;
	if (!p)
		return ROTA_ENOMEM;
	rc = create_into(p, name);
	if (rc) {
		free(p);
		return rc;
	}
	p->generation = glpk_generation;
	p->scaled_rows = -1;
	*out = p;
	return ROTA_OK;
}

/* GLPK's copy of src into p; guard is the problem whose generation must
 * be the calling thread's (NULL: src belongs to another thread). */
static int copy_into(struct lp *p, const struct lp *src, const struct lp *guard)
{
	GUARD(guard);
	p->P = glp_create_prob();
	glp_copy_prob(p->P, src->P, GLP_OFF);
	UNGUARD();
	return ROTA_OK;
}

/* lp_copy and lp_copy_across: the copy is the calling thread's. */
static int copy_new(struct lp **out, const struct lp *src, const struct lp *guard)
{
	struct lp *p = calloc(1, sizeof(*p));
	int rc;

	*out = NULL;
	if (!p)
		return ROTA_ENOMEM;
	rc = copy_into(p, src, guard);
	if (rc) {
		free(p);
		return rc;
	}
	p->generation = glpk_generation;
	/* glp_copy_prob copies the scale factors too. */
	p->scaled_rows = src->scaled_rows;
	*out = p;
	return ROTA_OK;
}

int lp_copy(struct lp **out, const struct lp *src)
{
	return copy_new(out, src, src);
}

int lp_copy_across(struct lp **out, const struct lp *src)
{
	return copy_new(out, src, NULL);
}

void lp_free(struct lp *p)
{
	if (!p)
		return;
	if (p->P && p->generation == glpk_generation)
		glp_delete_prob(p->P);
	free(p);
}

void lp_thread_done(void)
{
	glp_free_env();
	glpk_generation++;
}

int lp_add_rows(struct lp *p, int n, int *first)
{
	int r;

	GUARD(p);
	r = glp_add_rows(p->P, n);
	UNGUARD();
	if (first)
		*first = r - 1;
	return ROTA_OK;
}

int lp_add_cols(struct lp *p, int n)
{
	GUARD(p);
	glp_add_cols(p->P, n);
	UNGUARD();
	return ROTA_OK;
}

/* The GLPK calls of lp_set_row and lp_load_matrix, on 1-based arrays: a
 * function with a jump point owns nothing that a failure would leak. */
static int lp_set_row1(struct lp *p, int row, int n, const int *ind1, const double *val1)
{
	GUARD(p);
	glp_set_mat_row(p->P, row + 1, n, ind1, val1);
	UNGUARD();
	return ROTA_OK;
}

static int lp_load_matrix1(struct lp *p, int n, const int *ia, const int *ja, const double *ar)
{
	GUARD(p);
	glp_load_matrix(p->P, n, ia, ja, ar);
	UNGUARD();
	return ROTA_OK;
}

int lp_set_row(struct lp *p, int row, int n, const int *ind, const double *val)
{
	int *ind1 = malloc(((size_t)n + 1) * sizeof(int));
	double *val1 = malloc(((size_t)n + 1) * sizeof(double));
	int rc;

	if (!ind1 || !val1) {
		free(ind1);
		free(val1);
		return ROTA_ENOMEM;
	}
	for (int k = 0; k < n; k++) {
		ind1[k + 1] = ind[k] + 1;
		val1[k + 1] = val[k];
	}
	rc = lp_set_row1(p, row, n, ind1, val1);
	free(ind1);
	free(val1);
	return rc;
}

static int glpk_type(enum lp_bound type)
{
	switch (type) {
	case LP_LOWER: return GLP_LO;
	case LP_UPPER: return GLP_UP;
	case LP_RANGE: return GLP_DB;
	default: return GLP_FX;
	}
}

int lp_set_row_bounds(struct lp *p, int row, enum lp_bound type, double lb, double ub)
{
	GUARD(p);
	glp_set_row_bnds(p->P, row + 1, glpk_type(type), lb, ub);
	UNGUARD();
	return ROTA_OK;
}

int lp_set_row_name(struct lp *p, int row, const char *name)
{
	GUARD(p);
	glp_set_row_name(p->P, row + 1, name);
	UNGUARD();
	return ROTA_OK;
}

int lp_set_col_bounds(struct lp *p, int col, enum lp_bound type, double lb, double ub)
{
	GUARD(p);
	glp_set_col_bnds(p->P, col + 1, glpk_type(type), lb, ub);
	UNGUARD();
	return ROTA_OK;
}

int lp_copy_col_bounds(struct lp *p, int col, const struct lp *from)
{
	if (from->generation != glpk_generation)
		return ROTA_ESOLVER;
	{
		GUARD(p);
		glp_set_col_bnds(p->P, col + 1, glp_get_col_type(from->P, col + 1),
				 glp_get_col_lb(from->P, col + 1), glp_get_col_ub(from->P, col + 1));
		UNGUARD();
	}
	return ROTA_OK;
}

int lp_set_col_integer(struct lp *p, int col, bool integer)
{
	GUARD(p);
	glp_set_col_kind(p->P, col + 1, integer ? GLP_IV : GLP_CV);
	UNGUARD();
	return ROTA_OK;
}

int lp_set_col_name(struct lp *p, int col, const char *name)
{
	GUARD(p);
	glp_set_col_name(p->P, col + 1, name);
	UNGUARD();
	return ROTA_OK;
}

int lp_load_matrix(struct lp *p, size_t n, const int *row, const int *col, const double *val)
{
	int *ia, *ja;
	double *ar;
	int rc = ROTA_ENOMEM;

	if (n > (size_t)INT_MAX - 1)
		return ROTA_ENOMEM;
	ia = malloc((n + 1) * sizeof(int));
	ja = malloc((n + 1) * sizeof(int));
	ar = malloc((n + 1) * sizeof(double));
	if (ia && ja && ar) {
		for (size_t k = 0; k < n; k++) {
			ia[k + 1] = row[k] + 1;
			ja[k + 1] = col[k] + 1;
			ar[k + 1] = val[k];
		}
		rc = lp_load_matrix1(p, (int)n, ia, ja, ar);
	}
	free(ia);
	free(ja);
	free(ar);
	return rc;
}

int lp_set_objective(struct lp *p, bool maximise, double constant, const double *coef)
{
	int n;

	GUARD(p);
	n = glp_get_num_cols(p->P);
	glp_set_obj_dir(p->P, maximise ? GLP_MAX : GLP_MIN);
	glp_set_obj_coef(p->P, 0, constant);
	for (int j = 0; j < n; j++)
		glp_set_obj_coef(p->P, j + 1, coef[j]);
	UNGUARD();
	return ROTA_OK;
}

/* GLPK's simplex works on the problem as scaled by glp_scale_prob and
 * never scales by itself. Unscaled, the level rows (person-minutes in
 * the hundreds) beside 0/1 rows cost it a third more iterations or worse
 * (generated seed 12, solved cold: 13,299 iterations on the
 * person-minutes LP, 8,126 scaled). The factors are rounded to powers of
 * two, so that scaling rounds no coefficient. Scaling again after rows
 * were added (lazy rows, held levels) keeps the basis: only the
 * factorisation is redone, which the new rows required anyway. */
static void scale_if_changed(struct lp *p)
{
	int m = glp_get_num_rows(p->P);

	if (m == p->scaled_rows)
		return;
	glp_scale_prob(p->P, GLP_SF_GM | GLP_SF_EQ | GLP_SF_2N);
	p->scaled_rows = m;
}

int lp_simplex(struct lp *p, const struct lp_simplex_opts *o, bool *optimal)
{
	glp_smcp sp;
	int ret;

	*optimal = false;
	{
		GUARD(p);
		glp_init_smcp(&sp);
		sp.msg_lev = GLP_MSG_OFF;
		if (o && o->dual)
			sp.meth = GLP_DUALP;
		if (o && o->it_limit > 0)
			sp.it_lim = o->it_limit;
		if (timebox_left() >= 0)
			sp.tm_lim = glpk_ms(timebox_left());
		scale_if_changed(p);
		ret = glp_simplex(p->P, &sp);
		*optimal = ret == 0 && glp_get_status(p->P) == GLP_OPT;
		UNGUARD();
	}
	return ROTA_OK;
}

int lp_std_basis(struct lp *p)
{
	GUARD(p);
	glp_std_basis(p->P);
	UNGUARD();
	return ROTA_OK;
}

int lp_adv_basis(struct lp *p)
{
	GUARD(p);
	glp_adv_basis(p->P, 0);
	UNGUARD();
	return ROTA_OK;
}

/* Work arrays of lp_point_basis, 1-based as GLPK's. */
struct point_crash {
	double *act;     /* [m + 1] row activities at the point */
	char *tight;     /* [m + 1] the row is at a bound: its slack may leave */
	char *touched;   /* [m + 1] a basic column has a nonzero there */
	int *order;      /* [n] columns strictly inside their bounds */
	int *len;        /* [n + 1] their nonzeros */
	int *ind;        /* [m + 1] one column */
	double *val;
};

static _Thread_local const int *crash_len; /* qsort has no context argument */

/* Fewer nonzeros first (they touch fewer rows), then by index. */
static int by_len(const void *a, const void *b)
{
	int i = *(const int *)a, j = *(const int *)b;

	if (crash_len[i] != crash_len[j])
		return crash_len[i] < crash_len[j] ? -1 : 1;
	return (i > j) - (i < j);
}

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (1.0 + fabs(b));
}

/* The status of column j nonbasic at the bound nearest x. */
static int col_at_bound(glp_prob *P, int j, double x)
{
	int type = glp_get_col_type(P, j);

	if (type == GLP_FX)
		return GLP_NS;
	if (type == GLP_FR)
		return GLP_NF;
	if (type == GLP_LO)
		return GLP_NL;
	if (type == GLP_UP)
		return GLP_NU;
	return x - glp_get_col_lb(P, j) <= glp_get_col_ub(P, j) - x ? GLP_NL : GLP_NU;
}

/* The status of row i nonbasic at the bound its activity is at. */
static int row_at_bound(glp_prob *P, int i, double act)
{
	int type = glp_get_row_type(P, i);

	if (type == GLP_FX)
		return GLP_NS;
	if (type == GLP_LO)
		return GLP_NL;
	if (type == GLP_UP)
		return GLP_NU;
	return near(act, glp_get_row_lb(P, i)) ? GLP_NL : GLP_NU;
}

static bool row_tight(glp_prob *P, int i, double act)
{
	int type = glp_get_row_type(P, i);

	return type == GLP_FX ||
	       ((type == GLP_LO || type == GLP_DB) && near(act, glp_get_row_lb(P, i))) ||
	       ((type == GLP_UP || type == GLP_DB) && near(act, glp_get_row_ub(P, i)));
}

/* Activities, tight rows and the interior columns of x; returns how many
 * columns are interior. */
static int crash_survey(glp_prob *P, const double *x, struct point_crash *w)
{
	int m = glp_get_num_rows(P), n = glp_get_num_cols(P), k = 0;

	for (int j = 1; j <= n; j++) {
		int len = glp_get_mat_col(P, j, w->ind, w->val);
		int type = glp_get_col_type(P, j);

		for (int t = 1; t <= len; t++)
			w->act[w->ind[t]] += w->val[t] * x[j - 1];
		w->len[j] = len;
		if (type == GLP_FX || near(x[j - 1], glp_get_col_lb(P, j)) ||
		    (type == GLP_DB && near(x[j - 1], glp_get_col_ub(P, j))))
			continue;
		w->order[k++] = j;
	}
	for (int i = 1; i <= m; i++)
		w->tight[i] = row_tight(P, i, w->act[i]);
	return k;
}

/* Triangular crash: each interior column in turn enters in place of the
 * slack of a tight row no earlier entering column has a nonzero in (its
 * largest such entry), so that the basis matrix is triangular and
 * nonsingular. A column with no such row stays nonbasic at a bound. */
static void crash_from_point(glp_prob *P, const double *x, struct point_crash *w)
{
	int m = glp_get_num_rows(P), n = glp_get_num_cols(P), k;

	for (int i = 1; i <= m; i++)
		glp_set_row_stat(P, i, GLP_BS);
	for (int j = 1; j <= n; j++)
		glp_set_col_stat(P, j, col_at_bound(P, j, x[j - 1]));
	k = crash_survey(P, x, w);
	crash_len = w->len;
	qsort(w->order, (size_t)k, sizeof(int), by_len);
	for (int t = 0; t < k; t++) {
		int j = w->order[t], len = glp_get_mat_col(P, j, w->ind, w->val), r = 0;
		double best = 0.0;

		for (int s = 1; s <= len; s++)
			if (w->tight[w->ind[s]] && !w->touched[w->ind[s]] && fabs(w->val[s]) > best) {
				best = fabs(w->val[s]);
				r = w->ind[s];
			}
		if (!r)
			continue;
		glp_set_col_stat(P, j, GLP_BS);
		glp_set_row_stat(P, r, row_at_bound(P, r, w->act[r]));
		for (int s = 1; s <= len; s++)
			w->touched[w->ind[s]] = 1;
	}
}

static int point_basis(struct lp *p, const double *x, struct point_crash *w)
{
	GUARD(p);
	crash_from_point(p->P, x, w);
	UNGUARD();
	return ROTA_OK;
}

int lp_point_basis(struct lp *p, const double *x)
{
	size_t m, n;
	struct point_crash w;
	int rc = ROTA_ENOMEM;

	if (p->generation != glpk_generation)
		return ROTA_ESOLVER;
	m = (size_t)glp_get_num_rows(p->P) + 1;
	n = (size_t)glp_get_num_cols(p->P) + 1;
	w = (struct point_crash){
		.act = calloc(m, sizeof(double)),
		.tight = calloc(m, 1),
		.touched = calloc(m, 1),
		.order = malloc(n * sizeof(int)),
		.len = malloc(n * sizeof(int)),
		.ind = malloc(m * sizeof(int)),
		.val = malloc(m * sizeof(double)),
	};

	if (w.act && w.tight && w.touched && w.order && w.len && w.ind && w.val)
		rc = point_basis(p, x, &w);
	free(w.act);
	free(w.tight);
	free(w.touched);
	free(w.order);
	free(w.len);
	free(w.ind);
	free(w.val);
	return rc;
}

void lp_get_basis(const struct lp *p, int *row_stat, int *col_stat)
{
	int m = glp_get_num_rows(p->P), n = glp_get_num_cols(p->P);

	for (int i = 0; i < m; i++)
		row_stat[i] = glp_get_row_stat(p->P, i + 1);
	for (int j = 0; j < n; j++)
		col_stat[j] = glp_get_col_stat(p->P, j + 1);
}

int lp_set_basis(struct lp *p, const int *row_stat, const int *col_stat)
{
	int m, n;

	GUARD(p);
	m = glp_get_num_rows(p->P);
	n = glp_get_num_cols(p->P);
	for (int i = 0; i < m; i++)
		glp_set_row_stat(p->P, i + 1, row_stat[i]);
	for (int j = 0; j < n; j++)
		glp_set_col_stat(p->P, j + 1, col_stat[j]);
	UNGUARD();
	return ROTA_OK;
}

struct mip_hook {
	const struct lp_mip_opts *o;
	glp_iocp *ip;
	double t0;       /* glp_time() when the search began */
	bool rolling;    /* no time limit: the stall guard follows the search */
};

/* GLPK checks tm_lim (in its own parameters, which it reads through the
 * pointer it was given) between the steps of the search. Without a time
 * limit each callback moves it to LP_STALL_SECONDS past now, so that
 * what is guarded is one step (a node's LP, a heuristic, cuts) stalling,
 * not the whole search taking long on a loaded machine: a search the
 * node caps end is then never cut short by the clock. */
static void mip_callback(glp_tree *T, void *info)
{
	struct mip_hook *h = info;
	struct lp_tree t = { T };

	if (h->rolling)
		h->ip->tm_lim = (int)(glp_time() - h->t0) + LP_STALL_SECONDS * 1000;
	if (h->o->callback)
		h->o->callback(&t, h->o->info);
}

int lp_intopt(struct lp *p, const struct lp_mip_opts *o, bool *complete)
{
	glp_iocp ip;
	struct mip_hook hook = { .o = o, .ip = &ip };
	int ret;

	*complete = false;
	{
		GUARD(p);
		glp_init_iocp(&ip);
		ip.msg_lev = GLP_MSG_OFF;
		ip.presolve = o->presolve ? GLP_ON : GLP_OFF;
		if (o->depth_first) {
			ip.br_tech = GLP_BR_FFV;
			ip.bt_tech = GLP_BT_DFS;
		}
		if (o->clique_cover) {
			ip.gmi_cuts = GLP_OFF;
			ip.mir_cuts = GLP_OFF;
			ip.cov_cuts = GLP_ON;
			ip.clq_cuts = GLP_ON;
		}
		ip.mip_gap = o->gap;
		hook.rolling = timebox_left() < 0;
		if (hook.rolling)
			ip.tm_lim = LP_STALL_SECONDS * 1000;
		else
			ip.tm_lim = glpk_ms(timebox_left());
		ip.cb_func = mip_callback;
		ip.cb_info = &hook;
		hook.t0 = glp_time();
		ret = glp_intopt(p->P, &ip);
		*complete = ret == 0;
		p->stalled = ret == GLP_ETMLIM && hook.rolling;
		UNGUARD();
	}
	return ROTA_OK;
}

bool lp_mip_stalled(const struct lp *p)
{
	return p->stalled;
}

enum lp_reason lp_tree_reason(struct lp_tree *t)
{
	switch (glp_ios_reason(t->T)) {
	case GLP_IHEUR: return LP_REASON_HEUR;
	case GLP_IBINGO: return LP_REASON_BINGO;
	case GLP_ISELECT: return LP_REASON_SELECT;
	default: return LP_REASON_OTHER;
	}
}

int lp_tree_offer(struct lp_tree *t, const double *x)
{
	glp_prob *P = glp_ios_get_prob(t->T);
	int n = glp_get_num_cols(P);
	double *x1 = malloc(((size_t)n + 1) * sizeof(double));

	if (!x1)
		return ROTA_ENOMEM;
	memcpy(x1 + 1, x, (size_t)n * sizeof(double));
	glp_ios_heur_sol(t->T, x1);
	free(x1);
	return ROTA_OK;
}

bool lp_tree_best_bound(struct lp_tree *t, double *bound)
{
	int best = glp_ios_best_node(t->T);

	if (!best)
		return false;
	*bound = glp_ios_node_bound(t->T, best);
	return true;
}

int lp_tree_nodes(struct lp_tree *t)
{
	int nodes = 0;

	glp_ios_tree_size(t->T, NULL, NULL, &nodes);
	return nodes;
}

void lp_tree_stop(struct lp_tree *t)
{
	glp_ios_terminate(t->T);
}

bool lp_tree_incumbent(struct lp_tree *t, double *value)
{
	glp_prob *P = glp_ios_get_prob(t->T);

	*value = glp_mip_obj_val(P);
	return glp_mip_status(P) != GLP_UNDEF;
}

int lp_rows(const struct lp *p)
{
	return glp_get_num_rows(p->P);
}

int lp_cols(const struct lp *p)
{
	return glp_get_num_cols(p->P);
}

double lp_col_value(const struct lp *p, int col)
{
	return glp_get_col_prim(p->P, col + 1);
}

double lp_objective_value(const struct lp *p)
{
	return glp_get_obj_val(p->P);
}

int lp_iterations(const struct lp *p)
{
	return glp_get_it_cnt(p->P);
}

bool lp_mip_found(const struct lp *p, bool *optimal)
{
	int st = glp_mip_status(p->P);

	if (optimal)
		*optimal = st == GLP_OPT;
	return st == GLP_OPT || st == GLP_FEAS;
}

double lp_mip_col_value(const struct lp *p, int col)
{
	return glp_mip_col_val(p->P, col + 1);
}

double lp_mip_objective(const struct lp *p)
{
	return glp_mip_obj_val(p->P);
}

int lp_write_mps(struct lp *p, int fd)
{
	char path[64];
	int ret;

	/* GLPK opens files by name; /proc/self/fd/N is the file already
	 * opened (safely) by the caller, whatever its name now points to. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	{
		GUARD(p);
		ret = glp_write_mps(p->P, GLP_MPS_FILE, NULL, path);
		UNGUARD();
	}
	return ret ? ROTA_EIO : ROTA_OK;
}

/* True when every column list of P runs by decreasing row, as
 * glp_load_matrix builds them; ind is scratch [rows + 1]. */
static bool cols_descending(glp_prob *P, int *ind)
{
	double *val = NULL;
	int n = glp_get_num_cols(P);

	for (int j = 1; j <= n; j++) {
		int len = glp_get_mat_col(P, j, ind, val);

		for (int k = 2; k <= len; k++)
			if (ind[k] >= ind[k - 1])
				return false;
	}
	return true;
}

/* A problem as plain arrays (lp_freeze): what glp_copy_prob copies that a
 * simplex or a branch and bound reads, at about a fifth of GLPK's size.
 * Each array of doubles is packed (include/packed.h) once filled. */
enum { FZ_RLB, FZ_RUB, FZ_RII, FZ_CLB, FZ_CUB, FZ_COEF, FZ_SJJ, FZ_VAL, FZ_COUNT };

struct lp_frozen {
	int m, n, dir, it_cnt, scaled_rows;
	bool stalled;
	double c0;
	glp_bfcp bfcp;
	char *name;
	char *rtype, *rstat, *ckind, *ctype, *cstat;
	double *rlb, *rub, *rii, *clb, *cub, *coef, *sjj;
	int *rstart;   /* [m + 1] into ind/val: each row's elements in list order */
	int *ind;
	double *val;
	struct packed *packed[FZ_COUNT]; /* each array once packed */
};

static double **frozen_array(struct lp_frozen *f, int which)
{
	double **a[FZ_COUNT] = { &f->rlb, &f->rub, &f->rii, &f->clb,
				 &f->cub, &f->coef, &f->sjj, &f->val };

	return a[which];
}

void lp_frozen_free(struct lp_frozen *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->rtype);
	free(f->rstat);
	free(f->ckind);
	free(f->ctype);
	free(f->cstat);
	for (int a = 0; a < FZ_COUNT; a++) {
		free(*frozen_array(f, a));
		packed_free(f->packed[a]);
	}
	free(f->rstart);
	free(f->ind);
	free(f);
}

/* Packs the arrays of doubles (each kept as it is when out of memory). */
static void frozen_pack(struct lp_frozen *f)
{
	size_t m = (size_t)f->m + 1, n = (size_t)f->n + 1;
	size_t len[FZ_COUNT] = { m, m, m, n, n, n, n, (size_t)f->rstart[f->m + 1] + 1 };

	for (int a = 0; a < FZ_COUNT; a++) {
		double **arr = frozen_array(f, a);

		f->packed[a] = packed_pack(*arr, len[a]);
		if (f->packed[a]) {
			free(*arr);
			*arr = NULL;
		}
	}
}

/* Value k of array `which`, packed or not. */
static double frozen_get(struct lp_frozen *f, int which, int k)
{
	const double *a = *frozen_array(f, which);

	return a ? a[k] : packed_get(f->packed[which], (size_t)k);
}

static bool frozen_alloc(struct lp_frozen *f, size_t ne)
{
	size_t m = (size_t)f->m + 1, n = (size_t)f->n + 1;

	f->rtype = malloc(m);
	f->rstat = malloc(m);
	f->ckind = malloc(n);
	f->ctype = malloc(n);
	f->cstat = malloc(n);
	f->rlb = malloc(m * sizeof(double));
	f->rub = malloc(m * sizeof(double));
	f->rii = malloc(m * sizeof(double));
	f->clb = malloc(n * sizeof(double));
	f->cub = malloc(n * sizeof(double));
	f->coef = malloc(n * sizeof(double));
	f->sjj = malloc(n * sizeof(double));
	f->rstart = malloc((m + 1) * sizeof(int));
	f->ind = malloc((ne + 1) * sizeof(int));
	f->val = malloc((ne + 1) * sizeof(double));
	return f->rtype && f->rstat && f->ckind && f->ctype && f->cstat && f->rlb && f->rub &&
	       f->rii && f->clb && f->cub && f->coef && f->sjj && f->rstart && f->ind && f->val;
}

/* True when P has no row or column names (lp_freeze keeps none). */
static bool no_names(glp_prob *P)
{
	for (int i = 1; i <= glp_get_num_rows(P); i++)
		if (glp_get_row_name(P, i))
			return false;
	for (int j = 1; j <= glp_get_num_cols(P); j++)
		if (glp_get_col_name(P, j))
			return false;
	return true;
}

static void freeze_rows(glp_prob *P, struct lp_frozen *f)
{
	int at = 0;

	for (int i = 1; i <= f->m; i++) {
		f->rtype[i] = (char)glp_get_row_type(P, i);
		f->rstat[i] = (char)glp_get_row_stat(P, i);
		f->rlb[i] = glp_get_row_lb(P, i);
		f->rub[i] = glp_get_row_ub(P, i);
		f->rii[i] = glp_get_rii(P, i);
		f->rstart[i] = at;
		at += glp_get_mat_row(P, i, f->ind + at, f->val + at);
	}
	f->rstart[f->m + 1] = at;
}

static void freeze_cols(glp_prob *P, struct lp_frozen *f)
{
	for (int j = 1; j <= f->n; j++) {
		f->ckind[j] = (char)(glp_get_col_kind(P, j) == GLP_CV ? GLP_CV : GLP_IV);
		f->ctype[j] = (char)glp_get_col_type(P, j);
		f->cstat[j] = (char)glp_get_col_stat(P, j);
		f->clb[j] = glp_get_col_lb(P, j);
		f->cub[j] = glp_get_col_ub(P, j);
		f->coef[j] = glp_get_obj_coef(P, j);
		f->sjj[j] = glp_get_sjj(P, j);
	}
}

/* Fails by a return from inside GUARD: the caller frees f. */
static int freeze_into(struct lp *p, struct lp_frozen *f, int *scratch, bool *done)
{
	const char *name;

	GUARD(p);
	*done = !glp_bf_exists(p->P) && cols_descending(p->P, scratch) && no_names(p->P);
	if (*done) {
		name = glp_get_prob_name(p->P);
		f->name = name ? strdup(name) : NULL;
		f->dir = glp_get_obj_dir(p->P);
		f->c0 = glp_get_obj_coef(p->P, 0);
		f->it_cnt = glp_get_it_cnt(p->P);
		glp_get_bfcp(p->P, &f->bfcp);
		/* glp_get_mat_row fills from index 1: each row's elements go
		 * at rstart[i] + 1 .. rstart[i + 1]. */
		freeze_rows(p->P, f);
		freeze_cols(p->P, f);
		*done = !name || f->name;
	}
	UNGUARD();
	return ROTA_OK;
}

int lp_freeze(struct lp **pp, struct lp_frozen **out)
{
	struct lp *p = *pp;
	struct lp_frozen *f = calloc(1, sizeof(*f));
	int *scratch = NULL;
	bool done = false;
	int rc = ROTA_OK;

	*out = NULL;
	if (p->generation != glpk_generation) {
		free(f);
		return ROTA_ESOLVER;
	}
	if (f) {
		f->m = glp_get_num_rows(p->P);
		f->n = glp_get_num_cols(p->P);
		f->scaled_rows = p->scaled_rows;
		f->stalled = p->stalled;
		scratch = malloc(((size_t)f->m + 1) * sizeof(int));
	}
	if (f && scratch && frozen_alloc(f, (size_t)glp_get_num_nz(p->P)))
		rc = freeze_into(p, f, scratch, &done);
	free(scratch);
	if (rc || !done) {
		lp_frozen_free(f);
		return rc;
	}
	frozen_pack(f);
	lp_free(p);
	*pp = NULL;
	*out = f;
	return ROTA_OK;
}

/* The matrix as glp_load_matrix triplets that rebuild each row's list in
 * its order (each element goes to the head of its row). */
static int frozen_triplets(struct lp_frozen *f, int *ia, int *ja, double *ar)
{
	int ne = 0;

	for (int i = 1; i <= f->m; i++)
		for (int k = f->rstart[i + 1]; k > f->rstart[i]; k--) {
			ne++;
			ia[ne] = i;
			ja[ne] = f->ind[k];
			ar[ne] = frozen_get(f, FZ_VAL, k);
		}
	return ne;
}

static void thaw_bounds(glp_prob *P, struct lp_frozen *f)
{
	for (int i = 1; i <= f->m; i++) {
		glp_set_row_bnds(P, i, f->rtype[i], frozen_get(f, FZ_RLB, i), frozen_get(f, FZ_RUB, i));
		glp_set_rii(P, i, frozen_get(f, FZ_RII, i));
		glp_set_row_stat(P, i, f->rstat[i]);
	}
	for (int j = 1; j <= f->n; j++) {
		glp_set_col_kind(P, j, f->ckind[j]);
		glp_set_col_bnds(P, j, f->ctype[j], frozen_get(f, FZ_CLB, j), frozen_get(f, FZ_CUB, j));
		glp_set_obj_coef(P, j, frozen_get(f, FZ_COEF, j));
		glp_set_sjj(P, j, frozen_get(f, FZ_SJJ, j));
		glp_set_col_stat(P, j, f->cstat[j]);
	}
}

/* Fails by a return from inside GUARD: the caller frees p. */
static int thaw_into(struct lp *p, struct lp_frozen *f, int *ia, int *ja, double *ar)
{
	GUARD((struct lp *)NULL);
	p->P = glp_create_prob();
	if (f->name)
		glp_set_prob_name(p->P, f->name);
	glp_set_obj_dir(p->P, f->dir);
	glp_set_obj_coef(p->P, 0, f->c0);
	if (f->m > 0)
		glp_add_rows(p->P, f->m);
	if (f->n > 0)
		glp_add_cols(p->P, f->n);
	glp_set_bfcp(p->P, &f->bfcp);
	glp_load_matrix(p->P, frozen_triplets(f, ia, ja, ar), ia, ja, ar);
	thaw_bounds(p->P, f);
	glp_set_it_cnt(p->P, f->it_cnt);
	UNGUARD();
	return ROTA_OK;
}

int lp_thaw(struct lp_frozen *f, struct lp **out)
{
	size_t ne = (size_t)f->rstart[f->m + 1];
	struct lp *p = calloc(1, sizeof(*p));
	int *ia = malloc((ne + 1) * sizeof(int)), *ja = malloc((ne + 1) * sizeof(int));
	double *ar = malloc((ne + 1) * sizeof(double));
	int rc = ROTA_ENOMEM;

	*out = NULL;
	if (p && ia && ja && ar)
		rc = thaw_into(p, f, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
	if (rc) {
		/* A failure inside GLPK took the problem with it. */
		free(p);
		return rc;
	}
	p->generation = glpk_generation;
	p->scaled_rows = f->scaled_rows;
	p->stalled = f->stalled;
	*out = p;
	return ROTA_OK;
}
