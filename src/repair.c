/* repair.c - the dated plan of a model point made complete: people the
 * point had but whole-people packing lost get a place in the sessions the
 * plan holds, moving someone aside if need be, before the greedy serves
 * the rest (wplan_complete, repair.h). */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_impl.h"
#include "repair.h"
#include "util.h"
#include "banned.h"

/* Row's people may be invited to s (rules 2, 6 and the row's first day),
 * by the row's deadline when ontime. */
static bool may_take(const struct mcomp *m, size_t row, const struct wsession *s, bool ontime)
{
	const struct mrow *r = &m->rows[row];

	return s->date >= r->from && (!ontime || s->date <= r->deadline) && row_may_join(m, row, s);
}

/* Person-minutes of one more person of row in s: the travel, and an
 * invitation when the unit is not in s yet. */
static double join_cost(const struct mcomp *m, size_t row, const struct wsession *s)
{
	const struct campaign *c = m->c;
	size_t unit = m->rows[row].unit;

	return 2.0 * campaign_travel(c, c->units[unit].site, s->site) +
	       (wsession_has_unit(m, s, unit) ? 0.0 : (double)c->invitation_minutes);
}

/* The session by row's deadline that one more of its people fits in
 * directly: one the unit is invited to first, then the earliest; -1 when
 * none. */
static long direct_place(const struct mcomp *m, const struct wplan *w, size_t row)
{
	size_t unit = m->rows[row].unit;
	long best = -1;
	bool best_has = false;

	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];
		bool has;

		if (!may_take(m, row, s, true) ||
		    fit_count(s->load, mcomp_weight(m, row, s->team), s->share, 1) < 1)
			continue;
		has = wsession_has_unit(m, s, unit);
		if (best >= 0 && (best_has && !has))
			continue;
		if (best >= 0 && best_has == has &&
		    (s->date > w->s[best].date ||
		     (s->date == w->s[best].date && s->kind >= w->s[best].kind)))
			continue;
		best = (long)i;
		best_has = has;
	}
	return best;
}

/* A way to make room for one person of a row in session a: k people of
 * visit vi of a moved into session b. */
struct eject {
	long a, b;
	size_t vi;
	int k;
	double cost;           /* person-minutes it adds */
};

/* The cheapest session other than a that takes k people of row (out of
 * a, keeping their side of the deadline) with their person-minutes
 * there, into *e (e->b -1 when none). */
static void eject_target(const struct mcomp *m, const struct wplan *w, size_t a, size_t row,
			 int k, struct eject *e)
{
	const struct campaign *c = m->c;
	const struct wsession *sa = &w->s[a];
	bool ontime = sa->date <= m->rows[row].deadline;
	size_t site = c->units[m->rows[row].unit].site;

	e->b = -1;
	for (size_t b = 0; b < w->n; b++) {
		const struct wsession *sb = &w->s[b];
		double cost;

		if (b == a || !may_take(m, row, sb, ontime) ||
		    fit_count(sb->load, mcomp_weight(m, row, sb->team), sb->share, k) < k)
			continue;
		cost = 2.0 * k * (campaign_travel(c, site, sb->site) - campaign_travel(c, site, sa->site)) +
		       (wsession_has_unit(m, sb, m->rows[row].unit) ? 0.0 : (double)c->invitation_minutes);
		if (e->b < 0 || cost < e->cost) {
			e->b = (long)b;
			e->cost = cost;
		}
	}
}

/* The cheapest way to make room for one more person of row in a session
 * by its deadline, moving people of another row aside (e->a -1: none). */
static void eject_find(const struct mcomp *m, const struct wplan *w, size_t row, struct eject *e)
{
	e->a = -1;
	for (size_t a = 0; a < w->n; a++) {
		const struct wsession *sa = &w->s[a];
		double wr = mcomp_weight(m, row, sa->team);
		double excess = sa->load + wr - sa->share - MODEL_LOAD_EPS;

		if (!may_take(m, row, sa, true) || wr > sa->share + MODEL_LOAD_EPS)
			continue;
		for (size_t vi = 0; vi < sa->nvisits; vi++) {
			size_t q = sa->visits[vi].row;
			double wq = mcomp_weight(m, q, sa->team);
			int k = (int)ceil(excess / wq - 1e-9);
			struct eject t;

			if (q == row || k < 1 || k > sa->visits[vi].count ||
			    fit_count(sa->load - k * wq, wr, sa->share, 1) < 1)
				continue;
			eject_target(m, w, a, q, k, &t);
			if (t.b < 0)
				continue;
			t.cost += join_cost(m, row, sa);
			if (e->a < 0 || t.cost < e->cost) {
				*e = t;
				e->a = (long)a;
				e->vi = vi;
				e->k = k;
			}
		}
	}
}

/* Carries out e and adds the person of row to e->a. */
static int eject_apply(const struct mcomp *m, struct wplan *w, size_t row, const struct eject *e)
{
	struct wsession *sa = &w->s[e->a], *sb = &w->s[e->b];
	size_t q = sa->visits[e->vi].row;

	if (wsession_add(sb, q, e->k, mcomp_weight(m, q, sb->team)))
		return ROTA_ENOMEM;
	wsession_remove_people(sa, e->vi, e->k, mcomp_weight(m, q, sa->team));
	return wsession_add(sa, row, 1, mcomp_weight(m, row, sa->team));
}

/* People of each row that w does not serve, into left[nrows]. */
static void unserved(const struct mcomp *m, const struct wplan *w, int *left)
{
	for (size_t r = 0; r < m->nrows; r++)
		left[r] = m->rows[r].count;
	for (size_t i = 0; i < w->n; i++)
		for (size_t j = 0; j < w->s[i].nvisits; j++)
			left[w->s[i].visits[j].row] -= w->s[i].visits[j].count;
}

static _Thread_local const struct mcomp *sort_m;

/* Most urgent first: priority level, deadline, then row order. */
static int urgent_cmp(const void *pa, const void *pb)
{
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	const struct mrow *a = &sort_m->rows[ia], *b = &sort_m->rows[ib];

	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	return (ia > ib) - (ia < ib);
}

/* Places, one person at a time, the people of row still unserved
 * (*left) in sessions of w by its deadline, directly or by moving people
 * of another row aside. */
static int place_row(const struct mcomp *m, struct wplan *w, size_t row, int *left)
{
	while (*left > 0) {
		long a = direct_place(m, w, row);
		struct eject e;

		if (a >= 0) {
			if (wsession_add(&w->s[a], row, 1, mcomp_weight(m, row, w->s[a].team)))
				return ROTA_ENOMEM;
		} else {
			eject_find(m, w, row, &e);
			if (e.a < 0)
				return ROTA_OK;
			if (eject_apply(m, w, row, &e))
				return ROTA_ENOMEM;
		}
		(*left)--;
	}
	return ROTA_OK;
}

/* The first step of wplan_complete: the people w left out who can still
 * come by their deadline, in the sessions w holds. */
static int place_in_time(const struct mcomp *m, struct wplan *w)
{
	int *left = xcalloc_array(m->nrows + 1, sizeof(int));
	size_t *order = xcalloc_array(m->nrows + 1, sizeof(size_t));
	size_t n = 0;
	int rc = ROTA_OK;

	if (!left || !order) {
		free(left);
		free(order);
		return ROTA_ENOMEM;
	}
	unserved(m, w, left);
	for (size_t r = 0; r < m->nrows; r++)
		if (left[r] > 0)
			order[n++] = r;
	sort_m = m;
	qsort(order, n, sizeof(*order), urgent_cmp);
	for (size_t i = 0; i < n && !rc; i++)
		rc = place_row(m, w, order[i], &left[order[i]]);
	free(left);
	free(order);
	return rc;
}

int wplan_complete(const struct mcomp *m, struct wplan *w)
{
	int nlv = lv_count(m->c->nlevels), rc;
	struct wplan alt = { 0 };
	double *v = xcalloc_array((size_t)nlv * 2, sizeof(double));

	if (!v)
		return ROTA_ENOMEM;
	rc = wplan_copy(w, &alt);
	if (!rc)
		rc = greedy_fill(m, &alt);
	if (!rc)
		rc = place_in_time(m, w);
	if (!rc)
		rc = greedy_fill(m, w);
	if (!rc) {
		wplan_levels(m, w, v);
		wplan_levels(m, &alt, v + nlv);
		if (wplan_levels_cmp(m, v + nlv, v) < 0) {
			wplan_release(w);
			*w = alt;
			memset(&alt, 0, sizeof(alt));
		}
	}
	wplan_release(&alt);
	free(v);
	return rc;
}
