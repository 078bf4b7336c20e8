import type { Db } from './db';
import { onPeopleWritten } from './people/listeners';
import { syncEnrollmentsForPeople } from './programs/programs';
import { completionsAfterSurveyAnswered } from './programs/tracking';
import { onSurveyAnswered } from './surveys/listeners';

/**
 * How features react to each other's writes. Registered once per database by createApp, and by
 * the scripts that write without an app (demo, benchmarks), so the lower feature never calls up.
 */
export function wireFeatureListeners(db: Db): void {
  onPeopleWritten(db, syncEnrollmentsForPeople);
  onSurveyAnswered(db, completionsAfterSurveyAnswered);
}
