/**
 * The place rule, written once: at one occurrence a person's own row there overrides their
 * whole-event row (occurrence_start NULL); for a one-off event only whole-event rows exist.
 * Everything that asks who is at an occurrence, or how many seats it has taken, builds its SQL
 * from `atOccurrence` (seat holders and waitlists when answering, the stored seat counts, who is
 * coming, reminders, feedback, sessions).
 */

/**
 * SQL condition: invitation row `row` (an alias or table name) applies at the occurrence whose
 * original start is the SQL expression `start` (NULL: the whole event / a one-off event).
 */
export function atOccurrence(row: string, start: string): string {
  return `(${row}.occurrence_start = ${start} OR (${row}.occurrence_start IS NULL AND NOT EXISTS (
    SELECT 1 FROM invitations own WHERE own.event_id = ${row}.event_id AND own.person_id = ${row}.person_id AND own.occurrence_start = ${start})))`;
}

/** SQL expression: seats taken at stored occurrence `occurrence` (a table name or alias of `occurrences`). */
export function seatsTakenSql(occurrence: string): string {
  return `(SELECT count(*) FROM invitations i WHERE i.event_id = ${occurrence}.event_id AND i.holds_seat = 1 AND ${atOccurrence('i', `${occurrence}.original_start`)})`;
}
