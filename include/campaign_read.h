/*
 * campaign_read.h - reads a campaign file (rota-campaign/1) and checks
 * everything docs/campaign-format.md says, reporting every problem with its
 * place; and reads back a rota.json (plan_read.c). The document layer
 * under both is json_doc.h.
 */
#ifndef ROTA_CAMPAIGN_READ_H
#define ROTA_CAMPAIGN_READ_H

#include <stddef.h>

#include "campaign.h"
#include "diag.h"
#include "plan.h"
#include "util.h"

/* Files larger than this are refused before parsing (documented). */
#define CAMPAIGN_MAX_BYTES ((size_t)16 * 1024 * 1024)
/* Deeper JSON nesting than this is refused (the format needs 5). */
#define CAMPAIGN_MAX_DEPTH 32

/*
 * Parses and checks len bytes of data (need not be NUL-terminated).
 * Every problem goes to d (errors and warnings, with line, column and JSON
 * path). Returns 0 and sets *out (free with campaign_free) when there is no
 * error (warnings allowed); ROTA_EINPUT when d holds at least one error,
 * *out then NULL; ROTA_ENOMEM when out of memory.
 */
int campaign_read_buffer(struct campaign **out, const char *data, size_t len,
			 struct diags *d);

/* Reads the file at path (or standard input for "-") and calls
 * campaign_read_buffer. Returns ROTA_EIO with err set when the file cannot
 * be read or is over CAMPAIGN_MAX_BYTES; otherwise as above. */
int campaign_read_file(struct campaign **out, const char *path, struct diags *d,
		       struct rota_error *err);


/* Reads a rota.json (rota-plan/1) written by `rota plan` for campaign c,
 * back into a plan (sessions, visits with their windows, solver record).
 * Sets *campaign_file (caller frees; NULL when absent) to its optional
 * "campaign_file". Returns 0, ROTA_EINPUT with diagnostics in d when it does
 * not fit c, ROTA_EIO with err set, or ROTA_ENOMEM. */
int plan_read_file(struct plan **out, char **campaign_file, const struct campaign *c,
		   const char *path, struct diags *d, struct rota_error *err);
/* As plan_read_file, for len bytes of data already read (need not be
 * NUL-terminated). */
int plan_read_buffer(struct plan **out, char **campaign_file, const struct campaign *c,
		     const char *data, size_t len, struct diags *d);
/* Reads only the "campaign_file" field of a rota.json. Returns 0 and sets
 * *campaign_file (caller frees; NULL when absent), or ROTA_EIO/ROTA_EINPUT
 * with err set. */
int plan_read_campaign_file(char **campaign_file, const char *path, struct rota_error *err);

#endif
