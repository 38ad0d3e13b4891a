/*
 * Unit tests of sequence.c (replan-v1.md, "What is sent") on plans of the
 * in-memory fixture: a first plan, unchanged, changed, new and gone
 * events, an edited campaign, an event re-added after its cancel, the
 * entries replan_solve() leaves for frozen sessions it cancelled, and a
 * chain of plans.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fixture.h"
#include "sequence.h"
#include "testlib.h"

static const struct cal_options opts = { LANG_VI, false, 1700000000LL };

static int day(const char *text)
{
	int d = -1;

	date_parse(text, &d);
	return d;
}

/* The fixture's plan with its sessions changed by the test, sorted, with
 * windows. drop: a date whose sessions are left out (-1: none). */
static struct plan *make_plan(const struct campaign *c, int drop, int today)
{
	struct plan *p = fixture_plan(c), *q = plan_new(c);

	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		struct plan_session *t;

		if (s->date == drop)
			continue;
		t = plan_add_session(q, s->team, s->site, s->date, s->slot);
		for (size_t v = 0; v < s->nvisits; v++)
			plan_add_visit(t, s->visits[v].unit, s->visits[v].demand, s->visits[v].count);
	}
	plan_free(p);
	plan_sort(q);
	plan_assign_arrivals(q);
	q->today = today;
	q->freeze_end = today < 0 ? -1 : today + 6;
	return q;
}

static void resort(struct plan *p)
{
	plan_sort(p);
	plan_assign_arrivals(p);
}

static struct plan_session *session_on(struct plan *p, const char *date)
{
	for (size_t i = 0; i < p->nsessions; i++)
		if (p->sessions[i].date == day(date))
			return &p->sessions[i];
	return NULL;
}

static const struct plan_invitation *inv_on(struct plan *p, const char *date, size_t unit)
{
	struct plan_session *s = session_on(p, date);

	return s ? plan_invitation_of(s, unit) : NULL;
}

static const struct plan_cancelled *cancelled_uid(const struct plan *p, const char *uid)
{
	for (size_t i = 0; i < p->ncancelled; i++)
		if (!strcmp(p->cancelled[i].uid, uid))
			return &p->cancelled[i];
	return NULL;
}

static int assign(struct plan *p, const struct plan *old)
{
	struct rota_error err = { 0, "" };
	int rc = sequence_assign(p, old, &opts, &err);

	if (rc)
		fprintf(stderr, "sequence_assign: %s\n", err.message);
	return rc;
}

/* No previous plan: everything new at 0, one invitation per unit. */
static void test_first_plan(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = make_plan(c, -1, -1);

	CHECK_INT(assign(p, NULL), 0);
	for (size_t i = 0; i < p->nsessions; i++) {
		CHECK_INT(p->sessions[i].sequence, 0);
		CHECK_INT(p->sessions[i].change, PLAN_CHANGE_NEW);
		CHECK_INT(p->sessions[i].ninvitations, 1);
		CHECK_INT(p->sessions[i].invitations[0].sequence, 0);
		CHECK_INT(p->sessions[i].invitations[0].change, PLAN_CHANGE_NEW);
	}
	/* Three visits of one unit: one invitation. */
	CHECK(inv_on(p, "2024-03-09", 0) != NULL);
	CHECK(inv_on(p, "2024-03-09", 1) == NULL);
	CHECK_INT(p->ncancelled, 0);
	/* Assigning again gives the same. */
	CHECK_INT(assign(p, NULL), 0);
	CHECK_INT(session_on(p, "2024-03-09")->ninvitations, 1);
	plan_free(p);
	campaign_free(c);
}

/* The same plan on a copy of the campaign (each plan is rendered with its
 * own), with another DTSTAMP: nothing changed, nothing cancelled. */
static void test_unchanged(void)
{
	struct campaign *c1 = fixture_campaign(), *c2 = fixture_campaign();
	struct plan *old = make_plan(c1, -1, -1), *p = make_plan(c2, -1, day("2024-03-06"));
	struct cal_options later = opts;
	struct rota_error err = { 0, "" };

	CHECK_INT(assign(old, NULL), 0);
	later.dtstamp += 86400 * 7;
	CHECK_INT(sequence_assign(p, old, &later, &err), 0);
	for (size_t i = 0; i < p->nsessions; i++) {
		CHECK_INT(p->sessions[i].sequence, 0);
		CHECK_INT(p->sessions[i].change, PLAN_CHANGE_NONE);
		for (size_t k = 0; k < p->sessions[i].ninvitations; k++)
			CHECK_INT(p->sessions[i].invitations[k].change, PLAN_CHANGE_NONE);
	}
	CHECK_INT(p->ncancelled, 0);
	plan_free(old);
	plan_free(p);
	campaign_free(c1);
	campaign_free(c2);
}

/* Fewer people of one unit: its window and the session's description
 * change (sequence + 1); the other sessions do not. */
static void test_changed(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *old = make_plan(c, -1, -1), *p = make_plan(c, -1, day("2024-03-06"));
	struct plan_session *s;

	CHECK_INT(assign(old, NULL), 0);
	s = session_on(p, "2024-03-09");
	s->visits[2].count = 20;
	resort(p);
	CHECK_INT(assign(p, old), 0);
	CHECK_INT(session_on(p, "2024-03-09")->sequence, 1);
	CHECK_INT(session_on(p, "2024-03-09")->change, PLAN_CHANGE_CHANGED);
	CHECK_INT(inv_on(p, "2024-03-09", 0)->sequence, 1);
	CHECK_INT(inv_on(p, "2024-03-09", 0)->change, PLAN_CHANGE_CHANGED);
	CHECK_INT(session_on(p, "2024-03-11")->change, PLAN_CHANGE_NONE);
	CHECK_INT(inv_on(p, "2024-03-11", 2)->change, PLAN_CHANGE_NONE);
	CHECK_INT(session_on(p, "2024-03-05")->change, PLAN_CHANGE_NONE);
	CHECK_INT(p->ncancelled, 0);
	plan_free(old);
	plan_free(p);
	campaign_free(c);
}

/* An edited campaign: a renamed site changes the events held there, and
 * only those. */
static void test_edited_campaign(void)
{
	struct campaign *c1 = fixture_campaign(), *c2 = fixture_campaign();
	struct plan *old, *p;

	free(c2->sites[1].name);
	c2->sites[1].name = strdup("Nhà văn hóa mới xóm Đồng Chùa");
	old = make_plan(c1, -1, -1);
	p = make_plan(c2, -1, day("2024-03-06"));
	CHECK_INT(assign(old, NULL), 0);
	CHECK_INT(assign(p, old), 0);
	CHECK_INT(session_on(p, "2024-03-09")->change, PLAN_CHANGE_CHANGED);
	CHECK_INT(inv_on(p, "2024-03-09", 0)->change, PLAN_CHANGE_CHANGED);
	CHECK_INT(session_on(p, "2024-03-11")->change, PLAN_CHANGE_NONE);
	plan_free(old);
	plan_free(p);
	campaign_free(c1);
	campaign_free(c2);
}

/* A session gone from today on is cancelled (session and invitation,
 * sequence + 1, as published); a new one is NEW at 0; one gone before
 * today is history, not cancelled; the list is sorted by date, uid. */
static void test_new_and_gone(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *old = make_plan(c, -1, -1), *p = make_plan(c, day("2024-03-11"),
								 day("2024-03-06"));
	struct plan *past = make_plan(c, day("2024-03-05"), day("2024-03-06"));
	const struct plan_session *was;
	const struct plan_cancelled *ev;
	struct plan_session *s;
	char uid[PLAN_UID_SIZE];

	CHECK_INT(assign(old, NULL), 0);
	s = plan_add_session(p, 0, 0, day("2024-03-12"), SLOT_DAY);
	plan_add_visit(s, 2, 0, 20);
	resort(p);
	CHECK_INT(assign(p, old), 0);
	CHECK_INT(session_on(p, "2024-03-12")->sequence, 0);
	CHECK_INT(session_on(p, "2024-03-12")->change, PLAN_CHANGE_NEW);
	CHECK_INT(inv_on(p, "2024-03-12", 2)->change, PLAN_CHANGE_NEW);
	CHECK_INT(p->ncancelled, 2);
	was = &old->sessions[2];
	CHECK_INT(was->date, day("2024-03-11"));
	plan_session_uid(old, was, uid, sizeof(uid));
	CHECK_STR(p->cancelled[0].uid, uid);
	ev = &p->cancelled[0];
	CHECK(!ev->invitation);
	CHECK_STR(ev->team, "ca-xa");
	CHECK_STR(ev->site, "tru-so");
	CHECK(ev->unit == NULL);
	CHECK_INT(ev->date, day("2024-03-11"));
	CHECK_INT(ev->slot, SLOT_EVENING);
	CHECK_INT(ev->start, was->start);
	CHECK_INT(ev->end, was->end);
	CHECK_INT(ev->sequence, 1);
	CHECK_INT(ev->cancelled_on, day("2024-03-06"));
	CHECK(ev->reason == NULL);
	plan_invite_uid(old, was, 2, uid, sizeof(uid));
	ev = &p->cancelled[1];
	CHECK_STR(ev->uid, uid);
	CHECK(ev->invitation);
	CHECK_STR(ev->unit, "xom-na-mao");
	CHECK_INT(ev->arrive, was->visits[0].arrive);
	CHECK_INT(ev->until, was->visits[0].until);
	CHECK_INT(ev->sequence, 1);

	/* Before today: history, never cancelled. */
	CHECK_INT(assign(past, old), 0);
	CHECK_INT(past->ncancelled, 0);
	plan_free(old);
	plan_free(p);
	plan_free(past);
	campaign_free(c);
}

/* replan_solve() records the frozen sessions it cancels with sequence -1
 * and a reason: filled in place, not duplicated. */
static void test_frozen_entries_filled(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *old = make_plan(c, -1, -1), *p = make_plan(c, day("2024-03-11"),
								 day("2024-03-06"));
	struct plan_cancelled ev;
	char uid[PLAN_UID_SIZE];
	const struct plan_cancelled *got;
	size_t n = 0;

	CHECK_INT(assign(old, NULL), 0);
	plan_session_uid(old, &old->sessions[2], uid, sizeof(uid));
	memset(&ev, 0, sizeof(ev));
	ev.uid = uid;
	ev.team = "ca-xa";
	ev.site = "tru-so";
	ev.date = day("2024-03-11");
	ev.slot = SLOT_EVENING;
	ev.sequence = -1;
	ev.reason = "tổ nghỉ";
	CHECK(plan_add_cancelled(p, &ev) != NULL);
	CHECK_INT(assign(p, old), 0);
	for (size_t i = 0; i < p->ncancelled; i++)
		n += !strcmp(p->cancelled[i].uid, uid);
	CHECK_INT(n, 1);
	got = cancelled_uid(p, uid);
	CHECK(got && got->sequence == 1 && got->cancelled_on == day("2024-03-06"));
	CHECK(got && got->reason && !strcmp(got->reason, "tổ nghỉ"));
	CHECK_INT(p->ncancelled, 2); /* and the invitation, with its session's reason */
	plan_invite_uid(old, &old->sessions[2], 2, uid, sizeof(uid));
	got = cancelled_uid(p, uid);
	CHECK(got && got->invitation && got->sequence == 1);
	CHECK(got && got->reason && !strcmp(got->reason, "tổ nghỉ"));
	plan_free(old);
	plan_free(p);
	campaign_free(c);
}

/* A chain: plan 1; plan 2 changes 03-09 and drops 03-11; plan 3 changes
 * 03-09 again and brings 03-11 back (its sequence continues from the
 * cancel, and it leaves the cancelled list); plan 4 changes nothing;
 * plan 5 drops 03-11 again (cancel at the next sequence) and plan 6
 * carries that cancel as it was. */
static void test_chain(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p1 = make_plan(c, -1, -1);
	struct plan *p2 = make_plan(c, day("2024-03-11"), day("2024-03-06"));
	struct plan *p3 = make_plan(c, -1, day("2024-03-07"));
	struct plan *p4 = make_plan(c, -1, day("2024-03-07"));
	struct plan *p5 = make_plan(c, day("2024-03-11"), day("2024-03-08"));
	struct plan *p6 = make_plan(c, day("2024-03-11"), day("2024-03-08"));
	char uid[PLAN_UID_SIZE];
	const struct plan_cancelled *ev;

	CHECK_INT(assign(p1, NULL), 0);
	session_on(p2, "2024-03-09")->visits[2].count = 20;
	resort(p2);
	CHECK_INT(assign(p2, p1), 0);
	CHECK_INT(inv_on(p2, "2024-03-09", 0)->sequence, 1);
	CHECK_INT(p2->ncancelled, 2);

	session_on(p3, "2024-03-09")->visits[2].count = 25;
	resort(p3);
	CHECK_INT(assign(p3, p2), 0);
	CHECK_INT(inv_on(p3, "2024-03-09", 0)->sequence, 2);
	CHECK_INT(inv_on(p3, "2024-03-09", 0)->change, PLAN_CHANGE_CHANGED);
	CHECK_INT(session_on(p3, "2024-03-11")->sequence, 2);
	CHECK_INT(session_on(p3, "2024-03-11")->change, PLAN_CHANGE_NEW);
	CHECK_INT(inv_on(p3, "2024-03-11", 2)->sequence, 2);
	CHECK_INT(inv_on(p3, "2024-03-11", 2)->change, PLAN_CHANGE_NEW);
	CHECK_INT(p3->ncancelled, 0);

	session_on(p4, "2024-03-09")->visits[2].count = 25;
	resort(p4);
	CHECK_INT(assign(p4, p3), 0);
	CHECK_INT(inv_on(p4, "2024-03-09", 0)->sequence, 2);
	CHECK_INT(inv_on(p4, "2024-03-09", 0)->change, PLAN_CHANGE_NONE);
	CHECK_INT(session_on(p4, "2024-03-11")->sequence, 2);
	CHECK_INT(session_on(p4, "2024-03-11")->change, PLAN_CHANGE_NONE);

	session_on(p5, "2024-03-09")->visits[2].count = 25;
	resort(p5);
	CHECK_INT(assign(p5, p4), 0);
	plan_invite_uid(p4, session_on(p4, "2024-03-11"), 2, uid, sizeof(uid));
	ev = cancelled_uid(p5, uid);
	CHECK(ev && ev->sequence == 3 && ev->cancelled_on == day("2024-03-08"));

	session_on(p6, "2024-03-09")->visits[2].count = 25;
	resort(p6);
	p6->today = day("2024-03-09");
	CHECK_INT(assign(p6, p5), 0);
	CHECK_INT(p6->ncancelled, 2);
	ev = cancelled_uid(p6, uid);
	CHECK(ev && ev->sequence == 3 && ev->cancelled_on == day("2024-03-08"));
	CHECK_INT(inv_on(p6, "2024-03-09", 0)->change, PLAN_CHANGE_NONE);

	plan_free(p1);
	plan_free(p2);
	plan_free(p3);
	plan_free(p4);
	plan_free(p5);
	plan_free(p6);
	campaign_free(c);
}

/* A visit of count 0 (people who came uninvited to a held session) is no
 * invitation. */
static void test_uninvited_visit(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = make_plan(c, -1, -1);
	struct plan_session *s = session_on(p, "2024-03-05");

	CHECK_INT(plan_add_visit(s, 2, 0, 0), 0);
	CHECK_INT(assign(p, NULL), 0);
	s = session_on(p, "2024-03-05");
	CHECK_INT(s->ninvitations, 1);
	CHECK(plan_invitation_of(s, 2) == NULL);
	plan_free(p);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_first_plan);
	RUN_TEST(test_unchanged);
	RUN_TEST(test_changed);
	RUN_TEST(test_edited_campaign);
	RUN_TEST(test_new_and_gone);
	RUN_TEST(test_frozen_entries_filled);
	RUN_TEST(test_chain);
	RUN_TEST(test_uninvited_visit);
	return TEST_EXIT();
}
