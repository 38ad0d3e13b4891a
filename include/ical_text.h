/*
 * ical_text.h - the words of the calendars, in Vietnamese or English:
 * summaries, descriptions, calendar names, the week table and the text
 * of invitation mails. Used by calendar.c only (and its tests); knows
 * nothing of iCalendar syntax: every function appends plain UTF-8 text
 * (lines end with LF) to a struct buf, and the caller escapes it.
 *
 * Vietnamese strings are written in NFC, as the campaign's names are.
 * Texts give counts of people, never the name of a person.
 */
#ifndef ROTA_ICAL_TEXT_H
#define ROTA_ICAL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "calendar.h"
#include "plan.h"
#include "util.h"

/* "ca ngày" / "day" ... */
const char *ical_text_slot(enum rota_lang lang, enum slot_kind kind);

/* "Thứ Bảy, 09/03/2024" / "Saturday 9 March 2024". */
void ical_text_date(struct buf *out, enum rota_lang lang, int date);

/* A session's place: the site's name, then its address when given. */
void ical_text_location(struct buf *out, const struct site *site);

/* The summary of a team's session: its services and its site (and the
 * team when the campaign has several). */
void ical_text_session_summary(struct buf *out, const struct plan *p,
			       const struct plan_session *s, enum rota_lang lang);
/* The description of a team's session: team, hours, travel from base,
 * and per unit its arrival window and its people by group and service. */
void ical_text_session_description(struct buf *out, const struct plan *p,
				   const struct plan_session *s, enum rota_lang lang);

/* The summary and description of unit's event in session s (invitation
 * or school calendar): how many people of which group for which service,
 * when they arrive, the session's hours, what to bring. invitation adds
 * the request to answer. */
void ical_text_unit_summary(struct buf *out, const struct plan *p, const struct plan_session *s,
			    size_t unit, enum rota_lang lang);
void ical_text_unit_description(struct buf *out, const struct plan *p,
				const struct plan_session *s, size_t unit, enum rota_lang lang,
				bool invitation);

/* Whether a group is of children under 14 (docs/calendars.md, "What to
 * bring"): its `children` field when given; else its id contains "child", "tre-em", "treem", "duoi-14",
 * "under-14" or "under14", or its name contains "trẻ em", or the numbers
 * 6 and 14 in that order ("Trẻ 6–14 tuổi", "children aged 6 to 14"). */
bool ical_text_group_is_children(const struct group *g);
/* What people of a service must bring (for children: what the parent
 * brings), or NULL when the service id is not "cccd" or "eid2". */
const char *ical_text_bring(const char *service_id, bool children, enum rota_lang lang);
/* What people of group bring for service: the group's own words
 * (groups[].bring), the service's (services[].bring), or rota's
 * (ical_text_bring, for children when the group is); NULL when none. */
const char *ical_text_bring_for(const struct campaign *c, size_t group, size_t service,
				enum rota_lang lang);
/* The head of a bring line: the service's name, "(trẻ em dưới 14 tuổi)"
 * for children, and that the team comes to the house for a home group. */
void ical_text_bring_heading(struct buf *out, const struct campaign *c, size_t group,
			     size_t service, enum rota_lang lang);
/* Two groups' people of one service get one bring line: they bring the
 * same and their headings say the same (children, home). */
bool ical_text_same_bring_line(const struct campaign *c, size_t g1, size_t g2, size_t service,
			       enum rota_lang lang);
/* "Cần mang theo:" and one line per distinct service, heading and text
 * of unit's visits in s; nothing when none is known. */
void ical_text_bring_lines(struct buf *out, const struct plan *p, const struct plan_session *s,
			   size_t unit, enum rota_lang lang);

/* The all-day event of a group's deadline in a school's calendar. */
void ical_text_deadline_summary(struct buf *out, const struct plan *p, size_t unit,
				size_t group, enum rota_lang lang);
void ical_text_deadline_description(struct buf *out, const struct plan *p, size_t unit,
				    size_t group, enum rota_lang lang);

/* Calendar names (NAME and X-WR-CALNAME). */
void ical_text_team_calendar_name(struct buf *out, const struct plan *p, size_t team,
				  enum rota_lang lang);
void ical_text_unit_calendar_name(struct buf *out, const struct plan *p, size_t unit,
				  enum rota_lang lang);
void ical_text_week_calendar_name(struct buf *out, const struct plan *p, int monday,
				  enum rota_lang lang);

/* The subject of unit's invitation mail for session s. */
void ical_text_mail_subject(struct buf *out, const struct plan *p, const struct plan_session *s,
			    size_t unit, enum rota_lang lang);

/* The plain-text part of unit's invitation mail for session s: a
 * greeting to the contact, the event's description, the organizer. */
void ical_text_mail_body(struct buf *out, const struct plan *p, const struct plan_session *s,
			 size_t unit, enum rota_lang lang);

/* Cancellations (docs/calendars.md, "Re-planning"). The summary and
 * description of an event that a plan once published and that is gone, as
 * a team or school calendar keeps it (STATUS:CANCELLED): names are looked
 * up by id in c, the id itself when c no longer has it; ev->reason is
 * given when set. */
void ical_text_cancelled_summary(struct buf *out, const struct campaign *c,
				 const struct plan_cancelled *ev, enum rota_lang lang);
void ical_text_cancelled_description(struct buf *out, const struct campaign *c,
				     const struct plan_cancelled *ev, enum rota_lang lang);
/* "Đã hủy: " / "Cancelled: ", put before the summary of a cancelled
 * invitation (METHOD:CANCEL). */
const char *ical_text_cancelled_prefix(enum rota_lang lang);
/* The subject and plain-text part of the mail that cancels unit's
 * invitation to session s (of p, the plan that published it); reason (may
 * be NULL) says why. */
void ical_text_cancel_mail_subject(struct buf *out, const struct plan *p,
				   const struct plan_session *s, size_t unit, enum rota_lang lang);
void ical_text_cancel_mail_body(struct buf *out, const struct plan *p,
				const struct plan_session *s, size_t unit, const char *reason,
				enum rota_lang lang);
/* "Lý do: REASON" on a line of its own after a new line; nothing when
 * reason is NULL or empty. */
void ical_text_cancel_reason(struct buf *out, const char *reason, enum rota_lang lang);

/* The week table: a heading, one row per session of the week starting on
 * monday (day, slot, hours, team, site, people) with its units below or
 * beside it, and a total; at most 80 columns unless an id is very long.
 * Returns the number of sessions in the week. */
size_t ical_text_week_table(struct buf *out, const struct plan *p, int monday,
			    enum rota_lang lang);

/* Columns taken by UTF-8 text in a terminal: one per code point, which
 * holds for Latin script in NFC (Vietnamese included). */
size_t ical_text_width(const char *s);

#endif
