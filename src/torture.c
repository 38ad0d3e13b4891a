/*
 * torture.c - allocation torture (curl's idea), compiled only by
 * `make TORTURE=1` (build-torture/): the program is linked with
 * --wrap=malloc,calloc,realloc,strdup so that every allocation rota's own
 * code makes comes here, and the Nth of them fails when the environment
 * says ROTA_TORTURE_FAIL=N (counting from 1, over every thread). With
 * ROTA_TORTURE_COUNT set, the number of allocations made is printed on
 * standard error at exit ("rota: torture: N allocations"), so that a run
 * knows how far to go; with ROTA_TORTURE_TRACE set, the stack of the
 * allocation that fails is printed; with ROTA_TORTURE_SCOPE=solve only
 * the allocations inside plan_solve count. tests/torture.sh drives it.
 *
 * Not covered: allocations inside the libraries (GLPK, cJSON, libical,
 * the C library's own, e.g. realpath, opendir, fopen buffers).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "torture.h"
#include "util.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
char *__wrap_strdup(const char *s);

/* ASan's: the stack of the failed allocation, with ROTA_TORTURE_TRACE. */
void __sanitizer_print_stack_trace(void);

static atomic_long torture_count;
static long torture_fail_at;
static int torture_trace;
/* ROTA_TORTURE_SCOPE=solve: only the allocations made inside plan_solve
 * count (and fail), between torture_scope_begin and torture_scope_end. */
static int torture_scoped;
static atomic_int torture_in_scope;

/* The environment is read here, before main, and only in this build. */
static void torture_report(void)
{
	fprintf(stderr, "rota: torture: %ld allocations\n", (long)atomic_load(&torture_count));
}

__attribute__((constructor)) static void torture_init(void)
{
	const char *n = getenv("ROTA_TORTURE_FAIL");

	if (n)
		torture_fail_at = strtol(n, NULL, 10);
	const char *scope = getenv("ROTA_TORTURE_SCOPE");

	torture_trace = getenv("ROTA_TORTURE_TRACE") != NULL;
	torture_scoped = scope && !strcmp(scope, "solve");
	if (getenv("ROTA_TORTURE_COUNT"))
		atexit(torture_report);
}

void torture_scope_begin(void)
{
	atomic_store(&torture_in_scope, 1);
}

void torture_scope_end(void)
{
	atomic_store(&torture_in_scope, 0);
}

static int torture_fails(void)
{
	long k;

	if (torture_scoped && !atomic_load(&torture_in_scope))
		return 0;
	k = atomic_fetch_add(&torture_count, 1) + 1;

	if (torture_fail_at <= 0 || k != torture_fail_at)
		return 0;
	if (torture_trace) {
		fprintf(stderr, "rota: torture: allocation %ld fails here:\n", k);
		__sanitizer_print_stack_trace();
	}
	return 1;
}

void *__wrap_malloc(size_t size)
{
	return torture_fails() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
	return torture_fails() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
	return torture_fails() ? NULL : __real_realloc(ptr, size);
}

char *__wrap_strdup(const char *s)
{
	return torture_fails() ? NULL : __real_strdup(s);
}
