/* Unit tests of plan.c and campaign.c on the in-memory fixture. */
#include <stdlib.h>

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

	/* Two units of equal load in a day session at the station: 450
	 * working minutes, 225 each: the first window is 07:30-11:15, the
	 * second 11:15-17:00 across the break. */
	s = plan_add_session(p, 0, 0, c->start, SLOT_DAY);
	plan_add_visit(s, 0, 1, 10);
	plan_add_visit(s, 2, 0, 10);
	c->units[2].demand[0].group = 1; /* make both units alike */
	c->units[2].demand[0].service = 0;
	plan_sort(p);
	plan_assign_arrivals(p);
	s = &p->sessions[0];
	CHECK_INT(s->nvisits, 2);
	CHECK_INT(s->visits[0].arrive, 7 * 60 + 30);
	CHECK_INT(s->visits[0].until, 11 * 60 + 15);
	CHECK_INT(s->visits[1].arrive, 11 * 60 + 15);
	CHECK_INT(s->visits[1].until, 17 * 60);
	plan_free(p);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_campaign_rules);
	RUN_TEST(test_plan_order_and_windows);
	RUN_TEST(test_windows_skip_breaks);
	return TEST_EXIT();
}
