#!/usr/bin/env node
// The calendar store of tests/ical/store.py, with Mozilla's ical.js
// (tests/js/node_modules) as the parser: every outbox/ message of every
// plan, in the order given, applied per ATTENDEE as RFC 5546 says (a
// REQUEST is kept when the store has no event of its UID or a lower
// SEQUENCE; a CANCEL with STATUS:CANCELLED and a SEQUENCE at least the one
// held removes the event, which is remembered as cancelled with its
// SEQUENCE); then the store must hold exactly the last plan's invites/:
// the same UIDs per attendee, at the same instants (DTSTART/DTEND resolved
// with each file's own VTIMEZONE) and the same SEQUENCE, nothing stale.
//
//     node tests/ical/store.js PLAN_DIR...
//
// Prints one line per problem and a count; exits 1 if any was found.
'use strict';

const fs = require('fs');
const path = require('path');

const MODULE = path.join(__dirname, '..', 'js', 'node_modules', 'ical.js', 'dist', 'ical.js');

function icsFiles(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) icsFiles(full, out);
    else if (name.endsWith('.ics')) out.push(full);
  }
  return out;
}

async function main(argv) {
  const plans = argv.slice(2);
  if (!plans.length) {
    console.error('usage: store.js PLAN_DIR...');
    return 2;
  }
  const ICAL = (await import(MODULE)).default;
  if (!ICAL.design.icalendar.property.name) {
    ICAL.design.icalendar.property.name = { defaultType: 'text' };
  }
  const problems = [];
  const read = (file) => {
    let cal;
    try {
      ICAL.TimezoneService.reset();
      cal = new ICAL.Component(ICAL.parse(fs.readFileSync(file, 'utf8')));
    } catch (e) {
      problems.push(`${file}: ical.js cannot parse it: ${e.message}`);
      return null;
    }
    const vevents = cal.getAllSubcomponents('vevent');
    if (vevents.length !== 1) {
      problems.push(`${file}: ${vevents.length} events in an iTIP message`);
      return null;
    }
    const vevent = vevents[0];
    const attendees = vevent.getAllProperties('attendee');
    if (attendees.length !== 1) {
      problems.push(`${file}: ${attendees.length} ATTENDEEs`);
      return null;
    }
    const ev = new ICAL.Event(vevent);
    const seq = vevent.getFirstPropertyValue('sequence');
    if (typeof seq !== 'number') {
      problems.push(`${file}: no SEQUENCE`);
      return null;
    }
    const instant = (t) => (t ? t.toJSDate().getTime() : null);
    return {
      method: String(cal.getFirstPropertyValue('method') || '').toUpperCase(),
      attendee: String(attendees[0].getFirstValue()).toLowerCase(),
      uid: ev.uid,
      sequence: seq,
      start: instant(ev.startDate),
      end: vevent.hasProperty('dtend') ? instant(ev.endDate) : null,
      status: String(vevent.getFirstPropertyValue('status') || '').toUpperCase(),
      file,
    };
  };

  const store = new Map(); // attendee -> Map(uid -> event)
  let applied = 0;
  for (const plan of plans) {
    if (!fs.existsSync(path.join(plan, 'rota.json'))) {
      problems.push(`${plan}: not a plan directory (no rota.json)`);
      continue;
    }
    for (const file of icsFiles(path.join(plan, 'outbox'), [])) {
      const m = read(file);
      if (!m) continue;
      if (!store.has(m.attendee)) store.set(m.attendee, new Map());
      const box = store.get(m.attendee);
      const held = box.get(m.uid);
      if (m.method === 'REQUEST') {
        if (m.status === 'CANCELLED') problems.push(`${file}: a REQUEST with STATUS:CANCELLED`);
        if (!held || m.sequence > held.sequence) {
          box.set(m.uid, { ...m, cancelled: false });
          applied++;
        } else {
          problems.push(`${file}: REQUEST with SEQUENCE ${m.sequence}, ${held.sequence} held: ignored by calendars`);
        }
      } else if (m.method === 'CANCEL') {
        if (m.status !== 'CANCELLED') problems.push(`${file}: a CANCEL without STATUS:CANCELLED`);
        if (!held || held.cancelled) {
          problems.push(`${file}: CANCEL of ${m.uid}, which ${m.attendee} does not hold`);
          box.set(m.uid, { ...m, cancelled: true });
        } else if (m.sequence < held.sequence) {
          problems.push(`${file}: CANCEL with SEQUENCE ${m.sequence} below the ${held.sequence} held: ignored`);
        } else {
          box.set(m.uid, { ...m, cancelled: true });
          applied++;
        }
      } else {
        problems.push(`${file}: METHOD ${m.method} is neither REQUEST nor CANCEL`);
      }
    }
  }

  const last = plans[plans.length - 1];
  const want = new Map();
  for (const file of icsFiles(path.join(last, 'invites'), [])) {
    const m = read(file);
    if (!m) continue;
    if (m.method !== 'REQUEST') problems.push(`${file}: an invitation with METHOD ${m.method}`);
    if (!want.has(m.attendee)) want.set(m.attendee, new Map());
    want.get(m.attendee).set(m.uid, m);
  }
  let events = 0;
  const iso = (t) => (t === null ? 'none' : new Date(t).toISOString());
  for (const attendee of [...new Set([...want.keys(), ...store.keys()])].sort()) {
    const held = new Map([...(store.get(attendee) || new Map())].filter(([, e]) => !e.cancelled));
    const should = want.get(attendee) || new Map();
    for (const uid of [...new Set([...held.keys(), ...should.keys()])].sort()) {
      const h = held.get(uid);
      const w = should.get(uid);
      if (!w) {
        problems.push(`${attendee} holds ${uid} (from ${h.file}), which ${last} no longer has: stale`);
        continue;
      }
      events++;
      if (!h) {
        problems.push(`${attendee} never received ${uid} (${w.file})`);
        continue;
      }
      if (h.start !== w.start || h.end !== w.end) {
        problems.push(`${attendee} holds ${uid} at ${iso(h.start)}-${iso(h.end)}, the plan says ${iso(w.start)}-${iso(w.end)}`);
      }
      if (h.sequence !== w.sequence) {
        problems.push(`${attendee} holds ${uid} at SEQUENCE ${h.sequence}, the plan's is ${w.sequence}`);
      }
    }
  }
  for (const p of problems) console.log(`store.js: ${p}`);
  console.log(`store.js: ${plans.length} plans, ${applied} messages applied, ${want.size} attendees, ${events} events compared, ${problems.length} problems`);
  return problems.length ? 1 : 0;
}

main(process.argv).then((code) => { process.exitCode = code; }, (e) => {
  console.error(`store.js: ${e.stack || e}`);
  process.exitCode = 2;
});
