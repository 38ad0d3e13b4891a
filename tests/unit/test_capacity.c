/* Unit tests of capacity.c on the fixture, with the figures worked out by
 * hand.
 *
 * The fixture runs Monday 2024-03-04 to Sunday 2024-03-24 with a holiday on
 * Friday 03-08. Its one team, ca-xa, works day, evening and weekend (not
 * holiday) with at most 2 extra sessions a week; at its base a day or
 * weekend session is worth 450/450 = 1 day and an evening 180/450 = 0.4.
 * exam (deadline 03-15, day and weekend): 12 + 48 cccd, work 60/30 = 2.
 * general (0.9 turnout): 10 cccd and 35 eid2, 9/30 + 31.5/70 = 0.75.
 * workers (evening and weekend): 20 eid2, 20/70.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "date.h"
#include "fixture.h"
#include "testlib.h"

#define CHECK_NEAR(got, want) CHECK(fabs((got) - (want)) < 1e-9)

static int day(const char *text)
{
	int d = 0;

	date_parse(text, &d);
	return d;
}

static void test_fixture_rows(void)
{
	struct campaign *c = fixture_campaign();
	struct capacity_row *rows = NULL;
	size_t n = 0;

	CHECK_INT(capacity_check(c, &rows, &n), 0);
	CHECK_INT(n, 2);
	/* By 03-15, in day and weekend slots: week 1 has 4 working days (the
	 * holiday is not the team's) and a weekend of 2 = 6; week 2 has 5
	 * working days. */
	CHECK_INT(rows[0].deadline, day("2024-03-15"));
	CHECK_INT(rows[0].people, 60);
	CHECK_NEAR(rows[0].load, 2.0);
	CHECK_NEAR(rows[0].most, 11.0);
	CHECK_INT(rows[0].sessions, 11);
	CHECK(!rows[0].short_of);
	/* By 03-24, every slot: each week its days (4, 5, 5) and the 2 best
	 * extras, weekends worth 1 rather than evenings worth 0.4. */
	CHECK_INT(rows[1].deadline, day("2024-03-24"));
	CHECK_INT(rows[1].people, 125);
	CHECK_NEAR(rows[1].load, 2.0 + 0.75 + 20.0 / 70.0);
	CHECK_NEAR(rows[1].most, 20.0);
	CHECK_INT(rows[1].sessions, 20);
	CHECK(!rows[1].short_of);
	free(rows);
	campaign_free(c);
}

static void test_weekly_limit_and_unavailable(void)
{
	struct campaign *c = fixture_campaign();
	struct capacity_row *rows = NULL;
	size_t n = 0;

	/* No extra sessions at all, and the team away on 03-11 and 03-12. */
	c->teams[0].max_extra_per_week = 0;
	c->teams[0].unavailable.items = calloc(1, sizeof(struct date_range));
	c->teams[0].unavailable.count = 1;
	c->teams[0].unavailable.items[0].first = day("2024-03-11");
	c->teams[0].unavailable.items[0].last = day("2024-03-12");
	CHECK_INT(capacity_check(c, &rows, &n), 0);
	CHECK_INT(n, 2);
	CHECK_NEAR(rows[0].most, 4.0 + 3.0);
	CHECK_INT(rows[0].sessions, 7);
	CHECK_NEAR(rows[1].most, 4.0 + 3.0 + 5.0);
	free(rows);
	campaign_free(c);
}

static void test_from_date_and_slots(void)
{
	struct campaign *c = fixture_campaign();
	struct capacity_row *rows = NULL;
	size_t n = 0;

	/* exam may only come from 03-11, and only on days: 5 sessions. */
	c->groups[0].from = day("2024-03-11");
	c->groups[0].slots = SLOT_BIT(SLOT_DAY);
	CHECK_INT(capacity_check(c, &rows, &n), 0);
	CHECK_NEAR(rows[0].most, 5.0);
	CHECK_INT(rows[0].sessions, 5);
	/* The later row takes everyone, from the earliest from date. */
	CHECK_NEAR(rows[1].most, 20.0);
	free(rows);
	campaign_free(c);
}

static void test_short(void)
{
	struct campaign *c = fixture_campaign();
	struct capacity_row *rows = NULL;
	struct buf out;
	size_t n = 0;

	/* 400 pupils: (12 + 400) / 30 = 13.73 days of work by 03-15, at most 11. */
	c->units[1].demand[0].count = 400;
	CHECK_INT(capacity_check(c, &rows, &n), 0);
	CHECK_INT(rows[0].people, 412);
	CHECK_NEAR(rows[0].load, 412.0 / 30.0);
	CHECK(rows[0].short_of);
	CHECK(!rows[1].short_of); /* 14.77 of 20 by the end */
	buf_init(&out);
	capacity_format(c, rows, n, LANG_EN, &out);
	CHECK(strstr(buf_str(&out),
		     "  deadline      people      work   at most  sessions  status  groups due\n"
		     "  2024-03-15       412     13.73     11.00        11  SHORT   exam\n"
		     "  2024-03-24       477     14.77     20.00        20  ok      general workers\n"));
	CHECK(strstr(buf_str(&out), "  1 deadline cannot be met with these teams.\n"));
	buf_release(&out);
	free(rows);
	campaign_free(c);
}

static void test_short_vi(void)
{
	static const char head[] = "Kiểm tra sức phục vụ: ";
	struct campaign *c = fixture_campaign();
	struct capacity_row *rows = NULL;
	struct buf out;
	size_t n = 0;

	/* As test_short, in the planner's words: dates as 15/03/2024, the
	 * groups' names under each row, "THIẾU" and "đủ". */
	c->units[1].demand[0].count = 400;
	CHECK_INT(capacity_check(c, &rows, &n), 0);
	buf_init(&out);
	capacity_format(c, rows, n, LANG_VI, &out);
	CHECK(!strncmp(buf_str(&out), head, strlen(head)));
	CHECK(strstr(buf_str(&out),
		     "  hạn chót     số người  buổi cần    tối đa  số phiên  kết quả\n"
		     "  15/03/2024        412     13.73     11.00        11  THIẾU\n"
		     "    Nhóm đến hạn: Học sinh dự thi\n"
		     "  24/03/2024        477     14.77     20.00        20  đủ\n"
		     "    Nhóm đến hạn: Công dân từ đủ 14 tuổi; Công nhân, người lao động\n"));
	CHECK(strstr(buf_str(&out), "  Có 1 hạn chót không thể kịp với các tổ hiện có.\n"));
	CHECK(!strstr(buf_str(&out), "SHORT"));
	CHECK(!strstr(buf_str(&out), "2024-03"));
	buf_release(&out);
	free(rows);
	campaign_free(c);
}

static void test_names_wrap_vi(void)
{
	struct campaign *c = fixture_campaign();
	struct capacity_row *rows = NULL;
	struct buf out;
	size_t n = 0;

	/* Names wrap between words before column 80 (counted in characters,
	 * not bytes), onto lines indented by six; a group without a name
	 * shows its id. */
	free(c->groups[1].name);
	c->groups[1].name = xstrdup("Công dân từ đủ 14 tuổi trở lên chưa được cấp thẻ căn cước");
	free(c->groups[2].name);
	c->groups[2].name = NULL;
	CHECK_INT(capacity_check(c, &rows, &n), 0);
	buf_init(&out);
	capacity_format(c, rows, n, LANG_VI, &out);
	CHECK(strstr(buf_str(&out),
		     "  đủ\n"
		     "    Nhóm đến hạn: Công dân từ đủ 14 tuổi trở lên chưa được cấp thẻ căn cước;\n"
		     "      workers\n"
		     "  số người: "));
	buf_release(&out);
	free(rows);
	campaign_free(c);
}

static void test_groups_wrap(void)
{
	struct campaign *c = fixture_campaign();
	struct capacity_row *rows = NULL;
	struct buf out;
	size_t n = 0;

	/* The groups due start at column 62; what passes column 80 wraps. */
	free(c->groups[1].id);
	c->groups[1].id = xstrdup("policy-families");
	CHECK_INT(capacity_check(c, &rows, &n), 0);
	buf_init(&out);
	capacity_format(c, rows, n, LANG_EN, &out);
	CHECK(strstr(buf_str(&out),
		     "  2024-03-24       125      3.04     20.00        20  ok      policy-families\n"
		     "                                                              workers\n"
		     "  people: "));
	buf_release(&out);
	free(rows);
	campaign_free(c);
}

static void test_travel_share(void)
{
	struct campaign *c = fixture_campaign();
	struct capacity_row *rows = NULL;
	size_t n = 0;

	/* With the base closed, the best site is thcs for days (440/450) and
	 * the hall for weekends (420/450); the school hosts no weekend. */
	c->sites[0].closed.items = calloc(1, sizeof(struct date_range));
	c->sites[0].closed.count = 1;
	c->sites[0].closed.items[0].first = c->start;
	c->sites[0].closed.items[0].last = c->end;
	CHECK_INT(capacity_check(c, &rows, &n), 0);
	CHECK_NEAR(rows[0].most, 9.0 * 440.0 / 450.0 + 2.0 * 420.0 / 450.0);
	free(rows);
	campaign_free(c);
}

static void test_no_demand(void)
{
	struct campaign *c = fixture_campaign();
	struct capacity_row *rows = NULL;
	struct buf out;
	size_t n = 7;

	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++)
			c->units[u].demand[d].count = 0;
	CHECK_INT(capacity_check(c, &rows, &n), 0);
	CHECK_INT(n, 0);
	buf_init(&out);
	capacity_format(c, rows, n, LANG_EN, &out);
	CHECK(strstr(buf_str(&out), "no demand"));
	buf_release(&out);
	buf_init(&out);
	capacity_format(c, rows, n, LANG_VI, &out);
	CHECK(strstr(buf_str(&out), "không có ai cần mời"));
	buf_release(&out);
	free(rows);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_fixture_rows);
	RUN_TEST(test_weekly_limit_and_unavailable);
	RUN_TEST(test_from_date_and_slots);
	RUN_TEST(test_short);
	RUN_TEST(test_short_vi);
	RUN_TEST(test_names_wrap_vi);
	RUN_TEST(test_groups_wrap);
	RUN_TEST(test_travel_share);
	RUN_TEST(test_no_demand);
	return TEST_EXIT();
}
