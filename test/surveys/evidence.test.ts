// Verdicts that state their evidence, anonymous rounds that stay anonymous, and caches that belong to their database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people, surveyRounds, teams } from '../../db/schema';
import { createApiToken } from '../../src/auth/auth';
import { buildScorecard } from '../../src/scorecard/scorecard';
import { describeEvidence } from '../../src/scorecard/stage';
import { appointLiaison } from '../../src/liaisons/liaisons';
import { saveAdvantageVersion } from '../../src/surveys/advantages';
import { computeRoundResults, roundOverviews, roundTrend } from '../../src/surveys/results';
import { latestDecidedEvidence } from '../../src/surveys/evidence';
import { loadSurveySettings, saveSurveySettings } from '../../src/surveys/settings';
import { closeRoundEarly, openRound } from '../../src/surveys/surveys';
import { submitResponse } from '../../src/surveys/answering';
import { createTestApp, seedCompany, sessionAs, withToken, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email];
const hr = () => ({ personId: id('hr@example.com') });
const STRONG = ['support', 'api', 'fast setup'];
const WEAK = ['price', 'brand', 'quality'];

function setAdvantages() {
  return saveAdvantageVersion(t.db, t.clock, hr(), [
    { key: 'implementation', name: 'Fastest implementation', synonyms: ['fast setup', 'quick onboarding'] },
    { key: 'support', name: 'Best customer support', synonyms: ['support', 'customer service'] },
    { key: 'integrations', name: 'Integrations', synonyms: ['api', 'connectors'] },
  ]);
}

/** People in a team, added before a round opens so they are asked. */
function addPeople(teamName: string, department: 'sales' | 'marketing', count: number, prefix = teamName): number[] {
  let teamId = company.teams[teamName];
  if (!teamId) {
    teamId = t.db.insert(teams).values({ name: teamName, department }).returning().get().id;
    company.teams[teamName] = teamId;
  }
  return Array.from(
    { length: count },
    (_, index) =>
      t.db
        .insert(people)
        .values({
          email: `${prefix.replace(/\W/g, '').toLowerCase()}${index}@example.com`,
          name: `${prefix} Person ${index}`,
          department,
          teamId,
          hireDate: '2024-01-15',
        })
        .returning()
        .get().id,
  );
}

function open(title: string, options: { anonymous?: boolean; closesOn?: string } = {}) {
  return openRound(
    t.db,
    t.clock,
    hr(),
    { timeZone: 'UTC' },
    { title, populationKind: 'everyone', teamIds: [], closesOn: options.closesOn ?? '2026-03-20', anonymous: options.anonymous ?? false },
  );
}

const respond = (roundId: number, personIds: number[], answers: string[]) =>
  personIds.forEach((personId) => submitResponse(t.db, t.clock, { id: personId }, roundId, answers));

function hrApi() {
  const { secret } = createApiToken(t.db, t.clock, hr(), 'BI');
  return withToken(t.app, secret);
}

describe('a verdict states its evidence', () => {
  it('3 answers of many at 100% are not decided, and say how many more would decide it, in pages and API', async () => {
    setAdvantages();
    const field = addPeople('Field', 'sales', 17);
    const round = open('Spring');
    // 28 asked; 3 answered, every answer matched.
    respond(round.id, field.slice(0, 3), STRONG);
    const results = computeRoundResults(t.db, round.id, t.clock.now());
    expect(results.overall).toMatchObject({ participants: 28, respondents: 3, matchRate: 1, sharedMindset: false });
    // 12 respondents clear 75% at 100%, the 50% floor asks for 14 of 28: 11 more.
    expect(results.overall.verdict).toMatchObject({ code: 'not_decided', answersNeeded: 11, enoughResponses: false, respondentsRequired: 14 });

    const hrClient = sessionAs(t, 'hr@example.com');
    const page = await (await hrClient.get(`/surveys/${round.id}`)).text();
    expect(page).toContain('3 of 28 people answered (11%)');
    expect(page).toContain('not decided yet');
    expect(page).toContain('About 11 more answers at this rate would decide it.');
    const list = await (await hrClient.get('/surveys')).text();
    expect(list).toContain('3 of 28 answered (11%)');
    expect(list).toContain('11 more answers would decide it');

    const api = hrApi();
    const listed = (await (await api.get('/api/v1/surveys')).json()) as { data: Array<Record<string, unknown>> };
    expect(listed.data[0]).toMatchObject({
      respondents: 3,
      participants: 28,
      matchRate: 1,
      sharedMindset: null,
      verdict: { code: 'not_decided', answersNeeded: 11 },
    });
    const apiResults = (await (await api.get(`/api/v1/surveys/${round.id}/results`)).json()) as Record<string, any>;
    expect(apiResults.overall).toMatchObject({ respondents: 3, responseRate: 3 / 28, verdict: { code: 'not_decided', answersNeeded: 11 } });
    expect(apiResults.overall.verdict.interval.low).toBeCloseTo(0.4385, 4);
    expect(apiResults.minResponseRatePercent).toBe(50);

    // Eleven more, all matched: decided.
    respond(round.id, field.slice(3, 14), STRONG);
    const decided = computeRoundResults(t.db, round.id, t.clock.now());
    expect(decided.overall.verdict.code).toBe('shared_mindset');
    expect(decided.overall.sharedMindset).toBe(true);
    const field2 = decided.byTeam.find((cell) => cell.teamName === 'Field')!;
    expect(field2.verdict.code).toBe('shared_mindset');
    // The same rule per team: Sales East has nobody answering.
    const east = decided.byTeam.find((cell) => cell.teamName === 'Sales East')!;
    expect(east).toMatchObject({ respondents: 0, verdict: { code: 'not_decided', interval: null } });
  });

  it('HR raises the minimum response rate in a settings form with field messages', async () => {
    setAdvantages();
    const hrClient = sessionAs(t, 'hr@example.com');
    const form = await hrClient.get('/surveys/settings');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('value="50"');
    const bad = await hrClient.form('/surveys/settings', { minResponseRatePercent: '0', minGroupSize: '2' });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain('At least 1%.');
    expect(badPage).toContain('At least 3: smaller groups cannot stay anonymous.');
    expect(loadSurveySettings(t.db)).toEqual({ minResponseRatePercent: 50, minGroupSize: 5 });
    const saved = await hrClient.form('/surveys/settings', { minResponseRatePercent: '80', minGroupSize: '6' });
    expect(saved.status).toBe(303);
    expect(loadSurveySettings(t.db)).toEqual({ minResponseRatePercent: 80, minGroupSize: 6 });
    expect((await sessionAs(t, 'sales.manager@example.com').get('/surveys/settings')).status).toBe(403);

    const api = hrApi();
    const refused = await api.json('PUT', '/api/v1/surveys/settings', { minResponseRatePercent: 50, minGroupSize: 2 });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string; issues: { path: string }[] } }).error.issues[0].path).toBe('minGroupSize');
    expect(loadSurveySettings(t.db).minGroupSize).toBe(6);
  });

  it('empty states say what is true', async () => {
    setAdvantages();
    const round = open('Nobody yet');
    const page = await (await sessionAs(t, 'hr@example.com').get(`/surveys/${round.id}`)).text();
    expect(page).toContain('No answers yet');
    expect(page).not.toContain('Every answer named an official advantage');
    expect(page).not.toContain('shared mindset</span>');
  });
});

describe('the scorecard takes the latest decided evidence', () => {
  it('an open round does not displace a decided one until it decides', () => {
    setAdvantages();
    appointLiaison(t.db, t.clock, hr(), { personId: id('marketer@example.com'), teamId: company.teams['Sales East'] });
    const east = addPeople('Sales East', 'sales', 9, 'East');
    const marketing = addPeople('Product Marketing', 'marketing', 4, 'PM');
    const pairTeams = [company.teams['Sales East'], company.teams['Product Marketing']];
    t.clock.set('2026-01-05T12:00:00Z');
    const first = open('Winter', { closesOn: '2026-01-20' });
    // 12 of the pair's 19 answer, all matched: decided.
    respond(first.id, [...east, ...marketing.slice(0, 3)], STRONG);
    t.clock.set('2026-02-10T12:00:00Z');
    const second = open('Spring', { closesOn: '2026-03-20' });
    respond(second.id, east.slice(0, 3), WEAK);
    t.clock.set('2026-03-02T12:00:00Z');

    const evidence = latestDecidedEvidence(t.db, pairTeams, t.clock.now(), t.clock.now())!;
    expect(evidence).toMatchObject({ roundTitle: 'Winter', respondents: 12, participants: 19, matchRate: 1, verdict: 'shared_mindset' });
    const row = () => buildScorecard(t.db, t.clock.now()).find((candidate) => candidate.salesTeamName === 'Sales East')!;
    expect(row().signals.sharedMindsetMatchRate).toBe(1);
    expect(describeEvidence(row().signals.sharedMindsetEvidence!)).toBe('12 of 19 answered (63%) in "Winter": shared mindset');

    // The spring round decides (everyone answers weakly): it takes over.
    respond(second.id, [...east.slice(3), ...marketing], WEAK);
    expect(latestDecidedEvidence(t.db, pairTeams, t.clock.now(), t.clock.now())).toMatchObject({
      roundTitle: 'Spring',
      matchRate: 0,
      verdict: 'no_shared_mindset',
    });
    expect(row().signals.sharedMindsetMatchRate).toBe(0);
  });

  it('an anonymous round counts only once closed and when the pair may be described', () => {
    setAdvantages();
    const east = addPeople('Sales East', 'sales', 12, 'East');
    const pm = addPeople('Product Marketing', 'marketing', 6, 'PM');
    const pairTeams = [company.teams['Sales East'], company.teams['Product Marketing']];
    const round = open('Anonymous', { anonymous: true });
    respond(round.id, east, STRONG);
    respond(round.id, pm, STRONG);
    // Demand Generation: two answers, so Product Marketing is hidden too (marketing minus it would give them).
    respond(round.id, [id('demand@example.com'), id('demand.manager@example.com')], STRONG);
    t.clock.set('2026-03-10T12:00:00Z');
    // Open: nothing.
    expect(latestDecidedEvidence(t.db, pairTeams, t.clock.now(), t.clock.now())).toBeNull();
    closeRoundEarly(t.db, t.clock, hr(), round.id);
    // Closed, but Product Marketing may not be described: neither may the pair.
    expect(latestDecidedEvidence(t.db, pairTeams, t.clock.now(), t.clock.now())).toBeNull();
    // Sales East alone may be described.
    expect(latestDecidedEvidence(t.db, [company.teams['Sales East']], t.clock.now(), t.clock.now())).toMatchObject({
      respondents: 12,
      verdict: 'shared_mindset',
    });
  });
});

describe('anonymous rounds are anonymous', () => {
  function anonymousCompany() {
    setAdvantages();
    const field = addPeople('Field A', 'sales', 7, 'FieldA');
    const fieldB = addPeople('Field B', 'sales', 6, 'FieldB');
    const marketers = addPeople('Product Marketing', 'marketing', 3, 'PM');
    const round = open('Anonymous spring', { anonymous: true });
    return { round, field, fieldB, marketers };
  }

  it('an open round shows nothing a before-and-after reading could use', async () => {
    const { round, field, fieldB } = anonymousCompany();
    respond(round.id, field.slice(0, 6), STRONG);
    respond(round.id, fieldB, STRONG);
    const api = hrApi();
    const read = async () => {
      const results = (await (await api.get(`/api/v1/surveys/${round.id}/results`)).json()) as Record<string, any>;
      const listed = (await (await api.get(`/api/v1/surveys/${round.id}`)).json()) as Record<string, any>;
      const page = await (await sessionAs(t, 'sales.manager@example.com').get(`/surveys/${round.id}`)).text();
      return { results, listed, page, trend: roundTrend(t.db, t.clock.now()) };
    };
    const before = await read();
    expect(before.results.overall).toMatchObject({ hidden: 'open_round', matchRate: null, matched: null, answers: null, verdict: null });
    expect(
      before.results.byTeam.every((cell: { hidden: string; respondents: number | null }) => cell.hidden === 'open_round' && cell.respondents === null),
    ).toBe(true);
    expect(before.results.byDepartment.every((cell: { hidden: string }) => cell.hidden === 'open_round')).toBe(true);
    expect(before.results).toMatchObject({ recall: [], sayInstead: [], toReview: null, detailHidden: 'open_round' });
    expect(before.listed).toMatchObject({ matchRate: null, matched: null, toReview: null, verdict: null, hidden: 'open_round' });
    expect(before.page).toContain('results appear only once the round closes');
    expect(before.page).toContain('shown when the round closes');
    expect(before.trend[0]).toMatchObject({ matchRate: null, hidden: 'open_round', byDepartment: { sales: null, marketing: null, other: null } });

    // A colleague answers with words of their own; reading again teaches nothing about them.
    submitResponse(t.db, t.clock, { id: field[6] }, round.id, ['our secret sauce', 'price', 'brand']);
    const after = await read();
    const withoutCount = (value: Record<string, any>) => ({ ...value, overall: { ...value.overall, respondents: null, responseRate: null } });
    expect(withoutCount(after.results)).toEqual(withoutCount(before.results));
    expect({ ...after.listed, respondents: null, responseRate: null }).toEqual({ ...before.listed, respondents: null, responseRate: null });
    expect(after.page).not.toContain('secret sauce');
    expect(after.trend).toEqual(before.trend);

    // Nor do answers, review queue or export leave while it is open.
    for (const path of [`/surveys/${round.id}/review`, `/surveys/${round.id}/export.csv`]) {
      const res = await sessionAs(t, 'hr@example.com').get(path);
      expect(res.status).toBe(409);
      expect(await res.text()).not.toContain('secret sauce');
    }
    const responses = await api.get(`/api/v1/surveys/${round.id}/responses`);
    expect(responses.status).toBe(409);
    expect(((await responses.json()) as { error: { code: string } }).error.code).toBe('anonymous_round_open');
    const assign = await api.json('POST', `/api/v1/surveys/${round.id}/assignments`, { normalised: 'our secret sauce', advantageKey: null });
    expect(assign.status).toBe(409);
  });

  it('once closed: no group under k, no complement, no ids or times, verbatims sorted by text', async () => {
    const { round, field, fieldB, marketers } = anonymousCompany();
    respond(round.id, field, STRONG);
    respond(round.id, fieldB.slice(0, 5), ['support', 'api', 'lowest price']);
    // Sales West: one person, with words only they would write.
    submitResponse(t.db, t.clock, { id: id('westrep@example.com') }, round.id, ['zebra pricing', 'support', 'api']);
    // Five marketers.
    submitResponse(t.db, t.clock, { id: id('marketer@example.com') }, round.id, ['brand', 'support', 'api']);
    submitResponse(t.db, t.clock, { id: id('marketer2@example.com') }, round.id, ['quality', 'support', 'api']);
    respond(round.id, marketers, ['quality', 'support', 'fast setup']);
    t.clock.set('2026-03-21T12:00:00Z');

    const results = computeRoundResults(t.db, round.id, t.clock.now());
    expect(results.minGroupSize).toBe(5);
    const cellOf = (name: string) => results.byTeam.find((cell) => cell.teamName === name)!;
    expect(cellOf('Field A')).toMatchObject({ hidden: null, respondents: 7 });
    expect(cellOf('Sales West')).toMatchObject({ hidden: 'small_group', respondents: 0, answers: 0, matched: 0 });
    // Sales: Field A 7, Field B 5, Sales West 1. West alone could be worked out from Sales minus the others: Field B goes too.
    expect(cellOf('Field B')).toMatchObject({ hidden: 'complement', respondents: 0 });
    // Marketing: Product Marketing 5, Demand Generation none.
    expect(cellOf('Product Marketing')).toMatchObject({ hidden: null, respondents: 5 });
    expect(results.byDepartment.map((cell) => [cell.department, cell.hidden, cell.respondents])).toEqual([
      ['sales', null, 13],
      ['marketing', null, 5],
      ['other', 'small_group', 0],
    ]);
    expect(results.overall).toMatchObject({ hidden: null, respondents: 18 });
    // Verbatims with counts by department, never by team; "zebra pricing" is one answer in a department of 13.
    expect(results.sayInstead.every((group) => group.byDepartment.other === null)).toBe(true);

    const hrClient = sessionAs(t, 'hr@example.com');
    const page = await (await hrClient.get(`/surveys/${round.id}`)).text();
    expect(page).toContain('fewer than 5 answers');
    expect(page).toContain('hidden, so that a group of fewer than 5 cannot be worked out');

    const csv = await (await hrClient.get(`/surveys/${round.id}/export.csv`)).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('department,answer,status,advantage,score,assigned_by_hr');
    const texts = lines.slice(1).map((line) => line.split(',')[1]);
    expect(texts).toEqual([...texts].sort());
    // Departments (each with at least k respondents), never teams.
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0]))).toEqual(new Set(['sales', 'marketing']));

    const api = hrApi();
    const responses = (await (await api.get(`/api/v1/surveys/${round.id}/responses?pageSize=1000`)).json()) as {
      data: Record<string, unknown>[];
      total: number;
    };
    expect(responses.total).toBe(18);
    for (const response of responses.data) expect(Object.keys(response).sort()).toEqual(['answers', 'department']);
    const firstTexts = responses.data.map((response) => (response.answers as { text: string }[]).map((answer) => answer.text).join('\u0000'));
    expect(firstTexts).toEqual([...firstTexts].sort());
    const apiResults = (await (await api.get(`/api/v1/surveys/${round.id}/results`)).json()) as Record<string, any>;
    const west = apiResults.byTeam.find((cell: { teamName: string }) => cell.teamName === 'Sales West');
    expect(west).toMatchObject({ hidden: 'small_group', respondents: null, matchRate: null, verdict: null });
    expect(apiResults.anonymity).toContain('No figure describes fewer than 5 respondents');

    // The review queue may be read now: the round has at least k respondents.
    expect((await hrClient.get(`/surveys/${round.id}/review`)).status).toBe(200);
  });

  it('a closed round with fewer than k respondents keeps its answers too; HR may raise k, a lower k never reaches older rounds', async () => {
    const { round, field } = anonymousCompany();
    respond(round.id, field.slice(0, 4), STRONG);
    t.clock.set('2026-03-21T12:00:00Z');
    const results = computeRoundResults(t.db, round.id, t.clock.now());
    expect(results.overall).toMatchObject({ hidden: 'small_group', respondents: 0 });
    expect(roundOverviews(t.db, t.clock.now())[0].cell.hidden).toBe('small_group');
    const hrClient = sessionAs(t, 'hr@example.com');
    const csv = await hrClient.get(`/surveys/${round.id}/export.csv`);
    expect(csv.status).toBe(409);
    expect(await csv.text()).toContain('fewer than 5 answers');

    // k 3 for new rounds: this one was promised 5 and keeps it.
    saveSurveySettings(t.db, t.clock, hr(), { minResponseRatePercent: 50, minGroupSize: 3 });
    expect(t.db.select().from(surveyRounds).where(eq(surveyRounds.id, round.id)).get()!.minGroupSize).toBe(5);
    expect(computeRoundResults(t.db, round.id, t.clock.now()).overall.hidden).toBe('small_group');
    // Raising k reaches every round at once.
    saveSurveySettings(t.db, t.clock, hr(), { minResponseRatePercent: 50, minGroupSize: 8 });
    expect(computeRoundResults(t.db, round.id, t.clock.now()).minGroupSize).toBe(8);
  });
});

describe('caches belong to their database', () => {
  it('two databases in one process each match against their own advantages', async () => {
    const other = createTestApp({ now: '2026-03-02T12:00:00Z' });
    try {
      const otherCompany = await seedCompany(other.db);
      // Both databases have advantage version 1, with different synonyms.
      saveAdvantageVersion(t.db, t.clock, hr(), [{ key: 'support', name: 'Best customer support', synonyms: ['support'] }]);
      saveAdvantageVersion(other.db, other.clock, { personId: otherCompany.people['hr@example.com'] }, [
        { key: 'price', name: 'Lowest price', synonyms: ['cheapest', 'lowest price'] },
      ]);
      const here = openRound(
        t.db,
        t.clock,
        hr(),
        { timeZone: 'UTC' },
        { title: 'Here', populationKind: 'everyone', teamIds: [], closesOn: '2026-03-20', anonymous: false },
      );
      const there = openRound(
        other.db,
        other.clock,
        { personId: otherCompany.people['hr@example.com'] },
        { timeZone: 'UTC' },
        { title: 'There', populationKind: 'everyone', teamIds: [], closesOn: '2026-03-20', anonymous: false },
      );
      expect(here.advantageVersionId).toBe(there.advantageVersionId);
      const mine = submitResponse(t.db, t.clock, { id: id('rep@example.com') }, here.id, ['support', 'cheapest', 'lowest price']);
      const theirs = submitResponse(other.db, other.clock, { id: otherCompany.people['rep@example.com'] }, there.id, ['support', 'cheapest', 'lowest price']);
      expect(mine.answers.map((answer) => answer.status)).toEqual(['matched', 'unmatched', 'unmatched']);
      expect(theirs.answers.map((answer) => [answer.status, answer.advantageKey])).toEqual([
        ['unmatched', null],
        ['matched', 'price'],
        ['matched', 'price'],
      ]);
      // Results and trend too: each database's own.
      expect(computeRoundResults(t.db, here.id, t.clock.now()).overall.matched).toBe(1);
      expect(computeRoundResults(other.db, there.id, other.clock.now()).overall.matched).toBe(2);
    } finally {
      other.close();
    }
  });
});
