/*
 * calendar.c - the plan as iCalendar files: team and school calendars,
 * invitations (iTIP REQUEST) and their iMIP mails, the outbox of a plan
 * (REQUESTs and CANCELs: what changed since the previous plan), the week's
 * calendar, and the keys that tell whether an event changed.
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
	const struct plan *old; /* the previous plan (outbox); NULL on a first plan */
	struct zone zone;
	struct icaltimetype dtstamp;
	ical_sink_fn sink; /* where files go */
	void *sink_ctx;
	bool failed;     /* libical or a buffer ran out of memory */
	bool key_mode;   /* events without DTSTAMP and SEQUENCE (event keys) */
	struct buf text; /* scratch for property values */
};

/* Writers alive that use libical's zone data (see zone_release). */
static int zone_users;

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
	if (w->zone.convert)
		zone_users++;
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
	 * so that a leak checker sees a clean exit, once no writer uses them
	 * (the outbox has a writer of the previous plan beside this one). */
	if (w->zone.convert && --zone_users == 0)
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
 * the VTIMEZONE. method: an iTIP REQUEST or CANCEL; ICAL_METHOD_NONE for
 * calendars that people import or subscribe to (no METHOD). */
static icalcomponent *new_calendar(struct writer *w, const char *name,
				   icalproperty_method method)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);

	add(w, cal, icalproperty_new_prodid(w->o->lang == LANG_EN ? PRODID_EN : PRODID_VI));
	add(w, cal, icalproperty_new_version("2.0"));
	add(w, cal, icalproperty_new_calscale("GREGORIAN"));
	if (method != ICAL_METHOD_NONE)
		add(w, cal, icalproperty_new_method(method));
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

/* A VEVENT's first properties: UID, DTSTAMP, SEQUENCE (the event's iTIP
 * sequence, sequence.c; docs/calendars.md, "Re-planning"). An event key
 * has neither DTSTAMP nor SEQUENCE. */
static icalcomponent *new_event(struct writer *w, const char *uid, int sequence)
{
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);

	add(w, ev, icalproperty_new_uid(uid));
	if (w->key_mode)
		return ev;
	add(w, ev, icalproperty_new_dtstamp(w->dtstamp));
	add(w, ev, icalproperty_new_sequence(sequence < 0 ? 0 : sequence));
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
	ev = new_event(w, uid, s->sequence);
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

/* Whether unit's people are invited to s: a visit of count 0 (people who
 * came uninvited to a held session, replan-v1 rule 1) is no invitation. */
static bool session_has_unit(const struct plan_session *s, size_t unit)
{
	for (size_t i = 0; i < s->nvisits; i++)
		if (s->visits[i].unit == unit && s->visits[i].count > 0)
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
 * appears (in CN), never another person's. cancel (an invitation of the
 * previous plan, w->p, that the new plan cancelled) makes it the event of
 * a METHOD:CANCEL: STATUS:CANCELLED, the cancellation's sequence. */
static icalcomponent *unit_event(struct writer *w, const struct plan_session *s, size_t unit,
				 bool invitation, const struct plan_cancelled *cancel)
{
	const struct unit *u = &w->c->units[unit];
	const struct plan_invitation *inv = plan_invitation_of(s, unit);
	char uid[PLAN_UID_SIZE];
	icalcomponent *ev;
	icalproperty *prop;
	int arrive, until;

	plan_invite_uid(w->p, s, unit, uid, sizeof(uid));
	ev = new_event(w, uid, cancel ? cancel->sequence : inv ? inv->sequence : 0);
	unit_window(s, unit, &arrive, &until);
	add_span(w, ev, s->date, arrive, until);
	buf_puts(scratch(w), cancel ? ical_text_cancelled_prefix(w->o->lang) : "");
	ical_text_unit_summary(&w->text, w->p, s, unit, w->o->lang);
	add(w, ev, icalproperty_new_summary(scratch_str(w)));
	ical_text_location(scratch(w), &w->c->sites[s->site]);
	add(w, ev, icalproperty_new_location(scratch_str(w)));
	ical_text_unit_description(scratch(w), w->p, s, unit, w->o->lang, invitation && !cancel);
	if (cancel)
		ical_text_cancel_reason(&w->text, cancel->reason, w->o->lang);
	add(w, ev, icalproperty_new_description(scratch_lines(w)));
	add(w, ev, icalproperty_new_status(cancel ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	add(w, ev, icalproperty_new_transp(cancel ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
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
	/* Deadlines are not tracked from plan to plan: a moved deadline is
	 * carried by the subscription or import (docs/calendars.md). */
	ev = new_event(w, scratch_str(w), 0);
	add(w, ev, date_prop(false, g->deadline));
	add(w, ev, date_prop(true, g->deadline + 1));
	ical_text_deadline_summary(scratch(w), w->p, unit, group, w->o->lang);
	add(w, ev, icalproperty_new_summary(scratch_str(w)));
	ical_text_deadline_description(scratch(w), w->p, unit, group, w->o->lang);
	add(w, ev, icalproperty_new_description(scratch_lines(w)));
	add(w, ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	return ev;
}

/* Whether a cancelled event stays in the team and school calendars of
 * w->p: dated from its today on (replan-v1, "What is sent"), with its
 * sequence assigned. */
static bool cancelled_shown(const struct writer *w, const struct plan_cancelled *ev)
{
	return w->p->today >= 0 && ev->date >= w->p->today && ev->sequence >= 0 && ev->uid;
}

/* A cancelled event as the team or school calendar keeps it, from its
 * record alone (the campaign may have lost its site or unit since):
 * STATUS:CANCELLED and the cancellation's sequence, so that a calendar
 * that imports or subscribes to the file drops the event it held. */
static icalcomponent *cancelled_event(struct writer *w, const struct plan_cancelled *c)
{
	icalcomponent *ev = new_event(w, c->uid, c->sequence);

	if (c->invitation)
		add_span(w, ev, c->date, c->arrive, c->until);
	else
		add_span(w, ev, c->date, c->start, c->end);
	ical_text_cancelled_summary(scratch(w), w->c, c, w->o->lang);
	add(w, ev, icalproperty_new_summary(scratch_str(w)));
	for (size_t i = 0; c->site && i < w->c->nsites; i++) {
		if (!strcmp(w->c->sites[i].id, c->site)) {
			ical_text_location(scratch(w), &w->c->sites[i]);
			add(w, ev, icalproperty_new_location(scratch_str(w)));
			break;
		}
	}
	ical_text_cancelled_description(scratch(w), w->c, c, w->o->lang);
	add(w, ev, icalproperty_new_description(scratch_lines(w)));
	add(w, ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
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

/* Whether ev is a cancelled session event that team t's calendar keeps. */
static bool cancelled_team_event(const struct writer *w, const struct plan_cancelled *ev,
				 size_t t)
{
	return !ev->invitation && cancelled_shown(w, ev) && ev->team &&
	       !strcmp(ev->team, w->c->teams[t].id);
}

/* Whether ev is a cancelled invitation that school unit's calendar keeps. */
static bool cancelled_school_event(const struct writer *w, const struct plan_cancelled *ev,
				   size_t unit)
{
	return ev->invitation && cancelled_shown(w, ev) && ev->unit &&
	       !strcmp(ev->unit, w->c->units[unit].id);
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
		/* A calendar of cancelled events only is still written, so
		 * that its subscribers drop them. */
		for (size_t i = 0; i < w->p->ncancelled; i++)
			n += cancelled_team_event(w, &w->p->cancelled[i], t);
		if (!n) {
			buf_printf(notes, w->o->lang == LANG_EN ? "team %s: no session, no calendar\n"
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
		cal = new_calendar(w, buf_str(&name), ICAL_METHOD_NONE);
		for (size_t i = 0; i < w->p->nsessions; i++)
			if (w->p->sessions[i].team == t)
				add_component(w, cal, session_event(w, &w->p->sessions[i]));
		for (size_t i = 0; i < w->p->ncancelled; i++)
			if (cancelled_team_event(w, &w->p->cancelled[i], t))
				add_component(w, cal, cancelled_event(w, &w->p->cancelled[i]));
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
		for (size_t i = 0; i < w->p->ncancelled; i++)
			n += cancelled_school_event(w, &w->p->cancelled[i], unit);
		if (!n) {
			buf_printf(notes, w->o->lang == LANG_EN
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
		cal = new_calendar(w, buf_str(&name), ICAL_METHOD_NONE);
		for (size_t i = 0; i < w->p->nsessions; i++)
			if (session_has_unit(&w->p->sessions[i], unit))
				add_component(w, cal,
					      unit_event(w, &w->p->sessions[i], unit, false, NULL));
		for (size_t i = 0; i < w->p->ncancelled; i++)
			if (cancelled_school_event(w, &w->p->cancelled[i], unit))
				add_component(w, cal, cancelled_event(w, &w->p->cancelled[i]));
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

/* Writes the iMIP mail of unit's invitation to s (or of its cancel) at
 * relpath: the MIME method is the calendar's METHOD (RFC 6047 2.4). */
static int write_mail(struct writer *w, const struct plan_session *s, size_t unit,
		      const char *relpath, const struct plan_cancelled *cancel,
		      const struct buf *ics, struct rota_error *err)
{
	const struct unit *u = &w->c->units[unit];
	struct ical_mail m;
	struct buf subject, text, id, mail;
	char uid[PLAN_UID_SIZE];
	int rc;

	buf_init(&subject);
	buf_init(&text);
	buf_init(&id);
	buf_init(&mail);
	if (cancel) {
		ical_text_cancel_mail_subject(&subject, w->p, s, unit, w->o->lang);
		ical_text_cancel_mail_body(&text, w->p, s, unit, cancel->reason, w->o->lang);
	} else {
		ical_text_mail_subject(&subject, w->p, s, unit, w->o->lang);
		ical_text_mail_body(&text, w->p, s, unit, w->o->lang);
	}
	/* Deterministic, and new for each DTSTAMP: a later plan is a new
	 * mail. The invitation's UID can be 300 octets: a hash keeps the
	 * header short. */
	plan_invite_uid(w->p, s, unit, uid, sizeof(uid));
	buf_printf(&id, "rota.%s%lld.%016llx@%s", cancel ? "cancel." : "", w->o->dtstamp,
		   (unsigned long long)fnv1a(uid), mail_domain(w->c->organizer.email));
	memset(&m, 0, sizeof(m));
	m.from_name = w->c->organizer.name;
	m.from_addr = w->c->organizer.email;
	m.to_name = has_text(u->contact.name) ? u->contact.name : u->name;
	m.to_addr = u->contact.email;
	m.subject = buf_str(&subject);
	m.message_id = buf_str(&id);
	m.date = w->o->dtstamp;
	m.method = cancel ? "CANCEL" : "REQUEST";
	m.text = buf_str(&text);
	m.ics = ics->data;
	m.ics_len = ics->len;
	ical_mail_format(&mail, &m);
	if (subject.failed || text.failed || id.failed || mail.failed)
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory writing mail");
	else
		rc = write_file(w, relpath, &mail, err);
	buf_release(&subject);
	buf_release(&text);
	buf_release(&id);
	buf_release(&mail);
	return rc;
}

/* The iTIP message of unit's invitation to s: a REQUEST, or with cancel
 * the CANCEL of it (w then writes the previous plan). */
static int invitation_ics(struct writer *w, const struct plan_session *s, size_t unit,
			  const struct plan_cancelled *cancel, struct buf *ics,
			  struct rota_error *err)
{
	struct buf name;
	icalcomponent *cal;

	buf_init(&name);
	ical_text_unit_calendar_name(&name, w->p, unit, w->o->lang);
	if (name.failed)
		w->failed = true;
	cal = new_calendar(w, buf_str(&name), cancel ? ICAL_METHOD_CANCEL : ICAL_METHOD_REQUEST);
	add_component(w, cal, unit_event(w, s, unit, true, cancel));
	buf_release(&name);
	buf_release(ics);
	return finish(w, cal, ics, err);
}

/* Writes ics as DIR/UNIT/SESSION.ics and, with --mail, its mail as
 * MAILDIR/UNIT/SESSION.eml. */
static int write_message(struct writer *w, const char *dir, const char *maildir,
			 const struct plan_session *s, size_t unit,
			 const struct plan_cancelled *cancel, const struct buf *ics,
			 struct rota_error *err)
{
	char session_name[PLAN_NAME_SIZE];
	struct buf path;
	int rc;

	buf_init(&path);
	plan_session_name(w->p, s, session_name, sizeof(session_name));
	buf_printf(&path, "%s/%s/%s.ics", dir, w->c->units[unit].id, session_name);
	rc = path.failed ? rota_error_set(err, ROTA_ENOMEM, "out of memory")
			 : write_file(w, path.data, ics, err);
	if (!rc && w->o->mail) {
		buf_release(&path);
		buf_printf(&path, "%s/%s/%s.eml", maildir, w->c->units[unit].id, session_name);
		rc = path.failed ? rota_error_set(err, ROTA_ENOMEM, "out of memory")
				 : write_mail(w, s, unit, path.data, cancel, ics, err);
	}
	buf_release(&path);
	return rc;
}

/* Whether unit's invitation to s goes to the outbox: on a first plan
 * every invitation; on a re-plan the new and changed ones. */
static bool to_send(const struct writer *w, const struct plan_session *s, size_t unit)
{
	const struct plan_invitation *inv;

	if (!w->old)
		return true;
	inv = plan_invitation_of(s, unit);
	return inv && inv->change != PLAN_CHANGE_NONE;
}

static int write_invitations(struct writer *w, struct buf *notes,
			     struct rota_error *err)
{
	struct buf ics;
	int rc = ROTA_OK;
	bool any_email = false;

	for (size_t unit = 0; unit < w->c->nunits; unit++)
		any_email = any_email || unit_has_email(&w->c->units[unit]);
	if (!any_email)
		return ROTA_OK;
	if (!has_text(w->c->organizer.email)) {
		buf_puts(notes, w->o->lang == LANG_EN
					? "campaign: the organizer has no email, no invitation\n"
					: "chiến dịch: đơn vị tổ chức không có email, không có thư mời\n");
		return ROTA_OK;
	}
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

			if (!session_has_unit(s, unit))
				continue;
			n++;
			rc = invitation_ics(w, s, unit, NULL, &ics, err);
			if (!rc)
				rc = write_message(w, "invites", "mail", s, unit, NULL, &ics, err);
			if (!rc && to_send(w, s, unit))
				rc = write_message(w, "outbox", "outbox", s, unit, NULL, &ics, err);
		}
		if (!rc && !n)
			buf_printf(notes, w->o->lang == LANG_EN
						   ? "unit %s: contact email but no session, no invitation\n"
						   : "đơn vị %s: có email nhưng không có phiên, không có thư mời\n",
				   u->id);
	}
	buf_release(&ics);
	return rc;
}

/* The session of old and the unit whose invitation has uid. */
static bool find_invitation(const struct plan *old, const char *uid,
			    const struct plan_session **s_out, size_t *unit_out)
{
	char this_uid[PLAN_UID_SIZE];

	for (size_t i = 0; i < old->nsessions; i++) {
		const struct plan_session *s = &old->sessions[i];

		for (size_t v = 0; v < s->nvisits; v++) {
			if (!s->visits[v].count)
				continue;
			plan_invite_uid(old, s, s->visits[v].unit, this_uid, sizeof(this_uid));
			if (!strcmp(this_uid, uid)) {
				*s_out = s;
				*unit_out = s->visits[v].unit;
				return true;
			}
		}
	}
	return false;
}

/* The outbox's CANCELs: every invitation that this plan cancelled
 * (cancelled_on its today), as the previous plan published it, rendered
 * with the previous plan and its campaign (the unit, its e-mail or the
 * site may be gone from the new one). Events cancelled by an earlier plan
 * were sent then. */
static int write_cancels(struct writer *w, struct rota_error *err)
{
	const struct plan *old = w->old;
	struct writer wo;
	struct buf ics;
	bool ready = false;
	int rc = ROTA_OK;

	if (!old)
		return ROTA_OK;
	buf_init(&ics);
	for (size_t i = 0; i < w->p->ncancelled && !rc; i++) {
		const struct plan_cancelled *ev = &w->p->cancelled[i];
		const struct plan_session *s;
		const struct unit *u;
		size_t unit;

		if (!ev->invitation || !ev->uid || ev->sequence < 0 || ev->cancelled_on != w->p->today)
			continue;
		if (!find_invitation(old, ev->uid, &s, &unit))
			continue; /* carried from an earlier plan: sent then */
		u = &old->campaign->units[unit];
		if (!unit_has_email(u) || !has_text(old->campaign->organizer.email))
			continue;
		if (!safe_name(u->id)) {
			rc = rota_error_set(err, ROTA_EINPUT, "unit id '%s' cannot name a file", u->id);
			break;
		}
		if (!ready) {
			ready = true;
			rc = writer_init(&wo, old, w->o, err);
			wo.sink = w->sink;
			wo.sink_ctx = w->sink_ctx;
			if (rc)
				break;
		}
		rc = invitation_ics(&wo, s, unit, ev, &ics, err);
		if (!rc)
			rc = write_message(&wo, "outbox", "outbox", s, unit, ev, &ics, err);
	}
	if (ready)
		writer_release(&wo);
	buf_release(&ics);
	return rc;
}

int ical_calendar_emit(const struct plan *p, const struct plan *old, const struct cal_options *o,
		       ical_sink_fn sink, void *ctx, struct buf *notes, struct rota_error *err)
{
	struct writer w;
	int rc;

	rc = writer_init(&w, p, o, err);
	w.old = old;
	w.sink = sink;
	w.sink_ctx = ctx;
	if (!rc)
		rc = write_team_calendars(&w, notes, err);
	if (!rc)
		rc = write_school_calendars(&w, notes, err);
	if (!rc)
		rc = write_invitations(&w, notes, err);
	if (!rc)
		rc = write_cancels(&w, err);
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

int calendar_write_all(const struct plan *p, const struct plan *old, const struct cal_options *o,
		       struct outdir *dir, struct buf *notes, struct rota_error *err)
{
	return ical_calendar_emit(p, old, o, outdir_sink, dir, notes, err);
}

struct cal_keys {
	struct writer w;
};

int calendar_keys_new(struct cal_keys **out, const struct plan *p, const struct cal_options *o,
		      struct rota_error *err)
{
	struct cal_keys *k = calloc(1, sizeof(*k));
	int rc;

	*out = NULL;
	if (!k)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	rc = writer_init(&k->w, p, o, err);
	if (rc) {
		writer_release(&k->w);
		free(k);
		return rc;
	}
	k->w.key_mode = true;
	*out = k;
	return ROTA_OK;
}

void calendar_keys_free(struct cal_keys *k)
{
	if (!k)
		return;
	writer_release(&k->w);
	free(k);
}

int calendar_event_key(struct cal_keys *k, const struct plan_session *s, long unit,
		       struct buf *out, struct rota_error *err)
{
	struct writer *w = &k->w;
	icalcomponent *ev;
	char *text = NULL;

	if (unit < 0) {
		ev = session_event(w, s);
	} else {
		const struct unit *u = &w->c->units[unit];

		/* As the unit's people see it: the invitation when it has one,
		 * else the school calendar's event. */
		ev = unit_event(w, s, (size_t)unit,
				unit_has_email(u) && has_text(w->c->organizer.email), NULL);
	}
	if (ev && !w->failed)
		text = icalcomponent_as_ical_string_r(ev);
	if (ev)
		icalcomponent_free(ev);
	if (!text) {
		w->failed = false;
		return rota_error_set(err, ROTA_ENOMEM, "out of memory comparing events");
	}
	buf_puts(out, text);
	free(text);
	if (out->failed)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory comparing events");
	return ROTA_OK;
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
	cal = new_calendar(&w, scratch_str(&w), ICAL_METHOD_NONE);
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		if (s->date >= monday && s->date < monday + 7)
			add_component(&w, cal, session_event(&w, s));
	}
	rc = finish(&w, cal, ics, err);
	writer_release(&w);
	return rc ? rc : (int)count;
}
