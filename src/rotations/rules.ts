// The rules a rotation must keep, checked one proposed rotation at a time
// against the company state. Pure: no database, no clock, no I/O.
//
// Every broken rule is reported (not just the first), each with a message that
// names the rule and the people involved, so HR can decide whether to override.
//
// Home-team coverage, the rounding rule: a team with n active members may have
//   allowedAway(n, share) = max(floor(n × share), n >= 4 ? 1 : 0)
// people away on rotation on any single day. With the default 25% a team of 4–7
// may send 1 at a time, 8–11 may send 2, and teams of 3 or fewer send nobody
// (one person away would already be a third of the team). The "at least one
// from 4 people" floor keeps small shares (say 10%) from freezing mid-size
// teams completely.
//
// Blackouts: a blackout names a team or a whole department. A rotation is
// refused when a blackout overlaps it and applies to the person's home team
// (they cannot leave during, say, a marketing launch) or to the host team
// (sales takes no guests over quarter-end).
//
// New-hire period: the first 90 days are the hire date and the 89 days after
// it, so a rotation may start on hireDate + 90 at the earliest.

import { readableLocalDate, type DateSpan, type LocalDate, addDaysToLocalDate, earlierDate, fromDayNumber, laterDate, toDayNumber } from '../lib/time';

export type Id = string | number;
export type Department = 'sales' | 'marketing' | 'other';
export type RotationDirection = 'marketing_to_sales' | 'sales_to_marketing' | 'both';
export type RotationStatus = 'planned' | 'active' | 'completed' | 'cancelled';

/** Every rule a rotation must keep, in the order checks report them, with its title. */
export const RULE_TITLES = {
  direction: 'Program direction',
  new_hire_period: 'New-hire period',
  unavailable: 'Unavailable',
  overlap: 'Overlapping rotations',
  blackout: 'Blackout',
  home_coverage: 'Home-team coverage',
  host_capacity: 'Host team capacity',
  mentor_not_in_host_team: 'Mentor not in host team',
  mentor_away: 'Mentor away',
} as const;
export type RuleCode = keyof typeof RULE_TITLES;
export const RULE_CODES = Object.keys(RULE_TITLES) as [RuleCode, ...RuleCode[]];

export const DEFAULT_COVERAGE_SHARE = 0.25;
export const NEW_HIRE_PERIOD_DAYS = 90;

export interface RulePerson {
  id: Id;
  name: string;
  department: Department;
  homeTeamId: Id | null;
  /** null when unknown: the new-hire rule is then not applied. */
  hireDate: LocalDate | null;
  /** Declared periods when the person cannot rotate (leave, training, …). */
  unavailable?: readonly (DateSpan & { reason?: string })[];
}

export interface RuleTeam {
  id: Id;
  name: string;
  department: Department;
  /** Active members of the team: the base for home-team coverage. */
  memberCount: number;
}

export interface ProgramHostTeam {
  teamId: Id;
  /** People of this program the team takes at once. */
  capacity: number;
}

export interface RuleProgram {
  id: Id;
  name?: string;
  direction: RotationDirection;
  lengthWeeks: number;
  hostTeams: readonly ProgramHostTeam[];
}

/** A rotation already in the company state (or another item of the same plan). */
export interface ExistingRotation {
  id: Id;
  personId: Id;
  programId: Id;
  hostTeamId: Id;
  mentorId: Id | null;
  start: LocalDate;
  end: LocalDate;
  /** Cancelled rotations are ignored by every rule. */
  status?: RotationStatus;
}

export interface Blackout {
  id?: Id;
  name: string;
  /** Set for a team blackout … */
  teamId?: Id | null;
  /** … or for a whole department. */
  department?: Department | null;
  start: LocalDate;
  end: LocalDate;
}

export interface RuleContext {
  /** Everyone the rules may need to name or look up: people placed, mentors, people on existing rotations. */
  people: readonly RulePerson[];
  teams: readonly RuleTeam[];
  rotations: readonly ExistingRotation[];
  blackouts: readonly Blackout[];
  /** Largest share of a home team away at once; default 0.25. */
  coverageShare?: number;
}

export interface ProposedRotation {
  /** Set when re-checking a rotation that is already in the context, so it is not compared with itself. */
  id?: Id;
  personId: Id;
  hostTeamId: Id;
  mentorId: Id | null;
  start: LocalDate;
  end: LocalDate;
}

export interface RuleViolation {
  code: RuleCode;
  message: string;
  people?: Id[];
}

interface RuleChecker {
  check(proposal: ProposedRotation, program: RuleProgram): RuleViolation[];
}

/** How many members of a team of `memberCount` may be away on rotation on the same day. */
export function allowedAway(memberCount: number, coverageShare: number = DEFAULT_COVERAGE_SHARE): number {
  if (memberCount <= 0) return 0;
  // The epsilon keeps 0.3 × 10 from flooring to 2 through floating-point error.
  const byShare = Math.floor(memberCount * coverageShare + 1e-9);
  return Math.max(byShare, memberCount >= 4 ? 1 : 0);
}

/** The department a program's people come from and the one they go to, for one direction. */
export function departmentsOfDirection(direction: Exclude<RotationDirection, 'both'>): { home: Department; host: Department } {
  return direction === 'marketing_to_sales' ? { home: 'marketing', host: 'sales' } : { home: 'sales', host: 'marketing' };
}

/** The one-way direction a person of `department` travels in under `programDirection`, or null if none. */
export function directionOfPerson(programDirection: RotationDirection, department: Department): Exclude<RotationDirection, 'both'> | null {
  if (department === 'marketing' && programDirection !== 'sales_to_marketing') return 'marketing_to_sales';
  if (department === 'sales' && programDirection !== 'marketing_to_sales') return 'sales_to_marketing';
  return null;
}

export function blackoutAppliesToTeam(blackout: Blackout, team: { id: Id; department: Department }): boolean {
  if (blackout.teamId !== undefined && blackout.teamId !== null) return blackout.teamId === team.id;
  return blackout.department !== undefined && blackout.department !== null && blackout.department === team.department;
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

interface IndexedRotation extends ExistingRotation {
  startDay: number;
  endDay: number;
}

interface RuleIndex {
  people: Map<Id, RulePerson>;
  teams: Map<Id, RuleTeam>;
  byPerson: Map<Id, IndexedRotation[]>;
  byMentor: Map<Id, IndexedRotation[]>;
  byProgramHost: Map<Id, Map<Id, IndexedRotation[]>>;
  byHomeTeam: Map<Id, IndexedRotation[]>;
  blackouts: readonly Blackout[];
  coverageShare: number;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildRuleIndex(context: RuleContext): RuleIndex {
  const people = new Map<Id, RulePerson>();
  for (const person of context.people) people.set(person.id, person);
  const teams = new Map<Id, RuleTeam>();
  for (const team of context.teams) teams.set(team.id, team);
  const index: RuleIndex = {
    people,
    teams,
    byPerson: new Map(),
    byMentor: new Map(),
    byProgramHost: new Map(),
    byHomeTeam: new Map(),
    blackouts: context.blackouts,
    coverageShare: context.coverageShare ?? DEFAULT_COVERAGE_SHARE,
  };
  for (const rotation of context.rotations) {
    if (rotation.status === 'cancelled') continue;
    const indexed: IndexedRotation = {
      ...rotation,
      startDay: toDayNumber(rotation.start),
      endDay: toDayNumber(rotation.end),
    };
    pushTo(index.byPerson, rotation.personId, indexed);
    if (rotation.mentorId !== null) pushTo(index.byMentor, rotation.mentorId, indexed);
    let byHost = index.byProgramHost.get(rotation.programId);
    if (!byHost) index.byProgramHost.set(rotation.programId, (byHost = new Map()));
    pushTo(byHost, rotation.hostTeamId, indexed);
    const homeTeamId = people.get(rotation.personId)?.homeTeamId;
    if (homeTeamId !== undefined && homeTeamId !== null) pushTo(index.byHomeTeam, homeTeamId, indexed);
  }
  return index;
}

interface Peak {
  count: number;
  day: number;
  active: IndexedRotation[];
}

/**
 * The day inside [fromDay, toDay] on which the most of `rotations` run at once (earliest such day).
 * Exact only above `limit`: at or below it the count is an upper bound and `active` is empty.
 */
function findPeak(rotations: readonly IndexedRotation[], fromDay: number, toDay: number, skip: (rotation: IndexedRotation) => boolean, limit: number): Peak {
  // Fast path: when even all overlapping rotations at once stay within the limit, no sweep is needed.
  let overlappingCount = 0;
  for (const r of rotations) if (r.startDay <= toDay && fromDay <= r.endDay && !skip(r)) overlappingCount++;
  if (overlappingCount <= limit) return { count: overlappingCount, day: fromDay, active: [] };
  const overlapping = rotations.filter((r) => r.startDay <= toDay && fromDay <= r.endDay && !skip(r));
  const events: [day: number, delta: number][] = [];
  for (const r of overlapping) {
    events.push([Math.max(r.startDay, fromDay), 1]);
    events.push([Math.min(r.endDay, toDay) + 1, -1]);
  }
  // Ends (-1) sort before starts on the same day: a rotation ending on Sunday and
  // one starting on Monday are never counted together.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let best = 0;
  let bestDay = fromDay;
  for (const [day, delta] of events) {
    running += delta;
    if (running > best) {
      best = running;
      bestDay = day;
    }
  }
  const active = overlapping.filter((r) => r.startDay <= bestDay && bestDay <= r.endDay);
  return { count: best, day: bestDay, active };
}

function describeSpan(start: LocalDate, end: LocalDate): string {
  return start === end ? start : `${start} to ${end}`;
}

export function createRuleChecker(context: RuleContext): RuleChecker {
  const index = buildRuleIndex(context);
  const nameOf = (id: Id): string => index.people.get(id)?.name ?? `person ${id}`;
  const teamNameOf = (id: Id): string => index.teams.get(id)?.name ?? `team ${id}`;

  function check(proposal: ProposedRotation, program: RuleProgram): RuleViolation[] {
    const person = index.people.get(proposal.personId);
    if (!person) throw new Error(`rule context has no person ${proposal.personId}`);
    const startDay = toDayNumber(proposal.start);
    const endDay = toDayNumber(proposal.end);
    if (endDay < startDay) throw new RangeError(`rotation ends (${proposal.end}) before it starts (${proposal.start})`);
    const isSelf = (r: IndexedRotation) => proposal.id !== undefined && r.id === proposal.id;
    const span = describeSpan(proposal.start, proposal.end);
    const programName = program.name ? `program "${program.name}"` : `program ${program.id}`;
    const violations: RuleViolation[] = [];
    const hostTeam = index.teams.get(proposal.hostTeamId);
    const hostEntry = program.hostTeams.find((h) => h.teamId === proposal.hostTeamId);

    // direction
    const travel = directionOfPerson(program.direction, person.department);
    if (travel === null) {
      const wanted =
        program.direction === 'marketing_to_sales' ? 'marketers' : program.direction === 'sales_to_marketing' ? 'sales reps' : 'sales reps and marketers';
      violations.push({
        code: 'direction',
        message: `${RULE_TITLES.direction}: ${programName} takes ${wanted} as guests, but ${person.name} is in ${person.department}.`,
        people: [person.id],
      });
    }
    if (!hostEntry) {
      violations.push({
        code: 'direction',
        message: `${RULE_TITLES.direction}: ${teamNameOf(proposal.hostTeamId)} is not a host team of ${programName}.`,
        people: [person.id],
      });
    } else if (travel !== null && hostTeam && hostTeam.department !== departmentsOfDirection(travel).host) {
      violations.push({
        code: 'direction',
        message: `${RULE_TITLES.direction}: ${person.name} (${person.department}) must rotate into a ${departmentsOfDirection(travel).host} team, but host team ${hostTeam.name} is in ${hostTeam.department}.`,
        people: [person.id],
      });
    }

    // new_hire_period
    if (person.hireDate && startDay < toDayNumber(person.hireDate) + NEW_HIRE_PERIOD_DAYS) {
      const earliestStart = addDaysToLocalDate(person.hireDate, NEW_HIRE_PERIOD_DAYS);
      violations.push({
        code: 'new_hire_period',
        message: `${RULE_TITLES.new_hire_period}: ${person.name} was hired on ${person.hireDate}; no rotation inside the first ${NEW_HIRE_PERIOD_DAYS} days, so the earliest start is ${earliestStart}.`,
        people: [person.id],
      });
    }

    // unavailable
    for (const period of person.unavailable ?? []) {
      if (period.start <= proposal.end && proposal.start <= period.end) {
        const reason = period.reason ? ` (${period.reason})` : '';
        violations.push({
          code: 'unavailable',
          message: `${RULE_TITLES.unavailable}: ${person.name} is unavailable ${describeSpan(period.start, period.end)}${reason}, which overlaps the rotation ${span}.`,
          people: [person.id],
        });
      }
    }

    // overlap
    for (const other of index.byPerson.get(person.id) ?? []) {
      if (isSelf(other) || other.startDay > endDay || other.endDay < startDay) continue;
      violations.push({
        code: 'overlap',
        message: `${RULE_TITLES.overlap}: ${person.name} already has a rotation with ${teamNameOf(other.hostTeamId)} ${describeSpan(other.start, other.end)}, which overlaps ${span}.`,
        people: [person.id],
      });
    }

    // blackout: applies through the person's home team and through the host team
    const touchedTeams: { team: RuleTeam; role: string }[] = [];
    const homeTeam = person.homeTeamId !== null ? index.teams.get(person.homeTeamId) : undefined;
    if (homeTeam) touchedTeams.push({ team: homeTeam, role: `${person.name}'s home team` });
    if (hostTeam && hostTeam.id !== homeTeam?.id) touchedTeams.push({ team: hostTeam, role: 'host team' });
    for (const blackout of index.blackouts) {
      if (!(blackout.start <= proposal.end && proposal.start <= blackout.end)) continue;
      for (const { team, role } of touchedTeams) {
        if (!blackoutAppliesToTeam(blackout, team)) continue;
        const scope = blackout.teamId !== undefined && blackout.teamId !== null ? `team ${team.name}` : `all of ${team.department}`;
        violations.push({
          code: 'blackout',
          message: `${RULE_TITLES.blackout}: "${blackout.name}" (${scope}, ${describeSpan(blackout.start, blackout.end)}) covers ${role} ${team.name} during the rotation ${span}.`,
          people: [person.id],
        });
      }
    }

    // home_coverage
    if (person.homeTeamId !== null) {
      const memberCount = homeTeam?.memberCount ?? 0;
      const allowed = allowedAway(memberCount, index.coverageShare);
      const peak = findPeak(index.byHomeTeam.get(person.homeTeamId) ?? [], startDay, endDay, (r) => isSelf(r) || r.personId === person.id, allowed - 1);
      if (peak.count + 1 > allowed) {
        const teamName = teamNameOf(person.homeTeamId);
        const limit = `at most ${allowed} of the ${memberCount} active members of ${teamName} may be away at once (${formatPercent(index.coverageShare)})`;
        const awayIds = [...new Set(peak.active.map((r) => r.personId))];
        const already =
          awayIds.length > 0
            ? `on ${fromDayNumber(peak.day)} ${joinNames(awayIds.map(nameOf))} ${awayIds.length === 1 ? 'is' : 'are'} already away`
            : 'the team is too small to send anyone';
        violations.push({
          code: 'home_coverage',
          message: `${RULE_TITLES.home_coverage}: ${limit}; ${already}, so ${person.name} cannot go ${span}.`,
          people: [person.id, ...awayIds],
        });
      }
    }

    // host_capacity (per program)
    if (hostEntry) {
      const hosted = index.byProgramHost.get(program.id)?.get(proposal.hostTeamId) ?? [];
      const peak = findPeak(hosted, startDay, endDay, isSelf, hostEntry.capacity - 1);
      if (peak.count + 1 > hostEntry.capacity) {
        const hostedIds = [...new Set(peak.active.map((r) => r.personId))];
        const already = hostedIds.length > 0 ? `on ${fromDayNumber(peak.day)} it already hosts ${joinNames(hostedIds.map(nameOf))}` : 'it takes no guests';
        violations.push({
          code: 'host_capacity',
          message: `${RULE_TITLES.host_capacity}: ${teamNameOf(proposal.hostTeamId)} takes at most ${hostEntry.capacity} guest${hostEntry.capacity === 1 ? '' : 's'} of ${programName} at once; ${already}, so there is no room for ${person.name} ${span}.`,
          people: [person.id, ...hostedIds],
        });
      }
    }

    // mentor_not_in_host_team, mentor_away (the mentor is away)
    if (proposal.mentorId !== null) {
      const mentor = index.people.get(proposal.mentorId);
      const mentorName = nameOf(proposal.mentorId);
      if (!mentor || mentor.homeTeamId !== proposal.hostTeamId || mentor.id === person.id) {
        const where = mentor?.homeTeamId != null ? `is in ${teamNameOf(mentor.homeTeamId)}` : 'is in no team';
        violations.push({
          code: 'mentor_not_in_host_team',
          message: `${RULE_TITLES.mentor_not_in_host_team}: the mentor of ${person.name} must be in host team ${teamNameOf(proposal.hostTeamId)}, but ${mentorName} ${mentor?.id === person.id ? 'is the guest' : where}.`,
          people: [person.id, proposal.mentorId],
        });
      }
      for (const away of index.byPerson.get(proposal.mentorId) ?? []) {
        if (isSelf(away) || away.startDay > endDay || away.endDay < startDay) continue;
        violations.push({
          code: 'mentor_away',
          message: `${RULE_TITLES.mentor_away}: mentor ${mentorName} is on a rotation with ${teamNameOf(away.hostTeamId)} ${describeSpan(away.start, away.end)}, overlapping ${person.name}'s rotation ${span}.`,
          people: [proposal.mentorId, person.id],
        });
      }
      for (const period of mentor?.unavailable ?? []) {
        if (!(period.start <= proposal.end && proposal.start <= period.end)) continue;
        violations.push({
          code: 'mentor_away',
          message: `${RULE_TITLES.mentor_away}: mentor ${mentorName} is unavailable ${describeSpan(period.start, period.end)}, overlapping ${person.name}'s rotation ${span}.`,
          people: [proposal.mentorId, person.id],
        });
      }
    }

    // mentor_away, the other way round: the guest is someone's mentor meanwhile
    for (const mentored of index.byMentor.get(person.id) ?? []) {
      if (isSelf(mentored) || mentored.startDay > endDay || mentored.endDay < startDay) continue;
      const from = laterDate(mentored.start, proposal.start);
      const to = earlierDate(mentored.end, proposal.end);
      violations.push({
        code: 'mentor_away',
        message: `${RULE_TITLES.mentor_away}: ${person.name} mentors ${nameOf(mentored.personId)}'s rotation ${describeSpan(mentored.start, mentored.end)} and would be away ${describeSpan(from, to)}.`,
        people: [person.id, mentored.personId],
      });
    }

    return violations;
  }

  return { check };
}

/** Every rule `proposal` breaks against `context` (builds a fresh index; use createRuleChecker for many checks). */
export function checkRotation(proposal: ProposedRotation, program: RuleProgram, context: RuleContext): RuleViolation[] {
  return createRuleChecker(context).check(proposal, program);
}

/** A day as people write it: 15 Feb 2027. */
export const readableDate = (iso: LocalDate): string => readableLocalDate(iso);

/** The rule's name in words (never its code), for headings and tags. */
export function ruleTitle(code: string): string {
  return (RULE_TITLES as Record<string, string>)[code] ?? (code === 'reciprocity' ? 'Reciprocity' : code === 'horizon' ? 'Horizon too short' : 'Rule');
}

/**
 * The one way a rule break is put into words for people: the engine's sentence without its
 * "Rule name:" lead (pages show the name beside it), dates written as "15 Feb 2027".
 */
export function ruleBreakSentence(violation: { code: string; message: string }): string {
  const title = ruleTitle(violation.code);
  let text = violation.message.startsWith(`${title}: `) ? violation.message.slice(title.length + 2) : violation.message;
  text = text.replace(/\b(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})\b/g, (_, a: string, b: string) => `${readableDate(a)} to ${readableDate(b)}`);
  text = text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (d) => readableDate(d));
  return text.charAt(0).toUpperCase() + text.slice(1);
}
