/*
 * input_file.h - reads a file given on the command line (a campaign, a
 * plan's own copy of it) whole into memory, without ever blocking on
 * something that is not a file: a FIFO, a terminal or a device named where
 * a file is expected is refused at once.
 */
#ifndef ROTA_INPUT_FILE_H
#define ROTA_INPUT_FILE_H

#include <stddef.h>

#include "util.h"

enum {
	/* A symbolic link at path is refused (files that rota wrote itself
	 * and that another user may have replaced). */
	INPUT_NOFOLLOW = 1
};

/* Appends the whole of path ("-" is standard input, read as it comes) to
 * out. what names such files in messages ("campaign files"). Returns 0,
 * ROTA_EIO with err set when path cannot be opened or read, is not a
 * regular file, or holds more than max bytes (refused before reading it
 * all), or ROTA_ENOMEM with err set. */
int input_file_read(struct buf *out, const char *path, size_t max, const char *what,
		    unsigned flags, struct rota_error *err);

#endif
