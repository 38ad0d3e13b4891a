/* date.c - civil dates (days since 1970-01-01) and clock times. */
#include <string.h>

#include "date.h"
#include "banned.h"

/* Howard Hinnant's days_from_civil and civil_from_days. */
int date_from_ymd(int year, int month, int day)
{
	int y = year - (month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void date_to_ymd(int date, int *year, int *month, int *day)
{
	int z = date + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp < 10 ? mp + 3 : mp - 9;

	*year = yoe + era * 400 + (m <= 2);
	*month = m;
	*day = d;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_date_prefix(const char *t, int *out)
{
	int y, m, d;

	if (digits(t, 4, &y) || t[4] != '-' || digits(t + 5, 2, &m) || t[7] != '-' ||
	    digits(t + 8, 2, &d))
		return -1;
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

int date_parse(const char *text, int *out)
{
	if (strlen(text) != 10)
		return -1;
	return parse_date_prefix(text, out);
}

int date_range_parse(const char *text, int *first, int *last)
{
	size_t n = strlen(text);

	if (n == 10) {
		if (parse_date_prefix(text, first))
			return -1;
		*last = *first;
		return 0;
	}
	if (n != 21 || text[10] != '/' || parse_date_prefix(text, first) ||
	    parse_date_prefix(text + 11, last))
		return -1;
	return *last < *first ? -2 : 0;
}

void date_format(int date, char out[DATE_TEXT_SIZE])
{
	int y, m, d;

	date_to_ymd(date, &y, &m, &d);
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

void date_format_basic(int date, char *out)
{
	char t[DATE_TEXT_SIZE];

	date_format(date, t);
	memcpy(out, t, 4);
	memcpy(out + 4, t + 5, 2);
	memcpy(out + 6, t + 8, 2);
	out[8] = '\0';
}

int date_weekday(int date)
{
	/* 1970-01-01 was a Thursday (3). */
	int w = (date + 3) % 7;

	return w < 0 ? w + 7 : w;
}

int date_week_monday(int date)
{
	return date - date_weekday(date);
}

int date_iso_week(int date, int *iso_year)
{
	int thursday = date_week_monday(date) + 3;
	int y, m, d;

	date_to_ymd(thursday, &y, &m, &d);
	if (iso_year)
		*iso_year = y;
	return (thursday - date_from_ymd(y, 1, 1)) / 7 + 1;
}

int time_parse(const char *text, int *out)
{
	int h, m;

	if (strlen(text) != 5 || digits(text, 2, &h) || text[2] != ':' || digits(text + 3, 2, &m))
		return -1;
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	*out = h * 60 + m;
	return 0;
}

void time_format(int minutes, char out[TIME_TEXT_SIZE])
{
	int h = minutes / 60, m = minutes % 60;

	out[0] = (char)('0' + h / 10 % 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
}
