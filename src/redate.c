/* redate.c - earlier dates without losing anything else: people moved
 * into earlier sessions, and sessions re-dated by a minimum-cost flow
 * (wplan_improve_dates, model.h). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "model_impl.h"
#include "repair.h"
#include "timebox.h"
#include "util.h"
#include "banned.h"

/* Priority levels the re-dating flow weighs one above the other. */
enum { ROTA_REDATE_LEVELS = 16 };

/* Costs of the re-dating flow: people x days, a day of a priority-N
 * person weighing more than every day of the later levels together. On a
 * commune of four levels that is about 2e19 (Trung Hội), past 64 bits,
 * so costs are 128-bit integers (a GCC and Clang extension). */
__extension__ typedef __int128 flow_cost;
#define FLOW_COST_INF ((flow_cost)1 << 125)
/* Largest total cost the weights may reach: well below FLOW_COST_INF,
 * so that no path's cost overflows. */
#define FLOW_COST_LIMIT 0x1p120L


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

/* Visits (rows) of unit in s. */
static int unit_rows(const struct mcomp *m, const struct wsession *s, size_t unit)
{
	int n = 0;

	for (size_t i = 0; i < s->nvisits; i++)
		n += m->rows[s->visits[i].row].unit == unit;
	return n;
}

/* Moves all the people of unit from late into early when they all may
 * join it and fit; returns the people moved (0: none), -1 when out of
 * memory. Travel is the same for all of them (one unit, one site). */
static int move_unit(const struct mcomp *m, struct wsession *late, struct wsession *early,
		     size_t unit)
{
	double load = early->load;
	int n = 0;

	for (size_t i = 0; i < late->nvisits; i++) {
		size_t row = late->visits[i].row;

		if (m->rows[row].unit != unit)
			continue;
		if (!row_may_join(m, row, early))
			return 0;
		load += late->visits[i].count * mcomp_weight(m, row, early->team);
	}
	if (load > early->share + MODEL_LOAD_EPS)
		return 0;
	for (size_t i = 0; i < late->nvisits;) {
		size_t row = late->visits[i].row;
		int k = late->visits[i].count;

		if (m->rows[row].unit != unit) {
			i++;
			continue;
		}
		if (wsession_add(early, row, k, mcomp_weight(m, row, early->team)))
			return -1;
		n += k;
		wsession_remove_people(late, i, k, mcomp_weight(m, row, late->team));
	}
	return n;
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
				int k, moved_unit;

				if (early->date >= late->date || early == late)
					continue;
				if (campaign_travel(c, c->units[r->unit].site, early->site) != tl ||
				    !row_may_join(m, row, early))
					continue;
				we = mcomp_weight(m, row, early->team);
				k = fit_count(early->load, we, early->share, late->visits[vi].count);
				if (k <= 0)
					continue;
				/* No new invitation (rule 7.4): into a session the unit
				 * is in already, or with all its people of this one. */
				if (!wsession_has_unit(m, early, r->unit) &&
				    (k < late->visits[vi].count || unit_rows(m, late, r->unit) > 1)) {
					moved_unit = move_unit(m, late, early, r->unit);
					if (moved_unit < 0) {
						free(order);
						return -1;
					}
					if (moved_unit > 0) {
						moved += moved_unit;
						removed = true;
					}
					continue;
				}
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
	wplan_drop_empty(w);
	return moved;
}

/* A minimum-cost flow on a small graph (successive shortest paths with
 * Bellman-Ford, costs >= 0 on the forward arcs). */
struct flow_arc {
	int to, cap;
	flow_cost cost;
};

struct flow_graph {
	struct flow_arc *arcs; size_t narcs, alloc;
	int *first_arc_unused;
	int nnodes;
	int **adj; int *nadj, *aadj;
};

static void fg_release(struct flow_graph *g)
{
	for (int i = 0; g->adj && i < g->nnodes; i++)
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
static int fg_add(struct flow_graph *g, int u, int v, int cap, flow_cost cost)
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

/* Sends up to `want` units from s to t at least cost; returns the flow,
 * or -1 when out of memory. */
static int fg_min_cost_flow(struct flow_graph *g, int s, int t, int want)
{
	flow_cost *dist = xcalloc_array((size_t)g->nnodes, sizeof(flow_cost));
	int *prev = xcalloc_array((size_t)g->nnodes, sizeof(int));
	int *queue = xcalloc_array((size_t)g->nnodes + 1, sizeof(int));
	char *inq = xcalloc_array((size_t)g->nnodes, 1);
	int sent = -1;

	if (!dist || !prev || !queue || !inq)
		goto out;
	sent = 0;
	while (sent < want) {
		int qh = 0, qt = 0, n = g->nnodes;

		for (int i = 0; i < n; i++) {
			dist[i] = FLOW_COST_INF;
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
		if (dist[t] == FLOW_COST_INF)
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

/* The plan's earliness levels with its sessions at their dates, against
 * the dates in old: true when lexicographically worse (rule 7.5). */
static bool earliness_worse(const struct mcomp *m, const struct wplan *w, const int *old)
{
	int L = m->c->nlevels;

	for (int l = 0; l < L; l++) {
		long now = 0, was = 0;

		for (size_t i = 0; i < w->n; i++)
			for (size_t v = 0; v < w->s[i].nvisits; v++)
				if (m->rows[w->s[i].visits[v].row].level == l) {
					now += (long)w->s[i].visits[v].count * (w->s[i].date - m->c->start);
					was += (long)w->s[i].visits[v].count * (old[i] - m->c->start);
				}
		if (now != was)
			return now > was;
	}
	return false;
}

/* The flow's weight per person-day of each level (rule 7.5): a day of a
 * level-l person outweighs every day of the people of the levels after
 * it. When that does not fit FLOW_COST_LIMIT (a district of many levels),
 * the most urgent levels that fit are weighed so and the rest count 0
 * (a result worse for the levels in order is undone by the caller). */
static void redate_weights(const struct mcomp *m, const struct wplan *w, flow_cost *weight)
{
	long double people[ROTA_REDATE_LEVELS] = { 0 };
	int L = m->c->nlevels < ROTA_REDATE_LEVELS ? m->c->nlevels : ROTA_REDATE_LEVELS;
	long double nd = m->c->ndays;

	for (size_t i = 0; i < w->n; i++)
		for (size_t v = 0; v < w->s[i].nvisits; v++) {
			int l = m->rows[w->s[i].visits[v].row].level;

			if (l < ROTA_REDATE_LEVELS)
				people[l] += w->s[i].visits[v].count;
		}
	for (int keep = L; keep >= 1; keep--) {
		long double acc = 0;
		bool fits = true;

		for (int l = keep - 1; l >= 0 && fits; l--) {
			long double wl = 1 + acc;

			acc += wl * people[l] * nd;
			fits = acc <= FLOW_COST_LIMIT;
			weight[l] = (flow_cost)wl;
		}
		if (fits || keep == 1) {
			for (int l = keep; l < ROTA_REDATE_LEVELS; l++)
				weight[l] = 0;
			return;
		}
	}
}

/* Re-dates the sessions that are not fixed: each to a date its team,
 * site, kind and people allow (keeping everyone who was in time for a
 * deadline in time), one per team, date and kind, weekly limits kept, at
 * least total cost people x days. Returns 1 when a date changed, 0 when
 * not, -1 when out of memory. Without `repair` the current dates are a
 * flow and dates that cost earliness are undone. With it some current
 * dates may have been taken away (wplan_redate_free): it returns 1 when
 * every session found a date (changed or not), else 0 with the dates as
 * they were. */
static int redate(const struct mcomp *m, struct wplan *w, bool repair)
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
	flow_cost weight[ROTA_REDATE_LEVELS];
	int *old_date = NULL;

	redate_weights(m, w, weight);
	if (fg_init(&g, nnodes))
		goto out;
	old_date = xcalloc_array(w->n + 1, sizeof(int));
	if (!old_date)
		goto out;
	for (size_t i = 0; i < w->n; i++)
		old_date[i] = w->s[i].date;
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
		flow_cost people = 0;

		if (s->fixed)
			continue;
		for (size_t v = 0; v < s->nvisits; v++) {
			const struct mrow *r = &m->rows[s->visits[v].row];

			people += weight[r->level] * s->visits[v].count;
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
				   1, people * (flow_cost)(d - c->start)) < 0)
				goto out;
			sess_narcs[i]++;
		}
		nmov++;
	}
	sent = fg_min_cost_flow(&g, src, snk, nmov);
	if (sent < 0)
		goto out;
	if (sent < nmov) {
		rc = 0; /* without repair, should not happen: the current dates are a flow */
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
	if (changed && !repair && earliness_worse(m, w, old_date)) {
		for (size_t i = 0; i < w->n; i++)
			w->s[i].date = old_date[i];
		changed = 0;
	}
	rc = repair ? 1 : changed;
out:
	free(old_date);
	fg_release(&g);
	free(sess_arc0);
	free(sess_narcs);
	free(room);
	return rc;
}

/* Change in person-minutes if all of unit's people in session a went to
 * session b (rule 7.4: one invitation less; travel; a's own cost when it
 * is left empty), or HUGE_VAL when they may not: a row may not join b,
 * someone in time for a deadline would no longer be, or b is full. */
static double merge_gain(const struct mcomp *m, const struct wplan *w, size_t a, size_t b,
			 size_t unit)
{
	const struct campaign *c = m->c;
	const struct wsession *sa = &w->s[a], *sb = &w->s[b];
	int ua = c->units[unit].site;
	double load = sb->load, delta = -(double)c->invitation_minutes;
	bool empties = true;

	for (size_t i = 0; i < sa->nvisits; i++) {
		size_t row = sa->visits[i].row;
		const struct mrow *r = &m->rows[row];
		int n = sa->visits[i].count;

		if (r->unit != unit) {
			empties = false;
			continue;
		}
		if (!row_may_join(m, row, sb) || (sa->date <= r->deadline && sb->date > r->deadline))
			return HUGE_VAL;
		load += n * mcomp_weight(m, row, sb->team);
		delta += 2.0 * n *
			 (campaign_travel(c, (size_t)ua, sb->site) - campaign_travel(c, (size_t)ua, sa->site));
	}
	if (load > sb->share + MODEL_LOAD_EPS)
		return HUGE_VAL;
	if (empties && !sa->fixed)
		delta -= session_cost_minutes(c, m->teams[sa->team], sa->site, sa->kind);
	return delta;
}

/* Fewer invitations (rule 7.4): a unit's people in one session join
 * another session the unit is invited to whenever that lowers
 * person-minutes and keeps every deadline met. Returns the number of
 * merges, or -1 when out of memory. */
static long merge_invitations(const struct mcomp *m, struct wplan *w)
{
	long merges = 0;
	bool again = true;

	/* Each merge leaves a valid plan: a time limit (timebox.h) stops
	 * between two. */
	while (again && !timebox_over()) {
		again = false;
		for (size_t a = 0; a < w->n && !again; a++)
			for (size_t i = 0; i < w->s[a].nvisits && !again; i++) {
				size_t unit = m->rows[w->s[a].visits[i].row].unit, best = 0;
				double best_gain = -0.5;
				bool found = false;

				for (size_t b = 0; b < w->n; b++) {
					double g;

					if (b == a || !wsession_has_unit(m, &w->s[b], unit))
						continue;
					g = merge_gain(m, w, a, b, unit);
					if (g < best_gain ||
					    (found && g == best_gain && w->s[b].date < w->s[best].date)) {
						best_gain = g;
						best = b;
						found = true;
					}
				}
				if (!found)
					continue;
				for (size_t j = 0; j < w->s[a].nvisits;) {
					size_t row = w->s[a].visits[j].row;
					int n = w->s[a].visits[j].count;

					if (m->rows[row].unit != unit) {
						j++;
						continue;
					}
					if (wsession_add(&w->s[best], row, n,
							 mcomp_weight(m, row, w->s[best].team)))
						return -1;
					wsession_remove_people(&w->s[a], j, n,
							       mcomp_weight(m, row, w->s[a].team));
				}
				merges++;
				again = true;
			}
		wplan_drop_empty(w);
	}
	return merges;
}

/* Rounds of moving people and re-dating; each round that changes nothing
 * ends it sooner. */
enum { REDATE_ROUNDS = 20 };

int wplan_improve_dates(const struct mcomp *m, struct wplan *w)
{
	if (merge_invitations(m, w) < 0)
		return ROTA_ENOMEM;
	/* Every round leaves a valid plan: a time limit (timebox.h) stops
	 * between two. */
	for (int round = 0; round < REDATE_ROUNDS && !timebox_over(); round++) {
		long moved = shift_people(m, w);
		int changed;

		if (moved < 0)
			return ROTA_ENOMEM;
		changed = redate(m, w, false);
		if (changed < 0)
			return ROTA_ENOMEM;
		if (moved == 0 && !changed)
			break;
	}
	return ROTA_OK;
}

int wplan_redate_free(const struct mcomp *m, struct wplan *w, bool *dated)
{
	int rc = redate(m, w, true);

	*dated = rc > 0;
	return rc < 0 ? ROTA_ENOMEM : ROTA_OK;
}
