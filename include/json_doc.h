/*
 * json_doc.h - a JSON document read strictly, with places: the scanner
 * (the authority on syntax, which records every value with its line,
 * column, raw text and subtree size), cJSON's tree built from the same
 * text, and struct jv, which walks both side by side. The only module
 * that sees cJSON. Diagnostics go to a sink that caps how many are kept.
 */
#ifndef ROTA_JSON_DOC_H
#define ROTA_JSON_DOC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "campaign.h"
#include "diag.h"
#include "util.h"

/* Limits of the document layer, documented in docs/campaign-format.md. */
enum {
	MAX_ERRORS = 200,         /* then the reader stops */
	MAX_WARNINGS = 200,       /* then warnings are counted, not shown */
	MAX_NUMBER_CHARS = 63     /* cJSON's own limit for one number */
};

/* Diagnostics, with a cap so that hostile input cannot flood memory. */
struct sink {
	struct diags *d;
	size_t errors, warnings;
	bool full; /* MAX_ERRORS reached: stop reading */
};

struct cJSON;
struct jtok;

/* A parsed document: owns its text, the scanner's records and the tree. */
struct doc {
	char *text;         /* NUL-terminated copy of the input */
	size_t len;
	struct jtok *toks;
	size_t ntoks;
	struct cJSON *root;
};

/* A value: a cJSON node with its scanner record. */
struct jv {
	const struct cJSON *j;
	size_t t; /* index into doc.toks */
};

#define FOR_EACH(doc, parent, var) \
	for (struct jv var = jv_first(parent); jv_present(var); var = jv_next(doc, var))

void sink_vadd(struct sink *s, enum diag_level level, int line, int col, const char *path,
	       const char *fmt, va_list ap);
void sink_add(struct sink *s, enum diag_level level, int line, int col, const char *path,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
size_t utf8_decode(const unsigned char *p, size_t avail, unsigned *cp);
void put_sanitized(struct buf *b, const char *s, size_t len, size_t max);
size_t utf8_chars(const char *s);
void path_push_key(struct buf *path, const char *key, size_t len);
void path_push_index(struct buf *path, size_t i);
void path_pop(struct buf *path, size_t len);
void doc_release(struct doc *doc);
int doc_parse(struct doc *doc, const char *data, size_t len, size_t max_values,
	      struct sink *sink);
struct jv jv_first(struct jv v);
struct jv jv_next(const struct doc *doc, struct jv v);
bool jv_dup(const struct doc *doc, struct jv v);
size_t jv_count(const struct doc *doc, struct jv v);
const char *jv_raw(const struct doc *doc, struct jv v, size_t *len);
struct rota_loc loc_of(const struct doc *doc, struct jv v);
struct rota_loc key_loc_of(const struct doc *doc, struct jv v);

/* What a reader may ask of a value. jv_string() only of a string,
 * jv_key() only of an object's member. */
struct jv jv_none(void);
struct jv doc_root(const struct doc *doc);
bool jv_present(struct jv v);
bool jv_is_string(struct jv v);
bool jv_is_number(struct jv v);
bool jv_is_object(struct jv v);
bool jv_is_array(struct jv v);
bool jv_is_bool(struct jv v);
bool jv_is_true(struct jv v);
bool jv_is_false(struct jv v);
bool jv_is_null(struct jv v);
const char *jv_string(struct jv v);
const char *jv_key(struct jv v);
bool jv_has_child(struct jv v);
/* The first member of obj (an object) called name. */
bool jv_member(const struct doc *doc, struct jv obj, const char *name, struct jv *out);

#endif
