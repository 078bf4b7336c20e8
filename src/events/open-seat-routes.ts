/**
 * Open seats: the list, claiming one, and undoing claims. Mounted at /open-seats.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { eventKinds, teams } from '../../db/schema';
import type { AppEnv } from '../context';
import { AppError, notFound } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema, pageQuery } from '../lib/validation';
import { addDaysToLocalDate, formatLocalDate, startOfLocalDate } from '../lib/time';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { countTeams, LISTED_TEAMS, teamFilter, teamOptions } from '../people/teams';
import { formValidator, html, isHtmx, layoutProps, paramValidator, queryValidator, redirectWithMessage, readPage } from '../web';
import { formatWhen } from '../../views/events/format';
import { InRow, OpenSeatRow, ResultBox, ResultMessage, type ConflictView, type UndoView } from '../../views/events/components';
import { ClaimDonePage } from '../../views/events/claims';
import { OpenSeatsPage, OpenSeatsResults } from '../../views/events/open-seats';
import { requireEvent } from './event-rules';
import { requireOccurrence } from './event-occurrences';
import { claimSeat, claimStanding, undoClaims, undoableClaim } from './claims';
import { invitationById, type AnswerOutcome } from './invitations';
import { openSeatsPage } from './open-seats';
import { seatsTakenAtOccurrences } from './schedule';
import { conflictsForPlace, conflictsOfCandidates } from './conflicts';
import { openSeatItem } from './present';
import { parseOccurrenceKey } from './recurrence';
import { claimForm, claimResultPath, conflictsOf, hostName, idParam, nextForm, outcomeMessage, safeNext, undoForm, undoView } from './route-helpers';
import { confirmJoin } from './occurrence-page';

export function openSeatRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/undo',
    formValidator(undoForm, () => {
      throw new AppError(400, 'invalid', 'Choose the claims to undo.');
    }),
    (c) => {
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const result = undoClaims(db, clock, actorOf(c.var.viewer), viewerOf(c).person, form.ids.split(',').map(Number));
      const message = `Undone: ${result.undone === 1 ? 'your claim was' : `${result.undone} claims were`} taken back from "${result.event.title}".`;
      const next = safeNext(form.next, '/open-seats');
      if (!isHtmx(c)) return redirectWithMessage(c, next, message);
      // The result replaces whatever showed the claim: an open-seat row, the answer box, a series result.
      const target = c.req.header('hx-target') ?? '';
      const id = /^[0-9A-Za-z_-]{1,120}$/.test(target) ? target : 'undo-result';
      const done = ResultMessage({ text: message });
      return html(
        c,
        id.startsWith('seat-') ? InRow({ id, children: done }) : ResultBox({ id, children: done, backHref: id === 'occurrence-answer' ? next : null }),
      );
    },
  );

  // What a claim made without JavaScript did, with Undo while it may still be taken back; only its person sees it.
  app.get('/claims/:id', paramValidator(idParam), queryValidator(nextForm), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const now = clock.now();
    const row = invitationById(db).get({ id });
    if (!row || row.personId !== viewer.id) throw notFound('No claim of yours with this id.');
    const event = requireEvent(db, row.eventId);
    const standing = claimStanding(db, row);
    const conflicts =
      standing.outcome === 'accepted' || standing.outcome === 'pending_approval'
        ? conflictsForPlace(db, now, viewer, event, row.occurrenceStart, { you: true })
        : [];
    const claim = undoableClaim(db, row, now);
    const undo = claim ? undoView({ now: () => claim.at }, viewer.timeZone, [row.id]) : null;
    const next = safeNext(c.req.valid('query').next, '/open-seats');
    return html(c, ClaimDonePage({ layout: layoutProps(c, event.title), message: outcomeMessage(standing), conflicts, undo, next }));
  });

  const OPEN_SEATS_PAGE_SIZE = 25;
  const openSeatsQuery = z.object({
    team: z.preprocess(blankToUndefined, idSchema.optional()),
    /** The team typed by name (or its first letters), where a company has too many teams to list them. */
    teamName: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
    kind: z.preprocess(blankToUndefined, z.enum(eventKinds).optional()),
    from: z.preprocess(blankToUndefined, dateSchema.optional()),
    to: z.preprocess(blankToUndefined, dateSchema.optional()),
    account: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
    page: pageQuery.page,
  });

  app.get('/', queryValidator(openSeatsQuery), (c) => {
    const query = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const zone = viewer.timeZone;
    const now = clock.now();
    const today = formatLocalDate(now, zone);
    const fromDate = query.from ?? today;
    let toDate = query.to ?? addDaysToLocalDate(fromDate, 14);
    if (toDate < fromDate) toDate = fromDate;
    if (toDate > addDaysToLocalDate(fromDate, 180)) toDate = addDaysToLocalDate(fromDate, 180);
    const { shown, total, more, conflicts, teamChoices, named, badges } = readPage(c, () => {
      // More teams than a list shows: the team is typed by name (teamFilter), and a name no team has is the field's error.
      const named = teamFilter(db, query);
      if (named.errors) return { shown: [], total: 0, more: false, conflicts: [], teamChoices: null, named };
      const q = { ...query, team: named.team };
      const page = openSeatsPage(
        db,
        now,
        viewer,
        { from: startOfLocalDate(fromDate, zone), to: startOfLocalDate(addDaysToLocalDate(toDate, 1), zone), teamId: q.team, kind: q.kind, account: q.account },
        { page: q.page, pageSize: OPEN_SEATS_PAGE_SIZE },
        200,
        150,
      );
      // Each row's slot is its occurrence as read (open seats are never cancelled): no second read of the occurrences.
      const conflicts = conflictsOfCandidates(
        db,
        viewer,
        page.seats.map((s) => ({ slots: [s.occurrence], eventId: s.event.id })),
        { you: true },
      );
      const teamChoices = isHtmx(c) || countTeams(db) > LISTED_TEAMS ? null : teamOptions(db).map((t) => ({ value: t.id, label: t.name }));
      return { shown: page.seats, total: page.total, more: page.more, conflicts, teamChoices, named };
    });
    const q = { ...query, team: named.team };
    const items = shown.map((s) => openSeatItem(s, zone));
    const next = c.req.url.slice(c.req.url.indexOf('/open-seats'));
    const pages = {
      page: q.page,
      pageSize: OPEN_SEATS_PAGE_SIZE,
      total,
      more,
      query: { team: q.team, kind: q.kind, from: q.from, to: q.to, account: q.account },
    };
    const status = named.errors ? 400 : 200;
    if (isHtmx(c)) return html(c, OpenSeatsResults({ items, conflicts, csrfToken: viewerOf(c).csrfToken ?? null, next, pages }), status);
    return html(
      c,
      OpenSeatsPage({
        layout: layoutProps(c, 'Open seats', undefined, badges),
        filters: { team: q.team, kind: q.kind, from: fromDate, to: toDate, account: q.account },
        teams: teamChoices,
        teamName: named.teamName,
        errors: named.errors,
        items,
        conflicts,
        next,
        pages,
      }),
      status,
    );
  });

  app.post(
    '/claim',
    formValidator(claimForm.extend({ occurrence: z.string().min(1).max(100) }), () => {
      throw new AppError(400, 'invalid', 'Choose an occurrence to claim.');
    }),
    (c) => {
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const viewer = viewerOf(c).person;
      const parsed = parseOccurrenceKey(form.occurrence);
      if (!parsed) throw notFound('No such occurrence.');
      const eventId = Number(parsed.eventId);
      const event = requireEvent(db, eventId);
      const next = safeNext(form.next, '/open-seats');
      const row = (extra: {
        status: AnswerOutcome['invitation']['status'] | null;
        result?: { text: string; tone: 'ok' | 'warn' | 'bad' };
        conflicts: ConflictView[];
        confirm?: boolean;
        undo?: UndoView | null;
      }) => {
        const occurrence = requireOccurrence(db, event, parsed.originalStart);
        const [seatsTaken = 0] = seatsTakenAtOccurrences(db, event, [occurrence]);
        const item = openSeatItem(
          {
            event: {
              ...event,
              hostName: hostName(db, event.hostId),
              teamName: event.teamId ? (db.select({ name: teams.name }).from(teams).where(eq(teams.id, event.teamId)).get()?.name ?? null) : null,
            },
            occurrence,
            seatsFree: Math.max(0, event.seats - seatsTaken),
            myStatus: extra.status,
          },
          viewer.timeZone,
        );
        return OpenSeatRow({
          item,
          csrfToken: viewerOf(c).csrfToken ?? null,
          next,
          result: extra.result ?? null,
          conflicts: extra.conflicts,
          confirm: extra.confirm,
          undo: extra.undo,
        });
      };
      let result;
      try {
        result = claimSeat(db, clock, actorOf(c.var.viewer), viewer, eventId, event.rrule ? parsed.originalStart : null, {
          confirmConflicts: form.confirmConflicts,
          you: true,
          // Without htmx the claim redirects to its result page, which reads the conflicts there.
          conflictsShown: isHtmx(c),
        });
      } catch (err) {
        const conflicts = conflictsOf(err);
        if (!conflicts) throw err;
        const occurrence = requireOccurrence(db, event, parsed.originalStart);
        return confirmJoin(c, {
          htmx: () => row({ status: null, conflicts, confirm: true }),
          heading: `Claim a seat on ${event.title}?`,
          what: `Claiming a seat on "${event.title}" (${formatWhen(occurrence.start, occurrence.end, viewer.timeZone)}) conflicts with your calendar.`,
          conflicts,
          action: '/open-seats/claim',
          fields: { occurrence: form.occurrence, next },
          confirmLabel: 'Claim anyway',
          cancelHref: next,
        });
      }
      if (!isHtmx(c)) return c.redirect(claimResultPath(result.invitation.id, next), 303);
      const undo = result.undoable ? undoView(clock, viewer.timeZone, [result.invitation.id]) : null;
      const tone = result.outcome === 'accepted' ? 'ok' : result.outcome === 'waitlisted' ? 'bad' : 'warn';
      return html(
        c,
        row({
          status: result.invitation.status,
          result: { text: result.outcome === 'accepted' ? 'Claimed — you are on the guest list' : outcomeMessage(result), tone },
          conflicts: result.outcome === 'waitlisted' ? [] : result.conflicts,
          undo,
        }),
      );
    },
  );

  return app;
}
