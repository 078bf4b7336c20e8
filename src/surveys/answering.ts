// Answering a round: who is asked, a person's response and open rounds, submitting (matched at once).
import { and, asc, desc, eq, sql, type AnyColumn, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import { surveyAnswers, surveyParticipants, surveyResponses, surveyRounds } from '../../db/schema';
import type { Person } from '../context';
import { afterSurveyAnswered } from './listeners';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest, conflict, forbidden } from '../lib/errors';
import { getAdvantageVersion } from './advantages';
import { normaliseAnswer } from '../matching/matching';
import { getRound, roundStatus } from './surveys';
import { matcherForVersion } from './version-matcher';

const ANSWERS_PER_RESPONSE = 3;
const MAX_ANSWER_LENGTH = 300;

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
const roundsForPersonQuery = preparedQuery((db) => {
  const personId = sql.placeholder('personId');
  return db
    .select({ round: surveyRounds, responseId: surveyResponses.id })
    .from(surveyParticipants)
    .innerJoin(surveyRounds, eq(surveyRounds.id, surveyParticipants.roundId))
    .leftJoin(surveyResponses, and(eq(surveyResponses.roundId, surveyRounds.id), eq(surveyResponses.personId, personId)))
    .where(eq(surveyParticipants.personId, personId))
    .orderBy(desc(surveyRounds.opensAt))
    .prepare();
});

export function roundsForPerson(db: Db, personId: number, now: Date) {
  const rows = roundsForPersonQuery(db).all({ personId });
  return rows.map((row) => ({ ...row.round, status: roundStatus(row.round, now), answered: row.responseId !== null }));
}

/**
 * How many open rounds a person still has to answer: the navigation badge, a SQL expression (`person` a column or an id),
 * read from the kept rows (unanswered_rounds): one index range read.
 */
export const unansweredRoundsCount = (person: AnyColumn | number, now: SQLWrapper | number) => sql`
  SELECT count(*) FROM unanswered_rounds u WHERE u.person_id = ${person} AND u.closes_at > ${now} AND u.opens_at <= ${now}`;

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
    afterSurveyAnswered(tx, clock, [person.id]);
    return { response, answers: tx.select().from(surveyAnswers).where(eq(surveyAnswers.responseId, response.id)).orderBy(asc(surveyAnswers.position)).all() };
  });
}
