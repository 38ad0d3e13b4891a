#!/usr/bin/python3
"""Makes a re-plan by hand from a first plan, so that check_replan.py and
its mutations can be tested without the planner:

    fake_replan.py OLD_DIR NEW_DIR --today YYYY-MM-DD [--freeze DAYS]
                   [--actuals ACTUALS.csv] [--same]

NEW_DIR gets OLD's campaign.json and a rota.json as replan-v1.md describes
it: sessions before today held (came from the actuals, or the count,
assumed), those of the freeze window frozen, and, unless --same, one later
day session moved to the first free day after the freeze window (its
session and invitations cancelled, new ones in its place) and one visit of
another later session one person smaller (the session and the unit's
invitation changed); the outbox as the planner would write it, one .ics
per message (REQUEST for new and changed invitations, CANCEL for those
cancelled). Coverage is counted again. Exits 1 when the plan offers no
session to move or change.
"""
import argparse
import copy
import datetime as dt
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_plan  # noqa: E402
import check_replan  # noqa: E402

SLOT_ORDER = check_plan.SLOT_ORDER


def uid_for(s, campaign_id):
    d = s["date"].replace("-", "")
    return f"{d}-{s['slot']}.{s['site']}.{s['team']}.{campaign_id}@rota"


def units_of(s):
    out = []
    for v in s["visits"]:
        if v["unit"] not in out and v["count"] > 0:
            out.append(v["unit"])
    return out


def set_invitations(s, change, bump=0, only=None):
    old = {i["unit"]: i for i in s.get("invitations", [])}
    s["invitations"] = []
    for u in units_of(s):
        seq = old.get(u, {}).get("sequence", 0)
        if only is None or u == only:
            s["invitations"].append({"unit": u, "sequence": seq + bump, "change": change})
        else:
            s["invitations"].append({"unit": u, "sequence": seq, "change": "none"})


def cancelled_entry(uid, kind, s, unit, sequence, today):
    x = {"uid": uid, "event": kind, "team": s["team"], "site": s["site"]}
    if unit is not None:
        x["unit"] = unit
        v = next(v for v in s["visits"] if v["unit"] == unit)
        arrive, until = v["arrive"], v["until"]
    else:
        arrive, until = s["start"], s["end"]
    x.update({"date": s["date"], "slot": s["slot"], "start": s["start"], "end": s["end"],
              "arrive": arrive, "until": until, "sequence": sequence, "cancelled_on": today})
    return x


def free_day(c, plan, s, after):
    """The first date after `after` on which s's team can hold a day session
    at s's site that the plan does not already hold, nor held and cancelled
    in an earlier re-plan (its uid again would have to carry the cancelled
    event's sequence on)."""
    team, site = c.teams[s["team"]], c.sites[s["site"]]
    taken = {(x["team"], x["date"], x["slot"]) for x in plan["sessions"]}
    gone = {x["uid"].split(".")[0] + "." + ".".join(x["uid"].split(".")[1:3])
            for x in plan.get("cancelled", []) if x.get("event", "session") == "session"}
    d = after + dt.timedelta(days=1)
    while d <= c.end:
        key = f"{d.isoformat().replace('-', '')}-{s['slot']}.{s['site']}.{s['team']}"
        if (s["slot"] in c.kinds_on(d) and key not in gone
                and not check_plan.in_ranges(d, check_plan.ranges(team.get("unavailable")))
                and not check_plan.in_ranges(d, check_plan.ranges(site.get("closed")))
                and (s["team"], d.isoformat(), s["slot"]) not in taken
                and all(d >= check_plan.date(c.groups[v["group"]].get("from", c.start.isoformat()))
                        for v in s["visits"])):
            return d
        d += dt.timedelta(days=1)
    return None


def coverage(c, plan, today):
    came, planned, by_deadline = {}, {}, {}
    for s in plan["sessions"]:
        for v in s["visits"]:
            k = (v["unit"], v["group"], v["service"])
            deadline = c.groups[v["group"]].get("deadline", c.end.isoformat())
            n = v["came"] if s["date"] < today else v["count"]
            if s["date"] < today:
                came[k] = came.get(k, 0) + n
            planned[k] = planned.get(k, 0) + n
            if s["date"] <= deadline:
                by_deadline[k] = by_deadline.get(k, 0) + n
    for r in plan["coverage"]:
        k = (r["unit"], r["group"], r["service"])
        r["came"] = came.get(k, 0)
        r["planned"] = planned.get(k, 0)
        r["by_deadline"] = by_deadline.get(k, 0)


def write_outbox(new_dir, plan, raw, old_raw, today):
    from icalendar import Calendar, Event

    emails = {u["id"]: (u.get("contact") or {}).get("email") for u in raw["units"]}
    old_emails = {u["id"]: (u.get("contact") or {}).get("email") for u in old_raw["units"]}
    org = raw["campaign"]["organizer"]["email"]
    outbox = os.path.join(new_dir, "outbox")
    os.makedirs(outbox)
    messages = []
    for s in plan["sessions"]:
        for inv in s.get("invitations", []):
            if inv["change"] in ("new", "changed") and emails.get(inv["unit"]):
                messages.append(("REQUEST", s, inv["unit"], inv["sequence"],
                                 emails[inv["unit"]]))
    for x in plan.get("cancelled", []):
        if x["event"] == "invitation" and x["cancelled_on"] == today and old_emails.get(x["unit"]):
            messages.append(("CANCEL", x, x["unit"], x["sequence"], old_emails[x["unit"]]))
    for method, s, unit, seq, mail in messages:
        cal = Calendar()
        cal.add("prodid", "-//rota tests//fake_replan//EN")
        cal.add("version", "2.0")
        cal.add("method", method)
        ev = Event()
        sess = dict(s, uid=s["uid"]) if method == "REQUEST" else s
        base = sess["uid"] if method == "REQUEST" else None
        uid = check_replan.invite_uid(sess, unit, raw["campaign"]["id"]) if base else s["uid"]
        ev.add("uid", uid)
        ev.add("sequence", seq)
        ev.add("dtstamp", dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
        ev.add("dtstart", dt.datetime.fromisoformat(s["date"] + "T" + (
            s["start"] if method == "CANCEL" else
            next(v["arrive"] for v in s["visits"] if v["unit"] == unit))))
        ev.add("organizer", "mailto:" + org)
        ev.add("attendee", "mailto:" + mail)
        if method == "CANCEL":
            ev.add("status", "CANCELLED")
        cal.add_component(ev)
        name = check_replan.session_name(s["date"], s["slot"], s["site"], s["team"])
        os.makedirs(os.path.join(outbox, unit), exist_ok=True)
        with open(os.path.join(outbox, unit, name + ".ics"), "wb") as f:
            f.write(cal.to_ical())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old_dir")
    ap.add_argument("new_dir")
    ap.add_argument("--today", required=True)
    ap.add_argument("--freeze", type=int, default=7)
    ap.add_argument("--actuals")
    ap.add_argument("--same", action="store_true")
    a = ap.parse_args()
    old, raw = check_replan.load_dir(a.old_dir)
    actuals = check_replan.read_actuals(a.actuals) if a.actuals else {}
    c = check_plan.Campaign(raw)
    today = a.today
    freeze_end = (dt.date.fromisoformat(today) + dt.timedelta(days=a.freeze - 1)).isoformat()
    plan = copy.deepcopy(old)
    cid = plan["campaign"]
    plan["today"] = today
    plan["freeze_until"] = freeze_end
    carried = list(old.get("cancelled", []))
    for s in plan["sessions"]:
        s.setdefault("sequence", 0)
        s["change"] = "none"
        set_invitations(s, "none")
        if s["date"] < today:
            s["origin"] = "held"
            for v in s["visits"]:
                key = (s["date"], s["slot"], s["team"], s["site"], v["unit"], v["group"],
                       v["service"])
                if key in actuals:
                    v["came"] = actuals[key]
                    v.pop("assumed", None)
                elif "came" not in v:
                    v["came"] = v["count"]
                    v["assumed"] = True
        elif s["date"] <= freeze_end:
            s["origin"] = "frozen"
        else:
            s["origin"] = "kept"
    cancelled = []
    if not a.same:
        later = [s for s in plan["sessions"] if s["date"] > freeze_end and s["visits"]]
        move = next((s for s in reversed(later) if s["slot"] == "day"
                     and free_day(c, plan, s, dt.date.fromisoformat(freeze_end))), None)
        change = next((s for s in later if s is not move
                       and any(v["count"] >= 2 for v in s["visits"])), None)
        if move is None or change is None:
            print("fake_replan.py: no later day session to move, or none to change",
                  file=sys.stderr)
            return 1
        d = free_day(c, plan, move, dt.date.fromisoformat(freeze_end))
        cancelled.append(cancelled_entry(move["uid"], "session", move, None,
                                         move["sequence"] + 1, today))
        for inv in move["invitations"]:
            cancelled.append(cancelled_entry(check_replan.invite_uid(move, inv["unit"], cid),
                                             "invitation", move, inv["unit"],
                                             inv["sequence"] + 1, today))
        move["date"] = d.isoformat()
        move["uid"] = uid_for(move, cid)
        move["origin"] = "new"
        move["sequence"] = 0
        move["change"] = "new"
        move["invitations"] = []
        set_invitations(move, "new")
        for inv in move["invitations"]:
            inv["sequence"] = 0
        v = next(v for v in change["visits"] if v["count"] >= 2)
        v["count"] -= 1
        change["sequence"] += 1
        change["change"] = "changed"
        set_invitations(change, "changed", bump=1, only=v["unit"])
    plan["sessions"].sort(key=lambda s: (s["date"], SLOT_ORDER.index(s["slot"]), s["team"],
                                         s["site"]))
    plan["cancelled"] = sorted(carried + cancelled, key=lambda x: (x["date"], x["uid"]))
    coverage(c, plan, today)
    if os.path.exists(a.new_dir):
        shutil.rmtree(a.new_dir)
    os.makedirs(a.new_dir)
    shutil.copy(os.path.join(a.old_dir, "campaign.json"), os.path.join(a.new_dir, "campaign.json"))
    with open(os.path.join(a.new_dir, "rota.json"), "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=False, indent=1)
    write_outbox(a.new_dir, plan, raw, raw, today)
    return 0


if __name__ == "__main__":
    sys.exit(main())
