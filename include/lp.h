/*
 * lp.h - the one wall around GLPK: a linear or mixed-integer programme,
 * indices from 0, and every GLPK failure (out of memory included) as an
 * error value instead of an abort. The only module that sees glpk.h.
 *
 * GLPK's state is per thread. A failure inside GLPK frees every problem
 * of the calling thread (GLPK cannot go on after one): the functions that
 * can fail return ROTA_ENOMEM (GLPK ran out of memory or over the limit of
 * lp_set_mem_limit) or ROTA_ESOLVER, lp_last_error() says why, and from
 * then on every problem made before the failure only accepts lp_free().
 * The getters never fail (they are called only on a live problem).
 */
#ifndef ROTA_LP_H
#define ROTA_LP_H

#include <stdbool.h>
#include <stddef.h>

struct lp;       /* one problem; lp_free */
struct lp_tree;  /* the branch-and-bound tree, inside an lp_intopt callback */

enum lp_bound {
	LP_LOWER,   /* x >= lb */
	LP_UPPER,   /* x <= ub */
	LP_RANGE,   /* lb <= x <= ub */
	LP_FIXED    /* x = lb */
};

/* A new empty problem named name (NULL: none) in *out. */
int lp_new(struct lp **out, const char *name);
/* A copy of src's rows, columns and bounds (no names) in *out. */
int lp_copy(struct lp **out, const struct lp *src);
/* The same of a problem of another thread, which must neither change nor
 * free it meanwhile (glp_copy_prob only reads its source); the copy is
 * the calling thread's. */
int lp_copy_across(struct lp **out, const struct lp *src);
/* Frees p (also after a failure); lp_free(NULL) does nothing. */
void lp_free(struct lp *p);
/* Frees what GLPK keeps for the calling thread; call when a thread ends,
 * after freeing its problems. */
void lp_thread_done(void);
/* GLPK's allocations of the calling thread stay under mb megabytes
 * (0: no limit) from the next call on. */
void lp_set_mem_limit(int mb);
/* Why the last failure of this thread happened ("" when none). */
const char *lp_last_error(void);
void lp_clear_error(void);

/* Structure. Rows and columns are added at the end; *first (may be NULL)
 * is the index of the first one added. */
int lp_add_rows(struct lp *p, int n, int *first);
int lp_add_cols(struct lp *p, int n);
/* The row sum(val[k] * x[ind[k]], k < n) within its bounds. */
int lp_set_row(struct lp *p, int row, int n, const int *ind, const double *val);
int lp_set_row_bounds(struct lp *p, int row, enum lp_bound type, double lb, double ub);
int lp_set_row_name(struct lp *p, int row, const char *name);
int lp_set_col_bounds(struct lp *p, int col, enum lp_bound type, double lb, double ub);
/* Gives column col of p the bounds it has in from. */
int lp_copy_col_bounds(struct lp *p, int col, const struct lp *from);
int lp_set_col_integer(struct lp *p, int col, bool integer);
int lp_set_col_name(struct lp *p, int col, const char *name);
/* Replaces the whole matrix by the n entries (row[k], col[k], val[k]). */
int lp_load_matrix(struct lp *p, size_t n, const int *row, const int *col, const double *val);
/* The objective: constant + sum(coef[j] * x[j]) over every column. */
int lp_set_objective(struct lp *p, bool maximise, double constant, const double *coef);

/* Simplex. */
struct lp_simplex_opts {
	bool dual;        /* dual simplex, falling back to the primal */
	int it_limit;     /* simplex iterations; 0: none */
};
/* *optimal: the LP was solved to optimality. */
int lp_simplex(struct lp *p, const struct lp_simplex_opts *o, bool *optimal);
/* Starting bases for the next lp_simplex. */
int lp_std_basis(struct lp *p);
int lp_adv_basis(struct lp *p);
/* A basis whose basic solution is the point x[cols] where a triangular
 * crash can make it so: x's columns strictly inside their bounds basic,
 * each in place of the slack of a row x holds at a bound; a column that
 * finds no such row stays at its nearest bound. From a feasible x the
 * primal simplex then skips most of its phase 1. */
int lp_point_basis(struct lp *p, const double *x);
/* The status of each row [lp_rows] and column [lp_cols]. */
void lp_get_basis(const struct lp *p, int *row_stat, int *col_stat);
int lp_set_basis(struct lp *p, const int *row_stat, const int *col_stat);

/* Branch and bound. Without a time limit (timebox.h) every search is
 * bounded by counts (nodes, simplex iterations counted in its callback),
 * but one step of GLPK's search (a node's simplex, a heuristic) has no
 * count of its own and has been seen to stall (generated seed 5, for
 * minutes): a search is then stopped when LP_STALL_SECONDS of wall time
 * pass between two calls of its callback, the only place where a plan
 * without --time-limit may depend on the clock. Until December 2026 the
 * LP_STALL_SECONDS counted the whole search, and a loaded machine cut
 * short searches the node caps would have ended (seed 5's deadline-p3,
 * 1,647 of its 2,000 nodes). lp_mip_stalled says when it happened. */
#define LP_STALL_SECONDS 10
enum lp_reason { LP_REASON_OTHER, LP_REASON_HEUR, LP_REASON_BINGO, LP_REASON_SELECT };
struct lp_mip_opts {
	bool presolve;
	bool depth_first;     /* most fractional variable, depth first */
	bool clique_cover;    /* cover and clique cuts */
	double gap;           /* relative gap at which to stop */
	/* Called at every stage of the search; may only use lp_tree_*. */
	void (*callback)(struct lp_tree *tree, void *info);
	void *info;
};
/* *complete: the search ran to its end (not stopped). */
int lp_intopt(struct lp *p, const struct lp_mip_opts *o, bool *complete);
/* The last lp_intopt was stopped by LP_STALL_SECONDS. */
bool lp_mip_stalled(const struct lp *p);
enum lp_reason lp_tree_reason(struct lp_tree *t);
/* Offers the point x[cols] as a solution (LP_REASON_HEUR only).
 * Returns 0 or ROTA_ENOMEM. */
int lp_tree_offer(struct lp_tree *t, const double *x);
/* The bound of the best open node; false when there is none. */
bool lp_tree_best_bound(struct lp_tree *t, double *bound);
int lp_tree_nodes(struct lp_tree *t);
void lp_tree_stop(struct lp_tree *t);
/* The incumbent's value; false when there is none yet. */
bool lp_tree_incumbent(struct lp_tree *t, double *value);

/* Getters. */
int lp_rows(const struct lp *p);
int lp_cols(const struct lp *p);
double lp_col_value(const struct lp *p, int col);   /* of the last LP */
double lp_objective_value(const struct lp *p);     /* of the last LP */
int lp_iterations(const struct lp *p);
/* The best integer point: false when there is none. */
bool lp_mip_found(const struct lp *p, bool *optimal);
double lp_mip_col_value(const struct lp *p, int col);
double lp_mip_objective(const struct lp *p);

/* Writes p in free MPS to the open file descriptor fd (not closed).
 * Returns 0, ROTA_EIO, ROTA_ENOMEM or ROTA_ESOLVER. */
int lp_write_mps(struct lp *p, int fd);

/* A problem frozen into plain arrays, without GLPK: a fifth of its size. */
struct lp_frozen;
/* Freezes *pp (then freed, *pp NULL) into *out when the next simplex
 * would factorise anew anyway (no valid factorisation), every column list
 * runs by decreasing row (as a loaded matrix and rows added at the end
 * leave them) and no row or column has a name; otherwise *out is NULL and
 * *pp stays. lp_thaw gives back a problem that behaves as *pp would
 * have (the same rows, columns, bounds, scaling, basis and matrix, its
 * element lists in their order), but for the values of the last
 * solution, which the next solve sets anyway. Both return 0, ROTA_ENOMEM
 * or ROTA_ESOLVER. */
int lp_freeze(struct lp **pp, struct lp_frozen **out);
int lp_thaw(struct lp_frozen *f, struct lp **out);
void lp_frozen_free(struct lp_frozen *f);

#endif
