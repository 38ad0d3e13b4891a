/*
 * calendar_read.h - reads the dates out of an iCalendar file (a public
 * holiday calendar, a school's exam calendar), for `rota import`. With
 * src/calendar.c, which writes calendars, the only user of libical.
 */
#ifndef ROTA_CALENDAR_READ_H
#define ROTA_CALENDAR_READ_H

#include <stddef.h>

#include "campaign.h"
#include "diag.h"
#include "util.h"

/* Files larger than this are refused (documented in docs/import.md). */
#define ICS_MAX_BYTES ((size_t)4 * 1024 * 1024)
/* Occurrences of one recurring event looked at, at most. */
#define ICS_MAX_OCCURRENCES 5000

/* One occurrence of an event: the dates it covers, local to the campaign. */
struct cal_event {
	struct date_range dates;
	char *summary; /* owned; "" when the event has none */
};

/*
 * Reads the events of data (len bytes, the text of an .ics file) whose
 * dates meet [first, last]: all-day events cover DTSTART up to the day
 * before DTEND; timed ones every date they touch in zone (an IANA name;
 * UTC times are converted to it, floating and TZID times taken as
 * written); a RRULE is expanded (EXDATE dates skipped). A file libical
 * cannot parse or marks with X-LIC-ERROR, an event without DTSTART or
 * with DTEND before DTSTART are errors in d (which names the file).
 * Returns 0 and sets *out (sorted by first date, then summary; free with
 * cal_events_free) and *count; ROTA_EINPUT; ROTA_ENOMEM.
 */
int calendar_read_events(struct cal_event **out, size_t *count, const char *data, size_t len,
			 const char *zone, int first, int last, struct diags *d);

void cal_events_free(struct cal_event *events, size_t count);

#endif
