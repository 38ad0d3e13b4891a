/* dayset.c - sets of days as bits and families closed under
 * intersection (dayset.h). */
#include <stdlib.h>
#include <string.h>

#include "dayset.h"
#include "util.h"
#include "banned.h"

int dayset_family_init(struct dayset_family *f, int ndays, int cap)
{
	memset(f, 0, sizeof(*f));
	f->ndays = ndays;
	f->words = ndays > 0 ? (ndays + 63) / 64 : 1;
	f->cap = cap;
	/* One more set: the scratch room of dayset_family_close. */
	f->bits = xcalloc_array((size_t)(cap + 1) * (size_t)f->words, sizeof(uint64_t));
	return f->bits ? ROTA_OK : ROTA_ENOMEM;
}

void dayset_family_release(struct dayset_family *f)
{
	free(f->bits);
	memset(f, 0, sizeof(*f));
}

static bool is_empty(const uint64_t *s, int words)
{
	for (int i = 0; i < words; i++)
		if (s[i])
			return false;
	return true;
}

static bool held(const struct dayset_family *f, const uint64_t *s)
{
	for (int i = 0; i < f->n; i++)
		if (!memcmp(dayset_at(f, i), s, (size_t)f->words * sizeof(uint64_t)))
			return true;
	return false;
}

bool dayset_family_add(struct dayset_family *f, const uint64_t *s)
{
	if (is_empty(s, f->words) || held(f, s))
		return true;
	if (f->n == f->cap)
		return false;
	memcpy(dayset_at(f, f->n), s, (size_t)f->words * sizeof(uint64_t));
	f->n++;
	return true;
}

bool dayset_family_close(struct dayset_family *f)
{
	/* Each new set is met with every set before it in turn, so once the
	 * loop ends every pair has been intersected. */
	uint64_t *z = dayset_at(f, f->cap);

	for (int j = 1; j < f->n; j++)
		for (int i = 0; i < j; i++) {
			const uint64_t *a = dayset_at(f, i), *b = dayset_at(f, j);

			for (int w = 0; w < f->words; w++)
				z[w] = a[w] & b[w];
			if (!dayset_family_add(f, z))
				return false;
		}
	return true;
}

bool dayset_subset(const uint64_t *a, const uint64_t *b, int words)
{
	for (int i = 0; i < words; i++)
		if (a[i] & ~b[i])
			return false;
	return true;
}

int dayset_count(const uint64_t *a, int words)
{
	int n = 0;

	for (int i = 0; i < words; i++)
		n += __builtin_popcountll(a[i]);
	return n;
}

int dayset_count_range(const uint64_t *a, int from, int to)
{
	int n = 0;

	for (int d = from; d < to; d++)
		n += dayset_has(a, d);
	return n;
}
