// The navigation's count of survey rounds a person still has to answer reads kept rows (unanswered_rounds) instead of
// every round: after every kind of write that asks, answers, closes or retimes, the kept rows equal the definition
// worked out from scratch, and every person's count equals the count the definition gives, at any instant.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { people } from '../../db/schema';
import { badgeCounts } from '../../src/nav';
import { saveAdvantageVersion } from '../../src/surveys/advantages';
import { submitResponse, unansweredRoundCount } from '../../src/surveys/answering';
import { closeRoundEarly, openRound } from '../../src/surveys/surveys';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';
import { RELAYBASE_ADVANTAGES } from './fixtures/labelled-answers';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email]!;
const hrActor = () => ({ personId: id('hr@example.com') });

const kept = () => t.db.all(sql`SELECT round_id, person_id, opens_at, closes_at FROM unanswered_rounds ORDER BY 1, 2`);
// The definition: a participant without a response in a round not closed early.
const fromScratch = () =>
  t.db.all(sql`
    SELECT r.id AS round_id, sp.person_id, r.opens_at, r.closes_at FROM survey_participants sp JOIN survey_rounds r ON r.id = sp.round_id
    WHERE r.closed_early_at IS NULL AND NOT EXISTS (SELECT 1 FROM survey_responses sr WHERE sr.round_id = r.id AND sr.person_id = sp.person_id)
    ORDER BY 1, 2`);
const definedCount = (personId: number, now: number) =>
  t.db.get<{ n: number }>(sql`
    SELECT count(*) AS n FROM survey_participants sp JOIN survey_rounds r ON r.id = sp.round_id
    WHERE sp.person_id = ${personId} AND r.closed_early_at IS NULL AND r.opens_at <= ${now} AND r.closes_at > ${now}
      AND NOT EXISTS (SELECT 1 FROM survey_responses sr WHERE sr.round_id = r.id AND sr.person_id = ${personId})`)!.n;

/** The kept rows equal the definition; every person's badge (and unansweredRoundCount) equals the defined count now. */
function expectCountsCurrent() {
  expect(kept()).toEqual(fromScratch());
  const now = t.clock.now();
  const everyone = t.db.select().from(people).all();
  const counts = everyone.map((p) => [p.email, badgeCounts(t.db, p, now).surveys ?? 0] as const);
  expect(counts).toEqual(everyone.map((p) => [p.email, definedCount(p.id, now.getTime())]));
  expect(everyone.map((p) => unansweredRoundCount(t.db, p.id, now))).toEqual(counts.map(([, n]) => n));
  return Object.fromEntries(counts.filter(([, n]) => n));
}

function open(title: string, populationKind: 'everyone' | 'department', closesOn: string) {
  return openRound(t.db, t.clock, hrActor(), { timeZone: 'UTC' }, { title, populationKind, department: 'marketing', teamIds: [], closesOn, anonymous: false });
}

describe('kept unanswered-round counts', () => {
  it('equal the definition after opening, answering, answering again, closing early, retiming, deleting and time passing', () => {
    const advantages = RELAYBASE_ADVANTAGES.map((a) => ({ key: String(a.id), name: a.name, statement: a.statement ?? '', synonyms: a.synonyms }));
    saveAdvantageVersion(t.db, t.clock, hrActor(), advantages, 'first');
    expectCountsCurrent();

    const spring = open('Spring round', 'everyone', '2026-03-20');
    const marketing = open('Marketing round', 'department', '2026-03-10');
    const start = expectCountsCurrent();
    expect(start['marketer@example.com']).toBe(2);
    expect(start['rep@example.com']).toBe(1);

    // Answering, then answering again (the response is updated, not added).
    submitResponse(t.db, t.clock, { id: id('marketer@example.com') }, spring.id, ['support', 'api', 'fast setup']);
    expect(expectCountsCurrent()['marketer@example.com']).toBe(1);
    submitResponse(t.db, t.clock, { id: id('marketer@example.com') }, spring.id, ['support', 'api', 'price']);
    expectCountsCurrent();
    submitResponse(t.db, t.clock, { id: id('rep@example.com') }, spring.id, ['support', 'api', 'fast setup']);
    expect(expectCountsCurrent()['rep@example.com']).toBeUndefined();

    // A response removed (as a data correction would), a participant removed, a round retimed and reopened.
    t.db.$client.prepare('DELETE FROM survey_responses WHERE round_id = ? AND person_id = ?').run(spring.id, id('rep@example.com'));
    expect(expectCountsCurrent()['rep@example.com']).toBe(1);
    t.db.$client.prepare('DELETE FROM survey_participants WHERE round_id = ? AND person_id = ?').run(spring.id, id('rep2@example.com'));
    expectCountsCurrent();
    t.db.$client.prepare('UPDATE survey_rounds SET closes_at = closes_at + 86400000, opens_at = opens_at - 3600000 WHERE id = ?').run(marketing.id);
    expectCountsCurrent();

    // Closed early: nobody owes it any more (the marketer has answered the other round).
    expect(expectCountsCurrent()['marketer@example.com']).toBe(1);
    closeRoundEarly(t.db, t.clock, hrActor(), marketing.id);
    expect(expectCountsCurrent()['marketer@example.com']).toBeUndefined();
    t.db.$client.prepare('UPDATE survey_rounds SET closed_early_at = NULL WHERE id = ?').run(marketing.id);
    expect(expectCountsCurrent()['marketer@example.com']).toBe(1);

    // A round deleted with everything of it; then time passing over the rounds' ends.
    const extra = open('Extra round', 'everyone', '2026-04-30');
    expectCountsCurrent();
    t.db.$client.prepare('DELETE FROM survey_rounds WHERE id = ?').run(extra.id);
    expectCountsCurrent();
    for (const at of ['2026-03-11T12:00:00Z', '2026-03-20T23:00:00Z', '2026-03-21T00:00:00Z']) {
      t.clock.set(at);
      expectCountsCurrent();
    }
    expect(expectCountsCurrent()).toEqual({});
  });
});
