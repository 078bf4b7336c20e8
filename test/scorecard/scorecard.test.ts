import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people, scorecardSettings } from '../../db/schema';
import { createApiToken } from '../../src/auth/auth';
import { addAgendaItem } from '../../src/events/agenda';
import { eventOccurrences } from '../../src/events/event-occurrences';
import { createEvent } from '../../src/events/events';
import { appointLiaison } from '../../src/liaisons/liaisons';
import { buildScorecard } from '../../src/scorecard/scorecard';
import { quarterOf, recentQuarters } from '../../src/scorecard/signals';
import { saveAdvantageVersion } from '../../src/surveys/advantages';
import { openRound } from '../../src/surveys/surveys';
import { submitResponse } from '../../src/surveys/answering';
import { latestDecidedEvidenceAt, type KnownRounds } from '../../src/surveys/evidence';
import { createTestApp, seedCompany, sessionAs, withToken, type SeededCompany, type TestContext } from '../support/app';

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

/** A weekly alignment meeting for Sales East hosted by its liaison, with an agenda on `withAgenda` of the occurrences so far. */
function weeklyAlignmentMeeting(withAgenda: number) {
  const host = person('marketer@example.com');
  const meeting = createEvent(t.db, t.clock, { personId: host.id }, host, {
    kind: 'alignment_meeting',
    title: 'Sales East x Product Marketing',
    description: '',
    hostId: host.id,
    startLocal: '2026-01-05T10:00',
    timeZone: 'UTC',
    durationMinutes: 45,
    seats: 10,
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    account: null,
    opportunityStage: null,
    location: null,
    meetingUrl: null,
    topic: null,
  });
  const occurrences = eventOccurrences(t.db, meeting, new Date('2026-01-01T00:00:00Z'), new Date('2026-03-02T12:00:00Z'));
  for (const occurrence of occurrences.slice(0, withAgenda)) {
    addAgendaItem(t.db, t.clock, { personId: host.id }, host, meeting.id, occurrence.originalStart, { title: 'Pipeline review', minutes: 15 });
  }
  return occurrences.length;
}

/** More people in a team, before a round opens so they are asked. */
function addPeople(teamName: string, department: 'sales' | 'marketing', count: number): number[] {
  return Array.from(
    { length: count },
    (_, index) =>
      t.db
        .insert(people)
        .values({
          email: `${teamName.replace(/\W/g, '').toLowerCase()}${index}@example.com`,
          name: `${teamName} member ${index}`,
          department,
          teamId: company.teams[teamName],
          hireDate: '2024-01-15',
        })
        .returning()
        .get().id,
  );
}

function salesEastRow() {
  return buildScorecard(t.db, t.clock.now()).find((row) => row.salesTeamName === 'Sales East')!;
}

describe('quarters', () => {
  it('finds the calendar quarter and the ones before it', () => {
    expect(quarterOf(new Date('2026-03-31T23:59:59Z'))).toMatchObject({
      label: '2026 Q1',
      start: new Date('2026-01-01T00:00:00Z'),
      end: new Date('2026-04-01T00:00:00Z'),
    });
    expect(recentQuarters(new Date('2026-02-10T00:00:00Z'), 4).map((q) => q.label)).toEqual(['2025 Q2', '2025 Q3', '2025 Q4', '2026 Q1']);
  });
});

describe('alignment scorecard', () => {
  it('calls sales teams without contact undisciplined and says what would move them', async () => {
    t.clock.set('2026-03-02T12:00:00Z');
    const rows = buildScorecard(t.db, t.clock.now());
    expect(rows.map((row) => [row.salesTeamName, row.decision.stage])).toEqual([
      ['Sales East', 'undisciplined'],
      ['Sales West', 'undisciplined'],
    ]);
    expect(rows[0].decision.toReachNext[0]).toBe('Appoint a liaison between the sales team and marketing');
    expect(rows[0].trend.map((point) => point.quarter)).toEqual(['2025 Q2', '2025 Q3', '2025 Q4', '2026 Q1']);
  });

  it('counts alignment meetings held on rhythm with an agenda and the liaison: defined', () => {
    appointLiaison(t.db, t.clock, hr(), { personId: id('marketer@example.com'), teamId: company.teams['Sales East'] });
    const occurrences = weeklyAlignmentMeeting(5);
    t.clock.set('2026-03-02T12:00:00Z');
    expect(occurrences).toBe(9);
    const row = salesEastRow();
    expect(row.marketingTeamName).toBe('Product Marketing');
    expect(row.signals).toMatchObject({ alignmentMeetingsExpected: 9, alignmentMeetingsHeld: 5, liaisonAppointed: true });
    expect(row.decision.stage).toBe('defined');
    expect(row.decision.toReachNext).toContain('Hold at least 75% of the expected alignment meetings with an agenda (now 5 of 9 expected)');
    // Sales West has neither.
    expect(buildScorecard(t.db, t.clock.now()).find((r) => r.salesTeamName === 'Sales West')!.decision.stage).toBe('undisciplined');
  });

  it('moves with the thresholds HR sets, and with the shared-mindset match rate of the pair', async () => {
    appointLiaison(t.db, t.clock, hr(), { personId: id('marketer@example.com'), teamId: company.teams['Sales East'] });
    weeklyAlignmentMeeting(8);
    saveAdvantageVersion(t.db, t.clock, hr(), [
      { name: 'Integrations', synonyms: ['api', 'connectors'] },
      { name: 'Best customer support', synonyms: ['support'] },
    ]);
    const added = [...addPeople('Sales East', 'sales', 5), ...addPeople('Product Marketing', 'marketing', 4)];
    const round = openRound(
      t.db,
      t.clock,
      hr(),
      { timeZone: 'UTC' },
      { title: 'Q1', populationKind: 'everyone', teamIds: [], closesOn: '2026-02-01', anonymous: false },
    );
    // A verdict needs evidence: with every answer matched, 3 respondents of the pair's 15 do not decide it, 12 do.
    for (const email of ['rep@example.com', 'rep2@example.com', 'marketer@example.com'])
      submitResponse(t.db, t.clock, { id: id(email) }, round.id, ['api', 'support', 'connectors']);
    t.clock.set('2026-01-15T12:00:00Z');
    expect(salesEastRow().signals.sharedMindsetMatchRate).toBeNull();
    for (const personId of added) submitResponse(t.db, t.clock, { id: personId }, round.id, ['api', 'support', 'connectors']);
    t.clock.set('2026-03-02T12:00:00Z');

    const hrClient = sessionAs(t, 'hr@example.com');
    const form = await hrClient.get('/scorecard/settings');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('value="75"');
    const saved = await hrClient.form('/scorecard/settings', {
      definedRequiresLiaison: 'on',
      definedMeetingShare: '50',
      alignedMeetingShare: '75',
      alignedRideAlongsPerMarketer: '0',
      alignedSalesRepsAtMarketingMeetings: '0',
      alignedFeedbackGiven: '0',
      alignedMatchRate: '75',
      integratedMeetingShare: '90',
      integratedRideAlongsPerMarketer: '2',
      integratedSalesRepsAtMarketingMeetings: '4',
      integratedRotations: '1',
      integratedSuggestionsClosedShare: '60',
    });
    expect(saved.status).toBe(303);
    const row = salesEastRow();
    expect(row.signals.sharedMindsetMatchRate).toBe(1);
    expect(row.decision.stage).toBe('aligned');
    expect(row.decision.nextStage).toBe('integrated');
    const page = await (await hrClient.get('/scorecard')).text();
    expect(page).toContain('Sales East × Product Marketing');
    expect(page).toContain('To reach integrated');
  });

  it("reads a page of pairs' survey evidence together with the same answers as pair by pair", () => {
    saveAdvantageVersion(t.db, t.clock, hr(), [
      { name: 'Integrations', synonyms: ['api', 'connectors'] },
      { name: 'Best customer support', synonyms: ['support'] },
    ]);
    const added = [...addPeople('Sales East', 'sales', 5), ...addPeople('Product Marketing', 'marketing', 4)];
    const east = company.teams['Sales East'];
    const west = company.teams['Sales West'];
    const productMarketing = company.teams['Product Marketing'];
    const round = openRound(
      t.db,
      t.clock,
      hr(),
      { timeZone: 'UTC' },
      { title: 'East only', populationKind: 'teams', teamIds: [east, productMarketing], closesOn: '2026-02-01', anonymous: false },
    );
    for (const email of ['rep@example.com', 'rep2@example.com', 'marketer@example.com'])
      submitResponse(t.db, t.clock, { id: id(email) }, round.id, ['api', 'support', 'connectors']);
    for (const personId of added) submitResponse(t.db, t.clock, { id: personId }, round.id, ['api', 'support', 'connectors']);
    t.clock.set('2026-03-02T12:00:00Z');
    const ats = [new Date('2026-01-01T00:00:00Z'), new Date('2026-03-02T12:00:00Z')];
    const now = t.clock.now();
    const alone = [[east, productMarketing], [west]].map((teams) => latestDecidedEvidenceAt(t.db, teams, ats, now));
    const rounds: KnownRounds = new Map();
    const page = [east, productMarketing, west];
    const together = [[east, productMarketing], [west]].map((teams) => latestDecidedEvidenceAt(t.db, teams, ats, now, undefined, rounds, page));
    expect(together).toEqual(alone);
    expect(alone[0][1]?.roundTitle).toBe('East only');
    expect(alone[0][0]).toBeNull();
    expect(alone[1]).toEqual([null, null]);
  });

  it('refuses thresholds where a higher stage asks for less, and keeps the old ones', async () => {
    t.clock.set('2026-03-02T12:00:00Z');
    const hrClient = sessionAs(t, 'hr@example.com');
    const res = await hrClient.form('/scorecard/settings', {
      definedRequiresLiaison: 'on',
      definedMeetingShare: '80',
      alignedMeetingShare: '75',
      alignedRideAlongsPerMarketer: '1',
      alignedSalesRepsAtMarketingMeetings: '2',
      alignedFeedbackGiven: '3',
      alignedMatchRate: '75',
      integratedMeetingShare: '90',
      integratedRideAlongsPerMarketer: '2',
      integratedSalesRepsAtMarketingMeetings: '4',
      integratedRotations: '1',
      integratedSuggestionsClosedShare: '160',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Enter a percentage from 0 to 100.');
    expect(t.db.select().from(scorecardSettings).all()).toHaveLength(0);
  });

  it('is for HR and managers; the API reports every pair and HR changes thresholds there', async () => {
    t.clock.set('2026-03-02T12:00:00Z');
    expect((await sessionAs(t, 'rep@example.com').get('/scorecard')).status).toBe(403);
    expect((await sessionAs(t, 'sales.manager@example.com').get('/scorecard')).status).toBe(200);
    expect((await sessionAs(t, 'sales.manager@example.com').get('/scorecard/settings')).status).toBe(403);

    const { secret } = createApiToken(t.db, t.clock, { personId: id('hr@example.com') }, 'BI');
    const api = withToken(t.app, secret);
    const body = (await (await api.get('/api/v1/scorecard')).json()) as {
      data: { salesTeamName: string; stage: string; toReachNext: string[]; trend: unknown[] }[];
    };
    expect(body.data.map((row) => [row.salesTeamName, row.stage])).toEqual([
      ['Sales East', 'undisciplined'],
      ['Sales West', 'undisciplined'],
    ]);
    expect(body.data[0].trend).toHaveLength(4);

    const bad = await api.json('PUT', '/api/v1/scorecard/thresholds', { alignedMeetingShare: 0.8, integratedMeetingShare: 0.5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0].path).toBe('integratedMeetingShare');
    const good = await api.json('PUT', '/api/v1/scorecard/thresholds', { definedRequiresLiaison: false, definedMeetingShare: 0 });
    expect(good.status).toBe(200);
    const after = (await (await api.get('/api/v1/scorecard')).json()) as { data: { stage: string }[] };
    expect(after.data.every((row) => row.stage === 'defined')).toBe(true);
  });

  it('shows 25 pairs a page, sales teams by name, so a view costs what it shows', async () => {
    t.clock.set('2026-03-02T12:00:00Z');
    for (let index = 0; index < 30; index++)
      t.db.$client.prepare(`INSERT INTO teams (name, department) VALUES (?, 'sales')`).run(`Sales ${String(index).padStart(2, '0')}`);
    const hrClient = sessionAs(t, 'hr@example.com');
    const first = await (await hrClient.get('/scorecard')).text();
    expect(first.match(/class="card scorecard-pair"/g)).toHaveLength(25);
    expect(first).toContain('Page 1 of 2');
    expect(first).toContain('Sales 00 × Marketing');
    expect(first).not.toContain('Sales West × Marketing');
    const second = await (await hrClient.get('/scorecard?page=2')).text();
    expect(second.match(/class="card scorecard-pair"/g)).toHaveLength(7);
    expect(second).toContain('Sales West × Marketing');
    expect((await hrClient.get('/scorecard?page=0')).status).toBe(400);
  });

  it('escapes the names and texts a pair shows', async () => {
    t.clock.set('2026-03-02T12:00:00Z');
    t.db.$client.prepare(`INSERT INTO teams (name, department) VALUES (?, 'sales')`).run(`<b>"Q&A" sales</b> 'x'`);
    const page = await (await sessionAs(t, 'hr@example.com').get('/scorecard')).text();
    expect(page).toContain('&lt;b&gt;&quot;Q&amp;A&quot; sales&lt;/b&gt; &#39;x&#39; × Marketing');
    expect(page).not.toContain('<b>"Q&A"');
    expect(page).toContain('<span class="tag stage bad">undisciplined</span>');
    expect(page).toContain('<td data-label="Met"><span class="tag bad">not yet</span></td>');
  });
});
