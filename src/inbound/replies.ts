/**
 * Answers sent from mail programs: an iTIP METHOD:REPLY (RFC 5546) that Outlook, Gmail or Apple
 * Calendar mails to the reply address of an invitation. It is applied exactly as the browser
 * applies an answer (seats, waitlist, audit), after checking the token of the address, that the
 * ATTENDEE is the invited person, that the UID is the invitation's event and that the SEQUENCE
 * is not older than the event's. Anything else changes nothing; the outcome says why (for the log).
 */
import ICAL from 'ical.js';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import type { Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { zonedLocalToUtc, isValidTimeZone } from '../lib/time';
import { eventUid, occurrenceUid } from '../calendar/calendar';
import { exceptionsOf, requireEvent, requireInvitation, respond, type Answer } from '../events';
import { invitationOfReplyAddress } from '../calendar/reply-address';

export type ReplyOutcome =
  | { applied: true; invitationId: number; answer: Answer; personId: number }
  | {
      applied: false;
      reason: 'not_a_reply' | 'unknown_recipient' | 'forged' | 'unknown_event' | 'attendee_mismatch' | 'stale' | 'invalid' | 'not_answerable';
      detail?: string;
    };

const PARTSTATS: Record<string, Answer> = { ACCEPTED: 'accepted', TENTATIVE: 'tentative', DECLINED: 'declined' };
const MAX_COMMENT = 500;

const emailOf = (value: unknown) =>
  String(value ?? '')
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();

/** An ical.js time as an instant: UTC, a TZID we know as an IANA zone, or floating in `fallbackZone`. */
function instantOf(time: InstanceType<typeof ICAL.Time>, tzid: string | null, fallbackZone: string): Date {
  if (time.zone === ICAL.Timezone.utcTimezone) return time.toJSDate();
  const zone = tzid && isValidTimeZone(tzid) ? tzid : fallbackZone;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return zonedLocalToUtc(`${time.year}-${p2(time.month)}-${p2(time.day)}T${p2(time.hour)}:${p2(time.minute)}:${p2(time.second)}`, zone);
}

/** Applies one REPLY sent to `recipients` (the envelope's RCPT TO addresses). */
export function applyCalendarReply(db: Db, clock: Clock, input: { recipients: string[]; calendar: string; domain: string }): ReplyOutcome {
  let root: InstanceType<typeof ICAL.Component>;
  try {
    root = new ICAL.Component(ICAL.parse(input.calendar));
  } catch {
    return { applied: false, reason: 'invalid', detail: 'not iCalendar' };
  }
  if (String(root.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REPLY') return { applied: false, reason: 'not_a_reply' };
  const vevent = root.getFirstSubcomponent('vevent');
  if (!vevent) return { applied: false, reason: 'invalid', detail: 'no VEVENT' };

  const looksOurs = input.recipients.filter((r) => /^reply\+/i.test(r));
  const invitationId = looksOurs.map((r) => invitationOfReplyAddress(db, input.domain, r)).find((id) => id !== null) ?? null;
  if (invitationId === null) return { applied: false, reason: looksOurs.length ? 'forged' : 'unknown_recipient' };
  let invitation;
  try {
    invitation = requireInvitation(db, invitationId);
  } catch {
    return { applied: false, reason: 'unknown_event', detail: `invitation ${invitationId} is gone` };
  }
  const event = requireEvent(db, invitation.eventId);
  const person = db.select().from(people).where(eq(people.id, invitation.personId)).get();
  if (!person) return { applied: false, reason: 'unknown_event' };

  const uid = String(vevent.getFirstPropertyValue('uid') ?? '');
  const expectedUid = invitation.occurrenceStart && event.rrule ? occurrenceUid(event.id, invitation.occurrenceStart) : eventUid(event.id);
  if (uid !== expectedUid) return { applied: false, reason: 'unknown_event', detail: `UID ${uid.slice(0, 100)}` };

  const attendee = vevent.getAllProperties('attendee').find((a) => emailOf(a.getFirstValue()) === person.email.toLowerCase());
  if (!attendee) return { applied: false, reason: 'attendee_mismatch' };
  const answer = PARTSTATS[String(attendee.getParameter('partstat') ?? '').toUpperCase()];
  if (!answer) return { applied: false, reason: 'invalid', detail: `PARTSTAT ${String(attendee.getParameter('partstat') ?? '')}` };

  const recurrenceProperty = vevent.getFirstProperty('recurrence-id');
  let start: Date | null = invitation.occurrenceStart;
  if (recurrenceProperty && event.rrule && !invitation.occurrenceStart) {
    const tzid = recurrenceProperty.getParameter('tzid');
    start = instantOf(recurrenceProperty.getFirstValue() as InstanceType<typeof ICAL.Time>, typeof tzid === 'string' ? tzid : null, event.timeZone);
  }
  const exception = start ? (exceptionsOf(db, [event.id]).get(event.id) ?? []).find((x) => x.originalStart.getTime() === start!.getTime()) : undefined;
  const current = event.sequence + (exception?.sequence ?? 0);
  const sequence = Number(vevent.getFirstPropertyValue('sequence') ?? 0);
  if (!Number.isInteger(sequence) || sequence < current) return { applied: false, reason: 'stale', detail: `SEQUENCE ${sequence} < ${current}` };

  const comment = vevent.getFirstPropertyValue('comment');
  const reason = answer === 'declined' && comment ? String(comment).slice(0, MAX_COMMENT) : null;
  try {
    respond(db, clock, { personId: person.id, tokenId: null }, person, { eventId: event.id, start, answer, reason, via: 'email' });
  } catch (err) {
    if (err instanceof AppError) return { applied: false, reason: 'not_answerable', detail: err.message };
    throw err;
  }
  return { applied: true, invitationId, answer, personId: person.id };
}
