/*
 * sequence.c - what is sent (replan-v1.md, "What is sent"): the iTIP
 * sequence of every event of a plan, whether it is new, changed or
 * unchanged since the previous plan, and which of the previous plan's
 * events are gone (cancelled).
 *
 * An event is identified by its UID (plan_session_uid, plan_invite_uid)
 * and compared by its key (calendar_event_key: its rendering without
 * DTSTAMP and SEQUENCE), the previous plan's rendered with its own
 * campaign, the new plan's with the new one:
 *
 *  - same UID, same key: same sequence, PLAN_CHANGE_NONE (not sent);
 *  - same UID, another key: sequence + 1, PLAN_CHANGE_CHANGED;
 *  - a UID the previous plan does not have: 0, PLAN_CHANGE_NEW, or, when
 *    the previous plan lists it as cancelled, the cancel's sequence + 1
 *    (calendars that kept the cancelled event ignore a lower one);
 *  - an event of the previous plan dated from p->today on that p does not
 *    have: cancelled, with sequence + 1 and cancelled_on = p->today.
 *
 * Events dated before p->today are history: they keep their sequence and
 * are not sent again, whatever the new campaign's words for them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sequence.h"
#include "banned.h"

/* One event of the previous plan. */
struct old_event {
	char uid[PLAN_UID_SIZE];
	char *key;  /* NULL for history (not compared) */
	int sequence;
	const struct plan_session *s;
	long unit;  /* -1: the session's own event */
	bool seen;  /* p has the UID */
};

struct old_index {
	struct old_event *events;
	size_t count, alloc;
	const struct plan_cancelled **cancelled; /* old's, by uid */
	size_t ncancelled;
};

static int cmp_event(const void *a, const void *b)
{
	return strcmp(((const struct old_event *)a)->uid, ((const struct old_event *)b)->uid);
}

static int cmp_cancelled_ptr(const void *a, const void *b)
{
	return strcmp((*(const struct plan_cancelled *const *)a)->uid,
		      (*(const struct plan_cancelled *const *)b)->uid);
}

static int cmp_cancelled(const void *a, const void *b)
{
	const struct plan_cancelled *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->uid, y->uid);
}

/* Whether visit i of s is the first one of its unit with people invited
 * (a visit of count 0, people who came uninvited to a held session, is no
 * invitation). */
static bool first_of_unit(const struct plan_session *s, size_t i)
{
	if (s->visits[i].count <= 0)
		return false;
	for (size_t j = 0; j < i; j++)
		if (s->visits[j].unit == s->visits[i].unit && s->visits[j].count > 0)
			return false;
	return true;
}

static void uid_of(const struct plan *p, const struct plan_session *s, long unit, char *out)
{
	if (unit < 0)
		plan_session_uid(p, s, out, PLAN_UID_SIZE);
	else
		plan_invite_uid(p, s, (size_t)unit, out, PLAN_UID_SIZE);
}

static int add_old(struct old_index *ix, struct cal_keys *keys, const struct plan *old,
		   const struct plan_session *s, long unit, int sequence, bool history,
		   struct rota_error *err)
{
	struct old_event *e;
	struct buf key;
	int rc;

	if (grow_array(&ix->events, &ix->alloc, ix->count + 1, sizeof(*ix->events)))
		return rota_error_set(err, ROTA_ENOMEM, "out of memory comparing plans");
	e = &ix->events[ix->count];
	memset(e, 0, sizeof(*e));
	uid_of(old, s, unit, e->uid);
	e->sequence = sequence < 0 ? 0 : sequence;
	e->s = s;
	e->unit = unit;
	ix->count++;
	if (history)
		return ROTA_OK;
	buf_init(&key);
	rc = calendar_event_key(keys, s, unit, &key, err);
	if (!rc) {
		e->key = buf_detach(&key);
		if (!e->key)
			rc = rota_error_set(err, ROTA_ENOMEM, "out of memory comparing plans");
	}
	buf_release(&key);
	return rc;
}

static void old_index_release(struct old_index *ix)
{
	for (size_t i = 0; i < ix->count; i++)
		free(ix->events[i].key);
	free(ix->events);
	free(ix->cancelled);
	memset(ix, 0, sizeof(*ix));
}

/* Every event of old, with its key when dated from today on, sorted by
 * UID; and old's cancelled events by UID. */
static int old_index_build(struct old_index *ix, const struct plan *old, int today,
			   const struct cal_options *o, struct rota_error *err)
{
	struct cal_keys *keys = NULL;
	int rc;

	memset(ix, 0, sizeof(*ix));
	rc = calendar_keys_new(&keys, old, o, err);
	for (size_t i = 0; i < old->nsessions && !rc; i++) {
		const struct plan_session *s = &old->sessions[i];
		bool history = today >= 0 && s->date < today;

		rc = add_old(ix, keys, old, s, -1, s->sequence, history, err);
		for (size_t v = 0; v < s->nvisits && !rc; v++) {
			const struct plan_invitation *inv;

			if (!first_of_unit(s, v))
				continue;
			inv = plan_invitation_of(s, s->visits[v].unit);
			rc = add_old(ix, keys, old, s, (long)s->visits[v].unit, inv ? inv->sequence : 0,
				     history, err);
		}
	}
	calendar_keys_free(keys);
	if (rc)
		return rc;
	if (ix->count)
		qsort(ix->events, ix->count, sizeof(*ix->events), cmp_event);
	if (old->ncancelled) {
		ix->cancelled = malloc(old->ncancelled * sizeof(*ix->cancelled));
		if (!ix->cancelled)
			return rota_error_set(err, ROTA_ENOMEM, "out of memory comparing plans");
		for (size_t i = 0; i < old->ncancelled; i++)
			if (old->cancelled[i].uid)
				ix->cancelled[ix->ncancelled++] = &old->cancelled[i];
		qsort(ix->cancelled, ix->ncancelled, sizeof(*ix->cancelled), cmp_cancelled_ptr);
	}
	return ROTA_OK;
}

static struct old_event *find_old(struct old_index *ix, const char *uid)
{
	struct old_event probe;
	size_t n = strlen(uid);

	if (!ix->count || n >= sizeof(probe.uid))
		return NULL;
	memcpy(probe.uid, uid, n + 1);
	return bsearch(&probe, ix->events, ix->count, sizeof(*ix->events), cmp_event);
}

static const struct plan_cancelled *find_old_cancelled(const struct old_index *ix,
							const char *uid)
{
	struct plan_cancelled probe;
	const struct plan_cancelled *key = &probe, *const *found;

	if (!ix->ncancelled)
		return NULL;
	memset(&probe, 0, sizeof(probe));
	probe.uid = (char *)(uintptr_t)uid;
	found = bsearch(&key, ix->cancelled, ix->ncancelled, sizeof(*ix->cancelled),
			cmp_cancelled_ptr);
	return found ? *found : NULL;
}

/* The sequence and change of p's event uid (s, unit) against the index. */
static int judge(struct old_index *ix, struct cal_keys *keys, const struct plan *p,
		 const struct plan_session *s, long unit, int *sequence, enum plan_change *change,
		 struct rota_error *err)
{
	char uid[PLAN_UID_SIZE];
	struct old_event *e;
	const struct plan_cancelled *gone;
	struct buf key;
	int rc;

	uid_of(p, s, unit, uid);
	e = find_old(ix, uid);
	if (e) {
		e->seen = true;
		*sequence = e->sequence;
		*change = PLAN_CHANGE_NONE;
		if (!e->key || (p->today >= 0 && s->date < p->today))
			return ROTA_OK; /* history */
		buf_init(&key);
		rc = calendar_event_key(keys, s, unit, &key, err);
		if (!rc && strcmp(buf_str(&key), e->key)) {
			*sequence = e->sequence + 1;
			*change = PLAN_CHANGE_CHANGED;
		}
		buf_release(&key);
		return rc;
	}
	gone = find_old_cancelled(ix, uid);
	*sequence = gone && gone->sequence >= 0 ? gone->sequence + 1 : 0;
	*change = PLAN_CHANGE_NEW;
	return ROTA_OK;
}

/* Fills s->invitations (distinct invited units, in visit order), each
 * judged against ix, or NEW at 0 when ix is NULL. */
static int assign_session(struct plan *p, struct plan_session *s, struct old_index *ix,
			  struct cal_keys *keys, struct rota_error *err)
{
	size_t n = 0;
	int rc = ROTA_OK;

	free(s->invitations);
	s->invitations = NULL;
	s->ninvitations = 0;
	s->sequence = 0;
	s->change = PLAN_CHANGE_NEW;
	if (ix)
		rc = judge(ix, keys, p, s, -1, &s->sequence, &s->change, err);
	for (size_t v = 0; v < s->nvisits; v++)
		n += first_of_unit(s, v);
	if (rc || !n)
		return rc;
	s->invitations = calloc(n, sizeof(*s->invitations));
	if (!s->invitations)
		return rota_error_set(err, ROTA_ENOMEM, "out of memory comparing plans");
	for (size_t v = 0; v < s->nvisits && !rc; v++) {
		struct plan_invitation *inv;

		if (!first_of_unit(s, v))
			continue;
		inv = &s->invitations[s->ninvitations++];
		inv->unit = s->visits[v].unit;
		inv->sequence = 0;
		inv->change = PLAN_CHANGE_NEW;
		if (ix)
			rc = judge(ix, keys, p, s, (long)inv->unit, &inv->sequence, &inv->change,
				   err);
	}
	return rc;
}

static struct plan_cancelled *find_cancelled(struct plan *p, const char *uid)
{
	for (size_t i = 0; i < p->ncancelled; i++)
		if (p->cancelled[i].uid && !strcmp(p->cancelled[i].uid, uid))
			return &p->cancelled[i];
	return NULL;
}

static void remove_cancelled(struct plan *p, size_t i)
{
	struct plan_cancelled *ev = &p->cancelled[i];

	free(ev->uid);
	free(ev->team);
	free(ev->site);
	free(ev->unit);
	free(ev->reason);
	memmove(ev, ev + 1, (p->ncancelled - i - 1) * sizeof(*ev));
	p->ncancelled--;
}

/* Records old event e, gone from p, as cancelled by p: fills the entry
 * that replan_solve() made for it (sequence -1, with its reason), or adds
 * one, as old published it. */
static int cancel_gone(struct plan *p, const struct plan *old, const struct old_event *e,
		       struct rota_error *err)
{
	const struct campaign *oc = old->campaign;
	const struct plan_session *s = e->s;
	struct plan_cancelled *have = find_cancelled(p, e->uid), ev;

	if (have) {
		if (have->sequence < 0) {
			have->sequence = e->sequence + 1;
			have->cancelled_on = p->today;
		}
		return ROTA_OK;
	}
	memset(&ev, 0, sizeof(ev));
	ev.uid = (char *)(uintptr_t)e->uid;
	ev.invitation = e->unit >= 0;
	ev.team = oc->teams[s->team].id;
	ev.site = oc->sites[s->site].id;
	ev.unit = e->unit >= 0 ? oc->units[e->unit].id : NULL;
	ev.date = s->date;
	ev.slot = s->slot;
	ev.start = s->start;
	ev.end = s->end;
	ev.arrive = s->start;
	ev.until = s->end;
	for (size_t v = 0; e->unit >= 0 && v < s->nvisits; v++) {
		if (s->visits[v].unit == (size_t)e->unit) {
			ev.arrive = s->visits[v].arrive;
			ev.until = s->visits[v].until;
			break;
		}
	}
	ev.sequence = e->sequence + 1;
	ev.cancelled_on = p->today;
	if (e->unit >= 0) {
		/* The reason replan_solve() gave for its session, if any. */
		char session_uid[PLAN_UID_SIZE];
		const struct plan_cancelled *of_session;

		plan_session_uid(old, s, session_uid, sizeof(session_uid));
		of_session = find_cancelled(p, session_uid);
		if (of_session)
			ev.reason = of_session->reason;
	}
	if (!plan_add_cancelled(p, &ev))
		return rota_error_set(err, ROTA_ENOMEM, "out of memory comparing plans");
	return ROTA_OK;
}

/* The UIDs of p's events, sorted (struct old_event is reused: uid only). */
struct uid_set {
	struct old_event *items;
	size_t count, alloc;
};

static int uid_set_add(struct uid_set *u, const struct plan *p, const struct plan_session *s,
		       long unit)
{
	if (grow_array(&u->items, &u->alloc, u->count + 1, sizeof(*u->items)))
		return ROTA_ENOMEM;
	memset(&u->items[u->count], 0, sizeof(*u->items));
	uid_of(p, s, unit, u->items[u->count].uid);
	u->count++;
	return ROTA_OK;
}

static int uid_set_build(struct uid_set *u, const struct plan *p)
{
	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < p->nsessions; i++) {
		const struct plan_session *s = &p->sessions[i];

		if (uid_set_add(u, p, s, -1))
			return ROTA_ENOMEM;
		for (size_t v = 0; v < s->nvisits; v++)
			if (first_of_unit(s, v) && uid_set_add(u, p, s, (long)s->visits[v].unit))
				return ROTA_ENOMEM;
	}
	if (u->count)
		qsort(u->items, u->count, sizeof(*u->items), cmp_event);
	return ROTA_OK;
}

/* Whether p has an event of that uid now. */
static bool current_in(const struct uid_set *u, const char *uid)
{
	struct old_index ix;

	memset(&ix, 0, sizeof(ix));
	ix.events = u->items;
	ix.count = u->count;
	return find_old(&ix, uid) != NULL;
}

/* The cancelled list of p after the comparison: entries that replan_solve()
 * made and nothing filled, and old's own entries, carried. */
static int settle_cancelled(struct plan *p, const struct plan *old, struct old_index *ix,
			    struct rota_error *err)
{
	struct uid_set now;

	if (uid_set_build(&now, p)) {
		free(now.items);
		return rota_error_set(err, ROTA_ENOMEM, "out of memory comparing plans");
	}
	for (size_t i = 0; i < p->ncancelled;) {
		struct plan_cancelled *ev = &p->cancelled[i];

		if (ev->sequence >= 0 || !ev->uid) {
			i++;
			continue;
		}
		/* No event of old is behind it: it is an event p has again, or
		 * one old had already cancelled (carried below), or one never
		 * published. */
		if (current_in(&now, ev->uid) || (ix && find_old_cancelled(ix, ev->uid))) {
			remove_cancelled(p, i);
			continue;
		}
		ev->sequence = 0;
		ev->cancelled_on = p->today;
		i++;
	}
	for (size_t i = 0; old && i < old->ncancelled; i++) {
		const struct plan_cancelled *oc = &old->cancelled[i];
		struct old_event *e;

		if (!oc->uid || find_cancelled(p, oc->uid))
			continue;
		e = ix ? find_old(ix, oc->uid) : NULL;
		if (e && e->seen)
			continue;
		if (!e && current_in(&now, oc->uid))
			continue; /* re-added: continues from the cancel */
		if (!plan_add_cancelled(p, oc)) {
			free(now.items);
			return rota_error_set(err, ROTA_ENOMEM, "out of memory comparing plans");
		}
	}
	free(now.items);
	if (p->ncancelled > 1)
		qsort(p->cancelled, p->ncancelled, sizeof(*p->cancelled), cmp_cancelled);
	return ROTA_OK;
}

int sequence_assign(struct plan *p, const struct plan *old, const struct cal_options *o,
		    struct rota_error *err)
{
	struct old_index ix;
	struct cal_keys *keys = NULL;
	int rc = ROTA_OK;

	memset(&ix, 0, sizeof(ix));
	if (!old) {
		for (size_t i = 0; i < p->nsessions && !rc; i++)
			rc = assign_session(p, &p->sessions[i], NULL, NULL, err);
		if (!rc)
			rc = settle_cancelled(p, NULL, NULL, err);
		return rc;
	}
	/* One key writer at a time: the old plan's keys are made first. */
	rc = old_index_build(&ix, old, p->today, o, err);
	if (!rc)
		rc = calendar_keys_new(&keys, p, o, err);
	for (size_t i = 0; i < p->nsessions && !rc; i++)
		rc = assign_session(p, &p->sessions[i], &ix, keys, err);
	calendar_keys_free(keys);
	for (size_t i = 0; i < ix.count && !rc; i++) {
		const struct old_event *e = &ix.events[i];

		if (e->seen || (p->today >= 0 && e->s->date < p->today))
			continue;
		rc = cancel_gone(p, old, e, err);
	}
	if (!rc)
		rc = settle_cancelled(p, old, &ix, err);
	old_index_release(&ix);
	return rc;
}
