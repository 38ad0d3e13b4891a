/* fixture.c - see fixture.h. */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fixture.h"
#include "util.h"

static char *dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void set_window(struct slot_window *w, const char *start, const char *end,
		       const char *break_start, const char *break_end)
{
	time_parse(start, &w->start);
	time_parse(end, &w->end);
	if (break_start) {
		w->breaks = calloc(1, sizeof(*w->breaks));
		w->nbreaks = 1;
		time_parse(break_start, &w->breaks[0].start);
		time_parse(break_end, &w->breaks[0].end);
	}
}

static int day(const char *text)
{
	int d = 0;

	date_parse(text, &d);
	return d;
}

struct campaign *fixture_campaign(void)
{
	struct campaign *c = calloc(1, sizeof(*c));
	size_t n;

	if (!c)
		return NULL;
	c->id = dup("fixture-2024");
	c->name = dup("Cấp CCCD và định danh điện tử xã Trung Hội năm 2024");
	c->start = day("2024-03-04");
	c->end = day("2024-03-24");
	c->timezone = dup("Asia/Ho_Chi_Minh");
	c->organizer.name = dup("Công an xã Trung Hội");
	c->organizer.email = dup("congan.trunghoi@example.vn");
	c->workdays = 0x1f;
	c->holidays.items = calloc(1, sizeof(struct date_range));
	c->holidays.count = 1;
	c->holidays.items[0].first = c->holidays.items[0].last = day("2024-03-08");
	set_window(&c->slots[SLOT_DAY], "07:30", "17:00", "11:30", "13:30");
	set_window(&c->slots[SLOT_EVENING], "18:00", "21:00", NULL, NULL);
	set_window(&c->slots[SLOT_WEEKEND], "07:30", "17:00", "11:30", "13:30");
	set_window(&c->slots[SLOT_HOLIDAY], "07:30", "17:00", "11:30", "13:30");

	c->nservices = 2;
	c->services = calloc(2, sizeof(*c->services));
	c->services[0].id = dup("cccd");
	c->services[0].name = dup("Thu nhận hồ sơ cấp thẻ Căn cước");
	c->services[1].id = dup("eid2");
	c->services[1].name = dup("Đăng ký, kích hoạt định danh điện tử mức 2");

	c->ngroups = 3;
	c->groups = calloc(3, sizeof(*c->groups));
	c->groups[0] = (struct group){ .id = dup("exam"), .name = dup("Học sinh dự thi"),
				       .priority = 1, .deadline = day("2024-03-15"),
				       .from = c->start,
				       .slots = SLOT_BIT(SLOT_DAY) | SLOT_BIT(SLOT_WEEKEND),
				       .at_own = true, .at_station = true, .turnout = 1.0 };
	c->groups[1] = (struct group){ .id = dup("general"), .name = dup("Công dân từ đủ 14 tuổi"),
				       .priority = 2, .deadline = c->end, .from = c->start,
				       .slots = SLOT_ALL, .at_own = true, .at_station = true,
				       .turnout = 0.9 };
	c->groups[2] = (struct group){ .id = dup("workers"), .name = dup("Công nhân, người lao động"),
				       .priority = 3, .deadline = c->end, .from = c->start,
				       .slots = SLOT_BIT(SLOT_EVENING) | SLOT_BIT(SLOT_WEEKEND),
				       .at_own = true, .at_station = true, .turnout = 1.0 };

	c->nsites = 3;
	c->sites = calloc(3, sizeof(*c->sites));
	c->sites[0] = (struct site){ .id = dup("tru-so"), .name = dup("Trụ sở Công an xã Trung Hội"),
				     .kind = SITE_STATION, .commune = -1, .slots = SLOT_ALL };
	c->sites[1] = (struct site){ .id = dup("nvh-dong-chua"),
				     .name = dup("Nhà văn hóa xóm Đồng Chùa; khu 2, Trung Hội"),
				     .kind = SITE_HALL, .commune = -1, .slots = SLOT_ALL };
	c->sites[2] = (struct site){ .id = dup("thcs"), .name = dup("Trường THCS Trung Hội"),
				     .kind = SITE_SCHOOL, .commune = -1,
				     .slots = SLOT_BIT(SLOT_DAY) };
	n = c->nsites;
	c->travel = malloc(n * n * sizeof(*c->travel));
	for (size_t i = 0; i < n * n; i++)
		c->travel[i] = -1;
	for (size_t i = 0; i < n; i++)
		c->travel[i * n + i] = 0;
	c->travel[0 * n + 1] = c->travel[1 * n + 0] = 15;
	c->travel[0 * n + 2] = c->travel[2 * n + 0] = 5;

	c->nteams = 1;
	c->teams = calloc(1, sizeof(*c->teams));
	c->teams[0] = (struct team){ .id = dup("ca-xa"), .name = dup("Tổ thu nhận Công an xã"),
				     .base = 0, .slots = SLOT_BIT(SLOT_DAY) | SLOT_BIT(SLOT_EVENING) |
							SLOT_BIT(SLOT_WEEKEND),
				     .officers = 2, .all_communes = true,
				     .max_extra_per_week = 2 };
	c->teams[0].capacity = calloc(2, sizeof(int));
	c->teams[0].capacity[0] = 30;
	c->teams[0].capacity[1] = 70;

	c->nunits = 3;
	c->units = calloc(3, sizeof(*c->units));
	c->units[0] = (struct unit){ .id = dup("xom-dong-chua"), .name = dup("Xóm Đồng Chùa"),
				     .kind = UNIT_VILLAGE, .site = 1, .commune = -1,
				     .has_contact = true };
	c->units[0].contact.name = dup("Nguyễn Văn A");
	c->units[0].contact.role = dup("Trưởng xóm");
	c->units[0].contact.email = dup("truongxom.dongchua@example.vn");
	c->units[0].ndemand = 3;
	c->units[0].demand = calloc(3, sizeof(struct demand));
	c->units[0].demand[0] = (struct demand){ .group = 0, .service = 0, .count = 12 };
	c->units[0].demand[1] = (struct demand){ .group = 1, .service = 0, .count = 10 };
	c->units[0].demand[2] = (struct demand){ .group = 1, .service = 1, .count = 35 };
	c->units[1] = (struct unit){ .id = dup("thcs-trung-hoi"), .name = dup("Trường THCS Trung Hội"),
				     .kind = UNIT_SCHOOL, .site = 2, .commune = -1,
				     .has_contact = true };
	c->units[1].contact.name = dup("Trần Thị B");
	c->units[1].contact.role = dup("Hiệu trưởng");
	c->units[1].contact.email = dup("c2trunghoi@example.vn");
	c->units[1].ndemand = 1;
	c->units[1].demand = calloc(1, sizeof(struct demand));
	c->units[1].demand[0] = (struct demand){ .group = 0, .service = 0, .count = 48 };
	c->units[2] = (struct unit){ .id = dup("xom-na-mao"), .name = dup("Xóm Na Mao"),
				     .kind = UNIT_VILLAGE, .site = 0, .commune = -1 };
	c->units[2].ndemand = 1;
	c->units[2].demand = calloc(1, sizeof(struct demand));
	c->units[2].demand[0] = (struct demand){ .group = 2, .service = 1, .count = 20 };

	if (campaign_finalize(c)) {
		campaign_free(c);
		return NULL;
	}
	return c;
}

struct plan *fixture_plan(const struct campaign *c)
{
	struct plan *p = plan_new(c);
	struct plan_session *s;

	if (!p)
		return NULL;
	s = plan_add_session(p, 0, 2, day("2024-03-05"), SLOT_DAY);
	plan_add_visit(s, 1, 0, 48);
	s = plan_add_session(p, 0, 1, day("2024-03-09"), SLOT_WEEKEND);
	plan_add_visit(s, 0, 0, 12);
	plan_add_visit(s, 0, 1, 10);
	plan_add_visit(s, 0, 2, 35);
	s = plan_add_session(p, 0, 0, day("2024-03-11"), SLOT_EVENING);
	plan_add_visit(s, 2, 0, 20);
	plan_sort(p);
	plan_assign_arrivals(p);
	p->solver.status = PLAN_OPTIMAL;
	return p;
}
