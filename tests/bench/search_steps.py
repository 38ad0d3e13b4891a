#!/usr/bin/env python3
"""Where the coarse levels' search spends its time, case by case.

Runs `rota plan --threads 1` with ROTA_DEBUG=1 on each case and records
the processor time of the run (user + system, from wait4), each search
step of the coarse levels from the debug trace (LP, dives, RINS, branch
and bound: the thread's processor seconds where the trace gives them,
else its wall seconds, and whether the step improved the incumbent) and the final levels of rota.json.

    python3 tests/bench/search_steps.py BUILD_OR_BINARY [--cases a,b] \
        [--save FILE] [--compare FILE | --against BINARY] [--steps]

Cases: the examples diem-mac-2024, trung-hoi-2024, trung-hoi-2024-may,
small, and generated communes (tools/gen/communes.py) `sN` for seed N.
Default: the examples and seeds 1-8, 10-12 (seed 9 takes minutes: add it
with --cases s9). --compare prints, per case, processor time and
person-minutes value / bound of the saved run against this one, and every
level that got worse. --against runs that other binary on each case just
before this one (interleaved, so that both see the same load) and compares
with it. Note that without --time-limit a branch and bound still stops
after LP_STALL_SECONDS of wall time (docs/model.md section 8): on a loaded
machine compare builds with a larger one, or the plans may differ.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLES = ["diem-mac-2024", "trung-hoi-2024", "trung-hoi-2024-may", "small"]
SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]

RE_LEVEL = re.compile(r"^(coarse|fine) (\S+): lp (\S+) \((\d+) it, (\S+) s\), incumbent (\S+),")
RE_DIVE = re.compile(r"^dive( \(extra kept\))?: (a point|nothing) after (\d+) LP solves, (\S+) s")
RE_AFTER = re.compile(r"^(coarse|fine) (\S+): after (the dive|rins) (\S+)")
RE_RINS = re.compile(r"^(coarse|fine) (\S+): rins with (\d+) session columns free: (a point|nothing)"
                     r"(?:, (\S+) s)?")
RE_CPU = re.compile(r", processor (\S+) s$")
RE_BB = re.compile(r"^(coarse|fine) (\S+): branch and bound to (\S+) \(bound (\S+)\) in (\S+) s")


def case_file(name, tmp):
    if name.startswith("s") and name[1:].isdigit():
        path = os.path.join(tmp, name + ".json")
        if not os.path.exists(path):
            with open(path, "w") as f:
                subprocess.run([sys.executable, os.path.join(ROOT, "tools/gen/communes.py"),
                                "--seed", name[1:]], stdout=f, check=True)
        return path
    return os.path.join(ROOT, "examples", name + ".json")


def parse_trace(text):
    """The coarse levels that searched: [{level, lp, steps: [...]}]."""
    levels, cur = [], None
    pending = None
    for line in text.splitlines():
        c = RE_CPU.search(line)
        cpu = float(c.group(1)) if c else None
        m = RE_LEVEL.match(line)
        if m:
            cur = {"model": m.group(1), "level": m.group(2), "lp": float(m.group(3)),
                   "lp_s": cpu if cpu is not None else float(m.group(5)), "inc": float(m.group(6)), "steps": []}
            levels.append(cur)
            continue
        if cur is None:
            continue
        m = RE_DIVE.match(line)
        if m:
            pending = {"step": "dive-kept" if m.group(1) else "dive", "found": m.group(2) == "a point",
                       "lps": int(m.group(3)), "s": cpu if cpu is not None else float(m.group(4)), "before": cur["inc"],
                       "after": cur["inc"]}
            cur["steps"].append(pending)
            continue
        m = RE_RINS.match(line)
        if m:
            pending = {"step": "rins", "found": m.group(4) == "a point", "free": int(m.group(3)),
                       "s": cpu if cpu is not None else float(m.group(5)) if m.group(5) else None, "before": cur["inc"],
                       "after": cur["inc"]}
            cur["steps"].append(pending)
            continue
        m = RE_AFTER.match(line)
        if m and pending is not None:
            v = float(m.group(4))
            pending["after"] = v
            cur["inc"] = v
            continue
        m = RE_BB.match(line)
        if m:
            v = float(m.group(3))
            cur["steps"].append({"step": "bb", "s": cpu if cpu is not None else float(m.group(5)), "before": cur["inc"],
                                 "after": v, "bound": float(m.group(4))})
            cur["inc"] = v
    return [lv for lv in levels if lv["steps"]]


def run_case(binary, name, tmp, extra):
    out = tempfile.mkdtemp(dir=tmp, prefix=name + "-")
    env = dict(os.environ, ROTA_DEBUG="1")
    p = subprocess.Popen([binary, "plan", case_file(name, tmp), "-o", out, "--threads", "1"] + extra,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    res = {"case": name, "rc": p.returncode, "cpu": round(ru.ru_utime + ru.ru_stime, 2),
           "search": parse_trace(err), "levels": {}}
    try:
        with open(os.path.join(out, "rota.json")) as f:
            for lv in json.load(f)["solver"]["levels"]:
                res["levels"][lv["name"]] = [lv["value"], lv["bound"]]
    except (OSError, ValueError, KeyError):
        pass
    subprocess.run(["rm", "-rf", out])
    return res


def fmt_steps(res):
    lines = []
    for lv in res["search"]:
        parts = ["lp %.2fs" % lv["lp_s"]]
        for st in lv["steps"]:
            gain = "+" if st["after"] != st["before"] else "="
            t = "%.2fs" % st["s"] if st.get("s") is not None else "?"
            extra = " b%.1f" % st["bound"] if "bound" in st else ""
            if st["step"] != "bb" and not st["found"]:
                gain = "-"
            parts.append("%s %s %s%s" % (st["step"], t, gain, extra))
        lines.append("    %s %s: %s" % (lv["model"], lv["level"], ", ".join(parts)))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--cases")
    ap.add_argument("--save")
    ap.add_argument("--compare")
    ap.add_argument("--against")
    ap.add_argument("--steps", action="store_true")
    ap.add_argument("--tmp", default="/tmp/rota-search-steps")
    ap.add_argument("args", nargs="*", help="more options for rota plan (after --)")
    a = ap.parse_args()
    binary = a.build if os.path.isfile(a.build) else os.path.join(a.build, "rota")
    cases = a.cases.split(",") if a.cases else EXAMPLES + ["s%d" % s for s in SEEDS]
    os.makedirs(a.tmp, exist_ok=True)
    old = {}
    if a.compare:
        with open(a.compare) as f:
            old = {r["case"]: r for r in json.load(f)}
    results = []
    print("%-20s %7s %7s  %-22s %-22s %s" % ("case", "cpu0", "cpu", "pm0 value/bound",
                                             "pm value/bound", "worse"))
    for name in cases:
        if a.against:
            o = run_case(a.against, name, a.tmp, a.args)
            if a.steps:
                print("  before:\n" + fmt_steps(o), flush=True)
            old[name] = o
        r = run_case(binary, name, a.tmp, a.args)
        results.append(r)
        o = old.get(name)
        pm = r["levels"].get("person-minutes", [None, None])
        pm0 = o["levels"].get("person-minutes", [None, None]) if o else [None, None]
        worse = []
        if o:
            for lvname, (v0, _) in o["levels"].items():
                if lvname.startswith("earliness") or lvname not in r["levels"]:
                    continue
                v = r["levels"][lvname][0]
                maximise = lvname.startswith(("deadline", "served"))
                if (v < v0) if maximise else (v > v0):
                    worse.append("%s %g->%g" % (lvname, v0, v))
        print("%-20s %7s %7.2f  %-22s %-22s %s" % (
            name, "%.2f" % o["cpu"] if o else "-", r["cpu"],
            "%g/%g" % tuple(pm0) if pm0[0] is not None else "-",
            "%g/%g" % tuple(pm) if pm[0] is not None else "-",
            ("rc %d " % r["rc"] if r["rc"] else "") + "; ".join(worse)), flush=True)
        if a.steps:
            print(fmt_steps(r), flush=True)
    if a.save:
        with open(a.save, "w") as f:
            json.dump(results, f, indent=1)
        if a.against:
            with open(a.save + ".before", "w") as f:
                json.dump([old[n] for n in cases], f, indent=1)


if __name__ == "__main__":
    main()
