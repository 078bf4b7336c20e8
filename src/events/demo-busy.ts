import { eq } from 'drizzle-orm';
import { busyCalendars, busyIntervals, people } from '../../db/schema';
import type { Db } from '../db';
import type { DemoContext } from '../demo';
import { findOpenSeats } from './open-seats';

export const order = 50;

/**
 * The busy-calendars demo lives with the events demo because it is made of the marketer's open
 * seats: busy sits below events (conflict warnings read busy times), so busy's room cannot ask for them.
 *
 * The marketer reads their own Google calendar: two of the open seats they are offered collide
 * with busy times from it. A second calendar shows a failed read (an Outlook address that was
 * replaced). The demo's addresses lead nowhere, so the next reads fail and the page shows that
 * too, while the busy times last read stay in use.
 */
export function seedDemo(db: Db, ctx: DemoContext) {
  const marketer = db.select().from(people).where(eq(people.email, 'marketer@example.com')).get();
  if (!marketer) return;
  const now = ctx.clock.now();
  const google = db
    .insert(busyCalendars)
    .values({
      personId: marketer.id,
      label: 'Work Google',
      url: 'https://calendar.google.com/calendar/ical/marketer%40example.com/private-5f0c2b9d8e7a6b1c4d3e2f1a0b9c8d7e/basic.ics',
      createdAt: new Date(now.getTime() - 7 * 86_400_000),
      lastAttemptAt: now,
      lastSuccessAt: now,
      expandedAt: now,
      nextFetchAt: new Date(now.getTime() + 15 * 60_000),
    })
    .returning()
    .get();
  db.insert(busyCalendars)
    .values({
      personId: marketer.id,
      label: 'Personal Outlook',
      url: 'https://outlook.office365.com/owa/calendar/0c1d2e3f4a5b6c7d@example.com/9a8b7c6d5e4f3a2b1c0d/calendar.ics',
      createdAt: new Date(now.getTime() - 30 * 86_400_000),
      lastAttemptAt: now,
      lastError: 'http',
      lastErrorMessage:
        'outlook.office365.com answered HTTP 404 — is the address still valid? A new private address in Google or Outlook makes the old one stop working.',
      nextFetchAt: new Date(now.getTime() + 15 * 60_000),
    })
    .run();
  const seats = findOpenSeats(db, now, marketer, { from: now, to: new Date(now.getTime() + 21 * 86_400_000) }, 10);
  const spans = seats
    .slice(0, 2)
    .map((seat) => ({ start: new Date(seat.occurrence.start.getTime() - 30 * 60_000), end: new Date(seat.occurrence.start.getTime() + 30 * 60_000) }));
  // And a lunch block every weekday of the coming four weeks, 12:00–13:00 UTC.
  for (let day = 1; day <= 28; day++) {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + day, 12));
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) spans.push({ start: date, end: new Date(date.getTime() + 3_600_000) });
  }
  db.insert(busyIntervals)
    .values(spans.map((s) => ({ calendarId: google.id, personId: marketer.id, startAt: s.start, endAt: s.end })))
    .run();
  ctx.log(`  busy calendars: marketer@example.com reads 2 (${spans.length} busy times, one failing)`);
}
