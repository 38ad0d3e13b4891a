/*
 * ical_calendar.h - calendar_write_all() without the output directory:
 * the same files handed one by one to a sink, so that tests can look at
 * them in memory. Implemented in calendar.c.
 */
#ifndef ROTA_ICAL_CALENDAR_H
#define ROTA_ICAL_CALENDAR_H

#include <stddef.h>

#include "calendar.h"

/* Receives one file (relpath as for outdir_write) and returns 0, or a
 * ROTA_E* code with err set, which stops the writing. */
typedef int (*ical_sink_fn)(void *ctx, const char *relpath, const char *data, size_t len,
			    struct rota_error *err);

/* Produces every file that calendar_write_all() writes, in the same order,
 * and the same notes. Returns 0 or a ROTA_E* code with err set. */
int ical_calendar_emit(const struct plan *p, const struct plan *old, const struct cal_options *o,
		       ical_sink_fn sink, void *ctx, struct buf *notes, struct rota_error *err);

#endif
