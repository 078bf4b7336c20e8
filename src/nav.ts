import type { Role } from '../db/schema';
import type { Db } from './db';
import type { Person } from './context';
import { canSeeInsights } from './feedback/insights';

/** `badge`: the count shown (absent when nothing is pending); `badgeKey`: the entry has a count at all. */
export type NavItem = { href: string; label: string; badge?: string; badgeKey?: string };
/** A menu of the navigation; a group the viewer sees only one entry of is shown as that entry's link. */
export type NavGroup = { label: string; items: NavItem[] };

/** `visible` narrows an entry further than its roles, e.g. field insights for marketers. */
type NavEntry = { href: string; label: string; roles: readonly Role[]; badge?: string; visible?: (person: Pick<Person, 'role' | 'department'>) => boolean };

const everyone = ['hr', 'manager', 'employee'] as const;

/**
 * The navigation as a few menus, in order; features add their entries to the group a person would look in.
 * Grouping keeps HR's many pages findable without a row of seventeen links.
 */
const groups: { label: string; entries: NavEntry[] }[] = [
  {
    label: 'Schedule',
    entries: [
      { href: '/', label: 'My schedule', roles: everyone },
      { href: '/invitations', label: 'Invitations', roles: everyone, badge: 'invitations' },
      { href: '/open-seats', label: 'Open seats', roles: everyone },
      { href: '/approvals', label: 'Approvals', roles: ['hr', 'manager'], badge: 'approvals' },
    ],
  },
  {
    label: 'People',
    entries: [
      { href: '/people', label: 'People', roles: ['hr', 'manager'] },
      { href: '/teams', label: 'Teams', roles: ['hr'] },
      { href: '/rotations', label: 'Rotations', roles: everyone },
    ],
  },
  {
    label: 'Programs',
    entries: [
      { href: '/learning', label: 'My learning', roles: everyone },
      { href: '/programs', label: 'Programs', roles: ['hr', 'manager'] },
    ],
  },
  {
    label: 'Alignment',
    entries: [
      { href: '/feedback', label: 'Feedback', roles: everyone, badge: 'feedback' },
      { href: '/insights', label: 'Field insights', roles: everyone, visible: canSeeInsights },
      { href: '/surveys', label: 'Surveys', roles: everyone, badge: 'surveys' },
      { href: '/scorecard', label: 'Scorecard', roles: ['hr', 'manager'] },
      { href: '/liaisons', label: 'Liaisons', roles: everyone },
    ],
  },
  {
    label: 'Administration',
    entries: [
      { href: '/audit', label: 'Audit log', roles: ['hr'] },
      { href: '/outbox', label: 'Outbox', roles: ['hr'] },
      { href: '/admin/tokens', label: 'API tokens', roles: ['hr'] },
    ],
  },
];

const sees = (person: Pick<Person, 'role' | 'department'>) => (e: NavEntry) => e.roles.includes(person.role) && (e.visible?.(person) ?? true);

/** Every page a person may reach from the navigation, flat and in menu order. */
export function navFor(person: Pick<Person, 'role' | 'department'>): NavEntry[] {
  return groups.flatMap((g) => g.entries.filter(sees(person)));
}

/** The person's own menus, with the counts of `badges` beside the entries that have one; empty menus are left out. */
export function navGroupsFor(person: Pick<Person, 'role' | 'department'>, badges: Record<string, number>): NavGroup[] {
  return groups
    .map((g) => ({
      label: g.label,
      items: g.entries.filter(sees(person)).map((e) => ({ href: e.href, label: e.label, badgeKey: e.badge, badge: e.badge && badges[e.badge] ? String(badges[e.badge]) : undefined })),
    }))
    .filter((g) => g.items.length > 0);
}

/** How many things wait for this person on a feature's page; the feature that owns the page supplies it. */
export type BadgeCounter = (db: Db, person: Person, now: Date) => number;

// Keyed by the connection, like every registry: two databases in one process never share counters.
const countersByConnection = new WeakMap<object, Map<string, BadgeCounter>>();

/** A feature's count beside its navigation entry (badge name as in the entries above); createApp wires them. */
export function registerNavBadge(db: Db, badge: string, counter: BadgeCounter): void {
  const counters = countersByConnection.get(db.$client) ?? new Map<string, BadgeCounter>();
  counters.set(badge, counter);
  countersByConnection.set(db.$client, counters);
}

/** Counts shown beside navigation entries (e.g. pending invitations), keyed by the entry's badge name. */
export function badgeCounts(db: Db, person: Person, now: Date = new Date()): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [badge, count] of countersByConnection.get(db.$client) ?? []) counts[badge] = count(db, person, now);
  return counts;
}
