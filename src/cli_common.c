/*
 * cli_common.c - helpers shared by the commands (cli_common.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign_read.h"
#include "date.h"
#include "cli_common.h"
#include "diag.h"
#include "input_file.h"
#include "banned.h"

int cli_usage_error(const char *usage, const char *fmt, const char *arg)
{
	fputs("rota: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage, stderr);
	return ROTA_EXIT_USAGE;
}

int cli_exit_status(int code)
{
	switch (code) {
	case ROTA_OK: return ROTA_EXIT_OK;
	case ROTA_EINPUT: return ROTA_EXIT_INPUT;
	case ROTA_EIO: return ROTA_EXIT_IO;
	case ROTA_ENOMEM: return ROTA_EXIT_NOMEM;
	case ROTA_ESOLVER: return ROTA_EXIT_SOLVER;
	default: return ROTA_EXIT_USAGE;
	}
}

int cli_report_error(const struct rota_error *err)
{
	fprintf(stderr, "rota: %s\n", err->message[0] ? err->message : "unknown error");
	return cli_exit_status(err->code);
}

char *cli_join_path(const char *dir, const char *name)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "%s/%s", dir, name);
	return buf_detach(&b);
}

int cli_read_campaign(struct campaign **out, const char *path, unsigned flags,
		      struct buf *bytes)
{
	struct diags d;
	struct rota_error err = { 0, "" };
	struct buf data;
	int rc;

	*out = NULL;
	buf_init(&data);
	rc = input_file_read(&data, path, CAMPAIGN_MAX_BYTES, "campaign files", flags, &err);
	if (rc) {
		buf_release(&data);
		return cli_report_error(&err);
	}
	diags_init(&d, path);
	rc = campaign_read_buffer(out, buf_str(&data), data.len, &d);
	diags_sort(&d);
	diags_print(&d, stderr);
	if (rc == ROTA_EINPUT)
		fprintf(stderr, "rota: %s: %zu error%s, %zu warning%s\n", path, d.errors,
			d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
	diags_release(&d);
	if (rc == ROTA_ENOMEM) {
		rota_error_set(&err, rc, "out of memory reading '%s'", path);
		rc = cli_report_error(&err);
	} else {
		rc = cli_exit_status(rc);
	}
	if (rc == ROTA_EXIT_OK && bytes)
		*bytes = data;
	else
		buf_release(&data);
	return rc;
}

int cli_source_date_epoch(long long *out)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (!env || !*env)
		return 0;
	errno = 0;
	v = strtoll(env, &end, 10);
	if (errno || *end || v < 0 || v > 253402300799LL)
		return -1;
	*out = v;
	return 1;
}

/* The C library is the only zone database the command line has (libical
 * stays behind calendar.c): TZ is set to the campaign's zone for one
 * localtime_r() and put back as it was. Only the command layer calls
 * this, before any thread is started. */
int cli_today(const struct campaign *c, long long now)
{
	const char *zone = c->timezone && c->timezone[0] ? c->timezone : "UTC";
	const char *was = getenv("TZ");
	char *saved = was ? xstrdup(was) : NULL;
	time_t t = (time_t)now;
	struct tm tm;
	int today = (int)(now / 86400);

	if ((was && !saved) || setenv("TZ", zone, 1)) {
		free(saved);
		return today; /* UTC */
	}
	tzset();
	if (localtime_r(&t, &tm))
		today = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	return today;
}
