/* campaign.c - the campaign model and the rules that every stage asks of it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "date.h"
#include "util.h"
#include "banned.h"

static const char *const slot_names[SLOT_COUNT] = { "day", "evening", "weekend", "holiday" };

const char *slot_kind_name(enum slot_kind kind)
{
	return (unsigned)kind < SLOT_COUNT ? slot_names[kind] : "?";
}

int slot_kind_parse(const char *name)
{
	for (int k = 0; k < SLOT_COUNT; k++)
		if (!strcmp(name, slot_names[k]))
			return k;
	return -1;
}

bool slot_kind_is_extra(enum slot_kind kind)
{
	return kind != SLOT_DAY;
}

const char *site_kind_name(enum site_kind kind)
{
	static const char *const names[] = { "station", "hall", "school", "workplace" };

	return (unsigned)kind < 4 ? names[kind] : "?";
}

const char *unit_kind_name(enum unit_kind kind)
{
	static const char *const names[] = { "village", "school", "workplace" };

	return (unsigned)kind < 3 ? names[kind] : "?";
}

static void person_ref_release(struct person_ref *p)
{
	free(p->name);
	free(p->role);
	free(p->email);
	free(p->phone);
}

void campaign_free(struct campaign *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->name);
	free(c->timezone);
	person_ref_release(&c->organizer);
	free(c->holidays.items);
	free(c->extra_workdays.items);
	for (int k = 0; k < SLOT_COUNT; k++)
		free(c->slots[k].breaks);
	for (size_t i = 0; i < c->nservices; i++) {
		free(c->services[i].id);
		free(c->services[i].name);
		free(c->services[i].bring);
	}
	free(c->services);
	for (size_t i = 0; i < c->ngroups; i++) {
		free(c->groups[i].id);
		free(c->groups[i].name);
		free(c->groups[i].at_sites);
		if (c->groups[i].bring)
			for (size_t v = 0; v < c->nservices; v++)
				free(c->groups[i].bring[v]);
		free(c->groups[i].bring);
	}
	free(c->groups);
	for (size_t i = 0; i < c->nsites; i++) {
		free(c->sites[i].id);
		free(c->sites[i].name);
		free(c->sites[i].address);
		free(c->sites[i].closed.items);
	}
	free(c->sites);
	for (size_t i = 0; i < c->nteams; i++) {
		free(c->teams[i].id);
		free(c->teams[i].name);
		free(c->teams[i].capacity);
		free(c->teams[i].communes);
		free(c->teams[i].unavailable.items);
		free(c->teams[i].email);
	}
	free(c->teams);
	for (size_t i = 0; i < c->nunits; i++) {
		free(c->units[i].id);
		free(c->units[i].name);
		person_ref_release(&c->units[i].contact);
		free(c->units[i].demand);
	}
	free(c->units);
	free(c->fixed);
	for (size_t i = 0; i < c->ncommunes; i++)
		free(c->communes[i]);
	free(c->communes);
	free(c->travel);
	free(c->day_slots);
	free(c);
}

bool date_ranges_contain(const struct date_ranges *r, int date)
{
	for (size_t i = 0; i < r->count; i++)
		if (date >= r->items[i].first && date <= r->items[i].last)
			return true;
	return false;
}

static int int_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;

	return (a > b) - (a < b);
}

int campaign_finalize(struct campaign *c)
{
	int *priorities = NULL;
	size_t n = 0;

	for (int k = 0; k < SLOT_COUNT; k++) {
		struct slot_window *w = &c->slots[k];

		w->working = w->end - w->start;
		for (size_t b = 0; b < w->nbreaks; b++)
			w->working -= w->breaks[b].end - w->breaks[b].start;
	}

	priorities = xcalloc_array(c->ngroups, sizeof(*priorities));
	if (!priorities)
		return ROTA_ENOMEM;
	for (size_t g = 0; g < c->ngroups; g++)
		priorities[g] = c->groups[g].priority;
	qsort(priorities, c->ngroups, sizeof(*priorities), int_cmp);
	for (size_t g = 0; g < c->ngroups; g++)
		if (n == 0 || priorities[n - 1] != priorities[g])
			priorities[n++] = priorities[g];
	for (size_t g = 0; g < c->ngroups; g++)
		for (size_t l = 0; l < n; l++)
			if (priorities[l] == c->groups[g].priority)
				c->groups[g].level = (int)l;
	c->nlevels = (int)n;
	free(priorities);

	free(c->day_slots);
	c->day_slots = NULL;
	c->ndays = c->end >= c->start ? c->end - c->start + 1 : 0;
	c->day_slots = xcalloc_array((size_t)c->ndays, sizeof(*c->day_slots));
	if (!c->day_slots)
		return ROTA_ENOMEM;
	for (int i = 0; i < c->ndays; i++) {
		int date = c->start + i;
		bool workday = (c->workdays >> date_weekday(date)) & 1u;

		if (date_ranges_contain(&c->holidays, date))
			c->day_slots[i] = SLOT_BIT(SLOT_HOLIDAY);
		else if (workday || date_ranges_contain(&c->extra_workdays, date))
			c->day_slots[i] = SLOT_BIT(SLOT_DAY) | SLOT_BIT(SLOT_EVENING);
		else
			c->day_slots[i] = SLOT_BIT(SLOT_WEEKEND);
	}
	return ROTA_OK;
}

#define DEFINE_FIND(fn, field, count)                                   \
	int fn(const struct campaign *c, const char *id)                \
	{                                                               \
		for (size_t i = 0; i < c->count; i++)                   \
			if (!strcmp(c->field[i].id, id))                \
				return (int)i;                          \
		return -1;                                              \
	}

DEFINE_FIND(campaign_find_service, services, nservices)
DEFINE_FIND(campaign_find_group, groups, ngroups)
DEFINE_FIND(campaign_find_site, sites, nsites)
DEFINE_FIND(campaign_find_team, teams, nteams)
DEFINE_FIND(campaign_find_unit, units, nunits)

slot_set campaign_slots_on(const struct campaign *c, int date)
{
	if (date < c->start || date > c->end || !c->day_slots)
		return 0;
	return c->day_slots[date - c->start];
}

int campaign_travel(const struct campaign *c, size_t site_a, size_t site_b)
{
	if (site_a == site_b)
		return 0;
	return c->travel ? c->travel[site_a * c->nsites + site_b] : -1;
}

static bool team_may_enter_commune(const struct team *t, int commune)
{
	if (commune < 0 || t->all_communes)
		return true;
	for (size_t i = 0; i < t->ncommunes; i++)
		if (t->communes[i] == commune)
			return true;
	return false;
}

bool team_reaches_site(const struct campaign *c, size_t team, size_t site)
{
	const struct team *t = &c->teams[team];

	if (site == t->base)
		return true;
	return campaign_travel(c, t->base, site) >= 0 &&
	       team_may_enter_commune(t, c->sites[site].commune);
}

double session_capacity_share(const struct campaign *c, size_t team, size_t site,
			      enum slot_kind kind)
{
	int left;

	if (!team_reaches_site(c, team, site) || c->slots[SLOT_DAY].working <= 0)
		return 0.0;
	left = c->slots[kind].working - 2 * campaign_travel(c, c->teams[team].base, site);
	if (left <= 0)
		return 0.0;
	return (double)left / (double)c->slots[SLOT_DAY].working;
}

bool session_possible(const struct campaign *c, size_t team, size_t site, int date,
		      enum slot_kind kind)
{
	const struct team *t = &c->teams[team];
	const struct site *s = &c->sites[site];

	if (!(campaign_slots_on(c, date) & SLOT_BIT(kind)))
		return false;
	if (!(t->slots & SLOT_BIT(kind)) || !(s->slots & SLOT_BIT(kind)))
		return false;
	if (date_ranges_contain(&t->unavailable, date) || date_ranges_contain(&s->closed, date))
		return false;
	return session_capacity_share(c, team, site, kind) > 0.0;
}

bool group_may_use_site(const struct campaign *c, size_t unit, size_t group, size_t site)
{
	const struct unit *u = &c->units[unit];
	const struct group *g = &c->groups[group];
	const struct site *s = &c->sites[site];

	if (campaign_travel(c, u->site, site) < 0)
		return false;
	if (g->at_own && site == u->site)
		return true;
	if (g->at_station && s->kind == SITE_STATION &&
	    (u->commune < 0 || s->commune < 0 || u->commune == s->commune))
		return true;
	for (size_t i = 0; i < g->nat_sites; i++)
		if (g->at_sites[i] == site)
			return true;
	return false;
}

bool visit_allowed(const struct campaign *c, size_t unit, size_t demand, size_t team,
		   size_t site, int date, enum slot_kind kind)
{
	const struct demand *d = &c->units[unit].demand[demand];
	const struct group *g = &c->groups[d->group];

	if (!(g->slots & SLOT_BIT(kind)) || date < g->from)
		return false;
	if (c->teams[team].capacity[d->service] <= 0)
		return false;
	return group_may_use_site(c, unit, d->group, site);
}

double session_cost_minutes(const struct campaign *c, size_t team, size_t site,
			    enum slot_kind kind)
{
	const struct team *t = &c->teams[team];
	int travel = campaign_travel(c, t->base, site);

	if (travel < 0)
		travel = 0;
	return (double)t->officers * (double)(c->slots[kind].working + 2 * travel);
}

double campaign_person_load(const struct campaign *c, size_t group, size_t service, size_t team)
{
	const struct group *g = &c->groups[group];
	int cap = c->teams[team].capacity[service];
	int day = c->slots[SLOT_DAY].working;

	if (cap <= 0)
		return HUGE_VAL;
	if (g->home && day > 0)
		return campaign_home_load(c, group);
	return g->turnout / (double)cap;
}

double campaign_home_load(const struct campaign *c, size_t group)
{
	int day = c->slots[SLOT_DAY].working;

	return day > 0 ? c->groups[group].turnout * (double)c->home_visit_minutes / (double)day
		       : HUGE_VAL;
}

int campaign_intake_deadline(const struct campaign *c, size_t group, size_t service)
{
	return c->groups[group].deadline - c->services[service].lead_days;
}
