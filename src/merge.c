/* merge.c - villages called in whole: a unit's people in one session
 * moved into its other sessions, or the sessions of one team, site and
 * kind shared out again unit by unit, when that saves an invitation or a
 * session (wplan_merge_units, merge.h; docs/model.md, section 6). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "model.h"
#include "model_impl.h"
#include "repair.h"
#include "util.h"
#include "banned.h"

/* Sessions without the unit tried as the one new place for the people
 * of a session that only the unit fills, nearest first. */
enum { MERGE_OTHER_TRIES = 12 };

/* Invitations of at most this many people are tried as swaps
 * (try_swaps): the crumbs and small remainders of a village. The cap
 * keeps the pass near linear on a district's thousands of invitations. */
enum { MERGE_SWAP_PEOPLE = 20 };

/* People of one row of the unit, taken out of the sessions of a try. */
struct pooled {
	size_t row;
	int count, ontime;     /* people; of them, invited by the row's deadline */
	int placed, placed_ontime;
	double weight;         /* in the source's team: the heaviest are placed first */
	size_t unit;           /* the row's unit, its load and its earliest deadline */
	double uload;
	int udeadline;
};

/* One try: the sessions it touches (the source first), their copies. */
struct trial {
	size_t *idx;           /* [n]: index in w */
	struct wsession *s;    /* [n]: copies, changed by the try */
	size_t n;
	struct pooled *pool;
	size_t npool;
};

struct cand {
	size_t a, unit;
	int people;
};

static bool only_unit(const struct mcomp *m, const struct wsession *s, size_t unit)
{
	for (size_t i = 0; i < s->nvisits; i++)
		if (m->rows[s->visits[i].row].unit != unit)
			return false;
	return s->nvisits > 0;
}

/* Row's people may be invited to s (rules 2, 6 and the row's first day). */
static bool may_join(const struct mcomp *m, size_t row, const struct wsession *s)
{
	return s->date >= m->rows[row].from && row_may_join(m, row, s);
}

static void session_reload(const struct mcomp *m, struct wsession *s)
{
	s->load = 0.0;
	for (size_t i = 0; i < s->nvisits; i++)
		s->load += s->visits[i].count * mcomp_weight(m, s->visits[i].row, s->team);
}

static int session_copy(struct wsession *dst, const struct wsession *src)
{
	*dst = *src;
	dst->visits = NULL;
	dst->alloc = 0;
	if (src->nvisits == 0)
		return ROTA_OK;
	dst->visits = xcalloc_array(src->nvisits, sizeof(*dst->visits));
	if (!dst->visits)
		return ROTA_ENOMEM;
	memcpy(dst->visits, src->visits, src->nvisits * sizeof(*dst->visits));
	dst->alloc = src->nvisits;
	return ROTA_OK;
}

static void trial_release(struct trial *t)
{
	if (t->s)
		for (size_t k = 0; k < t->n; k++)
			free(t->s[k].visits);
	free(t->s);
	free(t->idx);
	free(t->pool);
	memset(t, 0, sizeof(*t));
}

/* nv keeps every level before person-minutes of ov and lowers
 * person-minutes (values are whole numbers). */
static bool improves(const struct mcomp *m, const double *nv, const double *ov)
{
	int L = m->c->nlevels;

	for (int l = 0; l < L; l++)
		if (nv[lv_deadline(l)] < ov[lv_deadline(l)] - 0.5 ||
		    nv[lv_served(L, l)] < ov[lv_served(L, l)] - 0.5)
			return false;
	if (nv[lv_extra(L)] > ov[lv_extra(L)] + 0.5)
		return false;
	return nv[lv_minutes(L)] < ov[lv_minutes(L)] - 0.5;
}

/* The levels of the sessions of t (copies when after, else w's own). */
static void trial_levels(const struct mcomp *m, const struct wplan *w, const struct trial *t,
			 bool after, struct wsession *tmp, double *v)
{
	struct wplan part = { .s = tmp, .n = 0 };

	for (size_t k = 0; k < t->n; k++) {
		const struct wsession *s = after ? &t->s[k] : &w->s[t->idx[k]];

		if (after && !s->fixed && s->nvisits == 0)
			continue;
		tmp[part.n++] = *s;
	}
	wplan_levels(m, &part, v);
}

/* Puts the copies of t into w when that improves the levels in total
 * (vb, va: scratch levels, tmp: t.n scratch sessions), or with
 * no_worse when no level is worse in the order of rule 7; true when it
 * did. */
static bool trial_commit(const struct mcomp *m, struct wplan *w, double *total, struct trial *t,
			 struct wsession *tmp, double *vb, double *va, bool no_worse)
{
	int nlv = lv_count(m->c->nlevels);

	trial_levels(m, w, t, false, tmp, vb);
	trial_levels(m, w, t, true, tmp, va);
	for (int i = 0; i < nlv; i++)
		va[i] = total[i] - vb[i] + va[i];
	if (no_worse ? wplan_levels_cmp(m, va, total) > 0 : !improves(m, va, total))
		return false;
	for (size_t k = 0; k < t->n; k++) {
		free(w->s[t->idx[k]].visits);
		w->s[t->idx[k]] = t->s[k];
		t->s[k].visits = NULL;
	}
	wplan_drop_empty(w);
	memcpy(total, va, (size_t)nlv * sizeof(*total));
	return true;
}

static int pooled_cmp(const void *pa, const void *pb)
{
	const struct pooled *a = pa, *b = pb;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return (a->row > b->row) - (a->row < b->row);
}

/* Every unit, for pool_take. */
#define ALL_UNITS ((size_t)-1)

/* Takes unit's people (every unit's: ALL_UNITS) out of copy s into t's
 * pool (from a fixed session only when it is the try's source: the
 * session stays, its time spent anyway). Returns 0 or ROTA_ENOMEM. */
static int pool_take(const struct mcomp *m, struct trial *t, struct wsession *s, size_t unit)
{
	size_t keep = 0;

	for (size_t i = 0; i < s->nvisits; i++) {
		const struct wvisit *v = &s->visits[i];
		const struct mrow *r = &m->rows[v->row];
		struct pooled *p = NULL;

		if (unit != ALL_UNITS && r->unit != unit) {
			s->visits[keep++] = *v;
			continue;
		}
		for (size_t j = 0; j < t->npool && !p; j++)
			if (t->pool[j].row == v->row)
				p = &t->pool[j];
		if (!p) {
			p = &t->pool[t->npool++];
			memset(p, 0, sizeof(*p));
			p->row = v->row;
			p->unit = r->unit;
		}
		p->count += v->count;
		if (s->date <= r->deadline)
			p->ontime += v->count;
	}
	s->nvisits = keep;
	session_reload(m, s);
	return ROTA_OK;
}

/* Places pooled people of p into the targets of t (all but the source),
 * in date order: when ontime, only up to the people who were in time and
 * only into sessions by the row's deadline. Returns 0 or ROTA_ENOMEM. */
static int pool_place(const struct mcomp *m, struct trial *t, struct pooled *p, bool ontime)
{
	const struct mrow *r = &m->rows[p->row];

	for (size_t k = 1; k < t->n; k++) {
		struct wsession *s = &t->s[k];
		int want = ontime ? p->ontime - p->placed_ontime : p->count - p->placed;
		double wt;
		int got;

		if (want <= 0)
			break;
		if ((ontime && s->date > r->deadline) || !may_join(m, p->row, s))
			continue;
		wt = mcomp_weight(m, p->row, s->team);
		got = fit_count(s->load, wt, s->share, want);
		if (got <= 0)
			continue;
		if (wsession_add(s, p->row, got, wt))
			return ROTA_ENOMEM;
		p->placed += got;
		if (s->date <= r->deadline)
			p->placed_ontime += got;
	}
	return ROTA_OK;
}

static int session_order(const struct wplan *w, size_t a, size_t b)
{
	const struct wsession *x = &w->s[a], *y = &w->s[b];

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (a > b) - (a < b);
}

/* Tries taking all of unit's people out of session a, sharing them and
 * the unit's people of its other sessions (fixed ones keep theirs) among
 * those sessions and, when other >= 0, session other. Commits the try
 * when it improves the levels in total (*done). Returns 0 or ROTA_ENOMEM. */
static int try_unit(const struct mcomp *m, struct wplan *w, double *total, size_t unit,
		    size_t a, long other, bool *done)
{
	int nlv = lv_count(m->c->nlevels);
	struct trial t = { 0 };
	struct wsession *tmp = NULL;
	double *vb = NULL, *va = NULL;
	size_t n = 1, visits = 0;
	int rc = ROTA_ENOMEM;

	*done = false;
	for (size_t b = 0; b < w->n; b++)
		if (b != a && (wsession_has_unit(m, &w->s[b], unit) || (long)b == other))
			n++;
	t.idx = xcalloc_array(n, sizeof(*t.idx));
	t.s = xcalloc_array(n, sizeof(*t.s));
	tmp = xcalloc_array(n, sizeof(*tmp));
	vb = xcalloc_array((size_t)nlv, sizeof(*vb));
	va = xcalloc_array((size_t)nlv, sizeof(*va));
	if (!t.idx || !t.s || !tmp || !vb || !va)
		goto out;
	t.idx[t.n++] = a;
	for (size_t b = 0; b < w->n; b++) {
		size_t k;

		if (b == a || !(wsession_has_unit(m, &w->s[b], unit) || (long)b == other))
			continue;
		/* Targets in date order (insertion: they are few). */
		for (k = t.n; k > 1 && session_order(w, t.idx[k - 1], b) > 0; k--)
			t.idx[k] = t.idx[k - 1];
		t.idx[k] = b;
		t.n++;
	}
	for (size_t k = 0; k < t.n; k++)
		visits += w->s[t.idx[k]].nvisits;
	t.pool = xcalloc_array(visits + 1, sizeof(*t.pool));
	if (!t.pool)
		goto out;
	for (size_t k = 0; k < t.n; k++) {
		/* A copy per session; n counts them for the release. */
		if (session_copy(&t.s[k], &w->s[t.idx[k]])) {
			t.n = k;
			goto out;
		}
	}
	for (size_t k = 0; k < t.n; k++)
		if ((k == 0 || !t.s[k].fixed) && pool_take(m, &t, &t.s[k], unit))
			goto out;
	for (size_t j = 0; j < t.npool; j++)
		t.pool[j].weight = mcomp_weight(m, t.pool[j].row, w->s[a].team);
	qsort(t.pool, t.npool, sizeof(*t.pool), pooled_cmp);
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < t.npool; j++)
			if (pool_place(m, &t, &t.pool[j], pass == 0))
				goto out;
	rc = ROTA_OK;
	for (size_t j = 0; j < t.npool; j++)
		if (t.pool[j].placed < t.pool[j].count || t.pool[j].placed_ontime < t.pool[j].ontime)
			goto out;
	*done = trial_commit(m, w, total, &t, tmp, vb, va, false);
out:
	trial_release(&t);
	free(tmp);
	free(vb);
	free(va);
	return rc;
}

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;

	if (a->people != b->people)
		return a->people < b->people ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->unit > b->unit) - (a->unit < b->unit);
}

/* The invitations that may move: a unit's people in any session, fewest
 * people first. A fixed session's people may leave it too: rule 7 alone
 * decides (the session stays, empty or not, and saves no time; the
 * invitation and the travel are saved). NULL when out of memory. */
static struct cand *candidates(const struct mcomp *m, const struct wplan *w, size_t *out)
{
	size_t n = 0, cap = 1;
	struct cand *cs;

	for (size_t a = 0; a < w->n; a++)
		cap += w->s[a].nvisits;
	cs = xcalloc_array(cap, sizeof(*cs));
	if (!cs)
		return NULL;
	for (size_t a = 0; a < w->n; a++) {
		const struct wsession *s = &w->s[a];

		for (size_t j = 0; j < s->nvisits; j++) {
			size_t u = m->rows[s->visits[j].row].unit;
			struct cand *c = NULL;

			for (size_t k = n; k > 0 && !c; k--)
				if (cs[k - 1].a == a && cs[k - 1].unit == u)
					c = &cs[k - 1];
			if (!c) {
				c = &cs[n++];
				*c = (struct cand){ .a = a, .unit = u, .people = 0 };
			}
			c->people += s->visits[j].count;
		}
	}
	qsort(cs, n, sizeof(*cs), cand_cmp);
	*out = n;
	return cs;
}

struct near {
	size_t b;
	int far, days;
};

static int near_cmp(const void *pa, const void *pb)
{
	const struct near *a = pa, *b = pb;

	if (a->far != b->far)
		return a->far - b->far;
	if (a->days != b->days)
		return a->days - b->days;
	return (a->b > b->b) - (a->b < b->b);
}

/* Session a holds only unit's people: tries the nearest sessions without
 * the unit (same site first, then the closest dates) that every one of
 * its rows may join, one at a time, as the one new place. */
static int try_elsewhere(const struct mcomp *m, struct wplan *w, double *total, size_t unit,
			 size_t a, bool *done)
{
	const struct wsession *sa = &w->s[a];
	struct near *ns = xcalloc_array(w->n + 1, sizeof(*ns));
	size_t n = 0;
	int rc = ROTA_OK;

	*done = false;
	if (!ns)
		return ROTA_ENOMEM;
	for (size_t b = 0; b < w->n; b++) {
		const struct wsession *s = &w->s[b];
		bool ok = b != a && !wsession_has_unit(m, s, unit);

		for (size_t j = 0; j < sa->nvisits && ok; j++)
			ok = may_join(m, sa->visits[j].row, s) &&
			     fit_count(s->load, mcomp_weight(m, sa->visits[j].row, s->team), s->share,
				       1) > 0;
		if (ok)
			ns[n++] = (struct near){ b, s->site != sa->site, abs(s->date - sa->date) };
	}
	qsort(ns, n, sizeof(*ns), near_cmp);
	for (size_t k = 0; k < n && k < MERGE_OTHER_TRIES && !*done && !rc; k++)
		rc = try_unit(m, w, total, unit, a, (long)ns[k].b, done);
	free(ns);
	return rc;
}

static int group_cmp(const void *pa, const void *pb)
{
	const struct pooled *a = pa, *b = pb;

	if (a->udeadline != b->udeadline)
		return a->udeadline < b->udeadline ? -1 : 1;
	if (a->uload != b->uload)
		return a->uload > b->uload ? -1 : 1;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return pooled_cmp(pa, pb);
}

/* Places the units' people of t's pool over all of t's sessions in date
 * order, one unit after the other, each filling the session where the
 * last one ended before going on to the next (so at most units + sessions
 * - 1 invitations); people in time for their deadline stay in time.
 * Returns 0 (all placed), 1 (not all) or ROTA_ENOMEM. */
static int group_place(const struct mcomp *m, struct trial *t)
{
	size_t k = 0;

	for (size_t j0 = 0; j0 < t->npool;) {
		size_t j1 = j0;
		bool left = true;

		while (j1 < t->npool && t->pool[j1].unit == t->pool[j0].unit)
			j1++;
		while (left) {
			struct wsession *s;

			if (k >= t->n)
				break;
			s = &t->s[k];
			left = false;
			for (size_t j = j0; j < j1; j++) {
				struct pooled *p = &t->pool[j];
				const struct mrow *r = &m->rows[p->row];
				int want = p->count - p->placed, got;
				double wt;

				/* A session after the deadline takes only people who
				 * were late already. */
				if (s->date > r->deadline)
					want -= p->ontime - p->placed_ontime;
				if (want > 0 && may_join(m, p->row, s)) {
					wt = mcomp_weight(m, p->row, s->team);
					got = fit_count(s->load, wt, s->share, want);
					if (got > 0) {
						if (wsession_add(s, p->row, got, wt))
							return ROTA_ENOMEM;
						p->placed += got;
						if (s->date <= r->deadline)
							p->placed_ontime += got < p->ontime - p->placed_ontime
										    ? got
										    : p->ontime - p->placed_ontime;
					}
				}
				left = left || p->placed < p->count;
			}
			if (left)
				k++;
		}
		j0 = j1;
	}
	/* What the sessions' ends left over: into the room still free, a
	 * session the unit is in first. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < t->npool; j++)
			for (size_t i = 0; i < t->n && t->pool[j].placed < t->pool[j].count; i++) {
				struct pooled *p = &t->pool[j];
				const struct mrow *r = &m->rows[p->row];
				struct wsession *s = &t->s[i];
				int want = p->count - p->placed, got;
				double wt;

				if (pass == 0 && !wsession_has_unit(m, s, p->unit))
					continue;
				if (s->date > r->deadline)
					want -= p->ontime - p->placed_ontime;
				if (want <= 0 || !may_join(m, p->row, s))
					continue;
				wt = mcomp_weight(m, p->row, s->team);
				got = fit_count(s->load, wt, s->share, want);
				if (got <= 0)
					continue;
				if (wsession_add(s, p->row, got, wt))
					return ROTA_ENOMEM;
				p->placed += got;
				if (s->date <= r->deadline)
					p->placed_ontime += got < p->ontime - p->placed_ontime
								    ? got
								    : p->ontime - p->placed_ontime;
			}
	for (size_t j = 0; j < t->npool; j++)
		if (t->pool[j].placed < t->pool[j].count ||
		    t->pool[j].placed_ontime < t->pool[j].ontime)
			return 1;
	return 0;
}

/* Tries sharing out again, unit by unit, all the people of the sessions
 * of team at site in kind that are not fixed (docs/model.md, section 6).
 * Commits when that improves the levels (*done). Returns 0 or ROTA_ENOMEM. */
static int try_group(const struct mcomp *m, struct wplan *w, double *total, size_t team,
		     size_t site, enum slot_kind kind, bool *done)
{
	int nlv = lv_count(m->c->nlevels);
	struct trial t = { 0 };
	struct wsession *tmp = NULL;
	double *vb = NULL, *va = NULL;
	size_t n = 0, visits = 0;
	int rc = ROTA_ENOMEM, placed;

	*done = false;
	for (size_t b = 0; b < w->n; b++)
		if (!w->s[b].fixed && w->s[b].team == team && w->s[b].site == site &&
		    w->s[b].kind == kind) {
			n++;
			visits += w->s[b].nvisits;
		}
	if (n < 2)
		return ROTA_OK;
	t.idx = xcalloc_array(n, sizeof(*t.idx));
	t.s = xcalloc_array(n, sizeof(*t.s));
	t.pool = xcalloc_array(visits + 1, sizeof(*t.pool));
	tmp = xcalloc_array(n, sizeof(*tmp));
	vb = xcalloc_array((size_t)nlv, sizeof(*vb));
	va = xcalloc_array((size_t)nlv, sizeof(*va));
	if (!t.idx || !t.s || !t.pool || !tmp || !vb || !va)
		goto out;
	for (size_t b = 0; b < w->n; b++) {
		size_t k;

		if (w->s[b].fixed || w->s[b].team != team || w->s[b].site != site ||
		    w->s[b].kind != kind)
			continue;
		for (k = t.n; k > 0 && session_order(w, t.idx[k - 1], b) > 0; k--)
			t.idx[k] = t.idx[k - 1];
		t.idx[k] = b;
		t.n++;
	}
	for (size_t k = 0; k < t.n; k++)
		if (session_copy(&t.s[k], &w->s[t.idx[k]])) {
			t.n = k;
			goto out;
		}
	for (size_t k = 0; k < t.n; k++)
		pool_take(m, &t, &t.s[k], ALL_UNITS);
	for (size_t j = 0; j < t.npool; j++) {
		struct pooled *p = &t.pool[j];

		p->weight = mcomp_weight(m, p->row, team);
		p->uload = 0.0;
		p->udeadline = INT_MAX;
		for (size_t i = 0; i < t.npool; i++)
			if (t.pool[i].unit == p->unit) {
				const struct pooled *q = &t.pool[i];

				p->uload += q->count * mcomp_weight(m, q->row, team);
				if (q->ontime > 0 && m->rows[q->row].deadline < p->udeadline)
					p->udeadline = m->rows[q->row].deadline;
			}
	}
	qsort(t.pool, t.npool, sizeof(*t.pool), group_cmp);
	placed = group_place(m, &t);
	if (placed < 0) {
		rc = placed;
		goto out;
	}
	rc = ROTA_OK;
	if (placed == 0)
		*done = trial_commit(m, w, total, &t, tmp, vb, va, false);
out:
	trial_release(&t);
	free(tmp);
	free(vb);
	free(va);
	return rc;
}

/* Takes one of unit v's people out of copy s (the heaviest in s's team
 * first, then the later row) into copy d, where that row may join and
 * has room. false when none of v's people can go. Returns through *rc
 * ROTA_ENOMEM when out of memory. */
static bool swap_one(const struct mcomp *m, struct wsession *s, struct wsession *d, size_t v,
		     int *rc)
{
	long best = -1;
	double best_wt = 0.0;

	for (size_t i = 0; i < s->nvisits; i++) {
		size_t row = s->visits[i].row;
		double wt = mcomp_weight(m, row, s->team);

		if (m->rows[row].unit != v || s->visits[i].count <= 0 || !may_join(m, row, d) ||
		    fit_count(d->load, mcomp_weight(m, row, d->team), d->share, 1) <= 0)
			continue;
		if (best < 0 || wt > best_wt) {
			best = (long)i;
			best_wt = wt;
		}
	}
	if (best < 0)
		return false;
	{
		size_t row = s->visits[best].row;

		if (wsession_add(d, row, 1, mcomp_weight(m, row, d->team))) {
			*rc = ROTA_ENOMEM;
			return false;
		}
		if (--s->visits[best].count == 0)
			s->visits[best] = s->visits[--s->nvisits];
		session_reload(m, s);
	}
	return true;
}

/* Tries moving all of unit u's people out of session a into session b,
 * making room in b by moving people of unit v, one at a time, into
 * session c, where v is already (c may be a; v may be u when c is not
 * a): u's invitation in a goes, no other comes. Commits when that
 * improves the levels in total (*done). Returns 0 or ROTA_ENOMEM. */
static int try_swap(const struct mcomp *m, struct wplan *w, double *total, size_t u, size_t a,
		    size_t b, size_t v, size_t c, bool *done)
{
	int nlv = lv_count(m->c->nlevels);
	size_t idx[3] = { a, b, c }, n = c == a ? 2 : 3;
	struct trial t = { 0 };
	struct wsession tmp[3];
	double *vb = xcalloc_array((size_t)nlv, sizeof(*vb));
	double *va = xcalloc_array((size_t)nlv, sizeof(*va));
	int rc = ROTA_ENOMEM;
	bool moved = true;

	*done = false;
	t.idx = xcalloc_array(n, sizeof(*t.idx));
	t.s = xcalloc_array(n, sizeof(*t.s));
	t.pool = xcalloc_array(w->s[a].nvisits + 1, sizeof(*t.pool));
	if (!vb || !va || !t.idx || !t.s || !t.pool)
		goto out;
	for (size_t k = 0; k < n; k++) {
		t.idx[k] = idx[k];
		if (session_copy(&t.s[k], &w->s[idx[k]]))
			goto out;
		t.n = k + 1;
	}
	pool_take(m, &t, &t.s[0], u);
	rc = ROTA_OK;
	for (size_t j = 0; j < t.npool && moved; j++) {
		struct pooled *p = &t.pool[j];
		double wt = mcomp_weight(m, p->row, t.s[1].team);

		if (!may_join(m, p->row, &t.s[1]))
			goto out;
		while (p->placed < p->count && moved) {
			int got = fit_count(t.s[1].load, wt, t.s[1].share, p->count - p->placed);

			if (got > 0) {
				if (wsession_add(&t.s[1], p->row, got, wt)) {
					rc = ROTA_ENOMEM;
					goto out;
				}
				p->placed += got;
			} else {
				moved = swap_one(m, &t.s[1], &t.s[n == 2 ? 0 : 2], v, &rc);
			}
		}
	}
	if (!rc && moved)
		*done = trial_commit(m, w, total, &t, tmp, vb, va, false);
out:
	trial_release(&t);
	free(vb);
	free(va);
	return rc;
}

/* The sessions of each unit of the campaign, or of each demand row of
 * the part, as index lists into a plan (built once per round: a change
 * ends the round). */
struct unit_sessions {
	size_t *start;         /* [keys + 1] */
	size_t *list;
	bool by_row;           /* keys are demand rows, not units */
};

static void unit_sessions_release(struct unit_sessions *us)
{
	free(us->start);
	free(us->list);
}

static size_t session_key(const struct mcomp *m, const struct unit_sessions *us,
			  const struct wsession *s, size_t i)
{
	return us->by_row ? s->visits[i].row : m->rows[s->visits[i].row].unit;
}

/* Counts (fill false) or lists (fill true) the sessions of each key. */
static void unit_sessions_pass(const struct mcomp *m, const struct wplan *w,
			       struct unit_sessions *us, size_t *at, bool fill)
{
	for (size_t a = 0; a < w->n; a++) {
		const struct wsession *s = &w->s[a];

		for (size_t i = 0; i < s->nvisits; i++) {
			size_t u = session_key(m, us, s, i);
			bool first = true;

			for (size_t k = 0; k < i && first; k++)
				first = session_key(m, us, s, k) != u;
			if (!first)
				continue;
			if (fill)
				us->list[at[u]++] = a;
			else
				us->start[u + 1]++;
		}
	}
}

static int unit_sessions_build(const struct mcomp *m, const struct wplan *w,
			       struct unit_sessions *us, bool by_row)
{
	size_t nu = by_row ? m->nrows : m->c->nunits, *at = xcalloc_array(nu + 1, sizeof(*at));

	us->by_row = by_row;
	us->start = xcalloc_array(nu + 1, sizeof(*us->start));
	us->list = NULL;
	if (!at || !us->start) {
		free(at);
		return ROTA_ENOMEM;
	}
	unit_sessions_pass(m, w, us, at, false);
	for (size_t u = 0; u < nu; u++)
		us->start[u + 1] += us->start[u];
	us->list = xcalloc_array(us->start[nu] + 1, sizeof(*us->list));
	if (!us->list) {
		free(at);
		return ROTA_ENOMEM;
	}
	memcpy(at, us->start, (nu + 1) * sizeof(*at));
	unit_sessions_pass(m, w, us, at, true);
	free(at);
	return ROTA_OK;
}

/* Invitation (unit u, session a): tries every other session b of u that
 * is not fixed, every unit v in b, and every other session c of v (for
 * v = u, not a), as a swap (try_swap). */
static int try_swaps(const struct mcomp *m, struct wplan *w, double *total,
		     const struct unit_sessions *us, size_t u, size_t a, bool *done)
{
	int rc = ROTA_OK;

	*done = false;
	for (size_t ib = us->start[u]; ib < us->start[u + 1] && !*done && !rc; ib++) {
		size_t b = us->list[ib];
		const struct wsession *sb = &w->s[b];

		if (b == a || sb->fixed)
			continue;
		for (size_t i = 0; i < sb->nvisits && !*done && !rc; i++) {
			size_t v = m->rows[sb->visits[i].row].unit;
			bool first = true;

			/* Each unit v once per session b. */
			for (size_t k = 0; k < i && first; k++)
				first = m->rows[sb->visits[k].row].unit != v;
			for (size_t ic = us->start[v]; ic < us->start[v + 1] && first && !*done && !rc;
			     ic++) {
				size_t c = us->list[ic];

				if (c != b && (v != u || c != a))
					rc = try_swap(m, w, total, u, a, b, v, c, done);
			}
		}
	}
	return rc;
}

/* One pass over the candidates; stops at the first change (*changed). */
static int merge_round(const struct mcomp *m, struct wplan *w, double *total, bool *changed)
{
	size_t n = 0;
	struct cand *cs = candidates(m, w, &n);
	struct unit_sessions us = { 0 };
	int rc = ROTA_OK;

	*changed = false;
	if (!cs || unit_sessions_build(m, w, &us, false)) {
		free(cs);
		unit_sessions_release(&us);
		return ROTA_ENOMEM;
	}
	for (size_t i = 0; i < n && !*changed && !rc; i++) {
		size_t a = cs[i].a, u = cs[i].unit;
		bool elsewhere = false;

		for (size_t b = 0; b < w->n && !elsewhere; b++)
			elsewhere = b != a && wsession_has_unit(m, &w->s[b], u);
		if (elsewhere)
			rc = try_unit(m, w, total, u, a, -1, changed);
		if (!rc && !*changed && only_unit(m, &w->s[a], u))
			rc = try_elsewhere(m, w, total, u, a, changed);
		if (!rc && !*changed && elsewhere && cs[i].people <= MERGE_SWAP_PEOPLE)
			rc = try_swaps(m, w, total, &us, u, a, changed);
	}
	/* Then whole groups of sessions of one team, site and kind. */
	for (size_t a = 0; a < w->n && !*changed && !rc; a++) {
		const struct wsession *s = &w->s[a];
		bool first = !s->fixed;

		for (size_t b = 0; b < a && first; b++)
			first = w->s[b].fixed || w->s[b].team != s->team || w->s[b].site != s->site ||
				w->s[b].kind != s->kind;
		if (first)
			rc = try_group(m, w, total, s->team, s->site, s->kind, changed);
	}
	free(cs);
	unit_sessions_release(&us);
	return rc;
}

/* People of row in session s (0 when it is not there). */
static int row_people(const struct wsession *s, size_t row)
{
	int n = 0;

	for (size_t i = 0; i < s->nvisits; i++)
		if (s->visits[i].row == row)
			n += s->visits[i].count;
	return n;
}

/* Moves k people of row from copy s to copy d (k at most what s has). */
static int move_people(const struct mcomp *m, struct wsession *s, struct wsession *d, size_t row,
		       int k)
{
	for (size_t i = 0; i < s->nvisits && k > 0; i++) {
		int take;

		if (s->visits[i].row != row)
			continue;
		take = s->visits[i].count < k ? s->visits[i].count : k;
		if (wsession_add(d, row, take, mcomp_weight(m, row, d->team)))
			return ROTA_ENOMEM;
		s->visits[i].count -= take;
		k -= take;
		if (s->visits[i].count == 0)
			s->visits[i--] = s->visits[--s->nvisits];
	}
	session_reload(m, s);
	return ROTA_OK;
}

/* Whether copies a and b keep rule 5. */
static bool both_fit(const struct wsession *a, const struct wsession *b)
{
	return a->load <= a->share + MODEL_LOAD_EPS && b->load <= b->share + MODEL_LOAD_EPS;
}

/* Tries taking all of row's people in session a into session b, where the
 * row has people too; when b lacks the room, all of the people in b of
 * another row r2 of the same unit that a already holds, or that b holds
 * no more of after, go the other way. Each row then has people in no
 * more sessions than before, and the row one session fewer. Commits
 * when no level is worse (rule 7 in its order: travel and dates may
 * change). Returns 0 or ROTA_ENOMEM. */
static int try_unsplit(const struct mcomp *m, struct wplan *w, double *total, size_t a, size_t b,
		       size_t row, bool *done)
{
	int nlv = lv_count(m->c->nlevels), rc = ROTA_ENOMEM;
	struct trial t = { 0 };
	struct wsession tmp[2];
	double *vb = xcalloc_array((size_t)nlv, sizeof(*vb));
	double *va = xcalloc_array((size_t)nlv, sizeof(*va));
	size_t unit = m->rows[row].unit;
	bool fits;

	*done = false;
	t.idx = xcalloc_array(2, sizeof(*t.idx));
	t.s = xcalloc_array(2, sizeof(*t.s));
	if (!vb || !va || !t.idx || !t.s)
		goto out;
	t.idx[0] = a;
	t.idx[1] = b;
	if (session_copy(&t.s[0], &w->s[a]))
		goto out;
	t.n = 1;
	if (session_copy(&t.s[1], &w->s[b]))
		goto out;
	t.n = 2;
	if (!may_join(m, row, &t.s[1])) {
		rc = ROTA_OK;
		goto out;
	}
	if (move_people(m, &t.s[0], &t.s[1], row, row_people(&t.s[0], row)))
		goto out;
	fits = both_fit(&t.s[0], &t.s[1]);
	/* Room in b: another row of the unit goes to a, whole (a fixed
	 * session only receives). */
	for (size_t i = 0; i < w->s[b].nvisits && !fits && !w->s[b].fixed; i++) {
		size_t r2 = w->s[b].visits[i].row;
		int k2 = row_people(&t.s[1], r2);

		if (r2 == row || m->rows[r2].unit != unit || k2 == 0 || !may_join(m, r2, &t.s[0]))
			continue;
		if (move_people(m, &t.s[1], &t.s[0], r2, k2))
			goto out;
		fits = both_fit(&t.s[0], &t.s[1]);
		if (!fits && move_people(m, &t.s[0], &t.s[1], r2, k2))
			goto out;
	}
	if (fits)
		*done = trial_commit(m, w, total, &t, tmp, vb, va, true);
	rc = ROTA_OK;
out:
	trial_release(&t);
	free(vb);
	free(va);
	return rc;
}

/* One pass over the rows with people in two sessions or more, each
 * pair of their sessions (not out of a fixed one); stops at the first
 * change (*changed). */
static int unsplit_round(const struct mcomp *m, struct wplan *w, double *total, bool *changed)
{
	struct unit_sessions rs = { 0 };
	int rc = unit_sessions_build(m, w, &rs, true);

	*changed = false;
	for (size_t r = 0; r < m->nrows && !*changed && !rc; r++)
		for (size_t i = rs.start[r]; i < rs.start[r + 1] && !*changed && !rc; i++)
			for (size_t j = rs.start[r]; j < rs.start[r + 1] && !*changed && !rc; j++)
				if (i != j && !w->s[rs.list[i]].fixed)
					rc = try_unsplit(m, w, total, rs.list[i], rs.list[j], r, changed);
	unit_sessions_release(&rs);
	return rc;
}

/* Every fixed session of w is in x with at least its people of w. */
static bool fixed_kept(const struct wplan *w, const struct wplan *x)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *f = &w->s[i];
		const struct wsession *g = NULL;

		if (!f->fixed)
			continue;
		for (size_t k = 0; k < x->n && !g; k++)
			if (x->s[k].fixed && x->s[k].team == f->team && x->s[k].date == f->date &&
			    x->s[k].kind == f->kind)
				g = &x->s[k];
		if (!g)
			return false;
		for (size_t j = 0; j < f->nvisits; j++) {
			int n = 0;

			for (size_t k = 0; k < g->nvisits; k++)
				if (g->visits[k].row == f->visits[j].row)
					n += g->visits[k].count;
			if (n < f->visits[j].count)
				return false;
		}
	}
	return true;
}

/* Re-dating after the merges, kept when it is no worse in the order of
 * rule 7 and leaves the fixed sessions' people where they were. */
static int redate_after(const struct mcomp *m, struct wplan *w, const double *total)
{
	int nlv = lv_count(m->c->nlevels);
	struct wplan copy = { 0 };
	double *v = xcalloc_array((size_t)nlv, sizeof(*v));
	int rc = ROTA_ENOMEM;

	if (!v)
		return rc;
	copy.s = xcalloc_array(w->n + 1, sizeof(*copy.s));
	if (!copy.s)
		goto out;
	copy.alloc = w->n + 1;
	for (; copy.n < w->n; copy.n++)
		if (session_copy(&copy.s[copy.n], &w->s[copy.n]))
			goto out;
	rc = wplan_improve_dates(m, &copy);
	if (rc)
		goto out;
	wplan_levels(m, &copy, v);
	if (wplan_levels_cmp(m, v, total) <= 0 && fixed_kept(w, &copy)) {
		wplan_release(w);
		*w = copy;
		memset(&copy, 0, sizeof(copy));
	}
out:
	wplan_release(&copy);
	free(v);
	return rc;
}

int wplan_merge_units(const struct mcomp *m, struct wplan *w)
{
	int nlv = lv_count(m->c->nlevels);
	double *total = xcalloc_array((size_t)nlv, sizeof(*total));
	bool changed = true, any = false;
	int rc = ROTA_OK;

	if (!total)
		return ROTA_ENOMEM;
	wplan_levels(m, w, total);
	/* Each change lowers person-minutes, a whole number, by at least one:
	 * the loop ends. */
	while (changed && !rc) {
		rc = merge_round(m, w, total, &changed);
		any = any || changed;
	}
	/* A row's people in fewer sessions of their unit, at no cost: each
	 * change takes a row out of a session and puts none in a new one. */
	changed = true;
	while (changed && !rc) {
		rc = unsplit_round(m, w, total, &changed);
		any = any || changed;
	}
	if (!rc && any)
		rc = redate_after(m, w, total);
	free(total);
	return rc;
}
