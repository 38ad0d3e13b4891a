/*
 * report.c - the plan for people: summary.txt, as docs/plan-format.md
 * describes it (rota.json and rota.csv are plan_write.c).
 *
 * Every byte depends only on the plan, so that one plan always gives the
 * same summary: no clock. It holds ids, names and counts, never the
 * e-mail addresses or phones of contacts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "date.h"
#include "report.h"
#include "banned.h"

/* A gap is a fraction; one that is not a number was never proven (1). */
static double finite_gap(double gap)
{
	return isfinite(gap) ? gap : 1.0;
}

/* ---- summary.txt ---- */

static const char *plural(long long n)
{
	return n == 1 ? "" : "s";
}

/* Width of the widest id in a column, at least min. */
static int id_width(int min, size_t len)
{
	return len > (size_t)min ? (int)len : min;
}

/* A number for people to read, right-aligned in width columns: whole
 * numbers without a fraction. */
static void put_human_number(struct buf *out, int width, double x)
{
	char text[64];

	if (!isfinite(x))
		snprintf(text, sizeof(text), "-");
	else if (x == floor(x) && fabs(x) < 1e15)
		snprintf(text, sizeof(text), "%.0f", x == 0.0 ? 0.0 : x);
	else
		snprintf(text, sizeof(text), "%.2f", x);
	buf_printf(out, "%*s", width, text);
}

/* A gap as people read it: "0" when proven, else a percentage. */
static void gap_text(double gap, char *text, size_t size)
{
	gap = finite_gap(gap);
	if (gap <= 0.0)
		snprintf(text, size, "0");
	else if (gap < 0.00005)
		snprintf(text, size, "<0.01%%");
	else
		snprintf(text, size, "%.2f%%", 100.0 * gap);
}

/* Per group: its people, invited by the deadline, invited at all. */
struct group_total {
	long long demand, by_deadline, planned;
};

/* Groups in the order the summary lists them: most urgent first, then as
 * in the file. */
static void groups_by_priority(const struct campaign *c, size_t *order)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		size_t i = g;

		while (i > 0 && c->groups[order[i - 1]].priority > c->groups[g].priority) {
			order[i] = order[i - 1];
			i--;
		}
		order[i] = g;
	}
}

/* Characters (not bytes) of UTF-8 text in [s, end). */
static size_t utf8_columns(const char *s, const char *end)
{
	size_t n = 0;

	for (; s < end; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Appends text as lines of at most 80 columns, the first indented by
 * first spaces and the others by rest, broken at spaces (a word longer
 * than a line stands alone). */
static void put_wrapped_at(struct buf *out, const char *text, size_t first, size_t rest)
{
	size_t cols = 0, indent = first;
	bool open = false;

	for (;;) {
		const char *end;
		size_t width;

		while (*text == ' ')
			text++;
		if (!*text)
			break;
		end = strchr(text, ' ');
		if (!end)
			end = text + strlen(text);
		width = utf8_columns(text, end);
		if (open && indent + cols + 1 + width > 80) {
			buf_putc(out, '\n');
			open = false;
			indent = rest;
		}
		if (open) {
			buf_putc(out, ' ');
			cols++;
		} else {
			for (size_t i = 0; i < indent; i++)
				buf_putc(out, ' ');
			cols = 0;
			open = true;
		}
		buf_putn(out, text, (size_t)(end - text));
		cols += width;
		text = end;
	}
	if (open)
		buf_putc(out, '\n');
}

/* Lines of at most 80 columns, each indented by two spaces. */
static void put_wrapped(struct buf *out, const char *text)
{
	put_wrapped_at(out, text, 2, 2);
}

/* Words of the summary: Vietnamese or English. */
#define TR(lang, vi, en) ((lang) == LANG_EN ? (en) : (vi))

/* text padded with spaces to width columns (UTF-8 aware), left-aligned. */
static void pad(struct buf *out, const char *text, size_t width)
{
	size_t w = utf8_columns(text, text + strlen(text));

	buf_puts(out, text);
	for (; w < width; w++)
		buf_putc(out, ' ');
}

/* text right-aligned in width columns. */
static void pad_left(struct buf *out, const char *text, size_t width)
{
	for (size_t w = utf8_columns(text, text + strlen(text)); w < width; w++)
		buf_putc(out, ' ');
	buf_puts(out, text);
}

/* "14/03/2024" / "2024-03-14". */
static void put_date(struct buf *out, int date, enum rota_lang lang)
{
	int y, m, d;

	if (lang == LANG_EN) {
		char text[DATE_TEXT_SIZE];

		date_format(date, text);
		buf_puts(out, text);
		return;
	}
	date_to_ymd(date, &y, &m, &d);
	buf_printf(out, "%02d/%02d/%04d", d, m, y);
}

/* The last date on which people of group g are invited, or -1. */
static int group_last_date(const struct plan *p, size_t g)
{
	const struct campaign *c = p->campaign;
	int last = -1;

	for (size_t i = 0; i < p->nsessions; i++)
		for (size_t j = 0; j < p->sessions[i].nvisits; j++) {
			const struct plan_visit *v = &p->sessions[i].visits[j];

			if (c->units[v->unit].demand[v->demand].group == g && p->sessions[i].date > last)
				last = p->sessions[i].date;
		}
	return last;
}

static void summary_header(const struct plan *p, long long invited, long long demand,
			   enum rota_lang lang, struct buf *out)
{
	const struct campaign *c = p->campaign;
	struct buf t;

	buf_init(&t);
	buf_printf(out, "%s %s\n", TR(lang, "Kế hoạch của chiến dịch", "Plan of campaign"), c->id);
	put_wrapped(out, c->name);
	buf_puts(&t, TR(lang, "Từ ", ""));
	put_date(&t, c->start, lang);
	buf_puts(&t, TR(lang, " đến ", " to "));
	put_date(&t, c->end, lang);
	if (lang == LANG_EN)
		buf_printf(&t, ": %zu session%s, %lld of %lld people invited", p->nsessions,
			   plural((long long)p->nsessions), invited, demand);
	else
		buf_printf(&t, ": %zu phiên, mời %lld trong số %lld người", p->nsessions, invited,
			   demand);
	put_wrapped(out, buf_str(&t));
	if (t.failed)
		out->failed = 1;
	buf_release(&t);
}

/* In words, most urgent first: each group, its deadline, how many are
 * invited by then and the day its last people are invited. */
/* The earliest intake deadline of group g over the services its people
 * need (a lead time moves it before the deadline). */
static int group_intake(const struct campaign *c, size_t g)
{
	int intake = c->groups[g].deadline;

	for (size_t u = 0; u < c->nunits; u++)
		for (size_t j = 0; j < c->units[u].ndemand; j++) {
			const struct demand *d = &c->units[u].demand[j];
			int due = campaign_intake_deadline(c, g, d->service);

			if (d->group == g && d->count > 0 && due < intake)
				intake = due;
		}
	return intake;
}

static void summary_groups_words(const struct plan *p, const size_t *order,
				 const struct group_total *totals, enum rota_lang lang,
				 struct buf *out)
{
	const struct campaign *c = p->campaign;
	struct buf t;

	buf_init(&t);
	buf_printf(out, "\n%s\n", TR(lang, "Ai được mời, đến khi nào (nhóm cần gấp nhất trước)",
				     "Who is invited by when (most urgent first)"));
	for (size_t i = 0; i < c->ngroups; i++) {
		size_t g = order[i];
		const struct group_total *tt = &totals[g];
		int last = group_last_date(p, g);

		if (!tt->demand)
			continue;
		int intake = group_intake(c, g);

		buf_printf(&t, "- %s (%s %d, %s ", c->groups[g].name, TR(lang, "ưu tiên", "priority"),
			   c->groups[g].priority, TR(lang, "hạn", "due"));
		put_date(&t, c->groups[g].deadline, lang);
		if (intake < c->groups[g].deadline) {
			buf_puts(&t, TR(lang, ", nhận hồ sơ đến ", ", intake by "));
			put_date(&t, intake, lang);
			buf_puts(&t, TR(lang, " để kịp làm thẻ", " for the card to be ready"));
		}
		buf_puts(&t, "): ");
		if (tt->by_deadline >= tt->demand)
			buf_printf(&t, TR(lang, "mời đủ %lld người trước hạn", "all %lld invited in time"),
				   tt->demand);
		else
			buf_printf(&t, TR(lang, "mời %lld trong số %lld người trước hạn",
					  "%lld of %lld invited in time"),
				   tt->by_deadline, tt->demand);
		if (tt->planned > tt->by_deadline)
			buf_printf(&t, TR(lang, ", %lld người sau hạn", ", %lld after the deadline"),
				   tt->planned - tt->by_deadline);
		if (last >= 0) {
			buf_puts(&t, TR(lang, "; lượt mời cuối ngày ", "; the last on "));
			put_date(&t, last, lang);
		}
		buf_putc(&t, '.');
		put_wrapped_at(out, buf_str(&t), 2, 4);
		if (t.failed)
			out->failed = 1;
		buf_release(&t);
	}
	if (t.failed)
		out->failed = 1;
}

static void summary_coverage_table(const struct campaign *c, const size_t *order,
				   const struct group_total *totals, enum rota_lang lang,
				   struct buf *out)
{
	struct group_total all = { 0, 0, 0 };
	const char *head[7] = { TR(lang, "nhóm", "group"),       TR(lang, "ưu tiên", "priority"),
				TR(lang, "hạn chót", "deadline"), TR(lang, "cần", "demand"),
				TR(lang, "trước hạn", "by deadline"), TR(lang, "đã mời", "invited"),
				TR(lang, "thiếu", "short") };
	size_t w = 5;

	for (size_t g = 0; g < c->ngroups; g++)
		if (strlen(c->groups[g].id) > w)
			w = strlen(c->groups[g].id);
	buf_printf(out, "\n%s\n  ", TR(lang, "Bảng theo nhóm", "Coverage by group, most urgent first"));
	pad(out, head[0], w);
	buf_puts(out, "  ");
	pad_left(out, head[1], 8);
	buf_puts(out, "  ");
	pad(out, head[2], 10);
	for (int k = 3; k < 7; k++) {
		buf_puts(out, "  ");
		pad_left(out, head[k], k == 4 ? 11 : k == 6 ? 6 : 8);
	}
	buf_putc(out, '\n');
	for (size_t i = 0; i < c->ngroups; i++) {
		const struct group *g = &c->groups[order[i]];
		const struct group_total *t = &totals[order[i]];
		struct buf d;

		buf_init(&d);
		put_date(&d, g->deadline, lang);
		buf_printf(out, "  %-*s  %8d  %-10s  %8lld  %11lld  %8lld  ", (int)w, g->id,
			   g->priority, buf_str(&d), t->demand, t->by_deadline, t->planned);
		if (d.failed)
			out->failed = 1;
		buf_release(&d);
		if (t->demand > t->by_deadline)
			buf_printf(out, "%6lld\n", t->demand - t->by_deadline);
		else
			buf_printf(out, "%6s\n", "-");
		all.demand += t->demand;
		all.by_deadline += t->by_deadline;
		all.planned += t->planned;
	}
	if (c->ngroups > 1) {
		buf_puts(out, "  ");
		pad(out, TR(lang, "tổng", "total"), w);
		buf_printf(out, "  %8s  %-10s  %8lld  %11lld  %8lld  ", "", "", all.demand,
			   all.by_deadline, all.planned);
		if (all.demand > all.by_deadline)
			buf_printf(out, "%6lld\n", all.demand - all.by_deadline);
		else
			buf_printf(out, "%6s\n", "-");
	}
}

static const char *slot_words(enum rota_lang lang, int kind)
{
	static const char *const vi[SLOT_COUNT] = { "ca ngày", "ca tối", "ca cuối tuần",
						    "ca ngày lễ" };
	static const char *const en[SLOT_COUNT] = { "day", "evening", "weekend", "holiday" };

	if (kind < 0 || kind >= SLOT_COUNT)
		return "?";
	return lang == LANG_EN ? en[kind] : vi[kind];
}

/* Advice for a group's shortfall (summary_closing): sessions that can
 * really be held for the people still short, in the slots the plan
 * leaves free before their deadline. */

/* People of one demand row of the group still short at the deadline. */
struct close_row {
	size_t unit, demand;
	int left;              /* people not yet placed in an advised session */
	int due;               /* the last intake date for them */
};

struct close_state {
	const struct campaign *c;
	size_t g;
	struct close_row *rows; size_t nrows;
	size_t *sites; size_t nsites; /* sites some short row may use */
	size_t *at0, *at;      /* rows that may use sites[si]: at[at0[si], at0[si + 1]) */
	int first, last;       /* dates a new session may take */
	int week0, nweeks;
	unsigned char *taken;  /* [nteams * ndays]: kinds held or advised */
	int *extra;            /* [nteams * nweeks]: extra sessions held or advised */
	int *count;            /* [nteams * SLOT_COUNT]: sessions advised */
	long long placed;      /* people placed in advised sessions */
};

static void close_release(struct close_state *st)
{
	free(st->rows);
	free(st->sites);
	free(st->at0);
	free(st->at);
	free(st->taken);
	free(st->extra);
	free(st->count);
}

/* The rows of group g short at the deadline, the sites they may use, and
 * what the plan already holds. False when out of memory. */
static bool close_init(struct close_state *st, const struct plan *p, size_t g)
{
	const struct campaign *c = p->campaign;
	struct plan_cov cov;
	size_t n = 0;

	memset(st, 0, sizeof(*st));
	st->c = c;
	st->g = g;
	for (size_t u = 0; u < c->nunits; u++)
		n += c->units[u].ndemand;
	st->week0 = date_week_monday(c->start);
	st->nweeks = (date_week_monday(c->end) - st->week0) / 7 + 1;
	st->rows = xcalloc_array(n + 1, sizeof(*st->rows));
	st->sites = xcalloc_array(c->nsites + 1, sizeof(*st->sites));
	st->taken = xcalloc_array(c->nteams * (size_t)c->ndays + 1, 1);
	st->extra = xcalloc_array(c->nteams * (size_t)st->nweeks + 1, sizeof(int));
	st->count = xcalloc_array(c->nteams * SLOT_COUNT + 1, sizeof(int));
	if (!st->rows || !st->sites || !st->taken || !st->extra || !st->count) {
		close_release(st);
		return false;
	}
	st->first = c->start;
	if (p->today >= 0 && p->today > st->first)
		st->first = p->today;
	if (p->freeze_end >= st->first)
		st->first = p->freeze_end + 1;
	st->last = c->start - 1;
	if (plan_cov_init(&cov, p)) {
		plan_cov_release(&cov);
		close_release(st);
		return false;
	}
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			const struct demand *dm = &c->units[u].demand[d];
			int planned, by_deadline;

			if (dm->group != g)
				continue;
			plan_cov_get(&cov, u, d, &planned, &by_deadline);
			if (dm->count - by_deadline <= 0)
				continue;
			st->rows[st->nrows] = (struct close_row){
				.unit = u, .demand = d, .left = dm->count - by_deadline,
				.due = campaign_intake_deadline(c, g, dm->service)
			};
			if (st->rows[st->nrows].due > st->last)
				st->last = st->rows[st->nrows].due;
			st->nrows++;
		}
	plan_cov_release(&cov);
	if (st->last > c->end)
		st->last = c->end;
	for (size_t s = 0; s < c->nsites; s++) {
		bool usable = false;

		for (size_t r = 0; r < st->nrows && !usable; r++)
			usable = group_may_use_site(c, st->rows[r].unit, g, s);
		if (usable)
			st->sites[st->nsites++] = s;
	}
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *ps = &p->sessions[i];

		if (ps->date < c->start || ps->date > c->end)
			continue;
		st->taken[ps->team * (size_t)c->ndays + (size_t)(ps->date - c->start)] |=
			(unsigned char)SLOT_BIT(ps->slot);
		if (slot_kind_is_extra(ps->slot))
			st->extra[ps->team * (size_t)st->nweeks +
				  (size_t)((date_week_monday(ps->date) - st->week0) / 7)]++;
	}
	return true;
}

/* Team t may still hold a session on date in kind: the slot exists, the
 * team works it and is free then, and an extra kind is within the week's
 * limit. */
static bool close_slot_free(const struct close_state *st, size_t t, int date, int kind)
{
	const struct campaign *c = st->c;

	if (!(campaign_slots_on(c, date) & c->teams[t].slots & c->groups[st->g].slots &
	      SLOT_BIT(kind)) ||
	    (st->taken[t * (size_t)c->ndays + (size_t)(date - c->start)] & SLOT_BIT(kind)) ||
	    date_ranges_contain(&c->teams[t].unavailable, date))
		return false;
	return !slot_kind_is_extra((enum slot_kind)kind) ||
	       st->extra[t * (size_t)st->nweeks + (size_t)((date_week_monday(date) - st->week0) / 7)] <
		       c->teams[t].max_extra_per_week;
}

/* People a session of team t at usable site si on date in kind would take
 * from the rows that may come there (placing them when take), whole
 * people, the earliest due first. */
static long long close_fill(struct close_state *st, size_t t, size_t si, int date, int kind,
			    bool take)
{
	const struct campaign *c = st->c;
	size_t s = st->sites[si];
	double room = session_capacity_share(c, t, s, (enum slot_kind)kind);
	long long n = 0;

	for (size_t i = st->at0[si]; i < st->at0[si + 1] && room > 0.0; i++) {
		struct close_row *row = &st->rows[st->at[i]];
		const struct demand *dm = &c->units[row->unit].demand[row->demand];
		double w;
		int k;

		if (row->left <= 0 || date > row->due ||
		    !visit_allowed(c, row->unit, row->demand, t, s, date, (enum slot_kind)kind))
			continue;
		w = campaign_person_load(c, st->g, dm->service, t);
		if (!(w > 0.0) || w == HUGE_VAL)
			continue;
		k = (int)floor((room + 1e-9) / w);
		if (k > row->left)
			k = row->left;
		if (k <= 0)
			continue;
		room -= k * w;
		n += k;
		if (take)
			row->left -= k;
	}
	return n;
}

static int close_row_due_cmp(const void *pa, const void *pb)
{
	const struct close_row *a = pa, *b = pb;

	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return (a->demand > b->demand) - (a->demand < b->demand);
}

/* The rows, earliest due first, and for each usable site the rows that
 * may come there. False when out of memory. */
static bool close_index(struct close_state *st)
{
	const struct campaign *c = st->c;
	size_t n = 0;

	qsort(st->rows, st->nrows, sizeof(*st->rows), close_row_due_cmp);
	for (int pass = 0; pass < 2; pass++) {
		n = 0;
		for (size_t si = 0; si < st->nsites; si++) {
			if (pass)
				st->at0[si] = n;
			for (size_t r = 0; r < st->nrows; r++)
				if (group_may_use_site(c, st->rows[r].unit, st->g, st->sites[si])) {
					if (pass)
						st->at[n] = r;
					n++;
				}
		}
		if (!pass) {
			st->at0 = xcalloc_array(st->nsites + 1, sizeof(*st->at0));
			st->at = xcalloc_array(n + 1, sizeof(*st->at));
			if (!st->at0 || !st->at)
				return false;
		}
	}
	st->at0[st->nsites] = n;
	return true;
}

/* Advises sessions of the teams in use[] (NULL: all) one at a time, each
 * the one that takes the most people still short, until none is left or
 * no free slot takes anyone. The earliest free date of each (team, site,
 * kind) where someone fits stands for it; it only moves later as slots
 * are taken and people placed. False when out of memory. */
static bool close_plan(struct close_state *st, const bool *use)
{
	const struct campaign *c = st->c;
	size_t ncur = c->nteams * st->nsites * SLOT_COUNT;
	int *cursor;

	if (!close_index(st))
		return false;
	cursor = xcalloc_array(ncur + 1, sizeof(int));
	if (!cursor)
		return false;
	for (size_t i = 0; i < ncur; i++)
		cursor[i] = st->first;
	for (;;) {
		long long best = 0;
		size_t bt = 0, bs = 0;
		int bd = 0, bk = 0;

		for (size_t t = 0; t < c->nteams; t++) {
			if (use && !use[t])
				continue;
			for (size_t si = 0; si < st->nsites; si++) {
				size_t s = st->sites[si];

				if (!team_reaches_site(c, t, s))
					continue;
				for (int k = 0; k < SLOT_COUNT; k++) {
					int *d = &cursor[(t * st->nsites + si) * SLOT_COUNT + (size_t)k];
					long long n = 0;

					if (!(c->groups[st->g].slots & c->teams[t].slots &
					      c->sites[s].slots & SLOT_BIT(k)))
						continue;
					for (; *d <= st->last; ++*d)
						if (close_slot_free(st, t, *d, k) &&
						    session_possible(c, t, s, *d, (enum slot_kind)k) &&
						    (n = close_fill(st, t, si, *d, k, false)) > 0)
							break;
					if (n > best) {
						best = n;
						bt = t;
						bs = si;
						bd = *d;
						bk = k;
					}
				}
			}
		}
		if (best <= 0)
			break;
		st->placed += close_fill(st, bt, bs, bd, bk, true);
		st->taken[bt * (size_t)c->ndays + (size_t)(bd - c->start)] |= (unsigned char)SLOT_BIT(bk);
		if (slot_kind_is_extra((enum slot_kind)bk))
			st->extra[bt * (size_t)st->nweeks +
				  (size_t)((date_week_monday(bd) - st->week0) / 7)]++;
		st->count[bt * SLOT_COUNT + (size_t)bk]++;
	}
	free(cursor);
	return true;
}

/* Sessions advised in total, and of team t. */
static long long close_sessions(const struct close_state *st, long t)
{
	long long n = 0;

	for (size_t tm = 0; tm < st->c->nteams; tm++)
		for (int k = 0; k < SLOT_COUNT; k++)
			if (t < 0 || (size_t)t == tm)
				n += st->count[tm * SLOT_COUNT + (size_t)k];
	return n;
}

/* The last date any short person may still be invited by. */
static int close_due(const struct close_state *st)
{
	int due = st->c->start;

	for (size_t r = 0; r < st->nrows; r++)
		if (st->rows[r].due > due)
			due = st->rows[r].due;
	return due;
}

/* "(30 cccd or 70 eid2 a day)" of team t, for the services short. */
static void put_capacity(struct buf *t, const struct close_state *st, size_t tm,
			 enum rota_lang lang)
{
	const struct campaign *c = st->c;
	const char *sep = "";

	for (size_t s = 0; s < c->nservices; s++) {
		bool short_s = false;

		for (size_t r = 0; r < st->nrows && !short_s; r++)
			short_s = c->units[st->rows[r].unit].demand[st->rows[r].demand].service == s;
		if (!short_s || c->teams[tm].capacity[s] <= 0)
			continue;
		buf_printf(t, "%s%d %s", sep, c->teams[tm].capacity[s], c->services[s].id);
		sep = TR(lang, " hoặc ", " or ");
	}
	buf_puts(t, TR(lang, " mỗi ngày", " a day"));
}

/* "3 evening and 2 weekend" (EN) or "3 phiên ca tối, 2 phiên ca cuối
 * tuần" (VI): the sessions advised to team tm by kind. */
static void put_kinds(struct buf *t, const struct close_state *st, size_t tm,
		      enum rota_lang lang)
{
	int parts = 0, done = 0;

	for (int k = 0; k < SLOT_COUNT; k++)
		parts += st->count[tm * SLOT_COUNT + (size_t)k] > 0;
	for (int k = 0; k < SLOT_COUNT; k++) {
		int n = st->count[tm * SLOT_COUNT + (size_t)k];

		if (!n)
			continue;
		if (done)
			buf_puts(t, lang == LANG_EN ? (done == parts - 1 ? " and " : ", ") : ", ");
		buf_printf(t, TR(lang, "%d phiên %s", "%d %s"), n, slot_words(lang, k));
		done++;
	}
}

/* The group's slot kinds in words: "evening or weekend", "ca tối hoặc ca
 * cuối tuần". */
static void put_group_kinds(struct buf *t, const struct campaign *c, size_t g,
			    enum rota_lang lang)
{
	const char *sep = "";

	for (int k = 0; k < SLOT_COUNT; k++)
		if (c->groups[g].slots & SLOT_BIT(k)) {
			buf_printf(t, "%s%s", sep, slot_words(lang, k));
			sep = TR(lang, " hoặc ", " or ");
		}
}

/* What else would close it: "another team that works evening or weekend
 * sessions at the group's sites", or, for a group that comes in any slot,
 * "another team that reaches the group's sites" (read out, four slot
 * kinds joined by "or" say nothing). */
static void put_other_team(struct buf *t, const struct campaign *c, size_t g,
			   enum rota_lang lang)
{
	if (c->groups[g].slots == SLOT_ALL) {
		buf_puts(t, TR(lang, "thêm tổ đến được các điểm của nhóm",
			       "another team that reaches the group's sites"));
		return;
	}
	buf_puts(t, TR(lang, "thêm tổ làm ", "another team that works "));
	put_group_kinds(t, c, g, lang);
	buf_puts(t, TR(lang, " đến được các điểm của nhóm", " sessions at the group's sites"));
}

/* The sessions advised, team by team: "4 evening of team a (30 cccd a
 * day), 3 weekend of team b (...)". */
static void put_teams(struct buf *t, const struct close_state *st, enum rota_lang lang)
{
	const struct campaign *c = st->c;
	const char *sep = "";

	for (size_t tm = 0; tm < c->nteams; tm++) {
		if (!close_sessions(st, (long)tm))
			continue;
		buf_puts(t, sep);
		put_kinds(t, st, tm, lang);
		buf_printf(t, TR(lang, " của %s (năng lực ", " of team %s ("),
			   lang == LANG_EN ? c->teams[tm].id : c->teams[tm].name);
		put_capacity(t, st, tm, lang);
		buf_putc(t, ')');
		sep = ", ";
	}
}

/* What would close a group's shortfall, and only what can be done: the
 * fewest sessions of one team, in slots the plan leaves it free before
 * the people's deadline (a slot kind the group comes in and the team
 * works, a day the team is available, within its weekly limit of extra
 * sessions), at sites the group may use and the team reaches; else the
 * sessions of several teams; else how many the free slots can take at
 * most, and what the rest needs. Returns false when out of memory. */
bool report_closing(const struct plan *p, size_t g, long long short_total, enum rota_lang lang,
		    struct buf *text, struct report_fix *fix)
{
	const struct campaign *c = p->campaign;
	struct close_state st;
	bool *use = xcalloc_array(c->nteams + 1, sizeof(bool));
	long best_team = -1;
	long long best_n = 0;
	struct buf t;

	fix->sessions = 0;
	fix->team = -1;
	if (!use)
		return false;
	/* One team alone, the one that needs the fewest sessions. */
	for (size_t tm = 0; tm < c->nteams; tm++) {
		if (!close_init(&st, p, g)) {
			free(use);
			return false;
		}
		memset(use, 0, c->nteams * sizeof(bool));
		use[tm] = true;
		if (!close_plan(&st, use)) {
			close_release(&st);
			free(use);
			return false;
		}
		if (st.placed >= short_total && (best_team < 0 || close_sessions(&st, -1) < best_n)) {
			best_team = (long)tm;
			best_n = close_sessions(&st, -1);
		}
		close_release(&st);
	}
	if (!close_init(&st, p, g)) {
		free(use);
		return false;
	}
	if (best_team >= 0) {
		memset(use, 0, c->nteams * sizeof(bool));
		use[best_team] = true;
	}
	if (!close_plan(&st, best_team >= 0 ? use : NULL)) {
		close_release(&st);
		free(use);
		return false;
	}
	buf_init(&t);
	fix->sessions = close_sessions(&st, -1);
	if (st.placed >= short_total && best_team >= 0) {
		size_t tm = (size_t)best_team;
		int kinds = 0, kind = 0;

		fix->team = best_team;

		for (int k = 0; k < SLOT_COUNT; k++)
			if (st.count[tm * SLOT_COUNT + (size_t)k]) {
				kinds++;
				kind = k;
			}
		if (lang == LANG_EN && kinds == 1)
			buf_printf(&t, "closing it takes about %lld more %s session%s of team %s (",
				   best_n, slot_words(lang, kind), plural(best_n), c->teams[tm].id);
		else if (lang == LANG_EN) {
			buf_printf(&t, "closing it takes about %lld more sessions of team %s (", best_n,
				   c->teams[tm].id);
			put_kinds(&t, &st, tm, lang);
			buf_puts(&t, "; ");
		} else if (kinds == 1)
			buf_printf(&t, "Cách bù: thêm khoảng %lld phiên %s của %s (năng lực ", best_n,
				   slot_words(lang, kind), c->teams[tm].name);
		else {
			buf_printf(&t, "Cách bù: thêm khoảng %lld phiên của %s (", best_n,
				   c->teams[tm].name);
			put_kinds(&t, &st, tm, lang);
			buf_puts(&t, "; năng lực ");
		}
		put_capacity(&t, &st, tm, lang);
		buf_puts(&t, TR(lang, ") trước ngày ", ") on or before "));
		put_date(&t, close_due(&st), lang);
	} else if (st.placed >= short_total) {
		long long n = close_sessions(&st, -1);

		buf_printf(&t, TR(lang, "Cách bù: thêm khoảng %lld phiên của nhiều tổ trước ngày ",
				  "closing it takes about %lld more sessions of several teams on or "
				  "before "),
			   n);
		put_date(&t, close_due(&st), lang);
		buf_puts(&t, ": ");
		put_teams(&t, &st, lang);
	} else if (st.placed > 0) {
		long long n = close_sessions(&st, -1);

		buf_puts(&t, TR(lang, "Không tổ nào bù đủ được: các ", "no team can close it: the "));
		if (c->groups[g].slots == SLOT_ALL)
			buf_puts(&t, TR(lang, "ca", "slots"));
		else {
			put_group_kinds(&t, c, g, lang);
			buf_puts(&t, TR(lang, "", " slots"));
		}
		buf_puts(&t, TR(lang, " còn trống của các tổ trước ngày ",
				" the teams have free on or before "));
		put_date(&t, close_due(&st), lang);
		buf_printf(&t, TR(lang, ", tại các điểm nhóm được đến, chỉ nhận thêm được khoảng "
					"%lld trong số %lld người (%lld phiên: ",
				  ", at sites this group may use, take about %lld more of the %lld "
				  "people at most (%lld session%s: "),
			   st.placed, short_total, n, plural(n));
		put_teams(&t, &st, lang);
		buf_puts(&t, TR(lang, "); phần còn lại cần lùi hạn chót, hoặc ",
				"); the rest needs a later deadline, or "));
		put_other_team(&t, c, g, lang);
	} else {
		buf_puts(&t, TR(lang, "Không tổ nào bù được: không tổ nào còn ",
				"no team can close it: no team has a free "));
		if (c->groups[g].slots == SLOT_ALL)
			buf_puts(&t, TR(lang, "ca", "slot"));
		else {
			put_group_kinds(&t, c, g, lang);
			buf_puts(&t, TR(lang, "", " slot"));
		}
		buf_puts(&t, TR(lang, " trống trước ngày ", " on or before "));
		put_date(&t, close_due(&st), lang);
		buf_puts(&t, TR(lang, " tại điểm nhóm được đến; cần lùi hạn chót, hoặc ",
				" at a site this group may use; it needs a later deadline, or "));
		put_other_team(&t, c, g, lang);
	}
	buf_puts(text, buf_str(&t));
	if (t.failed)
		text->failed = 1;
	buf_release(&t);
	close_release(&st);
	free(use);
	return true;
}

/* The advice of report_closing, wrapped as the summary's lines. */
static bool summary_closing(const struct plan *p, size_t g, long long short_total,
			    enum rota_lang lang, struct buf *out)
{
	struct report_fix fix;
	struct buf t;
	bool ok;

	buf_init(&t);
	ok = report_closing(p, g, short_total, lang, &t, &fix);
	if (ok)
		put_wrapped_at(out, buf_str(&t), 4, 6);
	if (t.failed)
		out->failed = 1;
	buf_release(&t);
	return ok;
}

/* For every group that misses its deadline: who falls short, by how much,
 * and what would close it. Returns false when out of memory. */
static bool summary_shortfalls(const struct plan *p, const size_t *order,
			       const struct group_total *totals, enum rota_lang lang,
			       struct buf *out)
{
	const struct campaign *c = p->campaign;
	struct plan_cov cov;
	bool any = false;
	struct buf t;

	buf_init(&t);
	for (size_t i = 0; i < c->ngroups; i++) {
		size_t g = order[i];
		const struct group_total *tt = &totals[g];

		if (tt->demand <= tt->by_deadline)
			continue;
		if (!any)
			buf_printf(out, "\n%s\n", TR(lang, "Chưa kịp hạn chót", "Deadlines not met"));
		any = true;
		if (lang == LANG_EN) {
			buf_printf(&t, "%s (priority %d, due ", c->groups[g].id, c->groups[g].priority);
			put_date(&t, c->groups[g].deadline, lang);
			buf_printf(&t, "): %lld of %lld people not invited by then",
				   tt->demand - tt->by_deadline, tt->demand);
		} else {
			buf_printf(&t, "%s (ưu tiên %d, hạn ", c->groups[g].name, c->groups[g].priority);
			put_date(&t, c->groups[g].deadline, lang);
			buf_printf(&t, "): %lld trong số %lld người chưa được mời trước hạn",
				   tt->demand - tt->by_deadline, tt->demand);
		}
		put_wrapped_at(out, buf_str(&t), 2, 4);
		if (t.failed)
			out->failed = 1;
		buf_release(&t);
		if (plan_cov_init(&cov, p))
			out->failed = 1;
		for (size_t u = 0; u < c->nunits; u++) {
			for (size_t d = 0; d < c->units[u].ndemand; d++) {
				const struct demand *dm = &c->units[u].demand[d];
				int planned, by_deadline, missing;

				if (dm->group != g)
					continue;
				plan_cov_get(&cov, u, d, &planned, &by_deadline);
				missing = dm->count - by_deadline;
				if (missing <= 0)
					continue;
				buf_printf(&t, TR(lang, "%s: thiếu %d %s", "%s: short by %d %s"),
					   lang == LANG_EN ? c->units[u].id : c->units[u].name,
					   missing, c->services[dm->service].id);
				if (planned > by_deadline)
					buf_printf(&t, TR(lang, " (%d người được mời sau hạn)",
							  " (%d invited after the deadline)"),
						   planned - by_deadline);
				put_wrapped_at(out, buf_str(&t), 4, 6);
				if (t.failed)
					out->failed = 1;
				buf_release(&t);
			}
		}
		plan_cov_release(&cov);
		if (!summary_closing(p, g, tt->demand - tt->by_deadline, lang, out)) {
			buf_release(&t);
			return false;
		}
	}
	if (any)
		put_wrapped(out, TR(lang,
				    "Số phiên trên tính trong các ca tổ còn trống trước hạn chót, tại "
				    "các điểm nhóm được đến, đã trừ thời gian đi lại. Thiếu hụt cũng "
				    "có thể do ngày, ca hoặc điểm "
				    "của nhóm chứ không do năng lực: xem phần kiểm tra năng lực bên "
				    "dưới.",
				    "Sessions are counted in the slots the teams have free before the "
				    "deadline, at the sites the group may use, travel included. A "
				    "shortfall can also come from the groups' "
				    "dates, slot kinds or sites rather than from capacity: see the "
				    "capacity check below."));
	else
		buf_printf(out, "  %s\n", TR(lang, "Mọi nhóm đều được mời đủ trước hạn chót.",
					   "Every group is invited in full by its deadline."));
	if (t.failed)
		out->failed = 1;
	buf_release(&t);
	return true;
}

/* Per team and ISO week: sessions by slot kind and people. */
static void summary_weeks(const struct plan *p, enum rota_lang lang, struct buf *out)
{
	const struct campaign *c = p->campaign;
	struct buf t;

	buf_init(&t);
	buf_printf(out, "\n%s\n", TR(lang, "Số phiên theo tổ và tuần", "Sessions per team and week"));
	for (size_t tm = 0; tm < c->nteams; tm++) {
		int week_done = -1;
		bool any = false;

		buf_printf(out, "  %s (%s)\n", c->teams[tm].name, c->teams[tm].id);
		for (size_t i = 0; i < p->nsessions; i++) {
			const struct plan_session *s = &p->sessions[i];
			int monday = date_week_monday(s->date), iso_year, week;
			long long kinds[SLOT_COUNT] = { 0 }, n = 0, people = 0;
			const char *sep = "";

			if (s->team != tm || monday == week_done)
				continue;
			week_done = monday;
			any = true;
			for (size_t j = i; j < p->nsessions; j++) {
				const struct plan_session *o = &p->sessions[j];

				if (o->team != tm || date_week_monday(o->date) != monday)
					continue;
				kinds[o->slot]++;
				n++;
				for (size_t k = 0; k < o->nvisits; k++)
					people += o->visits[k].count;
			}
			week = date_iso_week(monday, &iso_year);
			buf_printf(&t, "%s %d (", TR(lang, "Tuần", "Week"), week);
			put_date(&t, monday, lang);
			buf_puts(&t, " " "\xe2\x80\x93" " ");
			put_date(&t, monday + 6, lang);
			if (lang == LANG_EN)
				buf_printf(&t, "): %lld session%s (", n, plural(n));
			else
				buf_printf(&t, "): %lld phiên (", n);
			for (int k = 0; k < SLOT_COUNT; k++) {
				if (!kinds[k])
					continue;
				buf_printf(&t, "%s%lld %s", sep, kinds[k], slot_words(lang, k));
				sep = ", ";
			}
			buf_printf(&t, TR(lang, "), %lld người", "), %lld people"), people);
			put_wrapped_at(out, buf_str(&t), 4, 6);
			if (t.failed)
				out->failed = 1;
			buf_release(&t);
		}
		if (!any)
			buf_printf(out, "    %s\n", TR(lang, "Không có phiên nào.", "No session."));
	}
	if (t.failed)
		out->failed = 1;
}

static void summary_sessions(const struct plan *p, enum rota_lang lang, struct buf *out)
{
	const struct campaign *c = p->campaign;
	long long total[SLOT_COUNT + 2] = { 0 };
	size_t fixed = 0;
	int w = 4;

	for (size_t t = 0; t < c->nteams; t++)
		w = id_width(w, strlen(c->teams[t].id));
	buf_printf(out, "\n%s\n  ", TR(lang, "Số phiên theo tổ và loại ca", "Sessions by team and slot kind"));
	pad(out, TR(lang, "tổ", "team"), (size_t)w);
	for (int k = 0; k < SLOT_COUNT; k++) {
		buf_puts(out, "  ");
		pad_left(out, lang == LANG_EN ? slot_kind_name((enum slot_kind)k)
						  : slot_words(lang, k) + 3,
			 9);
	}
	buf_puts(out, "  ");
	pad_left(out, TR(lang, "tổng", "total"), 7);
	buf_puts(out, "  ");
	pad_left(out, TR(lang, "người", "people"), 7);
	buf_putc(out, '\n');
	for (size_t t = 0; t < c->nteams; t++) {
		long long row[SLOT_COUNT + 2] = { 0 };

		for (size_t i = 0; i < p->nsessions; i++) {
			const struct plan_session *s = &p->sessions[i];

			if (s->team != t)
				continue;
			row[s->slot]++;
			row[SLOT_COUNT]++;
			for (size_t j = 0; j < s->nvisits; j++)
				row[SLOT_COUNT + 1] += s->visits[j].count;
		}
		buf_printf(out, "  %-*s", w, c->teams[t].id);
		for (int k = 0; k < SLOT_COUNT + 2; k++) {
			buf_printf(out, k < SLOT_COUNT ? "  %9lld" : "  %7lld", row[k]);
			total[k] += row[k];
		}
		buf_putc(out, '\n');
	}
	if (c->nteams > 1) {
		buf_puts(out, "  ");
		pad(out, TR(lang, "tổng", "total"), (size_t)w);
		for (int k = 0; k < SLOT_COUNT + 2; k++)
			buf_printf(out, k < SLOT_COUNT ? "  %9lld" : "  %7lld", total[k]);
		buf_putc(out, '\n');
	}
	for (size_t i = 0; i < p->nsessions; i++)
		if (p->sessions[i].fixed)
			fixed++;
	if (fixed)
		buf_printf(out, TR(lang, "  Trong đó %zu phiên đã ấn định trước trong chiến dịch.\n",
				   "  %zu of them fixed beforehand in the campaign.\n"),
			   fixed);
}

/* The gap a level's value and bound give (plan-v1). */
static double level_gap_said(const struct plan_level *l)
{
	return fabs(l->value - l->bound) / fmax(fabs(l->value), 1.0);
}

/* A level the solver never reached (a time limit or a level LP's count
 * stopped it before any bound): plan-v1 gives it gap 1 whatever its value
 * and bound say, so its gap is larger than the one they give. */
static bool level_unreached(const struct plan_level *l)
{
	return isfinite(l->bound) && finite_gap(l->gap) >= 1.0 && level_gap_said(l) < 1.0 - 1e-9;
}

/* A value better than its level's bound: the bound was proven for plans
 * that reach the bounds of the levels above (the first pass of shared
 * teams, docs/model.md section 1), and this plan falls short of one of
 * them, so the two do not compare. */
static bool level_crossed(const struct plan_level *l)
{
	if (!isfinite(l->bound))
		return false;
	return l->maximise ? l->value > l->bound + 0.5 : l->value < l->bound - 0.5;
}

/* Whether a level's value reaches its bound, neither short of it nor
 * beyond it: proven. */
static bool level_proven(const struct plan_level *l)
{
	return isfinite(l->bound) && !level_unreached(l) && fabs(l->value - l->bound) <= 0.5;
}

/* What a level counts, in words, by its name's prefix; NULL when unknown. */
static const char *level_words(const char *name, enum rota_lang lang)
{
	static const struct {
		const char *prefix, *vi, *en;
	} words[] = {
		{ "deadline-p", "người của mức ưu tiên N được mời trước hạn chót (càng lớn càng tốt)",
		  "people of priority N invited by their deadline (more is better)" },
		{ "by-deadline-p", "người của mức ưu tiên N được mời trước hạn chót (càng lớn càng tốt)",
		  "people of priority N invited by their deadline (more is better)" },
		{ "served-p", "người của mức ưu tiên N được mời (càng lớn càng tốt)",
		  "people of priority N invited at all (more is better)" },
		{ "extra", "phiên ngoài giờ: tối, cuối tuần, ngày lễ (càng ít càng tốt)",
		  "sessions out of hours: evening, weekend, holiday (fewer is better)" },
		{ "person-minutes", "người-phút của các tổ, kể cả đi lại (càng ít càng tốt)",
		  "officers' minutes, travel included (fewer is better)" },
		{ "invitations", "số lượt mời, mỗi lượt tốn thời gian của đơn vị (càng ít càng tốt)",
		  "invitations, each costing the unit time (fewer is better)" },
		{ "earliness", "tổng số ngày chờ của người được mời (càng ít càng tốt)",
		  "days people wait for their invitation, summed (fewer is better)" },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strncmp(name, words[i].prefix, strlen(words[i].prefix)))
			return lang == LANG_EN ? words[i].en : words[i].vi;
	return NULL;
}

static void summary_solver(const struct plan_solver *sv, enum rota_lang lang, struct buf *out)
{
	char gap[32];
	int w = 5;
	size_t unproven = 0, unreached = 0, crossed = 0;
	struct buf t;

	buf_printf(out, "\n%s\n", TR(lang, "Bảng của bộ giải (dành cho người lập kế hoạch)",
				     "The solver's table (for the planner)"));
	for (size_t i = 0; i < sv->nlevels; i++) {
		unproven += !level_proven(&sv->levels[i]);
		unreached += level_unreached(&sv->levels[i]);
		crossed += level_crossed(&sv->levels[i]);
	}
	buf_printf(out, "  %s: %s", TR(lang, "Bộ giải", "Solver"),
		   sv->status == PLAN_OPTIMAL ? TR(lang, "tối ưu", "optimal")
					      : TR(lang, "khả thi", "feasible"));
	if (sv->nlevels && !unproven)
		buf_puts(out, TR(lang, ", mọi mức đã chứng minh tối ưu", ", every level proven optimal"));
	else if (unproven)
		buf_printf(out, TR(lang, ", %zu mức chưa chứng minh tối ưu",
				   ", %zu level%s not proven optimal"),
			   unproven, lang == LANG_EN ? plural((long long)unproven) : "");
	if (sv->seconds > 0.0)
		buf_printf(out, ", %.1f s", sv->seconds);
	buf_puts(out, ".\n");
	if (!sv->nlevels)
		return;
	for (size_t i = 0; i < sv->nlevels; i++)
		w = id_width(w, strnlen(sv->levels[i].name, sizeof(sv->levels[i].name)));
	buf_puts(out, "  ");
	pad(out, TR(lang, "mức", "level"), (size_t)w);
	buf_puts(out, "  ");
	pad_left(out, TR(lang, "giá trị", "value"), 12);
	buf_puts(out, "  ");
	pad_left(out, TR(lang, "cận", "bound"), 14);
	buf_puts(out, "  ");
	pad_left(out, TR(lang, "khoảng cách", "gap"), 11);
	buf_putc(out, '\n');
	for (size_t i = 0; i < sv->nlevels; i++) {
		const struct plan_level *l = &sv->levels[i];

		buf_printf(out, "  %-*.*s", w, (int)sizeof(l->name), l->name);
		buf_puts(out, "  ");
		put_human_number(out, 12, l->value);
		buf_puts(out, "  ");
		if (level_unreached(l))
			pad_left(out, TR(lang, "chưa giải tới", "not reached"), 14);
		else if (isfinite(l->bound))
			put_human_number(out, 14, l->bound);
		else
			pad_left(out, TR(lang, "không có cận", "no bound"), 14);
		if (!isfinite(l->bound) || level_unreached(l))
			snprintf(gap, sizeof(gap), "-");
		else if (level_crossed(l))
			snprintf(gap, sizeof(gap), "*");
		else if (level_proven(l))
			snprintf(gap, sizeof(gap), "0");
		else
			gap_text(level_gap_said(l), gap, sizeof(gap));
		buf_puts(out, "  ");
		pad_left(out, gap, 11);
		buf_putc(out, '\n');
	}
	if (crossed)
		put_wrapped_at(out,
			       TR(lang,
				  "* cận của mức này đúng cho những kế hoạch đạt cận của các mức "
				  "trên; kế hoạch này chưa đạt, nên không so được.",
				  "* this level's bound holds for plans that reach the bounds of "
				  "the levels above; this plan does not, so the two do not compare."),
			       2, 4);
	if (unreached)
		put_wrapped_at(out,
			       TR(lang,
				  "- chưa giải tới: bộ giải dừng trước khi chứng minh được cận nào "
				  "cho mức này (hết --time-limit, hoặc bài toán quá lớn); giá trị "
				  "là của kế hoạch.",
				  "- not reached: the solver stopped before it proved any bound for "
				  "this level (--time-limit ran out, or the problem is too large); "
				  "the value is the plan's."),
			       2, 4);
	buf_printf(out, "  %s\n", TR(lang, "Các mức, theo thứ tự giải:", "The levels, in the order solved:"));
	buf_init(&t);
	for (size_t i = 0; i < sv->nlevels; i++) {
		const char *words = level_words(sv->levels[i].name, lang);
		bool seen = false;
		size_t digits;

		for (size_t j = 0; j < i && words && !seen; j++)
			seen = level_words(sv->levels[j].name, lang) == words;
		if (!words || seen)
			continue;
		/* "deadline-p1" stands for every "deadline-pN". */
		digits = strcspn(sv->levels[i].name, "0123456789");
		buf_printf(&t, "- %.*s%s: %s", (int)digits, sv->levels[i].name,
			   digits < strnlen(sv->levels[i].name, sizeof(sv->levels[i].name)) ? "N" : "",
			   words);
		put_wrapped_at(out, buf_str(&t), 2, 4);
		if (t.failed)
			out->failed = 1;
		buf_release(&t);
	}
	if (t.failed)
		out->failed = 1;
}

static void summary_notes(const char *notes, enum rota_lang lang, struct buf *out)
{
	const char *line = notes;

	if (!notes || !*notes)
		return;
	buf_printf(out, "\n%s\n", TR(lang, "Lịch và thư mời không được ghi",
				     "Calendars and invitations not written"));
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (n) {
			buf_puts(out, "  ");
			buf_putn(out, line, n);
			buf_putc(out, '\n');
		}
		line += n + (nl ? 1 : 0);
	}
}

/* ---- what changed since the last plan (re-plans, replan-v1.md) ---- */

/* CHANGE_ABSORBED: a new event that a cancelled one of the same subject
 * moved to; its moved partner names it. */
enum change_kind {
	CHANGE_NEW,
	CHANGE_MOVED,
	CHANGE_CHANGED,
	CHANGE_CANCELLED,
	CHANGE_KINDS,
	CHANGE_ABSORBED = CHANGE_KINDS
};

/* An event of the change report: a team's session or a unit's invitation,
 * by ids (a cancelled event's team, site or unit may be gone from the
 * campaign). */
struct change_event {
	const char *team, *site;
	int date;
	enum slot_kind slot;
	int from, to;       /* hours on site (a session) or the arrival window */
	enum change_kind kind;
	size_t moved_to;    /* CHANGE_MOVED: index of the new event */
};

/* One subject's (team's or unit's) events, in plan order. */
struct change_list {
	struct change_event *ev;
	size_t n, alloc;
};

static bool change_add(struct change_list *l, const struct change_event *ev)
{
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? 2 * l->alloc : 16;
		struct change_event *grown = xcalloc_array(alloc, sizeof(*grown));

		if (!grown)
			return false;
		if (l->n)
			memcpy(grown, l->ev, l->n * sizeof(*grown));
		free(l->ev);
		l->ev = grown;
		l->alloc = alloc;
	}
	l->ev[l->n++] = *ev;
	return true;
}

/* A site's name (Vietnamese) or id (English); the id itself when the
 * campaign no longer has it. Likewise teams and units. */
static const char *site_words(const struct campaign *c, const char *id, enum rota_lang lang)
{
	for (size_t i = 0; i < c->nsites; i++)
		if (!strcmp(c->sites[i].id, id))
			return lang == LANG_EN ? c->sites[i].id : c->sites[i].name;
	return id;
}

static const char *team_words(const struct campaign *c, const char *id, enum rota_lang lang)
{
	for (size_t i = 0; i < c->nteams; i++)
		if (!strcmp(c->teams[i].id, id))
			return lang == LANG_EN ? c->teams[i].id : c->teams[i].name;
	return id;
}

static const char *unit_words(const struct campaign *c, const char *id, enum rota_lang lang)
{
	for (size_t i = 0; i < c->nunits; i++)
		if (!strcmp(c->units[i].id, id))
			return lang == LANG_EN ? c->units[i].id : c->units[i].name;
	return id;
}

/* "2024-03-19 day at thcs, 07:45-10:00"; with_team adds "(ca-xa)" after
 * the site, for invitations. */
static void put_event(struct buf *t, const struct campaign *c, const struct change_event *ev,
		      bool with_team, enum rota_lang lang)
{
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];

	put_date(t, ev->date, lang);
	buf_printf(t, " %s %s %s", slot_words(lang, ev->slot), TR(lang, "tại", "at"),
		   site_words(c, ev->site, lang));
	if (with_team)
		buf_printf(t, " (%s)", team_words(c, ev->team, lang));
	time_format(ev->from, a);
	time_format(ev->to, b);
	buf_printf(t, ", %s-%s", a, b);
}

static const char *change_words(enum change_kind k, enum rota_lang lang)
{
	static const char *const vi[CHANGE_KINDS] = { "mới", "dời", "thay đổi", "hủy" };
	static const char *const en[CHANGE_KINDS] = { "new", "moved", "changed", "cancelled" };

	return lang == LANG_EN ? en[k] : vi[k];
}

/* Pairs each cancelled event, in date order, with a new event of the same
 * subject not paired yet: the event moved there. First at the same site,
 * then anywhere; among those, the nearest in time (the earlier on a tie),
 * so that a run of sessions moved to later weeks pairs in order. */
static void change_pair_moves(struct change_list *l)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < l->n; i++) {
			size_t best = l->n;

			if (l->ev[i].kind != CHANGE_CANCELLED)
				continue;
			for (size_t j = 0; j < l->n; j++) {
				int d = abs(l->ev[j].date - l->ev[i].date);

				if (l->ev[j].kind != CHANGE_NEW ||
				    (pass == 0 && strcmp(l->ev[j].site, l->ev[i].site)))
					continue;
				if (best == l->n || d < abs(l->ev[best].date - l->ev[i].date) ||
				    (d == abs(l->ev[best].date - l->ev[i].date) &&
				     l->ev[j].date < l->ev[best].date))
					best = j;
			}
			if (best == l->n)
				continue;
			l->ev[i].kind = CHANGE_MOVED;
			l->ev[i].moved_to = best;
			l->ev[best].kind = CHANGE_ABSORBED;
		}
	}
}

/* One subject's changes: "- label: 1 new, 1 moved." and a line per event,
 * new, moved, changed, cancelled, each in date order. Nothing when the
 * subject has no change. */
static void put_subject_changes(struct buf *out, const struct campaign *c, const char *label,
				struct change_list *l, bool invitations, enum rota_lang lang)
{
	const char *sep = "";
	struct buf t;

	if (!l->n)
		return;
	change_pair_moves(l);
	buf_init(&t);
	buf_printf(&t, "- %s: ", label);
	for (int k = 0; k < CHANGE_KINDS; k++) {
		size_t n = 0;

		for (size_t i = 0; i < l->n; i++)
			n += l->ev[i].kind == (enum change_kind)k;
		if (!n)
			continue;
		buf_printf(&t, "%s%zu %s", sep, n, change_words((enum change_kind)k, lang));
		sep = ", ";
	}
	buf_putc(&t, '.');
	put_wrapped_at(out, buf_str(&t), 2, 4);
	if (t.failed)
		out->failed = 1;
	buf_release(&t);
	for (int k = 0; k < CHANGE_KINDS; k++) {
		for (size_t i = 0; i < l->n; i++) {
			const struct change_event *ev = &l->ev[i];

			if (ev->kind != (enum change_kind)k)
				continue;
			buf_printf(&t, "%s: ", change_words((enum change_kind)k, lang));
			put_event(&t, c, ev, invitations, lang);
			if (k == CHANGE_MOVED) {
				buf_puts(&t, " \xe2\x86\x92 ");
				put_event(&t, c, &l->ev[ev->moved_to], invitations, lang);
			}
			put_wrapped_at(out, buf_str(&t), 4, 8);
			if (t.failed)
				out->failed = 1;
			buf_release(&t);
		}
	}
}

/* A session of p as a change event of the given kind. */
static struct change_event session_event(const struct plan *p, const struct plan_session *s,
					 enum change_kind kind)
{
	const struct campaign *c = p->campaign;
	struct change_event ev = { c->teams[s->team].id, c->sites[s->site].id, s->date, s->slot,
				   s->start, s->end, kind, 0 };

	return ev;
}

/* The arrival window of unit in s (its first visit's). */
static void unit_window(const struct plan_session *s, size_t unit, int *arrive, int *until)
{
	*arrive = s->start;
	*until = s->end;
	for (size_t j = 0; j < s->nvisits; j++)
		if (s->visits[j].unit == unit) {
			*arrive = s->visits[j].arrive;
			*until = s->visits[j].until;
			return;
		}
}

static struct change_event cancelled_event(const struct plan_cancelled *x)
{
	struct change_event ev = { x->team, x->site, x->date, x->slot, 0, 0, CHANGE_CANCELLED, 0 };

	ev.from = x->invitation ? x->arrive : x->start;
	ev.to = x->invitation ? x->until : x->end;
	return ev;
}

static enum change_kind kind_of(enum plan_change change)
{
	return change == PLAN_CHANGE_NEW ? CHANGE_NEW : CHANGE_CHANGED;
}

/* Whether x was cancelled by this plan (not carried from an earlier one). */
static bool cancelled_now(const struct plan *p, const struct plan_cancelled *x)
{
	return x->cancelled_on == p->today;
}

/* Whether list[0..upto) already names id (a team's id, or with team false
 * a unit's), among invitations or among sessions: ids the campaign no
 * longer has are listed once, after the campaign's. */
static bool id_known(const char *id, const struct plan_cancelled *list, size_t upto,
		     bool invitation, bool team)
{
	for (size_t i = 0; i < upto; i++)
		if (list[i].invitation == invitation &&
		    !strcmp(team ? list[i].team : list[i].unit, id))
			return true;
	return false;
}

/* Subject k of the change report, teams (team) or units: the campaign's
 * own (k below their number), then each id that only this plan's
 * cancelled events name, once (k counting on into p->cancelled); NULL
 * when k names none. */
static const char *change_subject(const struct plan *p, size_t k, bool team)
{
	const struct campaign *c = p->campaign;
	size_t n = team ? c->nteams : c->nunits;
	const struct plan_cancelled *x;
	const char *id;

	if (k < n)
		return team ? c->teams[k].id : c->units[k].id;
	x = &p->cancelled[k - n];
	id = team ? x->team : x->unit;
	if (x->invitation == team || !id || !cancelled_now(p, x) ||
	    id_known(id, p->cancelled, k - n, !team, team))
		return NULL;
	if ((team ? campaign_find_team(c, id) : campaign_find_unit(c, id)) >= 0)
		return NULL;
	return id;
}

/* Sessions per team: new, moved, changed, cancelled. Returns the number
 * of teams with a change, or -1 when out of memory. */
static long summary_team_changes(const struct plan *p, enum rota_lang lang, struct buf *out)
{
	const struct campaign *c = p->campaign;
	struct change_list l = { NULL, 0, 0 };
	long teams = 0;
	bool ok = true;

	for (size_t tm = 0; ok && tm < c->nteams + p->ncancelled; tm++) {
		const char *id = change_subject(p, tm, true);

		if (!id)
			continue;
		l.n = 0;
		for (size_t i = 0; ok && i < p->nsessions; i++) {
			const struct plan_session *s = &p->sessions[i];
			struct change_event ev;

			if (strcmp(c->teams[s->team].id, id) || s->change == PLAN_CHANGE_NONE)
				continue;
			ev = session_event(p, s, kind_of(s->change));
			ok = change_add(&l, &ev);
		}
		for (size_t i = 0; ok && i < p->ncancelled; i++) {
			const struct plan_cancelled *x = &p->cancelled[i];
			struct change_event ev;

			if (x->invitation || !cancelled_now(p, x) || strcmp(x->team, id))
				continue;
			ev = cancelled_event(x);
			ok = change_add(&l, &ev);
		}
		if (ok && l.n) {
			if (!teams)
				buf_printf(out, "  %s\n", TR(lang, "Phiên theo tổ:", "Sessions per team:"));
			teams++;
		}
		if (ok)
			put_subject_changes(out, c, team_words(c, id, lang), &l, false, lang);
	}
	free(l.ev);
	return ok ? teams : -1;
}

/* Invitations per unit: new, moved, changed, cancelled. Returns the
 * number of units with a change, or -1 when out of memory. */
static long summary_unit_changes(const struct plan *p, enum rota_lang lang, struct buf *out)
{
	const struct campaign *c = p->campaign;
	struct change_list l = { NULL, 0, 0 };
	long units = 0;
	bool ok = true;

	for (size_t u = 0; ok && u < c->nunits + p->ncancelled; u++) {
		const char *id = change_subject(p, u, false);

		if (!id)
			continue;
		l.n = 0;
		for (size_t i = 0; ok && u < c->nunits && i < p->nsessions; i++) {
			const struct plan_session *s = &p->sessions[i];
			const struct plan_invitation *inv = plan_invitation_of(s, u);
			struct change_event ev;

			if (!inv || inv->change == PLAN_CHANGE_NONE)
				continue;
			ev = session_event(p, s, kind_of(inv->change));
			unit_window(s, u, &ev.from, &ev.to);
			ok = change_add(&l, &ev);
		}
		for (size_t i = 0; ok && i < p->ncancelled; i++) {
			const struct plan_cancelled *x = &p->cancelled[i];
			struct change_event ev;

			if (!x->invitation || !x->unit || !cancelled_now(p, x) || strcmp(x->unit, id))
				continue;
			ev = cancelled_event(x);
			ok = change_add(&l, &ev);
		}
		if (ok && l.n) {
			if (!units)
				buf_printf(out, "  %s\n", TR(lang, "Lượt mời theo đơn vị:",
							   "Invitations per unit:"));
			units++;
		}
		if (ok)
			put_subject_changes(out, c, unit_words(c, id, lang), &l, true, lang);
	}
	free(l.ev);
	return ok ? units : -1;
}

/* Announced sessions that the edited campaign ruled out, with the reason. */
static void summary_frozen_cancelled(const struct plan *p, enum rota_lang lang, struct buf *out)
{
	const struct campaign *c = p->campaign;
	bool any = false;
	struct buf t;

	buf_init(&t);
	for (size_t i = 0; i < p->ncancelled; i++) {
		const struct plan_cancelled *x = &p->cancelled[i];
		struct change_event ev;

		if (x->invitation || !cancelled_now(p, x) || !x->reason)
			continue;
		if (!any)
			buf_printf(out, "\n%s\n", TR(lang, "Phiên đã thông báo nay bị hủy",
						     "Announced sessions cancelled"));
		any = true;
		ev = cancelled_event(x);
		buf_puts(&t, "- ");
		put_event(&t, c, &ev, false, lang);
		buf_printf(&t, ", %s: %s", team_words(c, x->team, lang), x->reason);
		put_wrapped_at(out, buf_str(&t), 2, 4);
		if (t.failed)
			out->failed = 1;
		buf_release(&t);
	}
}

/* Held visits whose came was not reported: everyone invited counted. */
static void summary_not_reported(const struct plan *p, enum rota_lang lang, struct buf *out)
{
	const struct campaign *c = p->campaign;
	bool any = false;
	struct buf t;

	buf_init(&t);
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		struct change_event ev;
		const char *sep = ": ";
		bool session_any = false;

		for (size_t j = 0; j < s->nvisits; j++)
			session_any |= s->visits[j].came >= 0 && s->visits[j].assumed;
		if (!session_any)
			continue;
		if (!any)
			buf_printf(out, "\n%s\n", TR(lang,
				"Chưa báo cáo số người đến (tính như mọi người được mời đều đã đến)",
				"Not reported (counted as if everyone invited came)"));
		any = true;
		ev = session_event(p, s, CHANGE_NEW);
		buf_puts(&t, "- ");
		put_event(&t, c, &ev, false, lang);
		buf_printf(&t, ", %s", team_words(c, ev.team, lang));
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct plan_visit *v = &s->visits[j];
			const struct demand *d = &c->units[v->unit].demand[v->demand];

			if (v->came < 0 || !v->assumed)
				continue;
			buf_printf(&t, "%s%s %s/%s %d", sep,
				   lang == LANG_EN ? c->units[v->unit].id : c->units[v->unit].name,
				   c->groups[d->group].id, c->services[d->service].id, v->count);
			sep = ", ";
		}
		put_wrapped_at(out, buf_str(&t), 2, 4);
		if (t.failed)
			out->failed = 1;
		buf_release(&t);
	}
}

/* "83%" of came over invited, "-" when nobody was invited. */
static void turnout_text(long long invited, long long came, char *text, size_t size)
{
	if (invited <= 0)
		snprintf(text, size, "-");
	else
		snprintf(text, size, "%lld%%", (came * 100 + invited / 2) / invited);
}

/* For the weeks past: per unit and group, people invited against people
 * who came; then per week. Returns false when out of memory. */
static bool summary_turnout(const struct plan *p, enum rota_lang lang, struct buf *out)
{
	const struct campaign *c = p->campaign;
	size_t cells = c->nunits * c->ngroups;
	long long *invited = xcalloc_array(cells ? cells : 1, sizeof(*invited));
	long long *came = xcalloc_array(cells ? cells : 1, sizeof(*came));
	long long all_invited = 0, all_came = 0;
	const char *unit_head = TR(lang, "đơn vị", "unit"), *group_head = TR(lang, "nhóm", "group");
	size_t wu = utf8_columns(unit_head, unit_head + strlen(unit_head));
	size_t wg = utf8_columns(group_head, group_head + strlen(group_head));
	char pct[32];
	bool any = false;

	if (!invited || !came) {
		free(invited);
		free(came);
		return false;
	}
	for (size_t i = 0; i < p->nsessions; i++)
		for (size_t j = 0; j < p->sessions[i].nvisits; j++) {
			const struct plan_visit *v = &p->sessions[i].visits[j];
			size_t g = c->units[v->unit].demand[v->demand].group;

			if (v->came < 0)
				continue;
			invited[v->unit * c->ngroups + g] += v->count;
			came[v->unit * c->ngroups + g] += v->came;
			any = true;
		}
	if (!any)
		goto out;
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t g = 0; g < c->ngroups; g++)
			if (invited[u * c->ngroups + g] || came[u * c->ngroups + g]) {
				wu = id_width((int)wu, utf8_columns(c->units[u].id, c->units[u].id +
								     strlen(c->units[u].id)));
				wg = id_width((int)wg, utf8_columns(c->groups[g].id, c->groups[g].id +
								     strlen(c->groups[g].id)));
			}
	buf_printf(out, "\n%s\n  ", TR(lang, "Các tuần đã qua: số người được mời và số người đã đến",
				     "The weeks past: people invited and people who came"));
	pad(out, unit_head, wu);
	buf_puts(out, "  ");
	pad(out, group_head, wg);
	buf_puts(out, "  ");
	pad_left(out, TR(lang, "được mời", "invited"), 8);
	buf_puts(out, "  ");
	pad_left(out, TR(lang, "đã đến", "came"), 6);
	buf_puts(out, "  ");
	pad_left(out, TR(lang, "tỉ lệ", "turnout"), 7);
	buf_putc(out, '\n');
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t g = 0; g < c->ngroups; g++) {
			long long in = invited[u * c->ngroups + g], cm = came[u * c->ngroups + g];

			if (!in && !cm)
				continue;
			turnout_text(in, cm, pct, sizeof(pct));
			buf_puts(out, "  ");
			pad(out, c->units[u].id, wu);
			buf_puts(out, "  ");
			pad(out, c->groups[g].id, wg);
			buf_printf(out, "  %8lld  %6lld  %7s\n", in, cm, pct);
			all_invited += in;
			all_came += cm;
		}
	turnout_text(all_invited, all_came, pct, sizeof(pct));
	buf_puts(out, "  ");
	pad(out, TR(lang, "tổng", "total"), wu);
	buf_puts(out, "  ");
	pad(out, "", wg);
	buf_printf(out, "  %8lld  %6lld  %7s\n", all_invited, all_came, pct);
	/* Per ISO week, as the teams report. */
	for (size_t i = 0; i < p->nsessions;) {
		int monday = date_week_monday(p->sessions[i].date), iso_year, week;
		long long in = 0, cm = 0;
		bool held = false;
		struct buf t;

		for (; i < p->nsessions && date_week_monday(p->sessions[i].date) == monday; i++)
			for (size_t j = 0; j < p->sessions[i].nvisits; j++) {
				const struct plan_visit *v = &p->sessions[i].visits[j];

				if (v->came < 0)
					continue;
				held = true;
				in += v->count;
				cm += v->came;
			}
		if (!held)
			continue;
		week = date_iso_week(monday, &iso_year);
		turnout_text(in, cm, pct, sizeof(pct));
		buf_init(&t);
		buf_printf(&t, "%s %d (", TR(lang, "Tuần", "Week"), week);
		put_date(&t, monday, lang);
		buf_puts(&t, " \xe2\x80\x93 ");
		put_date(&t, monday + 6, lang);
		buf_printf(&t, TR(lang, "): mời %lld, đến %lld (%s)", "): %lld invited, %lld came (%s)"),
			   in, cm, pct);
		put_wrapped_at(out, buf_str(&t), 2, 4);
		if (t.failed)
			out->failed = 1;
		buf_release(&t);
	}
out:
	free(invited);
	free(came);
	return true;
}

/* The change report, near the top of a re-plan's summary: what changed
 * since the last plan, per team and per unit, the announced sessions
 * cancelled, the visits not reported and the turnout of the weeks past.
 * Returns false when out of memory. */
static bool summary_changes(const struct plan *p, enum rota_lang lang, struct buf *out)
{
	long teams, units;
	struct buf t;

	buf_printf(out, "\n%s\n", TR(lang, "Thay đổi so với kế hoạch trước",
				     "What changed since the last plan"));
	buf_init(&t);
	buf_puts(&t, TR(lang, "Lập lại ngày ", "Re-planned on "));
	put_date(&t, p->today, lang);
	buf_puts(&t, TR(lang, " (các phiên trước ngày này đã diễn ra); ",
			" (the sessions before it have happened); "));
	if (p->freeze_end >= p->today) {
		buf_puts(&t, TR(lang, "các phiên đã thông báo đến hết ngày ",
				"the sessions announced up to "));
		put_date(&t, p->freeze_end, lang);
		buf_puts(&t, TR(lang, " được giữ nguyên.", " are kept as they are."));
	} else {
		buf_puts(&t, TR(lang, "không giữ cố định phiên nào đã thông báo.",
				"no announced session is kept fixed."));
	}
	put_wrapped(out, buf_str(&t));
	if (t.failed)
		out->failed = 1;
	buf_release(&t);
	teams = summary_team_changes(p, lang, out);
	if (teams < 0)
		return false;
	units = summary_unit_changes(p, lang, out);
	if (units < 0)
		return false;
	if (!teams && !units)
		put_wrapped(out, TR(lang,
				    "Không có gì thay đổi: không phiên hay lượt mời nào mới, dời, "
				    "thay đổi hay bị hủy, nên không gửi lại gì.",
				    "Nothing changed: no session or invitation is new, moved, changed "
				    "or cancelled, so nothing is sent."));
	else
		put_wrapped(out, TR(lang,
				    "Tổ và đơn vị không có tên ở trên giữ nguyên lịch và thư mời đã "
				    "nhận; không gửi lại gì cho họ.",
				    "Teams and units not named above keep what they hold; nothing is "
				    "sent to them."));
	summary_frozen_cancelled(p, lang, out);
	summary_not_reported(p, lang, out);
	return summary_turnout(p, lang, out);
}

void report_summary(const struct plan *p, const char *calendar_notes, enum rota_lang lang,
		    struct buf *out)
{
	const struct campaign *c = p->campaign;
	struct group_total *totals = xcalloc_array(c->ngroups, sizeof(*totals));
	size_t *order = xcalloc_array(c->ngroups, sizeof(*order));
	struct capacity_row *rows = NULL;
	struct plan_cov cov;
	size_t nrows = 0;
	long long invited = 0, demand = 0;

	if (!totals || !order)
		goto nomem;
	if (plan_cov_init(&cov, p))
		out->failed = 1;
	for (size_t u = 0; u < c->nunits; u++) {
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			struct group_total *t = &totals[c->units[u].demand[d].group];
			int planned, by_deadline;

			plan_cov_get(&cov, u, d, &planned, &by_deadline);
			t->demand += c->units[u].demand[d].count;
			t->planned += planned;
			t->by_deadline += by_deadline;
			demand += c->units[u].demand[d].count;
			invited += planned;
		}
	}
	plan_cov_release(&cov);
	groups_by_priority(c, order);
	summary_header(p, invited, demand, lang, out);
	if (p->today >= 0 && !summary_changes(p, lang, out))
		goto nomem;
	summary_groups_words(p, order, totals, lang, out);
	if (!summary_shortfalls(p, order, totals, lang, out))
		goto nomem;
	summary_weeks(p, lang, out);
	summary_sessions(p, lang, out);
	summary_coverage_table(c, order, totals, lang, out);
	summary_notes(calendar_notes, lang, out);
	if (capacity_check(c, &rows, &nrows))
		goto nomem;
	buf_putc(out, '\n');
	capacity_format(c, rows, nrows, lang, out);
	summary_solver(&p->solver, lang, out);
	goto out;
nomem:
	/* The caller learns of it as of any failed append. */
	out->failed = 1;
out:
	free(rows);
	free(totals);
	free(order);
}

/* How a session of a re-plan stands against the last plan, for `rota week`. */
static const char *session_mark(const struct plan_session *s, enum rota_lang lang)
{
	if (s->origin == PLAN_ORIGIN_HELD)
		return TR(lang, "đã diễn ra", "held");
	if (s->origin == PLAN_ORIGIN_FROZEN)
		return TR(lang, "đã thông báo, giữ nguyên", "frozen (announced, kept)");
	if (s->change == PLAN_CHANGE_NEW)
		return TR(lang, "mới", "new");
	if (s->change == PLAN_CHANGE_CHANGED)
		return TR(lang, "thay đổi", "changed");
	return TR(lang, "không đổi", "unchanged");
}

void report_week_changes(const struct plan *p, int monday, enum rota_lang lang, struct buf *out)
{
	const struct campaign *c = p->campaign;
	bool any = false;
	struct buf t;

	if (p->today < 0)
		return;
	buf_init(&t);
	buf_printf(out, "\n%s ", TR(lang, "So với kế hoạch trước (lập lại ngày",
				    "Against the last plan (re-planned on"));
	put_date(out, p->today, lang);
	buf_puts(out, ")\n");
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		struct change_event ev;
		long long invited = 0, came = 0;
		const char *sep = TR(lang, "; thư mời: ", "; invitations: ");

		if (s->date < monday || s->date >= monday + 7)
			continue;
		any = true;
		ev = session_event(p, s, CHANGE_NEW);
		buf_puts(&t, "- ");
		put_event(&t, c, &ev, false, lang);
		buf_printf(&t, ", %s: %s", team_words(c, ev.team, lang), session_mark(s, lang));
		for (size_t j = 0; j < s->nvisits; j++)
			if (s->visits[j].came >= 0) {
				invited += s->visits[j].count;
				came += s->visits[j].came;
			}
		if (s->origin == PLAN_ORIGIN_HELD)
			buf_printf(&t, TR(lang, ", mời %lld, đến %lld", ", %lld invited, %lld came"),
				   invited, came);
		/* Which units' invitations are new or changed (all of them in a
		 * new session: not repeated). */
		for (size_t j = 0; j < s->ninvitations; j++) {
			const struct plan_invitation *inv = &s->invitations[j];

			if (inv->change == PLAN_CHANGE_NONE || s->change == PLAN_CHANGE_NEW)
				continue;
			buf_printf(&t, "%s%s %s", sep,
				   lang == LANG_EN ? c->units[inv->unit].id : c->units[inv->unit].name,
				   kind_of(inv->change) == CHANGE_NEW ? TR(lang, "mới", "new")
								    : TR(lang, "thay đổi", "changed"));
			sep = ", ";
		}
		put_wrapped_at(out, buf_str(&t), 2, 4);
		if (t.failed)
			out->failed = 1;
		buf_release(&t);
	}
	for (size_t i = 0; i < p->ncancelled; i++) {
		const struct plan_cancelled *x = &p->cancelled[i];
		struct change_event ev;

		if (x->date < monday || x->date >= monday + 7)
			continue;
		any = true;
		ev = cancelled_event(x);
		buf_puts(&t, TR(lang, "- hủy: ", "- cancelled: "));
		if (x->invitation)
			buf_printf(&t, TR(lang, "thư mời %s, ", "invitation of %s, "),
				   unit_words(c, x->unit ? x->unit : "?", lang));
		put_event(&t, c, &ev, false, lang);
		buf_printf(&t, ", %s (", team_words(c, x->team, lang));
		buf_puts(&t, TR(lang, "hủy ngày ", "on "));
		put_date(&t, x->cancelled_on, lang);
		if (x->reason)
			buf_printf(&t, ": %s", x->reason);
		buf_putc(&t, ')');
		put_wrapped_at(out, buf_str(&t), 2, 4);
		if (t.failed)
			out->failed = 1;
		buf_release(&t);
	}
	if (!any)
		buf_printf(out, "  %s\n", TR(lang, "Không có phiên hay lượt hủy nào trong tuần.",
					   "No session or cancellation this week."));
}
