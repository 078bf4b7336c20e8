// Closing the loop: from a round's results HR enrolls the people (or whole teams) below the threshold
// in a review program; the programs feature owns enrollments (src/programs/programs.ts).
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { people } from '../../db/schema';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest, forbidden } from '../lib/errors';
import { idSchema } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { enrollPeople, getProgram, type EnrollResult } from '../programs/index';
import { peopleBelowThreshold } from './results';
import { getRound } from './surveys';

/** More than any company has teams; keeps one request's work bounded. */
const MAX_TEAMS_PER_ENROLLMENT = 1000;

const listOf = (value: unknown) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]);

/**
 * The results page sends the teams ticked in the By-team table as `teamIds` (one field per checkbox); a
 * single `teamId` is how one team was enrolled before the bulk form and is still accepted, so older
 * pages, bookmarks and scripts keep working. Both end up in `teamIds`.
 */
function mergeTeamIds(body: unknown) {
  if (!body || typeof body !== 'object' || (body as { scope?: unknown }).scope !== 'team') return body;
  const { teamId, teamIds, ...rest } = body as Record<string, unknown>;
  return { ...rest, teamIds: [...listOf(teamIds), ...listOf(teamId)] };
}

const programIdSchema = z.coerce.number({ error: 'Choose a review program.' }).int().positive('Choose a review program.');

export const enrollInputSchema = z.preprocess(
  mergeTeamIds,
  z.discriminatedUnion(
    'scope',
    [
      z.object({ scope: z.literal('people'), programId: programIdSchema }),
      z.object({
        scope: z.literal('team'),
        programId: programIdSchema,
        teamIds: z
          .array(idSchema)
          .min(1, 'Choose at least one team.')
          .max(MAX_TEAMS_PER_ENROLLMENT, `Choose at most ${MAX_TEAMS_PER_ENROLLMENT} teams at once.`)
          .transform((ids) => [...new Set(ids)]),
      }),
    ],
    { error: 'Choose whom to enroll.' },
  ),
);
type EnrollInput = z.output<typeof enrollInputSchema>;

/** Active review programs HR can enroll people in, by name. */
export function reviewPrograms(db: Db): { id: number; name: string }[] {
  // Straight from the table: listPrograms also counts every program's enrollments, which the results page does not show.
  return db.$client.prepare(`SELECT id, name FROM programs WHERE kind = 'review' AND active = 1 ORDER BY lower(name), id`).all() as {
    id: number;
    name: string;
  }[];
}

/**
 * Enrolls everyone who answered below the threshold (named rounds only), or every active member of
 * the chosen teams, in a review program: all of it, with its audit entry, in one transaction.
 */
export function enrollFromRound(db: Db, clock: Clock, actor: Actor, roundId: number, input: EnrollInput): EnrollResult & { personIds: number[] } {
  return writeTransaction(db, (tx) => {
    const round = getRound(tx, roundId);
    const program = getProgram(tx, input.programId);
    if (program.kind !== 'review') throw badRequest('Choose a review program.');
    let personIds: number[];
    if (input.scope === 'people') {
      if (round.anonymous) throw forbidden('This round is anonymous: enroll whole teams instead of picking out people.');
      personIds = peopleBelowThreshold(tx, roundId);
    } else {
      personIds = tx
        .select({ id: people.id })
        .from(people)
        .where(and(inArray(people.teamId, input.teamIds), eq(people.active, true)))
        .all()
        .map((person) => person.id);
    }
    if (personIds.length === 0) throw badRequest(input.scope === 'team' ? 'Nobody active is in the chosen teams.' : 'Nobody to enroll.');
    // enrollPeople's own transaction becomes a savepoint inside this one.
    const result = enrollPeople(tx, program.id, personIds, actor, clock);
    const scope = input.scope === 'team' ? { scope: input.scope, teamIds: input.teamIds } : { scope: input.scope };
    recordAudit(tx, clock.now(), actor, 'survey_round.enroll', 'survey_round', roundId, null, {
      programId: program.id,
      ...scope,
      people: personIds.length,
      ...result,
    });
    return { ...result, personIds };
  });
}
