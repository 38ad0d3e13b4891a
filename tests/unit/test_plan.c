/* Unit tests of plan.c and campaign.c on the in-memory fixture. */
#include <stdlib.h>

#include "campaign.h"

#include "date.h"
#include "fixture.h"
#include "testlib.h"

static void test_campaign_rules(void)
{
	struct campaign *c = fixture_campaign();
	int d;

	CHECK(c != NULL);
	date_parse("2024-03-08", &d);
	CHECK_INT(campaign_slots_on(c, d), SLOT_BIT(SLOT_HOLIDAY));
	date_parse("2024-03-09", &d);
	CHECK_INT(campaign_slots_on(c, d), SLOT_BIT(SLOT_WEEKEND));
	CHECK(session_possible(c, 0, 1, d, SLOT_WEEKEND));
	CHECK(!session_possible(c, 0, 2, d, SLOT_WEEKEND)); /* school: day only */
	CHECK(!session_possible(c, 0, 1, d, SLOT_DAY));
	CHECK(!session_possible(c, 0, 1, c->end + 1, SLOT_WEEKEND));
	/* 570 - 120 break = 450 working minutes; 15 minutes each way. */
	CHECK_INT(c->slots[SLOT_DAY].working, 450);
	CHECK(session_capacity_share(c, 0, 1, SLOT_DAY) > 0.9333 &&
	      session_capacity_share(c, 0, 1, SLOT_DAY) < 0.9334);
	CHECK(group_may_use_site(c, 0, 0, 1));  /* own hall */
	CHECK(group_may_use_site(c, 0, 0, 0));  /* station reachable */
	CHECK(!group_may_use_site(c, 0, 0, 2)); /* the school is not the village's */
	CHECK(!visit_allowed(c, 2, 0, 0, 0, c->start, SLOT_DAY)); /* workers: no day */
	CHECK(visit_allowed(c, 2, 0, 0, 0, c->start, SLOT_EVENING));
	CHECK_INT(c->nlevels, 3);
	campaign_free(c);
}

static void test_plan_order_and_windows(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	const struct plan_session *s;
	char uid[PLAN_UID_SIZE], name[PLAN_NAME_SIZE];
	int planned, by_deadline;

	CHECK_INT(p->nsessions, 3);
	CHECK_INT(p->sessions[0].site, 2);
	s = &p->sessions[1];
	CHECK_INT(s->start, 7 * 60 + 45);
	CHECK_INT(s->end, 16 * 60 + 45);
	/* One unit: the window is the whole session. */
	CHECK_INT(s->visits[0].arrive, s->start);
	CHECK_INT(s->visits[0].until, s->end);
	plan_session_name(p, s, name, sizeof(name));
	CHECK_STR(name, "2024-03-09-weekend-nvh-dong-chua-ca-xa");
	plan_session_uid(p, s, uid, sizeof(uid));
	CHECK_STR(uid, "20240309-weekend.nvh-dong-chua.ca-xa.fixture-2024@rota");
	plan_invite_uid(p, s, 0, uid, sizeof(uid));
	CHECK_STR(uid, "20240309-weekend.nvh-dong-chua.ca-xa.xom-dong-chua.fixture-2024@rota");
	plan_coverage(p, 0, 0, &planned, &by_deadline);
	CHECK_INT(planned, 12);
	CHECK_INT(by_deadline, 12);
	plan_free(p);
	campaign_free(c);
}

static void test_windows_skip_breaks(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = plan_new(c);
	struct plan_session *s;

	/* Two units in a day session at the station (07:30-17:00, break
	 * 11:30-13:30): 10 general cccd (turnout 0.9) need 10 x 0.9 / 30 x 450
	 * = 135 minutes, 10 exam cccd 150. The exam pupils come first; the
	 * village's window spans the break because 45 minutes fall after it. */
	s = plan_add_session(p, 0, 0, c->start, SLOT_DAY);
	plan_add_visit(s, 0, 1, 10);
	plan_add_visit(s, 2, 0, 10);
	c->units[2].demand[0].group = 0; /* exam, cccd */
	c->units[2].demand[0].service = 0;
	plan_sort(p);
	plan_assign_arrivals(p);
	s = &p->sessions[0];
	CHECK_INT(s->nvisits, 2);
	CHECK_INT(s->visits[0].unit, 2);
	CHECK_INT(s->visits[0].arrive, 7 * 60 + 30);
	CHECK_INT(s->visits[0].until, 10 * 60);
	CHECK_INT(s->visits[1].arrive, 10 * 60);
	CHECK_INT(s->visits[1].until, 13 * 60 + 30 + 45);
	plan_free(p);
	campaign_free(c);
}

static void test_windows_few_people(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = plan_new(c);
	struct plan_session *s;

	/* One unit of 2 people in a day session at the hall (07:45-16:45):
	 * 2 x 0.9 / 30 x 450 = 27 minutes: the shortest window, 30 minutes,
	 * from the start, not the whole day. */
	s = plan_add_session(p, 0, 1, c->start, SLOT_DAY);
	plan_add_visit(s, 0, 1, 2);
	plan_sort(p);
	plan_assign_arrivals(p);
	s = &p->sessions[0];
	CHECK_INT(s->visits[0].arrive, 7 * 60 + 45);
	CHECK_INT(s->visits[0].until, 8 * 60 + 15);
	/* 20 people: 270 minutes, 07:45-11:30 then 45 after the break. */
	s->visits[0].count = 20;
	plan_assign_arrivals(p);
	CHECK_INT(s->visits[0].arrive, 7 * 60 + 45);
	CHECK_INT(s->visits[0].until, 14 * 60 + 15);
	/* 17 people: 229.5 minutes, 230 would end 10 minutes after the break:
	 * the window ends at the break instead. */
	s->visits[0].count = 17;
	plan_assign_arrivals(p);
	CHECK_INT(s->visits[0].until, 11 * 60 + 30);
	plan_free(p);
	campaign_free(c);
}

/* Every window on five-minute marks, inside the session, not starting or
 * ending in a break, at least the minimum when there is room, and the
 * units' windows disjoint, for sessions with odd travel times and many
 * units. */
static void test_windows_properties(void)
{
	struct campaign *c = fixture_campaign();
	unsigned seed = 12345;
	int checked = 0;

	for (int round = 0; round < 400; round++) {
		struct plan *p = plan_new(c);
		struct plan_session *s;
		int travel, nunits_in, grid, units;

		seed = seed * 1103515245u + 12345u;
		travel = (int)(seed >> 16) % 50;
		c->travel[0 * c->nsites + 1] = c->travel[1 * c->nsites + 0] = travel;
		s = plan_add_session(p, 0, 1, c->start, (round & 1) ? SLOT_EVENING : SLOT_DAY);
		nunits_in = 0;
		for (size_t u = 0; u < c->nunits; u++) {
			for (size_t d = 0; d < c->units[u].ndemand; d++) {
				seed = seed * 1103515245u + 12345u;
				if ((seed >> 16) % 3 == 0)
					continue;
				plan_add_visit(s, u, d, 1 + (int)((seed >> 8) % 60));
				nunits_in++;
			}
		}
		if (!nunits_in)
			plan_add_visit(s, 0, 0, 1);
		plan_sort(p);
		plan_assign_arrivals(p);
		s = &p->sessions[0];
		/* Room on the grid, the breaks of the fixture being on marks. */
		grid = (s->end / PLAN_WINDOW_STEP - (s->start + PLAN_WINDOW_STEP - 1) / PLAN_WINDOW_STEP) *
		       PLAN_WINDOW_STEP;
		for (size_t b = 0; b < c->slots[s->slot].nbreaks; b++)
			grid -= c->slots[s->slot].breaks[b].end - c->slots[s->slot].breaks[b].start;
		units = 0;
		for (size_t i = 0; i < s->nvisits; i++)
			units += i == 0 || s->visits[i].unit != s->visits[i - 1].unit;
		for (size_t i = 0; i < s->nvisits; i++) {
			const struct plan_visit *v = &s->visits[i];
			const struct slot_window *w = &c->slots[s->slot];

			CHECK(v->arrive % PLAN_WINDOW_STEP == 0);
			CHECK(v->until % PLAN_WINDOW_STEP == 0);
			CHECK(v->arrive >= s->start && v->until <= s->end);
			CHECK(v->until - v->arrive >= PLAN_WINDOW_MIN || units * PLAN_WINDOW_MIN > grid);
			CHECK(v->until - v->arrive >= PLAN_WINDOW_STEP);
			for (size_t b = 0; b < w->nbreaks; b++) {
				CHECK(!(v->arrive >= w->breaks[b].start && v->arrive < w->breaks[b].end));
				CHECK(!(v->until > w->breaks[b].start && v->until <= w->breaks[b].end));
			}
			for (size_t j = 0; j < s->nvisits; j++) {
				const struct plan_visit *o = &s->visits[j];

				if (o->unit == v->unit)
					CHECK(o->arrive == v->arrive && o->until == v->until);
				else
					CHECK(o->until <= v->arrive || o->arrive >= v->until);
			}
			checked++;
		}
		plan_free(p);
	}
	CHECK(checked > 400);
	campaign_free(c);
}

/* The one-pass table gives plan_coverage's figures for every row, after
 * the deadline and with came counted; out of memory it answers through
 * plan_coverage. */
static void test_coverage_table(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct plan_session *s;
	struct plan_cov cov;
	int rows = 0, when = 0;

	date_parse("2024-03-20", &when);
	s = plan_add_session(p, 0, 1, when, SLOT_WEEKEND);

	/* Exam pupils after their 15 March deadline, and a held visit whose
	 * came (3) counts instead of its count. */
	CHECK_INT(plan_add_visit(s, 0, 0, 5), 0);
	CHECK_INT(plan_add_visit(s, 2, 0, 4), 0);
	s->visits[1].came = 3;
	plan_cov_init(&cov, p);
	CHECK(cov.planned != NULL);
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			int a, b, x, y;

			plan_coverage(p, u, d, &a, &b);
			plan_cov_get(&cov, u, d, &x, &y);
			CHECK_INT(x, a);
			CHECK_INT(y, b);
			rows++;
		}
	CHECK(rows >= 5);
	{
		int planned, by_deadline;

		plan_cov_get(&cov, 0, 0, &planned, &by_deadline);
		CHECK_INT(planned, 17);
		CHECK_INT(by_deadline, 12);
		plan_cov_get(&cov, 2, 0, &planned, &by_deadline);
		CHECK_INT(planned, 23);
		plan_cov_release(&cov);
		/* The fallback of a table that could not be made. */
		cov.p = p;
		plan_cov_get(&cov, 0, 0, &planned, &by_deadline);
		CHECK_INT(planned, 17);
		CHECK_INT(by_deadline, 12);
	}
	plan_free(p);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_campaign_rules);
	RUN_TEST(test_plan_order_and_windows);
	RUN_TEST(test_windows_skip_breaks);
	RUN_TEST(test_windows_few_people);
	RUN_TEST(test_windows_properties);
	RUN_TEST(test_coverage_table);
	return TEST_EXIT();
}
