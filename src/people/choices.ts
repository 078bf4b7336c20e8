// Choosing one person, or a few, in a form of a company of any size: the people already chosen, then the first
// few a typed name finds. A pick list of everyone was megabytes at 100,000 people and cut off whoever came after
// its limit in name order.
import type { Department } from '../../db/schema';
import type { Viewer } from '../context';
import { likeEscaped, preparedQuery, type Db } from '../db';
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

/** Beyond this many managers a manager field finds by name instead of listing them all (LISTED_TEAMS' rule for teams). */
export const LISTED_MANAGERS = 100;

/** Who may manage: active managers and HR. */
const MANAGERS = "role IN ('manager', 'hr') AND active = 1";
const managerQueries = preparedQuery((db) => ({
  // Counted no further than one past the listed: people_role_active_name_idx, two short ranges.
  few: db.$client.prepare<[number], number>(`SELECT count(*) FROM (SELECT 1 FROM people WHERE ${MANAGERS} LIMIT ?)`).pluck(),
  all: db.$client.prepare<[], ManagerChoice>(`SELECT id, name FROM people WHERE ${MANAGERS} ORDER BY name, id`),
  found: db.$client.prepare<{ pattern: string; limit: number }, ManagerChoice>(`
    SELECT id, name FROM people WHERE ${MANAGERS}
      AND (name LIKE @pattern ESCAPE '\\' OR email LIKE @pattern ESCAPE '\\' OR title LIKE @pattern ESCAPE '\\')
    ORDER BY name, id LIMIT @limit`),
  named: db.$client.prepare<[string], ManagerChoice>('SELECT id, name FROM people WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name, id'),
}));

export type ManagerChoice = { id: number; name: string };

/**
 * The choices of a manager field: every active manager and HR person by name while they are LISTED_MANAGERS or fewer;
 * past that those `chosen` (kept whatever the search, even if no longer a manager) and the first PEOPLE_FOUND that `q`
 * finds by name, address or title (`listed` false: the form offers to find). Never those in `exclude`.
 */
export function managerChoices(
  db: Db,
  options: { q?: unknown; chosen?: readonly unknown[]; exclude?: readonly number[] } = {},
): { managers: ManagerChoice[]; listed: boolean } {
  const statements = managerQueries(db);
  const left = new Set(options.exclude ?? []);
  if (statements.few.get(LISTED_MANAGERS + 1)! <= LISTED_MANAGERS) return { managers: statements.all.all().filter((m) => !left.has(m.id)), listed: true };
  const ids = (options.chosen ?? []).map(Number).filter((id) => Number.isSafeInteger(id) && id > 0 && !left.has(id));
  const chosen = ids.length ? statements.named.all(JSON.stringify([...new Set(ids)])) : [];
  for (const m of chosen) left.add(m.id);
  const q = typeof options.q === 'string' ? options.q.trim() : '';
  const found = statements.found.all({ pattern: `%${likeEscaped(q)}%`, limit: PEOPLE_FOUND + left.size }).filter((m) => !left.has(m.id));
  return { managers: [...chosen, ...found.slice(0, PEOPLE_FOUND)], listed: false };
}
