/*
 * capacity.h - a quick check of a campaign that needs no solver: for each
 * group deadline, the people who must be served by it against the most
 * the teams could serve by it, so that a planner sees an impossible
 * deadline at once. Printed by `rota check` and in the plan summary.
 */
#ifndef ROTA_CAPACITY_H
#define ROTA_CAPACITY_H

#include <stddef.h>

#include "calendar.h"
#include "campaign.h"
#include "util.h"

struct capacity_row {
	int deadline;         /* date */
	long long people;     /* demand of groups with a deadline <= this one */
	double load;          /* their work, in full `day` sessions of the best team */
	double most;          /* an upper bound on the day sessions' worth the teams can give by then */
	long long sessions;   /* sessions the teams could hold by then */
	bool short_of;        /* load > most: the deadline cannot be met */
};

/* Computes one row per distinct deadline, earliest first. Returns 0 and
 * sets *rows (caller frees) and *nrows, or ROTA_ENOMEM. */
int capacity_check(const struct campaign *c, struct capacity_row **rows, size_t *nrows);
/* Appends the table as text to out, one line per deadline, and a note on
 * what it means: in Vietnamese (dates as 14/03/2024, "đủ"/"THIẾU", the
 * names of the groups due under each row) or in English (ISO dates,
 * "ok"/"SHORT", group ids in a last column). */
void capacity_format(const struct campaign *c, const struct capacity_row *rows,
		     size_t nrows, enum rota_lang lang, struct buf *out);

#endif
