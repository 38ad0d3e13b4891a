/*
 * progress.c - the command line's printers for the solver's callbacks
 * (progress.h). The progress line has a thread of its own that prints the
 * latest state twice a second; the solver's threads only record it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "progress.h"
#include "timebox.h"
#include "banned.h"

/* Seconds between two lines, and before the first. */
#define PROGRESS_EVERY 0.5
#define PROGRESS_FIRST 1.0

struct progress {
	FILE *f;
	double t0;
	pthread_t thread;
	pthread_mutex_t lock;  /* guards what follows */
	pthread_cond_t wake;
	bool running;          /* the thread runs (the line is shown) */
	bool stop, shown;
	char stage[48];
	bool solving;          /* part, level, best and bound are the solver's */
	size_t part, nparts;
	bool has_best, has_bound;
	double best, bound, gap;
};

static void print_line(struct progress *pr)
{
	char numbers[160] = "";

	if (pr->solving && pr->has_best && pr->has_bound)
		snprintf(numbers, sizeof(numbers), "  best %.0f  bound %.0f  gap %.2f%%", pr->best,
			 pr->bound, 100.0 * pr->gap);
	else if (pr->solving && pr->has_best)
		snprintf(numbers, sizeof(numbers), "  best %.0f", pr->best);
	if (pr->solving)
		fprintf(pr->f, "\rrota: %6.1f s  part %zu/%zu  %s%s\033[K", timebox_now() - pr->t0,
			pr->part + 1, pr->nparts, pr->stage, numbers);
	else
		fprintf(pr->f, "\rrota: %6.1f s  %s\033[K", timebox_now() - pr->t0, pr->stage);
	fflush(pr->f);
	pr->shown = true;
}

/* Waits until `at` (a timebox_now() time: the condition's clock is the
 * same monotonic one) or until stopped. */
static void wait_until(struct progress *pr, double at)
{
	struct timespec ts;

	ts.tv_sec = (time_t)at;
	ts.tv_nsec = (long)((at - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (!pr->stop && timebox_now() < at)
		if (pthread_cond_timedwait(&pr->wake, &pr->lock, &ts) == ETIMEDOUT)
			break;
}

static void *ticker(void *arg)
{
	struct progress *pr = arg;
	double next = pr->t0 + PROGRESS_FIRST;

	pthread_mutex_lock(&pr->lock);
	while (!pr->stop) {
		wait_until(pr, next);
		if (pr->stop)
			break;
		print_line(pr);
		next = timebox_now() + PROGRESS_EVERY;
	}
	if (pr->shown) {
		fputs("\r\033[K", pr->f);
		fflush(pr->f);
	}
	pthread_mutex_unlock(&pr->lock);
	return NULL;
}

static void set_stage(struct progress *pr, const char *stage)
{
	snprintf(pr->stage, sizeof(pr->stage), "%s", stage ? stage : "");
}

struct progress *progress_start(FILE *f, const char *stage, bool show)
{
	struct progress *pr = calloc(1, sizeof(*pr));
	pthread_condattr_t ca;

	if (!pr)
		return NULL;
	pr->f = f;
	pr->t0 = timebox_now();
	set_stage(pr, stage);
	pthread_mutex_init(&pr->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pr->wake, &ca);
	pthread_condattr_destroy(&ca);
	pr->running = show && pthread_create(&pr->thread, NULL, ticker, pr) == 0;
	return pr;
}

void progress_stage(struct progress *pr, const char *stage)
{
	if (!pr)
		return;
	pthread_mutex_lock(&pr->lock);
	set_stage(pr, stage);
	pr->solving = false;
	pthread_mutex_unlock(&pr->lock);
}

void progress_update(void *arg, const struct solve_progress *p)
{
	struct progress *pr = arg;

	if (!pr || p->done)
		return;
	pthread_mutex_lock(&pr->lock);
	set_stage(pr, p->stage);
	pr->solving = true;
	pr->part = p->part;
	pr->nparts = p->nparts;
	pr->has_best = p->has_best;
	pr->has_bound = p->has_bound;
	pr->best = p->best;
	pr->bound = p->bound;
	pr->gap = p->gap;
	pthread_mutex_unlock(&pr->lock);
}

void progress_stop(struct progress *pr)
{
	if (!pr)
		return;
	if (pr->running) {
		pthread_mutex_lock(&pr->lock);
		pr->stop = true;
		pthread_cond_signal(&pr->wake);
		pthread_mutex_unlock(&pr->lock);
		pthread_join(pr->thread, NULL);
	}
	pthread_cond_destroy(&pr->wake);
	pthread_mutex_destroy(&pr->lock);
	free(pr);
}

void debug_print(void *arg, const char *line)
{
	struct progress *pr = arg;

	if (!pr) {
		fprintf(stderr, "%s\n", line);
		return;
	}
	/* On a line of its own, the progress line redrawn after it. */
	pthread_mutex_lock(&pr->lock);
	fprintf(pr->f, "%s%s\n", pr->shown ? "\r\033[K" : "", line);
	pr->shown = false;
	pthread_mutex_unlock(&pr->lock);
}
