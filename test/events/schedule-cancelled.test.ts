/*
 * A cancelled whole event stays in My schedule, marked cancelled (issue 13): a person must know what
 * happened. What took place before the cancellation is shown as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import { createEvent, cancelEvent } from '../../src/events/events';
import { answerInvitation } from '../../src/events/answers';
import { invitePeople } from '../../src/events/invitations';
import { personSchedule } from '../../src/events/schedule';
import { createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  await seedCompany(t.db);
});
afterEach(() => t.close());

const person = (email: string) => t.db.select().from(people).where(eq(people.email, email)).get()!;

function weeklyCallWithGuest() {
  const rep = person('rep@example.com');
  const marketer = person('marketer@example.com');
  const event = createEvent(t.db, t.clock, { personId: rep.id }, rep, {
    kind: 'sales_call',
    title: 'Weekly Acme call',
    description: '',
    hostId: rep.id,
    startLocal: '2026-03-03T09:00',
    timeZone: 'America/New_York',
    durationMinutes: 60,
    seats: 2,
    rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6',
    account: 'Acme Corp',
    opportunityStage: 'discovery',
    location: null,
    meetingUrl: null,
    topic: null,
  });
  const { invited } = invitePeople(t.db, t.clock, { personId: rep.id }, rep, event.id, [marketer.id], null);
  answerInvitation(t.db, t.clock, { personId: marketer.id }, marketer, invited[0]!.id, 'accepted', null, { confirmConflicts: true });
  return { rep, marketer, event };
}

describe('a cancelled event in My schedule', () => {
  it('keeps the occurrences before the cancellation as they were and marks the rest cancelled', () => {
    const { rep, marketer, event } = weeklyCallWithGuest();
    t.clock.set('2026-03-12T12:00:00Z'); // after the occurrences of 3 and 10 March
    cancelEvent(t.db, t.clock, { personId: rep.id }, rep, event.id);
    const from = new Date('2026-03-01T00:00:00Z');
    const to = new Date('2026-04-30T00:00:00Z');
    for (const who of [marketer, rep]) {
      const entries = personSchedule(t.db, who.id, from, to, { includeCancelled: true });
      expect(entries.map((e) => [e.occurrence.start.toISOString().slice(0, 10), e.occurrence.cancelled])).toEqual([
        ['2026-03-03', false],
        ['2026-03-10', false],
        ['2026-03-17', true],
        ['2026-03-24', true],
        ['2026-03-31', true],
        ['2026-04-07', true],
      ]);
      // Conflicts and busy times never count a cancelled event.
      expect(personSchedule(t.db, who.id, from, to).length).toBe(0);
    }
  });

  it('shows on the page, marked cancelled, without a leave button', async () => {
    const { rep, event } = weeklyCallWithGuest();
    cancelEvent(t.db, t.clock, { personId: rep.id }, rep, event.id);
    const html = await (await sessionAs(t, 'marketer@example.com').get('/?view=week&date=2026-03-02')).text();
    const entry = /<li class="schedule-entry[^"]*cancelled[^"]*">[\s\S]*?<\/li>/.exec(html)?.[0] ?? '';
    expect(entry).toContain('Weekly Acme call');
    expect(entry).toContain('<span class="tag cancelled">cancelled</span>');
    expect(entry).not.toContain('Leave');
    // Its page says so too.
    const href = /href="(\/events\/\d+\/occurrences\/[^"]+)"/.exec(entry)![1]!;
    expect(await (await sessionAs(t, 'marketer@example.com').get(href)).text()).toMatch(/cancelled/i);
  });
});
