/**
 * Input schemas of programs, requirements, enrollment rules and topics (forms and API share them).
 */
import { z } from 'zod';
import { countedEventKinds, departments, programKinds, requirementKinds, roles } from '../../db/schema';
import { blankToUndefined, dateSchema, idSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { reviewRuleProblem } from './schedule';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export const topicInputSchema = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a topic name.').max(120),
  description: z.preprocess((v) => v ?? '', z.string().trim().max(2000)),
});
export type TopicInput = z.infer<typeof topicInputSchema>;

const programFields = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a program name.').max(160),
  kind: z.enum(programKinds, { message: 'Kind must be onboarding or review.' }),
  description: z.preprocess((v) => v ?? '', z.string().trim().max(4000)),
  rrule: optional(z.string().trim().max(300)),
  anchorDate: optional(dateSchema),
  dueSoonDays: z.preprocess(blankToUndefined, z.coerce.number().int().min(0, 'Use 0 to 90 days.').max(90, 'Use 0 to 90 days.').default(7)),
});

function checkReviewFields(input: { kind: string; rrule?: string; anchorDate?: string }, ctx: z.RefinementCtx) {
  if (input.kind !== 'review') return;
  if (!input.rrule)
    ctx.addIssue({ code: 'custom', path: ['rrule'], message: 'A review program needs a rhythm, e.g. every 3 months (as a rule: FREQ=MONTHLY;INTERVAL=3).' });
  else {
    const problem = reviewRuleProblem(input.rrule);
    if (problem) ctx.addIssue({ code: 'custom', path: ['rrule'], message: `The rhythm is not usable: ${problem}.` });
  }
  if (!input.anchorDate) ctx.addIssue({ code: 'custom', path: ['anchorDate'], message: 'A review program needs the date its first cycle starts.' });
}

export const programInputSchema = programFields.superRefine(checkReviewFields);
export type ProgramInput = z.infer<typeof programInputSchema>;

export const programPatchSchema = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a program name.').max(160).optional(),
  description: z.string().trim().max(4000).optional(),
  dueSoonDays: z.coerce.number().int().min(0).max(90).optional(),
  active: z.boolean().optional(),
});
export type ProgramPatch = z.infer<typeof programPatchSchema>;

const requirementFields = z.object({
  title: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter what is required.').max(200),
  kind: z.enum(requirementKinds, { message: 'Kind must be training, events, sign_off or survey.' }),
  topicId: optional(idSchema),
  eventKind: optional(z.enum(countedEventKinds, { message: 'Event kind must be sales_call, marketing_meeting or alignment_meeting.' })),
  count: z.preprocess(blankToUndefined, z.coerce.number().int().min(1, 'At least 1.').max(100, 'At most 100.').default(1)),
  dueOffsetDays: z.coerce.number({ message: 'Enter the number of days.' }).int('Whole days only.').min(0, 'Zero or more days.').max(3650, 'At most 3650 days.'),
});

function checkRequirementFields(input: { kind: string; topicId?: number; eventKind?: string }, ctx: z.RefinementCtx) {
  if (input.kind === 'training' && !input.topicId) ctx.addIssue({ code: 'custom', path: ['topicId'], message: 'Choose the training topic.' });
  if (input.kind === 'events' && !input.eventKind) ctx.addIssue({ code: 'custom', path: ['eventKind'], message: 'Choose the kind of event.' });
}

export const requirementInputSchema = requirementFields.superRefine(checkRequirementFields);
/** The API refuses unknown fields. */
export const requirementBodySchema = requirementFields.strict().superRefine(checkRequirementFields);
export type RequirementInput = z.infer<typeof requirementInputSchema>;

const ruleFields = z.object({
  department: optional(z.enum(departments, { message: 'Department must be sales, marketing or other.' })),
  teamId: optional(idSchema),
  role: optional(z.enum(roles, { message: 'Role must be hr, manager or employee.' })),
  hiredOnOrAfter: optional(dateSchema),
  hiredOnOrBefore: optional(dateSchema),
});

function checkRuleFields(r: z.infer<typeof ruleFields>, ctx: z.RefinementCtx) {
  if (!r.department && !r.teamId && !r.role && !r.hiredOnOrAfter && !r.hiredOnOrBefore) {
    ctx.addIssue({ code: 'custom', path: ['_form'], message: 'Set at least one criterion (department, team, role or hire dates).' });
  }
  if (r.hiredOnOrAfter && r.hiredOnOrBefore && r.hiredOnOrAfter > r.hiredOnOrBefore) {
    ctx.addIssue({ code: 'custom', path: ['hiredOnOrBefore'], message: 'The first hire date must not be after the last.' });
  }
}

export const ruleInputSchema = ruleFields.superRefine(checkRuleFields);
export const ruleBodySchema = ruleFields.strict().superRefine(checkRuleFields);

/** POST /api/v1/programs: a program with its requirements and rules, written together. */
export const programBodySchema = programFields
  .extend({ requirements: z.array(requirementBodySchema).max(50).optional(), rules: z.array(ruleBodySchema).max(50).optional() })
  .strict()
  .superRefine(checkReviewFields);
export type RuleInput = z.infer<typeof ruleInputSchema>;
