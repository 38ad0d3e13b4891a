/*
 * packed.c - arrays of doubles kept in less memory, given back bit for
 * bit (the GLPK problems and rows a part keeps between the two phases of
 * a time limit, src/lp.c and src/solve.c).
 */
#include <stdlib.h>
#include <string.h>

#include "packed.h"

#include "banned.h"

/* Doubles as codes into a table of the distinct ones when there are at
 * most 65,536 of them (a model's coefficients, bounds and scale factors
 * are mostly counts, minutes and powers of two): 2 bytes a value instead
 * of 8, each given back bit for bit. Otherwise a plain copy. */
struct packed {
	size_t n;
	double *raw;           /* or, when NULL, table[code[k]] */
	double *table;
	unsigned short *code;
};

void packed_free(struct packed *p)
{
	if (!p)
		return;
	free(p->raw);
	free(p->table);
	free(p->code);
	free(p);
}

enum { PACKED_MAX = 65536, PACKED_SLOTS = 1 << 17 };

/* Codes p->raw's values when there are few enough distinct ones, in the
 * order they first come, found by their bits in an open hash table (so
 * -0.0 and 0.0 are two values, and every value comes back bit for bit). */
static void values_code(struct packed *p)
{
	int *slot = malloc(PACKED_SLOTS * sizeof(int));
	double *table = malloc(PACKED_MAX * sizeof(double));
	unsigned short *code = malloc(p->n * sizeof(*code));
	size_t nt = 0, k;

	if (!slot || !table || !code)
		goto out;
	for (k = 0; k < PACKED_SLOTS; k++)
		slot[k] = -1;
	for (k = 0; k < p->n; k++) {
		unsigned long long bits, tb;
		size_t h;

		memcpy(&bits, &p->raw[k], sizeof(bits));
		h = (size_t)((bits * 0x9E3779B97F4A7C15ull) >> 47);
		for (;; h = (h + 1) & (PACKED_SLOTS - 1)) {
			if (slot[h] < 0) {
				if (nt == PACKED_MAX)
					goto out;
				table[nt] = p->raw[k];
				slot[h] = (int)nt++;
				break;
			}
			memcpy(&tb, &table[slot[h]], sizeof(tb));
			if (tb == bits)
				break;
		}
		code[k] = (unsigned short)slot[h];
	}
	p->table = realloc(table, nt * sizeof(double));
	if (!p->table)
		p->table = table;
	table = NULL;
	p->code = code;
	code = NULL;
	free(p->raw);
	p->raw = NULL;
out:
	free(slot);
	free(table);
	free(code);
}

struct packed *packed_pack(const double *v, size_t n)
{
	struct packed *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->n = n;
	p->raw = malloc((n + 1) * sizeof(double));
	if (!p->raw) {
		free(p);
		return NULL;
	}
	if (n > 0) {
		memcpy(p->raw, v, n * sizeof(double));
		values_code(p);
	}
	return p;
}

double packed_get(const struct packed *p, size_t k)
{
	return p->raw ? p->raw[k] : p->table[p->code[k]];
}

void packed_unpack(const struct packed *p, double *out)
{
	for (size_t k = 0; k < p->n; k++)
		out[k] = packed_get(p, k);
}

int packed_is_coded(const struct packed *p)
{
	return p->raw == NULL;
}
