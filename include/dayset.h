/*
 * dayset.h - sets of days as bits, and families of them closed under
 * intersection. The model (model.c) keeps a site closure inside a period
 * instead of cutting every site's periods at it; Hall's condition then
 * asks, for every set of sites, that their sessions fit the days on which
 * one of them is open, and the sets that matter are those closed on a
 * common set of days: the intersections of the sites' closures
 * (docs/model.md, section 4).
 */
#ifndef ROTA_DAYSET_H
#define ROTA_DAYSET_H

#include <stdbool.h>
#include <stdint.h>

/* Days 0 .. ndays - 1 of some range, as bits. */
struct dayset_family {
	int ndays, words;  /* bits and 64-bit words of each set */
	int n, cap;        /* sets held, most it may hold */
	uint64_t *bits;    /* [cap * words]: set i at bits + i * words */
};

/* An empty family of at most cap sets of ndays days. Returns 0 or
 * ROTA_ENOMEM. */
int dayset_family_init(struct dayset_family *f, int ndays, int cap);
void dayset_family_release(struct dayset_family *f);
static inline uint64_t *dayset_at(const struct dayset_family *f, int i)
{
	return f->bits + (size_t)i * (size_t)f->words;
}

/* Adds the set s (f->words words) unless it is empty or already held.
 * Returns false when the family is full and s is new. */
bool dayset_family_add(struct dayset_family *f, const uint64_t *s);
/* Adds every non-empty intersection of the sets held, until the family
 * is closed under intersection. Returns false when that would pass cap
 * (the family is then incomplete). */
bool dayset_family_close(struct dayset_family *f);

/* a ⊆ b; |a|; |a ∩ [from, to)|; words of w bits each. */
bool dayset_subset(const uint64_t *a, const uint64_t *b, int words);
int dayset_count(const uint64_t *a, int words);
int dayset_count_range(const uint64_t *a, int from, int to);
static inline void dayset_put(uint64_t *a, int day)
{
	a[day / 64] |= (uint64_t)1 << (day % 64);
}
static inline bool dayset_has(const uint64_t *a, int day)
{
	return (a[day / 64] >> (day % 64)) & 1u;
}

#endif
