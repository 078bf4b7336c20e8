/**
 * What the surveys API's sub-apps share: presenters of rounds, result cells and answers.
 */
import type { surveyAnswers } from '../../db/schema';
import type { Db } from '../db';
import { listAdvantageVersions } from './advantages';
import type { RoundOverview } from './results';
import type { RateCell } from './tally';

/** A cell as the API shows it: every figure null where the group may not be described. */
export function publicCell(cell: RateCell) {
  const shown = !cell.hidden;
  const respondentsShown = shown || cell.respondents > 0;
  return {
    participants: cell.participants,
    respondents: respondentsShown ? cell.respondents : null,
    responseRate: respondentsShown ? cell.responseRate : null,
    answers: shown ? cell.answers : null,
    matched: shown ? cell.matched : null,
    matchRate: shown && cell.answers ? cell.matchRate : null,
    sharedMindset: shown && cell.verdict.code !== 'not_decided' ? cell.sharedMindset : null,
    verdict: shown ? cell.verdict : null,
    namedAll: shown ? cell.namedAll : null,
    namedAllShare: shown && cell.respondents ? cell.namedAllShare : null,
    hidden: cell.hidden,
  };
}

export function publicRound(round: RoundOverview, versionNumber: number) {
  const cell = publicCell(round.cell);
  return {
    id: round.id,
    title: round.title,
    population: round.population,
    populationKind: round.populationKind,
    anonymous: round.anonymous,
    minGroupSize: round.minGroupSize,
    status: round.status,
    closesOn: round.closesOn,
    closesAt: round.closesAt.toISOString(),
    advantageVersion: versionNumber,
    participants: cell.participants,
    respondents: cell.respondents,
    responseRate: cell.responseRate,
    answers: cell.answers,
    matched: cell.matched,
    matchRate: cell.matchRate,
    sharedMindset: cell.sharedMindset,
    verdict: cell.verdict,
    hidden: cell.hidden,
    toReview: cell.hidden ? null : round.toReview,
  };
}

export function versionNumbers(db: Db) {
  return new Map(listAdvantageVersions(db).map((version) => [version.id, version.number]));
}

export function publicAnswer(answer: typeof surveyAnswers.$inferSelect) {
  return {
    position: answer.position,
    text: answer.text,
    status: answer.status,
    advantageKey: answer.status === 'matched' ? answer.advantageKey : null,
    score: answer.scoreMilli / 1000,
    assignedByHr: answer.assignedById !== null,
  };
}
