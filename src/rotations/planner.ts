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
//   a mentor is free wins. Host teams are tried least-filled first (guests
//   placed relative to capacity), mentors least-loaded first.
// - With direction 'both', marketers and reps are taken alternately, each
//   direction's targets offset by half a step so the two interleave over time.
//   With strictReciprocity (the default) a plan never sends more people one
//   way than the other: the surplus is listed as unplaced with rule
//   'reciprocity'.
// - All rules are tracked with per-week counters (guests per host team, people
//   away per home team), so one placement costs O(weeks × host teams) at worst.

import {
  type DateSpan,
  type IsoDate,
  fromDayNumber,
  nextMondayOnOrAfter,
  toDayNumber,
} from './dates';
import {
  type ExistingRotation,
  type Id,
  type ProposedRotation,
  type RuleCode,
  type RuleContext,
  type RulePerson,
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
  guestDirection,
} from './rules';

export type OneWayDirection = 'marketing_to_sales' | 'sales_to_marketing';

export interface PlanPerson extends RulePerson {
  /** Periods the person would like to rotate in; honoured where any rule-keeping week exists. */
  preferred?: readonly DateSpan[];
}

export interface MentorPool {
  teamId: Id;
  mentorIds: readonly Id[];
}

export interface PlanContext extends RuleContext {
  /** Who may mentor in each host team; a team without a pool offers everyone in it (from `people`). */
  mentorPools?: readonly MentorPool[];
}

export interface PlanHorizon {
  start: IsoDate;
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
  start: IsoDate;
  end: IsoDate;
}

export type UnplacedRule = RuleCode | 'reciprocity' | 'horizon';

export interface UnplacedPerson {
  personId: Id;
  rule: UnplacedRule;
  message: string;
}

export interface PlanStats {
  requested: number;
  placed: number;
  unplaced: number;
  placedByDirection: Record<OneWayDirection, number>;
  unplacedByRule: Partial<Record<UnplacedRule, number>>;
  withPreferences: number;
  preferencesMet: number;
  /** Monday of the horizon's first week. */
  firstWeekStart: IsoDate;
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
export function compareIds(a: Id, b: Id): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface TeamState {
  id: Id;
  team: RuleTeam | undefined;
  allowedAway: number;
  /** Most members away on any one day of week w, from existing rotations. */
  awayExisting: Int32Array;
  /** Members away in week w through this plan (plan rotations cover whole weeks). */
  awayPlanned: Int32Array;
  /** 1 + index of the first blackout touching week w, or 0. */
  blackoutAt: Int32Array;
  /** blackoutPrefix[w] = weeks before w with a blackout; range queries in O(1). */
  blackoutPrefix: Int32Array;
}

interface HostState {
  teamId: Id;
  team: RuleTeam;
  capacity: number;
  serves: OneWayDirection;
  teamState: TeamState;
  /** Most guests of this program on any one day of week w, from existing rotations. */
  hostedExisting: Int32Array;
  hostedPlanned: Int32Array;
  assigned: number;
  mentorIds: Id[];
  mentorPoolHasMember: boolean;
}

interface PersonState {
  person: PlanPerson;
  direction: OneWayDirection;
  homeState: TeamState | null;
  /** Code of the first static rule week w breaks (index into RULE_CODES + 1), or 0. */
  staticBlock: Uint8Array;
  freeWeeks: number;
  prefOutside: Int32Array | null;
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

/** Most rotations running on any one day of each week, for rotations clipped to the horizon. */
function weeklyPeaks(spans: SpanList, firstDay: number, weeks: number): Int32Array {
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

export function planRotations(input: PlanInput): Plan {
  const { program, horizon, context } = input;
  if (!Number.isInteger(program.lengthWeeks) || program.lengthWeeks < 1) {
    throw new RangeError(`program length must be a whole number of weeks ≥ 1, got ${program.lengthWeeks}`);
  }
  if (!Number.isInteger(horizon.weeks) || horizon.weeks < 0) {
    throw new RangeError(`horizon must be a whole number of weeks ≥ 0, got ${horizon.weeks}`);
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
  const personName = (id: Id) => directory.get(id)?.name ?? `person ${id}`;
  const weekDate = (w: number) => fromDayNumber(firstDay + 7 * w);

  // Existing rotations, as day spans per person and per team.
  const liveRotations = context.rotations.filter((r) => r.status !== 'cancelled');
  const guestSpans = new Map<Id, SpanList>();
  const mentorSpans = new Map<Id, SpanList>();
  const awaySpansByHome = new Map<Id, SpanList>();
  const hostedSpansByTeam = new Map<Id, SpanList>();
  for (const r of liveRotations) {
    const s = toDayNumber(r.start);
    const e = toDayNumber(r.end);
    pushSpan(guestSpans, r.personId, s, e);
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
  const teamStates = new Map<Id, TeamState>();
  const teamStateOf = (id: Id): TeamState => {
    let state = teamStates.get(id);
    if (state) return state;
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
    state = {
      id,
      team,
      allowedAway: allowedAway(team?.memberCount ?? 0, coverageShare),
      awayExisting: awaySpans ? weeklyPeaks(awaySpans, firstDay, weeks) : new Int32Array(weeks),
      awayPlanned: new Int32Array(weeks),
      blackoutAt,
      blackoutPrefix,
    };
    teamStates.set(id, state);
    return state;
  };
  const firstBlackoutIn = (state: TeamState, fromWeek: number, toWeek: number): number => {
    if (state.blackoutPrefix[toWeek + 1] - state.blackoutPrefix[fromWeek] === 0) return -1;
    for (let w = fromWeek; w <= toWeek; w++) if (state.blackoutAt[w] > 0) return state.blackoutAt[w] - 1;
    return -1;
  };

  // Host teams, with their mentor pools. Teams unknown to the context or outside
  // sales/marketing are never used: their department cannot be checked.
  const pools = new Map<Id, readonly Id[]>();
  for (const pool of context.mentorPools ?? []) if (!pools.has(pool.teamId)) pools.set(pool.teamId, pool.mentorIds);
  const membersByTeam = new Map<Id, Id[]>();
  for (const person of directory.values()) {
    if (person.homeTeamId === null) continue;
    const list = membersByTeam.get(person.homeTeamId);
    if (list) list.push(person.id);
    else membersByTeam.set(person.homeTeamId, [person.id]);
  }
  const hosts: HostState[] = [];
  const hostSeen = new Set<Id>();
  for (const entry of program.hostTeams) {
    if (hostSeen.has(entry.teamId)) continue;
    hostSeen.add(entry.teamId);
    const team = teams.get(entry.teamId);
    if (!team || (team.department !== 'sales' && team.department !== 'marketing')) continue;
    const serves: OneWayDirection = team.department === 'sales' ? 'marketing_to_sales' : 'sales_to_marketing';
    if (program.direction !== 'both' && program.direction !== serves) continue;
    const candidates = [...(pools.get(team.id) ?? membersByTeam.get(team.id) ?? [])];
    const mentorIds = [...new Set(candidates)]
      .filter((id) => directory.get(id)?.homeTeamId === team.id)
      .sort(compareIds);
    const hostedSpans = hostedSpansByTeam.get(team.id);
    hosts.push({
      teamId: team.id,
      team,
      capacity: entry.capacity,
      serves,
      teamState: teamStateOf(team.id),
      hostedExisting: hostedSpans ? weeklyPeaks(hostedSpans, firstDay, weeks) : new Int32Array(weeks),
      hostedPlanned: new Int32Array(weeks),
      assigned: 0,
      mentorIds,
      mentorPoolHasMember: mentorIds.length > 0,
    });
  }
  hosts.sort((a, b) => compareIds(a.teamId, b.teamId));
  const hostsFor: Record<OneWayDirection, HostState[]> = {
    marketing_to_sales: hosts.filter((h) => h.serves === 'marketing_to_sales'),
    sales_to_marketing: hosts.filter((h) => h.serves === 'sales_to_marketing'),
  };

  const earliestStartOf = (person: RulePerson): number =>
    person.hireDate ? toDayNumber(person.hireDate) + NEW_HIRE_PERIOD_DAYS : -Infinity;

  /** Why week w is closed to a person by a rule that does not depend on the plan (for messages only). */
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
        return `${person.name} already has a rotation ${spanOf(guestSpans.get(person.id))}`;
      case 'mentor_away':
        return `${person.name} mentors a rotation ${spanOf(mentorSpans.get(person.id))}`;
      default: {
        const b = context.blackouts[firstBlackoutIn(homeState!, w, w + lengthWeeks - 1)];
        return `"${b.name}" (${b.start} to ${b.end}) covers ${person.name}'s home team ${teamName(homeState!.id)}`;
      }
    }
  }

  const unplaced: UnplacedPerson[] = [];
  const ordered = [...input.people].sort((a, b) => compareIds(a.id, b.id));

  // Per person: direction, and which weeks the rules that do not depend on the
  // plan itself already exclude.
  const queues: Record<OneWayDirection, PersonState[]> = { marketing_to_sales: [], sales_to_marketing: [] };
  for (const person of ordered) {
    const direction = guestDirection(program.direction, person.department);
    if (direction === null) {
      const wanted =
        program.direction === 'marketing_to_sales'
          ? 'marketers'
          : program.direction === 'sales_to_marketing'
            ? 'sales reps'
            : 'sales reps and marketers';
      unplaced.push({
        personId: person.id,
        rule: 'direction',
        message: `${person.name} could not be placed: ${RULE_TITLES.direction} — ${programLabel} takes ${wanted}, and ${person.name} is in ${person.department}.`,
      });
      continue;
    }
    if (startWeeks === 0) {
      unplaced.push({
        personId: person.id,
        rule: 'horizon',
        message: `${person.name} could not be placed: the horizon of ${weeks} week${weeks === 1 ? '' : 's'} is shorter than the ${lengthWeeks}-week rotations of ${programLabel}.`,
      });
      continue;
    }
    const homeState = person.homeTeamId !== null ? teamStateOf(person.homeTeamId) : null;
    const earliestStartDay = earliestStartOf(person);
    const unavailable = unavailableOf(person.id);
    const ownRotations = guestSpans.get(person.id);
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
      else staticBlock[w] = RULE_CODES.indexOf(code) + 1;
    }
    const prefOutside = person.preferred && person.preferred.length > 0 ? new Int32Array(startWeeks) : null;
    if (prefOutside) {
      const merged = mergeSpans(person.preferred!);
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
    queues[direction].push({
      person,
      direction,
      homeState,
      staticBlock,
      freeWeeks,
      prefOutside,
      target: 0,
    });
  }

  // Processing order and evenly spaced target weeks, per direction.
  const bothWays = program.direction === 'both';
  const strict = bothWays && input.strictReciprocity !== false;
  const expectedPerDirection = strict
    ? Math.min(queues.marketing_to_sales.length, queues.sales_to_marketing.length)
    : Infinity;
  for (const direction of ['marketing_to_sales', 'sales_to_marketing'] as const) {
    const queue = queues[direction];
    queue.sort(
      (a, b) =>
        Number(b.prefOutside !== null) - Number(a.prefOutside !== null) ||
        a.freeWeeks - b.freeWeeks ||
        compareIds(a.person.id, b.person.id),
    );
    const offset = bothWays ? (direction === 'marketing_to_sales' ? 0.25 : 0.75) : 0.5;
    for (const withPreferences of [true, false]) {
      const group = queue.filter((p) => (p.prefOutside !== null) === withPreferences);
      const expected = Math.max(1, Math.min(group.length, expectedPerDirection));
      group.forEach((p, k) => {
        p.target = (((k + offset) * startWeeks) / expected) % startWeeks;
      });
    }
  }

  const startsByDirection: Record<OneWayDirection, Int32Array> = {
    marketing_to_sales: new Int32Array(startWeeks),
    sales_to_marketing: new Int32Array(startWeeks),
  };
  const startsAll = new Int32Array(startWeeks);
  const plannedGuestSpan = new Map<Id, [number, number]>();
  const plannedMentoring = new Map<Id, SpanList>();
  const mentorLoad = new Map<Id, number>();
  for (const [id, spans] of mentorSpans) mentorLoad.set(id, spans.length / 2);
  const placements: Placement[] = [];

  function pickMentor(host: HostState, guestId: Id, s: number, e: number): Id | null {
    let best: Id | null = null;
    let bestConcurrent = Infinity;
    let bestTotal = Infinity;
    for (const id of host.mentorIds) {
      if (id === guestId) continue;
      if (overlapsAny(guestSpans.get(id), s, e) >= 0) continue;
      const planned = plannedGuestSpan.get(id);
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

  // Host-level outcome of a start week is the same for every guest of one
  // direction until the next placement, so a failed week is remembered.
  let placementVersion = 1;
  interface WeekFailure {
    version: Int32Array;
    code: Uint8Array;
    describe: (() => string)[];
  }
  const weekFailures: Record<OneWayDirection, WeekFailure> = {
    marketing_to_sales: { version: new Int32Array(startWeeks), code: new Uint8Array(startWeeks), describe: [] },
    sales_to_marketing: { version: new Int32Array(startWeeks), code: new Uint8Array(startWeeks), describe: [] },
  };

  /** A host team and mentor for week w, or the reason (most frequent over host teams) why there is none. */
  function findHost(
    direction: OneWayDirection,
    directionHosts: readonly HostState[],
    guestId: Id,
    w: number,
  ): { host: HostState; mentorId: Id } | { code: RuleCode; describe: () => string } {
    const cache = weekFailures[direction];
    if (cache.version[w] === placementVersion) return { code: RULE_CODES[cache.code[w] - 1], describe: cache.describe[w] };
    const s = firstDay + 7 * w;
    const e = s + spanDays - 1;
    const lastWeek = w + lengthWeeks - 1;
    const counts = new Int32Array(RULE_CODES.length);
    const first: (() => string)[] = [];
    const fail = (code: RuleCode, describe: () => string) => {
      const i = RULE_CODES.indexOf(code);
      if (counts[i]++ === 0) first[i] = describe;
    };
    for (const host of directionHosts) {
      const blackout = firstBlackoutIn(host.teamState, w, lastWeek);
      if (blackout >= 0) {
        fail('blackout', () => {
          const b = context.blackouts[blackout];
          return `"${b.name}" (${b.start} to ${b.end}) covers host team ${host.team.name}`;
        });
        continue;
      }
      let fullWeek = -1;
      for (let x = w; x <= lastWeek; x++) {
        if (host.hostedExisting[x] + host.hostedPlanned[x] + 1 > host.capacity) {
          fullWeek = x;
          break;
        }
      }
      if (fullWeek >= 0) {
        fail(
          'host_capacity',
          () =>
            `host team ${host.team.name} takes ${host.capacity} guest${host.capacity === 1 ? '' : 's'} of ${programLabel} at once and is full the week of ${weekDate(fullWeek)}`,
        );
        continue;
      }
      if (!host.mentorPoolHasMember) {
        fail('mentor_not_in_host_team', () => `host team ${host.team.name} has nobody who can mentor`);
        continue;
      }
      const mentorId = pickMentor(host, guestId, s, e);
      if (mentorId === null) {
        fail('mentor_away', () => `no mentor in host team ${host.team.name} is free the week of ${weekDate(w)}`);
        continue;
      }
      return { host, mentorId };
    }
    let code: RuleCode = 'direction';
    let describe = () => `${programLabel} has no ${departmentsOfDirection(direction).host} host team`;
    let best = 0;
    RULE_CODES.forEach((c, i) => {
      if (counts[i] > best) {
        best = counts[i];
        code = c;
        describe = first[i];
      }
    });
    cache.version[w] = placementVersion;
    cache.code[w] = RULE_CODES.indexOf(code) + 1;
    cache.describe[w] = describe;
    return { code, describe };
  }

  /** Tries to place one person; returns null on success, or the unplaced entry. */
  function placePerson(state: PersonState): UnplacedPerson | null {
    const { person, direction, homeState } = state;
    const directionHosts = [...hostsFor[direction]].sort(
      (a, b) => a.assigned * b.capacity - b.assigned * a.capacity || compareIds(a.teamId, b.teamId),
    );
    const starts = startsByDirection[direction];
    const order = Array.from({ length: startWeeks }, (_, w) => w);
    const pref = state.prefOutside;
    order.sort(
      (a, b) =>
        (pref ? pref[a] - pref[b] : 0) ||
        starts[a] - starts[b] ||
        startsAll[a] - startsAll[b] ||
        Math.abs(a - state.target) - Math.abs(b - state.target) ||
        a - b,
    );
    const counts = new Int32Array(RULE_CODES.length);
    const first: (() => string)[] = [];
    const block = (code: RuleCode, describe: () => string) => {
      const i = RULE_CODES.indexOf(code);
      if (counts[i]++ === 0) first[i] = describe;
    };
    const ownPlannedMentoring = plannedMentoring.get(person.id);

    for (const w of order) {
      const s = firstDay + 7 * w;
      const e = s + spanDays - 1;
      const lastWeek = w + lengthWeeks - 1;
      if (state.staticBlock[w] > 0) {
        const code = RULE_CODES[state.staticBlock[w] - 1];
        block(code, () => describeStaticBlock(state, code, w));
        continue;
      }
      const mentoring = overlapsAny(ownPlannedMentoring, s, e);
      if (mentoring >= 0) {
        block(
          'mentor_away',
          () =>
            `${person.name} mentors a planned rotation ${fromDayNumber(ownPlannedMentoring![mentoring])} to ${fromDayNumber(ownPlannedMentoring![mentoring + 1])}`,
        );
        continue;
      }
      if (homeState) {
        let fullWeek = -1;
        for (let x = w; x <= lastWeek; x++) {
          if (homeState.awayExisting[x] + homeState.awayPlanned[x] + 1 > homeState.allowedAway) {
            fullWeek = x;
            break;
          }
        }
        if (fullWeek >= 0) {
          const away = homeState.awayExisting[fullWeek] + homeState.awayPlanned[fullWeek];
          block(
            'home_coverage',
            () =>
              `${teamName(homeState.id)} may have at most ${homeState.allowedAway} of its ${homeState.team?.memberCount ?? 0} members away at once (${formatPercent(coverageShare)}) and already has ${away} away the week of ${weekDate(fullWeek)}`,
          );
          continue;
        }
      }
      const found = findHost(direction, directionHosts, person.id, w);
      if ('host' in found) {
        placements.push({ state, week: w, host: found.host, mentorId: found.mentorId });
        recordPlacement(state, w, found.host, found.mentorId);
        return null;
      }
      block(found.code, found.describe);
    }

    let code: RuleCode = RULE_CODES[0];
    let best = 0;
    RULE_CODES.forEach((c, i) => {
      if (counts[i] > best) {
        best = counts[i];
        code = c;
      }
    });
    const breakdown = RULE_CODES.map((c, i) => [c, counts[i]] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || RULE_CODES.indexOf(a[0]) - RULE_CODES.indexOf(b[0]))
      .map(([c, n]) => `${RULE_TITLES[c].toLowerCase()} ${n}`)
      .join(', ');
    return {
      personId: person.id,
      rule: code,
      message: `${person.name} could not be placed in any of the ${startWeeks} possible start weeks: ${RULE_TITLES[code]} — ${first[RULE_CODES.indexOf(code)]()}. Weeks blocked by: ${breakdown}.`,
    };
  }

  function recordPlacement(state: PersonState, w: number, host: HostState, mentorId: Id): void {
    const s = firstDay + 7 * w;
    const e = s + spanDays - 1;
    for (let x = w; x < w + lengthWeeks; x++) {
      host.hostedPlanned[x]++;
      if (state.homeState) state.homeState.awayPlanned[x]++;
    }
    host.assigned++;
    startsByDirection[state.direction][w]++;
    startsAll[w]++;
    plannedGuestSpan.set(state.person.id, [s, e]);
    pushSpan(plannedMentoring, mentorId, s, e);
    mentorLoad.set(mentorId, (mentorLoad.get(mentorId) ?? 0) + 1);
    placementVersion++;
  }

  const placedCount: Record<OneWayDirection, number> = { marketing_to_sales: 0, sales_to_marketing: 0 };
  const cursor: Record<OneWayDirection, number> = { marketing_to_sales: 0, sales_to_marketing: 0 };
  const tryNext = (direction: OneWayDirection) => {
    const state = queues[direction][cursor[direction]++];
    const failure = placePerson(state);
    if (failure) unplaced.push(failure);
    else placedCount[direction]++;
  };
  const remaining = (direction: OneWayDirection) => queues[direction].length - cursor[direction];

  if (!bothWays) {
    const direction = program.direction as OneWayDirection;
    while (remaining(direction) > 0) tryNext(direction);
  } else if (!strict) {
    let turn: OneWayDirection = 'marketing_to_sales';
    while (remaining('marketing_to_sales') > 0 || remaining('sales_to_marketing') > 0) {
      if (remaining(turn) > 0) tryNext(turn);
      turn = turn === 'marketing_to_sales' ? 'sales_to_marketing' : 'marketing_to_sales';
    }
  } else {
    // Always serve the direction that is behind; stop when it has nobody left.
    for (;;) {
      const behind: OneWayDirection =
        placedCount.marketing_to_sales <= placedCount.sales_to_marketing ? 'marketing_to_sales' : 'sales_to_marketing';
      if (remaining(behind) === 0) break;
      tryNext(behind);
    }
    const ahead: OneWayDirection =
      placedCount.marketing_to_sales > placedCount.sales_to_marketing ? 'marketing_to_sales' : 'sales_to_marketing';
    const other: OneWayDirection = ahead === 'marketing_to_sales' ? 'sales_to_marketing' : 'marketing_to_sales';
    const reciprocityMessage = (name: string) =>
      `${name} could not be placed: Reciprocity — ${programLabel} runs both ways and only ${placedCount[other]} ${describeDirection(other)} could be placed, so no more ${describeDirection(ahead)} than that.`;
    // The gap is at most one: drop the last placement of the direction ahead.
    while (placedCount[ahead] > placedCount[other]) {
      let last = placements.length - 1;
      while (placements[last].state.direction !== ahead) last--;
      const [dropped] = placements.splice(last, 1);
      placedCount[ahead]--;
      unplaced.push({
        personId: dropped.state.person.id,
        rule: 'reciprocity',
        message: reciprocityMessage(dropped.state.person.name),
      });
    }
    for (const direction of ['marketing_to_sales', 'sales_to_marketing'] as const) {
      while (remaining(direction) > 0) {
        const state = queues[direction][cursor[direction]++];
        unplaced.push({ personId: state.person.id, rule: 'reciprocity', message: reciprocityMessage(state.person.name) });
      }
    }
  }

  const rotations: PlannedRotation[] = placements
    .map((p) => ({
      personId: p.state.person.id,
      hostTeamId: p.host.teamId,
      mentorId: p.mentorId,
      start: fromDayNumber(firstDay + 7 * p.week),
      end: fromDayNumber(firstDay + 7 * p.week + spanDays - 1),
    }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : compareIds(a.personId, b.personId)));
  unplaced.sort((a, b) => compareIds(a.personId, b.personId));

  const startsPerWeek = new Array<number>(weeks).fill(0);
  const activePerWeek = new Array<number>(weeks).fill(0);
  const perHost = new Map<Id, number>();
  const perMentor = new Map<Id, number>();
  let withPreferences = 0;
  let preferencesMet = 0;
  for (const queue of Object.values(queues)) for (const p of queue) if (p.prefOutside) withPreferences++;
  for (const p of placements) {
    startsPerWeek[p.week]++;
    for (let x = p.week; x < p.week + lengthWeeks; x++) activePerWeek[x]++;
    perHost.set(p.host.teamId, (perHost.get(p.host.teamId) ?? 0) + 1);
    perMentor.set(p.mentorId, (perMentor.get(p.mentorId) ?? 0) + 1);
    if (p.state.prefOutside && p.state.prefOutside[p.week] === 0) preferencesMet++;
  }
  const unplacedByRule: Partial<Record<UnplacedRule, number>> = {};
  for (const u of unplaced) unplacedByRule[u.rule] = (unplacedByRule[u.rule] ?? 0) + 1;

  return {
    rotations,
    unplaced,
    stats: {
      requested: input.people.length,
      placed: rotations.length,
      unplaced: unplaced.length,
      placedByDirection: {
        marketing_to_sales: placements.filter((p) => p.state.direction === 'marketing_to_sales').length,
        sales_to_marketing: placements.filter((p) => p.state.direction === 'sales_to_marketing').length,
      },
      unplacedByRule,
      withPreferences,
      preferencesMet,
      firstWeekStart,
      weeks,
      startsPerWeek,
      activePerWeek,
      guestsPerHostTeam: hosts.map((h) => ({ teamId: h.teamId, count: perHost.get(h.teamId) ?? 0 })),
      menteesPerMentor: [...perMentor.entries()]
        .sort((a, b) => compareIds(a[0], b[0]))
        .map(([mentorId, count]) => ({ mentorId, count })),
    },
  };
}

/** Marker for plan items inside a rule context, so an item is never compared with itself. */
function planItemId(index: number): string {
  return `\u0000plan-item:${index}`;
}

/** The rule context the planner works against: the company state plus the people to place. */
export function ruleContextOfPlan(input: PlanInput, extraRotations: readonly ExistingRotation[] = []): RuleContext {
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
export function validatePlan(
  input: PlanInput,
  rotations: readonly (Omit<ProposedRotation, 'id'> & { mentorId: Id | null })[],
): PlanItemCheck[] {
  const items: ExistingRotation[] = rotations.map((r, i) => ({
    id: planItemId(i),
    personId: r.personId,
    programId: input.program.id,
    hostTeamId: r.hostTeamId,
    mentorId: r.mentorId,
    start: r.start,
    end: r.end,
    status: 'planned',
  }));
  const checker = createRuleChecker(ruleContextOfPlan(input, items));
  return items.map((item, index) => ({
    index,
    personId: item.personId,
    violations: checker.check(item, input.program),
  }));
}

