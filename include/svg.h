/*
 * svg.h - the charts of the HTML report, as inline SVG that rota writes
 * itself (nothing to download): a cumulative step chart against a target
 * and a deadline, and a small trend line. Every chart carries a <title>,
 * an aria-label and data-* attributes with its figures, so that a reader
 * without sight and a test can both find them.
 *
 * Every function appends to out; nothing here allocates beyond the buffer.
 * All strings are borrowed and escaped on output.
 */
#ifndef ROTA_SVG_H
#define ROTA_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Appends s with &, <, >, " and ' escaped, for HTML or SVG text and
 * attribute values alike. NULL appends nothing. */
void svg_put_escaped(struct buf *out, const char *s);

/* One line of a cumulative chart: values[i] people in all on dates[i]
 * (dates ascending, values not decreasing). */
struct svg_series {
	const char *kind;   /* data-series: "planned", "came" */
	const char *label;  /* legend text */
	const int *dates;
	const long long *values;
	size_t n;
	bool dashed;
};

struct svg_chart {
	const char *name;           /* data-group */
	const char *title;          /* <title> and aria-label */
	int first, last;            /* dates at the ends of the x axis */
	const char *const *month_labels; /* 12 short month names for the ticks */
	bool iso_dates;             /* weekly ticks as "05-20", else "20/05" */
	long long target;           /* drawn as a level line; < 0 for none */
	const char *target_label;
	bool has_deadline;
	int deadline;               /* date, marked at the end of that day */
	const char *deadline_label;
	long long by_deadline;      /* data-by-deadline */
	const struct svg_series *series;
	size_t nseries;
};

/* A chart of people in all over time, one step line per series. */
void svg_cumulative_chart(struct buf *out, const struct svg_chart *chart);

/* A trend line of n values from 0 to max (max <= 0: the largest value),
 * 96 x 24 pixels, labelled (aria-label, <title>) and with data-values. */
void svg_sparkline(struct buf *out, const char *label, const long long *values, size_t n,
		   long long max);

#endif
