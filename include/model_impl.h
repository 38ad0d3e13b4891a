/*
 * model_impl.h - what the files of the model share and nothing else uses:
 * mcomp.c (parts), wplan.c (dated plans), greedy.c, redate.c, hull.c,
 * model.c (the aggregated model) and disagg.c. See model.h.
 */
#ifndef ROTA_MODEL_IMPL_H
#define ROTA_MODEL_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "campaign.h"
#include "model.h"

/* The extra slot kinds, whose sessions count against a team's weekly
 * limit (rule 3). */
enum { NEXTRA = 3 };
extern const enum slot_kind extra_kinds[NEXTRA];

/* mcomp.c: the slot kinds team (local) may still work on date; the
 * week index of date from m->week0. */
slot_set team_kinds_on(const struct mcomp *m, size_t team, int date);
int week_of(const struct mcomp *m, int date);
/* wplan.c: how many people of weight w (at most want) still fit in a
 * session of the given share that holds load already. */
int fit_count(double load, double w, double share, int want);
/* greedy.c: the weekly extra limit of team (local); whether row may use
 * site; whether row may join session s (site, kind, date, window). */
int max_extra(const struct mcomp *m, size_t team);
bool row_has_site(const struct mrow *r, size_t site);
bool row_may_join(const struct mcomp *m, size_t row, const struct wsession *s);
/* model.c: the index of a cell into mo->cell_of; for each team (local)
 * and day, the kinds it may hold a free session in ([nteams * ndays],
 * caller frees); each team's extra sessions left per week ([nteams *
 * nweeks], caller frees). NULL when out of memory. */
size_t cell_key(const struct model *mo, size_t team, size_t site_l, int period, int kind);
unsigned char *free_kinds(const struct mcomp *m);
int *week_room(const struct mcomp *m);

/* hull.c */
/* Whole people of two weight classes that fit in one session: the
 * integer hull of { (a, b) : a wa + b wb <= share }, as its upper-right
 * facets fa a + fb b <= fc with whole coefficients (docs/model.md). */
enum { HULL_MAX_FACETS = 64 };

struct hull2 {
	double wa, wb, share;
	int amax, bmax;
	int nf;
	long fa[HULL_MAX_FACETS], fb[HULL_MAX_FACETS], fc[HULL_MAX_FACETS];
};
/* The most people of class b that fit beside a of class a. */
int hull_bmax(const struct hull2 *h, int a);
/* Returns 0 or ROTA_ENOMEM. */
int hull2_build(struct hull2 *h, double wa, double wb, double share);
/* (A, B) people can be shared out among k sessions. */
bool hull2_fits(const struct hull2 *h, long A, long B, long k);
/* The Chvátal-Gomory row of one session with lambda = mult / w[j]:
 * sum floor(lambda w_i) a_i <= floor(lambda share), valid for whole
 * people a_i of weights w[0 .. m) that fit one session of the share.
 * Fills coef[0 .. m) and *rhs; returns whether it rounds anything (else
 * it is the capacity row again). */
bool hull_cg_row(const double *w, int m, double share, int j, int mult, double *coef, double *rhs);

/* pack.c */
/* How many people of each weight w[0 .. m) (heaviest first, n[j] of
 * weight j) each of nb sessions of the share takes, all of them whole:
 * take[b * m + j]. A search of at most nodes steps, bins alike taken in
 * order. Returns 1 if found, 0 if there is no way or the search gave
 * up, or ROTA_ENOMEM. */
int pack_counts(const double *w, const int *n, int m, double share, int nb, long nodes, int *take);

#endif
