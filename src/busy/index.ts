/**
 * The busy-calendars feature's public module: a person's own outside calendars (adding, removing,
 * reading them in the background) and the busy intervals conflict warnings use.
 */
export {
  MAX_BUSY_CALENDARS,
  addBusyCalendar,
  busyCalendarInputSchema,
  busyCalendarProblem,
  busyIntervalsBetween,
  listBusyCalendars,
  removeBusyCalendar,
  requestBusyRefresh,
  startBusyCalendarJob,
  type BusyIntervalOf,
} from './busy';
