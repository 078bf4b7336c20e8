/**
 * Reads an iCalendar text with the independent ical.js parser and expands every VEVENT into
 * concrete occurrences, the way a calendar client would.
 */
import ICAL from 'ical.js';

export type ParsedOccurrence = { uid: string; summary: string; start: Date; end: Date; recurrenceId: Date | null; allDay: boolean };

export function parseCalendar(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return root;
}

/** Occurrences starting before `until`, sorted by start; moved occurrences appear at their new time. */
export function expandCalendar(text: string, until: Date): ParsedOccurrence[] {
  const root = parseCalendar(text);
  const vevents = root.getAllSubcomponents('vevent');
  const masters = new Map<string, InstanceType<typeof ICAL.Component>>();
  const exceptions = new Map<string, InstanceType<typeof ICAL.Component>[]>();
  for (const vevent of vevents) {
    const uid = String(vevent.getFirstPropertyValue('uid'));
    if (vevent.hasProperty('recurrence-id')) (exceptions.get(uid) ?? exceptions.set(uid, []).get(uid)!).push(vevent);
    else masters.set(uid, vevent);
  }
  const out: ParsedOccurrence[] = [];
  const untilTime = ICAL.Time.fromJSDate(until, true);
  for (const [uid, master] of masters) {
    const event = new ICAL.Event(master, { exceptions: exceptions.get(uid) ?? [] });
    if (!event.isRecurring()) {
      out.push({
        uid,
        summary: event.summary,
        start: event.startDate.toJSDate(),
        end: event.endDate.toJSDate(),
        recurrenceId: null,
        allDay: event.startDate.isDate,
      });
      continue;
    }
    const iterator = event.iterator();
    for (let next = iterator.next(); next && next.compare(untilTime) < 0; next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      const moved = details.item !== event;
      out.push({
        uid,
        summary: details.item.summary,
        start: details.startDate.toJSDate(),
        end: details.endDate.toJSDate(),
        recurrenceId: moved ? details.recurrenceId.toJSDate() : null,
        allDay: details.startDate.isDate,
      });
    }
  }
  // Overrides without a master (not written by crosstrain) would be lost above; count them too.
  for (const [uid, list] of exceptions)
    if (!masters.has(uid))
      for (const vevent of list) {
        const event = new ICAL.Event(vevent);
        out.push({
          uid,
          summary: event.summary,
          start: event.startDate.toJSDate(),
          end: event.endDate.toJSDate(),
          recurrenceId: event.recurrenceId.toJSDate(),
          allDay: false,
        });
      }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime() || a.uid.localeCompare(b.uid));
}
