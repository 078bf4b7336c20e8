/*
 * Concurrency with real parallelism: three server processes on one SQLite file (as a deployment
 * with several instances would run) and many clients at once. Seats are never overbooked, no answer
 * is lost, concurrent plan commits never double-book a person, and nobody sees a 5xx (SQLite busy
 * handling: BEGIN IMMEDIATE plus the busy timeout).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScaleDatabase, type ScaleCompany } from '../../scripts/seed-scale';
import { startBenchServer, type BenchServer } from '../../bench/load';
import { createBenchContext, formAs, apiWithToken, type BenchContext } from '../../bench/context';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import { openDatabase, type Db } from '../../src/db';
import { seededRandom } from '../../src/demo';
import { systemClock } from '../../src/lib/clock';
import { createEvent } from '../../src/events/events';
import { invitePeople } from '../../src/events/invitations';
import { occurrenceKey } from '../../src/events/recurrence';
import { zonedLocalToUtc } from '../../src/lib/time';
import type { RequestSpec } from '../../bench/load';

let dir: string;
let db: Db;
let company: ScaleCompany;
let ctx: BenchContext;
let servers: BenchServer[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosstrain-concurrency-'));
  const path = join(dir, 'company.db');
  company = await buildScaleDatabase(path, { people: 400, teams: 8, features: [], passwordHash: 'not-used', strict: true });
  db = openDatabase(path);
  ctx = createBenchContext(db, company, seededRandom(5));
  // Three separate one-process servers (WORKERS=1), as three instances of a deployment would run.
  servers = await Promise.all([0, 1, 2].map(() => startBenchServer('app', path, { WORKERS: '1' })));
}, 120_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  db?.$client.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Sends every request at once, spread over the three servers. */
async function fire(specs: RequestSpec[]) {
  return Promise.all(
    specs.map(async (spec, i) => {
      const res = await fetch(`${servers[i % servers.length].url}${spec.path}`, {
        method: spec.method ?? 'GET',
        headers: spec.headers,
        body: spec.body,
        redirect: 'manual',
      });
      await res.arrayBuffer();
      return res.status;
    }),
  );
}

const personRow = (id: number) => db.select().from(people).where(eq(people.id, id)).get()!;

function futureSalesCall(seats: number, title: string) {
  const host = personRow(company.salesIds[0]);
  const start = `${new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)}T10:00`;
  const event = createEvent(db, systemClock, { personId: company.key.hr }, personRow(company.key.hr), {
    kind: 'sales_call',
    title,
    description: '',
    hostId: host.id,
    startLocal: start,
    timeZone: host.timeZone,
    durationMinutes: 60,
    seats,
    rrule: null,
    account: 'Concurrency Inc',
    opportunityStage: null,
    location: null,
    meetingUrl: null,
    topic: null,
  });
  return { event, key: occurrenceKey(event.id, zonedLocalToUtc(start, host.timeZone)) };
}

describe('many clients at once on three server processes', () => {
  it('seat claims never overbook and every claimant gets exactly one answer', async () => {
    const { event, key } = futureSalesCall(3, 'Three seats, forty claimants');
    const claimants = company.marketingIds.slice(0, 40);
    const statuses = await fire(claimants.map((id) => formAs(ctx.session(id), '/open-seats/claim', { occurrence: key, confirmConflicts: '1' })));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const rows = db.$client.prepare('SELECT person_id AS personId, status, holds_seat AS holdsSeat FROM invitations WHERE event_id = ?').all(event.id) as {
      personId: number;
      status: string;
      holdsSeat: number;
    }[];
    expect(rows.filter((r) => r.holdsSeat).length).toBe(3);
    expect(rows.filter((r) => r.status === 'accepted').length).toBe(3);
    expect(new Set(rows.map((r) => r.personId)).size).toBe(rows.length);
    expect(rows.length).toBe(claimants.length);
    expect(rows.filter((r) => r.status === 'waitlisted').length).toBe(claimants.length - 3);
  });

  it('invitation answers are never lost and acceptances never exceed the seats', async () => {
    const { event } = futureSalesCall(5, 'Five seats, thirty invitees');
    const invitees = company.marketingIds.slice(40, 70);
    const hr = personRow(company.key.hr);
    invitePeople(db, systemClock, { personId: hr.id }, hr, event.id, invitees, null);
    const ids = db.$client.prepare('SELECT id, person_id AS personId FROM invitations WHERE event_id = ?').all(event.id) as { id: number; personId: number }[];
    // Everyone accepts at once; a third then changes their mind, also at once.
    const accepted = await fire(ids.map((i) => formAs(ctx.session(i.personId), `/invitations/${i.id}/answer`, { status: 'accepted', confirmConflicts: '1' })));
    expect(accepted.filter((s) => s >= 500)).toEqual([]);
    const decliners = ids.filter((_, n) => n % 3 === 0);
    const declined = await fire(decliners.map((i) => apiWithToken(ctx.token, 'PATCH', `/api/v1/invitations/${i.id}`, { status: 'declined' })));
    expect(declined.filter((s) => s >= 500)).toEqual([]);
    const rows = db.$client.prepare('SELECT id, status, holds_seat AS holdsSeat FROM invitations WHERE event_id = ?').all(event.id) as {
      id: number;
      status: string;
      holdsSeat: number;
    }[];
    expect(rows.filter((r) => r.status === 'invited')).toEqual([]);
    expect(rows.filter((r) => r.holdsSeat).length).toBeLessThanOrEqual(5);
    // Freed seats went to the waitlist: still exactly full.
    expect(rows.filter((r) => r.holdsSeat).length).toBe(5);
    const byId = new Map(rows.map((r) => [r.id, r.status]));
    for (const d of decliners) expect(byId.get(d.id)).toBe('declined');
  });

  it('concurrent commits of the same plan place each person once', async () => {
    const rotations = await import('../../src/rotations/programs');
    const programId = rotations.createRotationProgram(
      db,
      systemClock,
      { personId: company.key.hr },
      {
        name: 'Concurrency rotation',
        direction: 'marketing_to_sales',
        lengthWeeks: 2,
        coveragePercent: 50,
        learningGoals: '',
        hostTeams: company.teamIds.sales.map((teamId) => ({ teamId, capacity: 5 })),
        checklist: [],
        active: true,
      },
    ).id;
    const start = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const request = { programId, selection: 'people', personIds: company.marketingIds.slice(0, 20), horizonStart: start, weeks: 12, strictReciprocity: false };
    const proposal = await fetch(`${servers[0].url}/api/v1/rotations/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(proposal.status).toBeLessThan(300);
    const plan = (await proposal.json()) as { rotations: { personId: number; hostTeamId: number; mentorId: number; start: string; end: string }[] };
    expect(plan.rotations.length).toBeGreaterThan(0);
    const commit = apiWithToken(ctx.token, 'POST', '/api/v1/rotations/plan/commit', { request, items: plan.rotations });
    const statuses = await fire([commit, commit, commit, commit, commit, commit]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBe(1);
    const placed = db.$client
      .prepare("SELECT person_id AS personId, count(*) AS n FROM rotations WHERE program_id = ? AND status <> 'cancelled' GROUP BY person_id HAVING n > 1")
      .all(programId);
    expect(placed).toEqual([]);
  });
});
