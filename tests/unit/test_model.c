/*
 * Unit tests of the model layer (model.h, model_impl.h) without the
 * solver: the two-class hull against brute force, the model's rows
 * against the point of a feasible plan, packing a point back into dated
 * sessions, and the re-dating flow.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "model.h"
#include "model_impl.h"
#include "testlib.h"

/* For k = 1 the hull's facets cut off exactly the pairs that do not fit
 * one session (the set is convex, so its integer hull holds no other
 * integer point); for k = 2, every sum of two pairs that fit passes. */
static void test_hull(void)
{
	const double cases[][3] = { { 1.0, 1.5, 10.0 }, { 0.7, 1.3, 9.6 }, { 2.0, 3.0, 24.0 },
				    { 1.0, 2.5, 7.9 }, { 0.45, 1.05, 12.0 } };

	for (size_t t = 0; t < sizeof(cases) / sizeof(cases[0]); t++) {
		double wa = cases[t][0], wb = cases[t][1], share = cases[t][2];
		struct hull2 h;
		int amax, bmax;

		CHECK_INT(hull2_build(&h, wa, wb, share), 0);
		amax = h.amax;
		bmax = h.bmax;
		CHECK_INT(amax, (int)floor(share / wa + MODEL_LOAD_EPS));
		CHECK_INT(bmax, (int)floor(share / wb + MODEL_LOAD_EPS));
		CHECK(h.nf > 0);
		for (int a = 0; a <= amax + 2; a++)
			for (int b = 0; b <= bmax + 2; b++) {
				bool fits = a * wa + b * wb <= share + MODEL_LOAD_EPS;

				if (hull2_fits(&h, a, b, 1) != fits) {
					fprintf(stderr, "case %zu: (%d, %d) fits %d\n", t, a, b, fits);
					CHECK(hull2_fits(&h, a, b, 1) == fits);
				}
			}
		for (int a1 = 0; a1 <= amax; a1++)
			for (int a2 = 0; a2 <= amax; a2++) {
				int b1 = hull_bmax(&h, a1), b2 = hull_bmax(&h, a2);

				CHECK(hull2_fits(&h, a1 + a2, b1 + b2, 2));
				CHECK(!hull2_fits(&h, a1 + a2, b1 + b2 + bmax + 1, 2));
			}
	}
}

/* Every row of the model (lazy ones included) and every column bound
 * holds at the point of a plan that keeps rules 1-6. */
static int check_point(const struct model *mo, const double *x)
{
	int bad = 0;
	double *act = calloc((size_t)mo->nrows + 1, sizeof(double));

	for (size_t e = 0; e < mo->nents; e++)
		act[mo->ents[e].row] += mo->ents[e].val * x[mo->ents[e].col];
	for (int i = 0; i < mo->nrows; i++) {
		bool ok = mo->sense[i] == 'E'   ? fabs(act[i] - mo->rhs[i]) <= 1e-6
			  : mo->sense[i] == 'G' ? act[i] >= mo->rhs[i] - 1e-6
						: act[i] <= mo->rhs[i] + 1e-6;

		if (!ok) {
			fprintf(stderr, "row %d (%c): %g against %g\n", i, mo->sense[i], act[i],
				mo->rhs[i]);
			bad++;
		}
	}
	for (int j = 0; j < mo->ncols; j++)
		if (x[j] < -1e-9 || x[j] > mo->col_ub[j] + 1e-9 ||
		    (j < mo->nint && fabs(x[j] - floor(x[j] + 0.5)) > 1e-9)) {
			fprintf(stderr, "column %d: %g (bound %g)\n", j, x[j], mo->col_ub[j]);
			bad++;
		}
	free(act);
	return bad;
}

static int people(const struct wplan *w)
{
	int n = 0;

	for (size_t i = 0; i < w->n; i++)
		for (size_t v = 0; v < w->s[i].nvisits; v++)
			n += w->s[i].visits[v].count;
	return n;
}

/* The greedy's plan, as a point of the coarse and the fine model, keeps
 * every row; packing that point back gives a plan at least as good on
 * the levels the model counts exactly; the re-dating flow keeps every
 * level but earliness and does not make it worse. */
static void test_model_layer(void)
{
	struct campaign *c = fixture_campaign();
	struct mcomp *parts = NULL;
	size_t nparts = 0;

	CHECK(c != NULL);
	CHECK_INT(mcomp_build_all(c, &parts, &nparts), 0);
	CHECK_INT(nparts, 1);
	for (size_t pi = 0; pi < nparts; pi++) {
		const struct mcomp *m = &parts[pi];
		int nlv = lv_count(c->nlevels), L = c->nlevels;
		struct wplan w = { 0 }, back = { 0 };
		double *v = calloc((size_t)nlv, sizeof(double));
		double *v2 = calloc((size_t)nlv, sizeof(double));

		CHECK_INT(wplan_place_fixed(m, &w), 0);
		CHECK_INT(greedy_fill(m, &w), 0);
		CHECK(people(&w) > 0);
		wplan_levels(m, &w, v);
		for (int fine = 0; fine < 2; fine++) {
			struct model mo;
			double *x;

			CHECK_INT(model_build(&mo, m, fine, c->end), 0);
			CHECK(mo.ncols > 0 && mo.nrows > 0);
			x = calloc((size_t)mo.ncols, sizeof(double));
			model_point(&mo, &w, x);
			CHECK_INT(check_point(&mo, x), 0);
			/* Level values of the point are the plan's, but for
			 * earliness, which the model prices by period, and the
			 * fine model's person-minutes, which leave invitations
			 * out (a relaxation, docs/model.md). */
			for (int i = 0; i < nlv; i++)
				if (i < lv_early(L, 0) && !(fine && i == lv_minutes(L)))
					CHECK(fabs(model_value(&mo, i, x) - v[i]) < 1e-6);
			wplan_release(&back);
			CHECK_INT(model_disaggregate(&mo, x, &back), 0);
			CHECK_INT(greedy_fill(m, &back), 0);
			wplan_levels(m, &back, v2);
			for (int l = 0; l < L; l++) {
				CHECK(v2[lv_deadline(l)] >= v[lv_deadline(l)] - 1e-9);
				CHECK(v2[lv_served(L, l)] >= v[lv_served(L, l)] - 1e-9);
			}
			model_release(&mo);
			free(x);
		}
		CHECK_INT(wplan_improve_dates(m, &w), 0);
		wplan_levels(m, &w, v2);
		for (int i = 0; i < lv_early(L, 0); i++)
			if (i != lv_minutes(L))
				CHECK(fabs(v2[i] - v[i]) < 1e-9);
		{
			/* Earliness, most urgent first, is no worse in the
			 * order of its levels. */
			int i = lv_early(L, 0);

			while (i < nlv && fabs(v2[i] - v[i]) < 1e-9)
				i++;
			CHECK(i == nlv || v2[i] < v[i]);
		}
		CHECK(v2[lv_minutes(L)] <= v[lv_minutes(L)] + 1e-9);
		wplan_release(&w);
		wplan_release(&back);
		free(v);
		free(v2);
	}
	mcomp_free_all(parts, nparts);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_hull);
	RUN_TEST(test_model_layer);
	return TEST_EXIT();
}
