/*
 * ical_mail.h - an invitation as an iMIP message (RFC 6047): a MIME
 * multipart/alternative mail (RFC 5322, 2045-2047) with a plain-text part
 * and the text/calendar part, ready for `sendmail -t`. Used by calendar.c
 * (and its tests); knows nothing of iCalendar itself.
 *
 * Output has CRLF line ends and no line longer than 78 octets (RFC 5322
 * 2.1.1), except a continuation line that holds nothing but one address
 * ("<addr>") or message ID longer than 76 octets: RFC 5322 gives those no
 * place to fold (257 octets for an address of 254, well within
 * the 998 allowed). Display names and subjects that are not plain ASCII,
 * or hold a word too long for a line, are written as RFC 2047 encoded
 * words, cut between UTF-8 characters. Addresses are written as given:
 * the campaign reader accepts only plain ASCII ones.
 */
#ifndef ROTA_ICAL_MAIL_H
#define ROTA_ICAL_MAIL_H

#include <stddef.h>

#include "util.h"

struct ical_mail {
	const char *from_name;  /* may be NULL */
	const char *from_addr;
	const char *to_name;    /* may be NULL */
	const char *to_addr;
	const char *subject;    /* UTF-8 */
	const char *message_id; /* without the angle brackets */
	long long date;         /* seconds since the epoch */
	const char *method;     /* iTIP method of the calendar part: "REQUEST" */
	const char *text;       /* the plain-text part: UTF-8, LF line ends */
	const char *ics;        /* the calendar part as serialized (CRLF) */
	size_t ics_len;
};

/* Appends the whole message to out. */
void ical_mail_format(struct buf *out, const struct ical_mail *m);

/* The pieces, for tests. Each appends to out. */
/* Base64 in lines of 76 characters, each ended by CRLF. */
void ical_mail_base64(struct buf *out, const unsigned char *data, size_t len);
/* Quoted-printable (RFC 2045) of UTF-8 text with LF line ends: hard line
 * breaks become CRLF, no encoded line is over 76 octets, and a line never
 * starts with "." or "From " (safe for sendmail and mbox). */
void ical_mail_quoted_printable(struct buf *out, const char *text);
/* "Tue, 14 Nov 2023 22:13:20 +0000". */
void ical_mail_date(struct buf *out, long long epoch);
/* A header field "Name: value" ended by CRLF, folded at 78 octets. text is
 * written as RFC 2047 encoded words (UTF-8, B) when it is not plain ASCII,
 * holds a word longer than 77 octets, or, for a display name, holds
 * specials; addr, when not NULL, follows as "<addr>". */
void ical_mail_header(struct buf *out, const char *name, const char *text, const char *addr);

#endif
