/* pack.c - whole people of a few weights into sessions of one share:
 * a search over how many of each weight each session takes (model_impl.h,
 * docs/model.md section 4). The disaggregation (disagg.c) uses it where
 * first fit left someone out of a cell. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_impl.h"
#include "util.h"
#include "banned.h"

/* The search: how many people of each weight each bin takes. */
struct pack {
	int m, nb;                 /* weights, heaviest first; bins */
	const double *w;
	double share, slack;
	int *left;                 /* [m]: not yet in a bin */
	int *take;                 /* [nb * m] */
	long nodes, most_nodes;
};

static bool pack_bin(struct pack *pk, int b, int j, double load, double slack_used);

/* Bins b.. take what is left, their room unused adding up to at most
 * the slack (the room of all bins less the load of all people). */
static bool pack_from(struct pack *pk, int b, double slack_used)
{
	bool empty = true;

	for (int j = 0; j < pk->m; j++)
		empty = empty && pk->left[j] == 0;
	if (empty) {
		/* The bins left stay empty. */
		memset(pk->take + (size_t)b * (size_t)pk->m, 0,
		       (size_t)(pk->nb - b) * (size_t)pk->m * sizeof(int));
		return true;
	}
	if (b == pk->nb)
		return false;
	return pack_bin(pk, b, 0, 0.0, slack_used);
}

/* Bin b takes a people of weight j, most first, then the lighter ones;
 * a bin that leaves more room than the slack allows is not tried on. */
static bool pack_bin(struct pack *pk, int b, int j, double load, double slack_used)
{
	int most;

	if (++pk->nodes > pk->most_nodes)
		return false;
	if (j == pk->m) {
		double room = pk->share - load;

		if (slack_used + room > pk->slack + MODEL_LOAD_EPS * pk->nb)
			return false;
		return pack_from(pk, b + 1, slack_used + room);
	}
	most = fit_count(load, pk->w[j], pk->share, pk->left[j]);
	for (int a = most; a >= 0; a--) {
		/* Not as many of weight j as the bin before (bins alike). */
		if (b > 0 && j == 0 && a > pk->take[(b - 1) * pk->m])
			continue;
		pk->take[b * pk->m + j] = a;
		pk->left[j] -= a;
		if (pack_bin(pk, b, j + 1, load + a * pk->w[j], slack_used)) {
			pk->left[j] += a; /* the caller reads take only */
			return true;
		}
		pk->left[j] += a;
		if (pk->nodes > pk->most_nodes)
			return false;
	}
	return false;
}

int pack_counts(const double *w, const int *n, int m, double share, int nb, long nodes, int *take)
{
	struct pack pk = { .m = m, .nb = nb, .w = w, .share = share, .take = take,
			   .most_nodes = nodes };
	double total = 0;
	int found;

	if (m <= 0 || nb <= 0)
		return 0;
	pk.left = xcalloc_array((size_t)m, sizeof(int));
	if (!pk.left)
		return ROTA_ENOMEM;
	for (int j = 0; j < m; j++) {
		pk.left[j] = n[j];
		total += n[j] * w[j];
	}
	pk.slack = nb * share - total;
	found = pk.slack >= -MODEL_LOAD_EPS * nb && pack_from(&pk, 0, 0.0);
	free(pk.left);
	return found;
}
