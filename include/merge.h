/*
 * merge.h - villages called in whole: a post-pass on the dated plan of a
 * part that takes a unit's people out of one session into the unit's
 * other sessions (or, when that empties the session, into another session
 * it may use), and shares out again unit by unit the sessions of one team,
 * site and kind, whenever that lowers person-minutes (campaign-v1 rule
 * 7.4: one invitation fewer, a session fewer) and keeps rules 1-6 and the
 * earlier levels. docs/model.md, section 6.
 */
#ifndef ROTA_MERGE_H
#define ROTA_MERGE_H

#include "model.h"

/* Merges the invitations of w, a dated plan of part m that keeps rules
 * 1-6, and re-dates it (wplan_improve_dates). A fixed session may give
 * and receive people but is never dropped, even empty; never opens a
 * session, never makes deadline-pN, served-pN or extra-sessions worse;
 * each change lowers person-minutes. Deterministic. Returns 0 or
 * ROTA_ENOMEM (w is then a valid plan, as good as before). */
int wplan_merge_units(const struct mcomp *m, struct wplan *w);

#endif
