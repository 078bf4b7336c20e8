/**
 * The events feature's public module: every other feature reads and changes the calendar only
 * through what is exported here (occurrences in a window with their seats, who is at an
 * occurrence, a person's schedule, open seats, and the writes other features start).
 */
export {
  KIND_LABELS,
  canManageEvent,
  firstStartOf,
  getEvent,
  requireEvent,
  type EventDetails,
  type EventRow,
  type ExceptionRow,
} from './event-rules';
export { eventOccurrences, exceptionsOf, heldPartOf, requireOccurrence } from './event-occurrences';
export type { EventOccurrence, OccurrenceRef } from './expand';
export { createEvent } from './events';
export { eventsOfPeople, heldSince } from './queries';
export { cancelledWithEvent } from './expand';
export { findOpenSeats } from './open-seats';
export { eventsStartingIn, occurrencesInWindow, extendOccurrenceHorizon, startHorizonIfEmpty, startOccurrenceHorizonJob } from './occurrences';
export {
  namedPlacesAt,
  invitationRowsOf,
  pendingInvitations,
  personSchedule,
  acceptedAt,
  placeKey,
  placeOf,
  placesAt,
  placesAtOccurrence,
  seatsAt,
  wholeRowAppliesSql,
  type PlaceKey,
  type PlaceRow,
} from './schedule';
export { pendingApprovalsCount, pendingInvitationsCount, invitePeople, requireInvitation, type Answer, type AnswerOutcome } from './invitations';
export { respond } from './answers';
export { claimSeat } from './claims';
export { atOccurrence } from './places';
export { addAgendaItem } from './agenda';
export { invitationItems, occurrenceHref, occurrencesOfInvitations, openSeatItem } from './present';
export { conflictsForPlaces } from './conflicts';
export { registerCancellationCalendar } from './cancellation-notices';
export {
  RecurrenceError,
  describeRecurrence,
  expandOccurrences,
  misreadByCalendarPrograms,
  occurrenceKey,
  parseOccurrenceKey,
  toICalendarRRule,
} from './recurrence';
