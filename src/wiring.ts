import type { Db } from './db';
import { onPeopleWritten } from './people/listeners';
import { syncEnrollmentsForPeople } from './programs/index';
import { registerNavBadge } from './nav';
import { pendingApprovalsCount, pendingInvitationsCount, registerCancellationCalendar } from './events';
import { cancellationCalendar } from './calendar/routes';
import { issueFirstCalendarFeed } from './calendar/feeds';
import { onSessionCreated } from './auth/auth';
import { pendingFeedbackCount } from './feedback/feedback';
import { unansweredRoundsCount } from './surveys/answering';
import { completionsAfterSurveyAnswered } from './programs/tracking';
import { onSurveyAnswered } from './surveys/listeners';

/**
 * How features hear each other, so the lower one never calls up: each feature's count beside its
 * navigation entry, reactions to each other's writes (a sign-in included), and the calendar part of events' cancellation mail. Registered once per database by createApp, and by
 * the scripts that write without an app (demo, benchmarks), so the lower feature never calls up.
 */
export function wireFeatureListeners(db: Db): void {
  onPeopleWritten(db, syncEnrollmentsForPeople);
  onSurveyAnswered(db, completionsAfterSurveyAnswered);
  registerCancellationCalendar(db, cancellationCalendar);
  // The calendar page shows the person's feed address from their first visit without writing on a GET.
  onSessionCreated(db, issueFirstCalendarFeed);
  registerNavBadge(db, 'invitations', (viewer, now) => pendingInvitationsCount(viewer.id, now));
  registerNavBadge(db, 'approvals', (viewer) => pendingApprovalsCount(viewer.id, viewer.role));
  registerNavBadge(db, 'feedback', (viewer, now) => pendingFeedbackCount(viewer.id, now));
  registerNavBadge(db, 'surveys', (viewer, now) => unansweredRoundsCount(viewer.id, now));
}
