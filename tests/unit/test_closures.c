/*
 * test_closures.c - site closures inside the coarse model's periods
 * (docs/model.md, sections 2 and 4): the matching that dates sessions
 * (slot_match.c) against an exhaustive search, and the model's team rows
 * against it: a vector of sessions per cell keeps every team row exactly
 * when the sessions can be given distinct dates their sites are open on,
 * within the weekly extra limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fixture.h"
#include "model.h"
#include "model_impl.h"
#include "slot_match.h"
#include "testlib.h"

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	return testlib_rnd(&rng_state, n);
}

/* A small instance: fits[b][j], week[j] (-1 or a room), room[r]. */
enum { MB = 6, MS = 7, MR = 2 };
struct inst {
	int nb, ns;
	bool fits[MB][MS];
	int week[MS], room[MR];
};

static bool inst_fits(void *ctx, int b, int j)
{
	return ((const struct inst *)ctx)->fits[b][j];
}

/* Whether sessions b.. can all be placed, by trying every slot. */
static bool exhaustive(const struct inst *in, int b, bool *used, int *room)
{
	if (b == in->nb)
		return true;
	for (int j = 0; j < in->ns; j++) {
		int r = in->week[j];

		if (used[j] || !in->fits[b][j] || (r >= 0 && room[r] == 0))
			continue;
		used[j] = true;
		if (r >= 0)
			room[r]--;
		if (exhaustive(in, b + 1, used, room)) {
			used[j] = false;
			if (r >= 0)
				room[r]++;
			return true;
		}
		used[j] = false;
		if (r >= 0)
			room[r]++;
	}
	return false;
}

/* Places every session of in; returns how many got a slot, and checks
 * that the slots are distinct, fit and keep the rooms. */
static int place_all(const struct inst *in)
{
	int holder[MS], slot_of[MB], room[MR], placed = 0, used[MR] = { 0 };
	unsigned char seen_slot[MS], seen_room[MR];
	struct slot_match sm = { .nslots = in->ns, .week = in->week, .room = room, .holder = holder,
				 .slot_of = slot_of, .fits = inst_fits, .ctx = (void *)in,
				 .seen_slot = seen_slot, .seen_room = seen_room, .nrooms = MR };

	memcpy(room, in->room, sizeof(room));
	for (int j = 0; j < in->ns; j++)
		holder[j] = -1;
	for (int b = 0; b < in->nb; b++)
		placed += slot_match_place(&sm, b);
	for (int b = 0; b < in->nb; b++) {
		int j = slot_of[b];

		if (j < 0)
			continue;
		CHECK(in->fits[b][j]);
		CHECK_INT(holder[j], b);
		if (in->week[j] >= 0)
			used[in->week[j]]++;
	}
	for (int r = 0; r < MR; r++) {
		CHECK(used[r] <= in->room[r]);
		CHECK_INT(room[r], in->room[r] - used[r]);
	}
	return placed;
}

/* The case a greedy loses: the first session takes the day the second
 * needs; then random instances against the exhaustive search. */
static void test_slot_match(void)
{
	struct inst in = { .nb = 3, .ns = 3, .week = { -1, -1, -1 } };
	int ok = 0, short_ = 0;

	/* Session 0 (site B) fits days 1 and 2, sessions 1 and 2 (site A)
	 * days 0 and 1: B first takes day 1, A's second then needs a path. */
	in.fits[0][1] = in.fits[0][2] = true;
	in.fits[1][0] = in.fits[1][1] = in.fits[2][0] = in.fits[2][1] = true;
	CHECK_INT(place_all(&in), 3);
	/* The same through a full week: day 0 and 1 share a room of 1. */
	in.week[0] = in.week[1] = 0;
	in.room[0] = 1;
	CHECK_INT(place_all(&in), 2);
	for (int t = 0; t < 4000; t++) {
		bool used[MS] = { false };
		int room[MR];

		memset(&in, 0, sizeof(in));
		in.nb = 1 + (int)rnd(MB);
		in.ns = 1 + (int)rnd(MS);
		for (int r = 0; r < MR; r++)
			in.room[r] = (int)rnd(3);
		for (int j = 0; j < in.ns; j++)
			in.week[j] = (int)rnd(MR + 1) - 1;
		for (int b = 0; b < in.nb; b++)
			for (int j = 0; j < in.ns; j++)
				in.fits[b][j] = rnd(3) > 0;
		memcpy(room, in.room, sizeof(room));
		if (exhaustive(&in, 0, used, room)) {
			ok++;
			CHECK_INT(place_all(&in), in.nb);
		} else {
			short_++;
			CHECK(place_all(&in) < in.nb);
		}
	}
	CHECK(ok > 500 && short_ > 500);
}

static void close_site(struct campaign *c, const char *id, const char *first, const char *last)
{
	for (size_t s = 0; s < c->nsites; s++) {
		struct date_ranges *r = &c->sites[s].closed;

		if (strcmp(c->sites[s].id, id))
			continue;
		r->items = realloc(r->items, (r->count + 1) * sizeof(*r->items));
		CHECK(r->items != NULL);
		CHECK_INT(date_parse(first, &r->items[r->count].first), 0);
		CHECK_INT(date_parse(last, &r->items[r->count].last), 0);
		r->count++;
	}
}

/* The rows of mo whose entries are all +1 on session columns: the team
 * rows (one session per date and kind, the weekly limit). */
static bool *team_rows(const struct model *mo)
{
	bool *is = malloc((size_t)mo->nrows + 1);
	bool *ycol = calloc((size_t)mo->ncols + 1, 1);

	for (int i = 0; i < mo->ncells; i++)
		ycol[mo->cells[i].col] = true;
	for (int r = 0; r < mo->nrows; r++)
		is[r] = mo->sense[r] == 'L';
	for (size_t e = 0; e < mo->nents; e++)
		if (!ycol[mo->ents[e].col] || mo->ents[e].val != 1.0)
			is[mo->ents[e].row] = false;
	free(ycol);
	return is;
}

/* What slot_match asks: cell of each session, and the slots' dates and
 * kinds. */
struct dating {
	const struct mcomp *m;
	const struct model *mo;
	const int *cell_of_bin, *date, *kind;
};

static bool dating_fits(void *ctx, int b, int j)
{
	const struct dating *dt = ctx;
	const struct mcell *cl = &dt->mo->cells[dt->cell_of_bin[b]];

	return (int)cl->kind == dt->kind[j] && dt->date[j] >= dt->mo->periods[cl->period].first &&
	       dt->date[j] <= dt->mo->periods[cl->period].last &&
	       session_possible(dt->m->c, dt->m->teams[cl->team], cl->site, dt->date[j], cl->kind);
}

/* Whether y (sessions per cell of team 0) can be dated. */
static bool datable(const struct mcomp *m, const struct model *mo, const int *y)
{
	const struct campaign *c = m->c;
	unsigned char *fk = free_kinds(m);
	int *room = week_room(m);
	int nslots = 0, nb = 0, *date = malloc(sizeof(int) * (size_t)c->ndays * SLOT_COUNT);
	int *kind = malloc(sizeof(int) * (size_t)c->ndays * SLOT_COUNT);
	int *week = malloc(sizeof(int) * (size_t)c->ndays * SLOT_COUNT);
	int *holder = malloc(sizeof(int) * (size_t)c->ndays * SLOT_COUNT);
	unsigned char *seen = malloc((size_t)c->ndays * SLOT_COUNT), *seen_r = malloc((size_t)m->nweeks);
	int *cell_of_bin = malloc(sizeof(int) * 256), *slot_of = malloc(sizeof(int) * 256);
	struct dating dt = { .m = m, .mo = mo, .cell_of_bin = cell_of_bin, .date = date, .kind = kind };
	struct slot_match sm = { .week = week, .room = room, .holder = holder, .slot_of = slot_of,
				 .fits = dating_fits, .ctx = &dt, .seen_slot = seen, .seen_room = seen_r,
				 .nrooms = m->nweeks };
	bool all = true;

	for (int k = 0; k < SLOT_COUNT; k++)
		for (int d = c->start; d <= c->end; d++)
			if (fk[d - c->start] & SLOT_BIT(k)) {
				date[nslots] = d;
				kind[nslots] = k;
				week[nslots] = slot_kind_is_extra((enum slot_kind)k) ? week_of(m, d) : -1;
				holder[nslots++] = -1;
			}
	sm.nslots = nslots;
	for (int i = 0; i < mo->ncells; i++)
		for (int n = 0; n < y[i] && nb < 256; n++)
			cell_of_bin[nb++] = i;
	for (int b = 0; b < nb && all; b++)
		all = slot_match_place(&sm, b);
	free(fk);
	free(room);
	free(date);
	free(kind);
	free(week);
	free(holder);
	free(seen);
	free(seen_r);
	free(cell_of_bin);
	free(slot_of);
	return all;
}

/* Random session vectors of the coarse model of a campaign whose
 * closures overlap inside its periods: every team row holds exactly when
 * the sessions can be dated. With one_block, every deadline is moved to
 * the end: one block of three whole weeks (the weekly limit's rows);
 * else the deadline 2024-03-15 cuts the second week into pieces. */
static void team_rows_exact(bool one_block)
{
	struct campaign *c = fixture_campaign();
	struct mcomp *parts = NULL;
	size_t nparts = 0;
	struct model mo, fine;
	int kept = 0, broken = 0;

	CHECK(c != NULL);
	/* In the block, a site closed most of a week has fewer evenings
	 * there than the team's weekly limit (2). Overlapping closures of
	 * two sites, and one of the third. */
	if (one_block)
		for (size_t g = 0; g < c->ngroups; g++)
			c->groups[g].deadline = c->end;
	close_site(c, "tru-so", "2024-03-05", "2024-03-06");
	close_site(c, "nvh-dong-chua", "2024-03-06", "2024-03-07");
	close_site(c, "nvh-dong-chua", "2024-03-18", "2024-03-21");
	close_site(c, "thcs", "2024-03-20", "2024-03-22");
	CHECK_INT(mcomp_build_all(c, &parts, &nparts), 0);
	CHECK_INT(nparts, 1);
	CHECK_INT(parts[0].nteams, 1);
	CHECK_INT(model_build(&mo, &parts[0], false, c->end), 0);
	CHECK_INT(model_build(&fine, &parts[0], true, c->end), 0);
	/* The closures cut no period: the coarse model has one block or the
	 * deadline's four periods, the fine model its weeks (and the
	 * deadline's cut). */
	CHECK_INT(mo.nperiods, one_block ? 1 : 4);
	CHECK_INT(fine.nperiods, one_block ? 3 : 4);
	{
		bool *is = team_rows(&mo);
		int *y = calloc((size_t)mo.ncells + 1, sizeof(int));
		double *act = calloc((size_t)mo.nrows + 1, sizeof(double));

		for (int t = 0; t < 20000; t++) {
			bool rows_hold = true;

			/* Cells of all sizes, up to a share of their dates that
			 * varies, so that the rows bind on some only. */
			unsigned q = 1 + rnd(8);
			int p = (int)rnd((unsigned)mo.nperiods);

			/* One period at a time, mostly: the rows of the others
			 * then hold, and the period's own decide. */
			for (int i = 0; i < mo.ncells; i++)
				y[i] = mo.cells[i].period == p || rnd(8) == 0
					       ? (int)rnd((unsigned)mo.cells[i].ub * q / 8 + 1)
					       : 0;
			memset(act, 0, sizeof(double) * (size_t)mo.nrows);
			for (size_t e = 0; e < mo.nents; e++)
				for (int i = 0; i < mo.ncells; i++)
					if (mo.cells[i].col == mo.ents[e].col)
						act[mo.ents[e].row] += y[i];
			for (int r = 0; r < mo.nrows; r++)
				if (is[r] && act[r] > mo.rhs[r] + 1e-9)
					rows_hold = false;
			if (rows_hold)
				kept++;
			else
				broken++;
			CHECK(rows_hold == datable(&parts[0], &mo, y));
		}
		CHECK(kept > 100 && broken > 100);
		free(is);
		free(y);
		free(act);
	}
	model_release(&mo);
	model_release(&fine);
	mcomp_free_all(parts, nparts);
	campaign_free(c);
}

static void test_team_rows_block(void)
{
	team_rows_exact(true);
}

static void test_team_rows_pieces(void)
{
	team_rows_exact(false);
}

int main(void)
{
	RUN_TEST(test_slot_match);
	RUN_TEST(test_team_rows_block);
	RUN_TEST(test_team_rows_pieces);
	return TEST_EXIT();
}
