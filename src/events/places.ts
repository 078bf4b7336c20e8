/**
 * The place rule: who stands where at an occurrence. A person's own row at an occurrence overrides
 * their whole-event row (occurrence_start NULL) there; a whole-event row of a series applies only
 * at occurrences that start after it took effect (`effective_from`: answers change the future
 * only); a one-off event has only whole-event rows.
 *
 * Written here once for SQL (`atOccurrence`: seat holders and waitlists when answering, the stored
 * seat counts, who is at an occurrence) and, for rows already in memory, as `rowsAtOccurrence`.
 */

/**
 * SQL condition: invitation row `row` (an alias or table name) applies at the occurrence whose
 * original start is the SQL expression `originalStart` (NULL: a one-off event / the whole event)
 * and which actually starts at `start`.
 */
export function atOccurrence(row: string, originalStart: string, start: string): string {
  return `(${ownRowAt(row, originalStart)} OR ${wholeRowAt(row, originalStart, start)})`;
}

/** SQL condition: `row` is a row of its own at the occurrence. */
const ownRowAt = (row: string, originalStart: string) => `${row}.occurrence_start = ${originalStart}`;

/** SQL condition: `row` is a whole-event row that applies at the occurrence (its person has no row of their own there). */
function wholeRowAt(row: string, originalStart: string, start: string): string {
  // With no occurrence (NULL start: a one-off event, or a series' whole-event place) whole-event rows apply as they stand now.
  return `(${row}.occurrence_start IS NULL AND (${start} IS NULL OR ${wholeRowAppliesSql(row, start)}) AND NOT EXISTS (
    SELECT 1 FROM invitations own WHERE own.event_id = ${row}.event_id AND own.person_id = ${row}.person_id AND own.occurrence_start = ${originalStart}))`;
}

/** Whether whole-event row `alias` applies at an occurrence starting at SQL expression `startSql`. */
export const wholeRowAppliesSql = (alias: string, startSql: string) => `(${alias}.effective_from IS NULL OR ${startSql} > ${alias}.effective_from)`;

/** SQL expression: seats taken at stored occurrence `occurrence` (a table name or alias of `occurrences`). */
export function seatsTakenSql(occurrence: string): string {
  // atOccurrence's two kinds of row (they never overlap) counted apart: each count is one lookup of the index on
  // (event, occurrence start, holds seat), where their OR would read every row of the event for each occurrence.
  const holding = `FROM invitations i WHERE i.event_id = ${occurrence}.event_id AND i.holds_seat = 1`;
  return `((SELECT count(*) ${holding} AND ${ownRowAt('i', `${occurrence}.original_start`)}) + (SELECT count(*) ${holding} AND ${wholeRowAt('i', `${occurrence}.original_start`, `${occurrence}.start`)}))`;
}

/**
 * SQL: the rows holding a seat or on the waitlist at each occurrence of `at` (a table of columns `ev`, `os`, `st`: event id,
 * original start and start, NULL starts for a one-off event), by the place rule. Its kinds of row read apart, as seatsTakenSql
 * does: own rows at the occurrence, whole-event seat holders, the whole-event waitlist, each a seek of its index, where the
 * rule's OR read every row of the event (every invitation, answered or not) for each occurrence.
 * Columns: ev, os, the row's id, person id, holds_seat, waitlisted, own (1: the person's own row at the occurrence).
 */
export function seatedOrWaitingSql(at: string): string {
  const columns = (own: number) => `${at}.ev, ${at}.os, i.id, i.person_id, i.holds_seat, i.status = 'waitlisted', ${own}`;
  const whole = wholeRowAt('i', `${at}.os`, `${at}.st`);
  return `SELECT ${columns(1)} FROM ${at} JOIN invitations i ON i.event_id = ${at}.ev AND ${ownRowAt('i', `${at}.os`)} AND (i.holds_seat = 1 OR i.status = 'waitlisted')
    UNION ALL SELECT ${columns(0)} FROM ${at} JOIN invitations i ON i.event_id = ${at}.ev AND i.holds_seat = 1 AND ${whole}
    UNION ALL SELECT ${columns(0)} FROM ${at} JOIN invitations i ON i.event_id = ${at}.ev AND i.status = 'waitlisted' AND i.holds_seat = 0 AND ${whole}`;
}

/** SQL: the people who accepted at each occurrence of `at` (as seatedOrWaitingSql), by the place rule. Columns: ev, os, person id. */
export function acceptedSql(at: string): string {
  return `SELECT ${at}.ev, ${at}.os, i.person_id FROM ${at} JOIN invitations i ON i.event_id = ${at}.ev AND ${ownRowAt('i', `${at}.os`)} AND i.status = 'accepted'
    UNION ALL SELECT ${at}.ev, ${at}.os, i.person_id FROM ${at} JOIN invitations i ON i.event_id = ${at}.ev AND i.status = 'accepted' AND ${wholeRowAt('i', `${at}.os`, `${at}.st`)}`;
}

/** Where places are read: one occurrence of a series (its identity and actual start), or null for a one-off event. */
type PlaceAt = { originalStart: Date; start: Date } | null;

type PlaceRowLike = { personId: number; occurrenceStart: Date | null; effectiveFrom: Date | null };

/** Whether a whole-event row applies at an occurrence starting at `start`: answers change the future only. */
export function wholeRowApplies(row: Pick<PlaceRowLike, 'effectiveFrom'>, start: Date): boolean {
  return row.effectiveFrom === null || start.getTime() > row.effectiveFrom.getTime();
}

/** The rule above for rows already loaded: the rows of `rows` that apply at `at`. */
export function rowsAtOccurrence<R extends PlaceRowLike>(rows: R[], at: PlaceAt): R[] {
  if (at === null) return rows.filter((r) => r.occurrenceStart === null);
  const ms = at.originalStart.getTime();
  const own = rows.filter((r) => r.occurrenceStart !== null && r.occurrenceStart.getTime() === ms);
  const withOwn = new Set(own.map((r) => r.personId));
  return [...own, ...rows.filter((r) => r.occurrenceStart === null && !withOwn.has(r.personId) && wholeRowApplies(r, at.start))];
}

/** A person's row at an occurrence, if any (see rowsAtOccurrence). */
export function placeRowAt<R extends PlaceRowLike>(rows: R[], at: PlaceAt, personId: number): R | undefined {
  return rowsAtOccurrence(rows, at).find((r) => r.personId === personId);
}
