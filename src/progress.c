/*
 * progress.c - the command line's printers for the solver's callbacks
 * (progress.h). The solver calls them one at a time.
 */
#include <stdio.h>

#include "progress.h"
#include "banned.h"

void progress_print(void *arg, const struct solve_progress *p)
{
	FILE *f = arg;

	if (p->done)
		fputs("\r\033[K", f);
	else
		fprintf(f, "\rrota: %6.1f s  part %zu/%zu  %-16s best %.0f  bound %.0f  gap %.2f%%   ",
			p->seconds, p->part + 1, p->nparts, p->level, p->best, p->bound,
			100.0 * p->gap);
	fflush(f);
}

void debug_print(void *arg, const char *line)
{
	FILE *f = arg;

	fprintf(f, "%s\n", line);
}
