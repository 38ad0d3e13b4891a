/* Unit tests of actuals.c: the actuals CSV of replan-v1.md, read against
 * the fixture campaign and its plan (sessions on 2024-03-05 day at thcs,
 * 2024-03-09 weekend at nvh-dong-chua, 2024-03-11 evening at tru-so), with
 * --today 2024-03-11. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actuals.h"
#include "date.h"
#include "fixture.h"
#include "testlib.h"

static struct campaign *c;
static struct plan *old;
static char path[64];
static int today;

static void put(const char *text)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Reads text as an actuals file; its diagnostics, one per line as
 * "LINE:COL: column: message", go to out. Returns actuals_read's code. */
static int read_text(const char *text, struct actuals *a, char *out, size_t size)
{
	struct diags d;
	struct rota_error err = { 0, "" };
	size_t used = 0;
	int rc;

	put(text);
	diags_init(&d, path);
	rc = actuals_read(a, path, c, old, today, &d, &err);
	diags_sort(&d);
	out[0] = '\0';
	for (size_t i = 0; i < d.count && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%d:%d: %s: %s\n",
					 d.items[i].line, d.items[i].col, d.items[i].path,
					 d.items[i].message);
	diags_release(&d);
	return rc;
}

static void test_rota_csv_with_came(void)
{
	struct actuals a;
	char diags[4096];
	int rc = read_text("date,slot,start,end,team,site,unit,group,service,count,arrive,until,came\r\n"
			   "2024-03-05,day,07:35,16:55,ca-xa,thcs,thcs-trung-hoi,exam,cccd,48,07:35,16:55,40\r\n"
			   "2024-03-09,weekend,07:45,16:45,ca-xa,nvh-dong-chua,xom-dong-chua,general,eid2,35,07:45,16:45,0\r\n",
			   &a, diags, sizeof(diags));

	CHECK_INT(rc, ROTA_OK);
	CHECK_STR(diags, "");
	CHECK_INT(a.nrows, 2);
	if (a.nrows == 2) {
		CHECK_INT(a.rows[0].date, date_from_ymd(2024, 3, 5));
		CHECK_INT(a.rows[0].slot, SLOT_DAY);
		CHECK_INT(a.rows[0].site, 2);
		CHECK_INT(a.rows[0].unit, 1);
		CHECK_INT(a.rows[0].demand, 0);
		CHECK_INT(a.rows[0].came, 40);
		CHECK_INT(a.rows[0].line, 2);
		CHECK_INT(a.rows[1].slot, SLOT_WEEKEND);
		CHECK_INT(a.rows[1].unit, 0);
		CHECK_INT(a.rows[1].demand, 2);
		CHECK_INT(a.rows[1].came, 0);
	}
	actuals_release(&a);
}

/* Columns in any order, names in any case, other columns ignored; a unit
 * that was not invited to the session may be reported (people who came
 * anyway); blank rows are skipped. */
static void test_any_order(void)
{
	struct actuals a;
	char diags[4096];
	int rc = read_text("Came; Unit ;note;SERVICE;group;site;team;slot;date\n"
			   "3;xom-na-mao;walked in;eid2;workers;thcs;ca-xa;day;2024-03-05\n"
			   ";;;;;;;;\n",
			   &a, diags, sizeof(diags));

	CHECK_INT(rc, ROTA_OK);
	CHECK_STR(diags, "");
	CHECK_INT(a.nrows, 1);
	if (a.nrows == 1) {
		CHECK_INT(a.rows[0].unit, 2);
		CHECK_INT(a.rows[0].came, 3);
	}
	actuals_release(&a);
}

static void test_missing_columns(void)
{
	struct actuals a;
	char diags[4096];
	int rc = read_text("date,slot,team,site,unit,group,count\n"
			   "2024-03-05,day,ca-xa,thcs,thcs-trung-hoi,exam,48\n",
			   &a, diags, sizeof(diags));

	CHECK_INT(rc, ROTA_EINPUT);
	CHECK_INT(a.nrows, 0);
	CHECK_STR(diags, "1:1: service: missing column: expected a header row naming date, slot, "
			 "team, site, unit, group, service and came (in any order)\n"
			 "1:1: came: missing column: expected a header row naming date, slot, "
			 "team, site, unit, group, service and came (in any order)\n");
	rc = read_text("date,slot,team,site,unit,group,service,came,came\n", &a, diags,
		       sizeof(diags));
	CHECK_INT(rc, ROTA_EINPUT);
	CHECK_STR(diags, "1:45: came: a second column named 'came' (field 9; the first is field "
			 "8): expected each column once\n");
	rc = read_text("", &a, diags, sizeof(diags));
	CHECK_INT(rc, ROTA_EINPUT);
}

/* Every problem of every row, each at its cell. */
static void test_every_problem(void)
{
	struct actuals a;
	char diags[8192];
	int rc = read_text("date,slot,team,site,unit,group,service,came\n"
			   "2024-02-30,night,ca-huyen,ubnd,xom-x,exam,cmnd,-1\n"
			   "2024-03-11,evening,ca-xa,tru-so,xom-na-mao,workers,eid2,20\n"
			   "2024-03-06,day,ca-xa,thcs,thcs-trung-hoi,exam,cccd,5\n"
			   "2024-03-05,day,ca-xa,thcs,thcs-trung-hoi,general,eid2,1.5\n"
			   "2024-03-05,day,ca-xa,thcs,thcs-trung-hoi,exam,cccd,40\n"
			   "2024-03-05,day,ca-xa,thcs,thcs-trung-hoi,exam,cccd,41\n"
			   "2024-03-05,day,ca-xa,thcs,thcs-trung-hoi,exam,cccd,100001\n"
			   "2024-03-05,day,ca-xa,thcs,thcs-trung-hoi,exam\n",
			   &a, diags, sizeof(diags));

	CHECK_INT(rc, ROTA_EINPUT);
	CHECK_INT(a.nrows, 0);
	CHECK_STR(diags,
		  "2:1: date: expected a date YYYY-MM-DD, found '2024-02-30'\n"
		  "2:12: slot: expected day, evening, weekend or holiday, found 'night'\n"
		  "2:18: team: expected an id of the campaign's teams, found 'ca-huyen'\n"
		  "2:27: site: expected an id of the campaign's sites, found 'ubnd'\n"
		  "2:32: unit: expected an id of the campaign's units, found 'xom-x'\n"
		  "2:43: service: expected an id of the campaign's services, found 'cmnd'\n"
		  "2:48: came: expected a whole number from 0 to 100000, found '-1'\n"
		  "3:1: date: expected a date before --today (2024-03-11): a session that has "
		  "not happened yet has no actuals, found 2024-03-11\n"
		  "4:1: date: the previous plan has no session of team 'ca-xa' at site 'thcs' "
		  "on 2024-03-06 in the day slot: expected a session of the previous plan\n"
		  "5:27: unit: unit 'thcs-trung-hoi' has no demand row for group 'general' and "
		  "service 'eid2' in the campaign\n"
		  "5:55: came: expected a whole number from 0 to 100000, found '1.5'\n"
		  "7:52: came: a second row for this visit (line 6 has the same date, slot, "
		  "team, site, unit, group and service): expected one row per visit\n"
		  "8:52: came: expected a whole number from 0 to 100000, found '100001'\n"
		  "9:46: service: expected an id of the campaign's services, found nothing\n"
		  "9:46: came: expected a whole number from 0 to 100000, found nothing\n");
}

/* A cell is quoted in part, its control characters escaped. */
static void test_cell_shown_short(void)
{
	struct actuals a;
	char diags[4096];
	int rc = read_text("date,slot,team,site,unit,group,service,came\n"
			   "2024-03-05,day,ca-xa,thcs,thcs-trung-hoi,exam,cccd,"
			   "\"12345678901234567890123456789012345678901234567890\"\n"
			   "2024-03-09,weekend,ca-xa,nvh-dong-chua,xom-dong-chua,exam,cccd,\"1\t'2\"\n",
			   &a, diags, sizeof(diags));

	CHECK_INT(rc, ROTA_EINPUT);
	CHECK_STR(diags,
		  "2:52: came: expected a whole number from 0 to 100000, found "
		  "'1234567890123456789012345678901234567890...'\n"
		  "3:64: came: expected a whole number from 0 to 100000, found '1\\x09\\'2'\n");
}

static void test_unreadable(void)
{
	struct actuals a;
	struct diags d;
	struct rota_error err = { 0, "" };

	diags_init(&d, "/nonexistent/actuals.csv");
	CHECK_INT(actuals_read(&a, "/nonexistent/actuals.csv", c, old, today, &d, &err),
		  ROTA_EIO);
	CHECK(err.message[0] != '\0');
	CHECK_INT(a.nrows, 0);
	diags_release(&d);
}

int main(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/rota-actuals-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	c = fixture_campaign();
	old = c ? fixture_plan(c) : NULL;
	if (!old)
		return 1;
	today = date_from_ymd(2024, 3, 11);
	RUN_TEST(test_rota_csv_with_came);
	RUN_TEST(test_any_order);
	RUN_TEST(test_missing_columns);
	RUN_TEST(test_every_problem);
	RUN_TEST(test_cell_shown_short);
	RUN_TEST(test_unreadable);
	unlink(path);
	plan_free(old);
	campaign_free(c);
	return TEST_EXIT();
}
