/* plan.c - the plan in memory: building, ordering, arrival windows, names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "plan.h"
#include "util.h"
#include "banned.h"

struct plan *plan_new(const struct campaign *c)
{
	struct plan *p = calloc(1, sizeof(*p));

	if (p)
		p->campaign = c;
	return p;
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nsessions; i++)
		free(p->sessions[i].visits);
	free(p->sessions);
	free(p->solver.levels);
	free(p);
}

struct plan_session *plan_add_session(struct plan *p, size_t team, size_t site, int date,
				      enum slot_kind slot)
{
	struct plan_session *s;

	if (grow_array(&p->sessions, &p->alloc_sessions, p->nsessions + 1, sizeof(*p->sessions)))
		return NULL;
	s = &p->sessions[p->nsessions++];
	memset(s, 0, sizeof(*s));
	s->team = team;
	s->site = site;
	s->date = date;
	s->slot = slot;
	return s;
}

int plan_add_visit(struct plan_session *s, size_t unit, size_t demand, int count)
{
	struct plan_visit *v;

	if (grow_array(&s->visits, &s->alloc_visits, s->nvisits + 1, sizeof(*s->visits)))
		return ROTA_ENOMEM;
	v = &s->visits[s->nvisits++];
	memset(v, 0, sizeof(*v));
	v->unit = unit;
	v->demand = demand;
	v->count = count;
	return ROTA_OK;
}

/* qsort has no context argument in C11: the campaign being sorted. */
static const struct campaign *sort_campaign;

static int session_cmp(const void *pa, const void *pb)
{
	const struct plan_session *a = pa, *b = pb;
	int r;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	r = strcmp(sort_campaign->teams[a->team].id, sort_campaign->teams[b->team].id);
	if (r)
		return r;
	return strcmp(sort_campaign->sites[a->site].id, sort_campaign->sites[b->site].id);
}

static int visit_order(const struct plan_visit *a, const struct plan_visit *b)
{
	const struct campaign *c = sort_campaign;
	const struct demand *da = &c->units[a->unit].demand[a->demand];
	const struct demand *db = &c->units[b->unit].demand[b->demand];
	int r = strcmp(c->units[a->unit].id, c->units[b->unit].id);

	if (r)
		return r;
	r = strcmp(c->groups[da->group].id, c->groups[db->group].id);
	if (r)
		return r;
	return strcmp(c->services[da->service].id, c->services[db->service].id);
}

static int visit_cmp(const void *pa, const void *pb)
{
	const struct plan_visit *a = pa, *b = pb;

	if (a->arrive != b->arrive)
		return a->arrive < b->arrive ? -1 : 1;
	return visit_order(a, b);
}

static void session_window(const struct campaign *c, struct plan_session *s)
{
	int travel = campaign_travel(c, c->teams[s->team].base, s->site);

	if (travel < 0)
		travel = 0;
	s->start = c->slots[s->slot].start + travel;
	s->end = c->slots[s->slot].end - travel;
}

void plan_sort(struct plan *p)
{
	sort_campaign = p->campaign;
	for (size_t i = 0; i < p->nsessions; i++) {
		struct plan_session *s = &p->sessions[i];

		session_window(p->campaign, s);
		if (s->nvisits > 1)
			qsort(s->visits, s->nvisits, sizeof(*s->visits), visit_cmp);
	}
	if (p->nsessions > 1)
		qsort(p->sessions, p->nsessions, sizeof(*p->sessions), session_cmp);
	sort_campaign = NULL;
}

static double visit_load(const struct campaign *c, const struct plan_session *s,
			 const struct plan_visit *v)
{
	const struct demand *d = &c->units[v->unit].demand[v->demand];
	int cap = c->teams[s->team].capacity[d->service];

	if (cap <= 0)
		return 0.0;
	return (double)v->count * c->groups[d->group].turnout / (double)cap;
}

double plan_session_load(const struct plan *p, const struct plan_session *s)
{
	double load = 0.0;

	for (size_t i = 0; i < s->nvisits; i++)
		load += visit_load(p->campaign, s, &s->visits[i]);
	return load;
}

/* Working minutes of the slot's breaks that fall inside [from, to). */
static int break_minutes(const struct slot_window *w, int from, int to)
{
	int total = 0;

	for (size_t b = 0; b < w->nbreaks; b++) {
		int lo = w->breaks[b].start > from ? w->breaks[b].start : from;
		int hi = w->breaks[b].end < to ? w->breaks[b].end : to;

		if (hi > lo)
			total += hi - lo;
	}
	return total;
}

/* The clock time `offset` working minutes after start, skipping breaks.
 * An opening time lands after a break that starts there; a closing time
 * before it. */
static int clock_after(const struct slot_window *w, int start, int offset, bool closing)
{
	int t = start;

	for (size_t b = 0; b < w->nbreaks; b++) {
		const struct time_window *br = &w->breaks[b];

		if (br->end <= t)
			continue;
		if (br->start > t) {
			int room = br->start - t;

			if (offset < room || (closing && offset == room))
				return t + offset;
			offset -= room;
		}
		t = br->end;
	}
	return t + offset;
}

/* Order in which units arrive: the most urgent group first, then unit id. */
static int unit_rank(const struct campaign *c, const struct plan_session *s, size_t unit)
{
	int best = c->nlevels;

	for (size_t i = 0; i < s->nvisits; i++) {
		const struct plan_visit *v = &s->visits[i];

		if (v->unit == unit) {
			int level = c->groups[c->units[unit].demand[v->demand].group].level;

			if (level < best)
				best = level;
		}
	}
	return best;
}

static const struct plan_session *rank_session;

static int unit_rank_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int ra = unit_rank(sort_campaign, rank_session, a);
	int rb = unit_rank(sort_campaign, rank_session, b);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(sort_campaign->units[a].id, sort_campaign->units[b].id);
}

static void session_arrivals(const struct campaign *c, struct plan_session *s)
{
	const struct slot_window *w = &c->slots[s->slot];
	size_t *units = NULL, nunits = 0;
	double total = 0.0, done = 0.0;
	int working = s->end - s->start - break_minutes(w, s->start, s->end);
	int prev = 0;

	if (s->nvisits == 0)
		return;
	units = calloc(s->nvisits, sizeof(*units));
	if (!units) {
		/* Without memory, everyone gets the whole session. */
		for (size_t i = 0; i < s->nvisits; i++) {
			s->visits[i].arrive = s->start;
			s->visits[i].until = s->end;
		}
		return;
	}
	for (size_t i = 0; i < s->nvisits; i++) {
		size_t u = s->visits[i].unit;
		size_t j;

		for (j = 0; j < nunits && units[j] != u; j++)
			;
		if (j == nunits)
			units[nunits++] = u;
		total += visit_load(c, s, &s->visits[i]);
	}
	sort_campaign = c;
	rank_session = s;
	qsort(units, nunits, sizeof(*units), unit_rank_cmp);
	for (size_t j = 0; j < nunits; j++) {
		double load = 0.0;
		int next;

		for (size_t i = 0; i < s->nvisits; i++)
			if (s->visits[i].unit == units[j])
				load += visit_load(c, s, &s->visits[i]);
		done += load;
		if (j + 1 == nunits || total <= 0.0) {
			next = working;
		} else {
			next = (int)(working * (done / total) + 0.5);
			if (next <= prev)
				next = prev + 1;
			if (next > working)
				next = working;
		}
		for (size_t i = 0; i < s->nvisits; i++) {
			if (s->visits[i].unit != units[j])
				continue;
			s->visits[i].arrive = clock_after(w, s->start, prev, false);
			s->visits[i].until = clock_after(w, s->start, next, true);
		}
		if (next > prev)
			prev = next;
	}
	free(units);
}

void plan_assign_arrivals(struct plan *p)
{
	for (size_t i = 0; i < p->nsessions; i++) {
		struct plan_session *s = &p->sessions[i];

		session_window(p->campaign, s);
		session_arrivals(p->campaign, s);
		sort_campaign = p->campaign;
		if (s->nvisits > 1)
			qsort(s->visits, s->nvisits, sizeof(*s->visits), visit_cmp);
	}
	sort_campaign = NULL;
	rank_session = NULL;
}

void plan_coverage(const struct plan *p, size_t unit, size_t demand, int *planned,
		   int *by_deadline)
{
	const struct campaign *c = p->campaign;
	int deadline = c->groups[c->units[unit].demand[demand].group].deadline;

	*planned = *by_deadline = 0;
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];

			if (v->unit != unit || v->demand != demand)
				continue;
			*planned += v->count;
			if (s->date <= deadline)
				*by_deadline += v->count;
		}
	}
}

void plan_session_name(const struct plan *p, const struct plan_session *s, char *out,
		       size_t size)
{
	char date[DATE_TEXT_SIZE];

	date_format(s->date, date);
	snprintf(out, size, "%s-%s-%s-%s", date, slot_kind_name(s->slot),
		 p->campaign->sites[s->site].id, p->campaign->teams[s->team].id);
}

void plan_session_uid(const struct plan *p, const struct plan_session *s, char *out,
		      size_t size)
{
	char date[9];

	date_format_basic(s->date, date);
	snprintf(out, size, "%s-%s.%s.%s.%s@rota", date, slot_kind_name(s->slot),
		 p->campaign->sites[s->site].id, p->campaign->teams[s->team].id,
		 p->campaign->id);
}

void plan_invite_uid(const struct plan *p, const struct plan_session *s, size_t unit,
		     char *out, size_t size)
{
	char date[9];

	date_format_basic(s->date, date);
	snprintf(out, size, "%s-%s.%s.%s.%s.%s@rota", date, slot_kind_name(s->slot),
		 p->campaign->sites[s->site].id, p->campaign->teams[s->team].id,
		 p->campaign->units[unit].id, p->campaign->id);
}
