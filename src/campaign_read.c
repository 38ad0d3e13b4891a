/*
 * campaign_read.c - reads a campaign file (rota-campaign/1) and checks all
 * that docs/campaign-format.md says, and reads back a rota.json
 * (rota-plan/1). The only file that sees cJSON.
 *
 * cJSON is lax (duplicate keys, invalid UTF-8, control characters and
 * trailing text all pass) and knows no positions, so the text is first
 * walked by a strict scanner of our own. The scanner is the authority on
 * syntax; it records every JSON value in document order (the order in
 * which a depth-first walk of cJSON's tree meets them) with its place, its
 * raw text and the size of its subtree. The reader then walks cJSON's tree
 * and the scanner's records side by side (struct jv), so that every
 * diagnostic has a line and a column and every number is judged by how it
 * is written, not by cJSON's saturating conversions.
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

#include "cJSON.h"

#include "campaign.h"
#include "campaign_read.h"
#include "date.h"
#include "diag.h"
#include "plan.h"
#include "tz_names.h"
#include "util.h"
#include "banned.h"

/* Limits of what the reader accepts; each is documented in
 * docs/campaign-format.md. */
enum {
	MAX_ERRORS = 200,         /* then the reader stops */
	MAX_WARNINGS = 200,       /* then warnings are counted, not shown */
	MAX_NUMBER_CHARS = 63,    /* cJSON's own limit for one number */
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
	MAX_EXTRA_PER_WEEK = 7    /* one extra session a day at most */
};
/* rota.json may be larger than a campaign: it lists every visit. */
#define PLAN_MAX_BYTES ((size_t)64 * 1024 * 1024)

static const char *const weekday_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char *const weekday_plural[7] = { "Mondays", "Tuesdays", "Wednesdays", "Thursdays",
					       "Fridays", "Saturdays", "Sundays" };

/* ------------------------------------------------------------------ */
/* Diagnostics, with a cap so that hostile input cannot flood memory.  */

struct sink {
	struct diags *d;
	size_t errors, warnings;
	bool full; /* MAX_ERRORS reached: stop reading */
};

static void sink_vadd(struct sink *s, enum diag_level level, int line, int col, const char *path,
		      const char *fmt, va_list ap)
{
	if (level == DIAG_ERROR) {
		if (s->full)
			return;
		if (++s->errors > MAX_ERRORS) {
			s->full = true;
			diags_add(s->d, DIAG_ERROR, 0, 0, "",
				  "too many errors: stopped reading after %d", MAX_ERRORS);
			return;
		}
	} else {
		if (++s->warnings > MAX_WARNINGS) {
			if (s->warnings == MAX_WARNINGS + 1)
				diags_add(s->d, DIAG_WARNING, 0, 0, "",
					  "too many warnings: only the first %d are shown",
					  MAX_WARNINGS);
			return;
		}
	}
	diags_vadd(s->d, level, line, col, path, fmt, ap);
}

static void sink_add(struct sink *s, enum diag_level level, int line, int col, const char *path,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void sink_add(struct sink *s, enum diag_level level, int line, int col, const char *path,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sink_vadd(s, level, line, col, path, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* UTF-8 and quoting.                                                  */

/* Decodes one strictly valid UTF-8 sequence (no overlong forms, no
 * surrogates, nothing above U+10FFFF). Returns its length, or 0. */
static size_t utf8_decode(const unsigned char *p, size_t avail, unsigned *cp)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0) {
		len = 2;
		*cp = c & 0x1F;
	} else if (c < 0xF0) {
		len = 3;
		*cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else {
		len = 4;
		*cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	}
	if (avail < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3Fu);
	}
	return len;
}

static void utf8_put(struct buf *b, unsigned cp)
{
	char t[4];

	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		buf_putn(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		buf_putn(b, t, 3);
	} else {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		buf_putn(b, t, 4);
	}
}

/* Characters no text in a campaign may hold: C0, DEL, C1, U+2028, U+2029. */
static bool forbidden_char(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

static const char *char_label(unsigned cp)
{
	switch (cp) {
	case 0x00: return " (NUL)";
	case 0x08: return " (backspace)";
	case 0x09: return " (tab)";
	case 0x0A: return " (line feed)";
	case 0x0C: return " (form feed)";
	case 0x0D: return " (carriage return)";
	case 0x1B: return " (escape)";
	case 0x7F: return " (delete)";
	case 0x85: return " (next line)";
	case 0x2028: return " (line separator)";
	case 0x2029: return " (paragraph separator)";
	default: return "";
	}
}

/* "control character U+000A (line feed)" or "line separator U+2028". */
static const char *char_kind(unsigned cp)
{
	return cp == 0x2028 || cp == 0x2029 ? "character" : "control character";
}

/* Appends s[0..len) for a message: forbidden characters as \uXXXX, bytes
 * that are not UTF-8 as \xNN, cut after max characters with "...". */
static void put_sanitized(struct buf *b, const char *s, size_t len, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, chars = 0;

	while (i < len) {
		unsigned cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (chars++ == max) {
			buf_puts(b, "...");
			return;
		}
		if (n == 0) {
			buf_printf(b, "\\x%02X", p[i]);
			i++;
		} else if (forbidden_char(cp)) {
			buf_printf(b, "\\u%04X", cp);
			i += n;
		} else {
			buf_putn(b, s + i, n);
			i += n;
		}
	}
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* JSON path segments: .name for plain keys, ["..."] for others. */
static void path_push_key(struct buf *path, const char *key, size_t len)
{
	bool plain = len > 0 && len <= 64;

	for (size_t i = 0; plain && i < len; i++) {
		char ch = key[i];

		plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			(ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '$';
	}
	if (plain) {
		if (path->len)
			buf_putc(path, '.');
		buf_putn(path, key, len);
	} else {
		buf_puts(path, "[\"");
		put_sanitized(path, key, len, 40);
		buf_puts(path, "\"]");
	}
}

static void path_push_index(struct buf *path, size_t i)
{
	buf_printf(path, "[%zu]", i);
}

static void path_pop(struct buf *path, size_t len)
{
	if (path->failed || !path->data)
		return;
	path->len = len;
	path->data[len] = '\0';
}

/* ------------------------------------------------------------------ */
/* The scanner: a strict RFC 8259 parser that builds no tree.          */

enum { JTOK_DUP = 1 }; /* a member whose key an earlier member has */

/* One JSON value, in document order. */
struct jtok {
	uint32_t off, end;   /* its raw text: bytes [off, end) */
	uint32_t size;       /* values in its subtree, itself included */
	uint32_t flags;
	int line, col;       /* where it starts */
	int kline, kcol;     /* where its key starts; 0 outside objects */
};

struct keyrec {
	size_t off, len;     /* decoded key in scanner.keytext */
	size_t tok;          /* the member's value */
	int line, col;
};

struct scanner {
	const unsigned char *s;
	size_t n, i;
	int line, col;
	struct jtok *toks;
	size_t ntoks, atoks;
	struct keyrec *keys; /* keys of the objects being scanned, a stack */
	size_t nkeys, akeys;
	struct buf keytext;
	struct buf path;     /* of the value being scanned */
	struct sink *sink;
	size_t max_values;
	int depth;
	bool fatal, oom, lone_surrogate;
	bool string_flagged; /* one content problem per string is enough */
	size_t bad_utf8;     /* invalid bytes in strings */
	int bad_line, bad_col;
	unsigned bad_byte;
	char *bad_path;
};

enum sc_problem {
	SC_SYNTAX,  /* not JSON: stops the reading */
	SC_LIMIT,   /* JSON beyond what rota reads: stops the reading */
	SC_CONTENT  /* a string's content: reading goes on */
};

static void sc_vreport(struct scanner *sc, int line, int col, enum sc_problem kind,
		       const char *fmt, va_list ap)
{
	struct buf msg;

	buf_init(&msg);
	if (kind == SC_SYNTAX)
		buf_puts(&msg, "syntax error: ");
	buf_vprintf(&msg, fmt, ap);
	sink_add(sc->sink, DIAG_ERROR, line, col, kind == SC_CONTENT ? buf_str(&sc->path) : "",
		 "%s", buf_str(&msg));
	buf_release(&msg);
	if (kind != SC_CONTENT)
		sc->fatal = true;
}

static void sc_syntax(struct scanner *sc, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void sc_syntax(struct scanner *sc, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sc_vreport(sc, line, col, SC_SYNTAX, fmt, ap);
	va_end(ap);
}

static void sc_limit(struct scanner *sc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sc_limit(struct scanner *sc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sc_vreport(sc, sc->line, sc->col, SC_LIMIT, fmt, ap);
	va_end(ap);
}

static void sc_content(struct scanner *sc, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void sc_content(struct scanner *sc, int line, int col, const char *fmt, ...)
{
	va_list ap;

	if (sc->string_flagged)
		return;
	sc->string_flagged = true;
	va_start(ap, fmt);
	sc_vreport(sc, line, col, SC_CONTENT, fmt, ap);
	va_end(ap);
}

static int sc_peek(const struct scanner *sc)
{
	return sc->i < sc->n ? sc->s[sc->i] : -1;
}

/* Steps over one ASCII byte. */
static void sc_step(struct scanner *sc)
{
	if (sc->s[sc->i] == '\n') {
		sc->line++;
		sc->col = 1;
	} else {
		sc->col++;
	}
	sc->i++;
}

static void sc_skip_space(struct scanner *sc)
{
	int c;

	while ((c = sc_peek(sc)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		sc_step(sc);
}

static bool word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '+' || c == '-';
}

/* What the scanner sees at byte i, for "found ..." in syntax errors. */
static void sc_describe(const struct scanner *sc, size_t i, struct buf *out)
{
	unsigned cp;
	size_t n, j;

	if (i >= sc->n) {
		buf_puts(out, "the end of the file");
		return;
	}
	if (word_char(sc->s[i])) {
		for (j = i; j < sc->n && j - i < 20 && word_char(sc->s[j]); j++)
			;
		buf_putc(out, '\'');
		buf_putn(out, (const char *)sc->s + i, j - i);
		buf_puts(out, j < sc->n && word_char(sc->s[j]) ? "...'" : "'");
		return;
	}
	if (sc->s[i] == '\'') {
		buf_puts(out, "a single quote (strings take double quotes)");
		return;
	}
	n = utf8_decode(sc->s + i, sc->n - i, &cp);
	if (n == 0)
		buf_printf(out, "the byte 0x%02X, which is not UTF-8", sc->s[i]);
	else if (forbidden_char(cp))
		buf_printf(out, "the control character U+%04X%s", cp, char_label(cp));
	else if (cp == 0xFEFF)
		buf_puts(out, "a byte order mark (U+FEFF)");
	else {
		buf_putc(out, '\'');
		buf_putn(out, (const char *)sc->s + i, n);
		buf_putc(out, '\'');
	}
}

/* Reports "syntax error: expected WHAT, found <what is at the cursor>". */
static void sc_expected(struct scanner *sc, const char *what, const char *hint)
{
	struct buf found;

	buf_init(&found);
	sc_describe(sc, sc->i, &found);
	sc_syntax(sc, sc->line, sc->col, "expected %s, found %s%s", what, buf_str(&found), hint);
	buf_release(&found);
}

/* A word where a ',' should be is most often the text after a string
 * that lost its closing quote. */
static const char *sc_missing_quote_hint(const struct scanner *sc)
{
	int c = sc_peek(sc);

	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
		return " (a '\"' missing before it?)";
	return "";
}

static size_t sc_push_tok(struct scanner *sc, int kline, int kcol)
{
	struct jtok *t;

	if (sc->ntoks == sc->max_values) {
		/* Each value costs about 100 bytes here and in cJSON. */
		sc_limit(sc, "too many values: more than %zu numbers, strings, arrays and objects",
			 sc->max_values);
		return 0;
	}
	if (grow_array(&sc->toks, &sc->atoks, sc->ntoks + 1, sizeof(*sc->toks))) {
		sc->oom = sc->fatal = true;
		return 0;
	}
	t = &sc->toks[sc->ntoks];
	memset(t, 0, sizeof(*t));
	t->off = (uint32_t)sc->i;
	t->line = sc->line;
	t->col = sc->col;
	t->kline = kline;
	t->kcol = kcol;
	return sc->ntoks++;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads 4 hex digits at byte i; returns the value or -1. */
static long sc_hex4(const struct scanner *sc, size_t i)
{
	long v = 0;

	if (i > sc->n || sc->n - i < 4)
		return -1;
	for (size_t k = 0; k < 4; k++) {
		int h = hex_value(sc->s[i + k]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Scans the escape at the cursor (a backslash); appends the character
 * to key when not NULL. */
static void sc_escape(struct scanner *sc, struct buf *key)
{
	int line = sc->line, col = sc->col;
	unsigned cp;
	long u, low;
	int e;

	sc_step(sc);
	e = sc_peek(sc);
	switch (e) {
	case '"': case '\\': case '/': cp = (unsigned)e; break;
	case 'b': cp = 0x08; break;
	case 'f': cp = 0x0C; break;
	case 'n': cp = 0x0A; break;
	case 'r': cp = 0x0D; break;
	case 't': cp = 0x09; break;
	case 'u':
		u = sc_hex4(sc, sc->i + 1);
		if (u < 0) {
			struct buf found;

			buf_init(&found);
			put_sanitized(&found, (const char *)sc->s + sc->i - 1,
				      sc->n - sc->i + 1 < 6 ? sc->n - sc->i + 1 : 6, 6);
			sc_syntax(sc, line, col,
				  "invalid escape '%s' in a string: expected \\u and 4 hex digits",
				  buf_str(&found));
			buf_release(&found);
			return;
		}
		for (int k = 0; k < 5; k++)
			sc_step(sc);
		cp = (unsigned)u;
		if (u >= 0xD800 && u <= 0xDBFF && sc_peek(sc) == '\\' && sc->i + 1 < sc->n &&
		    sc->s[sc->i + 1] == 'u' && (low = sc_hex4(sc, sc->i + 2)) >= 0xDC00 &&
		    low <= 0xDFFF) {
			for (int k = 0; k < 6; k++)
				sc_step(sc);
			cp = 0x10000 + (((unsigned)u - 0xD800) << 10) + ((unsigned)low - 0xDC00);
		} else if (u >= 0xD800 && u <= 0xDFFF) {
			/* cJSON refuses these, so they end the reading, but
			 * every one in the file is reported first. */
			sc->lone_surrogate = true;
			sc->string_flagged = false;
			sc_content(sc, line, col,
				   "lone surrogate \\u%04lX in a string: expected a pair such as "
				   "\\uD83D\\uDE00",
				   u);
			return;
		}
		if (forbidden_char(cp))
			sc_content(sc, line, col, "%s U+%04X%s in a string", char_kind(cp), cp,
				   char_label(cp));
		if (key)
			utf8_put(key, cp);
		return;
	case -1:
		return; /* the caller reports the unterminated string */
	default: {
		struct buf found;

		buf_init(&found);
		sc_describe(sc, sc->i, &found);
		sc_syntax(sc, line, col,
			  "invalid escape in a string: expected one of \\\" \\\\ \\/ \\b \\f \\n "
			  "\\r \\t \\u after the backslash, found %s",
			  buf_str(&found));
		buf_release(&found);
		return;
	}
	}
	sc_step(sc);
	if (forbidden_char(cp))
		sc_content(sc, line, col, "%s U+%04X%s in a string", char_kind(cp), cp,
			   char_label(cp));
	if (key)
		buf_putc(key, (char)cp);
}

/* Scans the string at the cursor (a double quote); a key's decoded text
 * goes to key. */
static void sc_string(struct scanner *sc, struct buf *key)
{
	int line = sc->line, col = sc->col;

	sc->string_flagged = false;
	sc_step(sc);
	for (;;) {
		unsigned cp;
		size_t n;
		int c = sc_peek(sc);

		if (c < 0) {
			sc_syntax(sc, line, col, "unterminated string: no closing '\"' before the end of the file");
			return;
		}
		if (c == '"') {
			sc_step(sc);
			return;
		}
		if (c == '\\') {
			sc_escape(sc, key);
			if (sc->fatal)
				return;
			continue;
		}
		if (c < 0x20) {
			if (c == '\n')
				sc_syntax(sc, sc->line, sc->col,
					  "line break inside a string (a missing closing '\"'?)");
			else
				sc_syntax(sc, sc->line, sc->col,
					  "control character U+%04X%s inside a string", (unsigned)c,
					  char_label((unsigned)c));
			return;
		}
		n = utf8_decode(sc->s + sc->i, sc->n - sc->i, &cp);
		if (n == 0) {
			if (sc->bad_utf8++ == 0) {
				sc->bad_line = sc->line;
				sc->bad_col = sc->col;
				sc->bad_byte = (unsigned)c;
				free(sc->bad_path);
				sc->bad_path = xstrdup(buf_str(&sc->path));
			}
			n = 1;
		} else if (forbidden_char(cp)) {
			sc_content(sc, sc->line, sc->col, "%s U+%04X%s in a string",
				   char_kind(cp), cp, char_label(cp));
		}
		if (key)
			buf_putn(key, (const char *)sc->s + sc->i, n);
		sc->i += n;
		sc->col++;
	}
}

static void sc_number(struct scanner *sc)
{
	size_t start = sc->i, i = sc->i;
	const unsigned char *s = sc->s;
	bool ok = true;

#define DIGIT(k) ((k) < sc->n && s[k] >= '0' && s[k] <= '9')
	if (i < sc->n && s[i] == '-')
		i++;
	if (i < sc->n && s[i] == '0') {
		i++;
	} else if (DIGIT(i)) {
		while (DIGIT(i))
			i++;
	} else {
		ok = false;
	}
	if (ok && i < sc->n && s[i] == '.') {
		i++;
		if (!DIGIT(i))
			ok = false;
		while (DIGIT(i))
			i++;
	}
	if (ok && i < sc->n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < sc->n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (!DIGIT(i))
			ok = false;
		while (DIGIT(i))
			i++;
	}
#undef DIGIT
	if (!ok || (i < sc->n && word_char(s[i]))) {
		struct buf found;

		buf_init(&found);
		sc_describe(sc, start, &found);
		sc_syntax(sc, sc->line, sc->col, "invalid number %s", buf_str(&found));
		buf_release(&found);
		return;
	}
	if (i - start > MAX_NUMBER_CHARS) {
		sc_limit(sc, "number too long: %zu characters, at most %d", i - start,
			 MAX_NUMBER_CHARS);
		return;
	}
	sc->col += (int)(i - start);
	sc->i = i;
}

static void sc_value(struct scanner *sc, int kline, int kcol);

/* A key for sorting: its text and its record. */
struct key_entry {
	const char *text;
	const struct keyrec *rec;
};

static int key_entry_cmp(const void *pa, const void *pb)
{
	const struct key_entry *a = pa, *b = pb;
	int r;

	if (a->rec->len != b->rec->len)
		return a->rec->len < b->rec->len ? -1 : 1;
	r = memcmp(a->text, b->text, a->rec->len);
	if (r)
		return r;
	/* Equal keys: the first in the file comes first. */
	return a->rec->off < b->rec->off ? -1 : a->rec->off > b->rec->off;
}

static bool key_same(const struct scanner *sc, const struct keyrec *a, const struct keyrec *b)
{
	return a->len == b->len && !memcmp(sc->keytext.data + a->off, sc->keytext.data + b->off, a->len);
}

static void sc_report_duplicate(struct scanner *sc, const struct keyrec *first,
				const struct keyrec *dup)
{
	struct buf name;

	buf_init(&name);
	put_sanitized(&name, sc->keytext.data + dup->off, dup->len, 60);
	sink_add(sc->sink, DIAG_ERROR, dup->line, dup->col, buf_str(&sc->path),
		 "duplicate key '%s' (first at %d:%d)", buf_str(&name), first->line, first->col);
	buf_release(&name);
	sc->toks[dup->tok].flags |= JTOK_DUP;
}

/* Reports every key of the object whose keys start at keys[base] that an
 * earlier key of the same object has, and flags its member. */
static void sc_check_duplicates(struct scanner *sc, size_t base)
{
	size_t n = sc->nkeys - base;
	struct key_entry *order;

	if (n < 2 || sc->keytext.failed)
		return;
	if (n <= 16) {
		for (size_t j = base + 1; j < sc->nkeys; j++)
			for (size_t i = base; i < j; i++)
				if (key_same(sc, &sc->keys[i], &sc->keys[j])) {
					sc_report_duplicate(sc, &sc->keys[i], &sc->keys[j]);
					break;
				}
		return;
	}
	order = xcalloc_array(n, sizeof(*order));
	if (!order) {
		sc->oom = sc->fatal = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		order[i].rec = &sc->keys[base + i];
		order[i].text = sc->keytext.data + order[i].rec->off;
	}
	qsort(order, n, sizeof(*order), key_entry_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && key_same(sc, order[i].rec, order[j].rec)) {
			sc_report_duplicate(sc, order[i].rec, order[j].rec);
			j++;
		}
		i = j;
	}
	free(order);
}

static void sc_object(struct scanner *sc)
{
	size_t base = sc->nkeys, text_len = sc->keytext.len;
	bool after_comma = false;

	sc_step(sc);
	sc_skip_space(sc);
	if (sc_peek(sc) == '}') {
		sc_step(sc);
		return;
	}
	for (;;) {
		struct keyrec *k;
		size_t mark;
		int kline, kcol;

		sc_skip_space(sc);
		if (sc_peek(sc) != '"') {
			sc_expected(sc, after_comma ? "a key in double quotes after ','"
						    : "a key in double quotes",
				    after_comma && sc_peek(sc) == '}' ? " (a comma too many?)" : "");
			return;
		}
		kline = sc->line;
		kcol = sc->col;
		if (grow_array(&sc->keys, &sc->akeys, sc->nkeys + 1, sizeof(*sc->keys))) {
			sc->oom = sc->fatal = true;
			return;
		}
		k = &sc->keys[sc->nkeys];
		k->off = sc->keytext.len;
		k->line = kline;
		k->col = kcol;
		sc_string(sc, &sc->keytext);
		if (sc->fatal)
			return;
		k->len = sc->keytext.len - k->off;
		k->tok = sc->ntoks;
		sc->nkeys++;
		sc_skip_space(sc);
		if (sc_peek(sc) != ':') {
			sc_expected(sc, "':' after the key", "");
			return;
		}
		sc_step(sc);
		mark = sc->path.len;
		path_push_key(&sc->path, sc->keytext.data ? sc->keytext.data + k->off : "", k->len);
		sc_value(sc, kline, kcol);
		path_pop(&sc->path, mark);
		if (sc->fatal)
			return;
		sc_skip_space(sc);
		if (sc_peek(sc) == ',') {
			sc_step(sc);
			after_comma = true;
			continue;
		}
		if (sc_peek(sc) == '}') {
			sc_step(sc);
			break;
		}
		sc_expected(sc, "',' or '}' after an object member", sc_missing_quote_hint(sc));
		return;
	}
	sc_check_duplicates(sc, base);
	sc->nkeys = base;
	path_pop(&sc->keytext, text_len);
}

static void sc_array(struct scanner *sc)
{
	size_t index = 0;

	sc_step(sc);
	sc_skip_space(sc);
	if (sc_peek(sc) == ']') {
		sc_step(sc);
		return;
	}
	for (;;) {
		size_t mark = sc->path.len;

		path_push_index(&sc->path, index++);
		sc_value(sc, 0, 0);
		path_pop(&sc->path, mark);
		if (sc->fatal)
			return;
		sc_skip_space(sc);
		if (sc_peek(sc) == ',') {
			sc_step(sc);
			sc_skip_space(sc);
			if (sc_peek(sc) == ']') {
				sc_expected(sc, "a value after ','", " (a comma too many?)");
				return;
			}
			continue;
		}
		if (sc_peek(sc) == ']') {
			sc_step(sc);
			return;
		}
		sc_expected(sc, "',' or ']' after an array element", sc_missing_quote_hint(sc));
		return;
	}
}

static void sc_literal(struct scanner *sc)
{
	static const char *const words[] = { "true", "false", "null" };

	for (int w = 0; w < 3; w++) {
		size_t len = strlen(words[w]);

		if (sc->n - sc->i >= len && !memcmp(sc->s + sc->i, words[w], len) &&
		    (sc->i + len == sc->n || !word_char(sc->s[sc->i + len]))) {
			sc->i += len;
			sc->col += (int)len;
			return;
		}
	}
	sc_expected(sc, "a value", "");
}

static void sc_value(struct scanner *sc, int kline, int kcol)
{
	size_t t;
	int c;

	sc_skip_space(sc);
	c = sc_peek(sc);
	if (c < 0) {
		sc_expected(sc, "a value", "");
		return;
	}
	t = sc_push_tok(sc, kline, kcol);
	if (sc->fatal)
		return;
	switch (c) {
	case '{':
	case '[':
		if (++sc->depth > CAMPAIGN_MAX_DEPTH) {
			sc_limit(sc, "nesting deeper than %d levels", CAMPAIGN_MAX_DEPTH);
			return;
		}
		if (c == '{')
			sc_object(sc);
		else
			sc_array(sc);
		sc->depth--;
		break;
	case '"':
		sc_string(sc, NULL);
		break;
	case 't':
	case 'f':
	case 'n':
		sc_literal(sc);
		break;
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			sc_number(sc);
		else
			sc_expected(sc, "a value", "");
	}
	if (sc->fatal)
		return;
	sc->toks[t].end = (uint32_t)sc->i;
	sc->toks[t].size = (uint32_t)(sc->ntoks - t);
}

/* ------------------------------------------------------------------ */
/* A parsed document: cJSON's tree and the scanner's records.          */

struct doc {
	char *text;         /* NUL-terminated copy of the input */
	size_t len;
	struct jtok *toks;
	size_t ntoks;
	cJSON *root;
};

static void doc_release(struct doc *doc)
{
	free(doc->text);
	free(doc->toks);
	cJSON_Delete(doc->root);
	memset(doc, 0, sizeof(*doc));
}

/* Counts the nodes of a cJSON tree (its depth is bounded by the scanner). */
static size_t cjson_count(const cJSON *j)
{
	size_t n = 1;

	for (const cJSON *k = j->child; k; k = k->next)
		n += cjson_count(k);
	return n;
}

/* Scans and parses data. Returns 0 (the document may still hold content
 * errors, reported in sink), ROTA_EINPUT when it could not be parsed,
 * or ROTA_ENOMEM. */
static int doc_parse(struct doc *doc, const char *data, size_t len, size_t max_values,
		     struct sink *sink)
{
	struct scanner sc;
	const char *end = NULL;
	size_t skip = 0;
	int rc = ROTA_OK;

	memset(doc, 0, sizeof(*doc));
	if (len > UINT32_MAX - 1)
		return ROTA_ENOMEM;
	doc->text = malloc(len + 1);
	if (!doc->text)
		return ROTA_ENOMEM;
	if (len)
		memcpy(doc->text, data, len);
	doc->text[len] = '\0';
	doc->len = len;

	memset(&sc, 0, sizeof(sc));
	sc.s = (const unsigned char *)doc->text;
	sc.n = len;
	sc.line = sc.col = 1;
	sc.sink = sink;
	sc.max_values = max_values;
	buf_puts(&sc.keytext, ""); /* so that keytext.data is never NULL */
	/* A UTF-8 byte order mark is allowed (RFC 8259 section 8.1) and is
	 * not counted as a column. */
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		sc.i = skip = 3;
	sc_skip_space(&sc);
	if (sc.i >= sc.n) {
		sc_syntax(&sc, sc.line, sc.col, "expected a JSON object, found %s",
			  len > skip ? "only white space" : "an empty file");
	} else if (sc.s[sc.i] != '{' && sc.s[sc.i] != '[') {
		/* Not JSON at all (a passwd file, a picture): what it holds is
		 * not shown, since it may be anything. */
		sc_syntax(&sc, sc.line, sc.col, "expected a JSON object: this is not a rota file "
						"(its content is not shown)");
	} else {
		sc_value(&sc, 0, 0);
		if (!sc.fatal) {
			sc_skip_space(&sc);
			if (sc.i < sc.n)
				sc_expected(&sc, "the end of the file after the JSON document", "");
		}
	}
	if (sc.bad_utf8 && !sc.oom)
		sink_add(sink, DIAG_ERROR, sc.bad_line, sc.bad_col, sc.bad_path ? sc.bad_path : "",
			 "invalid UTF-8: the byte 0x%02X is not part of a character (%zu such "
			 "byte%s in the file: is it saved as UTF-8?)",
			 sc.bad_byte, sc.bad_utf8, sc.bad_utf8 == 1 ? "" : "s");
	free(sc.keys);
	free(sc.bad_path);
	buf_release(&sc.keytext);
	buf_release(&sc.path);
	if (sc.oom || sc.keytext.failed || sc.path.failed) {
		free(sc.toks);
		return ROTA_ENOMEM;
	}
	doc->toks = sc.toks;
	doc->ntoks = sc.ntoks;
	if (sc.fatal || sc.lone_surrogate)
		return ROTA_EINPUT;

	doc->root = cJSON_ParseWithLengthOpts(doc->text + skip, len - skip, &end, 0);
	if (!doc->root) {
		/* The scanner accepts only what cJSON accepts, so this is
		 * cJSON running out of memory. */
#ifdef ROTA_FUZZING
		abort();
#endif
		return ROTA_ENOMEM;
	}
	if (cjson_count(doc->root) != doc->ntoks) {
#ifdef ROTA_FUZZING
		abort();
#endif
		sink_add(sink, DIAG_ERROR, 0, 0, "",
			 "internal error: the JSON parser and the scanner disagree");
		rc = ROTA_EINPUT;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Walking the tree: a cJSON node with its scanner record.             */

struct jv {
	const cJSON *j;
	size_t t; /* index into doc.toks */
};

static const struct jtok no_tok = { 0, 0, 1, 0, 0, 0, 0, 0 };

static const struct jtok *tok_of(const struct doc *doc, struct jv v)
{
	return v.t < doc->ntoks ? &doc->toks[v.t] : &no_tok;
}

static struct jv jv_first(struct jv v)
{
	struct jv c = { v.j ? v.j->child : NULL, v.t + 1 };

	return c;
}

static struct jv jv_next(const struct doc *doc, struct jv v)
{
	struct jv n = { v.j->next, v.t + tok_of(doc, v)->size };

	return n;
}

#define FOR_EACH(doc, parent, var) \
	for (struct jv var = jv_first(parent); var.j; var = jv_next(doc, var))

static bool jv_dup(const struct doc *doc, struct jv v)
{
	return tok_of(doc, v)->flags & JTOK_DUP;
}

/* Members or elements, duplicate keys not counted. */
static size_t jv_count(const struct doc *doc, struct jv v)
{
	size_t n = 0;

	FOR_EACH(doc, v, k)
		n += !jv_dup(doc, k);
	return n;
}

/* The raw text of a number as written in the file. */
static const char *jv_raw(const struct doc *doc, struct jv v, size_t *len)
{
	const struct jtok *t = tok_of(doc, v);

	*len = t->end > t->off ? t->end - t->off : 0;
	return doc->text + t->off;
}

static struct rota_loc loc_of(const struct doc *doc, struct jv v)
{
	struct rota_loc l = { tok_of(doc, v)->line, tok_of(doc, v)->col };

	return l;
}

static struct rota_loc key_loc_of(const struct doc *doc, struct jv v)
{
	struct rota_loc l = { tok_of(doc, v)->kline, tok_of(doc, v)->kcol };

	return l;
}

/* ------------------------------------------------------------------ */
/* The reader.                                                         */

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

static bool stopped(const struct reader *r)
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
static void error_at(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void error_at(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rvreport(r, DIAG_ERROR, true, loc_of(r->doc, v), fmt, ap);
	va_end(ap);
}

/* An error in a text (a name, an address) that nothing else depends on. */
static void soft_error_at(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void soft_error_at(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rvreport(r, DIAG_ERROR, false, loc_of(r->doc, v), fmt, ap);
	va_end(ap);
}

static void error_key(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void error_key(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rvreport(r, DIAG_ERROR, true, key_loc_of(r->doc, v), fmt, ap);
	va_end(ap);
}

static void warning_at(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warning_at(struct reader *r, struct jv v, const char *fmt, ...)
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
static void report_at(struct reader *r, enum diag_level level, struct rota_loc at,
		      const char *path, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report_at(struct reader *r, enum diag_level level, struct rota_loc at,
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
	const cJSON *j = v.j;
	size_t len;
	const char *raw;

	if (cJSON_IsString(j)) {
		buf_putc(out, '\'');
		put_sanitized(out, j->valuestring, strlen(j->valuestring), 60);
		buf_putc(out, '\'');
	} else if (cJSON_IsNumber(j)) {
		raw = jv_raw(r->doc, v, &len);
		put_sanitized(out, raw, len, 40);
	} else if (cJSON_IsObject(j)) {
		buf_puts(out, j->child ? "an object" : "an empty object");
	} else if (cJSON_IsArray(j)) {
		buf_puts(out, j->child ? "an array" : "an empty array");
	} else if (cJSON_IsTrue(j)) {
		buf_puts(out, "true");
	} else if (cJSON_IsFalse(j)) {
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

static void expected(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void expected(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vexpected(r, v, true, fmt, ap);
	va_end(ap);
}

static void soft_expected(struct reader *r, struct jv v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void soft_expected(struct reader *r, struct jv v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vexpected(r, v, false, fmt, ap);
	va_end(ap);
}

/* A copy of s for a message, made safe and cut if long. The result lives
 * until the next call with the same slot (0 or 1). */
static const char *shown(struct reader *r, const char *s, int slot)
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

static char *rdup(struct reader *r, const char *s)
{
	char *copy = xstrdup(s ? s : "");

	if (!copy)
		r->oom = true;
	return copy;
}

/* Finds member name of obj (the first one, when a key is repeated). */
static bool get_member(const struct reader *r, struct jv obj, const char *name, struct jv *out)
{
	if (!cJSON_IsObject(obj.j))
		return false;
	FOR_EACH(r->doc, obj, m) {
		if (m.j->string && !strcmp(m.j->string, name)) {
			*out = m;
			return true;
		}
	}
	return false;
}

/* Warns about every member of obj whose key is not in known. */
static void check_fields(struct reader *r, struct jv obj, const char *const *known)
{
	FOR_EACH(r->doc, obj, m) {
		const char *const *k;

		if (jv_dup(r->doc, m) || !m.j->string)
			continue;
		for (k = known; *k && strcmp(*k, m.j->string); k++)
			;
		if (!*k)
			warning_key(r, m, "unknown field '%s'", shown(r, m.j->string, 0));
		if (stopped(r))
			return;
	}
}

/* Looks up member name of obj. When present, pushes it onto the path,
 * sets *v and *mark, and returns true; the caller pops the path back to
 * *mark. When absent and required, reports it at obj. */
static bool enter(struct reader *r, struct jv obj, const char *name, bool required, struct jv *v,
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

static void leave(struct reader *r, size_t mark)
{
	path_pop(&r->path, mark);
}

static size_t enter_index(struct reader *r, size_t i)
{
	size_t mark = r->path.len;

	path_push_index(&r->path, i);
	return mark;
}

static size_t enter_key(struct reader *r, const char *key)
{
	size_t mark = r->path.len;

	path_push_key(&r->path, key, strlen(key));
	return mark;
}

/* Object and array checks: report and return false on the wrong type. */
static bool want_object(struct reader *r, struct jv v, const char *what)
{
	if (cJSON_IsObject(v.j))
		return true;
	expected(r, v, "%s", what);
	return false;
}

static bool want_array(struct reader *r, struct jv v, const char *what, bool nonempty, size_t max)
{
	size_t n;

	if (!cJSON_IsArray(v.j)) {
		expected(r, v, "%s", what);
		return false;
	}
	if (nonempty && !v.j->child) {
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

static bool valid_id(const char *s)
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

#define ID_RULE "letters a-z, digits and '-', starting with a letter or digit, at most 63 characters"

/* An id of a list item: stored even when malformed, so that references
 * to it do not cascade into more errors. Checks of the whole campaign
 * (which print ids) run only when every id is well formed. */
static bool read_id(struct reader *r, struct jv v, const char *what, char **out)
{
	if (!cJSON_IsString(v.j)) {
		expected(r, v, "%s (a string of " ID_RULE ")", what);
		return false;
	}
	free(*out);
	*out = rdup(r, v.j->valuestring);
	if (!valid_id(v.j->valuestring)) {
		expected(r, v, "%s (" ID_RULE ")", what);
		return false;
	}
	return true;
}

/* A name or other text: a non-blank string of at most MAX_TEXT_CHARS
 * characters (control characters are refused by the scanner). */
static bool read_text(struct reader *r, struct jv v, char **out)
{
	const char *s;
	bool blank = true;

	if (!cJSON_IsString(v.j)) {
		soft_expected(r, v, "a string");
		return false;
	}
	s = v.j->valuestring;
	free(*out);
	*out = rdup(r, s);
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
static bool read_email(struct reader *r, struct jv v, char **out)
{
	const char *bad;

	if (cJSON_IsString(v.j) && (bad = not_ascii(v.j->valuestring)) != NULL) {
		struct buf *b = &r->scratch[0];
		const unsigned char *p = (const unsigned char *)v.j->valuestring;
		size_t len = strlen(v.j->valuestring), at = 1;
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
	if (!cJSON_IsString(v.j) || !plausible_email(v.j->valuestring)) {
		soft_expected(r, v, "an e-mail address such as name@example.vn");
		return false;
	}
	free(*out);
	*out = rdup(r, v.j->valuestring);
	return true;
}

/* A JSON integer written without fraction or exponent, in [lo, hi]. */
static bool read_int(struct reader *r, struct jv v, long lo, long hi, int *out)
{
	const char *raw;
	size_t len, i = 0;
	long value = 0;
	bool neg = false;

	if (!cJSON_IsNumber(v.j))
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
static bool number_value(const struct reader *r, struct jv v, double *out)
{
	char tmp[MAX_NUMBER_CHARS + 1];
	const char *raw;
	size_t len;

	if (!cJSON_IsNumber(v.j))
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

static bool read_date(struct reader *r, struct jv v, int *out)
{
	const char *s = cJSON_IsString(v.j) ? v.j->valuestring : "";

	if (cJSON_IsString(v.j) && !date_parse(s, out))
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
	const char *s = cJSON_IsString(v.j) ? v.j->valuestring : "";
	size_t n = strlen(s);
	int rc = cJSON_IsString(v.j) ? date_range_parse(s, &out->first, &out->last) : -1;

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

static void read_ranges(struct reader *r, struct jv v, struct date_ranges *out)
{
	size_t i = 0;

	if (!want_array(r, v, "an array of dates and ranges", false, MAX_LIST))
		return;
	free(out->items);
	out->count = 0;
	out->items = xcalloc_array(jv_count(r->doc, v), sizeof(*out->items));
	if (!out->items) {
		r->oom = true;
		return;
	}
	FOR_EACH(r->doc, v, item) {
		size_t mark = enter_index(r, i++);

		if (read_range(r, item, &out->items[out->count]))
			out->count++;
		leave(r, mark);
	}
}

static bool read_time(struct reader *r, struct jv v, int *out)
{
	if (cJSON_IsString(v.j) && !time_parse(v.j->valuestring, out))
		return true;
	expected(r, v, "a time HH:MM from 00:00 to 24:00");
	return false;
}

static int weekday_parse(const char *s)
{
	for (int w = 0; w < 7; w++)
		if (!strcmp(s, weekday_names[w]))
			return w;
	return -1;
}

static bool read_weekday(struct reader *r, struct jv v, int *out)
{
	if (cJSON_IsString(v.j) && (*out = weekday_parse(v.j->valuestring)) >= 0)
		return true;
	expected(r, v, "a weekday (mon, tue, wed, thu, fri, sat or sun)");
	return false;
}

static bool read_slot_kind(struct reader *r, struct jv v, enum slot_kind *out)
{
	int k;

	if (cJSON_IsString(v.j) && (k = slot_kind_parse(v.j->valuestring)) >= 0) {
		*out = (enum slot_kind)k;
		return true;
	}
	expected(r, v, "a slot kind (day, evening, weekend or holiday)");
	return false;
}

/* A non-empty array of slot kinds; a repeated one is a warning. */
static void read_slot_set(struct reader *r, struct jv v, slot_set *out)
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
static int read_ref(struct reader *r, struct jv v, const char *what, bool list_ok,
		    int (*find)(const struct campaign *, const char *), const char *list)
{
	int i;

	if (!cJSON_IsString(v.j) || !v.j->valuestring[0]) {
		expected(r, v, "the id of a %s", what);
		return -1;
	}
	if (!list_ok) {
		r->broken = true;
		return -1;
	}
	i = find(r->ref, v.j->valuestring);
	if (i < 0)
		error_at(r, v, "unknown %s '%s' (not in %s)", what, shown(r, v.j->valuestring, 0),
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

static void check_unique_ids(struct reader *r, const char *list, char **ids, size_t stride,
			     size_t n)
{
	struct id_entry *e;

	if (n < 2)
		return;
	e = xcalloc_array(n, sizeof(*e));
	if (!e) {
		r->oom = true;
		return;
	}
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

/* ------------------------------------------------------------------ */
/* The sections of a campaign file.                                    */

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

/* A time zone name of the IANA form Area/Location (or UTC): the zone
 * itself is not looked up, since the machine may lack tzdata. */
static bool plausible_zone(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 64 || s[0] == '/' || s[n - 1] == '/' || strstr(s, "//"))
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr("/_+-", ch)))
			return false;
	}
	return true;
}

/* A zone of the IANA database (tz_names.h): the calendars need its offset
 * from UTC, and a name only this machine knows would make the plan depend
 * on the machine. */
static void read_zone(struct reader *r, struct jv v, char **out)
{
	struct rota_error err = { 0, "" };
	bool known = false;

	if (!cJSON_IsString(v.j) || !plausible_zone(v.j->valuestring)) {
		soft_expected(r, v, "an IANA time zone name such as Asia/Ho_Chi_Minh");
		return;
	}
	if (tz_name_known(TZ_NAMES_FILE, v.j->valuestring, &known, &err)) {
		soft_error_at(r, v, "time zone '%s' cannot be checked: %s (install the tzdata "
				    "package)", shown(r, v.j->valuestring, 0), err.message);
		return;
	}
	if (!known) {
		soft_error_at(r, v, "time zone '%s' is unknown: expected a zone of the IANA time "
				    "zone database such as Asia/Ho_Chi_Minh (as listed in %s)",
			      shown(r, v.j->valuestring, 0), TZ_NAMES_FILE);
		return;
	}
	free(*out);
	*out = rdup(r, v.j->valuestring);
}

/* A missing field that nothing else depends on. */
static bool soft_required(struct reader *r, struct jv obj, const char *name)
{
	struct jv v;

	if (get_member(r, obj, name, &v))
		return true;
	soft_error_at(r, obj, "missing field '%s'", name);
	return false;
}

/* The organizer ({name, email}, both required) or a unit's contact
 * ({name, role, email, phone}, all optional). */
static void read_person(struct reader *r, struct jv obj, struct person_ref *p, bool organizer)
{
	static const char *const organizer_fields[] = { "name", "email", NULL };
	static const char *const contact_fields[] = { "name", "role", "email", "phone", NULL };
	struct jv v;

	if (!cJSON_IsObject(obj.j)) {
		soft_expected(r, obj, organizer ? "an object {name, email}"
					       : "an object {name, role, email, phone}");
		return;
	}
	check_fields(r, obj, organizer ? organizer_fields : contact_fields);
	if (organizer) {
		soft_required(r, obj, "name");
		soft_required(r, obj, "email");
	}
	FIELD(r, obj, "name", false, v, read_text(r, v, &p->name));
	FIELD(r, obj, "email", false, v, read_email(r, v, &p->email));
	if (!organizer) {
		FIELD(r, obj, "role", false, v, read_text(r, v, &p->role));
		FIELD(r, obj, "phone", false, v, read_text(r, v, &p->phone));
	}
}

static void read_campaign_info(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "start", "end", "timezone",
					      "organizer", NULL };
	struct campaign *c = r->c;
	bool have_start = false;
	struct jv obj, v;
	size_t mark;

	if (!enter(r, root, "campaign", true, &obj, &mark))
		return;
	if (!want_object(r, obj, "an object {id, name, start, end, organizer}"))
		goto out;
	check_fields(r, obj, fields);
	FIELD(r, obj, "id", true, v, read_id(r, v, "an id", &c->id));
	FIELD(r, obj, "name", true, v, read_text(r, v, &c->name));
	FIELD(r, obj, "start", true, v, have_start = read_date(r, v, &c->start));
	FIELD(r, obj, "end", true, v, {
		if (read_date(r, v, &c->end) && have_start) {
			char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];

			date_format(c->start, first);
			date_format(c->start + MAX_CAMPAIGN_DAYS - 1, last);
			if (c->end < c->start)
				expected(r, v, "a date on or after campaign.start (%s)", first);
			else if (c->end - c->start >= MAX_CAMPAIGN_DAYS)
				expected(r, v, "a date at most three years after campaign.start "
					       "(%s at the latest)", last);
			else
				r->dates_ok = true;
		}
	});
	FIELD(r, obj, "timezone", false, v, read_zone(r, v, &c->timezone));
	if (soft_required(r, obj, "organizer"))
		FIELD(r, obj, "organizer", false, v, read_person(r, v, &c->organizer, true));
out:
	leave(r, mark);
}

static void set_window(struct slot_window *w, int start, int end, int break_start, int break_end)
{
	free(w->breaks);
	w->breaks = NULL;
	w->nbreaks = 0;
	w->start = start;
	w->end = end;
	if (break_start >= 0) {
		w->breaks = calloc(1, sizeof(*w->breaks));
		if (w->breaks) {
			w->breaks[0].start = break_start;
			w->breaks[0].end = break_end;
			w->nbreaks = 1;
		}
	}
}

static void time_text(int minutes, char out[TIME_TEXT_SIZE])
{
	time_format(minutes, out);
}

/* One break [start, end] of a slot from start to end; prev_end is where
 * the previous break ends (the slot's start for the first). */
static bool read_break(struct reader *r, struct jv v, int slot_start, int slot_end, int prev_end,
		       struct time_window *out)
{
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE], c[TIME_TEXT_SIZE];
	struct jv first, second;
	bool ok;
	size_t mark;

	if (!cJSON_IsArray(v.j) || jv_count(r->doc, v) != 2) {
		expected(r, v, "a break [\"HH:MM\", \"HH:MM\"]");
		return false;
	}
	first = jv_first(v);
	second = jv_next(r->doc, first);
	mark = enter_index(r, 0);
	ok = read_time(r, first, &out->start);
	leave(r, mark);
	mark = enter_index(r, 1);
	if (read_time(r, second, &out->end)) {
		if (ok && out->end <= out->start) {
			time_text(out->start, a);
			expected(r, second, "a time after the break's start (%s)", a);
			ok = false;
		}
	} else {
		ok = false;
	}
	leave(r, mark);
	if (!ok || slot_start < 0)
		return false;
	time_text(out->start, a);
	time_text(out->end, b);
	if (out->start < slot_start || out->end > slot_end) {
		char d[TIME_TEXT_SIZE];

		time_text(slot_start, c);
		time_text(slot_end, d);
		error_at(r, v, "expected a break inside the slot (%s-%s), found %s-%s", c, d, a, b);
		return false;
	}
	if (out->start < prev_end) {
		time_text(prev_end, c);
		error_at(r, v, "expected a break that starts at or after the previous one ends (%s), "
			       "found %s-%s", c, a, b);
		return false;
	}
	return true;
}

/* A slot window {start, end, breaks}; replaces *w whole when all is well. */
static void read_slot(struct reader *r, struct jv obj, struct slot_window *w)
{
	static const char *const fields[] = { "start", "end", "breaks", NULL };
	struct time_window *breaks = NULL;
	size_t nbreaks = 0;
	int start = -1, end = -1, working;
	bool ok = true;
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];
	struct jv v;

	if (!want_object(r, obj, "an object {start, end, breaks}"))
		return;
	check_fields(r, obj, fields);
	if (!get_member(r, obj, "start", &v) || !get_member(r, obj, "end", &v))
		ok = false;
	FIELD(r, obj, "start", true, v, {
		if (!read_time(r, v, &start))
			start = -1;
	});
	FIELD(r, obj, "end", true, v, {
		if (!read_time(r, v, &end))
			end = -1;
		else if (start >= 0 && end <= start) {
			time_text(start, a);
			expected(r, v, "a time after the slot's start (%s)", a);
			end = -1;
		}
	});
	if (start < 0 || end < 0) {
		ok = false;
		start = -1;
	}
	FIELD(r, obj, "breaks", false, v, {
		size_t i = 0;
		int prev_end = start;

		if (!want_array(r, v, "an array of breaks [\"HH:MM\", \"HH:MM\"]", false,
				MAX_BREAKS)) {
			ok = false;
		} else {
			breaks = xcalloc_array(jv_count(r->doc, v), sizeof(*breaks));
			if (!breaks)
				r->oom = true;
			FOR_EACH(r->doc, v, item) {
				size_t mark = enter_index(r, i++);

				if (breaks && read_break(r, item, start, end, prev_end,
							 &breaks[nbreaks]))
					prev_end = breaks[nbreaks++].end;
				else
					ok = false;
				leave(r, mark);
			}
		}
	});
	if (!ok || !breaks) {
		free(breaks);
		if (ok)
			set_window(w, start, end, -1, -1);
		return;
	}
	working = end - start;
	for (size_t i = 0; i < nbreaks; i++)
		working -= breaks[i].end - breaks[i].start;
	if (working <= 0) {
		time_text(start, a);
		time_text(end, b);
		error_at(r, obj, "expected a slot with working time, found breaks that cover all of "
				 "%s-%s", a, b);
		free(breaks);
		return;
	}
	free(w->breaks);
	w->start = start;
	w->end = end;
	w->breaks = breaks;
	w->nbreaks = nbreaks;
}

/* Day and evening slots both fall on workdays (weekend and holiday slots
 * share a date with no other kind): their windows must not overlap, or a
 * team could be at two sites at once. Touching windows are fine. The
 * error is at the evening slot when it is written, else at the day's. */
static void check_slots_apart(struct reader *r, struct jv slots)
{
	const struct slot_window *day = &r->c->slots[SLOT_DAY];
	const struct slot_window *evening = &r->c->slots[SLOT_EVENING];
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE], c[TIME_TEXT_SIZE], d[TIME_TEXT_SIZE];
	bool blame_evening;
	struct jv v;
	size_t mark;

	if (day->start >= evening->end || evening->start >= day->end)
		return;
	blame_evening = get_member(r, slots, "evening", &v);
	if (!enter(r, slots, blame_evening ? "evening" : "day", false, &v, &mark))
		return;
	time_text(blame_evening ? evening->start : day->start, a);
	time_text(blame_evening ? evening->end : day->end, b);
	time_text(blame_evening ? day->start : evening->start, c);
	time_text(blame_evening ? day->end : evening->end, d);
	error_at(r, v, "expected %s slot that does not overlap the %s slot (%s-%s), found "
		       "%s-%s: both fall on workdays, and a team would be at two sites at once",
		 blame_evening ? "an evening" : "a day", blame_evening ? "day" : "evening", c, d,
		 a, b);
	leave(r, mark);
}

static void read_calendar(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "workdays", "holidays", "extra_workdays", "slots",
					      NULL };
	static const char *const slot_fields[] = { "day", "evening", "weekend", "holiday", NULL };
	struct campaign *c = r->c;
	bool holiday_given = false;
	struct jv obj, v;
	size_t mark;

	c->workdays = 0x1f;
	set_window(&c->slots[SLOT_DAY], 450, 1020, 690, 810);
	set_window(&c->slots[SLOT_EVENING], 1080, 1260, -1, -1);
	set_window(&c->slots[SLOT_WEEKEND], 450, 1020, 690, 810);
	if (!c->slots[SLOT_DAY].breaks || !c->slots[SLOT_WEEKEND].breaks)
		r->oom = true;
	if (enter(r, root, "calendar", false, &obj, &mark)) {
		if (want_object(r, obj, "an object {workdays, holidays, extra_workdays, slots}")) {
			check_fields(r, obj, fields);
			FIELD(r, obj, "workdays", false, v, {
				size_t i = 0;

				if (want_array(r, v, "an array of weekdays (mon ... sun)", false, 7 * 4)) {
					c->workdays = 0;
					FOR_EACH(r->doc, v, item) {
						size_t m = enter_index(r, i++);
						int w;

						if (read_weekday(r, item, &w)) {
							if (c->workdays & (1u << w))
								warning_at(r, item, "'%s' is listed twice",
									   weekday_names[w]);
							c->workdays |= 1u << w;
						}
						leave(r, m);
					}
				}
			});
			FIELD(r, obj, "holidays", false, v, read_ranges(r, v, &c->holidays));
			FIELD(r, obj, "extra_workdays", false, v,
			      read_ranges(r, v, &c->extra_workdays));
			FIELD(r, obj, "slots", false, v, {
				if (want_object(r, v, "an object of slot kinds {day, evening, weekend, "
						      "holiday}")) {
					check_fields(r, v, slot_fields);
					for (int k = 0; k < SLOT_COUNT; k++) {
						struct jv s;

						FIELD(r, v, slot_kind_name((enum slot_kind)k), false, s,
						      read_slot(r, s, &c->slots[k]));
					}
					check_slots_apart(r, v);
					holiday_given = get_member(r, v, "holiday", &obj);
				}
			});
		}
		leave(r, mark);
	}
	if (!holiday_given) {
		const struct slot_window *we = &c->slots[SLOT_WEEKEND];
		struct slot_window *h = &c->slots[SLOT_HOLIDAY];

		free(h->breaks);
		*h = *we;
		h->breaks = NULL;
		if (we->nbreaks) {
			h->breaks = xcalloc_array(we->nbreaks, sizeof(*h->breaks));
			if (!h->breaks) {
				h->nbreaks = 0;
				r->oom = true;
			} else {
				memcpy(h->breaks, we->breaks, we->nbreaks * sizeof(*h->breaks));
			}
		}
	}
}

static void read_services(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "name", NULL };
	struct campaign *c = r->c;
	struct jv obj, v;
	size_t mark, n;

	if (!enter(r, root, "services", true, &obj, &mark))
		return;
	if (!want_object(r, obj, "an object mapping service ids to {name}"))
		goto out;
	n = jv_count(r->doc, obj);
	if (n == 0) {
		expected(r, obj, "at least one service");
		goto out;
	}
	if (n > MAX_SERVICES) {
		error_at(r, obj, "too many services: %zu, at most %d", n, MAX_SERVICES);
		goto out;
	}
	c->services = xcalloc_array(n, sizeof(*c->services));
	if (!c->services) {
		r->oom = true;
		goto out;
	}
	FOR_EACH(r->doc, obj, m) {
		struct service *s;
		size_t mk;

		if (jv_dup(r->doc, m))
			continue;
		s = &c->services[c->nservices++];
		s->id = rdup(r, m.j->string);
		s->loc = key_loc_of(r->doc, m);
		mk = enter_key(r, m.j->string);
		if (!valid_id(m.j->string))
			error_key(r, m, "expected a service id (" ID_RULE "), found '%s'",
					  shown(r, m.j->string, 0));
		if (want_object(r, m, "an object {name}")) {
			check_fields(r, m, fields);
			FIELD(r, m, "name", true, v, read_text(r, v, &s->name));
		}
		leave(r, mk);
	}
	r->have_services = true;
out:
	leave(r, mark);
}

static int parse_name(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static void read_sites(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "kind", "commune", "slots", "closed",
					      "address", NULL };
	static const char *const kinds[] = { "station", "hall", "school", "workplace" };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;

	if (!enter(r, root, "sites", true, &list, &mark))
		return;
	if (!want_array(r, list, "an array of sites", true, MAX_SITES))
		goto out;
	n = jv_count(r->doc, list);
	c->sites = xcalloc_array(n, sizeof(*c->sites));
	r->site_commune = xcalloc_array(n, sizeof(*r->site_commune));
	free(r->id_locs);
	r->id_locs = xcalloc_array(n, sizeof(*r->id_locs));
	c->travel = xcalloc_array(n * n, sizeof(*c->travel));
	if (!c->sites || !r->site_commune || !r->id_locs || !c->travel) {
		r->oom = true;
		goto out;
	}
	for (size_t k = 0; k < n * n; k++)
		c->travel[k] = k / n == k % n ? 0 : -1;
	FOR_EACH(r->doc, list, item) {
		struct site *s = &c->sites[c->nsites++];
		size_t mk = enter_index(r, i++);

		s->commune = -1;
		s->slots = SLOT_ALL;
		s->loc = loc_of(r->doc, item);
		s->id = rdup(r, "");
		if (want_object(r, item, "a site {id, name, kind}") && !stopped(r)) {
			check_fields(r, item, fields);
			FIELD(r, item, "id", true, v, {
				r->id_locs[i - 1] = loc_of(r->doc, v);
				if (read_id(r, v, "a site id", &s->id) &&
				    (!strcmp(s->id, "own") || !strcmp(s->id, "station")))
					expected(r, v, "a site id other than the reserved 'own' and "
						       "'station'");
			});
			FIELD(r, item, "name", true, v, read_text(r, v, &s->name));
			FIELD(r, item, "kind", true, v, {
				int k = cJSON_IsString(v.j) ? parse_name(v.j->valuestring, kinds, 4)
							    : -1;

				if (k < 0)
					expected(r, v, "a site kind (station, hall, school or "
						       "workplace)");
				else
					s->kind = (enum site_kind)k;
			});
			FIELD(r, item, "commune", false, v,
			      read_id(r, v, "a commune slug", &r->site_commune[i - 1]));
			FIELD(r, item, "slots", false, v, read_slot_set(r, v, &s->slots));
			FIELD(r, item, "closed", false, v, read_ranges(r, v, &s->closed));
			FIELD(r, item, "address", false, v, read_text(r, v, &s->address));
		}
		leave(r, mk);
	}
	check_unique_ids(r, "sites", &c->sites[0].id, sizeof(*c->sites), c->nsites);
	r->have_sites = true;
out:
	leave(r, mark);
}

static void read_travel(struct reader *r, struct jv root)
{
	struct campaign *c = r->c;
	struct jv list;
	size_t mark, i = 0;

	if (!enter(r, root, "travel", false, &list, &mark))
		return;
	if (!want_array(r, list, "an array of [site, site, minutes]", false, (size_t)MAX_LIST * 20))
		goto out;
	FOR_EACH(r->doc, list, item) {
		size_t mk = enter_index(r, i++), m2;
		struct jv a, b, minutes;
		int sa, sb, value = -1;

		if (stopped(r)) {
			leave(r, mk);
			break;
		}
		if (!cJSON_IsArray(item.j) || jv_count(r->doc, item) != 3) {
			if (cJSON_IsArray(item.j))
				error_at(r, item, "expected [site, site, minutes], found an array of "
						  "%zu elements", jv_count(r->doc, item));
			else
				expected(r, item, "[site, site, minutes]");
			leave(r, mk);
			continue;
		}
		a = jv_first(item);
		b = jv_next(r->doc, a);
		minutes = jv_next(r->doc, b);
		m2 = enter_index(r, 0);
		sa = read_ref(r, a, "site", r->have_sites, campaign_find_site, "sites");
		leave(r, m2);
		m2 = enter_index(r, 1);
		sb = read_ref(r, b, "site", r->have_sites, campaign_find_site, "sites");
		if (sa >= 0 && sa == sb) {
			expected(r, b, "a site other than the first");
			sb = -1;
		}
		leave(r, m2);
		m2 = enter_index(r, 2);
		read_int(r, minutes, 0, MAX_MINUTES, &value);
		leave(r, m2);
		if (sa < 0 || sb < 0 || value < 0 || !c->travel) {
			leave(r, mk);
			continue;
		}
		if (c->travel[(size_t)sa * c->nsites + (size_t)sb] >= 0) {
			/* Find the first entry for the pair; duplicates are rare and
			 * the error cap bounds how often this runs. */
			FOR_EACH(r->doc, list, prev) {
				struct jv pa, pb;

				if (prev.t == item.t)
					break;
				if (!cJSON_IsArray(prev.j) || jv_count(r->doc, prev) != 3)
					continue;
				pa = jv_first(prev);
				pb = jv_next(r->doc, pa);
				if (!cJSON_IsString(pa.j) || !cJSON_IsString(pb.j))
					continue;
				if ((!strcmp(pa.j->valuestring, c->sites[sa].id) &&
				     !strcmp(pb.j->valuestring, c->sites[sb].id)) ||
				    (!strcmp(pa.j->valuestring, c->sites[sb].id) &&
				     !strcmp(pb.j->valuestring, c->sites[sa].id))) {
					error_at(r, item, "duplicate entry for the sites '%s' and '%s' "
							  "(first at %d:%d)",
						 shown(r, c->sites[sa].id, 0), shown(r, c->sites[sb].id, 1),
						 loc_of(r->doc, prev).line, loc_of(r->doc, prev).col);
					break;
				}
			}
		} else {
			c->travel[(size_t)sa * c->nsites + (size_t)sb] = value;
			c->travel[(size_t)sb * c->nsites + (size_t)sa] = value;
		}
		leave(r, mk);
	}
out:
	leave(r, mark);
}

static void read_groups(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "priority", "deadline", "from",
					      "slots", "at", "turnout", NULL };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;

	if (!enter(r, root, "groups", true, &list, &mark))
		return;
	if (!want_array(r, list, "an array of groups", true, MAX_GROUPS))
		goto out;
	n = jv_count(r->doc, list);
	c->groups = xcalloc_array(n, sizeof(*c->groups));
	free(r->id_locs);
	r->id_locs = xcalloc_array(n, sizeof(*r->id_locs));
	if (!c->groups || !r->id_locs) {
		r->oom = true;
		goto out;
	}
	FOR_EACH(r->doc, list, item) {
		struct group *g = &c->groups[c->ngroups++];
		size_t mk = enter_index(r, i++);
		struct jv deadline_v = { NULL, 0 }, from_v = { NULL, 0 };
		bool deadline_ok = false, from_ok = false;

		g->id = rdup(r, "");
		g->priority = 1;
		g->deadline = c->end;
		g->from = c->start;
		g->slots = SLOT_ALL;
		g->at_own = g->at_station = true;
		g->turnout = 1.0;
		g->loc = loc_of(r->doc, item);
		if (!want_object(r, item, "a group {id, name, priority}") || stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, item, fields);
		FIELD(r, item, "id", true, v, {
			r->id_locs[i - 1] = loc_of(r->doc, v);
			read_id(r, v, "a group id", &g->id);
		});
		FIELD(r, item, "name", true, v, read_text(r, v, &g->name));
		FIELD(r, item, "priority", true, v, read_int(r, v, 1, MAX_PRIORITY, &g->priority));
		FIELD(r, item, "deadline", false, v, {
			deadline_v = v;
			deadline_ok = read_date(r, v, &g->deadline);
		});
		FIELD(r, item, "from", false, v, {
			from_v = v;
			from_ok = read_date(r, v, &g->from);
		});
		FIELD(r, item, "slots", false, v, read_slot_set(r, v, &g->slots));
		FIELD(r, item, "at", false, v, {
			size_t k = 0;

			if (want_array(r, v, "an array of 'own', 'station' and site ids", true,
				       MAX_SITES + 2)) {
				g->at_own = g->at_station = false;
				g->at_sites = xcalloc_array(jv_count(r->doc, v), sizeof(*g->at_sites));
				if (!g->at_sites)
					r->oom = true;
				FOR_EACH(r->doc, v, place) {
					size_t m2 = enter_index(r, k++);
					const char *s = cJSON_IsString(place.j) ? place.j->valuestring : NULL;
					bool twice = false;
					int site;

					if (s && !strcmp(s, "own")) {
						twice = g->at_own;
						g->at_own = true;
					} else if (s && !strcmp(s, "station")) {
						twice = g->at_station;
						g->at_station = true;
					} else if (!s) {
						expected(r, place, "'own', 'station' or a site id");
					} else if ((site = read_ref(r, place, "site", r->have_sites,
								    campaign_find_site, "sites")) >= 0 &&
						   g->at_sites) {
						for (size_t q = 0; q < g->nat_sites; q++)
							twice |= g->at_sites[q] == (size_t)site;
						if (!twice)
							g->at_sites[g->nat_sites++] = (size_t)site;
					}
					if (twice)
						warning_at(r, place, "'%s' is listed twice", shown(r, s, 0));
					leave(r, m2);
				}
			}
		});
		FIELD(r, item, "turnout", false, v, {
			double t;

			if (number_value(r, v, &t) && t > 0.0 && t <= 1.0)
				g->turnout = t;
			else
				expected(r, v, "a number greater than 0 and at most 1");
		});
		if (r->dates_ok) {
			char d1[DATE_TEXT_SIZE], d2[DATE_TEXT_SIZE];
			size_t m2;

			if (from_ok && (deadline_ok || !deadline_v.j) && g->from > g->deadline) {
				m2 = enter_key(r, "from");
				date_format(g->deadline, d1);
				expected(r, from_v, "a date on or before the group's deadline (%s)", d1);
				leave(r, m2);
				from_ok = false;
			} else if (from_ok && (g->from < c->start || g->from > c->end)) {
				m2 = enter_key(r, "from");
				date_format(g->from < c->start ? c->start : c->end, d1);
				if (g->from < c->start)
					warning_at(r, from_v, "the campaign starts later (%s): people "
							      "are invited from then on", d1);
				else
					warning_at(r, from_v, "the campaign ends earlier (%s): these "
							      "people can never be invited", d1);
				leave(r, m2);
			}
			if (deadline_ok && (g->deadline < c->start || g->deadline > c->end)) {
				m2 = enter_key(r, "deadline");
				date_format(c->start, d1);
				date_format(c->end, d2);
				if (g->deadline < c->start)
					warning_at(r, deadline_v, "the deadline is before the campaign "
								  "starts (%s): it cannot be met", d1);
				else
					warning_at(r, deadline_v, "the deadline is after the campaign "
								  "ends (%s): the campaign's end comes "
								  "first", d2);
				leave(r, m2);
			}
		}
		leave(r, mk);
	}
	check_unique_ids(r, "groups", &c->groups[0].id, sizeof(*c->groups), c->ngroups);
	r->have_groups = true;
out:
	leave(r, mark);
}

static void read_demand(struct reader *r, struct jv list, struct unit *u, int *first_row)
{
	static const char *const fields[] = { "group", "service", "count", NULL };
	struct campaign *c = r->c;
	size_t i = 0;

	u->demand = xcalloc_array(jv_count(r->doc, list), sizeof(*u->demand));
	if (!u->demand) {
		r->oom = true;
		return;
	}
	FOR_EACH(r->doc, list, row) {
		size_t mk = enter_index(r, i++);
		int group = -1, service = -1, count = -1;
		struct jv v;

		if (!want_object(r, row, "a demand row {group, service, count}") || stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, row, fields);
		FIELD(r, row, "group", true, v,
		      group = read_ref(r, v, "group", r->have_groups, campaign_find_group, "groups"));
		FIELD(r, row, "service", true, v,
		      service = read_ref(r, v, "service", r->have_services, campaign_find_service,
					 "services"));
		FIELD(r, row, "count", true, v, {
			if (!read_int(r, v, 0, MAX_COUNT, &count))
				count = -1;
		});
		if (group >= 0 && service >= 0 && first_row) {
			int *first = &first_row[(size_t)group * c->nservices + (size_t)service];

			if (*first > 0) {
				const struct rota_loc *at = &u->demand[*first - 1].loc;

				error_at(r, row, "duplicate row for group '%s' and service '%s' (first "
						 "at %d:%d)",
					 shown(r, c->groups[group].id, 0),
					 shown(r, c->services[service].id, 1), at->line, at->col);
				count = -1;
			} else if (count >= 0) {
				*first = (int)u->ndemand + 1;
			}
		}
		if (group >= 0 && service >= 0 && count >= 0) {
			struct demand *d = &u->demand[u->ndemand++];

			d->group = (size_t)group;
			d->service = (size_t)service;
			d->count = count;
			d->loc = loc_of(r->doc, row);
		}
		leave(r, mk);
	}
	/* Clean the table for the next unit. */
	for (size_t k = 0; first_row && k < u->ndemand; k++)
		first_row[u->demand[k].group * c->nservices + u->demand[k].service] = 0;
}

static void read_units(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "kind", "site", "commune", "contact",
					      "demand", NULL };
	static const char *const kinds[] = { "village", "school", "workplace" };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;
	int *first_row = NULL;

	if (!enter(r, root, "units", true, &list, &mark))
		return;
	if (!want_array(r, list, "an array of units", true, MAX_UNITS))
		goto out;
	n = jv_count(r->doc, list);
	c->units = xcalloc_array(n, sizeof(*c->units));
	r->unit_commune = xcalloc_array(n, sizeof(*r->unit_commune));
	free(r->id_locs);
	r->id_locs = xcalloc_array(n, sizeof(*r->id_locs));
	first_row = xcalloc_array(c->ngroups * c->nservices, sizeof(*first_row));
	if (!c->units || !r->unit_commune || !r->id_locs || !first_row) {
		r->oom = true;
		goto out;
	}
	FOR_EACH(r->doc, list, item) {
		struct unit *u = &c->units[c->nunits++];
		size_t mk = enter_index(r, i++);

		u->id = rdup(r, "");
		u->commune = -1;
		u->loc = loc_of(r->doc, item);
		if (!want_object(r, item, "a unit {id, name, kind, site, demand}") || stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, item, fields);
		FIELD(r, item, "id", true, v, {
			r->id_locs[i - 1] = loc_of(r->doc, v);
			read_id(r, v, "a unit id", &u->id);
		});
		FIELD(r, item, "name", true, v, read_text(r, v, &u->name));
		FIELD(r, item, "kind", true, v, {
			int k = cJSON_IsString(v.j) ? parse_name(v.j->valuestring, kinds, 3) : -1;

			if (k < 0)
				expected(r, v, "a unit kind (village, school or workplace)");
			else
				u->kind = (enum unit_kind)k;
		});
		FIELD(r, item, "site", true, v, {
			int s = read_ref(r, v, "site", r->have_sites, campaign_find_site, "sites");

			if (s >= 0)
				u->site = (size_t)s;
		});
		FIELD(r, item, "commune", false, v,
		      read_id(r, v, "a commune slug", &r->unit_commune[i - 1]));
		FIELD(r, item, "contact", false, v, {
			u->has_contact = true;
			read_person(r, v, &u->contact, false);
		});
		FIELD(r, item, "demand", true, v, {
			if (want_array(r, v, "an array of demand rows {group, service, count}", false,
				       MAX_LIST))
				read_demand(r, v, u, first_row);
		});
		leave(r, mk);
	}
	check_unique_ids(r, "units", &c->units[0].id, sizeof(*c->units), c->nunits);
out:
	free(first_row);
	leave(r, mark);
}

static void read_capacity(struct reader *r, struct jv obj, struct team *t)
{
	struct campaign *c = r->c;

	if (!want_object(r, obj, "an object mapping service ids to people per day slot"))
		return;
	if (!obj.j->child) {
		expected(r, obj, "at least one service");
		return;
	}
	FOR_EACH(r->doc, obj, m) {
		size_t mk;
		int s, n;

		if (jv_dup(r->doc, m))
			continue;
		mk = enter_key(r, m.j->string);
		s = r->have_services ? campaign_find_service(c, m.j->string) : -1;
		if (s < 0 && r->have_services)
			error_key(r, m, "unknown service '%s' (not in services)",
				  shown(r, m.j->string, 0));
		else if (s < 0)
			r->broken = true;
		if (read_int(r, m, 1, MAX_CAPACITY, &n) && s >= 0 && t->capacity)
			t->capacity[s] = n;
		leave(r, mk);
	}
}

static void read_teams(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "id", "name", "base", "capacity", "slots",
					      "officers", "communes", "max_extra_per_week",
					      "unavailable", "email", NULL };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;

	if (!enter(r, root, "teams", true, &list, &mark))
		return;
	if (!want_array(r, list, "an array of teams", true, MAX_TEAMS))
		goto out;
	n = jv_count(r->doc, list);
	c->teams = xcalloc_array(n, sizeof(*c->teams));
	r->team_communes = xcalloc_array(n, sizeof(*r->team_communes));
	free(r->id_locs);
	r->id_locs = xcalloc_array(n, sizeof(*r->id_locs));
	if (!c->teams || !r->team_communes || !r->id_locs) {
		r->oom = true;
		goto out;
	}
	FOR_EACH(r->doc, list, item) {
		struct team *t = &c->teams[c->nteams++];
		size_t mk = enter_index(r, i++);

		t->id = rdup(r, "");
		t->slots = SLOT_BIT(SLOT_DAY);
		t->officers = 2;
		t->all_communes = true;
		t->loc = loc_of(r->doc, item);
		t->capacity = xcalloc_array(c->nservices, sizeof(*t->capacity));
		if (!t->capacity)
			r->oom = true;
		if (!want_object(r, item, "a team {id, name, base, capacity}") || stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, item, fields);
		FIELD(r, item, "id", true, v, {
			r->id_locs[i - 1] = loc_of(r->doc, v);
			read_id(r, v, "a team id", &t->id);
		});
		FIELD(r, item, "name", true, v, read_text(r, v, &t->name));
		FIELD(r, item, "base", true, v, {
			int s = read_ref(r, v, "site", r->have_sites, campaign_find_site, "sites");

			if (s >= 0)
				t->base = (size_t)s;
		});
		FIELD(r, item, "capacity", true, v, read_capacity(r, v, t));
		FIELD(r, item, "slots", false, v, read_slot_set(r, v, &t->slots));
		FIELD(r, item, "officers", false, v, read_int(r, v, 1, MAX_OFFICERS, &t->officers));
		FIELD(r, item, "communes", false, v, {
			if (want_array(r, v, "an array of commune slugs", false, MAX_LIST)) {
				t->all_communes = false;
				r->team_communes[i - 1] = v;
			}
		});
		FIELD(r, item, "max_extra_per_week", false, v,
		      read_int(r, v, 0, MAX_EXTRA_PER_WEEK, &t->max_extra_per_week));
		FIELD(r, item, "unavailable", false, v, read_ranges(r, v, &t->unavailable));
		FIELD(r, item, "email", false, v, read_email(r, v, &t->email));
		leave(r, mk);
	}
	check_unique_ids(r, "teams", &c->teams[0].id, sizeof(*c->teams), c->nteams);
	r->have_teams = true;
out:
	leave(r, mark);
}

static void read_fixed(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "team", "site", "slot", "date", "weekday", "from",
					      "to", NULL };
	struct campaign *c = r->c;
	struct jv list, v;
	size_t mark, n, i = 0;

	if (!enter(r, root, "fixed", false, &list, &mark))
		return;
	if (!want_array(r, list, "an array of fixed sessions", false, MAX_FIXED))
		goto out;
	n = jv_count(r->doc, list);
	c->fixed = xcalloc_array(n, sizeof(*c->fixed));
	r->fixed_at = xcalloc_array(n, sizeof(*r->fixed_at));
	if (!c->fixed || !r->fixed_at) {
		r->oom = true;
		goto out;
	}
	FOR_EACH(r->doc, list, item) {
		struct fixed_session *f = &c->fixed[c->nfixed];
		struct fixed_places *at = &r->fixed_at[c->nfixed++];
		size_t mk = enter_index(r, i++);
		bool has_date, has_weekday, from_ok = true;
		int team, site;

		f->loc = loc_of(r->doc, item);
		if (!want_object(r, item, "a fixed session {team, site, slot, date} or {team, site, "
					  "slot, weekday, from, to}") ||
		    stopped(r)) {
			leave(r, mk);
			continue;
		}
		check_fields(r, item, fields);
		/* Every problem below is an error that stops the checks of
		 * the whole campaign, which alone use what is read here. */
		FIELD(r, item, "team", true, v, {
			at->team = loc_of(r->doc, v);
			team = read_ref(r, v, "team", r->have_teams, campaign_find_team, "teams");
			f->team = team >= 0 ? (size_t)team : 0;
		});
		FIELD(r, item, "site", true, v, {
			at->site = loc_of(r->doc, v);
			site = read_ref(r, v, "site", r->have_sites, campaign_find_site, "sites");
			f->site = site >= 0 ? (size_t)site : 0;
		});
		FIELD(r, item, "slot", true, v, {
			at->slot = loc_of(r->doc, v);
			read_slot_kind(r, v, &f->slot);
		});
		has_date = get_member(r, item, "date", &v);
		has_weekday = get_member(r, item, "weekday", &v);
		if (has_date && has_weekday) {
			error_at(r, item, "expected either 'date' or 'weekday' (a weekly session), "
					  "found both");
		} else if (!has_date && !has_weekday) {
			error_at(r, item, "missing field 'date' (or 'weekday', for a weekly session)");
		}
		f->weekly = has_weekday && !has_date;
		FIELD(r, item, "date", false, v, {
			at->date = loc_of(r->doc, v);
			read_date(r, v, &f->date);
		});
		FIELD(r, item, "weekday", false, v, {
			if (!has_date)
				at->date = loc_of(r->doc, v);
			read_weekday(r, v, &f->weekday);
		});
		f->from = c->start;
		f->to = c->end;
		FIELD(r, item, "from", false, v, {
			if (!f->weekly)
				error_at(r, v, "expected no 'from' in a session with a 'date' ('from' "
					       "and 'to' are for weekly sessions)");
			else
				from_ok = read_date(r, v, &f->from);
		});
		FIELD(r, item, "to", false, v, {
			if (!f->weekly) {
				error_at(r, v, "expected no 'to' in a session with a 'date' ('from' "
					       "and 'to' are for weekly sessions)");
			} else if (read_date(r, v, &f->to) && from_ok && f->to < f->from) {
				char d[DATE_TEXT_SIZE];

				date_format(f->from, d);
				expected(r, v, "a date on or after 'from' (%s)", d);
			}
		});
		leave(r, mk);
	}
out:
	leave(r, mark);
}

static int str_ptr_cmp(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static int find_commune(const struct campaign *c, const char *slug)
{
	char *const *hit;

	if (!c->ncommunes)
		return -1;
	hit = bsearch(&slug, c->communes, c->ncommunes, sizeof(*c->communes), str_ptr_cmp);
	return hit ? (int)(hit - c->communes) : -1;
}

/* Collects the communes named by sites and units, gives every site, unit
 * and team its commune indices, and checks the teams' communes. */
static void index_communes(struct reader *r)
{
	struct campaign *c = r->c;
	size_t n = 0, kept = 0;
	char **all;

	all = xcalloc_array(c->nsites + c->nunits, sizeof(*all));
	if (!all) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; r->site_commune && i < c->nsites; i++)
		if (r->site_commune[i])
			all[n++] = r->site_commune[i];
	for (size_t i = 0; r->unit_commune && i < c->nunits; i++)
		if (r->unit_commune[i])
			all[n++] = r->unit_commune[i];
	qsort(all, n, sizeof(*all), str_ptr_cmp);
	c->communes = xcalloc_array(n, sizeof(*c->communes));
	if (!c->communes) {
		free(all);
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (kept && !strcmp(c->communes[kept - 1], all[i]))
			continue;
		c->communes[kept] = rdup(r, all[i]);
		if (!c->communes[kept])
			break;
		kept++;
	}
	c->ncommunes = kept;
	free(all);
	if (r->oom)
		return;

	for (size_t i = 0; r->site_commune && i < c->nsites; i++)
		if (r->site_commune[i])
			c->sites[i].commune = find_commune(c, r->site_commune[i]);
	for (size_t i = 0; r->unit_commune && i < c->nunits; i++) {
		struct unit *u = &c->units[i];

		if (r->unit_commune[i])
			u->commune = find_commune(c, r->unit_commune[i]);
		else if (u->site < c->nsites)
			u->commune = c->sites[u->site].commune;
	}
	for (size_t t = 0; r->team_communes && t < c->nteams && !stopped(r); t++) {
		struct team *team = &c->teams[t];
		struct jv list = r->team_communes[t];
		size_t mark, k = 0;

		if (!list.j)
			continue;
		team->communes = xcalloc_array(jv_count(r->doc, list), sizeof(*team->communes));
		if (!team->communes) {
			r->oom = true;
			return;
		}
		mark = r->path.len;
		buf_printf(&r->path, "teams[%zu].communes", t);
		FOR_EACH(r->doc, list, item) {
			size_t m2 = enter_index(r, k++);
			char *slug = NULL;
			int idx;

			if (read_id(r, item, "a commune slug", &slug)) {
				idx = find_commune(c, slug);
				if (idx < 0) {
					error_at(r, item, "unknown commune '%s' (no site or unit is in it)",
						 shown(r, slug, 0));
				} else {
					bool twice = false;

					for (size_t q = 0; q < team->ncommunes; q++)
						twice |= team->communes[q] == idx;
					if (twice)
						warning_at(r, item, "'%s' is listed twice", shown(r, slug, 0));
					else
						team->communes[team->ncommunes++] = idx;
				}
			}
			free(slug);
			leave(r, m2);
		}
		path_pop(&r->path, mark);
	}
}

/* ------------------------------------------------------------------ */
/* Checks of the whole campaign, after campaign_finalize().            */

/* Day bitmaps, so that "is there a date on which..." costs a few words. */
struct model {
	const struct campaign *c;
	size_t words;         /* 64-day words per bitmap */
	uint64_t *team_days;  /* [team][kind]: the slot exists and the team is available */
	uint64_t *site_open;  /* [site]: not closed */
	int *latest;          /* [site][service][kind]: last day index a session is
			       * possible by a team offering the service; -1 none,
			       * -2 not computed yet */
	size_t *adj_start;    /* travel neighbours of each site, CSR */
	size_t *adj;
};

static void model_release(struct model *m)
{
	free(m->team_days);
	free(m->site_open);
	free(m->latest);
	free(m->adj_start);
	free(m->adj);
}

/* Sets out[i] for each day i of the campaign inside one of the ranges. */
static void ranges_days(const struct campaign *c, const struct date_ranges *rg, int *diff,
			bool *out)
{
	memset(diff, 0, ((size_t)c->ndays + 1) * sizeof(*diff));
	for (size_t i = 0; i < rg->count; i++) {
		int a = rg->items[i].first, b = rg->items[i].last;

		if (b < c->start || a > c->end)
			continue;
		diff[(a < c->start ? c->start : a) - c->start]++;
		diff[(b > c->end ? c->end : b) - c->start + 1]--;
	}
	for (int i = 0, run = 0; i < c->ndays; i++) {
		run += diff[i];
		out[i] = run > 0;
	}
}

static int model_init(struct model *m, const struct campaign *c)
{
	size_t n = c->nsites, edges = 0;
	int *diff = NULL;
	bool *in = NULL;
	int rc = ROTA_ENOMEM;

	memset(m, 0, sizeof(*m));
	m->c = c;
	m->words = ((size_t)c->ndays + 63) / 64;
	m->team_days = xcalloc_array(c->nteams * SLOT_COUNT * m->words, sizeof(uint64_t));
	m->site_open = xcalloc_array(n * m->words, sizeof(uint64_t));
	m->latest = xcalloc_array(n * c->nservices * SLOT_COUNT, sizeof(int));
	m->adj_start = xcalloc_array(n + 1, sizeof(size_t));
	diff = xcalloc_array((size_t)c->ndays + 1, sizeof(*diff));
	in = xcalloc_array((size_t)c->ndays + 1, sizeof(*in));
	if (!m->team_days || !m->site_open || !m->latest || !m->adj_start || !diff || !in)
		goto out;
	for (size_t i = 0; i < n * c->nservices * SLOT_COUNT; i++)
		m->latest[i] = -2;
	for (size_t t = 0; t < c->nteams; t++) {
		ranges_days(c, &c->teams[t].unavailable, diff, in);
		for (int d = 0; d < c->ndays; d++)
			for (int k = 0; k < SLOT_COUNT && !in[d]; k++)
				if (c->day_slots[d] & SLOT_BIT(k))
					m->team_days[(t * SLOT_COUNT + (size_t)k) * m->words +
						     (size_t)d / 64] |= (uint64_t)1 << (d % 64);
	}
	for (size_t s = 0; s < n; s++) {
		ranges_days(c, &c->sites[s].closed, diff, in);
		for (int d = 0; d < c->ndays; d++)
			if (!in[d])
				m->site_open[s * m->words + (size_t)d / 64] |= (uint64_t)1 << (d % 64);
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			edges += a != b && c->travel[a * n + b] >= 0;
	m->adj = xcalloc_array(edges, sizeof(size_t));
	if (!m->adj)
		goto out;
	for (size_t a = 0, e = 0; a < n; a++) {
		m->adj_start[a] = e;
		for (size_t b = 0; b < n; b++)
			if (a != b && c->travel[a * n + b] >= 0)
				m->adj[e++] = b;
		m->adj_start[a + 1] = e;
	}
	rc = ROTA_OK;
out:
	free(diff);
	free(in);
	return rc;
}

/* The last day index on which team can hold a session at site in kind
 * (session_possible()), or -1. */
static int latest_session(const struct model *m, size_t team, size_t site, enum slot_kind kind)
{
	const struct campaign *c = m->c;
	const uint64_t *td = &m->team_days[(team * SLOT_COUNT + kind) * m->words];
	const uint64_t *so = &m->site_open[site * m->words];

	if (!(c->teams[team].slots & SLOT_BIT(kind)) || !(c->sites[site].slots & SLOT_BIT(kind)) ||
	    session_capacity_share(c, team, site, kind) <= 0.0)
		return -1;
	for (size_t w = m->words; w-- > 0;) {
		uint64_t x = td[w] & so[w];

		for (int b = 63; x && b >= 0; b--)
			if ((x >> b) & 1u)
				return (int)(w * 64 + (size_t)b);
	}
	return -1;
}

/* The last day index on which some team offering service can hold a
 * session at site in kind, or -1. */
static int latest_for_service(struct model *m, size_t site, size_t service, enum slot_kind kind)
{
	const struct campaign *c = m->c;
	int *cache = &m->latest[(site * c->nservices + service) * SLOT_COUNT + kind];

	if (*cache == -2) {
		*cache = -1;
		for (size_t t = 0; t < c->nteams; t++) {
			int d;

			if (c->teams[t].capacity[service] <= 0)
				continue;
			d = latest_session(m, t, site, kind);
			if (d > *cache)
				*cache = d;
		}
	}
	return *cache;
}

static void slot_list(struct buf *b, slot_set set, const char *conj)
{
	int n = 0, total = 0;

	for (int k = 0; k < SLOT_COUNT; k++)
		total += (set >> k) & 1;
	for (int k = 0; k < SLOT_COUNT; k++) {
		if (!((set >> k) & 1))
			continue;
		if (n)
			buf_puts(b, n == total - 1 ? conj : ", ");
		buf_printf(b, "'%s'", slot_kind_name((enum slot_kind)k));
		n++;
	}
}

/* Whether some team can bring a session to the people of demand row j of
 * unit u; fills allowed[] with the sites they may use. */
static bool row_reachable(struct model *m, size_t u, size_t j, size_t *allowed, size_t *nallowed)
{
	const struct campaign *c = m->c;
	const struct unit *unit = &c->units[u];
	const struct demand *d = &unit->demand[j];
	const struct group *g = &c->groups[d->group];
	int from = (g->from > c->start ? g->from : c->start) - c->start;
	size_t first = m->adj_start[unit->site], last = m->adj_start[unit->site + 1];

	*nallowed = 0;
	for (size_t e = first; e <= last; e++) {
		/* The unit's own site first, then those it reaches. */
		size_t s = e == first ? unit->site : m->adj[e - 1];

		if (group_may_use_site(c, u, d->group, s))
			allowed[(*nallowed)++] = s;
	}
	for (size_t i = 0; i < *nallowed; i++)
		for (int k = 0; k < SLOT_COUNT; k++)
			if ((g->slots & SLOT_BIT(k)) &&
			    latest_for_service(m, allowed[i], d->service, (enum slot_kind)k) >= from)
				return true;
	return false;
}

static void explain_row(struct model *m, size_t u, size_t j, const size_t *allowed,
			size_t nallowed, struct buf *msg)
{
	const struct campaign *c = m->c;
	const struct unit *unit = &c->units[u];
	const struct demand *d = &unit->demand[j];
	const struct group *g = &c->groups[d->group];
	char day[DATE_TEXT_SIZE];

	if (!nallowed) {
		buf_printf(msg, "no site for these people: the 'at' of group '%s' allows no site "
				"that unit '%s' reaches from its site '%s'",
			   g->id, unit->id, c->sites[unit->site].id);
		return;
	}
	date_format(g->from > c->start ? g->from : c->start, day);
	buf_printf(msg, "no team can bring a session to these people: no team that offers '%s' "
			"can hold one in slot ",
		   c->services[d->service].id);
	slot_list(msg, g->slots, " or ");
	buf_puts(msg, " at ");
	for (size_t i = 0; i < nallowed && i < 3; i++)
		buf_printf(msg, "%s'%s'", i == 0 ? "" : i + 1 == nallowed ? " or " : ", ",
			   c->sites[allowed[i]].id);
	if (nallowed > 3)
		buf_printf(msg, " or %zu other site%s", nallowed - 3, nallowed == 4 ? "" : "s");
	buf_printf(msg, " on or after %s", day);
}

/* Demand that no team can bring a session to (rules 1-6). One mistake
 * (a group's slots, a team's) can strand many rows: each group and
 * service gets at most four messages. */
static void check_demand(struct reader *r, struct model *m)
{
	const struct campaign *c = r->c;
	size_t keys = c->ngroups * c->nservices;
	size_t *allowed = xcalloc_array(c->nsites, sizeof(*allowed));
	size_t *unreached = xcalloc_array(keys, sizeof(*unreached));
	size_t *fourth = xcalloc_array(keys * 2, sizeof(*fourth));
	bool *offered = xcalloc_array(c->nservices, sizeof(*offered));
	size_t *needed = xcalloc_array(c->nservices, sizeof(*needed));
	struct buf path, msg;

	buf_init(&path);
	buf_init(&msg);
	if (!allowed || !unreached || !fourth || !offered || !needed) {
		r->oom = true;
		goto out;
	}
	for (size_t t = 0; t < c->nteams; t++)
		for (size_t v = 0; v < c->nservices; v++)
			offered[v] |= c->teams[t].capacity[v] > 0;
	/* A service that no team offers is one mistake: say it once. */
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t j = 0; j < c->units[u].ndemand; j++)
			if (c->units[u].demand[j].count > 0)
				needed[c->units[u].demand[j].service]++;
	for (size_t v = 0; v < c->nservices; v++) {
		if (offered[v] || !needed[v])
			continue;
		path_pop(&path, 0);
		path_push_key(&path, "services", 8);
		path_push_key(&path, c->services[v].id, strlen(c->services[v].id));
		report_at(r, DIAG_ERROR, c->services[v].loc, buf_str(&path),
			  "no team offers this service, but %zu demand row%s need%s it", needed[v],
			  needed[v] == 1 ? "" : "s", needed[v] == 1 ? "s" : "");
	}
	for (size_t u = 0; u < c->nunits && !stopped(r); u++) {
		for (size_t j = 0; j < c->units[u].ndemand && !stopped(r); j++) {
			const struct demand *d = &c->units[u].demand[j];
			size_t key = d->group * c->nservices + d->service, nallowed;

			if (d->count == 0 || !offered[d->service] ||
			    row_reachable(m, u, j, allowed, &nallowed))
				continue;
			if (++unreached[key] == 4) {
				fourth[2 * key] = u;
				fourth[2 * key + 1] = j;
			}
			if (unreached[key] > 3)
				continue;
			path_pop(&path, 0);
			buf_printf(&path, "units[%zu].demand[%zu]", u, j);
			path_pop(&msg, 0);
			explain_row(m, u, j, allowed, nallowed, &msg);
			report_at(r, DIAG_ERROR, d->loc, buf_str(&path), "%s", buf_str(&msg));
		}
	}
	for (size_t key = 0; key < keys && !stopped(r); key++) {
		size_t u = fourth[2 * key], j = fourth[2 * key + 1], nallowed;

		if (unreached[key] < 4)
			continue;
		path_pop(&path, 0);
		buf_printf(&path, "units[%zu].demand[%zu]", u, j);
		path_pop(&msg, 0);
		if (unreached[key] == 4) {
			row_reachable(m, u, j, allowed, &nallowed);
			explain_row(m, u, j, allowed, nallowed, &msg);
		} else {
			buf_printf(&msg, "no team can bring a session to these people either, nor to "
					 "those of %zu more rows of group '%s' for service '%s'",
				   unreached[key] - 4, c->groups[key / c->nservices].id,
				   c->services[key % c->nservices].id);
		}
		report_at(r, DIAG_ERROR, c->units[u].demand[j].loc, buf_str(&path), "%s",
			  buf_str(&msg));
	}
out:
	if (path.failed || msg.failed)
		r->oom = true;
	buf_release(&path);
	buf_release(&msg);
	free(allowed);
	free(unreached);
	free(fourth);
	free(offered);
	free(needed);
}

/* Why a session cannot be held (rules 1-4 less the weekly limit), in
 * the order session_possible() would find out. */
enum why_not {
	WHY_OK,
	WHY_OUTSIDE,     /* of the campaign */
	WHY_NO_SLOT,     /* the slot kind does not exist on that date */
	WHY_TEAM_SLOT,   /* the team does not work that slot kind */
	WHY_SITE_SLOT,   /* the site does not host it */
	WHY_REACH,       /* the team cannot reach the site */
	WHY_TRAVEL,      /* travel eats all the working time */
	WHY_UNAVAILABLE, /* the team is unavailable that date */
	WHY_CLOSED       /* the site is closed that date */
};

static enum why_not why_not(const struct campaign *c, size_t team, size_t site, int date,
			    enum slot_kind kind)
{
	const struct team *t = &c->teams[team];
	const struct site *s = &c->sites[site];

	if (date < c->start || date > c->end)
		return WHY_OUTSIDE;
	if (!(campaign_slots_on(c, date) & SLOT_BIT(kind)))
		return WHY_NO_SLOT;
	if (!(t->slots & SLOT_BIT(kind)))
		return WHY_TEAM_SLOT;
	if (!(s->slots & SLOT_BIT(kind)))
		return WHY_SITE_SLOT;
	if (!team_reaches_site(c, team, site))
		return WHY_REACH;
	if (session_capacity_share(c, team, site, kind) <= 0.0)
		return WHY_TRAVEL;
	if (date_ranges_contain(&t->unavailable, date))
		return WHY_UNAVAILABLE;
	if (date_ranges_contain(&s->closed, date))
		return WHY_CLOSED;
	return WHY_OK;
}

static bool why_is_dated(enum why_not why)
{
	return why == WHY_OUTSIDE || why == WHY_NO_SLOT || why == WHY_UNAVAILABLE ||
	       why == WHY_CLOSED;
}

/* What kind of day date is, for messages. */
static const char *day_type(const struct campaign *c, int date)
{
	slot_set on = campaign_slots_on(c, date);

	if (on & SLOT_BIT(SLOT_HOLIDAY))
		return "a holiday";
	if (on & SLOT_BIT(SLOT_DAY))
		return "a workday";
	return "not a workday";
}

static void explain_why(const struct campaign *c, size_t team, size_t site, int date,
			enum slot_kind kind, enum why_not why, struct buf *b)
{
	const struct team *t = &c->teams[team];
	const struct site *s = &c->sites[site];
	char day[DATE_TEXT_SIZE], first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];
	slot_set on;

	date_format(date, day);
	switch (why) {
	case WHY_OK:
		break;
	case WHY_OUTSIDE:
		date_format(c->start, first);
		date_format(c->end, last);
		buf_printf(b, "%s is outside the campaign (%s to %s)", day, first, last);
		break;
	case WHY_NO_SLOT:
		on = campaign_slots_on(c, date);
		buf_printf(b, "%s is %s, which has only the ", day, day_type(c, date));
		slot_list(b, on, " and ");
		buf_puts(b, on & (on - 1) ? " slots" : " slot");
		break;
	case WHY_TEAM_SLOT:
		buf_printf(b, "team '%s' does not work in the '%s' slot (its slots: ", t->id,
			   slot_kind_name(kind));
		slot_list(b, t->slots, ", ");
		buf_putc(b, ')');
		break;
	case WHY_SITE_SLOT:
		buf_printf(b, "site '%s' does not host the '%s' slot (its slots: ", s->id,
			   slot_kind_name(kind));
		slot_list(b, s->slots, ", ");
		buf_putc(b, ')');
		break;
	case WHY_REACH:
		if (campaign_travel(c, t->base, site) < 0)
			buf_printf(b, "team '%s' cannot reach site '%s': no travel entry joins it to "
				      "the team's base '%s'",
				   t->id, s->id, c->sites[t->base].id);
		else
			buf_printf(b, "team '%s' cannot reach site '%s': its commune '%s' is not "
				      "among the team's communes",
				   t->id, s->id, c->communes[s->commune]);
		break;
	case WHY_TRAVEL:
		buf_printf(b, "travel between '%s' and the team's base '%s' (%d minutes each way) "
			      "takes all %d working minutes of the '%s' slot",
			   s->id, c->sites[t->base].id, campaign_travel(c, t->base, site),
			   c->slots[kind].working, slot_kind_name(kind));
		break;
	case WHY_UNAVAILABLE:
		buf_printf(b, "team '%s' is unavailable on %s", t->id, day);
		break;
	case WHY_CLOSED:
		buf_printf(b, "site '%s' is closed on %s", s->id, day);
		break;
	}
}

/* Where to report a problem of fixed[i] of this kind. */
static struct rota_loc fixed_place(const struct reader *r, size_t i, enum why_not why,
				   struct buf *path)
{
	const struct fixed_places *at = &r->fixed_at[i];
	const struct fixed_session *f = &r->c->fixed[i];

	path_pop(path, 0);
	buf_printf(path, "fixed[%zu]", i);
	switch (why) {
	case WHY_TEAM_SLOT:
	case WHY_SITE_SLOT:
		buf_puts(path, ".slot");
		return at->slot;
	case WHY_REACH:
	case WHY_TRAVEL:
		buf_puts(path, ".site");
		return at->site;
	default:
		buf_puts(path, f->weekly ? ".weekday" : ".date");
		return at->date;
	}
}

/* One session a fixed entry asks for. */
struct occurrence {
	size_t team;
	int date;
	enum slot_kind slot;
	size_t fixed;
};

static int occurrence_cmp(const void *pa, const void *pb)
{
	const struct occurrence *a = pa, *b = pb;

	if (a->team != b->team)
		return a->team < b->team ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	return a->fixed < b->fixed ? -1 : a->fixed > b->fixed;
}

/* Expands fixed[i] into occ[], reporting what cannot be held. */
static void expand_fixed(struct reader *r, size_t i, struct occurrence *occ, size_t *nocc,
			 struct buf *path, struct buf *msg)
{
	const struct campaign *c = r->c;
	const struct fixed_session *f = &c->fixed[i];
	struct rota_loc at;
	enum why_not why, first_why = WHY_OK;
	int lo, hi, first, total = 0, held = 0, skipped = 0, first_date = 0;
	char d1[DATE_TEXT_SIZE], d2[DATE_TEXT_SIZE];
	struct buf list;

	path_pop(msg, 0);
	if (!f->weekly) {
		why = why_not(c, f->team, f->site, f->date, f->slot);
		if (why == WHY_OK) {
			occ[(*nocc)++] = (struct occurrence){ f->team, f->date, f->slot, i };
			return;
		}
		buf_puts(msg, "the fixed session cannot be held: ");
		explain_why(c, f->team, f->site, f->date, f->slot, why, msg);
		at = fixed_place(r, i, why, path);
		report_at(r, DIAG_ERROR, at, buf_str(path), "%s", buf_str(msg));
		return;
	}
	lo = f->from > c->start ? f->from : c->start;
	hi = f->to < c->end ? f->to : c->end;
	first = lo + ((f->weekday - date_weekday(lo)) % 7 + 7) % 7;
	date_format(f->from, d1);
	date_format(f->to, d2);
	if (first > hi) {
		if (lo > hi) {
			char s1[DATE_TEXT_SIZE], s2[DATE_TEXT_SIZE];

			date_format(c->start, s1);
			date_format(c->end, s2);
			buf_printf(msg, "the weekly session can never be held: %s to %s is outside "
					"the campaign (%s to %s)",
				   d1, d2, s1, s2);
		} else {
			date_format(lo, d1);
			date_format(hi, d2);
			buf_printf(msg, "the weekly session can never be held: there are no %s from "
					"%s to %s",
				   weekday_plural[f->weekday], d1, d2);
		}
		at = fixed_place(r, i, WHY_OUTSIDE, path);
		report_at(r, DIAG_ERROR, at, buf_str(path), "%s", buf_str(msg));
		return;
	}
	buf_init(&list);
	for (int date = first; date <= hi; date += 7) {
		total++;
		why = why_not(c, f->team, f->site, date, f->slot);
		if (why == WHY_OK) {
			occ[(*nocc)++] = (struct occurrence){ f->team, date, f->slot, i };
			held++;
			continue;
		}
		if (!why_is_dated(why)) {
			/* The team, site or slot kind rule out every date. */
			buf_puts(msg, "the weekly session can never be held: ");
			explain_why(c, f->team, f->site, date, f->slot, why, msg);
			at = fixed_place(r, i, why, path);
			report_at(r, DIAG_ERROR, at, buf_str(path), "%s", buf_str(msg));
			buf_release(&list);
			*nocc -= (size_t)held;
			return;
		}
		if (skipped++ == 0) {
			first_why = why;
			first_date = date;
		}
		if (skipped <= 5) {
			date_format(date, d1);
			buf_printf(&list, "%s%s (%s)", skipped > 1 ? ", " : "", d1,
				   why == WHY_UNAVAILABLE ? "team unavailable"
				   : why == WHY_CLOSED	  ? "site closed"
							  : day_type(c, date));
		}
	}
	date_format(first, d1);
	date_format(first + 7 * (total - 1), d2);
	if (!held) {
		buf_printf(msg, "the weekly session can never be held: not on any of its %d %s from "
				"%s to %s (",
			   total, total == 1 ? "date" : weekday_plural[f->weekday], d1, d2);
		explain_why(c, f->team, f->site, first_date, f->slot, first_why, msg);
		buf_printf(msg, "%s)", total > 1 ? ", and so on" : "");
		at = fixed_place(r, i, first_why, path);
		report_at(r, DIAG_ERROR, at, buf_str(path), "%s", buf_str(msg));
	} else if (skipped) {
		buf_printf(msg, "the weekly session skips %d of its %d %s from %s to %s: %s%s",
			   skipped, total, weekday_plural[f->weekday], d1, d2, buf_str(&list),
			   skipped > 5 ? ", ..." : "");
		at = fixed_place(r, i, WHY_OUTSIDE, path);
		report_at(r, DIAG_WARNING, at, buf_str(path), "%s", buf_str(msg));
	}
	if (list.failed)
		r->oom = true;
	buf_release(&list);
}

/* Fixed sessions: rules 1-4 for each, no two for one team, date and slot
 * kind, and the weekly limit of extra sessions. */
static void check_fixed(struct reader *r)
{
	const struct campaign *c = r->c;
	struct occurrence *occ;
	size_t nocc = 0, max = 0;
	struct buf path, msg;
	/* Per fixed entry: the first clash and the first week over the limit. */
	struct clash {
		size_t with, count, weeks;
		int date, week_monday, extra;
	} *clash = NULL;

	if (!c->nfixed)
		return;
	for (size_t i = 0; i < c->nfixed; i++)
		max += c->fixed[i].weekly ? (size_t)c->ndays / 7 + 1 : 1;
	occ = xcalloc_array(max, sizeof(*occ));
	clash = xcalloc_array(c->nfixed, sizeof(*clash));
	buf_init(&path);
	buf_init(&msg);
	if (!occ || !clash) {
		r->oom = true;
		goto out;
	}
	for (size_t i = 0; i < c->nfixed && !stopped(r); i++)
		expand_fixed(r, i, occ, &nocc, &path, &msg);
	qsort(occ, nocc, sizeof(*occ), occurrence_cmp);
	for (size_t a = 0; a < nocc;) {
		size_t b = a + 1;

		for (; b < nocc && occ[b].team == occ[a].team && occ[b].date == occ[a].date &&
		       occ[b].slot == occ[a].slot; b++) {
			struct clash *k = &clash[occ[b].fixed];

			if (!k->count++) {
				k->with = occ[a].fixed;
				k->date = occ[b].date;
			}
		}
		a = b;
	}
	/* The weekly limit, counting each team, date and slot kind once. */
	for (size_t a = 0; a < nocc;) {
		size_t b = a;
		int monday = date_week_monday(occ[a].date), extra = 0;
		const struct team *t = &c->teams[occ[a].team];

		for (; b < nocc && occ[b].team == occ[a].team &&
		       date_week_monday(occ[b].date) == monday; b++) {
			struct clash *k = &clash[occ[b].fixed];

			if (!slot_kind_is_extra(occ[b].slot) ||
			    (b > a && occ[b].date == occ[b - 1].date && occ[b].slot == occ[b - 1].slot))
				continue;
			if (++extra <= t->max_extra_per_week)
				continue;
			if (!k->weeks++) {
				k->week_monday = monday;
				k->extra = extra;
			}
		}
		a = b;
	}
	for (size_t i = 0; i < c->nfixed && !stopped(r); i++) {
		const struct clash *k = &clash[i];
		const struct fixed_session *f = &c->fixed[i];
		char day[DATE_TEXT_SIZE];

		path_pop(&path, 0);
		buf_printf(&path, "fixed[%zu]", i);
		if (k->count) {
			date_format(k->date, day);
			report_at(r, DIAG_ERROR, f->loc, buf_str(&path),
				  "team '%s' already has a fixed '%s' session on %s (fixed[%zu] at "
				  "%d:%d)%s",
				  c->teams[f->team].id, slot_kind_name(f->slot), day, k->with,
				  c->fixed[k->with].loc.line, c->fixed[k->with].loc.col,
				  k->count > 1 ? ", and on more dates" : "");
		}
		if (k->weeks) {
			int iso_year, week = date_iso_week(k->week_monday, &iso_year);

			date_format(k->week_monday, day);
			path_pop(&msg, 0);
			if (k->weeks > 1)
				buf_printf(&msg, ", and so in %zu more weeks", k->weeks - 1);
			report_at(r, DIAG_ERROR, f->loc, buf_str(&path),
				  "this fixed session makes %d extra session%s (evening, weekend, "
				  "holiday) for team '%s' in the week of %s (%d-W%02d), more than its "
				  "max_extra_per_week (%d)%s",
				  k->extra, k->extra == 1 ? "" : "s", c->teams[f->team].id, day,
				  iso_year, week,
				  c->teams[f->team].max_extra_per_week, buf_str(&msg));
		}
	}
out:
	if (path.failed || msg.failed)
		r->oom = true;
	buf_release(&path);
	buf_release(&msg);
	free(occ);
	free(clash);
}

/* Session names (plan_session_name(): DATE-SLOT-SITE-TEAM) name files
 * under invites/, and a site id and a team id are joined by '-', which ids
 * may also hold: sites 'a-b' and 'a' with teams 'c' and 'b-c' give two
 * sessions one name. Such pairs are refused when both could hold a session
 * (the team reaches the site and they share a slot kind). UIDs cannot
 * collide: their parts are joined by '.', which no id holds. */
struct pair_name {
	char *name;
	size_t site, team;
};

static int pair_name_cmp(const void *pa, const void *pb)
{
	const struct pair_name *a = pa, *b = pb;
	int k = strcmp(a->name, b->name);

	if (k)
		return k;
	if (a->team != b->team)
		return a->team < b->team ? -1 : 1;
	return a->site < b->site ? -1 : a->site > b->site;
}

static void check_session_names(struct reader *r)
{
	const struct campaign *c = r->c;
	struct pair_name *pairs = NULL;
	size_t n = 0, alloc = 0;
	struct buf path, msg;

	buf_init(&path);
	buf_init(&msg);
	for (size_t t = 0; t < c->nteams && !r->oom; t++) {
		for (size_t s = 0; s < c->nsites; s++) {
			struct pair_name *p;

			if (!(c->teams[t].slots & c->sites[s].slots) || !team_reaches_site(c, t, s))
				continue;
			if (grow_array(&pairs, &alloc, n + 1, sizeof(*pairs))) {
				r->oom = true;
				break;
			}
			p = &pairs[n];
			p->site = s;
			p->team = t;
			p->name = NULL;
			buf_release(&msg);
			buf_printf(&msg, "%s-%s", c->sites[s].id, c->teams[t].id);
			p->name = buf_detach(&msg);
			if (!p->name) {
				r->oom = true;
				break;
			}
			n++;
		}
	}
	if (!r->oom)
		qsort(pairs, n, sizeof(*pairs), pair_name_cmp);
	for (size_t i = 1; i < n && !r->oom && !stopped(r); i++) {
		const struct pair_name *a = &pairs[i - 1], *b = &pairs[i];
		const struct site *sa = &c->sites[a->site], *sb = &c->sites[b->site];
		const struct team *ta = &c->teams[a->team], *tb = &c->teams[b->team];

		if (strcmp(a->name, b->name))
			continue;
		path_pop(&path, 0);
		buf_printf(&path, "teams[%zu]", b->team);
		path_pop(&msg, 0);
		buf_printf(&msg, "sessions of team '%s' at site '%s' (sites[%zu], line %d) and of "
				 "team '%s' (teams[%zu], line %d) at site '%s' (sites[%zu], line %d) "
				 "would have one name, DATE-SLOT-%s, and one file under invites/: "
				 "rename one of these sites or teams",
			   tb->id, sb->id, b->site, sb->loc.line, ta->id, a->team, ta->loc.line,
			   sa->id, a->site, sa->loc.line, b->name);
		if (path.failed || msg.failed)
			r->oom = true;
		else
			report_at(r, DIAG_ERROR, tb->loc, buf_str(&path), "%s", buf_str(&msg));
	}
	for (size_t i = 0; i < n; i++)
		free(pairs[i].name);
	free(pairs);
	buf_release(&path);
	buf_release(&msg);
}

/* ------------------------------------------------------------------ */
/* The campaign file.                                                  */

static void read_root(struct reader *r, struct jv root)
{
	static const char *const fields[] = { "format", "campaign", "calendar", "services",
					      "groups", "sites", "travel", "teams", "fixed",
					      "units", NULL };
	struct jv v;
	size_t mark;

	if (!cJSON_IsObject(root.j)) {
		expected(r, root, "a JSON object (a campaign, format rota-campaign/1)");
		return;
	}
	if (enter(r, root, "format", true, &v, &mark)) {
		bool ok = cJSON_IsString(v.j) && !strcmp(v.j->valuestring, "rota-campaign/1");

		if (!ok)
			expected(r, v, "'rota-campaign/1'");
		leave(r, mark);
		/* Another format (a plan, a later version): the rest would
		 * only be noise. */
		if (!ok && cJSON_IsString(v.j))
			return;
	}
	check_fields(r, root, fields);
	read_campaign_info(r, root);
	read_calendar(r, root);
	read_services(r, root);
	read_sites(r, root);
	read_travel(r, root);
	read_groups(r, root);
	read_units(r, root);
	read_teams(r, root);
	read_fixed(r, root);
	if (!stopped(r))
		index_communes(r);
}

static void reader_release(struct reader *r)
{
	free(r->id_locs);
	if (r->site_commune)
		for (size_t i = 0; i < r->c->nsites; i++)
			free(r->site_commune[i]);
	free(r->site_commune);
	if (r->unit_commune)
		for (size_t i = 0; i < r->c->nunits; i++)
			free(r->unit_commune[i]);
	free(r->unit_commune);
	free(r->team_communes);
	free(r->fixed_at);
	buf_release(&r->path);
	buf_release(&r->scratch[0]);
	buf_release(&r->scratch[1]);
}

int campaign_read_buffer(struct campaign **out, const char *data, size_t len, struct diags *d)
{
	struct sink sink = { d, 0, 0, false };
	struct reader r;
	struct doc doc;
	struct model m;
	struct jv root = { NULL, 0 };
	int rc;

	*out = NULL;
	if (len > CAMPAIGN_MAX_BYTES) {
		sink_add(&sink, DIAG_ERROR, 0, 0, "",
			 "the file is too large: %zu bytes, at most %zu (16 MiB)", len,
			 CAMPAIGN_MAX_BYTES);
		return ROTA_EINPUT;
	}
	rc = doc_parse(&doc, data, len, MAX_VALUES, &sink);
	if (rc) {
		doc_release(&doc);
		return rc;
	}
	memset(&r, 0, sizeof(r));
	r.doc = &doc;
	r.sink = &sink;
	r.c = calloc(1, sizeof(*r.c));
	if (!r.c) {
		doc_release(&doc);
		return ROTA_ENOMEM;
	}
	r.ref = r.c;
	r.c->timezone = rdup(&r, "Asia/Ho_Chi_Minh");
	root.j = doc.root;
	read_root(&r, root);
	if (r.path.failed || r.scratch[0].failed || r.scratch[1].failed)
		r.oom = true;
	/* The checks of the whole campaign need every part right; a text
	 * error (a name, an address) does not stop them. */
	if (!r.broken && !stopped(&r) && r.dates_ok) {
		/* m is released only when model_init ran (it cleans up after
		 * itself): campaign_finalize failing leaves it untouched. */
		if (campaign_finalize(r.c)) {
			r.oom = true;
		} else if (model_init(&m, r.c)) {
			model_release(&m);
			r.oom = true;
		} else {
			check_demand(&r, &m);
			check_fixed(&r);
			check_session_names(&r);
			model_release(&m);
		}
	}
	if (d->oom)
		r.oom = true;
	if (r.oom)
		rc = ROTA_ENOMEM;
	else if (sink.errors)
		rc = ROTA_EINPUT;
	else
		rc = campaign_finalize(r.c);
	reader_release(&r);
	doc_release(&doc);
	if (rc)
		campaign_free(r.c);
	else
		*out = r.c;
	return rc;
}

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

/* Reads the whole file (or standard input for "-"), refusing more than
 * max bytes before reading them all, and anything but a regular file (a
 * FIFO would block, a device never end). */
static int read_whole(const char *path, size_t max, const char *what, char **data, size_t *len,
		      struct rota_error *err)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : NULL;
	struct stat st;
	char *buf = NULL;
	size_t n = 0, alloc = 0;
	int rc = ROTA_OK;

	*data = NULL;
	*len = 0;
	if (!is_stdin) {
		/* O_NONBLOCK: opening a FIFO must not wait for a writer. It
		 * changes nothing for the regular files read below. */
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

		if (fd < 0)
			return rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path,
					      strerror(errno));
		if (fstat(fd, &st) != 0)
			rc = rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path,
					    strerror(errno));
		else if (!S_ISREG(st.st_mode))
			rc = rota_error_set(err, ROTA_EIO, "cannot read '%s': not a regular file (%s)",
					    path, file_kind(st.st_mode));
		if (rc) {
			close(fd);
			return rc;
		}
		f = fdopen(fd, "rb");
		if (!f) {
			rc = rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path,
					    strerror(errno));
			close(fd);
			return rc;
		}
	}
	if (fstat(fileno(f), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			rc = rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path,
					    strerror(EISDIR));
			goto out;
		}
		if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
			rc = rota_error_set(err, ROTA_EIO,
					    "'%s' is too large: %jd bytes, %s are at most %zu bytes",
					    path, (intmax_t)st.st_size, what, max);
			goto out;
		}
	}
	for (;;) {
		size_t got;

		if (n == alloc) {
			size_t want = alloc ? alloc * 2 : 65536;

			if (want > max + 1)
				want = max + 1;
			if (want <= n) {
				rc = rota_error_set(err, ROTA_EIO,
						    "'%s' is too large: %s are at most %zu bytes", path,
						    what, max);
				goto out;
			}
			if (grow_array(&buf, &alloc, want, 1)) {
				rc = rota_error_set(err, ROTA_ENOMEM, "out of memory reading '%s'",
						    path);
				goto out;
			}
		}
		got = fread(buf + n, 1, alloc - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (n > max) {
		rc = rota_error_set(err, ROTA_EIO, "'%s' is too large: %s are at most %zu bytes",
				    path, what, max);
		goto out;
	}
	*data = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	if (!is_stdin)
		fclose(f);
	return rc;
}

int campaign_read_file(struct campaign **out, const char *path, struct diags *d,
		       struct rota_error *err)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	rc = read_whole(path, CAMPAIGN_MAX_BYTES, "campaign files", &data, &len, err);
	if (rc)
		return rc;
	rc = campaign_read_buffer(out, data, len, d);
	free(data);
	if (rc == ROTA_ENOMEM)
		rota_error_set(err, rc, "out of memory reading '%s'", path);
	return rc;
}

/* ------------------------------------------------------------------ */
/* rota.json, read back for `rota week`. Unknown fields are ignored    */
/* here: the file is written by rota, and a later version may add.     */

/* A solver's value: a number, or null for one that is not a number. */
static bool read_number(struct reader *r, struct jv v, double *out)
{
	if (number_value(r, v, out))
		return true;
	if (cJSON_IsNull(v.j)) {
		*out = NAN;
		return true;
	}
	expected(r, v, "a number or null");
	return false;
}

/* The demand row of unit for group and service, or -1. */
static int find_demand(const struct campaign *c, size_t unit, size_t group, size_t service)
{
	const struct unit *u = &c->units[unit];

	for (size_t j = 0; j < u->ndemand; j++)
		if (u->demand[j].group == group && u->demand[j].service == service)
			return (int)j;
	return -1;
}

static void read_visit(struct reader *r, struct jv obj, struct plan_session *s)
{
	const struct campaign *c = r->ref;
	int unit = -1, group = -1, service = -1, count = 0, arrive = -1, until = -1, row = -1;
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];
	struct jv v;

	if (!want_object(r, obj, "a visit {unit, group, service, count, arrive, until}"))
		return;
	FIELD(r, obj, "unit", true, v,
	      unit = read_ref(r, v, "unit", true, campaign_find_unit, "the campaign's units"));
	FIELD(r, obj, "group", true, v,
	      group = read_ref(r, v, "group", true, campaign_find_group, "the campaign's groups"));
	FIELD(r, obj, "service", true, v,
	      service = read_ref(r, v, "service", true, campaign_find_service,
				 "the campaign's services"));
	if (unit >= 0 && group >= 0 && service >= 0) {
		row = find_demand(c, (size_t)unit, (size_t)group, (size_t)service);
		if (row < 0)
			error_at(r, obj, "unit '%s' has no demand row for group '%s' and service '%s' "
					 "in the campaign",
				 c->units[unit].id, c->groups[group].id, c->services[service].id);
	}
	FIELD(r, obj, "count", true, v, {
		if (!read_int(r, v, 1, MAX_COUNT, &count)) {
			count = 0;
		} else if (row >= 0) {
			long *planned = &r->row_planned[r->row_base[unit] + (size_t)row];
			int demand = c->units[unit].demand[row].count;

			*planned += count;
			if (*planned > demand) {
				error_at(r, v, "%ld people of unit '%s' in group '%s' for service '%s' "
					       "invited, counting this visit (%d); their demand is %d",
					 *planned, c->units[unit].id, c->groups[group].id,
					 c->services[service].id, count, demand);
				count = 0;
			}
		}
	});
	FIELD(r, obj, "arrive", true, v, {
		if (read_time(r, v, &arrive) && (arrive < s->start || arrive >= s->end)) {
			time_text(s->start, a);
			time_text(s->end, b);
			expected(r, v, "a time in the session's window %s-%s", a, b);
			arrive = -1;
		}
	});
	FIELD(r, obj, "until", true, v, {
		if (read_time(r, v, &until) && arrive >= 0 && (until <= arrive || until > s->end)) {
			time_text(arrive, a);
			time_text(s->end, b);
			expected(r, v, "a time after 'arrive' (%s), at %s at the latest", a, b);
			until = -1;
		}
	});
	if (row < 0 || count < 1 || arrive < 0 || until < 0)
		return;
	for (size_t i = 0; i < s->nvisits; i++) {
		if (s->visits[i].unit == (size_t)unit && s->visits[i].demand == (size_t)row) {
			error_at(r, obj, "unit '%s' is invited twice to this session for group '%s' "
					 "and service '%s'",
				 c->units[unit].id, c->groups[group].id, c->services[service].id);
			return;
		}
	}
	if (!visit_allowed(c, (size_t)unit, (size_t)row, s->team, s->site, s->date, s->slot)) {
		error_at(r, obj, "people of unit '%s' in group '%s' may not be invited to this "
				 "session for service '%s' (campaign rules 2 and 6)",
			 c->units[unit].id, c->groups[group].id, c->services[service].id);
		return;
	}
	if (plan_add_visit(s, (size_t)unit, (size_t)row, count)) {
		r->oom = true;
		return;
	}
	s->visits[s->nvisits - 1].arrive = arrive;
	s->visits[s->nvisits - 1].until = until;
}

static void read_plan_session(struct reader *r, struct jv obj, struct plan *p)
{
	const struct campaign *c = r->ref;
	int team = -1, site = -1, date = 0, start = -1, end = -1;
	bool date_ok = false, slot_ok = false, fixed = false;
	enum slot_kind slot = SLOT_DAY;
	struct plan_session *s;
	struct jv v, visits = { NULL, 0 };
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];

	if (!want_object(r, obj, "a session {team, site, date, slot, visits}"))
		return;
	FIELD(r, obj, "team", true, v,
	      team = read_ref(r, v, "team", true, campaign_find_team, "the campaign's teams"));
	FIELD(r, obj, "site", true, v,
	      site = read_ref(r, v, "site", true, campaign_find_site, "the campaign's sites"));
	FIELD(r, obj, "date", true, v, {
		date_ok = read_date(r, v, &date);
		if (date_ok && (date < c->start || date > c->end)) {
			char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];

			date_format(c->start, first);
			date_format(c->end, last);
			expected(r, v, "a date of the campaign (%s to %s)", first, last);
			date_ok = false;
		}
	});
	FIELD(r, obj, "slot", true, v, slot_ok = read_slot_kind(r, v, &slot));
	if (slot_ok) {
		/* On site inside the slot's window, and for some time. */
		time_text(c->slots[slot].start, a);
		time_text(c->slots[slot].end, b);
		FIELD(r, obj, "start", false, v, {
			if (read_time(r, v, &start) &&
			    (start < c->slots[slot].start || start >= c->slots[slot].end)) {
				expected(r, v, "a time in the %s slot (%s-%s)", slot_kind_name(slot), a,
					 b);
				start = -1;
			}
		});
		FIELD(r, obj, "end", false, v, {
			if (read_time(r, v, &end) && start >= 0 && (end <= start ||
								    end > c->slots[slot].end)) {
				time_text(start, a);
				expected(r, v, "a time after the session's start (%s), at %s at the "
					       "latest", a, b);
				end = -1;
			}
		});
	} else {
		FIELD(r, obj, "start", false, v, read_time(r, v, &start));
		FIELD(r, obj, "end", false, v, read_time(r, v, &end));
	}
	FIELD(r, obj, "fixed", false, v, {
		if (cJSON_IsBool(v.j))
			fixed = cJSON_IsTrue(v.j);
		else
			expected(r, v, "true or false");
	});
	if (!get_member(r, obj, "visits", &visits) || !cJSON_IsArray(visits.j))
		visits.j = NULL;
	if (team < 0 || site < 0 || !date_ok || !slot_ok) {
		if (!visits.j)
			FIELD(r, obj, "visits", true, v, expected(r, v, "an array of visits"));
		return;
	}
	if (!session_possible(c, (size_t)team, (size_t)site, date, slot)) {
		error_at(r, obj, "team '%s' cannot hold a session at site '%s' in the %s slot of "
				 "this date (campaign rules 1 to 4)",
			 c->teams[team].id, c->sites[site].id, slot_kind_name(slot));
		return;
	}
	if (grow_array(&r->session_at, &r->asession_at, p->nsessions + 1,
		       sizeof(*r->session_at))) {
		r->oom = true;
		return;
	}
	r->session_at[p->nsessions] = loc_of(r->doc, obj);
	s = plan_add_session(p, (size_t)team, (size_t)site, date, slot);
	if (!s) {
		r->oom = true;
		return;
	}
	/* The window on site: as written, else as plan_sort() sets it. */
	{
		int travel = campaign_travel(c, c->teams[team].base, (size_t)site);

		if (travel < 0)
			travel = 0;
		s->start = start >= 0 ? start : c->slots[slot].start + travel;
		s->end = end >= 0 ? end : c->slots[slot].end - travel;
		if (s->end <= s->start) {
			s->start = c->slots[slot].start;
			s->end = c->slots[slot].end;
		}
	}
	s->fixed = fixed; /* written only when true */
	FIELD(r, obj, "uid", false, v, {
		char uid[PLAN_UID_SIZE];

		plan_session_uid(p, s, uid, sizeof(uid));
		if (!cJSON_IsString(v.j) || strcmp(v.j->valuestring, uid))
			expected(r, v, "'%s', the UID of the session's team, site, date and slot",
				 uid);
	});
	FIELD(r, obj, "visits", true, v, {
		size_t i = 0;

		if (want_array(r, v, "an array of visits", false, SIZE_MAX)) {
			FOR_EACH(r->doc, v, item) {
				size_t mark = enter_index(r, i++);

				if (!stopped(r))
					read_visit(r, item, s);
				leave(r, mark);
			}
		}
	});
}

static int session_key_cmp(const void *pa, const void *pb, const struct plan *p)
{
	const struct plan_session *a = &p->sessions[*(const size_t *)pa];
	const struct plan_session *b = &p->sessions[*(const size_t *)pb];

	if (a->team != b->team)
		return a->team < b->team ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

/* Insertion sort of indices (qsort has no context argument in C11). Plans
 * hold a few thousand sessions; sorting them is done once per read. */
static void sort_sessions(size_t *idx, size_t n, const struct plan *p)
{
	for (size_t i = 1; i < n; i++) {
		size_t x = idx[i], j = i;

		while (j > 0 && session_key_cmp(&idx[j - 1], &x, p) > 0) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = x;
	}
}

/* A team holds one session per date and slot (which also makes every
 * session's UID unique). */
static void check_plan_sessions(struct reader *r, const struct plan *p)
{
	size_t *idx = xcalloc_array(p->nsessions ? p->nsessions : 1, sizeof(*idx));
	struct buf path;

	if (!idx) {
		r->oom = true;
		return;
	}
	buf_init(&path);
	for (size_t i = 0; i < p->nsessions; i++)
		idx[i] = i;
	sort_sessions(idx, p->nsessions, p);
	for (size_t i = 1; i < p->nsessions && !stopped(r); i++) {
		const struct plan_session *a = &p->sessions[idx[i - 1]], *b = &p->sessions[idx[i]];
		char date[DATE_TEXT_SIZE];

		if (a->team != b->team || a->date != b->date || a->slot != b->slot)
			continue;
		date_format(b->date, date);
		path_pop(&path, 0);
		buf_printf(&path, "sessions[%zu]", idx[i]);
		report_at(r, DIAG_ERROR, r->session_at[idx[i]], buf_str(&path),
			  "team '%s' already has a session on %s in the %s slot (sessions[%zu], "
			  "line %d): one team, one session per date and slot",
			  r->ref->teams[b->team].id, date, slot_kind_name(b->slot), idx[i - 1],
			  r->session_at[idx[i - 1]].line);
	}
	if (path.failed)
		r->oom = true;
	buf_release(&path);
	free(idx);
}

/* coverage[]: when given, one row per demand row of the campaign, each
 * adding up to the sessions' visits. */
static void read_coverage(struct reader *r, struct jv list, const struct plan *p, bool compare)
{
	const struct campaign *c = r->ref;
	size_t rows = c->nunits ? r->row_base[c->nunits] : 0, i = 0;
	bool *seen;

	if (!want_array(r, list, "an array of coverage rows", false, SIZE_MAX))
		return;
	seen = xcalloc_array(rows ? rows : 1, sizeof(*seen));
	if (!seen) {
		r->oom = true;
		return;
	}
	FOR_EACH(r->doc, list, item) {
		size_t mark = enter_index(r, i++);
		int unit = -1, group = -1, service = -1, row = -1, n;
		int planned = 0, by_deadline = 0;
		struct jv v;

		if (stopped(r) || !want_object(r, item, "a coverage row {unit, group, service, "
							"demand, planned, by_deadline, deadline}")) {
			leave(r, mark);
			continue;
		}
		FIELD(r, item, "unit", true, v,
		      unit = read_ref(r, v, "unit", true, campaign_find_unit, "the campaign's units"));
		FIELD(r, item, "group", true, v,
		      group = read_ref(r, v, "group", true, campaign_find_group,
				       "the campaign's groups"));
		FIELD(r, item, "service", true, v,
		      service = read_ref(r, v, "service", true, campaign_find_service,
					 "the campaign's services"));
		if (unit >= 0 && group >= 0 && service >= 0) {
			row = find_demand(c, (size_t)unit, (size_t)group, (size_t)service);
			if (row < 0)
				error_at(r, item, "unit '%s' has no demand row for group '%s' and "
						  "service '%s' in the campaign",
					 c->units[unit].id, c->groups[group].id,
					 c->services[service].id);
			else if (seen[r->row_base[unit] + (size_t)row])
				error_at(r, item, "a second row for unit '%s', group '%s' and service "
						  "'%s'",
					 c->units[unit].id, c->groups[group].id,
					 c->services[service].id);
			else
				seen[r->row_base[unit] + (size_t)row] = true;
		}
		if (row >= 0)
			plan_coverage(p, (size_t)unit, (size_t)row, &planned, &by_deadline);
		if (!compare) /* sessions were left out: the sums would be wrong */
			row = -1;
		FIELD(r, item, "demand", true, v, {
			if (read_int(r, v, 0, MAX_COUNT, &n) && row >= 0 &&
			    n != c->units[unit].demand[row].count)
				expected(r, v, "%d, the campaign's demand", c->units[unit].demand[row].count);
		});
		FIELD(r, item, "planned", true, v, {
			if (read_int(r, v, 0, INT_MAX, &n) && row >= 0 && n != planned)
				expected(r, v, "%d, the people the sessions invite", planned);
		});
		FIELD(r, item, "by_deadline", true, v, {
			if (read_int(r, v, 0, INT_MAX, &n) && row >= 0 && n != by_deadline)
				expected(r, v, "%d, the people the sessions invite by the deadline",
					 by_deadline);
		});
		FIELD(r, item, "deadline", true, v, {
			if (read_date(r, v, &n) && row >= 0 && n != c->groups[group].deadline) {
				char want[DATE_TEXT_SIZE];

				date_format(c->groups[group].deadline, want);
				expected(r, v, "%s, the group's deadline", want);
			}
		});
		leave(r, mark);
	}
	for (size_t u = 0; u < c->nunits && !stopped(r); u++) {
		for (size_t j = 0; j < c->units[u].ndemand; j++) {
			const struct demand *d = &c->units[u].demand[j];

			if (!seen[r->row_base[u] + j]) {
				error_at(r, list, "no row for unit '%s', group '%s' and service '%s' "
						  "(every demand row has one)",
					 c->units[u].id, c->groups[d->group].id,
					 c->services[d->service].id);
				break;
			}
		}
	}
	free(seen);
}

static void read_solver(struct reader *r, struct jv obj, struct plan_solver *solver)
{
	struct jv v;

	if (!want_object(r, obj, "an object {status, objective, bound, gap, seconds}"))
		return;
	FIELD(r, obj, "status", true, v, {
		if (cJSON_IsString(v.j) && !strcmp(v.j->valuestring, "optimal"))
			solver->status = PLAN_OPTIMAL;
		else if (cJSON_IsString(v.j) && !strcmp(v.j->valuestring, "feasible"))
			solver->status = PLAN_FEASIBLE;
		else
			expected(r, v, "'optimal' or 'feasible'");
	});
	FIELD(r, obj, "objective", false, v, read_number(r, v, &solver->objective));
	FIELD(r, obj, "bound", false, v, read_number(r, v, &solver->bound));
	FIELD(r, obj, "gap", false, v, read_number(r, v, &solver->gap));
	FIELD(r, obj, "seconds", false, v, read_number(r, v, &solver->seconds));
	FIELD(r, obj, "levels", false, v, {
		size_t i = 0;

		if (want_array(r, v, "an array of levels", false, 1000)) {
			solver->levels = xcalloc_array(jv_count(r->doc, v), sizeof(*solver->levels));
			if (!solver->levels)
				r->oom = true;
			FOR_EACH(r->doc, v, item) {
				size_t mark = enter_index(r, i++);
				struct plan_level *l = solver->levels ? &solver->levels[solver->nlevels] : NULL;
				struct jv f;

				if (l && want_object(r, item, "a level {name, value, bound, gap}")) {
					FIELD(r, item, "name", true, f, {
						if (cJSON_IsString(f.j) &&
						    strlen(f.j->valuestring) < sizeof(l->name))
							memcpy(l->name, f.j->valuestring,
							       strlen(f.j->valuestring) + 1);
						else
							expected(r, f, "a name of at most %zu bytes",
								 sizeof(l->name) - 1);
					});
					FIELD(r, item, "value", false, f, read_number(r, f, &l->value));
					FIELD(r, item, "bound", false, f, read_number(r, f, &l->bound));
					FIELD(r, item, "gap", false, f, read_number(r, f, &l->gap));
					FIELD(r, item, "maximise", false, f, l->maximise = cJSON_IsTrue(f.j));
					solver->nlevels++;
				}
				leave(r, mark);
			}
		}
	});
}

int plan_read_buffer(struct plan **out, char **campaign_file, const struct campaign *c,
			    const char *data, size_t len, struct diags *d)
{
	struct sink sink = { d, 0, 0, false };
	struct reader r;
	struct doc doc;
	struct plan *p = NULL;
	struct jv root = { NULL, 0 }, v;
	size_t format_mark;
	int rc;

	*out = NULL;
	rc = doc_parse(&doc, data, len, MAX_PLAN_VALUES, &sink);
	if (rc) {
		doc_release(&doc);
		return rc;
	}
	memset(&r, 0, sizeof(r));
	r.doc = &doc;
	r.sink = &sink;
	r.ref = c;
	root.j = doc.root;
	p = plan_new(c);
	r.row_base = xcalloc_array(c->nunits + 1, sizeof(*r.row_base));
	if (!p || !r.row_base) {
		r.oom = true;
		goto out;
	}
	for (size_t u = 0; u < c->nunits; u++)
		r.row_base[u + 1] = r.row_base[u] + c->units[u].ndemand;
	r.row_planned = xcalloc_array(r.row_base[c->nunits] + 1, sizeof(*r.row_planned));
	if (!r.row_planned) {
		r.oom = true;
		goto out;
	}
	if (!cJSON_IsObject(root.j)) {
		expected(&r, root, "a JSON object (a plan, format rota-plan/1)");
		goto out;
	}
	if (enter(&r, root, "format", true, &v, &format_mark)) {
		bool ok = cJSON_IsString(v.j) && !strcmp(v.j->valuestring, "rota-plan/1");

		if (!ok)
			expected(&r, v, "'rota-plan/1'");
		leave(&r, format_mark);
		if (!ok)
			goto out;
	} else {
		goto out;
	}
	FIELD(&r, root, "campaign", true, v, {
		if (!cJSON_IsString(v.j) || strcmp(v.j->valuestring, c->id))
			expected(&r, v, "'%s', the id of the campaign read", shown(&r, c->id, 0));
	});
	FIELD(&r, root, "campaign_file", false, v, {
		if (!cJSON_IsString(v.j))
			expected(&r, v, "a file name");
		else if (campaign_file && !(*campaign_file = rdup(&r, v.j->valuestring)))
			r.oom = true;
	});
	FIELD(&r, root, "sessions", true, v, {
		size_t i = 0;

		if (want_array(&r, v, "an array of sessions", false, SIZE_MAX)) {
			FOR_EACH(r.doc, v, item) {
				size_t mark = enter_index(&r, i++);

				if (!stopped(&r))
					read_plan_session(&r, item, p);
				leave(&r, mark);
			}
		}
	});
	if (!stopped(&r))
		check_plan_sessions(&r, p);
	FIELD(&r, root, "coverage", false, v, {
		bool sessions_read = !r.broken;

		if (!stopped(&r))
			read_coverage(&r, v, p, sessions_read);
	});
	FIELD(&r, root, "solver", false, v, read_solver(&r, v, &p->solver));
out:
	if (r.path.failed || r.scratch[0].failed || r.scratch[1].failed || d->oom)
		r.oom = true;
	rc = r.oom ? ROTA_ENOMEM : sink.errors ? ROTA_EINPUT : ROTA_OK;
	buf_release(&r.path);
	buf_release(&r.scratch[0]);
	buf_release(&r.scratch[1]);
	free(r.session_at);
	free(r.row_base);
	free(r.row_planned);
	doc_release(&doc);
	if (rc) {
		plan_free(p);
		if (campaign_file) {
			free(*campaign_file);
			*campaign_file = NULL;
		}
		return rc;
	}
	*out = p;
	return ROTA_OK;
}

int plan_read_file(struct plan **out, char **campaign_file, const struct campaign *c,
		   const char *path, struct diags *d, struct rota_error *err)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	if (campaign_file)
		*campaign_file = NULL;
	rc = read_whole(path, PLAN_MAX_BYTES, "plan files", &data, &len, err);
	if (rc)
		return rc;
	rc = plan_read_buffer(out, campaign_file, c, data, len, d);
	free(data);
	if (rc == ROTA_ENOMEM)
		rota_error_set(err, rc, "out of memory reading '%s'", path);
	return rc;
}

int plan_read_campaign_file(char **campaign_file, const char *path, struct rota_error *err)
{
	struct diags d;
	struct sink sink;
	struct doc doc;
	const cJSON *item;
	char *data;
	size_t len;
	int rc;

	*campaign_file = NULL;
	rc = read_whole(path, PLAN_MAX_BYTES, "plan files", &data, &len, err);
	if (rc)
		return rc;
	diags_init(&d, path);
	memset(&sink, 0, sizeof(sink));
	sink.d = &d;
	rc = doc_parse(&doc, data, len, MAX_PLAN_VALUES, &sink);
	free(data);
	if (rc == ROTA_OK && !sink.errors) {
		item = cJSON_IsObject(doc.root)
			       ? cJSON_GetObjectItemCaseSensitive(doc.root, "campaign_file")
			       : NULL;
		if (item && !cJSON_IsString(item))
			rc = rota_error_set(err, ROTA_EINPUT, "%s: campaign_file: expected a file name",
					    path);
		else if (item && !(*campaign_file = xstrdup(item->valuestring)))
			rc = rota_error_set(err, ROTA_ENOMEM, "out of memory reading '%s'", path);
	} else if (rc == ROTA_ENOMEM) {
		rota_error_set(err, rc, "out of memory reading '%s'", path);
	} else {
		diags_sort(&d);
		if (d.count && d.items[0].line > 0)
			rc = rota_error_set(err, ROTA_EINPUT, "%s:%d:%d: %s", path, d.items[0].line,
					    d.items[0].col, d.items[0].message);
		else
			rc = rota_error_set(err, ROTA_EINPUT, "%s: %s", path,
					    d.count ? d.items[0].message : "not a plan");
	}
	doc_release(&doc);
	diags_release(&d);
	return rc;
}
