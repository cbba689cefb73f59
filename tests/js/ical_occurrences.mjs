// Expands every VEVENT of an .ics file with Mozilla's ical.js and prints the
// occurrences that overlap [from, to) as JSON lines: an independent parser to
// cross-check lokflow's feeds (RRULE, EXDATE, RECURRENCE-ID, VTIMEZONE).
// Usage: node ical_occurrences.mjs FILE FROM TO   (dates as YYYY-MM-DD)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, from, to] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
const rangeStart = ICAL.Time.fromDateString(from);
const rangeEnd = ICAL.Time.fromDateString(to);
const slack = rangeEnd.clone();
slack.adjust(400, 0, 0, 0);

const masters = new Map();
const exceptions = [];
for (const component of root.getAllSubcomponents("vevent")) {
  if (component.hasProperty("recurrence-id")) exceptions.push(component);
  // ical.js would relate every RECURRENCE-ID in the file to every event
  // unless told otherwise: relate them by UID, as RFC 5545 says.
  else masters.set(component.getFirstPropertyValue("uid"),
                   new ICAL.Event(component, { strictExceptions: true, exceptions: [] }));
}
for (const exception of exceptions) {
  masters.get(exception.getFirstPropertyValue("uid")).relateException(exception);
}

function show(time) {
  if (time.isDate) return time.toString();
  return time.toJSDate().toISOString().replace(".000Z", "Z");
}

function emit(uid, start, end, summary) {
  if (start.compare(rangeEnd) >= 0 || end.compare(rangeStart) <= 0) return;
  console.log(JSON.stringify({ uid, start: show(start), end: show(end), summary }));
}

for (const [uid, event] of masters) {
  if (!event.isRecurring()) {
    emit(uid, event.startDate, event.endDate, event.summary);
    continue;
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.compare(slack) < 0; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    emit(uid, details.startDate, details.endDate, details.item.summary);
  }
}
