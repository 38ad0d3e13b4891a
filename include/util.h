/*
 * util.h - small helpers shared by every module: checked allocation,
 * a growable byte buffer and the runtime error record.
 *
 * Errors are values: a function that can fail returns 0 on success or a
 * negative ROTA_E* code, and fills the caller-owned struct rota_error.
 */
#ifndef ROTA_UTIL_H
#define ROTA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Return codes of functions that can fail (always <= 0). */
enum {
	ROTA_OK = 0,
	ROTA_EINPUT = -1,  /* the campaign file is invalid */
	ROTA_EIO = -2,     /* reading or writing a file failed */
	ROTA_ENOMEM = -3,  /* out of memory */
	ROTA_ESOLVER = -4, /* the solver failed (not: found no good plan) */
	ROTA_EUSAGE = -5   /* a bad argument from the command line */
};

/* Process exit statuses, documented in docs/rota.1. */
enum {
	ROTA_EXIT_OK = 0,
	ROTA_EXIT_INPUT = 1,  /* the campaign has errors */
	ROTA_EXIT_USAGE = 2,  /* bad command line */
	ROTA_EXIT_IO = 3,     /* a file could not be read or written */
	ROTA_EXIT_SOLVER = 4, /* the solver failed */
	ROTA_EXIT_NOMEM = 5
};

/* A runtime error: set once where it happens, passed up unchanged. */
struct rota_error {
	int code;
	char message[512];
};

/* Sets err (if not NULL) and returns code. */
int rota_error_set(struct rota_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Allocation that aborts the process on failure is deliberately not
 * offered: callers check for NULL and return ROTA_ENOMEM. These wrappers
 * only add overflow checks. */
void *xcalloc_array(size_t count, size_t size);            /* NULL on failure */
void *xrealloc_array(void *ptr, size_t count, size_t size); /* NULL on failure, ptr kept */
char *xstrdup(const char *s);                              /* NULL on failure */

/* Grows *items (of *alloc elements of size elem) to hold at least need
 * elements. Returns 0 or ROTA_ENOMEM (then *items is unchanged). */
int grow_array(void *items_ptr, size_t *alloc, size_t need, size_t elem);

/* A growable NUL-terminated byte buffer. Zero-initialise or buf_init(). */
struct buf {
	char *data; /* NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t alloc;
	int failed; /* set when an allocation failed; later appends are no-ops */
};

void buf_init(struct buf *b);
void buf_release(struct buf *b); /* frees data, leaves b empty and reusable */
void buf_putc(struct buf *b, char c);
void buf_puts(struct buf *b, const char *s);
void buf_putn(struct buf *b, const char *s, size_t n);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Detaches the data (caller frees it); returns NULL if an append failed. */
char *buf_detach(struct buf *b);
/* "" when empty, never NULL. Valid until the next append. */
const char *buf_str(const struct buf *b);

/* Appends s as a JSON string literal (with quotes), escaping as RFC 8259
 * requires; non-ASCII UTF-8 is kept as is. */
void buf_put_json_string(struct buf *b, const char *s);

/* Writes the whole buffer to f; returns 0, ROTA_EIO, or ROTA_ENOMEM when an
 * earlier append had failed (nothing is written then). */
int buf_write(const struct buf *b, FILE *f);

#endif
