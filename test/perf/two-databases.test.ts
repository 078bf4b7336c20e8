import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import type { Person } from '../../src/context';
import type { EventDetails } from '../../src/events/event-rules';
import { createEvent } from '../../src/events/events';
import { invitePeople } from '../../src/events/invitations';
import { findOpenSeats } from '../../src/events/open-seats';
import { personSchedule } from '../../src/events/schedule';
import { badgeCounts } from '../../src/nav';
import { systemActor } from '../../src/audit/audit';
import { appointLiaison, liaisonOfTeam } from '../../src/liaisons/liaisons';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

/**
 * Two databases in one process (as the tests, the demo beside a live file, or two apps): every
 * cache, registry and prepared statement belongs to the database it came from, so one database's
 * rows, counts and answers never show in the other's.
 */
describe('caches belong to their database', () => {
  let a: TestContext;
  let b: TestContext;
  let companyA: SeededCompany;
  let companyB: SeededCompany;
  beforeEach(async () => {
    a = createTestApp();
    b = createTestApp();
    companyA = await seedCompany(a.db);
    companyB = await seedCompany(b.db);
  });
  afterEach(() => {
    a.close();
    b.close();
  });

  const person = (t: TestContext, email: string): Person => t.db.select().from(people).where(eq(people.email, email)).get()!;
  const call = (company: SeededCompany, title: string, startLocal: string, rrule: string | null): EventDetails => ({
    kind: 'sales_call',
    title,
    description: '',
    hostId: company.people['rep@example.com']!,
    startLocal,
    timeZone: 'UTC',
    durationMinutes: 60,
    seats: 3,
    rrule,
    account: 'Acme Corp',
    opportunityStage: 'discovery',
    location: null,
    meetingUrl: null,
    topic: null,
  });

  it('keeps schedules, open seats, navigation counts and pages apart, with the same ids in both', async () => {
    // The same event id (1) in both databases, with different timing and guests.
    const rep = person(a, 'rep@example.com');
    const inA = createEvent(a.db, a.clock, { personId: rep.id }, rep, call(companyA, 'Weekly with Acme', '2026-03-03T10:00', 'FREQ=WEEKLY;COUNT=4'));
    const repB = person(b, 'rep@example.com');
    const inB = createEvent(b.db, b.clock, { personId: repB.id }, repB, call(companyB, 'One call with Initech', '2026-03-04T15:00', null));
    expect(inA.id).toBe(inB.id);
    invitePeople(a.db, a.clock, { personId: rep.id }, rep, inA.id, [companyA.people['marketer@example.com']!], null);

    const from = new Date('2026-03-02T00:00:00Z');
    const to = new Date('2026-04-01T00:00:00Z');
    const marketerA = person(a, 'marketer@example.com');
    const marketerB = person(b, 'marketer@example.com');
    // Read from A first, so whatever A's reads keep is in place when B asks.
    expect(personSchedule(a.db, marketerA.id, from, to).map((e) => e.event.title)).toEqual(Array(4).fill('Weekly with Acme'));
    expect(personSchedule(b.db, marketerB.id, from, to)).toEqual([]);
    expect(badgeCounts(a.db, marketerA, a.clock.now()).invitations).toBe(1);
    expect(badgeCounts(b.db, marketerB, b.clock.now()).invitations).toBe(0);
    expect(findOpenSeats(b.db, b.clock.now(), marketerB, { from, to }).map((s) => s.event.title)).toEqual(['One call with Initech']);
    expect(findOpenSeats(a.db, a.clock.now(), marketerA, { from, to })).toEqual([]);

    const pageA = await (await sessionAs(a, 'marketer@example.com').get('/invitations')).text();
    const pageB = await (await sessionAs(b, 'marketer@example.com').get('/invitations')).text();
    expect(pageA).toContain('Weekly with Acme');
    expect(pageB).not.toContain('Weekly with Acme');
    const seatsB = await (await sessionAs(b, 'marketer@example.com').get('/open-seats')).text();
    expect(seatsB).toContain('One call with Initech');
    expect(seatsB).not.toContain('Weekly with Acme');
  });

  it('keeps the statements prepared once per database apart: the scorecard, its thresholds and liaisons of one never answer for the other', async () => {
    // Read from A first, so A's prepared statements exist when B is asked the same.
    const scorecard = async (t: TestContext) =>
      (await (await sessionAs(t, 'hr@example.com').get('/api/v1/scorecard')).json()) as { total: number; data: { salesTeamName: string }[] };
    const pagesOfA = await scorecard(a);
    b.db.$client.prepare(`INSERT INTO teams (name, department) VALUES ('Sales North', 'sales')`).run();
    expect((await scorecard(a)).data.map((r) => r.salesTeamName)).toEqual(pagesOfA.data.map((r) => r.salesTeamName));
    expect((await scorecard(b)).data.map((r) => r.salesTeamName)).toEqual(['Sales East', 'Sales North', 'Sales West']);
    expect((await scorecard(a)).total).toBe(2);

    const changed = await sessionAs(b, 'hr@example.com').json('PUT', '/api/v1/scorecard/thresholds', { definedRequiresLiaison: false, definedMeetingShare: 0 });
    expect(changed.status).toBe(200);
    const stages = async (t: TestContext) =>
      ((await (await sessionAs(t, 'hr@example.com').get('/api/v1/scorecard')).json()) as { data: { stage: string }[] }).data.map((r) => r.stage);
    expect(await stages(b)).toEqual(['defined', 'defined', 'defined']);
    expect(await stages(a)).toEqual(['undisciplined', 'undisciplined']);

    // A's liaison of Sales East, read first in A; B's Sales East (the same team id) has none.
    appointLiaison(a.db, a.clock, systemActor, { personId: companyA.people['marketer@example.com']!, teamId: companyA.teams['Sales East']! });
    expect(liaisonOfTeam(a.db, companyA.teams['Sales East']!)?.personId).toBe(companyA.people['marketer@example.com']);
    expect(liaisonOfTeam(a.db, companyA.teams['Sales East']!, a.clock.now())?.personId).toBe(companyA.people['marketer@example.com']);
    expect(companyB.teams['Sales East']).toBe(companyA.teams['Sales East']);
    expect(liaisonOfTeam(b.db, companyB.teams['Sales East']!)).toBeNull();
    expect(liaisonOfTeam(b.db, companyB.teams['Sales East']!, b.clock.now())).toBeNull();
  });
});
