import { and, asc, count, eq, inArray, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import {
  departmentHeadcounts,
  departments,
  people,
  reportingChain,
  reportingCounts,
  reportingDepartmentCounts,
  roles,
  teams,
  type Department,
} from '../../db/schema';
import type { Person, Viewer } from '../context';
import { likeEscaped, plannedLimit, preparedPerShape, preparedQueries, preparedQuery, writeShape, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, conflict, forbidden, notFound } from '../lib/errors';
import { blankToUndefined, dateSchema, emailSchema, idSchema, zoneSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { revokeSessionsOf } from '../auth/auth';
import { afterPeopleWritten } from './listeners';
import { isBelow, peopleOnCycle, reportIds } from './chain';
import { hashPassword } from '../auth/password';
import { zoneOrCompanyDefault } from './settings';

export const departmentSchema = z.enum(departments, { message: 'Department must be sales, marketing or other.' });
export const roleSchema = z.enum(roles, { message: 'Role must be hr, manager or employee.' });

export const optionalId = z.preprocess((v) => (v === '' || v === null ? null : v), idSchema.nullable().optional());

const personFields = z.object({
  email: emailSchema,
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a name.').max(200),
  department: departmentSchema,
  title: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).max(200),
  teamId: optionalId,
  managerId: optionalId,
  hireDate: dateSchema,
  timeZone: zoneSchema,
  role: roleSchema,
});

export const personInputSchema = personFields.extend({
  title: z.preprocess((v) => v ?? '', z.string().trim().max(200)),
  role: roleSchema.default('employee'),
  // Left out: the company's default time zone (never a silent UTC; see ./settings).
  timeZone: z.preprocess(blankToUndefined, zoneSchema.optional()),
});
type PersonInput = z.infer<typeof personInputSchema>;
// No defaults here: a PATCH changes only what it names.
export const personPatchSchema = personFields.partial().extend({
  active: z.boolean().optional(),
  // Deactivating someone with reports (or teams they manage) names who takes them over.
  successorId: idSchema.optional(),
});
type PersonPatch = z.infer<typeof personPatchSchema>;

/** Fields safe to show or return; never the password hash or lock-out state. */
export function publicPerson(p: Person) {
  return {
    id: p.id,
    email: p.email,
    name: p.name,
    department: p.department,
    title: p.title,
    teamId: p.teamId,
    managerId: p.managerId,
    hireDate: p.hireDate,
    timeZone: p.timeZone,
    role: p.role,
    active: p.active,
  };
}

export { isBelow, reportIds } from './chain';

/**
 * Whom a viewer may see (visiblePersonIds' rule) as one of three shapes of condition, the viewer bound as a
 * placeholder so that each shape is compiled once: everyone (HR), themselves, or the people below a manager,
 * read from the kept reporting chain (one range of reporting_chain, or one seek per row asked), so neither
 * costs the size of the company nor the depth of the chart.
 */
type Visibility = { kind: 'all' | 'self' | 'below'; values: { viewerId: number } };

function visibilityOf(viewer: Viewer): Visibility {
  const values = { viewerId: viewer.person.id };
  if (viewer.person.role === 'hr') return { kind: 'all', values };
  return { kind: viewer.person.role === 'manager' ? 'below' : 'self', values };
}

/**
 * The manager's own row (depth 0) is in the chain too: "below or themselves" is one seek per row asked, so a page
 * driven by its own index (names, dates, a search) never lists the tens of thousands below a department's head.
 */
const belowOrSelf = (column: string) => `EXISTS (SELECT 1 FROM reporting_chain WHERE ancestor_id = +? AND descendant_id = ${column})`;

function visibilitySql(kind: Visibility['kind'], personId: SQL | AnyColumn): SQL | undefined {
  const viewerId = sql`${sql.placeholder('viewerId')}`;
  if (kind === 'all') return undefined;
  if (kind === 'self') return sql`${personId} = ${viewerId}`;
  return sql`EXISTS (SELECT 1 FROM reporting_chain WHERE ancestor_id = ${viewerId} AND descendant_id = ${personId})`;
}

/**
 * The same rule for a raw statement: the viewer may see the person in any of `columns` (SQL column names), as a
 * clause with its parameters; null means everyone (HR).
 */
export function visiblePersonClause(_db: Db, viewer: Viewer, columns: string[]): { clause: string; params: unknown[] } | null {
  const { kind, values } = visibilityOf(viewer);
  if (kind === 'all') return null;
  const parts = columns.map((column) => (kind === 'self' ? `${column} = +?` : belowOrSelf(column)));
  return { clause: `(${parts.join(' OR ')})`, params: columns.map(() => values.viewerId) };
}

// Plucked: the ids themselves, not an object per person.
const visibleFewQuery = preparedQuery((db) =>
  db.$client.prepare<[number, number], number>('SELECT descendant_id FROM reporting_chain WHERE ancestor_id = +? LIMIT +?').pluck(),
);

/**
 * The people a viewer may see when they are at most `max` (a team's manager, not a department's head): a page can start
 * from them (a seek each) instead of asking of every row in view whether the viewer may see it. Undefined when the viewer
 * sees everyone (HR) or more than `max` people (visiblePersonClause is then the cheaper rule).
 */
export function fewVisiblePersonIds(db: Db, viewer: Viewer, max: number): number[] | undefined {
  const { kind, values } = visibilityOf(viewer);
  if (kind === 'all') return undefined;
  if (kind === 'self') return [values.viewerId];
  const ids = visibleFewQuery(db).all(values.viewerId, max + 1);
  return ids.length > max ? undefined : ids;
}

const canViewQuery = preparedQueries((db: Db, kind: Visibility['kind']) =>
  db
    .select({ yes: sql<number>`${visibilitySql(kind, people.id) ?? sql`1`}` })
    .from(people)
    .where(eq(people.id, sql.placeholder('personId')))
    .prepare(),
);

/** The ids a viewer may see people data for: null means everyone (HR). */
export function visiblePersonIds(db: Db, viewer: Viewer): number[] | null {
  if (viewer.person.role === 'hr') return null;
  if (viewer.person.role === 'manager') return [viewer.person.id, ...reportIds(db, viewer.person.id)];
  return [viewer.person.id];
}

export function canViewPerson(db: Db, viewer: Viewer, personId: number) {
  const visibility = visibilityOf(viewer);
  return visibility.kind === 'all' || canViewQuery(db, visibility.kind).get({ ...visibility.values, personId })?.yes === 1;
}

type PeopleFilter = {
  q?: string;
  department?: Department;
  teamId?: number;
  active?: boolean;
  page: number;
  pageSize: number;
};

const manager = alias(people, 'manager');

/** LIKE :pattern on name, email or title: what the search indexes find, asked of a row at hand. */
function likeWords() {
  const pattern = sql.placeholder('pattern');
  return or(
    sql`${people.name} LIKE ${pattern} ESCAPE '\\'`,
    sql`${people.email} LIKE ${pattern} ESCAPE '\\'`,
    sql`${people.title} LIKE ${pattern} ESCAPE '\\'`,
  );
}

/**
 * The search indexes' rows are keyed by the person's department and place in name order (migrations 0069, 0070):
 * the department's position in `departments` in the top bits (from KEY_DEPARTMENT_SHIFT), then the first six
 * characters of the name, each mapped to six bits that never decrease as its code point grows, then the person's id
 * in the low KEY_ID_BITS. A department's keys in order are its names in order, but for the people of one group (the
 * same department and six characters); a key's group is the key shifted right by KEY_ID_BITS.
 */
const KEY_ID_BITS = 25;
const KEY_ID_MASK = 2 ** KEY_ID_BITS - 1;
const KEY_PREFIX_BITS = 36;
const KEY_DEPARTMENT_SHIFT = KEY_ID_BITS + KEY_PREFIX_BITS;

/** The person an index row's key stands for. */
function personOfKey(key: SQL) {
  return sql`(${key} & ${sql.raw(String(KEY_ID_MASK))})`;
}

/** An index's rows of the departments :fromDepartment to :toDepartment (their positions in `departments`). */
function departmentKeys(key: SQL) {
  const shift = sql.raw(String(KEY_DEPARTMENT_SHIFT));
  const below = sql.raw(String(2n ** BigInt(KEY_DEPARTMENT_SHIFT) - 1n));
  return sql`${key} BETWEEN (${sql.placeholder('fromDepartment')} << ${shift}) AND ((${sql.placeholder('toDepartment')} << ${shift}) | ${below})`;
}

/** listPeople's page and count, one statement each per shape of filter and visibility; values are placeholders. */
const peopleListQueries = preparedQueries((db: Db, shape: string) => {
  const [department, team, active, search, visibility, drive] = shape.split(':');
  // A manager with few people below reads them from the chain's range (the row ids asked of the table, sorted
  // after): a page costs their number, not a walk of the whole directory's name index looking for them.
  const fromChain = drive === 'chain';
  const conditions: (SQL | undefined)[] = [
    department === 'd'
      ? eq(people.department, sql.placeholder('department'))
      : // Every department, named: the inactive few are then found by the (department, active) index.
        department === 'D'
        ? inArray(people.department, [...departments])
        : undefined,
    team === 't' ? eq(people.teamId, sql.placeholder('teamId')) : undefined,
    active === 'a' ? eq(people.active, sql.placeholder('active')) : undefined,
    fromChain
      ? sql`${people.id} IN (SELECT descendant_id FROM reporting_chain WHERE ancestor_id = ${sql.placeholder('viewerId')})`
      : visibilitySql(visibility as Visibility['kind'], people.id),
  ];
  // A search through an index (people_search's trigrams for three characters or more, people_short_search's
  // characters and pairs for one or two, kept by triggers) finds the same people as LIKE '%q%' on name, email and
  // title without reading the whole directory. Each index row is keyed by the person's place in name order
  // (searchKey), so its matches come in that order. LIKE itself is asked of the rows a walk reads anyway: the
  // few people of a chain's range, or of a team.
  const indexed = search === 'match' || search === 'short';
  const fts = sql.raw(search === 'short' ? 'people_short_search' : 'people_search');
  const matched = personOfKey(sql`${fts}.rowid`);
  if (indexed) conditions.push(sql`${people.id} IN (SELECT ${personOfKey(sql`rowid`)} FROM ${fts} WHERE ${fts} MATCH ${sql.placeholder('match')})`);
  else if (search) {
    conditions.push(likeWords());
  }
  // Its statistics say every department is a third active, a third not: SQLite would read the whole table.
  const byActivity = sql.raw(department === 'D' ? ' INDEXED BY people_department_active_idx' : '');
  const filtered = and(...conditions.slice(0, 4));
  const where = and(...conditions);
  const listed = () =>
    db
      .select({
        id: people.id,
        name: people.name,
        email: people.email,
        department: people.department,
        title: people.title,
        role: people.role,
        active: people.active,
        hireDate: people.hireDate,
        timeZone: people.timeZone,
        teamId: people.teamId,
        teamName: teams.name,
        managerId: people.managerId,
        managerName: manager.name,
      })
      .from(people)
      .leftJoin(teams, eq(teams.id, people.teamId))
      .leftJoin(manager, eq(manager.id, people.managerId));
  // The index's matches that pass the filter, one person read for each (the CROSS JOIN keeps SQLite from walking
  // the name index instead).
  const matches = () => sql`${fts} CROSS JOIN ${people} ON ${people.id} = ${matched}`;
  const matching = and(sql`${fts} MATCH ${sql.placeholder('match')}`, filtered);
  // A department's matches in key order (see KEY_ID_BITS): each one's group and id.
  const inKeyOrder = (range: SQL) =>
    db
      .select({ group: sql<number>`${fts}.rowid >> ${sql.raw(String(KEY_ID_BITS))}`, id: sql<number>`${people.id}` })
      .from(matches())
      .where(and(matching, range))
      .orderBy(sql`${fts}.rowid`);
  return {
    // How many people the index finds for the words, anyone's, counted no further than :cap: whether they are few
    // enough to gather and sort (pageIds), or so many that the name index is walked instead.
    found: indexed
      ? db
          .select({ n: count() })
          .from(sql`(SELECT 1 FROM ${fts} WHERE ${fts} MATCH ${sql.placeholder('match')} LIMIT ${plannedLimit('cap')})`)
          .prepare()
      : null,
    // The index's few matches, gathered: one statement counts them and finds the page's ids in name order; the
    // page's rows and names are then read by id (byIds).
    pageIds: indexed
      ? db
          .select({ id: sql<number>`${people.id}`, n: sql<number>`count(*) OVER ()` })
          .from(matches())
          .where(matching)
          .orderBy(asc(people.name), asc(people.id))
          .limit(plannedLimit('limit'))
          .offset(plannedLimit('offset'))
          .prepare()
      : null,
    // The first :limit matches in key order, and every match of one group (see pageInNameOrder).
    firstInKeyOrder: indexed
      ? inKeyOrder(departmentKeys(sql`${fts}.rowid`))
          .limit(plannedLimit('limit'))
          .prepare()
      : null,
    groupInKeyOrder: indexed
      ? inKeyOrder(
          sql`${fts}.rowid BETWEEN ${sql.placeholder('group')} << ${sql.raw(String(KEY_ID_BITS))} AND (${sql.placeholder('group')} << ${sql.raw(String(KEY_ID_BITS))}) | ${sql.raw(String(KEY_ID_MASK))}`,
        ).prepare()
      : null,
    // How many match, counted no further than :cap (see SEARCH_COUNTED): from the trigram index's matches in
    // turn, each person read until :cap pass, rather than every match gathered first.
    counted: indexed
      ? db
          .select({ n: count() })
          .from(sql`(SELECT 1 FROM ${matches()} WHERE ${matching} LIMIT ${plannedLimit('cap')})`)
          .prepare()
      : null,
    // The same from the filter's own people (a team's, the inactive), each asked LIKE: where the filter keeps few of
    // the index's many matches, counting from the index would read most of them to find the few.
    walkCounted: indexed
      ? db
          .select({ n: count() })
          .from(sql`(SELECT 1 FROM ${people}${byActivity} WHERE ${and(filtered, likeWords())} LIMIT ${plannedLimit('cap')})`)
          .prepare()
      : null,
    // The same from the index's rows of some departments alone, with whom the viewer may see (no person read): an
    // upper bound that is exact but for the people a filter on activity leaves out, whose number is kept (see
    // countedMatches).
    matches: indexed
      ? db
          .select({ n: count() })
          .from(
            sql`(SELECT 1 FROM ${fts} WHERE ${fts} MATCH ${sql.placeholder('match')} AND ${departmentKeys(sql`${fts}.rowid`)}${
              visibility === 'all' ? sql`` : sql` AND ${visibilitySql(visibility as Visibility['kind'], matched)}`
            } LIMIT ${plannedLimit('cap')})`,
          )
          .prepare()
      : null,
    // A search's page as a walk of a team's people or the inactive in name order, each person asked LIKE, whom the
    // viewer may see and the filter's activity: the ids of the page, the walk stopping after :scan people.
    walkIds:
      search === 'like' && !fromChain
        ? db
            .select({ id: sql<number>`${people.id}` })
            .from(
              sql`(SELECT id, name, email, title, department, team_id, active FROM ${people}${byActivity}${
                and(conditions[0], conditions[1], department === 'D' ? conditions[2] : undefined)
                  ? sql` WHERE ${and(conditions[0], conditions[1], department === 'D' ? conditions[2] : undefined)}`
                  : sql``
              } ORDER BY name, id LIMIT ${plannedLimit('scan')}) AS ${people}`,
            )
            .where(and(department === 'D' ? undefined : conditions[2], conditions[3], conditions[4]))
            .limit(plannedLimit('limit'))
            .offset(plannedLimit('offset'))
            .prepare()
        : null,
    // A page of the people of :ids, in name order.
    byIds: listed()
      .where(sql`${people.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
      .orderBy(asc(people.name), asc(people.id))
      .limit(plannedLimit('limit'))
      .offset(plannedLimit('offset'))
      .prepare(),
    rows: listed()
      .where(where)
      // "+name" is the same order, but not one the name index can give: SQLite starts from the chain's range.
      .orderBy(fromChain ? sql`+${people.name}` : asc(people.name), asc(people.id))
      .limit(plannedLimit('limit'))
      .offset(plannedLimit('offset'))
      .prepare(),
    // Everyone below a department's head, counted from the chain's range of them rather than asked of every person.
    total:
      visibility === 'below' && !search && !fromChain
        ? db
            .select({ total: count() })
            .from(reportingChain)
            .innerJoin(people, eq(people.id, reportingChain.descendantId))
            .where(and(eq(reportingChain.ancestorId, sql.placeholder('viewerId')), ...conditions.slice(0, -1)))
            .prepare()
        : db.select({ total: count() }).from(people).where(where).prepare(),
  };
});

const keptBelowQuery = preparedQuery((db) =>
  db
    .select({ people: reportingCounts.people, activePeople: reportingCounts.activePeople })
    .from(reportingCounts)
    .where(eq(reportingCounts.ancestorId, sql.placeholder('managerId')))
    .prepare(),
);

const keptBelowInDepartmentQuery = preparedQuery((db) =>
  db
    .select({ people: reportingDepartmentCounts.people, activePeople: reportingDepartmentCounts.activePeople })
    .from(reportingDepartmentCounts)
    .where(and(eq(reportingDepartmentCounts.ancestorId, sql.placeholder('managerId')), eq(reportingDepartmentCounts.department, sql.placeholder('department'))))
    .prepare(),
);

/**
 * How many people are below a manager (themselves included), of a department if given, in all and active: one kept row
 * (reporting_counts, reporting_department_counts), not a count of the chain.
 */
function keptBelow(db: Db, managerId: number, department?: Department): { people: number; activePeople: number } {
  const row = department ? keptBelowInDepartmentQuery(db).get({ managerId, department }) : keptBelowQuery(db).get({ managerId });
  return row ?? { people: 0, activePeople: 0 };
}

const activeInDepartmentsQuery = preparedQuery((db) =>
  db
    .select({ n: sql<number>`coalesce(sum(${departmentHeadcounts.active}), 0)` })
    .from(departmentHeadcounts)
    .where(sql`${sql.placeholder('department')} IS NULL OR ${departmentHeadcounts.department} = ${sql.placeholder('department')}`)
    .prepare(),
);

/** How many active people the company (or one department) has: a few kept rows (department_headcounts), not a count of the directory. */
function activeInDepartments(db: Db, department: Department | undefined): number {
  return activeInDepartmentsQuery(db).get({ department: department ?? null })?.n ?? 0;
}

/** How many people of a department are below a manager (kept counts), and whether that is every one of them. */
function belowInDepartment(db: Db, managerId: number, department: Department): { people: number; activePeople: number; whole: boolean } {
  const below = keptBelow(db, managerId, department);
  return { ...below, whole: below.people > 0 && below.people >= activeInDepartments(db, department) + inactiveTotal(db, department) };
}

/**
 * The departments whose every person is below a manager, when the people below them are exactly those (a department's
 * head): a list in name order may then ask each person's department instead of the chain. Null when some department
 * has only part of its people below them. From kept counts, whatever the number of people.
 */
export function wholeDepartmentsBelow(db: Db, managerId: number): Department[] | null {
  const whole: Department[] = [];
  for (const department of departments) {
    const below = belowInDepartment(db, managerId, department);
    if (below.people === 0) continue;
    if (!below.whole) return null;
    whole.push(department);
  }
  return whole;
}

/** Up to this many people below a manager are read from the chain and sorted; beyond, the name index is walked. */
const FEW_BELOW = 2_000;

const belowCountQuery = preparedQuery((db) =>
  db.$client.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM reporting_chain WHERE ancestor_id = ? LIMIT ?)'),
);

/** Whether a manager has at most FEW_BELOW people in their chain (themselves included), counted no further than that. */
function fewBelow(db: Db, managerId: number): boolean {
  return (belowCountQuery(db).get(managerId, FEW_BELOW + 1)?.n ?? 0) <= FEW_BELOW;
}

/**
 * The total of a list without a search or a team, from kept counts where there are some: everyone below a
 * manager (reporting_counts), the company's or a department's active people (department_headcounts), and
 * "all" as those plus the few inactive, counted; otherwise `counted()`.
 */
function keptTotal(db: Db, filter: PeopleFilter, visibility: Visibility, counted: () => number): number {
  if (visibility.kind === 'below') {
    const kept = keptBelow(db, visibility.values.viewerId, filter.department);
    return filter.active === undefined ? kept.people : filter.active ? kept.activePeople : kept.people - kept.activePeople;
  }
  if (visibility.kind !== 'all' || filter.active === false) return counted();
  const active = activeInDepartments(db, filter.department);
  return filter.active ? active : active + inactiveTotal(db, filter.department);
}

/** Everyone inactive in the company or a department (they are few: the department and active index finds them). */
function inactiveTotal(db: Db, department: Department | undefined): number {
  // Department by department: the (department, active) index has no range for everyone inactive.
  if (!department) return departments.reduce((n, d) => n + inactiveTotal(db, d), 0);
  const shape = [department ? 'd' : '', '', 'a', '', 'all', ''].join(':');
  return peopleListQueries(db, shape).total.all({ viewerId: 0, department: department ?? null, teamId: null, active: 0, match: null, pattern: null })[0]!.total;
}

/**
 * A search counts its matches exactly up to this many; past it the list says "1000+" (`more`) and its pages are
 * read from the index in name order (pageInNameOrder): no request reads every match of a word a large company is
 * full of.
 */
export const SEARCH_COUNTED = 1000;

type CountStatement = { all(values: Record<string, unknown>): { n: number }[] };
type ListStatements = ReturnType<typeof peopleListQueries>;

/**
 * A department of a search: its key range's values, the statements that read its matches as the viewer may see them
 * there, and how many people in view there are inactive.
 */
type DepartmentPart = { position: number; values: Record<string, unknown>; queries: ListStatements; inactive: number };

/**
 * The departments a search of many matches reads: the filter's, or every one. A manager's are those with people below
 * them; one where everyone is below them is read as everyone's (no chain asked for each match). Each one's people in
 * view and their inactive come from kept counts (reporting_department_counts, department_headcounts).
 */
function searchDepartments(db: Db, filter: PeopleFilter, visibility: Visibility, shape: string, values: Record<string, unknown>): DepartmentPart[] {
  const [department, team, active, search, , drive] = shape.split(':');
  const parts: DepartmentPart[] = [];
  for (const d of filter.department ? [filter.department] : departments) {
    const inactiveThere = inactiveTotal(db, d);
    let seen = 'all';
    let inactive = inactiveThere;
    if (visibility.kind === 'below') {
      const below = belowInDepartment(db, visibility.values.viewerId, d);
      if (below.people === 0) continue;
      if (!below.whole) seen = 'below';
      inactive = below.people - below.activePeople;
    } else if (visibility.kind === 'self') seen = 'self';
    const position = departments.indexOf(d);
    const queries = peopleListQueries(db, [department, team, active, search, seen, drive].join(':'));
    parts.push({ position, values: { ...values, fromDepartment: position, toDepartment: position }, queries, inactive });
  }
  return parts;
}

/**
 * How many people a search finds, counted no further than past SEARCH_COUNTED, when the index finds more than
 * that for the words. Not asking for the inactive, the index's matches the viewer may see in each department are
 * counted (no person read), past SEARCH_COUNTED by as many as the inactive people in view (kept counts): those are
 * more than SEARCH_COUNTED active people (fewer are counted person by person). A team's people, or the inactive, are
 * read themselves until enough pass (walked): they are few beside the index's matches.
 */
function countedMatches(
  filter: PeopleFilter,
  visibility: Visibility,
  values: Record<string, unknown>,
  statements: { counted: CountStatement; walked: CountStatement },
  parts: () => DepartmentPart[],
) {
  const cap = SEARCH_COUNTED + 1;
  if (filter.teamId || filter.active === false) return statements.walked.all({ ...values, cap })[0]!.n;
  if (visibility.kind === 'self') return statements.counted.all({ ...values, cap })[0]!.n;
  const read = parts();
  const inactive = filter.active === undefined ? 0 : read.reduce((sum, part) => sum + part.inactive, 0);
  let n = 0;
  for (const part of read) if (n < cap + inactive) n += part.queries.matches!.all({ ...part.values, cap: cap + inactive - n })[0]!.n;
  // Between the two bounds only reading the matches tells how many are active.
  return n - inactive > SEARCH_COUNTED || inactive === 0 ? n - inactive : statements.counted.all({ ...values, cap })[0]!.n;
}

/**
 * What to look up in people_short_search, which holds each person's characters and pairs of characters as words of
 * their hex codes: `q` with ASCII letters lower-cased (as LIKE and the index compare them), its UTF-8 in hex.
 */
function shortWord(q: string) {
  return Buffer.from(q.replace(/[A-Z]/g, (c) => c.toLowerCase())).toString('hex');
}

/** The search index's query for `q`: a phrase of its trigrams, or the word for its one or two characters. */
function searchPhrase(q: string) {
  const phrase = [...q].length < 3 ? shortWord(q) : q;
  return `"${phrase.replace(/"/g, '""')}"`;
}

/** How many people the search index finds for `q` in the whole company, counted no further than past SEARCH_COUNTED. */
function foundInIndex(db: Db, q: string) {
  const found = peopleListQueries(db, ['', '', '', [...q].length < 3 ? 'short' : 'match', 'all', ''].join(':')).found!;
  return found.all({ match: searchPhrase(q), cap: SEARCH_COUNTED + 1 })[0]!.n;
}

/**
 * The ids of a page of matches in name order, from each department's matches in key order (see KEY_ID_BITS): the first
 * `offset + limit` of each. Of these, the page's end is at most the group (the same first characters of a name) of
 * the one that many places in; every match of an earlier group is among them, and none of a later one is on the page.
 * So the page is among those of earlier groups and every match of that group in each department: a page reads as
 * many matches as it shows in each department and one group of names, whatever the number of matches.
 */
function pageInNameOrder(parts: DepartmentPart[], paging: { limit: number; offset: number }) {
  const wanted = paging.offset + paging.limit;
  const prefixOf = (group: number) => group % 2 ** KEY_PREFIX_BITS;
  const read = parts.map((part) => ({ part, rows: part.queries.firstInKeyOrder!.all({ ...part.values, limit: wanted }) }));
  const all = read.flatMap((r) => r.rows);
  if (read.every((r) => r.rows.length < wanted)) return all.map((r) => r.id);
  const last = all.map((r) => prefixOf(r.group)).sort((a, b) => a - b)[wanted - 1]!;
  return read.flatMap(({ part, rows }) => {
    const before = rows.filter((r) => prefixOf(r.group) < last).map((r) => r.id);
    // A department whose matches were all read has that group's among them.
    if (rows.length < wanted) return [...before, ...rows.filter((r) => prefixOf(r.group) === last).map((r) => r.id)];
    const group = part.position * 2 ** KEY_PREFIX_BITS + last;
    return [...before, ...part.queries.groupInKeyOrder!.all({ ...part.values, group }).map((r) => r.id)];
  });
}

/**
 * People of a filter, a page of them in name order, and how many in all; only those the viewer may see (null:
 * everyone). `more`: there are more than `total` (a search with more than SEARCH_COUNTED matches).
 */
export function listPeople(db: Db, filter: PeopleFilter, viewer: Viewer | null = null) {
  const visibility: Visibility = viewer ? visibilityOf(viewer) : { kind: 'all', values: { viewerId: 0 } };
  const q = filter.q?.trim();
  let drive = visibility.kind === 'below' && fewBelow(db, visibility.values.viewerId) ? 'chain' : '';
  // A chain's people are asked LIKE, unless the index finds few for the words in the whole company: then only
  // those few are asked whether the viewer may see them (a seek each), whatever the size of the manager's teams.
  if (drive && q && !q.includes('\u0000') && foundInIndex(db, q) <= SEARCH_COUNTED) drive = '';
  // A chain's few people are asked LIKE directly; otherwise the index for the words' length finds them.
  const search = !q ? '' : drive ? 'like' : [...q].length >= 3 ? 'match' : 'short';
  // The inactive of every department (a search's few): through the department and activity index.
  const department = filter.department ? 'd' : filter.active === false && (search === 'match' || search === 'short') ? 'D' : '';
  const shape = [department, filter.teamId ? 't' : '', filter.active === undefined ? '' : 'a', search, visibility.kind, drive].join(':');
  const values = {
    ...visibility.values,
    department: filter.department ?? null,
    teamId: filter.teamId ?? null,
    active: filter.active === undefined ? null : Number(filter.active),
    match: q ? searchPhrase(q) : null,
    pattern: q ? `%${likeEscaped(q)}%` : null,
  };
  const queries = peopleListQueries(db, shape);
  const paging = { limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize };
  const page = { page: filter.page, pageSize: filter.pageSize };
  // FTS5 reads its query up to a NUL; names, addresses and titles hold no control characters, so no one matches.
  if (q?.includes('\u0000')) return { rows: [], total: 0, more: false, ...page };
  if (queries.found && queries.pageIds && queries.firstInKeyOrder && queries.groupInKeyOrder && queries.counted && queries.walkCounted && queries.matches) {
    // The page of `ids` (offset and limit: of these ids in name order).
    const gathered = (ids: number[], slice = { limit: ids.length, offset: 0 }) => (ids.length ? queries.byIds.all({ ids: JSON.stringify(ids), ...slice }) : []);
    // Few matches in the whole company: gathered from the index and sorted, their count exact.
    if (queries.found.all({ match: values.match, cap: SEARCH_COUNTED + 1 })[0]!.n <= SEARCH_COUNTED) {
      const found = queries.pageIds.all({ ...values, ...paging });
      // No match, or a page past the last: no row carries the count, so it is counted apart.
      const total = found.length ? found[0]!.n : queries.counted.all({ ...values, cap: SEARCH_COUNTED + 1 })[0]!.n;
      return { rows: gathered(found.map((r) => r.id)), total, more: false, ...page };
    }
    // Many: counted no further than the cap, from the index or from a team's people or the inactive.
    const fromFilter = !!filter.teamId || filter.active === false;
    let parts: DepartmentPart[] | undefined;
    const departmentParts = () => {
      parts ??= searchDepartments(db, filter, visibility, shape, values);
      return parts;
    };
    const n = countedMatches(filter, visibility, values, { counted: queries.counted, walked: queries.walkCounted }, departmentParts);
    const result = { total: Math.min(n, SEARCH_COUNTED), more: n > SEARCH_COUNTED, ...page };
    // None, or a page past the last: the count says so.
    if (n <= SEARCH_COUNTED && paging.offset >= n) return { rows: [], ...result };
    // A team's people, or the inactive, are few beside the index's matches: walked in name order, each asked LIKE.
    if (fromFilter) {
      const walk = peopleListQueries(db, shape.replace(`:${search}:`, ':like:')).walkIds!;
      return { rows: gathered(walk.all({ ...values, ...paging, scan: Number.MAX_SAFE_INTEGER }).map((r) => r.id)), ...result };
    }
    const ids = pageInNameOrder(departmentParts(), paging);
    return { rows: gathered(ids, paging), ...result };
  }
  const total = search || filter.teamId ? queries.total.all(values)[0]!.total : keptTotal(db, filter, visibility, () => queries.total.all(values)[0]!.total);
  // A page past the last (a department with nobody below this manager in it) is known empty without walking for it.
  const rows = paging.offset >= total ? [] : queries.rows.all({ ...values, ...paging });
  return { rows, total, more: false, ...page };
}
export type PeopleListRow = ReturnType<typeof listPeople>['rows'][number];

const personById = preparedQuery((db) =>
  db
    .select()
    .from(people)
    .where(eq(people.id, sql.placeholder('id')))
    .prepare(),
);

function getPerson(db: Db, id: number): Person | undefined {
  return personById(db).get({ id });
}

// An update of some of a person's fields (which ones depends on the form or the API call).
const updatePersonRow = preparedPerShape((db, columns) =>
  db
    .update(people)
    .set(columns)
    .where(eq(people.id, sql.placeholder('personId')))
    .returning()
    .prepare(),
);

export function requirePerson(db: Db, id: number): Person {
  const person = getPerson(db, id);
  if (!person) throw notFound('No person with this id.');
  return person;
}

export function personDetails(db: Db, id: number) {
  const row = db
    .select({ person: people, teamName: teams.name, managerName: manager.name })
    .from(people)
    .leftJoin(teams, eq(teams.id, people.teamId))
    .leftJoin(manager, eq(manager.id, people.managerId))
    .where(eq(people.id, id))
    .get();
  if (!row) throw notFound('No person with this id.');
  return row;
}

/** Direct reports a person's page lists at a time; a head of hundreds has the rest a page further. */
const DIRECT_REPORTS_PAGE_SIZE = 50;

const directReportsQueries = preparedQuery((db) => ({
  page: db.$client.prepare<{ manager: number; limit: number; offset: number }, { id: number; name: string; title: string }>(
    'SELECT id, name, title FROM people WHERE manager_id = @manager ORDER BY name, id LIMIT @limit OFFSET @offset',
  ),
  count: db.$client.prepare<[number], number>('SELECT count(*) FROM people WHERE manager_id = ?').pluck(),
}));

/** A page of the people who report to a person directly, by name (past the last page: the last), and how many do. */
export function directReportsPage(
  db: Db,
  managerId: number,
  page: number,
): { rows: { id: number; name: string; title: string }[]; total: number; page: number; pageSize: number } {
  const queries = directReportsQueries(db);
  const total = queries.count.get(managerId) ?? 0;
  const shown = Math.min(page, Math.max(1, Math.ceil(total / DIRECT_REPORTS_PAGE_SIZE)));
  const offset = (shown - 1) * DIRECT_REPORTS_PAGE_SIZE;
  const rows = total ? queries.page.all({ manager: managerId, limit: DIRECT_REPORTS_PAGE_SIZE, offset }) : [];
  return { rows, total, page: shown, pageSize: DIRECT_REPORTS_PAGE_SIZE };
}

function emailTaken(db: Db, email: string, exceptId?: number) {
  const row = db
    .select({ id: people.id })
    .from(people)
    .where(and(sql`lower(${people.email}) = ${email.toLowerCase()}`, exceptId ? sql`${people.id} <> ${exceptId}` : undefined))
    .get();
  return !!row;
}

export function assertReferences(db: Db, input: { teamId?: number | null; managerId?: number | null }, selfId?: number) {
  if (input.teamId && !db.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId)).get()) {
    throw conflict('invalid_reference', 'The chosen team does not exist.');
  }
  if (input.managerId) {
    if (input.managerId === selfId) throw conflict('invalid_reference', 'A person cannot be their own manager.');
    if (!getPerson(db, input.managerId)) throw conflict('invalid_reference', 'The chosen manager does not exist.');
    if (selfId && isBelow(db, selfId, input.managerId)) {
      throw conflict('manager_cycle', 'The chosen manager reports to this person; that would make a cycle.');
    }
  }
}

export function createPerson(db: Db, clock: Clock, actor: Actor, input: PersonInput, passwordHash: string | null = null): Person {
  return writeTransaction(db, (tx) => {
    if (emailTaken(tx, input.email)) throw conflict('email_taken', `${input.email} is already in the directory.`);
    assertReferences(tx, input);
    const person = tx
      .insert(people)
      .values({
        ...input,
        timeZone: zoneOrCompanyDefault(tx, input.timeZone),
        teamId: input.teamId ?? null,
        managerId: input.managerId ?? null,
        passwordHash,
        mustChangePassword: !!passwordHash,
        updatedAt: clock.now(),
      })
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'person.create', 'person', person.id, null, publicPerson(person));
    afterPeopleWritten(tx, clock, [person.id]);
    return person;
  });
}

/** Who is proposed as the manager of someone moving into a team: the team's manager, unless that is them. */
function proposedManagerFor(db: Db, personId: number, teamId: number): { id: number; name: string } | null {
  const row = db
    .select({ id: people.id, name: people.name })
    .from(teams)
    .innerJoin(people, eq(people.id, teams.managerId))
    .where(and(eq(teams.id, teamId), eq(people.active, true)))
    .get();
  return row && row.id !== personId ? row : null;
}

/** What deactivating a person leaves behind: their direct reports and the teams they manage. */
export function dependentsOf(db: Db, personId: number) {
  const reports = peopleByName(db, eq(people.managerId, personId));
  const managedTeams = db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.managerId, personId)).orderBy(asc(teams.name)).all();
  return { reports, managedTeams };
}

type UpdateOptions = {
  /** The form asked about the manager already: an unchanged manager on a team move is HR's answer. */
  managerConfirmed?: boolean;
};

/**
 * Changes a person. A move to another team must say who their manager is there (an unchanged
 * manager counts only once confirmed): otherwise 409 `manager_required` with the proposal. Deactivating
 * someone with reports or teams needs `successorId`, who takes them over in the same transaction.
 */
export function updatePerson(db: Db, clock: Clock, actor: Actor, id: number, patch: PersonPatch, options: UpdateOptions = {}): Person {
  return writeTransaction(db, (tx) => {
    const before = requirePerson(tx, id);
    const { successorId, ...changes } = patch;
    if (changes.email && emailTaken(tx, changes.email, id)) throw conflict('email_taken', `${changes.email} is already in the directory.`);
    assertReferences(tx, changes, id);
    if (changes.teamId != null && changes.teamId !== before.teamId) {
      const teamManagerId = getTeam(tx, changes.teamId).managerId;
      if (teamManagerId !== null && teamManagerId !== id && isBelow(tx, id, teamManagerId)) {
        throw conflict('team_cycle', `The manager of that team reports to ${before.name}; that would make a cycle.`);
      }
      const stated = changes.managerId !== undefined && (options.managerConfirmed || changes.managerId !== before.managerId);
      if (!stated) {
        const proposal = proposedManagerFor(tx, id, changes.teamId);
        const team = getTeam(tx, changes.teamId);
        throw conflict(
          'manager_required',
          `${before.name} moves to ${team.name}: choose their manager there${proposal ? ` (proposed: ${proposal.name}, the team's manager)` : ''}.`,
          { proposedManagerId: proposal?.id ?? null },
        );
      }
    }
    const deactivating = before.active && changes.active === false;
    let handedOver: { successorId: number; reports: number[]; teams: number[] } | null = null;
    if (deactivating) {
      const { reports, managedTeams } = dependentsOf(tx, id);
      if (reports.length || managedTeams.length) {
        if (successorId === undefined) {
          const what = [
            reports.length ? `${reports.length} report${reports.length === 1 ? '' : 's'}` : '',
            managedTeams.length ? `manages ${managedTeams.map((t) => t.name).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join(' and ');
          throw conflict('successor_required', `${before.name} has ${what}: choose who takes them over.`, { proposedSuccessorId: before.managerId });
        }
        const successor = getPerson(tx, successorId);
        if (!successor?.active)
          throw new AppError(400, 'invalid', 'Choose an active person to take over.', [
            { path: 'successorId', message: 'Choose an active person to take over.' },
          ]);
        if (successorId === id)
          throw new AppError(400, 'invalid', 'Choose someone else to take over.', [{ path: 'successorId', message: 'Choose someone else to take over.' }]);
        const direct = new Set(reports.map((r) => r.id));
        if (!direct.has(successorId) && isBelow(tx, id, successorId)) {
          throw new AppError(400, 'invalid', `${successor.name} reports to one of ${before.name}'s reports; that would make a cycle.`, [
            { path: 'successorId', message: 'Choose a direct report or someone outside this line.' },
          ]);
        }
        // A direct report who takes over now reports to whom the departing manager reported.
        if (direct.has(successorId)) tx.update(people).set({ managerId: before.managerId, updatedAt: clock.now() }).where(eq(people.id, successorId)).run();
        tx.update(people)
          .set({ managerId: successorId, updatedAt: clock.now() })
          .where(and(eq(people.managerId, id), sql`${people.id} <> ${successorId}`))
          .run();
        tx.update(teams).set({ managerId: successorId }).where(eq(teams.managerId, id)).run();
        handedOver = { successorId, reports: reports.map((r) => r.id), teams: managedTeams.map((t) => t.id) };
      }
    }
    const shape = writeShape({ ...changes, updatedAt: clock.now() });
    const after = updatePersonRow(tx, shape).get({ ...shape.params, personId: id })!;
    // The checks above ask the chain before the change; asking it after catches any cycle they cannot see (a handover).
    if (peopleOnCycle(tx, [id, ...(handedOver ? [handedOver.successorId, ...handedOver.reports] : [])]).length) {
      throw conflict('manager_cycle', 'That change would make someone report to themselves, through their manager or team.');
    }
    if (deactivating) revokeSessionsOf(tx, id);
    recordAudit(
      tx,
      clock.now(),
      actor,
      after.active === before.active ? 'person.update' : after.active ? 'person.reactivate' : 'person.deactivate',
      'person',
      id,
      publicPerson(before),
      publicPerson(after),
    );
    if (handedOver)
      recordAudit(
        tx,
        clock.now(),
        actor,
        'person.reports_handed_over',
        'person',
        id,
        { managerId: id, reports: handedOver.reports, teams: handedOver.teams },
        { managerId: handedOver.successorId, reports: handedOver.reports, teams: handedOver.teams },
      );
    // Reports handed over changed too (their manager): everything is looked at again then.
    const changed = handedOver ? undefined : new Set((Object.keys(changes) as (keyof typeof changes)[]).filter((k) => String(before[k]) !== String(after[k])));
    afterPeopleWritten(tx, clock, handedOver ? [id, ...handedOver.reports] : [id], changed);
    return after;
  });
}

export function setPersonActive(db: Db, clock: Clock, actor: Actor, id: number, active: boolean, successorId?: number) {
  if (actor.personId === id && !active) throw forbidden('You cannot deactivate yourself.');
  return updatePerson(db, clock, actor, id, active ? { active } : { active, successorId });
}

/** HR sets a temporary password; the person must choose their own at next sign-in. */
export async function setTemporaryPassword(db: Db, clock: Clock, actor: Actor, id: number, password: string) {
  const passwordHash = await hashPassword(password);
  writeTransaction(db, (tx) => {
    requirePerson(tx, id);
    tx.update(people)
      .set({ passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null, updatedAt: clock.now() })
      .where(eq(people.id, id))
      .run();
    revokeSessionsOf(tx, id);
    recordAudit(tx, clock.now(), actor, 'person.set_password', 'person', id, null, null);
  });
}

export function getTeam(db: Db, id: number) {
  const team = db.select().from(teams).where(eq(teams.id, id)).get();
  if (!team) throw notFound('No team with this id.');
  return team;
}

/** People a form may offer as managers. */

const byName = (db: Db, where: SQL | undefined) =>
  db
    .select({ id: people.id, name: people.name, title: people.title, department: people.department, active: people.active })
    .from(people)
    .where(where)
    .orderBy(asc(people.name));

/** The people `where` picks, by name, with what a list of names shows of each. */
function peopleByName(db: Db, where: SQL | undefined) {
  return byName(db, where).all();
}

/** Rows per page of the people list unless the address asks for more. */
export const PEOPLE_PAGE_SIZE = 25;

export const peopleQuerySchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  department: z.preprocess(blankToUndefined, departmentSchema.optional()),
  team: z.preprocess(blankToUndefined, idSchema.optional()),
  /** The team typed by name (or its first letters), where a company has too many teams to list them. */
  teamName: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
  status: z.preprocess(blankToUndefined, z.enum(['active', 'inactive', 'all']).default('active')),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(PEOPLE_PAGE_SIZE)),
});
type PeopleQuery = z.infer<typeof peopleQuerySchema>;

export const toPeopleFilter = (q: PeopleQuery): PeopleFilter => ({
  q: q.q,
  department: q.department,
  teamId: q.team,
  active: q.status === 'all' ? undefined : q.status === 'active',
  page: q.page,
  pageSize: q.pageSize,
});
