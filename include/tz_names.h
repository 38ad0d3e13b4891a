/*
 * tz_names.h - whether a name is a zone of the IANA time zone database, as
 * this machine's tzdata lists it in tzdata.zi (its "Z" zone and "L" link
 * lines). Names that only the machine gives a meaning to (localtime,
 * posixrules, Factory, right/..., posix/..., a path) are not zones.
 */
#ifndef ROTA_TZ_NAMES_H
#define ROTA_TZ_NAMES_H

#include <stdbool.h>

#include "util.h"

/* Where Debian's tzdata (2018 and later) lists the zone names. */
#define TZ_NAMES_FILE "/usr/share/zoneinfo/tzdata.zi"

/* Sets *known to whether name is a zone or link of the database listed in
 * file (TZ_NAMES_FILE for the machine's). Returns 0, or ROTA_EIO (ROTA_ENOMEM
 * when out of memory) with err set when the list cannot be read. */
int tz_name_known(const char *file, const char *name, bool *known, struct rota_error *err);

#endif
