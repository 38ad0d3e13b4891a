/* Unit tests of the re-plan fields of rota.json (replan-v1.md): written by
 * plan_write.c only when plan.today >= 0, read back by plan_read.c into
 * the same struct, strictly. On the fixture campaign and plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_read.h"
#include "date.h"
#include "fixture.h"
#include "plan_write.h"
#include "testlib.h"

static int day(const char *text)
{
	int d = -1;

	date_parse(text, &d);
	return d;
}

/* The fixture plan as a re-plan on 2024-03-10 with a freeze of 7 days:
 * the 03-05 and 03-09 sessions held (40 of 48 pupils came; the village's
 * rows assumed; 2 more pupils came to 03-09 uninvited), the 03-11
 * session frozen, one invitation cancelled. */
static struct plan *replan_fixture(const struct campaign *c)
{
	struct plan *p = fixture_plan(c);
	struct plan_cancelled ev = {
		.uid = "20240312-evening.tru-so.ca-xa.xom-dong-chua.fixture-2024@rota",
		.invitation = true, .team = "ca-xa", .site = "tru-so", .unit = "xom-dong-chua",
		.date = day("2024-03-12"), .slot = SLOT_EVENING, .start = 18 * 60,
		.end = 21 * 60, .arrive = 18 * 60, .until = 19 * 60, .sequence = 2,
		.cancelled_on = day("2024-03-10"), .reason = "the team is away, \"sick\""
	};

	if (!p)
		return NULL;
	p->today = day("2024-03-10");
	p->freeze_end = day("2024-03-16");
	for (size_t i = 0; i < p->nsessions; i++) {
		struct plan_session *s = &p->sessions[i];

		s->origin = s->date < p->today ? PLAN_ORIGIN_HELD : PLAN_ORIGIN_FROZEN;
		s->sequence = (int)i;
		s->change = i == 2 ? PLAN_CHANGE_CHANGED : PLAN_CHANGE_NONE;
		for (size_t j = 0; j < s->nvisits; j++) {
			if (s->origin != PLAN_ORIGIN_HELD)
				continue;
			s->visits[j].came = s->visits[j].unit == 1 ? 40 : s->visits[j].count;
			s->visits[j].assumed = s->visits[j].unit != 1;
		}
		if (s->date == day("2024-03-09")) {
			plan_add_visit(s, 1, 0, 0);
			s->visits[s->nvisits - 1].came = 2;
			s->visits[s->nvisits - 1].arrive = s->start;
			s->visits[s->nvisits - 1].until = s->end;
		}
		s->invitations = calloc(s->nvisits, sizeof(*s->invitations));
		for (size_t j = 0; s->invitations && j < s->nvisits; j++) {
			if (plan_invitation_of(s, s->visits[j].unit))
				continue;
			s->invitations[s->ninvitations].unit = s->visits[j].unit;
			s->invitations[s->ninvitations].sequence = (int)(i + j);
			s->invitations[s->ninvitations].change = s->change;
			s->ninvitations++;
		}
	}
	plan_add_cancelled(p, &ev);
	return p;
}

static int read_back(struct plan **out, const struct campaign *c, const char *text,
		     char *diags, size_t size)
{
	struct diags d;
	size_t used = 0;
	int rc;

	diags_init(&d, "rota.json");
	rc = plan_read_buffer(out, NULL, c, text, strlen(text), &d);
	diags_sort(&d);
	diags[0] = '\0';
	for (size_t i = 0; i < d.count && used < size; i++)
		used += (size_t)snprintf(diags + used, size - used, "%d:%d: %s: %s\n",
					 d.items[i].line, d.items[i].col, d.items[i].path,
					 d.items[i].message);
	diags_release(&d);
	return rc;
}

/* Replaces the first occurrence of from in text with to (text has room). */
static void replace(char *text, size_t size, const char *from, const char *to)
{
	char *at = strstr(text, from);
	size_t tail;

	CHECK(at != NULL);
	if (!at || strlen(text) - strlen(from) + strlen(to) >= size)
		return;
	tail = strlen(at + strlen(from)) + 1;
	memmove(at + strlen(to), at + strlen(from), tail);
	memcpy(at, to, strlen(to));
}

static void test_first_plan_unchanged(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c), *back = NULL;
	struct buf json;
	char diags[2048];

	buf_init(&json);
	report_json(p, NULL, &json);
	CHECK(!strstr(buf_str(&json), "today"));
	CHECK(!strstr(buf_str(&json), "origin"));
	CHECK(!strstr(buf_str(&json), "came"));
	CHECK(!strstr(buf_str(&json), "cancelled"));
	CHECK_INT(read_back(&back, c, buf_str(&json), diags, sizeof(diags)), ROTA_OK);
	CHECK_STR(diags, "");
	if (back) {
		CHECK_INT(back->today, -1);
		CHECK_INT(back->freeze_end, -1);
		CHECK_INT(back->ncancelled, 0);
		CHECK_INT(back->sessions[0].origin, PLAN_ORIGIN_NEW);
		CHECK_INT(back->sessions[0].sequence, 0);
		CHECK_INT(back->sessions[0].ninvitations, 0);
		CHECK_INT(back->sessions[0].visits[0].came, -1);
	}
	plan_free(back);
	plan_free(p);
	campaign_free(c);
	buf_release(&json);
}

static void test_replan_round_trip(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = replan_fixture(c), *back = NULL;
	struct buf json, again;
	char diags[2048];

	buf_init(&json);
	buf_init(&again);
	report_json(p, NULL, &json);
	CHECK(strstr(buf_str(&json), "\"today\": \"2024-03-10\",\n  \"freeze_until\": \"2024-03-16\""));
	CHECK(strstr(buf_str(&json), "\"count\": 0, \"arrive\""));
	CHECK_INT(read_back(&back, c, buf_str(&json), diags, sizeof(diags)), ROTA_OK);
	CHECK_STR(diags, "");
	if (back) {
		CHECK_INT(back->today, p->today);
		CHECK_INT(back->freeze_end, p->freeze_end);
		CHECK_INT(back->nsessions, 3);
		CHECK_INT(back->sessions[0].origin, PLAN_ORIGIN_HELD);
		CHECK_INT(back->sessions[2].origin, PLAN_ORIGIN_FROZEN);
		CHECK_INT(back->sessions[2].change, PLAN_CHANGE_CHANGED);
		CHECK_INT(back->sessions[1].sequence, 1);
		CHECK_INT(back->sessions[1].ninvitations, 2);
		CHECK_INT(back->sessions[0].visits[0].came, 40);
		CHECK(!back->sessions[0].visits[0].assumed);
		CHECK(back->sessions[1].visits[0].assumed);
		CHECK_INT(back->sessions[2].visits[0].came, -1);
		CHECK_INT(back->ncancelled, 1);
		if (back->ncancelled == 1) {
			CHECK_STR(back->cancelled[0].uid, p->cancelled[0].uid);
			CHECK_STR(back->cancelled[0].unit, "xom-dong-chua");
			CHECK_STR(back->cancelled[0].reason, "the team is away, \"sick\"");
			CHECK_INT(back->cancelled[0].sequence, 2);
			CHECK_INT(back->cancelled[0].until, 19 * 60);
		}
		/* Written again, the plan read back gives the same bytes. */
		report_json(back, NULL, &again);
		CHECK_STR(buf_str(&again), buf_str(&json));
	}
	plan_free(back);
	plan_free(p);
	campaign_free(c);
	buf_release(&json);
	buf_release(&again);
}

/* Each tampering is refused at its place. */
static void test_replan_strict(void)
{
	static const struct {
		const char *from, *to, *diag;
	} cases[] = {
		{ "\"count\": 20, \"arrive\": \"18:00\", \"until\": \"20:10\"}",
		  "\"count\": 20, \"arrive\": \"18:00\", \"until\": \"20:10\", \"came\": 20}",
		  "sessions[2].visits[0].came: only a visit of a session before 'today' (held) "
		  "has 'came'" },
		{ "\"origin\": \"held\"", "\"origin\": \"new\"",
		  "sessions[0].origin: expected 'held': the session is dated before 'today' "
		  "(2024-03-10), found 'new'" },
		{ "\"origin\": \"frozen\"", "\"origin\": \"held\"",
		  "sessions[2].origin: expected 'new', 'frozen' or 'kept': a session on or after "
		  "'today' (2024-03-10) has not been held, found 'held'" },
		{ "\"freeze_until\": \"2024-03-16\"", "\"freeze_until\": \"2024-03-10\"",
		  "sessions[2].origin: expected 'new' or 'kept': the session is dated after the "
		  "freeze window (2024-03-10 to 2024-03-10), found 'frozen'" },
		{ ", \"came\": 40}", "}", "sessions[0].visits[0]: missing field 'came'" },
		{ "\"unit\": \"thcs-trung-hoi\", \"sequence\": 4", "\"unit\": \"xom-dong-chua\", "
		  "\"sequence\": 4",
		  "sessions[1].invitations[1].unit: a second invitation of unit 'xom-dong-chua' to "
		  "this session" },
		{ "\"change\": \"changed\"", "\"change\": \"moved\"",
		  "sessions[2].change: expected 'none', 'new' or 'changed', found 'moved'" },
		{ "\"today\": \"2024-03-10\"", "\"today\": \"2024-03-26\"",
		  "today: expected a date from the campaign's start to the day after its end "
		  "(2024-03-04 to 2024-03-25), found '2024-03-26'" },
		{ "\"came\": 42, \"planned\": 42", "\"came\": 41, \"planned\": 42",
		  "coverage[3].came: expected 42, the people who came to the held sessions, "
		  "found 41" },
		{ "\"event\": \"invitation\"", "\"event\": \"session\"",
		  "cancelled[0].unit: a session's event has no 'unit'" },
		{ "\"cancelled_on\": \"2024-03-10\"", "\"cancelled_on\": \"2024-03-11\"",
		  "cancelled[0].cancelled_on: expected a date on or before 'today' (2024-03-10), "
		  "found '2024-03-11'" },
	};
	struct campaign *c = fixture_campaign();
	struct plan *p = replan_fixture(c);
	struct buf json;

	buf_init(&json);
	report_json(p, NULL, &json);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t size = json.len + 256;
		char *text = malloc(size), diags[4096];
		struct plan *back = NULL;

		if (!text)
			break;
		memcpy(text, buf_str(&json), json.len + 1);
		replace(text, size, cases[i].from, cases[i].to);
		CHECK_INT(read_back(&back, c, text, diags, sizeof(diags)), ROTA_EINPUT);
		if (!strstr(diags, cases[i].diag)) {
			fprintf(stderr, "case %zu: expected '%s' in:\n%s", i, cases[i].diag, diags);
			CHECK(false);
		}
		CHECK(back == NULL);
		free(text);
	}
	plan_free(p);
	campaign_free(c);
	buf_release(&json);
}

int main(void)
{
	RUN_TEST(test_first_plan_unchanged);
	RUN_TEST(test_replan_round_trip);
	RUN_TEST(test_replan_strict);
	return TEST_EXIT();
}
