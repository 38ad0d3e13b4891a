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
				sort_mo = mo;
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
