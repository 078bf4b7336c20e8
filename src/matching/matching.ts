// Matching free-text shared-mindset answers to the company's official advantages.
// Pure module: no I/O, deterministic, fast enough to re-score a whole round on every synonym change.
// Its own room, below surveys (answers) and feedback (competitor and material names), which both use it.

export type AdvantageId = string | number;

export interface Advantage {
  id: AdvantageId;
  name: string;
  statement?: string | null;
  synonyms: string[];
}

export type MatchStatus = 'matched' | 'doubtful' | 'unmatched';

export interface AnswerMatch {
  /** The official advantage named (for 'doubtful': the best candidate HR is asked to confirm). */
  advantageId: AdvantageId | null;
  /** 0..1, how strongly the answer names the advantage. */
  score: number;
  status: MatchStatus;
  /** The name, synonym or statement that produced the score; shown to HR in the review queue. */
  matchedPhrase: string | null;
}

export interface MatchOptions {
  /** Scores at or above this match. */
  threshold: number;
  /** Scores in [threshold - doubtfulBand, threshold) are doubtful. */
  doubtfulBand: number;
  /**
   * An answer is doubtful when a second advantage also reaches the threshold (it names two), or when
   * the runner-up is in the doubtful band and closer to the best than this.
   */
  ambiguityMargin: number;
}

const DEFAULT_MATCH_OPTIONS: MatchOptions = {
  threshold: 0.7,
  doubtfulBand: 0.15,
  ambiguityMargin: 0.1,
};

export const SHARED_MINDSET_THRESHOLD = 0.75;

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

const STOP_WORDS = new Set(
  (
    'a an the and or nor but of to in into on onto for with without at by from as about than then ' +
    'our ours we us you your yours they them their theirs it its he she his her i me my mine ' +
    'is are was were be been being am do does did doing has have had having will would can could should shall may might must ' +
    'this that these those there here which who whom whose what when where why how ' +
    'just also so very really quite pretty too much many more most some any all each every both either ' +
    'not no yes if because while though although whether ' +
    'company companys product products offer offers offering provide provides providing ' +
    'thing things stuff etc eg ie like think guess probably maybe one ones other others ' +
    'get gets got getting make makes made making'
  ).split(/\s+/),
);

// Praise words carry little meaning about *which* advantage is named ("best support" vs "best price").
const GENERIC_WORDS = new Set(
  (
    'best better good great excellent amazing awesome top strong superior outstanding fantastic incredible ' +
    'world class leading unmatched unbeatable nice solid super high real truly always'
  ).split(/\s+/),
);
const GENERIC_WEIGHT = 0.3;

// Words people use interchangeably, folded onto one stem after stemming ("quick setup" = "fast setup").
const EQUIVALENT_STEMS = new Map<string, string>([
  ['quick', 'fast'],
  ['rapid', 'fast'],
  ['speedi', 'fast'],
  ['swift', 'fast'],
  ['speed', 'fast'],
  ['client', 'custom'],
  ['simpl', 'easi'],
  ['painless', 'easi'],
  ['effortless', 'easi'],
]);

// Survey answers reuse a small vocabulary, so stems are remembered across rounds (bounded, then started afresh).
const STEM_MEMORY_LIMIT = 50_000;
const rememberedStems = new Map<string, string>();

function canonicalStemOf(word: string): string {
  let canonical = rememberedStems.get(word);
  if (canonical === undefined) {
    const wordStem = stem(word);
    canonical = EQUIVALENT_STEMS.get(wordStem) ?? wordStem;
    if (rememberedStems.size >= STEM_MEMORY_LIMIT) rememberedStems.clear();
    rememberedStems.set(word, canonical);
  }
  return canonical;
}

/** Lowercase, strip accents, turn punctuation into spaces. */
export function foldText(text: string): string {
  let lower = (text ?? '').toLowerCase();
  if (/[^\x00-\x7f]/.test(lower)) {
    lower = lower
      .replace(/[’´]/g, "'")
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/ß/g, 'ss');
  }
  // One pass: letters and digits kept, apostrophes dropped ("don't" -> "dont"), anything else a single space.
  let folded = '';
  let pendingSpace = false;
  for (let index = 0; index < lower.length; index++) {
    const code = lower.charCodeAt(index);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (pendingSpace && folded !== '') folded += ' ';
      pendingSpace = false;
      folded += lower[index];
    } else if (code === 39 || code === 96) {
    } else if (code === 38 || code === 43) {
      if (folded !== '') folded += ' ';
      folded += code === 38 ? 'and' : 'plus';
      pendingSpace = true;
    } else {
      pendingSpace = true;
    }
  }
  return folded;
}

function splitWords(folded: string): string[] {
  return folded === '' ? [] : folded.split(' ');
}

/** Words of an answer that carry meaning (stop words removed), not yet stemmed. */
export function contentWords(text: string): string[] {
  return splitWords(foldText(text)).filter((word) => !STOP_WORDS.has(word));
}

/**
 * Case, accents, punctuation and stop words removed, each word stemmed (interchangeable words
 * such as "quick"/"fast" share one stem); space-joined.
 */
export function normaliseAnswer(text: string): string {
  return contentWords(text).map(canonicalStemOf).join(' ');
}

// ---------------------------------------------------------------------------
// Stemming: a Porter-style suffix stripper with a few extra rules for the
// comparatives and adverbs people use when praising ("fastest", "quickly").
// ---------------------------------------------------------------------------

function isConsonantAt(word: string, index: number): boolean {
  const letter = word[index];
  if (letter === 'a' || letter === 'e' || letter === 'i' || letter === 'o' || letter === 'u') return false;
  if (letter === 'y') return index === 0 ? true : !isConsonantAt(word, index - 1);
  return true;
}

/** Number of vowel-consonant sequences, Porter's "m". */
function measureOf(word: string): number {
  let count = 0;
  let index = 0;
  const length = word.length;
  while (index < length && isConsonantAt(word, index)) index++;
  while (index < length) {
    while (index < length && !isConsonantAt(word, index)) index++;
    if (index >= length) break;
    while (index < length && isConsonantAt(word, index)) index++;
    count++;
  }
  return count;
}

function containsVowel(word: string): boolean {
  for (let index = 0; index < word.length; index++) if (!isConsonantAt(word, index)) return true;
  return false;
}

function endsWithDoubleConsonant(word: string): boolean {
  const length = word.length;
  return length >= 2 && word[length - 1] === word[length - 2] && isConsonantAt(word, length - 1);
}

/** consonant-vowel-consonant ending whose last letter is not w, x or y ("hop", not "snow"). */
function endsWithShortSyllable(word: string): boolean {
  const length = word.length;
  if (length < 3) return false;
  const last = word[length - 1];
  return isConsonantAt(word, length - 3) && !isConsonantAt(word, length - 2) && isConsonantAt(word, length - 1) && last !== 'w' && last !== 'x' && last !== 'y';
}

type SuffixRule = readonly [suffix: string, replacement: string];

function byLongestSuffix(rules: SuffixRule[]): SuffixRule[] {
  return [...rules].sort((left, right) => right[0].length - left[0].length);
}

const DERIVATION_RULES = byLongestSuffix([
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['iser', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['isation', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
]);

const ADJECTIVE_RULES = byLongestSuffix([
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['alise', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
]);

const RESIDUAL_SUFFIXES = [
  'al',
  'ance',
  'ence',
  'er',
  'ic',
  'able',
  'ible',
  'ant',
  'ement',
  'ment',
  'ent',
  'ion',
  'ou',
  'ism',
  'ate',
  'iti',
  'ous',
  'ive',
  'ize',
  'ise',
].sort((left, right) => right.length - left.length);

/** Rules grouped by the suffix's last letter, so a word is only checked against rules that can fit it. */
function byLastLetter(rules: SuffixRule[]): Map<string, SuffixRule[]> {
  const grouped = new Map<string, SuffixRule[]>();
  for (const rule of rules) {
    const last = rule[0][rule[0].length - 1];
    grouped.set(last, [...(grouped.get(last) ?? []), rule]);
  }
  return grouped;
}

const DERIVATION_RULES_BY_LAST_LETTER = byLastLetter(DERIVATION_RULES);
const ADJECTIVE_RULES_BY_LAST_LETTER = byLastLetter(ADJECTIVE_RULES);

function applyFirstRule(word: string, rulesByLastLetter: Map<string, SuffixRule[]>, minimumMeasure: number): string {
  const rules = rulesByLastLetter.get(word[word.length - 1]);
  if (!rules) return word;
  for (const [suffix, replacement] of rules) {
    if (!word.endsWith(suffix)) continue;
    const base = word.slice(0, word.length - suffix.length);
    return measureOf(base) >= minimumMeasure ? base + replacement : word;
  }
  return word;
}

function stripPlural(word: string): string {
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ies')) return word.length > 4 ? word.slice(0, -2) : word.slice(0, -1);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('sis') || word.endsWith('tis')) return word;
  if (word.endsWith('s') && word.length >= 3) return word.slice(0, -1);
  return word;
}

// "fastest", "cheaper", "easiest", "quickly" -> the plain adjective, so praise compares with the synonym.
function stripComparison(word: string): string {
  if (word.endsWith('iest') && word.length >= 6) return `${word.slice(0, -4)}y`;
  if (word.endsWith('ier') && word.length >= 5) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ily') && word.length >= 6) return `${word.slice(0, -3)}y`;
  for (const suffix of ['est', 'er', 'ly']) {
    if (!word.endsWith(suffix)) continue;
    let base = word.slice(0, -suffix.length);
    if (base.length < 3 || !isConsonantAt(base, base.length - 1) || !containsVowel(base)) return word;
    if (suffix === 'er' && base.length < 4) return word;
    if (endsWithDoubleConsonant(base) && !/(ll|ss|zz)$/.test(base)) base = base.slice(0, -1);
    return base;
  }
  return word;
}

function stripVerbEnding(word: string): string {
  if (word.endsWith('eed')) {
    return measureOf(word.slice(0, -3)) > 0 ? word.slice(0, -1) : word;
  }
  let base: string | null = null;
  if (word.endsWith('ed') && containsVowel(word.slice(0, -2))) base = word.slice(0, -2);
  else if (word.endsWith('ing') && containsVowel(word.slice(0, -3)) && word.length > 4) base = word.slice(0, -3);
  if (base === null) return word;
  if (base.endsWith('at') || base.endsWith('bl') || base.endsWith('iz') || base.endsWith('is')) return `${base}e`;
  if (endsWithDoubleConsonant(base) && !/[lsz]$/.test(base)) return base.slice(0, -1);
  if (measureOf(base) === 1 && endsWithShortSyllable(base)) return `${base}e`;
  return base;
}

/** Light English stemmer: "integrations", "integrated", "integrating" -> "integr"; "fastest" -> "fast". */
export function stem(input: string): string {
  let word = input.toLowerCase();
  if (word.length <= 2 || /\d/.test(word)) return word;

  word = stripPlural(word);
  word = stripComparison(word);
  word = stripVerbEnding(word);
  if (word.endsWith('y') && containsVowel(word.slice(0, -1)) && word.length > 2) word = `${word.slice(0, -1)}i`;
  word = applyFirstRule(word, DERIVATION_RULES_BY_LAST_LETTER, 1);
  word = applyFirstRule(word, ADJECTIVE_RULES_BY_LAST_LETTER, 1);

  for (const suffix of RESIDUAL_SUFFIXES) {
    if (!word.endsWith(suffix)) continue;
    const base = word.slice(0, -suffix.length);
    const allowed = suffix === 'ion' ? /[st]$/.test(base) : true;
    if (allowed && measureOf(base) > 1) word = base;
    break;
  }

  if (word.endsWith('e')) {
    const base = word.slice(0, -1);
    const measure = measureOf(base);
    if (measure > 1 || (measure === 1 && !endsWithShortSyllable(base))) word = base;
  }
  if (word.endsWith('ll') && measureOf(word) > 1) word = word.slice(0, -1);
  return word;
}

// ---------------------------------------------------------------------------
// Character trigrams, for typos ("suport", "intergrations")
// ---------------------------------------------------------------------------

function trigramsOf(text: string): Set<string> {
  const padded = `  ${text} `;
  const grams = new Set<string>();
  for (let index = 0; index + 3 <= padded.length; index++) grams.add(padded.slice(index, index + 3));
  return grams;
}

function diceOfSets(left: Set<string>, right: Set<string>): number {
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  const [smaller, larger] = left.size <= right.size ? [left, right] : [right, left];
  for (const gram of smaller) if (larger.has(gram)) shared++;
  return (2 * shared) / (left.size + right.size);
}

/** Character-trigram Dice similarity of two strings, 0..1. */
function trigramSimilarity(left: string, right: string): number {
  if (left === right) return left === '' ? 0 : 1;
  return diceOfSets(trigramsOf(left), trigramsOf(right));
}

interface Term {
  word: string;
  stem: string;
  /** The word's character trigrams as sorted, distinct numbers (folded words only use a-z, 0-9). */
  grams: Int32Array;
  weight: number;
  hasDigit: boolean;
}

const SYMBOLS = 37;

function symbolOf(code: number): number {
  if (code >= 97 && code <= 122) return code - 96;
  if (code >= 48 && code <= 57) return code - 21;
  return 0;
}

function trigramCodesOf(word: string): Int32Array {
  const codes = new Int32Array(word.length + 1);
  let first = 0;
  let second = 0;
  for (let index = 0; index <= word.length; index++) {
    const third = index < word.length ? symbolOf(word.charCodeAt(index)) : 0;
    codes[index] = (first * SYMBOLS + second) * SYMBOLS + third;
    first = second;
    second = third;
  }
  codes.sort();
  let distinct = 0;
  for (let index = 0; index < codes.length; index++) if (index === 0 || codes[index] !== codes[index - 1]) codes[distinct++] = codes[index];
  return distinct === codes.length ? codes : codes.slice(0, distinct);
}

function sharedGramCount(left: Int32Array, right: Int32Array): number {
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (left[i] === right[j]) {
      shared++;
      i++;
      j++;
    } else if (left[i] < right[j]) i++;
    else j++;
  }
  return shared;
}

function termOf(word: string): Term {
  const wordStem = canonicalStemOf(word);
  return {
    word,
    stem: wordStem,
    grams: trigramCodesOf(word),
    weight: GENERIC_WORDS.has(word) ? GENERIC_WEIGHT : 1,
    hasDigit: /\d/.test(word),
  };
}

const TYPO_MIN_LENGTH = 4;
const TYPO_MIN_SIMILARITY = 0.62;

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions, swapped neighbours),
 * or limit + 1 as soon as it is known to exceed limit.
 */
export function typoDistance(left: string, right: string, limit = 2): number {
  if (Math.abs(left.length - right.length) > limit) return limit + 1;
  const width = right.length + 1;
  if (typoRows[0].length < width) typoRows = [0, 1, 2].map(() => new Int32Array(width * 2));
  let [beforePrevious, previous, current] = typoRows;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= left.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= right.length; j++) {
      const cost = left.charCodeAt(i - 1) === right.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && left.charCodeAt(i - 1) === right.charCodeAt(j - 2) && left.charCodeAt(i - 2) === right.charCodeAt(j - 1)) {
        value = Math.min(value, beforePrevious[j - 2] + 1);
      }
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return Math.min(previous[right.length], limit + 1);
}

// Reused between calls: typoDistance runs thousands of times while a round is scored.
let typoRows: Int32Array[] = [0, 1, 2].map(() => new Int32Array(64));

/** Typos a word of this length may carry and still count: none for short words, two for long ones. */
function allowedTypos(shorterLength: number): number {
  if (shorterLength >= 8) return 2;
  if (shorterLength >= TYPO_MIN_LENGTH) return 1;
  return 0;
}

/**
 * How well one word stands in for another: 1 for the same stem, less for typos and truncations.
 * `sharedGrams` is the number of character trigrams the two spellings share, when the caller knows it.
 */
function termAffinity(left: Term, right: Term, sharedGrams = sharedGramCount(left.grams, right.grams)): number {
  if (left.stem === right.stem || left.word === right.word) return 1;
  const shorterLength = Math.min(left.word.length, right.word.length);
  if (shorterLength < TYPO_MIN_LENGTH || left.hasDigit || right.hasDigit) return 0;
  const limit = allowedTypos(shorterLength);
  // Each typo breaks at most four trigrams, so fewer shared trigrams rule the pair out without aligning them.
  const mostGrams = Math.max(left.grams.length, right.grams.length);
  if (sharedGrams >= mostGrams - 4 * limit && Math.abs(left.word.length - right.word.length) <= limit) {
    const edits = typoDistance(left.word, right.word, limit);
    // In four-letter words only a missing or extra letter is a typo; "fast" and "last" are different words.
    const plausible = shorterLength > TYPO_MIN_LENGTH || left.word.length !== right.word.length;
    if (edits <= limit && plausible) return edits === 1 ? 0.9 : 0.8;
  }
  // Beyond edit distance, trigrams catch scrambled spellings, but only between words of about the same length.
  if (Math.abs(left.word.length - right.word.length) > 2) return 0;
  const similarity = (2 * sharedGrams) / (left.grams.length + right.grams.length);
  return similarity >= TYPO_MIN_SIMILARITY ? similarity : 0;
}

// ---------------------------------------------------------------------------
// Answer features
// ---------------------------------------------------------------------------

interface TextFeatures {
  terms: Term[];
  /** Adjacent words written together ("set up" -> "setup"), only used to find phrase words. */
  joinedWords: string[];
  folded: string;
}

function featuresOf(text: string, termCache?: Map<string, Term>): TextFeatures {
  const folded = foldText(text);
  const words = splitWords(folded);
  const lookup = (word: string): Term => {
    if (!termCache) return termOf(word);
    let term = termCache.get(word);
    if (!term) {
      term = termOf(word);
      termCache.set(word, term);
    }
    return term;
  };
  const seen = new Set<string>();
  const terms: Term[] = [];
  for (const word of words) {
    if (STOP_WORDS.has(word)) continue;
    const term = lookup(word);
    if (seen.has(term.stem)) continue;
    seen.add(term.stem);
    terms.push(term);
  }
  const joinedWords: string[] = [];
  for (let index = 0; index + 1 < words.length; index++) {
    const joined = words[index] + words[index + 1];
    if (joined.length >= 5) joinedWords.push(joined);
  }
  return { terms, joinedWords, folded };
}

function totalWeight(terms: Term[]): number {
  let sum = 0;
  for (const term of terms) sum += term.weight;
  return sum;
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

interface PreparedPhrase {
  text: string;
  /** Indexes into the matcher's vocabulary. */
  vocabularyIndexes: number[];
  weights: number[];
  weightSum: number;
  isStatement: boolean;
}

/** The vocabulary words one answer word has any affinity to, and how much (most words have none or one). */
interface WordAffinities {
  hits: number[];
  values: number[];
}

function affinityTo(word: WordAffinities, vocabularyIndex: number): number {
  const { hits } = word;
  for (let index = 0; index < hits.length; index++) if (hits[index] === vocabularyIndex) return word.values[index];
  return 0;
}

const NO_AFFINITY: WordAffinities = { hits: [], values: [] };

interface PreparedAdvantage {
  id: AdvantageId;
  phrases: PreparedPhrase[];
  /** Every vocabulary word any of its phrases or its statement uses. */
  vocabularyIndexes: number[];
}

export interface AnswerMatcher {
  match(answer: string): AnswerMatch;
  options: MatchOptions;
}

const STATEMENT_DISCOUNT = 0.9;
// A paraphrase built from an advantage's words, without repeating any one phrase, scores at most this.
const PARAPHRASE_CAP = 0.85;
const STRONG_AFFINITY = 0.8;

/**
 * Precomputes the advantages' phrases once so a whole round (tens of thousands of answers)
 * is scored with cached per-word similarities.
 */
export function createAnswerMatcher(advantages: Advantage[], options: Partial<MatchOptions> = {}): AnswerMatcher {
  const resolved: MatchOptions = { ...DEFAULT_MATCH_OPTIONS, ...options };
  // One entry per stem, with every spelling the phrases use ("integrations", "integrates").
  const vocabulary: Term[][] = [];
  const vocabularyIndexByStem = new Map<string, number>();
  const termCache = new Map<string, Term>();

  const internTerm = (term: Term): number => {
    let index = vocabularyIndexByStem.get(term.stem);
    if (index === undefined) {
      index = vocabulary.length;
      vocabulary.push([term]);
      vocabularyIndexByStem.set(term.stem, index);
    } else if (!vocabulary[index].some((spelling) => spelling.word === term.word)) {
      vocabulary[index].push(term);
    }
    return index;
  };

  const phraseOf = (text: string, terms: Term[], isStatement: boolean): PreparedPhrase => ({
    text,
    vocabularyIndexes: terms.map(internTerm),
    weights: terms.map((term) => term.weight),
    weightSum: totalWeight(terms),
    isStatement,
  });

  const preparePhrases = (text: string, isStatement: boolean): PreparedPhrase[] => {
    const { terms } = featuresOf(text, termCache);
    if (terms.length === 0) return [];
    const phrases = [phraseOf(text, terms, isStatement)];
    // "help desk" is also written "helpdesk": accept each neighbouring pair written as one word.
    if (!isStatement) {
      for (let index = 0; index + 1 < terms.length; index++) {
        const joined = termCache.get(terms[index].word + terms[index + 1].word) ?? termOf(terms[index].word + terms[index + 1].word);
        phrases.push(phraseOf(text, [...terms.slice(0, index), joined, ...terms.slice(index + 2)], false));
      }
    }
    return phrases;
  };

  const prepared: PreparedAdvantage[] = advantages.map((advantage) => {
    const phrases: PreparedPhrase[] = [];
    const seenTexts = new Set<string>();
    const candidates: Array<[string, boolean]> = [[advantage.name, false], ...advantage.synonyms.map((synonym): [string, boolean] => [synonym, false])];
    if (advantage.statement) candidates.push([advantage.statement, true]);
    for (const [text, isStatement] of candidates) {
      const key = normaliseAnswer(text);
      if (key === '' || seenTexts.has(key)) continue;
      seenTexts.add(key);
      phrases.push(...preparePhrases(text, isStatement));
    }
    const vocabularyIndexes = [...new Set(phrases.flatMap((phrase) => phrase.vocabularyIndexes))];
    return { id: advantage.id, phrases, vocabularyIndexes };
  });

  // A word used by several advantages ("customer") says little about which one is meant.
  const advantagesUsingWord = new Float64Array(vocabulary.length);
  for (const advantage of prepared) for (const index of advantage.vocabularyIndexes) advantagesUsingWord[index]++;

  // Affinity of an answer word to every vocabulary word, computed once per distinct word.
  // Only spellings sharing a character trigram with an answer word can be a typo of it or share its stem's
  // beginning, so an inverted index keeps the comparisons per distinct word to a handful.
  const spellings: Array<{ term: Term; vocabularyIndex: number }> = [];
  const spellingsByGram: Array<number[] | undefined> = new Array(SYMBOLS * SYMBOLS * SYMBOLS);
  vocabulary.forEach((entry, vocabularyIndex) => {
    for (const term of entry) {
      const spellingIndex = spellings.push({ term, vocabularyIndex }) - 1;
      for (const gram of term.grams) (spellingsByGram[gram] ??= []).push(spellingIndex);
    }
  });
  const sharedGrams = new Int32Array(spellings.length);
  const touched: number[] = [];

  const affinityCache = new Map<string, WordAffinities>();
  const scratchRow = new Float64Array(vocabulary.length);
  const affinitiesOf = (term: Term): WordAffinities => {
    const known = affinityCache.get(term.word);
    if (known) return known;
    const hits: number[] = [];
    const sameStem = vocabularyIndexByStem.get(term.stem);
    if (sameStem !== undefined) {
      scratchRow[sameStem] = 1;
      hits.push(sameStem);
    }
    for (const gram of term.grams) {
      const list = spellingsByGram[gram];
      if (!list) continue;
      for (const spellingIndex of list) {
        if (sharedGrams[spellingIndex]++ === 0) touched.push(spellingIndex);
      }
    }
    for (const spellingIndex of touched) {
      const shared = sharedGrams[spellingIndex];
      sharedGrams[spellingIndex] = 0;
      // Every way two different words can still be alike (typo, cut short, scrambled) leaves two trigrams in common.
      if (shared < 2) continue;
      const { term: spelling, vocabularyIndex } = spellings[spellingIndex];
      if (scratchRow[vocabularyIndex] === 1) continue;
      const affinity = termAffinity(term, spelling, shared);
      if (affinity <= scratchRow[vocabularyIndex]) continue;
      if (scratchRow[vocabularyIndex] === 0) hits.push(vocabularyIndex);
      scratchRow[vocabularyIndex] = affinity;
    }
    touched.length = 0;
    const affinities = hits.length === 0 ? NO_AFFINITY : { hits, values: hits.map((index) => scratchRow[index]) };
    for (const index of hits) scratchRow[index] = 0;
    affinityCache.set(term.word, affinities);
    return affinities;
  };

  // Words written together only count when they are exactly a phrase word ("setup", "helpdesk").
  const joinedAffinityCache = new Map<string, WordAffinities | null>();
  // Stemming keeps a word's first letters, so a joined pair can only be a phrase word that starts the same way.
  const vocabularyBeginnings = new Set(vocabulary.flatMap((entry) => entry.map((term) => term.word.slice(0, 4))));
  const joinedAffinitiesOf = (joined: string): WordAffinities | null => {
    if (!vocabularyBeginnings.has(joined.slice(0, 4))) return null;
    let affinities = joinedAffinityCache.get(joined);
    if (affinities === undefined) {
      const vocabularyIndex = vocabularyIndexByStem.get(canonicalStemOf(joined));
      affinities = null;
      if (vocabularyIndex !== undefined) affinities = { hits: [vocabularyIndex], values: [1] };
      joinedAffinityCache.set(joined, affinities);
    }
    return affinities;
  };

  // Which phrases use each vocabulary word, so an answer is only scored against phrases it shares a word with.
  const phraseSlots: Array<{ advantageSlot: number; phrase: PreparedPhrase }> = [];
  const phraseSlotsByWord: number[][] = vocabulary.map(() => []);
  prepared.forEach((advantage, advantageSlot) => {
    for (const phrase of advantage.phrases) {
      const slot = phraseSlots.push({ advantageSlot, phrase }) - 1;
      for (const vocabularyIndex of new Set(phrase.vocabularyIndexes)) phraseSlotsByWord[vocabularyIndex].push(slot);
    }
  });
  const advantageUsesWord = prepared.map((advantage) => {
    const uses = new Uint8Array(vocabulary.length);
    for (const index of advantage.vocabularyIndexes) uses[index] = 1;
    return uses;
  });
  const phraseSeenInAnswer = new Int32Array(phraseSlots.length);
  let answerSerial = 0;

  const scorePhrase = (
    phrase: PreparedPhrase,
    words: WordAffinities[],
    joinedWords: WordAffinities[],
    answerWeights: number[],
    answerWeightSum: number,
  ): number => {
    // How much of the phrase the answer says...
    let phraseCovered = 0;
    for (let p = 0; p < phrase.vocabularyIndexes.length; p++) {
      const vocabularyIndex = phrase.vocabularyIndexes[p];
      let best = 0;
      for (let a = 0; a < words.length; a++) best = Math.max(best, affinityTo(words[a], vocabularyIndex));
      for (let j = 0; j < joinedWords.length; j++) best = Math.max(best, affinityTo(joinedWords[j], vocabularyIndex));
      phraseCovered += best * phrase.weights[p];
    }
    const phraseCoverage = phraseCovered / phrase.weightSum;
    if (phraseCoverage === 0) return 0;
    // ...and how much of the answer is about the phrase (other words dilute it: "cheap, good support").
    let answerCovered = 0;
    for (let a = 0; a < words.length; a++) {
      let best = 0;
      for (let p = 0; p < phrase.vocabularyIndexes.length; p++) best = Math.max(best, affinityTo(words[a], phrase.vocabularyIndexes[p]));
      answerCovered += best * answerWeights[a];
    }
    const answerCoverage = answerCovered / answerWeightSum;
    if (phrase.isStatement) {
      // A statement is a long sentence: judge by how much of the answer it explains, asking for two real words.
      if (answerCovered < 1.5) return 0;
      return STATEMENT_DISCOUNT * answerCoverage * Math.min(1, 0.6 + phraseCoverage);
    }
    return phraseCoverage * (0.7 + 0.3 * answerCoverage);
  };

  // Paraphrase evidence: most of the answer's words belong to this advantage's vocabulary, at least two
  // of them clearly, one of them used by no other advantage ("we plug into the systems customers already use").
  const scoreParaphrase = (advantageSlot: number, words: WordAffinities[], answerWeights: number[], answerWeightSum: number): number => {
    const uses = advantageUsesWord[advantageSlot];
    let covered = 0;
    let strongWords = 0;
    let distinctiveWords = 0;
    for (let a = 0; a < words.length; a++) {
      const { hits, values } = words[a];
      let best = 0;
      let bestIndex = -1;
      for (let h = 0; h < hits.length; h++) {
        if (uses[hits[h]] === 1 && values[h] > best) {
          best = values[h];
          bestIndex = hits[h];
        }
      }
      if (bestIndex < 0) continue;
      covered += (best * answerWeights[a]) / advantagesUsingWord[bestIndex];
      if (best >= STRONG_AFFINITY && answerWeights[a] === 1) {
        strongWords++;
        if (advantagesUsingWord[bestIndex] === 1) distinctiveWords++;
      }
    }
    if (strongWords < 2 || distinctiveWords < 1) return 0;
    return PARAPHRASE_CAP * (covered / answerWeightSum);
  };

  // Rounds repeat themselves ("support", "price"): results are kept per raw answer and per folded answer.
  const resultCache = new Map<string, AnswerMatch>();
  const resultByAnswer = new Map<string, AnswerMatch>();

  const computeMatch = (features: TextFeatures): AnswerMatch => {
    if (features.terms.length === 0) return { advantageId: null, score: 0, status: 'unmatched', matchedPhrase: null };
    const words = features.terms.map(affinitiesOf);
    const joinedWords: WordAffinities[] = [];
    for (const joined of features.joinedWords) {
      const affinities = joinedAffinitiesOf(joined);
      if (affinities) joinedWords.push(affinities);
    }
    const answerWeights = features.terms.map((term) => term.weight);
    const answerWeightSum = totalWeight(features.terms);

    const advantageScores = new Float64Array(prepared.length);
    const advantagePhrases: string[] = prepared.map(() => '');
    answerSerial++;
    for (const word of [...words, ...joinedWords]) {
      for (const vocabularyIndex of word.hits) {
        for (const slot of phraseSlotsByWord[vocabularyIndex]) {
          if (phraseSeenInAnswer[slot] === answerSerial) continue;
          phraseSeenInAnswer[slot] = answerSerial;
          const { advantageSlot, phrase } = phraseSlots[slot];
          const score = scorePhrase(phrase, words, joinedWords, answerWeights, answerWeightSum);
          if (score > advantageScores[advantageSlot]) {
            advantageScores[advantageSlot] = score;
            advantagePhrases[advantageSlot] = phrase.text;
          }
        }
      }
    }

    let best: { id: AdvantageId; score: number; phrase: string } | null = null;
    let runnerUpScore = 0;
    prepared.forEach((advantage, advantageSlot) => {
      let advantageScore = advantageScores[advantageSlot];
      let advantagePhrase = advantagePhrases[advantageSlot];
      const paraphraseScore = scoreParaphrase(advantageSlot, words, answerWeights, answerWeightSum);
      if (paraphraseScore > advantageScore) {
        advantageScore = paraphraseScore;
        advantagePhrase = advantage.phrases[0]?.text ?? '';
      }
      if (!best || advantageScore > best.score) {
        if (best) runnerUpScore = Math.max(runnerUpScore, best.score);
        best = { id: advantage.id, score: advantageScore, phrase: advantagePhrase };
      } else if (advantageScore > runnerUpScore) {
        runnerUpScore = advantageScore;
      }
    });
    return classifyScore(best, runnerUpScore, resolved);
  };

  return {
    options: resolved,
    match(answer: string): AnswerMatch {
      const known = resultByAnswer.get(answer);
      if (known) return known;
      const features = featuresOf(answer ?? '', termCache);
      const key = features.folded;
      let result = resultCache.get(key);
      if (!result) {
        // Shared by every identical answer in the round, so nobody may change it.
        result = Object.freeze(computeMatch(features));
        resultCache.set(key, result);
      }
      resultByAnswer.set(answer, result);
      return result;
    },
  };
}

function roundScore(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;
}

function classifyScore(best: { id: AdvantageId; score: number; phrase: string } | null, runnerUpScore: number, options: MatchOptions): AnswerMatch {
  if (!best || best.score <= 0) return { advantageId: null, score: 0, status: 'unmatched', matchedPhrase: null };
  const score = roundScore(best.score);
  const runnerUp = roundScore(runnerUpScore);
  if (score >= options.threshold) {
    // The answer names two advantages, or cannot tell them apart: HR decides.
    const namesTwo = runnerUp >= options.threshold;
    const tooCloseToCall = runnerUp >= options.threshold - options.doubtfulBand && score - runnerUp < options.ambiguityMargin;
    if (namesTwo || tooCloseToCall) {
      return { advantageId: best.id, score, status: 'doubtful', matchedPhrase: best.phrase };
    }
    return { advantageId: best.id, score, status: 'matched', matchedPhrase: best.phrase };
  }
  if (score >= options.threshold - options.doubtfulBand) {
    return { advantageId: best.id, score, status: 'doubtful', matchedPhrase: best.phrase };
  }
  return { advantageId: null, score, status: 'unmatched', matchedPhrase: null };
}

/** Matches one answer. For many answers use matchAnswers or createAnswerMatcher, which share work. */
export function matchAnswer(answer: string, advantages: Advantage[], options: Partial<MatchOptions> = {}): AnswerMatch {
  return createAnswerMatcher(advantages, options).match(answer);
}

/** Matches a batch of answers against the same advantages, preparing the advantages once. */
export function matchAnswers(answers: string[], advantages: Advantage[], options: Partial<MatchOptions> = {}): AnswerMatch[] {
  const matcher = createAnswerMatcher(advantages, options);
  return answers.map((answer) => matcher.match(answer));
}

// ---------------------------------------------------------------------------
// Similarity between two free texts
// ---------------------------------------------------------------------------

type AffinityOf = (left: Term, right: Term) => number;

function softDice(left: Term[], right: Term[], affinityOf: AffinityOf = termAffinity): number {
  if (left.length === 0 || right.length === 0) return 0;
  // Affinity is symmetric, so one table of pairs serves both directions.
  const pairs = left.map((term) => right.map((other) => affinityOf(term, other)));
  let leftCovered = 0;
  for (let i = 0; i < left.length; i++) leftCovered += Math.max(...pairs[i]) * left[i].weight;
  let rightCovered = 0;
  for (let j = 0; j < right.length; j++) {
    let best = 0;
    for (let i = 0; i < left.length; i++) if (pairs[i][j] > best) best = pairs[i][j];
    rightCovered += best * right[j].weight;
  }
  // Rounded so that exact fractions (3 of 5 words) compare with thresholds the same way whatever the word order.
  return Math.round(((leftCovered + rightCovered) / (totalWeight(left) + totalWeight(right))) * 1e9) / 1e9;
}

/** Remembers word-pair affinities while many answers are compared with each other. */
function rememberingAffinity(): AffinityOf {
  const idOfWord = new Map<string, number>();
  const known = new Map<number, number>();
  const idOf = (term: Term) => {
    let id = idOfWord.get(term.word);
    if (id === undefined) {
      id = idOfWord.size;
      idOfWord.set(term.word, id);
    }
    return id;
  };
  return (left, right) => {
    const leftId = idOf(left);
    const rightId = idOf(right);
    const key = leftId < rightId ? leftId * 1_048_576 + rightId : rightId * 1_048_576 + leftId;
    let affinity = known.get(key);
    if (affinity === undefined) {
      affinity = termAffinity(left, right);
      known.set(key, affinity);
    }
    return affinity;
  };
}

/** 0..1: how alike two answers are, by stems (tolerating typos) and by characters. */
export function similarity(left: string, right: string): number {
  const leftFeatures = featuresOf(left);
  const rightFeatures = featuresOf(right);
  if (leftFeatures.terms.length === 0 || rightFeatures.terms.length === 0) return 0;
  const byWords = softDice(leftFeatures.terms, rightFeatures.terms);
  const leftStems = leftFeatures.terms.map((term) => term.stem).join(' ');
  const rightStems = rightFeatures.terms.map((term) => term.stem).join(' ');
  const byCharacters = trigramSimilarity(leftStems, rightStems);
  return roundScore(Math.max(byWords, byCharacters));
}

// ---------------------------------------------------------------------------
// Match rate and the shared-mindset verdict
// ---------------------------------------------------------------------------

/** Share of answers that name an official advantage; doubtful answers do not count until HR assigns them. */
export function matchRate(results: Array<Pick<AnswerMatch, 'status'>>): number {
  if (results.length === 0) return 0;
  let matched = 0;
  for (const result of results) if (result.status === 'matched') matched++;
  return matched / results.length;
}

/** A round has a shared mindset when at least 75% of the answers name an official advantage. */
export function hasSharedMindset(rate: number): boolean {
  return rate >= SHARED_MINDSET_THRESHOLD;
}

// ---------------------------------------------------------------------------
// What people say instead
// ---------------------------------------------------------------------------

export type Department = 'sales' | 'marketing' | 'other';

interface AnswerToGroup {
  text: string;
  department?: Department | string | null;
  /** How many answers this row stands for (identical answers counted in SQL); 1 when absent. */
  count?: number;
}

export interface AnswerGroup {
  label: string;
  count: number;
  byDepartment: Record<Department, number>;
  examples: string[];
}

interface OtherConcept {
  label: string;
  phrases: string[];
}

/** Things people commonly name instead of the official advantages; words that mean the same land in one group. */
const COMMON_OTHER_CONCEPTS: OtherConcept[] = [
  {
    label: 'price',
    phrases: [
      'price',
      'pricing',
      'cheap',
      'low cost',
      'cost',
      'affordable',
      'inexpensive',
      'value for money',
      'good value',
      'discount',
      'discounts',
      'budget friendly',
      'competitive price',
      'low price',
      'free trial',
      'licence fees',
      'tco',
    ],
  },
  {
    label: 'quality',
    phrases: ['quality', 'high quality', 'premium', 'well built', 'craftsmanship', 'polished product'],
  },
  {
    label: 'brand',
    phrases: ['brand', 'reputation', 'well known', 'name recognition', 'market leader', 'trusted name', 'big logos', 'references'],
  },
  {
    label: 'features',
    phrases: ['features', 'functionality', 'feature set', 'capabilities', 'modules', 'reporting', 'dashboards', 'analytics'],
  },
  {
    label: 'ease of use',
    phrases: ['easy to use', 'ease of use', 'user friendly', 'intuitive', 'usability', 'simple interface', 'clean ui', 'ux'],
  },
  {
    label: 'reliability',
    phrases: ['reliable', 'reliability', 'uptime', 'stable', 'stability', 'never goes down'],
  },
  {
    label: 'security',
    phrases: ['security', 'secure', 'compliance', 'gdpr', 'iso 27001', 'soc 2', 'data protection'],
  },
  {
    label: 'innovation',
    phrases: ['innovation', 'innovative', 'ai', 'artificial intelligence', 'cutting edge', 'modern technology', 'roadmap'],
  },
  {
    label: 'people',
    phrases: ['people', 'our team', 'culture', 'employees', 'staff', 'sales team', 'expertise'],
  },
  {
    label: 'flexibility',
    phrases: ['flexible', 'flexibility', 'customisable', 'customizable', 'configurable', 'tailored'],
  },
];

interface GroupingOptions {
  concepts: OtherConcept[];
  /** Two answers with at least this similarity land in the same group. */
  groupingThreshold: number;
  maxExamples: number;
}

const DEFAULT_GROUPING_OPTIONS: GroupingOptions = {
  concepts: COMMON_OTHER_CONCEPTS,
  groupingThreshold: 0.6,
  maxExamples: 3,
};

const EMPTY_ANSWER_LABEL = '(empty answer)';

function departmentOf(value: AnswerToGroup['department']): Department {
  return value === 'sales' || value === 'marketing' ? value : 'other';
}

interface GroupInProgress {
  label: string;
  representative: Term[];
  weightSum: number;
  count: number;
  byDepartment: Record<Department, number>;
  exampleCounts: Map<string, { text: string; count: number }>;
}

/**
 * Groups (usually unmatched) answers by meaning: common concepts first ("price", "cheap",
 * "lowest cost" are one group), then by similarity; sorted by count, largest first.
 */
export function groupSimilarAnswers(answers: AnswerToGroup[], options: Partial<GroupingOptions> = {}): AnswerGroup[] {
  const resolved = { ...DEFAULT_GROUPING_OPTIONS, ...options };
  const conceptMatcher = createAnswerMatcher(
    resolved.concepts.map((concept) => ({ id: concept.label, name: concept.label, synonyms: concept.phrases })),
    { threshold: 0.7, doubtfulBand: 0, ambiguityMargin: 0 },
  );
  const groupsByLabel = new Map<string, GroupInProgress>();
  const freeGroups: GroupInProgress[] = [];
  const groupByFolded = new Map<string, GroupInProgress>();
  const groupByText = new Map<string, GroupInProgress>();
  // Free groups by the first letter of their words' stems: alike words start alike (a typo rarely hits the first letter).
  const freeGroupsByBeginning = new Map<string, Array<{ index: number; weight: number }>>();
  const coverable: number[] = [];
  const beginningWeightsOf = (terms: Term[]) => {
    const weights = new Map<string, number>();
    for (const term of terms) {
      const beginning = term.stem.slice(0, 1);
      weights.set(beginning, (weights.get(beginning) ?? 0) + term.weight);
    }
    return weights;
  };
  const termCache = new Map<string, Term>();
  const affinityOf = rememberingAffinity();

  const openGroup = (label: string, representative: Term[]): GroupInProgress => ({
    label,
    representative,
    weightSum: totalWeight(representative),
    count: 0,
    byDepartment: { sales: 0, marketing: 0, other: 0 },
    exampleCounts: new Map(),
  });

  for (const answer of answers) {
    const text = answer.text ?? '';
    let group = groupByText.get(text);
    const example = text.trim().replace(/\s+/g, ' ');
    const features = group ? null : featuresOf(example, termCache);
    if (features) group = groupByFolded.get(features.folded);
    if (!group && features) {
      if (features.terms.length === 0) {
        group = groupsByLabel.get(EMPTY_ANSWER_LABEL) ?? openGroup(EMPTY_ANSWER_LABEL, []);
        groupsByLabel.set(EMPTY_ANSWER_LABEL, group);
      } else {
        const concept = conceptMatcher.match(example);
        if (concept.status === 'matched' && concept.advantageId !== null) {
          const label = String(concept.advantageId);
          group = groupsByLabel.get(label) ?? openGroup(label, []);
          groupsByLabel.set(label, group);
        } else {
          let bestGroup: GroupInProgress | null = null;
          let bestSimilarity = 0;
          const beginnings = beginningWeightsOf(features.terms);
          const answerWeight = totalWeight(features.terms);
          // Only words starting with the same letter can cover each other, which bounds the similarity from above.
          if (coverable.length < freeGroups.length) coverable.push(...new Array<number>(freeGroups.length - coverable.length).fill(0));
          const touched: number[] = [];
          for (const [beginning, weight] of beginnings) {
            for (const entry of freeGroupsByBeginning.get(beginning) ?? []) {
              if (coverable[entry.index] === 0) touched.push(entry.index);
              coverable[entry.index] += weight + entry.weight;
            }
          }
          for (const index of touched) {
            const candidate = freeGroups[index];
            const bound = coverable[index] / (answerWeight + candidate.weightSum);
            coverable[index] = 0;
            if (bound < resolved.groupingThreshold) continue;
            const words = softDice(features.terms, candidate.representative, affinityOf);
            if (words > bestSimilarity) {
              bestSimilarity = words;
              bestGroup = candidate;
            }
          }
          if (bestGroup && bestSimilarity >= resolved.groupingThreshold) {
            group = bestGroup;
          } else {
            const opened = openGroup(example.toLowerCase(), features.terms);
            const index = freeGroups.push(opened) - 1;
            for (const [beginning, weight] of beginnings) {
              const list = freeGroupsByBeginning.get(beginning);
              if (list) list.push({ index, weight });
              else freeGroupsByBeginning.set(beginning, [{ index, weight }]);
            }
            group = opened;
          }
        }
      }
      groupByFolded.set(features.folded, group);
    }
    if (!group) continue;
    groupByText.set(text, group);
    const weight = answer.count ?? 1;
    group.count += weight;
    group.byDepartment[departmentOf(answer.department)] += weight;
    if (example !== '') {
      // "Price" and "price" are one example, shown as first written.
      const key = example.toLowerCase();
      const seen = group.exampleCounts.get(key);
      if (seen) seen.count += weight;
      else group.exampleCounts.set(key, { text: example, count: weight });
    }
  }

  const allGroups = [...groupsByLabel.values(), ...freeGroups];
  return allGroups
    .map((group): AnswerGroup => {
      const examples = [...group.exampleCounts.values()]
        .sort((left, right) => right.count - left.count || left.text.localeCompare(right.text))
        .slice(0, resolved.maxExamples)
        .map((example) => example.text);
      // A similarity group is named after what most of its members wrote.
      const label = groupsByLabel.has(group.label) || examples.length === 0 ? group.label : examples[0].toLowerCase();
      return { label, count: group.count, byDepartment: group.byDepartment, examples };
    })
    .sort((left, right) => right.count - left.count || left.label.localeCompare(right.label));
}
