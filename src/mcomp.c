/* mcomp.c - a campaign split into parts that are planned on their own
 * (model.h, docs/model.md section 1). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "model_impl.h"
#include "solve.h"
#include "util.h"
#include "banned.h"


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
int mcomp_fixed_dates(const struct campaign *c, struct mfixed **out, size_t *nout)
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

/* The people of demand row d of unit u to plan: its count, or what a
 * re-plan leaves of it. */
static int row_people(const struct campaign *c, const struct solve_taken *taken, size_t u,
		      size_t d)
{
	size_t k = 0;

	if (!taken)
		return c->units[u].demand[d].count;
	for (size_t i = 0; i < u; i++)
		k += c->units[i].ndemand;
	return taken->left[k + d];
}

/* Whether a taken session holds team t on date in kind. */
static bool taken_at(const struct solve_taken *taken, size_t t, int date, enum slot_kind kind)
{
	for (size_t i = 0; taken && i < taken->nsessions; i++)
		if (taken->sessions[i].team == t && taken->sessions[i].date == date &&
		    taken->sessions[i].kind == kind)
			return true;
	return false;
}

/* Drops the fixed sessions a re-plan already has or can no longer hold. */
static void drop_taken_fixed(const struct solve_taken *taken, struct mfixed *fixed, size_t *n)
{
	size_t k = 0;

	if (!taken)
		return;
	for (size_t i = 0; i < *n; i++)
		if (fixed[i].date >= taken->first_date &&
		    !taken_at(taken, fixed[i].team, fixed[i].date, fixed[i].kind))
			fixed[k++] = fixed[i];
	*n = k;
}

/* Blocks part m's teams before first_date and on the taken sessions,
 * whose extra sessions count against their weeks. */
static void block_taken(struct mcomp *m, const struct solve_taken *taken)
{
	const struct campaign *c = m->c;

	for (size_t lt = 0; lt < m->nteams; lt++) {
		for (int d = c->start; d < taken->first_date && d <= c->end; d++)
			m->blocked[lt * (size_t)c->ndays + (size_t)(d - c->start)] =
				(unsigned char)SLOT_ALL;
		for (size_t i = 0; i < taken->nsessions; i++) {
			const struct solve_taken_session *s = &taken->sessions[i];

			if (s->team != m->teams[lt] || s->date < c->start || s->date > c->end)
				continue;
			m->blocked[lt * (size_t)c->ndays + (size_t)(s->date - c->start)] |=
				(unsigned char)SLOT_BIT(s->kind);
			if (slot_kind_is_extra(s->kind))
				m->extra_used[lt * (size_t)m->nweeks + (size_t)week_of(m, s->date)]++;
		}
	}
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
	return mcomp_build_taken(c, NULL, out, nout);
}

int mcomp_build_taken(const struct campaign *c, const struct solve_taken *taken,
		      struct mcomp **out, size_t *nout)
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
	if (!parent || !root_part || !shared || mcomp_fixed_dates(c, &fixed, &nfixed))
		goto out;
	drop_taken_fixed(taken, fixed, &nfixed);
	for (size_t i = 0; i < N; i++)
		parent[i] = i;
	for (size_t t = 0; t < T; t++)
		shared[t] = team_is_shared(c, t);
	for (size_t u = 0; u < U; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++)
			for (size_t s = 0; s < S; s++)
				if (row_people(c, taken, u, d) > 0 && row_may_use_site(c, u, d, s))
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
					if (row_people(c, taken, u, d) > 0)
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
				int people = row_people(c, taken, u, d);

				if (people <= 0)
					continue;
				if (grow_array(&m->rows, &alloc, m->nrows + 1, sizeof(*m->rows)))
					goto out;
				row = &m->rows[m->nrows++];
				memset(row, 0, sizeof(*row));
				*row = (struct mrow){ .unit = u, .demand = d, .group = dm->group,
						      .service = dm->service, .count = people,
						      .level = g->level, .from = g->from,
						      .deadline = campaign_intake_deadline(c, dm->group, dm->service),
						      .turnout = g->turnout };
				if (taken && row->from < taken->first_date)
					row->from = taken->first_date;
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
		m->first_date = c->start;
		if (taken) {
			m->first_date = taken->first_date;
			block_taken(m, taken);
		}
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

	return campaign_person_load(m->c, r->group, r->service, m->teams[team]);
}

/* Slot kinds the team may still use on date: it exists, the team works
 * it, is available and was not taken elsewhere. */
slot_set team_kinds_on(const struct mcomp *m, size_t team, int date)
{
	const struct campaign *c = m->c;
	const struct team *t = &c->teams[m->teams[team]];
	slot_set k = campaign_slots_on(c, date) & t->slots;

	if (!k || date_ranges_contain(&t->unavailable, date))
		return 0;
	return k & ~(slot_set)m->blocked[team * (size_t)c->ndays + (size_t)(date - c->start)];
}

int week_of(const struct mcomp *m, int date)
{
	return (date_week_monday(date) - m->week0) / 7;
}
