// Closing the loop: from a round's results HR enrolls the people (or whole teams) below the threshold
// in a review program; the programs feature owns enrollments (src/programs/programs.ts).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { people } from '../../db/schema';
import type { Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest, forbidden } from '../lib/errors';
import { idSchema } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { enrollPeople, getProgram, listPrograms, type EnrollResult } from '../programs/programs';
import { peopleBelowThreshold } from './results';
import { getRound } from './surveys';

export const enrollInputSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('people'), programId: idSchema }),
  z.object({ scope: z.literal('team'), programId: idSchema, teamId: idSchema }),
]);
export type EnrollInput = z.output<typeof enrollInputSchema>;

/** Active review programs HR can enroll people in. */
export function reviewPrograms(db: Db): { id: number; name: string }[] {
  return listPrograms(db)
    .filter((program) => program.kind === 'review' && program.active)
    .map((program) => ({ id: program.id, name: program.name }));
}

/**
 * Enrolls everyone who answered below the threshold (named rounds only), or every active member of
 * a team, in a review program.
 */
export function enrollFromRound(db: Db, clock: Clock, actor: Actor, roundId: number, input: EnrollInput): EnrollResult & { personIds: number[] } {
  const round = getRound(db, roundId);
  const program = getProgram(db, input.programId);
  if (program.kind !== 'review') throw badRequest('Choose a review program.');
  let personIds: number[];
  if (input.scope === 'people') {
    if (round.anonymous) throw forbidden('This round is anonymous: enroll whole teams instead of picking out people.');
    personIds = peopleBelowThreshold(db, roundId);
  } else {
    personIds = db
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.teamId, input.teamId), eq(people.active, true)))
      .all()
      .map((person) => person.id);
  }
  if (personIds.length === 0) throw badRequest('Nobody to enroll.');
  const result = enrollPeople(db, program.id, personIds, actor, clock);
  recordAudit(db, clock.now(), actor, 'survey_round.enroll', 'survey_round', roundId, null, { programId: program.id, scope: input.scope, people: personIds.length, ...result });
  return { ...result, personIds };
}
