/*
 * solve.c - plan_solve(): splits the campaign into parts, solves them on
 * threads (largest first), re-plans the parts whose shared teams collide,
 * turns each part's result into dated sessions and the plan. The level
 * loop of a part is in levels.c, GLPK behind lp.c, the model in model.c.
 * See docs/model.md.
 *
 * Nothing here prints or reads the environment: progress and debug lines
 * go to the callbacks of struct solve_options.
 */
#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "greedy_day.h"
#include "levels.h"
#include "lp.h"
#include "merge.h"
#include "model.h"
#include "packed.h"
#include "repair.h"
#include "solve.h"
#include "solve_run.h"
#include "spare.h"
#include "timebox.h"
#include "torture.h"
#include "util.h"
#include "banned.h"

void solve_options_init(struct solve_options *o)
{
	memset(o, 0, sizeof(*o));
	o->time_limit = 0.0;
	o->gap = 0.0;
	o->threads = 1;
	o->progress = 0;
	o->mps_dir = NULL;
	o->on_progress = NULL;
	o->on_debug = NULL;
	o->callback_arg = NULL;
	o->glpk_mem_limit = 0;
}

double solve_now(void)
{
	return timebox_now();
}

bool solve_out_of_time(double until)
{
	return until > 0 && solve_now() >= until;
}

void solve_debug(const struct solve_run *run, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!run->o->on_debug)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	run->o->on_debug(run->o->callback_arg, line);
}

static void report(struct solve_run *run, struct solve_progress *sp)
{
	if (!run->o->progress || !run->o->on_progress)
		return;
	pthread_mutex_lock(&run->lock);
	sp->seconds = solve_now() - run->t0;
	sp->nparts = run->nparts;
	run->o->on_progress(run->o->callback_arg, sp);
	run->reported = true;
	pthread_mutex_unlock(&run->lock);
}

void solve_progress(struct solve_run *run, size_t part, const char *level, double best,
		    double bound)
{
	struct solve_progress sp = {
		.part = part, .stage = level, .level = level, .has_best = true, .has_bound = true,
		.best = best, .bound = bound, .gap = fabs(best - bound) / fmax(fabs(best), 1.0)
	};

	report(run, &sp);
}

void solve_stage(struct solve_run *run, size_t part, const char *stage, const char *level,
		 double best)
{
	struct solve_progress sp = {
		.part = part, .stage = stage, .level = level, .has_best = !isnan(best),
		.best = isnan(best) ? 0.0 : best
	};

	solve_debug(run, "part %zu: %s from %.2f s", part + 1, stage, solve_now() - run->t0);
	report(run, &sp);
}

/* ---------------------------------------------------------------- parts */

/* Lexicographic comparison of two level vectors: < 0 when a is better. */
static int levels_cmp(const struct campaign *c, const double *a, const double *b)
{
	char name[48];

	for (int i = 0; i < lv_count(c->nlevels); i++) {
		bool maximise = lv_describe(c, i, name, sizeof(name));

		if (fabs(a[i] - b[i]) > 0.5)
			return (maximise ? a[i] > b[i] : a[i] < b[i]) ? -1 : 1;
	}
	return 0;
}

/* Turns the point x of model mo into a dated plan (disaggregated, the
 * rest served by wplan_complete, re-dated) and makes it *plan, with its
 * levels in value[], when they are lexicographically better than value[];
 * *adopted says whether. */
static int adopt_point(const struct campaign *c, const struct mcomp *m, const struct model *mo,
		       const double *x, struct wplan *plan, double *value, bool *adopted)
{
	int nlv = lv_count(c->nlevels);
	struct wplan w = { 0 };
	double *v = xcalloc_array((size_t)nlv, sizeof(double));
	int rc = v ? ROTA_OK : ROTA_ENOMEM;

	*adopted = false;
	if (!rc)
		rc = model_disaggregate(mo, x, &w);
	if (!rc)
		rc = wplan_complete(m, &w);
	if (!rc)
		rc = wplan_improve_dates(m, &w);
	if (!rc) {
		wplan_levels(m, &w, v);
		if (levels_cmp(c, v, value) < 0) {
			wplan_release(plan);
			*plan = w;
			memcpy(value, v, (size_t)nlv * sizeof(double));
			memset(&w, 0, sizeof(w));
			*adopted = true;
		}
	}
	wplan_release(&w);
	free(v);
	return rc;
}

/* Records why part pi failed (rc), keeping a message set below. */
static int part_failed(struct part_result *res, size_t pi, int rc)
{
	if (!rc || res->err.code == rc)
		return rc;
	if (rc == ROTA_ESOLVER)
		return rota_error_set(&res->err, rc, "solver: GLPK failed on part %zu: %s", pi + 1,
				      lp_last_error());
	if (rc == ROTA_ENOMEM && lp_last_error()[0])
		return rota_error_set(&res->err, rc, "out of memory while planning part %zu (GLPK: %s)",
				      pi + 1, lp_last_error());
	if (rc == ROTA_ENOMEM)
		return rota_error_set(&res->err, rc, "out of memory while planning");
	return rota_error_set(&res->err, rc, "planning part %zu failed", pi + 1);
}

/*
 * A part while it is solved. Without a time limit in one go (solve_part):
 * part_begin (greedy, coarse model), the coarse levels, part_end (the
 * plan of the coarse point, the fine model). Under a time limit in two
 * phases, every part's first before any part's second (worker): phase 1
 * is part_begin and the deadline levels, phase 2 the rest. Phase 2 goes
 * on from phase 1's LP, so that a limit that stops nothing gives the plan
 * of one go.
 */
struct part_work {
	struct model coarse;
	double *x;           /* the coarse point [coarse.ncols]; NULL: no levels to solve */
	double *held;        /* [nlv]: the values levels_solve reached */
	/* Under a time limit: the point after phase 1, and what adopt_point
	 * made of it then (early, adopted or not), so that the plan keeps
	 * phase 1's work whatever phase 2 has time for. */
	double *x0, *x1;     /* x0: the greedy's point */
	struct wplan early;
	double *early_value; /* [nlv] */
	bool early_made, early_adopted;
	/* Between the phases (keep_small): the kept LP's problem, frozen,
	 * and its model's rows' values (level_lp.row_val), packed. */
	struct lp_frozen *frozen;
	struct packed *row_val;
};

static void part_work_release(struct part_work *w)
{
	model_release(&w->coarse);
	free(w->x);
	free(w->held);
	free(w->x0);
	free(w->x1);
	wplan_release(&w->early);
	free(w->early_value);
	lp_frozen_free(w->frozen);
	packed_free(w->row_val);
	memset(w, 0, sizeof(*w));
}

static bool limited(const struct solve_run *run)
{
	return run->deadline > 0;
}

/* Bounds that hold before any solve, the greedy's plan, and the coarse
 * model with the greedy's point (w->x; left NULL when there is nothing to
 * solve or, under a time limit, the model could not be built in time). */
static int part_begin(struct solve_run *run, size_t pi, struct part_work *w)
{
	const struct mcomp *m = &run->parts[pi];
	const struct campaign *c = run->c;
	struct part_result *res = &run->results[pi];
	int nlv = lv_count(c->nlevels), L = c->nlevels;
	double *v1 = NULL;
	int rc;

	lp_clear_error();
	res->err.code = ROTA_OK;
	res->err.message[0] = '\0';
	part_work_release(w);
	v1 = xcalloc_array((size_t)nlv, sizeof(double));
	w->held = xcalloc_array((size_t)nlv, sizeof(double));
	if (!v1 || !w->held) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	/* Bounds that hold before any solve: everyone, and nothing more
	 * than the fixed sessions. */
	for (int i = 0; i < nlv; i++)
		res->bound[i] = 0.0;
	for (size_t r = 0; r < m->nrows; r++) {
		/* A re-plan plans nothing before first_date: a deadline before
		 * it is past. */
		if (m->rows[r].deadline >= m->first_date)
			res->bound[lv_deadline(m->rows[r].level)] += m->rows[r].count;
		res->bound[lv_served(L, m->rows[r].level)] += m->rows[r].count;
	}
	/* A plan at once: the fixed sessions and the best of the greedy
	 * plans, row-driven and day-driven (greedy_day.h). */
	solve_stage(run, pi, "greedy", NULL, NAN);
	rc = wplan_place_fixed(m, &res->plan);
	if (!rc)
		rc = greedy_best(m, &res->plan, levels_cmp, NULL, NULL);
	if (rc)
		goto out;
	wplan_levels(m, &res->plan, res->value);
	{
		/* The fixed sessions alone are a lower bound on levels 3-4. */
		struct wplan fixed_only = { 0 };

		if (wplan_place_fixed(m, &fixed_only)) {
			rc = ROTA_ENOMEM;
			goto out;
		}
		wplan_levels(m, &fixed_only, v1);
		res->bound[lv_extra(L)] = v1[lv_extra(L)];
		res->bound[lv_minutes(L)] = v1[lv_minutes(L)];
		wplan_release(&fixed_only);
	}
	/* A level the greedy's plan already takes to its trivial bound is
	 * solved, whatever the clock leaves for the models (everyone invited
	 * by their deadline, say). */
	for (int i = 0; i < nlv; i++)
		if (res->value[i] == res->bound[i])
			res->reached[i] = true;
	if (m->nrows == 0) {
		for (int i = 0; i < nlv; i++) {
			res->bound[i] = res->value[i];
			res->reached[i] = true;
		}
		goto out;
	}

	/* Levels 1-4 on the coarse model. */
	solve_stage(run, pi, "model", NULL, NAN);
	timebox_set(run->part_deadline[pi]);
	rc = model_build(&w->coarse, m, false, 0);
	timebox_set(0);
	if (rc)
		goto out;
	if (limited(run) && solve_out_of_time(run->part_deadline[pi])) {
		/* No time left for the model: the greedy's plan, re-dated
		 * while there is time. */
		model_release(&w->coarse);
		timebox_set(run->deadline);
		rc = wplan_improve_dates(m, &res->plan);
		timebox_set(0);
		if (!rc)
			wplan_levels(m, &res->plan, res->value);
		goto out;
	}
	w->x = xcalloc_array((size_t)w->coarse.ncols, sizeof(double));
	if (!w->x) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	model_point(&w->coarse, &res->plan, w->x);
out:
	free(v1);
	return rc;
}

/* Levels first..last of the coarse model, by `until` (0: no limit). */
static int part_levels(struct solve_run *run, size_t pi, struct part_work *w, int first, int last,
		       double until)
{
	struct part_result *res = &run->results[pi];

	return levels_solve(run, pi, &w->coarse, "coarse", w->x, NULL, 0, false, first, last, true,
			    until, w->held, res->bound, res->reached, &res->err);
}

/* Under a time limit, the end of a phase 1 that moved the point: the plan
 * of the point so far, kept aside, and the point itself, to see whether
 * phase 2 moves it. */
static int part_phase1_end(struct solve_run *run, size_t pi, struct part_work *w)
{
	const struct campaign *c = run->c;
	struct part_result *res = &run->results[pi];
	int nlv = lv_count(c->nlevels);
	int rc;

	w->x1 = xcalloc_array((size_t)w->coarse.ncols, sizeof(double));
	w->early_value = xcalloc_array((size_t)nlv, sizeof(double));
	if (!w->x1 || !w->early_value)
		return ROTA_ENOMEM;
	memcpy(w->x1, w->x, (size_t)w->coarse.ncols * sizeof(double));
	memcpy(w->early_value, res->value, (size_t)nlv * sizeof(double));
	solve_stage(run, pi, "disaggregating", NULL, NAN);
	timebox_set(run->deadline);
	rc = adopt_point(c, &run->parts[pi], &w->coarse, w->x, &w->early, w->early_value,
			 &w->early_adopted);
	timebox_set(0);
	w->early_made = !rc;
	return rc;
}

/* True when a is better than b on the deadline levels. */
static bool deadlines_better(const struct campaign *c, const double *a, const double *b)
{
	for (int l = 0; l < c->nlevels; l++)
		if (fabs(a[lv_deadline(l)] - b[lv_deadline(l)]) > 0.5)
			return a[lv_deadline(l)] > b[lv_deadline(l)];
	return false;
}

/* One run of fine levels first .. last, the levels before them held at
 * the plan's values: the bounds on earliness of a large fine model (no
 * search), on this thread or beside it (fine_bounds). */
struct fine_chain {
	struct solve_run *run;
	size_t pi;
	const struct model *fine;
	const double *plan_value;
	int first, last;
	double until;
	double *x, *value, *bound; /* own copies: [ncols], [nlv], [nlv] */
	bool *reached;
	struct rota_error err;
};

static int fine_chain_run(void *arg, const atomic_bool *cancel)
{
	struct fine_chain *fc = arg;

	(void)cancel;
	return levels_solve(fc->run, fc->pi, fc->fine, "fine", fc->x, fc->plan_value, fc->first,
			    true, fc->first, fc->last, false, fc->until, fc->value, fc->bound,
			    fc->reached, &fc->err);
}

static void fine_chain_release(struct fine_chain *fc)
{
	free(fc->x);
	free(fc->value);
	free(fc->bound);
	free(fc->reached);
}

/* The bounds on earliness of a fine model too large to search: each level
 * is held at the plan's value while the next is solved, so the levels
 * need not be solved one after the other. The later half (from
 * earliness-p(k+1), k = ceil(L / 2)) is a run of its own that starts from
 * the plan's point, on an idle processor when the run has one, else after
 * the first half: the bounds are the same with any --threads (docs/
 * model.md, section 6). v2 and res get the values, bounds and what was
 * reached. */
static int fine_bounds(struct solve_run *run, size_t pi, const struct model *fine, double *x,
		       double *v2)
{
	struct part_result *res = &run->results[pi];
	int L = run->c->nlevels, nlv = lv_count(L), k = (L + 1) / 2, rc, rc2;
	struct fine_chain later = { .run = run, .pi = pi, .fine = fine, .plan_value = res->value,
				    .first = lv_early(L, k), .last = lv_early(L, L - 1),
				    .until = run->part_deadline[pi] };
	struct spare_task *task = NULL;

	later.x = xcalloc_array((size_t)fine->ncols, sizeof(double));
	later.value = xcalloc_array((size_t)nlv, sizeof(double));
	later.bound = xcalloc_array((size_t)nlv, sizeof(double));
	later.reached = xcalloc_array((size_t)nlv, sizeof(bool));
	if (!later.x || !later.value || !later.bound || !later.reached) {
		fine_chain_release(&later);
		return ROTA_ENOMEM;
	}
	memcpy(later.x, x, (size_t)fine->ncols * sizeof(double));
	rc = spare_start(run, later.until, fine_chain_run, &later, &task);
	if (!rc)
		rc = levels_solve(run, pi, fine, "fine", x, res->value, lv_early(L, 0), true,
				  lv_early(L, 0), lv_early(L, k - 1), false, run->part_deadline[pi], v2,
				  res->bound, res->reached, &res->err);
	rc2 = task ? spare_join(task) : rc ? ROTA_OK : fine_chain_run(&later, NULL);
	if (!rc && rc2) {
		rc = rc2;
		res->err = later.err;
	}
	for (int i = later.first; i <= later.last && !rc; i++) {
		v2[i] = later.value[i];
		res->bound[i] = later.bound[i];
		res->reached[i] = later.reached[i];
	}
	fine_chain_release(&later);
	return rc;
}

/* The plan of the coarse point, then the bound on earliness from the
 * fine model. */
static int part_end(struct solve_run *run, size_t pi, struct part_work *w)
{
	const struct mcomp *m = &run->parts[pi];
	const struct campaign *c = run->c;
	struct part_result *res = &run->results[pi];
	int nlv = lv_count(c->nlevels), L = c->nlevels;
	struct model fine = { 0 };
	double *x = NULL, *v2 = NULL;
	int rc, horizon;
	bool adopted;

	v2 = xcalloc_array((size_t)nlv, sizeof(double));
	if (!v2) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	timebox_set(run->deadline);
	if (w->x0 && solve_out_of_time(run->deadline) &&
	    !memcmp(w->x, w->x0, (size_t)w->coarse.ncols * sizeof(double))) {
		/* Out of time with the greedy's own point: the greedy's plan
		 * as it is (re-dating would stop at once). */
		adopted = true;
		rc = ROTA_OK;
	} else if (w->early_made &&
		   !memcmp(w->x, w->x1, (size_t)w->coarse.ncols * sizeof(double))) {
		/* Phase 2 did not move the point: its plan is phase 1's. */
		adopted = w->early_adopted;
		if (adopted) {
			wplan_release(&res->plan);
			res->plan = w->early;
			memcpy(res->value, w->early_value, (size_t)nlv * sizeof(double));
			memset(&w->early, 0, sizeof(w->early));
			w->early_adopted = false;
		}
		rc = ROTA_OK;
	} else {
		solve_stage(run, pi, "disaggregating", NULL, NAN);
		rc = adopt_point(c, m, &w->coarse, w->x, &res->plan, res->value, &adopted);
	}
	if (!rc && !adopted) {
		rc = wplan_improve_dates(m, &res->plan);
		if (!rc)
			wplan_levels(m, &res->plan, res->value);
	}
	timebox_set(0);
	if (rc)
		goto out;
	if (w->early_adopted && deadlines_better(c, w->early_value, res->value)) {
		/* Phase 2's plan lost someone by a deadline that phase 1's
		 * had in time (whole people packed otherwise): phase 1's. */
		wplan_release(&res->plan);
		res->plan = w->early;
		memcpy(res->value, w->early_value, (size_t)nlv * sizeof(double));
		memset(&w->early, 0, sizeof(w->early));
	}
	/* Units called in fewer times where rule 7 gains (merge.h). */
	if (!solve_out_of_time(run->deadline)) {
		double t_merge = solve_now();

		rc = wplan_merge_units(m, &res->plan);
		if (rc)
			goto out;
		wplan_levels(m, &res->plan, res->value);
		solve_debug(run, "part %zu: merge pass %.2f s", pi + 1, solve_now() - t_merge);
	}
	free(w->x);
	w->x = NULL;
	if (run->o->up_to_extra)
		goto out;

	/* The bound on earliness: the LP of the fine model, the other levels
	 * held at the plan's values. */
	horizon = c->start;
	for (size_t k = 0; k < res->plan.n; k++)
		if (res->plan.s[k].nvisits > 0 && res->plan.s[k].date > horizon)
			horizon = res->plan.s[k].date;
	solve_stage(run, pi, "fine model", NULL, NAN);
	timebox_set(run->part_deadline[pi]);
	rc = model_build(&fine, m, true, horizon);
	timebox_set(0);
	if (rc || (limited(run) && solve_out_of_time(run->part_deadline[pi])))
		goto out;
	x = xcalloc_array((size_t)fine.ncols, sizeof(double));
	if (!x) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	model_point(&fine, &res->plan, x);
	/* A small fine model is searched too (dive, then branch and bound
	 * from the plan); a large one gives its LP bound only. The levels
	 * earliness-p1, -p2, ... in turn, each held at the plan's value. */
	if (run->lp_kept) {
		/* Not resumable by the fine model (levels_solve). */
		levels_kept_free(run->lp_kept[pi]);
		run->lp_kept[pi] = NULL;
	}
	if (run->bounds_kept && fine.ncols > FINE_SEARCH_COLS) {
		/* Bounds only, and resolve_shared keeps the first pass's. */
		solve_debug(run, "part %zu: planned again, the fine bounds of the first pass kept",
			    pi + 1);
		goto out;
	}
	if (fine.ncols > FINE_SEARCH_COLS && L >= 2)
		rc = fine_bounds(run, pi, &fine, x, v2);
	else
		rc = levels_solve(run, pi, &fine, "fine", x, res->value, lv_early(L, 0), true,
				  lv_early(L, 0), lv_early(L, L - 1), fine.ncols <= FINE_SEARCH_COLS,
				  run->part_deadline[pi], v2, res->bound, res->reached, &res->err);
	if (rc)
		goto out;
	for (int l = 0; l < L; l++)
		if (fabs(v2[lv_early(L, l)] - res->value[lv_early(L, l)]) > 0.5) {
			timebox_set(run->deadline);
			rc = adopt_point(c, m, &fine, x, &res->plan, res->value, &adopted);
			timebox_set(0);
			if (rc)
				goto out;
			break;
		}
	for (int l = 0; l < L; l++)
		if (res->bound[lv_early(L, l)] > res->value[lv_early(L, l)])
			res->bound[lv_early(L, l)] = res->value[lv_early(L, l)];
out:
	model_release(&fine);
	free(x);
	free(v2);
	return rc;
}

static void part_debug(struct solve_run *run, size_t pi, double t_part)
{
	const struct mcomp *m = &run->parts[pi];
	const struct part_result *res = &run->results[pi];
	int L = run->c->nlevels;

	solve_debug(run, "part %zu: %zu teams %zu sites %zu rows: %.2f s; extra %.0f/%.0f "
		    "minutes %.0f/%.0f earliness-p1 %.0f/%.0f",
		    pi + 1, m->nteams, m->nsites, m->nrows, solve_now() - t_part,
		    res->value[lv_extra(L)], res->bound[lv_extra(L)], res->value[lv_minutes(L)],
		    res->bound[lv_minutes(L)], res->value[lv_early(L, 0)], res->bound[lv_early(L, 0)]);
}

/* The last coarse level a part solves. */
static int last_coarse(const struct solve_run *run)
{
	int L = run->c->nlevels;

	return run->o->up_to_extra ? lv_extra(L) : lv_minutes(L);
}

/* The model part pi keeps for phase 2, made smaller: its entries only
 * ever go into its LP (levels.c, load_model), which phase 2 resumes, so
 * they go (their count stays); the values of its rows by row (where the
 * lazy rows come from) are packed. */
static void keep_model_small(struct solve_run *run, size_t pi)
{
	struct part_work *w = &run->work[pi];
	struct level_lp *kept = run->lp_kept[pi];

	free(w->coarse.ents);
	w->coarse.ents = NULL;
	w->coarse.alloc_ents = 0;
	w->row_val = packed_pack(kept->row_val, kept->row_start[w->coarse.nrows]);
	if (w->row_val) {
		free(kept->row_val);
		kept->row_val = NULL;
	}
}

/* What phase 1 keeps of part pi for phase 2 (run->lp_kept[pi]), made
 * small: every part's LP waits until every part's deadline levels are
 * solved, so that what each keeps adds up (100 generated communes: 3.2 GB
 * at the end of phase 1, about 1.5 GB of it GLPK's problems). The problem
 * is frozen into plain arrays (lp_freeze) where the next simplex
 * factorises anew anyway (the held level's row came after the last one),
 * so that phase 2 goes on exactly as one call would; otherwise (names,
 * for --mps; out of memory) it is kept as it is. */
static int keep_small(struct solve_run *run, size_t pi)
{
	struct level_lp *kept = run->lp_kept[pi];
	double t = solve_now();
	int rc;

	if (!kept)
		return ROTA_OK;
	rc = lp_freeze(&kept->P, &run->work[pi].frozen);
	if (rc == ROTA_ENOMEM)
		rc = ROTA_OK; /* kept as it is */
	keep_model_small(run, pi);
#ifdef __GLIBC__
	/* What the part freed goes back to the system, not only to the
	 * allocator: in the middle of the heap, where the next part's
	 * blocks of other sizes would leave it unused. */
	malloc_trim(0);
#endif
	solve_debug(run, "part %zu: LP kept for phase 2 %s, %.2f s", pi + 1,
		    run->work[pi].frozen ? "frozen" : "as it is", solve_now() - t);
	return rc;
}

/* The LP phase 1 of part pi kept, thawed; on a failure, freed. */
static int kept_thaw(struct solve_run *run, size_t pi)
{
	struct part_work *w = &run->work[pi];
	struct level_lp *kept = run->lp_kept[pi];
	double t = solve_now();
	int rc;

	if (!kept)
		return ROTA_OK;
	/* Without a point the LP is only freed (solve_phase2). */
	rc = w->frozen && w->x ? lp_thaw(w->frozen, &kept->P) : ROTA_OK;
	if (!rc && w->row_val && w->x) {
		kept->row_val = xcalloc_array(kept->row_start[w->coarse.nrows] + 1, sizeof(double));
		if (kept->row_val)
			packed_unpack(w->row_val, kept->row_val);
		else
			rc = ROTA_ENOMEM;
	}
	lp_frozen_free(w->frozen);
	w->frozen = NULL;
	packed_free(w->row_val);
	w->row_val = NULL;
	if (rc) {
		levels_kept_free(kept);
		run->lp_kept[pi] = NULL;
	}
	solve_debug(run, "part %zu: LP thawed, %.2f s", pi + 1, solve_now() - t);
	return rc;
}

/* Phase 1 of part pi under a time limit (by run->part_deadline[pi]):
 * the greedy, the coarse model and the deadline levels, the LP kept for
 * phase 2 on this thread. */
static int solve_phase1(struct solve_run *run, size_t pi)
{
	struct part_work *w = &run->work[pi];
	int rc = part_begin(run, pi, w);

	if (!rc && w->x) {
		w->x0 = xcalloc_array((size_t)w->coarse.ncols, sizeof(double));
		if (!w->x0)
			rc = ROTA_ENOMEM;
	}
	if (!rc && w->x) {
		memcpy(w->x0, w->x, (size_t)w->coarse.ncols * sizeof(double));
		run->lp_keep[pi] = true;
		rc = part_levels(run, pi, w, 0, run->c->nlevels - 1, run->part_deadline[pi]);
		run->lp_keep[pi] = false;
	}
	if (!rc)
		rc = keep_small(run, pi);
	/* A point phase 1 did not move is the greedy's: nothing to keep. */
	if (!rc && w->x && memcmp(w->x0, w->x, (size_t)w->coarse.ncols * sizeof(double)))
		rc = part_phase1_end(run, pi, w);
	if (rc) {
		part_failed(&run->results[pi], pi, rc);
		free(w->x);
		w->x = NULL;
	}
	return rc;
}

/* Phase 2 of part pi (by run->part_deadline[pi]), on the thread of its
 * phase 1: the later coarse levels from phase 1's LP, part_end. A part
 * whose phase 1 failed or left nothing to solve only frees its LP. */
static int solve_phase2(struct solve_run *run, size_t pi)
{
	struct part_work *w = &run->work[pi];
	double t_part = solve_now(), until = run->part_deadline[pi];
	int rc;

	rc = kept_thaw(run, pi);
	if (rc) {
		part_debug(run, pi, t_part);
		part_work_release(w);
		return part_failed(&run->results[pi], pi, rc);
	}
	if (!w->x) {
		levels_kept_free(run->lp_kept[pi]);
		run->lp_kept[pi] = NULL;
		part_work_release(w);
		return run->results[pi].err.code;
	}
	/* Part of the part's time is kept for the fine model. */
	until -= FINE_TIME_SHARE * (until - solve_now());
	rc = part_levels(run, pi, w, run->c->nlevels, last_coarse(run), until);
	if (!rc)
		rc = part_end(run, pi, w);
	part_debug(run, pi, t_part);
	part_work_release(w);
	return part_failed(&run->results[pi], pi, rc);
}

/* Part pi in one go: without a time limit, or under one when planned
 * again (resolve_shared), both phases at once. */
static int solve_part(struct solve_run *run, size_t pi)
{
	struct part_work *w = &run->work[pi];
	double t_part = solve_now(), until;
	int rc;

	if (limited(run)) {
		rc = solve_phase1(run, pi);
		if (rc) {
			solve_phase2(run, pi);
			return rc;
		}
		return solve_phase2(run, pi);
	}
	rc = part_begin(run, pi, w);
	if (!rc && w->x) {
		/* With a time limit, part of the part's time is kept for the
		 * rest. */
		until = run->part_deadline[pi];
		if (until > 0)
			until -= FINE_TIME_SHARE * (until - solve_now());
		rc = part_levels(run, pi, w, 0, last_coarse(run), until);
		if (!rc)
			rc = part_end(run, pi, w);
	}
	part_debug(run, pi, t_part);
	part_work_release(w);
	return part_failed(&run->results[pi], pi, rc);
}

/* Threads take the parts largest first (by mcomp.weight, the size that
 * also shares out a time limit), so that a large part does not start last
 * and keep one thread busy alone. The plans do not depend on the order
 * (parts are independent until resolve_shared, which takes them by
 * index). */
struct part_key {
	double weight;
	size_t index;
};

static int part_key_cmp(const void *pa, const void *pb)
{
	const struct part_key *a = pa, *b = pb;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Fills run->order; returns false when out of memory. */
static bool order_parts(struct solve_run *run)
{
	struct part_key *keys = xcalloc_array(run->nparts, sizeof(*keys));

	run->order = xcalloc_array(run->nparts, sizeof(size_t));
	if (!keys || !run->order) {
		free(keys);
		return false;
	}
	for (size_t i = 0; i < run->nparts; i++)
		keys[i] = (struct part_key){ run->parts[i].weight, i };
	qsort(keys, run->nparts, sizeof(*keys), part_key_cmp);
	for (size_t i = 0; i < run->nparts; i++)
		run->order[i] = keys[i].index;
	free(keys);
	return true;
}

/* One solving thread: the parts it took for phase 1, in that order, are
 * the ones it solves in phase 2. */
struct worker_arg {
	struct solve_run *run;
	size_t *mine;
	size_t nmine;
};

static void *worker(void *arg)
{
	struct worker_arg *wa = arg;
	struct solve_run *run = wa->run;

	for (;;) {
		size_t pi, k0;

		pthread_mutex_lock(&run->lock);
		k0 = run->next_part++;
		pi = k0 < run->nparts ? run->order[k0] : run->nparts;
		if (pi < run->nparts && limited(run)) {
			/* Its share of the time left, in proportion to its size
			 * among the parts not yet started; the threads overlap. */
			double w = run->parts[pi].weight + 1.0, left = 0.0;
			double t = solve_now();

			for (size_t k = k0; k < run->nparts; k++)
				left += run->parts[run->order[k]].weight + 1.0;
			run->part_deadline[pi] =
				t + fmax(0.0, run->deadline - t) * fmin(1.0, w / left * run->nthreads);
		}
		pthread_mutex_unlock(&run->lock);
		if (pi >= run->nparts)
			break;
		if (limited(run)) {
			solve_phase1(run, pi);
			wa->mine[wa->nmine++] = pi;
		} else {
			solve_part(run, pi);
		}
	}
	if (limited(run)) {
		/* Every part's deadline levels before any part's later ones. */
		pthread_mutex_lock(&run->lock);
		run->phase1_done++;
		pthread_cond_broadcast(&run->phase_done);
		while (run->workers == 0 || run->phase1_done < run->workers)
			pthread_cond_wait(&run->phase_done, &run->lock);
		pthread_mutex_unlock(&run->lock);
		for (size_t k = 0; k < wa->nmine; k++) {
			size_t pi = wa->mine[k];
			double t = solve_now(), left = 0.0;

			/* This thread's parts share what is left by size. */
			for (size_t j = k; j < wa->nmine; j++)
				left += run->parts[wa->mine[j]].weight + 1.0;
			run->part_deadline[pi] = t + fmax(0.0, run->deadline - t) *
							     (run->parts[pi].weight + 1.0) / left;
			solve_phase2(run, pi);
		}
	}
	lp_thread_done();
	/* Its processor is free for the heuristics of the parts still
	 * being solved. */
	spare_give(run);
	return NULL;
}

/* Part p's plan on the dates its shared teams still have (m->blocked and
 * m->extra_used already count the earlier parts): *dated when every
 * session found one, and then its values are the new plan's. */
static int redate_part(struct solve_run *run, size_t p, bool *dated)
{
	const struct mcomp *m = &run->parts[p];
	struct part_result *res = &run->results[p];
	int rc = wplan_redate_free(m, &res->plan, dated);

	if (!rc && *dated)
		rc = wplan_improve_dates(m, &res->plan);
	if (!rc && *dated) {
		wplan_levels(m, &res->plan, res->value);
		solve_debug(run, "part %zu: its shared teams' sessions dated again, not planned again",
			    p + 1);
	}
	return rc;
}

/* Shared teams: after each part was planned as if it had them to itself,
 * parts are taken in order and a part whose plan uses a date that an
 * earlier part took (or a week's extra room) loses those dates: its plan
 * is dated again on the dates left (redate_part), or where that fails
 * planned again. The bounds stay those of the first, relaxed, pass. */
static int resolve_shared(struct solve_run *run, struct rota_error *err)
{
	const struct campaign *c = run->c;
	int nlv = lv_count(c->nlevels);
	unsigned char *taken = NULL;  /* [nteams * ndays]: kinds taken by earlier parts */
	int *extra = NULL;            /* [nteams * nweeks]: their extra sessions */
	int week0, nweeks, rc = ROTA_OK;
	bool any_shared = false;

	for (size_t p = 0; p < run->nparts; p++)
		for (size_t t = 0; t < run->parts[p].nteams; t++)
			any_shared = any_shared || run->parts[p].shared[t];
	if (!any_shared || run->nparts < 2)
		return ROTA_OK;
	week0 = run->parts[0].week0;
	nweeks = run->parts[0].nweeks;
	taken = xcalloc_array(c->nteams * (size_t)c->ndays, 1);
	extra = xcalloc_array(c->nteams * (size_t)nweeks, sizeof(int));
	if (!taken || !extra) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	for (size_t p = 0; p < run->nparts; p++) {
		struct mcomp *m = &run->parts[p];
		struct part_result *res = &run->results[p];
		bool conflict = false, dated;

		for (int pass = 0; pass < 2; pass++) {
			int *mine = xcalloc_array(m->nteams * (size_t)nweeks, sizeof(int));

			if (!mine) {
				rc = ROTA_ENOMEM;
				goto out;
			}
			conflict = false;
			for (size_t i = 0; i < res->plan.n; i++) {
				const struct wsession *s = &res->plan.s[i];
				size_t t = m->teams[s->team];
				int w = (date_week_monday(s->date) - week0) / 7;

				if (!m->shared[s->team] || s->fixed)
					continue;
				if (taken[t * (size_t)c->ndays + (size_t)(s->date - c->start)] & SLOT_BIT(s->kind))
					conflict = true;
				if (slot_kind_is_extra(s->kind))
					mine[s->team * (size_t)nweeks + (size_t)w]++;
			}
			for (size_t lt = 0; lt < m->nteams; lt++)
				for (int w = 0; w < nweeks; w++)
					if (m->shared[lt] && mine[lt * (size_t)nweeks + (size_t)w] > 0 &&
					    mine[lt * (size_t)nweeks + (size_t)w] +
							    m->extra_used[lt * (size_t)nweeks + (size_t)w] +
							    extra[m->teams[lt] * (size_t)nweeks + (size_t)w] >
						    c->teams[m->teams[lt]].max_extra_per_week)
						conflict = true;
			free(mine);
			if (!conflict || pass == 1)
				break;
			/* The earlier parts' dates taken from this one. */
			for (size_t lt = 0; lt < m->nteams; lt++) {
				size_t t = m->teams[lt];

				if (!m->shared[lt])
					continue;
				for (int d = 0; d < c->ndays; d++)
					m->blocked[lt * (size_t)c->ndays + (size_t)d] |=
						taken[t * (size_t)c->ndays + (size_t)d];
				for (int w = 0; w < nweeks; w++)
					m->extra_used[lt * (size_t)nweeks + (size_t)w] +=
						extra[t * (size_t)nweeks + (size_t)w];
			}
			/* First the same plan on dates still free: every level but
			 * earliness keeps its value (wplan_redate_free). */
			rc = redate_part(run, p, &dated);
			if (rc)
				goto out;
			if (dated)
				break;
			/* Else planned again, keeping the first pass's bounds. */
			{
				double *bound = xcalloc_array((size_t)nlv, sizeof(double));
				bool *reached = xcalloc_array((size_t)nlv, sizeof(bool));

				if (!bound || !reached) {
					free(bound);
					free(reached);
					rc = ROTA_ENOMEM;
					goto out;
				}
				memcpy(bound, res->bound, (size_t)nlv * sizeof(double));
				memcpy(reached, res->reached, (size_t)nlv * sizeof(bool));
				wplan_release(&res->plan);
				run->part_deadline[p] = run->deadline;
				run->bounds_kept = true;
				rc = solve_part(run, p);
				run->bounds_kept = false;
				memcpy(res->bound, bound, (size_t)nlv * sizeof(double));
				memcpy(res->reached, reached, (size_t)nlv * sizeof(bool));
				free(bound);
				free(reached);
				if (rc) {
					*err = res->err;
					goto out;
				}
			}
		}
		/* What this part now takes, for the parts after it. */
		for (size_t i = 0; i < res->plan.n; i++) {
			const struct wsession *s = &res->plan.s[i];
			size_t t = m->teams[s->team];

			if (!m->shared[s->team] || s->fixed)
				continue;
			taken[t * (size_t)c->ndays + (size_t)(s->date - c->start)] |=
				(unsigned char)SLOT_BIT(s->kind);
			if (slot_kind_is_extra(s->kind))
				extra[t * (size_t)nweeks + (size_t)((date_week_monday(s->date) - week0) / 7)]++;
		}
	}
out:
	if (rc == ROTA_ENOMEM && err->code != rc)
		rota_error_set(err, rc, "out of memory while planning");
	free(taken);
	free(extra);
	return rc;
}

/* ----------------------------------------------------------------- plan */

static int emit_plan(struct plan *p, const struct mcomp *m, const struct wplan *w)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];
		struct plan_session *ps;

		if (!s->fixed && s->nvisits == 0)
			continue;
		ps = plan_add_session(p, m->teams[s->team], s->site, s->date, s->kind);
		if (!ps)
			return ROTA_ENOMEM;
		ps->fixed = s->fixed;
		for (size_t j = 0; j < s->nvisits; j++) {
			const struct mrow *r = &m->rows[s->visits[j].row];

			if (s->visits[j].count > 0 &&
			    plan_add_visit(ps, r->unit, r->demand, s->visits[j].count))
				return ROTA_ENOMEM;
		}
	}
	return ROTA_OK;
}

static int fill_record(struct plan *p, struct solve_run *run, double seconds)
{
	const struct campaign *c = run->c;
	int nlv = lv_count(c->nlevels);
	struct plan_solver *sv = &p->solver;
	double worst = 0.0;

	sv->levels = xcalloc_array((size_t)nlv, sizeof(*sv->levels));
	if (!sv->levels)
		return ROTA_ENOMEM;
	sv->nlevels = (size_t)nlv;
	for (int i = 0; i < nlv; i++) {
		struct plan_level *lv = &sv->levels[i];
		bool reached = true;

		lv->maximise = lv_describe(c, i, lv->name, sizeof(lv->name));
		for (size_t k = 0; k < run->nparts; k++) {
			lv->value += run->results[k].value[i];
			lv->bound += run->results[k].bound[i];
			reached = reached && run->results[k].reached[i];
		}
		if (!reached || !isfinite(lv->bound)) {
			lv->gap = 1.0;
			if (!isfinite(lv->bound))
				lv->bound = lv->value;
		} else {
			lv->gap = fabs(lv->value - lv->bound) / fmax(fabs(lv->value), 1.0);
		}
		if (lv->gap > worst)
			worst = lv->gap;
	}
	sv->gap = worst;
	sv->status = worst <= 1e-9 ? PLAN_OPTIMAL : PLAN_FEASIBLE;
	sv->objective = sv->levels[nlv - 1].value;
	sv->bound = sv->levels[nlv - 1].bound;
	sv->seconds = seconds;
	return ROTA_OK;
}

int plan_solve(struct plan **out, const struct campaign *c, const struct solve_options *o,
	       struct rota_error *err)
{
	struct solve_options defaults;
	struct solve_run run;
	struct plan *p = NULL;
	int nlv = lv_count(c->nlevels);
	int rc = ROTA_ENOMEM;
	int nthreads;
	struct worker_arg *wargs = NULL;
	bool error_set = false;

	*out = NULL;
#ifdef ROTA_TORTURE
	torture_scope_begin();
#endif
	if (!o) {
		solve_options_init(&defaults);
		o = &defaults;
	}
	memset(&run, 0, sizeof(run));
	run.c = c;
	run.o = o;
	run.t0 = solve_now();
	run.deadline = o->time_limit > 0 ? run.t0 + o->time_limit : 0;
	pthread_mutex_init(&run.lock, NULL);
	pthread_cond_init(&run.phase_done, NULL);
	if (mcomp_build_taken(c, o->taken, &run.parts, &run.nparts))
		goto out;
	run.results = xcalloc_array(run.nparts, sizeof(*run.results));
	run.part_deadline = xcalloc_array(run.nparts, sizeof(double));
	run.work = xcalloc_array(run.nparts, sizeof(*run.work));
	if (!run.results || !run.part_deadline || !run.work || !order_parts(&run))
		goto out;
	if (limited(&run)) {
		run.lp_keep = xcalloc_array(run.nparts, sizeof(bool));
		run.lp_kept = xcalloc_array(run.nparts, sizeof(*run.lp_kept));
		if (!run.lp_keep || !run.lp_kept)
			goto out;
	}
	for (size_t i = 0; i < run.nparts; i++) {
		struct part_result *r = &run.results[i];

		r->value = xcalloc_array((size_t)nlv, sizeof(double));
		r->bound = xcalloc_array((size_t)nlv, sizeof(double));
		r->reached = xcalloc_array((size_t)nlv, sizeof(bool));
		if (!r->value || !r->bound || !r->reached)
			goto out;
	}
	nthreads = o->threads > 1 ? o->threads : 1;
	if (nthreads > (int)run.nparts)
		nthreads = run.nparts > 0 ? (int)run.nparts : 1;
	run.nthreads = nthreads;
	spare_init(&run, (o->threads > 1 ? o->threads : 1) - nthreads);
	wargs = xcalloc_array((size_t)nthreads, sizeof(*wargs));
	if (!wargs)
		goto out;
	for (int t = 0; t < nthreads; t++) {
		wargs[t].run = &run;
		wargs[t].mine = xcalloc_array(run.nparts + 1, sizeof(size_t));
		if (!wargs[t].mine)
			goto out;
	}
	if (nthreads <= 1) {
		run.workers = 1;
		worker(&wargs[0]);
	} else {
		pthread_t *tids = xcalloc_array((size_t)nthreads, sizeof(*tids));
		int started = 0;

		if (!tids)
			goto out;
		for (int t = 0; t < nthreads; t++)
			if (pthread_create(&tids[started], NULL, worker, &wargs[started]) == 0)
				started++;
		/* The threads wait for this count between the phases. */
		pthread_mutex_lock(&run.lock);
		run.workers = started > 0 ? started : 1;
		pthread_cond_broadcast(&run.phase_done);
		pthread_mutex_unlock(&run.lock);
		if (started == 0)
			worker(&wargs[0]);
		for (int t = 0; t < started; t++)
			pthread_join(tids[t], NULL);
		free(tids);
	}
	/* This thread goes on (resolve_shared): one processor less. */
	spare_take(&run);
	for (size_t i = 0; i < run.nparts; i++)
		if (run.results[i].err.code) {
			rc = run.results[i].err.code;
			if (err)
				*err = run.results[i].err;
			error_set = true;
			goto out;
		}
	{
		struct rota_error shared = { 0 };

		rc = resolve_shared(&run, &shared);
		/* resolve_shared may have planned parts again on this thread. */
		lp_thread_done();
		if (rc) {
			if (err)
				*err = shared;
			error_set = true;
			goto out;
		}
		rc = ROTA_ENOMEM;
	}
	p = plan_new(c);
	if (!p)
		goto out;
	for (size_t i = 0; i < run.nparts; i++)
		if (emit_plan(p, &run.parts[i], &run.results[i].plan))
			goto out;
	plan_sort(p);
	if (plan_assign_arrivals(p))
		goto out;
	if (fill_record(p, &run, solve_now() - run.t0))
		goto out;
	solve_debug(&run, "solve: %.2f s", solve_now() - run.t0);
	*out = p;
	p = NULL;
	rc = ROTA_OK;
out:
	if (run.reported) {
		struct solve_progress done = { .seconds = solve_now() - run.t0, .done = true };

		o->on_progress(o->callback_arg, &done);
	}
	if (rc == ROTA_ENOMEM && !error_set)
		rota_error_set(err, rc, "out of memory while planning");
	plan_free(p);
	if (run.results)
		for (size_t i = 0; i < run.nparts; i++) {
			wplan_release(&run.results[i].plan);
			free(run.results[i].value);
			free(run.results[i].bound);
			free(run.results[i].reached);
		}
	free(run.results);
	if (run.work)
		for (size_t i = 0; i < run.nparts; i++)
			part_work_release(&run.work[i]);
	free(run.work);
	free(run.lp_keep);
	free(run.lp_kept);
	if (wargs)
		for (int t = 0; t < run.nthreads; t++)
			free(wargs[t].mine);
	free(wargs);
	free(run.part_deadline);
	free(run.order);
	mcomp_free_all(run.parts, run.nparts);
	pthread_mutex_destroy(&run.lock);
	pthread_cond_destroy(&run.phase_done);
#ifdef ROTA_TORTURE
	torture_scope_end();
#endif
	return rc;
}
