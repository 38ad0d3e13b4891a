/*
 * cli_report.c - `rota report` and `rota compare` (cli_report.h): read
 * plans back from the directories `rota plan` wrote, with their campaigns,
 * and write the HTML page or the comparison.
 *
 * A file is written whole or not at all: into a temporary file that must
 * not exist yet (O_CREAT|O_EXCL|O_NOFOLLOW) in the target's directory,
 * then renamed over the target.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign_read.h"
#include "cli_common.h"
#include "cli_report.h"
#include "compare.h"
#include "diag.h"
#include "plan_dir.h"
#include "report_html.h"
#include "lang.h"
#include "banned.h"

static const char report_usage[] =
	"usage: rota report DIR [--lang vi|en] [--campaign CAMPAIGN.json] [-o FILE]\n"
	"                   [--compare DIR2]...\n"
	"       rota compare DIR1 DIR2 [DIR...] [--lang vi|en] [--html FILE]\n";

static int usage(const char *fmt, const char *arg)
{
	return cli_usage_error(report_usage, fmt, arg);
}

static int print_error(const struct rota_error *err)
{
	if (!err->message[0])
		return cli_report_error(&(struct rota_error){ ROTA_ENOMEM, "out of memory" });
	return cli_report_error(err);
}

/* Writes data to path whole or not at all (see the top of this file). */
static int write_atomically(const char *path, const struct buf *data, struct rota_error *err)
{
	const char *slash = strrchr(path, '/');
	struct buf tmp;
	int fd = -1, rc = ROTA_OK;
	sigset_t stop, old;

	if (data->failed)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory writing '%s'", path);
	buf_init(&tmp);
	/* Ctrl-C waits until the file is in place or the temporary file gone. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigaddset(&stop, SIGQUIT);
	sigprocmask(SIG_BLOCK, &stop, &old);
	for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
		buf_release(&tmp);
		if (slash)
			buf_printf(&tmp, "%.*s/.%s.tmp-%ld-%d", (int)(slash - path), path, slash + 1,
				   (long)getpid(), attempt);
		else
			buf_printf(&tmp, ".%s.tmp-%ld-%d", path, (long)getpid(), attempt);
		if (tmp.failed) {
			rc = rota_error_set(err, ROTA_ENOMEM, "out of memory");
			goto out;
		}
		fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST) {
			rc = rota_error_set(err, ROTA_EIO, "cannot create '%s': %s", tmp.data,
					    strerror(errno));
			goto out;
		}
	}
	if (fd < 0) {
		rc = rota_error_set(err, ROTA_EIO, "cannot create a temporary file for '%s'", path);
		goto out;
	}
	for (size_t done = 0; done < data->len;) {
		ssize_t n = write(fd, data->data + done, data->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", tmp.data,
					    strerror(errno));
			break;
		}
		done += (size_t)n;
	}
	if (!rc && fsync(fd))
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", tmp.data, strerror(errno));
	if (close(fd) && !rc)
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", tmp.data, strerror(errno));
	if (!rc && rename(tmp.data, path))
		rc = rota_error_set(err, ROTA_EIO, "cannot rename '%s' to '%s': %s", tmp.data, path,
				    strerror(errno));
	if (rc)
		unlink(tmp.data);
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	buf_release(&tmp);
	return rc;
}


int cmd_report(int argc, char **argv)
{
	const char *dir = NULL, *campaign_path = NULL, *out_path = NULL;
	enum rota_lang lang = LANG_VI;
	struct rota_error err = { 0, "" };
	struct plan_dir *loaded = NULL;
	struct compare_plan *plans = NULL;
	size_t n = 1; /* plans[0] is DIR's, the others come with --compare */
	char *default_path = NULL;
	struct buf html, appendix;
	int status = ROTA_EXIT_OK;

	buf_init(&html);
	buf_init(&appendix);
	loaded = xcalloc_array((size_t)argc + 1, sizeof(*loaded));
	plans = xcalloc_array((size_t)argc + 1, sizeof(*plans));
	if (!loaded || !plans) {
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	for (int i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--lang") || !strcmp(argv[i], "--campaign") ||
		    !strcmp(argv[i], "-o") || !strcmp(argv[i], "--compare")) {
			if (!val) {
				status = usage("%s needs a value", argv[i]);
				goto out;
			}
			if (!strcmp(argv[i], "--campaign")) {
				campaign_path = val;
			} else if (!strcmp(argv[i], "-o")) {
				out_path = val;
			} else if (!strcmp(argv[i], "--compare")) {
				plans[n++].dir = val;
			} else if (lang_parse(val, &lang)) {
				status = usage("--lang takes 'vi' or 'en', found '%s'", val);
				goto out;
			}
			i++;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			status = usage("unknown option '%s'", argv[i]);
			goto out;
		} else if (!dir) {
			dir = argv[i];
		} else {
			status = usage("unexpected argument '%s'", argv[i]);
			goto out;
		}
	}
	if (!dir) {
		status = usage("report needs the directory that rota plan wrote%s", "");
		goto out;
	}
	plans[0].dir = dir;
	for (size_t i = 0; i < n; i++) {
		status = plan_dir_open(&loaded[i], plans[i].dir, i == 0 ? campaign_path : NULL);
		if (status != ROTA_EXIT_OK)
			goto out;
		plans[i].plan = loaded[i].plan;
	}
	if (n > 1) {
		if (compare_check(plans, n, &err)) {
			status = print_error(&err);
			goto out;
		}
		compare_html(plans, n, lang, &appendix);
		if (appendix.failed) {
			status = ROTA_EXIT_NOMEM;
			goto out;
		}
	}
	if (!out_path) {
		default_path = cli_join_path(dir, "report.html");
		if (!default_path) {
			status = ROTA_EXIT_NOMEM;
			goto out;
		}
		out_path = default_path;
	}
	report_html(plans[0].plan, lang, n > 1 ? buf_str(&appendix) : NULL, &html);
	if (write_atomically(out_path, &html, &err)) {
		status = print_error(&err);
		goto out;
	}
	printf("%s\n", out_path);
	status = fflush(stdout) ? ROTA_EXIT_IO : ROTA_EXIT_OK;
out:
	for (size_t i = 0; loaded && i < n; i++)
		plan_dir_release(&loaded[i]);
	free(loaded);
	free(plans);
	buf_release(&html);
	buf_release(&appendix);
	free(default_path);
	return status;
}

int cmd_compare(int argc, char **argv)
{
	const char *html_path = NULL;
	enum rota_lang lang = LANG_VI;
	struct rota_error err = { 0, "" };
	struct plan_dir *loaded = NULL;
	struct compare_plan *plans = NULL;
	size_t n = 0;
	struct buf text, html;
	int status = ROTA_EXIT_OK;

	buf_init(&text);
	buf_init(&html);
	loaded = xcalloc_array((size_t)argc, sizeof(*loaded));
	plans = xcalloc_array((size_t)argc, sizeof(*plans));
	if (!loaded || !plans) {
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	for (int i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--html") || !strcmp(argv[i], "--lang")) {
			if (!val) {
				status = usage("%s needs a value", argv[i]);
				goto out;
			}
			if (!strcmp(argv[i], "--html")) {
				html_path = val;
			} else if (lang_parse(val, &lang)) {
				status = usage("--lang takes 'vi' or 'en', found '%s'", val);
				goto out;
			}
			i++;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			status = usage("unknown option '%s'", argv[i]);
			goto out;
		} else {
			plans[n++].dir = argv[i];
		}
	}
	if (n < 2) {
		status = usage("compare needs two or more plan directories%s", "");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		status = plan_dir_open(&loaded[i], plans[i].dir, NULL);
		if (status != ROTA_EXIT_OK)
			goto out;
		plans[i].plan = loaded[i].plan;
	}
	if (compare_check(plans, n, &err)) {
		status = print_error(&err);
		goto out;
	}
	compare_text(plans, n, &text);
	if (html_path) {
		struct buf title;

		buf_init(&title);
		buf_printf(&title, "%s %s", lang == LANG_EN ? "Comparison of plans:" : "So sánh các phương án:",
			   plans[0].plan->campaign->name);
		report_html_begin(&html, lang, buf_str(&title));
		buf_release(&title);
		buf_puts(&html, "<h1>");
		buf_puts(&html, lang == LANG_EN ? "Comparison of plans" : "So sánh các phương án");
		buf_puts(&html, "</h1>\n");
		compare_html(plans, n, lang, &html);
		report_html_end(&html);
		if (write_atomically(html_path, &html, &err)) {
			status = print_error(&err);
			goto out;
		}
	}
	if (text.failed) {
		status = ROTA_EXIT_NOMEM;
		goto out;
	}
	status = buf_write(&text, stdout) || fflush(stdout) ? ROTA_EXIT_IO : ROTA_EXIT_OK;
out:
	for (size_t i = 0; loaded && i < n; i++)
		plan_dir_release(&loaded[i]);
	free(loaded);
	free(plans);
	buf_release(&text);
	buf_release(&html);
	return status;
}
