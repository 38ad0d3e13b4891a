/*
 * csv_read.c - a spreadsheet saved as CSV, behind libcsv (Debian's
 * libcsv-dev): libcsv does the quoting rules (doubled quotes, embedded line
 * ends, strict mode for stray quotes); this file adds what it lacks: the
 * encoding check, the delimiter guess, and the place of every field.
 *
 * libcsv reports a field only when it ends, with no offset, so the bytes
 * are fed to it one at a time: the callback then knows where the parser
 * stands, and the field's start is where the previous one ended.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "csv_read.h"
#include "banned.h"

struct reader {
	struct csv_table *table;
	struct diags *d;
	int line, col;           /* place of the byte being fed */
	int start_line, start_col; /* where the next field starts */
	bool skip_line_ends;     /* a row just ended: the next field starts after CR/LF */
	bool row_open;           /* a row has at least one field */
	bool too_wide;           /* a row exceeded CSV_MAX_FIELDS (reported once) */
	int oom;
};

void csv_table_free(struct csv_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t j = 0; j < t->rows[i].ncells; j++)
			free(t->rows[i].cells[j].text);
		free(t->rows[i].cells);
	}
	free(t->rows);
	free(t);
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;
	struct csv_table *t = r->table;
	struct csv_row *row;
	char *text;

	if (r->oom)
		return;
	if (!r->row_open) {
		if (grow_array(&t->rows, &t->alloc, t->nrows + 1, sizeof(*t->rows))) {
			r->oom = 1;
			return;
		}
		row = &t->rows[t->nrows++];
		memset(row, 0, sizeof(*row));
		row->line = r->start_line;
		r->row_open = true;
	}
	row = &t->rows[t->nrows - 1];
	if (row->ncells >= CSV_MAX_FIELDS) {
		if (!r->too_wide)
			diags_add(r->d, DIAG_ERROR, r->start_line, r->start_col, "",
				  "more than %d fields in one row", CSV_MAX_FIELDS);
		r->too_wide = true;
		goto next;
	}
	if (grow_array(&row->cells, &row->alloc, row->ncells + 1, sizeof(*row->cells))) {
		r->oom = 1;
		return;
	}
	text = malloc(len + 1);
	if (!text) {
		r->oom = 1;
		return;
	}
	if (len)
		memcpy(text, data, len);
	text[len] = '\0';
	row->cells[row->ncells].text = text;
	row->cells[row->ncells].line = r->start_line;
	row->cells[row->ncells].col = r->start_col;
	row->ncells++;
next:
	/* After a delimiter the next field starts at the next byte (a row end
	 * moves it again, in on_row). */
	r->start_line = r->line;
	r->start_col = r->col + 1;
}

static void on_row(int terminator, void *ctx)
{
	struct reader *r = ctx;

	(void)terminator;
	r->row_open = false;
	r->skip_line_ends = true;
}

/* Length of the UTF-8 sequence at s (of n bytes), or 0 when it is not
 * valid UTF-8 (overlong forms, surrogates and values past U+10FFFF
 * included); *cp gets the code point. */
static size_t utf8_sequence(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Checks that the text is UTF-8 without control characters other than tab
 * and line ends. Reports the first offence only: a file saved in a Windows
 * code page has hundreds, and the cure is the same for all. */
static int check_encoding(const unsigned char *s, size_t n, struct diags *d)
{
	int line = 1, col = 1;

	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = utf8_sequence(s + i, n - i, &cp);

		if (!len) {
			diags_add(d, DIAG_ERROR, line, col, "",
				  "byte 0x%02X is not UTF-8: the file was saved in a Windows code page; "
				  "save the sheet as \"CSV UTF-8 (Comma delimited) (*.csv)\"",
				  s[i]);
			return ROTA_EINPUT;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n') || cp == 0x7F ||
		    (cp >= 0x80 && cp <= 0x9F)) {
			diags_add(d, DIAG_ERROR, line, col, "", "control character U+%04X", cp);
			return ROTA_EINPUT;
		}
		if (cp == '\n' || (cp == '\r' && (i + 1 >= n || s[i + 1] != '\n'))) {
			line++;
			col = 1;
		} else if (cp != '\r') {
			col++;
		}
		i += len;
	}
	return 0;
}

/* The one of ',', ';' and tab that the first lines hold most often outside
 * quotes (Excel writes ';' on a machine whose list separator is ';', and
 * tabs as "Text (Tab delimited)"); ',' when none. */
static char guess_delimiter(const char *s, size_t n)
{
	size_t commas = 0, semicolons = 0, tabs = 0;
	int lines = 0;
	bool quoted = false;

	for (size_t i = 0; i < n && lines < 20; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == ',')
			commas++;
		else if (s[i] == ';')
			semicolons++;
		else if (s[i] == '\t')
			tabs++;
		else if (s[i] == '\n')
			lines++;
	}
	if (tabs > commas && tabs > semicolons)
		return '\t';
	return semicolons > commas ? ';' : ',';
}

/* A row of one field that holds the other delimiter, in a file whose rows
 * have several fields: that line was typed or pasted with the other one. */
static const char *delimiter_name(char c)
{
	return c == ',' ? "','" : c == ';' ? "';'" : "tabs";
}

/* Only spaces are trimmed around a field when tabs separate the fields. */
static int is_space_only(unsigned char c)
{
	return c == ' ';
}

static void check_delimiter_mix(const struct csv_table *t, struct diags *d)
{
	static const char candidates[] = { ',', ';', '\t' };
	size_t widest = 0;

	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].ncells > widest)
			widest = t->rows[i].ncells;
	if (widest < 2)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct csv_row *row = &t->rows[i];

		if (row->ncells != 1)
			continue;
		for (size_t k = 0; k < sizeof(candidates); k++) {
			if (candidates[k] == t->delimiter || !strchr(row->cells[0].text, candidates[k]))
				continue;
			diags_add(d, DIAG_ERROR, row->line, row->cells[0].col, "",
				  "this line separates its fields with %s but the file uses %s: "
				  "save the whole sheet again as CSV",
				  delimiter_name(candidates[k]), delimiter_name(t->delimiter));
			break;
		}
	}
}

int csv_read_buffer(struct csv_table **out, const char *data, size_t len, struct diags *d)
{
	struct csv_parser parser;
	struct reader r;
	const unsigned char *s = (const unsigned char *)data;
	size_t errors_before = d->errors;
	int rc = ROTA_OK;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		data += 3;
		s += 3;
		len -= 3;
	}
	if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		diags_add(d, DIAG_ERROR, 1, 1, "",
			  "the file is UTF-16 (Excel's \"Unicode Text\"): save the sheet as "
			  "\"CSV UTF-8 (Comma delimited) (*.csv)\"");
		return ROTA_EINPUT;
	}
	if (check_encoding(s, len, d))
		return ROTA_EINPUT;
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		return ROTA_ENOMEM;
	r.table = calloc(1, sizeof(*r.table));
	if (!r.table) {
		csv_free(&parser);
		return ROTA_ENOMEM;
	}
	r.table->delimiter = guess_delimiter(data, len);
	csv_set_delim(&parser, (unsigned char)r.table->delimiter);
	if (r.table->delimiter == '\t')
		csv_set_space_func(&parser, is_space_only);
	r.d = d;
	r.line = 1;
	r.col = 1;
	r.start_line = 1;
	r.start_col = 1;
	r.skip_line_ends = true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (r.skip_line_ends && c != '\r' && c != '\n') {
			r.start_line = r.line;
			r.start_col = r.col;
			r.skip_line_ends = false;
		}
		if (csv_parse(&parser, data + i, 1, on_field, on_row, &r) != 1) {
			if (csv_error(&parser) == CSV_ENOMEM) {
				rc = ROTA_ENOMEM;
				goto out;
			}
			diags_add(d, DIAG_ERROR, r.line, r.col, "",
				  "misplaced quote: a field with a quote must be wholly in quotes, "
				  "with each quote inside it doubled");
			rc = ROTA_EINPUT;
			goto out;
		}
		if (r.oom) {
			rc = ROTA_ENOMEM;
			goto out;
		}
		if (c == '\n' || (c == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
			r.line++;
			r.col = 1;
		} else if (c != '\r' && (c & 0xC0) != 0x80) {
			r.col++;
		}
	}
	if (csv_fini(&parser, on_field, on_row, &r)) {
		if (csv_error(&parser) == CSV_ENOMEM) {
			rc = ROTA_ENOMEM;
			goto out;
		}
		diags_add(d, DIAG_ERROR, r.start_line, r.start_col, "",
			  "the quoted field that starts here has no closing quote");
		rc = ROTA_EINPUT;
		goto out;
	}
	if (r.oom) {
		rc = ROTA_ENOMEM;
		goto out;
	}
	check_delimiter_mix(r.table, d);
	if (d->errors > errors_before)
		rc = ROTA_EINPUT;
out:
	csv_free(&parser);
	if (rc)
		csv_table_free(r.table);
	else
		*out = r.table;
	return rc;
}

int read_whole_file(char **data, size_t *len, const char *path, size_t max_bytes,
		    const char *what, struct rota_error *err)
{
	FILE *f;
	struct buf b;
	char chunk[65536];
	size_t n;
	int rc = ROTA_OK;

	*data = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f)
		return rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path, strerror(errno));
	buf_init(&b);
	buf_putn(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > max_bytes) {
			rc = rota_error_set(err, ROTA_EIO, "'%s' is too large: %s are at most %zu bytes",
					    path, what, max_bytes);
			goto out;
		}
		buf_putn(&b, chunk, n);
	}
	if (ferror(f)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (b.failed) {
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory reading '%s'", path);
		goto out;
	}
	*len = b.len;
	*data = buf_detach(&b);
	if (!*data)
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory reading '%s'", path);
out:
	fclose(f);
	buf_release(&b);
	return rc;
}

int csv_read_file(struct csv_table **out, const char *path, struct diags *d,
		  struct rota_error *err)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	rc = read_whole_file(&data, &len, path, CSV_MAX_BYTES, "spreadsheets", err);
	if (rc)
		return rc;
	rc = csv_read_buffer(out, data, len, d);
	free(data);
	if (rc == ROTA_ENOMEM)
		rota_error_set(err, rc, "out of memory reading '%s'", path);
	return rc;
}
