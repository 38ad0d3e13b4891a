/* ical_text.c - the words of the calendars, in Vietnamese or English. */
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "ical_text.h"
#include "banned.h"

/* Every Vietnamese string below is in NFC (tests/suite-40-calendars.sh
 * checks this file with Python's unicodedata). */

static const char *const slot_vi[SLOT_COUNT] = { "ca ngày", "ca tối", "ca cuối tuần",
						 "ca ngày lễ" };
static const char *const slot_en[SLOT_COUNT] = { "day", "evening", "weekend", "holiday" };
/* In the week table's "Ca" column, without the repeated "ca". */
static const char *const slot_short_vi[SLOT_COUNT] = { "ngày", "tối", "cuối tuần", "ngày lễ" };
static const char *const weekday_vi[7] = { "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm",
					   "Thứ Sáu", "Thứ Bảy", "Chủ Nhật" };
static const char *const weekday_short_vi[7] = { "T2", "T3", "T4", "T5", "T6", "T7", "CN" };
static const char *const weekday_en[7] = { "Monday", "Tuesday", "Wednesday", "Thursday",
					   "Friday", "Saturday", "Sunday" };
static const char *const weekday_short_en[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
						 "Sun" };
static const char *const month_en[12] = { "January", "February", "March", "April", "May",
					  "June", "July", "August", "September", "October",
					  "November", "December" };

#define DASH "\xe2\x80\x93" /* U+2013 EN DASH */

static bool is_en(enum rota_lang lang)
{
	return lang == LANG_EN;
}

const char *ical_text_slot(enum rota_lang lang, enum slot_kind kind)
{
	if (kind < 0 || kind >= SLOT_COUNT)
		return "?";
	return is_en(lang) ? slot_en[kind] : slot_vi[kind];
}

static const char *slot_short(enum rota_lang lang, enum slot_kind kind)
{
	if (kind < 0 || kind >= SLOT_COUNT)
		return "?";
	return is_en(lang) ? slot_en[kind] : slot_short_vi[kind];
}

void ical_text_date(struct buf *out, enum rota_lang lang, int date)
{
	int y, m, d, wd = date_weekday(date);

	date_to_ymd(date, &y, &m, &d);
	if (is_en(lang))
		buf_printf(out, "%s %d %s %04d", weekday_en[wd], d, month_en[m - 1], y);
	else
		buf_printf(out, "%s, %02d/%02d/%04d", weekday_vi[wd], d, m, y);
}

/* "09/03/2024" / "2024-03-09". */
static void short_date(struct buf *out, enum rota_lang lang, int date)
{
	int y, m, d;

	date_to_ymd(date, &y, &m, &d);
	if (is_en(lang))
		buf_printf(out, "%04d-%02d-%02d", y, m, d);
	else
		buf_printf(out, "%02d/%02d/%04d", d, m, y);
}

static void clock_range(struct buf *out, int from, int to)
{
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];

	time_format(from, a);
	time_format(to, b);
	buf_printf(out, "%s" DASH "%s", a, b);
}

/* "25 người", "1 person", "20 pupils". */
static void people(struct buf *out, enum rota_lang lang, long count, bool pupils)
{
	if (is_en(lang))
		buf_printf(out, "%ld %s", count,
			   pupils ? (count == 1 ? "pupil" : "pupils")
				  : (count == 1 ? "person" : "people"));
	else
		buf_printf(out, "%ld %s", count, pupils ? "học sinh" : "người");
}

static bool is_school(const struct campaign *c, size_t unit)
{
	return c->units[unit].kind == UNIT_SCHOOL;
}

static const struct demand *visit_demand(const struct campaign *c, const struct plan_visit *v)
{
	return &c->units[v->unit].demand[v->demand];
}

/* Breaks of the session's slot that fall inside [from, to), as
 * " (nghỉ 11:30–13:30)"; nothing when none does. */
static void breaks_inside(struct buf *out, const struct campaign *c, enum slot_kind slot,
			  int from, int to, enum rota_lang lang, bool first_in_parens)
{
	const struct slot_window *w = &c->slots[slot];
	bool any = false;

	for (size_t b = 0; b < w->nbreaks; b++) {
		if (w->breaks[b].end <= from || w->breaks[b].start >= to)
			continue;
		if (!any)
			buf_puts(out, first_in_parens ? " (" : "; ");
		else
			buf_puts(out, ", ");
		if (!any)
			buf_puts(out, is_en(lang) ? "break " : "nghỉ ");
		clock_range(out, w->breaks[b].start, w->breaks[b].end);
		any = true;
	}
	if (any && first_in_parens)
		buf_putc(out, ')');
}

/* The distinct services of the session's visits (of one unit, or of all
 * when unit is SIZE_MAX), in visit order, joined by " + ". Returns how
 * many there were. */
static size_t services_joined(struct buf *out, const struct campaign *c,
			      const struct plan_session *s, size_t unit)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nvisits; i++) {
		size_t service = visit_demand(c, &s->visits[i])->service;
		bool seen = false;

		if (unit != SIZE_MAX && s->visits[i].unit != unit)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = (unit == SIZE_MAX || s->visits[j].unit == unit) &&
			       visit_demand(c, &s->visits[j])->service == service;
		if (seen)
			continue;
		if (n++)
			buf_puts(out, " + ");
		buf_puts(out, c->services[service].name);
	}
	return n;
}

static long unit_people(const struct plan_session *s, size_t unit)
{
	long total = 0;

	for (size_t i = 0; i < s->nvisits; i++)
		if (unit == SIZE_MAX || s->visits[i].unit == unit)
			total += s->visits[i].count;
	return total;
}

/* The unit's arrival window in s (all its visits share one, rule 5). */
static bool unit_window(const struct plan_session *s, size_t unit, int *arrive, int *until)
{
	for (size_t i = 0; i < s->nvisits; i++) {
		if (s->visits[i].unit == unit) {
			*arrive = s->visits[i].arrive;
			*until = s->visits[i].until;
			return true;
		}
	}
	*arrive = s->start;
	*until = s->end;
	return false;
}

/* "- 6 người: Học sinh dự thi – Thu nhận hồ sơ cấp thẻ Căn cước" per
 * visit of unit. */
static void unit_visit_lines(struct buf *out, const struct campaign *c,
			     const struct plan_session *s, size_t unit, enum rota_lang lang)
{
	for (size_t i = 0; i < s->nvisits; i++) {
		const struct plan_visit *v = &s->visits[i];
		const struct demand *d;

		if (v->unit != unit)
			continue;
		d = visit_demand(c, v);
		buf_puts(out, "- ");
		people(out, lang, v->count, is_school(c, unit));
		buf_printf(out, ": %s " DASH " %s\n", c->groups[d->group].name,
			   c->services[d->service].name);
	}
}

void ical_text_location(struct buf *out, const struct site *site)
{
	buf_puts(out, site->name);
	if (site->address && site->address[0])
		buf_printf(out, ", %s", site->address);
}

void ical_text_session_summary(struct buf *out, const struct plan *p,
			       const struct plan_session *s, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;

	if (!services_joined(out, c, s, SIZE_MAX))
		buf_puts(out, is_en(lang) ? "Intake session" : "Phiên thu nhận");
	buf_printf(out, " %s %s", is_en(lang) ? "at" : "tại", c->sites[s->site].name);
	if (c->nteams > 1)
		buf_printf(out, " " DASH " %s", c->teams[s->team].name);
}

/* "Thứ Bảy, 09/03/2024, ca cuối tuần: tổ làm việc tại điểm 07:45–11:15". */
static void session_hours(struct buf *out, const struct campaign *c,
			  const struct plan_session *s, enum rota_lang lang)
{
	ical_text_date(out, lang, s->date);
	if (is_en(lang))
		buf_printf(out, ", %s slot: the team works on site ", ical_text_slot(lang, s->slot));
	else
		buf_printf(out, ", %s: tổ làm việc tại điểm ", ical_text_slot(lang, s->slot));
	clock_range(out, s->start, s->end);
	breaks_inside(out, c, s->slot, s->start, s->end, lang, true);
	buf_putc(out, '\n');
}

void ical_text_session_description(struct buf *out, const struct plan *p,
				   const struct plan_session *s, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	const struct team *team = &c->teams[s->team];
	const struct slot_window *w = &c->slots[s->slot];
	int travel = campaign_travel(c, team->base, s->site);
	char from[TIME_TEXT_SIZE], back[TIME_TEXT_SIZE];

	buf_printf(out, "%s\n", c->name);
	buf_printf(out, "%s: %s\n", is_en(lang) ? "Team" : "Tổ", team->name);
	session_hours(out, c, s, lang);
	time_format(w->start, from);
	time_format(w->end, back);
	if (s->site == team->base || travel <= 0) {
		buf_printf(out, is_en(lang) ? "At the team's base (%s): no travel.\n"
					    : "Tại trụ sở của tổ (%s), không phải di chuyển.\n",
			   c->sites[team->base].name);
	} else if (is_en(lang)) {
		buf_printf(out,
			   "Travel: %d minutes each way from %s; leave at %s, back by %s.\n",
			   travel, c->sites[team->base].name, from, back);
	} else {
		buf_printf(out, "Di chuyển: %d phút mỗi chiều từ %s; xuất phát %s, về đến %s.\n",
			   travel, c->sites[team->base].name, from, back);
	}
	buf_puts(out, is_en(lang) ? "People invited: " : "Số người được mời: ");
	people(out, lang, unit_people(s, SIZE_MAX), false);
	buf_putc(out, '\n');
	if (!s->nvisits)
		buf_puts(out, is_en(lang) ? "No one is invited yet.\n" : "Chưa mời ai.\n");
	for (size_t i = 0; i < s->nvisits; i++) {
		size_t unit = s->visits[i].unit;
		bool seen = false;
		int arrive, until;

		for (size_t j = 0; j < i && !seen; j++)
			seen = s->visits[j].unit == unit;
		if (seen)
			continue;
		unit_window(s, unit, &arrive, &until);
		buf_printf(out, "\n%s " DASH " %s ", c->units[unit].name,
			   is_en(lang) ? "arrival" : "đến");
		clock_range(out, arrive, until);
		buf_puts(out, ":\n");
		unit_visit_lines(out, c, s, unit, lang);
	}
}

void ical_text_unit_summary(struct buf *out, const struct plan *p, const struct plan_session *s,
			    size_t unit, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;

	if (!services_joined(out, c, s, unit))
		buf_puts(out, is_en(lang) ? "Intake session" : "Phiên thu nhận");
	buf_puts(out, ": ");
	people(out, lang, unit_people(s, unit), is_school(c, unit));
	buf_printf(out, " %s %s", is_en(lang) ? "of" : "của", c->units[unit].name);
}

bool ical_text_group_is_children(const struct group *g)
{
	static const char *const ids[] = { "child", "tre-em", "treem", "duoi-14", "under-14",
					   "under14" };
	const char *six;

	if (g->children != GROUP_CHILDREN_GUESS)
		return g->children == GROUP_CHILDREN_YES;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (g->id && strstr(g->id, ids[i]))
			return true;
	if (!g->name)
		return false;
	if (strstr(g->name, "Trẻ em") || strstr(g->name, "trẻ em"))
		return true;
	/* "6" and "14" as numbers of their own, "6" first: "trẻ 6–14 tuổi",
	 * "từ đủ 6 đến dưới 14 tuổi", "children aged 6-14". */
	for (six = strchr(g->name, '6'); six; six = strchr(six + 1, '6')) {
		const char *fourteen;

		if ((six > g->name && six[-1] >= '0' && six[-1] <= '9') ||
		    (six[1] >= '0' && six[1] <= '9'))
			continue;
		for (fourteen = strstr(six, "14"); fourteen; fourteen = strstr(fourteen + 1, "14"))
			if (!(fourteen[-1] >= '0' && fourteen[-1] <= '9') &&
			    !(fourteen[2] >= '0' && fourteen[2] <= '9'))
				return true;
	}
	return false;
}

/* What people must bring, by service id and whether they are children;
 * NULL when the campaign's service is not one the program knows. The
 * sources are in docs/calendars.md ("What to bring"). */
const char *ical_text_bring(const char *service_id, bool children, enum rota_lang lang)
{
	if (!strcmp(service_id, "cccd") && children)
		return is_en(lang)
			? "the child comes with a parent or guardian, who applies for the "
			  "child and brings their own ID card; the child's photograph, "
			  "fingerprints and irises are taken. Bring the child's birth "
			  "certificate if the child's details are missing or wrong in the "
			  "national population database."
			: "trẻ đến cùng cha, mẹ hoặc người giám hộ; người đi cùng làm thủ "
			  "tục thay cho trẻ và mang thẻ Căn cước (hoặc CCCD) của mình; trẻ "
			  "được chụp ảnh, thu vân tay và mống mắt. Mang giấy khai sinh của "
			  "trẻ nếu thông tin của trẻ trong Cơ sở dữ liệu quốc gia về dân cư "
			  "còn thiếu hoặc sai.";
	if (!strcmp(service_id, "cccd"))
		return is_en(lang)
			? "come in person (photograph, fingerprints and irises are taken); "
			  "no papers are needed when your details are in the national "
			  "population database; bring your old citizen ID card or identity "
			  "card, if you have one, to hand it in."
			: "có mặt trực tiếp (chụp ảnh, thu vân tay và mống mắt); không phải "
			  "nộp giấy tờ nếu thông tin đã có trong Cơ sở dữ liệu quốc gia về "
			  "dân cư; mang thẻ CCCD hoặc CMND cũ (nếu có) để nộp lại.";
	if (!strcmp(service_id, "eid2") && children)
		return is_en(lang)
			? "the child comes with a parent or guardian, who brings their own "
			  "ID card and their own smartphone with a level 2 VNeID account: "
			  "the child's account is registered through it. The child needs an "
			  "ID card, but no phone or SIM of its own."
			: "trẻ đến cùng cha, mẹ hoặc người giám hộ; người đi cùng mang thẻ "
			  "Căn cước (hoặc CCCD) của mình và điện thoại của mình đã có tài "
			  "khoản VNeID mức độ 2: tài khoản của trẻ được đăng ký qua tài "
			  "khoản đó. Trẻ cần có thẻ Căn cước, không cần điện thoại hay SIM "
			  "riêng.";
	if (!strcmp(service_id, "eid2"))
		return is_en(lang)
			? "your chip ID card, and a smartphone with the VNeID app installed "
			  "and a phone number registered in your own name."
			: "thẻ Căn cước (hoặc CCCD gắn chip) còn hạn và điện thoại thông "
			  "minh đã cài ứng dụng VNeID, dùng số thuê bao đứng tên chính mình.";
	return NULL;
}

const char *ical_text_bring_for(const struct campaign *c, size_t group, size_t service,
				enum rota_lang lang)
{
	const struct group *g = &c->groups[group];

	if (g->bring && g->bring[service])
		return g->bring[service];
	if (c->services[service].bring)
		return c->services[service].bring;
	return ical_text_bring(c->services[service].id, ical_text_group_is_children(g), lang);
}

void ical_text_bring_heading(struct buf *out, const struct campaign *c, size_t group,
			     size_t service, enum rota_lang lang)
{
	const struct group *g = &c->groups[group];

	buf_puts(out, c->services[service].name);
	if (ical_text_group_is_children(g))
		buf_puts(out, is_en(lang) ? " (children under 14)" : " (trẻ em dưới 14 tuổi)");
	if (g->home)
		buf_puts(out, is_en(lang) ? " (at home: the team comes to the house in this window)"
					  : " (tại nhà: tổ công tác đến tận nhà trong khung giờ này)");
}

bool ical_text_same_bring_line(const struct campaign *c, size_t g1, size_t g2, size_t service,
			       enum rota_lang lang)
{
	const struct group *a = &c->groups[g1], *b = &c->groups[g2];

	return ical_text_group_is_children(a) == ical_text_group_is_children(b) &&
	       a->home == b->home &&
	       ical_text_bring_for(c, g1, service, lang) == ical_text_bring_for(c, g2, service, lang);
}

void ical_text_bring_lines(struct buf *out, const struct plan *p, const struct plan_session *s,
			   size_t unit, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	bool any = false;

	for (size_t i = 0; i < s->nvisits; i++) {
		const struct demand *d = visit_demand(c, &s->visits[i]);
		const char *what = ical_text_bring_for(c, d->group, d->service, lang);
		bool seen = false;

		if (s->visits[i].unit != unit || !what)
			continue;
		for (size_t j = 0; j < i && !seen; j++) {
			const struct demand *e = visit_demand(c, &s->visits[j]);

			seen = s->visits[j].unit == unit && e->service == d->service &&
			       ical_text_same_bring_line(c, e->group, d->group, d->service, lang);
		}
		if (seen)
			continue;
		if (!any)
			buf_puts(out, is_en(lang) ? "What to bring:\n" : "Cần mang theo:\n");
		any = true;
		buf_puts(out, "- ");
		ical_text_bring_heading(out, c, d->group, d->service, lang);
		buf_printf(out, ": %s\n", what);
	}
}

void ical_text_unit_description(struct buf *out, const struct plan *p,
				const struct plan_session *s, size_t unit, enum rota_lang lang,
				bool invitation)
{
	const struct campaign *c = p->campaign;
	bool pupils = is_school(c, unit);
	int arrive, until;

	unit_window(s, unit, &arrive, &until);
	buf_printf(out, "%s\n%s\n", c->name, c->units[unit].name);
	if (pupils)
		buf_puts(out, is_en(lang) ? "Send the pupils: " : "Cho học sinh đến: ");
	else
		buf_puts(out, is_en(lang) ? "Arrival: " : "Thời gian đến: ");
	clock_range(out, arrive, until);
	buf_puts(out, ", ");
	ical_text_date(out, lang, s->date);
	breaks_inside(out, c, s->slot, arrive, until, lang, true);
	buf_printf(out, "\n%s: ", is_en(lang) ? "Place" : "Địa điểm");
	ical_text_location(out, &c->sites[s->site]);
	buf_puts(out, "\n");
	if (pupils)
		buf_puts(out, is_en(lang) ? "Pupils invited: " : "Số học sinh được mời: ");
	else
		buf_puts(out, is_en(lang) ? "People invited: " : "Số người được mời: ");
	people(out, lang, unit_people(s, unit), pupils);
	buf_putc(out, '\n');
	unit_visit_lines(out, c, s, unit, lang);
	if (is_en(lang))
		buf_puts(out, "The intake team works on site ");
	else
		buf_puts(out, "Tổ thu nhận làm việc tại điểm ");
	clock_range(out, s->start, s->end);
	buf_printf(out, " (%s", ical_text_slot(lang, s->slot));
	if (is_en(lang))
		buf_puts(out, " slot");
	breaks_inside(out, c, s->slot, s->start, s->end, lang, false);
	buf_puts(out, ").\n");
	ical_text_bring_lines(out, p, s, unit, lang);
	if (invitation)
		buf_puts(out, is_en(lang)
				      ? "Please answer this invitation to confirm that you received it.\n"
				      : "Xin trả lời thư mời này để xác nhận đã nhận được.\n");
}

void ical_text_deadline_summary(struct buf *out, const struct plan *p, size_t unit,
				size_t group, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;

	buf_printf(out, "%s: %s " DASH " %s", is_en(lang) ? "Deadline" : "Hạn chót",
		   c->groups[group].name, c->units[unit].name);
}

void ical_text_deadline_description(struct buf *out, const struct plan *p, size_t unit,
				    size_t group, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	const struct unit *u = &c->units[unit];
	bool pupils = is_school(c, unit);

	buf_printf(out, "%s\n%s\n", c->name, u->name);
	buf_printf(out, is_en(lang) ? "Deadline for %s: " : "Hạn chót của nhóm %s: ",
		   c->groups[group].name);
	ical_text_date(out, lang, c->groups[group].deadline);
	buf_puts(out, ".\n");
	for (size_t d = 0; d < u->ndemand; d++) {
		int planned, by_deadline;

		if (u->demand[d].group != group)
			continue;
		plan_coverage(p, unit, d, &planned, &by_deadline);
		buf_printf(out, "- %s: ", c->services[u->demand[d].service].name);
		people(out, lang, u->demand[d].count, pupils);
		if (is_en(lang))
			buf_printf(out, " to serve; %d invited in the plan, %d of them by the "
					"deadline.\n",
				   planned, by_deadline);
		else
			buf_printf(out, " cần phục vụ; %d được mời trong kế hoạch, %d trước "
					"hạn chót.\n",
				   planned, by_deadline);
		if (by_deadline < u->demand[d].count) {
			buf_puts(out, "  ");
			people(out, lang, u->demand[d].count - by_deadline, pupils);
			buf_puts(out, is_en(lang) ? " not invited by the deadline.\n"
						  : " chưa được mời trước hạn chót.\n");
		}
	}
}

void ical_text_team_calendar_name(struct buf *out, const struct plan *p, size_t team,
				  enum rota_lang lang)
{
	(void)lang;
	buf_printf(out, "%s " DASH " %s", p->campaign->teams[team].name, p->campaign->name);
}

void ical_text_unit_calendar_name(struct buf *out, const struct plan *p, size_t unit,
				  enum rota_lang lang)
{
	(void)lang;
	buf_printf(out, "%s " DASH " %s", p->campaign->units[unit].name, p->campaign->name);
}

void ical_text_week_calendar_name(struct buf *out, const struct plan *p, int monday,
				  enum rota_lang lang)
{
	int iso_year, week = date_iso_week(monday, &iso_year);

	buf_printf(out, "%s %04d-W%02d " DASH " %s", is_en(lang) ? "Week" : "Lịch tuần", iso_year,
		   week, p->campaign->name);
}

void ical_text_mail_subject(struct buf *out, const struct plan *p, const struct plan_session *s,
			    size_t unit, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	int arrive, until;

	unit_window(s, unit, &arrive, &until);
	buf_printf(out, "%s: %s, ", is_en(lang) ? "Invitation" : "Giấy mời", c->units[unit].name);
	short_date(out, lang, s->date);
	buf_putc(out, ' ');
	clock_range(out, arrive, until);
	buf_printf(out, " %s %s", is_en(lang) ? "at" : "tại", c->sites[s->site].name);
}

void ical_text_mail_body(struct buf *out, const struct plan *p, const struct plan_session *s,
			 size_t unit, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	const struct person_ref *who = &c->units[unit].contact;
	const char *to = who->name && who->name[0] ? who->name : c->units[unit].name;
	const char *from = c->organizer.name && c->organizer.name[0] ? c->organizer.name
								       : c->organizer.email;
	bool pupils = is_school(c, unit);

	if (is_en(lang))
		buf_printf(out, "Dear %s,\n\n%s invites the %s below. The attached event "
				"can be added to your calendar.\n\n",
			   to, from, pupils ? "pupils" : "people");
	else
		buf_printf(out, "Kính gửi %s,\n\n%s trân trọng mời %s theo lịch dưới đây. "
				"Có thể thêm sự kiện đính kèm vào lịch.\n\n",
			   to, from, pupils ? "học sinh của trường" : "công dân");
	ical_text_unit_description(out, p, s, unit, lang, true);
	buf_printf(out, "\n%s\n", from);
}

const char *ical_text_cancelled_prefix(enum rota_lang lang)
{
	return is_en(lang) ? "Cancelled: " : "Đã hủy: ";
}

/* The name of the site, unit or team whose id is id in c; the id itself
 * when c no longer has it (a cancelled event outlives edits of the
 * campaign). */
static const char *site_name_of(const struct campaign *c, const char *id)
{
	for (size_t i = 0; id && i < c->nsites; i++)
		if (!strcmp(c->sites[i].id, id))
			return c->sites[i].name;
	return id ? id : "";
}

static const char *unit_name_of(const struct campaign *c, const char *id)
{
	for (size_t i = 0; id && i < c->nunits; i++)
		if (!strcmp(c->units[i].id, id))
			return c->units[i].name;
	return id ? id : "";
}

static const char *team_name_of(const struct campaign *c, const char *id)
{
	for (size_t i = 0; id && i < c->nteams; i++)
		if (!strcmp(c->teams[i].id, id))
			return c->teams[i].name;
	return id ? id : "";
}

void ical_text_cancelled_summary(struct buf *out, const struct campaign *c,
				 const struct plan_cancelled *ev, enum rota_lang lang)
{
	buf_puts(out, ical_text_cancelled_prefix(lang));
	if (ev->invitation)
		buf_printf(out, "%s %s %s", unit_name_of(c, ev->unit), is_en(lang) ? "at" : "tại",
			   site_name_of(c, ev->site));
	else
		buf_printf(out, "%s %s", is_en(lang) ? "session at" : "phiên tại",
			   site_name_of(c, ev->site));
	if (!ev->invitation && c->nteams > 1)
		buf_printf(out, " " DASH " %s", team_name_of(c, ev->team));
}

void ical_text_cancelled_description(struct buf *out, const struct campaign *c,
				     const struct plan_cancelled *ev, enum rota_lang lang)
{
	buf_printf(out, "%s\n", c->name);
	if (ev->invitation)
		buf_printf(out, "%s\n", unit_name_of(c, ev->unit));
	else
		buf_printf(out, "%s\n", team_name_of(c, ev->team));
	buf_puts(out, is_en(lang) ? "Cancelled: " : "Đã hủy: ");
	clock_range(out, ev->invitation ? ev->arrive : ev->start,
		    ev->invitation ? ev->until : ev->end);
	buf_puts(out, ", ");
	ical_text_date(out, lang, ev->date);
	buf_printf(out, " (%s), %s %s.\n", ical_text_slot(lang, ev->slot), is_en(lang) ? "at" : "tại",
		   site_name_of(c, ev->site));
	ical_text_cancel_reason(out, ev->reason, lang);
	if (ev->invitation)
		buf_puts(out, is_en(lang) ? "A new time, if any, is sent separately.\n"
					  : "Lịch mới (nếu có) được gửi riêng.\n");
}

void ical_text_cancel_mail_subject(struct buf *out, const struct plan *p,
				   const struct plan_session *s, size_t unit, enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	int arrive, until;

	unit_window(s, unit, &arrive, &until);
	buf_printf(out, "%s: %s, ", is_en(lang) ? "Cancelled" : "Hủy giấy mời", c->units[unit].name);
	short_date(out, lang, s->date);
	buf_putc(out, ' ');
	clock_range(out, arrive, until);
	buf_printf(out, " %s %s", is_en(lang) ? "at" : "tại", c->sites[s->site].name);
}

void ical_text_cancel_reason(struct buf *out, const char *reason, enum rota_lang lang)
{
	if (!reason || !reason[0])
		return;
	if (out->len && out->data[out->len - 1] != '\n')
		buf_putc(out, '\n');
	buf_printf(out, "%s: %s\n", is_en(lang) ? "Reason" : "Lý do", reason);
}

void ical_text_cancel_mail_body(struct buf *out, const struct plan *p,
				const struct plan_session *s, size_t unit, const char *reason,
				enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	const struct person_ref *who = &c->units[unit].contact;
	const char *to = who->name && who->name[0] ? who->name : c->units[unit].name;
	const char *from = c->organizer.name && c->organizer.name[0] ? c->organizer.name
								       : c->organizer.email;

	if (is_en(lang))
		buf_printf(out, "Dear %s,\n\n%s cancels the invitation below. A new time, if "
				"any, is sent in a separate mail.\n\n",
			   to, from);
	else
		buf_printf(out, "Kính gửi %s,\n\n%s thông báo hủy lịch mời dưới đây. Lịch mới "
				"(nếu có) được gửi trong thư riêng.\n\n",
			   to, from);
	ical_text_unit_description(out, p, s, unit, lang, false);
	ical_text_cancel_reason(out, reason, lang);
	buf_printf(out, "\n%s\n", from);
}

size_t ical_text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Appends s padded with spaces to width columns (left-aligned). */
static void cell(struct buf *out, const char *s, size_t width)
{
	size_t w = ical_text_width(s);

	buf_puts(out, s);
	for (; w < width; w++)
		buf_putc(out, ' ');
}

enum { TABLE_WIDTH = 80, GAP = 2 };

/* text on lines of at most width columns, broken at spaces (a longer
 * word stands alone on its line). */
static void wrapped(struct buf *out, const char *text, size_t width)
{
	size_t col = 0;

	while (*text) {
		size_t len = strcspn(text, " "), w = 0;

		if (!len) {
			text++;
			continue;
		}
		for (size_t i = 0; i < len; i++)
			w += ((unsigned char)text[i] & 0xc0) != 0x80;
		if (col && col + 1 + w > width) {
			buf_putc(out, '\n');
			col = 0;
		} else if (col) {
			buf_putc(out, ' ');
			col++;
		}
		buf_putn(out, text, len);
		col += w;
		text += len;
	}
	buf_putc(out, '\n');
}

static bool in_week(const struct plan_session *s, int monday)
{
	return s->date >= monday && s->date < monday + 7;
}

static void day_cell(struct buf *out, int date, enum rota_lang lang)
{
	int y, m, d;

	date_to_ymd(date, &y, &m, &d);
	buf_printf(out, "%s %02d/%02d",
		   (is_en(lang) ? weekday_short_en : weekday_short_vi)[date_weekday(date)], d, m);
}

/* text wrapped to TABLE_WIDTH, its first line indented by first spaces
 * and the others by rest. */
static void indented(struct buf *out, const char *text, size_t first, size_t rest)
{
	struct buf tmp;
	const char *line;

	buf_init(&tmp);
	wrapped(&tmp, text, TABLE_WIDTH - rest);
	line = buf_str(&tmp);
	for (bool head = true; line && *line; head = false) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		for (size_t k = 0; k < (head ? first : rest); k++)
			buf_putc(out, ' ');
		buf_putn(out, line, n);
		buf_putc(out, '\n');
		line += n + (nl ? 1 : 0);
	}
	if (tmp.failed)
		out->failed = 1;
	buf_release(&tmp);
}

/* People of the session (of unit, or all with SIZE_MAX) per service:
 * "cccd 22, eid2 35". */
static void service_split(struct buf *out, const struct campaign *c, const struct plan_session *s,
			  size_t unit)
{
	const char *sep = "";

	for (size_t k = 0; k < c->nservices; k++) {
		long n = 0;

		for (size_t i = 0; i < s->nvisits; i++)
			if ((unit == SIZE_MAX || s->visits[i].unit == unit) &&
			    visit_demand(c, &s->visits[i])->service == k)
				n += s->visits[i].count;
		if (!n)
			continue;
		buf_printf(out, "%s%s %ld", sep, c->services[k].id, n);
		sep = ", ";
	}
}

/* "- Xóm Đồng Chùa, khu 2, 07:45-16:45: 57 (cccd 22, eid2 35): Học sinh
 * dự thi 12, Công dân từ đủ 14 tuổi 45" */
static void unit_line(struct buf *out, const struct plan_session *s, const struct campaign *c,
		      size_t unit)
{
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];
	int arrive, until;
	const char *sep = ": ";

	unit_window(s, unit, &arrive, &until);
	time_format(arrive, a);
	time_format(until, b);
	buf_printf(out, "- %s, %s-%s: %ld (", c->units[unit].name, a, b, unit_people(s, unit));
	service_split(out, c, s, unit);
	buf_putc(out, ')');
	for (size_t g = 0; g < c->ngroups; g++) {
		long n = 0;

		for (size_t i = 0; i < s->nvisits; i++)
			if (s->visits[i].unit == unit && visit_demand(c, &s->visits[i])->group == g)
				n += s->visits[i].count;
		if (!n)
			continue;
		buf_printf(out, "%s%s %ld", sep, c->groups[g].name, n);
		sep = ", ";
	}
}

size_t ical_text_week_table(struct buf *out, const struct plan *p, int monday,
			    enum rota_lang lang)
{
	const struct campaign *c = p->campaign;
	struct buf tmp;
	size_t count = 0, wslot;
	long total = 0;
	int iso_year, week = date_iso_week(monday, &iso_year);
	const char *head[5];

	head[0] = is_en(lang) ? "Day" : "Ngày";
	head[1] = is_en(lang) ? "Slot" : "Ca";
	head[2] = is_en(lang) ? "Hours" : "Giờ";
	head[3] = is_en(lang) ? "People" : "Người";
	head[4] = is_en(lang) ? "By service" : "Theo dịch vụ";
	wslot = ical_text_width(head[1]);
	for (int k = 0; k < SLOT_COUNT; k++)
		if (ical_text_width(slot_short(lang, (enum slot_kind)k)) > wslot)
			wslot = ical_text_width(slot_short(lang, (enum slot_kind)k));
	for (size_t i = 0; i < p->nsessions; i++) {
		if (!in_week(&p->sessions[i], monday))
			continue;
		count++;
		total += unit_people(&p->sessions[i], SIZE_MAX);
	}
	buf_printf(out, "%s %04d-W%02d (", is_en(lang) ? "Week" : "Tuần", iso_year, week);
	short_date(out, lang, monday);
	buf_puts(out, " " DASH " ");
	short_date(out, lang, monday + 6);
	buf_puts(out, ")\n");
	wrapped(out, c->name, TABLE_WIDTH);
	if (!count) {
		buf_puts(out, is_en(lang) ? "No session this week.\n" : "Không có phiên nào trong tuần.\n");
		return 0;
	}
	buf_putc(out, '\n');
	cell(out, head[0], 9 + GAP);
	cell(out, head[1], wslot + GAP);
	cell(out, head[2], 11 + GAP);
	for (size_t k = ical_text_width(head[3]); k < 6; k++)
		buf_putc(out, ' ');
	buf_printf(out, "%s  %s\n", head[3], head[4]);
	buf_init(&tmp);
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];
		char hours[16], a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];

		if (!in_week(s, monday))
			continue;
		day_cell(&tmp, s->date, lang);
		cell(out, buf_str(&tmp), 9 + GAP);
		if (tmp.failed)
			out->failed = 1;
		buf_release(&tmp);
		cell(out, slot_short(lang, s->slot), wslot + GAP);
		time_format(s->start, a);
		time_format(s->end, b);
		snprintf(hours, sizeof(hours), "%s-%s", a, b);
		cell(out, hours, 11 + GAP);
		buf_printf(out, "%6ld  ", unit_people(s, SIZE_MAX));
		service_split(out, c, s, SIZE_MAX);
		buf_putc(out, '\n');
		buf_printf(&tmp, "%s: %s", is_en(lang) ? "Team" : "Tổ", c->teams[s->team].name);
		indented(out, buf_str(&tmp), 4, 6);
		if (tmp.failed)
			out->failed = 1;
		buf_release(&tmp);
		buf_printf(&tmp, "%s: ", is_en(lang) ? "Site" : "Điểm");
		ical_text_location(&tmp, &c->sites[s->site]);
		indented(out, buf_str(&tmp), 4, 6);
		if (tmp.failed)
			out->failed = 1;
		buf_release(&tmp);
		for (size_t j = 0; j < s->nvisits; j++) {
			size_t unit = s->visits[j].unit;
			bool seen = false;

			for (size_t k = 0; k < j && !seen; k++)
				seen = s->visits[k].unit == unit;
			if (seen)
				continue;
			unit_line(&tmp, s, c, unit);
			indented(out, buf_str(&tmp), 4, 8);
			if (tmp.failed)
				out->failed = 1;
			buf_release(&tmp);
		}
	}
	buf_printf(out, "\n%s: %zu %s, ", is_en(lang) ? "Total" : "Tổng", count,
		   is_en(lang) ? (count == 1 ? "session" : "sessions") : "phiên");
	people(out, lang, total, false);
	buf_putc(out, '\n');
	if (tmp.failed)
		out->failed = 1;
	return count;
}
