/**
 * The survey matching engine, lent to short names (competitors, sales material): which kept names
 * a typed name probably means, and which kept names are probably one thing. A name's aliases play
 * the part of an advantage's synonyms. Pure; callers bound how many names they pass.
 */
import { contentWords, createAnswerMatcher, foldText, similarity } from './matching';

export type KeptName = { id: number; name: string; aliases: string[] };
type NameMatch = { id: number; name: string; score: number; via: string };

/** A name whose meaningful words all appear in the other ("hooli" in "Hooli CRM") is close to it. */
const CONTAINED = 0.9;

function closeness(left: string, right: string): number {
  const a = foldText(left);
  const b = foldText(right);
  if (!a || !b) return 0;
  if (a === b) return 1;
  const wordsA = contentWords(left);
  const wordsB = contentWords(right);
  if (wordsA.length && wordsB.length) {
    const [shorter, longer] = wordsA.length <= wordsB.length ? [wordsA, new Set(wordsB)] : [wordsB, new Set(wordsA)];
    if (shorter.every((w) => longer.has(w))) return CONTAINED;
  }
  if (b.startsWith(a) && a.length >= 3) return CONTAINED;
  return similarity(left, right);
}

/**
 * The kept names a typed name probably means, best first: exact, contained, fuzzy (typos, word
 * forms) and synonym matches of each name and its aliases, at or above `minimum`.
 */
export function rankNames(query: string, names: KeptName[], options: { limit?: number; minimum?: number } = {}): NameMatch[] {
  const { limit = 8, minimum = 0.55 } = options;
  if (!foldText(query)) return [];
  const best = new Map<number, NameMatch>();
  const offer = (entry: KeptName, score: number, via: string) => {
    const known = best.get(entry.id);
    if (score >= minimum && (!known || score > known.score)) best.set(entry.id, { id: entry.id, name: entry.name, score, via });
  };
  for (const entry of names) {
    for (const phrase of [entry.name, ...entry.aliases]) offer(entry, closeness(query, phrase), phrase);
  }
  const matcher = createAnswerMatcher(names.map((n) => ({ id: n.id, name: n.name, synonyms: n.aliases })));
  const matched = matcher.match(query);
  if (matched.advantageId !== null) {
    const entry = names.find((n) => n.id === matched.advantageId);
    if (entry) offer(entry, matched.score, matched.matchedPhrase ?? entry.name);
  }
  return [...best.values()].sort((x, y) => y.score - x.score || x.name.localeCompare(y.name)).slice(0, limit);
}

type LikelyDuplicate = { a: KeptName; b: KeptName; score: number };

/** Pairs of kept names that probably name one thing, most alike first. */
export function likelyDuplicates(names: KeptName[], options: { minimum?: number; limit?: number } = {}): LikelyDuplicate[] {
  const { minimum = 0.7, limit = 50 } = options;
  const pairs: LikelyDuplicate[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      let score = 0;
      for (const left of [names[i]!.name, ...names[i]!.aliases]) {
        for (const right of [names[j]!.name, ...names[j]!.aliases]) score = Math.max(score, closeness(left, right));
      }
      if (score >= minimum) pairs.push({ a: names[i]!, b: names[j]!, score: Math.round(score * 100) / 100 });
    }
  }
  return pairs.sort((x, y) => y.score - x.score || x.a.name.localeCompare(y.a.name)).slice(0, limit);
}
