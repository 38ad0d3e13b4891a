/*
 * replan.c - replan_solve(): a campaign in progress planned again
 * (replan-v1.md, docs/model.md "Re-planning"). The previous plan is read
 * on its own campaign and translated onto the current one by ids; the
 * sessions before today are history (with who came), the announced ones
 * are kept unless the campaign now rules them out, and the rest is
 * planned by plan_solve() on what is left (struct solve_taken), once with
 * the previous invitations kept where the campaign still allows them
 * (stable) and, unless that already reaches the bounds of levels 1-3,
 * once from scratch (fresh): the fresh plan is taken only when it is
 * strictly better on those levels.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "model.h"
#include "replan.h"
#include "banned.h"

/* The state of one re-plan. */
struct replan {
	const struct campaign *c;       /* the campaign now */
	const struct plan *old;         /* the previous plan */
	const struct campaign *oc;      /* its campaign */
	const struct replan_input *in;
	int today, freeze_end, first_date;
	/* The previous campaign's ids in c: an index, or -1 when gone. */
	int *team_of, *site_of, *unit_of, *group_of, *service_of;
	size_t *row0;                   /* [c->nunits]: first flattened demand row */
	size_t nrows;
	struct plan *base;              /* held and frozen sessions, cancelled events */
	int *left;                      /* [nrows]: people still to serve after base */
	struct mfixed *fixed;           /* c's fixed sessions, dated */
	size_t nfixed;
};

/* A plan made from base: the kept sessions and plan_solve's new ones. */
struct candidate {
	struct plan *plan;              /* sessions: base, kept, new */
	struct plan_solver solver;      /* plan_solve's record of the new ones */
	double *value;                  /* [lv_count]: levels from today on */
	double *fixed_part;             /* [lv_count]: of it, base and kept sessions */
	size_t nkept;                   /* kept sessions */
	double seconds;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void candidate_release(struct candidate *k)
{
	plan_free(k->plan);
	free(k->solver.levels);
	free(k->value);
	free(k->fixed_part);
	memset(k, 0, sizeof(*k));
}

static void replan_release(struct replan *r)
{
	free(r->team_of);
	free(r->site_of);
	free(r->unit_of);
	free(r->group_of);
	free(r->service_of);
	free(r->row0);
	plan_free(r->base);
	free(r->left);
	free(r->fixed);
}

/* ------------------------------------------------------------ ids */

static int *map_ids(size_t n, const void *items, size_t stride, size_t id_offset,
		    int (*find)(const struct campaign *, const char *), const struct campaign *c)
{
	int *map = xcalloc_array(n + 1, sizeof(int));

	for (size_t i = 0; map && i < n; i++) {
		const char *id = *(char *const *)((const char *)items + i * stride + id_offset);

		map[i] = find(c, id);
	}
	return map;
}

static int replan_init(struct replan *r, const struct campaign *c, const struct replan_input *in)
{
	const struct campaign *oc = in->old->campaign;

	memset(r, 0, sizeof(*r));
	r->c = c;
	r->old = in->old;
	r->oc = oc;
	r->in = in;
	r->today = in->today;
	r->freeze_end = in->today + (in->freeze > 0 ? in->freeze : 0) - 1;
	r->first_date = r->freeze_end + 1;
	r->team_of = map_ids(oc->nteams, oc->teams, sizeof(*oc->teams),
			     offsetof(struct team, id), campaign_find_team, c);
	r->site_of = map_ids(oc->nsites, oc->sites, sizeof(*oc->sites),
			     offsetof(struct site, id), campaign_find_site, c);
	r->unit_of = map_ids(oc->nunits, oc->units, sizeof(*oc->units),
			     offsetof(struct unit, id), campaign_find_unit, c);
	r->group_of = map_ids(oc->ngroups, oc->groups, sizeof(*oc->groups),
			      offsetof(struct group, id), campaign_find_group, c);
	r->service_of = map_ids(oc->nservices, oc->services, sizeof(*oc->services),
				offsetof(struct service, id), campaign_find_service, c);
	r->row0 = xcalloc_array(c->nunits + 1, sizeof(size_t));
	if (!r->team_of || !r->site_of || !r->unit_of || !r->group_of || !r->service_of ||
	    !r->row0)
		return ROTA_ENOMEM;
	for (size_t u = 0; u < c->nunits; u++) {
		r->row0[u] = r->nrows;
		r->nrows += c->units[u].ndemand;
	}
	r->left = xcalloc_array(r->nrows + 1, sizeof(int));
	r->base = plan_new(c);
	if (!r->left || !r->base || mcomp_fixed_dates(c, &r->fixed, &r->nfixed))
		return ROTA_ENOMEM;
	return ROTA_OK;
}

/* The demand row of c that old visit v names, or -1 (unit, group or
 * service gone, or the unit has no such row now). */
static int demand_of(const struct replan *r, const struct plan_visit *v)
{
	const struct demand *od = &r->oc->units[v->unit].demand[v->demand];
	int u = r->unit_of[v->unit], g = r->group_of[od->group], sv = r->service_of[od->service];

	if (u < 0 || g < 0 || sv < 0)
		return -1;
	for (size_t d = 0; d < r->c->units[u].ndemand; d++)
		if ((int)r->c->units[u].demand[d].group == g &&
		    (int)r->c->units[u].demand[d].service == sv)
			return (int)d;
	return -1;
}

static size_t row_index(const struct replan *r, size_t unit, size_t demand)
{
	return r->row0[unit] + demand;
}

/* Reports every id of held and frozen sessions that c no longer has
 * (and, for held visits, demand rows: history must stay whole). */
/* An id (a team, site, unit, group or service: field) of the previous
 * plan's sessions[i] (its visits[j] unless j is SIZE_MAX), described as
 * where, that the campaign no longer has. */
static void report_gone(struct diags *d, size_t i, size_t j, const char *field, const char *id,
			const char *where)
{
	char path[96];

	if (j == SIZE_MAX)
		snprintf(path, sizeof(path), "sessions[%zu].%s", i, field);
	else
		snprintf(path, sizeof(path), "sessions[%zu].visits[%zu].%s", i, j, field);
	diags_add(d, DIAG_ERROR, 0, 0, path, "%s \"%s\" of %s is not in the campaign any more",
		  field, id, where);
}

static void check_ids(const struct replan *r, struct diags *d)
{
	const struct plan *old = r->old;
	const struct campaign *oc = r->oc;

	for (size_t i = 0; i < old->nsessions; i++) {
		const struct plan_session *s = &old->sessions[i];
		char date[DATE_TEXT_SIZE], where[256], path[96];
		bool held = s->date < r->today;

		if (s->date > r->freeze_end)
			continue;
		date_format(s->date, date);
		snprintf(where, sizeof(where), "the %s session of %s (%s at %s, team %s)",
			 held ? "held" : "announced", date, slot_kind_name(s->slot),
			 oc->sites[s->site].id, oc->teams[s->team].id);
		if (held && (s->date < r->c->start || s->date > r->c->end)) {
			char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];

			date_format(r->c->start, first);
			date_format(r->c->end, last);
			snprintf(path, sizeof(path), "sessions[%zu].date", i);
			diags_add(d, DIAG_ERROR, 0, 0, path,
				  "%s is outside the campaign, which now runs from %s to %s", where,
				  first, last);
		}
		if (r->team_of[s->team] < 0)
			report_gone(d, i, SIZE_MAX, "team", oc->teams[s->team].id, where);
		if (r->site_of[s->site] < 0)
			report_gone(d, i, SIZE_MAX, "site", oc->sites[s->site].id, where);
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];
			const struct demand *od = &oc->units[v->unit].demand[v->demand];
			bool gone = false;

			if (r->unit_of[v->unit] < 0) {
				report_gone(d, i, j, "unit", oc->units[v->unit].id, where);
				gone = true;
			}
			if (r->group_of[od->group] < 0) {
				report_gone(d, i, j, "group", oc->groups[od->group].id, where);
				gone = true;
			}
			if (r->service_of[od->service] < 0) {
				report_gone(d, i, j, "service", oc->services[od->service].id, where);
				gone = true;
			}
			if (held && !gone && demand_of(r, v) < 0) {
				snprintf(path, sizeof(path), "sessions[%zu].visits[%zu]", i, j);
				diags_add(d, DIAG_ERROR, 0, 0, path,
					  "unit \"%s\" has no demand row for group \"%s\" and "
					  "service \"%s\" in the campaign any more, but %s served it",
					  oc->units[v->unit].id, oc->groups[od->group].id,
					  oc->services[od->service].id, where);
			}
		}
	}
}

/* ------------------------------------------------------------ sessions */

/* Appends a copy of s (already on c's indices) with the given origin. */
static struct plan_session *copy_session(struct plan *p, const struct plan_session *s,
					 enum plan_origin origin)
{
	struct plan_session *ns = plan_add_session(p, s->team, s->site, s->date, s->slot);

	if (!ns)
		return NULL;
	ns->start = s->start;
	ns->end = s->end;
	ns->fixed = s->fixed;
	ns->origin = origin;
	for (size_t j = 0; j < s->nvisits; j++) {
		if (plan_add_visit(ns, s->visits[j].unit, s->visits[j].demand, s->visits[j].count))
			return NULL;
		ns->visits[j] = s->visits[j];
	}
	return ns;
}

/* Appends old session s translated onto c (every id is there). Held
 * visits get their came from the previous plan, or everyone invited. */
static struct plan_session *translate_session(struct replan *r, const struct plan_session *s,
					      enum plan_origin origin)
{
	struct plan_session *ns = plan_add_session(r->base, (size_t)r->team_of[s->team],
						   (size_t)r->site_of[s->site], s->date, s->slot);

	if (!ns)
		return NULL;
	ns->start = s->start;
	ns->end = s->end;
	ns->fixed = s->fixed;
	ns->origin = origin;
	for (size_t j = 0; j < s->nvisits; j++) {
		const struct plan_visit *v = &s->visits[j];
		struct plan_visit *nv;

		if (plan_add_visit(ns, (size_t)r->unit_of[v->unit], (size_t)demand_of(r, v), v->count))
			return NULL;
		nv = &ns->visits[ns->nvisits - 1];
		nv->arrive = v->arrive;
		nv->until = v->until;
		if (origin == PLAN_ORIGIN_HELD) {
			nv->came = v->came >= 0 ? v->came : v->count;
			nv->assumed = v->came >= 0 ? v->assumed : true;
		}
	}
	return ns;
}

/* The actuals: who came, for the held visits they name; people who came
 * uninvited are a visit with count 0. */
static int apply_actuals(struct replan *r)
{
	const struct actuals *a = r->in->actuals;

	for (size_t i = 0; a && i < a->nrows; i++) {
		const struct actual *row = &a->rows[i];
		struct plan_session *s = NULL;
		struct plan_visit *v = NULL;

		for (size_t k = 0; k < r->base->nsessions && !s; k++) {
			struct plan_session *b = &r->base->sessions[k];

			if (b->origin == PLAN_ORIGIN_HELD && b->date == row->date &&
			    b->slot == row->slot && b->team == row->team && b->site == row->site)
				s = b;
		}
		if (!s)
			continue; /* actuals_read matched it against the previous plan */
		for (size_t j = 0; j < s->nvisits && !v; j++)
			if (s->visits[j].unit == row->unit && s->visits[j].demand == row->demand)
				v = &s->visits[j];
		if (!v) {
			if (plan_add_visit(s, row->unit, row->demand, 0))
				return ROTA_ENOMEM;
			v = &s->visits[s->nvisits - 1];
			v->arrive = s->start;
			v->until = s->end;
		}
		v->came = row->came;
		v->assumed = false;
	}
	return ROTA_OK;
}

/* A slot kind in words for a reason. */
static const char *slot_words(enum slot_kind kind, bool en)
{
	static const char *const vi[SLOT_COUNT] = { "ngày", "tối", "cuối tuần", "ngày lễ" };

	return en ? slot_kind_name(kind) : vi[kind];
}

/* Why rules 1-4 now rule out a session of team t at site on date in
 * kind, in words for the summary and the cancellation (names, in the
 * plan's language); NULL when they do not. */
static const char *session_ruled_out(const struct campaign *c, size_t t, size_t site, int date,
				     enum slot_kind kind, bool en, char *buf, size_t size)
{
	const struct team *tm = &c->teams[t];
	const struct site *st = &c->sites[site];

	if (session_possible(c, t, site, date, kind))
		return NULL;
	if (!(campaign_slots_on(c, date) & SLOT_BIT(kind)))
		snprintf(buf, size, en ? "there is no %s slot on that date any more"
				       : "ngày này không còn ca %s",
			 slot_words(kind, en));
	else if (date_ranges_contain(&tm->unavailable, date))
		snprintf(buf, size, en ? "%s is not available that day" : "%s không làm việc ngày này",
			 tm->name);
	else if (date_ranges_contain(&st->closed, date))
		snprintf(buf, size, en ? "%s is closed that day" : "%s đóng cửa ngày này", st->name);
	else if (!(tm->slots & SLOT_BIT(kind)))
		snprintf(buf, size, en ? "%s no longer works %s sessions" : "%s không còn làm ca %s",
			 tm->name, slot_words(kind, en));
	else if (!(st->slots & SLOT_BIT(kind)))
		snprintf(buf, size, en ? "%s no longer hosts %s sessions" : "%s không còn tổ chức ca %s",
			 st->name, slot_words(kind, en));
	else if (!team_reaches_site(c, t, site))
		snprintf(buf, size, en ? "%s no longer goes to %s" : "%s không còn đến %s", tm->name,
			 st->name);
	else
		snprintf(buf, size, en ? "the journey leaves no working time at %s"
				       : "đường đi không còn thời gian làm việc tại %s",
			 st->name);
	return buf;
}

/* Extra sessions of team t in the ISO week of date among p's sessions. */
static int week_extras(const struct plan *p, size_t t, int date)
{
	int monday = date_week_monday(date), n = 0;

	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		if (s->team == t && slot_kind_is_extra(s->slot) && date_week_monday(s->date) == monday)
			n++;
	}
	return n;
}

/* Appends the cancellation of old session s (its event and one per
 * unit), as the previous plan published it. */
static int cancel_session(struct replan *r, const struct plan_session *s, const char *reason)
{
	const struct campaign *oc = r->oc;
	struct plan_cancelled ev = { 0 };
	char uid[PLAN_UID_SIZE];

	plan_session_uid(r->old, s, uid, sizeof(uid));
	ev.uid = uid;
	ev.invitation = false;
	ev.team = oc->teams[s->team].id;
	ev.site = oc->sites[s->site].id;
	ev.date = s->date;
	ev.slot = s->slot;
	ev.start = ev.arrive = s->start;
	ev.end = ev.until = s->end;
	ev.sequence = -1;
	ev.cancelled_on = r->today;
	ev.reason = (char *)reason;
	if (!plan_add_cancelled(r->base, &ev))
		return ROTA_ENOMEM;
	for (size_t j = 0; j < s->nvisits; j++) {
		const struct plan_visit *v = &s->visits[j];
		bool seen = false;

		for (size_t k = 0; k < j && !seen; k++)
			seen = s->visits[k].unit == v->unit;
		if (seen)
			continue;
		plan_invite_uid(r->old, s, v->unit, uid, sizeof(uid));
		ev.invitation = true;
		ev.unit = oc->units[v->unit].id;
		ev.arrive = v->arrive;
		ev.until = v->until;
		if (!plan_add_cancelled(r->base, &ev))
			return ROTA_ENOMEM;
	}
	return ROTA_OK;
}

/* Why c now rules out frozen session s (translated: ns, already the last
 * session of base); NULL when it may stay. */
static const char *frozen_ruled_out(struct replan *r, const struct plan_session *s,
				    const struct plan_session *ns, char *buf, size_t size)
{
	const struct campaign *c = r->c, *oc = r->oc;
	double load = 0.0;
	const char *why;

	bool en = r->in->lang == LANG_EN;

	why = session_ruled_out(c, ns->team, ns->site, ns->date, ns->slot, en, buf, size);
	if (why)
		return why;
	for (size_t j = 0; j < s->nvisits; j++) {
		const struct plan_visit *v = &s->visits[j];
		const struct demand *od = &oc->units[v->unit].demand[v->demand];
		int dm = demand_of(r, v);

		if (dm < 0) {
			snprintf(buf, size, en ? "%s no longer needs %s for %s"
					       : "%s không còn nhu cầu %s cho nhóm %s",
				 oc->units[v->unit].name, oc->services[od->service].name,
				 oc->groups[od->group].name);
			return buf;
		}
		if (!visit_allowed(c, (size_t)r->unit_of[v->unit], (size_t)dm, ns->team, ns->site,
				   ns->date, ns->slot)) {
			snprintf(buf, size, en ? "%s of %s may no longer come to this session"
					       : "nhóm %s của %s không còn được mời đến phiên này",
				 oc->groups[od->group].name, oc->units[v->unit].name);
			return buf;
		}
	}
	if (slot_kind_is_extra(ns->slot) &&
	    week_extras(r->base, ns->team, ns->date) > c->teams[ns->team].max_extra_per_week) {
		snprintf(buf, size, en ? "%s would hold more than %d extra sessions that week"
				       : "%s vượt quá %d phiên ngoài giờ trong tuần",
			 c->teams[ns->team].name, c->teams[ns->team].max_extra_per_week);
		return buf;
	}
	load = plan_session_load(r->base, ns);
	if (load > session_capacity_share(c, ns->team, ns->site, ns->slot) + MODEL_LOAD_EPS) {
		snprintf(buf, size, en ? "more people than %s can now serve there"
				       : "nhiều người hơn %s nay làm được tại đây",
			 c->teams[ns->team].name);
		return buf;
	}
	return NULL;
}

static int fixed_at(const struct replan *r, size_t t, int date, enum slot_kind kind);

/* History and the freeze window into base; people left per demand row. */
/* Rule 6 with a corrected demand: a frozen session that would invite more
 * of a demand row than its count less those who came and those of earlier
 * frozen sessions is ruled out (replan-v1, rule 5); NULL when it fits. */
static const char *frozen_over_demand(const struct replan *r, const struct plan_session *ns,
				      char *buf, size_t size)
{
	const struct campaign *c = r->c;
	bool en = r->in->lang == LANG_EN;

	for (size_t j = 0; j < ns->nvisits; j++) {
		const struct plan_visit *v = &ns->visits[j];
		const struct demand *d = &c->units[v->unit].demand[v->demand];
		int left = r->left[row_index(r, v->unit, v->demand)];

		if (v->count <= left)
			continue;
		if (en)
			snprintf(buf, size, "%s now has %d people of %s left for %s, fewer than "
					    "invited (%d)",
				 c->units[v->unit].name, left > 0 ? left : 0,
				 c->groups[d->group].name, c->services[d->service].name, v->count);
		else
			snprintf(buf, size, "%s nay chỉ còn %d người nhóm %s cần %s, ít hơn số đã "
					    "mời (%d)",
				 c->units[v->unit].name, left > 0 ? left : 0,
				 c->groups[d->group].name, c->services[d->service].name, v->count);
		return buf;
	}
	return NULL;
}

static int build_base(struct replan *r)
{
	const struct plan *old = r->old;
	const struct campaign *c = r->c;
	char reason[8192]; /* three names of up to 500 characters */
	int rc;

	for (size_t i = 0; i < old->nsessions; i++)
		if (old->sessions[i].date < r->today &&
		    !translate_session(r, &old->sessions[i], PLAN_ORIGIN_HELD))
			return ROTA_ENOMEM;
	rc = apply_actuals(r);
	if (rc)
		return rc;
	/* People still to serve after the history; frozen sessions take
	 * theirs in date order below. */
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++)
			r->left[row_index(r, u, d)] = c->units[u].demand[d].count;
	for (size_t i = 0; i < r->base->nsessions; i++) {
		const struct plan_session *s = &r->base->sessions[i];

		for (size_t j = 0; j < s->nvisits; j++)
			r->left[row_index(r, s->visits[j].unit, s->visits[j].demand)] -=
				s->visits[j].came;
	}
	for (size_t i = 0; i < old->nsessions; i++) {
		const struct plan_session *s = &old->sessions[i];
		struct plan_session *ns;
		const char *why;

		if (s->date < r->today || s->date > r->freeze_end)
			continue;
		ns = translate_session(r, s, PLAN_ORIGIN_FROZEN);
		if (!ns)
			return ROTA_ENOMEM;
		why = frozen_ruled_out(r, s, ns, reason, sizeof(reason));
		if (!why)
			why = frozen_over_demand(r, ns, reason, sizeof(reason));
		if (!why) {
			/* A fixed session the campaign now asks for there. */
			int f = fixed_at(r, ns->team, ns->date, ns->slot);

			if (f >= 0 && r->fixed[f].site == ns->site)
				ns->fixed = true;
			for (size_t j = 0; j < ns->nvisits; j++)
				r->left[row_index(r, ns->visits[j].unit, ns->visits[j].demand)] -=
					ns->visits[j].count;
			continue;
		}
		free(ns->visits);
		free(ns->invitations);
		r->base->nsessions--;
		rc = cancel_session(r, s, why);
		if (rc)
			return rc;
	}
	for (size_t k = 0; k < r->nrows; k++)
		if (r->left[k] < 0)
			r->left[k] = 0;
	return ROTA_OK;
}

/* ------------------------------------------------------------ candidates */

/* The index in r->fixed of c's fixed session of team t on date in kind, or -1. */
static int fixed_at(const struct replan *r, size_t t, int date, enum slot_kind kind)
{
	for (size_t f = 0; f < r->nfixed; f++)
		if (r->fixed[f].team == t && r->fixed[f].date == date && r->fixed[f].kind == kind)
			return (int)f;
	return -1;
}

static bool has_session(const struct plan *p, size_t t, int date, enum slot_kind kind)
{
	for (size_t i = 0; i < p->nsessions; i++)
		if (p->sessions[i].team == t && p->sessions[i].date == date &&
		    p->sessions[i].slot == kind)
			return true;
	return false;
}

/* Extra sessions team t holds in the week of date in p, with c's fixed
 * ones that the solver will add (from first_date on, on dates p leaves). */
static int week_extras_planned(const struct replan *r, const struct plan *p, size_t t, int date)
{
	int n = week_extras(p, t, date), monday = date_week_monday(date);

	for (size_t f = 0; f < r->nfixed; f++) {
		const struct mfixed *x = &r->fixed[f];

		if (x->team == t && slot_kind_is_extra(x->kind) && x->date >= r->first_date &&
		    date_week_monday(x->date) == monday && !has_session(p, t, x->date, x->kind))
			n++;
	}
	return n;
}

/* The stable candidate's kept sessions: every previous session after the
 * freeze window that c still allows, with the visits it allows, counts
 * cut to the people left (in date order); left[] is reduced by them. */
static int keep_sessions(struct replan *r, struct plan *p, int *left)
{
	const struct campaign *c = r->c;
	const struct plan *old = r->old;

	for (size_t i = 0; i < old->nsessions; i++) {
		const struct plan_session *s = &old->sessions[i];
		struct plan_session *ns;
		int t = r->team_of[s->team], site = r->site_of[s->site], f;
		double load = 0.0;

		if (s->date < r->first_date || t < 0 || site < 0 ||
		    !session_possible(c, (size_t)t, (size_t)site, s->date, s->slot))
			continue;
		f = fixed_at(r, (size_t)t, s->date, s->slot);
		if (f >= 0 && r->fixed[f].site != (size_t)site)
			continue; /* the campaign now fixes another site */
		if (slot_kind_is_extra(s->slot) && f < 0 &&
		    week_extras_planned(r, p, (size_t)t, s->date) >= c->teams[t].max_extra_per_week)
			continue;
		ns = plan_add_session(p, (size_t)t, (size_t)site, s->date, s->slot);
		if (!ns)
			return ROTA_ENOMEM;
		ns->origin = PLAN_ORIGIN_KEPT;
		ns->fixed = f >= 0;
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];
			int dm = demand_of(r, v), n;

			if (dm < 0 || !visit_allowed(c, (size_t)r->unit_of[v->unit], (size_t)dm,
						     (size_t)t, (size_t)site, s->date, s->slot))
				continue;
			n = v->count;
			if (n > left[row_index(r, (size_t)r->unit_of[v->unit], (size_t)dm)])
				n = left[row_index(r, (size_t)r->unit_of[v->unit], (size_t)dm)];
			if (n > 0 && plan_add_visit(ns, (size_t)r->unit_of[v->unit], (size_t)dm, n))
				return ROTA_ENOMEM;
		}
		load = plan_session_load(p, ns);
		if (load > session_capacity_share(c, (size_t)t, (size_t)site, s->slot) +
				   MODEL_LOAD_EPS ||
		    (ns->nvisits == 0 && !ns->fixed)) {
			/* Nothing left to keep, or the team now serves fewer. */
			free(ns->visits);
			p->nsessions--;
			continue;
		}
		for (size_t j = 0; j < ns->nvisits; j++)
			left[row_index(r, ns->visits[j].unit, ns->visits[j].demand)] -=
				ns->visits[j].count;
	}
	return ROTA_OK;
}

/* Values of the objective levels (campaign-v1 rule 7, as wplan_levels
 * counts them) over p's sessions from date `from` on; only those whose
 * origin is not NEW when fixed_only. */
static void levels_from(const struct plan *p, int from, bool fixed_only, double *v)
{
	const struct campaign *c = p->campaign;
	int L = c->nlevels;

	memset(v, 0, (size_t)lv_count(L) * sizeof(*v));
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		int units = 0;

		if (s->date < from || (fixed_only && s->origin == PLAN_ORIGIN_NEW))
			continue;
		if (slot_kind_is_extra(s->slot))
			v[lv_extra(L)] += 1;
		v[lv_minutes(L)] += session_cost_minutes(c, s->team, s->site, s->slot);
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *pv = &s->visits[j];
			const struct demand *dm = &c->units[pv->unit].demand[pv->demand];
			const struct group *g = &c->groups[dm->group];
			bool seen = false;
			int travel = campaign_travel(c, c->units[pv->unit].site, s->site);

			for (size_t k = 0; k < j && !seen; k++)
				seen = s->visits[k].unit == pv->unit;
			units += !seen;
			if (s->date <= g->deadline)
				v[lv_deadline(g->level)] += pv->count;
			v[lv_served(L, g->level)] += pv->count;
			v[lv_minutes(L)] += (double)pv->count * 2.0 * (travel > 0 ? travel : 0);
			v[lv_early(L, g->level)] += (double)pv->count * (s->date - c->start);
		}
		v[lv_minutes(L)] += (double)c->invitation_minutes * units;
	}
}

static int levels_cmp(const struct campaign *c, const double *a, const double *b, int n);

/* A copy of p's sessions (visits included) into an empty plan of the
 * same campaign, or NULL when out of memory. */
static struct plan *clone_sessions(const struct plan *p)
{
	struct plan *q = plan_new(p->campaign);

	for (size_t i = 0; q && i < p->nsessions; i++)
		if (!copy_session(q, &p->sessions[i], p->sessions[i].origin)) {
			plan_free(q);
			return NULL;
		}
	return q;
}

/* Whether all of visit v (of a session dated `from`) may move into s:
 * rules 2, 5 and 6, the deadline still met if it was, and no previous
 * invitation of a kept session touched. */
static bool visit_fits(const struct campaign *c, const struct plan *q, const struct plan_session *s,
		       const struct plan_visit *v, int from)
{
	const struct demand *dm = &c->units[v->unit].demand[v->demand];
	int deadline = c->groups[dm->group].deadline, cap = c->teams[s->team].capacity[dm->service];

	if (cap <= 0 || (from <= deadline && s->date > deadline) ||
	    !visit_allowed(c, v->unit, v->demand, s->team, s->site, s->date, s->slot))
		return false;
	for (size_t j = 0; j < s->nvisits && s->origin == PLAN_ORIGIN_KEPT; j++)
		if (s->visits[j].unit == v->unit)
			return false;
	return plan_session_load(q, s) + v->count * c->groups[dm->group].turnout / cap <=
	       session_capacity_share(c, s->team, s->site, s->slot) + MODEL_LOAD_EPS;
}

/* Moves every visit of session i of q, whole, into the other kept and
 * new sessions (one the unit is already in first, then the earliest).
 * Returns 1 when all moved, 0 when one did not fit (q is then
 * half-changed and must be dropped), or ROTA_ENOMEM. */
static int empty_session(struct plan *q, size_t i)
{
	const struct campaign *c = q->campaign;

	for (size_t j = 0; j < q->sessions[i].nvisits; j++) {
		const struct plan_visit v = q->sessions[i].visits[j];
		int from = q->sessions[i].date;
		struct plan_session *best = NULL;
		struct plan_visit *same = NULL;
		bool best_has = false;

		for (size_t k = 0; k < q->nsessions; k++) {
			struct plan_session *s = &q->sessions[k];
			bool has = false;

			if (k == i || (s->origin != PLAN_ORIGIN_KEPT && s->origin != PLAN_ORIGIN_NEW) ||
			    !visit_fits(c, q, s, &v, from))
				continue;
			for (size_t m = 0; m < s->nvisits; m++)
				has = has || s->visits[m].unit == v.unit;
			if (!best || (has && !best_has) || (has == best_has && s->date < best->date)) {
				best = s;
				best_has = has;
			}
		}
		if (!best)
			return 0;
		for (size_t m = 0; m < best->nvisits && !same; m++)
			if (best->visits[m].unit == v.unit && best->visits[m].demand == v.demand)
				same = &best->visits[m];
		if (same)
			same->count += v.count;
		else if (plan_add_visit(best, v.unit, v.demand, v.count))
			return ROTA_ENOMEM;
	}
	return 1;
}

/* The stable candidate keeps its sessions as they were, so its new
 * sessions may hold people that kept sessions have room for (no-shows, a
 * cancelled week's people). Each new session, extra ones first, is
 * emptied into the others when that makes levels 1-4 better (fewer extra
 * sessions, else fewer person-minutes); the previous invitations of kept
 * sessions stay as they were. Returns 0 or ROTA_ENOMEM. */
static int merge_new_sessions(const struct replan *r, struct plan *p)
{
	int nlv = lv_count(r->c->nlevels), upto = lv_minutes(r->c->nlevels) + 1;
	double *before = xcalloc_array((size_t)nlv, sizeof(double));
	double *after = xcalloc_array((size_t)nlv, sizeof(double));
	int rc = before && after ? ROTA_OK : ROTA_ENOMEM;

	for (int pass = 0; pass < 2 && !rc; pass++)
		for (size_t i = 0; i < p->nsessions && !rc; i++) {
			const struct plan_session *s = &p->sessions[i];
			struct plan *q;
			int moved;

			if (s->origin != PLAN_ORIGIN_NEW || s->fixed || s->nvisits == 0 ||
			    slot_kind_is_extra(s->slot) != (pass == 0))
				continue;
			q = clone_sessions(p);
			if (!q) {
				rc = ROTA_ENOMEM;
				break;
			}
			moved = empty_session(q, i);
			if (moved < 0)
				rc = moved;
			if (moved == 1) {
				/* The emptied session is dropped. */
				free(q->sessions[i].visits);
				memmove(&q->sessions[i], &q->sessions[i + 1],
					(q->nsessions - i - 1) * sizeof(*q->sessions));
				q->nsessions--;
				levels_from(p, r->today, false, before);
				levels_from(q, r->today, false, after);
				if (levels_cmp(r->c, after, before, upto) < 0) {
					struct plan_session *ss = p->sessions;
					size_t n = p->nsessions, alloc = p->alloc_sessions;

					p->sessions = q->sessions;
					p->nsessions = q->nsessions;
					p->alloc_sessions = q->alloc_sessions;
					q->sessions = ss;
					q->nsessions = n;
					q->alloc_sessions = alloc;
					i--; /* the next session is now at i */
				}
			}
			plan_free(q);
		}
	free(before);
	free(after);
	return rc;
}

/* Plans what base (and kept, when stable) leave with plan_solve into *k;
 * levels 1-3 only when quick (solve_options.up_to_extra). */
static int make_candidate(struct replan *r, bool stable, bool quick, const struct solve_options *o,
			  double time_limit, struct candidate *k, struct rota_error *err)
{
	const struct campaign *c = r->c;
	int nlv = lv_count(c->nlevels);
	struct solve_taken_session *taken = NULL;
	struct solve_taken tk;
	struct solve_options so = *o;
	struct plan *fresh = NULL;
	int *left = NULL;
	double t0 = now_seconds();
	int rc = ROTA_ENOMEM;

	memset(k, 0, sizeof(*k));
	k->plan = plan_new(c);
	k->value = xcalloc_array((size_t)nlv, sizeof(double));
	k->fixed_part = xcalloc_array((size_t)nlv, sizeof(double));
	left = xcalloc_array(r->nrows + 1, sizeof(int));
	if (!k->plan || !k->value || !k->fixed_part || !left)
		goto out;
	memcpy(left, r->left, r->nrows * sizeof(int));
	for (size_t i = 0; i < r->base->nsessions; i++)
		if (!copy_session(k->plan, &r->base->sessions[i], r->base->sessions[i].origin))
			goto out;
	if (stable) {
		size_t before = k->plan->nsessions;

		if (keep_sessions(r, k->plan, left))
			goto out;
		k->nkept = k->plan->nsessions - before;
	}
	taken = xcalloc_array(k->plan->nsessions + 1, sizeof(*taken));
	if (!taken)
		goto out;
	for (size_t i = 0; i < k->plan->nsessions; i++) {
		const struct plan_session *s = &k->plan->sessions[i];

		taken[i] = (struct solve_taken_session){ s->team, s->site, s->date, s->slot };
	}
	tk = (struct solve_taken){ .first_date = r->first_date, .left = left,
				   .sessions = taken, .nsessions = k->plan->nsessions };
	so.taken = &tk;
	so.mps_tag = stable ? "stable" : "fresh";
	so.time_limit = time_limit;
	so.up_to_extra = quick;
	rc = plan_solve(&fresh, c, &so, err);
	if (rc)
		goto out;
	rc = ROTA_ENOMEM;
	for (size_t i = 0; i < fresh->nsessions; i++)
		if (!copy_session(k->plan, &fresh->sessions[i], PLAN_ORIGIN_NEW))
			goto out;
	/* The share of base and kept sessions in the levels, as plan_solve's
	 * bounds see them: before any merge. */
	levels_from(k->plan, r->today, true, k->fixed_part);
	if (stable && merge_new_sessions(r, k->plan))
		goto out;
	k->solver = fresh->solver;
	memset(&fresh->solver, 0, sizeof(fresh->solver));
	levels_from(k->plan, r->today, false, k->value);
	k->seconds = now_seconds() - t0;
	rc = ROTA_OK;
out:
	if (rc == ROTA_ENOMEM && err && err->code != rc)
		rota_error_set(err, rc, "out of memory while planning again");
	plan_free(fresh);
	free(taken);
	free(left);
	if (rc)
		candidate_release(k);
	return rc;
}

/* Lexicographic comparison on levels [0, n): < 0 when a is better. */
static int levels_cmp(const struct campaign *c, const double *a, const double *b, int n)
{
	char name[48];

	for (int i = 0; i < n; i++) {
		bool maximise = lv_describe(c, i, name, sizeof(name));

		if (fabs(a[i] - b[i]) > 0.5)
			return (maximise ? a[i] > b[i] : a[i] < b[i]) ? -1 : 1;
	}
	return 0;
}

/* Whether levels 1-3 of plan value v are at their trivial bounds: every
 * row's people still to serve invited (by the deadline when it is not
 * past), no extra sessions beyond the frozen and fixed ones. */
static bool at_trivial_bounds(const struct replan *r, const double *v)
{
	const struct campaign *c = r->c;
	int L = c->nlevels;
	double *bound = xcalloc_array((size_t)lv_count(L), sizeof(double));
	double forced = 0.0;
	bool reached = true;

	if (!bound)
		return false; /* then the fresh plan is tried too */
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			const struct group *g = &c->groups[c->units[u].demand[d].group];
			int came = 0, frozen = 0, frozen_in_time = 0, rem, most;

			for (size_t i = 0; i < r->base->nsessions; i++) {
				const struct plan_session *s = &r->base->sessions[i];

				for (size_t j = 0; j < s->nvisits; j++) {
					const struct plan_visit *pv = &s->visits[j];

					if (pv->unit != u || pv->demand != d)
						continue;
					if (s->origin == PLAN_ORIGIN_HELD) {
						came += pv->came;
					} else {
						frozen += pv->count;
						if (s->date <= g->deadline)
							frozen_in_time += pv->count;
					}
				}
			}
			rem = c->units[u].demand[d].count - came;
			most = rem > frozen ? rem : frozen;
			bound[lv_served(L, g->level)] += most;
			bound[lv_deadline(g->level)] +=
				g->deadline >= r->first_date ? most : frozen_in_time;
		}
	for (size_t i = 0; i < r->base->nsessions; i++)
		if (r->base->sessions[i].date >= r->today &&
		    slot_kind_is_extra(r->base->sessions[i].slot))
			forced += 1;
	for (size_t f = 0; f < r->nfixed; f++)
		if (r->fixed[f].date >= r->first_date && slot_kind_is_extra(r->fixed[f].kind) &&
		    !has_session(r->base, r->fixed[f].team, r->fixed[f].date, r->fixed[f].kind))
			forced += 1;
	for (int l = 0; l < L && reached; l++)
		reached = v[lv_deadline(l)] >= bound[lv_deadline(l)] - 0.5 &&
			  v[lv_served(L, l)] >= bound[lv_served(L, l)] - 0.5;
	reached = reached && v[lv_extra(L)] <= forced + 0.5;
	free(bound);
	return reached;
}

/* ------------------------------------------------------------ stability */

/* Whether the invitation of old unit ou to old session s is in p as it
 * was: a session of the same team, site, date and kind whose visits of
 * the unit are the same rows with the same counts. */
static bool invitation_kept(const struct replan *r, const struct plan *p,
			    const struct plan_session *s, size_t ou)
{
	int t = r->team_of[s->team], site = r->site_of[s->site], u = r->unit_of[ou];
	const struct plan_session *ns = NULL;
	size_t nold = 0, nnew = 0;

	if (t < 0 || site < 0 || u < 0)
		return false;
	for (size_t i = 0; i < p->nsessions && !ns; i++)
		if (p->sessions[i].team == (size_t)t && p->sessions[i].site == (size_t)site &&
		    p->sessions[i].date == s->date && p->sessions[i].slot == s->slot)
			ns = &p->sessions[i];
	if (!ns)
		return false;
	for (size_t j = 0; j < ns->nvisits; j++)
		nnew += ns->visits[j].unit == (size_t)u;
	for (size_t j = 0; j < s->nvisits; j++) {
		const struct plan_visit *v = &s->visits[j];
		int dm;
		bool found = false;

		if (v->unit != ou)
			continue;
		nold++;
		dm = demand_of(r, v);
		for (size_t k = 0; k < ns->nvisits && !found && dm >= 0; k++)
			found = ns->visits[k].unit == (size_t)u && ns->visits[k].demand == (size_t)dm &&
				ns->visits[k].count == v->count;
		if (!found)
			return false;
	}
	return nold == nnew;
}

/* Whether c rules out the invitation of old unit ou to old session s
 * whatever the plan: it must change. */
static bool invitation_impossible(const struct replan *r, const struct plan_session *s, size_t ou)
{
	int t = r->team_of[s->team], site = r->site_of[s->site], u = r->unit_of[ou];

	if (t < 0 || site < 0 || u < 0 ||
	    !session_possible(r->c, (size_t)t, (size_t)site, s->date, s->slot))
		return true;
	for (size_t j = 0; j < s->nvisits; j++) {
		int dm;

		if (s->visits[j].unit != ou)
			continue;
		dm = demand_of(r, &s->visits[j]);
		if (dm < 0 || !visit_allowed(r->c, (size_t)u, (size_t)dm, (size_t)t, (size_t)site,
					     s->date, s->slot))
			return true;
	}
	return false;
}

/* The stability level of p: previous invitations from today on that p
 * changes or cancels (*value), and those c forces to (*bound). */
static void stability(const struct replan *r, const struct plan *p, double *value, double *bound)
{
	*value = *bound = 0.0;
	for (size_t i = 0; i < r->old->nsessions; i++) {
		const struct plan_session *s = &r->old->sessions[i];

		if (s->date < r->today)
			continue;
		for (size_t j = 0; j < s->nvisits; j++) {
			bool seen = false;

			for (size_t k = 0; k < j && !seen; k++)
				seen = s->visits[k].unit == s->visits[j].unit;
			if (seen)
				continue;
			if (!invitation_kept(r, p, s, s->visits[j].unit))
				*value += 1;
			if (invitation_impossible(r, s, s->visits[j].unit))
				*bound += 1;
		}
	}
}

/* ------------------------------------------------------------ record */

static void set_gap(struct plan_level *lv, bool reached)
{
	if (lv->maximise ? lv->bound < lv->value : lv->bound > lv->value)
		lv->bound = lv->value;
	lv->gap = reached ? fabs(lv->value - lv->bound) / fmax(fabs(lv->value), 1.0) : 1.0;
}

/* The solver record of the whole re-plan: the levels counted from today
 * on (docs/model.md, "Re-planning"), stability after extra-sessions. */
static int fill_record(const struct replan *r, struct candidate *chosen,
		       const struct candidate *fresh, double seconds)
{
	const struct campaign *c = r->c;
	int L = c->nlevels, nlv = lv_count(L);
	struct plan_solver *sv = &chosen->plan->solver;
	double worst = 0.0;
	size_t n = 0;

	sv->levels = xcalloc_array((size_t)nlv + 1, sizeof(*sv->levels));
	if (!sv->levels)
		return ROTA_ENOMEM;
	for (int i = 0; i < nlv; i++) {
		struct plan_level *lv = &sv->levels[n++];
		const struct plan_level *mine = (size_t)i < chosen->solver.nlevels
							? &chosen->solver.levels[i] : NULL;
		bool reached = mine && mine->gap < 1.0;

		lv->maximise = lv_describe(c, i, lv->name, sizeof(lv->name));
		lv->value = chosen->value[i];
		lv->bound = mine ? mine->bound + chosen->fixed_part[i] : lv->value;
		/* Levels 1-3: the fresh plan's bound holds for every re-plan. */
		if (fresh && i <= lv_extra(L) && (size_t)i < fresh->solver.nlevels) {
			lv->bound = fresh->solver.levels[i].bound + fresh->fixed_part[i];
			reached = fresh->solver.levels[i].gap < 1.0;
		}
		set_gap(lv, reached);
		if (i == lv_extra(L)) {
			struct plan_level *st = &sv->levels[n++];

			snprintf(st->name, sizeof(st->name), "stability");
			st->maximise = false;
			stability(r, chosen->plan, &st->value, &st->bound);
			set_gap(st, true);
		}
	}
	sv->nlevels = n;
	for (size_t i = 0; i < n; i++)
		if (sv->levels[i].gap > worst)
			worst = sv->levels[i].gap;
	sv->gap = worst;
	sv->status = worst <= 1e-9 ? PLAN_OPTIMAL : PLAN_FEASIBLE;
	sv->objective = sv->levels[n - 1].value;
	sv->bound = sv->levels[n - 1].bound;
	sv->seconds = seconds;
	return ROTA_OK;
}

static int cancelled_cmp(const void *pa, const void *pb)
{
	const struct plan_cancelled *a = pa, *b = pb;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return strcmp(a->uid, b->uid);
}

/* ------------------------------------------------------------ entry */

int replan_solve(struct plan **out, const struct campaign *c, const struct replan_input *in,
		 const struct solve_options *o, struct diags *d, struct rota_error *err)
{
	struct solve_options defaults;
	struct replan r;
	struct candidate stable = { 0 }, fresh = { 0 }, *chosen = &stable;
	double t0 = now_seconds(), limit;
	bool fresh_run = false;
	int rc;

	*out = NULL;
	if (!o) {
		solve_options_init(&defaults);
		o = &defaults;
	}
	rc = replan_init(&r, c, in);
	if (rc)
		goto out;
	check_ids(&r, d);
	if (d->errors) {
		rc = rota_error_set(err, ROTA_EINPUT, "the previous plan names what the campaign "
						      "no longer has");
		goto out;
	}
	rc = build_base(&r);
	if (rc)
		goto out;
	rc = make_candidate(&r, true, false, o, o->time_limit, &stable, err);
	if (rc)
		goto out;
	/* Without kept sessions the stable plan is the fresh one. */
	if (stable.nkept > 0 && !at_trivial_bounds(&r, stable.value)) {
		limit = o->time_limit;
		if (limit > 0)
			limit -= now_seconds() - t0;
		if (o->time_limit <= 0 || limit >= 1.0) {
			/* Levels 1-3 first: the rest of a fresh plan is only
			 * worth solving when it is strictly better on them. */
			rc = make_candidate(&r, false, true, o, limit, &fresh, err);
			if (rc)
				goto out;
			fresh_run = true;
			if (levels_cmp(c, fresh.value, stable.value, lv_extra(c->nlevels) + 1) < 0) {
				candidate_release(&fresh);
				limit = o->time_limit;
				if (limit > 0)
					limit = fmax(1.0, limit - (now_seconds() - t0));
				rc = make_candidate(&r, false, false, o, limit, &fresh, err);
				if (rc)
					goto out;
				if (levels_cmp(c, fresh.value, stable.value,
					       lv_extra(c->nlevels) + 1) < 0)
					chosen = &fresh;
			}
		}
	}
	rc = ROTA_ENOMEM;
	if (fill_record(&r, chosen, fresh_run ? &fresh : NULL, now_seconds() - t0))
		goto out;
	chosen->plan->today = r.today;
	chosen->plan->freeze_end = r.freeze_end;
	chosen->plan->cancelled = r.base->cancelled;
	chosen->plan->ncancelled = r.base->ncancelled;
	chosen->plan->alloc_cancelled = r.base->alloc_cancelled;
	r.base->cancelled = NULL;
	r.base->ncancelled = r.base->alloc_cancelled = 0;
	if (chosen->plan->ncancelled > 1)
		qsort(chosen->plan->cancelled, chosen->plan->ncancelled,
		      sizeof(*chosen->plan->cancelled), cancelled_cmp);
	plan_sort(chosen->plan);
	if (plan_assign_arrivals(chosen->plan))
		goto out;
	*out = chosen->plan;
	chosen->plan = NULL;
	rc = ROTA_OK;
out:
	if (rc == ROTA_ENOMEM && err && err->code != rc)
		rota_error_set(err, rc, "out of memory while planning again");
	candidate_release(&stable);
	candidate_release(&fresh);
	replan_release(&r);
	return rc;
}
