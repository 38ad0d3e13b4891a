/*
 * reader.h - what the campaign reader, the whole-campaign checks and the
 * plan reader share: struct reader (the document being read, where in it,
 * what was found), diagnostics at a value ("expected ..., found ..."),
 * members of objects, and the scalars of the formats (ids, texts, e-mail
 * addresses, numbers, dates, times, slot kinds, references by id).
 * Internal to those three modules.
 */
#ifndef ROTA_READER_H
#define ROTA_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "campaign.h"
#include "date.h"
#include "diag.h"
#include "json_doc.h"
#include "util.h"

/* Limits of what the reader accepts; each is documented in
 * docs/campaign-format.md. */
enum {
	MAX_VALUES = 2000000,     /* JSON values in a campaign file (~20 bytes each) */
	MAX_PLAN_VALUES = 4000000,
	MAX_TEXT_CHARS = 500,     /* names and other text */
	MAX_CAMPAIGN_DAYS = 1096, /* three years */
	MAX_SERVICES = 100,
	MAX_GROUPS = 100,
	MAX_SITES = 4000,         /* the travel matrix is sites x sites */
	MAX_TEAMS = 1000,
	MAX_UNITS = 20000,
	MAX_FIXED = 10000,
	MAX_LIST = 10000,         /* dates in one list, entries of travel[] */
	MAX_BREAKS = 20,
	MAX_COUNT = 1000000,
	MAX_MINUTES = 1440,
	MAX_CAPACITY = 100000,
	MAX_OFFICERS = 100,
	MAX_PRIORITY = 1000,
	MAX_LEAD_DAYS = 365,      /* a service's lead time */
	MAX_HOME_VISIT_MINUTES = 480,
	MAX_EXTRA_PER_WEEK = 7    /* one extra session a day at most */
};
/* rota.json may be larger than a campaign: it lists every visit. */
#define PLAN_MAX_BYTES ((size_t)64 * 1024 * 1024)

extern const char *const weekday_names[7]; /* "mon" ... "sun" */

/* What later checks need to know about where things were written. */
struct fixed_places {
	struct rota_loc team, site, slot, date; /* date: the weekday when weekly */
};

struct reader {
	struct doc *doc;
	struct sink *sink;
	struct buf path;
	struct campaign *c;         /* being built (campaign files only) */
	const struct campaign *ref; /* what references resolve against */
	bool broken;    /* an error that checks of the whole campaign depend on */
	bool oom;
	bool have_services, have_groups, have_sites, have_teams;
	bool dates_ok;  /* campaign.start and .end read and in order */
	struct rota_loc *id_locs;   /* scratch: where each item's id is */
	char **site_commune;        /* commune slugs, until communes are indexed */
	char **unit_commune;
	struct jv *team_communes;   /* teams[].communes, resolved after units */
	struct fixed_places *fixed_at;
	struct buf scratch[2];      /* for shown() */
	/* Reading a plan: where each session is, and people invited so far
	 * per demand row (row_base[unit] + row). */
	struct rota_loc *session_at;
	size_t asession_at;
	size_t *row_base;
	long *row_planned;
};

/* Runs the statements that follow (with v set) when obj has member name,
 * with the path pushed; a missing required member is reported. */
#define FIELD_CAT2(a, b) a##b
#define FIELD_CAT(a, b) FIELD_CAT2(a, b)
#define FIELD(r, obj, name, required, v, ...) FIELD_AT(FIELD_CAT(field_mark_, __LINE__), r, obj, name, required, v, __VA_ARGS__)
#define FIELD_AT(mark, r, obj, name, required, v, ...)                  \
	do {                                                           \
		size_t mark;                                           \
		if (enter((r), (obj), (name), (required), &(v), &mark)) { \
			__VA_ARGS__;                                   \
			leave((r), mark);                              \
		}                                                      \
	} while (0)

/* Runs the statements that follow with element i of an array pushed on
 * the path. */
#define ELEMENT(r, i, ...) ELEMENT_AT(FIELD_CAT(element_mark_, __LINE__), r, i, __VA_ARGS__)
#define ELEMENT_AT(mark, r, i, ...)                                     \
	do {                                                           \
		size_t mark = enter_index((r), (i));                   \
		__VA_ARGS__;                                           \
		leave((r), mark);                                      \
	} while (0)

#define ID_RULE "letters a-z, digits and '-', starting with a letter or digit, at most 63 characters"

bool stopped(const struct reader *r);
void error_at(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void soft_error_at(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void error_key(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void warning_at(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void report_at(struct reader *r, enum diag_level level, struct rota_loc at,
	       const char *path, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

void expected(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void soft_expected(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *shown(struct reader *r, const char *s, int slot);
/* Notes an allocation (or a buffer) that failed: sets r->oom when failed
 * is true, and returns failed, as in "if (rd_failed(r, !p)) goto out;". */
bool rd_failed(struct reader *r, bool failed);
char *rdup(struct reader *r, const char *s);
bool get_member(const struct reader *r, struct jv obj, const char *name, struct jv *out);
void check_fields(struct reader *r, struct jv obj, const char *const *known);
bool enter(struct reader *r, struct jv obj, const char *name, bool required, struct jv *v,
	   size_t *mark);
void leave(struct reader *r, size_t mark);
size_t enter_index(struct reader *r, size_t i);
size_t enter_key(struct reader *r, const char *key);
bool want_object(struct reader *r, struct jv v, const char *what);
bool want_array(struct reader *r, struct jv v, const char *what, bool nonempty, size_t max);
bool valid_id(const char *s);
bool read_id(struct reader *r, struct jv v, const char *what, char **out);
bool read_text(struct reader *r, struct jv v, char **out);
bool read_email(struct reader *r, struct jv v, char **out);
bool read_int(struct reader *r, struct jv v, long lo, long hi, int *out);
bool number_value(const struct reader *r, struct jv v, double *out);
bool read_date(struct reader *r, struct jv v, int *out);
void read_ranges(struct reader *r, struct jv v, struct date_ranges *out);
bool read_time(struct reader *r, struct jv v, int *out);
/* The index of v among names[0..n), or -1 after "expected WHAT". */
int read_name(struct reader *r, struct jv v, const char *const *names, int n, const char *what);
bool read_weekday(struct reader *r, struct jv v, int *out);
bool read_slot_kind(struct reader *r, struct jv v, enum slot_kind *out);
void read_slot_set(struct reader *r, struct jv v, slot_set *out);
int read_ref(struct reader *r, struct jv v, const char *what, bool list_ok,
	     int (*find)(const struct campaign *, const char *), const char *list);
void check_unique_ids(struct reader *r, const char *list, char **ids, size_t stride,
		      size_t n);
void time_text(int minutes, char out[TIME_TEXT_SIZE]);
int read_whole(const char *path, size_t max, const char *what, char **data, size_t *len,
	       struct rota_error *err);

#endif
