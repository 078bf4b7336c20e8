/**
 * The rotations overview, the timeline, scheduling one rotation and one rotation's page, moves,
 * cancelling, checklist and check-ins. Mounted at /rotations, after the other rotation sub-apps.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { fewVisiblePersonIds, visiblePersonClause } from '../people/people';
import { countTeams, LISTED_TEAMS, teamFilter } from '../people/teams';
import { findOnForm, formValidator, html, isHtmx, layoutProps, paramValidator, queryValidator, redirectWithMessage, readPage } from '../web';
import { queryString, type FieldErrors, type FormValues } from '../../views/components';
import { AWAY_SHOWN, RotationsHomePage } from '../../views/rotations/home';
import { ChangeRotationPage, ChecklistPartial, RotationPage, ScheduleFormPage } from '../../views/rotations/rotation';
import { TimelinePage, TimelineResults } from '../../views/rotations/timeline';
import { addDaysToLocalDate, isoWeekStart } from '../lib/time';
import type { RuleViolation } from './rules';
import { awayPeople, awayScopeOf, canViewRotation, FEW_VISIBLE, rotationCounts, rotationDetails, rotationsForPerson } from './reads';
import { cancelRotation, changeRotation, rotationChangeSchema, rotationInputSchema, scheduleRotation } from './scheduling';
import { asOf, requireRotation, todayOf } from './lifecycle';
import { checkInInputSchema, checkInOpensOn, setChecklistItem, submitCheckIn } from './check-ins';
import { listRotationPrograms, rotationProgramChoices } from './programs';
import { loadTimeline, timelineQuerySchema } from './timeline';
import { idParam, itemParam, mentorChoices, peopleNamed, plannerPeople, programOptions, teamOptions, today } from './route-helpers';

export function rotationRoutes() {
  const app = new Hono<AppEnv>();

  // ── overview ──
  app.get('/', (c) => {
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    const day = today(c);
    const role = viewer.person.role;
    const awayUntil = addDaysToLocalDate(day, 8 * 7);
    let away = null;
    if (role !== 'employee') {
      const { rows, total, more } = awayPeople(db, day, awayUntil, awayScopeOf(db, viewer), {
        page: 1,
        pageSize: AWAY_SHOWN,
        exceptPersonId: role === 'hr' ? undefined : viewer.person.id,
      });
      away = { rows: rows.map((a) => asOf(day, a)), total, more };
    }
    return html(
      c,
      RotationsHomePage({
        layout: layoutProps(c, 'Rotations'),
        role,
        today: day,
        mine: rotationsForPerson(db, viewer.person.id, addDaysToLocalDate(day, -180), addDaysToLocalDate(day, 400)).map((r) => asOf(day, r)),
        away,
        awayUntil,
        counts: role === 'hr' ? rotationCounts(db, day) : null,
        programs: role === 'hr' ? listRotationPrograms(db) : null,
      }),
    );
  });

  // ── timeline ──
  app.get('/timeline', requireRole('hr', 'manager'), queryValidator(timelineQuerySchema), (c) => {
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    const day = today(c);
    const { named, query, data, choices, badges } = readPage(c, () => {
      const named = teamFilter(db, c.req.valid('query'));
      const query = { ...c.req.valid('query'), team: named.team };
      const data = loadTimeline(db, query, day, visiblePersonClause(db, viewer, ['r.person_id', 'r.mentor_id']), fewVisiblePersonIds(db, viewer, FEW_VISIBLE));
      const choices = isHtmx(c)
        ? null
        : {
            programs: rotationProgramChoices(db).map((p) => ({ value: p.id, label: p.name })),
            teams: countTeams(db) <= LISTED_TEAMS ? teamOptions(c) : null,
          };
      return { named, query, data, choices };
    });
    const from = isoWeekStart(query.from ?? day);
    const pageHref = (page: number) =>
      `/rotations/timeline${queryString({ from, weeks: query.weeks, program: query.program, team: query.team, department: query.department, group: query.group, conflicts: query.conflicts, page: page > 1 ? page : undefined })}`;
    if (isHtmx(c) || !choices) return html(c, TimelineResults({ data, from, weeks: query.weeks, pageHref }));
    return html(
      c,
      TimelinePage({
        layout: layoutProps(c, 'Rotation timeline', undefined, badges),
        role: viewer.person.role,
        values: { ...query, from },
        programs: choices.programs,
        teams: choices.teams,
        teamName: named.teamName,
        errors: named.errors,
        data,
        from,
        weeks: query.weeks,
        pageHref,
      }),
      named.errors ? 400 : 200,
    );
  });

  // ── schedule one rotation (HR) ──
  const renderSchedule = (c: AppContext, values: FormValues, errors?: FieldErrors, violations: RuleViolation[] = [], status: 200 | 400 | 409 = 200) => {
    // Only the person and mentor chosen are named, and the few a search found: never the whole directory.
    const chosen = peopleNamed(
      c,
      [Number(values.personId), Number(values.mentorId)].filter((n) => Number.isInteger(n) && n > 0),
    );
    const option = (id: unknown) => {
      const p = chosen.get(Number(id));
      return p ? [{ value: p.id, label: p.label }] : [];
    };
    const found = (search: unknown, current: unknown) => {
      const matches = typeof search === 'string' && search.trim() ? plannerPeople(c, search) : [];
      return [...option(current).filter((o) => !matches.some((m) => m.value === o.value)), ...matches];
    };
    return html(
      c,
      ScheduleFormPage({
        layout: layoutProps(c, 'Schedule a rotation'),
        values,
        errors,
        violations,
        programs: programOptions(c),
        people: found(values.personSearch, values.personId),
        teams: teamOptions(c),
        mentors: found(values.mentorSearch, values.mentorId),
      }),
      status,
    );
  };
  app.get('/new', requireRole('hr'), (c) => renderSchedule(c, { programId: c.req.query('programId'), personId: c.req.query('personId') }));
  app.post(
    '/',
    requireRole('hr'),
    // "Find": the names matching what was typed become the choices of the person or mentor list.
    findOnForm({ findPerson: 'personSearch', findMentor: 'mentorSearch' }, (c, values) => renderSchedule(c, values)),
    formValidator(rotationInputSchema, (c, errors, values) => renderSchedule(c, values, errors, [], 400)),
    (c) => {
      const input = c.req.valid('form');
      const { db, clock } = c.var.deps;
      try {
        const row = scheduleRotation(db, clock, actorOf(c.var.viewer), input);
        return redirectWithMessage(c, `/rotations/${row.id}`, 'Rotation scheduled.');
      } catch (err) {
        if (err instanceof AppError && err.status === 409 && Array.isArray(err.details?.violations)) {
          const violations = err.details.violations as RuleViolation[];
          const errors: FieldErrors = {
            _form: `This rotation breaks ${violations.length === 1 ? 'a rule' : `${violations.length} rules`}; change it or override with a reason.`,
          };
          return renderSchedule(c, { ...input, overrideReason: input.overrideReason ?? '' }, errors, violations, 409);
        }
        if (err instanceof AppError && (err.status === 400 || err.status === 409))
          return renderSchedule(c, input, { [err.issues?.[0]?.path ?? '_form']: err.message }, [], err.status as 400 | 409);
        throw err;
      }
    },
  );

  // ── one rotation ──
  const loadVisible = (c: AppContext, id: number) => {
    const { db } = c.var.deps;
    const details = rotationDetails(db, id, today(c));
    if (!canViewRotation(db, viewerOf(c), details)) throw forbidden('You can only see rotations you take part in or look after.');
    return details;
  };
  const renderRotation = (
    c: AppContext,
    id: number,
    checkInValues?: { kind: 'midpoint' | 'end'; values: FormValues; errors: FieldErrors },
    status: 200 | 400 | 409 = 200,
  ) => {
    const details = loadVisible(c, id);
    const viewer = viewerOf(c);
    const viewerRole = viewer.person.id === details.personId ? 'guest' : viewer.person.id === details.mentorId ? 'mentor' : null;
    return html(
      c,
      RotationPage({
        layout: layoutProps(c, `Rotation of ${details.personName}`),
        rotation: details,
        viewerRole,
        isHr: viewer.person.role === 'hr',
        today: todayOf(c.var.deps.clock),
        checkInOpens: {
          midpoint: checkInOpensOn('midpoint', details.startDate, details.endDate),
          end: checkInOpensOn('end', details.startDate, details.endDate),
        },
        checkInValues,
      }),
      status,
    );
  };
  app.get('/:id', paramValidator(idParam), (c) => renderRotation(c, c.req.valid('param').id));
  const renderChange = (
    c: AppContext,
    id: number,
    values: FormValues,
    errors?: FieldErrors,
    violations: RuleViolation[] = [],
    status: 200 | 400 | 409 = 200,
  ) => {
    const details = loadVisible(c, id);
    const hostIds = details.program.hostTeams.map((h) => h.teamId);
    // A few members of each host team, and the mentor the rotation has: the list's size follows the program, not its teams.
    const mentors = mentorChoices(c, hostIds);
    const current = details.mentorId === null ? null : peopleNamed(c, [details.mentorId]).get(details.mentorId);
    const hostName = new Map(details.program.hostTeams.map((h) => [h.teamId, h.teamName]));
    return html(
      c,
      ChangeRotationPage({
        layout: layoutProps(c, `Move ${details.personName}'s rotation`),
        rotationId: id,
        personName: details.personName,
        values,
        errors,
        violations,
        hostTeams: details.program.hostTeams.map((h) => ({ value: h.teamId, label: h.teamName })),
        mentors: [
          ...(current && !(mentors[details.hostTeamId] ?? []).some((m) => Number(m.value) === current.id)
            ? [{ value: current.id, label: `${current.name} (${hostName.get(details.hostTeamId) ?? current.teamName ?? 'no team'})` }]
            : []),
          ...details.program.hostTeams.flatMap((h) => (mentors[h.teamId] ?? []).map((m) => ({ value: m.value, label: `${m.label} (${h.teamName})` }))),
        ],
      }),
      status,
    );
  };
  app.get('/:id/edit', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const r = requireRotation(c.var.deps.db, id);
    return renderChange(c, id, { hostTeamId: r.hostTeamId, mentorId: r.mentorId ?? '', startDate: r.startDate, endDate: r.endDate });
  });
  app.post(
    '/:id',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(rotationChangeSchema, (c, errors, values) => renderChange(c, Number(c.req.param('id')), values, errors, [], 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const change = c.req.valid('form');
      const { db, clock } = c.var.deps;
      try {
        changeRotation(db, clock, actorOf(c.var.viewer), id, change);
      } catch (err) {
        if (err instanceof AppError && err.status === 409 && Array.isArray(err.details?.violations)) {
          const violations = err.details.violations as RuleViolation[];
          return renderChange(
            c,
            id,
            { ...change, overrideReason: change.overrideReason ?? '' },
            { _form: `The change breaks ${violations.length === 1 ? 'a rule' : `${violations.length} rules`}; adjust it or override with a reason.` },
            violations,
            409,
          );
        }
        if (err instanceof AppError && err.status === 409) return renderChange(c, id, change, { _form: err.message }, [], 409);
        throw err;
      }
      return redirectWithMessage(c, `/rotations/${id}`, 'Rotation changed.');
    },
  );
  app.post(
    '/:id/cancel',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(z.object({ reason: z.string().trim().min(3, 'Give a reason.').max(500) }), (c) => {
      // An unknown rotation is not found, whatever the form says.
      requireRotation(c.var.deps.db, Number(c.req.param('id')));
      throw new AppError(400, 'invalid', 'Give a reason for cancelling.', [{ path: 'reason', message: 'Give a reason.' }]);
    }),
    (c) => {
      const { id } = c.req.valid('param');
      cancelRotation(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('form').reason);
      return redirectWithMessage(c, `/rotations/${id}`, 'Rotation cancelled.');
    },
  );
  app.post('/:id/checklist/:itemId', paramValidator(itemParam), async (c) => {
    const { id, itemId } = c.req.valid('param');
    const body = await c.req.parseBody();
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    loadVisible(c, id);
    setChecklistItem(db, clock, actorOf(c.var.viewer), viewer.person, id, itemId, body.done !== 'false');
    if (isHtmx(c)) {
      const details = rotationDetails(db, id, today(c));
      return html(c, ChecklistPartial({ rotation: details, canTick: true, csrfToken: viewer.csrfToken ?? null }));
    }
    return redirectWithMessage(c, `/rotations/${id}`, 'Checklist updated.');
  });
  app.post(
    '/:id/check-ins',
    paramValidator(idParam),
    formValidator(checkInInputSchema, (c, errors, values) => {
      const kind = values.kind === 'end' ? 'end' : 'midpoint';
      return renderRotation(c, Number(c.req.param('id')), { kind, values, errors }, 400);
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      const { db, clock } = c.var.deps;
      loadVisible(c, id);
      try {
        submitCheckIn(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, input);
      } catch (err) {
        if (err instanceof AppError && err.status === 409)
          return renderRotation(c, id, { kind: input.kind, values: input, errors: { learned: err.message } }, 409);
        throw err;
      }
      return redirectWithMessage(c, `/rotations/${id}`, 'Check-in saved.');
    },
  );

  return app;
}
