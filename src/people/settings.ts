/**
 * Company settings HR keeps: the default time zone of people created or imported without one. It
 * is asked at first start (the server may take DEFAULT_TIME_ZONE); until it is set, nobody is given
 * a zone silently — forms and imports ask for one.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { companySettings } from '../../db/schema';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { zoneSchema } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';

export const companySettingsSchema = z.object({ defaultTimeZone: zoneSchema });
type CompanySettingsInput = z.infer<typeof companySettingsSchema>;

const defaultZoneQuery = preparedQuery((db) =>
  db.select({ zone: companySettings.defaultTimeZone }).from(companySettings).where(eq(companySettings.id, 1)).prepare(),
);

export function companyDefaultTimeZone(db: Db): string | null {
  return defaultZoneQuery(db).get()?.zone ?? null;
}

export function setCompanySettings(db: Db, clock: Clock, actor: Actor, input: CompanySettingsInput) {
  return writeTransaction(db, (tx) => {
    const before = companyDefaultTimeZone(tx);
    const now = clock.now();
    tx.insert(companySettings)
      .values({ id: 1, defaultTimeZone: input.defaultTimeZone, updatedById: actor.personId, updatedAt: now })
      .onConflictDoUpdate({ target: companySettings.id, set: { defaultTimeZone: input.defaultTimeZone, updatedById: actor.personId, updatedAt: now } })
      .run();
    if (before !== input.defaultTimeZone)
      recordAudit(tx, now, actor, 'company.settings', 'company', 1, { defaultTimeZone: before }, { defaultTimeZone: input.defaultTimeZone });
  });
}

/** The zone of a person given without one: the company's default, or a clear 400 while none is set. */
export function zoneOrCompanyDefault(db: Db, zone: string | null | undefined): string {
  if (zone) return zone;
  const fallback = companyDefaultTimeZone(db);
  if (!fallback) {
    throw new AppError(400, 'invalid', 'Give a time zone: the company has no default time zone yet (HR sets it on /settings).', [
      { path: 'timeZone', message: 'Give a time zone, or set the company default first.' },
    ]);
  }
  return fallback;
}

/** At start: DEFAULT_TIME_ZONE fills the setting once, when HR has not chosen one yet. */
export function seedDefaultTimeZone(db: Db, clock: Clock, actor: Actor, zone: string | undefined) {
  if (zone && !companyDefaultTimeZone(db)) setCompanySettings(db, clock, actor, { defaultTimeZone: zone });
}
