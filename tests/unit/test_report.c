/* Unit tests of report.c: rota.json, rota.csv and summary.txt of the fixture. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
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
	report_summary(p, "team ca-xa: no file\n", CAL_LANG_EN, &a);
	report_json(q, "x.json", &b);
	report_csv(q, &b);
	report_summary(q, "team ca-xa: no file\n", CAL_LANG_EN, &b);
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
	report_summary(p, NULL, CAL_LANG_EN, &out);
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
	report_summary(p, "team ca-xa: no sessions\nschool thcs-trung-hoi: no sessions", CAL_LANG_EN, &out);
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
	report_summary(p, NULL, CAL_LANG_VI, &out);
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

static void test_summary_closing_mixed_services(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = plan_new(c);
	struct buf out;
	const char *s;

	/* Nothing planned: general misses 10 cccd and 35 eid2 at 0.9 turnout:
	 * 9/30 + 31.5/70 = 0.75 of a day, one session. */
	buf_init(&out);
	report_summary(p, "", CAL_LANG_EN, &out);
	s = buf_str(&out);
	CHECK(strstr(s, "  general (priority 2, due 2024-03-24): 45 of 45 people not invited by then\n"
			"    xom-dong-chua: short by 10 cccd\n"
			"    xom-dong-chua: short by 35 eid2\n"
			"    closing it takes about 1 more day session of team ca-xa (30 cccd or 70 eid2\n"
			"      a day) on or before 2024-03-24\n"));
	/* Workers come evenings and weekends: never advised a day session. */
	CHECK(strstr(s, "    closing it takes about 1 more weekend session of team ca-xa (70 eid2 a day)\n"));
	CHECK(strstr(s, ": 0 sessions, 0 of 125 people invited\n"));
	CHECK(!strstr(s, "Calendars and invitations not written"));
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
	report_summary(p, NULL, CAL_LANG_EN, &out);
	CHECK(strstr(buf_str(&out),
		     "Plan of campaign fixture-2024\n"
		     "  Kế hoạch cấp thẻ Căn cước và định danh điện tử mức 2 cho công dân trên địa bàn\n"
		     "  huyện Định Hóa, tỉnh Thái Nguyên, năm 2024\n"));
	CHECK(fits_80_columns(buf_str(&out)));
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
	RUN_TEST(test_summary_closing_mixed_services);
	RUN_TEST(test_summary_wraps_long_name);
	return TEST_EXIT();
}
