/* Unit tests of report.c: rota.json, rota.csv and summary.txt of the fixture. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_read.h"
#include "date.h"
#include "diag.h"
#include "fixture.h"
#include "plan_write.h"
#include "report.h"
#include "testlib.h"

static const char fixture_json[] =
	"{\n"
	"  \"format\": \"rota-plan/1\",\n"
	"  \"campaign\": \"fixture-2024\",\n"
	"  \"campaign_file\": \"examples/fixture.json\",\n"
	"  \"sessions\": [\n"
	"    {\n"
	"      \"uid\": \"20240305-day.thcs.ca-xa.fixture-2024@rota\",\n"
	"      \"team\": \"ca-xa\",\n"
	"      \"site\": \"thcs\",\n"
	"      \"date\": \"2024-03-05\",\n"
	"      \"slot\": \"day\",\n"
	"      \"start\": \"07:35\",\n"
	"      \"end\": \"16:55\",\n"
	"      \"fixed\": true,\n"
	"      \"visits\": [\n"
	"        {\"unit\": \"thcs-trung-hoi\", \"group\": \"exam\", \"service\": \"cccd\", "
	"\"count\": 48, \"arrive\": \"07:35\", \"until\": \"16:55\"}\n"
	"      ]\n"
	"    },\n"
	"    {\n"
	"      \"uid\": \"20240309-weekend.nvh-dong-chua.ca-xa.fixture-2024@rota\",\n"
	"      \"team\": \"ca-xa\",\n"
	"      \"site\": \"nvh-dong-chua\",\n"
	"      \"date\": \"2024-03-09\",\n"
	"      \"slot\": \"weekend\",\n"
	"      \"start\": \"07:45\",\n"
	"      \"end\": \"16:45\",\n"
	"      \"visits\": [\n"
	"        {\"unit\": \"xom-dong-chua\", \"group\": \"exam\", \"service\": \"cccd\", "
	"\"count\": 12, \"arrive\": \"07:45\", \"until\": \"16:45\"},\n"
	"        {\"unit\": \"xom-dong-chua\", \"group\": \"general\", \"service\": \"cccd\", "
	"\"count\": 10, \"arrive\": \"07:45\", \"until\": \"16:45\"},\n"
	"        {\"unit\": \"xom-dong-chua\", \"group\": \"general\", \"service\": \"eid2\", "
	"\"count\": 35, \"arrive\": \"07:45\", \"until\": \"16:45\"}\n"
	"      ]\n"
	"    },\n"
	"    {\n"
	"      \"uid\": \"20240311-evening.tru-so.ca-xa.fixture-2024@rota\",\n"
	"      \"team\": \"ca-xa\",\n"
	"      \"site\": \"tru-so\",\n"
	"      \"date\": \"2024-03-11\",\n"
	"      \"slot\": \"evening\",\n"
	"      \"start\": \"18:00\",\n"
	"      \"end\": \"21:00\",\n"
	"      \"visits\": [\n"
	"        {\"unit\": \"xom-na-mao\", \"group\": \"workers\", \"service\": \"eid2\", "
	"\"count\": 20, \"arrive\": \"18:00\", \"until\": \"20:10\"}\n"
	"      ]\n"
	"    }\n"
	"  ],\n"
	"  \"coverage\": [\n"
	"    {\"unit\": \"xom-dong-chua\", \"group\": \"exam\", \"service\": \"cccd\", "
	"\"demand\": 12, \"planned\": 12, \"by_deadline\": 12, \"deadline\": \"2024-03-15\"},\n"
	"    {\"unit\": \"xom-dong-chua\", \"group\": \"general\", \"service\": \"cccd\", "
	"\"demand\": 10, \"planned\": 10, \"by_deadline\": 10, \"deadline\": \"2024-03-24\"},\n"
	"    {\"unit\": \"xom-dong-chua\", \"group\": \"general\", \"service\": \"eid2\", "
	"\"demand\": 35, \"planned\": 35, \"by_deadline\": 35, \"deadline\": \"2024-03-24\"},\n"
	"    {\"unit\": \"thcs-trung-hoi\", \"group\": \"exam\", \"service\": \"cccd\", "
	"\"demand\": 48, \"planned\": 48, \"by_deadline\": 48, \"deadline\": \"2024-03-15\"},\n"
	"    {\"unit\": \"xom-na-mao\", \"group\": \"workers\", \"service\": \"eid2\", "
	"\"demand\": 20, \"planned\": 20, \"by_deadline\": 20, \"deadline\": \"2024-03-24\"}\n"
	"  ],\n"
	"  \"solver\": {\n"
	"    \"status\": \"optimal\",\n"
	"    \"objective\": 0.0,\n"
	"    \"bound\": 0.0,\n"
	"    \"gap\": 0.0,\n"
	"    \"seconds\": 0.0,\n"
	"    \"levels\": []\n"
	"  }\n"
	"}\n";

/* The fixture's plan with its first session marked fixed, as the solver
 * marks sessions that campaign.fixed[] requires. */
static struct plan *fixed_fixture_plan(const struct campaign *c)
{
	struct plan *p = fixture_plan(c);

	if (p)
		p->sessions[0].fixed = true;
	return p;
}

static void set_levels(struct plan *p)
{
	static const char *const names[] = { "by-deadline-p1", "served-p1", "extra" };

	p->solver.nlevels = 3;
	p->solver.levels = calloc(3, sizeof(*p->solver.levels));
	for (size_t i = 0; i < 3; i++)
		snprintf(p->solver.levels[i].name, sizeof(p->solver.levels[i].name), "%s",
			 names[i]);
	p->solver.levels[0].value = p->solver.levels[0].bound = 60.0;
	p->solver.levels[1].value = 125.0;
	p->solver.levels[1].bound = 125.0;
	p->solver.levels[2].value = 2.0;
	p->solver.levels[2].bound = 1.0;
	p->solver.levels[2].gap = 0.5;
}

static void test_json_exact(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixed_fixture_plan(c);
	struct buf out;

	buf_init(&out);
	report_json(p, "examples/fixture.json", &out);
	CHECK(!out.failed);
	CHECK_STR(buf_str(&out), fixture_json);
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static void test_json_numbers(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct buf out;

	set_levels(p);
	p->solver.status = PLAN_FEASIBLE;
	p->solver.objective = -0.0;
	p->solver.bound = 1234567.1234567;
	p->solver.gap = 0.1234564999;
	p->solver.seconds = 2.5;
	p->solver.levels[0].bound = 2e20;
	p->solver.levels[1].bound = NAN;
	p->solver.levels[1].gap = NAN;
	buf_init(&out);
	report_json(p, NULL, &out);
	CHECK(!strstr(buf_str(&out), "campaign_file"));
	CHECK(strstr(buf_str(&out), "\"status\": \"feasible\",\n"));
	CHECK(strstr(buf_str(&out), "\"objective\": 0.0,\n"));
	CHECK(strstr(buf_str(&out), "\"bound\": 1234567.123457,\n"));
	CHECK(strstr(buf_str(&out), "\"gap\": 0.123456,\n"));
	CHECK(strstr(buf_str(&out), "\"seconds\": 2.5,\n"));
	CHECK(strstr(buf_str(&out),
		     "      {\"name\": \"by-deadline-p1\", \"value\": 60.0, \"bound\": 2e+20, "
		     "\"gap\": 0.0},\n"));
	/* A value that is not a number must not make the file invalid JSON;
	 * a gap that is not a number was never proven. */
	CHECK(strstr(buf_str(&out),
		     "      {\"name\": \"served-p1\", \"value\": 125.0, \"bound\": null, "
		     "\"gap\": 1.0},\n"));
	CHECK(strstr(buf_str(&out),
		     "      {\"name\": \"extra\", \"value\": 2.0, \"bound\": 1.0, \"gap\": 0.5}\n"
		     "    ]\n"));
	CHECK(!strstr(buf_str(&out), ": nan") && !strstr(buf_str(&out), ": inf") &&
	      !strstr(buf_str(&out), ": -"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static void test_json_escaping(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;
	struct buf out;

	/* Ids are slugs in a valid campaign; the writer must not rely on it. */
	free(c->id);
	c->id = xstrdup("odd\"id\\\x01\tĐồng");
	free(c->units[2].id);
	c->units[2].id = xstrdup("na\nmao\x7f");
	p = fixture_plan(c);
	buf_init(&out);
	report_json(p, "dir \"quoted\"\\file.json", &out);
	CHECK(strstr(buf_str(&out), "\"campaign\": \"odd\\\"id\\\\\\u0001\\tĐồng\",\n"));
	CHECK(strstr(buf_str(&out), "\"campaign_file\": \"dir \\\"quoted\\\"\\\\file.json\",\n"));
	CHECK(strstr(buf_str(&out), "{\"unit\": \"na\\nmao\\u007f\", "));
	buf_release(&out);
	/* A file name that is not UTF-8 cannot be written in JSON: left out. */
	report_json(p, "bad\xff\xfe.json", &out);
	CHECK(!strstr(buf_str(&out), "campaign_file"));
	buf_release(&out);
	report_json(p, "overlong\xc0\xaf.json", &out);
	CHECK(!strstr(buf_str(&out), "campaign_file"));
	buf_release(&out);
	report_json(p, "vùng-đồng.json", &out);
	CHECK(strstr(buf_str(&out), "\"campaign_file\": \"vùng-đồng.json\",\n"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static void test_json_empty_plan(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = plan_new(c);
	struct buf out;

	buf_init(&out);
	report_json(p, NULL, &out);
	CHECK(strstr(buf_str(&out), "  \"sessions\": [],\n  \"coverage\": [\n"));
	CHECK(strstr(buf_str(&out), "\"demand\": 48, \"planned\": 0, \"by_deadline\": 0, "));
	CHECK(strstr(buf_str(&out), "    \"levels\": []\n  }\n}\n"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static void test_csv(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct buf out;

	buf_init(&out);
	report_csv(p, &out);
	CHECK_STR(buf_str(&out),
		  "date,slot,start,end,team,site,unit,group,service,count,arrive,until\r\n"
		  "2024-03-05,day,07:35,16:55,ca-xa,thcs,thcs-trung-hoi,exam,cccd,48,07:35,16:55\r\n"
		  "2024-03-09,weekend,07:45,16:45,ca-xa,nvh-dong-chua,xom-dong-chua,exam,cccd,12,"
		  "07:45,16:45\r\n"
		  "2024-03-09,weekend,07:45,16:45,ca-xa,nvh-dong-chua,xom-dong-chua,general,cccd,10,"
		  "07:45,16:45\r\n"
		  "2024-03-09,weekend,07:45,16:45,ca-xa,nvh-dong-chua,xom-dong-chua,general,eid2,35,"
		  "07:45,16:45\r\n"
		  "2024-03-11,evening,18:00,21:00,ca-xa,tru-so,xom-na-mao,workers,eid2,20,18:00,20:10\r\n");
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static void test_csv_quoting(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;
	struct buf out;

	free(c->units[2].id);
	c->units[2].id = xstrdup("na,\"mao\"");
	free(c->teams[0].id);
	c->teams[0].id = xstrdup("two\nlines");
	free(c->groups[2].id);
	c->groups[2].id = xstrdup("plain;semicolon");
	p = fixture_plan(c);
	buf_init(&out);
	report_csv(p, &out);
	CHECK(strstr(buf_str(&out), "2024-03-11,evening,18:00,21:00,\"two\nlines\",tru-so,"
				    "\"na,\"\"mao\"\"\",plain;semicolon,eid2,20,18:00,20:10\r\n"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static void test_twice_identical(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixed_fixture_plan(c), *q = fixed_fixture_plan(c);
	struct buf a, b;

	set_levels(p);
	set_levels(q);
	buf_init(&a);
	buf_init(&b);
	report_json(p, "x.json", &a);
	report_csv(p, &a);
	report_summary(p, "team ca-xa: no file\n", LANG_EN, &a);
	report_json(q, "x.json", &b);
	report_csv(q, &b);
	report_summary(q, "team ca-xa: no file\n", LANG_EN, &b);
	CHECK(!a.failed && !b.failed);
	CHECK_INT(a.len, b.len);
	CHECK(a.len == b.len && !memcmp(a.data, b.data, a.len));
	buf_release(&a);
	buf_release(&b);
	plan_free(p);
	plan_free(q);
	campaign_free(c);
}

/* Every line of text fits an 80-column terminal (counting characters). */
static bool fits_80_columns(const char *text)
{
	size_t cols = 0;

	for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
		if (*s == '\n')
			cols = 0;
		else if ((*s & 0xc0) != 0x80 && ++cols > 80)
			return false;
	}
	return true;
}

static void test_summary_all_met(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixed_fixture_plan(c);
	struct buf out;
	const char *s;

	buf_init(&out);
	report_summary(p, NULL, LANG_EN, &out);
	s = buf_str(&out);
	CHECK(!out.failed);
	CHECK(strstr(s, "Plan of campaign fixture-2024\n"
			"  Cấp CCCD và định danh điện tử xã Trung Hội năm 2024\n"
			"  2024-03-04 to 2024-03-24: 3 sessions, 125 of 125 people invited\n"));
	CHECK(strstr(s, "  exam            1  2024-03-15        60           60        60       -\n"));
	CHECK(strstr(s, "  total                               125          125       125       -\n"));
	CHECK(strstr(s, "Every group is invited in full by its deadline.\n"));
	CHECK(!strstr(s, "Deadlines not met"));
	CHECK(strstr(s, "  team         day    evening    weekend    holiday    total   people\n"
			"  ca-xa          1          1          1          0        3      125\n"
			"  1 of them fixed beforehand in the campaign.\n"));
	CHECK(strstr(s, "  Solver: optimal.\n"));
	/* The solver's table comes last. */
	CHECK(strstr(s, "The solver's table (for the planner)") > strstr(s, "Capacity check"));
	CHECK(strstr(s, "Capacity check"));
	CHECK(strstr(s, "  2024-03-15        60      2.00     11.00        11  ok      exam\n"));
	/* No clock in a reproducible summary, no contact details ever. */
	CHECK(!strstr(s, " s\n"));
	CHECK(!strstr(s, "Nguyễn Văn A") && !strstr(s, "example.vn"));
	CHECK(!strstr(s, "Calendars and invitations not written"));
	CHECK(fits_80_columns(s));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static void test_summary_shortfall(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct buf out;
	const char *s;
	int d;

	/* Drop the school's session and move the village's exam pupils past
	 * the deadline: exam is 48 + 12 short, 12 of them invited late. */
	free(p->sessions[0].visits);
	memmove(&p->sessions[0], &p->sessions[1], 2 * sizeof(p->sessions[0]));
	p->nsessions = 2;
	date_parse("2024-03-16", &d);
	p->sessions[0].date = d;
	set_levels(p);
	p->solver.status = PLAN_FEASIBLE;
	p->solver.gap = 0.25;
	p->solver.seconds = 12.34;
	buf_init(&out);
	report_summary(p, "team ca-xa: no sessions\nschool thcs-trung-hoi: no sessions", LANG_EN, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "  exam            1  2024-03-15        60            0        12      60\n"));
	CHECK(strstr(s, "Deadlines not met\n"
			"  exam (priority 1, due 2024-03-15): 60 of 60 people not invited by then\n"
			"    xom-dong-chua: short by 12 cccd (12 invited after the deadline)\n"
			"    thcs-trung-hoi: short by 48 cccd\n"
			"    closing it takes about 2 more day sessions of team ca-xa (30 cccd a day) on\n"
			"      or before 2024-03-15\n"));
	CHECK(strstr(s, "  - Học sinh dự thi (priority 1, due 2024-03-15): 0 of 60 invited in time, 12\n"
			"    after the deadline; the last on 2024-03-16.\n"));
	CHECK(!strstr(s, "Every group is invited in full"));
	CHECK(strstr(s, "  Solver: feasible, 1 level not proven optimal, 12.3 s.\n"));
	CHECK(strstr(s, "  level                  value           bound          gap\n"
			"  by-deadline-p1            60              60            0\n"
			"  served-p1                125             125            0\n"
			"  extra                      2               1       50.00%\n"));
	CHECK(strstr(s, "\nCalendars and invitations not written\n"
			"  team ca-xa: no sessions\n"
			"  school thcs-trung-hoi: no sessions\n"));
	/* No bound is said so, with no gap (not "100 %"). */
	p->solver.levels[0].bound = -HUGE_VAL;
	buf_release(&out);
	report_summary(p, NULL, LANG_VI, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "  by-deadline-p1            60    không có cận            -\n"));
	CHECK(strstr(s, "  Bộ giải: khả thi, 2 mức chưa chứng minh tối ưu, 12.3 s.\n"));
	CHECK(strstr(s, "  - by-deadline-pN: người của mức ưu tiên N được mời trước hạn chót (càng lớn\n"
			"    càng tốt)\n"));
	CHECK(strstr(s, "Chưa kịp hạn chót\n"
			"  Học sinh dự thi (ưu tiên 1, hạn 15/03/2024): 60 trong số 60 người chưa được\n"
			"    mời trước hạn\n"
			"    Xóm Đồng Chùa: thiếu 12 cccd (12 người được mời sau hạn)\n"));
	CHECK(fits_80_columns(s));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

/* A level the solver never reached (plan-v1: gap 1) is neither proven
 * nor given a bound, even where its value and bound agree; a level whose
 * bound is 0 has gap 1 honestly and keeps its figures. */
static void test_summary_unreached_level(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct buf out;
	const char *s;

	set_levels(p);
	p->solver.status = PLAN_FEASIBLE;
	p->solver.gap = 1.0;
	p->solver.levels[1].gap = 1.0;  /* served-p1: 125 and 125, never reached */
	p->solver.levels[2].bound = 0.0; /* extra: 2 against 0, reached */
	p->solver.levels[2].gap = 1.0;
	buf_init(&out);
	report_summary(p, NULL, LANG_EN, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "  Solver: feasible, 2 levels not proven optimal.\n"));
	CHECK(strstr(s, "  by-deadline-p1            60              60            0\n"
			"  served-p1                125     not reached            -\n"
			"  extra                      2               0      100.00%\n"
			"  - not reached: the solver stopped before it proved any bound for this level\n"
			"    (--time-limit ran out, or the problem is too large); the value is the\n"
			"    plan's.\n"));
	CHECK(fits_80_columns(s));
	buf_release(&out);
	report_summary(p, NULL, LANG_VI, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "  served-p1                125   chưa giải tới            -\n"));
	CHECK(strstr(s, "  Bộ giải: khả thi, 2 mức chưa chứng minh tối ưu.\n"));
	CHECK(fits_80_columns(s));
	/* Every level reached: no such line. */
	p->solver.levels[1].gap = 0.0;
	buf_release(&out);
	report_summary(p, NULL, LANG_EN, &out);
	s = buf_str(&out);
	CHECK(!strstr(s, "not reached"));
	CHECK(strstr(s, "  Solver: feasible, 1 level not proven optimal.\n"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

/* A value better than its bound (shared teams: the bound holds for plans
 * that reach the levels above, and this one falls short of one): no gap
 * of 0, a star, a line saying why, and not counted as proven. */
static void test_summary_crossed_level(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct buf out;
	const char *s;

	set_levels(p);
	p->solver.status = PLAN_FEASIBLE;
	p->solver.levels[0].maximise = true;
	p->solver.levels[0].bound = 70.0; /* 60 of 70 by the deadline */
	p->solver.levels[0].gap = 10.0 / 60.0;
	p->solver.levels[2].bound = 3.0;  /* extra: 2 against a bound of 3 */
	p->solver.levels[2].gap = 0.5;
	buf_init(&out);
	report_summary(p, NULL, LANG_EN, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "  Solver: feasible, 2 levels not proven optimal.\n"));
	CHECK(strstr(s, "  by-deadline-p1            60              70       16.67%\n"
			"  served-p1                125             125            0\n"
			"  extra                      2               3            *\n"
			"  * this level's bound holds for plans that reach the bounds of the levels\n"
			"    above; this plan does not, so the two do not compare.\n"));
	CHECK(!strstr(s, "not reached"));
	CHECK(fits_80_columns(s));
	buf_release(&out);
	report_summary(p, NULL, LANG_VI, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "  * cận của mức này đúng cho những kế hoạch đạt cận của các mức trên; kế hoạch\n"));
	CHECK(fits_80_columns(s));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static void test_summary_closing_mixed_services(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = plan_new(c);
	struct buf out;
	const char *s;

	/* Nothing planned: general misses 10 cccd and 35 eid2 at 0.9 turnout:
	 * 9/30 + 31.5/70 = 0.75 of a day, one session. */
	buf_init(&out);
	report_summary(p, "", LANG_EN, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "  general (priority 2, due 2024-03-24): 45 of 45 people not invited by then\n"
			"    xom-dong-chua: short by 10 cccd\n"
			"    xom-dong-chua: short by 35 eid2\n"
			"    closing it takes about 1 more day session of team ca-xa (30 cccd or 70 eid2\n"
			"      a day) on or before 2024-03-24\n"));
	/* Workers come evenings and weekends: never advised a day session. */
	CHECK(strstr(s, "    closing it takes about 1 more evening session of team ca-xa (70 eid2 a day)\n"));
	CHECK(strstr(s, ": 0 sessions, 0 of 125 people invited\n"));
	CHECK(!strstr(s, "Calendars and invitations not written"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

/* Advice campaigns (summary_closing): village a (hall nvh-a, commune x)
 * has `demand` workers who come only in the evening and only to their own
 * hall, due `deadline`. Team a (base tru-so, commune x, 30 cccd a day)
 * works evenings, at most `a_extra` a week; team b, the biggest (100
 * a day, five evenings a week), is kept to commune y and cannot reach
 * nvh-a; team c (like a, one evening a week) only when `with_c`. An
 * evening at nvh-a, 10 minutes from tru-so, works 160 of a day's 450
 * minutes: 10 people of team a or c. */
static struct campaign *advice_campaign(const char *deadline, int a_extra, bool with_c,
					int demand)
{
	static char text[4096];
	struct campaign *c = NULL;
	struct diags d;

	snprintf(text, sizeof(text),
		 "{\"format\": \"rota-campaign/1\",\n"
		 " \"campaign\": {\"id\": \"adv\", \"name\": \"adv\", \"start\": \"2024-03-04\",\n"
		 "   \"end\": \"2024-03-31\", \"timezone\": \"Asia/Ho_Chi_Minh\",\n"
		 "   \"organizer\": {\"name\": \"o\", \"email\": \"o@example.vn\"}},\n"
		 " \"calendar\": {\"workdays\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]},\n"
		 " \"services\": {\"cccd\": {\"name\": \"CCCD\"}},\n"
		 " \"groups\": [{\"id\": \"workers\", \"name\": \"Công nhân\", \"priority\": 1,\n"
		 "   \"deadline\": \"%s\", \"slots\": [\"evening\"], \"at\": [\"own\"]}],\n"
		 " \"sites\": [\n"
		 "  {\"id\": \"tru-so\", \"name\": \"s\", \"kind\": \"station\", \"commune\": \"x\"},\n"
		 "  {\"id\": \"nvh-a\", \"name\": \"a\", \"kind\": \"hall\", \"commune\": \"x\"},\n"
		 "  {\"id\": \"tru-so-y\", \"name\": \"y\", \"kind\": \"station\", \"commune\": \"y\"}],\n"
		 " \"travel\": [[\"tru-so\", \"nvh-a\", 10], [\"tru-so-y\", \"nvh-a\", 10]],\n"
		 " \"teams\": [\n"
		 "  {\"id\": \"a\", \"name\": \"Tổ A\", \"base\": \"tru-so\", \"capacity\": {\"cccd\": 30},\n"
		 "   \"slots\": [\"day\", \"evening\"], \"max_extra_per_week\": %d},\n"
		 "  {\"id\": \"b\", \"name\": \"Tổ B\", \"base\": \"tru-so-y\", \"communes\": [\"y\"],\n"
		 "   \"capacity\": {\"cccd\": 100}, \"slots\": [\"day\", \"evening\"],\n"
		 "   \"max_extra_per_week\": 5}%s],\n"
		 " \"units\": [{\"id\": \"va\", \"name\": \"Xóm A\", \"kind\": \"village\", \"site\": \"nvh-a\",\n"
		 "   \"demand\": [{\"group\": \"workers\", \"service\": \"cccd\", \"count\": %d}]}]}\n",
		 deadline, a_extra,
		 with_c ? ",\n  {\"id\": \"c\", \"name\": \"Tổ C\", \"base\": \"tru-so\", "
			  "\"capacity\": {\"cccd\": 30},\n   \"slots\": [\"evening\"], "
			  "\"max_extra_per_week\": 1}"
			: "",
		 demand);
	diags_init(&d, "adv");
	if (campaign_read_buffer(&c, text, strlen(text), &d)) {
		diags_print(&d, stderr);
		c = NULL;
	}
	diags_release(&d);
	return c;
}

/* The summary of plan p in lang, into out (released by the caller). */
static const char *advice_of(struct plan *p, enum rota_lang lang, struct buf *out)
{
	buf_init(out);
	report_summary(p, "", lang, out);
	if (getenv("SHOW"))
		fputs(buf_str(out), stderr);
	return buf_str(out);
}

/* A group that comes only in the evening, to its own hall, due in one
 * week: team b, the biggest, cannot reach the hall; team a may hold one
 * evening that week. The advice says so, never a day session, never team
 * b, never more sessions than the free evenings. */
static void test_closing_evening_only_unreachable(void)
{
	struct campaign *c = advice_campaign("2024-03-10", 1, false, 100);
	struct plan *p = c ? plan_new(c) : NULL;
	struct buf out;
	const char *s;

	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	s = advice_of(p, LANG_EN, &out);
	CHECK(strstr(s, "    closing it takes") == NULL);
	CHECK(strstr(s, "    no team can close it: the evening slots the teams have free on or before\n"
			"      2024-03-10, at sites this group may use, take about 10 more of the 100\n"
			"      people at most (1 session: 1 evening of team a (30 cccd a day)); the rest\n"
			"      needs a later deadline, or another team that works evening sessions at the\n"
			"      group's sites\n"));
	CHECK(!strstr(s, "day session") && !strstr(s, "team b"));
	buf_release(&out);
	s = advice_of(p, LANG_VI, &out);
	CHECK(strstr(s, "    Không tổ nào bù đủ được: các ca tối còn trống của các tổ trước ngày\n"
			"      10/03/2024, tại các điểm nhóm được đến, chỉ nhận thêm được khoảng 10 trong\n"
			"      số 100 người (1 phiên: 1 phiên ca tối của Tổ A (năng lực 30 cccd mỗi\n"
			"      ngày)); phần còn lại cần lùi hạn chót, hoặc thêm tổ làm ca tối đến được\n"
			"      các điểm của nhóm\n"));
	CHECK(!strstr(s, "của Tổ B"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

/* Two weeks and five evenings a week: ten free evenings of team a hold
 * the 100 (10 each); evenings the plan already holds are not free, and
 * then the advice says how many the rest can take. */
static void test_closing_counts_free_evenings(void)
{
	struct campaign *c = advice_campaign("2024-03-17", 5, false, 100);
	struct plan *p = c ? plan_new(c) : NULL;
	struct buf out;
	const char *s;
	int d;

	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	s = advice_of(p, LANG_EN, &out);
	CHECK(strstr(s, "    closing it takes about 10 more evening sessions of team a (30 cccd a day) on\n"
			"      or before 2024-03-17\n"));
	buf_release(&out);
	s = advice_of(p, LANG_VI, &out);
	CHECK(strstr(s, "    Cách bù: thêm khoảng 10 phiên ca tối của Tổ A (năng lực 30 cccd mỗi ngày)\n"
			"      trước ngày 17/03/2024\n"));
	buf_release(&out);
	/* Team a already works four of those evenings (elsewhere, empty):
	 * six are left, 60 people. */
	for (int i = 0; i < 4; i++) {
		date_parse("2024-03-11", &d);
		CHECK(plan_add_session(p, 0, 0, d + i, SLOT_EVENING) != NULL);
	}
	s = advice_of(p, LANG_EN, &out);
	CHECK(strstr(s, "take about 60 more of the 100\n"
			"      people at most (6 sessions: 6 evening of team a (30 cccd a day))"));
	CHECK(!strstr(s, "closing it takes"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

/* One free evening of team a and one of team c in the week: neither alone
 * holds the 20, both do. */
static void test_closing_several_teams(void)
{
	struct campaign *c = advice_campaign("2024-03-10", 1, true, 20);
	struct plan *p = c ? plan_new(c) : NULL;
	struct buf out;
	const char *s;

	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	s = advice_of(p, LANG_EN, &out);
	CHECK(strstr(s, "    closing it takes about 2 more sessions of several teams on or before\n"
			"      2024-03-10: 1 evening of team a (30 cccd a day), 1 evening of team c (30\n"
			"      cccd a day)\n"));
	buf_release(&out);
	s = advice_of(p, LANG_VI, &out);
	CHECK(strstr(s, "    Cách bù: thêm khoảng 2 phiên của nhiều tổ trước ngày 10/03/2024: 1 phiên ca\n"
			"      tối của Tổ A (năng lực 30 cccd mỗi ngày), 1 phiên ca tối của Tổ C (năng\n"
			"      lực 30 cccd mỗi ngày)\n"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

/* No evening at all before the deadline (a Saturday deadline after a
 * week whose one extra session team a already holds): said plainly. */
static void test_closing_nothing_free(void)
{
	struct campaign *c = advice_campaign("2024-03-10", 1, false, 5);
	struct plan *p = c ? plan_new(c) : NULL;
	struct buf out;
	const char *s;
	int d;

	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	date_parse("2024-03-04", &d);
	CHECK(plan_add_session(p, 0, 0, d, SLOT_EVENING) != NULL);
	s = advice_of(p, LANG_EN, &out);
	CHECK(strstr(s, "    no team can close it: no team has a free evening slot on or before\n"
			"      2024-03-10 at a site this group may use; it needs a later deadline, or\n"
			"      another team that works evening sessions at the group's sites\n"));
	buf_release(&out);
	s = advice_of(p, LANG_VI, &out);
	CHECK(strstr(s, "    Không tổ nào bù được: không tổ nào còn ca tối trống trước ngày 10/03/2024\n"
			"      tại điểm nhóm được đến; cần lùi hạn chót, hoặc thêm tổ làm ca tối đến được\n"
			"      các điểm của nhóm\n"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

/* A group that comes in any slot, every slot of the one team that
 * reaches it taken: the advice names no slot kinds (four kinds joined by
 * "or" say nothing when read out). */
static void test_closing_nothing_free_any_slot(void)
{
	struct campaign *c = advice_campaign("2024-03-10", 1, false, 5);
	struct plan *p = c ? plan_new(c) : NULL;
	struct buf out;
	const char *s;
	int d;

	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	c->groups[0].slots = SLOT_ALL;
	date_parse("2024-03-04", &d);
	for (int i = 0; i < 5; i++)
		CHECK(plan_add_session(p, 0, 0, d + i, SLOT_DAY) != NULL);
	CHECK(plan_add_session(p, 0, 0, d, SLOT_EVENING) != NULL);
	s = advice_of(p, LANG_EN, &out);
	CHECK(strstr(s, "    no team can close it: no team has a free slot on or before 2024-03-10 at a\n"
			"      site this group may use; it needs a later deadline, or another team that\n"
			"      reaches the group's sites\n"));
	buf_release(&out);
	s = advice_of(p, LANG_VI, &out);
	CHECK(strstr(s, "    Không tổ nào bù được: không tổ nào còn ca trống trước ngày 10/03/2024 tại\n"
			"      điểm nhóm được đến; cần lùi hạn chót, hoặc thêm tổ đến được các điểm của\n"
			"      nhóm\n"));
	CHECK(!strstr(s, "hoặc ca"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static void test_summary_wraps_long_name(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct buf out;

	free(c->name);
	c->name = xstrdup("Kế hoạch cấp thẻ Căn cước và định danh điện tử mức 2 cho công dân "
			  "trên địa bàn huyện Định Hóa, tỉnh Thái Nguyên, năm 2024");
	buf_init(&out);
	report_summary(p, NULL, LANG_EN, &out);
	
	CHECK(strstr(buf_str(&out),
		     "Plan of campaign fixture-2024\n"
		     "  Kế hoạch cấp thẻ Căn cước và định danh điện tử mức 2 cho công dân trên địa bàn\n"
		     "  huyện Định Hóa, tỉnh Thái Nguyên, năm 2024\n"));
	CHECK(fits_80_columns(buf_str(&out)));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

static int day(const char *text)
{
	int d = -1;

	date_parse(text, &d);
	return d;
}

/* Gives every session of p its invitations (one per distinct unit), with
 * the session's own change. */
static void set_invitations(struct plan *p)
{
	for (size_t i = 0; i < p->nsessions; i++) {
		struct plan_session *s = &p->sessions[i];

		free(s->invitations);
		s->invitations = calloc(s->nvisits, sizeof(*s->invitations));
		s->ninvitations = 0;
		for (size_t j = 0; j < s->nvisits; j++) {
			bool seen = false;

			for (size_t k = 0; k < s->ninvitations; k++)
				seen |= s->invitations[k].unit == s->visits[j].unit;
			if (!seen)
				s->invitations[s->ninvitations++] = (struct plan_invitation){
					s->visits[j].unit, s->sequence, s->change
				};
		}
	}
}

static void add_cancelled(struct plan *p, const char *unit, const char *site, const char *date,
			  int sequence, const char *on, const char *reason)
{
	struct plan_cancelled x = { 0 };

	x.uid = (char *)"uid@rota";
	x.invitation = unit != NULL;
	x.team = (char *)"ca-xa";
	x.site = (char *)site;
	x.unit = (char *)unit;
	x.date = day(date);
	x.slot = SLOT_DAY;
	x.start = 7 * 60 + 30;
	x.end = 17 * 60;
	x.arrive = unit ? 8 * 60 : x.start;
	x.until = unit ? 9 * 60 + 30 : x.end;
	x.sequence = sequence;
	x.cancelled_on = day(on);
	x.reason = (char *)reason;
	CHECK(plan_add_cancelled(p, &x) != NULL);
}

/* The fixture re-planned on Sunday 2024-03-10 with three days frozen: the
 * school's day and the village's weekend have happened (two of the
 * village's exam pupils did not come, its eid2 people were not reported,
 * three pupils of the school came with the village uninvited), the
 * workers' evening is frozen, the two no-shows are invited again on
 * 2024-03-14 (moved from a cancelled 2024-03-13 session), the school's
 * late session of 2024-03-18 changed, and an announced session of
 * 2024-03-12 was cancelled because its site closed. */
static struct plan *replanned_fixture(const struct campaign *c)
{
	struct plan *p = fixture_plan(c);
	struct plan_session *s;

	p->today = day("2024-03-10");
	p->freeze_end = day("2024-03-12");
	p->sessions[0].origin = PLAN_ORIGIN_HELD;
	p->sessions[0].visits[0].came = 42;
	p->sessions[1].origin = PLAN_ORIGIN_HELD;
	p->sessions[1].visits[0].came = 10;
	p->sessions[1].visits[1].came = 10;
	p->sessions[1].visits[2].came = 35;
	p->sessions[1].visits[2].assumed = true;
	plan_add_visit(&p->sessions[1], 1, 0, 0);
	p->sessions[1].visits[3].came = 3;
	p->sessions[1].visits[3].arrive = p->sessions[1].visits[0].arrive;
	p->sessions[1].visits[3].until = p->sessions[1].visits[0].until;
	p->sessions[2].origin = PLAN_ORIGIN_FROZEN;
	s = plan_add_session(p, 0, 0, day("2024-03-14"), SLOT_DAY);
	s->start = 7 * 60 + 30;
	s->end = 17 * 60;
	s->change = PLAN_CHANGE_NEW;
	plan_add_visit(s, 0, 0, 2);
	s->visits[0].arrive = 8 * 60;
	s->visits[0].until = 9 * 60;
	s = plan_add_session(p, 0, 2, day("2024-03-18"), SLOT_DAY);
	s->start = 7 * 60 + 35;
	s->end = 16 * 60 + 55;
	s->origin = PLAN_ORIGIN_KEPT;
	s->change = PLAN_CHANGE_CHANGED;
	s->sequence = 1;
	plan_add_visit(s, 1, 0, 3);
	s->visits[0].arrive = 7 * 60 + 35;
	s->visits[0].until = 8 * 60 + 30;
	set_invitations(p);
	add_cancelled(p, NULL, "thcs", "2024-03-12", 1, "2024-03-10", "the site is closed");
	add_cancelled(p, "thcs-trung-hoi", "thcs", "2024-03-12", 1, "2024-03-10", NULL);
	add_cancelled(p, NULL, "tru-so", "2024-03-13", 1, "2024-03-10", NULL);
	add_cancelled(p, "xom-dong-chua", "tru-so", "2024-03-13", 1, "2024-03-10", NULL);
	add_cancelled(p, "xom-gone", "tru-so", "2024-03-13", 2, "2024-03-10", NULL);
	/* Cancelled by an earlier re-plan: not a change of this one. */
	add_cancelled(p, NULL, "nvh-dong-chua", "2024-03-15", 1, "2024-03-03", NULL);
	return p;
}

static void test_summary_replan(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = replanned_fixture(c), *first = fixture_plan(c);
	struct buf out;
	const char *s;

	buf_init(&out);
	report_summary(p, NULL, LANG_EN, &out);
	s = buf_str(&out);
	CHECK(!out.failed);
	/* Near the top: right after the header, before the groups. */
	CHECK(strstr(s, "people invited\n\nWhat changed since the last plan\n"
			"  Re-planned on 2024-03-10 (the sessions before it have happened); the sessions\n"
			"  announced up to 2024-03-12 are kept as they are.\n"));
	/* The cancelled 03-13 session is paired with the new one at its site
	 * (03-14), not with the 03-12 one at the school cancelled before it. */
	CHECK(strstr(s, "  Sessions per team:\n"
			"  - ca-xa: 1 moved, 1 changed, 1 cancelled.\n"
			"    moved: 2024-03-13 day at tru-so, 07:30-17:00 → 2024-03-14 day at tru-so,\n"
			"        07:30-17:00\n"
			"    changed: 2024-03-18 day at thcs, 07:35-16:55\n"
			"    cancelled: 2024-03-12 day at thcs, 07:30-17:00\n"));
	CHECK(strstr(s, "  Invitations per unit:\n"
			"  - xom-dong-chua: 1 moved.\n"
			"    moved: 2024-03-13 day at tru-so (ca-xa), 08:00-09:30 → 2024-03-14 day at\n"
			"        tru-so (ca-xa), 08:00-09:00\n"
			"  - thcs-trung-hoi: 1 changed, 1 cancelled.\n"
			"    changed: 2024-03-18 day at thcs (ca-xa), 07:35-08:30\n"
			"    cancelled: 2024-03-12 day at thcs (ca-xa), 08:00-09:30\n"
			"  - xom-gone: 1 cancelled.\n"
			"    cancelled: 2024-03-13 day at tru-so (ca-xa), 08:00-09:30\n"
			"  Teams and units not named above keep what they hold; nothing is sent to them.\n"));
	/* Cancelled by the earlier plan: not this plan's change. */
	CHECK(!strstr(s, "2024-03-15 day at nvh-dong-chua"));
	CHECK(!strstr(s, "xom-na-mao:"));
	CHECK(strstr(s, "\nAnnounced sessions cancelled\n"
			"  - 2024-03-12 day at thcs, 07:30-17:00, ca-xa: the site is closed\n"));
	CHECK(strstr(s, "\nNot reported (counted as if everyone invited came)\n"
			"  - 2024-03-09 weekend at nvh-dong-chua, 07:45-16:45, ca-xa: xom-dong-chua\n"
			"    general/eid2 35\n"));
	/* Turnout: the three pupils who came uninvited count as came. */
	CHECK(strstr(s, "\nThe weeks past: people invited and people who came\n"
			"  unit            group     invited    came  turnout\n"
			"  xom-dong-chua   exam           12      10      83%\n"
			"  xom-dong-chua   general        45      45     100%\n"
			"  thcs-trung-hoi  exam           48      45      94%\n"
			"  total                         105     100      95%\n"
			"  Week 10 (2024-03-04 – 2024-03-10): 105 invited, 100 came (95%)\n"
			"\nWho is invited by when"));
	CHECK(fits_80_columns(s));
	buf_release(&out);
	report_summary(p, NULL, LANG_VI, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "\nThay đổi so với kế hoạch trước\n"
			"  Lập lại ngày 10/03/2024 (các phiên trước ngày này đã diễn ra); các phiên đã\n"
			"  thông báo đến hết ngày 12/03/2024 được giữ nguyên.\n"
			"  Phiên theo tổ:\n"
			"  - Tổ thu nhận Công an xã: 1 dời, 1 thay đổi, 1 hủy.\n"));
	CHECK(strstr(s, "  - Trường THCS Trung Hội: 1 thay đổi, 1 hủy.\n"));
	CHECK(strstr(s, "  đơn vị          nhóm     được mời  đã đến    tỉ lệ\n"));
	CHECK(strstr(s, "  Tuần 10 (04/03/2024 – 10/03/2024): mời 105, đến 100 (95%)\n"));
	CHECK(fits_80_columns(s));
	buf_release(&out);

	/* rota week: each session marked, the week's cancellations listed. */
	report_week_changes(p, day("2024-03-04"), LANG_EN, &out);
	CHECK(strstr(buf_str(&out), "  - 2024-03-09 weekend at nvh-dong-chua, 07:45-16:45, ca-xa: held, 57 invited,\n"
				    "    58 came\n"));
	buf_release(&out);
	report_week_changes(p, day("2024-03-11"), LANG_EN, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "\nAgainst the last plan (re-planned on 2024-03-10)\n"
			"  - 2024-03-11 evening at tru-so, 18:00-21:00, ca-xa: frozen (announced, kept)\n"
			"  - 2024-03-14 day at tru-so, 07:30-17:00, ca-xa: new\n"
			"  - cancelled: 2024-03-12 day at thcs, 07:30-17:00, ca-xa (on 2024-03-10: the\n"
			"    site is closed)\n"
			"  - cancelled: invitation of thcs-trung-hoi, 2024-03-12 day at thcs,\n"
			"    08:00-09:30, ca-xa (on 2024-03-10)\n"));
	/* Earlier cancellations of the week are listed too, with their date. */
	CHECK(strstr(s, "  - cancelled: 2024-03-15 day at nvh-dong-chua, 07:30-17:00, ca-xa (on\n"
			"    2024-03-03)\n"));
	buf_release(&out);
	report_week_changes(p, day("2024-03-18"), LANG_VI, &out);
	CHECK(strstr(buf_str(&out), ", Tổ thu nhận Công\n    an xã: thay đổi; thư mời: Trường THCS Trung Hội thay đổi\n"));
	buf_release(&out);
	report_week_changes(p, day("2024-03-25"), LANG_EN, &out);
	CHECK(strstr(buf_str(&out), "  No session or cancellation this week.\n"));
	buf_release(&out);

	/* A first plan: no change report, nothing added to the week. */
	report_summary(first, NULL, LANG_EN, &out);
	CHECK(!strstr(buf_str(&out), "What changed") && !strstr(buf_str(&out), "weeks past"));
	buf_release(&out);
	report_week_changes(first, day("2024-03-04"), LANG_EN, &out);
	CHECK(out.len == 0);
	buf_release(&out);
	plan_free(first);
	plan_free(p);
	campaign_free(c);
}

/* A re-plan with nothing to react to says so. */
static void test_summary_replan_nothing_changed(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct buf out;

	p->today = day("2024-03-07");
	p->freeze_end = p->today - 1;
	p->sessions[0].origin = PLAN_ORIGIN_HELD;
	p->sessions[0].visits[0].came = 48;
	set_invitations(p);
	buf_init(&out);
	report_summary(p, NULL, LANG_EN, &out);
	
	CHECK(strstr(buf_str(&out),
		     "  Re-planned on 2024-03-07 (the sessions before it have happened); no announced\n"
		     "  session is kept fixed.\n"
		     "  Nothing changed: no session or invitation is new, moved, changed or cancelled,\n"
		     "  so nothing is sent.\n"));
	CHECK(!strstr(buf_str(&out), "Not reported"));
	CHECK(!strstr(buf_str(&out), "Announced sessions cancelled"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

/* Three announced sessions cancelled (the team is away) and three new
 * ones a week later elsewhere: moves pair in order, not crossed. */
static void test_summary_replan_moves_in_order(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = plan_new(c);
	static const char *const later[] = { "2024-03-18", "2024-03-19", "2024-03-20" };
	static const char *const gone[] = { "2024-03-12", "2024-03-13", "2024-03-14" };
	struct buf out;

	p->today = day("2024-03-11");
	p->freeze_end = day("2024-03-17");
	for (int i = 0; i < 3; i++) {
		struct plan_session *s = plan_add_session(p, 0, 1, day(later[i]), SLOT_DAY);

		s->start = 7 * 60 + 45;
		s->end = 16 * 60 + 45;
		s->change = PLAN_CHANGE_NEW;
		add_cancelled(p, NULL, "tru-so", gone[i], 1, "2024-03-11", "the team is away");
	}
	buf_init(&out);
	report_summary(p, NULL, LANG_EN, &out);
	CHECK(strstr(buf_str(&out),
		     "  - ca-xa: 3 moved.\n"
		     "    moved: 2024-03-12 day at tru-so, 07:30-17:00 → 2024-03-18 day at\n"
		     "        nvh-dong-chua, 07:45-16:45\n"
		     "    moved: 2024-03-13 day at tru-so, 07:30-17:00 → 2024-03-19 day at\n"
		     "        nvh-dong-chua, 07:45-16:45\n"
		     "    moved: 2024-03-14 day at tru-so, 07:30-17:00 → 2024-03-20 day at\n"
		     "        nvh-dong-chua, 07:45-16:45\n"));
	CHECK(strstr(buf_str(&out), "\nAnnounced sessions cancelled\n"
				    "  - 2024-03-12 day at tru-so, 07:30-17:00, ca-xa: the team is away\n"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_json_exact);
	RUN_TEST(test_json_numbers);
	RUN_TEST(test_json_escaping);
	RUN_TEST(test_json_empty_plan);
	RUN_TEST(test_csv);
	RUN_TEST(test_csv_quoting);
	RUN_TEST(test_twice_identical);
	RUN_TEST(test_summary_all_met);
	RUN_TEST(test_summary_shortfall);
	RUN_TEST(test_summary_unreached_level);
	RUN_TEST(test_summary_crossed_level);
	RUN_TEST(test_summary_closing_mixed_services);
	RUN_TEST(test_closing_evening_only_unreachable);
	RUN_TEST(test_closing_counts_free_evenings);
	RUN_TEST(test_closing_several_teams);
	RUN_TEST(test_closing_nothing_free);
	RUN_TEST(test_closing_nothing_free_any_slot);
	RUN_TEST(test_summary_wraps_long_name);
	RUN_TEST(test_summary_replan);
	RUN_TEST(test_summary_replan_nothing_changed);
	RUN_TEST(test_summary_replan_moves_in_order);
	return TEST_EXIT();
}
