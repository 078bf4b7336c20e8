// Survey rounds: who is asked, answering, reminders, matching answers to the round's advantages,
// and HR's review queue (one-click assignment, saving an answer as a synonym and re-scoring).
import { and, asc, count, desc, eq, gte, inArray, isNull, sql, type AnyColumn, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import { departments, people, surveyAnswers, surveyParticipants, surveyResponses, surveyRounds, teams, type AnswerStatus } from '../../db/schema';
import type { Person } from '../context';
import { afterSurveyAnswered } from './listeners';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest, conflict, forbidden, notFound } from '../lib/errors';
import { addDaysToLocalDate, formatLocalDate, startOfLocalDate } from '../lib/time';
import { blankToUndefined, dateSchema, idSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { queueMail } from '../outbox/outbox';
import { currentAdvantageVersion, getAdvantageVersion, saveAdvantageVersion, toMatcherAdvantages, withSynonym, type AdvantageVersion } from './advantages';
import { createAnswerMatcher, normaliseAnswer, type AnswerMatcher } from '../matching/matching';
import { loadSurveySettings } from './settings';

export type RoundRow = typeof surveyRounds.$inferSelect;
export type RoundStatus = 'open' | 'closed';

const ANSWERS_PER_RESPONSE = 3;
const MAX_ANSWER_LENGTH = 300;
const DEFAULT_NEW_HIRE_DAYS = 90;

// ── matching against a version (matchers are built once per database and version, and kept) ──

// Version ids are only unique within one database: two databases in one process (tests, a restore beside the
// live file) each have their own version 1, so the matchers are kept per database connection.
const matchersByDatabase = new WeakMap<object, Map<number, AnswerMatcher>>();
const MATCHERS_KEPT = 16;

/** The matcher for a version of the advantages; versions never change, so it is reused. */
export function matcherForVersion(db: Db, version: AdvantageVersion): AnswerMatcher {
  let matchers = matchersByDatabase.get(db.$client);
  if (!matchers) {
    matchers = new Map();
    matchersByDatabase.set(db.$client, matchers);
  }
  let matcher = matchers.get(version.id);
  if (!matcher) {
    if (matchers.size >= MATCHERS_KEPT) matchers.delete(matchers.keys().next().value as number);
    matcher = createAnswerMatcher(toMatcherAdvantages(version));
    matchers.set(version.id, matcher);
  }
  return matcher;
}

/** Marks a round's results stale (see computeRoundResults); call inside the writing transaction. */
function touchRound(db: Db, roundId: number) {
  db.$client.prepare('UPDATE survey_rounds SET change_count = change_count + 1 WHERE id = ?').run(roundId);
}

// ── rounds ──

export const roundInputSchema = z
  .object({
    title: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Give the round a title.').max(120),
    populationKind: z.enum(['everyone', 'department', 'teams', 'new_hires'], { message: 'Choose who is asked.' }),
    department: z.preprocess(blankToUndefined, z.enum(departments).optional()),
    teamIds: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(idSchema).max(100)),
    hiredWithinDays: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(730).optional()),
    closesOn: dateSchema,
    anonymous: z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1', z.boolean()),
  })
  .superRefine((input, context) => {
    if (input.populationKind === 'department' && !input.department)
      context.addIssue({ code: 'custom', path: ['department'], message: 'Choose the department.' });
    if (input.populationKind === 'teams' && input.teamIds.length === 0)
      context.addIssue({ code: 'custom', path: ['teamIds'], message: 'Choose at least one team.' });
  });
type RoundInput = z.output<typeof roundInputSchema>;

export function roundStatus(round: Pick<RoundRow, 'closesAt' | 'closedEarlyAt'>, now: Date): RoundStatus {
  if (round.closedEarlyAt && round.closedEarlyAt.getTime() <= now.getTime()) return 'closed';
  return now.getTime() < round.closesAt.getTime() ? 'open' : 'closed';
}

export function getRound(db: Db, roundId: number): RoundRow {
  const round = db.select().from(surveyRounds).where(eq(surveyRounds.id, roundId)).get();
  if (!round) throw notFound('No such survey round.');
  return round;
}

export function describePopulation(
  db: Db,
  round: Pick<RoundRow, 'populationKind' | 'populationDepartment' | 'populationTeamIds' | 'populationHiredWithinDays'>,
): string {
  switch (round.populationKind) {
    case 'everyone':
      return 'Everyone';
    case 'department':
      return `The ${round.populationDepartment} department`;
    case 'new_hires':
      return `People hired in the last ${round.populationHiredWithinDays ?? DEFAULT_NEW_HIRE_DAYS} days`;
    case 'teams': {
      const ids = round.populationTeamIds ?? [];
      const names = ids.length ? db.select({ name: teams.name }).from(teams).where(inArray(teams.id, ids)).orderBy(asc(teams.name)).all() : [];
      return names.length ? `Teams: ${names.map((team) => team.name).join(', ')}` : 'No teams';
    }
  }
}

function populationOf(db: Db, input: RoundInput, today: string) {
  const conditions = [eq(people.active, true)];
  if (input.populationKind === 'department' && input.department) conditions.push(eq(people.department, input.department));
  if (input.populationKind === 'teams') conditions.push(inArray(people.teamId, input.teamIds));
  if (input.populationKind === 'new_hires') conditions.push(gte(people.hireDate, addDaysToLocalDate(today, -(input.hiredWithinDays ?? DEFAULT_NEW_HIRE_DAYS))));
  return db
    .select({ id: people.id, email: people.email, name: people.name, department: people.department, teamId: people.teamId })
    .from(people)
    .where(and(...conditions))
    .all();
}

/**
 * HR opens a round for a population; it closes at the end of `closesOn` in HR's time zone. Everyone
 * asked gets a message through the outbox. The round is judged against the current advantages.
 */
export function openRound(db: Db, clock: Clock, actor: Actor, opener: Pick<Person, 'timeZone'>, input: RoundInput): RoundRow {
  const now = clock.now();
  const today = formatLocalDate(now, opener.timeZone);
  if (input.closesOn < today) throw badRequest('The closing date has passed.');
  const version = currentAdvantageVersion(db);
  if (!version || version.advantages.length === 0) throw conflict('no_advantages', 'Set the official advantages before opening a survey round.');
  const closesAt = startOfLocalDate(addDaysToLocalDate(input.closesOn, 1), opener.timeZone);
  return writeTransaction(db, (tx) => {
    const population = populationOf(tx, input, today);
    if (population.length === 0) throw conflict('empty_population', 'No active person belongs to this population.');
    const round = tx
      .insert(surveyRounds)
      .values({
        title: input.title,
        populationKind: input.populationKind,
        populationDepartment: input.populationKind === 'department' ? input.department : null,
        populationTeamIds: input.populationKind === 'teams' ? input.teamIds : null,
        populationHiredWithinDays: input.populationKind === 'new_hires' ? (input.hiredWithinDays ?? DEFAULT_NEW_HIRE_DAYS) : null,
        anonymous: input.anonymous,
        minGroupSize: loadSurveySettings(tx).minGroupSize,
        advantageVersionId: version.id,
        opensAt: now,
        closesOn: input.closesOn,
        closesAt,
        createdById: actor.personId,
        createdAt: now,
      })
      .returning()
      .get();
    const insertParticipant = tx.$client.prepare('INSERT INTO survey_participants (round_id, person_id, department, team_id) VALUES (?, ?, ?, ?)');
    for (const person of population) {
      insertParticipant.run(round.id, person.id, person.department, person.teamId);
      queueMail(tx, clock, {
        to: person.email,
        toPersonId: person.id,
        subject: `Survey: ${round.title}`,
        body:
          `Hello ${person.name},\n\nWhat are our company's top three competitive advantages? Answer in your own words in crosstrain: /surveys/${round.id}/answer\n\n` +
          `The survey closes at the end of ${round.closesOn}.${round.anonymous ? ' Your answers are anonymous in every report.' : ''}`,
        dedupeKey: `survey-open:${round.id}:${person.id}`,
      });
    }
    recordAudit(tx, now, actor, 'survey_round.open', 'survey_round', round.id, null, { ...round, participants: population.length });
    return round;
  });
}

export function closeRoundEarly(db: Db, clock: Clock, actor: Actor, roundId: number): RoundRow {
  return writeTransaction(db, (tx) => {
    const round = getRound(tx, roundId);
    if (roundStatus(round, clock.now()) === 'closed') throw conflict('closed', 'This round is closed already.');
    const after = tx
      .update(surveyRounds)
      .set({ closedEarlyAt: clock.now(), changeCount: round.changeCount + 1 })
      .where(eq(surveyRounds.id, roundId))
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'survey_round.close', 'survey_round', roundId, { closedEarlyAt: null }, { closedEarlyAt: after.closedEarlyAt });
    return after;
  });
}

export type RoundSummary = RoundRow & {
  status: RoundStatus;
  participants: number;
  respondents: number;
  answers: number;
  matched: number;
  toReview: number;
  population: string;
};

/** Every round, newest first, with response and match counts. */
export function listRounds(db: Db, now: Date): RoundSummary[] {
  const rounds = db.select().from(surveyRounds).orderBy(desc(surveyRounds.opensAt), desc(surveyRounds.id)).all();
  const participantCounts = new Map(
    db
      .select({ roundId: surveyParticipants.roundId, n: count() })
      .from(surveyParticipants)
      .groupBy(surveyParticipants.roundId)
      .all()
      .map((row) => [row.roundId, row.n]),
  );
  const responseCounts = new Map(
    db
      .select({ roundId: surveyResponses.roundId, n: count() })
      .from(surveyResponses)
      .groupBy(surveyResponses.roundId)
      .all()
      .map((row) => [row.roundId, row.n]),
  );
  const answerCounts = new Map(
    db
      .select({
        roundId: surveyAnswers.roundId,
        answers: count(),
        matched: sql<number>`sum(${surveyAnswers.status} = 'matched')`,
        toReview: sql<number>`sum(${surveyAnswers.status} <> 'matched' AND ${surveyAnswers.assignedById} IS NULL)`,
      })
      .from(surveyAnswers)
      .groupBy(surveyAnswers.roundId)
      .all()
      .map((row) => [row.roundId, row]),
  );
  return rounds.map((round) => {
    const answers = answerCounts.get(round.id);
    return {
      ...round,
      status: roundStatus(round, now),
      participants: participantCounts.get(round.id) ?? 0,
      respondents: responseCounts.get(round.id) ?? 0,
      answers: answers?.answers ?? 0,
      matched: Number(answers?.matched ?? 0),
      toReview: Number(answers?.toReview ?? 0),
      population: describePopulation(db, round),
    };
  });
}

// ── answering ──

export const responseInputSchema = z.object({
  answers: z
    .array(z.string().trim().min(1, 'Write an answer.').max(MAX_ANSWER_LENGTH, `Keep each answer under ${MAX_ANSWER_LENGTH} characters.`))
    .length(ANSWERS_PER_RESPONSE, `Give exactly ${ANSWERS_PER_RESPONSE} answers.`),
});

export function isParticipant(db: Db, roundId: number, personId: number): boolean {
  return !!db
    .select({ id: surveyParticipants.id })
    .from(surveyParticipants)
    .where(and(eq(surveyParticipants.roundId, roundId), eq(surveyParticipants.personId, personId)))
    .get();
}

export function myResponse(db: Db, roundId: number, personId: number) {
  const response = db
    .select()
    .from(surveyResponses)
    .where(and(eq(surveyResponses.roundId, roundId), eq(surveyResponses.personId, personId)))
    .get();
  if (!response) return null;
  const answers = db.select().from(surveyAnswers).where(eq(surveyAnswers.responseId, response.id)).orderBy(asc(surveyAnswers.position)).all();
  return { ...response, answers };
}

/** Open rounds a person is asked in, with whether they have answered. */
export function roundsForPerson(db: Db, personId: number, now: Date) {
  const rows = db
    .select({ round: surveyRounds, responseId: surveyResponses.id })
    .from(surveyParticipants)
    .innerJoin(surveyRounds, eq(surveyRounds.id, surveyParticipants.roundId))
    .leftJoin(surveyResponses, and(eq(surveyResponses.roundId, surveyRounds.id), eq(surveyResponses.personId, personId)))
    .where(eq(surveyParticipants.personId, personId))
    .orderBy(desc(surveyRounds.opensAt))
    .all();
  return rows.map((row) => ({ ...row.round, status: roundStatus(row.round, now), answered: row.responseId !== null }));
}

/** How many open rounds a person still has to answer: the navigation badge, a SQL expression (`person` a column or an id). */
export const unansweredRoundsCount = (person: AnyColumn | number, now: SQLWrapper | number) => sql`
  SELECT count(*) FROM survey_participants sp JOIN survey_rounds r ON r.id = sp.round_id
  WHERE sp.person_id = ${person} AND r.closed_early_at IS NULL AND r.opens_at <= ${now} AND r.closes_at > ${now}
    AND NOT EXISTS (SELECT 1 FROM survey_responses sr WHERE sr.round_id = r.id AND sr.person_id = ${person})`;

/** How many open rounds a person still has to answer. */
export function unansweredRoundCount(db: Db, personId: number, now: Date): number {
  const row = db.get<{ n: number }>(sql`SELECT (${unansweredRoundsCount(personId, now.getTime())}) AS n`);
  return row?.n ?? 0;
}

/**
 * A participant answers (or changes their answers) while the round is open. Each answer is matched at
 * once; an answer left unchanged keeps HR's assignment.
 */
export function submitResponse(db: Db, clock: Clock, person: Pick<Person, 'id'>, roundId: number, texts: string[]) {
  const parsed = responseInputSchema.safeParse({ answers: texts });
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? 'The answers are not valid.');
  const answers = parsed.data.answers.map((text) => text.replace(/\s+/g, ' '));
  const now = clock.now();
  const round = getRound(db, roundId);
  if (roundStatus(round, now) === 'closed') throw conflict('closed', 'This survey round is closed; answers can no longer change.');
  const participant = db
    .select()
    .from(surveyParticipants)
    .where(and(eq(surveyParticipants.roundId, roundId), eq(surveyParticipants.personId, person.id)))
    .get();
  if (!participant) throw forbidden('You are not asked in this survey round.');
  const matcher = matcherForVersion(db, getAdvantageVersion(db, round.advantageVersionId));
  const matches = answers.map((text) => matcher.match(text));
  return writeTransaction(db, (tx) => {
    let response = tx
      .select()
      .from(surveyResponses)
      .where(and(eq(surveyResponses.roundId, roundId), eq(surveyResponses.personId, person.id)))
      .get();
    if (!response) {
      response = tx
        .insert(surveyResponses)
        .values({ roundId, personId: person.id, department: participant.department, teamId: participant.teamId, submittedAt: now, updatedAt: now })
        .returning()
        .get();
    } else {
      tx.update(surveyResponses).set({ updatedAt: now }).where(eq(surveyResponses.id, response.id)).run();
    }
    const existing = new Map(
      tx
        .select()
        .from(surveyAnswers)
        .where(eq(surveyAnswers.responseId, response.id))
        .all()
        .map((answer) => [answer.position, answer]),
    );
    answers.forEach((text, index) => {
      const position = index + 1;
      const before = existing.get(position);
      if (before && before.text === text) return;
      const match = matches[index];
      const values = {
        text,
        normalised: normaliseAnswer(text),
        advantageKey: match.advantageId === null ? null : String(match.advantageId),
        scoreMilli: Math.round(match.score * 1000),
        status: match.status,
        assignedById: null,
        assignedAt: null,
      };
      if (before) tx.update(surveyAnswers).set(values).where(eq(surveyAnswers.id, before.id)).run();
      else
        tx.insert(surveyAnswers)
          .values({ ...values, responseId: response.id, roundId, position, department: response.department, teamId: response.teamId })
          .run();
    });
    touchRound(tx, roundId);
    afterSurveyAnswered(tx, clock, [person.id]);
    return { response, answers: tx.select().from(surveyAnswers).where(eq(surveyAnswers.responseId, response.id)).orderBy(asc(surveyAnswers.position)).all() };
  });
}

// ── reminders ──

/** Queues a reminder to everyone asked who has not answered; at most one per person per day. */
export function remindNonRespondents(db: Db, clock: Clock, actor: Actor, roundId: number): number {
  const now = clock.now();
  return writeTransaction(db, (tx) => {
    const round = getRound(tx, roundId);
    if (roundStatus(round, now) === 'closed') throw conflict('closed', 'This round is closed; there is nobody left to remind.');
    const pending = tx
      .select({ id: surveyParticipants.id, personId: people.id, email: people.email, name: people.name })
      .from(surveyParticipants)
      .innerJoin(people, eq(people.id, surveyParticipants.personId))
      .leftJoin(surveyResponses, and(eq(surveyResponses.roundId, roundId), eq(surveyResponses.personId, surveyParticipants.personId)))
      .where(and(eq(surveyParticipants.roundId, roundId), isNull(surveyResponses.id), eq(people.active, true)))
      .all();
    const day = now.toISOString().slice(0, 10);
    let queued = 0;
    for (const person of pending) {
      const fresh = queueMail(tx, clock, {
        to: person.email,
        toPersonId: person.personId,
        subject: `Reminder: ${round.title}`,
        body: `Hello ${person.name},\n\nYou have not answered the survey "${round.title}" yet. It takes a minute: /surveys/${round.id}/answer\n\nIt closes at the end of ${round.closesOn}.`,
        dedupeKey: `survey-reminder:${round.id}:${person.personId}:${day}`,
      });
      if (fresh) {
        queued++;
        tx.update(surveyParticipants).set({ remindedAt: now }).where(eq(surveyParticipants.id, person.id)).run();
      }
    }
    recordAudit(tx, now, actor, 'survey_round.remind', 'survey_round', roundId, null, { queued });
    return queued;
  });
}

// ── scoring and review ──

/**
 * Matches every answer HR has not assigned against the round's advantages again; returns how many
 * answers changed.
 */
function rescoreRound(db: Db, roundId: number): number {
  const round = getRound(db, roundId);
  const matcher = matcherForVersion(db, getAdvantageVersion(db, round.advantageVersionId));
  const rows = db.$client
    .prepare(
      'SELECT id, text, advantage_key AS advantageKey, score_milli AS scoreMilli, status FROM survey_answers WHERE round_id = ? AND assigned_by_id IS NULL',
    )
    .all(roundId) as { id: number; text: string; advantageKey: string | null; scoreMilli: number; status: AnswerStatus }[];
  const changes: { id: number; advantageKey: string | null; scoreMilli: number; status: AnswerStatus }[] = [];
  for (const row of rows) {
    const match = matcher.match(row.text);
    const advantageKey = match.advantageId === null ? null : String(match.advantageId);
    const scoreMilli = Math.round(match.score * 1000);
    if (advantageKey !== row.advantageKey || scoreMilli !== row.scoreMilli || match.status !== row.status)
      changes.push({ id: row.id, advantageKey, scoreMilli, status: match.status });
  }
  if (changes.length) {
    writeTransaction(db, (tx) => {
      const update = tx.$client.prepare('UPDATE survey_answers SET advantage_key = ?, score_milli = ?, status = ? WHERE id = ?');
      for (const change of changes) update.run(change.advantageKey, change.scoreMilli, change.status, change.id);
      touchRound(tx, roundId);
    });
  }
  return changes.length;
}

export type ReviewItem = {
  normalised: string;
  text: string;
  count: number;
  status: AnswerStatus;
  scoreMilli: number;
  candidateKey: string | null;
  examples: string[];
};

/** Unmatched and doubtful answers nobody has assigned yet, identical answers together, most frequent first. */
export function reviewQueue(db: Db, roundId: number, limit = 100): { items: ReviewItem[]; total: number; answers: number } {
  const rows = db.$client
    .prepare(
      `SELECT normalised, count(*) AS n, min(status) AS status, max(score_milli) AS scoreMilli, max(advantage_key) AS candidateKey
         FROM survey_answers
        WHERE round_id = ? AND status <> 'matched' AND assigned_by_id IS NULL
        GROUP BY normalised
        ORDER BY n DESC, scoreMilli DESC, normalised`,
    )
    .all(roundId) as { normalised: string; n: number; status: AnswerStatus; scoreMilli: number; candidateKey: string | null }[];
  let answers = 0;
  for (const row of rows) answers += row.n;
  const items = rows.slice(0, limit).map((row) => {
    const examples = distinctTextsOf(db, roundId, row.normalised, 3);
    return {
      normalised: row.normalised,
      text: examples[0] ?? '',
      count: row.n,
      status: row.status,
      scoreMilli: row.scoreMilli,
      // min() puts 'doubtful' before 'unmatched': a doubtful answer has a candidate HR is asked to confirm.
      candidateKey: row.status === 'doubtful' ? row.candidateKey : null,
      examples,
    };
  });
  return { items, total: rows.length, answers };
}

function firstTextOf(db: Db, roundId: number, normalised: string): string {
  const row = db.$client
    .prepare(
      `SELECT text, count(*) AS n FROM survey_answers WHERE round_id = ? AND normalised = ? AND status <> 'matched' AND assigned_by_id IS NULL GROUP BY text ORDER BY n DESC, text LIMIT 1`,
    )
    .get(roundId, normalised) as { text: string } | undefined;
  return row?.text ?? '';
}

function distinctTextsOf(db: Db, roundId: number, normalised: string, limit: number): string[] {
  return (
    db.$client
      .prepare(
        `SELECT text, count(*) AS n FROM survey_answers WHERE round_id = ? AND normalised = ? AND status <> 'matched' AND assigned_by_id IS NULL GROUP BY text ORDER BY n DESC, text LIMIT ?`,
      )
      .all(roundId, normalised, limit) as { text: string }[]
  ).map((row) => row.text);
}

export const assignmentInputSchema = z.object({
  normalised: z.string().max(2000),
  advantageKey: z.preprocess(blankToUndefined, z.string().max(60).optional()),
  saveAsSynonym: z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1', z.boolean()),
});
type AssignmentInput = z.output<typeof assignmentInputSchema>;

/**
 * HR assigns every not-yet-assigned answer with this normalised text to an advantage (or to none).
 * Saving it as a synonym adds the answer to that advantage in a new version of the advantages,
 * moves the round to it and re-scores the round, so similar answers match too.
 */
export function assignAnswers(db: Db, clock: Clock, actor: Actor, roundId: number, input: AssignmentInput) {
  const round = getRound(db, roundId);
  const version = getAdvantageVersion(db, round.advantageVersionId);
  const key = input.advantageKey ?? null;
  if (key && !version.advantages.some((advantage) => advantage.key === key)) throw badRequest('That advantage is not part of this round.');
  if (input.saveAsSynonym && !key) throw badRequest('Choose the advantage the synonym belongs to.');
  const now = clock.now();
  const answerText = firstTextOf(db, roundId, input.normalised);
  const assigned = writeTransaction(db, (tx) => {
    const result = tx
      .update(surveyAnswers)
      .set({ status: key ? 'matched' : 'unmatched', advantageKey: key, scoreMilli: key ? 1000 : 0, assignedById: actor.personId, assignedAt: now })
      .where(and(eq(surveyAnswers.roundId, roundId), eq(surveyAnswers.normalised, input.normalised), isNull(surveyAnswers.assignedById)))
      .run();
    recordAudit(tx, now, actor, 'survey_answers.assign', 'survey_round', roundId, null, {
      normalised: input.normalised,
      advantageKey: key,
      answers: result.changes,
    });
    touchRound(tx, roundId);
    return result.changes;
  });
  if (assigned === 0) throw conflict('already_assigned', 'These answers were assigned already.');
  let rescored = 0;
  let synonymSaved = false;
  if (input.saveAsSynonym && key && answerText) {
    // The synonym goes into the newest version, so edits made since the round opened are kept.
    const latest = currentAdvantageVersion(db) ?? version;
    if (!latest.advantages.some((advantage) => advantage.key === key))
      throw conflict('advantage_retired', 'This advantage is no longer official; the answers were assigned without a synonym.');
    const updated = withSynonym(latest, key, answerText);
    const target = updated ? saveAdvantageVersion(db, clock, actor, updated, `Synonym "${answerText}" from round ${round.title}`) : latest;
    synonymSaved = updated !== null;
    if (target.id !== round.advantageVersionId) {
      writeTransaction(db, (tx) => {
        tx.update(surveyRounds).set({ advantageVersionId: target.id }).where(eq(surveyRounds.id, roundId)).run();
        touchRound(tx, roundId);
        recordAudit(
          tx,
          now,
          actor,
          'survey_round.rejudge',
          'survey_round',
          roundId,
          { advantageVersionId: round.advantageVersionId },
          { advantageVersionId: target.id },
        );
      });
    }
    rescored = rescoreRound(db, roundId);
  }
  return { assigned, rescored, synonymSaved };
}

/** Moves a round to the current advantages and re-scores it (e.g. after HR edited the synonyms). */
export function rejudgeRound(db: Db, clock: Clock, actor: Actor, roundId: number) {
  const round = getRound(db, roundId);
  const latest = currentAdvantageVersion(db);
  if (!latest) throw conflict('no_advantages', 'There are no official advantages.');
  if (latest.id !== round.advantageVersionId) {
    writeTransaction(db, (tx) => {
      tx.update(surveyRounds).set({ advantageVersionId: latest.id }).where(eq(surveyRounds.id, roundId)).run();
      touchRound(tx, roundId);
      recordAudit(
        tx,
        clock.now(),
        actor,
        'survey_round.rejudge',
        'survey_round',
        roundId,
        { advantageVersionId: round.advantageVersionId },
        { advantageVersionId: latest.id },
      );
    });
  }
  return { versionNumber: latest.number, rescored: rescoreRound(db, roundId) };
}
