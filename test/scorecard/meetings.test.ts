import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { invitations, people } from '../../db/schema';
import { writeTransaction } from '../../src/db';
import { addAgendaItem, removeAgendaItem } from '../../src/events/agenda';
import { eventOccurrences } from '../../src/events/event-occurrences';
import { cancelOccurrence, moveOccurrence } from '../../src/events/occurrence-changes';
import { cancelEvent, createEvent, updateEvent, detailsOf } from '../../src/events/events';
import { invitePeople } from '../../src/events/invitations';
import { updatePerson } from '../../src/people/people';
import { markAttendance } from '../../src/programs/attendance';
import { keptMeetingCounts, keptMeetingCountsOfPage, rebuildScorecardMeetings } from '../../src/scorecard/meetings';
import { recentQuarters } from '../../src/scorecard/signals';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-01-01T08:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email];
const person = (email: string) =>
  t.db
    .select()
    .from(people)
    .where(eq(people.id, id(email)))
    .get()!;
const hr = () => ({ personId: id('hr@example.com') });

/** What the kept tables hold, in a stable order. */
function kept() {
  const all = (sql: string) => t.db.$client.prepare(sql).all();
  return {
    teams: all('SELECT team_id, event_id FROM scorecard_meeting_teams ORDER BY team_id, event_id'),
    occurrences: all('SELECT event_id, original_start, start, "end", held FROM scorecard_meeting_occurrences ORDER BY event_id, original_start'),
    days: all('SELECT team_id, day, started, started_held, crossing, crossing_held FROM scorecard_meeting_days ORDER BY team_id, day'),
    months: all('SELECT team_id, month, started, started_held FROM scorecard_meeting_months ORDER BY team_id, month'),
    hours: all('SELECT team_id, hour, started, started_held FROM scorecard_meeting_hours ORDER BY team_id, hour'),
    teamSets: all('SELECT event_id, hex(teams) AS teams FROM scorecard_meeting_team_sets ORDER BY event_id'),
    rides: all('SELECT team_id, event_id, occurrence_start, person_id FROM scorecard_ride_alongs ORDER BY team_id, event_id, occurrence_start, person_id'),
    pending: all('SELECT event_id FROM scorecard_changes'),
  };
}

/** The scorecard's definition of a pair's meetings, asked of the events, invitations and occurrences directly. */
function fromScratch(teamId: number, liaisonId: number | null, from: Date, to: Date) {
  if (to.getTime() <= from.getTime()) return { expected: 0, held: 0 };
  const row = t.db.$client
    .prepare(
      `WITH pair_meetings AS (
         SELECT e.id FROM events e WHERE e.kind = 'alignment_meeting' AND (e.team_id = @team OR e.host_id = @liaison)
         UNION SELECT e.id FROM people p JOIN events e ON e.host_id = p.id WHERE p.team_id = @team AND e.kind = 'alignment_meeting'
         UNION SELECT i.event_id FROM people p JOIN invitations i ON i.person_id = p.id JOIN events e ON e.id = i.event_id
                WHERE p.team_id = @team AND e.kind = 'alignment_meeting'
       )
       SELECT count(*) AS expected,
              coalesce(sum(EXISTS (SELECT 1 FROM agenda_items a WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start)), 0) AS held
         FROM occurrences o
        WHERE o.event_id IN (SELECT id FROM pair_meetings) AND o.cancelled = 0
          AND o.start < @to AND o."end" > @from`,
    )
    .get({ team: teamId, liaison: liaisonId ?? -1, from: from.getTime(), to: to.getTime() }) as { expected: number; held: number };
  return row;
}

/** After a write: the kept rows equal a rebuild from scratch, and every window reads what the definition says. */
function expectKeptCurrent() {
  const before = kept();
  expect(before.pending).toEqual([]);
  const windows: Array<[Date, Date]> = [
    ...recentQuarters(t.clock.now(), 4).map((q) => [q.start, q.end] as [Date, Date]),
    [new Date('2026-01-01T00:00:00Z'), new Date('2026-03-02T12:00:00Z')],
    [new Date('2026-01-05T10:30:00Z'), new Date('2026-01-19T10:10:00Z')],
    [new Date('2026-01-12T00:00:00Z'), new Date('2026-01-12T23:00:00Z')],
    // Parts of a day: whole hours, and parts of an hour before and after them.
    [new Date('2026-01-12T00:00:00Z'), new Date('2026-01-12T10:20:00Z')],
    [new Date('2026-01-12T09:40:00Z'), new Date('2026-01-12T10:00:00.001Z')],
    [new Date('2026-01-12T10:00:00.001Z'), new Date('2026-01-12T21:59:59.999Z')],
    [new Date('2026-01-13T22:10:00Z'), new Date('2026-01-13T23:30:00.001Z')],
    [new Date('2026-01-19T10:20:00Z'), new Date('2026-01-26T20:05:00Z')],
    [new Date('2026-01-12T14:10:00Z'), new Date('2026-01-12T18:00:00Z')],
    [new Date('2026-01-12T11:00:00Z'), new Date('2026-01-19T14:45:00Z')],
    [new Date('2026-01-13T00:00:00Z'), new Date('2026-04-01T00:00:00Z')],
  ];
  for (const team of Object.values(company.teams)) {
    for (const liaison of [null, id('marketer@example.com')]) {
      for (const [from, to] of windows)
        expect(keptMeetingCounts(t.db, team, liaison, from, to), `team ${team}, ${from.toISOString()}–${to.toISOString()}`).toEqual(
          fromScratch(team, liaison, from, to),
        );
    }
  }
  // A page of the scorecard reads every team and window at once: the same counts.
  const pairs = Object.values(company.teams).flatMap((teamId) => [null, id('marketer@example.com')].map((liaisonId) => ({ teamId, liaisonId })));
  const page = keptMeetingCountsOfPage(
    t.db,
    pairs,
    windows.map(([from, to]) => ({ from: from.getTime(), to: to.getTime() })),
  );
  pairs.forEach((pair, index) =>
    windows.forEach(([from, to], window) =>
      expect(page[index][window], `page: team ${pair.teamId}, ${from.toISOString()}–${to.toISOString()}`).toEqual(
        fromScratch(pair.teamId, pair.liaisonId, from, to),
      ),
    ),
  );
  for (const team of Object.values(company.teams)) {
    const rides = t.db.$client
      .prepare(
        `SELECT a.event_id, a.occurrence_start, a.person_id
           FROM attendance a JOIN events e ON e.id = a.event_id JOIN people p ON p.id = a.person_id
          WHERE e.kind = 'sales_call' AND a.status = 'attended' AND p.department = 'marketing'
            AND (e.team_id = ? OR e.host_id IN (SELECT id FROM people WHERE team_id = ?))
          ORDER BY 1, 2, 3`,
      )
      .all(team, team);
    expect(
      t.db.$client.prepare('SELECT event_id, occurrence_start, person_id FROM scorecard_ride_alongs WHERE team_id = ? ORDER BY 1, 2, 3').all(team),
    ).toEqual(rides);
  }
  writeTransaction(t.db, (tx) => rebuildScorecardMeetings(tx));
  expect(kept()).toEqual(before);
}

function alignmentMeeting(hostEmail: string, extra: { startLocal?: string; durationMinutes?: number } = {}) {
  const host = person(hostEmail);
  return createEvent(t.db, t.clock, { personId: host.id }, host, {
    kind: 'alignment_meeting',
    title: `Alignment by ${host.name}`,
    description: '',
    hostId: host.id,
    startLocal: extra.startLocal ?? '2026-01-05T10:00',
    timeZone: 'UTC',
    durationMinutes: extra.durationMinutes ?? 45,
    seats: 10,
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    account: null,
    opportunityStage: null,
    location: null,
    meetingUrl: null,
    topic: null,
  });
}

describe('kept alignment meetings and ride-alongs of the scorecard', () => {
  it('stay equal to a computation from scratch after every kind of write', () => {
    expectKeptCurrent();
    const marketer = person('marketer@example.com');
    const meeting = alignmentMeeting('marketer@example.com');
    expectKeptCurrent();
    // One running past midnight into the next day.
    const late = alignmentMeeting('rep@example.com', { startLocal: '2026-01-05T20:00', durationMinutes: 8 * 60 });
    expectKeptCurrent();
    // One starting within an hour, read from the part of an hour at either end of a window.
    alignmentMeeting('demand@example.com', { startLocal: '2026-01-05T14:30', durationMinutes: 30 });
    expectKeptCurrent();

    invitePeople(t.db, t.clock, { personId: marketer.id }, marketer, meeting.id, [id('rep@example.com'), id('westrep@example.com')], null);
    expectKeptCurrent();

    const [first, second, third] = eventOccurrences(t.db, meeting, new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
    const item = addAgendaItem(t.db, t.clock, { personId: marketer.id }, marketer, meeting.id, first.originalStart, { title: 'Pipeline', minutes: 15 });
    addAgendaItem(t.db, t.clock, { personId: marketer.id }, marketer, meeting.id, second.originalStart, { title: 'Pipeline', minutes: 15 });
    expectKeptCurrent();
    removeAgendaItem(t.db, t.clock, { personId: marketer.id }, marketer, item.id);
    expectKeptCurrent();

    moveOccurrence(t.db, t.clock, { personId: marketer.id }, marketer, { eventId: meeting.id, originalStart: second.originalStart }, '2026-01-13T23:30');
    expectKeptCurrent();
    expect(kept().days.some((row) => (row as { crossing: number }).crossing > 0)).toBe(true);
    cancelOccurrence(t.db, t.clock, { personId: marketer.id }, marketer, { eventId: meeting.id, originalStart: third.originalStart });
    expectKeptCurrent();

    // The meeting changes host and length: other teams, other instants.
    const admin = person('hr@example.com');
    updateEvent(t.db, t.clock, hr(), admin, meeting.id, { ...detailsOf(meeting), hostId: id('demand@example.com'), durationMinutes: 90 });
    expectKeptCurrent();

    // People move between teams; an invitation goes.
    updatePerson(t.db, t.clock, hr(), id('westrep@example.com'), { teamId: company.teams['Sales East'], managerId: id('sales.manager@example.com') });
    expectKeptCurrent();
    updatePerson(t.db, t.clock, hr(), id('rep@example.com'), { teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') });
    expectKeptCurrent();
    writeTransaction(t.db, (tx) =>
      tx
        .delete(invitations)
        .where(eq(invitations.personId, id('rep@example.com')))
        .run(),
    );
    expectKeptCurrent();

    cancelEvent(t.db, t.clock, hr(), admin, late.id);
    expectKeptCurrent();

    // Ride-alongs: marketers marked on a sales call of Sales East; the host moves; a marketer changes department.
    const rep = person('rep2@example.com');
    const call = createEvent(t.db, t.clock, { personId: rep.id }, rep, {
      kind: 'sales_call',
      title: 'Acme discovery',
      description: '',
      hostId: rep.id,
      startLocal: '2026-01-07T15:00',
      timeZone: 'UTC',
      durationMinutes: 60,
      seats: 3,
      rrule: null,
      account: 'Acme',
      opportunityStage: null,
      location: null,
      meetingUrl: null,
      topic: null,
    });
    expectKeptCurrent();
    t.clock.set('2026-01-08T12:00:00Z');
    const [visit] = eventOccurrences(t.db, call, new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
    markAttendance(t.db, t.clock, { personId: rep.id }, rep, { eventId: call.id, originalStart: visit.originalStart }, [
      { personId: id('marketer@example.com'), status: 'attended', walkIn: true },
      { personId: id('marketer2@example.com'), status: 'attended', walkIn: true },
    ]);
    expectKeptCurrent();
    markAttendance(
      t.db,
      t.clock,
      { personId: rep.id },
      rep,
      { eventId: call.id, originalStart: visit.originalStart },
      [{ personId: id('demand@example.com'), status: 'attended', walkIn: true }],
      [id('marketer2@example.com')],
    );
    expectKeptCurrent();
    updatePerson(t.db, t.clock, hr(), rep.id, { teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') });
    expectKeptCurrent();
    updatePerson(t.db, t.clock, hr(), id('demand@example.com'), {
      department: 'sales',
      teamId: company.teams['Sales West'],
      managerId: id('west.manager@example.com'),
    });
    expectKeptCurrent();
    expect(kept().rides.length).toBeGreaterThan(0);
    // Calling the series off mid-way: what took place stays counted, the rest goes.
    cancelEvent(t.db, t.clock, hr(), admin, meeting.id);
    expectKeptCurrent();
    t.clock.set('2026-03-02T12:00:00Z');
    expectKeptCurrent();
    // Not an empty comparison: the pairs have meetings, some held, some past midnight.
    expect(keptMeetingCounts(t.db, company.teams['Sales West'], null, new Date('2026-01-01T00:00:00Z'), t.clock.now())).toMatchObject({
      expected: expect.any(Number),
    });
    expect(fromScratch(company.teams['Demand Generation'], null, new Date('2026-01-01T00:00:00Z'), t.clock.now()).expected).toBeGreaterThan(0);
  });
});
