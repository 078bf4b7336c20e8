// The company's official competitive advantages, kept in versions: every change makes a new version,
// and a survey round remembers the version its answers were judged against.
import { asc, desc, eq, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { advantages, advantageVersions } from '../../db/schema';
import type { Person } from '../context';
import { eqPlanned, preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest, forbidden, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import type { Advantage } from '../matching/matching';

export type AdvantageVersionRow = typeof advantageVersions.$inferSelect;

export type OfficialAdvantage = { key: string; name: string; statement: string; synonyms: string[] };
export type AdvantageVersion = AdvantageVersionRow & { advantages: OfficialAdvantage[] };

const MAX_ADVANTAGES = 10;
const MAX_SYNONYMS = 200;

const synonymSchema = z.string().trim().min(1).max(200);

export const advantageInputSchema = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'Use lowercase letters, digits and dashes.')
    .optional(),
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a name.').max(120),
  statement: z.string().trim().max(500).default(''),
  synonyms: z.array(synonymSchema).max(MAX_SYNONYMS).default([]),
});
export type AdvantageInput = z.input<typeof advantageInputSchema>;

const advantageListSchema = z
  .array(advantageInputSchema)
  .min(1, 'Keep at least one official advantage.')
  .max(MAX_ADVANTAGES, `At most ${MAX_ADVANTAGES} official advantages.`);

/** HR and marketing managers keep the official advantages. */
export function canEditAdvantages(person: Pick<Person, 'role' | 'department'>): boolean {
  return person.role === 'hr' || (person.role === 'manager' && person.department === 'marketing');
}

export function requireAdvantageEditor(person: Pick<Person, 'role' | 'department'>) {
  if (!canEditAdvantages(person)) throw forbidden('Only HR and marketing managers keep the official advantages.');
}

/** A stable key from a name: "Fastest implementation" -> "fastest-implementation". */
function keyFromName(name: string): string {
  const key = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return key || 'advantage';
}

/** Synonyms trimmed, without blanks and case-insensitive duplicates, in the order given. */
function tidySynonyms(synonyms: string[]): string[] {
  const seen = new Set<string>();
  const tidy: string[] = [];
  for (const raw of synonyms) {
    const synonym = raw.trim().replace(/\s+/g, ' ');
    const folded = synonym.toLowerCase();
    if (!synonym || seen.has(folded)) continue;
    seen.add(folded);
    tidy.push(synonym);
  }
  return tidy;
}

const q = {
  advantagesOf: preparedQuery((db) =>
    db
      .select()
      .from(advantages)
      .where(eqPlanned(advantages.versionId, sql.placeholder('version')))
      .orderBy(asc(advantages.position), asc(advantages.id))
      .prepare(),
  ),
  current: preparedQuery((db) => db.select().from(advantageVersions).orderBy(desc(advantageVersions.number)).limit(1).prepare()),
  version: preparedQuery((db) =>
    db
      .select()
      .from(advantageVersions)
      .where(eq(advantageVersions.id, sql.placeholder('id')))
      .prepare(),
  ),
};

function loadVersion(db: Db, version: AdvantageVersionRow): AdvantageVersion {
  const rows = q.advantagesOf(db).all({ version: version.id });
  return { ...version, advantages: rows.map((row) => ({ key: row.key, name: row.name, statement: row.statement, synonyms: row.synonyms })) };
}

export function currentAdvantageVersion(db: Db): AdvantageVersion | null {
  const version = q.current(db).get();
  return version ? loadVersion(db, version) : null;
}

export function getAdvantageVersion(db: Db, versionId: number): AdvantageVersion {
  const version = q.version(db).get({ id: versionId });
  if (!version) throw notFound('No such version of the official advantages.');
  return loadVersion(db, version);
}

export function getAdvantageVersionByNumber(db: Db, number: number): AdvantageVersion {
  const version = db.select().from(advantageVersions).where(eq(advantageVersions.number, number)).get();
  if (!version) throw notFound('No such version of the official advantages.');
  return loadVersion(db, version);
}

export function listAdvantageVersions(db: Db) {
  return db.select().from(advantageVersions).orderBy(desc(advantageVersions.number)).all();
}

/** The advantages as the matcher wants them: the stable key is the id answers are matched to. */
export function toMatcherAdvantages(version: Pick<AdvantageVersion, 'advantages'>): Advantage[] {
  return version.advantages.map((advantage) => ({ id: advantage.key, name: advantage.name, statement: advantage.statement, synonyms: advantage.synonyms }));
}

/**
 * Saves a new version of the official advantages. Keys are kept for advantages that had one (so
 * recall trends follow them) and made from the name for new ones.
 */
export function saveAdvantageVersion(db: Db, clock: Clock, actor: Actor, list: AdvantageInput[], note = ''): AdvantageVersion {
  const parsed = advantageListSchema.safeParse(list);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? 'The advantages are not valid.');
  const usedKeys = new Set<string>();
  const tidy = parsed.data.map((advantage) => {
    let key = advantage.key ?? keyFromName(advantage.name);
    if (usedKeys.has(key)) {
      let suffix = 2;
      while (usedKeys.has(`${key}-${suffix}`)) suffix++;
      key = `${key}-${suffix}`;
    }
    usedKeys.add(key);
    return { key, name: advantage.name, statement: advantage.statement, synonyms: tidySynonyms(advantage.synonyms) };
  });
  const names = new Set<string>();
  for (const advantage of tidy) {
    const folded = advantage.name.toLowerCase();
    if (names.has(folded)) throw badRequest(`Two advantages are called "${advantage.name}".`);
    names.add(folded);
  }
  return writeTransaction(db, (tx) => {
    const [{ latest }] = tx
      .select({ latest: max(advantageVersions.number) })
      .from(advantageVersions)
      .all();
    const number = (latest ?? 0) + 1;
    const version = tx
      .insert(advantageVersions)
      .values({ number, note: note.trim().slice(0, 200), createdById: actor.personId, createdAt: clock.now() })
      .returning()
      .get();
    tidy.forEach((advantage, position) =>
      tx
        .insert(advantages)
        .values({ versionId: version.id, position, ...advantage })
        .run(),
    );
    recordAudit(tx, clock.now(), actor, 'advantages.version', 'advantage_version', version.id, null, { number, advantages: tidy });
    return { ...version, advantages: tidy };
  });
}

/** The advantages of `version` with one more synonym for `key`; null when it is already there. */
export function withSynonym(version: Pick<AdvantageVersion, 'advantages'>, key: string, synonym: string): OfficialAdvantage[] | null {
  const advantage = version.advantages.find((candidate) => candidate.key === key);
  if (!advantage) throw badRequest('That advantage is not part of this version.');
  const text = synonym.trim().replace(/\s+/g, ' ');
  if (!text) throw badRequest('An empty answer cannot become a synonym.');
  if (advantage.synonyms.some((existing) => existing.toLowerCase() === text.toLowerCase()) || advantage.name.toLowerCase() === text.toLowerCase()) return null;
  return version.advantages.map((candidate) => (candidate.key === key ? { ...candidate, synonyms: [...candidate.synonyms, text] } : candidate));
}

/** Parses the synonyms textarea: one per line (commas inside a line are kept). */
export function synonymsFromText(text: string): string[] {
  return tidySynonyms(text.split(/\r?\n/));
}
