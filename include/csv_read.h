/*
 * csv_read.h - reads a spreadsheet saved as CSV the way Excel and
 * LibreOffice write it: UTF-8 with or without a byte-order mark, ',', ';'
 * or tabs between fields (detected), quoted fields with doubled quotes and
 * embedded line ends, Windows, Unix or old Mac line ends. Every cell keeps the line and
 * column (in characters, from 1) where it starts, for diagnostics.
 *
 * The only module that sees libcsv.
 */
#ifndef ROTA_CSV_READ_H
#define ROTA_CSV_READ_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

/* Files larger than this are refused before parsing (documented). */
#define CSV_MAX_BYTES ((size_t)8 * 1024 * 1024)
/* More fields in one row than this are refused. */
#define CSV_MAX_FIELDS 1000

struct csv_cell {
	char *text;     /* owned, NUL-terminated, valid UTF-8, as typed */
	int line, col;  /* where the field starts (its quote, if quoted) */
};

struct csv_row {
	struct csv_cell *cells;
	size_t ncells, alloc;
	int line;       /* line of the row's first field */
};

struct csv_table {
	struct csv_row *rows; /* blank lines are not rows */
	size_t nrows, alloc;
	char delimiter;       /* ',', ';' or '\t' */
};

/*
 * Parses len bytes of data. Problems (UTF-16, bytes that are not UTF-8, control
 * characters, an unterminated quote, a stray quote, a line that uses the
 * other delimiter) go to d with their line and column. Returns 0 and sets
 * *out (free with csv_table_free) when there is no error; ROTA_EINPUT when
 * d holds an error (*out NULL); ROTA_ENOMEM.
 */
int csv_read_buffer(struct csv_table **out, const char *data, size_t len, struct diags *d);

/* Reads the file at path and calls csv_read_buffer. Returns ROTA_EIO with
 * err set when it cannot be read or is over CSV_MAX_BYTES; otherwise as
 * above. */
int csv_read_file(struct csv_table **out, const char *path, struct diags *d,
		  struct rota_error *err);

/* Frees the table and every cell. NULL is a no-op. */
void csv_table_free(struct csv_table *t);

/* Reads a whole file into *data (caller frees; NUL-terminated) up to
 * max_bytes. Returns 0, ROTA_EIO with err set, or ROTA_ENOMEM. */
int read_whole_file(char **data, size_t *len, const char *path, size_t max_bytes,
		    const char *what, struct rota_error *err);

#endif
