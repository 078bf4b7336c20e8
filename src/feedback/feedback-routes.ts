/**
 * Giving ride-along feedback: what is pending and given, the form, one item. Mounted at /feedback.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { feedbackOutcomes, lossReasons, people } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { AppError, forbidden } from '../lib/errors';
import { blankToUndefined, idSchema, pageQuery } from '../lib/validation';
import { canViewPerson, requirePerson } from '../people/people';
import { occurrenceKey } from '../events';
import { formValidator, html, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { FeedbackDetailPage } from '../../views/feedback/detail';
import { FeedbackFormPage, MATERIAL_ROWS } from '../../views/feedback/form';
import { FeedbackHomePage } from '../../views/feedback/home';
import { offeredNames } from './names';
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
import { canSeeInsights } from './insights';
import { idParam } from './route-helpers';

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

export function feedbackPageRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', queryValidator(homeQuery), (c) => {
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

  app.get('/new', queryValidator(z.object({ occurrence: z.string().trim().min(1).max(120) })), (c) => renderForm(c, c.req.valid('query').occurrence, null));

  app.post(
    '/',
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

  app.get('/:id', paramValidator(idParam), (c) => {
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

  return app;
}
