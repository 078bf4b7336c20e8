// A scorecard page reads each signal for all its pairs and quarters at once, counted in SQLite from the rows the
// writes keep. After each kind of write that moves a signal, the page equals the signals worked out pair by pair and
// quarter by quarter from the source rows themselves (attendance, feedback, people, rotations).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/audit';
import { createEvent } from '../../src/events/events';
import { eventOccurrences } from '../../src/events/event-occurrences';
import { submitFeedback } from '../../src/feedback/feedback';
import { updatePerson } from '../../src/people/people';
import { markAttendance } from '../../src/programs/attendance';
import { createRotationProgram } from '../../src/rotations/programs';
import { RULE_CODES } from '../../src/rotations/rules';
import { scheduleRotation } from '../../src/rotations/scheduling';
import { gatherTrends, recentQuarters, teamPairs, type TeamPair } from '../../src/scorecard/signals';
import { personByEmail, seedRideAlongs } from '../feedback/scenario';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-01-01T08:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email];
const hr = () => ({ personId: id('hr@example.com') });
const count = (sql: string, params: Record<string, unknown>) => (t.db.$client.prepare(sql).get(params) as { n: number }).n;

/** One pair's signals in one quarter, asked of the source rows directly. */
function fromScratch(pair: TeamPair, from: number, until: number) {
  const team = pair.salesTeamId;
  const rides = count(
    `SELECT count(DISTINCT key) AS n FROM (
       SELECT a.event_id || ':' || a.occurrence_start || ':' || a.person_id AS key
         FROM attendance a JOIN events e ON e.id = a.event_id JOIN people p ON p.id = a.person_id
        WHERE e.kind = 'sales_call' AND a.status = 'attended' AND p.department = 'marketing'
          AND (e.team_id = @team OR e.host_id IN (SELECT id FROM people WHERE team_id = @team))
          AND a.occurrence_start >= @from AND a.occurrence_start < @until
       UNION ALL
       SELECT event_id || ':' || occurrence_start || ':' || author_id FROM feedback
        WHERE author_role = 'guest' AND host_team_id = @team AND occurred_at >= @from AND occurred_at < @until)`,
    { team, from, until },
  );
  const marketers =
    pair.marketingTeamId === null
      ? count(`SELECT count(*) AS n FROM people WHERE department = 'marketing' AND active = 1`, {})
      : count(`SELECT count(*) AS n FROM people WHERE department = 'marketing' AND active = 1 AND team_id = @team`, { team: pair.marketingTeamId });
  const first = new Date(from).toISOString().slice(0, 10);
  const last = new Date(until - 1).toISOString().slice(0, 10);
  const rotations = t.db.$client
    .prepare(
      `SELECT r.start_date AS startDate, r.end_date AS endDate FROM rotations r JOIN people p ON p.id = r.person_id JOIN teams host ON host.id = r.host_team_id
        WHERE r.status <> 'cancelled' AND r.start_date <= @last AND r.end_date >= @first
          AND ((p.team_id = @team AND host.department = 'marketing') OR (r.host_team_id = @team AND p.department = 'marketing'))`,
    )
    .all({ team, first, last }) as { startDate: string; endDate: string }[];
  return {
    rideAlongsPerMarketer: marketers ? Math.round((rides / marketers) * 100) / 100 : 0,
    salesRepsAtMarketingMeetings: count(
      `SELECT count(DISTINCT a.person_id) AS n FROM attendance a JOIN people p ON p.id = a.person_id JOIN events e ON e.id = a.event_id
        WHERE p.team_id = @team AND e.kind = 'marketing_meeting' AND a.status = 'attended' AND a.occurrence_start >= @from AND a.occurrence_start < @until`,
      { team, from, until },
    ),
    rotationsCompleted: rotations.filter((r) => r.endDate <= last).length,
    rotationsActive: rotations.filter((r) => r.endDate > last).length,
    feedbackGiven: count(`SELECT count(*) AS n FROM feedback WHERE host_team_id = @team AND occurred_at >= @from AND occurred_at < @until`, {
      team,
      from,
      until,
    }),
  };
}

/** The page's signals of every pair and quarter equal the definition; returns them to check they are not all empty. */
function expectPageEqualsDefinition() {
  const now = t.clock.now();
  const quarters = recentQuarters(now, 4);
  const pairs = teamPairs(t.db, now);
  const page = gatherTrends(t.db, pairs, quarters, now);
  pairs.forEach((pair, index) =>
    quarters.forEach((quarter, q) => {
      const until = Math.min(quarter.end.getTime(), now.getTime());
      expect(page[index][q], `${pair.salesTeamName} ${quarter.label}`).toMatchObject(fromScratch(pair, quarter.start.getTime(), until));
    }),
  );
  return page.flat();
}

describe('a scorecard page of signals', () => {
  it('equals the signals pair by pair after ride-alongs, guest feedback, marketing meetings, rotations and people moving', () => {
    const rides = seedRideAlongs(t);
    expectPageEqualsDefinition();

    // Marketers give feedback on the calls they rode along on (guest feedback counts as a ride-along too).
    for (const occurrenceId of [rides.occurrence.a, rides.occurrence.c17]) {
      submitFeedback(t.db, t.clock, systemActor, personByEmail(t, 'marketer@example.com'), {
        occurrenceId,
        competitors: [],
        outcome: 'open',
        lossReason: null,
        lossDetail: '',
        materials: [],
        suggestion: '',
      });
      expectPageEqualsDefinition();
    }

    // Sales reps at a marketing meeting.
    const marketer = personByEmail(t, 'marketer@example.com');
    const meeting = createEvent(t.db, t.clock, systemActor, marketer, {
      kind: 'marketing_meeting',
      title: 'Launch briefing',
      description: '',
      hostId: marketer.id,
      startLocal: '2026-03-10T10:00',
      timeZone: 'UTC',
      durationMinutes: 60,
      seats: 10,
      rrule: null,
      account: null,
      opportunityStage: null,
      location: null,
      meetingUrl: null,
      topic: 'Product launch',
    });
    const [briefing] = eventOccurrences(t.db, meeting, new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'));
    markAttendance(t.db, t.clock, systemActor, marketer, { eventId: meeting.id, originalStart: briefing.originalStart }, [
      { personId: id('rep@example.com'), status: 'attended', walkIn: true },
      { personId: id('rep2@example.com'), status: 'attended', walkIn: true },
    ]);
    expectPageEqualsDefinition();

    // A rotation of a rep into marketing.
    const program = createRotationProgram(t.db, t.clock, hr(), {
      name: 'Into marketing',
      direction: 'sales_to_marketing',
      lengthWeeks: 2,
      coveragePercent: 100,
      learningGoals: '',
      hostTeams: [{ teamId: company.teams['Product Marketing'], capacity: 5 }],
      checklist: [],
      active: true,
    });
    scheduleRotation(t.db, t.clock, hr(), {
      programId: program.id,
      personId: id('rep2@example.com'),
      hostTeamId: company.teams['Product Marketing'],
      mentorId: null,
      startDate: '2026-03-02',
      endDate: '2026-03-13',
      overrideRules: [...RULE_CODES],
      overrideReason: 'Scorecard test, rules overridden on purpose',
    });
    const signals = expectPageEqualsDefinition();
    // Not an empty comparison: every signal read by the page has something to count.
    expect(signals.some((s) => s.rideAlongsPerMarketer > 0)).toBe(true);
    expect(signals.some((s) => s.salesRepsAtMarketingMeetings === 2)).toBe(true);
    expect(signals.some((s) => s.feedbackGiven > 0)).toBe(true);
    expect(signals.some((s) => s.rotationsCompleted > 0)).toBe(true);

    // A rep moves team: the meeting and the rotation go with them, the calls they hosted too.
    updatePerson(t.db, t.clock, hr(), id('rep2@example.com'), { teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') });
    expectPageEqualsDefinition();
    updatePerson(t.db, t.clock, hr(), id('rep@example.com'), { teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') });
    expectPageEqualsDefinition();
    // Later on: the quarter in progress is counted up to now.
    t.clock.set('2026-05-15T12:00:00Z');
    expectPageEqualsDefinition();
  });
});
