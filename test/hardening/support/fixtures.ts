/*
 * Ids in the demo company that the employee (rep@) and the manager (west.manager@) do NOT own:
 * someone else's event, invitation, feedback, rotation … Every route parameter of the access
 * matrix and the page crawl is filled from here.
 */
import { occurrenceKey } from '../../../src/events/recurrence';
import type { DemoCompany } from './company';

export type Fixture = (c: DemoCompany) => string | number;

const REP = "(SELECT id FROM people WHERE email = 'rep@example.com')";
const WEST = "(SELECT id FROM people WHERE email = 'west.manager@example.com')";
/** The employee, the manager and everyone below the manager. */
const ACTORS_AND_REPORTS = `(SELECT ${REP} UNION SELECT ${WEST} UNION SELECT id FROM people WHERE manager_id = ${WEST} OR team_id IN (SELECT id FROM teams WHERE manager_id = ${WEST}))`;
const sql =
  (query: string): Fixture =>
  (c) =>
    c.id(query);

/** A colleague in rep@'s own team: not rep@ themselves, and not below west.manager@. */
export const otherPerson = sql(
  `SELECT id FROM people WHERE role = 'employee' AND id <> ${REP} AND team_id = (SELECT team_id FROM people WHERE id = ${REP}) ORDER BY id LIMIT 1`,
);
export const aTeam = sql('SELECT id FROM teams ORDER BY id LIMIT 1');
/** rep@'s team: not managed by west.manager@. */
export const otherTeam = sql(`SELECT team_id FROM people WHERE id = ${REP}`);
/** Not the token the matrix itself uses. */
export const anApiToken = sql("SELECT id FROM api_tokens WHERE name = 'to be revoked'");
/** The newest audit entry (the demo company's log has many). */
export const anAuditEntry = sql('SELECT max(id) FROM audit_log');

// ── events ──
const foreignEventWhere = `e.host_id NOT IN ${ACTORS_AND_REPORTS} AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.event_id = e.id AND i.person_id IN ${ACTORS_AND_REPORTS}) AND e.status = 'scheduled'`;
/** A future one-off sales call hosted outside the actors' reach, none of them invited. */
export const foreignEvent = sql(
  `SELECT e.id FROM events e WHERE ${foreignEventWhere} AND e.kind = 'sales_call' AND e.rrule IS NULL AND e.span_start > unixepoch() * 1000 ORDER BY e.span_start LIMIT 1`,
);
export const foreignOccurrence: Fixture = (c) => {
  const id = c.id(
    `SELECT e.id FROM events e WHERE ${foreignEventWhere} AND e.kind = 'sales_call' AND e.rrule IS NULL AND e.span_start > unixepoch() * 1000 ORDER BY e.span_start LIMIT 1`,
  );
  return occurrenceKey(id, new Date(c.id('SELECT span_start FROM events WHERE id = ?', id)));
};
export const foreignEventFile: Fixture = (c) => `${foreignEvent(c)}.ics`;
/** An alignment meeting's agenda item / action item, of a meeting hosted outside the actors' reach. */
export const foreignAgendaItem = sql(
  `SELECT a.id FROM agenda_items a JOIN events e ON e.id = a.event_id WHERE e.host_id NOT IN ${ACTORS_AND_REPORTS} ORDER BY a.id LIMIT 1`,
);
export const foreignActionItem = sql(
  `SELECT a.id FROM action_items a JOIN events e ON e.id = a.event_id WHERE e.host_id NOT IN ${ACTORS_AND_REPORTS} AND a.owner_id NOT IN ${ACTORS_AND_REPORTS} ORDER BY a.id LIMIT 1`,
);
/** Someone else's invitation. */
export const foreignInvitation = sql(
  `SELECT i.id FROM invitations i JOIN events e ON e.id = i.event_id WHERE i.person_id NOT IN ${ACTORS_AND_REPORTS} AND e.host_id NOT IN ${ACTORS_AND_REPORTS} ORDER BY i.id LIMIT 1`,
);
/** A claim waiting for approval by a manager who is not west.manager@. */
export const foreignApproval = sql(
  `SELECT i.id FROM invitations i WHERE i.approval_status = 'pending' AND i.person_id NOT IN ${ACTORS_AND_REPORTS} ORDER BY i.id LIMIT 1`,
);

// ── calendar ──
export const foreignFeedFile: Fixture = (c) => `${c.feedTokenOf(Number(otherPerson(c)))}.ics`;

// ── rotations ──
export const aRotationProgram = sql('SELECT id FROM rotation_programs ORDER BY id LIMIT 1');
const foreignRotationWhere = `r.person_id NOT IN ${ACTORS_AND_REPORTS} AND (r.mentor_id IS NULL OR r.mentor_id NOT IN ${ACTORS_AND_REPORTS}) AND r.host_team_id NOT IN (SELECT id FROM teams WHERE manager_id = ${WEST}) AND r.host_team_id <> (SELECT team_id FROM people WHERE id = ${REP})`;
export const foreignRotation = sql(`SELECT r.id FROM rotations r WHERE ${foreignRotationWhere} ORDER BY r.id LIMIT 1`);
export const foreignChecklistItem = sql(
  `SELECT i.id FROM rotation_checklist_items i JOIN rotations r ON r.program_id = i.program_id WHERE ${foreignRotationWhere} ORDER BY r.id, i.id LIMIT 1`,
);
export const aBlackout = sql('SELECT id FROM rotation_blackouts ORDER BY id LIMIT 1');
/** Someone else's own outside calendar (busy times). */
export const foreignBusyCalendar = sql(`SELECT id FROM busy_calendars WHERE person_id NOT IN ${ACTORS_AND_REPORTS} ORDER BY id LIMIT 1`);
export const foreignPeriod = sql(`SELECT id FROM rotation_periods WHERE person_id NOT IN ${ACTORS_AND_REPORTS} ORDER BY id LIMIT 1`);

// ── feedback and insights ──
export const foreignFeedback = sql(`SELECT id FROM feedback WHERE author_id NOT IN ${ACTORS_AND_REPORTS} ORDER BY id LIMIT 1`);
export const foreignFeedbackSuggestion = sql(`SELECT id FROM feedback WHERE author_id NOT IN ${ACTORS_AND_REPORTS} AND suggestion <> '' ORDER BY id LIMIT 1`);

// ── surveys, liaisons ──
export const aSurveyRound = sql('SELECT id FROM survey_rounds ORDER BY id LIMIT 1');
export const aLiaison = sql('SELECT id FROM liaisons ORDER BY id LIMIT 1');
export const aBacklogSuggestion = sql(`SELECT id FROM suggestions WHERE team_id <> (SELECT team_id FROM people WHERE id = ${REP}) ORDER BY id LIMIT 1`);

// ── programs ──
export const aProgram = sql('SELECT id FROM programs ORDER BY id LIMIT 1');
/** A requirement and its program; a rule and its program. */
export const aRequirement = sql('SELECT id FROM program_requirements ORDER BY id LIMIT 1');
export const programWithRequirement = sql('SELECT program_id FROM program_requirements ORDER BY id LIMIT 1');
export const aRule = sql('SELECT id FROM enrollment_rules ORDER BY id LIMIT 1');
export const programWithRule = sql('SELECT program_id FROM enrollment_rules ORDER BY id LIMIT 1');
export const aTrainingSession = sql('SELECT event_id FROM training_sessions ORDER BY event_id LIMIT 1');
export const aTrainingOccurrence: Fixture = (c) => {
  const id = c.id(
    `SELECT t.event_id FROM training_sessions t JOIN events e ON e.id = t.event_id WHERE e.rrule IS NULL AND e.host_id NOT IN ${ACTORS_AND_REPORTS} ORDER BY e.span_start DESC LIMIT 1`,
  );
  return occurrenceKey(id, new Date(c.id('SELECT span_start FROM events WHERE id = ?', id)));
};
export const foreignEnrollment = sql(`SELECT id FROM enrollments WHERE person_id NOT IN ${ACTORS_AND_REPORTS} ORDER BY id LIMIT 1`);
