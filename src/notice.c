/* notice.c - the notice of every unit, as text and as one printable page. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "ical_text.h"
#include "notice.h"
#include "banned.h"

/* Every Vietnamese string below is in NFC (suite-45 checks this file). */

#define DASH "\xe2\x80\x93" /* U+2013 EN DASH */

static bool is_en(enum rota_lang lang)
{
	return lang == LANG_EN;
}

static bool is_school(const struct campaign *c, size_t unit)
{
	return c->units[unit].kind == UNIT_SCHOOL;
}

static const struct demand *visit_demand(const struct campaign *c, const struct plan_visit *v)
{
	return &c->units[v->unit].demand[v->demand];
}

static bool has_unit(const struct plan_session *s, size_t unit)
{
	for (size_t i = 0; i < s->nvisits; i++)
		if (s->visits[i].unit == unit)
			return true;
	return false;
}

static const struct plan_visit *first_visit(const struct plan_session *s, size_t unit)
{
	for (size_t i = 0; i < s->nvisits; i++)
		if (s->visits[i].unit == unit)
			return &s->visits[i];
	return NULL;
}

static size_t unit_sessions(const struct plan *p, size_t unit)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nsessions; i++)
		n += has_unit(&p->sessions[i], unit);
	return n;
}

static size_t visits_of(const struct plan_session *s, size_t unit)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nvisits; i++)
		n += s->visits[i].unit == unit;
	return n;
}

static long unit_people(const struct plan_session *s, size_t unit)
{
	long n = 0;

	for (size_t i = 0; i < s->nvisits; i++)
		if (s->visits[i].unit == unit)
			n += s->visits[i].count;
	return n;
}

/* Text escaped for HTML: & < > " become entities. */
static void html_puts(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		default: buf_putc(out, *s);
		}
	}
}

/* A buffer's text as HTML, then emptied. */
static void html_flush(struct buf *out, struct buf *text)
{
	if (text->failed)
		out->failed = 1;
	html_puts(out, buf_str(text));
	buf_release(text);
}

/* "07:45–09:15". */
static void clock_range(struct buf *out, int from, int to)
{
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];

	time_format(from, a);
	time_format(to, b);
	buf_printf(out, "%s" DASH "%s", a, b);
}

/* As it is read aloud: "7 giờ 45" / "7:45". */
static void spoken_time(struct buf *out, int t, enum rota_lang lang)
{
	if (is_en(lang))
		buf_printf(out, "%d:%02d", t / 60, t % 60);
	else if (t % 60)
		buf_printf(out, "%d giờ %02d", t / 60, t % 60);
	else
		buf_printf(out, "%d giờ", t / 60);
}

/* The breaks of the slot that the window [from, to) spans: "; nghỉ
 * 11:30–13:30" each; nothing when none. */
static void spanned_breaks(struct buf *out, const struct campaign *c, enum slot_kind slot,
			   int from, int to, enum rota_lang lang)
{
	const struct slot_window *w = &c->slots[slot];

	for (size_t b = 0; b < w->nbreaks; b++) {
		if (w->breaks[b].end <= from || w->breaks[b].start >= to)
			continue;
		buf_puts(out, is_en(lang) ? " (no service during the break " : " (nghỉ ");
		clock_range(out, w->breaks[b].start, w->breaks[b].end);
		buf_putc(out, ')');
	}
}

/* "from 7:45 to 9:15" / "từ 7 giờ 45 đến 9 giờ 15" and the breaks. */
static void window_words(struct buf *out, const struct campaign *c, const struct plan_session *s,
			 const struct plan_visit *v, enum rota_lang lang)
{
	buf_puts(out, is_en(lang) ? "from " : "từ ");
	spoken_time(out, v->arrive, lang);
	buf_puts(out, is_en(lang) ? " to " : " đến ");
	spoken_time(out, v->until, lang);
	spanned_breaks(out, c, s->slot, v->arrive, v->until, lang);
}

/* "6 người thuộc nhóm Học sinh dự thi: Thu nhận hồ sơ cấp thẻ Căn cước". */
static void visit_words(struct buf *out, const struct campaign *c, const struct plan_visit *v,
			enum rota_lang lang)
{
	const struct demand *d = visit_demand(c, v);
	bool pupils = is_school(c, v->unit);

	if (is_en(lang))
		buf_printf(out, "%d %s of the group %s: %s", v->count,
			   pupils ? (v->count == 1 ? "pupil" : "pupils")
				  : (v->count == 1 ? "person" : "people"),
			   c->groups[d->group].name, c->services[d->service].name);
	else
		buf_printf(out, "%d %s thuộc nhóm %s: %s", v->count, pupils ? "học sinh" : "người",
			   c->groups[d->group].name, c->services[d->service].name);
}

/* The distinct bring lines (service, text, heading) of unit's visits in
 * the whole plan, in plan order. */
struct bring_item {
	size_t group, service; /* the first group with this line */
	const char *what;
};

/* Distinct bring lines of one unit: one per service and group at most. */
static size_t bring_max(const struct campaign *c)
{
	return (c->ngroups + 1) * c->nservices + 1;
}

static size_t bring_items(const struct plan *p, size_t unit, enum rota_lang lang,
			  struct bring_item *items, size_t max)
{
	const struct campaign *c = p->campaign;
	size_t n = 0;

	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		for (size_t j = 0; j < s->nvisits; j++) {
			const struct demand *d;
			bool seen = false;
			const char *what;

			if (s->visits[j].unit != unit)
				continue;
			d = visit_demand(c, &s->visits[j]);
			what = ical_text_bring_for(c, d->group, d->service, lang);
			if (!what)
				continue;
			for (size_t k = 0; k < n && !seen; k++)
				seen = items[k].service == d->service &&
				       ical_text_same_bring_line(c, items[k].group, d->group,
								 d->service, lang);
			if (seen || n == max)
				continue;
			items[n].group = d->group;
			items[n].service = d->service;
			items[n].what = what;
			n++;
		}
	}
	return n;
}

static void bring_heading(struct buf *out, const struct campaign *c,
			  const struct bring_item *it, enum rota_lang lang)
{
	ical_text_bring_heading(out, c, it->group, it->service, lang);
}

/* "Kính gửi: ..." and the opening sentence. */
static void addressee(struct buf *out, const struct campaign *c, size_t unit, enum rota_lang lang)
{
	if (is_school(c, unit))
		buf_printf(out, is_en(lang) ? "To: the head of %s" : "Kính gửi: Ban Giám hiệu %s",
			   c->units[unit].name);
	else
		buf_printf(out, is_en(lang) ? "To: the people of %s" : "Kính gửi: Bà con %s",
			   c->units[unit].name);
}

static const char *organizer_name(const struct campaign *c)
{
	if (c->organizer.name && c->organizer.name[0])
		return c->organizer.name;
	return c->organizer.email ? c->organizer.email : c->name;
}

static void opening(struct buf *out, const struct plan *p, size_t unit, size_t nsessions,
		    enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	bool pupils = is_school(c, unit);

	if (!nsessions) {
		buf_printf(out,
			   is_en(lang) ? "This plan has no session for %s yet. %s will announce "
					 "one when it is planned."
				       : "Kế hoạch này chưa có lịch cho %s. %s sẽ thông báo khi có "
					 "lịch.",
			   c->units[unit].name, organizer_name(c));
		return;
	}
	if (is_en(lang))
		buf_printf(out, "%s invites the %s of %s listed below to come on %s:",
			   organizer_name(c), pupils ? "pupils" : "people", c->units[unit].name,
			   nsessions == 1 ? "this day" : "these days");
	else
		buf_printf(out, "%s trân trọng mời %s của %s có tên trong danh sách đến làm thủ "
				"tục theo lịch dưới đây:",
			   organizer_name(c), pupils ? "học sinh" : "công dân", c->units[unit].name);
}

static void closing_lines(struct buf *out, const struct campaign *c, size_t unit,
			  enum rota_lang lang, bool html)
{
	const struct person_ref *who = &c->units[unit].contact;
	struct buf t;

	buf_init(&t);
	if (is_school(c, unit))
		buf_puts(&t, is_en(lang)
				     ? "Please send the pupils within their time, with their teacher."
				     : "Đề nghị nhà trường cho học sinh đến đúng giờ, có giáo viên "
				       "đi cùng.");
	else
		buf_puts(&t, is_en(lang)
				     ? "Please come within your time. Whoever cannot come then, tell "
				       "us beforehand and we will give you another time."
				     : "Đề nghị bà con đến đúng giờ hẹn. Ai không đến được, xin báo "
				       "trước để được hẹn lại.");
	if (html) {
		buf_puts(out, "<p>");
		html_flush(out, &t);
		buf_puts(out, "</p>\n<p class=\"contact\">");
	} else {
		buf_printf(out, "%s\n\n", buf_str(&t));
		if (t.failed)
			out->failed = 1;
		buf_release(&t);
	}
	buf_puts(&t, is_en(lang) ? "Contact: " : "Liên hệ: ");
	buf_puts(&t, organizer_name(c));
	if (c->organizer.email && c->organizer.email[0] &&
	    strcmp(organizer_name(c), c->organizer.email))
		buf_printf(&t, ", %s %s", is_en(lang) ? "e-mail" : "thư điện tử",
			   c->organizer.email);
	if (c->organizer.phone && c->organizer.phone[0])
		buf_printf(&t, ", %s %s", is_en(lang) ? "phone" : "điện thoại", c->organizer.phone);
	if (c->units[unit].has_contact && who->phone && who->phone[0]) {
		const char *role = who->role && who->role[0]
					   ? who->role
					   : (is_en(lang) ? "the unit's contact" : "người phụ trách");

		buf_printf(&t, is_en(lang) ? "; %s: phone %s" : "; %s: điện thoại %s", role,
			   who->phone);
	}
	buf_putc(&t, '.');
	if (html) {
		html_flush(out, &t);
		buf_puts(out, "</p>\n");
	} else {
		buf_printf(out, "%s\n", buf_str(&t));
	}
	if (t.failed)
		out->failed = 1;
	buf_release(&t);
}

void notice_text(struct buf *out, const struct plan *p, size_t unit, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	size_t n = unit_sessions(p, unit), k = 0, nitems;
	struct bring_item *items = calloc(bring_max(c), sizeof(*items));

	if (!items) {
		out->failed = 1;
		return;
	}
	buf_printf(out, "%s\n%s\n\n", is_en(lang) ? "NOTICE" : "THÔNG BÁO", c->name);
	addressee(out, c, unit, lang);
	buf_puts(out, "\n\n");
	opening(out, p, unit, n, lang);
	buf_puts(out, "\n");
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		const struct plan_visit *v = first_visit(s, unit);

		if (!v)
			continue;
		buf_printf(out, "\n%s %zu: ", is_en(lang) ? "Session" : "Lần", ++k);
		ical_text_date(out, lang, s->date);
		buf_printf(out, "\n  %s: ", is_en(lang) ? "Arrive" : "Giờ đến");
		window_words(out, c, s, v, lang);
		buf_printf(out, "\n  %s: ", is_en(lang) ? "Place" : "Địa điểm");
		ical_text_location(out, &c->sites[s->site]);
		buf_printf(out, "\n  %s:\n", is_en(lang) ? "Invited" : "Mời");
		for (size_t j = 0; j < s->nvisits; j++) {
			if (s->visits[j].unit != unit)
				continue;
			buf_puts(out, "  - ");
			visit_words(out, c, &s->visits[j], lang);
			buf_putc(out, '\n');
		}
	}
	nitems = bring_items(p, unit, lang, items, bring_max(c));
	if (nitems)
		buf_printf(out, "\n%s\n", is_en(lang) ? "What to bring:" : "Cần mang theo:");
	for (size_t i = 0; i < nitems; i++) {
		buf_puts(out, "- ");
		bring_heading(out, c, &items[i], lang);
		buf_printf(out, ": %s\n", items[i].what);
	}
	buf_putc(out, '\n');
	closing_lines(out, c, unit, lang, false);
	free(items);
}

/* Height in points of a paragraph of text at size pt (times scale) on
 * the page's 182 mm (516 pt) of width, a DejaVu Sans character being
 * about 0.56 em wide on average, lines 1.3 em apart, then a gap. */
static double para_height(const char *text, double pt, double scale)
{
	size_t chars = 0;
	double per_line = 516.0 / (0.56 * pt * scale);
	double lines;

	for (; *text; text++)
		chars += ((unsigned char)*text & 0xc0) != 0x80;
	lines = ceil((double)chars / per_line);
	if (lines < 1.0)
		lines = 1.0;
	return lines * 1.3 * pt * scale + 0.3 * pt;
}

/* Releases the measuring text t, remembering whether an append to it
 * failed. */
static void measured(struct buf *t, int *failed)
{
	if (t->failed)
		*failed = 1;
	buf_release(t);
}

/* The largest type size, 16 points down to 8, at which the notice of unit
 * fits one A4 page (273 mm, 774 pt, of height inside the margins, of
 * which this reckoning keeps a tenth in reserve); 0 when out of memory. */
static int type_points(const struct plan *p, size_t unit, enum rota_lang lang,
		       const struct bring_item *items, size_t nitems)
{
	const struct campaign *c = p->campaign;
	size_t n = unit_sessions(p, unit);
	struct buf t;
	int pt, failed = 0;

	buf_init(&t);
	for (pt = 16; pt > 8; pt--) {
		double h = 2.0 * 1.3 * pt + para_height(c->name, pt, 1.0);

		addressee(&t, c, unit, lang);
		h += para_height(buf_str(&t), pt, 1.15);
		measured(&t, &failed);
		opening(&t, p, unit, n, lang);
		h += para_height(buf_str(&t), pt, 1.0);
		measured(&t, &failed);
		for (size_t i = 0; i < p->nsessions; i++) {
			const struct plan_session *s = &p->sessions[i];
			const struct plan_visit *v = first_visit(s, unit);

			if (!v)
				continue;
			ical_text_date(&t, lang, s->date);
			buf_puts(&t, ", 00:00-00:00");
			spanned_breaks(&t, c, s->slot, v->arrive, v->until, lang);
			h += para_height(buf_str(&t), pt, 1.15);
			measured(&t, &failed);
			buf_puts(&t, "Địa điểm: ");
			ical_text_location(&t, &c->sites[s->site]);
			h += para_height(buf_str(&t), pt, 1.0) + 0.6 * pt;
			if (visits_of(s, unit) > 1)
				h += 1.3 * pt;
			measured(&t, &failed);
			for (size_t j = 0; j < s->nvisits; j++) {
				if (s->visits[j].unit != unit)
					continue;
				buf_puts(&t, "    ");
				visit_words(&t, c, &s->visits[j], lang);
				h += para_height(buf_str(&t), pt, 1.0) - 0.15 * pt;
				measured(&t, &failed);
			}
		}
		h += 2.0 * pt;
		for (size_t i = 0; i < nitems; i++) {
			buf_puts(&t, "    ");
			bring_heading(&t, c, &items[i], lang);
			buf_printf(&t, ": %s", items[i].what);
			h += para_height(buf_str(&t), pt, 1.0);
			measured(&t, &failed);
		}
		h += 4.0 * 1.3 * pt + 1.0 * pt;
		if (h <= 0.9 * 774.0)
			break;
	}
	measured(&t, &failed);
	return failed ? 0 : pt;
}

void notice_html(struct buf *out, const struct plan *p, size_t unit, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	size_t n = unit_sessions(p, unit), nitems;
	struct bring_item *items = calloc(bring_max(c), sizeof(*items));
	struct buf t;
	int pt;

	if (!items) {
		out->failed = 1;
		return;
	}
	buf_init(&t);
	nitems = bring_items(p, unit, lang, items, bring_max(c));
	pt = type_points(p, unit, lang, items, nitems);
	if (!pt)
		out->failed = 1;
	buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
		   is_en(lang) ? "en" : "vi");
	buf_printf(&t, "%s " DASH " %s", is_en(lang) ? "Notice" : "Thông báo", c->units[unit].name);
	buf_puts(out, "<title>");
	html_flush(out, &t);
	buf_puts(out, "</title>\n<style>\n"
		      "@page { size: A4; margin: 12mm 14mm; }\n");
	buf_printf(out,
		   "body { font-family: \"DejaVu Sans\", \"Noto Sans\", Arial, sans-serif; "
		   "font-size: %dpt; line-height: 1.3; margin: 0; color: #000; }\n",
		   pt);
	buf_puts(out, "h1 { font-size: 2em; text-align: center; margin: 0 0 0.2em; "
		      "letter-spacing: 0.1em; }\n"
		      ".campaign { text-align: center; font-weight: bold; margin: 0 0 0.8em; }\n"
		      ".to { font-weight: bold; font-size: 1.15em; margin: 0.4em 0; }\n"
		      ".session { border-left: 4pt solid #000; padding: 0 0 0 0.5em; "
		      "margin: 0.5em 0; break-inside: avoid; }\n"
		      ".session p { margin: 0.1em 0; }\n"
		      ".when { font-weight: bold; font-size: 1.15em; }\n"
		      "h2 { font-size: 1.15em; margin: 0.6em 0 0.2em; }\n"
		      "ul { margin: 0; padding-left: 1.2em; }\n"
		      "li { margin: 0.15em 0; }\n"
		      ".contact { font-weight: bold; }\n"
		      "</style>\n</head>\n<body>\n");
	buf_printf(out, "<h1>%s</h1>\n<p class=\"campaign\">", is_en(lang) ? "NOTICE" : "THÔNG BÁO");
	html_puts(out, c->name);
	buf_puts(out, "</p>\n<p class=\"to\">");
	addressee(&t, c, unit, lang);
	html_flush(out, &t);
	buf_puts(out, "</p>\n<p>");
	opening(&t, p, unit, n, lang);
	html_flush(out, &t);
	buf_puts(out, "</p>\n");
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		const struct plan_visit *v = first_visit(s, unit);

		if (!v)
			continue;
		buf_puts(out, "<div class=\"session\">\n<p class=\"when\">");
		ical_text_date(&t, lang, s->date);
		buf_puts(&t, ", ");
		clock_range(&t, v->arrive, v->until);
		spanned_breaks(&t, c, s->slot, v->arrive, v->until, lang);
		html_flush(out, &t);
		buf_printf(out, "</p>\n<p><b>%s:</b> ", is_en(lang) ? "Place" : "Địa điểm");
		ical_text_location(&t, &c->sites[s->site]);
		html_flush(out, &t);
		buf_puts(out, "</p>\n<ul>\n");
		for (size_t j = 0; j < s->nvisits; j++) {
			if (s->visits[j].unit != unit)
				continue;
			buf_puts(out, "<li>");
			visit_words(&t, c, &s->visits[j], lang);
			html_flush(out, &t);
			buf_puts(out, "</li>\n");
		}
		buf_puts(out, "</ul>\n");
		if (visits_of(s, unit) > 1 && is_en(lang))
			buf_printf(out, "<p><b>In all: %ld</b></p>\n", unit_people(s, unit));
		else if (visits_of(s, unit) > 1)
			buf_printf(out, "<p><b>Tổng cộng: %ld %s</b></p>\n", unit_people(s, unit),
				   is_school(c, unit) ? "học sinh" : "người");
		buf_puts(out, "</div>\n");
	}
	if (nitems)
		buf_printf(out, "<h2>%s</h2>\n<ul>\n", is_en(lang) ? "What to bring" : "Cần mang theo");
	for (size_t i = 0; i < nitems; i++) {
		buf_puts(out, "<li><b>");
		bring_heading(&t, c, &items[i], lang);
		html_flush(out, &t);
		buf_puts(out, ":</b> ");
		html_puts(out, items[i].what);
		buf_puts(out, "</li>\n");
	}
	if (nitems)
		buf_puts(out, "</ul>\n");
	closing_lines(out, c, unit, lang, true);
	buf_puts(out, "</body>\n</html>\n");
	if (t.failed)
		out->failed = 1;
	buf_release(&t);
	free(items);
}

int notice_write_all(const struct plan *p, enum rota_lang lang, struct outdir *dir,
		     struct rota_error *err)
{
	const struct campaign *c = p->campaign;
	struct buf file, path;
	int rc = ROTA_OK;

	buf_init(&file);
	buf_init(&path);
	for (size_t u = 0; u < c->nunits && !rc; u++) {
		for (int html = 0; html < 2 && !rc; html++) {
			if (html)
				notice_html(&file, p, u, lang);
			else
				notice_text(&file, p, u, lang);
			buf_printf(&path, "notices/%s.%s", c->units[u].id, html ? "html" : "txt");
			if (file.failed || path.failed)
				rc = rota_error_set(err, ROTA_ENOMEM, "out of memory writing notices");
			else
				rc = outdir_write(dir, buf_str(&path), file.data, file.len, err);
			buf_release(&file);
			buf_release(&path);
		}
	}
	buf_release(&file);
	buf_release(&path);
	return rc;
}
