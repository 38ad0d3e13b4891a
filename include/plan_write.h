/*
 * plan_write.h - the plan for programs: rota.json and rota.csv
 * (docs/plan-format.md). The reverse of plan_read.c.
 */
#ifndef ROTA_PLAN_WRITE_H
#define ROTA_PLAN_WRITE_H

#include "plan.h"
#include "util.h"

/* Each appends the whole file to out. campaign_file (may be NULL) is the
 * campaign's path as given to `rota plan`, kept in rota.json's optional
 * "campaign_file" so that `rota week DIR` finds it. */
void report_json(const struct plan *p, const char *campaign_file, struct buf *out);
void report_csv(const struct plan *p, struct buf *out);

#endif
