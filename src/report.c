/*
 * report.c - the plan for programs and people: rota.json, rota.csv and
 * summary.txt, as docs/plan-format.md describes them.
 *
 * Every byte depends only on the plan (and the campaign file's name), so
 * that one plan always gives the same files: keys in a fixed order, numbers
 * in one fixed notation, no clock. The files hold ids and counts, never the
 * names, e-mail addresses or phones of contacts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "date.h"
#include "report.h"
#include "banned.h"

/* ---- rota.json ---- */

/* A double as a JSON number that one value always spells the same way and
 * that every reader takes for a fraction: fixed notation rounded to six
 * decimals, trailing zeros dropped but one kept ("0.0", "0.25", "108000.0"),
 * never "-0.0"; exponent notation from 1e15 on. NaN and infinities, which
 * no solve should give, become null rather than invalid JSON. */
static void put_json_double(struct buf *out, double x)
{
	char text[64];
	size_t n;

	if (!isfinite(x)) {
		buf_puts(out, "null");
		return;
	}
	if (fabs(x) >= 1e15) {
		snprintf(text, sizeof(text), "%.17g", x);
		buf_puts(out, text);
		return;
	}
	snprintf(text, sizeof(text), "%.6f", x);
	n = strlen(text);
	while (n > 2 && text[n - 1] == '0' && text[n - 2] != '.')
		n--;
	text[n] = '\0';
	buf_puts(out, strcmp(text, "-0.0") ? text : "0.0");
}

/* A gap is a fraction; one that is not a number was never proven (1). */
static double finite_gap(double gap)
{
	return isfinite(gap) ? gap : 1.0;
}

static void put_json_key(struct buf *out, const char *key)
{
	buf_put_json_string(out, key);
	buf_puts(out, ": ");
}

static void put_json_date(struct buf *out, int date)
{
	char text[DATE_TEXT_SIZE];

	date_format(date, text);
	buf_put_json_string(out, text);
}

static void put_json_time(struct buf *out, int minutes)
{
	char text[TIME_TEXT_SIZE];

	time_format(minutes, text);
	buf_put_json_string(out, text);
}

/* Whether s is well-formed UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF), so that it can stand in a JSON string. */
static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned c = *p++;
		unsigned cp;
		int more;

		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (int i = 0; i < more; i++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (*p++ & 0x3f);
		}
		if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

static void json_visit(const struct campaign *c, const struct plan_visit *v, struct buf *out)
{
	const struct demand *d = &c->units[v->unit].demand[v->demand];

	buf_puts(out, "{");
	put_json_key(out, "unit");
	buf_put_json_string(out, c->units[v->unit].id);
	buf_puts(out, ", ");
	put_json_key(out, "group");
	buf_put_json_string(out, c->groups[d->group].id);
	buf_puts(out, ", ");
	put_json_key(out, "service");
	buf_put_json_string(out, c->services[d->service].id);
	buf_printf(out, ", \"count\": %d, ", v->count);
	put_json_key(out, "arrive");
	put_json_time(out, v->arrive);
	buf_puts(out, ", ");
	put_json_key(out, "until");
	put_json_time(out, v->until);
	buf_puts(out, "}");
}

static void json_session(const struct plan *p, const struct plan_session *s, struct buf *out)
{
	const struct campaign *c = p->campaign;
	char uid[PLAN_UID_SIZE];

	plan_session_uid(p, s, uid, sizeof(uid));
	buf_puts(out, "    {\n      \"uid\": ");
	buf_put_json_string(out, uid);
	buf_puts(out, ",\n      \"team\": ");
	buf_put_json_string(out, c->teams[s->team].id);
	buf_puts(out, ",\n      \"site\": ");
	buf_put_json_string(out, c->sites[s->site].id);
	buf_puts(out, ",\n      \"date\": ");
	put_json_date(out, s->date);
	buf_puts(out, ",\n      \"slot\": ");
	buf_put_json_string(out, slot_kind_name(s->slot));
	buf_puts(out, ",\n      \"start\": ");
	put_json_time(out, s->start);
	buf_puts(out, ",\n      \"end\": ");
	put_json_time(out, s->end);
	if (s->fixed)
		buf_puts(out, ",\n      \"fixed\": true");
	buf_puts(out, ",\n      \"visits\": [");
	for (size_t i = 0; i < s->nvisits; i++) {
		buf_puts(out, i ? ",\n        " : "\n        ");
		json_visit(c, &s->visits[i], out);
	}
	buf_puts(out, s->nvisits ? "\n      ]\n    }" : "]\n    }");
}

static void json_coverage(const struct plan *p, struct buf *out)
{
	const struct campaign *c = p->campaign;
	const char *sep = "\n    ";
	bool any = false;

	buf_puts(out, "  \"coverage\": [");
	for (size_t u = 0; u < c->nunits; u++) {
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			const struct demand *dm = &c->units[u].demand[d];
			int planned, by_deadline;

			plan_coverage(p, u, d, &planned, &by_deadline);
			buf_puts(out, sep);
			sep = ",\n    ";
			any = true;
			buf_puts(out, "{\"unit\": ");
			buf_put_json_string(out, c->units[u].id);
			buf_puts(out, ", \"group\": ");
			buf_put_json_string(out, c->groups[dm->group].id);
			buf_puts(out, ", \"service\": ");
			buf_put_json_string(out, c->services[dm->service].id);
			buf_printf(out, ", \"demand\": %d, \"planned\": %d, \"by_deadline\": %d, ",
				   dm->count, planned, by_deadline);
			put_json_key(out, "deadline");
			put_json_date(out, c->groups[dm->group].deadline);
			buf_puts(out, "}");
		}
	}
	buf_puts(out, any ? "\n  ],\n" : "],\n");
}

static void json_solver(const struct plan_solver *sv, struct buf *out)
{
	buf_puts(out, "  \"solver\": {\n    \"status\": ");
	buf_put_json_string(out, sv->status == PLAN_OPTIMAL ? "optimal" : "feasible");
	buf_puts(out, ",\n    \"objective\": ");
	put_json_double(out, sv->objective);
	buf_puts(out, ",\n    \"bound\": ");
	put_json_double(out, sv->bound);
	buf_puts(out, ",\n    \"gap\": ");
	put_json_double(out, finite_gap(sv->gap));
	buf_puts(out, ",\n    \"seconds\": ");
	put_json_double(out, sv->seconds);
	buf_puts(out, ",\n    \"levels\": [");
	for (size_t i = 0; i < sv->nlevels; i++) {
		const struct plan_level *l = &sv->levels[i];
		char name[sizeof(l->name) + 1];

		/* The name is a fixed array: never read past it. */
		memcpy(name, l->name, sizeof(l->name));
		name[sizeof(l->name)] = '\0';
		buf_puts(out, i ? ",\n      {\"name\": " : "\n      {\"name\": ");
		buf_put_json_string(out, utf8_valid(name) ? name : "?");
		buf_puts(out, ", \"value\": ");
		put_json_double(out, l->value);
		buf_puts(out, ", \"bound\": ");
		put_json_double(out, l->bound);
		buf_puts(out, ", \"gap\": ");
		put_json_double(out, finite_gap(l->gap));
		buf_puts(out, "}");
	}
	buf_puts(out, sv->nlevels ? "\n    ]\n  }\n" : "]\n  }\n");
}

void report_json(const struct plan *p, const char *campaign_file, struct buf *out)
{
	const struct campaign *c = p->campaign;

	buf_puts(out, "{\n  \"format\": \"rota-plan/1\",\n  \"campaign\": ");
	buf_put_json_string(out, c->id);
	/* A name that is not UTF-8 cannot be written in JSON; without it,
	 * `rota week` asks for --campaign instead of opening a wrong file. */
	if (campaign_file && utf8_valid(campaign_file)) {
		buf_puts(out, ",\n  \"campaign_file\": ");
		buf_put_json_string(out, campaign_file);
	}
	buf_puts(out, ",\n  \"sessions\": [");
	for (size_t i = 0; i < p->nsessions; i++) {
		buf_puts(out, i ? ",\n" : "\n");
		json_session(p, &p->sessions[i], out);
	}
	buf_puts(out, p->nsessions ? "\n  ],\n" : "],\n");
	json_coverage(p, out);
	json_solver(&p->solver, out);
	buf_puts(out, "}\n");
}

/* ---- rota.csv ---- */

/* One field as RFC 4180 wants it: quoted, with quotes doubled, when it
 * holds a comma, a quote or a line break. */
static void put_csv_field(struct buf *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		buf_puts(out, s);
		return;
	}
	buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(out, '"');
		buf_putc(out, *s);
	}
	buf_putc(out, '"');
}

static void put_csv_row(struct buf *out, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ',');
		put_csv_field(out, fields[i]);
	}
	buf_puts(out, "\r\n");
}

void report_csv(const struct plan *p, struct buf *out)
{
	static const char *const header[] = { "date",  "slot",    "start", "end",
					      "team",  "site",    "unit",  "group",
					      "service", "count", "arrive", "until" };
	const struct campaign *c = p->campaign;

	put_csv_row(out, header, sizeof(header) / sizeof(header[0]));
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		char date[DATE_TEXT_SIZE], start[TIME_TEXT_SIZE], end[TIME_TEXT_SIZE];

		date_format(s->date, date);
		time_format(s->start, start);
		time_format(s->end, end);
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];
			const struct demand *d = &c->units[v->unit].demand[v->demand];
			char count[16], arrive[TIME_TEXT_SIZE], until[TIME_TEXT_SIZE];
			const char *row[12];

			snprintf(count, sizeof(count), "%d", v->count);
			time_format(v->arrive, arrive);
			time_format(v->until, until);
			row[0] = date;
			row[1] = slot_kind_name(s->slot);
			row[2] = start;
			row[3] = end;
			row[4] = c->teams[s->team].id;
			row[5] = c->sites[s->site].id;
			row[6] = c->units[v->unit].id;
			row[7] = c->groups[d->group].id;
			row[8] = c->services[d->service].id;
			row[9] = count;
			row[10] = arrive;
			row[11] = until;
			put_csv_row(out, row, 12);
		}
	}
}

/* ---- summary.txt ---- */

static const char *plural(long long n)
{
	return n == 1 ? "" : "s";
}

/* Width of the widest id in a column, at least min. */
static int id_width(int min, size_t len)
{
	return len > (size_t)min ? (int)len : min;
}

/* A number for people to read, right-aligned in width columns: whole
 * numbers without a fraction. */
static void put_human_number(struct buf *out, int width, double x)
{
	char text[64];

	if (!isfinite(x))
		snprintf(text, sizeof(text), "-");
	else if (x == floor(x) && fabs(x) < 1e15)
		snprintf(text, sizeof(text), "%.0f", x == 0.0 ? 0.0 : x);
	else
		snprintf(text, sizeof(text), "%.2f", x);
	buf_printf(out, "%*s", width, text);
}

/* A gap as people read it: "0" when proven, else a percentage. */
static void gap_text(double gap, char *text, size_t size)
{
	gap = finite_gap(gap);
	if (gap <= 0.0)
		snprintf(text, size, "0");
	else if (gap < 0.00005)
		snprintf(text, size, "<0.01%%");
	else
		snprintf(text, size, "%.2f%%", 100.0 * gap);
}

/* Per group: its people, invited by the deadline, invited at all. */
struct group_total {
	long long demand, by_deadline, planned;
};

/* Groups in the order the summary lists them: most urgent first, then as
 * in the file. */
static void groups_by_priority(const struct campaign *c, size_t *order)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		size_t i = g;

		while (i > 0 && c->groups[order[i - 1]].priority > c->groups[g].priority) {
			order[i] = order[i - 1];
			i--;
		}
		order[i] = g;
	}
}

/* Characters (not bytes) of UTF-8 text in [s, end). */
static size_t utf8_columns(const char *s, const char *end)
{
	size_t n = 0;

	for (; s < end; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Appends text as lines of at most 80 columns, each indented by two
 * spaces, broken at spaces (a word longer than a line stands alone). */
static void put_wrapped(struct buf *out, const char *text)
{
	const size_t room = 78;
	size_t cols = 0;
	bool open = false;

	for (;;) {
		const char *end;
		size_t width;

		while (*text == ' ')
			text++;
		if (!*text)
			break;
		end = strchr(text, ' ');
		if (!end)
			end = text + strlen(text);
		width = utf8_columns(text, end);
		if (open && cols + 1 + width > room) {
			buf_putc(out, '\n');
			open = false;
		}
		if (open) {
			buf_putc(out, ' ');
			cols++;
		} else {
			buf_puts(out, "  ");
			cols = 0;
			open = true;
		}
		buf_putn(out, text, (size_t)(end - text));
		cols += width;
		text = end;
	}
	if (open)
		buf_putc(out, '\n');
}

static void summary_header(const struct plan *p, long long invited, long long demand,
			   struct buf *out)
{
	const struct campaign *c = p->campaign;
	char start[DATE_TEXT_SIZE], end[DATE_TEXT_SIZE];

	date_format(c->start, start);
	date_format(c->end, end);
	buf_printf(out, "Plan of campaign %s\n", c->id);
	put_wrapped(out, c->name);
	buf_printf(out, "  %s to %s: %zu session%s, %lld of %lld people invited\n", start, end,
		   p->nsessions, plural((long long)p->nsessions), invited, demand);
}

static void summary_coverage_table(const struct campaign *c, const size_t *order,
				   const struct group_total *totals, struct buf *out)
{
	struct group_total all = { 0, 0, 0 };
	int w = 5;

	for (size_t g = 0; g < c->ngroups; g++)
		w = id_width(w, strlen(c->groups[g].id));
	buf_puts(out, "\nCoverage by group, most urgent first\n");
	buf_printf(out, "  %-*s  %8s  %-10s  %8s  %11s  %8s  %6s\n", w, "group", "priority",
		   "deadline", "demand", "by deadline", "invited", "short");
	for (size_t i = 0; i < c->ngroups; i++) {
		const struct group *g = &c->groups[order[i]];
		const struct group_total *t = &totals[order[i]];
		char deadline[DATE_TEXT_SIZE];

		date_format(g->deadline, deadline);
		buf_printf(out, "  %-*s  %8d  %-10s  %8lld  %11lld  %8lld  ", w, g->id, g->priority,
			   deadline, t->demand, t->by_deadline, t->planned);
		if (t->demand > t->by_deadline)
			buf_printf(out, "%6lld\n", t->demand - t->by_deadline);
		else
			buf_printf(out, "%6s\n", "-");
		all.demand += t->demand;
		all.by_deadline += t->by_deadline;
		all.planned += t->planned;
	}
	if (c->ngroups > 1) {
		buf_printf(out, "  %-*s  %8s  %-10s  %8lld  %11lld  %8lld  ", w, "total", "", "",
			   all.demand, all.by_deadline, all.planned);
		if (all.demand > all.by_deadline)
			buf_printf(out, "%6lld\n", all.demand - all.by_deadline);
		else
			buf_printf(out, "%6s\n", "-");
	}
}

/* Work of the people of group g still missing at its deadline, per service,
 * in full `day` sessions of team t: sum of short x turnout / capacity.
 * Returns -1 when t does not offer one of the services. */
static double closing_load(const struct campaign *c, size_t g, const long long *short_by_service,
			   size_t t)
{
	double load = 0.0;

	for (size_t s = 0; s < c->nservices; s++) {
		if (!short_by_service[s])
			continue;
		if (c->teams[t].capacity[s] <= 0)
			return -1.0;
		load += (double)short_by_service[s] * c->groups[g].turnout /
			(double)c->teams[t].capacity[s];
	}
	return load;
}

/* Whole sessions that hold load, without counting rounding noise as one. */
static long long sessions_for(double load)
{
	return (long long)ceil(load - 1e-9);
}

/* What would close a group's shortfall: the fewest full day sessions of a
 * single team that offers every service missing, or else, service by
 * service, of the team with the largest capacity for it. */
static void summary_closing(const struct campaign *c, size_t g, const long long *short_by_service,
			    struct buf *out)
{
	char deadline[DATE_TEXT_SIZE];
	double best = -1.0;
	size_t best_team = 0;

	date_format(c->groups[g].deadline, deadline);
	for (size_t t = 0; t < c->nteams; t++) {
		double load = closing_load(c, g, short_by_service, t);

		if (load >= 0.0 && (best < 0.0 || load < best)) {
			best = load;
			best_team = t;
		}
	}
	if (best >= 0.0) {
		long long n = sessions_for(best);
		const char *sep = "";

		buf_printf(out, "    closing it takes about %lld more full day session%s of team %s\n",
			   n, plural(n), c->teams[best_team].id);
		buf_puts(out, "    (");
		for (size_t s = 0; s < c->nservices; s++) {
			if (!short_by_service[s])
				continue;
			buf_printf(out, "%s%d %s", sep, c->teams[best_team].capacity[s],
				   c->services[s].id);
			sep = " or ";
		}
		buf_printf(out, " a day) on or before %s\n", deadline);
		return;
	}
	for (size_t s = 0; s < c->nservices; s++) {
		int cap = 0;
		size_t team = 0;
		long long n;

		if (!short_by_service[s])
			continue;
		for (size_t t = 0; t < c->nteams; t++) {
			if (c->teams[t].capacity[s] > cap) {
				cap = c->teams[t].capacity[s];
				team = t;
			}
		}
		if (cap <= 0) {
			buf_printf(out, "    no team offers %s\n", c->services[s].id);
			continue;
		}
		n = sessions_for((double)short_by_service[s] * c->groups[g].turnout / cap);
		buf_printf(out, "    %s: about %lld more full day session%s of team %s (%d a day)\n",
			   c->services[s].id, n, plural(n), c->teams[team].id, cap);
		buf_printf(out, "    on or before %s\n", deadline);
	}
}

/* For every group that misses its deadline: who falls short, by how much,
 * and what would close it. Returns false when out of memory. */
static bool summary_shortfalls(const struct plan *p, const size_t *order,
			       const struct group_total *totals, struct buf *out)
{
	const struct campaign *c = p->campaign;
	long long *short_by_service = xcalloc_array(c->nservices, sizeof(*short_by_service));
	bool any = false;
	int wu = 4, ws = 7;

	if (!short_by_service)
		return false;
	for (size_t u = 0; u < c->nunits; u++)
		wu = id_width(wu, strlen(c->units[u].id));
	for (size_t s = 0; s < c->nservices; s++)
		ws = id_width(ws, strlen(c->services[s].id));
	for (size_t i = 0; i < c->ngroups; i++) {
		size_t g = order[i];
		const struct group_total *t = &totals[g];
		char deadline[DATE_TEXT_SIZE];

		if (t->demand <= t->by_deadline)
			continue;
		if (!any)
			buf_puts(out, "\nDeadlines not met\n");
		any = true;
		date_format(c->groups[g].deadline, deadline);
		buf_printf(out, "  %s (priority %d, due %s): %lld of %lld people not invited by then\n",
			   c->groups[g].id, c->groups[g].priority, deadline,
			   t->demand - t->by_deadline, t->demand);
		memset(short_by_service, 0, c->nservices * sizeof(*short_by_service));
		for (size_t u = 0; u < c->nunits; u++) {
			for (size_t d = 0; d < c->units[u].ndemand; d++) {
				const struct demand *dm = &c->units[u].demand[d];
				int planned, by_deadline, missing;

				if (dm->group != g)
					continue;
				plan_coverage(p, u, d, &planned, &by_deadline);
				missing = dm->count - by_deadline;
				if (missing <= 0)
					continue;
				short_by_service[dm->service] += missing;
				buf_printf(out, "    %-*s  %-*s  short by %d", wu, c->units[u].id, ws,
					   c->services[dm->service].id, missing);
				if (planned > by_deadline)
					buf_printf(out, " (%d invited after the deadline)",
						   planned - by_deadline);
				buf_putc(out, '\n');
			}
		}
		summary_closing(c, g, short_by_service, out);
	}
	if (any)
		buf_puts(out,
			 "  A full day session is a day slot at the team's base; sessions farther\n"
			 "  away hold fewer people. A shortfall can also come from the groups'\n"
			 "  dates, slot kinds or sites rather than from capacity: see the\n"
			 "  capacity check below.\n");
	else
		buf_puts(out, "Every group is invited in full by its deadline.\n");
	free(short_by_service);
	return true;
}

static void summary_sessions(const struct plan *p, struct buf *out)
{
	const struct campaign *c = p->campaign;
	long long total[SLOT_COUNT + 2] = { 0 };
	size_t fixed = 0;
	int w = 4;

	for (size_t t = 0; t < c->nteams; t++)
		w = id_width(w, strlen(c->teams[t].id));
	buf_puts(out, "\nSessions by team and slot kind\n");
	buf_printf(out, "  %-*s", w, "team");
	for (int k = 0; k < SLOT_COUNT; k++)
		buf_printf(out, "  %7s", slot_kind_name((enum slot_kind)k));
	buf_printf(out, "  %7s  %7s\n", "total", "people");
	for (size_t t = 0; t < c->nteams; t++) {
		long long row[SLOT_COUNT + 2] = { 0 };

		for (size_t i = 0; i < p->nsessions; i++) {
			const struct plan_session *s = &p->sessions[i];

			if (s->team != t)
				continue;
			row[s->slot]++;
			row[SLOT_COUNT]++;
			for (size_t j = 0; j < s->nvisits; j++)
				row[SLOT_COUNT + 1] += s->visits[j].count;
		}
		buf_printf(out, "  %-*s", w, c->teams[t].id);
		for (int k = 0; k < SLOT_COUNT + 2; k++) {
			buf_printf(out, "  %7lld", row[k]);
			total[k] += row[k];
		}
		buf_putc(out, '\n');
	}
	if (c->nteams > 1) {
		buf_printf(out, "  %-*s", w, "total");
		for (int k = 0; k < SLOT_COUNT + 2; k++)
			buf_printf(out, "  %7lld", total[k]);
		buf_putc(out, '\n');
	}
	for (size_t i = 0; i < p->nsessions; i++)
		if (p->sessions[i].fixed)
			fixed++;
	if (fixed)
		buf_printf(out, "  %zu of them fixed beforehand in the campaign.\n", fixed);
}

static void summary_solver(const struct plan_solver *sv, struct buf *out)
{
	char gap[32];
	int w = 5;

	gap_text(sv->gap, gap, sizeof(gap));
	buf_printf(out, "\nSolver: %s, gap %s", sv->status == PLAN_OPTIMAL ? "optimal" : "feasible",
		   gap);
	if (finite_gap(sv->gap) <= 0.0)
		buf_puts(out, " (every level proven optimal)");
	else if (sv->status == PLAN_FEASIBLE)
		buf_puts(out, " (not proven optimal)");
	if (sv->seconds > 0.0)
		buf_printf(out, ", %.1f s", sv->seconds);
	buf_putc(out, '\n');
	if (!sv->nlevels)
		return;
	for (size_t i = 0; i < sv->nlevels; i++)
		w = id_width(w, strnlen(sv->levels[i].name, sizeof(sv->levels[i].name)));
	buf_printf(out, "  %-*s  %12s  %12s  %7s\n", w, "level", "value", "bound", "gap");
	for (size_t i = 0; i < sv->nlevels; i++) {
		const struct plan_level *l = &sv->levels[i];

		buf_printf(out, "  %-*.*s", w, (int)sizeof(l->name), l->name);
		buf_puts(out, "  ");
		put_human_number(out, 12, l->value);
		buf_puts(out, "  ");
		put_human_number(out, 12, l->bound);
		gap_text(l->gap, gap, sizeof(gap));
		buf_printf(out, "  %7s\n", gap);
	}
}

static void summary_notes(const char *notes, struct buf *out)
{
	const char *line = notes;

	if (!notes || !*notes)
		return;
	buf_puts(out, "\nCalendars and invitations not written\n");
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (n) {
			buf_puts(out, "  ");
			buf_putn(out, line, n);
			buf_putc(out, '\n');
		}
		line += n + (nl ? 1 : 0);
	}
}

void report_summary(const struct plan *p, const char *calendar_notes, struct buf *out)
{
	const struct campaign *c = p->campaign;
	struct group_total *totals = xcalloc_array(c->ngroups, sizeof(*totals));
	size_t *order = xcalloc_array(c->ngroups, sizeof(*order));
	struct capacity_row *rows = NULL;
	size_t nrows = 0;
	long long invited = 0, demand = 0;

	if (!totals || !order)
		goto nomem;
	for (size_t u = 0; u < c->nunits; u++) {
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			struct group_total *t = &totals[c->units[u].demand[d].group];
			int planned, by_deadline;

			plan_coverage(p, u, d, &planned, &by_deadline);
			t->demand += c->units[u].demand[d].count;
			t->planned += planned;
			t->by_deadline += by_deadline;
			demand += c->units[u].demand[d].count;
			invited += planned;
		}
	}
	groups_by_priority(c, order);
	summary_header(p, invited, demand, out);
	summary_coverage_table(c, order, totals, out);
	if (!summary_shortfalls(p, order, totals, out))
		goto nomem;
	summary_sessions(p, out);
	summary_solver(&p->solver, out);
	if (capacity_check(c, &rows, &nrows))
		goto nomem;
	buf_putc(out, '\n');
	capacity_format(c, rows, nrows, out);
	summary_notes(calendar_notes, out);
	goto out;
nomem:
	/* The caller learns of it as of any failed append. */
	out->failed = 1;
out:
	free(rows);
	free(totals);
	free(order);
}
