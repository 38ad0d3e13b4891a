/* input_file.c - a whole input file in memory (see input_file.h). */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input_file.h"
#include "banned.h"

enum { READ_CHUNK = 65536 };

static int read_fd(struct buf *out, int fd, const char *path, size_t max, const char *what,
		   struct rota_error *err)
{
	size_t start = out->len;

	for (;;) {
		size_t room;
		ssize_t got;

		if (out->alloc - out->len < 2 && grow_array(&out->data, &out->alloc,
							     out->len + READ_CHUNK, 1))
			return rota_error_set(err, ROTA_ENOMEM, "out of memory reading '%s'", path);
		room = out->alloc - out->len - 1;
		/* One byte over max is enough to know the file is too large. */
		if (room > max + 1 - (out->len - start))
			room = max + 1 - (out->len - start);
		got = read(fd, out->data + out->len, room);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path,
					      strerror(errno));
		}
		if (got == 0)
			break;
		out->len += (size_t)got;
		out->data[out->len] = '\0';
		if (out->len - start > max)
			return rota_error_set(err, ROTA_EIO, "'%s' is too large: %s are at most %zu bytes",
					      path, what, max);
	}
	return ROTA_OK;
}

/* What a path names when it is not a regular file, for messages. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

int input_file_read(struct buf *out, const char *path, size_t max, const char *what,
		    unsigned flags, struct rota_error *err)
{
	bool is_stdin = !strcmp(path, "-");
	struct stat st;
	int fd, rc;

	if (out->failed)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory reading '%s'", path);
	if (is_stdin) {
		fd = STDIN_FILENO;
	} else {
		/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is
		 * refused below, before any read. */
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC |
					(flags & INPUT_NOFOLLOW ? O_NOFOLLOW : 0));
		if (fd < 0) {
			if (errno == ELOOP && (flags & INPUT_NOFOLLOW))
				return rota_error_set(err, ROTA_EIO,
						      "cannot read '%s': it is a symbolic link", path);
			return rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path,
					      strerror(errno));
		}
	}
	if (fstat(fd, &st)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode) || (!is_stdin && !S_ISREG(st.st_mode))) {
		rc = rota_error_set(err, ROTA_EIO, "cannot read '%s': not a regular file (%s)",
				    path, file_kind(st.st_mode));
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		rc = rota_error_set(err, ROTA_EIO, "'%s' is too large: %jd bytes, %s are at most %zu bytes",
				    path, (intmax_t)st.st_size, what, max);
		goto out;
	}
	if (!is_stdin && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		rc = rota_error_set(err, ROTA_EIO, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	rc = read_fd(out, fd, path, max, what, err);
out:
	if (!is_stdin)
		close(fd);
	return rc;
}
