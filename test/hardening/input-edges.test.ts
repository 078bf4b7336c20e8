/**
 * Edges of input answer 400 with a message, never 500: dates at the ends of what a calendar can
 * hold (through the shared date schemas, so every route benefits) and control characters in
 * one-line text (through the shared single-line rule every schema uses).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events, people, teams } from '../../db/schema';
import { dateSchema, instantSchema } from '../../src/lib/validation';
import { createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp({ now: '2026-12-05T12:00:00Z' });
  await seedCompany(t.db);
});
afterEach(() => t.close());

const EDGE_DATES = [
  '9999-12-31',
  '9999-01-01',
  '0001-01-01',
  '0000-01-01',
  '1899-12-31',
  '2200-01-01',
  '275760-09-13',
  '-0001-01-01',
  '2026-02-30',
  '2026-13-01',
];
const CONTROL = ['Call\r\nBcc: x@evil.example', 'Line\nbreak', 'Tab\there', 'Nul\u0000', 'Bell\u0007', 'Esc\u001b[31m', 'Del\u007f', 'C1\u0085'];

describe('dates at the edges', () => {
  it('the shared schemas refuse years a calendar cannot do arithmetic in', () => {
    for (const d of EDGE_DATES) expect(dateSchema.safeParse(d).success, d).toBe(false);
    for (const d of ['1900-01-01', '2026-12-05', '2199-12-31']) expect(dateSchema.safeParse(d).success, d).toBe(true);
    for (const i of ['9999-12-31T00:00:00Z', '0001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z']) expect(instantSchema.safeParse(i).success, i).toBe(false);
    expect(instantSchema.safeParse('2026-12-05T12:00:00+01:00').success).toBe(true);
  });

  it('answers 400 on every route the issue named and their neighbours, for each edge date', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const rep = sessionAs(t, 'rep@example.com');
    for (const d of EDGE_DATES) {
      for (const [client, path] of [
        [hr, `/api/v1/feedback?to=${d}`],
        [hr, `/api/v1/feedback?from=${d}`],
        [rep, `/?date=${d}`],
        [rep, `/open-seats?from=${d}`],
        [rep, `/open-seats?to=${d}`],
        [hr, `/insights?to=${d}`],
        [hr, `/insights?from=${d}`],
        [hr, `/api/v1/events?from=${d}T00:00:00Z`],
        [hr, `/api/v1/events?to=${d}T00:00:00Z`],
      ] as const) {
        const res = await client.get(path);
        expect(res.status, path).toBe(400);
      }
    }
  });
});

describe('control characters in one-line text', () => {
  it('refuses them in event titles, accounts and places with a field message (form and API)', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const before = t.db.select().from(events).all().length;
    for (const bad of CONTROL) {
      const form = { kind: 'sales_call', date: '2027-01-05', startTime: '09:00', endTime: '10:00', timeZone: 'UTC', seats: 1, repeat: 'none' };
      for (const field of ['title', 'account', 'location']) {
        const res = await rep.form('/events', { ...form, title: 'Fine title', [field]: bad });
        expect(res.status, `${field} ${JSON.stringify(bad)}`).toBe(400);
        expect(await res.text()).toContain('one line, without control characters');
      }
      const api = await rep.json('POST', '/api/v1/events', {
        kind: 'sales_call',
        title: bad,
        start: '2027-01-05T09:00',
        end: '2027-01-05T10:00',
        timeZone: 'UTC',
        seats: 1,
      });
      expect(api.status, JSON.stringify(bad)).toBe(400);
    }
    expect(t.db.select().from(events).all().length).toBe(before);
  });

  it('refuses them in names of people and teams', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const peopleBefore = t.db.select().from(people).all().length;
    const teamsBefore = t.db.select().from(teams).all().length;
    for (const bad of CONTROL) {
      const person = await hr.json('POST', '/api/v1/people', {
        email: `x${CONTROL.indexOf(bad)}@example.com`,
        name: bad,
        department: 'sales',
        role: 'employee',
        hireDate: '2026-01-01',
        timeZone: 'UTC',
      });
      expect(person.status, JSON.stringify(bad)).toBe(400);
      const team = await hr.form('/teams', { name: bad, department: 'sales' });
      expect(team.status, JSON.stringify(bad)).toBe(400);
    }
    expect(t.db.select().from(people).all().length).toBe(peopleBefore);
    expect(t.db.select().from(teams).all().length).toBe(teamsBefore);
  });
});
