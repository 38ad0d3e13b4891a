/* diag.c - collecting and printing diagnostics about an input file. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "banned.h"

void diags_init(struct diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file;
}

void diags_release(struct diags *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].path);
		free(d->items[i].message);
	}
	free(d->items);
	d->items = NULL;
	d->count = d->alloc = d->errors = d->warnings = 0;
}

void diags_vadd(struct diags *d, enum diag_level level, int line, int col, const char *path,
		const char *fmt, va_list ap)
{
	struct buf msg;
	struct diag *item;

	if (level == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (grow_array(&d->items, &d->alloc, d->count + 1, sizeof(*d->items))) {
		d->oom = 1;
		return;
	}
	buf_init(&msg);
	buf_vprintf(&msg, fmt, ap);
	item = &d->items[d->count];
	item->level = level;
	item->line = line;
	item->col = col;
	item->seq = d->count;
	item->path = xstrdup(path ? path : "");
	item->message = buf_detach(&msg);
	if (!item->path || !item->message) {
		free(item->path);
		free(item->message);
		d->oom = 1;
		return;
	}
	d->count++;
}

void diags_add(struct diags *d, enum diag_level level, int line, int col, const char *path,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(d, level, line, col, path, fmt, ap);
	va_end(ap);
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool diag_same(const struct diag *a, const struct diag *b)
{
	return a->level == b->level && a->line == b->line && a->col == b->col &&
	       !strcmp(a->path, b->path) && !strcmp(a->message, b->message);
}

void diags_sort(struct diags *d)
{
	size_t kept = 0;

	if (d->count > 1)
		qsort(d->items, d->count, sizeof(*d->items), diag_cmp);
	for (size_t i = 0; i < d->count; i++) {
		if (kept && diag_same(&d->items[kept - 1], &d->items[i])) {
			if (d->items[i].level == DIAG_ERROR)
				d->errors--;
			else
				d->warnings--;
			free(d->items[i].path);
			free(d->items[i].message);
			continue;
		}
		d->items[kept++] = d->items[i];
	}
	d->count = kept;
}

void diags_print(const struct diags *d, FILE *out)
{
	for (size_t i = 0; i < d->count; i++) {
		const struct diag *g = &d->items[i];

		fprintf(out, "rota: %s", d->file ? d->file : "-");
		if (g->line > 0)
			fprintf(out, ":%d:%d", g->line, g->col);
		fputs(": ", out);
		if (g->path[0])
			fprintf(out, "%s: ", g->path);
		if (g->level == DIAG_WARNING)
			fputs("warning: ", out);
		fprintf(out, "%s\n", g->message);
	}
	if (d->oom)
		fputs("rota: out of memory: some problems were not reported\n", out);
}
