/**
 * The kept lists of competitor and sales-material names. A report keeps the name as written,
 * linked to its kept name; marketing managers and HR merge aliases into a canonical name, and every
 * aggregate counts a name under its canonical one. Suggestions and likely duplicates come from the
 * survey matching engine (src/matching/names.ts).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { fieldNameKinds, fieldNames, type FieldNameKind } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { likelyDuplicates, rankNames, type KeptName } from '../matching/names';

export const FIELD_NAME_LABELS: Record<FieldNameKind, { one: string; many: string }> = {
  competitor: { one: 'competitor', many: 'Competitors' },
  material: { one: 'sales material', many: 'Sales material' },
};
/** Names offered in a form's list and compared for duplicates: the most used ones. */
const OFFERED_NAMES = 300;
const COMPARED_NAMES = 150;
const MAX_MERGED = 50;

export const fieldNameKindSchema = z.enum(fieldNameKinds, { message: 'Choose competitors or sales material.' });

/** Grouping key of a name: case and spacing do not make a new one. */
const nameKeyOf = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
const tidy = (name: string) => name.trim().replace(/\s+/g, ' ');

/** Marketing managers and HR keep the lists. */
export function canMergeNames(person: Pick<Person, 'role' | 'department'>): boolean {
  return person.role === 'hr' || (person.role === 'manager' && person.department === 'marketing');
}

/**
 * The kept name of each written name (created when new), in the caller's write transaction.
 * Returns, per key, the name's id and its canonical id.
 */
export function keepNames(db: Db, clock: Clock, kind: FieldNameKind, names: string[]): Map<string, { id: number; canonicalId: number }> {
  const result = new Map<string, { id: number; canonicalId: number }>();
  for (const written of names) {
    const key = nameKeyOf(written);
    if (!key || result.has(key)) continue;
    let row = db
      .select({ id: fieldNames.id, mergedIntoId: fieldNames.mergedIntoId })
      .from(fieldNames)
      .where(and(eq(fieldNames.kind, kind), eq(fieldNames.key, key)))
      .get();
    row ??= db
      .insert(fieldNames)
      .values({ kind, name: tidy(written), key, createdAt: clock.now() })
      .returning({ id: fieldNames.id, mergedIntoId: fieldNames.mergedIntoId })
      .get();
    result.set(key, { id: row.id, canonicalId: row.mergedIntoId ?? row.id });
  }
  return result;
}

export type KeptNameRow = { id: number; name: string; reports: number; aliases: { id: number; name: string; reports: number }[] };

/** Canonical names of a kind with their aliases and how many reports name each, most used first. */
export function listKeptNames(db: Db, kind: FieldNameKind, limit = 500): { rows: KeptNameRow[]; total: number } {
  const table = kind === 'competitor' ? sql.raw('feedback_competitors') : sql.raw('feedback_materials');
  const counted = db.all<{ id: number; name: string; mergedIntoId: number | null; reports: number }>(sql`
    SELECT n.id, n.name, n.merged_into_id AS mergedIntoId, (SELECT count(DISTINCT x.feedback_id) FROM ${table} x WHERE x.name_id = n.id) AS reports
    FROM field_names n WHERE n.kind = ${kind}`);
  const canonical = new Map<number, KeptNameRow>();
  for (const n of counted) if (n.mergedIntoId === null) canonical.set(n.id, { id: n.id, name: n.name, reports: n.reports, aliases: [] });
  for (const n of counted) {
    const owner = n.mergedIntoId === null ? null : canonical.get(n.mergedIntoId);
    if (!owner) continue;
    owner.aliases.push({ id: n.id, name: n.name, reports: n.reports });
    owner.reports += n.reports;
  }
  const rows = [...canonical.values()]
    .map((r) => ({ ...r, aliases: r.aliases.sort((a, b) => a.name.localeCompare(b.name)) }))
    .sort((a, b) => b.reports - a.reports || a.name.localeCompare(b.name));
  return { rows: rows.slice(0, limit), total: rows.length };
}

const keptOf = (rows: KeptNameRow[]): KeptName[] => rows.map((r) => ({ id: r.id, name: r.name, aliases: r.aliases.map((a) => a.name) }));

/** What a form offers as you type: canonical names and aliases of the most used names. */
export function offeredNames(db: Db, kind: FieldNameKind): string[] {
  const { rows } = listKeptNames(db, kind, OFFERED_NAMES);
  return rows.map((r) => r.name);
}

/** Kept names a typed name probably means (fuzzy and alias matches), best first. */
export function suggestKeptNames(db: Db, kind: FieldNameKind, query: string, limit = 6) {
  const q = query.trim().slice(0, 80);
  if (!q) return [];
  return rankNames(q, keptOf(listKeptNames(db, kind, OFFERED_NAMES).rows), { limit });
}

/** Pairs of canonical names that probably name one thing, among the most used, for HR to merge. */
export function suggestMerges(db: Db, kind: FieldNameKind) {
  const { rows } = listKeptNames(db, kind, COMPARED_NAMES);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return likelyDuplicates(keptOf(rows)).map((p) => {
    const [a, b] = [byId.get(p.a.id)!, byId.get(p.b.id)!];
    // Propose the more used name as the canonical one.
    const [keep, merge] = a.reports >= b.reports ? [a, b] : [b, a];
    return { keep: { id: keep.id, name: keep.name, reports: keep.reports }, merge: { id: merge.id, name: merge.name, reports: merge.reports }, score: p.score };
  });
}

export const mergeInputSchema = z.object({
  kind: fieldNameKindSchema,
  canonicalId: z.coerce.number({ message: 'Choose the name to keep.' }).int().positive('Choose the name to keep.'),
  mergedIds: z
    .array(z.coerce.number().int().positive())
    .min(1, 'Choose at least one name to merge.')
    .max(MAX_MERGED, `Merge at most ${MAX_MERGED} names at once.`),
});
type MergeInput = z.infer<typeof mergeInputSchema>;

/**
 * Merges names into a canonical one: each becomes its alias, and so do its own aliases; reports
 * keep what they said, aggregates count them together from now on. One transaction, one audit entry.
 */
export function mergeKeptNames(db: Db, clock: Clock, actor: Actor, input: MergeInput) {
  return writeTransaction(db, (tx) => {
    const ids = [...new Set([input.canonicalId, ...input.mergedIds])];
    const rows = tx.select().from(fieldNames).where(inArray(fieldNames.id, ids)).all();
    if (rows.length !== ids.length || rows.some((r) => r.kind !== input.kind)) throw notFound(`No such ${FIELD_NAME_LABELS[input.kind].one} name.`);
    const chosen = rows.find((r) => r.id === input.canonicalId)!;
    // An alias chosen as the one to keep stands for its canonical name.
    const canonicalId = chosen.mergedIntoId ?? chosen.id;
    const merged = rows
      .filter((r) => r.id !== input.canonicalId)
      .map((r) => r.mergedIntoId ?? r.id)
      .filter((id) => id !== canonicalId);
    if (merged.length === 0)
      throw new AppError(400, 'invalid', 'These names are one already.', [
        { path: 'mergedIds', message: 'Choose a name that is not already part of the one you keep.' },
      ]);
    const now = clock.now();
    const moved = tx
      .update(fieldNames)
      .set({ mergedIntoId: canonicalId, mergedAt: now, mergedById: actor.personId })
      .where(
        and(
          eq(fieldNames.kind, input.kind),
          sql`(${fieldNames.id} IN (${sql.join(
            merged.map((id) => sql`${id}`),
            sql`, `,
          )}) OR ${fieldNames.mergedIntoId} IN (${sql.join(
            merged.map((id) => sql`${id}`),
            sql`, `,
          )}))`,
        ),
      )
      .returning({ id: fieldNames.id, name: fieldNames.name })
      .all();
    const canonical = tx.select({ id: fieldNames.id, name: fieldNames.name }).from(fieldNames).where(eq(fieldNames.id, canonicalId)).get()!;
    recordAudit(
      tx,
      now,
      actor,
      'field_name.merge',
      'field_name',
      canonicalId,
      { kind: input.kind, names: moved.map((m) => m.name) },
      { kind: input.kind, canonical: canonical.name, aliases: moved.map((m) => m.name) },
    );
    return { canonical, merged: moved };
  });
}

/** Undoes a merge for one alias: it counts on its own again. */
export function separateKeptName(db: Db, clock: Clock, actor: Actor, kind: FieldNameKind, id: number) {
  return writeTransaction(db, (tx) => {
    const row = tx
      .select()
      .from(fieldNames)
      .where(and(eq(fieldNames.id, id), eq(fieldNames.kind, kind)))
      .get();
    if (!row) throw notFound(`No such ${FIELD_NAME_LABELS[kind].one} name.`);
    if (row.mergedIntoId === null) throw new AppError(409, 'not_merged', `${row.name} is not merged into another name.`);
    const canonical = tx.select({ name: fieldNames.name }).from(fieldNames).where(eq(fieldNames.id, row.mergedIntoId)).get();
    tx.update(fieldNames).set({ mergedIntoId: null, mergedAt: null, mergedById: null }).where(eq(fieldNames.id, id)).run();
    recordAudit(
      tx,
      clock.now(),
      actor,
      'field_name.separate',
      'field_name',
      id,
      { kind, name: row.name, canonical: canonical?.name ?? null },
      { kind, name: row.name, canonical: null },
    );
    return row;
  });
}
