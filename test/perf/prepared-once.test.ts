/*
 * Statements are compiled once per database, not per request: after a first view has prepared what
 * a page needs, the same pages viewed by other people compile nothing (drizzle's `.prepare()` with
 * placeholders, kept per database through preparedQuery). There is no global statement cache to
 * hide a page that builds its SQL anew on every view.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import type { EventDetails } from '../../src/events/event-rules';
import { createEvent } from '../../src/events/events';
import { invitePeople } from '../../src/events/invitations';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const call = (hostId: number, title: string, startLocal: string, rrule: string | null): EventDetails => ({
  kind: 'sales_call',
  title,
  description: '',
  hostId,
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

/** Pages everyone opens most, and what the API answers on the same reads. */
const PAGES = [
  '/',
  '/?view=month',
  '/open-seats',
  '/invitations',
  '/learning',
  '/liaisons',
  '/rotations',
  '/account/calendar',
  '/api/v1/me',
  '/api/v1/open-seats',
];

describe('statements prepared once per database', () => {
  it('compiles no statement for the pages people open most once the database has been asked them', async () => {
    const rep = t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
    const weekly = createEvent(t.db, t.clock, { personId: rep.id }, rep, call(rep.id, 'Weekly with Acme', '2026-03-03T10:00', 'FREQ=WEEKLY;COUNT=6'));
    createEvent(t.db, t.clock, { personId: rep.id }, rep, call(rep.id, 'One call with Initech', '2026-03-04T15:00', null));
    invitePeople(t.db, t.clock, { personId: rep.id }, rep, weekly.id, [company.people['marketer@example.com']!], null);

    // Signing in writes a session, and a person's first look at /account/calendar makes their feed: done before counting.
    // Each statement is compiled the first time the database is asked it, whoever asks; after that, never again.
    const clients = ['marketer@example.com', 'marketer2@example.com', 'demand@example.com'].map((email) => ({ email, client: sessionAs(t, email) }));
    for (const { client } of clients) for (const path of ['/account/calendar', ...PAGES]) expect((await client.get(path)).status, path).toBe(200);
    const prepare = vi.spyOn(t.db.$client, 'prepare');
    try {
      for (let round = 0; round < 2; round++) {
        for (const { email, client } of clients) for (const path of PAGES) expect((await client.get(path)).status, `${email} ${path}`).toBe(200);
      }
      expect(prepare.mock.calls.map(([source]) => String(source).replace(/\s+/g, ' ').slice(0, 120))).toEqual([]);
    } finally {
      prepare.mockRestore();
    }
  });

  it('compiles no statement for the scorecard and its API once they have been viewed', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const manager = sessionAs(t, 'sales.manager@example.com');
    for (const path of ['/scorecard', '/api/v1/scorecard']) expect((await hr.get(path)).status).toBe(200);
    const prepare = vi.spyOn(t.db.$client, 'prepare');
    try {
      for (const path of ['/scorecard', '/api/v1/scorecard?pageSize=1', '/api/v1/scorecard?page=2&pageSize=1'])
        expect((await manager.get(path)).status).toBe(200);
      expect(prepare.mock.calls.map(([source]) => String(source).replace(/\s+/g, ' ').slice(0, 120))).toEqual([]);
    } finally {
      prepare.mockRestore();
    }
  });
});

describe('statements of HR and managers’ pages prepared once per database', () => {
  it('compiles no statement for the programs dashboard, its filters and the learning overview once viewed', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const manager = sessionAs(t, 'sales.manager@example.com');
    const paths = (program: number) => [
      '/programs/dashboard',
      `/programs/dashboard?program=${program}`,
      '/programs/dashboard?state=overdue',
      '/programs/dashboard?page=2',
      '/programs/dashboard/teams',
      '/programs/dashboard/chart',
    ];
    const program = t.db.$client.prepare('SELECT id FROM programs ORDER BY id LIMIT 1').get() as { id: number } | undefined;
    const views = [...paths(program?.id ?? 1)];
    for (const client of [hr, manager]) for (const path of views) expect((await client.get(path)).status, path).toBe(200);
    expect((await hr.get('/programs/overview')).status).toBe(200);
    const hr2 = sessionAs(t, 'hr@example.com');
    const prepare = vi.spyOn(t.db.$client, 'prepare');
    try {
      for (const client of [hr2, manager]) for (const path of views) expect((await client.get(path)).status, path).toBe(200);
      expect((await hr2.get('/programs/overview')).status).toBe(200);
      expect(prepare.mock.calls.map(([source]) => String(source).replace(/\s+/g, ' ').slice(0, 120))).toEqual([]);
    } finally {
      prepare.mockRestore();
    }
  });

  it('compiles no statement for field insights, feedback, liaisons and rotations as HR and managers see them', async () => {
    const views = ['/insights', '/insights?page=2', '/feedback', '/liaisons', '/rotations'];
    const viewers = ['hr@example.com', 'marketing.manager@example.com', 'sales.manager@example.com'];
    for (const email of viewers) for (const path of views) expect((await sessionAs(t, email).get(path)).status, `${email} ${path}`).toBe(200);
    const clients = viewers.map((email) => ({ email, client: sessionAs(t, email) }));
    const prepare = vi.spyOn(t.db.$client, 'prepare');
    try {
      for (const { email, client } of clients) for (const path of views) expect((await client.get(path)).status, `${email} ${path}`).toBe(200);
      expect(prepare.mock.calls.map(([source]) => String(source).replace(/\s+/g, ' ').slice(0, 120))).toEqual([]);
    } finally {
      prepare.mockRestore();
    }
  });
});
