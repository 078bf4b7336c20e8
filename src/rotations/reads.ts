/**
 * Reading rotations: lists, pages, details, who may see one, and the queries other features read
 * (rotationsForPerson, awayPeople) through index.ts.
 */
import { and, asc, eq, getTableColumns } from 'drizzle-orm';
import {
  people,
  rotationCheckIns,
  rotationChecklistTicks,
  rotationOverrides,
  rotationStatuses,
  teams,
  type Department,
  type RotationStatusName,
} from '../../db/schema';
import type { Viewer } from '../context';
import { preparedQueries, preparedQuery, readTransaction, type Db } from '../db';
import { notFound } from '../lib/errors';
import { addDaysToLocalDate } from '../lib/time';
import { canViewPerson, fewVisiblePersonIds, visiblePersonClause } from '../people/people';
import { asOf, midpointOf, statusOnWhere } from './lifecycle';
import { type RotationProgramDetails, getRotationProgram } from './programs';

export type RotationListRow = {
  id: number;
  programId: number;
  programName: string;
  personId: number;
  personName: string;
  personDepartment: Department;
  homeTeamId: number | null;
  homeTeamName: string | null;
  hostTeamId: number;
  hostTeamName: string;
  mentorId: number | null;
  mentorName: string | null;
  startDate: string;
  endDate: string;
  status: RotationStatusName;
  planId: string | null;
  overrideCount: number;
};

type RotationFilter = {
  from?: string;
  to?: string;
  programId?: number;
  personId?: number;
  /** Only rotations of these people. */
  personIds?: number[];
  hostTeamId?: number;
  /** Only rotations hosted by these teams. */
  hostTeamIds?: number[];
  /** Only these rotations (a page's, as pageOfPeople and pageOfHostTeams found them). */
  rotationIds?: number[];
  homeTeamId?: number;
  department?: Department;
  status?: RotationStatusName;
  /** The date statuses are read on (derived from the dates); without it the stored status. */
  today?: string;
  includeCancelled?: boolean;
  /** Only rotations whose person or mentor the viewer may see (visiblePersonClause on both; null: everyone). */
  visible?: { clause: string; params: unknown[] } | null;
  /** Only rotations whose person or mentor is one of these (the few a manager sees, fewVisiblePersonIds): found from them. */
  visibleIds?: number[];
  /** Only rotations whose person is below this manager or is them (a seek in the kept reporting chain each). */
  belowId?: number;
  /** Not this person's own rotations. */
  exceptPersonId?: number;
};

const LIST_COLUMNS = `r.id, r.program_id AS programId, rp.name AS programName, r.person_id AS personId, p.name AS personName,
  p.department AS personDepartment, p.team_id AS homeTeamId, (SELECT t.name FROM teams t WHERE t.id = p.team_id) AS homeTeamName,
  r.host_team_id AS hostTeamId, ht.name AS hostTeamName, r.mentor_id AS mentorId, (SELECT m.name FROM people m WHERE m.id = r.mentor_id) AS mentorName,
  r.start_date AS startDate, r.end_date AS endDate, r.status, r.plan_id AS planId,
  (SELECT count(*) FROM rotation_overrides o WHERE o.rotation_id = r.id) AS overrideCount`;

const LIST_FROM = `FROM rotations r
  JOIN people p ON p.id = r.person_id JOIN teams ht ON ht.id = r.host_team_id JOIN rotation_programs rp ON rp.id = r.program_id`;

/**
 * The WHERE clause of a rotation filter, with its parameters. Values are compared as `+?` (see eqPlanned in db.ts): with
 * index samples (sqlite_stat4) a bound value compared with an indexed column made SQLite compile the statement again on
 * every run; the plans are the same.
 */
function rotationWhere(db: Db, filter: RotationFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (filter.to) add('r.start_date <= +?', filter.to);
  if (filter.from) {
    add('r.end_date >= +?', filter.from);
    add('r.start_date >= +?', earliestStartRunningOn(db, filter.from));
  }
  if (filter.programId) add('r.program_id = +?', filter.programId);
  if (filter.personId) add('(r.person_id = +? OR r.mentor_id = +?)', filter.personId, filter.personId);
  if (filter.personIds) add('r.person_id IN (SELECT value FROM json_each(?))', JSON.stringify(filter.personIds));
  if (filter.hostTeamId) add('r.host_team_id = +?', filter.hostTeamId);
  if (filter.hostTeamIds) add('r.host_team_id IN (SELECT value FROM json_each(?))', JSON.stringify(filter.hostTeamIds));
  if (filter.rotationIds) add('r.id IN (SELECT value FROM json_each(?))', JSON.stringify(filter.rotationIds));
  if (filter.homeTeamId) add('p.team_id = +?', filter.homeTeamId);
  if (filter.belowId !== undefined) add('EXISTS (SELECT 1 FROM reporting_chain c WHERE c.ancestor_id = +? AND c.descendant_id = r.person_id)', filter.belowId);
  if (filter.exceptPersonId !== undefined) add('r.person_id <> +?', filter.exceptPersonId);
  if (filter.department) add('p.department = +?', filter.department);
  if (filter.status && filter.today) {
    const { clause, params: values } = statusOnWhere(filter.status, filter.today);
    add(clause, ...values);
  } else if (filter.status) add('r.status = +?', filter.status);
  else if (!filter.includeCancelled) add("r.status <> 'cancelled'");
  if (filter.visible) add(filter.visible.clause, ...filter.visible.params);
  if (filter.visibleIds) {
    const ids = JSON.stringify(filter.visibleIds);
    add(
      'r.id IN (SELECT id FROM rotations WHERE person_id IN (SELECT value FROM json_each(?)) UNION ALL SELECT id FROM rotations WHERE mentor_id IN (SELECT value FROM json_each(?)))',
      ids,
      ids,
    );
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const longestSpanQuery = preparedQuery((db) => db.$client.prepare<[], { days: number }>('SELECT days FROM rotation_longest_span WHERE id = 1'));

/**
 * The earliest start date of a rotation that may still run on `from` ('YYYY-MM-DD'): no rotation has lasted longer than
 * rotation_longest_span says, so those overlapping a window are read from a stretch of the start-date index, not from
 * the first rotation ever.
 */
function earliestStartRunningOn(db: Db, from: string): string {
  const longest = longestSpanQuery(db).get();
  return longest ? addDaysToLocalDate(from, -longest.days) : '0000-01-01';
}

/**
 * A statement of the rotation reads, prepared once per database and text: rotationWhere writes only
 * which filters are set into the SQL (its values are parameters), so the texts are few.
 */
const rotationStatement = preparedQueries((db: Db, text: string) => db.$client.prepare(text));

/**
 * The first `limit` rotations matching a filter in date order, with names (raw statement: the timeline reads hundreds).
 * The caller bounds the filter (a page of people or host teams) and says so when `limit` rows come back.
 */
export function listRotations(db: Db, filter: RotationFilter, limit: number): RotationListRow[] {
  const { where, params } = rotationWhere(db, filter);
  const statement = rotationStatement(db, `SELECT ${LIST_COLUMNS} ${LIST_FROM} ${where} ORDER BY r.start_date, p.name, r.id LIMIT +?`);
  // Rows as arrays, named here in LIST_COLUMNS' order: better-sqlite3 builds an object of 17 named columns per row
  // at about twice the cost of these literals, and the timeline reads hundreds.
  const rows = (statement.raw(true).all(...params, limit) as unknown[][]).map(
    (r): RotationListRow => ({
      id: r[0] as number,
      programId: r[1] as number,
      programName: r[2] as string,
      personId: r[3] as number,
      personName: r[4] as string,
      personDepartment: r[5] as Department,
      homeTeamId: r[6] as number | null,
      homeTeamName: r[7] as string | null,
      hostTeamId: r[8] as number,
      hostTeamName: r[9] as string,
      mentorId: r[10] as number | null,
      mentorName: r[11] as string | null,
      startDate: r[12] as string,
      endDate: r[13] as string,
      status: r[14] as RotationStatusName,
      planId: r[15] as string | null,
      overrideCount: r[16] as number,
    }),
  );
  const today = filter.today;
  return today ? rows.map((r) => asOf(today, r)) : rows;
}

// The person's own rows are found first (two index seeks): left to itself the planner may walk every team's rotations.
// Values compared as `+@value` keep the plan instead of compiling it again for each person (see eqPlanned).
/** listRotations of one person (or their mentor) in a window, not cancelled: what My schedule shows, compiled once per database. */
const personRotationsQuery = preparedQuery((db) =>
  db.$client.prepare<{ person: number; from: string; to: string }, RotationListRow>(
    `SELECT ${LIST_COLUMNS} ${LIST_FROM}
      WHERE r.id IN (SELECT id FROM rotations WHERE person_id = +@person AND start_date <= +@to UNION ALL SELECT id FROM rotations WHERE mentor_id = +@person AND start_date <= +@to)
        AND r.start_date <= +@to AND r.end_date >= +@from AND r.status <> 'cancelled'
      ORDER BY r.start_date, p.name, r.id`,
  ),
);

/**
 * Where a page's rotations are looked for: in start order, walking the start-date index and stopping at the page's end
 * (sorting only each day's rotations by name), where no filter names the few rotations to read (a person's, a team's, a
 * program's). Only the people are joined: names and columns are read for the page's rotations alone.
 */
const WALK_PAGE_FROM = 'FROM rotations r INDEXED BY rotations_start_idx CROSS JOIN people p ON p.id = r.person_id';
const PAGE_FROM = 'FROM rotations r JOIN people p ON p.id = r.person_id';

/**
 * One page of the rotations matching a filter, in list order, and how many there are, counted up to COUNTED_UP_TO (or
 * one past the page asked for, when further): `more` says there are more than `total`. A count of every rotation a
 * department's head may see grows with the company; a page's cost should not. `exactTotal`, when given, says the total
 * instead of counting.
 */
export function pageOfRotations(
  db: Db,
  filter: RotationFilter,
  page: number,
  pageSize: number,
  exactTotal?: () => number,
): { rows: RotationListRow[]; total: number; more: boolean } {
  const { where, params } = rotationWhere(db, filter);
  const narrowed =
    filter.personId !== undefined ||
    filter.personIds !== undefined ||
    filter.hostTeamId !== undefined ||
    filter.hostTeamIds !== undefined ||
    filter.rotationIds !== undefined ||
    filter.programId !== undefined ||
    filter.homeTeamId !== undefined ||
    filter.visibleIds !== undefined;
  const order = 'ORDER BY r.start_date, p.name, r.id';
  const pageStatement = rotationStatement(
    db,
    `SELECT ${LIST_COLUMNS} ${LIST_FROM} WHERE r.id IN (SELECT r.id ${narrowed ? PAGE_FROM : WALK_PAGE_FROM} ${where} ${order} LIMIT +? OFFSET +?) ${order}`,
  );
  // Counted apart, and without the people joined unless a filter asks of them: every rotation has its person.
  const byPerson = filter.homeTeamId !== undefined || filter.department !== undefined;
  const counted = byPerson ? 'FROM rotations r JOIN people p ON p.id = r.person_id' : 'FROM rotations r';
  const upTo = Math.max(COUNTED_UP_TO, page * pageSize);
  const { rows, n } = readTransaction(db, () => {
    const rows = pageStatement.all(...params, pageSize, (page - 1) * pageSize) as RotationListRow[];
    // The count is asked only when the page does not already say it: a first page shorter than a page is everything.
    if (page === 1 && rows.length < pageSize) return { rows, n: rows.length };
    if (exactTotal) return { rows, n: exactTotal() };
    return {
      rows,
      n: (rotationStatement(db, `SELECT count(*) AS n FROM (SELECT 1 ${counted} ${where} LIMIT +?)`).get(...params, upTo + 1) as { n: number }).n,
    };
  });
  const today = filter.today;
  const total = exactTotal ? n : Math.min(n, upTo);
  return { rows: today ? rows.map((row) => asOf(today, row)) : rows, total, more: !exactTotal && n > upTo };
}

/** Above this many people in view, a page walks the directory in name order instead of sorting everyone in view. */
const WALKED_FROM = 500;
/** Above this many host teams in view, a page walks the teams in name order instead of sorting the teams of every rotation in view. */
const TEAMS_WALKED_FROM = 40;

/**
 * How many are counted at least before a page says "N+": a count of everyone in a company's window grows with the
 * company; pages past it count one page further each, so "next" stays offered while there are more.
 */
const COUNTED_UP_TO = 1_000;

/**
 * A page of ids in their order, how many there are (counted up to a bound) and whether there are more past that count;
 * with `rotationIds`, the page's rotations in view as well (found with the page, see pageOfIds' `fused`).
 */
type IdPage = { ids: number[]; total: number; more: boolean; rotationIds?: number[] };

/**
 * A page of ids through three statements of the same parameters: `count` (its last parameter is its LIMIT) counts up to
 * `upTo`, or one past the page asked for when that is further; the page is `grouped` (from the rotations in view) when
 * `grouped(total, more)` says so, else `walked` (in name order), each taking LIMIT and OFFSET last.
 */
function pageOfIds(
  db: Db,
  statements: { count: string; grouped: string; walked: string; fused?: string },
  params: unknown[],
  page: { page: number; pageSize: number; upTo: number },
  grouped: (total: number, more: boolean) => boolean,
): IdPage {
  const counted = Math.max(page.upTo, page.page * page.pageSize);
  const offset = (page.page - 1) * page.pageSize;
  if (statements.fused) {
    // The few a manager sees: one statement groups what is in view once, counts the groups and names each group's
    // rotations, so neither a count nor the page's list starts again from everyone the manager sees. Its order is
    // the grouped (and walked) order; a page past the last has no row to carry the count, and counts as below.
    const rows = rotationStatement(db, statements.fused).all(...params, page.pageSize, offset) as { id: number; rotations: string; n: number }[];
    if (rows.length) {
      const n = rows[0].n;
      return {
        ids: rows.map((r) => r.id),
        total: Math.min(n, counted),
        more: n > counted,
        rotationIds: rows.flatMap((r) => JSON.parse(r.rotations) as number[]),
      };
    }
  }
  const { n } = rotationStatement(db, statements.count).get(...params, counted + 1) as { n: number };
  const total = Math.min(n, counted);
  const more = n > counted;
  if (total === 0 || offset >= total) return { ids: [], total, more };
  const rows = rotationStatement(db, grouped(total, more) ? statements.grouped : statements.walked).all(...params, page.pageSize, offset) as { id: number }[];
  return { ids: rows.map((r) => r.id), total, more };
}

/**
 * One page of the people with rotations matching a filter, by name, and how many there are (up to COUNTED_UP_TO, then
 * "more"). A few hundred people are grouped and sorted; more (HR or a department's head over a whole company's window)
 * are found by walking people in name order (people_name_nocase_idx), each asked for a rotation in view through their
 * own rotations, so a page costs the people it passes, not everyone in view. Neither the count nor the page reads
 * more of the window than the count's bound.
 */
export function pageOfPeople(db: Db, filter: RotationFilter, page: number, pageSize: number, walkedFrom = WALKED_FROM, upTo = COUNTED_UP_TO): IdPage {
  const { where, params } = rotationWhere(db, filter);
  const joinPeople = /\bp\./.test(where) ? 'JOIN people p ON p.id = r.person_id' : '';
  const statements = {
    count: `SELECT count(*) AS n FROM (SELECT DISTINCT r.person_id FROM rotations r ${joinPeople} ${where} LIMIT +?)`,
    grouped: `SELECT r.person_id AS id FROM rotations r JOIN people p ON p.id = r.person_id ${where}
            GROUP BY r.person_id ORDER BY min(p.name) COLLATE NOCASE, r.person_id LIMIT +? OFFSET +?`,
    walked: `SELECT p.id FROM people p INDEXED BY people_name_nocase_idx
            WHERE EXISTS (SELECT 1 FROM rotations r ${where ? `${where} AND` : 'WHERE'} r.person_id = p.id)
            ORDER BY p.name COLLATE NOCASE, p.id LIMIT +? OFFSET +?`,
    fused:
      filter.visibleIds === undefined
        ? undefined
        : `SELECT r.person_id AS id, json_group_array(r.id) AS rotations, count(*) OVER () AS n FROM rotations r JOIN people p ON p.id = r.person_id ${where}
            GROUP BY r.person_id ORDER BY min(p.name) COLLATE NOCASE, r.person_id LIMIT +? OFFSET +?`,
  };
  return pageOfIds(db, statements, params, { page, pageSize, upTo }, (total, more) => total <= walkedFrom && !more);
}

/**
 * One page of the host teams of the rotations matching a filter, by name, and how many there are (as pageOfPeople). The
 * teams of a few people's rotations are grouped and sorted; otherwise teams are walked in name order (teams_name_unique),
 * each asked for a rotation in view through its own rotations, so a page costs the teams it passes.
 */
export function pageOfHostTeams(db: Db, filter: RotationFilter, page: number, pageSize: number, walkedFrom = TEAMS_WALKED_FROM, upTo = COUNTED_UP_TO): IdPage {
  const { where, params } = rotationWhere(db, filter);
  const joinPeople = /\bp\./.test(where) ? 'JOIN people p ON p.id = r.person_id' : '';
  const inView = `EXISTS (SELECT 1 FROM rotations r ${joinPeople} ${where ? `${where} AND` : 'WHERE'} r.host_team_id = t.id)`;
  const few = filter.visibleIds !== undefined;
  const statements = {
    count: few
      ? `SELECT count(*) AS n FROM (SELECT DISTINCT r.host_team_id FROM rotations r ${joinPeople} ${where} LIMIT +?)`
      : `SELECT count(*) AS n FROM (SELECT 1 FROM teams t WHERE ${inView} LIMIT +?)`,
    grouped: `SELECT r.host_team_id AS id FROM rotations r JOIN teams t ON t.id = r.host_team_id ${joinPeople} ${where}
            GROUP BY r.host_team_id ORDER BY lower(min(t.name)), r.host_team_id LIMIT +? OFFSET +?`,
    walked: `SELECT t.id FROM teams t INDEXED BY teams_name_unique WHERE ${inView} ORDER BY lower(t.name), t.id LIMIT +? OFFSET +?`,
    fused: few
      ? `SELECT r.host_team_id AS id, json_group_array(r.id) AS rotations, count(*) OVER () AS n FROM rotations r JOIN teams t ON t.id = r.host_team_id ${joinPeople} ${where}
            GROUP BY r.host_team_id ORDER BY lower(min(t.name)), r.host_team_id LIMIT +? OFFSET +?`
      : undefined,
  };
  return pageOfIds(db, statements, params, { page, pageSize, upTo }, (total, more) => few || (total <= walkedFrom && !more));
}

/**
 * Spans of live rotations of some programs in a window, in some host teams, as day numbers (days since 1970-01-01, as
 * toDayNumber, from SQLite's own date arithmetic): what host capacity counts. One row per program and host team, its
 * spans' first and last days in turn as one text: a page counts hundreds of spans, and a row per span (an array built
 * by better-sqlite3) cost more than finding them (a manager's page: about 105 -> 75 µs).
 */
const capacitySpansQuery = preparedQuery((db) =>
  db.$client
    .prepare<[string, string, string, string], [number, number, string]>(
      `SELECT program_id, host_team_id,
         group_concat(CAST(julianday(start_date) - 2440587.5 AS INTEGER) || ' ' || CAST(julianday(end_date) - 2440587.5 AS INTEGER), ' ')
       FROM rotations
       WHERE host_team_id IN (SELECT value FROM json_each(?)) AND status <> 'cancelled' AND start_date <= +? AND end_date >= +?
         AND program_id IN (SELECT value FROM json_each(?))
       GROUP BY host_team_id, program_id`,
    )
    .raw(true),
);

/** The integers of a text of space-separated integers, read in place (no piece of text per number). */
function integersOf(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let sign = 1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32) {
      values.push(sign * value);
      value = 0;
      sign = 1;
    } else if (code === 45) sign = -1;
    else value = value * 10 + code - 48;
  }
  values.push(sign * value);
  return values;
}

/** Per program and host team with guests in the window, the first and last day of each guest's span in turn. */
export function capacitySpans(db: Db, programIds: number[], hostTeamIds: number[], from: string, to: string) {
  return capacitySpansQuery(db)
    .all(JSON.stringify(hostTeamIds), to, from, JSON.stringify(programIds))
    .map(([programId, hostTeamId, days]) => ({ programId, hostTeamId, days: integersOf(days) }));
}

export type RotationDetails = RotationListRow & {
  program: RotationProgramDetails;
  cancelReason: string | null;
  overrides: { rule: string; message: string; reason: string; byName: string | null; at: Date }[];
  checklist: { id: number; title: string; doneAt: Date | null }[];
  checkIns: {
    id: number;
    authorId: number;
    authorName: string;
    authorRole: 'guest' | 'mentor';
    kind: 'midpoint' | 'end';
    learned: string;
    otherDepartmentShouldChange: string;
    submittedAt: Date;
  }[];
  midpoint: string;
};

/** One rotation with its program, overrides, checklist and check-ins, its status as it stands on `today`. */
export function rotationDetails(db: Db, id: number, today: string): RotationDetails {
  const row = rotationStatement(db, `SELECT ${LIST_COLUMNS}, r.cancel_reason AS cancelReason ${LIST_FROM} WHERE r.id = ?`).get(id) as
    | (RotationListRow & { cancelReason: string | null })
    | undefined;
  if (!row) throw notFound('No rotation with this id.');
  const program = getRotationProgram(db, row.programId);
  const overrides = db
    .select({ ...getTableColumns(rotationOverrides), byName: people.name })
    .from(rotationOverrides)
    .leftJoin(people, eq(people.id, rotationOverrides.overriddenById))
    .where(eq(rotationOverrides.rotationId, id))
    .orderBy(asc(rotationOverrides.id))
    .all();
  const ticks = db.select().from(rotationChecklistTicks).where(eq(rotationChecklistTicks.rotationId, id)).all();
  const checklist = program.checklist.map((item) => ({ id: item.id, title: item.title, doneAt: ticks.find((t) => t.itemId === item.id)?.doneAt ?? null }));
  const checkIns = db
    .select({ ...getTableColumns(rotationCheckIns), authorName: people.name })
    .from(rotationCheckIns)
    .innerJoin(people, eq(people.id, rotationCheckIns.authorId))
    .where(eq(rotationCheckIns.rotationId, id))
    .orderBy(asc(rotationCheckIns.kind), asc(rotationCheckIns.authorRole))
    .all();
  return {
    ...asOf(today, row),
    cancelReason: row.cancelReason,
    program,
    overrides,
    checklist,
    checkIns,
    midpoint: midpointOf(row.startDate, row.endDate),
  };
}

/**
 * Up to this many people in view, a manager's rotations (the list, the timeline) are found from their people (a seek each)
 * instead of asked of the chain row by row: a team of a thousand is cheaper read from its people.
 */
export const FEW_VISIBLE = 2_000;

/** The part of a rotation filter that says whose rotations a viewer may see: every one (HR), a manager's few people's, or those the chain allows. */
export function visibleRotations(db: Db, viewer: Viewer): Pick<RotationFilter, 'visible' | 'visibleIds'> {
  if (viewer.person.role === 'hr') return {};
  const few = fewVisiblePersonIds(db, viewer, FEW_VISIBLE);
  return few ? { visibleIds: few } : { visible: visiblePersonClause(db, viewer, ['r.person_id', 'r.mentor_id']) };
}

/** Who may see a rotation: HR; its person and mentor; managers of either; managers of the host team. */
export function canViewRotation(db: Db, viewer: Viewer, row: { personId: number; mentorId: number | null; hostTeamId: number }): boolean {
  if (viewer.person.role === 'hr') return true;
  // A seek in the kept chain each: a department's head has tens of thousands below, never listed.
  if (canViewPerson(db, viewer, row.personId) || (row.mentorId !== null && canViewPerson(db, viewer, row.mentorId))) return true;
  if (viewer.person.role === 'manager') {
    return !!db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.id, row.hostTeamId), eq(teams.managerId, viewer.person.id)))
      .get();
  }
  return false;
}

// ── queries for other features (schedules, calendars, who is away) ─────────

/** What other features are told of a rotation; the dates are an all-day span of local dates, both inclusive ('YYYY-MM-DD'). */
const personRotationFields = [
  'programId',
  'programName',
  'personId',
  'personName',
  'hostTeamId',
  'hostTeamName',
  'mentorId',
  'mentorName',
  'startDate',
  'endDate',
  'status',
] as const;

export type PersonRotation = {
  rotationId: number;
  /** 'person': the person rotates; 'mentor': the person mentors whoever rotates. */
  role: 'person' | 'mentor';
} & Pick<RotationListRow, (typeof personRotationFields)[number]>;

/**
 * The person's rotations (as the one rotating or as mentor) overlapping the calendar dates [from, to]
 * (inclusive, 'YYYY-MM-DD'), cancelled ones left out, earliest first. For schedules and calendar
 * feeds: each is an all-day span from startDate to endDate inclusive (in iCalendar: DTSTART;VALUE=DATE
 * = startDate, DTEND = endDate + 1 day).
 */
export function rotationsForPerson(db: Db, personId: number, from: string, to: string): PersonRotation[] {
  const rows = personRotationsQuery(db).all({ person: personId, from, to });
  return rows.map(
    (r): PersonRotation => ({
      rotationId: r.id,
      role: r.personId === personId ? 'person' : 'mentor',
      ...(Object.fromEntries(personRotationFields.map((field) => [field, r[field]])) as Pick<RotationListRow, (typeof personRotationFields)[number]>),
    }),
  );
}

export type AwayPerson = {
  personId: number;
  name: string;
  department: Department;
  homeTeamId: number | null;
  homeTeamName: string | null;
  rotationId: number;
  programName: string;
  hostTeamId: number;
  hostTeamName: string;
  startDate: string;
  endDate: string;
  status: RotationStatusName;
};

/**
 * Whose absences a viewer may list: everyone (HR, null) or the people below a manager (and themselves), with those
 * people listed when they are few (a team's manager, not a department's head).
 */
export type AwayScope = { belowId: number; few: number[] | undefined } | null;

export const awayScopeOf = (db: Db, viewer: Viewer): AwayScope =>
  viewer.person.role === 'hr' ? null : { belowId: viewer.person.id, few: fewVisiblePersonIds(db, viewer, FEW_VISIBLE) };

/**
 * Everyone away on a (not cancelled) rotation on any day of [from, to] (inclusive 'YYYY-MM-DD'), by start date: who is
 * missing from their home team when, a page at a time. A manager with few people below them has their rotations found
 * from them; a department's head has the window's rotations asked of the kept reporting chain one by one, so a page
 * costs the rotations it passes, not a list of everyone below them.
 */
export function awayPeople(
  db: Db,
  from: string,
  to: string,
  scope: AwayScope,
  page: { page: number; pageSize: number; exceptPersonId?: number },
): { rows: AwayPerson[]; total: number; more: boolean } {
  const filter: RotationFilter = {
    from,
    to,
    exceptPersonId: page.exceptPersonId,
    ...(scope === null ? {} : scope.few ? { personIds: scope.few } : { belowId: scope.belowId }),
  };
  // Everyone's count is kept (by status, and those starting in the window): exact, whatever the company's size.
  const exact = scope === null && !page.exceptPersonId ? () => rotationsOverlapping(db, from, to) : undefined;
  const { rows, total, more } = pageOfRotations(db, filter, page.page, page.pageSize, exact);
  return {
    total,
    more,
    rows: rows.map((r) => ({
      personId: r.personId,
      name: r.personName,
      department: r.personDepartment,
      homeTeamId: r.homeTeamId,
      homeTeamName: r.homeTeamName,
      rotationId: r.id,
      programName: r.programName,
      hostTeamId: r.hostTeamId,
      hostTeamName: r.hostTeamName,
      startDate: r.startDate,
      endDate: r.endDate,
      status: r.status,
    })),
  };
}

const rotationCountsQuery = preparedQuery((db) => ({
  kept: db.$client.prepare<[], { status: RotationStatusName; rotations: number }>(
    'SELECT status, sum(rotations) AS rotations FROM rotation_status_counts GROUP BY status',
  ),
  // How many rows of each stored status `today` has moved to each other status (statusOn's rule, by the branch each
  // is found in): what the status job has yet to move. One sum over an index range a branch, so a Monday's few
  // hundred starts are counted in the index instead of read row by row.
  stale: db.$client.prepare<{ today: string }, { stored: RotationStatusName } & Record<'planned' | 'active' | 'completed', number | null>>(`
    SELECT 'planned' AS stored, 0 AS planned, sum(end_date >= @today) AS active, sum(end_date < @today) AS completed
      FROM rotations WHERE status = 'planned' AND start_date <= @today
    UNION ALL SELECT 'active', count(*), 0, 0 FROM rotations WHERE status = 'active' AND start_date > @today AND end_date >= @today
    UNION ALL SELECT 'active', 0, 0, count(*) FROM rotations WHERE status = 'active' AND end_date < @today
    UNION ALL SELECT 'completed', sum(start_date > @today), sum(start_date <= @today), 0
      FROM rotations WHERE status = 'completed' AND end_date >= @today`),
  startingIn: db.$client.prepare<{ after: string; until: string }, { n: number }>(
    "SELECT count(*) AS n FROM rotations WHERE start_date > @after AND start_date <= @until AND status <> 'cancelled'",
  ),
}));

/**
 * How many rotations have each status on `today` (from the dates, as statusOn): the counts kept per stored status,
 * moved for the rows whose stored status the calendar has passed. The status job keeps those few, so the cost is
 * theirs, not the company's every rotation.
 */
export function rotationCounts(db: Db, today: string): Record<RotationStatusName, number> {
  const statements = rotationCountsQuery(db);
  return readTransaction(db, () => {
    const counts = Object.fromEntries(rotationStatuses.map((s) => [s, 0])) as Record<RotationStatusName, number>;
    for (const row of statements.kept.all()) counts[row.status] += row.rotations;
    for (const row of statements.stale.all({ today }))
      for (const now of ['planned', 'active', 'completed'] as const) {
        counts[row.stored] -= row[now] ?? 0;
        counts[now] += row[now] ?? 0;
      }
    return counts;
  });
}

/**
 * How many rotations (not cancelled) overlap [from, to]: those under way on `from` and those starting after it by
 * `to`. The first is rotationCounts' active, the second a range of start dates: the window's cost, not the company's.
 */
function rotationsOverlapping(db: Db, from: string, to: string): number {
  return readTransaction(db, () => rotationCounts(db, from).active + (rotationCountsQuery(db).startingIn.get({ after: from, until: to })?.n ?? 0));
}
