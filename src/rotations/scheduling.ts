/**
 * Scheduling, moving and cancelling one rotation under the rules, with HR overrides kept per rule.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { people, rotationOverrides, rotations, teams } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, conflict } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { daysBetween } from '../lib/time';
import { RULE_CODES, createRuleChecker, type RuleCode, type RuleViolation } from './rules';
import { type RotationRow, requireRotation, statusOn, todayOf } from './lifecycle';
import { type RotationProgramDetails, getRotationProgram, ruleProgramOf } from './programs';
import { loadRuleContext } from './rule-context';

/** A form's blank choice ('') and a JSON null both mean "none". */
const nullableId = z.preprocess((v) => (v === '' || v === undefined ? null : v), idSchema.nullable());

const overrideRulesField = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(RULE_CODES)).max(RULE_CODES.length),
);

// What scheduling and moving a rotation share: the placement, the span, and HR's overrides.
const placementFields = {
  hostTeamId: idSchema,
  mentorId: nullableId,
  startDate: dateSchema,
  endDate: dateSchema,
  overrideRules: overrideRulesField.default([]),
  overrideReason: z.preprocess(blankToUndefined, z.string().trim().min(10, 'Write a reason of at least 10 characters.').max(2000).optional()),
};

const withSpanRules = <T extends z.ZodType<{ startDate: string; endDate: string }>>(schema: T) =>
  schema
    .refine((v) => v.endDate >= v.startDate, { path: ['endDate'], message: 'The rotation must end on or after its start.' })
    .refine((v) => daysBetween(v.startDate, v.endDate) <= 366, { path: ['endDate'], message: 'A rotation lasts at most a year.' });

export const rotationInputSchema = withSpanRules(z.object({ programId: idSchema, personId: idSchema, ...placementFields }));
type RotationInput = z.infer<typeof rotationInputSchema>;

/** The rule violations of a proposed rotation against the current company state. */
function checkProposedRotation(
  db: Db,
  program: RotationProgramDetails,
  input: Pick<RotationInput, 'personId' | 'hostTeamId' | 'mentorId' | 'startDate' | 'endDate'>,
  exceptRotationId?: number,
): RuleViolation[] {
  const involved = input.mentorId === null ? [input.personId] : [input.personId, input.mentorId];
  const context = loadRuleContext(db, input.startDate, input.endDate, program.coveragePercent / 100, { exceptRotationId, personIds: involved });
  const checker = createRuleChecker(context);
  return checker.check(
    { personId: input.personId, hostTeamId: input.hostTeamId, mentorId: input.mentorId, start: input.startDate, end: input.endDate },
    ruleProgramOf(program),
  );
}

/** The 409 a broken rule answers with: the first rule's code, every violation in details. */
function ruleConflict(violations: RuleViolation[]): AppError {
  const first = violations[0];
  const message =
    violations.length === 1 ? first.message : `${first.message} (and ${violations.length - 1} more broken rule${violations.length === 2 ? '' : 's'})`;
  return conflict(first.code, message, { violations });
}

function assertActivePerson(db: Db, id: number, what: string): Person {
  const person = db.select().from(people).where(eq(people.id, id)).get();
  if (!person)
    throw new AppError(400, 'invalid', `There is no ${what} with id ${id}.`, [
      { path: what === 'mentor' ? 'mentorId' : 'personId', message: `No such ${what}.` },
    ]);
  if (!person.active) throw conflict('inactive_person', `${person.name} is no longer active.`);
  return person;
}

/**
 * Schedules one rotation. Every broken rule stops it with 409 (the rule's code) unless HR
 * overrides exactly those rules with a written reason; the reason is kept per rule.
 */
export function scheduleRotation(db: Db, clock: Clock, actor: Actor, input: RotationInput): RotationRow {
  return writeTransaction(db, (tx) => {
    const program = getRotationProgram(tx, input.programId);
    assertActivePerson(tx, input.personId, 'person');
    if (input.mentorId !== null) assertActivePerson(tx, input.mentorId, 'mentor');
    if (!tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.hostTeamId)).get()) {
      throw new AppError(400, 'invalid', 'There is no such host team.', [{ path: 'hostTeamId', message: 'No such team.' }]);
    }
    const violations = checkProposedRotation(tx, program, input);
    assertOverridden(violations, input);
    const row = tx
      .insert(rotations)
      .values({
        programId: program.id,
        personId: input.personId,
        hostTeamId: input.hostTeamId,
        mentorId: input.mentorId,
        startDate: input.startDate,
        endDate: input.endDate,
        status: statusOn(todayOf(clock), { startDate: input.startDate, endDate: input.endDate, status: 'planned' }),
        createdById: actor.personId,
        updatedAt: clock.now(),
      })
      .returning()
      .get();
    writeOverrides(tx, clock, actor, row.id, violations, input.overrideReason);
    recordAudit(tx, clock.now(), actor, 'rotation.create', 'rotation', row.id, null, {
      ...row,
      overrides: violations.map((v) => v.code),
      overrideReason: input.overrideReason ?? null,
    });
    return row;
  });
}

function assertOverridden(violations: RuleViolation[], input: { overrideRules: RuleCode[]; overrideReason?: string }) {
  if (violations.length === 0) return;
  const notOverridden = violations.filter((v) => !input.overrideRules.includes(v.code));
  if (notOverridden.length > 0 || !input.overrideReason) throw ruleConflict(notOverridden.length > 0 ? notOverridden : violations);
}

function writeOverrides(tx: Db, clock: Clock, actor: Actor, rotationId: number, violations: RuleViolation[], reason: string | undefined) {
  for (const v of violations) {
    tx.insert(rotationOverrides)
      .values({ rotationId, rule: v.code, message: v.message, reason: reason ?? '', overriddenById: actor.personId, at: clock.now() })
      .run();
  }
}

export const rotationChangeSchema = withSpanRules(z.object(placementFields));
type RotationChange = z.infer<typeof rotationChangeSchema>;

/** Moves a rotation (dates, host team, mentor) under the same rules; earlier overrides are replaced. */
export function changeRotation(db: Db, clock: Clock, actor: Actor, id: number, change: RotationChange): RotationRow {
  return writeTransaction(db, (tx) => {
    const before = requireRotation(tx, id);
    if (before.status === 'cancelled') throw conflict('cancelled', 'This rotation was cancelled; schedule a new one instead.');
    const program = getRotationProgram(tx, before.programId);
    if (change.mentorId !== null) assertActivePerson(tx, change.mentorId, 'mentor');
    const violations = checkProposedRotation(tx, program, { personId: before.personId, ...change }, id);
    assertOverridden(violations, change);
    const after = tx
      .update(rotations)
      .set({
        hostTeamId: change.hostTeamId,
        mentorId: change.mentorId,
        startDate: change.startDate,
        endDate: change.endDate,
        status: statusOn(todayOf(clock), { startDate: change.startDate, endDate: change.endDate, status: 'planned' }),
        updatedAt: clock.now(),
      })
      .where(eq(rotations.id, id))
      .returning()
      .get();
    tx.delete(rotationOverrides).where(eq(rotationOverrides.rotationId, id)).run();
    writeOverrides(tx, clock, actor, id, violations, change.overrideReason);
    recordAudit(tx, clock.now(), actor, 'rotation.change', 'rotation', id, before, {
      ...after,
      overrides: violations.map((v) => v.code),
      overrideReason: change.overrideReason ?? null,
    });
    return after;
  });
}

export function cancelRotation(db: Db, clock: Clock, actor: Actor, id: number, reason: string): RotationRow {
  return writeTransaction(db, (tx) => {
    const before = requireRotation(tx, id);
    if (before.status === 'cancelled') return before;
    if (statusOn(todayOf(clock), before) === 'completed') throw conflict('completed', 'A completed rotation cannot be cancelled.');
    const after = tx
      .update(rotations)
      .set({ status: 'cancelled', cancelledAt: clock.now(), cancelReason: reason, updatedAt: clock.now() })
      .where(eq(rotations.id, id))
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'rotation.cancel', 'rotation', id, before, after);
    return after;
  });
}
