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
#include <pthread.h>
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
	const struct lp *src;    /* lp->P, read by the task while the loop waits */
	pthread_mutex_t lock;
	pthread_cond_t copied_cond;
	bool copied;             /* the task is done with src */
	struct heur_trace trace;
	_Atomic double cutoff_now; /* the trace's: the loop's cutoff, first the one
				    * before the first dive */
	double *out;
	bool found;
	double cpu;              /* the task's processor time (debug trace only) */
	struct spare_task *task;
};

static void spec_free(struct dive_spec *s)
{
	heur_trace_release(&s->trace);
	free(s->view.in_p);
	free(s->out);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->copied_cond);
	free(s);
}

/* The task's copy of src, a problem of the loop's thread, which waits
 * meanwhile: src is read by one thread at a time. */
static int copy_src(struct dive_spec *s, struct lp **out)
{
	int rc = lp_copy_across(out, s->src);

	pthread_mutex_lock(&s->lock);
	s->copied = true;
	pthread_cond_signal(&s->copied_cond);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static int dive_task(void *arg, const atomic_bool *cancel)
{
	struct dive_spec *s = arg;
	struct lp *c1 = NULL;
	double cpu = timebox_cpu_now();
	int rc;

	s->trace.cancel = cancel;
	rc = copy_src(s, &c1);
	/* A copy of the copy lists each column's elements in lp->P's order
	 * (each copy reverses them), so that heur_dive's own copy of it is
	 * the one it would make of lp->P. */
	if (!rc)
		rc = lp_copy(&s->view.P, c1);
	lp_free(c1);
	if (!rc)
		rc = heur_dive(&s->view, false, atomic_load(&s->cutoff_now), s->out, &s->found);
	lp_free(s->view.P);
	s->view.P = NULL;
	s->cpu = timebox_cpu_now() - cpu;
	return rc;
}

int dive_spec_start(struct level_lp *lp, double cutoff, struct dive_spec **out)
{
	const struct model *mo = lp->mo;
	struct dive_spec *s = calloc(1, sizeof(*s));
	int rc = ROTA_ENOMEM;

	*out = NULL;
	if (!s)
		return rc;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->copied_cond, NULL);
	s->view = *lp;
	s->view.P = NULL;
	s->view.x = NULL; /* the free dive does not read the incumbent */
	s->view.in_p = malloc((size_t)mo->nrows + 1);
	s->out = malloc(((size_t)mo->ncols + 1) * sizeof(double));
	s->src = lp->P;
	if (!s->view.in_p || !s->out || heur_trace_init(&s->trace, lp, NULL))
		goto fail;
	memcpy(s->view.in_p, lp->in_p, (size_t)mo->nrows);
	s->view.trace = &s->trace;
	atomic_init(&s->cutoff_now, cutoff);
	s->trace.cutoff_now = &s->cutoff_now;
	rc = spare_start(lp->run, lp->until, dive_task, s, &s->task);
	if (rc || !s->task)
		goto fail;
	pthread_mutex_lock(&s->lock);
	while (!s->copied)
		pthread_cond_wait(&s->copied_cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
	*out = s;
	return ROTA_OK;
fail:
	spec_free(s);
	return rc;
}

void dive_spec_cancel(struct dive_spec *s)
{
	if (s)
		spare_cancel(s->task);
}

int dive_spec_drop(struct dive_spec *s)
{
	int rc;

	if (!s)
		return ROTA_OK;
	spare_cancel(s->task);
	rc = spare_join(s->task);
	spec_free(s);
	return rc;
}

void dive_spec_tighten(struct dive_spec *s, double cutoff)
{
	if (s && cutoff < atomic_load(&s->cutoff_now))
		atomic_store(&s->cutoff_now, cutoff);
}

int dive_spec_finish(struct level_lp *lp, struct dive_spec *s, double cutoff, double *out,
		     bool *found, bool *redo)
{
	const struct heur_trace *t = &s->trace;
	double t_join = solve_now();
	int rc = spare_join(s->task), k = 0;

	*found = false;
	*redo = !rc && t->full;
	if (rc || *redo) {
		spec_free(s);
		return rc;
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
