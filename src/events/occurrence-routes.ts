/**
 * One occurrence: answering, claiming a seat, a whole series in one step, leaving, cancelling and
 * restoring it, and its agenda. Mounted at /events.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { blankToUndefined } from '../lib/validation';
import { formatLocalDate, localDateTimeSchema } from '../lib/time';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { formValidator, html, isHtmx, layoutProps, navBadgesOob, paramValidator, redirectWithMessage } from '../web';
import { formatWhen } from '../../views/events/format';
import { InListItem, InRow, ResultMessage, SeriesClaimResult, type ConflictView, type SeriesClaimView, type UndoView } from '../../views/events/components';
import { SeriesClaimPage } from '../../views/events/claims';
import { OccurrenceAnswerBox } from '../../views/events/occurrence';
import { requireEvent, type EventRow } from './event-rules';
import { requireOccurrence } from './event-occurrences';
import { cancelOccurrence, moveOccurrence, restoreOccurrence } from './occurrence-changes';
import { claimSeat, claimSeries, leaveSeat, type SeriesClaim } from './claims';
import { notifyOccurrenceCancelled, cancellationCalendar } from './cancellation-notices';
import { respond } from './answers';
import { actionItemInputSchema, addActionItem, addAgendaItem, agendaItemInputSchema } from './agenda';
import { formErrorsOf } from './forms';
import { occurrenceHref } from './present';
import {
  answerForm,
  claimForm,
  claimResultPath,
  conflictsOf,
  idParam,
  leaveForm,
  occurrenceParam,
  originalStartOf,
  outcomeMessage,
  safeNext,
  seriesClaimForm,
  undoView,
} from './route-helpers';
import { answerState, confirmJoin, renderOccurrence } from './occurrence-page';

export function occurrenceRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/:id/occurrences/:key', paramValidator(occurrenceParam), (c) => {
    const { id, key } = c.req.valid('param');
    const event = requireEvent(c.var.deps.db, id);
    return renderOccurrence(c, event, originalStartOf(id, key));
  });

  /** The answer box of the occurrence page, after an answer, a claim or a refused join. */
  const answerBox = (
    c: AppContext,
    event: EventRow,
    originalStart: Date,
    base: string,
    extra: { message?: string; conflicts?: ConflictView[]; confirm?: 'claim' | 'accept'; undo?: UndoView | null },
  ) => {
    const state = answerState(c, event, originalStart);
    const closed = state.occurrence.cancelled || state.occurrence.start <= c.var.deps.clock.now();
    return OccurrenceAnswerBox({
      action: base,
      csrfToken: viewerOf(c).csrfToken ?? null,
      myAnswer: state.myAnswer,
      canClaim: state.canClaim,
      claimNote: null,
      conflicts: extra.conflicts ?? (extra.message ? [] : state.conflicts),
      confirm: extra.confirm ?? null,
      message: extra.message ?? null,
      undo: extra.undo ?? null,
      next: base,
      closed,
      isSeries: event.rrule !== null,
      eventId: event.id,
      occurrenceKey: state.occurrence.key,
    });
  };

  /** The words of the two joins that may conflict with a person's calendar. */
  const joinWords = {
    accept: {
      path: 'answer',
      heading: (title: string) => `Accept ${title}?`,
      doing: (title: string) => `Accepting "${title}"`,
      fields: { status: 'accepted' },
      confirmLabel: 'Accept anyway',
    },
    claim: {
      path: 'claim',
      heading: (title: string) => `Claim a seat on ${title}?`,
      doing: (title: string) => `Claiming a seat on "${title}"`,
      fields: {},
      confirmLabel: 'Claim anyway',
    },
  } as const;

  /**
   * Answering and claiming share one flow: act on the occurrence (the start a write names is null
   * for a one-off event); when the act conflicts with the person's calendar, nothing changed, so
   * ask to confirm instead (the conflicts page, or the answer box under htmx).
   */
  const joinOrConfirm = <R, T>(
    c: AppContext,
    id: number,
    key: string,
    kind: keyof typeof joinWords,
    act: (start: Date | null) => R,
    done: (result: R, event: EventRow, originalStart: Date, base: string) => T,
  ) => {
    const person = viewerOf(c).person;
    const originalStart = originalStartOf(id, key);
    const event = requireEvent(c.var.deps.db, id);
    const base = `/events/${id}/occurrences/${key}`;
    let result: R;
    try {
      result = act(event.rrule ? originalStart : null);
    } catch (err) {
      const conflicts = conflictsOf(err);
      if (!conflicts) throw err;
      const words = joinWords[kind];
      const occurrence = requireOccurrence(c.var.deps.db, event, originalStart);
      return confirmJoin(c, {
        htmx: () => answerBox(c, event, originalStart, base, { conflicts, confirm: kind }),
        heading: words.heading(event.title),
        what: `${words.doing(event.title)} (${formatWhen(occurrence.start, occurrence.end, person.timeZone)}) conflicts with your calendar.`,
        conflicts,
        action: `${base}/${words.path}`,
        fields: { ...words.fields, next: base },
        confirmLabel: words.confirmLabel,
        cancelHref: base,
      });
    }
    return done(result, event, originalStart, base);
  };

  app.post(
    '/:id/occurrences/:key/answer',
    paramValidator(occurrenceParam),
    formValidator(answerForm, () => {
      throw new AppError(400, 'invalid', 'Choose accept, maybe or decline.');
    }),
    (c) => {
      const { id, key } = c.req.valid('param');
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      return joinOrConfirm(
        c,
        id,
        key,
        'accept',
        (start) =>
          respond(
            db,
            clock,
            actorOf(c.var.viewer),
            viewerOf(c).person,
            { eventId: id, start, answer: form.status, reason: form.reason },
            { confirmConflicts: form.confirmConflicts, you: true, conflictsShown: isHtmx(c) },
          ),
        (result, event, originalStart, base) => {
          if (!isHtmx(c)) return redirectWithMessage(c, base, outcomeMessage(result));
          return html(c, [answerBox(c, event, originalStart, base, { message: outcomeMessage(result), conflicts: result.conflicts }), navBadgesOob(c)]);
        },
      );
    },
  );

  app.post(
    '/:id/occurrences/:key/claim',
    paramValidator(occurrenceParam),
    formValidator(claimForm, () => {
      throw new AppError(400, 'invalid', 'Bad form.');
    }),
    (c) => {
      const { id, key } = c.req.valid('param');
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const person = viewerOf(c).person;
      return joinOrConfirm(
        c,
        id,
        key,
        'claim',
        (start) =>
          claimSeat(db, clock, actorOf(c.var.viewer), person, id, start, { confirmConflicts: form.confirmConflicts, you: true, conflictsShown: isHtmx(c) }),
        (result, event, originalStart, base) => {
          if (!isHtmx(c)) return c.redirect(claimResultPath(result.invitation.id, safeNext(form.next, base)), 303);
          const undo = result.undoable ? undoView(clock, person.timeZone, [result.invitation.id]) : null;
          return html(
            c,
            answerBox(c, event, originalStart, base, {
              message: outcomeMessage(result),
              conflicts: result.outcome === 'waitlisted' ? [] : result.conflicts,
              undo,
            }),
          );
        },
      );
    },
  );

  // ── a whole series in one step; leaving; undo ──
  const seriesClaimView = (c: AppContext, result: SeriesClaim): SeriesClaimView => {
    const zone = viewerOf(c).person.timeZone;
    return {
      eventId: result.event.id,
      title: result.event.title,
      lines: result.lines.map((l) => ({
        when: formatWhen(l.occurrence.start, l.occurrence.end, zone),
        href: occurrenceHref(result.event.id, l.occurrence.originalStart),
        outcome: l.outcome,
        waitlistPosition: l.waitlistPosition,
        conflicts: l.conflicts,
      })),
      horizonLabel: formatLocalDate(result.horizonEnd, zone),
      more: result.more,
      undo: undoView(
        c.var.deps.clock,
        zone,
        result.lines.filter((l) => l.invitationId !== null && l.outcome !== 'already').map((l) => l.invitationId!),
      ),
    };
  };

  app.post(
    '/:id/claim-series',
    paramValidator(idParam),
    formValidator(seriesClaimForm, () => {
      throw new AppError(400, 'invalid', 'Bad form.');
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const result = claimSeries(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, {
        confirmConflicts: form.confirmConflicts,
        // The row button has no options: join waitlists where full, skip conflicts.
        waitlist: form.options ? form.waitlist : true,
        you: true,
      });
      const view = seriesClaimView(c, result);
      const next = safeNext(form.next, `/events/${id}`);
      if (!isHtmx(c)) return html(c, SeriesClaimPage({ layout: layoutProps(c, `Claimed: ${result.event.title}`), result: view, next }));
      const csrfToken = viewerOf(c).csrfToken ?? null;
      if (form.row && /^[0-9A-Za-z_]+$/.test(form.row)) {
        return html(c, InRow({ id: `seat-${form.row}`, children: SeriesClaimResult({ result: view, csrfToken, next, id: `series-claim-${id}-${form.row}` }) }));
      }
      return html(c, SeriesClaimResult({ result: view, csrfToken, next, id: `series-claim-${id}` }));
    },
  );

  app.post(
    '/:id/leave',
    paramValidator(idParam),
    formValidator(leaveForm, () => {
      throw new AppError(400, 'invalid', 'Choose what to leave.');
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const event = requireEvent(db, id);
      const start = event.rrule && form.scope === 'occurrence' ? (form.occurrence ? originalStartOf(id, form.occurrence) : null) : null;
      if (event.rrule && form.scope === 'occurrence' && !start) throw new AppError(400, 'invalid', 'Choose the occurrence to leave.');
      const result = leaveSeat(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, start);
      const fallback = start ? occurrenceHref(id, start) : `/events/${id}`;
      const message =
        event.rrule && !start
          ? `You left "${event.title}": every future occurrence${result.promoted.length ? '; the waitlist moved up' : ''}. Past occurrences stay as they were.`
          : `You left "${event.title}"${event.rrule && start ? ` on ${formatWhen(requireOccurrence(db, event, start).start, requireOccurrence(db, event, start).end, viewerOf(c).person.timeZone)}` : ''}.`;
      // From a row of My schedule, htmx swaps that row for the result; the rest of the page stays.
      const target = c.req.header('hx-target') ?? '';
      if (isHtmx(c) && /^entry-[0-9A-Za-z_-]{1,120}$/.test(target)) return html(c, InListItem({ id: target, children: ResultMessage({ text: message }) }));
      return redirectWithMessage(c, safeNext(form.next, fallback), message);
    },
  );

  app.post('/:id/occurrences/:key/cancel', paramValidator(occurrenceParam), (c) => {
    const { id, key } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    cancelOccurrence(db, clock, actorOf(c.var.viewer), viewerOf(c).person, { eventId: id, originalStart: originalStartOf(id, key) }, (tx, e, o) =>
      notifyOccurrenceCancelled(tx, clock, e, o, cancellationCalendar(c, tx, e, o)),
    );
    return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'This occurrence was cancelled; its guests have been told.');
  });

  app.post(
    '/:id/occurrences/:key/move',
    paramValidator(occurrenceParam),
    formValidator(
      z.object({
        start: localDateTimeSchema,
        durationMinutes: z.preprocess(blankToUndefined, z.coerce.number().int().min(5, 'At least 5 minutes.').max(720, 'At most 12 hours.').optional()),
      }),
      (c, errors) => {
        const id = Number(c.req.param('id'));
        return renderOccurrence(c, requireEvent(c.var.deps.db, id), originalStartOf(id, c.req.param('key') ?? ''), { errors }, 400);
      },
    ),
    (c) => {
      const { id, key } = c.req.valid('param');
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const originalStart = originalStartOf(id, key);
      try {
        moveOccurrence(db, clock, actorOf(c.var.viewer), viewerOf(c).person, { eventId: id, originalStart }, form.start.slice(0, 16), form.durationMinutes);
      } catch (err) {
        const errors = formErrorsOf(err);
        // formErrorsOf names fields as the event form does; this form's field is `start`.
        const { startTime, ...others } = errors ?? {};
        if (errors) return renderOccurrence(c, requireEvent(db, id), originalStart, { errors: startTime ? { ...others, start: startTime } : others }, 400);
        throw err;
      }
      return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'This occurrence was moved.');
    },
  );

  app.post('/:id/occurrences/:key/restore', paramValidator(occurrenceParam), (c) => {
    const { id, key } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    restoreOccurrence(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, originalStartOf(id, key));
    return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'This occurrence is back at its regular time.');
  });

  // ── agenda of alignment meetings ──
  app.post(
    '/:id/occurrences/:key/agenda',
    paramValidator(occurrenceParam),
    formValidator(agendaItemInputSchema, (c, errors, values) => {
      const id = Number(c.req.param('id'));
      return renderOccurrence(c, requireEvent(c.var.deps.db, id), originalStartOf(id, c.req.param('key') ?? ''), { errors, values }, 400);
    }),
    (c) => {
      const { id, key } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      addAgendaItem(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, originalStartOf(id, key), c.req.valid('form'));
      return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'Agenda item added.');
    },
  );

  const actionItemForm = z
    .object({ actionTitle: z.unknown(), actionOwnerId: z.unknown(), dueDate: z.unknown(), agendaItemId: z.unknown().optional() })
    .transform((v, ctx) => {
      const parsed = actionItemInputSchema.safeParse({ title: v.actionTitle, ownerId: v.actionOwnerId, dueDate: v.dueDate, agendaItemId: v.agendaItemId });
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.addIssue({
            code: 'custom',
            path: [issue.path[0] === 'title' ? 'actionTitle' : issue.path[0] === 'ownerId' ? 'actionOwnerId' : String(issue.path[0])],
            message: issue.message,
          });
        return z.NEVER;
      }
      return parsed.data;
    });
  app.post(
    '/:id/occurrences/:key/action-items',
    paramValidator(occurrenceParam),
    formValidator(actionItemForm, (c, errors, values) => {
      const id = Number(c.req.param('id'));
      return renderOccurrence(c, requireEvent(c.var.deps.db, id), originalStartOf(id, c.req.param('key') ?? ''), { errors, values }, 400);
    }),
    (c) => {
      const { id, key } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      addActionItem(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, originalStartOf(id, key), c.req.valid('form'));
      return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'Action item added.');
    },
  );

  return app;
}
