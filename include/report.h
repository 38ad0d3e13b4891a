/*
 * report.h - the plan for people: summary.txt (docs/plan-format.md).
 * rota.json and rota.csv are plan_write.h.
 */
#ifndef ROTA_REPORT_H
#define ROTA_REPORT_H

#include "calendar.h"
#include "plan.h"
#include "util.h"

/* summary.txt in lang (calendar_notes, which may be NULL, are the lines
 * calendar_write_all() reported): plain words first (who is invited by when, what
 * falls short and what would fix it, sessions per team and week), then
 * the tables, the capacity check, and the solver's table last. */
void report_summary(const struct plan *p, const char *calendar_notes, enum rota_lang lang,
		    struct buf *out);

/* For `rota week` on a re-plan (p->today >= 0): each session of the ISO
 * week that starts on monday marked held (with people invited and come),
 * frozen, new, changed or unchanged against the last plan, with the units
 * whose invitation is new or changed (in a session that is not new); then
 * the week's cancelled
 * events (sessions and invitations), when and why. Appends nothing for a
 * first plan. */
/* What would close group g's shortfall of short_total people by its
 * deadline, and only what can be done (the team's free slots in the
 * group's slot kinds, at sites the group may use): one sentence, appended
 * to text unwrapped, in lang. *fix: the sessions advised (0 when none can
 * be) and the one team advised (-1 when several or none). Returns false
 * when out of memory. Used by the summary and by `rota report`. */
struct report_fix {
	long long sessions;
	long team;
};
bool report_closing(const struct plan *p, size_t g, long long short_total, enum rota_lang lang,
		    struct buf *text, struct report_fix *fix);
void report_week_changes(const struct plan *p, int monday, enum rota_lang lang, struct buf *out);

#endif
