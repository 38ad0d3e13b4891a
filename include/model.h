/*
 * model.h - the optimisation model behind plan_solve(), without the solver:
 * independent parts of a campaign, the period-aggregated integer model of
 * one part (docs/model.md), a greedy plan, and the way back from an
 * aggregated solution to dated sessions. Used by the solver (solve.c,
 * levels.c); nothing here sees GLPK. The code: mcomp.c (parts), wplan.c
 * (dated plans, levels), greedy.c, redate.c (earlier dates), model.c (the
 * model), hull.c and disagg.c (disaggregation), sharing model_impl.h.
 *
 * Every structure borrows the campaign, which must outlive it.
 */
#ifndef ROTA_MODEL_H
#define ROTA_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "campaign.h"

struct solve_taken; /* solve.h */

/* Loads are compared with this slack, as plan checkers do (rule 5). */
#define MODEL_LOAD_EPS 1e-9

/* One demand row of a part. */
struct mrow {
	size_t unit, demand;   /* campaign indices */
	size_t group, service;
	int count, level, from, deadline;
	double turnout;
	size_t *sites;         /* campaign sites the row may use, best first */
	size_t nsites;
};

/* A fixed session of a part: team is local, site global. */
struct mfixed {
	size_t team, site;
	int date;
	enum slot_kind kind;
};

/*
 * A part of the campaign that is planned on its own: its teams, sites and
 * demand rows. A team may appear in several parts (a district team); then
 * `blocked` and `extra_used` carry what the other parts already took.
 */
struct mcomp {
	const struct campaign *c;
	size_t *teams;  size_t nteams;   /* campaign indices, ascending */
	bool *shared;                    /* [nteams]: the team also serves other parts */
	size_t *sites;  size_t nsites;   /* campaign indices, ascending */
	struct mrow *rows; size_t nrows;
	struct mfixed *fixed; size_t nfixed;
	int *site_local;                 /* [c->nsites]: local index or -1 */
	int week0, nweeks;               /* Monday of the first week; weeks covered */
	unsigned char *blocked;          /* [nteams * ndays]: kinds taken elsewhere */
	int *extra_used;                 /* [nteams * nweeks]: extra sessions held elsewhere */
	int first_date;                  /* no session before it (a re-plan); else c->start */
	/* Rough size, rows × (sites × weeks + 1): parts are planned largest
	 * first and share out a time limit by it. */
	double weight;
};

/* Splits c into parts that share no team, site or unit, each with the
 * fixed sessions that fall in it (weekly ones expanded). Returns 0 or
 * ROTA_ENOMEM; free with mcomp_free_all. */
int mcomp_build_all(const struct campaign *c, struct mcomp **out, size_t *nout);
/* The same for what a re-plan leaves (solve.h, struct solve_taken; NULL:
 * mcomp_build_all): rows count the people left (rows at 0 dropped), every
 * team is blocked on every kind before taken->first_date and on the kinds
 * of the taken sessions, whose extra sessions count in extra_used; fixed
 * sessions before first_date or on a taken (team, date, kind) dropped. */
int mcomp_build_taken(const struct campaign *c, const struct solve_taken *taken,
		      struct mcomp **out, size_t *nout);
void mcomp_free_all(struct mcomp *parts, size_t n);
/* The campaign's fixed sessions as dates (weekly ones expanded, clipped
 * to the campaign, dates where rules 1-4 rule them out skipped, each
 * (team, date, kind) once, in campaign order); team is a campaign index.
 * Returns 0 or ROTA_ENOMEM; *out is freed by the caller. */
int mcomp_fixed_dates(const struct campaign *c, struct mfixed **out, size_t *nout);

/* A dated session of a part, before it becomes a plan_session. */
struct wvisit {
	size_t row;            /* index into mcomp.rows */
	int count;
};

struct wsession {
	size_t team;           /* local */
	size_t site;           /* campaign index */
	int date;
	enum slot_kind kind;
	bool fixed;
	double load, share;
	struct wvisit *visits;
	size_t nvisits, alloc;
};

struct wplan {
	struct wsession *s;
	size_t n, alloc;
};

void wplan_release(struct wplan *w);
/* Drops the sessions left without visits, unless fixed (the order of the
 * others kept). */
void wplan_drop_empty(struct wplan *w);
/* A deep copy of w into out (overwritten). Returns 0 or ROTA_ENOMEM
 * (out is then empty). */
int wplan_copy(const struct wplan *w, struct wplan *out);

/* Rule 7's lexicographic order on two level vectors of part m (values of
 * wplan_levels): < 0 when a is better, 0 when equal. */
int wplan_levels_cmp(const struct mcomp *m, const double *a, const double *b);

/* Takes count people of visit vi (weight each) out of s; a visit left
 * empty is dropped (the last one moved into its place). */
void wsession_remove_people(struct wsession *s, size_t vi, int count, double weight);
/* Session s of part m holds people of unit (a campaign index). */
bool wsession_has_unit(const struct mcomp *m, const struct wsession *s, size_t unit);
/* Appends an empty session; returns its index or -1 when out of memory. */
int wplan_add(struct wplan *w, size_t team, size_t site, int date, enum slot_kind kind,
	      bool fixed, double share);
int wsession_add(struct wsession *s, size_t row, int count, double weight);
/* Expected load of one person of row in a session of team (local). */
double mcomp_weight(const struct mcomp *m, size_t row, size_t team);

/* Objective levels (campaign-v1 rule 7, revision 2) of a part, in order:
 * deadline-p1..pL, served-p1..pL, extra-sessions, person-minutes (with
 * the invitations), earliness-p1..pL. l is a priority level (0: the most
 * urgent). */
static inline int lv_count(int nlevels) { return 3 * nlevels + 2; }
static inline int lv_deadline(int l) { return l; }
static inline int lv_served(int nlevels, int l) { return nlevels + l; }
static inline int lv_extra(int nlevels) { return 2 * nlevels; }
static inline int lv_minutes(int nlevels) { return 2 * nlevels + 1; }
static inline int lv_early(int nlevels, int l) { return 2 * nlevels + 2 + l; }
/* Name of level i ("deadline-p1", ..., "earliness-p1", ...) into
 * out[48]; true when the level is maximised. */
bool lv_describe(const struct campaign *c, int i, char *out, size_t size);

/* Invitations of a dated session: its distinct units. */
int wsession_units(const struct mcomp *m, const struct wsession *s);

/* The value of every level for a dated plan of part m, into v[lv_count]. */
void wplan_levels(const struct mcomp *m, const struct wplan *w, double *v);

/* Places m's fixed sessions (empty) into an empty w. Returns 0 or ROTA_ENOMEM. */
int wplan_place_fixed(const struct mcomp *m, struct wplan *w);
/* Earliest-deadline-first greedy: serves what w leaves unserved, first by
 * the deadlines level by level, then at all, filling open sessions before
 * opening new ones (day before extra, own site first). Keeps rules 1-6.
 * Returns 0 or ROTA_ENOMEM. */
int greedy_fill(const struct mcomp *m, struct wplan *w);

/* Earliness without losing anything else: moves people into earlier
 * sessions where they cost no more travel, drops sessions left empty,
 * and re-dates the sessions by a minimum-cost flow (the fullest first,
 * within each session's window, weekly limits kept), until nothing
 * improves. Returns 0 or ROTA_ENOMEM. */
int wplan_improve_dates(const struct mcomp *m, struct wplan *w);

/* Dates every session that is not fixed on a slot its team still has
 * (team_kinds_on: m->blocked), within the weekly room left
 * (m->extra_used), everyone in time for a deadline kept in time, at the
 * least people x days: the same sessions, visits and people, so every
 * level but earliness keeps its value. *dated says whether every session
 * found such a date; when not, the dates are as they were. Returns 0 or
 * ROTA_ENOMEM. */
int wplan_redate_free(const struct mcomp *m, struct wplan *w, bool *dated);

/* The aggregated model of a part. */
struct mperiod {
	int first, last;       /* dates */
	int week;              /* week index when inside one ISO week, else -1 */
};

struct mcell {                 /* sessions of one team at one site in one period and kind */
	int team, period;      /* local team */
	int group;             /* rank group (fine model), or -1 */
	size_t site;           /* campaign index */
	enum slot_kind kind;
	int nfixed, ub;        /* fixed sessions in it; most free sessions */
	double share, cost;
	int first_date;        /* earliest date a session of it can have */
	int col;
	double *cw; int ncls;  /* weights of its visits' classes, heaviest first */
	int *visits; int nvisits; /* indices into model.visits, by row */
	int inv0, ninv;        /* its invitations: model.invites[inv0, inv0 + ninv) */
};

/* Invitations of one unit to the sessions of one cell (rule 7.4): z,
 * the sessions of the cell where the unit's people are (coarse model). */
struct minvite {
	size_t unit;           /* campaign index */
	int cell, col;
	int most;              /* most of the unit's people one session takes */
};

struct mvisit {                /* people of one row in one cell */
	int row, cell, col, ub;
	int cls;               /* weight class in the cell's rank group */
	int ccls;              /* weight class in its cell */
	double weight;
};

/* The dates that one team's sessions of one kind can take in a period of
 * the fine model, in order ("ranks"), and the people of each weight class
 * given to each rank: a relaxation that prices the order of the sessions
 * inside the period (docs/model.md, earliness). */
struct mgroup {
	int team, period;
	enum slot_kind kind;
	int *dates; int ndates;
	double *cw; int nclass;  /* weights of the classes */
	int *clevel;             /* [nclass]: priority level of each class */
	double share_max;
	int col0;                /* q[r][j] is column col0 + r * nclass + j; -1: none */
};

/* Sessions of one team at one site in one kind over all periods: an
 * integer column that branching can use. */
struct magg {
	int team;
	size_t site;
	enum slot_kind kind;
	int col, nfixed;
};

struct mentry {
	int row, col;
	double val;
};

struct model {
	const struct mcomp *comp;
	bool fine;
	int horizon;
	struct mperiod *periods; int nperiods;
	int *period_of;        /* [c->ndays] */
	struct mcell *cells; int ncells;
	struct mvisit *visits; int nvisits;
	struct mgroup *groups; int ngroups;
	struct magg *aggs; int naggs;
	struct minvite *invites; int ninvites;
	/* Columns: y of the cells, x of the visits, Y of the aggregates
	 * ([0, nint): integers), then z of the invitations (continuous: a
	 * relaxation, docs/model.md) and the ranks' q. */
	int ncols, nint;
	double *col_ub;        /* [ncols]; every column is >= 0; HUGE_VAL: no bound */
	/* constraints: row i is sum(entries) <= rhs[i] (sense 'L'), >= ('G') or = ('E');
	 * 'l' is a <= row kept aside until a solution breaks it (lazy) */
	char *sense; double *rhs; int nrows, alloc_rows;
	struct mentry *ents; size_t nents, alloc_ents;
	int nlv;
	double *obj;           /* [nlv * ncols] */
	double *obj_const;     /* [nlv]: fixed sessions' share of each level */
	int *cell_of;          /* [nteams * nsites * nperiods * SLOT_COUNT] or -1 */
};

/* Builds the model of part m: coarse periods (cut only where a group's
 * window, a deadline or a site closure changes) when !fine; when fine,
 * also ISO weeks up to the week of date `horizon`, with the order of the
 * sessions inside each week priced (earliness). Returns 0 or ROTA_ENOMEM. */
int model_build(struct model *out, const struct mcomp *m, bool fine, int horizon);
void model_release(struct model *mo);

/* The point of the model that the dated plan w is (w must keep rules 1-6):
 * x[ncols]. */
void model_point(const struct model *mo, const struct wplan *w, double *x);
/* Makes the people columns of x whole, given whole session columns:
 * rounds down, then gives each demand row back the people it had in
 * total, one at a time, where a cell's sessions still hold them whole
 * (fractional parts first). Returns 0 or ROTA_ENOMEM. */
int model_round_people(const struct model *mo, double *x);
/* Value of level i at point x, constants included. */
double model_value(const struct model *mo, int i, const double *x);
/* Turns an integer point of the model into dated sessions, appended to
 * an empty w (fixed sessions included); people that do not fit whole into
 * a session are left out (greedy_fill serves them afterwards). Returns 0
 * or ROTA_ENOMEM. */
int model_disaggregate(const struct model *mo, const double *x, struct wplan *w);

#endif
