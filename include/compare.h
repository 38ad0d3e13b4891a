/*
 * compare.h - `rota compare`: two or more plans of one campaign side by
 * side (docs/report.md): people by the deadline and in all per group,
 * sessions and extra sessions per team, person-minutes, people served away
 * from home, invitations per unit, and the sessions that differ from the
 * first plan. As text for the terminal and as HTML for the printed page.
 */
#ifndef ROTA_COMPARE_H
#define ROTA_COMPARE_H

#include <stddef.h>

#include "plan.h"
#include "report_html.h"
#include "util.h"

/* One plan to compare; everything borrowed. */
struct compare_plan {
	const char *dir;          /* where it was read from, as given */
	const struct plan *plan;  /* with its campaign */
};

/* Returns 0 when the plans are of one campaign (the same campaign id), or
 * ROTA_EINPUT with err naming the first two that differ. n >= 2. */
int compare_check(const struct compare_plan *plans, size_t n, struct rota_error *err);

/* Append the comparison to out: as text (lines of at most 80 columns for
 * up to four plans), or as an HTML section (<section id="compare">) with
 * names and data-* attributes. Out of memory shows as out->failed. */
void compare_text(const struct compare_plan *plans, size_t n, struct buf *out);
void compare_html(const struct compare_plan *plans, size_t n, enum rota_lang lang,
		  struct buf *out);

#endif
