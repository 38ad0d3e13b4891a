/*
 * sequence.h - what changed between the previous plan and the new one,
 * event by event (replan-v1.md, "What is sent"): iTIP sequences of session
 * events and invitations, which are new, changed or unchanged, and which
 * of the previous plan's events from new->today on are gone (cancelled).
 * An event is unchanged when its rendering (time, window, place, people,
 * text; not DTSTAMP or SEQUENCE) is the same (calendar_event_key).
 */
#ifndef ROTA_SEQUENCE_H
#define ROTA_SEQUENCE_H

#include "calendar.h"
#include "plan.h"
#include "util.h"

/*
 * Fills every session's sequence/change and invitations[] of p, and
 * appends to p->cancelled the events of old that are gone (sequence one
 * higher than old's, cancelled_on = p->today) after old's own cancelled
 * events (kept, unless p has the UID again: it then continues from the
 * cancelled sequence + 1). old may be NULL (a first plan: everything
 * sequence 0, PLAN_CHANGE_NEW). Returns 0, ROTA_ENOMEM, or ROTA_EIO from
 * the renderer with err set.
 */
int sequence_assign(struct plan *p, const struct plan *old, const struct cal_options *o,
		    struct rota_error *err);

#endif
