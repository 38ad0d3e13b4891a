/*
 * Unit tests of solve.c: plans of the fixture and of variants built in C.
 * The rule checks below loop over the plan and use only campaign.h, never
 * the model's code, so that a mistake in the model cannot hide itself.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign_read.h"
#include "date.h"
#include "diag.h"
#include "fixture.h"
#include "solve.h"
#include "testlib.h"

static int day(const char *text)
{
	int d = 0;

	date_parse(text, &d);
	return d;
}

/* Rules 1-6 and the fixed sessions, checked on the plan alone. Returns
 * the number of violations (each one is reported). */
static int check_rules(const struct campaign *c, const struct plan *p)
{
	int bad = 0;
	int *served = NULL;
	size_t nrows = 0, *row_base = NULL;

#define VIOLATION(...)                                       \
	do {                                                 \
		fprintf(stderr, "rule violation: " __VA_ARGS__); \
		fputc('\n', stderr);                         \
		bad++;                                       \
	} while (0)

	row_base = calloc(c->nunits + 1, sizeof(*row_base));
	for (size_t u = 0; u < c->nunits; u++) {
		row_base[u] = nrows;
		nrows += c->units[u].ndemand;
	}
	served = calloc(nrows + 1, sizeof(*served));

	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		const struct team *t = &c->teams[s->team];
		double load = 0.0, share;
		int extra = 0;

		/* Rules 1, 2, 4: the session may be held. */
		if (!session_possible(c, s->team, s->site, s->date, s->slot))
			VIOLATION("session %zu is not possible", i);
		/* Rule 3: one session per team, date and kind; weekly extras. */
		for (size_t j = i + 1; j < p->nsessions; j++)
			if (p->sessions[j].team == s->team && p->sessions[j].date == s->date &&
			    p->sessions[j].slot == s->slot)
				VIOLATION("sessions %zu and %zu: same team, date and slot", i, j);
		if (slot_kind_is_extra(s->slot)) {
			for (size_t j = 0; j < p->nsessions; j++)
				if (p->sessions[j].team == s->team &&
				    slot_kind_is_extra(p->sessions[j].slot) &&
				    date_week_monday(p->sessions[j].date) == date_week_monday(s->date))
					extra++;
			if (extra > t->max_extra_per_week)
				VIOLATION("team %s: %d extra sessions in a week", t->id, extra);
		}
		if (s->nvisits == 0 && !s->fixed)
			VIOLATION("session %zu is empty and not fixed", i);
		/* Rules 2, 5, 6 per visit. */
		for (size_t v = 0; v < s->nvisits; v++) {
			const struct plan_visit *pv = &s->visits[v];
			const struct demand *d = &c->units[pv->unit].demand[pv->demand];
			const struct group *g = &c->groups[d->group];
			int cap = t->capacity[d->service];

			if (pv->count < 1)
				VIOLATION("visit with %d people", pv->count);
			if (cap <= 0) {
				VIOLATION("team %s does not offer the service", t->id);
				continue;
			}
			if (!(g->slots & SLOT_BIT(s->slot)) || s->date < g->from)
				VIOLATION("group %s may not come to session %zu", g->id, i);
			if (!group_may_use_site(c, pv->unit, d->group, s->site))
				VIOLATION("unit %s may not go to site %s", c->units[pv->unit].id,
					  c->sites[s->site].id);
			load += pv->count * g->turnout / cap;
			served[row_base[pv->unit] + pv->demand] += pv->count;
		}
		share = session_capacity_share(c, s->team, s->site, s->slot);
		if (load > share + 1e-9)
			VIOLATION("session %zu: load %.6f over %.6f", i, load, share);
	}
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++)
			if (served[row_base[u] + d] > c->units[u].demand[d].count)
				VIOLATION("unit %s row %zu: %d invited of %d", c->units[u].id, d,
					  served[row_base[u] + d], c->units[u].demand[d].count);
	/* Every fixed session is in the plan, marked fixed. */
	for (size_t f = 0; f < c->nfixed; f++) {
		const struct fixed_session *fx = &c->fixed[f];
		int first = fx->weekly ? fx->from : fx->date, last = fx->weekly ? fx->to : fx->date;

		for (int d = first < c->start ? c->start : first; d <= last && d <= c->end; d++) {
			bool found = false;

			if (fx->weekly && date_weekday(d) != fx->weekday)
				continue;
			if (!session_possible(c, fx->team, fx->site, d, fx->slot))
				continue;
			for (size_t i = 0; i < p->nsessions; i++) {
				const struct plan_session *s = &p->sessions[i];

				if (s->team == fx->team && s->site == fx->site && s->date == d &&
				    s->slot == fx->slot && s->fixed)
					found = true;
			}
			if (!found)
				VIOLATION("fixed session %zu on day %d is missing", f, d);
		}
	}
	/* The record. */
	if (!(p->solver.gap >= 0.0 && p->solver.gap <= 1.0))
		VIOLATION("gap %g", p->solver.gap);
	if (p->solver.nlevels != (size_t)(3 * c->nlevels + 2))
		VIOLATION("%zu levels in the record", p->solver.nlevels);
	for (size_t i = 0; i < p->solver.nlevels; i++)
		if (p->solver.levels[i].gap > p->solver.gap + 1e-12)
			VIOLATION("level %s gap over the total", p->solver.levels[i].name);
	if (p->solver.status == PLAN_OPTIMAL && p->solver.gap > 1e-9)
		VIOLATION("optimal with gap %g", p->solver.gap);
#undef VIOLATION
	free(served);
	free(row_base);
	return bad;
}

static struct plan *solve(const struct campaign *c)
{
	struct solve_options o;
	struct rota_error err = { 0 };
	struct plan *p = NULL;
	int rc;

	solve_options_init(&o);
	/* No time limit: with one, each level's search gets a share of the
	 * clock, and on a loaded machine a share can end before the small
	 * fixture's levels are proven (test_fixture_plan's gaps). */
	o.time_limit = 0;
	o.gap = 0;
	rc = plan_solve(&p, c, &o, &err);
	if (rc)
		fprintf(stderr, "plan_solve: %d %s\n", rc, err.message);
	return p;
}

static int served(const struct plan *p, size_t unit, size_t demand, bool by_deadline)
{
	int planned, by;

	plan_coverage(p, unit, demand, &planned, &by);
	return by_deadline ? by : planned;
}

static const struct plan_level *level(const struct plan *p, const char *name)
{
	for (size_t i = 0; i < p->solver.nlevels; i++)
		if (!strcmp(p->solver.levels[i].name, name))
			return &p->solver.levels[i];
	return NULL;
}

static void test_fixture_plan(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p = solve(c);

	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	CHECK_INT(check_rules(c, p), 0);
	/* There is room for everyone, the exam pupils by their deadline. */
	CHECK_INT(served(p, 0, 0, true), 12);
	CHECK_INT(served(p, 1, 0, true), 48);
	CHECK_INT(served(p, 0, 1, false), 10);
	CHECK_INT(served(p, 0, 2, false), 35);
	CHECK_INT(served(p, 2, 0, false), 20);
	CHECK(level(p, "deadline-p1") != NULL);
	CHECK(level(p, "earliness-p1") != NULL);
	CHECK(level(p, "extra-sessions") && level(p, "extra-sessions")->value >= 1);
	/* Every level but the earliness ones is solved to optimality here; the status
	 * says optimal exactly when no level has a gap. */
	for (size_t i = 0; i < p->solver.nlevels; i++)
		if (strncmp(p->solver.levels[i].name, "earliness-", 10) != 0)
			CHECK(p->solver.levels[i].gap == 0.0);
	CHECK((p->solver.status == PLAN_OPTIMAL) == (p->solver.gap <= 1e-9));
	plan_free(p);
	campaign_free(c);
}

/* One week, day sessions only, more exam pupils than the team can take:
 * every session goes to priority 1, none to priority 2. */
static void test_priority_first(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;
	int exam = 0;

	c->end = day("2024-03-10");
	c->teams[0].slots = SLOT_BIT(SLOT_DAY);
	c->units[1].demand[0].count = 200;
	campaign_finalize(c);
	p = solve(c);
	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	CHECK_INT(check_rules(c, p), 0);
	exam = served(p, 0, 0, true) + served(p, 1, 0, true);
	/* Four workdays (Friday is a holiday), at most 30 cccd a session. */
	CHECK_INT(exam, 120);
	CHECK_INT(served(p, 0, 1, false), 0);
	CHECK_INT(served(p, 0, 2, false), 0);
	CHECK(p->solver.status == PLAN_OPTIMAL);
	plan_free(p);
	campaign_free(c);
}

/* A deadline that cannot be met still gives a plan, and the rest of the
 * group is invited after it. */
static void test_deadline_missed(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;

	c->groups[0].deadline = day("2024-03-04");
	c->units[1].demand[0].count = 100;
	campaign_finalize(c);
	p = solve(c);
	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	CHECK_INT(check_rules(c, p), 0);
	CHECK(served(p, 1, 0, true) + served(p, 0, 0, true) <= 30);
	CHECK(served(p, 1, 0, true) + served(p, 0, 0, true) >= 29);
	CHECK_INT(served(p, 1, 0, false), 100);
	CHECK_INT(served(p, 0, 0, false), 12);
	plan_free(p);
	campaign_free(c);
}

/* Fixed sessions, dated and weekly, are all in the plan, even empty. */
static void test_fixed_sessions(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;
	int nfixed = 0;

	c->fixed = calloc(2, sizeof(*c->fixed));
	c->nfixed = 2;
	c->fixed[0] = (struct fixed_session){ .team = 0, .site = 1, .slot = SLOT_WEEKEND,
					      .date = day("2024-03-16") };
	c->fixed[1] = (struct fixed_session){ .team = 0, .site = 0, .slot = SLOT_DAY,
					      .weekly = true, .weekday = 2,
					      .from = day("2024-03-01"), .to = day("2024-03-31") };
	campaign_finalize(c);
	p = solve(c);
	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	CHECK_INT(check_rules(c, p), 0);
	for (size_t i = 0; i < p->nsessions; i++)
		nfixed += p->sessions[i].fixed;
	CHECK_INT(nfixed, 4); /* 03-16, and Wednesdays 03-06, 03-13, 03-20 */
	CHECK_INT(served(p, 1, 0, true), 48);
	plan_free(p);
	campaign_free(c);
}

/* Workers come only in the evening or at the weekend; with one extra
 * session a week the limit holds and they are still served. */
static void test_weekly_limit(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;

	c->teams[0].max_extra_per_week = 1;
	c->units[2].demand[0].count = 250;
	campaign_finalize(c);
	p = solve(c);
	CHECK(p != NULL);
	if (!p) {
		campaign_free(c);
		return;
	}
	CHECK_INT(check_rules(c, p), 0);
	CHECK(level(p, "extra-sessions") && level(p, "extra-sessions")->value <= 3);
	plan_free(p);
	campaign_free(c);
}

static bool same_plan(const struct plan *a, const struct plan *b)
{
	if (a->nsessions != b->nsessions)
		return false;
	for (size_t i = 0; i < a->nsessions; i++) {
		const struct plan_session *x = &a->sessions[i], *y = &b->sessions[i];

		if (x->team != y->team || x->site != y->site || x->date != y->date ||
		    x->slot != y->slot || x->fixed != y->fixed || x->nvisits != y->nvisits)
			return false;
		for (size_t v = 0; v < x->nvisits; v++)
			if (x->visits[v].unit != y->visits[v].unit ||
			    x->visits[v].demand != y->visits[v].demand ||
			    x->visits[v].count != y->visits[v].count ||
			    x->visits[v].arrive != y->visits[v].arrive ||
			    x->visits[v].until != y->visits[v].until)
				return false;
	}
	for (size_t i = 0; i < a->solver.nlevels; i++)
		if (a->solver.levels[i].value != b->solver.levels[i].value)
			return false;
	return true;
}

/* Without a time limit (the mode that promises the same plan on any
 * machine), with any number of threads: two communes and a district team,
 * so that parts, threads and the shared-team pass all take part. */
static struct plan *solve_counted(const struct campaign *c, int threads)
{
	struct solve_options o;
	struct rota_error err = { 0 };
	struct plan *p = NULL;

	solve_options_init(&o);
	o.time_limit = 0;
	o.threads = threads;
	if (plan_solve(&p, c, &o, &err))
		fprintf(stderr, "plan_solve: %s\n", err.message);
	return p;
}

static void add_commune(struct campaign *c, bool shared);

static void test_deterministic(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *a, *b, *d;

	add_commune(c, true);
	a = solve_counted(c, 1);
	b = solve_counted(c, 1);
	d = solve_counted(c, 4);
	CHECK(a && b && d && same_plan(a, b) && same_plan(a, d));
	if (a)
		CHECK(a->nsessions > 0);
	plan_free(a);
	plan_free(b);
	plan_free(d);
	campaign_free(c);
}

/* Adds a second commune to the fixture: station "tru-so-b" with its own
 * team "ca-b" and village "xom-b" (60 general eid2, 5 exam cccd). With
 * shared, a district team "huyen" based at tru-so also reaches tru-so-b. */
static void add_commune(struct campaign *c, bool shared)
{
	size_t n = c->nsites + 1, old = c->nsites;
	int *travel = malloc(n * n * sizeof(int));

	c->sites = realloc(c->sites, n * sizeof(*c->sites));
	c->sites[old] = (struct site){ .id = strdup("tru-so-b"), .name = strdup("Trụ sở B"),
				       .kind = SITE_STATION, .commune = 1, .slots = SLOT_ALL };
	for (size_t i = 0; i < old; i++)
		c->sites[i].commune = 0;
	c->communes = realloc(c->communes, 2 * sizeof(char *));
	c->communes[0] = strdup("a");
	c->communes[1] = strdup("b");
	c->ncommunes = 2;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			travel[i * n + j] = i == j ? 0 : (i < old && j < old) ? c->travel[i * old + j] : -1;
	if (shared)
		travel[0 * n + old] = travel[old * n + 0] = 20;
	free(c->travel);
	c->travel = travel;
	c->nsites = n;

	c->teams = realloc(c->teams, (c->nteams + 2) * sizeof(*c->teams));
	c->teams[c->nteams] = (struct team){ .id = strdup("ca-b"), .name = strdup("Tổ B"),
					     .base = old, .slots = SLOT_BIT(SLOT_DAY),
					     .officers = 2, .all_communes = false,
					     .max_extra_per_week = 0 };
	c->teams[c->nteams].capacity = calloc(2, sizeof(int));
	c->teams[c->nteams].capacity[0] = 30;
	c->teams[c->nteams].capacity[1] = 70;
	c->teams[c->nteams].communes = calloc(1, sizeof(int));
	c->teams[c->nteams].communes[0] = 1;
	c->teams[c->nteams].ncommunes = 1;
	c->teams[0].all_communes = false;
	c->teams[0].communes = calloc(1, sizeof(int));
	c->teams[0].communes[0] = 0;
	c->teams[0].ncommunes = 1;
	c->nteams++;
	if (shared) {
		c->teams[c->nteams] = (struct team){ .id = strdup("huyen"), .name = strdup("Tổ huyện"),
						     .base = 0, .slots = SLOT_BIT(SLOT_DAY),
						     .officers = 3, .all_communes = true };
		c->teams[c->nteams].capacity = calloc(2, sizeof(int));
		c->teams[c->nteams].capacity[0] = 30;
		c->teams[c->nteams].capacity[1] = 70;
		c->nteams++;
	}

	c->units = realloc(c->units, (c->nunits + 1) * sizeof(*c->units));
	c->units[c->nunits] = (struct unit){ .id = strdup("xom-b"), .name = strdup("Xóm B"),
					     .kind = UNIT_VILLAGE, .site = old, .commune = 1 };
	c->units[c->nunits].ndemand = 2;
	c->units[c->nunits].demand = calloc(2, sizeof(struct demand));
	c->units[c->nunits].demand[0] = (struct demand){ .group = 1, .service = 1, .count = 60 };
	c->units[c->nunits].demand[1] = (struct demand){ .group = 0, .service = 0, .count = 5 };
	c->nunits++;
	campaign_finalize(c);
}

/* Two communes whose teams share nothing: both are planned, each by its
 * own team. */
static void test_independent_communes(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;

	add_commune(c, false);
	p = solve(c);
	CHECK(p != NULL);
	if (p) {
		CHECK_INT(check_rules(c, p), 0);
		CHECK_INT(served(p, 3, 0, false), 60);
		CHECK_INT(served(p, 3, 1, true), 5);
		CHECK_INT(served(p, 1, 0, true), 48);
		for (size_t i = 0; i < p->nsessions; i++)
			CHECK((p->sessions[i].site == 3) == (p->sessions[i].team == 1));
	}
	plan_free(p);
	campaign_free(c);
}

/* A district team that reaches both communes: each commune is planned
 * apart, and the team is never in two places at once. */
static void test_shared_team(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;

	add_commune(c, true);
	/* More than ca-b can do alone before the exam deadline. */
	c->units[3].demand[1].count = 150;
	campaign_finalize(c);
	p = solve(c);
	CHECK(p != NULL);
	if (p) {
		CHECK_INT(check_rules(c, p), 0);
		CHECK_INT(served(p, 3, 1, false), 150);
		CHECK_INT(served(p, 1, 0, true), 48);
	}
	plan_free(p);
	campaign_free(c);
}

/* With a time limit and MPS export, a plan still comes, and the models
 * are written. */
static void test_limits_and_mps(void)
{
	struct campaign *c = fixture_campaign();
	struct solve_options o;
	struct rota_error err = { 0 };
	struct plan *p = NULL;
	char dir[] = "/tmp/rota-test-mps-XXXXXX";
	char path[1024];
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	solve_options_init(&o);
	o.time_limit = 5;
	o.mps_dir = dir;
	CHECK_INT(plan_solve(&p, c, &o, &err), 0);
	CHECK(p != NULL);
	if (p)
		CHECK_INT(check_rules(c, p), 0);
	snprintf(path, sizeof(path), "%s/fixture-2024-part1-coarse-deadline-p1.mps", dir);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	{
		DIR *d = opendir(dir);
		struct dirent *e;

		while (d && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			remove(path);
		}
		if (d)
			closedir(d);
		rmdir(dir);
	}
	plan_free(p);
	campaign_free(c);
}

/* --mps into a directory that is not there fails with its path (it was
 * silent); a link planted under an MPS file's name is replaced, never
 * followed. */
static void test_mps_failures(void)
{
	struct campaign *c = fixture_campaign();
	struct solve_options o;
	struct rota_error err = { 0 };
	struct plan *p = NULL;
	char dir[] = "/tmp/rota-test-mps-XXXXXX";
	char path[1024], victim[1024], text[16] = "";
	struct stat st;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	solve_options_init(&o);
	snprintf(path, sizeof(path), "%s/missing", dir);
	o.mps_dir = path;
	CHECK_INT(plan_solve(&p, c, &o, &err), ROTA_EIO);
	CHECK(p == NULL);
	CHECK(strstr(err.message, path) != NULL);

	snprintf(victim, sizeof(victim), "%s/victim", dir);
	f = fopen(victim, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("keep", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/fixture-2024-part1-coarse-deadline-p1.mps", dir);
	CHECK(symlink(victim, path) == 0);
	o.mps_dir = dir;
	memset(&err, 0, sizeof(err));
	CHECK_INT(plan_solve(&p, c, &o, &err), 0);
	f = fopen(victim, "r");
	CHECK(f && fgets(text, sizeof(text), f));
	if (f)
		fclose(f);
	CHECK_STR(text, "keep");
	CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
	{
		DIR *d = opendir(dir);
		struct dirent *e;

		while (d && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
				continue;
			/* No temporary file is left. */
			CHECK(strstr(e->d_name, ".tmp-") == NULL);
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			remove(path);
		}
		if (d)
			closedir(d);
		rmdir(dir);
	}
	plan_free(p);
	campaign_free(c);
}

/* GLPK out of memory (here over a limit) is out of memory, with GLPK's
 * reason, not "solver failed"; everything is freed (the sanitizer build
 * checks). */
static void test_glpk_out_of_memory(void)
{
	struct campaign *c = NULL;
	struct solve_options o;
	struct rota_error err = { 0 };
	struct plan *p = NULL;
	struct diags d;

	/* The fixture's models fit in GLPK's least limit (1 MB), and so do
	 * small.json's since its closure no longer cuts the periods; this
	 * one's do not. */
	diags_init(&d, "examples/small-lead-home.json");
	CHECK_INT(campaign_read_file(&c, "examples/small-lead-home.json", &d, &err), 0);
	diags_release(&d);
	if (!c)
		return;
	solve_options_init(&o);
	o.glpk_mem_limit = 1;
	CHECK_INT(plan_solve(&p, c, &o, &err), ROTA_ENOMEM);
	CHECK(p == NULL);
	CHECK(strstr(err.message, "out of memory") != NULL);
	CHECK(strstr(err.message, "GLPK") != NULL);
	/* The thread's GLPK is usable again afterwards. */
	o.glpk_mem_limit = 0;
	CHECK_INT(plan_solve(&p, c, &o, &err), 0);
	CHECK(p != NULL);
	plan_free(p);
	campaign_free(c);
}

static void test_no_demand(void)
{
	struct campaign *c = fixture_campaign();
	struct plan *p;

	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++)
			c->units[u].demand[d].count = 0;
	p = solve(c);
	CHECK(p != NULL);
	if (p) {
		CHECK_INT(p->nsessions, 0);
		CHECK(p->solver.status == PLAN_OPTIMAL);
		CHECK_INT(check_rules(c, p), 0);
	}
	plan_free(p);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_fixture_plan);
	RUN_TEST(test_priority_first);
	RUN_TEST(test_deadline_missed);
	RUN_TEST(test_fixed_sessions);
	RUN_TEST(test_weekly_limit);
	RUN_TEST(test_deterministic);
	RUN_TEST(test_no_demand);
	RUN_TEST(test_independent_communes);
	RUN_TEST(test_shared_team);
	RUN_TEST(test_limits_and_mps);
	RUN_TEST(test_mps_failures);
	RUN_TEST(test_glpk_out_of_memory);
	return TEST_EXIT();
}
