/* Unit tests of outdir.c: all files or none, in a scratch directory. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outdir.h"
#include "testlib.h"

static char scratch[256];

static char *path_of(const char *rel)
{
	static char paths[4][512];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof(paths[0]), "%s/%s", scratch, rel);
	return p;
}

static void put_file(const char *rel, const char *text)
{
	FILE *f = fopen(path_of(rel), "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The file's text, or "" when it cannot be read. */
static const char *file_text(const char *rel)
{
	static char text[256];
	FILE *f = fopen(path_of(rel), "r");
	size_t n = 0;

	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

static bool exists(const char *rel)
{
	struct stat st;

	return lstat(path_of(rel), &st) == 0;
}

/* Entries of the scratch directory whose name starts with a dot: the
 * temporary directories that must never stay behind. */
static int leftovers(void)
{
	DIR *d = opendir(scratch);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void clean_scratch(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/* '%s'/.[!.]*", scratch, scratch);
	CHECK_INT(system(cmd), 0);
}

static int write_text(struct outdir *o, const char *rel, const char *text,
		      struct rota_error *err)
{
	return outdir_write(o, rel, text, strlen(text), err);
}

static void test_new_directory(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };
	struct stat st;
	mode_t mask = umask(022);

	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	CHECK(!exists("out"));
	CHECK_INT(write_text(o, "rota.json", "{}\n", &err), 0);
	CHECK_INT(write_text(o, "calendars/teams/ca-xa.ics", "BEGIN:VCALENDAR\r\n", &err), 0);
	CHECK_INT(write_text(o, "calendars/schools/thcs.ics", "x", &err), 0);
	CHECK_INT(outdir_write(o, "empty.txt", "", 0, &err), 0);
	CHECK(!exists("out"));
	CHECK_INT(outdir_commit(o, &err), 0);
	outdir_free(o);
	CHECK_STR(file_text("out/rota.json"), "{}\n");
	CHECK_STR(file_text("out/calendars/teams/ca-xa.ics"), "BEGIN:VCALENDAR\r\n");
	CHECK_STR(file_text("out/calendars/schools/thcs.ics"), "x");
	CHECK(exists("out/empty.txt"));
	/* The directory gets the mode mkdir would give, not mkdtemp's 0700. */
	CHECK(stat(path_of("out"), &st) == 0 && (st.st_mode & 0777) == 0755);
	CHECK_INT(leftovers(), 0);
	umask(mask);
	clean_scratch();
}

static void test_replace_existing(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };
	struct stat st;

	CHECK_INT(mkdir(path_of("out"), 0750), 0);
	CHECK_INT(mkdir(path_of("out/invites"), 0755), 0);
	CHECK_INT(mkdir(path_of("out/invites/old-unit"), 0755), 0);
	put_file("out/rota.json", "old");
	put_file("out/invites/old-unit/x.ics", "old invitation");
	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	CHECK_INT(write_text(o, "rota.json", "new", &err), 0);
	CHECK_INT(write_text(o, "invites/new-unit/y.ics", "new invitation", &err), 0);
	CHECK_STR(file_text("out/rota.json"), "old");
	CHECK_INT(outdir_commit(o, &err), 0);
	CHECK_STR(err.message, "");
	outdir_free(o);
	CHECK_STR(file_text("out/rota.json"), "new");
	CHECK_STR(file_text("out/invites/new-unit/y.ics"), "new invitation");
	CHECK(!exists("out/invites/old-unit"));
	/* The old directory's mode is kept; the old tree is gone. */
	CHECK(stat(path_of("out"), &st) == 0 && (st.st_mode & 0777) == 0750);
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

static void test_replace_empty_and_trailing_slash(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };

	CHECK_INT(mkdir(path_of("out"), 0755), 0);
	CHECK_INT(outdir_open(&o, path_of("out//"), &err), 0);
	CHECK_INT(write_text(o, "rota.json", "new", &err), 0);
	CHECK_INT(outdir_commit(o, &err), 0);
	outdir_free(o);
	CHECK_STR(file_text("out/rota.json"), "new");
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

static void test_failure_leaves_old(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };

	CHECK_INT(mkdir(path_of("out"), 0755), 0);
	put_file("out/rota.json", "old");
	put_file("out/notes.txt", "kept");
	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	CHECK_INT(write_text(o, "rota.json", "new", &err), 0);
	CHECK_INT(write_text(o, "calendars/teams/a.ics", "new", &err), 0);
	CHECK_INT(leftovers(), 1);
	/* Something fails midway: the caller frees without committing. */
	CHECK_INT(write_text(o, "../escape.txt", "no", &err), ROTA_EIO);
	outdir_free(o);
	CHECK_STR(file_text("out/rota.json"), "old");
	CHECK_STR(file_text("out/notes.txt"), "kept");
	CHECK(!exists("out/calendars"));
	CHECK(!exists("escape.txt"));
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

static void test_file_in_the_way(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };
	char want[600];

	put_file("out", "a file");
	CHECK_INT(outdir_open(&o, path_of("out"), &err), ROTA_EIO);
	CHECK(o == NULL);
	snprintf(want, sizeof(want), "cannot write '%s': it exists and is not a directory",
		 path_of("out"));
	CHECK_STR(err.message, want);
	CHECK_STR(file_text("out"), "a file");
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

static void test_file_appears_before_commit(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };

	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	CHECK_INT(write_text(o, "rota.json", "new", &err), 0);
	put_file("out", "a file");
	CHECK_INT(outdir_commit(o, &err), ROTA_EIO);
	CHECK(strstr(err.message, "it exists and is not a directory") != NULL);
	outdir_free(o);
	CHECK_STR(file_text("out"), "a file");
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

static void test_missing_parent(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };
	char want[600];

	CHECK_INT(outdir_open(&o, path_of("nope/out"), &err), ROTA_EIO);
	snprintf(want, sizeof(want), "cannot create '%s/nope/out': directory '%s/nope' does not exist",
		 scratch, scratch);
	CHECK_STR(err.message, want);
	CHECK(!exists("nope"));
	clean_scratch();
}

static void test_unrelated_directory_refused(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };

	CHECK_INT(mkdir(path_of("home"), 0755), 0);
	put_file("home/thesis.txt", "precious");
	CHECK_INT(outdir_open(&o, path_of("home"), &err), ROTA_EIO);
	CHECK(strstr(err.message, "refusing to replace") != NULL);
	CHECK_STR(file_text("home/thesis.txt"), "precious");
	CHECK_INT(outdir_open(&o, scratch, &err), ROTA_EIO);
	CHECK_INT(outdir_open(&o, ".", &err), ROTA_EIO);
	CHECK(strstr(err.message, "name a directory") != NULL);
	CHECK_INT(outdir_open(&o, "/", &err), ROTA_EIO);
	CHECK_INT(outdir_open(&o, "", &err), ROTA_EIO);
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

static void test_bad_relpaths(void)
{
	static const char *const bad[] = { "",      "/etc/passwd", "../x",  "a/../b", "a//b",
					   "a/",    "./a",         "a/./b", "..",     "." };
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };

	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.message[0] = '\0';
		CHECK_INT(write_text(o, bad[i], "x", &err), ROTA_EIO);
		CHECK(strstr(err.message, "not a relative path") != NULL);
	}
	CHECK_INT(write_text(o, "a..b/.c/d..", "ok", &err), 0);
	/* Two files with one name would lose one. */
	CHECK_INT(write_text(o, "rota.json", "1", &err), 0);
	CHECK_INT(write_text(o, "rota.json", "2", &err), ROTA_EIO);
	CHECK(strstr(err.message, "written twice") != NULL);
	CHECK_INT(outdir_commit(o, &err), 0);
	CHECK_INT(outdir_commit(o, &err), ROTA_EIO);
	CHECK_INT(write_text(o, "late.txt", "x", &err), ROTA_EIO);
	outdir_free(o);
	CHECK_STR(file_text("out/a..b/.c/d.."), "ok");
	CHECK_STR(file_text("out/rota.json"), "1");
	CHECK(!exists("out/late.txt"));
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

static void test_symlink_to_directory(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };
	struct stat st;

	CHECK_INT(mkdir(path_of("real"), 0755), 0);
	put_file("real/rota.json", "old");
	CHECK_INT(symlink("real", path_of("link")), 0);
	CHECK_INT(outdir_open(&o, path_of("link"), &err), 0);
	CHECK_INT(write_text(o, "rota.json", "new", &err), 0);
	CHECK_INT(outdir_commit(o, &err), 0);
	outdir_free(o);
	CHECK(lstat(path_of("link"), &st) == 0 && S_ISLNK(st.st_mode));
	CHECK_STR(file_text("real/rota.json"), "new");
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

/* Another user's link is not followed (only as root can the test make
 * one), unless that user owns the directory that holds it. */
static void test_symlink_of_another_user(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };

	if (geteuid() != 0)
		return;
	CHECK_INT(mkdir(path_of("real"), 0755), 0);
	put_file("real/rota.json", "old");
	CHECK_INT(symlink("real", path_of("link")), 0);
	CHECK_INT(lchown(path_of("link"), 4242, 4242), 0);
	CHECK_INT(outdir_check(path_of("link"), &err), ROTA_EIO);
	CHECK(strstr(err.message, "belongs to another user") != NULL);
	CHECK_INT(outdir_open(&o, path_of("link"), &err), ROTA_EIO);
	CHECK(o == NULL);
	CHECK_STR(file_text("real/rota.json"), "old");
	/* Their own directory, their link. */
	CHECK_INT(mkdir(path_of("theirs"), 0755), 0);
	CHECK_INT(chown(path_of("theirs"), 4242, 4242), 0);
	CHECK_INT(symlink("../real", path_of("theirs/link")), 0);
	CHECK_INT(lchown(path_of("theirs/link"), 4242, 4242), 0);
	CHECK_INT(outdir_check(path_of("theirs/link"), &err), 0);
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

static void test_free_null_and_uncommitted(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };

	outdir_free(NULL);
	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	outdir_free(o);
	CHECK(!exists("out"));
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

static void test_permission_denied(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };
	char want[600];

	/* root ignores permissions: nothing to see there. */
	if (geteuid() == 0)
		return;
	CHECK_INT(mkdir(path_of("ro"), 0555), 0);
	CHECK_INT(outdir_open(&o, path_of("ro/out"), &err), ROTA_EIO);
	snprintf(want, sizeof(want), "cannot create '%s': Permission denied", path_of("ro/out"));
	CHECK_STR(err.message, want);
	chmod(path_of("ro"), 0755);
	clean_scratch();
}


/* A PID that no process has now: a child that has exited and been reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid;
}

/* Temporary names a killed run left: those of the same directory name
 * whose process is gone are removed by the next outdir_open(); nothing
 * else is (another name, a live process, a lock held, a symbolic link, a
 * name not exactly of the pattern, an aside copy while the target is
 * missing). */
static void test_stale_temporaries_removed(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };
	char dead[64], live[64], name[128];
	int lock_fd;
	pid_t pid = dead_pid();

	CHECK(pid > 0);
	snprintf(dead, sizeof(dead), "%ld", (long)pid);
	snprintf(live, sizeof(live), "%ld", (long)getppid());
#define STALE(fmt, id) (snprintf(name, sizeof(name), fmt, id), name)
	CHECK_INT(mkdir(path_of(STALE(".out.tmp-%s-aB3xYz", dead)), 0700), 0);
	put_file(STALE(".out.tmp-%s-aB3xYz/rota.json", dead), "old plan with names");
	CHECK_INT(mkdir(path_of(STALE(".out.tmp-%s-Q1w2E3", dead)), 0700), 0);
	CHECK_INT(mkdir(path_of(STALE(".out.tmp-%s-Q1w2E3/invites", dead)), 0700), 0);
	put_file(STALE(".out.tmp-%s-Q1w2E3/invites/x.ics", dead), "x");
	put_file(STALE(".out.tmp-%s-fIlE00", dead), "a file a killed week run left");
	CHECK_INT(mkdir(path_of(STALE(".out.tmp-%s-aB3xYz", live)), 0700), 0);
	CHECK_INT(mkdir(path_of(STALE(".other.tmp-%s-aB3xYz", dead)), 0700), 0);
	CHECK_INT(mkdir(path_of(STALE(".out.tmp-%s-aB3x", dead)), 0700), 0);
	CHECK_INT(mkdir(path_of(STALE(".out.tmp-%s-aB3xYz.x", dead)), 0700), 0);
	CHECK_INT(mkdir(path_of(STALE(".out.tmp-0%s-aB3xYz", dead)), 0700), 0);
	CHECK_INT(mkdir(path_of(STALE(".out.old-%s-aB3xYz", dead)), 0700), 0);
	CHECK_INT(mkdir(path_of(STALE(".out.tmp-%s-LoCkEd", dead)), 0700), 0);
	CHECK_INT(mkdir(path_of("victim"), 0700), 0);
	put_file("victim/precious.txt", "precious");
	CHECK_INT(symlink(path_of("victim"), path_of(STALE(".out.tmp-%s-SyMlNk", dead))), 0);
	/* A writer in another PID namespace: its PID means nothing here, its
	 * lock does. */
	lock_fd = open(path_of(STALE(".out.tmp-%s-LoCkEd", dead)), O_RDONLY | O_DIRECTORY);
	CHECK(lock_fd >= 0 && flock(lock_fd, LOCK_EX) == 0);

	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	CHECK_INT(write_text(o, "rota.json", "new", &err), 0);
	CHECK(!exists(STALE(".out.tmp-%s-aB3xYz", dead)));
	CHECK(!exists(STALE(".out.tmp-%s-Q1w2E3", dead)));
	CHECK(!exists(STALE(".out.tmp-%s-fIlE00", dead)));
	CHECK(exists(STALE(".out.tmp-%s-aB3xYz", live)));
	CHECK(exists(STALE(".other.tmp-%s-aB3xYz", dead)));
	CHECK(exists(STALE(".out.tmp-%s-aB3x", dead)));
	CHECK(exists(STALE(".out.tmp-%s-aB3xYz.x", dead)));
	CHECK(exists(STALE(".out.tmp-0%s-aB3xYz", dead)));
	CHECK(exists(STALE(".out.old-%s-aB3xYz", dead)));
	CHECK(exists(STALE(".out.tmp-%s-LoCkEd", dead)));
	CHECK(exists(STALE(".out.tmp-%s-SyMlNk", dead)));
	CHECK_STR(file_text("victim/precious.txt"), "precious");
	CHECK_INT(outdir_commit(o, &err), 0);
	outdir_free(o);

	/* Once the target exists, an aside copy is only a leftover. */
	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	CHECK(!exists(STALE(".out.old-%s-aB3xYz", dead)));
	CHECK(exists(STALE(".out.tmp-%s-LoCkEd", dead)));
	outdir_free(o);
	close(lock_fd);
	/* The lock gone, the next run removes it. */
	CHECK_INT(outdir_check(path_of("out"), &err), 0);
	CHECK(exists(STALE(".out.tmp-%s-LoCkEd", dead)));
	CHECK_INT(outdir_write_file(path_of("out.txt"), "x", 1, &err), 0);
	CHECK(exists(STALE(".out.tmp-%s-LoCkEd", dead)));
	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	CHECK(!exists(STALE(".out.tmp-%s-LoCkEd", dead)));
	outdir_free(o);
	CHECK_STR(file_text("out/rota.json"), "new");
	CHECK_STR(file_text("victim/precious.txt"), "precious");
#undef STALE
	clean_scratch();
}

/* The temporary directory is named with the writer's PID, locked, and
 * private until it is committed. */
static void test_temporary_name_has_pid(void)
{
	struct outdir *o = NULL;
	struct rota_error err = { 0, "" };
	char prefix[64];
	DIR *d;
	struct dirent *e;
	int found = 0;

	snprintf(prefix, sizeof(prefix), ".out.tmp-%ld-", (long)getpid());
	CHECK_INT(mkdir(path_of("out"), 0777), 0);
	CHECK_INT(chmod(path_of("out"), 0777), 0);
	CHECK_INT(outdir_open(&o, path_of("out"), &err), 0);
	d = opendir(scratch);
	while (d && (e = readdir(d)) != NULL) {
		if (!strncmp(e->d_name, prefix, strlen(prefix)) &&
		    strlen(e->d_name) == strlen(prefix) + 6) {
			int fd = open(path_of(e->d_name), O_RDONLY | O_DIRECTORY);

			struct stat st;

			found++;
			CHECK(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK);
			/* Private while written, whatever the old directory's mode. */
			CHECK(fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0700);
			if (fd >= 0)
				close(fd);
		}
	}
	if (d)
		closedir(d);
	CHECK_INT(found, 1);
	CHECK_INT(write_text(o, "rota.json", "new", &err), 0);
	CHECK_INT(outdir_commit(o, &err), 0);
	outdir_free(o);
	{
		struct stat st;

		CHECK(stat(path_of("out"), &st) == 0 && (st.st_mode & 07777) == 0777);
	}
	CHECK_INT(leftovers(), 0);
	clean_scratch();
}

/* outdir_check says what outdir_open would, and creates nothing. */
static void test_check_before_solving(void)
{
	struct rota_error err = { 0, "" };
	char want[600];

	CHECK_INT(outdir_check(path_of("out"), &err), 0);
	CHECK(!exists("out"));
	CHECK_INT(outdir_check(path_of("nope/out"), &err), ROTA_EIO);
	snprintf(want, sizeof(want), "cannot create '%s/nope/out': directory '%s/nope' does not exist",
		 scratch, scratch);
	CHECK_STR(err.message, want);
	put_file("a-file", "x");
	CHECK_INT(outdir_check(path_of("a-file/out"), &err), ROTA_EIO);
	CHECK(strstr(err.message, "is not a directory") != NULL);
	CHECK_INT(outdir_check(path_of("a-file"), &err), ROTA_EIO);
	CHECK(strstr(err.message, "it exists and is not a directory") != NULL);
	CHECK_INT(mkdir(path_of("home"), 0755), 0);
	put_file("home/thesis.txt", "precious");
	CHECK_INT(outdir_check(path_of("home"), &err), ROTA_EIO);
	CHECK(strstr(err.message, "refusing to replace") != NULL);
	CHECK_INT(symlink("a-file", path_of("link-to-file")), 0);
	CHECK_INT(outdir_check(path_of("link-to-file"), &err), ROTA_EIO);
	CHECK_INT(symlink("gone", path_of("dangling")), 0);
	CHECK_INT(outdir_check(path_of("dangling"), &err), ROTA_EIO);
	CHECK_INT(outdir_check("", &err), ROTA_EIO);
	CHECK_INT(leftovers(), 0);
	if (geteuid() != 0) {
		CHECK_INT(mkdir(path_of("ro"), 0555), 0);
		CHECK_INT(outdir_check(path_of("ro/out"), &err), ROTA_EIO);
		snprintf(want, sizeof(want), "cannot create '%s': Permission denied",
			 path_of("ro/out"));
		CHECK_STR(err.message, want);
		chmod(path_of("ro"), 0755);
	}
	clean_scratch();
}

static void test_real_path(void)
{
	char *real_scratch = realpath(scratch, NULL), *got;
	char want[600];

	CHECK(real_scratch != NULL);
	if (!real_scratch)
		return;
	CHECK_INT(mkdir(path_of("real"), 0755), 0);
	CHECK_INT(symlink("real", path_of("link")), 0);
	snprintf(want, sizeof(want), "%s/real", real_scratch);
	got = outdir_real_path(path_of("link"));
	CHECK_STR(got, want);
	free(got);
	got = outdir_real_path(path_of("link/"));
	CHECK_STR(got, want);
	free(got);
	snprintf(want, sizeof(want), "%s/real/new", real_scratch);
	got = outdir_real_path(path_of("link/new"));
	CHECK_STR(got, want);
	free(got);
	CHECK(outdir_real_path(path_of("missing/new")) == NULL);
	free(real_scratch);
	clean_scratch();
}

/* One file replaced at once: never written through a symbolic link, its
 * own or a planted one; what is not a regular file is refused without
 * blocking (a FIFO); an error leaves the old file. */
static void test_write_file(void)
{
	struct rota_error err = { 0, "" };
	struct stat st;
	char planted[128];
	mode_t mask = umask(022);

	CHECK_INT(outdir_write_file(path_of("week.ics"), "one", 3, &err), 0);
	CHECK_STR(file_text("week.ics"), "one");
	CHECK(stat(path_of("week.ics"), &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK_INT(chmod(path_of("week.ics"), 0600), 0);
	CHECK_INT(outdir_write_file(path_of("week.ics"), "two", 3, &err), 0);
	CHECK_STR(file_text("week.ics"), "two");
	CHECK(stat(path_of("week.ics"), &st) == 0 && (st.st_mode & 0777) == 0600);

	/* The names the old writer used, planted as links to a victim. */
	put_file("victim", "precious");
	snprintf(planted, sizeof(planted), "week.ics.tmp-%ld", (long)getpid());
	CHECK_INT(symlink(path_of("victim"), path_of(planted)), 0);
	snprintf(planted, sizeof(planted), ".week.ics.tmp-%ld", (long)getpid());
	CHECK_INT(symlink(path_of("victim"), path_of(planted)), 0);
	CHECK_INT(outdir_write_file(path_of("week.ics"), "three", 5, &err), 0);
	CHECK_STR(file_text("week.ics"), "three");
	CHECK_STR(file_text("victim"), "precious");

	/* A link at the name itself is replaced, not followed. */
	CHECK_INT(symlink(path_of("victim"), path_of("linked.ics")), 0);
	CHECK_INT(outdir_write_file(path_of("linked.ics"), "new", 3, &err), 0);
	CHECK(lstat(path_of("linked.ics"), &st) == 0 && S_ISREG(st.st_mode));
	CHECK_STR(file_text("linked.ics"), "new");
	CHECK_STR(file_text("victim"), "precious");

	CHECK_INT(mkfifo(path_of("fifo.ics"), 0644), 0);
	CHECK_INT(outdir_write_file(path_of("fifo.ics"), "x", 1, &err), ROTA_EIO);
	CHECK(strstr(err.message, "is not a regular file") != NULL);
	CHECK_INT(mkdir(path_of("dir.ics"), 0755), 0);
	CHECK_INT(outdir_write_file(path_of("dir.ics"), "x", 1, &err), ROTA_EIO);
	CHECK_INT(outdir_write_file(path_of("missing/week.ics"), "x", 1, &err), ROTA_EIO);
	CHECK_INT(outdir_write_file(path_of("dir.ics/"), "x", 1, &err), ROTA_EIO);
	/* Only the planted links stay among the dot names: nothing of ours. */
	CHECK_INT(leftovers(), 1);
	umask(mask);
	clean_scratch();
}

int main(void)
{
	const char *tmpdir = getenv("TMPDIR");

	snprintf(scratch, sizeof(scratch), "%s/rota-test-outdir-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 1;
	}
	RUN_TEST(test_new_directory);
	RUN_TEST(test_replace_existing);
	RUN_TEST(test_replace_empty_and_trailing_slash);
	RUN_TEST(test_failure_leaves_old);
	RUN_TEST(test_file_in_the_way);
	RUN_TEST(test_file_appears_before_commit);
	RUN_TEST(test_missing_parent);
	RUN_TEST(test_unrelated_directory_refused);
	RUN_TEST(test_bad_relpaths);
	RUN_TEST(test_symlink_to_directory);
	RUN_TEST(test_symlink_of_another_user);
	RUN_TEST(test_free_null_and_uncommitted);
	RUN_TEST(test_permission_denied);
	RUN_TEST(test_stale_temporaries_removed);
	RUN_TEST(test_temporary_name_has_pid);
	RUN_TEST(test_check_before_solving);
	RUN_TEST(test_real_path);
	RUN_TEST(test_write_file);
	rmdir(scratch);
	return TEST_EXIT();
}
