// Progress of people: a line per person, the requirement grid, one person's requirements, the weekly history.
import { sql, type SQL } from 'drizzle-orm';
import { preparedSql, type Db } from '../db';
import type { CompletionState, EvidenceItem } from './completion';
import {
  type ReportFilter,
  type Counts,
  completionStateSql,
  enrolledSql,
  hasRowInStateSql,
  reportShape,
  reportValues,
  peopleScopeSql,
  enrolledInScope,
  currentRowsSql,
  FROM_ROWS,
  countsSql,
  type RawCounts,
  toCounts,
  emptyCounts,
  narrowedByState,
  STATE_PEOPLE_LIMIT,
} from './report-queries';

export type PersonProgress = Counts & { personId: number; name: string; email: string; teamId: number | null; teamName: string | null; department: string };

/**
 * One line per person (progress bar), by name, a page at a time. People come from their running
 * enrollments (walking the name index), and only the page's people have their rows aggregated,
 * so the page costs the same for a team of ten and a company of ten thousand. A state filter names
 * its people (narrowedByState); past STATE_PEOPLE_LIMIT of them only that many are listed, by name
 * (`more`), each probed on the way.
 */
export function peopleProgress(
  db: Db,
  now: Date,
  wanted: ReportFilter = {},
  limit = 500,
  offset = 0,
): { rows: PersonProgress[]; total: number; more: boolean } {
  const { filter, over } = narrowedByState(db, now, wanted);
  const values = reportValues(now, filter);
  // Past the limit the list stops there: a deeper page would walk further through the scope's people.
  const pageSize = over ? Math.max(0, Math.min(limit, STATE_PEOPLE_LIMIT - offset)) : limit;
  // Everyone in scope with a running enrollment (the state filter's people, when listed): the kept counts per team.
  const kept = over ? STATE_PEOPLE_LIMIT : enrolledInScope(db, filter);
  // A scope of many people in many teams (a department's head) walks the name index to its page; a few teams read a page of each.
  const walk = (over || kept > WALK_NAMES_ABOVE) && (filter.teamIds?.length ?? 0) > PAGED_TEAMS;
  const shape = `${reportShape(filter)}${filter.personIds ? (walk ? ':walk' : ':few') : ''}`;
  const bound = over && !shape.endsWith(':few') ? probedBoundQuery(db, shape, filter).get(values) : undefined;
  const page = pageSize
    ? peoplePageQuery(db, shape, filter).all({ ...values, limit: pageSize, offset, boundName: bound?.name ?? null, boundId: bound?.id ?? 0 })
    : [];
  if (page.length === 0) return { rows: [], total: kept, more: over };
  const onPage: ReportFilter = { ...filter, personIds: page.map((p) => p.personId), teamIds: undefined, state: undefined };
  const counts = new Map(
    countsOfPeopleQuery(db, reportShape(onPage), onPage)
      .all(reportValues(now, onPage))
      .map((r) => [r.personId, toCounts(r)]),
  );
  return { rows: page.map((p) => ({ ...p, ...(counts.get(p.personId) ?? emptyCounts()) })), total: kept, more: over };
}

/**
 * Beyond this many people in scope and this many teams, reading the name index until a page is found
 * (about a page divided by the scope's share of the company) costs less than reading a page of each
 * team (a page times the teams): the two meet near the square root of the company's teams.
 */
const WALK_NAMES_ABOVE = 1000;
const PAGED_TEAMS = 10;

/**
 * A state filter's people past STATE_PEOPLE_LIMIT are found by probing the scope's people in name order, at most
 * this many of them: where few people are in that state, the list stops there instead of walking the company (a
 * scope of a few teams probes at most their members).
 */
export const PROBED_PEOPLE = 3000;

/** People in scope with a running enrollment; with a state filter, with a current row in that state (so enrolled too). */
function peopleCondition(filter: ReportFilter): SQL {
  return sql.join([filter.state ? hasRowInStateSql(filter) : enrolledSql(filter), ...peopleScopeSql(filter)], sql` AND `);
}

/**
 * The scope's people who may be on the page: the first :offset + :limit of each of :teams (their
 * members in name order, from the (team, name) index) and :people, each meeting `condition`. With the
 * scope in the WHERE clause SQLite walks the whole name index probing each person (a team of a hundred
 * among ten thousand is 2,000 probes for a page of 20); sorting every member of the teams costs the
 * teams' size; a page of each team costs the page.
 */
function scopePeople(condition: SQL): SQL {
  const [teams, people, limit, offset] = ['teams', 'people', 'limit', 'offset'].map((name) => sql.placeholder(name));
  return sql`(SELECT f.id FROM json_each(${teams}) j CROSS JOIN people f ON f.id IN (
      SELECT p.id FROM people p INDEXED BY people_team_idx WHERE p.team_id = j.value AND ${condition} ORDER BY p.name, p.id LIMIT ${limit} + ${offset})
    UNION SELECT value FROM json_each(${people})) s CROSS JOIN people p ON p.id = s.id`;
}

const peoplePageQuery = preparedSql<
  { personId: number; name: string; email: string; teamId: number | null; teamName: string | null; department: string },
  string,
  ReportFilter
>((shape, filter) => {
  const few = shape.endsWith(':few');
  const where = [peopleCondition(few ? { ...filter, personIds: undefined, teamIds: undefined } : filter)];
  // Past STATE_PEOPLE_LIMIT, no further than the PROBED_PEOPLE-th of the scope by name (:boundName, :boundId; null: fewer).
  if (filter.state && !few) where.push(sql`(${BOUND_NAME} IS NULL OR (p.name, p.id) <= (${BOUND_NAME}, ${sql.placeholder('boundId')}))`);
  const condition = sql.join(where, sql` AND `);
  const from = few ? scopePeople(condition) : shape.endsWith(':walk') ? sql`people p INDEXED BY people_name_idx` : sql`people p`;
  return sql`
    SELECT p.id AS personId, p.name, p.email, p.team_id AS teamId, t.name AS teamName, p.department
    FROM ${from} LEFT JOIN teams t ON t.id = p.team_id
    WHERE ${condition}
    ORDER BY p.name, p.id LIMIT ${sql.placeholder('limit')} OFFSET ${sql.placeholder('offset')}`;
});

const BOUND_NAME = sql.placeholder('boundName');

/** The PROBED_PEOPLE-th person of the scope by name: how far a state filter's list goes (none: the scope has fewer). */
const probedBoundQuery = preparedSql<{ name: string; id: number }, string, ReportFilter>((shape, filter) => {
  const from = shape.endsWith(':walk') ? sql`people p INDEXED BY people_name_idx` : sql`people p`;
  const scope = sql.join([sql`1`, ...peopleScopeSql(filter)], sql` AND `);
  return sql`SELECT p.name, p.id FROM ${from} WHERE ${scope} ORDER BY p.name, p.id LIMIT 1 OFFSET ${sql.raw(String(PROBED_PEOPLE - 1))}`;
});

/** The counts of a page's people (:people), one line each. */
const countsOfPeopleQuery = preparedSql<RawCounts & { personId: number }, string, ReportFilter>(
  (_shape, filter) => sql`
    SELECT rc.person_id AS personId, ${countsSql()} ${FROM_ROWS}
    WHERE ${currentRowsSql(filter)}
    GROUP BY rc.person_id`,
);

export type RequirementCell = {
  personId: number;
  requirementId: number;
  state: CompletionState;
  dueDate: string;
  completedAt: Date | null;
  late: boolean;
  have: number;
  need: number;
};

/** The per-person, per-requirement grid of current states for a set of people. */
export function requirementGrid(db: Db, now: Date, personIds: readonly number[], scope: ReportFilter = {}): RequirementCell[] {
  if (personIds.length === 0) return [];
  const filter: ReportFilter = { ...scope, personIds, teamIds: undefined };
  return gridQuery(db, reportShape(filter), filter)
    .all(reportValues(now, filter))
    .map((r) => ({ ...r, completedAt: r.completedAt === null ? null : new Date(r.completedAt), late: Boolean(r.late) }));
}

const gridQuery = preparedSql<
  { personId: number; requirementId: number; state: CompletionState; dueDate: string; completedAt: number | null; late: number; have: number; need: number },
  string,
  ReportFilter
>(
  (_shape, filter) => sql`
    SELECT rc.person_id AS personId, rc.requirement_id AS requirementId, ${completionStateSql()} AS state,
      rc.due_date AS dueDate, rc.completed_at AS completedAt, rc.late, rc.have, rc.need
    ${FROM_ROWS}
    WHERE ${currentRowsSql(filter)}`,
);

export type CompletionDetailRow = {
  id: number;
  enrollmentId: number;
  programId: number;
  programName: string;
  programKind: 'onboarding' | 'review';
  requirementId: number;
  title: string;
  kind: string;
  topicId: number | null;
  cycleIndex: number;
  windowFrom: Date;
  windowUntil: Date | null;
  dueDate: string;
  state: CompletionState;
  completedAt: Date | null;
  late: boolean;
  have: number;
  need: number;
  evidence: EvidenceItem[];
  /** Set when the enrollment ended or the cycle is over: kept as history. */
  closed: boolean;
};

type CompletionDetailRaw = Omit<CompletionDetailRow, 'windowFrom' | 'windowUntil' | 'completedAt' | 'late' | 'closed' | 'evidence'> & {
  windowFrom: number;
  windowUntil: number | null;
  completedAt: number | null;
  late: number;
  closed: number;
  evidence: string | null;
};

/**
 * personCompletionDetail's read, compiled once per database: the person and the instant are its placeholders. The
 * rows come back as one JSON array built by SQLite (one value to hand over instead of a few dozen rows of twenty
 * columns, each set on its object one by one), in the order of closed, due, position (and id, as the index gives
 * them). The person is compared as `+?` (eqPlanned) so the statement keeps its plan instead of being compiled again.
 */
const completionDetailQuery = preparedSql<{ rows: string }>(() => {
  const now = sql.placeholder('now');
  return sql`
    SELECT json_group_array(json_object('id', id, 'enrollmentId', enrollmentId, 'programId', programId, 'programName', programName,
      'programKind', programKind, 'requirementId', requirementId, 'title', title, 'kind', kind, 'topicId', topicId, 'cycleIndex', cycleIndex,
      'windowFrom', windowFrom, 'windowUntil', windowUntil, 'dueDate', dueDate, 'state', state, 'completedAt', completedAt, 'late', late,
      'have', have, 'need', need, 'evidence', evidence, 'closed', closed) ORDER BY closed, dueAt, position, id) AS rows
    FROM (
      SELECT rc.id AS id, rc.enrollment_id AS enrollmentId, rc.program_id AS programId, pr.name AS programName, pr.kind AS programKind,
        rc.requirement_id AS requirementId, r.title AS title, r.kind AS kind, r.topic_id AS topicId, rc.cycle_index AS cycleIndex,
        rc.window_from AS windowFrom, rc.window_until AS windowUntil, rc.due_date AS dueDate, ${completionStateSql(now)} AS state,
        rc.completed_at AS completedAt, rc.late AS late, rc.have AS have, rc.need AS need, rc.evidence AS evidence,
        (rc.ended_at IS NOT NULL OR rc.active = 0 OR (rc.window_until IS NOT NULL AND rc.window_until <= ${now})) AS closed,
        rc.due_at AS dueAt, r.position AS position
      FROM requirement_completions rc JOIN programs pr ON pr.id = rc.program_id JOIN program_requirements r ON r.id = rc.requirement_id
      WHERE rc.person_id = +${sql.placeholder('person')})`;
});

/** Everything one person has been asked, current and past, with the evidence behind each. */
export function personCompletionDetail(db: Db, now: Date, personId: number): CompletionDetailRow[] {
  const { rows } = completionDetailQuery(db, 'detail').get({ now: now.getTime(), person: personId })!;
  return (JSON.parse(rows) as CompletionDetailRaw[]).map((r) => ({
    ...r,
    windowFrom: new Date(r.windowFrom),
    windowUntil: r.windowUntil === null ? null : new Date(r.windowUntil),
    completedAt: r.completedAt === null ? null : new Date(r.completedAt),
    late: Boolean(r.late),
    closed: Boolean(r.closed),
    evidence: r.evidence ? (JSON.parse(r.evidence) as EvidenceItem[]).map((e) => ({ ...e, at: new Date(e.at) })) : [],
  }));
}
