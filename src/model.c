/* model.c - parts, the aggregated model, the greedy plan and disaggregation
 * (see model.h and docs/model.md). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "util.h"
#include "banned.h"

static const enum slot_kind extra_kinds[] = { SLOT_EVENING, SLOT_WEEKEND, SLOT_HOLIDAY };
enum { NEXTRA = 3 };

/* ---------------------------------------------------------------- parts */

static size_t uf_find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	if (a != b) {
		if (a < b)
			parent[b] = a;
		else
			parent[a] = b;
	}
}

/* The team can ever hold a session at the site in some slot kind. */
static bool team_uses_site(const struct campaign *c, size_t t, size_t s)
{
	if (!team_reaches_site(c, t, s))
		return false;
	for (int k = 0; k < SLOT_COUNT; k++)
		if ((c->teams[t].slots & c->sites[s].slots & SLOT_BIT(k)) &&
		    session_capacity_share(c, t, s, (enum slot_kind)k) > 0.0)
			return true;
	return false;
}

/* Some team offering the row's service may come to the site in a slot
 * kind of the row's group. */
static bool row_may_use_site(const struct campaign *c, size_t u, size_t d, size_t s)
{
	const struct demand *dm = &c->units[u].demand[d];
	const struct group *g = &c->groups[dm->group];

	if (!group_may_use_site(c, u, dm->group, s))
		return false;
	for (size_t t = 0; t < c->nteams; t++) {
		if (c->teams[t].capacity[dm->service] <= 0 || !team_reaches_site(c, t, s))
			continue;
		for (int k = 0; k < SLOT_COUNT; k++)
			if ((c->teams[t].slots & c->sites[s].slots & g->slots & SLOT_BIT(k)) &&
			    session_capacity_share(c, t, s, (enum slot_kind)k) > 0.0)
				return true;
	}
	return false;
}

static _Thread_local const struct campaign *sort_c;
static _Thread_local size_t sort_unit_site;

static int site_pref_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int ta, tb;

	if (a == sort_unit_site || b == sort_unit_site)
		return (a != sort_unit_site) - (b != sort_unit_site);
	ta = campaign_travel(sort_c, sort_unit_site, a);
	tb = campaign_travel(sort_c, sort_unit_site, b);
	if (ta != tb)
		return ta < tb ? -1 : 1;
	return (a > b) - (a < b);
}

void mcomp_free_all(struct mcomp *parts, size_t n)
{
	if (!parts)
		return;
	for (size_t i = 0; i < n; i++) {
		struct mcomp *m = &parts[i];

		free(m->teams);
		free(m->shared);
		free(m->sites);
		for (size_t r = 0; r < m->nrows; r++)
			free(m->rows[r].sites);
		free(m->rows);
		free(m->fixed);
		free(m->site_local);
		free(m->blocked);
		free(m->extra_used);
	}
	free(parts);
}

/* Fixed sessions of the campaign, weekly ones expanded, each (team, date,
 * kind) once, in campaign order. */
static int expand_fixed(const struct campaign *c, struct mfixed **out, size_t *nout)
{
	struct mfixed *list = NULL;
	size_t n = 0, alloc = 0;

	for (size_t i = 0; i < c->nfixed; i++) {
		const struct fixed_session *f = &c->fixed[i];
		int first = f->weekly ? f->from : f->date, last = f->weekly ? f->to : f->date;

		if (first < c->start)
			first = c->start;
		if (last > c->end)
			last = c->end;
		for (int d = first; d <= last; d++) {
			bool dup = false;

			if (f->weekly && date_weekday(d) != f->weekday)
				continue;
			if (!session_possible(c, f->team, f->site, d, f->slot))
				continue;
			for (size_t j = 0; j < n && !dup; j++)
				dup = list[j].team == f->team && list[j].date == d &&
				      list[j].kind == f->slot;
			if (dup)
				continue;
			if (grow_array(&list, &alloc, n + 1, sizeof(*list))) {
				free(list);
				return ROTA_ENOMEM;
			}
			list[n++] = (struct mfixed){ .team = f->team, .site = f->site, .date = d,
						     .kind = f->slot };
		}
	}
	*out = list;
	*nout = n;
	return ROTA_OK;
}

/* A team that can hold sessions in two communes or more is shared: it
 * does not join the communes into one part, but appears in each part it
 * reaches (docs/model.md, decomposition). */
static bool team_is_shared(const struct campaign *c, size_t t)
{
	int first = -1;

	for (size_t s = 0; s < c->nsites; s++) {
		int cm = c->sites[s].commune;

		if (cm < 0 || !team_uses_site(c, t, s))
			continue;
		if (first < 0)
			first = cm;
		else if (cm != first)
			return true;
	}
	return false;
}

int mcomp_build_all(const struct campaign *c, struct mcomp **out, size_t *nout)
{
	size_t T = c->nteams, S = c->nsites, U = c->nunits, N = T + S + U;
	size_t *parent = xcalloc_array(N, sizeof(*parent));
	size_t *root_part = xcalloc_array(N, sizeof(*root_part));
	bool *shared = xcalloc_array(T + 1, sizeof(bool));
	struct mfixed *fixed = NULL;
	size_t nfixed = 0, nparts = 0;
	struct mcomp *parts = NULL;
	int rc = ROTA_ENOMEM;

	*out = NULL;
	*nout = 0;
	if (!parent || !root_part || !shared || expand_fixed(c, &fixed, &nfixed))
		goto out;
	for (size_t i = 0; i < N; i++)
		parent[i] = i;
	for (size_t t = 0; t < T; t++)
		shared[t] = team_is_shared(c, t);
	for (size_t u = 0; u < U; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++)
			for (size_t s = 0; s < S; s++)
				if (c->units[u].demand[d].count > 0 && row_may_use_site(c, u, d, s))
					uf_union(parent, T + S + u, T + s);
	for (size_t t = 0; t < T; t++)
		for (size_t s = 0; s < S; s++)
			if (!shared[t] && team_uses_site(c, t, s))
				uf_union(parent, t, T + s);
	/* A shared team whose sites all fall in one part is local to it. */
	for (size_t t = 0; t < T; t++) {
		size_t root = (size_t)-1;
		bool one = true;

		if (!shared[t])
			continue;
		for (size_t s = 0; s < S && one; s++) {
			if (!team_uses_site(c, t, s))
				continue;
			if (root == (size_t)-1)
				root = uf_find(parent, T + s);
			else if (uf_find(parent, T + s) != root)
				one = false;
		}
		if (one) {
			shared[t] = false;
			for (size_t s = 0; s < S; s++)
				if (team_uses_site(c, t, s))
					uf_union(parent, t, T + s);
		}
	}
	for (size_t i = 0; i < N; i++)
		root_part[i] = (size_t)-1;

	/* A part for every root that has a demand row or a fixed session. */
	parts = xcalloc_array(N, sizeof(*parts));
	if (!parts)
		goto out;
	for (size_t i = 0; i < N; i++) {
		size_t r = uf_find(parent, i);
		bool wanted = false;

		if (root_part[r] != (size_t)-1 || (i < T && shared[i]))
			continue;
		for (size_t u = 0; u < U && !wanted; u++)
			if (uf_find(parent, T + S + u) == r)
				for (size_t d = 0; d < c->units[u].ndemand; d++)
					if (c->units[u].demand[d].count > 0)
						wanted = true;
		for (size_t f = 0; f < nfixed && !wanted; f++)
			if (uf_find(parent, T + fixed[f].site) == r)
				wanted = true;
		if (!wanted)
			continue;
		root_part[r] = nparts++;
	}
	for (size_t p = 0; p < nparts; p++) {
		struct mcomp *m = &parts[p];
		size_t r = 0;

		for (size_t i = 0; i < N; i++)
			if (!(i < T && shared[i]) && root_part[uf_find(parent, i)] == p) {
				r = uf_find(parent, i);
				break;
			}
		m->c = c;
		m->teams = xcalloc_array(T, sizeof(size_t));
		m->shared = xcalloc_array(T, sizeof(bool));
		m->sites = xcalloc_array(S, sizeof(size_t));
		m->site_local = xcalloc_array(S, sizeof(int));
		if (!m->teams || !m->shared || !m->sites || !m->site_local)
			goto out;
		for (size_t s = 0; s < S; s++) {
			m->site_local[s] = -1;
			if (uf_find(parent, T + s) == r) {
				m->site_local[s] = (int)m->nsites;
				m->sites[m->nsites++] = s;
			}
		}
		for (size_t t = 0; t < T; t++) {
			bool in = !shared[t] && uf_find(parent, t) == r;

			for (size_t i = 0; i < m->nsites && shared[t] && !in; i++)
				in = team_uses_site(c, t, m->sites[i]);
			if (in) {
				m->shared[m->nteams] = shared[t];
				m->teams[m->nteams++] = t;
			}
		}
		for (size_t u = 0; u < U; u++) {
			if (uf_find(parent, T + S + u) != r)
				continue;
			for (size_t d = 0; d < c->units[u].ndemand; d++) {
				const struct demand *dm = &c->units[u].demand[d];
				const struct group *g = &c->groups[dm->group];
				struct mrow *row;
				size_t alloc = m->nrows;

				if (dm->count <= 0)
					continue;
				if (grow_array(&m->rows, &alloc, m->nrows + 1, sizeof(*m->rows)))
					goto out;
				row = &m->rows[m->nrows++];
				memset(row, 0, sizeof(*row));
				*row = (struct mrow){ .unit = u, .demand = d, .group = dm->group,
						      .service = dm->service, .count = dm->count,
						      .level = g->level, .from = g->from,
						      .deadline = g->deadline, .turnout = g->turnout };
				row->sites = xcalloc_array(m->nsites, sizeof(size_t));
				if (!row->sites)
					goto out;
				for (size_t i = 0; i < m->nsites; i++)
					if (row_may_use_site(c, u, d, m->sites[i]))
						row->sites[row->nsites++] = m->sites[i];
				sort_c = c;
				sort_unit_site = c->units[u].site;
				qsort(row->sites, row->nsites, sizeof(size_t), site_pref_cmp);
				m->weight += 1.0;
			}
		}
		m->week0 = date_week_monday(c->start);
		m->nweeks = (date_week_monday(c->end) - m->week0) / 7 + 1;
		m->blocked = xcalloc_array(m->nteams * (size_t)c->ndays, 1);
		m->extra_used = xcalloc_array(m->nteams * (size_t)m->nweeks, sizeof(int));
		if (!m->blocked || !m->extra_used)
			goto out;
		/* Fixed sessions at the part's sites are its own; those of its
		 * shared teams elsewhere take their dates. */
		for (size_t f = 0; f < nfixed; f++) {
			size_t alloc = m->nfixed, lt = 0;
			bool has = false;

			for (size_t i = 0; i < m->nteams; i++)
				if (m->teams[i] == fixed[f].team) {
					lt = i;
					has = true;
				}
			if (!has)
				continue;
			if (m->site_local[fixed[f].site] < 0) {
				m->blocked[lt * (size_t)c->ndays + (size_t)(fixed[f].date - c->start)] |=
					(unsigned char)SLOT_BIT(fixed[f].kind);
				if (slot_kind_is_extra(fixed[f].kind))
					m->extra_used[lt * (size_t)m->nweeks +
						      (size_t)((date_week_monday(fixed[f].date) - m->week0) / 7)]++;
				continue;
			}
			if (grow_array(&m->fixed, &alloc, m->nfixed + 1, sizeof(*m->fixed)))
				goto out;
			m->fixed[m->nfixed] = fixed[f];
			m->fixed[m->nfixed].team = lt;
			m->nfixed++;
		}
		m->weight *= (double)m->nsites * (double)c->ndays / 7.0 + 1.0;
	}
	*out = parts;
	*nout = nparts;
	parts = NULL;
	rc = ROTA_OK;
out:
	if (parts)
		mcomp_free_all(parts, N);
	free(parent);
	free(root_part);
	free(shared);
	free(fixed);
	return rc;
}

double mcomp_weight(const struct mcomp *m, size_t row, size_t team)
{
	const struct mrow *r = &m->rows[row];
	int cap = m->c->teams[m->teams[team]].capacity[r->service];

	return cap > 0 ? r->turnout / (double)cap : HUGE_VAL;
}

/* Slot kinds the team may still use on date: it exists, the team works
 * it, is available and was not taken elsewhere. */
static slot_set team_kinds_on(const struct mcomp *m, size_t team, int date)
{
	const struct campaign *c = m->c;
	const struct team *t = &c->teams[m->teams[team]];
	slot_set k = campaign_slots_on(c, date) & t->slots;

	if (!k || date_ranges_contain(&t->unavailable, date))
		return 0;
	return k & ~(slot_set)m->blocked[team * (size_t)c->ndays + (size_t)(date - c->start)];
}

static int week_of(const struct mcomp *m, int date)
{
	return (date_week_monday(date) - m->week0) / 7;
}

/* ---------------------------------------------------------------- plans */

void wplan_release(struct wplan *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->s[i].visits);
	free(w->s);
	memset(w, 0, sizeof(*w));
}

int wplan_add(struct wplan *w, size_t team, size_t site, int date, enum slot_kind kind,
	      bool fixed, double share)
{
	struct wsession *s;

	if (grow_array(&w->s, &w->alloc, w->n + 1, sizeof(*w->s)))
		return -1;
	s = &w->s[w->n];
	memset(s, 0, sizeof(*s));
	s->team = team;
	s->site = site;
	s->date = date;
	s->kind = kind;
	s->fixed = fixed;
	s->share = share;
	return (int)w->n++;
}

int wsession_add(struct wsession *s, size_t row, int count, double weight)
{
	for (size_t i = 0; i < s->nvisits; i++)
		if (s->visits[i].row == row) {
			s->visits[i].count += count;
			s->load += count * weight;
			return ROTA_OK;
		}
	if (grow_array(&s->visits, &s->alloc, s->nvisits + 1, sizeof(*s->visits)))
		return ROTA_ENOMEM;
	s->visits[s->nvisits++] = (struct wvisit){ .row = row, .count = count };
	s->load += count * weight;
	return ROTA_OK;
}

/* Whole people of weight w that still fit on top of load, at most want. */
static int fit_count(double load, double w, double share, int want)
{
	double room = share + MODEL_LOAD_EPS - load;
	double k;

	if (want <= 0 || room < w)
		return 0;
	k = floor(room / w);
	if (k > want)
		k = want;
	while (k > 0 && load + k * w > share + MODEL_LOAD_EPS)
		k--;
	return (int)k;
}

bool lv_describe(const struct campaign *c, int i, char *out, size_t size)
{
	int L = c->nlevels;
	int prio = 0;

	if (i < 2 * L) {
		int l = i < L ? i : i - L;

		for (size_t g = 0; g < c->ngroups; g++)
			if (c->groups[g].level == l)
				prio = c->groups[g].priority;
		snprintf(out, size, "%s-p%d", i < L ? "deadline" : "served", prio);
		return true;
	}
	snprintf(out, size, "%s",
		 i == lv_extra(L) ? "extra-sessions" : i == lv_minutes(L) ? "person-minutes"
									   : "earliness");
	return false;
}

void wplan_levels(const struct mcomp *m, const struct wplan *w, double *v)
{
	const struct campaign *c = m->c;
	int L = c->nlevels;

	memset(v, 0, (size_t)lv_count(L) * sizeof(*v));
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];
		size_t t = m->teams[s->team];

		if (slot_kind_is_extra(s->kind))
			v[lv_extra(L)] += 1;
		v[lv_minutes(L)] += session_cost_minutes(c, t, s->site, s->kind);
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct mrow *r = &m->rows[s->visits[j].row];
			int n = s->visits[j].count;

			if (s->date <= r->deadline)
				v[lv_deadline(r->level)] += n;
			v[lv_served(L, r->level)] += n;
			v[lv_minutes(L)] +=
				(double)n * 2.0 * campaign_travel(c, c->units[r->unit].site, s->site);
			v[lv_early(L)] += (double)n * (s->date - c->start);
		}
	}
}

/* --------------------------------------------------------------- greedy */

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

static int max_extra(const struct mcomp *m, size_t team)
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

static bool row_has_site(const struct mrow *r, size_t site)
{
	for (size_t i = 0; i < r->nsites; i++)
		if (r->sites[i] == site)
			return true;
	return false;
}

/* The row's people may join session s. */
static bool row_may_join(const struct mcomp *m, size_t row, const struct wsession *s)
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

		for (size_t i = 0; i < g->w->n; i++) {
			const struct wsession *s = &g->w->s[i];
			const struct wsession *b = best >= 0 ? &g->w->s[best] : NULL;
			int fit;

			if (s->date < lo || s->date > hi)
				continue;
			if (b && (s->date > b->date ||
				  (s->date == b->date && s->kind >= b->kind)))
				continue;
			if (!row_may_join(m, row, s))
				continue;
			fit = fit_count(s->load, mcomp_weight(m, row, s->team), s->share,
					g->remaining[row]);
			if (fit < 1)
				continue;
			best = (long)i;
			best_fit = fit;
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

/* ------------------------------------------------------ earlier dates */

static int session_people(const struct wsession *s)
{
	int n = 0;

	for (size_t i = 0; i < s->nvisits; i++)
		n += s->visits[i].count;
	return n;
}

static void wsession_remove_people(struct wsession *s, size_t vi, int count, double weight)
{
	s->visits[vi].count -= count;
	s->load -= count * weight;
	if (s->visits[vi].count == 0) {
		s->visits[vi] = s->visits[s->nvisits - 1];
		s->nvisits--;
	}
	if (s->nvisits == 0)
		s->load = 0.0;
}

static _Thread_local const struct wplan *date_sort_w;

static int session_date_cmp(const void *pa, const void *pb)
{
	const struct wsession *a = &date_sort_w->s[*(const size_t *)pa];
	const struct wsession *b = &date_sort_w->s[*(const size_t *)pb];

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return (*(const size_t *)pa > *(const size_t *)pb) - (*(const size_t *)pa < *(const size_t *)pb);
}

/* Moves people into earlier sessions at no extra travel. Returns the
 * number of people moved, or -1 when out of memory. */
static long shift_people(const struct mcomp *m, struct wplan *w)
{
	const struct campaign *c = m->c;
	size_t *order = xcalloc_array(w->n + 1, sizeof(size_t));
	long moved = 0;

	if (!order)
		return -1;
	for (size_t i = 0; i < w->n; i++)
		order[i] = i;
	date_sort_w = w;
	qsort(order, w->n, sizeof(size_t), session_date_cmp);
	for (size_t b = w->n; b-- > 1;) {
		struct wsession *late = &w->s[order[b]];

		for (size_t vi = 0; vi < late->nvisits;) {
			size_t row = late->visits[vi].row;
			const struct mrow *r = &m->rows[row];
			int tl = campaign_travel(c, c->units[r->unit].site, late->site);
			bool removed = false;

			for (size_t a = 0; a < b && !removed; a++) {
				struct wsession *early = &w->s[order[a]];
				double we;
				int k;

				if (early->date >= late->date || early == late)
					continue;
				if (campaign_travel(c, c->units[r->unit].site, early->site) != tl ||
				    !row_may_join(m, row, early))
					continue;
				we = mcomp_weight(m, row, early->team);
				k = fit_count(early->load, we, early->share, late->visits[vi].count);
				if (k <= 0)
					continue;
				if (wsession_add(early, row, k, we)) {
					free(order);
					return -1;
				}
				moved += k;
				removed = late->visits[vi].count == k;
				wsession_remove_people(late, vi, k, mcomp_weight(m, row, late->team));
			}
			if (!removed)
				vi++;
		}
	}
	free(order);
	/* Sessions left empty go, unless fixed. */
	{
		size_t keep = 0;

		for (size_t i = 0; i < w->n; i++) {
			if (!w->s[i].fixed && w->s[i].nvisits == 0) {
				free(w->s[i].visits);
				continue;
			}
			w->s[keep++] = w->s[i];
		}
		w->n = keep;
	}
	return moved;
}

/* A minimum-cost flow on a small graph (successive shortest paths with
 * Bellman-Ford, costs >= 0 on the forward arcs). */
struct flow_arc {
	int to, cap;
	long cost;
};

struct flow_graph {
	struct flow_arc *arcs; size_t narcs, alloc;
	int *first_arc_unused;
	int nnodes;
	int **adj; int *nadj, *aadj;
};

static void fg_release(struct flow_graph *g)
{
	for (int i = 0; i < g->nnodes; i++)
		free(g->adj[i]);
	free(g->adj);
	free(g->nadj);
	free(g->aadj);
	free(g->arcs);
	memset(g, 0, sizeof(*g));
}

static int fg_init(struct flow_graph *g, int nnodes)
{
	memset(g, 0, sizeof(*g));
	g->nnodes = nnodes;
	g->adj = xcalloc_array((size_t)nnodes, sizeof(int *));
	g->nadj = xcalloc_array((size_t)nnodes, sizeof(int));
	g->aadj = xcalloc_array((size_t)nnodes, sizeof(int));
	return g->adj && g->nadj && g->aadj ? ROTA_OK : ROTA_ENOMEM;
}

static int fg_link(struct flow_graph *g, int node, int arc)
{
	if (g->nadj[node] == g->aadj[node]) {
		int n = g->aadj[node] ? 2 * g->aadj[node] : 4;
		int *a = xrealloc_array(g->adj[node], (size_t)n, sizeof(int));

		if (!a)
			return ROTA_ENOMEM;
		g->adj[node] = a;
		g->aadj[node] = n;
	}
	g->adj[node][g->nadj[node]++] = arc;
	return ROTA_OK;
}

/* Adds u -> v; returns the arc index (its reverse is index ^ 1) or -1. */
static int fg_add(struct flow_graph *g, int u, int v, int cap, long cost)
{
	if (grow_array(&g->arcs, &g->alloc, g->narcs + 2, sizeof(*g->arcs)))
		return -1;
	g->arcs[g->narcs] = (struct flow_arc){ .to = v, .cap = cap, .cost = cost };
	g->arcs[g->narcs + 1] = (struct flow_arc){ .to = u, .cap = 0, .cost = -cost };
	if (fg_link(g, u, (int)g->narcs) || fg_link(g, v, (int)g->narcs + 1))
		return -1;
	g->narcs += 2;
	return (int)g->narcs - 2;
}

/* Sends up to `want` units from s to t at least cost; returns the flow. */
static int fg_min_cost_flow(struct flow_graph *g, int s, int t, int want)
{
	long *dist = xcalloc_array((size_t)g->nnodes, sizeof(long));
	int *prev = xcalloc_array((size_t)g->nnodes, sizeof(int));
	int *queue = xcalloc_array((size_t)g->nnodes + 1, sizeof(int));
	char *inq = xcalloc_array((size_t)g->nnodes, 1);
	int sent = 0;

	if (!dist || !prev || !queue || !inq)
		goto out;
	while (sent < want) {
		int qh = 0, qt = 0, n = g->nnodes;

		for (int i = 0; i < n; i++) {
			dist[i] = LONG_MAX;
			prev[i] = -1;
			inq[i] = 0;
		}
		dist[s] = 0;
		queue[qt++] = s;
		inq[s] = 1;
		/* SPFA with a circular queue. */
		while (qh != qt) {
			int u = queue[qh];

			qh = (qh + 1) % (n + 1);
			inq[u] = 0;
			for (int k = 0; k < g->nadj[u]; k++) {
				int a = g->adj[u][k];
				const struct flow_arc *e = &g->arcs[a];

				if (e->cap > 0 && dist[u] + e->cost < dist[e->to]) {
					dist[e->to] = dist[u] + e->cost;
					prev[e->to] = a;
					if (!inq[e->to]) {
						queue[qt] = e->to;
						qt = (qt + 1) % (n + 1);
						inq[e->to] = 1;
					}
				}
			}
		}
		if (dist[t] == LONG_MAX)
			break;
		for (int v = t; v != s; v = g->arcs[prev[v] ^ 1].to) {
			g->arcs[prev[v]].cap--;
			g->arcs[prev[v] ^ 1].cap++;
		}
		sent++;
	}
out:
	free(dist);
	free(prev);
	free(queue);
	free(inq);
	return sent;
}

/* Re-dates the sessions that are not fixed: each to a date its team,
 * site, kind and people allow (keeping everyone who was in time for a
 * deadline in time), one per team, date and kind, weekly limits kept, at
 * least total cost people x days. Returns 1 when a date changed, 0 when
 * not, -1 when out of memory. */
static int redate(const struct mcomp *m, struct wplan *w)
{
	const struct campaign *c = m->c;
	int nd = c->ndays, nt = (int)m->nteams, nw = m->nweeks;
	/* nodes: source, sink, sessions, slots (team, day, kind), weeks (team, week) */
	int src = 0, snk = 1, base_s = 2, base_slot = base_s + (int)w->n;
	int base_week = base_slot + nt * nd * SLOT_COUNT;
	int nnodes = base_week + nt * nw;
	struct flow_graph g;
	int *sess_arc0 = NULL, *sess_narcs = NULL, *room = NULL;
	int nmov = 0, sent, changed = 0, rc = -1;

	if (fg_init(&g, nnodes))
		goto out;
	sess_arc0 = xcalloc_array(w->n + 1, sizeof(int));
	sess_narcs = xcalloc_array(w->n + 1, sizeof(int));
	room = xcalloc_array((size_t)nt * (size_t)nw, sizeof(int));
	if (!sess_arc0 || !sess_narcs || !room)
		goto out;
	for (int t = 0; t < nt; t++)
		for (int k = 0; k < nw; k++)
			room[t * nw + k] = max_extra(m, (size_t)t) - m->extra_used[t * nw + k];
	for (size_t i = 0; i < w->n; i++)
		if (w->s[i].fixed && slot_kind_is_extra(w->s[i].kind))
			room[(int)w->s[i].team * nw + week_of(m, w->s[i].date)]--;
	for (int t = 0; t < nt; t++)
		for (int k = 0; k < nw; k++)
			if (room[t * nw + k] > 0 &&
			    fg_add(&g, base_week + t * nw + k, snk, room[t * nw + k], 0) < 0)
				goto out;
	/* Slots: free (team, date, kind) not taken by a fixed session. */
	for (int t = 0; t < nt; t++)
		for (int d = c->start; d <= c->end; d++) {
			slot_set ks = team_kinds_on(m, (size_t)t, d);

			for (size_t i = 0; i < w->n; i++)
				if (w->s[i].fixed && (int)w->s[i].team == t && w->s[i].date == d)
					ks &= ~SLOT_BIT(w->s[i].kind);
			for (int k = 0; k < SLOT_COUNT; k++) {
				int node = base_slot + (t * nd + (d - c->start)) * SLOT_COUNT + k;

				if (!(ks & SLOT_BIT(k)))
					continue;
				if (slot_kind_is_extra((enum slot_kind)k)) {
					if (fg_add(&g, node, base_week + t * nw + week_of(m, d), 1, 0) < 0)
						goto out;
				} else if (fg_add(&g, node, snk, 1, 0) < 0) {
					goto out;
				}
			}
		}
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];
		size_t ct = m->teams[s->team];
		int lo = c->start, hi = c->end;
		long people = session_people(s);

		if (s->fixed)
			continue;
		for (size_t v = 0; v < s->nvisits; v++) {
			const struct mrow *r = &m->rows[s->visits[v].row];

			if (r->from > lo)
				lo = r->from;
			if (s->date <= r->deadline && r->deadline < hi)
				hi = r->deadline;
		}
		if (fg_add(&g, src, base_s + (int)i, 1, 0) < 0)
			goto out;
		sess_arc0[i] = (int)g.narcs;
		for (int d = lo; d <= hi; d++) {
			bool ok = session_possible(c, ct, s->site, d, s->kind);

			for (size_t v = 0; v < s->nvisits && ok; v++) {
				const struct mrow *r = &m->rows[s->visits[v].row];

				ok = visit_allowed(c, r->unit, r->demand, ct, s->site, d, s->kind);
			}
			if (!ok)
				continue;
			if (fg_add(&g, base_s + (int)i,
				   base_slot + ((int)s->team * nd + (d - c->start)) * SLOT_COUNT + (int)s->kind,
				   1, people * (d - c->start)) < 0)
				goto out;
			sess_narcs[i]++;
		}
		nmov++;
	}
	sent = fg_min_cost_flow(&g, src, snk, nmov);
	if (sent < nmov) {
		rc = 0; /* should not happen: the current dates are a flow */
		goto out;
	}
	for (size_t i = 0; i < w->n; i++) {
		struct wsession *s = &w->s[i];

		if (s->fixed)
			continue;
		for (int k = 0; k < sess_narcs[i]; k++) {
			const struct flow_arc *e = &g.arcs[sess_arc0[i] + 2 * k];

			if (e->cap == 0) {
				int slot = e->to - base_slot;
				int d = c->start + (slot / SLOT_COUNT) % nd;

				if (d != s->date) {
					s->date = d;
					changed = 1;
				}
			}
		}
	}
	rc = changed;
out:
	fg_release(&g);
	free(sess_arc0);
	free(sess_narcs);
	free(room);
	return rc;
}

int wplan_improve_dates(const struct mcomp *m, struct wplan *w)
{
	for (int round = 0; round < 20; round++) {
		long moved = shift_people(m, w);
		int changed;

		if (moved < 0)
			return ROTA_ENOMEM;
		changed = redate(m, w);
		if (changed < 0)
			return ROTA_ENOMEM;
		if (moved == 0 && !changed)
			break;
	}
	return ROTA_OK;
}

int wplan_place_fixed(const struct mcomp *m, struct wplan *w)
{
	for (size_t f = 0; f < m->nfixed; f++) {
		const struct mfixed *x = &m->fixed[f];
		double share = session_capacity_share(m->c, m->teams[x->team], x->site, x->kind);

		if (wplan_add(w, x->team, x->site, x->date, x->kind, true, share) < 0)
			return ROTA_ENOMEM;
	}
	return ROTA_OK;
}

/* ----------------------------------------------------------------- hull */

/* Whole people of two weight classes that fit in one session: the
 * integer hull of { (a, b) : a wa + b wb <= share }, as its upper-right
 * facets fa a + fb b <= fc with whole coefficients (docs/model.md). */
enum { HULL_MAX_FACETS = 64 };

struct hull2 {
	double wa, wb, share;
	int amax, bmax;
	int nf;
	long fa[HULL_MAX_FACETS], fb[HULL_MAX_FACETS], fc[HULL_MAX_FACETS];
};

static int hull_bmax(const struct hull2 *h, int a)
{
	return fit_count(a * h->wa, h->wb, h->share, INT_MAX);
}

/* Returns 0 or ROTA_ENOMEM. */
static int hull2_build(struct hull2 *h, double wa, double wb, double share)
{
	int *ha = NULL, n = 0;

	memset(h, 0, sizeof(*h));
	h->wa = wa;
	h->wb = wb;
	h->share = share;
	h->amax = fit_count(0.0, wa, share, INT_MAX);
	h->bmax = fit_count(0.0, wb, share, INT_MAX);
	ha = malloc(((size_t)h->amax + 1) * sizeof(int));
	if (!ha)
		return ROTA_ENOMEM;
	for (int a = 0; a <= h->amax; a++) {
		int b = hull_bmax(h, a);

		while (n >= 2) {
			long a1 = ha[n - 2], b1 = hull_bmax(h, ha[n - 2]);
			long a2 = ha[n - 1], b2 = hull_bmax(h, ha[n - 1]);

			if ((a2 - a1) * (b - b1) - (b2 - b1) * (a - a1) >= 0)
				n--;
			else
				break;
		}
		ha[n++] = a;
	}
	for (int i = 0; i + 1 < n && h->nf < HULL_MAX_FACETS; i++) {
		long a1 = ha[i], b1 = hull_bmax(h, ha[i]);
		long a2 = ha[i + 1], b2 = hull_bmax(h, ha[i + 1]);

		if (b1 <= b2)
			continue;
		h->fa[h->nf] = b1 - b2;
		h->fb[h->nf] = a2 - a1;
		h->fc[h->nf] = (b1 - b2) * a1 + (a2 - a1) * b1;
		h->nf++;
	}
	free(ha);
	return ROTA_OK;
}

/* (A, B) people can be shared out among k sessions. */
static bool hull2_fits(const struct hull2 *h, long A, long B, long k)
{
	if (A > (long)h->amax * k || B > (long)h->bmax * k)
		return false;
	for (int f = 0; f < h->nf; f++)
		if (h->fa[f] * A + h->fb[f] * B > h->fc[f] * k)
			return false;
	return true;
}

/* ---------------------------------------------------------------- model */

static int add_row(struct model *mo, char sense, double rhs)
{
	if (mo->nrows == mo->alloc_rows) {
		int n = mo->alloc_rows ? 2 * mo->alloc_rows : 1024;
		char *s = xrealloc_array(mo->sense, (size_t)n, sizeof(char));
		double *r;

		if (!s)
			return -1;
		mo->sense = s;
		r = xrealloc_array(mo->rhs, (size_t)n, sizeof(double));
		if (!r)
			return -1;
		mo->rhs = r;
		mo->alloc_rows = n;
	}
	mo->sense[mo->nrows] = sense;
	mo->rhs[mo->nrows] = rhs;
	return mo->nrows++;
}

static int add_ent(struct model *mo, int row, int col, double val)
{
	if (grow_array(&mo->ents, &mo->alloc_ents, mo->nents + 1, sizeof(*mo->ents)))
		return -1;
	mo->ents[mo->nents++] = (struct mentry){ .row = row, .col = col, .val = val };
	return 0;
}

void model_release(struct model *mo)
{
	for (int i = 0; i < mo->ncells; i++) {
		free(mo->cells[i].visits);
		free(mo->cells[i].cw);
	}
	for (int i = 0; i < mo->ngroups; i++) {
		free(mo->groups[i].dates);
		free(mo->groups[i].cw);
	}
	free(mo->groups);
	free(mo->aggs);
	free(mo->periods);
	free(mo->period_of);
	free(mo->cells);
	free(mo->visits);
	free(mo->col_ub);
	free(mo->sense);
	free(mo->rhs);
	free(mo->ents);
	free(mo->obj);
	free(mo->obj_const);
	free(mo->cell_of);
	memset(mo, 0, sizeof(*mo));
}

static size_t cell_key(const struct model *mo, size_t team, size_t site_l, int period, int kind)
{
	const struct mcomp *m = mo->comp;

	return ((team * m->nsites + site_l) * (size_t)mo->nperiods + (size_t)period) * SLOT_COUNT +
	       (size_t)kind;
}

/* Cuts the campaign into periods; see docs/model.md. */
static int build_periods(struct model *mo)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	int nd = c->ndays;
	unsigned char *cut = xcalloc_array((size_t)nd + 1, 1);
	int n = 0;

	if (!cut)
		return ROTA_ENOMEM;
#define CUT(date)                                                   \
	do {                                                        \
		int cut_d = (date);                                 \
		if (cut_d > c->start && cut_d <= c->end)            \
			cut[cut_d - c->start] = 1;                  \
	} while (0)
	cut[0] = cut[nd] = 1;
	for (size_t r = 0; r < m->nrows; r++) {
		CUT(m->rows[r].from);
		CUT(m->rows[r].deadline + 1);
	}
	for (size_t s = 0; s < m->nsites; s++) {
		const struct date_ranges *cl = &c->sites[m->sites[s]].closed;

		for (size_t i = 0; i < cl->count; i++) {
			CUT(cl->items[i].first);
			CUT(cl->items[i].last + 1);
		}
	}
	if (mo->fine)
		for (int d = c->start; d <= c->end && d <= mo->horizon + 7; d++)
			if (date_weekday(d) == 0)
				CUT(d);
	/* A cut inside a week makes the whole week a run of pieces. */
	for (int i = 0; i <= nd; i++) {
		int d = c->start + i;

		if (cut[i] && date_weekday(d) != 0) {
			CUT(date_week_monday(d));
			CUT(date_week_monday(d) + 7);
		}
	}
#undef CUT
	for (int i = 0; i < nd; i++)
		n += cut[i];
	mo->periods = xcalloc_array((size_t)n, sizeof(*mo->periods));
	mo->period_of = xcalloc_array((size_t)nd, sizeof(int));
	if (!mo->periods || !mo->period_of) {
		free(cut);
		return ROTA_ENOMEM;
	}
	mo->nperiods = 0;
	for (int i = 0; i < nd; i++) {
		struct mperiod *p;

		if (cut[i]) {
			p = &mo->periods[mo->nperiods++];
			p->first = c->start + i;
		}
		p = &mo->periods[mo->nperiods - 1];
		p->last = c->start + i;
		mo->period_of[i] = mo->nperiods - 1;
	}
	for (int i = 0; i < mo->nperiods; i++) {
		struct mperiod *p = &mo->periods[i];

		p->week = date_week_monday(p->first) == date_week_monday(p->last)
				  ? week_of(m, p->first)
				  : -1;
	}
	free(cut);
	return ROTA_OK;
}

/* Per team and date, the kinds still free for new sessions (team_kinds_on
 * less the fixed sessions of the part). */
static unsigned char *free_kinds(const struct mcomp *m)
{
	const struct campaign *c = m->c;
	unsigned char *fk = xcalloc_array(m->nteams * (size_t)c->ndays, 1);

	if (!fk)
		return NULL;
	for (size_t t = 0; t < m->nteams; t++)
		for (int d = c->start; d <= c->end; d++)
			fk[t * (size_t)c->ndays + (size_t)(d - c->start)] =
				(unsigned char)team_kinds_on(m, t, d);
	for (size_t f = 0; f < m->nfixed; f++)
		fk[m->fixed[f].team * (size_t)c->ndays + (size_t)(m->fixed[f].date - c->start)] &=
			(unsigned char)~SLOT_BIT(m->fixed[f].kind);
	return fk;
}

/* Extra sessions team may still add in week w: the limit less what other
 * parts and this part's fixed sessions use. */
static int *week_room(const struct mcomp *m)
{
	int *room = xcalloc_array(m->nteams * (size_t)m->nweeks, sizeof(int));

	if (!room)
		return NULL;
	for (size_t t = 0; t < m->nteams; t++)
		for (int w = 0; w < m->nweeks; w++)
			room[t * (size_t)m->nweeks + (size_t)w] =
				max_extra(m, t) - m->extra_used[t * (size_t)m->nweeks + (size_t)w];
	for (size_t f = 0; f < m->nfixed; f++)
		if (slot_kind_is_extra(m->fixed[f].kind))
			room[m->fixed[f].team * (size_t)m->nweeks +
			     (size_t)week_of(m, m->fixed[f].date)]--;
	for (size_t i = 0; i < m->nteams * (size_t)m->nweeks; i++)
		if (room[i] < 0)
			room[i] = 0;
	return room;
}

static int find_visit(const struct model *mo, const struct mcell *cl, size_t row);

static int build_aggs(struct model *mo)
{
	size_t alloc = 0;

	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];
		int n = 0, a, nfixed = 0;

		for (a = 0; a < mo->naggs; a++)
			if (mo->aggs[a].team == cl->team && mo->aggs[a].site == cl->site &&
			    mo->aggs[a].kind == cl->kind)
				break;
		if (a < mo->naggs || cl->ub == 0)
			continue;
		for (int j = i; j < mo->ncells; j++)
			if (mo->cells[j].team == cl->team && mo->cells[j].site == cl->site &&
			    mo->cells[j].kind == cl->kind) {
				n += mo->cells[j].ub > 0;
				nfixed += mo->cells[j].nfixed;
			}
		if (n < 2)
			continue;
		if (grow_array(&mo->aggs, &alloc, (size_t)mo->naggs + 1, sizeof(*mo->aggs)))
			return ROTA_ENOMEM;
		mo->aggs[mo->naggs++] = (struct magg){ .team = cl->team, .site = cl->site,
						       .kind = cl->kind, .col = -1, .nfixed = nfixed };
	}
	return ROTA_OK;
}

/* The residual capacity row of an aggregate (or of cell ci when ag is
 * NULL): with D the most load its people could bring, C one session's
 * share, k = ceil(D / C) and r = D - (k - 1) C, load <= D - r (k - Y - F)
 * holds for every whole Y and is the convex hull of the site alone. */
static int add_residual(struct model *mo, const struct magg *ag, int ci)
{
	const struct mcomp *m = mo->comp;
	double D = 0.0, C = 0.0, k, r;
	int F = 0, ycol, row;
	double *rowload = xcalloc_array(m->nrows + 1, sizeof(double));

	if (!rowload)
		return ROTA_ENOMEM;
	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];

		if (ag ? (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind)
		       : i != ci)
			continue;
		C = cl->share;
		F += cl->nfixed;
		for (int v = 0; v < cl->nvisits; v++) {
			const struct mvisit *mv = &mo->visits[cl->visits[v]];

			rowload[mv->row] += mv->ub * mv->weight;
		}
	}
	for (size_t r0 = 0; r0 < m->nrows; r0++) {
		double most = m->rows[r0].count * (rowload[r0] > 0 ? 1.0 : 0.0);
		double w = mcomp_weight(m, r0, (size_t)(ag ? ag->team : mo->cells[ci].team));

		if (most * w < rowload[r0])
			rowload[r0] = most * w;
		D += rowload[r0];
	}
	free(rowload);
	if (C <= 0.0 || D <= C * F + 1e-9)
		return ROTA_OK;
	k = ceil(D / C - 1e-9);
	r = D - (k - 1.0) * C;
	if (r >= C - 1e-9 || k <= F)
		return ROTA_OK; /* nothing to cut */
	ycol = ag ? ag->col : mo->cells[ci].col;
	if ((row = add_row(mo, 'L', D - r * k + r * F)) < 0 || add_ent(mo, row, ycol, -r))
		return ROTA_ENOMEM;
	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];

		if (ag ? (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind)
		       : i != ci)
			continue;
		for (int v = 0; v < cl->nvisits; v++) {
			const struct mvisit *mv = &mo->visits[cl->visits[v]];

			if (add_ent(mo, row, mv->col, mv->weight))
				return ROTA_ENOMEM;
		}
	}
	return ROTA_OK;
}

/* Groups the cells of one team, period and kind of the fine model, with
 * the dates they may take and the weight classes of their people. */
static int build_groups(struct model *mo, const unsigned char *fk)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	size_t nkeys = m->nteams * (size_t)mo->nperiods * SLOT_COUNT;
	int *group_of = xcalloc_array(nkeys, sizeof(int));
	size_t alloc = 0;

	if (!group_of)
		return ROTA_ENOMEM;
	for (size_t i = 0; i < nkeys; i++)
		group_of[i] = -1;
	for (int i = 0; i < mo->ncells; i++) {
		struct mcell *cl = &mo->cells[i];
		size_t key = ((size_t)cl->team * (size_t)mo->nperiods + (size_t)cl->period) *
				     SLOT_COUNT + (size_t)cl->kind;
		struct mgroup *g;

		if (group_of[key] < 0) {
			const struct mperiod *pp = &mo->periods[cl->period];

			if (grow_array(&mo->groups, &alloc, (size_t)mo->ngroups + 1, sizeof(*mo->groups)))
				goto fail;
			g = &mo->groups[mo->ngroups];
			memset(g, 0, sizeof(*g));
			g->team = cl->team;
			g->period = cl->period;
			g->kind = cl->kind;
			g->dates = xcalloc_array((size_t)(pp->last - pp->first + 1), sizeof(int));
			g->cw = xcalloc_array((size_t)mo->nvisits + 1, sizeof(double));
			if (!g->dates || !g->cw) {
				free(g->dates);
				free(g->cw);
				goto fail;
			}
			for (int d = pp->first; d <= pp->last; d++) {
				bool ok = fk[(size_t)cl->team * (size_t)c->ndays + (size_t)(d - c->start)] &
					  SLOT_BIT(cl->kind);

				for (size_t f = 0; f < m->nfixed && !ok; f++)
					ok = m->fixed[f].team == (size_t)cl->team && m->fixed[f].date == d &&
					     m->fixed[f].kind == cl->kind;
				if (ok)
					g->dates[g->ndates++] = d;
			}
			group_of[key] = mo->ngroups++;
		}
		cl->group = group_of[key];
		g = &mo->groups[cl->group];
		if (cl->share > g->share_max)
			g->share_max = cl->share;
		for (int v = 0; v < cl->nvisits; v++) {
			struct mvisit *mv = &mo->visits[cl->visits[v]];
			int j;

			for (j = 0; j < g->nclass; j++)
				if (fabs(g->cw[j] - mv->weight) <= 1e-12 * mv->weight)
					break;
			if (j == g->nclass)
				g->cw[g->nclass++] = mv->weight;
			mv->cls = j;
		}
	}
	/* A group with one date needs no ranks; neither does a long tail. */
	for (int g = 0; g < mo->ngroups; g++)
		mo->groups[g].col0 =
			mo->groups[g].ndates >= 2 && mo->groups[g].ndates <= 7 && mo->groups[g].nclass > 0
				? 0
				: -1;
	free(group_of);
	return ROTA_OK;
fail:
	free(group_of);
	return ROTA_ENOMEM;
}

int model_build(struct model *mo, const struct mcomp *m, bool fine, int horizon)
{
	const struct campaign *c = m->c;
	int L = c->nlevels, nd = c->ndays;
	unsigned char *fk = NULL;
	int *room = NULL;
	size_t ncellkeys;
	size_t alloc_cells = 0, alloc_visits = 0;
	int rc = ROTA_ENOMEM;

	memset(mo, 0, sizeof(*mo));
	mo->comp = m;
	mo->fine = fine;
	mo->horizon = horizon;
	mo->nlv = lv_count(L);
	if (build_periods(mo))
		goto out;
	fk = free_kinds(m);
	room = week_room(m);
	ncellkeys = m->nteams * m->nsites * (size_t)mo->nperiods * SLOT_COUNT;
	mo->cell_of = xcalloc_array(ncellkeys, sizeof(int));
	if (!fk || !room || !mo->cell_of)
		goto out;
	for (size_t i = 0; i < ncellkeys; i++)
		mo->cell_of[i] = -1;

	/* Cells and their visits. */
	for (size_t t = 0; t < m->nteams; t++) {
		size_t ct = m->teams[t];

		for (size_t sl = 0; sl < m->nsites; sl++) {
			size_t s = m->sites[sl];

			if (!team_reaches_site(c, ct, s))
				continue;
			for (int p = 0; p < mo->nperiods; p++) {
				const struct mperiod *pp = &mo->periods[p];

				for (int k = 0; k < SLOT_COUNT; k++) {
					struct mcell cell = { .team = (int)t, .period = p, .site = s,
							      .kind = (enum slot_kind)k,
							      .first_date = pp->last + 1 };
					int nv_before = mo->nvisits;

					if (!(c->teams[ct].slots & c->sites[s].slots & SLOT_BIT(k)))
						continue;
					for (int d = pp->first; d <= pp->last; d++) {
						bool is_free = fk[t * (size_t)nd + (size_t)(d - c->start)] &
							       SLOT_BIT(k);
						bool is_fixed = false;

						for (size_t f = 0; f < m->nfixed; f++)
							if (m->fixed[f].team == t && m->fixed[f].site == s &&
							    m->fixed[f].date == d && (int)m->fixed[f].kind == k)
								is_fixed = true;
						if (is_fixed)
							cell.nfixed++;
						else if (!is_free ||
							 !session_possible(c, ct, s, d, (enum slot_kind)k))
							continue;
						else
							cell.ub++;
						if (d < cell.first_date)
							cell.first_date = d;
					}
					if (cell.ub + cell.nfixed == 0)
						continue;
					cell.share = session_capacity_share(c, ct, s, (enum slot_kind)k);
					cell.cost = session_cost_minutes(c, ct, s, (enum slot_kind)k);
					for (size_t r = 0; r < m->nrows; r++) {
						const struct mrow *row = &m->rows[r];
						struct mvisit v;
						double fitn;

						if (!row_has_site(row, s) ||
						    !visit_allowed(c, row->unit, row->demand, ct, s, pp->first,
								   (enum slot_kind)k))
							continue;
						v.row = (int)r;
						v.cell = mo->ncells;
						v.weight = mcomp_weight(m, r, t);
						fitn = floor(cell.share / v.weight + MODEL_LOAD_EPS);
						if (fitn < 1)
							continue;
						v.ub = row->count;
						if (fitn * (cell.ub + cell.nfixed) < v.ub)
							v.ub = (int)(fitn * (cell.ub + cell.nfixed));
						if (grow_array(&mo->visits, &alloc_visits, (size_t)mo->nvisits + 1,
							       sizeof(*mo->visits)))
							goto out;
						mo->visits[mo->nvisits++] = v;
					}
					if (mo->nvisits == nv_before && cell.nfixed == 0)
						continue;
					cell.nvisits = mo->nvisits - nv_before;
					cell.visits = xcalloc_array((size_t)cell.nvisits, sizeof(int));
					if (!cell.visits)
						goto out;
					for (int i = 0; i < cell.nvisits; i++)
						cell.visits[i] = nv_before + i;
					if (grow_array(&mo->cells, &alloc_cells, (size_t)mo->ncells + 1,
						       sizeof(*mo->cells))) {
						free(cell.visits);
						goto out;
					}
					mo->cell_of[cell_key(mo, t, sl, p, k)] = mo->ncells;
					mo->cells[mo->ncells++] = cell;
				}
			}
		}
	}

	/* Weight classes of each cell, heaviest first. */
	for (int i = 0; i < mo->ncells; i++) {
		struct mcell *cl = &mo->cells[i];

		cl->cw = xcalloc_array((size_t)cl->nvisits + 1, sizeof(double));
		if (!cl->cw)
			goto out;
		for (int v = 0; v < cl->nvisits; v++) {
			double w = mo->visits[cl->visits[v]].weight;
			int j = 0;

			while (j < cl->ncls && fabs(cl->cw[j] - w) > 1e-12 * w)
				j++;
			if (j == cl->ncls)
				cl->cw[cl->ncls++] = w;
		}
		for (int a = 1; a < cl->ncls; a++)
			for (int b = a; b > 0 && cl->cw[b] > cl->cw[b - 1]; b--) {
				double t = cl->cw[b];

				cl->cw[b] = cl->cw[b - 1];
				cl->cw[b - 1] = t;
			}
		for (int v = 0; v < cl->nvisits; v++) {
			struct mvisit *mv = &mo->visits[cl->visits[v]];

			for (int j = 0; j < cl->ncls; j++)
				if (fabs(cl->cw[j] - mv->weight) <= 1e-12 * mv->weight)
					mv->ccls = j;
		}
	}

	/* Rank groups of the fine model. */
	for (int i = 0; i < mo->ncells; i++)
		mo->cells[i].group = -1;
	if (fine && build_groups(mo, fk))
		goto out;

	/* Aggregates over periods, where a team, site and kind has several. */
	if (build_aggs(mo))
		goto out;

	/* Columns: y of each cell, x of each visit, Y of each aggregate,
	 * then the ranks' q. */
	mo->nint = mo->ncells + mo->nvisits + mo->naggs;
	mo->ncols = mo->nint;
	for (int g = 0; g < mo->ngroups; g++)
		if (mo->groups[g].col0 >= 0) {
			mo->groups[g].col0 = mo->ncols;
			mo->ncols += mo->groups[g].ndates * mo->groups[g].nclass;
		}
	mo->col_ub = xcalloc_array((size_t)mo->ncols, sizeof(double));
	mo->obj = xcalloc_array((size_t)mo->nlv * (size_t)mo->ncols, sizeof(double));
	mo->obj_const = xcalloc_array((size_t)mo->nlv, sizeof(double));
	if (!mo->col_ub || !mo->obj || !mo->obj_const)
		goto out;
	for (int i = 0; i < mo->ncells; i++) {
		mo->cells[i].col = i;
		mo->col_ub[i] = mo->cells[i].ub;
	}
	for (int i = 0; i < mo->nvisits; i++) {
		mo->visits[i].col = mo->ncells + i;
		mo->col_ub[mo->ncells + i] = mo->visits[i].ub;
	}
	for (int a = 0; a < mo->naggs; a++) {
		mo->aggs[a].col = mo->ncells + mo->nvisits + a;
		mo->col_ub[mo->aggs[a].col] = 0;
	}
	for (int j = mo->nint; j < mo->ncols; j++)
		mo->col_ub[j] = HUGE_VAL;
	/* Y = sum of its cells; each row's people in it fit its sessions. */
	for (int a = 0; a < mo->naggs; a++) {
		struct magg *ag = &mo->aggs[a];
		int row;

		if ((row = add_row(mo, 'E', 0.0)) < 0 || add_ent(mo, row, ag->col, 1.0))
			goto out;
		for (int i = 0; i < mo->ncells; i++) {
			const struct mcell *cl = &mo->cells[i];

			if (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind)
				continue;
			mo->col_ub[ag->col] += cl->ub;
			if (cl->ub > 0 && add_ent(mo, row, cl->col, -1.0))
				goto out;
		}
		for (size_t r = 0; r < m->nrows; r++) {
			double per = 0.0, ub = 0.0;
			int n = 0;

			for (int i = 0; i < mo->ncells; i++) {
				const struct mcell *cl = &mo->cells[i];
				int v;

				if (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind ||
				    (v = find_visit(mo, cl, r)) < 0)
					continue;
				per = floor(cl->share / mo->visits[v].weight + MODEL_LOAD_EPS);
				ub += mo->visits[v].ub;
				n++;
			}
			if (n == 0)
				continue;
			if (per > m->rows[r].count)
				per = m->rows[r].count;
			if (per * ag->nfixed >= ub)
				continue;
			if ((row = add_row(mo, 'L', per * ag->nfixed)) < 0 ||
			    add_ent(mo, row, ag->col, -per))
				goto out;
			for (int i = 0; i < mo->ncells; i++) {
				const struct mcell *cl = &mo->cells[i];
				int v;

				if (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind ||
				    (v = find_visit(mo, cl, r)) < 0)
					continue;
				if (add_ent(mo, row, mo->visits[v].col, 1.0))
					goto out;
			}
		}
	}
	/* Ranks: each date holds at most one session's load; every person
	 * of a class is on some rank. */
	for (int g = 0; g < mo->ngroups; g++) {
		const struct mgroup *gr = &mo->groups[g];
		int row;

		if (gr->col0 < 0)
			continue;
		for (int r = 0; r < gr->ndates; r++) {
			if ((row = add_row(mo, 'L', gr->share_max)) < 0)
				goto out;
			for (int j = 0; j < gr->nclass; j++)
				if (add_ent(mo, row, gr->col0 + r * gr->nclass + j, gr->cw[j]))
					goto out;
		}
		for (int j = 0; j < gr->nclass; j++) {
			if ((row = add_row(mo, 'G', 0.0)) < 0)
				goto out;
			for (int r = 0; r < gr->ndates; r++)
				if (add_ent(mo, row, gr->col0 + r * gr->nclass + j, 1.0))
					goto out;
			for (int i = 0; i < mo->ncells; i++) {
				const struct mcell *cl = &mo->cells[i];

				if (cl->group != g)
					continue;
				for (int v = 0; v < cl->nvisits; v++)
					if (mo->visits[cl->visits[v]].cls == j &&
					    add_ent(mo, row, mo->visits[cl->visits[v]].col, -1.0))
						goto out;
			}
		}
	}

	/* Demand rows. */
	for (size_t r = 0; r < m->nrows; r++) {
		int row = -1;

		for (int i = 0; i < mo->nvisits; i++) {
			if (mo->visits[i].row != (int)r)
				continue;
			if (row < 0 && (row = add_row(mo, 'L', m->rows[r].count)) < 0)
				goto out;
			if (add_ent(mo, row, mo->visits[i].col, 1.0))
				goto out;
		}
	}
	/* Capacity of each cell, and each visit bounded by its cell's sessions. */
	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];
		int caprow, row;

		if (cl->nvisits == 0)
			continue;
		if ((caprow = add_row(mo, 'L', cl->share * cl->nfixed)) < 0 ||
		    add_ent(mo, caprow, cl->col, -cl->share))
			goto out;
		for (int j = 0; j < cl->nvisits; j++) {
			const struct mvisit *v = &mo->visits[cl->visits[j]];

			if (add_ent(mo, caprow, v->col, v->weight))
				goto out;
		}
		for (int j = 0; j < cl->nvisits; j++) {
			const struct mvisit *v = &mo->visits[cl->visits[j]];
			double per = floor(cl->share / v->weight + MODEL_LOAD_EPS);

			if (per > m->rows[v->row].count)
				per = m->rows[v->row].count;
			if (per * cl->nfixed >= v->ub || cl->ub == 0 || mo->fine)
				continue;
			if ((row = add_row(mo, 'L', per * cl->nfixed)) < 0 ||
			    add_ent(mo, row, v->col, 1.0) || add_ent(mo, row, cl->col, -per))
				goto out;
		}
	}
	/* Whole people: per class, and per pair of classes the facets of the
	 * integer hull of one session, times the sessions. */
	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];

		for (int j = 0; j < cl->ncls; j++) {
			double per = fit_count(0.0, cl->cw[j], cl->share, INT_MAX);
			int row;

			if ((row = add_row(mo, 'L', per * cl->nfixed)) < 0 ||
			    (cl->ub > 0 && add_ent(mo, row, cl->col, -per)))
				goto out;
			for (int v = 0; v < cl->nvisits; v++)
				if (mo->visits[cl->visits[v]].ccls == j &&
				    add_ent(mo, row, mo->visits[cl->visits[v]].col, 1.0))
					goto out;
		}
		for (int j1 = 0; j1 < cl->ncls; j1++)
			for (int j2 = j1 + 1; j2 < cl->ncls; j2++) {
				struct hull2 h;

				if (hull2_build(&h, cl->cw[j1], cl->cw[j2], cl->share))
					goto out;
				for (int f = 0; f < h.nf; f++) {
					int row;

					if (h.fa[f] <= 0 || h.fb[f] <= 0)
						continue;
					if ((row = add_row(mo, mo->fine ? 'l' : 'L', (double)h.fc[f] * cl->nfixed)) < 0 ||
					    (cl->ub > 0 && add_ent(mo, row, cl->col, -(double)h.fc[f])))
						goto out;
					for (int v = 0; v < cl->nvisits; v++) {
						const struct mvisit *mv = &mo->visits[cl->visits[v]];

						if ((mv->ccls == j1 || mv->ccls == j2) &&
						    add_ent(mo, row, mv->col,
							    (double)(mv->ccls == j1 ? h.fa[f] : h.fb[f])))
							goto out;
					}
				}
			}
	}

	/* Residual capacity: the last session of a site costs as much as a
	 * full one (docs/model.md). One row per aggregate, and per cell that
	 * has none. */
	for (int a = 0; a < mo->naggs; a++)
		if (add_residual(mo, &mo->aggs[a], -1))
			goto out;
	for (int i = 0; i < mo->ncells; i++) {
		bool in_agg = false;

		for (int a = 0; a < mo->naggs && !in_agg; a++)
			in_agg = mo->aggs[a].team == mo->cells[i].team &&
				 mo->aggs[a].site == mo->cells[i].site && mo->aggs[a].kind == mo->cells[i].kind;
		if (!in_agg && mo->cells[i].ub > 0 && add_residual(mo, NULL, i))
			goto out;
	}

	/* Team rows: one session per date and kind, weekly extra limit. */
	for (size_t t = 0; t < m->nteams; t++) {
		const struct team *team = &c->teams[m->teams[t]];

		for (int p = 0; p < mo->nperiods; p++) {
			const struct mperiod *pp = &mo->periods[p];
			int nfree[SLOT_COUNT] = { 0 }, ncl[SLOT_COUNT] = { 0 };
			double sum_ub[SLOT_COUNT] = { 0 };

			for (int d = pp->first; d <= pp->last; d++)
				for (int k = 0; k < SLOT_COUNT; k++)
					if (fk[t * (size_t)nd + (size_t)(d - c->start)] & SLOT_BIT(k))
						nfree[k]++;
			for (size_t sl = 0; sl < m->nsites; sl++)
				for (int k = 0; k < SLOT_COUNT; k++) {
					int ci = mo->cell_of[cell_key(mo, t, sl, p, k)];

					if (ci >= 0 && mo->cells[ci].ub > 0) {
						ncl[k]++;
						sum_ub[k] += mo->cells[ci].ub;
					}
				}
			for (int k = 0; k < SLOT_COUNT; k++) {
				int row;

				if (ncl[k] < 2 || sum_ub[k] <= nfree[k])
					continue;
				if ((row = add_row(mo, 'L', nfree[k])) < 0)
					goto out;
				for (size_t sl = 0; sl < m->nsites; sl++) {
					int ci = mo->cell_of[cell_key(mo, t, sl, p, k)];

					if (ci >= 0 && mo->cells[ci].ub > 0 &&
					    add_ent(mo, row, mo->cells[ci].col, 1.0))
						goto out;
				}
			}
			if (pp->week >= 0)
				continue;
			/* A block of whole weeks: the weekly limit through every
			 * subset of extra kinds (exact, see docs/model.md). */
			for (unsigned K = 1; K < (1u << NEXTRA); K++) {
				double f = 0, ub = 0;
				int row;
				bool any = false;

				for (int e = 0; e < NEXTRA; e++)
					if (K & (1u << e)) {
						ub += sum_ub[extra_kinds[e]];
						any = any || ncl[extra_kinds[e]] > 0;
					}
				if (!any)
					continue;
				for (int w = week_of(m, pp->first); w <= week_of(m, pp->last); w++) {
					int nk = 0, monday = m->week0 + 7 * w;

					for (int d = monday; d < monday + 7; d++)
						for (int e = 0; e < NEXTRA; e++)
							if ((K & (1u << e)) && d >= c->start && d <= c->end &&
							    (fk[t * (size_t)nd + (size_t)(d - c->start)] &
							     SLOT_BIT(extra_kinds[e])))
								nk++;
					f += nk < room[t * (size_t)m->nweeks + (size_t)w]
						     ? nk
						     : room[t * (size_t)m->nweeks + (size_t)w];
				}
				if (f >= ub)
					continue;
				if ((row = add_row(mo, 'L', f)) < 0)
					goto out;
				for (size_t sl = 0; sl < m->nsites; sl++)
					for (int e = 0; e < NEXTRA; e++) {
						int ci = mo->cell_of[cell_key(mo, t, sl, p, extra_kinds[e])];

						if ((K & (1u << e)) && ci >= 0 && mo->cells[ci].ub > 0 &&
						    add_ent(mo, row, mo->cells[ci].col, 1.0))
							goto out;
					}
			}
		}
		/* Weeks cut into pieces: one row per week over its pieces. */
		(void)team;
		for (int w = 0; w < m->nweeks; w++) {
			double ub = 0;
			int row;

			for (int p = 0; p < mo->nperiods; p++) {
				if (mo->periods[p].week != w)
					continue;
				for (size_t sl = 0; sl < m->nsites; sl++)
					for (int e = 0; e < NEXTRA; e++) {
						int ci = mo->cell_of[cell_key(mo, t, sl, p, extra_kinds[e])];

						if (ci >= 0)
							ub += mo->cells[ci].ub;
					}
			}
			if (ub <= room[t * (size_t)m->nweeks + (size_t)w])
				continue;
			if ((row = add_row(mo, 'L', room[t * (size_t)m->nweeks + (size_t)w])) < 0)
				goto out;
			for (int p = 0; p < mo->nperiods; p++) {
				if (mo->periods[p].week != w)
					continue;
				for (size_t sl = 0; sl < m->nsites; sl++)
					for (int e = 0; e < NEXTRA; e++) {
						int ci = mo->cell_of[cell_key(mo, t, sl, p, extra_kinds[e])];

						if (ci >= 0 && mo->cells[ci].ub > 0 &&
						    add_ent(mo, row, mo->cells[ci].col, 1.0))
							goto out;
					}
			}
		}
	}

	/* Objective levels. */
	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];
		double *o = mo->obj;

		if (slot_kind_is_extra(cl->kind)) {
			o[(size_t)lv_extra(L) * (size_t)mo->ncols + (size_t)cl->col] = 1;
			mo->obj_const[lv_extra(L)] += cl->nfixed;
		}
		o[(size_t)lv_minutes(L) * (size_t)mo->ncols + (size_t)cl->col] = cl->cost;
		mo->obj_const[lv_minutes(L)] += cl->cost * cl->nfixed;
	}
	for (size_t f = 0; f < m->nfixed; f++) {
		/* Fixed sessions with no cell (no visit possible) still count. */
		size_t t = m->fixed[f].team, sl = (size_t)m->site_local[m->fixed[f].site];
		int p = mo->period_of[m->fixed[f].date - c->start];

		if (mo->cell_of[cell_key(mo, t, sl, p, m->fixed[f].kind)] >= 0)
			continue;
		if (slot_kind_is_extra(m->fixed[f].kind))
			mo->obj_const[lv_extra(L)] += 1;
		mo->obj_const[lv_minutes(L)] +=
			session_cost_minutes(c, m->teams[t], m->fixed[f].site, m->fixed[f].kind);
	}
	for (int i = 0; i < mo->nvisits; i++) {
		const struct mvisit *v = &mo->visits[i];
		const struct mcell *cl = &mo->cells[v->cell];
		const struct mrow *r = &m->rows[v->row];
		const struct mperiod *pp = &mo->periods[cl->period];
		double *o = mo->obj;
		size_t col = (size_t)v->col, n = (size_t)mo->ncols;

		if (pp->last <= r->deadline)
			o[(size_t)lv_deadline(r->level) * n + col] = 1;
		o[(size_t)lv_served(L, r->level) * n + col] = 1;
		o[(size_t)lv_minutes(L) * n + col] =
			2.0 * campaign_travel(c, c->units[r->unit].site, cl->site);
		o[(size_t)lv_early(L) * n + col] =
			(cl->group >= 0 ? mo->groups[cl->group].dates[0] : cl->first_date) - c->start;
	}
	for (int g = 0; g < mo->ngroups; g++) {
		const struct mgroup *gr = &mo->groups[g];

		if (gr->col0 < 0)
			continue;
		for (int r = 0; r < gr->ndates; r++)
			for (int j = 0; j < gr->nclass; j++)
				mo->obj[(size_t)lv_early(L) * (size_t)mo->ncols +
					(size_t)(gr->col0 + r * gr->nclass + j)] =
					gr->dates[r] - gr->dates[0];
	}
	rc = ROTA_OK;
out:
	free(fk);
	free(room);
	if (rc)
		model_release(mo);
	return rc;
}

/* Whole people of each class in cell ci, as counted from x. */
static void cell_class_totals(const struct model *mo, int ci, const double *x, long *tot)
{
	const struct mcell *cl = &mo->cells[ci];

	for (int j = 0; j < cl->ncls; j++)
		tot[j] = 0;
	for (int v = 0; v < cl->nvisits; v++) {
		const struct mvisit *mv = &mo->visits[cl->visits[v]];

		tot[mv->ccls] += llround(x[mv->col]);
	}
}

/* Class totals tot[] fit the whole sessions of cell ci. Out of memory,
 * sets *rc to ROTA_ENOMEM (and says no); *rc is never cleared, so that a
 * loop of questions can check once at its end. */
static bool cell_fits(const struct model *mo, int ci, const double *x, const long *tot, int *rc)
{
	const struct mcell *cl = &mo->cells[ci];
	long n = llround(x[cl->col]) + cl->nfixed;
	double load = 0.0;

	for (int a = 0; a < cl->ncls; a++) {
		if (tot[a] < 0)
			return false;
		load += tot[a] * cl->cw[a];
		if (tot[a] > (long)fit_count(0.0, cl->cw[a], cl->share, INT_MAX) * n)
			return false;
	}
	if (load > cl->share * n + MODEL_LOAD_EPS)
		return false;
	for (int a = 0; a < cl->ncls; a++)
		for (int b = a + 1; b < cl->ncls; b++) {
			struct hull2 h;

			if (tot[a] == 0 || tot[b] == 0)
				continue;
			if (hull2_build(&h, cl->cw[a], cl->cw[b], cl->share)) {
				*rc = ROTA_ENOMEM;
				return false;
			}
			if (!hull2_fits(&h, tot[a], tot[b], n))
				return false;
		}
	return true;
}

/* Cell ci still fits with `add` more of class j and `drop` fewer of class k. */
static bool cell_takes(const struct model *mo, int ci, const double *x, int j, int add, int k,
		       int drop, int *rc)
{
	long tot[64];

	if (mo->cells[ci].ncls > 64)
		return false;
	cell_class_totals(mo, ci, x, tot);
	if (j >= 0)
		tot[j] += add;
	if (k >= 0)
		tot[k] -= drop;
	return cell_fits(mo, ci, x, tot, rc);
}

static bool cell_takes_one(const struct model *mo, int ci, const double *x, int j, int *rc)
{
	return cell_takes(mo, ci, x, j, 1, -1, 0, rc);
}

/* Makes room for one person of visit vi by moving one person of another
 * row out of vi's cell into another cell that person may use. */
static bool swap_in(const struct model *mo, double *x, int vi, int *rc)
{
	const struct mvisit *in = &mo->visits[vi];
	const struct mcell *cl = &mo->cells[in->cell];

	for (int a = 0; a < cl->nvisits; a++) {
		const struct mvisit *out = &mo->visits[cl->visits[a]];

		if (out->row == in->row || x[out->col] < 1 || out->ccls == in->ccls)
			continue;
		if (!cell_takes(mo, in->cell, x, in->ccls, 1, out->ccls, 1, rc))
			continue;
		for (int b = 0; b < mo->nvisits; b++) {
			const struct mvisit *to = &mo->visits[b];

			if (to->row != out->row || to->cell == out->cell || x[to->col] + 1 > to->ub ||
			    !cell_takes_one(mo, to->cell, x, to->ccls, rc))
				continue;
			/* Keep the moved person on the same side of the deadline. */
			if ((mo->periods[mo->cells[to->cell].period].last <=
			     mo->comp->rows[out->row].deadline) !=
			    (mo->periods[mo->cells[out->cell].period].last <=
			     mo->comp->rows[out->row].deadline))
				continue;
			x[out->col] -= 1;
			x[to->col] += 1;
			x[in->col] += 1;
			return true;
		}
	}
	return false;
}

static _Thread_local const double *frac_x;
static _Thread_local const struct model *frac_mo;

static int frac_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	double fa = frac_x[frac_mo->visits[a].col] - floor(frac_x[frac_mo->visits[a].col] + 1e-6);
	double fb = frac_x[frac_mo->visits[b].col] - floor(frac_x[frac_mo->visits[b].col] + 1e-6);

	if (fa != fb)
		return fa > fb ? -1 : 1;
	return (a > b) - (a < b);
}

int model_round_people(const struct model *mo, double *x)
{
	const struct mcomp *m = mo->comp;
	double *orig = xcalloc_array((size_t)mo->ncols, sizeof(double));
	int *order = xcalloc_array((size_t)mo->nvisits + 1, sizeof(int));
	double *target = xcalloc_array(m->nrows + 1, sizeof(double));
	int rc = ROTA_OK;

	if (!orig || !order || !target) {
		free(orig);
		free(order);
		free(target);
		return ROTA_ENOMEM;
	}
	memcpy(orig, x, (size_t)mo->ncols * sizeof(double));
	for (int v = 0; v < mo->nvisits; v++) {
		const struct mvisit *mv = &mo->visits[v];

		target[mv->row] += x[mv->col];
		x[mv->col] = floor(x[mv->col] + 1e-6);
		order[v] = v;
	}
	frac_x = orig;
	frac_mo = mo;
	qsort(order, (size_t)mo->nvisits, sizeof(int), frac_cmp);
	for (size_t r = 0; r < m->nrows; r++) {
		double have = 0.0;
		long want;

		for (int v = 0; v < mo->nvisits; v++)
			if (mo->visits[v].row == (int)r)
				have += x[mo->visits[v].col];
		want = llround(target[r]);
		if (want > m->rows[r].count)
			want = m->rows[r].count;
		/* Two passes: visits the LP had some of this row in, then any. */
		for (int pass = 0; pass < 2 && have < want; pass++)
			for (int k = 0; k < mo->nvisits && have < want; k++) {
				const struct mvisit *mv = &mo->visits[order[k]];

				if (mv->row != (int)r || x[mv->col] + 1 > mv->ub)
					continue;
				if (pass == 0 && orig[mv->col] - x[mv->col] <= 1e-6)
					continue;
				while (have < want && x[mv->col] + 1 <= mv->ub &&
				       (pass == 1 || orig[mv->col] - x[mv->col] > 1e-6) &&
				       cell_takes_one(mo, mv->cell, x, mv->ccls, &rc)) {
					x[mv->col] += 1;
					have += 1;
				}
			}
		/* Then by moving someone else out of the way. */
		for (int k = 0; k < mo->nvisits && have < want; k++) {
			const struct mvisit *mv = &mo->visits[order[k]];

			if (mv->row != (int)r || x[mv->col] + 1 > mv->ub)
				continue;
			while (have < want && x[mv->col] + 1 <= mv->ub && swap_in(mo, x, order[k], &rc))
				have += 1;
		}
	}
	free(orig);
	free(order);
	free(target);
	return rc;
}

double model_value(const struct model *mo, int i, const double *x)
{
	const double *o = mo->obj + (size_t)i * (size_t)mo->ncols;
	double v = mo->obj_const[i];

	for (int j = 0; j < mo->ncols; j++)
		v += o[j] * x[j];
	return v;
}

static int find_visit(const struct model *mo, const struct mcell *cl, size_t row)
{
	for (int i = 0; i < cl->nvisits; i++)
		if (mo->visits[cl->visits[i]].row == (int)row)
			return cl->visits[i];
	return -1;
}

void model_point(const struct model *mo, const struct wplan *w, double *x)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;

	memset(x, 0, (size_t)mo->ncols * sizeof(*x));
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];
		int p = mo->period_of[s->date - c->start];
		int ci = mo->cell_of[cell_key(mo, s->team, (size_t)m->site_local[s->site], p, s->kind)];
		const struct mcell *cl;

		if (ci < 0)
			continue;
		cl = &mo->cells[ci];
		if (!s->fixed) {
			x[cl->col] += 1;
			for (int a = 0; a < mo->naggs; a++)
				if (mo->aggs[a].team == cl->team && mo->aggs[a].site == cl->site &&
				    mo->aggs[a].kind == cl->kind)
					x[mo->aggs[a].col] += 1;
		}
		for (size_t j = 0; j < s->nvisits; j++) {
			int v = find_visit(mo, cl, s->visits[j].row);
			const struct mgroup *g;

			if (v < 0)
				continue;
			x[mo->visits[v].col] += s->visits[j].count;
			if (cl->group < 0 || mo->groups[cl->group].col0 < 0)
				continue;
			g = &mo->groups[cl->group];
			for (int r = 0; r < g->ndates; r++)
				if (g->dates[r] == s->date)
					x[g->col0 + r * g->nclass + mo->visits[v].cls] +=
						s->visits[j].count;
		}
	}
}

/* ------------------------------------------------------- disaggregation */

struct bin {
	int cell;
	int people;
	double load;
	struct wvisit *v;
	size_t nv, alloc;
	int date;
	bool fixed;
};

static int bin_add(struct bin *b, size_t row, int count, double w)
{
	if (grow_array(&b->v, &b->alloc, b->nv + 1, sizeof(*b->v)))
		return ROTA_ENOMEM;
	b->v[b->nv++] = (struct wvisit){ .row = row, .count = count };
	b->people += count;
	b->load += count * w;
	return ROTA_OK;
}

static _Thread_local const struct model *sort_mo;

static int item_cmp(const void *pa, const void *pb)
{
	const struct mvisit *a = &sort_mo->visits[*(const int *)pa];
	const struct mvisit *b = &sort_mo->visits[*(const int *)pb];

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return (a->row > b->row) - (a->row < b->row);
}

static int bin_people_cmp(const void *pa, const void *pb)
{
	const struct bin *a = *(const struct bin *const *)pa, *b = *(const struct bin *const *)pb;

	if (a->people != b->people)
		return a->people > b->people ? -1 : 1;
	if (a->cell != b->cell)
		return a->cell < b->cell ? -1 : 1;
	return (a > b) - (a < b);
}

/* Packs the people of cell ci into nb bins. With one or two weight
 * classes the counts of each bin are chosen so that the rest still fits
 * the remaining bins (exact: lattice polygons have the integer
 * decomposition property, see docs/model.md), each bin as full of people
 * as it can be; then, and with more classes, first fit decreasing. People
 * that fit nowhere are left out. */
static int pack_cell(const struct model *mo, int ci, const double *x, struct bin *bins, int nb)
{
	const struct mcell *cl = &mo->cells[ci];
	int *items = xcalloc_array((size_t)cl->nvisits + 1, sizeof(int));
	int *left = xcalloc_array((size_t)cl->nvisits + 1, sizeof(int));
	int *quota = xcalloc_array((size_t)nb * 2 + 2, sizeof(int));
	int n = 0, rc = ROTA_ENOMEM;

	if (!items || !left || !quota)
		goto out;
	for (int i = 0; i < cl->nvisits; i++)
		if (llround(x[mo->visits[cl->visits[i]].col]) > 0)
			items[n++] = cl->visits[i];
	sort_mo = mo;
	qsort(items, (size_t)n, sizeof(int), item_cmp);
	for (int i = 0; i < n; i++)
		left[i] = (int)llround(x[mo->visits[items[i]].col]);

	if (cl->ncls >= 1 && cl->ncls <= 2) {
		long total[2] = { 0, 0 };
		struct hull2 h;

		for (int i = 0; i < n; i++)
			total[mo->visits[items[i]].ccls] += left[i];
		if (cl->ncls == 2) {
			if (hull2_build(&h, cl->cw[0], cl->cw[1], cl->share))
				goto out;
		} else {
			memset(&h, 0, sizeof(h));
			h.wa = cl->cw[0];
			h.wb = 1.0;
			h.share = cl->share;
			h.amax = fit_count(0.0, cl->cw[0], cl->share, INT_MAX);
		}
		for (int b = 0; b < nb; b++) {
			long k = nb - b - 1;
			int best_a = -1, best_b = 0;
			long best_people = -1;

			for (long a = 0; a <= h.amax && a <= total[0]; a++) {
				long bb = cl->ncls == 2 ? hull_bmax(&h, (int)a) : 0;

				if (bb > total[1])
					bb = total[1];
				if (!hull2_fits(&h, total[0] - a, total[1] - bb, k))
					continue;
				if (a + bb > best_people || (a + bb == best_people && a > best_a)) {
					best_people = a + bb;
					best_a = (int)a;
					best_b = (int)bb;
				}
			}
			if (best_a < 0)
				break;
			quota[2 * b] = best_a;
			quota[2 * b + 1] = best_b;
			total[0] -= best_a;
			total[1] -= best_b;
		}
		for (int i = 0; i < n; i++) {
			const struct mvisit *v = &mo->visits[items[i]];

			for (int b = 0; b < nb && left[i] > 0; b++) {
				int *q = &quota[2 * b + v->ccls];
				int k = left[i] < *q ? left[i] : *q;

				k = fit_count(bins[b].load, v->weight, cl->share, k);
				if (k > 0) {
					if (bin_add(&bins[b], (size_t)v->row, k, v->weight))
						goto out;
					left[i] -= k;
					*q -= k;
				}
			}
		}
	}
	for (int i = 0; i < n; i++) {
		const struct mvisit *v = &mo->visits[items[i]];

		for (int b = 0; b < nb && left[i] > 0; b++) {
			int k = fit_count(bins[b].load, v->weight, cl->share, left[i]);

			if (k > 0) {
				if (bin_add(&bins[b], (size_t)v->row, k, v->weight))
					goto out;
				left[i] -= k;
			}
		}
	}
	rc = ROTA_OK;
out:
	free(items);
	free(left);
	free(quota);
	return rc;
}

/* Chooses, for the free extra sessions of one team and period, how many of
 * each kind go into each week: a maximum flow from kinds to weeks, weeks
 * tried earliest first. need[e] is lowered to what could be routed;
 * flow[e * nw + w] receives the counts. */
static int route_extra(int need[NEXTRA], const int *cap, const int *room, int nw, int *flow)
{
	int *prev_kind = malloc((size_t)nw * sizeof(int) + 1);
	int *seen = malloc((size_t)nw * sizeof(int) + 1);

	memset(flow, 0, (size_t)NEXTRA * (size_t)nw * sizeof(int));
	if (!prev_kind || !seen) {
		free(prev_kind);
		free(seen);
		return ROTA_ENOMEM;
	}
	for (int e = 0; e < NEXTRA; e++) {
		int routed = 0;

		for (int u = 0; u < need[e]; u++) {
			/* Breadth-first search over weeks; kinds are re-entered
			 * through weeks where they already hold flow. */
			int queue_k[NEXTRA * 64 + 4], qh = 0, qt = 0;
			int kind_seen[NEXTRA] = { 0 }, kind_from_week[NEXTRA];
			int end_week = -1;

			for (int w = 0; w < nw; w++)
				seen[w] = 0;
			queue_k[qt++] = e;
			kind_seen[e] = 1;
			kind_from_week[e] = -1;
			while (qh < qt && end_week < 0) {
				int k = queue_k[qh++];

				for (int w = 0; w < nw && end_week < 0; w++) {
					int used = 0;

					if (seen[w] || flow[k * nw + w] >= cap[k * nw + w])
						continue;
					seen[w] = 1;
					prev_kind[w] = k;
					for (int k2 = 0; k2 < NEXTRA; k2++)
						used += flow[k2 * nw + w];
					if (used < room[w]) {
						end_week = w;
						break;
					}
					for (int k2 = 0; k2 < NEXTRA; k2++)
						if (!kind_seen[k2] && flow[k2 * nw + w] > 0 &&
						    qt < (int)(sizeof(queue_k) / sizeof(queue_k[0]))) {
							kind_seen[k2] = 1;
							kind_from_week[k2] = w;
							queue_k[qt++] = k2;
						}
				}
			}
			if (end_week < 0)
				break;
			/* Augment back along the path. */
			for (int w = end_week;;) {
				int k = prev_kind[w];

				flow[k * nw + w]++;
				if (kind_from_week[k] < 0)
					break;
				flow[k * nw + kind_from_week[k]]--;
				w = kind_from_week[k];
			}
			routed++;
		}
		need[e] = routed;
	}
	free(prev_kind);
	free(seen);
	return ROTA_OK;
}

int model_disaggregate(const struct model *mo, const double *x, struct wplan *out)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	int nd = c->ndays, nw = m->nweeks;
	struct bin **cell_bins = xcalloc_array((size_t)mo->ncells, sizeof(*cell_bins));
	int *cell_nbins = xcalloc_array((size_t)mo->ncells, sizeof(int));
	unsigned char *fk = free_kinds(m);
	int *room = week_room(m);
	int *cap = xcalloc_array((size_t)NEXTRA * (size_t)nw, sizeof(int));
	int *flow = xcalloc_array((size_t)NEXTRA * (size_t)nw, sizeof(int));
	struct bin **order = NULL;
	int *slots = NULL;
	int rc = ROTA_ENOMEM;

	if (!cell_bins || !cell_nbins || !fk || !room || !cap || !flow)
		goto out;
	/* Pack every cell; keep its fixed bins and non-empty free ones. */
	for (int ci = 0; ci < mo->ncells; ci++) {
		const struct mcell *cl = &mo->cells[ci];
		int nb = cl->nfixed + (int)llround(x[cl->col]);
		int keep = 0;

		if (nb <= 0)
			continue;
		cell_bins[ci] = xcalloc_array((size_t)nb, sizeof(struct bin));
		if (!cell_bins[ci])
			goto out;
		for (int b = 0; b < nb; b++)
			cell_bins[ci][b].cell = ci;
		cell_nbins[ci] = nb;
		if (pack_cell(mo, ci, x, cell_bins[ci], nb))
			goto out;
		for (int b = 0; b < nb; b++)
			if (cell_bins[ci][b].people > 0)
				keep++;
		if (keep < cl->nfixed)
			keep = cl->nfixed;
		/* Empty bins were filled last, so they are at the end. */
		for (int b = keep; b < nb; b++)
			free(cell_bins[ci][b].v);
		cell_nbins[ci] = keep;
	}
	order = xcalloc_array((size_t)mo->ncells * 8 + 16, sizeof(*order));
	slots = xcalloc_array((size_t)nd + 1, sizeof(int));
	if (!order || !slots)
		goto out;

	/* Dates, team by team and period by period. */
	for (size_t t = 0; t < m->nteams; t++) {
		for (int p = 0; p < mo->nperiods; p++) {
			const struct mperiod *pp = &mo->periods[p];
			int need[NEXTRA] = { 0 };
			int w0 = week_of(m, pp->first), w1 = week_of(m, pp->last);

			/* Free sessions wanted per extra kind. */
			for (int ci = 0; ci < mo->ncells; ci++) {
				const struct mcell *cl = &mo->cells[ci];

				if (cl->team != (int)t || cl->period != p || !slot_kind_is_extra(cl->kind))
					continue;
				for (int e = 0; e < NEXTRA; e++)
					if (extra_kinds[e] == cl->kind)
						need[e] += cell_nbins[ci] - cl->nfixed;
			}
			for (int e = 0; e < NEXTRA; e++)
				for (int w = 0; w < nw; w++) {
					cap[e * nw + w] = 0;
					if (w < w0 || w > w1)
						continue;
					for (int d = pp->first; d <= pp->last; d++)
						if (week_of(m, d) == w &&
						    (fk[t * (size_t)nd + (size_t)(d - c->start)] &
						     SLOT_BIT(extra_kinds[e])))
							cap[e * nw + w]++;
				}
			if (route_extra(need, cap, room + t * (size_t)nw, nw, flow))
				goto out;

			for (int k = 0; k < SLOT_COUNT; k++) {
				int nslots = 0, norder = 0, e = -1;
				size_t alloc_order = (size_t)mo->ncells * 8 + 16;

				for (int i = 0; i < NEXTRA; i++)
					if ((int)extra_kinds[i] == k)
						e = i;
				/* Free dates this kind may use, earliest first. */
				for (int d = pp->first; d <= pp->last; d++) {
					int w = week_of(m, d);

					if (!(fk[t * (size_t)nd + (size_t)(d - c->start)] & SLOT_BIT(k)))
						continue;
					if (e >= 0) {
						if (flow[e * nw + w] <= 0)
							continue;
						flow[e * nw + w]--;
						room[t * (size_t)nw + (size_t)w]--;
					}
					slots[nslots++] = d;
				}
				/* Bins of this team, period and kind, fullest first. */
				for (int ci = 0; ci < mo->ncells; ci++) {
					const struct mcell *cl = &mo->cells[ci];

					if (cl->team != (int)t || cl->period != p || (int)cl->kind != k)
						continue;
					for (int b = 0; b < cell_nbins[ci]; b++) {
						if ((size_t)norder + 1 > alloc_order) {
							struct bin **o2 = xrealloc_array(
								order, alloc_order * 2, sizeof(*order));

							if (!o2)
								goto out;
							order = o2;
							alloc_order *= 2;
						}
						order[norder++] = &cell_bins[ci][b];
					}
				}
				if (norder == 0)
					continue;
				qsort(order, (size_t)norder, sizeof(*order), bin_people_cmp);
				{
					int *fixed_left = xcalloc_array((size_t)mo->ncells, sizeof(int));
					int *free_left = xcalloc_array((size_t)mo->ncells, sizeof(int));
					int *used_fixed = NULL;

					if (!fixed_left || !free_left) {
						free(fixed_left);
						free(free_left);
						goto out;
					}
					for (int i = 0; i < norder; i++) {
						int ci = order[i]->cell;

						fixed_left[ci] = mo->cells[ci].nfixed;
						free_left[ci] = cell_nbins[ci] - mo->cells[ci].nfixed;
					}
					used_fixed = xcalloc_array(m->nfixed + 1, sizeof(int));
					if (!used_fixed) {
						free(fixed_left);
						free(free_left);
						goto out;
					}
					for (int i = 0; i < norder; i++) {
						struct bin *b = order[i];
						const struct mcell *cl = &mo->cells[b->cell];
						size_t ct = m->teams[t];
						int fixed_date = -1, fixed_idx = -1, free_date = -1, free_idx = -1;

						if (fixed_left[b->cell] > 0)
							for (size_t f = 0; f < m->nfixed; f++) {
								const struct mfixed *fx = &m->fixed[f];

								if (used_fixed[f] || fx->team != t ||
								    fx->site != cl->site || (int)fx->kind != k ||
								    fx->date < pp->first || fx->date > pp->last)
									continue;
								if (fixed_date < 0 || fx->date < fixed_date) {
									fixed_date = fx->date;
									fixed_idx = (int)f;
								}
							}
						if (free_left[b->cell] > 0)
							for (int j = 0; j < nslots; j++)
								if (slots[j] >= 0 &&
								    session_possible(c, ct, cl->site, slots[j],
										     (enum slot_kind)k)) {
									free_date = slots[j];
									free_idx = j;
									break;
								}
						if (fixed_idx >= 0 && (free_idx < 0 || fixed_date < free_date ||
								       free_left[b->cell] == 0)) {
							used_fixed[fixed_idx] = 1;
							fixed_left[b->cell]--;
							b->date = fixed_date;
							b->fixed = true;
						} else if (free_idx >= 0) {
							slots[free_idx] = -1;
							free_left[b->cell]--;
							b->date = free_date;
						} else {
							b->date = -1; /* no date: its people are served later */
						}
					}
					free(fixed_left);
					free(free_left);
					free(used_fixed);
				}
				/* Give back the weekly room of extra dates left unused. */
				if (e >= 0)
					for (int j = 0; j < nslots; j++)
						if (slots[j] >= 0)
							room[t * (size_t)nw + (size_t)week_of(m, slots[j])]++;
			}
		}
	}

	/* Emit the sessions, cell by cell. */
	for (int ci = 0; ci < mo->ncells; ci++) {
		const struct mcell *cl = &mo->cells[ci];

		for (int b = 0; b < cell_nbins[ci]; b++) {
			struct bin *bn = &cell_bins[ci][b];
			int idx;

			if (bn->date < 0 || (!bn->fixed && bn->people == 0))
				continue;
			idx = wplan_add(out, (size_t)cl->team, cl->site, bn->date, cl->kind, bn->fixed,
					cl->share);
			if (idx < 0)
				goto out;
			for (size_t j = 0; j < bn->nv; j++)
				if (wsession_add(&out->s[idx], bn->v[j].row, bn->v[j].count,
						 mcomp_weight(m, bn->v[j].row, (size_t)cl->team)))
					goto out;
		}
	}
	/* Fixed sessions that have no cell (nobody may come) are still held. */
	for (size_t f = 0; f < m->nfixed; f++) {
		const struct mfixed *fx = &m->fixed[f];
		int p = mo->period_of[fx->date - c->start];

		if (mo->cell_of[cell_key(mo, fx->team, (size_t)m->site_local[fx->site], p, fx->kind)] >= 0)
			continue;
		if (wplan_add(out, fx->team, fx->site, fx->date, fx->kind, true,
			      session_capacity_share(c, m->teams[fx->team], fx->site, fx->kind)) < 0)
			goto out;
	}
	rc = ROTA_OK;
out:
	if (cell_bins && cell_nbins)
		for (int ci = 0; ci < mo->ncells; ci++) {
			for (int b = 0; b < cell_nbins[ci]; b++)
				free(cell_bins[ci][b].v);
			free(cell_bins[ci]);
		}
	free(cell_bins);
	free(cell_nbins);
	free(fk);
	free(room);
	free(cap);
	free(flow);
	free(order);
	free(slots);
	return rc;
}
