#!/usr/bin/python3
"""A calendar store that receives every message rota's plans sent, in order,
and applies them as RFC 5546 says, read with python3-icalendar (a parser that
shares no code with rota):

    /usr/bin/python3 tests/ical/store.py PLAN_DIR... [--zone ZONE]

PLAN_DIRs are the plans in the order they were published (a first plan,
then each re-plan). For each, every outbox/UNIT/SESSION.ics (in name order)
is one iTIP message to its ATTENDEE; each attendee has a store of events by
UID:

  - METHOD:REQUEST (RFC 5546 3.2.2): stored when the store has no event of
    that UID, or replaces it when its SEQUENCE is higher; a SEQUENCE lower
    than or equal to the one held is ignored (Outlook and Thunderbird do
    so), also when the event held was cancelled;
  - METHOD:CANCEL (3.2.5): STATUS:CANCELLED, and a SEQUENCE at least the
    one held, removes the event (a cancelled event is remembered with its
    SEQUENCE, as calendars keep it, so that an older REQUEST does not bring
    it back).

Then the store must hold exactly the last plan's invites/: per attendee the
same UIDs, each at the same local DTSTART/DTEND in the campaign's zone
(ZONE, default the last plan's campaign.json timezone, else
Asia/Ho_Chi_Minh) and the same SEQUENCE; nothing stale, nothing missing.
Also: an outbox message whose UID and SEQUENCE the attendee already holds
is one sent for nothing.

Prints one line per problem and a count; exits 1 if any was found.
"""

import datetime
import json
import os
import sys
import zoneinfo

try:
    import icalendar
except ImportError as exc:  # pragma: no cover - reported to the suite
    sys.exit("store.py: %s (install python3-icalendar: sh tools/deps.sh test)" % exc)


class Problems:
    def __init__(self):
        self.lines = []

    def add(self, message):
        self.lines.append(message)


def read_message(path, zone, problems):
    """(method, attendee, event) of an iTIP file; event is a dict."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a problem
        problems.add("%s: icalendar cannot parse it: %s" % (path, exc))
        return None
    events = cal.walk("VEVENT")
    if len(events) != 1:
        problems.add("%s: %d events in an iTIP message" % (path, len(events)))
        return None
    ev = events[0]
    attendee = ev.get("ATTENDEE")
    if attendee is None or isinstance(attendee, list):
        problems.add("%s: not exactly one ATTENDEE" % path)
        return None
    if ev.get("ORGANIZER") is None:
        problems.add("%s: no ORGANIZER" % path)
    if ev.get("SEQUENCE") is None:
        problems.add("%s: no SEQUENCE" % path)
        return None

    def local(prop):
        if prop is None:
            return None
        value = prop.dt
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                problems.add("%s: floating time" % path)
                return value
            return value.astimezone(zone).replace(tzinfo=None)
        return value

    event = {
        "uid": str(ev.get("UID")),
        "sequence": int(ev.get("SEQUENCE")),
        "start": local(ev.get("DTSTART")),
        "end": local(ev.get("DTEND")),
        "status": str(ev.get("STATUS", "")).upper(),
        "path": path,
    }
    return str(cal.get("METHOD", "")).upper(), str(attendee).lower(), event


def ics_files(root):
    out = []
    if not os.path.isdir(root):
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".ics"):
                out.append(os.path.join(dirpath, name))
    return out


def campaign_zone(plan_dir):
    try:
        with open(os.path.join(plan_dir, "campaign.json"), encoding="utf-8") as f:
            zone = json.load(f).get("campaign", {}).get("timezone")
            if zone:
                return zone
    except (OSError, ValueError, AttributeError):
        pass
    return "Asia/Ho_Chi_Minh"


def main(argv):
    args = argv[1:]
    zone_name = None
    if "--zone" in args:
        i = args.index("--zone")
        zone_name = args[i + 1]
        del args[i:i + 2]
    if not args:
        sys.exit("usage: store.py PLAN_DIR... [--zone ZONE]")
    zone = zoneinfo.ZoneInfo(zone_name or campaign_zone(args[-1]))
    problems = Problems()
    store = {}  # attendee -> uid -> event (with "cancelled")
    applied = ignored = 0
    for plan in args:
        if not os.path.isfile(os.path.join(plan, "rota.json")):
            problems.add("%s: not a plan directory (no rota.json)" % plan)
            continue
        for path in ics_files(os.path.join(plan, "outbox")):
            got = read_message(path, zone, problems)
            if got is None:
                continue
            method, attendee, ev = got
            held = store.setdefault(attendee, {}).get(ev["uid"])
            if method == "REQUEST":
                if ev["status"] == "CANCELLED":
                    problems.add("%s: a REQUEST with STATUS:CANCELLED (use METHOD:CANCEL)" % path)
                if held is None or ev["sequence"] > held["sequence"]:
                    ev["cancelled"] = False
                    store[attendee][ev["uid"]] = ev
                    applied += 1
                else:
                    ignored += 1
                    problems.add("%s: REQUEST with SEQUENCE %d, but %s already holds %d: "
                                 "ignored by calendars" % (path, ev["sequence"], attendee,
                                                           held["sequence"]))
            elif method == "CANCEL":
                if ev["status"] != "CANCELLED":
                    problems.add("%s: a CANCEL without STATUS:CANCELLED" % path)
                if held is None:
                    problems.add("%s: CANCEL of %s, which %s never received"
                                 % (path, ev["uid"], attendee))
                    store[attendee][ev["uid"]] = dict(ev, cancelled=True)
                elif held["cancelled"]:
                    problems.add("%s: CANCEL of %s, already cancelled" % (path, ev["uid"]))
                elif ev["sequence"] < held["sequence"]:
                    ignored += 1
                    problems.add("%s: CANCEL with SEQUENCE %d below the %d held: ignored"
                                 % (path, ev["sequence"], held["sequence"]))
                else:
                    store[attendee][ev["uid"]] = dict(ev, cancelled=True)
                    applied += 1
            else:
                problems.add("%s: METHOD %r is neither REQUEST nor CANCEL" % (path, method))

    # What the last plan says each attendee should hold.
    last = args[-1]
    want = {}
    for path in ics_files(os.path.join(last, "invites")):
        got = read_message(path, zone, problems)
        if got is None:
            continue
        method, attendee, ev = got
        if method != "REQUEST":
            problems.add("%s: an invitation with METHOD %s" % (path, method))
        want.setdefault(attendee, {})[ev["uid"]] = ev
    events = 0
    for attendee in sorted(set(want) | set(store)):
        held = {u: e for u, e in store.get(attendee, {}).items() if not e["cancelled"]}
        should = want.get(attendee, {})
        for uid in sorted(set(held) | set(should)):
            h, w = held.get(uid), should.get(uid)
            if w is None:
                problems.add("%s holds %s (from %s), which %s no longer has: stale"
                             % (attendee, uid, h["path"], last))
                continue
            events += 1
            if h is None:
                problems.add("%s never received %s (%s)" % (attendee, uid, w["path"]))
                continue
            if (h["start"], h["end"]) != (w["start"], w["end"]):
                problems.add("%s holds %s at %s-%s, the plan says %s-%s"
                             % (attendee, uid, h["start"], h["end"], w["start"], w["end"]))
            if h["sequence"] != w["sequence"]:
                problems.add("%s holds %s at SEQUENCE %d, the plan's is %d"
                             % (attendee, uid, h["sequence"], w["sequence"]))
    for line in problems.lines:
        print("store.py: " + line)
    print("store.py: %d plans, %d messages applied, %d ignored, %d attendees, %d events "
          "compared, %d problems" % (len(args), applied, ignored, len(want), events,
                                     len(problems.lines)))
    return 1 if problems.lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
