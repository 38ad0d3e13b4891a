/*
 * plan_read.c - reads back a rota.json (rota-plan/1) for `rota week`,
 * checked as strictly as a campaign against the campaign it names: every
 * id, date, time and count, one session per team, date and slot, visits
 * within their demand rows and session windows, and coverage that adds
 * up. Unknown fields are ignored: a later version may add some.
 */
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "campaign_read.h"
#include "date.h"
#include "diag.h"
#include "json_doc.h"
#include "plan.h"
#include "reader.h"
#include "util.h"
#include "banned.h"

/* ------------------------------------------------------------------ */
/* rota.json, read back for `rota week`. Unknown fields are ignored    */
/* here: the file is written by rota, and a later version may add.     */

/* A solver's value: a number, or null for one that is not a number. */
static bool read_number(struct reader *r, struct jv v, double *out)
{
	if (number_value(r, v, out))
		return true;
	if (jv_is_null(v)) {
		*out = NAN;
		return true;
	}
	expected(r, v, "a number or null");
	return false;
}

/* The demand row of unit for group and service, or -1. */
static int find_demand(const struct campaign *c, size_t unit, size_t group, size_t service)
{
	const struct unit *u = &c->units[unit];

	for (size_t j = 0; j < u->ndemand; j++)
		if (u->demand[j].group == group && u->demand[j].service == service)
			return (int)j;
	return -1;
}

/* The demand row that obj's "unit", "group" and "service" name (each
 * reported when unknown), or -1; *unit, *group and *service are set. */
static int read_row(struct reader *r, struct jv obj, int *unit, int *group, int *service)
{
	const struct campaign *c = r->ref;
	int row = -1;
	struct jv v;

	*unit = *group = *service = -1;
	FIELD(r, obj, "unit", true, v,
	      *unit = read_ref(r, v, "unit", true, campaign_find_unit, "the campaign's units"));
	FIELD(r, obj, "group", true, v,
	      *group = read_ref(r, v, "group", true, campaign_find_group, "the campaign's groups"));
	FIELD(r, obj, "service", true, v,
	      *service = read_ref(r, v, "service", true, campaign_find_service,
				  "the campaign's services"));
	if (*unit < 0 || *group < 0 || *service < 0)
		return -1;
	row = find_demand(c, (size_t)*unit, (size_t)*group, (size_t)*service);
	if (row < 0)
		error_at(r, obj, "unit '%s' has no demand row for group '%s' and service '%s' in the "
				 "campaign",
			 c->units[*unit].id, c->groups[*group].id, c->services[*service].id);
	return row;
}

static void read_visit(struct reader *r, struct jv obj, const struct plan *p,
		       struct plan_session *s, bool held)
{
	const struct campaign *c = r->ref;
	int unit = -1, group = -1, service = -1, count = -1, arrive = -1, until = -1, row = -1;
	int came = -1;
	bool assumed = false;
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];
	struct jv v;

	if (!want_object(r, obj, "a visit {unit, group, service, count, arrive, until}"))
		return;
	row = read_row(r, obj, &unit, &group, &service);
	/* A held visit (replan-v1 rule 1) has who came, and may have invited
	 * nobody (people who came anyway); no other visit has either. */
	FIELD(r, obj, "came", held, v, {
		if (!held)
			error_at(r, v, "only a visit of a session before 'today' (held) has 'came'");
		else if (!read_int(r, v, 0, MAX_COUNT, &came))
			came = -1;
	});
	FIELD(r, obj, "assumed", false, v, {
		if (!held)
			error_at(r, v, "only a visit of a session before 'today' (held) has "
				       "'assumed'");
		else if (jv_is_bool(v))
			assumed = jv_is_true(v);
		else
			expected(r, v, "true or false");
	});
	FIELD(r, obj, "count", true, v, {
		if (!read_int(r, v, 0, MAX_COUNT, &count)) {
			count = -1;
		} else if (count == 0 && !held) {
			expected(r, v, "a whole number from 1 to %d (0 only on a visit of a held "
				       "session: people who came uninvited)", MAX_COUNT);
			count = -1;
		} else if (row >= 0 && (!held || came >= 0)) {
			/* Rule 5 of a re-plan: those who came plus those invited from
			 * today on. History is not checked against the demand: it is
			 * fact, and the demand may have been edited since. */
			long *planned = &r->row_planned[r->row_base[unit] + (size_t)row];
			int demand = c->units[unit].demand[row].count;

			*planned += held ? came : count;
			if (!held && *planned > demand) {
				error_at(r, v, "%ld people of unit '%s' in group '%s' for service '%s' "
					       "%s, counting this visit (%d); their demand is %d",
					 *planned, c->units[unit].id, c->groups[group].id,
					 c->services[service].id,
					 p->today < 0 ? "invited" : "came or are invited", count,
					 demand);
				count = -1;
			}
		}
	});
	FIELD(r, obj, "arrive", true, v, {
		if (read_time(r, v, &arrive) && (arrive < s->start || arrive >= s->end)) {
			time_text(s->start, a);
			time_text(s->end, b);
			expected(r, v, "a time in the session's window %s-%s", a, b);
			arrive = -1;
		}
	});
	FIELD(r, obj, "until", true, v, {
		if (read_time(r, v, &until) && arrive >= 0 && (until <= arrive || until > s->end)) {
			time_text(arrive, a);
			time_text(s->end, b);
			expected(r, v, "a time after 'arrive' (%s), at %s at the latest", a, b);
			until = -1;
		}
	});
	if (row < 0 || count < 0 || arrive < 0 || until < 0 || (held && came < 0))
		return;
	for (size_t i = 0; i < s->nvisits; i++) {
		if (s->visits[i].unit == (size_t)unit && s->visits[i].demand == (size_t)row) {
			error_at(r, obj, "unit '%s' is invited twice to this session for group '%s' "
					 "and service '%s'",
				 c->units[unit].id, c->groups[group].id, c->services[service].id);
			return;
		}
	}
	/* History and announced sessions are as published, under the campaign
	 * of their day: the campaign's rules 2 and 6 are not asked of them. */
	if (s->origin != PLAN_ORIGIN_HELD && s->origin != PLAN_ORIGIN_FROZEN &&
	    !visit_allowed(c, (size_t)unit, (size_t)row, s->team, s->site, s->date, s->slot)) {
		error_at(r, obj, "people of unit '%s' in group '%s' may not be invited to this "
				 "session for service '%s' (campaign rules 2 and 6)",
			 c->units[unit].id, c->groups[group].id, c->services[service].id);
		return;
	}
	if (rd_failed(r, plan_add_visit(s, (size_t)unit, (size_t)row, count)))
		return;
	s->visits[s->nvisits - 1].arrive = arrive;
	s->visits[s->nvisits - 1].until = until;
	s->visits[s->nvisits - 1].came = came;
	s->visits[s->nvisits - 1].assumed = assumed;
}

static const char *const origin_names[] = { "new", "held", "frozen", "kept" };
static const char *const change_names[] = { "none", "new", "changed" };

/* A session's origin against its date and the plan's today: held exactly
 * before today, frozen inside the freeze window, anything else from today
 * on. Returns the origin, or -1 after reporting. */
static int read_origin(struct reader *r, struct jv v, const struct plan *p, int date,
		       bool date_ok)
{
	char day[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];
	int k = read_name(r, v, origin_names, 4, "'new', 'held', 'frozen' or 'kept'");

	if (k < 0 || !date_ok)
		return k;
	date_format(p->today, day);
	if (p->today < 0 && k != PLAN_ORIGIN_NEW) {
		expected(r, v, "'new': a plan without 'today' is a first plan");
		return -1;
	}
	if (p->today >= 0 && date < p->today && k != PLAN_ORIGIN_HELD) {
		expected(r, v, "'held': the session is dated before 'today' (%s)", day);
		return -1;
	}
	if (p->today >= 0 && date >= p->today && k == PLAN_ORIGIN_HELD) {
		expected(r, v, "'new', 'frozen' or 'kept': a session on or after 'today' (%s) "
			       "has not been held", day);
		return -1;
	}
	if (k == PLAN_ORIGIN_FROZEN && date > p->freeze_end) {
		date_format(p->freeze_end, last);
		expected(r, v, "'new' or 'kept': the session is dated after the freeze window "
			       "(%s to %s)", day, last);
		return -1;
	}
	return k;
}

/* invitations[]: one per distinct unit of the session's visits, in visit
 * order, each with its sequence and change. */
static void read_invitations(struct reader *r, struct jv list, struct plan_session *s,
			     bool visits_whole)
{
	const struct campaign *c = r->ref;
	size_t distinct = 0, i = 0;
	bool bad = false;

	for (size_t j = 0; j < s->nvisits; j++) {
		bool seen = false;

		for (size_t k = 0; k < j && !seen; k++)
			seen = s->visits[k].unit == s->visits[j].unit;
		distinct += !seen;
	}
	if (!want_array(r, list, "an array of invitations", false, SIZE_MAX))
		return;
	s->invitations = xcalloc_array(distinct ? distinct : 1, sizeof(*s->invitations));
	if (rd_failed(r, !s->invitations))
		return;
	FOR_EACH(r->doc, list, item) {
		size_t mark = enter_index(r, i++);
		int unit = -1, sequence = -1, change = -1;
		bool in_visits = false;
		struct jv v;

		if (stopped(r) || !want_object(r, item, "an invitation {unit, sequence, change}")) {
			leave(r, mark);
			continue;
		}
		FIELD(r, item, "unit", true, v, {
			unit = read_ref(r, v, "unit", true, campaign_find_unit, "the campaign's units");
			for (size_t j = 0; unit >= 0 && j < s->nvisits && !in_visits; j++)
				in_visits = s->visits[j].unit == (size_t)unit;
			if (unit >= 0 && !in_visits && !visits_whole) {
				unit = -1; /* its visit was refused: reported there */
			} else if (unit >= 0 && !in_visits) {
				error_at(r, v, "unit '%s' has no visit in this session: expected one "
					       "invitation per unit of the visits", c->units[unit].id);
				unit = -1;
			} else if (unit >= 0 && plan_invitation_of(s, (size_t)unit)) {
				error_at(r, v, "a second invitation of unit '%s' to this session",
					 c->units[unit].id);
				unit = -1;
			}
		});
		FIELD(r, item, "sequence", true, v, read_int(r, v, 0, INT_MAX - 1, &sequence));
		FIELD(r, item, "change", true, v,
		      change = read_name(r, v, change_names, 3, "'none', 'new' or 'changed'"));
		if (unit >= 0 && sequence >= 0 && change >= 0 && s->ninvitations < distinct) {
			struct plan_invitation *inv = &s->invitations[s->ninvitations++];

			inv->unit = (size_t)unit;
			inv->sequence = sequence;
			inv->change = (enum plan_change)change;
		} else {
			bad = true;
		}
		leave(r, mark);
	}
	if (bad || !visits_whole || s->ninvitations == distinct)
		return;
	for (size_t j = 0; j < s->nvisits && !stopped(r); j++) {
		if (!plan_invitation_of(s, s->visits[j].unit)) {
			error_at(r, list, "no invitation of unit '%s': expected one invitation per "
					  "unit of the visits",
				 c->units[s->visits[j].unit].id);
			break;
		}
	}
}

static void read_plan_session(struct reader *r, struct jv obj, struct plan *p)
{
	const struct campaign *c = r->ref;
	int team = -1, site = -1, date = 0, start = -1, end = -1, origin = PLAN_ORIGIN_NEW;
	int sequence = 0, change = PLAN_CHANGE_NONE;
	bool date_ok = false, slot_ok = false, fixed = false, replan = p->today >= 0;
	bool published;
	enum slot_kind slot = SLOT_DAY;
	struct plan_session *s;
	struct jv v, visits = { NULL, 0 };
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];

	if (!want_object(r, obj, "a session {team, site, date, slot, visits}"))
		return;
	FIELD(r, obj, "team", true, v,
	      team = read_ref(r, v, "team", true, campaign_find_team, "the campaign's teams"));
	FIELD(r, obj, "site", true, v,
	      site = read_ref(r, v, "site", true, campaign_find_site, "the campaign's sites"));
	FIELD(r, obj, "date", true, v, {
		date_ok = read_date(r, v, &date);
		if (date_ok && (date < c->start || date > c->end)) {
			char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];

			date_format(c->start, first);
			date_format(c->end, last);
			expected(r, v, "a date of the campaign (%s to %s)", first, last);
			date_ok = false;
		}
	});
	FIELD(r, obj, "slot", true, v, slot_ok = read_slot_kind(r, v, &slot));
	/* A re-plan records each session's origin and its event's sequence
	 * (replan-v1.md); a first plan has none of them. */
	FIELD(r, obj, "origin", replan, v, origin = read_origin(r, v, p, date, date_ok));
	FIELD(r, obj, "sequence", replan, v, {
		if (!read_int(r, v, 0, INT_MAX - 1, &sequence))
			sequence = -1;
	});
	FIELD(r, obj, "change", replan, v,
	      change = read_name(r, v, change_names, 3, "'none', 'new' or 'changed'"));
	/* Held and announced sessions keep the hours they were published
	 * with, whatever the campaign's slots say now. */
	published = origin == PLAN_ORIGIN_HELD || origin == PLAN_ORIGIN_FROZEN;
	if (slot_ok && !published) {
		/* On site inside the slot's window, and for some time. */
		time_text(c->slots[slot].start, a);
		time_text(c->slots[slot].end, b);
		FIELD(r, obj, "start", false, v, {
			if (read_time(r, v, &start) &&
			    (start < c->slots[slot].start || start >= c->slots[slot].end)) {
				expected(r, v, "a time in the %s slot (%s-%s)", slot_kind_name(slot), a,
					 b);
				start = -1;
			}
		});
		FIELD(r, obj, "end", false, v, {
			if (read_time(r, v, &end) && start >= 0 && (end <= start ||
								    end > c->slots[slot].end)) {
				time_text(start, a);
				expected(r, v, "a time after the session's start (%s), at %s at the "
					       "latest", a, b);
				end = -1;
			}
		});
	} else if (slot_ok) {
		FIELD(r, obj, "start", true, v, read_time(r, v, &start));
		FIELD(r, obj, "end", true, v, {
			if (read_time(r, v, &end) && start >= 0 && end <= start) {
				time_text(start, a);
				expected(r, v, "a time after the session's start (%s)", a);
				end = -1;
			}
		});
		if (start < 0 || end < 0)
			slot_ok = false;
	} else {
		FIELD(r, obj, "start", false, v, read_time(r, v, &start));
		FIELD(r, obj, "end", false, v, read_time(r, v, &end));
	}
	FIELD(r, obj, "fixed", false, v, {
		if (jv_is_bool(v))
			fixed = jv_is_true(v);
		else
			expected(r, v, "true or false");
	});
	if (!get_member(r, obj, "visits", &visits) || !jv_is_array(visits))
		visits = jv_none();
	if (team < 0 || site < 0 || !date_ok || !slot_ok || origin < 0 || sequence < 0 ||
	    change < 0) {
		if (!jv_present(visits))
			FIELD(r, obj, "visits", true, v, expected(r, v, "an array of visits"));
		return;
	}
	/* History happened under the campaign of its day. */
	if (origin != PLAN_ORIGIN_HELD &&
	    !session_possible(c, (size_t)team, (size_t)site, date, slot)) {
		error_at(r, obj, "team '%s' cannot hold a session at site '%s' in the %s slot of "
				 "this date (campaign rules 1 to 4)",
			 c->teams[team].id, c->sites[site].id, slot_kind_name(slot));
		return;
	}
	if (rd_failed(r, grow_array(&r->session_at, &r->asession_at, p->nsessions + 1,
		       sizeof(*r->session_at))))
		return;
	r->session_at[p->nsessions] = loc_of(r->doc, obj);
	s = plan_add_session(p, (size_t)team, (size_t)site, date, slot);
	if (rd_failed(r, !s))
		return;
	/* The window on site: as written, else as plan_sort() sets it. */
	{
		int travel = campaign_travel(c, c->teams[team].base, (size_t)site);

		if (travel < 0)
			travel = 0;
		s->start = start >= 0 ? start : c->slots[slot].start + travel;
		s->end = end >= 0 ? end : c->slots[slot].end - travel;
		if (s->end <= s->start) {
			s->start = c->slots[slot].start;
			s->end = c->slots[slot].end;
		}
	}
	s->fixed = fixed; /* written only when true */
	s->origin = (enum plan_origin)origin;
	s->sequence = sequence;
	s->change = (enum plan_change)change;
	FIELD(r, obj, "uid", false, v, {
		char uid[PLAN_UID_SIZE];

		plan_session_uid(p, s, uid, sizeof(uid));
		if (!jv_is_string(v) || strcmp(jv_string(v), uid))
			expected(r, v, "'%s', the UID of the session's team, site, date and slot",
				 uid);
	});
	FIELD(r, obj, "visits", true, v, {
		size_t i = 0;

		if (want_array(r, v, "an array of visits", false, SIZE_MAX)) {
			FOR_EACH(r->doc, v, item) {
				size_t mark = enter_index(r, i++);

				if (!stopped(r))
					read_visit(r, item, p, s, origin == PLAN_ORIGIN_HELD);
				leave(r, mark);
			}
		}
	});
	FIELD(r, obj, "invitations", replan, v, {
		if (!stopped(r))
			read_invitations(r, v, s, jv_is_array(visits) &&
						  jv_count(r->doc, visits) == s->nvisits);
	});
}

static int session_key_cmp(const void *pa, const void *pb, const struct plan *p)
{
	const struct plan_session *a = &p->sessions[*(const size_t *)pa];
	const struct plan_session *b = &p->sessions[*(const size_t *)pb];

	if (a->team != b->team)
		return a->team < b->team ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

/* Insertion sort of indices (qsort has no context argument in C11). Plans
 * hold a few thousand sessions; sorting them is done once per read. */
static void sort_sessions(size_t *idx, size_t n, const struct plan *p)
{
	for (size_t i = 1; i < n; i++) {
		size_t x = idx[i], j = i;

		while (j > 0 && session_key_cmp(&idx[j - 1], &x, p) > 0) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = x;
	}
}

/* A team holds one session per date and slot (which also makes every
 * session's UID unique). */
static void check_plan_sessions(struct reader *r, const struct plan *p)
{
	size_t *idx = xcalloc_array(p->nsessions ? p->nsessions : 1, sizeof(*idx));
	struct buf path;

	if (rd_failed(r, !idx))
		return;
	buf_init(&path);
	for (size_t i = 0; i < p->nsessions; i++)
		idx[i] = i;
	sort_sessions(idx, p->nsessions, p);
	for (size_t i = 1; i < p->nsessions && !stopped(r); i++) {
		const struct plan_session *a = &p->sessions[idx[i - 1]], *b = &p->sessions[idx[i]];
		char date[DATE_TEXT_SIZE];

		if (a->team != b->team || a->date != b->date || a->slot != b->slot)
			continue;
		date_format(b->date, date);
		path_pop(&path, 0);
		buf_printf(&path, "sessions[%zu]", idx[i]);
		report_at(r, DIAG_ERROR, r->session_at[idx[i]], buf_str(&path),
			  "team '%s' already has a session on %s in the %s slot (sessions[%zu], "
			  "line %d): one team, one session per date and slot",
			  r->ref->teams[b->team].id, date, slot_kind_name(b->slot), idx[i - 1],
			  r->session_at[idx[i - 1]].line);
	}
	rd_failed(r, path.failed);
	buf_release(&path);
	free(idx);
}

/* coverage[]: when given, one row per demand row of the campaign, each
 * adding up to the sessions' visits. */
static void read_coverage(struct reader *r, struct jv list, const struct plan *p, bool compare)
{
	const struct campaign *c = r->ref;
	size_t rows = c->nunits ? r->row_base[c->nunits] : 0, i = 0;
	struct plan_cov cov;
	bool *seen;

	if (!want_array(r, list, "an array of coverage rows", false, SIZE_MAX))
		return;
	seen = xcalloc_array(rows ? rows : 1, sizeof(*seen));
	if (rd_failed(r, !seen))
		return;
	plan_cov_init(&cov, p);
	FOR_EACH(r->doc, list, item) {
		size_t mark = enter_index(r, i++);
		int unit = -1, group = -1, service = -1, row = -1, n;
		int planned = 0, by_deadline = 0;
		struct jv v;

		if (stopped(r) || !want_object(r, item, "a coverage row {unit, group, service, "
							"demand, planned, by_deadline, deadline}")) {
			leave(r, mark);
			continue;
		}
		row = read_row(r, item, &unit, &group, &service);
		if (row >= 0 && seen[r->row_base[unit] + (size_t)row]) {
			error_at(r, item, "a second row for unit '%s', group '%s' and service '%s'",
				 c->units[unit].id, c->groups[group].id, c->services[service].id);
			row = -1;
		} else if (row >= 0) {
			seen[r->row_base[unit] + (size_t)row] = true;
		}
		if (row >= 0)
			plan_cov_get(&cov, (size_t)unit, (size_t)row, &planned, &by_deadline);
		if (!compare) /* sessions were left out: the sums would be wrong */
			row = -1;
		FIELD(r, item, "demand", true, v, {
			if (read_int(r, v, 0, MAX_COUNT, &n) && row >= 0 &&
			    n != c->units[unit].demand[row].count)
				expected(r, v, "%d, the campaign's demand", c->units[unit].demand[row].count);
		});
		FIELD(r, item, "came", p->today >= 0, v, {
			if (p->today < 0)
				error_at(r, v, "only a re-plan (with 'today') has 'came'");
			else if (read_int(r, v, 0, INT_MAX, &n) && row >= 0 &&
				 n != plan_came(p, (size_t)unit, (size_t)row))
				expected(r, v, "%d, the people who came to the held sessions",
					 plan_came(p, (size_t)unit, (size_t)row));
		});
		FIELD(r, item, "planned", true, v, {
			if (read_int(r, v, 0, INT_MAX, &n) && row >= 0 && n != planned)
				expected(r, v, "%d, the people the sessions invite", planned);
		});
		FIELD(r, item, "by_deadline", true, v, {
			if (read_int(r, v, 0, INT_MAX, &n) && row >= 0 && n != by_deadline)
				expected(r, v, "%d, the people the sessions invite by the deadline",
					 by_deadline);
		});
		FIELD(r, item, "deadline", true, v, {
			if (read_date(r, v, &n) && row >= 0 && n != c->groups[group].deadline) {
				char want[DATE_TEXT_SIZE];

				date_format(c->groups[group].deadline, want);
				expected(r, v, "%s, the group's deadline", want);
			}
		});
		FIELD(r, item, "intake_deadline", false, v, {
			int due = row >= 0 ? campaign_intake_deadline(c, (size_t)group,
								      (size_t)service) : 0;

			if (read_date(r, v, &n) && row >= 0 && n != due) {
				char want[DATE_TEXT_SIZE];

				date_format(due, want);
				expected(r, v, "%s, the deadline less the service's lead time", want);
			}
		});
		leave(r, mark);
	}
	for (size_t u = 0; u < c->nunits && !stopped(r); u++) {
		for (size_t j = 0; j < c->units[u].ndemand; j++) {
			const struct demand *d = &c->units[u].demand[j];

			if (!seen[r->row_base[u] + j]) {
				error_at(r, list, "no row for unit '%s', group '%s' and service '%s' "
						  "(every demand row has one)",
					 c->units[u].id, c->groups[d->group].id,
					 c->services[d->service].id);
				break;
			}
		}
	}
	plan_cov_release(&cov);
	free(seen);
}

/* A string field of a cancelled event, kept as written; *out is owned. */
static void read_string(struct reader *r, struct jv v, bool id, size_t max, char **out)
{
	if (!jv_is_string(v) || !jv_string(v)[0] || strlen(jv_string(v)) > max ||
	    (id && !valid_id(jv_string(v)))) {
		if (id)
			expected(r, v, "an id (" ID_RULE ")");
		else
			expected(r, v, "a text of 1 to %zu bytes", max);
		return;
	}
	*out = rdup(r, jv_string(v));
}

/* cancelled[]: events once published and gone, by id as published (their
 * team, site or unit may have left the campaign since). */
static void read_cancelled(struct reader *r, struct jv list, struct plan *p)
{
	size_t i = 0;

	if (!want_array(r, list, "an array of cancelled events", false, SIZE_MAX))
		return;
	FOR_EACH(r->doc, list, item) {
		size_t mark = enter_index(r, i++);
		struct plan_cancelled ev;
		int kind = -1, n;
		bool ok = true, slot_ok = false;
		struct jv v;

		memset(&ev, 0, sizeof(ev));
		ev.date = ev.start = ev.end = ev.arrive = ev.until = ev.sequence = -1;
		ev.cancelled_on = -1;
		if (stopped(r) || !want_object(r, item, "a cancelled event {uid, event, team, site, "
							"date, slot, start, end, arrive, until, "
							"sequence, cancelled_on}")) {
			leave(r, mark);
			continue;
		}
		FIELD(r, item, "uid", true, v, read_string(r, v, false, PLAN_UID_SIZE - 1, &ev.uid));
		FIELD(r, item, "event", true, v, {
			static const char *const kinds[] = { "session", "invitation" };

			kind = read_name(r, v, kinds, 2, "'session' or 'invitation'");
		});
		ev.invitation = kind == 1;
		FIELD(r, item, "team", true, v, read_string(r, v, true, 63, &ev.team));
		FIELD(r, item, "site", true, v, read_string(r, v, true, 63, &ev.site));
		FIELD(r, item, "unit", kind == 1, v, {
			if (kind == 0)
				error_at(r, v, "a session's event has no 'unit'");
			else
				read_string(r, v, true, 63, &ev.unit);
		});
		FIELD(r, item, "date", true, v, {
			if (!read_date(r, v, &ev.date))
				ev.date = -1;
		});
		FIELD(r, item, "slot", true, v, slot_ok = read_slot_kind(r, v, &ev.slot));
		FIELD(r, item, "start", true, v, {
			if (!read_time(r, v, &ev.start))
				ev.start = -1;
		});
		FIELD(r, item, "end", true, v, {
			if (!read_time(r, v, &n))
				; /* reported */
			else if (ev.start >= 0 && n <= ev.start)
				expected(r, v, "a time after 'start'");
			else
				ev.end = n;
		});
		FIELD(r, item, "arrive", true, v, {
			if (!read_time(r, v, &ev.arrive))
				ev.arrive = -1;
		});
		FIELD(r, item, "until", true, v, {
			if (!read_time(r, v, &n))
				; /* reported */
			else if (ev.arrive >= 0 && n <= ev.arrive)
				expected(r, v, "a time after 'arrive'");
			else
				ev.until = n;
		});
		FIELD(r, item, "sequence", true, v, {
			if (!read_int(r, v, 1, INT_MAX - 1, &ev.sequence))
				ev.sequence = -1;
		});
		FIELD(r, item, "cancelled_on", true, v, {
			if (!read_date(r, v, &n)) {
				/* reported */
			} else if (n > p->today) {
				char day[DATE_TEXT_SIZE];

				date_format(p->today, day);
				expected(r, v, "a date on or before 'today' (%s)", day);
			} else {
				ev.cancelled_on = n;
			}
		});
		FIELD(r, item, "reason", false, v,
		      read_string(r, v, false, 4 * MAX_TEXT_CHARS, &ev.reason));
		ok = ev.uid && kind >= 0 && ev.team && ev.site && (kind == 0 || ev.unit) &&
		     ev.date >= 0 && slot_ok && ev.start >= 0 && ev.end >= 0 && ev.arrive >= 0 &&
		     ev.until >= 0 && ev.sequence >= 0 && ev.cancelled_on >= 0;
		if (ok)
			rd_failed(r, !plan_add_cancelled(p, &ev));
		free(ev.uid);
		free(ev.team);
		free(ev.site);
		free(ev.unit);
		free(ev.reason);
		leave(r, mark);
	}
}

static void read_solver(struct reader *r, struct jv obj, struct plan_solver *solver)
{
	struct jv v;

	if (!want_object(r, obj, "an object {status, objective, bound, gap, seconds}"))
		return;
	FIELD(r, obj, "status", true, v, {
		static const char *const statuses[] = { "optimal", "feasible" };
		int k = read_name(r, v, statuses, 2, "'optimal' or 'feasible'");

		if (k >= 0)
			solver->status = k ? PLAN_FEASIBLE : PLAN_OPTIMAL;
	});
	FIELD(r, obj, "objective", false, v, read_number(r, v, &solver->objective));
	FIELD(r, obj, "bound", false, v, read_number(r, v, &solver->bound));
	FIELD(r, obj, "gap", false, v, read_number(r, v, &solver->gap));
	FIELD(r, obj, "seconds", false, v, read_number(r, v, &solver->seconds));
	FIELD(r, obj, "levels", false, v, {
		size_t i = 0;

		if (want_array(r, v, "an array of levels", false, 1000)) {
			solver->levels = xcalloc_array(jv_count(r->doc, v), sizeof(*solver->levels));
			rd_failed(r, !solver->levels);
			FOR_EACH(r->doc, v, item) {
				size_t mark = enter_index(r, i++);
				struct plan_level *l = solver->levels ? &solver->levels[solver->nlevels] : NULL;
				struct jv f;

				if (l && want_object(r, item, "a level {name, value, bound, gap}")) {
					FIELD(r, item, "name", true, f, {
						if (jv_is_string(f) &&
						    strlen(jv_string(f)) < sizeof(l->name))
							memcpy(l->name, jv_string(f),
							       strlen(jv_string(f)) + 1);
						else
							expected(r, f, "a name of at most %zu bytes",
								 sizeof(l->name) - 1);
					});
					FIELD(r, item, "value", false, f, read_number(r, f, &l->value));
					FIELD(r, item, "bound", false, f, read_number(r, f, &l->bound));
					FIELD(r, item, "gap", false, f, read_number(r, f, &l->gap));
					FIELD(r, item, "maximise", false, f, l->maximise = jv_is_true(f));
					solver->nlevels++;
				}
				leave(r, mark);
			}
		}
	});
}

int plan_read_buffer(struct plan **out, char **campaign_file, const struct campaign *c,
		     const char *data, size_t len, struct diags *d)
{
	struct sink sink = { d, 0, 0, false };
	struct reader r;
	struct doc doc;
	struct plan *p = NULL;
	struct jv root = { NULL, 0 }, v;
	size_t format_mark;
	int rc;

	*out = NULL;
	rc = doc_parse(&doc, data, len, MAX_PLAN_VALUES, &sink);
	if (rc) {
		doc_release(&doc);
		return rc;
	}
	memset(&r, 0, sizeof(r));
	r.doc = &doc;
	r.sink = &sink;
	r.ref = c;
	root = doc_root(&doc);
	p = plan_new(c);
	r.row_base = xcalloc_array(c->nunits + 1, sizeof(*r.row_base));
	if (rd_failed(&r, !p || !r.row_base))
		goto out;
	for (size_t u = 0; u < c->nunits; u++)
		r.row_base[u + 1] = r.row_base[u] + c->units[u].ndemand;
	r.row_planned = xcalloc_array(r.row_base[c->nunits] + 1, sizeof(*r.row_planned));
	if (rd_failed(&r, !r.row_planned))
		goto out;
	if (!jv_is_object(root)) {
		expected(&r, root, "a JSON object (a plan, format rota-plan/1)");
		goto out;
	}
	if (enter(&r, root, "format", true, &v, &format_mark)) {
		bool ok = jv_is_string(v) && !strcmp(jv_string(v), "rota-plan/1");

		if (!ok)
			expected(&r, v, "'rota-plan/1'");
		leave(&r, format_mark);
		if (!ok)
			goto out;
	} else {
		goto out;
	}
	FIELD(&r, root, "campaign", true, v, {
		if (!jv_is_string(v) || strcmp(jv_string(v), c->id))
			expected(&r, v, "'%s', the id of the campaign read", shown(&r, c->id, 0));
	});
	FIELD(&r, root, "campaign_file", false, v, {
		if (!jv_is_string(v))
			expected(&r, v, "a file name");
		else if (campaign_file)
			*campaign_file = rdup(&r, jv_string(v)); /* NULL: r.oom set */
	});
	/* A re-plan's day and freeze window (replan-v1.md); a first plan has
	 * neither. */
	FIELD(&r, root, "today", false, v, {
		int today;

		if (!read_date(&r, v, &today)) {
			/* reported */
		} else if (today < c->start || today > c->end + 1) {
			char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];

			date_format(c->start, first);
			date_format(c->end + 1, last);
			expected(&r, v, "a date from the campaign's start to the day after its end "
					"(%s to %s)", first, last);
		} else {
			p->today = today;
		}
	});
	FIELD(&r, root, "freeze_until", p->today >= 0, v, {
		int last;
		struct jv given;

		if (p->today < 0 && get_member(&r, root, "today", &given)) {
			/* 'today' is wrong: reported there */
		} else if (p->today < 0) {
			error_at(&r, v, "only a re-plan (with 'today') has 'freeze_until'");
		} else if (read_date(&r, v, &last)) {
			if (last < p->today - 1) {
				char day[DATE_TEXT_SIZE];

				date_format(p->today - 1, day);
				expected(&r, v, "a date on or after %s (the day before 'today', "
						"when nothing is frozen)", day);
			} else {
				p->freeze_end = last;
			}
		}
	});
	FIELD(&r, root, "sessions", true, v, {
		size_t i = 0;

		if (want_array(&r, v, "an array of sessions", false, SIZE_MAX)) {
			FOR_EACH(r.doc, v, item) {
				size_t mark = enter_index(&r, i++);

				if (!stopped(&r))
					read_plan_session(&r, item, p);
				leave(&r, mark);
			}
		}
	});
	if (!stopped(&r))
		check_plan_sessions(&r, p);
	FIELD(&r, root, "coverage", false, v, {
		bool sessions_read = !r.broken;

		if (!stopped(&r))
			read_coverage(&r, v, p, sessions_read);
	});
	FIELD(&r, root, "cancelled", false, v, {
		if (p->today < 0)
			error_at(&r, v, "only a re-plan (with 'today') has 'cancelled'");
		else if (!stopped(&r))
			read_cancelled(&r, v, p);
	});
	FIELD(&r, root, "solver", false, v, read_solver(&r, v, &p->solver));
out:
	rd_failed(&r, r.path.failed || r.scratch[0].failed || r.scratch[1].failed || d->oom);
	rc = r.oom ? ROTA_ENOMEM : sink.errors ? ROTA_EINPUT : ROTA_OK;
	buf_release(&r.path);
	buf_release(&r.scratch[0]);
	buf_release(&r.scratch[1]);
	free(r.session_at);
	free(r.row_base);
	free(r.row_planned);
	doc_release(&doc);
	if (rc) {
		plan_free(p);
		if (campaign_file) {
			free(*campaign_file);
			*campaign_file = NULL;
		}
		return rc;
	}
	*out = p;
	return ROTA_OK;
}

int plan_read_file(struct plan **out, char **campaign_file, const struct campaign *c,
		   const char *path, struct diags *d, struct rota_error *err)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	if (campaign_file)
		*campaign_file = NULL;
	rc = read_whole(path, PLAN_MAX_BYTES, "plan files", &data, &len, err);
	if (rc)
		return rc;
	rc = plan_read_buffer(out, campaign_file, c, data, len, d);
	free(data);
	if (rc == ROTA_ENOMEM)
		rota_error_set(err, rc, "out of memory reading '%s'", path);
	return rc;
}

int plan_read_campaign_file(char **campaign_file, const char *path, struct rota_error *err)
{
	struct diags d;
	struct sink sink;
	struct doc doc;
	struct jv root, item;
	bool found;
	char *data;
	size_t len;
	int rc;

	*campaign_file = NULL;
	rc = read_whole(path, PLAN_MAX_BYTES, "plan files", &data, &len, err);
	if (rc)
		return rc;
	diags_init(&d, path);
	memset(&sink, 0, sizeof(sink));
	sink.d = &d;
	rc = doc_parse(&doc, data, len, MAX_PLAN_VALUES, &sink);
	free(data);
	if (rc == ROTA_OK && !sink.errors) {
		root = doc_root(&doc);
		found = jv_is_object(root) && jv_member(&doc, root, "campaign_file", &item);
		if (found && !jv_is_string(item))
			rc = rota_error_set(err, ROTA_EINPUT, "%s: campaign_file: expected a file name",
					    path);
		else if (found && !(*campaign_file = xstrdup(jv_string(item))))
			rc = rota_error_set(err, ROTA_ENOMEM, "out of memory reading '%s'", path);
	} else if (rc == ROTA_ENOMEM) {
		rota_error_set(err, rc, "out of memory reading '%s'", path);
	} else {
		diags_sort(&d);
		if (d.count && d.items[0].line > 0)
			rc = rota_error_set(err, ROTA_EINPUT, "%s:%d:%d: %s", path, d.items[0].line,
					    d.items[0].col, d.items[0].message);
		else
			rc = rota_error_set(err, ROTA_EINPUT, "%s: %s", path,
					    d.count ? d.items[0].message : "not a plan");
	}
	doc_release(&doc);
	diags_release(&d);
	return rc;
}

