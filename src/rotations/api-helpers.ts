/**
 * What the rotations API's sub-apps share: the tag, the id in the path, the rotation's shape and its presenter.
 */
import { z } from 'zod';
import { rotationStatuses } from '../../db/schema';
import { pathIdSchema } from '../lib/validation';
import type { RotationListRow } from './reads';

export const tags = ['rotations'];

export const idParam = z.object({ id: pathIdSchema });

export const rotationSchema = z.object({
  id: z.number().int(),
  programId: z.number().int(),
  programName: z.string(),
  personId: z.number().int(),
  personName: z.string(),
  homeTeamId: z.number().int().nullable(),
  hostTeamId: z.number().int(),
  hostTeamName: z.string(),
  mentorId: z.number().int().nullable(),
  mentorName: z.string().nullable(),
  startDate: z.string().describe('First day, inclusive (YYYY-MM-DD)'),
  endDate: z.string().describe('Last day, inclusive (YYYY-MM-DD)'),
  status: z.enum(rotationStatuses),
  planId: z.string().nullable(),
  overrideCount: z.number().int(),
});

export const publicRotation = (r: RotationListRow) => ({
  id: r.id,
  programId: r.programId,
  programName: r.programName,
  personId: r.personId,
  personName: r.personName,
  homeTeamId: r.homeTeamId,
  hostTeamId: r.hostTeamId,
  hostTeamName: r.hostTeamName,
  mentorId: r.mentorId,
  mentorName: r.mentorName,
  startDate: r.startDate,
  endDate: r.endDate,
  status: r.status,
  planId: r.planId,
  overrideCount: r.overrideCount,
});
