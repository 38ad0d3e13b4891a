#!/usr/bin/env python3
"""Quality of a plan as the people it invites see it, computed from the
campaign and rota.json alone (shares no code with the planner).

    check_quality.py CAMPAIGN.json PLAN_DIR [--max-small-share F]
                     [--max-split-share F] [--max-late-share F]
                     [--max-invitations-per-unit N] [--max-small-invitations N]
                     [--max-split-rows N] [--max-invitations N]
                     [--max-foldable N] [--min-window M] [--verbose]

Prints, for the plan:
  - invitations per unit (one per unit per session): mean and most, the
    share of invitations for 1 to 3 people, and how often one unit is
    invited twice to one site on one day;
  - demand rows split over more sessions than they need (a row needs
    ceil(count x turnout / the most any team serves of it in a day));
  - for each pair of priorities, the share of the more urgent people
    invited after the median invitation date of the less urgent ones;
  - arrival-window defects: off five-minute marks, outside the session's
    on-site hours, beginning or ending inside a break, shorter than the
    minimum (30 minutes) while the session had room for it, two units'
    windows overlapping, or one unit with two windows in a session;
  - foldable invitations: a unit's people in one session a that could all
    go into another session b of the unit, keeping rules 1-6 (b's team,
    slot kind, site and rule-5 capacity, the groups' from dates), every
    person's on-time status, and lowering person-minutes (rule 7.4: the
    invitation saved, travel counted, a session emptied saved). Such a
    plan is not optimal. A local check: one invitation into one other
    session of the unit, no chains, no room made by moving others.
    --verbose lists them.
Fails (exit 1) on any window defect, and on a figure above its --max-*
threshold (none by default): the thresholds the suite passes are ones
today's plans meet, so that a regression fails.
"""
import datetime as dt
import json
import math
import sys
from collections import defaultdict

DEFAULT_SLOTS = {
    "day": ("07:30", "17:00", [("11:30", "13:30")]),
    "evening": ("18:00", "21:00", []),
    "weekend": ("07:30", "17:00", [("11:30", "13:30")]),
}


def minutes(text):
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def slot_breaks(campaign):
    slots = (campaign.get("calendar") or {}).get("slots") or {}
    out = {}
    for kind, (start, end, breaks) in DEFAULT_SLOTS.items():
        if kind in slots:
            breaks = slots[kind].get("breaks") or []
        out[kind] = [(minutes(a), minutes(b)) for a, b in breaks]
    out["holiday"] = out["weekend"]
    return out


def slot_working_day(campaign):
    """Working minutes of the day slot: its window less its breaks."""
    slots = (campaign.get("calendar") or {}).get("slots") or {}
    start, end, breaks = DEFAULT_SLOTS["day"]
    if "day" in slots:
        start, end = slots["day"]["start"], slots["day"]["end"]
        breaks = slots["day"].get("breaks") or []
    return minutes(end) - minutes(start) - sum(minutes(b) - minutes(a) for a, b in breaks)


def main(argv):
    args = argv[1:]
    limits = {}
    minimum = 30
    pos = []
    verbose = False
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--verbose":
            verbose = True
            i += 1
        elif a.startswith("--max-"):
            limits[a[6:]] = float(args[i + 1])
            i += 2
        elif a == "--min-window":
            minimum = int(args[i + 1])
            i += 2
        else:
            pos.append(a)
            i += 1
    if len(pos) != 2:
        sys.exit(__doc__)
    campaign = json.load(open(pos[0], encoding="utf-8"))
    plan = json.load(open(pos[1] + "/rota.json", encoding="utf-8"))
    breaks = slot_breaks(campaign)
    groups = {g["id"]: g for g in campaign["groups"]}
    turnout = {g: float(groups[g].get("turnout", 1)) for g in groups}
    best_cap = defaultdict(int)
    for t in campaign["teams"]:
        for svc, cap in t.get("capacity", {}).items():
            best_cap[svc] = max(best_cap[svc], cap)

    problems = []
    figures = []

    # Invitations: one per unit per session.
    invitations = defaultdict(int)  # (session, unit) -> people
    for k, s in enumerate(plan["sessions"]):
        for v in s["visits"]:
            invitations[(k, v["unit"])] += v["count"]
    per_unit = defaultdict(int)
    for (_, unit), _people in invitations.items():
        per_unit[unit] += 1
    small = sum(1 for n in invitations.values() if n <= 3)
    ninv = len(invitations)
    small_share = small / ninv if ninv else 0.0
    most = max(per_unit.values()) if per_unit else 0
    mean = ninv / len(per_unit) if per_unit else 0.0
    figures.append(("invitations", ninv))
    figures.append(("units-invited", len(per_unit)))
    figures.append(("invitations-per-unit-mean", round(mean, 2)))
    figures.append(("invitations-per-unit-most", most))
    same_day = defaultdict(int)  # (unit, site, date) -> invitations
    for (k, unit) in invitations:
        s = plan["sessions"][k]
        same_day[(unit, s["site"], s["date"])] += 1
    figures.append(("same-unit-site-day-twice", sum(1 for n in same_day.values() if n > 1)))
    figures.append(("small-invitations (1-3 people)", small))
    figures.append(("small-share", round(small_share, 3)))

    # Demand rows split over more sessions than they need.
    row_sessions = defaultdict(set)
    row_count = defaultdict(int)
    for k, s in enumerate(plan["sessions"]):
        for v in s["visits"]:
            key = (v["unit"], v["group"], v["service"])
            row_sessions[key].add(k)
            row_count[key] += v["count"]
    split = 0
    for key, sessions in row_sessions.items():
        cap = best_cap.get(key[2], 0)
        if cap and groups[key[1]].get("home") is True:
            # People served at home: home_visit_minutes each of a day's work.
            day = slot_working_day(campaign)
            cap = day / campaign["campaign"].get("home_visit_minutes", 30)
        need = math.ceil(row_count[key] * turnout[key[1]] / cap - 1e-9) if cap else 1
        if len(sessions) > max(need, 1):
            split += 1
    split_share = split / len(row_sessions) if row_sessions else 0.0
    figures.append(("demand-rows", len(row_sessions)))
    figures.append(("rows-split-more-than-needed", split))
    figures.append(("split-share", round(split_share, 3)))

    # Urgency order: people of the more urgent priority invited after the
    # median date of the less urgent one.
    by_priority = defaultdict(list)  # priority -> [(date, count)]
    for s in plan["sessions"]:
        for v in s["visits"]:
            by_priority[groups[v["group"]]["priority"]].append((s["date"], v["count"]))
    prios = sorted(by_priority)
    worst_late = 0.0
    for a_i, a in enumerate(prios):
        for b in prios[a_i + 1:]:
            dates = sorted(by_priority[b])
            total = sum(n for _, n in dates)
            acc = 0
            median = dates[-1][0]
            for d, n in dates:
                acc += n
                if 2 * acc >= total:
                    median = d
                    break
            urgent = sum(n for _, n in by_priority[a])
            late = sum(n for d, n in by_priority[a] if d > median)
            share = late / urgent if urgent else 0.0
            worst_late = max(worst_late, share)
            figures.append(("late-p%d-after-median-p%d" % (a, b), round(share, 3)))
    figures.append(("late-share-worst", round(worst_late, 3)))

    # Arrival windows.
    defects = defaultdict(int)
    nwindows = 0
    for s in plan["sessions"]:
        start, end = minutes(s["start"]), minutes(s["end"])
        brk = breaks[s["slot"]]
        windows = {}
        for v in s["visits"]:
            w = (minutes(v["arrive"]), minutes(v["until"]))
            if v["unit"] in windows and windows[v["unit"]] != w:
                defects["two-windows-one-unit"] += 1
                problems.append("%s %s: two windows" % (s["uid"], v["unit"]))
            windows[v["unit"]] = w
        # Room: on-site minutes on five-minute marks, less the breaks.
        room = (end // 5 * 5) - ((start + 4) // 5 * 5)
        for b0, b1 in brk:
            room -= max(0, min(b1, end) - max(b0, start))
        for unit, (a, u) in sorted(windows.items()):
            nwindows += 1
            where = "%s %s %s-%s" % (s["uid"], unit, v_fmt(a), v_fmt(u))
            if a % 5 or u % 5:
                defects["off-five-minute-mark"] += 1
                problems.append(where + ": off a five-minute mark")
            if a < start or u > end or u <= a:
                defects["outside-session"] += 1
                problems.append(where + ": outside the session %s-%s" % (s["start"], s["end"]))
            for b0, b1 in brk:
                if b0 <= a < b1 or b0 < u <= b1:
                    defects["begins-or-ends-in-break"] += 1
                    problems.append(where + ": begins or ends in the break %s-%s"
                                    % (v_fmt(b0), v_fmt(b1)))
            if u - a < minimum and len(windows) * minimum <= room:
                defects["shorter-than-minimum"] += 1
                problems.append(where + ": shorter than %d minutes" % minimum)
        items = sorted(windows.items(), key=lambda kv: kv[1])
        for (u1, w1), (u2, w2) in zip(items, items[1:]):
            if w2[0] < w1[1]:
                defects["overlapping"] += 1
                problems.append("%s: windows of %s and %s overlap" % (s["uid"], u1, u2))
    figures.append(("windows", nwindows))
    for name in ("off-five-minute-mark", "outside-session", "begins-or-ends-in-break",
                 "shorter-than-minimum", "overlapping", "two-windows-one-unit"):
        figures.append(("window-" + name, defects[name]))

    folds = foldable(campaign, plan)
    figures.append(("foldable-invitations", len(folds)))

    for name, value in figures:
        print("%-34s %s" % (name, value))
    failed = False
    for p in problems[:40]:
        print("defect: " + p)
    if verbose:
        for line in folds:
            print("foldable: " + line)
    if problems:
        failed = True
    checks = {
        "small-share": small_share,
        "split-share": split_share,
        "late-share": worst_late,
        "invitations-per-unit": most,
        "small-invitations": small,
        "split-rows": split,
        "invitations": ninv,
        "foldable": len(folds),
    }
    for name, limit in sorted(limits.items()):
        if name not in checks:
            sys.exit("unknown threshold --max-" + name)
        if checks[name] > limit + 1e-9:
            print("regression: %s is %s, above %s" % (name, checks[name], limit))
            failed = True
    return 1 if failed else 0


WEEK_SLOTS = ["day", "evening", "weekend", "holiday"]


def slot_working(campaign):
    """Working minutes of each slot kind: its window less its breaks
    (campaign-v1.md, "calendar.slots"; holiday as weekend unless given)."""
    slots = (campaign.get("calendar") or {}).get("slots") or {}
    out = {}
    for kind, (start, end, brk) in DEFAULT_SLOTS.items():
        if kind in slots:
            start, end = slots[kind]["start"], slots[kind]["end"]
            brk = slots[kind].get("breaks") or []
        out[kind] = minutes(end) - minutes(start) - sum(minutes(b) - minutes(a) for a, b in brk)
    out["holiday"] = out["weekend"]
    if "holiday" in slots:
        h = slots["holiday"]
        out["holiday"] = minutes(h["end"]) - minutes(h["start"]) - sum(
            minutes(b) - minutes(a) for a, b in h.get("breaks") or [])
    return out


class Reach:
    """What rules 2, 5 and 6 and the deadlines say of one person of a
    demand row in one session, from the campaign alone."""

    def __init__(self, campaign):
        c = campaign["campaign"]
        self.campaign = campaign
        self.start = c["start"]
        self.end = c["end"]
        self.inv_minutes = c.get("invitation_minutes", 30)
        self.home_minutes = c.get("home_visit_minutes", 30)
        self.working = slot_working(campaign)
        self.groups = {g["id"]: g for g in campaign["groups"]}
        self.sites = {s["id"]: s for s in campaign["sites"]}
        self.teams = {t["id"]: t for t in campaign["teams"]}
        self.units = {u["id"]: u for u in campaign["units"]}
        self.services = campaign.get("services") or {}
        self.travel = {}
        for a, b, m in campaign.get("travel", []):
            self.travel[(a, b)] = m
            self.travel[(b, a)] = m

    def trav(self, a, b):
        return 0 if a == b else self.travel.get((a, b))

    def deadline(self, group, service):
        """The last intake date in time: the deadline less lead_days."""
        g = self.groups[group]
        lead = (self.services.get(service) or {}).get("lead_days", 0)
        last = dt.date.fromisoformat(g.get("deadline", self.end)) - dt.timedelta(days=lead)
        return last.isoformat()

    def load(self, v, team):
        """Rule 5: the share of a full day slot one visit takes from team."""
        g = self.groups[v["group"]]
        turnout = g.get("turnout", 1)
        if g.get("home") is True:
            return v["count"] * turnout * self.home_minutes / self.working["day"]
        cap = self.teams[team].get("capacity", {}).get(v["service"])
        return v["count"] * turnout / cap if cap else float("inf")

    def room(self, s):
        """Rule 5: the session's capacity as a share of a full day slot."""
        t = self.trav(self.teams[s["team"]]["base"], s["site"]) or 0
        return (self.working[s["slot"]] - 2 * t) / self.working["day"]

    def cost(self, s):
        """Rule 7.4: the session's own time."""
        t = self.trav(self.teams[s["team"]]["base"], s["site"]) or 0
        return self.teams[s["team"]].get("officers", 2) * (self.working[s["slot"]] + 2 * t)

    def may_join(self, v, s):
        """Rules 2 and 6 and the group's from date: v's people may be
        invited to session s."""
        g = self.groups[v["group"]]
        unit = self.units[v["unit"]]
        site = self.sites[s["site"]]
        if not self.teams[s["team"]].get("capacity", {}).get(v["service"]):
            return False
        if s["slot"] not in g.get("slots", WEEK_SLOTS):
            return False
        if s["date"] < g.get("from", self.start):
            return False
        if self.trav(unit["site"], s["site"]) is None:
            return False
        at = ["own"] if g.get("home") is True else g.get("at", ["own", "station"])
        if s["site"] in at or ("own" in at and s["site"] == unit["site"]):
            return True
        if "station" in at and site.get("kind") == "station":
            uc = unit.get("commune", self.sites[unit["site"]].get("commune"))
            sc = site.get("commune")
            return uc is None or sc is None or uc == sc
        return False


def foldable(campaign, plan):
    """The invitations (a unit's people in one session) that could go
    whole into another session of the unit, keeping rules 1-6 and every
    person's on-time status, lowering person-minutes. One line each.

    In a re-plan the sessions before today are history and announced
    (frozen) sessions stay as they are: neither gives nor receives. The
    re-plan's level of changed invitations is not weighed."""
    r = Reach(campaign)
    today = plan.get("today")
    sessions = plan["sessions"]
    movable = [today is None or (s["date"] >= today and s.get("origin") != "frozen")
               for s in sessions]
    weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    def is_fixed(s):
        """A fixed session stays, emptied or not: its time is not saved."""
        wd = weekdays[dt.date.fromisoformat(s["date"]).weekday()]
        for f in campaign.get("fixed", []):
            if (f["team"], f["site"], f["slot"]) != (s["team"], s["site"], s["slot"]):
                continue
            if f.get("date") == s["date"] or (
                    f.get("weekday") == wd and f.get("from", "") <= s["date"] <= f.get("to", "~")):
                return True
        return False

    load = []
    for s in sessions:
        load.append(sum(r.load(v, s["team"]) for v in s["visits"]))
    by_unit = defaultdict(list)  # unit -> [session index]
    for k, s in enumerate(sessions):
        for u in sorted({v["unit"] for v in s["visits"] if v["count"] > 0}):
            by_unit[u].append(k)
    out = []
    for u in sorted(by_unit):
        ks = [k for k in by_unit[u] if movable[k]]
        if len(by_unit[u]) < 2:
            continue
        usite = r.units[u]["site"]
        for a in ks:
            sa = sessions[a]
            moved = [v for v in sa["visits"] if v["unit"] == u and v["count"] > 0]
            alone = all(v["unit"] == u for v in sa["visits"])
            for b in ks:
                if b == a:
                    continue
                sb = sessions[b]
                if not all(r.may_join(v, sb) for v in moved):
                    continue
                if any(sa["date"] <= r.deadline(v["group"], v["service"]) < sb["date"]
                       for v in moved):
                    continue
                add = sum(r.load(v, sb["team"]) for v in moved)
                if load[b] + add > r.room(sb) + 1e-6:
                    continue
                ta, tb = r.trav(usite, sa["site"]), r.trav(usite, sb["site"])
                if ta is None:
                    # a breaks rule 6 (check_plan.py says so): its
                    # travel, hence the saving, is not defined.
                    continue
                people = sum(v["count"] for v in moved)
                delta = people * 2 * (tb - ta) - r.inv_minutes
                if alone and not is_fixed(sa):
                    delta -= r.cost(sa)
                if delta < 0:
                    out.append("%s %s %s -> %s %s (people %d, person-minutes %+d)"
                               % (u, sa["uid"], sa["date"], sb["uid"], sb["date"],
                                  people, delta))
                    break
    return out


def v_fmt(m):
    return "%02d:%02d" % (m // 60, m % 60)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
