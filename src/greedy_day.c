/* greedy_day.c - the day-driven greedy plan of a part and the better of
 * the two greedy plans (greedy_day.h). */
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "greedy_day.h"
#include "model.h"
#include "model_impl.h"
#include "repair.h"
#include "util.h"
#include "banned.h"

struct dstate {
	const struct mcomp *m;
	struct wplan *w;
	int *occ;            /* [nteams * ndays * SLOT_COUNT]: session or -1 */
	int *week_extra;     /* [nteams * nweeks]: extra sessions held */
	int *remaining;      /* [nrows] */
	size_t *at0, *at;    /* rows that may use local site s: at[at0[s], at0[s + 1]) */
	size_t *cand;        /* [nrows]: candidates of one session */
	int level;           /* only rows of this priority level; -1: all */
	bool light_first;    /* GREEDY_DAY_LIGHT_FIRST */
};

static int *dstate_occ(struct dstate *g, size_t team, int date, int kind)
{
	const struct campaign *c = g->m->c;

	return &g->occ[(team * (size_t)c->ndays + (size_t)(date - c->start)) * SLOT_COUNT +
		       (size_t)kind];
}

static int *dstate_week(struct dstate *g, size_t team, int date)
{
	return &g->week_extra[team * (size_t)g->m->nweeks + (size_t)week_of(g->m, date)];
}

static void dstate_release(struct dstate *g)
{
	free(g->occ);
	free(g->week_extra);
	free(g->remaining);
	free(g->at0);
	free(g->at);
	free(g->cand);
}

static int dstate_init(struct dstate *g, const struct mcomp *m, struct wplan *w)
{
	const struct campaign *c = m->c;
	size_t nocc = m->nteams * (size_t)c->ndays * SLOT_COUNT, nat = 0;

	memset(g, 0, sizeof(*g));
	g->m = m;
	g->w = w;
	for (size_t r = 0; r < m->nrows; r++)
		nat += m->rows[r].nsites;
	g->occ = xcalloc_array(nocc ? nocc : 1, sizeof(int));
	g->week_extra = xcalloc_array(m->nteams * (size_t)m->nweeks + 1, sizeof(int));
	g->remaining = xcalloc_array(m->nrows + 1, sizeof(int));
	g->at0 = xcalloc_array(m->nsites + 2, sizeof(size_t));
	g->at = xcalloc_array(nat + 1, sizeof(size_t));
	g->cand = xcalloc_array(m->nrows + 1, sizeof(size_t));
	if (!g->occ || !g->week_extra || !g->remaining || !g->at0 || !g->at || !g->cand) {
		dstate_release(g);
		return ROTA_ENOMEM;
	}
	for (size_t i = 0; i < nocc; i++)
		g->occ[i] = -1;
	memcpy(g->week_extra, m->extra_used, m->nteams * (size_t)m->nweeks * sizeof(int));
	for (size_t r = 0; r < m->nrows; r++)
		g->remaining[r] = m->rows[r].count;
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];

		*dstate_occ(g, s->team, s->date, s->kind) = (int)i;
		if (slot_kind_is_extra(s->kind))
			(*dstate_week(g, s->team, s->date))++;
		for (size_t j = 0; j < s->nvisits; j++)
			g->remaining[s->visits[j].row] -= s->visits[j].count;
	}
	/* The rows of each site, in row order (a counting sort). */
	for (size_t r = 0; r < m->nrows; r++)
		for (size_t k = 0; k < m->rows[r].nsites; k++) {
			int sl = m->site_local[m->rows[r].sites[k]];

			if (sl >= 0)
				g->at0[sl + 2]++;
		}
	for (size_t s = 0; s < m->nsites; s++)
		g->at0[s + 2] += g->at0[s + 1];
	for (size_t r = 0; r < m->nrows; r++)
		for (size_t k = 0; k < m->rows[r].nsites; k++) {
			int sl = m->site_local[m->rows[r].sites[k]];

			if (sl >= 0)
				g->at[g->at0[sl + 1]++] = r;
		}
	return ROTA_OK;
}

/* Row may send people to a session of team (local) at site on date in
 * kind and still be in time: a person of it fits in an empty session. */
static bool day_candidate(struct dstate *g, size_t row, size_t team, size_t site, int date,
			  enum slot_kind kind, double share)
{
	const struct mcomp *m = g->m;
	const struct mrow *r = &m->rows[row];

	return g->remaining[row] > 0 && (g->level < 0 || r->level == g->level) &&
	       date <= r->deadline && date >= r->from &&
	       visit_allowed(m->c, r->unit, r->demand, m->teams[team], site, date, kind) &&
	       fit_count(0.0, mcomp_weight(m, row, team), share, 1) >= 1;
}

/* How urgent the candidates of a session are: the most urgent one's level
 * and deadline, then how many people wait. */
struct urgency {
	int level, deadline;
	long waiting;
};

static bool urgency_before(const struct urgency *a, const struct urgency *b)
{
	if (a->level != b->level)
		return a->level < b->level;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->waiting > b->waiting;
}

/* Collects the candidates of a session of team at local site sl into
 * g->cand; returns their number and their urgency. */
static size_t day_collect(struct dstate *g, size_t team, size_t sl, int date, enum slot_kind kind,
			  double share, struct urgency *u)
{
	size_t site = g->m->sites[sl], n = 0;

	u->level = INT_MAX;
	u->deadline = 0;
	u->waiting = 0;
	for (size_t i = g->at0[sl]; i < g->at0[sl + 1]; i++) {
		size_t row = g->at[i];
		const struct mrow *r = &g->m->rows[row];

		if (!day_candidate(g, row, team, site, date, kind, share))
			continue;
		g->cand[n++] = row;
		u->waiting += g->remaining[row];
		if (r->level < u->level || (r->level == u->level && r->deadline < u->deadline)) {
			u->level = r->level;
			u->deadline = r->deadline;
		}
	}
	return n;
}

static _Thread_local const struct mcomp *sort_m;
static _Thread_local size_t sort_team;
static _Thread_local bool sort_light;

/* Most urgent first; among equally urgent people, with sort_light, the
 * lightest first (the most people in the session), else in row order. */
static int cand_cmp(const void *pa, const void *pb)
{
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	const struct mrow *a = &sort_m->rows[ia], *b = &sort_m->rows[ib];
	double wa, wb;

	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	if (sort_light) {
		wa = mcomp_weight(sort_m, ia, sort_team);
		wb = mcomp_weight(sort_m, ib, sort_team);
		if (wa != wb)
			return wa < wb ? -1 : 1;
	}
	return (ia > ib) - (ia < ib);
}

/* Fills session si with the n candidates in g->cand, most urgent first. */
static int day_fill_session(struct dstate *g, size_t si, size_t n)
{
	const struct mcomp *m = g->m;

	sort_m = m;
	sort_team = g->w->s[si].team;
	sort_light = g->light_first;
	qsort(g->cand, n, sizeof(*g->cand), cand_cmp);
	for (size_t i = 0; i < n; i++) {
		struct wsession *s = &g->w->s[si];
		size_t row = g->cand[i];
		double wt = mcomp_weight(m, row, s->team);
		int k = fit_count(s->load, wt, s->share, g->remaining[row]);

		if (k < 1)
			continue;
		if (wsession_add(s, row, k, wt))
			return ROTA_ENOMEM;
		g->remaining[row] -= k;
	}
	return ROTA_OK;
}

/* The local site where a new session of team on date in kind would take
 * the most urgent people (their urgency into *bu), or -1. */
static int day_best_site(struct dstate *g, size_t team, int date, enum slot_kind kind,
			 struct urgency *bu)
{
	const struct mcomp *m = g->m;
	const struct campaign *c = m->c;
	size_t ct = m->teams[team];
	struct urgency u;
	int best = -1;

	for (size_t sl = 0; sl < m->nsites; sl++) {
		size_t site = m->sites[sl];
		double share;

		if (g->at0[sl] == g->at0[sl + 1] || !session_possible(c, ct, site, date, kind))
			continue;
		share = session_capacity_share(c, ct, site, kind);
		if (share <= 0.0 || !day_collect(g, team, sl, date, kind, share, &u))
			continue;
		if (best < 0 || urgency_before(&u, bu)) {
			best = (int)sl;
			*bu = u;
		}
	}
	return best;
}

/* The team's extra sessions left this week are better kept for later
 * extra slots of the week (a holiday, say) where people more urgent than
 * *u wait who cannot come now: as many such slots as sessions left. */
static bool day_keep_extra(struct dstate *g, size_t team, int date, enum slot_kind kind,
			   const struct urgency *u)
{
	const struct mcomp *m = g->m;
	int room = max_extra(m, team) - *dstate_week(g, team, date), later = 0;
	int last = date_week_monday(date) + 6;
	struct urgency v;

	if (last > m->c->end)
		last = m->c->end;
	for (int d = date; d <= last && later < room; d++)
		for (int k = 0; k < SLOT_COUNT && later < room; k++) {
			if ((d == date && k <= (int)kind) || !slot_kind_is_extra((enum slot_kind)k) ||
			    *dstate_occ(g, team, d, k) >= 0 ||
			    !(team_kinds_on(m, team, d) & SLOT_BIT(k)))
				continue;
			if (day_best_site(g, team, d, (enum slot_kind)k, &v) >= 0 &&
			    (v.level < u->level || (v.level == u->level && v.deadline < u->deadline)))
				later++;
		}
	return later >= room;
}

/* The session of team on date in kind: the one already there, or a new
 * one at the site whose candidates are the most urgent. */
static int day_slot(struct dstate *g, size_t team, int date, enum slot_kind kind)
{
	const struct mcomp *m = g->m;
	const struct campaign *c = m->c;
	size_t ct = m->teams[team], n;
	int si = *dstate_occ(g, team, date, kind), best = -1, idx;
	struct urgency u, bu = { 0, 0, 0 };
	double share;

	if (si >= 0) {
		const struct wsession *s = &g->w->s[si];
		int sl = m->site_local[s->site];

		if (sl < 0)
			return ROTA_OK;
		n = day_collect(g, team, (size_t)sl, date, kind, s->share, &u);
		return n ? day_fill_session(g, (size_t)si, n) : ROTA_OK;
	}
	if (!(team_kinds_on(m, team, date) & SLOT_BIT(kind)))
		return ROTA_OK;
	if (slot_kind_is_extra(kind) && *dstate_week(g, team, date) >= max_extra(m, team))
		return ROTA_OK;
	best = day_best_site(g, team, date, kind, &bu);
	if (best >= 0 && slot_kind_is_extra(kind) && day_keep_extra(g, team, date, kind, &bu))
		return ROTA_OK;
	if (best < 0)
		return ROTA_OK;
	share = session_capacity_share(c, ct, m->sites[best], kind);
	n = day_collect(g, team, (size_t)best, date, kind, share, &u);
	idx = wplan_add(g->w, team, m->sites[best], date, kind, false, share);
	if (idx < 0)
		return ROTA_ENOMEM;
	if (day_fill_session(g, (size_t)idx, n))
		return ROTA_ENOMEM;
	if (g->w->s[idx].nvisits == 0) {
		/* Nobody fits after all: no session. */
		free(g->w->s[idx].visits);
		g->w->n--;
		return ROTA_OK;
	}
	*dstate_occ(g, team, date, kind) = idx;
	if (slot_kind_is_extra(kind))
		(*dstate_week(g, team, date))++;
	return ROTA_OK;
}

int greedy_day_fill(const struct mcomp *m, struct wplan *w, unsigned flags)
{
	const struct campaign *c = m->c;
	struct dstate g;
	int rc;

	if (m->nrows == 0)
		return ROTA_OK;
	bool by_level = flags & GREEDY_DAY_BY_LEVEL;

	rc = dstate_init(&g, m, w);
	if (rc)
		return rc;
	g.light_first = flags & GREEDY_DAY_LIGHT_FIRST;
	for (int l = by_level ? 0 : -1; l < (by_level ? c->nlevels : 0) && !rc; l++) {
		g.level = l;
		for (int d = c->start; d <= c->end && !rc; d++)
			for (size_t t = 0; t < m->nteams && !rc; t++)
				for (int k = 0; k < SLOT_COUNT && !rc; k++)
					rc = day_slot(&g, t, d, (enum slot_kind)k);
	}
	dstate_release(&g);
	return rc ? rc : greedy_fill(m, w);
}

/* Fills w by the greedy of the given kind. */
static int greedy_by(const struct mcomp *m, struct wplan *w, enum greedy_kind kind)
{
	if (kind == GREEDY_ROWS)
		return greedy_fill(m, w);
	return greedy_day_fill(m, w, (unsigned)kind - GREEDY_DAYS);
}

int greedy_best(const struct mcomp *m, struct wplan *w, greedy_levels_cmp cmp, double *value,
		enum greedy_kind *kept)
{
	int nlv = lv_count(m->c->nlevels), rc = ROTA_OK;
	struct wplan best = { 0 }, cur = { 0 };
	double *vbest = xcalloc_array((size_t)nlv * 2, sizeof(double)), *vcur;
	enum greedy_kind kbest = GREEDY_ROWS;

	if (!vbest)
		return ROTA_ENOMEM;
	vcur = vbest + nlv;
	for (int k = 0; k < GREEDY_KINDS && !rc; k++) {
		rc = wplan_copy(w, &cur);
		if (!rc)
			rc = greedy_by(m, &cur, (enum greedy_kind)k);
		if (rc)
			break;
		wplan_levels(m, &cur, vcur);
		if (k == 0 || cmp(m->c, vcur, vbest) < 0) {
			struct wplan t = best;

			best = cur;
			cur = t;
			memcpy(vbest, vcur, (size_t)nlv * sizeof(double));
			kbest = (enum greedy_kind)k;
		}
		wplan_release(&cur);
	}
	if (!rc) {
		wplan_release(w);
		*w = best;
		memset(&best, 0, sizeof(best));
		if (value)
			memcpy(value, vbest, (size_t)nlv * sizeof(double));
		if (kept)
			*kept = kbest;
	}
	wplan_release(&best);
	wplan_release(&cur);
	free(vbest);
	return rc;
}
