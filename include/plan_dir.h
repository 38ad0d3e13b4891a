/*
 * plan_dir.h - a plan directory written by `rota plan`, read back: its
 * plan (DIR/rota.json) and the campaign it was made from. Used by every
 * command that reads a plan back (week, report, compare).
 *
 * The campaign comes from, in order: the override (--campaign); the plan's
 * own copy DIR/campaign.json (written by rota: a symbolic link there is not
 * followed); the file named by rota.json's campaign_file (older plans),
 * relative to DIR.
 */
#ifndef ROTA_PLAN_DIR_H
#define ROTA_PLAN_DIR_H

#include "campaign.h"
#include "plan.h"

#define PLAN_CAMPAIGN "campaign.json" /* the plan's own copy of its campaign */

enum plan_dir_source {
	PLAN_DIR_OVERRIDE,     /* --campaign */
	PLAN_DIR_OWN_COPY,     /* DIR/campaign.json */
	PLAN_DIR_CAMPAIGN_FILE /* rota.json's campaign_file */
};

struct plan_dir {
	char *plan_path;          /* DIR/rota.json */
	char *campaign_path;      /* the campaign file read */
	enum plan_dir_source source;
	struct campaign *campaign;
	struct plan *plan;
};

/* Reads the plan directory dir (campaign_override may be NULL). Prints
 * every problem to standard error; returns an exit status (util.h). On
 * failure *out holds nothing; release it either way. */
int plan_dir_open(struct plan_dir *out, const char *dir, const char *campaign_override);
void plan_dir_release(struct plan_dir *pd);

#endif
