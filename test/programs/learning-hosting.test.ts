// My learning lists the sessions the viewer hosts from 30 days back to 30 days ahead, read by host: a session of
// another host, or outside the window, is not theirs to list; a person hosting none sees no such section.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import type { Person } from '../../src/context';
import { createTopic } from '../../src/programs/programs';
import { scheduleTrainingSession, upcomingSessions } from '../../src/programs/sessions';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { trainingSessionInput } from '../support/programs';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const person = (email: string) => t.db.select().from(people).where(eq(people.email, email)).get() as Person;

describe('sessions I host on My learning', () => {
  it('lists the viewer’s own sessions within 30 days either side, and only theirs', async () => {
    const hrActor = { personId: company.people['hr@example.com']! };
    const hr = person('hr@example.com');
    const topic = createTopic(t.db, t.clock, hrActor, { name: 'Objection handling', description: '' });
    const session = (host: string, title: string, startLocal: string) =>
      scheduleTrainingSession(t.db, t.clock, hrActor, hr, trainingSessionInput({ topicId: topic.id, title, hostId: person(host).id, startLocal }));
    session('rep@example.com', 'Past rep session', '2026-02-10T10:00');
    session('rep@example.com', 'Coming rep session', '2026-03-20T10:00');
    session('rep@example.com', 'Far rep session', '2026-05-20T10:00');
    session('marketer@example.com', 'Marketer session', '2026-03-05T10:00');

    const hosted = (email: string) =>
      upcomingSessions(t.db, t.clock.now(), { days: 30, includePast: true, hostId: person(email).id }).map((s) => s.event.title);
    expect(hosted('rep@example.com')).toEqual(['Past rep session', 'Coming rep session']);
    expect(hosted('marketer@example.com')).toEqual(['Marketer session']);
    expect(hosted('rep2@example.com')).toEqual([]);
    // The same as every session in the window, kept to the host's.
    const everyone = upcomingSessions(t.db, t.clock.now(), { days: 30, includePast: true });
    expect(everyone.filter((s) => s.event.hostId === person('rep@example.com').id).map((s) => s.event.title)).toEqual(hosted('rep@example.com'));

    const page = await (await sessionAs(t, 'rep@example.com').get('/learning')).text();
    expect(page).toContain('Sessions I host');
    expect(page).toContain('Past rep session');
    expect(page).toContain('Coming rep session');
    expect(page).not.toContain('Far rep session');
    expect(page).not.toContain('Marketer session');
    expect(await (await sessionAs(t, 'rep2@example.com').get('/learning')).text()).not.toContain('Sessions I host');
  });
});
