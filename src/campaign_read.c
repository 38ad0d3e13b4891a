/*
 * campaign_read.c - reads a campaign file (rota-campaign/1): each section
 * of it, with every problem reported at its place, then the checks of the
 * whole campaign (campaign_check.c). The document itself is json_doc.c's,
 * the scalars and diagnostics reader.c's.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "campaign_check.h"
#include "campaign_read.h"
#include "date.h"
#include "diag.h"
#include "json_doc.h"
#include "reader.h"
#include "tz_names.h"
#include "util.h"
#include "banned.h"

/* The form of an IANA time zone name, Area/Location (or UTC): no path,
 * nothing that is not a letter, digit, '/', '_', '+' or '-'. */
static bool plausible_zone(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 64 || s[0] == '/' || s[n - 1] == '/' || strstr(s, "//"))
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr("/_+-", ch)))
			return false;
	}
	return true;
}

/* A zone of the IANA database (tz_names.h): the calendars need its offset
 * from UTC, and a name only this machine knows would make the plan depend
 * on the machine. */
static void read_zone(struct reader *r, struct jv v, char **out)
{
	struct rota_error err = { 0, "" };
	bool known = false;

	if (!jv_is_string(v) || !plausible_zone(jv_string(v))) {
		soft_expected(r, v, "an IANA time zone name such as Asia/Ho_Chi_Minh");
		return;
	}
	if (tz_name_known(TZ_NAMES_FILE, jv_string(v), &known, &err) == ROTA_ENOMEM) {
		r->oom = true;
		return;
	}
	if (err.code) {
		soft_error_at(r, v, "time zone '%s' cannot be checked: %s (install the tzdata "
				    "package)", shown(r, jv_string(v), 0), err.message);
		return;
	}
	if (!known) {
		soft_error_at(r, v, "time zone '%s' is unknown: expected a zone of the IANA time "
				    "zone database such as Asia/Ho_Chi_Minh (as listed in %s)",
			      shown(r, jv_string(v), 0), TZ_NAMES_FILE);
		return;
	}
	free(*out);
	*out = rdup(r, jv_string(v));
}

/* A missing field that nothing else depends on. */
static bool soft_required(struct reader *r, struct jv obj, const char *name)
{
	struct jv v;

	if (get_member(r, obj, name, &v))
		return true;
	soft_error_at(r, obj, "missing field '%s'", name);
	return false;
}

/* The organizer ({name, email}, both required) or a unit's contact
 * ({name, role, email, phone}, all optional). */
static void read_person(struct reader *r, struct jv obj, struct person_ref *p, bool organizer)
{
	static const char *const organizer_fields[] = { "name", "email", NULL };
	static const char *const contact_fields[] = { "name", "role", "email", "phone", NULL };
	struct jv v;

	if (!jv_is_object(obj)) {
		soft_expected(r, obj, organizer ? "an object {name, email}"
					       : "an object {name, role, email, phone}");
		return;
	}
	check_fields(r, obj, organizer ? organizer_fields : contact_fields);
	if (organizer) {
		soft_required(r, obj, "name");
		soft_required(r, obj, "email");
	}
	FIELD(r, obj, "name", false, v, read_text(r, v, &p->name));
	FIELD(r, obj, "email", false, v, read_email(r, v, &p->email));
	if (!organizer) {
		FIELD(r, obj, "role", false, v, read_text(r, v, &p->role));
		FIELD(r, obj, "phone", false, v, read_text(r, v, &p->phone));
	}
}

static void read_campaign_info(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "start", "end", "timezone",
					      "organizer", "invitation_minutes", "home_visit_minutes",
					      NULL };
	struct campaign *c = r->c;
	bool have_start = false;
	struct jv obj, v;
	size_t mark;

	if (!enter(r, root, "campaign", true, &obj, &mark))
		return;
	if (!want_object(r, obj, "an object {id, name, start, end, organizer}"))
		goto out;
	check_fields(r, obj, fields);
	FIELD(r, obj, "id", true, v, read_id(r, v, "an id", &c->id));
	FIELD(r, obj, "name", true, v, read_text(r, v, &c->name));
	FIELD(r, obj, "start", true, v, have_start = read_date(r, v, &c->start));
	FIELD(r, obj, "end", true, v, {
		if (read_date(r, v, &c->end) && have_start) {
			char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];

			date_format(c->start, first);
			date_format(c->start + MAX_CAMPAIGN_DAYS - 1, last);
			if (c->end < c->start)
				expected(r, v, "a date on or after campaign.start (%s)", first);
			else if (c->end - c->start >= MAX_CAMPAIGN_DAYS)
				expected(r, v, "a date at most three years after campaign.start "
					       "(%s at the latest)", last);
			else
				r->dates_ok = true;
		}
	});
	FIELD(r, obj, "timezone", false, v, read_zone(r, v, &c->timezone));
	if (soft_required(r, obj, "organizer"))
		FIELD(r, obj, "organizer", false, v, read_person(r, v, &c->organizer, true));
	FIELD(r, obj, "invitation_minutes", false, v,
	      read_int(r, v, 0, MAX_MINUTES, &c->invitation_minutes));
	FIELD(r, obj, "home_visit_minutes", false, v,
	      read_int(r, v, 1, MAX_HOME_VISIT_MINUTES, &c->home_visit_minutes));
out:
	leave(r, mark);
}

static void set_window(struct slot_window *w, int start, int end, int break_start, int break_end)
{
	free(w->breaks);
	w->breaks = NULL;
	w->nbreaks = 0;
	w->start = start;
	w->end = end;
	if (break_start >= 0) {
		w->breaks = calloc(1, sizeof(*w->breaks));
		if (w->breaks) {
			w->breaks[0].start = break_start;
			w->breaks[0].end = break_end;
			w->nbreaks = 1;
		}
	}
}

/* One break [start, end] of a slot from start to end; prev_end is where
 * the previous break ends (the slot's start for the first). */
static bool read_break(struct reader *r, struct jv v, int slot_start, int slot_end, int prev_end,
		       struct time_window *out)
{
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE], c[TIME_TEXT_SIZE];
	struct jv first, second;
	bool ok;

	if (!jv_is_array(v) || jv_count(r->doc, v) != 2) {
		expected(r, v, "a break [\"HH:MM\", \"HH:MM\"]");
		return false;
	}
	first = jv_first(v);
	second = jv_next(r->doc, first);
	ELEMENT(r, 0, ok = read_time(r, first, &out->start));
	ELEMENT(r, 1, {
		if (!read_time(r, second, &out->end)) {
			ok = false;
		} else if (ok && out->end <= out->start) {
			time_text(out->start, a);
			expected(r, second, "a time after the break's start (%s)", a);
			ok = false;
		}
	});
	if (!ok || slot_start < 0)
		return false;
	time_text(out->start, a);
	time_text(out->end, b);
	if (out->start < slot_start || out->end > slot_end) {
		char d[TIME_TEXT_SIZE];

		time_text(slot_start, c);
		time_text(slot_end, d);
		error_at(r, v, "expected a break inside the slot (%s-%s), found %s-%s", c, d, a, b);
		return false;
	}
	if (out->start < prev_end) {
		time_text(prev_end, c);
		error_at(r, v, "expected a break that starts at or after the previous one ends (%s), "
			       "found %s-%s", c, a, b);
		return false;
	}
	return true;
}

/* A slot window {start, end, breaks}; replaces *w whole when all is well. */
static void read_slot(struct reader *r, struct jv obj, struct slot_window *w)
{
	static const char *const fields[] = { "start", "end", "breaks", NULL };
	struct time_window *breaks = NULL;
	size_t nbreaks = 0;
	int start = -1, end = -1, working;
	bool ok = true;
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];
	struct jv v;

	if (!want_object(r, obj, "an object {start, end, breaks}"))
		return;
	check_fields(r, obj, fields);
	if (!get_member(r, obj, "start", &v) || !get_member(r, obj, "end", &v))
		ok = false;
	FIELD(r, obj, "start", true, v, {
		if (!read_time(r, v, &start))
			start = -1;
	});
	FIELD(r, obj, "end", true, v, {
		if (!read_time(r, v, &end))
			end = -1;
		else if (start >= 0 && end <= start) {
			time_text(start, a);
			expected(r, v, "a time after the slot's start (%s)", a);
			end = -1;
		}
	});
	if (start < 0 || end < 0) {
		ok = false;
		start = -1;
	}
	FIELD(r, obj, "breaks", false, v, {
		size_t i = 0;
		int prev_end = start;

		if (!want_array(r, v, "an array of breaks [\"HH:MM\", \"HH:MM\"]", false,
				MAX_BREAKS)) {
			ok = false;
		} else {
			breaks = xcalloc_array(jv_count(r->doc, v), sizeof(*breaks));
			rd_failed(r, !breaks);
			FOR_EACH(r->doc, v, item) {
				size_t mark = enter_index(r, i++);

				if (breaks && read_break(r, item, start, end, prev_end,
							 &breaks[nbreaks]))
					prev_end = breaks[nbreaks++].end;
				else
					ok = false;
				leave(r, mark);
			}
		}
	});
	if (!ok || !breaks) {
		free(breaks);
		if (ok)
			set_window(w, start, end, -1, -1);
		return;
	}
	working = end - start;
	for (size_t i = 0; i < nbreaks; i++)
		working -= breaks[i].end - breaks[i].start;
	if (working <= 0) {
		time_text(start, a);
		time_text(end, b);
		error_at(r, obj, "expected a slot with working time, found breaks that cover all of "
				 "%s-%s", a, b);
		free(breaks);
		return;
	}
	free(w->breaks);
	w->start = start;
	w->end = end;
	w->breaks = breaks;
	w->nbreaks = nbreaks;
}

/* Day and evening slots both fall on workdays (weekend and holiday slots
 * share a date with no other kind): their windows must not overlap, or a
 * team could be at two sites at once. Touching windows are fine. The
 * error is at the evening slot when it is written, else at the day's. */
static void check_slots_apart(struct reader *r, struct jv slots)
{
	const struct slot_window *day = &r->c->slots[SLOT_DAY];
	const struct slot_window *evening = &r->c->slots[SLOT_EVENING];
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE], c[TIME_TEXT_SIZE], d[TIME_TEXT_SIZE];
	bool blame_evening;
	struct jv v;
	size_t mark;

	if (day->start >= evening->end || evening->start >= day->end)
		return;
	blame_evening = get_member(r, slots, "evening", &v);
	if (!enter(r, slots, blame_evening ? "evening" : "day", false, &v, &mark))
		return;
	time_text(blame_evening ? evening->start : day->start, a);
	time_text(blame_evening ? evening->end : day->end, b);
	time_text(blame_evening ? day->start : evening->start, c);
	time_text(blame_evening ? day->end : evening->end, d);
	error_at(r, v, "expected %s slot that does not overlap the %s slot (%s-%s), found "
		       "%s-%s: both fall on workdays, and a team would be at two sites at once",
		 blame_evening ? "an evening" : "a day", blame_evening ? "day" : "evening", c, d,
		 a, b);
	leave(r, mark);
}

static void read_calendar(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "workdays", "holidays", "extra_workdays", "slots",
					      NULL };
	static const char *const slot_fields[] = { "day", "evening", "weekend", "holiday", NULL };
	struct campaign *c = r->c;
	bool holiday_given = false;
	struct jv obj, v;
	size_t mark;

	c->workdays = 0x1f;
	set_window(&c->slots[SLOT_DAY], 450, 1020, 690, 810);
	set_window(&c->slots[SLOT_EVENING], 1080, 1260, -1, -1);
	set_window(&c->slots[SLOT_WEEKEND], 450, 1020, 690, 810);
	rd_failed(r, !c->slots[SLOT_DAY].breaks || !c->slots[SLOT_WEEKEND].breaks);
	if (enter(r, root, "calendar", false, &obj, &mark)) {
		if (want_object(r, obj, "an object {workdays, holidays, extra_workdays, slots}")) {
			check_fields(r, obj, fields);
			FIELD(r, obj, "workdays", false, v, {
				size_t i = 0;

				if (want_array(r, v, "an array of weekdays (mon ... sun)", false, 7 * 4)) {
					c->workdays = 0;
					FOR_EACH(r->doc, v, item) {
						size_t m = enter_index(r, i++);
						int w;

						if (read_weekday(r, item, &w)) {
							if (c->workdays & (1u << w))
								warning_at(r, item, "'%s' is listed twice",
									   weekday_names[w]);
							c->workdays |= 1u << w;
						}
						leave(r, m);
					}
				}
			});
			FIELD(r, obj, "holidays", false, v, read_ranges(r, v, &c->holidays));
			FIELD(r, obj, "extra_workdays", false, v,
			      read_ranges(r, v, &c->extra_workdays));
			FIELD(r, obj, "slots", false, v, {
				if (want_object(r, v, "an object of slot kinds {day, evening, weekend, "
						      "holiday}")) {
					check_fields(r, v, slot_fields);
					for (int k = 0; k < SLOT_COUNT; k++) {
						struct jv s;

						FIELD(r, v, slot_kind_name((enum slot_kind)k), false, s,
						      read_slot(r, s, &c->slots[k]));
					}
					check_slots_apart(r, v);
					holiday_given = get_member(r, v, "holiday", &obj);
				}
			});
		}
		leave(r, mark);
	}
	if (!holiday_given) {
		const struct slot_window *we = &c->slots[SLOT_WEEKEND];
		struct slot_window *h = &c->slots[SLOT_HOLIDAY];

		free(h->breaks);
		*h = *we;
		h->breaks = NULL;
		if (we->nbreaks) {
			h->breaks = xcalloc_array(we->nbreaks, sizeof(*h->breaks));
			if (!h->breaks) {
				h->nbreaks = 0;
				r->oom = true;
			} else {
				memcpy(h->breaks, we->breaks, we->nbreaks * sizeof(*h->breaks));
			}
		}
	}
}

static void read_services(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "name", "lead_days", "bring", NULL };
	struct campaign *c = r->c;
	struct jv obj, v;
	size_t mark, n;

	if (!enter(r, root, "services", true, &obj, &mark))
		return;
	if (!want_object(r, obj, "an object mapping service ids to {name, lead_days}"))
		goto out;
	n = jv_count(r->doc, obj);
	if (n == 0) {
		expected(r, obj, "at least one service");
		goto out;
	}
	if (n > MAX_SERVICES) {
		error_at(r, obj, "too many services: %zu, at most %d", n, MAX_SERVICES);
		goto out;
	}
	c->services = xcalloc_array(n, sizeof(*c->services));
	if (rd_failed(r, !c->services))
		goto out;
	FOR_EACH(r->doc, obj, m) {
		struct service *s;
		size_t mk;

		if (jv_dup(r->doc, m))
			continue;
		s = &c->services[c->nservices++];
		s->id = rdup(r, jv_key(m));
		s->loc = key_loc_of(r->doc, m);
		mk = enter_key(r, jv_key(m));
		if (!valid_id(jv_key(m)))
			error_key(r, m, "expected a service id (" ID_RULE "), found '%s'",
					  shown(r, jv_key(m), 0));
		if (want_object(r, m, "an object {name, lead_days}")) {
			check_fields(r, m, fields);
			FIELD(r, m, "name", true, v, read_text(r, v, &s->name));
			FIELD(r, m, "lead_days", false, v,
			      read_int(r, v, 0, MAX_LEAD_DAYS, &s->lead_days));
			FIELD(r, m, "bring", false, v, read_text(r, v, &s->bring));
		}
		leave(r, mk);
	}
	r->have_services = true;
out:
	leave(r, mark);
}

static void read_sites(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "kind", "commune", "slots", "closed",
					      "address", NULL };
	static const char *const kinds[] = { "station", "hall", "school", "workplace" };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;

	if (!enter(r, root, "sites", true, &list, &mark))
		return;
	if (!want_array(r, list, "an array of sites", true, MAX_SITES))
		goto out;
	n = jv_count(r->doc, list);
	c->sites = xcalloc_array(n, sizeof(*c->sites));
	r->site_commune = xcalloc_array(n, sizeof(*r->site_commune));
	free(r->id_locs);
	r->id_locs = xcalloc_array(n, sizeof(*r->id_locs));
	c->travel = xcalloc_array(n * n, sizeof(*c->travel));
	if (rd_failed(r, !c->sites || !r->site_commune || !r->id_locs || !c->travel))
		goto out;
	for (size_t k = 0; k < n * n; k++)
		c->travel[k] = k / n == k % n ? 0 : -1;
	FOR_EACH(r->doc, list, item) {
		struct site *s = &c->sites[c->nsites++];
		size_t mk = enter_index(r, i++);

		s->commune = -1;
		s->slots = SLOT_ALL;
		s->loc = loc_of(r->doc, item);
		s->id = rdup(r, "");
		if (want_object(r, item, "a site {id, name, kind}") && !stopped(r)) {
			check_fields(r, item, fields);
			FIELD(r, item, "id", true, v, {
				r->id_locs[i - 1] = loc_of(r->doc, v);
				if (read_id(r, v, "a site id", &s->id) &&
				    (!strcmp(s->id, "own") || !strcmp(s->id, "station")))
					expected(r, v, "a site id other than the reserved 'own' and "
						       "'station'");
			});
			FIELD(r, item, "name", true, v, read_text(r, v, &s->name));
			FIELD(r, item, "kind", true, v, {
				int k = read_name(r, v, kinds, 4, "a site kind (station, hall, school "
								  "or workplace)");

				if (k >= 0)
					s->kind = (enum site_kind)k;
			});
			FIELD(r, item, "commune", false, v,
			      read_id(r, v, "a commune slug", &r->site_commune[i - 1]));
			FIELD(r, item, "slots", false, v, read_slot_set(r, v, &s->slots));
			FIELD(r, item, "closed", false, v, read_ranges(r, v, &s->closed));
			FIELD(r, item, "address", false, v, read_text(r, v, &s->address));
		}
		leave(r, mk);
	}
	check_unique_ids(r, "sites", &c->sites[0].id, sizeof(*c->sites), c->nsites);
	r->have_sites = true;
out:
	leave(r, mark);
}

static void read_travel(struct reader *r, struct jv root)
{
	struct campaign *c = r->c;
	struct jv list;
	size_t mark, i = 0;

	if (!enter(r, root, "travel", false, &list, &mark))
		return;
	if (!want_array(r, list, "an array of [site, site, minutes]", false, (size_t)MAX_LIST * 20))
		goto out;
	FOR_EACH(r->doc, list, item) {
		size_t mk = enter_index(r, i++);
		struct jv a, b, minutes;
		int sa, sb, value = -1;

		if (stopped(r)) {
			leave(r, mk);
			break;
		}
		if (!jv_is_array(item) || jv_count(r->doc, item) != 3) {
			if (jv_is_array(item))
				error_at(r, item, "expected [site, site, minutes], found an array of "
						  "%zu elements", jv_count(r->doc, item));
			else
				expected(r, item, "[site, site, minutes]");
			leave(r, mk);
			continue;
		}
		a = jv_first(item);
		b = jv_next(r->doc, a);
		minutes = jv_next(r->doc, b);
		ELEMENT(r, 0, sa = read_ref(r, a, "site", r->have_sites, campaign_find_site, "sites"));
		ELEMENT(r, 1, {
			sb = read_ref(r, b, "site", r->have_sites, campaign_find_site, "sites");
			if (sa >= 0 && sa == sb) {
				expected(r, b, "a site other than the first");
				sb = -1;
			}
		});
		ELEMENT(r, 2, read_int(r, minutes, 0, MAX_MINUTES, &value));
		if (sa < 0 || sb < 0 || value < 0 || !c->travel) {
			leave(r, mk);
			continue;
		}
		if (c->travel[(size_t)sa * c->nsites + (size_t)sb] >= 0) {
			/* Find the first entry for the pair; duplicates are rare and
			 * the error cap bounds how often this runs. */
			FOR_EACH(r->doc, list, prev) {
				struct jv pa, pb;

				if (prev.t == item.t)
					break;
				if (!jv_is_array(prev) || jv_count(r->doc, prev) != 3)
					continue;
				pa = jv_first(prev);
				pb = jv_next(r->doc, pa);
				if (!jv_is_string(pa) || !jv_is_string(pb))
					continue;
				if ((!strcmp(jv_string(pa), c->sites[sa].id) &&
				     !strcmp(jv_string(pb), c->sites[sb].id)) ||
				    (!strcmp(jv_string(pa), c->sites[sb].id) &&
				     !strcmp(jv_string(pb), c->sites[sa].id))) {
					error_at(r, item, "duplicate entry for the sites '%s' and '%s' "
							  "(first at %d:%d)",
						 shown(r, c->sites[sa].id, 0), shown(r, c->sites[sb].id, 1),
						 loc_of(r->doc, prev).line, loc_of(r->doc, prev).col);
					break;
				}
			}
		} else {
			c->travel[(size_t)sa * c->nsites + (size_t)sb] = value;
			c->travel[(size_t)sb * c->nsites + (size_t)sa] = value;
		}
		leave(r, mk);
	}
out:
	leave(r, mark);
}

/* A group's "bring": an object mapping service ids to the campaign's own
 * words of what that group's people bring for that service. */
static void read_group_bring(struct reader *r, struct jv obj, struct group *g)
{
	struct campaign *c = r->c;

	if (!want_object(r, obj, "an object mapping service ids to text"))
		return;
	if (r->have_services) {
		g->bring = xcalloc_array(c->nservices, sizeof(*g->bring));
		if (rd_failed(r, !g->bring))
			return;
	}
	FOR_EACH(r->doc, obj, m) {
		size_t mk;
		int s;

		if (jv_dup(r->doc, m))
			continue;
		mk = enter_key(r, jv_key(m));
		s = r->have_services ? campaign_find_service(c, jv_key(m)) : -1;
		if (s < 0 && r->have_services) {
			error_key(r, m, "unknown service '%s' (not in services)",
				  shown(r, jv_key(m), 0));
		} else if (s >= 0 && g->bring) {
			free(g->bring[s]);
			g->bring[s] = NULL;
			read_text(r, m, &g->bring[s]);
		}
		leave(r, mk);
	}
}

static void read_groups(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "priority", "deadline", "from",
					      "slots", "at", "turnout", "children", "bring", "home",
					      NULL };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;

	if (!enter(r, root, "groups", true, &list, &mark))
		return;
	if (!want_array(r, list, "an array of groups", true, MAX_GROUPS))
		goto out;
	n = jv_count(r->doc, list);
	c->groups = xcalloc_array(n, sizeof(*c->groups));
	free(r->id_locs);
	r->id_locs = xcalloc_array(n, sizeof(*r->id_locs));
	if (rd_failed(r, !c->groups || !r->id_locs))
		goto out;
	FOR_EACH(r->doc, list, item) {
		struct group *g = &c->groups[c->ngroups++];
		size_t mk = enter_index(r, i++);
		struct jv deadline_v = { NULL, 0 }, from_v = { NULL, 0 }, at_v = { NULL, 0 };
		bool deadline_ok = false, from_ok = false;

		g->id = rdup(r, "");
		g->priority = 1;
		g->deadline = c->end;
		g->from = c->start;
		g->slots = SLOT_ALL;
		g->at_own = g->at_station = true;
		g->turnout = 1.0;
		g->loc = loc_of(r->doc, item);
		if (!want_object(r, item, "a group {id, name, priority}") || stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, item, fields);
		FIELD(r, item, "id", true, v, {
			r->id_locs[i - 1] = loc_of(r->doc, v);
			read_id(r, v, "a group id", &g->id);
		});
		FIELD(r, item, "name", true, v, read_text(r, v, &g->name));
		FIELD(r, item, "priority", true, v, read_int(r, v, 1, MAX_PRIORITY, &g->priority));
		FIELD(r, item, "deadline", false, v, {
			deadline_v = v;
			deadline_ok = read_date(r, v, &g->deadline);
		});
		FIELD(r, item, "from", false, v, {
			from_v = v;
			from_ok = read_date(r, v, &g->from);
		});
		FIELD(r, item, "slots", false, v, read_slot_set(r, v, &g->slots));
		FIELD(r, item, "at", false, v, {
			size_t k = 0;

			at_v = v;
			if (want_array(r, v, "an array of 'own', 'station' and site ids", true,
				       MAX_SITES + 2)) {
				g->at_own = g->at_station = false;
				g->at_sites = xcalloc_array(jv_count(r->doc, v), sizeof(*g->at_sites));
				rd_failed(r, !g->at_sites);
				FOR_EACH(r->doc, v, place) {
					size_t m2 = enter_index(r, k++);
					const char *s = jv_is_string(place) ? jv_string(place) : NULL;
					bool twice = false;
					int site;

					if (s && !strcmp(s, "own")) {
						twice = g->at_own;
						g->at_own = true;
					} else if (s && !strcmp(s, "station")) {
						twice = g->at_station;
						g->at_station = true;
					} else if (!s) {
						expected(r, place, "'own', 'station' or a site id");
					} else if ((site = read_ref(r, place, "site", r->have_sites,
								    campaign_find_site, "sites")) >= 0 &&
						   g->at_sites) {
						for (size_t q = 0; q < g->nat_sites; q++)
							twice |= g->at_sites[q] == (size_t)site;
						if (!twice)
							g->at_sites[g->nat_sites++] = (size_t)site;
					}
					if (twice)
						warning_at(r, place, "'%s' is listed twice", shown(r, s, 0));
					leave(r, m2);
				}
			}
		});
		FIELD(r, item, "turnout", false, v, {
			double t;

			if (number_value(r, v, &t) && t > 0.0 && t <= 1.0)
				g->turnout = t;
			else
				expected(r, v, "a number greater than 0 and at most 1");
		});
		FIELD(r, item, "children", false, v, {
			if (jv_is_bool(v))
				g->children = jv_is_true(v) ? GROUP_CHILDREN_YES : GROUP_CHILDREN_NO;
			else
				expected(r, v, "true or false");
		});
		FIELD(r, item, "bring", false, v, read_group_bring(r, v, g));
		FIELD(r, item, "home", false, v, {
			if (!jv_is_bool(v)) {
				expected(r, v, "true or false");
			} else if (jv_is_true(v) && jv_present(at_v)) {
				error_at(r, v, "a group served at home is served at its unit's "
					       "own place: leave out its \"at\"");
			} else if (jv_is_true(v)) {
				g->home = true;
				g->at_own = true;
				g->at_station = false;
			}
		});
		if (r->dates_ok) {
			char d1[DATE_TEXT_SIZE], d2[DATE_TEXT_SIZE];
			size_t m2;

			if (from_ok && (deadline_ok || !jv_present(deadline_v)) && g->from > g->deadline) {
				m2 = enter_key(r, "from");
				date_format(g->deadline, d1);
				expected(r, from_v, "a date on or before the group's deadline (%s)", d1);
				leave(r, m2);
				from_ok = false;
			} else if (from_ok && (g->from < c->start || g->from > c->end)) {
				m2 = enter_key(r, "from");
				date_format(g->from < c->start ? c->start : c->end, d1);
				if (g->from < c->start)
					warning_at(r, from_v, "the campaign starts later (%s): people "
							      "are invited from then on", d1);
				else
					warning_at(r, from_v, "the campaign ends earlier (%s): these "
							      "people can never be invited", d1);
				leave(r, m2);
			}
			if (deadline_ok && (g->deadline < c->start || g->deadline > c->end)) {
				m2 = enter_key(r, "deadline");
				date_format(c->start, d1);
				date_format(c->end, d2);
				if (g->deadline < c->start)
					warning_at(r, deadline_v, "the deadline is before the campaign "
								  "starts (%s): it cannot be met", d1);
				else
					warning_at(r, deadline_v, "the deadline is after the campaign "
								  "ends (%s): the campaign's end comes "
								  "first", d2);
				leave(r, m2);
			}
		}
		leave(r, mk);
	}
	check_unique_ids(r, "groups", &c->groups[0].id, sizeof(*c->groups), c->ngroups);
	r->have_groups = true;
out:
	leave(r, mark);
}

static void read_demand(struct reader *r, struct jv list, struct unit *u, int *first_row)
{
	static const char *const fields[] = { "group", "service", "count", NULL };
	struct campaign *c = r->c;
	size_t i = 0;

	u->demand = xcalloc_array(jv_count(r->doc, list), sizeof(*u->demand));
	if (rd_failed(r, !u->demand))
		return;
	FOR_EACH(r->doc, list, row) {
		size_t mk = enter_index(r, i++);
		int group = -1, service = -1, count = -1;
		struct jv v;

		if (!want_object(r, row, "a demand row {group, service, count}") || stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, row, fields);
		FIELD(r, row, "group", true, v,
		      group = read_ref(r, v, "group", r->have_groups, campaign_find_group, "groups"));
		FIELD(r, row, "service", true, v,
		      service = read_ref(r, v, "service", r->have_services, campaign_find_service,
					 "services"));
		FIELD(r, row, "count", true, v, {
			if (!read_int(r, v, 0, MAX_COUNT, &count))
				count = -1;
		});
		if (group >= 0 && service >= 0 && first_row) {
			int *first = &first_row[(size_t)group * c->nservices + (size_t)service];

			if (*first > 0) {
				const struct rota_loc *at = &u->demand[*first - 1].loc;

				error_at(r, row, "duplicate row for group '%s' and service '%s' (first "
						 "at %d:%d)",
					 shown(r, c->groups[group].id, 0),
					 shown(r, c->services[service].id, 1), at->line, at->col);
				count = -1;
			} else if (count >= 0) {
				*first = (int)u->ndemand + 1;
			}
		}
		if (group >= 0 && service >= 0 && count >= 0) {
			struct demand *d = &u->demand[u->ndemand++];

			d->group = (size_t)group;
			d->service = (size_t)service;
			d->count = count;
			d->loc = loc_of(r->doc, row);
		}
		leave(r, mk);
	}
	/* Clean the table for the next unit. */
	for (size_t k = 0; first_row && k < u->ndemand; k++)
		first_row[u->demand[k].group * c->nservices + u->demand[k].service] = 0;
}

static void read_units(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "kind", "site", "commune", "contact",
					      "demand", NULL };
	static const char *const kinds[] = { "village", "school", "workplace" };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;
	int *first_row = NULL;

	if (!enter(r, root, "units", true, &list, &mark))
		return;
	if (!want_array(r, list, "an array of units", true, MAX_UNITS))
		goto out;
	n = jv_count(r->doc, list);
	c->units = xcalloc_array(n, sizeof(*c->units));
	r->unit_commune = xcalloc_array(n, sizeof(*r->unit_commune));
	free(r->id_locs);
	r->id_locs = xcalloc_array(n, sizeof(*r->id_locs));
	first_row = xcalloc_array(c->ngroups * c->nservices, sizeof(*first_row));
	if (rd_failed(r, !c->units || !r->unit_commune || !r->id_locs || !first_row))
		goto out;
	FOR_EACH(r->doc, list, item) {
		struct unit *u = &c->units[c->nunits++];
		size_t mk = enter_index(r, i++);

		u->id = rdup(r, "");
		u->commune = -1;
		u->loc = loc_of(r->doc, item);
		if (!want_object(r, item, "a unit {id, name, kind, site, demand}") || stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, item, fields);
		FIELD(r, item, "id", true, v, {
			r->id_locs[i - 1] = loc_of(r->doc, v);
			read_id(r, v, "a unit id", &u->id);
		});
		FIELD(r, item, "name", true, v, read_text(r, v, &u->name));
		FIELD(r, item, "kind", true, v, {
			int k = read_name(r, v, kinds, 3, "a unit kind (village, school or workplace)");

			if (k >= 0)
				u->kind = (enum unit_kind)k;
		});
		FIELD(r, item, "site", true, v, {
			int s = read_ref(r, v, "site", r->have_sites, campaign_find_site, "sites");

			if (s >= 0)
				u->site = (size_t)s;
		});
		FIELD(r, item, "commune", false, v,
		      read_id(r, v, "a commune slug", &r->unit_commune[i - 1]));
		FIELD(r, item, "contact", false, v, {
			u->has_contact = true;
			read_person(r, v, &u->contact, false);
		});
		FIELD(r, item, "demand", true, v, {
			if (want_array(r, v, "an array of demand rows {group, service, count}", false,
				       MAX_LIST))
				read_demand(r, v, u, first_row);
		});
		leave(r, mk);
	}
	check_unique_ids(r, "units", &c->units[0].id, sizeof(*c->units), c->nunits);
out:
	free(first_row);
	leave(r, mark);
}

static void read_capacity(struct reader *r, struct jv obj, struct team *t)
{
	struct campaign *c = r->c;

	if (!want_object(r, obj, "an object mapping service ids to people per day slot"))
		return;
	if (!jv_has_child(obj)) {
		expected(r, obj, "at least one service");
		return;
	}
	FOR_EACH(r->doc, obj, m) {
		size_t mk;
		int s, n;

		if (jv_dup(r->doc, m))
			continue;
		mk = enter_key(r, jv_key(m));
		s = r->have_services ? campaign_find_service(c, jv_key(m)) : -1;
		if (s < 0 && r->have_services)
			error_key(r, m, "unknown service '%s' (not in services)",
				  shown(r, jv_key(m), 0));
		else if (s < 0)
			r->broken = true;
		if (read_int(r, m, 1, MAX_CAPACITY, &n) && s >= 0 && t->capacity)
			t->capacity[s] = n;
		leave(r, mk);
	}
}

static void read_teams(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "base", "capacity", "slots",
					      "officers", "communes", "max_extra_per_week",
					      "unavailable", "email", NULL };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;

	if (!enter(r, root, "teams", true, &list, &mark))
		return;
	if (!want_array(r, list, "an array of teams", true, MAX_TEAMS))
		goto out;
	n = jv_count(r->doc, list);
	c->teams = xcalloc_array(n, sizeof(*c->teams));
	r->team_communes = xcalloc_array(n, sizeof(*r->team_communes));
	free(r->id_locs);
	r->id_locs = xcalloc_array(n, sizeof(*r->id_locs));
	if (rd_failed(r, !c->teams || !r->team_communes || !r->id_locs))
		goto out;
	FOR_EACH(r->doc, list, item) {
		struct team *t = &c->teams[c->nteams++];
		size_t mk = enter_index(r, i++);

		t->id = rdup(r, "");
		t->slots = SLOT_BIT(SLOT_DAY);
		t->officers = 2;
		t->all_communes = true;
		t->loc = loc_of(r->doc, item);
		t->capacity = xcalloc_array(c->nservices, sizeof(*t->capacity));
		rd_failed(r, !t->capacity);
		if (!want_object(r, item, "a team {id, name, base, capacity}") || stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, item, fields);
		FIELD(r, item, "id", true, v, {
			r->id_locs[i - 1] = loc_of(r->doc, v);
			read_id(r, v, "a team id", &t->id);
		});
		FIELD(r, item, "name", true, v, read_text(r, v, &t->name));
		FIELD(r, item, "base", true, v, {
			int s = read_ref(r, v, "site", r->have_sites, campaign_find_site, "sites");

			if (s >= 0)
				t->base = (size_t)s;
		});
		FIELD(r, item, "capacity", true, v, read_capacity(r, v, t));
		FIELD(r, item, "slots", false, v, read_slot_set(r, v, &t->slots));
		FIELD(r, item, "officers", false, v, read_int(r, v, 1, MAX_OFFICERS, &t->officers));
		FIELD(r, item, "communes", false, v, {
			if (want_array(r, v, "an array of commune slugs", false, MAX_LIST)) {
				t->all_communes = false;
				r->team_communes[i - 1] = v;
			}
		});
		FIELD(r, item, "max_extra_per_week", false, v,
		      read_int(r, v, 0, MAX_EXTRA_PER_WEEK, &t->max_extra_per_week));
		FIELD(r, item, "unavailable", false, v, read_ranges(r, v, &t->unavailable));
		FIELD(r, item, "email", false, v, read_email(r, v, &t->email));
		leave(r, mk);
	}
	check_unique_ids(r, "teams", &c->teams[0].id, sizeof(*c->teams), c->nteams);
	r->have_teams = true;
out:
	leave(r, mark);
}

static void read_fixed(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "team", "site", "slot", "date", "weekday", "from",
					      "to", NULL };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;

	if (!enter(r, root, "fixed", false, &list, &mark))
		return;
	if (!want_array(r, list, "an array of fixed sessions", false, MAX_FIXED))
		goto out;
	n = jv_count(r->doc, list);
	c->fixed = xcalloc_array(n, sizeof(*c->fixed));
	r->fixed_at = xcalloc_array(n, sizeof(*r->fixed_at));
	if (rd_failed(r, !c->fixed || !r->fixed_at))
		goto out;
	FOR_EACH(r->doc, list, item) {
		struct fixed_session *f = &c->fixed[c->nfixed];
		struct fixed_places *at = &r->fixed_at[c->nfixed++];
		size_t mk = enter_index(r, i++);
		bool has_date, has_weekday, from_ok = true;
		int team, site;

		f->loc = loc_of(r->doc, item);
		if (!want_object(r, item, "a fixed session {team, site, slot, date} or {team, site, "
					  "slot, weekday, from, to}") ||
		    stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, item, fields);
		/* Every problem below is an error that stops the checks of
		 * the whole campaign, which alone use what is read here. */
		FIELD(r, item, "team", true, v, {
			at->team = loc_of(r->doc, v);
			team = read_ref(r, v, "team", r->have_teams, campaign_find_team, "teams");
			f->team = team >= 0 ? (size_t)team : 0;
		});
		FIELD(r, item, "site", true, v, {
			at->site = loc_of(r->doc, v);
			site = read_ref(r, v, "site", r->have_sites, campaign_find_site, "sites");
			f->site = site >= 0 ? (size_t)site : 0;
		});
		FIELD(r, item, "slot", true, v, {
			at->slot = loc_of(r->doc, v);
			read_slot_kind(r, v, &f->slot);
		});
		has_date = get_member(r, item, "date", &v);
		has_weekday = get_member(r, item, "weekday", &v);
		if (has_date && has_weekday) {
			error_at(r, item, "expected either 'date' or 'weekday' (a weekly session), "
					  "found both");
		} else if (!has_date && !has_weekday) {
			error_at(r, item, "missing field 'date' (or 'weekday', for a weekly session)");
		}
		f->weekly = has_weekday && !has_date;
		FIELD(r, item, "date", false, v, {
			at->date = loc_of(r->doc, v);
			read_date(r, v, &f->date);
		});
		FIELD(r, item, "weekday", false, v, {
			if (!has_date)
				at->date = loc_of(r->doc, v);
			read_weekday(r, v, &f->weekday);
		});
		f->from = c->start;
		f->to = c->end;
		FIELD(r, item, "from", false, v, {
			if (!f->weekly)
				error_at(r, v, "expected no 'from' in a session with a 'date' ('from' "
					       "and 'to' are for weekly sessions)");
			else
				from_ok = read_date(r, v, &f->from);
		});
		FIELD(r, item, "to", false, v, {
			if (!f->weekly) {
				error_at(r, v, "expected no 'to' in a session with a 'date' ('from' "
					       "and 'to' are for weekly sessions)");
			} else if (read_date(r, v, &f->to) && from_ok && f->to < f->from) {
				char d[DATE_TEXT_SIZE];

				date_format(f->from, d);
				expected(r, v, "a date on or after 'from' (%s)", d);
			}
		});
		leave(r, mk);
	}
out:
	leave(r, mark);
}

static int str_ptr_cmp(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static int find_commune(const struct campaign *c, const char *slug)
{
	char *const *hit;

	if (!c->ncommunes)
		return -1;
	hit = bsearch(&slug, c->communes, c->ncommunes, sizeof(*c->communes), str_ptr_cmp);
	return hit ? (int)(hit - c->communes) : -1;
}

/* Collects the communes named by sites and units, gives every site, unit
 * and team its commune indices, and checks the teams' communes. */
static void index_communes(struct reader *r)
{
	struct campaign *c = r->c;
	size_t n = 0, kept = 0;
	char **all;

	all = xcalloc_array(c->nsites + c->nunits, sizeof(*all));
	if (rd_failed(r, !all))
		return;
	for (size_t i = 0; r->site_commune && i < c->nsites; i++)
		if (r->site_commune[i])
			all[n++] = r->site_commune[i];
	for (size_t i = 0; r->unit_commune && i < c->nunits; i++)
		if (r->unit_commune[i])
			all[n++] = r->unit_commune[i];
	qsort(all, n, sizeof(*all), str_ptr_cmp);
	c->communes = xcalloc_array(n, sizeof(*c->communes));
	if (!c->communes) {
		free(all);
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (kept && !strcmp(c->communes[kept - 1], all[i]))
			continue;
		c->communes[kept] = rdup(r, all[i]);
		if (!c->communes[kept])
			break;
		kept++;
	}
	c->ncommunes = kept;
	free(all);
	if (r->oom)
		return;

	for (size_t i = 0; r->site_commune && i < c->nsites; i++)
		if (r->site_commune[i])
			c->sites[i].commune = find_commune(c, r->site_commune[i]);
	for (size_t i = 0; r->unit_commune && i < c->nunits; i++) {
		struct unit *u = &c->units[i];

		if (r->unit_commune[i])
			u->commune = find_commune(c, r->unit_commune[i]);
		else if (u->site < c->nsites)
			u->commune = c->sites[u->site].commune;
	}
	for (size_t t = 0; r->team_communes && t < c->nteams && !stopped(r); t++) {
		struct team *team = &c->teams[t];
		struct jv list = r->team_communes[t];
		size_t mark, k = 0;

		if (!jv_present(list))
			continue;
		team->communes = xcalloc_array(jv_count(r->doc, list), sizeof(*team->communes));
		if (rd_failed(r, !team->communes))
			return;
		mark = r->path.len;
		buf_printf(&r->path, "teams[%zu].communes", t);
		FOR_EACH(r->doc, list, item) {
			size_t m2 = enter_index(r, k++);
			char *slug = NULL;
			int idx;

			if (read_id(r, item, "a commune slug", &slug)) {
				idx = find_commune(c, slug);
				if (idx < 0) {
					error_at(r, item, "unknown commune '%s' (no site or unit is in it)",
						 shown(r, slug, 0));
				} else {
					bool twice = false;

					for (size_t q = 0; q < team->ncommunes; q++)
						twice |= team->communes[q] == idx;
					if (twice)
						warning_at(r, item, "'%s' is listed twice", shown(r, slug, 0));
					else
						team->communes[team->ncommunes++] = idx;
				}
			}
			free(slug);
			leave(r, m2);
		}
		path_pop(&r->path, mark);
	}
}

/* ------------------------------------------------------------------ */
/* The campaign file.                                                  */

static void read_root(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "format", "campaign", "calendar", "services",
					      "groups", "sites", "travel", "teams", "fixed",
					      "units", NULL };
	struct jv v;
	size_t mark;

	if (!jv_is_object(root)) {
		expected(r, root, "a JSON object (a campaign, format rota-campaign/1)");
		return;
	}
	if (!get_member(r, root, "format", &v)) {
		/* No format and none of a campaign's fields: some other JSON
		 * file, whose content is not shown. */
		bool any = false;

		for (const char *const *f = fields + 1; *f && !any; f++)
			any = get_member(r, root, *f, &v);
		if (!any) {
			error_at(r, root, "this is not a rota campaign (format rota-campaign/1), "
					  "and its content is not shown");
			return;
		}
	}
	if (enter(r, root, "format", true, &v, &mark)) {
		bool ok = jv_is_string(v) && !strcmp(jv_string(v), "rota-campaign/1");

		if (!ok)
			expected(r, v, "'rota-campaign/1'");
		leave(r, mark);
		/* Another format (a plan, a later version): the rest would
		 * only be noise. */
		if (!ok && jv_is_string(v))
			return;
	}
	check_fields(r, root, fields);
	read_campaign_info(r, root);
	read_calendar(r, root);
	read_services(r, root);
	read_sites(r, root);
	read_travel(r, root);
	read_groups(r, root);
	read_units(r, root);
	read_teams(r, root);
	read_fixed(r, root);
	if (!stopped(r))
		index_communes(r);
}

static void reader_release(struct reader *r)
{
	free(r->id_locs);
	if (r->site_commune)
		for (size_t i = 0; i < r->c->nsites; i++)
			free(r->site_commune[i]);
	free(r->site_commune);
	if (r->unit_commune)
		for (size_t i = 0; i < r->c->nunits; i++)
			free(r->unit_commune[i]);
	free(r->unit_commune);
	free(r->team_communes);
	free(r->fixed_at);
	buf_release(&r->path);
	buf_release(&r->scratch[0]);
	buf_release(&r->scratch[1]);
}

int campaign_read_buffer(struct campaign **out, const char *data, size_t len, struct diags *d)
{
	struct sink sink = { d, 0, 0, false };
	struct reader r;
	struct doc doc;
	struct jv root = { NULL, 0 };
	int rc;

	*out = NULL;
	if (len > CAMPAIGN_MAX_BYTES) {
		sink_add(&sink, DIAG_ERROR, 0, 0, "",
			 "the file is too large: %zu bytes, at most %zu (16 MiB)", len,
			 CAMPAIGN_MAX_BYTES);
		return ROTA_EINPUT;
	}
	rc = doc_parse(&doc, data, len, MAX_VALUES, &sink);
	if (rc) {
		doc_release(&doc);
		return rc;
	}
	memset(&r, 0, sizeof(r));
	r.doc = &doc;
	r.sink = &sink;
	r.c = calloc(1, sizeof(*r.c));
	if (!r.c) {
		doc_release(&doc);
		return ROTA_ENOMEM;
	}
	r.ref = r.c;
	r.c->timezone = rdup(&r, "Asia/Ho_Chi_Minh");
	r.c->invitation_minutes = CAMPAIGN_INVITATION_MINUTES;
	r.c->home_visit_minutes = CAMPAIGN_HOME_VISIT_MINUTES;
	root = doc_root(&doc);
	read_root(&r, root);
	rd_failed(&r, r.path.failed || r.scratch[0].failed || r.scratch[1].failed);
	/* The checks of the whole campaign need every part right; a text
	 * error (a name, an address) does not stop them. */
	if (!r.broken && !stopped(&r) && r.dates_ok)
		campaign_check(&r);
	rd_failed(&r, d->oom);
	if (r.oom)
		rc = ROTA_ENOMEM;
	else if (sink.errors)
		rc = ROTA_EINPUT;
	else
		rc = campaign_finalize(r.c);
	reader_release(&r);
	doc_release(&doc);
	if (rc)
		campaign_free(r.c);
	else
		*out = r.c;
	return rc;
}

int campaign_read_file(struct campaign **out, const char *path, struct diags *d,
		       struct rota_error *err)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	rc = read_whole(path, CAMPAIGN_MAX_BYTES, "campaign files", &data, &len, err);
	if (rc)
		return rc;
	rc = campaign_read_buffer(out, data, len, d);
	free(data);
	if (rc == ROTA_ENOMEM)
		rota_error_set(err, rc, "out of memory reading '%s'", path);
	return rc;
}

