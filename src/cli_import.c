/*
 * cli_import.c - `rota import` and `rota template`: the arguments, the
 * messages, the check of the imported campaign by the campaign reader, and
 * writing files so that nothing is ever half-written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "campaign.h"
#include "campaign_read.h"
#include "cli_common.h"
#include "cli_import.h"
#include "diag.h"
#include "import.h"
#include "outdir.h"
#include "util.h"
#include "banned.h"

static const char import_usage[] =
	"usage: rota import ROSTER.csv --campaign BASE.json [--sites SITES.csv]\n"
	"                   [--teams TEAMS.csv] [--travel TRAVEL.csv] [--holidays FILE.ics]\n"
	"                   [--deadline GROUP=FILE.ics]... -o CAMPAIGN.json\n"
	"       rota template DIR\n";

static int usage(const char *fmt, const char *arg)
{
	return cli_usage_error(import_usage, fmt, arg);
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Creates path with data; an existing path (or a link there) is refused,
 * nothing is overwritten. */
static int create_file(const char *path, const char *data, size_t len, struct rota_error *err)
{
	int fd, rc = ROTA_OK;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
	if (fd < 0)
		return rota_error_set(err, ROTA_EIO, "cannot create '%s': %s", path,
				      errno == EEXIST ? "it exists already (nothing is overwritten)"
						      : strerror(errno));
	if (write_all(fd, data, len) || close(fd)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", path, strerror(errno));
		unlink(path);
	}
	return rc;
}

int cmd_import(int argc, char **argv)
{
	struct import_options o;
	struct import_deadline *deadlines = NULL;
	struct import_report rep;
	struct rota_error err = { 0, "" };
	struct buf json;
	struct campaign *c = NULL;
	struct diags check;
	const char *out_path = NULL;
	int status = ROTA_EXIT_OK, rc;

	memset(&o, 0, sizeof(o));
	import_report_init(&rep);
	buf_init(&json);
	diags_init(&check, "");
	deadlines = xcalloc_array((size_t)argc, sizeof(*deadlines));
	if (!deadlines) {
		fputs("rota: out of memory\n", stderr);
		return ROTA_EXIT_NOMEM;
	}
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char **slot = NULL;

		if (!strcmp(arg, "-o") || !strcmp(arg, "--output"))
			slot = &out_path;
		else if (!strcmp(arg, "--campaign"))
			slot = &o.base;
		else if (!strcmp(arg, "--sites"))
			slot = &o.sites;
		else if (!strcmp(arg, "--teams"))
			slot = &o.teams;
		else if (!strcmp(arg, "--travel"))
			slot = &o.travel;
		else if (!strcmp(arg, "--holidays"))
			slot = &o.holidays;
		if (slot || !strcmp(arg, "--deadline")) {
			if (i + 1 >= argc) {
				status = usage("%s needs a value", arg);
				goto out;
			}
			i++;
			if (slot) {
				if (*slot) {
					status = usage("%s is given twice", arg);
					goto out;
				}
				*slot = argv[i];
			} else {
				char *eq = strchr(argv[i], '=');

				if (!eq || eq == argv[i] || !eq[1]) {
					status = usage("--deadline takes GROUP=FILE.ics, not '%s'", argv[i]);
					goto out;
				}
				*eq = '\0';
				deadlines[o.ndeadlines].group = argv[i];
				deadlines[o.ndeadlines].path = eq + 1;
				o.ndeadlines++;
			}
		} else if (arg[0] == '-' && arg[1]) {
			status = usage("unknown option '%s'", arg);
			goto out;
		} else if (!o.roster) {
			o.roster = arg;
		} else {
			status = usage("one roster only: '%s' is one too many", arg);
			goto out;
		}
	}
	o.deadlines = deadlines;
	if (!o.roster) {
		status = usage("import needs a roster (CSV)%s", "");
		goto out;
	}
	if (!o.base) {
		status = usage("import needs --campaign BASE.json%s", "");
		goto out;
	}
	if (!out_path) {
		status = usage("import needs -o CAMPAIGN.json%s", "");
		goto out;
	}
	o.output = out_path;
	rc = import_campaign(&json, &o, &rep, &err);
	import_report_print(&rep, stderr);
	if (rc == ROTA_EINPUT) {
		size_t errors = import_report_errors(&rep);

		fprintf(stderr, "rota: %zu error%s: nothing written\n", errors, errors == 1 ? "" : "s");
		status = ROTA_EXIT_INPUT;
		goto out;
	}
	if (rc) {
		fprintf(stderr, "rota: %s\n", err.message[0] ? err.message : "out of memory");
		status = cli_exit_status(rc);
		goto out;
	}
	/* Checked by import_campaign already; read again for the summary. */
	check.file = out_path;
	if (campaign_read_buffer(&c, json.data, json.len, &check)) {
		fputs("rota: out of memory\n", stderr);
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	if (!strcmp(out_path, "-")) {
		status = buf_write(&json, stdout) ? ROTA_EXIT_IO : ROTA_EXIT_OK;
		goto out;
	}
	if (outdir_write_file(out_path, json.data, json.len, &err)) {
		fprintf(stderr, "rota: %s\n", err.message);
		status = cli_exit_status(err.code);
		goto out;
	}
	printf("%s: %zu units, %zu sites, %zu teams, %zu holidays\n", out_path, c->nunits,
	       c->nsites, c->nteams, c->holidays.count);
out:
	campaign_free(c);
	diags_release(&check);
	buf_release(&json);
	import_report_release(&rep);
	free(deadlines);
	return status;
}

int cmd_template(int argc, char **argv)
{
	static const char *const names[] = { "roster", "sites", "teams", "travel" };
	struct rota_error err = { 0, "" };
	struct buf path, text;
	int status = ROTA_EXIT_OK;

	if (argc != 2)
		return usage("template takes one directory%s", "");
	if (mkdir(argv[1], 0777) && errno != EEXIST) {
		fprintf(stderr, "rota: cannot create '%s': %s\n", argv[1], strerror(errno));
		return ROTA_EXIT_IO;
	}
	buf_init(&path);
	buf_init(&text);
	/* Refuse before writing anything: all four or none. */
	for (size_t i = 0; i < 4; i++) {
		struct stat st;

		path.len = 0;
		buf_printf(&path, "%s/%s.csv", argv[1], names[i]);
		if (!path.failed && lstat(path.data, &st) == 0) {
			fprintf(stderr, "rota: '%s' exists already: nothing is overwritten\n", path.data);
			status = ROTA_EXIT_IO;
		}
	}
	for (size_t i = 0; i < 4 && status == ROTA_EXIT_OK; i++) {
		path.len = 0;
		text.len = 0;
		buf_printf(&path, "%s/%s.csv", argv[1], names[i]);
		import_template(&text, names[i]);
		if (path.failed || text.failed) {
			fputs("rota: out of memory\n", stderr);
			status = ROTA_EXIT_NOMEM;
		} else if (create_file(path.data, text.data, text.len, &err)) {
			fprintf(stderr, "rota: %s\n", err.message);
			status = ROTA_EXIT_IO;
		} else {
			printf("%s\n", path.data);
		}
	}
	buf_release(&path);
	buf_release(&text);
	return status;
}
