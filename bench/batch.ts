/*
 * Batch figures: work a person waits for in one request, timed in this process. Each figure is
 * present when its module is (dynamic imports), so the bench runs at every stage of the product.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from '../src/db';
import { systemClock } from '../src/lib/clock';

/** `passed` is for checks with a verdict rather than a time target. */
export type BatchFigure = { name: string; ms: number | null; targetMs?: number; passed?: boolean; target?: string; note: string };

const time = <T>(f: () => T): { ms: number; value: T } => {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
};

/** 10,000 CSV rows (100 teams, managers inside the file), imported into an empty directory, then again with every title changed. */
export async function importFigures(rows = 10_000): Promise<BatchFigure[]> {
  const { importPeople } = await import('../src/people/import');
  const dir = mkdtempSync(join(tmpdir(), 'crosstrain-bench-import-'));
  try {
    const db = openDatabase(join(dir, 'import.db'));
    const csv = (title: string) => {
      const lines = ['email,name,department,title,team,manager_email,hire_date,time_zone,role'];
      for (let i = 0; i < rows; i++) {
        const team = i % 100;
        const department = team % 2 ? 'marketing' : 'sales';
        const isManager = i < 100;
        lines.push(
          [
            `import${i}@example.com`,
            `Imported Person ${i}`,
            department,
            isManager ? 'Manager' : title,
            `Imported ${department} ${team}`,
            isManager ? '' : `import${team}@example.com`,
            '2024-02-29',
            'Europe/Berlin',
            isManager ? 'manager' : 'employee',
          ].join(','),
        );
      }
      return lines.join('\n');
    };
    const actor = { personId: null };
    const create = time(() => importPeople(db, systemClock, actor, csv('Account Executive')));
    if (create.value.errors.length || create.value.created !== rows)
      throw new Error(`The import benchmark file was refused: ${JSON.stringify(create.value.errors.slice(0, 3))}`);
    const update = time(() => importPeople(db, systemClock, actor, csv('Senior Account Executive')));
    db.$client.close();
    return [
      { name: `CSV import, ${rows.toLocaleString('en')} new people`, ms: create.ms, targetMs: 3000, note: `${create.value.created} created` },
      { name: `CSV import, ${rows.toLocaleString('en')} people updated`, ms: update.ms, targetMs: 3000, note: `${update.value.updated} updated` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The rotation planner over a whole department of the scale company (~5,000 people), from the
 * database as the planner page does it: setup (queries) and planning are timed apart.
 */
export async function plannerFigures(db: Db): Promise<BatchFigure[]> {
  let rotations: typeof import('../src/rotations/planning');
  let planner: typeof import('../src/rotations/planner');
  try {
    rotations = await import('../src/rotations/planning');
    planner = await import('../src/rotations/planner');
  } catch {
    return [{ name: 'Rotation planner, 5,000 people', ms: null, note: 'no rotations module in this build' }];
  }
  const program = db.$client.prepare("SELECT id FROM rotation_programs WHERE direction = 'marketing_to_sales' ORDER BY id LIMIT 1").get() as
    | { id: number }
    | undefined;
  if (!program) return [{ name: 'Rotation planner, 5,000 people', ms: null, note: 'no rotation program in the scale company' }];
  const start = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const request = {
    programId: program.id,
    selection: 'department' as const,
    department: 'marketing' as const,
    personIds: [],
    horizonStart: start,
    weeks: 52,
    strictReciprocity: false,
  };
  const setup = time(() => rotations.planningSetup(db, request));
  const first = time(() => planner.planRotations(setup.value.input));
  const again = time(() => planner.planRotations(setup.value.input));
  const n = setup.value.input.people.length;
  return [
    {
      name: `Rotation planner, ${n.toLocaleString('en')} people × 52 weeks`,
      ms: first.ms,
      targetMs: 2000,
      note: `placed ${first.value.stats.placed}, unplaced ${first.value.stats.unplaced}; warm run ${again.ms.toFixed(0)} ms; loading the company ${setup.ms.toFixed(0)} ms`,
    },
  ];
}

/** A person's next 30 days across 500 series (weekly, biweekly, daily, monthly by date and weekday, in six zones). */
export async function recurrenceFigures(): Promise<BatchFigure[]> {
  let recurrence: typeof import('../src/events/recurrence');
  try {
    recurrence = await import('../src/events/recurrence');
  } catch {
    return [{ name: 'Recurrence expansion, 500 series × 30 days', ms: null, note: 'no events module in this build' }];
  }
  const zones = ['America/New_York', 'America/Los_Angeles', 'Europe/Berlin', 'Europe/London', 'Asia/Singapore', 'Australia/Sydney'];
  const rules = [
    { freq: 'weekly' as const, interval: 1 },
    { freq: 'weekly' as const, interval: 2 },
    { freq: 'weekly' as const, interval: 1, byWeekday: ['MO' as const, 'WE' as const, 'FR' as const] },
    { freq: 'daily' as const, interval: 1, count: 400 },
    { freq: 'monthly' as const, interval: 1 },
    { freq: 'monthly' as const, interval: 1, monthlyBy: 'weekday' as const },
  ];
  const series = Array.from({ length: 500 }, (_, i) => {
    // Every first start is a Monday (some rules repeat on Monday, Wednesday and Friday), up to 30 weeks back.
    const today = new Date();
    const monday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ((today.getUTCDay() + 6) % 7)));
    const first = new Date(monday.getTime() - (i % 30) * 7 * 86_400_000);
    const firstStartLocal = `${first.toISOString().slice(0, 10)}T${String(8 + (i % 9)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`;
    return {
      rrule: recurrence.toRRuleString(rules[i % rules.length], firstStartLocal),
      firstStartLocal,
      timeZone: zones[i % zones.length],
      durationMinutes: 45,
    };
  });
  const from = new Date();
  const to = new Date(from.getTime() + 30 * 86_400_000);
  const expandAll = () => series.reduce((n, s) => n + recurrence.expandOccurrences({ ...s, from, to }).length, 0);
  const first = time(expandAll);
  const again = time(expandAll);
  return [{ name: 'Recurrence expansion, 500 series × next 30 days', ms: first.ms, note: `${first.value} occurrences; warm run ${again.ms.toFixed(0)} ms` }];
}

/**
 * The crash test's long version: `rounds` rounds of SIGKILL in the middle of a write load (creates,
 * CSV imports, bulk attendance, plan commits), each on its own database file, each checked after the
 * restart for integrity, acknowledged writes and all-or-nothing multi-row changes. npm test runs one.
 */
export function crashFigures(rounds: number): BatchFigure[] {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const t0 = performance.now();
  const run = spawnSync('npx', ['vitest', 'run', 'test/hardening/crash.test.ts'], {
    cwd: root,
    env: { ...process.env, CRASH_ROUNDS: String(rounds) },
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const passedRounds = (output.match(/✓ .*round \d+/g) ?? []).length;
  return [
    {
      name: `Crash test, long version: ${rounds} rounds of SIGKILL under create, import, attendance and plan-commit load`,
      ms,
      passed: run.status === 0,
      target: 'no acknowledged write lost, nothing half-written',
      note:
        run.status === 0
          ? `${rounds} of ${rounds} rounds passed`
          : `FAILED (${passedRounds} of ${rounds} rounds passed): ${output
              .split('\n')
              .filter((l) => /Error|expected|FAIL/.test(l))
              .slice(0, 3)
              .join(' / ')}`,
    },
  ];
}
