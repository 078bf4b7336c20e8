import { Hono } from 'hono';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { feedbackOutcomes, lossReasons, people } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireSignedIn, viewerOf } from '../guards';
import { AppError, forbidden } from '../lib/errors';
import { addDaysToLocalDate, formatLocalDate, startOfLocalDate } from '../lib/time';
import { blankToUndefined, dateSchema, idSchema, pathIdSchema, pageQuery } from '../lib/validation';
import { canViewPerson, requirePerson, teamOptions } from '../people/people';
import { occurrenceKey } from '../events';
import { fieldErrors, formValidator, html, isHtmx, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { FeedbackDetailPage } from '../../views/feedback/detail';
import { FeedbackFormPage, MATERIAL_ROWS, NameField, NameSuggestions } from '../../views/feedback/form';
import { FeedbackHomePage } from '../../views/feedback/home';
import { InsightsPage, InsightsResults, type InsightsFilters } from '../../views/feedback/insights';
import { KeptNamesPage } from '../../views/feedback/kept-names';
import {
  canMergeNames,
  fieldNameKindSchema,
  listKeptNames,
  mergeInputSchema,
  mergeKeptNames,
  offeredNames,
  separateKeptName,
  suggestKeptNames,
  suggestMerges,
} from './names';
import {
  feedbackInputSchema,
  findFeedback,
  getFeedback,
  listFeedback,
  pendingFeedback,
  requireRideAlong,
  roleIn,
  submitFeedback,
  type FeedbackInput,
  type FeedbackWithDetails,
} from './feedback';
import { canSeeInsights, fieldInsights, INSIGHTS_DEFAULT_DAYS, suggestionGroupsFor } from './insights';
import { MAX_MOVED, moveInputSchema, moveSuggestions } from '../liaisons/liaisons';

const materialFields = Object.fromEntries(
  Array.from({ length: MATERIAL_ROWS }, (_, i) => i + 1).flatMap((i) => [
    [`material${i}`, z.preprocess((v) => v ?? '', z.string().trim().max(80, 'Keep the name under 80 characters.'))],
    [
      `rating${i}`,
      z.preprocess(
        blankToUndefined,
        z.coerce.number({ message: 'Rate from 1 to 5.' }).int('Rate from 1 to 5.').min(1, 'Rate from 1 to 5.').max(5, 'Rate from 1 to 5.').optional(),
      ),
    ],
  ]),
) as Record<string, z.ZodType>;

/** The HTML form: competitors as one comma-separated field, material as numbered rows. */
const feedbackFormSchema = z
  .object({
    occurrenceId: z.string().trim().min(1).max(120),
    competitors: z.preprocess((v) => v ?? '', z.string().max(1000, 'Keep the list under 1000 characters.')),
    outcome: z.preprocess(blankToUndefined, z.enum(feedbackOutcomes, { message: 'Choose the outcome: won, lost or still open.' })),
    lossReason: z.preprocess(blankToUndefined, z.enum(lossReasons, { message: 'Choose why the deal was lost.' }).optional()),
    lossDetail: z.preprocess((v) => v ?? '', z.string().trim().max(500, 'Keep the detail under 500 characters.')),
    suggestion: z.preprocess((v) => v ?? '', z.string().trim().max(2000, 'Keep the suggestion under 2000 characters.')),
    ...materialFields,
  })
  .superRefine((v, ctx) => {
    const values = v as Record<string, unknown>;
    for (let i = 1; i <= MATERIAL_ROWS; i++) {
      const name = values[`material${i}`] as string;
      const rating = values[`rating${i}`];
      if (name && rating === undefined) ctx.addIssue({ code: 'custom', path: [`rating${i}`], message: 'Rate this material from 1 to 5.' });
      if (!name && rating !== undefined) ctx.addIssue({ code: 'custom', path: [`material${i}`], message: 'Name the material you rate.' });
    }
  });

function inputFromForm(form: Record<string, unknown>): FeedbackInput | { errors: FieldErrors } {
  const materials: { name: string; rating: number }[] = [];
  for (let i = 1; i <= MATERIAL_ROWS; i++) {
    const name = form[`material${i}`] as string;
    if (name) materials.push({ name, rating: form[`rating${i}`] as number });
  }
  const candidate = {
    occurrenceId: form.occurrenceId,
    competitors: String(form.competitors)
      .split(/[,;\n]/)
      .map((s) => s.trim())
      .filter(Boolean),
    outcome: form.outcome,
    lossReason: form.lossReason ?? null,
    lossDetail: form.lossDetail,
    materials,
    suggestion: form.suggestion,
  };
  const parsed = feedbackInputSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const [first, index] = issue.path;
    const key = first === 'materials' ? (typeof index === 'number' ? `material${index + 1}` : 'material1') : String(first ?? '_form');
    errors[key] ??= issue.message;
  }
  return { errors };
}

function formValuesOf(existing: FeedbackWithDetails | null): FormValues {
  if (!existing) return {};
  const values: FormValues = {
    competitors: existing.competitors.join(', '),
    outcome: existing.outcome,
    lossReason: existing.lossReason ?? '',
    lossDetail: existing.lossDetail,
    suggestion: existing.suggestion,
  };
  existing.materials.slice(0, MATERIAL_ROWS).forEach((m, i) => {
    values[`material${i + 1}`] = m.name;
    values[`rating${i + 1}`] = m.rating;
  });
  return values;
}

function renderForm(c: AppContext, occurrenceId: string, values: FormValues | null, errors?: FieldErrors, status: 200 | 400 | 409 = 200) {
  const { db, clock } = c.var.deps;
  const viewer = viewerOf(c);
  const ride = requireRideAlong(db, occurrenceId);
  const role = roleIn(ride, viewer.person.id);
  if (!role) throw forbidden('Only the host and the marketers who joined this ride-along give feedback on it.');
  if (ride.occurrence.end.getTime() > clock.now().getTime()) throw new AppError(409, 'not_ended', 'Feedback opens when the ride-along has ended.');
  const existing = findFeedback(db, ride.event.id, ride.occurrence.originalStart, viewer.person.id);
  const host = db.select({ name: people.name }).from(people).where(eq(people.id, ride.hostId)).get();
  return html(
    c,
    FeedbackFormPage({
      layout: layoutProps(c, 'Ride-along feedback'),
      ride: {
        occurrenceId: ride.occurrence.key,
        title: ride.event.title,
        account: ride.event.account,
        start: ride.occurrence.start,
        hostName: host?.name ?? '',
        role,
      },
      values: values ?? formValuesOf(existing),
      errors,
      editing: !!existing,
      timeZone: viewer.person.timeZone,
      offered: { competitor: offeredNames(db, 'competitor'), material: offeredNames(db, 'material') },
    }),
    status,
  );
}

const homeQuery = z.object({ person: z.preprocess(blankToUndefined, idSchema.optional()), ...pageQuery });
/** Moving a group of open suggestions: the backlog items' ids, comma-separated. */
const groupMoveSchema = moveInputSchema.and(
  z.object({
    ids: z
      .string()
      .trim()
      .regex(/^\d+(,\d+)*$/, 'Choose a suggestion.')
      .transform((v) => v.split(',').map(Number))
      .refine((ids) => ids.length <= MAX_MOVED, `Move at most ${MAX_MOVED} suggestions at once.`),
  }),
);
const idParam = z.object({ id: pathIdSchema });
const insightsQuery = z
  .object({
    team: z.preprocess(blankToUndefined, idSchema.optional()),
    from: z.preprocess(blankToUndefined, dateSchema.optional()),
    to: z.preprocess(blankToUndefined, dateSchema.optional()),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'The end date is before the start date.' });

/** The default period: the last INSIGHTS_DEFAULT_DAYS up to today, in the viewer's zone. */
function insightsPeriod(query: { from?: string; to?: string }, today: string): { from: string; to: string } {
  const to = query.to ?? today;
  return { from: query.from ?? addDaysToLocalDate(to, -INSIGHTS_DEFAULT_DAYS), to };
}

export function feedbackRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/feedback', requireSignedIn);
  app.use('/feedback/*', requireSignedIn);
  app.use('/insights', requireSignedIn);
  app.use('/insights/*', requireSignedIn);

  app.get('/feedback', queryValidator(homeQuery), (c) => {
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const q = c.req.valid('query');
    const subjectId = q.person ?? viewer.person.id;
    const subject = requirePerson(db, subjectId);
    if (!canViewPerson(db, viewer, subjectId)) throw forbidden('You can see your own feedback and that of the people who report to you.');
    const given = listFeedback(db, viewer, { authorId: subjectId, page: q.page, pageSize: q.pageSize });
    return html(
      c,
      FeedbackHomePage({
        layout: layoutProps(c, 'Field feedback'),
        subject: { id: subject.id, name: subject.name, isSelf: subject.id === viewer.person.id },
        pending: pendingFeedback(db, subject, clock.now()),
        given,
        timeZone: viewer.person.timeZone,
        canSeeInsights: canSeeInsights(viewer.person),
      }),
    );
  });

  app.get('/feedback/new', queryValidator(z.object({ occurrence: z.string().trim().min(1).max(120) })), (c) =>
    renderForm(c, c.req.valid('query').occurrence, null),
  );

  app.post(
    '/feedback',
    formValidator(feedbackFormSchema, (c, errors, values) => renderForm(c, String(values.occurrenceId ?? ''), values, errors, 400)),
    (c) => {
      const form = c.req.valid('form') as Record<string, unknown>;
      const viewer = viewerOf(c);
      if (viewer.tokenId) throw forbidden('API tokens send feedback through POST /api/v1/feedback.');
      const input = inputFromForm(form);
      if ('errors' in input) return renderForm(c, String(form.occurrenceId), form, input.errors, 400);
      const { db, clock } = c.var.deps;
      submitFeedback(db, clock, actorOf(viewer), viewer.person, input);
      return redirectWithMessage(c, `/feedback`, 'Thank you — your feedback reached marketing.');
    },
  );

  app.get('/feedback/:id', paramValidator(idParam), (c) => {
    const { db } = c.var.deps;
    const viewer = viewerOf(c);
    const item = getFeedback(db, viewer, c.req.valid('param').id);
    return html(
      c,
      FeedbackDetailPage({
        layout: layoutProps(c, 'Feedback'),
        item,
        timeZone: viewer.person.timeZone,
        canEdit: item.authorId === viewer.person.id,
        occurrenceId: occurrenceKey(item.eventId, item.occurrenceStart),
      }),
    );
  });

  // ── kept names: suggestions while typing, and merging for marketing managers and HR ──
  const nameFieldQuery = z.object({
    kind: fieldNameKindSchema,
    field: z.string().regex(/^(competitors|material[1-9])$/, 'Unknown field.'),
    pick: z.string().trim().max(80).optional(),
  });
  /** What was typed last in a field: the segment after the last comma of the competitors list. */
  const lastSegment = (field: string, value: string) => (field === 'competitors' ? (value.split(/[,;]/).pop() ?? '') : value).trim();

  app.get('/feedback/names/suggest', queryValidator(nameFieldQuery), (c) => {
    const q = c.req.valid('query');
    const value = (c.req.query(q.field) ?? '').slice(0, 1000);
    const typed = lastSegment(q.field, value);
    const matches = typed.length < 2 ? [] : suggestKeptNames(c.var.deps.db, q.kind, typed).filter((m) => m.name.toLowerCase() !== typed.toLowerCase());
    return html(c, NameSuggestions({ kind: q.kind, field: q.field, value, matches }));
  });

  app.get('/feedback/names/complete', queryValidator(nameFieldQuery), (c) => {
    const q = c.req.valid('query');
    const value = (c.req.query(q.field) ?? '').slice(0, 1000);
    let next = q.pick ?? value;
    if (q.pick && q.field === 'competitors') {
      const parts = value.split(/[,;]/).map((p) => p.trim());
      parts[parts.length - 1] = q.pick;
      next = parts.filter(Boolean).join(', ');
    }
    const label = q.field === 'competitors' ? 'Competitors met' : `Material ${q.field.slice('material'.length)}`;
    const hint =
      q.field === 'competitors'
        ? 'Separate names with commas, e.g. Globex, Initech. Pick a known name where one fits; a new one is fine. Leave empty if none came up.'
        : undefined;
    return html(c, NameField({ kind: q.kind, name: q.field, label, values: { [q.field]: next }, hint }));
  });

  const requireNameKeeper = async (c: AppContext, next: () => Promise<void>) => {
    if (!canMergeNames(viewerOf(c).person)) throw forbidden('Marketing managers and HR keep the competitor and material names.');
    await next();
  };
  const renderNames = (c: AppContext, kind: 'competitor' | 'material', errors?: FieldErrors, status: 200 | 400 | 404 | 409 = 200) => {
    const { db } = c.var.deps;
    const { rows, total } = listKeptNames(db, kind);
    return html(
      c,
      KeptNamesPage({ layout: layoutProps(c, 'Competitor and material names'), kind, names: rows, total, merges: suggestMerges(db, kind), errors }),
      status,
    );
  };
  app.get('/insights/names', requireNameKeeper, queryValidator(z.object({ kind: fieldNameKindSchema.default('competitor') })), (c) =>
    renderNames(c, c.req.valid('query').kind),
  );

  const mergeForm = z.object({
    kind: fieldNameKindSchema,
    canonicalId: z.preprocess(blankToUndefined, z.coerce.number({ message: 'Choose the name to keep.' }).int().positive()),
    mergedIds: z.preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.coerce.number().int().positive()).max(50, 'Merge at most 50 names at once.'),
    ),
  });
  app.post(
    '/insights/names/merge',
    requireNameKeeper,
    formValidator(mergeForm, (c, errors, values) => renderNames(c, values.kind === 'material' ? 'material' : 'competitor', errors, 400)),
    (c) => {
      const form = c.req.valid('form');
      const input = mergeInputSchema.safeParse({ ...form, mergedIds: form.mergedIds.filter((id) => id !== form.canonicalId) });
      if (!input.success) return renderNames(c, form.kind, fieldErrors(input.error), 400);
      try {
        const { canonical, merged } = mergeKeptNames(c.var.deps.db, c.var.deps.clock, actorOf(viewerOf(c)), input.data);
        return redirectWithMessage(
          c,
          `/insights/names?kind=${form.kind}`,
          `${merged.map((m) => `“${m.name}”`).join(', ')} now count${merged.length === 1 ? 's' : ''} as “${canonical.name}”.`,
        );
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 404)) return renderNames(c, form.kind, { mergedIds: err.message }, err.status);
        throw err;
      }
    },
  );

  app.post(
    '/insights/names/:id/separate',
    requireNameKeeper,
    paramValidator(idParam),
    formValidator(z.object({ kind: fieldNameKindSchema }), (c, errors) => renderNames(c, 'competitor', { mergedIds: errors.kind }, 400)),
    (c) => {
      const { kind } = c.req.valid('form');
      const row = separateKeptName(c.var.deps.db, c.var.deps.clock, actorOf(viewerOf(c)), kind, c.req.valid('param').id);
      return redirectWithMessage(c, `/insights/names?kind=${kind}`, `“${row.name}” counts on its own again.`);
    },
  );

  const insightsFor = (c: AppContext, q: z.infer<typeof insightsQuery>) => {
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    const zone = viewer.person.timeZone;
    const period = insightsPeriod(q, formatLocalDate(c.var.deps.clock.now(), zone));
    const filters: InsightsFilters = { team: q.team, ...period };
    const insights = fieldInsights(db, {
      teamId: q.team,
      from: startOfLocalDate(period.from, zone),
      to: startOfLocalDate(addDaysToLocalDate(period.to, 1), zone),
    });
    return { filters, insights, suggestions: suggestionGroupsFor(db, viewer, insights.suggestions), timeZone: zone, csrfToken: viewer.csrfToken ?? null };
  };

  const requireInsights = (c: AppContext) => {
    if (!canSeeInsights(viewerOf(c).person)) throw forbidden('Field insights are for marketing, managers and HR.');
  };

  const filtersOf = (c: AppContext) => {
    const parsed = insightsQuery.safeParse(c.req.query());
    return parsed.success ? parsed.data : {};
  };

  app.get(
    '/insights',
    async (c, next) => {
      requireInsights(c);
      await next();
    },
    (c) => {
      const parsed = insightsQuery.safeParse(c.req.query());
      const errors = parsed.success ? undefined : fieldErrors(parsed.error);
      const results = insightsFor(c, parsed.success ? parsed.data : {});
      if (isHtmx(c)) return html(c, InsightsResults(results), errors ? 400 : 200);
      const teamList = teamOptions(c.var.deps.db);
      return html(
        c,
        InsightsPage({ layout: layoutProps(c, 'Field insights'), teams: teamList, errors, results, canKeepNames: canMergeNames(viewerOf(c).person) }),
        errors ? 400 : 200,
      );
    },
  );

  /** Back to the insights page with the same filters (no JS), or the results swapped in place (htmx). */
  const answerMove = (c: AppContext, message: string, status: 200 | 400 | 409 = 200) => {
    const q = filtersOf(c);
    if (isHtmx(c)) return html(c, InsightsResults({ ...insightsFor(c, q), notice: message }), status);
    const back = new URLSearchParams(
      Object.entries({ team: q.team, from: q.from, to: q.to })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    return redirectWithMessage(c, `/insights${back.size ? `?${back}` : ''}`, message);
  };

  // The open suggestions' action moves their liaison backlog items, as the backlog page does.
  app.post(
    '/insights/suggestions/move',
    async (c, next) => {
      requireInsights(c);
      await next();
    },
    formValidator(groupMoveSchema, (c, errors) => answerMove(c, errors.reason ?? errors.ids ?? errors.move ?? 'Choose what to do with the suggestion.', 400)),
    (c) => {
      const viewer = viewerOf(c);
      const { db, clock } = c.var.deps;
      const input = c.req.valid('form');
      try {
        const moved = moveSuggestions(db, clock, viewer, input.ids, input.move, input.reason);
        const what = moved.length === 1 ? 'Suggestion' : `${moved.length} suggestions`;
        return answerMove(c, `${what} ${moved[0]!.status === 'open' ? 'reopened' : moved[0]!.status}.`);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) return answerMove(c, err.message, err.status);
        throw err;
      }
    },
  );

  return app;
}
