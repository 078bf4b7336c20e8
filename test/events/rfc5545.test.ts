/**
 * Every RFC 5545 §3.8.5.3 example at daily frequency or coarser, created through
 * POST /api/v1/events by a server process running under TZ=UTC and under TZ=America/New_York,
 * expands to exactly the instants python-dateutil's rrule gives (Debian's python3-dateutil).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RFC_EXAMPLES } from './rfc5545/examples';
import { windowEnd } from './rfc5545/window';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

function dateutilInstants(): Record<string, string[]> {
  const input = RFC_EXAMPLES.map((e) => ({ name: e.name, start: e.start, rrule: e.rrule, timeZone: e.timeZone ?? 'America/New_York', until: windowEnd(e) }));
  const run = spawnSync('python3', [join(here, 'rfc5545', 'expand_with_dateutil.py')], { input: JSON.stringify(input), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 with dateutil failed (install python3-dateutil): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function apiInstants(tz: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'rfc5545', 'api-child.ts')], {
    cwd: root,
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`API child under TZ=${tz} failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('RFC 5545 recurrence examples through the API match python-dateutil', () => {
  const expected = dateutilInstants();

  it('has a reference answer for every example', () => {
    for (const example of RFC_EXAMPLES) expect(expected[example.name]?.length, example.name).toBeGreaterThan(0);
  });

  for (const tz of ['UTC', 'America/New_York']) {
    it(`with the server process under TZ=${tz}`, () => {
      const got = apiInstants(tz);
      expect(got.processOffsetJanuary).toEqual([tz === 'UTC' ? '0' : '300']);
      for (const example of RFC_EXAMPLES) expect(got[example.name], `${example.name}: ${example.rrule}`).toEqual(expected[example.name]);
    });
  }
});
