/*
 * fuzz_campaign.c - libFuzzer target for the campaign reader: any bytes
 * must give a campaign or diagnostics, never a crash, a leak or undefined
 * behaviour. Built and run by `make fuzz FUZZ_SECONDS=N`; crashes found
 * go to tests/fuzz/regressions/, which the test suite replays.
 *
 * Built with -DROTA_FUZZING, under which the reader aborts if its own
 * scanner accepts a text that cJSON refuses (the two must agree).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "campaign.h"
#include "campaign_read.h"
#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct campaign *c = NULL;
	struct diags d;
	int rc;

	diags_init(&d, "fuzz.json");
	rc = campaign_read_buffer(&c, (const char *)data, size, &d);
	/* Every outcome is consistent: a campaign only without errors. */
	if ((rc == 0) != (c != NULL) || (rc == 0 && d.errors) || (rc == ROTA_EINPUT && !d.errors))
		__builtin_trap();
	diags_sort(&d);
	/* Formatting the messages exercises every path and format string. */
	if (d.count) {
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			diags_print(&d, null);
			fclose(null);
		}
	}
	diags_release(&d);
	campaign_free(c);
	return 0;
}
