/* Unit tests of lp.c: the starting basis from a feasible point. */
#include <math.h>

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

int main(void)
{
	RUN_TEST(test_point_basis_vertex);
	RUN_TEST(test_point_basis_interior);
	lp_thread_done();
	return TEST_EXIT();
}
