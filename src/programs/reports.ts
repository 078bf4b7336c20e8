// Completion numbers for dashboards, the API and exports, aggregated in SQL.
import { sql, type SQL } from 'drizzle-orm';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { csvDocument } from '../lib/csv';
import { recordAudit, type Actor } from '../audit/audit';
import { queueMail } from '../outbox/outbox';
import type { CompletionState, EvidenceItem } from './completion';
import { localDateAt } from './schedule';
import { idList } from './tracking';

export type ReportFilter = {
  programId?: number;
  teamId?: number;
  department?: string;
  /** Only these people (a manager's reports); null or undefined = everyone. */
  personIds?: readonly number[] | null;
  /** Only people with at least one requirement in this state. */
  state?: CompletionState;
  /** Archived programs, left out unless asked for by id (filled in by the report functions). */
  inactiveProgramIds?: readonly number[];
};

/** Archived programs are few; naming them keeps the report a scan of one index. */
function withInactivePrograms(db: Db, filter: ReportFilter): ReportFilter {
  if (filter.programId || filter.inactiveProgramIds) return filter;
  return { ...filter, inactiveProgramIds: db.all<{ id: number }>(sql`SELECT id FROM programs WHERE active = 0`).map((p) => p.id) };
}

export type Counts = { total: number; done: number; due: number; due_soon: number; overdue: number; late: number; percentDone: number | null };

/** The state of a completion row at `now`, as SQL (the same rule as evaluateRequirement). */
function completionStateSql(now: Date): SQL {
  const t = now.getTime();
  return sql`CASE WHEN rc.completed_at IS NOT NULL THEN 'done'
    WHEN rc.due_at <= ${t} THEN 'overdue' WHEN rc.due_soon_at <= ${t} THEN 'due_soon' ELSE 'due' END`;
}

/** The program a report is about, or every program but the archived ones. */
function programCondition(column: SQL, filter: ReportFilter): SQL[] {
  if (filter.programId) return [sql`${column} = ${filter.programId}`];
  if (filter.inactiveProgramIds?.length) return [sql`${column} NOT IN (${idList(filter.inactiveProgramIds)})`];
  return [];
}

function scopeSql(filter: ReportFilter): SQL[] {
  const parts: SQL[] = programCondition(sql`rc.program_id`, filter);
  if (filter.teamId) parts.push(sql`rc.team_id = ${filter.teamId}`);
  if (filter.department) parts.push(sql`rc.department = ${filter.department}`);
  if (filter.personIds) parts.push(filter.personIds.length ? sql`rc.person_id IN (${idList(filter.personIds)})` : sql`0`);
  return parts;
}

/**
 * Rows that count now: running enrollments (of active people), and for review programs only the
 * cycle running now (earlier cycles are history, shown in the chart). Reads requirement_completions
 * alone, through its covering indexes.
 */
function currentRowsSql(now: Date, filter: ReportFilter): SQL {
  const t = now.getTime();
  return sql.join([sql`rc.active = 1 AND rc.window_from <= ${t} AND (rc.window_until IS NULL OR rc.window_until > ${t})`, ...scopeSql(filter)], sql` AND `);
}

const FROM_ROWS = sql`FROM requirement_completions rc`;

/**
 * The state counts of a group of rows. A row is evaluated on evidence up to the moment it was
 * written, which is never after `now`, so "done" is simply a completion instant being set; the
 * cheap expressions matter: the report sums them over every row in scope.
 */
function countsSql(now: Date): SQL {
  const t = now.getTime();
  return sql`count(*) AS total, count(rc.completed_at) AS done,
    sum(rc.completed_at IS NULL AND rc.due_at <= ${t}) AS overdue,
    sum(rc.completed_at IS NULL AND rc.due_soon_at <= ${t}) AS due_soon_or_overdue,
    sum(rc.late) AS late`;
}

type RawCounts = { total: number; done: number | null; overdue: number | null; due_soon_or_overdue: number | null; late: number | null };

function toCounts(raw: RawCounts): Counts {
  const total = raw.total ?? 0;
  const done = raw.done ?? 0;
  const overdue = raw.overdue ?? 0;
  const dueSoon = (raw.due_soon_or_overdue ?? 0) - overdue;
  return {
    total,
    done,
    overdue,
    due_soon: dueSoon,
    due: total - done - overdue - dueSoon,
    late: raw.late ?? 0,
    percentDone: total ? Math.floor((done * 100) / total) : null,
  };
}

/** Adds up counts (of teams, requirements or people) and recomputes the share done. */
export function sumCounts(parts: readonly Omit<Counts, 'percentDone'>[]): Counts {
  const sum = { total: 0, done: 0, due: 0, due_soon: 0, overdue: 0, late: 0 };
  for (const p of parts) {
    sum.total += p.total;
    sum.done += p.done;
    sum.due += p.due;
    sum.due_soon += p.due_soon;
    sum.overdue += p.overdue;
    sum.late += p.late;
  }
  return { ...sum, percentDone: sum.total ? Math.floor((sum.done * 100) / sum.total) : null };
}

const addCounts = (a: Counts, b: Counts) => sumCounts([a, b]);

const emptyCounts = (): Counts => ({ total: 0, done: 0, due: 0, due_soon: 0, overdue: 0, late: 0, percentDone: null });

/**
 * Only the rows of people with a row in the filter's state. The unary + keeps SQLite from fetching
 * the chosen people's rows through the person index (a table read per row): scanning the covering
 * report index and probing the chosen set is a third cheaper when they are most of the company.
 */
function stateFilterSql(now: Date, filter: ReportFilter): SQL {
  if (!filter.state) return sql``;
  return sql` AND +rc.person_id IN (SELECT rc.person_id ${FROM_ROWS} WHERE ${currentRowsSql(now, { ...filter, state: undefined })} AND ${completionStateSql(now)} = ${filter.state})`;
}

export type TeamCounts = Counts & { teamId: number | null; teamName: string; department: string | null; people: number };
export type RequirementCounts = Counts & { requirementId: number; programId: number; programName: string; title: string; kind: string };
export type CompletionReport = {
  asOf: string;
  totals: Counts & { people: number };
  byTeam: TeamCounts[];
  byDepartment: (Counts & { department: string })[];
  byRequirement: RequirementCounts[];
};

/** Whether the report can sum completion_counts: it counts everyone, so it needs no person's rows. */
const rollsUp = (filter: ReportFilter) => !filter.personIds && !filter.state && !filter.department;

/** The sums of countsSql over completion_counts, where each group stands for `rows` rows. */
function rollupCountsSql(now: Date): SQL {
  const t = now.getTime();
  return sql`sum(cc.rows) AS total, sum(cc.done * cc.rows) AS done,
    sum((NOT cc.done AND cc.due_at <= ${t}) * cc.rows) AS overdue,
    sum((NOT cc.done AND cc.due_soon_at <= ${t}) * cc.rows) AS due_soon_or_overdue,
    sum(cc.late * cc.rows) AS late`;
}

type TeamGroup = RawCounts & { teamId: number | null; department: string | null };
type RequirementGroup = RawCounts & { requirementId: number };

/**
 * The counts in scope per team and per requirement. People in teams: when the report is about
 * everyone (HR, a program, a team), completion_counts summed twice; for a scope of people (a
 * manager's reports, a state filter, a department), one GROUP BY over their rows (team ×
 * requirement) serving both. People without a team: their rows, by department and requirement.
 */
function reportGroups(db: Db, now: Date, filter: ReportFilter): { byTeam: TeamGroup[]; byRequirement: RequirementGroup[] } {
  const teamless = filter.teamId
    ? []
    : db.all<TeamGroup & RequirementGroup>(sql`
        SELECT NULL AS teamId, rc.requirement_id AS requirementId, rc.department, ${countsSql(now)}
        ${FROM_ROWS}
        WHERE ${currentRowsSql(now, filter)} AND rc.team_id IS NULL${stateFilterSql(now, filter)}
        GROUP BY rc.department, rc.requirement_id`);
  if (!rollsUp(filter)) {
    const cells = db.all<TeamGroup & RequirementGroup>(sql`
      SELECT rc.team_id AS teamId, rc.requirement_id AS requirementId, NULL AS department, ${countsSql(now)}
      ${FROM_ROWS}
      WHERE ${currentRowsSql(now, filter)} AND rc.team_id IS NOT NULL${stateFilterSql(now, filter)}
      GROUP BY rc.team_id, rc.requirement_id`);
    return { byTeam: [...cells, ...teamless], byRequirement: [...cells, ...teamless] };
  }
  const t = now.getTime();
  const parts = [sql`cc.window_from <= ${t} AND (cc.window_until IS NULL OR cc.window_until > ${t})`, ...programCondition(sql`cc.program_id`, filter)];
  if (filter.teamId) parts.push(sql`cc.team_id = ${filter.teamId}`);
  const where = sql.join(parts, sql` AND `);
  const byTeam = db.all<TeamGroup>(sql`
    SELECT cc.team_id AS teamId, NULL AS department, ${rollupCountsSql(now)} FROM completion_counts cc WHERE ${where} GROUP BY cc.team_id`);
  const byRequirement = db.all<RequirementGroup>(sql`
    SELECT cc.requirement_id AS requirementId, ${rollupCountsSql(now)} FROM completion_counts cc WHERE ${where} GROUP BY cc.requirement_id`);
  return { byTeam: [...byTeam, ...teamless], byRequirement: [...byRequirement, ...teamless] };
}

/**
 * The completion report: the counts per team and per requirement (see reportGroups), folded into
 * totals, teams, departments and requirements.
 */
export function completionReport(db: Db, now: Date, scope: ReportFilter = {}): CompletionReport {
  const filter = withInactivePrograms(db, scope);
  const groups = reportGroups(db, now, filter);
  const teamPeople = filter.state ? peopleInStatePerTeam(db, now, filter) : enrolledPeoplePerTeam(db, filter);
  const teams = new Map(db.all<{ id: number; name: string; department: string }>(sql`SELECT id, name, department FROM teams`).map((t) => [t.id, t]));
  const requirements = new Map(
    db
      .all<{ id: number; programId: number; programName: string; title: string; kind: string; position: number }>(sql`
        SELECT r.id, r.program_id AS programId, pr.name AS programName, r.title, r.kind, r.position
        FROM program_requirements r JOIN programs pr ON pr.id = r.program_id`)
      .map((r) => [r.id, r]),
  );

  const byTeam = new Map<number | null, TeamCounts>();
  const byDepartment = new Map<string, Counts & { department: string }>();
  let totals = emptyCounts();
  for (const group of groups.byTeam) {
    const counts = toCounts(group);
    totals = addCounts(totals, counts);
    const team = group.teamId === null ? undefined : teams.get(group.teamId);
    const teamRow = byTeam.get(group.teamId) ?? {
      ...emptyCounts(),
      teamId: group.teamId,
      teamName: team?.name ?? 'No team',
      department: team?.department ?? null,
      people: 0,
    };
    byTeam.set(group.teamId, { ...teamRow, ...addCounts(teamRow, counts) });
    const department = team?.department ?? group.department ?? 'none';
    const depRow = byDepartment.get(department) ?? { ...emptyCounts(), department };
    byDepartment.set(department, { ...depRow, ...addCounts(depRow, counts) });
  }
  const byRequirement = new Map<number, RequirementCounts>();
  for (const group of groups.byRequirement) {
    const requirement = requirements.get(group.requirementId)!;
    const reqRow = byRequirement.get(group.requirementId) ?? {
      ...emptyCounts(),
      requirementId: group.requirementId,
      programId: requirement.programId,
      programName: requirement.programName,
      title: requirement.title,
      kind: requirement.kind,
    };
    byRequirement.set(group.requirementId, { ...reqRow, ...addCounts(reqRow, toCounts(group)) });
  }
  let people = 0;
  for (const row of teamPeople) {
    people += row.people;
    const teamRow = byTeam.get(row.teamId);
    if (teamRow) teamRow.people = row.people;
  }
  const position = (id: number) => requirements.get(id)?.position ?? 0;
  return {
    asOf: now.toISOString(),
    totals: { ...totals, people },
    byTeam: [...byTeam.values()].sort((a, b) => (a.department ?? '').localeCompare(b.department ?? '') || a.teamName.localeCompare(b.teamName)),
    byDepartment: [...byDepartment.values()].sort((a, b) => a.department.localeCompare(b.department)),
    byRequirement: [...byRequirement.values()].sort(
      (a, b) => a.programName.localeCompare(b.programName) || position(a.requirementId) - position(b.requirementId),
    ),
  };
}

/** People with a running enrollment in scope, per team: a probe of the enrollments index per person. */
function enrolledPeoplePerTeam(db: Db, filter: ReportFilter) {
  const enrolled: SQL[] = [sql`en.person_id = p.id AND en.ended_at IS NULL`, ...programCondition(sql`en.program_id`, filter)];
  const parts: SQL[] = [sql`EXISTS (SELECT 1 FROM enrollments en WHERE ${sql.join(enrolled, sql` AND `)})`];
  if (filter.teamId) parts.push(sql`p.team_id = ${filter.teamId}`);
  if (filter.department) parts.push(sql`p.department = ${filter.department}`);
  if (filter.personIds) parts.push(filter.personIds.length ? sql`p.id IN (${idList(filter.personIds)})` : sql`0`);
  return db.all<{ teamId: number | null; people: number }>(sql`
    SELECT p.team_id AS teamId, count(*) AS people FROM people p
    WHERE ${sql.join(parts, sql` AND `)} GROUP BY p.team_id`);
}

/**
 * With a state filter, the people are those who have a requirement in that state: counted from
 * those rows alone (a person's current rows all carry their team).
 */
function peopleInStatePerTeam(db: Db, now: Date, filter: ReportFilter) {
  return db.all<{ teamId: number | null; people: number }>(sql`
    SELECT rc.team_id AS teamId, count(DISTINCT rc.person_id) AS people ${FROM_ROWS}
    WHERE ${currentRowsSql(now, { ...filter, state: undefined })} AND ${completionStateSql(now)} = ${filter.state!}
    GROUP BY rc.team_id`);
}

/** Programs to filter a report by, active ones first (a plain list: no counts to compute). */
export function listProgramChoices(db: Db): { id: number; name: string; active: boolean }[] {
  return db
    .all<{ id: number; name: string; active: number }>(sql`SELECT id, name, active FROM programs ORDER BY active DESC, lower(name)`)
    .map((p) => ({ ...p, active: Boolean(p.active) }));
}

/** Teams to filter a report by: every team (personIds null), or the teams of these people. */
export function listTeamChoices(db: Db, personIds: readonly number[] | null): { id: number; name: string }[] {
  if (personIds === null) return db.all(sql`SELECT id, name FROM teams ORDER BY department, name`);
  if (personIds.length === 0) return [];
  return db.all(sql`
    SELECT t.id, t.name FROM teams t
    WHERE t.id IN (SELECT p.team_id FROM people p WHERE p.id IN (${idList(personIds)}))
    ORDER BY t.department, t.name`);
}

export type PersonProgress = Counts & { personId: number; name: string; email: string; teamId: number | null; teamName: string | null; department: string };

/**
 * One line per person (progress bar), by name, a page at a time. People come from their running
 * enrollments (walking the name index), and only the page's people have their rows aggregated,
 * so the page costs the same for a team of ten and a company of ten thousand.
 */
export function peopleProgress(db: Db, now: Date, scope: ReportFilter = {}, limit = 500, offset = 0): { rows: PersonProgress[]; total: number } {
  const filter = withInactivePrograms(db, scope);
  const enrolled: SQL[] = [sql`en.person_id = p.id AND en.ended_at IS NULL`, ...programCondition(sql`en.program_id`, filter)];
  const where: SQL[] = [sql`EXISTS (SELECT 1 FROM enrollments en WHERE ${sql.join(enrolled, sql` AND `)})`];
  if (filter.teamId) where.push(sql`p.team_id = ${filter.teamId}`);
  if (filter.department) where.push(sql`p.department = ${filter.department}`);
  if (filter.personIds) where.push(filter.personIds.length ? sql`p.id IN (${idList(filter.personIds)})` : sql`0`);
  if (filter.state) {
    where.push(
      sql`p.id IN (SELECT rc.person_id ${FROM_ROWS} WHERE ${currentRowsSql(now, { ...filter, state: undefined })} AND ${completionStateSql(now)} = ${filter.state})`,
    );
  }
  const condition = sql.join(where, sql` AND `);
  const page = db.all<{ personId: number; name: string; email: string; teamId: number | null; teamName: string | null; department: string }>(sql`
    SELECT p.id AS personId, p.name, p.email, p.team_id AS teamId, t.name AS teamName, p.department
    FROM people p LEFT JOIN teams t ON t.id = p.team_id
    WHERE ${condition}
    ORDER BY p.name, p.id LIMIT ${limit} OFFSET ${offset}`);
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM people p WHERE ${condition}`)?.n ?? 0;
  if (page.length === 0) return { rows: [], total };
  const counts = new Map(
    db
      .all<RawCounts & { personId: number }>(sql`
        SELECT rc.person_id AS personId, ${countsSql(now)} ${FROM_ROWS}
        WHERE ${currentRowsSql(now, { ...filter, personIds: page.map((p) => p.personId) })}
        GROUP BY rc.person_id`)
      .map((r) => [r.personId, toCounts(r)]),
  );
  return { rows: page.map((p) => ({ ...p, ...(counts.get(p.personId) ?? emptyCounts()) })), total };
}

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
  const filter = withInactivePrograms(db, scope);
  return db
    .all<{
      personId: number;
      requirementId: number;
      state: CompletionState;
      dueDate: string;
      completedAt: number | null;
      late: number;
      have: number;
      need: number;
    }>(sql`
      SELECT rc.person_id AS personId, rc.requirement_id AS requirementId, ${completionStateSql(now)} AS state,
        rc.due_date AS dueDate, rc.completed_at AS completedAt, rc.late, rc.have, rc.need
      ${FROM_ROWS}
      WHERE ${currentRowsSql(now, { ...filter, personIds })}`)
    .map((r) => ({ ...r, completedAt: r.completedAt === null ? null : new Date(r.completedAt), late: Boolean(r.late) }));
}

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

/** completionStateSql in a statement compiled once per database, with `now` its named parameter. */
const COMPLETION_STATE_AT_NOW = `CASE WHEN rc.completed_at IS NOT NULL THEN 'done'
  WHEN rc.due_at <= @now THEN 'overdue' WHEN rc.due_soon_at <= @now THEN 'due_soon' ELSE 'due' END`;

const completionDetailQuery = preparedQuery((db) =>
  db.$client.prepare<
    { now: number; person: number },
    Omit<CompletionDetailRow, 'windowFrom' | 'windowUntil' | 'completedAt' | 'late' | 'evidence' | 'closed'> & {
      windowFrom: number;
      windowUntil: number | null;
      completedAt: number | null;
      late: number;
      evidence: string | null;
      closed: number;
    }
  >(`
    SELECT rc.id, rc.enrollment_id AS enrollmentId, rc.program_id AS programId, pr.name AS programName, pr.kind AS programKind,
      rc.requirement_id AS requirementId, r.title, r.kind, r.topic_id AS topicId, rc.cycle_index AS cycleIndex,
      rc.window_from AS windowFrom, rc.window_until AS windowUntil, rc.due_date AS dueDate, ${COMPLETION_STATE_AT_NOW} AS state,
      rc.completed_at AS completedAt, rc.late, rc.have, rc.need, rc.evidence,
      (rc.ended_at IS NOT NULL OR rc.active = 0 OR (rc.window_until IS NOT NULL AND rc.window_until <= @now)) AS closed
    FROM requirement_completions rc
    JOIN programs pr ON pr.id = rc.program_id
    JOIN program_requirements r ON r.id = rc.requirement_id
    WHERE rc.person_id = @person
    ORDER BY closed ASC, rc.due_at ASC, r.position ASC`),
);

/** Everything one person has been asked, current and past, with the evidence behind each. */
export function personCompletionDetail(db: Db, now: Date, personId: number): CompletionDetailRow[] {
  return completionDetailQuery(db)
    .all({ now: now.getTime(), person: personId })
    .map((r) => ({
      ...r,
      windowFrom: new Date(r.windowFrom),
      windowUntil: r.windowUntil === null ? null : new Date(r.windowUntil),
      completedAt: r.completedAt === null ? null : new Date(r.completedAt),
      late: Boolean(r.late),
      closed: Boolean(r.closed),
      evidence: r.evidence ? (JSON.parse(r.evidence) as EvidenceItem[]).map((e) => ({ ...e, at: new Date(e.at) })) : [],
    }));
}

export type HistoryPoint = { at: Date; total: number; done: number; overdue: number; percentDone: number | null };

/**
 * Completion over time: at each sample instant, the rows that counted then (their window open
 * and not ended) and how many were done or overdue by then.
 */
export function completionHistory(db: Db, now: Date, scope: ReportFilter = {}, weeks = 12): HistoryPoint[] {
  const filter = withInactivePrograms(db, scope);
  const step = 7 * 86_400_000;
  const count = weeks + 1;
  const first = now.getTime() - weeks * step;
  // Each row counts, is done and is overdue over ranges of sample instants; turning its instants into
  // the index of the first sample at or after them lets SQL group rows by those ranges in one pass.
  const sampleIndex = (column: SQL) =>
    sql`CASE WHEN ${column} IS NULL THEN ${count} WHEN ${column} <= ${first} THEN 0 ELSE min(${count}, CAST((${column} - ${first} + ${step - 1}) / ${step} AS INTEGER)) END`;
  const endsAt = sql`CASE WHEN rc.window_until IS NULL THEN rc.ended_at WHEN rc.ended_at IS NULL THEN rc.window_until ELSE min(rc.window_until, rc.ended_at) END`;
  const groups = db.all<{ from: number; until: number; done: number; due: number; rows: number }>(sql`
    SELECT ${sampleIndex(sql`rc.window_from`)} AS "from", ${sampleIndex(endsAt)} AS until,
      ${sampleIndex(sql`rc.completed_at`)} AS done, ${sampleIndex(sql`rc.due_at`)} AS due, count(*) AS rows
    ${FROM_ROWS}
    WHERE ${sql.join([sql`rc.window_from <= ${now.getTime()}`, ...scopeSql(filter)], sql` AND `)}
    GROUP BY 1, 2, 3, 4`);
  const points = Array.from({ length: count }, (_, i) => ({
    at: new Date(first + i * step),
    total: 0,
    done: 0,
    overdue: 0,
    percentDone: null as number | null,
  }));
  for (const g of groups) {
    for (let i = g.from; i < Math.min(g.until, count); i++) {
      points[i].total += g.rows;
      if (i >= g.done) points[i].done += g.rows;
      else if (i >= g.due) points[i].overdue += g.rows;
    }
  }
  for (const p of points) p.percentDone = p.total ? Math.floor((p.done * 100) / p.total) : null;
  return points;
}

type CsvLine = {
  name: string;
  email: string;
  department: string;
  team: string | null;
  program: string;
  requirement: string;
  cycle: number;
  dueDate: string;
  state: CompletionState;
  completedAt: number | null;
  late: number;
  have: number;
  need: number;
};

const CSV_HEADER = ['name', 'email', 'department', 'team', 'program', 'requirement', 'cycle', 'due_date', 'state', 'completed_at', 'late', 'have', 'need'];

/** One line per person and current requirement, for spreadsheets. */
export function completionCsv(db: Db, now: Date, scope: ReportFilter = {}): string {
  const filter = withInactivePrograms(db, scope);
  const lines = db.all<CsvLine>(sql`
    SELECT p.name, p.email, p.department, t.name AS team, pr.name AS program, r.title AS requirement, rc.cycle_index AS cycle,
      rc.due_date AS dueDate, ${completionStateSql(now)} AS state, rc.completed_at AS completedAt, rc.late, rc.have, rc.need
    ${FROM_ROWS}
    JOIN people p ON p.id = rc.person_id
    JOIN programs pr ON pr.id = rc.program_id
    JOIN program_requirements r ON r.id = rc.requirement_id
    LEFT JOIN teams t ON t.id = rc.team_id
    WHERE ${currentRowsSql(now, filter)}${stateFilterSql(now, filter)}
    ORDER BY t.name, p.name, pr.name, r.position`);
  return csvDocument(
    CSV_HEADER,
    lines.map((l) => [
      l.name,
      l.email,
      l.department,
      l.team,
      l.program,
      l.requirement,
      l.cycle,
      l.dueDate,
      l.state,
      l.completedAt === null ? '' : new Date(l.completedAt).toISOString(),
      l.late ? 'yes' : 'no',
      l.have,
      l.need,
    ]),
  );
}

/**
 * Emails everyone in scope with overdue requirements, one message per person listing them,
 * at most once per person and day (the outbox dedupe key).
 */
export function remindOverdue(db: Db, clock: Clock, actor: Actor, scope: ReportFilter = {}, baseUrl = ''): { people: number; requirements: number } {
  const now = clock.now();
  const filter = withInactivePrograms(db, scope);
  const rows = db.all<{
    id: number;
    personId: number;
    name: string;
    email: string;
    timeZone: string;
    program: string;
    requirement: string;
    dueDate: string;
  }>(sql`
    SELECT rc.id, p.id AS personId, p.name, p.email, p.time_zone AS timeZone, pr.name AS program, r.title AS requirement, rc.due_date AS dueDate
    ${FROM_ROWS}
    JOIN people p ON p.id = rc.person_id
    JOIN programs pr ON pr.id = rc.program_id
    JOIN program_requirements r ON r.id = rc.requirement_id
    WHERE ${currentRowsSql(now, filter)} AND ${completionStateSql(now)} = 'overdue'
    ORDER BY rc.person_id, rc.due_at`);
  const byPerson = new Map<number, typeof rows>();
  for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
  let people = 0;
  const markReminded = db.$client.prepare('UPDATE requirement_completions SET reminded_at = ? WHERE id = ?');
  writeTransaction(db, (tx) => {
    for (const [personId, items] of byPerson) {
      const first = items[0];
      const list = items.map((i) => `- ${i.requirement} (${i.program}), due ${i.dueDate}`).join('\n');
      const queued = queueMail(tx, clock, {
        to: first.email,
        toPersonId: personId,
        subject: items.length === 1 ? `Overdue: ${first.requirement}` : `${items.length} learning requirements are overdue`,
        body: `Hello ${first.name},\n\nThese requirements of your programs are overdue:\n${list}\n\nSee what is left and book a session: ${baseUrl}/learning\n`,
        dedupeKey: `program-overdue:${personId}:${localDateAt(now, first.timeZone)}`,
      });
      if (queued) {
        people++;
        for (const item of items) markReminded.run(now.getTime(), item.id);
      }
    }
    recordAudit(tx, now, actor, 'program.remind_overdue', 'program', scope.programId ?? null, null, { people, filter: { ...scope, personIds: undefined } });
  });
  return { people, requirements: rows.length };
}
