/**
 * The official advantages and their versions. Mounted at /advantages.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { html, layoutProps, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { AdvantagesPage } from '../../views/surveys/advantages';
import {
  currentAdvantageVersion,
  getAdvantageVersionByNumber,
  listAdvantageVersions,
  requireAdvantageEditor,
  saveAdvantageVersion,
  synonymsFromText,
  type AdvantageInput,
} from './advantages';

// ── the advantages form: rows of name, statement and synonyms ──

const ADVANTAGE_FORM_SPARE_ROWS = 1;

function advantageFormValues(version: ReturnType<typeof currentAdvantageVersion>): FormValues {
  const values: FormValues = {};
  version?.advantages.forEach((advantage, index) => {
    values[`key_${index}`] = advantage.key;
    values[`name_${index}`] = advantage.name;
    values[`statement_${index}`] = advantage.statement;
    values[`synonyms_${index}`] = advantage.synonyms.join('\n');
  });
  return values;
}

function parseAdvantageForm(body: Record<string, unknown>, rows: number): { list: AdvantageInput[]; errors: FieldErrors } {
  const list: AdvantageInput[] = [];
  const errors: FieldErrors = {};
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  for (let index = 0; index < rows; index++) {
    if (text(`remove_${index}`)) continue;
    const name = text(`name_${index}`);
    const statement = text(`statement_${index}`);
    const synonyms = synonymsFromText(text(`synonyms_${index}`));
    if (!name && !statement && synonyms.length === 0) continue;
    if (!name) errors[`name_${index}`] = 'Enter a name.';
    else if (name.length > 120) errors[`name_${index}`] = 'Keep the name under 120 characters.';
    if (statement.length > 500) errors[`statement_${index}`] = 'Keep the statement under 500 characters.';
    if (synonyms.some((synonym) => synonym.length > 200)) errors[`synonyms_${index}`] = 'Keep each phrase under 200 characters.';
    const key = text(`key_${index}`);
    list.push({ key: key || undefined, name, statement, synonyms });
  }
  if (list.length === 0 && Object.keys(errors).length === 0) errors._form = 'Keep at least one official advantage.';
  return { list, errors };
}

export function advantageRoutes() {
  const app = new Hono<AppEnv>();

  const renderAdvantages = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200, shownNumber?: number) => {
    const { db } = c.var.deps;
    const version = currentAdvantageVersion(db);
    const formValues = values ?? advantageFormValues(version);
    const filledRows = Object.keys(formValues).filter((name) => /^name_\d+$/.test(name)).length;
    const rows = Math.max(version?.advantages.length ?? 0, filledRows) + ADVANTAGE_FORM_SPARE_ROWS;
    return html(
      c,
      AdvantagesPage({
        layout: layoutProps(c, 'Official advantages'),
        version,
        versions: listAdvantageVersions(db),
        values: formValues,
        errors,
        rows: version ? Math.max(rows, 1) : Math.max(rows, 3),
        shownVersion: shownNumber ? getAdvantageVersionByNumber(db, shownNumber) : null,
      }),
      status,
    );
  };

  app.get('/', queryValidator(z.object({ version: z.coerce.number().int().positive().optional() })), (c) => {
    requireAdvantageEditor(viewerOf(c).person);
    return renderAdvantages(c, undefined, undefined, 200, c.req.valid('query').version);
  });

  app.post('/', async (c) => {
    const viewer = viewerOf(c);
    requireAdvantageEditor(viewer.person);
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    const rowCount = Object.keys(body).filter((name) => /^name_\d+$/.test(name)).length;
    const { list, errors } = parseAdvantageForm(body, rowCount);
    const values = Object.fromEntries(Object.entries(body).filter(([name]) => name !== '_csrf'));
    if (Object.keys(errors).length) return renderAdvantages(c, values, errors, 400);
    try {
      const version = saveAdvantageVersion(c.var.deps.db, c.var.deps.clock, actorOf(viewer), list, typeof body.note === 'string' ? body.note : '');
      return redirectWithMessage(c, '/advantages', `Saved as version ${version.number}.`);
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return renderAdvantages(c, values, { _form: err.message }, 400);
      throw err;
    }
  });

  return app;
}
