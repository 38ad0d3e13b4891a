/*
 * notice.h - a notice for every unit, to read out over the loudspeaker and
 * pin at the cultural house or the school: notices/UNIT.txt and a
 * printable one-page notices/UNIT.html (docs/calendars.md, "Notices").
 *
 * A notice lists every session where the unit's people are expected: date
 * and weekday, place, arrival window, how many of which group for which
 * service, what to bring, whom to call. It gives counts, never the name
 * of a person invited. A unit without a session gets a notice that says
 * so, so that no unit is left without word.
 */
#ifndef ROTA_NOTICE_H
#define ROTA_NOTICE_H

#include "calendar.h"
#include "outdir.h"
#include "plan.h"
#include "util.h"

/* The plain-text notice of unit (UTF-8, lines end with LF). */
void notice_text(struct buf *out, const struct plan *p, size_t unit, enum rota_lang lang);
/* The HTML notice of unit: one A4 page, inline CSS, no script, nothing
 * fetched from elsewhere. */
void notice_html(struct buf *out, const struct plan *p, size_t unit, enum rota_lang lang);

/* Writes notices/UNIT.txt and notices/UNIT.html for every unit into dir.
 * Returns 0 or a ROTA_E* code with err set. */
int notice_write_all(const struct plan *p, enum rota_lang lang, struct outdir *dir,
		     struct rota_error *err);

#endif
