/**
 * The shapes the surveys API's sub-apps read and answer, shared between rounds, responses and results.
 */
import { z } from 'zod';
import { departments } from '../../db/schema';
import { pathIdSchema } from '../lib/validation';
import { VERDICTS } from './verdict';
import { responseInputSchema } from './answering';

export const tags = ['surveys'];

export const idParam = z.object({ id: pathIdSchema });

const verdictSchema = z
  .object({
    code: z.enum(VERDICTS),
    label: z.string(),
    interval: z.object({ low: z.number(), high: z.number() }).nullable().describe('95% Wilson score interval of the match rate over respondents'),
    enoughResponses: z.boolean().describe('At least the minimum response rate answered'),
    respondentsRequired: z.number().int(),
    answersNeeded: z.number().int().nullable().describe('Not decided yet: how many more respondents at the current match rate would decide it'),
    cannotDecide: z.boolean().describe('Not decided, and everyone asked answering at the current rate would not decide it either'),
  })
  .nullable()
  .describe('Null where the group may not be described');
const hiddenSchema = z.enum(['small_group', 'complement', 'open_round']).nullable().describe('Anonymous rounds: why the figures are null');

/** The counts and rates a round and each cell of its results show (null where the group may not be described). */
const rateFigures = {
  participants: z.number().int(),
  respondents: z.number().int().nullable(),
  responseRate: z.number().nullable(),
  answers: z.number().int().nullable(),
  matched: z.number().int().nullable(),
  matchRate: z.number().nullable(),
};

export const roundSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  population: z.string(),
  populationKind: z.enum(['everyone', 'department', 'teams', 'new_hires']),
  anonymous: z.boolean(),
  minGroupSize: z.number().int().describe('Anonymous rounds: no figure or answer describes fewer respondents'),
  status: z.enum(['open', 'closed']),
  closesOn: z.string(),
  closesAt: z.string(),
  advantageVersion: z.number().int(),
  ...rateFigures,
  sharedMindset: z.boolean().nullable().describe('True or false only when the verdict is decided'),
  verdict: verdictSchema,
  hidden: hiddenSchema,
  toReview: z.number().int().nullable(),
});

export const roundBody = z
  .object({
    title: z.string(),
    populationKind: z.enum(['everyone', 'department', 'teams', 'new_hires']),
    department: z.enum(departments).optional(),
    teamIds: z.array(z.number().int().positive()).optional(),
    hiredWithinDays: z.number().int().min(1).max(730).optional(),
    closesOn: z.string(),
    anonymous: z.boolean().optional(),
  })
  .strict();

const answerSchema = z.object({
  position: z.number().int(),
  text: z.string(),
  status: z.enum(['matched', 'doubtful', 'unmatched']),
  advantageKey: z.string().nullable(),
  score: z.number(),
  assignedByHr: z.boolean(),
});
export const responseSchema = z.object({
  id: z.number().int().optional().describe('Left out in anonymous rounds'),
  personId: z.number().int().optional().describe('Left out in anonymous rounds'),
  department: z.enum(departments).nullable().describe('Null in anonymous rounds where the department has fewer respondents than the minimum group size'),
  teamId: z.number().int().nullable().optional().describe('Left out in anonymous rounds'),
  submittedAt: z.string().optional().describe('Left out in anonymous rounds'),
  updatedAt: z.string().optional().describe('Left out in anonymous rounds'),
  answers: z.array(answerSchema),
});
export const responsesQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(200),
});
export const responseBody = responseInputSchema.strict();
export const assignmentBody = z
  .object({ normalised: z.string().max(2000), advantageKey: z.string().max(60).nullable(), saveAsSynonym: z.boolean().default(false) })
  .strict();

const cellSchema = z.object({
  ...rateFigures,
  sharedMindset: z.boolean().nullable(),
  verdict: verdictSchema,
  namedAll: z.number().int().nullable(),
  namedAllShare: z.number().nullable(),
  hidden: hiddenSchema,
});
export const resultsSchema = z.object({
  round: roundSchema.pick({
    id: true,
    title: true,
    population: true,
    anonymous: true,
    minGroupSize: true,
    status: true,
    closesOn: true,
    advantageVersion: true,
  }),
  threshold: z.number(),
  minResponseRatePercent: z.number().int(),
  anonymity: z.string().nullable().describe('Anonymous rounds: the rule for what is shown'),
  overall: cellSchema,
  byDepartment: z.array(cellSchema.extend({ department: z.enum(departments) })),
  byTeam: z
    .array(cellSchema.extend({ teamId: z.number().int().nullable(), teamName: z.string(), department: z.enum(departments) }))
    .describe('One page of teams, as the results page ranks them: weakest match rate first, then the teams without figures by name'),
  byTeamPage: z
    .object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int() })
    .describe('Which teams byTeam holds: the page, its size and how many teams the round has'),
  recall: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      respondents: z.number().int(),
      share: z.number(),
      byDepartment: z.record(z.string(), z.number().nullable()),
    }),
  ),
  sayInstead: z.array(
    z.object({ label: z.string(), count: z.number().int(), byDepartment: z.record(z.string(), z.number().nullable()), examples: z.array(z.string()) }),
  ),
  detailHidden: hiddenSchema,
  toReview: z.number().int().nullable(),
});
