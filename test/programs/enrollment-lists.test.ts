// A program's page and GET /api/v1/enrollments show a page of enrollments and cost what they show: running ones are
// counted from enrolled_people (kept by triggers), ended ones from their own index, and a page either sorts the few
// matching rows or walks people in name order and stops at its end. Whatever the way, a list must equal its definition.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { enrollments, people, teams } from '../../db/schema';
import { updatePerson, wholeDepartmentsBelow } from '../../src/people/people';
import {
  addEnrollmentRule,
  countEnrollments,
  endEnrollment,
  enrollmentCandidates,
  enrollPeople,
  listEnrollmentRows,
  type EnrollmentScope,
  type EnrollmentStatus,
} from '../../src/programs/enrollment';
import { addRequirement, createProgram, updateProgram } from '../../src/programs/programs';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const hrActor = () => ({ personId: company.people['hr@example.com']! });

function program(name: string) {
  const created = createProgram(t.db, t.clock, hrActor(), { name, kind: 'onboarding', description: '', dueSoonDays: 7 });
  addRequirement(t.db, t.clock, hrActor(), created.id, { title: 'Manager sign-off', kind: 'sign_off', count: 1, dueOffsetDays: 30 });
  return created;
}

/** `count` hires in a new sales team, named so that case and ties of name are in play. */
function hires(count: number, teamName = 'Team Big') {
  const teamId = t.db.insert(teams).values({ name: teamName, department: 'sales' }).returning().get().id;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const name = i % 7 === 0 ? 'Alex Same' : `${i % 2 ? 'b' : 'B'}ea ${String(i).padStart(3, '0')}`;
    ids.push(
      t.db
        .insert(people)
        .values({ email: `h${i}-${teamId}@example.com`, name, department: 'sales', teamId, hireDate: '2026-02-01', timeZone: 'UTC' })
        .returning()
        .get().id,
    );
  }
  return { teamId, ids };
}

/** The definition: the scope's enrollments of a status, in name order (any case), then person and enrollment id. */
function definition(scope: EnrollmentScope, status: EnrollmentStatus): number[] {
  return t.db
    .all<{ id: number }>(sql`
      SELECT en.id FROM enrollments en JOIN people p ON p.id = en.person_id
      WHERE ${status === 'running' ? sql`en.ended_at IS NULL` : sql`en.ended_at IS NOT NULL`}
        ${scope.programId ? sql`AND en.program_id = ${scope.programId}` : sql``}
        ${scope.personId ? sql`AND en.person_id = ${scope.personId}` : sql``}
        ${scope.teamId ? sql`AND p.team_id = ${scope.teamId}` : sql``}
        ${scope.namePrefix ? sql`AND lower(substr(p.name, 1, ${scope.namePrefix.length})) = ${scope.namePrefix.toLowerCase()}` : sql``}
        ${scope.onlyPersonIds ? sql`AND en.person_id IN (SELECT value FROM json_each(${JSON.stringify(scope.onlyPersonIds)}))` : sql``}
        ${scope.belowId ? sql`AND en.person_id IN (SELECT descendant_id FROM reporting_chain WHERE ancestor_id = ${scope.belowId})` : sql``}
      ORDER BY lower(p.name), p.id, en.id`)
    .map((r) => r.id);
}

/** Every page of a scope, walked after the last person of each page, sorting (count 0) or walking names (a huge count). */
function paged(scope: EnrollmentScope, status: EnrollmentStatus, count: number, limit = 7): number[] {
  const ids: number[] = [];
  let after: { name: string; personId: number; id: number } | undefined;
  for (let i = 0; i < 1000; i++) {
    const rows = listEnrollmentRows(t.db, scope, status, { limit, after, count });
    ids.push(...rows.map((r) => r.id));
    if (rows.length < limit) return ids;
    after = { name: rows.at(-1)!.name, personId: rows.at(-1)!.personId, id: rows.at(-1)!.id };
  }
  throw new Error('no end');
}

function expectListsEqualDefinitions(scopes: EnrollmentScope[]) {
  for (const scope of scopes) {
    for (const status of ['running', 'ended'] as const) {
      const expected = definition(scope, status);
      const label = `${JSON.stringify(scope)} ${status}`;
      // The kept or indexed count equals a recount.
      expect(countEnrollments(t.db, scope, status), label).toBe(expected.length);
      expect(paged(scope, status, 0), `${label} sorted`).toEqual(expected);
      if (!scope.personId && !scope.teamId) expect(paged(scope, status, 1e9), `${label} walked`).toEqual(expected);
      // Offsets (the API's pages) read the same order.
      expect(
        listEnrollmentRows(t.db, scope, status, { limit: 5, offset: 3, count: expected.length }).map((r) => r.id),
        label,
      ).toEqual(expected.slice(3, 8));
    }
  }
}

describe('enrollment lists', () => {
  it('equal their definition, with counts equal to a recount, after every kind of write that changes enrollments', () => {
    const first = program('Sales onboarding');
    const second = program('Product basics');
    const big = hires(40);
    const other = hires(5, 'Team Small');
    const manager = company.people['sales.manager@example.com']!;
    const scopes = (): EnrollmentScope[] => [
      {},
      { programId: first.id },
      { programId: second.id },
      { programId: first.id, teamId: big.teamId },
      { programId: first.id, namePrefix: 'be' },
      { programId: first.id, namePrefix: 'ALEX' },
      { personId: big.ids[3] },
      { programId: first.id, onlyPersonIds: [...big.ids.slice(0, 10), manager] },
      { onlyPersonIds: [] },
    ];
    // By hand.
    enrollPeople(t.db, first.id, [...big.ids.slice(0, 30), ...other.ids], hrActor(), t.clock);
    enrollPeople(t.db, second.id, big.ids.slice(10), hrActor(), t.clock);
    expectListsEqualDefinitions(scopes());
    // By a rule.
    addEnrollmentRule(t.db, t.clock, hrActor(), first.id, { teamId: big.teamId });
    expectListsEqualDefinitions(scopes());
    // Ended by hand, and reopened by hand.
    const enrollmentOf = (personId: number, programId: number) =>
      t.db.select().from(enrollments).where(sql`${enrollments.personId} = ${personId} AND ${enrollments.programId} = ${programId}`).get()!;
    for (const personId of big.ids.slice(0, 6)) endEnrollment(t.db, t.clock, hrActor(), enrollmentOf(personId, first.id).id);
    expectListsEqualDefinitions(scopes());
    enrollPeople(t.db, first.id, big.ids.slice(0, 2), hrActor(), t.clock);
    expectListsEqualDefinitions(scopes());
    // A person deactivated, and one moving team (ends what the team gave them).
    updatePerson(t.db, t.clock, hrActor(), big.ids[20]!, { active: false });
    updatePerson(t.db, t.clock, hrActor(), other.ids[0]!, { teamId: big.teamId, managerId: manager });
    expectListsEqualDefinitions(scopes());
    // A renamed person moves in the name order.
    updatePerson(t.db, t.clock, hrActor(), big.ids[25]!, { name: 'aaron First' });
    expectListsEqualDefinitions(scopes());
    // An archived program keeps its enrollments listed.
    updateProgram(t.db, t.clock, hrActor(), second.id, { active: false });
    expectListsEqualDefinitions(scopes());
  });

  it("asks a department head's people by their department when every person of it is below them, with the same lists", () => {
    const first = program('Sales onboarding');
    const big = hires(40);
    const head = company.people['sales.manager@example.com']!;
    enrollPeople(t.db, first.id, big.ids.slice(0, 30), hrActor(), t.clock);
    // The hires and the other sales team report to no one yet: the sales department is not the head's alone.
    expect(wholeDepartmentsBelow(t.db, head)).toBeNull();
    for (const personId of [...big.ids, company.people['west.manager@example.com']!]) updatePerson(t.db, t.clock, hrActor(), personId, { managerId: head });
    expect(wholeDepartmentsBelow(t.db, head)).toEqual(['sales']);
    const byChain: EnrollmentScope = { programId: first.id, belowId: head };
    const byDepartment: EnrollmentScope = { ...byChain, departments: ['sales'] };
    expectListsEqualDefinitions([byChain, byDepartment, { ...byDepartment, namePrefix: 'be' }]);
    const candidates = (scope: EnrollmentScope) => enrollmentCandidates(t.db, first.id, scope, 50);
    expect(candidates(byDepartment)).toEqual(candidates(byChain));
    expect(candidates(byDepartment).people.length).toBeGreaterThan(5);
    // A sales hire outside the head's chain: their department is only partly below them again.
    updatePerson(t.db, t.clock, hrActor(), big.ids[0]!, { managerId: null });
    expect(wholeDepartmentsBelow(t.db, head)).toBeNull();
  });

  it('answers the API in pages whose rows and totals equal the definition: running ones first, then ended ones', async () => {
    const first = program('Sales onboarding');
    const big = hires(23);
    enrollPeople(t.db, first.id, big.ids, hrActor(), t.clock);
    for (const personId of big.ids.slice(0, 4)) {
      const enrollment = t.db.select().from(enrollments).where(eq(enrollments.personId, personId)).get()!;
      endEnrollment(t.db, t.clock, hrActor(), enrollment.id);
    }
    const client = sessionAs(t, 'hr@example.com');
    const walk = async (query: string) => {
      const ids: number[] = [];
      const totals = new Set<number>();
      for (let page = 1; page < 50; page++) {
        const body = (await (await client.get(`/api/v1/enrollments?${query}&page=${page}&pageSize=4`)).json()) as { data: { id: number }[]; total: number };
        totals.add(body.total);
        if (body.data.length === 0) break;
        ids.push(...body.data.map((r) => r.id));
      }
      return { ids, totals: [...totals] };
    };
    const running = definition({ programId: first.id }, 'running');
    const ended = definition({ programId: first.id }, 'ended');
    expect(await walk(`program=${first.id}`)).toEqual({ ids: running, totals: [running.length] });
    expect(await walk(`program=${first.id}&includeEnded=true`)).toEqual({ ids: [...running, ...ended], totals: [running.length + ended.length] });
    expect(await walk('includeEnded=true')).toEqual({
      ids: [...definition({}, 'running'), ...definition({}, 'ended')],
      totals: [definition({}, 'running').length + definition({}, 'ended').length],
    });
    // A manager: their reports only, counted alike.
    const mine = (await (await sessionAs(t, 'sales.manager@example.com').get(`/api/v1/enrollments?program=${first.id}`)).json()) as { total: number };
    expect(mine.total).toBe(0);
  });

  it('shows a program page a page of enrolled people at a time, with filters, and offers at most 50 people to enroll', async () => {
    const first = program('Sales onboarding');
    const big = hires(130);
    enrollPeople(t.db, first.id, big.ids.slice(0, 120), hrActor(), t.clock);
    endEnrollment(t.db, t.clock, hrActor(), t.db.select().from(enrollments).where(eq(enrollments.personId, big.ids[0]!)).get()!.id);
    const client = sessionAs(t, 'hr@example.com');
    const namesOn = (page: string) => [...page.matchAll(/<td data-label="Person"><a href="\/programs\/people\/(\d+)">/g)].map((m) => Number(m[1]));
    const nextOf = (page: string) => /<a href="([^"]+)" rel="next">/.exec(page)?.[1]?.replace(/&amp;/g, '&');

    // Every page in turn, following "Next", shows each running enrollment once, in name order.
    const seen: number[] = [];
    let path: string | undefined = `/programs/${first.id}`;
    let pages = 0;
    while (path) {
      const res = await client.get(path);
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page.length).toBeLessThan(150_000);
      const shown = namesOn(page);
      expect(shown.length).toBeLessThanOrEqual(50);
      seen.push(...shown);
      path = nextOf(page);
      pages++;
    }
    expect(pages).toBe(3);
    const running = definition({ programId: first.id }, 'running');
    const personOf = new Map(
      t.db
        .select()
        .from(enrollments)
        .all()
        .map((e) => [e.id, e.personId]),
    );
    expect(seen).toEqual(running.map((id) => personOf.get(id)));

    const first50 = await (await client.get(`/programs/${first.id}`)).text();
    expect(first50).toContain('Enrolled (119)');
    expect(first50).toContain('Ended (1)');
    // Not enrolled: the ten last hires and the company's own people, at most 50 offered.
    const offered = [...first50.matchAll(/<option value="(\d+)">/g)].length;
    expect(offered).toBeGreaterThan(0);
    expect(first50).toContain('Hold Ctrl');

    // Ended ones, a team, the start of a name (any case).
    const endedPage = await (await client.get(`/programs/${first.id}?show=ended`)).text();
    expect(namesOn(endedPage)).toEqual([big.ids[0]]);
    const team = await (await client.get(`/programs/${first.id}?team=${company.teams['Sales East']}`)).text();
    expect(namesOn(team)).toEqual([]);
    expect(team).toContain('Nobody here is enrolled.');
    const byName = await (await client.get(`/programs/${first.id}?name=ALEX`)).text();
    expect(namesOn(byName)).toEqual(definition({ programId: first.id, namePrefix: 'alex' }, 'running').map((id) => personOf.get(id)));
    // The filter keeps to the people to enroll too: Alex Same of the last ten, not enrolled.
    expect(byName).toContain(`<option value="${big.ids[126]}">Alex Same (Team Big)</option>`);

    // The sessions list offers programs by name (it no longer counts their enrollments to do so).
    expect(await (await client.get('/programs/sessions')).text()).toContain(`<option value="${first.id}">Sales onboarding</option>`);

    // Bad filters are a 400, never a 500.
    for (const bad of ['show=all', 'team=abc', 'after=-1', `name=${'x'.repeat(81)}`])
      expect((await client.get(`/programs/${first.id}?${bad}`)).status, bad).toBe(400);
    // A manager sees their reports only.
    const managerPage = await (await sessionAs(t, 'sales.manager@example.com').get(`/programs/${first.id}`)).text();
    expect(namesOn(managerPage)).toEqual([]);
  });
});
