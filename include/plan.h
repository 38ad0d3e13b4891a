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
	int count;         /* whole people invited, >= 1 (0 only for people who
			    * came uninvited to a held session, replan-v1 rule 1) */
	int arrive, until; /* the unit's arrival window, minutes since midnight */
	int came;          /* people who came (held sessions); -1: not held */
	bool assumed;      /* came was not reported: everyone invited counted */
};

/* Where a session of a re-plan comes from (replan-v1.md). A first plan's
 * sessions are all PLAN_ORIGIN_NEW. */
enum plan_origin {
	PLAN_ORIGIN_NEW,    /* planned now */
	PLAN_ORIGIN_HELD,   /* before plan.today: history, as published */
	PLAN_ORIGIN_FROZEN, /* announced (freeze window): as published */
	PLAN_ORIGIN_KEPT    /* an invitation set of the previous plan kept by
			     * the stability level (may have been re-timed) */
};

/* How an event compares with the previous plan's event of its UID. */
enum plan_change {
	PLAN_CHANGE_NONE,    /* unchanged (or a first plan): not sent again */
	PLAN_CHANGE_NEW,     /* a UID not current in the previous plan */
	PLAN_CHANGE_CHANGED  /* the event changed: sent with sequence + 1 */
};

/* One unit's invitation to a session (also the school calendar's event):
 * its iTIP sequence. Filled by sequence_assign(); a session without this
 * array has every invitation at sequence 0, PLAN_CHANGE_NONE. */
struct plan_invitation {
	size_t unit;
	int sequence;
	enum plan_change change;
};

struct plan_session {
	size_t team, site;
	int date;
	enum slot_kind slot;
	int start, end;    /* on site: the slot window less travel */
	bool fixed;        /* required by campaign.fixed[] */
	enum plan_origin origin;
	int sequence;      /* of the session's event in team calendars */
	enum plan_change change;
	struct plan_visit *visits;
	size_t nvisits, alloc_visits;
	struct plan_invitation *invitations; /* distinct units, in visit order */
	size_t ninvitations;
};

/* An event (a session's, or one unit's invitation) that a plan of this
 * campaign once published and that is gone: kept so that sequences continue
 * (replan-v1.md, "What is sent") and calendars can carry the cancellation.
 * Everything is as published, by id, so that it survives edits of the
 * campaign. */
struct plan_cancelled {
	char *uid;
	bool invitation;           /* false: a session's event */
	char *team, *site, *unit;  /* ids; unit is NULL for a session */
	int date;
	enum slot_kind slot;
	int start, end;            /* the session's hours */
	int arrive, until;         /* the invitation's window; start, end for a session */
	int sequence;              /* of the cancellation */
	int cancelled_on;          /* plan.today of the plan that cancelled it */
	char *reason;              /* why, in words for the summary; may be NULL */
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
	/* Re-planning (replan-v1.md); a first plan has today = -1, freeze_end
	 * = -1, no cancelled events. */
	int today;          /* the first day that had not happened */
	int freeze_end;     /* the last day of the freeze window */
	struct plan_cancelled *cancelled; /* sorted by date, uid */
	size_t ncancelled, alloc_cancelled;
};

/* An empty plan for c. Returns NULL when out of memory. */
struct plan *plan_new(const struct campaign *c);
/* Frees the plan and everything it owns (not the campaign). NULL is a no-op. */
void plan_free(struct plan *p);

/* Appends a session and returns it (visits empty), or NULL when out of
 * memory. The pointer is valid until the next plan_add_session(). */
struct plan_session *plan_add_session(struct plan *p, size_t team, size_t site, int date,
				      enum slot_kind slot);
/* Appends a visit to s (came -1). Returns 0 or ROTA_ENOMEM. */
int plan_add_visit(struct plan_session *s, size_t unit, size_t demand, int count);
/* Appends a cancelled event whose strings are copied. Returns it, or NULL
 * when out of memory. */
struct plan_cancelled *plan_add_cancelled(struct plan *p, const struct plan_cancelled *ev);
/* The invitation record of unit in s, or NULL (sequence 0, unchanged). */
const struct plan_invitation *plan_invitation_of(const struct plan_session *s, size_t unit);

/* Puts the plan in its canonical order: sessions by date, slot, team id,
 * site id; visits by arrival, unit id, group id, service id. Sets each
 * session's start/end from the slot window and travel, except for held
 * and frozen sessions, which keep their published hours. */
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
 * short for one step per unit gives every unit the whole session. Held and
 * frozen sessions keep their published windows. Returns 0 or ROTA_ENOMEM. */
int plan_assign_arrivals(struct plan *p);

/* People of unit's demand row invited in the whole plan, and of them on
 * or before the row's intake deadline (the group's deadline less the
 * service's lead time, campaign_intake_deadline). In a re-plan (replan-v1 rule 5) a held
 * visit counts its came, a later one its count. */
void plan_coverage(const struct plan *p, size_t unit, size_t demand, int *planned,
		   int *by_deadline);

/* Every demand row's plan_coverage at once, in one pass over the plan,
 * for callers that ask for many rows (plan_coverage is a pass per row: on
 * 100 communes, 2,046 units, most of the 20 s that writing took). */
struct plan_cov {
	const struct plan *p;
	size_t *base;            /* [nunits + 1]: unit u's rows from base[u] */
	int *planned, *by_deadline;
};

/* Fills cov from p as it is now (p must not change while cov is used).
 * Out of memory, cov answers row by row through plan_coverage (the same
 * figures, slower) and it returns ROTA_ENOMEM, which a writer reports as
 * any other failed allocation; else 0. */
int plan_cov_init(struct plan_cov *cov, const struct plan *p);
/* plan_coverage(cov->p, unit, demand, ...), from the table. */
void plan_cov_get(const struct plan_cov *cov, size_t unit, size_t demand, int *planned,
		  int *by_deadline);
void plan_cov_release(struct plan_cov *cov);

/* People of unit's demand row who came to the held sessions. */
int plan_came(const struct plan *p, size_t unit, size_t demand);

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
