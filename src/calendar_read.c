/*
 * calendar_read.c - dates out of an .ics file, behind libical (the other
 * libical user, calendar.c, writes). libical does not fail on bad input:
 * it adds X-LIC-ERROR properties, which are counted and reported here.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libical/ical.h>

#include "calendar_read.h"
#include "date.h"
#include "banned.h"

struct events {
	struct cal_event *items;
	size_t count, alloc;
	int oom;
};

void cal_events_free(struct cal_event *events, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(events[i].summary);
	free(events);
}

static int time_date(struct icaltimetype t)
{
	return date_from_ymd(t.year, t.month, t.day);
}

static void add_event(struct events *e, int first_date, int last_date, const char *summary)
{
	struct cal_event *ev;

	if (e->oom)
		return;
	if (grow_array(&e->items, &e->alloc, e->count + 1, sizeof(*e->items))) {
		e->oom = 1;
		return;
	}
	ev = &e->items[e->count];
	ev->dates.first = first_date;
	ev->dates.last = last_date;
	ev->summary = xstrdup(summary ? summary : "");
	if (!ev->summary) {
		e->oom = 1;
		return;
	}
	e->count++;
}

/* The dates one occurrence covers: an all-day event up to the day before
 * its end, a timed one every date it touches (an end at midnight does not
 * touch the next day). */
static void occurrence_dates(struct icaltimetype start, struct icaltimetype end, int *first,
			     int *last)
{
	*first = time_date(start);
	if (icaltime_is_null_time(end)) {
		*last = *first;
		return;
	}
	*last = time_date(end);
	if (start.is_date || (end.hour == 0 && end.minute == 0 && end.second == 0))
		(*last)--;
	if (*last < *first)
		*last = *first;
}

static bool is_excluded(icalcomponent *ev, int date)
{
	for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY))
		if (time_date(icalproperty_get_exdate(p)) == date)
			return true;
	return false;
}

static void read_event(icalcomponent *ev, icaltimezone *zone, int first, int last,
		       struct events *e, struct diags *d)
{
	struct icaltimetype start = icalcomponent_get_dtstart(ev);
	struct icaltimetype end = icalcomponent_get_dtend(ev);
	const char *summary = icalcomponent_get_summary(ev);
	icalproperty *rrule = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
	int length, a, b;

	if (!summary)
		summary = "";
	if (icaltime_is_null_time(start) || !icaltime_is_valid_time(start)) {
		diags_add(d, DIAG_ERROR, 0, 0, "", "event '%s' has no valid DTSTART", summary);
		return;
	}
	if (zone && icaltime_is_utc(start) && !start.is_date) {
		start = icaltime_convert_to_zone(start, zone);
		if (!icaltime_is_null_time(end))
			end = icaltime_convert_to_zone(end, zone);
	}
	if (!icaltime_is_null_time(end) && icaltime_compare(end, start) < 0) {
		diags_add(d, DIAG_ERROR, 0, 0, "", "event '%s' ends before it starts", summary);
		return;
	}
	occurrence_dates(start, end, &a, &b);
	length = b - a;
	if (!rrule) {
		if (b >= first && a <= last)
			add_event(e, a, b, summary);
		return;
	}
	{
		struct icalrecurrencetype rule = icalproperty_get_rrule(rrule);
		icalrecur_iterator *it = icalrecur_iterator_new(rule, start);

		if (!it) {
			diags_add(d, DIAG_ERROR, 0, 0, "", "event '%s' has a RRULE libical cannot follow",
				  summary);
			return;
		}
		for (int n = 0; n < ICS_MAX_OCCURRENCES; n++) {
			struct icaltimetype t = icalrecur_iterator_next(it);
			int date;

			if (icaltime_is_null_time(t))
				break;
			date = time_date(t);
			if (date > last)
				break;
			if (date + length >= first && !is_excluded(ev, date))
				add_event(e, date, date + length, summary);
		}
		icalrecur_iterator_free(it);
	}
}

/* Reports every X-LIC-ERROR that libical left in c and below it. */
static void report_parse_errors(icalcomponent *c, struct diags *d)
{
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
		const char *text = icalproperty_get_xlicerror(p);

		diags_add(d, DIAG_ERROR, 0, 0, "", "malformed calendar: %s", text ? text : "?");
	}
	for (icalcomponent *sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); sub;
	     sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		report_parse_errors(sub, d);
}

/*
 * libical's parser prints some of its complaints ("Encountered END before
 * BEGIN") straight to standard error, half a line without a newline, and
 * offers no switch: standard error points at /dev/null while it parses.
 * `rota import` reads calendars from one thread, before anything else.
 */
static icalcomponent *parse_quietly(const char *text)
{
	icalcomponent *root;
	int saved, null_fd;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	null_fd = open("/dev/null", O_WRONLY);
	if (saved >= 0 && null_fd >= 0)
		dup2(null_fd, STDERR_FILENO);
	root = icalparser_parse_string(text);
	if (saved >= 0 && null_fd >= 0) {
		fflush(stderr);
		dup2(saved, STDERR_FILENO);
	}
	if (saved >= 0)
		close(saved);
	if (null_fd >= 0)
		close(null_fd);
	return root;
}

static int event_cmp(const void *pa, const void *pb)
{
	const struct cal_event *a = pa, *b = pb;

	if (a->dates.first != b->dates.first)
		return a->dates.first < b->dates.first ? -1 : 1;
	if (a->dates.last != b->dates.last)
		return a->dates.last < b->dates.last ? -1 : 1;
	return strcmp(a->summary, b->summary);
}

int calendar_read_events(struct cal_event **out, size_t *count, const char *data, size_t len,
			 const char *zone_name, int first, int last, struct diags *d)
{
	struct events e = { NULL, 0, 0, 0 };
	icalcomponent *root = NULL;
	icaltimezone *zone = NULL;
	size_t errors_before = d->errors;
	char *text;
	int rc = ROTA_OK;
	size_t nevents = 0;

	*out = NULL;
	*count = 0;
	/* libical reads a NUL-terminated string; a NUL inside would cut the
	 * file short without a word. */
	if (memchr(data, '\0', len)) {
		diags_add(d, DIAG_ERROR, 0, 0, "", "not an iCalendar file: it holds a NUL byte");
		return ROTA_EINPUT;
	}
	text = malloc(len + 1);
	if (!text)
		return ROTA_ENOMEM;
	memcpy(text, data, len);
	text[len] = '\0';
	icalerror_set_errors_are_fatal(0);
	root = parse_quietly(text);
	free(text);
	if (!root || icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
		diags_add(d, DIAG_ERROR, 0, 0, "", "not an iCalendar file: no VCALENDAR found");
		rc = ROTA_EINPUT;
		goto out;
	}
	if (icalcomponent_count_errors(root) > 0) {
		report_parse_errors(root, d);
		rc = ROTA_EINPUT;
		goto out;
	}
	if (zone_name)
		zone = icaltimezone_get_builtin_timezone(zone_name);
	for (icalcomponent *ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
		nevents++;
		read_event(ev, zone, first, last, &e, d);
	}
	if (e.oom) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	if (!nevents)
		diags_add(d, DIAG_ERROR, 0, 0, "", "the calendar has no event (VEVENT)");
	if (d->errors > errors_before) {
		rc = ROTA_EINPUT;
		goto out;
	}
	if (e.count > 1)
		qsort(e.items, e.count, sizeof(*e.items), event_cmp);
	*out = e.items;
	*count = e.count;
	e.items = NULL;
	e.count = 0;
out:
	cal_events_free(e.items, e.count);
	if (root)
		icalcomponent_free(root);
	return rc;
}
