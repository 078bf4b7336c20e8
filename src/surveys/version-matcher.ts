import type { Db } from '../db';
import { toMatcherAdvantages, type AdvantageVersion } from './advantages';
import { createAnswerMatcher, type AnswerMatcher } from '../matching/matching';

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
