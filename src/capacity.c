/*
 * capacity.c - the capacity check of capacity.h: for each intake deadline
 * (a group's deadline less its service's lead time), the work due by then
 * against an upper bound on what the teams can give.
 *
 * Work is counted in full `day` sessions of the best team for each
 * service, and what a team can give in the same unit (a session is worth
 * its rule-5 share of a day), so that every rounding goes the team's way:
 * a row flagged short can never be met, while a row that looks fine may
 * still be missed for reasons the check ignores (sites, people's reach).
 */
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "date.h"
#include "banned.h"

/* Work smaller than this is rounding noise, not a shortfall. */
#define CAPACITY_EPS 1e-9

static int best_capacity(const struct campaign *c, size_t service)
{
	int best = 0;

	for (size_t t = 0; t < c->nteams; t++)
		if (c->teams[t].capacity[service] > best)
			best = c->teams[t].capacity[service];
	return best;
}

/* A site where a team may work in one slot kind, and the share of a day
 * (rule 5) that a session there is worth. */
struct candidate {
	size_t site;
	double share;
};

static int candidate_cmp(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;

	if (a->share != b->share)
		return a->share < b->share ? 1 : -1;
	return (a->site > b->site) - (a->site < b->site);
}

/* Fills shares[ndays][SLOT_COUNT] with the largest share of a day that team
 * can work on each date in each kind, over every site where such a session
 * may be held (0 when none). Sites are tried best first, so most dates
 * stop at the first. Returns 0 or ROTA_ENOMEM. */
static int team_shares(const struct campaign *c, size_t team, double *shares)
{
	struct candidate *sites = xcalloc_array(c->nsites, sizeof(*sites));

	if (!sites)
		return ROTA_ENOMEM;
	for (int k = 0; k < SLOT_COUNT; k++) {
		size_t n = 0;

		for (size_t site = 0; site < c->nsites; site++) {
			double share = session_capacity_share(c, team, site, (enum slot_kind)k);

			if (share > 0.0)
				sites[n++] = (struct candidate){ site, share };
		}
		qsort(sites, n, sizeof(*sites), candidate_cmp);
		for (int i = 0; i < c->ndays; i++) {
			double *best = &shares[(size_t)i * SLOT_COUNT + (size_t)k];

			*best = 0.0;
			for (size_t j = 0; j < n; j++) {
				if (session_possible(c, team, sites[j].site, c->start + i,
						     (enum slot_kind)k)) {
					*best = sites[j].share;
					break;
				}
			}
		}
	}
	free(sites);
	return ROTA_OK;
}

static int date_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;

	return (a > b) - (a < b);
}

static int double_desc(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a < b) - (a > b);
}

/* The groups that are due by one deadline, and what they allow. */
struct due {
	int deadline;
	int first;         /* earliest date any of them may be invited */
	slot_set slots;    /* slot kinds any of them may come in */
	bool *services;    /* [nservices]: some of them need this service */
};

/* Some people of group must be taken in by date to hold their card on
 * the group's deadline: date is the intake deadline of one of its demand
 * rows (the deadline less the service's lead time). */
static bool group_due_on(const struct campaign *c, size_t group, int date)
{
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			const struct demand *dm = &c->units[u].demand[d];

			if (dm->group == group && dm->count > 0 &&
			    campaign_intake_deadline(c, group, dm->service) == date)
				return true;
		}
	return false;
}

/* Upper bound on what team can give between due->first and due->deadline,
 * in day sessions' worth, and the number of sessions it counts. shares
 * holds the team's best share per day and kind ([ndays][SLOT_COUNT]);
 * extras is scratch room for one week of extra sessions. */
static double team_most(const struct campaign *c, size_t team, const struct due *due,
			const double *shares, double *extras, long long *sessions)
{
	int limit = c->teams[team].max_extra_per_week;
	int first = due->first, last = due->deadline;
	double most = 0.0;
	bool offers = false;

	for (size_t s = 0; s < c->nservices; s++)
		if (due->services[s] && c->teams[team].capacity[s] > 0)
			offers = true;
	if (!offers)
		return 0.0;
	if (first < c->start)
		first = c->start;
	if (last > c->end)
		last = c->end;
	for (int monday = date_week_monday(first); monday <= last; monday += 7) {
		size_t nextras = 0;

		for (int date = monday; date < monday + 7; date++) {
			const double *day;

			if (date < first || date > last)
				continue;
			day = &shares[(size_t)(date - c->start) * SLOT_COUNT];
			for (int k = 0; k < SLOT_COUNT; k++) {
				if (!(due->slots & SLOT_BIT(k)) || day[k] <= 0.0)
					continue;
				if (slot_kind_is_extra((enum slot_kind)k)) {
					extras[nextras++] = day[k];
				} else {
					most += day[k];
					(*sessions)++;
				}
			}
		}
		/* The weekly limit lets the team pick its best extra sessions. */
		qsort(extras, nextras, sizeof(*extras), double_desc);
		for (size_t i = 0; i < nextras && i < (size_t)limit; i++) {
			most += extras[i];
			(*sessions)++;
		}
	}
	return most;
}

int capacity_check(const struct campaign *c, struct capacity_row **rows, size_t *nrows)
{
	int *deadlines = NULL;
	size_t ndeadlines = 0;
	double *shares = NULL;
	double extras[7 * SLOT_COUNT];
	struct capacity_row *out = NULL;
	struct due due = { 0 };
	int rc = ROTA_ENOMEM;

	*rows = NULL;
	*nrows = 0;
	deadlines = xcalloc_array(c->ngroups * c->nservices, sizeof(*deadlines));
	due.services = xcalloc_array(c->nservices, sizeof(*due.services));
	shares = xcalloc_array(c->nteams * (size_t)c->ndays, SLOT_COUNT * sizeof(*shares));
	if (!deadlines || !due.services || !shares)
		goto out;

	for (size_t g = 0; g < c->ngroups; g++)
		for (size_t v = 0; v < c->nservices; v++)
			if (group_due_on(c, g, campaign_intake_deadline(c, g, v)))
				deadlines[ndeadlines++] = campaign_intake_deadline(c, g, v);
	qsort(deadlines, ndeadlines, sizeof(*deadlines), date_cmp);
	{
		size_t distinct = 0;

		for (size_t i = 0; i < ndeadlines; i++)
			if (distinct == 0 || deadlines[distinct - 1] != deadlines[i])
				deadlines[distinct++] = deadlines[i];
		ndeadlines = distinct;
	}
	out = xcalloc_array(ndeadlines, sizeof(*out));
	if (!out)
		goto out;

	for (size_t t = 0; t < c->nteams; t++)
		if (team_shares(c, t, &shares[t * (size_t)c->ndays * SLOT_COUNT]))
			goto out;

	for (size_t r = 0; r < ndeadlines; r++) {
		struct capacity_row *row = &out[r];

		row->deadline = due.deadline = deadlines[r];
		due.first = c->end + 1;
		due.slots = 0;
		memset(due.services, 0, c->nservices * sizeof(*due.services));
		for (size_t u = 0; u < c->nunits; u++) {
			for (size_t d = 0; d < c->units[u].ndemand; d++) {
				const struct demand *dm = &c->units[u].demand[d];
				const struct group *g = &c->groups[dm->group];
				int cap = best_capacity(c, dm->service);

				if (campaign_intake_deadline(c, dm->group, dm->service) > due.deadline ||
				    dm->count <= 0)
					continue;
				row->people += dm->count;
				due.services[dm->service] = true;
				due.slots |= g->slots;
				if (g->from < due.first)
					due.first = g->from;
				if (cap > 0 && g->home)
					row->load += (double)dm->count * campaign_home_load(c, dm->group);
				else if (cap > 0)
					row->load += (double)dm->count * g->turnout / (double)cap;
				else
					row->short_of = true; /* no team offers it at all */
			}
		}
		for (size_t t = 0; t < c->nteams; t++)
			row->most += team_most(c, t, &due, &shares[t * (size_t)c->ndays * SLOT_COUNT],
					       extras, &row->sessions);
		if (row->load > row->most + CAPACITY_EPS)
			row->short_of = true;
	}
	*rows = out;
	*nrows = ndeadlines;
	out = NULL;
	rc = ROTA_OK;
out:
	free(out);
	free(deadlines);
	free(due.services);
	free(shares);
	return rc;
}

/* Columns taken by the n bytes of UTF-8 text at s: one per code point,
 * which holds for Vietnamese in NFC. */
static size_t columns(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Appends text padded with spaces to width columns, right-aligned. */
static void put_right(struct buf *out, const char *text, size_t width)
{
	for (size_t w = columns(text, strlen(text)); w < width; w++)
		buf_putc(out, ' ');
	buf_puts(out, text);
}

/* Appends the ids of the groups due on date (group_due_on), the first at
 * column col, wrapping before column 80 onto lines indented as far. */
static void put_groups_due(const struct campaign *c, int date, int col, struct buf *out)
{
	size_t at = (size_t)col;
	bool first = true;

	for (size_t g = 0; g < c->ngroups; g++) {
		size_t n = strlen(c->groups[g].id);

		if (!group_due_on(c, g, date))
			continue;
		if (!first && at + 1 + n > 80) {
			buf_printf(out, "\n%*s", col, "");
			at = (size_t)col;
			first = true;
		}
		if (!first) {
			buf_putc(out, ' ');
			at++;
		}
		buf_puts(out, c->groups[g].id);
		at += n;
		first = false;
	}
}

/* Appends one word of n bytes at column *at, wrapping before column 80
 * onto a line indented by indent columns. */
static void put_word(struct buf *out, const char *word, size_t n, size_t indent, size_t *at)
{
	size_t w = columns(word, n);

	if (*at > indent && *at + 1 + w > 80) {
		buf_printf(out, "\n%*s", (int)indent, "");
		*at = indent;
	} else if (*at > indent) {
		buf_putc(out, ' ');
		(*at)++;
	}
	buf_putn(out, word, n);
	*at += w;
}

/* Appends a line "    Nhóm đến hạn: " with the names of the groups whose
 * are due on date (their ids when they have no name), separated by
 * semicolons and wrapped by words before column 80. */
static void put_group_names_due(const struct campaign *c, int date, struct buf *out)
{
	static const char lead[] = "    Nhóm đến hạn:";
	size_t at = columns(lead, strlen(lead)), indent = 6;
	bool first = true;

	buf_puts(out, lead);
	for (size_t g = 0; g < c->ngroups; g++) {
		const char *name = c->groups[g].name && *c->groups[g].name ? c->groups[g].name
									    : c->groups[g].id;
		const char *s = name;

		if (!group_due_on(c, g, date))
			continue;
		if (!first)
			buf_putc(out, ';');
		first = false;
		while (*s) {
			size_t n;

			while (*s == ' ')
				s++;
			n = strcspn(s, " ");
			if (n)
				put_word(out, s, n, indent, &at);
			s += n;
		}
	}
	buf_putc(out, '\n');
}

static void format_en(const struct campaign *c, const struct capacity_row *rows, size_t nrows,
		      struct buf *out)
{
	size_t nshort = 0;

	buf_puts(out, "Capacity check: can the teams serve each deadline's people in time?\n");
	if (nrows == 0) {
		buf_puts(out, "  no demand: nothing to check\n");
		return;
	}
	buf_printf(out, "  %-10s  %8s  %8s  %8s  %8s  %-6s  %s\n", "deadline", "people", "work",
		   "at most", "sessions", "status", "groups due");
	for (size_t r = 0; r < nrows; r++) {
		char date[DATE_TEXT_SIZE];

		date_format(rows[r].deadline, date);
		buf_printf(out, "  %-10s  %8lld  %8.2f  %8.2f  %8lld  %-6s  ", date,
			   rows[r].people, rows[r].load, rows[r].most, rows[r].sessions,
			   rows[r].short_of ? "SHORT" : "ok");
		/* The groups start where the row's 62 columns end. */
		put_groups_due(c, rows[r].deadline, 62, out);
		buf_putc(out, '\n');
		if (rows[r].short_of)
			nshort++;
	}
	buf_puts(out,
		 "  people: demand of every group due by the deadline. work: their expected\n"
		 "  arrivals over the best team capacity for each service, in full day\n"
		 "  sessions. at most: every session the teams could hold from the first\n"
		 "  invitation date to the deadline, in those groups' slot kinds and within\n"
		 "  each team's weekly limit of extra sessions, each worth its share of a\n"
		 "  full day (rule 5). It is an upper bound: \"SHORT\" proves that a deadline\n"
		 "  cannot be met; \"ok\" does not promise that it will be.\n");
	if (nshort)
		buf_printf(out, "  %zu deadline%s cannot be met with these teams.\n", nshort,
			   nshort == 1 ? "" : "s");
}

static void format_vi(const struct campaign *c, const struct capacity_row *rows, size_t nrows,
		      struct buf *out)
{
	static const char *const head[5] = { "số người", "buổi cần", "tối đa", "số phiên",
					     "kết quả" };
	size_t nshort = 0;

	buf_puts(out, "Kiểm tra sức phục vụ: các tổ có kịp làm cho hết số người của từng hạn chót?\n");
	if (nrows == 0) {
		buf_puts(out, "  không có ai cần mời: không có gì để kiểm tra\n");
		return;
	}
	buf_puts(out, "  hạn chót   ");
	for (size_t i = 0; i < 4; i++) {
		buf_putc(out, ' ');
		put_right(out, head[i], 9);
	}
	buf_printf(out, "  %s\n", head[4]);
	for (size_t r = 0; r < nrows; r++) {
		int y, m, d;

		date_to_ymd(rows[r].deadline, &y, &m, &d);
		buf_printf(out, "  %02d/%02d/%04d  %9lld %9.2f %9.2f %9lld  %s\n", d, m, y,
			   rows[r].people, rows[r].load, rows[r].most, rows[r].sessions,
			   rows[r].short_of ? "THIẾU" : "đủ");
		put_group_names_due(c, rows[r].deadline, out);
		if (rows[r].short_of)
			nshort++;
	}
	buf_puts(out,
		 "  số người: số người của mọi nhóm có hạn chót đến ngày đó. buổi cần: số người\n"
		 "  dự kiến đến, chia cho số người một tổ làm được nhiều nhất trong một buổi cả\n"
		 "  ngày với từng loại việc, tính bằng buổi cả ngày. tối đa: mọi phiên các tổ có\n"
		 "  thể tổ chức từ ngày mời sớm nhất đến hạn chót, trong các ca của những nhóm đó\n"
		 "  và trong số phiên ngoài giờ mỗi tuần cho phép của từng tổ, mỗi phiên tính\n"
		 "  bằng phần của nó so với một buổi cả ngày (quy tắc 5). Đây là mức cao nhất có\n"
		 "  thể: \"THIẾU\" nghĩa là chắc chắn không kịp hạn chót; \"đủ\" chưa bảo đảm là\n"
		 "  sẽ kịp.\n");
	if (nshort)
		buf_printf(out, "  Có %zu hạn chót không thể kịp với các tổ hiện có.\n", nshort);
}

void capacity_format(const struct campaign *c, const struct capacity_row *rows, size_t nrows,
		     enum rota_lang lang, struct buf *out)
{
	if (lang == LANG_EN)
		format_en(c, rows, nrows, out);
	else
		format_vi(c, rows, nrows, out);
}
