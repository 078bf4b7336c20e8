// The rotation planner: given a program, the people to place, the company state
// and a horizon, propose one rotation per person. Pure and deterministic: the
// same input gives the same plan (no randomness, no clock, ties broken by id),
// whatever order the people are listed in.
//
// How it places people:
// - Rotations start on Mondays and last the program's whole weeks, inside the
//   horizon (which starts on the first Monday on or after horizon.start).
// - People with preferred periods go first, then those with the fewest
//   workable weeks; everyone else afterwards, by id.
// - For each person the candidate start weeks are ranked by: days outside
//   their preferred periods (so preferences win where any rule-keeping week
//   exists), then how many of this direction already start that week, then
//   how many start at all, then distance to the person's evenly spaced target
//   week, then the week itself. The first week where a host team has room and
//   a mentor is free wins. Host teams are tried least-filled first (people
//   placed relative to capacity), mentors least-loaded first.
// - With direction 'both', marketers and reps are taken alternately, each
//   direction's targets offset by half a step so the two interleave over time.
//   With strictReciprocity (the default) a plan never sends more people one
//   way than the other: the surplus is listed as unplaced with rule
//   'reciprocity'.
// - Spreading evenly and packing tightly pull in different directions when
//   host capacity or home-team coverage is scarce, so up to three strategies
//   run: 'even' (the ranking above), 'waves' (no start counting; targets
//   snapped to multiples of the rotation length, so cohorts follow each other
//   without gaps) and 'packed' (earliest feasible week first). The first plan wins unless a
//   later one places more people (then more preferences met). Later
//   strategies only run while someone is unplaced for a rule the plan itself
//   influences (capacity, coverage, mentors, reciprocity), and only for up to
//   ALTERNATIVE_STRATEGY_LIMIT people.
// - All rules are tracked with per-week counters (people per host team, people
//   away per home team), so one placement costs O(weeks × host teams) at worst.

import { type DateSpan, type LocalDate, fromDayNumber, nextMondayOnOrAfter, toDayNumber } from '../lib/time';
import {
  type ExistingRotation,
  type Id,
  type ProposedRotation,
  type RuleCode,
  type RuleContext,
  type RulePerson,
  type RotationDirection,
  type RuleProgram,
  type RuleTeam,
  type RuleViolation,
  DEFAULT_COVERAGE_SHARE,
  NEW_HIRE_PERIOD_DAYS,
  RULE_CODES,
  RULE_TITLES,
  allowedAway,
  blackoutAppliesToTeam,
  createRuleChecker,
  departmentsOfDirection,
  formatPercent,
  directionOfPerson,
} from './rules';

export type OneWayDirection = 'marketing_to_sales' | 'sales_to_marketing';

export interface PlanPerson extends RulePerson {
  /** Periods the person would like to rotate in; honoured where any rule-keeping week exists. */
  preferred?: readonly DateSpan[];
}

interface MentorPool {
  teamId: Id;
  mentorIds: readonly Id[];
}

export interface PlanContext extends RuleContext {
  /** Who may mentor in each host team; a team without a pool offers everyone in it (from `people`). */
  mentorPools?: readonly MentorPool[];
}

export interface PlanHorizon {
  start: LocalDate;
  weeks: number;
}

export interface PlanInput {
  program: RuleProgram;
  people: readonly PlanPerson[];
  context: PlanContext;
  horizon: PlanHorizon;
  /** Direction 'both' only: never place more people one way than the other. Default true. */
  strictReciprocity?: boolean;
}

export interface PlannedRotation {
  personId: Id;
  hostTeamId: Id;
  mentorId: Id;
  start: LocalDate;
  end: LocalDate;
}

export type UnplacedRule = RuleCode | 'reciprocity' | 'horizon';

export interface UnplacedPerson {
  personId: Id;
  rule: UnplacedRule;
  message: string;
}

export type PlanStrategy = 'even' | 'waves' | 'packed';

export interface PlanStats {
  /** Which placement strategy produced the plan. */
  strategy: PlanStrategy;
  requested: number;
  placed: number;
  unplaced: number;
  placedByDirection: Record<OneWayDirection, number>;
  unplacedByRule: Partial<Record<UnplacedRule, number>>;
  withPreferences: number;
  preferencesMet: number;
  /** Monday of the horizon's first week. */
  firstWeekStart: LocalDate;
  weeks: number;
  startsPerWeek: number[];
  activePerWeek: number[];
  guestsPerHostTeam: { teamId: Id; count: number }[];
  menteesPerMentor: { mentorId: Id; count: number }[];
}

export interface Plan {
  rotations: PlannedRotation[];
  unplaced: UnplacedPerson[];
  stats: PlanStats;
}

export interface PlanItemCheck {
  index: number;
  personId: Id;
  violations: RuleViolation[];
}

/** Total order on ids: numbers (numerically) before strings (by code unit). */
function compareIds(a: Id, b: Id): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const CODES: readonly RuleCode[] = RULE_CODES;
const CODE_INDEX = new Map<RuleCode, number>(CODES.map((code, i) => [code, i]));
/** Ten years; week numbers must fit the 10 bits the week ranking packs them in. */
export const MAX_HORIZON_WEEKS = 520;
/**
 * Above this many people the alternative strategies gain a fraction of a
 * percent (measured: 4–23 more of 5,000) for three times the time, so only
 * 'even' runs.
 */
const ALTERNATIVE_STRATEGY_LIMIT = 1000;
const STRATEGIES: readonly PlanStrategy[] = ['even', 'waves', 'packed'];
/** Reasons that a different arrangement of the plan itself might remove. */
const PLAN_DEPENDENT_REASONS = new Set<UnplacedRule>(['host_capacity', 'home_coverage', 'mentor_away', 'reciprocity']);

interface TeamState {
  slot: number;
  id: Id;
  team: RuleTeam | undefined;
  allowedAway: number;
  /** Most members away on any one day of week w, from existing rotations. */
  awayExisting: Int32Array;
  /** 1 + index of the first blackout touching week w, or 0. */
  blackoutAt: Int32Array;
  /** blackoutPrefix[w] = weeks before w with a blackout: range queries in O(1). */
  blackoutPrefix: Int32Array;
}

interface HostState {
  slot: number;
  teamId: Id;
  team: RuleTeam;
  capacity: number;
  serves: OneWayDirection;
  teamState: TeamState;
  /** Most people of this program on any one day of week w, from existing rotations. */
  hostedExisting: Int32Array;
  mentorIds: Id[];
}

interface PersonState {
  person: PlanPerson;
  direction: OneWayDirection;
  homeState: TeamState | null;
  /** 1 + index in RULE_CODES of the rule that closes week w whatever the plan does, or 0. */
  staticBlock: Uint8Array;
  freeWeeks: number;
  /** Days of the span starting in week w outside the person's preferred periods; null without preferences. */
  prefOutside: Int32Array | null;
  /** Evenly spaced target week (fractional). */
  target: number;
}

interface Placement {
  state: PersonState;
  week: number;
  host: HostState;
  mentorId: Id;
}

/** Spans as flat [start, end, start, end, …] day numbers. */
type SpanList = number[];

function overlapsAny(spans: SpanList | undefined, startDay: number, endDay: number): number {
  if (!spans) return -1;
  for (let i = 0; i < spans.length; i += 2) {
    if (spans[i] <= endDay && startDay <= spans[i + 1]) return i;
  }
  return -1;
}

function countOverlaps(spans: SpanList | undefined, startDay: number, endDay: number): number {
  if (!spans) return 0;
  let count = 0;
  for (let i = 0; i < spans.length; i += 2) {
    if (spans[i] <= endDay && startDay <= spans[i + 1]) count++;
  }
  return count;
}

function pushSpan(map: Map<Id, SpanList>, id: Id, startDay: number, endDay: number): void {
  const list = map.get(id);
  if (list) list.push(startDay, endDay);
  else map.set(id, [startDay, endDay]);
}

function mergeSpans(spans: readonly DateSpan[]): [number, number][] {
  const days = spans
    .map((s) => [toDayNumber(s.start), toDayNumber(s.end)] as [number, number])
    .filter(([s, e]) => e >= s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [s, e] of days) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Most rotations running on any one day of each week, for spans (pairs of day numbers, inclusive) clipped to the horizon. */
export function weeklyPeaks(spans: readonly number[], firstDay: number, weeks: number): Int32Array {
  const days = weeks * 7;
  const diff = new Int32Array(days + 1);
  for (let i = 0; i < spans.length; i += 2) {
    const from = Math.max(spans[i], firstDay) - firstDay;
    const to = Math.min(spans[i + 1], firstDay + days - 1) - firstDay;
    if (from > to) continue;
    diff[from]++;
    diff[to + 1]--;
  }
  const peaks = new Int32Array(weeks);
  let running = 0;
  for (let d = 0; d < days; d++) {
    running += diff[d];
    const w = (d / 7) | 0;
    if (running > peaks[w]) peaks[w] = running;
  }
  return peaks;
}

function describeDirection(direction: OneWayDirection): string {
  return direction === 'marketing_to_sales' ? 'marketers into sales' : 'sales reps into marketing';
}

function wantedPeople(direction: RotationDirection): string {
  return direction === 'marketing_to_sales' ? 'marketers' : direction === 'sales_to_marketing' ? 'sales reps' : 'sales reps and marketers';
}

const OTHER_DIRECTION: Record<OneWayDirection, OneWayDirection> = {
  marketing_to_sales: 'sales_to_marketing',
  sales_to_marketing: 'marketing_to_sales',
};

/** Everything about the input that no placement changes, computed once for all strategies. */
function preparePlanning(input: PlanInput) {
  const { program, horizon, context } = input;
  if (!Number.isInteger(program.lengthWeeks) || program.lengthWeeks < 1) {
    throw new RangeError(`program length must be a whole number of weeks ≥ 1, got ${program.lengthWeeks}`);
  }
  if (!Number.isInteger(horizon.weeks) || horizon.weeks < 0 || horizon.weeks > MAX_HORIZON_WEEKS) {
    throw new RangeError(`horizon must be a whole number of weeks from 0 to ${MAX_HORIZON_WEEKS}, got ${horizon.weeks}`);
  }
  const seen = new Set<Id>();
  for (const person of input.people) {
    if (seen.has(person.id)) throw new RangeError(`person ${person.id} is listed twice`);
    seen.add(person.id);
  }

  const firstWeekStart = nextMondayOnOrAfter(horizon.start);
  const firstDay = toDayNumber(firstWeekStart);
  const weeks = horizon.weeks;
  const lengthWeeks = program.lengthWeeks;
  const startWeeks = Math.max(0, weeks - lengthWeeks + 1);
  const spanDays = lengthWeeks * 7;
  const coverageShare = context.coverageShare ?? DEFAULT_COVERAGE_SHARE;
  const programLabel = program.name ? `"${program.name}"` : `program ${program.id}`;

  const directory = new Map<Id, RulePerson>();
  for (const person of context.people) directory.set(person.id, person);
  for (const person of input.people) directory.set(person.id, person);
  const teams = new Map<Id, RuleTeam>();
  for (const team of context.teams) teams.set(team.id, team);
  const teamName = (id: Id) => teams.get(id)?.name ?? `team ${id}`;

  // Existing rotations, as day spans per person and per team.
  const personSpans = new Map<Id, SpanList>();
  const mentorSpans = new Map<Id, SpanList>();
  const awaySpansByHome = new Map<Id, SpanList>();
  const hostedSpansByTeam = new Map<Id, SpanList>();
  for (const r of context.rotations) {
    if (r.status === 'cancelled') continue;
    const s = toDayNumber(r.start);
    const e = toDayNumber(r.end);
    pushSpan(personSpans, r.personId, s, e);
    if (r.mentorId !== null) pushSpan(mentorSpans, r.mentorId, s, e);
    const home = directory.get(r.personId)?.homeTeamId;
    if (home !== undefined && home !== null) pushSpan(awaySpansByHome, home, s, e);
    if (r.programId === program.id) pushSpan(hostedSpansByTeam, r.hostTeamId, s, e);
  }
  const unavailableSpans = new Map<Id, SpanList>();
  const unavailableOf = (id: Id): SpanList => {
    let spans = unavailableSpans.get(id);
    if (!spans) {
      spans = [];
      for (const p of directory.get(id)?.unavailable ?? []) spans.push(toDayNumber(p.start), toDayNumber(p.end));
      unavailableSpans.set(id, spans);
    }
    return spans;
  };

  const blackoutDays = context.blackouts.map((b) => [toDayNumber(b.start), toDayNumber(b.end)] as const);
  const teamStates: TeamState[] = [];
  const teamStateById = new Map<Id, TeamState>();
  const teamStateOf = (id: Id): TeamState => {
    const known = teamStateById.get(id);
    if (known) return known;
    const team = teams.get(id);
    const blackoutAt = new Int32Array(weeks);
    if (team) {
      context.blackouts.forEach((blackout, i) => {
        if (!blackoutAppliesToTeam(blackout, team)) return;
        const [bs, be] = blackoutDays[i];
        const from = Math.max(0, Math.floor((bs - firstDay) / 7));
        const to = Math.min(weeks - 1, Math.floor((be - firstDay) / 7));
        for (let w = from; w <= to; w++) if (blackoutAt[w] === 0) blackoutAt[w] = i + 1;
      });
    }
    const blackoutPrefix = new Int32Array(weeks + 1);
    for (let w = 0; w < weeks; w++) blackoutPrefix[w + 1] = blackoutPrefix[w] + (blackoutAt[w] > 0 ? 1 : 0);
    const awaySpans = awaySpansByHome.get(id);
    const state: TeamState = {
      slot: teamStates.length,
      id,
      team,
      allowedAway: allowedAway(team?.memberCount ?? 0, coverageShare),
      awayExisting: awaySpans ? weeklyPeaks(awaySpans, firstDay, weeks) : new Int32Array(weeks),
      blackoutAt,
      blackoutPrefix,
    };
    teamStates.push(state);
    teamStateById.set(id, state);
    return state;
  };
  const firstBlackoutIn = (state: TeamState, fromWeek: number, toWeek: number): number => {
    if (state.blackoutPrefix[toWeek + 1] - state.blackoutPrefix[fromWeek] === 0) return -1;
    for (let w = fromWeek; w <= toWeek; w++) if (state.blackoutAt[w] > 0) return state.blackoutAt[w] - 1;
    return -1;
  };

  // Host teams with their mentors. Teams unknown to the context or outside
  // sales and marketing are never used: their department cannot be checked.
  const pools = new Map<Id, readonly Id[]>();
  for (const pool of context.mentorPools ?? []) if (!pools.has(pool.teamId)) pools.set(pool.teamId, pool.mentorIds);
  const membersByTeam = new Map<Id, Id[]>();
  for (const person of directory.values()) {
    if (person.homeTeamId === null) continue;
    const list = membersByTeam.get(person.homeTeamId);
    if (list) list.push(person.id);
    else membersByTeam.set(person.homeTeamId, [person.id]);
  }
  const hostEntries = new Map<Id, number>();
  for (const entry of program.hostTeams) if (!hostEntries.has(entry.teamId)) hostEntries.set(entry.teamId, entry.capacity);
  const hosts: HostState[] = [];
  for (const [teamId, capacity] of [...hostEntries].sort((a, b) => compareIds(a[0], b[0]))) {
    const team = teams.get(teamId);
    if (!team || (team.department !== 'sales' && team.department !== 'marketing')) continue;
    const serves: OneWayDirection = team.department === 'sales' ? 'marketing_to_sales' : 'sales_to_marketing';
    if (program.direction !== 'both' && program.direction !== serves) continue;
    const mentorIds = [...new Set(pools.get(teamId) ?? membersByTeam.get(teamId) ?? [])]
      .filter((id) => directory.get(id)?.homeTeamId === teamId)
      .sort(compareIds);
    const hostedSpans = hostedSpansByTeam.get(teamId);
    hosts.push({
      slot: hosts.length,
      teamId,
      team,
      capacity,
      serves,
      teamState: teamStateOf(teamId),
      hostedExisting: hostedSpans ? weeklyPeaks(hostedSpans, firstDay, weeks) : new Int32Array(weeks),
      mentorIds,
    });
  }
  const hostsFor: Record<OneWayDirection, HostState[]> = {
    marketing_to_sales: hosts.filter((h) => h.serves === 'marketing_to_sales'),
    sales_to_marketing: hosts.filter((h) => h.serves === 'sales_to_marketing'),
  };

  // People: direction, and the weeks closed by rules that do not depend on the plan.
  const refused: UnplacedPerson[] = [];
  const queues: Record<OneWayDirection, PersonState[]> = { marketing_to_sales: [], sales_to_marketing: [] };
  const earliestStartOf = (person: RulePerson): number => (person.hireDate ? toDayNumber(person.hireDate) + NEW_HIRE_PERIOD_DAYS : -Infinity);
  for (const person of [...input.people].sort((a, b) => compareIds(a.id, b.id))) {
    const direction = directionOfPerson(program.direction, person.department);
    if (direction === null) {
      refused.push({
        personId: person.id,
        rule: 'direction',
        message: `${person.name} could not be placed: ${RULE_TITLES.direction} — ${programLabel} takes ${wantedPeople(program.direction)}, and ${person.name} is in ${person.department}.`,
      });
      continue;
    }
    if (startWeeks === 0) {
      refused.push({
        personId: person.id,
        rule: 'horizon',
        message: `${person.name} could not be placed: the horizon of ${weeks} week${weeks === 1 ? '' : 's'} is shorter than the ${lengthWeeks}-week rotations of ${programLabel}.`,
      });
      continue;
    }
    const homeState = person.homeTeamId !== null ? teamStateOf(person.homeTeamId) : null;
    const earliestStartDay = earliestStartOf(person);
    const unavailable = unavailableOf(person.id);
    const ownRotations = personSpans.get(person.id);
    const ownMentoring = mentorSpans.get(person.id);
    const staticBlock = new Uint8Array(startWeeks);
    let freeWeeks = 0;
    for (let w = 0; w < startWeeks; w++) {
      const s = firstDay + 7 * w;
      const e = s + spanDays - 1;
      let code: RuleCode | null = null;
      if (s < earliestStartDay) code = 'new_hire_period';
      else if (overlapsAny(unavailable, s, e) >= 0) code = 'unavailable';
      else if (overlapsAny(ownRotations, s, e) >= 0) code = 'overlap';
      else if (overlapsAny(ownMentoring, s, e) >= 0) code = 'mentor_away';
      else if (homeState && firstBlackoutIn(homeState, w, w + lengthWeeks - 1) >= 0) code = 'blackout';
      if (code === null) freeWeeks++;
      else staticBlock[w] = CODE_INDEX.get(code)! + 1;
    }
    let prefOutside: Int32Array | null = null;
    if (person.preferred && person.preferred.length > 0) {
      prefOutside = new Int32Array(startWeeks);
      const merged = mergeSpans(person.preferred);
      for (let w = 0; w < startWeeks; w++) {
        const s = firstDay + 7 * w;
        const e = s + spanDays - 1;
        let covered = 0;
        for (const [ps, pe] of merged) {
          const from = Math.max(ps, s);
          const to = Math.min(pe, e);
          if (from <= to) covered += to - from + 1;
        }
        prefOutside[w] = spanDays - covered;
      }
    }
    queues[direction].push({ person, direction, homeState, staticBlock, freeWeeks, prefOutside, target: 0 });
  }

  // Processing order and evenly spaced targets, per direction.
  const bothWays = program.direction === 'both';
  const strictReciprocity = bothWays && input.strictReciprocity !== false;
  const expectedPerDirection = strictReciprocity ? Math.min(queues.marketing_to_sales.length, queues.sales_to_marketing.length) : Infinity;
  for (const direction of ['marketing_to_sales', 'sales_to_marketing'] as const) {
    const queue = queues[direction];
    queue.sort((a, b) => Number(b.prefOutside !== null) - Number(a.prefOutside !== null) || a.freeWeeks - b.freeWeeks || compareIds(a.person.id, b.person.id));
    const offset = bothWays ? (direction === 'marketing_to_sales' ? 0.25 : 0.75) : 0.5;
    for (const withPreferences of [true, false]) {
      const group = queue.filter((p) => (p.prefOutside !== null) === withPreferences);
      const expected = Math.max(1, Math.min(group.length, expectedPerDirection));
      group.forEach((p, k) => {
        p.target = (((k + offset) * startWeeks) / expected) % startWeeks;
      });
    }
  }

  return {
    input,
    firstWeekStart,
    firstDay,
    weeks,
    lengthWeeks,
    startWeeks,
    spanDays,
    coverageShare,
    programLabel,
    directory,
    teamName,
    personSpans,
    mentorSpans,
    unavailableOf,
    earliestStartOf,
    teamStates,
    firstBlackoutIn,
    hosts,
    hostsFor,
    refused,
    queues,
    bothWays,
    strictReciprocity,
  };
}

type Prepared = ReturnType<typeof preparePlanning>;

interface StrategyResult {
  strategy: PlanStrategy;
  placements: Placement[];
  unplaced: UnplacedPerson[];
  preferencesMet: number;
}

/** Places everyone it can with one strategy; all plan-dependent state lives here. */
function runStrategy(prepared: Prepared, strategy: PlanStrategy): StrategyResult {
  // Grouped by concern: the calendar, the people and their constraints, the hosts and directions.
  const { input, firstDay, weeks, lengthWeeks, startWeeks, spanDays, coverageShare } = prepared;
  const { programLabel, teamName, personSpans, mentorSpans, unavailableOf, earliestStartOf, firstBlackoutIn } = prepared;
  const { hosts, hostsFor, queues, bothWays, strictReciprocity } = prepared;
  const { context } = input;
  const weekDate = (w: number) => fromDayNumber(firstDay + 7 * w);

  const awayPlanned = prepared.teamStates.map(() => new Int32Array(weeks));
  const hostedPlanned = hosts.map(() => new Int32Array(weeks));
  const assigned = new Int32Array(hosts.length);
  const startsByDirection: Record<OneWayDirection, Int32Array> = {
    marketing_to_sales: new Int32Array(startWeeks),
    sales_to_marketing: new Int32Array(startWeeks),
  };
  const startsAll = new Int32Array(startWeeks);
  const plannedPersonSpan = new Map<Id, [number, number]>();
  const plannedMentoring = new Map<Id, SpanList>();
  const mentorLoad = new Map<Id, number>();
  for (const [id, spans] of mentorSpans) mentorLoad.set(id, spans.length / 2);
  const placements: Placement[] = [];

  const targetOf = (state: PersonState): number => {
    if (strategy === 'packed') return 0;
    if (strategy === 'waves') return Math.min(startWeeks - 1, lengthWeeks * Math.round(state.target / lengthWeeks));
    return state.target;
  };

  function pickMentor(host: HostState, personId: Id, s: number, e: number): Id | null {
    let best: Id | null = null;
    let bestConcurrent = Infinity;
    let bestTotal = Infinity;
    for (const id of host.mentorIds) {
      if (id === personId) continue;
      if (overlapsAny(personSpans.get(id), s, e) >= 0) continue;
      const planned = plannedPersonSpan.get(id);
      if (planned && planned[0] <= e && s <= planned[1]) continue;
      if (overlapsAny(unavailableOf(id), s, e) >= 0) continue;
      const concurrent = countOverlaps(mentorSpans.get(id), s, e) + countOverlaps(plannedMentoring.get(id), s, e);
      const total = mentorLoad.get(id) ?? 0;
      // mentorIds are sorted, so strict comparisons keep the smallest id on ties.
      if (concurrent < bestConcurrent || (concurrent === bestConcurrent && total < bestTotal)) {
        best = id;
        bestConcurrent = concurrent;
        bestTotal = total;
      }
    }
    return best;
  }

  // The host-level outcome of a start week is the same for every person of one
  // direction until the next placement, so a failed week is remembered.
  let placementVersion = 1;
  const failedVersion: Record<OneWayDirection, Int32Array> = {
    marketing_to_sales: new Int32Array(startWeeks),
    sales_to_marketing: new Int32Array(startWeeks),
  };
  const failedCode: Record<OneWayDirection, Uint8Array> = {
    marketing_to_sales: new Uint8Array(startWeeks),
    sales_to_marketing: new Uint8Array(startWeeks),
  };
  const failedDescribe: Record<OneWayDirection, (() => string)[]> = { marketing_to_sales: [], sales_to_marketing: [] };
  // How many weeks have failed for a direction since placement number failedSince.
  const failedWeeks: Record<OneWayDirection, number> = { marketing_to_sales: 0, sales_to_marketing: 0 };
  const failedSince: Record<OneWayDirection, number> = { marketing_to_sales: 0, sales_to_marketing: 0 };
  const hostCounts = new Int32Array(CODES.length);
  const hostFirst = new Int32Array(CODES.length);
  const hostFullWeek = new Int32Array(CODES.length);

  const fail = (code: RuleCode, hostIndex: number, fullWeek: number) => {
    const i = CODE_INDEX.get(code)!;
    if (hostCounts[i]++ === 0) {
      hostFirst[i] = hostIndex;
      hostFullWeek[i] = fullWeek;
    }
  };

  /** A host team and mentor for week w; otherwise null, with the reason left in failed*[w]. */
  function findHost(direction: OneWayDirection, directionHosts: readonly HostState[], personId: Id, w: number): { host: HostState; mentorId: Id } | null {
    if (failedVersion[direction][w] === placementVersion) return null;
    const s = firstDay + 7 * w;
    const e = s + spanDays - 1;
    const lastWeek = w + lengthWeeks - 1;
    hostCounts.fill(0);
    for (let h = 0; h < directionHosts.length; h++) {
      const host = directionHosts[h];
      if (firstBlackoutIn(host.teamState, w, lastWeek) >= 0) {
        fail('blackout', h, w);
        continue;
      }
      const existing = host.hostedExisting;
      const planned = hostedPlanned[host.slot];
      let fullWeek = -1;
      for (let x = w; x <= lastWeek; x++) {
        if (existing[x] + planned[x] + 1 > host.capacity) {
          fullWeek = x;
          break;
        }
      }
      if (fullWeek >= 0) {
        fail('host_capacity', h, fullWeek);
        continue;
      }
      if (host.mentorIds.length === 0) {
        fail('mentor_not_in_host_team', h, w);
        continue;
      }
      const mentorId = pickMentor(host, personId, s, e);
      if (mentorId === null) {
        fail('mentor_away', h, w);
        continue;
      }
      return { host, mentorId };
    }
    let best = -1;
    for (let i = 0; i < CODES.length; i++) if (hostCounts[i] > 0 && (best < 0 || hostCounts[i] > hostCounts[best])) best = i;
    let describe: () => string;
    if (best < 0) {
      best = CODE_INDEX.get('direction')!;
      describe = () => `${programLabel} has no ${departmentsOfDirection(direction).host} host team`;
    } else {
      const host = directionHosts[hostFirst[best]];
      const fullWeek = hostFullWeek[best];
      const code = CODES[best];
      describe = () => {
        if (code === 'blackout') {
          const b = context.blackouts[firstBlackoutIn(host.teamState, w, lastWeek)];
          return `"${b.name}" (${b.start} to ${b.end}) covers host team ${host.team.name}`;
        }
        if (code === 'host_capacity') {
          return `host team ${host.team.name} takes ${host.capacity} guest${host.capacity === 1 ? '' : 's'} of ${programLabel} at once and is full the week of ${weekDate(fullWeek)}`;
        }
        if (code === 'mentor_not_in_host_team') return `host team ${host.team.name} has nobody who can mentor`;
        return `no mentor in host team ${host.team.name} is free the week of ${weekDate(w)}`;
      };
    }
    failedVersion[direction][w] = placementVersion;
    if (failedSince[direction] !== placementVersion) {
      failedSince[direction] = placementVersion;
      failedWeeks[direction] = 0;
    }
    failedWeeks[direction]++;
    failedCode[direction][w] = best + 1;
    failedDescribe[direction][w] = describe;
    return null;
  }

  /** Why week w is closed to a person by a rule that does not depend on the plan. */
  function describeStaticBlock(state: PersonState, code: RuleCode, w: number): string {
    const { person, homeState } = state;
    const s = firstDay + 7 * w;
    const e = s + spanDays - 1;
    const spanOf = (spans: SpanList | undefined) => {
      const hit = overlapsAny(spans, s, e);
      return `${fromDayNumber(spans![hit])} to ${fromDayNumber(spans![hit + 1])}`;
    };
    switch (code) {
      case 'new_hire_period':
        return `${person.name} was hired on ${person.hireDate}, so the earliest start is ${fromDayNumber(earliestStartOf(person))}`;
      case 'unavailable':
        return `${person.name} is unavailable ${spanOf(unavailableOf(person.id))}`;
      case 'overlap':
        return `${person.name} already has a rotation ${spanOf(personSpans.get(person.id))}`;
      case 'mentor_away':
        return `${person.name} mentors a rotation ${spanOf(mentorSpans.get(person.id))}`;
      default: {
        const b = context.blackouts[firstBlackoutIn(homeState!, w, w + lengthWeeks - 1)];
        return `"${b.name}" (${b.start} to ${b.end}) covers ${person.name}'s home team ${teamName(homeState!.id)}`;
      }
    }
  }

  const weekKeys = new Float64Array(startWeeks);
  const personCounts = new Int32Array(CODES.length);
  const personFirstWeek = new Int32Array(CODES.length);
  const personFirstKind = new Uint8Array(CODES.length);
  const KIND_STATIC = 0;
  const KIND_MENTORING = 1;
  const KIND_COVERAGE = 2;
  const KIND_HOST = 3;

  const sortedHosts: Record<OneWayDirection, { version: number; hosts: HostState[] }> = {
    marketing_to_sales: { version: -1, hosts: [] },
    sales_to_marketing: { version: -1, hosts: [] },
  };
  /** Host teams of a direction, least filled (people placed relative to capacity) first. */
  const hostsByFill = (direction: OneWayDirection): HostState[] => {
    const cached = sortedHosts[direction];
    if (cached.version !== placementVersion) {
      cached.hosts = [...hostsFor[direction]].sort((a, b) => assigned[a.slot] * b.capacity - assigned[b.slot] * a.capacity || a.slot - b.slot);
      cached.version = placementVersion;
    }
    return cached.hosts;
  };
  const recordBlock = (code: RuleCode, kind: number, w: number) => {
    const i = CODE_INDEX.get(code)!;
    if (personCounts[i]++ === 0) {
      personFirstWeek[i] = w;
      personFirstKind[i] = kind;
    }
  };
  /** First week of the span starting at w in which the home team has no one left to spare, or -1. */
  const firstFullHomeWeek = (homeState: TeamState | null, w: number): number => {
    if (!homeState) return -1;
    const away = awayPlanned[homeState.slot];
    for (let x = w; x < w + lengthWeeks; x++) {
      if (homeState.awayExisting[x] + away[x] + 1 > homeState.allowedAway) return x;
    }
    return -1;
  };

  /** Places one person, or returns why nobody could place them. */
  function placePerson(state: PersonState): UnplacedPerson | null {
    const { person, direction, homeState } = state;
    const directionHosts = hostsByFill(direction);
    const ownPlannedMentoring = plannedMentoring.get(person.id);
    personCounts.fill(0);

    // When every week has already failed for this direction since the last
    // placement, nobody can be placed: skip the ranking, only gather reasons.
    const saturated = failedWeeks[direction] === startWeeks && failedSince[direction] === placementVersion;
    if (saturated) {
      for (let w = 0; w < startWeeks; w++) weekKeys[w] = w;
    } else {
      const starts = startsByDirection[direction];
      const pref = state.prefOutside;
      const target = targetOf(state);
      const byLoad = strategy === 'even';
      const onLattice = strategy === 'waves';
      // Weeks ranked by one packed number: days outside preferences (10 bits);
      // for 'even' starts in this direction (10) and overall (10), for 'waves'
      // whether the week is off the lattice of rotation lengths; then distance
      // to the target in quarter weeks (12) and the week itself (10): at most
      // 52 bits, exact in a double. 'packed' has target 0, so: earliest first.
      for (let w = 0; w < startWeeks; w++) {
        let key = Math.min(pref ? pref[w] : 0, 1023);
        if (byLoad) {
          key = key * 1024 + Math.min(starts[w], 1023);
          key = key * 1024 + Math.min(startsAll[w], 1023);
        } else if (onLattice) {
          key = key * 2 + (w % lengthWeeks === 0 ? 0 : 1);
        }
        key = key * 4096 + Math.min(4095, Math.round(Math.abs(w - target) * 4));
        weekKeys[w] = key * 1024 + w;
      }
      weekKeys.sort();
    }

    for (let i = 0; i < startWeeks; i++) {
      const w = weekKeys[i] % 1024;
      const s = firstDay + 7 * w;
      const e = s + spanDays - 1;
      if (state.staticBlock[w] > 0) {
        recordBlock(CODES[state.staticBlock[w] - 1], KIND_STATIC, w);
        continue;
      }
      if (ownPlannedMentoring !== undefined && overlapsAny(ownPlannedMentoring, s, e) >= 0) {
        recordBlock('mentor_away', KIND_MENTORING, w);
        continue;
      }
      if (firstFullHomeWeek(homeState, w) >= 0) {
        recordBlock('home_coverage', KIND_COVERAGE, w);
        continue;
      }
      const found = findHost(direction, directionHosts, person.id, w);
      if (found) {
        placements.push({ state, week: w, host: found.host, mentorId: found.mentorId });
        recordPlacement(state, w, found.host, found.mentorId);
        return null;
      }
      recordBlock(CODES[failedCode[direction][w] - 1], KIND_HOST, w);
    }

    let best = 0;
    for (let i = 1; i < CODES.length; i++) if (personCounts[i] > personCounts[best]) best = i;
    const code = CODES[best];
    const w = personFirstWeek[best];
    let detail: string;
    switch (personFirstKind[best]) {
      case KIND_STATIC:
        detail = describeStaticBlock(state, code, w);
        break;
      case KIND_MENTORING: {
        const s = firstDay + 7 * w;
        const hit = overlapsAny(ownPlannedMentoring, s, s + spanDays - 1);
        detail = `${person.name} mentors a planned rotation ${fromDayNumber(ownPlannedMentoring![hit])} to ${fromDayNumber(ownPlannedMentoring![hit + 1])}`;
        break;
      }
      case KIND_COVERAGE: {
        const fullWeek = firstFullHomeWeek(homeState, w);
        const count = homeState!.awayExisting[fullWeek] + awayPlanned[homeState!.slot][fullWeek];
        detail = `${teamName(homeState!.id)} may have at most ${homeState!.allowedAway} of its ${homeState!.team?.memberCount ?? 0} members away at once (${formatPercent(coverageShare)}) and already has ${count} away the week of ${weekDate(fullWeek)}`;
        break;
      }
      default:
        detail = failedDescribe[direction][w]();
    }
    const breakdown = CODES.map((c, i) => [c, personCounts[i]] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || CODE_INDEX.get(a[0])! - CODE_INDEX.get(b[0])!)
      .map(([c, n]) => `${RULE_TITLES[c].toLowerCase()} ${n}`)
      .join(', ');
    return {
      personId: person.id,
      rule: code,
      message: `${person.name} could not be placed in any of the ${startWeeks} possible start weeks: ${RULE_TITLES[code]} — ${detail}. Weeks blocked by: ${breakdown}.`,
    };
  }

  function recordPlacement(state: PersonState, w: number, host: HostState, mentorId: Id): void {
    const s = firstDay + 7 * w;
    const e = s + spanDays - 1;
    const hosted = hostedPlanned[host.slot];
    const away = state.homeState ? awayPlanned[state.homeState.slot] : null;
    for (let x = w; x < w + lengthWeeks; x++) {
      hosted[x]++;
      if (away) away[x]++;
    }
    assigned[host.slot]++;
    startsByDirection[state.direction][w]++;
    startsAll[w]++;
    plannedPersonSpan.set(state.person.id, [s, e]);
    pushSpan(plannedMentoring, mentorId, s, e);
    mentorLoad.set(mentorId, (mentorLoad.get(mentorId) ?? 0) + 1);
    placementVersion++;
  }

  const unplaced: UnplacedPerson[] = [];
  const placedCount: Record<OneWayDirection, number> = { marketing_to_sales: 0, sales_to_marketing: 0 };
  const cursor: Record<OneWayDirection, number> = { marketing_to_sales: 0, sales_to_marketing: 0 };
  const remaining = (direction: OneWayDirection) => queues[direction].length - cursor[direction];
  const tryNext = (direction: OneWayDirection) => {
    const failure = placePerson(queues[direction][cursor[direction]++]);
    if (failure) unplaced.push(failure);
    else placedCount[direction]++;
  };

  if (!bothWays) {
    const direction = input.program.direction as OneWayDirection;
    while (remaining(direction) > 0) tryNext(direction);
  } else if (!strictReciprocity) {
    let turn: OneWayDirection = 'marketing_to_sales';
    while (remaining('marketing_to_sales') > 0 || remaining('sales_to_marketing') > 0) {
      if (remaining(turn) > 0) tryNext(turn);
      turn = OTHER_DIRECTION[turn];
    }
  } else {
    // Always serve the direction that is behind; stop when it has nobody left.
    for (;;) {
      const behind: OneWayDirection = placedCount.marketing_to_sales <= placedCount.sales_to_marketing ? 'marketing_to_sales' : 'sales_to_marketing';
      if (remaining(behind) === 0) break;
      tryNext(behind);
    }
    const ahead: OneWayDirection = placedCount.marketing_to_sales > placedCount.sales_to_marketing ? 'marketing_to_sales' : 'sales_to_marketing';
    const other = OTHER_DIRECTION[ahead];
    const reciprocityMessage = (name: string) =>
      `${name} could not be placed: Reciprocity — ${programLabel} runs both ways and only ${placedCount[other]} ${describeDirection(other)} could be placed, so no more ${describeDirection(ahead)} than that.`;
    // Serving the direction behind keeps the gap at one at most: drop the last placement ahead.
    while (placedCount[ahead] > placedCount[other]) {
      let last = placements.length - 1;
      while (placements[last].state.direction !== ahead) last--;
      const [dropped] = placements.splice(last, 1);
      placedCount[ahead]--;
      unplaced.push({ personId: dropped.state.person.id, rule: 'reciprocity', message: '' });
    }
    for (const direction of ['marketing_to_sales', 'sales_to_marketing'] as const) {
      while (remaining(direction) > 0) {
        const state = queues[direction][cursor[direction]++];
        unplaced.push({ personId: state.person.id, rule: 'reciprocity', message: '' });
      }
    }
    for (const entry of unplaced) {
      if (entry.rule === 'reciprocity') entry.message = reciprocityMessage(prepared.directory.get(entry.personId)!.name);
    }
  }

  let preferencesMet = 0;
  for (const p of placements) if (p.state.prefOutside && p.state.prefOutside[p.week] === 0) preferencesMet++;
  return { strategy, placements, unplaced, preferencesMet };
}

export function planRotations(input: PlanInput): Plan {
  const prepared = preparePlanning(input);
  let best: StrategyResult | null = null;
  for (const strategy of STRATEGIES) {
    const result = runStrategy(prepared, strategy);
    if (
      !best ||
      result.placements.length > best.placements.length ||
      (result.placements.length === best.placements.length && result.preferencesMet > best.preferencesMet)
    ) {
      best = result;
    }
    if (!best.unplaced.some((u) => PLAN_DEPENDENT_REASONS.has(u.rule))) break;
    if (input.people.length > ALTERNATIVE_STRATEGY_LIMIT) break;
  }
  return buildPlan(prepared, best!);
}

function buildPlan(prepared: Prepared, result: StrategyResult): Plan {
  const { firstDay, spanDays, weeks, lengthWeeks, hosts, queues } = prepared;
  const { placements } = result;
  const rotations: PlannedRotation[] = placements
    .map((p) => ({
      personId: p.state.person.id,
      hostTeamId: p.host.teamId,
      mentorId: p.mentorId,
      start: fromDayNumber(firstDay + 7 * p.week),
      end: fromDayNumber(firstDay + 7 * p.week + spanDays - 1),
    }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : compareIds(a.personId, b.personId)));
  const unplaced = [...prepared.refused, ...result.unplaced].sort((a, b) => compareIds(a.personId, b.personId));

  const startsPerWeek = new Array<number>(weeks).fill(0);
  const activePerWeek = new Array<number>(weeks).fill(0);
  const perHost = new Map<Id, number>();
  const perMentor = new Map<Id, number>();
  const placedByDirection: Record<OneWayDirection, number> = { marketing_to_sales: 0, sales_to_marketing: 0 };
  for (const p of placements) {
    startsPerWeek[p.week]++;
    for (let x = p.week; x < p.week + lengthWeeks; x++) activePerWeek[x]++;
    perHost.set(p.host.teamId, (perHost.get(p.host.teamId) ?? 0) + 1);
    perMentor.set(p.mentorId, (perMentor.get(p.mentorId) ?? 0) + 1);
    placedByDirection[p.state.direction]++;
  }
  const unplacedByRule: Partial<Record<UnplacedRule, number>> = {};
  for (const u of unplaced) unplacedByRule[u.rule] = (unplacedByRule[u.rule] ?? 0) + 1;
  let withPreferences = 0;
  for (const queue of Object.values(queues)) for (const p of queue) if (p.prefOutside) withPreferences++;

  return {
    rotations,
    unplaced,
    stats: {
      strategy: result.strategy,
      requested: prepared.input.people.length,
      placed: rotations.length,
      unplaced: unplaced.length,
      placedByDirection,
      unplacedByRule,
      withPreferences,
      preferencesMet: result.preferencesMet,
      firstWeekStart: prepared.firstWeekStart,
      weeks,
      startsPerWeek,
      activePerWeek,
      guestsPerHostTeam: hosts.map((h) => ({ teamId: h.teamId, count: perHost.get(h.teamId) ?? 0 })),
      menteesPerMentor: [...perMentor.entries()].sort((a, b) => compareIds(a[0], b[0])).map(([mentorId, count]) => ({ mentorId, count })),
    },
  };
}

/** Marker for plan items inside a rule context, so an item is never compared with itself. */
function planItemId(index: number): string {
  return `\u0000plan-item:${index}`;
}

/** A rotation of a plan being checked, before it has an id. */
type PlanItem = Omit<ProposedRotation, 'id'> & { mentorId: Id | null };

/** Plan item `index` as a rotation of the rule context. */
function planItemRotation(input: PlanInput, r: PlanItem, index: number): ExistingRotation {
  return {
    id: planItemId(index),
    personId: r.personId,
    programId: input.program.id,
    hostTeamId: r.hostTeamId,
    mentorId: r.mentorId,
    start: r.start,
    end: r.end,
    status: 'planned',
  };
}

/** The rule context the planner works against: the company state plus the people to place. */
function ruleContextOfPlan(input: PlanInput, extraRotations: readonly ExistingRotation[] = []): RuleContext {
  const people = new Map<Id, RulePerson>();
  for (const person of input.context.people) people.set(person.id, person);
  for (const person of input.people) people.set(person.id, person);
  return {
    people: [...people.values()],
    teams: input.context.teams,
    rotations: [...input.context.rotations, ...extraRotations],
    blackouts: input.context.blackouts,
    coverageShare: input.context.coverageShare,
  };
}

/**
 * Re-checks a (possibly hand-edited) plan: each item against the company state
 * and every other item of the plan. Returns one entry per item, in order; an
 * item keeps every rule when its `violations` is empty.
 */
export function validatePlan(input: PlanInput, rotations: readonly PlanItem[]): PlanItemCheck[] {
  const items = rotations.map((r, i) => planItemRotation(input, r, i));
  const checker = createRuleChecker(ruleContextOfPlan(input, items));
  return items.map((item, index) => ({
    index,
    personId: item.personId,
    violations: checker.check(item, input.program),
  }));
}

/** One way to change a plan item so it keeps every rule. */
export interface FixSuggestion {
  start: LocalDate;
  end: LocalDate;
  hostTeamId: Id;
  mentorId: Id | null;
}

interface ItemFixes {
  /** Nearest start weeks with the item's host team (the same week first when only the mentor is wrong). */
  starts: FixSuggestion[];
  /** Other host teams at the item's start week. */
  hosts: FixSuggestion[];
}

/** Mentors tried per host team and week: the suggestion search stays bounded in big teams. */
const MENTORS_TRIED = 25;

/**
 * The nearest changes to item `index` that keep every rule against the company state and the
 * plan's other items: up to `limit` start weeks (by distance, earlier first on ties) with its host
 * team, and up to `limit` other host teams in its week, each with a mentor who is free. At most
 * horizon weeks × host teams × MENTORS_TRIED checks, whatever the input.
 */
export function suggestPlanItemFixes(input: PlanInput, rotations: readonly PlanItem[], index: number, limit = 3): ItemFixes {
  const item = rotations[index];
  if (!item) return { starts: [], hosts: [] };
  const others: ExistingRotation[] = [];
  rotations.forEach((r, i) => {
    if (i !== index) others.push(planItemRotation(input, r, i));
  });
  const context = ruleContextOfPlan(input, others);
  const checker = createRuleChecker(context);
  const pools = new Map<Id, readonly Id[]>();
  for (const pool of input.context.mentorPools ?? []) pools.set(pool.teamId, pool.mentorIds);
  const mentorsOf = (teamId: Id): Id[] => {
    const pool = pools.get(teamId) ?? context.people.filter((p) => p.homeTeamId === teamId).map((p) => p.id);
    const sorted = [...pool].filter((id) => id !== item.personId).sort(compareIds);
    // The item's own mentor first: a fix that keeps the mentor changes less.
    if (item.mentorId !== null && sorted.includes(item.mentorId)) {
      sorted.splice(sorted.indexOf(item.mentorId), 1);
      sorted.unshift(item.mentorId);
    }
    return sorted.slice(0, MENTORS_TRIED);
  };
  const spanDays = input.program.lengthWeeks * 7;
  const firstDay = toDayNumber(nextMondayOnOrAfter(input.horizon.start));
  const startWeeks = Math.max(0, input.horizon.weeks - input.program.lengthWeeks + 1);

  const fits = (startDay: number, hostTeamId: Id): FixSuggestion | null => {
    const start = fromDayNumber(startDay);
    const end = fromDayNumber(startDay + spanDays - 1);
    const base = { personId: item.personId, hostTeamId, start, end };
    // Rules about the mentor only ever add breaks: if the item breaks one without a mentor, no mentor helps.
    if (checker.check({ ...base, mentorId: null }, input.program).length > 0) return null;
    const mentors = mentorsOf(hostTeamId);
    if (mentors.length === 0) return { ...base, mentorId: null };
    for (const mentorId of mentors) if (checker.check({ ...base, mentorId }, input.program).length === 0) return { ...base, mentorId };
    return null;
  };

  const currentWeek = Math.round((toDayNumber(item.start) - firstDay) / 7);
  const starts: FixSuggestion[] = [];
  for (let distance = 0; distance < startWeeks + Math.abs(currentWeek) && starts.length < limit; distance++) {
    for (const w of distance === 0 ? [currentWeek] : [currentWeek - distance, currentWeek + distance]) {
      if (w < 0 || w >= startWeeks || starts.length >= limit) continue;
      const found = fits(firstDay + 7 * w, item.hostTeamId);
      // The same week and host with another mentor only counts when it changes something.
      if (found && !(found.start === item.start && found.mentorId === item.mentorId)) starts.push(found);
    }
  }
  const hosts: FixSuggestion[] = [];
  const itemWeek = currentWeek >= 0 && currentWeek < startWeeks ? currentWeek : -1;
  if (itemWeek >= 0) {
    for (const host of [...input.program.hostTeams].sort((a, b) => compareIds(a.teamId, b.teamId))) {
      if (hosts.length >= limit) break;
      if (host.teamId === item.hostTeamId) continue;
      const found = fits(firstDay + 7 * itemWeek, host.teamId);
      if (found) hosts.push(found);
    }
  }
  return { starts, hosts };
}
