// HR's review queue reads groups the answer writes keep (survey_review_groups, _texts, _totals, migration 0078). After
// random inserts, changes and deletes of answers, straight to the table (the triggers keep the groups whoever writes),
// the queue must equal the same queue counted from every answer, as it was read before the groups were kept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveAdvantageVersion } from '../../src/surveys/advantages';
import { submitResponse } from '../../src/surveys/answering';
import { reviewQueue } from '../../src/surveys/review';
import { openRound } from '../../src/surveys/surveys';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';
import { RELAYBASE_ADVANTAGES } from './fixtures/labelled-answers';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const hr = () => ({ personId: company.people['hr@example.com']! });

/** The queue as counted from every waiting answer (the read the kept groups replace), with three texts per group. */
function queueFromScratch(roundId: number, limit: number) {
  const rows = t.db.$client
    .prepare(
      `SELECT normalised, count(*) AS n, min(status) AS status, max(score_milli) AS scoreMilli, max(advantage_key) AS candidateKey
         FROM survey_answers WHERE round_id = ? AND status <> 'matched' AND assigned_by_id IS NULL
        GROUP BY normalised ORDER BY n DESC, scoreMilli DESC, normalised`,
    )
    .all(roundId) as { normalised: string; n: number; status: 'doubtful' | 'unmatched'; scoreMilli: number; candidateKey: string | null }[];
  const texts = t.db.$client.prepare(
    `SELECT text FROM survey_answers WHERE round_id = ? AND normalised = ? AND status <> 'matched' AND assigned_by_id IS NULL
      GROUP BY text ORDER BY count(*) DESC, text LIMIT 3`,
  );
  return {
    items: rows.slice(0, limit).map((row) => {
      const examples = texts.pluck().all(roundId, row.normalised) as string[];
      return {
        normalised: row.normalised,
        text: examples[0] ?? '',
        count: row.n,
        status: row.status,
        scoreMilli: row.scoreMilli,
        candidateKey: row.status === 'doubtful' ? row.candidateKey : null,
        examples,
      };
    }),
    total: rows.length,
    answers: rows.reduce((sum, row) => sum + row.n, 0),
  };
}

describe('the review queue', () => {
  it('equals the queue counted from every answer after random writes to the answers', () => {
    const official = RELAYBASE_ADVANTAGES.map((a) => ({ key: String(a.id), name: a.name, statement: a.statement ?? '', synonyms: a.synonyms }));
    saveAdvantageVersion(t.db, t.clock, hr(), official, 'first');
    const rounds = ['Spring', 'Autumn'].map(
      (title) =>
        openRound(t.db, t.clock, hr(), { timeZone: 'UTC' }, { title, populationKind: 'everyone', teamIds: [], closesOn: '2026-03-20', anonymous: false }).id,
    );
    const responders = ['rep@example.com', 'rep2@example.com', 'marketer@example.com'];
    for (const roundId of rounds)
      for (const email of responders) submitResponse(t.db, t.clock, { id: company.people[email]! }, roundId, ['no idea', 'nice people', 'fast']);
    const responses = t.db.$client.prepare('SELECT id, round_id AS roundId, department FROM survey_responses').all() as {
      id: number;
      roundId: number;
      department: string;
    }[];
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    // Few texts and normalised forms, so groups gather many answers and each kind of change meets another answer of its group.
    const normalisedForms = ['no idea', 'nice peopl', 'cheap', 'fast', 'big'];
    const textOf = (normalised: string) => pick([normalised, normalised.toUpperCase(), `${normalised}!`]);
    const statuses = ['matched', 'doubtful', 'unmatched'] as const;
    const keys = [null, null, '1', '2', '3'];
    let position = 10;
    const insert = t.db.$client.prepare(
      `INSERT INTO survey_answers (response_id, round_id, position, text, normalised, advantage_key, score_milli, status, department, assigned_by_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ids = () => t.db.$client.prepare('SELECT id FROM survey_answers').pluck().all() as number[];
    for (let step = 0; step < 400; step++) {
      const action = random();
      if (action < 0.45) {
        const response = pick(responses);
        const normalised = pick(normalisedForms);
        insert.run(
          response.id,
          response.roundId,
          position++,
          textOf(normalised),
          normalised,
          pick(keys),
          Math.floor(random() * 1000),
          pick(statuses),
          response.department,
          random() < 0.1 ? hr().personId : null,
        );
      } else if (action < 0.85) {
        const id = pick(ids());
        const change = Math.floor(random() * 5);
        const normalised = pick(normalisedForms);
        const [column, value] = (
          [
            ['score_milli', Math.floor(random() * 1000)],
            ['status', pick(statuses)],
            ['advantage_key', pick(keys)],
            ['assigned_by_id', random() < 0.5 ? hr().personId : null],
            ['text', textOf(normalised)],
          ] as const
        )[change]!;
        t.db.$client.prepare(`UPDATE survey_answers SET ${column} = ? WHERE id = ?`).run(value, id);
        if (change === 4) t.db.$client.prepare('UPDATE survey_answers SET normalised = ? WHERE id = ?').run(normalised, id);
      } else if (action < 0.97) {
        t.db.$client.prepare('DELETE FROM survey_answers WHERE id = ?').run(pick(ids()));
      } else {
        // One statement changing many answers at once, as an assignment or a re-scoring does.
        const normalised = pick(normalisedForms);
        t.db.$client
          .prepare('UPDATE survey_answers SET score_milli = score_milli / 2, assigned_by_id = ? WHERE normalised = ?')
          .run(random() < 0.5 ? hr().personId : null, normalised);
      }
      for (const roundId of rounds) expect(reviewQueue(t.db, roundId, 3), `step ${step}`).toEqual(queueFromScratch(roundId, 3));
    }
    // The walk met every kind of group: doubtful ones with candidates, and many answers to one text.
    const seen = queueFromScratch(rounds[0]!, 100);
    expect(seen.total).toBeGreaterThan(0);
  });
});
