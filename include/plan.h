/*
 * plan.h - a plan (format rota-plan/1, see docs/plan-format.md): the
 * sessions chosen by the solver and the people invited to each.
 *
 * A plan borrows its campaign, which must outlive it.
 */
#ifndef ROTA_PLAN_H
#define ROTA_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "campaign.h"

struct plan_visit {
	size_t unit;
	size_t demand;     /* index into campaign.units[unit].demand */
	int count;         /* whole people invited, >= 1 */
	int arrive, until; /* the unit's arrival window, minutes since midnight */
};

struct plan_session {
	size_t team, site;
	int date;
	enum slot_kind slot;
	int start, end;    /* on site: the slot window less travel */
	bool fixed;        /* required by campaign.fixed[] */
	struct plan_visit *visits;
	size_t nvisits, alloc_visits;
};

enum plan_status { PLAN_OPTIMAL, PLAN_FEASIBLE };

/* One level of the objective (campaign-v1 rule 7). */
struct plan_level {
	char name[48];     /* "deadline-pN", "served-pN", "extra-sessions", "person-minutes", "earliness-pN" */
	double value, bound, gap;
	bool maximise;
};

struct plan_solver {
	enum plan_status status;
	double objective, bound; /* of the last level solved */
	double gap;              /* largest gap over all levels */
	double seconds;          /* wall time; written as 0 under SOURCE_DATE_EPOCH */
	struct plan_level *levels;
	size_t nlevels;
};

struct plan {
	const struct campaign *campaign; /* borrowed */
	struct plan_session *sessions;
	size_t nsessions, alloc_sessions;
	struct plan_solver solver;
};

/* An empty plan for c. Returns NULL when out of memory. */
struct plan *plan_new(const struct campaign *c);
/* Frees the plan and everything it owns (not the campaign). NULL is a no-op. */
void plan_free(struct plan *p);

/* Appends a session and returns it (visits empty), or NULL when out of
 * memory. The pointer is valid until the next plan_add_session(). */
struct plan_session *plan_add_session(struct plan *p, size_t team, size_t site, int date,
				      enum slot_kind slot);
/* Appends a visit to s. Returns 0 or ROTA_ENOMEM. */
int plan_add_visit(struct plan_session *s, size_t unit, size_t demand, int count);

/* Puts the plan in its canonical order: sessions by date, slot, team id,
 * site id; visits by arrival, unit id, group id, service id. Sets each
 * session's start/end from the slot window and travel. */
void plan_sort(struct plan *p);
/* Gives every unit in every session its arrival window (docs/calendars.md):
 * units follow one another, the most urgent group first, then by id; each
 * window is as long as the unit's share of the session's work (rule 5) in
 * minutes of a full day slot, at least PLAN_WINDOW_MIN, and all of them
 * are scaled down to the session when it is full. Windows begin and end
 * on PLAN_WINDOW_STEP marks inside the on-site hours, never inside a
 * break, and do not overlap; a change of unit within PLAN_WINDOW_MIN / 2
 * of a break moves onto the break, so that a window spans one only when
 * its people need a good part of the time on both sides. A session too
 * short for one step per unit gives every unit the whole session. Returns
 * 0 or ROTA_ENOMEM. */
int plan_assign_arrivals(struct plan *p);

/* People of unit's demand row invited in the whole plan, and of them on
 * or before the group's deadline. */
void plan_coverage(const struct plan *p, size_t unit, size_t demand, int *planned,
		   int *by_deadline);

/* The session's name as plan-v1 spells it for files:
 * "2024-03-09-weekend-nvh-dong-chua-ca-xa". out should hold PLAN_NAME_SIZE bytes. */
void plan_session_name(const struct plan *p, const struct plan_session *s, char *out,
		       size_t size);
/* The session's UID: depends only on campaign, team, site, date and slot:
 * "20240309-weekend.nvh-dong-chua.ca-xa.trung-hoi-2024@rota". */
void plan_session_uid(const struct plan *p, const struct plan_session *s, char *out,
		      size_t size);
/* The UID of unit's invitation to session s (and of the school calendar's
 * event): "20240309-weekend.nvh-dong-chua.ca-xa.xom-dong-chua.trung-hoi-2024@rota". */
void plan_invite_uid(const struct plan *p, const struct plan_session *s, size_t unit,
		     char *out, size_t size);

/* Load of a session as a share of a full day slot (rule 5), the sum over
 * its visits of count x turnout / capacity. */
double plan_session_load(const struct plan *p, const struct plan_session *s);

enum { PLAN_NAME_SIZE = 192, PLAN_UID_SIZE = 320 };
/* Arrival windows: the clock marks they fall on, and the shortest one
 * given when the session has room for it (minutes). */
enum { PLAN_WINDOW_STEP = 5, PLAN_WINDOW_MIN = 30 };

#endif
