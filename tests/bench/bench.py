#!/usr/bin/python3
"""The benchmark behind `make bench` (docs/performance.md).

    bench.py BUILD_DIR [--quick] [--cases NAME,...] [--cap SECONDS]
                       [--seeds A-B] [--limit-seeds A,B] [--save FILE]

Cases (all by default; `make bench BENCH=family` runs one, BENCH=a,b some):

  examples      the commune examples Trung Hội and Điềm Mặc
  dinh-hoa      the Định Hóa district, without and with `--time-limit 30`
  family        40 generated communes (tools/gen/communes.py, seeds 1-40 or
                --seeds), with the distribution of rota's wall time
  limits        `--time-limit` on the slowest generated communes (of the
                family when it runs too, else --limit-seeds or LIMIT_SEEDS):
                wall time against the limit, deadline levels against the
                greedy
  gen-100       100 generated communes as one district (time, peak memory)
  communes-100  the Định Hóa quota table cycled over 100 communes
  replan        re-planning (docs/replan.md) against planning from scratch,
                on the examples and the district: a plan, then `rota plan
                --previous` a third into the campaign, once with actuals
                equal to the plan (nothing new) and once with every fourth
                past visit one person short and the first team unavailable
                for the week after the freeze window; processor time of
                each, and the ratio re-plan / plan

--quick leaves out gen-100 and communes-100. For each run it runs `rota
plan` (one thread per processor, the default) under /usr/bin/time for wall
time and peak memory, capped at --cap seconds (600; a run killed at the cap
is reported as such), records its processor time (user + system over every thread: steadier than
wall time on a shared machine), checks the plan with
tests/checker/check_plan.py, runs the earliest-deadline-first greedy
baseline (greedy.py, whose plan the checker checks too), gives CBC each
part's person-minutes model exported as MPS with rota's processor time per
part, and prints one table. --save writes
every result as JSON.
"""
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def run_capped(cmd, cap, env):
    """Runs cmd in a session of its own; at `cap` seconds kills the whole
    session (rota under /usr/bin/time) and returns None."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=env, start_new_session=True)
    try:
        out, err = p.communicate(timeout=cap)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return None
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


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


def bench_case(name, campaign, build, work, extra_args=(), cap=600):
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
    r = run_capped(["/usr/bin/time", "-f", "%U %S %M", "-o", timefile, rota, "plan", campaign, "-o",
                    out, "--quiet"] + (list(extra_args) or ["--mps", mps]), cap, env)
    wall = time.monotonic() - t0
    if r is None:
        return dict(st, name=name, seconds=wall, error="killed at the cap of %d s" % cap)
    if r.returncode != 0:
        return dict(st, name=name, seconds=wall, error=r.stderr.strip()[-300:])
    user, system, peak_kib = open(timefile).read().split()[-3:]
    peak_mib = int(peak_kib) / 1024
    cpu = float(user) + float(system)
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
    greedy, greedy_rules = run_greedy(name, campaign, work)
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
        per_part = min(cap, max(1.0, cpu / len(pm_files)))
        cbc = cbc_person_minutes(pm_files, per_part)
    return dict(st, name=name, rows=rows, cols=cols, seconds=wall, cpu=cpu, peak_mib=peak_mib,
                pm=levels.get("person-minutes", {}),
                status=plan["solver"]["status"], gap=plan["solver"]["gap"],
                by_level=by_level, bounds=bounds,
                greedy={int(k): v["by_deadline"] for k, v in greedy["by_level"].items()},
                extra=extra, greedy_extra=greedy["extra_sessions"], cbc=cbc,
                greedy_rules=greedy_rules,
                rules="ok" if chk.returncode == 0 else "BROKEN: " + chk.stdout[:200])


_greedy_cache = {}


def run_greedy(name, campaign, work):
    """The greedy's plan of a campaign (once per campaign) and whether the
    checker accepts it."""
    if campaign not in _greedy_cache:
        gfile = os.path.join(work, name + "-greedy.json")
        run(["/usr/bin/python3", os.path.join(HERE, "greedy.py"), campaign, gfile], check=True)
        chk = run(["/usr/bin/python3", os.path.join(TOP, "tests/checker/check_plan.py"), campaign,
                   gfile])
        _greedy_cache[campaign] = (json.load(open(gfile, encoding="utf-8")),
                                   "ok" if chk.returncode == 0 else "BROKEN: " + chk.stdout[:200])
    return _greedy_cache[campaign]


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


FAMILY_SEEDS = range(1, 41)
# The slowest generated communes of the family run of docs/performance.md,
# for the time-limit cases when the family is not run alongside.
LIMIT_SEEDS = [9, 22]
LIMITS = [5, 20]
HEADER = ("%-14s %4s %5s %5s %4s %13s %7s %7s %8s %-8s %6s %-5s %s" % (
    "case", "comm", "units", "teams", "days", "rows/cols", "seconds", "cpu s", "peak MiB",
    "status",
    "gap", "rules", "by deadline per priority: rota/greedy/LP bound; extra sessions "
    "rota/greedy; person-minutes rota (bound); CBC on the same person-minutes models"))


def worse_than_greedy(res):
    return [p for p in res["levels"] if res["by_level"][p] < res["greedy"].get(p, 0)]


def line(res):
    if "error" in res:
        return "%-14s %4d %5d %5d %4d failed after %.1f s: %s" % (
            res["name"], res["communes"], res["units"], res["teams"], res["days"],
            res.get("seconds", 0), res["error"])
    worse = worse_than_greedy(res)
    return ("%-14s %4d %5d %5d %4d %13s %7.2f %7.2f %8.0f %-8s %6.4f %-5s %s; extra %d/%d; "
            "pm %.0f (%.0f); CBC %s%s%s" % (
                res["name"], res["communes"], res["units"], res["teams"], res["days"],
                "%d/%d" % (res["rows"], res["cols"]), res["seconds"], res["cpu"], res["peak_mib"],
                res["status"], res["gap"], res["rules"][:5], fmt_level(res), res["extra"],
                res["greedy_extra"], res["pm"].get("value", 0), res["pm"].get("bound", 0),
                fmt_cbc(res["cbc"]),
                "; WORSE THAN THE GREEDY at p%s" % ",".join(map(str, worse)) if worse else "",
                "" if res["greedy_rules"] == "ok" else "; greedy " + res["greedy_rules"]))


def quantile(xs, q):
    """Nearest rank: the smallest value with at least q of the values at or below it."""
    xs = sorted(xs)
    return xs[max(0, math.ceil(q * len(xs)) - 1)]


def pm_gap(res):
    v, b = res["pm"].get("value", 0), res["pm"].get("bound", 0)
    return (v - b) / v if v else 0.0


def family_summary(results, cap):
    done = [r for r in results if "error" not in r]
    killed = [r for r in results if "error" in r]
    secs = [r["seconds"] for r in done] + [cap for _ in killed]
    out = ["family: %d generated communes, %d planned, %d killed at the cap of %d s or failed" % (
        len(results), len(done), len(killed), cap)]
    if secs:
        out.append("  rota wall time: median %.2f s, 90th percentile %.2f s, max %.2f s; "
                   "over 1 s: %d, over 3 s: %d (killed counted at the cap)" % (
                       statistics.median(secs), quantile(secs, 0.9), max(secs),
                       sum(1 for x in secs if x > 1), sum(1 for x in secs if x > 3)))
        cpus = [r["cpu"] for r in done]
        if cpus:
            out.append("  rota processor time of the planned ones (user + system, every "
                       "thread): median %.2f s, 90th percentile %.2f s, max %.2f s" % (
                           statistics.median(cpus), quantile(cpus, 0.9), max(cpus)))
    if done:
        med = sorted(done, key=lambda r: r["seconds"])[len(done) // 2]
        gaps = sorted(pm_gap(r) for r in done)
        out.append("  person-minutes over the proven bound: %.2f %% on the median campaign (%s, "
                   "%.2f s); median over campaigns %.2f %%, max %.2f %%" % (
                       100 * pm_gap(med), med["name"], med["seconds"],
                       100 * gaps[len(gaps) // 2], 100 * gaps[-1]))
        worse = [r["name"] for r in done if worse_than_greedy(r)]
        out.append("  by deadline, never worse than the greedy at any priority: %s" % (
            "yes, on all %d" % len(done) if not worse else "no, worse on " + " ".join(worse)))
        broken = [r["name"] for r in done if r["rules"] != "ok"]
        gbroken = [r["name"] for r in done if r["greedy_rules"] != "ok"]
        out.append("  rules 1-6: rota %s; greedy %s" % (
            "ok on all" if not broken else "BROKEN on " + " ".join(broken),
            "ok on all" if not gbroken else "BROKEN on " + " ".join(gbroken)))
    slow = sorted(results, key=lambda r: -r.get("seconds", cap))[:5]
    out.append("  slowest: " + ", ".join("%s %s (%d units, %d teams, %d days)" % (
        r["name"], "killed" if "error" in r else "%.1f s" % r["seconds"], r["units"], r["teams"],
        r["days"]) for r in slow))
    return out


def generate(work, seed, communes=1):
    path = os.path.join(work, "gen-%d%s.json" % (seed, "" if communes == 1 else "x%d" % communes))
    run(["/usr/bin/python3", os.path.join(TOP, "tools/gen/communes.py"), "--seed", str(seed),
         "--communes", str(communes), "--out", path], check=True)
    return path


def limit_line(res, limit, unlimited):
    if "error" in res:
        return line(res)
    worse = worse_than_greedy(res)
    same = unlimited is not None and "error" not in unlimited and \
        res["by_level"] == unlimited["by_level"]
    return ("%-14s limit %3d s: wall %6.2f s (%+.2f s, %s), processor %.2f s; by deadline %s; "
            "extra %d; "
            "pm %.0f; %s; %s" % (
                res["name"], limit, res["seconds"], res["seconds"] - limit,
                "holds" if res["seconds"] <= limit + max(1.0, 0.1 * limit) else "OVER",
                res["cpu"], fmt_level(res), res["extra"], res["pm"].get("value", 0),
                "never worse than the greedy" if not worse else
                "WORSE THAN THE GREEDY at p" + ",".join(map(str, worse)),
                "" if unlimited is None else
                "no unlimited plan to compare" if "error" in unlimited else
                ("same by deadline as unlimited" if same else "by deadline differs from unlimited")))


def parse_seeds(text):
    out = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


def timed_plan(argv, cap, env, timefile):
    """Runs rota under /usr/bin/time: (processor seconds, wall, error)."""
    t0 = time.monotonic()
    r = run_capped(["/usr/bin/time", "-f", "%U %S %M", "-o", timefile] + argv, cap, env)
    wall = time.monotonic() - t0
    if r is None:
        return None, wall, "killed at the cap of %d s" % cap
    if r.returncode != 0:
        return None, wall, r.stderr.strip()[-300:]
    user, system, _ = open(timefile).read().split()[-3:]
    return float(user) + float(system), wall, None


def write_actuals(plan_dir, today, path, short_every):
    """rota.csv of plan_dir with a `came` column for the visits before today:
    everyone, or one person fewer on every short_every-th visit."""
    import csv
    rows = list(csv.DictReader(open(os.path.join(plan_dir, "rota.csv"), encoding="utf-8")))
    past = [r for r in rows if r["date"] < today]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) + ["came"] if rows else ["came"])
        w.writeheader()
        for i, r in enumerate(past):
            came = int(r["count"])
            if short_every and i % short_every == 0:
                came = max(0, came - 1)
            w.writerow(dict(r, came=came))


def replan_case(name, campaign, build, work, cap):
    import datetime
    rota = os.path.join(build, "rota")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    raw = json.load(open(campaign, encoding="utf-8"))
    start = datetime.date.fromisoformat(raw["campaign"]["start"])
    end = datetime.date.fromisoformat(raw["campaign"]["end"])
    today = start + (end - start) / 3
    today = today.isoformat()
    tf = os.path.join(work, name + ".rtime")
    first = os.path.join(work, name + "-week1")
    res = dict(name=name, today=today)
    cpu, wall, err = timed_plan([rota, "plan", campaign, "-o", first, "--quiet"], cap, env, tf)
    res.update(plan_cpu=cpu, plan_wall=wall)
    if err:
        res["error"] = "plan: " + err
        return res
    for kind, short_every, edit in (("same", 0, False), ("changed", 4, True)):
        actuals = os.path.join(work, "%s-%s.csv" % (name, kind))
        write_actuals(first, today, actuals, short_every)
        camp = campaign
        if edit:
            edited = json.loads(json.dumps(raw))
            t0 = datetime.date.fromisoformat(today) + datetime.timedelta(days=7)
            team = edited["teams"][0]
            team.setdefault("unavailable", []).append(
                "%s/%s" % (t0.isoformat(), (t0 + datetime.timedelta(days=6)).isoformat()))
            camp = os.path.join(work, "%s-edited.json" % name)
            json.dump(edited, open(camp, "w", encoding="utf-8"), ensure_ascii=False)
        out = os.path.join(work, "%s-%s" % (name, kind))
        cpu, wall, err = timed_plan([rota, "plan", camp, "-o", out, "--quiet", "--previous",
                                     first, "--today", today, "--actuals", actuals], cap, env, tf)
        res[kind + "_cpu"] = cpu
        res[kind + "_wall"] = wall
        if err:
            res[kind + "_error"] = err
            continue
        chk = run(["/usr/bin/python3", os.path.join(TOP, "tests/checker/check_replan.py"), first,
                   out, "--today", today, "--actuals", actuals])
        res[kind + "_rules"] = "ok" if chk.returncode == 0 else "BROKEN: " + chk.stdout[:200]
        if kind == "same":
            outbox = os.path.join(out, "outbox")
            res["same_outbox"] = sum(len(fs) for _, _, fs in os.walk(outbox)) \
                if os.path.isdir(outbox) else 0
    return res


def replan_line(res):
    if "error" in res:
        return "%-14s replan: %s" % (res["name"], res["error"])
    parts = ["%-14s plan %7.2f s cpu" % (res["name"], res["plan_cpu"])]
    for kind in ("same", "changed"):
        if res.get(kind + "_error"):
            parts.append("%s: %s" % (kind, res[kind + "_error"][:80]))
            continue
        cpu = res.get(kind + "_cpu")
        parts.append("re-plan %s %7.2f s (x%.2f, %s)" % (
            kind, cpu, cpu / max(res["plan_cpu"], 1e-3), res.get(kind + "_rules", "?")))
    if "same_outbox" in res:
        parts.append("outbox after nothing new: %d files" % res["same_outbox"])
    return " | ".join(parts)


def main():
    args = sys.argv[1:]
    build = args[0] if args and not args[0].startswith("--") else "build"

    def opt(name, default):
        return args[args.index(name) + 1] if name in args else default

    quick = "--quick" in args
    cap = int(opt("--cap", "600"))
    all_cases = ["examples", "dinh-hoa", "family", "limits", "gen-100", "communes-100",
                 "replan"]
    cases = opt("--cases", "") or os.environ.get("BENCH", "")
    cases = [c for c in cases.replace(" ", ",").split(",") if c] or \
        [c for c in all_cases if not (quick and c in ("gen-100", "communes-100"))]
    for c in cases:
        if c not in all_cases:
            print("bench.py: unknown case %r (cases: %s)" % (c, ", ".join(all_cases)),
                  file=sys.stderr)
            return 2
    seeds = parse_seeds(opt("--seeds", "")) if "--seeds" in args else list(FAMILY_SEEDS)
    save = opt("--save", None)
    work = tempfile.mkdtemp(prefix="rota-bench.")
    saved = {}
    print(HEADER)
    sys.stdout.flush()

    def one(name, path, extra=()):
        res = bench_case(name, path, build, work, extra, cap)
        saved.setdefault("runs", []).append(res)
        print(line(res))
        sys.stdout.flush()
        return res

    try:
        if "examples" in cases:
            one("trung-hoi", os.path.join(TOP, "examples/trung-hoi-2024.json"))
            one("diem-mac", os.path.join(TOP, "examples/diem-mac-2024.json"))
        if "dinh-hoa" in cases:
            dinh_hoa = os.path.join(TOP, "examples/dinh-hoa-2024.json")
            one("dinh-hoa", dinh_hoa)
            one("dinh-hoa-30s", dinh_hoa, ("--time-limit", "30"))
        family = {}
        if "family" in cases:
            for seed in seeds:
                family[seed] = one("gen-%d" % seed, generate(work, seed))
            for text in family_summary(list(family.values()), cap):
                print(text)
            sys.stdout.flush()
        if "limits" in cases:
            if family:
                slow = sorted(family, key=lambda k: -family[k].get("seconds", cap))[:2]
            elif "--limit-seeds" in args:
                slow = parse_seeds(opt("--limit-seeds", ""))
            else:
                slow = LIMIT_SEEDS
            for seed in slow:
                path = generate(work, seed)
                unlimited = family.get(seed)
                for limit in LIMITS:
                    res = bench_case("gen-%d" % seed, path, build, work,
                                     ("--time-limit", str(limit)), cap)
                    res["limit"] = limit
                    saved.setdefault("runs", []).append(res)
                    print(limit_line(res, limit, unlimited))
                    sys.stdout.flush()
        if "replan" in cases:
            for name, path in (("trung-hoi", "examples/trung-hoi-2024.json"),
                               ("diem-mac", "examples/diem-mac-2024.json"),
                               ("dinh-hoa", "examples/dinh-hoa-2024.json")):
                res = replan_case(name, os.path.join(TOP, path), build, work, cap)
                saved.setdefault("replans", []).append(res)
                print(replan_line(res))
                sys.stdout.flush()
        if "gen-100" in cases:
            one("gen-100", generate(work, 1, 100))
        if "communes-100" in cases:
            gen = os.path.join(work, "communes-100.json")
            run(["/usr/bin/python3", os.path.join(TOP, "tools/gen/dinh-hoa.py"), "--communes",
                 "100", "--out", gen], check=True)
            one("communes-100", gen)
    finally:
        if save:
            with open(save, "w", encoding="utf-8") as f:
                json.dump(saved, f, ensure_ascii=False, indent=1, default=list)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
