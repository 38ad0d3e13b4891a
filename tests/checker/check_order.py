#!/usr/bin/python3
"""check_order.py CAMPAIGN PLAN: the objective's order (campaign-v1 rule 7)
is visible in the plan. For every priority level, the people invited by
their deadline and invited at all, summed from the plan's own coverage[],
equal solver.levels' deadline-pN and served-pN values, and each of those
levels is proven (bound equal to value, gap 0). So no lower-priority
person is invited while a higher-priority one who could have been misses
out. Prints the problems and exits 1 if there are any."""
import json
import sys

campaign = json.load(open(sys.argv[1], encoding="utf-8"))
plan = json.load(open(sys.argv[2], encoding="utf-8"))
prio = {g["id"]: g["priority"] for g in campaign["groups"]}
levels = {lv["name"]: lv for lv in plan["solver"].get("levels", [])}
sums = {}
for row in plan["coverage"]:
    d, s = sums.get(prio[row["group"]], (0, 0))
    sums[prio[row["group"]]] = (d + row["by_deadline"], s + row["planned"])
problems = []
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
if problems:
    print("\n".join(problems))
sys.exit(1 if problems else 0)
