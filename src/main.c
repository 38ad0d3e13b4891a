/*
 * main.c - the command line: `rota check`, `rota plan`, `rota week`.
 * The only place that prints to the user or decides an exit status.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "campaign.h"
#include "campaign_read.h"
#include "capacity.h"
#include "date.h"
#include "diag.h"
#include "notice.h"
#include "outdir.h"
#include "plan.h"
#include "report.h"
#include "solve.h"
#include "util.h"
#include "banned.h"

#define ROTA_VERSION "0.1.0"

static const char usage_text[] =
	"usage: rota check CAMPAIGN.json\n"
	"       rota plan CAMPAIGN.json -o DIR [--time-limit SECONDS] [--gap FRACTION]\n"
	"                 [--threads N] [--progress | --quiet] [--lang vi|en] [--mail]\n"
	"                 [--mps DIR]\n"
	"       rota week DIR [YYYY-Www] [--campaign CAMPAIGN.json] [-o FILE] [--lang vi|en]\n"
	"       rota --version | --help\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("rota: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage_text, stderr);
	return ROTA_EXIT_USAGE;
}

static int exit_status(int code)
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

static int report_error(const struct rota_error *err)
{
	fprintf(stderr, "rota: %s\n", err->message[0] ? err->message : "unknown error");
	return exit_status(err->code);
}

/* Parses a non-negative decimal number; returns 0 or -1. */
static int parse_double(const char *text, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || *end || !(v >= 0.0) || v > 1e9)
		return -1;
	*out = v;
	return 0;
}

static int parse_int(const char *text, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* SOURCE_DATE_EPOCH, when set, fixes every timestamp (reproducible builds).
 * Returns 1 and sets *out when set and valid, 0 when unset, -1 when bad. */
static int source_date_epoch(long long *out)
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

static int read_campaign(struct campaign **out, const char *path)
{
	struct diags d;
	struct rota_error err = { 0, "" };
	int rc;

	diags_init(&d, path);
	rc = campaign_read_file(out, path, &d, &err);
	/* A zone the calendars cannot use is refused now, with the file's
	 * other problems, not after the solve. */
	if (rc == ROTA_OK && calendar_check_zone(*out, &err)) {
		diags_add(&d, DIAG_ERROR, 0, 0, "campaign.timezone", "%s", err.message);
		campaign_free(*out);
		*out = NULL;
		rc = ROTA_EINPUT;
	}
	diags_sort(&d);
	diags_print(&d, stderr);
	if (rc == ROTA_EINPUT)
		fprintf(stderr, "rota: %s: %zu error%s, %zu warning%s\n", path, d.errors,
			d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
	diags_release(&d);
	if (rc == ROTA_EIO || rc == ROTA_ENOMEM) {
		if (rc == ROTA_ENOMEM && !err.message[0])
			rota_error_set(&err, rc, "out of memory reading '%s'", path);
		return report_error(&err);
	}
	return exit_status(rc);
}

static int cmd_check(int argc, char **argv)
{
	struct campaign *c = NULL;
	struct capacity_row *rows = NULL;
	size_t nrows = 0;
	struct buf out;
	int status;

	if (argc != 2)
		return usage_error("check takes one campaign file%s", "");
	status = read_campaign(&c, argv[1]);
	if (status != ROTA_EXIT_OK)
		return status;
	buf_init(&out);
	if (capacity_check(c, &rows, &nrows)) {
		campaign_free(c);
		fputs("rota: out of memory\n", stderr);
		return ROTA_EXIT_NOMEM;
	}
	buf_printf(&out, "%s: campaign '%s' is valid: %zu units, %zu sites, %zu teams, %d days\n",
		   argv[1], c->id, c->nunits, c->nsites, c->nteams, c->ndays);
	capacity_format(c, rows, nrows, &out);
	status = buf_write(&out, stdout) ? ROTA_EXIT_IO : ROTA_EXIT_OK;
	buf_release(&out);
	free(rows);
	campaign_free(c);
	return status;
}

struct plan_args {
	const char *campaign, *out_dir, *mps_dir;
	struct solve_options solve;
	struct cal_options cal;
};

static int parse_lang(const char *text, enum cal_lang *out)
{
	if (!strcmp(text, "vi"))
		*out = CAL_LANG_VI;
	else if (!strcmp(text, "en"))
		*out = CAL_LANG_EN;
	else
		return -1;
	return 0;
}

static int parse_plan_args(int argc, char **argv, struct plan_args *a)
{
	memset(a, 0, sizeof(*a));
	solve_options_init(&a->solve);
	{
		/* One thread per processor: the plan does not depend on it. */
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		a->solve.threads = n < 1 ? 1 : n > 64 ? 64 : (int)n;
	}
	a->solve.progress = isatty(STDERR_FILENO);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(arg, "-o") || !strcmp(arg, "--output")) {
			if (!val)
				return usage_error("%s needs a directory", arg);
			a->out_dir = val;
			i++;
		} else if (!strcmp(arg, "--time-limit")) {
			if (!val || parse_double(val, &a->solve.time_limit))
				return usage_error("--time-limit needs a number of seconds, found '%s'",
						   val ? val : "");
			i++;
		} else if (!strcmp(arg, "--gap")) {
			if (!val || parse_double(val, &a->solve.gap) || a->solve.gap > 1.0)
				return usage_error("--gap needs a fraction from 0 to 1, found '%s'",
						   val ? val : "");
			i++;
		} else if (!strcmp(arg, "--threads")) {
			if (!val || parse_int(val, 1, 64, &a->solve.threads))
				return usage_error("--threads needs a whole number from 1 to 64, found '%s'",
						   val ? val : "");
			i++;
		} else if (!strcmp(arg, "--progress")) {
			a->solve.progress = 1;
		} else if (!strcmp(arg, "--quiet")) {
			a->solve.progress = 0;
		} else if (!strcmp(arg, "--lang")) {
			if (!val || parse_lang(val, &a->cal.lang))
				return usage_error("--lang takes 'vi' or 'en', found '%s'", val ? val : "");
			i++;
		} else if (!strcmp(arg, "--mail")) {
			a->cal.mail = true;
		} else if (!strcmp(arg, "--mps")) {
			if (!val)
				return usage_error("%s needs a directory", arg);
			a->solve.mps_dir = val;
			i++;
		} else if (arg[0] == '-' && arg[1]) {
			return usage_error("unknown option '%s'", arg);
		} else if (!a->campaign) {
			a->campaign = arg;
		} else {
			return usage_error("unexpected argument '%s'", arg);
		}
	}
	if (!a->campaign)
		return usage_error("plan needs a campaign file%s", "");
	if (!a->out_dir)
		return usage_error("plan needs an output directory: -o DIR%s", "");
	return ROTA_EXIT_OK;
}

static int set_dtstamp(struct cal_options *cal, bool *reproducible)
{
	long long epoch;
	int rc = source_date_epoch(&epoch);

	if (rc < 0) {
		fputs("rota: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970\n",
		      stderr);
		return ROTA_EXIT_USAGE;
	}
	*reproducible = rc == 1;
	cal->dtstamp = rc == 1 ? epoch : (long long)time(NULL);
	return ROTA_EXIT_OK;
}

/* The campaign's path relative to the output directory, so that `rota week
 * DIR` finds it from anywhere, and a checkout gives the same bytes wherever
 * it lies. NULL (the field is then left out) when a path cannot be
 * resolved. Caller frees. */
static char *campaign_path_from_dir(const char *campaign, const char *dir_arg)
{
	char *to = realpath(campaign, NULL), *parent_real = NULL, *result = NULL;
	char *dir = xstrdup(dir_arg);
	const char *slash, *base;
	struct buf parent, from, rel;
	size_t common = 0, i, n;

	buf_init(&parent);
	buf_init(&from);
	buf_init(&rel);
	if (!dir)
		goto out;
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--) /* "out/" is "out" */
		dir[n - 1] = '\0';
	slash = strrchr(dir, '/');
	base = slash ? slash + 1 : dir;
	if (!to || !*base || !strcmp(base, ".") || !strcmp(base, ".."))
		goto out;
	if (slash)
		buf_putn(&parent, dir, (size_t)(slash - dir) + 1);
	else
		buf_puts(&parent, ".");
	if (parent.failed || !(parent_real = realpath(parent.data, NULL)))
		goto out;
	buf_printf(&from, "%s/%s/", strcmp(parent_real, "/") ? parent_real : "", base);
	if (from.failed)
		goto out;
	/* from ends with '/'; common is the length of the shared leading
	 * directories, up to and including a '/'. */
	for (i = 0; from.data[i] && from.data[i] == to[i]; i++)
		if (from.data[i] == '/')
			common = i + 1;
	for (i = common; from.data[i]; i++)
		if (from.data[i] == '/')
			buf_puts(&rel, "../");
	buf_puts(&rel, to + common);
	result = buf_detach(&rel);
out:
	buf_release(&parent);
	buf_release(&from);
	buf_release(&rel);
	free(parent_real);
	free(to);
	free(dir);
	return result;
}

static int write_plan_files(const struct plan *p, const struct plan_args *a, struct buf *summary,
			    struct rota_error *err)
{
	struct outdir *dir = NULL;
	struct buf notes, file;
	char *campaign_file = campaign_path_from_dir(a->campaign, a->out_dir);
	int rc;

	buf_init(&notes);
	buf_init(&file);
	rc = outdir_open(&dir, a->out_dir, err);
	if (rc)
		goto out;
	rc = calendar_write_all(p, &a->cal, dir, &notes, err);
	if (rc)
		goto out;
	rc = notice_write_all(p, a->cal.lang, dir, err);
	if (rc)
		goto out;
	report_json(p, campaign_file, &file);
	if (file.failed) {
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory writing rota.json");
		goto out;
	}
	rc = outdir_write(dir, "rota.json", file.data, file.len, err);
	if (rc)
		goto out;
	buf_release(&file);
	report_csv(p, &file);
	if (file.failed) {
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory writing rota.csv");
		goto out;
	}
	rc = outdir_write(dir, "rota.csv", file.data, file.len, err);
	if (rc)
		goto out;
	report_summary(p, buf_str(&notes), a->cal.lang, summary);
	if (summary->failed) {
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory writing summary.txt");
		goto out;
	}
	rc = outdir_write(dir, "summary.txt", summary->data, summary->len, err);
	if (rc)
		goto out;
	rc = outdir_commit(dir, err);
out:
	outdir_free(dir);
	buf_release(&notes);
	buf_release(&file);
	free(campaign_file);
	return rc;
}

static int cmd_plan(int argc, char **argv)
{
	struct plan_args a;
	struct campaign *c = NULL;
	struct plan *p = NULL;
	struct rota_error err = { 0, "" };
	struct buf summary;
	bool reproducible = false;
	int status, rc;

	status = parse_plan_args(argc, argv, &a);
	if (status != ROTA_EXIT_OK)
		return status;
	status = set_dtstamp(&a.cal, &reproducible);
	if (status != ROTA_EXIT_OK)
		return status;
	status = read_campaign(&c, a.campaign);
	if (status != ROTA_EXIT_OK)
		return status;
	buf_init(&summary);
	rc = plan_solve(&p, c, &a.solve, &err);
	if (rc) {
		status = report_error(&err);
		goto out;
	}
	if (reproducible)
		p->solver.seconds = 0.0;
	{
		/* Ctrl-C (or a kill) while the files are written waits until
		 * they are in place, or cleaned up after an error, so that no
		 * half-written directory or .DIR.tmp-* is left behind; the
		 * solve before this may be interrupted at any time. */
		sigset_t stop, old;

		sigemptyset(&stop);
		sigaddset(&stop, SIGINT);
		sigaddset(&stop, SIGTERM);
		sigaddset(&stop, SIGHUP);
		sigaddset(&stop, SIGQUIT);
		sigprocmask(SIG_BLOCK, &stop, &old);
		rc = write_plan_files(p, &a, &summary, &err);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (rc) {
		status = report_error(&err);
		goto out;
	}
	status = buf_write(&summary, stdout) ? ROTA_EXIT_IO : ROTA_EXIT_OK;
out:
	buf_release(&summary);
	plan_free(p);
	campaign_free(c);
	return status;
}

/* Parses "YYYY-Www" into the Monday of that ISO week. */
static int parse_iso_week(const char *text, int *monday)
{
	int year, week, jan4, check_year;

	if (strlen(text) != 8 || text[4] != '-' || text[5] != 'W')
		return -1;
	for (int i = 0; i < 8; i++)
		if (i != 4 && i != 5 && (text[i] < '0' || text[i] > '9'))
			return -1;
	year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
	week = (text[6] - '0') * 10 + (text[7] - '0');
	if (year < 1900 || year > 2199 || week < 1 || week > 53)
		return -1;
	jan4 = date_from_ymd(year, 1, 4);
	*monday = date_week_monday(jan4) + 7 * (week - 1);
	if (date_iso_week(*monday, &check_year) != week || check_year != year)
		return -1;
	return 0;
}

static char *join_path(const char *dir, const char *name)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "%s/%s", dir, name);
	return buf_detach(&b);
}

/* The week to show when none is given: this week if the plan has sessions
 * in it, else the first week with a session. */
static int default_week(const struct plan *p, long long now)
{
	int today = (int)(now / 86400);
	int monday = date_week_monday(today);

	for (size_t i = 0; i < p->nsessions; i++)
		if (date_week_monday(p->sessions[i].date) == monday)
			return monday;
	return p->nsessions ? date_week_monday(p->sessions[0].date) : monday;
}

static int write_file_atomically(const char *path, const struct buf *data, struct rota_error *err)
{
	struct buf name;
	FILE *f;
	int rc = ROTA_OK;

	buf_init(&name);
	buf_printf(&name, "%s.tmp-%ld", path, (long)getpid());
	if (name.failed)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	f = fopen(name.data, "wb");
	if (!f) {
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", name.data, strerror(errno));
		goto out;
	}
	if (buf_write(data, f) || fclose(f)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", name.data, strerror(errno));
		remove(name.data);
		goto out;
	}
	if (rename(name.data, path)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot rename '%s' to '%s': %s", name.data, path,
				    strerror(errno));
		remove(name.data);
	}
out:
	buf_release(&name);
	return rc;
}

static int cmd_week(int argc, char **argv)
{
	const char *dir = NULL, *week_text = NULL, *campaign_path = NULL, *out_path = NULL;
	char *plan_path = NULL, *stored_campaign = NULL, *ics_path = NULL;
	struct cal_options cal;
	struct campaign *c = NULL;
	struct plan *p = NULL;
	struct rota_error err = { 0, "" };
	struct diags d;
	struct buf table, ics;
	bool reproducible;
	int status, monday = 0, n;

	memset(&cal, 0, sizeof(cal));
	for (int i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--campaign") || !strcmp(argv[i], "-o") ||
		    !strcmp(argv[i], "--lang")) {
			if (!val)
				return usage_error("%s needs a value", argv[i]);
			if (!strcmp(argv[i], "--campaign"))
				campaign_path = val;
			else if (!strcmp(argv[i], "-o"))
				out_path = val;
			else if (parse_lang(val, &cal.lang))
				return usage_error("--lang takes 'vi' or 'en', found '%s'", val);
			i++;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("unknown option '%s'", argv[i]);
		} else if (!dir) {
			dir = argv[i];
		} else if (!week_text) {
			week_text = argv[i];
		} else {
			return usage_error("unexpected argument '%s'", argv[i]);
		}
	}
	if (!dir)
		return usage_error("week needs the directory that rota plan wrote%s", "");
	if (week_text && parse_iso_week(week_text, &monday))
		return usage_error("not an ISO week (YYYY-Www): '%s'", week_text);
	status = set_dtstamp(&cal, &reproducible);
	if (status != ROTA_EXIT_OK)
		return status;

	buf_init(&table);
	buf_init(&ics);
	diags_init(&d, NULL);
	plan_path = join_path(dir, "rota.json");
	if (!plan_path) {
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	d.file = plan_path;
	if (!campaign_path) {
		if (plan_read_campaign_file(&stored_campaign, plan_path, &err)) {
			status = report_error(&err);
			goto out;
		}
		if (!stored_campaign) {
			fprintf(stderr, "rota: %s names no campaign file: give --campaign\n", plan_path);
			status = ROTA_EXIT_USAGE;
			goto out;
		}
		if (stored_campaign[0] != '/') {
			char *joined = join_path(dir, stored_campaign);

			free(stored_campaign);
			stored_campaign = joined;
			if (!joined) {
				status = ROTA_EXIT_NOMEM;
				goto out;
			}
		}
		campaign_path = stored_campaign;
	}
	status = read_campaign(&c, campaign_path);
	if (status != ROTA_EXIT_OK)
		goto out;
	if (plan_read_file(&p, NULL, c, plan_path, &d, &err)) {
		diags_sort(&d);
		diags_print(&d, stderr);
		if (err.message[0])
			report_error(&err);
		status = d.errors ? ROTA_EXIT_INPUT : exit_status(err.code);
		goto out;
	}
	if (!week_text)
		monday = default_week(p, cal.dtstamp);
	n = calendar_week(p, monday, &cal, &table, &ics, &err);
	if (n < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!out_path) {
		char name[32];
		int iso_year, week = date_iso_week(monday, &iso_year);

		snprintf(name, sizeof(name), "week-%04d-W%02d.ics", iso_year, week);
		ics_path = join_path(dir, name);
		if (!ics_path) {
			status = ROTA_EXIT_NOMEM;
			goto out;
		}
		out_path = ics_path;
	}
	if (n > 0 && write_file_atomically(out_path, &ics, &err)) {
		status = report_error(&err);
		goto out;
	}
	if (n > 0)
		buf_printf(&table, "\ncalendar: %s\n", out_path);
	status = buf_write(&table, stdout) ? ROTA_EXIT_IO : ROTA_EXIT_OK;
out:
	diags_release(&d);
	buf_release(&table);
	buf_release(&ics);
	free(plan_path);
	free(stored_campaign);
	free(ics_path);
	plan_free(p);
	campaign_free(c);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("a command is needed%s", "");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return ROTA_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("rota " ROTA_VERSION);
		return ROTA_EXIT_OK;
	}
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "plan"))
		return cmd_plan(argc - 1, argv + 1);
	if (!strcmp(argv[1], "week"))
		return cmd_week(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", argv[1]);
}
