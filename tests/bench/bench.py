#!/usr/bin/python3
"""The benchmark behind `make bench` (docs/performance.md).

    bench.py BUILD_DIR [--quick]

For each case (the commune examples, the Định Hóa district with and without
`--time-limit 30`, 100 generated communes) it runs `rota plan` (one thread per
processor, the default) under /usr/bin/time for wall time and peak memory,
checks the plan with tests/checker/check_plan.py, runs the
earliest-deadline-first greedy baseline (greedy.py), gives CBC each part's
person-minutes model exported as MPS with the time rota took per part, and
prints one table.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def mps_size(path):
    rows = cols = 0
    with open(path, encoding="ascii", errors="replace") as f:
        for line in f:
            if not line.startswith("*"):
                break
            m = re.match(r"\*\s*Rows:\s*(\d+)", line)
            if m:
                rows = int(m.group(1))
            m = re.match(r"\*\s*Columns:\s*(\d+)", line)
            if m:
                cols = int(m.group(1))
    return rows, cols


def objective_constant(path):
    """GLPK writes the objective's constant as the RHS of the objective row
    (the first N row), which CBC reads with the opposite sign."""
    obj = None
    in_rhs = False
    with open(path, encoding="ascii", errors="replace") as f:
        for line in f:
            if line.startswith("*"):
                continue
            w = line.split()
            if not w:
                continue
            if obj is None and len(w) == 2 and w[0] == "N":
                obj = w[1]
            if line[0] != " ":
                in_rhs = w[0] == "RHS"
                continue
            if in_rhs and obj in w[1:]:
                return float(w[w.index(obj, 1) + 1])
    return 0.0


def cbc_person_minutes(mps_files, limit):
    """CBC on each part's person-minutes model (the earlier levels held at
    rota's values, as in the MPS), each with `limit` seconds: the same
    time per part as rota took on average. Returns (seconds, parts with a
    plan, parts, CBC's person-minutes summed over the parts that have one,
    CBC's bounds summed), or None without CBC."""
    if not shutil.which("cbc"):
        return None
    total = 0.0
    found = 0
    value = bound = 0.0
    for path in mps_files:
        t0 = time.monotonic()
        r = run(["cbc", path, "-sec", "%.2f" % limit, "-solve", "-quit"], timeout=limit + 120)
        total += time.monotonic() - t0
        const = 2 * objective_constant(path)
        m = re.search(r"^Objective value:\s*(\S+)", r.stdout, re.M)
        lb = re.search(r"^Lower bound:\s*(\S+)", r.stdout, re.M)
        if r.returncode == 0 and m and "No feasible solution" not in r.stdout:
            found += 1
            value += float(m.group(1)) + const
            bound += (float(lb.group(1)) if lb else float(m.group(1))) + const
    return total, found, len(mps_files), value, bound


def case_stats(campaign_path):
    raw = json.load(open(campaign_path, encoding="utf-8"))
    communes = {s.get("commune") for s in raw["sites"] if s.get("commune")}
    c = raw["campaign"]
    import datetime as dt
    days = (dt.date.fromisoformat(c["end"]) - dt.date.fromisoformat(c["start"])).days + 1
    levels = sorted({g["priority"] for g in raw["groups"]})
    return {"communes": max(1, len(communes)), "units": len(raw["units"]),
            "teams": len(raw["teams"]), "days": days, "levels": levels}


def bench_case(name, campaign, build, work, extra_args=()):
    st = case_stats(campaign)
    out = os.path.join(work, name)
    mps = os.path.join(work, name + "-mps")
    os.makedirs(mps, exist_ok=True)
    rota = os.path.join(build, "rota")
    timefile = os.path.join(work, name + ".time")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    t0 = time.monotonic()
    # The MPS files for CBC come from the same run (writing them costs
    # rota a little time); a case with options of its own writes none.
    r = run(["/usr/bin/time", "-f", "%M", "-o", timefile, rota, "plan", campaign, "-o", out,
             "--quiet"] + (list(extra_args) or ["--mps", mps]), env=env)
    wall = time.monotonic() - t0
    if r.returncode != 0:
        return dict(st, name=name, error=r.stderr.strip()[-300:])
    peak_mib = int(open(timefile).read().split()[-1]) / 1024
    plan = json.load(open(os.path.join(out, "rota.json"), encoding="utf-8"))
    chk = run(["/usr/bin/python3", os.path.join(TOP, "tests/checker/check_plan.py"), campaign,
               os.path.join(out, "rota.json")])
    # Without the plan itself: its run time is in bench, not in rota.json.
    raw = json.load(open(campaign, encoding="utf-8"))
    groups = {g["id"]: g for g in raw["groups"]}
    by_level = {p: 0 for p in st["levels"]}
    for row in plan["coverage"]:
        by_level[groups[row["group"]]["priority"]] += row["by_deadline"]
    bounds = {}
    for lv in plan["solver"].get("levels", []):
        m = re.match(r"deadline-p(\d+)$", lv["name"])
        if m:
            bounds[int(m.group(1))] = lv["bound"]
    extra = sum(1 for s in plan["sessions"] if s["slot"] != "day")
    gfile = os.path.join(work, name + "-greedy.json")
    run(["/usr/bin/python3", os.path.join(HERE, "greedy.py"), campaign, gfile])
    greedy = json.load(open(gfile, encoding="utf-8"))
    files = sorted(os.path.join(mps, f) for f in os.listdir(mps) if f.endswith(".mps"))
    rows = cols = 0
    for f in files:
        a, b = mps_size(f)
        rows += a
        cols += b
    levels = {lv["name"]: lv for lv in plan["solver"].get("levels", [])}
    pm_files = [f for f in files if f.endswith("-coarse-person-minutes.mps")]
    cbc = None
    if pm_files and not extra_args:
        per_part = max(1.0, wall * (os.cpu_count() or 1) / len(pm_files))
        cbc = cbc_person_minutes(pm_files, per_part)
    return dict(st, name=name, rows=rows, cols=cols, seconds=wall, peak_mib=peak_mib,
                pm=levels.get("person-minutes", {}),
                status=plan["solver"]["status"], gap=plan["solver"]["gap"],
                by_level=by_level, bounds=bounds,
                greedy={int(k): v["by_deadline"] for k, v in greedy["by_level"].items()},
                extra=extra, greedy_extra=greedy["extra_sessions"], cbc=cbc,
                rules="ok" if chk.returncode == 0 else "BROKEN: " + chk.stdout[:200])


def fmt_cbc(cbc):
    if cbc is None:
        return "-"
    seconds, found, parts, value, bound = cbc
    if found < parts:
        return "%.1f s, a plan for %d of %d parts" % (seconds, found, parts)
    return "%.1f s, pm %.0f (%.0f)" % (seconds, value, bound)


def fmt_level(res):
    parts = []
    for p in res["levels"]:
        b = res["bounds"].get(p)
        parts.append("p%d %d/%d/%s" % (p, res["by_level"][p], res["greedy"].get(p, 0),
                                       "-" if b is None else "%.0f" % b))
    return " ".join(parts)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    quick = "--quick" in sys.argv
    work = tempfile.mkdtemp(prefix="rota-bench.")
    dinh_hoa = os.path.join(TOP, "examples/dinh-hoa-2024.json")
    cases = [("trung-hoi", os.path.join(TOP, "examples/trung-hoi-2024.json"), ()),
             ("diem-mac", os.path.join(TOP, "examples/diem-mac-2024.json"), ()),
             ("dinh-hoa", dinh_hoa, ()),
             ("dinh-hoa-30s", dinh_hoa, ("--time-limit", "30"))]
    if not quick:
        gen = os.path.join(work, "communes-100.json")
        run(["/usr/bin/python3", os.path.join(TOP, "tools/gen/dinh-hoa.py"), "--communes", "100",
             "--out", gen], check=True)
        cases.append(("communes-100", gen, ()))
    print("%-14s %4s %5s %5s %4s %13s %7s %8s %-8s %6s %-5s %s" % (
        "case", "comm", "units", "teams", "days", "rows/cols", "seconds", "peak MiB", "status",
        "gap", "rules", "by deadline per priority: rota/greedy/LP bound; extra sessions "
        "rota/greedy; person-minutes rota (bound); CBC on the same person-minutes models"))
    try:
        for name, path, args in cases:
            res = bench_case(name, path, build, work, args)
            if "error" in res:
                print("%-14s failed: %s" % (name, res["error"]))
                continue
            print("%-14s %4d %5d %5d %4d %13s %7.2f %8.0f %-8s %6.4f %-5s %s; extra %d/%d; "
                  "pm %.0f (%.0f); CBC %s" % (
                      name, res["communes"], res["units"], res["teams"], res["days"],
                      "%d/%d" % (res["rows"], res["cols"]), res["seconds"], res["peak_mib"],
                      res["status"], res["gap"], res["rules"][:5], fmt_level(res), res["extra"],
                      res["greedy_extra"], res["pm"].get("value", 0), res["pm"].get("bound", 0),
                      fmt_cbc(res["cbc"])))
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
