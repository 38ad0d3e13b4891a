/*
 * date.h - civil dates and clock times, with no time zone and no libc
 * time functions (localtime and friends are banned).
 *
 * A date is an int: days since 1970-01-01 in the proleptic Gregorian
 * calendar. A time of day is an int: minutes since midnight.
 */
#ifndef ROTA_DATE_H
#define ROTA_DATE_H

#include <stdbool.h>

enum { DATE_TEXT_SIZE = 11, TIME_TEXT_SIZE = 6 };

/* Days since 1970-01-01 of year/month/day; no validation. */
int date_from_ymd(int year, int month, int day);
void date_to_ymd(int date, int *year, int *month, int *day);

/* Parses exactly "YYYY-MM-DD" (years 1900-2199) of a real date.
 * Returns 0 and sets *out, or -1 (2024-02-30 is refused). */
int date_parse(const char *text, int *out);
/* Parses exactly "YYYY-MM-DD/YYYY-MM-DD" or a single date (then first ==
 * last). Returns 0, -1 for a malformed text, -2 when last < first. */
int date_range_parse(const char *text, int *first, int *last);
/* Writes "YYYY-MM-DD" and a NUL into out[DATE_TEXT_SIZE]. */
void date_format(int date, char out[DATE_TEXT_SIZE]);
/* Writes "YYYYMMDD" and a NUL into out (at least 9 bytes). */
void date_format_basic(int date, char *out);

/* 0 = Monday ... 6 = Sunday. */
int date_weekday(int date);
/* The Monday that starts the ISO 8601 week of date. */
int date_week_monday(int date);
/* ISO 8601 week number (1..53); *iso_year gets the week-numbering year. */
int date_iso_week(int date, int *iso_year);

/* Parses exactly "HH:MM" (00:00 to 24:00). Returns 0 and sets *out to
 * minutes since midnight, or -1. */
int time_parse(const char *text, int *out);
/* Writes "HH:MM" and a NUL into out[TIME_TEXT_SIZE]. */
void time_format(int minutes, char out[TIME_TEXT_SIZE]);

#endif
