#!/usr/bin/python3
"""Independent checker of a rota plan against its campaign.

    check_plan.py CAMPAIGN.json DIR/rota.json

Re-reads both files with Python's json module and checks rules 1-6 of
campaign-v1.md and the promises of plan-v1.md, sharing no code with the
planner (it is written from the specifications alone). Prints one line per
problem and exits 1 if there is any, 0 otherwise.

A re-plan (replan-v1.md: rota.json has "today") is checked as that page
says: sessions before today are history, checked by check_replan.py
against the previous plan, not by the rules (the campaign may have changed
since); they count with the people who came. Rules 1-6 hold for the
sessions from today on, except that announced (frozen) sessions keep their
published hours; a week's extra sessions count the held ones; and for each
demand row, came plus the people invited from today on is at most its
count, and coverage has came, planned = came + invited from today on and
by_deadline likewise.
"""
import datetime as dt
import json
import sys

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SLOT_ORDER = ["day", "evening", "weekend", "holiday"]
EPS = 1e-6


def minutes(hhmm):
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def date(text):
    return dt.date.fromisoformat(text)


def ranges(items):
    out = []
    for r in items or []:
        a, _, b = r.partition("/")
        out.append((date(a), date(b or a)))
    return out


def in_ranges(d, rs):
    return any(a <= d <= b for a, b in rs)


class Campaign:
    def __init__(self, raw):
        c = raw["campaign"]
        self.id = c["id"]
        self.start = date(c["start"])
        self.end = date(c["end"])
        cal = raw.get("calendar", {})
        self.workdays = {WEEKDAYS.index(w) for w in cal.get("workdays", WEEKDAYS[:5])}
        self.holidays = ranges(cal.get("holidays"))
        self.extra_workdays = ranges(cal.get("extra_workdays"))
        dflt = {
            "day": {"start": "07:30", "end": "17:00", "breaks": [["11:30", "13:30"]]},
            "evening": {"start": "18:00", "end": "21:00"},
            "weekend": {"start": "07:30", "end": "17:00", "breaks": [["11:30", "13:30"]]},
        }
        given = cal.get("slots", {})
        slots = {k: given.get(k, v) for k, v in dflt.items()}
        slots["holiday"] = given.get("holiday", slots["weekend"])
        self.slots = {}
        for k, w in slots.items():
            s, e = minutes(w["start"]), minutes(w["end"])
            brk = [(minutes(a), minutes(b)) for a, b in w.get("breaks", [])]
            self.slots[k] = (s, e, brk, e - s - sum(b - a for a, b in brk))
        self.services = raw["services"]
        self.groups = {g["id"]: g for g in raw["groups"]}
        self.sites = {s["id"]: s for s in raw["sites"]}
        self.travel = {}
        for a, b, m in raw.get("travel", []):
            self.travel[(a, b)] = m
            self.travel[(b, a)] = m
        self.teams = {t["id"]: t for t in raw["teams"]}
        self.units = {u["id"]: u for u in raw["units"]}
        self.fixed = raw.get("fixed", [])
        self.raw = raw

    def person_load(self, group, cap):
        """Rule 5: the share of a full day slot one invited person of group
        takes from a team whose capacity for the service is cap; a group
        served at home takes home_visit_minutes of the day instead
        (campaign-format.md, "Home visits")."""
        g = self.groups[group]
        if g.get("home") is True:
            return g.get("turnout", 1) * \
                self.raw["campaign"].get("home_visit_minutes", 30) / self.slots["day"][3]
        return g.get("turnout", 1) / cap

    def intake_deadline(self, group, service):
        """The last intake date that gives the card by the group's deadline:
        the deadline less the service's lead_days."""
        g = self.groups[group]
        lead = self.services.get(service, {}).get("lead_days", 0)
        return date(g.get("deadline", self.end.isoformat())) - dt.timedelta(days=lead)

    def trav(self, a, b):
        if a == b:
            return 0
        return self.travel.get((a, b))

    def kinds_on(self, d):
        if d < self.start or d > self.end:
            return set()
        if in_ranges(d, self.holidays):
            return {"holiday"}
        if d.weekday() in self.workdays or in_ranges(d, self.extra_workdays):
            return {"day", "evening"}
        return {"weekend"}

    def unit_commune(self, u):
        return u.get("commune", self.sites[u["site"]].get("commune"))


def check(campaign_path, plan_path):
    with open(campaign_path, encoding="utf-8") as f:
        raw = json.load(f)
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    return check_loaded(raw, plan)


def check_loaded(raw_campaign, plan):
    """The problems of plan (rota.json, parsed) against the campaign (parsed)."""
    problems = []

    def bad(where, msg):
        problems.append(f"{where}: {msg}")

    c = Campaign(raw_campaign)
    today = date(plan["today"]) if plan.get("today") is not None else None

    if plan.get("format") != "rota-plan/1":
        bad("format", f"expected rota-plan/1, found {plan.get('format')!r}")
    if plan.get("campaign") != c.id:
        bad("campaign", f"expected {c.id!r}")

    sessions = plan["sessions"]
    seen = set()
    extra_per_week = {}
    extra_weeks_planned = set()
    invited = {}
    invited_by_deadline = {}
    came = {}
    came_by_deadline = {}
    keys = []
    uids = set()
    for i, s in enumerate(sessions):
        where = f"sessions[{i}] {s['date']} {s['slot']} {s['team']}@{s['site']}"
        d = date(s["date"])
        team = c.teams[s["team"]]
        site = c.sites[s["site"]]
        kind = s["slot"]
        keys.append((d, SLOT_ORDER.index(kind), s["team"], s["site"]))
        if s["uid"] in uids:
            bad(where, "uid repeated")
        uids.add(s["uid"])
        if today is not None and d < today:
            # History: as it happened (check_replan.py compares it with
            # the previous plan); it counts the people who came.
            if kind != "day":
                wk = (s["team"], d.isocalendar()[:2])
                extra_per_week[wk] = extra_per_week.get(wk, 0) + 1
            for j, v in enumerate(s["visits"]):
                vw = f"{where} visits[{j}] {v['unit']}/{v['group']}/{v['service']}"
                if not isinstance(v.get("came"), int) or v["came"] < 0:
                    bad(vw, "a session before today without a whole came >= 0 (replan rule 1)")
                    continue
                rk = (v["unit"], v["group"], v["service"])
                came[rk] = came.get(rk, 0) + v["came"]
                if d <= c.intake_deadline(v["group"], v["service"]):
                    came_by_deadline[rk] = came_by_deadline.get(rk, 0) + v["came"]
            continue
        if today is not None and any("came" in v for v in s["visits"]):
            bad(where, "came on a session from today on (replan rule 1)")
        # Rule 1: the slot kind exists on the date.
        if kind not in c.kinds_on(d):
            bad(where, f"no {kind} slot on this date (rule 1)")
        # Rule 2: team, site list the kind; team available, site open.
        if kind not in team.get("slots", ["day"]):
            bad(where, "the team does not work this slot kind (rule 2)")
        if kind not in site.get("slots", SLOT_ORDER):
            bad(where, "the site does not host this slot kind (rule 2)")
        if in_ranges(d, ranges(team.get("unavailable"))):
            bad(where, "the team is unavailable (rule 2)")
        if in_ranges(d, ranges(site.get("closed"))):
            bad(where, "the site is closed (rule 2)")
        # Rule 3: one session per team, date and slot kind; weekly extras.
        k = (s["team"], d, kind)
        if k in seen:
            bad(where, "two sessions of one team in one slot (rule 3)")
        seen.add(k)
        if kind != "day":
            wk = (s["team"], d.isocalendar()[:2])
            extra_per_week[wk] = extra_per_week.get(wk, 0) + 1
            extra_weeks_planned.add(wk)
        # Rule 4: reach.
        t = c.trav(team["base"], s["site"])
        if t is None:
            bad(where, "the team cannot reach the site (rule 4)")
            t = 0
        communes = team.get("communes")
        if s["site"] != team["base"] and communes is not None and site.get("commune") is not None \
                and site["commune"] not in communes:
            bad(where, "the site is outside the team's communes (rule 4)")
        s0, e0, brk, working = c.slots[kind]
        if s.get("origin") != "frozen" and (minutes(s["start"]) != s0 + t
                                             or minutes(s["end"]) != e0 - t):
            bad(where, f"on-site hours {s['start']}-{s['end']} are not the slot less travel")
        # Rule 5: capacity.
        share = (working - 2 * t) / c.slots["day"][3]
        load = 0.0
        windows = {}
        for j, v in enumerate(s["visits"]):
            vw = f"{where} visits[{j}] {v['unit']}/{v['group']}/{v['service']}"
            unit = c.units[v["unit"]]
            group = c.groups[v["group"]]
            cap = team["capacity"].get(v["service"])
            if not isinstance(v["count"], int) or v["count"] < 1:
                bad(vw, "count is not a whole number >= 1 (rule 5)")
            if not cap:
                bad(vw, "the team does not offer the service (rule 2)")
                cap = 1
            load += v["count"] * c.person_load(v["group"], cap)
            if kind not in group.get("slots", SLOT_ORDER):
                bad(vw, "the group cannot come in this slot kind (rule 2)")
            if d < date(group.get("from", c.start.isoformat())):
                bad(vw, "invited before the group's from date (rule 2)")
            # Rule 6: at[] and reach.
            if c.trav(unit["site"], s["site"]) is None:
                bad(vw, "the people cannot reach the site (rule 6)")
            at = ["own"] if group.get("home") is True else group.get("at", ["own", "station"])
            ok = s["site"] in at or ("own" in at and s["site"] == unit["site"])
            if "station" in at and site["kind"] == "station":
                uc, sc = c.unit_commune(unit), site.get("commune")
                ok = ok or uc is None or sc is None or uc == sc
            if not ok:
                bad(vw, "the group's at[] does not allow this site (rule 6)")
            if not any(r["group"] == v["group"] and r["service"] == v["service"]
                       for r in unit["demand"]):
                bad(vw, "no such demand row")
            w = (v["arrive"], v["until"])
            if windows.setdefault(v["unit"], w) != w:
                bad(vw, "visits of one unit in one session have different windows (rule 5)")
            if not (minutes(s["start"]) <= minutes(v["arrive"]) < minutes(v["until"])
                    <= minutes(s["end"])):
                bad(vw, f"arrival window {w} outside the session")
            rk = (v["unit"], v["group"], v["service"])
            invited[rk] = invited.get(rk, 0) + v["count"]
            if d <= c.intake_deadline(v["group"], v["service"]):
                invited_by_deadline[rk] = invited_by_deadline.get(rk, 0) + v["count"]
        if load > share + EPS:
            bad(where, f"load {load:.4f} over the session's capacity {share:.4f} (rule 5)")
        # Windows of different units do not overlap (staggered arrivals).
        spans = sorted((minutes(a), minutes(b)) for a, b in windows.values())
        for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
            if a2 < b1:
                bad(where, "arrival windows of two units overlap")
    if keys != sorted(keys):
        bad("sessions", "not sorted by date, slot, team, site")
    for (team_id, week), n in extra_per_week.items():
        limit = c.teams[team_id].get("max_extra_per_week", 0)
        # A week of history alone may exceed a limit lowered since.
        if n > limit and (team_id, week) in extra_weeks_planned:
            bad(f"team {team_id} week {week[0]}-W{week[1]:02d}",
                f"{n} extra sessions, more than {limit} (rule 3)")

    # Fixed sessions are in the plan.
    have = {(s["team"], s["site"], s["slot"], s["date"]) for s in sessions}
    for i, f in enumerate(c.fixed):
        if "date" in f:
            if today is not None and date(f["date"]) < today:
                continue
            if (f["team"], f["site"], f["slot"], f["date"]) not in have:
                bad(f"fixed[{i}]", "the fixed session is missing")
        else:
            d = max(date(f["from"]), c.start, today or c.start)
            last = min(date(f["to"]), c.end)
            while d <= last:
                if WEEKDAYS[d.weekday()] == f["weekday"]:
                    team, site = c.teams[f["team"]], c.sites[f["site"]]
                    possible = (f["slot"] in c.kinds_on(d)
                                and not in_ranges(d, ranges(team.get("unavailable")))
                                and not in_ranges(d, ranges(site.get("closed"))))
                    if possible and (f["team"], f["site"], f["slot"], d.isoformat()) not in have:
                        bad(f"fixed[{i}] {d}", "the weekly fixed session is missing")
                d += dt.timedelta(days=1)

    # Rule 6: never more than the demand; coverage rows add up.
    rows = [(u["id"], r["group"], r["service"], r["count"])
            for u in c.units.values() for r in u["demand"]]
    cov = {(r["unit"], r["group"], r["service"]): r for r in plan["coverage"]}
    if len(cov) != len(rows) or len(plan["coverage"]) != len(rows):
        bad("coverage", f"{len(plan['coverage'])} rows for {len(rows)} demand rows")
    for uid_, g, sv, count in rows:
        k = (uid_, g, sv)
        n = invited.get(k, 0)
        had = came.get(k, 0)
        # More may have come than the demand said: then nobody is invited.
        if n > max(count - had, 0):
            if today is None:
                bad(f"demand {uid_}/{g}/{sv}", f"{n} invited, more than the demand {count} (rule 6)")
            else:
                bad(f"demand {uid_}/{g}/{sv}",
                    f"{had} came and {n} invited from today on, more than the demand {count} "
                    "(rule 6, replan rule 5)")
        r = cov.get(k)
        if r is None:
            bad(f"coverage {uid_}/{g}/{sv}", "missing")
            continue
        planned = had + n
        by_deadline = came_by_deadline.get(k, 0) + invited_by_deadline.get(k, 0)
        if r["demand"] != count or r["planned"] != planned or r["by_deadline"] != by_deadline:
            bad(f"coverage {uid_}/{g}/{sv}",
                f"says demand {r['demand']} planned {r['planned']} by_deadline {r['by_deadline']}, "
                f"sessions give {count} {planned} {by_deadline}")
        if today is not None and r.get("came") != had:
            bad(f"coverage {uid_}/{g}/{sv}",
                f"says came {r.get('came')}, the sessions before today give {had} (replan rule 5)")
        if today is None and "came" in r:
            bad(f"coverage {uid_}/{g}/{sv}", "came in a first plan")
        deadline = c.groups[g].get("deadline", c.end.isoformat())
        if r.get("deadline") != deadline:
            bad(f"coverage {uid_}/{g}/{sv}", f"deadline {r.get('deadline')} is not {deadline}")

    solver = plan["solver"]
    if solver["status"] not in ("optimal", "feasible"):
        bad("solver.status", repr(solver["status"]))
    if not 0 <= solver["gap"] <= 1:
        bad("solver.gap", f"{solver['gap']} is not in [0, 1]")
    return problems


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems = check(sys.argv[1], sys.argv[2])
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
