/*
 * spare.c - tasks on the run's idle processors (spare.h). The count of
 * idle processors is taken and given back atomically, so that parts
 * solved on several threads share it without a lock. A task's thread has
 * GLPK state of its own (lp.c), freed when the task ends.
 */
#include <pthread.h>
#include <stdlib.h>

#include "lp.h"
#include "spare.h"
#include "timebox.h"
#include "banned.h"

struct spare_task {
	struct solve_run *run;
	pthread_t thread;
	double until;
	spare_fn fn;
	void *arg;
	atomic_bool cancel;
	int rc;
};

void spare_init(struct solve_run *run, int n)
{
	atomic_init(&run->idle, n > 0 ? n : 0);
}

void spare_give(struct solve_run *run)
{
	atomic_fetch_add(&run->idle, 1);
}

void spare_take(struct solve_run *run)
{
	atomic_fetch_sub(&run->idle, 1);
}

/* One idle processor for a task, or false. */
static bool take_idle(struct solve_run *run)
{
	int n = atomic_load(&run->idle);

	while (n > 0)
		if (atomic_compare_exchange_weak(&run->idle, &n, n - 1))
			return true;
	return false;
}

static void *task_main(void *arg)
{
	struct spare_task *t = arg;

	timebox_set(t->until);
	lp_set_mem_limit(t->run->o->glpk_mem_limit);
	t->rc = t->fn(t->arg, &t->cancel);
	/* Every problem of the task was freed by fn. */
	lp_thread_done();
	return NULL;
}

int spare_start(struct solve_run *run, double until, spare_fn fn, void *arg,
		struct spare_task **out)
{
	struct spare_task *t;

	*out = NULL;
	if (!take_idle(run))
		return ROTA_OK;
	t = malloc(sizeof(*t));
	if (!t) {
		spare_give(run);
		return ROTA_ENOMEM;
	}
	t->run = run;
	t->until = until;
	t->fn = fn;
	t->arg = arg;
	t->rc = 0;
	atomic_init(&t->cancel, false);
	if (pthread_create(&t->thread, NULL, task_main, t) == 0) {
		*out = t;
		return ROTA_OK;
	}
	free(t);
	spare_give(run);
	return ROTA_OK;
}

void spare_cancel(struct spare_task *t)
{
	if (t)
		atomic_store(&t->cancel, true);
}

int spare_join(struct spare_task *t)
{
	int rc;

	if (!t)
		return 0;
	pthread_join(t->thread, NULL);
	rc = t->rc;
	spare_give(t->run);
	free(t);
	return rc;
}
