/*
 * The reviewed access decision for every route crosstrain registers. The access matrix
 * (access.test.ts) checks each entry for every actor; the page crawl and the fuzzer use the same
 * entries to reach every page and every write endpoint. A route without an entry fails the suite.
 *
 * Actors: anonymous; employee = rep@ (Sales East); manager = west.manager@ (Sales West: NOT rep@'s
 * manager); hr = hr@; token = an API token made by hr@ (acts as hr@). Path parameters come from
 * ./fixtures: things the employee and the manager do not own.
 */
import { inspectRoutes } from 'hono/dev';
import type { App } from '../../../src/app';
import type { Actor, DemoCompany } from './company';
import * as F from './fixtures';

export type Outcome =
  /** GET: 200 (or the rule's okStatus); other methods: past the guards (not 401/403, never 5xx). */
  | 'ok'
  /** Not signed in: pages redirect to /login, the API answers 401 with the error shape. */
  | 'login'
  | 'forbidden'
  /** 403 or 404: the route does not reveal whether the thing exists. */
  | 'hidden'
  /**
   * Any 4xx. For writes whose form is validated before the ownership check and for which the table
   * has no valid body: the refusal is still checked to write nothing at all.
   */
  | 'refused';

export type Level = 'public' | 'signedIn' | 'hr' | 'hrManager';

export type Rule = {
  level: Level;
  params?: Record<string, F.Fixture>;
  expect?: Partial<Record<Actor, Outcome>>;
  okStatus?: number | Partial<Record<Actor, number>>;
  /** The concrete path (wildcards, required query strings); `{name}` is filled from `params`. */
  path?: string;
  /** A valid body: refused actors must be refused even when the request would otherwise succeed. */
  body?: Record<string, unknown>;
  /** Allowed writes that cost a password hash (~0.5 s) are tried for these actors only. */
  sample?: Actor[];
  /** Run the allowed write on its own fresh copy of the company. */
  isolate?: boolean;
  note?: string;
};

export const LEVEL_DEFAULTS: Record<Level, Record<Actor, Outcome>> = {
  public: { anonymous: 'ok', employee: 'ok', manager: 'ok', hr: 'ok', token: 'ok' },
  signedIn: { anonymous: 'login', employee: 'ok', manager: 'ok', hr: 'ok', token: 'ok' },
  hrManager: { anonymous: 'login', employee: 'forbidden', manager: 'ok', hr: 'ok', token: 'ok' },
  hr: { anonymous: 'login', employee: 'forbidden', manager: 'forbidden', hr: 'ok', token: 'ok' },
};

export const outcomeFor = (rule: Rule, actor: Actor): Outcome => rule.expect?.[actor] ?? LEVEL_DEFAULTS[rule.level][actor];

/** Anonymous may reach exactly these (the calendar feed only with its secret address). */
export const PUBLIC_ALLOWLIST = [
  'GET /login',
  'POST /login',
  'POST /logout',
  'GET /healthz',
  'GET /static/*',
  'GET /api/v1/openapi.json',
  'GET /api/docs',
  'GET /calendar/:file{[A-Za-z0-9_-]+\\.ics}',
  'GET /password/forgot',
  'POST /password/forgot',
  'GET /password/set',
  'POST /password/set',
];

const person = { id: F.otherPerson };
const event = { id: F.foreignEvent };
const occurrence = { id: F.foreignEvent, key: F.foreignOccurrence };
const apiOccurrence = { id: F.foreignEvent, occurrenceId: F.foreignOccurrence };
const rotation = { id: F.foreignRotation };
const round = { id: F.aSurveyRound };
const program = { id: F.aProgram };
/** Employees and the manager of another team may not touch it; HR may. */
const hostOnly: Partial<Record<Actor, Outcome>> = { employee: 'forbidden', manager: 'forbidden' };
/** Validation runs before the ownership check on this write: the refusal is a 4xx that writes nothing. */
const refusedToOthers: Partial<Record<Actor, Outcome>> = { employee: 'refused', manager: 'refused' };
const eventForm = {
  kind: 'sales_call',
  title: 'Taken over',
  date: '2027-01-05',
  startTime: '09:00',
  endTime: '10:00',
  timeZone: 'UTC',
  seats: 1,
  account: 'Evil Corp',
  repeat: 'none',
};

export const ACCESS: Record<string, Rule> = {
  // ── foundation: public ──
  'GET /static/*': { level: 'public', path: '/static/app.css' },
  'GET /healthz': { level: 'public' },
  'GET /login': { level: 'public', okStatus: { employee: 303, manager: 303, hr: 303 }, note: 'signed-in visitors are sent on into the app' },
  'POST /login': { level: 'public', body: { email: 'rep@example.com', password: 'crosstrain-demo' }, sample: ['anonymous', 'hr'] },
  'POST /logout': { level: 'public' },
  'GET /api/v1/openapi.json': { level: 'public' },
  'GET /password/forgot': { level: 'public' },
  'POST /password/forgot': { level: 'public', body: { email: 'nobody@example.com' }, note: 'the same answer whether or not the address exists' },
  'GET /password/set': { level: 'public', okStatus: 400, note: 'without a link token (or its cookie) the page says to open the mailed link' },
  'POST /password/set': {
    level: 'public',
    body: { newPassword: 'a long enough password', confirmPassword: 'a long enough password' },
    note: 'without a link cookie nothing is set (400)',
  },
  'GET /api/docs': { level: 'public' },
  // ── accounts ──
  'GET /account': { level: 'signedIn' },
  'POST /account': {
    level: 'signedIn',
    expect: { token: 'forbidden' },
    body: { timeZone: 'UTC', workdayStart: '09:00', workdayEnd: '17:00', reminderLeadHours: 24 },
  },
  'GET /account/password': { level: 'signedIn' },
  'POST /account/password': { level: 'signedIn' },
  'GET /api/v1/me': { level: 'signedIn' },
  'GET /': { level: 'signedIn' },
  // ── people and teams ──
  'GET /people': { level: 'hrManager' },
  'GET /people/new': { level: 'hr' },
  'POST /people': {
    level: 'hr',
    body: { email: 'matrix.new@example.com', name: 'Matrix New', department: 'sales', title: '', hireDate: '2026-01-05', timeZone: 'UTC', role: 'hr' },
  },
  'GET /people/import': { level: 'hr' },
  'GET /people/import/template.csv': { level: 'hr' },
  'POST /people/import': { level: 'hr' },
  'GET /people/:id': { level: 'signedIn', params: person, expect: hostOnly, note: 'own profile and reports only (ownership test below)' },
  'GET /people/:id/edit': { level: 'hr', params: person },
  'POST /people/:id': {
    level: 'hr',
    params: person,
    body: { email: 'matrix.edit@example.com', name: 'Matrix Edit', department: 'sales', title: '', hireDate: '2026-01-05', timeZone: 'UTC', role: 'hr' },
  },
  'POST /people/:id/deactivate': { level: 'hr', params: person },
  'POST /people/:id/reactivate': { level: 'hr', params: person },
  'POST /people/:id/password': { level: 'hr', params: person, body: { password: 'a temporary password 1' }, sample: ['token'] },
  'GET /people/:id/deactivate': { level: 'hr', params: person, note: 'asks who takes over their reports' },
  'POST /people/:id/welcome': { level: 'hr', params: person },
  'POST /people/welcome': { level: 'hr', note: 'bulk welcome emails from the people list selection' },
  'GET /settings': { level: 'hr' },
  'POST /settings': { level: 'hr', body: { defaultTimeZone: 'Europe/Berlin' } },
  'GET /teams': { level: 'hr' },
  'POST /teams': { level: 'hr', body: { name: 'Matrix team', department: 'sales' } },
  'GET /teams/:id/edit': { level: 'hr', params: { id: F.aTeam } },
  'POST /teams/:id': { level: 'hr', params: { id: F.aTeam }, body: { name: 'Matrix renamed', department: 'sales' } },
  'GET /api/v1/people': { level: 'hrManager' },
  'POST /api/v1/people': {
    level: 'hr',
    body: { email: 'matrix.api@example.com', name: 'Matrix Api', department: 'sales', hireDate: '2026-01-05', timeZone: 'UTC', role: 'hr' },
  },
  'POST /api/v1/people/import': { level: 'hr' },
  'GET /api/v1/people/:id': { level: 'signedIn', params: person, expect: hostOnly },
  'PATCH /api/v1/people/:id': { level: 'hr', params: person, body: { role: 'hr' } },
  'POST /api/v1/people/welcome': { level: 'hr', body: { ids: [1] } },
  'POST /api/v1/people/:id/welcome': { level: 'hr', params: person },
  'GET /api/v1/settings': { level: 'hr' },
  'PUT /api/v1/settings': { level: 'hr', body: { defaultTimeZone: 'Europe/Berlin' } },
  // ── administration ──
  'GET /audit': { level: 'hr' },
  'GET /audit/:id': { level: 'hr', params: { id: F.anAuditEntry } },
  'GET /outbox': { level: 'hr' },
  'GET /admin/tokens': { level: 'hr' },
  'POST /admin/tokens': { level: 'hr', body: { name: 'stolen' } },
  'POST /admin/tokens/:id/revoke': { level: 'hr', params: { id: F.anApiToken } },

  // ── events: anyone signed in sees events and open seats; only the host (their manager, HR) changes them ──
  'GET /events/new': { level: 'signedIn' },
  'GET /events/kind-fields': {
    level: 'signedIn',
    path: '/events/kind-fields?kind=marketing_meeting',
    note: 'the fields of one kind of event, swapped into the form by htmx',
  },
  'POST /events': { level: 'signedIn' },
  'GET /events/:id': { level: 'signedIn', params: event },
  'GET /events/:id/edit': { level: 'signedIn', params: event, expect: hostOnly },
  'POST /events/:id': { level: 'signedIn', params: event, expect: hostOnly, body: eventForm },
  'POST /events/:id/cancel': { level: 'signedIn', params: event, expect: hostOnly, isolate: true },
  'POST /events/:id/invitations': { level: 'signedIn', params: event, expect: refusedToOthers },
  'GET /events/:id/occurrences/:key': { level: 'signedIn', params: occurrence },
  'POST /events/:id/occurrences/:key/answer': {
    level: 'signedIn',
    params: occurrence,
    expect: { employee: 'refused', manager: 'refused', hr: 'refused', token: 'refused' },
    body: { status: 'accepted' },
    note: 'nobody of the matrix is invited',
  },
  'POST /events/:id/occurrences/:key/claim': {
    level: 'signedIn',
    params: occurrence,
    expect: { employee: 'forbidden', manager: 'forbidden', hr: 'forbidden', token: 'forbidden' },
    note: 'a sales call takes marketers as guests; the actors are sales and HR',
  },
  'POST /events/:id/occurrences/:key/cancel': { level: 'signedIn', params: occurrence, expect: hostOnly, isolate: true },
  'POST /events/:id/occurrences/:key/move': { level: 'signedIn', params: occurrence, expect: refusedToOthers },
  'POST /events/:id/occurrences/:key/restore': { level: 'signedIn', params: occurrence, expect: hostOnly },
  'POST /events/:id/occurrences/:key/agenda': { level: 'signedIn', params: occurrence, expect: refusedToOthers },
  'POST /events/:id/occurrences/:key/action-items': { level: 'signedIn', params: occurrence, expect: refusedToOthers },
  'POST /agenda-items/:id/decisions': { level: 'signedIn', params: { id: F.foreignAgendaItem }, expect: hostOnly },
  'POST /action-items/:id/done': { level: 'signedIn', params: { id: F.foreignActionItem }, expect: hostOnly },
  'POST /action-items/:id/reopen': { level: 'signedIn', params: { id: F.foreignActionItem }, expect: hostOnly },
  'GET /invitations': { level: 'signedIn' },
  'POST /invitations/:id/answer': {
    level: 'signedIn',
    params: { id: F.foreignInvitation },
    expect: { employee: 'hidden', manager: 'hidden' },
    body: { status: 'declined' },
    note: 'only the invitee answers (HR may answer for them)',
  },
  'GET /open-seats': { level: 'signedIn' },
  'POST /open-seats/claim': { level: 'signedIn' },
  'GET /open-seats/claims/:id': {
    level: 'signedIn',
    params: { id: F.foreignInvitation },
    expect: { employee: 'hidden', manager: 'hidden', hr: 'hidden', token: 'hidden' },
    note: 'what a claim did without JavaScript: only the person who holds the place sees it',
  },
  'POST /open-seats/undo': {
    level: 'signedIn',
    expect: { employee: 'refused', manager: 'refused', hr: 'refused', token: 'refused' },
    body: { ids: '1' },
    note: 'undoes only the person’s own claims of the last minutes; the matrix has none',
  },
  'POST /events/:id/claim-series': {
    level: 'signedIn',
    params: event,
    expect: { employee: 'forbidden', manager: 'forbidden', hr: 'forbidden', token: 'forbidden' },
    note: 'a sales call takes marketers as guests; the actors are sales and HR',
  },
  'POST /events/:id/leave': {
    level: 'signedIn',
    params: event,
    expect: { employee: 'refused', manager: 'refused', hr: 'refused', token: 'refused' },
    body: { scope: 'occurrence' },
    note: 'nobody of the matrix has a place there',
  },
  'GET /approvals': { level: 'hrManager' },
  'POST /approvals/policy': { level: 'hrManager', expect: { hr: 'forbidden', token: 'forbidden' }, note: 'a manager’s own policy' },
  'POST /approvals/:id': {
    level: 'hrManager',
    params: { id: F.foreignApproval },
    expect: { manager: 'hidden' },
    body: { decision: 'approve' },
    note: 'only the claimant’s manager (or HR) decides',
  },
  'GET /api/v1/events': { level: 'signedIn' },
  'POST /api/v1/events': { level: 'signedIn' },
  'GET /api/v1/events/:id': { level: 'signedIn', params: event },
  'PATCH /api/v1/events/:id': { level: 'signedIn', params: event, expect: hostOnly, body: { title: 'Taken over' } },
  'DELETE /api/v1/events/:id': { level: 'signedIn', params: event, expect: hostOnly, isolate: true },
  'GET /api/v1/events/:id/occurrences': { level: 'signedIn', params: event },
  'PATCH /api/v1/events/:id/occurrences/:occurrenceId': { level: 'signedIn', params: apiOccurrence, expect: hostOnly, body: { status: 'cancelled' } },
  'GET /api/v1/events/:id/invitations': { level: 'signedIn', params: event, expect: hostOnly },
  'POST /api/v1/events/:id/invitations': { level: 'signedIn', params: event, expect: refusedToOthers },
  'POST /api/v1/events/:id/seats': {
    level: 'signedIn',
    params: event,
    expect: { employee: 'forbidden', manager: 'forbidden', hr: 'forbidden', token: 'forbidden' },
    note: 'guests of a sales call are marketers',
  },
  'POST /api/v1/events/:id/series-seats': {
    level: 'signedIn',
    params: event,
    expect: { employee: 'forbidden', manager: 'forbidden', hr: 'forbidden', token: 'forbidden' },
    note: 'guests of a sales call are marketers',
  },
  'POST /api/v1/events/:id/leave': {
    level: 'signedIn',
    params: event,
    expect: { employee: 'refused', manager: 'refused', hr: 'refused', token: 'refused' },
    body: {},
    note: 'nobody of the matrix has a place there',
  },
  'POST /api/v1/seats/undo': {
    level: 'signedIn',
    expect: { employee: 'refused', manager: 'refused', hr: 'refused', token: 'refused' },
    body: { invitationIds: [1] },
    note: 'undoes only the person’s own claims of the last minutes',
  },
  'GET /api/v1/invitations': { level: 'signedIn' },
  'PATCH /api/v1/invitations/:id': {
    level: 'signedIn',
    params: { id: F.foreignInvitation },
    expect: { employee: 'hidden', manager: 'hidden' },
    body: { status: 'declined' },
    note: 'only the invitee answers (HR and tokens may answer for them)',
  },
  'GET /api/v1/open-seats': { level: 'signedIn' },

  // ── calendar feeds: the feed is public by its secret address; the rest is per person ──
  'GET /calendar/:file{[A-Za-z0-9_-]+\\.ics}': {
    level: 'public',
    params: { file: F.foreignFeedFile },
    note: 'a valid secret address opens exactly one person’s feed; wrong ones are tested separately',
  },
  'GET /calendar/events/:file{[0-9]+\\.ics}': { level: 'signedIn', params: { file: F.foreignEventFile } },
  'GET /account/calendar': { level: 'signedIn' },
  'POST /account/calendar/regenerate': { level: 'signedIn', expect: { token: 'forbidden' } },
  'POST /account/calendar/revoke': { level: 'signedIn', expect: { token: 'forbidden' } },
  'POST /account/calendar/busy': {
    level: 'signedIn',
    expect: { token: 'forbidden' },
    body: { label: 'Matrix calendar', url: 'https://calendar.example.com/matrix/private-0123456789/basic.ics' },
    note: 'one’s own outside calendar',
  },
  'POST /account/calendar/busy/:id/delete': {
    level: 'signedIn',
    params: { id: F.foreignBusyCalendar },
    expect: { employee: 'hidden', manager: 'hidden', hr: 'hidden', token: 'forbidden' },
    note: 'only the person removes their own calendars',
  },
  'POST /account/calendar/busy/:id/refresh': {
    level: 'signedIn',
    params: { id: F.foreignBusyCalendar },
    expect: { employee: 'hidden', manager: 'hidden', hr: 'hidden', token: 'forbidden' },
    note: 'only the person refreshes their own calendars',
  },

  // ── rotations ──
  'GET /rotations': { level: 'signedIn' },
  'GET /rotations/timeline': { level: 'hrManager' },
  'GET /rotations/programs': { level: 'hr' },
  'GET /rotations/programs/new': { level: 'hr' },
  'POST /rotations/programs': { level: 'hr' },
  'GET /rotations/programs/:id': { level: 'hr', params: { id: F.aRotationProgram } },
  'POST /rotations/programs/:id': { level: 'hr', params: { id: F.aRotationProgram } },
  'GET /rotations/new': { level: 'hr' },
  'POST /rotations': { level: 'hr' },
  'GET /rotations/planner': { level: 'hr' },
  'POST /rotations/planner': { level: 'hr' },
  'GET /rotations/planner/mentors': {
    level: 'hr',
    path: '/rotations/planner/mentors?row=0&personId={personId}&itemHost={teamId}',
    params: { personId: F.otherPerson, teamId: F.aTeam },
  },
  'GET /rotations/planner/people': { level: 'hr', path: '/rotations/planner/people?personSearch=mar' },
  'GET /rotations/planner/plans/:id': { level: 'hr', params: { id: () => 999_999 }, okStatus: 404, note: 'a plan under review; the demo company keeps none' },
  'POST /rotations/planner/plans/:id': { level: 'hr', params: { id: () => 999_999 } },
  'POST /rotations/planner/plans/:id/commit': { level: 'hr', params: { id: () => 999_999 } },
  'GET /rotations/blackouts': { level: 'hr' },
  'POST /rotations/blackouts': { level: 'hr' },
  'POST /rotations/blackouts/:id/delete': { level: 'hr', params: { id: F.aBlackout } },
  'GET /rotations/periods': { level: 'signedIn', note: 'one’s own preferred and unavailable periods' },
  'POST /rotations/periods': { level: 'signedIn' },
  'POST /rotations/periods/:id/delete': {
    level: 'signedIn',
    params: { id: F.foreignPeriod },
    expect: { employee: 'hidden', manager: 'hidden', hr: 'hidden', token: 'hidden' },
    note: 'only the person deletes their own periods',
  },
  'GET /rotations/:id': { level: 'hr', params: rotation, note: 'also the guest, the mentor and their managers (not in this fixture)' },
  'GET /rotations/:id/edit': { level: 'hr', params: rotation },
  'POST /rotations/:id': { level: 'hr', params: rotation },
  'POST /rotations/:id/cancel': { level: 'hr', params: rotation },
  'POST /rotations/:id/checklist/:itemId': { level: 'hr', params: { id: F.foreignRotation, itemId: F.foreignChecklistItem } },
  'POST /rotations/:id/check-ins': { level: 'hr', params: rotation, expect: refusedToOthers },
  'GET /api/v1/rotation-programs': { level: 'signedIn' },
  'POST /api/v1/rotation-programs': { level: 'hr' },
  'GET /api/v1/rotation-programs/:id': { level: 'signedIn', params: { id: F.aRotationProgram } },
  'PATCH /api/v1/rotation-programs/:id': { level: 'hr', params: { id: F.aRotationProgram } },
  'GET /api/v1/rotations': { level: 'signedIn', note: 'each sees the rotations they may see' },
  'POST /api/v1/rotations': { level: 'hr' },
  'GET /api/v1/rotations/away': { level: 'hrManager' },
  'POST /api/v1/rotations/plan': { level: 'hr' },
  'POST /api/v1/rotations/plan/commit': { level: 'hr' },
  'GET /api/v1/rotations/:id': { level: 'hr', params: rotation },
  'PATCH /api/v1/rotations/:id': { level: 'hr', params: rotation },
  'POST /api/v1/rotations/:id/cancel': { level: 'hr', params: rotation },
  'POST /api/v1/rotations/:id/check-ins': { level: 'hr', params: rotation, expect: refusedToOthers },

  // ── feedback and insights ──
  'GET /feedback': { level: 'signedIn' },
  'GET /feedback/new': { level: 'signedIn', okStatus: 400, note: 'needs ?occurrence=' },
  'POST /feedback': { level: 'signedIn' },
  'GET /feedback/:id': { level: 'signedIn', params: { id: F.foreignFeedback }, expect: hostOnly, note: 'the author, their managers and HR' },
  'GET /feedback/names/suggest': { level: 'signedIn', path: '/feedback/names/suggest?kind=competitor&field=competitors&competitors=glob' },
  'GET /feedback/names/complete': { level: 'signedIn', path: '/feedback/names/complete?kind=competitor&field=competitors&competitors=glob&pick=Globex' },
  'GET /insights/names': { level: 'hr', note: 'also marketing managers (the matrix manager is a sales manager)' },
  'POST /insights/names/merge': { level: 'hr', body: { kind: 'competitor' } },
  'POST /insights/names/:id/separate': { level: 'hr', path: '/insights/names/1/separate', body: { kind: 'competitor' } },
  'GET /insights': { level: 'hrManager' },
  'POST /insights/suggestions/move': { level: 'hrManager', note: 'whoever sees insights; each item is checked against its backlog (HR, liaison)' },
  'GET /api/v1/feedback': { level: 'signedIn' },
  'POST /api/v1/feedback': { level: 'signedIn' },
  'GET /api/v1/feedback/pending': { level: 'signedIn' },
  'GET /api/v1/feedback/:id': { level: 'signedIn', params: { id: F.foreignFeedback }, expect: hostOnly },
  'GET /api/v1/insights': { level: 'hrManager' },

  // ── surveys, advantages, scorecard, liaisons ──
  'GET /surveys': { level: 'signedIn' },
  'GET /surveys/new': { level: 'hr' },
  'GET /surveys/settings': { level: 'hr' },
  'POST /surveys/settings': { level: 'hr', body: { minResponseRatePercent: '50', minGroupSize: '5' } },
  'POST /surveys': { level: 'hr' },
  'GET /surveys/:id': { level: 'hrManager', params: round },
  'GET /surveys/:id/export.csv': { level: 'hr', params: round },
  'GET /surveys/:id/answer': { level: 'signedIn', params: round, expect: { hr: 'forbidden', token: 'forbidden' }, note: 'participants only; HR is not asked' },
  'POST /surveys/:id/answer': { level: 'signedIn', params: round, expect: { hr: 'forbidden', token: 'forbidden' } },
  'POST /surveys/:id/remind': { level: 'hr', params: round },
  'POST /surveys/:id/close': { level: 'hr', params: round, isolate: true },
  'POST /surveys/:id/rejudge': { level: 'hr', params: round },
  'POST /surveys/:id/enroll': { level: 'hr', params: round },
  'GET /surveys/:id/review': { level: 'hr', params: round },
  'POST /surveys/:id/review': { level: 'hr', params: round },
  'GET /advantages': { level: 'hr', note: 'HR and marketing managers' },
  'POST /advantages': { level: 'hr' },
  'GET /scorecard': { level: 'hrManager' },
  'GET /scorecard/settings': { level: 'hr' },
  'POST /scorecard/settings': { level: 'hr' },
  'GET /liaisons': { level: 'signedIn' },
  'POST /liaisons': { level: 'hr' },
  'POST /liaisons/:id/end': { level: 'hr', params: { id: F.aLiaison }, isolate: true },
  'GET /liaisons/unassigned': { level: 'hr' },
  'GET /api/v1/suggestions': { level: 'signedIn', note: 'the backlog items one may see' },
  'GET /api/v1/suggestions/:id': { level: 'hrManager', params: { id: F.aBacklogSuggestion }, note: 'HR, managers and the liaison of its team' },
  'POST /api/v1/suggestions/move': { level: 'hr', expect: refusedToOthers },
  'GET /liaisons/teams/:teamId/backlog': { level: 'hrManager', params: { teamId: F.otherTeam }, note: 'HR and the liaison change it; every manager may look' },
  'POST /liaisons/teams/:teamId/backlog': { level: 'hr', params: { teamId: F.otherTeam }, body: { title: 'Planted suggestion', detail: '' } },
  'POST /liaisons/suggestions/:id': { level: 'hr', params: { id: F.aBacklogSuggestion }, body: { move: 'done' } },
  'GET /api/v1/advantages': { level: 'hr' },
  'PUT /api/v1/advantages': { level: 'hr', body: { advantages: [{ name: 'Planted advantage' }] } },
  'GET /api/v1/surveys': { level: 'hrManager' },
  'POST /api/v1/surveys': { level: 'hr' },
  'GET /api/v1/surveys/:id': { level: 'hrManager', params: round },
  'GET /api/v1/surveys/settings': { level: 'hr' },
  'PUT /api/v1/surveys/settings': { level: 'hr', body: { minResponseRatePercent: 50, minGroupSize: 5 } },
  'GET /api/v1/surveys/:id/responses': { level: 'hr', params: round },
  'POST /api/v1/surveys/:id/responses': {
    level: 'signedIn',
    params: round,
    expect: { hr: 'forbidden', token: 'forbidden' },
    body: { answers: ['one', 'two', 'three'] },
  },
  'POST /api/v1/surveys/:id/assignments': { level: 'hr', params: round },
  'GET /api/v1/surveys/:id/results': { level: 'hrManager', params: round },
  'GET /api/v1/scorecard': { level: 'hrManager' },
  'PUT /api/v1/scorecard/thresholds': { level: 'hr' },

  // ── programs ──
  'GET /programs': { level: 'hrManager' },
  'GET /programs/new': { level: 'hr' },
  'POST /programs': { level: 'hr' },
  'GET /programs/dashboard': { level: 'hrManager' },
  'POST /programs/dashboard/remind': { level: 'hrManager' },
  'GET /programs/dashboard/chart': { level: 'hrManager' },
  'GET /programs/dashboard/teams': { level: 'hrManager' },
  'GET /programs/overview': { level: 'hr' },
  'GET /programs/sessions': { level: 'hr' },
  'POST /programs/topics': { level: 'hr' },
  'GET /programs/sessions/new': { level: 'hr' },
  'POST /programs/sessions': { level: 'hr' },
  'GET /programs/sessions/:id': { level: 'signedIn', params: { id: F.aTrainingSession } },
  'GET /programs/attendance/:occurrenceId': { level: 'hr', params: { occurrenceId: F.aTrainingOccurrence }, note: 'the host, their manager and HR' },
  'POST /programs/attendance/:occurrenceId': { level: 'hr', params: { occurrenceId: F.aTrainingOccurrence } },
  'POST /programs/attendance/:occurrenceId/code': { level: 'hr', params: { occurrenceId: F.aTrainingOccurrence } },
  'POST /programs/attendance/:occurrenceId/invite': { level: 'hr', params: { occurrenceId: F.aTrainingOccurrence } },
  'POST /programs/attendance/:occurrenceId/everyone-present': {
    level: 'hr',
    params: { occurrenceId: F.aTrainingOccurrence },
    note: 'the host, their manager and HR',
  },
  'POST /programs/attendance/:occurrenceId/walk-in': { level: 'hr', params: { occurrenceId: F.aTrainingOccurrence }, note: 'the host, their manager and HR' },
  'GET /programs/people/:id': { level: 'hr', params: person, note: 'also the person and their managers' },
  'POST /programs/people/:id/sign-off': { level: 'hr', params: person, expect: refusedToOthers },
  'POST /programs/enrollments/:id/end': { level: 'hr', params: { id: F.foreignEnrollment } },
  'GET /programs/:id': { level: 'hrManager', params: program },
  'POST /programs/:id': { level: 'hr', params: program },
  'POST /programs/:id/requirements': { level: 'hr', params: program },
  'POST /programs/:id/requirements/:childId/delete': { level: 'hr', params: { id: F.programWithRequirement, childId: F.aRequirement } },
  'POST /programs/:id/rules': { level: 'hr', params: program },
  'POST /programs/:id/rules/:childId/delete': { level: 'hr', params: { id: F.programWithRule, childId: F.aRule } },
  'POST /programs/:id/enrollments': { level: 'hrManager', params: program },
  'GET /learning': { level: 'signedIn' },
  'POST /learning/book': { level: 'signedIn' },
  'POST /learning/check-in': { level: 'signedIn' },
  'GET /api/v1/programs': { level: 'hrManager' },
  'POST /api/v1/programs': { level: 'hr' },
  'GET /api/v1/programs/:id': { level: 'hrManager', params: program },
  'PATCH /api/v1/programs/:id': { level: 'hr', params: program },
  'POST /api/v1/programs/:id/requirements': { level: 'hr', params: program },
  'DELETE /api/v1/programs/:id/requirements/:requirementId': { level: 'hr', params: { id: F.programWithRequirement, requirementId: F.aRequirement } },
  'POST /api/v1/programs/:id/rules': { level: 'hr', params: program },
  'DELETE /api/v1/programs/:id/rules/:ruleId': { level: 'hr', params: { id: F.programWithRule, ruleId: F.aRule } },
  'GET /api/v1/enrollments': { level: 'signedIn', note: 'one’s own, a manager’s reports’, everyone’s for HR' },
  'POST /api/v1/enrollments': { level: 'hrManager' },
  'POST /api/v1/enrollments/:id/end': { level: 'hr', params: { id: F.foreignEnrollment } },
  'GET /api/v1/attendance': {
    level: 'signedIn',
    path: '/api/v1/attendance?occurrenceId={occurrenceId}',
    params: { occurrenceId: F.aTrainingOccurrence },
    expect: hostOnly,
  },
  'POST /api/v1/attendance': { level: 'signedIn', expect: refusedToOthers },
  'POST /api/v1/attendance/everyone-present': { level: 'signedIn', expect: refusedToOthers },
  'GET /api/v1/training-sessions': { level: 'hr' },
  'GET /api/v1/reports/completion': { level: 'hrManager' },
  'POST /api/v1/sign-offs': { level: 'hrManager' },
  'GET /api/v1/training-topics': { level: 'signedIn' },
  'POST /api/v1/training-topics': { level: 'hr' },
  'POST /api/v1/training-sessions': { level: 'hr' },
  'GET /api/v1/learning': { level: 'signedIn' },
};

/**
 * Query parameters GET routes read that the fuzzer cannot find by itself. It finds the others: an
 * API route's documented query parameters (/api/v1/openapi.json, generated from the schemas the
 * routes validate with) and the field names of a page's own GET forms and the query strings of its
 * links to itself. A key here must be a registered GET route (checked in fuzz.test.ts).
 */
export const QUERY_PARAMS: Record<string, string[]> = {
  'GET /': ['date', 'view', 'mode'],
  'GET /login': ['next', 'notice'],
  'GET /password/forgot': ['notice'],
  'GET /password/set': ['token'],
  'GET /events/:id': ['page'],
  'GET /events/:id/edit': ['from'],
  'GET /open-seats': ['team', 'kind', 'from', 'to', 'account', 'page'],
  'GET /feedback': ['person', 'page', 'pageSize'],
  'GET /feedback/new': ['occurrence'],
  'GET /feedback/names/suggest': ['kind', 'field', 'competitors', 'materials'],
  'GET /feedback/names/complete': ['kind', 'field', 'competitors', 'pick'],
  'GET /insights': ['team', 'from', 'to'],
  'GET /insights/names': ['kind'],
  'GET /people': ['q', 'department', 'team', 'status', 'page', 'pageSize'],
  'GET /audit': ['entityType', 'entityId', 'action', 'actor', 'from', 'to', 'before', 'after'],
  'GET /audit/:id': ['beforePart', 'afterPart'],
  'GET /outbox': ['status', 'page', 'pageSize'],
  'GET /advantages': ['version'],
  'GET /liaisons': ['team'],
  'GET /surveys/:id': ['teamPage'],
  'GET /rotations/timeline': ['from', 'weeks', 'program', 'team', 'department', 'group', 'conflicts', 'page'],
  'GET /rotations/new': ['programId', 'personId'],
  'GET /rotations/planner': ['programId'],
  'GET /rotations/planner/mentors': ['row', 'personId', 'programId', 'itemHost'],
  'GET /rotations/planner/people': ['q', 'personSearch', 'excludeSearch'],
  'GET /rotations/planner/plans/:id': ['page', 'broken'],
  'GET /rotations/periods': ['person'],
  'GET /programs/dashboard': ['program', 'team', 'state', 'page'],
  'GET /programs/dashboard/chart': ['program', 'team', 'state'],
  'GET /programs/dashboard/teams': ['program', 'team', 'state', 'show'],
  'GET /programs/sessions': ['when', 'from', 'to', 'program', 'topic', 'page'],
  'GET /programs/sessions/new': ['topic'],
  'GET /api/v1/attendance': ['occurrenceId'],
};

/** Method + path of every route the app registers (middleware excluded). */
export function registeredRoutes(app: App): { key: string; method: string; path: string }[] {
  const seen = new Set<string>();
  const routes: { key: string; method: string; path: string }[] = [];
  for (const r of inspectRoutes(app)) {
    if (r.isMiddleware || r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ key, method: r.method, path: r.path });
  }
  return routes;
}

/** The path to request for a route: its parameters filled from the rule's fixtures. */
export function concretePath(key: string, rule: Rule, company: DemoCompany): string {
  const fill = (name: string) => {
    const fixture = rule.params?.[name];
    if (!fixture) throw new Error(`${key}: no fixture for :${name}; add one to its ACCESS entry in test/hardening/support/routes.ts.`);
    return encodeURIComponent(String(fixture(company)));
  };
  if (rule.path) return rule.path.replace(/\{(\w+)\}/g, (_, name: string) => fill(name));
  return key.slice(key.indexOf(' ') + 1).replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => fill(name));
}
