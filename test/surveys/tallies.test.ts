// The counts survey results read (survey_*_tallies) are kept by triggers in the same transaction as every write to
// participants, responses and answers: after each kind of write they must equal a count made from scratch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { surveyAnswers, surveyParticipants, surveyResponses } from '../../db/schema';
import { saveAdvantageVersion } from '../../src/surveys/advantages';
import { computeRoundResults } from '../../src/surveys/results';
import { SHARED_MINDSET_THRESHOLD } from '../../src/matching/matching';
import { submitResponse } from '../../src/surveys/answering';
import { assignAnswers, rejudgeRound } from '../../src/surveys/review';
import { closeRoundEarly, openRound } from '../../src/surveys/surveys';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { RELAYBASE_ADVANTAGES } from './fixtures/labelled-answers';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email];
const hr = () => ({ personId: id('hr@example.com') });
const official = RELAYBASE_ADVANTAGES.map((advantage) => ({
  key: String(advantage.id),
  name: advantage.name,
  statement: advantage.statement ?? '',
  synonyms: advantage.synonyms,
}));

/** Who was asked and what each respondent's answers came to, summed per round, department (and team) from the rows. */
function groupsFromScratch(team: string[]) {
  const keys = ['round_id', 'department', ...team].join(', ');
  return `SELECT ${keys}, sum(participants) AS participants, sum(respondents) AS respondents, sum(answers) AS answers, sum(matched) AS matched,
         sum(named >= 1) AS named1, sum(named >= 2) AS named2, sum(named >= 3) AS named3,
         sum(answers > 0 AND matched < ${SHARED_MINDSET_THRESHOLD} * answers) AS below FROM (
      SELECT round_id, department, coalesce(team_id, 0) AS team_key, 1 AS participants, 0 AS respondents, 0 AS answers, 0 AS matched, 0 AS named
        FROM survey_participants
      UNION ALL
      SELECT r.round_id, r.department, coalesce(r.team_id, 0), 0, 1, count(a.id), coalesce(sum(a.status = 'matched'), 0),
             count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
        FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id GROUP BY r.id)
    GROUP BY ${keys}`;
}

/** Each kept table beside the same counts made from the rows themselves (the backfill of migration 0017). */
const fromScratch = {
  survey_tallies: `SELECT round_id, department, team_key, answers, matched, named, count(*) AS respondents FROM (
      SELECT r.round_id, r.department, coalesce(r.team_id, 0) AS team_key, count(a.id) AS answers, coalesce(sum(a.status = 'matched'), 0) AS matched,
             count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END) AS named
        FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id GROUP BY r.id)
    GROUP BY round_id, department, team_key, answers, matched, named`,
  survey_recall_tallies: `SELECT round_id, department, advantage_key, count(*) AS respondents FROM (
      SELECT DISTINCT r.id, r.round_id, r.department, a.advantage_key FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id
       WHERE a.status = 'matched' AND a.advantage_key IS NOT NULL)
    GROUP BY round_id, department, advantage_key`,
  survey_unmatched_tallies: `SELECT round_id, normalised, department, count(*) AS answers, sum(assigned_by_id IS NULL) AS unassigned
      FROM survey_answers WHERE status <> 'matched' GROUP BY round_id, normalised, department`,
  // Migration 0078: HR's review queue, the answers waiting for review (not matched, not assigned) per text.
  survey_review_groups: `SELECT round_id, normalised, count(*) AS answers, sum(status = 'doubtful') AS doubtful, max(score_milli) AS score_milli,
      max(advantage_key) AS candidate_key FROM survey_answers WHERE status <> 'matched' AND assigned_by_id IS NULL GROUP BY round_id, normalised`,
  survey_review_texts: `SELECT round_id, normalised, text, count(*) AS answers
      FROM survey_answers WHERE status <> 'matched' AND assigned_by_id IS NULL GROUP BY round_id, normalised, text`,
  survey_review_totals: `SELECT round_id, count(DISTINCT normalised) AS groups, count(*) AS answers
      FROM survey_answers WHERE status <> 'matched' AND assigned_by_id IS NULL GROUP BY round_id`,
  survey_participant_tallies: `SELECT round_id, department, coalesce(team_id, 0) AS team_key, count(*) AS participants
      FROM survey_participants GROUP BY round_id, department, coalesce(team_id, 0)`,
  // Migration 0023: a row per team and per department, "below" by the threshold the code uses.
  survey_team_tallies: groupsFromScratch(['team_key']),
  survey_department_tallies: groupsFromScratch([]),
};
const sorted = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).sort();
function expectKeptCounts(step: string) {
  for (const [table, query] of Object.entries(fromScratch)) {
    const kept = t.db.$client.prepare(`SELECT * FROM ${table}`).all();
    expect(sorted(kept), `${table} after ${step}`).toEqual(sorted(t.db.$client.prepare(query).all()));
  }
}

function openTestRound(title = 'Spring round') {
  return openRound(t.db, t.clock, hr(), { timeZone: 'UTC' }, { title, populationKind: 'everyone', teamIds: [], closesOn: '2026-03-20', anonymous: false });
}
const answer = (email: string, roundId: number, texts: string[]) => submitResponse(t.db, t.clock, { id: id(email) }, roundId, texts);

describe('survey tallies kept by the writes', () => {
  it('equal a count from scratch after every kind of write', () => {
    saveAdvantageVersion(t.db, t.clock, hr(), official, 'first');
    expectKeptCounts('nothing');
    const round = openTestRound();
    expectKeptCounts('opening a round');
    const [first, second, third] = official.map((advantage) => advantage.synonyms[0] ?? advantage.name);
    answer('rep@example.com', round.id, [first, second, 'cheaper than the rest']);
    answer('rep2@example.com', round.id, [first, first, 'nice people']);
    answer('marketer@example.com', round.id, ['Cheaper than the rest!', 'no idea', third]);
    answer('sales.manager@example.com', round.id, ['no idea', 'no idea', 'nice people']);
    expectKeptCounts('first answers');
    answer('rep2@example.com', round.id, [first, second, 'nice people']);
    expectKeptCounts('changing one answer');
    answer('rep@example.com', round.id, ['no idea', 'no idea', 'no idea']);
    expectKeptCounts('changing every answer');
    // The answers still waiting for review, most frequent first: each is assigned another way.
    const waiting = t.db.$client
      .prepare(
        'SELECT normalised FROM survey_unmatched_tallies WHERE round_id = ? AND unassigned > 0 GROUP BY normalised ORDER BY sum(answers) DESC, normalised',
      )
      .pluck()
      .all(round.id) as string[];
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    assignAnswers(t.db, t.clock, hr(), round.id, { normalised: waiting[0], advantageKey: undefined, saveAsSynonym: false });
    expectKeptCounts('assigning answers to no advantage');
    assignAnswers(t.db, t.clock, hr(), round.id, { normalised: waiting[1], advantageKey: official[1].key, saveAsSynonym: false });
    expectKeptCounts('assigning answers to an advantage');
    assignAnswers(t.db, t.clock, hr(), round.id, { normalised: waiting[2], advantageKey: official[0].key, saveAsSynonym: true });
    expectKeptCounts('saving a synonym (new version, round re-scored)');
    saveAdvantageVersion(
      t.db,
      t.clock,
      hr(),
      official.map((advantage, index) => (index === 2 ? { ...advantage, synonyms: [...advantage.synonyms, 'no idea at all'] } : advantage)),
      'more synonyms',
    );
    rejudgeRound(t.db, t.clock, hr(), round.id);
    expectKeptCounts('re-judging against new synonyms');
    const other = openTestRound('Second round');
    answer('rep@example.com', other.id, [first, second, third]);
    expectKeptCounts('a second round');
    closeRoundEarly(t.db, t.clock, hr(), other.id);
    expectKeptCounts('closing a round');
    // Writes no feature makes today, straight to the tables: the triggers keep the counts all the same.
    const response = t.db.select().from(surveyResponses).where(eq(surveyResponses.roundId, round.id)).all()[0];
    t.db.update(surveyResponses).set({ department: 'other', teamId: null }).where(eq(surveyResponses.id, response.id)).run();
    expectKeptCounts('moving a response to another department');
    const oneAnswer = t.db.select().from(surveyAnswers).where(eq(surveyAnswers.responseId, response.id)).all()[0];
    t.db.delete(surveyAnswers).where(eq(surveyAnswers.id, oneAnswer.id)).run();
    expectKeptCounts('deleting an answer');
    t.db.delete(surveyResponses).where(eq(surveyResponses.id, response.id)).run();
    expectKeptCounts('deleting a response with its answers');
    t.db
      .delete(surveyParticipants)
      .where(eq(surveyParticipants.personId, id('marketer@example.com')))
      .run();
    expectKeptCounts('deleting participants');
    t.db.$client.prepare('DELETE FROM survey_rounds WHERE id = ?').run(other.id);
    expectKeptCounts('deleting a round');
  });

  it('over HTTP: an answer sent through the form shows in the results at once, with how many answered', async () => {
    saveAdvantageVersion(t.db, t.clock, hr(), official, 'first');
    const round = openTestRound();
    const before = computeRoundResults(t.db, round.id, t.clock.now()).overall;
    const res = await sessionAs(t, 'rep@example.com').form(`/surveys/${round.id}/answer`, {
      answer1: official[0].synonyms[0] ?? official[0].name,
      answer2: official[1].synonyms[0] ?? official[1].name,
      answer3: 'nice people',
    });
    expect(res.status).toBe(303);
    const after = computeRoundResults(t.db, round.id, t.clock.now()).overall;
    expect([after.respondents, after.answers, after.matched]).toEqual([before.respondents + 1, before.answers + 3, before.matched + 2]);
    const page = await (await sessionAs(t, 'hr@example.com').get(`/surveys/${round.id}`)).text();
    expect(page).toContain(`1 of ${after.participants}`);
    expectKeptCounts('an answer over HTTP');
  });
});
