// Choosing one person, or a few, in a form of a company of any size: the people already chosen, then the first
// few a typed name finds. A pick list of everyone was megabytes at 100,000 people and cut off whoever came after
// its limit in name order.
import type { Department } from '../../db/schema';
import type { Viewer } from '../context';
import { preparedQuery, type Db } from '../db';
import { listPeople } from './people';

/** How many people a search offers in a form. */
export const PEOPLE_FOUND = 20;

export type PersonChoice = { id: number; name: string; department: Department; teamName: string | null };

const namedQuery = preparedQuery((db) =>
  db.$client.prepare<[string], PersonChoice>(
    `SELECT p.id, p.name, p.department, t.name AS teamName FROM people p LEFT JOIN teams t ON t.id = p.team_id
     WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.name, p.id`,
  ),
);

/** The people of these ids, by name (those a form already holds). */
export function namedPeople(db: Db, ids: readonly number[]): PersonChoice[] {
  return ids.length ? namedQuery(db).all(JSON.stringify([...new Set(ids)])) : [];
}

/**
 * The choices of a person field: those `chosen` (kept whatever the search), then the first PEOPLE_FOUND active
 * people in name order that `q` finds (by name, address or title; with no words, the first by name), of a
 * department if given, whom `viewer` may see (null: anyone), less those in `exclude`.
 */
export function peopleChoices(
  db: Db,
  options: { q?: string | null; viewer: Viewer | null; department?: Department | null; chosen?: readonly number[]; exclude?: readonly number[] },
): PersonChoice[] {
  const chosen = namedPeople(db, options.chosen ?? []);
  const left = new Set([...(options.exclude ?? []), ...chosen.map((p) => p.id)]);
  const q = options.q?.trim() ?? '';
  const { rows } = listPeople(
    db,
    { q: q || undefined, department: options.department ?? undefined, active: true, page: 1, pageSize: PEOPLE_FOUND + left.size },
    options.viewer,
  );
  const found = rows
    .filter((p) => !left.has(p.id))
    .slice(0, PEOPLE_FOUND)
    .map((p) => ({ id: p.id, name: p.name, department: p.department, teamName: p.teamName ?? null }));
  return [...chosen, ...found];
}
