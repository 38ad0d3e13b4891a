/*
 * Unit tests of repair.c (wplan_complete): dated plans built by hand as a
 * model point's disaggregation leaves them, a person short where every
 * session by their deadline is full. The greedy alone (the completion of
 * old) then serves them late or opens an extra session; wplan_complete
 * moves a less pressed person aside and keeps every level.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_read.h"
#include "date.h"
#include "diag.h"
#include "model.h"
#include "repair.h"
#include "testlib.h"

/* Two weeks from Monday 4 March; one team of 30 people a day at the
 * station (12 an evening), days and evenings, one extra session a week. Pupils due on Wednesday 6
 * March (days), workers (evenings) and the general public (days), all of
 * one village. */
static const char tight[] =
	"{\"format\": \"rota-campaign/1\",\n"
	" \"campaign\": {\"id\": \"tight\", \"name\": \"tight\", \"start\": \"2024-03-04\",\n"
	"   \"end\": \"2024-03-17\", \"timezone\": \"Asia/Ho_Chi_Minh\",\n"
	"   \"organizer\": {\"name\": \"o\", \"email\": \"o@example.vn\"}},\n"
	" \"services\": {\"cccd\": {\"name\": \"CCCD\"}},\n"
	" \"groups\": [\n"
	"  {\"id\": \"exam\", \"name\": \"exam\", \"priority\": 1, \"deadline\": \"2024-03-06\",\n"
	"   \"slots\": [\"day\"]},\n"
	"  {\"id\": \"workers\", \"name\": \"workers\", \"priority\": 1, \"slots\": [\"evening\"]},\n"
	"  {\"id\": \"general\", \"name\": \"general\", \"priority\": 2}],\n"
	" \"sites\": [{\"id\": \"tru-so\", \"name\": \"station\", \"kind\": \"station\",\n"
	"   \"slots\": [\"day\", \"evening\"]}],\n"
	" \"teams\": [{\"id\": \"ca-xa\", \"name\": \"t\", \"base\": \"tru-so\",\n"
	"   \"capacity\": {\"cccd\": 30}, \"slots\": [\"day\", \"evening\"],\n"
	"   \"max_extra_per_week\": 1}],\n"
	" \"units\": [\n"
	"  {\"id\": \"v\", \"name\": \"v\", \"kind\": \"village\", \"site\": \"tru-so\", \"demand\": [\n"
	"   {\"group\": \"exam\", \"service\": \"cccd\", \"count\": 89},\n"
	"   {\"group\": \"workers\", \"service\": \"cccd\", \"count\": 9},\n"
	"   {\"group\": \"general\", \"service\": \"cccd\", \"count\": 22}]}]}\n";

struct setup {
	struct campaign *c;
	struct mcomp *parts;
	size_t nparts;
	const struct mcomp *m;
	size_t exam, workers, general;   /* rows */
	double *old, *now;               /* levels: the greedy alone, wplan_complete */
};

static int day(const char *text)
{
	int d = 0;

	date_parse(text, &d);
	return d;
}

static size_t row_of(const struct mcomp *m, const char *group)
{
	for (size_t r = 0; r < m->nrows; r++)
		if (!strcmp(m->c->groups[m->rows[r].group].id, group))
			return r;
	return (size_t)-1;
}

static bool setup_init(struct setup *s)
{
	struct diags d;

	memset(s, 0, sizeof(*s));
	diags_init(&d, "test");
	if (campaign_read_buffer(&s->c, tight, strlen(tight), &d)) {
		diags_print(&d, stderr);
		s->c = NULL;
	}
	diags_release(&d);
	if (!s->c || mcomp_build_all(s->c, &s->parts, &s->nparts) || s->nparts != 1)
		return false;
	s->m = &s->parts[0];
	s->exam = row_of(s->m, "exam");
	s->workers = row_of(s->m, "workers");
	s->general = row_of(s->m, "general");
	s->old = calloc((size_t)lv_count(s->c->nlevels), sizeof(double));
	s->now = calloc((size_t)lv_count(s->c->nlevels), sizeof(double));
	return s->old && s->now && s->exam < s->m->nrows && s->workers < s->m->nrows &&
	       s->general < s->m->nrows;
}

static void setup_release(struct setup *s)
{
	mcomp_free_all(s->parts, s->nparts);
	campaign_free(s->c);
	free(s->old);
	free(s->now);
}

/* A session of the one team at the station holding the given people. */
static int add(const struct setup *s, struct wplan *w, const char *date, enum slot_kind kind)
{
	return wplan_add(w, 0, s->m->sites[0], day(date), kind, false,
			 session_capacity_share(s->c, s->m->teams[0], s->m->sites[0], kind));
}

static void put(const struct setup *s, struct wplan *w, int si, size_t row, int count)
{
	CHECK(si >= 0);
	if (si >= 0)
		CHECK_INT(wsession_add(&w->s[si], row, count, mcomp_weight(s->m, row, 0)), 0);
}

/* Completes w both ways: the greedy alone on a copy (levels in s->old),
 * wplan_complete on w itself (s->now). */
static void complete_both(struct setup *s, struct wplan *w)
{
	struct wplan alone = { 0 };

	CHECK_INT(wplan_copy(w, &alone), 0);
	CHECK_INT(greedy_fill(s->m, &alone), 0);
	wplan_levels(s->m, &alone, s->old);
	CHECK_INT(wplan_complete(s->m, w), 0);
	wplan_levels(s->m, w, s->now);
	wplan_release(&alone);
}

/* Every session within its share, and everyone served. */
static void check_plan(const struct setup *s, const struct wplan *w)
{
	int people = 0;

	for (size_t i = 0; i < w->n; i++) {
		CHECK(w->s[i].load <= w->s[i].share + MODEL_LOAD_EPS);
		for (size_t j = 0; j < w->s[i].nvisits; j++) {
			CHECK(w->s[i].visits[j].count > 0);
			people += w->s[i].visits[j].count;
		}
	}
	CHECK_INT(people, 89 + 9 + 22);
	(void)s;
}

/* The three days up to the pupils' deadline are full (30 pupils, 30, 28
 * and two of the general public), one pupil is left out, and Thursday's
 * day session has room. No session can be opened in time (pupils come by
 * day, and every day up to Wednesday is taken): the greedy alone serves
 * the pupil on Thursday, after the deadline; wplan_complete moves one of
 * the general public to Thursday and keeps the pupil in time. */
static void test_deadline_kept(void)
{
	struct setup st;
	struct wplan w = { 0 };
	int L, wed, thu;

	CHECK(setup_init(&st));
	L = st.c->nlevels;
	put(&st, &w, add(&st, &w, "2024-03-04", SLOT_DAY), st.exam, 30);
	put(&st, &w, add(&st, &w, "2024-03-05", SLOT_DAY), st.exam, 30);
	wed = add(&st, &w, "2024-03-06", SLOT_DAY);
	put(&st, &w, wed, st.exam, 28);
	put(&st, &w, wed, st.general, 2);
	thu = add(&st, &w, "2024-03-07", SLOT_DAY);
	put(&st, &w, thu, st.general, 20);
	put(&st, &w, add(&st, &w, "2024-03-05", SLOT_EVENING), st.workers, 9);
	complete_both(&st, &w);
	CHECK_INT((int)st.old[lv_deadline(0)], 88 + 9);
	CHECK_INT((int)st.now[lv_deadline(0)], 89 + 9);
	CHECK_INT((int)st.now[lv_deadline(1)], 22);
	CHECK_INT((int)st.now[lv_extra(L)], 1);
	CHECK_INT((int)w.n, 5);
	check_plan(&st, &w);
	wplan_release(&w);
	setup_release(&st);
}

/* Seed 12's case: a worker left out of the week's one evening, which is
 * full of workers and general public who could come by day; a day session
 * has room. The greedy alone opens an evening the next week (an extra
 * session more); wplan_complete moves one of the general public to the
 * day session and the worker into the evening. */
static void test_no_extra_opened(void)
{
	struct setup st;
	struct wplan w = { 0 };
	int L, eve;

	CHECK(setup_init(&st));
	L = st.c->nlevels;
	put(&st, &w, add(&st, &w, "2024-03-04", SLOT_DAY), st.exam, 30);
	put(&st, &w, add(&st, &w, "2024-03-05", SLOT_DAY), st.exam, 30);
	put(&st, &w, add(&st, &w, "2024-03-06", SLOT_DAY), st.exam, 29);
	eve = add(&st, &w, "2024-03-05", SLOT_EVENING);
	put(&st, &w, eve, st.workers, 8);
	put(&st, &w, eve, st.general, 4);
	put(&st, &w, add(&st, &w, "2024-03-07", SLOT_DAY), st.general, 18);
	complete_both(&st, &w);
	CHECK_INT((int)st.old[lv_extra(L)], 2);
	CHECK_INT((int)st.now[lv_extra(L)], 1);
	CHECK_INT((int)st.now[lv_deadline(0)], 89 + 9);
	CHECK_INT((int)w.n, 5);
	check_plan(&st, &w);
	wplan_release(&w);
	setup_release(&st);
}

/* Nothing to place: the plan is left as it was. */
static void test_complete_plan_unchanged(void)
{
	struct setup st;
	struct wplan w = { 0 };
	int eve;

	CHECK(setup_init(&st));
	put(&st, &w, add(&st, &w, "2024-03-04", SLOT_DAY), st.exam, 30);
	put(&st, &w, add(&st, &w, "2024-03-05", SLOT_DAY), st.exam, 30);
	put(&st, &w, add(&st, &w, "2024-03-06", SLOT_DAY), st.exam, 29);
	eve = add(&st, &w, "2024-03-05", SLOT_EVENING);
	put(&st, &w, eve, st.workers, 9);
	put(&st, &w, add(&st, &w, "2024-03-07", SLOT_DAY), st.general, 22);
	complete_both(&st, &w);
	for (int i = 0; i < lv_count(st.c->nlevels); i++)
		CHECK(fabs(st.now[i] - st.old[i]) < 0.5);
	CHECK_INT((int)w.n, 5);
	check_plan(&st, &w);
	wplan_release(&w);
	setup_release(&st);
}

int main(void)
{
	RUN_TEST(test_deadline_kept);
	RUN_TEST(test_no_extra_opened);
	RUN_TEST(test_complete_plan_unchanged);
	return TEST_EXIT();
}
