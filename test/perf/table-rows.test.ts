/*
 * tableRows decodes whole rows read as arrays exactly as drizzle's select does (dates, booleans,
 * nulls, text enums), so a hot read may skip drizzle's per-row mapping without changing what callers get.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { events, invitations, people } from '../../db/schema';
import { tableRows } from '../../src/db';
import { createEvent } from '../../src/events/events';
import { invitePeople } from '../../src/events/invitations';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

describe('tableRows', () => {
  it('reads rows of events, invitations and people as drizzle selects them, from any column offset', () => {
    const rep = t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
    const details = {
      kind: 'sales_call' as const,
      title: 'Weekly with Acme',
      description: 'Pipeline review',
      hostId: rep.id,
      startLocal: '2026-03-03T10:00',
      timeZone: 'Europe/Berlin',
      durationMinutes: 45,
      seats: 3,
      rrule: 'FREQ=WEEKLY;COUNT=6',
      account: 'Acme Corp',
      opportunityStage: 'discovery' as const,
      location: null,
      meetingUrl: null,
      topic: null,
    };
    const weekly = createEvent(t.db, t.clock, { personId: rep.id }, rep, details);
    createEvent(t.db, t.clock, { personId: rep.id }, rep, { ...details, title: 'One call', rrule: null, description: '' });
    invitePeople(t.db, t.clock, { personId: rep.id }, rep, weekly.id, [company.people['marketer@example.com']!, company.people['demand@example.com']!], null);

    for (const table of [events, invitations, people] as const) {
      const rows = tableRows(table, 't');
      // One leading column, so the rows are read from an offset as in a join.
      const raw = t.db.$client
        .prepare(`SELECT 7, ${rows.columns} FROM ${table === events ? 'events' : table === invitations ? 'invitations' : 'people'} t ORDER BY t.id`)
        .raw(true)
        .all() as unknown[][];
      const expected = t.db.select().from(table).orderBy(asc(table.id)).all();
      expect(expected.length).toBeGreaterThan(1);
      expect(raw.map((values) => rows.decode(values, 1))).toEqual(expected);
    }
  });
});
