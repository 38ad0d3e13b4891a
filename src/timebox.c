/*
 * timebox.c - the calling thread's time limit (timebox.h). Per thread,
 * as GLPK's own state is, so that parts solved at once each have their
 * own.
 */
#include <time.h>

#include "timebox.h"
#include "banned.h"

static _Thread_local double timebox_until;

double timebox_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void timebox_set(double until)
{
	timebox_until = until > 0 ? until : 0.0;
}

double timebox_get(void)
{
	return timebox_until;
}

bool timebox_over(void)
{
	return timebox_until > 0 && timebox_now() >= timebox_until;
}

double timebox_left(void)
{
	double left;

	if (timebox_until <= 0)
		return -1.0;
	left = timebox_until - timebox_now();
	return left > 0 ? left : 0.0;
}

double timebox_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
