/*
 * lp_probe.c - solves one level's LP, as `rota plan --mps DIR` wrote it,
 * with chosen GLPK simplex settings, and prints the iterations, the
 * processor time and the objective. Not part of rota; build by hand:
 *
 *   gcc -O2 -o /tmp/lp_probe tests/bench/lp_probe.c -lglpk
 *
 * Usage: lp_probe [options] FILE.mps
 *   -x             maximise (MPS has no sense; rota's deadline-* and
 *                  served-* levels are maximised, the rest minimised)
 *   -m primal|dualp|dual   method (default primal)
 *   -p std|pse     pricing (default pse)
 *   -r std|har|flip        ratio test (default har)
 *   -P             GLPK's presolver
 *   -s FLAGS       glp_scale_prob(FLAGS) first: a sum of 1 (geometric),
 *                  16 (equilibration), 32 (powers of two), 64 (skip if
 *                  well scaled), 128 (auto); 0: none (the default)
 *   -b std|adv|cpx starting basis (default std, as a new problem has)
 *   -w PREV.mps [-W] the warm start rota uses: PREV (the previous level's
 *                  file, sense -W maximise) is solved first with the
 *                  default settings (and FILE's scaling), its final basis is carried over to
 *                  FILE by row and column name (new rows basic), and only
 *                  FILE's solve is measured
 */
#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static glp_prob *load(const char *path, int maximise)
{
	glp_prob *P = glp_create_prob();

	if (glp_read_mps(P, GLP_MPS_FILE, NULL, path)) {
		fprintf(stderr, "lp_probe: cannot read %s\n", path);
		exit(2);
	}
	glp_set_obj_dir(P, maximise ? GLP_MAX : GLP_MIN);
	glp_create_index(P);
	return P;
}

/* Q's basis from P's, by names; rows of Q that P lacks are basic. */
static void carry_basis(glp_prob *Q, glp_prob *P)
{
	for (int i = 1; i <= glp_get_num_rows(Q); i++) {
		int k = glp_find_row(P, glp_get_row_name(Q, i));

		glp_set_row_stat(Q, i, k ? glp_get_row_stat(P, k) : GLP_BS);
	}
	for (int j = 1; j <= glp_get_num_cols(Q); j++) {
		int k = glp_find_col(P, glp_get_col_name(Q, j));

		glp_set_col_stat(Q, j, k ? glp_get_col_stat(P, k) : GLP_BS);
	}
}

int main(int argc, char **argv)
{
	glp_smcp sp;
	glp_prob *P, *prev = NULL;
	const char *basis = "std", *warm = NULL;
	int maximise = 0, warm_max = 0, scale = 0, c, ret, it0;
	double t0, t1;

	glp_init_smcp(&sp);
	sp.msg_lev = GLP_MSG_OFF;
	while ((c = getopt(argc, argv, "xm:p:r:Ps:b:w:W")) != -1) {
		switch (c) {
		case 'x': maximise = 1; break;
		case 'm':
			sp.meth = !strcmp(optarg, "dual") ? GLP_DUAL :
				  !strcmp(optarg, "dualp") ? GLP_DUALP : GLP_PRIMAL;
			break;
		case 'p': sp.pricing = !strcmp(optarg, "std") ? GLP_PT_STD : GLP_PT_PSE; break;
		case 'r':
			sp.r_test = !strcmp(optarg, "std") ? GLP_RT_STD :
				    !strcmp(optarg, "flip") ? GLP_RT_FLIP : GLP_RT_HAR;
			break;
		case 'P': sp.presolve = GLP_ON; break;
		case 's': scale = atoi(optarg); break;
		case 'b': basis = optarg; break;
		case 'w': warm = optarg; break;
		case 'W': warm_max = 1; break;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: lp_probe [options] FILE.mps\n");
		return 2;
	}
	glp_term_out(GLP_OFF);
	P = load(argv[optind], maximise);
	if (warm) {
		glp_smcp dp;

		glp_init_smcp(&dp);
		dp.msg_lev = GLP_MSG_OFF;
		prev = load(warm, warm_max);
		if (scale)
			glp_scale_prob(prev, scale);
		glp_simplex(prev, &dp);
	}
	t0 = cpu();
	if (scale)
		glp_scale_prob(P, scale);
	if (prev)
		carry_basis(P, prev);
	else if (!strcmp(basis, "adv"))
		glp_adv_basis(P, 0);
	else if (!strcmp(basis, "cpx"))
		glp_cpx_basis(P);
	else
		glp_std_basis(P);
	it0 = glp_get_it_cnt(P);
	ret = glp_simplex(P, &sp);
	t1 = cpu();
	printf("ret %d status %d it %d cpu %.3f obj %.6f\n", ret, glp_get_status(P),
	       glp_get_it_cnt(P) - it0, t1 - t0, glp_get_obj_val(P));
	return 0;
}
