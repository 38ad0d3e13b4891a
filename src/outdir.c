/*
 * outdir.c - a directory of files written all at once or not at all (see
 * outdir.h).
 *
 * The files go into ".NAME.tmp-PID-XXXXXX" beside NAME. Commit syncs them
 * to disk and renames that directory to NAME, or, when NAME exists,
 * exchanges the two with renameat2(RENAME_EXCHANGE) and removes the old
 * tree; on filesystems without the exchange the old NAME is first renamed
 * aside (".NAME.old-PID-XXXXXX"), which leaves a moment without NAME but
 * never a half-written one.
 *
 * A process killed outright (SIGKILL, a power cut) leaves its temporary
 * names behind, some holding a whole earlier plan with contacts' names. The
 * PID in the name, and the lock the writer holds on what it names, let the
 * next run into the same directory tell them from a run still writing:
 * remove_stale() removes those of the same NAME whose process is gone.
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
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
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
	int lock_fd;   /* the temporary directory, locked while this process writes */
	mode_t mode;   /* the mode the directory gets at commit */
	bool committed;
};

/* Characters mkdtemp() and mkstemp() put in place of "XXXXXX". */
#define TEMP_SUFFIX_LEN 6

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

/* "PARENT/.BASE.KIND-PID-XXXXXX", ready for mkdtemp() or mkstemp(); NULL
 * when out of memory. */
static char *temp_template(const char *parent, const char *base, const char *kind)
{
	struct buf t;

	buf_init(&t);
	buf_printf(&t, "%s/.%s.%s-%ld-XXXXXX", parent, base, kind, (long)getpid());
	return buf_detach(&t);
}

static bool temp_suffix_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The PID in name when name is exactly ".BASE.tmp-PID-XXXXXX" (*old false)
 * or ".BASE.old-PID-XXXXXX" (*old true) for this base; 0 for any other
 * name. */
static pid_t temp_owner(const char *name, const char *base, bool *old)
{
	size_t n = strlen(base);
	const char *p = name;
	long pid = 0;
	int digits = 0;

	if (*p++ != '.' || strncmp(p, base, n))
		return 0;
	p += n;
	if (!strncmp(p, ".tmp-", 5))
		*old = false;
	else if (!strncmp(p, ".old-", 5))
		*old = true;
	else
		return 0;
	p += 5;
	if (*p < '1' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 9)
			return 0;
		pid = pid * 10 + (*p - '0');
	}
	if (*p++ != '-')
		return 0;
	for (int i = 0; i < TEMP_SUFFIX_LEN; i++)
		if (!temp_suffix_char(p[i]))
			return 0;
	return p[TEMP_SUFFIX_LEN] ? 0 : (pid_t)pid;
}

/* Removes what killed runs left beside parent/base: the temporary
 * directories and files named for base (see temp_owner) whose process is
 * gone, that belong to this user, are no symbolic link and that nobody
 * holds locked (a writer in another PID namespace may have a PID that looks
 * dead here). An aside ".old-" copy may be the only one left of the old
 * directory when the run died between two renames, so it is removed only
 * when base exists. Best effort: what cannot be removed stays. */
static void remove_stale(const char *parent, const char *base, bool base_exists)
{
	DIR *d = opendir(parent);
	struct dirent *e;
	uid_t me = geteuid();

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		struct stat st, held;
		bool old = false;
		pid_t pid = temp_owner(e->d_name, base, &old);
		int fd, flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;

		if (!pid || pid == getpid() || (old && !base_exists))
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) || st.st_uid != me)
			continue;
		if (S_ISDIR(st.st_mode))
			flags |= O_DIRECTORY;
		else if (!S_ISREG(st.st_mode))
			continue;
		fd = openat(dirfd(d), e->d_name, flags);
		if (fd < 0)
			continue;
		/* A filesystem without locks (ENOLCK) leaves the PID to decide. */
		if (!fstat(fd, &held) && held.st_dev == st.st_dev && held.st_ino == st.st_ino &&
		    (!flock(fd, LOCK_EX | LOCK_NB) || errno != EWOULDBLOCK))
			remove_tree_at(dirfd(d), e->d_name, 0);
		close(fd);
	}
	closedir(d);
}

/* Syncs a directory so that the names in it survive a crash. Filesystems
 * that cannot sync a directory (EINVAL) are taken as they are. */
static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
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

/* Whether the symbolic link at path (link, from lstat) may be followed:
 * it is this user's, or belongs to the owner of the directory that holds
 * it. */
static bool link_trusted(const char *path, const struct stat *link)
{
	const char *slash = strrchr(path, '/');
	struct stat dir_st;
	char *dir;
	bool trusted;

	if (link->st_uid == geteuid())
		return true;
	if (!slash)
		return !stat(".", &dir_st) && dir_st.st_uid == link->st_uid;
	if (slash == path)
		return !stat("/", &dir_st) && dir_st.st_uid == link->st_uid;
	dir = malloc((size_t)(slash - path) + 1);
	if (!dir)
		return false;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	trusted = !stat(dir, &dir_st) && dir_st.st_uid == link->st_uid;
	free(dir);
	return trusted;
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
	 * one replaced, and the link stays. Only a link of this user's (or of
	 * the owner of the directory it is in, as Linux's protected_symlinks
	 * has it) is followed: another user's link in a shared directory
	 * could point anywhere. */
	if (!lstat(o->target, &st) && S_ISLNK(st.st_mode) && !link_trusted(o->target, &st))
		return rota_error_set(err, ROTA_EIO,
				      "refusing to follow '%s': the symbolic link belongs to another "
				      "user", o->shown);
	if (!lstat(o->target, &st) && S_ISLNK(st.st_mode) && !stat(o->target, &st) &&
	    S_ISDIR(st.st_mode)) {
		char *real;

		real = realpath(o->target, NULL);
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

/* Checks everything outdir_open() needs, creating nothing: o->target,
 * o->parent and *base set as resolve_target() does, *exists and *st as
 * check_target() does. */
static int prepare(struct outdir *o, const char *dir, const char **base, bool *exists,
		   struct stat *st, struct rota_error *err)
{
	struct stat parent_st;
	int rc;

	if (!*dir)
		return rota_error_set(err, ROTA_EIO,
				      "cannot write: the output directory name is empty");
	rc = resolve_target(o, dir, base, err);
	if (rc)
		return rc;
	if (stat(o->parent, &parent_st)) {
		if (errno == ENOENT)
			return rota_error_set(err, ROTA_EIO,
					      "cannot create '%s': directory '%s' does not exist", dir,
					      o->parent);
		return rota_error_set(err, ROTA_EIO, "cannot create '%s': %s", dir,
				      strerror(errno));
	}
	if (!S_ISDIR(parent_st.st_mode))
		return rota_error_set(err, ROTA_EIO, "cannot create '%s': '%s' is not a directory",
				      dir, o->parent);
	rc = check_target(o, exists, st, err);
	if (rc)
		return rc;
	/* The files go into a new directory beside the target. */
	if (faccessat(AT_FDCWD, o->parent, W_OK | X_OK, AT_EACCESS))
		return rota_error_set(err, ROTA_EIO, "cannot create '%s': %s", dir,
				      strerror(errno));
	return ROTA_OK;
}

static struct outdir *outdir_new(const char *dir)
{
	struct outdir *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->lock_fd = -1;
	o->shown = xstrdup(dir);
	if (!o->shown) {
		free(o);
		return NULL;
	}
	return o;
}

int outdir_check(const char *dir, struct rota_error *err)
{
	struct outdir *o = outdir_new(dir);
	struct stat st;
	const char *base;
	bool exists;
	int rc;

	if (!o)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	rc = prepare(o, dir, &base, &exists, &st, err);
	outdir_free(o);
	return rc;
}

int outdir_open(struct outdir **out, const char *dir, struct rota_error *err)
{
	struct outdir *o = outdir_new(dir);
	struct stat st;
	const char *base = NULL;
	bool exists;
	mode_t mode;
	int rc;

	*out = NULL;
	if (!o)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	rc = prepare(o, dir, &base, &exists, &st, err);
	if (rc)
		goto fail;
	remove_stale(o->parent, base, exists);
	o->tmp = temp_template(o->parent, base, "tmp");
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
	/* Held until outdir_free(): the directory is in use (remove_stale).
	 * Where locks are not to be had, the PID in the name is all. */
	o->lock_fd = open(o->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (o->lock_fd >= 0)
		(void)flock(o->lock_fd, LOCK_EX | LOCK_NB);
	/* mkdtemp makes it private, and private it stays while it is written
	 * (another user must not plant a link in it, even where the old
	 * directory was open to all); at commit it gets the old directory's
	 * mode, or what mkdir would have given. */
	if (exists) {
		o->mode = st.st_mode & 07777;
	} else {
		mode = umask(0);
		umask(mode);
		o->mode = 0777 & ~mode;
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
	int fd = open(o->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
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
	buf_printf(&aside, "%s/.%s.old-%ld-XXXXXX", o->parent, base, (long)getpid());
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
	if (chmod(o->tmp, o->mode))
		return rota_error_set(err, ROTA_EIO, "cannot create '%s': %s", o->shown,
				      strerror(errno));
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
	if (o->lock_fd >= 0)
		close(o->lock_fd);
	free(o->tmp);
	free(o->parent);
	free(o->target);
	free(o->shown);
	free(o);
}

char *outdir_real_path(const char *path)
{
	char *copy, *real, *slash, *result = NULL;
	const char *base, *parent;
	struct buf joined;
	size_t n;

	real = realpath(path, NULL);
	if (real || errno != ENOENT)
		return real;
	copy = xstrdup(path);
	if (!copy) {
		errno = ENOMEM;
		return NULL;
	}
	for (n = strlen(copy); n > 1 && copy[n - 1] == '/'; n--)
		copy[n - 1] = '\0';
	slash = strrchr(copy, '/');
	base = slash ? slash + 1 : copy;
	parent = !slash ? "." : slash == copy ? "/" : copy;
	if (slash)
		*slash = '\0';
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		goto out;
	real = realpath(parent, NULL);
	if (!real)
		goto out;
	buf_init(&joined);
	buf_printf(&joined, "%s/%s", strcmp(real, "/") ? real : "", base);
	result = buf_detach(&joined);
	if (!result)
		errno = ENOMEM;
out:
	free(real);
	free(copy);
	return result;
}

int outdir_write_file(const char *path, const char *data, size_t len, struct rota_error *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *parent = NULL, *tmp = NULL;
	struct stat st;
	mode_t mode;
	bool exists = false;
	int fd = -1, rc = ROTA_OK;

	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return rota_error_set(err, ROTA_EIO, "cannot write '%s': not a file name", path);
	if (!slash)
		parent = xstrdup(".");
	else if (slash == path)
		parent = xstrdup("/");
	else if ((parent = malloc((size_t)(slash - path) + 1)) != NULL) {
		memcpy(parent, path, (size_t)(slash - path));
		parent[slash - path] = '\0';
	}
	if (!parent)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory");
	/* What stands at path is replaced, never written through: a symbolic
	 * link is replaced by the file; a device, a FIFO or a directory is
	 * refused. */
	if (!lstat(path, &st)) {
		exists = true;
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			rc = rota_error_set(err, ROTA_EIO,
					    "cannot write '%s': it exists and is not a regular file",
					    path);
			goto out;
		}
	} else if (errno != ENOENT) {
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	if (exists && S_ISREG(st.st_mode)) {
		mode = st.st_mode & 0777;
	} else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	remove_stale(parent, base, exists);
	tmp = temp_template(parent, base, "tmp");
	if (!tmp) {
		rc = rota_error_set(err, ROTA_ENOMEM, "out of memory");
		goto out;
	}
	/* mkstemp creates the file (O_CREAT | O_EXCL): whatever another user
	 * planted under that name, a symbolic link included, makes it pick
	 * another name, never write there. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	(void)flock(fd, LOCK_EX | LOCK_NB); /* best effort, as in outdir_open() */
	if (fchmod(fd, mode) || write_all(fd, data, len) ||
	    (fsync(fd) && errno != EINVAL)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	if (rename(tmp, path)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
out:
	if (fd >= 0 && close(fd) && !rc)
		rc = rota_error_set(err, ROTA_EIO, "cannot write '%s': %s", path, strerror(errno));
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(parent);
	return rc;
}
