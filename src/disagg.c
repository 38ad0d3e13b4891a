/* disagg.c - from an integer point of the aggregated model back to dated
 * sessions (model_disaggregate, model.h). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "model_impl.h"
#include "slot_match.h"
#include "util.h"
#include "banned.h"


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

/* pack_search: the most distinct weights and visits of a cell, and the
 * steps of its search. */
enum { PACK_WEIGHTS = 16, PACK_ITEMS = 256 };
#define PACK_NODES 200000L

static int item_cmp(const void *pa, const void *pb)
{
	const struct mvisit *a = &sort_mo->visits[*(const int *)pa];
	const struct mvisit *b = &sort_mo->visits[*(const int *)pb];

	size_t ua = sort_mo->comp->rows[a->row].unit, ub = sort_mo->comp->rows[b->row].unit;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	/* A unit's rows side by side, so that its people fill the same
	 * sessions (one invitation each, rule 7.4). */
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return (a->row > b->row) - (a->row < b->row);
}

/* People of priority level l in bin b. */
static int bin_level_people(const struct bin *b, int l)
{
	int n = 0;

	for (size_t i = 0; i < b->nv; i++)
		if (sort_mo->comp->rows[b->v[i].row].level == l)
			n += b->v[i].count;
	return n;
}

/* The bins that get the earliest dates first: the most urgent people
 * first, level by level (rule 7.5), then the fullest. */
static int bin_people_cmp(const void *pa, const void *pb)
{
	const struct bin *a = *(const struct bin *const *)pa, *b = *(const struct bin *const *)pb;

	for (int l = 0; l < sort_mo->comp->c->nlevels; l++) {
		int na = bin_level_people(a, l), nb = bin_level_people(b, l);

		if (na != nb)
			return na > nb ? -1 : 1;
	}
	if (a->people != b->people)
		return a->people > b->people ? -1 : 1;
	if (a->cell != b->cell)
		return a->cell < b->cell ? -1 : 1;
	return (a > b) - (a < b);
}

static void bins_clear(struct bin *bins, int nb)
{
	for (int b = 0; b < nb; b++) {
		free(bins[b].v);
		bins[b] = (struct bin){ .cell = bins[b].cell };
	}
}

static int bin_nonempty_cmp(const void *pa, const void *pb)
{
	const struct bin *a = pa, *b = pb;

	return (a->people == 0) - (b->people == 0);
}

/* Takes one person of row (weight w) out of bin b's visit j. */
static void bin_take_one(struct bin *b, size_t j, double w)
{
	b->v[j].count--;
	b->people--;
	b->load -= w;
	if (b->v[j].count == 0)
		b->v[j] = b->v[--b->nv];
}

/* People of row in bins[0 .. nb). */
static int bins_row_people(const struct bin *bins, int nb, size_t row)
{
	int n = 0;

	for (int b = 0; b < nb; b++)
		for (size_t j = 0; j < bins[b].nv; j++)
			if (bins[b].v[j].row == row)
				n += bins[b].v[j].count;
	return n;
}

/* Whether row a is less urgent than row b: a later deadline, then a
 * later priority level. */
static bool less_urgent(const struct mcomp *m, size_t a, size_t b)
{
	if (m->rows[a].deadline != m->rows[b].deadline)
		return m->rows[a].deadline > m->rows[b].deadline;
	return m->rows[a].level > m->rows[b].level;
}

/* One person of row (weight w) that packing left out takes the place of
 * a packed person at least as heavy whose row is the least urgent, if
 * that is less urgent than row: then the one left out is the one most
 * likely to find a session later (wplan_complete, the greedy). Returns 1
 * if it swapped, 0 if not, or ROTA_ENOMEM. */
static int leave_later(const struct model *mo, int ci, struct bin *bins, int nb, size_t row,
			double w)
{
	const struct mcomp *m = mo->comp;
	int best_b = -1;
	size_t best_j = 0;

	for (int b = 0; b < nb; b++)
		for (size_t j = 0; j < bins[b].nv; j++) {
			size_t r2 = bins[b].v[j].row;

			if (mcomp_weight(m, r2, (size_t)mo->cells[ci].team) < w * (1 - 1e-12) ||
			    !less_urgent(m, r2, row) ||
			    (best_b >= 0 && !less_urgent(m, r2, bins[best_b].v[best_j].row)))
				continue;
			best_b = b;
			best_j = j;
		}
	if (best_b < 0)
		return 0;
	bin_take_one(&bins[best_b], best_j,
		     mcomp_weight(m, bins[best_b].v[best_j].row, (size_t)mo->cells[ci].team));
	return bin_add(&bins[best_b], row, 1, w) ? ROTA_ENOMEM : 1;
}

/* The people of cell ci (x, its visits items[0 .. n), heaviest first)
 * into its nb bins, when first fit left someone out: a search over how
 * many people of each weight each bin takes (weights equal within 1e-9
 * are one), PACK_NODES at most. Leaves the bins as they are if it finds
 * nothing. With three weight classes or more, the model's rows (section
 * 4) do not always make whole people fit, but first fit also fails where
 * they do (generated seed 13: 14 sessions, 1,208 people of two weights
 * with room for a fifth of a person to spare). */
static int pack_search(const struct model *mo, int ci, const double *x, const int *items, int n,
		       struct bin *bins, int nb)
{
	const struct mcell *cl = &mo->cells[ci];
	double w[PACK_WEIGHTS];
	int cls[PACK_ITEMS], cnt[PACK_WEIGHTS], m = 0, *take, found, rc = ROTA_OK;

	if (n > PACK_ITEMS)
		return ROTA_OK;
	for (int i = 0; i < n; i++) {
		const struct mvisit *v = &mo->visits[items[i]];
		int j = 0;

		while (j < m && fabs(w[j] - v->weight) > 1e-9 * v->weight)
			j++;
		if (j == m) {
			if (m == PACK_WEIGHTS)
				return ROTA_OK;
			w[m] = v->weight;
			cnt[m++] = 0;
		}
		cnt[j] += (int)llround(x[v->col]);
		cls[i] = j;
	}
	take = xcalloc_array((size_t)nb * (size_t)m + 1, sizeof(int));
	if (!take)
		return ROTA_ENOMEM;
	/* items are heaviest first, so the weights are too */
	found = m > 0 ? pack_counts(w, cnt, m, cl->share, nb, PACK_NODES, take) : 0;
	if (found == 1) {
		bins_clear(bins, nb);
		for (int i = 0; i < n && !rc; i++) {
			const struct mvisit *v = &mo->visits[items[i]];
			int left = (int)llround(x[v->col]);

			for (int b = 0; b < nb && left > 0 && !rc; b++) {
				int *t = &take[b * m + cls[i]];
				int k = left < *t ? left : *t;

				if (k > 0) {
					rc = bin_add(&bins[b], (size_t)v->row, k, v->weight);
					*t -= k;
					left -= k;
				}
			}
		}
	} else if (found < 0) {
		rc = found;
	}
	free(take);
	return rc;
}

/* Packs the people of cell ci into nb bins unit by unit (rule 7.4: a
 * unit's people in as few sessions as they need): the heaviest unit
 * first, whole into the fullest bin it fits, else spread over the bins
 * with the most room. *all says whether every person found a place;
 * if not, the bins are left empty. */
static int pack_units(const struct model *mo, int ci, const double *x, struct bin *bins, int nb,
		      const int *items, int n, bool *all)
{
	const struct mcell *cl = &mo->cells[ci];
	const struct mcomp *m = mo->comp;
	bool *done = xcalloc_array((size_t)n + 1, sizeof(bool));

	*all = false;
	if (!done)
		return ROTA_ENOMEM;
	for (;;) {
		double load = 0.0, best_load = -1.0;
		size_t unit = 0;
		int best = -1;

		/* The heaviest unit left. */
		for (int i = 0; i < n; i++) {
			double l = 0.0;

			if (done[i])
				continue;
			for (int j = 0; j < n; j++)
				if (m->rows[mo->visits[items[j]].row].unit ==
				    m->rows[mo->visits[items[i]].row].unit)
					l += mo->visits[items[j]].weight * llround(x[mo->visits[items[j]].col]);
			if (l > best_load + 1e-12) {
				best_load = l;
				unit = m->rows[mo->visits[items[i]].row].unit;
			}
		}
		if (best_load < 0)
			break;
		load = best_load;
		/* Whole into the fullest bin that holds it. */
		for (int b = 0; b < nb; b++)
			if (bins[b].load + load <= cl->share + MODEL_LOAD_EPS &&
			    (best < 0 || bins[b].load > bins[best].load))
				best = b;
		for (int i = 0; i < n; i++) {
			const struct mvisit *v = &mo->visits[items[i]];
			int left = (int)llround(x[v->col]);

			if (done[i] || m->rows[v->row].unit != unit)
				continue;
			done[i] = true;
			while (left > 0) {
				int b = best, k;

				if (b < 0) /* the bin with the most room */
					for (int j = 0; j < nb; j++)
						if (fit_count(bins[j].load, v->weight, cl->share, left) > 0 &&
						    (b < 0 || bins[j].load < bins[b].load))
							b = j;
				if (b < 0) {
					bins_clear(bins, nb);
					free(done);
					return ROTA_OK;
				}
				k = fit_count(bins[b].load, v->weight, cl->share, left);
				if (k <= 0) {
					bins_clear(bins, nb);
					free(done);
					return ROTA_OK;
				}
				if (bin_add(&bins[b], (size_t)v->row, k, v->weight)) {
					free(done);
					return ROTA_ENOMEM;
				}
				left -= k;
			}
		}
	}
	free(done);
	qsort(bins, (size_t)nb, sizeof(*bins), bin_nonempty_cmp);
	*all = true;
	return ROTA_OK;
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
	{
		bool all;

		if (pack_units(mo, ci, x, bins, nb, items, n, &all))
			goto out;
		if (all) {
			rc = ROTA_OK;
			goto out;
		}
	}

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
	for (int i = 0; i < n; i++)
		if (left[i] > 0) {
			if ((rc = pack_search(mo, ci, x, items, n, bins, nb)))
				goto out;
			/* What the split placed is no longer left. */
			for (int k = 0; k < n; k++)
				left[k] = (int)llround(x[mo->visits[items[k]].col]) -
					  bins_row_people(bins, nb, (size_t)mo->visits[items[k]].row);
			break;
		}
	/* Whoever is still left out is served afterwards if they can be:
	 * leave out instead someone as heavy whose deadline is later. */
	for (int i = 0; i < n; i++)
		while (left[i] > 0) {
			int swapped = leave_later(mo, ci, bins, nb, (size_t)mo->visits[items[i]].row,
						  mo->visits[items[i]].weight);

			if (swapped < 0) {
				rc = swapped;
				goto out;
			}
			if (!swapped)
				break;
			left[i]--;
		}
	rc = ROTA_OK;
out:
	free(items);
	free(left);
	free(quota);
	return rc;
}

/* The bins of one team and period in the order they get dates: kind by
 * kind, then the most urgent and fullest first (bin_people_cmp). */
static int bin_kind_cmp(const void *pa, const void *pb)
{
	const struct bin *a = *(const struct bin *const *)pa, *b = *(const struct bin *const *)pb;
	int ka = (int)sort_mo->cells[a->cell].kind, kb = (int)sort_mo->cells[b->cell].kind;

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return bin_people_cmp(pa, pb);
}

/* What slot_match asks of one team and period. */
struct period_slots {
	const struct model *mo;
	size_t team;
	struct bin **order;
	int *date, *kind; /* [slots] */
};

static bool bin_fits_slot(void *ctx, int b, int j)
{
	const struct period_slots *ps = ctx;
	const struct mcell *cl = &ps->mo->cells[ps->order[b]->cell];

	return (int)cl->kind == ps->kind[j] &&
	       session_possible(ps->mo->comp->c, ps->mo->comp->teams[ps->team], cl->site, ps->date[j],
				cl->kind);
}

/* The earliest fixed session of bin b's cell in period pp not yet used,
 * or -1. */
static int earliest_fixed(const struct mcomp *m, size_t t, const struct mcell *cl,
			  const struct mperiod *pp, const unsigned char *used)
{
	int best = -1;

	for (size_t f = 0; f < m->nfixed; f++) {
		const struct mfixed *fx = &m->fixed[f];

		if (used[f] || fx->team != t || fx->site != cl->site || fx->kind != cl->kind ||
		    fx->date < pp->first || fx->date > pp->last)
			continue;
		if (best < 0 || fx->date < m->fixed[best].date)
			best = (int)f;
	}
	return best;
}

/* Dates the bins of team t in period p: a bin of a cell with fixed
 * sessions takes the earliest of them when no free date comes earlier;
 * the others take distinct free dates of their kind that their site may
 * take, within the team's weekly room (a maximum matching, slot_match.h:
 * with a closure inside the period the earliest free date need not suit
 * the site). A bin that gets no date is left out (date -1): its people
 * are served afterwards. */
static int date_period(const struct model *mo, const unsigned char *fk, int *room, size_t t, int p,
		       struct bin **cell_bins, const int *cell_nbins)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	const struct mperiod *pp = &mo->periods[p];
	int plen = pp->last - pp->first + 1, nslots = 0, nbins = 0, rc = ROTA_ENOMEM;
	struct period_slots ps = { .mo = mo, .team = t };
	struct slot_match sm = { .room = room, .nrooms = m->nweeks, .fits = bin_fits_slot, .ctx = &ps };
	int *week = NULL, *fixed_left = NULL, *free_left = NULL;
	unsigned char *used_fixed = NULL;

	for (int ci = 0; ci < mo->ncells; ci++)
		if (mo->cells[ci].team == (int)t && mo->cells[ci].period == p)
			nbins += cell_nbins[ci];
	if (nbins == 0)
		return ROTA_OK;
	ps.order = xcalloc_array((size_t)nbins, sizeof(*ps.order));
	ps.date = xcalloc_array((size_t)plen * SLOT_COUNT, sizeof(int));
	ps.kind = xcalloc_array((size_t)plen * SLOT_COUNT, sizeof(int));
	week = xcalloc_array((size_t)plen * SLOT_COUNT, sizeof(int));
	sm.holder = xcalloc_array((size_t)plen * SLOT_COUNT, sizeof(int));
	sm.seen_slot = xcalloc_array((size_t)plen * SLOT_COUNT, 1);
	sm.seen_room = xcalloc_array((size_t)m->nweeks + 1, 1);
	sm.slot_of = xcalloc_array((size_t)nbins, sizeof(int));
	fixed_left = xcalloc_array((size_t)mo->ncells, sizeof(int));
	free_left = xcalloc_array((size_t)mo->ncells, sizeof(int));
	used_fixed = xcalloc_array(m->nfixed + 1, 1);
	if (!ps.order || !ps.date || !ps.kind || !week || !sm.holder || !sm.seen_slot ||
	    !sm.seen_room || !sm.slot_of || !fixed_left || !free_left || !used_fixed)
		goto out;
	/* Slots kind by kind, earliest first: the dates the team may still
	 * take in that kind. */
	for (int k = 0; k < SLOT_COUNT; k++)
		for (int d = pp->first; d <= pp->last; d++)
			if (fk[t * (size_t)c->ndays + (size_t)(d - c->start)] & SLOT_BIT(k)) {
				ps.date[nslots] = d;
				ps.kind[nslots] = k;
				week[nslots] = slot_kind_is_extra((enum slot_kind)k) ? week_of(m, d) : -1;
				sm.holder[nslots] = -1;
				nslots++;
			}
	sm.nslots = nslots;
	sm.week = week;
	nbins = 0;
	for (int ci = 0; ci < mo->ncells; ci++) {
		const struct mcell *cl = &mo->cells[ci];

		if (cl->team != (int)t || cl->period != p)
			continue;
		fixed_left[ci] = cl->nfixed;
		free_left[ci] = cell_nbins[ci] - cl->nfixed;
		for (int b = 0; b < cell_nbins[ci]; b++)
			ps.order[nbins++] = &cell_bins[ci][b];
	}
	sort_mo = mo;
	qsort(ps.order, (size_t)nbins, sizeof(*ps.order), bin_kind_cmp);
	for (int i = 0; i < nbins; i++) {
		struct bin *b = ps.order[i];
		const struct mcell *cl = &mo->cells[b->cell];
		int fx = fixed_left[b->cell] > 0 ? earliest_fixed(m, t, cl, pp, used_fixed) : -1;
		int j = free_left[b->cell] > 0 ? slot_match_free_slot(&sm, i) : -1;

		sm.slot_of[i] = -1;
		b->date = -1;
		if (fx >= 0 && (j < 0 || m->fixed[fx].date < ps.date[j] || free_left[b->cell] == 0)) {
			used_fixed[fx] = 1;
			fixed_left[b->cell]--;
			b->date = m->fixed[fx].date;
			b->fixed = true;
		} else if (free_left[b->cell] > 0 && slot_match_place(&sm, i)) {
			free_left[b->cell]--;
		}
	}
	/* Places may have moved along the paths: the dates at the end. */
	for (int i = 0; i < nbins; i++)
		if (sm.slot_of[i] >= 0)
			ps.order[i]->date = ps.date[sm.slot_of[i]];
	rc = ROTA_OK;
out:
	free(ps.order);
	free(ps.date);
	free(ps.kind);
	free(week);
	free(sm.holder);
	free(sm.seen_slot);
	free(sm.seen_room);
	free(sm.slot_of);
	free(fixed_left);
	free(free_left);
	free(used_fixed);
	return rc;
}

int model_disaggregate(const struct model *mo, const double *x, struct wplan *out)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	int nw = m->nweeks;
	struct bin **cell_bins = xcalloc_array((size_t)mo->ncells, sizeof(*cell_bins));
	int *cell_nbins = xcalloc_array((size_t)mo->ncells, sizeof(int));
	unsigned char *fk = free_kinds(m);
	int *room = week_room(m);
	int rc = ROTA_ENOMEM;

	if (!cell_bins || !cell_nbins || !fk || !room)
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

	/* Dates, team by team and period by period. */
	for (size_t t = 0; t < m->nteams; t++)
		for (int p = 0; p < mo->nperiods; p++)
			if (date_period(mo, fk, room + t * (size_t)nw, t, p, cell_bins, cell_nbins))
				goto out;

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
	return rc;
}
