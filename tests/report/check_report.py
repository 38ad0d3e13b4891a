#!/usr/bin/python3
"""Checks a report page (as a browser's DOM dump or as the file rota wrote)
against the plan it was made from, computing every figure again from
rota.json and the campaign with Python's json, sharing no code with rota.

usage: check_report.py PAGE.html PLAN_DIR/rota.json CAMPAIGN.json [--lang vi|en]

Prints one line per problem and exits 1 when there is any.
"""
import collections
import datetime
import json
import sys
from html.parser import HTMLParser


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], []

    def all_text(self):
        parts = list(self.text)
        for child in self.children:
            parts.append(child.all_text())
        return "".join(parts)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


VOID = {"meta", "br", "link", "img", "input", "hr", "area", "base", "col", "embed",
        "source", "track", "wbr"}
SVG_EMPTY = {"line", "path", "polyline", "rect", "circle"}


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.text.append(data)


def parse(path):
    tree = Tree()
    with open(path, encoding="utf-8") as f:
        tree.feed(f.read())
    return tree.root


def iso_week(date_text):
    year, week, _ = datetime.date.fromisoformat(date_text).isocalendar()
    return "%04d-W%02d" % (year, week)


def main():
    page, plan_path, campaign_path = sys.argv[1:4]
    lang = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--lang" else "vi"
    problems = []

    def expect(what, got, want):
        if str(got) != str(want):
            problems.append("%s: page has %r, the plan gives %r" % (what, got, want))

    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    with open(campaign_path, encoding="utf-8") as f:
        campaign = json.load(f)
    with open(page, encoding="utf-8") as f:
        raw = f.read()
    root = parse(page)
    nodes = list(root.walk())

    def find(tag=None, **attrs):
        out = []
        for n in nodes:
            if tag and n.tag != tag:
                continue
            if all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                out.append(n)
        return out

    # Self-contained: no script, no fetched resource.
    for n in nodes:
        if n.tag in ("script", "link", "iframe", "img", "object", "embed"):
            problems.append("page has a <%s> element" % n.tag)
        for key, value in n.attrs.items():
            if key.startswith("on"):
                problems.append("page has an event handler attribute %s" % key)
            if key in ("src", "href") and value:
                problems.append("page refers to %s=%r" % (key, value))
    for bad in ("@import", "url("):
        if bad in raw:
            problems.append("the style sheet loads something: %r" % bad)
    html = find("html")
    expect("html lang", html[0].attrs.get("lang") if html else None, lang)

    # Headline figures, per group, from the coverage rows.
    totals = collections.OrderedDict()
    for g in campaign["groups"]:
        totals[g["id"]] = [0, 0, 0]
    for row in plan["coverage"]:
        t = totals[row["group"]]
        t[0] += row["demand"]
        t[1] += row["by_deadline"]
        t[2] += row["planned"]
    for gid, (demand, by_deadline, planned) in totals.items():
        rows = [n for n in find("tr", data_group=gid) if "data-demand" in n.attrs]
        if len(rows) != 1:
            problems.append("group %s: %d rows in the headline table" % (gid, len(rows)))
            continue
        a = rows[0].attrs
        expect("group %s demand" % gid, a.get("data-demand"), demand)
        expect("group %s by deadline" % gid, a.get("data-by-deadline"), by_deadline)
        expect("group %s invited" % gid, a.get("data-invited"), planned)
        expect("group %s short" % gid, a.get("data-short"), demand - by_deadline)
        name = next(g["name"] for g in campaign["groups"] if g["id"] == gid)
        if name not in rows[0].all_text():
            problems.append("group %s: its name %r is not in its row" % (gid, name))
        short = find("div", data_group=gid)
        if (demand > by_deadline) != bool(short):
            problems.append("group %s: shortfall shown %s, short by %d"
                            % (gid, bool(short), demand - by_deadline))
        # Its chart: cumulative, deadline marked, final value = invited.
        charts = find("svg", data_chart="served", data_group=gid)
        if len(charts) != 1:
            problems.append("group %s: %d charts" % (gid, len(charts)))
            continue
        c = charts[0]
        expect("chart %s target" % gid, c.attrs.get("data-target"), demand)
        expect("chart %s by deadline" % gid, c.attrs.get("data-by-deadline"), by_deadline)
        deadline = next(g.get("deadline", campaign["campaign"]["end"])
                        for g in campaign["groups"] if g["id"] == gid)
        expect("chart %s deadline" % gid, c.attrs.get("data-deadline"), deadline)
        if not c.attrs.get("aria-label") or c.attrs.get("role") != "img":
            problems.append("chart %s: no aria-label or role" % gid)
        titles = [n for n in c.children if n.tag == "title"]
        if not titles or titles[0].all_text() != c.attrs.get("aria-label"):
            problems.append("chart %s: its <title> is not its aria-label" % gid)
        series = [n for n in c.walk() if n.attrs.get("data-series") == "planned"]
        expect("chart %s planned series" % gid, len(series), 1)
        if series:
            expect("chart %s final value" % gid, series[0].attrs.get("data-final"), planned)
        marks = [n for n in c.walk() if n.attrs.get("class") == "deadline"]
        expect("chart %s deadline marks" % gid, len(marks), 1)

    sessions = plan["sessions"]
    extra = sum(1 for s in sessions if s["slot"] != "day")
    for name, want in (("sessions", len(sessions)), ("extra-sessions", extra),
                       ("by-deadline", sum(t[1] for t in totals.values())),
                       ("invited", sum(t[2] for t in totals.values()))):
        fig = find("div", data_figure=name)
        expect("figure %s" % name, fig[0].attrs.get("data-value") if fig else None, want)

    # Sessions per team per week.
    per_week = collections.Counter((s["team"], iso_week(s["date"])) for s in sessions)
    cells = [n for n in nodes if n.tag == "td" and "data-week" in n.attrs]
    seen = {}
    for n in cells:
        key = (n.attrs["data-team"], n.attrs["data-week"])
        seen[key] = int(n.attrs["data-sessions"])
        expect("heat cell %s %s text" % key, n.all_text().strip(), n.attrs["data-sessions"])
    for key, count in per_week.items():
        expect("heat cell %s %s" % key, seen.get(key), count)
    for key, count in seen.items():
        if count and key not in per_week:
            problems.append("heat cell %s %s has %d sessions, the plan none" % (key + (count,)))
    team_count = len(campaign["teams"])
    start = datetime.date.fromisoformat(campaign["campaign"]["start"])
    end = datetime.date.fromisoformat(campaign["campaign"]["end"])
    weeks = ((end - datetime.timedelta(days=end.weekday())) -
             (start - datetime.timedelta(days=start.weekday()))).days // 7 + 1
    expect("heat cells", len(cells), weeks * team_count)

    # The rota: one row per session, with names and the people invited.
    rows = {n.attrs["data-session"]: n for n in find("tr") if "data-session" in n.attrs}
    expect("rota rows", sorted(rows), sorted(s["uid"] for s in sessions))
    site_names = {s["id"]: s["name"] for s in campaign["sites"]}
    unit_names = {u["id"]: u["name"] for u in campaign["units"]}
    team_names = {t["id"]: t["name"] for t in campaign["teams"]}
    for s in sessions:
        row = rows.get(s["uid"])
        if row is None:
            continue
        text = row.all_text()
        cells_text = [n.all_text() for n in row.children if n.tag == "td"]
        expect("session %s people" % s["uid"], cells_text[-1].strip(),
               sum(v["count"] for v in s["visits"]))
        wanted = [site_names[s["site"]]] + [unit_names[v["unit"]] for v in s["visits"]]
        if team_count > 1:
            wanted.append(team_names[s["team"]])
        for name in wanted:
            if name not in text:
                problems.append("session %s: %r missing from its row" % (s["uid"], name))
        if "%s\u2013%s" % (s["start"], s["end"]) not in text:
            problems.append("session %s: hours %s-%s missing" % (s["uid"], s["start"], s["end"]))

    # Per commune, for a campaign over several (a unit is in its site's
    # commune unless it names one).
    site_commune = {s["id"]: s.get("commune") for s in campaign["sites"]}
    unit_commune = {u["id"]: u.get("commune", site_commune[u["site"]]) for u in campaign["units"]}
    communes = sorted({c for c in list(site_commune.values()) + list(unit_commune.values()) if c},
                      key=lambda c: c.encode())
    commune_rows = {n.attrs["data-commune"]: n for n in find("tr") if "data-commune" in n.attrs}
    if len(communes) < 2:
        expect("commune rows", len(commune_rows), 0)
    else:
        want = collections.defaultdict(lambda: [0, 0, 0])
        for row in plan["coverage"]:
            t = want[unit_commune[row["unit"]] or ""]
            t[0] += row["demand"]
            t[1] += row["by_deadline"]
            t[2] += row["planned"]
        expect("commune rows", sorted(commune_rows), sorted(want))
        for commune, (demand, by_deadline, planned) in want.items():
            row = commune_rows.get(commune)
            if row is None:
                continue
            expect("commune %s demand" % commune, row.attrs.get("data-demand"), demand)
            expect("commune %s by deadline" % commune, row.attrs.get("data-by-deadline"), by_deadline)
            expect("commune %s invited" % commune, row.attrs.get("data-invited"), planned)
            trend = [n for n in row.walk() if n.attrs.get("data-chart") == "trend"]
            values = trend[0].attrs.get("data-values", "").split() if trend else []
            expect("commune %s trend ends at" % commune, values[-1] if values else None, planned)
            if values != sorted(values, key=int):
                problems.append("commune %s: its trend is not cumulative: %s" % (commune, values))

    # No person's name: the contacts are not the report's business.
    for u in campaign["units"]:
        contact = u.get("contact") or {}
        for key in ("name", "email", "phone"):
            if contact.get(key) and contact[key] in raw:
                problems.append("unit %s: its contact's %s appears" % (u["id"], key))

    words = {"vi": ["Số liệu chính", "Lịch thu nhận theo tuần"],
             "en": ["Headline figures", "The rota, week by week"]}[lang]
    text = root.all_text()
    for w in words:
        if w not in text:
            problems.append("the page lacks %r" % w)
    if campaign["campaign"]["name"] not in text:
        problems.append("the page lacks the campaign's name")

    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
