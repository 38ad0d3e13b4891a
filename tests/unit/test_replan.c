/*
 * Unit tests of replan.c and the solver's hook for what a re-plan leaves
 * (struct solve_taken): the fixture is planned, then planned again with
 * today in the middle. The fixture's plan: 2024-03-04 day at thcs and
 * evening at tru-so, 2024-03-05 day at tru-so, 2024-03-06 day at
 * nvh-dong-chua; the tests find sessions by date rather than trust that.
 * The old plan is on its own copy of the campaign, as a plan directory
 * gives it, so that ids (not indices) are what link the two.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "fixture.h"
#include "replan.h"
#include "solve.h"
#include "testlib.h"

static int day(const char *text)
{
	int d = 0;

	date_parse(text, &d);
	return d;
}

static struct plan *solve(const struct campaign *c, const struct solve_taken *taken)
{
	struct solve_options o;
	struct rota_error err = { 0 };
	struct plan *p = NULL;

	solve_options_init(&o);
	o.taken = taken;
	if (plan_solve(&p, c, &o, &err)) {
		fprintf(stderr, "plan_solve: %s\n", err.message);
		return NULL;
	}
	return p;
}

static int replan(struct plan **out, const struct campaign *c, const struct plan *old,
		  const struct actuals *a, const char *today, int freeze, struct diags *d)
{
	struct replan_input in = { .old = old, .actuals = a, .today = day(today),
				   .freeze = freeze };
	struct solve_options o;
	struct rota_error err = { 0 };
	int rc;

	solve_options_init(&o);
	rc = replan_solve(out, c, &in, &o, d, &err);
	if (rc && rc != ROTA_EINPUT)
		fprintf(stderr, "replan_solve: %s\n", err.message);
	return rc;
}

/* The session of p with the same team, site, date and kind ids as s of q. */
static const struct plan_session *same_session(const struct plan *p, const struct plan *q,
					       const struct plan_session *s)
{
	const struct campaign *c = p->campaign, *qc = q->campaign;

	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *x = &p->sessions[i];

		if (x->date == s->date && x->slot == s->slot &&
		    !strcmp(c->teams[x->team].id, qc->teams[s->team].id) &&
		    !strcmp(c->sites[x->site].id, qc->sites[s->site].id))
			return x;
	}
	return NULL;
}

static const struct plan_level *level(const struct plan *p, const char *name)
{
	for (size_t i = 0; i < p->solver.nlevels; i++)
		if (!strcmp(p->solver.levels[i].name, name))
			return &p->solver.levels[i];
	return NULL;
}

static size_t flat_row(const struct campaign *c, size_t unit, size_t demand)
{
	size_t k = 0;

	for (size_t u = 0; u < unit; u++)
		k += c->units[u].ndemand;
	return k + demand;
}

/* Rules 1-6 on the sessions from today on and rule 6 as replan-v1 rule 5
 * reads it (came + invited from today on <= count), from the plan alone.
 * Returns the number of violations, each reported. */
static int check_rules(const struct campaign *c, const struct plan *p, int today)
{
	size_t nrows = flat_row(c, c->nunits, 0);
	int *used = calloc(nrows + 1, sizeof(int));
	int bad = 0;

#define VIOLATION(...)                                       \
	do {                                                 \
		fprintf(stderr, "rule violation: " __VA_ARGS__); \
		fputc('\n', stderr);                         \
		bad++;                                       \
	} while (0)

	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		const struct team *t = &c->teams[s->team];
		double load = 0.0;
		int extra = 0;

		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];

			if (s->date < today && v->came < 0)
				VIOLATION("held session %zu: visit without came", i);
			if (s->date >= today && v->came >= 0)
				VIOLATION("session %zu from today on has came", i);
			used[flat_row(c, v->unit, v->demand)] += s->date < today ? v->came : v->count;
		}
		if (s->date < today)
			continue;
		if (!session_possible(c, s->team, s->site, s->date, s->slot))
			VIOLATION("session %zu is not possible", i);
		for (size_t j = 0; j < p->nsessions; j++)
			if (j != i && p->sessions[j].team == s->team &&
			    p->sessions[j].date == s->date && p->sessions[j].slot == s->slot)
				VIOLATION("sessions %zu and %zu: same team, date and slot", i, j);
		if (slot_kind_is_extra(s->slot)) {
			for (size_t j = 0; j < p->nsessions; j++)
				if (p->sessions[j].team == s->team &&
				    slot_kind_is_extra(p->sessions[j].slot) &&
				    date_week_monday(p->sessions[j].date) == date_week_monday(s->date))
					extra++;
			if (extra > t->max_extra_per_week)
				VIOLATION("team %s: %d extra sessions in a week", t->id, extra);
		}
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];
			const struct demand *d = &c->units[v->unit].demand[v->demand];

			if (v->count < 1)
				VIOLATION("session %zu: visit with %d people", i, v->count);
			if (!visit_allowed(c, v->unit, v->demand, s->team, s->site, s->date, s->slot))
				VIOLATION("session %zu: visit %zu not allowed", i, j);
			load += v->count * c->groups[d->group].turnout / t->capacity[d->service];
		}
		if (load > session_capacity_share(c, s->team, s->site, s->slot) + 1e-9)
			VIOLATION("session %zu over capacity", i);
	}
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++)
			if (used[flat_row(c, u, d)] > c->units[u].demand[d].count)
				VIOLATION("unit %s row %zu: %d came or invited of %d", c->units[u].id, d,
					  used[flat_row(c, u, d)], c->units[u].demand[d].count);
#undef VIOLATION
	free(used);
	return bad;
}

/* (e) The hook: a taken set that takes nothing plans as before, and one
 * that does blocks the dates, replaces the counts and drops the rows at 0. */
static void test_taken_hook(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p0 = solve(c, NULL), *p1 = NULL, *p2 = NULL;
	int left[5] = { 12, 10, 35, 48, 20 };
	struct solve_taken none = { .first_date = c->start, .left = left };
	struct solve_taken_session busy = { .team = 0, .site = 0, .date = day("2024-03-12"),
					    .kind = SLOT_DAY };
	int later[5] = { 0, 3, 0, 7, 0 };
	struct solve_taken some = { .first_date = day("2024-03-11"), .left = later,
				    .sessions = &busy, .nsessions = 1 };
	int people = 0;

	CHECK(p0 != NULL);
	p1 = solve(c, &none);
	CHECK(p1 != NULL);
	if (p0 && p1) {
		CHECK_INT(p1->nsessions, p0->nsessions);
		for (size_t i = 0; i < p0->nsessions && i < p1->nsessions; i++) {
			const struct plan_session *a = &p0->sessions[i], *b = &p1->sessions[i];

			CHECK(a->team == b->team && a->site == b->site && a->date == b->date &&
			      a->slot == b->slot && a->nvisits == b->nvisits);
			for (size_t j = 0; j < a->nvisits && j < b->nvisits; j++)
				CHECK(!memcmp(&a->visits[j], &b->visits[j], sizeof(a->visits[j])));
		}
		CHECK_INT(p1->solver.nlevels, p0->solver.nlevels);
		for (size_t i = 0; i < p0->solver.nlevels && i < p1->solver.nlevels; i++)
			CHECK(p0->solver.levels[i].value == p1->solver.levels[i].value);
	}
	p2 = solve(c, &some);
	CHECK(p2 != NULL);
	for (size_t i = 0; p2 && i < p2->nsessions; i++) {
		const struct plan_session *s = &p2->sessions[i];

		CHECK(s->date >= day("2024-03-11"));
		CHECK(!(s->date == busy.date && s->slot == busy.kind));
		for (size_t j = 0; j < s->nvisits; j++) {
			CHECK(later[flat_row(c, s->visits[j].unit, s->visits[j].demand)] > 0);
			people += s->visits[j].count;
		}
	}
	CHECK_INT(people, 10);
	plan_free(p0);
	plan_free(p1);
	plan_free(p2);
	campaign_free(c);
}

/* (a) Nothing new: actuals as planned (none given: everyone came), the
 * same campaign. Every session and visit stays, with its window. */
static void test_nothing_changes(void)
{
	struct campaign *oc = fixture_campaign(), *c = fixture_campaign();
	struct plan *old = solve(oc, NULL), *p = NULL;
	struct diags d;
	int today = day("2024-03-05"), held = 0, frozen = 0, kept = 0;
	const struct plan_level *st;

	diags_init(&d, "old/rota.json");
	CHECK(old != NULL);
	if (!old)
		goto out;
	CHECK_INT(replan(&p, c, old, NULL, "2024-03-05", 1, &d), 0);
	CHECK_INT(d.count, 0);
	if (!p)
		goto out;
	CHECK_INT(p->today, today);
	CHECK_INT(p->freeze_end, today);
	CHECK_INT(p->ncancelled, 0);
	CHECK_INT(p->nsessions, old->nsessions);
	for (size_t i = 0; i < old->nsessions; i++) {
		const struct plan_session *s = &old->sessions[i];
		const struct plan_session *x = same_session(p, old, s);
		enum plan_origin want = s->date < today    ? PLAN_ORIGIN_HELD
					: s->date == today ? PLAN_ORIGIN_FROZEN
							   : PLAN_ORIGIN_KEPT;

		CHECK(x != NULL);
		if (!x)
			continue;
		CHECK_INT(x->origin, want);
		held += want == PLAN_ORIGIN_HELD;
		frozen += want == PLAN_ORIGIN_FROZEN;
		kept += want == PLAN_ORIGIN_KEPT;
		CHECK_INT(x->start, s->start);
		CHECK_INT(x->end, s->end);
		CHECK_INT(x->nvisits, s->nvisits);
		for (size_t j = 0; j < s->nvisits && j < x->nvisits; j++) {
			const struct plan_visit *a = &s->visits[j], *b = &x->visits[j];

			CHECK_STR(c->units[b->unit].id, oc->units[a->unit].id);
			CHECK_INT(b->demand, a->demand);
			CHECK_INT(b->count, a->count);
			CHECK_INT(b->arrive, a->arrive);
			CHECK_INT(b->until, a->until);
			CHECK_INT(b->came, want == PLAN_ORIGIN_HELD ? a->count : -1);
			CHECK(b->assumed == (want == PLAN_ORIGIN_HELD));
		}
	}
	/* The fixture's plan has all three kinds of session around today. */
	CHECK(held > 0 && frozen > 0 && kept > 0);
	st = level(p, "stability");
	CHECK(st != NULL);
	if (st) {
		CHECK(st->value == 0.0);
		CHECK(st->bound == 0.0);
		CHECK(!st->maximise);
		CHECK_STR((st - 1)->name, "extra-sessions");
	}
	CHECK_INT(p->solver.nlevels, old->solver.nlevels + 1);
	CHECK_INT(check_rules(c, p, today), 0);
out:
	diags_release(&d);
	plan_free(p);
	plan_free(old);
	campaign_free(c);
	campaign_free(oc);
}

/* (b) No-shows: people invited to held sessions who did not come are
 * invited again after the freeze window, never more than their row. */
static void test_no_shows(void)
{
	struct campaign *oc = fixture_campaign(), *c = fixture_campaign();
	struct plan *old = solve(oc, NULL), *p = NULL;
	struct actuals a = { 0 };
	struct diags d;
	int today = day("2024-03-05"), missed[5] = { 0 }, again[5] = { 0 }, uninvited = 0;
	size_t nrows = flat_row(c, c->nunits, 0);
	const struct plan_level *st;

	diags_init(&d, "old/rota.json");
	CHECK(old != NULL);
	if (!old)
		goto out;
	/* Every held visit reported with a third fewer people. */
	for (size_t i = 0; i < old->nsessions; i++) {
		const struct plan_session *s = &old->sessions[i];

		if (s->date >= today)
			continue;
		for (size_t j = 0; j < s->nvisits; j++) {
			struct actual row = { .date = s->date, .slot = s->slot, .team = s->team,
					      .site = s->site, .unit = s->visits[j].unit,
					      .demand = s->visits[j].demand,
					      .came = s->visits[j].count * 2 / 3 };

			grow_array(&a.rows, &a.alloc, a.nrows + 1, sizeof(*a.rows));
			a.rows[a.nrows++] = row;
			missed[flat_row(c, row.unit, row.demand)] += s->visits[j].count - row.came;
		}
	}
	/* And 2 people of xom-dong-chua (general, eid2) who came uninvited to
	 * the first held session. */
	{
		const struct plan_session *s = &old->sessions[0];
		struct actual row = { .date = s->date, .slot = s->slot, .team = s->team,
				      .site = s->site, .unit = 0, .demand = 2, .came = 2 };

		CHECK(s->date < today);
		grow_array(&a.rows, &a.alloc, a.nrows + 1, sizeof(*a.rows));
		a.rows[a.nrows++] = row;
	}
	CHECK(a.nrows > 1);
	CHECK_INT(replan(&p, c, old, &a, "2024-03-05", 1, &d), 0);
	if (!p)
		goto out;
	CHECK_INT(check_rules(c, p, today), 0);
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];

			if (s->origin == PLAN_ORIGIN_HELD) {
				CHECK(!v->assumed);
				if (v->count == 0) {
					uninvited++;
					CHECK(v->unit == 0 && v->demand == 2 && v->came == 2);
					CHECK(v->arrive == s->start && v->until == s->end);
				}
			}
			if (s->date > today)
				again[flat_row(c, v->unit, v->demand)] += v->count;
		}
	}
	/* Each row that had no-shows is invited again after the window, for
	 * as many as missed, less the 2 uninvited who came for row 2. */
	for (size_t k = 0; k < nrows; k++)
		if (missed[k] > 0) {
			int planned_later = 0;

			for (size_t i = 0; i < old->nsessions; i++)
				for (size_t j = 0; j < old->sessions[i].nvisits; j++)
					if (old->sessions[i].date > today &&
					    flat_row(oc, old->sessions[i].visits[j].unit,
						     old->sessions[i].visits[j].demand) == k)
						planned_later += old->sessions[i].visits[j].count;
			CHECK_INT(again[k], planned_later + missed[k] - (k == 2 ? 2 : 0));
		}
	CHECK_INT(uninvited, 1);
	/* The later sessions are kept; the one invitation of row 2 loses the
	 * 2 people who came uninvited, and is the only one changed. */
	for (size_t i = 0; i < old->nsessions; i++) {
		const struct plan_session *s = &old->sessions[i];
		const struct plan_session *x = same_session(p, old, s);

		if (s->date <= today)
			continue;
		CHECK(x != NULL);
		if (!x)
			continue;
		CHECK_INT(x->origin, PLAN_ORIGIN_KEPT);
		CHECK_INT(x->nvisits, s->nvisits);
		for (size_t j = 0; j < s->nvisits && j < x->nvisits; j++)
			CHECK_INT(x->visits[j].count, s->visits[j].count -
							      (flat_row(c, s->visits[j].unit,
									s->visits[j].demand) == 2 ? 2 : 0));
	}
	st = level(p, "stability");
	CHECK(st != NULL);
	if (st)
		CHECK(st->value == 1.0);
out:
	free(a.rows);
	diags_release(&d);
	plan_free(p);
	plan_free(old);
	campaign_free(c);
	campaign_free(oc);
}

/* (c) The team unavailable from today for a week: the frozen session is
 * cancelled with a reason, the team holds nothing that week, the later
 * invitations are made again after it. */
static void test_team_unavailable(void)
{
	struct campaign *oc = fixture_campaign(), *c = fixture_campaign();
	struct plan *old = solve(oc, NULL), *p = NULL;
	struct diags d;
	int today = day("2024-03-05");
	size_t nsession_events = 0, ninvitations = 0, frozen_units = 0;
	const struct plan_level *st;

	diags_init(&d, "old/rota.json");
	c->teams[0].unavailable.items = calloc(1, sizeof(struct date_range));
	c->teams[0].unavailable.count = 1;
	c->teams[0].unavailable.items[0] =
		(struct date_range){ day("2024-03-05"), day("2024-03-10") };
	CHECK(old != NULL);
	if (!old)
		goto out;
	CHECK_INT(replan(&p, c, old, NULL, "2024-03-05", 1, &d), 0);
	if (!p)
		goto out;
	CHECK_INT(check_rules(c, p, today), 0);
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		CHECK(s->date < day("2024-03-05") || s->date > day("2024-03-10"));
		CHECK(s->origin != PLAN_ORIGIN_FROZEN && s->origin != PLAN_ORIGIN_KEPT);
	}
	for (size_t i = 0; i < old->nsessions; i++)
		if (old->sessions[i].date == today)
			for (size_t j = 0; j < old->sessions[i].nvisits; j++) {
				bool seen = false;

				for (size_t k = 0; k < j; k++)
					seen = seen || old->sessions[i].visits[k].unit ==
							       old->sessions[i].visits[j].unit;
				frozen_units += !seen;
			}
	CHECK(frozen_units > 0);
	for (size_t i = 0; i < p->ncancelled; i++) {
		const struct plan_cancelled *ev = &p->cancelled[i];
		char uid[PLAN_UID_SIZE];

		CHECK_INT(ev->date, today);
		CHECK_INT(ev->sequence, -1);
		CHECK_INT(ev->cancelled_on, today);
		CHECK_STR(ev->team, "ca-xa");
		/* In the plan's language (Vietnamese here), with the team's name. */
		CHECK(ev->reason && strstr(ev->reason, "Tổ thu nhận Công an xã không làm việc"));
		if (ev->invitation) {
			ninvitations++;
			CHECK(ev->unit != NULL);
		} else {
			const struct plan_session *s = NULL;

			nsession_events++;
			CHECK(ev->unit == NULL);
			for (size_t k = 0; k < old->nsessions && !s; k++)
				if (old->sessions[k].date == today)
					s = &old->sessions[k];
			if (s) {
				plan_session_uid(old, s, uid, sizeof(uid));
				CHECK_STR(ev->uid, uid);
				CHECK_INT(ev->start, s->start);
			}
		}
	}
	CHECK_INT(nsession_events, 1);
	CHECK_INT(ninvitations, frozen_units);
	/* Every invitation from today on had to change, and did. */
	st = level(p, "stability");
	CHECK(st != NULL);
	if (st) {
		CHECK(st->value > 0.0);
		CHECK(st->bound == st->value);
	}
	/* Everyone is still served: the week after has room. */
	{
		const struct plan_level *served = level(p, "served-p1");

		CHECK(served != NULL);
	}
out:
	diags_release(&d);
	plan_free(p);
	plan_free(old);
	campaign_free(c);
	campaign_free(oc);
}

/* The campaign's reason for cancelling frozen session of date on p, or
 * NULL when p cancels nothing of that date. */
static const char *cancel_reason(const struct plan *p, int date)
{
	for (size_t i = 0; i < p->ncancelled; i++)
		if (p->cancelled[i].date == date && !p->cancelled[i].invitation)
			return p->cancelled[i].reason;
	return NULL;
}

/* Frozen sessions are also cancelled when the current capacities or the
 * weekly extra limit rule them out; the others stay. */
static void test_frozen_rules(void)
{
	struct campaign *oc = fixture_campaign(), *c = fixture_campaign();
	struct plan *old = solve(oc, NULL), *p = NULL;
	struct diags d;
	const char *why;
	bool day_kept = false;

	diags_init(&d, "old/rota.json");
	CHECK(old != NULL);
	if (!old)
		goto out;
	/* Fewer cccd dossiers a day: the frozen day of 2024-03-05 (26 cccd
	 * people) no longer fits. */
	c->teams[0].capacity[0] = 20;
	CHECK_INT(replan(&p, c, old, NULL, "2024-03-05", 1, &d), 0);
	if (!p)
		goto out;
	why = cancel_reason(p, day("2024-03-05"));
	CHECK(why && strstr(why, "nhiều người hơn Tổ thu nhận Công an xã nay làm được"));
	CHECK_INT(check_rules(c, p, day("2024-03-05")), 0);
	plan_free(p);
	p = NULL;
	/* No extra session any more: the frozen evening of 2024-03-04 goes,
	 * the frozen day stays. */
	c->teams[0].capacity[0] = 30;
	c->teams[0].max_extra_per_week = 0;
	CHECK_INT(replan(&p, c, old, NULL, "2024-03-04", 1, &d), 0);
	if (!p)
		goto out;
	why = cancel_reason(p, day("2024-03-04"));
	CHECK(why && strstr(why, "vượt quá 0 phiên ngoài giờ"));
	for (size_t i = 0; i < p->nsessions; i++) {
		CHECK(!slot_kind_is_extra(p->sessions[i].slot));
		day_kept = day_kept || p->sessions[i].origin == PLAN_ORIGIN_FROZEN;
	}
	CHECK(day_kept);
	CHECK_INT(check_rules(c, p, day("2024-03-04")), 0);
out:
	diags_release(&d);
	plan_free(p);
	plan_free(old);
	campaign_free(c);
	campaign_free(oc);
}

/* A demand corrected below what is already invited: the frozen session
 * that would invite more of the row than is left is cancelled, with the
 * reason, and came + invited from today on stays within the demand. */
static void test_frozen_over_demand(void)
{
	struct campaign *oc = fixture_campaign(), *c = fixture_campaign();
	struct plan *old = solve(oc, NULL), *p = NULL;
	const struct plan_visit *v = NULL;
	int date = day("2024-03-05");
	struct diags d;
	const char *why;

	diags_init(&d, "old/rota.json");
	CHECK(old != NULL);
	if (!old)
		goto out;
	for (size_t i = 0; i < old->nsessions && !v; i++)
		if (old->sessions[i].date == date && old->sessions[i].nvisits)
			v = &old->sessions[i].visits[0];
	CHECK(v != NULL);
	if (!v)
		goto out;
	{
		/* The demand is now exactly those who came before: none left. */
		int came = 0;

		for (size_t i = 0; i < old->nsessions; i++)
			for (size_t j = 0; j < old->sessions[i].nvisits; j++)
				if (old->sessions[i].date < date &&
				    old->sessions[i].visits[j].unit == v->unit &&
				    old->sessions[i].visits[j].demand == v->demand)
					came += old->sessions[i].visits[j].count;
		c->units[v->unit].demand[v->demand].count = came;
	}
	CHECK_INT(replan(&p, c, old, NULL, "2024-03-05", 1, &d), 0);
	if (!p)
		goto out;
	why = cancel_reason(p, date);
	CHECK(why && strstr(why, "nay chỉ còn 0 người"));
	for (size_t i = 0; i < p->nsessions; i++)
		for (size_t j = 0; j < p->sessions[i].nvisits; j++)
			CHECK(p->sessions[i].date < date ||
			      p->sessions[i].visits[j].unit != v->unit ||
			      p->sessions[i].visits[j].demand != v->demand);
	CHECK_INT(check_rules(c, p, date), 0);
out:
	diags_release(&d);
	plan_free(p);
	plan_free(old);
	campaign_free(c);
	campaign_free(oc);
}

/* No-shows join a kept session that has room rather than a session of
 * their own: the old plan (built by hand) invites 29 of the school on
 * 2024-03-04 at tru-so and the village's 12 exam pupils on 2024-03-06
 * there; 20 pupils came; the campaign now has just those people. */
static void test_no_shows_join_kept(void)
{
	struct campaign *oc = fixture_campaign(), *c = fixture_campaign();
	struct plan *old = plan_new(oc), *p = NULL;
	struct plan_session *s;
	struct actuals a = { 0 };
	struct actual row = { .date = day("2024-03-04"), .slot = SLOT_DAY, .team = 0, .site = 0,
			      .unit = 1, .demand = 0, .came = 20 };
	struct diags d;
	const struct plan_level *st;
	int people = 0; /* of the unit with no-shows, where looked for */

	diags_init(&d, "old/rota.json");
	s = plan_add_session(old, 0, 0, day("2024-03-04"), SLOT_DAY);
	plan_add_visit(s, 1, 0, 29);
	s = plan_add_session(old, 0, 0, day("2024-03-06"), SLOT_DAY);
	plan_add_visit(s, 0, 0, 12);
	plan_sort(old);
	plan_assign_arrivals(old);
	c->units[0].demand[1].count = 0;
	c->units[0].demand[2].count = 0;
	c->units[1].demand[0].count = 29;
	c->units[2].demand[0].count = 0;
	a.rows = &row;
	a.nrows = 1;
	CHECK_INT(replan(&p, c, old, &a, "2024-03-05", 0, &d), 0);
	if (!p)
		goto out;
	CHECK_INT(check_rules(c, p, day("2024-03-05")), 0);
	CHECK_INT(p->nsessions, 2);
	for (size_t i = 0; i < p->nsessions; i++) {
		CHECK(p->sessions[i].origin != PLAN_ORIGIN_NEW);
		if (p->sessions[i].origin == PLAN_ORIGIN_KEPT)
			for (size_t j = 0; j < p->sessions[i].nvisits; j++)
				if (p->sessions[i].visits[j].unit == 1)
					people += p->sessions[i].visits[j].count;
	}
	CHECK_INT(people, 9);
	st = level(p, "stability");
	CHECK(st && st->value == 0.0);
	/* The village's own no-shows do not join its kept session: that
	 * would change the invitation its people hold. */
	plan_free(p);
	p = NULL;
	plan_free(old);
	old = plan_new(oc);
	s = plan_add_session(old, 0, 0, day("2024-03-04"), SLOT_DAY);
	plan_add_visit(s, 0, 0, 12);
	s = plan_add_session(old, 0, 0, day("2024-03-06"), SLOT_DAY);
	plan_add_visit(s, 0, 1, 10);
	plan_sort(old);
	plan_assign_arrivals(old);
	c->units[0].demand[1].count = 10;
	c->units[1].demand[0].count = 0;
	row = (struct actual){ .date = day("2024-03-04"), .slot = SLOT_DAY, .team = 0, .site = 0,
			       .unit = 0, .demand = 0, .came = 8 };
	CHECK_INT(replan(&p, c, old, &a, "2024-03-05", 0, &d), 0);
	if (!p)
		goto out;
	CHECK_INT(check_rules(c, p, day("2024-03-05")), 0);
	people = 0;
	for (size_t i = 0; i < p->nsessions; i++)
		for (size_t j = 0; j < p->sessions[i].nvisits; j++)
			if (p->sessions[i].origin == PLAN_ORIGIN_NEW)
				people += p->sessions[i].visits[j].count;
	CHECK_INT(people, 4);
	st = level(p, "stability");
	CHECK(st && st->value == 0.0);
out:
	diags_release(&d);
	plan_free(p);
	plan_free(old);
	campaign_free(c);
	campaign_free(oc);
}

/* A fresh plan is taken when it is strictly better on levels 1-3: the
 * school's exam demand grows so much that keeping the village's session
 * of 2024-03-06 would cost exam pupils their deadline. */
static void test_fresh_when_better(void)
{
	struct campaign *oc = fixture_campaign(), *c = fixture_campaign();
	struct plan *old = solve(oc, NULL), *p = NULL;
	struct diags d;
	int today = day("2024-03-05"), exam_in_time = 0;
	const struct plan_level *st, *dl;

	diags_init(&d, "old/rota.json");
	c->units[1].demand[0].count = 260;
	CHECK(old != NULL);
	if (!old)
		goto out;
	CHECK_INT(replan(&p, c, old, NULL, "2024-03-05", 1, &d), 0);
	if (!p)
		goto out;
	CHECK_INT(check_rules(c, p, today), 0);
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		CHECK(s->origin != PLAN_ORIGIN_KEPT);
		if (s->date == day("2024-03-06"))
			CHECK_STR(c->sites[s->site].id, "thcs");
		for (size_t j = 0; j < s->nvisits; j++)
			if (s->date >= today && s->date <= day("2024-03-15") &&
			    s->visits[j].unit == 1)
				exam_in_time += s->visits[j].count;
	}
	/* The frozen day's 19 and 29 a day on every working day to the
	 * deadline but one weekend slot taken by the village: 231. Keeping
	 * the village's day would leave at most 202 and a second weekend. */
	CHECK(exam_in_time >= 220);
	st = level(p, "stability");
	dl = level(p, "deadline-p1");
	CHECK(st && st->value >= 1.0 && st->bound == 0.0);
	CHECK(dl && dl->value >= exam_in_time);
out:
	diags_release(&d);
	plan_free(p);
	plan_free(old);
	campaign_free(c);
	campaign_free(oc);
}

/* (d) History that names what the campaign no longer has is refused. */
static void test_missing_id(void)
{
	struct campaign *oc = fixture_campaign(), *c = fixture_campaign();
	struct plan *old = solve(oc, NULL), *p = NULL;
	struct diags d;
	bool found = false;

	diags_init(&d, "old/rota.json");
	free(c->units[1].id);
	c->units[1].id = xstrdup("thcs-moi");
	CHECK(old != NULL);
	if (!old)
		goto out;
	CHECK_INT(replan(&p, c, old, NULL, "2024-03-05", 1, &d), ROTA_EINPUT);
	CHECK(p == NULL);
	CHECK(d.errors > 0);
	for (size_t i = 0; i < d.count; i++) {
		CHECK(!strncmp(d.items[i].path, "sessions[", 9));
		if (strstr(d.items[i].message, "\"thcs-trung-hoi\"") &&
		    strstr(d.items[i].path, "].visits["))
			found = true;
	}
	CHECK(found);
	/* History outside the campaign's dates now is refused too. */
	diags_release(&d);
	diags_init(&d, "old/rota.json");
	c->start = day("2024-03-05");
	CHECK_INT(campaign_finalize(c), 0);
	CHECK_INT(replan(&p, c, old, NULL, "2024-03-05", 1, &d), ROTA_EINPUT);
	found = false;
	for (size_t i = 0; i < d.count; i++)
		found = found || (strstr(d.items[i].path, "].date") &&
				  strstr(d.items[i].message, "outside the campaign"));
	CHECK(found);
	c->start = day("2024-03-04");
	CHECK_INT(campaign_finalize(c), 0);
	/* A later session naming it is simply not kept: no error. */
	diags_release(&d);
	diags_init(&d, "old/rota.json");
	plan_free(p);
	p = NULL;
	CHECK_INT(replan(&p, c, old, NULL, "2024-03-04", 0, &d), 0);
	CHECK_INT(d.count, 0);
	for (size_t i = 0; p && i < p->nsessions; i++) {
		bool other = false;

		for (size_t j = 0; j < p->sessions[i].nvisits; j++)
			other = other || strcmp(c->units[p->sessions[i].visits[j].unit].id, "thcs-moi");
		CHECK(p->sessions[i].origin == PLAN_ORIGIN_NEW || other);
	}
out:
	diags_release(&d);
	plan_free(p);
	plan_free(old);
	campaign_free(c);
	campaign_free(oc);
}

int main(void)
{
	RUN_TEST(test_taken_hook);
	RUN_TEST(test_nothing_changes);
	RUN_TEST(test_no_shows);
	RUN_TEST(test_team_unavailable);
	RUN_TEST(test_frozen_rules);
	RUN_TEST(test_frozen_over_demand);
	RUN_TEST(test_no_shows_join_kept);
	RUN_TEST(test_fresh_when_better);
	RUN_TEST(test_missing_id);
	return TEST_EXIT();
}
