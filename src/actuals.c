/*
 * actuals.c - what the teams reported (actuals.h, replan-v1.md "Actuals"):
 * a CSV file read through csv_read.h, its header matched by name, every
 * row checked against the current campaign and the previous plan.
 *
 * Column names are matched without regard to ASCII case and surrounding
 * spaces ("Came", " date "), so that a header retyped in a spreadsheet
 * still reads; cells are taken as typed, less surrounding spaces. Every
 * problem of every row is reported, each at its cell.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actuals.h"
#include "csv_read.h"
#include "date.h"
#include "banned.h"

/* The columns an actuals file must have, in the order messages list them. */
enum column { COL_DATE, COL_SLOT, COL_TEAM, COL_SITE, COL_UNIT, COL_GROUP, COL_SERVICE,
	      COL_CAME, NCOLUMNS };

static const char *const column_names[NCOLUMNS] = {
	"date", "slot", "team", "site", "unit", "group", "service", "came"
};

/* At most this many people of one row: far more than a session holds,
 * small enough that sums over a campaign cannot overflow. */
#define ACTUALS_MAX_CAME 100000
/* Characters of a cell quoted in a message; the rest is cut ("..."). */
#define SHOWN_CHARS 40

/* An old session, by the ids that identify it in any version of the
 * campaign. */
struct old_key {
	int date;
	enum slot_kind slot;
	const char *team, *site;
};

struct row_key {
	int date;
	enum slot_kind slot;
	size_t team, site, unit, demand;
	size_t row; /* index into out->rows */
};

/* One cell of a row, less surrounding spaces; "" when the row is short. */
struct cell {
	char *text;   /* points into the table (trimmed in place) or "" */
	int line, col;
};

static char empty_text[1];

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

static char *trim(char *s)
{
	size_t n;

	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;

		if (x != *b)
			return false;
	}
	return !*a && !*b;
}

/* s as a message quotes it: at most SHOWN_CHARS characters, control
 * characters and backslashes escaped, "..." when cut. Valid until the
 * next call with the same buffer. */
static const char *shown(struct buf *b, const char *s)
{
	size_t chars = 0;

	buf_release(b);
	buf_puts(b, "");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xc0) != 0x80 && chars++ == SHOWN_CHARS) {
			buf_puts(b, "...");
			break;
		}
		if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\x%02x", *p);
		else if (*p == '\\' || *p == '\'')
			buf_printf(b, "\\%c", *p);
		else
			buf_putc(b, (char)*p);
	}
	return b->failed ? "?" : buf_str(b);
}

static void problem(struct diags *d, const struct cell *at, enum column col, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));

static void problem(struct diags *d, const struct cell *at, enum column col, const char *fmt,
		    ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(d, DIAG_ERROR, at->line, at->col, column_names[col], fmt, ap);
	va_end(ap);
}

/* Finds each needed column in the header row; reports missing and
 * repeated ones. Returns true when every column was found once. */
static bool read_header(struct csv_row *header, size_t where[NCOLUMNS], struct diags *d)
{
	bool ok = true;
	bool found[NCOLUMNS] = { false };

	for (size_t i = 0; i < header->ncells; i++) {
		struct csv_cell *cell = &header->cells[i];
		char *name = trim(cell->text);

		for (int k = 0; k < NCOLUMNS; k++) {
			if (!same_name(name, column_names[k]))
				continue;
			if (found[k]) {
				diags_add(d, DIAG_ERROR, cell->line, cell->col, column_names[k],
					  "a second column named '%s' (field %zu; the first is field "
					  "%zu): expected each column once",
					  column_names[k], i + 1, where[k] + 1);
				ok = false;
			} else {
				found[k] = true;
				where[k] = i;
			}
		}
	}
	for (int k = 0; k < NCOLUMNS; k++) {
		if (found[k])
			continue;
		diags_add(d, DIAG_ERROR, header->line, 1, column_names[k],
			  "missing column: expected a header row naming date, slot, team, site, "
			  "unit, group, service and came (in any order)");
		ok = false;
	}
	return ok;
}

/* Whether every cell of the row is blank (a row a spreadsheet left). */
static bool blank_row(const struct csv_row *row)
{
	for (size_t i = 0; i < row->ncells; i++) {
		for (const char *s = row->cells[i].text; *s; s++)
			if (!is_space(*s))
				return false;
	}
	return true;
}

static void row_cells(struct csv_row *row, const size_t where[NCOLUMNS],
		      struct cell cells[NCOLUMNS])
{
	/* A short row's missing cells are placed after its last one. */
	int line = row->line, col = 1;

	if (row->ncells > 0) {
		const struct csv_cell *last = &row->cells[row->ncells - 1];

		line = last->line;
		col = last->col;
		for (const unsigned char *p = (const unsigned char *)last->text; *p; p++)
			if ((*p & 0xc0) != 0x80)
				col++;
	}
	for (int k = 0; k < NCOLUMNS; k++) {
		if (where[k] < row->ncells) {
			struct csv_cell *cell = &row->cells[where[k]];

			cells[k].text = trim(cell->text);
			cells[k].line = cell->line;
			cells[k].col = cell->col;
		} else {
			cells[k].text = empty_text;
			cells[k].line = line;
			cells[k].col = col;
		}
	}
}

/* A whole number from 0 to ACTUALS_MAX_CAME, digits only. */
static bool parse_came(const char *s, int *out)
{
	long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > ACTUALS_MAX_CAME)
			return false;
	}
	*out = (int)v;
	return true;
}

static int find_demand(const struct campaign *c, size_t unit, size_t group, size_t service)
{
	const struct unit *u = &c->units[unit];

	for (size_t j = 0; j < u->ndemand; j++)
		if (u->demand[j].group == group && u->demand[j].service == service)
			return (int)j;
	return -1;
}

/* Looks an id up; reports it as unknown. Returns the index or -1. */
static int lookup(struct diags *d, struct buf *scratch, const struct cell *cell, enum column col,
		  int (*find)(const struct campaign *, const char *), const struct campaign *c,
		  const char *list)
{
	int k;

	if (!*cell->text) {
		problem(d, cell, col, "expected an id of %s, found nothing", list);
		return -1;
	}
	k = find(c, cell->text);
	if (k < 0)
		problem(d, cell, col, "expected an id of %s, found '%s'", list,
			shown(scratch, cell->text));
	return k;
}

static int old_key_cmp(const void *pa, const void *pb)
{
	const struct old_key *a = pa, *b = pb;
	int k;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	k = strcmp(a->team, b->team);
	return k ? k : strcmp(a->site, b->site);
}

static int row_key_cmp(const void *pa, const void *pb)
{
	const struct row_key *a = pa, *b = pb;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	if (a->team != b->team)
		return a->team < b->team ? -1 : 1;
	if (a->site != b->site)
		return a->site < b->site ? -1 : 1;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	if (a->demand != b->demand)
		return a->demand < b->demand ? -1 : 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

/* The previous plan's sessions by (date, slot, team id, site id). Caller
 * frees; NULL when out of memory. */
static struct old_key *index_old(const struct plan *old)
{
	struct old_key *keys = xcalloc_array(old->nsessions ? old->nsessions : 1, sizeof(*keys));

	if (!keys)
		return NULL;
	for (size_t i = 0; i < old->nsessions; i++) {
		const struct plan_session *s = &old->sessions[i];

		keys[i].date = s->date;
		keys[i].slot = s->slot;
		keys[i].team = old->campaign->teams[s->team].id;
		keys[i].site = old->campaign->sites[s->site].id;
	}
	qsort(keys, old->nsessions, sizeof(*keys), old_key_cmp);
	return keys;
}

/* Checks one row; appends it to out when it is whole. Returns 0 or
 * ROTA_ENOMEM. */
static int read_row(struct actuals *out, struct cell cells[NCOLUMNS], int row_line,
		    const struct campaign *c, const struct plan *old, const struct old_key *keys,
		    int today, struct diags *d, struct buf *scratch)
{
	char day[DATE_TEXT_SIZE];
	int date = 0, slot = -1, team, site, unit, group, service, demand = -1, came = 0;
	bool date_ok = false, came_ok;

	if (!*cells[COL_DATE].text) {
		problem(d, &cells[COL_DATE], COL_DATE, "expected a date YYYY-MM-DD, found nothing");
	} else if (date_parse(cells[COL_DATE].text, &date)) {
		problem(d, &cells[COL_DATE], COL_DATE, "expected a date YYYY-MM-DD, found '%s'",
			shown(scratch, cells[COL_DATE].text));
	} else if (date >= today) {
		date_format(today, day);
		problem(d, &cells[COL_DATE], COL_DATE,
			"expected a date before --today (%s): a session that has not happened "
			"yet has no actuals, found %s", day, cells[COL_DATE].text);
	} else {
		date_ok = true;
	}
	slot = slot_kind_parse(cells[COL_SLOT].text);
	if (slot < 0)
		problem(d, &cells[COL_SLOT], COL_SLOT,
			"expected day, evening, weekend or holiday, found '%s'",
			shown(scratch, cells[COL_SLOT].text));
	team = lookup(d, scratch, &cells[COL_TEAM], COL_TEAM, campaign_find_team, c,
		      "the campaign's teams");
	site = lookup(d, scratch, &cells[COL_SITE], COL_SITE, campaign_find_site, c,
		      "the campaign's sites");
	unit = lookup(d, scratch, &cells[COL_UNIT], COL_UNIT, campaign_find_unit, c,
		      "the campaign's units");
	group = lookup(d, scratch, &cells[COL_GROUP], COL_GROUP, campaign_find_group, c,
		       "the campaign's groups");
	service = lookup(d, scratch, &cells[COL_SERVICE], COL_SERVICE, campaign_find_service, c,
			 "the campaign's services");
	if (unit >= 0 && group >= 0 && service >= 0) {
		demand = find_demand(c, (size_t)unit, (size_t)group, (size_t)service);
		if (demand < 0)
			problem(d, &cells[COL_UNIT], COL_UNIT,
				"unit '%s' has no demand row for group '%s' and service '%s' in "
				"the campaign", c->units[unit].id, c->groups[group].id,
				c->services[service].id);
	}
	if (date_ok && slot >= 0 && team >= 0 && site >= 0) {
		struct old_key want = { date, (enum slot_kind)slot, c->teams[team].id,
					c->sites[site].id };

		if (!bsearch(&want, keys, old->nsessions, sizeof(*keys), old_key_cmp)) {
			date_format(date, day);
			problem(d, &cells[COL_DATE], COL_DATE,
				"the previous plan has no session of team '%s' at site '%s' on %s "
				"in the %s slot: expected a session of the previous plan",
				c->teams[team].id, c->sites[site].id, day, slot_kind_name(slot));
			date_ok = false;
		}
	}
	came_ok = parse_came(cells[COL_CAME].text, &came);
	if (!came_ok && !*cells[COL_CAME].text)
		problem(d, &cells[COL_CAME], COL_CAME,
			"expected a whole number from 0 to %d, found nothing", ACTUALS_MAX_CAME);
	else if (!came_ok)
		problem(d, &cells[COL_CAME], COL_CAME,
			"expected a whole number from 0 to %d, found '%s'", ACTUALS_MAX_CAME,
			shown(scratch, cells[COL_CAME].text));
	if (!date_ok || slot < 0 || team < 0 || site < 0 || demand < 0 || !came_ok)
		return ROTA_OK;
	if (grow_array(&out->rows, &out->alloc, out->nrows + 1, sizeof(*out->rows)))
		return ROTA_ENOMEM;
	out->rows[out->nrows++] = (struct actual){
		.date = date, .slot = (enum slot_kind)slot, .team = (size_t)team,
		.site = (size_t)site, .unit = (size_t)unit, .demand = (size_t)demand,
		.came = came, .line = row_line,
	};
	return ROTA_OK;
}

static bool same_visit(const struct row_key *a, const struct row_key *b)
{
	return a->date == b->date && a->slot == b->slot && a->team == b->team &&
	       a->site == b->site && a->unit == b->unit && a->demand == b->demand;
}

/* Two rows for one visit: each later one is reported, naming the first. */
static int check_repeats(const struct actuals *a, const struct rota_loc *came_at,
			 struct diags *d)
{
	struct row_key *keys = xcalloc_array(a->nrows ? a->nrows : 1, sizeof(*keys));
	size_t head = 0;

	if (!keys)
		return ROTA_ENOMEM;
	for (size_t i = 0; i < a->nrows; i++) {
		const struct actual *r = &a->rows[i];

		keys[i] = (struct row_key){ r->date, r->slot, r->team, r->site, r->unit, r->demand,
					    i };
	}
	qsort(keys, a->nrows, sizeof(*keys), row_key_cmp);
	for (size_t i = 1; i < a->nrows; i++) {
		if (!same_visit(&keys[head], &keys[i])) {
			head = i;
			continue;
		}
		diags_add(d, DIAG_ERROR, came_at[keys[i].row].line, came_at[keys[i].row].col,
			  column_names[COL_CAME],
			  "a second row for this visit (line %d has the same date, slot, team, "
			  "site, unit, group and service): expected one row per visit",
			  a->rows[keys[head].row].line);
	}
	free(keys);
	return ROTA_OK;
}

/* Reads the rows of table t. Returns ROTA_OK, ROTA_EINPUT (d has the
 * problems) or ROTA_ENOMEM; *out is released on failure. */
static int read_table(struct actuals *out, const struct csv_table *t, const struct campaign *c,
		      const struct plan *old, int today, struct diags *d)
{
	struct old_key *keys = NULL;
	struct rota_loc *came_at = NULL;
	size_t where[NCOLUMNS] = { 0 }, errors = d->errors, alloc_cols = 0;
	struct buf scratch;
	int rc = ROTA_OK;

	buf_init(&scratch);
	if (t->nrows == 0) {
		diags_add(d, DIAG_ERROR, 0, 0, "",
			  "empty file: expected a header row naming date, slot, team, site, unit, "
			  "group, service and came, then one row per visit");
		goto out;
	}
	if (!read_header(&t->rows[0], where, d))
		goto out;
	keys = index_old(old);
	if (!keys) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	for (size_t i = 1; i < t->nrows; i++) {
		struct cell cells[NCOLUMNS];
		size_t before = out->nrows;

		if (blank_row(&t->rows[i]))
			continue;
		row_cells(&t->rows[i], where, cells);
		rc = read_row(out, cells, t->rows[i].line, c, old, keys, today, d, &scratch);
		if (rc)
			goto out;
		if (out->nrows > before) {
			if (grow_array(&came_at, &alloc_cols, out->nrows, sizeof(*came_at))) {
				rc = ROTA_ENOMEM;
				goto out;
			}
			came_at[out->nrows - 1] = (struct rota_loc){ cells[COL_CAME].line,
								     cells[COL_CAME].col };
		}
	}
	rc = check_repeats(out, came_at, d);
out:
	if (rc == ROTA_OK && (d->oom || scratch.failed))
		rc = ROTA_ENOMEM;
	else if (rc == ROTA_OK && d->errors > errors)
		rc = ROTA_EINPUT;
	if (rc)
		actuals_release(out);
	buf_release(&scratch);
	free(came_at);
	free(keys);
	return rc;
}

int actuals_read_buffer(struct actuals *out, const char *data, size_t len,
			const struct campaign *c, const struct plan *old, int today,
			struct diags *d)
{
	struct csv_table *t = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = csv_read_buffer(&t, data, len, d);
	if (rc == ROTA_OK)
		rc = read_table(out, t, c, old, today, d);
	csv_table_free(t);
	return rc;
}

int actuals_read(struct actuals *out, const char *path, const struct campaign *c,
		 const struct plan *old, int today, struct diags *d, struct rota_error *err)
{
	struct csv_table *t = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = csv_read_file(&t, path, d, err);
	if (rc == ROTA_OK)
		rc = read_table(out, t, c, old, today, d);
	if (rc == ROTA_ENOMEM)
		rota_error_set(err, rc, "out of memory reading '%s'", path);
	csv_table_free(t);
	return rc;
}

void actuals_release(struct actuals *a)
{
	free(a->rows);
	memset(a, 0, sizeof(*a));
}
