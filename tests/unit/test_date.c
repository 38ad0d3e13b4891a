/* Unit tests of date.c: civil dates, ranges, ISO weeks, clock times. */
#include "date.h"
#include "testlib.h"

static void test_roundtrip(void)
{
	char text[DATE_TEXT_SIZE];
	int y, m, d;

	CHECK_INT(date_from_ymd(1970, 1, 1), 0);
	CHECK_INT(date_from_ymd(2024, 3, 4), 19786);
	date_to_ymd(19786, &y, &m, &d);
	CHECK_INT(y, 2024);
	CHECK_INT(m, 3);
	CHECK_INT(d, 4);
	for (int date = date_from_ymd(1900, 1, 1); date < date_from_ymd(2200, 1, 1); date += 17) {
		int back;

		date_format(date, text);
		CHECK(date_parse(text, &back) == 0 && back == date);
	}
}

static void test_parse_refuses(void)
{
	int v, a, b;

	CHECK_INT(date_parse("2024-02-30", &v), -1);
	CHECK_INT(date_parse("2023-02-29", &v), -1);
	CHECK_INT(date_parse("2024-02-29", &v), 0);
	CHECK_INT(date_parse("2024-2-29", &v), -1);
	CHECK_INT(date_parse("2024-02-290", &v), -1);
	CHECK_INT(date_parse("2024-13-01", &v), -1);
	CHECK_INT(date_parse("2024-00-10", &v), -1);
	CHECK_INT(date_parse("", &v), -1);
	CHECK_INT(date_parse("+024-01-01", &v), -1);
	CHECK_INT(date_range_parse("2024-05-13/2024-05-17", &a, &b), 0);
	CHECK_INT(b - a, 4);
	CHECK_INT(date_range_parse("2024-05-17/2024-05-13", &a, &b), -2);
	CHECK_INT(date_range_parse("2024-05-13", &a, &b), 0);
	CHECK_INT(a, b);
	CHECK_INT(date_range_parse("2024-05-13/", &a, &b), -1);
	CHECK_INT(date_range_parse("2024-05-13-2024-05-17", &a, &b), -1);
}

static void test_weeks(void)
{
	int iso_year;

	CHECK_INT(date_weekday(date_from_ymd(2024, 3, 4)), 0);  /* Monday */
	CHECK_INT(date_weekday(date_from_ymd(2024, 3, 10)), 6); /* Sunday */
	CHECK_INT(date_iso_week(date_from_ymd(2024, 3, 4), &iso_year), 10);
	CHECK_INT(iso_year, 2024);
	CHECK_INT(date_iso_week(date_from_ymd(2024, 12, 30), &iso_year), 1);
	CHECK_INT(iso_year, 2025);
	CHECK_INT(date_iso_week(date_from_ymd(2021, 1, 3), &iso_year), 53);
	CHECK_INT(iso_year, 2020);
	CHECK_INT(date_week_monday(date_from_ymd(2024, 3, 10)), date_from_ymd(2024, 3, 4));
}

static void test_times(void)
{
	char text[TIME_TEXT_SIZE];
	int v;

	CHECK_INT(time_parse("07:30", &v), 0);
	CHECK_INT(v, 450);
	CHECK_INT(time_parse("24:00", &v), 0);
	CHECK_INT(time_parse("24:01", &v), -1);
	CHECK_INT(time_parse("7:30", &v), -1);
	CHECK_INT(time_parse("07:60", &v), -1);
	CHECK_INT(time_parse("07:30:00", &v), -1);
	time_format(1110, text);
	CHECK_STR(text, "18:30");
}

int main(void)
{
	RUN_TEST(test_roundtrip);
	RUN_TEST(test_parse_refuses);
	RUN_TEST(test_weeks);
	RUN_TEST(test_times);
	return TEST_EXIT();
}
