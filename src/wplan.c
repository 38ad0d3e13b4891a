/* wplan.c - dated plans of a part and the values of their objective
 * levels (model.h). */
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


void wplan_release(struct wplan *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->s[i].visits);
	free(w->s);
	memset(w, 0, sizeof(*w));
}

bool wsession_has_unit(const struct mcomp *m, const struct wsession *s, size_t unit)
{
	for (size_t i = 0; i < s->nvisits; i++)
		if (m->rows[s->visits[i].row].unit == unit)
			return true;
	return false;
}

void wplan_drop_empty(struct wplan *w)
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
int fit_count(double load, double w, double share, int want)
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
	int prio = 0, l = -1;
	const char *what = NULL;

	if (i < L) {
		l = i;
		what = "deadline";
	} else if (i < 2 * L) {
		l = i - L;
		what = "served";
	} else if (i >= lv_early(L, 0)) {
		l = i - lv_early(L, 0);
		what = "earliness";
	}
	if (!what) {
		snprintf(out, size, "%s", i == lv_extra(L) ? "extra-sessions" : "person-minutes");
		return false;
	}
	for (size_t g = 0; g < c->ngroups; g++)
		if (c->groups[g].level == l)
			prio = c->groups[g].priority;
	snprintf(out, size, "%s-p%d", what, prio);
	return i < 2 * L;
}

int wsession_units(const struct mcomp *m, const struct wsession *s)
{
	int n = 0;

	for (size_t j = 0; j < s->nvisits; j++) {
		size_t u = m->rows[s->visits[j].row].unit;
		bool seen = false;

		for (size_t k = 0; k < j && !seen; k++)
			seen = m->rows[s->visits[k].row].unit == u;
		n += !seen;
	}
	return n;
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
		v[lv_minutes(L)] += (double)c->invitation_minutes * wsession_units(m, s);
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct mrow *r = &m->rows[s->visits[j].row];
			int n = s->visits[j].count;

			if (s->date <= r->deadline)
				v[lv_deadline(r->level)] += n;
			v[lv_served(L, r->level)] += n;
			v[lv_minutes(L)] +=
				(double)n * 2.0 * campaign_travel(c, c->units[r->unit].site, s->site);
			v[lv_early(L, r->level)] += (double)n * (s->date - c->start);
		}
	}
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

void wsession_remove_people(struct wsession *s, size_t vi, int count, double weight)
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

int wplan_copy(const struct wplan *w, struct wplan *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];
		int idx = wplan_add(out, s->team, s->site, s->date, s->kind, s->fixed, s->share);

		if (idx < 0)
			goto fail;
		if (s->nvisits) {
			struct wsession *o = &out->s[idx];

			o->visits = xcalloc_array(s->nvisits, sizeof(*o->visits));
			if (!o->visits)
				goto fail;
			memcpy(o->visits, s->visits, s->nvisits * sizeof(*s->visits));
			o->nvisits = o->alloc = s->nvisits;
		}
		out->s[idx].load = s->load;
	}
	return ROTA_OK;
fail:
	wplan_release(out);
	return ROTA_ENOMEM;
}

int wplan_levels_cmp(const struct mcomp *m, const double *a, const double *b)
{
	int L = m->c->nlevels;

	for (int i = 0; i < lv_count(L); i++)
		if (fabs(a[i] - b[i]) > 0.5) {
			bool maximise = i < lv_extra(L);

			return (maximise ? a[i] > b[i] : a[i] < b[i]) ? -1 : 1;
		}
	return 0;
}
