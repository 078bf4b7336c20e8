/**
 * Field insights: what ride-along feedback says, aggregated in SQL for marketing — most-met
 * competitors, top loss reasons, material ratings over time and the open suggestions — for a
 * period and optionally one team (the host's sales team or the author's team). A suggestion's state
 * is its liaison backlog item's (src/liaisons): insights read it and move it through the backlog.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { people, type LossReason } from '../../db/schema';
import type { Person, Viewer } from '../context';
import { preparedSql, type Db } from '../db';
import { canChangeBacklog, canViewBacklog, liaisonOfTeam } from '../liaisons/liaisons';
import { LOSS_REASON_LABELS } from './feedback';

type InsightsFilter = { teamId?: number; from: Date; to: Date };

export type FieldInsights = {
  reports: number;
  rideAlongs: number;
  outcomes: { won: number; lost: number; open: number };
  competitors: { name: string; reports: number; rideAlongs: number }[];
  lossReasons: { reason: LossReason; label: string; count: number }[];
  materials: { name: string; reports: number; averageRating: number }[];
  /**
   * Average rating per period of the most used materials: weeks (keyed by their Monday,
   * 'YYYY-MM-DD') for periods up to WEEKLY_UP_TO_DAYS, months ('YYYY-MM') beyond; UTC.
   */
  ratingsOverTime: {
    bucket: 'week' | 'month';
    periods: string[];
    lines: { name: string; points: { period: string; averageRating: number; count: number }[] }[];
  };
  /**
   * Open suggestions: the reports' backlog items that are open or accepted, the same text (ignoring
   * case and spacing) counted once with how often it came; the latest report shown, with the items.
   */
  suggestions: InsightSuggestion[];
  /** How many open suggestions in all, of which `suggestions` is page `suggestionsPage` (SUGGESTIONS_PAGE_SIZE each). */
  suggestionCount: number;
  suggestionsPage: number;
};

export type InsightSuggestion = {
  feedbackId: number;
  suggestion: string;
  count: number;
  occurredAt: Date;
  eventTitle: string;
  account: string | null;
  authorRole: 'guest' | 'host';
  teamId: number | null;
  teamName: string | null;
  /** The backlog items of the group (one per report), where their state lives. */
  items: { id: number; status: 'open' | 'accepted'; teamId: number | null }[];
};

const TOP_COMPETITORS = 10;
const TOP_MATERIALS = 10;
const CHARTED_MATERIALS = 5;
/** Suggestions with the same text, ignoring case and spacing, are one suggestion. */
const suggestionKeySql = sql`lower(trim(replace(replace(f.suggestion, char(10), ' '), char(13), ' ')))`;
const MAX_MONTHS = 24;
const WEEKLY_UP_TO_DAYS = 120;
/** The period shown when none is chosen: the last 90 days. */
export const INSIGHTS_DEFAULT_DAYS = 90;
const DAY_MS = 86_400_000;

/** Marketing people, managers and HR see field insights. */
export function canSeeInsights(person: Pick<Person, 'department' | 'role'>): boolean {
  return person.department === 'marketing' || person.role === 'manager' || person.role === 'hr';
}

/** The reports of the period (:from, :to), and of team :team when the shape has one ('t'). */
function scope(shape: string): SQL {
  const team = shape.startsWith('t') ? sql` AND (f.author_team_id = ${sql.placeholder('team')} OR f.host_team_id = ${sql.placeholder('team')})` : sql``;
  return sql`f.occurred_at >= ${sql.placeholder('from')} AND f.occurred_at < ${sql.placeholder('to')}${team}`;
}

/** 'YYYY-MM' of every UTC month touched by [from, to), at most the last MAX_MONTHS. */
function monthsOf(from: Date, to: Date): string[] {
  const months: string[] = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  const last = new Date(to.getTime() - 1);
  while (year < last.getUTCFullYear() || (year === last.getUTCFullYear() && month <= last.getUTCMonth())) {
    months.push(`${year}-${String(month + 1).padStart(2, '0')}`);
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return months.slice(-MAX_MONTHS);
}

/** Mondays ('YYYY-MM-DD', UTC) of every week touched by [from, to). */
function weeksOf(from: Date, to: Date): string[] {
  const first = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  first.setUTCDate(first.getUTCDate() - ((first.getUTCDay() + 6) % 7));
  const weeks: string[] = [];
  for (let ms = first.getTime(); ms < to.getTime(); ms += 7 * DAY_MS) weeks.push(new Date(ms).toISOString().slice(0, 10));
  return weeks;
}

const totalsQuery = preparedSql<{ reports: number; rideAlongs: number; won: number; lost: number; open: number }>(
  (shape) => sql`
    SELECT count(*) AS reports,
           count(DISTINCT f.event_id || ':' || f.occurrence_start) AS rideAlongs,
           coalesce(sum(f.outcome = 'won'), 0) AS won,
           coalesce(sum(f.outcome = 'lost'), 0) AS lost,
           coalesce(sum(f.outcome = 'open'), 0) AS open
    FROM feedback f WHERE ${scope(shape)}`,
);

// Every name counts under its canonical kept name: merged aliases are one bar.
const competitorsQuery = preparedSql<{ name: string; reports: number; rideAlongs: number }>(
  (shape) => sql`
    SELECT cn.name AS name,
           count(DISTINCT f.id) AS reports,
           count(DISTINCT f.event_id || ':' || f.occurrence_start) AS rideAlongs
    FROM feedback_competitors c JOIN feedback f ON f.id = c.feedback_id
    JOIN field_names n ON n.id = c.name_id JOIN field_names cn ON cn.id = coalesce(n.merged_into_id, n.id)
    WHERE ${scope(shape)}
    GROUP BY cn.id
    ORDER BY rideAlongs DESC, reports DESC, cn.key
    LIMIT ${sql.raw(String(TOP_COMPETITORS))}`,
);

const lossReasonsQuery = preparedSql<{ reason: LossReason; count: number }>(
  (shape) => sql`
    SELECT f.loss_reason AS reason, count(*) AS count
    FROM feedback f
    WHERE ${scope(shape)} AND f.outcome = 'lost' AND f.loss_reason IS NOT NULL
    GROUP BY f.loss_reason
    ORDER BY count DESC, f.loss_reason`,
);

const materialsQuery = preparedSql<{ canonical_id: number; name: string; reports: number; averageRating: number }>(
  (shape) => sql`
    SELECT cn.id AS canonical_id,
           cn.name AS name,
           count(DISTINCT f.id) AS reports,
           round(avg(m.rating), 2) AS averageRating
    FROM feedback_materials m JOIN feedback f ON f.id = m.feedback_id
    JOIN field_names n ON n.id = m.name_id JOIN field_names cn ON cn.id = coalesce(n.merged_into_id, n.id)
    WHERE ${scope(shape)}
    GROUP BY cn.id
    ORDER BY reports DESC, averageRating DESC, cn.key
    LIMIT ${sql.raw(String(TOP_MATERIALS))}`,
);

/** Average rating per period (shape ':week' or ':month') of the charted materials (:charted, their canonical ids). */
const perPeriodQuery = preparedSql<{ canonical_id: number; period: string; averageRating: number; count: number }>((shape) => {
  const periodOf = shape.endsWith(':week')
    ? sql`date(f.occurred_at / 1000, 'unixepoch', '-6 days', 'weekday 1')`
    : sql`strftime('%Y-%m', f.occurred_at / 1000, 'unixepoch')`;
  return sql`
    SELECT coalesce(n.merged_into_id, n.id) AS canonical_id, ${periodOf} AS period, round(avg(m.rating), 2) AS averageRating, count(*) AS count
    FROM feedback_materials m JOIN feedback f ON f.id = m.feedback_id JOIN field_names n ON n.id = m.name_id
    WHERE ${scope(shape)} AND coalesce(n.merged_into_id, n.id) IN (SELECT value FROM json_each(${sql.placeholder('charted')}))
    GROUP BY canonical_id, period
    ORDER BY period`;
});

/** The reports' open and accepted backlog items, each with its suggestion's key (the same text ignoring case and spacing). */
const openItemsSql = (shape: string) => sql`
  SELECT f.id, f.suggestion, f.occurred_at, f.author_role, f.event_id, s.id AS item_id, s.status, s.team_id, ${suggestionKeySql} AS key
  FROM feedback f
  JOIN suggestions s ON s.source_ref = 'feedback:' || f.id
  WHERE ${scope(shape)} AND f.suggestion <> '' AND s.status IN ('open', 'accepted')`;

// The state of a suggestion is the backlog's: a report's item is found by its source reference (feedbackSourceRef).
const suggestionsQuery = preparedSql<{
  feedbackId: number;
  suggestion: string;
  count: number;
  occurredAt: number;
  eventTitle: string;
  account: string | null;
  authorRole: 'guest' | 'host';
  teamId: number | null;
  teamName: string | null;
  items: string;
}>(
  (shape) => sql`
    WITH open_items AS (${openItemsSql(shape)}),
    grouped AS (
      SELECT open_items.*,
             row_number() OVER (PARTITION BY key ORDER BY occurred_at DESC, id DESC) AS position,
             count(*) OVER (PARTITION BY key) AS times,
             json_group_array(json_object('id', item_id, 'status', status, 'teamId', team_id)) OVER (PARTITION BY key) AS items
      FROM open_items
    )
    SELECT g.id AS feedbackId, g.suggestion, g.times AS count, g.occurred_at AS occurredAt, e.title AS eventTitle, e.account, g.author_role AS authorRole,
           g.team_id AS teamId, t.name AS teamName, g.items
    FROM grouped g JOIN events e ON e.id = g.event_id LEFT JOIN teams t ON t.id = g.team_id
    WHERE g.position = 1
    ORDER BY g.times DESC, g.occurred_at DESC, g.id DESC
    LIMIT ${sql.placeholder('limit')} OFFSET ${sql.placeholder('offset')}`,
);

/** How many suggestions (distinct texts) are open in the period. */
const suggestionCountQuery = preparedSql<{ n: number }>((shape) => sql`SELECT count(DISTINCT key) AS n FROM (${openItemsSql(shape)})`);

/**
 * Whether the period has an open suggestion at all: a period without one skips the grouping query, whose window and
 * sorters cost about 90 us to set up even over no rows.
 */
const anySuggestionQuery = preparedSql<{ any: number }>((shape) => sql`SELECT EXISTS (${openItemsSql(shape)}) AS "any"`);

/** Open suggestions per page of field insights. */
export const SUGGESTIONS_PAGE_SIZE = 20;

export function fieldInsights(db: Db, filter: InsightsFilter, suggestionsPage = 1): FieldInsights {
  const bucket = filter.to.getTime() - filter.from.getTime() <= WEEKLY_UP_TO_DAYS * DAY_MS ? 'week' : 'month';
  const shape = `${filter.teamId === undefined ? '' : 't'}:${bucket}`;
  const values = { from: filter.from.getTime(), to: filter.to.getTime(), team: filter.teamId ?? null };
  const totals = totalsQuery(db, shape).get(values)!;
  const competitors = competitorsQuery(db, shape).all(values);
  const lossReasons = lossReasonsQuery(db, shape)
    .all(values)
    .map((r) => ({ ...r, label: LOSS_REASON_LABELS[r.reason] ?? r.reason }));
  const materials = materialsQuery(db, shape)
    .all(values)
    .map(({ canonical_id, ...m }) => ({ ...m, key: canonical_id }));

  const charted = materials.slice(0, CHARTED_MATERIALS);
  const periods = bucket === 'week' ? weeksOf(filter.from, filter.to) : monthsOf(filter.from, filter.to);
  const perPeriod = charted.length
    ? perPeriodQuery(db, shape)
        .all({ ...values, charted: JSON.stringify(charted.map((c) => c.key)) })
        .map(({ canonical_id, ...r }) => ({ ...r, key: canonical_id }))
    : [];
  const lines = charted.map((c) => ({
    name: c.name,
    points: perPeriod
      .filter((r) => r.key === c.key && periods.includes(r.period))
      .map((r) => ({ period: r.period, averageRating: r.averageRating, count: r.count })),
  }));

  // A page, and how many in all (counted only when there is more than one page); past the last page, the last page.
  const pageOf = (page: number) =>
    suggestionsQuery(db, shape)
      .all({ ...values, limit: SUGGESTIONS_PAGE_SIZE, offset: (page - 1) * SUGGESTIONS_PAGE_SIZE })
      .map((r) => ({ ...r, occurredAt: new Date(r.occurredAt), items: (JSON.parse(r.items) as InsightSuggestion['items']).sort((a, b) => a.id - b.id) }));
  const anyOpen = anySuggestionQuery(db, shape).get(values)?.any === 1;
  let page = anyOpen ? suggestionsPage : 1;
  let suggestions = anyOpen ? pageOf(page) : [];
  const suggestionCount = page === 1 && suggestions.length < SUGGESTIONS_PAGE_SIZE ? suggestions.length : (suggestionCountQuery(db, shape).get(values)?.n ?? 0);
  const lastPage = Math.max(1, Math.ceil(suggestionCount / SUGGESTIONS_PAGE_SIZE));
  if (page > lastPage) {
    page = lastPage;
    suggestions = pageOf(page);
  }

  return {
    reports: totals.reports,
    rideAlongs: totals.rideAlongs,
    outcomes: { won: totals.won, lost: totals.lost, open: totals.open },
    competitors,
    lossReasons,
    materials: materials.map(({ key: _key, ...m }) => m),
    ratingsOverTime: { bucket, periods, lines },
    suggestions,
    suggestionCount,
    suggestionsPage: page,
  };
}

export type SuggestionGroup = InsightSuggestion & {
  /** Items of the group the viewer may move (HR: all; a liaison: those of their teams). */
  movableIds: number[];
  /** Who owns the latest item: the liaison of its team, or null while it waits unassigned. */
  ownerName: string | null;
  /** The backlog page the latest item is on, when the viewer may open it. */
  backlogHref: string | null;
};

/** What the viewer may do with each open suggestion on field insights; the backlog's rules decide. */
export function suggestionGroupsFor(db: Db, viewer: Viewer, groups: InsightSuggestion[]): SuggestionGroup[] {
  const teams = new Map<number | null, { canChange: boolean; canView: boolean; ownerName: string | null }>();
  const teamInfo = (teamId: number | null) => {
    let info = teams.get(teamId);
    if (!info) {
      const liaison = teamId === null ? null : liaisonOfTeam(db, teamId);
      const ownerName = liaison ? (db.select({ name: people.name }).from(people).where(eq(people.id, liaison.personId)).get()?.name ?? null) : null;
      info = { canChange: canChangeBacklog(db, viewer, teamId), canView: canViewBacklog(db, viewer, teamId), ownerName };
      teams.set(teamId, info);
    }
    return info;
  };
  return groups.map((group) => {
    const latest = teamInfo(group.teamId);
    const backlogHref = !latest.canView
      ? null
      : group.teamId !== null
        ? `/liaisons/teams/${group.teamId}/backlog`
        : viewer.person.role === 'hr'
          ? '/liaisons/unassigned'
          : null;
    return {
      ...group,
      movableIds: group.items.filter((item) => teamInfo(item.teamId).canChange).map((item) => item.id),
      ownerName: latest.ownerName,
      backlogHref,
    };
  });
}
