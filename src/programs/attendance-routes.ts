/**
 * Attendance and check-in of a training session (host, their manager, HR), also long after it.
 * Mounted at /programs/attendance.
 */
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { dateTimeFormat } from '../lib/time';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { canManageEvent } from '../events';
import { html, isHtmx, layoutProps, paramValidator, redirectWithMessage } from '../web';
import { AttendancePage, AttendanceSheet } from '../../views/programs/attendance';
import { attendanceSheet, checkInCodeOf, findPersonForWalkIn, markAttendance, markEveryonePresent, openCheckIn, type AttendanceMark } from './attendance';
import { inviteWhoNeedsIt, resolveOccurrence } from './sessions';
import { occurrenceParam, toArray } from './route-helpers';

const FULL_DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' };

export function attendanceRoutes() {
  const app = new Hono<AppEnv>();

  const loadOccurrence = (c: AppContext, occurrenceId: string) => {
    const { db } = c.var.deps;
    const found = resolveOccurrence(db, occurrenceId);
    if (!canManageEvent(db, viewerOf(c).person, found.event)) throw forbidden('Only the host, their manager or HR can take attendance.');
    return found;
  };
  type SheetNotice = { message?: string; error?: boolean; walkInValue?: string; walkInError?: string };
  const sheetProps = (c: AppContext, occurrenceId: string, notice: SheetNotice = {}) => {
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    return {
      occurrenceId,
      rows: attendanceSheet(c.var.deps.db, event, occurrence),
      csrf: c.var.viewer?.csrfToken ?? null,
      started: occurrence.start.getTime() <= c.var.deps.clock.now().getTime(),
      cancelled: occurrence.cancelled,
      ...notice,
    };
  };
  const renderAttendance = (c: AppContext, occurrenceId: string, notice: SheetNotice = {}, status: 200 | 400 | 409 = 200) => {
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    if (isHtmx(c)) return html(c, AttendanceSheet(sheetProps(c, occurrenceId, notice)), status);
    const now = c.var.deps.clock.now();
    const code = checkInCodeOf(c.var.deps.db, event.id, occurrence.originalStart);
    const live = code && code.expiresAt.getTime() > now.getTime() ? code : null;
    const when = `${dateTimeFormat('en-GB', FULL_DATE_TIME, event.timeZone).format(occurrence.start)} (${event.timeZone})`;
    return html(
      c,
      AttendancePage({
        layout: layoutProps(c, `${event.title}: attendance`),
        occurrenceId,
        backHref: event.kind === 'training' ? `/programs/sessions/${event.id}` : `/events/${event.id}`,
        title: event.title,
        when,
        code: live,
        canOpenCheckIn: !occurrence.cancelled && occurrence.end.getTime() + 2 * 3_600_000 > now.getTime(),
        sheet: sheetProps(c, occurrenceId, notice),
      }),
      status,
    );
  };
  /** Runs an attendance change; a refusal is shown on the sheet (never an error page), success answers the sheet or a redirect. */
  const attendanceAction = (
    c: AppContext,
    occurrenceId: string,
    run: () => string,
    onError: (err: AppError) => SheetNotice = (err) => ({ message: err.message, error: true }),
  ) => {
    let message: string;
    try {
      message = run();
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      return renderAttendance(c, occurrenceId, onError(err), err.status as 400 | 409);
    }
    if (isHtmx(c)) return renderAttendance(c, occurrenceId, { message });
    return redirectWithMessage(c, `/programs/attendance/${occurrenceId}`, message);
  };
  const savedMessage = (r: { marked: number; attended: number; walkIns: number; removed: number }) =>
    `Attendance saved: ${r.attended} attended${r.walkIns ? ` (${r.walkIns} walk-in${r.walkIns === 1 ? '' : 's'})` : ''}, ${r.marked - r.attended} no-show${r.removed ? `, ${r.removed} mark${r.removed === 1 ? '' : 's'} removed` : ''}.`;

  app.get('/:occurrenceId', paramValidator(occurrenceParam), (c) => renderAttendance(c, c.req.valid('param').occurrenceId));
  app.post('/:occurrenceId', paramValidator(occurrenceParam), async (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    const body = await c.req.parseBody({ all: true });
    const ids = [
      ...new Set(
        toArray(body.personId)
          .map((v) => Number(v))
          .filter((id) => Number.isInteger(id) && id > 0),
      ),
    ].slice(0, 2000);
    const marks: AttendanceMark[] = [];
    const remove: number[] = [];
    for (const personId of ids) {
      const status = body[`status_${personId}`];
      if (status === 'attended' || status === 'no_show') marks.push({ personId, status, walkIn: body[`walkIn_${personId}`] === 'yes' });
      else if (status === 'none') remove.push(personId);
    }
    const { db, clock } = c.var.deps;
    return attendanceAction(c, occurrenceId, () =>
      savedMessage(
        markAttendance(db, clock, actorOf(c.var.viewer), viewerOf(c).person, { eventId: event.id, originalStart: occurrence.originalStart }, marks, remove),
      ),
    );
  });
  app.post('/:occurrenceId/everyone-present', paramValidator(occurrenceParam), (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    const { db, clock } = c.var.deps;
    return attendanceAction(c, occurrenceId, () => {
      const result = markEveryonePresent(db, clock, actorOf(c.var.viewer), viewerOf(c).person, { eventId: event.id, originalStart: occurrence.originalStart });
      return `Everyone with a place is marked present (${result.attended}).`;
    });
  });
  app.post('/:occurrenceId/walk-in', paramValidator(occurrenceParam), async (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    const body = await c.req.parseBody();
    const text = typeof body.person === 'string' ? body.person.slice(0, 300) : '';
    const { db, clock } = c.var.deps;
    return attendanceAction(
      c,
      occurrenceId,
      () => {
        const person = findPersonForWalkIn(db, text);
        markAttendance(db, clock, actorOf(c.var.viewer), viewerOf(c).person, { eventId: event.id, originalStart: occurrence.originalStart }, [
          { personId: person.id, status: 'attended', walkIn: true },
        ]);
        return `${person.name} is recorded as a walk-in who attended.`;
      },
      (err) => ({ walkInValue: text, walkInError: err.issues?.[0]?.message ?? err.message }),
    );
  });
  app.post('/:occurrenceId/code', paramValidator(occurrenceParam), (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    openCheckIn(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), viewerOf(c).person, event.id, occurrence.originalStart);
    return c.redirect(`/programs/attendance/${occurrenceId}`, 303);
  });
  app.post('/:occurrenceId/invite', paramValidator(occurrenceParam), (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    const back = (message: string) => redirectWithMessage(c, `/programs/sessions/${event.id}`, message);
    try {
      const result = inviteWhoNeedsIt(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), viewerOf(c).person, event.id, occurrence.originalStart);
      return back(`${result.invited} invited; ${result.unchanged} had been invited already.`);
    } catch (err) {
      // Refused (the session started, was cancelled…): said on the session page, not an error page.
      if (err instanceof AppError && (err.status === 400 || err.status === 409)) return back(err.message);
      throw err;
    }
  });

  return app;
}
