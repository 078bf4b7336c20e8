import type { scheduleTrainingSession } from '../../src/programs/sessions';

type TrainingSessionInput = Parameters<typeof scheduleTrainingSession>[4];

/** What a test schedules unless it says otherwise: a one-hour, one-off training session for ten, in UTC, titled "CA 101". */
export function trainingSessionInput(
  fields: Pick<TrainingSessionInput, 'topicId' | 'hostId' | 'startLocal'> & Partial<TrainingSessionInput>,
): TrainingSessionInput {
  return { title: 'CA 101', description: '', timeZone: 'UTC', durationMinutes: 60, seats: 10, rrule: null, location: null, meetingUrl: null, ...fields };
}
