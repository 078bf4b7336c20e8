import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatLocal, timeZoneOffsetMinutes, utcToZonedParts, zonedLocalToUtc } from '../../src/lib/time';

// Our zone arithmetic is hand-written on top of Intl; temporal-polyfill implements the same IANA rules
// independently, so it serves as the oracle: every zone, every offset change from 2000 to 2040.
const FIRST_YEAR = 2000;
const LAST_YEAR = 2040;
const MINUTE_MS = 60_000;

const transitionCache = new Map<string, Temporal.ZonedDateTime[]>();

function transitionsOf(zone: string): Temporal.ZonedDateTime[] {
  const known = transitionCache.get(zone);
  if (known) return known;
  const found: Temporal.ZonedDateTime[] = [];
  let at: Temporal.ZonedDateTime | null = Temporal.ZonedDateTime.from({ timeZone: zone, year: FIRST_YEAR, month: 1, day: 1 });
  while (at) {
    at = at.getTimeZoneTransition('next');
    if (!at || at.year > LAST_YEAR) break;
    found.push(at);
  }
  transitionCache.set(zone, found);
  return found;
}

const localOf = (zdt: Temporal.ZonedDateTime) => zdt.toPlainDateTime().toString({ smallestUnit: 'minute' });
const offsetMinutesOf = (zdt: Temporal.ZonedDateTime) => zdt.offsetNanoseconds / 60e9;

describe('lib/time against temporal-polyfill', () => {
  const zones = Intl.supportedValuesOf('timeZone');

  it('knows every IANA zone the runtime knows', () => {
    expect(zones.length).toBeGreaterThan(300);
  });

  it('reads the offset and wall clock on both sides of every offset change, 2000–2040', () => {
    let checked = 0;
    const mismatches: string[] = [];
    for (const zone of zones) {
      for (const change of transitionsOf(zone)) {
        const instant = change.epochMilliseconds;
        for (const probe of [instant - MINUTE_MS, instant, instant + MINUTE_MS]) {
          const expected = Temporal.Instant.fromEpochMilliseconds(probe).toZonedDateTimeISO(zone);
          const at = new Date(probe);
          if (timeZoneOffsetMinutes(at, zone) !== offsetMinutesOf(expected)) {
            mismatches.push(`${zone} ${at.toISOString()}: offset ${timeZoneOffsetMinutes(at, zone)} ≠ ${offsetMinutesOf(expected)}`);
          }
          if (formatLocal(at, zone) !== localOf(expected)) mismatches.push(`${zone} ${at.toISOString()}: ${formatLocal(at, zone)} ≠ ${localOf(expected)}`);
          const parts = utcToZonedParts(at, zone);
          if (parts.weekday !== expected.dayOfWeek % 7) mismatches.push(`${zone} ${at.toISOString()}: weekday ${parts.weekday}`);
          checked++;
        }
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
  });

  it('turns wall-clock times around every offset change into the instant Temporal picks (gaps forward, overlaps earlier)', () => {
    const mismatches: string[] = [];
    for (const zone of zones) {
      for (const change of transitionsOf(zone)) {
        const before = change.subtract({ nanoseconds: 1 });
        const jump = offsetMinutesOf(change) - offsetMinutesOf(before);
        // Wall-clock minutes just before, inside and just after the gap or overlap the change makes.
        const base = before.toPlainDateTime().round({ smallestUnit: 'minute', roundingMode: 'floor' });
        const span = Math.max(Math.abs(jump), 1);
        for (const minutes of [-1, 0, 1, Math.floor(span / 2), span - 1, span, span + 1]) {
          const local = base.add({ minutes });
          const expected = local.toZonedDateTime(zone, { disambiguation: 'compatible' });
          const actual = zonedLocalToUtc(local.toString({ smallestUnit: 'minute' }), zone);
          if (actual.getTime() !== expected.epochMilliseconds) {
            mismatches.push(`${zone} ${local}: ${actual.toISOString()} ≠ ${expected.toInstant()}`);
          }
        }
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
  });
});
