/*
 * import.c - the roster, sites, teams and travel tables (CSV) and the
 * base campaign to one campaign file (rota-campaign/1). What a column
 * means is decided by its header, in English or Vietnamese, whatever the
 * case and whether the diacritics were typed (docs/import.md lists them).
 *
 * Every problem is reported at its cell, and the import goes on to find
 * the others; nothing is written by this module.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar_read.h"
#include "campaign.h"
#include "campaign_read.h"
#include "csv_read.h"
#include "date.h"
#include "import.h"
#include "banned.h"

/* The limits of a campaign file (docs/campaign-format.md, "Limits"),
 * reported here at the row that passes them. */
#define MAX_COUNT 1000000
#define MAX_CAPACITY 100000
#define MAX_OFFICERS 100
#define MAX_EXTRA_PER_WEEK 7
#define MAX_UNITS 20000
#define MAX_SITES 4000
#define MAX_TEAMS 1000
#define HEADER_SEARCH_ROWS 15

/* ---- diagnostics, one list per file ---- */

void import_report_init(struct import_report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

void import_report_release(struct import_report *rep)
{
	for (size_t i = 0; i < rep->nfiles; i++)
		diags_release(&rep->files[i]);
	free(rep->files);
	memset(rep, 0, sizeof(*rep));
}

void import_report_print(struct import_report *rep, FILE *out)
{
	for (size_t i = 0; i < rep->nfiles; i++) {
		diags_sort(&rep->files[i]);
		diags_print(&rep->files[i], out);
	}
	if (rep->oom)
		fputs("rota: out of memory: some problems were not reported\n", out);
}

size_t import_report_errors(const struct import_report *rep)
{
	size_t n = 0;

	for (size_t i = 0; i < rep->nfiles; i++)
		n += rep->files[i].errors;
	return n;
}

size_t import_report_warnings(const struct import_report *rep)
{
	size_t n = 0;

	for (size_t i = 0; i < rep->nfiles; i++)
		n += rep->files[i].warnings;
	return n;
}

/* The diagnostics list of path (added on first use); NULL when out of
 * memory. Pointers stay valid: the array is sized once (see import_campaign). */
static struct diags *report_file(struct import_report *rep, size_t alloc, const char *path)
{
	for (size_t i = 0; i < rep->nfiles; i++)
		if (!strcmp(rep->files[i].file, path))
			return &rep->files[i];
	if (rep->nfiles >= alloc) {
		rep->oom = 1;
		return NULL;
	}
	diags_init(&rep->files[rep->nfiles], path);
	return &rep->files[rep->nfiles++];
}

/* ---- text: folding for comparisons, slugs ---- */

/* Vietnamese letters with their diacritics (precomposed, as typed on a
 * Vietnamese keyboard), by code point, and the letter each folds to. */
static const struct {
	unsigned cp;
	char letter;
} vietnamese[] = {
	{ 0x00C0, 'a' }, { 0x00C1, 'a' }, { 0x00C2, 'a' }, { 0x00C3, 'a' }, { 0x00C8, 'e' },
	{ 0x00C9, 'e' }, { 0x00CA, 'e' }, { 0x00CC, 'i' }, { 0x00CD, 'i' }, { 0x00D2, 'o' },
	{ 0x00D3, 'o' }, { 0x00D4, 'o' }, { 0x00D5, 'o' }, { 0x00D9, 'u' }, { 0x00DA, 'u' },
	{ 0x00DD, 'y' }, { 0x00E0, 'a' }, { 0x00E1, 'a' }, { 0x00E2, 'a' }, { 0x00E3, 'a' },
	{ 0x00E8, 'e' }, { 0x00E9, 'e' }, { 0x00EA, 'e' }, { 0x00EC, 'i' }, { 0x00ED, 'i' },
	{ 0x00F2, 'o' }, { 0x00F3, 'o' }, { 0x00F4, 'o' }, { 0x00F5, 'o' }, { 0x00F9, 'u' },
	{ 0x00FA, 'u' }, { 0x00FD, 'y' }, { 0x0102, 'a' }, { 0x0103, 'a' }, { 0x0110, 'd' },
	{ 0x0111, 'd' }, { 0x0128, 'i' }, { 0x0129, 'i' }, { 0x0168, 'u' }, { 0x0169, 'u' },
	{ 0x01A0, 'o' }, { 0x01A1, 'o' }, { 0x01AF, 'u' }, { 0x01B0, 'u' }, { 0x1EA0, 'a' },
	{ 0x1EA1, 'a' }, { 0x1EA2, 'a' }, { 0x1EA3, 'a' }, { 0x1EA4, 'a' }, { 0x1EA5, 'a' },
	{ 0x1EA6, 'a' }, { 0x1EA7, 'a' }, { 0x1EA8, 'a' }, { 0x1EA9, 'a' }, { 0x1EAA, 'a' },
	{ 0x1EAB, 'a' }, { 0x1EAC, 'a' }, { 0x1EAD, 'a' }, { 0x1EAE, 'a' }, { 0x1EAF, 'a' },
	{ 0x1EB0, 'a' }, { 0x1EB1, 'a' }, { 0x1EB2, 'a' }, { 0x1EB3, 'a' }, { 0x1EB4, 'a' },
	{ 0x1EB5, 'a' }, { 0x1EB6, 'a' }, { 0x1EB7, 'a' }, { 0x1EB8, 'e' }, { 0x1EB9, 'e' },
	{ 0x1EBA, 'e' }, { 0x1EBB, 'e' }, { 0x1EBC, 'e' }, { 0x1EBD, 'e' }, { 0x1EBE, 'e' },
	{ 0x1EBF, 'e' }, { 0x1EC0, 'e' }, { 0x1EC1, 'e' }, { 0x1EC2, 'e' }, { 0x1EC3, 'e' },
	{ 0x1EC4, 'e' }, { 0x1EC5, 'e' }, { 0x1EC6, 'e' }, { 0x1EC7, 'e' }, { 0x1EC8, 'i' },
	{ 0x1EC9, 'i' }, { 0x1ECA, 'i' }, { 0x1ECB, 'i' }, { 0x1ECC, 'o' }, { 0x1ECD, 'o' },
	{ 0x1ECE, 'o' }, { 0x1ECF, 'o' }, { 0x1ED0, 'o' }, { 0x1ED1, 'o' }, { 0x1ED2, 'o' },
	{ 0x1ED3, 'o' }, { 0x1ED4, 'o' }, { 0x1ED5, 'o' }, { 0x1ED6, 'o' }, { 0x1ED7, 'o' },
	{ 0x1ED8, 'o' }, { 0x1ED9, 'o' }, { 0x1EDA, 'o' }, { 0x1EDB, 'o' }, { 0x1EDC, 'o' },
	{ 0x1EDD, 'o' }, { 0x1EDE, 'o' }, { 0x1EDF, 'o' }, { 0x1EE0, 'o' }, { 0x1EE1, 'o' },
	{ 0x1EE2, 'o' }, { 0x1EE3, 'o' }, { 0x1EE4, 'u' }, { 0x1EE5, 'u' }, { 0x1EE6, 'u' },
	{ 0x1EE7, 'u' }, { 0x1EE8, 'u' }, { 0x1EE9, 'u' }, { 0x1EEA, 'u' }, { 0x1EEB, 'u' },
	{ 0x1EEC, 'u' }, { 0x1EED, 'u' }, { 0x1EEE, 'u' }, { 0x1EEF, 'u' }, { 0x1EF0, 'u' },
	{ 0x1EF1, 'u' }, { 0x1EF2, 'y' }, { 0x1EF3, 'y' }, { 0x1EF4, 'y' }, { 0x1EF5, 'y' },
	{ 0x1EF6, 'y' }, { 0x1EF7, 'y' }, { 0x1EF8, 'y' }, { 0x1EF9, 'y' },
};

/* Decodes one UTF-8 sequence of valid text; returns its length (1 for a
 * stray byte, so that a scan always advances). */
static size_t utf8_next(const char *s, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
	unsigned c = len == 1 ? u[0] : len == 2 ? u[0] & 0x1Fu : len == 3 ? u[0] & 0x0Fu : u[0] & 0x07u;

	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3Fu);
	}
	*cp = c;
	return len;
}

static char fold_letter(unsigned cp)
{
	size_t lo = 0, hi = sizeof(vietnamese) / sizeof(vietnamese[0]);

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? (char)(cp - 'A' + 'a') : (char)cp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vietnamese[mid].cp == cp)
			return vietnamese[mid].letter;
		if (vietnamese[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The text as compared: ASCII lower case, Vietnamese letters without their
 * marks (precomposed or combining), anything else that is not a letter or
 * digit as one space, trimmed. "Chưa cấp CCCD (Từ 14 tuổi)" gives
 * "chua cap cccd tu 14 tuoi". */
static void fold(struct buf *out, const char *s)
{
	bool space = false;

	out->len = 0;
	buf_putn(out, "", 0);
	while (*s) {
		unsigned cp;
		char c;

		s += utf8_next(s, &cp);
		if (cp >= 0x300 && cp <= 0x36F)
			continue; /* a combining mark: the letter before it stays */
		c = fold_letter(cp);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (space && out->len)
				buf_putc(out, ' ');
			space = false;
			buf_putc(out, c);
		} else {
			space = true;
		}
	}
}

/* True when word (folded, may hold spaces) is in folded text as whole words. */
static bool has_words(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		if ((p == text || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

/* ---- the import's own model ---- */

/* Columns (by role, see enum role) where a row's cells start, so that the
 * campaign reader's word on a value can point at its cell; 0: none. */
#define ROLE_SLOTS 32

struct isite {
	int line; /* its row in the sites table; 0 from the base */
	int cell_col[ROLE_SLOTS];
	char *id, *name, *address, *commune;
	char *folded; /* the name, folded */
	enum site_kind kind;
	slot_set slots;
	struct date_range *closed;
	size_t nclosed;
};

struct iteam {
	int line; /* its row in the teams table; 0 from the base */
	int cell_col[ROLE_SLOTS];
	char *id, *name, *email;
	size_t base;
	int *capacity; /* per base service */
	slot_set slots;
	int officers, max_extra;
	struct date_range *unavailable;
	size_t nunavailable;
	char **communes; /* NULL: all */
	size_t ncommunes;
};

struct itravel {
	size_t a, b;
	int minutes;
};

struct iunit {
	char *id, *name, *commune;
	enum unit_kind kind;
	size_t site;
	char *contact_name, *contact_role, *contact_email, *contact_phone;
	int *counts; /* [group * nservices + service] */
	int line;
	int cell_col[ROLE_SLOTS];
};

struct importer {
	const struct import_options *o;
	struct import_report *rep;
	size_t rep_alloc;
	struct rota_error *err;
	struct campaign *base;
	struct isite *sites;   size_t nsites, asites;
	struct iteam *teams;   size_t nteams, ateams;
	struct itravel *travel; size_t ntravel, atravel;
	struct iunit *units;   size_t nunits, aunits;
	struct date_range *holidays; size_t nholidays, aholidays;
	int *deadline;          /* per group */
	char **strings;        size_t nstrings, astrings; /* owned text */
	/* Folded names of the base's groups and services, for the headers. */
	char **group_id, **group_name, **group_short; /* short: before a '(' */
	char **service_id, **service_name;
	const char *sites_from; /* the file the sites come from */
	bool sites_failed;      /* the sites table could not be read */
	int oom;
};

/* A copy of s owned by the importer; NULL (and im->oom) when out of memory. */
static char *keep(struct importer *im, const char *s, size_t n)
{
	char *copy;

	if (im->oom)
		return NULL;
	if (grow_array(&im->strings, &im->astrings, im->nstrings + 1, sizeof(*im->strings)) ||
	    !(copy = malloc(n + 1))) {
		im->oom = 1;
		return NULL;
	}
	memcpy(copy, s, n);
	copy[n] = '\0';
	im->strings[im->nstrings++] = copy;
	return copy;
}

static char *keep_str(struct importer *im, const char *s)
{
	return s ? keep(im, s, strlen(s)) : NULL;
}

/* A cell's text as a name: runs of white space (line ends typed with
 * Alt+Enter included) become one space, and the ends are trimmed. */
static char *keep_text(struct importer *im, const char *s)
{
	struct buf b;
	char *out;
	bool space = false;

	buf_init(&b);
	buf_putn(&b, "", 0);
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			space = true;
			continue;
		}
		if (space && b.len)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, *s);
	}
	if (b.failed) {
		im->oom = 1;
		out = NULL;
	} else {
		out = keep(im, b.data, b.len);
	}
	buf_release(&b);
	return out;
}

/* The folded form of s (see fold()), owned by the importer. */
static char *keep_folded(struct importer *im, const char *s)
{
	struct buf f;
	char *out = NULL;

	buf_init(&f);
	fold(&f, s);
	if (f.failed)
		im->oom = 1;
	else
		out = keep(im, buf_str(&f), f.len);
	buf_release(&f);
	return out;
}

/* An id from a name: folded, words joined by '-', at most 63 characters. */
static char *make_slug(struct importer *im, const char *name)
{
	struct buf f;
	char *out = NULL;
	size_t n;

	buf_init(&f);
	fold(&f, name);
	if (f.failed) {
		im->oom = 1;
		goto out;
	}
	n = f.len > 63 ? 63 : f.len;
	while (n && f.data[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++)
		if (f.data[i] == ' ')
			f.data[i] = '-';
	out = keep(im, f.data ? f.data : "", n);
out:
	buf_release(&f);
	return out;
}

static bool valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 63 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

static bool blank_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* ---- columns ---- */

enum role {
	COL_NONE, COL_IGNORED, COL_NUMBER, COL_ID, COL_NAME, COL_KIND, COL_SITE, COL_COMMUNE,
	COL_ADDRESS, COL_CONTACT, COL_ROLE, COL_EMAIL, COL_PHONE, COL_TOTAL, COL_SLOTS,
	COL_CLOSED, COL_BASE, COL_OFFICERS, COL_MAX_EXTRA, COL_UNAVAILABLE, COL_COMMUNES,
	COL_FROM, COL_TO, COL_MINUTES,
	COL_COUNT,    /* roster: people of a group needing a service */
	COL_CAPACITY, /* teams: people a team serves in a day */
	COL_ROLES
};

struct alias {
	enum role role;
	const char *folded;
};

/* What each table's headers may say, folded (see fold()). The first alias
 * of each role is the English name used in messages. */
static const struct alias roster_aliases[] = {
	{ COL_NUMBER, "stt" }, { COL_NUMBER, "tt" }, { COL_NUMBER, "no" },
	{ COL_NUMBER, "so thu tu" },
	{ COL_NAME, "unit" }, { COL_NAME, "don vi" }, { COL_NAME, "ten don vi" },
	{ COL_NAME, "thon xom" }, { COL_NAME, "ten thon xom" }, { COL_NAME, "thon" },
	{ COL_NAME, "xom" }, { COL_NAME, "thon to dan pho" }, { COL_NAME, "to dan pho" },
	{ COL_NAME, "village" },
	{ COL_ID, "id" }, { COL_ID, "ma" }, { COL_ID, "ma don vi" },
	{ COL_KIND, "kind" }, { COL_KIND, "loai" }, { COL_KIND, "loai don vi" },
	{ COL_SITE, "site" }, { COL_SITE, "dia diem" }, { COL_SITE, "noi thu nhan" },
	{ COL_SITE, "diem thu nhan" }, { COL_SITE, "dia diem thu nhan" },
	{ COL_COMMUNE, "commune" }, { COL_COMMUNE, "xa" }, { COL_COMMUNE, "xa phuong" },
	{ COL_CONTACT, "contact" }, { COL_CONTACT, "nguoi lien he" },
	{ COL_CONTACT, "truong thon" }, { COL_CONTACT, "truong xom" },
	{ COL_CONTACT, "hieu truong" }, { COL_CONTACT, "nguoi phu trach" },
	{ COL_ROLE, "role" }, { COL_ROLE, "chuc vu" },
	{ COL_EMAIL, "email" }, { COL_EMAIL, "e mail" }, { COL_EMAIL, "thu dien tu" },
	{ COL_PHONE, "phone" }, { COL_PHONE, "dien thoai" }, { COL_PHONE, "so dien thoai" },
	{ COL_PHONE, "sdt" },
	{ COL_TOTAL, "total" }, { COL_TOTAL, "tong" }, { COL_TOTAL, "tong cong" },
	{ COL_TOTAL, "tong so" }, { COL_TOTAL, "cong" },
	{ COL_IGNORED, "notes" }, { COL_IGNORED, "note" }, { COL_IGNORED, "ghi chu" },
	{ COL_NONE, NULL }
};

static const struct alias sites_aliases[] = {
	{ COL_NUMBER, "stt" }, { COL_NUMBER, "tt" }, { COL_NUMBER, "no" },
	{ COL_ID, "id" }, { COL_ID, "ma" }, { COL_ID, "ma dia diem" },
	{ COL_NAME, "name" }, { COL_NAME, "site" }, { COL_NAME, "ten" },
	{ COL_NAME, "dia diem" }, { COL_NAME, "ten dia diem" }, { COL_NAME, "noi thu nhan" },
	{ COL_KIND, "kind" }, { COL_KIND, "loai" },
	{ COL_COMMUNE, "commune" }, { COL_COMMUNE, "xa" }, { COL_COMMUNE, "xa phuong" },
	{ COL_ADDRESS, "address" }, { COL_ADDRESS, "dia chi" },
	{ COL_SLOTS, "slots" }, { COL_SLOTS, "ca" }, { COL_SLOTS, "buoi" },
	{ COL_SLOTS, "ca lam viec" },
	{ COL_CLOSED, "closed" }, { COL_CLOSED, "dong cua" }, { COL_CLOSED, "ngay dong cua" },
	{ COL_CLOSED, "ngay nghi" },
	{ COL_IGNORED, "notes" }, { COL_IGNORED, "note" }, { COL_IGNORED, "ghi chu" },
	{ COL_NONE, NULL }
};

static const struct alias teams_aliases[] = {
	{ COL_NUMBER, "stt" }, { COL_NUMBER, "tt" }, { COL_NUMBER, "no" },
	{ COL_ID, "id" }, { COL_ID, "ma" }, { COL_ID, "ma to" },
	{ COL_NAME, "name" }, { COL_NAME, "team" }, { COL_NAME, "ten" }, { COL_NAME, "ten to" },
	{ COL_NAME, "to thu nhan" }, { COL_NAME, "to" },
	{ COL_BASE, "base" }, { COL_BASE, "tru so" }, { COL_BASE, "noi xuat phat" },
	{ COL_BASE, "co so" },
	{ COL_SLOTS, "slots" }, { COL_SLOTS, "ca" }, { COL_SLOTS, "buoi" },
	{ COL_SLOTS, "ca lam viec" },
	{ COL_OFFICERS, "officers" }, { COL_OFFICERS, "can bo" }, { COL_OFFICERS, "so can bo" },
	{ COL_MAX_EXTRA, "max extra per week" }, { COL_MAX_EXTRA, "ngoai gio moi tuan" },
	{ COL_MAX_EXTRA, "buoi ngoai gio moi tuan" }, { COL_MAX_EXTRA, "so buoi ngoai gio moi tuan" },
	{ COL_MAX_EXTRA, "ngoai gio toi da moi tuan" },
	{ COL_UNAVAILABLE, "unavailable" }, { COL_UNAVAILABLE, "ngay nghi" },
	{ COL_UNAVAILABLE, "nghi" }, { COL_UNAVAILABLE, "ngay vang" },
	{ COL_COMMUNES, "communes" }, { COL_COMMUNES, "xa" }, { COL_COMMUNES, "cac xa" },
	{ COL_EMAIL, "email" }, { COL_EMAIL, "e mail" }, { COL_EMAIL, "thu dien tu" },
	{ COL_IGNORED, "notes" }, { COL_IGNORED, "note" }, { COL_IGNORED, "ghi chu" },
	{ COL_NONE, NULL }
};

static const struct alias travel_aliases[] = {
	{ COL_NUMBER, "stt" }, { COL_NUMBER, "tt" }, { COL_NUMBER, "no" },
	{ COL_FROM, "from" }, { COL_FROM, "tu" }, { COL_FROM, "di tu" }, { COL_FROM, "noi di" },
	{ COL_TO, "to" }, { COL_TO, "den" }, { COL_TO, "noi den" },
	{ COL_MINUTES, "minutes" }, { COL_MINUTES, "phut" }, { COL_MINUTES, "so phut" },
	{ COL_MINUTES, "thoi gian" }, { COL_MINUTES, "thoi gian phut" },
	{ COL_IGNORED, "notes" }, { COL_IGNORED, "note" }, { COL_IGNORED, "ghi chu" },
	{ COL_NONE, NULL }
};

/* How a required column is named in Vietnamese, for messages. */
static const char *vietnamese_name(const struct alias *tab, enum role role)
{
	switch (role) {
	case COL_NAME:
		return tab == roster_aliases ? "Đơn vị" : tab == teams_aliases ? "Tên tổ" : "Tên địa điểm";
	case COL_BASE: return "Trụ sở";
	case COL_FROM: return "Từ";
	case COL_TO: return "Đến";
	case COL_MINUTES: return "Phút";
	default: return "?";
	}
}

static enum role find_alias(const struct alias *tab, const char *folded)
{
	for (; tab->folded; tab++)
		if (!strcmp(tab->folded, folded))
			return tab->role;
	return COL_NONE;
}

static const char *role_name(const struct alias *tab, enum role role)
{
	for (; tab->folded; tab++)
		if (tab->role == role)
			return tab->folded;
	return "?";
}

struct column {
	enum role role;
	size_t group, service;
	const char *label; /* the header as typed (borrowed from the table) */
	char *label_owned; /* a two-row header's "top / sub", or NULL */
};

struct sheet {
	const char *path;
	struct diags *d;
	struct csv_table *table;
	struct column *cols;
	size_t ncols;
	size_t first_row; /* the first data row */
	int header_line;
};

static void sheet_release(struct sheet *s)
{
	for (size_t i = 0; i < s->ncols; i++)
		free(s->cols[i].label_owned);
	free(s->cols);
	csv_table_free(s->table);
	memset(s, 0, sizeof(*s));
}

/* The service a folded label names: its id or name, or the words people
 * write for it ("CCCD", "căn cước"; "định danh", "VNeID"). -1: none;
 * -2: it names two. */
static int find_service(const struct importer *im, const char *label)
{
	const struct campaign *c = im->base;
	int found = -1;

	for (size_t s = 0; s < c->nservices; s++)
		if (!strcmp(im->service_id[s], label) || !strcmp(im->service_name[s], label))
			return (int)s;
	for (size_t s = 0; s < c->nservices; s++) {
		const char *id = c->services[s].id;
		bool hit = has_words(label, im->service_id[s]);

		if (!strcmp(id, "cccd"))
			hit = hit || has_words(label, "can cuoc");
		else if (!strcmp(id, "eid2"))
			hit = hit || has_words(label, "dinh danh") || has_words(label, "vneid") ||
			      has_words(label, "eid");
		if (hit) {
			if (found >= 0)
				return -2;
			found = (int)s;
		}
	}
	return found;
}

/* The group a folded label names: its id, its name, or its name without
 * what follows a parenthesis ("Học sinh dự thi (sinh 2005–2009)"). */
static int find_group(const struct importer *im, const char *label)
{
	for (size_t g = 0; g < im->base->ngroups; g++)
		if (!strcmp(im->group_id[g], label) || !strcmp(im->group_name[g], label) ||
		    !strcmp(im->group_short[g], label))
			return (int)g;
	return -1;
}

/* Folds the base's group and service names once. */
static int fold_base_names(struct importer *im)
{
	const struct campaign *c = im->base;

	im->group_id = xcalloc_array(c->ngroups + 1, sizeof(char *));
	im->group_name = xcalloc_array(c->ngroups + 1, sizeof(char *));
	im->group_short = xcalloc_array(c->ngroups + 1, sizeof(char *));
	im->service_id = xcalloc_array(c->nservices + 1, sizeof(char *));
	im->service_name = xcalloc_array(c->nservices + 1, sizeof(char *));
	if (!im->group_id || !im->group_name || !im->group_short || !im->service_id ||
	    !im->service_name)
		return ROTA_ENOMEM;
	for (size_t g = 0; g < c->ngroups; g++) {
		const char *name = c->groups[g].name, *paren = strchr(name, '(');
		char *head = keep(im, name, paren ? (size_t)(paren - name) : strlen(name));

		im->group_id[g] = keep_folded(im, c->groups[g].id);
		im->group_name[g] = keep_folded(im, name);
		im->group_short[g] = head ? keep_folded(im, head) : NULL;
	}
	for (size_t s = 0; s < c->nservices; s++) {
		im->service_id[s] = keep_folded(im, c->services[s].id);
		im->service_name[s] = keep_folded(im, c->services[s].name);
	}
	return im->oom ? ROTA_ENOMEM : 0;
}

/* A count column's label, split at every word boundary into a service and
 * a group (either order). Returns 1 and sets *group, *service when exactly
 * one pair fits, 0 when none, -1 when several do. */
static int find_group_service(const struct importer *im, const char *folded, size_t *group,
			      size_t *service)
{
	size_t n = strlen(folded);

	if (n > 500)
		return 0; /* a title, not a header: every split would be tried */
	int found = 0;
	size_t fg = 0, fs = 0;
	struct buf left, right;

	buf_init(&left);
	buf_init(&right);
	for (size_t i = 0; i < n; i++) {
		int g, s;

		if (folded[i] != ' ')
			continue;
		left.len = 0;
		buf_putn(&left, folded, i);
		right.len = 0;
		buf_puts(&right, folded + i + 1);
		if (left.failed || right.failed)
			break;
		for (int order = 0; order < 2; order++) {
			const char *gs = order ? left.data : right.data;
			const char *ss = order ? right.data : left.data;

			g = find_group(im, gs);
			s = find_service(im, ss);
			if (g >= 0 && s >= 0 && (!found || fg != (size_t)g || fs != (size_t)s)) {
				found = found ? -1 : 1;
				fg = (size_t)g;
				fs = (size_t)s;
			}
		}
	}
	buf_release(&left);
	buf_release(&right);
	if (found == 1) {
		*group = fg;
		*service = fs;
	}
	return found;
}

static bool cell_is_number(const char *s)
{
	bool digit = false;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s != '.' && *s != ',' && *s != ' ' && *s != '-')
			return false;
	}
	return digit;
}

/* A column's mark in the numbering row that official tables put under
 * their header: "A", "B", "1", "2", "(3)". */
static bool is_column_mark(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == ')'))
		n--;
	while (n && (*s == ' ' || *s == '(')) {
		s++;
		n--;
	}
	if (n == 1 && ((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
		return true;
	return n == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9';
}

static const char *cell_text(const struct csv_row *row, size_t col)
{
	return col < row->ncells ? row->cells[col].text : "";
}

static void cell_place(const struct csv_row *row, size_t col, int *line, int *column)
{
	if (col < row->ncells) {
		*line = row->cells[col].line;
		*column = row->cells[col].col;
	} else {
		/* A short row: point past its last field. */
		*line = row->line;
		*column = row->ncells ? row->cells[row->ncells - 1].col + 1 : 1;
	}
}

/* Finds the header row (the first of the first rows that names a column
 * of role key), and a second header row under it (its key cell empty, no
 * number in it: the sub-columns of merged top cells). Then gives every
 * column its role. kind_counts: COL_COUNT (roster) or COL_CAPACITY (teams),
 * or COL_NONE for tables without group or service columns. */
static int read_header(struct importer *im, struct sheet *s, const struct alias *aliases,
		       enum role key, enum role counts)
{
	struct csv_table *t = s->table;
	struct buf f, label;
	size_t header = t->nrows, key_col = 0;
	const struct csv_row *top, *sub = NULL;
	int rc = ROTA_OK;

	buf_init(&f);
	buf_init(&label);
	for (size_t r = 0; r < t->nrows && r < HEADER_SEARCH_ROWS && header == t->nrows; r++)
		for (size_t col = 0; col < t->rows[r].ncells; col++) {
			fold(&f, t->rows[r].cells[col].text);
			if (find_alias(aliases, buf_str(&f)) == key) {
				header = r;
				key_col = col;
				break;
			}
		}
	if (header == t->nrows) {
		diags_add(s->d, DIAG_ERROR, t->nrows ? t->rows[0].line : 0, t->nrows ? 1 : 0,
			  role_name(aliases, key),
			  "missing required column: no row of the first %d has a column '%s' or '%s'",
			  HEADER_SEARCH_ROWS, role_name(aliases, key), vietnamese_name(aliases, key));
		rc = ROTA_EINPUT;
		goto out;
	}
	top = &t->rows[header];
	s->header_line = top->line;
	s->first_row = header + 1;
	if (header + 1 < t->nrows && counts != COL_NONE) {
		const struct csv_row *next = &t->rows[header + 1];
		bool filled = false, number = false;

		for (size_t col = 0; col < next->ncells; col++) {
			if (blank(next->cells[col].text))
				continue;
			filled = true;
			number = number || cell_is_number(next->cells[col].text);
		}
		if (filled && !number && blank(cell_text(next, key_col))) {
			sub = next;
			s->first_row = header + 2;
		}
	}
	/* A numbering row ("A | B | 1 | 2 | 3") under the header is no unit. */
	if (s->first_row < t->nrows && is_column_mark(cell_text(&t->rows[s->first_row], key_col))) {
		const struct csv_row *marks = &t->rows[s->first_row];
		size_t filled = 0;
		bool all_marks = true;

		for (size_t col = 0; col < marks->ncells; col++) {
			if (blank(marks->cells[col].text))
				continue;
			filled++;
			all_marks = all_marks && is_column_mark(marks->cells[col].text);
		}
		if (all_marks && filled >= 2)
			s->first_row++;
	}
	s->ncols = top->ncells;
	if (sub && sub->ncells > s->ncols)
		s->ncols = sub->ncells;
	s->cols = xcalloc_array(s->ncols ? s->ncols : 1, sizeof(*s->cols));
	if (!s->cols) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	{
		const char *carried = NULL; /* a merged top cell, carried right */

		for (size_t col = 0; col < s->ncols; col++) {
			struct column *c = &s->cols[col];
			const char *top_text = cell_text(top, col);
			const char *sub_text = sub ? cell_text(sub, col) : "";
			int line, column;
			enum role role;

			if (!blank(top_text))
				carried = top_text;
			else if (blank(sub_text))
				carried = NULL;
			label.len = 0;
			if (blank(sub_text)) {
				buf_puts(&label, top_text);
				cell_place(top, col, &line, &column);
			} else {
				buf_printf(&label, "%s / %s", carried ? carried : "", sub_text);
				cell_place(sub, col, &line, &column);
			}
			if (label.failed) {
				rc = ROTA_ENOMEM;
				goto out;
			}
			c->label = top_text;
			if (!blank(sub_text)) {
				c->label_owned = xstrdup(buf_str(&label));
				if (!c->label_owned) {
					rc = ROTA_ENOMEM;
					goto out;
				}
				c->label = c->label_owned;
			}
			fold(&f, buf_str(&label));
			if (!f.len) {
				c->role = COL_NONE; /* no header: must stay empty */
				continue;
			}
			role = find_alias(aliases, buf_str(&f));
			if (role == COL_NONE && counts != COL_NONE && im->base) {
				size_t g = 0, sv = 0;
				int fit = find_group_service(im, buf_str(&f), &g, &sv);
				int only = find_service(im, buf_str(&f));

				if (counts == COL_CAPACITY && only >= 0) {
					role = COL_CAPACITY;
					c->service = (size_t)only;
				} else if (counts == COL_COUNT && fit == 1) {
					role = COL_COUNT;
					c->group = g;
					c->service = sv;
				} else if (counts == COL_COUNT && fit == 0 &&
					   (only >= 0 || find_group(im, buf_str(&f)) >= 0)) {
					diags_add(s->d, DIAG_ERROR, line, column, c->label,
						  only >= 0 ? "this column names a service but no group: "
							      "say whose count it is, such as 'general %s'"
							    : "this column names a group but no service: "
							      "say which service, such as '%s cccd'",
						  only >= 0 ? im->base->services[only].id
							    : im->base->groups[find_group(im, buf_str(&f))].id);
					c->role = COL_IGNORED;
					continue;
				} else if (counts == COL_COUNT && fit < 0) {
					diags_add(s->d, DIAG_ERROR, line, column, c->label,
						  "this column could mean more than one group and service: "
						  "name them by their ids, such as 'exam cccd'");
					c->role = COL_IGNORED;
					continue;
				}
			}
			if (role == COL_NONE) {
				struct buf known;

				buf_init(&known);
				if (counts == COL_COUNT && im->base) {
					buf_puts(&known, " nor a group and a service of the campaign (groups:");
					for (size_t g = 0; g < im->base->ngroups; g++)
						buf_printf(&known, " %s", im->base->groups[g].id);
					buf_puts(&known, "; services:");
					for (size_t sv = 0; sv < im->base->nservices; sv++)
						buf_printf(&known, " %s", im->base->services[sv].id);
					buf_puts(&known, ")");
				} else if (counts == COL_CAPACITY && im->base) {
					buf_puts(&known, " nor a service of the campaign (");
					for (size_t sv = 0; sv < im->base->nservices; sv++)
						buf_printf(&known, "%s%s", sv ? ", " : "",
							   im->base->services[sv].id);
					buf_puts(&known, ")");
				}
				diags_add(s->d, DIAG_ERROR, line, column, c->label,
					  "unknown column: not a column of this table%s (docs/import.md)",
					  buf_str(&known));
				buf_release(&known);
				c->role = COL_IGNORED;
				continue;
			}
			c->role = role;
			/* The same meaning twice would leave one of them unread. */
			for (size_t prev = 0; prev < col; prev++) {
				const struct column *p = &s->cols[prev];

				if (p->role == role && role != COL_IGNORED &&
				    (role != COL_COUNT || (p->group == c->group && p->service == c->service)) &&
				    (role != COL_CAPACITY || p->service == c->service)) {
					diags_add(s->d, DIAG_ERROR, line, column, c->label,
						  "column given twice (also column %zu, '%s')", prev + 1,
						  p->label);
					c->role = COL_IGNORED;
					break;
				}
			}
		}
	}
out:
	buf_release(&f);
	buf_release(&label);
	if (rc == ROTA_ENOMEM)
		im->oom = 1;
	return rc;
}

/* Remembers where each of the row's cells starts, by role. */
static void note_cells(const struct sheet *s, const struct csv_row *row, int cell_col[ROLE_SLOTS])
{
	_Static_assert(COL_ROLES <= ROLE_SLOTS, "ROLE_SLOTS too small");
	for (size_t col = 0; col < s->ncols && col < row->ncells; col++)
		if (!cell_col[s->cols[col].role])
			cell_col[s->cols[col].role] = row->cells[col].col;
}

static size_t column_of(const struct sheet *s, enum role role)
{
	for (size_t col = 0; col < s->ncols; col++)
		if (s->cols[col].role == role)
			return col;
	return SIZE_MAX;
}

static bool require_column(struct sheet *s, const struct alias *aliases, enum role role)
{
	if (column_of(s, role) != SIZE_MAX)
		return true;
	diags_add(s->d, DIAG_ERROR, s->header_line, 1, role_name(aliases, role),
		  "missing required column: add a column '%s' or '%s'", role_name(aliases, role),
		  vietnamese_name(aliases, role));
	return false;
}

/* Cells past the header's columns must be empty (Excel writes trailing
 * delimiters); a value there belongs to no column. Also true for columns
 * without a header. Returns false when the row is blank. */
static bool check_row_shape(struct sheet *s, const struct csv_row *row)
{
	bool filled = false;

	for (size_t col = 0; col < row->ncells; col++) {
		if (blank(row->cells[col].text))
			continue;
		filled = true;
		if (col >= s->ncols || s->cols[col].role == COL_NONE)
			diags_add(s->d, DIAG_ERROR, row->cells[col].line, row->cells[col].col,
				  col >= s->ncols ? "" : "(no header)",
				  "a value in a column without a header: '%s'", row->cells[col].text);
	}
	return filled;
}

/* ---- values in cells ---- */

/* A whole number as people type it in Vietnam: "1.234" or "1,234" (groups
 * of three), "1 234", or "-" and empty for none. Returns 0, or -1 after
 * reporting. */
static int parse_count(struct sheet *s, const struct csv_row *row, size_t col, int lo, int hi,
		       int *out)
{
	const char *text = cell_text(row, col), *p = text, *end = text + strlen(text);
	const char *label = s->cols[col].label;
	long long v = 0;
	int digits = 0, group = -1, line, column;
	bool negative = false, bad = false;
	char sep = 0;

	cell_place(row, col, &line, &column);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p >= end || (p[0] == '-' && p + 1 == end)) {
		*out = 0;
		return 0;
	}
	if (*p == '-') {
		negative = true;
		p++;
	}
	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			if (v < 100000000000LL)
				v = v * 10 + (*p - '0');
			digits++;
			if (group >= 0)
				group++;
		} else if ((*p == '.' || *p == ',' || *p == ' ') && digits && (!sep || sep == *p) &&
			   (group < 0 ? digits <= 3 : group == 3)) {
			sep = *p;
			group = 0;
		} else {
			bad = true;
			break;
		}
	}
	if (bad || !digits || (group >= 0 && group != 3)) {
		if (sep != ' ' && (sep || strchr(text, '.') || strchr(text, ',')))
			diags_add(s->d, DIAG_ERROR, line, column, label,
				  "expected a whole number (thousands may be grouped as 1.234), found '%s'",
				  text);
		else
			diags_add(s->d, DIAG_ERROR, line, column, label,
				  "expected a whole number, found '%s'", text);
		return -1;
	}
	if (negative)
		v = -v;
	if (v < lo || v > hi) {
		diags_add(s->d, DIAG_ERROR, line, column, label,
			  "expected a whole number from %d to %d, found %s%lld", lo, hi,
			  v > 99999999999LL ? "more than " : "", v > 99999999999LL ? 99999999999LL : v);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* A date as typed: 2024-05-13, 13/05/2024, 13-05-2024 or 13.05.2024.
 * Returns 0 or -1. */
static int parse_date_text(const char *text, size_t n, int *out)
{
	char buf[16];
	int d, m, y, used;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (!date_parse(buf, out))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '.' || buf[i] == '-')
			buf[i] = '/';
	if (sscanf(buf, "%2d/%2d/%4d%n", &d, &m, &y, &used) == 3 && (size_t)used == n) {
		char iso[16];

		snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, m, d);
		return date_parse(iso, out);
	}
	return -1;
}

/* A list of dates and ranges in one cell: items separated by ',', ';' or
 * line ends; a range is two dates with anything between ("13/05/2024 -
 * 17/05/2024", "từ 13/05/2024 đến 17/05/2024", "2024-05-13/2024-05-17"). */
static int parse_dates(struct sheet *s, const struct csv_row *row, size_t col,
		       struct date_range **out, size_t *count)
{
	const char *text = cell_text(row, col);
	size_t alloc = 0;
	int line, column, rc = 0;

	*out = NULL;
	*count = 0;
	cell_place(row, col, &line, &column);
	for (const char *item = text; *item;) {
		size_t len = strcspn(item, ",;\n");
		int dates[2], ndates = 0;
		bool bad = false;

		/* The dates of the item: runs of digits and . / - */
		for (size_t i = 0; i < len && !bad;) {
			size_t run = 0;

			while (i + run < len && strchr("0123456789./-", item[i + run]))
				run++;
			if (!run) {
				i++;
				continue;
			}
			while (run && strchr("./-", item[i + run - 1]))
				run--; /* a dash between dates, a full stop */
			if (run) {
				int first, last;
				char iso[32];

				if (run < sizeof(iso)) {
					memcpy(iso, item + i, run);
					iso[run] = '\0';
				}
				if (run < sizeof(iso) && !date_range_parse(iso, &first, &last) &&
				    strchr(iso, '/') && ndates == 0) {
					dates[0] = first;
					dates[1] = last;
					ndates = 2;
				} else if (ndates < 2 && !parse_date_text(item + i, run, &dates[ndates])) {
					ndates++;
				} else {
					/* "13/05/2024-17/05/2024": two dates joined by a dash */
					const char *dash = memchr(item + i, '-', run);
					size_t left = dash ? (size_t)(dash - (item + i)) : 0;

					if (dash && ndates == 0 &&
					    !parse_date_text(item + i, left, &dates[0]) &&
					    !parse_date_text(dash + 1, run - left - 1, &dates[1]))
						ndates = 2;
					else
						bad = true;
				}
			}
			i += run ? run : 1;
		}
		if (!blank_n(item, len) && (bad || ndates == 0)) {
			diags_add(s->d, DIAG_ERROR, line, column, s->cols[col].label,
				  "expected dates such as 13/05/2024 or ranges such as "
				  "13/05/2024 - 17/05/2024, found '%.*s'",
				  (int)len, item);
			rc = -1;
		} else if (ndates) {
			if (ndates == 1)
				dates[1] = dates[0];
			if (dates[1] < dates[0]) {
				diags_add(s->d, DIAG_ERROR, line, column, s->cols[col].label,
					  "the range '%.*s' ends before it starts", (int)len, item);
				rc = -1;
			} else if (grow_array(out, &alloc, *count + 1, sizeof(**out))) {
				free(*out);
				*out = NULL;
				*count = 0;
				return ROTA_ENOMEM;
			} else {
				(*out)[*count].first = dates[0];
				(*out)[*count].last = dates[1];
				(*count)++;
			}
		}
		item += len;
		if (*item)
			item++;
	}
	return rc;
}

/* Slot kinds in one cell: "day, evening", "ngày; tối", "cuối tuần". */
static int parse_slots(struct sheet *s, const struct csv_row *row, size_t col, slot_set *out)
{
	static const struct {
		const char *folded;
		enum slot_kind kind;
	} names[] = {
		{ "day", SLOT_DAY }, { "ngay", SLOT_DAY }, { "hanh chinh", SLOT_DAY },
		{ "ban ngay", SLOT_DAY }, { "trong gio", SLOT_DAY },
		{ "evening", SLOT_EVENING }, { "toi", SLOT_EVENING }, { "buoi toi", SLOT_EVENING },
		{ "weekend", SLOT_WEEKEND }, { "cuoi tuan", SLOT_WEEKEND },
		{ "holiday", SLOT_HOLIDAY }, { "le", SLOT_HOLIDAY }, { "ngay le", SLOT_HOLIDAY },
		{ "nghi le", SLOT_HOLIDAY },
	};
	const char *text = cell_text(row, col);
	struct buf item, f;
	int line, column, rc = 0;

	*out = 0;
	cell_place(row, col, &line, &column);
	buf_init(&item);
	buf_init(&f);
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, ",;/+\n");
		bool found = false;

		item.len = 0;
		buf_putn(&item, p, len);
		fold(&f, buf_str(&item));
		if (f.failed || item.failed) {
			rc = ROTA_ENOMEM;
			break;
		}
		for (size_t i = 0; f.len && i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(f.data, names[i].folded)) {
				*out |= SLOT_BIT(names[i].kind);
				found = true;
			}
		if (f.len && !found) {
			diags_add(s->d, DIAG_ERROR, line, column, s->cols[col].label,
				  "expected slot kinds (day, evening, weekend, holiday; ngày, tối, "
				  "cuối tuần, lễ), found '%s'",
				  buf_str(&item));
			rc = -1;
		}
		p += len;
		if (*p)
			p++;
	}
	buf_release(&item);
	buf_release(&f);
	return rc;
}

/* A unit's kind as typed, or guessed from its name when not given. */
static int parse_unit_kind(const char *folded, const char *name_folded, enum unit_kind *out)
{
	static const struct {
		const char *folded;
		enum unit_kind kind;
	} names[] = {
		{ "village", UNIT_VILLAGE }, { "thon", UNIT_VILLAGE }, { "xom", UNIT_VILLAGE },
		{ "ban", UNIT_VILLAGE }, { "lang", UNIT_VILLAGE }, { "to dan pho", UNIT_VILLAGE },
		{ "khu pho", UNIT_VILLAGE }, { "ap", UNIT_VILLAGE },
		{ "school", UNIT_SCHOOL }, { "truong", UNIT_SCHOOL }, { "truong hoc", UNIT_SCHOOL },
		{ "workplace", UNIT_WORKPLACE }, { "doanh nghiep", UNIT_WORKPLACE },
		{ "cong ty", UNIT_WORKPLACE }, { "nha may", UNIT_WORKPLACE },
		{ "co quan", UNIT_WORKPLACE },
	};

	if (!*folded) {
		if (!strncmp(name_folded, "truong ", 7))
			*out = UNIT_SCHOOL;
		else if (!strncmp(name_folded, "cong ty ", 8) || !strncmp(name_folded, "nha may ", 8))
			*out = UNIT_WORKPLACE;
		else
			*out = UNIT_VILLAGE;
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(folded, names[i].folded)) {
			*out = names[i].kind;
			return 0;
		}
	return -1;
}

static int parse_site_kind(const char *folded, const char *name_folded, enum site_kind *out)
{
	static const struct {
		const char *folded;
		enum site_kind kind;
	} names[] = {
		{ "station", SITE_STATION }, { "tru so", SITE_STATION }, { "cong an", SITE_STATION },
		{ "mot cua", SITE_STATION },
		{ "hall", SITE_HALL }, { "nha van hoa", SITE_HALL }, { "nvh", SITE_HALL },
		{ "school", SITE_SCHOOL }, { "truong", SITE_SCHOOL }, { "truong hoc", SITE_SCHOOL },
		{ "workplace", SITE_WORKPLACE }, { "doanh nghiep", SITE_WORKPLACE },
		{ "cong ty", SITE_WORKPLACE }, { "nha may", SITE_WORKPLACE },
	};

	if (!*folded) {
		if (!strncmp(name_folded, "tru so", 6) || has_words(name_folded, "cong an"))
			*out = SITE_STATION;
		else if (!strncmp(name_folded, "nha van hoa", 11))
			*out = SITE_HALL;
		else if (!strncmp(name_folded, "truong ", 7))
			*out = SITE_SCHOOL;
		else if (!strncmp(name_folded, "cong ty ", 8) || !strncmp(name_folded, "nha may ", 8))
			*out = SITE_WORKPLACE;
		else
			return -1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(folded, names[i].folded)) {
			*out = names[i].kind;
			return 0;
		}
	return -1;
}

/* A site named in a cell, by id or by name. Reports an unknown one. */
static int lookup_site(struct importer *im, struct sheet *s, const struct csv_row *row,
		       size_t col, size_t *out)
{
	const char *text = cell_text(row, col);
	struct buf f;
	int line, column;

	buf_init(&f);
	fold(&f, text);
	for (size_t i = 0; i < im->nsites && !f.failed; i++)
		if (!strcmp(im->sites[i].id, text) || !strcmp(im->sites[i].folded, buf_str(&f))) {
			*out = i;
			buf_release(&f);
			return 0;
		}
	buf_release(&f);
	if (im->sites_failed)
		return -1; /* the sites table itself is wrong: reported there */
	cell_place(row, col, &line, &column);
	diags_add(s->d, DIAG_ERROR, line, column, s->cols[col].label,
		  "unknown site '%s': not an id or a name of a site in %s", text, im->sites_from);
	return -1;
}

/* A unit without a site of its own named in the roster: the one site whose
 * name ends with the unit's name ("Nhà văn hóa xóm Đồng Chùa" for "Xóm
 * Đồng Chùa"), or is the unit's name (a school). */
static int guess_site(struct importer *im, const char *unit_name, size_t *out)
{
	struct buf un;
	int found = 0;

	buf_init(&un);
	fold(&un, unit_name);
	for (size_t i = 0; i < im->nsites && un.len; i++) {
		const char *sn = im->sites[i].folded;
		size_t len = strlen(sn);

		if (len >= un.len && !strcmp(sn + len - un.len, un.data) &&
		    (len == un.len || sn[len - un.len - 1] == ' ')) {
			*out = i;
			found++;
		}
	}
	buf_release(&un);
	return found == 1 ? 0 : -1;
}

/* Reads a table from path into s (header found, roles given). */
static int open_sheet(struct importer *im, struct sheet *s, const char *path,
		      const struct alias *aliases, enum role key, enum role counts)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->path = path;
	s->d = report_file(im->rep, im->rep_alloc, path);
	if (!s->d)
		return ROTA_ENOMEM;
	rc = csv_read_file(&s->table, path, s->d, im->err);
	if (rc)
		return rc;
	return read_header(im, s, aliases, key, counts);
}

/* The text of a cell under role, or "" when the sheet has no such column. */
static const char *role_text(const struct sheet *s, const struct csv_row *row, enum role role)
{
	size_t col = column_of(s, role);

	return col == SIZE_MAX ? "" : cell_text(row, col);
}

/* Checks an id typed in a cell, or makes one from the name. */
static char *row_id(struct importer *im, struct sheet *s, const struct csv_row *row,
		    const char *name)
{
	size_t col = column_of(s, COL_ID);
	const char *typed = col == SIZE_MAX ? "" : cell_text(row, col);
	int line, column;

	if (blank(typed))
		return make_slug(im, name);
	if (!valid_id(typed)) {
		cell_place(row, col, &line, &column);
		diags_add(s->d, DIAG_ERROR, line, column, s->cols[col].label,
			  "expected an id of lower-case letters, digits and '-' (such as 'xom-dong-chua'), found '%s'",
			  typed);
	}
	return keep_str(im, typed);
}

/* ---- the sites, teams and travel tables ---- */

static int import_sites(struct importer *im, const char *path)
{
	struct sheet s;
	struct buf f, nf;
	int rc;

	buf_init(&f);
	buf_init(&nf);
	rc = open_sheet(im, &s, path, sites_aliases, COL_NAME, COL_NONE);
	if (rc)
		goto out;
	for (size_t r = s.first_row; r < s.table->nrows; r++) {
		const struct csv_row *row = &s.table->rows[r];
		struct isite site;
		size_t col;
		int line, column;

		if (!check_row_shape(&s, row))
			continue;
		if (im->nsites >= MAX_SITES) {
			diags_add(s.d, DIAG_ERROR, row->line, 1, "",
				  "more than %d sites: a campaign holds at most %d", MAX_SITES, MAX_SITES);
			break;
		}
		memset(&site, 0, sizeof(site));
		site.line = row->line;
		note_cells(&s, row, site.cell_col);
		site.slots = SLOT_ALL;
		col = column_of(&s, COL_NAME);
		site.name = keep_text(im, cell_text(row, col));
		if (!site.name)
			break;
		cell_place(row, col, &line, &column);
		if (!*site.name) {
			diags_add(&*s.d, DIAG_ERROR, line, column, s.cols[col].label, "a site needs a name");
			continue;
		}
		site.id = row_id(im, &s, row, site.name);
		site.folded = keep_folded(im, site.name);
		if (!site.id || !site.folded)
			break; /* out of memory */
		fold(&f, role_text(&s, row, COL_KIND));
		fold(&nf, site.name);
		if (parse_site_kind(buf_str(&f), buf_str(&nf), &site.kind)) {
			size_t kc = column_of(&s, COL_KIND);

			if (kc != SIZE_MAX)
				cell_place(row, kc, &line, &column);
			diags_add(s.d, DIAG_ERROR, line, column, kc != SIZE_MAX ? s.cols[kc].label : "kind",
				  "expected a site kind (station, hall, school, workplace; trụ sở, nhà văn hóa, "
				  "trường, doanh nghiệp), found '%s'",
				  role_text(&s, row, COL_KIND));
		}
		if (!blank(role_text(&s, row, COL_COMMUNE))) {
			site.commune = make_slug(im, role_text(&s, row, COL_COMMUNE));
		}
		if (!blank(role_text(&s, row, COL_ADDRESS)))
			site.address = keep_text(im, role_text(&s, row, COL_ADDRESS));
		if ((col = column_of(&s, COL_SLOTS)) != SIZE_MAX && !blank(cell_text(row, col))) {
			if (parse_slots(&s, row, col, &site.slots) == ROTA_ENOMEM) {
				rc = ROTA_ENOMEM;
				goto out;
			}
		}
		if ((col = column_of(&s, COL_CLOSED)) != SIZE_MAX &&
		    parse_dates(&s, row, col, &site.closed, &site.nclosed) == ROTA_ENOMEM) {
			rc = ROTA_ENOMEM;
			goto out;
		}
		for (size_t i = 0; site.id && i < im->nsites; i++)
			if (!strcmp(im->sites[i].id, site.id))
				diags_add(s.d, DIAG_ERROR, line, column, s.cols[column_of(&s, COL_NAME)].label,
					  "duplicate site '%s'", site.id);
		if (grow_array(&im->sites, &im->asites, im->nsites + 1, sizeof(*im->sites))) {
			free(site.closed);
			rc = ROTA_ENOMEM;
			goto out;
		}
		im->sites[im->nsites++] = site;
	}
	if (!im->nsites && !s.d->errors)
		diags_add(s.d, DIAG_ERROR, 0, 0, "", "no site in the table");
out:
	if (im->oom && !rc)
		rc = ROTA_ENOMEM;
	sheet_release(&s);
	buf_release(&f);
	buf_release(&nf);
	return rc;
}

static int import_teams(struct importer *im, const char *path)
{
	struct sheet s;
	int rc;

	rc = open_sheet(im, &s, path, teams_aliases, COL_NAME, COL_CAPACITY);
	if (rc)
		goto out;
	if (!require_column(&s, teams_aliases, COL_BASE))
		goto out;
	if (column_of(&s, COL_CAPACITY) == SIZE_MAX) {
		diags_add(s.d, DIAG_ERROR, s.header_line, 1, "capacity",
			  "missing required column: one per service the team offers, named by the "
			  "service (such as 'cccd' or 'Chỉ tiêu CCCD/ngày')");
		goto out;
	}
	for (size_t r = s.first_row; r < s.table->nrows; r++) {
		const struct csv_row *row = &s.table->rows[r];
		struct iteam team;
		size_t col = column_of(&s, COL_NAME);
		int line, column;
		bool offers = false;

		if (!check_row_shape(&s, row))
			continue;
		if (im->nteams >= MAX_TEAMS) {
			diags_add(s.d, DIAG_ERROR, row->line, 1, "",
				  "more than %d teams: a campaign holds at most %d", MAX_TEAMS, MAX_TEAMS);
			break;
		}
		memset(&team, 0, sizeof(team));
		team.line = row->line;
		note_cells(&s, row, team.cell_col);
		team.slots = SLOT_BIT(SLOT_DAY);
		team.officers = 2;
		team.name = keep_text(im, cell_text(row, col));
		if (!team.name)
			break;
		cell_place(row, col, &line, &column);
		if (!*team.name) {
			diags_add(s.d, DIAG_ERROR, line, column, s.cols[col].label, "a team needs a name");
			continue;
		}
		team.id = row_id(im, &s, row, team.name);
		if (lookup_site(im, &s, row, column_of(&s, COL_BASE), &team.base))
			team.base = 0;
		team.capacity = xcalloc_array(im->base->nservices, sizeof(int));
		if (!team.capacity) {
			rc = ROTA_ENOMEM;
			goto out;
		}
		for (size_t c = 0; c < s.ncols; c++) {
			int v;

			if (s.cols[c].role != COL_CAPACITY)
				continue;
			if (!parse_count(&s, row, c, 0, MAX_CAPACITY, &v)) {
				team.capacity[s.cols[c].service] = v;
				offers = offers || v > 0;
			} else {
				offers = true; /* reported already */
			}
		}
		if (!offers)
			diags_add(s.d, DIAG_ERROR, line, column, s.cols[col].label,
				  "the team offers no service: give a capacity of at least 1");
		if ((col = column_of(&s, COL_SLOTS)) != SIZE_MAX && !blank(cell_text(row, col)) &&
		    parse_slots(&s, row, col, &team.slots) == ROTA_ENOMEM)
			rc = ROTA_ENOMEM;
		if ((col = column_of(&s, COL_OFFICERS)) != SIZE_MAX && !blank(cell_text(row, col)))
			parse_count(&s, row, col, 1, MAX_OFFICERS, &team.officers);
		if ((col = column_of(&s, COL_MAX_EXTRA)) != SIZE_MAX)
			parse_count(&s, row, col, 0, MAX_EXTRA_PER_WEEK, &team.max_extra);
		if ((col = column_of(&s, COL_UNAVAILABLE)) != SIZE_MAX &&
		    parse_dates(&s, row, col, &team.unavailable, &team.nunavailable) == ROTA_ENOMEM)
			rc = ROTA_ENOMEM;
		if (!blank(role_text(&s, row, COL_EMAIL)))
			team.email = keep_text(im, role_text(&s, row, COL_EMAIL));
		if (!blank(role_text(&s, row, COL_COMMUNES))) {
			const char *p = role_text(&s, row, COL_COMMUNES);
			size_t acommunes = 0;

			while (*p) {
				size_t len = strcspn(p, ",;\n");
				char *name = keep(im, p, len), *slug;

				if (name && !blank(name) && (slug = make_slug(im, name))) {
					if (grow_array(&team.communes, &acommunes, team.ncommunes + 1,
						       sizeof(char *))) {
						rc = ROTA_ENOMEM;
						break;
					}
					team.communes[team.ncommunes++] = slug;
				}
				p += len;
				if (*p)
					p++;
			}
		}
		for (size_t i = 0; team.id && i < im->nteams; i++)
			if (!strcmp(im->teams[i].id, team.id))
				diags_add(s.d, DIAG_ERROR, line, column, s.cols[column_of(&s, COL_NAME)].label,
					  "duplicate team '%s'", team.id);
		if (rc || grow_array(&im->teams, &im->ateams, im->nteams + 1, sizeof(*im->teams))) {
			free(team.capacity);
			free(team.unavailable);
			free(team.communes);
			rc = ROTA_ENOMEM;
			goto out;
		}
		im->teams[im->nteams++] = team;
	}
	if (!im->nteams && !s.d->errors)
		diags_add(s.d, DIAG_ERROR, 0, 0, "", "no team in the table");
out:
	if (im->oom && !rc)
		rc = ROTA_ENOMEM;
	sheet_release(&s);
	return rc;
}

static int import_travel(struct importer *im, const char *path)
{
	struct sheet s;
	int rc;

	im->ntravel = 0; /* the table replaces the base's entries */
	rc = open_sheet(im, &s, path, travel_aliases, COL_FROM, COL_NONE);
	if (rc)
		goto out;
	if (!require_column(&s, travel_aliases, COL_TO) ||
	    !require_column(&s, travel_aliases, COL_MINUTES))
		goto out;
	for (size_t r = s.first_row; r < s.table->nrows; r++) {
		const struct csv_row *row = &s.table->rows[r];
		struct itravel t;
		int line, column, bad;

		if (!check_row_shape(&s, row))
			continue;
		bad = lookup_site(im, &s, row, column_of(&s, COL_FROM), &t.a);
		bad |= lookup_site(im, &s, row, column_of(&s, COL_TO), &t.b);
		bad |= parse_count(&s, row, column_of(&s, COL_MINUTES), 0, 1440, &t.minutes);
		if (bad)
			continue;
		cell_place(row, column_of(&s, COL_FROM), &line, &column);
		if (t.a == t.b) {
			diags_add(s.d, DIAG_ERROR, line, column, s.cols[column_of(&s, COL_FROM)].label,
				  "a travel time from '%s' to itself", im->sites[t.a].id);
			continue;
		}
		for (size_t i = 0; i < im->ntravel; i++)
			if ((im->travel[i].a == t.a && im->travel[i].b == t.b) ||
			    (im->travel[i].a == t.b && im->travel[i].b == t.a)) {
				diags_add(s.d, DIAG_ERROR, line, column, s.cols[column_of(&s, COL_FROM)].label,
					  "duplicate travel time between '%s' and '%s'", im->sites[t.a].id,
					  im->sites[t.b].id);
				bad = 1;
				break;
			}
		if (bad)
			continue;
		if (grow_array(&im->travel, &im->atravel, im->ntravel + 1, sizeof(*im->travel))) {
			rc = ROTA_ENOMEM;
			goto out;
		}
		im->travel[im->ntravel++] = t;
	}
out:
	sheet_release(&s);
	return rc;
}

/* ---- the roster ---- */

static bool is_total_row(struct sheet *s, const struct csv_row *row, struct buf *f)
{
	size_t cols[2] = { column_of(s, COL_NAME), column_of(s, COL_NUMBER) };

	for (int i = 0; i < 2; i++) {
		if (cols[i] == SIZE_MAX)
			continue;
		fold(f, cell_text(row, cols[i]));
		if (find_alias(roster_aliases, buf_str(f)) == COL_TOTAL)
			return true;
	}
	return false;
}

struct unit_key {
	const char *id;
	int line, col;
};

static int unit_key_cmp(const void *pa, const void *pb)
{
	const struct unit_key *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* Two rows with one id, found by sorting (a roster may have thousands). */
static int report_duplicate_units(struct importer *im, struct sheet *s)
{
	struct unit_key *keys = xcalloc_array(im->nunits ? im->nunits : 1, sizeof(*keys));
	size_t name_col = column_of(s, COL_NAME);

	if (!keys)
		return ROTA_ENOMEM;
	for (size_t i = 0; i < im->nunits; i++) {
		keys[i].id = im->units[i].id ? im->units[i].id : "";
		keys[i].line = im->units[i].line;
		keys[i].col = im->units[i].cell_col[COL_NAME] ? im->units[i].cell_col[COL_NAME] : 1;
	}
	qsort(keys, im->nunits, sizeof(*keys), unit_key_cmp);
	for (size_t i = 1, first = 0; i < im->nunits; i++) {
		if (keys[i].id[0] && !strcmp(keys[i].id, keys[first].id))
			diags_add(s->d, DIAG_ERROR, keys[i].line, keys[i].col, s->cols[name_col].label,
				  "duplicate unit '%s' (also on line %d)", keys[i].id, keys[first].line);
		else
			first = i;
	}
	free(keys);
	return 0;
}

static int import_roster(struct importer *im, const char *path)
{
	const struct campaign *c = im->base;
	size_t ncounts = c->ngroups * c->nservices;
	long long *sums = NULL;
	struct sheet s;
	struct buf f, nf;
	size_t name_col, site_col;
	int rc;

	buf_init(&f);
	buf_init(&nf);
	rc = open_sheet(im, &s, path, roster_aliases, COL_NAME, COL_COUNT);
	if (rc)
		goto out;
	name_col = column_of(&s, COL_NAME);
	site_col = column_of(&s, COL_SITE);
	if (column_of(&s, COL_COUNT) == SIZE_MAX) {
		diags_add(s.d, DIAG_ERROR, s.header_line, 1, "",
			  "no count column: name one column per group and service, such as "
			  "'exam cccd', or a merged 'Chưa cấp CCCD' over the groups' names");
		goto out;
	}
	sums = xcalloc_array(s.ncols, sizeof(*sums));
	if (!sums) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	for (size_t r = s.first_row; r < s.table->nrows; r++) {
		const struct csv_row *row = &s.table->rows[r];
		struct iunit u;
		int line, column, total = -1;
		long long row_sum = 0;
		size_t col;

		if (!check_row_shape(&s, row))
			continue;
		if (is_total_row(&s, row, &f)) {
			/* The total row ends the table; what follows (signatures,
			 * notes) is not read. Its figures must be the sums. */
			for (col = 0; col < s.ncols; col++) {
				int v;

				if (s.cols[col].role != COL_COUNT && s.cols[col].role != COL_TOTAL)
					continue;
				if (blank(cell_text(row, col)) || parse_count(&s, row, col, 0, INT_MAX, &v))
					continue;
				if (v != sums[col]) {
					cell_place(row, col, &line, &column);
					diags_add(s.d, DIAG_WARNING, line, column, s.cols[col].label,
						  "the total row says %d, the rows above add up to %lld", v,
						  sums[col]);
				}
			}
			for (size_t rest = r + 1; rest < s.table->nrows; rest++) {
				bool filled = false;

				for (size_t k = 0; k < s.table->rows[rest].ncells; k++)
					filled = filled || !blank(s.table->rows[rest].cells[k].text);
				if (filled) {
					diags_add(s.d, DIAG_WARNING, s.table->rows[rest].line, 1, "",
						  "the rows after the total row are not read");
					break;
				}
			}
			break;
		}
		if (im->nunits >= MAX_UNITS) {
			diags_add(s.d, DIAG_ERROR, row->line, 1, "",
				  "more than %d units: a campaign holds at most %d", MAX_UNITS, MAX_UNITS);
			break;
		}
		memset(&u, 0, sizeof(u));
		u.line = row->line;
		note_cells(&s, row, u.cell_col);
		u.name = keep_text(im, cell_text(row, name_col));
		if (!u.name)
			break;
		cell_place(row, name_col, &line, &column);
		if (!*u.name) {
			diags_add(s.d, DIAG_ERROR, line, column, s.cols[name_col].label,
				  "a unit needs a name");
			continue;
		}
		u.id = row_id(im, &s, row, u.name);
		fold(&f, role_text(&s, row, COL_KIND));
		fold(&nf, u.name);
		if (parse_unit_kind(buf_str(&f), buf_str(&nf), &u.kind)) {
			size_t kc = column_of(&s, COL_KIND);
			int kl, kcol;

			cell_place(row, kc, &kl, &kcol);
			diags_add(s.d, DIAG_ERROR, kl, kcol, s.cols[kc].label,
				  "expected a unit kind (village, school, workplace; thôn, xóm, trường, "
				  "doanh nghiệp), found '%s'",
				  cell_text(row, kc));
		}
		if (site_col != SIZE_MAX && !blank(cell_text(row, site_col))) {
			lookup_site(im, &s, row, site_col, &u.site);
		} else if (guess_site(im, u.name, &u.site) && !im->sites_failed) {
			diags_add(s.d, DIAG_ERROR, line, column, s.cols[name_col].label,
				  "no site for '%s': give it in a 'site' (Địa điểm) column; no site in %s "
				  "is named after the unit",
				  u.name, im->sites_from);
		}
		if (!blank(role_text(&s, row, COL_COMMUNE)))
			u.commune = make_slug(im, role_text(&s, row, COL_COMMUNE));
		if (!blank(role_text(&s, row, COL_CONTACT))) {
			size_t cc = column_of(&s, COL_CONTACT);

			u.contact_name = keep_text(im, cell_text(row, cc));
			/* A column headed "Trưởng xóm" says the role of everyone in it. */
			fold(&f, s.cols[cc].label);
			if (strcmp(buf_str(&f), "contact") && strcmp(buf_str(&f), "nguoi lien he"))
				u.contact_role = keep_text(im, s.cols[cc].label);
		}
		if (!blank(role_text(&s, row, COL_ROLE)))
			u.contact_role = keep_text(im, role_text(&s, row, COL_ROLE));
		if (!blank(role_text(&s, row, COL_EMAIL)))
			u.contact_email = keep_text(im, role_text(&s, row, COL_EMAIL));
		if (!blank(role_text(&s, row, COL_PHONE)))
			u.contact_phone = keep_text(im, role_text(&s, row, COL_PHONE));
		u.counts = xcalloc_array(ncounts ? ncounts : 1, sizeof(int));
		if (!u.counts) {
			rc = ROTA_ENOMEM;
			goto out;
		}
		for (col = 0; col < s.ncols; col++) {
			int v;

			if (s.cols[col].role == COL_TOTAL) {
				if (!blank(cell_text(row, col)) && !parse_count(&s, row, col, 0, INT_MAX, &v))
					total = v;
				if (!blank(cell_text(row, col)))
					sums[col] += total >= 0 ? total : 0;
				continue;
			}
			if (s.cols[col].role != COL_COUNT || parse_count(&s, row, col, 0, MAX_COUNT, &v))
				continue;
			u.counts[s.cols[col].group * c->nservices + s.cols[col].service] = v;
			sums[col] += v;
			row_sum += v;
		}
		if (total >= 0 && total != row_sum) {
			size_t tc = column_of(&s, COL_TOTAL);
			int tl, tcol;

			cell_place(row, tc, &tl, &tcol);
			diags_add(s.d, DIAG_WARNING, tl, tcol, s.cols[tc].label,
				  "the row's total says %d, its counts add up to %lld", total, row_sum);
		}
		if (grow_array(&im->units, &im->aunits, im->nunits + 1, sizeof(*im->units))) {
			free(u.counts);
			rc = ROTA_ENOMEM;
			goto out;
		}
		im->units[im->nunits++] = u;
	}
	if (!im->nunits && !s.d->errors)
		diags_add(s.d, DIAG_ERROR, 0, 0, "", "no unit in the roster");
	rc = rc ? rc : report_duplicate_units(im, &s);
out:
	if (im->oom && !rc)
		rc = ROTA_ENOMEM;
	free(sums);
	sheet_release(&s);
	buf_release(&f);
	buf_release(&nf);
	return rc;
}

/* ---- what the base campaign gives ---- */

static int copy_ranges(const struct date_ranges *from, struct date_range **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	if (!from->count)
		return 0;
	*out = xcalloc_array(from->count, sizeof(**out));
	if (!*out)
		return ROTA_ENOMEM;
	memcpy(*out, from->items, from->count * sizeof(**out));
	*count = from->count;
	return 0;
}

static int sites_from_base(struct importer *im)
{
	const struct campaign *c = im->base;

	for (size_t i = 0; i < c->nsites; i++) {
		const struct site *bs = &c->sites[i];
		struct isite site;

		memset(&site, 0, sizeof(site));
		site.id = bs->id;
		site.name = bs->name;
		site.folded = keep_folded(im, bs->name);
		if (!site.folded)
			return ROTA_ENOMEM;
		site.address = bs->address;
		site.commune = bs->commune >= 0 ? c->communes[bs->commune] : NULL;
		site.kind = bs->kind;
		site.slots = bs->slots;
		if (grow_array(&im->sites, &im->asites, im->nsites + 1, sizeof(*im->sites)) ||
		    copy_ranges(&bs->closed, &site.closed, &site.nclosed))
			return ROTA_ENOMEM;
		im->sites[im->nsites++] = site;
	}
	return 0;
}

static int teams_from_base(struct importer *im)
{
	const struct campaign *c = im->base;

	for (size_t i = 0; i < c->nteams; i++) {
		const struct team *bt = &c->teams[i];
		struct iteam team;

		memset(&team, 0, sizeof(team));
		team.id = bt->id;
		team.name = bt->name;
		team.email = bt->email;
		team.base = bt->base;
		team.slots = bt->slots;
		team.officers = bt->officers;
		team.max_extra = bt->max_extra_per_week;
		if (grow_array(&im->teams, &im->ateams, im->nteams + 1, sizeof(*im->teams)))
			return ROTA_ENOMEM;
		im->teams[im->nteams++] = team; /* owned from here: freed on failure */
		im->teams[im->nteams - 1].capacity = xcalloc_array(c->nservices, sizeof(int));
		if (!im->teams[im->nteams - 1].capacity)
			return ROTA_ENOMEM;
		memcpy(im->teams[im->nteams - 1].capacity, bt->capacity, c->nservices * sizeof(int));
		if (copy_ranges(&bt->unavailable, &im->teams[im->nteams - 1].unavailable,
				&im->teams[im->nteams - 1].nunavailable))
			return ROTA_ENOMEM;
		if (!bt->all_communes) {
			struct iteam *t = &im->teams[im->nteams - 1];

			t->communes = xcalloc_array(bt->ncommunes ? bt->ncommunes : 1, sizeof(char *));
			if (!t->communes)
				return ROTA_ENOMEM;
			for (size_t k = 0; k < bt->ncommunes; k++)
				t->communes[k] = c->communes[bt->communes[k]];
			t->ncommunes = bt->ncommunes;
		}
	}
	return 0;
}

/* The base's travel entries between sites that are still there (by id). */
static int travel_from_base(struct importer *im)
{
	const struct campaign *c = im->base;

	for (size_t a = 0; a < c->nsites; a++)
		for (size_t b = a + 1; b < c->nsites; b++) {
			int minutes = c->travel[a * c->nsites + b];
			int ia = -1, ib = -1;

			if (minutes < 0)
				continue;
			for (size_t i = 0; i < im->nsites; i++) {
				if (!strcmp(im->sites[i].id, c->sites[a].id))
					ia = (int)i;
				if (!strcmp(im->sites[i].id, c->sites[b].id))
					ib = (int)i;
			}
			if (ia < 0 || ib < 0)
				continue;
			if (grow_array(&im->travel, &im->atravel, im->ntravel + 1, sizeof(*im->travel)))
				return ROTA_ENOMEM;
			im->travel[im->ntravel].a = (size_t)ia;
			im->travel[im->ntravel].b = (size_t)ib;
			im->travel[im->ntravel].minutes = minutes;
			im->ntravel++;
		}
	return 0;
}

static int range_cmp(const void *pa, const void *pb)
{
	const struct date_range *a = pa, *b = pb;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return (a->last > b->last) - (a->last < b->last);
}

/* Sorts the holidays and joins those that overlap or touch. */
static void merge_holidays(struct importer *im)
{
	size_t kept = 0;

	if (im->nholidays > 1)
		qsort(im->holidays, im->nholidays, sizeof(*im->holidays), range_cmp);
	for (size_t i = 0; i < im->nholidays; i++) {
		if (kept && im->holidays[i].first <= im->holidays[kept - 1].last + 1) {
			if (im->holidays[i].last > im->holidays[kept - 1].last)
				im->holidays[kept - 1].last = im->holidays[i].last;
			continue;
		}
		im->holidays[kept++] = im->holidays[i];
	}
	im->nholidays = kept;
}

static int read_calendar(struct importer *im, const char *path, struct diags *d,
			 struct cal_event **events, size_t *count)
{
	char *data;
	size_t len;
	int rc;

	rc = read_whole_file(&data, &len, path, ICS_MAX_BYTES, "calendars", im->err);
	if (rc)
		return rc;
	rc = calendar_read_events(events, count, data, len, im->base->timezone, im->base->start,
				  im->base->end, d);
	free(data);
	return rc;
}

/* Every date of every event, within the campaign, becomes a holiday (with
 * those the base already has). */
static int import_holidays(struct importer *im, const char *path)
{
	struct diags *d = report_file(im->rep, im->rep_alloc, path);
	struct cal_event *events = NULL;
	size_t count = 0;
	int rc;

	if (!d)
		return ROTA_ENOMEM;
	rc = read_calendar(im, path, d, &events, &count);
	if (rc)
		return rc;
	for (size_t i = 0; i < count; i++) {
		struct date_range r = events[i].dates;

		if (r.first < im->base->start)
			r.first = im->base->start;
		if (r.last > im->base->end)
			r.last = im->base->end;
		if (r.first > r.last)
			continue;
		if (grow_array(&im->holidays, &im->aholidays, im->nholidays + 1, sizeof(*im->holidays))) {
			rc = ROTA_ENOMEM;
			break;
		}
		im->holidays[im->nholidays++] = r;
	}
	if (!rc && !count)
		diags_add(d, DIAG_WARNING, 0, 0, "", "no event falls within the campaign (%s to %s)",
			  "start", "end");
	cal_events_free(events, count);
	merge_holidays(im);
	return rc;
}

/* The group's deadline is the day before the earliest event that starts
 * within the campaign: an exam calendar's first exam day. */
static int import_deadline(struct importer *im, const struct import_deadline *dl)
{
	struct diags *d = report_file(im->rep, im->rep_alloc, dl->path);
	struct cal_event *events = NULL;
	size_t count = 0, first = SIZE_MAX;
	int group, rc;

	if (!d)
		return ROTA_ENOMEM;
	group = campaign_find_group(im->base, dl->group);
	if (group < 0) {
		diags_add(d, DIAG_ERROR, 0, 0, "", "--deadline %s=%s: '%s' is not a group of %s",
			  dl->group, dl->path, dl->group, im->o->base);
		return ROTA_EINPUT;
	}
	rc = read_calendar(im, dl->path, d, &events, &count);
	if (rc)
		return rc;
	/* Sorted by first date: the first that starts inside the campaign. */
	for (size_t i = 0; i < count && first == SIZE_MAX; i++)
		if (events[i].dates.first >= im->base->start && events[i].dates.first <= im->base->end)
			first = i;
	if (first == SIZE_MAX) {
		diags_add(d, DIAG_ERROR, 0, 0, "",
			  "no event starts within the campaign: no deadline for group '%s'", dl->group);
		rc = ROTA_EINPUT;
	} else if (events[first].dates.first == im->base->start) {
		char text[DATE_TEXT_SIZE];

		date_format(events[first].dates.first, text);
		diags_add(d, DIAG_ERROR, 0, 0, "",
			  "the first event, '%s' on %s, is the campaign's first day: no day is left "
			  "before it for group '%s'",
			  events[first].summary, text, dl->group);
		rc = ROTA_EINPUT;
	} else {
		im->deadline[group] = events[first].dates.first - 1;
	}
	cal_events_free(events, count);
	return rc;
}

/* ---- the campaign file ---- */

static void put_date(struct buf *b, int date)
{
	char text[DATE_TEXT_SIZE];

	date_format(date, text);
	buf_printf(b, "\"%s\"", text);
}

static void put_ranges(struct buf *b, const struct date_range *r, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];

		date_format(r[i].first, first);
		date_format(r[i].last, last);
		if (r[i].first == r[i].last)
			buf_printf(b, "%s\"%s\"", i ? ", " : "", first);
		else
			buf_printf(b, "%s\"%s/%s\"", i ? ", " : "", first, last);
	}
	buf_putc(b, ']');
}

static void put_slots(struct buf *b, slot_set slots)
{
	bool first = true;

	buf_putc(b, '[');
	for (int k = 0; k < SLOT_COUNT; k++)
		if (slots & SLOT_BIT(k)) {
			buf_printf(b, "%s\"%s\"", first ? "" : ", ", slot_kind_name((enum slot_kind)k));
			first = false;
		}
	buf_putc(b, ']');
}

static void put_field(struct buf *b, bool *first, const char *name)
{
	buf_printf(b, "%s\"%s\": ", *first ? "" : ", ", name);
	*first = false;
}

static void put_person(struct buf *b, const char *name, const char *role, const char *email,
		       const char *phone)
{
	bool first = true;

	buf_putc(b, '{');
	if (name) {
		put_field(b, &first, "name");
		buf_put_json_string(b, name);
	}
	if (role) {
		put_field(b, &first, "role");
		buf_put_json_string(b, role);
	}
	if (email) {
		put_field(b, &first, "email");
		buf_put_json_string(b, email);
	}
	if (phone) {
		put_field(b, &first, "phone");
		buf_put_json_string(b, phone);
	}
	buf_putc(b, '}');
}

static void put_window(struct buf *b, const struct slot_window *w)
{
	char start[TIME_TEXT_SIZE], end[TIME_TEXT_SIZE];

	time_format(w->start, start);
	time_format(w->end, end);
	buf_printf(b, "{\"start\": \"%s\", \"end\": \"%s\"", start, end);
	if (w->nbreaks) {
		buf_puts(b, ", \"breaks\": [");
		for (size_t i = 0; i < w->nbreaks; i++) {
			time_format(w->breaks[i].start, start);
			time_format(w->breaks[i].end, end);
			buf_printf(b, "%s[\"%s\", \"%s\"]", i ? ", " : "", start, end);
		}
		buf_putc(b, ']');
	}
	buf_putc(b, '}');
}

static bool same_window(const struct slot_window *a, const struct slot_window *b)
{
	if (a->start != b->start || a->end != b->end || a->nbreaks != b->nbreaks)
		return false;
	for (size_t i = 0; i < a->nbreaks; i++)
		if (a->breaks[i].start != b->breaks[i].start || a->breaks[i].end != b->breaks[i].end)
			return false;
	return true;
}

/* The shortest decimal that reads back as v. */
static void put_double(struct buf *b, double v)
{
	char text[32];

	for (int precision = 1; precision <= 17; precision++) {
		snprintf(text, sizeof(text), "%.*g", precision, v);
		if (strtod(text, NULL) == v)
			break;
	}
	buf_puts(b, text);
}

static void write_header(const struct importer *im, struct buf *b)
{
	const struct campaign *c = im->base;
	static const char *const days[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	bool first = true;

	buf_puts(b, "{\n  \"format\": \"rota-campaign/1\",\n  \"campaign\": {\n    \"id\": ");
	buf_put_json_string(b, c->id);
	buf_puts(b, ",\n    \"name\": ");
	buf_put_json_string(b, c->name);
	buf_puts(b, ",\n    \"start\": ");
	put_date(b, c->start);
	buf_puts(b, ",\n    \"end\": ");
	put_date(b, c->end);
	buf_puts(b, ",\n    \"timezone\": ");
	buf_put_json_string(b, c->timezone);
	buf_puts(b, ",\n    \"organizer\": ");
	put_person(b, c->organizer.name, c->organizer.role, c->organizer.email, c->organizer.phone);
	buf_puts(b, "\n  },\n  \"calendar\": {\n    \"workdays\": [");
	for (int w = 0; w < 7; w++)
		if (c->workdays & (1u << w)) {
			buf_printf(b, "%s\"%s\"", first ? "" : ", ", days[w]);
			first = false;
		}
	buf_puts(b, "],\n    \"holidays\": ");
	put_ranges(b, im->holidays, im->nholidays);
	buf_puts(b, ",\n    \"extra_workdays\": ");
	put_ranges(b, c->extra_workdays.items, c->extra_workdays.count);
	buf_puts(b, ",\n    \"slots\": {");
	for (int k = 0; k < SLOT_COUNT; k++) {
		/* The holiday slot is the weekend's unless the base says otherwise. */
		if (k == SLOT_HOLIDAY && same_window(&c->slots[k], &c->slots[SLOT_WEEKEND]))
			continue;
		buf_printf(b, "%s\n      \"%s\": ", k ? "," : "", slot_kind_name((enum slot_kind)k));
		put_window(b, &c->slots[k]);
	}
	buf_puts(b, "\n    }\n  },\n  \"services\": {");
	for (size_t s = 0; s < c->nservices; s++) {
		buf_printf(b, "%s\n    ", s ? "," : "");
		buf_put_json_string(b, c->services[s].id);
		buf_puts(b, ": {\"name\": ");
		buf_put_json_string(b, c->services[s].name);
		buf_putc(b, '}');
	}
	buf_puts(b, "\n  },\n  \"groups\": [");
	for (size_t g = 0; g < c->ngroups; g++) {
		const struct group *gr = &c->groups[g];

		buf_printf(b, "%s\n    {\"id\": ", g ? "," : "");
		buf_put_json_string(b, gr->id);
		buf_puts(b, ", \"name\": ");
		buf_put_json_string(b, gr->name);
		buf_printf(b, ", \"priority\": %d", gr->priority);
		if (im->deadline[g] != c->end) {
			buf_puts(b, ", \"deadline\": ");
			put_date(b, im->deadline[g]);
		}
		if (gr->from != c->start) {
			buf_puts(b, ", \"from\": ");
			put_date(b, gr->from);
		}
		if (gr->slots != SLOT_ALL) {
			buf_puts(b, ", \"slots\": ");
			put_slots(b, gr->slots);
		}
		if (!gr->at_own || !gr->at_station || gr->nat_sites) {
			bool any = false;

			buf_puts(b, ", \"at\": [");
			if (gr->at_own) {
				buf_puts(b, "\"own\"");
				any = true;
			}
			if (gr->at_station) {
				buf_printf(b, "%s\"station\"", any ? ", " : "");
				any = true;
			}
			for (size_t i = 0; i < gr->nat_sites; i++) {
				buf_puts(b, any ? ", " : "");
				buf_put_json_string(b, c->sites[gr->at_sites[i]].id);
				any = true;
			}
			buf_putc(b, ']');
		}
		if (gr->turnout != 1.0) {
			buf_puts(b, ", \"turnout\": ");
			put_double(b, gr->turnout);
		}
		buf_putc(b, '}');
	}
	buf_puts(b, "\n  ],\n");
}

static void write_sites(const struct importer *im, struct buf *b)
{
	static const char *const kinds[] = { "station", "hall", "school", "workplace" };

	buf_puts(b, "  \"sites\": [");
	for (size_t i = 0; i < im->nsites; i++) {
		const struct isite *s = &im->sites[i];

		buf_printf(b, "%s\n    {\"id\": ", i ? "," : "");
		buf_put_json_string(b, s->id);
		buf_puts(b, ", \"name\": ");
		buf_put_json_string(b, s->name);
		buf_printf(b, ", \"kind\": \"%s\"", kinds[s->kind]);
		if (s->address) {
			buf_puts(b, ", \"address\": ");
			buf_put_json_string(b, s->address);
		}
		if (s->commune) {
			buf_puts(b, ", \"commune\": ");
			buf_put_json_string(b, s->commune);
		}
		if (s->slots != SLOT_ALL) {
			buf_puts(b, ", \"slots\": ");
			put_slots(b, s->slots);
		}
		if (s->nclosed) {
			buf_puts(b, ", \"closed\": ");
			put_ranges(b, s->closed, s->nclosed);
		}
		buf_putc(b, '}');
	}
	buf_puts(b, "\n  ],\n  \"travel\": [");
	for (size_t i = 0; i < im->ntravel; i++) {
		buf_printf(b, "%s\n    [", i ? "," : "");
		buf_put_json_string(b, im->sites[im->travel[i].a].id);
		buf_puts(b, ", ");
		buf_put_json_string(b, im->sites[im->travel[i].b].id);
		buf_printf(b, ", %d]", im->travel[i].minutes);
	}
	buf_puts(b, im->ntravel ? "\n  ],\n" : "],\n");
}

static void write_teams(const struct importer *im, struct buf *b)
{
	const struct campaign *c = im->base;

	buf_puts(b, "  \"teams\": [");
	for (size_t i = 0; i < im->nteams; i++) {
		const struct iteam *t = &im->teams[i];
		bool first = true;

		buf_printf(b, "%s\n    {\n      \"id\": ", i ? "," : "");
		buf_put_json_string(b, t->id);
		buf_puts(b, ",\n      \"name\": ");
		buf_put_json_string(b, t->name);
		buf_puts(b, ",\n      \"base\": ");
		buf_put_json_string(b, im->sites[t->base].id);
		buf_puts(b, ",\n      \"capacity\": {");
		for (size_t s = 0; s < c->nservices; s++) {
			if (!t->capacity[s])
				continue;
			buf_puts(b, first ? "" : ", ");
			buf_put_json_string(b, c->services[s].id);
			buf_printf(b, ": %d", t->capacity[s]);
			first = false;
		}
		buf_puts(b, "},\n      \"slots\": ");
		put_slots(b, t->slots);
		if (t->officers != 2)
			buf_printf(b, ",\n      \"officers\": %d", t->officers);
		if (t->communes) {
			buf_puts(b, ",\n      \"communes\": [");
			for (size_t k = 0; k < t->ncommunes; k++) {
				buf_puts(b, k ? ", " : "");
				buf_put_json_string(b, t->communes[k]);
			}
			buf_putc(b, ']');
		}
		buf_printf(b, ",\n      \"max_extra_per_week\": %d", t->max_extra);
		if (t->nunavailable) {
			buf_puts(b, ",\n      \"unavailable\": ");
			put_ranges(b, t->unavailable, t->nunavailable);
		}
		if (t->email) {
			buf_puts(b, ",\n      \"email\": ");
			buf_put_json_string(b, t->email);
		}
		buf_puts(b, "\n    }");
	}
	buf_puts(b, "\n  ],\n");
}

static int find_isite(const struct importer *im, const char *id)
{
	for (size_t i = 0; i < im->nsites; i++)
		if (!strcmp(im->sites[i].id, id))
			return (int)i;
	return -1;
}

static int find_iteam(const struct importer *im, const char *id)
{
	for (size_t i = 0; i < im->nteams; i++)
		if (!strcmp(im->teams[i].id, id))
			return (int)i;
	return -1;
}

/* The base's fixed sessions whose team and site are still there (by id);
 * the others are dropped with a warning on the base. */
static void write_fixed(const struct importer *im, struct buf *b, struct diags *base_d)
{
	static const char *const days[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	const struct campaign *c = im->base;
	size_t written = 0;

	for (size_t i = 0; i < c->nfixed; i++) {
		const struct fixed_session *f = &c->fixed[i];
		const char *team = c->teams[f->team].id, *site = c->sites[f->site].id;

		if (find_iteam(im, team) < 0 || find_isite(im, site) < 0) {
			diags_add(base_d, DIAG_WARNING, f->loc.line, f->loc.col, "fixed",
				  "the fixed session of team '%s' at '%s' is dropped: the tables have no "
				  "such %s",
				  team, site, find_iteam(im, team) < 0 ? "team" : "site");
			continue;
		}
		buf_puts(b, written ? ",\n    {\"team\": " : "  \"fixed\": [\n    {\"team\": ");
		buf_put_json_string(b, team);
		buf_puts(b, ", \"site\": ");
		buf_put_json_string(b, site);
		buf_printf(b, ", \"slot\": \"%s\"", slot_kind_name(f->slot));
		if (f->weekly) {
			buf_printf(b, ", \"weekday\": \"%s\", \"from\": ", days[f->weekday]);
			put_date(b, f->from);
			buf_puts(b, ", \"to\": ");
			put_date(b, f->to);
		} else {
			buf_puts(b, ", \"date\": ");
			put_date(b, f->date);
		}
		buf_putc(b, '}');
		written++;
	}
	if (written)
		buf_puts(b, "\n  ],\n");
}

static void write_units(const struct importer *im, struct buf *b)
{
	static const char *const kinds[] = { "village", "school", "workplace" };
	const struct campaign *c = im->base;

	buf_puts(b, "  \"units\": [");
	for (size_t i = 0; i < im->nunits; i++) {
		const struct iunit *u = &im->units[i];
		bool first = true;

		buf_printf(b, "%s\n    {\n      \"id\": ", i ? "," : "");
		buf_put_json_string(b, u->id);
		buf_puts(b, ",\n      \"name\": ");
		buf_put_json_string(b, u->name);
		buf_printf(b, ",\n      \"kind\": \"%s\",\n      \"site\": ", kinds[u->kind]);
		buf_put_json_string(b, im->sites[u->site].id);
		if (u->commune) {
			buf_puts(b, ",\n      \"commune\": ");
			buf_put_json_string(b, u->commune);
		}
		if (u->contact_name || u->contact_role || u->contact_email || u->contact_phone) {
			buf_puts(b, ",\n      \"contact\": ");
			put_person(b, u->contact_name, u->contact_role, u->contact_email,
				   u->contact_phone);
		}
		buf_puts(b, ",\n      \"demand\": [");
		for (size_t g = 0; g < c->ngroups; g++)
			for (size_t s = 0; s < c->nservices; s++) {
				int n = u->counts[g * c->nservices + s];

				if (!n)
					continue;
				buf_printf(b, "%s\n        {\"group\": ", first ? "" : ",");
				buf_put_json_string(b, c->groups[g].id);
				buf_puts(b, ", \"service\": ");
				buf_put_json_string(b, c->services[s].id);
				buf_printf(b, ", \"count\": %d}", n);
				first = false;
			}
		buf_puts(b, first ? "]\n    }" : "\n      ]\n    }");
	}
	buf_puts(b, "\n  ]\n}\n");
}

/* ---- the whole import ---- */

static void importer_release(struct importer *im)
{
	for (size_t i = 0; i < im->nsites; i++)
		free(im->sites[i].closed);
	for (size_t i = 0; i < im->nteams; i++) {
		free(im->teams[i].capacity);
		free(im->teams[i].unavailable);
		free(im->teams[i].communes);
	}
	for (size_t i = 0; i < im->nunits; i++)
		free(im->units[i].counts);
	for (size_t i = 0; i < im->nstrings; i++)
		free(im->strings[i]);
	free(im->sites);
	free(im->teams);
	free(im->travel);
	free(im->units);
	free(im->holidays);
	free(im->deadline);
	free(im->strings);
	free(im->group_id);
	free(im->group_name);
	free(im->group_short);
	free(im->service_id);
	free(im->service_name);
	campaign_free(im->base);
}

/*
 * Reads the campaign written back with the campaign reader, as `rota
 * check` would. Its problems about a unit, a site or a team that came from
 * a table are reported at that row of the table (with the campaign's path);
 * the others at the place in the campaign, named o->output.
 */
static int check_written(struct importer *im, const struct buf *json, struct diags *out_d)
{
	struct campaign *c = NULL;
	struct diags check;
	int rc;

	diags_init(&check, "");
	rc = campaign_read_buffer(&c, json->data, json->len, &check);
	campaign_free(c);
	for (size_t i = 0; i < check.count; i++) {
		const struct diag *g = &check.items[i];
		const char *file = NULL, *field = NULL;
		const int *cell_col = NULL;
		size_t n;
		int line = 0, used = 0, col = 1;

		if (sscanf(g->path, "units[%zu]%n", &n, &used) == 1 && n < im->nunits) {
			file = im->o->roster;
			line = im->units[n].line;
			cell_col = im->units[n].cell_col;
		} else if (sscanf(g->path, "sites[%zu]%n", &n, &used) == 1 && n < im->nsites &&
			   im->sites[n].line) {
			file = im->o->sites;
			line = im->sites[n].line;
			cell_col = im->sites[n].cell_col;
		} else if (sscanf(g->path, "teams[%zu]%n", &n, &used) == 1 && n < im->nteams &&
			   im->teams[n].line) {
			file = im->o->teams;
			line = im->teams[n].line;
			cell_col = im->teams[n].cell_col;
		}
		if (file) {
			static const struct {
				const char *field;
				enum role role;
			} fields[] = {
				{ ".id", COL_ID }, { ".name", COL_NAME }, { ".kind", COL_KIND },
				{ ".site", COL_SITE }, { ".commune", COL_COMMUNE },
				{ ".contact.name", COL_CONTACT }, { ".contact.role", COL_ROLE },
				{ ".contact.email", COL_EMAIL }, { ".contact.phone", COL_PHONE },
				{ ".email", COL_EMAIL }, { ".base", COL_BASE }, { ".slots", COL_SLOTS },
				{ ".closed", COL_CLOSED }, { ".unavailable", COL_UNAVAILABLE },
				{ ".communes", COL_COMMUNES }, { ".address", COL_ADDRESS },
			};
			struct diags *d = report_file(im->rep, im->rep_alloc, file);

			field = g->path + used;
			for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
				if (!strncmp(field, fields[k].field, strlen(fields[k].field)) &&
				    cell_col[fields[k].role])
					col = cell_col[fields[k].role];
			if (d)
				diags_add(d, g->level, line, col, g->path, "%s", g->message);
		} else {
			diags_add(out_d, g->level, g->line, g->col, g->path, "%s", g->message);
		}
	}
	if (check.oom)
		im->rep->oom = 1;
	diags_release(&check);
	return rc;
}

/* The base's teams, their bases found again by id among the sites. */
static int remap_team_bases(struct importer *im, struct diags *base_d)
{
	for (size_t i = 0; i < im->nteams; i++) {
		const char *id = im->base->sites[im->base->teams[i].base].id;
		int site = find_isite(im, id);

		if (site < 0) {
			diags_add(base_d, DIAG_ERROR, im->base->teams[i].loc.line,
				  im->base->teams[i].loc.col, "teams",
				  "team '%s' is based at '%s', which %s does not list: give --teams too",
				  im->teams[i].id, id, im->sites_from);
			continue;
		}
		im->teams[i].base = (size_t)site;
	}
	return 0;
}

int import_campaign(struct buf *json, const struct import_options *o,
		    struct import_report *rep, struct rota_error *err)
{
	struct importer im;
	struct diags *base_d;
	int rc;

	memset(&im, 0, sizeof(im));
	im.o = o;
	im.rep = rep;
	im.err = err;
	im.rep_alloc = 9 + o->ndeadlines;
	rep->files = xcalloc_array(im.rep_alloc, sizeof(*rep->files));
	if (!rep->files)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	/* The files in the order of the command line: roster first. */
	if (!report_file(rep, im.rep_alloc, o->roster) || !(base_d = report_file(rep, im.rep_alloc, o->base)))
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	rc = campaign_read_file(&im.base, o->base, base_d, err);
	if (rc)
		goto out;
	im.deadline = xcalloc_array(im.base->ngroups ? im.base->ngroups : 1, sizeof(int));
	if (!im.deadline) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	for (size_t g = 0; g < im.base->ngroups; g++)
		im.deadline[g] = im.base->groups[g].deadline;
	if (copy_ranges(&im.base->holidays, &im.holidays, &im.nholidays)) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	im.aholidays = im.nholidays;
	if (fold_base_names(&im)) {
		rc = ROTA_ENOMEM;
		goto out;
	}

#define STEP(call)                                                                    \
	do {                                                                          \
		int step_rc = (call);                                                 \
		if (step_rc == ROTA_EIO || step_rc == ROTA_ENOMEM) {                  \
			rc = step_rc;                                                 \
			goto out;                                                     \
		}                                                                     \
	} while (0)

	if (o->sites) {
		size_t errors_before = import_report_errors(rep);

		im.sites_from = o->sites;
		rc = import_sites(&im, o->sites);
		if (rc == ROTA_EIO || rc == ROTA_ENOMEM)
			goto out;
		/* What refers to a wrong sites table would only repeat its errors. */
		im.sites_failed = rc != 0 || !im.nsites || import_report_errors(rep) > errors_before;
	} else {
		im.sites_from = o->base;
		STEP(sites_from_base(&im));
	}
	if (o->teams) {
		STEP(import_teams(&im, o->teams));
	} else {
		STEP(teams_from_base(&im));
		if (o->sites && !im.sites_failed)
			remap_team_bases(&im, base_d);
	}
	if (o->travel)
		STEP(import_travel(&im, o->travel));
	else
		STEP(travel_from_base(&im));
	STEP(import_roster(&im, o->roster));
	if (o->holidays)
		STEP(import_holidays(&im, o->holidays));
	for (size_t i = 0; i < o->ndeadlines; i++)
		STEP(import_deadline(&im, &o->deadlines[i]));
#undef STEP
	if (im.oom) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	if (import_report_errors(rep) || rep->oom) {
		rc = ROTA_EINPUT;
		goto out;
	}
	write_header(&im, json);
	write_sites(&im, json);
	write_teams(&im, json);
	write_fixed(&im, json, base_d);
	write_units(&im, json);
	if (json->failed) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	{
		struct diags *out_d = report_file(rep, im.rep_alloc, o->output ? o->output : "-");

		rc = out_d ? check_written(&im, json, out_d) : ROTA_ENOMEM;
	}
out:
	if (rc == ROTA_ENOMEM && !err->message[0])
		rota_error_set(err, rc, "out of memory");
	importer_release(&im);
	return rc;
}

/* ---- templates ---- */

void import_template(struct buf *out, const char *name)
{
	/* As Excel saves "CSV UTF-8": a byte-order mark and CRLF. */
	buf_puts(out, "\xEF\xBB\xBF");
	if (!strcmp(name, "roster")) {
		buf_puts(out, "STT,Đơn vị,Loại,Địa điểm,Trưởng xóm,Email,Điện thoại,"
			      "Chưa cấp CCCD,,,,Chưa có định danh mức 2,,,,Tổng\r\n"
			      ",,,,,,,exam,policy,workers,general,exam,policy,workers,general,\r\n"
			      "1,Xóm Đồng Chùa,xóm,Trụ sở Công an xã,Nguyễn Văn Hùng,"
			      "truongxom.dongchua@example.vn,0912 345 678,12,0,0,10,0,0,0,128,150\r\n");
	} else if (!strcmp(name, "sites")) {
		buf_puts(out, "Mã,Tên địa điểm,Loại,Xã,Địa chỉ,Ca,Ngày đóng cửa\r\n"
			      "tru-so,Trụ sở Công an xã,trụ sở,,,,\r\n");
	} else if (!strcmp(name, "teams")) {
		buf_puts(out, "Mã,Tên tổ,Trụ sở,CCCD,Định danh,Ca,Số cán bộ,"
			      "Buổi ngoài giờ mỗi tuần,Ngày nghỉ,Email\r\n"
			      "ca-xa,Tổ thu nhận Công an xã,tru-so,30,70,\"ngày, tối, cuối tuần\",2,2,"
			      "10/06/2024 - 14/06/2024,tothunhan@example.vn\r\n");
	} else if (!strcmp(name, "travel")) {
		buf_puts(out, "Từ,Đến,Phút\r\n"
			      "tru-so,nvh-dong-chua,15\r\n");
	}
}
