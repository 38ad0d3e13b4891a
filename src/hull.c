/* hull.c - the integer hull of the whole people of two weight classes
 * that fit one session (model_impl.h, docs/model.md). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "model_impl.h"
#include "util.h"
#include "banned.h"


int hull_bmax(const struct hull2 *h, int a)
{
	return fit_count(a * h->wa, h->wb, h->share, INT_MAX);
}

/* Returns 0 or ROTA_ENOMEM. */
int hull2_build(struct hull2 *h, double wa, double wb, double share)
{
	int *ha = NULL, n = 0;

	memset(h, 0, sizeof(*h));
	h->wa = wa;
	h->wb = wb;
	h->share = share;
	h->amax = fit_count(0.0, wa, share, INT_MAX);
	h->bmax = fit_count(0.0, wb, share, INT_MAX);
	ha = malloc(((size_t)h->amax + 1) * sizeof(int));
	if (!ha)
		return ROTA_ENOMEM;
	for (int a = 0; a <= h->amax; a++) {
		int b = hull_bmax(h, a);

		while (n >= 2) {
			long a1 = ha[n - 2], b1 = hull_bmax(h, ha[n - 2]);
			long a2 = ha[n - 1], b2 = hull_bmax(h, ha[n - 1]);

			if ((a2 - a1) * (b - b1) - (b2 - b1) * (a - a1) >= 0)
				n--;
			else
				break;
		}
		ha[n++] = a;
	}
	for (int i = 0; i + 1 < n && h->nf < HULL_MAX_FACETS; i++) {
		long a1 = ha[i], b1 = hull_bmax(h, ha[i]);
		long a2 = ha[i + 1], b2 = hull_bmax(h, ha[i + 1]);

		if (b1 <= b2)
			continue;
		h->fa[h->nf] = b1 - b2;
		h->fb[h->nf] = a2 - a1;
		h->fc[h->nf] = (b1 - b2) * a1 + (a2 - a1) * b1;
		h->nf++;
	}
	free(ha);
	return ROTA_OK;
}

/* (A, B) people can be shared out among k sessions. */
bool hull2_fits(const struct hull2 *h, long A, long B, long k)
{
	if (A > (long)h->amax * k || B > (long)h->bmax * k)
		return false;
	for (int f = 0; f < h->nf; f++)
		if (h->fa[f] * A + h->fb[f] * B > h->fc[f] * k)
			return false;
	return true;
}

bool hull_cg_row(const double *w, int m, double share, int j, int mult, double *coef, double *rhs)
{
	double lambda = mult / w[j];
	bool rounds;

	/* Rounded with the slack of rule 5, so that a session full to it
	 * keeps the row; a coefficient is rounded down, which only weakens
	 * the row. */
	*rhs = floor(lambda * (share + MODEL_LOAD_EPS) + 1e-9);
	rounds = *rhs < lambda * share - 1e-9;
	for (int k = 0; k < m; k++) {
		coef[k] = floor(lambda * w[k] + 1e-9);
		rounds = rounds || coef[k] < lambda * w[k] - 1e-9;
	}
	return rounds;
}
