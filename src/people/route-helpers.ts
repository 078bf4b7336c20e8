/**
 * What the people pages' sub-apps share: the id in the path, the welcome checkbox, the team and manager
 * choices, and domain conflicts shown on the field they concern.
 */
import { z } from 'zod';
import type { AppContext } from '../context';
import { AppError } from '../lib/errors';
import { pathIdSchema } from '../lib/validation';
import type { FieldErrors, FormValues } from '../../views/components';
import { withDepartment } from '../../views/labels';
import { managerChoices } from './choices';
import { teamChoices } from './teams';

export const idParam = z.object({ id: pathIdSchema });
/** The form's checkbox comes with a hidden "false" before it: the last value sent wins. */
export const welcomeFlag = z.preprocess((v) => {
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return last === undefined ? false : last === 'true' || last === 'on' || last === '1' || last === true;
}, z.boolean());

/**
 * A form's team and manager choices: all of them in a small company; past LISTED_TEAMS teams or LISTED_MANAGERS
 * managers, the one chosen and those its Find field (teamSearch, managerSearch) finds.
 */
export function formOptions(c: AppContext, values: FormValues = {}) {
  const teams = teamChoices(c.var.deps.db, { q: values.teamSearch, chosen: values.teamId });
  return { teams: teams.teams.map((t) => ({ value: t.id, label: withDepartment(t) })), findTeam: !teams.listed, ...managerOptions(c, values) };
}

/** A form's manager select (managerId) and whether it offers its Find field (managerSearch). */
export function managerOptions(c: AppContext, values: FormValues = {}) {
  const managers = managerChoices(c.var.deps.db, { q: values.managerSearch, chosen: [values.managerId] });
  return { managers: managers.managers.map((m) => ({ value: m.id, label: m.name })), findManager: !managers.listed };
}

/** The Find buttons of the team and manager fields, and the field each reads (findOnForm). */
export const TEAM_AND_MANAGER_FINDS = { findTeam: 'teamSearch', findManager: 'managerSearch' };

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
