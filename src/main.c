/*
 * main.c - the command line: `rota check`, `rota plan`, `rota week`.
 * The only place that prints to the user or decides an exit status.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "actuals.h"
#include "calendar.h"
#include "campaign.h"
#include "campaign_read.h"
#include "capacity.h"
#include "cli_common.h"
#include "cli_import.h"
#include "cli_report.h"
#include "date.h"
#include "diag.h"
#include "input_file.h"
#include "notice.h"
#include "outdir.h"
#include "plan.h"
#include "plan_dir.h"
#include "progress.h"
#include "plan_write.h"
#include "replan.h"
#include "report.h"
#include "sequence.h"
#include "solve.h"
#include "timebox.h"
#include "util.h"
#include "lang.h"
#include "banned.h"

#define ROTA_VERSION "0.1.0"

static const char usage_text[] =
	"usage: rota check CAMPAIGN.json [--lang vi|en]\n"
	"       rota plan CAMPAIGN.json -o DIR [--time-limit SECONDS] [--gap FRACTION]\n"
	"                 [--threads N] [--progress | --quiet] [--lang vi|en] [--mail]\n"
	"                 [--mps DIR] [--previous OLD [--today YYYY-MM-DD]\n"
	"                 [--actuals ACTUALS.csv] [--freeze DAYS]]\n"
	"       rota week DIR [YYYY-Www] [--campaign CAMPAIGN.json] [-o FILE] [--lang vi|en]\n"
	"       rota report DIR [--lang vi|en] [--campaign CAMPAIGN.json] [-o FILE]\n"
	"                   [--compare DIR2]...\n"
	"       rota compare DIR1 DIR2 [DIR...] [--lang vi|en] [--html FILE]\n"
	"       rota import ROSTER.csv --campaign BASE.json [--sites S.csv] [--teams T.csv]\n"
	"                   [--travel V.csv] [--holidays H.ics] [--deadline GROUP=E.ics] -o FILE\n"
	"       rota template DIR\n"
	"       rota --version | --help\n"
	"Each command also takes --help. See rota(1).\n";

/* What `rota plan --help` adds to the usage. */
static const char plan_help_text[] =
	"\n"
	"rota plan: plan the campaign into DIR (all of it or nothing); prints the summary.\n"
	"  -o, --output DIR      where the plan goes; an earlier plan there is replaced\n"
	"  --time-limit SECONDS  write the plan within about this long (default: none)\n"
	"  --gap FRACTION        gap at which each level is good enough (default 0)\n"
	"  --threads N           parts solved at once (default: processors)\n"
	"  --progress, --quiet   show or hide the progress line\n"
	"  --lang vi|en          language of the summary, calendars and notices\n"
	"  --mail                also write each invitation as an e-mail\n"
	"  --mps DIR             also write each model solved as an MPS file\n"
	"Planning a campaign in progress again (only what changed is sent):\n"
	"  --previous OLD        the plan last published (OLD may be DIR itself)\n"
	"  --today YYYY-MM-DD    first day not yet happened; before it is history\n"
	"                        (default: today in the campaign's time zone)\n"
	"  --actuals FILE.csv    who came: rota.csv with a 'came' column added\n"
	"  --freeze DAYS         days from --today announced, kept as they are\n"
	"                        (default 7, 0 to 366)\n";

/* --help (or -h) anywhere among a command's arguments. */
static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

static int print_usage(void)
{
	fputs(usage_text, stdout);
	return fflush(stdout) || ferror(stdout) ? ROTA_EXIT_IO : ROTA_EXIT_OK;
}

static int usage_error(const char *fmt, const char *arg)
{
	return cli_usage_error(usage_text, fmt, arg);
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

/* Writes b to standard output; returns an exit status (5 when an append
 * to b had failed: nothing is written then). */
static int write_stdout(const struct buf *b)
{
	int rc = buf_write(b, stdout);

	if (rc == ROTA_ENOMEM)
		fputs("rota: out of memory\n", stderr);
	return cli_exit_status(rc);
}

static int cmd_check(int argc, char **argv)
{
	struct campaign *c = NULL;
	struct capacity_row *rows = NULL;
	size_t nrows = 0;
	struct buf out;
	int status;

	const char *path = NULL;
	enum rota_lang lang = LANG_VI;

	if (wants_help(argc, argv))
		return print_usage();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--lang")) {
			if (i + 1 >= argc || lang_parse(argv[i + 1], &lang))
				return usage_error("--lang takes 'vi' or 'en', found '%s'",
						   i + 1 < argc ? argv[i + 1] : "");
			i++;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("unknown option '%s'", argv[i]);
		} else if (path) {
			return usage_error("check takes one campaign file%s", "");
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return usage_error("check takes one campaign file%s", "");
	status = cli_read_campaign(&c, path, 0, NULL);
	if (status != ROTA_EXIT_OK)
		return status;
	buf_init(&out);
	if (capacity_check(c, &rows, &nrows)) {
		campaign_free(c);
		fputs("rota: out of memory\n", stderr);
		return ROTA_EXIT_NOMEM;
	}
	if (lang == LANG_EN)
		buf_printf(&out, "%s: campaign '%s' is valid: %zu unit%s, %zu site%s, %zu team%s, "
				 "%d day%s\n",
			   path, c->id, c->nunits, c->nunits == 1 ? "" : "s", c->nsites,
			   c->nsites == 1 ? "" : "s", c->nteams, c->nteams == 1 ? "" : "s", c->ndays,
			   c->ndays == 1 ? "" : "s");
	else
		buf_printf(&out, "%s: chiến dịch '%s' hợp lệ: %zu đơn vị, %zu địa điểm, %zu tổ, "
				 "%d ngày\n",
			   path, c->id, c->nunits, c->nsites, c->nteams, c->ndays);
	capacity_format(c, rows, nrows, lang, &out);
	status = write_stdout(&out);
	buf_release(&out);
	free(rows);
	campaign_free(c);
	return status;
}

struct plan_args {
	const char *campaign, *out_dir;
	struct solve_options solve;
	struct cal_options cal;
	/* Re-planning (replan-v1.md): NULL previous is a first plan. */
	const char *previous, *actuals;
	int today;  /* -1: the current date in the campaign's zone */
	int freeze; /* days from today that are announced */
};

/* Days of the freeze window: the default, and the most accepted (a year). */
enum { PLAN_FREEZE_DEFAULT = 7, PLAN_FREEZE_MAX = 366 };


static int parse_plan_args(int argc, char **argv, struct plan_args *a)
{
	const char *replan_option = NULL;

	memset(a, 0, sizeof(*a));
	a->today = -1;
	a->freeze = PLAN_FREEZE_DEFAULT;
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
			if (!val || lang_parse(val, &a->cal.lang))
				return usage_error("--lang takes 'vi' or 'en', found '%s'", val ? val : "");
			i++;
		} else if (!strcmp(arg, "--mail")) {
			a->cal.mail = true;
		} else if (!strcmp(arg, "--mps")) {
			if (!val)
				return usage_error("%s needs a directory", arg);
			a->solve.mps_dir = val;
			i++;
		} else if (!strcmp(arg, "--previous")) {
			if (!val)
				return usage_error("%s needs the directory of the previous plan", arg);
			a->previous = val;
			i++;
		} else if (!strcmp(arg, "--today")) {
			if (!val || date_parse(val, &a->today))
				return usage_error("--today needs a date YYYY-MM-DD, found '%s'",
						   val ? val : "");
			replan_option = arg;
			i++;
		} else if (!strcmp(arg, "--actuals")) {
			if (!val)
				return usage_error("%s needs a CSV file", arg);
			a->actuals = val;
			replan_option = arg;
			i++;
		} else if (!strcmp(arg, "--freeze")) {
			if (!val || parse_int(val, 0, PLAN_FREEZE_MAX, &a->freeze))
				return usage_error("--freeze needs a whole number of days from 0 to 366, "
						   "found '%s'", val ? val : "");
			replan_option = arg;
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
	if (replan_option && !a->previous)
		return usage_error("%s is for re-planning: it needs --previous OLD", replan_option);
	return ROTA_EXIT_OK;
}

static int set_dtstamp(struct cal_options *cal, bool *reproducible)
{
	long long epoch;
	int rc = cli_source_date_epoch(&epoch);

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
 * it lies. real_dir is where the plan goes, free of symbolic links
 * (outdir_real_path), so that a DIR given through a link still leads to
 * the campaign. NULL (the field is then left out) when the campaign's path
 * cannot be resolved. Caller frees. */
static char *campaign_path_from_dir(const char *campaign, const char *real_dir)
{
	char *to = strcmp(campaign, "-") ? realpath(campaign, NULL) : NULL, *result = NULL;
	struct buf from, rel;
	size_t common = 0, i;

	buf_init(&from);
	buf_init(&rel);
	if (!to)
		goto out;
	buf_printf(&from, "%s/", real_dir);
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
	if (!result && to)
		errno = ENOMEM;
	buf_release(&from);
	buf_release(&rel);
	free(to);
	return result;
}

/* Whether path (free of symbolic links) is dir itself or lies below it. */
static bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return true;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* The name of the plan's own copy of its campaign, in DIR. */

/* Refuses, before the solve, a campaign or an --mps directory that lies
 * inside the directory the plan replaces: they would be deleted with it.
 * The one exception is DIR/campaign.json, which the new plan keeps (its
 * copy of the campaign, byte for byte), so re-planning in place works.
 * Returns an exit status. */
static int check_inside_out_dir(const struct plan_args *a, const char *real_dir)
{
	char *campaign = NULL, *mps = NULL;
	struct buf kept;
	int status = ROTA_EXIT_OK;

	buf_init(&kept);
	buf_printf(&kept, "%s/%s", real_dir, PLAN_CAMPAIGN);
	if (strcmp(a->campaign, "-"))
		campaign = realpath(a->campaign, NULL);
	if (campaign && path_within(campaign, real_dir) && strcmp(campaign, buf_str(&kept))) {
		fprintf(stderr,
			"rota: '%s' is inside '%s', which the plan replaces: move it out first "
			"(only %s/%s is kept, as the plan's copy of its campaign)\n",
			a->campaign, a->out_dir, a->out_dir, PLAN_CAMPAIGN);
		status = ROTA_EXIT_USAGE;
		goto out;
	}
	if (a->actuals) {
		/* Read before anything is written, but gone with DIR after. */
		char *actuals = realpath(a->actuals, NULL);
		bool inside = actuals && path_within(actuals, real_dir);

		free(actuals);
		if (inside) {
			fprintf(stderr,
				"rota: '%s' is inside '%s', which the plan replaces: move it out "
				"first\n", a->actuals, a->out_dir);
			status = ROTA_EXIT_USAGE;
			goto out;
		}
	}
	if (a->solve.mps_dir) {
		struct stat st;

		/* The solver writes into it and does not create it. */
		mps = outdir_real_path(a->solve.mps_dir);
		if (!mps && errno == ENOMEM) {
			fputs("rota: out of memory\n", stderr);
			status = ROTA_EXIT_NOMEM;
		} else if (!mps || stat(mps, &st)) {
			fprintf(stderr, "rota: cannot write MPS files into '%s': %s\n",
				a->solve.mps_dir, strerror(errno));
			status = ROTA_EXIT_IO;
		} else if (!S_ISDIR(st.st_mode)) {
			fprintf(stderr, "rota: cannot write MPS files into '%s': %s\n",
				a->solve.mps_dir, strerror(ENOTDIR));
			status = ROTA_EXIT_IO;
		} else if (path_within(mps, real_dir)) {
			fprintf(stderr,
				"rota: --mps '%s' is inside '%s', which the plan replaces: "
				"choose a directory outside it\n",
				a->solve.mps_dir, a->out_dir);
			status = ROTA_EXIT_USAGE;
		}
	}
out:
	if (kept.failed) {
		fputs("rota: out of memory\n", stderr);
		status = ROTA_EXIT_NOMEM;
	}
	buf_release(&kept);
	free(campaign);
	free(mps);
	return status;
}

/* The calendars, against the previous plan (NULL on a first plan) whose
 * events they continue and cancel (docs/calendars.md). */
static int write_plan_files(const struct plan *p, const struct plan *old,
			    const struct plan_args *a, const struct buf *campaign_bytes,
			    const char *campaign_file, struct buf *summary, struct rota_error *err)
{
	struct outdir *dir = NULL;
	struct buf notes, file;
	int rc;

	buf_init(&notes);
	buf_init(&file);
	rc = outdir_open(&dir, a->out_dir, err);
	if (rc)
		goto out;
	rc = outdir_write(dir, PLAN_CAMPAIGN, buf_str(campaign_bytes), campaign_bytes->len, err);
	if (rc)
		goto out;
	rc = calendar_write_all(p, old, &a->cal, dir, &notes, err);
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
	return rc;
}

/* What a re-plan needs besides the campaign, all read and checked before
 * the solve: the previous plan on its own campaign, today, the actuals. */
struct replan_state {
	struct plan_dir old;
	struct actuals actuals;
	bool have_actuals;
	int today;
};

static void replan_state_release(struct replan_state *st)
{
	plan_dir_release(&st->old);
	actuals_release(&st->actuals);
	memset(st, 0, sizeof(*st));
}

/* Prints every problem of --previous, --today and --actuals; returns an
 * exit status (the first problem's). */
static int prepare_replan(struct replan_state *st, const struct plan_args *a,
			  const struct campaign *c, long long now)
{
	char day[DATE_TEXT_SIZE], first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];
	struct rota_error err = { 0, "" };
	const struct plan *old;
	struct diags d;
	int status = ROTA_EXIT_OK, rc;
	bool today_ok;

	memset(st, 0, sizeof(*st));
	st->today = a->today >= 0 ? a->today : cli_today(c, now);
	today_ok = st->today >= c->start && st->today <= c->end + 1;
	if (!today_ok) {
		date_format(st->today, day);
		date_format(c->start, first);
		date_format(c->end + 1, last);
		if (a->today >= 0)
			fprintf(stderr, "rota: --today %s: expected a date from the campaign's start "
				"to the day after its end (%s to %s)\n", day, first, last);
		else
			fprintf(stderr, "rota: today is %s in %s: expected a date from the campaign's "
				"start to the day after its end (%s to %s): give --today\n", day,
				c->timezone, first, last);
		status = ROTA_EXIT_INPUT;
	}
	{
		/* Anything wrong with OLD is bad input (exit 1), as a missing
		 * plan is; a file that is there but unreadable is an I/O error. */
		char *plan_path = cli_join_path(a->previous, "rota.json");
		struct stat sb;

		if (!plan_path) {
			fputs("rota: out of memory\n", stderr);
			return ROTA_EXIT_NOMEM;
		}
		bool missing = stat(plan_path, &sb) && (errno == ENOENT || errno == ENOTDIR);

		free(plan_path);
		if (missing) {
			fprintf(stderr, "rota: %s: expected the directory of a plan that rota plan "
				"wrote, found no rota.json in it\n", a->previous);
			return status != ROTA_EXIT_OK ? status : ROTA_EXIT_INPUT;
		}
	}
	rc = plan_dir_open(&st->old, a->previous, NULL);
	if (rc != ROTA_EXIT_OK)
		return status != ROTA_EXIT_OK ? status : rc;
	old = st->old.plan;
	if (strcmp(st->old.campaign->id, c->id)) {
		fprintf(stderr, "rota: %s: campaign: expected '%s', the id of %s, found '%s': "
			"the previous plan is of another campaign\n",
			st->old.plan_path, c->id, a->campaign, st->old.campaign->id);
		return ROTA_EXIT_INPUT;
	}
	if (today_ok && old->today >= 0 && st->today < old->today) {
		date_format(st->today, day);
		date_format(old->today, first);
		fprintf(stderr, "rota: %s %s: expected a date on or after the previous plan's "
			"today (%s, %s): what it holds as history cannot be planned again\n",
			a->today >= 0 ? "--today" : "today", day, first, st->old.plan_path);
		status = ROTA_EXIT_INPUT;
		today_ok = false;
	}
	if (!a->actuals || !today_ok)
		return status;
	diags_init(&d, a->actuals);
	rc = actuals_read(&st->actuals, a->actuals, c, old, st->today, &d, &err);
	diags_sort(&d);
	diags_print(&d, stderr);
	if (rc == ROTA_EINPUT)
		fprintf(stderr, "rota: %s: %zu error%s\n", a->actuals, d.errors,
			d.errors == 1 ? "" : "s");
	else if (rc)
		cli_report_error(&err);
	diags_release(&d);
	st->have_actuals = rc == ROTA_OK;
	if (rc && status == ROTA_EXIT_OK)
		status = cli_exit_status(rc);
	return status;
}

/* Plans c again from st (replan.h), then gives every event its sequence
 * against the previous plan. Returns an exit status. */
static int replan(struct plan **out, const struct campaign *c, const struct plan_args *a,
		  const struct replan_state *st)
{
	struct replan_input in;
	struct rota_error err = { 0, "" };
	struct diags d;
	int rc;

	in.old = st->old.plan;
	in.actuals = st->have_actuals ? &st->actuals : NULL;
	in.today = st->today;
	in.freeze = a->freeze;
	in.lang = a->cal.lang;
	diags_init(&d, st->old.plan_path);
	rc = replan_solve(out, c, &in, &a->solve, &d, &err);
	diags_sort(&d);
	diags_print(&d, stderr);
	diags_release(&d);
	if (rc == ROTA_EINPUT && !err.message[0])
		return ROTA_EXIT_INPUT;
	if (rc)
		return cli_report_error(&err);
	rc = sequence_assign(*out, st->old.plan, &a->cal, &err);
	return rc ? cli_report_error(&err) : ROTA_EXIT_OK;
}

/* Under --time-limit, the seconds kept from the solve for what comes after
 * it (the calendars, notices, rota.json, CSV and report written into a
 * temporary directory and renamed). Writing grows faster than the units
 * (more units, more sessions each unit's files list): it took 0.29 s of
 * processor time for Định Hóa's 409 units and, with the notices of every
 * unit, 4.6 s (5-9 s of wall time on a loaded machine: thousands of files)
 * for the 2,046 of 100 generated communes (docs/model.md section 8);
 * this gives 0.6 s and 6.3 s. */
#define WRITE_SECONDS_MIN 0.2
#define WRITE_SECONDS_PER_UNIT 5e-4
#define WRITE_SECONDS_PER_UNIT2 1.2e-6

static double write_reserve(const struct campaign *c)
{
	double u = (double)c->nunits;

	return WRITE_SECONDS_MIN + WRITE_SECONDS_PER_UNIT * u + WRITE_SECONDS_PER_UNIT2 * u * u;
}

/* --time-limit covers the whole run: the solve gets what reading (since
 * `started`) and the writing to come leave of it, and never nothing. */
static void solve_time_left(struct solve_options *o, double started, const struct campaign *c)
{
	if (o->time_limit > 0)
		o->time_limit = fmax(0.01, o->time_limit - (timebox_now() - started) -
						   write_reserve(c));
}

static int cmd_plan(int argc, char **argv)
{
	struct plan_args a;
	struct campaign *c = NULL;
	struct plan *p = NULL;
	struct rota_error err = { 0, "" };
	struct buf summary, campaign_bytes;
	struct replan_state st;
	char *real_dir = NULL, *campaign_file = NULL;
	struct progress *pr = NULL;
	/* --time-limit counts from here: reading and writing included. */
	double started = timebox_now();
	bool reproducible = false;
	int status, rc;

	memset(&st, 0, sizeof(st));
	if (wants_help(argc, argv)) {
		fputs(usage_text, stdout);
		fputs(plan_help_text, stdout);
		return fflush(stdout) || ferror(stdout) ? ROTA_EXIT_IO : ROTA_EXIT_OK;
	}
	status = parse_plan_args(argc, argv, &a);
	if (status != ROTA_EXIT_OK)
		return status;
	status = set_dtstamp(&a.cal, &reproducible);
	if (status != ROTA_EXIT_OK)
		return status;
	buf_init(&summary);
	buf_init(&campaign_bytes);
	pr = progress_start(stderr, "reading", a.solve.progress);
	if (!pr) {
		fputs("rota: out of memory\n", stderr);
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	a.solve.on_progress = progress_update;
	a.solve.on_debug = getenv("ROTA_DEBUG") ? debug_print : NULL;
	a.solve.callback_arg = pr;
	/* Everything that can be known about the output before the solve is
	 * checked before it: a district takes minutes. */
	if (outdir_check(a.out_dir, &err)) {
		status = cli_report_error(&err);
		goto out;
	}
	real_dir = outdir_real_path(a.out_dir);
	if (!real_dir && errno == ENOMEM) {
		fputs("rota: out of memory\n", stderr);
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	if (!real_dir) {
		fprintf(stderr, "rota: cannot resolve '%s': %s\n", a.out_dir, strerror(errno));
		status = ROTA_EXIT_IO;
		goto out;
	}
	status = check_inside_out_dir(&a, real_dir);
	if (status != ROTA_EXIT_OK)
		goto out;
	status = cli_read_campaign(&c, a.campaign, 0, &campaign_bytes);
	if (status != ROTA_EXIT_OK)
		goto out;
	errno = 0;
	campaign_file = campaign_path_from_dir(a.campaign, real_dir);
	if (!campaign_file && errno == ENOMEM) {
		fputs("rota: out of memory\n", stderr);
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	if (a.previous) {
		/* OLD may be DIR itself: it is read whole before anything is
		 * written, and everything about it is checked before the solve. */
		status = prepare_replan(&st, &a, c, a.cal.dtstamp);
		if (status != ROTA_EXIT_OK)
			goto out;
		solve_time_left(&a.solve, started, c);
		status = replan(&p, c, &a, &st);
		if (status != ROTA_EXIT_OK)
			goto out;
	} else {
		solve_time_left(&a.solve, started, c);
		rc = plan_solve(&p, c, &a.solve, &err);
		if (!rc)
			rc = sequence_assign(p, NULL, &a.cal, &err);
		if (rc) {
			status = cli_report_error(&err);
			goto out;
		}
	}
	if (reproducible)
		p->solver.seconds = 0.0;
	progress_stage(pr, "writing");
	{
		/* Ctrl-C (or a kill) while the files are written waits until
		 * they are in place, or cleaned up after an error, so that no
		 * half-written directory or .DIR.tmp-* is left behind; the
		 * solve before this may be interrupted at any time. */
		sigset_t stop, old;
		double t_write = timebox_now();
		clock_t cpu_write = clock();

		sigemptyset(&stop);
		sigaddset(&stop, SIGINT);
		sigaddset(&stop, SIGTERM);
		sigaddset(&stop, SIGHUP);
		sigaddset(&stop, SIGQUIT);
		sigprocmask(SIG_BLOCK, &stop, &old);
		rc = write_plan_files(p, a.previous ? st.old.plan : NULL, &a, &campaign_bytes,
				      campaign_file, &summary, &err);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (a.solve.on_debug) {
			char line[128];

			snprintf(line, sizeof(line), "writing: %.2f s, processor %.2f s (%zu units, "
				 "%zu sessions); the run: %.2f s", timebox_now() - t_write,
				 (double)(clock() - cpu_write) / CLOCKS_PER_SEC, c->nunits,
				 p->nsessions, timebox_now() - started);
			a.solve.on_debug(a.solve.callback_arg, line);
		}
	}
	if (rc) {
		status = cli_report_error(&err);
		goto out;
	}
	progress_stop(pr);
	pr = NULL;
	status = write_stdout(&summary);
out:
	progress_stop(pr);
	buf_release(&summary);
	buf_release(&campaign_bytes);
	free(real_dir);
	free(campaign_file);
	plan_free(p);
	replan_state_release(&st);
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

static int cmd_week(int argc, char **argv)
{
	const char *dir = NULL, *week_text = NULL, *campaign_path = NULL, *out_path = NULL;
	char *ics_path = NULL;
	struct cal_options cal;
	struct plan_dir pd;
	struct plan *p;
	struct rota_error err = { 0, "" };
	struct buf table, ics;
	bool reproducible;
	int status, monday = 0, n;

	memset(&cal, 0, sizeof(cal));
	if (wants_help(argc, argv))
		return print_usage();
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
			else if (lang_parse(val, &cal.lang))
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
	status = plan_dir_open(&pd, dir, campaign_path);
	if (status != ROTA_EXIT_OK)
		goto out;
	p = pd.plan;
	if (!week_text)
		monday = default_week(p, cal.dtstamp);
	n = calendar_week(p, monday, &cal, &table, &ics, &err);
	if (n < 0) {
		status = cli_report_error(&err);
		goto out;
	}
	report_week_changes(p, monday, cal.lang, &table);
	if (!out_path) {
		char name[32];
		int iso_year, week = date_iso_week(monday, &iso_year);

		snprintf(name, sizeof(name), "week-%04d-W%02d.ics", iso_year, week);
		ics_path = cli_join_path(dir, name);
		if (!ics_path) {
			fputs("rota: out of memory\n", stderr);
			status = ROTA_EXIT_NOMEM;
			goto out;
		}
		out_path = ics_path;
	}
	if (n > 0 && ics.failed) {
		fputs("rota: out of memory\n", stderr);
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	if (n > 0 && outdir_write_file(out_path, ics.data, ics.len, &err)) {
		status = cli_report_error(&err);
		goto out;
	}
	if (n > 0)
		buf_printf(&table, "\ncalendar: %s\n", out_path);
	status = write_stdout(&table);
out:
	buf_release(&table);
	buf_release(&ics);
	free(ics_path);
	plan_dir_release(&pd);
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
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(argv[1], "import"))
		return cmd_import(argc - 1, argv + 1);
	if (!strcmp(argv[1], "template"))
		return cmd_template(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", argv[1]);
}
