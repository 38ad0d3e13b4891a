/*
 * testlib.h - a minimal unit-test harness. Each test function is run by
 * RUN_TEST; the binary prints "ok NAME" or "not ok NAME" per test (the
 * suite runner counts them) and exits 1 if any failed.
 */
#ifndef ROTA_TESTLIB_H
#define ROTA_TESTLIB_H

#include <stdio.h>
#include <string.h>

static int testlib_failed_checks;
static int testlib_failed_tests;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			testlib_failed_checks++;                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                              \
		}                                                                    \
	} while (0)

#define CHECK_INT(got, want)                                                         \
	do {                                                                         \
		long long testlib_g = (long long)(got), testlib_w = (long long)(want);   \
		if (testlib_g != testlib_w) {                                        \
			testlib_failed_checks++;                                     \
			fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, \
				__LINE__, #got, testlib_g, testlib_w);               \
		}                                                                    \
	} while (0)

#define CHECK_STR(got, want)                                                         \
	do {                                                                         \
		const char *testlib_g = (got), *testlib_w = (want);                  \
		if (!testlib_g || strcmp(testlib_g, testlib_w)) {                    \
			testlib_failed_checks++;                                     \
			fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n",     \
				__FILE__, __LINE__, #got,                            \
				testlib_g ? testlib_g : "(null)", testlib_w);        \
		}                                                                    \
	} while (0)

#define RUN_TEST(fn)                                                                 \
	do {                                                                         \
		int testlib_before = testlib_failed_checks;                          \
		fn();                                                                \
		if (testlib_failed_checks != testlib_before) {                       \
			testlib_failed_tests++;                                      \
			printf("not ok %s\n", #fn);                                  \
		} else {                                                             \
			printf("ok %s\n", #fn);                                      \
		}                                                                    \
	} while (0)

#define TEST_EXIT() (testlib_failed_tests ? 1 : 0)

/* A seeded generator for random test cases (xorshift64): 0 .. n - 1. */
static inline unsigned testlib_rnd(unsigned long long *state, unsigned n)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (unsigned)(*state % n);
}

#endif
