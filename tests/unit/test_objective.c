/*
 * Unit tests of the objective of campaign-v1 revision 2 (rule 7.4: each
 * invitation costs the unit campaign.invitation_minutes; rule 7.5:
 * earliness level by level from priority 1 down) on tiny campaigns built
 * from the fixture, whose optimum is known by hand. The plan is read
 * through plan.h only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fixture.h"
#include "solve.h"
#include "testlib.h"

static int day(const char *text)
{
	int d = 0;

	date_parse(text, &d);
	return d;
}

static struct plan *solve(const struct campaign *c)
{
	struct solve_options o;
	struct rota_error err = { 0 };
	struct plan *p = NULL;
	int rc;

	solve_options_init(&o);
	o.threads = 1;
	o.gap = 0;
	rc = plan_solve(&p, c, &o, &err);
	if (rc)
		fprintf(stderr, "plan_solve: %d %s\n", rc, err.message);
	return p;
}

static const struct plan_level *level(const struct plan *p, const char *name)
{
	for (size_t i = 0; i < p->solver.nlevels; i++)
		if (!strcmp(p->solver.levels[i].name, name))
			return &p->solver.levels[i];
	return NULL;
}

/* Sessions of the plan where unit u has people. */
static int invitations(const struct plan *p, size_t u)
{
	int n = 0;

	for (size_t i = 0; i < p->nsessions; i++) {
		bool in = false;

		for (size_t v = 0; v < p->sessions[i].nvisits; v++)
			in = in || p->sessions[i].visits[v].unit == u;
		n += in;
	}
	return n;
}

/* People of unit u invited on date d. */
static int people_on(const struct plan *p, size_t u, int d)
{
	int n = 0;

	for (size_t i = 0; i < p->nsessions; i++)
		for (size_t v = 0; v < p->sessions[i].nvisits; v++)
			if (p->sessions[i].date == d && p->sessions[i].visits[v].unit == u)
				n += p->sessions[i].visits[v].count;
	return n;
}

/*
 * Two fixed day sessions at the station (Tuesday 5 and Wednesday 6
 * March), 30 card dossiers each, and no room for a third (the team holds
 * nothing else: a session costs far more than an invitation). Two units
 * at the station, 20 people each: the school's exam pupils (priority 1)
 * and a village's general public (priority 2, turnout 1). Filling the
 * first session (20 + 10) and the second (10) costs three invitations;
 * the optimum is two: each unit whole in one session, the pupils first.
 *   person-minutes = 2 sessions x 2 officers x 450 + 2 x 30 = 1,860
 *   earliness-p1 = 20 x 1 day, earliness-p2 = 20 x 2 days.
 */
static struct campaign *two_units(int invitation_minutes)
{
	struct campaign *c = fixture_campaign();

	if (!c)
		return NULL;
	c->invitation_minutes = invitation_minutes;
	c->end = day("2024-03-07");
	c->teams[0].slots = SLOT_BIT(SLOT_DAY);
	c->teams[0].capacity[0] = 30;
	c->groups[1].turnout = 1.0;
	/* Unit 0, a village at the station: 20 general, card dossiers. */
	c->units[0].site = 0;
	c->units[0].ndemand = 1;
	c->units[0].demand[0] = (struct demand){ .group = 1, .service = 0, .count = 20 };
	/* Unit 1, the school at the station: 20 exam pupils. */
	c->units[1].site = 0;
	c->units[1].demand[0].count = 20;
	/* Unit 2: nobody left to serve. */
	c->units[2].ndemand = 0;
	c->fixed = calloc(2, sizeof(*c->fixed));
	if (!c->fixed) {
		campaign_free(c);
		return NULL;
	}
	c->nfixed = 2;
	c->fixed[0] = (struct fixed_session){ .team = 0, .site = 0, .slot = SLOT_DAY,
					      .date = day("2024-03-05") };
	c->fixed[1] = (struct fixed_session){ .team = 0, .site = 0, .slot = SLOT_DAY,
					      .date = day("2024-03-06") };
	/* No free session: the team is away on the other days. */
	c->teams[0].unavailable.items = calloc(2, sizeof(struct date_range));
	if (!c->teams[0].unavailable.items) {
		campaign_free(c);
		return NULL;
	}
	c->teams[0].unavailable.count = 2;
	c->teams[0].unavailable.items[0] =
		(struct date_range){ .first = day("2024-03-04"), .last = day("2024-03-04") };
	c->teams[0].unavailable.items[1] =
		(struct date_range){ .first = day("2024-03-07"), .last = day("2024-03-07") };
	if (campaign_finalize(c)) {
		campaign_free(c);
		return NULL;
	}
	return c;
}

static void test_one_invitation_per_unit(void)
{
	struct campaign *c = two_units(30);
	struct plan *p = c ? solve(c) : NULL;
	const struct plan_level *pm, *e1, *e2;

	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	CHECK_INT(p->nsessions, 2);
	/* Each unit of 20 fits one session: one invitation each. */
	CHECK_INT(invitations(p, 0), 1);
	CHECK_INT(invitations(p, 1), 1);
	pm = level(p, "person-minutes");
	CHECK(pm != NULL);
	if (pm) {
		CHECK_INT((long)pm->value, 1860);
		CHECK(pm->bound <= pm->value);
	}
	/* Priority 1 first: the pupils on the 5th, the village on the 6th. */
	CHECK_INT(people_on(p, 1, day("2024-03-05")), 20);
	CHECK_INT(people_on(p, 0, day("2024-03-06")), 20);
	e1 = level(p, "earliness-p1");
	e2 = level(p, "earliness-p2");
	CHECK(e1 && e2);
	if (e1 && e2) {
		CHECK_INT((long)e1->value, 20);
		CHECK_INT((long)e2->value, 40);
		CHECK(e1 < e2); /* solved in that order, after person-minutes */
		CHECK(pm && pm < e1);
	}
	CHECK(level(p, "earliness") == NULL);
	plan_free(p);
	campaign_free(c);
}

/* The same campaign with invitations free: the value counts them at 0
 * minutes, and the levels are still there. */
static void test_invitations_free(void)
{
	struct campaign *c = two_units(0);
	struct plan *p = c ? solve(c) : NULL;
	const struct plan_level *pm;

	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	pm = level(p, "person-minutes");
	CHECK(pm && (long)pm->value == 1800);
	CHECK_INT(people_on(p, 1, day("2024-03-05")), 20);
	plan_free(p);
	campaign_free(c);
}

/* Priority 1 comes first even when it costs priority 2 more days: the
 * exam pupils' earliness is minimised before the general public's. Only
 * the pupils' session on the 5th can hold them with 10 others; the
 * village's 20 then wait. */
static void test_urgent_first(void)
{
	struct campaign *c = two_units(30);
	struct plan *p;

	if (!c) {
		CHECK(c != NULL);
		return;
	}
	/* The pupils may come from the 5th only; the village any day. */
	c->groups[0].from = day("2024-03-05");
	p = solve(c);
	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	CHECK_INT(people_on(p, 1, day("2024-03-05")), 20);
	CHECK_INT(people_on(p, 1, day("2024-03-06")), 0);
	plan_free(p);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_one_invitation_per_unit);
	RUN_TEST(test_invitations_free);
	RUN_TEST(test_urgent_first);
	return TEST_EXIT();
}
