/*
 * actuals.h - what the teams reported: the actuals CSV of replan-v1.md
 * ("Actuals"), read through csv_read.h and matched against the previous
 * plan. Columns date, slot, team, site, unit, group, service and came, in
 * any order, others ignored (rota.csv with a `came` column added is an
 * actuals file).
 */
#ifndef ROTA_ACTUALS_H
#define ROTA_ACTUALS_H

#include <stddef.h>

#include "campaign.h"
#include "diag.h"
#include "plan.h"
#include "util.h"

/* One row of the actuals: a visit of a session of the previous plan. */
struct actual {
	int date;
	enum slot_kind slot;
	size_t team, site;        /* indices into the current campaign */
	size_t unit, demand;      /* demand: index into units[unit].demand */
	int came;
	int line;                 /* where the row is, for diagnostics */
};

struct actuals {
	struct actual *rows;
	size_t nrows, alloc;
};

/*
 * Reads the actuals file at path. Every row is checked against the current
 * campaign c (ids exist; the unit has a demand row for that group and
 * service) and against the previous plan old (whose campaign may differ:
 * sessions are matched by date, slot, team id and site id): the session
 * exists in old and is dated before today; no two rows name one visit
 * (session, unit, group, service); came is a whole number from 0. Every
 * problem goes to d as "FILE:LINE:COL: column: message". Returns 0 and
 * fills *out (release with actuals_release); ROTA_EINPUT when d holds an
 * error; ROTA_EIO with err set when the file cannot be read; ROTA_ENOMEM.
 */
int actuals_read(struct actuals *out, const char *path, const struct campaign *c,
		 const struct plan *old, int today, struct diags *d, struct rota_error *err);
/* The same from len bytes of data (no file; for the fuzzer): returns 0,
 * ROTA_EINPUT or ROTA_ENOMEM. */
int actuals_read_buffer(struct actuals *out, const char *data, size_t len,
			const struct campaign *c, const struct plan *old, int today,
			struct diags *d);
void actuals_release(struct actuals *a);

#endif
