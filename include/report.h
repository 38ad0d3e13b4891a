/*
 * report.h - the plan for programs and people: rota.json, rota.csv and
 * summary.txt (docs/plan-format.md).
 */
#ifndef ROTA_REPORT_H
#define ROTA_REPORT_H

#include "calendar.h"
#include "plan.h"
#include "util.h"

/* Each appends the whole file to out. campaign_file (may be NULL) is the
 * campaign's path as given to `rota plan`, kept in rota.json's optional
 * "campaign_file" so that `rota week DIR` finds it. calendar_notes (may be
 * NULL) are the lines calendar_write_all() reported. */
void report_json(const struct plan *p, const char *campaign_file, struct buf *out);
void report_csv(const struct plan *p, struct buf *out);
/* summary.txt in lang: plain words first (who is invited by when, what
 * falls short and what would fix it, sessions per team and week), then
 * the tables, the capacity check, and the solver's table last. */
void report_summary(const struct plan *p, const char *calendar_notes, enum cal_lang lang,
		    struct buf *out);

#endif
