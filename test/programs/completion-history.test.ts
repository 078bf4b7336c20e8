// Completion over time as kept by the background job: each kept week equals the chart's rule counted from
// the rows (historyFromRows) when it is kept, writes afterwards change the future only, and the last point
// is the dashboard's figures.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enrollments, people } from '../../db/schema';
import type { Person } from '../../src/context';
import { updatePerson } from '../../src/people/people';
import { visibleScope } from '../../src/people/scope';
import { endEnrollment, enrollPeople } from '../../src/programs/enrollment';
import { addRequirement, createProgram, updateProgram } from '../../src/programs/programs';
import { signOff } from '../../src/programs/sign-offs';
import { startCompletionCyclesJob } from '../../src/programs/tracking';
import {
  HISTORY_WEEKS,
  WEEK_MS,
  completionHistory,
  historyFromRows,
  recordCompletionHistory,
  weekStart,
  type HistoryPoint,
} from '../../src/programs/completion-history';
import { completionSummary } from '../../src/programs/reports';
import type { ReportFilter } from '../../src/programs/report-queries';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
const hrActor = () => ({ personId: company.people['hr@example.com'] });
const personRow = (id: number) => t.db.select().from(people).where(eq(people.id, id)).get() as Person;
const viewerOf = (email: string) => ({ person: personRow(company.people[email]) });
const DAY = 86_400_000;

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

/** Two programs, people enrolled in each (one without a team), a manager with a report outside their team. */
function fixture() {
  const onboarding = createProgram(t.db, t.clock, hrActor(), { name: 'Sales onboarding', kind: 'onboarding', description: '', dueSoonDays: 7 });
  addRequirement(t.db, t.clock, hrActor(), onboarding.id, { title: 'Call', kind: 'events', eventKind: 'sales_call', count: 2, dueOffsetDays: 10 });
  const sign = addRequirement(t.db, t.clock, hrActor(), onboarding.id, { title: 'Manager sign-off', kind: 'sign_off', count: 1, dueOffsetDays: 30 });
  const basics = createProgram(t.db, t.clock, hrActor(), { name: 'Product basics', kind: 'onboarding', description: '', dueSoonDays: 3 });
  const basicsSign = addRequirement(t.db, t.clock, hrActor(), basics.id, { title: 'Basics sign-off', kind: 'sign_off', count: 1, dueOffsetDays: 21 });
  const teamless = t.db
    .insert(people)
    .values({ email: 'free@example.com', name: 'Fay Free', department: 'sales', hireDate: '2024-01-15', timeZone: 'UTC' })
    .returning()
    .get().id;
  // Dora (Demand Generation) reports to the sales manager: a person of their scope outside their teams.
  t.db.update(people).set({ managerId: company.people['sales.manager@example.com'] }).where(eq(people.id, company.people['demand@example.com'])).run();
  const p = company.people;
  // Onboarding starts on the hire date: hires of the last weeks, so the weeks differ.
  const hired: [number, string][] = [
    [p['rep@example.com'], '2026-01-12'],
    [p['rep2@example.com'], '2026-02-02'],
    [p['westrep@example.com'], '2026-01-26'],
    [p['demand@example.com'], '2026-02-16'],
    [teamless, '2026-01-05'],
    [p['marketer@example.com'], '2026-02-09'],
    [p['marketer2@example.com'], '2026-02-23'],
  ];
  for (const [id, hireDate] of hired) t.db.update(people).set({ hireDate }).where(eq(people.id, id)).run();
  enrollPeople(
    t.db,
    onboarding.id,
    [p['rep@example.com'], p['rep2@example.com'], p['westrep@example.com'], p['demand@example.com'], teamless],
    hrActor(),
    t.clock,
  );
  enrollPeople(t.db, basics.id, [p['marketer@example.com'], p['rep@example.com']], hrActor(), t.clock);
  return { onboarding, sign, basics, basicsSign, teamless };
}

/** The filters the chart is asked with: everyone, a program, a team, managers' scopes with and without them. */
function filtersOf(f: ReturnType<typeof fixture>): [string, ReportFilter][] {
  const scope = (email: string) => {
    const s = visibleScope(t.db, viewerOf(email))!;
    return { personIds: s.personIds, teamIds: s.teamIds, managerId: company.people[email] };
  };
  const sales = scope('sales.manager@example.com');
  expect(sales.personIds).toContain(company.people['demand@example.com']);
  return [
    ['everyone', {}],
    ['onboarding', { programId: f.onboarding.id }],
    ['basics', { programId: f.basics.id }],
    ['Sales East', { teamId: company.teams['Sales East'] }],
    ['Sales West onboarding', { programId: f.onboarding.id, teamId: company.teams['Sales West'] }],
    ['sales manager', sales],
    ['sales manager onboarding', { ...sales, programId: f.onboarding.id }],
    ['sales manager, Demand Generation', { ...sales, teamId: company.teams['Demand Generation'] }],
    ['marketing manager', scope('marketing.manager@example.com')],
  ];
}

const figures = (points: HistoryPoint[]) => points.map((p) => [p.at.toISOString(), p.total, p.done, p.overdue]);

/** The kept weeks of the chart, and the same weeks counted from the rows now. */
function keptAndRecounted(filter: ReportFilter) {
  const kept = completionHistory(t.db, t.clock.now(), filter).slice(0, -1);
  const last = weekStart(t.clock.now().getTime() - 1);
  const first = last - (HISTORY_WEEKS - 1) * WEEK_MS;
  const recounted = historyFromRows(t.db, filter, first, WEEK_MS, HISTORY_WEEKS).filter((p) => kept.some((k) => k.at.getTime() === p.at.getTime()));
  return { kept: figures(kept), recounted: figures(recounted) };
}

/** Every filter: the kept weeks are the rule counted from the rows, and the last point is the dashboard's. */
function expectKeptEqualsRecount(filters: [string, ReportFilter][]) {
  for (const [name, filter] of filters) {
    // A manager's sums kept per manager are their teams' kept weeks and totals summed.
    if (filter.managerId !== undefined) {
      const { managerId: _, ...perTeam } = filter;
      expect(figures(completionHistory(t.db, t.clock.now(), filter)), `${name} kept per manager`).toEqual(
        figures(completionHistory(t.db, t.clock.now(), perTeam)),
      );
    }
    const { kept, recounted } = keptAndRecounted(filter);
    expect(kept.length, name).toBe(HISTORY_WEEKS);
    expect(kept, name).toEqual(recounted);
    const now = completionHistory(t.db, t.clock.now(), filter).at(-1)!;
    const dashboard = completionSummary(t.db, t.clock.now(), filter, 3)!.totals;
    expect([now.at.getTime(), now.total, now.done, now.overdue], name).toEqual([t.clock.now().getTime(), dashboard.total, dashboard.done, dashboard.overdue]);
  }
}

/** A week passes and the background job runs. */
function nextWeek() {
  t.clock.advance(7 * DAY);
  recordCompletionHistory(t.db, t.clock.now());
}

describe('completion over time, kept per week', () => {
  it('keeps each week as the rule counts it from the rows, through completions, enrollments, ended ones, archiving and team moves', () => {
    const f = fixture();
    const filters = filtersOf(f);
    recordCompletionHistory(t.db, t.clock.now());
    expect(
      completionHistory(t.db, t.clock.now())
        .map((p) => p.at.toISOString())
        .slice(-3),
    ).toEqual(['2026-02-23T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-02T12:00:00.000Z']);
    expectKeptEqualsRecount(filters);
    const everyone = completionHistory(t.db, t.clock.now()).at(-2)!;
    // 5 people × 2 onboarding rows (every call overdue by 2 Mar, the sign-offs of those hired by 26 Jan)
    // and 2 basics rows (Rita's overdue; Mark's due on 2 Mar, by its end in Berlin).
    expect([everyone.total, everyone.done, everyone.overdue]).toEqual([12, 0, 9]);
    expect(figures(completionHistory(t.db, t.clock.now(), { programId: f.onboarding.id }).slice(-6, -1))).toEqual([
      ['2026-02-02T00:00:00.000Z', 8, 0, 2],
      ['2026-02-09T00:00:00.000Z', 8, 0, 4],
      ['2026-02-16T00:00:00.000Z', 10, 0, 6],
      ['2026-02-23T00:00:00.000Z', 10, 0, 6],
      ['2026-03-02T00:00:00.000Z', 10, 0, 8],
    ]);

    // A completion: counts from the week after.
    nextWeek();
    signOff(t.db, t.clock, viewerOf('sales.manager@example.com'), company.people['rep@example.com'], f.sign.id, '');
    nextWeek();
    expectKeptEqualsRecount(filters);
    expect(completionHistory(t.db, t.clock.now(), { programId: f.onboarding.id }).at(-2)!.done).toBe(1);

    // An enrollment ended: its open rows stop counting from then on.
    const ended = t.db.select().from(enrollments).where(eq(enrollments.personId, company.people['rep2@example.com'])).get()!;
    endEnrollment(t.db, t.clock, hrActor(), ended.id);
    nextWeek();
    expectKeptEqualsRecount(filters);

    // A hire enrolled ahead of their first day, tomorrow (onboarding counts from the hire date's start).
    const hire = t.db
      .insert(people)
      .values({
        email: 'new@example.com',
        name: 'Ned New',
        department: 'sales',
        teamId: company.teams['Sales West'],
        hireDate: new Date(t.clock.now().getTime() + DAY).toISOString().slice(0, 10),
        timeZone: 'UTC',
      })
      .returning()
      .get().id;
    enrollPeople(t.db, f.basics.id, [hire], hrActor(), t.clock);
    nextWeek();
    expectKeptEqualsRecount(filters);

    // Archiving a program hides its past too, as on the dashboard.
    const withBasics = completionHistory(t.db, t.clock.now()).at(-2)!.total;
    updateProgram(t.db, t.clock, hrActor(), f.basics.id, { active: false });
    expectKeptEqualsRecount(filters);
    expect(completionHistory(t.db, t.clock.now()).at(-2)!.total).toBeLessThan(withBasics);
    updateProgram(t.db, t.clock, hrActor(), f.basics.id, { active: true });
    nextWeek();
    expectKeptEqualsRecount(filters);

    // A team move: the weeks kept before it stay with the old team (answers change the future only), while
    // a recount from the rows (which carry the new team) would move the person's past along.
    const salesScope = () => {
      const s = visibleScope(t.db, viewerOf('sales.manager@example.com'))!;
      return { personIds: s.personIds, teamIds: s.teamIds };
    };
    const before = figures(completionHistory(t.db, t.clock.now(), salesScope()).slice(0, -1));
    updatePerson(t.db, t.clock, hrActor(), company.people['rep@example.com'], {
      teamId: company.teams['Sales West'],
      managerId: company.people['west.manager@example.com'],
    });
    nextWeek();
    const after = figures(completionHistory(t.db, t.clock.now(), salesScope()).slice(0, -1));
    expect(after.slice(0, -1)).toEqual(before.slice(1));
    // A recount would take Rita's past out of her old manager's chart (the scope by people's current team):
    // her three rows until she moved, her done sign-off (a row of Sales East) since.
    const { kept, recounted } = keptAndRecounted(salesScope());
    expect(kept.map((k, i) => (k[1] as number) - (recounted[i]![1] as number))).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1]);
    // By team, as the rows carry it, the kept weeks are the recount.
    expectKeptEqualsRecount([
      ['Sales East', { teamId: company.teams['Sales East'] }],
      ['Sales West', { teamId: company.teams['Sales West'] }],
    ]);
    // Everyone, a program, a team: still the recount, and the dashboard now.
    expectKeptEqualsRecount(filters.filter(([, filter]) => !filter.personIds));
  });

  it('never counts a kept week again: a back-dated enrollment changes the future only', () => {
    const f = fixture();
    recordCompletionHistory(t.db, t.clock.now());
    const kept = figures(completionHistory(t.db, t.clock.now()));
    // Hired on 23 Feb, enrolled now: the recount would put her into the last week.
    enrollPeople(t.db, f.onboarding.id, [company.people['marketer2@example.com']], hrActor(), t.clock);
    recordCompletionHistory(t.db, t.clock.now());
    const again = figures(completionHistory(t.db, t.clock.now()));
    expect(again.slice(0, -1)).toEqual(kept.slice(0, -1));
    expect(keptAndRecounted({}).recounted).not.toEqual(keptAndRecounted({}).kept);
    expect(again.at(-1)![1]).toBe((kept.at(-1)![1] as number) + 2);
  });

  it('leaves out a week the job has not kept yet, and the job keeps the weeks at start', () => {
    fixture();
    expect(completionHistory(t.db, t.clock.now())).toHaveLength(1);
    const stop = startCompletionCyclesJob(t.db, t.clock, 3_600_000);
    stop();
    expect(completionHistory(t.db, t.clock.now())).toHaveLength(HISTORY_WEEKS + 1);
    // Monday 00:30, before the hourly job: the week that just began is not shown yet.
    t.clock.set('2026-03-09T00:30:00Z');
    const points = completionHistory(t.db, t.clock.now());
    expect(points.map((p) => p.at.toISOString()).slice(-2)).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-09T00:30:00.000Z']);
    expect(points).toHaveLength(HISTORY_WEEKS);
    recordCompletionHistory(t.db, t.clock.now());
    expect(
      completionHistory(t.db, t.clock.now())
        .map((p) => p.at.toISOString())
        .slice(-2),
    ).toEqual(['2026-03-09T00:00:00.000Z', '2026-03-09T00:30:00.000Z']);
  });

  it('starts weeks on Monday 00:00 UTC', () => {
    expect(new Date(weekStart(Date.parse('2026-03-02T12:00:00Z'))).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(new Date(weekStart(Date.parse('2026-03-08T23:59:59Z'))).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(new Date(weekStart(Date.parse('2026-03-09T00:00:00Z'))).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(new Date(weekStart(Date.parse('1969-12-31T00:00:00Z'))).toISOString()).toBe('1969-12-29T00:00:00.000Z');
  });
});

describe('the chart page', () => {
  it('shows HR everyone and a manager their scope, from the kept weeks and the dashboard of now', async () => {
    const f = fixture();
    recordCompletionHistory(t.db, t.clock.now());
    const hr = await sessionAs(t, 'hr@example.com').get('/programs/dashboard/chart');
    expect(hr.status).toBe(200);
    const page = await hr.text();
    expect(page).toContain('Completion over time');
    expect(page).toContain('Each week is counted at its start (Monday 00:00 UTC)');
    // From 15 Dec (nothing yet) to now: 12 rows, none done, 9 overdue.
    expect(page).toContain('Completion over the last 12 weeks: from 0% to 0% done; 9 overdue now.');
    expect(page).toContain('<title>2 Mar: 0% done (0 of 12), 9 overdue</title>');
    expect(page).toContain('<title>26 Jan: 0% done (0 of 7), 2 overdue</title>');

    signOff(t.db, t.clock, viewerOf('sales.manager@example.com'), company.people['rep@example.com'], f.sign.id, '');
    const manager = sessionAs(t, 'sales.manager@example.com');
    const partial = await manager.get(`/programs/dashboard/chart?program=${f.onboarding.id}`, { 'hx-request': 'true' });
    expect(partial.status).toBe(200);
    const chart = await partial.text();
    expect(chart).toMatch(/^<figure class="chart"><svg/);
    // Sales East (Rita, Ravi) and Dora outside the team: 6 rows, Rita's (overdue) sign-off done now.
    expect(chart).toContain('from 0% to 16% done; 3 overdue now.');
    expect(chart).toContain('<title>2 Mar: 0% done (0 of 6), 4 overdue</title>');
    expect(chart).not.toContain('of 12');
    const team = await manager.get(`/programs/dashboard/chart?team=${company.teams['Sales West']}`, { 'hx-request': 'true' });
    expect(team.status).toBe(200);
    expect(await team.text()).toContain('No history yet.');
    expect((await manager.get('/programs/dashboard/chart?program=abc')).status).toBe(400);
  });
});
