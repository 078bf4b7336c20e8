import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { auditLog, people, rotationOverrides, rotations, suggestions } from '../../db/schema';
import { createApiToken } from '../../src/auth/auth';
import { awayPeople, rotationCounts, rotationsForPerson } from '../../src/rotations/reads';
import { startRotationStatusJob } from '../../src/rotations';
import { bannerAfter, anonymous, createTestApp, seedCompany, sessionAs, withToken, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email];
const team = (name: string) => company.teams[name];
const rotationCount = () => t.db.select({ n: count() }).from(rotations).get()!.n;

/** A marketing → sales program; coverage 50% so the seed company's small teams may send one person. */
async function createProgram(extra: Record<string, unknown> = {}) {
  const hr = sessionAs(t, 'hr@example.com');
  const res = await hr.json('POST', '/api/v1/rotation-programs', {
    name: 'Marketing in the field',
    direction: 'marketing_to_sales',
    lengthWeeks: 4,
    coveragePercent: 50,
    learningGoals: 'Hear customers first hand.',
    hostTeams: [
      { teamId: team('Sales East'), capacity: 1 },
      { teamId: team('Sales West'), capacity: 1 },
    ],
    checklist: ['Ride along on 5 calls', 'Present at a pipeline review'],
    ...extra,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; checklist: { id: number; title: string }[] };
}

function rotationBody(programId: number, extra: Record<string, unknown> = {}) {
  return {
    programId,
    personId: id('marketer@example.com'),
    hostTeamId: team('Sales East'),
    mentorId: id('rep@example.com'),
    startDate: '2026-04-06',
    endDate: '2026-05-03',
    ...extra,
  };
}

async function schedule(body: Record<string, unknown>) {
  const res = await sessionAs(t, 'hr@example.com').json('POST', '/api/v1/rotations', body);
  return { status: res.status, body: (await res.json()) as any };
}

describe('rotation programs', () => {
  it('HR defines programs; host teams must be on the receiving side; others may only read', async () => {
    const program = await createProgram();
    expect(program.checklist.map((c) => c.title)).toEqual(['Ride along on 5 calls', 'Present at a pipeline review']);
    const hr = sessionAs(t, 'hr@example.com');
    const wrongSide = await hr.json('POST', '/api/v1/rotation-programs', {
      name: 'Confused',
      direction: 'marketing_to_sales',
      lengthWeeks: 2,
      hostTeams: [{ teamId: team('Product Marketing'), capacity: 1 }],
    });
    expect(wrongSide.status).toBe(400);
    expect(((await wrongSide.json()) as any).error.message).toContain('Product Marketing is a marketing team');

    const rep = sessionAs(t, 'rep@example.com');
    expect((await rep.json('POST', '/api/v1/rotation-programs', { name: 'x', direction: 'both', lengthWeeks: 1, hostTeams: [] })).status).toBe(403);
    const list = (await (await rep.get('/api/v1/rotation-programs')).json()) as any;
    expect(list.data.map((p: any) => p.name)).toEqual(['Marketing in the field']);

    const patched = await hr.json('PATCH', `/api/v1/rotation-programs/${program.id}`, {
      checklist: ['Ride along on 6 calls', 'Present at a pipeline review', 'Shadow a forecast call'],
    });
    expect(patched.status).toBe(200);
    const after = (await patched.json()) as any;
    expect(after.checklist.map((c: any) => c.id).slice(0, 2)).toEqual(program.checklist.map((c) => c.id));
    expect(after.hostTeams).toHaveLength(2);
  });

  it('the program form re-renders with field errors', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.form('/rotations/programs', { name: '', direction: 'marketing_to_sales', lengthWeeks: '0', coveragePercent: '25', checklist: '' });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Enter a name.');
    expect(page).toContain('Choose at least one host team.');
    const ok = await hr.form('/rotations/programs', {
      name: 'Reps in marketing',
      direction: 'sales_to_marketing',
      lengthWeeks: '2',
      coveragePercent: '25',
      [`capacity_${team('Demand Generation')}`]: '1',
      checklist: 'Write a battlecard\nJoin a campaign review',
      active: 'true',
    });
    expect(ok.status).toBe(303);
    const list = await (await hr.get('/rotations/programs')).text();
    expect(list).toContain('Reps in marketing');
  });
});

describe('scheduling a rotation: every rule refuses with its code and message', () => {
  it('accepts a rotation that keeps every rule', async () => {
    const program = await createProgram();
    const { status, body } = await schedule(rotationBody(program.id));
    expect(status).toBe(201);
    expect(body).toMatchObject({ personName: 'Mark Marketer', hostTeamName: 'Sales East', mentorName: 'Rita Rep', status: 'planned', overrideCount: 0 });
  });

  it('overlap', async () => {
    const program = await createProgram();
    expect((await schedule(rotationBody(program.id))).status).toBe(201);
    const { status, body } = await schedule(
      rotationBody(program.id, { hostTeamId: team('Sales West'), mentorId: id('westrep@example.com'), startDate: '2026-04-27', endDate: '2026-05-24' }),
    );
    expect(status).toBe(409);
    expect(body.error.code).toBe('overlap');
    expect(body.error.message).toContain('Mark Marketer already has a rotation with Sales East 2026-04-06 to 2026-05-03');
    expect(body.error.violations.map((v: any) => v.code)).toEqual(['overlap']);
  });

  it('host_capacity', async () => {
    const program = await createProgram();
    expect((await schedule(rotationBody(program.id))).status).toBe(201);
    const { status, body } = await schedule(rotationBody(program.id, { personId: id('demand@example.com'), mentorId: id('rep2@example.com') }));
    expect(status).toBe(409);
    expect(body.error.code).toBe('host_capacity');
    expect(body.error.message).toContain('Sales East takes at most 1 guest of program "Marketing in the field" at once');
    expect(body.error.message).toContain('Mark Marketer');
  });

  it('home_coverage', async () => {
    const program = await createProgram({ coveragePercent: 25 });
    const { status, body } = await schedule(rotationBody(program.id));
    expect(status).toBe(409);
    expect(body.error.code).toBe('home_coverage');
    expect(body.error.message).toContain('at most 0 of the 3 active members of Product Marketing may be away at once (25%)');
  });

  it('new_hire_period', async () => {
    const program = await createProgram();
    t.db
      .update(people)
      .set({ hireDate: '2026-02-01' })
      .where(eq(people.id, id('marketer@example.com')))
      .run();
    const { status, body } = await schedule(rotationBody(program.id));
    expect(status).toBe(409);
    expect(body.error.code).toBe('new_hire_period');
    expect(body.error.message).toContain('Mark Marketer was hired on 2026-02-01');
    expect(body.error.message).toContain('earliest start is 2026-05-02');
  });

  it('mentor_not_in_host_team and mentor_away', async () => {
    const program = await createProgram();
    const wrongTeam = await schedule(rotationBody(program.id, { mentorId: id('westrep@example.com') }));
    expect(wrongTeam.status).toBe(409);
    expect(wrongTeam.body.error.code).toBe('mentor_not_in_host_team');
    expect(wrongTeam.body.error.message).toContain('Wanda Westrep is in Sales West');

    const s2m = (await (
      await sessionAs(t, 'hr@example.com').json('POST', '/api/v1/rotation-programs', {
        name: 'Reps in marketing',
        direction: 'sales_to_marketing',
        lengthWeeks: 2,
        coveragePercent: 50,
        hostTeams: [{ teamId: team('Demand Generation'), capacity: 1 }],
      })
    ).json()) as any;
    const repAway = await schedule({
      programId: s2m.id,
      personId: id('rep@example.com'),
      hostTeamId: team('Demand Generation'),
      mentorId: id('demand@example.com'),
      startDate: '2026-04-13',
      endDate: '2026-04-26',
    });
    expect(repAway.status).toBe(201);
    const { status, body } = await schedule(rotationBody(program.id));
    expect(status).toBe(409);
    expect(body.error.code).toBe('mentor_away');
    expect(body.error.message).toContain('mentor Rita Rep is on a rotation with Demand Generation 2026-04-13 to 2026-04-26');
  });

  it('blackout', async () => {
    const program = await createProgram();
    const hr = sessionAs(t, 'hr@example.com');
    const added = await hr.form('/rotations/blackouts', {
      name: 'Q2 close',
      scope: 'department',
      department: 'sales',
      teamId: '',
      startDate: '2026-04-27',
      endDate: '2026-04-30',
    });
    expect(added.status).toBe(303);
    const { status, body } = await schedule(rotationBody(program.id));
    expect(status).toBe(409);
    expect(body.error.code).toBe('blackout');
    expect(body.error.message).toContain('"Q2 close" (all of sales, 2026-04-27 to 2026-04-30) covers host team Sales East');
  });

  it('unavailable', async () => {
    const program = await createProgram();
    const marketer = sessionAs(t, 'marketer@example.com');
    expect(
      (await marketer.form('/rotations/periods', { kind: 'unavailable', startDate: '2026-04-20', endDate: '2026-04-24', note: 'conference' })).status,
    ).toBe(303);
    const { status, body } = await schedule(rotationBody(program.id));
    expect(status).toBe(409);
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toContain('Mark Marketer is unavailable 2026-04-20 to 2026-04-24 (conference)');
  });

  it('direction', async () => {
    const program = await createProgram();
    const { status, body } = await schedule(
      rotationBody(program.id, { personId: id('rep2@example.com'), hostTeamId: team('Sales West'), mentorId: id('westrep@example.com') }),
    );
    expect(status).toBe(409);
    expect(body.error.code).toBe('direction');
    expect(body.error.message).toContain('takes marketers as guests, but Ravi Rep is in sales');
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    const program = await createProgram();
    const { status, body } = await schedule(rotationBody(program.id, { startDate: '2026-05-10', endDate: '2026-05-01' }));
    expect(status).toBe(400);
    expect(body.error.issues[0].path).toBe('endDate');
    expect(rotationCount()).toBe(0);
  });
});

describe('overrides', () => {
  it('HR overrides a broken rule with a written reason, which is kept and shown', async () => {
    const program = await createProgram({ coveragePercent: 25 });
    const refused = await schedule(rotationBody(program.id, { overrideRules: ['home_coverage'] }));
    expect(refused.status).toBe(409); // no reason, no override
    const shortReason = await schedule(rotationBody(program.id, { overrideRules: ['home_coverage'], overrideReason: 'ok' }));
    expect(shortReason.status).toBe(400);
    const { status, body } = await schedule(
      rotationBody(program.id, { overrideRules: ['home_coverage'], overrideReason: 'Launch is done; the team agreed to cover for Mark.' }),
    );
    expect(status).toBe(201);
    expect(body.overrideCount).toBe(1);
    const kept = t.db.select().from(rotationOverrides).all();
    expect(kept).toMatchObject([{ rotationId: body.id, rule: 'home_coverage', reason: 'Launch is done; the team agreed to cover for Mark.' }]);
    expect(kept[0].message).toContain('Product Marketing');
    const detail = (await (await sessionAs(t, 'hr@example.com').get(`/api/v1/rotations/${body.id}`)).json()) as any;
    expect(detail.overrides[0]).toMatchObject({ rule: 'home_coverage', reason: 'Launch is done; the team agreed to cover for Mark.', by: 'Hanna HR' });
    const page = await (await sessionAs(t, 'hr@example.com').get(`/rotations/${body.id}`)).text();
    expect(page).toContain('Rules overridden by HR');
    expect(page).toContain('Launch is done; the team agreed to cover for Mark.');
    const audit = t.db.select().from(auditLog).where(eq(auditLog.action, 'rotation.create')).get() as any;
    expect(audit.after.overrideReason).toBe('Launch is done; the team agreed to cover for Mark.');
  });

  it('an override covers only the rules it names', async () => {
    const program = await createProgram({ coveragePercent: 25 });
    t.db
      .update(people)
      .set({ hireDate: '2026-02-01' })
      .where(eq(people.id, id('marketer@example.com')))
      .run();
    const { status, body } = await schedule(
      rotationBody(program.id, { overrideRules: ['home_coverage'], overrideReason: 'The team agreed to cover for Mark.' }),
    );
    expect(status).toBe(409);
    expect(body.error.code).toBe('new_hire_period');
  });

  it('the schedule form shows the broken rules and takes an override', async () => {
    const program = await createProgram({ coveragePercent: 25 });
    const hr = sessionAs(t, 'hr@example.com');
    const form = { ...rotationBody(program.id) } as Record<string, string | number>;
    const refused = await hr.form('/rotations', form);
    expect(refused.status).toBe(409);
    const page = await refused.text();
    expect(page).toContain('This rotation breaks a rule');
    // The override names the rule in words, never its code.
    expect(page).toContain('Override the rule “Home-team coverage”');
    expect(page).toContain('value="home_coverage"');
    const accepted = await hr.form('/rotations', { ...form, overrideRules: 'home_coverage', overrideReason: 'Agreed with the marketing manager.' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(/^\/rotations\/\d+$/);
    expect(await bannerAfter(hr, accepted)).toBe('Rotation scheduled.');
  });
});

describe('moving a scheduled rotation', () => {
  it('HR moves a rotation under the same rules; a move that breaks one needs an override', async () => {
    const program = await createProgram();
    const first = await schedule(rotationBody(program.id));
    const second = await schedule(
      rotationBody(program.id, {
        personId: id('demand@example.com'),
        hostTeamId: team('Sales West'),
        mentorId: id('westrep@example.com'),
        startDate: '2026-06-01',
        endDate: '2026-06-28',
      }),
    );
    expect([first.status, second.status]).toEqual([201, 201]);
    const hr = sessionAs(t, 'hr@example.com');
    expect((await hr.get(`/rotations/${first.body.id}/edit`)).status).toBe(200);
    const onto = { hostTeamId: team('Sales West'), mentorId: id('west.manager@example.com'), startDate: '2026-06-08', endDate: '2026-07-05' };
    const refused = await hr.form(`/rotations/${first.body.id}`, onto);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Override the rule “Host team capacity”');
    expect(t.db.select().from(rotations).where(eq(rotations.id, first.body.id)).get()!.startDate).toBe('2026-04-06');

    const moved = await hr.form(`/rotations/${first.body.id}`, { ...onto, startDate: '2026-06-29', endDate: '2026-07-26' });
    expect(moved.status).toBe(303);
    expect(t.db.select().from(rotations).where(eq(rotations.id, first.body.id)).get()).toMatchObject({
      hostTeamId: team('Sales West'),
      startDate: '2026-06-29',
      endDate: '2026-07-26',
    });
    expect(t.db.select().from(auditLog).where(eq(auditLog.action, 'rotation.change')).all()).toHaveLength(1);

    const viaApi = await hr.json('PATCH', `/api/v1/rotations/${first.body.id}`, {
      ...onto,
      overrideRules: ['host_capacity'],
      overrideReason: 'West asked for an overlap week.',
    });
    expect(viaApi.status).toBe(200);
    expect(((await viaApi.json()) as any).overrideCount).toBe(1);
    expect((await sessionAs(t, 'sales.manager@example.com').get(`/rotations/${first.body.id}/edit`)).status).toBe(403);
  });
});

describe('planner: proposal, review and one-transaction commit', () => {
  async function bigTeam() {
    // Product Marketing grows to 8 marketers besides its manager (who stays home by default), so 25%
    // coverage lets two go at once.
    for (let i = 0; i < 6; i++) {
      t.db
        .insert(people)
        .values({ email: `pm${i}@example.com`, name: `Pia Marketer ${i}`, department: 'marketing', teamId: team('Product Marketing'), hireDate: '2024-01-15' })
        .run();
    }
    return createProgram({ coveragePercent: 25 });
  }

  it('proposes a plan without writing anything', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.json('POST', '/api/v1/rotations/plan', {
      programId: program.id,
      selection: 'team',
      teamId: team('Product Marketing'),
      horizonStart: '2026-03-02',
      weeks: 52,
    });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as any;
    expect(plan.rotations).toHaveLength(8);
    expect(plan.unplaced).toEqual([]);
    expect(new Set(plan.rotations.map((r: any) => r.personId)).size).toBe(8);
    expect(rotationCount()).toBe(0);
  });

  it('commits all or nothing', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    const request = { programId: program.id, selection: 'team', teamId: team('Product Marketing'), horizonStart: '2026-03-02', weeks: 52 };
    const plan = (await (await hr.json('POST', '/api/v1/rotations/plan', request)).json()) as any;
    // HR moves the second rotation onto the first one's weeks and host team: capacity 1 is broken.
    const items = plan.rotations.map((r: any) => ({ personId: r.personId, hostTeamId: r.hostTeamId, mentorId: r.mentorId, start: r.start, end: r.end }));
    const moved = [...items];
    moved[1] = {
      ...moved[1],
      hostTeamId: moved[0].hostTeamId,
      mentorId: id('rep2@example.com') === moved[0].mentorId ? id('rep@example.com') : id('rep2@example.com'),
      start: moved[0].start,
      end: moved[0].end,
    };
    if (moved[0].hostTeamId !== team('Sales East'))
      moved[1].mentorId = id('west.manager@example.com') === moved[0].mentorId ? id('westrep@example.com') : id('west.manager@example.com');
    const rejected = await hr.json('POST', '/api/v1/rotations/plan/commit', { request, items: moved });
    expect(rejected.status).toBe(409);
    const error = ((await rejected.json()) as any).error;
    expect(error.code).toBe('host_capacity');
    expect(error.message).toMatch(/^Nothing was committed: 2 rotations of the plan break a rule/);
    expect(error.items.map((i: any) => i.index)).toEqual([0, 1]);
    expect(rotationCount()).toBe(0);

    const committed = await hr.json('POST', '/api/v1/rotations/plan/commit', { request, items });
    expect(committed.status).toBe(201);
    const body = (await committed.json()) as any;
    expect(body.data).toHaveLength(8);
    expect(rotationCount()).toBe(8);
    expect(t.db.select().from(auditLog).where(eq(auditLog.action, 'rotation.plan_commit')).all()).toHaveLength(1);

    // Planning the same team again leaves out everyone already planned in this program.
    const again = (await (await hr.json('POST', '/api/v1/rotations/plan', request)).json()) as any;
    expect(again.rotations).toEqual([]);
    expect(again.alreadyPlanned).toHaveLength(8);
  });

  it('HR reviews in the browser form: moves one, removes one, commits', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    const proposal = await hr.form('/rotations/planner', {
      programId: program.id,
      selection: 'team',
      teamId: team('Product Marketing'),
      horizonStart: '2026-03-02',
      weeks: 52,
      strictReciprocity: 'true',
    });
    expect(proposal.status).toBe(200);
    const page = await proposal.text();
    expect(page).toContain('Review the plan: Marketing in the field');
    expect(page).toContain('8 rotations proposed');
    const field = (name: string) => [...page.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map((m) => m[1]);
    const persons = field('itemPerson');
    const starts = field('itemStart');
    const hosts = [...page.matchAll(/<select name="itemHost"[^>]*>([\s\S]*?)<\/select>/g)].map((m) => /<option value="(\d+)" selected/.exec(m[1])![1]);
    const mentors = [...page.matchAll(/<select name="itemMentor"[^>]*>([\s\S]*?)<\/select>/g)].map(
      (m) => /<option value="(\d+)" selected/.exec(m[1])?.[1] ?? '',
    );
    expect(persons).toHaveLength(8);
    const request = {
      programId: String(program.id),
      selection: 'team',
      teamId: String(team('Product Marketing')),
      horizonStart: '2026-03-02',
      weeks: '52',
      strictReciprocity: 'true',
    };
    // Move the last rotation one week later; remove the first.
    const movedStart = new Date(Date.parse(starts[7]) + 7 * 86_400_000).toISOString().slice(0, 10);
    const edited = { ...request, itemPerson: persons, itemHost: hosts, itemMentor: mentors, itemStart: [...starts.slice(0, 7), movedStart] };
    const reviewed = await hr.form('/rotations/planner/review', { ...edited, remove: '0' });
    expect(reviewed.status).toBe(200);
    const reviewPage = await reviewed.text();
    expect(reviewPage).toContain('7 rotations proposed');
    expect(reviewPage).toContain('was removed from the plan');
    expect(rotationCount()).toBe(0);
    const committed = await hr.form('/rotations/planner/commit', {
      ...request,
      itemPerson: persons.slice(1),
      itemHost: hosts.slice(1),
      itemMentor: mentors.slice(1),
      itemStart: [...starts.slice(1, 7), movedStart],
    });
    expect(committed.status).toBe(303);
    expect(committed.headers.get('location')).toContain('/rotations/timeline?from=2026-03-02');
    expect(rotationCount()).toBe(7);
    const moved = t.db
      .select()
      .from(rotations)
      .where(eq(rotations.personId, Number(persons[7])))
      .get()!;
    expect(moved.startDate).toBe(movedStart);
    const timeline = await (await hr.get(committed.headers.get('location')!)).text();
    expect(timeline).toContain('Plan committed: 7 rotations of Marketing in the field.');
    expect(timeline).toContain('class="bar status-');
  });

  it('a plan that breaks a rule is refused as a whole from the review form', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    const request = {
      programId: String(program.id),
      selection: 'team',
      teamId: String(team('Product Marketing')),
      horizonStart: '2026-03-02',
      weeks: '52',
      strictReciprocity: 'true',
    };
    const same = {
      itemPerson: [String(id('marketer@example.com')), String(id('marketer2@example.com'))],
      itemHost: [String(team('Sales East')), String(team('Sales East'))],
      itemMentor: [String(id('rep@example.com')), String(id('rep2@example.com'))],
      itemStart: ['2026-03-09', '2026-03-16'],
    };
    const res = await hr.form('/rotations/planner/commit', { ...request, ...same });
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain('Nothing was committed');
    expect(page).toContain('host_capacity');
    expect(rotationCount()).toBe(0);
  });
});

describe('planner review: suggestions, words, blocked commit, selection', () => {
  async function bigTeam() {
    for (let i = 0; i < 6; i++) {
      t.db
        .insert(people)
        .values({ email: `pm${i}@example.com`, name: `Pia Marketer ${i}`, department: 'marketing', teamId: team('Product Marketing'), hireDate: '2024-01-15' })
        .run();
    }
    return createProgram({ coveragePercent: 25 });
  }
  const requestOf = (programId: number) => ({
    programId: String(programId),
    selection: 'team',
    teamId: String(team('Product Marketing')),
    horizonStart: '2026-03-02',
    weeks: '52',
    strictReciprocity: 'true',
  });

  it('a broken item shows its rule break in words, blocks Commit and offers fixes that keep every rule', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    // Two marketers in Sales East's single seat at the same time: the second breaks host capacity.
    const same = {
      itemPerson: [String(id('marketer@example.com')), String(id('marketer2@example.com'))],
      itemHost: [String(team('Sales East')), String(team('Sales East'))],
      itemMentor: [String(id('rep@example.com')), String(id('rep2@example.com'))],
      itemStart: ['2026-03-09', '2026-03-16'],
    };
    const res = await hr.form('/rotations/planner/review', { ...requestOf(program.id), ...same });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Host team capacity:');
    expect(page).not.toMatch(/>\s*host_capacity\s*</);
    expect(page).toContain('16 Mar 2026');
    expect(page).toMatch(/<button type="submit" formaction="\/rotations\/planner\/commit" disabled=""/);
    expect(page).toContain('Commit is unavailable: 2 rotations break a rule.');
    const fixes = [...page.matchAll(/name="apply" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(fixes.length).toBeGreaterThan(0);

    // Applying the first suggestion of the second row leaves a plan that keeps every rule.
    const second = fixes.find((f) => f.startsWith('1|'))!;
    const applied = await hr.form('/rotations/planner/review', { ...requestOf(program.id), ...same, apply: second });
    const fixed = await applied.text();
    expect(fixed).toContain('every rotation keeps every rule');
    expect(fixed).not.toContain('Commit is unavailable');
    const [, start, host, mentor] = second.split('|');
    const committed = await hr.form('/rotations/planner/commit', {
      ...requestOf(program.id),
      itemPerson: same.itemPerson,
      itemHost: [same.itemHost[0]!, host!],
      itemMentor: [same.itemMentor[0]!, mentor!],
      itemStart: [same.itemStart[0]!, start!],
    });
    expect(committed.status).toBe(303);
    expect(rotationCount()).toBe(2);
  });

  it('the mentor list follows the host team', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.get(`/rotations/planner/mentors?row=3&personId=${id('marketer@example.com')}&itemHost=${team('Sales West')}`, {
      'hx-request': 'true',
    });
    expect(res.status).toBe(200);
    const select = await res.text();
    expect(select).toContain('id="plan-mentor-3"');
    expect(select).toContain('Wanda Westrep');
    expect(select).not.toContain('Rita Rep');
    expect(program.id).toBeGreaterThan(0);
    expect((await hr.get('/rotations/planner/mentors?row=x&personId=1&itemHost=1')).status).toBe(400);
  });

  it('leaves managers out unless ticked, and people can be left out by search', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    const without = await (await hr.form('/rotations/planner', requestOf(program.id))).text();
    expect(without).toContain('8 rotations proposed');
    expect(without).not.toContain('Start for Mia Marketingmanager');
    const withLeads = await (await hr.form('/rotations/planner', { ...requestOf(program.id), includeManagers: 'true' })).text();
    expect(withLeads).toContain('9 rotations proposed');

    const search = await hr.form('/rotations/planner', { ...requestOf(program.id), excludeSearch: 'Marketer', addExclude: '1' });
    expect(search.status).toBe(400);
    expect(await search.text()).toContain('No single person matches');
    const added = await (await hr.form('/rotations/planner', { ...requestOf(program.id), excludeSearch: 'mark marketer', addExclude: '1' })).text();
    expect(added).toMatch(new RegExp(`name="excludeIds" value="${id('marketer@example.com')}" checked`));
    const left = await (await hr.form('/rotations/planner', { ...requestOf(program.id), excludeIds: String(id('marketer@example.com')) })).text();
    expect(left).toContain('7 rotations proposed');
    expect(left).not.toContain('Start for Mark Marketer');
  });
});

describe('timeline, schedules and who is away', () => {
  async function scheduled() {
    const program = await createProgram();
    const { body } = await schedule(rotationBody(program.id));
    return { program, rotationId: body.id as number };
  }

  it('HR and managers see the timeline; employees do not', async () => {
    const { rotationId } = await scheduled();
    const hr = await sessionAs(t, 'hr@example.com').get('/rotations/timeline?from=2026-03-02&weeks=12');
    expect(hr.status).toBe(200);
    const page = await hr.text();
    expect(page).toContain(`href="/rotations/${rotationId}"`);
    expect(page).toContain('Mark Marketer');
    expect(page).toContain('Capacity Sales East · Marketing in the field');
    const htmx = await sessionAs(t, 'hr@example.com').get('/rotations/timeline?from=2026-03-02&weeks=12&group=teams', { 'hx-request': 'true' });
    const partial = await htmx.text();
    expect(partial.startsWith('<div id="timeline-results"')).toBe(true);
    expect(partial).toContain('Host team');
    expect((await sessionAs(t, 'rep@example.com').get('/rotations/timeline')).status).toBe(403);
    // Sales East's manager sees the rotation (its mentor reports to them); Sales West's does not.
    expect(await (await sessionAs(t, 'sales.manager@example.com').get('/rotations/timeline?from=2026-03-02')).text()).toContain('Mark Marketer');
    expect(await (await sessionAs(t, 'west.manager@example.com').get('/rotations/timeline?from=2026-03-02')).text()).not.toContain('Mark Marketer');
  });

  it('the guest and mentor see it in their schedule queries; managers see who is away', async () => {
    const { rotationId } = await scheduled();
    expect(rotationsForPerson(t.db, id('marketer@example.com'), '2026-04-01', '2026-04-30')).toMatchObject([
      { rotationId, role: 'person', hostTeamName: 'Sales East', startDate: '2026-04-06', endDate: '2026-05-03' },
    ]);
    expect(rotationsForPerson(t.db, id('rep@example.com'), '2026-05-03', '2026-06-01')).toMatchObject([
      { rotationId, role: 'mentor', personName: 'Mark Marketer' },
    ]);
    expect(rotationsForPerson(t.db, id('marketer@example.com'), '2026-05-04', '2026-06-01')).toEqual([]);
    expect(awayPeople(t.db, '2026-04-10', '2026-04-10').map((a) => a.name)).toEqual(['Mark Marketer']);
    const mine = await (await sessionAs(t, 'marketer@example.com').get('/rotations')).text();
    expect(mine).toContain('2026-04-06 to 2026-05-03');
    expect(mine).toContain('Mentor: Rita Rep');
    t.clock.set('2026-04-07T09:00:00Z');
    const manager = await (await sessionAs(t, 'marketing.manager@example.com').get('/rotations')).text();
    expect(manager).toContain('Who is away');
    expect(manager).toContain('Mark Marketer');
    const away = (await (await sessionAs(t, 'marketing.manager@example.com').get('/api/v1/rotations/away?from=2026-04-01&to=2026-04-30')).json()) as any;
    expect(away.data.map((a: any) => a.name)).toEqual(['Mark Marketer']);
    expect((await sessionAs(t, 'demand.manager@example.com').get(`/rotations/${rotationId}`)).status).toBe(403);
  });

  it("shows on the guest's and the mentor's My schedule for the weeks it covers", async () => {
    const { rotationId } = await scheduled();
    t.clock.set('2026-04-08T12:00:00Z');
    const guest = await (await sessionAs(t, 'marketer@example.com').get('/')).text();
    expect(guest).toContain('id="schedule-rotations"');
    expect(guest).toContain(`href="/rotations/${rotationId}"`);
    expect(guest).toContain('With Sales East');
    const mentor = await (await sessionAs(t, 'rep@example.com').get('/?view=month&date=2026-04-15')).text();
    expect(mentor).toContain('Mentoring Mark Marketer in Sales East');
    const later = await (await sessionAs(t, 'marketer@example.com').get('/?date=2026-06-15')).text();
    expect(later).not.toContain('id="schedule-rotations"');
  });
});

describe('lifecycle: status, checklist, check-ins', () => {
  it('moves planned → active → completed with the calendar; the guest ticks the checklist; guest and mentor check in', async () => {
    const program = await createProgram();
    const { body } = await schedule(rotationBody(program.id));
    const rotationId = body.id as number;
    let guest = sessionAs(t, 'marketer@example.com');

    // Too early for the mid-point check-in.
    const early = await guest.json('POST', `/api/v1/rotations/${rotationId}/check-ins`, { kind: 'midpoint', learned: 'Nothing yet' });
    expect(early.status).toBe(409);
    expect(((await early.json()) as any).error.message).toContain('opens on 2026-04-19');

    t.clock.set('2026-04-20T08:00:00Z');
    // Sessions expire; sign in again at the new date.
    guest = sessionAs(t, 'marketer@example.com');
    const mentor = sessionAs(t, 'rep@example.com');
    const other = sessionAs(t, 'marketer2@example.com');
    expect(((await (await guest.get(`/api/v1/rotations/${rotationId}`)).json()) as any).status).toBe('active');
    const item = program.checklist[0].id;
    expect((await other.form(`/rotations/${rotationId}/checklist/${item}`, { done: 'true' })).status).toBe(403);
    const ticked = await guest.form(`/rotations/${rotationId}/checklist/${item}`, { done: 'true' }, { 'hx-request': 'true' });
    expect(ticked.status).toBe(200);
    expect(await ticked.text()).toContain('1 of 2 done');

    const guestCheckIn = await guest.form(`/rotations/${rotationId}/check-ins`, {
      kind: 'midpoint',
      learned: 'Buyers ask about integrations first.',
      otherDepartmentShouldChange: 'Log lost reasons consistently.',
    });
    expect(guestCheckIn.status).toBe(303);
    const mentorCheckIn = await mentor.json('POST', `/api/v1/rotations/${rotationId}/check-ins`, {
      kind: 'midpoint',
      learned: 'Mark explains positioning well.',
      otherDepartmentShouldChange: 'Send us the launch deck a week earlier.',
    });
    expect(mentorCheckIn.status).toBe(201);
    expect((await other.json('POST', `/api/v1/rotations/${rotationId}/check-ins`, { kind: 'midpoint', learned: 'x' })).status).toBe(403);
    // What the other department should change lands in that side's liaison backlog.
    const backlog = t.db.select().from(suggestions).all();
    expect(backlog.map((s) => [s.teamId, s.source, s.title])).toEqual([
      [team('Sales East'), 'check_in', 'Log lost reasons consistently.'],
      [team('Product Marketing'), 'check_in', 'Send us the launch deck a week earlier.'],
    ]);
    const page = await (await guest.get(`/rotations/${rotationId}`)).text();
    expect(page).toContain('Buyers ask about integrations first.');
    expect(page).toContain('Mark explains positioning well.');

    t.clock.set('2026-05-10T08:00:00Z');
    guest = sessionAs(t, 'marketer@example.com');
    const done = (await (await guest.get(`/api/v1/rotations/${rotationId}`)).json()) as any;
    expect(done.status).toBe('completed');
    expect(done.checklist.filter((c: any) => c.doneAt)).toHaveLength(1);
    expect(done.checkIns).toHaveLength(2);
  });

  it('reads the status from the dates: no page or API read writes it; the background job moves the stored one', async () => {
    const program = await createProgram();
    const { body } = await schedule(rotationBody(program.id));
    const rotationId = body.id as number;
    const stored = () => t.db.select({ status: rotations.status }).from(rotations).where(eq(rotations.id, rotationId)).get()!.status;
    expect(stored()).toBe('planned');

    t.clock.set('2026-04-20T08:00:00Z');
    const hr = sessionAs(t, 'hr@example.com');
    expect(((await (await hr.get(`/api/v1/rotations/${rotationId}`)).json()) as any).status).toBe('active');
    const active = (await (await hr.get('/api/v1/rotations?status=active')).json()) as any;
    expect(active.data.map((r: any) => [r.id, r.status])).toEqual([[rotationId, 'active']]);
    expect(((await (await hr.get('/api/v1/rotations?status=planned')).json()) as any).data).toEqual([]);
    expect(await (await hr.get('/rotations')).text()).toContain('1 active · 0 planned · 0 completed · 0 cancelled');
    expect(await (await hr.get(`/rotations/${rotationId}`)).text()).toContain('Move or change');
    expect((await hr.get('/rotations/timeline?from=2026-04-06')).status).toBe(200);
    // Every read above left the stored status alone.
    expect(stored()).toBe('planned');

    // Once it has ended it counts as completed, and cannot be cancelled, whether or not the job has run yet.
    t.clock.set('2026-05-10T08:00:00Z');
    const later = sessionAs(t, 'hr@example.com');
    expect(((await (await later.get('/api/v1/rotations?status=completed')).json()) as any).data.map((r: any) => r.id)).toEqual([rotationId]);
    expect(await (await later.get(`/rotations/${rotationId}`)).text()).not.toContain('Move or change');
    const cancel = await later.json('POST', `/api/v1/rotations/${rotationId}/cancel`, { reason: 'Too late.' });
    expect(cancel.status).toBe(409);
    expect(stored()).toBe('planned');

    const stop = startRotationStatusJob(t.db, t.clock);
    stop();
    expect(stored()).toBe('completed');
    expect(rotationCounts(t.db, '2026-05-10')).toEqual({ planned: 0, active: 0, completed: 1, cancelled: 0 });
    expect(rotationCounts(t.db, '2026-04-01')).toEqual({ planned: 1, active: 0, completed: 0, cancelled: 0 });
  });

  it('HR cancels with a reason; a cancelled rotation no longer counts for the rules', async () => {
    const program = await createProgram();
    const { body } = await schedule(rotationBody(program.id));
    const hr = sessionAs(t, 'hr@example.com');
    const cancelled = await hr.json('POST', `/api/v1/rotations/${body.id}/cancel`, { reason: 'Mark changes teams.' });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as any).status).toBe('cancelled');
    expect((await schedule(rotationBody(program.id, { personId: id('demand@example.com'), mentorId: id('rep2@example.com') }))).status).toBe(201);
  });
});

describe('access', () => {
  it('gives each role its access to rotation pages and the API', async () => {
    const program = await createProgram();
    const { body } = await schedule(rotationBody(program.id));
    const { secret } = createApiToken(t.db, t.clock, { personId: id('hr@example.com') }, 'HRIS');
    const clients = {
      anonymous: anonymous(t.app),
      employee: sessionAs(t, 'demand@example.com'),
      manager: sessionAs(t, 'sales.manager@example.com'),
      hr: sessionAs(t, 'hr@example.com'),
      token: withToken(t.app, secret),
    };
    const matrix: [string, number, number, number, number, number][] = [
      ['/rotations', 303, 200, 200, 200, 200],
      ['/rotations/timeline', 303, 403, 200, 200, 200],
      ['/rotations/planner', 303, 403, 403, 200, 200],
      ['/rotations/programs', 303, 403, 403, 200, 200],
      ['/rotations/blackouts', 303, 403, 403, 200, 200],
      ['/rotations/new', 303, 403, 403, 200, 200],
      [`/rotations/${body.id}/edit`, 303, 403, 403, 200, 200],
      ['/rotations/periods', 303, 200, 200, 200, 200],
      [`/rotations/${body.id}`, 303, 403, 200, 200, 200],
      ['/api/v1/rotations', 401, 200, 200, 200, 200],
      ['/api/v1/rotations/away', 401, 403, 200, 200, 200],
    ];
    for (const [path, ...expected] of matrix) {
      const got = [];
      for (const client of Object.values(clients)) got.push((await client.get(path)).status);
      expect(got, path).toEqual(expected);
    }
    const employeeList = (await (await clients.employee.get('/api/v1/rotations')).json()) as any;
    expect(employeeList.data).toEqual([]);
    expect(
      (
        await clients.employee.json('POST', '/api/v1/rotations/plan', {
          programId: program.id,
          selection: 'department',
          department: 'marketing',
          horizonStart: '2026-03-02',
          weeks: 10,
        })
      ).status,
    ).toBe(403);
  });

  it('the OpenAPI document lists the rotation endpoints', async () => {
    const doc = (await (await anonymous(t.app).get('/api/v1/openapi.json')).json()) as any;
    for (const path of ['/api/v1/rotation-programs', '/api/v1/rotations', '/api/v1/rotations/plan', '/api/v1/rotations/plan/commit'])
      expect(doc.paths[path], path).toBeDefined();
  });
});
