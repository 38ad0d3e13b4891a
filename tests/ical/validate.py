#!/usr/bin/python3
"""Checks the calendars and mails that `rota plan` (and `rota week`) wrote,
with parsers that share no code with rota: python3-icalendar and
python3-vobject (with validation), and Python's email package.

    /usr/bin/python3 tests/ical/validate.py PLAN_DIR [--zone ZONE]

For every .ics under PLAN_DIR:
  - the bytes: CRLF line ends, lines of at most 75 octets that are each
    valid UTF-8 (folding never split a character), NFC text;
  - both parsers read it, vobject's validation passes;
  - VERSION, PRODID, NAME and X-WR-CALNAME (equal once unescaped);
  - team, school and week calendars have no METHOD; invitations have
    METHOD:REQUEST, one VEVENT, ORGANIZER and one ATTENDEE (mailto:,
    CN, ROLE=REQ-PARTICIPANT, PARTSTAT=NEEDS-ACTION, RSVP=TRUE);
  - every event's SEQUENCE is the one rota.json records (a session's
    "sequence", an invitation's in "invitations"; 0 when rota.json has
    none, as on a first plan);
  - each event's start and end, in the campaign's zone (ZONE, default
    Asia/Ho_Chi_Minh), are those of rota.json: the session's start/end for
    team and week calendars, the unit's arrive/until for invitations and
    school calendars; the UIDs are those plan-v1 defines;
  - an event with STATUS:CANCELLED in a team or school calendar is one of
    rota.json's "cancelled" (its sequence, its published times), and every
    cancelled event dated from rota.json's "today" on is in its calendar;
  - outbox/UNIT/SESSION.ics is a METHOD:REQUEST byte for byte equal to
    invites/UNIT/SESSION.ics, or a METHOD:CANCEL of an invitation that this
    plan cancelled ("cancelled_on" its "today"): STATUS:CANCELLED, the
    cancellation's sequence, ORGANIZER and ATTENDEE, the times published.
For every .eml under PLAN_DIR/mail and PLAN_DIR/outbox: Python's email
package (policy=default) reads it, the headers are there, the
text/calendar part parses, its MIME method= is the calendar's METHOD, and
it is the .ics file beside it (outbox) or the invitation file (mail) byte
for byte; CRLF, lines <= 78.

Prints one line per problem and a count; exits 1 if any problem was found.
Run it with Debian's /usr/bin/python3: the `python3` on PATH may be a
separate build that does not see python3-icalendar and python3-vobject.
"""

import datetime
import email
import email.policy
import json
import os
import sys
import unicodedata
import zoneinfo

try:
    import icalendar
    import vobject
except ImportError as exc:  # pragma: no cover - reported to the suite
    sys.exit("validate.py: %s (install python3-icalendar and python3-vobject: "
             "sh tools/deps.sh test)" % exc)

SLOT_ORDER = ("day", "evening", "weekend", "holiday")


class Checker:
    def __init__(self, root, zone):
        self.root = root
        self.zone = zoneinfo.ZoneInfo(zone)
        self.problems = []
        self.files = 0
        self.events = 0
        self.mails = 0
        with open(os.path.join(root, "rota.json"), encoding="utf-8") as f:
            plan = json.load(f)
        self.campaign = plan["campaign"]
        self.today = plan.get("today")
        self.sessions = {}   # session uid -> session
        self.invites = {}    # invite uid -> (session, unit, arrive, until)
        self.sequences = {}  # event uid -> SEQUENCE recorded in rota.json
        self.by_name = {}    # plan-v1 session name -> session
        self.cancelled = {}  # uid -> rota.json's cancelled event
        for s in plan["sessions"]:
            self.sessions[s["uid"]] = s
            self.sequences[s["uid"]] = s.get("sequence", 0)
            self.by_name[session_name(s)] = s
            for v in s["visits"]:
                if v.get("count", 1) == 0:
                    continue  # came uninvited to a held session: no invitation
                uid = invite_uid(self.campaign, s, v["unit"])
                self.invites[uid] = (s, v["unit"], v["arrive"], v["until"])
                self.sequences.setdefault(uid, 0)
            for inv in s.get("invitations", []):
                self.sequences[invite_uid(self.campaign, s, inv["unit"])] = inv["sequence"]
        for ev in plan.get("cancelled", []):
            self.cancelled[ev["uid"]] = ev

    def problem(self, path, message):
        self.problems.append("%s: %s" % (os.path.relpath(path, self.root), message))

    # ---- bytes ----

    def check_lines(self, path, data, limit):
        if not data.endswith(b"\r\n"):
            self.problem(path, "does not end with CRLF")
        lines = data.split(b"\r\n")
        for number, line in enumerate(lines[:-1], 1):
            if b"\n" in line or b"\r" in line:
                self.problem(path, "line %d: bare CR or LF" % number)
            if len(line) > limit:
                self.problem(path, "line %d: %d octets (more than %d)" % (number, len(line), limit))
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                self.problem(path, "line %d: not UTF-8 by itself (a fold split a character)"
                             % number)

    # ---- iCalendar ----

    def local(self, value):
        """A DTSTART/DTEND value as a naive wall time in the campaign's zone."""
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                return None  # floating time: never right for rota
            return value.astimezone(self.zone).replace(tzinfo=None)
        return value

    def expected(self, path, kind, uid, status=None):
        """The (start, end) that rota.json gives for event uid, or None."""
        if status == "CANCELLED" and kind in ("team", "school", "cancel"):
            ev = self.cancelled.get(uid)
            if ev is None:
                self.problem(path, "cancelled event %s is not in rota.json's cancelled" % uid)
                return None
            want_kind = "session" if kind == "team" else "invitation"
            if ev["event"] != want_kind:
                self.problem(path, "cancelled event %s is a %s" % (uid, ev["event"]))
            owner = ev.get("team") if kind == "team" else ev.get("unit")
            if owner != unit_of(path, "invite" if kind == "cancel" else kind):
                self.problem(path, "cancelled event %s is not for %s" % (uid, owner))
            if kind in ("team", "school") and (self.today is None or ev["date"] < self.today):
                self.problem(path, "cancelled event %s is dated before today" % uid)
            if kind == "cancel" and ev.get("cancelled_on") != self.today:
                self.problem(path, "CANCEL of %s, which this plan did not cancel" % uid)
            if kind == "cancel" and session_name(ev) != stem(path):
                self.problem(path, "CANCEL of %s is not for session %s" % (uid, stem(path)))
            return wall(ev["date"], ev["arrive"]), wall(ev["date"], ev["until"])
        if status == "CANCELLED" or kind == "cancel":
            self.problem(path, "event %s: STATUS:CANCELLED in a %s file" % (uid, kind)
                         if status == "CANCELLED" else
                         "a CANCEL whose event is not STATUS:CANCELLED (%s)" % uid)
            return None
        if kind in ("team", "week"):
            s = self.sessions.get(uid)
            if s is None:
                self.problem(path, "UID %s is no session of rota.json" % uid)
                return None
            if kind == "team" and s["team"] != stem(path):
                self.problem(path, "session %s belongs to team %s" % (uid, s["team"]))
            return wall(s["date"], s["start"]), wall(s["date"], s["end"])
        if uid.startswith("deadline.") and kind == "school":
            return "deadline"
        found = self.invites.get(uid)
        if found is None:
            self.problem(path, "UID %s is no invitation of rota.json" % uid)
            return None
        s, unit, arrive, until = found
        if unit != unit_of(path, kind):
            self.problem(path, "event %s is for unit %s" % (uid, unit))
        if kind == "invite" and session_name(s) != stem(path):
            self.problem(path, "event %s is not for session %s" % (uid, stem(path)))
        return wall(s["date"], arrive), wall(s["date"], until)

    def check_times(self, path, parser, uid, start, end, want):
        if want is None:
            return
        if want == "deadline":
            if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date):
                self.problem(path, "%s: deadline %s is not a DATE" % (parser, uid))
            elif end != start + datetime.timedelta(days=1):
                self.problem(path, "%s: deadline %s does not end the next day" % (parser, uid))
            return
        got = (self.local(start), self.local(end) if end is not None else None)
        if got[0] != want[0] or (got[1] is not None and got[1] != want[1]):
            self.problem(path, "%s: event %s is %s-%s local, rota.json says %s-%s"
                         % (parser, uid, got[0], got[1], want[0], want[1]))

    def check_ics(self, path, kind):
        self.files += 1
        with open(path, "rb") as f:
            data = f.read()
        self.check_lines(path, data, 75)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.problem(path, "not UTF-8")
            return
        if not unicodedata.is_normalized("NFC", text):
            self.problem(path, "text is not in NFC")

        # python3-icalendar
        try:
            cal = icalendar.Calendar.from_ical(data)
        except Exception as exc:  # noqa: BLE001 - any parser failure is a problem
            self.problem(path, "icalendar cannot parse it: %s" % exc)
            return
        if str(cal.get("VERSION")) != "2.0":
            self.problem(path, "VERSION is not 2.0")
        if not str(cal.get("PRODID", "")):
            self.problem(path, "no PRODID")
        name, xname = cal.get("NAME"), cal.get("X-WR-CALNAME")
        if name is None or xname is None or not str(name):
            self.problem(path, "NAME or X-WR-CALNAME missing")
        elif str(name) != str(xname):
            self.problem(path, "NAME %r and X-WR-CALNAME %r differ" % (str(name), str(xname)))
        method = cal.get("METHOD")
        events = cal.walk("VEVENT")
        if not events:
            self.problem(path, "no event (a calendar must hold one)")
        if kind == "outbox":
            kind = self.check_outbox(path, data, method)
        if kind in ("invite", "cancel"):
            if str(method) != ("CANCEL" if kind == "cancel" else "REQUEST"):
                self.problem(path, "METHOD is %r in a %s" % (method, kind))
            if len(events) != 1:
                self.problem(path, "%d events in an invitation" % len(events))
        elif method is not None:
            self.problem(path, "a %s calendar has METHOD %s" % (kind, method))
        for tz in cal.walk("VTIMEZONE"):
            if str(tz.get("TZID")) not in (self.zone.key,):
                self.problem(path, "VTIMEZONE %s is not the campaign's zone" % tz.get("TZID"))
        uids = []
        for ev in events:
            self.events += 1
            uid = str(ev.get("UID"))
            uids.append(uid)
            if ev.get("DTSTAMP") is None:
                self.problem(path, "event %s has no DTSTAMP" % uid)
            status = str(ev.get("STATUS", "")) or None
            start = ev.get("DTSTART").dt
            end = ev.get("DTEND").dt if ev.get("DTEND") is not None else None
            self.check_times(path, "icalendar", uid, start, end,
                             self.expected(path, kind, uid, status))
            self.check_sequence(path, uid, ev.get("SEQUENCE"), status)
            if kind in ("invite", "cancel"):
                self.check_itip(path, ev)
            elif ev.get("ORGANIZER") is not None or ev.get("ATTENDEE") is not None:
                self.problem(path, "event %s of a %s calendar has ORGANIZER/ATTENDEE"
                             % (uid, kind))
        if len(set(uids)) != len(uids):
            self.problem(path, "a UID appears twice")
        self.check_complete(path, kind, uids)

        # python3-vobject, validating
        try:
            vcal = vobject.readOne(text, validate=True)
            vcal.validate()
        except Exception as exc:  # noqa: BLE001
            self.problem(path, "vobject: %s" % exc)
            return
        # vobject keeps the first VTIMEZONE it saw for a TZID for the whole
        # process: read this file's own, so that its offsets are checked.
        zones = {}
        for tz in vcal.contents.get("vtimezone", []):
            zones[tz.tzid.value] = tz.gettzinfo()

        def own_zone(prop):
            value = prop.value
            tzid = (prop.params.get("TZID") or prop.params.get("X-VOBJ-ORIGINAL-TZID")
                    or [None])[0]
            if tzid is not None and isinstance(value, datetime.datetime):
                if tzid not in zones:
                    self.problem(path, "vobject: TZID %s has no VTIMEZONE" % tzid)
                    return value
                return value.replace(tzinfo=zones[tzid])
            return value

        for ev in vcal.contents.get("vevent", []):
            uid = ev.uid.value
            start = own_zone(ev.dtstart)
            end = own_zone(ev.dtend) if "dtend" in ev.contents else None
            status = ev.status.value if "status" in ev.contents else None
            want = self.expected(path, kind, uid, status)
            self.check_times(path, "vobject", uid, start, end, want)
        vname = vcal.contents.get("name", [None])[0]
        vxname = vcal.contents.get("x-wr-calname", [None])[0]
        if vname is None or vxname is None or vname.value != vxname.value:
            self.problem(path, "vobject: NAME and X-WR-CALNAME differ")

    def check_itip(self, path, ev):
        organizer = ev.get("ORGANIZER")
        attendees = ev.get("ATTENDEE")
        if organizer is None or not str(organizer).lower().startswith("mailto:"):
            self.problem(path, "ORGANIZER missing or not mailto:")
        if attendees is None or isinstance(attendees, list):
            self.problem(path, "not exactly one ATTENDEE")
            return
        if not str(attendees).lower().startswith("mailto:"):
            self.problem(path, "ATTENDEE is not mailto:")
        params = attendees.params
        for key, want in (("ROLE", "REQ-PARTICIPANT"), ("PARTSTAT", "NEEDS-ACTION"),
                          ("RSVP", "TRUE")):
            if str(params.get(key, "")).upper() != want:
                self.problem(path, "ATTENDEE %s is %r" % (key, params.get(key)))
        if not params.get("CN"):
            self.problem(path, "ATTENDEE has no CN")

    def check_sequence(self, path, uid, value, status):
        """SEQUENCE is the one rota.json records for the event."""
        if uid.startswith("deadline."):
            want = 0
        elif status == "CANCELLED":
            ev = self.cancelled.get(uid)
            if ev is None:
                return  # reported by expected()
            want = ev["sequence"]
        else:
            want = self.sequences.get(uid)
            if want is None:
                return  # reported by expected()
        if value is None or int(value) != want:
            self.problem(path, "event %s: SEQUENCE is %r, rota.json says %d" % (uid, value, want))

    def check_outbox(self, path, data, method):
        """An outbox message: a REQUEST equal to its invitation, or a CANCEL."""
        rel = os.path.relpath(path, os.path.join(self.root, "outbox"))
        if str(method) == "CANCEL":
            return "cancel"
        invite = os.path.join(self.root, "invites", rel)
        try:
            with open(invite, "rb") as f:
                if f.read() != data:
                    self.problem(path, "differs from invites/%s" % rel)
        except OSError:
            self.problem(path, "a REQUEST with no invites/%s" % rel)
        return "invite"

    def check_complete(self, path, kind, uids):
        """Every session of a team (or of a school's pupils) is in its file,
        and every event cancelled from today on."""
        if kind == "team":
            want = {u for u, s in self.sessions.items() if s["team"] == stem(path)}
            want |= {u for u, ev in self.cancelled.items()
                     if ev["event"] == "session" and ev.get("team") == stem(path)
                     and self.today is not None and ev["date"] >= self.today}
        elif kind == "school":
            unit = stem(path)
            want = {u for u, (s, v, a, b) in self.invites.items() if v == unit}
            want |= {u for u, ev in self.cancelled.items()
                     if ev["event"] == "invitation" and ev.get("unit") == unit
                     and self.today is not None and ev["date"] >= self.today}
            uids = [u for u in uids if not u.startswith("deadline.")]
        else:
            return
        missing = want - set(uids)
        if missing:
            self.problem(path, "missing events: %s" % ", ".join(sorted(missing)))

    # ---- mail ----

    def check_eml(self, path):
        self.mails += 1
        with open(path, "rb") as f:
            data = f.read()
        self.check_lines(path, data, 78)
        msg = email.message_from_bytes(data, policy=email.policy.default)
        for header in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
            if not msg[header]:
                self.problem(path, "no %s header" % header)
        if msg.defects:
            self.problem(path, "email defects: %s" % msg.defects)
        if msg.get_content_type() != "multipart/alternative":
            self.problem(path, "not multipart/alternative")
        parts = {part.get_content_type(): part for part in msg.iter_parts()}
        plain, calendar = parts.get("text/plain"), parts.get("text/calendar")
        if plain is None or calendar is None:
            self.problem(path, "no text/plain or no text/calendar part")
            return
        if not plain.get_content().strip():
            self.problem(path, "the text part is empty")
        if str(calendar.get_param("charset", "")).lower() != "utf-8":
            self.problem(path, "text/calendar is not charset=UTF-8")
        ics = calendar.get_payload(decode=True)
        try:
            parsed = icalendar.Calendar.from_ical(ics)
        except Exception as exc:  # noqa: BLE001
            self.problem(path, "the text/calendar part does not parse: %s" % exc)
            parsed = None
        # RFC 6047 2.4: the MIME method is the calendar's METHOD.
        mime_method = str(calendar.get_param("method", "")).upper()
        if parsed is not None and mime_method != str(parsed.get("METHOD", "")).upper():
            self.problem(path, "text/calendar method=%s but the calendar's METHOD is %s"
                         % (mime_method, parsed.get("METHOD")))
        if mime_method not in ("REQUEST", "CANCEL"):
            self.problem(path, "text/calendar has no method=REQUEST or CANCEL")
        top = os.path.relpath(path, self.root).split(os.sep)[0]
        if top == "outbox":
            invite = path[:-len(".eml")] + ".ics"
        else:
            if mime_method != "REQUEST":
                self.problem(path, "a mail/ message that is not method=REQUEST")
            rel = os.path.relpath(path, os.path.join(self.root, "mail"))
            invite = os.path.join(self.root, "invites", rel[:-len(".eml")] + ".ics")
        try:
            with open(invite, "rb") as f:
                if f.read() != ics:
                    self.problem(path, "the text/calendar part differs from %s"
                                 % os.path.relpath(invite, self.root))
        except OSError:
            self.problem(path, "no invitation file beside it")

    def run(self):
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, self.root).split(os.sep)
                if name.endswith(".ics"):
                    if rel[:2] == ["calendars", "teams"]:
                        self.check_ics(path, "team")
                    elif rel[:2] == ["calendars", "schools"]:
                        self.check_ics(path, "school")
                    elif rel[0] == "invites":
                        self.check_ics(path, "invite")
                    elif rel[0] == "outbox":
                        self.check_ics(path, "outbox")
                    else:
                        self.check_ics(path, "week")
                elif name.endswith(".eml"):
                    self.check_eml(path)
        for line in self.problems:
            print("validate.py: " + line)
        print("validate.py: %d calendar files, %d events, %d mails checked, %d problems"
              % (self.files, self.events, self.mails, len(self.problems)))
        return 1 if self.problems else 0


def wall(date, hhmm):
    d = datetime.date.fromisoformat(date)
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime.datetime(d.year, d.month, d.day) + datetime.timedelta(hours=h, minutes=m)


def session_name(s):
    return "%s-%s-%s-%s" % (s["date"], s["slot"], s["site"], s["team"])


def invite_uid(campaign, s, unit):
    return "%s-%s.%s.%s.%s.%s@rota" % (s["date"].replace("-", ""), s["slot"], s["site"],
                                       s["team"], unit, campaign)


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def unit_of(path, kind):
    if kind == "invite":
        return os.path.basename(os.path.dirname(path))
    return stem(path)


def main(argv):
    args = argv[1:]
    zone = "Asia/Ho_Chi_Minh"
    if "--zone" in args:
        i = args.index("--zone")
        zone = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit("usage: validate.py PLAN_DIR [--zone ZONE]")
    return Checker(args[0], zone).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
