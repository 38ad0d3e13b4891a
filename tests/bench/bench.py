#!/usr/bin/python3
"""The benchmark behind `make bench` (docs/performance.md).

    bench.py BUILD_DIR [--quick]

For each case (the commune examples, the Định Hóa district, 100 generated
communes) it runs `rota plan` under /usr/bin/time for wall time and peak
memory, the earliest-deadline-first greedy baseline (greedy.py), and CBC on
the same models exported as MPS, and prints one table. Every plan, rota's and
the greedy one, is checked by tests/checker/check_plan.py first.
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


def cbc_seconds(mps_files, limit):
    if not shutil.which("cbc"):
        return None
    total = 0.0
    for path in mps_files:
        t0 = time.monotonic()
        r = run(["cbc", path, "-sec", str(limit), "-solve", "-quit"], timeout=limit + 60)
        total += time.monotonic() - t0
        if r.returncode != 0:
            return None
    return total


def case_stats(campaign_path):
    raw = json.load(open(campaign_path, encoding="utf-8"))
    communes = {s.get("commune") for s in raw["sites"] if s.get("commune")}
    c = raw["campaign"]
    import datetime as dt
    days = (dt.date.fromisoformat(c["end"]) - dt.date.fromisoformat(c["start"])).days + 1
    levels = sorted({g["priority"] for g in raw["groups"]})
    return {"communes": max(1, len(communes)), "units": len(raw["units"]),
            "teams": len(raw["teams"]), "days": days, "levels": levels}


def bench_case(name, campaign, build, work, time_limit):
    st = case_stats(campaign)
    out = os.path.join(work, name)
    mps = os.path.join(work, name + "-mps")
    os.makedirs(mps, exist_ok=True)
    rota = os.path.join(build, "rota")
    timefile = os.path.join(work, name + ".time")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    t0 = time.monotonic()
    r = run(["/usr/bin/time", "-f", "%M", "-o", timefile, rota, "plan", campaign, "-o", out,
             "--quiet", "--mps", mps], env=env)
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
    cbc = cbc_seconds(files, time_limit) if files else None
    return dict(st, name=name, rows=rows, cols=cols, seconds=wall, peak_mib=peak_mib,
                status=plan["solver"]["status"], gap=plan["solver"]["gap"],
                by_level=by_level, bounds=bounds,
                greedy={int(k): v["by_deadline"] for k, v in greedy["by_level"].items()},
                extra=extra, greedy_extra=greedy["extra_sessions"], cbc=cbc,
                rules="ok" if chk.returncode == 0 else "BROKEN: " + chk.stdout[:200])


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
    cases = [("trung-hoi", os.path.join(TOP, "examples/trung-hoi-2024.json")),
             ("diem-mac", os.path.join(TOP, "examples/diem-mac-2024.json")),
             ("dinh-hoa", os.path.join(TOP, "examples/dinh-hoa-2024.json"))]
    if not quick:
        gen = os.path.join(work, "communes-100.json")
        run(["/usr/bin/python3", os.path.join(TOP, "tools/gen/dinh-hoa.py"), "--communes", "100",
             "--out", gen], check=True)
        cases.append(("communes-100", gen))
    print("%-13s %4s %5s %5s %4s %13s %7s %8s %-8s %6s %-5s %s" % (
        "case", "comm", "units", "teams", "days", "rows/cols", "seconds", "peak MiB", "status",
        "gap", "rules", "by deadline per priority: rota/greedy/LP bound; extra sessions rota/greedy; CBC s"))
    try:
        for name, path in cases:
            res = bench_case(name, path, build, work, 600)
            if "error" in res:
                print("%-13s failed: %s" % (name, res["error"]))
                continue
            print("%-13s %4d %5d %5d %4d %13s %7.2f %8.0f %-8s %6.4f %-5s %s; extra %d/%d; CBC %s" % (
                name, res["communes"], res["units"], res["teams"], res["days"],
                "%d/%d" % (res["rows"], res["cols"]), res["seconds"], res["peak_mib"],
                res["status"], res["gap"], res["rules"][:5], fmt_level(res), res["extra"],
                res["greedy_extra"], "-" if res["cbc"] is None else "%.2f" % res["cbc"]))
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
