import { eq, sql } from 'drizzle-orm';
import { type enrollmentRules, type enrollments, type programRequirements, programs } from '../../db/schema';
import { preparedQuery, type Db } from '../db';
import { notFound } from '../lib/errors';

// The rows and the one read that a program's own writes and its enrollment rules both stand on,
// so neither has to import the other.

export type Program = typeof programs.$inferSelect;
export type ProgramRequirement = typeof programRequirements.$inferSelect;
export type EnrollmentRule = typeof enrollmentRules.$inferSelect;
export type Enrollment = typeof enrollments.$inferSelect;

const programQuery = preparedQuery((db) =>
  db
    .select()
    .from(programs)
    .where(eq(programs.id, sql.placeholder('id')))
    .prepare(),
);

export function getProgram(db: Db, id: number): Program {
  const program = programQuery(db).get({ id });
  if (!program) throw notFound('No program with this id.');
  return program;
}
