// HR's survey settings: the response rate a verdict needs, and the minimum group size (k) of anonymous rounds.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { surveySettings } from '../../db/schema';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { recordAudit, type Actor } from '../audit/audit';
import { DEFAULT_MIN_GROUP_SIZE, HIGHEST_MIN_GROUP_SIZE, LOWEST_MIN_GROUP_SIZE } from './anonymity';
import { DEFAULT_MIN_RESPONSE_RATE_PERCENT } from './verdict';

const SETTINGS_ROW = 1;

export type SurveySettings = { minResponseRatePercent: number; minGroupSize: number };
const DEFAULT_SURVEY_SETTINGS: SurveySettings = { minResponseRatePercent: DEFAULT_MIN_RESPONSE_RATE_PERCENT, minGroupSize: DEFAULT_MIN_GROUP_SIZE };

export const surveySettingsSchema = z.object({
  minResponseRatePercent: z.coerce.number({ error: 'Enter a percentage.' }).int('Enter a whole percentage.').min(1, 'At least 1%.').max(100, 'At most 100%.'),
  minGroupSize: z.coerce
    .number({ error: 'Enter a number of people.' })
    .int('Enter a whole number.')
    .min(LOWEST_MIN_GROUP_SIZE, `At least ${LOWEST_MIN_GROUP_SIZE}: smaller groups cannot stay anonymous.`)
    .max(HIGHEST_MIN_GROUP_SIZE, `At most ${HIGHEST_MIN_GROUP_SIZE}.`),
});

const settingsQuery = preparedQuery((db) => db.select().from(surveySettings).where(eq(surveySettings.id, SETTINGS_ROW)).prepare());

export function loadSurveySettings(db: Db): SurveySettings {
  const row = settingsQuery(db).get();
  return row
    ? { minResponseRatePercent: row.minResponseRatePercent, minGroupSize: Math.max(LOWEST_MIN_GROUP_SIZE, row.minGroupSize) }
    : DEFAULT_SURVEY_SETTINGS;
}

export function saveSurveySettings(db: Db, clock: Clock, actor: Actor, input: z.output<typeof surveySettingsSchema>): SurveySettings {
  const settings = surveySettingsSchema.parse(input);
  return writeTransaction(db, (tx) => {
    const before = loadSurveySettings(tx);
    const now = clock.now();
    tx.insert(surveySettings)
      .values({ id: SETTINGS_ROW, ...settings, updatedById: actor.personId, updatedAt: now })
      .onConflictDoUpdate({ target: surveySettings.id, set: { ...settings, updatedById: actor.personId, updatedAt: now } })
      .run();
    recordAudit(tx, now, actor, 'survey_settings.update', 'survey_settings', SETTINGS_ROW, before, settings);
    return settings;
  });
}

/** The k a round is held to: the one promised when it opened, or HR's current setting when that is higher. */
export function minGroupSizeOf(round: { minGroupSize: number }, settings: SurveySettings): number {
  return Math.max(LOWEST_MIN_GROUP_SIZE, round.minGroupSize, settings.minGroupSize);
}
