/* Unit tests of lp.c: the starting basis from a feasible point; a problem
 * frozen and thawed between the phases of a time limit. */
#include <math.h>
#include <string.h>

#include "lp.h"
#include "testlib.h"

/* max x0 + x1, x0 + 2 x1 <= 4, 3 x0 + x1 <= 6, 0 <= x <= 10: optimum
 * (1.6, 1.2), 2.8. */
static struct lp *small_lp(void)
{
	static const int ind0[] = { 0, 1 }, ind1[] = { 0, 1 };
	static const double val0[] = { 1, 2 }, val1[] = { 3, 1 }, obj[] = { 1, 1 };
	struct lp *p = NULL;

	if (lp_new(&p, "small") || lp_add_rows(p, 2, NULL) || lp_add_cols(p, 2) ||
	    lp_set_row(p, 0, 2, ind0, val0) || lp_set_row(p, 1, 2, ind1, val1) ||
	    lp_set_row_bounds(p, 0, LP_UPPER, 0, 4) || lp_set_row_bounds(p, 1, LP_UPPER, 0, 6) ||
	    lp_set_col_bounds(p, 0, LP_RANGE, 0, 10) || lp_set_col_bounds(p, 1, LP_RANGE, 0, 10) ||
	    lp_set_objective(p, true, 0, obj)) {
		lp_free(p);
		return NULL;
	}
	return p;
}

/* From (0, 2), a vertex with x1 inside its bounds and row 0 tight: x1
 * basic in place of row 0's slack, one pivot to the optimum. */
static void test_point_basis_vertex(void)
{
	static const double x[] = { 0, 2 };
	struct lp *p = small_lp();
	int row_stat[2], col_stat[2];
	bool optimal = false;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_INT(lp_point_basis(p, x), 0);
	lp_get_basis(p, row_stat, col_stat);
	CHECK_INT(col_stat[1], 1); /* basic */
	CHECK(row_stat[0] != 1);
	CHECK_INT(row_stat[1], 1);
	CHECK_INT(lp_simplex(p, NULL, &optimal), 0);
	CHECK(optimal);
	CHECK(fabs(lp_objective_value(p) - 2.8) < 1e-9);
	CHECK(lp_iterations(p) <= 1);
	lp_free(p);
}

/* From an interior point no basis reproduces: still a valid basis, and
 * the same optimum. */
static void test_point_basis_interior(void)
{
	static const double x[] = { 0.5, 0.5 };
	struct lp *p = small_lp();
	bool optimal = false;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_INT(lp_point_basis(p, x), 0);
	CHECK_INT(lp_simplex(p, NULL, &optimal), 0);
	CHECK(optimal);
	CHECK(fabs(lp_objective_value(p) - 2.8) < 1e-9);
	lp_free(p);
}

/* Solves p, then adds the row x0 <= 1 (so that the factorisation is no
 * longer valid, as after a held level). */
static int solve_then_cut(struct lp *p)
{
	static const int ind[] = { 0 };
	static const double val[] = { 1 };
	bool optimal = false;

	if (lp_simplex(p, NULL, &optimal) || !optimal || lp_add_rows(p, 1, NULL) ||
	    lp_set_row(p, 2, 1, ind, val) || lp_set_row_bounds(p, 2, LP_UPPER, 0, 1))
		return -1;
	return 0;
}

/* A frozen and thawed problem goes on as the original would: the same
 * basis, the same pivots, the same optimum (1, 1.5), 2.5. */
static void test_freeze_thaw(void)
{
	struct lp *a = small_lp(), *b = small_lp(), *t = NULL;
	struct lp_frozen *f = NULL;
	int ra[3], ca[2], rt[3], ct[2];
	bool oa = false, ot = false;

	CHECK(a && b);
	if (!a || !b || solve_then_cut(a) || solve_then_cut(b)) {
		CHECK(0);
		lp_free(a);
		lp_free(b);
		return;
	}
	CHECK_INT(lp_freeze(&b, &f), 0);
	CHECK(f != NULL);
	CHECK(b == NULL);
	if (f)
		CHECK_INT(lp_thaw(f, &t), 0);
	if (t) {
		lp_get_basis(a, ra, ca);
		lp_get_basis(t, rt, ct);
		CHECK(memcmp(ra, rt, sizeof(ra)) == 0 && memcmp(ca, ct, sizeof(ca)) == 0);
		CHECK_INT(lp_simplex(a, NULL, &oa), 0);
		CHECK_INT(lp_simplex(t, NULL, &ot), 0);
		CHECK(oa && ot);
		CHECK(fabs(lp_objective_value(t) - 2.5) < 1e-9);
		CHECK(lp_objective_value(t) == lp_objective_value(a));
		CHECK_INT(lp_iterations(t), lp_iterations(a));
	}
	lp_frozen_free(f);
	lp_free(a);
	lp_free(b);
	lp_free(t);
}

/* The level loop gives each call what is left of the level's cap, so the
 * limit must count the call's own iterations, not the problem's since it
 * was made (which lp_iterations returns). */
static void test_limit_per_call(void)
{
	static const double obj[] = { 1, 1 };
	struct lp *p = small_lp();
	struct lp_simplex_opts one = { .it_limit = 1 };
	bool optimal = false;
	int it;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_INT(lp_simplex(p, NULL, &optimal), 0);
	CHECK(optimal);
	it = lp_iterations(p);
	CHECK(it >= 2);
	/* From (1.6, 1.2) back to (0, 0): two pivots, one a call. */
	CHECK_INT(lp_set_objective(p, false, 0, obj), 0);
	CHECK_INT(lp_simplex(p, &one, &optimal), 0);
	CHECK(!optimal);
	CHECK_INT(lp_iterations(p) - it, 1);
	CHECK_INT(lp_simplex(p, &one, &optimal), 0);
	CHECK_INT(lp_iterations(p) - it, 2);
	CHECK_INT(lp_simplex(p, NULL, &optimal), 0);
	CHECK(optimal);
	CHECK(lp_objective_value(p) == 0.0);
	lp_free(p);
}

int main(void)
{
	RUN_TEST(test_point_basis_vertex);
	RUN_TEST(test_point_basis_interior);
	RUN_TEST(test_freeze_thaw);
	RUN_TEST(test_limit_per_call);
	lp_thread_done();
	return TEST_EXIT();
}
