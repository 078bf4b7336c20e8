import type { Role } from '../db/schema';
import type { Db } from './db';
import type { Person } from './context';
import { unansweredRoundCount } from './surveys/surveys';
import { countPendingFeedback } from './feedback/feedback';
import { canSeeInsights } from './feedback/insights';
import { countPendingApprovals, countPendingInvitations } from './events/invitations';

/** `badge`: the count shown (absent when nothing is pending); `badgeKey` names it for in-place updates. */
export type NavItem = { href: string; label: string; badge?: string; badgeKey?: string };

/** `visible` narrows an entry further than its roles, e.g. field insights for marketers. */
type NavEntry = { href: string; label: string; roles: readonly Role[]; badge?: string; visible?: (person: Pick<Person, 'role' | 'department'>) => boolean };

const everyone = ['hr', 'manager', 'employee'] as const;

/** The navigation, in order; features add their entries here. */
const entries: NavEntry[] = [
  { href: '/', label: 'My schedule', roles: everyone },
  { href: '/invitations', label: 'Invitations', roles: everyone, badge: 'invitations' },
  { href: '/open-seats', label: 'Open seats', roles: everyone },
  { href: '/approvals', label: 'Approvals', roles: ['hr', 'manager'], badge: 'approvals' },
  { href: '/people', label: 'People', roles: ['hr', 'manager'] },
  { href: '/rotations', label: 'Rotations', roles: everyone },
  { href: '/learning', label: 'My learning', roles: everyone },
  { href: '/programs', label: 'Programs', roles: ['hr', 'manager'] },
  { href: '/feedback', label: 'Feedback', roles: everyone, badge: 'feedback' },
  { href: '/insights', label: 'Field insights', roles: everyone, visible: canSeeInsights },
  { href: '/surveys', label: 'Surveys', roles: everyone, badge: 'surveys' },
  { href: '/scorecard', label: 'Scorecard', roles: ['hr', 'manager'] },
  { href: '/liaisons', label: 'Liaisons', roles: everyone },
  { href: '/teams', label: 'Teams', roles: ['hr'] },
  { href: '/audit', label: 'Audit log', roles: ['hr'] },
  { href: '/outbox', label: 'Outbox', roles: ['hr'] },
  { href: '/admin/tokens', label: 'API tokens', roles: ['hr'] },
];

export function navFor(person: Pick<Person, 'role' | 'department'>): NavEntry[] {
  return entries.filter((e) => e.roles.includes(person.role) && (e.visible?.(person) ?? true));
}

/** Counts shown beside navigation entries (e.g. pending invitations), keyed by the entry's badge name. */
export function badgeCounts(db: Db, person: Person, now: Date = new Date()): Record<string, number> {
  return {
    surveys: unansweredRoundCount(db, person.id, now),
    feedback: countPendingFeedback(db, person, now),
    invitations: countPendingInvitations(db, person.id, now),
    approvals: person.role === 'employee' ? 0 : countPendingApprovals(db, person),
  };
}
