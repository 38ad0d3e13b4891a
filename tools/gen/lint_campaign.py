#!/usr/bin/env python3
"""Static checks of rota-campaign/1 files (docs: /work/shared/spec/campaign-v1.md).

A stop-gap until `rota` itself validates its input: it checks what can be
checked without planning, namely the field types and ranges, identifiers,
references, date and time syntax, the calendar, the fixed sessions
(rules 1-4 and the weekly limit), that every demand row can be brought a
session (rules 1, 2, 4, 5 and 6), and, for the Dinh Hoa examples, that the
demand adds up to the district quota table (dinh-hoa-2024-communes.csv).

Usage: lint_campaign.py [--csv FILE] [--quiet] CAMPAIGN.json...
Exit status: 0 when every file is clean, 1 when a file has errors,
2 on bad usage. Warnings (unknown fields, skipped weekly dates) do not fail.
Python 3 standard library only.
"""

import argparse
import csv
import datetime
import json
import os
import re
import sys
import unicodedata

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
TIME_RE = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])\Z")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SLOT_KINDS = ["day", "evening", "weekend", "holiday"]
EXTRA_KINDS = {"evening", "weekend", "holiday"}
SITE_KINDS = {"station", "hall", "school", "workplace"}
UNIT_KINDS = {"village", "school", "workplace"}
RESERVED_SITE_IDS = {"own", "station"}
MAX_COUNT = 1_000_000
MAX_MINUTES = 1440

DEFAULT_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "dinh-hoa-2024-communes.csv")


class FloatNumber(float):
    """A JSON number written with a fraction or an exponent."""


class DuplicateKey(Exception):
    pass


def _pairs(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


def _bad_constant(name):
    raise ValueError("not JSON: " + name)


def slugify(text):
    """ASCII slug of a Vietnamese name: 'Xã Trung Hội' -> 'xa-trung-hoi'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9]+", "-", text.lower()).strip("-")
    return text


def commune_slug(name):
    for prefix in ("Thị trấn ", "Xã ", "Phường "):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return slugify(name)


def is_control(ch):
    o = ord(ch)
    return o < 0x20 or 0x7F <= o <= 0x9F or o in (0x2028, 0x2029)


class Linter:
    def __init__(self, path, csv_rows):
        self.path = path
        self.csv_rows = csv_rows
        self.errors = []
        self.warnings = []
        self.stats = []

    # -- reporting ------------------------------------------------------
    def err(self, where, msg):
        self.errors.append("%s: %s: %s" % (self.path, where, msg))

    def warn(self, where, msg):
        self.warnings.append("%s: %s: %s" % (self.path, where, msg))

    # -- scalar checks --------------------------------------------------
    def is_int(self, v):
        return isinstance(v, int) and not isinstance(v, bool)

    def check_int(self, where, v, lo, hi=MAX_COUNT):
        if not self.is_int(v):
            self.err(where, "expected a whole number, found %r" % (v,))
            return False
        if v < lo or v > hi:
            self.err(where, "expected %d..%d, found %d" % (lo, hi, v))
            return False
        return True

    def check_text(self, where, v, required=True):
        if v is None:
            if required:
                self.err(where, "missing")
            return False
        if not isinstance(v, str):
            self.err(where, "expected a string, found %r" % (v,))
            return False
        if v == "" and required:
            self.err(where, "empty string")
        return True

    def check_id(self, where, v):
        if not self.check_text(where, v):
            return False
        if not ID_RE.match(v):
            self.err(where, "id %r does not match [a-z0-9][a-z0-9-]{0,62}" % v)
            return False
        return True

    def parse_date(self, where, v):
        if not isinstance(v, str) or not DATE_RE.match(v):
            self.err(where, "expected a date YYYY-MM-DD, found %r" % (v,))
            return None
        try:
            return datetime.date.fromisoformat(v)
        except ValueError:
            self.err(where, "no such date %r" % v)
            return None

    def parse_range(self, where, v):
        if isinstance(v, str) and "/" in v:
            a, _, b = v.partition("/")
            d1 = self.parse_date(where, a)
            d2 = self.parse_date(where, b)
            if d1 and d2 and d1 > d2:
                self.err(where, "range %r ends before it starts" % v)
                return None
            return (d1, d2) if d1 and d2 else None
        d = self.parse_date(where, v)
        return (d, d) if d else None

    def parse_ranges(self, where, v):
        out = []
        if v is None:
            return out
        if not isinstance(v, list):
            self.err(where, "expected a list of dates or ranges")
            return out
        for i, item in enumerate(v):
            r = self.parse_range("%s[%d]" % (where, i), item)
            if r:
                out.append(r)
        return out

    def parse_time(self, where, v):
        m = TIME_RE.match(v) if isinstance(v, str) else None
        if not m:
            self.err(where, "expected a time HH:MM, found %r" % (v,))
            return None
        return int(m.group(1)) * 60 + int(m.group(2))

    def check_slots_list(self, where, v):
        if v is None:
            return None
        if not isinstance(v, list) or not v:
            self.err(where, "expected a non-empty list of slot kinds")
            return set()
        out = set()
        for i, s in enumerate(v):
            if s not in SLOT_KINDS:
                self.err("%s[%d]" % (where, i), "unknown slot kind %r" % (s,))
            elif s in out:
                self.err("%s[%d]" % (where, i), "slot kind %r listed twice" % s)
            out.add(s)
        return out

    def check_fields(self, where, obj, allowed, required=()):
        if not isinstance(obj, dict):
            self.err(where, "expected an object")
            return False
        for k in obj:
            if k not in allowed:
                self.warn(where, "unknown field %r" % k)
        for k in required:
            if k not in obj:
                self.err(where, "missing field %r" % k)
        return True

    def check_person(self, where, v, need_email):
        if v is None:
            return
        if not self.check_fields(where, v, {"name", "role", "email", "phone"}):
            return
        for k in ("name", "role", "email", "phone"):
            if k in v:
                self.check_text("%s.%s" % (where, k), v[k])
        if "email" in v and isinstance(v["email"], str) and not EMAIL_RE.match(v["email"]):
            self.err(where + ".email", "not an e-mail address: %r" % v["email"])
        if need_email:
            for k in ("name", "email"):
                if k not in v:
                    self.err(where, "missing field %r" % k)

    # -- text-wide checks -------------------------------------------------
    def walk_strings(self, value, where=""):
        """Yields (JSON path, string) for every key and string value."""
        if isinstance(value, str):
            yield where or "$", value
        elif isinstance(value, dict):
            for k, v in value.items():
                path = "%s.%s" % (where, k) if where else k
                yield path + " (key)", k
                yield from self.walk_strings(v, path)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from self.walk_strings(v, "%s[%d]" % (where, i))

    # -- the file -------------------------------------------------------
    def run(self):
        try:
            with open(self.path, "rb") as f:
                raw = f.read()
        except OSError as e:
            self.err("file", str(e))
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.err("file", "not UTF-8: %s" % e)
            return
        if text.startswith("\ufeff"):
            self.err("file", "starts with a byte order mark")
        if not text.endswith("\n"):
            self.warn("file", "no newline at the end")
        if "\t" in text:
            self.warn("file", "contains a tab")
        try:
            doc = json.loads(text, object_pairs_hook=_pairs,
                             parse_float=FloatNumber,
                             parse_constant=_bad_constant)
        except DuplicateKey as e:
            self.err("file", "duplicate key %r" % e.args[0])
            return
        except ValueError as e:
            self.err("file", "not JSON: %s" % e)
            return
        for where, s in self.walk_strings(doc):
            bad = [c for c in s if is_control(c)]
            if bad:
                self.err(where, "control character U+%04X in %r" % (ord(bad[0]), s))
            if unicodedata.normalize("NFC", s) != s:
                self.err(where, "not in NFC: %r" % s)
        self.doc = doc
        self.check_doc(doc)

    def check_doc(self, doc):
        if not self.check_fields("$", doc, {
                "format", "campaign", "calendar", "services", "groups", "sites",
                "travel", "teams", "fixed", "units"},
                ("format", "campaign", "services", "groups", "sites", "teams", "units")):
            return
        if doc.get("format") != "rota-campaign/1":
            self.err("format", "expected 'rota-campaign/1', found %r" % (doc.get("format"),))
        self.check_campaign(doc.get("campaign"))
        self.check_calendar(doc.get("calendar", {}))
        self.check_services(doc.get("services"))
        self.check_sites(doc.get("sites"))
        self.check_travel(doc.get("travel", []))
        self.check_groups(doc.get("groups"))
        self.check_teams(doc.get("teams"))
        self.check_units(doc.get("units"))
        if self.errors:
            return  # the rule checks below assume sound references
        self.build_calendar()
        self.check_fixed(doc.get("fixed", []))
        self.check_reachability()
        self.check_csv()
        self.summarize()

    def check_campaign(self, c):
        if not self.check_fields("campaign", c, {
                "id", "name", "start", "end", "timezone", "organizer",
                "invitation_minutes", "home_visit_minutes"},
                ("id", "name", "start", "end", "organizer")):
            self.start = self.end = None
            return
        self.check_id("campaign.id", c.get("id"))
        self.check_text("campaign.name", c.get("name"))
        if "invitation_minutes" in c:
            self.check_int("campaign.invitation_minutes", c["invitation_minutes"], 0, 1440)
        if "home_visit_minutes" in c:
            self.check_int("campaign.home_visit_minutes", c["home_visit_minutes"], 1, 480)
        self.start = self.parse_date("campaign.start", c.get("start"))
        self.end = self.parse_date("campaign.end", c.get("end"))
        if self.start and self.end and self.start > self.end:
            self.err("campaign.end", "campaign ends before it starts")
        tz = c.get("timezone", "Asia/Ho_Chi_Minh")
        if self.check_text("campaign.timezone", tz):
            try:
                import zoneinfo
                zoneinfo.ZoneInfo(tz)
            except Exception:  # no tzdata, or an unknown zone
                if tz != "Asia/Ho_Chi_Minh":
                    self.err("campaign.timezone", "unknown IANA zone %r" % tz)
        self.check_person("campaign.organizer", c.get("organizer"), True)

    def check_calendar(self, cal):
        self.workdays = {0, 1, 2, 3, 4}
        self.holidays = []
        self.extra_workdays = []
        self.slot_minutes = {}
        if not self.check_fields("calendar", cal, {
                "workdays", "holidays", "extra_workdays", "slots"}):
            return
        if "workdays" in cal:
            wd = cal["workdays"]
            if not isinstance(wd, list):
                self.err("calendar.workdays", "expected a list")
            else:
                self.workdays = set()
                for i, d in enumerate(wd):
                    if d not in WEEKDAYS:
                        self.err("calendar.workdays[%d]" % i, "unknown weekday %r" % (d,))
                    elif WEEKDAYS.index(d) in self.workdays:
                        self.err("calendar.workdays[%d]" % i, "weekday %r twice" % d)
                    else:
                        self.workdays.add(WEEKDAYS.index(d))
        self.holidays = self.parse_ranges("calendar.holidays", cal.get("holidays"))
        self.extra_workdays = self.parse_ranges("calendar.extra_workdays",
                                                cal.get("extra_workdays"))
        windows = {
            "day": (450, 1020, [(690, 810)]),
            "evening": (1080, 1260, []),
            "weekend": (450, 1020, [(690, 810)]),
        }
        slots = cal.get("slots", {})
        if not isinstance(slots, dict):
            self.err("calendar.slots", "expected an object")
            slots = {}
        for kind, w in slots.items():
            where = "calendar.slots." + kind
            if kind not in SLOT_KINDS:
                self.err(where, "unknown slot kind %r" % kind)
                continue
            if not self.check_fields(where, w, {"start", "end", "breaks"}, ("start", "end")):
                continue
            s = self.parse_time(where + ".start", w.get("start"))
            e = self.parse_time(where + ".end", w.get("end"))
            if s is None or e is None:
                continue
            if s >= e:
                self.err(where, "ends before it starts")
                continue
            breaks = []
            prev = s
            for i, b in enumerate(w.get("breaks", [])):
                bw = "%s.breaks[%d]" % (where, i)
                if not isinstance(b, list) or len(b) != 2:
                    self.err(bw, "expected [start, end]")
                    continue
                bs = self.parse_time(bw + "[0]", b[0])
                be = self.parse_time(bw + "[1]", b[1])
                if bs is None or be is None:
                    continue
                if not (prev <= bs < be <= e):
                    self.err(bw, "break outside the slot, overlapping or out of order")
                prev = be
                breaks.append((bs, be))
            windows[kind] = (s, e, breaks)
        if "holiday" not in slots:
            windows["holiday"] = windows["weekend"]
        for kind, (s, e, breaks) in windows.items():
            self.slot_minutes[kind] = e - s - sum(be - bs for bs, be in breaks)

    def check_services(self, services):
        self.services = set()
        if not isinstance(services, dict) or not services:
            self.err("services", "expected a non-empty object")
            return
        for sid, s in services.items():
            where = "services." + sid
            self.check_id(where, sid)
            if self.check_fields(where, s, {"name", "lead_days", "bring"}, ("name",)):
                self.check_text(where + ".name", s.get("name"))
                if "lead_days" in s:
                    self.check_int(where + ".lead_days", s["lead_days"], 0, 365)
                if "bring" in s:
                    self.check_text(where + ".bring", s["bring"])
            self.services.add(sid)

    def check_list(self, name, items, allowed, required):
        """Checks a list of objects with ids; returns {id: obj}."""
        out = {}
        if not isinstance(items, list):
            self.err(name, "expected a list")
            return out
        for i, obj in enumerate(items):
            where = "%s[%d]" % (name, i)
            if not self.check_fields(where, obj, allowed, required):
                continue
            oid = obj.get("id")
            if self.check_id(where + ".id", oid):
                if oid in out:
                    self.err(where + ".id", "duplicate id %r" % oid)
                out[oid] = obj
            self.check_text(where + ".name", obj.get("name"))
        return out

    def check_sites(self, sites):
        self.sites = self.check_list("sites", sites, {
            "id", "name", "kind", "commune", "slots", "closed"}, ("id", "name", "kind"))
        self.site_slots = {}
        self.site_closed = {}
        self.site_commune = {}
        for i, s in enumerate(sites if isinstance(sites, list) else []):
            if not isinstance(s, dict):
                continue
            where = "sites[%d]" % i
            sid = s.get("id")
            if sid in RESERVED_SITE_IDS:
                self.err(where + ".id", "%r is reserved" % sid)
            if s.get("kind") not in SITE_KINDS:
                self.err(where + ".kind", "unknown site kind %r" % (s.get("kind"),))
            if "commune" in s:
                self.check_id(where + ".commune", s["commune"])
            self.site_commune[sid] = s.get("commune")
            sl = self.check_slots_list(where + ".slots", s.get("slots"))
            self.site_slots[sid] = set(SLOT_KINDS) if sl is None else sl
            self.site_closed[sid] = self.parse_ranges(where + ".closed", s.get("closed"))

    def check_travel(self, travel):
        self.travel = {}
        if not isinstance(travel, list):
            self.err("travel", "expected a list")
            return
        for i, t in enumerate(travel):
            where = "travel[%d]" % i
            if not isinstance(t, list) or len(t) != 3:
                self.err(where, "expected [site, site, minutes]")
                continue
            a, b, m = t
            ok = True
            for j, s in enumerate((a, b)):
                if s not in self.sites:
                    self.err("%s[%d]" % (where, j), "unknown site %r" % (s,))
                    ok = False
            if not self.check_int(where + "[2]", m, 0, MAX_MINUTES):
                ok = False
            if a == b:
                self.err(where, "travel from a site to itself")
                ok = False
            if not ok:
                continue
            key = frozenset((a, b))
            if key in self.travel:
                self.err(where, "second travel entry for %s and %s" % (a, b))
            self.travel[key] = m

    def minutes(self, a, b):
        if a == b:
            return 0
        return self.travel.get(frozenset((a, b)))

    def check_groups(self, groups):
        self.groups = self.check_list("groups", groups, {
            "id", "name", "priority", "deadline", "from", "slots", "at", "turnout",
            "children", "bring", "home"},
            ("id", "name", "priority"))
        self.group_info = {}
        for i, g in enumerate(groups if isinstance(groups, list) else []):
            if not isinstance(g, dict):
                continue
            where = "groups[%d]" % i
            self.check_int(where + ".priority", g.get("priority"), 1)
            deadline = self.end
            first = self.start
            if "deadline" in g:
                deadline = self.parse_date(where + ".deadline", g["deadline"])
            if "from" in g:
                first = self.parse_date(where + ".from", g["from"])
            if first and deadline and first > deadline:
                self.err(where + ".from", "group's from is after its deadline")
            if deadline and self.start and self.end and not (self.start <= deadline <= self.end):
                self.warn(where + ".deadline", "deadline outside the campaign")
            sl = self.check_slots_list(where + ".slots", g.get("slots"))
            at = g.get("at", ["own", "station"])
            if not isinstance(at, list) or not at:
                self.err(where + ".at", "expected a non-empty list")
                at = []
            for j, a in enumerate(at):
                if a not in ("own", "station") and a not in self.sites:
                    self.err("%s.at[%d]" % (where, j), "unknown site %r" % (a,))
            for flag in ("children", "home"):
                if flag in g and not isinstance(g[flag], bool):
                    self.err(where + "." + flag, "expected true or false, found %r" % (g[flag],))
            if g.get("home") is True:
                if "at" in g:
                    self.err(where + ".home", "a group served at home takes no 'at'")
                at = ["own"]
            bring = g.get("bring", {})
            if not isinstance(bring, dict):
                self.err(where + ".bring", "expected an object")
                bring = {}
            for sid, text in bring.items():
                if sid not in self.services:
                    self.err(where + ".bring." + sid, "unknown service %r" % (sid,))
                self.check_text(where + ".bring." + sid, text)
            if "turnout" in g:
                t = g["turnout"]
                if isinstance(t, bool) or not isinstance(t, (int, float)) or not (0 < t <= 1):
                    self.err(where + ".turnout", "expected a number in (0, 1], found %r" % (t,))
            self.group_info[g.get("id")] = {
                "deadline": deadline, "from": first,
                "slots": set(SLOT_KINDS) if sl is None else sl, "at": at,
                "priority": g.get("priority"), "turnout": g.get("turnout", 1)}

    def check_teams(self, teams):
        self.teams = self.check_list("teams", teams, {
            "id", "name", "base", "capacity", "slots", "officers", "communes",
            "max_extra_per_week", "unavailable", "email"}, ("id", "name", "base", "capacity"))
        self.team_info = {}
        all_communes = {c for c in self.site_commune.values() if c}
        for i, t in enumerate(teams if isinstance(teams, list) else []):
            if not isinstance(t, dict):
                continue
            where = "teams[%d]" % i
            if t.get("base") not in self.sites:
                self.err(where + ".base", "unknown site %r" % (t.get("base"),))
            cap = t.get("capacity")
            if not isinstance(cap, dict) or not cap:
                self.err(where + ".capacity", "expected a non-empty object")
                cap = {}
            for sid, n in cap.items():
                if sid not in self.services:
                    self.err(where + ".capacity." + sid, "unknown service %r" % sid)
                self.check_int(where + ".capacity." + sid, n, 1)
            sl = self.check_slots_list(where + ".slots", t.get("slots"))
            if "officers" in t:
                self.check_int(where + ".officers", t["officers"], 1)
            if "max_extra_per_week" in t:
                self.check_int(where + ".max_extra_per_week", t["max_extra_per_week"], 0)
            communes = t.get("communes")
            if communes is not None:
                if not isinstance(communes, list):
                    self.err(where + ".communes", "expected a list")
                    communes = []
                for j, c in enumerate(communes):
                    if self.check_id("%s.communes[%d]" % (where, j), c) and c not in all_communes:
                        self.warn("%s.communes[%d]" % (where, j), "no site is in commune %r" % c)
                if len(set(communes)) != len(communes):
                    self.err(where + ".communes", "a commune listed twice")
            if "email" in t:
                self.check_text(where + ".email", t["email"])
            self.team_info[t.get("id")] = {
                "base": t.get("base"), "capacity": cap,
                "slots": {"day"} if sl is None else sl,
                "communes": None if communes is None else set(communes),
                "max_extra": t.get("max_extra_per_week", 0),
                "unavailable": self.parse_ranges(where + ".unavailable", t.get("unavailable"))}

    def check_units(self, units):
        self.units = self.check_list("units", units, {
            "id", "name", "kind", "site", "commune", "contact", "demand"},
            ("id", "name", "kind", "site", "demand"))
        for i, u in enumerate(units if isinstance(units, list) else []):
            if not isinstance(u, dict):
                continue
            where = "units[%d]" % i
            if u.get("kind") not in UNIT_KINDS:
                self.err(where + ".kind", "unknown unit kind %r" % (u.get("kind"),))
            if u.get("site") not in self.sites:
                self.err(where + ".site", "unknown site %r" % (u.get("site"),))
            if "commune" in u:
                self.check_id(where + ".commune", u["commune"])
            self.check_person(where + ".contact", u.get("contact"), False)
            demand = u.get("demand")
            if not isinstance(demand, list):
                self.err(where + ".demand", "expected a list")
                continue
            if not demand:
                self.warn(where + ".demand", "empty")
            seen = set()
            for j, d in enumerate(demand):
                dw = "%s.demand[%d]" % (where, j)
                if not self.check_fields(dw, d, {"group", "service", "count"},
                                         ("group", "service", "count")):
                    continue
                if d.get("group") not in self.groups:
                    self.err(dw + ".group", "unknown group %r" % (d.get("group"),))
                if d.get("service") not in self.services:
                    self.err(dw + ".service", "unknown service %r" % (d.get("service"),))
                self.check_int(dw + ".count", d.get("count"), 0)
                key = (d.get("group"), d.get("service"))
                if key in seen:
                    self.err(dw, "second demand row for group %r and service %r" % key)
                seen.add(key)

    # -- calendar and rules ------------------------------------------------
    @staticmethod
    def in_ranges(ranges, d):
        return any(a <= d <= b for a, b in ranges)

    def build_calendar(self):
        self.day_slots = {}
        d = self.start
        while d <= self.end:
            if self.in_ranges(self.holidays, d):
                kinds = {"holiday"}
            elif d.weekday() in self.workdays or self.in_ranges(self.extra_workdays, d):
                kinds = {"day", "evening"}
            else:
                kinds = {"weekend"}
            self.day_slots[d] = kinds
            d += datetime.timedelta(days=1)

    def team_reaches(self, team, site):
        ti = self.team_info[team]
        if site == ti["base"]:
            return True
        if self.minutes(ti["base"], site) is None:
            return False
        c = self.site_commune.get(site)
        return ti["communes"] is None or c is None or c in ti["communes"]

    def share(self, team, site, kind):
        """Rule 5: share of a full day slot a session can work."""
        m = self.minutes(self.team_info[team]["base"], site)
        return (self.slot_minutes[kind] - 2 * m) / self.slot_minutes["day"]

    def session_ok(self, team, site, kind, d):
        """Rules 1-4 (not the weekly limit) for one session; returns a reason or None."""
        ti = self.team_info[team]
        if d < self.start or d > self.end:
            return "outside the campaign"
        if kind not in self.day_slots[d]:
            return "no %s slot on %s" % (kind, d)
        if kind not in ti["slots"]:
            return "team %s does not work %s slots" % (team, kind)
        if kind not in self.site_slots[site]:
            return "site %s does not host %s slots" % (site, kind)
        if self.in_ranges(ti["unavailable"], d):
            return "team %s unavailable on %s" % (team, d)
        if self.in_ranges(self.site_closed[site], d):
            return "site %s closed on %s" % (site, d)
        if not self.team_reaches(team, site):
            return "team %s cannot reach site %s" % (team, site)
        if self.share(team, site, kind) <= 0:
            return "travel leaves no working time"
        return None

    def check_fixed(self, fixed):
        extra = {}
        taken = set()
        if not isinstance(fixed, list):
            self.err("fixed", "expected a list")
            return
        for i, f in enumerate(fixed):
            where = "fixed[%d]" % i
            if not self.check_fields(where, f, {"team", "site", "slot", "date", "weekday", "from", "to"},
                                     ("team", "site", "slot")):
                continue
            team, site, kind = f.get("team"), f.get("site"), f.get("slot")
            bad = False
            if team not in self.team_info:
                self.err(where + ".team", "unknown team %r" % (team,))
                bad = True
            if site not in self.sites:
                self.err(where + ".site", "unknown site %r" % (site,))
                bad = True
            if kind not in SLOT_KINDS:
                self.err(where + ".slot", "unknown slot kind %r" % (kind,))
                bad = True
            if bad:
                continue
            dates = []
            if "date" in f:
                if any(k in f for k in ("weekday", "from", "to")):
                    self.err(where, "both a date and a weekly pattern")
                d = self.parse_date(where + ".date", f["date"])
                if not d:
                    continue
                why = self.session_ok(team, site, kind, d)
                if why:
                    self.err(where, "fixed session breaks the rules: " + why)
                    continue
                dates = [d]
            else:
                if f.get("weekday") not in WEEKDAYS:
                    self.err(where + ".weekday", "expected mon..sun, found %r" % (f.get("weekday"),))
                    continue
                d1 = self.parse_date(where + ".from", f.get("from"))
                d2 = self.parse_date(where + ".to", f.get("to"))
                if not d1 or not d2:
                    continue
                if d1 > d2:
                    self.err(where + ".to", "weekly session ends before it starts")
                    continue
                wd = WEEKDAYS.index(f["weekday"])
                d = max(d1, self.start)
                while d <= min(d2, self.end):
                    if d.weekday() == wd:
                        why = self.session_ok(team, site, kind, d)
                        if why:
                            self.warn(where, "skipped on %s: %s" % (d, why))
                        else:
                            dates.append(d)
                    d += datetime.timedelta(days=1)
                if not dates:
                    self.err(where, "weekly fixed session can never be held")
            for d in dates:
                if (team, kind, d) in taken:
                    self.err(where, "team %s already has a fixed %s session on %s" % (team, kind, d))
                taken.add((team, kind, d))
                if kind in EXTRA_KINDS:
                    wk = (team,) + tuple(d.isocalendar()[:2])
                    extra[wk] = extra.get(wk, 0) + 1
        for (team, y, w), n in sorted(extra.items()):
            if n > self.team_info[team]["max_extra"]:
                self.err("fixed", "team %s has %d fixed extra sessions in ISO week %d-W%02d, more than max_extra_per_week %d"
                         % (team, n, y, w, self.team_info[team]["max_extra"]))

    def unit_commune(self, u):
        return u.get("commune", self.site_commune.get(u["site"]))

    def allowed_sites(self, u, group):
        """Sites the group's `at` allows for this unit and its people can reach (rule 6)."""
        own = u["site"]
        reach = {own} | {s for s in self.sites if self.minutes(own, s) is not None}
        uc = self.unit_commune(u)
        out = set()
        for a in self.group_info[group]["at"]:
            if a == "own":
                out.add(own)
            elif a == "station":
                for s in reach:
                    if self.sites[s].get("kind") != "station":
                        continue
                    sc = self.site_commune.get(s)
                    if uc is not None and sc is not None and uc != sc:
                        continue
                    out.add(s)
            elif a in reach:
                out.add(a)
        return out

    def check_reachability(self):
        cache = {}

        def possible(team, site, kinds, first):
            key = (team, site, frozenset(kinds), first)
            if key not in cache:
                found = None
                for d in sorted(self.day_slots):
                    if d < first:
                        continue
                    for kind in kinds & self.day_slots[d]:
                        if self.session_ok(team, site, kind, d) is None:
                            found = (d, kind)
                            break
                    if found:
                        break
                cache[key] = found
            return cache[key]

        self.unreached = 0
        for i, u in enumerate(self.doc["units"]):
            for j, d in enumerate(u["demand"]):
                if d["count"] == 0:
                    continue
                g = self.group_info[d["group"]]
                sites = self.allowed_sites(u, d["group"])
                ok = False
                for site in sorted(sites):
                    for team, ti in self.team_info.items():
                        if d["service"] not in ti["capacity"]:
                            continue
                        kinds = g["slots"] & ti["slots"] & self.site_slots[site]
                        if kinds and self.team_reaches(team, site) and \
                                possible(team, site, kinds, max(g["from"], self.start)):
                            ok = True
                            break
                    if ok:
                        break
                if not ok:
                    self.unreached += 1
                    self.err("units[%d].demand[%d]" % (i, j),
                             "no team can bring a session to unit %s for group %s, service %s"
                             % (u["id"], d["group"], d["service"]))

    # -- figures ------------------------------------------------------------
    def demand_by(self, keyfunc):
        out = {}
        for u in self.doc["units"]:
            for d in u["demand"]:
                k = keyfunc(u, d)
                out.setdefault(k, {}).setdefault(d["service"], 0)
                out[k][d["service"]] += d["count"]
        return out

    def check_csv(self):
        if not self.csv_rows:
            return
        by_slug = {commune_slug(r["commune"]): r for r in self.csv_rows}
        cid = self.doc["campaign"]["id"]
        communes = {self.unit_commune(u) for u in self.doc["units"]}
        if None not in communes and len(communes) > 1:
            per = self.demand_by(lambda u, d: self.unit_commune(u))
            for c, svc in sorted(per.items()):
                base = re.sub(r"-[0-9]+\Z", "", c) if c not in by_slug else c
                row = by_slug.get(base)
                if not row:
                    self.warn("units", "commune %r is not in the quota table" % c)
                    continue
                self.compare("commune " + c, svc, row)
            self.stats.append("checked against the quota table: %d communes" % len(per))
            return
        for slug, row in by_slug.items():
            if cid == slug or cid.startswith(slug + "-"):
                total = self.demand_by(lambda u, d: None).get(None, {})
                self.compare("campaign " + cid, total, row)
                self.stats.append("checked against the quota table row %r" % row["commune"])
                return
        self.stats.append("no quota table row for campaign %r (not checked)" % cid)

    def compare(self, what, svc, row):
        want = {"cccd": int(row["cccd_missing"]), "eid2": int(row["eid2_not_registered"])}
        for s, n in want.items():
            if svc.get(s, 0) != n:
                self.err("units", "%s: %s demand is %d, the quota table says %d"
                         % (what, s, svc.get(s, 0), n))

    def summarize(self):
        doc = self.doc
        kinds = {}
        for u in doc["units"]:
            kinds[u["kind"]] = kinds.get(u["kind"], 0) + 1
        total = self.demand_by(lambda u, d: None).get(None, {})
        groups = self.demand_by(lambda u, d: d["group"])
        self.stats.insert(0, "units %d (%s), sites %d, teams %d, travel %d, fixed %d, communes %d" % (
            len(doc["units"]), ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
            len(doc["sites"]), len(doc["teams"]), len(doc.get("travel", [])),
            len(doc.get("fixed", [])),
            len({c for c in self.site_commune.values() if c})))
        self.stats.insert(1, "demand: " + ", ".join("%s %d" % kv for kv in sorted(total.items())))
        self.stats.insert(2, "by group: " + "; ".join(
            "%s %s" % (g, ", ".join("%s %d" % kv for kv in sorted(s.items())))
            for g, s in sorted(groups.items(), key=lambda kv: self.group_info[kv[0]]["priority"])))
        # A rough look at deadline pressure: full day sessions each team could
        # work before each deadline, against the work due by then.
        for gid, g in sorted(self.group_info.items(), key=lambda kv: kv[1]["priority"]):
            if g["deadline"] == self.end:
                continue
            work = {}
            for u in doc["units"]:
                for d in u["demand"]:
                    if self.group_info[d["group"]]["deadline"] <= g["deadline"]:
                        work[d["service"]] = work.get(d["service"], 0) + d["count"]
            days = 0.0
            for team, ti in self.team_info.items():
                for d in self.day_slots:
                    if d <= g["deadline"] and "day" in self.day_slots[d] and "day" in ti["slots"] \
                            and not self.in_ranges(ti["unavailable"], d):
                        days += 1
            need = 0.0
            for s, n in work.items():
                caps = [ti["capacity"][s] for ti in self.team_info.values() if s in ti["capacity"]]
                need += n / (sum(caps) / len(caps))
            self.stats.append("by %s (deadline of %s): %.1f team-days of work due, %d team-days available"
                              % (g["deadline"], gid, need, days))


def load_csv(path):
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main(argv):
    ap = argparse.ArgumentParser(description="static checks of rota-campaign/1 files")
    ap.add_argument("--csv", default=DEFAULT_CSV, help="quota table (default: %(default)s)")
    ap.add_argument("--quiet", action="store_true", help="print only problems")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args(argv)
    rows = load_csv(args.csv)
    failed = False
    for path in args.files:
        lint = Linter(path, rows)
        lint.run()
        for m in lint.errors:
            print("error: " + m)
        for m in lint.warnings:
            print("warning: " + m)
        if lint.errors:
            failed = True
            print("%s: %d errors, %d warnings" % (path, len(lint.errors), len(lint.warnings)))
        elif not args.quiet:
            print("%s: ok (%d warnings)" % (path, len(lint.warnings)))
            for s in lint.stats:
                print("  " + s)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
