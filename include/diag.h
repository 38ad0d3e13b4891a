/*
 * diag.h - diagnostics about an input file: every problem found, with its
 * place, so that one run reports all of them (as mandoc does).
 *
 * A diagnostic prints as
 *   rota: FILE:LINE:COL: PATH: message            (an error)
 *   rota: FILE:LINE:COL: PATH: warning: message   (a warning)
 * where PATH is the JSON path of the value ("units[3].demand[0].count"),
 * "" when the problem is not inside a value (a syntax error), and LINE/COL
 * count from 1 (columns in characters, not bytes).
 */
#ifndef ROTA_DIAG_H
#define ROTA_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag {
	enum diag_level level;
	int line, col; /* 0 when the problem concerns the whole file */
	char *path;    /* owned; never NULL */
	char *message; /* owned; never NULL */
	size_t seq;    /* order of addition, to keep sorting stable */
};

struct diags {
	const char *file; /* borrowed: the name printed before each place */
	struct diag *items;
	size_t count, alloc;
	size_t errors, warnings;
	int oom; /* an allocation failed: some diagnostics were lost */
};

void diags_init(struct diags *d, const char *file);
/* Frees every diagnostic; d may be reused after diags_init. */
void diags_release(struct diags *d);

void diags_add(struct diags *d, enum diag_level level, int line, int col,
	       const char *path, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void diags_vadd(struct diags *d, enum diag_level level, int line, int col,
		const char *path, const char *fmt, va_list ap);

/* Sorts by line, column, then order of addition, and drops exact repeats. */
void diags_sort(struct diags *d);
/* Prints every diagnostic, one per line, each prefixed "rota: ". */
void diags_print(const struct diags *d, FILE *out);

#endif
