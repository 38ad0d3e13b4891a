/* slot_match.c - sessions into distinct slots under weekly rooms, by
 * augmenting paths (slot_match.h). */
#include <string.h>

#include "slot_match.h"
#include "banned.h"

static bool find_slot(struct slot_match *sm, int b);

/* Frees one unit of room r by moving a session out of one of its slots
 * into a slot elsewhere. */
static bool free_room(struct slot_match *sm, int r)
{
	if (sm->seen_room[r])
		return false;
	sm->seen_room[r] = 1;
	for (int j = 0; j < sm->nslots; j++) {
		int b2 = sm->holder[j];

		if (sm->week[j] != r || b2 < 0 || sm->seen_slot[j])
			continue;
		sm->seen_slot[j] = 1;
		if (find_slot(sm, b2)) {
			/* b2 took its new slot; its old one is empty. */
			sm->holder[j] = -1;
			sm->room[r]++;
			return true;
		}
	}
	return false;
}

/* Finds session b a slot other than the one it holds (which the caller
 * then frees), moving others if need be. Sets slot_of[b], holder and the
 * new slot's room. */
static bool find_slot(struct slot_match *sm, int b)
{
	for (int j = 0; j < sm->nslots; j++) {
		int r = sm->week[j], b2;

		if (sm->seen_slot[j] || sm->holder[j] == b || !sm->fits(sm->ctx, b, j))
			continue;
		sm->seen_slot[j] = 1;
		b2 = sm->holder[j];
		if (b2 < 0) {
			if (r >= 0 && sm->room[r] <= 0 && !free_room(sm, r))
				continue;
			if (r >= 0)
				sm->room[r]--;
			sm->holder[j] = b;
			sm->slot_of[b] = j;
			return true;
		}
		/* j is full: its session moves on, and b takes j (the room
		 * stays as it was). */
		if (find_slot(sm, b2)) {
			sm->holder[j] = b;
			sm->slot_of[b] = j;
			return true;
		}
	}
	return false;
}

int slot_match_free_slot(const struct slot_match *sm, int b)
{
	for (int j = 0; j < sm->nslots; j++)
		if (sm->holder[j] < 0 && (sm->week[j] < 0 || sm->room[sm->week[j]] > 0) &&
		    sm->fits(sm->ctx, b, j))
			return j;
	return -1;
}

bool slot_match_place(struct slot_match *sm, int b)
{
	/* The earliest free slot that fits, if there is one, before any
	 * path: the plain greedy where it succeeds. */
	int j = slot_match_free_slot(sm, b);

	memset(sm->seen_slot, 0, (size_t)sm->nslots);
	memset(sm->seen_room, 0, (size_t)sm->nrooms);
	sm->slot_of[b] = -1;
	if (j < 0)
		return find_slot(sm, b);
	if (sm->week[j] >= 0)
		sm->room[sm->week[j]]--;
	sm->holder[j] = b;
	sm->slot_of[b] = j;
	return true;
}
