/*
 * fuzz_plan.c - libFuzzer target for the plan reader (a rota.json read
 * back by `rota week`): any bytes must give a plan or diagnostics for the
 * campaign it is read against, never a crash, a leak or undefined
 * behaviour. Built and run by `make fuzz FUZZ_TARGET=plan`.
 *
 * The campaign is FUZZ_CAMPAIGN (examples/small.json, its path given by
 * the Makefile), read once; the seeds are plans of it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "campaign.h"
#include "campaign_read.h"
#include "diag.h"
#include "plan.h"

#ifndef FUZZ_CAMPAIGN
#define FUZZ_CAMPAIGN "examples/small.json"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct campaign *campaign;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rota_error err = { 0, "" };
	struct diags d;

	(void)argc;
	(void)argv;
	diags_init(&d, FUZZ_CAMPAIGN);
	if (campaign_read_file(&campaign, FUZZ_CAMPAIGN, &d, &err)) {
		diags_sort(&d);
		diags_print(&d, stderr);
		fprintf(stderr, "fuzz_plan: cannot read %s: %s\n", FUZZ_CAMPAIGN, err.message);
		exit(2);
	}
	diags_release(&d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan *p = NULL;
	char *campaign_file = NULL;
	struct diags d;
	int rc;

	diags_init(&d, "rota.json");
	rc = plan_read_buffer(&p, &campaign_file, campaign, (const char *)data, size, &d);
	/* Every outcome is consistent: a plan only without errors. */
	if ((rc == 0) != (p != NULL) || (rc == 0 && d.errors) || (rc == ROTA_EINPUT && !d.errors) ||
	    (rc != 0 && campaign_file))
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
	free(campaign_file);
	plan_free(p);
	return 0;
}
