/**
 * What the program pages share: path parameters, forms and queries, select options, and one program's page.
 */
import { withRhythmRule } from './rhythm';
import { z } from 'zod';
import type { AppContext } from '../context';
import { AppError } from '../lib/errors';
import { blankToUndefined, idSchema, pathIdSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { viewerOf } from '../guards';
import { peopleChoices } from '../people/choices';
import { withDepartment } from '../../views/labels';
import { visibleScope } from '../people/scope';
import { countTeams, LISTED_TEAMS, teamFilter, teamOptions as teamRows } from '../people/teams';
import { html, layoutProps } from '../web';
import { preparedQuery } from '../db';
import type { FieldErrors, FormValues } from '../../views/components';
import { ProgramPage } from '../../views/programs/admin';
import { COMPLETION_STATES } from './completion';
import { countEnrollments, enrollmentCandidates, listEnrollmentRows, viewerEnrollmentScope, type EnrollmentScope } from './enrollment';
import { listTopics, programDetails } from './programs';
import { programInputSchema } from './program-inputs';
import { listProgramChoices, listTeamChoices } from './reports';
import type { ReportFilter } from './report-queries';
import { resolveOccurrence, topicOfSession, upcomingSessions, type SessionOccurrence } from './sessions';

export const idParam = z.object({ id: pathIdSchema });
export const childParam = z.object({ id: pathIdSchema, childId: pathIdSchema });
export const occurrenceParam = z.object({ occurrenceId: z.string().regex(/^\d+_\d{8}T\d{6}Z$/) });
/** People per dashboard page: enough to scan, few enough that the page stays light. */
export const PAGE_SIZE = 20;

export const dashboardQuery = z.object({
  program: z.preprocess(blankToUndefined, idSchema.optional()),
  team: z.preprocess(blankToUndefined, idSchema.optional()),
  teamName: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
  state: z.preprocess(blankToUndefined, z.enum(COMPLETION_STATES).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});

export const teamsQuery = dashboardQuery.extend({ show: z.preprocess(blankToUndefined, z.enum(['weakest', 'all']).default('all')) });

export const toArray = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]);
export const enrollForm = z.object({
  personIds: z.preprocess(toArray, z.array(idSchema).min(1, 'Choose at least one person.').max(5000)),
  startDate: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-04-01.')
      .optional(),
  ),
});
export const settingsForm = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a program name.').max(160),
  description: z.preprocess((v) => v ?? '', z.string().trim().max(4000)),
  dueSoonDays: z.coerce.number().int().min(0).max(90),
  active: z.enum(['true', 'false']).transform((v) => v === 'true'),
});
export const signOffForm = z.object({ requirementId: idSchema, note: z.preprocess((v) => v ?? '', z.string().trim().max(500)) });

/** Teams a viewer may filter by: all for HR, the teams of their reports for a manager; null when too many to list (a name is typed instead). */
export function teamOptions(c: AppContext, scope: ReportFilter) {
  const { db } = c.var.deps;
  // A manager's whole teams alone may already be too many to list.
  if (!scope.personIds ? countTeams(db) > LISTED_TEAMS : (scope.teamIds?.length ?? 0) > LISTED_TEAMS) return null;
  const teams = listTeamChoices(db, scope);
  return teams.length > LISTED_TEAMS ? null : teams.map((t) => ({ value: t.id, label: t.name }));
}

export function programOptions(c: AppContext) {
  return listProgramChoices(c.var.deps.db).map((p) => ({ value: p.id, label: p.active ? p.name : `${p.name} (archived)` }));
}

/** A program page's enrolled people: running or ended, of a team, whose name starts so; a page starts after a person. */
export const programPageQuery = z.object({
  show: z.preprocess(blankToUndefined, z.enum(['enrolled', 'ended']).default('enrolled')),
  team: z.preprocess(blankToUndefined, idSchema.optional()),
  /** The team typed by name (or its first letters), where a company has too many teams to list them. */
  teamName: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
  name: z.preprocess(blankToUndefined, z.string().trim().max(80).optional()),
  after: z.preprocess(blankToUndefined, idSchema.optional()),
});
export type ProgramPageQuery = z.infer<typeof programPageQuery>;

/** Enrolled people per page of a program, and people offered to enroll by hand: what a page can show and stay light. */
const ENROLLED_PAGE_SIZE = 50;
const CANDIDATES_SHOWN = 50;

const personNameQuery = preparedQuery((db) => db.$client.prepare<[number], { name: string }>('SELECT name FROM people WHERE id = ?'));

export function renderProgramPage(
  c: AppContext,
  id: number,
  extra: {
    requirementValues?: FormValues;
    requirementErrors?: FieldErrors;
    ruleValues?: FormValues;
    ruleErrors?: FieldErrors;
    enrollErrors?: FieldErrors;
  } = {},
  status: 200 | 400 | 409 = 200,
  query: ProgramPageQuery = { show: 'enrolled' },
) {
  const { db } = c.var.deps;
  const viewer = viewerOf(c);
  const details = programDetails(db, id);
  // More teams than a list shows: the filter's team is typed by name; a name no team has is the filter's error.
  const named = teamFilter(db, query);
  query = { ...query, team: named.team };
  if (named.errors) status = 400;
  const visible = viewerEnrollmentScope(db, viewer);
  const scope: EnrollmentScope = { programId: id, teamId: query.team, ...visible };
  const listStatus = query.show === 'ended' ? 'ended' : 'running';
  // Counted without the name: how many in all, and whether sorting them or walking names reads less.
  const counts = { running: countEnrollments(db, scope, 'running'), ended: countEnrollments(db, scope, 'ended') };
  const afterName = query.after === undefined ? undefined : personNameQuery(db).get(query.after)?.name;
  const rows = listEnrollmentRows(db, { ...scope, namePrefix: query.name }, listStatus, {
    limit: ENROLLED_PAGE_SIZE + 1,
    // A program holds one enrollment per person: the page goes on after all of that person's.
    after: afterName === undefined ? undefined : { name: afterName, personId: query.after!, id: Number.MAX_SAFE_INTEGER },
    count: counts[listStatus],
  });
  const shown = rows.slice(0, ENROLLED_PAGE_SIZE);
  const candidates = details.program.active
    ? enrollmentCandidates(db, id, { teamId: query.team, namePrefix: query.name, ...visible }, CANDIDATES_SHOWN)
    : { people: [], more: false };
  const teams = countTeams(db) > LISTED_TEAMS ? null : teamRows(db).map((t) => ({ value: t.id, label: t.name }));
  const filter = { show: query.show, team: query.team, teamName: named.teamName, name: query.name, errors: named.errors };
  const href = (after?: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ show: filter.show, team: filter.team, name: filter.name, after }))
      if (value !== undefined && value !== '') params.set(key, String(value));
    return `/programs/${id}?${params}#enrollments`;
  };
  return html(
    c,
    ProgramPage({
      layout: layoutProps(c, details.program.name),
      details,
      canEdit: viewer.person.role === 'hr',
      topics: listTopics(db).map((t) => ({ value: t.id, label: t.name })),
      teams,
      enrolled: {
        rows: shown,
        filter,
        counts,
        first: query.after === undefined ? null : href(),
        next: rows.length > ENROLLED_PAGE_SIZE ? href(shown.at(-1)!.personId) : null,
      },
      candidates: {
        options: candidates.people.map((p) => ({ value: p.id, label: p.teamName ? `${p.name} (${p.teamName})` : p.name })),
        more: candidates.more,
      },
      ...extra,
    }),
    status,
  );
}

/** A domain error about one field, shown on the form that sent it. */
export function fieldErrorsOf(err: unknown, fallbackField = '_form'): FieldErrors | null {
  if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) return null;
  const errors: FieldErrors = {};
  for (const issue of err.issues ?? []) errors[issue.path || fallbackField] ??= issue.message;
  if (Object.keys(errors).length === 0) errors[fallbackField] = err.message;
  return errors;
}

/** The session form's choices: topics, and hosts as the host chosen then the first people `hostSearch` finds (HR picks anyone). */
export function sessionFormOptions(c: AppContext, values: FormValues) {
  const { db } = c.var.deps;
  const hostId = Number(values.hostId);
  return {
    topics: listTopics(db).map((t) => ({ value: t.id, label: t.name })),
    hosts: peopleChoices(db, {
      q: typeof values.hostSearch === 'string' ? values.hostSearch : '',
      viewer: null,
      chosen: Number.isInteger(hostId) && hostId > 0 ? [hostId] : [],
    }).map((p) => ({ value: p.id, label: withDepartment(p) })),
  };
}

export function sessionAt(c: AppContext, occurrenceKey: string, personId: number): SessionOccurrence | undefined {
  const { event } = resolveOccurrence(c.var.deps.db, occurrenceKey);
  const topic = topicOfSession(c.var.deps.db, event.id);
  return upcomingSessions(c.var.deps.db, c.var.deps.clock.now(), { topicIds: topic ? [topic.topicId] : [], forPersonId: personId }).find(
    (s) => s.occurrence.key === occurrenceKey,
  );
}

/** The form names the rhythm in words ("every 3 months, on the 1st"); the rule it stands for is what is stored. */
export const programFormSchema = z.preprocess(withRhythmRule, programInputSchema);

/** Who a dashboard viewer may see, as a report's scope: whole teams and people (visibleScope), or everyone. */
export function reportScope(c: AppContext): Pick<ReportFilter, 'personIds' | 'teamIds' | 'managerId'> {
  const viewer = viewerOf(c);
  const scope = visibleScope(c.var.deps.db, viewer);
  if (scope === null) return {};
  return { personIds: scope.personIds, teamIds: scope.teamIds, managerId: viewer.person.role === 'manager' ? viewer.person.id : undefined };
}
