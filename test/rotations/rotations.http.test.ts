import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { auditLog, people, rotationOverrides, rotations, suggestions } from '../../db/schema';
import { createApiToken } from '../../src/auth/auth';
import { awayPeople, rotationCounts, rotationsForPerson } from '../../src/rotations/reads';
import { startRotationStatusJob } from '../../src/rotations';
import { addManyTeams, bannerAfter, anonymous, createTestApp, seedCompany, sessionAs, withToken, type SeededCompany, type TestContext } from '../support/app';

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

describe('the program form of a company with many teams', () => {
  it('lists the host teams only, adds another by name, and saves the program with it', async () => {
    addManyTeams(t, 120, 'Field Sales', () => 'sales');
    const hr = sessionAs(t, 'hr@example.com');
    const blank = await (await hr.get('/rotations/programs/new')).text();
    expect(blank).not.toContain('name="capacity_');
    expect(blank).toContain('Add a host team');
    const form = { name: 'Marketers in the field', direction: 'marketing_to_sales', lengthWeeks: '4', coveragePercent: '25', checklist: '', active: 'true' };
    const unknown = await hr.form('/rotations/programs', { ...form, addHostTeam: '1', hostTeamName: 'Nowhere' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No team is called “Nowhere”.');
    const several = await (await hr.form('/rotations/programs', { ...form, addHostTeam: '1', hostTeamName: 'field sales 11' })).text();
    expect(several).toContain('Several teams start with “field sales 11”');
    const added = await hr.form('/rotations/programs', { ...form, addHostTeam: '1', hostTeamName: 'field sales 117' });
    expect(added.status).toBe(200);
    const page = await added.text();
    const fieldSales117 = t.db.$client.prepare("SELECT id FROM teams WHERE name = 'Field Sales 117'").pluck().get() as number;
    expect([...page.matchAll(/name="capacity_(\d+)"/g)].map((m) => Number(m[1]))).toEqual([fieldSales117]);
    expect(page).toContain('value="Marketers in the field"');
    const again = await hr.form('/rotations/programs', { ...form, [`capacity_${fieldSales117}`]: '2', addHostTeam: '1', hostTeamName: 'Sales East' });
    const both = [...(await again.text()).matchAll(/name="capacity_(\d+)" min="0" max="50" value="(\d*)"/g)].map((m) => [Number(m[1]), m[2]]);
    expect(both).toEqual([
      [fieldSales117, '2'],
      [team('Sales East'), '1'],
    ]);
    const saved = await hr.form('/rotations/programs', { ...form, [`capacity_${fieldSales117}`]: '2', [`capacity_${team('Sales East')}`]: '1' });
    expect(saved.status).toBe(303);
    const id = t.db.$client.prepare("SELECT id FROM rotation_programs WHERE name = 'Marketers in the field'").pluck().get() as number;
    const edit = await (await hr.get(`/rotations/programs/${id}`)).text();
    expect([...edit.matchAll(/name="capacity_(\d+)"/g)].map((m) => Number(m[1])).sort()).toEqual([fieldSales117, team('Sales East')].sort());
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

  it('the schedule form names only the people chosen or found, never the whole directory', async () => {
    const program = await createProgram();
    const hr = sessionAs(t, 'hr@example.com');
    const blank = await (await hr.get('/rotations/new')).text();
    expect(blank).not.toContain('Mark Marketer');
    expect(blank).not.toContain('Rita Rep');
    const chosen = await (await hr.get(`/rotations/new?personId=${id('marketer@example.com')}`)).text();
    expect(chosen).toMatch(new RegExp(`<option value="${id('marketer@example.com')}" selected="">Mark Marketer`));
    const found = await hr.form('/rotations', {
      programId: program.id,
      personSearch: 'mark mar',
      findPerson: '1',
      mentorSearch: 'rita',
      startDate: '2026-04-06',
    });
    expect(found.status).toBe(200);
    const page = await found.text();
    expect(page).toMatch(new RegExp(`<option value="${id('marketer@example.com')}">Mark Marketer — Product Marketing`));
    expect(page).toMatch(new RegExp(`<option value="${id('rep@example.com')}">Rita Rep`));
    expect(page).toContain('value="2026-04-06"');
    expect(rotationCount()).toBe(0);
    // Moving a rotation lists a few members of each host team and the rotation's own mentor.
    const { body } = await schedule(rotationBody(program.id));
    const edit = await (await hr.get(`/rotations/${body.id}/edit`)).text();
    expect(edit).toMatch(new RegExp(`<option value="${id('rep@example.com')}" selected="">Rita Rep \\(Sales East\\)`));
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

/** Proposes through the planner form: the proposal is kept and the answer is its first review page. */
async function propose(hr: ReturnType<typeof sessionAs>, fields: Record<string, string | string[]>) {
  const res = await hr.form('/rotations/planner', fields);
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  expect(location).toMatch(/^\/rotations\/planner\/plans\/\d+$/);
  return { location, page: await (await hr.get(location)).text() };
}

/** A review page's rows as its form sends them back. */
function reviewFields(page: string) {
  const field = (name: string) => [...page.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map((m) => m[1]!);
  return {
    itemPosition: field('itemPosition'),
    itemHost: [...page.matchAll(/<select name="itemHost"[^>]*>([\s\S]*?)<\/select>/g)].map((m) => /<option value="(\d+)" selected/.exec(m[1]!)![1]!),
    itemMentor: [...page.matchAll(/<select name="itemMentor"[^>]*>([\s\S]*?)<\/select>/g)].map((m) => /<option value="(\d+)" selected/.exec(m[1]!)?.[1] ?? ''),
    itemStart: field('itemStart'),
  };
}
const personsOf = (page: string) => [...page.matchAll(/data-person="(\d+)"/g)].map((m) => m[1]!);

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
    const { location, page } = await propose(hr, {
      programId: String(program.id),
      selection: 'team',
      teamId: String(team('Product Marketing')),
      horizonStart: '2026-03-02',
      weeks: '52',
      strictReciprocity: 'true',
    });
    expect(page).toContain('Review the plan: Marketing in the field');
    expect(page).toContain('8 rotations proposed');
    const rows = reviewFields(page);
    const persons = personsOf(page);
    expect(rows.itemPosition).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(rotationCount()).toBe(0);
    // Move the last rotation one week later; remove the first.
    const movedStart = new Date(Date.parse(rows.itemStart[7]!) + 7 * 86_400_000).toISOString().slice(0, 10);
    const edited = { page: '1', ...rows, itemStart: [...rows.itemStart.slice(0, 7), movedStart] };
    const reviewed = await hr.form(location, { ...edited, remove: '0' });
    expect(reviewed.status).toBe(200);
    const reviewPage = await reviewed.text();
    expect(reviewPage).toContain('7 rotations proposed');
    expect(reviewPage).toContain('was removed from the plan');
    expect(reviewPage).toContain(`value="${movedStart}"`);
    expect(rotationCount()).toBe(0);
    const after = reviewFields(reviewPage);
    expect(after.itemPosition).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    const committed = await hr.form(`${location}/commit`, { page: '1', ...after });
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
    // The plan is gone once committed.
    expect((await hr.get(location)).status).toBe(404);
  });

  it('a plan that breaks a rule is refused as a whole from the review form', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    const { location, page } = await propose(hr, {
      programId: String(program.id),
      selection: 'team',
      teamId: String(team('Product Marketing')),
      horizonStart: '2026-03-02',
      weeks: '52',
      strictReciprocity: 'true',
    });
    const rows = reviewFields(page);
    // The second rotation onto the first one's host team and weeks: one seat, so capacity is broken.
    rows.itemHost[1] = rows.itemHost[0]!;
    rows.itemStart[1] = rows.itemStart[0]!;
    rows.itemMentor[1] = '';
    const res = await hr.form(`${location}/commit`, { page: '1', ...rows });
    expect(res.status).toBe(409);
    const refused = await res.text();
    expect(refused).toContain('Nothing was committed');
    expect(refused).toContain('host_capacity');
    expect(rotationCount()).toBe(0);
  });

  it('a plan bigger than a page: pages of 20 rows, and the commit writes every page', async () => {
    for (let i = 0; i < 30; i++)
      t.db
        .insert(people)
        .values({
          email: `big${i}@example.com`,
          name: `Bo Marketer ${String(i).padStart(2, '0')}`,
          department: 'marketing',
          teamId: team('Product Marketing'),
          hireDate: '2024-01-15',
        })
        .run();
    const program = await createProgram({
      lengthWeeks: 1,
      coveragePercent: 25,
      hostTeams: [
        { teamId: team('Sales East'), capacity: 3 },
        { teamId: team('Sales West'), capacity: 3 },
      ],
    });
    const hr = sessionAs(t, 'hr@example.com');
    const { location, page } = await propose(hr, {
      programId: String(program.id),
      selection: 'team',
      teamId: String(team('Product Marketing')),
      horizonStart: '2026-03-02',
      weeks: '52',
      strictReciprocity: 'true',
    });
    const proposed = Number(/(\d+) rotations proposed/.exec(page)![1]);
    expect(proposed).toBeGreaterThan(20);
    expect(personsOf(page)).toHaveLength(20);
    expect(page).toContain(`Page 1 of ${Math.ceil(proposed / 20)}`);
    const second = await (await hr.get(`${location}?page=2`)).text();
    expect(personsOf(second)).toHaveLength(Math.min(20, proposed - 20));
    expect(reviewFields(second).itemPosition[0]).toBe('20');
    expect(new Set([...personsOf(page), ...personsOf(second)]).size).toBe(Math.min(40, proposed));
    // A page past the last shows the last; a bad page number is a 400.
    expect(personsOf(await (await hr.get(`${location}?page=99`)).text()).length).toBeGreaterThan(0);
    expect((await hr.get(`${location}?page=0`)).status).toBe(400);
    expect((await hr.get('/rotations/planner/plans/99999')).status).toBe(404);
    // Move a rotation of page 2 a week later, commit from page 2: every rotation of the plan is written.
    const rows = reviewFields(second);
    const movedStart = new Date(Date.parse(rows.itemStart[0]!) + 7 * 86_400_000).toISOString().slice(0, 10);
    const checked = await hr.form(location, { page: '2', ...rows, itemStart: [movedStart, ...rows.itemStart.slice(1)] });
    expect(checked.status).toBe(200);
    const checkedPage = await checked.text();
    expect(checkedPage).toContain(`value="${movedStart}"`);
    expect(reviewFields(checkedPage).itemPosition[0]).toBe('20');
    const committed = await hr.form(`${location}/commit`, { page: '2', ...reviewFields(checkedPage) });
    expect(committed.status).toBe(303);
    expect(rotationCount()).toBe(proposed);
    expect(
      t.db
        .select()
        .from(rotations)
        .where(eq(rotations.personId, Number(personsOf(second)[0])))
        .get()!.startDate,
    ).toBe(movedStart);
    expect(t.db.select().from(auditLog).where(eq(auditLog.action, 'rotation.plan_commit')).all()).toHaveLength(1);
  });

  it('a review form that sends more than a page or names no row is a 400', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    const { location, page } = await propose(hr, {
      ...{ programId: String(program.id), selection: 'team', teamId: String(team('Product Marketing')), horizonStart: '2026-03-02', weeks: '52' },
    });
    const rows = reviewFields(page);
    const many = Array.from({ length: 21 }, (_, i) => String(i));
    expect((await hr.form(location, { itemPosition: many, itemHost: many, itemMentor: many, itemStart: many })).status).toBe(400);
    expect((await hr.form(location, { ...rows, itemPosition: rows.itemPosition.map(() => 'x') })).status).toBe(400);
    expect((await hr.form(location, { ...rows, itemStart: rows.itemStart.slice(1) })).status).toBe(400);
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
    const { location, page: proposed } = await propose(hr, requestOf(program.id));
    // The second marketer into the first one's host team and weeks: one seat, so host capacity breaks.
    const rows = reviewFields(proposed);
    rows.itemHost[1] = rows.itemHost[0]!;
    rows.itemStart[1] = rows.itemStart[0]!;
    rows.itemMentor[1] = '';
    const res = await hr.form(location, { page: '1', ...rows });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Host team capacity:');
    expect(page).not.toMatch(/>\s*host_capacity\s*</);
    expect(page).toMatch(/<button type="submit" formaction="\/rotations\/planner\/plans\/\d+\/commit" disabled=""/);
    expect(page).toContain('Commit is unavailable: 2 rotations break a rule.');
    expect(page).toContain('Show only the 2 that break a rule');
    const fixes = [...page.matchAll(/name="apply" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(fixes.length).toBeGreaterThan(0);
    const onlyBroken = await (await hr.get(`${location}?broken=1`)).text();
    expect(reviewFields(onlyBroken).itemPosition).toEqual(['0', '1']);

    // Applying the first suggestion of the second row leaves a plan that keeps every rule.
    const second = fixes.find((f) => f.startsWith('1|'))!;
    const applied = await hr.form(location, { page: '1', ...reviewFields(page), apply: second });
    const fixed = await applied.text();
    expect(fixed).toContain('every rotation keeps every rule');
    expect(fixed).not.toContain('Commit is unavailable');
    const [, start, host] = second.split('|');
    const after = reviewFields(fixed);
    expect(after.itemStart[1]).toBe(start);
    expect(after.itemHost[1]).toBe(host);
    const committed = await hr.form(`${location}/commit`, { page: '1', ...after });
    expect(committed.status).toBe(303);
    expect(rotationCount()).toBe(8);
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

  it('leaves managers out unless ticked, and people can be left out or added by search', async () => {
    const program = await bigTeam();
    const hr = sessionAs(t, 'hr@example.com');
    const without = (await propose(hr, requestOf(program.id))).page;
    expect(without).toContain('8 rotations proposed');
    expect(without).not.toContain('Start for Mia Marketingmanager');
    const withLeads = (await propose(hr, { ...requestOf(program.id), includeManagers: 'true' })).page;
    expect(withLeads).toContain('9 rotations proposed');

    const search = await hr.form('/rotations/planner', { ...requestOf(program.id), excludeSearch: 'Marketer', addExclude: '1' });
    expect(search.status).toBe(400);
    const several = await search.text();
    expect(several).toContain('No single person matches');
    // The matches are offered to pick from, never the whole directory.
    expect(several).toMatch(/<datalist id="planner-people"><option value="Mark Marketer — Product Marketing \(Marketing\)">/);
    const added = await (await hr.form('/rotations/planner', { ...requestOf(program.id), excludeSearch: 'mark marketer', addExclude: '1' })).text();
    expect(added).toMatch(new RegExp(`name="excludeIds" value="${id('marketer@example.com')}" checked`));
    const left = (await propose(hr, { ...requestOf(program.id), excludeIds: String(id('marketer@example.com')) })).page;
    expect(left).toContain('7 rotations proposed');
    expect(left).not.toContain('Start for Mark Marketer');

    // A list of people: Add finds one person and switches the choice to the list.
    const picked = await (
      await hr.form('/rotations/planner', { ...requestOf(program.id), personSearch: 'Mark Marketer — Product Marketing (Marketing)', addPerson: '1' })
    ).text();
    expect(picked).toMatch(new RegExp(`name="personIds" value="${id('marketer@example.com')}" checked`));
    expect(picked).toMatch(/value="people" checked/);
    const listed = (await propose(hr, { ...requestOf(program.id), selection: 'people', personIds: String(id('marketer@example.com')) })).page;
    expect(listed).toContain('1 rotation proposed');
  });

  it('the planner form names no one until asked, and its search offers a few names', async () => {
    for (let i = 0; i < 40; i++)
      t.db
        .insert(people)
        .values({
          email: `many${i}@example.com`,
          name: `Manu Marketer ${i}`,
          department: 'marketing',
          teamId: team('Product Marketing'),
          hireDate: '2024-01-15',
        })
        .run();
    const hr = sessionAs(t, 'hr@example.com');
    const form = await (await hr.get('/rotations/planner')).text();
    expect(form).not.toContain('Manu Marketer');
    expect(form).toContain('<datalist id="planner-people"></datalist>');
    const found = await (await hr.get('/rotations/planner/people?personSearch=manu', { 'hx-request': 'true' })).text();
    expect(found.startsWith('<datalist id="planner-people">')).toBe(true);
    expect([...found.matchAll(/<option /g)]).toHaveLength(20);
    expect(await (await hr.get('/rotations/planner/people?excludeSearch=', { 'hx-request': 'true' })).text()).toBe('<datalist id="planner-people"></datalist>');
    expect((await hr.get(`/rotations/planner/people?q=${'x'.repeat(201)}`)).status).toBe(400);
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
    expect(awayPeople(t.db, '2026-04-10', '2026-04-10', null, { page: 1, pageSize: 100 }).rows.map((a) => a.name)).toEqual(['Mark Marketer']);
    const mine = await (await sessionAs(t, 'marketer@example.com').get('/rotations')).text();
    expect(mine).toContain('2026-04-06 to 2026-05-03');
    expect(mine).toContain('Mentor: Rita Rep');
    t.clock.set('2026-04-07T09:00:00Z');
    const manager = await (await sessionAs(t, 'marketing.manager@example.com').get('/rotations')).text();
    expect(manager).toContain('Who is away');
    expect(manager).toContain('Mark Marketer');
    const away = (await (await sessionAs(t, 'marketing.manager@example.com').get('/api/v1/rotations/away?from=2026-04-01&to=2026-04-30')).json()) as any;
    expect(away.data.map((a: any) => a.name)).toEqual(['Mark Marketer']);
    expect(away).toMatchObject({ page: 1, pageSize: 100, total: 1 });
    // Sales West's manager looks after nobody away; a page is at most 500 rows.
    expect(((await (await sessionAs(t, 'west.manager@example.com').get('/api/v1/rotations/away?from=2026-04-01&to=2026-04-30')).json()) as any).total).toBe(0);
    expect((await sessionAs(t, 'hr@example.com').get('/api/v1/rotations/away?pageSize=501')).status).toBe(400);
    expect((await sessionAs(t, 'demand.manager@example.com').get(`/rotations/${rotationId}`)).status).toBe(403);
  });

  it('who is away comes a page at a time, by start date, with how many in all', async () => {
    const { program } = await scheduled();
    const second = await schedule(
      rotationBody(program.id, {
        personId: id('marketer2@example.com'),
        hostTeamId: team('Sales West'),
        mentorId: id('westrep@example.com'),
        startDate: '2026-05-04',
        endDate: '2026-05-31',
      }),
    );
    expect(second.status).toBe(201);
    const hr = sessionAs(t, 'hr@example.com');
    const page = async (n: number) => (await (await hr.get(`/api/v1/rotations/away?from=2026-04-01&to=2026-06-30&pageSize=1&page=${n}`)).json()) as any;
    const [first, next, past] = [await page(1), await page(2), await page(3)];
    expect(first).toMatchObject({ page: 1, pageSize: 1, total: 2 });
    expect(first.data.map((a: any) => a.startDate)).toEqual(['2026-04-06']);
    expect(next.data.map((a: any) => a.startDate)).toEqual(['2026-05-04']);
    expect(past).toMatchObject({ data: [], total: 2 });
    expect((await sessionAs(t, 'rep@example.com').get('/api/v1/rotations/away')).status).toBe(403);
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
