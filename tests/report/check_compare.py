#!/usr/bin/python3
"""Checks `rota compare` against the plans it compared, computing every
figure again from each rota.json and its campaign file with Python's json.

usage: check_compare.py TEXT_OUTPUT HTML_DOM DIR1 DIR2 [DIR...]

TEXT_OUTPUT is what `rota compare DIR...` printed; HTML_DOM the page that
--html wrote (or a browser's dump of it). Prints one line per problem and
exits 1 when there is any.
"""
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_report import parse  # noqa: E402


def load(directory):
    with open(os.path.join(directory, "rota.json"), encoding="utf-8") as f:
        plan = json.load(f)
    with open(os.path.join(directory, plan["campaign_file"]), encoding="utf-8") as f:
        campaign = json.load(f)
    return plan, campaign


def figures(plan, campaign):
    """The comparison's figures of one plan: {table: {row id: value}}."""
    groups = collections.OrderedDict()
    for row in plan["coverage"]:
        g = groups.setdefault(row["group"], [0, 0])
        g[0] += row["by_deadline"]
        g[1] += row["planned"]
    teams = collections.OrderedDict((t["id"], [0, 0]) for t in campaign["teams"])
    units = collections.OrderedDict((u["id"], [0, 0]) for u in campaign["units"])
    unit_site = {u["id"]: u["site"] for u in campaign["units"]}
    away = 0
    for s in plan["sessions"]:
        teams[s["team"]][0] += 1
        teams[s["team"]][1] += s["slot"] != "day"
        for unit in sorted({v["unit"] for v in s["visits"]}):
            units[unit][0] += 1
        for v in s["visits"]:
            units[v["unit"]][1] += v["count"]
            if unit_site[v["unit"]] != s["site"]:
                away += v["count"]
    levels = {l["name"]: l["value"] for l in plan["solver"].get("levels", [])}
    totals = collections.OrderedDict([
        ("sessions", len(plan["sessions"])),
        ("extra-sessions", sum(1 for s in plan["sessions"] if s["slot"] != "day")),
        ("person-minutes", round(levels["person-minutes"])),
        ("people-away", away),
    ])
    return {"groups": groups, "teams": teams, "totals": totals, "units": units}


def session_keys(plan):
    return {(s["date"], s["slot"], s["team"], s["site"]) for s in plan["sessions"]}


TEXT_TITLES = {
    "People invited by the deadline / in all, per group": "groups",
    "Sessions / extra sessions, per team": "teams",
    "Totals": "totals",
    "Invitations / people invited, per unit": "units",
}
TEXT_TOTALS = {"sessions": "sessions", "extra sessions": "extra-sessions",
               "person-minutes": "person-minutes", "people away from home": "people-away"}


def parse_text(text):
    """{table: {row id: [cell texts]}} and {letter: (added, removed, lines)}."""
    tables, diffs, table, diff = {}, {}, None, None
    for line in text.splitlines():
        m = re.match(r"Sessions of ([A-Z]) that differ from A: (\d+) added, (\d+) removed$", line)
        if m:
            diff = diffs[m.group(1)] = [int(m.group(2)), int(m.group(3)), []]
            table = None
            continue
        if line in TEXT_TITLES:
            table = tables[TEXT_TITLES[line]] = {}
            diff = None
            header = True
            continue
        if not line.strip():
            table = None
            continue
        if diff is not None:
            diff[2].append(line.split())
        elif table is not None:
            if header:
                header = False
                continue
            cells = re.split(r"\s{2,}", line.strip())
            key = TEXT_TOTALS.get(cells[0], cells[0])
            table[key] = cells[1:]
    return tables, diffs


def main():
    text_path, html_path, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    problems = []
    loaded = [load(d) for d in dirs]
    figs = [figures(p, c) for p, c in loaded]
    letters = [chr(ord("A") + i) for i in range(len(dirs))]
    with open(text_path, encoding="utf-8") as f:
        tables, diffs = parse_text(f.read())
    root = parse(html_path)
    nodes = list(root.walk())

    def html_cells(table, row_id):
        for n in nodes:
            if n.tag == "table" and n.attrs.get("data-table") == table:
                for tr in n.walk():
                    if tr.tag == "tr" and tr.attrs.get("data-id") == row_id:
                        return {td.attrs["data-plan"]: td for td in tr.children
                                if td.tag == "td" and "data-plan" in td.attrs}
        return None

    for table in ("groups", "teams", "totals", "units"):
        ids = []
        for f in figs:
            ids += [k for k in f[table] if k not in ids]
        for row_id in ids:
            text_row = tables.get(table, {}).get(row_id)
            html_row = html_cells(table, row_id)
            if text_row is None or html_row is None:
                problems.append("%s %s: missing (text %s, html %s)"
                                % (table, row_id, text_row is not None, html_row is not None))
                continue
            cells = text_row[-len(dirs):]
            for i, f in enumerate(figs):
                value = f[table].get(row_id)
                if value is None:
                    want_text, want_html = "-", (None, None)
                elif isinstance(value, list):
                    want_text = "%d / %d" % tuple(value)
                    want_html = (str(value[0]), str(value[1]))
                else:
                    want_text, want_html = str(value), (str(value), None)
                if cells[i] != want_text:
                    problems.append("%s %s plan %s: text says %r, the plan gives %r"
                                    % (table, row_id, letters[i], cells[i], want_text))
                td = html_row.get(letters[i])
                got_html = (td.attrs.get("data-value"), td.attrs.get("data-value2")) if td else None
                if got_html != want_html:
                    problems.append("%s %s plan %s: html says %r, the plan gives %r"
                                    % (table, row_id, letters[i], got_html, want_html))
    if "groups" in tables:
        demand = collections.Counter()
        for row in loaded[0][0]["coverage"]:
            demand[row["group"]] += row["demand"]
        for gid, cells in tables["groups"].items():
            if cells[0] != str(demand[gid]):
                problems.append("group %s demand: text says %r, the plan gives %d"
                                % (gid, cells[0], demand[gid]))

    first = session_keys(loaded[0][0])
    for i in range(1, len(dirs)):
        keys = session_keys(loaded[i][0])
        added, removed = sorted(keys - first), sorted(first - keys)
        got = diffs.get(letters[i])
        if not got:
            problems.append("no list of the sessions of %s that differ" % letters[i])
            continue
        if got[:2] != [len(added), len(removed)]:
            problems.append("plan %s: text says %d added, %d removed; the plans give %d, %d"
                            % (letters[i], got[0], got[1], len(added), len(removed)))
        lines = sorted((l[1], l[2], l[3], l[4]) for l in got[2] if l[0] == "+")
        if lines != added:
            problems.append("plan %s: the added sessions listed differ" % letters[i])
        lines = sorted((l[1], l[2], l[3], l[4]) for l in got[2] if l[0] == "-")
        if lines != removed:
            problems.append("plan %s: the removed sessions listed differ" % letters[i])
        heads = [n for n in nodes if n.tag == "h3" and n.attrs.get("data-plan") == letters[i]]
        if not heads or (heads[0].attrs.get("data-added"), heads[0].attrs.get("data-removed")) != \
                (str(len(added)), str(len(removed))):
            problems.append("plan %s: the page's counts of differing sessions are wrong" % letters[i])
        rows = sorted((n.attrs["data-change"], n.attrs["data-date"], n.attrs["data-team"],
                       n.attrs["data-site"]) for n in nodes
                      if n.tag == "tr" and "data-change" in n.attrs
                      and n.parent and n.parent.parent
                      and n.parent.parent.attrs.get("data-table") == "diff-" + letters[i])
        want = sorted([("added", k[0], k[2], k[3]) for k in added] +
                      [("removed", k[0], k[2], k[3]) for k in removed])
        if rows != want:
            problems.append("plan %s: the page's list of differing sessions is wrong" % letters[i])

    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
