/*
 * plan_dir.c - opening a plan directory (plan_dir.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "campaign_read.h"
#include "cli_common.h"
#include "diag.h"
#include "input_file.h"
#include "plan_dir.h"
#include "banned.h"

/* Sets out->campaign_path and out->source; returns an exit status. */
static int find_campaign(struct plan_dir *out, const char *dir, const char *override,
			 unsigned *flags)
{
	struct rota_error err = { 0, "" };
	struct stat st;
	char *stored = NULL;

	*flags = 0;
	if (override) {
		out->campaign_path = xstrdup(override);
		out->source = PLAN_DIR_OVERRIDE;
		return out->campaign_path ? ROTA_EXIT_OK : ROTA_EXIT_NOMEM;
	}
	out->campaign_path = cli_join_path(dir, PLAN_CAMPAIGN);
	if (!out->campaign_path)
		return ROTA_EXIT_NOMEM;
	if (!lstat(out->campaign_path, &st) || errno != ENOENT) {
		out->source = PLAN_DIR_OWN_COPY;
		*flags = INPUT_NOFOLLOW;
		return ROTA_EXIT_OK;
	}
	free(out->campaign_path);
	out->campaign_path = NULL;
	if (plan_read_campaign_file(&stored, out->plan_path, &err))
		return cli_report_error(&err);
	if (!stored) {
		fprintf(stderr, "rota: %s names no campaign file: give --campaign\n",
			out->plan_path);
		return ROTA_EXIT_USAGE;
	}
	if (stored[0] != '/') {
		out->campaign_path = cli_join_path(dir, stored);
		free(stored);
		if (!out->campaign_path)
			return ROTA_EXIT_NOMEM;
	} else {
		out->campaign_path = stored;
	}
	out->source = PLAN_DIR_CAMPAIGN_FILE;
	return ROTA_EXIT_OK;
}

int plan_dir_open(struct plan_dir *out, const char *dir, const char *campaign_override)
{
	struct rota_error err = { 0, "" };
	struct diags d;
	unsigned flags;
	int status;

	memset(out, 0, sizeof(*out));
	diags_init(&d, NULL);
	out->plan_path = cli_join_path(dir, "rota.json");
	if (!out->plan_path) {
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	d.file = out->plan_path;
	status = find_campaign(out, dir, campaign_override, &flags);
	if (status != ROTA_EXIT_OK)
		goto out;
	status = cli_read_campaign(&out->campaign, out->campaign_path, flags, NULL);
	if (status != ROTA_EXIT_OK)
		goto out;
	if (plan_read_file(&out->plan, NULL, out->campaign, out->plan_path, &d, &err)) {
		diags_sort(&d);
		diags_print(&d, stderr);
		if (err.message[0])
			cli_report_error(&err);
		status = d.errors ? ROTA_EXIT_INPUT : cli_exit_status(err.code);
	}
out:
	diags_release(&d);
	if (status != ROTA_EXIT_OK)
		plan_dir_release(out);
	return status;
}

void plan_dir_release(struct plan_dir *pd)
{
	plan_free(pd->plan);
	campaign_free(pd->campaign);
	free(pd->campaign_path);
	free(pd->plan_path);
	memset(pd, 0, sizeof(*pd));
}
