import { eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { people, type Department, type Role } from '../db/schema';
import type { Db } from './db';
import type { Person } from './context';

/** `badge`: the count shown (absent when nothing is pending); `badgeKey`: the entry has a count at all. */
export type NavItem = { href: string; label: string; badge?: string; badgeKey?: string };
/** A menu of the navigation; a group the viewer sees only one entry of is shown as that entry's link. */
export type NavGroup = { label: string; items: NavItem[] };

/**
 * Who sees an entry: people with one of `roles`, and everyone in one of `departments` (field insights
 * for marketers). Written here as data, so the navigation imports no feature; the page itself checks
 * its own rule (test/navigation checks that the two agree).
 */
type NavEntry = { href: string; label: string; roles: readonly Role[]; departments?: readonly Department[]; badge?: string };

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
      { href: '/insights', label: 'Field insights', roles: ['hr', 'manager'], departments: ['marketing'] },
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

const sees = (person: Pick<Person, 'role' | 'department'>) => (e: NavEntry) =>
  e.roles.includes(person.role) || (e.departments?.includes(person.department) ?? false);

/** Every page a person may reach from the navigation, flat and in menu order. */
export function navFor(person: Pick<Person, 'role' | 'department'>): NavEntry[] {
  return groups.flatMap((g) => g.entries.filter(sees(person)));
}

/** The person's own menus, with the counts of `badges` beside the entries that have one; empty menus are left out. */
export function navGroupsFor(person: Pick<Person, 'role' | 'department'>, badges: Record<string, number>): NavGroup[] {
  return groups
    .map((g) => ({
      label: g.label,
      items: g.entries
        .filter(sees(person))
        .map((e) => ({ href: e.href, label: e.label, badgeKey: e.badge, badge: e.badge && badges[e.badge] ? String(badges[e.badge]) : undefined })),
    }))
    .filter((g) => g.items.length > 0);
}

/**
 * How many things wait for the viewer on a feature's page, as a SQL expression (a scalar subquery)
 * over the viewer's own row (`viewer`: the people table) and the instant `now` (ms); the feature
 * that owns the page supplies it. Every count of the navigation is read in one query.
 */
type BadgeCount = (viewer: typeof people, now: SQLWrapper) => SQL;

type Badges = { counts: Map<string, BadgeCount>; query?: ReturnType<typeof countsQuery> };

// Keyed by the connection, like every registry: two databases in one process never share counters.
const badgesByConnection = new WeakMap<object, Badges>();

/** A feature's count beside its navigation entry (badge name as in the entries above); createApp wires them. */
export function registerNavBadge(db: Db, badge: string, count: BadgeCount): void {
  const badges = badgesByConnection.get(db.$client) ?? { counts: new Map<string, BadgeCount>() };
  badges.counts.set(badge, count);
  // The one statement is prepared again with the new count in it.
  badges.query = undefined;
  badgesByConnection.set(db.$client, badges);
}

function countsQuery(db: Db, counts: Map<string, BadgeCount>) {
  const now = sql.placeholder('now');
  const columns: Record<string, SQL.Aliased<number>> = {};
  for (const [badge, count] of counts) columns[badge] = sql<number>`(${count(people, now)})`.mapWith(Number).as(`badge_${badge}`);
  return db
    .select(columns)
    .from(people)
    .where(eq(people.id, sql.placeholder('person')))
    .prepare();
}

/** Counts shown beside navigation entries (e.g. pending invitations), keyed by the entry's badge name: one query. */
export function badgeCounts(db: Db, person: Pick<Person, 'id'>, now: Date = new Date()): Record<string, number> {
  const badges = badgesByConnection.get(db.$client);
  if (!badges || badges.counts.size === 0) return {};
  badges.query ??= countsQuery(db, badges.counts);
  return badges.query.get({ person: person.id, now: now.getTime() }) ?? {};
}
