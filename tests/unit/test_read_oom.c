/* Unit test of the readers when memory runs out: the Nth allocation fails,
 * for every N until a read needs no more, and each read must come back
 * with ROTA_ENOMEM (or succeed), free all it took and not crash. This is
 * how campaign_read_buffer() once released a struct model it had never
 * initialised, when campaign_finalize() failed.
 *
 * The C library's allocator is replaced here (glibc allows it) by one that
 * counts live blocks and fails on demand; under the sanitizers their
 * allocator takes the calls instead, and the countdown never fires. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "campaign_read.h"
#include "diag.h"
#include "plan.h"
#include "testlib.h"

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void __libc_free(void *ptr);
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

static long fail_at;  /* the allocation that fails, counted from 1; 0: none */
static long calls;    /* allocations since the countdown was set */
static long live;     /* blocks allocated and not freed */
static int replaced;  /* this allocator is the one in use */

static int fails(void)
{
	replaced = 1;
	if (!fail_at || ++calls != fail_at)
		return 0;
	errno = ENOMEM;
	return 1;
}

void *malloc(size_t size)
{
	void *p = fails() ? NULL : __libc_malloc(size);

	live += p != NULL;
	return p;
}

void *calloc(size_t count, size_t size)
{
	void *p = fails() ? NULL : __libc_calloc(count, size);

	live += p != NULL;
	return p;
}

void *realloc(void *ptr, size_t size)
{
	void *p;

	if (!ptr)
		return malloc(size);
	p = fails() ? NULL : __libc_realloc(ptr, size);
	return p;
}

void free(void *ptr)
{
	live -= ptr != NULL;
	__libc_free(ptr);
}

static const char campaign_text[] =
	"{\n"
	"  \"format\": \"rota-campaign/1\",\n"
	"  \"campaign\": {\"id\": \"t\", \"name\": \"Thử\", \"start\": \"2024-03-04\",\n"
	"    \"end\": \"2024-03-31\", \"timezone\": \"Asia/Ho_Chi_Minh\",\n"
	"    \"organizer\": {\"name\": \"CA\", \"email\": \"ca@example.vn\"}},\n"
	"  \"services\": {\"cccd\": {\"name\": \"Căn cước\"}},\n"
	"  \"groups\": [{\"id\": \"general\", \"name\": \"Công dân\", \"priority\": 1}],\n"
	"  \"sites\": [{\"id\": \"tru-so\", \"name\": \"Trụ sở\", \"kind\": \"station\"},\n"
	"            {\"id\": \"nvh\", \"name\": \"Nhà văn hóa\", \"kind\": \"hall\"}],\n"
	"  \"travel\": [[\"tru-so\", \"nvh\", 15]],\n"
	"  \"teams\": [{\"id\": \"ca-xa\", \"name\": \"Tổ\", \"base\": \"tru-so\", \"capacity\": {\"cccd\": 30}}],\n"
	"  \"fixed\": [{\"team\": \"ca-xa\", \"site\": \"nvh\", \"slot\": \"day\", \"date\": \"2024-03-05\"}],\n"
	"  \"units\": [{\"id\": \"xom-a\", \"name\": \"Xóm A\", \"kind\": \"village\", \"site\": \"nvh\",\n"
	"             \"demand\": [{\"group\": \"general\", \"service\": \"cccd\", \"count\": 10}]}]\n"
	"}\n";

static const char plan_text[] =
	"{\n"
	"  \"format\": \"rota-plan/1\",\n"
	"  \"campaign\": \"t\",\n"
	"  \"sessions\": [\n"
	"    {\"uid\": \"20240305-day.nvh.ca-xa.t@rota\", \"team\": \"ca-xa\", \"site\": \"nvh\",\n"
	"     \"date\": \"2024-03-05\", \"slot\": \"day\", \"start\": \"07:45\", \"end\": \"16:45\",\n"
	"     \"fixed\": true, \"visits\": [\n"
	"       {\"unit\": \"xom-a\", \"group\": \"general\", \"service\": \"cccd\",\n"
	"        \"count\": 10, \"arrive\": \"07:45\", \"until\": \"16:45\"}]}\n"
	"  ],\n"
	"  \"coverage\": [{\"unit\": \"xom-a\", \"group\": \"general\", \"service\": \"cccd\",\n"
	"                \"demand\": 10, \"planned\": 10, \"by_deadline\": 10, \"deadline\": \"2024-03-31\"}],\n"
	"  \"solver\": {\"status\": \"optimal\", \"objective\": 0.0, \"bound\": 0.0, \"gap\": 0.0,\n"
	"             \"seconds\": 0.0, \"levels\": [{\"name\": \"served-p1\", \"value\": 10, \"bound\": 10, \"gap\": 0}]}\n"
	"}\n";

static struct campaign *base;

static int read_campaign(void)
{
	struct campaign *c = NULL;
	struct diags d;
	int rc;

	diags_init(&d, "t.json");
	rc = campaign_read_buffer(&c, campaign_text, strlen(campaign_text), &d);
	if (rc == ROTA_OK && d.errors)
		rc = -100;
	diags_release(&d);
	campaign_free(c);
	return rc;
}

static int read_plan(void)
{
	struct plan *p = NULL;
	char *file = NULL;
	struct diags d;
	int rc;

	diags_init(&d, "rota.json");
	rc = plan_read_buffer(&p, &file, base, plan_text, strlen(plan_text), &d);
	if (rc == ROTA_OK && d.errors)
		rc = -100;
	diags_release(&d);
	plan_free(p);
	free(file);
	return rc;
}

/* Runs read with the Nth allocation failing, for N = 1, 2, ... until it
 * succeeds without reaching N. Returns how many allocations it needs. */
static long torture(int (*read)(void), const char *what)
{
	for (long n = 1; n < 100000; n++) {
		long before = live;
		int rc;

		fail_at = n;
		calls = 0;
		rc = read();
		fail_at = 0;
		if (live != before) {
			fprintf(stderr, "%s: allocation %ld failing leaves %ld blocks\n", what, n,
				live - before);
			CHECK(live == before);
			return -1;
		}
		if (calls < n) {
			CHECK_INT(rc, ROTA_OK);
			return n - 1;
		}
		/* ROTA_OK: the library got by without that block (stdio
		 * reads unbuffered when it cannot have a buffer). */
		if (rc != ROTA_ENOMEM && rc != ROTA_OK) {
			fprintf(stderr, "%s: allocation %ld failing gives %d\n", what, n, rc);
			CHECK_INT(rc, ROTA_ENOMEM);
			return -1;
		}
	}
	CHECK(!"no end");
	return -1;
}

static void test_campaign_out_of_memory(void)
{
	long n;

	CHECK_INT(read_campaign(), ROTA_OK);
	if (!replaced) {
		fprintf(stderr, "(the sanitizers' allocator is in use: no failures injected)\n");
		return;
	}
	n = torture(read_campaign, "campaign");
	CHECK(n > 20);
}

static void test_plan_out_of_memory(void)
{
	struct diags d;

	diags_init(&d, "t.json");
	CHECK_INT(campaign_read_buffer(&base, campaign_text, strlen(campaign_text), &d), ROTA_OK);
	diags_release(&d);
	if (!base)
		return;
	CHECK_INT(read_plan(), ROTA_OK);
	if (replaced)
		CHECK(torture(read_plan, "plan") > 5);
	campaign_free(base);
	base = NULL;
}

int main(void)
{
	RUN_TEST(test_campaign_out_of_memory);
	RUN_TEST(test_plan_out_of_memory);
	return TEST_EXIT();
}
