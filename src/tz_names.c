/*
 * tz_names.c - the IANA zone names of tzdata.zi. The file is scanned line
 * by line on each question: a campaign asks once.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tz_names.h"
#include "util.h"
#include "banned.h"

/* Zones of the database that are not places: "Factory" says "-00". */
static bool excluded(const char *name)
{
	return !strcmp(name, "Factory") || !strcmp(name, "localtime") ||
	       !strcmp(name, "posixrules");
}

/* The field-th (0-based) blank-separated word of line, or NULL; *len is
 * its length. */
static const char *word(const char *line, int field, size_t *len)
{
	const char *p = line;

	for (int i = 0;; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			return NULL;
		*len = strcspn(p, " \t\n");
		if (i == field)
			return p;
		p += *len;
	}
}

int tz_name_known(const char *file, const char *name, bool *known, struct rota_error *err)
{
	char line[1024];
	size_t n = strlen(name);
	FILE *f;
	int rc = ROTA_OK;

	*known = false;
	if (excluded(name) || !n)
		return ROTA_OK;
	f = fopen(file, "r");
	if (!f)
		return rota_error_set(err, errno == ENOMEM ? ROTA_ENOMEM : ROTA_EIO,
				      "cannot read the list of time zones '%s': %s", file,
				      strerror(errno));
	while (!*known && fgets(line, sizeof(line), f)) {
		const char *w;
		size_t len;

		/* "Z NAME ..." names a zone; "L TARGET NAME" a link to one. */
		if (line[0] == 'Z' && line[1] == ' ')
			w = word(line, 1, &len);
		else if (line[0] == 'L' && line[1] == ' ')
			w = word(line, 2, &len);
		else
			continue;
		*known = w && len == n && !memcmp(w, name, n);
	}
	if (ferror(f))
		rc = rota_error_set(err, ROTA_EIO, "cannot read the list of time zones '%s': %s",
				    file, strerror(errno));
	fclose(f);
	if (rc)
		*known = false;
	return rc;
}
