#!/usr/bin/python3
"""Writes broken copies of a re-plan directory, one per promise of
replan-v1.md, so that the suite can prove that check_replan.py notices
each kind of break:

    mutate_replan.py NEW_DIR OUTDIR [--require]

Each mutant is OUTDIR/NAME/ (NEW_DIR's rota.json, campaign.json and outbox
with one thing broken). Prints "NAME<TAB>TEXT" per mutant, TEXT being what
check_replan.py's output must contain. A mutation that the re-plan offers
nothing to break (no new invitation, no cancelled one, no outbox) is
skipped with a line on standard error; with --require, that is an error
(exit 1).
"""
import copy
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_replan  # noqa: E402


def main():
    src, out = sys.argv[1], sys.argv[2]
    require = "--require" in sys.argv[3:]
    plan, campaign = check_replan.load_dir(src)
    today = plan["today"]
    cid = plan["campaign"]
    os.makedirs(out, exist_ok=True)
    missing = []

    def write(name, p, expect, outbox_edit=None):
        if p == plan and outbox_edit is None:
            raise SystemExit("mutate_replan.py: the %s mutation changed nothing" % name)
        d = os.path.join(out, name)
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(d)
        shutil.copy(os.path.join(src, "campaign.json"), os.path.join(d, "campaign.json"))
        if os.path.isdir(os.path.join(src, "outbox")):
            shutil.copytree(os.path.join(src, "outbox"), os.path.join(d, "outbox"))
        with open(os.path.join(d, "rota.json"), "w", encoding="utf-8") as f:
            json.dump(p, f, ensure_ascii=False)
        if outbox_edit:
            outbox_edit(os.path.join(d, "outbox"))
        print(f"{name}\t{expect}")

    def first(pred, what):
        for s in plan["sessions"]:
            if pred(s):
                return plan["sessions"].index(s)
        missing.append(what)
        return None

    held = first(lambda s: s["date"] < today and any(v["count"] > 0 for v in s["visits"]),
                 "a held session")
    frozen = first(lambda s: s.get("origin") == "frozen" and s["visits"], "a frozen session")
    later = first(lambda s: s["date"] >= today and s["visits"] and s.get("origin") != "frozen",
                  "a session planned from today on")

    if held is not None:
        p = copy.deepcopy(plan)
        v = next(v for v in p["sessions"][held]["visits"] if v["count"] > 0)
        v["count"] += 1
        write("history-count", p, "(replan rule 1)")
        p = copy.deepcopy(plan)
        del p["sessions"][held]
        write("history-dropped", p, "missing from the new plan")
        p = copy.deepcopy(plan)
        p["sessions"][held]["visits"][0]["came"] += 1
        write("history-came", p, "came")
        p = copy.deepcopy(plan)
        p["sessions"][held]["start"] = "06:00"
        write("history-hours", p, "start '06:00'")
    if frozen is not None:
        p = copy.deepcopy(plan)
        p["sessions"][frozen]["visits"][0]["count"] += 1
        write("frozen-changed", p, "an announced session is kept as it is")
        p = copy.deepcopy(plan)
        del p["sessions"][frozen]
        write("frozen-dropped", p, "neither kept nor cancelled")
        p = copy.deepcopy(plan)
        s = p["sessions"].pop(frozen)
        p.setdefault("cancelled", []).append({
            "uid": s["uid"], "event": "session", "team": s["team"], "site": s["site"],
            "date": s["date"], "slot": s["slot"], "start": s["start"], "end": s["end"],
            "arrive": s["start"], "until": s["end"], "sequence": s.get("sequence", 0) + 1,
            "cancelled_on": today})
        p["cancelled"].sort(key=lambda x: (x["date"], x["uid"]))
        write("frozen-no-reason", p, "cancelled without a reason")
    if later is not None:
        p = copy.deepcopy(plan)
        p["sessions"].insert(later, copy.deepcopy(p["sessions"][later]))
        write("rules-duplicate", p, "rules: ")
        p = copy.deepcopy(plan)
        p["sessions"][later]["visits"][0]["count"] *= 100
        write("rules-capacity", p, "rules: ")
        p = copy.deepcopy(plan)
        p["sessions"][later]["visits"][0]["came"] = 0
        write("came-from-today", p, "came on a session from today on")
        # One more person than the demand allows: came + invited > count.
        p = copy.deepcopy(plan)
        v = p["sessions"][later]["visits"][0]
        v["count"] += 1
        row = next(r for r in p["coverage"] if (r["unit"], r["group"], r["service"]) ==
                   (v["unit"], v["group"], v["service"]))
        over = row["demand"] - row["planned"] + 1
        v["count"] += over - 1
        row["planned"] += over
        if row["by_deadline"] and p["sessions"][later]["date"] <= row["deadline"]:
            row["by_deadline"] += over
        write("demand-over", p, "more than the demand")
    p = copy.deepcopy(plan)
    row = next((r for r in p["coverage"] if r.get("came")), p["coverage"][0])
    row["came"] = row.get("came", 0) + 1
    write("coverage-came", p, "(replan rule 5)")

    # Sequences.
    def invitation(pred, what):
        for i, s in enumerate(plan["sessions"]):
            for j, inv in enumerate(s.get("invitations", [])):
                if pred(s, inv):
                    return i, j
        missing.append(what)
        return None

    at = invitation(lambda s, inv: inv["change"] == "none" and s["date"] >= today,
                    "an unchanged invitation from today on")
    if at:
        p = copy.deepcopy(plan)
        p["sessions"][at[0]]["invitations"][at[1]]["sequence"] += 1
        write("sequence-unchanged-bumped", p, "unchanged: sequence")
    at = invitation(lambda s, inv: inv["change"] == "changed", "a changed invitation")
    if at:
        p = copy.deepcopy(plan)
        p["sessions"][at[0]]["invitations"][at[1]]["sequence"] -= 1
        write("sequence-changed-kept", p, "changed: sequence")
    at = invitation(lambda s, inv: inv["change"] == "new", "a new invitation")
    if at:
        p = copy.deepcopy(plan)
        p["sessions"][at[0]]["invitations"][at[1]]["sequence"] += 1
        write("sequence-new-nonzero", p, "a new event")
    now = [i for i, x in enumerate(plan.get("cancelled", [])) if x["cancelled_on"] == today]
    if now:
        p = copy.deepcopy(plan)
        x = p["cancelled"].pop(now[0])
        write("cancel-dropped", p, "not in its cancelled list")
        p = copy.deepcopy(plan)
        p["cancelled"][now[0]]["sequence"] += 1
        write("cancel-sequence", p, f"cancelled {x['uid']}: sequence")
    else:
        missing.append("an event cancelled by this plan")

    # The outbox.
    outbox = os.path.join(src, "outbox")
    files = sorted(os.path.join(u, f) for u in sorted(os.listdir(outbox))
                   for f in sorted(os.listdir(os.path.join(outbox, u))) if f.endswith(".ics")) \
        if os.path.isdir(outbox) else []
    if os.path.isdir(outbox):
        at = invitation(lambda s, inv: inv["change"] == "none" and s["date"] >= today and
                        check_replan.unit_email(campaign, inv["unit"]),
                        "an unchanged invitation of a unit with e-mail")
        if at:
            s = plan["sessions"][at[0]]
            unit = s["invitations"][at[1]]["unit"]
            uid = check_replan.invite_uid(s, unit, cid)
            name = check_replan.session_name(s["date"], s["slot"], s["site"], s["team"])

            def extra(box, unit=unit, uid=uid, name=name, seq=s["invitations"][at[1]]["sequence"]):
                os.makedirs(os.path.join(box, unit), exist_ok=True)
                with open(os.path.join(box, unit, name + ".ics"), "w", newline="") as f:
                    f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//mutant//EN\r\n"
                            "METHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:%s\r\nSEQUENCE:%d\r\n"
                            "DTSTAMP:20240101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
                            % (uid, seq))
            write("outbox-unchanged-sent", plan, "neither new, changed nor cancelled", extra)
    if files:
        write("outbox-missing", plan, "missing, expected",
              lambda box: os.unlink(os.path.join(box, files[0])))
        cancels = [f for f in files if b"METHOD:CANCEL" in open(os.path.join(outbox, f), "rb").read()]
        if cancels:
            def as_request(box, f=cancels[0]):
                path = os.path.join(box, f)
                data = open(path, "rb").read().replace(b"METHOD:CANCEL", b"METHOD:REQUEST")
                open(path, "wb").write(data)
            write("outbox-cancel-as-request", plan, "expected CANCEL", as_request)
        else:
            missing.append("a CANCEL in the outbox")
    else:
        missing.append("an outbox message")
    for m in missing:
        print(f"mutate_replan.py: {src} has no {m}: its mutation is not made", file=sys.stderr)
    return 1 if require and missing else 0


if __name__ == "__main__":
    sys.exit(main())
