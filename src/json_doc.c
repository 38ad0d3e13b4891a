/*
 * json_doc.c - the strict JSON document layer (json_doc.h). The only file
 * that sees cJSON.
 *
 * cJSON is lax (duplicate keys, invalid UTF-8, control characters and
 * trailing text all pass) and knows no positions, so the text is first
 * walked by a strict scanner of our own. The scanner is the authority on
 * syntax; it records every JSON value in document order (the order in
 * which a depth-first walk of cJSON's tree meets them) with its place, its
 * raw text and the size of its subtree. The readers then walk cJSON's tree
 * and the scanner's records side by side (struct jv), so that every
 * diagnostic has a line and a column and every number is judged by how it
 * is written, not by cJSON's saturating conversions.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"

#include "campaign_read.h"
#include "diag.h"
#include "json_doc.h"
#include "util.h"
#include "banned.h"

/* ------------------------------------------------------------------ */
/* Diagnostics, with a cap so that hostile input cannot flood memory.  */

void sink_vadd(struct sink *s, enum diag_level level, int line, int col, const char *path,
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

void sink_add(struct sink *s, enum diag_level level, int line, int col, const char *path,
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
size_t utf8_decode(const unsigned char *p, size_t avail, unsigned *cp)
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
void put_sanitized(struct buf *b, const char *s, size_t len, size_t max)
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

size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* JSON path segments: .name for plain keys, ["..."] for others. */
void path_push_key(struct buf *path, const char *key, size_t len)
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

void path_push_index(struct buf *path, size_t i)
{
	buf_printf(path, "[%zu]", i);
}

void path_pop(struct buf *path, size_t len)
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

void doc_release(struct doc *doc)
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
int doc_parse(struct doc *doc, const char *data, size_t len, size_t max_values,
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
	/* Whether a buffer failed is read before buf_release() forgets it. */
	if (sc.keytext.failed || sc.path.failed)
		sc.oom = true;
	free(sc.keys);
	free(sc.bad_path);
	buf_release(&sc.keytext);
	buf_release(&sc.path);
	if (sc.oom) {
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

static const struct jtok no_tok = { 0, 0, 1, 0, 0, 0, 0, 0 };

static const struct jtok *tok_of(const struct doc *doc, struct jv v)
{
	return v.t < doc->ntoks ? &doc->toks[v.t] : &no_tok;
}

struct jv jv_first(struct jv v)
{
	struct jv c = { v.j ? v.j->child : NULL, v.t + 1 };

	return c;
}

struct jv jv_next(const struct doc *doc, struct jv v)
{
	struct jv n = { v.j->next, v.t + tok_of(doc, v)->size };

	return n;
}

bool jv_dup(const struct doc *doc, struct jv v)
{
	return tok_of(doc, v)->flags & JTOK_DUP;
}

/* Members or elements, duplicate keys not counted. */
size_t jv_count(const struct doc *doc, struct jv v)
{
	size_t n = 0;

	FOR_EACH(doc, v, k)
		n += !jv_dup(doc, k);
	return n;
}

/* The raw text of a number as written in the file. */
const char *jv_raw(const struct doc *doc, struct jv v, size_t *len)
{
	const struct jtok *t = tok_of(doc, v);

	*len = t->end > t->off ? t->end - t->off : 0;
	return doc->text + t->off;
}

struct rota_loc loc_of(const struct doc *doc, struct jv v)
{
	struct rota_loc l = { tok_of(doc, v)->line, tok_of(doc, v)->col };

	return l;
}

struct rota_loc key_loc_of(const struct doc *doc, struct jv v)
{
	struct rota_loc l = { tok_of(doc, v)->kline, tok_of(doc, v)->kcol };

	return l;
}

/* ------------------------------------------------------------------ */
/* What the readers may ask of a value (they do not see cJSON).        */

struct jv jv_none(void)
{
	struct jv v = { NULL, 0 };

	return v;
}

struct jv doc_root(const struct doc *doc)
{
	struct jv v = { doc->root, 0 };

	return v;
}

bool jv_present(struct jv v) { return v.j != NULL; }
bool jv_is_string(struct jv v) { return cJSON_IsString(v.j); }
bool jv_is_number(struct jv v) { return cJSON_IsNumber(v.j); }
bool jv_is_object(struct jv v) { return cJSON_IsObject(v.j); }
bool jv_is_array(struct jv v) { return cJSON_IsArray(v.j); }
bool jv_is_bool(struct jv v) { return cJSON_IsBool(v.j); }
bool jv_is_true(struct jv v) { return cJSON_IsTrue(v.j); }
bool jv_is_false(struct jv v) { return cJSON_IsFalse(v.j); }
bool jv_is_null(struct jv v) { return cJSON_IsNull(v.j); }
const char *jv_string(struct jv v) { return v.j->valuestring; }
const char *jv_key(struct jv v) { return v.j->string; }
bool jv_has_child(struct jv v) { return v.j->child != NULL; }

bool jv_member(const struct doc *doc, struct jv obj, const char *name, struct jv *out)
{
	if (!cJSON_IsObject(obj.j))
		return false;
	FOR_EACH(doc, obj, m) {
		if (m.j->string && !strcmp(m.j->string, name)) {
			*out = m;
			return true;
		}
	}
	return false;
}
