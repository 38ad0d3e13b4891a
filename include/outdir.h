/*
 * outdir.h - writes a directory of files all at once or not at all.
 *
 * Files are written into a temporary directory beside the target; commit
 * swaps it into place with one rename (an existing target is exchanged
 * atomically and then removed), so a reader never sees a half-written
 * result and an error leaves the old directory as it was.
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
/* Writes len bytes as relpath ("calendars/teams/ca-xa.ics"), creating the
 * directories on the way. Returns 0 or ROTA_EIO with err set. */
int outdir_write(struct outdir *o, const char *relpath, const char *data, size_t len,
		 struct rota_error *err);
/* Moves the result into place. Returns 0 or ROTA_EIO with err set. */
int outdir_commit(struct outdir *o, struct rota_error *err);
/* Removes whatever was not committed, and frees o. NULL is a no-op. */
void outdir_free(struct outdir *o);

#endif
