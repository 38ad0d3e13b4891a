/*
 * calendar.h - the plan as iCalendar files (RFC 5545, iTIP RFC 5546,
 * iMIP RFC 6047): team calendars, school calendars, invitations to unit
 * contacts, and the week view. The only module that sees libical.
 */
#ifndef ROTA_CALENDAR_H
#define ROTA_CALENDAR_H

#include <stdbool.h>
#include <time.h>

#include "outdir.h"
#include "plan.h"
#include "util.h"

enum cal_lang { CAL_LANG_VI, CAL_LANG_EN };

struct cal_options {
	enum cal_lang lang;
	bool mail;        /* also write mail/UNIT/SESSION.eml */
	long long dtstamp; /* seconds since the epoch (SOURCE_DATE_EPOCH or now) */
};

/* Writes calendars/teams/TEAM.ics, calendars/schools/UNIT.ics,
 * invites/UNIT/SESSION.ics (and mail/... with o->mail) into dir. Appends to
 * notes one line per team, school or unit that got no file, and why.
 * Returns 0 or a ROTA_E* code with err set. */
int calendar_write_all(const struct plan *p, const struct cal_options *o, struct outdir *dir,
		       struct buf *notes, struct rota_error *err);

/* Whether the calendars can give campaign c's times: its time zone is one
 * rota writes a VTIMEZONE for, UTC, or one libical knows from tzdata.
 * Called before planning, so that an unknown zone is refused at once, not
 * after the solve. Returns 0, or ROTA_EINPUT with err set. */
int calendar_check_zone(const struct campaign *c, struct rota_error *err);

/* The rota of the ISO week that starts on monday: a readable table (day,
 * slot, team, site, units, people) appended to table, and the week's
 * calendar (all teams, no METHOD) appended to ics. Returns the number of
 * sessions in the week (>= 0), or a ROTA_E* code with err set. */
int calendar_week(const struct plan *p, int monday, const struct cal_options *o,
		  struct buf *table, struct buf *ics, struct rota_error *err);

#endif
