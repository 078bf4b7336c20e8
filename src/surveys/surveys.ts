// Survey rounds: who is asked, opening, closing early, the list with counts, reminders to who has not answered.
// Answering lives in answering.ts, HR's review queue and re-scoring in review.ts.
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { departments, people, surveyParticipants, surveyResponses, surveyRounds, teams } from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { everyInterval } from '../lib/jobs';
import { badRequest, conflict, notFound } from '../lib/errors';
import { addDaysToLocalDate, formatLocalDate, startOfLocalDate } from '../lib/time';
import { blankToUndefined, dateSchema, idSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { queueMail } from '../outbox/outbox';
import { currentAdvantageVersion } from './advantages';
import { loadSurveySettings } from './settings';

export type RoundRow = typeof surveyRounds.$inferSelect;
export type RoundStatus = 'open' | 'closed';

const DEFAULT_NEW_HIRE_DAYS = 90;

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

const roundQuery = preparedQuery((db) =>
  db
    .select()
    .from(surveyRounds)
    .where(eq(surveyRounds.id, sql.placeholder('id')))
    .prepare(),
);

export function getRound(db: Db, roundId: number): RoundRow {
  const round = roundQuery(db).get({ id: roundId });
  if (!round) throw notFound('No such survey round.');
  return round;
}

const teamNamesQuery = preparedQuery((db) =>
  db
    .select({ name: teams.name })
    .from(teams)
    .where(sql`${teams.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
    .orderBy(asc(teams.name))
    .prepare(),
);

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
      const names = ids.length ? teamNamesQuery(db).all({ ids: JSON.stringify(ids) }) : [];
      return names.length ? `Teams: ${names.map((team) => team.name).join(', ')}` : 'No teams';
    }
  }
}

/** Who a round asks: the active people of its population. */
function populationWhere(input: RoundInput, today: string): SQL {
  const conditions = [eq(people.active, true)];
  if (input.populationKind === 'department' && input.department) conditions.push(eq(people.department, input.department));
  if (input.populationKind === 'teams') conditions.push(inArray(people.teamId, input.teamIds));
  if (input.populationKind === 'new_hires') conditions.push(gte(people.hireDate, addDaysToLocalDate(today, -(input.hiredWithinDays ?? DEFAULT_NEW_HIRE_DAYS))));
  return and(...conditions)!;
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
  const round = writeTransaction(db, (tx) => {
    const asked = tx.select({ n: count() }).from(people).where(populationWhere(input, today)).get()?.n ?? 0;
    if (asked === 0) throw conflict('empty_population', 'No active person belongs to this population.');
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
    // One statement for every participant: a statement per person (each with its triggers' statement journal) took
    // three times as long, 2.6 s for everyone at 100,000 people, all of it holding the write lock.
    tx.run(sql`INSERT INTO survey_participants (round_id, person_id, department, team_id)
      SELECT ${round.id}, ${people.id}, ${people.department}, ${people.teamId} FROM ${people} WHERE ${populationWhere(input, today)} ORDER BY ${people.id}`);
    recordAudit(tx, now, actor, 'survey_round.open', 'survey_round', round.id, null, { ...round, participants: asked });
    return round;
  });
  // The invitations go out after the round is open, a part at a time; any a crash left unqueued, queueWaitingRoundMails queues.
  queueRoundOpenedMails(db, clock, round.id);
  return round;
}

/** Mails queued per transaction when a round asks or reminds many people. */
const MAIL_PART = 1_000;

/**
 * Runs `part` in write transactions of its own, each given the person id the one before ended at, until it answers
 * null. Queued in one transaction, the mails of a round that asks the whole company held the write lock for seconds,
 * and every other write of every process waited: at 100,000 people, opening a round for everyone 1.6 s and reminding
 * it 2.4 s. In parts the longest holds are the round with its participants (0.57 s) and one part of mail (51 ms).
 */
function inParts(db: Db, part: (tx: Db, after: number) => number | null): void {
  for (let after: number | null = 0; after !== null; ) {
    const from: number = after;
    after = writeTransaction(db, (tx) => part(tx, from));
  }
}

/** A round's participants after @after (by person id) who have no invitation mail yet. */
const waitingInvitationsQuery = preparedQuery((db) =>
  db.$client.prepare<{ round: number; after: number; limit: number }, { personId: number; email: string; name: string }>(
    `SELECT s.person_id AS personId, p.email, p.name
       FROM survey_participants s JOIN people p ON p.id = s.person_id
      WHERE s.round_id = @round AND s.person_id > @after
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'survey-open:' || @round || ':' || s.person_id)
      ORDER BY s.person_id
      LIMIT @limit`,
  ),
);

/** Queues the invitation mail of every participant of the round who has none yet, `partSize` to a transaction; answers how many. */
export function queueRoundOpenedMails(db: Db, clock: Clock, roundId: number, partSize = MAIL_PART): number {
  const round = getRound(db, roundId);
  let queued = 0;
  inParts(db, (tx, after) => {
    const waiting = waitingInvitationsQuery(tx).all({ round: roundId, after, limit: partSize });
    for (const person of waiting) {
      const fresh = queueMail(tx, clock, {
        to: person.email,
        toPersonId: person.personId,
        subject: `Survey: ${round.title}`,
        body:
          `Hello ${person.name},\n\nWhat are our company's top three competitive advantages? Answer in your own words in crosstrain: /surveys/${round.id}/answer\n\n` +
          `The survey closes at the end of ${round.closesOn}.${round.anonymous ? ' Your answers are anonymous in every report.' : ''}`,
        dedupeKey: `survey-open:${round.id}:${person.personId}`,
      });
      if (fresh) queued++;
    }
    return waiting.length === partSize ? waiting[waiting.length - 1]!.personId : null;
  });
  return queued;
}

/** How far back queueWaitingRoundMails looks for rounds whose invitations a crash may have cut short. */
const WAITING_MAIL_DAYS = 7;

/**
 * The invitations of rounds opened in the last week and still open that were not all queued (the server stopped
 * while it queued them): queued now. Answers how many.
 */
export function queueWaitingRoundMails(db: Db, clock: Clock): number {
  const now = clock.now();
  const recent = db
    .select({ id: surveyRounds.id })
    .from(surveyRounds)
    .where(
      and(
        gte(surveyRounds.opensAt, new Date(now.getTime() - WAITING_MAIL_DAYS * 86_400_000)),
        gt(surveyRounds.closesAt, now),
        isNull(surveyRounds.closedEarlyAt),
      ),
    )
    .all();
  return recent.reduce((queued, round) => queued + queueRoundOpenedMails(db, clock, round.id), 0);
}

/** The background job: queueWaitingRoundMails at start and every `intervalMs`. */
export function startRoundMailJob(db: Db, clock: Clock, intervalMs = 600_000): () => void {
  return everyInterval('Survey invitations job', intervalMs, () => queueWaitingRoundMails(db, clock));
}

export function closeRoundEarly(db: Db, clock: Clock, actor: Actor, roundId: number): RoundRow {
  return writeTransaction(db, (tx) => {
    const round = getRound(tx, roundId);
    if (roundStatus(round, clock.now()) === 'closed') throw conflict('closed', 'This round is closed already.');
    const after = tx.update(surveyRounds).set({ closedEarlyAt: clock.now() }).where(eq(surveyRounds.id, roundId)).returning().get();
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
const roundsQuery = preparedQuery((db) => db.select().from(surveyRounds).orderBy(desc(surveyRounds.opensAt), desc(surveyRounds.id)).prepare());

/**
 * Each round's counts, read from the tallies the answer writes keep (migrations 0017, 0023, 0078): a row per
 * round and department, and the round's answers waiting for review, never the answers themselves.
 */
const roundCountsQuery = preparedQuery((db) =>
  db.$client.prepare<[], { roundId: number; participants: number; respondents: number; answers: number; matched: number; toReview: number }>(`
    SELECT d.round_id AS roundId, sum(d.participants) AS participants, sum(d.respondents) AS respondents, sum(d.answers) AS answers,
           sum(d.matched) AS matched, coalesce((SELECT t.answers FROM survey_review_totals t WHERE t.round_id = d.round_id), 0) AS toReview
      FROM survey_department_tallies d GROUP BY d.round_id`),
);

export function listRounds(db: Db, now: Date): RoundSummary[] {
  const counts = new Map(
    roundCountsQuery(db)
      .all()
      .map((row) => [row.roundId, row]),
  );
  return roundsQuery(db)
    .all()
    .map((round) => {
      const c = counts.get(round.id);
      return {
        ...round,
        status: roundStatus(round, now),
        participants: c?.participants ?? 0,
        respondents: c?.respondents ?? 0,
        answers: c?.answers ?? 0,
        matched: c?.matched ?? 0,
        toReview: c?.toReview ?? 0,
        population: describePopulation(db, round),
      };
    });
}
// ── reminders ──

/** Queues a reminder to everyone asked who has not answered; at most one per person per day. */
export function remindNonRespondents(db: Db, clock: Clock, actor: Actor, roundId: number, partSize = MAIL_PART): number {
  const now = clock.now();
  const round = getRound(db, roundId);
  if (roundStatus(round, now) === 'closed') throw conflict('closed', 'This round is closed; there is nobody left to remind.');
  const day = now.toISOString().slice(0, 10);
  let queued = 0;
  inParts(db, (tx, after) => {
    const pending = tx
      .select({ id: surveyParticipants.id, personId: people.id, email: people.email, name: people.name })
      .from(surveyParticipants)
      .innerJoin(people, eq(people.id, surveyParticipants.personId))
      .leftJoin(surveyResponses, and(eq(surveyResponses.roundId, roundId), eq(surveyResponses.personId, surveyParticipants.personId)))
      .where(and(eq(surveyParticipants.roundId, roundId), gt(surveyParticipants.personId, after), isNull(surveyResponses.id), eq(people.active, true)))
      .orderBy(asc(surveyParticipants.personId))
      .limit(partSize)
      .all();
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
    return pending.length === partSize ? pending[pending.length - 1]!.personId : null;
  });
  writeTransaction(db, (tx) => recordAudit(tx, now, actor, 'survey_round.remind', 'survey_round', roundId, null, { queued }));
  return queued;
}
