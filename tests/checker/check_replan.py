#!/usr/bin/python3
"""Independent checker of a re-plan against the plan it replaces.

    check_replan.py OLD_DIR NEW_DIR --today YYYY-MM-DD [--freeze DAYS]
                    [--actuals ACTUALS.csv]

Reads OLD_DIR/rota.json, OLD_DIR/campaign.json, NEW_DIR/rota.json and
NEW_DIR/campaign.json with Python's json module and checks what
replan-v1.md promises, sharing no code with the planner:

  history   every session of OLD before today is in NEW unchanged (uid,
            team, site, date, slot, start, end, visits and their windows),
            each visit with the came of the actuals, else OLD's came, else
            its count (then "assumed"); a visit added to it is a row of the
            actuals for a unit not invited (count 0);
  freeze    every session of OLD from today to today + freeze - 1 is in NEW
            unchanged, or in NEW's cancelled list with a reason;
  rules     rules 1-6 on NEW's sessions from today on, and coverage
            (check_plan.py, the checker's own code);
  sequence  an unchanged event keeps its sequence, a changed one has it one
            higher, a new one 0 (or its last cancelled sequence + 1); every
            OLD event from today on that is gone is in NEW's cancelled list
            with its sequence one higher; OLD's cancelled events are kept;
  outbox    when NEW_DIR/outbox exists, it holds exactly the new and
            changed invitations as METHOD:REQUEST and the invitations
            cancelled by this plan as METHOD:CANCEL (STATUS:CANCELLED), for
            units with a contact e-mail, parsed with python3-icalendar; an
            .eml beside an .ics carries the same METHOD as its MIME method.

Events are the team calendar's session events (the session's uid) and the
units' invitations (uid: the session's with the unit id before the
campaign id). An event "changed" when its fields did: a session's date,
slot, team, site, hours and visits; an invitation's date, slot, team, site,
arrival window and the unit's visits. Where only the words around an event
changed (the campaign's entries for its team, site or unit, or the
session's hours for an invitation), either sequence is accepted.

Prints one line per problem and exits 1 if there is any, 0 otherwise.
"""
import argparse
import csv
import datetime as dt
import email
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_plan  # noqa: E402  (the checker's own rules 1-6)

SESSION_FIELDS = ("uid", "team", "site", "date", "slot", "start", "end")
VISIT_FIELDS = ("unit", "group", "service", "count", "arrive", "until")


def load_dir(path):
    with open(os.path.join(path, "rota.json"), encoding="utf-8") as f:
        plan = json.load(f)
    with open(os.path.join(path, "campaign.json"), encoding="utf-8") as f:
        campaign = json.load(f)
    return plan, campaign


def read_actuals(path):
    """{(date, slot, team, site, unit, group, service): came}."""
    rows = {}
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        col = {name: header.index(name) for name in
               ("date", "slot", "team", "site", "unit", "group", "service", "came")}
        for row in reader:
            if not row:
                continue
            key = tuple(row[col[n]] for n in
                        ("date", "slot", "team", "site", "unit", "group", "service"))
            rows[key] = int(row[col["came"]])
    return rows


def visit_key(v):
    return tuple(v[k] for k in VISIT_FIELDS)


def session_fields(s, drop_uninvited=False):
    visits = [visit_key(v) for v in s["visits"]
              if not (drop_uninvited and v["count"] == 0)]
    return tuple(s[k] for k in SESSION_FIELDS) + (tuple(sorted(visits)),)


def invite_uid(s, unit, campaign_id):
    """The invitation's UID: the session's with the unit before the campaign."""
    suffix = "." + campaign_id + "@rota"
    assert s["uid"].endswith(suffix), s["uid"]
    return s["uid"][:-len(suffix)] + "." + unit + suffix


def session_name(date, slot, site, team):
    return f"{date}-{slot}-{site}-{team}"


def events(plan, campaign):
    """{uid: event} for a plan's session events and invitations."""
    out = {}
    cid = plan["campaign"]
    for s in plan["sessions"]:
        invs = {i["unit"]: i for i in s.get("invitations", [])}
        out[s["uid"]] = {
            "kind": "session", "date": s["date"], "team": s["team"], "site": s["site"],
            "unit": None, "fields": session_fields(s, drop_uninvited=True),
            "sequence": s.get("sequence", 0), "change": s.get("change"),
            "session": s, "name": session_name(s["date"], s["slot"], s["site"], s["team"]),
        }
        units = []
        for v in s["visits"]:
            if v["unit"] not in units:
                units.append(v["unit"])
        for u in units:
            mine = [v for v in s["visits"] if v["unit"] == u]
            if all(v["count"] == 0 for v in mine):
                continue  # came uninvited: not an invitation
            inv = invs.get(u, {})
            out[invite_uid(s, u, cid)] = {
                "kind": "invitation", "date": s["date"], "team": s["team"], "site": s["site"],
                "unit": u,
                "fields": (s["date"], s["slot"], s["team"], s["site"], mine[0]["arrive"],
                           mine[0]["until"],
                           tuple(sorted((v["group"], v["service"], v["count"]) for v in mine))),
                "hours": (s["start"], s["end"]),
                "sequence": inv.get("sequence", 0), "change": inv.get("change"),
                "session": s, "name": session_name(s["date"], s["slot"], s["site"], s["team"]),
            }
    return out


def by_id(items):
    return {x["id"]: x for x in items}


# Keys of the campaign's entries that say when and how much, not what an
# event's text says: an edit of them alone must not excuse a new sequence.
SCHEDULING_KEYS = {
    "team": ("capacity", "slots", "officers", "communes", "max_extra_per_week", "unavailable",
             "base"),
    "site": ("slots", "closed", "commune"),
    "unit": ("demand", "commune"),
    "group": ("priority", "from", "slots", "at", "turnout"),
}


def words_of(kind, entry):
    if entry is None:
        return None
    return {k: v for k, v in entry.items() if k not in SCHEDULING_KEYS[kind]}


def context(campaign, ev):
    """What an event's words are made of besides its fields."""
    c = campaign
    parts = [c["campaign"].get("name"), c["campaign"].get("timezone"),
             c["campaign"].get("organizer"), c.get("services"),
             words_of("team", by_id(c["teams"]).get(ev["team"])),
             words_of("site", by_id(c["sites"]).get(ev["site"]))]
    units = {v["unit"] for v in ev["session"]["visits"]} if ev["unit"] is None else {ev["unit"]}
    parts += [words_of("unit", by_id(c["units"]).get(u)) for u in sorted(units)]
    parts += [words_of("group", by_id(c["groups"]).get(v["group"])) for v in ev["session"]["visits"]]
    return json.dumps(parts, sort_keys=True, ensure_ascii=False)


def unit_email(campaign, unit):
    u = by_id(campaign["units"]).get(unit)
    return bool(u and (u.get("contact") or {}).get("email"))


def check(old_dir, new_dir, today, freeze, actuals_path):
    problems = []

    def bad(where, msg):
        problems.append(f"{where}: {msg}")

    old, old_c = load_dir(old_dir)
    new, new_c = load_dir(new_dir)
    actuals = read_actuals(actuals_path) if actuals_path else {}
    today_d = dt.date.fromisoformat(today)
    freeze_end = (today_d + dt.timedelta(days=freeze - 1)).isoformat()

    if new.get("campaign") != old.get("campaign"):
        bad("campaign", f"{new.get('campaign')!r} is not the previous plan's {old.get('campaign')!r}")
    if new.get("today") != today:
        bad("today", f"{new.get('today')!r}, expected {today!r}")
    if new.get("freeze_until") != freeze_end:
        bad("freeze_until", f"{new.get('freeze_until')!r}, expected {freeze_end!r}")

    new_sessions = {s["uid"]: s for s in new["sessions"]}
    cancelled = {}
    for i, x in enumerate(new.get("cancelled", [])):
        if x["uid"] in cancelled:
            bad(f"cancelled[{i}] {x['uid']}", "listed twice")
        cancelled[x["uid"]] = x
    old_cancelled = {x["uid"]: x for x in old.get("cancelled", [])}

    # History: every session of OLD before today, unchanged, with came.
    old_uids = set()
    for s in old["sessions"]:
        old_uids.add(s["uid"])
        if s["date"] >= today:
            continue
        where = f"history {s['uid']}"
        n = new_sessions.get(s["uid"])
        if n is None:
            bad(where, "missing from the new plan (replan rule 1)")
            continue
        if n.get("origin") != "held":
            bad(where, f"origin {n.get('origin')!r}, expected 'held'")
        for k in SESSION_FIELDS:
            if n[k] != s[k]:
                bad(where, f"{k} {n[k]!r}, was {s[k]!r} (replan rule 1)")
        new_visits = {(v["unit"], v["group"], v["service"]): v for v in n["visits"]}
        for v in s["visits"]:
            vk = (v["unit"], v["group"], v["service"])
            nv = new_visits.pop(vk, None)
            if nv is None:
                bad(where, f"visit {'/'.join(vk)} missing (replan rule 1)")
                continue
            if visit_key(nv) != visit_key(v):
                bad(where, f"visit {'/'.join(vk)} {visit_key(nv)}, was {visit_key(v)} (replan rule 1)")
            akey = (s["date"], s["slot"], s["team"], s["site"]) + vk
            if akey in actuals:
                want, assumed = actuals[akey], False
            elif "came" in v:
                want, assumed = v["came"], bool(v.get("assumed"))
            else:
                want, assumed = v["count"], True
            if nv.get("came") != want:
                bad(where, f"visit {'/'.join(vk)} came {nv.get('came')!r}, expected {want} "
                    "(from the actuals, the previous plan or its count)")
            if bool(nv.get("assumed")) != assumed:
                bad(where, f"visit {'/'.join(vk)} assumed {bool(nv.get('assumed'))}, expected {assumed}")
        for vk, nv in new_visits.items():
            akey = (s["date"], s["slot"], s["team"], s["site"]) + vk
            if nv["count"] != 0 or akey not in actuals or nv.get("came") != actuals[akey]:
                bad(where, f"visit {'/'.join(vk)} added, not a row of the actuals for a unit "
                    "not invited (count 0, its came)")
    for s in new["sessions"]:
        if s["date"] < today and s["uid"] not in old_uids:
            bad(f"history {s['uid']}", "a session before today that the previous plan did not have")
        if s["date"] >= today and s.get("origin") == "held":
            bad(f"session {s['uid']}", "held but dated from today on")

    # Freeze window: kept unchanged, or cancelled with a reason.
    for s in old["sessions"]:
        if not today <= s["date"] <= freeze_end:
            continue
        where = f"frozen {s['uid']}"
        n = new_sessions.get(s["uid"])
        if n is None:
            x = cancelled.get(s["uid"])
            if x is None or x.get("event") != "session":
                bad(where, "neither kept nor cancelled (replan rule 2)")
            elif not x.get("reason"):
                bad(where, "cancelled without a reason (replan rule 2)")
            continue
        if session_fields(n) != session_fields(s):
            bad(where, "changed: an announced session is kept as it is (replan rule 2)")
        if n.get("origin") != "frozen":
            bad(where, f"origin {n.get('origin')!r}, expected 'frozen'")

    # Rules 1-6 and coverage, with the checker's own code.
    for p in check_plan.check_loaded(new_c, new):
        problems.append("rules: " + p)

    # Sequences of every event.
    old_ev = events(old, old_c)
    new_ev = events(new, new_c)
    for uid, ev in sorted(new_ev.items()):
        where = f"sequence {uid}"
        o = old_ev.get(uid)
        seq, change = ev["sequence"], ev["change"]
        if uid in cancelled:
            bad(where, "current and in the cancelled list")
        if o is None:
            want = old_cancelled[uid]["sequence"] + 1 if uid in old_cancelled else 0
            if seq != want or change != "new":
                bad(where, f"a new event: sequence {seq} change {change!r}, expected {want} 'new'")
            continue
        same = ev["fields"] == o["fields"]
        # People who came uninvited may show in a held session's words.
        words_same = context(new_c, ev) == context(old_c, o) and \
            ev.get("hours") == o.get("hours") and \
            not any(v["count"] == 0 for v in ev["session"]["visits"])
        if same and words_same:
            if seq != o["sequence"] or change != "none":
                bad(where, f"unchanged: sequence {seq} change {change!r}, "
                    f"expected {o['sequence']} 'none'")
        elif not same:
            if seq != o["sequence"] + 1 or change != "changed":
                bad(where, f"changed: sequence {seq} change {change!r}, "
                    f"expected {o['sequence'] + 1} 'changed'")
        elif (seq, change) not in ((o["sequence"], "none"), (o["sequence"] + 1, "changed")):
            bad(where, f"sequence {seq} change {change!r}, expected {o['sequence']} 'none' "
                f"or {o['sequence'] + 1} 'changed'")
    for uid, o in sorted(old_ev.items()):
        if uid in new_ev or o["date"] < today:
            continue
        x = cancelled.get(uid)
        where = f"cancelled {uid}"
        if x is None:
            bad(where, "gone from the new plan but not in its cancelled list")
            continue
        if x.get("event") != o["kind"]:
            bad(where, f"event {x.get('event')!r}, expected {o['kind']!r}")
        if x.get("sequence") != o["sequence"] + 1:
            bad(where, f"sequence {x.get('sequence')}, expected {o['sequence'] + 1}")
        if x.get("cancelled_on") != today:
            bad(where, f"cancelled_on {x.get('cancelled_on')!r}, expected {today!r}")
        for k in ("team", "site", "date"):
            if x.get(k) != o[k]:
                bad(where, f"{k} {x.get(k)!r}, published {o[k]!r}")
        if o["unit"] is not None and x.get("unit") != o["unit"]:
            bad(where, f"unit {x.get('unit')!r}, published {o['unit']!r}")
    for uid, x in sorted(old_cancelled.items()):
        if uid in new_ev:
            continue
        y = cancelled.get(uid)
        if y is None:
            bad(f"cancelled {uid}", "cancelled by an earlier plan and dropped from the list")
        elif (y.get("sequence"), y.get("cancelled_on")) != (x.get("sequence"), x.get("cancelled_on")):
            bad(f"cancelled {uid}", "an earlier cancellation changed")
    for uid, x in sorted(cancelled.items()):
        if uid not in old_ev and uid not in old_cancelled:
            bad(f"cancelled {uid}", "never published by the previous plan")
    keys = [(x["date"], x["uid"]) for x in new.get("cancelled", [])]
    if keys != sorted(keys):
        bad("cancelled", "not sorted by date, then uid")

    outbox = os.path.join(new_dir, "outbox")
    if os.path.isdir(outbox):
        problems += check_outbox(outbox, new_ev, cancelled, new_c, old_c, today)
    return problems


def check_outbox(outbox, new_ev, cancelled, new_c, old_c, today):
    from icalendar import Calendar

    problems = []
    want = {}
    for uid, ev in new_ev.items():
        if ev["kind"] == "invitation" and ev["change"] in ("new", "changed") and \
                unit_email(new_c, ev["unit"]):
            want[(ev["unit"], ev["name"], uid)] = ("REQUEST", ev["sequence"])
    for uid, x in cancelled.items():
        if x.get("event") == "invitation" and x.get("cancelled_on") == today and \
                unit_email(old_c, x["unit"]):
            name = session_name(x["date"], x["slot"], x["site"], x["team"])
            want[(x["unit"], name, uid)] = ("CANCEL", x["sequence"])
    have = {}
    for unit in sorted(os.listdir(outbox)):
        for fn in sorted(os.listdir(os.path.join(outbox, unit))):
            path = os.path.join(outbox, unit, fn)
            if fn.endswith(".eml"):
                continue
            if not fn.endswith(".ics"):
                problems.append(f"outbox {unit}/{fn}: not an .ics or .eml file")
                continue
            with open(path, "rb") as f:
                cal = Calendar.from_ical(f.read())
            method = str(cal.get("METHOD", ""))
            for ev in cal.walk("VEVENT"):
                key = (unit, fn[:-4], str(ev.get("UID")))
                if key in have:
                    problems.append(f"outbox {unit}/{fn}: {key[2]} twice")
                have[key] = (method, int(ev.get("SEQUENCE", 0)))
                status = str(ev.get("STATUS", ""))
                if method == "CANCEL" and status != "CANCELLED":
                    problems.append(f"outbox {unit}/{fn}: a CANCEL with STATUS {status!r}")
            eml = path[:-4] + ".eml"
            if os.path.exists(eml):
                with open(eml, "rb") as f:
                    msg = email.message_from_binary_file(f)
                parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
                if not parts:
                    problems.append(f"outbox {unit}/{fn[:-4]}.eml: no text/calendar part")
                for p in parts:
                    if (p.get_param("method") or "").upper() != method:
                        problems.append(f"outbox {unit}/{fn[:-4]}.eml: MIME method "
                                        f"{p.get_param('method')!r}, the calendar's is {method!r}")
    for key in sorted(set(want) | set(have)):
        where = f"outbox {key[0]}/{key[1]}.ics {key[2]}"
        if key not in have:
            problems.append(f"{where}: missing, expected {want[key][0]} sequence {want[key][1]}")
        elif key not in want:
            problems.append(f"{where}: {have[key][0]} sequence {have[key][1]} sent, "
                            "but the invitation is neither new, changed nor cancelled now")
        elif have[key] != want[key]:
            problems.append(f"{where}: {have[key][0]} sequence {have[key][1]}, "
                            f"expected {want[key][0]} sequence {want[key][1]}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old_dir")
    ap.add_argument("new_dir")
    ap.add_argument("--today", required=True)
    ap.add_argument("--freeze", type=int, default=7)
    ap.add_argument("--actuals")
    a = ap.parse_args()
    problems = check(a.old_dir, a.new_dir, a.today, a.freeze, a.actuals)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
