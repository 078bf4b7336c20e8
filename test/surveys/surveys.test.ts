import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import {
  advantageVersions,
  auditLog,
  enrollments,
  outbox,
  people,
  programs,
  surveyAnswers,
  surveyParticipants,
  surveyResponses,
  surveyRounds,
  teams,
} from '../../db/schema';
import { createApiToken } from '../../src/auth/auth';
import { currentAdvantageVersion, saveAdvantageVersion } from '../../src/surveys/advantages';
import { rateCell, type TeamCell } from '../../src/surveys/tally';
import { computeRoundResults, peopleBelowThreshold, roundTrend } from '../../src/surveys/results';
import { isWeakTeam, pageTeams, rankTeamsWeakestFirst, roundAnswersCsv, roundResultsPage, TEAM_PAGE_SIZE } from '../../src/surveys/presentation';
import { closeRoundEarly, openRound, queueRoundOpenedMails, queueWaitingRoundMails, remindNonRespondents } from '../../src/surveys/surveys';
import { submitResponse, unansweredRoundCount } from '../../src/surveys/answering';
import { addManyTeams, bannerAfter, anonymous, createTestApp, seedCompany, sessionAs, withToken, type SeededCompany, type TestContext } from '../support/app';
import { RELAYBASE_ADVANTAGES } from './fixtures/labelled-answers';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email];
const hrActor = () => ({ personId: id('hr@example.com') });
const officialAdvantages = RELAYBASE_ADVANTAGES.map((advantage) => ({
  key: String(advantage.id),
  name: advantage.name,
  statement: advantage.statement ?? '',
  synonyms: advantage.synonyms,
}));

function setAdvantages() {
  return saveAdvantageVersion(t.db, t.clock, hrActor(), officialAdvantages, 'first');
}

function openTestRound(options: { anonymous?: boolean; title?: string } = {}) {
  return openRound(
    t.db,
    t.clock,
    hrActor(),
    { timeZone: 'UTC' },
    {
      title: options.title ?? 'Spring round',
      populationKind: 'everyone',
      teamIds: [],
      closesOn: '2026-03-20',
      anonymous: options.anonymous ?? false,
    },
  );
}

function answer(email: string, roundId: number, texts: string[]) {
  return submitResponse(t.db, t.clock, { id: id(email) }, roundId, texts);
}

const textOf = async (res: Response) => res.text();

describe('official advantages', () => {
  it('HR and marketing managers keep them in versions; others may not', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const form = {
      name_0: 'Fastest implementation',
      statement_0: 'Live in 30 days.',
      synonyms_0: 'fast setup\nquick onboarding\nfast setup',
      key_0: '',
      name_1: 'Best customer support',
      statement_1: '',
      synonyms_1: 'support',
      key_1: '',
      name_2: '',
      statement_2: '',
      synonyms_2: '',
      key_2: '',
      note: 'first edition',
    };
    const saved = await hr.form('/advantages', form);
    expect(saved.status).toBe(303);
    const version = currentAdvantageVersion(t.db)!;
    expect(version.number).toBe(1);
    expect(version.advantages).toEqual([
      { key: 'fastest-implementation', name: 'Fastest implementation', statement: 'Live in 30 days.', synonyms: ['fast setup', 'quick onboarding'] },
      { key: 'best-customer-support', name: 'Best customer support', statement: '', synonyms: ['support'] },
    ]);

    const marketingManager = sessionAs(t, 'marketing.manager@example.com');
    const page = await marketingManager.get('/advantages');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('fast setup');
    // Keys stay when the form is saved again (recall trends follow them), a removed row is gone.
    const again = await marketingManager.form('/advantages', {
      ...form,
      key_0: 'fastest-implementation',
      key_1: 'best-customer-support',
      remove_1: 'on',
      name_0: 'Fastest go-live',
    });
    expect(again.status).toBe(303);
    expect(currentAdvantageVersion(t.db)!.advantages.map((a) => [a.key, a.name])).toEqual([['fastest-implementation', 'Fastest go-live']]);
    expect(t.db.select({ n: count() }).from(advantageVersions).get()!.n).toBe(2);

    for (const email of ['rep@example.com', 'sales.manager@example.com']) {
      expect((await sessionAs(t, email).get('/advantages')).status).toBe(403);
      expect((await sessionAs(t, email).form('/advantages', form)).status).toBe(403);
    }
  });

  it('refuses an advantage without a name and changes nothing', async () => {
    const res = await sessionAs(t, 'hr@example.com').form('/advantages', { name_0: '', statement_0: 'Something', synonyms_0: 'x', key_0: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Enter a name.');
    expect(currentAdvantageVersion(t.db)).toBeNull();
  });
});

describe('survey rounds', () => {
  it('HR opens a round for a population; everyone asked gets a message', async () => {
    setAdvantages();
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.form('/surveys', {
      title: 'Sales spring check',
      populationKind: 'department',
      department: 'sales',
      closesOn: '2026-03-16',
      anonymous: '',
    });
    expect(res.status).toBe(303);
    const round = t.db.select().from(surveyRounds).get()!;
    expect(round.closesAt.toISOString()).toBe('2026-03-17T00:00:00.000Z');
    const participants = t.db.select().from(surveyParticipants).where(eq(surveyParticipants.roundId, round.id)).all();
    expect(participants.map((p) => p.personId).sort()).toEqual(
      ['sales.manager@example.com', 'west.manager@example.com', 'rep@example.com', 'rep2@example.com', 'westrep@example.com'].map(id).sort(),
    );
    const mail = t.db
      .select()
      .from(outbox)
      .all()
      .filter((m) => m.dedupeKey?.startsWith(`survey-open:${round.id}:`));
    expect(mail).toHaveLength(5);
    expect(mail[0].body).toContain(`/surveys/${round.id}/answer`);
  });

  it('in a company of many teams, the form lists the teams chosen and adds another by name', async () => {
    setAdvantages();
    addManyTeams(t, 120, 'Field Marketing', () => 'marketing');
    const hr = sessionAs(t, 'hr@example.com');
    const blank = await (await hr.get('/surveys/new')).text();
    expect(blank).not.toContain('name="teamIds"');
    expect(blank).toContain('Add a team');
    const form = { title: 'Two teams', populationKind: 'everyone', closesOn: '2026-03-16', anonymous: '' };
    const unknown = await hr.form('/surveys', { ...form, addTeam: '1', teamName: 'Nowhere' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No team is called “Nowhere”.');
    const one = await (await hr.form('/surveys', { ...form, addTeam: '1', teamName: 'sales east' })).text();
    const east = String(company.teams['Sales East']);
    expect([...one.matchAll(/name="teamIds" value="(\d+)"/g)].map((m) => m[1])).toEqual([east]);
    const two = await (await hr.form('/surveys', { ...form, populationKind: 'teams', teamIds: [east], addTeam: '1', teamName: 'Sales West' })).text();
    const west = String(company.teams['Sales West']);
    expect([...two.matchAll(/name="teamIds" value="(\d+)"/g)].map((m) => m[1])).toEqual([east, west]);
    expect(t.db.select({ n: count() }).from(surveyRounds).get()!.n).toBe(0);
    const opened = await hr.form('/surveys', { ...form, populationKind: 'teams', teamIds: [east, west] });
    expect(opened.status).toBe(303);
    const round = t.db.select().from(surveyRounds).get()!;
    const asked = t.db.select().from(surveyParticipants).where(eq(surveyParticipants.roundId, round.id)).all();
    expect(asked.map((p) => p.personId).sort()).toEqual(
      ['sales.manager@example.com', 'west.manager@example.com', 'rep@example.com', 'rep2@example.com', 'westrep@example.com'].map(id).sort(),
    );
  });

  it('shows the form again with messages for a bad round and opens nothing', async () => {
    setAdvantages();
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.form('/surveys', { title: '', populationKind: 'teams', closesOn: '2026-02-30' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Give the round a title.');
    expect(html).toContain('Choose at least one team.');
    const past = await hr.form('/surveys', { title: 'Late', populationKind: 'everyone', closesOn: '2026-03-01' });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain('The closing date has passed.');
    expect(t.db.select({ n: count() }).from(surveyRounds).get()!.n).toBe(0);
    expect((await sessionAs(t, 'sales.manager@example.com').form('/surveys', { title: 'x', populationKind: 'everyone', closesOn: '2026-03-20' })).status).toBe(
      403,
    );
  });

  it('participants answer in the browser form, without seeing the official list, and may change their answers', async () => {
    setAdvantages();
    const round = openTestRound();
    const rep = sessionAs(t, 'rep@example.com');
    const page = await rep.get(`/surveys/${round.id}/answer`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain('Fastest implementation');
    expect(html).not.toContain('plug and play');

    const sent = await rep.form(`/surveys/${round.id}/answer`, { answer1: 'quick setup', answer2: 'Cheapest price', answer3: 'customer suport' });
    expect(sent.status).toBe(303);
    const answers = t.db.select().from(surveyAnswers).orderBy(surveyAnswers.position).all();
    expect(answers.map((a) => [a.text, a.status, a.advantageKey])).toEqual([
      ['quick setup', 'matched', 'implementation'],
      ['Cheapest price', 'unmatched', null],
      ['customer suport', 'matched', 'support'],
    ]);

    const empty = await rep.form(`/surveys/${round.id}/answer`, { answer1: 'x', answer2: '', answer3: 'y' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Write an answer');

    await rep.form(`/surveys/${round.id}/answer`, { answer1: 'quick setup', answer2: 'integrations', answer3: 'customer suport' });
    expect(t.db.select({ n: count() }).from(surveyResponses).get()!.n).toBe(1);
    expect(t.db.select().from(surveyAnswers).where(eq(surveyAnswers.position, 2)).get()!.advantageKey).toBe('integrations');

    // Someone outside the population is refused; after closing nobody can change anything.
    const hrOnly = openRound(
      t.db,
      t.clock,
      hrActor(),
      { timeZone: 'UTC' },
      { title: 'Marketing only', populationKind: 'department', department: 'marketing', teamIds: [], closesOn: '2026-03-20', anonymous: false },
    );
    expect((await rep.get(`/surveys/${hrOnly.id}/answer`)).status).toBe(403);
    t.clock.set('2026-03-21T00:00:00Z');
    const late = await sessionAs(t, 'rep@example.com').form(`/surveys/${round.id}/answer`, { answer1: 'a', answer2: 'b', answer3: 'c' });
    expect(late.status).toBe(409);
    expect(t.db.select().from(surveyAnswers).where(eq(surveyAnswers.position, 1)).get()!.text).toBe('quick setup');
  });

  it('reminds only those who have not answered, once a day, through the outbox', async () => {
    setAdvantages();
    const round = openTestRound();
    answer('rep@example.com', round.id, ['support', 'api', 'fast setup']);
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.form(`/surveys/${round.id}/remind`, {});
    expect(res.status).toBe(303);
    const reminders = () =>
      t.db
        .select()
        .from(outbox)
        .all()
        .filter((m) => m.dedupeKey?.startsWith(`survey-reminder:${round.id}:`));
    expect(reminders()).toHaveLength(10);
    expect(reminders().some((m) => m.toPersonId === id('rep@example.com'))).toBe(false);
    await hr.form(`/surveys/${round.id}/remind`, {});
    expect(reminders()).toHaveLength(10);
    t.clock.advance(86_400_000);
    await sessionAs(t, 'hr@example.com').form(`/surveys/${round.id}/remind`, {});
    expect(reminders()).toHaveLength(20);
  });
});

describe('survey mail for many people, a part at a time', () => {
  const mailOf = (prefix: string) =>
    t.db
      .select()
      .from(outbox)
      .all()
      .filter((m) => m.dedupeKey?.startsWith(prefix));
  const participantsOf = (roundId: number) =>
    t.db
      .select({ personId: surveyParticipants.personId })
      .from(surveyParticipants)
      .where(eq(surveyParticipants.roundId, roundId))
      .all()
      .map((p) => p.personId)
      .sort((a, b) => a - b);
  const dropMail = (keys: string[]) => {
    for (const key of keys) t.db.delete(outbox).where(eq(outbox.dedupeKey, key)).run();
  };

  it('invites every participant once, in parts of any size; a pass after a stop queues only the invitations missing', () => {
    setAdvantages();
    const round = openTestRound();
    const asked = participantsOf(round.id);
    expect(asked.length).toBeGreaterThan(5);
    const invited = () => mailOf(`survey-open:${round.id}:`).map((m) => m.toPersonId!);
    expect(invited().sort((a, b) => a - b)).toEqual(asked);
    expect(mailOf(`survey-open:${round.id}:`)[0]!.body).toContain(`/surveys/${round.id}/answer`);

    // A server stopped after the round opened and before these three were queued: the job's pass queues them, once.
    dropMail(asked.slice(1, 4).map((personId) => `survey-open:${round.id}:${personId}`));
    expect(queueWaitingRoundMails(t.db, t.clock)).toBe(3);
    expect(queueWaitingRoundMails(t.db, t.clock)).toBe(0);
    expect(invited().sort((a, b) => a - b)).toEqual(asked);

    // Parts of two: the same people, each once, whatever part boundaries fall where.
    dropMail(asked.map((personId) => `survey-open:${round.id}:${personId}`));
    expect(queueRoundOpenedMails(t.db, t.clock, round.id, 2)).toBe(asked.length);
    expect(queueRoundOpenedMails(t.db, t.clock, round.id, 2)).toBe(0);
    expect(invited().sort((a, b) => a - b)).toEqual(asked);

    // A round closed early, or opened more than a week ago, is left as it is.
    closeRoundEarly(t.db, t.clock, hrActor(), round.id);
    dropMail([`survey-open:${round.id}:${asked[0]}`]);
    expect(queueWaitingRoundMails(t.db, t.clock)).toBe(0);
    const older = openTestRound({ title: 'Older round' });
    t.clock.advance(8 * 86_400_000);
    t.db
      .update(surveyRounds)
      .set({ closesAt: new Date(t.clock.now().getTime() + 86_400_000) })
      .where(eq(surveyRounds.id, older.id))
      .run();
    dropMail([`survey-open:${older.id}:${asked[0]}`]);
    expect(queueWaitingRoundMails(t.db, t.clock)).toBe(0);
  });

  it('reminds those who have not answered in parts, each once a day, with one audit entry for the whole', () => {
    setAdvantages();
    const round = openTestRound();
    answer('rep@example.com', round.id, ['support', 'api', 'fast setup']);
    const waiting = participantsOf(round.id).filter((personId) => personId !== id('rep@example.com'));
    expect(remindNonRespondents(t.db, t.clock, hrActor(), round.id, 3)).toBe(waiting.length);
    expect(remindNonRespondents(t.db, t.clock, hrActor(), round.id, 3)).toBe(0);
    const reminded = mailOf(`survey-reminder:${round.id}:`).map((m) => m.toPersonId!);
    expect(reminded.sort((a, b) => a - b)).toEqual(waiting);
    const audits = t.db.select().from(auditLog).where(eq(auditLog.action, 'survey_round.remind')).all();
    expect(audits.map((a) => (a.after as { queued: number }).queued)).toEqual([waiting.length, 0]);
    expect(
      t.db
        .select({ n: count() })
        .from(surveyParticipants)
        .where(and(eq(surveyParticipants.roundId, round.id), isNotNull(surveyParticipants.remindedAt)))
        .get()!.n,
    ).toBe(waiting.length);
  });
});

describe('review queue', () => {
  it('assigns identical answers with one click (htmx) and keeps the assignment when the answer stays', async () => {
    setAdvantages();
    const round = openTestRound();
    answer('rep@example.com', round.id, ['they just work', 'price', 'support']);
    answer('rep2@example.com', round.id, ['They just work!', 'cheap', 'api']);
    const hr = sessionAs(t, 'hr@example.com');
    const page = await hr.get(`/surveys/${round.id}/review`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('they just work');
    expect(html).toMatch(/× 2/);

    const normalised = t.db.select().from(surveyAnswers).where(eq(surveyAnswers.text, 'they just work')).get()!.normalised;
    const res = await hr.form(`/surveys/${round.id}/review`, { normalised, advantageKey: 'integrations', saveAsSynonym: '' }, { 'hx-request': 'true' });
    expect(res.status).toBe(200);
    const partial = await res.text();
    expect(partial).toContain('id="review-queue"');
    expect(partial).toContain('2 answers assigned.');
    expect(partial).not.toContain('<html');
    const assigned = t.db.select().from(surveyAnswers).where(eq(surveyAnswers.normalised, normalised)).all();
    expect(assigned.every((a) => a.status === 'matched' && a.advantageKey === 'integrations' && a.assignedById === id('hr@example.com'))).toBe(true);

    // Changing another answer keeps HR's assignment on the unchanged one.
    answer('rep@example.com', round.id, ['they just work', 'lowest price', 'support']);
    expect(t.db.select().from(surveyAnswers).where(eq(surveyAnswers.text, 'they just work')).get()!.assignedById).toBe(id('hr@example.com'));
    // Assigning the same group twice is a conflict shown in the partial.
    const twice = await hr.form(`/surveys/${round.id}/review`, { normalised, advantageKey: 'integrations' }, { 'hx-request': 'true' });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('assigned already');
    expect((await sessionAs(t, 'sales.manager@example.com').get(`/surveys/${round.id}/review`)).status).toBe(403);
  });

  it('saving an assignment as a synonym makes a new version and re-scores the round', async () => {
    setAdvantages();
    const round = openTestRound();
    answer('rep@example.com', round.id, ['white glove service', 'price', 'support']);
    answer('rep2@example.com', round.id, ['white-glove services', 'brand', 'api']);
    answer('westrep@example.com', round.id, ['white glove servise', 'features', 'fast setup']);
    const before = computeRoundResults(t.db, round.id, t.clock.now());
    expect(before.overall.matched).toBe(3);

    const hr = sessionAs(t, 'hr@example.com');
    const target = t.db.select().from(surveyAnswers).where(eq(surveyAnswers.text, 'white glove service')).get()!;
    const res = await hr.form(`/surveys/${round.id}/review`, { normalised: target.normalised, advantageKey: 'support', saveAsSynonym: 'on' });
    expect(res.status).toBe(303);
    const version = currentAdvantageVersion(t.db)!;
    expect(version.number).toBe(2);
    expect(version.advantages.find((a) => a.key === 'support')!.synonyms).toContain('white glove service');
    const after = t.db.select().from(surveyRounds).where(eq(surveyRounds.id, round.id)).get()!;
    expect(after.advantageVersionId).toBe(version.id);
    // "white-glove services" reads the same once normalised, so the one click assigned it too; the typo was
    // re-scored against the new synonym and matched without HR touching it.
    const variants = t.db
      .select()
      .from(surveyAnswers)
      .where(and(eq(surveyAnswers.roundId, round.id), eq(surveyAnswers.position, 1)))
      .all();
    expect(variants.map((a) => [a.text, a.status, a.advantageKey, a.assignedById !== null])).toEqual([
      ['white glove service', 'matched', 'support', true],
      ['white-glove services', 'matched', 'support', true],
      ['white glove servise', 'matched', 'support', false],
    ]);
    expect(computeRoundResults(t.db, round.id, t.clock.now()).overall.matched).toBe(6);
  });
});

describe('results', () => {
  it('at exactly 75% no number of answers decides; figures per department, recall and what people say instead', async () => {
    setAdvantages();
    const round = openTestRound();
    // 4 responses x 3 answers = 12 answers; 9 matched = 75%.
    answer('rep@example.com', round.id, ['support', 'api', 'fast setup']);
    answer('rep2@example.com', round.id, ['support', 'api', 'fast setup']);
    answer('westrep@example.com', round.id, ['support', 'api', 'fast setup']);
    answer('marketer@example.com', round.id, ['price', 'brand', 'quality']);
    let results = computeRoundResults(t.db, round.id, t.clock.now());
    expect(results.overall.matchRate).toBe(0.75);
    // The interval around exactly 75% always contains 75%: four answers (or four thousand) cannot decide it.
    expect(results.overall.sharedMindset).toBe(false);
    expect(results.overall.verdict).toMatchObject({ code: 'not_decided', cannotDecide: true, answersNeeded: null });
    expect(results.overall.namedAllShare).toBe(0.75);
    const page = await sessionAs(t, 'hr@example.com').get(`/surveys/${round.id}`);
    const html = await page.text();
    expect(html).toContain('not decided yet');
    expect(html).toContain('4 of 11 people answered');

    answer('marketer2@example.com', round.id, ['support', 'api', 'quality']);
    results = computeRoundResults(t.db, round.id, t.clock.now());
    expect(results.overall.matched / results.overall.answers).toBeCloseTo(11 / 15);
    expect(results.overall.sharedMindset).toBe(false);
    const marketing = results.byDepartment.find((d) => d.department === 'marketing')!;
    expect(marketing).toMatchObject({ respondents: 2, answers: 6, matched: 2, sharedMindset: false });
    expect(results.recall.map((r) => [r.key, r.respondents])).toEqual([
      ['implementation', 3],
      ['support', 4],
      ['integrations', 4],
    ]);
    const instead = results.sayInstead.find((g) => g.label === 'quality')!;
    expect(instead).toMatchObject({ count: 2, byDepartment: { sales: 0, marketing: 2, other: 0 } });
  });

  it('shows results to HR and managers only, and exports CSV for HR', async () => {
    setAdvantages();
    const round = openTestRound();
    answer('rep@example.com', round.id, ['support', '=HYPERLINK("x")', 'fast setup']);
    expect((await sessionAs(t, 'rep@example.com').get(`/surveys/${round.id}`)).status).toBe(403);
    expect((await sessionAs(t, 'sales.manager@example.com').get(`/surveys/${round.id}`)).status).toBe(200);
    const csv = await sessionAs(t, 'hr@example.com').get(`/surveys/${round.id}/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const body = await csv.text();
    expect(body.split('\r\n')[0]).toBe('response,name,email,department,team,position,answer,status,advantage,score,assigned_by_hr');
    expect(body).toContain('rep@example.com');
    expect(body).toContain(`"'=HYPERLINK(""x"")"`);
    expect((await sessionAs(t, 'sales.manager@example.com').get(`/surveys/${round.id}/export.csv`)).status).toBe(403);
    // Read a few lines a part, the file is the same.
    answer('rep2@example.com', round.id, ['price', 'api', 'support']);
    answer('westrep@example.com', round.id, ['support', 'brand', 'features']);
    await expectSameInParts(round.id, 9);
  });

  /** The export read `n` lines a part, for n from 1, is the file read in one part. */
  async function expectSameInParts(roundId: number, lines: number) {
    const whole = await new Response(roundAnswersCsv(t.db, roundId, t.clock.now(), 10_000)).text();
    expect(whole.trim().split('\r\n')).toHaveLength(lines + 1);
    for (const n of [1, 2, 3, 5]) expect(await new Response(roundAnswersCsv(t.db, roundId, t.clock.now(), n)).text()).toBe(whole);
    return whole;
  }

  it('exports an anonymous round in the order of what its lines show, the same read a part at a time', async () => {
    setAdvantages();
    const others = Array.from(
      { length: 5 },
      (_, index) =>
        t.db
          .insert(people)
          .values({ email: `other${index}@example.com`, name: `Oscar Other ${index}`, department: 'marketing', hireDate: '2024-01-15' })
          .returning()
          .get().id,
    );
    const round = openTestRound({ anonymous: true });
    for (const email of ['rep@example.com', 'rep2@example.com', 'westrep@example.com']) answer(email, round.id, ['support', 'api', 'price']);
    for (const personId of others) submitResponse(t.db, t.clock, { id: personId }, round.id, ['support', 'api', 'fast setup']);
    t.clock.set('2026-03-21T12:00:00Z');
    const file = (await expectSameInParts(round.id, 24)).trim().split('\r\n');
    const cells = file.slice(1).map((line) => line.split(','));
    // By answer text, then department; the order people answered in never shows.
    const key = (c: string[]) => `${c[1]}\u0000${c[0]}`;
    expect(cells.map(key)).toEqual(cells.map(key).sort());
    expect(cells.filter((c) => c[1] === 'support')).toHaveLength(8);
  });

  it('keeps an anonymous round free of names in pages, export and API', async () => {
    setAdvantages();
    const fieldTeam = t.db.insert(teams).values({ name: 'Field A', department: 'sales' }).returning().get().id;
    const field = Array.from(
      { length: 6 },
      (_, index) =>
        t.db
          .insert(people)
          .values({ email: `fielda${index}@example.com`, name: `Fiona Field ${index}`, department: 'sales', teamId: fieldTeam, hireDate: '2024-01-15' })
          .returning()
          .get().id,
    );
    const round = openTestRound({ anonymous: true });
    answer('rep@example.com', round.id, ['support', 'price', 'fast setup']);
    answer('rep2@example.com', round.id, ['api', 'cheap', 'fast setup']);
    answer('westrep@example.com', round.id, ['support', 'api', 'brand']);
    for (const personId of field) submitResponse(t.db, t.clock, { id: personId }, round.id, ['support', 'api', 'fast setup']);
    t.clock.set('2026-03-21T12:00:00Z');
    const hr = sessionAs(t, 'hr@example.com');
    const { secret } = createApiToken(t.db, t.clock, { personId: id('hr@example.com') }, 'BI');
    const api = withToken(t.app, secret);
    const bodies = [
      await (await hr.get(`/surveys/${round.id}`)).text(),
      await (await hr.get(`/surveys/${round.id}/review`)).text(),
      await (await hr.get(`/surveys/${round.id}/export.csv`)).text(),
      await (await api.get(`/api/v1/surveys/${round.id}/responses`)).text(),
      await (await api.get(`/api/v1/surveys/${round.id}/results`)).text(),
    ];
    for (const body of bodies) {
      for (const name of ['Rita Rep', 'Ravi Rep', 'Wanda Westrep', 'rep@example.com', 'westrep@example.com', 'Fiona Field']) expect(body).not.toContain(name);
    }
    const responses = JSON.parse(bodies[3]) as { data: Record<string, unknown>[] };
    expect(responses.data).toHaveLength(9);
    expect(responses.data.every((r) => !('personId' in r) && !('teamId' in r) && !('id' in r) && !('submittedAt' in r))).toBe(true);
    // A team with fewer than k (5) respondents shows no figures, nor the one that would give it away by subtraction.
    const results = JSON.parse(bodies[4]) as { byTeam: { teamName: string; hidden: string | null; respondents: number | null }[] };
    expect(results.byTeam.find((team) => team.teamName === 'Sales West')).toMatchObject({ hidden: 'small_group', respondents: null });
    expect(results.byTeam.find((team) => team.teamName === 'Field A')).toMatchObject({ hidden: 'complement', respondents: null });
    // People cannot be picked out for enrollment either.
    const programId = t.db
      .insert(programs)
      .values({ name: 'Advantages refresher', kind: 'review', rrule: 'FREQ=MONTHLY;INTERVAL=3', anchorDate: '2026-01-01' })
      .returning()
      .get().id;
    const enroll = await hr.form(`/surveys/${round.id}/enroll`, { scope: 'people', programId });
    expect(enroll.status).toBe(403);
    expect(t.db.select({ n: count() }).from(enrollments).get()!.n).toBe(0);
  });
});

describe('closing the loop', () => {
  it('enrolls everyone below the threshold, or a whole team, in a review program', async () => {
    setAdvantages();
    const round = openTestRound();
    answer('rep@example.com', round.id, ['support', 'api', 'fast setup']);
    answer('rep2@example.com', round.id, ['support', 'price', 'fast setup']);
    answer('westrep@example.com', round.id, ['price', 'brand', 'features']);
    const programId = t.db
      .insert(programs)
      .values({ name: 'Advantages refresher', kind: 'review', rrule: 'FREQ=MONTHLY;INTERVAL=3', anchorDate: '2026-01-01' })
      .returning()
      .get().id;
    const hr = sessionAs(t, 'hr@example.com');
    const page = await (await hr.get(`/surveys/${round.id}`)).text();
    expect(page).toContain('Enroll 2 below threshold');
    expect(page).toContain('Advantages refresher');

    const res = await hr.form(`/surveys/${round.id}/enroll`, { scope: 'people', programId });
    expect(res.status).toBe(303);
    expect(await bannerAfter(hr, res)).toContain('2 enrolled');
    const enrolled = () =>
      t.db
        .select({ personId: enrollments.personId })
        .from(enrollments)
        .where(eq(enrollments.programId, programId))
        .all()
        .map((e) => e.personId)
        .sort();
    expect(enrolled()).toEqual([id('rep2@example.com'), id('westrep@example.com')].sort());

    await hr.form(`/surveys/${round.id}/enroll`, { scope: 'team', teamId: company.teams['Sales West'], programId });
    expect(enrolled()).toEqual([id('rep2@example.com'), id('westrep@example.com'), id('west.manager@example.com')].sort());
    expect((await sessionAs(t, 'sales.manager@example.com').form(`/surveys/${round.id}/enroll`, { scope: 'people', programId })).status).toBe(403);
  });
});

describe('surveys API', () => {
  it('opens rounds, takes responses and reports results with the error shape on bad input', async () => {
    const { secret } = createApiToken(t.db, t.clock, { personId: id('hr@example.com') }, 'HRIS');
    const api = withToken(t.app, secret);
    const put = await api.json('PUT', '/api/v1/advantages', { advantages: officialAdvantages.map(({ key, ...rest }) => ({ key, ...rest })), note: 'via API' });
    expect(put.status).toBe(201);
    expect(((await (await api.get('/api/v1/advantages')).json()) as { current: { number: number } }).current.number).toBe(1);

    const bad = await api.json('POST', '/api/v1/surveys', { title: '', populationKind: 'teams', closesOn: 'soon', extra: true });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid');
    expect(t.db.select({ n: count() }).from(surveyRounds).get()!.n).toBe(0);

    const created = await api.json('POST', '/api/v1/surveys', {
      title: 'API round',
      populationKind: 'teams',
      teamIds: [company.teams['Sales East']],
      closesOn: '2026-03-31',
    });
    expect(created.status).toBe(201);
    const round = (await created.json()) as { id: number; participants: number; status: string };
    expect(round).toMatchObject({ participants: 3, status: 'open' });

    const rep = sessionAs(t, 'rep@example.com');
    const wrong = await rep.json('POST', `/api/v1/surveys/${round.id}/responses`, { answers: ['one', 'two'] });
    expect(wrong.status).toBe(400);
    const response = await rep.json('POST', `/api/v1/surveys/${round.id}/responses`, { answers: ['Integrations', 'fast implementation', 'price'] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { answers: { status: string; advantageKey: string | null }[] };
    expect(body.answers.map((a) => a.advantageKey)).toEqual(['integrations', 'implementation', null]);
    expect((await sessionAs(t, 'westrep@example.com').json('POST', `/api/v1/surveys/${round.id}/responses`, { answers: ['a', 'b', 'c'] })).status).toBe(403);

    const list = (await (await api.get('/api/v1/surveys')).json()) as { data: { id: number; matchRate: number }[] };
    expect(list.data[0]).toMatchObject({ id: round.id, matchRate: 2 / 3 });
    const responses = (await (await api.get(`/api/v1/surveys/${round.id}/responses`)).json()) as { data: { personId: number }[]; total: number };
    expect(responses).toMatchObject({ total: 1, data: [{ personId: id('rep@example.com') }] });
    const results = (await (await api.get(`/api/v1/surveys/${round.id}/results`)).json()) as {
      overall: { matchRate: number };
      sayInstead: { label: string }[];
    };
    expect(results.overall.matchRate).toBeCloseTo(2 / 3);
    expect(results.sayInstead[0].label).toBe('price');

    const price = t.db.select().from(surveyAnswers).where(eq(surveyAnswers.text, 'price')).get()!;
    const assigned = await api.json('POST', `/api/v1/surveys/${round.id}/assignments`, { normalised: price.normalised, advantageKey: null });
    expect(((await assigned.json()) as { assigned: number }).assigned).toBe(1);

    expect((await anonymous(t.app).get('/api/v1/surveys')).status).toBe(401);
    expect((await rep.get('/api/v1/surveys')).status).toBe(403);
    const openapi = (await (await api.get('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/advantages', '/api/v1/surveys', '/api/v1/surveys/{id}/responses', '/api/v1/surveys/{id}/results', '/api/v1/scorecard'])
      expect(openapi.paths).toHaveProperty([path]);
  });
});

describe('surveys list and navigation', () => {
  it('shows people their open rounds with a badge, and HR the rounds and the trend', async () => {
    setAdvantages();
    const first = openTestRound({ title: 'Round one' });
    answer('rep@example.com', first.id, ['support', 'price', 'brand']);
    t.clock.set('2026-03-25T12:00:00Z');
    openRound(
      t.db,
      t.clock,
      hrActor(),
      { timeZone: 'UTC' },
      { title: 'Round two', populationKind: 'everyone', teamIds: [], closesOn: '2026-04-10', anonymous: false },
    );
    const repPage = await textOf(await sessionAs(t, 'rep@example.com').get('/surveys'));
    expect(repPage).toContain('Round two');
    expect(repPage).toContain('waiting for your answers');
    // The navigation badge counts open rounds not answered yet.
    expect(unansweredRoundCount(t.db, id('rep@example.com'), t.clock.now())).toBe(1);
    expect(unansweredRoundCount(t.db, id('rep@example.com'), new Date('2026-03-10T00:00:00Z'))).toBe(0);
    expect(repPage).not.toContain('Match rate across rounds');
    const hrPage = await textOf(await sessionAs(t, 'hr@example.com').get('/surveys'));
    expect(hrPage).toContain('Round one');
    expect(hrPage).toContain('Match rate across rounds');
    expect(hrPage).toContain('<svg');
  });
});

describe('the By-team table at many teams', () => {
  // Answers that match 3, 2, 1 or 0 of the official advantages.
  const ANSWERS_BY_MATCHED = [
    ['price', 'brand', 'quality'],
    ['support', 'brand', 'quality'],
    ['support', 'api', 'quality'],
    ['support', 'api', 'fast setup'],
  ];

  /**
   * `count` new teams (team `index`, from 1: its name, department and size) whose people all answer an open round: the
   * n-th person of the team in position p answers ANSWERS_BY_MATCHED[(p + n) % 4], so the teams' match rates differ.
   */
  function roundOfAnsweringTeams(count: number, team: (index: number) => { name: string; department: 'sales' | 'marketing'; size: number }) {
    const members: number[][] = [];
    for (let index = 1; index <= count; index++) {
      const { name, department, size } = team(index);
      const teamId = t.db.insert(teams).values({ name, department }).returning().get().id;
      members.push(
        Array.from(
          { length: size },
          (_, member) =>
            t.db
              .insert(people)
              .values({ email: `t${index}.${member}@example.com`, name: `${name}.${member}`, department, teamId, hireDate: '2024-01-15' })
              .returning()
              .get().id,
        ),
      );
    }
    const round = openTestRound();
    members.forEach((ids, index) => ids.forEach((id, member) => submitResponse(t.db, t.clock, { id }, round.id, ANSWERS_BY_MATCHED[(index + member) % 4])));
    return round;
  }

  /** Teams "Field 01".. with one sales rep each, added before the round opens so they are asked. */
  function addFieldTeams(count: number) {
    const added: { teamId: number; personId: number; name: string }[] = [];
    for (let index = 1; index <= count; index++) {
      const name = `Field ${String(index).padStart(2, '0')}`;
      const teamId = t.db.insert(teams).values({ name, department: 'sales' }).returning().get().id;
      const personId = t.db
        .insert(people)
        .values({ email: `field${index}@example.com`, name: `Field Rep ${index}`, department: 'sales', teamId, hireDate: '2024-01-15' })
        .returning()
        .get().id;
      added.push({ teamId, personId, name });
    }
    return added;
  }

  function roundWithFieldTeams() {
    setAdvantages();
    const field = addFieldTeams(30);
    const round = openTestRound();
    field.forEach((member, index) => submitResponse(t.db, t.clock, { id: member.personId }, round.id, ANSWERS_BY_MATCHED[index % 4]));
    answer('rep@example.com', round.id, ANSWERS_BY_MATCHED[3]);
    answer('westrep@example.com', round.id, ANSWERS_BY_MATCHED[0]);
    const programId = t.db
      .insert(programs)
      .values({ name: 'Advantages refresher', kind: 'review', rrule: 'FREQ=MONTHLY;INTERVAL=3', anchorDate: '2026-01-01' })
      .returning()
      .get().id;
    return { round, field, programId };
  }

  const teamSection = (page: string) => page.slice(page.indexOf('<div id="team-results">'), page.indexOf('</nav>', page.indexOf('<div id="team-results">')));
  const rowsOf = (html: string) => [...html.matchAll(/<tr><th scope="row" data-label="Team">([^<]+) <span/g)].map((match) => match[1]);
  const ratesOf = (html: string) => [...html.matchAll(/data-label="Match rate">(\d+)%/g)].map((match) => Number(match[1]));

  it('shows the weakest teams first, 25 a page, with one enroll form, as a full page and as an htmx partial', async () => {
    const { round } = roundWithFieldTeams();
    const hr = sessionAs(t, 'hr@example.com');
    const page = await (await hr.get(`/surveys/${round.id}`)).text();
    const first = teamSection(page);
    // 30 field teams and the 6 teams of the company (4 teams, HR's "No team (other)")
    const total = computeRoundResults(t.db, round.id, t.clock.now()).byTeam.length;
    expect(rowsOf(first)).toHaveLength(TEAM_PAGE_SIZE);
    const rates = ratesOf(first);
    expect(rates).toEqual([...rates].sort((left, right) => left - right));
    expect(rates[0]).toBe(0);
    expect(first).toContain(`Page 1 of 2 · ${total} in all`);
    expect(first).toContain(
      `<a href="/surveys/${round.id}?teamPage=2#teams-heading" rel="next" hx-get="/surveys/${round.id}?teamPage=2#teams-heading" hx-target="#team-results"`,
    );

    // One form for the whole table: a checkbox per weak team, the CSRF field, the program and the button once.
    expect(page.match(/name="scope" value="team"/g)).toHaveLength(1);
    // Every team on the page with figures below 75% (not decided as a shared mindset) gets a checkbox.
    const weakOnPage = pageTeams(rankTeamsWeakestFirst(computeRoundResults(t.db, round.id, t.clock.now()).byTeam), 1).rows.filter(isWeakTeam).length;
    expect(weakOnPage).toBeGreaterThan(0);
    expect(page.match(/name="teamIds"/g)!.length).toBe(weakOnPage);
    expect(page.match(/Enroll selected teams in review/g)).toHaveLength(1);
    expect(page.match(/name="_csrf"/g)!.length).toBeLessThanOrEqual(6);
    expect(page).not.toContain('name="teamId"');

    // htmx asks for page 2 and gets just the table: the rest of the teams, strongest last.
    const partial = await (await hr.get(`/surveys/${round.id}?teamPage=2`, { 'hx-request': 'true' })).text();
    expect(partial.startsWith('<div id="team-results">')).toBe(true);
    expect(partial).not.toContain('<html');
    expect(partial).toContain(`Page 2 of 2 · ${total} in all`);
    expect(rowsOf(partial)).toHaveLength(total - TEAM_PAGE_SIZE);
    expect(Math.min(...ratesOf(partial))).toBeGreaterThanOrEqual(Math.max(...rates));
    expect(partial).toContain('name="teamPage" value="2"');
    expect(new Set([...rowsOf(first), ...rowsOf(partial)]).size).toBe(total);

    // Without JavaScript the same link loads the whole page at page 2; a page past the end shows the last.
    const full = await (await hr.get(`/surveys/${round.id}?teamPage=2`)).text();
    expect(full).toContain('<html');
    expect(rowsOf(teamSection(full))).toEqual(rowsOf(partial));
    expect(rowsOf(teamSection(await (await hr.get(`/surveys/${round.id}?teamPage=99`)).text()))).toEqual(rowsOf(partial));
    expect((await hr.get(`/surveys/${round.id}?teamPage=abc`)).status).toBe(400);

    // Managers read the same table without checkboxes or the form.
    const manager = await (await sessionAs(t, 'sales.manager@example.com').get(`/surveys/${round.id}`)).text();
    expect(rowsOf(teamSection(manager))).toEqual(rowsOf(first));
    expect(manager).not.toContain('name="teamIds"');
    expect(manager).not.toContain(`action="/surveys/${round.id}/enroll"`);
    const managerPartial = await (await sessionAs(t, 'sales.manager@example.com').get(`/surveys/${round.id}?teamPage=2`, { 'hx-request': 'true' })).text();
    expect(managerPartial).not.toContain('name="teamIds"');
  });

  it('enrolls the ticked teams in one go, still takes a single team, and says so at the form when none is ticked', async () => {
    const { round, field, programId } = roundWithFieldTeams();
    const hr = sessionAs(t, 'hr@example.com');
    const enrolled = () =>
      t.db
        .select({ personId: enrollments.personId })
        .from(enrollments)
        .where(eq(enrollments.programId, programId))
        .all()
        .map((e) => e.personId)
        .sort((a, b) => a - b);

    // Nothing ticked: the page again, on the page the form was sent from, with the message at the checkboxes.
    const none = await hr.form(`/surveys/${round.id}/enroll`, { scope: 'team', programId, teamPage: 2 });
    expect(none.status).toBe(400);
    const noneBody = await none.text();
    expect(noneBody).toContain('<p class="field-error" id="f-teamIds">Choose at least one team.</p>');
    expect(noneBody).toContain('href="#f-teamIds"');
    expect(noneBody).toContain('Page 2 of 2');
    expect(noneBody).toContain(`<option value="${programId}" selected="">`);
    expect(enrolled()).toEqual([]);

    // No scope at all: a message for the form, nothing written.
    const noScope = await hr.form(`/surveys/${round.id}/enroll`, { programId });
    expect(noScope.status).toBe(400);
    expect(await noScope.text()).toContain('Choose whom to enroll.');

    // No program: the ticks stay.
    const noProgram = await hr.form(`/surveys/${round.id}/enroll`, { scope: 'team', teamIds: [field[0].teamId] });
    expect(noProgram.status).toBe(400);
    const noProgramBody = await noProgram.text();
    expect(noProgramBody).toContain('Choose a review program.');
    expect(noProgramBody).toContain(`name="teamIds" value="${field[0].teamId}" checked=""`);

    // Several teams at once: every active member, one audit entry naming the teams.
    const ticked = [field[0], field[4], field[8]];
    const res = await hr.form(`/surveys/${round.id}/enroll`, { scope: 'team', programId, teamIds: ticked.map((member) => member.teamId), teamPage: 1 });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/surveys/${round.id}`);
    expect(await bannerAfter(hr, res)).toBe('Review program: 3 enrolled.');
    expect(enrolled()).toEqual(ticked.map((member) => member.personId).sort((a, b) => a - b));
    const audit = t.db.select().from(auditLog).where(eq(auditLog.action, 'survey_round.enroll')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ scope: 'team', teamIds: ticked.map((member) => member.teamId), people: 3, enrolled: 3 });

    // The single-team contract of before still works, and a repeat counts those enrolled already.
    const single = await hr.form(`/surveys/${round.id}/enroll`, { scope: 'team', teamId: company.teams['Sales West'], programId, teamPage: 2 });
    expect(single.status).toBe(303);
    expect(single.headers.get('location')).toBe(`/surveys/${round.id}?teamPage=2`);
    expect(await bannerAfter(hr, single)).toMatch(/^Review program: /);
    const again = await hr.form(`/surveys/${round.id}/enroll`, {
      scope: 'team',
      teamIds: [field[0].teamId, field[0].teamId],
      teamId: field[4].teamId,
      programId,
    });
    expect(await bannerAfter(hr, again)).toContain('0 enrolled, 2 were enrolled already');

    // A program archived meanwhile: nothing is written and the message shows on the page.
    const archived = t.db
      .insert(programs)
      .values({ name: 'Old refresher', kind: 'review', rrule: 'FREQ=MONTHLY', anchorDate: '2026-01-01', active: false })
      .returning()
      .get().id;
    const before = enrolled();
    const conflictRes = await hr.form(`/surveys/${round.id}/enroll`, { scope: 'team', programId: archived, teamIds: [field[12].teamId] });
    expect(conflictRes.status).toBe(409);
    expect(await conflictRes.text()).toContain('archived');
    expect(enrolled()).toEqual(before);
    expect(t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'survey_round.enroll')).get()!.n).toBe(3);

    expect(
      (await sessionAs(t, 'sales.manager@example.com').form(`/surveys/${round.id}/enroll`, { scope: 'team', programId, teamIds: [field[0].teamId] })).status,
    ).toBe(403);
  });

  it('counts people below the threshold and the trend in the round tally, fresh after every answer', () => {
    const { round, field } = roundWithFieldTeams();
    const results = computeRoundResults(t.db, round.id, t.clock.now());
    expect(results.respondentsBelowThreshold).toBe(peopleBelowThreshold(t.db, round.id).length);
    expect(results.respondentsBelowThreshold).toBe(24);
    const trendBefore = roundTrend(t.db, t.clock.now())[0];
    expect(trendBefore.answers).toBe(results.overall.answers);
    // A weak answer turns strong: both figures move.
    submitResponse(t.db, t.clock, { id: field[0].personId }, round.id, ANSWERS_BY_MATCHED[3]);
    expect(computeRoundResults(t.db, round.id, t.clock.now()).respondentsBelowThreshold).toBe(23);
    const trendAfter = roundTrend(t.db, t.clock.now())[0];
    expect(trendAfter.matchRate).toBeGreaterThan(trendBefore.matchRate!);
    expect(trendAfter.matchRate).toBeCloseTo(computeRoundResults(t.db, round.id, t.clock.now()).overall.matchRate);
  });

  it('ranks, pages and counts the By-team table in SQL exactly as the pure ranking does: named or anonymous, open or closed, at several k', () => {
    setAdvantages();
    // Teams of 0 to 6 respondents in both field departments, so an anonymous round hides some as small and, in marketing
    // (teams of 5, 6, 1 and 5), the smallest shown team as a complement of the one under k.
    const round = roundOfAnsweringTeams(40, (index) => ({
      name: `${index % 3 === 0 ? 'field' : 'Field'} ${index}`,
      department: [5, 6, 8, 12].includes(index) ? 'marketing' : 'sales',
      size: index % 7,
    }));
    const expectSameAsPure = (label: string) => {
      const ranked = rankTeamsWeakestFirst(computeRoundResults(t.db, round.id, t.clock.now()).byTeam);
      expect(ranked.length).toBeGreaterThan(TEAM_PAGE_SIZE);
      for (let page = 1; page <= Math.ceil(ranked.length / TEAM_PAGE_SIZE) + 1; page++) {
        const shown = roundResultsPage(t.db, round.id, t.clock.now(), page);
        expect(shown.teams, `${label}, page ${page}`).toEqual(pageTeams(ranked, page));
        expect(shown.weakTeamCount, label).toBe(ranked.filter(isWeakTeam).length);
      }
      return ranked;
    };
    expect(expectSameAsPure('named round').filter(isWeakTeam).length).toBeGreaterThan(0);
    t.db.update(surveyRounds).set({ anonymous: true }).where(eq(surveyRounds.id, round.id)).run();
    expect(expectSameAsPure('anonymous round, open').every((team) => team.hidden === 'open_round')).toBe(true);
    closeRoundEarly(t.db, t.clock, hrActor(), round.id);
    for (const k of [5, 6, 8]) {
      t.db.update(surveyRounds).set({ minGroupSize: k }).where(eq(surveyRounds.id, round.id)).run();
      const ranked = expectSameAsPure(`anonymous round, closed, k = ${k}`);
      expect(ranked.some((team) => team.hidden === 'small_group')).toBe(true);
      // No team has 8 respondents: at k = 8 every team is hidden.
      expect(ranked.some((team) => !team.hidden)).toBe(k < 8);
      if (k === 5) expect(ranked.some((team) => team.hidden === 'complement')).toBe(true);
    }
  });

  it('the results API answers byTeam a page at a time, in the results page order, with its page, size and total', async () => {
    setAdvantages();
    const round = roundOfAnsweringTeams(30, (index) => ({
      name: `Squad ${index}`,
      department: index % 5 === 0 ? 'marketing' : 'sales',
      size: 1 + (index % 3),
    }));
    const ranked = rankTeamsWeakestFirst(computeRoundResults(t.db, round.id, t.clock.now()).byTeam);
    expect(ranked.length).toBeGreaterThan(30);
    const hr = sessionAs(t, 'hr@example.com');
    type Answer = { byTeam: { teamName: string }[]; byTeamPage: { page: number; pageSize: number; total: number } };
    const read = async (query: string) => {
      const res = await hr.get(`/api/v1/surveys/${round.id}/results${query}`);
      expect(res.status).toBe(200);
      return (await res.json()) as Answer;
    };
    const pages = Math.ceil(ranked.length / 7);
    const names: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const answer = await read(`?page=${page}&pageSize=7`);
      expect(answer.byTeamPage).toEqual({ page, pageSize: 7, total: ranked.length });
      expect(answer.byTeam.map((cell) => cell.teamName)).toEqual(pageTeams(ranked, page, 7).rows.map((cell) => cell.teamName));
      names.push(...answer.byTeam.map((cell) => cell.teamName));
    }
    expect(names).toEqual(ranked.map((team) => team.teamName));
    // Past the end: the last page, as the results page does.
    expect((await read(`?page=${pages + 5}&pageSize=7`)).byTeamPage.page).toBe(pages);
    // Unasked, a page of 100: every team of this round.
    expect((await read('')).byTeam.map((cell) => cell.teamName)).toEqual(ranked.map((team) => team.teamName));
    for (const query of ['?pageSize=501', '?pageSize=0', '?page=0', '?page=x']) {
      const refused = await hr.get(`/api/v1/surveys/${round.id}/results${query}`);
      expect(refused.status, query).toBe(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid');
    }
  });

  it('reads a closed anonymous round whose first pages hold only teams with figures through the rank order, as the pure ranking does', () => {
    setAdvantages();
    // 36 teams of 5 to 7 respondents, every ninth of 3: at k = 5 more than a page of teams has figures (the first page is
    // read along the rank index, the next ones sort every team), some small teams are hidden and complements with them.
    const round = roundOfAnsweringTeams(36, (index) => ({
      name: `${index % 2 === 0 ? 'crew' : 'Crew'} ${index}`,
      department: index % 4 === 0 ? 'marketing' : 'sales',
      size: index % 9 === 0 ? 3 : 5 + (index % 3),
    }));
    t.db.update(surveyRounds).set({ anonymous: true }).where(eq(surveyRounds.id, round.id)).run();
    closeRoundEarly(t.db, t.clock, hrActor(), round.id);
    for (const k of [5, 6]) {
      t.db.update(surveyRounds).set({ minGroupSize: k }).where(eq(surveyRounds.id, round.id)).run();
      const ranked = rankTeamsWeakestFirst(computeRoundResults(t.db, round.id, t.clock.now()).byTeam);
      const withFigures = ranked.filter((team) => !team.hidden && team.answers > 0).length;
      if (k === 5) expect(withFigures).toBeGreaterThan(TEAM_PAGE_SIZE);
      expect(ranked.some((team) => team.hidden === 'small_group')).toBe(true);
      for (let page = 1; page <= Math.ceil(ranked.length / TEAM_PAGE_SIZE) + 1; page++) {
        const shown = roundResultsPage(t.db, round.id, t.clock.now(), page);
        expect(shown.teams, `k = ${k}, page ${page}`).toEqual(pageTeams(ranked, page));
        expect(shown.weakTeamCount).toBe(ranked.filter(isWeakTeam).length);
      }
    }
  });
});

describe('ranking and paging the By-team table', () => {
  const cell = (teamName: string, figures: Partial<TeamCell>): TeamCell => ({
    ...rateCell({ participants: 5, respondents: 5, answers: 15, matched: 0, namedAll: 0 }, { threshold: 0.75, minResponseRatePercent: 50 }),
    teamId: 1,
    teamName,
    department: 'sales',
    hidden: null,
    ...figures,
  });

  it('puts the weakest first and teams without figures last, by name, so a hidden rate cannot be read off the order', () => {
    const ranked = rankTeamsWeakestFirst([
      cell('Strong', { matchRate: 0.9, sharedMindset: true }),
      cell('Hidden B', { hidden: 'small_group', matchRate: 0 }),
      cell('Weak', { matchRate: 0.2 }),
      cell('Silent', { answers: 0, respondents: 0 }),
      cell('Hidden A', { hidden: 'small_group', matchRate: 0 }),
      cell('Middling', { matchRate: 0.5 }),
      cell('Also weak', { matchRate: 0.2 }),
    ]);
    expect(ranked.map((team) => team.teamName)).toEqual(['Also weak', 'Weak', 'Middling', 'Strong', 'Hidden A', 'Hidden B', 'Silent']);
  });

  it('pages 25 at a time and shows the last page for a page past the end', () => {
    const teams = Array.from({ length: 30 }, (_, index) => cell(`Team ${index}`, { matchRate: index / 100 }));
    expect(pageTeams(teams, 1)).toMatchObject({ page: 1, pageSize: 25, total: 30 });
    expect(pageTeams(teams, 2).rows.map((team) => team.teamName)).toEqual(['Team 25', 'Team 26', 'Team 27', 'Team 28', 'Team 29']);
    expect(pageTeams(teams, 9).page).toBe(2);
    expect(pageTeams([], 3)).toMatchObject({ rows: [], page: 1, total: 0 });
  });
});
