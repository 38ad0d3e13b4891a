#!/usr/bin/python3
"""Writes broken copies of a rota.json, one per rule, so that the suite can
prove that check_plan.py notices each kind of break; with --order, copies
that break what check_order.py checks instead (a level not proven, a level
that does not match the coverage). Prints the name of each mutant written;
exits non-zero when it cannot write them all.

    mutate.py CAMPAIGN.json rota.json OUTDIR [--order]
"""
import copy
import json
import os
import sys


def main():
    campaign = json.load(open(sys.argv[1], encoding="utf-8"))
    plan = json.load(open(sys.argv[2], encoding="utf-8"))
    out = sys.argv[3]
    os.makedirs(out, exist_ok=True)
    sessions = [s for s in plan["sessions"] if s["visits"]]
    if not sessions:
        # Nothing to break: the suite must not pass on no mutant at all.
        print("mutate.py: %s has no session with a visit" % sys.argv[2], file=sys.stderr)
        return 1
    holidays = [h.split("/")[0] for h in campaign.get("calendar", {}).get("holidays", [])
                if campaign["campaign"]["start"] <= h.split("/")[0] <= campaign["campaign"]["end"]]

    def write(name, p):
        # A "mutant" equal to the plan would prove nothing about the checker.
        if p == plan:
            raise SystemExit("mutate.py: the %s mutation changed nothing" % name)
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(p, f, ensure_ascii=False)
        print(name)

    if "--order" in sys.argv[4:]:
        p = copy.deepcopy(plan)
        for lv in p["solver"]["levels"]:
            if lv["name"].startswith("deadline-p"):
                lv["bound"] = lv["value"] + 1
                lv["gap"] = 1 / max(abs(lv["value"]), 1)
                break
        write("unproven", p)
        p = copy.deepcopy(plan)
        row = next((r for r in p["coverage"] if r["by_deadline"] > 0), None)
        if row is None:
            raise SystemExit("mutate.py: no coverage row has people by its deadline")
        row["by_deadline"] -= 1
        write("coverage-off", p)
        p = copy.deepcopy(plan)
        next(lv for lv in p["solver"]["levels"] if lv["name"] == "person-minutes")["value"] -= 30
        write("minutes-off", p)
        p = copy.deepcopy(plan)
        s = next(s for s in p["sessions"] if s["visits"])
        s["visits"].append(dict(s["visits"][0], count=0))
        s["visits"][-1]["unit"] = next(u["id"] for u in campaign["units"]
                                       if u["id"] not in {v["unit"] for v in s["visits"]})
        write("invitation-off", p)
        p = copy.deepcopy(plan)
        s = [s for s in p["sessions"] if s["visits"]][-1]
        s["date"] = p["sessions"][0]["date"]
        write("earliness-off", p)
        return 0

    p = copy.deepcopy(plan)
    p["sessions"].append(copy.deepcopy(sessions[0]))
    write("duplicate-session", p)

    p = copy.deepcopy(plan)
    for s in p["sessions"]:
        if s["visits"]:
            s["visits"][0]["count"] *= 100
            break
    write("over-capacity", p)

    if holidays:
        p = copy.deepcopy(plan)
        for s in p["sessions"]:
            if s["visits"]:
                s["date"] = holidays[0]
                break
        write("on-holiday", p)

    p = copy.deepcopy(plan)
    p["coverage"][0]["planned"] += 1
    write("coverage-off", p)

    p = copy.deepcopy(plan)
    for s in p["sessions"]:
        if s["visits"]:
            s["visits"][0]["arrive"] = "00:00"
            break
    write("window-outside", p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
