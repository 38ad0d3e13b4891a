/* Packed arrays of doubles (src/packed.c): every value comes back bit for
 * bit, coded when there are few distinct values, copied when there are
 * more than 65,536. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "packed.h"
#include "testlib.h"

static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void test_few_values_coded(void)
{
	double v[] = { 0.0, -0.0, 1.0, 0.5, 1e-300, -7.25, 1.0, 0.0, INFINITY, 3.0 / 7.0 };
	size_t n = sizeof(v) / sizeof(v[0]);
	double out[sizeof(v) / sizeof(v[0])];
	struct packed *p = packed_pack(v, n);
	int exact = 1;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(packed_is_coded(p));
	packed_unpack(p, out);
	for (size_t k = 0; k < n; k++)
		exact &= same_bits(out[k], v[k]) && same_bits(packed_get(p, k), v[k]);
	CHECK(exact);
	packed_free(p);
}

static void test_many_values_copied(void)
{
	size_t n = 70000;
	double *v = malloc(n * sizeof(double));
	double *out = malloc(n * sizeof(double));
	struct packed *p;
	int exact = 1;

	CHECK(v && out);
	if (!v || !out) {
		free(v);
		free(out);
		return;
	}
	for (size_t k = 0; k < n; k++)
		v[k] = (double)k / 3.0;
	p = packed_pack(v, n);
	CHECK(p != NULL);
	if (p) {
		CHECK(!packed_is_coded(p));
		packed_unpack(p, out);
		for (size_t k = 0; k < n; k++)
			exact &= same_bits(out[k], v[k]);
		CHECK(exact);
		packed_free(p);
	}
	free(v);
	free(out);
}

static void test_empty(void)
{
	struct packed *p = packed_pack(NULL, 0);

	CHECK(p != NULL);
	packed_free(p);
	packed_free(NULL);
}

int main(void)
{
	RUN_TEST(test_few_values_coded);
	RUN_TEST(test_many_values_copied);
	RUN_TEST(test_empty);
	return TEST_EXIT();
}
