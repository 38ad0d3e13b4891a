/*
 * progress.h - the command line's printers for the solver's callbacks
 * (struct solve_options): a progress line and debug lines, both on a
 * FILE *.
 */
#ifndef ROTA_PROGRESS_H
#define ROTA_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include "solve.h"

/*
 * A progress line, "rota:   12.3 s  part 2/5  served-p1  best 40  bound 42
 * gap 4.76%", rewritten in place on f by a thread of its own twice a
 * second from one second after progress_start, so that the time moves on
 * while a stage says nothing (a long LP, reading, writing). It shows the
 * stage set last: by progress_stage ("reading", "writing") or by the
 * solver through progress_update.
 */
struct progress;

/* Starts the line on f at stage `stage`, shown when `show` (and a thread
 * can be had); otherwise only debug_print uses it. Returns NULL when out
 * of memory. */
struct progress *progress_start(FILE *f, const char *stage, bool show);
/* A stage of the command line itself: reading, writing. pr may be NULL. */
void progress_stage(struct progress *pr, const char *stage);
/* solve_options.on_progress: keeps the solver's latest report; arg is a
 * struct progress * (or NULL: nothing). */
void progress_update(void *arg, const struct solve_progress *p);
/* Stops the thread, erases the line and frees pr. NULL: nothing. */
void progress_stop(struct progress *pr);

/* solve_options.on_debug: prints line and a newline on the progress
 * line's FILE, the line erased first (stderr when arg is NULL). arg: a
 * struct progress *. */
void debug_print(void *arg, const char *line);

#endif
