/*
 * Survey benchmark: matching 10,000 responses x 3 answers, and the results of a round with 10,000
 * responses (overall, per department and team, recall, what people say instead) through the API.
 * Run: npx tsx bench/surveys.ts   — exits non-zero when a budget is exceeded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app';
import { createSession, SESSION_COOKIE } from '../src/auth/auth';
import { defaultSettings } from '../src/config';
import { openDatabase } from '../src/db';
import { fixedClock } from '../src/lib/clock';
import { saveAdvantageVersion } from '../src/surveys/advantages';
import { createAnswerMatcher, normaliseAnswer } from '../src/matching/matching';
import { computeRoundResults } from '../src/surveys/results';
import { openRound } from '../src/surveys/surveys';
import { roundParticipants, surveyResponseWriter } from '../scripts/seed-scale';
import { LABELLED_ANSWERS, RELAYBASE_ADVANTAGES, syntheticRoundAnswers } from '../test/surveys/fixtures/labelled-answers';

const RESPONSES = 10_000;
const BUDGET_MS = 200;

const dir = mkdtempSync(join(tmpdir(), 'crosstrain-bench-surveys-'));
const db = openDatabase(process.env.BENCH_KEEP_DB ?? join(dir, 'bench.db'));
const clock = fixedClock('2026-03-02T12:00:00Z');
const failures: string[] = [];

function measure(label: string, runs: number, work: () => unknown): number {
  // The first run is cold (JIT, caches); a running server is warm, so the budget applies to the median after it.
  const coldStarted = performance.now();
  work();
  const cold = performance.now() - coldStarted;
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  times.sort((left, right) => left - right);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `${label}: median ${median.toFixed(1)} ms (best ${times[0].toFixed(1)}, worst ${times[times.length - 1].toFixed(1)}, cold ${cold.toFixed(1)}) over ${runs} runs`,
  );
  if (median > BUDGET_MS) failures.push(`${label}: ${median.toFixed(1)} ms > ${BUDGET_MS} ms`);
  return median;
}

try {
  // A company of 10,000 in twenty teams (half sales, half marketing) and an HR person.
  const insertTeam = db.$client.prepare('INSERT INTO teams (name, department) VALUES (?, ?)');
  const teamIds: { id: number; department: 'sales' | 'marketing' }[] = [];
  for (let index = 0; index < 20; index++) {
    const department = index % 2 === 0 ? 'sales' : 'marketing';
    teamIds.push({ id: Number(insertTeam.run(`Team ${index + 1}`, department).lastInsertRowid), department });
  }
  const insertPerson = db.$client.prepare(
    "INSERT INTO people (email, name, department, team_id, hire_date, time_zone, role) VALUES (?, ?, ?, ?, '2024-01-01', 'UTC', ?)",
  );
  const hrId = Number(insertPerson.run('hr@bench.example', 'HR', 'other', null, 'hr').lastInsertRowid);
  db.$client.transaction(() => {
    for (let index = 0; index < RESPONSES; index++) {
      const team = teamIds[index % teamIds.length];
      insertPerson.run(`person${index}@bench.example`, `Person ${index}`, team.department, team.id, 'employee');
    }
  })();
  const advantages = RELAYBASE_ADVANTAGES.map((advantage) => ({
    key: String(advantage.id),
    name: advantage.name,
    statement: advantage.statement ?? '',
    synonyms: advantage.synonyms,
  }));
  saveAdvantageVersion(db, clock, { personId: hrId }, advantages);
  const round = openRound(
    db,
    clock,
    { personId: hrId },
    { timeZone: 'UTC' },
    { title: 'Bench round', populationKind: 'everyone', teamIds: [], closesOn: '2026-03-31', anonymous: false },
  );

  // Matching 10,000 responses x 3 answers with a fresh matcher each run.
  const answers = syntheticRoundAnswers(RESPONSES * 3);
  measure(`match ${answers.length} answers (${new Set(answers).size} distinct)`, 5, () => {
    const matcher = createAnswerMatcher(RELAYBASE_ADVANTAGES);
    for (const answer of answers) matcher.match(answer);
  });

  // Store the round: every person answers, as submitResponse would write it.
  const matcher = createAnswerMatcher(RELAYBASE_ADVANTAGES);
  const participants = roundParticipants(db, round.id);
  const writeResponse = surveyResponseWriter(db, round.id, normaliseAnswer);
  const now = clock.now().getTime();
  db.$client.transaction(() => {
    participants.forEach((participant, index) => {
      const texts = [0, 1, 2].map((position) => answers[index * 3 + position] ?? LABELLED_ANSWERS[0].text);
      writeResponse(
        participant,
        now,
        texts.map((text) => ({ text, match: matcher.match(text) })),
      );
    });
  })();
  db.$client.pragma('optimize');

  measure(`results of a round with ${participants.length} responses (domain)`, 7, () => computeRoundResults(db, round.id, clock.now()));

  const app = createApp({ db, clock, mailer: null });
  const { token } = createSession(db, clock, defaultSettings, hrId);
  const headers = { cookie: `${SESSION_COOKIE}=${token}` };
  let status = 0;
  const requestTimes: number[] = [];
  for (let run = 0; run < 8; run++) {
    const started = performance.now();
    const res = await app.request(`/api/v1/surveys/${round.id}/results`, { headers });
    await res.text();
    status = res.status;
    if (run > 0) requestTimes.push(performance.now() - started);
  }
  requestTimes.sort((left, right) => left - right);
  const median = requestTimes[Math.floor(requestTimes.length / 2)];
  console.log(
    `GET /api/v1/surveys/${round.id}/results (${participants.length} responses): HTTP ${status}, median ${median.toFixed(1)} ms (best ${requestTimes[0].toFixed(1)})`,
  );
  if (status !== 200) failures.push(`results request answered ${status}`);
  if (median > BUDGET_MS) failures.push(`results request: ${median.toFixed(1)} ms > ${BUDGET_MS} ms`);
} finally {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
}

if (failures.length) {
  console.error(`Over budget:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`All within ${BUDGET_MS} ms.`);
