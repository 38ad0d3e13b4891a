#!/usr/bin/env python3
"""Writes a seeded, generated commune or district campaign (rota-campaign/1).

Campaigns that look like the real ones (docs of /work data: 10-25 villages a
commune, quotas of 30 card and 70 e-ID dossiers a day, exam pupils first,
children of 6-14 for e-ID by 5 May, evening, weekend and holiday sessions)
but unlike the project's examples: each seed draws its own year, campaign
length (1-10 months), holidays of that year, slot hours, 2-5 groups
(turnouts below 1, evening/weekend/holiday-only groups, `from` dates, `at`
lists), 8-30 villages, schools, a workplace, site closures, 1-3 teams with
different quotas, slot lists, weekly extra limits and unavailable weeks,
and dated and weekly fixed sessions. With --communes K > 1 it writes a
district of K such communes (one calendar and one set of groups) with one
or two district teams based at the district one-stop office.

Usage: communes.py --seed N [--communes K] [--size any|small|medium|large]
                   [--out FILE]
--size bounds the villages of each commune: small 8-14, medium 15-22,
large 23-30, any 8-30 (default). The output depends on nothing but the
arguments (same bytes for the same seed). Python 3 standard library only.
Every campaign it writes must pass `rota check`; tests/suite-35-generated.sh
checks that on a range of seeds.
"""

import argparse
import datetime as dt
import importlib.util
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("dinh_hoa", os.path.join(HERE, "dinh-hoa.py"))
dh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dh)

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SIZES = {"small": (8, 14), "medium": (15, 22), "large": (23, 30), "any": (8, 30)}

# Public holidays by year (New Year, Tết, Hùng Kings' day, 30/4-1/5, 2/9)
# with the Saturdays worked in exchange for a bridge day.
HOLIDAYS = {
    2024: (["2024-01-01", "2024-02-08/2024-02-14", "2024-04-18", "2024-04-27/2024-05-01",
            "2024-08-31/2024-09-03"], ["2024-05-04"]),
    2025: (["2025-01-01", "2025-01-25/2025-02-02", "2025-04-07", "2025-04-30/2025-05-04",
            "2025-08-30/2025-09-02"], ["2025-04-26"]),
    2026: (["2026-01-01/2026-01-02", "2026-02-14/2026-02-22", "2026-04-27",
            "2026-04-30/2026-05-03", "2026-09-01/2026-09-02"], ["2026-01-10"]),
}
COMMUNE_NAMES = [
    "Tân Dương", "Phú Đình", "Bảo Linh", "Sơn Phú", "Kim Phượng", "Lam Vỹ", "Quy Kỳ",
    "Phượng Tiến", "Bình Thành", "Phú Tiến", "Tân Thịnh", "Thanh Định", "Linh Thông",
    "Bộc Nhiêu", "Phúc Chu", "Đồng Thịnh", "Định Biên", "Kim Sơn", "Yên Ninh", "Yên Trạch",
    "Phú Xuyên", "Na Mao", "Minh Tiến", "Phúc Lương", "Hòa Bình", "Tân Linh", "Phú Lạc",
    "Yên Lạc", "Động Đạt", "Hợp Thành", "Ôn Lương", "Phủ Lý", "Tức Tranh", "Cổ Lũng",
    "Phấn Mễ", "Vô Tranh", "Yên Đổ", "Sơn Cẩm", "Văn Lăng", "Hòa Khê", "Quân Chu",
]

# Group templates: (id, name, priority rank). The rank orders them; the
# file's priorities are ranks renumbered, two groups sometimes sharing one.
GROUP_KINDS = [
    ("exam", "Học sinh dự thi", 1),
    ("children", "Trẻ em từ 6 đến dưới 14 tuổi (định danh điện tử)", 2),
    ("elderly", "Người cao tuổi, người khuyết tật", 3),
    ("policy", "Đối tượng chính sách", 3),
    ("workers", "Công nhân, người lao động", 4),
    ("migrants", "Người lao động đi làm ăn xa về quê dịp lễ", 4),
    ("general", "Công dân từ đủ 14 tuổi", 5),
]
TURNOUTS = [0.8, 0.85, 0.9, 0.95, 1]


def iso(d):
    return d.isoformat()


def date(text):
    return dt.date.fromisoformat(text)


def ranges(items):
    out = []
    for r in items:
        a, _, b = r.partition("/")
        out.append((date(a), date(b or a)))
    return out


def in_ranges(d, rs):
    return any(a <= d <= b for a, b in rs)


class Calendar:
    """The campaign's dates and the slot kinds that exist on each."""

    def __init__(self, start, end, holidays, extra):
        self.start, self.end = start, end
        self.holidays = ranges(holidays)
        self.extra = ranges(extra)

    def days(self):
        d = self.start
        while d <= self.end:
            yield d
            d += dt.timedelta(days=1)

    def kinds(self, d):
        if d < self.start or d > self.end:
            return set()
        if in_ranges(d, self.holidays):
            return {"holiday"}
        if d.weekday() < 5 or in_ranges(d, self.extra):
            return {"day", "evening"}
        return {"weekend"}

    def some_range(self, rng, length, lo=None, hi=None):
        """A range of `length` days inside [lo, hi] (default the campaign)."""
        lo, hi = lo or self.start, hi or self.end
        span = (hi - lo).days - length + 1
        a = lo + dt.timedelta(days=rng.randint(0, max(0, span)))
        b = min(hi, a + dt.timedelta(days=length - 1))
        return iso(a) if a == b else "%s/%s" % (iso(a), iso(b))


def draw_campaign(rng):
    """Year, dates, calendar and groups: shared by every commune."""
    year = rng.choice(sorted(HOLIDAYS))
    months = rng.randint(1, 10)
    first_month = rng.randint(1, 13 - months)
    start = dt.date(year, first_month, 1)
    start += dt.timedelta(days=(7 - start.weekday()) % 7 + 7 * rng.randint(0, 1))  # a Monday
    end = min(start + dt.timedelta(days=round(months * 30.4) - 1), dt.date(year, 12, 30))
    hol, extra = HOLIDAYS[year]
    cal = Calendar(start, end, hol, extra)
    slots = {"day": {"start": "07:30", "end": "17:00", "breaks": [["11:30", "13:30"]]},
             "evening": {"start": "18:00", "end": "21:00"},
             "weekend": {"start": "07:30", "end": "11:30"}}
    if rng.random() < 0.3:   # summer hours
        slots["day"] = {"start": "07:00", "end": "16:30", "breaks": [["11:00", "13:00"]]}
    if rng.random() < 0.3:
        slots["evening"] = {"start": "18:30", "end": "21:00"}
    if rng.random() < 0.3:
        slots["weekend"] = {"start": "07:30", "end": "17:00", "breaks": [["11:30", "13:30"]]}
    if rng.random() < 0.4:
        slots["holiday"] = {"start": "08:00", "end": "11:30"}
    has_holiday = any("holiday" in cal.kinds(d) for d in cal.days())

    others = [k[0] for k in GROUP_KINDS if k[0] != "general" and (k[0] != "migrants" or has_holiday)]
    chosen = {"general"} | set(rng.sample(others, rng.randint(1, 4)))
    kinds = [k for k in GROUP_KINDS if k[0] in chosen]
    groups = []
    prio = 0
    last_rank = None
    for gid, name, rank in kinds:
        if rank != last_rank and not (groups and rng.random() < 0.15):
            prio += 1
        last_rank = rank
        g = {"id": gid, "name": name, "priority": prio}
        days = (end - start).days
        if gid == "exam":
            g["name"] = "Học sinh dự thi (sinh %d–%d)" % (year - 19, year - 15)
            g["deadline"] = iso(start + dt.timedelta(days=min(days, rng.randint(20, 90))))
            g["slots"] = rng.choice([["day", "weekend"], ["day"]])
            g["at"] = rng.choice([["own"], ["own", "station"]])
        elif gid == "children":
            may5 = dt.date(year, 5, 5)
            if start + dt.timedelta(days=10) <= may5 <= end:
                g["deadline"] = iso(may5)
            g["slots"] = rng.choice([["evening", "weekend", "holiday"], ["weekend", "holiday"],
                                     ["evening", "weekend"]])
        elif gid == "elderly":
            g["slots"] = ["day"]
            g["at"] = ["own"]
        elif gid == "workers":
            g["slots"] = rng.choice([["evening", "weekend"], ["evening"], ["weekend", "holiday"]])
        elif gid == "migrants":
            g["slots"] = ["holiday"]
        elif gid == "general" and rng.random() < 0.5:
            g["deadline"] = iso(end)
        t = rng.choice(TURNOUTS)
        if gid in ("children", "workers", "migrants") and t == 1:
            t = 0.85
        if t != 1:
            g["turnout"] = t
        deadline = date(g.get("deadline", iso(end)))
        if gid in ("policy", "workers", "general") and rng.random() < 0.3 and \
                (deadline - start).days > 30:
            g["from"] = iso(start + dt.timedelta(days=rng.randint(7, (deadline - start).days // 2)))
        groups.append(g)
    return cal, slots, groups


class Commune:
    """One commune's sites, travel, teams, units and fixed sessions."""

    def __init__(self, rng, index, name, cal, groups, size, district):
        self.rng = rng
        self.cal = cal
        self.groups = {g["id"]: g for g in groups}
        self.name = name
        self.slug = dh.slugify(name)
        self.district = district
        self.prefix = self.slug + "-" if district else ""
        self.station = "ca-" + self.slug
        self.sites, self.travel, self.units, self.teams, self.fixed = [], [], [], [], []
        self.build(size)

    def site(self, sid, name, kind, **kw):
        s = {"id": sid, "name": name, "kind": kind}
        if self.district:
            s["commune"] = self.slug
        s.update(kw)
        self.sites.append(s)
        return s

    def build(self, size):
        rng, cal = self.rng, self.cal
        self.site(self.station, "Trụ sở Công an xã " + self.name, "station")
        lo, hi = SIZES[size]
        names = dh.VILLAGE_NAMES[:]
        rng.shuffle(names)
        names = names[:rng.randint(lo, hi)]
        halls = []
        for vname in names:
            sid = "nvh-%s%s" % (self.prefix, dh.slugify(vname))
            kw = {}
            if rng.random() < 0.15:
                kw["slots"] = ["day", "evening"]
            if rng.random() < 0.15:
                kw["closed"] = [cal.some_range(rng, rng.randint(2, 10))]
            self.site(sid, "Nhà văn hóa xóm " + vname, "hall", **kw)
            far = rng.random() < 0.15
            self.travel.append([self.station, sid, rng.randint(26, 45) if far else rng.randint(4, 25)])
            halls.append((sid, vname))
        # neighbouring villages: people may walk to the next hall
        for (a, _), (b, _) in zip(halls, halls[1:]):
            if rng.random() < 0.2:
                self.travel.append([a, b, rng.randint(5, 15)])
        # schools: lower-secondary (exam pupils), primary (children)
        thcs = "thcs-" + self.slug
        kw = {"slots": rng.choice([["day"], ["day", "weekend"]])}
        if rng.random() < 0.7:
            kw["closed"] = [cal.some_range(rng, rng.randint(3, 7))]
        self.site(thcs, "Trường THCS " + self.name, "school", **kw)
        self.travel.append([self.station, thcs, rng.randint(3, 15)])
        th = "th-" + self.slug
        self.site(th, "Trường Tiểu học " + self.name, "school",
                  slots=rng.choice([["day", "weekend"], ["weekend", "holiday"],
                                    ["day", "evening", "weekend", "holiday"]]))
        self.travel.append([self.station, th, rng.randint(3, 15)])
        workplace = None
        if "workers" in self.groups and rng.random() < 0.5:
            workplace = "xuong-" + self.slug
            self.site(workplace, "Xưởng may " + self.name, "workplace",
                      slots=["day", "evening"])
            self.travel.append([self.station, workplace, rng.randint(5, 20)])
        self.make_teams(halls, thcs, th)
        self.make_units(halls, thcs, th, workplace)
        self.make_fixed(halls, thcs)

    def make_teams(self, halls, thcs, th):
        rng, cal = self.rng, self.cal
        n = rng.choice([1, 1, 2, 2, 3])
        quotas = [{"cccd": 30, "eid2": 70}, {"cccd": 25, "eid2": 60}, {"cccd": 20, "eid2": 50},
                  {"cccd": 35, "eid2": 80}]
        for k in range(n):
            tid = "to-%s%d" % (self.prefix, k + 1)
            if k == 0:
                name, base, cap = "Tổ thu nhận Công an xã " + self.name, self.station, quotas[0]
            elif k == 1:
                name, base = "Tổ lưu động xã " + self.name, self.station
                cap = rng.choice(quotas[1:])
            else:
                # the youth union's e-ID desk, based at a village hall
                name, base = "Tổ Đoàn thanh niên hỗ trợ định danh xã " + self.name, halls[0][0]
                cap = {"eid2": rng.choice([40, 50, 60])}
            slots = ["day"] + [s for s in ("evening", "weekend", "holiday") if rng.random() < 0.6]
            team = {"id": tid, "name": name, "base": base, "capacity": dict(cap), "slots": slots}
            if rng.random() < 0.3:
                team["officers"] = 3
            if self.district:
                team["communes"] = [self.slug]
            team["max_extra_per_week"] = rng.choice([0, 1, 2, 2, 3]) if len(slots) > 1 else 0
            un = [cal.some_range(rng, rng.randint(1, 7)) for _ in range(rng.choice([0, 0, 1, 2]))]
            if un:
                team["unavailable"] = sorted(set(un))
            self.teams.append(team)
        if n == 3:
            # a team based at a hall reaches the station and its neighbours
            base = halls[0][0]
            for sid, _ in halls[1:4]:
                if not any({a, b} == {base, sid} for a, b, _ in self.travel):
                    self.travel.append([base, sid, rng.randint(5, 15)])
            if not any({a, b} == {base, th} for a, b, _ in self.travel):
                self.travel.append([base, th, rng.randint(5, 15)])

    def make_units(self, halls, thcs, th, workplace):
        rng = self.rng
        g = self.groups
        cccd_total = rng.randint(40, 400)
        eid2_total = rng.randint(300, 2500)
        villages = []
        for sid, vname in halls:
            contact = {"name": dh.person(rng), "role": "Trưởng xóm"}
            if rng.random() < 0.85:
                contact["email"] = "truongxom.%s.%s@example.vn" % (
                    dh.slugify(vname).replace("-", ""), self.slug.replace("-", ""))
            villages.append({"id": "xom-%s%s" % (self.prefix, dh.slugify(vname)),
                             "name": "Xóm " + vname, "kind": "village", "site": sid,
                             "contact": contact, "rows": {}})
        schools = []
        if "exam" in g:
            schools.append({"id": "truong-thcs-" + self.slug, "name": "Trường THCS " + self.name,
                            "kind": "school", "site": thcs,
                            "contact": {"name": dh.person(rng), "role": "Hiệu trưởng"},
                            "rows": {("exam", "cccd"): rng.randint(20, 90)}})
            if rng.random() < 0.5:
                schools[-1]["rows"][("exam", "eid2")] = rng.randint(10, 60)
        if "children" in g:
            schools.append({"id": "truong-th-" + self.slug, "name": "Trường Tiểu học " + self.name,
                            "kind": "school", "site": th,
                            "contact": {"name": dh.person(rng), "role": "Hiệu trưởng"},
                            "rows": {("children", "eid2"): rng.randint(80, 400)}})
        work = []
        if workplace:
            work.append({"id": "cong-nhan-" + self.slug, "name": "Công nhân xưởng may " + self.name,
                         "kind": "workplace", "site": workplace,
                         "contact": {"name": dh.person(rng), "role": "Quản đốc"},
                         "rows": {("workers", "cccd"): rng.randint(5, 40),
                                  ("workers", "eid2"): rng.randint(30, 150)}})

        def add(units, group, service, total):
            if group not in g or not units or total <= 0:
                return
            parts = dh.spread(total, [rng.uniform(0.3, 1.7) for _ in units])
            for u, n in zip(units, parts):
                if n:
                    u["rows"][(group, service)] = u["rows"].get((group, service), 0) + n

        def some(share):
            return rng.sample(villages, max(1, round(len(villages) * share)))

        shares = {"policy": 0.08, "workers": 0.07, "elderly": 0.06, "migrants": 0.08}
        for gid, share in shares.items():
            if gid in g:
                add(some(rng.uniform(0.2, 0.5)), gid, "cccd", round(cccd_total * share))
                add(some(rng.uniform(0.2, 0.5)), gid, "eid2", round(eid2_total * share))
        if "exam" in g:
            add(some(0.2), "exam", "cccd", rng.randint(2, 20))
        if "children" in g:
            add(some(rng.uniform(0.3, 1)), "children", "eid2", rng.randint(50, 500))
        add(villages, "general", "cccd", cccd_total)
        add(villages, "general", "eid2", eid2_total)
        order = [k[0] for k in GROUP_KINDS]
        for u in schools + work + villages:
            rows = u.pop("rows")
            u["demand"] = [{"group": gr, "service": sv, "count": rows[(gr, sv)]}
                           for gr in order for sv in ("cccd", "eid2") if rows.get((gr, sv))]
            if u["demand"]:
                self.units.append(u)

    def team_can(self, team, site, kind, d):
        """Rules 1, 2 and 4 for one session of `team` (fixed sessions)."""
        s = next(x for x in self.sites if x["id"] == site)
        return (kind in self.cal.kinds(d) and kind in team["slots"]
                and kind in s.get("slots", ["day", "evening", "weekend", "holiday"])
                and not in_ranges(d, ranges(team.get("unavailable", [])))
                and not in_ranges(d, ranges(s.get("closed", []))))

    def make_fixed(self, halls, thcs):
        rng, cal = self.rng, self.cal
        team = self.teams[0]
        # a weekly day at the station (the team's office day)
        weekly = None
        if rng.random() < 0.4 and (cal.end - cal.start).days > 14:
            weekly = rng.randrange(5)
            self.fixed.append({"team": team["id"], "site": self.station, "slot": "day",
                               "weekday": WEEKDAYS[weekly], "from": iso(cal.start),
                               "to": iso(cal.end)})
        # a dated day session: a launch day at the lower-secondary school or
        # the station, on the first date that allows it (not the office day)
        if rng.random() < 0.6:
            site = rng.choice([thcs, self.station])
            first = cal.start + dt.timedelta(days=rng.randint(0, 3))
            for d in cal.days():
                if d >= first and d.weekday() != weekly and self.team_can(team, site, "day", d):
                    self.fixed.insert(0, {"team": team["id"], "site": site, "slot": "day",
                                          "date": iso(d)})
                    break
        # a weekly evening at a hall, when the team works evenings
        if rng.random() < 0.3 and "evening" in team["slots"] and team["max_extra_per_week"] >= 1:
            hall = rng.choice(halls)[0]
            s = next(x for x in self.sites if x["id"] == hall)
            if "evening" in s.get("slots", ["evening"]):
                wd = rng.choice(WEEKDAYS[:5])
                a = cal.start + dt.timedelta(days=rng.randint(0, 20))
                if a < cal.end:
                    self.fixed.append({"team": team["id"], "site": hall, "slot": "evening",
                                       "weekday": wd, "from": iso(a), "to": iso(cal.end)})


def servable(c, cal, group, unit, service, cache):
    """True when some team that offers `service` can hold a session in one
    of the group's slot kinds, on a date from the group's `from` on, at a
    site the unit's people may use (rules 1, 2, 4 and 6)."""
    sites = c["_sites"]
    trav = c["_trav"]
    at = group.get("at", ["own", "station"])
    usite = sites[unit["site"]]
    frm = date(group.get("from", iso(cal.start)))
    for sid, s in sites.items():
        if sid != unit["site"] and (unit["site"], sid) not in trav:
            continue
        ok = sid in at or ("own" in at and sid == unit["site"])
        if "station" in at and s["kind"] == "station":
            ok = ok or s.get("commune") is None or usite.get("commune") in (None, s.get("commune"))
        if not ok:
            continue
        for t in c["teams"]:
            if service not in t["capacity"]:
                continue
            if t["base"] != sid and (t["base"], sid) not in trav:
                continue
            if "communes" in t and sid != t["base"] and s.get("commune") not in (None, *t["communes"]):
                continue
            key = (sid, t["id"], group["id"], tuple(t["slots"]), tuple(s.get("slots", ())))
            if key not in cache:
                kinds = [k for k in group.get("slots", ["day", "evening", "weekend", "holiday"])
                         if k in t["slots"] and k in s.get("slots", [k])
                         and (k == "day" or t.get("max_extra_per_week", 0) > 0)]
                un = ranges(t.get("unavailable", []))
                closed = ranges(s.get("closed", []))
                cache[key] = any(set(kinds) & cal.kinds(d) for d in cal.days()
                                 if d >= frm and not in_ranges(d, un) and not in_ranges(d, closed))
            if cache[key]:
                return True
    return False


def repair(doc, cal, communes):
    """Makes every demand row servable: a row no team could bring a session
    to gets its group's slot kinds on the commune's first team, which offers
    every service (and its site's slot list widened, its closures and the
    team's unavailability dropped if need be). Deterministic; changes
    nothing when the draw is already servable."""
    groups = {g["id"]: g for g in doc["groups"]}
    doc["_sites"] = {s["id"]: s for s in doc["sites"]}
    doc["_trav"] = {}
    for a, b, m in doc["travel"]:
        doc["_trav"][(a, b)] = doc["_trav"][(b, a)] = m
    order = ["day", "evening", "weekend", "holiday"]
    cache = {}
    for cm in communes:
        for u in cm.units:
            for r in u["demand"]:
                g = groups[r["group"]]
                if servable(doc, cal, g, u, r["service"], cache):
                    continue
                frm = date(g.get("from", iso(cal.start)))
                present = {k for d in cal.days() if d >= frm for k in cal.kinds(d)}
                kinds = [k for k in g.get("slots", order) if k in present] or ["day"]
                team = cm.teams[0]
                usite = doc["_sites"][u["site"]]
                for k in kinds:
                    if k not in team["slots"]:
                        team["slots"].append(k)
                    if "slots" in usite and k not in usite["slots"]:
                        usite["slots"].append(k)
                team["slots"].sort(key=order.index)
                if "slots" in usite:
                    usite["slots"].sort(key=order.index)
                if any(k != "day" for k in kinds):
                    team["max_extra_per_week"] = max(1, team.get("max_extra_per_week", 0))
                cache.clear()
                if not servable(doc, cal, g, u, r["service"], cache):
                    team.pop("unavailable", None)
                    usite.pop("closed", None)
                    cache.clear()
                assert servable(doc, cal, g, u, r["service"], cache), (u["id"], g["id"])
    del doc["_sites"], doc["_trav"]


def build(seed, ncommunes, size):
    rng = random.Random("rota-communes/%d/%d/%s" % (seed, ncommunes, size))
    cal, slots, groups = draw_campaign(rng)
    district = ncommunes > 1
    names = COMMUNE_NAMES[:]
    rng.shuffle(names)
    communes = []
    for i in range(ncommunes):
        name = names[i % len(names)]
        if i >= len(names):
            name = "%s %d" % (name, i // len(names) + 1)
        sub = random.Random("%d/%d" % (rng.getrandbits(32), i))
        communes.append(Commune(sub, i, name, cal, groups, size, district))
    hol, extra = HOLIDAYS[cal.start.year]
    year = cal.start.year
    if district:
        cid = "huyen-mo-phong-%d-%d-%d" % (seed, ncommunes, year)
        title = "Cấp thẻ Căn cước và định danh điện tử huyện mô phỏng số %d (%d xã), năm %d" % (
            seed, ncommunes, year)
        organizer = {"name": "Công an huyện mô phỏng số %d" % seed,
                     "email": "congan.huyen%d@example.vn" % seed}
    else:
        cm = communes[0]
        cid = "%s-%d-%d" % (cm.slug, seed, year)
        title = "Cấp thẻ Căn cước và định danh điện tử xã %s năm %d (mô phỏng %d)" % (
            cm.name, year, seed)
        organizer = {"name": "Công an xã " + cm.name,
                     "email": "congan.%s@example.vn" % cm.slug.replace("-", "")}
    sites, travel, teams, units, fixed = [], [], [], [], []
    for cm in communes:
        sites += cm.sites
        travel += cm.travel
        teams += cm.teams
        units += cm.units
        fixed += cm.fixed
    if district:
        office = "mot-cua-huyen"
        host = communes[0].slug
        sites.insert(0, {"id": office, "name": "Bộ phận một cửa UBND huyện", "kind": "station",
                         "commune": host})
        drng = random.Random("district/%d/%d" % (seed, ncommunes))
        for cm in communes:
            travel.append([office, cm.station, 3 if cm.slug == host else drng.randint(10, 45)])
            thcs = "thcs-" + cm.slug
            if drng.random() < 0.3:
                travel.append([office, thcs, drng.randint(10, 45)])
        slugs = [cm.slug for cm in communes]
        for k in range(drng.choice([1, 2])):
            team = {"id": "to-huyen-%d" % (k + 1),
                    "name": "Tổ cấp lưu động số %d, Công an huyện" % (k + 1),
                    "base": office, "capacity": {"cccd": 30, "eid2": 70},
                    "slots": ["day", "evening", "weekend"], "officers": 3,
                    "communes": slugs, "max_extra_per_week": drng.choice([1, 2])}
            if drng.random() < 0.5:
                team["unavailable"] = [cal.some_range(drng, 5)]
            teams.append(team)
        if drng.random() < 0.5 and (cal.end - cal.start).days > 14:
            fixed.append({"team": "to-huyen-1", "site": office, "slot": "day", "weekday": "fri",
                          "from": iso(cal.start), "to": iso(cal.end)})
    calendar = {"workdays": WEEKDAYS[:5], "holidays": hol}
    if extra:
        calendar["extra_workdays"] = extra
    calendar["slots"] = slots
    doc = {
        "format": "rota-campaign/1",
        "campaign": {"id": cid, "name": title, "start": iso(cal.start), "end": iso(cal.end),
                     "timezone": "Asia/Ho_Chi_Minh", "organizer": organizer},
        "calendar": calendar,
        "services": {"cccd": {"name": "Thu nhận hồ sơ cấp thẻ Căn cước"},
                     "eid2": {"name": "Đăng ký, kích hoạt định danh điện tử mức 2"}},
        "groups": groups,
        "sites": sites,
        "travel": travel,
        "teams": teams,
    }
    if fixed:
        doc["fixed"] = fixed
    doc["units"] = units
    repair(doc, cal, communes)
    return doc


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True, metavar="N")
    ap.add_argument("--communes", type=int, default=1, metavar="K",
                    help="communes (default 1; K > 1 writes a district with district teams)")
    ap.add_argument("--size", choices=sorted(SIZES), default="any",
                    help="villages per commune: small 8-14, medium 15-22, large 23-30, any 8-30")
    ap.add_argument("--out", default="-", metavar="FILE", help="output file (default: stdout)")
    args = ap.parse_args(argv)
    if args.communes < 1:
        ap.error("--communes must be at least 1")
    text = dh.emit(build(args.seed, args.communes, args.size)) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
