/*
 * fixture.h - a small campaign and plan built in memory, for unit tests
 * that must not depend on the reader or the solver.
 *
 * The campaign "fixture-2024": 2024-03-04 to 2024-03-24, one holiday
 * (2024-03-08), default slots; services cccd and eid2; groups exam (p1,
 * deadline 2024-03-15, day and weekend), general (p2), workers (p3, evening
 * and weekend); sites tru-so (station, base), nvh-dong-chua (hall, 15 min,
 * a name with a comma and a semicolon), thcs (school, 5 min, day only);
 * team ca-xa (cccd 30, eid2 70, day/evening/weekend, 2 extra a week);
 * units xom-dong-chua (village, contact with email), thcs-trung-hoi
 * (school, contact with email), xom-na-mao (village, no contact).
 */
#ifndef ROTA_FIXTURE_H
#define ROTA_FIXTURE_H

#include "campaign.h"
#include "plan.h"

/* Returns a finalized campaign (free with campaign_free), NULL on OOM. */
struct campaign *fixture_campaign(void);
/* Returns a plan of three sessions for c, sorted and with arrival windows
 * (free with plan_free): 2024-03-05 day at thcs (48 exam pupils of
 * thcs-trung-hoi), 2024-03-09 weekend at nvh-dong-chua (12 exam, 10
 * general cccd, 35 general eid2 of xom-dong-chua), 2024-03-11 evening at
 * tru-so (20 workers eid2 of xom-na-mao). */
struct plan *fixture_plan(const struct campaign *c);

#endif
