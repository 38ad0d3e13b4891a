/*
 * import.h - a campaign file built from the spreadsheets a commune already
 * keeps: the roster (one row per village or school, counts per group and
 * service), and small tables of sites, teams and travel times, on top of a
 * base campaign that says the rest (dates, groups, services, calendar).
 * Holidays and exam deadlines may come from .ics calendars.
 * The column names and every rule are in docs/import.md.
 */
#ifndef ROTA_IMPORT_H
#define ROTA_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "util.h"

struct import_deadline {
	const char *group; /* a group id of the base campaign */
	const char *path;  /* an .ics file */
};

/* Every path is borrowed and must outlive the import. NULL: not given. */
struct import_options {
	const char *roster;   /* required */
	const char *sites, *teams, *travel;
	const char *base;     /* required: the base campaign (JSON) */
	const char *holidays; /* .ics */
	const char *output;   /* the name of the campaign written, for messages */
	const struct import_deadline *deadlines;
	size_t ndeadlines;
};

/* The diagnostics of an import, one list per file read (in the order of
 * the command line), each named by its path. */
struct import_report {
	struct diags *files;
	size_t nfiles;
	int oom;
};

void import_report_init(struct import_report *rep);
void import_report_release(struct import_report *rep);
/* Sorts each file's diagnostics and prints them all, file by file. */
void import_report_print(struct import_report *rep, FILE *out);
/* Errors and warnings over every file. */
size_t import_report_errors(const struct import_report *rep);
size_t import_report_warnings(const struct import_report *rep);

/*
 * Reads the files that o names and appends the campaign (rota-campaign/1,
 * pretty JSON, fields in the specification's order) to json. Every
 * problem goes to rep, under its file. The campaign is then read back by
 * campaign_read_buffer (what `rota check` runs): its problems go to rep
 * too, at the table row the item came from when it came from one. Returns
 * 0 (warnings allowed) when json holds a valid campaign, ROTA_EINPUT when
 * rep holds an error (json then holds nothing useful), ROTA_EIO with err
 * set when a file cannot be read, ROTA_ENOMEM.
 */
int import_campaign(struct buf *json, const struct import_options *o,
		    struct import_report *rep, struct rota_error *err);

/* The headers of the templates that `rota template` writes, with one
 * example row each: name is "roster", "sites", "teams" or "travel"; the
 * text (CSV, UTF-8 with a byte-order mark, CRLF, as Excel writes) is
 * appended to out. */
void import_template(struct buf *out, const char *name);

#endif
