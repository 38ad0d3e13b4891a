/*
 * slot_match.h - giving sessions distinct dates: a maximum matching of
 * sessions ("bins") into slots (a date and slot kind of one team), where
 * the slots of a week may share a room (the weekly limit of extra
 * sessions, rule 3). A session is placed in the earliest slot it fits
 * that is free; failing that, sessions already placed move along an
 * augmenting path (Kuhn's method for bipartite matching, with rooms as
 * capacities), so a session stays without a date only when no assignment
 * of the sessions placed and this one exists. Used by the disaggregation (disagg.c): once a site's closure
 * lies inside a period, the earliest free date is no longer always one
 * that the site may take.
 */
#ifndef ROTA_SLOT_MATCH_H
#define ROTA_SLOT_MATCH_H

#include <stdbool.h>

struct slot_match {
	int nslots;          /* slots 0 .. nslots - 1, tried in that order */
	const int *week;     /* [nslots]: the room a slot uses, or -1 */
	int *room;           /* [rooms]: what is left of each room */
	int *holder;         /* [nslots]: the session in it, or -1 */
	int *slot_of;        /* [sessions]: its slot, or -1 */
	/* Whether session b may take slot j. */
	bool (*fits)(void *ctx, int b, int j);
	void *ctx;
	/* scratch: [nslots] and [rooms] */
	unsigned char *seen_slot, *seen_room;
	int nrooms;
};

/* The earliest slot session b fits that is free and whose room has
 * some left, as things stand (no session moved), or -1. */
int slot_match_free_slot(const struct slot_match *sm, int b);
/* Places session b (not yet placed). Returns whether it got a slot. */
bool slot_match_place(struct slot_match *sm, int b);

#endif
