/*
 * outdir.h - writes a directory of files all at once or not at all.
 *
 * Files are written into a temporary directory beside the target
 * (".NAME.tmp-PID-XXXXXX"); commit swaps it into place with one rename (an
 * existing target is exchanged atomically and then removed), so a reader
 * never sees a half-written result and an error leaves the old directory as
 * it was. What a killed run left beside the target is removed by the next
 * outdir_open() or outdir_write_file() of the same name.
 */
#ifndef ROTA_OUTDIR_H
#define ROTA_OUTDIR_H

#include <stdio.h>

#include "util.h"

struct outdir;

/* Prepares to write dir. Returns 0 and sets *out, or ROTA_EIO with err set
 * (e.g. the parent directory does not exist, dir is a file, or dir is a
 * non-empty directory without rota.json). */
int outdir_open(struct outdir **out, const char *dir, struct rota_error *err);
/* Checks, creating and removing nothing, what outdir_open() would check:
 * the parent is a writable directory, dir is absent, empty or an earlier
 * plan. Returns 0 or ROTA_EIO with err set (the same messages). */
int outdir_check(const char *dir, struct rota_error *err);
/* Writes len bytes as relpath ("calendars/teams/ca-xa.ics"), creating the
 * directories on the way. Returns 0 or ROTA_EIO with err set. */
int outdir_write(struct outdir *o, const char *relpath, const char *data, size_t len,
		 struct rota_error *err);
/* Moves the result into place. Returns 0 or ROTA_EIO with err set. */
int outdir_commit(struct outdir *o, struct rota_error *err);
/* Removes whatever was not committed, and frees o. NULL is a no-op. */
void outdir_free(struct outdir *o);

/* Writes len bytes as the file path, all at once: into a new temporary
 * file beside it (created with O_CREAT | O_EXCL, so nothing planted under
 * that name is written through), then renamed over path. A symbolic link
 * at path is replaced, not followed; anything else but a regular file
 * there is refused. Returns 0 or ROTA_EIO/ROTA_ENOMEM with err set; on
 * error path is as it was. */
int outdir_write_file(const char *path, const char *data, size_t len, struct rota_error *err);

/* The absolute path, free of symbolic links, that path names, or would
 * name once created (its parent resolved, its last name appended). NULL
 * when neither resolves or out of memory. Caller frees. */
char *outdir_real_path(const char *path);

#endif
