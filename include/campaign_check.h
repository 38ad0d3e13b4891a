/*
 * campaign_check.h - the checks of a whole campaign (campaign_check.c),
 * for the campaign reader.
 */
#ifndef ROTA_CAMPAIGN_CHECK_H
#define ROTA_CAMPAIGN_CHECK_H

#include "reader.h"

/* Finalizes r->c, read without error, and reports at their places what
 * only the whole campaign shows: demand no session could serve, fixed
 * sessions that cannot be held or clash, sessions that would share a
 * name. Sets r->oom when out of memory. */
void campaign_check(struct reader *r);

#endif
