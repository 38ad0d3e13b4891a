/*
 * Unit tests of calendar.c, ical_text.c and ical_mail.c on the in-memory
 * fixture: the files' properties, escaping and folding, iTIP, mails, the
 * week view, time zones.
 *
 * `test_calendar --dump DIR` writes the fixture's files (with --mail) and
 * a rota.json of the fixture plan into DIR instead, so that the
 * independent validators (tests/ical/) can check them without the solver.
 * `test_calendar --dump-chain DIR` writes DIR/1 ... DIR/4, a first plan
 * and three re-plans of the fixture (sequence_assign between each), so
 * that tests/ical/store.py and store.js can replay their outboxes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>

#include "calendar.h"
#include "date.h"
#include "sequence.h"
#include "fixture.h"
#include "ical_calendar.h"
#include "ical_mail.h"
#include "ical_text.h"
#include "testlib.h"

/* ---- files in memory ---- */

struct file {
	char *path;
	char *data;
	size_t len;
};

struct files {
	struct file *items;
	size_t count;
};

static int memory_sink(void *ctx, const char *relpath, const char *data, size_t len,
		       struct rota_error *err)
{
	struct files *f = ctx;
	struct file *grown = realloc(f->items, (f->count + 1) * sizeof(*grown));

	if (!grown)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	f->items = grown;
	grown[f->count].path = strdup(relpath);
	grown[f->count].data = malloc(len + 1);
	memcpy(grown[f->count].data, data, len);
	grown[f->count].data[len] = '\0';
	grown[f->count].len = len;
	f->count++;
	return 0;
}

static void files_free(struct files *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].path);
		free(f->items[i].data);
	}
	free(f->items);
	memset(f, 0, sizeof(*f));
}

static const char *find(const struct files *f, const char *path)
{
	for (size_t i = 0; i < f->count; i++)
		if (!strcmp(f->items[i].path, path))
			return f->items[i].data;
	return NULL;
}

static size_t count_prefix(const struct files *f, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < f->count; i++)
		n += !strncmp(f->items[i].path, prefix, strlen(prefix));
	return n;
}

static int emit(const struct plan *p, enum rota_lang lang, bool mail, struct files *out,
		struct buf *notes)
{
	struct cal_options o = { lang, mail, 1700000000LL };
	struct rota_error err = { 0, "" };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ical_calendar_emit(p, NULL, &o, memory_sink, out, notes, &err);
	if (rc)
		fprintf(stderr, "emit: %s\n", err.message);
	return rc;
}

/* ---- looking into iCalendar text ---- */

static size_t count_str(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *s = hay; (s = strstr(s, needle)); s += strlen(needle))
		n++;
	return n;
}

static bool utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = s[i] < 0x80 ? 1 : (s[i] & 0xe0) == 0xc0 ? 2 : (s[i] & 0xf0) == 0xe0 ? 3
			 : (s[i] & 0xf8) == 0xf0 ? 4 : 0;

		if (!n || i + n > len)
			return false;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

/* Every line ends with CRLF, is at most limit octets and is valid UTF-8
 * by itself (so folding never split a character). */
static bool lines_ok(const char *text, size_t limit, bool show)
{
	const char *s = text;
	bool ok = true;

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len;

		if (!nl || nl == s || nl[-1] != '\r') {
			if (show)
				fprintf(stderr, "line without CRLF: %.40s\n", s);
			return false;
		}
		len = (size_t)(nl - 1 - s);
		if (len > limit || !utf8_valid((const unsigned char *)s, len)) {
			if (show)
				fprintf(stderr, "bad line (%zu octets): %.*s\n", len, (int)len, s);
			ok = false;
		}
		s = nl + 1;
	}
	return ok;
}

/* The text with folds (CRLF + one space or tab) removed; caller frees. */
static char *unfold(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;

	for (const char *s = text; *s; s++) {
		if (s[0] == '\r' && s[1] == '\n' && (s[2] == ' ' || s[2] == '\t')) {
			s += 2;
			continue;
		}
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* The raw value (after the first unquoted ':') of the n-th property named
 * name, in unfolded text; caller frees; NULL when absent. */
static char *raw_value(const char *text, const char *name, size_t n, char **params)
{
	char *plain = unfold(text), *result = NULL;
	size_t len = strlen(name);

	for (char *line = plain; line && *line;) {
		char *end = strstr(line, "\r\n");

		if (end)
			*end = '\0';
		if (!strncmp(line, name, len) && (line[len] == ':' || line[len] == ';') && n-- == 0) {
			bool quoted = false;
			char *s = line + len;

			for (; *s && (quoted || *s != ':'); s++)
				if (*s == '"')
					quoted = !quoted;
			if (params)
				*params = strndup(line + len, (size_t)(s - line - len));
			result = strdup(*s ? s + 1 : "");
			break;
		}
		line = end ? end + 2 : NULL;
	}
	free(plain);
	return result;
}

/* RFC 5545 TEXT unescaping; caller frees. */
static char *unescape(const char *v)
{
	char *out = malloc(strlen(v) + 1), *o = out;

	for (; *v; v++) {
		if (*v == '\\' && v[1]) {
			v++;
			*o++ = (*v == 'n' || *v == 'N') ? '\n' : *v;
		} else {
			*o++ = *v;
		}
	}
	*o = '\0';
	return out;
}

static char *text_value(const char *ics, const char *name, size_t n)
{
	char *raw = raw_value(ics, name, n, NULL), *v;

	if (!raw)
		return NULL;
	v = unescape(raw);
	free(raw);
	return v;
}

/* A TEXT value is escaped as RFC 5545 wants: no bare comma or semicolon,
 * a backslash only before \ , ; n N. */
static bool escaped_ok(const char *raw)
{
	for (const char *s = raw; *s; s++) {
		if (*s == ',' || *s == ';')
			return false;
		if (*s == '\\') {
			if (!strchr("\\,;nN", s[1]) || !s[1])
				return false;
			s++;
		}
	}
	return true;
}

static int day(const char *text)
{
	int d = 0;

	date_parse(text, &d);
	return d;
}

static char *replace(char *old, const char *text)
{
	free(old);
	return strdup(text);
}

/* ---- tests ---- */

static void test_team_calendar(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct files f;
	struct buf notes;
	const char *ics;
	char uid[PLAN_UID_SIZE], *v;

	buf_init(&notes);
	CHECK_INT(emit(p, LANG_VI, false, &f, &notes), 0);
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics != NULL);
	if (!ics)
		goto out;
	CHECK(lines_ok(ics, 75, true));
	CHECK(!strncmp(ics, "BEGIN:VCALENDAR\r\nPRODID:-//rota//rota 0.1//VI\r\nVERSION:2.0\r\n", 59));
	CHECK(strstr(ics, "\r\nCALSCALE:GREGORIAN\r\n") != NULL);
	CHECK(strstr(ics, "METHOD") == NULL);
	CHECK(strstr(ics, "ORGANIZER") == NULL && strstr(ics, "ATTENDEE") == NULL);
	CHECK_INT(count_str(ics, "BEGIN:VEVENT\r\n"), 3);
	CHECK_INT(count_str(ics, "BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\nBEGIN:STANDARD\r\n"
				 "DTSTART:19750613T000000\r\nTZOFFSETFROM:+0700\r\n"
				 "TZOFFSETTO:+0700\r\n"),
		  1);
	CHECK_INT(count_str(ics, "BEGIN:DAYLIGHT"), 0);
	CHECK_INT(count_str(ics, "DTSTAMP:20231114T221320Z\r\n"), 3);
	CHECK_INT(count_str(ics, "SEQUENCE:0\r\n"), 3);
	/* 2024-03-09 weekend at the hall: 07:30-17:00 less 15 minutes each way. */
	CHECK(strstr(ics, "DTSTART;TZID=Asia/Ho_Chi_Minh:20240309T074500\r\n"
			  "DTEND;TZID=Asia/Ho_Chi_Minh:20240309T164500\r\n") != NULL);
	CHECK(strstr(ics, "DTSTART;TZID=Asia/Ho_Chi_Minh:20240311T180000\r\n") != NULL);
	for (size_t i = 0; i < p->nsessions; i++) {
		char line[PLAN_UID_SIZE + 8];

		plan_session_uid(p, &p->sessions[i], uid, sizeof(uid));
		snprintf(line, sizeof(line), "UID:%s\r\n", uid);
		CHECK(strstr(ics, line) != NULL);
	}
	v = text_value(ics, "NAME", 0);
	CHECK_STR(v, "Tổ thu nhận Công an xã – Cấp CCCD và định danh điện tử xã Trung Hội năm 2024");
	free(v);
	v = text_value(ics, "X-WR-CALNAME", 0);
	CHECK_STR(v, "Tổ thu nhận Công an xã – Cấp CCCD và định danh điện tử xã Trung Hội năm 2024");
	free(v);
	/* The first session is at the school, the second at the hall. */
	v = text_value(ics, "LOCATION", 1);
	CHECK_STR(v, "Nhà văn hóa xóm Đồng Chùa; khu 2, Trung Hội");
	free(v);
	v = raw_value(ics, "LOCATION", 1, NULL);
	CHECK_STR(v, "Nhà văn hóa xóm Đồng Chùa\\; khu 2\\, Trung Hội");
	free(v);
	v = text_value(ics, "SUMMARY", 1);
	CHECK_STR(v, "Thu nhận hồ sơ cấp thẻ Căn cước + Đăng ký, kích hoạt định danh điện tử mức 2 "
		     "tại Nhà văn hóa xóm Đồng Chùa; khu 2, Trung Hội");
	free(v);
	v = text_value(ics, "DESCRIPTION", 1);
	CHECK(v && strstr(v, "Tổ: Tổ thu nhận Công an xã\n"));
	CHECK(v && strstr(v, "Di chuyển: 15 phút mỗi chiều từ Trụ sở Công an xã Trung Hội"));
	CHECK(v && strstr(v, "Số người được mời: 57 người\n"));
	CHECK(v && strstr(v, "\nXóm Đồng Chùa – đến 07:45–16:45:\n"
			     "- 12 người: Học sinh dự thi – Thu nhận hồ sơ cấp thẻ Căn cước\n"));
	/* The last line has no line end. */
	CHECK(v && strstr(v, "- 35 người: Công dân từ đủ 14 tuổi – Đăng ký, kích hoạt định danh "
			     "điện tử mức 2") && v[strlen(v) - 1] == '2');
	/* Counts, not the contact people. */
	CHECK(v && !strstr(v, "Nguyễn Văn A"));
	free(v);
	v = text_value(ics, "DESCRIPTION", 2);
	CHECK(v && strstr(v, "Tại trụ sở của tổ (Trụ sở Công an xã Trung Hội), không phải di chuyển."));
	free(v);
	/* Only the fixture's one school gets a calendar; notes say nothing
	 * is missing. */
	CHECK_INT(count_prefix(&f, "calendars/schools/"), 1);
	CHECK_STR(buf_str(&notes), "");
	CHECK_INT(count_prefix(&f, "mail/"), 0);
out:
	files_free(&f);
	buf_release(&notes);
	plan_free(p);
	campaign_free(c);
}

static void test_school_calendar(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct files f;
	struct buf notes;
	const char *ics;
	char uid[PLAN_UID_SIZE], line[PLAN_UID_SIZE + 8], *v;

	buf_init(&notes);
	CHECK_INT(emit(p, LANG_VI, false, &f, &notes), 0);
	ics = find(&f, "calendars/schools/thcs-trung-hoi.ics");
	CHECK(ics != NULL);
	if (!ics)
		goto out;
	CHECK(lines_ok(ics, 75, true));
	CHECK(strstr(ics, "METHOD") == NULL);
	CHECK(strstr(ics, "ORGANIZER") == NULL && strstr(ics, "ATTENDEE") == NULL);
	CHECK_INT(count_str(ics, "BEGIN:VEVENT\r\n"), 2);
	/* The session event carries the invitation's UID and spans the
	 * pupils' arrival window. */
	plan_invite_uid(p, &p->sessions[0], 1, uid, sizeof(uid));
	snprintf(line, sizeof(line), "UID:%s\r\n", uid);
	CHECK(strstr(ics, line) != NULL);
	CHECK(strstr(ics, "DTSTART;TZID=Asia/Ho_Chi_Minh:20240305T073500\r\n"
			  "DTEND;TZID=Asia/Ho_Chi_Minh:20240305T165500\r\n") != NULL);
	/* The deadline of the exam group, all day. */
	CHECK(strstr(ics, "UID:deadline.exam.thcs-trung-hoi.fixture-2024@rota\r\n") != NULL);
	CHECK(strstr(ics, "DTSTART;VALUE=DATE:20240315\r\nDTEND;VALUE=DATE:20240316\r\n") != NULL);
	CHECK(strstr(ics, "TRANSP:TRANSPARENT\r\n") != NULL);
	v = text_value(ics, "SUMMARY", 0);
	CHECK_STR(v, "Thu nhận hồ sơ cấp thẻ Căn cước: 48 học sinh của Trường THCS Trung Hội");
	free(v);
	v = text_value(ics, "DESCRIPTION", 0);
	CHECK(v && strstr(v, "Cho học sinh đến: 07:35–16:55, Thứ Ba, 05/03/2024 (nghỉ 11:30–13:30)\n"));
	CHECK(v && strstr(v, "- 48 học sinh: Học sinh dự thi – Thu nhận hồ sơ cấp thẻ Căn cước\n"));
	CHECK(v && strstr(v, "Cần mang theo:\n- Thu nhận hồ sơ cấp thẻ Căn cước: "));
	CHECK(v && !strstr(v, "Xin trả lời"));
	free(v);
	v = text_value(ics, "SUMMARY", 1);
	CHECK_STR(v, "Hạn chót: Học sinh dự thi – Trường THCS Trung Hội");
	free(v);
	v = text_value(ics, "DESCRIPTION", 1);
	CHECK(v && strstr(v, "- Thu nhận hồ sơ cấp thẻ Căn cước: 48 học sinh cần phục vụ; 48 được "
			     "mời trong kế hoạch, 48 trước hạn chót."));
	free(v);
	/* Counts only: neither the principal's name nor any address. */
	CHECK(strstr(ics, "Trần Thị B") == NULL && strstr(ics, "@example") == NULL);
out:
	files_free(&f);
	buf_release(&notes);
	plan_free(p);
	campaign_free(c);
}

static void test_invitations(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;
	struct files f;
	struct buf notes;
	const char *ics;
	char uid[PLAN_UID_SIZE], line[PLAN_UID_SIZE + 8], *v, *params = NULL;

	/* A phone and a second person that must never show. */
	c->units[0].contact.phone = strdup("0912 345 678");
	c->units[2].has_contact = true;
	c->units[2].contact.name = strdup("Lò Văn Khánh");
	c->units[2].contact.phone = strdup("0987 654 321");
	p = fixture_plan(c);
	buf_init(&notes);
	CHECK_INT(emit(p, LANG_VI, false, &f, &notes), 0);
	CHECK_INT(count_prefix(&f, "invites/"), 2);
	CHECK_INT(count_prefix(&f, "invites/xom-na-mao/"), 0); /* no email */
	ics = find(&f, "invites/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics");
	CHECK(ics != NULL);
	CHECK(find(&f, "invites/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa.ics") != NULL);
	if (!ics)
		goto out;
	CHECK(lines_ok(ics, 75, true));
	CHECK(strstr(ics, "\r\nMETHOD:REQUEST\r\n") != NULL);
	CHECK_INT(count_str(ics, "BEGIN:VEVENT"), 1);
	CHECK_INT(count_str(ics, "\r\nUID:"), 1);
	CHECK_INT(count_str(ics, "\r\nSEQUENCE:0\r\n"), 1);
	CHECK_INT(count_str(ics, "\r\nDTSTAMP:20231114T221320Z\r\n"), 1);
	plan_invite_uid(p, &p->sessions[1], 0, uid, sizeof(uid));
	snprintf(line, sizeof(line), "UID:%s\r\n", uid);
	CHECK(strstr(ics, line) != NULL);
	v = raw_value(ics, "ORGANIZER", 0, &params);
	CHECK_STR(v, "mailto:congan.trunghoi@example.vn");
	CHECK_STR(params, ";CN=Công an xã Trung Hội");
	free(v);
	free(params);
	v = raw_value(ics, "ATTENDEE", 0, &params);
	CHECK_STR(v, "mailto:truongxom.dongchua@example.vn");
	CHECK_STR(params, ";CN=Nguyễn Văn A;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE");
	free(v);
	free(params);
	CHECK(raw_value(ics, "ATTENDEE", 1, NULL) == NULL);
	/* The contact's own name only in CN; no phone, no other person. */
	v = unfold(ics);
	CHECK_INT(count_str(v, "Nguyễn Văn A"), 1);
	CHECK(!strstr(v, "0912") && !strstr(v, "345 678") && !strstr(v, "Lò Văn Khánh") &&
	      !strstr(v, "Trần Thị B") && !strstr(v, "0987"));
	free(v);
	v = text_value(ics, "DESCRIPTION", 0);
	CHECK(v && strstr(v, "Thời gian đến: 07:45–16:45, Thứ Bảy, 09/03/2024 (nghỉ 11:30–13:30)\n"));
	CHECK(v && strstr(v, "Số người được mời: 57 người\n"));
	CHECK(v && strstr(v, "Tổ thu nhận làm việc tại điểm 07:45–16:45 (ca cuối tuần; nghỉ "
			     "11:30–13:30).\n"));
	CHECK(v && strstr(v, "- Đăng ký, kích hoạt định danh điện tử mức 2: thẻ Căn cước (hoặc CCCD "
			     "gắn chip) còn hạn và điện thoại thông minh đã cài ứng dụng VNeID"));
	CHECK(v && strstr(v, "- Thu nhận hồ sơ cấp thẻ Căn cước: có mặt trực tiếp"));
	/* No group of children here: nothing about a parent. */
	CHECK(v && !strstr(v, "cha, mẹ"));
	CHECK(v && strstr(v, "Xin trả lời thư mời này"));
	free(v);
	/* The school's invitation and its calendar event are one event. */
	ics = find(&f, "invites/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa.ics");
	v = text_value(find(&f, "calendars/schools/thcs-trung-hoi.ics"), "UID", 0);
	params = text_value(ics, "UID", 0);
	CHECK(v && params && !strcmp(v, params));
	free(v);
	free(params);
out:
	files_free(&f);
	buf_release(&notes);
	plan_free(p);
	campaign_free(c);
}

static void test_notes(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;
	struct files f;
	struct buf notes;

	/* A second team with nothing to do; the school and the village
	 * with a contact get no session. */
	c->teams = realloc(c->teams, 2 * sizeof(*c->teams));
	c->teams[1] = c->teams[0];
	c->teams[1].id = strdup("ca-huyen");
	c->teams[1].name = strdup("Tổ Công an huyện");
	c->teams[1].capacity = calloc(2, sizeof(int));
	c->nteams = 2;
	p = plan_new(c);
	plan_add_visit(plan_add_session(p, 0, 0, day("2024-03-11"), SLOT_EVENING), 2, 0, 20);
	/* A fixed session where nobody is invited yet still shows. */
	plan_add_session(p, 0, 1, day("2024-03-12"), SLOT_DAY);
	plan_sort(p);
	plan_assign_arrivals(p);
	buf_init(&notes);
	CHECK_INT(emit(p, LANG_VI, true, &f, &notes), 0);
	CHECK_STR(buf_str(&notes), "tổ ca-huyen: không có phiên, không có lịch\n"
				   "trường thcs-trung-hoi: không có phiên, không có lịch\n"
				   "đơn vị xom-dong-chua: có email nhưng không có phiên, không có thư mời\n"
				   "đơn vị thcs-trung-hoi: có email nhưng không có phiên, không có thư mời\n");
	CHECK_INT(f.count, 1);
	CHECK(find(&f, "calendars/teams/ca-xa.ics") != NULL);
	/* With several teams, a session's summary names its team. */
	CHECK(f.count && strstr(f.items[0].data, " – Tổ thu nhận Công an xã\r\n"));
	if (f.count) {
		char *v = text_value(f.items[0].data, "SUMMARY", 1);

		CHECK_STR(v, "Phiên thu nhận tại Nhà văn hóa xóm Đồng Chùa; khu 2, Trung Hội – Tổ "
			     "thu nhận Công an xã");
		free(v);
		v = text_value(f.items[0].data, "DESCRIPTION", 1);
		CHECK(v && strstr(v, "Số người được mời: 0 người\nChưa mời ai."));
		free(v);
	}
	files_free(&f);
	buf_release(&notes);
	plan_free(p);
	campaign_free(c);
}

/* Each of the three name-bearing values round-trips and stays within the
 * line limit, whatever it holds. */
static void check_round_trip(const char *ics, const char *name, size_t n, const char *want)
{
	char *raw = raw_value(ics, name, n, NULL), *v;

	CHECK(raw != NULL);
	if (!raw)
		return;
	if (!escaped_ok(raw))
		fprintf(stderr, "%s is not escaped: %s\n", name, raw);
	CHECK(escaped_ok(raw));
	v = unescape(raw);
	if (strcmp(v, want))
		fprintf(stderr, "%s: got '%s'\nwant '%s'\n", name, v, want);
	CHECK(!strcmp(v, want));
	free(raw);
	free(v);
}

static void test_escaping_and_folding(void)
{
	static const char diacritics[] =
		"Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ Ế Ề Ể Ễ Ệ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ Ứ Ừ Ử Ữ Ự Ỳ Ỷ Ỹ Ỵ đ Đ "
		"ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ế ề ể ễ ệ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ứ ừ ử ữ ự ỳ ỷ ỹ ỵ "
		"À Á Ả Ã Ạ È É Ẻ Ẽ Ẹ Ì Í Ỉ Ĩ Ị Ò Ó Ỏ Õ Ọ Ù Ú Ủ Ũ Ụ Ơ Ư Ă Â Ê Ô "
		"à á ả ã ạ è é ẻ ẽ ẹ ì í ỉ ĩ ị ò ó ỏ õ ọ ù ú ủ ũ ụ ơ ư ă â ê ô";
	const char *campaign_name = "Đợt 1, xã \"Trung Hội\"; huyện Định Hóa\\Thái Nguyên";
	const char *site_name = "Nhà văn hóa, \"xóm\" Đồng Chùa; khu 2\\3 ";
	struct campaign *c = fixture_campaign();
	struct plan *p;
	struct files f;
	struct buf notes, long_name, want;
	const char *ics;

	/* 300 characters, most of them two or three octets, so that folds
	 * land next to and inside multi-octet characters at every offset. */
	buf_init(&long_name);
	while (ical_text_width(buf_str(&long_name)) < 300)
		buf_puts(&long_name, "Ữ,ê;\\ợ đ");
	buf_init(&want);
	c->name = replace(c->name, campaign_name);
	c->sites[1].name = replace(c->sites[1].name, site_name);
	c->sites[1].address = strdup(diacritics);
	c->units[0].name = replace(c->units[0].name, buf_str(&long_name));
	c->units[0].contact.name = replace(c->units[0].contact.name, "Nguyễn \"Văn\"; A, \\B");
	c->groups[1].name = replace(c->groups[1].name, diacritics);
	p = fixture_plan(c);
	buf_init(&notes);
	for (int lang = LANG_VI; lang <= LANG_EN; lang++) {
		CHECK_INT(emit(p, (enum rota_lang)lang, true, &f, &notes), 0);
		for (size_t i = 0; i < f.count; i++) {
			bool ok = lines_ok(f.items[i].data, strstr(f.items[i].path, ".eml") ? 78 : 75,
					   true);

			if (!ok)
				fprintf(stderr, "in %s\n", f.items[i].path);
			CHECK(ok);
		}
		ics = find(&f, "invites/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics");
		CHECK(ics != NULL);
		if (!ics)
			break;
		buf_release(&want);
		buf_printf(&want, "%s – %s", buf_str(&long_name), campaign_name);
		check_round_trip(ics, "NAME", 0, buf_str(&want));
		check_round_trip(ics, "X-WR-CALNAME", 0, buf_str(&want));
		buf_release(&want);
		buf_printf(&want, "%s, %s", site_name, diacritics);
		check_round_trip(ics, "LOCATION", 0, buf_str(&want));
		buf_release(&want);
		buf_printf(&want, lang == LANG_EN ? "%s: 57 people of %s" : "%s: 57 người của %s",
			   "Thu nhận hồ sơ cấp thẻ Căn cước + Đăng ký, kích hoạt định danh điện tử mức 2",
			   buf_str(&long_name));
		check_round_trip(ics, "SUMMARY", 0, buf_str(&want));
		{
			char *d = text_value(ics, "DESCRIPTION", 0), *raw = raw_value(ics, "DESCRIPTION", 0,
											NULL);

			CHECK(d && strstr(d, diacritics) && strstr(d, buf_str(&long_name)));
			CHECK(raw && escaped_ok(raw));
			free(d);
			free(raw);
		}
		/* The CN parameter holds quotes the RFC 6868 way. */
		{
			char *params = NULL, *v = raw_value(ics, "ATTENDEE", 0, &params);

			CHECK_STR(params, ";CN=\"Nguyễn ^'Văn^'; A, \\B\";ROLE=REQ-PARTICIPANT;"
					  "PARTSTAT=NEEDS-ACTION;RSVP=TRUE");
			free(params);
			free(v);
		}
		ics = find(&f, "calendars/teams/ca-xa.ics");
		check_round_trip(ics, "X-WR-CALNAME", 0,
				 "Tổ thu nhận Công an xã – Đợt 1, xã \"Trung Hội\"; huyện Định "
				 "Hóa\\Thái Nguyên");
		files_free(&f);
	}
	buf_release(&notes);
	buf_release(&long_name);
	buf_release(&want);
	plan_free(p);
	campaign_free(c);
}

/* libical 3.0.16 breaks the line end of a property whose last piece is
 * 73 or 74 octets with nowhere to break (calendar.c repairs it): UIDs and
 * addresses of every length, each line checked, each UID read back. */
static void test_long_unbreakable_values(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct files f;
	struct buf notes, id, email;

	buf_init(&notes);
	buf_init(&id);
	buf_init(&email);
	for (int n = 1; n <= 63; n++) {
		bool ok = true;

		buf_release(&id);
		for (int k = 0; k < n; k++)
			buf_putc(&id, (char)('a' + k % 26));
		buf_release(&email);
		buf_printf(&email, "%s@example.vn", buf_str(&id));
		c->id = replace(c->id, buf_str(&id));
		c->units[0].contact.email = replace(c->units[0].contact.email, buf_str(&email));
		CHECK_INT(emit(p, LANG_VI, true, &f, &notes), 0);
		for (size_t i = 0; i < f.count; i++) {
			const char *data = f.items[i].data;
			char *v;

			if (!lines_ok(data, strstr(f.items[i].path, ".eml") ? 78 : 75, true) ||
			    strstr(data, "\r\n \r\n") || strstr(data, "\r\r")) {
				fprintf(stderr, "bad folding in %s\n", f.items[i].path);
				ok = false;
			}
			if (!strstr(f.items[i].path, ".ics"))
				continue;
			if (count_str(data, "\r\nDTSTAMP:") != count_str(data, "\r\nBEGIN:VEVENT\r\n")) {
				fprintf(stderr, "a DTSTAMP is lost in %s\n", f.items[i].path);
				ok = false;
			}
			/* Every UID reads back whole: one of the plan's. */
			for (size_t k = 0; (v = text_value(data, "UID", k)); k++) {
				bool known = !strncmp(v, "deadline.", 9);

				for (size_t j = 0; j < p->nsessions && !known; j++) {
					char uid[PLAN_UID_SIZE];

					plan_session_uid(p, &p->sessions[j], uid, sizeof(uid));
					known = !strcmp(v, uid);
					for (size_t u = 0; u < c->nunits && !known; u++) {
						plan_invite_uid(p, &p->sessions[j], u, uid, sizeof(uid));
						known = !strcmp(v, uid);
					}
				}
				if (!known)
					fprintf(stderr, "unknown UID %s\n", v);
				ok = ok && known;
				free(v);
			}
			v = strstr(f.items[i].path, "xom-dong-chua") ? raw_value(data, "ATTENDEE", 0, NULL)
								     : NULL;
			if (v) {
				if (strcmp(v + 7, buf_str(&email))) {
					fprintf(stderr, "ATTENDEE %s\n", v);
					ok = false;
				}
				free(v);
			}
		}
		if (!ok)
			fprintf(stderr, "campaign id of %d characters\n", n);
		CHECK(ok);
		files_free(&f);
	}
	buf_release(&id);
	buf_release(&email);
	buf_release(&notes);
	plan_free(p);
	campaign_free(c);
}

static void test_english(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct files f;
	struct buf notes;
	const char *ics;
	char *v;

	buf_init(&notes);
	CHECK_INT(emit(p, LANG_EN, false, &f, &notes), 0);
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics && strstr(ics, "PRODID:-//rota//rota 0.1//EN\r\n"));
	v = text_value(ics, "DESCRIPTION", 1);
	CHECK(v && strstr(v, "Team: Tổ thu nhận Công an xã\n"
			     "Saturday 9 March 2024, weekend slot: the team works on site "
			     "07:45–16:45 (break 11:30–13:30)\n"
			     "Travel: 15 minutes each way from Trụ sở Công an xã Trung Hội; leave at "
			     "07:30, back by 17:00.\nPeople invited: 57 people\n"));
	CHECK(v && !strstr(v, "người") && !strstr(v, "Tổ:"));
	free(v);
	ics = find(&f, "invites/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics");
	v = text_value(ics, "DESCRIPTION", 0);
	CHECK(v && strstr(v, "What to bring:\n"));
	CHECK(v && strstr(v, ": your chip ID card, and a smartphone"));
	CHECK(v && strstr(v, "Please answer this invitation"));
	free(v);
	files_free(&f);
	buf_release(&notes);
	plan_free(p);
	campaign_free(c);
}

static void test_deterministic(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct files a, b;
	struct buf notes;

	buf_init(&notes);
	CHECK_INT(emit(p, LANG_VI, true, &a, &notes), 0);
	CHECK_INT(emit(p, LANG_VI, true, &b, &notes), 0);
	CHECK_INT(a.count, b.count);
	/* team, school, two invitations, two mails, and a first plan's outbox:
	 * both invitations and their mails */
	CHECK_INT(a.count, 10);
	for (size_t i = 0; i < a.count && i < b.count; i++) {
		CHECK_STR(a.items[i].path, b.items[i].path);
		CHECK(a.items[i].len == b.items[i].len &&
		      !memcmp(a.items[i].data, b.items[i].data, a.items[i].len));
	}
	files_free(&a);
	files_free(&b);
	buf_release(&notes);
	plan_free(p);
	campaign_free(c);
}

/* ---- mail ---- */

static int b64_digit(char ch)
{
	const char *digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *at = ch ? strchr(digits, ch) : NULL;

	return at ? (int)(at - digits) : -1;
}

/* Decodes base64, skipping line ends; caller frees. */
static char *b64_decode(const char *s, size_t len, size_t *out_len)
{
	char *out = malloc(len + 1);
	size_t n = 0;
	unsigned v = 0;
	int bits = 0;

	for (size_t i = 0; i < len; i++) {
		int d = b64_digit(s[i]);

		if (d < 0)
			continue;
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (char)((v >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

static char *qp_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=' && s[1] && s[2]) {
			char hex[3] = { s[1], s[2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			s += 3;
		} else if (s[0] == '\r' && s[1] == '\n') {
			*o++ = '\n';
			s += 2;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* Decodes a header's encoded words (and folds) back to UTF-8. */
static char *header_decode(const char *value)
{
	struct buf out;
	const char *s = value;

	buf_init(&out);
	while (*s) {
		if (!strncmp(s, "=?UTF-8?B?", 10)) {
			const char *end = strstr(s + 10, "?=");
			size_t n;
			char *raw = b64_decode(s + 10, (size_t)(end - s - 10), &n);

			CHECK(utf8_valid((unsigned char *)raw, n)); /* whole characters */
			buf_putn(&out, raw, n);
			free(raw);
			s = end + 2;
			/* White space between two encoded words is dropped. */
			while ((*s == '\r' || *s == '\n' || *s == ' ') && !strncmp(s + strspn(s, "\r\n "),
										  "=?", 2))
				s += strspn(s, "\r\n ");
		} else if (s[0] == '\r' && s[1] == '\n') {
			s += 2;
		} else {
			buf_putc(&out, *s++);
		}
	}
	return buf_detach(&out);
}

static void test_mail_pieces(void)
{
	struct buf out, text;
	char *back;
	size_t n;
	const char *subject =
		"Giấy mời: Xóm Đồng Chùa, khu 2, 09/03/2024 07:45–11:15 tại Nhà văn hóa xóm "
		"Đồng Chùa; khu 2, Trung Hội – Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ Ế Ề Ể Ễ Ệ Ố Ồ Ổ Ỗ Ộ đ Đ";

	buf_init(&out);
	ical_mail_date(&out, 1700000000LL);
	CHECK_STR(buf_str(&out), "Tue, 14 Nov 2023 22:13:20 +0000");
	buf_release(&out);
	ical_mail_date(&out, 0);
	CHECK_STR(buf_str(&out), "Thu, 1 Jan 1970 00:00:00 +0000");
	buf_release(&out);

	ical_mail_header(&out, "Subject", subject, NULL);
	CHECK(lines_ok(buf_str(&out), 78, true));
	CHECK(!strncmp(buf_str(&out), "Subject: =?UTF-8?B?", 19));
	back = header_decode(buf_str(&out) + 9);
	CHECK_STR(back, subject);
	free(back);
	buf_release(&out);
	ical_mail_header(&out, "To", "Nguyễn Văn A", "truongxom.dongchua@example.vn");
	CHECK(lines_ok(buf_str(&out), 78, true));
	CHECK(strstr(buf_str(&out), " <truongxom.dongchua@example.vn>\r\n") != NULL);
	buf_release(&out);
	ical_mail_header(&out, "To", "Plain Name", "a@b.c");
	CHECK_STR(buf_str(&out), "To: Plain Name <a@b.c>\r\n");
	buf_release(&out);

	/* Quoted-printable: long lines, "=", trailing blanks, "." and "From ". */
	buf_init(&text);
	for (int i = 0; i < 12; i++)
		buf_puts(&text, "Ữ = ợ đ ");
	buf_puts(&text, "\n.\nFrom here \n\nend");
	ical_mail_quoted_printable(&out, buf_str(&text));
	CHECK(lines_ok(buf_str(&out), 76, true));
	CHECK(strstr(buf_str(&out), "\r\n.") == NULL && strstr(buf_str(&out), "\r\nFrom ") == NULL);
	back = qp_decode(buf_str(&out));
	/* The last line gets a line end. */
	buf_putc(&text, '\n');
	CHECK_STR(back, buf_str(&text));
	free(back);
	buf_release(&out);
	buf_release(&text);

	ical_mail_base64(&out, (const unsigned char *)"any carnal pleasure.", 20);
	CHECK_STR(buf_str(&out), "YW55IGNhcm5hbCBwbGVhc3VyZS4=\r\n");
	buf_release(&out);
	back = b64_decode("YW55IGNhcm5hbCBwbGVhc3VyZS4=", 28, &n);
	CHECK_INT(n, 20);
	free(back);
}

static const char *mail_part(const char *mail, const char *type)
{
	const char *at = strstr(mail, type);

	return at ? strstr(at, "\r\n\r\n") : NULL;
}

static void test_mail_message(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct files f;
	struct buf notes;
	const char *mail, *ics, *part;
	char *decoded, *end;
	size_t n;

	buf_init(&notes);
	CHECK_INT(emit(p, LANG_VI, true, &f, &notes), 0);
	mail = find(&f, "mail/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.eml");
	ics = find(&f, "invites/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics");
	CHECK(mail && ics);
	if (!mail || !ics)
		goto out;
	CHECK(lines_ok(mail, 78, true));
	CHECK(!strncmp(mail, "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nFrom: =?UTF-8?B?", 55));
	CHECK(strstr(mail, "<congan.trunghoi@example.vn>\r\nTo: ") != NULL);
	CHECK(strstr(mail, "<truongxom.dongchua@example.vn>\r\nSubject: =?UTF-8?B?") != NULL);
	CHECK(strstr(mail, "\r\nMessage-ID: <rota.1700000000.") != NULL);
	CHECK(strstr(mail, "@example.vn>\r\nMIME-Version: 1.0\r\n"
			   "Content-Type: multipart/alternative;\r\n boundary=\"=_rota_") != NULL);
	{
		const char *other = find(&f, "mail/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa.eml");
		char *a = raw_value(mail, "Message-ID", 0, NULL);
		char *b = other ? raw_value(other, "Message-ID", 0, NULL) : NULL;

		CHECK(a && b && strcmp(a, b));
		free(a);
		free(b);
	}
	CHECK(strstr(mail, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
			   "Content-Transfer-Encoding: quoted-printable\r\n") != NULL);
	CHECK(strstr(mail, "\r\nContent-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n"
			   "Content-Transfer-Encoding: base64\r\n") != NULL);
	/* The calendar part is the invitation, byte for byte. */
	part = mail_part(mail, "Content-Type: text/calendar");
	CHECK(part != NULL);
	if (part) {
		end = strstr(part, "\r\n--=_rota_");
		decoded = b64_decode(part, (size_t)(end - part), &n);
		CHECK(n == strlen(ics) && !strcmp(decoded, ics));
		free(decoded);
	}
	/* The plain part is the description, with a greeting. */
	part = mail_part(mail, "Content-Type: text/plain");
	if (part) {
		char *copy = strndup(part + 4, (size_t)(strstr(part, "\r\n--=_rota_") - part - 4));

		decoded = qp_decode(copy);
		CHECK(strstr(decoded, "Kính gửi Nguyễn Văn A,\n") != NULL);
		CHECK(strstr(decoded, "Số người được mời: 57 người\n") != NULL);
		free(decoded);
		free(copy);
	}
out:
	files_free(&f);
	buf_release(&notes);
	plan_free(p);
	campaign_free(c);
}

/* ---- week ---- */

static bool columns_ok(const char *text, size_t limit)
{
	bool ok = true;

	for (const char *s = text; *s;) {
		const char *nl = strchr(s, '\n');
		char *line = strndup(s, nl ? (size_t)(nl - s) : strlen(s));

		if (ical_text_width(line) > limit) {
			fprintf(stderr, "too wide: %s\n", line);
			ok = false;
		}
		free(line);
		s = nl ? nl + 1 : s + strlen(s);
	}
	return ok;
}

static void test_week(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct cal_options o = { LANG_VI, false, 1700000000LL };
	struct rota_error err = { 0, "" };
	struct buf table, ics;

	buf_init(&table);
	buf_init(&ics);
	CHECK_INT(calendar_week(p, day("2024-03-04"), &o, &table, &ics, &err), 2);
	CHECK(columns_ok(buf_str(&table), 80));
	CHECK(strstr(buf_str(&table), "Tuần 2024-W10 (04/03/2024 – 10/03/2024)") != NULL);
	CHECK(strstr(buf_str(&table), "T7 09/03   cuối tuần") != NULL);
	/* Names, not ids; the service split and the groups. */
	CHECK(strstr(buf_str(&table), ", 07:45-16:45: 57 (cccd 22, eid2 35): Học sinh dự") != NULL);
	CHECK(strstr(buf_str(&table), "      57  cccd 22, eid2 35\n    Tổ: ") != NULL);
	CHECK(strstr(buf_str(&table), "xom-dong-chua") == NULL);
	CHECK(strstr(buf_str(&table), "Tổng: 2 phiên, 105 người") != NULL);
	CHECK(lines_ok(buf_str(&ics), 75, true));
	CHECK_INT(count_str(buf_str(&ics), "BEGIN:VEVENT"), 2);
	CHECK(strstr(buf_str(&ics), "METHOD") == NULL);
	CHECK(strstr(buf_str(&ics), "\r\nNAME:Lịch tuần 2024-W10 – Cấp CCCD") != NULL);
	buf_release(&table);
	buf_release(&ics);

	o.lang = LANG_EN;
	CHECK_INT(calendar_week(p, day("2024-03-11"), &o, &table, &ics, &err), 1);
	CHECK(strstr(buf_str(&table), "Mon 11/03  evening") != NULL);
	CHECK(strstr(buf_str(&table), "Total: 1 session, 20 people") != NULL);
	CHECK(columns_ok(buf_str(&table), 80));
	buf_release(&table);
	buf_release(&ics);

	CHECK_INT(calendar_week(p, day("2024-03-18"), &o, &table, &ics, &err), 0);
	CHECK(strstr(buf_str(&table), "No session this week.") != NULL);
	CHECK_INT(ics.len, 0);
	buf_release(&table);
	buf_release(&ics);
	plan_free(p);
	campaign_free(c);
}

/* ---- time zones ---- */

static void test_time_zones(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct files f;
	struct buf notes;
	struct cal_options o = { LANG_VI, false, 1700000000LL };
	struct rota_error err = { 0, "" };
	const char *ics;

	buf_init(&notes);
	/* UTC: times in UTC, no VTIMEZONE. */
	c->timezone = replace(c->timezone, "UTC");
	CHECK_INT(emit(p, LANG_VI, false, &f, &notes), 0);
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics && strstr(ics, "DTSTART:20240309T074500Z\r\nDTEND:20240309T164500Z\r\n"));
	CHECK(ics && !strstr(ics, "VTIMEZONE") && !strstr(ics, "TZID"));
	files_free(&f);
	/* A zone outside the table: UTC times from libical's zone data
	 * (Paris is UTC+1 in March before the 31st). */
	c->timezone = replace(c->timezone, "Europe/Paris");
	CHECK_INT(emit(p, LANG_VI, false, &f, &notes), 0);
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics && strstr(ics, "DTSTART:20240309T064500Z\r\nDTEND:20240309T154500Z\r\n"));
	CHECK(ics && !strstr(ics, "VTIMEZONE"));
	files_free(&f);
	/* An unknown zone is an error, not a wrong time. */
	c->timezone = replace(c->timezone, "Mars/Olympus_Mons");
	CHECK_INT(ical_calendar_emit(p, NULL, &o, memory_sink, &f, &notes, &err), ROTA_EINPUT);
	CHECK(strstr(err.message, "'Mars/Olympus_Mons'") != NULL);
	files_free(&f);
	/* Midnight at the end of a session is the next day's 00:00. */
	c->timezone = replace(c->timezone, "Asia/Ho_Chi_Minh");
	p->sessions[2].end = 24 * 60;
	CHECK_INT(emit(p, LANG_VI, false, &f, &notes), 0);
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics && strstr(ics, "DTEND;TZID=Asia/Ho_Chi_Minh:20240312T000000\r\n"));
	files_free(&f);
	buf_release(&notes);
	plan_free(p);
	campaign_free(c);
}

/* ---- --dump ---- */

static int dump_sink(void *ctx, const char *relpath, const char *data, size_t len,
		     struct rota_error *err)
{
	struct buf path;
	FILE *out;
	int rc = 0;

	buf_init(&path);
	buf_printf(&path, "%s/%s", (const char *)ctx, relpath);
	for (char *s = path.data + strlen(ctx) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(path.data, 0777) && errno != EEXIST)
			rc = rota_error_set(err, ROTA_EIO, "cannot make '%s'", path.data);
		*s = '/';
	}
	out = rc ? NULL : fopen(path.data, "wb");
	if (!rc && (!out || fwrite(data, 1, len, out) != len))
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s'", path.data);
	if (out && fclose(out))
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s'", path.data);
	buf_release(&path);
	return rc;
}

static const char *change_name(enum plan_change change)
{
	return change == PLAN_CHANGE_NEW ? "new" : change == PLAN_CHANGE_CHANGED ? "changed" : "none";
}

/* The parts of rota.json (plan-v1, replan-v1) that the validators read. */
static void plan_json(struct buf *out, const struct plan *p)
{
	const struct campaign *c = p->campaign;

	buf_puts(out, "{\"format\": \"rota-plan/1\", \"campaign\": ");
	buf_put_json_string(out, c->id);
	buf_puts(out, ", \"sessions\": [");
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		char uid[PLAN_UID_SIZE], date[DATE_TEXT_SIZE], a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];

		plan_session_uid(p, s, uid, sizeof(uid));
		date_format(s->date, date);
		time_format(s->start, a);
		time_format(s->end, b);
		buf_printf(out, "%s\n {\"uid\": \"%s\", \"team\": \"%s\", \"site\": \"%s\", "
				"\"date\": \"%s\", \"slot\": \"%s\", \"start\": \"%s\", \"end\": \"%s\", ",
			   i ? "," : "", uid, c->teams[s->team].id, c->sites[s->site].id, date,
			   slot_kind_name(s->slot), a, b);
		if (p->today >= 0) {
			buf_printf(out, "\"sequence\": %d, \"change\": \"%s\", \"invitations\": [",
				   s->sequence, change_name(s->change));
			for (size_t k = 0; k < s->ninvitations; k++)
				buf_printf(out, "%s{\"unit\": \"%s\", \"sequence\": %d, \"change\": \"%s\"}",
					   k ? ", " : "", c->units[s->invitations[k].unit].id,
					   s->invitations[k].sequence,
					   change_name(s->invitations[k].change));
			buf_puts(out, "], ");
		}
		buf_puts(out, "\"visits\": [");
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];
			const struct demand *d = &c->units[v->unit].demand[v->demand];

			time_format(v->arrive, a);
			time_format(v->until, b);
			buf_printf(out, "%s{\"unit\": \"%s\", \"group\": \"%s\", \"service\": \"%s\", "
					"\"count\": %d, \"arrive\": \"%s\", \"until\": \"%s\"}",
				   j ? ", " : "", c->units[v->unit].id, c->groups[d->group].id,
				   c->services[d->service].id, v->count, a, b);
		}
		buf_puts(out, "]}");
	}
	buf_puts(out, "\n]");
	if (p->today >= 0) {
		char today[DATE_TEXT_SIZE];

		date_format(p->today, today);
		buf_printf(out, ", \"today\": \"%s\", \"cancelled\": [", today);
		for (size_t i = 0; i < p->ncancelled; i++) {
			const struct plan_cancelled *ev = &p->cancelled[i];
			char date[DATE_TEXT_SIZE], on[DATE_TEXT_SIZE];
			char t[4][TIME_TEXT_SIZE];

			date_format(ev->date, date);
			date_format(ev->cancelled_on, on);
			time_format(ev->start, t[0]);
			time_format(ev->end, t[1]);
			time_format(ev->arrive, t[2]);
			time_format(ev->until, t[3]);
			buf_printf(out, "%s\n {\"uid\": \"%s\", \"event\": \"%s\", \"team\": \"%s\", "
					"\"site\": \"%s\", ",
				   i ? "," : "", ev->uid, ev->invitation ? "invitation" : "session",
				   ev->team, ev->site);
			if (ev->unit)
				buf_printf(out, "\"unit\": \"%s\", ", ev->unit);
			buf_printf(out, "\"date\": \"%s\", \"slot\": \"%s\", \"start\": \"%s\", "
					"\"end\": \"%s\", \"arrive\": \"%s\", \"until\": \"%s\", "
					"\"sequence\": %d, \"cancelled_on\": \"%s\"}",
				   date, slot_kind_name(ev->slot), t[0], t[1], t[2], t[3], ev->sequence,
				   on);
		}
		buf_puts(out, "\n]");
	}
	buf_puts(out, "}\n");
}

static int dump(const char *dir, const char *lang)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct cal_options o = { LANG_VI, true, 1700000000LL };
	struct rota_error err = { 0, "" };
	struct buf notes, json;
	int rc;

	if (lang && !strcmp(lang, "en"))
		o.lang = LANG_EN;
	buf_init(&notes);
	buf_init(&json);
	/* The names that are hardest to escape, as in the escaping test. */
	c->name = replace(c->name, "Đợt 1, xã \"Trung Hội\"; huyện Định Hóa\\Thái Nguyên");
	c->sites[1].address = strdup("Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ Ế Ề Ể Ễ Ệ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ Ứ Ừ Ử Ữ Ự Ỳ Ỷ Ỹ Ỵ "
				     "đ Đ, ; \\ \"");
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "cannot make '%s'\n", dir);
		return 1;
	}
	rc = ical_calendar_emit(p, NULL, &o, dump_sink, (void *)dir, &notes, &err);
	if (!rc) {
		plan_json(&json, p);
		rc = dump_sink((void *)dir, "rota.json", json.data, json.len, &err);
	}
	if (rc)
		fprintf(stderr, "dump: %s\n", err.message);
	buf_release(&notes);
	buf_release(&json);
	plan_free(p);
	campaign_free(c);
	return rc ? 1 : 0;
}

/* ---- re-plans: sequences, cancelled events, the outbox ---- */

enum { CHAIN = 4 };

/* A session of the chain: date, slot, site, unit, and its visits' counts
 * for the unit's demand rows (0: none). */
struct chain_session {
	const char *date;
	enum slot_kind slot;
	size_t site, unit;
	int counts[3];
};

/*
 * Four plans of the fixture campaign, each with its own campaign copy:
 *  1. (first plan) 03-05 thcs, 03-09 nvh-dong-chua, 03-11 tru-so (xom-na-mao
 *     given an e-mail);
 *  2. today 03-04: the school's session moves to 03-06 (03-05 cancelled),
 *     03-09 has fewer people (changed), 03-11 as it was;
 *  3. today 03-07: 03-09 and 03-11 are gone (cancelled; xom-na-mao lost its
 *     e-mail in this campaign, so its CANCEL comes from plan 2's), 03-12 is
 *     new at nvh-dong-chua;
 *  4. today 03-08: 03-09 is back (its sequence continues from the cancel).
 * Returns 0, or -1 when something failed (reported).
 */
static int chain_build(struct campaign *c[CHAIN], struct plan *p[CHAIN])
{
	static const struct chain_session plans[CHAIN][4] = {
		{ { "2024-03-05", SLOT_DAY, 2, 1, { 48 } },
		  { "2024-03-09", SLOT_WEEKEND, 1, 0, { 12, 10, 35 } },
		  { "2024-03-11", SLOT_EVENING, 0, 2, { 20 } } },
		{ { "2024-03-06", SLOT_DAY, 2, 1, { 48 } },
		  { "2024-03-09", SLOT_WEEKEND, 1, 0, { 12, 10, 20 } },
		  { "2024-03-11", SLOT_EVENING, 0, 2, { 20 } } },
		{ { "2024-03-06", SLOT_DAY, 2, 1, { 48 } },
		  { "2024-03-12", SLOT_DAY, 1, 0, { 12, 10, 20 } } },
		{ { "2024-03-06", SLOT_DAY, 2, 1, { 48 } },
		  { "2024-03-09", SLOT_WEEKEND, 1, 0, { 0, 0, 15 } },
		  { "2024-03-12", SLOT_DAY, 1, 0, { 12, 10, 20 } } },
	};
	static const char *const today[CHAIN] = { NULL, "2024-03-04", "2024-03-07", "2024-03-08" };
	struct cal_options o = { LANG_VI, true, 1700000000LL };
	struct rota_error err = { 0, "" };

	for (size_t k = 0; k < CHAIN; k++) {
		c[k] = fixture_campaign();
		p[k] = NULL;
	}
	for (size_t k = 0; k < CHAIN; k++) {
		struct unit *u = &c[k]->units[2];

		if (k < 2) {
			u->has_contact = true;
			u->contact.name = strdup("Lò Văn Khánh");
			u->contact.email = strdup("truongxom.namao@example.vn");
		}
		p[k] = plan_new(c[k]);
		for (size_t i = 0; i < 4 && plans[k][i].date; i++) {
			const struct chain_session *cs = &plans[k][i];
			struct plan_session *s = plan_add_session(p[k], 0, cs->site, day(cs->date),
								  cs->slot);

			for (size_t d = 0; d < 3; d++)
				if (cs->counts[d])
					plan_add_visit(s, cs->unit, d, cs->counts[d]);
		}
		plan_sort(p[k]);
		plan_assign_arrivals(p[k]);
		p[k]->today = today[k] ? day(today[k]) : -1;
		p[k]->freeze_end = today[k] ? day(today[k]) + 6 : -1;
		o.dtstamp = 1700000000LL + 86400LL * (long long)k;
		if (sequence_assign(p[k], k ? p[k - 1] : NULL, &o, &err)) {
			fprintf(stderr, "chain: plan %zu: %s\n", k + 1, err.message);
			return -1;
		}
	}
	return 0;
}

/* The sequence of unit's invitation to the session of p on date, or -1. */
static int inv_sequence(const struct plan *p, const char *date, size_t unit)
{
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_invitation *inv = plan_invitation_of(&p->sessions[i], unit);

		if (p->sessions[i].date == day(date) && inv)
			return inv->sequence;
	}
	return -1;
}

static void chain_free(struct campaign *c[CHAIN], struct plan *p[CHAIN])
{
	for (size_t k = 0; k < CHAIN; k++) {
		plan_free(p[k]);
		campaign_free(c[k]);
	}
}

static int chain_emit(struct plan *p[CHAIN], size_t k, bool mail, ical_sink_fn sink, void *ctx)
{
	struct cal_options o = { LANG_VI, mail, 1700000000LL + 86400LL * (long long)k };
	struct rota_error err = { 0, "" };
	struct buf notes;
	int rc;

	buf_init(&notes);
	rc = ical_calendar_emit(p[k], k ? p[k - 1] : NULL, &o, sink, ctx, &notes, &err);
	if (rc)
		fprintf(stderr, "emit: %s\n", err.message);
	buf_release(&notes);
	return rc;
}

/* Every event carries the sequence that sequence_assign() gave it. */
static void test_sequences_in_files(void)
{
	struct campaign *c[CHAIN];
	struct plan *p[CHAIN];
	struct files f;
	const char *ics;

	CHECK_INT(chain_build(c, p), 0);
	memset(&f, 0, sizeof(f));
	CHECK_INT(chain_emit(p, 1, false, memory_sink, &f), 0);
	/* Plan 2: 03-09 changed (1), the others new or unchanged (0). */
	ics = find(&f, "invites/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics");
	CHECK(ics && strstr(ics, "\r\nSEQUENCE:1\r\n"));
	ics = find(&f, "invites/xom-na-mao/2024-03-11-evening-tru-so-ca-xa.ics");
	CHECK(ics && strstr(ics, "\r\nSEQUENCE:0\r\n"));
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics && count_str(ics, "\r\nSEQUENCE:1\r\n") == 2); /* 03-09, cancelled 03-05 */
	CHECK(ics && count_str(ics, "\r\nSEQUENCE:0\r\n") == 2); /* 03-06, 03-11 */
	files_free(&f);
	/* Plan 4: 03-09 re-added after its cancel at 2: sequence 3. */
	CHECK_INT(chain_emit(p, 3, false, memory_sink, &f), 0);
	ics = find(&f, "invites/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics");
	CHECK(ics && strstr(ics, "\r\nSEQUENCE:3\r\n"));
	files_free(&f);
	chain_free(c, p);
}

/* Team and school calendars keep the events cancelled from today on as
 * STATUS:CANCELLED with the cancel's sequence; a first plan has none; a
 * team whose sessions are all cancelled still gets its file. */
static void test_cancelled_in_calendars(void)
{
	struct campaign *c[CHAIN];
	struct plan *p[CHAIN];
	struct files f;
	const char *ics;
	char uid[PLAN_UID_SIZE], *v;

	CHECK_INT(chain_build(c, p), 0);
	memset(&f, 0, sizeof(f));
	CHECK_INT(chain_emit(p, 0, false, memory_sink, &f), 0);
	for (size_t i = 0; i < f.count; i++)
		CHECK(!strstr(f.items[i].data, "STATUS:CANCELLED"));
	files_free(&f);

	CHECK_INT(chain_emit(p, 1, false, memory_sink, &f), 0);
	ics = find(&f, "calendars/schools/thcs-trung-hoi.ics");
	plan_invite_uid(p[0], &p[0]->sessions[0], 1, uid, sizeof(uid));
	CHECK(ics && strstr(ics, uid));
	CHECK(ics && count_str(ics, "\r\nSTATUS:CANCELLED\r\n") == 1);
	CHECK(ics && count_str(ics, "\r\nSTATUS:CONFIRMED\r\n") == 1);
	v = text_value(ics, "SUMMARY", 1);
	CHECK(v && !strncmp(v, "Đã hủy: Trường THCS Trung Hội tại", strlen("Đã hủy: Trường THCS Trung Hội tại")));
	free(v);
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics && count_str(ics, "\r\nSTATUS:CANCELLED\r\n") == 1);
	CHECK(ics && count_str(ics, "BEGIN:VEVENT") == 4);
	CHECK(ics && !strstr(ics, "METHOD:"));
	files_free(&f);

	/* Plan 3 (today 03-07): 03-09 and 03-11 cancelled now; 03-05 is past,
	 * kept in the list but not in the calendars. */
	CHECK_INT(chain_emit(p, 2, false, memory_sink, &f), 0);
	CHECK_INT(p[2]->ncancelled, 6);
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics && count_str(ics, "\r\nSTATUS:CANCELLED\r\n") == 2);
	plan_session_uid(p[0], &p[0]->sessions[0], uid, sizeof(uid));
	CHECK(ics && !strstr(ics, uid));
	files_free(&f);

	/* Only cancelled events: the file is still written. */
	p[2]->nsessions = 0;
	CHECK_INT(chain_emit(p, 2, false, memory_sink, &f), 0);
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics && count_str(ics, "BEGIN:VEVENT") == 2);
	files_free(&f);
	p[2]->nsessions = 2;
	chain_free(c, p);
}

/* The outbox: all of a first plan; then REQUESTs for the new and changed
 * invitations only and CANCELs (from the previous plan and its campaign)
 * for those cancelled now; the mail's MIME method is the METHOD. */
static void test_outbox(void)
{
	struct campaign *c[CHAIN];
	struct plan *p[CHAIN];
	struct files f;
	const char *ics, *eml;
	char *v;

	CHECK_INT(chain_build(c, p), 0);
	memset(&f, 0, sizeof(f));
	CHECK_INT(chain_emit(p, 0, true, memory_sink, &f), 0);
	CHECK_INT(count_prefix(&f, "outbox/"), 6);
	CHECK_INT(count_prefix(&f, "invites/"), 3);
	files_free(&f);

	/* The reason the re-planner gave goes with the cancel. */
	for (size_t i = 0; i < p[1]->ncancelled; i++)
		if (p[1]->cancelled[i].invitation)
			p[1]->cancelled[i].reason = strdup("trường đổi lịch thi");
	CHECK_INT(chain_emit(p, 1, true, memory_sink, &f), 0);
	CHECK_INT(count_prefix(&f, "outbox/"), 6);
	v = text_value(find(&f, "outbox/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa.ics"),
		       "DESCRIPTION", 0);
	CHECK(v && strstr(v, "\nLý do: trường đổi lịch thi"));
	free(v);
	v = text_value(find(&f, "calendars/schools/thcs-trung-hoi.ics"), "DESCRIPTION", 1);
	CHECK(v && strstr(v, "\nLý do: trường đổi lịch thi\n"));
	free(v);
	CHECK(find(&f, "outbox/thcs-trung-hoi/2024-03-06-day-thcs-ca-xa.ics") != NULL);
	CHECK(find(&f, "outbox/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics") != NULL);
	CHECK(find(&f, "outbox/xom-na-mao/2024-03-11-evening-tru-so-ca-xa.ics") == NULL);
	CHECK(find(&f, "invites/xom-na-mao/2024-03-11-evening-tru-so-ca-xa.ics") != NULL);
	ics = find(&f, "outbox/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa.ics");
	CHECK(ics && strstr(ics, "\r\nMETHOD:CANCEL\r\n"));
	CHECK(ics && strstr(ics, "\r\nSTATUS:CANCELLED\r\n"));
	CHECK(ics && strstr(ics, "\r\nSEQUENCE:1\r\n"));
	CHECK(ics && strstr(ics, "\r\nDTSTAMP:20231115T221320Z\r\n"));
	CHECK(ics && count_str(ics, "BEGIN:VEVENT") == 1);
	v = raw_value(ics, "ATTENDEE", 0, NULL);
	CHECK_STR(v, "mailto:c2trunghoi@example.vn");
	free(v);
	v = raw_value(ics, "ORGANIZER", 0, NULL);
	CHECK_STR(v, "mailto:congan.trunghoi@example.vn");
	free(v);
	eml = find(&f, "outbox/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa.eml");
	CHECK(eml && strstr(eml, "Content-Type: text/calendar; method=CANCEL; charset=UTF-8\r\n"));
	eml = find(&f, "outbox/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.eml");
	CHECK(eml && strstr(eml, "Content-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n"));
	/* An outbox REQUEST is its invitation, byte for byte. */
	CHECK_STR(find(&f, "outbox/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics"),
		  find(&f, "invites/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics"));
	/* mail/ keeps every current invitation, as REQUEST. */
	CHECK_INT(count_prefix(&f, "mail/"), 3);
	files_free(&f);

	/* Plan 3: xom-na-mao has no e-mail in its campaign any more; its
	 * cancel goes to the address it was invited at. */
	CHECK_INT(chain_emit(p, 2, true, memory_sink, &f), 0);
	ics = find(&f, "outbox/xom-na-mao/2024-03-11-evening-tru-so-ca-xa.ics");
	CHECK(ics && strstr(ics, "\r\nMETHOD:CANCEL\r\n"));
	v = ics ? raw_value(ics, "ATTENDEE", 0, NULL) : NULL;
	CHECK_STR(v, "mailto:truongxom.namao@example.vn");
	free(v);
	CHECK(find(&f, "outbox/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics") != NULL);
	CHECK(find(&f, "outbox/xom-dong-chua/2024-03-12-day-nvh-dong-chua-ca-xa.ics") != NULL);
	/* The school's invitation (history, unchanged) is not sent again. */
	CHECK_INT(count_prefix(&f, "outbox/thcs-trung-hoi/"), 0);
	files_free(&f);

	/* Plan 4: only the re-added invitation. */
	CHECK_INT(chain_emit(p, 3, false, memory_sink, &f), 0);
	CHECK_INT(count_prefix(&f, "outbox/"), 1);
	ics = find(&f, "outbox/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics");
	CHECK(ics && strstr(ics, "\r\nMETHOD:REQUEST\r\n") && strstr(ics, "\r\nSEQUENCE:3\r\n"));
	files_free(&f);
	chain_free(c, p);
}

/* A zone converted with libical's data (Europe/Paris): sequence_assign()
 * and the outbox keep a writer of the previous plan beside the new one;
 * libical's zones are freed once, after both. The CANCEL is in UTC. */
static void test_outbox_converted_zone(void)
{
	struct campaign *c[CHAIN];
	struct plan *p[CHAIN];
	struct files f;
	const char *ics;
	struct cal_options o = { LANG_VI, true, 1700000000LL + 86400LL };
	struct rota_error err = { 0, "" };

	CHECK_INT(chain_build(c, p), 0);
	for (size_t k = 0; k < CHAIN; k++)
		c[k]->timezone = replace(c[k]->timezone, "Europe/Paris");
	CHECK_INT(sequence_assign(p[1], p[0], &o, &err), 0);
	CHECK_INT(inv_sequence(p[1], "2024-03-09", 0), 1);
	memset(&f, 0, sizeof(f));
	CHECK_INT(chain_emit(p, 1, true, memory_sink, &f), 0);
	ics = find(&f, "outbox/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa.ics");
	CHECK(ics && strstr(ics, "\r\nMETHOD:CANCEL\r\n") && strstr(ics, "\r\nDTSTART:20240305T063500Z\r\n"));
	ics = find(&f, "calendars/teams/ca-xa.ics");
	CHECK(ics && strstr(ics, "\r\nSTATUS:CANCELLED\r\n") && !strstr(ics, "VTIMEZONE"));
	files_free(&f);
	chain_free(c, p);
}

/* Event keys: the same event on another DTSTAMP and campaign copy is the
 * same key; another window is not. */
static void test_event_keys(void)
{
	struct campaign *c1 = fixture_campaign(), *c2 = fixture_campaign();
	struct plan *p1 = fixture_plan(c1), *p2 = fixture_plan(c2);
	struct cal_options o1 = { LANG_VI, false, 1700000000LL }, o2 = o1;
	struct cal_keys *k1 = NULL, *k2 = NULL;
	struct rota_error err = { 0, "" };
	struct buf a, b;

	buf_init(&a);
	buf_init(&b);
	o2.dtstamp += 3600;
	CHECK_INT(calendar_keys_new(&k1, p1, &o1, &err), 0);
	CHECK_INT(calendar_keys_new(&k2, p2, &o2, &err), 0);
	CHECK_INT(calendar_event_key(k1, &p1->sessions[1], 0, &a, &err), 0);
	CHECK_INT(calendar_event_key(k2, &p2->sessions[1], 0, &b, &err), 0);
	CHECK_STR(buf_str(&a), buf_str(&b));
	CHECK(!strstr(buf_str(&a), "DTSTAMP") && !strstr(buf_str(&a), "SEQUENCE"));
	CHECK(strstr(buf_str(&a), "ATTENDEE") != NULL);
	buf_release(&b);
	p2->sessions[1].visits[0].until += 5;
	CHECK_INT(calendar_event_key(k2, &p2->sessions[1], 0, &b, &err), 0);
	CHECK(strcmp(buf_str(&a), buf_str(&b)) != 0);
	buf_release(&a);
	buf_release(&b);
	CHECK_INT(calendar_event_key(k1, &p1->sessions[1], -1, &a, &err), 0);
	CHECK(strstr(buf_str(&a), "BEGIN:VEVENT") && !strstr(buf_str(&a), "ATTENDEE"));
	buf_release(&a);
	calendar_keys_free(k1);
	calendar_keys_free(k2);
	plan_free(p1);
	plan_free(p2);
	campaign_free(c1);
	campaign_free(c2);
}

static int dump_chain(const char *dir)
{
	struct campaign *c[CHAIN];
	struct plan *p[CHAIN];
	struct rota_error err = { 0, "" };
	int rc = chain_build(c, p) ? 1 : 0;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "cannot make '%s'\n", dir);
		rc = 1;
	}
	for (size_t k = 0; k < CHAIN && !rc; k++) {
		struct buf sub, json;

		buf_init(&sub);
		buf_init(&json);
		buf_printf(&sub, "%s/%zu", dir, k + 1);
		if (mkdir(buf_str(&sub), 0777) && errno != EEXIST)
			rc = 1;
		if (!rc)
			rc = chain_emit(p, k, true, dump_sink, (void *)buf_str(&sub));
		if (!rc) {
			plan_json(&json, p[k]);
			rc = dump_sink((void *)buf_str(&sub), "rota.json", json.data, json.len, &err);
		}
		buf_release(&sub);
		buf_release(&json);
	}
	chain_free(c, p);
	return rc ? 1 : 0;
}

/* A group of children 6-14: what the parent brings, no phone or SIM of
 * the child's own; the grown-ups of the same session keep their list. */
static void test_children_bring(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct buf out;
	const char *s;
	struct group g = { .id = "exam", .name = "Học sinh dự thi" };

	CHECK(!ical_text_group_is_children(&g));
	g.name = "Trẻ 6–14 tuổi";
	CHECK(ical_text_group_is_children(&g));
	g.name = "Công dân sinh 2006–2010, khu 14";
	CHECK(!ical_text_group_is_children(&g));
	g.name = "x";
	g.id = "tre-em-6-14";
	CHECK(ical_text_group_is_children(&g));
	free(c->groups[1].name);
	c->groups[1].name = xstrdup("Trẻ em từ đủ 6 đến dưới 14 tuổi");
	buf_init(&out);
	ical_text_unit_description(&out, p, &p->sessions[1], 0, LANG_VI, true);
	s = buf_str(&out);
	CHECK(strstr(s, "- Đăng ký, kích hoạt định danh điện tử mức 2 (trẻ em dưới 14 tuổi): trẻ "
			"đến cùng cha, mẹ hoặc người giám hộ; người đi cùng mang thẻ Căn cước "
			"(hoặc CCCD) của mình và điện thoại của mình đã có tài khoản VNeID mức "
			"độ 2: tài khoản của trẻ được đăng ký qua tài khoản đó. Trẻ cần có thẻ "
			"Căn cước, không cần điện thoại hay SIM riêng.\n"));
	CHECK(strstr(s, "- Thu nhận hồ sơ cấp thẻ Căn cước (trẻ em dưới 14 tuổi): trẻ đến cùng "
			"cha, mẹ hoặc người giám hộ"));
	/* exam (grown-up pupils) still has the adults' card list. */
	CHECK(strstr(s, "- Thu nhận hồ sơ cấp thẻ Căn cước: có mặt trực tiếp"));
	CHECK(!strstr(s, "đứng tên chính mình"));
	buf_release(&out);
	ical_text_unit_description(&out, p, &p->sessions[1], 0, LANG_EN, false);
	CHECK(strstr(buf_str(&out), "no phone or SIM of its own"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

/* The campaign's own words win: groups[].children over the name,
 * groups[].bring over services[].bring over rota's texts; a home group's
 * line says the team comes to the house. */
static void test_bring_overrides(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = fixture_plan(c);
	struct buf out;
	const char *s;

	free(c->groups[1].name);
	c->groups[1].name = xstrdup("Trẻ em từ đủ 6 đến dưới 14 tuổi");
	c->groups[1].children = GROUP_CHILDREN_NO;
	buf_init(&out);
	ical_text_unit_description(&out, p, &p->sessions[1], 0, LANG_VI, true);
	CHECK(!strstr(buf_str(&out), "(trẻ em dưới 14 tuổi)"));
	buf_release(&out);
	c->groups[1].children = GROUP_CHILDREN_YES;
	c->services[0].bring = xstrdup("Lời của xã cho mọi người");
	c->groups[1].bring = xcalloc_array(c->nservices, sizeof(char *));
	c->groups[1].bring[1] = xstrdup("Lời của xã cho trẻ em");
	c->groups[1].home = true;
	ical_text_unit_description(&out, p, &p->sessions[1], 0, LANG_VI, true);
	s = buf_str(&out);
	CHECK(strstr(s, "(trẻ em dưới 14 tuổi) (tại nhà: tổ công tác đến tận nhà trong khung giờ "
			"này): Lời của xã cho trẻ em\n"));
	CHECK(strstr(s, ": Lời của xã cho mọi người\n"));
	CHECK(!strstr(s, "có mặt trực tiếp"));
	buf_release(&out);
	plan_free(p);
	campaign_free(c);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--dump-chain"))
		return dump_chain(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "--dump"))
		return dump(argv[2], argc >= 4 ? argv[3] : NULL);
	RUN_TEST(test_team_calendar);
	RUN_TEST(test_school_calendar);
	RUN_TEST(test_invitations);
	RUN_TEST(test_notes);
	RUN_TEST(test_escaping_and_folding);
	RUN_TEST(test_long_unbreakable_values);
	RUN_TEST(test_english);
	RUN_TEST(test_deterministic);
	RUN_TEST(test_mail_pieces);
	RUN_TEST(test_mail_message);
	RUN_TEST(test_week);
	RUN_TEST(test_time_zones);
	RUN_TEST(test_children_bring);
	RUN_TEST(test_bring_overrides);
	RUN_TEST(test_sequences_in_files);
	RUN_TEST(test_cancelled_in_calendars);
	RUN_TEST(test_outbox);
	RUN_TEST(test_outbox_converted_zone);
	RUN_TEST(test_event_keys);
	return TEST_EXIT();
}
