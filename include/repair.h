/*
 * repair.h - the dated plan of a model point made complete. Disaggregating
 * a point (model_disaggregate) leaves out the people that whole-people
 * packing could not place; the row-driven greedy alone then opens a
 * session for them (an extra one, for a group that only comes in the
 * evening), so the plan loses a level the point kept. Used by the level
 * loop (repair_point, levels.c) and by solve.c (adopt_point). See
 * docs/model.md, section 6 step 2.
 */
#ifndef ROTA_REPAIR_H
#define ROTA_REPAIR_H

#include "model.h"

/*
 * Serves what w, a dated plan of part m that keeps rules 1-6, leaves
 * unserved. First the people who can still come by their deadline, most
 * urgent first (priority level, then deadline), get a place in a session
 * w holds by that deadline (one their unit is invited to first, then the
 * earliest), if need be by moving people of another row aside into
 * another session w holds, on the same side of their own deadline; then
 * greedy_fill serves the rest. The same is done by greedy_fill alone on a
 * copy, and w is left with the plan that is better level by level (rule
 * 7; the first on a tie). Keeps rules 1-6, never opens a session in the
 * first step. Returns 0 or ROTA_ENOMEM (w is then a valid plan, with
 * perhaps people left unserved).
 */
int wplan_complete(const struct mcomp *m, struct wplan *w);

#endif
