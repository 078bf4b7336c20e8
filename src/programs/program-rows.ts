import { eq } from 'drizzle-orm';
import { type enrollmentRules, type enrollments, type programRequirements, programs } from '../../db/schema';
import type { Db } from '../db';
import { notFound } from '../lib/errors';

// The rows and the one read that a program's own writes and its enrollment rules both stand on,
// so neither has to import the other.

export type Program = typeof programs.$inferSelect;
export type ProgramRequirement = typeof programRequirements.$inferSelect;
export type EnrollmentRule = typeof enrollmentRules.$inferSelect;
export type Enrollment = typeof enrollments.$inferSelect;

export function getProgram(db: Db, id: number): Program {
  const program = db.select().from(programs).where(eq(programs.id, id)).get();
  if (!program) throw notFound('No program with this id.');
  return program;
}
