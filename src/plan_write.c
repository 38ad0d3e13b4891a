/*
 * plan_write.c - the plan for programs: rota.json and rota.csv, as
 * docs/plan-format.md describes them.
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

#include "date.h"
#include "plan_write.h"
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
	/* History (re-plans only): who came, and whether it was reported. */
	if (v->came >= 0)
		buf_printf(out, ", \"came\": %d", v->came);
	if (v->came >= 0 && v->assumed)
		buf_puts(out, ", \"assumed\": true");
	buf_puts(out, "}");
}

static const char *origin_name(enum plan_origin o)
{
	switch (o) {
	case PLAN_ORIGIN_HELD: return "held";
	case PLAN_ORIGIN_FROZEN: return "frozen";
	case PLAN_ORIGIN_KEPT: return "kept";
	default: return "new";
	}
}

static const char *change_name(enum plan_change ch)
{
	switch (ch) {
	case PLAN_CHANGE_NEW: return "new";
	case PLAN_CHANGE_CHANGED: return "changed";
	default: return "none";
	}
}

/* The re-plan's record of a session: its origin, its event's sequence and
 * change, and one invitation per distinct unit in visit order (one that
 * sequence_assign() did not record is at sequence 0, unchanged). */
static void json_session_replan(const struct plan *p, const struct plan_session *s,
				struct buf *out)
{
	const struct campaign *c = p->campaign;
	bool any = false;

	buf_puts(out, ",\n      \"origin\": ");
	buf_put_json_string(out, origin_name(s->origin));
	buf_printf(out, ",\n      \"sequence\": %d", s->sequence);
	buf_puts(out, ",\n      \"change\": ");
	buf_put_json_string(out, change_name(s->change));
	buf_puts(out, ",\n      \"invitations\": [");
	for (size_t i = 0; i < s->nvisits; i++) {
		size_t unit = s->visits[i].unit;
		const struct plan_invitation *inv;
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = s->visits[j].unit == unit;
		if (seen)
			continue;
		inv = plan_invitation_of(s, unit);
		buf_puts(out, any ? ",\n        {\"unit\": " : "\n        {\"unit\": ");
		any = true;
		buf_put_json_string(out, c->units[unit].id);
		buf_printf(out, ", \"sequence\": %d, \"change\": ", inv ? inv->sequence : 0);
		buf_put_json_string(out, change_name(inv ? inv->change : PLAN_CHANGE_NONE));
		buf_puts(out, "}");
	}
	buf_puts(out, any ? "\n      ]" : "]");
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
	if (p->today >= 0)
		json_session_replan(p, s, out);
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
	struct plan_cov cov;
	bool any = false;

	if (plan_cov_init(&cov, p))
		out->failed = 1;
	buf_puts(out, "  \"coverage\": [");
	for (size_t u = 0; u < c->nunits; u++) {
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			const struct demand *dm = &c->units[u].demand[d];
			int planned, by_deadline;

			plan_cov_get(&cov, u, d, &planned, &by_deadline);
			buf_puts(out, sep);
			sep = ",\n    ";
			any = true;
			buf_puts(out, "{\"unit\": ");
			buf_put_json_string(out, c->units[u].id);
			buf_puts(out, ", \"group\": ");
			buf_put_json_string(out, c->groups[dm->group].id);
			buf_puts(out, ", \"service\": ");
			buf_put_json_string(out, c->services[dm->service].id);
			buf_printf(out, ", \"demand\": %d, ", dm->count);
			if (p->today >= 0)
				buf_printf(out, "\"came\": %d, ", plan_came(p, u, d));
			buf_printf(out, "\"planned\": %d, \"by_deadline\": %d, ", planned,
				   by_deadline);
			put_json_key(out, "deadline");
			put_json_date(out, c->groups[dm->group].deadline);
			if (campaign_intake_deadline(c, dm->group, dm->service) !=
			    c->groups[dm->group].deadline) {
				buf_puts(out, ", ");
				put_json_key(out, "intake_deadline");
				put_json_date(out, campaign_intake_deadline(c, dm->group, dm->service));
			}
			buf_puts(out, "}");
		}
	}
	plan_cov_release(&cov);
	buf_puts(out, any ? "\n  ],\n" : "],\n");
}

/* Events once published and gone (re-plans only), as published. */
static void json_cancelled(const struct plan *p, struct buf *out)
{
	buf_puts(out, "  \"cancelled\": [");
	for (size_t i = 0; i < p->ncancelled; i++) {
		const struct plan_cancelled *ev = &p->cancelled[i];

		buf_puts(out, i ? ",\n    {\"uid\": " : "\n    {\"uid\": ");
		buf_put_json_string(out, ev->uid);
		buf_puts(out, ", \"event\": ");
		buf_put_json_string(out, ev->invitation ? "invitation" : "session");
		buf_puts(out, ", \"team\": ");
		buf_put_json_string(out, ev->team);
		buf_puts(out, ", \"site\": ");
		buf_put_json_string(out, ev->site);
		if (ev->invitation && ev->unit) {
			buf_puts(out, ", \"unit\": ");
			buf_put_json_string(out, ev->unit);
		}
		buf_puts(out, ", \"date\": ");
		put_json_date(out, ev->date);
		buf_puts(out, ", \"slot\": ");
		buf_put_json_string(out, slot_kind_name(ev->slot));
		buf_puts(out, ", \"start\": ");
		put_json_time(out, ev->start);
		buf_puts(out, ", \"end\": ");
		put_json_time(out, ev->end);
		buf_puts(out, ", \"arrive\": ");
		put_json_time(out, ev->arrive);
		buf_puts(out, ", \"until\": ");
		put_json_time(out, ev->until);
		buf_printf(out, ", \"sequence\": %d, \"cancelled_on\": ", ev->sequence);
		put_json_date(out, ev->cancelled_on);
		if (ev->reason && utf8_valid(ev->reason)) {
			buf_puts(out, ", \"reason\": ");
			buf_put_json_string(out, ev->reason);
		}
		buf_puts(out, "}");
	}
	buf_puts(out, p->ncancelled ? "\n  ],\n" : "],\n");
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
	if (p->today >= 0) {
		/* freeze_end is today - 1 when nothing is frozen (--freeze 0). */
		buf_puts(out, ",\n  \"today\": ");
		put_json_date(out, p->today);
		buf_puts(out, ",\n  \"freeze_until\": ");
		put_json_date(out, p->freeze_end >= 0 ? p->freeze_end : p->today - 1);
	}
	buf_puts(out, ",\n  \"sessions\": [");
	for (size_t i = 0; i < p->nsessions; i++) {
		buf_puts(out, i ? ",\n" : "\n");
		json_session(p, &p->sessions[i], out);
	}
	buf_puts(out, p->nsessions ? "\n  ],\n" : "],\n");
	json_coverage(p, out);
	if (p->today >= 0)
		json_cancelled(p, out);
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
