/*
 * fuzz_import.c - libFuzzer target for `rota import`: any bytes, as the
 * roster, the sites, teams or travel table, or a holiday calendar, must
 * give a campaign or diagnostics, never a crash, a leak or undefined
 * behaviour. Built and run by `make fuzz-import FUZZ_SECONDS=N` from the
 * top directory (it reads examples/trung-hoi-2024/).
 *
 * The first byte chooses what the rest is; the other files are the
 * example's. An import that succeeds is then read back by the campaign
 * reader, as `rota import` does before writing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"
#include "campaign_read.h"
#include "csv_read.h"
#include "diag.h"
#include "import.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXAMPLE "examples/trung-hoi-2024/"

static char input_path[64];

static int write_input(const uint8_t *data, size_t size)
{
	FILE *f;

	if (!input_path[0])
		snprintf(input_path, sizeof(input_path), "/tmp/fuzz-import-%ld", (long)getpid());
	f = fopen(input_path, "wb");
	if (!f)
		return -1;
	if (size && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options o;
	struct import_deadline deadline = { "exam", EXAMPLE "exam-2024.ics" };
	struct import_report rep;
	struct rota_error err = { 0, "" };
	struct csv_table *t = NULL;
	struct campaign *c = NULL;
	struct diags d;
	struct buf json;
	int mode, rc;

	if (size < 1)
		return 0;
	mode = data[0] % 6;
	data++;
	size--;

	/* The reader alone, on the bytes as given. */
	diags_init(&d, "fuzz.csv");
	rc = csv_read_buffer(&t, (const char *)data, size, &d);
	if ((rc == 0) != (t != NULL) || (rc == ROTA_EINPUT && !d.errors))
		__builtin_trap();
	csv_table_free(t);
	diags_release(&d);

	if (write_input(data, size))
		return 0;
	memset(&o, 0, sizeof(o));
	o.base = EXAMPLE "base.json";
	o.roster = EXAMPLE "roster.csv";
	o.sites = EXAMPLE "sites.csv";
	o.teams = EXAMPLE "teams.csv";
	o.travel = EXAMPLE "travel.csv";
	switch (mode) {
	case 0: case 1: o.roster = input_path; break;
	case 2: o.sites = input_path; break;
	case 3: o.teams = input_path; break;
	case 4: o.travel = input_path; break;
	case 5:
		o.holidays = input_path;
		o.deadlines = &deadline;
		o.ndeadlines = 1;
		break;
	}
	if (mode == 1) {
		o.sites = o.teams = o.travel = NULL; /* the base's */
	}
	import_report_init(&rep);
	buf_init(&json);
	rc = import_campaign(&json, &o, &rep, &err);
	if (rc == ROTA_EINPUT && !import_report_errors(&rep))
		__builtin_trap();
	if (rc == 0 && import_report_errors(&rep))
		__builtin_trap();
	{
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			import_report_print(&rep, null);
			fclose(null);
		}
	}
	if (rc == 0) {
		diags_init(&d, "imported.json");
		campaign_read_buffer(&c, json.data, json.len, &d);
		campaign_free(c);
		diags_release(&d);
	}
	buf_release(&json);
	import_report_release(&rep);
	return 0;
}
