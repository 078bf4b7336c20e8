/**
 * What the rotation pages share: path parameters, today's date, and the options of their selects.
 */
import { z } from 'zod';
import type { Department } from '../../db/schema';
import { preparedQuery } from '../db';
import { listPeople } from '../people/people';
import { namedPeople, PEOPLE_FOUND, type PersonChoice } from '../people/choices';
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

export function programOptions(c: AppContext): Option[] {
  return rotationProgramChoices(c.var.deps.db, true).map((p) => ({ value: p.id, label: `${p.name} (${p.lengthWeeks} weeks)` }));
}

/** Members of a host team a mentor choice lists; a bigger team's other members are found by the fix suggestions. */
export const MENTOR_CHOICES = 15;

const mentorChoicesQuery = preparedQuery((db) =>
  db.$client.prepare<[number, number], { id: number; name: string }>('SELECT id, name FROM people WHERE team_id = ? AND active = 1 ORDER BY id LIMIT ?'),
);

/**
 * MENTOR_CHOICES active members of each team (its longest-standing, read in the team index's order, then by name):
 * a mentor list the size of a page, not of the team.
 */
export function mentorChoices(c: AppContext, teamIds: number[]): Record<number, Option[]> {
  const byTeam: Record<number, Option[]> = {};
  for (const teamId of new Set(teamIds))
    byTeam[teamId] = mentorChoicesQuery(c.var.deps.db)
      .all(teamId, MENTOR_CHOICES)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => ({ value: r.id, label: r.name }));
  return byTeam;
}

type NamedPerson = PersonChoice & { label: string };

const labelOf = (p: { name: string; teamName: string | null; department: Department }) =>
  `${p.name} — ${p.teamName ?? 'no team'} (${departmentLabel(p.department)})`;

/** These people (a page's rows, a form's choices) by id, with the label a pick list shows. */
export function peopleNamed(c: AppContext, ids: number[]): Map<number, NamedPerson> {
  return new Map(namedPeople(c.var.deps.db, ids).map((p) => [p.id, { ...p, label: labelOf(p) }]));
}

/**
 * Active sales and marketing people a typed text finds (a name, or a label picked from the list), the first
 * PEOPLE_FOUND by name, through the directory's search: never the whole directory.
 */
export function plannerPeople(c: AppContext, text: string): Option[] {
  const q = text.split(' — ')[0]!.trim();
  if (!q) return [];
  const { rows } = listPeople(c.var.deps.db, { q, active: true, page: 1, pageSize: PEOPLE_FOUND * 2 });
  return rows
    .filter((p) => p.department === 'sales' || p.department === 'marketing')
    .slice(0, PEOPLE_FOUND)
    .map((p) => ({ value: p.id, label: labelOf({ name: p.name, teamName: p.teamName, department: p.department }) }));
}
