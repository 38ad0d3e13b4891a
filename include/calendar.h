/*
 * calendar.h - the plan as iCalendar files (RFC 5545, iTIP RFC 5546,
 * iMIP RFC 6047): team calendars, school calendars, invitations to unit
 * contacts, and the week view. The only module that sees libical.
 */
#ifndef ROTA_CALENDAR_H
#define ROTA_CALENDAR_H

#include <stdbool.h>
#include <time.h>

#include "lang.h"
#include "outdir.h"
#include "plan.h"
#include "util.h"


struct cal_options {
	enum rota_lang lang;
	bool mail;        /* also write mail/UNIT/SESSION.eml */
	long long dtstamp; /* seconds since the epoch (SOURCE_DATE_EPOCH or now) */
};

/* Writes calendars/teams/TEAM.ics, calendars/schools/UNIT.ics (with the
 * events of p->cancelled dated from p->today on, STATUS:CANCELLED),
 * invites/UNIT/SESSION.ics (and mail/... with o->mail) and outbox/UNIT/
 * SESSION.ics (and .eml with o->mail): REQUESTs for the invitations that
 * sequence_assign() found new or changed (every invitation when old is
 * NULL), CANCELs for those that p cancelled (cancelled_on == p->today),
 * rendered from old, the previous plan on its own campaign. Every event
 * carries its sequence. Appends to notes one line per team, school or
 * unit that got no file, and why. Returns 0 or a ROTA_E* code with err
 * set. */
int calendar_write_all(const struct plan *p, const struct plan *old, const struct cal_options *o,
		       struct outdir *dir, struct buf *notes, struct rota_error *err);

/* Event keys (sequence.c): an event's rendering without DTSTAMP and
 * SEQUENCE, byte-equal when nothing a recipient sees has changed (time,
 * window, place, people, text). Open one per plan; the plan's campaign
 * must outlive it. */
struct cal_keys;
int calendar_keys_new(struct cal_keys **out, const struct plan *p, const struct cal_options *o,
		      struct rota_error *err);
void calendar_keys_free(struct cal_keys *k);
/* Appends to out the key of session s's event (unit < 0: the team
 * calendar's) or of unit's invitation to s (the school calendar's event
 * when the unit has no e-mail). Returns 0 or ROTA_ENOMEM with err set. */
int calendar_event_key(struct cal_keys *k, const struct plan_session *s, long unit,
		       struct buf *out, struct rota_error *err);

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
