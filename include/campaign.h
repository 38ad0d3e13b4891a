/*
 * campaign.h - the campaign in memory (format rota-campaign/1, see
 * docs/campaign-format.md) and the questions every later stage asks of it:
 * which slot kinds exist on a date, whether a team can hold a session at a
 * site, how much of a day's capacity a session has, where people may go.
 *
 * The reader (campaign_read.h) builds a struct campaign, checks it and calls
 * campaign_finalize(); everything after that treats it as read-only.
 * Every cross-reference is resolved to an index into the owning array.
 * All strings are owned by the campaign and live as long as it does.
 */
#ifndef ROTA_CAMPAIGN_H
#define ROTA_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>

/* Slot kinds, in the order the plan sorts them. */
enum slot_kind { SLOT_DAY, SLOT_EVENING, SLOT_WEEKEND, SLOT_HOLIDAY, SLOT_COUNT };
/* A set of slot kinds: bit (1u << kind). */
typedef unsigned slot_set;
#define SLOT_BIT(kind) (1u << (kind))
#define SLOT_ALL ((1u << SLOT_COUNT) - 1u)
/* "day", "evening", "weekend", "holiday". */
const char *slot_kind_name(enum slot_kind kind);
/* Returns the kind for a name, or -1. */
int slot_kind_parse(const char *name);
/* evening, weekend and holiday sessions are "extra" (rules 3 and 7.3). */
bool slot_kind_is_extra(enum slot_kind kind);

enum site_kind { SITE_STATION, SITE_HALL, SITE_SCHOOL, SITE_WORKPLACE };
enum unit_kind { UNIT_VILLAGE, UNIT_SCHOOL, UNIT_WORKPLACE };
const char *site_kind_name(enum site_kind kind);
const char *unit_kind_name(enum unit_kind kind);

/* Where a value came from in the campaign file, for diagnostics. */
struct rota_loc {
	int line, col;
};

struct date_range {
	int first, last; /* dates (see date.h), both included */
};

struct date_ranges {
	struct date_range *items;
	size_t count;
};

struct time_window {
	int start, end; /* minutes since midnight */
};

struct slot_window {
	int start, end;              /* minutes since midnight */
	struct time_window *breaks;  /* inside [start, end], sorted, disjoint */
	size_t nbreaks;
	int working;                 /* end - start - breaks, in minutes */
};

struct person_ref {
	char *name, *role, *email, *phone; /* each may be NULL */
};

struct service {
	char *id, *name;
	int lead_days;     /* days from intake to card in hand; 0 when not given */
	char *bring;       /* what to bring, the campaign's words; NULL: rota's own */
	struct rota_loc loc;
};

struct group {
	char *id, *name;
	int priority;      /* 1 = most urgent */
	int level;         /* index of the priority level: 0 for the smallest priority */
	int deadline;      /* date; campaign end when not given */
	int from;          /* date; campaign start when not given */
	slot_set slots;    /* SLOT_ALL when not given */
	bool at_own;       /* "own" in at[] */
	bool at_station;   /* "station" in at[] */
	size_t *at_sites;  /* site indices named in at[] */
	size_t nat_sites;
	double turnout;    /* (0, 1] */
	bool home;         /* served at home, house to house (at own only) */
	/* Children under 14, who come with a parent (groups[].children):
	 * GROUP_CHILDREN_GUESS (not given: told from the group's id and name),
	 * GROUP_CHILDREN_YES or GROUP_CHILDREN_NO. */
	enum group_children { GROUP_CHILDREN_GUESS, GROUP_CHILDREN_YES, GROUP_CHILDREN_NO } children;
	char **bring;      /* [nservices] or NULL: what to bring, the campaign's
			    * words, per service; NULL entries: the service's */
	struct rota_loc loc;
};

struct site {
	char *id, *name;
	char *address;     /* optional extension; may be NULL */
	enum site_kind kind;
	int commune;       /* index into campaign.communes, or -1 */
	slot_set slots;
	struct date_ranges closed;
	struct rota_loc loc;
};

struct team {
	char *id, *name;
	size_t base;           /* site index */
	int *capacity;         /* per service index; 0 = service not offered */
	slot_set slots;        /* SLOT_BIT(SLOT_DAY) when not given */
	int officers;          /* 2 when not given */
	bool all_communes;     /* communes not given */
	int *communes;         /* commune indices when !all_communes */
	size_t ncommunes;
	int max_extra_per_week;
	struct date_ranges unavailable;
	char *email;           /* may be NULL */
	struct rota_loc loc;
};

struct demand {
	size_t group, service;
	int count;
	struct rota_loc loc;
};

struct unit {
	char *id, *name;
	enum unit_kind kind;
	size_t site;
	int commune;           /* index into campaign.communes, or -1 */
	bool has_contact;
	struct person_ref contact;
	struct demand *demand;
	size_t ndemand;
	struct rota_loc loc;
};

struct fixed_session {
	size_t team, site;
	enum slot_kind slot;
	bool weekly;
	int date;              /* when !weekly */
	int weekday;           /* 0 = Monday, when weekly */
	int from, to;          /* dates, when weekly; both included */
	struct rota_loc loc;
};

/* Default of campaign.invitation_minutes (campaign-v1 rule 7.4). */
#define CAMPAIGN_INVITATION_MINUTES 30
/* Default of campaign.home_visit_minutes: a team's minutes per person
 * served at home (docs/campaign-format.md, "Home visits"). */
#define CAMPAIGN_HOME_VISIT_MINUTES 30

struct campaign {
	char *id, *name;
	int start, end;        /* dates, both included */
	char *timezone;        /* IANA name */
	struct person_ref organizer;
	/* Person-minutes one invitation (one unit's people in one session)
	 * costs the unit, rule 7.4: 0 to 1,440, CAMPAIGN_INVITATION_MINUTES
	 * when the file says nothing. */
	int invitation_minutes;
	/* Minutes of a team's working time that one person of a `home` group
	 * takes (the walk to the house and the intake there), 1 to 480. */
	int home_visit_minutes;

	unsigned workdays;     /* bit 0 = Monday ... bit 6 = Sunday */
	struct date_ranges holidays;
	struct date_ranges extra_workdays;
	struct slot_window slots[SLOT_COUNT];

	struct service *services;  size_t nservices;
	struct group *groups;      size_t ngroups;
	struct site *sites;        size_t nsites;
	struct team *teams;        size_t nteams;
	struct unit *units;        size_t nunits;
	struct fixed_session *fixed; size_t nfixed;
	char **communes;           size_t ncommunes; /* distinct slugs, sorted */
	int nlevels;               /* distinct priorities */

	/* travel[a * nsites + b]: one-way minutes, -1 when no entry; 0 on the
	 * diagonal. Symmetric. Filled by the reader. */
	int *travel;

	/* Derived by campaign_finalize(); read-only afterwards. */
	int ndays;                 /* end - start + 1 */
	slot_set *day_slots;       /* [ndays]: slot kinds that exist on a date */
};

/* Frees everything the campaign owns, then c itself. NULL is a no-op. */
void campaign_free(struct campaign *c);

/* Fills the derived tables from the fields above: slot working minutes,
 * priority levels, day_slots. Returns 0 or ROTA_ENOMEM. Must be called
 * again if the fields change. */
int campaign_finalize(struct campaign *c);

/* Lookups by id; each returns the index or -1. */
int campaign_find_service(const struct campaign *c, const char *id);
int campaign_find_group(const struct campaign *c, const char *id);
int campaign_find_site(const struct campaign *c, const char *id);
int campaign_find_team(const struct campaign *c, const char *id);
int campaign_find_unit(const struct campaign *c, const char *id);

bool date_ranges_contain(const struct date_ranges *r, int date);

/* Rule 1: the slot kinds that exist on date (0 outside the campaign). */
slot_set campaign_slots_on(const struct campaign *c, int date);
/* One-way minutes between two sites, -1 when neither is the other and
 * there is no travel entry. */
int campaign_travel(const struct campaign *c, size_t site_a, size_t site_b);

/* Rule 4: the team may visit the site at all (its base, or a site with a
 * travel entry from the base that is within the team's communes). */
bool team_reaches_site(const struct campaign *c, size_t team, size_t site);
/* Rule 5: the share of a full `day` slot that a session of this team at
 * this site in this slot kind can work: (working(kind) - 2 travel) /
 * working(day). 0 when the team cannot reach the site or nothing is left. */
double session_capacity_share(const struct campaign *c, size_t team, size_t site,
			      enum slot_kind kind);
/* Rules 1-4 except the weekly limit: a session of team at site on date in
 * kind may be held (slot exists, team, site list it, team available, site
 * open, team reaches site, some working time left). */
bool session_possible(const struct campaign *c, size_t team, size_t site, int date,
		      enum slot_kind kind);
/* Rules 2 and 6: people of this demand row of unit may be invited to a
 * session at site in kind on date served by team (group slot, from date,
 * at[], reach from the unit's site, team offers the service). Does not
 * check session_possible(). */
bool visit_allowed(const struct campaign *c, size_t unit, size_t demand, size_t team,
		   size_t site, int date, enum slot_kind kind);
/* Rule 6 without team and date: people of unit in group may be invited to
 * site (group's at[], reach from the unit's site). */
bool group_may_use_site(const struct campaign *c, size_t unit, size_t group, size_t site);

/* Rule 5: the share of a full `day` slot that one invited person of group
 * for service takes from a session of team: turnout / the team's capacity
 * for the service, or, for a `home` group, turnout x home_visit_minutes /
 * the working minutes of the `day` slot. HUGE_VAL when the team does not
 * offer the service. */
double campaign_person_load(const struct campaign *c, size_t group, size_t service, size_t team);
/* The same for one person of a `home` group, whatever the team:
 * turnout x home_visit_minutes / working minutes of the day slot. */
double campaign_home_load(const struct campaign *c, size_t group);

/* The last intake date that still gives the group's people of service
 * their card by the group's deadline: deadline - the service's lead_days
 * (docs/campaign-format.md). Every "by the deadline" count uses it. */
int campaign_intake_deadline(const struct campaign *c, size_t group, size_t service);

/* Person-minutes of one session (rule 7.4): officers x (working minutes
 * of the slot + 2 x travel minutes). */
double session_cost_minutes(const struct campaign *c, size_t team, size_t site,
			    enum slot_kind kind);

#endif
