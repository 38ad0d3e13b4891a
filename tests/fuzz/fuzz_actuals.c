/*
 * fuzz_actuals.c - libFuzzer target for the actuals reader (what the teams
 * report for `rota plan --previous OLD --actuals FILE.csv`): any bytes
 * must give the rows or diagnostics, never a crash, a leak or undefined
 * behaviour. Built and run by `make fuzz-actuals`.
 *
 * The campaign is FUZZ_CAMPAIGN (examples/small.json) and the previous
 * plan FUZZ_PLAN (tests/fuzz/seeds-plan/small.json, a plan of it), both
 * read once; today is after the campaign, so that every session has
 * happened. The seeds are tests/bad-actuals/ and an actuals file made of
 * the plan's own rows.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "actuals.h"
#include "campaign.h"
#include "campaign_read.h"
#include "diag.h"
#include "plan.h"

#ifndef FUZZ_CAMPAIGN
#define FUZZ_CAMPAIGN "examples/small.json"
#endif
#ifndef FUZZ_PLAN
#define FUZZ_PLAN "tests/fuzz/seeds-plan/small.json"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct campaign *campaign;
static struct plan *old;

static void give_up(const char *what, struct diags *d, const struct rota_error *err)
{
	diags_sort(d);
	diags_print(d, stderr);
	fprintf(stderr, "fuzz_actuals: cannot read %s: %s\n", what, err->message);
	exit(2);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rota_error err = { 0, "" };
	char *campaign_file = NULL;
	struct diags d;

	(void)argc;
	(void)argv;
	diags_init(&d, FUZZ_CAMPAIGN);
	if (campaign_read_file(&campaign, FUZZ_CAMPAIGN, &d, &err))
		give_up(FUZZ_CAMPAIGN, &d, &err);
	diags_release(&d);
	diags_init(&d, FUZZ_PLAN);
	if (plan_read_file(&old, &campaign_file, campaign, FUZZ_PLAN, &d, &err))
		give_up(FUZZ_PLAN, &d, &err);
	diags_release(&d);
	free(campaign_file);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct actuals a;
	struct diags d;
	int rc;

	diags_init(&d, "actuals.csv");
	rc = actuals_read_buffer(&a, (const char *)data, size, campaign, old,
				 campaign->end + 1, &d);
	/* Every outcome is consistent: rows only without errors. */
	if ((rc == 0 && d.errors) || (rc == ROTA_EINPUT && !d.errors) ||
	    (rc != 0 && a.nrows))
		__builtin_trap();
	diags_sort(&d);
	if (d.count) {
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			diags_print(&d, null);
			fclose(null);
		}
	}
	diags_release(&d);
	actuals_release(&a);
	return 0;
}
