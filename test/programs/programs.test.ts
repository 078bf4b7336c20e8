import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { enrollmentRules, enrollments, people, programs, requirementCompletions } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import type { Person } from '../../src/context';
import { importPeople } from '../../src/people/import';
import { updatePerson } from '../../src/people/people';
import { addEnrollmentRule, applyPendingRules, endEnrollment, enrollPeople } from '../../src/programs/enrollment';
import { addRequirement, createProgram, createTopic } from '../../src/programs/programs';
import { signOff } from '../../src/programs/sign-offs';
import { ensureCurrentCycles, syncCompletions } from '../../src/programs/tracking';
import { saveAdvantageVersion } from '../../src/surveys/advantages';
import { openRound } from '../../src/surveys/surveys';
import { submitResponse } from '../../src/surveys/answering';
import { completionCsv } from '../../src/programs/completion-csv';
import { peopleProgress, personCompletionDetail } from '../../src/programs/progress';
import { completionHistory, historyFromRows, recordCompletionHistory } from '../../src/programs/completion-history';
import { completionReport } from '../../src/programs/reports';
import { remindOverdue } from '../../src/programs/overdue-reminders';
import { attendanceSheet, checkIn, markAttendance, openCheckIn } from '../../src/programs/attendance';
import { bookSession, scheduleTrainingSession, upcomingSessions } from '../../src/programs/sessions';
import { requireOccurrence } from '../../src/events/event-occurrences';
import { createEvent } from '../../src/events/events';
import { invitePeople } from '../../src/events/invitations';
import { respond } from '../../src/events/answers';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { trainingSessionInput } from '../support/programs';

let t: TestContext;
let company: SeededCompany;
const hrActor = () => ({ personId: company.people['hr@example.com'] });
const personRow = (id: number) => t.db.select().from(people).where(eq(people.id, id)).get() as Person;
const viewerOf = (email: string) => ({ person: personRow(company.people[email]) });

function onboardingProgram() {
  const topic = createTopic(t.db, t.clock, hrActor(), { name: 'Competitive advantages 101', description: '' });
  const program = createProgram(t.db, t.clock, hrActor(), { name: 'Sales onboarding', kind: 'onboarding', description: '', dueSoonDays: 7 });
  const training = addRequirement(t.db, t.clock, hrActor(), program.id, {
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
  return { topic, program, training, calls, sign };
}

function rowsOf(personId: number) {
  return t.db.select().from(requirementCompletions).where(eq(requirementCompletions.personId, personId)).all();
}

const HIRE_CSV = [
  'email,name,department,team,manager_email,hire_date,time_zone,role',
  'newrep@example.com,Nora Newrep,sales,Sales East,sales.manager@example.com,2026-03-01,America/Los_Angeles,employee',
  'newmarketer@example.com,Milo Newmarketer,marketing,Product Marketing,marketing.manager@example.com,2026-03-01,UTC,employee',
].join('\n');

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

describe('enrollment', () => {
  it('enrolls a new hire imported by CSV at once, with due dates from the hire date in their zone', () => {
    const { program, training } = onboardingProgram();
    const rule = addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { department: 'sales', hiredOnOrAfter: '2026-01-01' });
    expect(rule.enrolled).toBe(0); // everyone in the seed was hired in 2024

    const report = importPeople(t.db, t.clock, hrActor(), HIRE_CSV);
    expect(report.errors).toEqual([]);
    const newRep = t.db.select().from(people).where(eq(people.email, 'newrep@example.com')).get()!;
    const newMarketer = t.db.select().from(people).where(eq(people.email, 'newmarketer@example.com')).get()!;
    const enrolled = t.db.select().from(enrollments).all();
    expect(enrolled.map((e) => [e.personId, e.source, e.startDate])).toEqual([[newRep.id, 'rule', '2026-03-01']]);
    expect(rowsOf(newMarketer.id)).toEqual([]);

    const trainingRow = rowsOf(newRep.id).find((r) => r.requirementId === training.id)!;
    expect(trainingRow.dueDate).toBe('2026-03-15');
    // End of 15 March in Los Angeles (PDT since 8 March): 16 March 07:00 UTC.
    expect(trainingRow.dueAt.toISOString()).toBe('2026-03-16T07:00:00.000Z');
    expect(trainingRow.windowFrom.toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(rowsOf(newRep.id)).toHaveLength(3);
  });

  it('moves due dates when the hire date changes', () => {
    const { program, sign } = onboardingProgram();
    const rep = company.people['rep@example.com'];
    enrollPeople(t.db, program.id, [rep], hrActor(), t.clock);
    expect(rowsOf(rep).find((r) => r.requirementId === sign.id)!.dueDate).toBe('2024-02-14');
    updatePerson(t.db, t.clock, hrActor(), rep, { hireDate: '2026-02-20' });
    expect(rowsOf(rep).find((r) => r.requirementId === sign.id)!.dueDate).toBe('2026-03-22');
  });

  it('ends open requirements on deactivation, keeping what was done', () => {
    const { program, sign } = onboardingProgram();
    const rep = company.people['rep@example.com'];
    enrollPeople(t.db, program.id, [rep], hrActor(), t.clock);
    signOff(t.db, t.clock, viewerOf('sales.manager@example.com'), rep, sign.id, 'Knows the story');
    t.clock.advance(60_000);
    updatePerson(t.db, t.clock, hrActor(), rep, { active: false });

    const enrollment = t.db.select().from(enrollments).where(eq(enrollments.personId, rep)).get()!;
    expect(enrollment.endReason).toBe('deactivated');
    const rows = rowsOf(rep);
    expect(rows.find((r) => r.requirementId === sign.id)).toMatchObject({ endedAt: null });
    expect(rows.find((r) => r.requirementId === sign.id)!.completedAt).not.toBeNull();
    expect(rows.filter((r) => r.endedAt !== null)).toHaveLength(2);
    expect(completionReport(t.db, t.clock.now(), { programId: program.id }).totals.total).toBe(0);
    // History stays readable on the person's page.
    expect(personCompletionDetail(t.db, t.clock.now(), rep)).toHaveLength(3);
  });

  it('ends a team enrollment when the person leaves the team, and enrolls them where a rule matches', () => {
    const { program } = onboardingProgram();
    const rep = company.people['rep@example.com'];
    addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { teamId: company.teams['Sales East'] });
    expect(t.db.select().from(enrollments).where(eq(enrollments.personId, rep)).get()).toMatchObject({ source: 'rule', endedAt: null });
    updatePerson(t.db, t.clock, hrActor(), rep, { teamId: company.teams['Sales West'], managerId: company.people['west.manager@example.com'] });
    expect(t.db.select().from(enrollments).where(eq(enrollments.personId, rep)).get()).toMatchObject({ endReason: 'left_team' });
    expect(rowsOf(rep).every((r) => r.endedAt !== null || r.completedAt !== null)).toBe(true);
  });

  it('keeps a department-wide enrollment when the person moves between teams of the department', () => {
    const { program } = onboardingProgram();
    const rep = company.people['rep@example.com'];
    addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { department: 'sales' });
    updatePerson(t.db, t.clock, hrActor(), rep, { teamId: company.teams['Sales West'], managerId: company.people['west.manager@example.com'] });
    expect(t.db.select().from(enrollments).where(eq(enrollments.personId, rep)).get()).toMatchObject({ endedAt: null, teamId: company.teams['Sales West'] });
  });

  it('does not let a rule undo a manual end, and reports what enrollPeople did', () => {
    const { program } = onboardingProgram();
    const rep = company.people['rep@example.com'];
    const inactive = company.people['rep2@example.com'];
    t.db.update(people).set({ active: false }).where(eq(people.id, inactive)).run();
    expect(enrollPeople(t.db, program.id, [rep, rep, inactive], hrActor(), t.clock)).toEqual({ enrolled: 1, reopened: 0, alreadyEnrolled: 0, skipped: 1 });
    expect(enrollPeople(t.db, program.id, [rep], hrActor(), t.clock)).toMatchObject({ enrolled: 0, alreadyEnrolled: 1 });
    const enrollment = t.db.select().from(enrollments).where(eq(enrollments.personId, rep)).get()!;
    endEnrollment(t.db, t.clock, hrActor(), enrollment.id);
    addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { department: 'sales' });
    expect(t.db.select().from(enrollments).where(eq(enrollments.personId, rep)).get()).toMatchObject({ endReason: 'manual' });
    // By hand it can be reopened.
    expect(enrollPeople(t.db, program.id, [rep], hrActor(), t.clock)).toMatchObject({ reopened: 1 });
  });

  it('enrolls the people of a large rule a part at a time: some at once, the rest by the rules job, as if all at once', async () => {
    const { program } = onboardingProgram();
    const rep = company.people['rep@example.com'];
    const sales = () => t.db.all<{ id: number }>(sql`SELECT id FROM people WHERE department = 'sales' AND active = 1 ORDER BY id`).map((p) => p.id);
    const enrolledNow = () =>
      t.db
        .all<{ person_id: number }>(sql`SELECT person_id FROM enrollments WHERE program_id = ${program.id} AND ended_at IS NULL ORDER BY person_id`)
        .map((e) => e.person_id);
    // Taken out by hand before the rule: the job leaves them out too.
    enrollPeople(t.db, program.id, [rep], hrActor(), t.clock);
    endEnrollment(t.db, t.clock, hrActor(), t.db.select().from(enrollments).where(eq(enrollments.personId, rep)).get()!.id);
    const everyone = sales().filter((id) => id !== rep);
    expect(everyone.length).toBeGreaterThan(3);

    const added = addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { department: 'sales' }, 2);
    expect(added).toMatchObject({ enrolled: 2, pending: everyone.length - 2 });
    expect(added.rule.pendingSince).toEqual(t.clock.now());
    expect(enrolledNow()).toEqual(everyone.slice(0, 2));

    expect(await applyPendingRules(t.db, t.clock, 1)).toBe(everyone.length - 2);
    expect(enrolledNow()).toEqual(everyone);
    expect(t.db.select().from(enrollmentRules).get()!.pendingSince).toBeNull();
    // Each enrolled with the requirement rows an enrollment made at once has.
    expect(
      t.db.all(sql`SELECT DISTINCT person_id FROM requirement_completions WHERE program_id = ${program.id} AND ended_at IS NULL ORDER BY person_id`),
    ).toEqual(everyone.map((id) => ({ person_id: id })));
    // Nothing left: another run enrolls nobody.
    expect(await applyPendingRules(t.db, t.clock)).toBe(0);

    // Archived while pending: the rule stops waiting, nobody more is enrolled.
    const second = createProgram(t.db, t.clock, hrActor(), { name: 'Second onboarding', kind: 'onboarding', description: '', dueSoonDays: 7 });
    addEnrollmentRule(t.db, t.clock, hrActor(), second.id, { department: 'sales' }, 1);
    t.db.update(programs).set({ active: false }).where(eq(programs.id, second.id)).run();
    expect(await applyPendingRules(t.db, t.clock)).toBe(0);
    expect(t.db.all(sql`SELECT count(*) AS n FROM enrollment_rules WHERE pending_since IS NOT NULL`)).toEqual([{ n: 0 }]);
  });

  it('refuses a sign-off from someone who is not the manager', () => {
    const { program, sign } = onboardingProgram();
    const rep = company.people['rep@example.com'];
    enrollPeople(t.db, program.id, [rep], hrActor(), t.clock);
    expect(() => signOff(t.db, t.clock, viewerOf('marketing.manager@example.com'), rep, sign.id, '')).toThrow(/manager/);
    expect(() => signOff(t.db, t.clock, viewerOf('rep2@example.com'), rep, sign.id, '')).toThrow(/manager/);
  });
});

describe('survey requirements', () => {
  it('picks up shared-mindset answers written without the app once the daily job has run', () => {
    const program = createProgram(t.db, t.clock, hrActor(), { name: 'Mindset', kind: 'onboarding', description: '', dueSoonDays: 7 });
    addRequirement(t.db, t.clock, hrActor(), program.id, { title: 'Answer the survey', kind: 'survey', count: 1, dueOffsetDays: 30 });
    const rep = company.people['rep@example.com'];
    t.db.update(people).set({ hireDate: '2026-02-20' }).where(eq(people.id, rep)).run();
    enrollPeople(t.db, program.id, [rep], hrActor(), t.clock);
    expect(completionReport(t.db, t.clock.now(), { programId: program.id }).totals).toMatchObject({ total: 1, done: 0 });

    // Written the way the surveys feature writes it, without telling programs.
    const at = t.clock.now().getTime();
    const version = t.db.$client.prepare('INSERT INTO advantage_versions (number, created_at) VALUES (1, ?)').run(at).lastInsertRowid;
    const round = t.db.$client
      .prepare(
        "INSERT INTO survey_rounds (title, population_kind, advantage_version_id, opens_at, closes_on, closes_at, created_at) VALUES ('Spring', 'everyone', ?, ?, '2026-03-20', ?, ?)",
      )
      .run(version, at, at + 20 * 86_400_000, at).lastInsertRowid;
    t.db.$client
      .prepare("INSERT INTO survey_responses (round_id, person_id, department, submitted_at, updated_at) VALUES (?, ?, 'sales', ?, ?)")
      .run(round, rep, at, at);
    // No page catches up: the report shows what the writes kept current until the job runs.
    expect(completionReport(t.db, t.clock.now(), { programId: program.id }).totals).toMatchObject({ total: 1, done: 0 });
    ensureCurrentCycles(t.db, t.clock.now());

    expect(completionReport(t.db, t.clock.now(), { programId: program.id }).totals).toMatchObject({ total: 1, done: 1 });
    expect(rowsOf(rep)[0].evidence).toEqual([{ type: 'survey', roundId: Number(round), at: new Date(at).toISOString() }]);
  });
  it('counts an answer given through the surveys feature at once, with no job and no catch-up on the page', () => {
    const program = createProgram(t.db, t.clock, hrActor(), { name: 'Mindset', kind: 'onboarding', description: '', dueSoonDays: 7 });
    addRequirement(t.db, t.clock, hrActor(), program.id, { title: 'Answer the survey', kind: 'survey', count: 1, dueOffsetDays: 30 });
    const rep = company.people['rep@example.com'];
    t.db.update(people).set({ hireDate: '2026-02-20' }).where(eq(people.id, rep)).run();
    enrollPeople(t.db, program.id, [rep], hrActor(), t.clock);
    saveAdvantageVersion(t.db, t.clock, hrActor(), [{ name: 'Integrations', synonyms: ['api'] }]);
    const round = openRound(
      t.db,
      t.clock,
      hrActor(),
      { timeZone: 'UTC' },
      { title: 'Spring', populationKind: 'everyone', teamIds: [], closesOn: '2026-04-01', anonymous: false },
    );
    submitResponse(t.db, t.clock, { id: rep }, round.id, ['api', 'support', 'price']);
    // The stored row is done when the answer commits: the report reads it, nothing waits for a job.
    const stored = t.db.select().from(requirementCompletions).where(eq(requirementCompletions.personId, rep)).all();
    expect(stored.map((r) => [r.have, r.completedAt !== null])).toEqual([[1, true]]);
    expect(completionReport(t.db, t.clock.now(), { programId: program.id }).totals).toMatchObject({ total: 1, done: 1 });
  });
  it('over HTTP: answering the survey shows the requirement done on My learning at once', async () => {
    const program = createProgram(t.db, t.clock, hrActor(), { name: 'Mindset', kind: 'onboarding', description: '', dueSoonDays: 7 });
    addRequirement(t.db, t.clock, hrActor(), program.id, { title: 'Answer the mindset survey', kind: 'survey', count: 1, dueOffsetDays: 30 });
    const rep = company.people['rep@example.com'];
    t.db.update(people).set({ hireDate: '2026-02-20' }).where(eq(people.id, rep)).run();
    enrollPeople(t.db, program.id, [rep], hrActor(), t.clock);
    saveAdvantageVersion(t.db, t.clock, hrActor(), [{ name: 'Integrations', synonyms: ['api'] }]);
    const round = openRound(
      t.db,
      t.clock,
      hrActor(),
      { timeZone: 'UTC' },
      { title: 'Spring', populationKind: 'everyone', teamIds: [], closesOn: '2026-04-01', anonymous: false },
    );
    const session = sessionAs(t, 'rep@example.com');
    const before = t.db.select().from(requirementCompletions).where(eq(requirementCompletions.personId, rep)).get()!;
    expect(before.completedAt).toBeNull();
    expect((await session.form(`/surveys/${round.id}/answer`, { answer1: 'api', answer2: 'support', answer3: 'price' })).status).toBeLessThan(400);
    const after = t.db.select().from(requirementCompletions).where(eq(requirementCompletions.personId, rep)).get()!;
    expect(after.completedAt).not.toBeNull();
    // What the page shows equals a recomputation from scratch, and reading it changed nothing.
    const page = await (await session.get('/learning')).text();
    expect(page).toContain('Answer the mindset survey');
    const stored = t.db.select().from(requirementCompletions).all();
    syncCompletions(t.db, t.clock.now(), { personIds: [rep] });
    expect(t.db.select().from(requirementCompletions).all()).toEqual(stored);
  });
});

describe('review cycles', () => {
  it('measures existing staff from the current quarter and opens the next quarter as time passes', () => {
    const program = createProgram(t.db, t.clock, hrActor(), {
      name: 'Quarterly story refresh',
      kind: 'review',
      description: '',
      rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1',
      anchorDate: '2026-01-01',
      dueSoonDays: 7,
    });
    const sign = addRequirement(t.db, t.clock, hrActor(), program.id, { title: 'Manager sign-off', kind: 'sign_off', count: 1, dueOffsetDays: 45 });
    addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { department: 'marketing', role: 'employee' });
    const marketer = company.people['marketer@example.com'];
    expect(rowsOf(marketer).map((r) => [r.cycleIndex, r.dueDate])).toEqual([[0, '2026-02-15']]);
    expect(completionReport(t.db, t.clock.now(), { programId: program.id }).totals).toMatchObject({ total: 3, overdue: 3 });

    t.clock.set('2026-04-02T12:00:00Z');
    // The daily job opens the new cycle; reports only read.
    ensureCurrentCycles(t.db, t.clock.now());
    const report = completionReport(t.db, t.clock.now(), { programId: program.id });
    expect(rowsOf(marketer).map((r) => [r.cycleIndex, r.dueDate])).toEqual([
      [0, '2026-02-15'],
      [1, '2026-05-16'],
    ]);
    // Only the running cycle counts now; the missed one is history.
    expect(report.totals).toMatchObject({ total: 3, due: 3, overdue: 0 });

    signOff(t.db, t.clock, viewerOf('marketing.manager@example.com'), marketer, sign.id, '');
    expect(completionReport(t.db, t.clock.now(), { programId: program.id }).totals).toMatchObject({ done: 1, due: 2 });
    expect(rowsOf(marketer).find((r) => r.cycleIndex === 0)!.completedAt).toBeNull();
  });
});

describe('attendance re-evaluates only the cycles it is evidence for', () => {
  it('leaves rows of other cycles unread and untouched, and every row equals an evaluation from scratch', () => {
    const topic = createTopic(t.db, t.clock, hrActor(), { name: 'Story refresh', description: '' });
    const program = createProgram(t.db, t.clock, hrActor(), {
      name: 'Quarterly story refresh',
      kind: 'review',
      description: '',
      rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1',
      anchorDate: '2026-01-01',
      dueSoonDays: 7,
    });
    const refresher = addRequirement(t.db, t.clock, hrActor(), program.id, {
      title: 'Refresher',
      kind: 'training',
      topicId: topic.id,
      count: 1,
      dueOffsetDays: 45,
    });
    addRequirement(t.db, t.clock, hrActor(), program.id, { title: 'Manager sign-off', kind: 'sign_off', count: 1, dueOffsetDays: 45 });
    addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { department: 'marketing', role: 'employee' });
    const marketer = company.people['marketer@example.com'];
    const hr = personRow(company.people['hr@example.com']);
    const session = (startLocal: string) =>
      scheduleTrainingSession(
        t.db,
        t.clock,
        hrActor(),
        hr,
        trainingSessionInput({ topicId: topic.id, title: `Refresher ${startLocal}`, hostId: hr.id, startLocal }),
      );
    const first = session('2026-03-10T10:00');
    const second = session('2026-04-10T10:00');
    t.clock.set('2026-04-11T12:00:00Z');
    ensureCurrentCycles(t.db, t.clock.now());
    const fromScratch = () => {
      const stored = t.db.select().from(requirementCompletions).all();
      const counts = t.db.all(sql`SELECT * FROM completion_counts ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
      syncCompletions(t.db, t.clock.now(), { personIds: [marketer] });
      expect(t.db.select().from(requirementCompletions).all()).toEqual(stored);
      expect(t.db.all(sql`SELECT * FROM completion_counts ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`)).toEqual(counts);
    };
    const refresherIn = (cycle: number) => rowsOf(marketer).find((r) => r.requirementId === refresher.id && r.cycleIndex === cycle)!;
    const mark = (event: { id: number; spanStart: Date }, status: 'attended' | 'removed') =>
      markAttendance(
        t.db,
        t.clock,
        hrActor(),
        hr,
        { eventId: event.id, originalStart: event.spanStart },
        status === 'attended' ? [{ personId: marketer, status, walkIn: true }] : [],
        status === 'removed' ? [marketer] : [],
      );

    // A row of the other cycle is marked: an attendance in this cycle neither reads nor rewrites it.
    t.db.run(sql`UPDATE requirement_completions SET have = 7 WHERE person_id = ${marketer} AND cycle_index = 0 AND requirement_id = ${refresher.id}`);
    mark(second, 'attended');
    expect(refresherIn(1).completedAt?.toISOString()).toBe('2026-04-10T10:00:00.000Z');
    expect(refresherIn(0).have).toBe(7);
    t.db.run(sql`UPDATE requirement_completions SET have = 0 WHERE person_id = ${marketer} AND cycle_index = 0 AND requirement_id = ${refresher.id}`);
    fromScratch();
    // An attendance in the earlier cycle completes it there (late, after its due date), the later cycle as it was.
    mark(first, 'attended');
    expect(refresherIn(0).completedAt?.toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(refresherIn(1).completedAt?.toISOString()).toBe('2026-04-10T10:00:00.000Z');
    fromScratch();
    mark(second, 'removed');
    expect(refresherIn(1).completedAt).toBeNull();
    expect(refresherIn(0).completedAt).not.toBeNull();
    fromScratch();
  });
});

describe('completions after an attendance sheet', () => {
  it('evaluates only the requirements attending that kind of event can meet, and keeps every row as a full sync would', () => {
    const { program, training, calls, sign, topic } = onboardingProgram();
    const meetings = addRequirement(t.db, t.clock, hrActor(), program.id, {
      title: 'Sit in on a marketing meeting',
      kind: 'events',
      eventKind: 'marketing_meeting',
      count: 1,
      dueOffsetDays: 60,
    });
    addRequirement(t.db, t.clock, hrActor(), program.id, { title: 'Shared mindset survey', kind: 'survey', count: 1, dueOffsetDays: 60 });
    addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { department: 'sales', hiredOnOrAfter: '2026-01-01' });
    importPeople(t.db, t.clock, hrActor(), HIRE_CSV);
    const newRep = t.db.select().from(people).where(eq(people.email, 'newrep@example.com')).get()!;
    const host = personRow(company.people['rep@example.com']);
    const marketer = personRow(company.people['marketer@example.com']);
    const hr = personRow(company.people['hr@example.com']);
    const event = (kind: 'sales_call' | 'marketing_meeting', by: Person, startLocal: string) =>
      createEvent(t.db, t.clock, systemActor, by, {
        kind,
        title: `${kind} ${startLocal}`,
        description: '',
        hostId: by.id,
        startLocal,
        timeZone: 'UTC',
        durationMinutes: 60,
        seats: 5,
        rrule: null,
        account: kind === 'sales_call' ? 'Acme' : null,
        opportunityStage: kind === 'sales_call' ? 'proposal' : null,
        location: null,
        meetingUrl: null,
        topic: kind === 'marketing_meeting' ? 'Launch' : null,
      });
    const call = event('sales_call', host, '2026-03-03T16:00');
    invitePeople(t.db, t.clock, systemActor, host, call.id, [newRep.id], null);
    respond(t.db, t.clock, systemActor, newRep as Person, { eventId: call.id, start: null, answer: 'accepted' }, { confirmConflicts: true });
    const meeting = event('marketing_meeting', marketer, '2026-03-04T16:00');
    invitePeople(t.db, t.clock, systemActor, marketer, meeting.id, [newRep.id], null);
    respond(t.db, t.clock, systemActor, newRep as Person, { eventId: meeting.id, start: null, answer: 'accepted' }, { confirmConflicts: true });
    const session = scheduleTrainingSession(
      t.db,
      t.clock,
      hrActor(),
      hr,
      trainingSessionInput({ topicId: topic.id, hostId: hr.id, startLocal: '2026-03-05T16:00' }),
    );
    t.clock.set('2026-03-06T12:00:00Z');
    const row = (requirementId: number) => rowsOf(newRep.id).find((r) => r.requirementId === requirementId)!;
    const fromScratch = () => {
      const stored = t.db.select().from(requirementCompletions).all();
      const counts = t.db.all(sql`SELECT * FROM completion_counts ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
      syncCompletions(t.db, t.clock.now(), { personIds: [newRep.id] });
      expect(t.db.select().from(requirementCompletions).all()).toEqual(stored);
      expect(t.db.all(sql`SELECT * FROM completion_counts ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`)).toEqual(counts);
    };
    const mark = (by: Person, at: { id: number; spanStart: Date }, walkIn: boolean) =>
      markAttendance(t.db, t.clock, hrActor(), by, { eventId: at.id, originalStart: at.spanStart }, [{ personId: newRep.id, status: 'attended', walkIn }]);

    // A row attendance cannot move is marked: no sheet reads or rewrites it.
    t.db.run(sql`UPDATE requirement_completions SET have = 7 WHERE person_id = ${newRep.id} AND requirement_id = ${sign.id}`);
    mark(host, call, false);
    expect(row(calls.id)).toMatchObject({ have: 1, completedAt: null });
    expect(row(meetings.id).completedAt).toBeNull();
    mark(marketer, meeting, false);
    expect(row(meetings.id).completedAt?.toISOString()).toBe('2026-03-04T16:00:00.000Z');
    expect(row(calls.id).have).toBe(1);
    mark(hr, session, true);
    expect(row(training.id).completedAt?.toISOString()).toBe('2026-03-05T16:00:00.000Z');
    expect(row(sign.id).have).toBe(7);
    t.db.run(sql`UPDATE requirement_completions SET have = 0 WHERE person_id = ${newRep.id} AND requirement_id = ${sign.id}`);
    fromScratch();
    // Taking a mark back moves its own requirement only, as a full sync would.
    markAttendance(t.db, t.clock, hrActor(), marketer, { eventId: meeting.id, originalStart: meeting.spanStart }, [], [newRep.id]);
    expect(row(meetings.id).completedAt).toBeNull();
    fromScratch();
  });
});

describe('training sessions and attendance', () => {
  it('books a session, marks attendance in bulk and completes the training at once', () => {
    const { program, training, topic } = onboardingProgram();
    addEnrollmentRule(t.db, t.clock, hrActor(), program.id, { department: 'sales', hiredOnOrAfter: '2026-01-01' });
    importPeople(t.db, t.clock, hrActor(), HIRE_CSV);
    const newRep = t.db.select().from(people).where(eq(people.email, 'newrep@example.com')).get()!;
    const hr = personRow(company.people['hr@example.com']);
    const session = scheduleTrainingSession(
      t.db,
      t.clock,
      hrActor(),
      hr,
      trainingSessionInput({
        topicId: topic.id,
        hostId: company.people['marketing.manager@example.com'],
        startLocal: '2026-03-04T10:00',
        rrule: 'FREQ=WEEKLY;COUNT=4',
        location: 'Room 1',
      }),
    );
    const offered = upcomingSessions(t.db, t.clock.now(), { topicIds: [topic.id], forPersonId: newRep.id });
    expect(offered.map((o) => o.occurrence.start.toISOString())).toEqual([
      '2026-03-04T10:00:00.000Z',
      '2026-03-11T10:00:00.000Z',
      '2026-03-18T10:00:00.000Z',
      '2026-03-25T10:00:00.000Z',
    ]);
    const first = offered[0].occurrence.originalStart;
    expect(bookSession(t.db, t.clock, { personId: newRep.id }, newRep, session.id, first).outcome).toBe('accepted');
    expect(upcomingSessions(t.db, t.clock.now(), { topicIds: [topic.id], forPersonId: newRep.id })[0]).toMatchObject({ seatsTaken: 1, myStatus: 'accepted' });

    const host = personRow(company.people['marketing.manager@example.com']);
    expect(() =>
      markAttendance(t.db, t.clock, { personId: host.id }, host, { eventId: session.id, originalStart: first }, [{ personId: newRep.id, status: 'attended' }]),
    ).toThrow(/started/);

    t.clock.set('2026-03-04T10:05:00Z');
    const code = openCheckIn(t.db, t.clock, { personId: host.id }, host, session.id, first);
    const rep2 = personRow(company.people['rep2@example.com']);
    checkIn(t.db, t.clock, { personId: rep2.id }, rep2, code.code);
    const occurrence = requireOccurrence(t.db, session, first);
    expect(attendanceSheet(t.db, session, occurrence).map((r) => [r.name, r.invitation, r.checkedInAt !== null])).toEqual([
      ['Nora Newrep', 'accepted', false],
      ['Ravi Rep', null, true],
    ]);
    expect(() =>
      markAttendance(t.db, t.clock, { personId: rep2.id }, rep2, { eventId: session.id, originalStart: first }, [{ personId: rep2.id, status: 'attended' }]),
    ).toThrow(/host/);

    t.clock.set('2026-03-04T11:30:00Z');
    markAttendance(t.db, t.clock, { personId: host.id }, host, { eventId: session.id, originalStart: first }, [
      { personId: newRep.id, status: 'attended' },
      { personId: rep2.id, status: 'no_show' },
    ]);
    const row = rowsOf(newRep.id).find((r) => r.requirementId === training.id)!;
    expect(row.completedAt?.toISOString()).toBe('2026-03-04T10:00:00.000Z');
    expect(row.evidence).toEqual([{ type: 'training', eventId: session.id, topic: String(topic.id), at: '2026-03-04T10:00:00.000Z', title: 'CA 101' }]);

    // Correcting a mark to no-show takes the completion back.
    markAttendance(t.db, t.clock, { personId: host.id }, host, { eventId: session.id, originalStart: first }, [{ personId: newRep.id, status: 'no_show' }]);
    expect(rowsOf(newRep.id).find((r) => r.requirementId === training.id)!.completedAt).toBeNull();
  });
});

describe('check-ins confirmed by the attendance sheet', () => {
  it('confirms the check-in of someone marked attended, takes it back on a no-show or a removed mark, and makes none for anyone else', () => {
    const { topic } = onboardingProgram();
    const hr = personRow(company.people['hr@example.com']);
    const host = personRow(company.people['marketing.manager@example.com']);
    const rep = personRow(company.people['rep@example.com']);
    const rep2 = personRow(company.people['rep2@example.com']);
    const session = scheduleTrainingSession(
      t.db,
      t.clock,
      hrActor(),
      hr,
      trainingSessionInput({ topicId: topic.id, hostId: host.id, startLocal: '2026-03-04T10:00' }),
    );
    const start = session.spanStart;
    t.clock.set('2026-03-04T10:05:00Z');
    checkIn(t.db, t.clock, { personId: rep2.id }, rep2, openCheckIn(t.db, t.clock, { personId: host.id }, host, session.id, start).code);
    const sheet = () =>
      attendanceSheet(t.db, session, requireOccurrence(t.db, session, start)).map((r) => [
        r.name,
        r.attendance,
        r.checkedInAt !== null,
        r.confirmedAt !== null,
      ]);
    const mark = (marks: { personId: number; status: 'attended' | 'no_show'; walkIn?: boolean }[], remove: number[] = []) =>
      markAttendance(t.db, t.clock, { personId: host.id }, host, { eventId: session.id, originalStart: start }, marks, remove);

    mark([
      { personId: rep2.id, status: 'attended', walkIn: true },
      { personId: rep.id, status: 'attended', walkIn: true },
    ]);
    expect(sheet()).toEqual([
      ['Ravi Rep', 'attended', true, true],
      ['Rita Rep', 'attended', false, false],
    ]);
    expect(t.db.all(sql`SELECT person_id FROM check_ins`)).toEqual([{ person_id: rep2.id }]);
    mark([{ personId: rep2.id, status: 'no_show' }]);
    expect(sheet()[0]).toEqual(['Ravi Rep', 'no_show', true, false]);
    mark([{ personId: rep2.id, status: 'attended', walkIn: true }]);
    expect(sheet()[0]).toEqual(['Ravi Rep', 'attended', true, true]);
    mark([], [rep2.id]);
    expect(sheet()[0]).toEqual(['Ravi Rep', null, true, false]);
  });
});

describe('completion report against a hand-counted fixture', () => {
  it('counts states per team and requirement, per person, in CSV and over time', async () => {
    const { program, sign, training, calls } = onboardingProgram();
    // Three hires in Sales East (hire 2026-02-01, UTC): training due 02-15, sign-off 03-03, calls 04-02.
    // Now is 2026-03-02 12:00Z: training overdue, sign-off due soon (within 7 days), calls due.
    const ids: number[] = [];
    for (const [email, team] of [
      ['a@example.com', 'Sales East'],
      ['b@example.com', 'Sales East'],
      ['c@example.com', 'Sales West'],
    ] as const) {
      ids.push(
        t.db
          .insert(people)
          .values({
            email,
            name: `${email[0].toUpperCase()} Hire`,
            department: 'sales',
            teamId: company.teams[team],
            managerId: company.people['sales.manager@example.com'],
            hireDate: '2026-02-01',
            timeZone: 'UTC',
          })
          .returning()
          .get().id,
      );
    }
    enrollPeople(t.db, program.id, ids, hrActor(), t.clock);
    // a: signed off (done); b: nothing; c: signed off late? No: c gets a sign-off too.
    signOff(t.db, t.clock, viewerOf('hr@example.com'), ids[0], sign.id, '');
    signOff(t.db, t.clock, viewerOf('hr@example.com'), ids[2], sign.id, '');

    const report = completionReport(t.db, t.clock.now(), { programId: program.id });
    // 9 rows: 3 training overdue, 2 sign-offs done + 1 due soon, 3 calls due.
    expect(report.totals).toEqual({ total: 9, done: 2, due: 3, due_soon: 1, overdue: 3, late: 0, percentDone: 22, people: 3 });
    const east = report.byTeam.find((r) => r.teamName === 'Sales East')!;
    expect(east).toMatchObject({ total: 6, done: 1, due: 2, due_soon: 1, overdue: 2, percentDone: 16, people: 2 });
    expect(report.byTeam.find((r) => r.teamName === 'Sales West')).toMatchObject({ total: 3, done: 1, overdue: 1, due: 1, percentDone: 33, people: 1 });
    expect(report.byRequirement.map((r) => [r.title, r.done, r.overdue, r.due_soon, r.due])).toEqual([
      ['Competitive advantages 101', 0, 3, 0, 0],
      ['Ride along on 2 sales calls', 0, 0, 0, 3],
      ['Manager sign-off', 2, 0, 1, 0],
    ]);
    expect(report.byDepartment).toEqual([expect.objectContaining({ department: 'sales', total: 9, done: 2 })]);

    const progress = peopleProgress(t.db, t.clock.now(), { programId: program.id });
    expect(progress.total).toBe(3);
    expect(progress.rows.map((r) => [r.name, r.done, r.overdue, r.total, r.percentDone])).toEqual([
      ['A Hire', 1, 1, 3, 33],
      ['B Hire', 0, 1, 3, 0],
      ['C Hire', 1, 1, 3, 33],
    ]);
    expect(peopleProgress(t.db, t.clock.now(), { programId: program.id }, 1, 1)).toMatchObject({ total: 3, rows: [{ name: 'B Hire' }] });
    expect(peopleProgress(t.db, t.clock.now(), { programId: program.id, state: 'due_soon' }).rows.map((r) => r.name)).toEqual(['B Hire']);
    expect(completionReport(t.db, t.clock.now(), { programId: program.id, teamId: company.teams['Sales West'] }).totals.total).toBe(3);

    const csv = (await new Response(completionCsv(t.db, t.clock.now(), { programId: program.id })).text()).trim().split('\r\n');
    expect(csv[0]).toBe('name,email,department,team,program,requirement,cycle,due_date,state,completed_at,late,have,need');
    expect(csv).toHaveLength(10);
    expect(csv).toContain('A Hire,a@example.com,sales,Sales East,Sales onboarding,Manager sign-off,0,2026-03-03,done,2026-03-02T12:00:00.000Z,no,1,1');
    expect(csv).toContain('B Hire,b@example.com,sales,Sales East,Sales onboarding,Ride along on 2 sales calls,0,2026-04-02,due,,no,0,2');

    // The weeks start on Mondays 00:00 UTC (kept by the job); the training was due by 16 Feb, the sign-offs came in now.
    recordCompletionHistory(t.db, t.clock.now(), 4);
    const history = completionHistory(t.db, t.clock.now(), { programId: program.id }, 4);
    expect(history.map((h) => [h.at.toISOString().slice(0, 13), h.total, h.done, h.overdue])).toEqual([
      ['2026-02-09T00', 9, 0, 0],
      ['2026-02-16T00', 9, 0, 3],
      ['2026-02-23T00', 9, 0, 3],
      ['2026-03-02T00', 9, 0, 3],
      ['2026-03-02T12', 9, 2, 3],
    ]);
    expect(
      historyFromRows(t.db, { programId: program.id }, Date.parse('2026-02-09T00:00:00Z'), 7 * 86_400_000, 4).map((h) => [h.total, h.done, h.overdue]),
    ).toEqual(history.slice(0, -1).map((h) => [h.total, h.done, h.overdue]));
    expect(training.id).toBeGreaterThan(0);
    expect(calls.id).toBeGreaterThan(0);
  });

  it('reminds everyone overdue once a day through the outbox', async () => {
    const { program } = onboardingProgram();
    const rep = company.people['rep@example.com'];
    enrollPeople(t.db, program.id, [rep, company.people['rep2@example.com']], hrActor(), t.clock);
    // A person a part: each written in a transaction of its own, the run audited once.
    expect(await remindOverdue(t.db, t.clock, hrActor(), { programId: program.id }, '', 1)).toEqual({ people: 2, requirements: 6 });
    expect(t.db.all(sql`SELECT after_head FROM audit_log WHERE action = 'program.remind_overdue'`)).toEqual([
      { after_head: `{"people":2,"filter":{"programId":${program.id}}}` },
    ]);
    expect(t.db.all(sql`SELECT count(*) AS n FROM requirement_completions WHERE reminded_at IS NOT NULL`)).toEqual([{ n: 6 }]);
    expect((await remindOverdue(t.db, t.clock, hrActor(), { programId: program.id })).people).toBe(0);
    const mail = t.db.all<{ to_email: string; subject: string; body: string }>(sql`SELECT to_email, subject, body FROM outbox ORDER BY id`);
    expect(mail.map((m) => m.to_email)).toEqual(['rep@example.com', 'rep2@example.com']);
    expect(mail[0].subject).toBe('3 learning requirements are overdue');
    expect(mail[0].body).toContain('Competitive advantages 101 (Sales onboarding), due 2024-01-29');
    expect(systemActor.personId).toBeNull();
  });
});
