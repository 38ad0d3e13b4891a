/*
 * campaign_check.c - the checks of a whole campaign, run once every part
 * of it was read without error and campaign_finalize() has run: demand
 * that no session could serve, fixed sessions that cannot be held or
 * clash, and (site, team) pairs whose sessions would share a name.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "campaign_check.h"
#include "date.h"
#include "diag.h"
#include "reader.h"
#include "util.h"
#include "banned.h"

static const char *const weekday_plural[7] = { "Mondays", "Tuesdays", "Wednesdays", "Thursdays",
					       "Fridays", "Saturdays", "Sundays" };

/* ------------------------------------------------------------------ */
/* Checks of the whole campaign, after campaign_finalize().            */

/* Day bitmaps, so that "is there a date on which..." costs a few words. */
struct model {
	const struct campaign *c;
	size_t words;         /* 64-day words per bitmap */
	uint64_t *team_days;  /* [team][kind]: the slot exists and the team is available */
	uint64_t *site_open;  /* [site]: not closed */
	int *latest;          /* [site][service][kind]: last day index a session is
			       * possible by a team offering the service; -1 none,
			       * -2 not computed yet */
	size_t *adj_start;    /* travel neighbours of each site, CSR */
	size_t *adj;
};

static void model_release(struct model *m)
{
	free(m->team_days);
	free(m->site_open);
	free(m->latest);
	free(m->adj_start);
	free(m->adj);
}

/* Sets out[i] for each day i of the campaign inside one of the ranges. */
static void ranges_days(const struct campaign *c, const struct date_ranges *rg, int *diff,
			bool *out)
{
	memset(diff, 0, ((size_t)c->ndays + 1) * sizeof(*diff));
	for (size_t i = 0; i < rg->count; i++) {
		int a = rg->items[i].first, b = rg->items[i].last;

		if (b < c->start || a > c->end)
			continue;
		diff[(a < c->start ? c->start : a) - c->start]++;
		diff[(b > c->end ? c->end : b) - c->start + 1]--;
	}
	for (int i = 0, run = 0; i < c->ndays; i++) {
		run += diff[i];
		out[i] = run > 0;
	}
}

static int model_init(struct model *m, const struct campaign *c)
{
	size_t n = c->nsites, edges = 0;
	int *diff = NULL;
	bool *in = NULL;
	int rc = ROTA_ENOMEM;

	memset(m, 0, sizeof(*m));
	m->c = c;
	m->words = ((size_t)c->ndays + 63) / 64;
	m->team_days = xcalloc_array(c->nteams * SLOT_COUNT * m->words, sizeof(uint64_t));
	m->site_open = xcalloc_array(n * m->words, sizeof(uint64_t));
	m->latest = xcalloc_array(n * c->nservices * SLOT_COUNT, sizeof(int));
	m->adj_start = xcalloc_array(n + 1, sizeof(size_t));
	diff = xcalloc_array((size_t)c->ndays + 1, sizeof(*diff));
	in = xcalloc_array((size_t)c->ndays + 1, sizeof(*in));
	if (!m->team_days || !m->site_open || !m->latest || !m->adj_start || !diff || !in)
		goto out;
	for (size_t i = 0; i < n * c->nservices * SLOT_COUNT; i++)
		m->latest[i] = -2;
	for (size_t t = 0; t < c->nteams; t++) {
		ranges_days(c, &c->teams[t].unavailable, diff, in);
		for (int d = 0; d < c->ndays; d++)
			for (int k = 0; k < SLOT_COUNT && !in[d]; k++)
				if (c->day_slots[d] & SLOT_BIT(k))
					m->team_days[(t * SLOT_COUNT + (size_t)k) * m->words +
						     (size_t)d / 64] |= (uint64_t)1 << (d % 64);
	}
	for (size_t s = 0; s < n; s++) {
		ranges_days(c, &c->sites[s].closed, diff, in);
		for (int d = 0; d < c->ndays; d++)
			if (!in[d])
				m->site_open[s * m->words + (size_t)d / 64] |= (uint64_t)1 << (d % 64);
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			edges += a != b && c->travel[a * n + b] >= 0;
	m->adj = xcalloc_array(edges, sizeof(size_t));
	if (!m->adj)
		goto out;
	for (size_t a = 0, e = 0; a < n; a++) {
		m->adj_start[a] = e;
		for (size_t b = 0; b < n; b++)
			if (a != b && c->travel[a * n + b] >= 0)
				m->adj[e++] = b;
		m->adj_start[a + 1] = e;
	}
	rc = ROTA_OK;
out:
	free(diff);
	free(in);
	return rc;
}

/* The last day index on which team can hold a session at site in kind
 * (session_possible()), or -1. */
static int latest_session(const struct model *m, size_t team, size_t site, enum slot_kind kind)
{
	const struct campaign *c = m->c;
	const uint64_t *td = &m->team_days[(team * SLOT_COUNT + kind) * m->words];
	const uint64_t *so = &m->site_open[site * m->words];

	if (!(c->teams[team].slots & SLOT_BIT(kind)) || !(c->sites[site].slots & SLOT_BIT(kind)) ||
	    session_capacity_share(c, team, site, kind) <= 0.0)
		return -1;
	for (size_t w = m->words; w-- > 0;) {
		uint64_t x = td[w] & so[w];

		for (int b = 63; x && b >= 0; b--)
			if ((x >> b) & 1u)
				return (int)(w * 64 + (size_t)b);
	}
	return -1;
}

/* The last day index on which some team offering service can hold a
 * session at site in kind, or -1. */
static int latest_for_service(struct model *m, size_t site, size_t service, enum slot_kind kind)
{
	const struct campaign *c = m->c;
	int *cache = &m->latest[(site * c->nservices + service) * SLOT_COUNT + kind];

	if (*cache == -2) {
		*cache = -1;
		for (size_t t = 0; t < c->nteams; t++) {
			int d;

			if (c->teams[t].capacity[service] <= 0)
				continue;
			d = latest_session(m, t, site, kind);
			if (d > *cache)
				*cache = d;
		}
	}
	return *cache;
}

static void slot_list(struct buf *b, slot_set set, const char *conj)
{
	int n = 0, total = 0;

	for (int k = 0; k < SLOT_COUNT; k++)
		total += (set >> k) & 1;
	for (int k = 0; k < SLOT_COUNT; k++) {
		if (!((set >> k) & 1))
			continue;
		if (n)
			buf_puts(b, n == total - 1 ? conj : ", ");
		buf_printf(b, "'%s'", slot_kind_name((enum slot_kind)k));
		n++;
	}
}

/* Whether some team can bring a session to the people of demand row j of
 * unit u; fills allowed[] with the sites they may use. */
static bool row_reachable(struct model *m, size_t u, size_t j, size_t *allowed, size_t *nallowed)
{
	const struct campaign *c = m->c;
	const struct unit *unit = &c->units[u];
	const struct demand *d = &unit->demand[j];
	const struct group *g = &c->groups[d->group];
	int from = (g->from > c->start ? g->from : c->start) - c->start;
	size_t first = m->adj_start[unit->site], last = m->adj_start[unit->site + 1];

	*nallowed = 0;
	for (size_t e = first; e <= last; e++) {
		/* The unit's own site first, then those it reaches. */
		size_t s = e == first ? unit->site : m->adj[e - 1];

		if (group_may_use_site(c, u, d->group, s))
			allowed[(*nallowed)++] = s;
	}
	for (size_t i = 0; i < *nallowed; i++)
		for (int k = 0; k < SLOT_COUNT; k++)
			if ((g->slots & SLOT_BIT(k)) &&
			    latest_for_service(m, allowed[i], d->service, (enum slot_kind)k) >= from)
				return true;
	return false;
}

static void explain_row(struct model *m, size_t u, size_t j, const size_t *allowed,
			size_t nallowed, struct buf *msg)
{
	const struct campaign *c = m->c;
	const struct unit *unit = &c->units[u];
	const struct demand *d = &unit->demand[j];
	const struct group *g = &c->groups[d->group];
	char day[DATE_TEXT_SIZE];

	if (!nallowed) {
		buf_printf(msg, "no site for these people: the 'at' of group '%s' allows no site "
				"that unit '%s' reaches from its site '%s'",
			   g->id, unit->id, c->sites[unit->site].id);
		return;
	}
	date_format(g->from > c->start ? g->from : c->start, day);
	buf_printf(msg, "no team can bring a session to these people: no team that offers '%s' "
			"can hold one in slot ",
		   c->services[d->service].id);
	slot_list(msg, g->slots, " or ");
	buf_puts(msg, " at ");
	for (size_t i = 0; i < nallowed && i < 3; i++)
		buf_printf(msg, "%s'%s'", i == 0 ? "" : i + 1 == nallowed ? " or " : ", ",
			   c->sites[allowed[i]].id);
	if (nallowed > 3)
		buf_printf(msg, " or %zu other site%s", nallowed - 3, nallowed == 4 ? "" : "s");
	buf_printf(msg, " on or after %s", day);
}

/* Demand that no team can bring a session to (rules 1-6). One mistake
 * (a group's slots, a team's) can strand many rows: each group and
 * service gets at most four messages. */
static void check_demand(struct reader *r, struct model *m)
{
	const struct campaign *c = r->c;
	size_t keys = c->ngroups * c->nservices;
	size_t *allowed = xcalloc_array(c->nsites, sizeof(*allowed));
	size_t *unreached = xcalloc_array(keys, sizeof(*unreached));
	size_t *fourth = xcalloc_array(keys * 2, sizeof(*fourth));
	bool *offered = xcalloc_array(c->nservices, sizeof(*offered));
	size_t *needed = xcalloc_array(c->nservices, sizeof(*needed));
	struct buf path, msg;

	buf_init(&path);
	buf_init(&msg);
	if (rd_failed(r, !allowed || !unreached || !fourth || !offered || !needed))
		goto out;
	for (size_t t = 0; t < c->nteams; t++)
		for (size_t v = 0; v < c->nservices; v++)
			offered[v] |= c->teams[t].capacity[v] > 0;
	/* A service that no team offers is one mistake: say it once. */
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t j = 0; j < c->units[u].ndemand; j++)
			if (c->units[u].demand[j].count > 0)
				needed[c->units[u].demand[j].service]++;
	for (size_t v = 0; v < c->nservices; v++) {
		if (offered[v] || !needed[v])
			continue;
		path_pop(&path, 0);
		path_push_key(&path, "services", 8);
		path_push_key(&path, c->services[v].id, strlen(c->services[v].id));
		report_at(r, DIAG_ERROR, c->services[v].loc, buf_str(&path),
			  "no team offers this service, but %zu demand row%s need%s it", needed[v],
			  needed[v] == 1 ? "" : "s", needed[v] == 1 ? "s" : "");
	}
	for (size_t u = 0; u < c->nunits && !stopped(r); u++) {
		for (size_t j = 0; j < c->units[u].ndemand && !stopped(r); j++) {
			const struct demand *d = &c->units[u].demand[j];
			size_t key = d->group * c->nservices + d->service, nallowed;

			if (d->count == 0 || !offered[d->service] ||
			    row_reachable(m, u, j, allowed, &nallowed))
				continue;
			if (++unreached[key] == 4) {
				fourth[2 * key] = u;
				fourth[2 * key + 1] = j;
			}
			if (unreached[key] > 3)
				continue;
			path_pop(&path, 0);
			buf_printf(&path, "units[%zu].demand[%zu]", u, j);
			path_pop(&msg, 0);
			explain_row(m, u, j, allowed, nallowed, &msg);
			report_at(r, DIAG_ERROR, d->loc, buf_str(&path), "%s", buf_str(&msg));
		}
	}
	for (size_t key = 0; key < keys && !stopped(r); key++) {
		size_t u = fourth[2 * key], j = fourth[2 * key + 1], nallowed;

		if (unreached[key] < 4)
			continue;
		path_pop(&path, 0);
		buf_printf(&path, "units[%zu].demand[%zu]", u, j);
		path_pop(&msg, 0);
		if (unreached[key] == 4) {
			row_reachable(m, u, j, allowed, &nallowed);
			explain_row(m, u, j, allowed, nallowed, &msg);
		} else {
			buf_printf(&msg, "no team can bring a session to these people either, nor to "
					 "those of %zu more rows of group '%s' for service '%s'",
				   unreached[key] - 4, c->groups[key / c->nservices].id,
				   c->services[key % c->nservices].id);
		}
		report_at(r, DIAG_ERROR, c->units[u].demand[j].loc, buf_str(&path), "%s",
			  buf_str(&msg));
	}
out:
	rd_failed(r, path.failed || msg.failed);
	buf_release(&path);
	buf_release(&msg);
	free(allowed);
	free(unreached);
	free(fourth);
	free(offered);
	free(needed);
}

/* A lead time that leaves no intake date before a group's deadline: the
 * deadline cannot be met, which is not an input error (campaign-v1, "Bad
 * input"), but is almost always a mistake: a warning, once per group and
 * service that has people. */
static void check_lead_times(struct reader *r)
{
	const struct campaign *c = r->c;
	struct buf path;

	buf_init(&path);
	for (size_t g = 0; g < c->ngroups; g++) {
		const struct group *gr = &c->groups[g];
		int first = gr->from > c->start ? gr->from : c->start;

		for (size_t v = 0; v < c->nservices; v++) {
			int intake = campaign_intake_deadline(c, g, v);
			bool wanted = false;
			char due[DATE_TEXT_SIZE], open[DATE_TEXT_SIZE];

			if (c->services[v].lead_days == 0 || intake >= first)
				continue;
			for (size_t u = 0; u < c->nunits && !wanted; u++)
				for (size_t j = 0; j < c->units[u].ndemand && !wanted; j++)
					wanted = c->units[u].demand[j].group == g &&
						 c->units[u].demand[j].service == v &&
						 c->units[u].demand[j].count > 0;
			if (!wanted)
				continue;
			date_format(intake, due);
			date_format(first, open);
			path_pop(&path, 0);
			buf_printf(&path, "services.%s.lead_days", c->services[v].id);
			report_at(r, DIAG_WARNING, c->services[v].loc, buf_str(&path),
				  "a lead time of %d days leaves group '%s' no intake date: its "
				  "people would have to come by %s to hold their card on its "
				  "deadline, but may come only from %s; its deadline cannot be met",
				  c->services[v].lead_days, gr->id, due, open);
		}
	}
	rd_failed(r, path.failed);
	buf_release(&path);
}

/* Why a session cannot be held (rules 1-4 less the weekly limit), in
 * the order session_possible() would find out. */
enum why_not {
	WHY_OK,
	WHY_OUTSIDE,     /* of the campaign */
	WHY_NO_SLOT,     /* the slot kind does not exist on that date */
	WHY_TEAM_SLOT,   /* the team does not work that slot kind */
	WHY_SITE_SLOT,   /* the site does not host it */
	WHY_REACH,       /* the team cannot reach the site */
	WHY_TRAVEL,      /* travel eats all the working time */
	WHY_UNAVAILABLE, /* the team is unavailable that date */
	WHY_CLOSED       /* the site is closed that date */
};

static enum why_not why_not(const struct campaign *c, size_t team, size_t site, int date,
			    enum slot_kind kind)
{
	const struct team *t = &c->teams[team];
	const struct site *s = &c->sites[site];

	if (date < c->start || date > c->end)
		return WHY_OUTSIDE;
	if (!(campaign_slots_on(c, date) & SLOT_BIT(kind)))
		return WHY_NO_SLOT;
	if (!(t->slots & SLOT_BIT(kind)))
		return WHY_TEAM_SLOT;
	if (!(s->slots & SLOT_BIT(kind)))
		return WHY_SITE_SLOT;
	if (!team_reaches_site(c, team, site))
		return WHY_REACH;
	if (session_capacity_share(c, team, site, kind) <= 0.0)
		return WHY_TRAVEL;
	if (date_ranges_contain(&t->unavailable, date))
		return WHY_UNAVAILABLE;
	if (date_ranges_contain(&s->closed, date))
		return WHY_CLOSED;
	return WHY_OK;
}

static bool why_is_dated(enum why_not why)
{
	return why == WHY_OUTSIDE || why == WHY_NO_SLOT || why == WHY_UNAVAILABLE ||
	       why == WHY_CLOSED;
}

/* What kind of day date is, for messages. */
static const char *day_type(const struct campaign *c, int date)
{
	slot_set on = campaign_slots_on(c, date);

	if (on & SLOT_BIT(SLOT_HOLIDAY))
		return "a holiday";
	if (on & SLOT_BIT(SLOT_DAY))
		return "a workday";
	return "not a workday";
}

static void explain_why(const struct campaign *c, size_t team, size_t site, int date,
			enum slot_kind kind, enum why_not why, struct buf *b)
{
	const struct team *t = &c->teams[team];
	const struct site *s = &c->sites[site];
	char day[DATE_TEXT_SIZE], first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];
	slot_set on;

	date_format(date, day);
	switch (why) {
	case WHY_OK:
		break;
	case WHY_OUTSIDE:
		date_format(c->start, first);
		date_format(c->end, last);
		buf_printf(b, "%s is outside the campaign (%s to %s)", day, first, last);
		break;
	case WHY_NO_SLOT:
		on = campaign_slots_on(c, date);
		buf_printf(b, "%s is %s, which has only the ", day, day_type(c, date));
		slot_list(b, on, " and ");
		buf_puts(b, on & (on - 1) ? " slots" : " slot");
		break;
	case WHY_TEAM_SLOT:
		buf_printf(b, "team '%s' does not work in the '%s' slot (its slots: ", t->id,
			   slot_kind_name(kind));
		slot_list(b, t->slots, ", ");
		buf_putc(b, ')');
		break;
	case WHY_SITE_SLOT:
		buf_printf(b, "site '%s' does not host the '%s' slot (its slots: ", s->id,
			   slot_kind_name(kind));
		slot_list(b, s->slots, ", ");
		buf_putc(b, ')');
		break;
	case WHY_REACH:
		if (campaign_travel(c, t->base, site) < 0)
			buf_printf(b, "team '%s' cannot reach site '%s': no travel entry joins it to "
				      "the team's base '%s'",
				   t->id, s->id, c->sites[t->base].id);
		else
			buf_printf(b, "team '%s' cannot reach site '%s': its commune '%s' is not "
				      "among the team's communes",
				   t->id, s->id, c->communes[s->commune]);
		break;
	case WHY_TRAVEL:
		buf_printf(b, "travel between '%s' and the team's base '%s' (%d minutes each way) "
			      "takes all %d working minutes of the '%s' slot",
			   s->id, c->sites[t->base].id, campaign_travel(c, t->base, site),
			   c->slots[kind].working, slot_kind_name(kind));
		break;
	case WHY_UNAVAILABLE:
		buf_printf(b, "team '%s' is unavailable on %s", t->id, day);
		break;
	case WHY_CLOSED:
		buf_printf(b, "site '%s' is closed on %s", s->id, day);
		break;
	}
}

/* Where to report a problem of fixed[i] of this kind. */
static struct rota_loc fixed_place(const struct reader *r, size_t i, enum why_not why,
				   struct buf *path)
{
	const struct fixed_places *at = &r->fixed_at[i];
	const struct fixed_session *f = &r->c->fixed[i];

	path_pop(path, 0);
	buf_printf(path, "fixed[%zu]", i);
	switch (why) {
	case WHY_TEAM_SLOT:
	case WHY_SITE_SLOT:
		buf_puts(path, ".slot");
		return at->slot;
	case WHY_REACH:
	case WHY_TRAVEL:
		buf_puts(path, ".site");
		return at->site;
	default:
		buf_puts(path, f->weekly ? ".weekday" : ".date");
		return at->date;
	}
}

/* One session a fixed entry asks for. */
struct occurrence {
	size_t team;
	int date;
	enum slot_kind slot;
	size_t fixed;
};

static int occurrence_cmp(const void *pa, const void *pb)
{
	const struct occurrence *a = pa, *b = pb;

	if (a->team != b->team)
		return a->team < b->team ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	return a->fixed < b->fixed ? -1 : a->fixed > b->fixed;
}

/* Expands fixed[i] into occ[], reporting what cannot be held. */
static void expand_fixed(struct reader *r, size_t i, struct occurrence *occ, size_t *nocc,
			 struct buf *path, struct buf *msg)
{
	const struct campaign *c = r->c;
	const struct fixed_session *f = &c->fixed[i];
	struct rota_loc at;
	enum why_not why, first_why = WHY_OK;
	int lo, hi, first, total = 0, held = 0, skipped = 0, first_date = 0;
	char d1[DATE_TEXT_SIZE], d2[DATE_TEXT_SIZE];
	struct buf list;

	path_pop(msg, 0);
	if (!f->weekly) {
		why = why_not(c, f->team, f->site, f->date, f->slot);
		if (why == WHY_OK) {
			occ[(*nocc)++] = (struct occurrence){ f->team, f->date, f->slot, i };
			return;
		}
		buf_puts(msg, "the fixed session cannot be held: ");
		explain_why(c, f->team, f->site, f->date, f->slot, why, msg);
		at = fixed_place(r, i, why, path);
		report_at(r, DIAG_ERROR, at, buf_str(path), "%s", buf_str(msg));
		return;
	}
	lo = f->from > c->start ? f->from : c->start;
	hi = f->to < c->end ? f->to : c->end;
	first = lo + ((f->weekday - date_weekday(lo)) % 7 + 7) % 7;
	date_format(f->from, d1);
	date_format(f->to, d2);
	if (first > hi) {
		if (lo > hi) {
			char s1[DATE_TEXT_SIZE], s2[DATE_TEXT_SIZE];

			date_format(c->start, s1);
			date_format(c->end, s2);
			buf_printf(msg, "the weekly session can never be held: %s to %s is outside "
					"the campaign (%s to %s)",
				   d1, d2, s1, s2);
		} else {
			date_format(lo, d1);
			date_format(hi, d2);
			buf_printf(msg, "the weekly session can never be held: there are no %s from "
					"%s to %s",
				   weekday_plural[f->weekday], d1, d2);
		}
		at = fixed_place(r, i, WHY_OUTSIDE, path);
		report_at(r, DIAG_ERROR, at, buf_str(path), "%s", buf_str(msg));
		return;
	}
	buf_init(&list);
	for (int date = first; date <= hi; date += 7) {
		total++;
		why = why_not(c, f->team, f->site, date, f->slot);
		if (why == WHY_OK) {
			occ[(*nocc)++] = (struct occurrence){ f->team, date, f->slot, i };
			held++;
			continue;
		}
		if (!why_is_dated(why)) {
			/* The team, site or slot kind rule out every date. */
			buf_puts(msg, "the weekly session can never be held: ");
			explain_why(c, f->team, f->site, date, f->slot, why, msg);
			at = fixed_place(r, i, why, path);
			report_at(r, DIAG_ERROR, at, buf_str(path), "%s", buf_str(msg));
			buf_release(&list);
			*nocc -= (size_t)held;
			return;
		}
		if (skipped++ == 0) {
			first_why = why;
			first_date = date;
		}
		if (skipped <= 5) {
			date_format(date, d1);
			buf_printf(&list, "%s%s (%s)", skipped > 1 ? ", " : "", d1,
				   why == WHY_UNAVAILABLE ? "team unavailable"
				   : why == WHY_CLOSED	  ? "site closed"
							  : day_type(c, date));
		}
	}
	date_format(first, d1);
	date_format(first + 7 * (total - 1), d2);
	if (!held) {
		buf_printf(msg, "the weekly session can never be held: not on any of its %d %s from "
				"%s to %s (",
			   total, total == 1 ? "date" : weekday_plural[f->weekday], d1, d2);
		explain_why(c, f->team, f->site, first_date, f->slot, first_why, msg);
		buf_printf(msg, "%s)", total > 1 ? ", and so on" : "");
		at = fixed_place(r, i, first_why, path);
		report_at(r, DIAG_ERROR, at, buf_str(path), "%s", buf_str(msg));
	} else if (skipped) {
		buf_printf(msg, "the weekly session skips %d of its %d %s from %s to %s: %s%s",
			   skipped, total, weekday_plural[f->weekday], d1, d2, buf_str(&list),
			   skipped > 5 ? ", ..." : "");
		at = fixed_place(r, i, WHY_OUTSIDE, path);
		report_at(r, DIAG_WARNING, at, buf_str(path), "%s", buf_str(msg));
	}
	rd_failed(r, list.failed);
	buf_release(&list);
}

/* Fixed sessions: rules 1-4 for each, no two for one team, date and slot
 * kind, and the weekly limit of extra sessions. */
static void check_fixed(struct reader *r)
{
	const struct campaign *c = r->c;
	struct occurrence *occ;
	size_t nocc = 0, max = 0;
	struct buf path, msg;
	/* Per fixed entry: the first clash and the first week over the limit. */
	struct clash {
		size_t with, count, weeks;
		int date, week_monday, extra;
	} *clash = NULL;

	if (!c->nfixed)
		return;
	for (size_t i = 0; i < c->nfixed; i++)
		max += c->fixed[i].weekly ? (size_t)c->ndays / 7 + 1 : 1;
	occ = xcalloc_array(max, sizeof(*occ));
	clash = xcalloc_array(c->nfixed, sizeof(*clash));
	buf_init(&path);
	buf_init(&msg);
	if (rd_failed(r, !occ || !clash))
		goto out;
	for (size_t i = 0; i < c->nfixed && !stopped(r); i++)
		expand_fixed(r, i, occ, &nocc, &path, &msg);
	qsort(occ, nocc, sizeof(*occ), occurrence_cmp);
	for (size_t a = 0; a < nocc;) {
		size_t b = a + 1;

		for (; b < nocc && occ[b].team == occ[a].team && occ[b].date == occ[a].date &&
		       occ[b].slot == occ[a].slot; b++) {
			struct clash *k = &clash[occ[b].fixed];

			if (!k->count++) {
				k->with = occ[a].fixed;
				k->date = occ[b].date;
			}
		}
		a = b;
	}
	/* The weekly limit, counting each team, date and slot kind once. */
	for (size_t a = 0; a < nocc;) {
		size_t b = a;
		int monday = date_week_monday(occ[a].date), extra = 0;
		const struct team *t = &c->teams[occ[a].team];

		for (; b < nocc && occ[b].team == occ[a].team &&
		       date_week_monday(occ[b].date) == monday; b++) {
			struct clash *k = &clash[occ[b].fixed];

			if (!slot_kind_is_extra(occ[b].slot) ||
			    (b > a && occ[b].date == occ[b - 1].date && occ[b].slot == occ[b - 1].slot))
				continue;
			if (++extra <= t->max_extra_per_week)
				continue;
			if (!k->weeks++) {
				k->week_monday = monday;
				k->extra = extra;
			}
		}
		a = b;
	}
	for (size_t i = 0; i < c->nfixed && !stopped(r); i++) {
		const struct clash *k = &clash[i];
		const struct fixed_session *f = &c->fixed[i];
		char day[DATE_TEXT_SIZE];

		path_pop(&path, 0);
		buf_printf(&path, "fixed[%zu]", i);
		if (k->count) {
			date_format(k->date, day);
			report_at(r, DIAG_ERROR, f->loc, buf_str(&path),
				  "team '%s' already has a fixed '%s' session on %s (fixed[%zu] at "
				  "%d:%d)%s",
				  c->teams[f->team].id, slot_kind_name(f->slot), day, k->with,
				  c->fixed[k->with].loc.line, c->fixed[k->with].loc.col,
				  k->count > 1 ? ", and on more dates" : "");
		}
		if (k->weeks) {
			int iso_year, week = date_iso_week(k->week_monday, &iso_year);

			date_format(k->week_monday, day);
			path_pop(&msg, 0);
			if (k->weeks > 1)
				buf_printf(&msg, ", and so in %zu more weeks", k->weeks - 1);
			report_at(r, DIAG_ERROR, f->loc, buf_str(&path),
				  "this fixed session makes %d extra session%s (evening, weekend, "
				  "holiday) for team '%s' in the week of %s (%d-W%02d), more than its "
				  "max_extra_per_week (%d)%s",
				  k->extra, k->extra == 1 ? "" : "s", c->teams[f->team].id, day,
				  iso_year, week,
				  c->teams[f->team].max_extra_per_week, buf_str(&msg));
		}
	}
out:
	rd_failed(r, path.failed || msg.failed);
	buf_release(&path);
	buf_release(&msg);
	free(occ);
	free(clash);
}

/* Session names (plan_session_name(): DATE-SLOT-SITE-TEAM) name files
 * under invites/, and a site id and a team id are joined by '-', which ids
 * may also hold: sites 'a-b' and 'a' with teams 'c' and 'b-c' give two
 * sessions one name. Such pairs are refused when both could hold a session
 * (the team reaches the site and they share a slot kind). UIDs cannot
 * collide: their parts are joined by '.', which no id holds. */
struct pair_name {
	char *name;
	size_t site, team;
};

static int pair_name_cmp(const void *pa, const void *pb)
{
	const struct pair_name *a = pa, *b = pb;
	int k = strcmp(a->name, b->name);

	if (k)
		return k;
	if (a->team != b->team)
		return a->team < b->team ? -1 : 1;
	return a->site < b->site ? -1 : a->site > b->site;
}

static void check_session_names(struct reader *r)
{
	const struct campaign *c = r->c;
	struct pair_name *pairs = NULL;
	size_t n = 0, alloc = 0;
	struct buf path, msg;

	buf_init(&path);
	buf_init(&msg);
	for (size_t t = 0; t < c->nteams && !r->oom; t++) {
		for (size_t s = 0; s < c->nsites; s++) {
			struct pair_name *p;

			if (!(c->teams[t].slots & c->sites[s].slots) || !team_reaches_site(c, t, s))
				continue;
			if (rd_failed(r, grow_array(&pairs, &alloc, n + 1, sizeof(*pairs))))
				break;
			p = &pairs[n];
			p->site = s;
			p->team = t;
			p->name = NULL;
			buf_release(&msg);
			buf_printf(&msg, "%s-%s", c->sites[s].id, c->teams[t].id);
			p->name = buf_detach(&msg);
			if (rd_failed(r, !p->name))
				break;
			n++;
		}
	}
	if (!r->oom)
		qsort(pairs, n, sizeof(*pairs), pair_name_cmp);
	for (size_t i = 1; i < n && !r->oom && !stopped(r); i++) {
		const struct pair_name *a = &pairs[i - 1], *b = &pairs[i];
		const struct site *sa = &c->sites[a->site], *sb = &c->sites[b->site];
		const struct team *ta = &c->teams[a->team], *tb = &c->teams[b->team];

		if (strcmp(a->name, b->name))
			continue;
		path_pop(&path, 0);
		buf_printf(&path, "teams[%zu]", b->team);
		path_pop(&msg, 0);
		buf_printf(&msg, "sessions of team '%s' at site '%s' (sites[%zu], line %d) and of "
				 "team '%s' (teams[%zu], line %d) at site '%s' (sites[%zu], line %d) "
				 "would have one name, DATE-SLOT-%s, and one file under invites/: "
				 "rename one of these sites or teams",
			   tb->id, sb->id, b->site, sb->loc.line, ta->id, a->team, ta->loc.line,
			   sa->id, a->site, sa->loc.line, b->name);
		if (!rd_failed(r, path.failed || msg.failed))
			report_at(r, DIAG_ERROR, tb->loc, buf_str(&path), "%s", buf_str(&msg));
	}
	for (size_t i = 0; i < n; i++)
		free(pairs[i].name);
	free(pairs);
	buf_release(&path);
	buf_release(&msg);
}

void campaign_check(struct reader *r)
{
	struct model m;

	/* m is released only when model_init ran (it cleans up after
	 * itself): campaign_finalize failing leaves it untouched. */
	if (campaign_finalize(r->c)) {
		r->oom = true;
	} else if (model_init(&m, r->c)) {
		model_release(&m);
		r->oom = true;
	} else {
		check_demand(r, &m);
		check_lead_times(r);
		check_fixed(r);
		check_session_names(r);
		model_release(&m);
	}
}
