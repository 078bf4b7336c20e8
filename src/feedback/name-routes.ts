/**
 * Kept competitor and material names: suggestions while typing in the feedback form (mounted at /feedback/names),
 * and merging and separating them for marketing managers and HR (mounted at /insights/names).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { AppError, forbidden } from '../lib/errors';
import { blankToUndefined } from '../lib/validation';
import { fieldErrors, formValidator, html, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors } from '../../views/components';
import { NameField, NameSuggestions } from '../../views/feedback/form';
import { KeptNamesPage } from '../../views/feedback/kept-names';
import {
  canMergeNames,
  fieldNameKindSchema,
  listKeptNames,
  mergeInputSchema,
  mergeKeptNames,
  separateKeptName,
  suggestKeptNames,
  suggestMerges,
} from './names';
import { idParam } from './route-helpers';

const nameFieldQuery = z.object({
  kind: fieldNameKindSchema,
  field: z.string().regex(/^(competitors|material[1-9])$/, 'Unknown field.'),
  pick: z.string().trim().max(80).optional(),
});
/** What was typed last in a field: the segment after the last comma of the competitors list. */
const lastSegment = (field: string, value: string) => (field === 'competitors' ? (value.split(/[,;]/).pop() ?? '') : value).trim();

/** The name fields of the feedback form: what matches while typing, and the field with a pick filled in. */
export function nameFieldRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/suggest', queryValidator(nameFieldQuery), (c) => {
    const q = c.req.valid('query');
    const value = (c.req.query(q.field) ?? '').slice(0, 1000);
    const typed = lastSegment(q.field, value);
    const matches = typed.length < 2 ? [] : suggestKeptNames(c.var.deps.db, q.kind, typed).filter((m) => m.name.toLowerCase() !== typed.toLowerCase());
    // No close names is an empty answer (the view renders nothing), which htmx swaps in as an empty hint.
    return html(c, NameSuggestions({ kind: q.kind, field: q.field, value, matches }) ?? '');
  });

  app.get('/complete', queryValidator(nameFieldQuery), (c) => {
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

  return app;
}

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

const mergeForm = z.object({
  kind: fieldNameKindSchema,
  canonicalId: z.preprocess(blankToUndefined, z.coerce.number({ message: 'Choose the name to keep.' }).int().positive()),
  mergedIds: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.coerce.number().int().positive()).max(50, 'Merge at most 50 names at once.'),
  ),
});

export function keptNameRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', requireNameKeeper, queryValidator(z.object({ kind: fieldNameKindSchema.default('competitor') })), (c) =>
    renderNames(c, c.req.valid('query').kind),
  );
  app.post(
    '/merge',
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
    '/:id/separate',
    requireNameKeeper,
    paramValidator(idParam),
    formValidator(z.object({ kind: fieldNameKindSchema }), (c, errors) => renderNames(c, 'competitor', { mergedIds: errors.kind }, 400)),
    (c) => {
      const { kind } = c.req.valid('form');
      const row = separateKeptName(c.var.deps.db, c.var.deps.clock, actorOf(viewerOf(c)), kind, c.req.valid('param').id);
      return redirectWithMessage(c, `/insights/names?kind=${kind}`, `“${row.name}” counts on its own again.`);
    },
  );

  return app;
}
