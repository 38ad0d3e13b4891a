/* plan.c - the plan in memory: building, ordering, arrival windows, names. */
#include <math.h>
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

	if (p) {
		p->campaign = c;
		p->today = -1;
		p->freeze_end = -1;
	}
	return p;
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nsessions; i++) {
		free(p->sessions[i].visits);
		free(p->sessions[i].invitations);
	}
	free(p->sessions);
	for (size_t i = 0; i < p->ncancelled; i++) {
		struct plan_cancelled *ev = &p->cancelled[i];

		free(ev->uid);
		free(ev->team);
		free(ev->site);
		free(ev->unit);
		free(ev->reason);
	}
	free(p->cancelled);
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
	v->came = -1;
	return ROTA_OK;
}

/* A copy of s, or NULL when s is NULL; *failed is set when out of memory. */
static char *copy_or_null(const char *s, bool *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = xstrdup(s);
	if (!d)
		*failed = true;
	return d;
}

struct plan_cancelled *plan_add_cancelled(struct plan *p, const struct plan_cancelled *ev)
{
	struct plan_cancelled *e;
	bool failed = false;

	if (grow_array(&p->cancelled, &p->alloc_cancelled, p->ncancelled + 1,
		       sizeof(*p->cancelled)))
		return NULL;
	e = &p->cancelled[p->ncancelled];
	*e = *ev;
	e->uid = copy_or_null(ev->uid, &failed);
	e->team = copy_or_null(ev->team, &failed);
	e->site = copy_or_null(ev->site, &failed);
	e->unit = copy_or_null(ev->unit, &failed);
	e->reason = copy_or_null(ev->reason, &failed);
	if (failed) {
		free(e->uid);
		free(e->team);
		free(e->site);
		free(e->unit);
		free(e->reason);
		return NULL;
	}
	p->ncancelled++;
	return e;
}

const struct plan_invitation *plan_invitation_of(const struct plan_session *s, size_t unit)
{
	for (size_t i = 0; i < s->ninvitations; i++)
		if (s->invitations[i].unit == unit)
			return &s->invitations[i];
	return NULL;
}

/* Held and frozen sessions are as published: hours and windows kept. */
static bool session_as_published(const struct plan_session *s)
{
	return s->origin == PLAN_ORIGIN_HELD || s->origin == PLAN_ORIGIN_FROZEN;
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

		if (!session_as_published(s))
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
	double each = campaign_person_load(c, d->group, d->service, s->team);

	return isfinite(each) ? (double)v->count * each : 0.0;
}

double plan_session_load(const struct plan *p, const struct plan_session *s)
{
	double load = 0.0;

	for (size_t i = 0; i < s->nvisits; i++)
		load += visit_load(p->campaign, s, &s->visits[i]);
	return load;
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

/* ---- arrival windows (docs/calendars.md, "Arrival windows") ---- */

/* The on-site hours less the breaks, each piece cut to five-minute marks:
 * where a window may begin and end. At most nbreaks + 1 pieces. */
struct piece {
	int from, to; /* clock minutes, multiples of PLAN_WINDOW_STEP */
	int at;       /* grid minutes of the pieces before this one */
};

static int round_up(int x, int step)
{
	return x >= 0 ? (x + step - 1) / step * step : -((-x) / step * step);
}

static int round_down(int x, int step)
{
	return x >= 0 ? x / step * step : -((-x + step - 1) / step * step);
}

static size_t session_pieces(const struct slot_window *w, const struct plan_session *s,
			     struct piece *out)
{
	size_t n = 0;
	int at = 0, t = s->start;

	for (size_t b = 0; b <= w->nbreaks; b++) {
		int stop = b < w->nbreaks ? w->breaks[b].start : s->end;
		int next = b < w->nbreaks ? w->breaks[b].end : s->end;
		int from, to;

		if (stop > s->end)
			stop = s->end;
		from = round_up(t, PLAN_WINDOW_STEP);
		to = round_down(stop, PLAN_WINDOW_STEP);
		if (to > from) {
			out[n].from = from;
			out[n].to = to;
			out[n].at = at;
			at += to - from;
			n++;
		}
		if (next > t)
			t = next;
		if (t >= s->end)
			break;
	}
	return n;
}

/* The clock time of grid position x: an opening lands at the start of
 * the next piece when x falls on a break, a closing at the end of the
 * piece before. */
static int piece_clock(const struct piece *pc, size_t n, int x, bool closing)
{
	for (size_t k = 0; k < n; k++) {
		int len = pc[k].to - pc[k].from;

		if (x < pc[k].at + len || (closing && x == pc[k].at + len))
			return pc[k].from + (x - pc[k].at);
	}
	return n ? pc[n - 1].to : 0;
}

/* Grid positions where a break falls (between two pieces). */
static bool near_break(const struct piece *pc, size_t n, int x, int *edge)
{
	for (size_t k = 1; k < n; k++) {
		int b = pc[k].at;

		if (x != b && x > b - PLAN_WINDOW_MIN / 2 && x < b + PLAN_WINDOW_MIN / 2) {
			*edge = b;
			return true;
		}
	}
	return false;
}

/* Grid minutes each unit asks for: its share of the session's work in
 * minutes of a full day slot (rule 5), rounded up to the step, at least
 * minimum; scaled down to the grid when the session is full. */
static void window_lengths(const double *need, size_t n, int grid, int minimum, int *len)
{
	double total = 0.0;
	long sum = 0;

	for (size_t j = 0; j < n; j++) {
		len[j] = round_up((int)ceil(need[j] - 1e-9), PLAN_WINDOW_STEP);
		if (len[j] < minimum)
			len[j] = minimum;
		sum += len[j];
		total += need[j];
	}
	if (sum <= grid)
		return;
	sum = 0;
	for (size_t j = 0; j < n; j++) {
		double share = total > 0.0 ? need[j] / total : 1.0 / (double)n;

		len[j] = round_down((int)(grid * share), PLAN_WINDOW_STEP);
		if (len[j] < minimum)
			len[j] = minimum;
		sum += len[j];
	}
	/* Too long by the minimums: shorten the longest (the later on ties). */
	while (sum > grid) {
		size_t big = n;

		for (size_t j = 0; j < n; j++)
			if (len[j] > minimum && (big == n || len[j] >= len[big]))
				big = j;
		if (big == n)
			break;
		len[big] -= PLAN_WINDOW_STEP;
		sum -= PLAN_WINDOW_STEP;
	}
	/* Too short by the rounding: lengthen the least served (the earlier on
	 * ties), so that the windows fill a full session. */
	while (sum + PLAN_WINDOW_STEP <= grid) {
		size_t low = 0;

		for (size_t j = 1; j < n; j++)
			if (len[j] * need[low] < len[low] * need[j])
				low = j;
		len[low] += PLAN_WINDOW_STEP;
		sum += PLAN_WINDOW_STEP;
	}
}

/* Returns 0 or ROTA_ENOMEM. */
static int session_arrivals(const struct campaign *c, struct plan_session *s)
{
	const struct slot_window *w = &c->slots[s->slot];
	int day = c->slots[SLOT_DAY].working > 0 ? c->slots[SLOT_DAY].working : w->working;
	size_t n = 0, npieces;
	size_t *units = calloc(s->nvisits + 1, sizeof(*units));
	double *need = calloc(s->nvisits + 1, sizeof(*need));
	int *len = calloc(s->nvisits + 1, sizeof(*len));
	int *pos = calloc(s->nvisits + 2, sizeof(*pos));
	struct piece *pc = calloc(w->nbreaks + 1, sizeof(*pc));
	int grid = 0, minimum, edge, rc = 0;

	if (!units || !need || !len || !pos || !pc) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < s->nvisits; i++) {
		size_t u = s->visits[i].unit, j;

		for (j = 0; j < n && units[j] != u; j++)
			;
		if (j == n)
			units[n++] = u;
	}
	sort_campaign = c;
	rank_session = s;
	if (n > 1)
		qsort(units, n, sizeof(*units), unit_rank_cmp);
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < s->nvisits; i++)
			if (s->visits[i].unit == units[j])
				need[j] += visit_load(c, s, &s->visits[i]) * day;
	npieces = session_pieces(w, s, pc);
	if (npieces)
		grid = pc[npieces - 1].at + pc[npieces - 1].to - pc[npieces - 1].from;
	if (!n || grid < PLAN_WINDOW_STEP * (int)n)
		goto whole;
	minimum = round_down(grid / (int)n, PLAN_WINDOW_STEP);
	if (minimum > PLAN_WINDOW_MIN)
		minimum = PLAN_WINDOW_MIN;
	window_lengths(need, n, grid, minimum, len);
	for (size_t j = 0; j < n; j++)
		pos[j + 1] = pos[j] + len[j];
	/* A change of unit close to a break moves onto it, unless that makes
	 * a window too short: a window spans a break only when its people
	 * need a good part of it on both sides. */
	for (size_t j = 1; j < n; j++)
		if (near_break(pc, npieces, pos[j], &edge) && edge - pos[j - 1] >= minimum &&
		    pos[j + 1] - edge >= minimum)
			pos[j] = edge;
	if (near_break(pc, npieces, pos[n], &edge) && edge - pos[n - 1] >= minimum)
		pos[n] = edge;
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < s->nvisits; i++)
			if (s->visits[i].unit == units[j]) {
				s->visits[i].arrive = piece_clock(pc, npieces, pos[j], false);
				s->visits[i].until = piece_clock(pc, npieces, pos[j + 1], true);
			}
	goto out;
whole:
	for (size_t i = 0; i < s->nvisits; i++) {
		s->visits[i].arrive = s->start;
		s->visits[i].until = s->end;
	}
out:
	free(units);
	free(need);
	free(len);
	free(pos);
	free(pc);
	return rc;
}

int plan_assign_arrivals(struct plan *p)
{
	int rc = 0;

	for (size_t i = 0; i < p->nsessions && !rc; i++) {
		struct plan_session *s = &p->sessions[i];

		if (session_as_published(s))
			continue;
		session_window(p->campaign, s);
		rc = session_arrivals(p->campaign, s);
		sort_campaign = p->campaign;
		if (s->nvisits > 1)
			qsort(s->visits, s->nvisits, sizeof(*s->visits), visit_cmp);
	}
	sort_campaign = NULL;
	rank_session = NULL;
	return rc;
}

void plan_coverage(const struct plan *p, size_t unit, size_t demand, int *planned,
		   int *by_deadline)
{
	const struct campaign *c = p->campaign;
	const struct demand *dm = &c->units[unit].demand[demand];
	int deadline = campaign_intake_deadline(c, dm->group, dm->service);

	*planned = *by_deadline = 0;
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];

			int n = v->came >= 0 ? v->came : v->count;

			if (v->unit != unit || v->demand != demand)
				continue;
			*planned += n;
			if (s->date <= deadline)
				*by_deadline += n;
		}
	}
}

int plan_cov_init(struct plan_cov *cov, const struct plan *p)
{
	const struct campaign *c = p->campaign;
	size_t n = 0;
	int *due;

	memset(cov, 0, sizeof(*cov));
	cov->p = p;
	cov->base = xcalloc_array(c->nunits + 1, sizeof(size_t));
	if (!cov->base)
		return ROTA_ENOMEM;
	for (size_t u = 0; u < c->nunits; u++) {
		cov->base[u] = n;
		n += c->units[u].ndemand;
	}
	cov->base[c->nunits] = n;
	cov->planned = xcalloc_array(n + 1, sizeof(int));
	cov->by_deadline = xcalloc_array(n + 1, sizeof(int));
	due = xcalloc_array(n + 1, sizeof(int));
	if (!cov->planned || !cov->by_deadline || !due) {
		free(due);
		plan_cov_release(cov);
		cov->p = p;
		return ROTA_ENOMEM;
	}
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			const struct demand *dm = &c->units[u].demand[d];

			due[cov->base[u] + d] = campaign_intake_deadline(c, dm->group, dm->service);
		}
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];
			int k = v->came >= 0 ? v->came : v->count;
			size_t r;

			if (v->unit >= c->nunits || v->demand >= c->units[v->unit].ndemand)
				continue;
			r = cov->base[v->unit] + v->demand;
			cov->planned[r] += k;
			if (s->date <= due[r])
				cov->by_deadline[r] += k;
		}
	}
	free(due);
	return ROTA_OK;
}

void plan_cov_get(const struct plan_cov *cov, size_t unit, size_t demand, int *planned,
		  int *by_deadline)
{
	size_t r;

	if (!cov->planned) {
		plan_coverage(cov->p, unit, demand, planned, by_deadline);
		return;
	}
	r = cov->base[unit] + demand;
	*planned = cov->planned[r];
	*by_deadline = cov->by_deadline[r];
}

void plan_cov_release(struct plan_cov *cov)
{
	free(cov->base);
	free(cov->planned);
	free(cov->by_deadline);
	memset(cov, 0, sizeof(*cov));
}

int plan_came(const struct plan *p, size_t unit, size_t demand)
{
	int came = 0;

	for (size_t i = 0; i < p->nsessions; i++)
		for (size_t j = 0; j < p->sessions[i].nvisits; j++) {
			const struct plan_visit *v = &p->sessions[i].visits[j];

			if (v->unit == unit && v->demand == demand && v->came >= 0)
				came += v->came;
		}
	return came;
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
