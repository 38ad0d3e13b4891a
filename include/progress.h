/*
 * progress.h - the command line's printers for the solver's callbacks
 * (struct solve_options): a progress line and debug lines, both on the
 * FILE * given as the callback argument.
 */
#ifndef ROTA_PROGRESS_H
#define ROTA_PROGRESS_H

#include "solve.h"

/* "\rrota: 12.3 s  part 2/5  served-p1  best 40  bound 42  gap 4.76%",
 * rewritten in place; erased when p->done. arg: a FILE *. */
void progress_print(void *arg, const struct solve_progress *p);
/* Prints line and a newline. arg: a FILE *. */
void debug_print(void *arg, const char *line);

#endif
