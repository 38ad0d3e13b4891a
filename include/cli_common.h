/*
 * cli_common.h - what every command of the command line shares: the usage
 * error, the mapping from error codes (util.h) to exit statuses, printing
 * an error, reading a campaign with its diagnostics, joining a path.
 * These print to standard error; only the command layer uses them.
 */
#ifndef ROTA_CLI_COMMON_H
#define ROTA_CLI_COMMON_H

#include "campaign.h"
#include "util.h"

/* Prints "rota: " fmt (with arg) and the usage text; returns
 * ROTA_EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, const char *arg);

/* The exit status for an error code (ROTA_OK, ROTA_EINPUT...). */
int cli_exit_status(int code);

/* Prints err's message; returns the exit status for its code. */
int cli_report_error(const struct rota_error *err);

/* "dir/name", owned by the caller; NULL when out of memory. */
char *cli_join_path(const char *dir, const char *name);

/* Reads and checks the campaign at path (flags: input_file.h), printing its
 * diagnostics. When bytes is not NULL, the file as read is left there.
 * Returns an exit status; *out is set only on ROTA_EXIT_OK. */
int cli_read_campaign(struct campaign **out, const char *path, unsigned flags,
		      struct buf *bytes);

/* SOURCE_DATE_EPOCH, when set, fixes every timestamp (reproducible builds).
 * Returns 1 and sets *out when set and valid, 0 when unset, -1 when bad. */
int cli_source_date_epoch(long long *out);

/* The date (date.h) that the instant now (seconds since 1970) falls on in
 * campaign c's time zone, from the machine's tzdata (UTC when the zone is
 * not there). The default of `rota plan --today`. */
int cli_today(const struct campaign *c, long long now);

#endif
