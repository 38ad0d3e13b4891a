/* Unit tests of ical_mail.c's headers: folding (RFC 5322 2.2.3) and
 * encoded words (RFC 2047), on long names and many kinds of characters. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ical_mail.h"
#include "testlib.h"

enum { WIDTH = 78 };

/* Checks a header block: CRLF line ends, only printable ASCII, no line
 * over 78 octets unless it is a continuation holding only one "<...>"
 * (an address or message ID, which has no place to fold), and no line of
 * blanks only. Prints the offending line. */
static bool header_ok(const char *text)
{
	const char *s = text;

	while (*s) {
		const char *nl = strstr(s, "\r\n");
		size_t len;
		bool blank = true;

		if (!nl) {
			fprintf(stderr, "line without CRLF: %.40s\n", s);
			return false;
		}
		len = (size_t)(nl - s);
		for (const char *p = s; p < nl; p++) {
			if (*p < 0x20 || *p > 0x7e) {
				fprintf(stderr, "raw octet 0x%02x in: %.*s\n", (unsigned char)*p,
					(int)len, s);
				return false;
			}
			if (*p != ' ' && *p != '\t')
				blank = false;
		}
		if (blank) {
			fprintf(stderr, "line of blanks only\n");
			return false;
		}
		if (len > WIDTH && !(s[0] == ' ' && s[1] == '<' && nl[-1] == '>' &&
				     !memchr(s + 1, ' ', len - 1))) {
			fprintf(stderr, "line of %zu octets: %.*s\n", len, (int)len, s);
			return false;
		}
		s = nl + 2;
	}
	return true;
}

static int b64_value(char c)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(digits, c) : NULL;

	return p ? (int)(p - digits) : -1;
}

/* Appends the base64 text of n characters, decoded, to out. */
static void b64_decode(struct buf *out, const char *text, size_t n)
{
	unsigned v = 0;
	int bits = 0;

	for (size_t i = 0; i < n && text[i] != '='; i++) {
		int d = b64_value(text[i]);

		if (d < 0) {
			out->failed = 1;
			return;
		}
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (char)((v >> bits) & 0xff));
		}
	}
}

/* The value of one header field ("Name: value\r\n", folded), decoded as a
 * mail reader would: unfolded, encoded words decoded (the blanks between
 * two of them dropped), other words joined by one space. Caller frees;
 * NULL when something is not as RFC 2047 says. */
static char *header_value(const char *field)
{
	struct buf out;
	const char *s = strchr(field, ':');
	bool last_encoded = false, first = true;

	if (!s)
		return NULL;
	buf_init(&out);
	s++;
	while (*s) {
		const char *end;

		while (*s == ' ' || *s == '\r' || *s == '\n')
			s++;
		if (!*s)
			break;
		end = s;
		while (*end && *end != ' ' && *end != '\r')
			end++;
		if (!strncmp(s, "=?UTF-8?B?", 10) && end - s >= 12 && !strncmp(end - 2, "?=", 2)) {
			if (end - s > 75) /* RFC 2047 2: at most 75 characters */
				out.failed = 1;
			if (!first && !last_encoded)
				buf_putc(&out, ' ');
			b64_decode(&out, s + 10, (size_t)(end - s) - 12);
			last_encoded = true;
		} else {
			if (!first)
				buf_putc(&out, ' ');
			buf_putn(&out, s, (size_t)(end - s));
			last_encoded = false;
		}
		first = false;
		s = end;
	}
	return buf_detach(&out);
}

static void check_header(const char *name, const char *text, const char *addr,
			 const char *want)
{
	struct buf out;
	char *value;

	buf_init(&out);
	ical_mail_header(&out, name, text, addr);
	CHECK(header_ok(buf_str(&out)));
	CHECK(!strncmp(buf_str(&out), name, strlen(name)));
	value = header_value(buf_str(&out));
	if (want)
		CHECK_STR(value, want);
	free(value);
	buf_release(&out);
}

static char *repeat(const char *piece, int times, const char *sep)
{
	struct buf b;

	buf_init(&b);
	for (int i = 0; i < times; i++) {
		if (i)
			buf_puts(&b, sep);
		buf_puts(&b, piece);
	}
	return buf_detach(&b);
}

/* A display name of one word of 500 letters went out raw on a line of 501
 * octets. */
static void test_long_word_is_encoded(void)
{
	char *name = repeat("A", 500, "");
	char *want = repeat("A", 500, "");
	char *subject = repeat("x", 200, "");

	want = realloc(want, strlen(want) + sizeof(" <a@b.vn>"));
	CHECK(want != NULL);
	if (!want)
		return;
	memcpy(want + 500, " <a@b.vn>", sizeof(" <a@b.vn>"));
	check_header("To", name, "a@b.vn", want);
	check_header("From", name, "a@b.vn", want);
	check_header("Subject", subject, NULL, subject);
	/* 77 letters still fit on a line of their own, plainly. */
	name[77] = '\0';
	{
		struct buf out;

		buf_init(&out);
		ical_mail_header(&out, "Subject", name, NULL);
		CHECK(header_ok(buf_str(&out)));
		CHECK(strstr(buf_str(&out), "=?") == NULL);
		buf_release(&out);
	}
	free(name);
	free(want);
	free(subject);
}

/* Many short words, with several blanks between some. */
static void test_many_words_fold(void)
{
	char *name = repeat("Trưởng-xóm", 60, " ");
	char *plain = repeat("word", 100, "  ");
	char *plain_want = repeat("word", 100, " ");

	check_header("Subject", name, NULL, name);
	{
		struct buf want;

		buf_init(&want);
		buf_printf(&want, "%s <truong.xom@example.vn>", plain_want);
		check_header("To", plain, "truong.xom@example.vn", buf_str(&want));
		check_header("Subject", plain, NULL, plain_want);
		buf_release(&want);
	}
	free(name);
	free(plain);
	free(plain_want);
}

/* Vietnamese in every width of UTF-8 (2 and 3 octets; a 4-octet emoji),
 * and characters that must never go out raw: a zero-width space, a
 * no-break space, a right-to-left override, a tab, a line break. */
static void test_characters_encoded(void)
{
	static const char *const names[] = {
		"Nguyễn Văn Ánh",
		"Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ Ế Ề Ể Ễ Ệ Ố Ồ Ổ Ỗ Ộ đ Đ ư ơ",
		"Tổ\xe2\x80\x8b dân\xc2\xa0phố \xe2\x80\xae" "1 \xf0\x9f\x93\x85",
		"tab\there",
		"line\r\nBcc: x@y.vn",
		"Ông \"Ba\", (trưởng) <xóm>",
		"=?UTF-8?B?QQ==?=",
		"a.b",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct buf want;

		buf_init(&want);
		buf_printf(&want, "%s <x@example.vn>", names[i]);
		check_header("To", names[i], "x@example.vn", buf_str(&want));
		check_header("Subject", names[i], NULL, names[i]);
		buf_release(&want);
	}
	{
		/* 300 characters of 3 octets: cut only between characters. */
		char *many = repeat("ệ", 300, "");

		{
			struct buf want;

			buf_init(&want);
			buf_printf(&want, "%s <x@example.vn>", many);
			check_header("From", many, "x@example.vn", buf_str(&want));
			buf_release(&want);
		}
		free(many);
	}
}

/* An address of 254 octets (the most the reader accepts) cannot be folded:
 * it stands alone on its line, and the name before it still folds. */
static void test_long_address_alone(void)
{
	struct buf out, addr, want;
	char *local = repeat("a", 61, "");
	char *domain = repeat("d", 100, ".");
	const char *line;

	buf_init(&out);
	buf_init(&addr);
	buf_init(&want);
	buf_printf(&addr, "%s@%.*s.vn", local, 254 - 61 - 1 - 3, domain);
	CHECK_INT(addr.len, 254);
	buf_printf(&want, "Nguyễn Văn A <%s>", buf_str(&addr));
	ical_mail_header(&out, "To", "Nguyễn Văn A", buf_str(&addr));
	CHECK(header_ok(buf_str(&out)));
	line = strstr(buf_str(&out), "\r\n <");
	CHECK(line != NULL && strlen(line) == 2 + 1 + 256 + 2);
	{
		char *value = header_value(buf_str(&out));

		CHECK_STR(value, buf_str(&want));
		free(value);
	}
	free(local);
	free(domain);
	buf_release(&out);
	buf_release(&addr);
	buf_release(&want);
}

/* The whole message: every header line within the rule. */
static void test_whole_message(void)
{
	struct ical_mail m;
	struct buf out;
	char *name = repeat("Ủy-ban-nhân-dân", 30, "");
	char *subject = repeat("Giấy mời", 40, " ");
	const char *body_start;

	memset(&m, 0, sizeof(m));
	m.from_name = name;
	m.from_addr = "ubnd@example.vn";
	m.to_name = name;
	m.to_addr = "truongxom@example.vn";
	m.subject = subject;
	m.message_id = "rota.1700000000.0123456789abcdef@example.vn";
	m.date = 1700000000LL;
	m.method = "REQUEST";
	m.text = "Kính gửi\n";
	m.ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
	m.ics_len = strlen(m.ics);
	buf_init(&out);
	ical_mail_format(&out, &m);
	body_start = strstr(buf_str(&out), "\r\n\r\n");
	CHECK(body_start != NULL);
	if (body_start) {
		char *headers = malloc((size_t)(body_start - buf_str(&out)) + 3);

		if (headers) {
			memcpy(headers, buf_str(&out), (size_t)(body_start - buf_str(&out)) + 2);
			headers[body_start - buf_str(&out) + 2] = '\0';
			CHECK(header_ok(headers));
			free(headers);
		}
	}
	free(name);
	free(subject);
	buf_release(&out);
}

int main(void)
{
	RUN_TEST(test_long_word_is_encoded);
	RUN_TEST(test_many_words_fold);
	RUN_TEST(test_characters_encoded);
	RUN_TEST(test_long_address_alone);
	RUN_TEST(test_whole_message);
	return TEST_EXIT();
}
