/** Ride-alongs with answers, made through the events feature as people would make them. */
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import type { Person } from '../../src/context';
import type { EventDetails } from '../../src/events/event-rules';
import { createEvent } from '../../src/events/events';
import { claimSeat } from '../../src/events/claims';
import { invitePeople } from '../../src/events/invitations';
import { respond } from '../../src/events/answers';
import { occurrenceKey } from '../../src/events/recurrence';
import { zonedLocalToUtc } from '../../src/lib/time';
import type { TestContext } from '../support/app';

export function personByEmail(t: Pick<TestContext, 'db'>, email: string): Person {
  return t.db.select().from(people).where(eq(people.email, email)).get()!;
}

export function salesCall(
  t: Pick<TestContext, 'db' | 'clock'>,
  hostEmail: string,
  details: Partial<EventDetails> & Pick<EventDetails, 'title' | 'startLocal' | 'timeZone'>,
) {
  const host = personByEmail(t, hostEmail);
  return createEvent(t.db, t.clock, systemActor, host, {
    kind: 'sales_call',
    description: '',
    hostId: host.id,
    durationMinutes: 60,
    seats: 3,
    rrule: null,
    account: details.title.split(' ')[0]!,
    opportunityStage: 'proposal',
    location: null,
    meetingUrl: null,
    topic: null,
    ...details,
  });
}

/** Guests join: the first claims a seat, the others are invited by the host and accept. */
function joinAsGuests(t: Pick<TestContext, 'db' | 'clock'>, eventId: number, hostEmail: string, emails: string[], start: Date | null = null) {
  const [first, ...rest] = emails;
  // Scenario guests join whatever else they have on (a conflict is confirmed, as the page lets them).
  if (first) claimSeat(t.db, t.clock, systemActor, personByEmail(t, first), eventId, start, { confirmConflicts: true });
  if (rest.length)
    invitePeople(
      t.db,
      t.clock,
      systemActor,
      personByEmail(t, hostEmail),
      eventId,
      rest.map((e) => personByEmail(t, e).id),
      start,
    );
  for (const email of rest) respond(t.db, t.clock, systemActor, personByEmail(t, email), { eventId, start, answer: 'accepted' }, { confirmConflicts: true });
}

/**
 * Three ride-alongs before 20 March 2026 and one after:
 * A  Acme renewal — rep (Sales East), 3 Mar 10:00 New York; marketer claimed a seat.
 * B  Globex expansion — westrep (Sales West), 5 Mar 11:00 Los Angeles; marketer2 and demand.
 * C  Initech pilot check-in — rep's weekly series from 10 Feb, marketer on the series; feedback on 17 Feb.
 * D  Umbrella kickoff — rep, 25 Mar (not over yet); marketer.
 * E  Solo call — rep, 4 Mar, no marketer: not a ride-along.
 */
export function seedRideAlongs(t: Pick<TestContext, 'db' | 'clock'>) {
  t.clock.set('2026-02-01T12:00:00Z');
  const a = salesCall(t, 'rep@example.com', { title: 'Acme renewal', startLocal: '2026-03-03T10:00', timeZone: 'America/New_York' });
  joinAsGuests(t, a.id, 'rep@example.com', ['marketer@example.com']);
  const b = salesCall(t, 'westrep@example.com', { title: 'Globex expansion', startLocal: '2026-03-05T11:00', timeZone: 'America/Los_Angeles' });
  joinAsGuests(t, b.id, 'westrep@example.com', ['marketer2@example.com', 'demand@example.com']);
  const c = salesCall(t, 'rep@example.com', {
    title: 'Initech pilot check-in',
    startLocal: '2026-02-10T09:00',
    timeZone: 'America/New_York',
    rrule: 'FREQ=WEEKLY;COUNT=3',
  });
  invitePeople(t.db, t.clock, systemActor, personByEmail(t, 'rep@example.com'), c.id, [personByEmail(t, 'marketer@example.com').id], null);
  respond(t.db, t.clock, systemActor, personByEmail(t, 'marketer@example.com'), { eventId: c.id, start: null, answer: 'accepted' }, { confirmConflicts: true });
  const d = salesCall(t, 'rep@example.com', { title: 'Umbrella kickoff', startLocal: '2026-03-25T10:00', timeZone: 'America/New_York' });
  joinAsGuests(t, d.id, 'rep@example.com', ['marketer@example.com']);
  const e = salesCall(t, 'rep@example.com', { title: 'Solo call', startLocal: '2026-03-04T10:00', timeZone: 'America/New_York' });
  t.clock.set('2026-03-20T12:00:00Z');
  const key = (event: { id: number; startLocal: string; timeZone: string }, local = event.startLocal) =>
    occurrenceKey(event.id, zonedLocalToUtc(local, event.timeZone));
  return {
    a,
    b,
    c,
    d,
    e,
    occurrence: { a: key(a), b: key(b), c17: key(c, '2026-02-17T09:00'), c24: key(c, '2026-02-24T09:00'), d: key(d), e: key(e) },
  };
}

/**
 * `count` reports of the day before the clock, each with its own suggestion ("Idea 01", …) open in
 * the backlog of the host's team: more open suggestions than field insights shows on a page.
 */
export function seedOpenSuggestions(t: Pick<TestContext, 'db' | 'clock'>, count: number) {
  const host = personByEmail(t, 'rep@example.com');
  const author = personByEmail(t, 'marketer@example.com');
  const event = salesCall(t, 'rep@example.com', { title: 'Many ideas call', startLocal: '2025-06-02T10:00', timeZone: 'UTC' });
  const day = t.clock.now().getTime() - 86_400_000;
  const insertFeedback = t.db.$client.prepare(`
    INSERT INTO feedback (event_id, occurrence_start, occurred_at, author_id, author_role, author_team_id, host_team_id, outcome, suggestion, submitted_at)
    VALUES (?, ?, ?, ?, 'guest', ?, ?, 'open', ?, ?)`);
  const insertItem = t.db.$client.prepare(`
    INSERT INTO suggestions (team_id, title, source, source_ref, status, created_at, updated_at) VALUES (?, ?, 'feedback', ?, 'open', ?, ?)`);
  for (let i = 1; i <= count; i++) {
    const idea = `Idea ${String(i).padStart(2, '0')}`;
    const start = day - i * 60_000;
    const id = insertFeedback.run(event.id, start, start, author.id, author.teamId, host.teamId, idea, day).lastInsertRowid;
    insertItem.run(host.teamId, idea, `feedback:${id}`, day, day);
  }
}
