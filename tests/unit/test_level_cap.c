/*
 * Unit tests of the cap on a level's simplex iterations (levels.h,
 * LEVEL_LP_WORK): a plan whose level LPs are cut short is still a valid
 * plan, with those levels unproven (gap 1), while the default cap leaves
 * a small campaign alone. That GLPK's limit counts per call is tested in
 * test_lp.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_read.h"
#include "date.h"
#include "diag.h"
#include "solve.h"
#include "testlib.h"

struct trace {
	int capped, solved;
};

static void on_debug(void *arg, const char *line)
{
	struct trace *t = arg;

	if (strstr(line, ": capped"))
		t->capped++;
	else if (strstr(line, ": lp ") && strstr(line, " it of "))
		t->solved++;
}

/* Rules 2, 4, 5 and 6, from the plan and the campaign alone. */
static int check_rules(const struct campaign *c, const struct plan *p)
{
	int bad = 0;

	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		const struct team *t = &c->teams[s->team];
		double load = 0.0;

		if (!session_possible(c, s->team, s->site, s->date, s->slot))
			bad++;
		for (size_t j = i + 1; j < p->nsessions; j++)
			if (p->sessions[j].team == s->team && p->sessions[j].date == s->date &&
			    p->sessions[j].slot == s->slot)
				bad++;
		for (size_t v = 0; v < s->nvisits; v++) {
			const struct plan_visit *pv = &s->visits[v];
			const struct demand *d = &c->units[pv->unit].demand[pv->demand];

			if (t->capacity[d->service] <= 0 ||
			    !group_may_use_site(c, pv->unit, d->group, s->site)) {
				bad++;
				continue;
			}
			load += pv->count * c->groups[d->group].turnout / t->capacity[d->service];
		}
		if (load > session_capacity_share(c, s->team, s->site, s->slot) + 1e-9)
			bad++;
	}
	for (size_t u = 0; u < c->nunits; u++)
		for (size_t d = 0; d < c->units[u].ndemand; d++) {
			int planned, by;

			plan_coverage(p, u, d, &planned, &by);
			if (planned > c->units[u].demand[d].count || by > planned)
				bad++;
		}
	return bad;
}

static struct plan *plan_with(const struct campaign *c, double lp_work, struct trace *t)
{
	struct solve_options o;
	struct rota_error err = { 0 };
	struct plan *p = NULL;

	solve_options_init(&o);
	o.lp_work = lp_work;
	o.on_debug = on_debug;
	o.callback_arg = t;
	CHECK_INT(plan_solve(&p, c, &o, &err), 0);
	return p;
}

/* With a cap of one iteration x row (so one simplex iteration a level),
 * the level LPs stop short: the run ends with a valid plan, the levels it
 * could not prove at gap 1, everyone the plan had still invited. With the
 * default cap nothing is capped. */
static void test_capped_plan(void)
{
	struct campaign *c = NULL;
	struct rota_error err = { 0 };
	struct trace full = { 0 }, capped = { 0 };
	struct plan *a, *b;
	struct diags d;
	int unproven = 0;

	diags_init(&d, "examples/small.json");
	CHECK_INT(campaign_read_file(&c, "examples/small.json", &d, &err), 0);
	diags_release(&d);
	if (!c)
		return;
	a = plan_with(c, 0.0, &full);
	b = plan_with(c, 1.0, &capped);
	CHECK(a != NULL);
	CHECK(b != NULL);
	if (a && b) {
		CHECK_INT(full.capped, 0);
		CHECK(full.solved > 0);
		CHECK(capped.capped > 0);
		CHECK_INT(check_rules(c, a), 0);
		CHECK_INT(check_rules(c, b), 0);
		CHECK_INT(a->solver.nlevels, b->solver.nlevels);
		for (size_t i = 0; i < b->solver.nlevels; i++)
			if (b->solver.levels[i].gap == 1.0)
				unproven++;
		CHECK(unproven > 0);
		CHECK(b->solver.gap == 1.0);
		CHECK(b->solver.status != PLAN_OPTIMAL);
	}
	plan_free(a);
	plan_free(b);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_capped_plan);
	return TEST_EXIT();
}
