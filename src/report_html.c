/*
 * report_html.c - `rota report`: the plan as one printable HTML page
 * (report_html.h, docs/report.md).
 *
 * The page is built for a planner who prints it for a meeting: the
 * figures first, then the charts, then the rota. It uses names, never ids,
 * where a person reads, and keeps the ids in data-* attributes where a
 * program (the test suite) looks. Nothing depends on the clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "report.h"
#include "report_html.h"
#include "svg.h"
#include "banned.h"

#define DASH "\xe2\x80\x93" /* U+2013 EN DASH */

static bool en(enum rota_lang lang)
{
	return lang == LANG_EN;
}

/* Picks the text of the report's language. */
#define T(lang, vi, english) (en(lang) ? (english) : (vi))

static const char *const month_short_vi[12] = { "T1", "T2", "T3", "T4", "T5", "T6",
						"T7", "T8", "T9", "T10", "T11", "T12" };
static const char *const month_short_en[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
						"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const weekday_vi[7] = { "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm",
					   "Thứ Sáu", "Thứ Bảy", "Chủ Nhật" };
static const char *const weekday_en[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const slot_vi[SLOT_COUNT] = { "ngày", "tối", "cuối tuần", "ngày lễ" };
static const char *const slot_en[SLOT_COUNT] = { "day", "evening", "weekend", "holiday" };

void report_put_number(struct buf *out, enum rota_lang lang, long long n)
{
	char digits[32];
	int len, i;

	if (n < 0) {
		buf_putc(out, '-');
		n = -n;
	}
	len = snprintf(digits, sizeof(digits), "%lld", n);
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf_putc(out, en(lang) ? ',' : '.');
		buf_putc(out, digits[i]);
	}
}

/* "20/05/2024" or "2024-05-20". */
static void put_date(struct buf *out, enum rota_lang lang, int date)
{
	int y, m, d;

	date_to_ymd(date, &y, &m, &d);
	if (en(lang))
		buf_printf(out, "%04d-%02d-%02d", y, m, d);
	else
		buf_printf(out, "%02d/%02d/%04d", d, m, y);
}

/* "20/05" or "05-20". */
static void put_day_month(struct buf *out, enum rota_lang lang, int date)
{
	int y, m, d;

	date_to_ymd(date, &y, &m, &d);
	if (en(lang))
		buf_printf(out, "%02d-%02d", m, d);
	else
		buf_printf(out, "%02d/%02d", d, m);
}

static void put_iso_date_attr(struct buf *out, int date)
{
	char text[DATE_TEXT_SIZE];

	date_format(date, text);
	buf_puts(out, text);
}

static void put_text(struct buf *out, const char *s)
{
	svg_put_escaped(out, s);
}

static const char style_sheet[] =
	"@page{size:A4;margin:14mm 12mm}\n"
	"*{box-sizing:border-box}\n"
	"body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10.5pt;color:#111;margin:0 auto;"
	"max-width:190mm;line-height:1.35;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"h1{font-size:17pt;margin:0 0 2mm}h2{font-size:13pt;margin:7mm 0 2mm;border-bottom:1.5pt solid #1f5fa8;"
	"break-after:avoid;page-break-after:avoid}\n"
	"h3{font-size:11pt;margin:4mm 0 1mm;break-after:avoid;page-break-after:avoid}\n"
	"p{margin:1mm 0 2mm}.muted{color:#555}.small{font-size:8pt}\n"
	"table{border-collapse:collapse;width:100%;margin:1mm 0 3mm}\n"
	"th,td{border:0.6pt solid #999;padding:1mm 1.5mm;text-align:left;vertical-align:top}\n"
	"th{background:#e8eef6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}\n"
	".figures{display:flex;flex-wrap:wrap;gap:3mm;margin:2mm 0 3mm}\n"
	".figure{border:0.8pt solid #1f5fa8;border-radius:2mm;padding:2mm 3mm;flex:1 1 38mm}\n"
	".figure b{display:block;font-size:13pt;white-space:nowrap}\n"
	".ok{color:#1e7b34}.short{color:#b03a2e;font-weight:bold}\n"
	".charts{display:flex;flex-wrap:wrap;gap:0 2mm}\n"
	".chartbox{width:calc(50% - 1.5mm);break-inside:avoid;page-break-inside:avoid}\n"
	".chartbox h3{font-size:10pt;margin:1mm 0}\n"
	"svg.chart{width:100%;height:auto}\n"
	"table.heat td,table.heat th{padding:0.6mm 0.4mm;text-align:center;font-size:8.5pt}\n"
	"table.heat th.team,table.heat td.team{text-align:left;width:34mm}\n"
	".h0{background:#fff;color:#bbb}.h1{background:#dbe7f5}.h2{background:#b3cde9}"
	".h3{background:#7fa9d8;color:#fff}.h4{background:#1f5fa8;color:#fff}\n"
	"table.rota td{font-size:9pt}table.rota td.when,table.rota .t{white-space:nowrap}\n"
	".week{break-inside:avoid;page-break-inside:avoid}\n"
	"section{break-before:auto}#rota,#compare{break-before:page;page-break-before:always}\n"
	"footer{margin-top:6mm;font-size:8.5pt;color:#555}\n"
	"@media screen{body{margin:8mm auto}}\n";

void report_html_begin(struct buf *out, enum rota_lang lang, const char *title)
{
	buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
		   T(lang, "vi", "en"));
	buf_puts(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	put_text(out, title);
	buf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style_sheet);
}

void report_html_end(struct buf *out)
{
	buf_puts(out, "</body>\n</html>\n");
}

/* ---- figures the sections share ---- */

struct group_total {
	long long demand, by_deadline, planned;
};

struct report {
	const struct plan *p;
	const struct campaign *c;
	enum rota_lang lang;
	size_t *order;               /* groups, most urgent first */
	struct group_total *groups;  /* per group index */
	long long sessions, extra;
	int section;                 /* the last section's number */
	struct buf *out;
};

static void order_groups(const struct campaign *c, size_t *order)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		size_t i = g;

		/* Insertion sort: stable, so equal priorities keep the file's order. */
		while (i > 0 && c->groups[order[i - 1]].priority > c->groups[g].priority) {
			order[i] = order[i - 1];
			i--;
		}
		order[i] = g;
	}
}

static void total_groups(struct report *r)
{
	const struct campaign *c = r->c;
	struct plan_cov cov;

	plan_cov_init(&cov, r->p);
	for (size_t u = 0; u < c->nunits; u++) {
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			const struct demand *dm = &c->units[u].demand[d];
			int planned, by_deadline;

			plan_cov_get(&cov, u, d, &planned, &by_deadline);
			r->groups[dm->group].demand += dm->count;
			r->groups[dm->group].planned += planned;
			r->groups[dm->group].by_deadline += by_deadline;
		}
	}
	plan_cov_release(&cov);
	for (size_t i = 0; i < r->p->nsessions; i++)
		if (slot_kind_is_extra(r->p->sessions[i].slot))
			r->extra++;
	r->sessions = (long long)r->p->nsessions;
}

/* ---- 1. headline figures ---- */

static void put_figure(struct report *r, const char *name, const char *label, long long value,
		       long long of)
{
	buf_printf(r->out, "<div class=\"figure\" data-figure=\"%s\" data-value=\"%lld\">", name, value);
	buf_puts(r->out, "<b>");
	report_put_number(r->out, r->lang, value);
	if (of >= 0) {
		buf_puts(r->out, " / ");
		report_put_number(r->out, r->lang, of);
	}
	buf_puts(r->out, "</b>");
	put_text(r->out, label);
	buf_puts(r->out, "</div>\n");
}

/* What would close the shortfall: the summary's advice (report_closing),
 * only what can be done, with the sessions and the team as attributes.
 * Returns false when out of memory. */
static bool put_closing(struct report *r, size_t g, long long short_total)
{
	const struct campaign *c = r->c;
	struct report_fix fix;
	struct buf t;
	bool ok;

	buf_init(&t);
	ok = report_closing(r->p, g, short_total, r->lang, &t, &fix);
	if (ok && !t.failed) {
		buf_puts(r->out, "<p class=\"fix\" data-group=\"");
		put_text(r->out, c->groups[g].id);
		buf_printf(r->out, "\" data-sessions=\"%lld\"", fix.sessions);
		if (fix.team >= 0) {
			buf_puts(r->out, " data-team=\"");
			put_text(r->out, c->teams[fix.team].id);
			buf_putc(r->out, '"');
		}
		buf_putc(r->out, '>');
		/* The English sentence follows a colon in the summary. */
		if (t.len > 0 && t.data[0] >= 'a' && t.data[0] <= 'z')
			t.data[0] = (char)(t.data[0] - 'a' + 'A');
		put_text(r->out, buf_str(&t));
		buf_puts(r->out, ".</p>\n");
	}
	if (t.failed)
		ok = false;
	buf_release(&t);
	return ok;
}

static bool put_shortfalls(struct report *r)
{
	const struct campaign *c = r->c;
	struct plan_cov cov;
	bool any = false;

	for (size_t i = 0; i < c->ngroups; i++) {
		size_t g = r->order[i];
		const struct group_total *t = &r->groups[g];

		if (t->demand <= t->by_deadline)
			continue;
		any = true;
		buf_puts(r->out, "<div class=\"shortfall\" data-group=\"");
		put_text(r->out, c->groups[g].id);
		buf_printf(r->out, "\" data-short=\"%lld\">\n<h3 class=\"short\">", t->demand - t->by_deadline);
		put_text(r->out, c->groups[g].name);
		buf_puts(r->out, T(r->lang, ": còn thiếu ", ": short by "));
		report_put_number(r->out, r->lang, t->demand - t->by_deadline);
		buf_puts(r->out, T(r->lang, " người trước hạn ", " people at the deadline, "));
		put_date(r->out, r->lang, c->groups[g].deadline);
		buf_printf(r->out, "</h3>\n<table><thead><tr><th>%s</th><th>%s</th><th class=\"n\">%s</th>"
			   "<th class=\"n\">%s</th></tr></thead><tbody>\n",
			   T(r->lang, "Đơn vị", "Unit"), T(r->lang, "Loại hồ sơ", "Service"),
			   T(r->lang, "Còn thiếu", "Short"),
			   T(r->lang, "Mời sau hạn", "Invited after the deadline"));
		plan_cov_init(&cov, r->p);
		for (size_t u = 0; u < c->nunits; u++) {
			for (size_t d = 0; d < c->units[u].ndemand; d++) {
				const struct demand *dm = &c->units[u].demand[d];
				int planned, by_deadline;

				if (dm->group != g)
					continue;
				plan_cov_get(&cov, u, d, &planned, &by_deadline);
				if (dm->count <= by_deadline)
					continue;
				buf_puts(r->out, "<tr data-unit=\"");
				put_text(r->out, c->units[u].id);
				buf_puts(r->out, "\"><td>");
				put_text(r->out, c->units[u].name);
				buf_puts(r->out, "</td><td>");
				put_text(r->out, c->services[dm->service].name);
				buf_printf(r->out, "</td><td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n",
					   dm->count - by_deadline, planned - by_deadline);
			}
		}
		plan_cov_release(&cov);
		buf_puts(r->out, "</tbody></table>\n");
		if (!put_closing(r, g, t->demand - t->by_deadline))
			return false;
		buf_puts(r->out, "</div>\n");
	}
	if (!any)
		buf_printf(r->out, "<p class=\"ok verdict\">%s</p>\n",
			   T(r->lang, "Mọi nhóm đều được mời đủ trước hạn.",
			     "Every group is invited in full by its deadline."));
	return true;
}

static bool section_headline(struct report *r)
{
	const struct campaign *c = r->c;
	long long demand = 0, planned = 0, by_deadline = 0;

	for (size_t g = 0; g < c->ngroups; g++) {
		demand += r->groups[g].demand;
		planned += r->groups[g].planned;
		by_deadline += r->groups[g].by_deadline;
	}
	buf_printf(r->out, "<section id=\"headline\">\n<h2>%d. %s</h2>\n<div class=\"figures\">\n",
		   ++r->section, T(r->lang, "Số liệu chính", "Headline figures"));
	put_figure(r, "by-deadline", T(r->lang, "người được mời kịp hạn", "people invited by their deadline"),
		   by_deadline, demand);
	put_figure(r, "invited", T(r->lang, "người được mời trong cả đợt", "people invited in all"),
		   planned, demand);
	put_figure(r, "sessions", T(r->lang, "buổi thu nhận", "sessions"), r->sessions, -1);
	put_figure(r, "extra-sessions",
		   T(r->lang, "buổi ngoài giờ (tối, cuối tuần, ngày lễ)",
		     "extra sessions (evening, weekend, holiday)"),
		   r->extra, -1);
	buf_puts(r->out, "</div>\n");

	buf_printf(r->out, "<table class=\"coverage\"><thead><tr><th>%s</th><th class=\"n\">%s</th>"
		   "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
		   "<th class=\"n\">%s</th></tr></thead>\n<tbody>\n",
		   T(r->lang, "Nhóm", "Group"), T(r->lang, "Ưu tiên", "Priority"),
		   T(r->lang, "Hạn", "Deadline"), T(r->lang, "Cần phục vụ", "Demand"),
		   T(r->lang, "Kịp hạn", "By deadline"), T(r->lang, "Được mời", "Invited"),
		   T(r->lang, "Còn thiếu", "Short"));
	for (size_t i = 0; i < c->ngroups; i++) {
		size_t g = r->order[i];
		const struct group_total *t = &r->groups[g];
		long long missing = t->demand - t->by_deadline;

		buf_puts(r->out, "<tr data-group=\"");
		put_text(r->out, c->groups[g].id);
		buf_printf(r->out, "\" data-demand=\"%lld\" data-by-deadline=\"%lld\" data-invited=\"%lld\" "
			   "data-short=\"%lld\"><td>", t->demand, t->by_deadline, t->planned, missing);
		put_text(r->out, c->groups[g].name);
		buf_printf(r->out, "</td><td class=\"n\">%d</td><td>", c->groups[g].priority);
		put_date(r->out, r->lang, c->groups[g].deadline);
		buf_puts(r->out, "</td><td class=\"n\">");
		report_put_number(r->out, r->lang, t->demand);
		buf_puts(r->out, "</td><td class=\"n\">");
		report_put_number(r->out, r->lang, t->by_deadline);
		buf_puts(r->out, "</td><td class=\"n\">");
		report_put_number(r->out, r->lang, t->planned);
		buf_printf(r->out, "</td><td class=\"n%s\">", missing > 0 ? " short" : "");
		if (missing > 0)
			report_put_number(r->out, r->lang, missing);
		else
			buf_puts(r->out, DASH);
		buf_puts(r->out, "</td></tr>\n");
	}
	buf_printf(r->out, "<tr data-group=\"\" class=\"total\"><th colspan=\"3\">%s</th><th class=\"n\">",
		   T(r->lang, "Tổng cộng", "Total"));
	report_put_number(r->out, r->lang, demand);
	buf_puts(r->out, "</th><th class=\"n\">");
	report_put_number(r->out, r->lang, by_deadline);
	buf_puts(r->out, "</th><th class=\"n\">");
	report_put_number(r->out, r->lang, planned);
	buf_puts(r->out, "</th><th class=\"n\">");
	if (demand > by_deadline)
		report_put_number(r->out, r->lang, demand - by_deadline);
	else
		buf_puts(r->out, DASH);
	buf_puts(r->out, "</th></tr>\n</tbody></table>\n");
	if (!put_shortfalls(r))
		return false;
	buf_puts(r->out, "</section>\n");
	return true;
}

/* ---- 2. people over time per group ---- */

/* The cumulative series of people of group g invited, one point per date
 * with sessions. dates and values hold at least nsessions items. */
static size_t cumulative_invited(const struct plan *p, size_t g, int *dates, long long *values)
{
	size_t n = 0;
	long long total = 0;

	/* Sessions are sorted by date (plan_sort), so one pass suffices. */
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		long long here = 0;

		for (size_t v = 0; v < s->nvisits; v++) {
			const struct plan_visit *pv = &s->visits[v];

			if (p->campaign->units[pv->unit].demand[pv->demand].group == g)
				here += pv->count;
		}
		if (!here)
			continue;
		total += here;
		if (n && dates[n - 1] == s->date) {
			values[n - 1] = total;
		} else {
			dates[n] = s->date;
			values[n] = total;
			n++;
		}
	}
	return n;
}

static bool section_progress(struct report *r)
{
	const struct campaign *c = r->c;
	size_t cap = r->p->nsessions ? r->p->nsessions : 1;
	int *dates = xcalloc_array(cap, sizeof(*dates));
	long long *values = xcalloc_array(cap, sizeof(*values));
	struct buf title, target, deadline;
	bool ok = dates && values;

	buf_init(&title);
	buf_init(&target);
	buf_init(&deadline);
	if (!ok)
		goto out;
	buf_printf(r->out, "<section id=\"progress\">\n<h2>%d. %s</h2>\n<p class=\"muted\">%s</p>\n"
		   "<div class=\"charts\">\n",
		   ++r->section, T(r->lang, "Số người được mời theo thời gian, từng nhóm ưu tiên",
		     "People invited over time, per priority group"),
		   T(r->lang, "Lũy kế số người được mời theo kế hoạch; đường ngang là số người cần "
			      "phục vụ, đường đỏ là hạn của nhóm.",
		     "People invited so far according to the plan; the level line is the "
		     "group's demand, the red line its deadline."));
	for (size_t i = 0; i < c->ngroups; i++) {
		size_t g = r->order[i];
		struct svg_series planned = { "planned", T(r->lang, "Theo kế hoạch", "Planned"), dates,
					      values, 0, false };
		struct svg_chart chart;

		planned.n = cumulative_invited(r->p, g, dates, values);
		buf_release(&title);
		buf_release(&target);
		buf_release(&deadline);
		buf_printf(&title, "%s %s: ", T(r->lang, "Nhóm", "Group"), c->groups[g].name);
		report_put_number(&title, r->lang, r->groups[g].by_deadline);
		buf_puts(&title, T(r->lang, " trên ", " of "));
		report_put_number(&title, r->lang, r->groups[g].demand);
		buf_puts(&title, T(r->lang, " người được mời kịp hạn ", " people invited by "));
		put_date(&title, r->lang, c->groups[g].deadline);
		buf_puts(&target, T(r->lang, "cần phục vụ: ", "demand: "));
		report_put_number(&target, r->lang, r->groups[g].demand);
		buf_puts(&deadline, T(r->lang, "hạn ", "deadline "));
		put_day_month(&deadline, r->lang, c->groups[g].deadline);
		if (title.failed || target.failed || deadline.failed) {
			ok = false;
			goto out;
		}
		memset(&chart, 0, sizeof(chart));
		chart.name = c->groups[g].id;
		chart.title = title.data;
		chart.first = c->start;
		chart.last = c->end;
		chart.month_labels = en(r->lang) ? month_short_en : month_short_vi;
		chart.iso_dates = en(r->lang);
		chart.target = r->groups[g].demand;
		chart.target_label = target.data;
		chart.has_deadline = true;
		chart.deadline = c->groups[g].deadline;
		chart.deadline_label = deadline.data;
		chart.by_deadline = r->groups[g].by_deadline;
		/* Re-plans will add a second series, "came", from the visits'
		 * recorded attendance (docs/report.md). */
		chart.series = &planned;
		chart.nseries = 1;
		buf_puts(r->out, "<div class=\"chartbox\"><h3>");
		put_text(r->out, c->groups[g].name);
		buf_printf(r->out, " <span class=\"muted\">(%s %d)</span></h3>\n",
			   T(r->lang, "ưu tiên", "priority"), c->groups[g].priority);
		svg_cumulative_chart(r->out, &chart);
		buf_puts(r->out, "</div>\n");
	}
	buf_puts(r->out, "</div>\n</section>\n");
out:
	buf_release(&title);
	buf_release(&target);
	buf_release(&deadline);
	free(dates);
	free(values);
	return ok;
}

/* ---- 3. sessions per team per week ---- */

enum { HEAT_WEEKS_PER_TABLE = 13 };

static int heat_level(long long n, long long max)
{
	if (n <= 0 || max <= 0)
		return 0;
	return (int)((4 * n + max - 1) / max);
}

static bool section_teams(struct report *r)
{
	const struct campaign *c = r->c;
	int first_week = date_week_monday(c->start), last_week = date_week_monday(c->end);
	size_t nweeks = (size_t)((last_week - first_week) / 7 + 1);
	long long *counts = xcalloc_array(nweeks * (c->nteams ? c->nteams : 1), sizeof(*counts));
	long long max = 0;

	if (!counts)
		return false;
	for (size_t i = 0; i < r->p->nsessions; i++) {
		const struct plan_session *s = &r->p->sessions[i];
		size_t w = (size_t)((date_week_monday(s->date) - first_week) / 7);

		if (++counts[s->team * nweeks + w] > max)
			max = counts[s->team * nweeks + w];
	}
	buf_printf(r->out, "<section id=\"teams\">\n<h2>%d. %s</h2>\n<p class=\"muted\">%s</p>\n",
		   ++r->section, T(r->lang, "Số buổi của từng tổ theo tuần", "Sessions per team per week"),
		   T(r->lang, "Mỗi ô là số buổi thu nhận của tổ trong tuần (số tuần theo ISO 8601, "
			      "ngày đầu tuần ghi bên dưới); màu càng đậm càng nhiều buổi.",
		     "Each cell is the team's number of sessions in that week (ISO week number, "
		     "its Monday below); the darker, the more sessions."));
	for (size_t from = 0; from < nweeks; from += HEAT_WEEKS_PER_TABLE) {
		size_t to = from + HEAT_WEEKS_PER_TABLE < nweeks ? from + HEAT_WEEKS_PER_TABLE : nweeks;

		buf_printf(r->out, "<table class=\"heat\"><thead><tr><th class=\"team\">%s</th>",
			   T(r->lang, "Tổ \\ Tuần", "Team \\ Week"));
		for (size_t w = from; w < to; w++) {
			int monday = first_week + 7 * (int)w, iso_year;

			buf_printf(r->out, "<th>%s%d<br>", T(r->lang, "", "W"),
				   date_iso_week(monday, &iso_year));
			put_day_month(r->out, r->lang, monday);
			buf_puts(r->out, "</th>");
		}
		buf_puts(r->out, "</tr></thead>\n<tbody>\n");
		for (size_t t = 0; t < c->nteams; t++) {
			buf_puts(r->out, "<tr><td class=\"team\">");
			put_text(r->out, c->teams[t].name);
			buf_puts(r->out, "</td>");
			for (size_t w = from; w < to; w++) {
				int monday = first_week + 7 * (int)w, iso_year, week;
				long long n = counts[t * nweeks + w];

				week = date_iso_week(monday, &iso_year);
				buf_printf(r->out, "<td class=\"h%d\" data-team=\"", heat_level(n, max));
				put_text(r->out, c->teams[t].id);
				buf_printf(r->out, "\" data-week=\"%04d-W%02d\" data-sessions=\"%lld\">%lld</td>",
					   iso_year, week, n, n);
			}
			buf_puts(r->out, "</tr>\n");
		}
		buf_puts(r->out, "</tbody></table>\n");
	}
	buf_puts(r->out, "</section>\n");
	free(counts);
	return true;
}

/* ---- 4. communes (a district) ---- */

/* A commune is only a slug in the campaign: its police stations' names
 * under it tell a reader which commune it is. */
static void put_commune_stations(struct report *r, size_t commune)
{
	const char *sep = "<br><span class=\"muted small\">";

	for (size_t i = 0; i < r->c->nsites; i++) {
		const struct site *site = &r->c->sites[i];

		if (site->kind != SITE_STATION || site->commune < 0 || (size_t)site->commune != commune)
			continue;
		buf_puts(r->out, sep);
		put_text(r->out, site->name);
		sep = "; ";
	}
	if (sep[0] == ';')
		buf_puts(r->out, "</span>");
}

static bool section_communes(struct report *r)
{
	const struct campaign *c = r->c;
	size_t nrows = c->ncommunes + 1; /* the last row: units of no commune */
	int y0, m0, d0, y1, m1, d1;
	size_t nmonths;
	struct group_total *rows;
	struct plan_cov cov;
	long long *trend;
	bool any_without = false;

	if (c->ncommunes < 2)
		return true;
	date_to_ymd(c->start, &y0, &m0, &d0);
	date_to_ymd(c->end, &y1, &m1, &d1);
	nmonths = (size_t)((y1 - y0) * 12 + (m1 - m0) + 1);
	rows = xcalloc_array(nrows, sizeof(*rows));
	trend = xcalloc_array(nrows * nmonths, sizeof(*trend));
	if (!rows || !trend) {
		free(rows);
		free(trend);
		return false;
	}
	plan_cov_init(&cov, r->p);
	for (size_t u = 0; u < c->nunits; u++) {
		size_t k = c->units[u].commune >= 0 ? (size_t)c->units[u].commune : c->ncommunes;

		if (k == c->ncommunes)
			any_without = true;
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			int planned, by_deadline;

			plan_cov_get(&cov, u, d, &planned, &by_deadline);
			rows[k].demand += c->units[u].demand[d].count;
			rows[k].planned += planned;
			rows[k].by_deadline += by_deadline;
		}
	}
	plan_cov_release(&cov);
	for (size_t i = 0; i < r->p->nsessions; i++) {
		const struct plan_session *s = &r->p->sessions[i];
		int y, m, d;
		size_t month;

		date_to_ymd(s->date, &y, &m, &d);
		month = (size_t)((y - y0) * 12 + (m - m0));
		for (size_t v = 0; v < s->nvisits; v++) {
			int k = c->units[s->visits[v].unit].commune;

			trend[(k >= 0 ? (size_t)k : c->ncommunes) * nmonths + month] += s->visits[v].count;
		}
	}
	for (size_t k = 0; k < nrows; k++) /* cumulative, month by month */
		for (size_t m = 1; m < nmonths; m++)
			trend[k * nmonths + m] += trend[k * nmonths + m - 1];

	buf_printf(r->out, "<section id=\"communes\">\n<h2>%d. %s</h2>\n<p class=\"muted\">%s</p>\n",
		   ++r->section, T(r->lang, "Theo xã", "Per commune"),
		   T(r->lang, "Xu hướng: lũy kế số người được mời theo tháng.",
		     "Trend: people invited so far, month by month."));
	buf_printf(r->out, "<table class=\"communes\"><thead><tr><th>%s</th><th class=\"n\">%s</th>"
		   "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th>%s</th>"
		   "</tr></thead>\n<tbody>\n",
		   T(r->lang, "Xã", "Commune"), T(r->lang, "Cần phục vụ", "Demand"),
		   T(r->lang, "Kịp hạn", "By deadline"), T(r->lang, "Được mời", "Invited"),
		   T(r->lang, "Tỉ lệ kịp hạn", "Coverage"), T(r->lang, "Xu hướng", "Trend"));
	for (size_t k = 0; k < nrows; k++) {
		const char *name = k < c->ncommunes ? c->communes[k]
						    : T(r->lang, "(không thuộc xã nào)", "(no commune)");
		struct buf label;
		long long pct10 = rows[k].demand ? rows[k].by_deadline * 1000 / rows[k].demand : 1000;

		if (k == c->ncommunes && !any_without)
			continue;
		buf_init(&label);
		buf_puts(r->out, "<tr data-commune=\"");
		put_text(r->out, k < c->ncommunes ? c->communes[k] : "");
		buf_printf(r->out, "\" data-demand=\"%lld\" data-by-deadline=\"%lld\" data-invited=\"%lld\"><td>",
			   rows[k].demand, rows[k].by_deadline, rows[k].planned);
		put_text(r->out, name);
		put_commune_stations(r, k);
		buf_puts(r->out, "</td><td class=\"n\">");
		report_put_number(r->out, r->lang, rows[k].demand);
		buf_puts(r->out, "</td><td class=\"n\">");
		report_put_number(r->out, r->lang, rows[k].by_deadline);
		buf_puts(r->out, "</td><td class=\"n\">");
		report_put_number(r->out, r->lang, rows[k].planned);
		buf_printf(r->out, "</td><td class=\"n%s\">%lld%s%lld%%</td><td>",
			   rows[k].by_deadline < rows[k].demand ? " short" : "", pct10 / 10,
			   T(r->lang, ",", "."), pct10 % 10);
		buf_printf(&label, "%s %s", T(r->lang, "Xu hướng của", "Trend of"), name);
		svg_sparkline(r->out, buf_str(&label), &trend[k * nmonths], nmonths, rows[k].demand);
		buf_release(&label);
		buf_puts(r->out, "</td></tr>\n");
	}
	buf_puts(r->out, "</tbody></table>\n</section>\n");
	free(rows);
	free(trend);
	return true;
}

/* ---- 5. the rota, week by week ---- */

static void put_session_row(struct report *r, const struct plan_session *s)
{
	const struct campaign *c = r->c;
	char start[TIME_TEXT_SIZE], end[TIME_TEXT_SIZE], uid[PLAN_UID_SIZE];
	long long people = 0;

	plan_session_uid(r->p, s, uid, sizeof(uid));
	time_format(s->start, start);
	time_format(s->end, end);
	buf_puts(r->out, "<tr class=\"session\" data-session=\"");
	put_text(r->out, uid);
	buf_puts(r->out, "\" data-team=\"");
	put_text(r->out, c->teams[s->team].id);
	buf_puts(r->out, "\" data-date=\"");
	put_iso_date_attr(r->out, s->date);
	buf_printf(r->out, "\" data-slot=\"%s\"><td class=\"when\">%s ", slot_kind_name(s->slot),
		   (en(r->lang) ? weekday_en : weekday_vi)[date_weekday(s->date)]);
	put_day_month(r->out, r->lang, s->date);
	buf_printf(r->out, "</td><td class=\"when\">%s</td><td class=\"when\">%s" DASH "%s</td><td>",
		   (en(r->lang) ? slot_en : slot_vi)[s->slot], start, end);
	/* A commune with one team needs no team column. */
	if (c->nteams > 1) {
		put_text(r->out, c->teams[s->team].name);
		buf_puts(r->out, "</td><td>");
	}
	put_text(r->out, c->sites[s->site].name);
	buf_puts(r->out, "</td><td class=\"units\">");
	/* One line per unit: visits are sorted by arrival, then unit. */
	for (size_t v = 0; v < s->nvisits;) {
		size_t unit = s->visits[v].unit, w;
		long long count = 0;
		char arrive[TIME_TEXT_SIZE], until[TIME_TEXT_SIZE];

		time_format(s->visits[v].arrive, arrive);
		for (w = v; w < s->nvisits && s->visits[w].unit == unit; w++)
			count += s->visits[w].count;
		time_format(s->visits[w - 1].until, until);
		if (v)
			buf_puts(r->out, "<br>");
		put_text(r->out, c->units[unit].name);
		buf_printf(r->out, ": %lld <span class=\"t\">(%s" DASH "%s)</span>", count, arrive, until);
		people += count;
		v = w;
	}
	buf_printf(r->out, "</td><td class=\"n\">%lld</td></tr>\n", people);
}

static void section_rota(struct report *r)
{
	const struct plan *p = r->p;

	buf_printf(r->out, "<section id=\"rota\">\n<h2>%d. %s</h2>\n",
		   ++r->section, T(r->lang, "Lịch thu nhận theo tuần", "The rota, week by week"));
	if (!p->nsessions)
		buf_printf(r->out, "<p>%s</p>\n",
			   T(r->lang, "Kế hoạch chưa có buổi nào.", "The plan has no sessions."));
	for (size_t i = 0; i < p->nsessions;) {
		int monday = date_week_monday(p->sessions[i].date), iso_year, week;
		size_t j;

		week = date_iso_week(monday, &iso_year);
		buf_printf(r->out, "<div class=\"week\" data-week=\"%04d-W%02d\">\n<h3>%s %d: ", iso_year,
			   week, T(r->lang, "Tuần", "Week"), week);
		put_day_month(r->out, r->lang, monday);
		buf_puts(r->out, " " DASH " ");
		put_date(r->out, r->lang, monday + 6);
		buf_printf(r->out, "</h3>\n<table class=\"rota\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>",
			   T(r->lang, "Ngày", "Day"), T(r->lang, "Ca", "Slot"),
			   T(r->lang, "Giờ làm việc", "Hours"));
		if (r->c->nteams > 1)
			buf_printf(r->out, "<th>%s</th>", T(r->lang, "Tổ", "Team"));
		buf_printf(r->out, "<th>%s</th><th>%s</th><th class=\"n\">%s</th></tr></thead>\n<tbody>\n",
			   T(r->lang, "Địa điểm", "Site"),
			   T(r->lang, "Đơn vị được mời: số người (giờ đến)", "Invited: people (arrival)"),
			   T(r->lang, "Số người", "People"));
		for (j = i; j < p->nsessions && date_week_monday(p->sessions[j].date) == monday; j++)
			put_session_row(r, &p->sessions[j]);
		buf_puts(r->out, "</tbody></table>\n</div>\n");
		i = j;
	}
	buf_puts(r->out, "</section>\n");
}

/* ---- the page ---- */

static void put_header(struct report *r)
{
	const struct campaign *c = r->c;

	buf_printf(r->out, "<header>\n<h1>%s</h1>\n<p class=\"campaign\" data-campaign=\"",
		   T(r->lang, "Kế hoạch thu nhận hồ sơ Căn cước và định danh điện tử",
		     "Intake plan for ID cards and e-ID accounts"));
	put_text(r->out, c->id);
	buf_puts(r->out, "\"><b>");
	put_text(r->out, c->name);
	buf_printf(r->out, "</b><br>%s ", T(r->lang, "Từ", "From"));
	put_date(r->out, r->lang, c->start);
	buf_printf(r->out, " %s ", T(r->lang, "đến", "to"));
	put_date(r->out, r->lang, c->end);
	buf_printf(r->out, " &middot; %zu %s &middot; %zu %s &middot; %zu %s</p>\n",
		   c->nteams, T(r->lang, "tổ thu nhận", c->nteams == 1 ? "team" : "teams"),
		   c->nsites, T(r->lang, "địa điểm", c->nsites == 1 ? "site" : "sites"),
		   c->nunits, T(r->lang, "thôn, xóm, trường", c->nunits == 1 ? "unit" : "units"));
	buf_printf(r->out, "<p class=\"muted\">%s",
		   T(r->lang, "Kết quả giải bài toán: ", "Solver: "));
	if (r->p->solver.status == PLAN_OPTIMAL)
		buf_puts(r->out, T(r->lang, "tối ưu.", "optimal."));
	else {
		char gap[32];

		snprintf(gap, sizeof(gap), "%.2f", r->p->solver.gap * 100.0);
		if (!en(r->lang) && strchr(gap, '.'))
			*strchr(gap, '.') = ','; /* Vietnamese writes a decimal comma */
		buf_printf(r->out, T(r->lang, "khả thi, sai số tối đa %s%% (chưa chứng minh tối ưu).",
				     "feasible, gap %s%% (not proven optimal)."),
			   gap);
	}
	buf_puts(r->out, "</p>\n</header>\n");
}

void report_html(const struct plan *p, enum rota_lang lang, const char *appendix,
		 struct buf *out)
{
	const struct campaign *c = p->campaign;
	struct report r;
	struct buf title;

	memset(&r, 0, sizeof(r));
	r.p = p;
	r.c = c;
	r.lang = lang;
	r.out = out;
	r.order = xcalloc_array(c->ngroups ? c->ngroups : 1, sizeof(*r.order));
	r.groups = xcalloc_array(c->ngroups ? c->ngroups : 1, sizeof(*r.groups));
	buf_init(&title);
	if (!r.order || !r.groups)
		goto fail;
	order_groups(c, r.order);
	total_groups(&r);
	buf_printf(&title, "%s %s", T(lang, "Kế hoạch", "Plan"), c->name);
	report_html_begin(out, lang, buf_str(&title));
	put_header(&r);
	if (!section_headline(&r) || !section_progress(&r) || !section_teams(&r) ||
	    !section_communes(&r))
		goto fail;
	section_rota(&r);
	if (appendix)
		buf_puts(out, appendix);
	buf_printf(out, "<footer>%s <code>rota.json</code>.</footer>\n",
		   T(lang, "Báo cáo lập tự động bằng rota từ kế hoạch", "Written by rota from the plan"));
	report_html_end(out);
	goto out;
fail:
	out->failed = 1;
out:
	buf_release(&title);
	free(r.order);
	free(r.groups);
}
