/**
 * The events API's request and response schemas (zod, also what openapi.json is drawn from).
 */
import { z } from 'zod';
import { eventKinds, invitationStatuses, opportunityStages } from '../../db/schema';
import { pathIdSchema, instantSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { localDateTimeSchema, timeZoneSchema } from '../lib/time';
import { MAX_INVITED_AT_ONCE } from './limits';
import { recurrenceSchema } from './recurrence';

export const dateTimeSchema = z
  .object({
    dateTime: localDateTimeSchema.describe('Wall-clock time without offset, e.g. 2026-03-09T09:00'),
    timeZone: timeZoneSchema.optional().describe("IANA zone; defaults to the host's zone"),
  })
  .strict();

const optionalText = (max: number) => z.string().trim().max(max).refine(isSingleLine, SINGLE_LINE_MESSAGE).nullable().optional();

const eventFields = {
  title: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a title.').max(200),
  description: z.string().max(5000).optional(),
  hostId: z.number().int().positive().optional().describe('Defaults to the caller'),
  start: dateTimeSchema,
  end: dateTimeSchema,
  seats: z.number().int().min(0).max(500).optional().describe('Guest seats per occurrence'),
  recurrence: z.array(z.string()).max(1).optional().describe('At most one RRULE line, e.g. ["RRULE:FREQ=WEEKLY;BYDAY=MO"]; empty for a one-off event'),
  repeat: recurrenceSchema.nullable().optional().describe('Structured alternative to recurrence'),
  account: optionalText(200),
  opportunityStage: z.enum(opportunityStages).nullable().optional(),
  location: optionalText(300),
  meetingUrl: z
    .url({ protocol: /^https?$/, error: 'Use an http(s) address.' })
    .max(500)
    .nullable()
    .optional(),
  topic: optionalText(200),
};

export const createEventBody = z.object({ kind: z.enum(eventKinds), ...eventFields }).strict();
export const updateEventBody = z
  .object({
    ...eventFields,
    title: eventFields.title.optional(),
    start: dateTimeSchema.optional(),
    end: dateTimeSchema.optional(),
    fromOccurrenceId: z.string().optional().describe('Change this occurrence and all following ones ("this and following") instead of the whole series'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');

export const windowQuery = z.object({
  from: instantSchema.optional().describe('Start of the window (ISO 8601 instant); default now'),
  to: instantSchema.optional().describe('End of the window; default 30 days after from; at most 366 days'),
});

/** Events listed a page at a time, a page bounded by its events and by the occurrences they hold in the window. */
export const EVENTS_PAGE_OCCURRENCES = 1000;
/** The cursor of a list in order of an instant and an id: the last item's, as `instant.id`. */
const cursorParam = z
  .string()
  .regex(/^\d{1,15}\.\d{1,15}$/, 'Use the nextCursor of the previous page.')
  .optional()
  .describe('nextCursor of the previous page; omit for the first page');
export const eventsListQuery = windowQuery.extend({
  pageSize: z.coerce.number().int().min(1).max(200).default(50).describe('Events per page, at most 200 (50 by default)'),
  cursor: cursorParam,
});
export const idParam = z.object({ id: pathIdSchema });
export const occurrenceParam = z.object({ id: pathIdSchema, occurrenceId: z.string().min(1) });

export const inviteBody = z
  .object({
    personIds: z.array(z.number().int().positive()).min(1).max(MAX_INVITED_AT_ONCE),
    occurrenceId: z.string().optional().describe('Invite to this occurrence only; omit to invite to the whole event or series'),
  })
  .strict();
export const answerBody = z
  .object({
    status: z.enum(['accepted', 'declined', 'tentative']),
    reason: z.string().trim().max(500).optional().describe('Optional reason for declining'),
    confirmConflicts: z
      .boolean()
      .default(true)
      .describe('Accept although the place conflicts (the default, kept for existing integrations); false answers 409 code conflict listing them instead'),
  })
  .strict();
const confirmConflicts = z
  .boolean()
  .default(false)
  .describe('Go ahead although the place conflicts; without it a conflicting claim answers 409 code conflict with the conflicts listed');
export const claimBody = z
  .object({ occurrenceId: z.string().max(100).optional().describe('The occurrence to claim a seat on; required for a series'), confirmConflicts })
  .strict();
export const seriesClaimBody = z
  .object({
    confirmConflicts: z.boolean().default(false).describe('Also claim occurrences that conflict (else they are skipped with outcome conflict)'),
    waitlist: z.boolean().default(true).describe('Join the waitlist where an occurrence is full (else skipped with outcome full)'),
  })
  .strict();
export const leaveBody = z
  .object({
    occurrenceId: z.string().max(100).optional().describe('Leave this occurrence only; omit to leave a one-off event, or every future occurrence of a series'),
  })
  .strict();
export const undoBody = z
  .object({ invitationIds: z.array(z.number().int().positive()).min(1).max(100).describe('The invitations a claim just created or changed') })
  .strict();
export const occurrencePatchBody = z
  .object({
    status: z.enum(['cancelled', 'scheduled']).optional().describe('cancelled cancels this occurrence; scheduled undoes a cancellation or move'),
    start: dateTimeSchema.optional().describe("Moves the occurrence; the zone is the event's"),
    end: dateTimeSchema.optional(),
  })
  .strict()
  .refine((v) => v.status !== undefined || v.start !== undefined, 'Send a status or a new start.');
export const openSeatsQuery = z.object({
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50).describe('Occurrences per page, at most 200 (50 by default)'),
  cursor: cursorParam,
  team: z.coerce.number().int().positive().optional(),
  kind: z.enum(eventKinds).optional(),
  account: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).max(200).optional(),
});

const timeOut = z.object({ dateTime: z.string(), timeZone: z.string() });
export const eventOut = z.object({
  id: z.number().int(),
  kind: z.enum(eventKinds),
  title: z.string(),
  description: z.string(),
  host: z.object({ id: z.number().int(), name: z.string() }),
  start: timeOut,
  end: timeOut,
  durationMinutes: z.number().int(),
  recurrence: z.array(z.string()),
  repeat: z.unknown().nullable(),
  recurrenceText: z.string().nullable(),
  seats: z.number().int(),
  guestDepartment: z.string().nullable(),
  teamId: z.number().int().nullable(),
  account: z.string().nullable(),
  opportunityStage: z.string().nullable(),
  location: z.string().nullable(),
  meetingUrl: z.string().nullable(),
  topic: z.string().nullable(),
  status: z.enum(['scheduled', 'cancelled']),
  cancelledAt: z
    .string()
    .nullable()
    .describe('When the event was called off (ISO 8601 instant): occurrences starting then or later are cancelled, earlier ones took place'),
  sequence: z.number().int(),
  splitFromEventId: z.number().int().nullable(),
});
export const occurrenceOut = z.object({
  id: z.string().describe('Occurrence id: <event id>_<original start as YYYYMMDDTHHmmssZ>'),
  eventId: z.number().int(),
  originalStart: z.string(),
  start: z.string().describe("ISO 8601 with the event zone's offset"),
  end: z.string(),
  status: z.enum(['scheduled', 'cancelled']),
  moved: z.boolean(),
  seats: z.number().int(),
  seatsTaken: z.number().int(),
  seatsFree: z.number().int(),
});
export const conflictOut = z.object({ code: z.enum(['overlap', 'busy', 'rotation', 'working_hours']), message: z.string() });
export const invitationOut = z.object({
  id: z.number().int(),
  eventId: z.number().int(),
  personId: z.number().int(),
  occurrenceId: z.string().nullable().describe('null: the whole event or series'),
  status: z.enum(invitationStatuses),
  source: z.enum(['invitation', 'claim']),
  declineReason: z.string().nullable().describe("Only for the guest, the host and their managers, the guest's managers and HR; null for anyone else"),
  waitlistPosition: z.number().int().nullable(),
  approvalStatus: z
    .enum(['pending', 'approved', 'rejected'])
    .nullable()
    .describe("Only for the guest, the host and their managers, the guest's managers and HR; null for anyone else"),
  respondedAt: z.string().nullable(),
});
export const seriesClaimOut = z.object({
  eventId: z.number().int(),
  horizonEnd: z.string().describe('Occurrences up to this instant were considered'),
  more: z.boolean().describe('The series has occurrences after horizonEnd, not claimed'),
  occurrences: z.array(
    z.object({
      occurrenceId: z.string(),
      start: z.string(),
      outcome: z.enum(['claimed', 'pending_approval', 'waitlisted', 'already', 'conflict', 'full']),
      waitlistPosition: z.number().int().nullable(),
      conflicts: z.array(conflictOut),
      invitationId: z.number().int().nullable(),
    }),
  ),
  undo: z
    .object({ invitationIds: z.array(z.number().int()), until: z.string() })
    .nullable()
    .describe('POST these ids to /api/v1/seats/undo before `until` to take the claims back'),
});
export const answerOut = z.object({
  invitation: invitationOut,
  outcome: z.enum(['accepted', 'waitlisted', 'pending_approval', 'declined', 'tentative']),
  promoted: z.array(invitationOut),
  warnings: z.array(conflictOut),
});
