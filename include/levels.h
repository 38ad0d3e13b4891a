/*
 * levels.h - the level loop: one part's model, as an LP, optimised level
 * by level (campaign-v1 rule 7) from a feasible point, with the dive and
 * RINS heuristics (heur.h) and a bounded branch and bound. Used by solve.c.
 */
#ifndef ROTA_LEVELS_H
#define ROTA_LEVELS_H

#include <stdbool.h>
#include <stddef.h>

#include "lp.h"
#include "model.h"
#include "solve_run.h"

/* Effort per level, in counts, so that without a time limit a plan does
 * not depend on the machine. */
enum {
	/* LP solves one dive may take before it gives up. */
	DIVE_LPS = 80,
	/* Branch-and-bound nodes of the MIP that gives whole people to the
	 * sessions a dive fixed. */
	PEOPLE_NODES = 400,
	/* The same for the MIP that places the sessions of a dive's whole
	 * aggregates in periods, on a minimised level (dive.c). */
	DIVE_PLACE_NODES = 100,
	/* Branch-and-bound nodes per level after the heuristics (a time
	 * limit may stop it sooner). */
	SEARCH_NODES = 60,
	/* The same on a deadline or served level, where one person more
	 * outweighs every level below (rule 7). */
	PEOPLE_SEARCH_NODES = 2000,
	/* Branch-and-bound nodes of one RINS neighbourhood. */
	RINS_NODES = 400,
	/* RINS neighbourhoods per level, each from a better incumbent. */
	RINS_ROUNDS = 4,
	/* Rounds of lazy rows added to one LP before it is taken as it is. */
	CUT_ROUNDS = 10,
	/* Rounds of lazy rows added to a dive's point with whole aggregates. */
	DIVE_CUT_ROUNDS = 5,
	/* Rounds of the people MIP, each with the lazy rows the last broke. */
	PEOPLE_ROUNDS = 4,
	/* Simplex iterations a dive's fix may take before it is a dead end. */
	DIVE_FIX_ITERATIONS = 200,
	/* Simplex iterations of the LP with every cell rounded. */
	ROUND_CELLS_ITERATIONS = 2000,
	/* Branch and bound on person-minutes only in models up to this many
	 * constraint matrix entries (levels.c, tree_pays). */
	MINUTES_TREE_ENTRIES = 30000,
	/* Fine models up to this many columns are searched for earliness
	 * too; larger ones give their LP bound only. */
	FINE_SEARCH_COLS = 1500,
	/* Levels whose held values are remembered (more are held in the LP
	 * only). */
	MAX_LEVELS = 256
};
/* Under a time limit, the share of a part's time kept from the coarse
 * model's levels for the fine model (earliness). */
#define FINE_TIME_SHARE 0.2
/* Simplex iterations x rows of the model that one level's LP may take
 * (lazy rows and the retry from the standard basis included); the level
 * is then kept at its incumbent with no bound (gap 1) and no search. An
 * iteration costs about its rows, so this is about the same time on any
 * model (about a minute of processor time). Four times the most a level
 * LP of the examples and of generated communes 1-40 took (seed 22's
 * person-minutes: 9,466 iterations on 53,430 rows, 5.1e8), so that a
 * campaign unlike them keeps its proofs; it binds on giant parts only
 * (127,334 rows: 15,706 iterations), so that a run without options ends
 * (docs/model.md section 8). solve_options.lp_work may lower it. */
#define LEVEL_LP_WORK 2e9
/* Relative gap of the people MIP. */
#define PEOPLE_GAP 0.005
/* A gap left after the first dive below which a second one does not pay,
 * and above which (without a time limit) branch and bound is tried. */
#define SEARCH_GAP 0.01

struct heur_trace; /* heur.h */

/* One part's model as an LP, while its levels are solved. */
struct level_lp {
	struct solve_run *run;
	size_t part;
	const struct model *mo;
	const char *model_name;
	struct lp *P;
	double *x;               /* incumbent, [ncols], always feasible */
	double until;            /* 0: no clock limit */
	int node_cap;            /* branch-and-bound nodes per level */
	bool maximise;
	int level;
	char level_name[48];
	double bound;            /* best bound seen in the tree */
	bool heur_given;
	int callback_rc;         /* an error inside the branch-and-bound callback */
	int tree_nodes;          /* nodes of the last branch and bound (debug trace) */
	double started;
	/* If not NULL, [mo->nlv]: a solved level is held at this value when
	 * it is looser than the one reached (the fine model, whose value of
	 * a plan is a relaxation of its earliness, holds the plan's own). */
	const double *hold_at;
	double fixed_value[MAX_LEVELS]; /* value each earlier level is held at */
	bool fixed_set[MAX_LEVELS];
	double bound_of[MAX_LEVELS];    /* each level's bound, NAN if not solved here */
	/* The model's rows by row (all of them), and which lazy ones are in P. */
	size_t *row_start;       /* [nrows + 1] into row_col/row_val */
	int *row_col;
	double *row_val;
	char *in_p;              /* [nrows] */
	struct rota_error *err;  /* set for failures other than ROTA_ENOMEM */
	/* NULL, or the heuristic running lists its lazy rows there and adds
	 * none to P (heur.h, spec.c). */
	struct heur_trace *trace;
};

/* Solves levels [first, last] of model mo of part `part` starting from
 * the feasible point x (improved in place), the levels before `nfixed`
 * held at fixed_values; with hold_plan, each solved level is then held at
 * fixed_values[i] where that is looser than the value reached. search: dive, RINS and branch and bound when the
 * LP bound is not reached. Sets value[i], bound[i] and reached[i] of the
 * levels solved. Returns 0, ROTA_ENOMEM, ROTA_ESOLVER (GLPK failed;
 * lp_last_error() says why) or ROTA_EIO (--mps; err set). */
int levels_solve(struct solve_run *run, size_t part, const struct model *mo,
		 const char *model_name, double *x, const double *fixed_values, int nfixed,
		 bool hold_plan, int first, int last, bool search, double until, double *value, double *bound,
		 bool *reached, struct rota_error *err);

/* Frees an LP that levels_solve kept for a later call (run->lp_kept),
 * and all it owns; NULL does nothing. */
void levels_kept_free(struct level_lp *kept);

/* For the heuristics. Adds to Q (and to lp->P, when Q is another problem)
 * the lazy rows that x breaks (in_q: those Q has); *added says how many. */
/* The simplex iterations one LP of level lp may take: LEVEL_LP_WORK (or
 * solve_options.lp_work) over the model's rows. The level's LP counts
 * its retry and lazy rows in it; a dive's first LP has it on its own. */
int levels_lp_iterations(const struct level_lp *lp);
int levels_add_broken_rows(struct level_lp *lp, struct lp *Q, const double *x, char *in_q,
			   int *added);
/* Solves the MIP Q as it stands depth first for at most `nodes` nodes a
 * round, adding the lazy rows its answer breaks; *found with a point in
 * out that breaks none. */
int levels_people_mip(struct level_lp *lp, struct lp *Q, char *in_q, int nodes, double *out,
		      bool *found);

#endif
