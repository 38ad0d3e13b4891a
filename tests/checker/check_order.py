#!/usr/bin/python3
"""check_order.py CAMPAIGN PLAN: the objective's order (campaign-v1 rule 7,
revision 2) is visible in the plan.

* For every priority level, the people invited by their deadline and
  invited at all, summed from the plan's own coverage[], equal
  solver.levels' deadline-pN and served-pN values, and each of those
  levels is proven (bound equal to value, gap 0). So no lower-priority
  person is invited while a higher-priority one who could have been misses
  out.
* extra-sessions, person-minutes and every earliness-pN are recomputed
  from the plan's sessions alone and must equal the levels' values:
  person-minutes are the sessions' officer time (officers x (working
  minutes of the slot + 2 x travel from the team's base)), the people's
  travel (2 x travel from their unit's site, per person) and the
  invitations (one per unit and session, whatever its groups and
  services) x campaign.invitation_minutes (default 30); earliness-pN is
  the sum over priority N's visits of count x days since the campaign
  start. The levels come in the order of rule 7, and no bound claims more
  than the value reached.

Written from the specifications alone, sharing no code with the planner.
Prints the problems and exits 1 if there are any."""
import datetime
import json
import sys

DEFAULT_SLOTS = {
    "day": ("07:30", "17:00", [("11:30", "13:30")]),
    "evening": ("18:00", "21:00", []),
    "weekend": ("07:30", "17:00", [("11:30", "13:30")]),
}


def minutes(hhmm):
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def working_minutes(campaign):
    given = campaign.get("calendar", {}).get("slots", {})
    out = {}
    for kind in ("day", "evening", "weekend"):
        if kind in given:
            s = given[kind]
            start, end, breaks = s["start"], s["end"], s.get("breaks", [])
        else:
            start, end, breaks = DEFAULT_SLOTS[kind]
        out[kind] = minutes(end) - minutes(start) - sum(minutes(b) - minutes(a) for a, b in breaks)
    if "holiday" in given:
        s = given["holiday"]
        out["holiday"] = (minutes(s["end"]) - minutes(s["start"]) -
                          sum(minutes(b) - minutes(a) for a, b in s.get("breaks", [])))
    else:
        out["holiday"] = out["weekend"]
    return out


def day(text):
    return datetime.date.fromisoformat(text)


def main():
    campaign = json.load(open(sys.argv[1], encoding="utf-8"))
    plan = json.load(open(sys.argv[2], encoding="utf-8"))
    prio = {g["id"]: g["priority"] for g in campaign["groups"]}
    levels = {lv["name"]: lv for lv in plan["solver"].get("levels", [])}
    problems = []

    sums = {}
    for row in plan["coverage"]:
        d, s = sums.get(prio[row["group"]], (0, 0))
        sums[prio[row["group"]]] = (d + row["by_deadline"], s + row["planned"])
    for p in sorted(set(prio.values())):
        d, s = sums.get(p, (0, 0))
        for name, value in (("deadline-p%d" % p, d), ("served-p%d" % p, s)):
            lv = levels.get(name)
            if lv is None:
                problems.append("%s: not in solver.levels" % name)
            elif lv["value"] != value:
                problems.append("%s: levels say %s, coverage adds up to %s" % (name, lv["value"], value))
            elif lv["bound"] != lv["value"] or lv["gap"] != 0:
                problems.append("%s: %s, not proven (bound %s)" % (name, lv["value"], lv["bound"]))

    # The later levels, from the sessions.
    travel = {}
    for a, b, m in campaign.get("travel", []):
        travel[(a, b)] = travel[(b, a)] = m
    teams = {t["id"]: t for t in campaign["teams"]}
    unit_site = {u["id"]: u["site"] for u in campaign["units"]}
    work = working_minutes(campaign)
    start = day(campaign["campaign"]["start"])
    inv_minutes = campaign["campaign"].get("invitation_minutes", 30)

    def trip(a, b):
        return 0 if a == b else travel.get((a, b), 0)

    extra = 0
    person_minutes = 0
    invitations = 0
    early = {p: 0 for p in set(prio.values())}
    for s in plan["sessions"]:
        team = teams[s["team"]]
        if s["slot"] != "day":
            extra += 1
        person_minutes += team.get("officers", 2) * (work[s["slot"]] + 2 * trip(team["base"], s["site"]))
        units = set()
        days = (day(s["date"]) - start).days
        for v in s["visits"]:
            units.add(v["unit"])
            person_minutes += v["count"] * 2 * trip(unit_site[v["unit"]], s["site"])
            early[prio[v["group"]]] += v["count"] * days
        invitations += len(units)
    person_minutes += invitations * inv_minutes
    want = [("extra-sessions", extra), ("person-minutes", person_minutes)]
    want += [("earliness-p%d" % p, early[p]) for p in sorted(early)]
    for name, value in want:
        lv = levels.get(name)
        if lv is None:
            problems.append("%s: not in solver.levels" % name)
        elif abs(lv["value"] - value) > 1e-6:
            problems.append("%s: levels say %s, the sessions add up to %s" % (name, lv["value"], value))

    names = [lv["name"] for lv in plan["solver"].get("levels", [])]
    order = ["deadline-p%d" % p for p in sorted(set(prio.values()))]
    order += ["served-p%d" % p for p in sorted(set(prio.values()))]
    order += [name for name, _ in want]
    if names and names != order:
        problems.append("solver.levels: %s, expected %s" % (" ".join(names), " ".join(order)))
    for lv in plan["solver"].get("levels", []):
        maximise = lv["name"].startswith(("deadline-", "served-"))
        if maximise and lv["bound"] < lv["value"] or not maximise and lv["bound"] > lv["value"]:
            problems.append("%s: bound %s is beyond the value %s reached" % (lv["name"], lv["bound"], lv["value"]))
    if problems:
        print("\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
