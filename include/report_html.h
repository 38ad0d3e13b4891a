/*
 * report_html.h - the plan as one printable HTML page (`rota report`,
 * docs/report.md): headline figures, progress charts per priority group,
 * sessions per team and week, communes, and the week-by-week rota with
 * names. Self-contained: inline CSS and SVG, no script, no network; laid
 * out for A4. Every campaign string is escaped; no person's name appears.
 */
#ifndef ROTA_REPORT_HTML_H
#define ROTA_REPORT_HTML_H

#include "lang.h"
#include "plan.h"
#include "util.h"


/* Appends the whole page for plan p to out. appendix (may be NULL) is
 * HTML put after the rota, before the footer: `rota report --compare`
 * puts the comparison there. The bytes depend only on the plan, lang and
 * appendix. Out of memory shows as out->failed. */
void report_html(const struct plan *p, enum rota_lang lang, const char *appendix,
		 struct buf *out);

/* The page's head and body start (title escaped), and its end: shared with
 * `rota compare --html` so that both print alike. */
void report_html_begin(struct buf *out, enum rota_lang lang, const char *title);
void report_html_end(struct buf *out);

/* Appends n with the language's thousands separator ("2.153", "2,153"). */
void report_put_number(struct buf *out, enum rota_lang lang, long long n);

#endif
