import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, feedbackCompetitors, fieldNames } from '../../db/schema';
import { fieldInsights } from '../../src/feedback/insights';
import { listKeptNames, mergeKeptNames, separateKeptName, suggestKeptNames, suggestMerges } from '../../src/feedback/names';
import { likelyDuplicates, rankNames } from '../../src/matching/names';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { seedRideAlongs } from './scenario';

let t: TestContext;
let company: SeededCompany;
let rides: ReturnType<typeof seedRideAlongs>;

beforeEach(async () => {
  t = createTestApp({ now: '2026-02-01T12:00:00Z' });
  company = await seedCompany(t.db);
  rides = seedRideAlongs(t);
});
afterEach(() => t.close());

const hr = () => ({ personId: company.people['hr@example.com']! });
const nameId = (kind: 'competitor' | 'material', name: string) =>
  t.db
    .select()
    .from(fieldNames)
    .where(eq(fieldNames.key, name.toLowerCase()))
    .all()
    .find((n) => n.kind === kind)!.id;
const allTime = () => fieldInsights(t.db, { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });

async function report(email: string, occurrenceId: string, competitors: string[], materials: { name: string; rating: number }[] = []) {
  const res = await sessionAs(t, email).json('POST', '/api/v1/feedback', { occurrenceId, competitors, outcome: 'open', materials });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function hooliReports() {
  t.clock.set('2026-03-20T12:00:00Z');
  await report('marketer@example.com', rides.occurrence.a, ['Hooli CRM', 'Globex'], [{ name: 'Pricing deck', rating: 2 }]);
  await report('rep@example.com', rides.occurrence.a, ['hooli'], [{ name: 'pricing one-pager', rating: 4 }]);
  await report('marketer2@example.com', rides.occurrence.b, ['Hooli'], [{ name: 'Pricing deck', rating: 4 }]);
}

describe('the matching engine on names (pure)', () => {
  const names = [
    { id: 1, name: 'Hooli CRM', aliases: ['Hooli Cloud'] },
    { id: 2, name: 'Globex Analytics', aliases: [] },
    { id: 3, name: 'Initech', aliases: [] },
  ];
  it('suggests by containment, typos and aliases, best first', () => {
    expect(rankNames('hooli', names)[0]).toMatchObject({ id: 1, name: 'Hooli CRM' });
    expect(rankNames('Globx Analytics', names)[0]).toMatchObject({ id: 2 });
    expect(rankNames('hooli cloud', names)[0]).toMatchObject({ id: 1, score: 1, via: 'Hooli Cloud' });
    expect(rankNames('Umbrella', names)).toEqual([]);
  });
  it('finds likely duplicates', () => {
    const pairs = likelyDuplicates([...names, { id: 4, name: 'hooli', aliases: [] }, { id: 5, name: 'Initech Corp', aliases: [] }]);
    expect(pairs.map((p) => [p.a.id, p.b.id].sort())).toEqual(
      expect.arrayContaining([
        [1, 4],
        [3, 5],
      ]),
    );
    expect(pairs.some((p) => [p.a.id, p.b.id].includes(2))).toBe(false);
  });
});

describe('kept names (domain)', () => {
  it('keeps one name per spelling, and merged aliases count together in every aggregate', async () => {
    await hooliReports();
    const before = allTime();
    expect(before.competitors.map((c) => [c.name, c.reports])).toEqual([
      ['hooli', 2],
      ['Globex', 1],
      ['Hooli CRM', 1],
    ]);
    // "hooli" and "Hooli" are one kept name already (case and spacing do not make a new one).
    expect(
      t.db
        .select()
        .from(feedbackCompetitors)
        .all()
        .filter((c) => c.key === 'hooli'),
    ).toHaveLength(2);

    const merged = mergeKeptNames(t.db, t.clock, hr(), {
      kind: 'competitor',
      canonicalId: nameId('competitor', 'Hooli CRM'),
      mergedIds: [nameId('competitor', 'hooli')],
    });
    expect(merged.canonical.name).toBe('Hooli CRM');
    const after = allTime();
    expect(after.competitors[0]).toEqual({ name: 'Hooli CRM', reports: 3, rideAlongs: 2 });
    expect(after.competitors.map((c) => c.name)).toEqual(['Hooli CRM', 'Globex']);

    mergeKeptNames(t.db, t.clock, hr(), {
      kind: 'material',
      canonicalId: nameId('material', 'Pricing deck'),
      mergedIds: [nameId('material', 'pricing one-pager')],
    });
    const materials = allTime().materials;
    expect(materials).toEqual([{ name: 'Pricing deck', reports: 3, averageRating: 3.33 }]);
    expect(allTime().ratingsOverTime.lines.map((l) => l.name)).toEqual(['Pricing deck']);

    const audit = t.db.select().from(auditLog).where(eq(auditLog.action, 'field_name.merge')).all();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.after).toMatchObject({ canonical: 'Hooli CRM', aliases: ['hooli'] });

    // The listing shows the canonical name with its aliases; a new report written "HOOLI" counts as Hooli CRM.
    const list = listKeptNames(t.db, 'competitor').rows;
    expect(list[0]).toMatchObject({ name: 'Hooli CRM', reports: 3, aliases: [{ name: 'hooli', reports: 2 }] });
    await report('demand@example.com', rides.occurrence.b, ['HOOLI', 'Hooli CRM']);
    expect(allTime().competitors[0]).toEqual({ name: 'Hooli CRM', reports: 4, rideAlongs: 2 });
    // Two names of one material in one report are refused.
    const twice = await sessionAs(t, 'westrep@example.com').json('POST', '/api/v1/feedback', {
      occurrenceId: rides.occurrence.b,
      outcome: 'open',
      materials: [
        { name: 'Pricing deck', rating: 3 },
        { name: 'Pricing One-Pager', rating: 4 },
      ],
    });
    expect(twice.status).toBe(400);

    // Separating undoes it.
    separateKeptName(t.db, t.clock, hr(), 'competitor', nameId('competitor', 'hooli'));
    expect(
      allTime()
        .competitors.filter((c) => c.name.toLowerCase().startsWith('hooli'))
        .map((c) => [c.name, c.reports]),
    ).toEqual([
      ['hooli', 3],
      ['Hooli CRM', 2],
    ]);
  });

  it('merging into an alias means its canonical name; a chain is flattened', async () => {
    await hooliReports();
    const crm = nameId('competitor', 'Hooli CRM');
    const hooli = nameId('competitor', 'hooli');
    const globex = nameId('competitor', 'Globex');
    mergeKeptNames(t.db, t.clock, hr(), { kind: 'competitor', canonicalId: hooli, mergedIds: [crm] });
    mergeKeptNames(t.db, t.clock, hr(), { kind: 'competitor', canonicalId: globex, mergedIds: [crm] });
    const rows = t.db
      .select()
      .from(fieldNames)
      .all()
      .filter((n) => n.kind === 'competitor');
    expect(rows.filter((n) => n.mergedIntoId !== null).every((n) => n.mergedIntoId === globex)).toBe(true);
    expect(() => mergeKeptNames(t.db, t.clock, hr(), { kind: 'competitor', canonicalId: globex, mergedIds: [hooli] })).toThrow(/one already/);
  });

  it('suggests kept names while typing and likely duplicates for merging', async () => {
    await hooliReports();
    expect(suggestKeptNames(t.db, 'competitor', 'hool').map((m) => m.name)).toContain('Hooli CRM');
    const merges = suggestMerges(t.db, 'competitor');
    expect(merges[0]).toMatchObject({ keep: { name: 'hooli', reports: 2 }, merge: { name: 'Hooli CRM', reports: 1 } });
  });

  it('existing free text was migrated into the lists (every row linked to a kept name)', async () => {
    await hooliReports();
    expect(
      t.db
        .select()
        .from(feedbackCompetitors)
        .all()
        .every((c) => c.nameId !== null),
    ).toBe(true);
  });
});

describe('kept names over HTTP', () => {
  it('marketing managers and HR merge on the names page; others may not; the form offers the names', async () => {
    await hooliReports();
    const manager = sessionAs(t, 'marketing.manager@example.com');
    const page = await manager.get('/insights/names?kind=competitor');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Probably the same');
    expect(html).toContain('Merge “Hooli CRM” into “hooli”');
    for (const email of ['sales.manager@example.com', 'marketer@example.com']) expect((await sessionAs(t, email).get('/insights/names')).status).toBe(403);
    expect((await sessionAs(t, 'sales.manager@example.com').form('/insights/names/merge', { kind: 'competitor', canonicalId: 1, mergedIds: 2 })).status).toBe(
      403,
    );

    const bad = await manager.form('/insights/names/merge', { kind: 'competitor', canonicalId: nameId('competitor', 'Hooli CRM') });
    expect(bad.status).toBe(400);
    const res = await manager.form('/insights/names/merge', {
      kind: 'competitor',
      canonicalId: nameId('competitor', 'Hooli CRM'),
      mergedIds: [nameId('competitor', 'hooli')],
    });
    expect(res.status).toBe(303);
    const insights = (await (await manager.get('/api/v1/insights?from=2026-01-01&to=2026-12-31')).json()) as {
      competitors: { name: string; reports: number }[];
    };
    expect(insights.competitors[0]).toMatchObject({ name: 'Hooli CRM', reports: 3 });
    const sep = await manager.form(`/insights/names/${nameId('competitor', 'hooli')}/separate`, { kind: 'competitor' });
    expect(sep.status).toBe(303);

    const suggest = await sessionAs(t, 'marketer@example.com').get('/feedback/names/suggest?kind=competitor&field=competitors&competitors=Globex%2C%20hool');
    expect(await suggest.text()).toContain('Hooli CRM');
    const complete = await sessionAs(t, 'marketer@example.com').get(
      `/feedback/names/complete?kind=competitor&field=competitors&competitors=${encodeURIComponent('Globex, hool')}&pick=${encodeURIComponent('Hooli CRM')}`,
    );
    expect(await complete.text()).toContain('value="Globex, Hooli CRM"');
    expect((await sessionAs(t, 'marketer@example.com').get('/feedback/names/suggest?kind=competitor&field=evil')).status).toBe(400);
  });
});
