/*
 * outdir.c - a directory of files written all at once or not at all (see
 * outdir.h).
 *
 * The files go into ".NAME.tmp-XXXXXX" beside NAME. Commit syncs them to
 * disk and renames that directory to NAME, or, when NAME exists, exchanges
 * the two with renameat2(RENAME_EXCHANGE) and removes the old tree; on
 * filesystems without the exchange the old NAME is first renamed aside,
 * which leaves a moment without NAME but never a half-written one.
 */
#define _GNU_SOURCE /* renameat2(), RENAME_EXCHANGE and syncfs(), Linux only */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"
#include "banned.h"

/* Replacing a directory deletes everything in it, so only an empty one or
 * one that holds this file from an earlier plan is replaced: a slip such
 * as `-o ~` must not wipe a home directory. */
#define OUTDIR_MARK "rota.json"

/* Deeper trees than this are not removed (nothing here writes one). */
#define OUTDIR_MAX_DEPTH 32

struct outdir {
	char *shown;   /* the directory as the caller named it, for messages */
	char *target;  /* the directory to create or replace (symlinks resolved) */
	char *parent;  /* the directory that holds target */
	char *tmp;     /* the temporary directory; after an exchange, the old tree */
	bool committed;
};

static char *join(const char *a, const char *b)
{
	struct buf path;

	buf_init(&path);
	buf_printf(&path, "%s/%s", a, b);
	return buf_detach(&path);
}

/* Removes path and everything under it, never following a symbolic link.
 * Returns 0 (also when path does not exist) or -1 with errno set. */
static int remove_tree_at(int dirfd, const char *name, int depth)
{
	struct stat st;
	struct dirent *entry;
	DIR *dir;
	int fd, rc = 0, saved = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0);
	if (depth >= OUTDIR_MAX_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	dir = fdopendir(fd);
	if (!dir) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	while ((entry = readdir(dir)) != NULL) {
		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		if (remove_tree_at(fd, entry->d_name, depth + 1) && !saved) {
			saved = errno;
			rc = -1;
		}
	}
	closedir(dir);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) && !saved) {
		saved = errno;
		rc = -1;
	}
	errno = saved;
	return rc;
}

static int remove_tree(const char *path)
{
	return remove_tree_at(AT_FDCWD, path, 0);
}

/* Syncs a directory so that the names in it survive a crash. Filesystems
 * that cannot sync a directory (EINVAL) are taken as they are. */
static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -1;
	if (fsync(fd) && errno != EINVAL)
		rc = -1;
	if (close(fd))
		rc = -1;
	return rc;
}

/* 1 when dir may be replaced (it is empty or holds OUTDIR_MARK), 0 when
 * not, -1 with errno set when it cannot be read. */
static int replaceable(const char *dir)
{
	struct stat st;
	struct dirent *entry;
	char *mark;
	DIR *d = opendir(dir);
	bool empty = true;

	if (!d)
		return -1;
	while (empty && (entry = readdir(d)) != NULL)
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
			empty = false;
	closedir(d);
	if (empty)
		return 1;
	mark = join(dir, OUTDIR_MARK);
	if (!mark) {
		errno = ENOMEM;
		return -1;
	}
	empty = !lstat(mark, &st) && S_ISREG(st.st_mode);
	free(mark);
	return empty ? 1 : 0;
}

/* Checks what stands at o->target now. Returns 0 and sets *exists, or
 * ROTA_EIO with err set when it must not be replaced. */
static int check_target(const struct outdir *o, bool *exists, struct stat *st,
			struct rota_error *err)
{
	int ok;

	*exists = false;
	if (lstat(o->target, st)) {
		if (errno == ENOENT)
			return ROTA_OK;
		return rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", o->shown,
				      strerror(errno));
	}
	if (!S_ISDIR(st->st_mode))
		return rota_error_set(err, ROTA_EIO,
				      "cannot write '%s': it exists and is not a directory",
				      o->shown);
	ok = replaceable(o->target);
	if (ok < 0)
		return rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", o->shown,
				      strerror(errno));
	if (!ok)
		return rota_error_set(err, ROTA_EIO,
				      "refusing to replace '%s': it is not empty and holds no "
				      OUTDIR_MARK " of an earlier plan", o->shown);
	*exists = true;
	return ROTA_OK;
}

/* Sets o->target, o->parent and the base name (in *base, pointing into a
 * string that o owns) from the name the caller gave. */
static int resolve_target(struct outdir *o, const char *dir, const char **base,
			  struct rota_error *err)
{
	struct stat st;
	size_t n = strlen(dir);
	char *slash;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	o->target = malloc(n + 1);
	if (!o->target)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	memcpy(o->target, dir, n);
	o->target[n] = '\0';
	/* A symbolic link to a directory stands for that directory: it is the
	 * one replaced, and the link stays. */
	if (!lstat(o->target, &st) && S_ISLNK(st.st_mode) && !stat(o->target, &st) &&
	    S_ISDIR(st.st_mode)) {
		char *real = realpath(o->target, NULL);

		if (!real)
			return rota_error_set(err, ROTA_EIO, "cannot resolve '%s': %s", o->shown,
					      strerror(errno));
		free(o->target);
		o->target = real;
	}
	slash = strrchr(o->target, '/');
	*base = slash ? slash + 1 : o->target;
	if (!**base || !strcmp(*base, ".") || !strcmp(*base, ".."))
		return rota_error_set(err, ROTA_EIO,
				      "cannot write into '%s': name a directory to create or replace",
				      o->shown);
	if (!slash)
		o->parent = xstrdup(".");
	else if (slash == o->target)
		o->parent = xstrdup("/");
	else {
		o->parent = malloc((size_t)(slash - o->target) + 1);
		if (o->parent) {
			memcpy(o->parent, o->target, (size_t)(slash - o->target));
			o->parent[slash - o->target] = '\0';
		}
	}
	if (!o->parent)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	return ROTA_OK;
}

int outdir_open(struct outdir **out, const char *dir, struct rota_error *err)
{
	struct outdir *o = calloc(1, sizeof(*o));
	struct stat st, parent_st;
	struct buf tmp;
	const char *base = NULL;
	bool exists;
	mode_t mode;
	int rc;

	*out = NULL;
	buf_init(&tmp);
	if (!o || !(o->shown = xstrdup(dir))) {
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory");
		goto fail;
	}
	if (!*dir) {
		rc = rota_error_set(err, ROTA_EIO, "cannot write: the output directory name is empty");
		goto fail;
	}
	rc = resolve_target(o, dir, &base, err);
	if (rc)
		goto fail;
	if (stat(o->parent, &parent_st)) {
		if (errno == ENOENT)
			rc = rota_error_set(err, ROTA_EIO,
					    "cannot create '%s': directory '%s' does not exist", dir,
					    o->parent);
		else
			rc = rota_error_set(err, ROTA_EIO, "cannot create '%s': %s", dir,
					    strerror(errno));
		goto fail;
	}
	if (!S_ISDIR(parent_st.st_mode)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot create '%s': '%s' is not a directory", dir,
				    o->parent);
		goto fail;
	}
	rc = check_target(o, &exists, &st, err);
	if (rc)
		goto fail;
	buf_printf(&tmp, "%s/.%s.tmp-XXXXXX", o->parent, base);
	o->tmp = buf_detach(&tmp);
	if (!o->tmp) {
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory");
		goto fail;
	}
	if (!mkdtemp(o->tmp)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot create '%s': %s", dir, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		goto fail;
	}
	/* mkdtemp makes it private; give it the old directory's mode, or what
	 * mkdir would have given. */
	if (exists) {
		mode = st.st_mode & 07777;
	} else {
		mode = umask(0);
		umask(mode);
		mode = 0777 & ~mode;
	}
	if (chmod(o->tmp, mode)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot create '%s': %s", dir, strerror(errno));
		goto fail;
	}
	*out = o;
	return ROTA_OK;
fail:
	outdir_free(o);
	return rc;
}

/* A path that stays inside the directory: relative, no empty, "." or ".."
 * component, no trailing slash. */
static bool relpath_ok(const char *relpath)
{
	const char *p = relpath;

	if (!*p || *p == '/')
		return false;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!slash)
			break;
		p = slash + 1;
		if (!*p)
			return false;
	}
	return true;
}

/* Makes the directories on the way to relpath inside o->tmp; those that
 * exist already are fine (a file in the way makes the open fail later). */
static int make_parents(const struct outdir *o, const char *relpath, struct rota_error *err)
{
	for (const char *slash = strchr(relpath, '/'); slash; slash = strchr(slash + 1, '/')) {
		int n = (int)(slash - relpath);
		struct buf path;
		int saved;

		buf_init(&path);
		buf_printf(&path, "%s/%.*s", o->tmp, n, relpath);
		if (path.failed)
			return rota_error_set(err, ROTA_ENOMEM, "out of memory");
		saved = mkdir(path.data, 0777) ? errno : 0;
		buf_release(&path);
		if (saved && saved != EEXIST)
			return rota_error_set(err, ROTA_EIO, "cannot create '%s/%.*s': %s", o->shown,
					      n, relpath, strerror(saved));
	}
	return ROTA_OK;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len > (size_t)SSIZE_MAX ? (size_t)SSIZE_MAX : len);

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

int outdir_write(struct outdir *o, const char *relpath, const char *data, size_t len,
		 struct rota_error *err)
{
	char *path;
	int fd, rc;

	if (!o->tmp || o->committed)
		return rota_error_set(err, ROTA_EIO, "cannot write '%s/%s': the directory is closed",
				      o->shown, relpath);
	if (!relpath_ok(relpath))
		return rota_error_set(err, ROTA_EIO,
				      "refusing to write '%s': not a relative path inside '%s'",
				      relpath, o->shown);
	rc = make_parents(o, relpath, err);
	if (rc)
		return rc;
	path = join(o->tmp, relpath);
	if (!path)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	/* O_EXCL: two files of the plan with one name would lose one. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	free(path);
	if (fd < 0)
		return rota_error_set(err, ROTA_EIO, "cannot write '%s/%s': %s", o->shown, relpath,
				      errno == EEXIST ? "written twice" : strerror(errno));
	if (write_all(fd, data, len)) {
		int saved = errno;

		close(fd);
		return rota_error_set(err, ROTA_EIO, "cannot write '%s/%s': %s", o->shown, relpath,
				      strerror(saved));
	}
	if (close(fd))
		return rota_error_set(err, ROTA_EIO, "cannot write '%s/%s': %s", o->shown, relpath,
				      strerror(errno));
	return ROTA_OK;
}

/* Puts every file and directory of tmp on disk before it gets its final
 * name, so that a crash cannot leave a plan with empty files. One syncfs()
 * for the whole tree costs far less than an fsync() per file: a district
 * plan has thousands of invitations. */
static int sync_tree(const struct outdir *o, struct rota_error *err)
{
	int fd = open(o->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	/* A sandbox that forbids syncfs (ENOSYS) costs durability, not the
	 * plan; a write-back error (EIO, ENOSPC) is a real failure. */
	if (fd < 0 || (syncfs(fd) && errno != ENOSYS))
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", o->shown,
				    strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Whether renameat2 said that it cannot exchange here (the filesystem or
 * the kernel lacks RENAME_EXCHANGE), as opposed to a real failure. */
static bool exchange_unsupported(int e)
{
	return e == EINVAL || e == ENOSYS || e == ENOTSUP || e == EOPNOTSUPP;
}

static int exchange(const char *a, const char *b)
{
#ifdef ROTA_OUTDIR_NO_EXCHANGE /* tests of the fallback define it */
	(void)a;
	(void)b;
	errno = EINVAL;
	return -1;
#else
	return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#endif
}

/* Replaces the existing target without RENAME_EXCHANGE: renames it aside
 * (onto an empty directory that reserves the name), moves tmp in, and
 * puts it back if that fails. On success *old is the tree to remove. */
static int replace_by_renames(struct outdir *o, char **old, struct rota_error *err)
{
	const char *slash = strrchr(o->target, '/');
	const char *base = slash ? slash + 1 : o->target;
	struct buf aside;
	int rc = ROTA_OK;

	buf_init(&aside);
	buf_printf(&aside, "%s/.%s.old-XXXXXX", o->parent, base);
	if (aside.failed)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	if (!mkdtemp(aside.data)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot replace '%s': %s", o->shown,
				    strerror(errno));
		goto out;
	}
	if (rename(o->target, aside.data)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot replace '%s': %s", o->shown,
				    strerror(errno));
		rmdir(aside.data);
		goto out;
	}
	if (rename(o->tmp, o->target)) {
		int saved = errno;

		if (rename(aside.data, o->target))
			rc = rota_error_set(err, ROTA_EIO,
					    "cannot replace '%s': %s; the old one is now '%s'",
					    o->shown, strerror(saved), aside.data);
		else
			rc = rota_error_set(err, ROTA_EIO, "cannot replace '%s': %s", o->shown,
					    strerror(saved));
		goto out;
	}
	*old = buf_detach(&aside);
out:
	buf_release(&aside);
	return rc;
}

int outdir_commit(struct outdir *o, struct rota_error *err)
{
	struct stat st;
	bool exists;
	char *old = NULL;
	int rc;

	if (!o->tmp || o->committed)
		return rota_error_set(err, ROTA_EIO, "cannot commit '%s' twice", o->shown);
	rc = sync_tree(o, err);
	if (rc)
		return rc;
	/* Look again: the target may have changed while the files were
	 * written. */
	rc = check_target(o, &exists, &st, err);
	if (rc)
		return rc;
	if (!exists) {
		if (rename(o->tmp, o->target))
			return rota_error_set(err, ROTA_EIO, "cannot create '%s': %s", o->shown,
					      strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
	} else if (!exchange(o->tmp, o->target)) {
		/* o->tmp now names the old tree. */
		old = o->tmp;
		o->tmp = NULL;
	} else if (exchange_unsupported(errno)) {
		rc = replace_by_renames(o, &old, err);
		if (rc)
			return rc;
		free(o->tmp);
		o->tmp = NULL;
	} else {
		return rota_error_set(err, ROTA_EIO, "cannot replace '%s': %s", o->shown,
				      strerror(errno));
	}
	o->committed = true;
	if (sync_dir(o->parent))
		rc = rota_error_set(err, ROTA_EIO, "cannot sync '%s': %s", o->parent,
				    strerror(errno));
	if (old && remove_tree(old) && !rc)
		rc = rota_error_set(err, ROTA_EIO,
				    "'%s' holds the new files, but the old ones could not be removed "
				    "from '%s': %s", o->shown, old, strerror(errno));
	free(old);
	return rc;
}

void outdir_free(struct outdir *o)
{
	if (!o)
		return;
	if (o->tmp)
		remove_tree(o->tmp);
	free(o->tmp);
	free(o->parent);
	free(o->target);
	free(o->shown);
	free(o);
}
