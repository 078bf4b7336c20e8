/**
 * The rotation timeline: people (or host teams) down, weeks across. `buildTimeline` is pure (it
 * lays bars into rows and lanes); `loadTimeline` reads the window from the database and marks
 * conflicts (overridden rules, and the rules a rotation breaks now, as kept by the writes: rule-checks.ts).
 */
import { z } from 'zod';
import { departments, type Department } from '../../db/schema';
import type { Db } from '../db';
import { blankToUndefined, dateSchema, idSchema } from '../lib/validation';
import { addDaysToLocalDate, isoWeekStart, toDayNumber } from '../lib/time';
import { capacitySpans, listRotations, pageOfHostTeams, pageOfPeople } from './reads';
import { programsWithHostTeams, rotationProgramChoices, type RotationProgramDetails } from './programs';
import { notFound } from '../lib/errors';
import { listBlackouts, type BlackoutRow } from './blackouts';
import { brokenRules } from './rule-checks';
import { RULE_LABELS } from './planning';
import { weeklyPeaks } from './planner';

export type TimelineItem = {
  key: string;
  rotationId: number | null;
  personId: number;
  personName: string;
  department: Department;
  homeTeamName: string | null;
  hostTeamId: number;
  hostTeamName: string;
  programId: number;
  programName: string;
  mentorName: string | null;
  start: string;
  end: string;
  status: string;
  /** Why the rotation is marked: overridden or currently broken rules; empty when it keeps them all. */
  conflicts: string[];
};

export type TimelineBar = TimelineItem & {
  startWeek: number;
  /** Inclusive. */
  endWeek: number;
  clippedStart: boolean;
  clippedEnd: boolean;
};

export type TimelineRow = {
  key: string;
  label: string;
  sublabel: string | null;
  href: string | null;
  lanes: TimelineBar[][];
  /** Guests of a host team beyond the lanes drawn (counted in the capacity rows, drawn one by one in the person view). */
  morePeople?: number;
};

/**
 * Lanes drawn per host team: a team hosting hundreds in a year would otherwise stack hundreds of
 * lanes, a chart nobody reads and a page of megabytes. The person view pages through everyone.
 */
const TEAM_LANES_SHOWN = 6;

export type TimelineCapacityRow = { label: string; capacity: number; perWeek: number[] };

export type TimelineData = {
  weekStarts: string[];
  todayWeek: number;
  group: 'people' | 'teams';
  rows: TimelineRow[];
  blackouts: { label: string; startWeek: number; endWeek: number; title: string }[];
  capacity: TimelineCapacityRow[];
  conflictCount: number;
  /** People (or host teams) with rotations in view: `total` of them counted, and `more` past those. */
  page: number;
  pageSize: number;
  total: number;
  more?: boolean;
  /** Set when the page's people or host teams have more rotations than a page draws: how many are drawn (the first in date order). */
  rotationsLeftOut?: number | null;
};

export const timelineQuerySchema = z.object({
  from: z.preprocess(blankToUndefined, dateSchema.optional()),
  weeks: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(104).default(26)),
  program: z.preprocess(blankToUndefined, idSchema.optional()),
  team: z.preprocess(blankToUndefined, idSchema.optional()),
  /** The team typed by name (a company with too many teams to list), resolved by the route (teamFilter). */
  teamName: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
  department: z.preprocess(blankToUndefined, z.enum(departments).optional()),
  group: z.preprocess(blankToUndefined, z.enum(['people', 'teams']).default('people')),
  conflicts: z.preprocess(blankToUndefined, z.enum(['only']).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});

/** People rows per timeline page. */
const TIMELINE_PAGE_SIZE = 50;
/** Host teams per timeline page (each draws up to TEAM_LANES_SHOWN lanes). */
const TIMELINE_TEAM_PAGE_SIZE = 20;
type TimelineQuery = z.infer<typeof timelineQuerySchema>;

const collator = new Intl.Collator('en');

/** Week index of a date relative to the first Monday (may be negative or past the end). */
function weekIndex(firstDay: number, date: string) {
  return Math.floor((toDayNumber(date) - firstDay) / 7);
}

/** Lays rotations into rows (one per person, or per host team) and lanes (no two bars overlap in a lane). */
export function buildTimeline(input: {
  from: string;
  weeks: number;
  today: string;
  group: 'people' | 'teams';
  items: TimelineItem[];
  blackouts: { name: string; scope: string; start: string; end: string }[];
  capacity: TimelineCapacityRow[];
  /** Extra rows to show even without rotations (e.g. every member of a filtered team). */
  emptyRows?: { key: string; label: string; sublabel: string | null; href: string | null }[];
  page?: number;
  pageSize?: number;
  total?: number;
}): TimelineData {
  const first = isoWeekStart(input.from);
  const firstDay = toDayNumber(first);
  const weekStarts = Array.from({ length: input.weeks }, (_, i) => addDaysToLocalDate(first, i * 7));
  const lastWeek = input.weeks - 1;
  const rowsByKey = new Map<string, { row: TimelineRow; bars: TimelineBar[] }>();
  for (const extra of input.emptyRows ?? []) rowsByKey.set(extra.key, { row: { ...extra, lanes: [] }, bars: [] });
  let conflictCount = 0;
  for (const item of input.items) {
    const startWeek = weekIndex(firstDay, item.start);
    const endWeek = weekIndex(firstDay, item.end);
    if (endWeek < 0 || startWeek > lastWeek) continue;
    if (item.conflicts.length) conflictCount++;
    // Not {...item, startWeek, …}: in this V8 a spread followed by new keys takes a slow path (about 4 µs a bar against
    // 0.2 µs for Object.assign into the new keys' literal), and a page lays out hundreds of bars.
    const bar: TimelineBar = Object.assign(
      { startWeek: Math.max(0, startWeek), endWeek: Math.min(lastWeek, endWeek), clippedStart: startWeek < 0, clippedEnd: endWeek > lastWeek },
      item,
    );
    const key = input.group === 'people' ? `p${item.personId}` : `t${item.hostTeamId}`;
    let entry = rowsByKey.get(key);
    if (!entry) {
      entry =
        input.group === 'people'
          ? { row: { key, label: item.personName, sublabel: item.homeTeamName, href: null, lanes: [] }, bars: [] }
          : { row: { key, label: item.hostTeamName, sublabel: 'host team', href: null, lanes: [] }, bars: [] };
      rowsByKey.set(key, entry);
    }
    entry.bars.push(bar);
  }
  const rows = [...rowsByKey.values()]
    .map(({ row, bars }) => {
      bars.sort((a, b) => a.startWeek - b.startWeek || a.endWeek - b.endWeek || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const lanes: TimelineBar[][] = [];
      for (const bar of bars) {
        const lane = lanes.find((l) => l[l.length - 1].endWeek < bar.startWeek);
        if (lane) lane.push(bar);
        else lanes.push([bar]);
      }
      if (input.group === 'teams' && lanes.length > TEAM_LANES_SHOWN) {
        const hidden = new Set(
          lanes
            .slice(TEAM_LANES_SHOWN)
            .flat()
            .map((b) => b.personId),
        );
        for (const bar of lanes.slice(0, TEAM_LANES_SHOWN).flat()) hidden.delete(bar.personId);
        return Object.assign({ morePeople: hidden.size }, row, { lanes: lanes.slice(0, TEAM_LANES_SHOWN) });
      }
      return { ...row, lanes };
    })
    .sort((a, b) => collator.compare(a.label, b.label) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const blackouts = input.blackouts
    .map((b) => ({
      label: `${b.name} (${b.scope})`,
      startWeek: Math.max(0, weekIndex(firstDay, b.start)),
      endWeek: Math.min(lastWeek, weekIndex(firstDay, b.end)),
      title: `${b.name}: ${b.scope}, ${b.start} to ${b.end}`,
    }))
    .filter((b) => b.endWeek >= 0 && b.startWeek <= lastWeek && b.startWeek <= b.endWeek);
  const todayIndex = weekIndex(firstDay, input.today);
  return {
    weekStarts,
    todayWeek: todayIndex >= 0 && todayIndex <= lastWeek ? todayIndex : -1,
    group: input.group,
    rows,
    blackouts,
    capacity: input.capacity,
    conflictCount,
    page: input.page ?? 1,
    pageSize: input.pageSize ?? rows.length,
    total: input.total ?? rows.length,
  };
}

/** Most guests on any day of each week from the Monday `firstDay`, of spans given as day numbers (toDayNumber), start and end of each in turn. */
function peaksOfDays(days: readonly number[], firstDay: number, weeks: number): number[] {
  return Array.from(weeklyPeaks(days, firstDay, weeks));
}

/** Most guests of one program in one host team on any day of each week. */
export function weeklyHostedPeaks(spans: { start: string; end: string }[], from: string, weeks: number): number[] {
  return peaksOfDays(
    spans.flatMap((s) => [toDayNumber(s.start), toDayNumber(s.end)]),
    toDayNumber(isoWeekStart(from)),
    weeks,
  );
}

/**
 * Guests of one program in one host team: the first and last day of each one's span in turn, as day numbers
 * (toDayNumber; the timeline reads them so from SQL, one entry per program and host team).
 */
export type HostedDays = { programId: number; hostTeamId: number; days: readonly number[] };

export function capacityRows(
  programs: Pick<RotationProgramDetails, 'id' | 'name' | 'hostTeams'>[],
  hosted: readonly HostedDays[],
  from: string,
  weeks: number,
  onlyHostTeams?: ReadonlySet<number>,
): TimelineCapacityRow[] {
  const byHost = new Map<string, number[]>();
  for (const h of hosted) {
    const key = `${h.programId}:${h.hostTeamId}`;
    const days = byHost.get(key);
    if (days) for (const day of h.days) days.push(day);
    else byHost.set(key, [...h.days]);
  }
  const firstDay = toDayNumber(isoWeekStart(from));
  const rows: TimelineCapacityRow[] = [];
  for (const program of programs) {
    for (const host of program.hostTeams) {
      if (onlyHostTeams && !onlyHostTeams.has(host.teamId)) continue;
      const days = byHost.get(`${program.id}:${host.teamId}`) ?? [];
      rows.push({ label: `${host.teamName} · ${program.name}`, capacity: host.capacity, perWeek: peaksOfDays(days, firstDay, weeks) });
    }
  }
  return rows;
}

export function blackoutScope(b: BlackoutRow): string {
  return b.teamName ? b.teamName : `all ${b.department}`;
}

/** Rotations drawn on one page at most (50 people's or 20 host teams'); a page that has more says so (rotationsLeftOut). */
const ROTATIONS_DRAWN = 3_000;

/**
 * The timeline of the database for a query, limited to rotations whose guest or mentor the viewer may see
 * (`visible`; `fewVisibleIds` when the viewer sees few people, so the page starts from them).
 */
export function loadTimeline(
  db: Db,
  query: TimelineQuery,
  today: string,
  visible: { clause: string; params: unknown[] } | null,
  fewVisibleIds?: number[],
  rotationsDrawn = ROTATIONS_DRAWN,
): TimelineData {
  const from = isoWeekStart(query.from ?? today);
  const to = addDaysToLocalDate(from, query.weeks * 7 - 1);
  const filter = {
    from,
    to,
    programId: query.program,
    homeTeamId: query.group === 'people' ? query.team : undefined,
    hostTeamId: query.group === 'teams' ? query.team : undefined,
    department: query.department,
    ...(fewVisibleIds ? { visibleIds: fewVisibleIds } : { visible }),
    today,
  };
  // People come 50 a page, host teams 20 a page, each page read alone: a company of a thousand teams is neither one
  // page of megabytes nor a read of its whole window.
  const pageSize = query.group === 'people' ? TIMELINE_PAGE_SIZE : TIMELINE_TEAM_PAGE_SIZE;
  const { ids, total, more, rotationIds } =
    query.group === 'people' ? pageOfPeople(db, filter, query.page, pageSize) : pageOfHostTeams(db, filter, query.page, pageSize);
  // A page found with its rotations (a manager's few people) reads those by id; else the page's people's or teams' rotations in view.
  const pageFilter = rotationIds
    ? { from, to, today, rotationIds }
    : query.group === 'people'
      ? { ...filter, personIds: ids }
      : { ...filter, hostTeamIds: ids };
  const found = ids.length ? listRotations(db, pageFilter, rotationsDrawn + 1) : [];
  const rows = found.slice(0, rotationsDrawn);
  // Conflicts: rules overridden when scheduled, and rules the rotation breaks today (data changes since).
  // Broken rules are kept per rotation by the writes that change them (rule-checks.ts): read for the rows shown.
  const needsCheck = rows.filter((r) => r.status === 'planned' || r.status === 'active');
  const broken = new Map([...brokenRules(db, needsCheck)].map(([id, codes]) => [id, [...new Set(codes.map((code) => RULE_LABELS[code] ?? code))]]));
  let items: TimelineItem[] = rows.map((r) => ({
    key: `r${r.id}`,
    rotationId: r.id,
    personId: r.personId,
    personName: r.personName,
    department: r.personDepartment,
    homeTeamName: r.homeTeamName,
    hostTeamId: r.hostTeamId,
    hostTeamName: r.hostTeamName,
    programId: r.programId,
    programName: r.programName,
    mentorName: r.mentorName,
    start: r.startDate,
    end: r.endDate,
    status: r.status,
    conflicts: [...(r.overrideCount > 0 ? ['overridden by HR'] : []), ...(broken.get(r.id) ?? [])],
  }));
  if (query.conflicts === 'only') items = items.filter((i) => i.conflicts.length > 0);
  const choices = rotationProgramChoices(db, !query.program);
  const shown = query.program ? choices.filter((p) => p.id === query.program) : choices;
  if (query.program && !shown.length) throw notFound('No rotation program with this id.');
  // Capacity counts every guest of the shown programs in the host teams this page shows, whoever the viewer may see.
  const shownHosts = new Set(items.map((i) => i.hostTeamId));
  const shownPrograms = programsWithHostTeams(db, shown, [...shownHosts]);
  const capacitySource = capacitySpans(
    db,
    shown.map((p) => p.id),
    [...shownHosts],
    from,
    to,
  );
  const blackouts = listBlackouts(db, from, to).filter((b) => !query.department || !b.department || b.department === query.department);
  return {
    ...buildTimeline({
      from,
      weeks: query.weeks,
      today,
      group: query.group,
      items,
      blackouts: blackouts.map((b) => ({ name: b.name, scope: blackoutScope(b), start: b.startDate, end: b.endDate })),
      // Capacity of the host teams this page shows, counting every guest they take.
      capacity: capacityRows(shownPrograms, capacitySource, from, query.weeks, shownHosts),
      page: query.page,
      pageSize,
      total,
    }),
    more,
    rotationsLeftOut: found.length > rotationsDrawn ? rotationsDrawn : null,
  };
}
