/*
 * reader.c - the readers' shared toolkit (reader.h): diagnostics at a
 * value, members, scalars of the formats, and reading a whole file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign.h"
#include "date.h"
#include "diag.h"
#include "input_file.h"
#include "json_doc.h"
#include "reader.h"
#include "util.h"
#include "banned.h"

const char *const weekday_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* ------------------------------------------------------------------ */
/* The reader.                                                         */

bool stopped(const struct reader *r)
{
	return r->oom || r->sink->full;
}

static void rvreport(struct reader *r, enum diag_level level, bool hard, struct rota_loc at,
		     const char *fmt, va_list ap)
{
	if (level == DIAG_ERROR && hard)
		r->broken = true;
	sink_vadd(r->sink, level, at.line, at.col, buf_str(&r->path), fmt, ap);
}

/* An error at where v starts; later checks of the whole campaign are
 * skipped, since they depend on it. */
void error_at(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rvreport(r, DIAG_ERROR, true, loc_of(r->doc, v), fmt, ap);
	va_end(ap);
}

/* An error in a text (a name, an address) that nothing else depends on. */
void soft_error_at(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rvreport(r, DIAG_ERROR, false, loc_of(r->doc, v), fmt, ap);
	va_end(ap);
}

void error_key(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rvreport(r, DIAG_ERROR, true, key_loc_of(r->doc, v), fmt, ap);
	va_end(ap);
}

void warning_at(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rvreport(r, DIAG_WARNING, false, loc_of(r->doc, v), fmt, ap);
	va_end(ap);
}

static void warning_key(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warning_key(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rvreport(r, DIAG_WARNING, false, key_loc_of(r->doc, v), fmt, ap);
	va_end(ap);
}

/* A diagnostic of the checks of the whole campaign, with its own path. */
void report_at(struct reader *r, enum diag_level level, struct rota_loc at,
	       const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sink_vadd(r->sink, level, at.line, at.col, path, fmt, ap);
	va_end(ap);
}

/* Appends how v is written, for "found ...". */
static void describe(const struct reader *r, struct jv v, struct buf *out)
{
	size_t len;
	const char *raw;

	if (jv_is_string(v)) {
		buf_putc(out, '\'');
		put_sanitized(out, jv_string(v), strlen(jv_string(v)), 60);
		buf_putc(out, '\'');
	} else if (jv_is_number(v)) {
		raw = jv_raw(r->doc, v, &len);
		put_sanitized(out, raw, len, 40);
	} else if (jv_is_object(v)) {
		buf_puts(out, jv_has_child(v) ? "an object" : "an empty object");
	} else if (jv_is_array(v)) {
		buf_puts(out, jv_has_child(v) ? "an array" : "an empty array");
	} else if (jv_is_true(v)) {
		buf_puts(out, "true");
	} else if (jv_is_false(v)) {
		buf_puts(out, "false");
	} else {
		buf_puts(out, "null");
	}
}

/* Reports "expected WHAT, found <v>" at v. */
static void vexpected(struct reader *r, struct jv v, bool hard, const char *fmt, va_list ap)
{
	struct buf msg;

	buf_init(&msg);
	buf_puts(&msg, "expected ");
	buf_vprintf(&msg, fmt, ap);
	buf_puts(&msg, ", found ");
	describe(r, v, &msg);
	if (hard)
		error_at(r, v, "%s", buf_str(&msg));
	else
		soft_error_at(r, v, "%s", buf_str(&msg));
	buf_release(&msg);
}

void expected(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vexpected(r, v, true, fmt, ap);
	va_end(ap);
}

void soft_expected(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vexpected(r, v, false, fmt, ap);
	va_end(ap);
}

/* A copy of s for a message, made safe and cut if long. The result lives
 * until the next call with the same slot (0 or 1). */
const char *shown(struct reader *r, const char *s, int slot)
{
	struct buf *b = &r->scratch[slot & 1];

	path_pop(b, 0);
	put_sanitized(b, s, strlen(s), 60);
	if (b->failed) {
		buf_release(b);
		return "?";
	}
	return buf_str(b);
}

bool rd_failed(struct reader *r, bool failed)
{
	if (failed)
		r->oom = true;
	return failed;
}

char *rdup(struct reader *r, const char *s)
{
	char *copy = xstrdup(s ? s : "");

	rd_failed(r, !copy);
	return copy;
}

/* Finds member name of obj (the first one, when a key is repeated). */
bool get_member(const struct reader *r, struct jv obj, const char *name, struct jv *out)
{
	return jv_member(r->doc, obj, name, out);
}

/* Warns about every member of obj whose key is not in known. */
void check_fields(struct reader *r, struct jv obj, const char *const *known)
{
	FOR_EACH(r->doc, obj, m) {
		const char *const *k;

		if (jv_dup(r->doc, m) || !jv_key(m))
			continue;
		for (k = known; *k && strcmp(*k, jv_key(m)); k++)
			;
		if (!*k)
			warning_key(r, m, "unknown field '%s'", shown(r, jv_key(m), 0));
		if (stopped(r))
			return;
	}
}

/* Looks up member name of obj. When present, pushes it onto the path,
 * sets *v and *mark, and returns true; the caller pops the path back to
 * *mark. When absent and required, reports it at obj. */
bool enter(struct reader *r, struct jv obj, const char *name, bool required, struct jv *v,
	   size_t *mark)
{
	if (!get_member(r, obj, name, v)) {
		if (required)
			error_at(r, obj, "missing field '%s'", name);
		return false;
	}
	*mark = r->path.len;
	path_push_key(&r->path, name, strlen(name));
	return true;
}

void leave(struct reader *r, size_t mark)
{
	path_pop(&r->path, mark);
}

size_t enter_index(struct reader *r, size_t i)
{
	size_t mark = r->path.len;

	path_push_index(&r->path, i);
	return mark;
}

size_t enter_key(struct reader *r, const char *key)
{
	size_t mark = r->path.len;

	path_push_key(&r->path, key, strlen(key));
	return mark;
}

/* Object and array checks: report and return false on the wrong type. */
bool want_object(struct reader *r, struct jv v, const char *what)
{
	if (jv_is_object(v))
		return true;
	expected(r, v, "%s", what);
	return false;
}

bool want_array(struct reader *r, struct jv v, const char *what, bool nonempty, size_t max)
{
	size_t n;

	if (!jv_is_array(v)) {
		expected(r, v, "%s", what);
		return false;
	}
	if (nonempty && !jv_has_child(v)) {
		expected(r, v, "%s with at least one element", what);
		return false;
	}
	n = jv_count(r->doc, v);
	if (n > max) {
		error_at(r, v, "too many elements: %zu, at most %zu", n, max);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Scalars.                                                            */

bool valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch == '-' && i > 0)))
			return false;
	}
	return true;
}

/* An id of a list item: stored even when malformed, so that references
 * to it do not cascade into more errors. Checks of the whole campaign
 * (which print ids) run only when every id is well formed. */
bool read_id(struct reader *r, struct jv v, const char *what, char **out)
{
	if (!jv_is_string(v)) {
		expected(r, v, "%s (a string of " ID_RULE ")", what);
		return false;
	}
	free(*out);
	*out = rdup(r, jv_string(v));
	if (!*out)
		return false;
	if (!valid_id(jv_string(v))) {
		expected(r, v, "%s (" ID_RULE ")", what);
		return false;
	}
	return true;
}

/* A name or other text: a non-blank string of at most MAX_TEXT_CHARS
 * characters (control characters are refused by the scanner). */
bool read_text(struct reader *r, struct jv v, char **out)
{
	const char *s;
	bool blank = true;

	if (!jv_is_string(v)) {
		soft_expected(r, v, "a string");
		return false;
	}
	s = jv_string(v);
	free(*out);
	*out = rdup(r, s);
	if (!*out)
		return false;
	for (const char *p = s; *p && blank; p++)
		blank = *p == ' ';
	if (blank) {
		soft_expected(r, v, "a non-empty text");
		return false;
	}
	if (utf8_chars(s) > MAX_TEXT_CHARS) {
		soft_error_at(r, v, "expected a text of at most %d characters, found %zu characters",
			      MAX_TEXT_CHARS, utf8_chars(s));
		return false;
	}
	return true;
}

/* A plausible e-mail address: one '@' with something on each side, a dot
 * in the domain, no space, no control character and none of the
 * characters that break a mailto: URI or an iCalendar parameter. */
static bool plausible_email(const char *s)
{
	const char *at = strchr(s, '@'), *dot;

	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>()[]\\,;:\"'", *p))
			return false;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0' && at[1] != '.';
}

/* The first character of s that is not printable ASCII, or NULL. */
static const char *not_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return s;
	return NULL;
}

/* Addresses go raw into mail headers, mailto: URIs and iCalendar
 * parameters: printable ASCII only, so that nothing invisible (a
 * zero-width space, a no-break space, a right-to-left override) or
 * look-alike can hide in one. */
bool read_email(struct reader *r, struct jv v, char **out)
{
	const char *bad;

	if (jv_is_string(v) && (bad = not_ascii(jv_string(v))) != NULL) {
		struct buf *b = &r->scratch[0];
		const unsigned char *p = (const unsigned char *)jv_string(v);
		size_t len = strlen(jv_string(v)), at = 1;
		unsigned cp = 0;

		/* Shown with everything outside printable ASCII as \uXXXX,
		 * so that the invisible becomes visible. */
		path_pop(b, 0);
		for (size_t i = 0, n, chars = 1; i < len; i += n, chars++) {
			unsigned c;

			n = utf8_decode(p + i, len - i, &c);
			if (!n) { /* the scanner lets no invalid UTF-8 through */
				n = 1;
				c = 0xFFFD;
			}
			if (chars == 61)
				buf_puts(b, "...");
			else if (chars < 61 && c >= 0x20 && c <= 0x7e)
				buf_putc(b, (char)c);
			else if (chars < 61)
				buf_printf(b, "\\u%04X", c);
			if (!cp && (c < 0x20 || c > 0x7e)) {
				cp = c;
				at = chars;
			}
		}
		soft_error_at(r, v, "expected an e-mail address of printable ASCII characters "
				    "only, found '%s' (U+%04X at character %zu)",
			      b->failed ? "?" : buf_str(b), cp, at);
		return false;
	}
	if (!jv_is_string(v) || !plausible_email(jv_string(v))) {
		soft_expected(r, v, "an e-mail address such as name@example.vn");
		return false;
	}
	free(*out);
	*out = rdup(r, jv_string(v));
	return true;
}

/* A JSON integer written without fraction or exponent, in [lo, hi]. */
bool read_int(struct reader *r, struct jv v, long lo, long hi, int *out)
{
	const char *raw;
	size_t len, i = 0;
	long value = 0;
	bool neg = false;

	if (!jv_is_number(v))
		goto bad;
	raw = jv_raw(r->doc, v, &len);
	if (len && raw[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == len || len - i > 9)
		goto bad;
	for (; i < len; i++) {
		if (raw[i] < '0' || raw[i] > '9')
			goto bad;
		value = value * 10 + (raw[i] - '0');
	}
	if (neg) {
		if (value == 0)
			goto bad; /* -0 */
		value = -value;
	}
	if (value < lo || value > hi)
		goto bad;
	*out = (int)value;
	return true;
bad:
	expected(r, v, "a whole number from %ld to %ld", lo, hi);
	return false;
}

/* Any JSON number, as written, converted with strtod. */
bool number_value(const struct reader *r, struct jv v, double *out)
{
	char tmp[MAX_NUMBER_CHARS + 1];
	const char *raw;
	size_t len;

	if (!jv_is_number(v))
		return false;
	raw = jv_raw(r->doc, v, &len);
	if (len == 0 || len > MAX_NUMBER_CHARS)
		return false;
	memcpy(tmp, raw, len);
	tmp[len] = '\0';
	*out = strtod(tmp, NULL);
	return true;
}

/* Whether s[0..10) looks like YYYY-MM-DD, real or not. */
static bool date_shaped(const char *s)
{
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return false;
		} else if (s[i] < '0' || s[i] > '9') {
			return false;
		}
	}
	return true;
}

static bool year_in_range(const char *s)
{
	return (s[0] == '1' && s[1] == '9') || (s[0] == '2' && s[1] <= '1');
}

bool read_date(struct reader *r, struct jv v, int *out)
{
	const char *s = jv_is_string(v) ? jv_string(v) : "";

	if (jv_is_string(v) && !date_parse(s, out))
		return true;
	if (strlen(s) == 10 && date_shaped(s) && !year_in_range(s))
		expected(r, v, "a date from 1900-01-01 to 2199-12-31");
	else if (strlen(s) == 10 && date_shaped(s))
		expected(r, v, "a date that exists");
	else
		expected(r, v, "a date YYYY-MM-DD");
	return false;
}

static bool read_range(struct reader *r, struct jv v, struct date_range *out)
{
	const char *s = jv_is_string(v) ? jv_string(v) : "";
	size_t n = strlen(s);
	int rc = jv_is_string(v) ? date_range_parse(s, &out->first, &out->last) : -1;

	if (rc == 0)
		return true;
	if (rc == -2)
		expected(r, v, "a range that ends on or after its start");
	else if ((n == 10 && date_shaped(s)) ||
		 (n == 21 && s[10] == '/' && date_shaped(s) && date_shaped(s + 11)))
		expected(r, v, "dates that exist, from 1900-01-01 to 2199-12-31");
	else
		expected(r, v, "a date YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD");
	return false;
}

void read_ranges(struct reader *r, struct jv v, struct date_ranges *out)
{
	size_t i = 0;

	if (!want_array(r, v, "an array of dates and ranges", false, MAX_LIST))
		return;
	free(out->items);
	out->count = 0;
	out->items = xcalloc_array(jv_count(r->doc, v), sizeof(*out->items));
	if (rd_failed(r, !out->items))
		return;
	FOR_EACH(r->doc, v, item) {
		size_t mark = enter_index(r, i++);

		if (read_range(r, item, &out->items[out->count]))
			out->count++;
		leave(r, mark);
	}
}

bool read_time(struct reader *r, struct jv v, int *out)
{
	if (jv_is_string(v) && !time_parse(jv_string(v), out))
		return true;
	expected(r, v, "a time HH:MM from 00:00 to 24:00");
	return false;
}

int read_name(struct reader *r, struct jv v, const char *const *names, int n, const char *what)
{
	for (int i = 0; i < n && jv_is_string(v); i++)
		if (!strcmp(jv_string(v), names[i]))
			return i;
	expected(r, v, "%s", what);
	return -1;
}

bool read_weekday(struct reader *r, struct jv v, int *out)
{
	*out = read_name(r, v, weekday_names, 7, "a weekday (mon, tue, wed, thu, fri, sat or sun)");
	return *out >= 0;
}

bool read_slot_kind(struct reader *r, struct jv v, enum slot_kind *out)
{
	int k;

	if (jv_is_string(v) && (k = slot_kind_parse(jv_string(v))) >= 0) {
		*out = (enum slot_kind)k;
		return true;
	}
	expected(r, v, "a slot kind (day, evening, weekend or holiday)");
	return false;
}

/* A non-empty array of slot kinds; a repeated one is a warning. */
void read_slot_set(struct reader *r, struct jv v, slot_set *out)
{
	slot_set set = 0;
	size_t i = 0;

	if (!want_array(r, v, "an array of slot kinds (day, evening, weekend, holiday)", true,
			MAX_LIST))
		return;
	FOR_EACH(r->doc, v, item) {
		size_t mark = enter_index(r, i++);
		enum slot_kind k;

		if (read_slot_kind(r, item, &k)) {
			if (set & SLOT_BIT(k))
				warning_at(r, item, "'%s' is listed twice", slot_kind_name(k));
			set |= SLOT_BIT(k);
		}
		leave(r, mark);
	}
	if (set)
		*out = set;
}

/* A reference to an item of another list. Returns the index or -1; an
 * unknown id is reported unless the list itself could not be read. */
int read_ref(struct reader *r, struct jv v, const char *what, bool list_ok,
	     int (*find)(const struct campaign *, const char *), const char *list)
{
	int i;

	if (!jv_is_string(v) || !jv_string(v)[0]) {
		expected(r, v, "the id of a %s", what);
		return -1;
	}
	if (!list_ok) {
		r->broken = true;
		return -1;
	}
	i = find(r->ref, jv_string(v));
	if (i < 0)
		error_at(r, v, "unknown %s '%s' (not in %s)", what, shown(r, jv_string(v), 0),
			 list);
	return i;
}

/* Reports each item whose id an earlier item of the list has. */
struct id_entry {
	const char *id;
	size_t index;
};

static int id_entry_cmp(const void *pa, const void *pb)
{
	const struct id_entry *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

void check_unique_ids(struct reader *r, const char *list, char **ids, size_t stride,
		      size_t n)
{
	struct id_entry *e;

	/* Out of memory, some id may be missing (rdup() failed). */
	if (n < 2 || stopped(r))
		return;
	e = xcalloc_array(n, sizeof(*e));
	if (rd_failed(r, !e))
		return;
	for (size_t i = 0; i < n; i++) {
		e[i].id = *(char **)(void *)((char *)ids + i * stride);
		e[i].index = i;
	}
	qsort(e, n, sizeof(*e), id_entry_cmp);
	for (size_t i = 1; i < n && !stopped(r); i++) {
		size_t first = i - 1;
		struct buf path;

		if (strcmp(e[i].id, e[first].id) || !e[i].id[0])
			continue;
		while (first > 0 && !strcmp(e[first - 1].id, e[i].id))
			first--;
		buf_init(&path);
		buf_printf(&path, "%s[%zu].id", list, e[i].index);
		r->broken = true;
		report_at(r, DIAG_ERROR, r->id_locs[e[i].index], buf_str(&path),
			  "duplicate id '%s' (first at %d:%d)", shown(r, e[i].id, 0),
			  r->id_locs[e[first].index].line, r->id_locs[e[first].index].col);
		buf_release(&path);
	}
	free(e);
}

void time_text(int minutes, char out[TIME_TEXT_SIZE])
{
	time_format(minutes, out);
}

/* Reads the whole file (or standard input for "-") through input_file_read,
 * which refuses more than max bytes before reading them all and anything
 * but a regular file (a FIFO would block, a device never end). */
int read_whole(const char *path, size_t max, const char *what, char **data, size_t *len,
	       struct rota_error *err)
{
	struct buf b;
	int rc;

	*data = NULL;
	*len = 0;
	buf_init(&b);
	rc = input_file_read(&b, path, max, what, 0, err);
	if (rc == ROTA_OK) {
		size_t n = b.len;
		char *bytes = buf_detach(&b);

		if (!bytes)
			return rota_error_set(err, ROTA_ENOMEM, "out of memory reading '%s'", path);
		*data = bytes;
		*len = n;
	}
	buf_release(&b);
	return rc;
}

