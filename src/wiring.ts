import type { Db } from './db';
import { onPeopleWritten } from './people/listeners';
import { syncEnrollmentsForPeople } from './programs/programs';
import { registerNavBadge } from './nav';
import { countPendingApprovals, countPendingInvitations } from './events';
import { countPendingFeedback } from './feedback/feedback';
import { unansweredRoundCount } from './surveys/surveys';
import { completionsAfterSurveyAnswered } from './programs/tracking';
import { onSurveyAnswered } from './surveys/listeners';

/**
 * How features hear each other, so the lower one never calls up: each feature's count beside its
 * navigation entry, and reactions to each other's writes. Registered once per database by createApp, and by
 * the scripts that write without an app (demo, benchmarks), so the lower feature never calls up.
 */
export function wireFeatureListeners(db: Db): void {
  onPeopleWritten(db, syncEnrollmentsForPeople);
  onSurveyAnswered(db, completionsAfterSurveyAnswered);
  registerNavBadge(db, 'invitations', (db, person, now) => countPendingInvitations(db, person.id, now));
  registerNavBadge(db, 'approvals', (db, person) => (person.role === 'employee' ? 0 : countPendingApprovals(db, person)));
  registerNavBadge(db, 'feedback', countPendingFeedback);
  registerNavBadge(db, 'surveys', (db, person, now) => unansweredRoundCount(db, person.id, now));
}
