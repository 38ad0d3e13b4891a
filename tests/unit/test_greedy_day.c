/*
 * Unit tests of greedy_day.c: every greedy plan keeps rules 1-6 (checked
 * here with campaign.h alone, not with the greedy's own helpers), the
 * better-of-all choice of greedy_best follows the comparison it is given,
 * and on a campaign where the row-driven greedy leaves people short of
 * their deadline, the plan kept is the day-driven one that serves them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_read.h"
#include "date.h"
#include "diag.h"
#include "greedy_day.h"
#include "model.h"
#include "testlib.h"

/* Rules 1-6 on the many things at once: an evening-only and a
 * holiday-only group against a weekly limit of one extra session, an
 * exam group due early that may only come at its own school, a group
 * with a `from` date, an `at` list, two teams with different quotas and
 * slot lists, unavailable days, a closed station, a team kept to one
 * commune, a dated and a weekly fixed session, and more people than the
 * teams can take, so that every slot is wanted. */
static const char rich[] =
	"{\"format\": \"rota-campaign/1\",\n"
	" \"campaign\": {\"id\": \"gd\", \"name\": \"gd\", \"start\": \"2024-03-04\",\n"
	"   \"end\": \"2024-03-17\", \"timezone\": \"Asia/Ho_Chi_Minh\",\n"
	"   \"organizer\": {\"name\": \"o\", \"email\": \"o@example.vn\"}},\n"
	" \"calendar\": {\"workdays\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"],\n"
	"   \"holidays\": [\"2024-03-08\", \"2024-03-15\"]},\n"
	" \"services\": {\"cccd\": {\"name\": \"CCCD\"}, \"eid2\": {\"name\": \"eID\"}},\n"
	" \"groups\": [\n"
	"  {\"id\": \"exam\", \"name\": \"exam\", \"priority\": 1, \"deadline\": \"2024-03-07\",\n"
	"   \"slots\": [\"day\"], \"at\": [\"own\"], \"turnout\": 0.9},\n"
	"  {\"id\": \"policy\", \"name\": \"policy\", \"priority\": 2, \"from\": \"2024-03-11\"},\n"
	"  {\"id\": \"workers\", \"name\": \"workers\", \"priority\": 4, \"slots\": [\"evening\"],\n"
	"   \"turnout\": 0.85},\n"
	"  {\"id\": \"migrants\", \"name\": \"migrants\", \"priority\": 3, \"slots\": [\"holiday\"],\n"
	"   \"at\": [\"tru-so\", \"nvh-a\"]},\n"
	"  {\"id\": \"general\", \"name\": \"general\", \"priority\": 5, \"turnout\": 0.95}],\n"
	" \"sites\": [\n"
	"  {\"id\": \"tru-so\", \"name\": \"station\", \"kind\": \"station\", \"commune\": \"x\",\n"
	"   \"slots\": [\"day\", \"evening\", \"weekend\", \"holiday\"], \"closed\": [\"2024-03-12\"]},\n"
	"  {\"id\": \"nvh-a\", \"name\": \"a\", \"kind\": \"hall\", \"commune\": \"x\"},\n"
	"  {\"id\": \"nvh-b\", \"name\": \"b\", \"kind\": \"hall\", \"commune\": \"x\",\n"
	"   \"slots\": [\"day\", \"evening\"]},\n"
	"  {\"id\": \"nvh-c\", \"name\": \"c\", \"kind\": \"hall\", \"commune\": \"y\"},\n"
	"  {\"id\": \"thcs\", \"name\": \"school\", \"kind\": \"school\", \"commune\": \"x\",\n"
	"   \"slots\": [\"day\"]}],\n"
	" \"travel\": [[\"tru-so\", \"nvh-a\", 15], [\"tru-so\", \"nvh-b\", 20], [\"tru-so\", \"nvh-c\", 40],\n"
	"   [\"tru-so\", \"thcs\", 5], [\"nvh-a\", \"nvh-b\", 10]],\n"
	" \"teams\": [\n"
	"  {\"id\": \"ca-xa\", \"name\": \"t1\", \"base\": \"tru-so\",\n"
	"   \"capacity\": {\"cccd\": 30, \"eid2\": 70},\n"
	"   \"slots\": [\"day\", \"evening\", \"weekend\", \"holiday\"], \"max_extra_per_week\": 1,\n"
	"   \"unavailable\": [\"2024-03-06\"]},\n"
	"  {\"id\": \"ca-huyen\", \"name\": \"t2\", \"base\": \"tru-so\", \"communes\": [\"x\"],\n"
	"   \"capacity\": {\"cccd\": 25},\n"
	"   \"slots\": [\"day\", \"evening\"], \"max_extra_per_week\": 2,\n"
	"   \"unavailable\": [\"2024-03-11/2024-03-13\"]}],\n"
	" \"fixed\": [{\"team\": \"ca-xa\", \"site\": \"nvh-c\", \"slot\": \"day\", \"date\": \"2024-03-05\"},\n"
	"   {\"team\": \"ca-huyen\", \"site\": \"nvh-b\", \"slot\": \"evening\", \"weekday\": \"thu\"}],\n"
	" \"units\": [\n"
	"  {\"id\": \"a\", \"name\": \"a\", \"kind\": \"village\", \"site\": \"nvh-a\", \"demand\": [\n"
	"   {\"group\": \"policy\", \"service\": \"cccd\", \"count\": 9},\n"
	"   {\"group\": \"workers\", \"service\": \"eid2\", \"count\": 140},\n"
	"   {\"group\": \"migrants\", \"service\": \"cccd\", \"count\": 25},\n"
	"   {\"group\": \"general\", \"service\": \"cccd\", \"count\": 260},\n"
	"   {\"group\": \"general\", \"service\": \"eid2\", \"count\": 80}]},\n"
	"  {\"id\": \"b\", \"name\": \"b\", \"kind\": \"village\", \"site\": \"nvh-b\", \"demand\": [\n"
	"   {\"group\": \"workers\", \"service\": \"cccd\", \"count\": 30},\n"
	"   {\"group\": \"migrants\", \"service\": \"eid2\", \"count\": 12},\n"
	"   {\"group\": \"general\", \"service\": \"cccd\", \"count\": 270}]},\n"
	"  {\"id\": \"c\", \"name\": \"c\", \"kind\": \"village\", \"site\": \"nvh-c\", \"demand\": [\n"
	"   {\"group\": \"policy\", \"service\": \"eid2\", \"count\": 6},\n"
	"   {\"group\": \"general\", \"service\": \"cccd\", \"count\": 50}]},\n"
	"  {\"id\": \"s\", \"name\": \"s\", \"kind\": \"school\", \"site\": \"thcs\", \"demand\": [\n"
	"   {\"group\": \"exam\", \"service\": \"cccd\", \"count\": 70},\n"
	"   {\"group\": \"general\", \"service\": \"eid2\", \"count\": 20}]}]}\n";

/* Eight villages of 10 people due by the end of four days, one team of
 * 30 a day; each village may come to its own hall or to the station.
 * The row-driven greedy opens a session in each village's own hall
 * first, one village a day (40 people); the day walk holds every session
 * at the station and fills it from three villages (all 80). */
static const char spread[] =
	"{\"format\": \"rota-campaign/1\",\n"
	" \"campaign\": {\"id\": \"spread\", \"name\": \"spread\", \"start\": \"2024-03-04\",\n"
	"   \"end\": \"2024-03-07\", \"timezone\": \"Asia/Ho_Chi_Minh\",\n"
	"   \"organizer\": {\"name\": \"o\", \"email\": \"o@example.vn\"}},\n"
	" \"services\": {\"cccd\": {\"name\": \"CCCD\"}},\n"
	" \"groups\": [{\"id\": \"general\", \"name\": \"general\", \"priority\": 1}],\n"
	" \"sites\": [{\"id\": \"tru-so\", \"name\": \"station\", \"kind\": \"station\"},\n"
	"   {\"id\": \"h1\", \"name\": \"h1\", \"kind\": \"hall\"}, {\"id\": \"h2\", \"name\": \"h2\", \"kind\": \"hall\"},\n"
	"   {\"id\": \"h3\", \"name\": \"h3\", \"kind\": \"hall\"}, {\"id\": \"h4\", \"name\": \"h4\", \"kind\": \"hall\"},\n"
	"   {\"id\": \"h5\", \"name\": \"h5\", \"kind\": \"hall\"}, {\"id\": \"h6\", \"name\": \"h6\", \"kind\": \"hall\"},\n"
	"   {\"id\": \"h7\", \"name\": \"h7\", \"kind\": \"hall\"}, {\"id\": \"h8\", \"name\": \"h8\", \"kind\": \"hall\"}],\n"
	" \"travel\": [[\"tru-so\", \"h1\", 10], [\"tru-so\", \"h2\", 10], [\"tru-so\", \"h3\", 10],\n"
	"   [\"tru-so\", \"h4\", 10], [\"tru-so\", \"h5\", 10], [\"tru-so\", \"h6\", 10],\n"
	"   [\"tru-so\", \"h7\", 10], [\"tru-so\", \"h8\", 10]],\n"
	" \"teams\": [{\"id\": \"ca-xa\", \"name\": \"t\", \"base\": \"tru-so\", \"capacity\": {\"cccd\": 30}}],\n"
	" \"units\": [\n"
	"  {\"id\": \"v1\", \"name\": \"v1\", \"kind\": \"village\", \"site\": \"h1\", \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]},\n"
	"  {\"id\": \"v2\", \"name\": \"v2\", \"kind\": \"village\", \"site\": \"h2\", \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]},\n"
	"  {\"id\": \"v3\", \"name\": \"v3\", \"kind\": \"village\", \"site\": \"h3\", \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]},\n"
	"  {\"id\": \"v4\", \"name\": \"v4\", \"kind\": \"village\", \"site\": \"h4\", \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]},\n"
	"  {\"id\": \"v5\", \"name\": \"v5\", \"kind\": \"village\", \"site\": \"h5\", \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]},\n"
	"  {\"id\": \"v6\", \"name\": \"v6\", \"kind\": \"village\", \"site\": \"h6\", \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]},\n"
	"  {\"id\": \"v7\", \"name\": \"v7\", \"kind\": \"village\", \"site\": \"h7\", \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]},\n"
	"  {\"id\": \"v8\", \"name\": \"v8\", \"kind\": \"village\", \"site\": \"h8\", \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]}]}\n";

static struct campaign *read_text(const char *text)
{
	struct campaign *c = NULL;
	struct diags d;

	diags_init(&d, "test");
	if (campaign_read_buffer(&c, text, strlen(text), &d)) {
		diags_print(&d, stderr);
		c = NULL;
	}
	diags_release(&d);
	return c;
}

static struct campaign *read_path(const char *path)
{
	struct campaign *c = NULL;
	struct diags d;
	struct rota_error err;

	diags_init(&d, path);
	if (campaign_read_file(&c, path, &d, &err)) {
		diags_print(&d, stderr);
		c = NULL;
	}
	diags_release(&d);
	return c;
}

#define VIOLATION(...)                                           \
	do {                                                     \
		fprintf(stderr, "rule violation: " __VA_ARGS__); \
		fputc('\n', stderr);                             \
		bad++;                                           \
	} while (0)

/* Rules 1-6 and the fixed sessions of part m in w, with campaign.h only.
 * Returns the number of violations (each one is reported). */
static int check_wplan(const struct mcomp *m, const struct wplan *w)
{
	const struct campaign *c = m->c;
	int bad = 0;
	int *served = calloc(m->nrows + 1, sizeof(int));

	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];
		size_t ct = m->teams[s->team];
		double load = 0.0;
		int extra = 0, monday = date_week_monday(s->date), fixed_extra = 0;

		/* Rules 1, 2, 4 (a fixed session is held whatever they say). */
		if (!s->fixed && !session_possible(c, ct, s->site, s->date, s->kind))
			VIOLATION("session %zu is not possible", i);
		if (s->date < c->start || s->date > c->end)
			VIOLATION("session %zu outside the campaign", i);
		/* Rule 3: one session per team, date and kind; weekly extras. */
		for (size_t j = 0; j < w->n; j++) {
			const struct wsession *o = &w->s[j];

			if (j != i && o->team == s->team && o->date == s->date && o->kind == s->kind)
				VIOLATION("sessions %zu and %zu share team, date and kind", i, j);
			if (o->team == s->team && slot_kind_is_extra(o->kind) &&
			    date_week_monday(o->date) == monday) {
				extra++;
				fixed_extra += o->fixed;
			}
		}
		if (!s->fixed && slot_kind_is_extra(s->kind) &&
		    extra > c->teams[ct].max_extra_per_week && extra > fixed_extra)
			VIOLATION("team %s holds %d extra sessions in the week of session %zu",
				  c->teams[ct].id, extra, i);
		if (s->share != session_capacity_share(c, ct, s->site, s->kind))
			VIOLATION("session %zu has share %g", i, s->share);
		/* Rules 2, 5, 6: who comes and how much of the session they take. */
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct mrow *r = &m->rows[s->visits[j].row];
			const struct demand *dm = &c->units[r->unit].demand[r->demand];

			if (s->visits[j].count <= 0)
				VIOLATION("session %zu: a visit of %d", i, s->visits[j].count);
			if (!visit_allowed(c, r->unit, r->demand, ct, s->site, s->date, s->kind) ||
			    !group_may_use_site(c, r->unit, dm->group, s->site))
				VIOLATION("session %zu: unit %s group %s may not come", i,
					  c->units[r->unit].id, c->groups[dm->group].id);
			load += s->visits[j].count *
				campaign_person_load(c, dm->group, dm->service, ct);
			served[s->visits[j].row] += s->visits[j].count;
		}
		if (load > s->share + 1e-9)
			VIOLATION("session %zu: load %g over %g", i, load, s->share);
	}
	for (size_t r = 0; r < m->nrows; r++) {
		const struct mrow *row = &m->rows[r];

		if (served[r] > c->units[row->unit].demand[row->demand].count)
			VIOLATION("row %zu served %d times", r, served[r]);
	}
	for (size_t f = 0; f < m->nfixed; f++) {
		bool found = false;

		for (size_t i = 0; i < w->n && !found; i++)
			found = w->s[i].fixed && w->s[i].team == m->fixed[f].team &&
				w->s[i].site == m->fixed[f].site && w->s[i].date == m->fixed[f].date &&
				w->s[i].kind == m->fixed[f].kind;
		if (!found)
			VIOLATION("fixed session %zu is missing", f);
	}
	free(served);
	return bad;
}

/* The test's own lexicographic order of the levels: < 0 when a is
 * better (maximised levels first, as rule 7 has them). */
static int lex_cmp(const struct campaign *c, const double *a, const double *b)
{
	char name[48];

	for (int i = 0; i < lv_count(c->nlevels); i++) {
		bool maximise = lv_describe(c, i, name, sizeof(name));

		if (fabs(a[i] - b[i]) > 0.5)
			return (maximise ? a[i] > b[i] : a[i] < b[i]) ? -1 : 1;
	}
	return 0;
}

static int lex_cmp_reversed(const struct campaign *c, const double *a, const double *b)
{
	return -lex_cmp(c, a, b);
}

static const char *const example_paths[] = {
	"examples/small.json", "examples/small-lead-home.json", "examples/trung-hoi-2024.json",
	"examples/diem-mac-2024.json", "examples/trung-hoi-2024-may-second-team.json",
};

static struct campaign *campaign_no(size_t i)
{
	if (i == 0)
		return read_text(rich);
	if (i == 1)
		return read_text(spread);
	return read_path(example_paths[i - 2]);
}

enum { NCAMPAIGNS = 2 + sizeof(example_paths) / sizeof(example_paths[0]) };

/* The levels of each greedy alone on part m, into v[k * nlv]; each plan's
 * rules checked. */
static void each_greedy(const struct mcomp *m, double *v, int nlv)
{
	for (int k = 0; k < GREEDY_KINDS; k++) {
		struct wplan w = { 0 };

		CHECK_INT(wplan_place_fixed(m, &w), 0);
		if (k == GREEDY_ROWS)
			CHECK_INT(greedy_fill(m, &w), 0);
		else
			CHECK_INT(greedy_day_fill(m, &w, (unsigned)(k - GREEDY_DAYS)), 0);
		if (check_wplan(m, &w))
			fprintf(stderr, "  (%s, part of %zu rows, greedy %d)\n", m->c->id, m->nrows, k);
		CHECK_INT(check_wplan(m, &w), 0);
		wplan_levels(m, &w, v + (size_t)k * (size_t)nlv);
		wplan_release(&w);
	}
}

/* Every greedy keeps rules 1-6 on every campaign; greedy_best keeps the
 * plan its comparison prefers (the first on a tie), says which, gives its
 * levels, and keeps rules 1-6 too. */
static void test_greedy_rules_and_choice(void)
{
	for (size_t ci = 0; ci < NCAMPAIGNS; ci++) {
		struct campaign *c = campaign_no(ci);
		struct mcomp *parts = NULL;
		size_t np = 0;
		int nlv;

		CHECK(c != NULL);
		if (!c)
			continue;
		nlv = lv_count(c->nlevels);
		CHECK_INT(mcomp_build_all(c, &parts, &np), 0);
		for (size_t p = 0; p < np; p++) {
			const struct mcomp *m = &parts[p];
			double *v = calloc((size_t)(GREEDY_KINDS + 2) * (size_t)nlv, sizeof(double));
			double *got = v + (size_t)GREEDY_KINDS * (size_t)nlv, *again = got + nlv;
			int best = 0, worst = 0;

			each_greedy(m, v, nlv);
			for (int k = 1; k < GREEDY_KINDS; k++) {
				if (lex_cmp(c, v + (size_t)k * (size_t)nlv, v + (size_t)best * (size_t)nlv) < 0)
					best = k;
				if (lex_cmp(c, v + (size_t)k * (size_t)nlv, v + (size_t)worst * (size_t)nlv) > 0)
					worst = k;
			}
			for (int pass = 0; pass < 2; pass++) {
				struct wplan w = { 0 };
				enum greedy_kind kept = GREEDY_KINDS;
				int want = pass ? worst : best;

				CHECK_INT(wplan_place_fixed(m, &w), 0);
				CHECK_INT(greedy_best(m, &w, pass ? lex_cmp_reversed : lex_cmp, got, &kept), 0);
				CHECK_INT(kept, want);
				CHECK_INT(check_wplan(m, &w), 0);
				wplan_levels(m, &w, again);
				for (int i = 0; i < nlv; i++) {
					CHECK(got[i] == again[i]);
					CHECK(got[i] == v[(size_t)want * (size_t)nlv + (size_t)i]);
				}
				wplan_release(&w);
			}
			free(v);
		}
		mcomp_free_all(parts, np);
		campaign_free(c);
	}
}

/* Where the row-driven greedy leaves people short of their deadline and
 * a day walk serves them all, the first plan is the day walk's. */
static void test_day_walk_kept(void)
{
	struct campaign *c = read_text(spread);
	struct mcomp *parts = NULL;
	size_t np = 0;
	struct wplan rows = { 0 }, best = { 0 };
	double vr[16], vb[16];
	enum greedy_kind kept = GREEDY_ROWS;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_INT(c->nlevels, 1);
	CHECK_INT(mcomp_build_all(c, &parts, &np), 0);
	CHECK_INT(np, 1);
	CHECK_INT(greedy_fill(&parts[0], &rows), 0);
	wplan_levels(&parts[0], &rows, vr);
	CHECK_INT(greedy_best(&parts[0], &best, lex_cmp, vb, &kept), 0);
	CHECK_INT(vr[lv_deadline(0)], 40);
	CHECK_INT(vb[lv_deadline(0)], 80);
	CHECK(kept != GREEDY_ROWS);
	CHECK_INT(check_wplan(&parts[0], &best), 0);
	wplan_release(&rows);
	wplan_release(&best);
	mcomp_free_all(parts, np);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_greedy_rules_and_choice);
	RUN_TEST(test_day_walk_kept);
	return TEST_EXIT();
}
