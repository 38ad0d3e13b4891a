#!/usr/bin/python3
"""An earliest-deadline-first greedy planner: the benchmark's baseline.

    greedy.py CAMPAIGN.json OUT.json

Walks the campaign day by day; each team, in each slot kind it may work that
day (extra kinds within its weekly limit), goes to the reachable site where
the most urgent waiting people can come, and fills the session with them,
most urgent first (priority level, then deadline). Writes a rota-plan/1
document (consecutive arrival windows, coverage, solver status "feasible")
that tests/checker/check_plan.py checks like rota's (rules 1-6). Shares no
code with rota.
"""
import datetime as dt
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "checker"))
from check_plan import (Campaign, SLOT_ORDER, WEEKDAYS, date, in_ranges,  # noqa: E402
                        minutes, ranges)

EPS = 1e-9


def hhmm(m):
    return "%02d:%02d" % (m // 60, m % 60)


def main():
    raw = json.load(open(sys.argv[1], encoding="utf-8"))
    c = Campaign(raw)
    levels = sorted({g["priority"] for g in c.groups.values()})
    # Waiting people: [unit, group, service, count left]
    rows = []
    for u in raw["units"]:
        for r in u["demand"]:
            if r["count"] > 0:
                rows.append([u["id"], r["group"], r["service"], r["count"]])

    def group_of(r):
        return c.groups[r[1]]

    def deadline(r):
        return c.intake_deadline(r[1], r[2])

    def level(r):
        return levels.index(group_of(r)["priority"])

    def may_use(unit, group, site_id):
        if c.trav(unit["site"], site_id) is None:
            return False
        at = ["own"] if group.get("home") is True else group.get("at", ["own", "station"])
        if site_id in at or ("own" in at and site_id == unit["site"]):
            return True
        site = c.sites[site_id]
        if "station" in at and site["kind"] == "station":
            uc, sc = c.unit_commune(unit), site.get("commune")
            return uc is None or sc is None or uc == sc
        return False

    # Fixed sessions (campaign-v1 fixed[]): held whatever the greedy would
    # rather do, counted in the weekly extra limit, filled like any other.
    fixed = {}
    for f in c.fixed:
        if "date" in f:
            fixed[(f["team"], date(f["date"]), f["slot"])] = f["site"]
            continue
        d = max(date(f.get("from", c.start.isoformat())), c.start)
        last = min(date(f.get("to", c.end.isoformat())), c.end)
        while d <= last:
            if WEEKDAYS[d.weekday()] == f["weekday"] and f["slot"] in c.kinds_on(d) \
                    and not in_ranges(d, ranges(c.teams[f["team"]].get("unavailable"))) \
                    and not in_ranges(d, ranges(c.sites[f["site"]].get("closed"))):
                fixed[(f["team"], d, f["slot"])] = f["site"]
            d += dt.timedelta(days=1)

    sessions = []
    # Extra sessions per team and ISO week, the week's fixed extra sessions
    # counted from the start: a greedy evening on Monday must not take the
    # place that a fixed Thursday evening holds (rule 3).
    extra = {}
    for (tid, fd, kind) in fixed:
        if kind != "day":
            week = (tid, fd.isocalendar()[:2])
            extra[week] = extra.get(week, 0) + 1
    team_ids = sorted(c.teams)
    # What does not change from day to day: the sites each team may visit
    # (rule 4) and the rows whose people may be invited to each site
    # (rule 6), so that a district's thousands of sites are not scanned for
    # every team, day and slot.
    team_sites = {}
    for tid in team_ids:
        team = c.teams[tid]
        communes = team.get("communes")
        team_sites[tid] = [
            (sid, site, c.trav(team["base"], sid)) for sid, site in sorted(c.sites.items())
            if c.trav(team["base"], sid) is not None
            and not (sid != team["base"] and communes is not None
                     and site.get("commune") is not None and site["commune"] not in communes)]
    reach = {}
    for a, b in c.travel:
        reach.setdefault(a, set()).add(b)
    rows_at = {}
    for r in rows:
        unit = c.units[r[0]]
        for sid in sorted({unit["site"]} | reach.get(unit["site"], set())):
            if may_use(unit, group_of(r), sid):
                rows_at.setdefault(sid, []).append(r)
    d = c.start
    while d <= c.end:
        kinds = c.kinds_on(d)
        for tid in team_ids:
            team = c.teams[tid]
            if in_ranges(d, ranges(team.get("unavailable"))):
                continue
            for kind in SLOT_ORDER:
                if kind not in kinds or kind not in team.get("slots", ["day"]):
                    continue
                week = (tid, d.isocalendar()[:2])
                fsite = fixed.get((tid, d, kind))
                if fsite is None and kind != "day" and \
                        extra.get(week, 0) >= team.get("max_extra_per_week", 0):
                    continue
                best = None
                for sid, site, t in team_sites[tid]:
                    if fsite is not None and sid != fsite:
                        continue
                    if kind not in site.get("slots", SLOT_ORDER):
                        continue
                    if in_ranges(d, ranges(site.get("closed"))):
                        continue
                    share = (c.slots[kind][3] - 2 * t) / c.slots["day"][3]
                    if share <= 0:
                        continue
                    cand = [r for r in rows_at.get(sid, ()) if r[3] > 0
                            and kind in group_of(r).get("slots", SLOT_ORDER)
                            and d >= date(group_of(r).get("from", c.start.isoformat()))
                            and team["capacity"].get(r[2])]
                    if not cand:
                        continue
                    cand.sort(key=lambda r: (level(r), deadline(r), r[0], r[1], r[2]))
                    urgency = (level(cand[0]), deadline(cand[0]),
                               -sum(r[3] for r in cand), sid)
                    if best is None or urgency < best[0]:
                        best = (urgency, sid, t, share, cand)
                if best is None and fsite is not None:
                    t = c.trav(team["base"], fsite)
                    best = (None, fsite, t, (c.slots[kind][3] - 2 * t) / c.slots["day"][3], [])
                if best is None:
                    continue
                _, sid, t, share, cand = best
                left = share
                visits = []
                for r in cand:
                    per = c.person_load(r[1], team["capacity"][r[2]])
                    n = min(r[3], int((left + EPS) / per))
                    if n <= 0:
                        continue
                    r[3] -= n
                    left -= n * per
                    visits.append({"unit": r[0], "group": r[1], "service": r[2], "count": n})
                if not visits and fsite is None:
                    continue
                if kind != "day" and fsite is None:
                    extra[week] = extra.get(week, 0) + 1
                sessions.append({"team": tid, "site": sid, "date": d.isoformat(), "slot": kind,
                                 "travel": t, "visits": visits})
        d += dt.timedelta(days=1)

    served = {}
    served_by_deadline = {}
    for s in sessions:
        for v in s["visits"]:
            k = (v["unit"], v["group"], v["service"])
            served[k] = served.get(k, 0) + v["count"]
            if date(s["date"]) <= c.intake_deadline(v["group"], v["service"]):
                served_by_deadline[k] = served_by_deadline.get(k, 0) + v["count"]
    # What check_plan.py reads besides the visits: uid, on-site hours,
    # consecutive arrival windows (one per unit), coverage and status.
    sessions.sort(key=lambda s: (s["date"], SLOT_ORDER.index(s["slot"]), s["team"], s["site"]))
    for i, s in enumerate(sessions):
        s0, e0 = c.slots[s["slot"]][0], c.slots[s["slot"]][1]
        t = s.pop("travel")
        a, b = s0 + t, e0 - t
        s["uid"] = "greedy-%d" % i
        s["start"], s["end"] = hhmm(a), hhmm(b)
        order = []
        for v in s["visits"]:
            if v["unit"] not in order:
                order.append(v["unit"])
        for k, unit in enumerate(order):
            w = (hhmm(a + (b - a) * k // len(order)), hhmm(a + (b - a) * (k + 1) // len(order)))
            for v in s["visits"]:
                if v["unit"] == unit:
                    v["arrive"], v["until"] = w
    coverage = []
    for u in raw["units"]:
        for r in u["demand"]:
            k = (u["id"], r["group"], r["service"])
            coverage.append({"unit": u["id"], "group": r["group"], "service": r["service"],
                             "demand": r["count"], "planned": served.get(k, 0),
                             "by_deadline": served_by_deadline.get(k, 0),
                             "deadline": c.groups[r["group"]].get("deadline", c.end.isoformat())})
    out = {
        "format": "rota-plan/1", "campaign": c.id,
        "sessions": sessions,
        "coverage": coverage,
        "solver": {"status": "feasible", "gap": 1},
        "by_level": {
            str(p): {
                "by_deadline": sum(n for k, n in served_by_deadline.items()
                                   if c.groups[k[1]]["priority"] == p),
                "served": sum(n for k, n in served.items() if c.groups[k[1]]["priority"] == p),
            } for p in levels},
        "extra_sessions": sum(1 for s in sessions if s["slot"] != "day"),
    }
    json.dump(out, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
