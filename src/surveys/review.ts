// HR's review queue: unmatched and doubtful answers, one-click assignment, saving an answer as a synonym, re-scoring.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { surveyAnswers, surveyRounds, type AnswerStatus } from '../../db/schema';
import { preparedQuery, readTransaction, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest, conflict } from '../lib/errors';
import { blankToUndefined } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { currentAdvantageVersion, getAdvantageVersion, saveAdvantageVersion, withSynonym } from './advantages';
import { getRound } from './surveys';
import { matcherForVersion } from './version-matcher';

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

/**
 * Unmatched and doubtful answers nobody has assigned yet, identical answers together, most frequent first: the first
 * `limit` groups, read in their order from the groups the answer writes keep (survey_review_groups, migration 0078),
 * with how many groups and answers wait in all. Its cost is the page's, whatever the number of answers.
 */
export function reviewQueue(db: Db, roundId: number, limit = 100): { items: ReviewItem[]; total: number; answers: number } {
  const queries = reviewQueries(db);
  return readTransaction(db, () => {
    const totals = queries.totals.get(roundId);
    const items = queries.groups.all(roundId, limit).map((row) => {
      const examples = textsOf(db, roundId, row.normalised, 3);
      return {
        normalised: row.normalised,
        text: examples[0] ?? '',
        count: row.answers,
        status: row.status,
        scoreMilli: row.scoreMilli,
        // A doubtful answer has a candidate HR is asked to confirm.
        candidateKey: row.status === 'doubtful' ? row.candidateKey : null,
        examples,
      };
    });
    return { items, total: totals?.groups ?? 0, answers: totals?.answers ?? 0 };
  });
}

const reviewQueries = preparedQuery((db) => ({
  totals: db.$client.prepare<[number], { groups: number; answers: number }>('SELECT groups, answers FROM survey_review_totals WHERE round_id = ?'),
  groups: db.$client.prepare<[number, number], { normalised: string; answers: number; status: AnswerStatus; scoreMilli: number; candidateKey: string | null }>(
    `SELECT normalised, answers, CASE WHEN doubtful > 0 THEN 'doubtful' ELSE 'unmatched' END AS status, score_milli AS scoreMilli,
            candidate_key AS candidateKey
       FROM survey_review_groups WHERE round_id = ? ORDER BY answers DESC, score_milli DESC, normalised LIMIT ?`,
  ),
  texts: db.$client
    .prepare<[number, string, number], string>('SELECT text FROM survey_review_texts WHERE round_id = ? AND normalised = ? ORDER BY answers DESC, text LIMIT ?')
    .pluck(),
}));

/** The texts of a review group as people wrote them, the most frequent first. */
function textsOf(db: Db, roundId: number, normalised: string, limit: number): string[] {
  return reviewQueries(db).texts.all(roundId, normalised, limit);
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
  const answerText = textsOf(db, roundId, input.normalised, 1)[0] ?? '';
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
      moveRoundToVersion(db, now, actor, round, target.id);
    }
    rescored = rescoreRound(db, roundId);
  }
  return { assigned, rescored, synonymSaved };
}

/** Points a round at another version of the advantages (its answers are re-scored by the caller). */
function moveRoundToVersion(db: Db, now: Date, actor: Actor, round: { id: number; advantageVersionId: number }, versionId: number) {
  writeTransaction(db, (tx) => {
    tx.update(surveyRounds).set({ advantageVersionId: versionId }).where(eq(surveyRounds.id, round.id)).run();
    recordAudit(
      tx,
      now,
      actor,
      'survey_round.rejudge',
      'survey_round',
      round.id,
      { advantageVersionId: round.advantageVersionId },
      { advantageVersionId: versionId },
    );
  });
}

/** Moves a round to the current advantages and re-scores it (e.g. after HR edited the synonyms). */
export function rejudgeRound(db: Db, clock: Clock, actor: Actor, roundId: number) {
  const round = getRound(db, roundId);
  const latest = currentAdvantageVersion(db);
  if (!latest) throw conflict('no_advantages', 'There are no official advantages.');
  if (latest.id !== round.advantageVersionId) {
    moveRoundToVersion(db, clock.now(), actor, round, latest.id);
  }
  return { versionNumber: latest.number, rescored: rescoreRound(db, roundId) };
}
