/*
 * test_spare.c - the free dive on an idle processor (src/spec.c) gives the
 * plan of one thread: Trung Hoi (one part, where it is taken on
 * person-minutes) planned with one thread, then three times with two in
 * the same process, so that the later calls start their task from a
 * thread whose GLPK generation has moved on (lp_thread_done at the end of
 * each plan_solve).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_read.h"
#include "diag.h"
#include "plan.h"
#include "solve.h"
#include "testlib.h"

/* Counts the free dives taken beside the loop (the debug trace). */
static void count_taken(void *arg, const char *line)
{
	if (strstr(line, "the free dive beside the first: taken"))
		(*(int *)arg)++;
}

static struct plan *solve_threads(const struct campaign *c, int threads, int *taken)
{
	struct solve_options o;
	struct rota_error err = { 0 };
	struct plan *p = NULL;

	solve_options_init(&o);
	o.time_limit = 0;
	o.threads = threads;
	o.on_debug = count_taken;
	o.callback_arg = taken;
	if (plan_solve(&p, c, &o, &err)) {
		fprintf(stderr, "plan_solve: %s\n", err.message);
		return NULL;
	}
	return p;
}

/* Same levels, same sessions. */
static bool same_plan(const struct plan *a, const struct plan *b)
{
	if (a->solver.nlevels != b->solver.nlevels || a->nsessions != b->nsessions)
		return false;
	for (size_t i = 0; i < a->solver.nlevels; i++)
		if (a->solver.levels[i].value != b->solver.levels[i].value ||
		    a->solver.levels[i].bound != b->solver.levels[i].bound)
			return false;
	for (size_t i = 0; i < a->nsessions; i++) {
		const struct plan_session *s = &a->sessions[i], *t = &b->sessions[i];

		if (s->team != t->team || s->site != t->site || s->date != t->date ||
		    s->slot != t->slot || s->nvisits != t->nvisits)
			return false;
	}
	return true;
}

static void test_same_with_two_threads(void)
{
	const char *path = "examples/trung-hoi-2024.json";
	struct campaign *c = NULL;
	struct diags d;
	struct rota_error err;
	struct plan *one, *two;
	int taken = 0;

	diags_init(&d, path);
	CHECK_INT(campaign_read_file(&c, path, &d, &err), 0);
	diags_release(&d);
	if (!c)
		return;
	one = solve_threads(c, 1, &taken);
	CHECK(one != NULL);
	CHECK_INT(taken, 0);
	for (int k = 0; k < 3 && one; k++) {
		taken = 0;
		two = solve_threads(c, 2, &taken);
		CHECK(two != NULL);
		CHECK(taken > 0);
		if (two)
			CHECK(same_plan(one, two));
		plan_free(two);
	}
	plan_free(one);
	campaign_free(c);
}

int main(void)
{
	RUN_TEST(test_same_with_two_threads);
	return TEST_EXIT();
}
