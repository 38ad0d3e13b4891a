#!/usr/bin/env node
// Checks the calendars that `rota plan` (and `rota week`) wrote with
// Mozilla's ical.js (tests/js/node_modules, pinned in tests/js/package.json),
// a parser that shares no code with rota or libical.
//
//     node tests/ical/validate.js PLAN_DIR [--zone ZONE]
//
// For every .ics under PLAN_DIR: CRLF and lines of at most 75 octets;
// ical.js parses it; VERSION, PRODID, NAME and X-WR-CALNAME (equal once
// unescaped); no METHOD on team, school and week calendars; METHOD:REQUEST,
// one VEVENT, ORGANIZER and one ATTENDEE (mailto:, CN, ROLE, PARTSTAT,
// RSVP) on invitations, and on outbox/ messages METHOD:REQUEST or
// METHOD:CANCEL (STATUS:CANCELLED, an invitation rota.json's "cancelled"
// says this plan cancelled). Every event's SEQUENCE is rota.json's (0 when
// it records none); a STATUS:CANCELLED event of a team or school calendar
// is one of rota.json's "cancelled". Each event's time is resolved with
// the VTIMEZONE of its own file (ical.js's time-zone support; its global
// time-zone registry is emptied before each file), turned into an instant,
// and shown in the campaign's zone by Node's ICU time-zone data; that wall
// time must be rota.json's (session start/end for team and week calendars,
// the unit's arrive/until for invitations and school events).
//
// Prints one line per problem and a count; exits 1 if any was found.
'use strict';

const fs = require('fs');
const path = require('path');

const MODULE = path.join(__dirname, '..', 'js', 'node_modules', 'ical.js', 'dist', 'ical.js');

function sessionName(s) {
  return `${s.date}-${s.slot}-${s.site}-${s.team}`;
}

function inviteUid(campaign, s, unit) {
  return `${s.date.replace(/-/g, '')}-${s.slot}.${s.site}.${s.team}.${unit}.${campaign}@rota`;
}

function stem(file) {
  return path.basename(file, path.extname(file));
}

// "2024-03-09" + "07:45" -> "2024-03-09 07:45"
function wall(date, hhmm) {
  return `${date} ${hhmm}`;
}

function walk(dir, out) {
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

async function main(argv) {
  let args = argv.slice(2);
  let zone = 'Asia/Ho_Chi_Minh';
  const z = args.indexOf('--zone');
  if (z >= 0) {
    zone = args[z + 1];
    args.splice(z, 2);
  }
  if (args.length !== 1) {
    console.error('usage: validate.js PLAN_DIR [--zone ZONE]');
    return 2;
  }
  const root = args[0];
  const ICAL = (await import(MODULE)).default;
  // ical.js 2.1 does not know RFC 7986's NAME; it is TEXT (escaped).
  if (!ICAL.design.icalendar.property.name) {
    ICAL.design.icalendar.property.name = { defaultType: 'text' };
  }
  const plan = JSON.parse(fs.readFileSync(path.join(root, 'rota.json'), 'utf8'));
  const sessions = new Map();
  const invites = new Map();
  const sequences = new Map();
  const cancelled = new Map();
  for (const s of plan.sessions) {
    sessions.set(s.uid, s);
    sequences.set(s.uid, s.sequence || 0);
    for (const v of s.visits) {
      if (v.count === 0) continue; // came uninvited to a held session
      const uid = inviteUid(plan.campaign, s, v.unit);
      invites.set(uid, { s, v });
      if (!sequences.has(uid)) sequences.set(uid, 0);
    }
    for (const inv of s.invitations || []) {
      sequences.set(inviteUid(plan.campaign, s, inv.unit), inv.sequence);
    }
  }
  for (const ev of plan.cancelled || []) cancelled.set(ev.uid, ev);
  const problems = [];
  let files = 0;
  let events = 0;
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit',
  });
  const localWall = (date) => {
    const p = Object.fromEntries(fmt.formatToParts(date).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  };

  for (const file of walk(root, [])) {
    if (!file.endsWith('.ics')) continue;
    const rel = path.relative(root, file).split(path.sep);
    let kind = rel[0] === 'invites' ? 'invite'
      : rel[0] === 'outbox' ? 'outbox'
        : rel[0] === 'calendars' && rel[1] === 'teams' ? 'team'
          : rel[0] === 'calendars' && rel[1] === 'schools' ? 'school' : 'week';
    const problem = (msg) => problems.push(`${rel.join('/')}: ${msg}`);
    files++;

    const data = fs.readFileSync(file);
    const text = data.toString('utf8');
    if (!text.endsWith('\r\n')) problem('does not end with CRLF');
    text.split('\r\n').slice(0, -1).forEach((line, i) => {
      if (/[\r\n]/.test(line)) problem(`line ${i + 1}: bare CR or LF`);
      if (Buffer.byteLength(line, 'utf8') > 75) problem(`line ${i + 1}: over 75 octets`);
      if (line.includes('\ufffd')) problem(`line ${i + 1}: a fold split a character`);
    });

    let cal;
    try {
      ICAL.TimezoneService.reset();
      cal = new ICAL.Component(ICAL.parse(text));
    } catch (e) {
      problem(`ical.js cannot parse it: ${e.message}`);
      continue;
    }
    if (cal.name !== 'vcalendar') problem('not a VCALENDAR');
    if (cal.getFirstPropertyValue('version') !== '2.0') problem('VERSION is not 2.0');
    if (!cal.getFirstPropertyValue('prodid')) problem('no PRODID');
    const name = cal.getFirstPropertyValue('name');
    const xname = cal.getFirstPropertyValue('x-wr-calname');
    if (!name || !xname) problem('NAME or X-WR-CALNAME missing');
    else if (name !== xname) problem(`NAME ${JSON.stringify(name)} and X-WR-CALNAME ${JSON.stringify(xname)} differ`);
    const method = cal.getFirstPropertyValue('method');
    const vevents = cal.getAllSubcomponents('vevent');
    if (!vevents.length) problem('no event');
    if (kind === 'outbox') {
      kind = method === 'CANCEL' ? 'cancel' : 'invite';
      if (kind === 'invite') {
        const twin = path.join(root, 'invites', ...rel.slice(1));
        if (!fs.existsSync(twin) || !fs.readFileSync(twin).equals(data)) problem(`differs from invites/${rel.slice(1).join('/')}`);
      }
    }
    if (kind === 'cancel') {
      if (vevents.length !== 1) problem(`${vevents.length} events in a CANCEL`);
    } else if (kind === 'invite') {
      if (method !== 'REQUEST') problem(`METHOD is ${method}, not REQUEST`);
      if (vevents.length !== 1) problem(`${vevents.length} events in an invitation`);
    } else if (method !== null && method !== undefined) {
      problem(`a ${kind} calendar has METHOD ${method}`);
    }

    for (const vevent of vevents) {
      events++;
      const ev = new ICAL.Event(vevent);
      const uid = ev.uid;
      const status = vevent.getFirstPropertyValue('status');
      let want = null;
      let wantSeq = sequences.has(uid) ? sequences.get(uid) : null;
      if (uid.startsWith('deadline.')) wantSeq = 0;
      if (status === 'CANCELLED' || kind === 'cancel') {
        const c = cancelled.get(uid);
        const owner = kind === 'team' ? stem(file) : kind === 'school' ? stem(file) : path.basename(path.dirname(file));
        wantSeq = null;
        if (status !== 'CANCELLED') problem(`CANCEL of ${uid} is not STATUS:CANCELLED`);
        else if (kind === 'week' || kind === 'invite') problem(`event ${uid} is STATUS:CANCELLED in a ${kind} file`);
        else if (!c) problem(`cancelled event ${uid} is not in rota.json's cancelled`);
        else {
          wantSeq = c.sequence;
          if (c.event !== (kind === 'team' ? 'session' : 'invitation')) problem(`cancelled event ${uid} is a ${c.event}`);
          if ((kind === 'team' ? c.team : c.unit) !== owner) problem(`cancelled event ${uid} is not for ${owner}`);
          if (kind === 'cancel' && c.cancelled_on !== plan.today) problem(`CANCEL of ${uid}, which this plan did not cancel`);
          if (kind !== 'cancel' && !(plan.today && c.date >= plan.today)) problem(`cancelled event ${uid} is dated before today`);
          want = [wall(c.date, c.arrive), wall(c.date, c.until)];
        }
      } else if (kind === 'team' || kind === 'week') {
        const s = sessions.get(uid);
        if (!s) problem(`UID ${uid} is no session of rota.json`);
        else {
          if (kind === 'team' && s.team !== stem(file)) problem(`session ${uid} is not this team's`);
          want = [wall(s.date, s.start), wall(s.date, s.end)];
        }
      } else if (kind === 'school' && uid.startsWith('deadline.')) {
        const start = vevent.getFirstPropertyValue('dtstart');
        const end = vevent.getFirstPropertyValue('dtend');
        if (!start || !start.isDate) problem(`deadline ${uid} is not a DATE`);
        else if (!end || end.isDate !== true || end.subtractDate(start).toSeconds() !== 86400) {
          problem(`deadline ${uid} does not end the next day`);
        }
        continue;
      } else {
        const found = invites.get(uid);
        const unit = kind === 'invite' ? path.basename(path.dirname(file)) : stem(file);
        if (!found) problem(`UID ${uid} is no invitation of rota.json`);
        else {
          if (found.v.unit !== unit) problem(`event ${uid} is for unit ${found.v.unit}`);
          if (kind === 'invite' && sessionName(found.s) !== stem(file)) problem(`event ${uid} is for another session`);
          want = [wall(found.s.date, found.v.arrive), wall(found.s.date, found.v.until)];
        }
      }
      const times = [ev.startDate, vevent.hasProperty('dtend') ? ev.endDate : null];
      for (const t of times) {
        if (t && !t.isDate && t.zone && t.zone.tzid === 'floating') problem(`event ${uid} has a floating time`);
        if (t && !t.isDate && !t.zone) problem(`event ${uid}: TZID without VTIMEZONE`);
      }
      const got = times.map((t) => (t ? localWall(t.toJSDate()) : null));
      if (want && (got[0] !== want[0] || (got[1] !== null && got[1] !== want[1]))) {
        problem(`event ${uid} is ${got[0]}-${got[1]} in ${zone}, rota.json says ${want[0]}-${want[1]}`);
      }
      const seq = vevent.getFirstPropertyValue('sequence');
      if (wantSeq !== null && seq !== wantSeq) problem(`event ${uid}: SEQUENCE is ${seq}, rota.json says ${wantSeq}`);
      const organizer = vevent.getFirstProperty('organizer');
      const attendees = vevent.getAllProperties('attendee');
      if (kind === 'invite' || kind === 'cancel') {
        if (!organizer || !/^mailto:/i.test(organizer.getFirstValue())) problem('ORGANIZER missing or not mailto:');
        if (attendees.length !== 1) problem(`${attendees.length} ATTENDEEs`);
        else {
          const a = attendees[0];
          if (!/^mailto:/i.test(a.getFirstValue())) problem('ATTENDEE is not mailto:');
          const expect = { role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION', rsvp: 'TRUE' };
          for (const [k, v] of Object.entries(expect)) {
            if (String(a.getParameter(k)).toUpperCase() !== v) problem(`ATTENDEE ${k} is ${a.getParameter(k)}`);
          }
          if (!a.getParameter('cn')) problem('ATTENDEE has no CN');
        }
      } else if (organizer || attendees.length) {
        problem(`event ${uid} of a ${kind} calendar has ORGANIZER/ATTENDEE`);
      }
    }
  }
  for (const p of problems) console.log(`validate.js: ${p}`);
  console.log(`validate.js: ${files} calendar files, ${events} events checked, ${problems.length} problems`);
  return problems.length ? 1 : 0;
}

main(process.argv).then((code) => { process.exitCode = code; }, (e) => {
  console.error(`validate.js: ${e.stack || e}`);
  process.exitCode = 2;
});
