/* model.c - the aggregated model of a part (model_build), its points and
 * values, and whole people from a fractional point (model.h,
 * docs/model.md). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "dayset.h"
#include "model.h"
#include "model_impl.h"
#include "timebox.h"
#include "util.h"
#include "banned.h"

const enum slot_kind extra_kinds[NEXTRA] = { SLOT_EVENING, SLOT_WEEKEND, SLOT_HOLIDAY };

/* Set when the thread's time limit (timebox.h) ran out while a model was
 * built: model_build then drops it. */
static _Thread_local bool build_gave_up;
/* The most sets of closed days (the intersections of the sites'
 * closures) for which the coarse model keeps closures inside its periods. */
enum { CLOSURE_SETS = 15 };
/* Chvátal-Gomory rows of cells with three weight classes or more
 * (add_cg_rows): the multipliers m of one class's weight, and the most
 * classes a cell may have for them. */
enum { CG_MULTIPLIERS = 12, MAX_CG_CLASSES = 32 };
/* Rows between two looks at the clock. */
enum { BUILD_CLOCK_ROWS = 1024 };

static int add_row(struct model *mo, char sense, double rhs)
{
	if (mo->nrows % BUILD_CLOCK_ROWS == BUILD_CLOCK_ROWS - 1 && timebox_over()) {
		build_gave_up = true;
		return -1;
	}
	if (mo->nrows == mo->alloc_rows) {
		int n = mo->alloc_rows ? 2 * mo->alloc_rows : 1024;
		char *s = xrealloc_array(mo->sense, (size_t)n, sizeof(char));
		double *r;

		if (!s)
			return -1;
		mo->sense = s;
		r = xrealloc_array(mo->rhs, (size_t)n, sizeof(double));
		if (!r)
			return -1;
		mo->rhs = r;
		mo->alloc_rows = n;
	}
	mo->sense[mo->nrows] = sense;
	mo->rhs[mo->nrows] = rhs;
	return mo->nrows++;
}

static int add_ent(struct model *mo, int row, int col, double val)
{
	if (grow_array(&mo->ents, &mo->alloc_ents, mo->nents + 1, sizeof(*mo->ents)))
		return -1;
	mo->ents[mo->nents++] = (struct mentry){ .row = row, .col = col, .val = val };
	return 0;
}

void model_release(struct model *mo)
{
	for (int i = 0; i < mo->ncells; i++) {
		free(mo->cells[i].visits);
		free(mo->cells[i].cw);
	}
	for (int i = 0; i < mo->ngroups; i++) {
		free(mo->groups[i].dates);
		free(mo->groups[i].cw);
		free(mo->groups[i].clevel);
	}
	free(mo->invites);
	free(mo->groups);
	free(mo->aggs);
	free(mo->periods);
	free(mo->period_of);
	free(mo->cells);
	free(mo->visits);
	free(mo->col_ub);
	free(mo->sense);
	free(mo->rhs);
	free(mo->ents);
	free(mo->obj);
	free(mo->obj_const);
	free(mo->cell_of);
	memset(mo, 0, sizeof(*mo));
}

size_t cell_key(const struct model *mo, size_t team, size_t site_l, int period, int kind)
{
	const struct mcomp *m = mo->comp;

	return ((team * m->nsites + site_l) * (size_t)mo->nperiods + (size_t)period) * SLOT_COUNT +
	       (size_t)kind;
}

/* Whether the model keeps the closures of part m's sites inside its
 * periods (1, else 0, or ROTA_ENOMEM): when the intersections of their
 * closed days are at most CLOSURE_SETS sets, which bounds the team rows
 * (add_team_rows). Cut at
 * every closure instead, every site's periods multiply: one generated
 * commune of 34 sites and 9 closures had 43 periods against 5
 * (docs/model.md, sections 2 and 4). */
static int closures_inside(const struct mcomp *m)
{
	const struct campaign *c = m->c;
	struct dayset_family f;
	uint64_t *set;
	bool ok = true;

	if (dayset_family_init(&f, c->ndays, CLOSURE_SETS))
		return ROTA_ENOMEM;
	set = xcalloc_array((size_t)f.words, sizeof(uint64_t));
	if (!set) {
		dayset_family_release(&f);
		return ROTA_ENOMEM;
	}
	for (size_t s = 0; s < m->nsites && ok; s++) {
		const struct date_ranges *cl = &c->sites[m->sites[s]].closed;

		memset(set, 0, (size_t)f.words * sizeof(uint64_t));
		for (size_t i = 0; i < cl->count; i++) {
			int first = cl->items[i].first > c->start ? cl->items[i].first : c->start;
			int last = cl->items[i].last < c->end ? cl->items[i].last : c->end;

			for (int d = first; d <= last; d++)
				dayset_put(set, d - c->start);
		}
		ok = dayset_family_add(&f, set);
	}
	ok = ok && dayset_family_close(&f);
	free(set);
	dayset_family_release(&f);
	return ok ? 1 : 0;
}

/* Cuts the campaign into periods; see docs/model.md. */
static int build_periods(struct model *mo)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	int nd = c->ndays;
	int inside = closures_inside(m), n = 0;
	unsigned char *cut;

	if (inside < 0)
		return inside;
	cut = xcalloc_array((size_t)nd + 1, 1);
	if (!cut)
		return ROTA_ENOMEM;
#define CUT(date)                                                   \
	do {                                                        \
		int cut_d = (date);                                 \
		if (cut_d > c->start && cut_d <= c->end)            \
			cut[cut_d - c->start] = 1;                  \
	} while (0)
	cut[0] = cut[nd] = 1;
	for (size_t r = 0; r < m->nrows; r++) {
		CUT(m->rows[r].from);
		CUT(m->rows[r].deadline + 1);
	}
	if (!inside)
		for (size_t s = 0; s < m->nsites; s++) {
			const struct date_ranges *cl = &c->sites[m->sites[s]].closed;

			for (size_t i = 0; i < cl->count; i++) {
				CUT(cl->items[i].first);
				CUT(cl->items[i].last + 1);
			}
		}
	if (mo->fine)
		for (int d = c->start; d <= c->end && d <= mo->horizon + 7; d++)
			if (date_weekday(d) == 0)
				CUT(d);
	/* A cut inside a week makes the whole week a run of pieces. */
	for (int i = 0; i <= nd; i++) {
		int d = c->start + i;

		if (cut[i] && date_weekday(d) != 0) {
			CUT(date_week_monday(d));
			CUT(date_week_monday(d) + 7);
		}
	}
#undef CUT
	for (int i = 0; i < nd; i++)
		n += cut[i];
	mo->periods = xcalloc_array((size_t)n, sizeof(*mo->periods));
	mo->period_of = xcalloc_array((size_t)nd, sizeof(int));
	if (!mo->periods || !mo->period_of) {
		free(cut);
		return ROTA_ENOMEM;
	}
	mo->nperiods = 0;
	for (int i = 0; i < nd; i++) {
		struct mperiod *p;

		if (cut[i]) {
			p = &mo->periods[mo->nperiods++];
			p->first = c->start + i;
		}
		p = &mo->periods[mo->nperiods - 1];
		p->last = c->start + i;
		mo->period_of[i] = mo->nperiods - 1;
	}
	for (int i = 0; i < mo->nperiods; i++) {
		struct mperiod *p = &mo->periods[i];

		p->week = date_week_monday(p->first) == date_week_monday(p->last)
				  ? week_of(m, p->first)
				  : -1;
	}
	free(cut);
	return ROTA_OK;
}

/* Per team and date, the kinds still free for new sessions (team_kinds_on
 * less the fixed sessions of the part). */
unsigned char *free_kinds(const struct mcomp *m)
{
	const struct campaign *c = m->c;
	unsigned char *fk = xcalloc_array(m->nteams * (size_t)c->ndays, 1);

	if (!fk)
		return NULL;
	for (size_t t = 0; t < m->nteams; t++)
		for (int d = c->start; d <= c->end; d++)
			fk[t * (size_t)c->ndays + (size_t)(d - c->start)] =
				(unsigned char)team_kinds_on(m, t, d);
	for (size_t f = 0; f < m->nfixed; f++)
		fk[m->fixed[f].team * (size_t)c->ndays + (size_t)(m->fixed[f].date - c->start)] &=
			(unsigned char)~SLOT_BIT(m->fixed[f].kind);
	return fk;
}

/* Extra sessions team may still add in week w: the limit less what other
 * parts and this part's fixed sessions use. */
int *week_room(const struct mcomp *m)
{
	int *room = xcalloc_array(m->nteams * (size_t)m->nweeks, sizeof(int));

	if (!room)
		return NULL;
	for (size_t t = 0; t < m->nteams; t++)
		for (int w = 0; w < m->nweeks; w++)
			room[t * (size_t)m->nweeks + (size_t)w] =
				max_extra(m, t) - m->extra_used[t * (size_t)m->nweeks + (size_t)w];
	for (size_t f = 0; f < m->nfixed; f++)
		if (slot_kind_is_extra(m->fixed[f].kind))
			room[m->fixed[f].team * (size_t)m->nweeks +
			     (size_t)week_of(m, m->fixed[f].date)]--;
	for (size_t i = 0; i < m->nteams * (size_t)m->nweeks; i++)
		if (room[i] < 0)
			room[i] = 0;
	return room;
}

static int find_visit(const struct model *mo, const struct mcell *cl, size_t row);

static int build_aggs(struct model *mo)
{
	size_t alloc = 0;

	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];
		int n = 0, a, nfixed = 0;

		for (a = 0; a < mo->naggs; a++)
			if (mo->aggs[a].team == cl->team && mo->aggs[a].site == cl->site &&
			    mo->aggs[a].kind == cl->kind)
				break;
		if (a < mo->naggs || cl->ub == 0)
			continue;
		for (int j = i; j < mo->ncells; j++)
			if (mo->cells[j].team == cl->team && mo->cells[j].site == cl->site &&
			    mo->cells[j].kind == cl->kind) {
				n += mo->cells[j].ub > 0;
				nfixed += mo->cells[j].nfixed;
			}
		if (n < 2)
			continue;
		if (grow_array(&mo->aggs, &alloc, (size_t)mo->naggs + 1, sizeof(*mo->aggs)))
			return ROTA_ENOMEM;
		mo->aggs[mo->naggs++] = (struct magg){ .team = cl->team, .site = cl->site,
						       .kind = cl->kind, .col = -1, .nfixed = nfixed };
	}
	return ROTA_OK;
}

/* The residual capacity row of an aggregate (or of cell ci when ag is
 * NULL): with D the most load its people could bring, C one session's
 * share, k = ceil(D / C) and r = D - (k - 1) C, load <= D - r (k - Y - F)
 * holds for every whole Y and is the convex hull of the site alone. */
static int add_residual(struct model *mo, const struct magg *ag, int ci)
{
	const struct mcomp *m = mo->comp;
	double D = 0.0, C = 0.0, k, r;
	int F = 0, ycol, row;
	double *rowload = xcalloc_array(m->nrows + 1, sizeof(double));

	if (!rowload)
		return ROTA_ENOMEM;
	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];

		if (ag ? (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind)
		       : i != ci)
			continue;
		C = cl->share;
		F += cl->nfixed;
		for (int v = 0; v < cl->nvisits; v++) {
			const struct mvisit *mv = &mo->visits[cl->visits[v]];

			rowload[mv->row] += mv->ub * mv->weight;
		}
	}
	for (size_t r0 = 0; r0 < m->nrows; r0++) {
		double most = m->rows[r0].count * (rowload[r0] > 0 ? 1.0 : 0.0);
		double w = mcomp_weight(m, r0, (size_t)(ag ? ag->team : mo->cells[ci].team));

		if (most * w < rowload[r0])
			rowload[r0] = most * w;
		D += rowload[r0];
	}
	free(rowload);
	if (C <= 0.0 || D <= C * F + 1e-9)
		return ROTA_OK;
	k = ceil(D / C - 1e-9);
	r = D - (k - 1.0) * C;
	if (r >= C - 1e-9 || k <= F)
		return ROTA_OK; /* nothing to cut */
	ycol = ag ? ag->col : mo->cells[ci].col;
	if ((row = add_row(mo, 'L', D - r * k + r * F)) < 0 || add_ent(mo, row, ycol, -r))
		return ROTA_ENOMEM;
	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];

		if (ag ? (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind)
		       : i != ci)
			continue;
		for (int v = 0; v < cl->nvisits; v++) {
			const struct mvisit *mv = &mo->visits[cl->visits[v]];

			if (add_ent(mo, row, mv->col, mv->weight))
				return ROTA_ENOMEM;
		}
	}
	return ROTA_OK;
}

/* Groups the cells of one team, period and kind of the fine model, with
 * the dates they may take and the weight classes of their people. */
static int build_groups(struct model *mo, const unsigned char *fk)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	size_t nkeys = m->nteams * (size_t)mo->nperiods * SLOT_COUNT;
	int *group_of = xcalloc_array(nkeys, sizeof(int));
	size_t alloc = 0;

	if (!group_of)
		return ROTA_ENOMEM;
	for (size_t i = 0; i < nkeys; i++)
		group_of[i] = -1;
	for (int i = 0; i < mo->ncells; i++) {
		struct mcell *cl = &mo->cells[i];
		size_t key = ((size_t)cl->team * (size_t)mo->nperiods + (size_t)cl->period) *
				     SLOT_COUNT + (size_t)cl->kind;
		struct mgroup *g;

		if (group_of[key] < 0) {
			const struct mperiod *pp = &mo->periods[cl->period];

			if (grow_array(&mo->groups, &alloc, (size_t)mo->ngroups + 1, sizeof(*mo->groups)))
				goto fail;
			g = &mo->groups[mo->ngroups];
			memset(g, 0, sizeof(*g));
			g->team = cl->team;
			g->period = cl->period;
			g->kind = cl->kind;
			g->dates = xcalloc_array((size_t)(pp->last - pp->first + 1), sizeof(int));
			g->cw = xcalloc_array((size_t)mo->nvisits + 1, sizeof(double));
			g->clevel = xcalloc_array((size_t)mo->nvisits + 1, sizeof(int));
			if (!g->dates || !g->cw || !g->clevel) {
				free(g->dates);
				free(g->cw);
				free(g->clevel);
				goto fail;
			}
			for (int d = pp->first; d <= pp->last; d++) {
				bool ok = fk[(size_t)cl->team * (size_t)c->ndays + (size_t)(d - c->start)] &
					  SLOT_BIT(cl->kind);

				for (size_t f = 0; f < m->nfixed && !ok; f++)
					ok = m->fixed[f].team == (size_t)cl->team && m->fixed[f].date == d &&
					     m->fixed[f].kind == cl->kind;
				if (ok)
					g->dates[g->ndates++] = d;
			}
			group_of[key] = mo->ngroups++;
		}
		cl->group = group_of[key];
		g = &mo->groups[cl->group];
		if (cl->share > g->share_max)
			g->share_max = cl->share;
		for (int v = 0; v < cl->nvisits; v++) {
			struct mvisit *mv = &mo->visits[cl->visits[v]];
			int j;

			int lvl = m->rows[mv->row].level;

			/* A class is a weight and a priority level: each level's
			 * earliness is priced on its own ranks. */
			for (j = 0; j < g->nclass; j++)
				if (fabs(g->cw[j] - mv->weight) <= 1e-12 * mv->weight &&
				    g->clevel[j] == lvl)
					break;
			if (j == g->nclass) {
				g->clevel[g->nclass] = lvl;
				g->cw[g->nclass++] = mv->weight;
			}
			mv->cls = j;
		}
	}
	/* A group with one date needs no ranks; neither does a long tail. */
	for (int g = 0; g < mo->ngroups; g++)
		mo->groups[g].col0 =
			mo->groups[g].ndates >= 2 && mo->groups[g].ndates <= 7 && mo->groups[g].nclass > 0
				? 0
				: -1;
	free(group_of);
	return ROTA_OK;
fail:
	free(group_of);
	return ROTA_ENOMEM;
}

/* Cells (team, site, period, kind) that can hold a session, and their
 * visits (demand rows that may come to them). */
static int build_cells(struct model *mo, const unsigned char *fk)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	int nd = c->ndays;
	size_t alloc_cells = 0, alloc_visits = 0;

	for (size_t t = 0; t < m->nteams; t++) {
		size_t ct = m->teams[t];

		for (size_t sl = 0; sl < m->nsites; sl++) {
			size_t s = m->sites[sl];

			if (!team_reaches_site(c, ct, s))
				continue;
			/* Teams × sites × periods × rows: long on a large part. */
			if (timebox_over()) {
				build_gave_up = true;
				return ROTA_ENOMEM;
			}
			for (int p = 0; p < mo->nperiods; p++) {
				const struct mperiod *pp = &mo->periods[p];

				for (int k = 0; k < SLOT_COUNT; k++) {
					struct mcell cell = { .team = (int)t, .period = p, .site = s,
							      .kind = (enum slot_kind)k,
							      .first_date = pp->last + 1 };
					int nv_before = mo->nvisits;

					if (!(c->teams[ct].slots & c->sites[s].slots & SLOT_BIT(k)))
						continue;
					for (int d = pp->first; d <= pp->last; d++) {
						bool is_free = fk[t * (size_t)nd + (size_t)(d - c->start)] &
							       SLOT_BIT(k);
						bool is_fixed = false;

						for (size_t f = 0; f < m->nfixed; f++)
							if (m->fixed[f].team == t && m->fixed[f].site == s &&
							    m->fixed[f].date == d && (int)m->fixed[f].kind == k)
								is_fixed = true;
						if (is_fixed)
							cell.nfixed++;
						else if (!is_free ||
							 !session_possible(c, ct, s, d, (enum slot_kind)k))
							continue;
						else
							cell.ub++;
						if (d < cell.first_date)
							cell.first_date = d;
					}
					if (cell.ub + cell.nfixed == 0)
						continue;
					cell.share = session_capacity_share(c, ct, s, (enum slot_kind)k);
					cell.cost = session_cost_minutes(c, ct, s, (enum slot_kind)k);
					for (size_t r = 0; r < m->nrows; r++) {
						const struct mrow *row = &m->rows[r];
						struct mvisit v;
						double fitn;

						if (!row_has_site(row, s) ||
						    !visit_allowed(c, row->unit, row->demand, ct, s, pp->first,
								   (enum slot_kind)k))
							continue;
						v.row = (int)r;
						v.cell = mo->ncells;
						v.weight = mcomp_weight(m, r, t);
						fitn = floor(cell.share / v.weight + MODEL_LOAD_EPS);
						if (fitn < 1)
							continue;
						v.ub = row->count;
						if (fitn * (cell.ub + cell.nfixed) < v.ub)
							v.ub = (int)(fitn * (cell.ub + cell.nfixed));
						if (grow_array(&mo->visits, &alloc_visits, (size_t)mo->nvisits + 1,
							       sizeof(*mo->visits)))
							return ROTA_ENOMEM;
						mo->visits[mo->nvisits++] = v;
					}
					if (mo->nvisits == nv_before && cell.nfixed == 0)
						continue;
					cell.nvisits = mo->nvisits - nv_before;
					cell.visits = xcalloc_array((size_t)cell.nvisits, sizeof(int));
					if (!cell.visits)
						return ROTA_ENOMEM;
					for (int i = 0; i < cell.nvisits; i++)
						cell.visits[i] = nv_before + i;
					if (grow_array(&mo->cells, &alloc_cells, (size_t)mo->ncells + 1,
						       sizeof(*mo->cells))) {
						free(cell.visits);
						return ROTA_ENOMEM;
					}
					mo->cell_of[cell_key(mo, t, sl, p, k)] = mo->ncells;
					mo->cells[mo->ncells++] = cell;
				}
			}
		}
	}
	return ROTA_OK;
}

/* Weight classes of each cell, heaviest first. */
static int build_classes(struct model *mo)
{
	for (int i = 0; i < mo->ncells; i++) {
		struct mcell *cl = &mo->cells[i];

		cl->cw = xcalloc_array((size_t)cl->nvisits + 1, sizeof(double));
		if (!cl->cw)
			return ROTA_ENOMEM;
		for (int v = 0; v < cl->nvisits; v++) {
			double w = mo->visits[cl->visits[v]].weight;
			int j = 0;

			while (j < cl->ncls && fabs(cl->cw[j] - w) > 1e-12 * w)
				j++;
			if (j == cl->ncls)
				cl->cw[cl->ncls++] = w;
		}
		for (int a = 1; a < cl->ncls; a++)
			for (int b = a; b > 0 && cl->cw[b] > cl->cw[b - 1]; b--) {
				double t = cl->cw[b];

				cl->cw[b] = cl->cw[b - 1];
				cl->cw[b - 1] = t;
			}
		for (int v = 0; v < cl->nvisits; v++) {
			struct mvisit *mv = &mo->visits[cl->visits[v]];

			for (int j = 0; j < cl->ncls; j++)
				if (fabs(cl->cw[j] - mv->weight) <= 1e-12 * mv->weight)
					mv->ccls = j;
		}
	}
	return ROTA_OK;
}

/* The invitations of each cell: one per unit with a visit in it, in the
 * order of the units' first visits. */
static int build_invites(struct model *mo)
{
	const struct mcomp *m = mo->comp;
	size_t alloc = 0;

	for (int i = 0; i < mo->ncells; i++) {
		struct mcell *cl = &mo->cells[i];

		cl->inv0 = mo->ninvites;
		for (int v = 0; v < cl->nvisits; v++) {
			const struct mvisit *mv = &mo->visits[cl->visits[v]];
			size_t u = m->rows[mv->row].unit;
			struct minvite *iv = NULL;
			int fit;

			for (int k = cl->inv0; k < mo->ninvites && !iv; k++)
				if (mo->invites[k].unit == u)
					iv = &mo->invites[k];
			if (!iv) {
				if (grow_array(&mo->invites, &alloc, (size_t)mo->ninvites + 1,
					       sizeof(*mo->invites)))
					return ROTA_ENOMEM;
				iv = &mo->invites[mo->ninvites++];
				*iv = (struct minvite){ .unit = u, .cell = i, .col = -1, .most = 0 };
			}
			/* One session takes of each row at most its people and what
			 * fits of them alone, and of the unit at most what fits at
			 * its lightest weight (below). */
			fit = fit_count(0.0, mv->weight, cl->share, m->rows[mv->row].count);
			iv->most += fit;
		}
		cl->ninv = mo->ninvites - cl->inv0;
		for (int k = cl->inv0; k < mo->ninvites; k++) {
			double wmin = HUGE_VAL;
			int fit;

			for (int v = 0; v < cl->nvisits; v++) {
				const struct mvisit *mv = &mo->visits[cl->visits[v]];

				if (m->rows[mv->row].unit == mo->invites[k].unit && mv->weight < wmin)
					wmin = mv->weight;
			}
			fit = fit_count(0.0, wmin, cl->share, INT_MAX);
			if (fit < mo->invites[k].most)
				mo->invites[k].most = fit;
		}
	}
	return ROTA_OK;
}

/* Columns: y of each cell, x of each visit, Y of each aggregate, z of
 * each invitation, then the ranks' q; their bounds, and room for the
 * objective. */
static int build_columns(struct model *mo)
{
	mo->nint = mo->ncells + mo->nvisits + mo->naggs;
	mo->ncols = mo->nint + mo->ninvites;
	for (int g = 0; g < mo->ngroups; g++)
		if (mo->groups[g].col0 >= 0) {
			mo->groups[g].col0 = mo->ncols;
			mo->ncols += mo->groups[g].ndates * mo->groups[g].nclass;
		}
	mo->col_ub = xcalloc_array((size_t)mo->ncols, sizeof(double));
	mo->obj = xcalloc_array((size_t)mo->nlv * (size_t)mo->ncols, sizeof(double));
	mo->obj_const = xcalloc_array((size_t)mo->nlv, sizeof(double));
	if (!mo->col_ub || !mo->obj || !mo->obj_const)
		return ROTA_ENOMEM;
	for (int i = 0; i < mo->ncells; i++) {
		mo->cells[i].col = i;
		mo->col_ub[i] = mo->cells[i].ub;
	}
	for (int i = 0; i < mo->nvisits; i++) {
		mo->visits[i].col = mo->ncells + i;
		mo->col_ub[mo->ncells + i] = mo->visits[i].ub;
	}
	for (int a = 0; a < mo->naggs; a++) {
		mo->aggs[a].col = mo->ncells + mo->nvisits + a;
		mo->col_ub[mo->aggs[a].col] = 0;
	}
	for (int i = 0; i < mo->ninvites; i++) {
		const struct mcell *cl = &mo->cells[mo->invites[i].cell];

		mo->invites[i].col = mo->ncells + mo->nvisits + mo->naggs + i;
		mo->col_ub[mo->invites[i].col] = cl->ub + cl->nfixed;
	}
	for (int j = mo->nint + mo->ninvites; j < mo->ncols; j++)
		mo->col_ub[j] = HUGE_VAL;
	return ROTA_OK;
}

/* A unit's people in a cell come in its invitations, each a session of
 * the cell: sum x <= most z, z <= y + F (rule 7.4). */
static int add_invitation_rows(struct model *mo)
{
	const struct mcomp *m = mo->comp;

	for (int i = 0; i < mo->ninvites; i++) {
		const struct minvite *iv = &mo->invites[i];
		const struct mcell *cl = &mo->cells[iv->cell];
		int row;

		if ((row = add_row(mo, 'L', 0.0)) < 0 || add_ent(mo, row, iv->col, -(double)iv->most))
			return ROTA_ENOMEM;
		for (int v = 0; v < cl->nvisits; v++) {
			const struct mvisit *mv = &mo->visits[cl->visits[v]];

			if (m->rows[mv->row].unit == iv->unit && add_ent(mo, row, mv->col, 1.0))
				return ROTA_ENOMEM;
		}
		if (cl->ub > 0 &&
		    ((row = add_row(mo, 'L', cl->nfixed)) < 0 || add_ent(mo, row, iv->col, 1.0) ||
		     add_ent(mo, row, cl->col, -1.0)))
			return ROTA_ENOMEM;
	}
	return ROTA_OK;
}

/* Y = sum of its cells; each row's people in it fit its sessions. */
static int add_aggregate_rows(struct model *mo)
{
	const struct mcomp *m = mo->comp;

	for (int a = 0; a < mo->naggs; a++) {
		struct magg *ag = &mo->aggs[a];
		int row;

		if ((row = add_row(mo, 'E', 0.0)) < 0 || add_ent(mo, row, ag->col, 1.0))
			return ROTA_ENOMEM;
		for (int i = 0; i < mo->ncells; i++) {
			const struct mcell *cl = &mo->cells[i];

			if (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind)
				continue;
			mo->col_ub[ag->col] += cl->ub;
			if (cl->ub > 0 && add_ent(mo, row, cl->col, -1.0))
				return ROTA_ENOMEM;
		}
		for (size_t r = 0; r < m->nrows; r++) {
			double per = 0.0, ub = 0.0;
			int n = 0;

			for (int i = 0; i < mo->ncells; i++) {
				const struct mcell *cl = &mo->cells[i];
				int v;

				if (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind ||
				    (v = find_visit(mo, cl, r)) < 0)
					continue;
				per = floor(cl->share / mo->visits[v].weight + MODEL_LOAD_EPS);
				ub += mo->visits[v].ub;
				n++;
			}
			if (n == 0)
				continue;
			if (per > m->rows[r].count)
				per = m->rows[r].count;
			if (per * ag->nfixed >= ub)
				continue;
			if ((row = add_row(mo, 'L', per * ag->nfixed)) < 0 ||
			    add_ent(mo, row, ag->col, -per))
				return ROTA_ENOMEM;
			for (int i = 0; i < mo->ncells; i++) {
				const struct mcell *cl = &mo->cells[i];
				int v;

				if (cl->team != ag->team || cl->site != ag->site || cl->kind != ag->kind ||
				    (v = find_visit(mo, cl, r)) < 0)
					continue;
				if (add_ent(mo, row, mo->visits[v].col, 1.0))
					return ROTA_ENOMEM;
			}
		}
	}
	return ROTA_OK;
}

/* Ranks: each date holds at most one session's load; every person of a
 * class is on some rank. */
static int add_rank_rows(struct model *mo)
{

	for (int g = 0; g < mo->ngroups; g++) {
		const struct mgroup *gr = &mo->groups[g];
		int row;

		if (gr->col0 < 0)
			continue;
		for (int r = 0; r < gr->ndates; r++) {
			if ((row = add_row(mo, 'L', gr->share_max)) < 0)
				return ROTA_ENOMEM;
			for (int j = 0; j < gr->nclass; j++)
				if (add_ent(mo, row, gr->col0 + r * gr->nclass + j, gr->cw[j]))
					return ROTA_ENOMEM;
		}
		for (int j = 0; j < gr->nclass; j++) {
			if ((row = add_row(mo, 'G', 0.0)) < 0)
				return ROTA_ENOMEM;
			for (int r = 0; r < gr->ndates; r++)
				if (add_ent(mo, row, gr->col0 + r * gr->nclass + j, 1.0))
					return ROTA_ENOMEM;
			for (int i = 0; i < mo->ncells; i++) {
				const struct mcell *cl = &mo->cells[i];

				if (cl->group != g)
					continue;
				for (int v = 0; v < cl->nvisits; v++)
					if (mo->visits[cl->visits[v]].cls == j &&
					    add_ent(mo, row, mo->visits[cl->visits[v]].col, -1.0))
						return ROTA_ENOMEM;
			}
		}
	}
	return ROTA_OK;
}

/* Demand rows: at most the row's people. */
static int add_demand_rows(struct model *mo)
{
	const struct mcomp *m = mo->comp;

	for (size_t r = 0; r < m->nrows; r++) {
		int row = -1;

		for (int i = 0; i < mo->nvisits; i++) {
			if (mo->visits[i].row != (int)r)
				continue;
			if (row < 0 && (row = add_row(mo, 'L', m->rows[r].count)) < 0)
				return ROTA_ENOMEM;
			if (add_ent(mo, row, mo->visits[i].col, 1.0))
				return ROTA_ENOMEM;
		}
	}
	return ROTA_OK;
}

/* Capacity of each cell, and each visit bounded by its cell's sessions. */
static int add_capacity_rows(struct model *mo)
{
	const struct mcomp *m = mo->comp;

	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];
		int caprow, row;

		if (cl->nvisits == 0)
			continue;
		if ((caprow = add_row(mo, 'L', cl->share * cl->nfixed)) < 0 ||
		    add_ent(mo, caprow, cl->col, -cl->share))
			return ROTA_ENOMEM;
		for (int j = 0; j < cl->nvisits; j++) {
			const struct mvisit *v = &mo->visits[cl->visits[j]];

			if (add_ent(mo, caprow, v->col, v->weight))
				return ROTA_ENOMEM;
		}
		for (int j = 0; j < cl->nvisits; j++) {
			const struct mvisit *v = &mo->visits[cl->visits[j]];
			double per = floor(cl->share / v->weight + MODEL_LOAD_EPS);

			if (per > m->rows[v->row].count)
				per = m->rows[v->row].count;
			if (per * cl->nfixed >= v->ub || cl->ub == 0 || mo->fine)
				continue;
			if ((row = add_row(mo, 'L', per * cl->nfixed)) < 0 ||
			    add_ent(mo, row, v->col, 1.0) || add_ent(mo, row, cl->col, -per))
				return ROTA_ENOMEM;
		}
	}
	return ROTA_OK;
}

/* Whole people: per class, and per pair of classes the facets of the
 * integer hull of one session (hull.c), times the sessions. */
static int add_whole_people_rows(struct model *mo)
{

	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];

		for (int j = 0; j < cl->ncls; j++) {
			double per = fit_count(0.0, cl->cw[j], cl->share, INT_MAX);
			int row;

			if ((row = add_row(mo, 'L', per * cl->nfixed)) < 0 ||
			    (cl->ub > 0 && add_ent(mo, row, cl->col, -per)))
				return ROTA_ENOMEM;
			for (int v = 0; v < cl->nvisits; v++)
				if (mo->visits[cl->visits[v]].ccls == j &&
				    add_ent(mo, row, mo->visits[cl->visits[v]].col, 1.0))
					return ROTA_ENOMEM;
		}
		for (int j1 = 0; j1 < cl->ncls; j1++)
			for (int j2 = j1 + 1; j2 < cl->ncls; j2++) {
				struct hull2 h;

				if (hull2_build(&h, cl->cw[j1], cl->cw[j2], cl->share))
					return ROTA_ENOMEM;
				for (int f = 0; f < h.nf; f++) {
					int row;

					if (h.fa[f] <= 0 || h.fb[f] <= 0)
						continue;
					if ((row = add_row(mo, mo->fine ? 'l' : 'L', (double)h.fc[f] * cl->nfixed)) < 0 ||
					    (cl->ub > 0 && add_ent(mo, row, cl->col, -(double)h.fc[f])))
						return ROTA_ENOMEM;
					for (int v = 0; v < cl->nvisits; v++) {
						const struct mvisit *mv = &mo->visits[cl->visits[v]];

						if ((mv->ccls == j1 || mv->ccls == j2) &&
						    add_ent(mo, row, mv->col,
							    (double)(mv->ccls == j1 ? h.fa[f] : h.fb[f])))
							return ROTA_ENOMEM;
					}
				}
			}
	}
	return ROTA_OK;
}

/* Chvátal-Gomory rows of a cell with three weight classes or more, where
 * the pairs' facets do not make whole people exact: for one session,
 * sum w_i a_i <= share gives sum floor(lambda w_i) a_i <= floor(lambda
 * share) for any lambda > 0, and summed over the cell's sessions
 * sum floor(lambda w_i) x_i <= floor(lambda share) (y + F). lambda = m /
 * w_j measures the load in m-ths of one class's person (m = 1 ..
 * CG_MULTIPLIERS). Lazy: added when a point breaks one (docs/model.md,
 * section 4). */
static int add_cg_rows(struct model *mo)
{
	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];

		if (cl->ncls < 3)
			continue;
		for (int j = 0; j < cl->ncls && cl->ncls <= MAX_CG_CLASSES; j++)
			for (int mult = 1; mult <= CG_MULTIPLIERS; mult++) {
				double coef[MAX_CG_CLASSES], rhs;
				int row;

				/* Without rounding it is the capacity row again. */
				if (!hull_cg_row(cl->cw, cl->ncls, cl->share, j, mult, coef, &rhs) ||
				    rhs <= 0)
					continue;
				if ((row = add_row(mo, 'l', rhs * cl->nfixed)) < 0 ||
				    (cl->ub > 0 && add_ent(mo, row, cl->col, -rhs)))
					return ROTA_ENOMEM;
				for (int v = 0; v < cl->nvisits; v++) {
					const struct mvisit *mv = &mo->visits[cl->visits[v]];

					if (coef[mv->ccls] > 0 &&
					    add_ent(mo, row, mv->col, coef[mv->ccls]))
						return ROTA_ENOMEM;
				}
			}
	}
	return ROTA_OK;
}

/* Residual capacity: the last session of a site costs as much as a full
 * one (docs/model.md). One row per aggregate, and per cell that has none. */
static int add_residual_rows(struct model *mo)
{
	for (int a = 0; a < mo->naggs; a++)
		if (add_residual(mo, &mo->aggs[a], -1))
			return ROTA_ENOMEM;
	for (int i = 0; i < mo->ncells; i++) {
		bool in_agg = false;

		for (int a = 0; a < mo->naggs && !in_agg; a++)
			in_agg = mo->aggs[a].team == mo->cells[i].team &&
				 mo->aggs[a].site == mo->cells[i].site && mo->aggs[a].kind == mo->cells[i].kind;
		if (!in_agg && mo->cells[i].ub > 0 && add_residual(mo, NULL, i))
			return ROTA_ENOMEM;
	}
	return ROTA_OK;
}

/* One team, period and kind: the days N of the period the team may take
 * in that kind, and for each site with a cell there the days of N it
 * may not (closed). The sets of sites that Hall's condition needs are
 * S(T) = the sites closed on every day of T, for T empty (every site)
 * or a set of the family: the intersections of the sites' closed days.
 * Candidate 0 is T empty, candidate i >= 1 the family's set i - 1; a
 * candidate with the same sites as one of more days is dropped (its row
 * would be looser). */
struct kind_days {
	int *cells;            /* [nsites]: the cell, or -1 */
	uint64_t *N, *closed;  /* [words], [nsites * words] */
	int nN;
	struct dayset_family fam;
	bool *kept;            /* [fam.n + 1] */
};

static const uint64_t *cand_days(const struct kind_days *kd, int i)
{
	return i == 0 ? NULL : dayset_at(&kd->fam, i - 1);
}

static bool cand_has(const struct kind_days *kd, int i, size_t sl)
{
	return kd->cells[sl] >= 0 &&
	       (i == 0 || dayset_subset(cand_days(kd, i), kd->closed + sl * (size_t)kd->fam.words,
					kd->fam.words));
}

static void kind_days_release(struct kind_days *kd)
{
	free(kd->cells);
	free(kd->N);
	free(kd->closed);
	free(kd->kept);
	dayset_family_release(&kd->fam);
}

/* Fills kd for team t, period p, kind k. Returns 0 or ROTA_ENOMEM. */
static int kind_days_build(const struct model *mo, const unsigned char *fk, size_t t, int p, int k,
			   struct kind_days *kd)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	const struct mperiod *pp = &mo->periods[p];
	int plen = pp->last - pp->first + 1, words;
	int ncand;

	memset(kd, 0, sizeof(*kd));
	/* The family is the image of the part's (closures_inside), so it
	 * holds; the cap is a guard only. */
	if (dayset_family_init(&kd->fam, plen, 4 * CLOSURE_SETS))
		return ROTA_ENOMEM;
	words = kd->fam.words;
	kd->cells = xcalloc_array(m->nsites + 1, sizeof(int));
	kd->N = xcalloc_array((size_t)words, sizeof(uint64_t));
	kd->closed = xcalloc_array((m->nsites + 1) * (size_t)words, sizeof(uint64_t));
	if (!kd->cells || !kd->N || !kd->closed)
		return ROTA_ENOMEM;
	for (int d = pp->first; d <= pp->last; d++)
		if (fk[t * (size_t)c->ndays + (size_t)(d - c->start)] & SLOT_BIT(k)) {
			dayset_put(kd->N, d - pp->first);
			kd->nN++;
		}
	for (size_t sl = 0; sl < m->nsites; sl++) {
		int ci = mo->cell_of[cell_key(mo, t, sl, p, k)];
		uint64_t *x = kd->closed + sl * (size_t)words;

		kd->cells[sl] = ci >= 0 && mo->cells[ci].ub > 0 ? ci : -1;
		if (kd->cells[sl] < 0)
			continue;
		for (int d = pp->first; d <= pp->last; d++)
			if (dayset_has(kd->N, d - pp->first) &&
			    !session_possible(c, m->teams[t], m->sites[sl], d, (enum slot_kind)k))
				dayset_put(x, d - pp->first);
		(void)dayset_family_add(&kd->fam, x);
	}
	(void)dayset_family_close(&kd->fam);
	ncand = kd->fam.n + 1;
	kd->kept = xcalloc_array((size_t)ncand, sizeof(bool));
	if (!kd->kept)
		return ROTA_ENOMEM;
	for (int i = 0; i < ncand; i++) {
		int ni = i ? dayset_count(cand_days(kd, i), words) : 0;

		kd->kept[i] = true;
		for (int j = 0; j < ncand && kd->kept[i]; j++) {
			bool same = true;

			if (j == i || (j ? dayset_count(cand_days(kd, j), words) : 0) <= ni)
				continue;
			for (size_t sl = 0; sl < m->nsites && same; sl++)
				same = cand_has(kd, i, sl) == cand_has(kd, j, sl);
			kd->kept[i] = !same;
		}
	}
	return ROTA_OK;
}

/* The sessions of the sites of candidate i of kind k with ones on row. */
static int add_cand_ents(struct model *mo, const struct kind_days *kd, int i, int row)
{
	for (size_t sl = 0; sl < mo->comp->nsites; sl++)
		if (cand_has(kd, i, sl) && add_ent(mo, row, mo->cells[kd->cells[sl]].col, 1.0))
			return ROTA_ENOMEM;
	return ROTA_OK;
}

static double cand_ub(const struct model *mo, const struct kind_days *kd, int i)
{
	double ub = 0;

	for (size_t sl = 0; sl < mo->comp->nsites; sl++)
		if (cand_has(kd, i, sl))
			ub += mo->cells[kd->cells[sl]].ub;
	return ub;
}

/* One session per team, date and kind (rule 3), as Hall's condition: the
 * sessions of the sites S(T) fit the days of N on which one of them is
 * open, |N| - |T|. */
static int add_hall_rows(struct model *mo, const struct kind_days *kd)
{
	for (int i = 0; i <= kd->fam.n; i++) {
		int rhs, row;

		if (!kd->kept[i])
			continue;
		rhs = kd->nN - (i ? dayset_count(cand_days(kd, i), kd->fam.words) : 0);
		if (cand_ub(mo, kd, i) <= rhs)
			continue;
		if ((row = add_row(mo, 'L', rhs)) < 0 || add_cand_ents(mo, kd, i, row))
			return ROTA_ENOMEM;
	}
	return ROTA_OK;
}

/* A block of whole weeks: the weekly extra limit room[w] (rule 3). For
 * every choice, per extra kind, of none or a candidate set of sites, the
 * sessions chosen fit, week by week, the lesser of the room and the days
 * on which one of their sites is open: the cuts of the flow from sessions
 * to days to weeks, so the rows are exact (docs/model.md, section 4). */
static int add_block_rows(struct model *mo, const struct kind_days *kd, int p, const int *room)
{
	const struct mcomp *m = mo->comp;
	const struct mperiod *pp = &mo->periods[p];
	int radix[NEXTRA], total = 1, w0 = week_of(m, pp->first), w1 = week_of(m, pp->last);

	for (int e = 0; e < NEXTRA; e++) {
		const struct kind_days *ke = &kd[extra_kinds[e]];

		radix[e] = 1;
		for (int i = 0; ke->kept && i <= ke->fam.n; i++)
			radix[e] += ke->kept[i];
		total *= radix[e];
	}
	for (int sel = 1; sel < total; sel++) {
		int digit[NEXTRA], cand[NEXTRA], rest = sel, row;
		double ub = 0, f = 0;

		for (int e = 0; e < NEXTRA; e++) {
			const struct kind_days *ke = &kd[extra_kinds[e]];

			digit[e] = rest % radix[e];
			rest /= radix[e];
			cand[e] = -1;
			for (int i = 0, n = 0; digit[e] > 0 && i <= ke->fam.n; i++)
				if (ke->kept[i] && ++n == digit[e])
					cand[e] = i;
			if (cand[e] >= 0)
				ub += cand_ub(mo, ke, cand[e]);
		}
		for (int w = w0; w <= w1; w++) {
			int from = m->week0 + 7 * w - pp->first, nk = 0;

			for (int e = 0; e < NEXTRA; e++) {
				const struct kind_days *ke = &kd[extra_kinds[e]];

				if (cand[e] < 0)
					continue;
				nk += dayset_count_range(ke->N, from, from + 7);
				if (cand[e] > 0)
					nk -= dayset_count_range(cand_days(ke, cand[e]), from, from + 7);
			}
			f += nk < room[w] ? nk : room[w];
		}
		if (f >= ub)
			continue;
		if ((row = add_row(mo, 'L', f)) < 0)
			return ROTA_ENOMEM;
		for (int e = 0; e < NEXTRA; e++)
			if (cand[e] >= 0 && add_cand_ents(mo, &kd[extra_kinds[e]], cand[e], row))
				return ROTA_ENOMEM;
	}
	return ROTA_OK;
}

/* Weeks cut into pieces: one row per week over its pieces. */
static int add_piece_rows(struct model *mo, size_t t, const int *room)
{
	const struct mcomp *m = mo->comp;
	/* A week has at most seven pieces. */
	int *cells = xcalloc_array(7 * NEXTRA * (m->nsites + 1), sizeof(int)), rc = ROTA_OK;

	if (!cells)
		return ROTA_ENOMEM;
	for (int w = 0; w < m->nweeks && !rc; w++) {
		double ub = 0;
		int n = 0, row;

		for (int p = 0; p < mo->nperiods; p++) {
			if (mo->periods[p].week != w)
				continue;
			for (size_t sl = 0; sl < m->nsites; sl++)
				for (int e = 0; e < NEXTRA; e++) {
					int ci = mo->cell_of[cell_key(mo, t, sl, p, extra_kinds[e])];

					if (ci >= 0 && mo->cells[ci].ub > 0) {
						cells[n++] = ci;
						ub += mo->cells[ci].ub;
					}
				}
		}
		if (ub <= room[w])
			continue;
		if ((row = add_row(mo, 'L', room[w])) < 0)
			rc = ROTA_ENOMEM;
		for (int i = 0; i < n && !rc; i++)
			if (add_ent(mo, row, mo->cells[cells[i]].col, 1.0))
				rc = ROTA_ENOMEM;
	}
	free(cells);
	return rc;
}

/* Team rows: one session per date and kind, weekly extra limit. */
static int add_team_rows(struct model *mo, const unsigned char *fk, const int *room)
{
	const struct mcomp *m = mo->comp;

	for (size_t t = 0; t < m->nteams; t++) {
		const int *rt = room + t * (size_t)m->nweeks;

		for (int p = 0; p < mo->nperiods; p++) {
			struct kind_days kd[SLOT_COUNT];
			int rc = ROTA_OK;

			memset(kd, 0, sizeof(kd));
			for (int k = 0; k < SLOT_COUNT && !rc; k++) {
				rc = kind_days_build(mo, fk, t, p, k, &kd[k]);
				if (!rc)
					rc = add_hall_rows(mo, &kd[k]);
			}
			if (!rc && mo->periods[p].week < 0)
				rc = add_block_rows(mo, kd, p, rt);
			for (int k = 0; k < SLOT_COUNT; k++)
				kind_days_release(&kd[k]);
			if (rc)
				return rc;
		}
		if (add_piece_rows(mo, t, rt))
			return ROTA_ENOMEM;
	}
	return ROTA_OK;
}

/* Objective levels, and the fixed sessions' constants. */
static void set_objective(struct model *mo)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;
	int L = c->nlevels;

	for (int i = 0; i < mo->ncells; i++) {
		const struct mcell *cl = &mo->cells[i];
		double *o = mo->obj;

		if (slot_kind_is_extra(cl->kind)) {
			o[(size_t)lv_extra(L) * (size_t)mo->ncols + (size_t)cl->col] = 1;
			mo->obj_const[lv_extra(L)] += cl->nfixed;
		}
		o[(size_t)lv_minutes(L) * (size_t)mo->ncols + (size_t)cl->col] = cl->cost;
		mo->obj_const[lv_minutes(L)] += cl->cost * cl->nfixed;
	}
	for (size_t f = 0; f < m->nfixed; f++) {
		/* Fixed sessions with no cell (no visit possible) still count. */
		size_t t = m->fixed[f].team, sl = (size_t)m->site_local[m->fixed[f].site];
		int p = mo->period_of[m->fixed[f].date - c->start];

		if (mo->cell_of[cell_key(mo, t, sl, p, m->fixed[f].kind)] >= 0)
			continue;
		if (slot_kind_is_extra(m->fixed[f].kind))
			mo->obj_const[lv_extra(L)] += 1;
		mo->obj_const[lv_minutes(L)] +=
			session_cost_minutes(c, m->teams[t], m->fixed[f].site, m->fixed[f].kind);
	}
	for (int i = 0; i < mo->nvisits; i++) {
		const struct mvisit *v = &mo->visits[i];
		const struct mcell *cl = &mo->cells[v->cell];
		const struct mrow *r = &m->rows[v->row];
		const struct mperiod *pp = &mo->periods[cl->period];
		double *o = mo->obj;
		size_t col = (size_t)v->col, n = (size_t)mo->ncols;

		if (pp->last <= r->deadline)
			o[(size_t)lv_deadline(r->level) * n + col] = 1;
		o[(size_t)lv_served(L, r->level) * n + col] = 1;
		o[(size_t)lv_minutes(L) * n + col] =
			2.0 * campaign_travel(c, c->units[r->unit].site, cl->site);
		o[(size_t)lv_early(L, r->level) * n + col] =
			(cl->group >= 0 ? mo->groups[cl->group].dates[0] : cl->first_date) - c->start;
	}
	for (int i = 0; i < mo->ninvites; i++)
		mo->obj[(size_t)lv_minutes(L) * (size_t)mo->ncols + (size_t)mo->invites[i].col] =
			c->invitation_minutes;
	for (int g = 0; g < mo->ngroups; g++) {
		const struct mgroup *gr = &mo->groups[g];

		if (gr->col0 < 0)
			continue;
		for (int r = 0; r < gr->ndates; r++)
			for (int j = 0; j < gr->nclass; j++)
				mo->obj[(size_t)lv_early(L, gr->clevel[j]) * (size_t)mo->ncols +
					(size_t)(gr->col0 + r * gr->nclass + j)] =
					gr->dates[r] - gr->dates[0];
	}
}

/* Under a time limit (timebox.h) that runs out, gives up: returns 0 with
 * the model empty (released), and the caller, seeing the clock, plans
 * without it. */
int model_build(struct model *mo, const struct mcomp *m, bool fine, int horizon)
{
	const struct campaign *c = m->c;
	unsigned char *fk = NULL;
	int *room = NULL;
	size_t ncellkeys;
	int rc = ROTA_ENOMEM;

	memset(mo, 0, sizeof(*mo));
	build_gave_up = false;
	mo->comp = m;
	mo->fine = fine;
	mo->horizon = horizon;
	mo->nlv = lv_count(c->nlevels);
	if (build_periods(mo))
		goto out;
	if (timebox_over()) {
		build_gave_up = true;
		goto out;
	}
	fk = free_kinds(m);
	room = week_room(m);
	ncellkeys = m->nteams * m->nsites * (size_t)mo->nperiods * SLOT_COUNT;
	mo->cell_of = xcalloc_array(ncellkeys, sizeof(int));
	if (!fk || !room || !mo->cell_of)
		goto out;
	for (size_t i = 0; i < ncellkeys; i++)
		mo->cell_of[i] = -1;
	if (build_cells(mo, fk) || build_classes(mo))
		goto out;
	if (timebox_over()) {
		build_gave_up = true;
		goto out;
	}
	/* Rank groups of the fine model. */
	for (int i = 0; i < mo->ncells; i++)
		mo->cells[i].group = -1;
	if (fine && build_groups(mo, fk))
		goto out;
	/* Aggregates over periods, where a team, site and kind has several.
	 * Invitations: each unit with people who may come to a cell; the
	 * fine model has none: it holds person-minutes without them, at most
	 * the plan's value with them, a relaxation (docs/model.md). */
	if (build_aggs(mo) || (!fine && build_invites(mo)) || build_columns(mo))
		goto out;
	if (timebox_over()) {
		build_gave_up = true;
		goto out;
	}
	if (add_invitation_rows(mo) || add_aggregate_rows(mo) || add_rank_rows(mo) || add_demand_rows(mo) ||
	    add_capacity_rows(mo) || add_whole_people_rows(mo) || add_cg_rows(mo) || add_residual_rows(mo) ||
	    add_team_rows(mo, fk, room))
		goto out;
	set_objective(mo);
	rc = ROTA_OK;
out:
	free(fk);
	free(room);
	if (rc)
		model_release(mo);
	/* Out of time (a time limit): no model, and no error; the caller
	 * sees the clock and keeps its greedy plan. */
	if (build_gave_up)
		rc = ROTA_OK;
	return rc;
}

/* Whole people of each class in cell ci, as counted from x. */
static void cell_class_totals(const struct model *mo, int ci, const double *x, long *tot)
{
	const struct mcell *cl = &mo->cells[ci];

	for (int j = 0; j < cl->ncls; j++)
		tot[j] = 0;
	for (int v = 0; v < cl->nvisits; v++) {
		const struct mvisit *mv = &mo->visits[cl->visits[v]];

		tot[mv->ccls] += llround(x[mv->col]);
	}
}

/* Class totals tot[] fit the whole sessions of cell ci. Out of memory,
 * sets *rc to ROTA_ENOMEM (and says no); *rc is never cleared, so that a
 * loop of questions can check once at its end. */
static bool cell_fits(const struct model *mo, int ci, const double *x, const long *tot, int *rc)
{
	const struct mcell *cl = &mo->cells[ci];
	long n = llround(x[cl->col]) + cl->nfixed;
	double load = 0.0;

	for (int a = 0; a < cl->ncls; a++) {
		if (tot[a] < 0)
			return false;
		load += tot[a] * cl->cw[a];
		if (tot[a] > (long)fit_count(0.0, cl->cw[a], cl->share, INT_MAX) * n)
			return false;
	}
	if (load > cl->share * n + MODEL_LOAD_EPS)
		return false;
	for (int a = 0; a < cl->ncls; a++)
		for (int b = a + 1; b < cl->ncls; b++) {
			struct hull2 h;

			if (tot[a] == 0 || tot[b] == 0)
				continue;
			if (hull2_build(&h, cl->cw[a], cl->cw[b], cl->share)) {
				*rc = ROTA_ENOMEM;
				return false;
			}
			if (!hull2_fits(&h, tot[a], tot[b], n))
				return false;
		}
	return true;
}

/* Cell ci still fits with `add` more of class j and `drop` fewer of class k. */
static bool cell_takes(const struct model *mo, int ci, const double *x, int j, int add, int k,
		       int drop, int *rc)
{
	long tot[64];

	if (mo->cells[ci].ncls > 64)
		return false;
	cell_class_totals(mo, ci, x, tot);
	if (j >= 0)
		tot[j] += add;
	if (k >= 0)
		tot[k] -= drop;
	return cell_fits(mo, ci, x, tot, rc);
}

static bool cell_takes_one(const struct model *mo, int ci, const double *x, int j, int *rc)
{
	return cell_takes(mo, ci, x, j, 1, -1, 0, rc);
}

/* Makes room for one person of visit vi by moving one person of another
 * row out of vi's cell into another cell that person may use. */
static bool swap_in(const struct model *mo, double *x, int vi, int *rc)
{
	const struct mvisit *in = &mo->visits[vi];
	const struct mcell *cl = &mo->cells[in->cell];

	for (int a = 0; a < cl->nvisits; a++) {
		const struct mvisit *out = &mo->visits[cl->visits[a]];

		if (out->row == in->row || x[out->col] < 1 || out->ccls == in->ccls)
			continue;
		if (!cell_takes(mo, in->cell, x, in->ccls, 1, out->ccls, 1, rc))
			continue;
		for (int b = 0; b < mo->nvisits; b++) {
			const struct mvisit *to = &mo->visits[b];

			if (to->row != out->row || to->cell == out->cell || x[to->col] + 1 > to->ub ||
			    !cell_takes_one(mo, to->cell, x, to->ccls, rc))
				continue;
			/* Keep the moved person on the same side of the deadline. */
			if ((mo->periods[mo->cells[to->cell].period].last <=
			     mo->comp->rows[out->row].deadline) !=
			    (mo->periods[mo->cells[out->cell].period].last <=
			     mo->comp->rows[out->row].deadline))
				continue;
			x[out->col] -= 1;
			x[to->col] += 1;
			x[in->col] += 1;
			return true;
		}
	}
	return false;
}

static _Thread_local const double *frac_x;
static _Thread_local const struct model *frac_mo;

static int frac_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	double fa = frac_x[frac_mo->visits[a].col] - floor(frac_x[frac_mo->visits[a].col] + 1e-6);
	double fb = frac_x[frac_mo->visits[b].col] - floor(frac_x[frac_mo->visits[b].col] + 1e-6);

	if (fa != fb)
		return fa > fb ? -1 : 1;
	return (a > b) - (a < b);
}

int model_round_people(const struct model *mo, double *x)
{
	const struct mcomp *m = mo->comp;
	double *orig = xcalloc_array((size_t)mo->ncols, sizeof(double));
	int *order = xcalloc_array((size_t)mo->nvisits + 1, sizeof(int));
	double *target = xcalloc_array(m->nrows + 1, sizeof(double));
	int rc = ROTA_OK;

	if (!orig || !order || !target) {
		free(orig);
		free(order);
		free(target);
		return ROTA_ENOMEM;
	}
	memcpy(orig, x, (size_t)mo->ncols * sizeof(double));
	for (int v = 0; v < mo->nvisits; v++) {
		const struct mvisit *mv = &mo->visits[v];

		target[mv->row] += x[mv->col];
		x[mv->col] = floor(x[mv->col] + 1e-6);
		order[v] = v;
	}
	frac_x = orig;
	frac_mo = mo;
	qsort(order, (size_t)mo->nvisits, sizeof(int), frac_cmp);
	for (size_t r = 0; r < m->nrows; r++) {
		double have = 0.0;
		long want;

		for (int v = 0; v < mo->nvisits; v++)
			if (mo->visits[v].row == (int)r)
				have += x[mo->visits[v].col];
		want = llround(target[r]);
		if (want > m->rows[r].count)
			want = m->rows[r].count;
		/* Two passes: visits the LP had some of this row in, then any. */
		for (int pass = 0; pass < 2 && have < want; pass++)
			for (int k = 0; k < mo->nvisits && have < want; k++) {
				const struct mvisit *mv = &mo->visits[order[k]];

				if (mv->row != (int)r || x[mv->col] + 1 > mv->ub)
					continue;
				if (pass == 0 && orig[mv->col] - x[mv->col] <= 1e-6)
					continue;
				while (have < want && x[mv->col] + 1 <= mv->ub &&
				       (pass == 1 || orig[mv->col] - x[mv->col] > 1e-6) &&
				       cell_takes_one(mo, mv->cell, x, mv->ccls, &rc)) {
					x[mv->col] += 1;
					have += 1;
				}
			}
		/* Then by moving someone else out of the way. */
		for (int k = 0; k < mo->nvisits && have < want; k++) {
			const struct mvisit *mv = &mo->visits[order[k]];

			if (mv->row != (int)r || x[mv->col] + 1 > mv->ub)
				continue;
			while (have < want && x[mv->col] + 1 <= mv->ub && swap_in(mo, x, order[k], &rc))
				have += 1;
		}
	}
	free(orig);
	free(order);
	free(target);
	return rc;
}

double model_value(const struct model *mo, int i, const double *x)
{
	const double *o = mo->obj + (size_t)i * (size_t)mo->ncols;
	double v = mo->obj_const[i];

	for (int j = 0; j < mo->ncols; j++)
		v += o[j] * x[j];
	return v;
}

static int find_visit(const struct model *mo, const struct mcell *cl, size_t row)
{
	for (int i = 0; i < cl->nvisits; i++)
		if (mo->visits[cl->visits[i]].row == (int)row)
			return cl->visits[i];
	return -1;
}

void model_point(const struct model *mo, const struct wplan *w, double *x)
{
	const struct mcomp *m = mo->comp;
	const struct campaign *c = m->c;

	memset(x, 0, (size_t)mo->ncols * sizeof(*x));
	for (size_t i = 0; i < w->n; i++) {
		const struct wsession *s = &w->s[i];
		int p = mo->period_of[s->date - c->start];
		int ci = mo->cell_of[cell_key(mo, s->team, (size_t)m->site_local[s->site], p, s->kind)];
		const struct mcell *cl;

		if (ci < 0)
			continue;
		cl = &mo->cells[ci];
		if (!s->fixed) {
			x[cl->col] += 1;
			for (int a = 0; a < mo->naggs; a++)
				if (mo->aggs[a].team == cl->team && mo->aggs[a].site == cl->site &&
				    mo->aggs[a].kind == cl->kind)
					x[mo->aggs[a].col] += 1;
		}
		for (int k = cl->inv0; k < cl->inv0 + cl->ninv; k++) {
			bool in = false;

			for (size_t j = 0; j < s->nvisits && !in; j++)
				in = m->rows[s->visits[j].row].unit == mo->invites[k].unit;
			x[mo->invites[k].col] += in;
		}
		for (size_t j = 0; j < s->nvisits; j++) {
			int v = find_visit(mo, cl, s->visits[j].row);
			const struct mgroup *g;

			if (v < 0)
				continue;
			x[mo->visits[v].col] += s->visits[j].count;
			if (cl->group < 0 || mo->groups[cl->group].col0 < 0)
				continue;
			g = &mo->groups[cl->group];
			for (int r = 0; r < g->ndates; r++)
				if (g->dates[r] == s->date)
					x[g->col0 + r * g->nclass + mo->visits[v].cls] +=
						s->visits[j].count;
		}
	}
}
