/**
 * The IANA time zones people pick from: the names this runtime's time zone data knows, plus UTC
 * (which Intl lists only as an alias). The list the zone fields offer and the one input is checked
 * against are the same.
 */
export const TIME_ZONES: readonly string[] = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();

const byLowerCase = new Map(TIME_ZONES.map((zone) => [zone.toLowerCase(), zone]));
const listed = new Set(TIME_ZONES);

/**
 * The zone a person meant: a listed name in any letter case gives the listed spelling; another
 * IANA name for a listed zone (Asia/Kolkata, Europe/Kyiv, US/Eastern) is kept as written. Offsets
 * such as +05:00, which Intl also accepts, and unknown names give null.
 */
export function canonicalZoneName(input: string): string | null {
  const zone = input.trim();
  if (zone.length === 0 || zone.length > 64) return null;
  const exact = byLowerCase.get(zone.toLowerCase());
  if (exact) return exact;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    return listed.has(resolved) && /^[A-Za-z]/.test(zone) ? zone : null;
  } catch {
    return null;
  }
}
