/*
 * greedy_day.h - the day-driven greedy plan of a part, and the better of
 * the two greedy plans (greedy_fill is row-driven, model.h). See
 * docs/model.md, section 6 step 1.
 */
#ifndef ROTA_GREEDY_DAY_H
#define ROTA_GREEDY_DAY_H

#include <stdbool.h>

#include "campaign.h"
#include "model.h"

/*
 * Day-driven greedy: walks the days of the campaign; on each day, each
 * team (local order) and each slot kind it may still work (extra kinds
 * within its weekly limit; a session already in w, a fixed one say, in
 * its own site), it holds the session at the site where the most urgent
 * people who can still come by their deadline wait, and fills it with
 * them, most urgent first (priority level, then deadline). What the walk
 * leaves (people past their deadline, people no session of the walk could
 * take) is served by greedy_fill. An extra session is not held when the
 * team's extra sessions left that week are needed by as many later extra
 * slots of the week where more urgent people wait (a holiday for a group
 * that comes only on holidays, say). Flags: GREEDY_DAY_BY_LEVEL walks
 * once per priority level, most urgent first, with the people of that
 * level only (a walk fills the sessions the walks before it held, then
 * opens more); GREEDY_DAY_LIGHT_FIRST fills a session, among equally
 * urgent people, with those who take the least of it first (else in row
 * order). Keeps rules 1-6. Returns 0 or ROTA_ENOMEM.
 */
enum {
	GREEDY_DAY_BY_LEVEL = 1,    /* one walk per priority level */
	GREEDY_DAY_LIGHT_FIRST = 2  /* equally urgent people: the lightest first */
};
int greedy_day_fill(const struct mcomp *m, struct wplan *w, unsigned flags);

/* Lexicographic comparison of two level vectors of a part (values of
 * wplan_levels): < 0 when a is better, 0 when equal. */
typedef int (*greedy_levels_cmp)(const struct campaign *c, const double *a, const double *b);

/* The greedy plans greedy_best tries, in this order. */
enum greedy_kind {
	GREEDY_ROWS,          /* greedy_fill (model.h) */
	/* greedy_day_fill with flags kind - GREEDY_DAYS */
	GREEDY_DAYS,
	GREEDY_DAYS_BY_LEVEL,
	GREEDY_DAYS_LIGHT,
	GREEDY_DAYS_BY_LEVEL_LIGHT,
	GREEDY_KINDS
};

/*
 * Runs each greedy of enum greedy_kind on a copy of w and leaves in w the
 * plan that cmp finds better (the first of the order on a tie); its
 * levels into value[lv_count] when value is not NULL, and which greedy
 * made it into *kept when kept is not NULL. Returns 0 or ROTA_ENOMEM (w
 * is then as it was).
 */
int greedy_best(const struct mcomp *m, struct wplan *w, greedy_levels_cmp cmp, double *value,
		enum greedy_kind *kept);

#endif
