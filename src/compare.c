/*
 * compare.c - `rota compare` (compare.h, docs/report.md).
 *
 * The plans may come from different campaign files of one campaign (a
 * what-if adds a team, a weekend slot): groups, teams and units are
 * matched by id, and a row that one plan lacks shows "-". Every figure is
 * computed once into tables that the text and the HTML writers share, so
 * that both always say the same.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "date.h"
#include "svg.h"
#include "banned.h"

#define DASH "\xe2\x80\x93"

struct cmp_cell {
	long long a, b;    /* b only in tables of pairs */
	bool present;
};

struct cmp_row {
	const char *id, *name; /* borrowed from a campaign */
	long long ref;         /* the reference column (demand), -1 for none */
	struct cmp_cell *cells;
};

struct cmp_table {
	const char *key;                 /* data-table */
	const char *title_text, *title_vi, *title_en;
	const char *col_text, *col_vi, *col_en;
	const char *ref_text, *ref_vi, *ref_en; /* NULL: no reference column */
	bool pair;
	struct cmp_row *rows;
	size_t nrows, alloc;
};

struct cmp {
	const struct compare_plan *plans;
	size_t n;
	struct cmp_table groups, teams, totals, units;
	bool failed;
};

static char plan_letter(size_t i)
{
	return (char)('A' + (int)(i % 26));
}

/* The row for id, added (with n empty cells) when new. NULL when out of memory. */
static struct cmp_row *table_row(struct cmp *m, struct cmp_table *t, const char *id,
				 const char *name)
{
	struct cmp_row *row;

	for (size_t i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].id, id))
			return &t->rows[i];
	if (grow_array(&t->rows, &t->alloc, t->nrows + 1, sizeof(*t->rows))) {
		m->failed = true;
		return NULL;
	}
	row = &t->rows[t->nrows];
	row->id = id;
	row->name = name;
	row->ref = -1;
	row->cells = xcalloc_array(m->n, sizeof(*row->cells));
	if (!row->cells) {
		m->failed = true;
		return NULL;
	}
	t->nrows++;
	return row;
}

static void table_release(struct cmp_table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free(t->rows[i].cells);
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->alloc = 0;
}

static void set_cell(struct cmp_row *row, size_t plan, long long a, long long b)
{
	if (!row)
		return;
	row->cells[plan].present = true;
	row->cells[plan].a += a;
	row->cells[plan].b += b;
}

/* The solver's person-minutes level, or the officers' minutes of every
 * session (rule 7.4 without the invitations' cost) when the plan has none. */
static long long person_minutes(const struct plan *p, bool *from_solver)
{
	double sum = 0.0;

	for (size_t i = 0; i < p->solver.nlevels; i++) {
		if (!strcmp(p->solver.levels[i].name, "person-minutes")) {
			*from_solver = true;
			return (long long)(p->solver.levels[i].value + 0.5);
		}
	}
	*from_solver = false;
	for (size_t i = 0; i < p->nsessions; i++)
		sum += session_cost_minutes(p->campaign, p->sessions[i].team, p->sessions[i].site,
					    p->sessions[i].slot);
	return (long long)(sum + 0.5);
}

static void build_groups(struct cmp *m, size_t i)
{
	const struct plan *p = m->plans[i].plan;
	const struct campaign *c = p->campaign;
	struct plan_cov cov;

	/* Rows most urgent first: each pass adds the groups of the smallest
	 * priority above the last one added. */
	for (int prio = 0;;) {
		int next = -1;

		for (size_t g = 0; g < c->ngroups; g++)
			if (c->groups[g].priority > prio && (next < 0 || c->groups[g].priority < next))
				next = c->groups[g].priority;
		if (next < 0)
			break;
		prio = next;
		for (size_t g = 0; g < c->ngroups; g++)
			if (c->groups[g].priority == prio)
				table_row(m, &m->groups, c->groups[g].id, c->groups[g].name);
	}
	plan_cov_init(&cov, p);
	for (size_t u = 0; u < c->nunits; u++) {
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			const struct demand *dm = &c->units[u].demand[d];
			struct cmp_row *row = table_row(m, &m->groups, c->groups[dm->group].id,
							c->groups[dm->group].name);
			int planned, by_deadline;

			if (!row)
				goto out;
			plan_cov_get(&cov, u, d, &planned, &by_deadline);
			set_cell(row, i, by_deadline, planned);
			if (i == 0)
				row->ref = (row->ref < 0 ? 0 : row->ref) + dm->count;
		}
	}
out:
	plan_cov_release(&cov);
}

static void build_teams(struct cmp *m, size_t i)
{
	const struct plan *p = m->plans[i].plan;
	const struct campaign *c = p->campaign;

	for (size_t t = 0; t < c->nteams; t++)
		set_cell(table_row(m, &m->teams, c->teams[t].id, c->teams[t].name), i, 0, 0);
	for (size_t s = 0; s < p->nsessions; s++) {
		const struct plan_session *ps = &p->sessions[s];

		set_cell(table_row(m, &m->teams, c->teams[ps->team].id, c->teams[ps->team].name), i, 1,
			 slot_kind_is_extra(ps->slot) ? 1 : 0);
	}
}

static void build_totals(struct cmp *m, size_t i)
{
	const struct plan *p = m->plans[i].plan;
	const struct campaign *c = p->campaign;
	long long away = 0, sessions = (long long)p->nsessions, extra = 0;
	bool from_solver;
	long long minutes = person_minutes(p, &from_solver);

	for (size_t s = 0; s < p->nsessions; s++) {
		const struct plan_session *ps = &p->sessions[s];

		if (slot_kind_is_extra(ps->slot))
			extra++;
		for (size_t v = 0; v < ps->nvisits; v++)
			if (c->units[ps->visits[v].unit].site != ps->site)
				away += ps->visits[v].count;
	}
	set_cell(table_row(m, &m->totals, "sessions", NULL), i, sessions, 0);
	set_cell(table_row(m, &m->totals, "extra-sessions", NULL), i, extra, 0);
	set_cell(table_row(m, &m->totals, from_solver ? "person-minutes" : "officer-minutes", NULL),
		 i, minutes, 0);
	set_cell(table_row(m, &m->totals, "people-away", NULL), i, away, 0);
}

static void build_units(struct cmp *m, size_t i)
{
	const struct plan *p = m->plans[i].plan;
	const struct campaign *c = p->campaign;

	for (size_t u = 0; u < c->nunits; u++)
		set_cell(table_row(m, &m->units, c->units[u].id, c->units[u].name), i, 0, 0);
	for (size_t s = 0; s < p->nsessions; s++) {
		const struct plan_session *ps = &p->sessions[s];

		/* One invitation per unit per session, whatever its rows. */
		for (size_t v = 0; v < ps->nvisits; v++) {
			size_t unit = ps->visits[v].unit;
			long long people = 0;
			size_t w;

			for (w = v; w < ps->nvisits && ps->visits[w].unit == unit; w++)
				people += ps->visits[w].count;
			set_cell(table_row(m, &m->units, c->units[unit].id, c->units[unit].name), i, 1,
				 people);
			v = w - 1;
		}
	}
}

static const struct {
	const char *id, *text, *vi, *en;
} total_names[] = {
	{ "sessions", "sessions", "Số buổi thu nhận", "Sessions" },
	{ "extra-sessions", "extra sessions", "Buổi ngoài giờ (tối, cuối tuần, ngày lễ)",
	  "Extra sessions (evening, weekend, holiday)" },
	{ "person-minutes", "person-minutes", "Thời gian (người-phút, theo bộ giải)",
	  "Person-minutes (the solver's)" },
	{ "officer-minutes", "officer-minutes", "Thời gian của cán bộ (người-phút)",
	  "Officers' time (person-minutes)" },
	{ "people-away", "people away from home", "Số người đến điểm ngoài thôn, xóm mình",
	  "People served away from home" },
};

static const char *total_name(const char *id, int which)
{
	for (size_t i = 0; i < sizeof(total_names) / sizeof(total_names[0]); i++)
		if (!strcmp(total_names[i].id, id))
			return which == 0 ? total_names[i].text : which == 1 ? total_names[i].vi
									  : total_names[i].en;
	return id;
}

static void cmp_build(struct cmp *m, const struct compare_plan *plans, size_t n)
{
	memset(m, 0, sizeof(*m));
	m->plans = plans;
	m->n = n;
	m->groups = (struct cmp_table){ "groups",
		"People invited by the deadline / in all, per group",
		"Số người được mời kịp hạn / trong cả đợt, theo nhóm",
		"People invited by the deadline / in all, per group",
		"group", "Nhóm", "Group", "demand", "Cần phục vụ", "Demand", true, NULL, 0, 0 };
	m->teams = (struct cmp_table){ "teams", "Sessions / extra sessions, per team",
		"Số buổi / buổi ngoài giờ, theo tổ", "Sessions / extra sessions, per team",
		"team", "Tổ", "Team", NULL, NULL, NULL, true, NULL, 0, 0 };
	m->totals = (struct cmp_table){ "totals", "Totals", "Tổng hợp", "Totals",
		"", "", "", NULL, NULL, NULL, false, NULL, 0, 0 };
	m->units = (struct cmp_table){ "units", "Invitations / people invited, per unit",
		"Số lần mời / số người được mời, theo đơn vị",
		"Invitations / people invited, per unit",
		"unit", "Đơn vị", "Unit", NULL, NULL, NULL, true, NULL, 0, 0 };
	for (size_t i = 0; i < n && !m->failed; i++) {
		build_groups(m, i);
		build_teams(m, i);
		build_totals(m, i);
		build_units(m, i);
	}
}

static void cmp_release(struct cmp *m)
{
	table_release(&m->groups);
	table_release(&m->teams);
	table_release(&m->totals);
	table_release(&m->units);
}

int compare_check(const struct compare_plan *plans, size_t n, struct rota_error *err)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(plans[i].plan->campaign->id, plans[0].plan->campaign->id))
			return rota_error_set(err, ROTA_EINPUT,
					      "'%s' is a plan of campaign '%s', '%s' of campaign '%s': "
					      "compare needs plans of one campaign",
					      plans[0].dir, plans[0].plan->campaign->id, plans[i].dir,
					      plans[i].plan->campaign->id);
	return 0;
}

/* ---- the sessions that differ ---- */

/* Orders sessions of two plans (of possibly different campaign files) by
 * date, slot, team id, site id: plan_sort's order. */
static int session_cmp(const struct plan *pa, const struct plan_session *a, const struct plan *pb,
		       const struct plan_session *b)
{
	int r;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	r = strcmp(pa->campaign->teams[a->team].id, pb->campaign->teams[b->team].id);
	if (r)
		return r;
	return strcmp(pa->campaign->sites[a->site].id, pb->campaign->sites[b->site].id);
}

typedef void (*diff_fn)(void *ctx, char sign, const struct plan *p, const struct plan_session *s);

/* Calls fn for each session in b that a lacks ('+') and in a that b lacks
 * ('-'), in date order; returns the counts. Both plans are sorted. */
static void diff_sessions(const struct plan *a, const struct plan *b, diff_fn fn, void *ctx,
			  long long *added, long long *removed)
{
	size_t i = 0, j = 0;

	*added = *removed = 0;
	while (i < a->nsessions || j < b->nsessions) {
		int r = i == a->nsessions ? 1 : j == b->nsessions ? -1
				: session_cmp(a, &a->sessions[i], b, &b->sessions[j]);

		if (r == 0) {
			i++;
			j++;
		} else if (r < 0) {
			if (fn)
				fn(ctx, '-', a, &a->sessions[i]);
			(*removed)++;
			i++;
		} else {
			if (fn)
				fn(ctx, '+', b, &b->sessions[j]);
			(*added)++;
			j++;
		}
	}
}

/* ---- text ---- */

static void put_cell_text(struct buf *out, const struct cmp_cell *cell, bool pair, int width)
{
	char text[64];

	if (!cell->present)
		snprintf(text, sizeof(text), "-");
	else if (pair)
		snprintf(text, sizeof(text), "%lld / %lld", cell->a, cell->b);
	else
		snprintf(text, sizeof(text), "%lld", cell->a);
	buf_printf(out, "%*s", width, text);
}

static void table_text(const struct cmp *m, const struct cmp_table *t, struct buf *out)
{
	int wid = (int)strlen(t->col_text), wcell = t->pair ? 13 : 9;

	for (size_t r = 0; r < t->nrows; r++) {
		const char *label = t == &m->totals ? total_name(t->rows[r].id, 0) : t->rows[r].id;

		if ((int)strlen(label) > wid)
			wid = (int)strlen(label);
	}
	buf_printf(out, "\n%s\n  %-*s", t->title_text, wid, t->col_text);
	if (t->ref_text)
		buf_printf(out, "  %8s", t->ref_text);
	for (size_t i = 0; i < m->n; i++)
		buf_printf(out, "  %*c", wcell, plan_letter(i));
	buf_putc(out, '\n');
	for (size_t r = 0; r < t->nrows; r++) {
		const struct cmp_row *row = &t->rows[r];

		buf_printf(out, "  %-*s", wid, t == &m->totals ? total_name(row->id, 0) : row->id);
		if (t->ref_text) {
			if (row->ref >= 0)
				buf_printf(out, "  %8lld", row->ref);
			else
				buf_printf(out, "  %8s", "-");
		}
		for (size_t i = 0; i < m->n; i++) {
			buf_puts(out, "  ");
			put_cell_text(out, &row->cells[i], t->pair, wcell);
		}
		buf_putc(out, '\n');
	}
}

struct diff_text_ctx {
	struct buf *out;
};

static void diff_line_text(void *ctx, char sign, const struct plan *p, const struct plan_session *s)
{
	struct diff_text_ctx *dc = ctx;
	char date[DATE_TEXT_SIZE];

	date_format(s->date, date);
	buf_printf(dc->out, "    %c %s %-8s %-12s %s\n", sign, date, slot_kind_name(s->slot),
		   p->campaign->teams[s->team].id, p->campaign->sites[s->site].id);
}

void compare_text(const struct compare_plan *plans, size_t n, struct buf *out)
{
	struct cmp m;

	cmp_build(&m, plans, n);
	if (m.failed) {
		out->failed = 1;
		goto out;
	}
	buf_printf(out, "Comparing %zu plans of campaign %s\n", n, plans[0].plan->campaign->id);
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "  %c  %s: %zu sessions\n", plan_letter(i), plans[i].dir,
			   plans[i].plan->nsessions);
	table_text(&m, &m.groups, out);
	table_text(&m, &m.teams, out);
	table_text(&m, &m.totals, out);
	table_text(&m, &m.units, out);
	for (size_t i = 1; i < n; i++) {
		struct diff_text_ctx dc = { out };
		long long added, removed;

		diff_sessions(plans[0].plan, plans[i].plan, NULL, NULL, &added, &removed);
		buf_printf(out, "\nSessions of %c that differ from A: %lld added, %lld removed\n",
			   plan_letter(i), added, removed);
		diff_sessions(plans[0].plan, plans[i].plan, diff_line_text, &dc, &added, &removed);
	}
out:
	cmp_release(&m);
}

/* ---- HTML ---- */

static void put_cell_html(struct buf *out, enum rota_lang lang, const struct cmp_cell *cell,
			  bool pair, size_t plan)
{
	buf_printf(out, "<td class=\"n\" data-plan=\"%c\"", plan_letter(plan));
	if (!cell->present) {
		buf_puts(out, ">-</td>");
		return;
	}
	buf_printf(out, " data-value=\"%lld\"", cell->a);
	if (pair)
		buf_printf(out, " data-value2=\"%lld\"", cell->b);
	buf_putc(out, '>');
	report_put_number(out, lang, cell->a);
	if (pair) {
		buf_puts(out, " / ");
		report_put_number(out, lang, cell->b);
	}
	buf_puts(out, "</td>");
}

static void table_html(const struct cmp *m, const struct cmp_table *t, enum rota_lang lang,
		       struct buf *out)
{
	bool english = lang == LANG_EN;

	buf_puts(out, "<h3>");
	svg_put_escaped(out, english ? t->title_en : t->title_vi);
	buf_printf(out, "</h3>\n<table class=\"compare\" data-table=\"%s\"><thead><tr><th>", t->key);
	svg_put_escaped(out, english ? t->col_en : t->col_vi);
	buf_puts(out, "</th>");
	if (t->ref_text) {
		buf_puts(out, "<th class=\"n\">");
		svg_put_escaped(out, english ? t->ref_en : t->ref_vi);
		buf_puts(out, "</th>");
	}
	for (size_t i = 0; i < m->n; i++)
		buf_printf(out, "<th class=\"n\">%c</th>", plan_letter(i));
	buf_puts(out, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		const struct cmp_row *row = &t->rows[r];

		buf_puts(out, "<tr data-id=\"");
		svg_put_escaped(out, row->id);
		buf_puts(out, "\"><td>");
		svg_put_escaped(out, row->name ? row->name : total_name(row->id, english ? 2 : 1));
		buf_puts(out, "</td>");
		if (t->ref_text) {
			buf_puts(out, "<td class=\"n\">");
			if (row->ref >= 0)
				report_put_number(out, lang, row->ref);
			else
				buf_puts(out, "-");
			buf_puts(out, "</td>");
		}
		for (size_t i = 0; i < m->n; i++)
			put_cell_html(out, lang, &row->cells[i], t->pair, i);
		buf_puts(out, "</tr>\n");
	}
	buf_puts(out, "</tbody></table>\n");
}

static const char *const slot_vi[SLOT_COUNT] = { "ngày", "tối", "cuối tuần", "ngày lễ" };

struct diff_html_ctx {
	struct buf *out;
	enum rota_lang lang;
};

static void diff_line_html(void *ctx, char sign, const struct plan *p, const struct plan_session *s)
{
	struct diff_html_ctx *dc = ctx;
	char date[DATE_TEXT_SIZE];
	bool english = dc->lang == LANG_EN;
	int y, mo, d;

	date_format(s->date, date);
	date_to_ymd(s->date, &y, &mo, &d);
	buf_printf(dc->out, "<tr data-change=\"%s\" data-date=\"%s\" data-team=\"",
		   sign == '+' ? "added" : "removed", date);
	svg_put_escaped(dc->out, p->campaign->teams[s->team].id);
	buf_puts(dc->out, "\" data-site=\"");
	svg_put_escaped(dc->out, p->campaign->sites[s->site].id);
	buf_printf(dc->out, "\"><td>%s</td><td>", sign == '+' ? (english ? "added" : "thêm")
							    : (english ? "removed" : "bớt"));
	if (english)
		buf_puts(dc->out, date);
	else
		buf_printf(dc->out, "%02d/%02d/%04d", d, mo, y);
	buf_printf(dc->out, "</td><td>%s</td><td>",
		   english ? slot_kind_name(s->slot) : slot_vi[s->slot]);
	svg_put_escaped(dc->out, p->campaign->teams[s->team].name);
	buf_puts(dc->out, "</td><td>");
	svg_put_escaped(dc->out, p->campaign->sites[s->site].name);
	buf_puts(dc->out, "</td></tr>\n");
}

void compare_html(const struct compare_plan *plans, size_t n, enum rota_lang lang,
		  struct buf *out)
{
	bool english = lang == LANG_EN;
	struct cmp m;

	cmp_build(&m, plans, n);
	if (m.failed) {
		out->failed = 1;
		goto out;
	}
	buf_puts(out, "<section id=\"compare\" data-campaign=\"");
	svg_put_escaped(out, plans[0].plan->campaign->id);
	buf_printf(out, "\">\n<h2>%s</h2>\n<ul class=\"plans\">\n",
		   english ? "The plans" : "Các phương án");
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "<li data-plan=\"%c\"><b>%c</b>: ", plan_letter(i), plan_letter(i));
		svg_put_escaped(out, plans[i].dir);
		buf_puts(out, " (");
		svg_put_escaped(out, plans[i].plan->campaign->name);
		buf_puts(out, ")</li>\n");
	}
	buf_puts(out, "</ul>\n");
	table_html(&m, &m.groups, lang, out);
	table_html(&m, &m.teams, lang, out);
	table_html(&m, &m.totals, lang, out);
	table_html(&m, &m.units, lang, out);
	for (size_t i = 1; i < n; i++) {
		struct diff_html_ctx dc = { out, lang };
		long long added, removed;

		diff_sessions(plans[0].plan, plans[i].plan, NULL, NULL, &added, &removed);
		buf_printf(out, "<h3 data-plan=\"%c\" data-added=\"%lld\" data-removed=\"%lld\">", plan_letter(i),
			   added, removed);
		buf_printf(out, english ? "Sessions of %c that differ from A: %lld added, %lld removed"
					: "Các buổi của %c khác với A: thêm %lld, bớt %lld",
			   plan_letter(i), added, removed);
		buf_printf(out, "</h3>\n<table class=\"compare\" data-table=\"diff-%c\"><thead><tr><th></th>"
			   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
			   plan_letter(i), english ? "Date" : "Ngày", english ? "Slot" : "Ca",
			   english ? "Team" : "Tổ", english ? "Site" : "Địa điểm");
		diff_sessions(plans[0].plan, plans[i].plan, diff_line_html, &dc, &added, &removed);
		buf_puts(out, "</tbody></table>\n");
	}
	buf_puts(out, "</section>\n");
out:
	cmp_release(&m);
}
