// The completion dashboard at a size where its shortcuts matter: the completion_counts roll-up the
// company-wide report sums, the weakest teams first with all of them on request, and people a page
// at a time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { enrollments, people, teams } from '../../db/schema';
import type { Person } from '../../src/context';
import { updatePerson, visiblePersonIds } from '../../src/people/people';
import { managerScope } from '../../src/people/scope';
import { addEnrollmentRule, endEnrollment, enrollPeople } from '../../src/programs/enrollment';
import { addRequirement, createProgram, createTopic, removeRequirement, updateProgram } from '../../src/programs/programs';
import { signOff } from '../../src/programs/sign-offs';
import { compareTeams, compareTeamsPage, completionOverview, completionReport, completionReportPage, completionSummary } from '../../src/programs/reports';
import { settleCompletionTotals } from '../../src/programs/completion-totals';
import { recordCompletionHistory } from '../../src/programs/completion-history';
import { peopleProgress } from '../../src/programs/progress';
import { completionCsv } from '../../src/programs/completion-csv';
import { recountCompletions } from '../../src/programs/tracking';
import { markAttendance, markEveryonePresent } from '../../src/programs/attendance';
import { scheduleTrainingSession } from '../../src/programs/sessions';
import { invitePeople } from '../../src/events/invitations';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { reopenAfterRerunning } from '../support/migrations';
import { trainingSessionInput } from '../support/programs';

let t: TestContext;
let company: SeededCompany;
const hrActor = () => ({ personId: company.people['hr@example.com'] });
const hr = () => ({ person: t.db.select().from(people).where(eq(people.email, 'hr@example.com')).get() as Person });

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

/** A program of three requirements (training overdue, sign-off due soon, calls due for hires of 1 Feb). */
function onboardingProgram() {
  const topic = createTopic(t.db, t.clock, hrActor(), { name: 'Competitive advantages 101', description: '' });
  const program = createProgram(t.db, t.clock, hrActor(), { name: 'Sales onboarding', kind: 'onboarding', description: '', dueSoonDays: 7 });
  addRequirement(t.db, t.clock, hrActor(), program.id, {
    title: 'Competitive advantages 101',
    kind: 'training',
    topicId: topic.id,
    count: 1,
    dueOffsetDays: 14,
  });
  const calls = addRequirement(t.db, t.clock, hrActor(), program.id, {
    title: 'Ride along on 2 sales calls',
    kind: 'events',
    eventKind: 'sales_call',
    count: 2,
    dueOffsetDays: 60,
  });
  const sign = addRequirement(t.db, t.clock, hrActor(), program.id, { title: 'Manager sign-off', kind: 'sign_off', count: 1, dueOffsetDays: 30 });
  return { program, calls, sign };
}

/** `teamCount` new sales teams named Team 01…, `perTeam` hires of 1 Feb in each (plus one without a team). */
function hires(teamCount: number, perTeam: number) {
  const teamIds: number[] = [];
  const personIds: number[] = [];
  for (let i = 1; i <= teamCount; i++) {
    const name = `Team ${String(i).padStart(2, '0')}`;
    const teamId = t.db.insert(teams).values({ name, department: 'sales' }).returning().get().id;
    teamIds.push(teamId);
    for (let j = 1; j <= perTeam; j++) {
      const email = `hire${i}-${j}@example.com`;
      personIds.push(
        t.db
          .insert(people)
          .values({ email, name: `${name} Hire ${j}`, department: 'sales', teamId, hireDate: '2026-02-01', timeZone: 'UTC' })
          .returning()
          .get().id,
      );
    }
  }
  personIds.push(
    t.db
      .insert(people)
      .values({ email: 'loner@example.com', name: 'Lou Loner', department: 'marketing', teamId: null, hireDate: '2026-02-01', timeZone: 'UTC' })
      .returning()
      .get().id,
  );
  return { teamIds, personIds };
}

const countsRows = () =>
  t.db.all(
    sql`SELECT team_id, requirement_id, program_id, window_from, window_until, due_at, due_soon_at, done, late, rows FROM completion_counts ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
  );

/** What completion_counts must hold: the current rows of people in teams, counted afresh. */
function recounted() {
  const kept = countsRows();
  recountCompletions(t.db, 'all');
  const fresh = countsRows();
  t.db.run(sql`DELETE FROM completion_counts`);
  for (const r of kept as Record<string, unknown>[]) {
    t.db.run(sql`INSERT INTO completion_counts (team_id, requirement_id, program_id, window_from, window_until, due_at, due_soon_at, done, late, rows)
      VALUES (${r.team_id}, ${r.requirement_id}, ${r.program_id}, ${r.window_from}, ${r.window_until}, ${r.due_at}, ${r.due_soon_at}, ${r.done}, ${r.late}, ${r.rows})`);
  }
  return fresh;
}

/**
 * One of every kind of write that moves completion rows: enrollments and their ends, sign-offs, team
 * moves, deactivation, enrollment rules, attendance each way, a removed requirement, time passing;
 * `check` after each.
 */
function writesOfEveryKind(check: () => void) {
  const { program, calls, sign } = onboardingProgram();
  const { teamIds, personIds } = hires(3, 2);
  const [a, b, c, d] = personIds;
  enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
  expect(countsRows()).not.toEqual([]);
  check();

  signOff(t.db, t.clock, hr(), a, sign.id, '');
  signOff(t.db, t.clock, hr(), c, sign.id, '');
  check();

  // Moving teams takes the person's rows out of the old team's groups.
  updatePerson(t.db, t.clock, hrActor(), b, { teamId: teamIds[2], managerId: null }, { managerConfirmed: true });
  check();
  const enrollmentOf = (personId: number) => t.db.select().from(enrollments).where(eq(enrollments.personId, personId)).get()!;
  endEnrollment(t.db, t.clock, hrActor(), enrollmentOf(d).id);
  check();
  enrollPeople(t.db, program.id, [d], hrActor(), t.clock);
  check();
  updatePerson(t.db, t.clock, hrActor(), c, { active: false });
  check();
  addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { department: 'sales' });
  check();

  // Attendance after the fact, each kind of change, moves completion both ways in the same write.
  const topicId = t.db.all<{ id: number }>(sql`SELECT id FROM training_topics`)[0]!.id;
  const session = scheduleTrainingSession(
    t.db,
    t.clock,
    hrActor(),
    hr().person,
    trainingSessionInput({ topicId, hostId: hr().person.id, startLocal: '2026-03-03T09:00' }),
  );
  invitePeople(t.db, t.clock, hrActor(), hr().person, session.id, [a, b], null);
  t.clock.set('2026-03-04T12:00:00Z');
  const start = new Date('2026-03-03T09:00:00Z');
  const trainingDone = (personId: number) =>
    t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM requirement_completions rc JOIN program_requirements r ON r.id = rc.requirement_id WHERE r.kind = 'training' AND rc.person_id = ${personId} AND rc.completed_at IS NOT NULL`,
    )[0]!.n === 1;
  markEveryonePresent(t.db, t.clock, hrActor(), hr().person, { eventId: session.id, originalStart: start });
  expect([trainingDone(a), trainingDone(b)]).toEqual([true, true]);
  check();
  markAttendance(t.db, t.clock, hrActor(), hr().person, { eventId: session.id, originalStart: start }, [{ personId: b, status: 'no_show' }]);
  expect(trainingDone(b)).toBe(false);
  check();
  markAttendance(t.db, t.clock, hrActor(), hr().person, { eventId: session.id, originalStart: start }, [{ personId: d, status: 'attended', walkIn: true }]);
  expect(trainingDone(d)).toBe(true);
  check();
  markAttendance(t.db, t.clock, hrActor(), hr().person, { eventId: session.id, originalStart: start }, [], [a, d]);
  expect([trainingDone(a), trainingDone(d)]).toEqual([false, false]);
  check();
  markAttendance(t.db, t.clock, hrActor(), hr().person, { eventId: session.id, originalStart: start }, [{ personId: b, status: 'attended' }]);
  expect(trainingDone(b)).toBe(true);
  check();
  removeRequirement(t.db, t.clock, hrActor(), program.id, calls.id);
  check();
  updateProgram(t.db, t.clock, hrActor(), program.id, { dueSoonDays: 21 });
  check();
  // Archived, the program leaves the figures of every active program; restored, it comes back.
  updateProgram(t.db, t.clock, hrActor(), program.id, { active: false });
  check();
  updateProgram(t.db, t.clock, hrActor(), program.id, { active: true });
  check();
  // Time passing changes no count, only what the report makes of them.
  t.clock.set('2026-03-20T12:00:00Z');
  check();
}

describe('completion_counts', () => {
  it('stays equal to the rows it rolls up through enrollments, evidence, team moves, ends and removals', () => {
    writesOfEveryKind(() => expect(countsRows()).toEqual(recounted()));
  });

  it('gives HR the same report as counting every person’s rows, people without a team included', () => {
    const { program, sign } = onboardingProgram();
    const { personIds } = hires(3, 2);
    // A second person without a team, of the other department: each counts in their own.
    personIds.push(
      t.db
        .insert(people)
        .values({ email: 'drifter@example.com', name: 'Dee Drifter', department: 'sales', teamId: null, hireDate: '2026-02-01', timeZone: 'UTC' })
        .returning()
        .get().id,
    );
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    signOff(t.db, t.clock, hr(), personIds[0], sign.id, '');
    signOff(t.db, t.clock, hr(), personIds.at(-1)!, sign.id, '');
    const everyone = t.db.all<{ id: number }>(sql`SELECT id FROM people`).map((p) => p.id);
    for (const at of ['2026-03-02T12:00:00Z', '2026-03-28T12:00:00Z']) {
      t.clock.set(at);
      for (const scope of [{}, { programId: program.id }, { teamId: company.teams['Sales East'] }]) {
        const rolledUp = completionReport(t.db, t.clock.now(), scope);
        const fromRows = completionReport(t.db, t.clock.now(), { ...scope, personIds: everyone });
        expect(rolledUp, `${at} ${JSON.stringify(scope)}`).toEqual(fromRows);
      }
    }
    const report = completionReport(t.db, t.clock.now(), {});
    expect(report.byTeam.find((team) => team.teamId === null)).toMatchObject({ teamName: 'No team', total: 6, done: 1, people: 2 });
    expect(report.byDepartment.map((d) => [d.department, d.total, d.done])).toEqual([
      ['marketing', 3, 0],
      ['sales', 21, 2],
    ]);
    expect(completionReport(t.db, t.clock.now(), { state: 'due_soon', personIds: everyone }).byDepartment.map((d) => [d.department, d.total])).toEqual([
      ['marketing', 3],
      ['sales', 21],
    ]);
    // Each state names its people (overdue and due soon from the index of rows not done, done from the index of rows done,
    // due from the scope's rows): the same figures and people as the people with such a row, counted afresh.
    const found = { overdue: 0, due_soon: 0, due: 0, done: 0 };
    for (const at of ['2026-03-02T12:00:00Z', '2026-03-20T12:00:00Z', '2026-04-20T12:00:00Z']) {
      t.clock.set(at);
      const now = t.clock.now().getTime();
      for (const state of ['overdue', 'due_soon', 'due', 'done'] as const) {
        for (const scope of [{}, { programId: program.id }, { teamId: company.teams['Sales East'] }, { personIds: everyone.slice(0, 4) }]) {
          const withState = t.db.$client
            .prepare(
              `SELECT DISTINCT person_id AS id FROM requirement_completions WHERE active = 1 AND window_from <= @now AND (window_until IS NULL OR window_until > @now)
               AND CASE WHEN completed_at IS NOT NULL THEN 'done' WHEN due_at <= @now THEN 'overdue' WHEN due_soon_at <= @now THEN 'due_soon' ELSE 'due' END = @state
               AND (@program IS NULL OR program_id = @program) AND (@team IS NULL OR team_id = @team) AND (@people IS NULL OR person_id IN (SELECT value FROM json_each(@people)))
               ORDER BY id`,
            )
            .all({
              now,
              state,
              program: 'programId' in scope ? scope.programId : null,
              team: 'teamId' in scope ? scope.teamId : null,
              people: 'personIds' in scope ? JSON.stringify(scope.personIds) : null,
            })
            .map((r) => (r as { id: number }).id);
          found[state] += withState.length;
          const named = `${at} ${state} ${JSON.stringify(scope)}`;
          const report = completionReport(t.db, t.clock.now(), { ...scope, state });
          expect(report, named).toEqual(completionReport(t.db, t.clock.now(), { ...scope, personIds: withState }));
          const progress = peopleProgress(t.db, t.clock.now(), { ...scope, state }, 500);
          expect(
            progress.rows.map((r) => r.personId).sort((a, b) => a - b),
            named,
          ).toEqual(withState);
          expect(progress.total, named).toBe(withState.length);
        }
      }
    }
    for (const state of ['overdue', 'due_soon', 'due', 'done'] as const) expect(found[state], state).toBeGreaterThan(0);
  });

  it('names at most 500 people in a state: past them the figures are refused with the reason, and the first 500 by name are listed', async () => {
    const { program } = onboardingProgram();
    const { teamIds, personIds } = hires(6, 90);
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    // Every hire of 1 Feb has the training overdue on 2 March: 541 people.
    expect(completionSummary(t.db, t.clock.now(), { state: 'overdue' }, 15)).toBeNull();
    expect(() => completionReport(t.db, t.clock.now(), { state: 'overdue' })).toThrow(/More than 500 people/);
    const byName = t.db.$client
      .prepare('SELECT id FROM people WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name, id')
      .all(JSON.stringify(personIds))
      .map((r) => (r as { id: number }).id);
    const first = peopleProgress(t.db, t.clock.now(), { state: 'overdue' }, 20, 0);
    expect(first).toMatchObject({ total: 500, more: true });
    expect(first.rows.map((r) => r.personId)).toEqual(byName.slice(0, 20));
    expect(first.rows.every((r) => r.overdue > 0)).toBe(true);
    expect(peopleProgress(t.db, t.clock.now(), { state: 'overdue' }, 20, 480).rows.map((r) => r.personId)).toEqual(byName.slice(480, 500));
    expect(peopleProgress(t.db, t.clock.now(), { state: 'overdue' }, 20, 500).rows).toEqual([]);
    // A team is few enough: its figures are those of its people, counted from their rows.
    const team = { teamId: teamIds[0], state: 'overdue' as const };
    const members = personIds.slice(0, 90);
    expect(completionReport(t.db, t.clock.now(), team)).toEqual(completionReport(t.db, t.clock.now(), { teamId: teamIds[0], personIds: members }));
    // Nobody has anything done: no state's people are too many to name when there are none.
    expect(completionSummary(t.db, t.clock.now(), { state: 'done' }, 15)?.totals.people).toBe(0);

    const hrClient = sessionAs(t, 'hr@example.com');
    const api = await hrClient.get('/api/v1/reports/completion?state=overdue');
    expect(api.status).toBe(400);
    expect((await api.json()).error).toMatchObject({ code: 'too_broad', message: expect.stringContaining('choose a team') });
    expect((await hrClient.get(`/api/v1/reports/completion?state=overdue&team=${teamIds[0]}`)).status).toBe(200);
    const page = await (await hrClient.get('/programs/dashboard?state=overdue')).text();
    expect(page).toContain('More than 500 people here have something overdue: too many to total.');
    expect(page).not.toContain('<h2>Teams compared</h2>');
    expect(page).toContain(
      'More than 500 people are in this state: the list shows the first 500 of them by name, looking no further than the first 3,000 people here.',
    );
    expect(page).toContain('Page 1 of 25 · 500+ in all');
    // The export has no such limit: every line of everyone overdue, a team at a time in the teams' order.
    const csv = await (await hrClient.get('/api/v1/reports/completion?state=overdue&format=csv')).text();
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 541 * 3);
    expect(lines[1]).toMatch(/^Lou Loner,/);
    expect(lines.at(-1)).toMatch(/^Team 06 Hire 90,/);
    const last = await (await hrClient.get('/programs/dashboard?state=overdue&page=25', { 'hx-request': 'true' })).text();
    expect(last.match(/<tr><td data-label="Person">/g)).toHaveLength(20);
    expect(last).toContain('Page 25 of 25 · 500+ in all');
  });
});

describe('the completion CSV', () => {
  const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

  it('is read a team at a time from one snapshot: a write made while it is read is not in it, and is in the next', async () => {
    const { program, sign } = onboardingProgram();
    const { personIds } = hires(3, 2);
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    const before = await text(completionCsv(t.db, t.clock.now(), {}));
    const reader = completionCsv(t.db, t.clock.now(), {}).getReader();
    const decoder = new TextDecoder();
    let read = '';
    for (const _ of [0, 1]) read += decoder.decode((await reader.read()).value, { stream: true });
    // Past the header and the first team: Team 03's second hire is signed off meanwhile.
    expect(read).toContain('Lou Loner');
    expect(read).not.toContain('Team 03');
    signOff(t.db, t.clock, hr(), personIds[5], sign.id, '');
    for (let part = await reader.read(); !part.done; part = await reader.read()) read += decoder.decode(part.value, { stream: true });
    expect(read).toBe(before);
    const after = await text(completionCsv(t.db, t.clock.now(), {}));
    expect(after).not.toBe(before);
    expect(after).toContain('Team 03 Hire 2,hire3-2@example.com,sales,Team 03,Sales onboarding,Manager sign-off,0,2026-03-03,done');
    // Filters: a team, a state, a list of people, each the lines of the report's rows in that scope.
    const team = await text(
      completionCsv(t.db, t.clock.now(), {
        teamId: t.db
          .select()
          .from(teams)
          .all()
          .find((x) => x.name === 'Team 02')!.id,
      }),
    );
    expect(
      team
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['Team 02 Hire 1', 'Team 02 Hire 1', 'Team 02 Hire 1', 'Team 02 Hire 2', 'Team 02 Hire 2', 'Team 02 Hire 2']);
    const done = await text(completionCsv(t.db, t.clock.now(), { state: 'done' }));
    expect(
      done
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['Team 03 Hire 2', 'Team 03 Hire 2', 'Team 03 Hire 2']);
  });
});

const keptTotals = (db = t.db) =>
  db.all(sql`SELECT team_key, program_key, requirement_key, rows, done, late, overdue, due_soon_or_overdue FROM completion_totals
    WHERE rows <> 0 OR done <> 0 OR late <> 0 OR overdue <> 0 OR due_soon_or_overdue <> 0 ORDER BY 1, 2, 3`);

/** What completion_totals must hold: completion_counts' groups current at the settled instant, summed per key, counted afresh. */
const totalsByDefinition = (db = t.db) =>
  db.all(sql`
    WITH g AS (
      SELECT c.*, c.rows * (NOT c.done AND c.due_at <= s.at) AS overdue, c.rows * (NOT c.done AND c.due_soon_at <= s.at) AS soon,
        (SELECT active FROM programs WHERE id = c.program_id) AS active
      FROM completion_counts c, completion_totals_at s WHERE c.window_from <= s.at AND (c.window_until IS NULL OR c.window_until > s.at)
    ), keyed AS (
      SELECT 0 AS team_key, program_id AS program_key, requirement_id AS requirement_key, * FROM g
      UNION ALL SELECT team_id, program_id, 0, * FROM g
      UNION ALL SELECT team_id, 0, 0, * FROM g WHERE active = 1
    )
    SELECT team_key, program_key, requirement_key, sum(rows) AS rows, sum(rows * done) AS done, sum(rows * late) AS late,
      sum(overdue) AS overdue, sum(soon) AS due_soon_or_overdue
    FROM keyed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);

describe('completion_totals', () => {
  it('stays equal to completion_counts summed at the settled instant through every kind of write', () => {
    writesOfEveryKind(() => {
      expect(keptTotals()).not.toEqual([]);
      expect(keptTotals()).toEqual(totalsByDefinition());
    });
  });

  it('stays equal when the job moves the settled instant, forward and back, and reports at any instant count every row', () => {
    const { program, sign } = onboardingProgram();
    const { teamIds, personIds } = hires(4, 3);
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    signOff(t.db, t.clock, hr(), personIds[0]!, sign.id, '');
    const everyone = t.db.all<{ id: number }>(sql`SELECT id FROM people`).map((p) => p.id);
    // A manager's kind of scope: two whole teams (their kept totals) and a person outside them.
    const managed = { teamIds: teamIds.slice(0, 2), personIds: [personIds.at(-1)!] };
    const managedListed = [
      ...t.db.all<{ id: number }>(sql`SELECT id FROM people WHERE team_id IN (${teamIds[0]}, ${teamIds[1]})`).map((p) => p.id),
      personIds.at(-1)!,
    ];
    // Before the hires' windows, inside them as requirements fall due, and after the onboarding window.
    const instants = [
      '2026-01-15T00:00:00Z',
      '2026-02-10T00:00:00Z',
      '2026-03-02T12:00:00Z',
      '2026-03-16T00:00:01Z',
      '2026-04-01T00:00:00Z',
      '2027-06-01T00:00:00Z',
    ];
    for (const settled of [...instants, instants[1]!]) {
      settleCompletionTotals(t.db, new Date(settled));
      expect(t.db.get<{ at: number }>(sql`SELECT at FROM completion_totals_at`)!.at).toBe(new Date(settled).getTime());
      expect(keptTotals()).toEqual(totalsByDefinition());
      for (const at of instants) {
        const now = new Date(at);
        for (const scope of [{}, { programId: program.id }]) {
          expect(completionReport(t.db, now, scope), `${settled} ${at}`).toEqual(completionReport(t.db, now, { ...scope, personIds: everyone }));
          expect(completionReport(t.db, now, { ...scope, ...managed }), `${settled} ${at} managed`).toEqual(
            completionReport(t.db, now, { ...scope, personIds: managedListed }),
          );
        }
      }
    }
  });

  it('gives the dashboard the weakest teams, their count and the totals of counting every row, whatever the settled instant', () => {
    const { program, sign } = onboardingProgram();
    const { personIds } = hires(18, 2);
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    // Teams of all shares done and of all overdue counts, and ties among them.
    for (const id of personIds.filter((_, i) => i % 3 === 0 || i < 6)) signOff(t.db, t.clock, hr(), id, sign.id, '');
    const everyone = t.db.all<{ id: number }>(sql`SELECT id FROM people`).map((p) => p.id);
    const instants = ['2026-02-10T00:00:00Z', '2026-02-20T00:00:00Z', '2026-03-02T12:00:00Z', '2026-03-28T00:00:00Z', '2026-06-01T00:00:00Z'];
    for (const settled of instants) {
      settleCompletionTotals(t.db, new Date(settled));
      for (const at of instants) {
        const now = new Date(at);
        for (const [scope, weakest] of [
          [{}, 15],
          [{ programId: program.id }, 15],
          [{}, 3],
          [{}, 40],
        ] as const) {
          const { byTeam, byDepartment: _, ...fromRows } = completionReport(t.db, now, { ...scope, personIds: everyone });
          const summary = completionSummary(t.db, now, scope, weakest);
          expect(summary, `${settled} ${at} ${weakest}`).toEqual({ ...fromRows, teams: compareTeams(byTeam, weakest) });
        }
        // HR's overview: the report counted from rows, its teams all of them or (past the listed) the weakest.
        const { byTeam, ...report } = completionReport(t.db, now, { personIds: everyone });
        for (const [listed, many] of [
          [100, false],
          [5, true],
        ] as const)
          expect(completionOverview(t.db, now, listed, 15), `${settled} ${at} overview ${listed}`).toEqual({
            ...report,
            teams: compareTeams(byTeam, many ? 15 : Number.POSITIVE_INFINITY),
            manyTeams: many,
          });
        // Every team a page at a time: the page read from the kept totals is the page of the teams counted from rows.
        for (const scope of [{}, { programId: program.id }]) {
          const fromRows = completionReport(t.db, now, { ...scope, personIds: everyone });
          expect(completionReportPage(t.db, now, scope, 2, 5), `${settled} ${at} report page`).toEqual({
            ...fromRows,
            byTeam: fromRows.byTeam.slice(fromRows.byTeam.length > 5 ? 5 : 0, 10),
            byTeamPage: { page: fromRows.byTeam.length > 5 ? 2 : 1, pageSize: 5, total: fromRows.byTeam.length },
          });
          const all = compareTeams(fromRows.byTeam, Number.POSITIVE_INFINITY).teams;
          const last = Math.max(1, Math.ceil(all.length / 4));
          for (let page = 1; page <= last + 1; page++) {
            const shown = Math.min(page, last);
            expect(compareTeamsPage(t.db, now, scope, page, 4), `${settled} ${at} page ${page}`).toEqual({
              teams: all.slice((shown - 1) * 4, shown * 4),
              count: all.length,
              page: shown,
            });
          }
        }
      }
    }
    const summary = completionSummary(t.db, new Date('2026-03-28T00:00:00Z'), {}, 15)!;
    expect(summary.teams.count).toBe(19);
    expect(summary.teams.teams).toHaveLength(15);
  });
});

describe('completion_chain_totals', () => {
  /** completion_counts summed per requirement over the teams whose manager is at or below each manager, at the settled instant. */
  const chainByDefinition = () =>
    t.db.all(sql`
      SELECT c.ancestor_id AS manager, x.requirement_id AS requirement, sum(x.rows) AS rows, sum(x.rows * x.done) AS done, sum(x.rows * x.late) AS late,
        sum(x.rows * (NOT x.done AND x.due_at <= s.at)) AS overdue, sum(x.rows * (NOT x.done AND x.due_soon_at <= s.at)) AS soon
      FROM completion_counts x JOIN teams t ON t.id = x.team_id JOIN reporting_chain c ON c.descendant_id = t.manager_id, completion_totals_at s
      WHERE x.window_from <= s.at AND (x.window_until IS NULL OR x.window_until > s.at)
      GROUP BY 1, 2 ORDER BY 1, 2`);
  const keptChain = () =>
    t.db.all(sql`
      SELECT manager_id AS manager, requirement_id AS requirement, rows, done, late, overdue, due_soon_or_overdue AS soon
      FROM completion_chain_totals WHERE rows <> 0 OR done <> 0 OR late <> 0 OR overdue <> 0 OR due_soon_or_overdue <> 0 ORDER BY 1, 2`);

  it('keeps each manager’s sums per requirement through sign-offs, moves of people, teams and managers, and the settled instant', () => {
    const { program, sign } = onboardingProgram();
    const { teamIds, personIds } = hires(6, 2);
    const manager = (email: string, managerId: number | null) =>
      t.db
        .insert(people)
        .values({ email, name: email, department: 'sales', role: 'manager', managerId, hireDate: '2025-01-01', timeZone: 'UTC' })
        .returning()
        .get().id;
    // A head over two managers; the managers and the head manage teams; another manager beside them.
    const head = manager('head@example.com', null);
    const m1 = manager('m1@example.com', head);
    const m2 = manager('m2@example.com', head);
    const other = manager('other@example.com', null);
    const manage = (teamId: number, managerId: number | null) => t.db.update(teams).set({ managerId }).where(eq(teams.id, teamId)).run();
    manage(teamIds[0]!, m1);
    manage(teamIds[1]!, m1);
    manage(teamIds[2]!, m2);
    manage(teamIds[3]!, head);
    manage(teamIds[4]!, other);
    // People outside their managers' teams: one reporting to m2 in the other manager's team, one reporting to m1 in none.
    t.db.update(people).set({ managerId: m2 }).where(eq(people.id, personIds[9]!)).run();
    t.db.update(people).set({ managerId: m1, teamId: null }).where(eq(people.id, personIds[11]!)).run();
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    const instants = ['2026-02-10T00:00:00Z', '2026-03-02T12:00:00Z', '2026-03-20T00:00:00Z', '2027-06-01T00:00:00Z'];

    // Weeks of the chart kept before the chart changes shape: their sums per manager follow the teams as they are now.
    recordCompletionHistory(t.db, t.clock.now());
    const historySums = () =>
      t.db.all(sql`SELECT scope_key, week_at, program_id, total, done, overdue FROM completion_history_sums
        WHERE total <> 0 OR done <> 0 OR overdue <> 0 ORDER BY 1, 2, 3`);
    const historyByDefinition = () =>
      t.db.all(sql`SELECT scope_key, week_at, program_id, sum(total) AS total, sum(done) AS done, sum(overdue) AS overdue FROM (
          SELECT 0 AS scope_key, week_at, program_id, total, done, overdue FROM completion_history
          UNION ALL SELECT c.ancestor_id, h.week_at, h.program_id, h.total, h.done, h.overdue
          FROM completion_history h JOIN teams t ON t.id = h.team_key JOIN reporting_chain c ON c.descendant_id = t.manager_id)
        GROUP BY 1, 2, 3 HAVING sum(total) <> 0 OR sum(done) <> 0 OR sum(overdue) <> 0 ORDER BY 1, 2, 3`);
    const check = (label: string) => {
      expect(keptChain(), label).toEqual(chainByDefinition());
      expect(historySums(), label).toEqual(historyByDefinition());
      for (const m of [head, m1, m2, other]) {
        const { teamIds: scopeTeams, personIds: scopePeople } = managerScope(t.db, m);
        for (const at of instants)
          for (const programId of [undefined, program.id]) {
            const scope = { programId, teamIds: scopeTeams, personIds: scopePeople };
            // The manager's own sums against the sums of their teams' groups.
            expect(completionReport(t.db, new Date(at), { ...scope, managerId: m }), `${label} ${m} ${at}`).toEqual(
              completionReport(t.db, new Date(at), scope),
            );
            // The dashboard's figures from the kept sums and the ranking within the manager's scope, against their teams' groups folded.
            for (const weakest of [1, 2, 15])
              expect(completionSummary(t.db, new Date(at), { ...scope, managerId: m }, weakest), `${label} ${m} ${at} weakest ${weakest}`).toEqual(
                completionSummary(t.db, new Date(at), scope, weakest),
              );
            // Every team compared, a page at a time, from the ranking kept per team within the scope.
            for (const page of [1, 2, 3, 9]) {
              expect(compareTeamsPage(t.db, new Date(at), { ...scope, managerId: m }, page, 2), `${label} ${m} ${at} page ${page}`).toEqual(
                compareTeamsPage(t.db, new Date(at), scope, page, 2),
              );
              // The report API's page: its figures, departments and requirements the whole scope's.
              expect(completionReportPage(t.db, new Date(at), { ...scope, managerId: m }, page, 2), `${label} ${m} ${at} report page ${page}`).toEqual(
                completionReportPage(t.db, new Date(at), scope, page, 2),
              );
            }
          }
      }
    };
    check('enrolled');
    expect(keptChain()).not.toEqual([]);
    expect(historySums().length).toBeGreaterThan(8);

    signOff(t.db, t.clock, hr(), personIds[0]!, sign.id, '');
    signOff(t.db, t.clock, hr(), personIds[4]!, sign.id, '');
    check('signed off');
    // A person changes teams; a team changes managers, across heads; a team without a manager gets one.
    updatePerson(t.db, t.clock, hrActor(), personIds[1]!, { teamId: teamIds[4], managerId: null }, { managerConfirmed: true });
    check('person moved');
    manage(teamIds[2]!, other);
    check('team moved');
    manage(teamIds[5]!, m2);
    check('team given a manager');
    // A manager moves under another head, their teams with them; then a team manager's team becomes the head's.
    updatePerson(t.db, t.clock, hrActor(), m1, { managerId: other }, { managerConfirmed: true });
    check('manager moved');
    manage(teamIds[0]!, head);
    check('team to the head');
    for (const settled of [...instants, instants[1]!]) {
      settleCompletionTotals(t.db, new Date(settled));
      check(`settled ${settled}`);
    }
    t.clock.set('2026-03-16T12:00:00Z');
    recordCompletionHistory(t.db, t.clock.now());
    check('weeks kept later');
    const empty = t.db.insert(teams).values({ name: 'Team 99', department: 'sales', managerId: m2 }).returning().get().id;
    t.db.delete(teams).where(eq(teams.id, empty)).run();
    check('team added and removed');
  });
});

describe('the completion_counts migration', () => {
  it('counts the rows of a database made before the table existed', () => {
    const { program } = onboardingProgram();
    const { personIds } = hires(3, 2);
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    const expected = countsRows();
    expect(expected).not.toEqual([]);
    // Back to how the database looked before migration 0001, then open it as the app does.
    const reopened = reopenAfterRerunning(t.db, t.dbPath, '0001_completion_counts');
    try {
      expect(
        reopened.all(
          sql`SELECT team_id, requirement_id, program_id, window_from, window_until, due_at, due_soon_at, done, late, rows FROM completion_counts ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
        ),
      ).toEqual(expected);
    } finally {
      reopened.$client.close();
    }
  });
});

describe('the completion_totals migration', () => {
  it('sums the groups of a database made before the table existed, then keeps them', () => {
    const { program, sign } = onboardingProgram();
    const { personIds } = hires(3, 2);
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    const reopened = reopenAfterRerunning(t.db, t.dbPath, '0049_completion_totals', '0050_completion_totals_kept');
    try {
      const settled = reopened.get<{ at: number }>(sql`SELECT at FROM completion_totals_at`)!.at;
      // Settled when the migration ran: now, by the machine's clock.
      expect(Math.abs(settled - Date.now())).toBeLessThan(60_000);
      expect(keptTotals(reopened)).not.toEqual([]);
      expect(keptTotals(reopened)).toEqual(totalsByDefinition(reopened));
      signOff(reopened, t.clock, hr(), personIds[0]!, sign.id, '');
      expect(keptTotals(reopened)).toEqual(totalsByDefinition(reopened));
    } finally {
      reopened.$client.close();
    }
  });
});

describe('the dashboard page', () => {
  /** 18 teams of two hires each; the first team's hires are signed off, so it is the strongest. */
  function company18() {
    const { program, sign } = onboardingProgram();
    const { personIds } = hires(18, 2);
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    for (const id of personIds.slice(0, 2)) signOff(t.db, t.clock, hr(), id, sign.id, '');
    return { program };
  }
  const teamNames = (html: string) => [...html.matchAll(/<text x="162" y="\d+"><title>[^<]*<\/title>([^<]+)<\/text>/g)].map((m) => m[1]);

  it('the learning overview lists every team of a company of a hundred teams or fewer, and the 15 weakest of a larger one', async () => {
    const { program } = onboardingProgram();
    const { personIds } = hires(101, 1);
    enrollPeople(t.db, program.id, personIds.slice(0, 19), hrActor(), t.clock);
    const hrClient = sessionAs(t, 'hr@example.com');
    const few = await (await hrClient.get('/programs/overview')).text();
    expect(teamNames(few)).toHaveLength(19);
    expect(few).not.toContain('all teams compared');
    enrollPeople(t.db, program.id, personIds.slice(19), hrActor(), t.clock);
    const many = await (await hrClient.get('/programs/overview')).text();
    expect(teamNames(many)).toHaveLength(15);
    expect(many).toMatch(/The 15 teams with the lowest share done, of \d+: <a href="\/programs\/dashboard\/teams">all teams compared<\/a>\./);
    expect(many.match(/<td data-label="Team">/g)).toHaveLength(15);
    expect(Buffer.byteLength(many)).toBeLessThan(Buffer.byteLength(few) + 2_000);
  });

  it('shows every team compared 50 at a time, the pages together holding each team once', async () => {
    const { program } = onboardingProgram();
    const { personIds } = hires(101, 1);
    enrollPeople(t.db, program.id, personIds, hrActor(), t.clock);
    const hrClient = sessionAs(t, 'hr@example.com');
    const pages: string[][] = [];
    for (let page = 1; page <= 3; page++) pages.push(teamNames(await (await hrClient.get(`/programs/dashboard/teams?page=${page}`)).text()));
    expect(pages.map((p) => p.length)).toEqual([50, 50, 2]);
    expect(new Set(pages.flat()).size).toBe(102);
    const partial = await (await hrClient.get('/programs/dashboard/teams?page=2', { 'hx-request': 'true' })).text();
    expect(partial).toContain('Page 2 of 3 · 102 in all');
    expect(partial).toContain('hx-get="/programs/dashboard/teams?page=3"');
    expect(teamNames(await (await hrClient.get('/programs/dashboard/teams?page=9')).text())).toEqual(pages[2]);

    // The report API pages its teams the same way, in the same order; its other figures are the whole company's.
    const api = async (query: string) => (await (await hrClient.get(`/api/v1/reports/completion${query}`)).json()) as any;
    const first = await api('');
    expect(first.byTeam).toHaveLength(100);
    expect(first.byTeamPage).toEqual({ page: 1, pageSize: 100, total: 102 });
    expect(first.totals.people).toBe(102);
    const apiPages = [await api('?pageSize=50'), await api('?pageSize=50&page=2'), await api('?pageSize=50&page=3')];
    expect(apiPages.map((p) => p.byTeam.map((t: { teamName: string }) => t.teamName))).toEqual(pages);
    expect(apiPages[2].byTeamPage).toEqual({ page: 3, pageSize: 50, total: 102 });
    expect((await api('?pageSize=50&page=7')).byTeamPage.page).toBe(3);
    expect((await hrClient.get('/api/v1/reports/completion?pageSize=501')).status).toBe(400);
  });

  it('compares the 15 weakest teams and shows all of them on request, in place or on a page of their own', async () => {
    const { program } = company18();
    const hrClient = sessionAs(t, 'hr@example.com');
    const page = await (await hrClient.get('/programs/dashboard')).text();
    const shown = teamNames(page);
    expect(shown).toHaveLength(15);
    expect(shown).not.toContain('Team 01');
    expect(page).toContain('The 15 teams with the lowest share done, of 19.');
    expect(page).toContain(
      '<a href="/programs/dashboard/teams" hx-get="/programs/dashboard/teams" hx-target="#teams-compared" hx-swap="outerHTML">Show all 19 teams</a>',
    );

    const all = await hrClient.get(`/programs/dashboard/teams?program=${program.id}`, { 'hx-request': 'true' });
    expect(all.status).toBe(200);
    const partial = await all.text();
    expect(partial).toMatch(/^<div id="teams-compared">/);
    // All of them by department and name: the person without a team first.
    expect(teamNames(partial)).toEqual(['No team', ...Array.from({ length: 18 }, (_, i) => `Team ${String(i + 1).padStart(2, '0')}`)]);
    expect(partial).toContain(`hx-get="/programs/dashboard/teams?program=${program.id}&amp;show=weakest"`);
    expect(partial).toContain('Show the 15 weakest only');
    const weakest = await (await hrClient.get(`/programs/dashboard/teams?program=${program.id}&show=weakest`, { 'hx-request': 'true' })).text();
    expect(teamNames(weakest)).toHaveLength(15);

    // Without scripts the link opens a page of its own.
    const full = await hrClient.get('/programs/dashboard/teams');
    expect(full.status).toBe(200);
    const fullHtml = await full.text();
    expect(fullHtml).toContain('<h1>Teams compared</h1>');
    expect(teamNames(fullHtml)).toContain('Team 01');
    expect((await hrClient.get('/programs/dashboard/teams?show=some')).status).toBe(400);
    expect((await sessionAs(t, 'rep@example.com').get('/programs/dashboard/teams')).status).toBe(403);
  });

  it('shows people 20 at a time with the share done as a progress bar, paging in place', async () => {
    company18();
    const hrClient = sessionAs(t, 'hr@example.com');
    const page = await (await hrClient.get('/programs/dashboard')).text();
    const people = page.slice(page.indexOf('<div id="dashboard-results"'));
    expect(people.match(/<tr><td data-label="Person">/g)).toHaveLength(20);
    expect(people).toContain('Page 1 of 2 · 37 in all');
    // The signed-off hires of Team 01 are a third done; everyone has the training overdue.
    expect(people).toContain('<progress max="3" value="1" aria-label="Share done">33%</progress> 33%');
    expect(people).toContain('<td data-label="Overdue"><span class="tag overdue">1</span></td>');

    const next = await hrClient.get('/programs/dashboard?page=2', { 'hx-request': 'true' });
    const partial = await next.text();
    expect(partial).toMatch(/^<div id="dashboard-results"/);
    expect(partial.match(/<tr><td data-label="Person">/g)).toHaveLength(17);
    expect(partial).toContain('Page 2 of 2 · 37 in all');
  });

  it('stays light for HR: the weakest teams, requirements by program and a page of people', async () => {
    company18();
    const html = await (await sessionAs(t, 'hr@example.com').get('/programs/dashboard')).text();
    expect(html).toContain('<th scope="rowgroup" colspan="6">Sales onboarding</th>');
    // 37 people in 19 teams: a few hundred bytes per team bar and per table row.
    expect(Buffer.byteLength(html)).toBeLessThan(30_000);
  });

  it('takes the team to filter by as a name once there are too many teams to list', async () => {
    company18();
    const hrClient = sessionAs(t, 'hr@example.com');
    expect(await (await hrClient.get('/programs/dashboard')).text()).toContain('name="team"');
    const addTeam = t.db.$client.prepare("INSERT INTO teams (name, department, created_at) VALUES (?, 'other', 0)");
    for (let i = 1; i <= 90; i++) addTeam.run(`Support ${String(i).padStart(3, '0')}`);
    const page = await (await hrClient.get('/programs/dashboard')).text();
    expect(page).not.toContain('name="team"');
    expect(page).toContain('name="teamName"');
    const team01 = t.db.select().from(teams).where(eq(teams.name, 'Team 01')).get()!;
    const results = (html: string) => html.slice(html.indexOf('<div id="dashboard-results"'));
    const byId = await (await hrClient.get(`/programs/dashboard?team=${team01.id}`)).text();
    const byName = await hrClient.get('/programs/dashboard?teamName=team%2001');
    expect(byName.status).toBe(200);
    const byNameHtml = await byName.text();
    expect(results(byNameHtml)).toEqual(results(byId));
    expect(byNameHtml).toContain('value="Team 01"');
    expect(byId).toContain('value="Team 01"');
    const unknown = await hrClient.get('/programs/dashboard?teamName=Nobody');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No team is called “Nobody”.');
  });

  it('shows a team manager and their head the people of their teams and reports a page at a time, as counting them shows', async () => {
    const { program, sign } = onboardingProgram();
    const { teamIds, personIds } = hires(3, 25);
    // Names that interleave the teams, so a page mixes them; every fifth hire not enrolled.
    t.db.run(sql`UPDATE people SET name = substr(name, 9) || ' of ' || substr(name, 1, 7) WHERE email LIKE 'hire%'`);
    enrollPeople(
      t.db,
      program.id,
      personIds.filter((_, i) => i % 5 !== 4),
      hrActor(),
      t.clock,
    );
    // A few signed off: some people have a requirement done.
    for (const id of [personIds[0]!, personIds[26]!, personIds[51]!, personIds[60]!]) signOff(t.db, t.clock, hr(), id, sign.id, '');
    // The sales manager manages Sales East, Team 01 and Team 02, and one hire of Team 03; the head is above them.
    const managerId = company.people['sales.manager@example.com'];
    for (const teamId of teamIds.slice(0, 2)) t.db.update(teams).set({ managerId }).where(eq(teams.id, teamId)).run();
    t.db.update(people).set({ managerId }).where(eq(people.id, personIds[50]!)).run();
    const head = t.db
      .insert(people)
      .values({ email: 'head@example.com', name: 'Hedda Head', department: 'sales', role: 'manager', teamId: null, hireDate: '2020-01-01', timeZone: 'UTC' })
      .returning()
      .get();
    t.db.update(people).set({ managerId: head.id }).where(eq(people.id, managerId)).run();
    for (const email of ['sales.manager@example.com', 'head@example.com']) {
      const viewer = { person: t.db.select().from(people).where(eq(people.email, email)).get() as Person };
      const visible = visiblePersonIds(t.db, viewer)!;
      const expected = t.db.$client
        .prepare(
          `SELECT p.id FROM people p WHERE EXISTS (SELECT 1 FROM enrollments en WHERE en.person_id = p.id AND en.ended_at IS NULL)
           AND p.id IN (SELECT value FROM json_each(?)) ORDER BY p.name, p.id`,
        )
        .all(JSON.stringify(visible))
        .map((r) => (r as { id: number }).id);
      expect(expected.length).toBeGreaterThan(40);
      const client = sessionAs(t, email);
      const pages = Math.ceil(expected.length / 20);
      for (let page = 1; page <= pages; page++) {
        const res = await client.get(`/programs/dashboard?page=${page}`, { 'hx-request': 'true' });
        expect(res.status).toBe(200);
        const html = await res.text();
        expect([...html.matchAll(/<a href="\/programs\/people\/(\d+)">/g)].map((m) => Number(m[1]))).toEqual(expected.slice((page - 1) * 20, page * 20));
        expect(html).toContain(`Page ${page} of ${pages} · ${expected.length} in all`);
      }
      // A state: the people with a requirement in it, by name.
      for (const state of ['overdue', 'due', 'done'] as const) {
        const inState = expected.filter(
          (id) =>
            peopleProgress(t.db, t.clock.now(), { personIds: [id] }, 1)
              .rows.map((r) => ({ overdue: r.overdue, due: r.due, done: r.done })[state])
              .at(0)! > 0,
        );
        const html = await (await client.get(`/programs/dashboard?state=${state}`, { 'hx-request': 'true' })).text();
        expect(
          [...html.matchAll(/<a href="\/programs\/people\/(\d+)">/g)].map((m) => Number(m[1])),
          state,
        ).toEqual(inState.slice(0, 20));
        expect(inState.length, state).toBeGreaterThan(0);
        expect(html).toMatch(new RegExp(`[>·] ${inState.length} in all<|>${inState.length} in all<`));
      }
      // One of their teams: only its people, still by name.
      const team02 = await (await client.get(`/programs/dashboard?team=${teamIds[1]}`, { 'hx-request': 'true' })).text();
      const inTeam02 = expected.filter((id) => t.db.select().from(people).where(eq(people.id, id)).get()!.teamId === teamIds[1]);
      expect([...team02.matchAll(/<a href="\/programs\/people\/(\d+)">/g)].map((m) => Number(m[1]))).toEqual(inTeam02.slice(0, 20));
      // The teams compared: those with requirements, Team 03 for the one hire reporting to the manager (Sales East has none).
      const compared = await (await client.get('/programs/dashboard/teams')).text();
      expect(teamNames(compared)).toEqual(['Team 01', 'Team 02', 'Team 03']);
    }
  });

  it('pages a department head’s thousands of people by name as it pages a manager’s few', () => {
    const program = createProgram(t.db, t.clock, hrActor(), { name: 'Big onboarding', kind: 'onboarding', description: '', dueSoonDays: 7 });
    const team = t.db.select().from(teams).where(eq(teams.name, 'Sales West')).get()!;
    const addPerson = t.db.$client.prepare("INSERT INTO people (email, name, department, hire_date, team_id) VALUES (?, ?, 'sales', '2026-02-01', ?)");
    const enroll = t.db.$client.prepare(
      "INSERT INTO enrollments (program_id, person_id, start_date, team_id, source, enrolled_at) VALUES (?, ?, '2026-02-01', ?, 'manual', 0)",
    );
    const ids: number[] = [];
    for (let i = 0; i < 1100; i++) {
      const id = Number(addPerson.run(`many${i}@example.com`, `Person ${String((i * 7919) % 1100).padStart(4, '0')}`, team.id).lastInsertRowid);
      enroll.run(program.id, id, team.id);
      ids.push(id);
    }
    const byName = t.db.$client
      .prepare(
        'SELECT p.id FROM people p WHERE EXISTS (SELECT 1 FROM enrollments en WHERE en.person_id = p.id AND en.ended_at IS NULL) AND p.team_id = ? ORDER BY p.name, p.id',
      )
      .all(team.id)
      .map((r) => (r as { id: number }).id);
    const few = peopleProgress(t.db, t.clock.now(), { personIds: [ids[0]!, ids[1]!], teamIds: [] }, 20, 0);
    expect(few.total).toBe(2);
    const many = peopleProgress(t.db, t.clock.now(), { personIds: [], teamIds: [team.id] }, 20, 40);
    expect(many.total).toBe(byName.length);
    expect(many.rows.map((r) => r.personId)).toEqual(byName.slice(40, 60));
  });

  it('pages a manager’s teams and their reports outside them by name, only people enrolled, whatever the page', () => {
    const { program } = onboardingProgram();
    const { teamIds, personIds } = hires(3, 9);
    // Everyone but every fourth person is enrolled; the scope is two whole teams and three people outside them.
    enrollPeople(
      t.db,
      program.id,
      personIds.filter((_, i) => i % 4 !== 0),
      hrActor(),
      t.clock,
    );
    const outside = [personIds[19]!, personIds[21]!, personIds[personIds.length - 1]!];
    const scope = { teamIds: [teamIds[0]!, teamIds[1]!], personIds: outside };
    const expected = t.db.$client
      .prepare(
        `SELECT p.id FROM people p WHERE EXISTS (SELECT 1 FROM enrollments en WHERE en.person_id = p.id AND en.ended_at IS NULL)
         AND (p.team_id IN (?, ?) OR p.id IN (?, ?, ?)) ORDER BY p.name, p.id`,
      )
      .all(...scope.teamIds, ...outside)
      .map((r) => (r as { id: number }).id);
    expect(expected.length).toBeGreaterThan(12);
    for (const offset of [0, 5, 10, expected.length]) {
      const page = peopleProgress(t.db, t.clock.now(), scope, 5, offset);
      expect(page.total).toBe(expected.length);
      expect(page.rows.map((r) => r.personId)).toEqual(expected.slice(offset, offset + 5));
    }
    const oneTeam = peopleProgress(t.db, t.clock.now(), { ...scope, teamId: teamIds[1] }, 50, 0);
    expect(oneTeam.rows.map((r) => r.personId)).toEqual(
      expected.filter((id) => t.db.select().from(people).where(eq(people.id, id)).get()!.teamId === teamIds[1]),
    );
  });
});
