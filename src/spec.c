/*
 * spec.c - the free dive run beside the level loop on an idle processor,
 * and the traces (heur.h) that let the loop take its result as if it had
 * run in its place (docs/model.md section 6).
 *
 * The free dive comes after the dive that keeps the extra sessions and
 * its repair, and reads of what they change only the cutoff (the
 * incumbent's value) and the lazy rows of lp->P. Started before them with
 * the cutoff before them, which is no better, it follows the same path
 * up to the first test its LP fails against the later cutoff, where
 * alone it would have stopped with nothing; the trace lists the
 * objective at each test and the lazy rows it added between them. The
 * loop takes that result only when the first dive added no lazy row.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "heur.h"
#include "lp.h"
#include "spare.h"
#include "timebox.h"
#include "banned.h"

int heur_trace_init(struct heur_trace *t, const struct level_lp *lp,
		    const atomic_bool *cancel)
{
	size_t n = (size_t)lp->mo->nrows;

	memset(t, 0, sizeof(*t));
	t->cancel = cancel;
	t->rows = malloc((n + 1) * sizeof(int));
	t->stamps = malloc((n + 1) * sizeof(int));
	t->known = malloc(n + 1);
	t->seen = malloc(HEUR_TRACE_TESTS * sizeof(double));
	if (!t->rows || !t->stamps || !t->known || !t->seen) {
		heur_trace_release(t);
		return ROTA_ENOMEM;
	}
	memcpy(t->known, lp->in_p, n);
	return ROTA_OK;
}

void heur_trace_release(struct heur_trace *t)
{
	free(t->rows);
	free(t->stamps);
	free(t->known);
	free(t->seen);
	memset(t, 0, sizeof(*t));
}

/* Model row i into lp->P, as levels_add_broken_rows adds it. */
static int add_row(struct level_lp *lp, int i)
{
	size_t a = lp->row_start[i], b = lp->row_start[i + 1];
	int r, rc;

	rc = lp_add_rows(lp->P, 1, &r);
	if (!rc)
		rc = lp_set_row_bounds(lp->P, r, LP_UPPER, 0.0, lp->mo->rhs[i]);
	if (!rc)
		rc = lp_set_row(lp->P, r, (int)(b - a), lp->row_col + a, lp->row_val + a);
	if (!rc)
		lp->in_p[i] = 1;
	return rc;
}

int heur_trace_apply(struct level_lp *lp, const struct heur_trace *t, int tests)
{
	int rc = ROTA_OK;

	for (int k = 0; k < t->nrows && t->stamps[k] <= tests && !rc; k++)
		if (!lp->in_p[t->rows[k]])
			rc = add_row(lp, t->rows[k]);
	return rc;
}

int heur_add_broken_rows(struct level_lp *lp, struct lp *Q, const double *x, char *in_q,
			 int *added)
{
	struct heur_trace *t = lp->trace;
	struct level_lp view;
	int rc;

	if (!t)
		return levels_add_broken_rows(lp, Q, x, in_q, added);
	/* With Q as its problem, levels_add_broken_rows leaves lp->P. */
	view = *lp;
	view.P = Q;
	rc = levels_add_broken_rows(&view, Q, x, in_q, added);
	/* Added in the order of the rows, after those listed. */
	for (int i = 0; i < lp->mo->nrows && *added > 0; i++)
		if (in_q[i] && !t->known[i]) {
			t->known[i] = 1;
			t->rows[t->nrows] = i;
			t->stamps[t->nrows] = t->nseen;
			t->nrows++;
		}
	return rc;
}

bool heur_stop(const struct level_lp *lp)
{
	return solve_out_of_time(lp->until) ||
	       (lp->trace && lp->trace->cancel && atomic_load(lp->trace->cancel));
}

struct dive_spec {
	struct level_lp view;    /* the task's: its own P and in_p */
	struct lp_frozen *frozen;
	struct heur_trace trace;
	double cutoff;
	double *out;
	bool found;
	bool ready;              /* the task had its problem */
	double cpu;              /* the task's processor time (debug trace only) */
	struct spare_task *task;
};

static void spec_free(struct dive_spec *s)
{
	lp_frozen_free(s->frozen);
	heur_trace_release(&s->trace);
	free(s->view.in_p);
	free(s->out);
	free(s);
}

static int dive_task(void *arg, const atomic_bool *cancel)
{
	struct dive_spec *s = arg;
	double cpu = timebox_cpu_now();
	int rc;

	s->trace.cancel = cancel;
	rc = lp_thaw(s->frozen, &s->view.P);
	if (rc)
		return rc;
	s->ready = true;
	rc = heur_dive(&s->view, false, s->cutoff, s->out, &s->found);
	lp_free(s->view.P);
	s->view.P = NULL;
	s->cpu = timebox_cpu_now() - cpu;
	return rc;
}

/* lp->P for another thread: a copy of a copy lists each column's
 * elements in lp->P's order (each copy reverses them), which freezing
 * requires, and the task's own copy of it then is the copy heur_dive
 * would make of lp->P. */
static int freeze_p(struct level_lp *lp, struct lp_frozen **out)
{
	struct lp *c1 = NULL, *c2 = NULL;
	int rc;

	*out = NULL;
	rc = lp_copy(&c1, lp->P);
	if (!rc)
		rc = lp_copy(&c2, c1);
	lp_free(c1);
	if (!rc)
		rc = lp_freeze(&c2, out);
	lp_free(c2);
	return rc;
}

struct dive_spec *dive_spec_start(struct level_lp *lp, double cutoff)
{
	const struct model *mo = lp->mo;
	struct dive_spec *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->view = *lp;
	s->view.P = NULL;
	s->view.x = NULL; /* the free dive does not read the incumbent */
	s->view.in_p = malloc((size_t)mo->nrows + 1);
	s->out = malloc(((size_t)mo->ncols + 1) * sizeof(double));
	s->cutoff = cutoff;
	if (!s->view.in_p || !s->out || heur_trace_init(&s->trace, lp, NULL) ||
	    freeze_p(lp, &s->frozen) || !s->frozen)
		goto fail;
	memcpy(s->view.in_p, lp->in_p, (size_t)mo->nrows);
	s->view.trace = &s->trace;
	s->task = spare_start(lp->run, lp->until, dive_task, s);
	if (s->task)
		return s;
fail:
	spec_free(s);
	return NULL;
}

void dive_spec_cancel(struct dive_spec *s)
{
	if (s)
		spare_cancel(s->task);
}

void dive_spec_drop(struct dive_spec *s)
{
	if (!s)
		return;
	spare_cancel(s->task);
	spare_join(s->task);
	spec_free(s);
}

int dive_spec_finish(struct level_lp *lp, struct dive_spec *s, double cutoff, double *out,
		     bool *found, bool *redo)
{
	const struct heur_trace *t = &s->trace;
	double t_join = solve_now();
	int rc = spare_join(s->task), k = 0;

	*found = false;
	*redo = rc || !s->ready || t->full;
	if (*redo) {
		solve_debug(lp->run, "%s %s: the free dive beside the first failed; run again",
			    lp->model_name, lp->level_name);
		spec_free(s);
		return ROTA_OK;
	}
	/* The first test that cutoff fails: the dive alone stops there. */
	while (k < t->nseen && !(t->seen[k] > cutoff - 0.5))
		k++;
	solve_debug(lp->run, "%s %s: the free dive beside the first: %s (test %d of %d), "
		    "%d lazy rows; processor %.2f s beside, %.2f s waited for",
		    lp->model_name, lp->level_name,
		    k < t->nseen ? "stopped by the first's incumbent" : "taken", k, t->nseen,
		    t->nrows, s->cpu, solve_now() - t_join);
	if (k < t->nseen) {
		rc = heur_trace_apply(lp, t, k);
	} else {
		rc = heur_trace_apply(lp, t, INT_MAX);
		*found = s->found;
		if (*found)
			memcpy(out, s->out, (size_t)lp->mo->ncols * sizeof(double));
	}
	spec_free(s);
	return rc;
}
