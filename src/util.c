/* util.c - allocation helpers, growable buffers and error records. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

int rota_error_set(struct rota_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void *xcalloc_array(size_t count, size_t size)
{
	if (count == 0 || size == 0)
		return calloc(1, 1);
	if (count > SIZE_MAX / size)
		return NULL;
	return calloc(count, size);
}

void *xrealloc_array(void *ptr, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	if (count == 0 || size == 0)
		return realloc(ptr, 1);
	return realloc(ptr, count * size);
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = malloc(n);

	if (copy)
		memcpy(copy, s, n);
	return copy;
}

int grow_array(void *items_ptr, size_t *alloc, size_t need, size_t elem)
{
	void **items = items_ptr;
	size_t n = *alloc ? *alloc : 8;
	void *grown;

	if (need <= *alloc)
		return ROTA_OK;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return ROTA_ENOMEM;
		n *= 2;
	}
	grown = xrealloc_array(*items, n, elem);
	if (!grown)
		return ROTA_ENOMEM;
	*items = grown;
	*alloc = n;
	return ROTA_OK;
}

void buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

static int buf_reserve(struct buf *b, size_t extra)
{
	size_t need;

	if (b->failed)
		return -1;
	if (extra > SIZE_MAX - b->len - 1) {
		b->failed = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need > b->alloc && grow_array(&b->data, &b->alloc, need, 1)) {
		b->failed = 1;
		return -1;
	}
	return 0;
}

void buf_putn(struct buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_putc(struct buf *b, char c)
{
	buf_putn(b, &c, 1);
}

void buf_puts(struct buf *b, const char *s)
{
	buf_putn(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (buf_reserve(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_detach(struct buf *b)
{
	char *data;

	if (b->failed) {
		buf_release(b);
		return NULL;
	}
	if (buf_reserve(b, 0))
		return NULL;
	b->data[b->len] = '\0';
	data = b->data;
	buf_init(b);
	return data;
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

void buf_put_json_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	buf_putc(b, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\u%04x", *p);
			else
				buf_putc(b, (char)*p);
		}
	}
	buf_putc(b, '"');
}

int buf_write(const struct buf *b, FILE *f)
{
	if (b->failed)
		return ROTA_ENOMEM;
	if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
		return ROTA_EIO;
	return ROTA_OK;
}
