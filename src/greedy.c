/* greedy.c - the earliest-deadline-first greedy plan of a part
 * (greedy_fill, model.h). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "model_impl.h"
#include "util.h"
#include "banned.h"


struct gstate {
	const struct mcomp *m;
	struct wplan *w;
	int *occ;            /* [nteams * ndays * SLOT_COUNT]: session or -1 */
	int *week_extra;     /* [nteams * nweeks] */
	int *remaining;      /* [nrows] */
};

static int *occ_at(struct gstate *g, size_t team, int date, int kind)
{
	const struct campaign *c = g->m->c;

	return &g->occ[(team * (size_t)c->ndays + (size_t)(date - c->start)) * SLOT_COUNT +
		       (size_t)kind];
}

int max_extra(const struct mcomp *m, size_t team)
{
	return m->c->teams[m->teams[team]].max_extra_per_week;
}

static void gstate_release(struct gstate *g)
{
	free(g->occ);
	free(g->week_extra);
	free(g->remaining);
}

static int gstate_init(struct gstate *g, const struct mcomp *m, struct wplan *w)
{
	const struct campaign *c = m->c;
	size_t nocc = m->nteams * (size_t)c->ndays * SLOT_COUNT;

	memset(g, 0, sizeof(*g));
	g->m = m;
	g->w = w;
	g->occ = xcalloc_array(nocc, sizeof(int));
	g->week_extra = xcalloc_array(m->nteams * (size_t)m->nweeks, sizeof(int));
	g->remaining = xcalloc_array(m->nrows, sizeof(int));
	if (!g->occ || !g->week_extra || !g->remaining) {
		gstate_release(g);
		return ROTA_ENOMEM;
	}
	for (size_t i = 0; i < nocc; i++)
		g->occ[i] = -1;
	memcpy(g->week_extra, m->extra_used, m->nteams * (size_t)m->nweeks * sizeof(int));
	for (size_t r = 0; r < m->nrows; r++)
		g->remaining[r] = m->rows[r].count;
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];

		*occ_at(g, s->team, s->date, s->kind) = (int)i;
		if (slot_kind_is_extra(s->kind))
			g->week_extra[s->team * (size_t)m->nweeks + (size_t)week_of(m, s->date)]++;
		for (size_t j = 0; j < s->nvisits; j++)
			g->remaining[s->visits[j].row] -= s->visits[j].count;
	}
	return ROTA_OK;
}

bool row_has_site(const struct mrow *r, size_t site)
{
	for (size_t i = 0; i < r->nsites; i++)
		if (r->sites[i] == site)
			return true;
	return false;
}

/* The row's people may join session s. */
bool row_may_join(const struct mcomp *m, size_t row, const struct wsession *s)
{
	const struct mrow *r = &m->rows[row];

	return row_has_site(r, s->site) &&
	       visit_allowed(m->c, r->unit, r->demand, m->teams[s->team], s->site, s->date,
			     s->kind);
}

/* Opens the best new session for row in [lo, hi]: day before extra, then
 * the row's preferred site, then the team whose session costs least, then
 * the earliest date. Returns its index, -1 when there is none, -2 when out
 * of memory. */
static int greedy_open(struct gstate *g, size_t row, int lo, int hi)
{
	const struct mcomp *m = g->m;
	const struct campaign *c = m->c;
	const struct mrow *r = &m->rows[row];
	static const enum slot_kind order[2][3] = {
		{ SLOT_DAY, SLOT_DAY, SLOT_DAY },
		{ SLOT_WEEKEND, SLOT_HOLIDAY, SLOT_EVENING },
	};

	for (int pass = 0; pass < 2; pass++) {
		for (size_t si = 0; si < r->nsites; si++) {
			size_t s = r->sites[si];
			int best_t = -1, best_d = 0;
			enum slot_kind best_k = SLOT_DAY;
			double best_cost = HUGE_VAL;

			for (size_t t = 0; t < m->nteams; t++) {
				size_t ct = m->teams[t];
				double w = mcomp_weight(m, row, t);

				if (w == HUGE_VAL || !team_reaches_site(c, ct, s))
					continue;
				for (int d = lo; d <= hi; d++) {
					slot_set exists = campaign_slots_on(c, d) & c->groups[r->group].slots;
					bool found = false;

					for (int ki = 0; ki < 3 && !found; ki++) {
						enum slot_kind k = order[pass][ki];
						double cost;

						if (!(exists & SLOT_BIT(k)) ||
						    !(team_kinds_on(m, t, d) & SLOT_BIT(k)) ||
						    *occ_at(g, t, d, k) >= 0)
							continue;
						if (slot_kind_is_extra(k) &&
						    g->week_extra[t * (size_t)m->nweeks + (size_t)week_of(m, d)] >=
							    max_extra(m, t))
							continue;
						if (!session_possible(c, ct, s, d, k) ||
						    !visit_allowed(c, r->unit, r->demand, ct, s, d, k) ||
						    fit_count(0.0, w, session_capacity_share(c, ct, s, k), 1) < 1)
							continue;
						found = true;
						cost = session_cost_minutes(c, ct, s, k);
						if (cost < best_cost) {
							best_cost = cost;
							best_t = (int)t;
							best_d = d;
							best_k = k;
						}
					}
					if (found)
						break;
				}
			}
			if (best_t >= 0) {
				size_t ct = m->teams[best_t];
				int idx = wplan_add(g->w, (size_t)best_t, s, best_d, best_k, false,
						    session_capacity_share(c, ct, s, best_k));

				if (idx < 0)
					return -2;
				*occ_at(g, (size_t)best_t, best_d, best_k) = idx;
				if (slot_kind_is_extra(best_k))
					g->week_extra[(size_t)best_t * (size_t)m->nweeks +
						      (size_t)week_of(m, best_d)]++;
				return idx;
			}
		}
	}
	return -1;
}

/* Serves as many remaining people of row as possible in [lo, hi]. */
static int greedy_serve(struct gstate *g, size_t row, int lo, int hi)
{
	const struct mcomp *m = g->m;
	const struct campaign *c = m->c;
	const struct mrow *r = &m->rows[row];

	if (lo < r->from)
		lo = r->from;
	if (lo < c->start)
		lo = c->start;
	if (hi > c->end)
		hi = c->end;
	while (g->remaining[row] > 0) {
		long best = -1;
		int best_fit = 0;
		bool best_has = false;

		/* A session the unit is already invited to first (rule 7.4: no
		 * second invitation while one has room), then the earliest. */
		for (size_t i = 0; i < g->w->n; i++) {
			const struct wsession *s = &g->w->s[i];
			const struct wsession *b = best >= 0 ? &g->w->s[best] : NULL;
			bool has = false;
			int fit;

			if (s->date < lo || s->date > hi)
				continue;
			for (size_t j = 0; j < s->nvisits && !has; j++)
				has = m->rows[s->visits[j].row].unit == r->unit;
			if (b && (best_has && !has))
				continue;
			if (b && best_has == has &&
			    (s->date > b->date || (s->date == b->date && s->kind >= b->kind)))
				continue;
			if (!row_may_join(m, row, s))
				continue;
			fit = fit_count(s->load, mcomp_weight(m, row, s->team), s->share,
					g->remaining[row]);
			if (fit < 1)
				continue;
			best = (long)i;
			best_fit = fit;
			best_has = has;
		}
		if (best < 0) {
			int idx = greedy_open(g, row, lo, hi);

			if (idx == -2)
				return ROTA_ENOMEM;
			if (idx < 0)
				break;
			best = idx;
			best_fit = fit_count(0.0, mcomp_weight(m, row, g->w->s[idx].team),
					     g->w->s[idx].share, g->remaining[row]);
		}
		if (wsession_add(&g->w->s[best], row, best_fit,
				 mcomp_weight(m, row, g->w->s[best].team)))
			return ROTA_ENOMEM;
		g->remaining[row] -= best_fit;
	}
	return ROTA_OK;
}

static _Thread_local const struct mcomp *sort_m;

static int row_edf_cmp(const void *pa, const void *pb)
{
	const struct mrow *a = &sort_m->rows[*(const size_t *)pa];
	const struct mrow *b = &sort_m->rows[*(const size_t *)pb];
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;

	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	return (ia > ib) - (ia < ib);
}

int greedy_fill(const struct mcomp *m, struct wplan *w)
{
	struct gstate g;
	size_t *order = NULL;
	int L = m->c->nlevels, rc;

	rc = gstate_init(&g, m, w);
	if (rc)
		return rc;
	order = xcalloc_array(m->nrows, sizeof(*order));
	if (!order) {
		gstate_release(&g);
		return ROTA_ENOMEM;
	}
	for (size_t i = 0; i < m->nrows; i++)
		order[i] = i;
	sort_m = m;
	qsort(order, m->nrows, sizeof(*order), row_edf_cmp);
	for (int phase = 0; phase < 2 && !rc; phase++)
		for (int l = 0; l < L && !rc; l++)
			for (size_t i = 0; i < m->nrows && !rc; i++) {
				const struct mrow *r = &m->rows[order[i]];

				if (r->level != l)
					continue;
				rc = greedy_serve(&g, order[i], r->from,
						  phase == 0 ? r->deadline : m->c->end);
			}
	free(order);
	gstate_release(&g);
	return rc;
}
