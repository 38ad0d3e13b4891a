/*
 * calendar.c - the plan as iCalendar files: team and school calendars,
 * invitations (iTIP REQUEST) and their iMIP mails, the week's calendar.
 *
 * The only file that includes libical. libical builds and serializes
 * every component, so that folding (75 octets, never inside a UTF-8
 * sequence) and TEXT escaping are its; the serialized text is never
 * edited afterwards. Words come from ical_text.c, mails from ical_mail.c.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "calendar.h"
#include "date.h"
#include "ical_calendar.h"
#include "ical_mail.h"
#include "ical_text.h"
#include "banned.h"

#define PRODID_VI "-//rota//rota 0.1//VI"
#define PRODID_EN "-//rota//rota 0.1//EN"

/*
 * Time zones. The program has no time-zone database of its own, and
 * libical's built-in VTIMEZONE for Asia/Ho_Chi_Minh is unusable (a
 * prefixed TZID, LMT history, a bogus 2038 rule: some clients shift
 * sessions by hours). So:
 *  - a zone in fixed_zones with a TZID gets times with that TZID and a
 *    minimal VTIMEZONE of one STANDARD observance, valid from `since`;
 *  - a zone in fixed_zones without one (UTC) gets UTC times;
 *  - any other zone (or a campaign that starts before `since`) gets UTC
 *    times converted with libical's zone data (the system's tzdata);
 *  - a zone that libical does not know either is an error.
 */
struct fixed_zone {
	const char *name;
	int offset;        /* seconds east of UTC */
	const char *since; /* DTSTART of the observance; NULL: write UTC */
	int since_y, since_m, since_d;
	const char *abbrev;
};

static const struct fixed_zone fixed_zones[] = {
	/* Vietnam has kept +07:00 without daylight saving since 1975-06-13. */
	{ "Asia/Ho_Chi_Minh", 7 * 3600, "19750613T000000", 1975, 6, 13, "+07" },
	{ "Asia/Saigon", 7 * 3600, "19750613T000000", 1975, 6, 13, "+07" },
	{ "UTC", 0, NULL, 0, 0, 0, NULL },
	{ "Etc/UTC", 0, NULL, 0, 0, 0, NULL },
};

struct zone {
	const struct fixed_zone *fixed; /* NULL: converted by libical */
	icaltimezone *convert;          /* libical's zone, when fixed is NULL */
};

/* Everything one run of the writer shares. */
struct writer {
	const struct plan *p;
	const struct campaign *c;
	const struct cal_options *o;
	struct zone zone;
	struct icaltimetype dtstamp;
	ical_sink_fn sink; /* where files go */
	void *sink_ctx;
	bool failed;     /* libical or a buffer ran out of memory */
	struct buf text; /* scratch for property values */
};

static int zone_setup(struct writer *w, struct rota_error *err)
{
	const char *name = w->c->timezone && w->c->timezone[0] ? w->c->timezone
							       : "Asia/Ho_Chi_Minh";

	memset(&w->zone, 0, sizeof(w->zone));
	for (size_t i = 0; i < sizeof(fixed_zones) / sizeof(fixed_zones[0]); i++) {
		const struct fixed_zone *f = &fixed_zones[i];

		if (strcmp(f->name, name))
			continue;
		if (!f->since || w->c->start >= date_from_ymd(f->since_y, f->since_m, f->since_d)) {
			w->zone.fixed = f;
			return ROTA_OK;
		}
	}
	w->zone.convert = icaltimezone_get_builtin_timezone(name);
	if (!w->zone.convert)
		return rota_error_set(err, ROTA_EINPUT,
				      "time zone '%s' is unknown (not in this machine's tzdata): "
				      "calendars need its offset from UTC",
				      name);
	return ROTA_OK;
}

static void zone_release(struct writer *w)
{
	/* libical loads its zones once per process and keeps them; free them
	 * so that a leak checker sees a clean exit. */
	if (w->zone.convert)
		icaltimezone_free_builtin_timezones();
	w->zone.convert = NULL;
}

int calendar_check_zone(const struct campaign *c, struct rota_error *err)
{
	struct writer w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.c = c;
	rc = zone_setup(&w, err);
	zone_release(&w);
	return rc;
}

static int writer_init(struct writer *w, const struct plan *p, const struct cal_options *o,
		       struct rota_error *err)
{
	memset(w, 0, sizeof(*w));
	w->p = p;
	w->c = p->campaign;
	w->o = o;
	buf_init(&w->text);
	icalerror_set_errors_are_fatal(0);
	w->dtstamp = icaltime_from_timet_with_zone((time_t)o->dtstamp, 0,
						   icaltimezone_get_utc_timezone());
	return zone_setup(w, err);
}

static void writer_release(struct writer *w)
{
	zone_release(w);
	buf_release(&w->text);
}

/* The scratch text, emptied, for the next value. */
static struct buf *scratch(struct writer *w)
{
	if (w->text.failed)
		w->failed = true;
	buf_release(&w->text);
	return &w->text;
}

static const char *scratch_str(struct writer *w)
{
	if (w->text.failed)
		w->failed = true;
	return buf_str(&w->text);
}

/* The scratch text without its last line end: a description's lines are
 * separated, not ended. */
static const char *scratch_lines(struct writer *w)
{
	while (w->text.len && w->text.data[w->text.len - 1] == '\n')
		w->text.data[--w->text.len] = '\0';
	return scratch_str(w);
}

/* Adds prop to comp; a NULL prop (libical out of memory) is remembered. */
static void add(struct writer *w, icalcomponent *comp, icalproperty *prop)
{
	if (!comp || !prop) {
		w->failed = true;
		if (prop)
			icalproperty_free(prop);
		return;
	}
	icalcomponent_add_property(comp, prop);
}

static icalproperty *with_param(struct writer *w, icalproperty *prop, icalparameter *param)
{
	if (!prop || !param) {
		w->failed = true;
		if (param)
			icalparameter_free(param);
		return prop;
	}
	icalproperty_add_parameter(prop, param);
	return prop;
}

static void add_component(struct writer *w, icalcomponent *parent, icalcomponent *child)
{
	if (!parent || !child) {
		w->failed = true;
		if (child)
			icalcomponent_free(child);
		return;
	}
	icalcomponent_add_component(parent, child);
}

/* X-WR-CALNAME. libical 3.0.16 escapes backslashes and newlines in an X
 * property but not commas and semicolons, and pre-escaping cannot work
 * since it would double the backslashes. A value of kind STRING is
 * written as it is, so it carries the text escaped here, with VALUE=TEXT
 * (the default type of an X property, so the same meaning). */
static icalproperty *x_wr_calname(struct writer *w, const char *name)
{
	struct buf escaped;
	icalproperty *prop;
	icalvalue *value;

	buf_init(&escaped);
	for (const char *s = name; *s; s++) {
		switch (*s) {
		case '\\': buf_puts(&escaped, "\\\\"); break;
		case ',': buf_puts(&escaped, "\\,"); break;
		case ';': buf_puts(&escaped, "\\;"); break;
		case '\n': buf_puts(&escaped, "\\n"); break;
		case '\r': break;
		default: buf_putc(&escaped, *s); break;
		}
	}
	if (escaped.failed) {
		buf_release(&escaped);
		w->failed = true;
		return NULL;
	}
	prop = icalproperty_new(ICAL_X_PROPERTY);
	value = icalvalue_new_string(buf_str(&escaped));
	buf_release(&escaped);
	if (!prop || !value) {
		if (prop)
			icalproperty_free(prop);
		if (value)
			icalvalue_free(value);
		w->failed = true;
		return NULL;
	}
	icalproperty_set_x_name(prop, "X-WR-CALNAME");
	icalproperty_set_value(prop, value);
	return with_param(w, prop, icalparameter_new_value(ICAL_VALUE_TEXT));
}

static icalcomponent *vtimezone(struct writer *w, const struct fixed_zone *f)
{
	icalcomponent *tz = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);
	icalcomponent *std = icalcomponent_new(ICAL_XSTANDARD_COMPONENT);

	add(w, tz, icalproperty_new_tzid(f->name));
	add(w, std, icalproperty_new_dtstart(icaltime_from_string(f->since)));
	add(w, std, icalproperty_new_tzoffsetfrom(f->offset));
	add(w, std, icalproperty_new_tzoffsetto(f->offset));
	if (f->abbrev)
		add(w, std, icalproperty_new_tzname(f->abbrev));
	add_component(w, tz, std);
	return tz;
}

/* A VCALENDAR with its header properties and, when times carry a TZID,
 * the VTIMEZONE. request: an iTIP REQUEST (METHOD); otherwise no METHOD,
 * for calendars that people import or subscribe to. */
static icalcomponent *new_calendar(struct writer *w, const char *name, bool request)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);

	add(w, cal, icalproperty_new_prodid(w->o->lang == CAL_LANG_EN ? PRODID_EN : PRODID_VI));
	add(w, cal, icalproperty_new_version("2.0"));
	add(w, cal, icalproperty_new_calscale("GREGORIAN"));
	if (request)
		add(w, cal, icalproperty_new_method(ICAL_METHOD_REQUEST));
	add(w, cal, icalproperty_new_name(name));
	add(w, cal, x_wr_calname(w, name));
	if (w->zone.fixed && w->zone.fixed->since)
		add_component(w, cal, vtimezone(w, w->zone.fixed));
	return cal;
}

/* DTSTART or DTEND at minutes after midnight of date, local to the
 * campaign's zone (minutes may reach 1440, the next midnight). */
static icalproperty *time_prop(struct writer *w, bool end, int date, int minutes)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	struct icaltimetype t = icaltime_null_time();
	int day = date + minutes / 1440;
	icalproperty *prop;

	minutes %= 1440;
	if (w->zone.fixed) {
		if (w->zone.fixed->since) {
			date_to_ymd(day, &t.year, &t.month, &t.day);
			t.hour = minutes / 60;
			t.minute = minutes % 60;
		} else {
			long long epoch = (long long)day * 86400 + minutes * 60LL -
					  w->zone.fixed->offset;

			t = icaltime_from_timet_with_zone((time_t)epoch, 0, utc);
		}
	} else {
		date_to_ymd(day, &t.year, &t.month, &t.day);
		t.hour = minutes / 60;
		t.minute = minutes % 60;
		t.zone = w->zone.convert;
		t = icaltime_convert_to_zone(t, utc);
	}
	prop = end ? icalproperty_new_dtend(t) : icalproperty_new_dtstart(t);
	/* icalproperty_new_dtstart() writes no TZID: add it. */
	if (w->zone.fixed && w->zone.fixed->since)
		prop = with_param(w, prop, icalparameter_new_tzid(w->zone.fixed->name));
	return prop;
}

static icalproperty *date_prop(bool end, int date)
{
	struct icaltimetype t = icaltime_null_date();

	date_to_ymd(date, &t.year, &t.month, &t.day);
	t.is_date = 1;
	return end ? icalproperty_new_dtend(t) : icalproperty_new_dtstart(t);
}

/* A VEVENT's first properties: UID, DTSTAMP, SEQUENCE. */
static icalcomponent *new_event(struct writer *w, const char *uid)
{
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);

	add(w, ev, icalproperty_new_uid(uid));
	add(w, ev, icalproperty_new_dtstamp(w->dtstamp));
	/* Every plan writes SEQUENCE 0: see docs/calendars.md, "Updates". */
	add(w, ev, icalproperty_new_sequence(0));
	return ev;
}

static void add_span(struct writer *w, icalcomponent *ev, int date, int from, int to)
{
	add(w, ev, time_prop(w, false, date, from));
	/* DTEND must be later than DTSTART; an empty window has none. */
	if (to > from)
		add(w, ev, time_prop(w, true, date, to));
}

/* The event of a team's session (team and week calendars). */
static icalcomponent *session_event(struct writer *w, const struct plan_session *s)
{
	char uid[PLAN_UID_SIZE];
	icalcomponent *ev;

	plan_session_uid(w->p, s, uid, sizeof(uid));
	ev = new_event(w, uid);
	add_span(w, ev, s->date, s->start, s->end);
	ical_text_session_summary(scratch(w), w->p, s, w->o->lang);
	add(w, ev, icalproperty_new_summary(scratch_str(w)));
	ical_text_location(scratch(w), &w->c->sites[s->site]);
	add(w, ev, icalproperty_new_location(scratch_str(w)));
	ical_text_session_description(scratch(w), w->p, s, w->o->lang);
	add(w, ev, icalproperty_new_description(scratch_lines(w)));
	add(w, ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	add(w, ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	return ev;
}

static bool session_has_unit(const struct plan_session *s, size_t unit)
{
	for (size_t i = 0; i < s->nvisits; i++)
		if (s->visits[i].unit == unit)
			return true;
	return false;
}

static void unit_window(const struct plan_session *s, size_t unit, int *arrive, int *until)
{
	*arrive = s->start;
	*until = s->end;
	for (size_t i = 0; i < s->nvisits; i++) {
		if (s->visits[i].unit == unit) {
			*arrive = s->visits[i].arrive;
			*until = s->visits[i].until;
			return;
		}
	}
}

static bool has_text(const char *s)
{
	return s && s[0];
}

static bool unit_has_email(const struct unit *u)
{
	return u->has_contact && has_text(u->contact.email);
}

/* The event of unit's people in session s: the same in the unit's
 * invitation and in a school's calendar (one UID), except that the
 * invitation has its ORGANIZER and ATTENDEE. Only the contact's own name
 * appears (in CN), never another person's. */
static icalcomponent *unit_event(struct writer *w, const struct plan_session *s, size_t unit,
				 bool invitation)
{
	const struct unit *u = &w->c->units[unit];
	char uid[PLAN_UID_SIZE];
	icalcomponent *ev;
	icalproperty *prop;
	int arrive, until;

	plan_invite_uid(w->p, s, unit, uid, sizeof(uid));
	ev = new_event(w, uid);
	unit_window(s, unit, &arrive, &until);
	add_span(w, ev, s->date, arrive, until);
	ical_text_unit_summary(scratch(w), w->p, s, unit, w->o->lang);
	add(w, ev, icalproperty_new_summary(scratch_str(w)));
	ical_text_location(scratch(w), &w->c->sites[s->site]);
	add(w, ev, icalproperty_new_location(scratch_str(w)));
	ical_text_unit_description(scratch(w), w->p, s, unit, w->o->lang, invitation);
	add(w, ev, icalproperty_new_description(scratch_lines(w)));
	add(w, ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	add(w, ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	if (!invitation)
		return ev;

	buf_printf(scratch(w), "mailto:%s", w->c->organizer.email);
	prop = icalproperty_new_organizer(scratch_str(w));
	if (has_text(w->c->organizer.name))
		prop = with_param(w, prop, icalparameter_new_cn(w->c->organizer.name));
	add(w, ev, prop);

	buf_printf(scratch(w), "mailto:%s", u->contact.email);
	prop = icalproperty_new_attendee(scratch_str(w));
	prop = with_param(w, prop, icalparameter_new_cn(has_text(u->contact.name) ? u->contact.name
										  : u->name));
	prop = with_param(w, prop, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
	prop = with_param(w, prop, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
	prop = with_param(w, prop, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
	add(w, ev, prop);
	return ev;
}

/* The all-day event of a group's deadline in a school's calendar. Its UID
 * names the group and the unit, not the date, so that a moved deadline
 * updates the event. */
static icalcomponent *deadline_event(struct writer *w, size_t unit, size_t group)
{
	const struct group *g = &w->c->groups[group];
	icalcomponent *ev;

	buf_printf(scratch(w), "deadline.%s.%s.%s@rota", g->id, w->c->units[unit].id, w->c->id);
	ev = new_event(w, scratch_str(w));
	add(w, ev, date_prop(false, g->deadline));
	add(w, ev, date_prop(true, g->deadline + 1));
	ical_text_deadline_summary(scratch(w), w->p, unit, group, w->o->lang);
	add(w, ev, icalproperty_new_summary(scratch_str(w)));
	ical_text_deadline_description(scratch(w), w->p, unit, group, w->o->lang);
	add(w, ev, icalproperty_new_description(scratch_lines(w)));
	add(w, ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	return ev;
}

/*
 * libical 3.0.16 folds a property's text together with its CRLF, as if
 * the line end were two more characters of the value. When the last piece
 * of a property is 73 or 74 octets with no space, colon or semicolon to
 * break at (a long UID, a mailto: address), it breaks inside or just
 * before the line end and writes "\r\r\n \n" (a bare CR, then an LF alone
 * on a continuation line: a broken file) or "\r\n \r\n" (a continuation
 * line holding only the fold's space). Both are undone here and nothing
 * else is touched: every other line stays as libical folded it, and the
 * repaired line is the piece before the fold, at most 75 octets already.
 * Returns the new length.
 */
static size_t repair_folding(char *text)
{
	char *in = text, *out = text;

	while (*in) {
		if (!strncmp(in, "\r\r\n \n", 5)) {
			in += 5;
		} else if (!strncmp(in, "\r\n \r\n", 5)) {
			in += 5;
		} else {
			*out++ = *in++;
			continue;
		}
		*out++ = '\r';
		*out++ = '\n';
	}
	*out = '\0';
	return (size_t)(out - text);
}

/* Serializes cal (and frees it) into out. */
static int finish(struct writer *w, icalcomponent *cal, struct buf *out, struct rota_error *err)
{
	char *text = NULL;
	size_t len;

	if (cal && !w->failed)
		text = icalcomponent_as_ical_string_r(cal);
	if (cal)
		icalcomponent_free(cal);
	if (!text || w->failed) {
		free(text);
		return rota_error_set(err, ROTA_ENOMEM, "out of memory writing calendars");
	}
	len = repair_folding(text);
	buf_putn(out, text, len);
	free(text);
	if (out->failed)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory writing calendars");
	return ROTA_OK;
}

/* Ids become file names: the reader allows [a-z0-9-] only; check again
 * rather than write outside the directory. */
static bool safe_name(const char *id)
{
	if (!id || !id[0] || id[0] == '.')
		return false;
	for (const char *s = id; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_' || *s == '.'))
			return false;
	return true;
}

static int write_file(struct writer *w, const char *path, const struct buf *data,
		      struct rota_error *err)
{
	return w->sink(w->sink_ctx, path, data->data ? data->data : "", data->len, err);
}

static int write_team_calendars(struct writer *w, struct buf *notes,
				struct rota_error *err)
{
	struct buf name, path, ics;
	int rc = ROTA_OK;

	buf_init(&name);
	buf_init(&path);
	buf_init(&ics);
	for (size_t t = 0; t < w->c->nteams && !rc; t++) {
		icalcomponent *cal;
		size_t n = 0;

		for (size_t i = 0; i < w->p->nsessions; i++)
			n += w->p->sessions[i].team == t;
		if (!n) {
			buf_printf(notes, w->o->lang == CAL_LANG_EN ? "team %s: no session, no calendar\n"
						   : "tổ %s: không có phiên, không có lịch\n",
				   w->c->teams[t].id);
			continue;
		}
		if (!safe_name(w->c->teams[t].id)) {
			rc = rota_error_set(err, ROTA_EINPUT, "team id '%s' cannot name a file",
					    w->c->teams[t].id);
			break;
		}
		buf_release(&name);
		ical_text_team_calendar_name(&name, w->p, t, w->o->lang);
		if (name.failed)
			w->failed = true;
		cal = new_calendar(w, buf_str(&name), false);
		for (size_t i = 0; i < w->p->nsessions; i++)
			if (w->p->sessions[i].team == t)
				add_component(w, cal, session_event(w, &w->p->sessions[i]));
		buf_release(&ics);
		rc = finish(w, cal, &ics, err);
		if (rc)
			break;
		buf_release(&path);
		buf_printf(&path, "calendars/teams/%s.ics", w->c->teams[t].id);
		rc = path.failed ? rota_error_set(err, ROTA_ENOMEM, "out of memory")
				 : write_file(w, path.data, &ics, err);
	}
	buf_release(&name);
	buf_release(&path);
	buf_release(&ics);
	return rc;
}

static bool unit_has_group(const struct unit *u, size_t group, size_t before)
{
	for (size_t d = 0; d < before; d++)
		if (u->demand[d].group == group && u->demand[d].count > 0)
			return true;
	return false;
}

static int write_school_calendars(struct writer *w, struct buf *notes,
				  struct rota_error *err)
{
	struct buf name, path, ics;
	int rc = ROTA_OK;

	buf_init(&name);
	buf_init(&path);
	buf_init(&ics);
	for (size_t unit = 0; unit < w->c->nunits && !rc; unit++) {
		const struct unit *u = &w->c->units[unit];
		icalcomponent *cal;
		size_t n = 0;

		if (u->kind != UNIT_SCHOOL)
			continue;
		for (size_t i = 0; i < w->p->nsessions; i++)
			n += session_has_unit(&w->p->sessions[i], unit);
		if (!n) {
			buf_printf(notes, w->o->lang == CAL_LANG_EN
						   ? "school %s: no session, no calendar\n"
						   : "trường %s: không có phiên, không có lịch\n",
				   u->id);
			continue;
		}
		if (!safe_name(u->id)) {
			rc = rota_error_set(err, ROTA_EINPUT, "unit id '%s' cannot name a file", u->id);
			break;
		}
		buf_release(&name);
		ical_text_unit_calendar_name(&name, w->p, unit, w->o->lang);
		if (name.failed)
			w->failed = true;
		cal = new_calendar(w, buf_str(&name), false);
		for (size_t i = 0; i < w->p->nsessions; i++)
			if (session_has_unit(&w->p->sessions[i], unit))
				add_component(w, cal, unit_event(w, &w->p->sessions[i], unit, false));
		for (size_t d = 0; d < u->ndemand; d++) {
			size_t group = u->demand[d].group;

			if (u->demand[d].count > 0 && !unit_has_group(u, group, d))
				add_component(w, cal, deadline_event(w, unit, group));
		}
		buf_release(&ics);
		rc = finish(w, cal, &ics, err);
		if (rc)
			break;
		buf_release(&path);
		buf_printf(&path, "calendars/schools/%s.ics", u->id);
		rc = path.failed ? rota_error_set(err, ROTA_ENOMEM, "out of memory")
				 : write_file(w, path.data, &ics, err);
	}
	buf_release(&name);
	buf_release(&path);
	buf_release(&ics);
	return rc;
}

/* The domain of an address, for Message-IDs; "rota" when it has none
 * that is plain. */
static const char *mail_domain(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;

	if (!at || !at[1])
		return "rota";
	for (const char *s = at + 1; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
			return "rota";
	return at + 1;
}

/* FNV-1a: a short, stable name for a long one. */
static uint64_t fnv1a(const char *s)
{
	uint64_t hash = 14695981039346656037ULL;

	for (; *s; s++) {
		hash ^= (unsigned char)*s;
		hash *= 1099511628211ULL;
	}
	return hash;
}

static int write_mail(struct writer *w, const struct plan_session *s,
		      size_t unit, const char *session_name, const struct buf *ics,
		      struct rota_error *err)
{
	const struct unit *u = &w->c->units[unit];
	struct ical_mail m;
	struct buf subject, text, id, mail, path;
	char uid[PLAN_UID_SIZE];
	int rc;

	buf_init(&subject);
	buf_init(&text);
	buf_init(&id);
	buf_init(&mail);
	buf_init(&path);
	ical_text_mail_subject(&subject, w->p, s, unit, w->o->lang);
	ical_text_mail_body(&text, w->p, s, unit, w->o->lang);
	/* Deterministic, and new for each DTSTAMP: a later plan is a new
	 * mail. The invitation's UID can be 300 octets: a hash keeps the
	 * header short. */
	plan_invite_uid(w->p, s, unit, uid, sizeof(uid));
	buf_printf(&id, "rota.%lld.%016llx@%s", w->o->dtstamp, (unsigned long long)fnv1a(uid),
		   mail_domain(w->c->organizer.email));
	memset(&m, 0, sizeof(m));
	m.from_name = w->c->organizer.name;
	m.from_addr = w->c->organizer.email;
	m.to_name = has_text(u->contact.name) ? u->contact.name : u->name;
	m.to_addr = u->contact.email;
	m.subject = buf_str(&subject);
	m.message_id = buf_str(&id);
	m.date = w->o->dtstamp;
	m.method = "REQUEST";
	m.text = buf_str(&text);
	m.ics = ics->data;
	m.ics_len = ics->len;
	ical_mail_format(&mail, &m);
	buf_printf(&path, "mail/%s/%s.eml", u->id, session_name);
	if (subject.failed || text.failed || id.failed || mail.failed || path.failed)
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory writing mail");
	else
		rc = write_file(w, path.data, &mail, err);
	buf_release(&subject);
	buf_release(&text);
	buf_release(&id);
	buf_release(&mail);
	buf_release(&path);
	return rc;
}

static int write_invitations(struct writer *w, struct buf *notes,
			     struct rota_error *err)
{
	struct buf name, path, ics;
	int rc = ROTA_OK;
	bool any_email = false;

	for (size_t unit = 0; unit < w->c->nunits; unit++)
		any_email = any_email || unit_has_email(&w->c->units[unit]);
	if (!any_email)
		return ROTA_OK;
	if (!has_text(w->c->organizer.email)) {
		buf_puts(notes, w->o->lang == CAL_LANG_EN
					? "campaign: the organizer has no email, no invitation\n"
					: "chiến dịch: đơn vị tổ chức không có email, không có thư mời\n");
		return ROTA_OK;
	}
	buf_init(&name);
	buf_init(&path);
	buf_init(&ics);
	for (size_t unit = 0; unit < w->c->nunits && !rc; unit++) {
		const struct unit *u = &w->c->units[unit];
		size_t n = 0;

		if (!unit_has_email(u))
			continue;
		if (!safe_name(u->id)) {
			rc = rota_error_set(err, ROTA_EINPUT, "unit id '%s' cannot name a file", u->id);
			break;
		}
		for (size_t i = 0; i < w->p->nsessions && !rc; i++) {
			const struct plan_session *s = &w->p->sessions[i];
			char session_name[PLAN_NAME_SIZE];
			icalcomponent *cal;

			if (!session_has_unit(s, unit))
				continue;
			n++;
			buf_release(&name);
			ical_text_unit_calendar_name(&name, w->p, unit, w->o->lang);
			if (name.failed)
				w->failed = true;
			cal = new_calendar(w, buf_str(&name), true);
			add_component(w, cal, unit_event(w, s, unit, true));
			buf_release(&ics);
			rc = finish(w, cal, &ics, err);
			if (rc)
				break;
			plan_session_name(w->p, s, session_name, sizeof(session_name));
			buf_release(&path);
			buf_printf(&path, "invites/%s/%s.ics", u->id, session_name);
			rc = path.failed ? rota_error_set(err, ROTA_ENOMEM, "out of memory")
					 : write_file(w, path.data, &ics, err);
			if (!rc && w->o->mail)
				rc = write_mail(w, s, unit, session_name, &ics, err);
		}
		if (!rc && !n)
			buf_printf(notes, w->o->lang == CAL_LANG_EN
						   ? "unit %s: contact email but no session, no invitation\n"
						   : "đơn vị %s: có email nhưng không có phiên, không có thư mời\n",
				   u->id);
	}
	buf_release(&name);
	buf_release(&path);
	buf_release(&ics);
	return rc;
}

int ical_calendar_emit(const struct plan *p, const struct cal_options *o, ical_sink_fn sink,
		       void *ctx, struct buf *notes, struct rota_error *err)
{
	struct writer w;
	int rc;

	rc = writer_init(&w, p, o, err);
	w.sink = sink;
	w.sink_ctx = ctx;
	if (!rc)
		rc = write_team_calendars(&w, notes, err);
	if (!rc)
		rc = write_school_calendars(&w, notes, err);
	if (!rc)
		rc = write_invitations(&w, notes, err);
	if (!rc && notes->failed)
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory writing calendars");
	writer_release(&w);
	return rc;
}

static int outdir_sink(void *ctx, const char *relpath, const char *data, size_t len,
		       struct rota_error *err)
{
	return outdir_write(ctx, relpath, data, len, err);
}

int calendar_write_all(const struct plan *p, const struct cal_options *o, struct outdir *dir,
		       struct buf *notes, struct rota_error *err)
{
	return ical_calendar_emit(p, o, outdir_sink, dir, notes, err);
}

int calendar_week(const struct plan *p, int monday, const struct cal_options *o,
		  struct buf *table, struct buf *ics, struct rota_error *err)
{
	struct writer w;
	icalcomponent *cal;
	size_t count;
	int rc;

	count = ical_text_week_table(table, p, monday, o->lang);
	if (table->failed)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory writing the week");
	if (!count)
		return 0;
	rc = writer_init(&w, p, o, err);
	if (rc) {
		writer_release(&w);
		return rc;
	}
	ical_text_week_calendar_name(scratch(&w), p, monday, o->lang);
	cal = new_calendar(&w, scratch_str(&w), false);
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		if (s->date >= monday && s->date < monday + 7)
			add_component(&w, cal, session_event(&w, s));
	}
	rc = finish(&w, cal, ics, err);
	writer_release(&w);
	return rc ? rc : (int)count;
}
