/* Unit tests of campaign_read.c: the scanner, the checks, defaults, and
 * reading back a rota.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign.h"
#include "campaign_read.h"
#include "date.h"
#include "diag.h"
#include "plan.h"
#include "testlib.h"

/* A small valid campaign; tests replace parts of it. */
static const char minimal[] =
	"{\n"
	"  \"format\": \"rota-campaign/1\",\n"
	"  \"campaign\": {\"id\": \"t\", \"name\": \"Thử\", \"start\": \"2024-03-04\",\n"
	"    \"end\": \"2024-03-31\", \"organizer\": {\"name\": \"CA\", \"email\": \"ca@example.vn\"}},\n"
	"  \"services\": {\"cccd\": {\"name\": \"Căn cước\"}},\n"
	"  \"groups\": [{\"id\": \"general\", \"name\": \"Công dân\", \"priority\": 1}],\n"
	"  \"sites\": [{\"id\": \"tru-so\", \"name\": \"Trụ sở\", \"kind\": \"station\"},\n"
	"            {\"id\": \"nvh\", \"name\": \"Nhà văn hóa\", \"kind\": \"hall\"}],\n"
	"  \"travel\": [[\"tru-so\", \"nvh\", 15]],\n"
	"  \"teams\": [{\"id\": \"ca-xa\", \"name\": \"Tổ\", \"base\": \"tru-so\", \"capacity\": {\"cccd\": 30}}],\n"
	"  \"units\": [{\"id\": \"xom-a\", \"name\": \"Xóm A\", \"kind\": \"village\", \"site\": \"nvh\",\n"
	"             \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]}]\n"
	"}\n";

/* text with the first occurrence of from replaced by to (caller frees). */
static char *edit_text(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);

	if (!at || !out) {
		fprintf(stderr, "edit: '%s' not found\n", from);
		abort();
	}
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}

static char *edit(const char *from, const char *to)
{
	return edit_text(minimal, from, to);
}

/* Like edit_text, but frees text. */
static char *edit_more(char *text, const char *from, const char *to)
{
	char *out = edit_text(text, from, to);

	free(text);
	return out;
}

/* Reads text; returns the status and leaves the diagnostics sorted in d. */
static int read_text(const char *text, size_t len, struct campaign **c, struct diags *d)
{
	int rc;

	diags_init(d, "t.json");
	rc = campaign_read_buffer(c, text, len, d);
	diags_sort(d);
	return rc;
}

/* Whether some diagnostic has this place, path and message prefix. */
static int has_diag(const struct diags *d, int line, int col, const char *path,
		    const char *message)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].line == line && d->items[i].col == col &&
		    !strcmp(d->items[i].path, path) &&
		    !strncmp(d->items[i].message, message, strlen(message)))
			return 1;
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "  have %d:%d: %s: %s\n", d->items[i].line, d->items[i].col,
			d->items[i].path, d->items[i].message);
	return 0;
}

/* Reads minimal with one edit and expects exactly one error there. */
static void expect_error(const char *from, const char *to, int line, int col, const char *path,
			 const char *message)
{
	char *text = edit(from, to);
	struct campaign *c = NULL;
	struct diags d;

	CHECK_INT(read_text(text, strlen(text), &c, &d), ROTA_EINPUT);
	CHECK(c == NULL);
	CHECK_INT(d.errors, 1);
	CHECK(has_diag(&d, line, col, path, message));
	diags_release(&d);
	free(text);
}

static int day(const char *text)
{
	int d = 0;

	date_parse(text, &d);
	return d;
}

static void test_minimal_and_defaults(void)
{
	struct campaign *c = NULL;
	struct diags d;

	CHECK_INT(read_text(minimal, strlen(minimal), &c, &d), 0);
	CHECK_INT(d.count, 0);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_STR(c->timezone, "Asia/Ho_Chi_Minh");
	CHECK_INT(c->workdays, 0x1f);
	CHECK_INT(c->slots[SLOT_DAY].start, 7 * 60 + 30);
	CHECK_INT(c->slots[SLOT_DAY].end, 17 * 60);
	CHECK_INT(c->slots[SLOT_DAY].nbreaks, 1);
	CHECK_INT(c->slots[SLOT_DAY].working, 450);
	CHECK_INT(c->slots[SLOT_EVENING].start, 18 * 60);
	CHECK_INT(c->slots[SLOT_EVENING].nbreaks, 0);
	CHECK_INT(c->slots[SLOT_WEEKEND].working, 450);
	CHECK_INT(c->slots[SLOT_HOLIDAY].working, 450);
	CHECK_INT(c->groups[0].deadline, c->end);
	CHECK_INT(c->groups[0].from, c->start);
	CHECK_INT(c->groups[0].slots, SLOT_ALL);
	CHECK(c->groups[0].at_own && c->groups[0].at_station);
	CHECK(c->groups[0].turnout == 1.0);
	CHECK_INT(c->sites[1].slots, SLOT_ALL);
	CHECK_INT(c->sites[1].commune, -1);
	CHECK_INT(c->teams[0].slots, SLOT_BIT(SLOT_DAY));
	CHECK_INT(c->teams[0].officers, 2);
	CHECK_INT(c->teams[0].max_extra_per_week, 0);
	CHECK(c->teams[0].all_communes);
	CHECK_INT(c->teams[0].capacity[0], 30);
	CHECK_INT(c->units[0].commune, -1);
	CHECK(!c->units[0].has_contact);
	CHECK_INT(c->ncommunes, 0);
	CHECK_INT(campaign_travel(c, 0, 1), 15);
	CHECK_INT(campaign_travel(c, 1, 0), 15);
	CHECK_INT(campaign_travel(c, 1, 1), 0);
	CHECK_INT(c->ndays, 28);
	CHECK_INT(c->nlevels, 1);
	CHECK_INT(c->units[0].demand[0].loc.line, 12);
	diags_release(&d);
	campaign_free(c);
}

static void test_slots_replace_defaults(void)
{
	char *text = edit("\"services\"",
			  "\"calendar\": {\"workdays\": [\"mon\", \"sat\"], \"slots\": {\n"
			  "    \"day\": {\"start\": \"08:00\", \"end\": \"12:00\"},\n"
			  "    \"weekend\": {\"start\": \"07:00\", \"end\": \"11:00\", \"breaks\": "
			  "[[\"09:00\", \"09:30\"]]}}},\n"
			  "  \"services\"");
	struct campaign *c = NULL;
	struct diags d;

	CHECK_INT(read_text(text, strlen(text), &c, &d), 0);
	if (c) {
		CHECK_INT(c->workdays, 0x21);
		CHECK_INT(c->slots[SLOT_DAY].nbreaks, 0); /* no implicit break */
		CHECK_INT(c->slots[SLOT_DAY].working, 240);
		CHECK_INT(c->slots[SLOT_HOLIDAY].start, 7 * 60); /* the file's weekend */
		CHECK_INT(c->slots[SLOT_HOLIDAY].nbreaks, 1);
		CHECK_INT(c->slots[SLOT_HOLIDAY].working, 210);
		CHECK_INT(c->slots[SLOT_EVENING].working, 180); /* default */
	}
	diags_release(&d);
	campaign_free(c);
	free(text);
}

/* The example of campaign-v1.md, as given there. */
static const char spec_example[] =
	"{\n"
	"  \"format\": \"rota-campaign/1\",\n"
	"  \"campaign\": {\n"
	"    \"id\": \"trung-hoi-2024\",\n"
	"    \"name\": \"Cấp CCCD và định danh điện tử xã Trung Hội năm 2024\",\n"
	"    \"start\": \"2024-03-04\",\n"
	"    \"end\": \"2024-12-30\",\n"
	"    \"timezone\": \"Asia/Ho_Chi_Minh\",\n"
	"    \"organizer\": {\"name\": \"Công an xã Trung Hội\", \"email\": \"congan.trunghoi@example.vn\"}\n"
	"  },\n"
	"  \"calendar\": {\n"
	"    \"workdays\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"],\n"
	"    \"holidays\": [\"2024-04-18\", \"2024-04-29\", \"2024-04-30\", \"2024-05-01\"],\n"
	"    \"slots\": {\n"
	"      \"day\":     {\"start\": \"07:30\", \"end\": \"17:00\", \"breaks\": [[\"11:30\", \"13:30\"]]},\n"
	"      \"evening\": {\"start\": \"18:00\", \"end\": \"21:00\"},\n"
	"      \"weekend\": {\"start\": \"07:30\", \"end\": \"11:30\"}\n"
	"    }\n"
	"  },\n"
	"  \"services\": {\n"
	"    \"cccd\": {\"name\": \"Thu nhận hồ sơ cấp thẻ Căn cước\"},\n"
	"    \"eid2\": {\"name\": \"Đăng ký, kích hoạt định danh điện tử mức 2\"}\n"
	"  },\n"
	"  \"groups\": [\n"
	"    {\"id\": \"exam\", \"name\": \"Học sinh dự thi (sinh 2005–2009)\", \"priority\": 1,\n"
	"     \"deadline\": \"2024-05-20\", \"slots\": [\"day\", \"weekend\"]},\n"
	"    {\"id\": \"policy\", \"name\": \"Đối tượng chính sách\", \"priority\": 2},\n"
	"    {\"id\": \"workers\", \"name\": \"Công nhân, người lao động\", \"priority\": 3,\n"
	"     \"slots\": [\"evening\", \"weekend\"]},\n"
	"    {\"id\": \"general\", \"name\": \"Công dân từ đủ 14 tuổi\", \"priority\": 4}\n"
	"  ],\n"
	"  \"sites\": [\n"
	"    {\"id\": \"tru-so\", \"name\": \"Trụ sở Công an xã Trung Hội\", \"kind\": \"station\"},\n"
	"    {\"id\": \"nvh-dong-chua\", \"name\": \"Nhà văn hóa xóm Đồng Chùa\", \"kind\": \"hall\"},\n"
	"    {\"id\": \"thcs\", \"name\": \"Trường THCS Trung Hội\", \"kind\": \"school\",\n"
	"     \"slots\": [\"day\"], \"closed\": [\"2024-05-13/2024-05-17\"]}\n"
	"  ],\n"
	"  \"travel\": [[\"tru-so\", \"nvh-dong-chua\", 15], [\"tru-so\", \"thcs\", 5]],\n"
	"  \"teams\": [\n"
	"    {\"id\": \"ca-xa\", \"name\": \"Tổ thu nhận Công an xã\", \"base\": \"tru-so\",\n"
	"     \"capacity\": {\"cccd\": 30, \"eid2\": 70},\n"
	"     \"slots\": [\"day\", \"evening\", \"weekend\"], \"max_extra_per_week\": 2,\n"
	"     \"unavailable\": [\"2024-06-10/2024-06-14\"]}\n"
	"  ],\n"
	"  \"units\": [\n"
	"    {\"id\": \"xom-dong-chua\", \"name\": \"Xóm Đồng Chùa\", \"kind\": \"village\",\n"
	"     \"site\": \"nvh-dong-chua\",\n"
	"     \"contact\": {\"name\": \"Nguyễn Văn A\", \"role\": \"Trưởng xóm\", \"email\": \"truongxom.dongchua@example.vn\"},\n"
	"     \"demand\": [\n"
	"       {\"group\": \"exam\", \"service\": \"cccd\", \"count\": 12},\n"
	"       {\"group\": \"general\", \"service\": \"cccd\", \"count\": 10},\n"
	"       {\"group\": \"general\", \"service\": \"eid2\", \"count\": 35}\n"
	"     ]},\n"
	"    {\"id\": \"thcs-trung-hoi\", \"name\": \"Trường THCS Trung Hội\", \"kind\": \"school\",\n"
	"     \"site\": \"thcs\",\n"
	"     \"contact\": {\"name\": \"Trần Thị B\", \"role\": \"Hiệu trưởng\", \"email\": \"c2trunghoi@example.vn\"},\n"
	"     \"demand\": [{\"group\": \"exam\", \"service\": \"cccd\", \"count\": 48}]}\n"
	"  ]\n"
	"}\n";

static void test_spec_example(void)
{
	struct campaign *c = NULL;
	struct diags d;

	CHECK_INT(read_text(spec_example, strlen(spec_example), &c, &d), 0);
	CHECK_INT(d.count, 0);
	if (!c)
		return;
	CHECK_STR(c->id, "trung-hoi-2024");
	CHECK_INT(c->nservices, 2);
	CHECK_INT(c->ngroups, 4);
	CHECK_INT(c->nsites, 3);
	CHECK_INT(c->nteams, 1);
	CHECK_INT(c->nunits, 2);
	CHECK_INT(c->nlevels, 4);
	CHECK_INT(c->holidays.count, 4);
	CHECK_INT(c->slots[SLOT_WEEKEND].working, 240);
	CHECK_INT(c->slots[SLOT_HOLIDAY].working, 240);
	CHECK_INT(c->groups[0].deadline, day("2024-05-20"));
	CHECK_INT(c->groups[2].slots, SLOT_BIT(SLOT_EVENING) | SLOT_BIT(SLOT_WEEKEND));
	CHECK_INT(c->sites[2].closed.items[0].first, day("2024-05-13"));
	CHECK_INT(c->sites[2].closed.items[0].last, day("2024-05-17"));
	CHECK_INT(c->teams[0].capacity[1], 70);
	CHECK_INT(c->teams[0].max_extra_per_week, 2);
	CHECK_STR(c->units[0].contact.role, "Trưởng xóm");
	CHECK_INT(c->units[0].ndemand, 3);
	CHECK_INT(c->units[0].demand[2].service, 1);
	CHECK_INT(c->units[1].demand[0].count, 48);
	diags_release(&d);
	campaign_free(c);
}

static void test_places_count_characters(void)
{
	/* "Thử" has 3 characters (4 bytes): columns count characters. */
	expect_error("\"start\": \"2024-03-04\"", "\"start\": \"2024-02-30\"", 3, 51,
		     "campaign.start", "expected a date that exists, found '2024-02-30'");
	/* A missing field is reported where its object starts. */
	expect_error("\"name\": \"Công dân\", ", "", 6, 14, "groups[0]", "missing field 'name'");
	/* CRLF line ends count as one line break. */
	{
		struct buf b;
		struct campaign *c = NULL;
		struct diags d;

		buf_init(&b);
		for (const char *p = minimal; *p; p++) {
			if (*p == '\n')
				buf_putc(&b, '\r');
			buf_putc(&b, *p);
		}
		CHECK_INT(read_text(b.data, b.len, &c, &d), 0);
		campaign_free(c);
		diags_release(&d);
		buf_release(&b);
	}
}

static void test_numbers(void)
{
	static const char *const bad[] = { "2.5", "1e2", "1.0", "3000000000", "1e400", "-0",
					   "-5", "1000001", "10E0", "99999999999999999999" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char to[64];
		char want[96];

		snprintf(to, sizeof(to), "\"count\": %s}", bad[i]);
		snprintf(want, sizeof(want),
			 "expected a whole number from 0 to 1000000, found %s", bad[i]);
		expect_error("\"count\": 10}", to, 12, 74, "units[0].demand[0].count", want);
	}
	expect_error("\"count\": 10}", "\"count\": \"10\"}", 12, 74, "units[0].demand[0].count",
		     "expected a whole number from 0 to 1000000, found '10'");
	expect_error("\"priority\": 1}", "\"priority\": 1, \"turnout\": 0}", 6, 78,
		     "groups[0].turnout", "expected a number greater than 0 and at most 1, found 0");
	expect_error("\"priority\": 1}", "\"priority\": 1, \"turnout\": 1.5}", 6, 78,
		     "groups[0].turnout", "expected a number greater than 0 and at most 1");
	expect_error("\"priority\": 1}", "\"priority\": 1, \"turnout\": 1e-400}", 6, 78,
		     "groups[0].turnout", "expected a number greater than 0 and at most 1");
	{
		char *text = edit("\"priority\": 1}", "\"priority\": 1, \"turnout\": 5e-1}");
		struct campaign *c = NULL;
		struct diags d;

		CHECK_INT(read_text(text, strlen(text), &c, &d), 0);
		CHECK(c && c->groups[0].turnout == 0.5);
		campaign_free(c);
		diags_release(&d);
		free(text);
	}
	/* Longer than cJSON can read: refused by the scanner. */
	expect_error("\"count\": 10}",
		     "\"count\": 1000000000000000000000000000000000000000000000000000000000000000}",
		     12, 74, "", "number too long: 64 characters, at most 63");
}

static void test_syntax(void)
{
	expect_error("\"count\": 10}", "\"count\": 10,}", 12, 77, "",
		     "syntax error: expected a key in double quotes after ',', found '}'");
	expect_error("\"count\": 10}", "\"count\": 010}", 12, 74, "",
		     "syntax error: invalid number '010'");
	expect_error("\"count\": 10}", "\"count\": True}", 12, 74, "",
		     "syntax error: expected a value, found 'True'");
	expect_error("\"kind\": \"hall\"", "\"kind\": 'hall'", 8, 58, "",
		     "syntax error: expected a value, found a single quote (strings take double quotes)");
	expect_error("\"Xóm A\"", "\"Xóm A", 11, 46, "",
		     "syntax error: expected ',' or '}' after an object member, found 'kind'");
	expect_error("\"Xóm A\"", "\"Xóm\\qA\"", 11, 41, "", "syntax error: invalid escape");
	expect_error("\"Xóm A\"", "\"Xóm\\u12G4\"", 11, 41, "", "syntax error: invalid escape");
	expect_error("\"Xóm A\"", "\"Xóm\tA\"", 11, 41, "",
		     "syntax error: control character U+0009 (tab) inside a string");
	{
		char *text = edit("}]}]\n}\n", "}]}]\n} x\n");
		struct campaign *c = NULL;
		struct diags d;

		CHECK_INT(read_text(text, strlen(text), &c, &d), ROTA_EINPUT);
		CHECK(has_diag(&d, 13, 3, "",
			       "syntax error: expected the end of the file after the JSON "
			       "document, found 'x'"));
		diags_release(&d);
		free(text);
	}
	{
		struct campaign *c = NULL;
		struct diags d;

		CHECK_INT(read_text("", 0, &c, &d), ROTA_EINPUT);
		CHECK(has_diag(&d, 1, 1, "", "syntax error: expected a JSON object, found an empty file"));
		diags_release(&d);
		CHECK_INT(read_text("{\"a\": [1, 2}", 12, &c, &d), ROTA_EINPUT);
		CHECK(has_diag(&d, 1, 12, "", "syntax error: expected ',' or ']'"));
		diags_release(&d);
		CHECK_INT(read_text("{\"a\": \"x", 8, &c, &d), ROTA_EINPUT);
		CHECK(has_diag(&d, 1, 7, "", "syntax error: unterminated string"));
		diags_release(&d);
		/* Data need not be NUL-terminated, and a NUL byte is no end. */
		CHECK_INT(read_text("{}\0{}", 5, &c, &d), ROTA_EINPUT);
		CHECK(has_diag(&d, 1, 3, "", "syntax error: expected the end of the file"));
		diags_release(&d);
	}
}

static void test_strings(void)
{
	expect_error("\"Xóm A\"", "\"Xóm\\nA\"", 11, 41, "units[0].name",
		     "control character U+000A (line feed) in a string");
	expect_error("\"Xóm A\"", "\"Xóm\\u0000A\"", 11, 41, "units[0].name",
		     "control character U+0000 (NUL) in a string");
	expect_error("\"Xóm A\"", "\"Xóm\\u007fA\"", 11, 41, "units[0].name",
		     "control character U+007F (delete) in a string");
	expect_error("\"Xóm A\"", "\"Xóm\\u0085A\"", 11, 41, "units[0].name",
		     "control character U+0085 (next line) in a string");
	expect_error("\"Xóm A\"", "\"Xóm\u2029A\"", 11, 41, "units[0].name",
		     "character U+2029 (paragraph separator) in a string");
	expect_error("\"Xóm A\"", "\"Xóm\\ud800A\"", 11, 41, "units[0].name",
		     "lone surrogate \\uD800 in a string");
	expect_error("\"Xóm A\"", "\"Xóm\\udc00A\"", 11, 41, "units[0].name",
		     "lone surrogate \\uDC00 in a string");
	/* Invalid UTF-8: overlong, an encoded surrogate, above U+10FFFF,
	 * a cut sequence, a lone continuation byte. */
	expect_error("\"Xóm A\"", "\"Xóm\xC0\x80\"", 11, 41, "units[0].name", "invalid UTF-8");
	expect_error("\"Xóm A\"", "\"Xóm\xED\xA0\x80\"", 11, 41, "units[0].name", "invalid UTF-8");
	expect_error("\"Xóm A\"", "\"Xóm\xF4\x90\x80\x80\"", 11, 41, "units[0].name",
		     "invalid UTF-8");
	expect_error("\"Xóm A\"", "\"Xóm\xE1\x80\"", 11, 41, "units[0].name", "invalid UTF-8");
	expect_error("\"Xóm A\"", "\"Xóm\x80\"", 11, 41, "units[0].name", "invalid UTF-8");
	{
		/* A pair, and characters of 2, 3 and 4 bytes, are fine. */
		char *text = edit("\"Xóm A\"", "\"X\\ud83d\\ude00 ó ề 😀 \\u00e9\"");
		struct campaign *c = NULL;
		struct diags d;

		CHECK_INT(read_text(text, strlen(text), &c, &d), 0);
		CHECK(c && !strcmp(c->units[0].name, "X😀 ó ề 😀 é"));
		campaign_free(c);
		diags_release(&d);
		free(text);
	}
	expect_error("\"Xóm A\"", "\"  \"", 11, 37, "units[0].name",
		     "expected a non-empty text, found '  '");
}

static void test_duplicate_keys(void)
{
	/* The same key written two ways is still the same key. */
	expect_error("\"name\": \"Xóm A\"", "\"name\": \"Xóm A\", \"n\\u0061me\": \"B\"", 11, 46,
		     "units[0]", "duplicate key 'name' (first at 11:29)");
	/* Keys differing in case are different: the second is unknown. */
	{
		char *text = edit("\"name\": \"Xóm A\"", "\"name\": \"Xóm A\", \"Name\": \"B\"");
		struct campaign *c = NULL;
		struct diags d;

		CHECK_INT(read_text(text, strlen(text), &c, &d), 0);
		CHECK(has_diag(&d, 11, 46, "units[0]", "unknown field 'Name'"));
		CHECK_INT(d.warnings, 1);
		CHECK(c && !strcmp(c->units[0].name, "Xóm A"));
		campaign_free(c);
		diags_release(&d);
		free(text);
	}
	/* Many keys: the sorted path of the check. */
	{
		struct buf b;
		struct campaign *c = NULL;
		struct diags d;

		buf_init(&b);
		buf_puts(&b, "{\"x\": {");
		for (int i = 0; i < 40; i++)
			buf_printf(&b, "\"k%d\": 1, ", i % 30);
		buf_puts(&b, "\"z\": 2}}");
		CHECK_INT(read_text(b.data, b.len, &c, &d), ROTA_EINPUT);
		/* "k0": 1, is 9 characters, "k10": 1, is 10. */
		CHECK(has_diag(&d, 1, 8 + 9 * 10 + 10 * 20, "x", "duplicate key 'k0' (first at 1:8)"));
		CHECK(has_diag(&d, 1, 8 + 9 * 10 + 10 * 20 + 9 * 9, "x",
			       "duplicate key 'k9' (first at 1:89)"));
		diags_release(&d);
		buf_release(&b);
	}
}

static void test_bom_depth_size(void)
{
	struct campaign *c = NULL;
	struct diags d;
	struct buf b;
	char *big;

	/* A byte order mark is skipped and takes no column. */
	buf_init(&b);
	buf_puts(&b, "\xEF\xBB\xBF");
	buf_puts(&b, minimal);
	CHECK_INT(read_text(b.data, b.len, &c, &d), 0);
	campaign_free(c);
	diags_release(&d);
	buf_release(&b);
	CHECK_INT(read_text("\xEF\xBB\xBF[]", 5, &c, &d), ROTA_EINPUT);
	CHECK(has_diag(&d, 1, 1, "", "expected a JSON object"));
	diags_release(&d);

	/* CAMPAIGN_MAX_DEPTH levels are fine, one more is not. */
	for (int depth = CAMPAIGN_MAX_DEPTH; depth <= CAMPAIGN_MAX_DEPTH + 1; depth++) {
		buf_init(&b);
		buf_puts(&b, "{\"x\": ");
		for (int i = 1; i < depth; i++)
			buf_putc(&b, '[');
		for (int i = 1; i < depth; i++)
			buf_putc(&b, ']');
		buf_putc(&b, '}');
		CHECK_INT(read_text(b.data, b.len, &c, &d), ROTA_EINPUT);
		if (depth > CAMPAIGN_MAX_DEPTH)
			CHECK(has_diag(&d, 1, 7 + CAMPAIGN_MAX_DEPTH - 1, "",
				       "nesting deeper than 32 levels"));
		else
			CHECK(has_diag(&d, 1, 1, "", "this is not a rota campaign"));
		diags_release(&d);
		buf_release(&b);
	}

	/* Over the size limit: refused before anything is parsed. */
	big = malloc(CAMPAIGN_MAX_BYTES + 1);
	if (big) {
		memset(big, ' ', CAMPAIGN_MAX_BYTES + 1);
		CHECK_INT(read_text(big, CAMPAIGN_MAX_BYTES + 1, &c, &d), ROTA_EINPUT);
		CHECK(has_diag(&d, 0, 0, "", "the file is too large"));
		diags_release(&d);
		free(big);
	}
}

static void test_semantic_errors(void)
{
	expect_error("\"kind\": \"hall\"}", "\"kind\": \"hall\"},\n    {\"id\": \"station\", \"name\": \"x\", "
		     "\"kind\": \"station\"}", 9, 12, "sites[2].id",
		     "expected a site id other than the reserved 'own' and 'station'");
	expect_error("\"base\": \"tru-so\"", "\"base\": \"nvh-x\"", 10, 51, "teams[0].base",
		     "unknown site 'nvh-x' (not in sites)");
	expect_error("{\"cccd\": 30}", "{\"cccd\": 30, \"eid2\": 5}", 10, 86,
		     "teams[0].capacity.eid2", "unknown service 'eid2' (not in services)");
	expect_error("[[\"tru-so\", \"nvh\", 15]]", "[[\"tru-so\", \"nvh\", 15], [\"nvh\", \"tru-so\", 9]]",
		     9, 37, "travel[1]", "duplicate entry for the sites 'nvh' and 'tru-so' (first at 9:14)");
	expect_error("[[\"tru-so\", \"nvh\", 15]]", "[[\"tru-so\", \"tru-so\", 15]]", 9, 25,
		     "travel[0][1]", "expected a site other than the first");
	expect_error("\"priority\": 1}", "\"priority\": 1, \"deadline\": \"2024-03-10\", "
					  "\"from\": \"2024-03-11\"}",
		     6, 101, "groups[0].from",
		     "expected a date on or before the group's deadline (2024-03-10), found '2024-03-11'");
	expect_error("\"count\": 10}]", "\"count\": 10}, {\"group\": \"general\", \"service\": "
					"\"cccd\", \"count\": 1}]",
		     12, 79, "units[0].demand[1]",
		     "duplicate row for group 'general' and service 'cccd' (first at 12:25)");
	/* The group comes only in the evening; the team works days only. */
	expect_error("\"priority\": 1}", "\"priority\": 1, \"slots\": [\"evening\"]}", 12, 25,
		     "units[0].demand[0]",
		     "no team can bring a session to these people: no team that offers 'cccd' can "
		     "hold one in slot 'evening' at 'nvh' or 'tru-so' on or after 2024-03-04");
	/* Without travel, the team cannot reach the village's hall. */
	expect_error("\"travel\": [[\"tru-so\", \"nvh\", 15]]", "\"travel\": []", 12, 25,
		     "units[0].demand[0]",
		     "no team can bring a session to these people: no team that offers 'cccd' can "
		     "hold one in slot 'day', 'evening', 'weekend' or 'holiday' at 'nvh' on or after "
		     "2024-03-04");
	/* Only the station, which the villagers cannot reach without travel. */
	{
		char *text = edit("\"priority\": 1}", "\"priority\": 1, \"at\": [\"station\"]}");
		struct campaign *c = NULL;
		struct diags d;

		text = edit_more(text, "\"travel\": [[\"tru-so\", \"nvh\", 15]]", "\"travel\": []");
		CHECK_INT(read_text(text, strlen(text), &c, &d), ROTA_EINPUT);
		CHECK(has_diag(&d, 12, 25, "units[0].demand[0]",
			       "no site for these people: the 'at' of group 'general' allows no site "
			       "that unit 'xom-a' reaches from its site 'nvh'"));
		diags_release(&d);
		free(text);
	}
	/* Only the village's own hall, and travel eats the short day. */
	{
		char *text = edit("\"priority\": 1}", "\"priority\": 1, \"at\": [\"own\"]}");
		struct campaign *c = NULL;
		struct diags d;

		text = edit_more(text, "\"services\"",
				 "\"calendar\": {\"slots\": {\"day\": {\"start\": \"07:00\", "
				 "\"end\": \"07:20\"}}},\n  \"services\"");
		CHECK_INT(read_text(text, strlen(text), &c, &d), ROTA_EINPUT);
		CHECK_INT(d.errors, 1);
		CHECK(has_diag(&d, 13, 25, "units[0].demand[0]",
			       "no team can bring a session to these people: no team that offers "
			       "'cccd' can hold one in slot 'day', 'evening', 'weekend' or 'holiday' at "
			       "'nvh' on or after 2024-03-04"));
		diags_release(&d);
		free(text);
	}
}

static void test_communes(void)
{
	char *text = edit("\"kind\": \"station\"}", "\"kind\": \"station\", \"commune\": \"xa-b\"}");
	struct campaign *c = NULL;
	struct diags d;

	/* The unit names its own commune; the team may visit xa-b only. */
	text = edit_more(text, "\"site\": \"nvh\"", "\"commune\": \"xa-a\", \"site\": \"nvh\"");
	text = edit_more(text, "\"capacity\"", "\"communes\": [\"xa-b\"], \"capacity\"");
	CHECK_INT(read_text(text, strlen(text), &c, &d), 0);
	if (c) {
		CHECK_INT(c->ncommunes, 2);
		CHECK_STR(c->communes[0], "xa-a");
		CHECK_STR(c->communes[1], "xa-b");
		CHECK_INT(c->sites[0].commune, 1);
		CHECK_INT(c->sites[1].commune, -1);
		CHECK_INT(c->units[0].commune, 0);
		CHECK(!c->teams[0].all_communes);
		CHECK_INT(c->teams[0].ncommunes, 1);
		CHECK_INT(c->teams[0].communes[0], 1);
		/* The hall has no commune: open to the team. */
		CHECK(team_reaches_site(c, 0, 1));
	}
	campaign_free(c);
	diags_release(&d);

	/* A team's commune that no site or unit is in is a mistake. */
	text = edit_more(text, "\"communes\": [\"xa-b\"]", "\"communes\": [\"xa-b\", \"xa-c\"]");
	CHECK_INT(read_text(text, strlen(text), &c, &d), ROTA_EINPUT);
	CHECK(has_diag(&d, 10, 82, "teams[0].communes[1]",
		       "unknown commune 'xa-c' (no site or unit is in it)"));
	diags_release(&d);
	free(text);

	/* A unit's commune defaults to its site's. */
	text = edit("\"kind\": \"hall\"}", "\"kind\": \"hall\", \"commune\": \"xa-a\"}");
	CHECK_INT(read_text(text, strlen(text), &c, &d), 0);
	CHECK(c && c->units[0].commune == 0 && c->sites[1].commune == 0);
	campaign_free(c);
	diags_release(&d);
	free(text);
}

static void test_fixed_sessions(void)
{
	static const char team[] = "\"capacity\": {\"cccd\": 30}}]";

	/* 2024-03-09 is a Saturday: no day slot. */
	expect_error(team, "\"capacity\": {\"cccd\": 30}}],\n"
			   "  \"fixed\": [{\"team\": \"ca-xa\", \"site\": \"nvh\", \"slot\": \"day\", "
			   "\"date\": \"2024-03-09\"}]",
		     11, 69, "fixed[0].date",
		     "the fixed session cannot be held: 2024-03-09 is not a workday, which has only "
		     "the 'weekend' slot");
	expect_error(team, "\"capacity\": {\"cccd\": 30}}],\n"
			   "  \"fixed\": [{\"team\": \"ca-xa\", \"site\": \"nvh\", \"slot\": \"evening\", "
			   "\"date\": \"2024-03-05\"}]",
		     11, 54, "fixed[0].slot",
		     "the fixed session cannot be held: team 'ca-xa' does not work in the 'evening' "
		     "slot (its slots: 'day')");
	expect_error(team, "\"capacity\": {\"cccd\": 30}}],\n"
			   "  \"fixed\": [{\"team\": \"ca-xa\", \"site\": \"nvh\", \"slot\": \"day\", "
			   "\"weekday\": \"sun\"}]",
		     11, 72, "fixed[0].weekday",
		     "the weekly session can never be held: not on any of its 4 Sundays from "
		     "2024-03-10 to 2024-03-31");
	expect_error(team, "\"capacity\": {\"cccd\": 30}}],\n"
			   "  \"fixed\": [{\"team\": \"ca-xa\", \"site\": \"nvh\", \"slot\": \"day\", "
			   "\"date\": \"2024-03-05\"},\n"
			   "             {\"team\": \"ca-xa\", \"site\": \"nvh\", \"slot\": \"day\", "
			   "\"weekday\": \"tue\"}]",
		     12, 14, "fixed[1]",
		     "team 'ca-xa' already has a fixed 'day' session on 2024-03-05 (fixed[0] at "
		     "11:13)");
	expect_error(team, "\"capacity\": {\"cccd\": 30}, \"slots\": [\"day\", \"weekend\"], "
			   "\"max_extra_per_week\": 1}],\n"
			   "  \"fixed\": [{\"team\": \"ca-xa\", \"site\": \"nvh\", \"slot\": \"weekend\", "
			   "\"date\": \"2024-03-09\"},\n"
			   "             {\"team\": \"ca-xa\", \"site\": \"nvh\", \"slot\": \"weekend\", "
			   "\"date\": \"2024-03-10\"}]",
		     12, 14, "fixed[1]",
		     "this fixed session makes 2 extra sessions (evening, weekend, holiday) for team "
		     "'ca-xa' in the week of 2024-03-04 (2024-W10), more than its max_extra_per_week (1)");
	/* A weekly session that skips a closed date is fine, with a warning. */
	{
		char *text = edit(team, "\"capacity\": {\"cccd\": 30}}],\n"
					"  \"fixed\": [{\"team\": \"ca-xa\", \"site\": \"nvh\", \"slot\": "
					"\"day\", \"weekday\": \"tue\", \"from\": \"2024-03-01\", \"to\": "
					"\"2024-03-19\"}]");
		char *text2 = malloc(strlen(text) + 64);
		const char *at = strstr(text, "\"kind\": \"hall\"");
		struct campaign *c = NULL;
		struct diags d;

		snprintf(text2, strlen(text) + 64, "%.*s\"closed\": [\"2024-03-12\"], %s",
			 (int)(at - text), text, at);
		CHECK_INT(read_text(text2, strlen(text2), &c, &d), 0);
		CHECK_INT(d.warnings, 1);
		CHECK(has_diag(&d, 11, 72, "fixed[0].weekday",
			       "the weekly session skips 1 of its 3 Tuesdays from 2024-03-05 to "
			       "2024-03-19: 2024-03-12 (site closed)"));
		CHECK(c && c->nfixed == 1 && c->fixed[0].weekly && c->fixed[0].weekday == 1);
		campaign_free(c);
		diags_release(&d);
		free(text);
		free(text2);
	}
}

static void test_warnings_only(void)
{
	char *text = edit("\"priority\": 1}", "\"priority\": 1, \"colour\": \"red\", "
						  "\"deadline\": \"2024-04-10\"}");
	struct campaign *c = NULL;
	struct diags d;

	CHECK_INT(read_text(text, strlen(text), &c, &d), 0);
	CHECK(c != NULL);
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 2);
	CHECK(has_diag(&d, 6, 67, "groups[0]", "unknown field 'colour'"));
	CHECK(has_diag(&d, 6, 96, "groups[0].deadline",
		       "the deadline is after the campaign ends (2024-03-31)"));
	campaign_free(c);
	diags_release(&d);
	free(text);
}

static void test_many_errors(void)
{
	struct buf b;
	struct campaign *c = NULL;
	struct diags d;

	/* Every problem is reported, up to a cap. */
	buf_init(&b);
	buf_puts(&b, "{\"units\": [");
	for (int i = 0; i < 500; i++)
		buf_printf(&b, "%s1", i ? ", " : "");
	buf_puts(&b, "]}");
	CHECK_INT(read_text(b.data, b.len, &c, &d), ROTA_EINPUT);
	CHECK(has_diag(&d, 0, 0, "", "too many errors: stopped reading after 200"));
	CHECK(d.count < 210);
	diags_release(&d);
	buf_release(&b);
}

static void test_cascade_capped(void)
{
	struct buf b;
	struct campaign *c = NULL;
	struct diags d;
	char *text;

	/* Ten villages of workers, who come only in the evening, which the
	 * team does not work: one mistake, four messages. */
	buf_init(&b);
	for (int i = 0; i < 10; i++)
		buf_printf(&b, ",\n    {\"id\": \"xom-%d\", \"name\": \"Xóm %d\", \"kind\": \"village\", "
			       "\"site\": \"nvh\", \"demand\": [{\"group\": \"general\", \"service\": "
			       "\"cccd\", \"count\": 5}]}",
			   i, i);
	text = edit("\"count\": 10}]}]", "\"count\": 10}]}@@@]");
	text = edit_more(text, "@@@", b.data);
	text = edit_more(text, "\"priority\": 1}", "\"priority\": 1, \"slots\": [\"evening\"]}");
	CHECK_INT(read_text(text, strlen(text), &c, &d), ROTA_EINPUT);
	CHECK_INT(d.errors, 4);
	CHECK(has_diag(&d, 15, 83, "units[3].demand[0]",
		       "no team can bring a session to these people either, nor to those of 7 more "
		       "rows of group 'general' for service 'cccd'"));
	diags_release(&d);
	free(text);
	buf_release(&b);
}

static void test_read_file(void)
{
	struct campaign *c = NULL;
	struct rota_error err = { 0, "" };
	struct diags d;

	diags_init(&d, "x");
	CHECK_INT(campaign_read_file(&c, "/nonexistent/campaign.json", &d, &err), ROTA_EIO);
	CHECK(strstr(err.message, "cannot read '/nonexistent/campaign.json'") != NULL);
	CHECK_INT(campaign_read_file(&c, "/", &d, &err), ROTA_EIO);
	CHECK(c == NULL);
	diags_release(&d);
}

/* A FIFO (nobody writing), a device or a directory, as the campaign, as
 * rota.json: refused at once as an I/O error naming the path; a FIFO
 * with no writer would otherwise block forever (the suite's timeout
 * reports that as a failure). */
static void test_not_regular_files(void)
{
	char dir[] = "/tmp/rota-test-fifo.XXXXXX", fifo[64];
	struct campaign *c = NULL;
	struct plan *p = NULL;
	struct rota_error err = { 0, "" };
	char *campaign_file = NULL;
	struct diags d;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		abort();
	}
	snprintf(fifo, sizeof(fifo), "%s/rota.json", dir);
	if (mkfifo(fifo, 0600)) {
		perror("mkfifo");
		abort();
	}
	diags_init(&d, "x");
	alarm(20);
	CHECK_INT(campaign_read_file(&c, fifo, &d, &err), ROTA_EIO);
	CHECK(strstr(err.message, fifo) && strstr(err.message, "not a regular file (a FIFO)"));
	CHECK(c == NULL);
	err.message[0] = '\0';
	CHECK_INT(campaign_read_file(&c, "/dev/null", &d, &err), ROTA_EIO);
	CHECK(strstr(err.message, "'/dev/null': not a regular file (a device)") != NULL);
	err.message[0] = '\0';
	CHECK_INT(campaign_read_file(&c, dir, &d, &err), ROTA_EIO);
	CHECK(strstr(err.message, "not a regular file (a directory)") != NULL);
	CHECK_INT(campaign_read_buffer(&c, minimal, strlen(minimal), &d), ROTA_OK);
	err.message[0] = '\0';
	CHECK_INT(plan_read_file(&p, &campaign_file, c, fifo, &d, &err), ROTA_EIO);
	CHECK(strstr(err.message, "not a regular file (a FIFO)") != NULL);
	CHECK(p == NULL && campaign_file == NULL);
	err.message[0] = '\0';
	CHECK_INT(plan_read_campaign_file(&campaign_file, fifo, &err), ROTA_EIO);
	CHECK(strstr(err.message, "not a regular file (a FIFO)") != NULL);
	alarm(0);
	campaign_free(c);
	diags_release(&d);
	unlink(fifo);
	rmdir(dir);
}

/* Writes text to a new temporary file; returns its name (caller frees
 * and removes it). */
static char *temp_file(const char *text)
{
	char *name = malloc(64);
	int fd;

	snprintf(name, 64, "/tmp/rota-test-read.XXXXXX");
	fd = mkstemp(name);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror("temp_file");
		abort();
	}
	close(fd);
	return name;
}

static const char plan_json[] =
	"{\n"
	"  \"format\": \"rota-plan/1\",\n"
	"  \"campaign\": \"t\",\n"
	"  \"campaign_file\": \"campaigns/t.json\",\n"
	"  \"sessions\": [\n"
	"    {\"uid\": \"20240305-day.nvh.ca-xa.t@rota\", \"team\": \"ca-xa\", \"site\": \"nvh\",\n"
	"     \"date\": \"2024-03-05\", \"slot\": \"day\", \"start\": \"07:45\", \"end\": \"16:45\",\n"
	"     \"visits\": [\n"
	"       {\"unit\": \"xom-a\", \"group\": \"general\", \"service\": \"cccd\",\n"
	"        \"count\": 10, \"arrive\": \"07:45\", \"until\": \"09:00\"}\n"
	"     ]},\n"
	"    {\"team\": \"ca-xa\", \"site\": \"tru-so\", \"date\": \"2024-03-06\", \"slot\": \"day\",\n"
	"     \"visits\": []}\n"
	"  ],\n"
	"  \"coverage\": [{\"unit\": \"xom-a\", \"group\": \"general\", \"service\": \"cccd\",\n"
	"                \"demand\": 10, \"planned\": 10, \"by_deadline\": 10, \"deadline\": \"2024-03-31\"}],\n"
	"  \"solver\": {\"status\": \"feasible\", \"objective\": 12.5, \"bound\": 12.0, \"gap\": 0.04,\n"
	"             \"seconds\": 0.0, \"levels\": [{\"name\": \"served-p1\", \"value\": 10, \"bound\": 10, \"gap\": 0}]}\n"
	"}\n";

static void test_plan_round_trip(void)
{
	struct campaign *c = NULL;
	struct plan *p = NULL;
	struct rota_error err = { 0, "" };
	struct diags d;
	char *path = temp_file(plan_json), *campaign_file = NULL;
	const struct plan_session *s;

	CHECK_INT(read_text(minimal, strlen(minimal), &c, &d), 0);
	diags_release(&d);
	if (!c)
		return;
	diags_init(&d, path);
	CHECK_INT(plan_read_file(&p, &campaign_file, c, path, &d, &err), 0);
	CHECK_INT(d.count, 0);
	CHECK_STR(campaign_file, "campaigns/t.json");
	if (p) {
		CHECK_INT(p->nsessions, 2);
		s = &p->sessions[0];
		CHECK_INT(s->team, 0);
		CHECK_INT(s->site, 1);
		CHECK_INT(s->date, day("2024-03-05"));
		CHECK_INT(s->slot, SLOT_DAY);
		CHECK_INT(s->start, 7 * 60 + 45);
		CHECK_INT(s->end, 16 * 60 + 45);
		CHECK(!s->fixed);
		CHECK_INT(s->nvisits, 1);
		CHECK_INT(s->visits[0].unit, 0);
		CHECK_INT(s->visits[0].demand, 0);
		CHECK_INT(s->visits[0].count, 10);
		CHECK_INT(s->visits[0].arrive, 7 * 60 + 45);
		CHECK_INT(s->visits[0].until, 9 * 60);
		/* No start/end written: the slot window less travel (none). */
		CHECK_INT(p->sessions[1].start, 7 * 60 + 30);
		CHECK_INT(p->sessions[1].end, 17 * 60);
		CHECK_INT(p->solver.status, PLAN_FEASIBLE);
		CHECK(p->solver.objective == 12.5 && p->solver.gap == 0.04);
		CHECK_INT(p->solver.nlevels, 1);
		CHECK_STR(p->solver.levels[0].name, "served-p1");
	}
	plan_free(p);
	free(campaign_file);
	campaign_file = NULL;
	diags_release(&d);

	CHECK_INT(plan_read_campaign_file(&campaign_file, path, &err), 0);
	CHECK_STR(campaign_file, "campaigns/t.json");
	free(campaign_file);
	remove(path);
	free(path);

	/* A plan of another campaign, or naming what the campaign lacks. */
	{
		char bad[sizeof(plan_json) + 16];
		const char *at = strstr(plan_json, "\"campaign\": \"t\"");

		snprintf(bad, sizeof(bad), "%.*s\"campaign\": \"u\"%s", (int)(at - plan_json), plan_json,
			 at + strlen("\"campaign\": \"t\""));
		path = temp_file(bad);
		diags_init(&d, path);
		CHECK_INT(plan_read_file(&p, NULL, c, path, &d, &err), ROTA_EINPUT);
		CHECK(p == NULL);
		diags_sort(&d);
		CHECK(has_diag(&d, 3, 15, "campaign",
			       "expected 't', the id of the campaign read, found 'u'"));
		diags_release(&d);
		remove(path);
		free(path);

		at = strstr(plan_json, "\"group\": \"general\"");
		snprintf(bad, sizeof(bad), "%.*s\"group\": \"nobody\"%s", (int)(at - plan_json),
			 plan_json, at + strlen("\"group\": \"general\""));
		path = temp_file(bad);
		diags_init(&d, path);
		CHECK_INT(plan_read_file(&p, NULL, c, path, &d, &err), ROTA_EINPUT);
		diags_sort(&d);
		CHECK(has_diag(&d, 9, 35, "sessions[0].visits[0].group",
			       "unknown group 'nobody' (not in the campaign's groups)"));
		diags_release(&d);
		remove(path);
		free(path);
	}
	/* Not JSON at all. */
	path = temp_file("{\"campaign_file\": ");
	CHECK_INT(plan_read_campaign_file(&campaign_file, path, &err), ROTA_EINPUT);
	CHECK(strstr(err.message, ":1:19: syntax error: expected a value") != NULL);
	CHECK(campaign_file == NULL);
	remove(path);
	free(path);
	CHECK_INT(plan_read_campaign_file(&campaign_file, "/nonexistent/rota.json", &err), ROTA_EIO);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_minimal_and_defaults);
	RUN_TEST(test_slots_replace_defaults);
	RUN_TEST(test_spec_example);
	RUN_TEST(test_places_count_characters);
	RUN_TEST(test_numbers);
	RUN_TEST(test_syntax);
	RUN_TEST(test_strings);
	RUN_TEST(test_duplicate_keys);
	RUN_TEST(test_bom_depth_size);
	RUN_TEST(test_semantic_errors);
	RUN_TEST(test_communes);
	RUN_TEST(test_fixed_sessions);
	RUN_TEST(test_warnings_only);
	RUN_TEST(test_many_errors);
	RUN_TEST(test_cascade_capped);
	RUN_TEST(test_read_file);
	RUN_TEST(test_not_regular_files);
	RUN_TEST(test_plan_round_trip);
	return TEST_EXIT();
}
