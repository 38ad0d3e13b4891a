/*
 * svg.c - inline SVG charts for the HTML report (svg.h).
 *
 * Coordinates are printed with one decimal in the C locale, so one plan
 * always gives the same bytes. Colours come from classes that the report's
 * style sheet defines, and also from attributes, so that a chart copied
 * out of the page keeps them.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "svg.h"
#include "banned.h"

void svg_put_escaped(struct buf *out, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		default: buf_putc(out, *s); break;
		}
	}
}

enum {
	CHART_W = 440, CHART_H = 230,
	PLOT_LEFT = 50, PLOT_RIGHT = 12, PLOT_TOP = 36, PLOT_BOTTOM = 26
};

static const char *const series_colour[] = { "#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad" };

/* The smallest "nice" step (1, 2 or 5 times a power of ten) that divides
 * 0..max into at most four parts. */
static long long nice_step(long long max)
{
	long long base = 1;

	if (max <= 4)
		return 1;
	for (;;) {
		if (base * 4 >= max)
			return base;
		if (base * 2 * 4 >= max)
			return base * 2;
		if (base * 5 * 4 >= max)
			return base * 5;
		base *= 10;
	}
}

struct chart_scale {
	int first, days;
	long long ymax;
};

static double x_of(const struct chart_scale *sc, int date)
{
	double pw = CHART_W - PLOT_LEFT - PLOT_RIGHT;

	if (date < sc->first)
		date = sc->first;
	if (date > sc->first + sc->days)
		date = sc->first + sc->days;
	return PLOT_LEFT + pw * (double)(date - sc->first) / (double)sc->days;
}

static double y_of(const struct chart_scale *sc, long long v)
{
	double ph = CHART_H - PLOT_TOP - PLOT_BOTTOM;

	return PLOT_TOP + ph - ph * (double)v / (double)sc->ymax;
}

enum { WEEK_TICKS_UP_TO = 100 };

static int first_tick(const struct chart_scale *sc)
{
	int y, m, d;

	if (sc->days <= WEEK_TICKS_UP_TO) {
		int monday = date_week_monday(sc->first);

		return monday < sc->first ? monday + 7 : monday;
	}
	date_to_ymd(sc->first, &y, &m, &d);
	return d == 1 ? sc->first : date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
}

static int next_tick(const struct chart_scale *sc, int tick)
{
	int y, m, d;

	if (sc->days <= WEEK_TICKS_UP_TO)
		return tick + 7;
	date_to_ymd(tick, &y, &m, &d);
	return date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
}

static void put_axes(struct buf *out, const struct svg_chart *ch, const struct chart_scale *sc,
		     long long step)
{
	int y, m, d;

	buf_printf(out, "<g class=\"axis\" font-size=\"12\" fill=\"#333\">\n");
	for (long long v = 0; v <= sc->ymax; v += step) {
		double py = y_of(sc, v);

		buf_printf(out,
			   "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%lld</text>\n",
			   PLOT_LEFT, py, CHART_W - PLOT_RIGHT, py, PLOT_LEFT - 6, py + 4, v);
	}
	/* A tick at the first of every month inside the axis, or at every
	 * Monday when the axis spans at most a hundred days. */
	for (int tick = first_tick(sc); tick <= sc->first + sc->days - 1; tick = next_tick(sc, tick)) {
		double px = x_of(sc, tick);

		date_to_ymd(tick, &y, &m, &d);
		buf_printf(out,
			   "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>"
			   "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
			   px, CHART_H - PLOT_BOTTOM, px, CHART_H - PLOT_BOTTOM + 4, px,
			   CHART_H - PLOT_BOTTOM + 16);
		if (sc->days > WEEK_TICKS_UP_TO)
			svg_put_escaped(out, ch->month_labels ? ch->month_labels[m - 1] : "");
		else if (ch->iso_dates)
			buf_printf(out, "%02d-%02d", m, d);
		else
			buf_printf(out, "%02d/%02d", d, m);
		buf_puts(out, "</text>\n");
	}
	buf_printf(out,
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n</g>\n",
		   PLOT_LEFT, PLOT_TOP, PLOT_LEFT, CHART_H - PLOT_BOTTOM, PLOT_LEFT,
		   CHART_H - PLOT_BOTTOM, CHART_W - PLOT_RIGHT, CHART_H - PLOT_BOTTOM);
}

static void put_series(struct buf *out, const struct svg_series *s, const struct chart_scale *sc,
		       const char *colour)
{
	long long last = s->n ? s->values[s->n - 1] : 0;

	buf_puts(out, "<path class=\"series\" data-series=\"");
	svg_put_escaped(out, s->kind);
	buf_printf(out, "\" data-final=\"%lld\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s d=\"M%.1f %.1f",
		   last, colour, s->dashed ? " stroke-dasharray=\"5 3\"" : "",
		   x_of(sc, sc->first), y_of(sc, 0));
	for (size_t i = 0; i < s->n; i++) {
		/* People invited on a date count from the start of that day. */
		buf_printf(out, "H%.1fV%.1f", x_of(sc, s->dates[i]), y_of(sc, s->values[i]));
	}
	buf_printf(out, "H%.1f\"><title>", x_of(sc, sc->first + sc->days));
	svg_put_escaped(out, s->label);
	buf_printf(out, ": %lld</title></path>\n", last);
}

void svg_cumulative_chart(struct buf *out, const struct svg_chart *ch)
{
	struct chart_scale sc;
	long long top = ch->target > 0 ? ch->target : 1, step;
	char deadline[DATE_TEXT_SIZE] = "";

	for (size_t i = 0; i < ch->nseries; i++)
		if (ch->series[i].n && ch->series[i].values[ch->series[i].n - 1] > top)
			top = ch->series[i].values[ch->series[i].n - 1];
	step = nice_step(top);
	sc.first = ch->first;
	sc.days = ch->last - ch->first + 1;
	if (sc.days < 1)
		sc.days = 1;
	sc.ymax = (top + step - 1) / step * step;
	if (ch->has_deadline)
		date_format(ch->deadline, deadline);

	buf_printf(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		   "role=\"img\" data-chart=\"served\" data-group=\"", CHART_W, CHART_H);
	svg_put_escaped(out, ch->name);
	buf_printf(out, "\" data-target=\"%lld\" data-deadline=\"%s\" data-by-deadline=\"%lld\" aria-label=\"",
		   ch->target, deadline, ch->by_deadline);
	svg_put_escaped(out, ch->title);
	buf_puts(out, "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n<title>");
	svg_put_escaped(out, ch->title);
	buf_puts(out, "</title>\n");
	put_axes(out, ch, &sc, step);

	if (ch->target >= 0) {
		double py = y_of(&sc, ch->target);

		buf_printf(out, "<g class=\"target\" data-value=\"%lld\"><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
			   "y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"2 3\"/>"
			   "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" fill=\"#333\">",
			   ch->target, PLOT_LEFT, py, CHART_W - PLOT_RIGHT, py, PLOT_LEFT + 4, py - 4);
		svg_put_escaped(out, ch->target_label);
		buf_puts(out, "</text></g>\n");
	}
	if (ch->has_deadline) {
		double px = x_of(&sc, ch->deadline + 1);

		buf_printf(out, "<g class=\"deadline\" data-date=\"%s\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
			   "y2=\"%d\" stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>"
			   "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"#c0392b\" text-anchor=\"%s\">",
			   deadline, px, PLOT_TOP - 4, px, CHART_H - PLOT_BOTTOM, px - 4, PLOT_TOP - 8,
			   px > CHART_W / 3 ? "end" : "start");
		svg_put_escaped(out, ch->deadline_label);
		buf_puts(out, "</text></g>\n");
	}
	for (size_t i = 0; i < ch->nseries; i++)
		put_series(out, &ch->series[i], &sc,
			   series_colour[i % (sizeof(series_colour) / sizeof(series_colour[0]))]);
	/* The legend, top left. */
	for (size_t i = 0; i < ch->nseries; i++) {
		int x = PLOT_LEFT + 4 + (int)i * 150;

		buf_printf(out, "<g class=\"legend\"><line x1=\"%d\" y1=\"12\" x2=\"%d\" y2=\"12\" stroke=\"%s\" "
			   "stroke-width=\"2\"%s/><text x=\"%d\" y=\"16\" font-size=\"12\" fill=\"#333\">",
			   x, x + 18, series_colour[i % (sizeof(series_colour) / sizeof(series_colour[0]))],
			   ch->series[i].dashed ? " stroke-dasharray=\"5 3\"" : "", x + 22);
		svg_put_escaped(out, ch->series[i].label);
		buf_puts(out, "</text></g>\n");
	}
	buf_puts(out, "</svg>\n");
}

void svg_sparkline(struct buf *out, const char *label, const long long *values, size_t n,
		   long long max)
{
	const int w = 96, h = 24;
	long long largest = 0;

	for (size_t i = 0; i < n; i++)
		if (values[i] > largest)
			largest = values[i];
	if (max <= 0)
		max = largest > 0 ? largest : 1;
	buf_printf(out, "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" role=\"img\" data-chart=\"trend\" data-values=\"", w, h, w, h);
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s%lld", i ? " " : "", values[i]);
	buf_puts(out, "\" aria-label=\"");
	svg_put_escaped(out, label);
	buf_puts(out, "\"><title>");
	svg_put_escaped(out, label);
	buf_puts(out, "</title><polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\" points=\"");
	for (size_t i = 0; i < n; i++) {
		double x = n > 1 ? 2.0 + (double)(w - 4) * (double)i / (double)(n - 1) : (double)w / 2;
		double y = (double)(h - 2) - (double)(h - 4) * (double)values[i] / (double)max;

		buf_printf(out, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
	buf_puts(out, "\"/></svg>");
}
