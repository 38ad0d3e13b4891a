/*
 * test_pack.c - whole people of three weights or more in a cell's
 * sessions (docs/model.md, section 4): the search that packs them
 * (pack.c) against an exhaustive one, on cells where first fit had left
 * a person out; and the Chvátal-Gomory rows of one session (hull.c):
 * valid for every way people fit one session, and cutting off the point
 * of generated seed 35 that no packing holds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_impl.h"
#include "testlib.h"

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	return testlib_rnd(&rng_state, n);
}

/* take holds every person once and each session within its share. */
static void check_take(const double *w, const int *n, int m, double share, int nb, const int *take)
{
	for (int j = 0; j < m; j++) {
		int sum = 0;

		for (int b = 0; b < nb; b++) {
			CHECK(take[b * m + j] >= 0);
			sum += take[b * m + j];
		}
		CHECK_INT(sum, n[j]);
	}
	for (int b = 0; b < nb; b++) {
		double load = 0;

		for (int j = 0; j < m; j++)
			load += take[b * m + j] * w[j];
		CHECK(load <= share + MODEL_LOAD_EPS);
	}
}

/* Whether n (m weights) fits nb sessions, trying every count. */
static bool exhaustive(const double *w, int *n, int m, double share, int nb)
{
	int a[8] = { 0 };
	bool empty = true;

	for (int j = 0; j < m; j++)
		empty = empty && n[j] == 0;
	if (empty)
		return true;
	if (nb == 0)
		return false;
	for (;;) {
		double load = 0;
		int j;

		for (j = 0; j < m; j++)
			load += a[j] * w[j];
		if (load <= share + MODEL_LOAD_EPS) {
			bool ok;

			for (j = 0; j < m; j++)
				n[j] -= a[j];
			ok = exhaustive(w, n, m, share, nb - 1);
			for (j = 0; j < m; j++)
				n[j] += a[j];
			if (ok)
				return true;
		}
		for (j = 0; j < m && a[j] == n[j]; j++)
			a[j] = 0;
		if (j == m)
			return false;
		a[j]++;
	}
}

static void test_pack_cells(void)
{
	/* Generated seed 13, one cell: 14 sessions of a whole day, 67
	 * people of 1/70 and 1,141 of 0.8/70, a fifth of a person to spare
	 * in all; first fit left 7 out. */
	const double w13[2] = { 1.0 / 70, 0.8 / 70 };
	const int n13[2] = { 67, 1141 };
	/* Generated seed 35, one holiday cell: no packing exists. */
	const double w35[3] = { 0.9 / 30, 0.85 / 30, 0.9 / 70 };
	const int n35[3] = { 17, 1, 67 };
	int take[64];

	CHECK_INT(pack_counts(w13, n13, 2, 1.0, 14, 200000, take), 1);
	check_take(w13, n13, 2, 1.0, 14, take);
	CHECK_INT(pack_counts(w35, n35, 3, 7.0 / 15, 3, 200000, take), 0);
}

static void test_pack_random(void)
{
	int found = 0, none = 0;

	for (int t = 0; t < 3000; t++) {
		double w[3];
		int n[3], take[64], m = 1 + (int)rnd(3), nb = 1 + (int)rnd(3), got;
		double share = 0.2 + rnd(100) / 100.0;

		for (int j = 0; j < m; j++) {
			w[j] = (5 + rnd(30)) / 100.0;
			n[j] = (int)rnd(7);
		}
		/* heaviest first */
		for (int a = 0; a < m; a++)
			for (int b = a + 1; b < m; b++)
				if (w[b] > w[a]) {
					double tw = w[a];
					int tn = n[a];

					w[a] = w[b];
					n[a] = n[b];
					w[b] = tw;
					n[b] = tn;
				}
		got = pack_counts(w, n, m, share, nb, 1000000, take);
		if (exhaustive(w, n, m, share, nb)) {
			CHECK_INT(got, 1);
			if (got == 1)
				check_take(w, n, m, share, nb, take);
			found++;
		} else {
			CHECK_INT(got, 0);
			none++;
		}
	}
	CHECK(found > 300 && none > 300);
}

/* Every way whole people fit one session keeps every row; seed 35's
 * cell breaks one. */
static void test_cg_rows(void)
{
	const double w35[3] = { 0.9 / 30, 0.85 / 30, 0.9 / 70 };
	const int n35[3] = { 17, 1, 67 };
	bool cut = false;

	for (int t = 0; t < 300; t++) {
		double w[3], share = 0.3 + rnd(70) / 100.0, coef[3], rhs;

		for (int j = 0; j < 3; j++)
			w[j] = (3 + rnd(40)) / 300.0;
		for (int j = 0; j < 3; j++)
			for (int mult = 1; mult <= 12; mult++) {
				if (!hull_cg_row(w, 3, share, j, mult, coef, &rhs))
					continue;
				for (int a = 0; a * w[0] <= share + MODEL_LOAD_EPS; a++)
					for (int b = 0; a * w[0] + b * w[1] <= share + MODEL_LOAD_EPS; b++) {
						int c = (int)floor((share + MODEL_LOAD_EPS - a * w[0] - b * w[1]) / w[2]);

						while (c > 0 && a * w[0] + b * w[1] + c * w[2] > share + MODEL_LOAD_EPS)
							c--;
						CHECK(coef[0] * a + coef[1] * b + coef[2] * c <= rhs + 1e-9);
					}
			}
	}
	for (int j = 0; j < 3; j++)
		for (int mult = 1; mult <= 12; mult++) {
			double coef[3], rhs;

			if (hull_cg_row(w35, 3, 7.0 / 15, j, mult, coef, &rhs) &&
			    coef[0] * n35[0] + coef[1] * n35[1] + coef[2] * n35[2] > 3 * rhs + 1e-9)
				cut = true;
		}
	CHECK(cut);
}

int main(void)
{
	RUN_TEST(test_pack_cells);
	RUN_TEST(test_pack_random);
	RUN_TEST(test_cg_rows);
	return TEST_EXIT();
}
