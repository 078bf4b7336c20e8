/**
 * What the rotation pages share: path parameters, today's date, and the options of their selects.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { people, teams } from '../../db/schema';
import type { AppContext } from '../context';
import { pathIdSchema } from '../lib/validation';
import { teamOptions as teamRows } from '../people/teams';
import type { Option } from '../../views/components';
import { todayOf } from './lifecycle';
import { rotationProgramChoices } from './programs';
import { departmentLabel, withDepartment } from '../../views/labels';

export const idParam = z.object({ id: pathIdSchema });
export const itemParam = z.object({ id: pathIdSchema, itemId: pathIdSchema });

/** Today's date for the rotation pages; statuses are derived from it on read, so a GET writes nothing. */
export const today = (c: AppContext) => todayOf(c.var.deps.clock);

export function teamOptions(c: AppContext): Option[] {
  return teamRows(c.var.deps.db, ['sales', 'marketing']).map((t) => ({ value: t.id, label: withDepartment(t) }));
}

export function peopleOptions(c: AppContext): Option[] {
  return c.var.deps.db
    .select({ id: people.id, name: people.name, department: people.department, team: teams.name })
    .from(people)
    .leftJoin(teams, eq(teams.id, people.teamId))
    .where(and(eq(people.active, true), inArray(people.department, ['sales', 'marketing'])))
    .orderBy(asc(people.name))
    .all()
    .map((p) => ({ value: p.id, label: `${p.name} — ${p.team ?? 'no team'} (${departmentLabel(p.department)})` }));
}

export function programOptions(c: AppContext): Option[] {
  return rotationProgramChoices(c.var.deps.db, true).map((p) => ({ value: p.id, label: `${p.name} (${p.lengthWeeks} weeks)` }));
}

export function mentorOptions(c: AppContext, teamIds: number[]): Record<number, Option[]> {
  if (!teamIds.length) return {};
  const rows = c.var.deps.db
    .select({ id: people.id, name: people.name, teamId: people.teamId })
    .from(people)
    .where(and(eq(people.active, true), inArray(people.teamId, teamIds)))
    .orderBy(asc(people.name))
    .all();
  const byTeam: Record<number, Option[]> = {};
  for (const r of rows) (byTeam[r.teamId!] ??= []).push({ value: r.id, label: r.name });
  return byTeam;
}
