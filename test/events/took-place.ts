/*
 * Scenarios where part of an event has taken place, shared by the tests of changes that must keep
 * the past (calling off, new times). The clock is left just after what took place.
 */
import { and, eq } from 'drizzle-orm';
import { requirementCompletions } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import { requireEvent } from '../../src/events/event-rules';
import { invitePeople } from '../../src/events/invitations';
import { respond } from '../../src/events/answers';
import { occurrenceKey } from '../../src/events/recurrence';
import { submitFeedback } from '../../src/feedback/feedback';
import { zonedLocalToUtc } from '../../src/lib/time';
import { addRequirement, createProgram, createTopic, enrollPeople } from '../../src/programs/index';
import { bookSession, scheduleTrainingSession } from '../../src/programs/sessions';
import { markAttendance } from '../../src/programs/attendance';
import type { TestContext } from '../support/app';
import { personByEmail, salesCall } from '../feedback/scenario';
import { trainingSessionInput } from '../support/programs';

const ny = (local: string) => zonedLocalToUtc(local, 'America/New_York');

/**
 * The weekly Acme call, Tuesdays 09:00 New York from 3 March, six times; the marketer joined the
 * series. 3 March: the marketer attended and reported. 10 March took place too. Now: 12 March.
 */
export function weeklyCallTookPlaceTwice(t: TestContext) {
  const rep = personByEmail(t, 'rep@example.com');
  const marketer = personByEmail(t, 'marketer@example.com');
  const call = salesCall(t, 'rep@example.com', {
    title: 'Weekly Acme call',
    startLocal: '2026-03-03T09:00',
    timeZone: 'America/New_York',
    rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6',
  });
  invitePeople(t.db, t.clock, systemActor, rep, call.id, [marketer.id], null);
  respond(t.db, t.clock, systemActor, marketer, { eventId: call.id, start: null, answer: 'accepted' }, { confirmConflicts: true });
  t.clock.set('2026-03-03T15:30:00Z');
  markAttendance(t.db, t.clock, systemActor, rep, { eventId: call.id, originalStart: ny('2026-03-03T09:00') }, [{ personId: marketer.id, status: 'attended' }]);
  submitFeedback(t.db, t.clock, systemActor, marketer, {
    occurrenceId: occurrenceKey(call.id, ny('2026-03-03T09:00')),
    competitors: ['Hooli CRM'],
    outcome: 'open',
    lossReason: null,
    lossDetail: '',
    materials: [],
    suggestion: '',
  });
  t.clock.set('2026-03-12T12:00:00Z');
  return requireEvent(t.db, call.id);
}

/**
 * A weekly CA 101 training (Wednesdays 10:00 UTC from 4 March, four times) the rep, enrolled in an
 * onboarding program that asks for it, booked and attended on 4 March. Now: 5 March.
 */
export function trainingAttendedOnce(t: TestContext) {
  const rep = personByEmail(t, 'rep@example.com');
  const hr = personByEmail(t, 'hr@example.com');
  const host = personByEmail(t, 'marketing.manager@example.com');
  const topic = createTopic(t.db, t.clock, systemActor, { name: 'Competitive advantages 101', description: '' });
  const program = createProgram(t.db, t.clock, systemActor, { name: 'Sales onboarding', kind: 'onboarding', description: '', dueSoonDays: 7 });
  const requirement = addRequirement(t.db, t.clock, systemActor, program.id, {
    title: 'CA 101',
    kind: 'training',
    topicId: topic.id,
    count: 1,
    dueOffsetDays: 30,
  });
  enrollPeople(t.db, program.id, [rep.id], systemActor, t.clock);
  const session = scheduleTrainingSession(
    t.db,
    t.clock,
    systemActor,
    hr,
    trainingSessionInput({ topicId: topic.id, hostId: host.id, startLocal: '2026-03-04T10:00', rrule: 'FREQ=WEEKLY;COUNT=4', location: 'Room 1' }),
  );
  bookSession(t.db, t.clock, systemActor, rep, session.id, new Date('2026-03-04T10:00:00Z'));
  t.clock.set('2026-03-04T11:30:00Z');
  markAttendance(t.db, t.clock, systemActor, host, { eventId: session.id, originalStart: new Date('2026-03-04T10:00:00Z') }, [
    { personId: rep.id, status: 'attended' },
  ]);
  const completion = () =>
    t.db
      .select()
      .from(requirementCompletions)
      .where(and(eq(requirementCompletions.personId, rep.id), eq(requirementCompletions.requirementId, requirement.id)))
      .get();
  const done = completion();
  t.clock.set('2026-03-05T12:00:00Z');
  return { topic, session: requireEvent(t.db, session.id), host, completion, done };
}
