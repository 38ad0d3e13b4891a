/* ical_mail.c - an invitation as an iMIP message (RFC 6047). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "ical_mail.h"
#include "banned.h"

enum {
	HEADER_WIDTH = 78,
	BASE64_WIDTH = 76,
	QP_WIDTH = 76,
	/* Raw bytes per encoded word: "=?UTF-8?B?" + 56 + "?=" is 68
	 * characters, so that "Subject: " and one word fit in 78. */
	WORD_BYTES = 42
};

static const char base64_digits[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of len bytes on one line, no line end. */
static void base64_run(struct buf *out, const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;
		char quad[4];

		if (n > 1)
			v |= (uint32_t)data[i + 1] << 8;
		if (n > 2)
			v |= data[i + 2];
		quad[0] = base64_digits[(v >> 18) & 63];
		quad[1] = base64_digits[(v >> 12) & 63];
		quad[2] = n > 1 ? base64_digits[(v >> 6) & 63] : '=';
		quad[3] = n > 2 ? base64_digits[v & 63] : '=';
		buf_putn(out, quad, 4);
	}
}

void ical_mail_base64(struct buf *out, const unsigned char *data, size_t len)
{
	const size_t per_line = BASE64_WIDTH / 4 * 3;

	for (size_t i = 0; i < len; i += per_line) {
		base64_run(out, data + i, len - i < per_line ? len - i : per_line);
		buf_puts(out, "\r\n");
	}
}

static bool qp_literal(unsigned char ch)
{
	return ch >= 33 && ch <= 126 && ch != '=';
}

void ical_mail_quoted_printable(struct buf *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	while (*p) {
		const unsigned char *end = p;
		size_t col = 0;

		while (*end && *end != '\n')
			end++;
		for (const unsigned char *q = p; q < end; q++) {
			char token[4];
			size_t n;
			bool at_start = q == p;
			bool trailing_blank = (*q == ' ' || *q == '\t') && q + 1 == end;
			bool guard = at_start && (*q == '.' || (*q == 'F' && !strncmp((const char *)q,
										 "From ", 5)));

			if ((qp_literal(*q) || ((*q == ' ' || *q == '\t') && !trailing_blank)) &&
			    !guard) {
				token[0] = (char)*q;
				n = 1;
			} else {
				snprintf(token, sizeof(token), "=%02X", *q);
				n = 3;
			}
			/* Leave room for the "=" of a soft line break. */
			if (col + n > QP_WIDTH - 1 && q + 1 < end) {
				buf_puts(out, "=\r\n");
				col = 0;
				/* The new line must not start with a guarded character. */
				if (n == 1 && (*q == '.' || (*q == 'F' && !strncmp((const char *)q,
											"From ", 5)))) {
					snprintf(token, sizeof(token), "=%02X", *q);
					n = 3;
				}
			} else if (col + n > QP_WIDTH && q + 1 == end) {
				buf_puts(out, "=\r\n");
				col = 0;
			}
			buf_putn(out, token, n);
			col += n;
		}
		buf_puts(out, "\r\n");
		p = *end ? end + 1 : end;
	}
}

void ical_mail_date(struct buf *out, long long epoch)
{
	static const char *const weekday[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *const month[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	long long days = epoch / 86400, secs = epoch % 86400;
	int y, m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	date_to_ymd((int)days, &y, &m, &d);
	buf_printf(out, "%s, %d %s %04d %02lld:%02lld:%02lld +0000", weekday[date_weekday((int)days)],
		   d, month[m - 1], y, secs / 3600, secs / 60 % 60, secs % 60);
}

/* A header being written: tokens separated by spaces, folded before a
 * token that would pass the width. */
struct header_line {
	struct buf *out;
	size_t col;
	bool empty; /* no token on the current line yet */
};

static void header_token(struct header_line *h, const char *token, size_t len)
{
	/* A token that does not fit goes to a continuation line, even the
	 * first one (then the field name stands alone on its line). */
	if (h->col + 1 + len > HEADER_WIDTH) {
		buf_puts(h->out, "\r\n");
		h->col = 0;
	}
	buf_putc(h->out, ' ');
	buf_putn(h->out, token, len);
	h->col += 1 + len;
	h->empty = false;
}

/* Whether text must go as encoded words: it is not plain ASCII, holds a
 * special of a phrase (a display name), or could be read as an encoded
 * word. A word too long for a line of its own is encoded too: encoded
 * words can be cut anywhere, a plain word only at the spaces around it. */
static bool needs_encoding(const char *text, bool phrase)
{
	size_t word = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p < 0x20 || *p > 0x7e)
			return true;
		if (phrase && strchr("()<>[]:;@\\,.\"", *p))
			return true;
		if (*p == '=' && p[1] == '?')
			return true;
		word = *p == ' ' ? 0 : word + 1;
		if (word > HEADER_WIDTH - 1)
			return true;
	}
	return false;
}

static void encoded_words(struct header_line *h, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text);
	struct buf word;

	buf_init(&word);
	while (len) {
		size_t n = len < WORD_BYTES ? len : WORD_BYTES;

		/* Never split a UTF-8 sequence between two words (RFC 2047 5). */
		while (n < len && n > 1 && (p[n] & 0xc0) == 0x80)
			n--;
		buf_puts(&word, "=?UTF-8?B?");
		base64_run(&word, p, n);
		buf_puts(&word, "?=");
		header_token(h, buf_str(&word), word.len);
		if (word.failed)
			h->out->failed = 1;
		buf_release(&word);
		p += n;
		len -= n;
	}
}

static void plain_words(struct header_line *h, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end;

		while (*p == ' ')
			p++;
		end = p;
		while (*end && *end != ' ')
			end++;
		if (end > p)
			header_token(h, p, (size_t)(end - p));
		p = end;
	}
}

void ical_mail_header(struct buf *out, const char *name, const char *text, const char *addr)
{
	struct header_line h = { out, strlen(name) + 1, true };

	buf_printf(out, "%s:", name);
	if (text && *text) {
		if (needs_encoding(text, addr != NULL))
			encoded_words(&h, text);
		else
			plain_words(&h, text);
	}
	if (addr) {
		struct buf angle;

		buf_init(&angle);
		buf_printf(&angle, "<%s>", addr);
		header_token(&h, buf_str(&angle), angle.len);
		if (angle.failed)
			out->failed = 1;
		buf_release(&angle);
	}
	buf_puts(out, "\r\n");
}

/* FNV-1a, to name the MIME boundary after the message. */
static uint64_t fnv1a(const char *s)
{
	uint64_t hash = 14695981039346656037ULL;

	for (; *s; s++) {
		hash ^= (unsigned char)*s;
		hash *= 1099511628211ULL;
	}
	return hash;
}

void ical_mail_format(struct buf *out, const struct ical_mail *m)
{
	char boundary[40];
	struct buf line;

	/* "=_" cannot occur in base64 or quoted-printable text. */
	snprintf(boundary, sizeof(boundary), "=_rota_%016llx",
		 (unsigned long long)fnv1a(m->message_id));
	buf_init(&line);
	ical_mail_date(&line, m->date);
	ical_mail_header(out, "Date", buf_str(&line), NULL);
	if (line.failed)
		out->failed = 1;
	buf_release(&line);
	ical_mail_header(out, "From", m->from_name, m->from_addr);
	ical_mail_header(out, "To", m->to_name, m->to_addr);
	ical_mail_header(out, "Subject", m->subject, NULL);
	{
		struct buf id;
		struct header_line h = { out, strlen("Message-ID:"), true };

		buf_init(&id);
		buf_printf(&id, "<%s>", m->message_id);
		buf_puts(out, "Message-ID:");
		header_token(&h, buf_str(&id), id.len);
		buf_puts(out, "\r\n");
		if (id.failed)
			out->failed = 1;
		buf_release(&id);
	}
	buf_puts(out, "MIME-Version: 1.0\r\n");
	buf_printf(out, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n", boundary);
	buf_puts(out, "\r\nThis is a multi-part message in MIME format.\r\n");

	buf_printf(out, "\r\n--%s\r\n", boundary);
	buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\n"
		      "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	ical_mail_quoted_printable(out, m->text);

	buf_printf(out, "\r\n--%s\r\n", boundary);
	buf_printf(out, "Content-Type: text/calendar; method=%s; charset=UTF-8\r\n"
			"Content-Transfer-Encoding: base64\r\n\r\n",
		   m->method);
	ical_mail_base64(out, (const unsigned char *)m->ics, m->ics_len);
	buf_printf(out, "\r\n--%s--\r\n", boundary);
}
