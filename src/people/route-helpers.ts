/**
 * What the people pages' sub-apps share: the id in the path, the welcome checkbox, the team and manager
 * choices, and domain conflicts shown on the field they concern.
 */
import { z } from 'zod';
import type { AppContext } from '../context';
import { AppError } from '../lib/errors';
import { pathIdSchema } from '../lib/validation';
import type { FieldErrors } from '../../views/components';
import { withDepartment } from '../../views/labels';
import { managerChoices } from './people';
import { teamOptions } from './teams';

export const idParam = z.object({ id: pathIdSchema });
/** The form's checkbox comes with a hidden "false" before it: the last value sent wins. */
export const welcomeFlag = z.preprocess((v) => {
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return last === undefined ? false : last === 'true' || last === 'on' || last === '1' || last === true;
}, z.boolean());

export function formOptions(c: AppContext) {
  const { db } = c.var.deps;
  return {
    teams: teamOptions(db).map((t) => ({ value: t.id, label: withDepartment(t) })),
    managers: managerChoices(db).map((m) => ({ value: m.id, label: m.name })),
  };
}

/** A domain conflict (taken email, bad reference) shown on the form field it concerns. */
export function conflictField(err: unknown): FieldErrors | null {
  if (err instanceof AppError && err.status === 400 && err.issues?.length) return Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
  if (!(err instanceof AppError) || err.status !== 409) return null;
  if (err.code === 'email_taken') return { email: err.message };
  if (err.code === 'manager_cycle' || (err.code === 'invalid_reference' && /manager/.test(err.message))) return { managerId: err.message };
  if (err.code === 'invalid_reference' || err.code === 'team_cycle') return { teamId: err.message };
  if (err.code === 'team_name_taken') return { name: err.message };
  return { _form: err.message };
}
