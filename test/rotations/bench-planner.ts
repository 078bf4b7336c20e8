// Times the planner on a 5,000-person company (run: npx tsx test/rotations/bench-planner.ts).
import { performance } from 'node:perf_hooks';
import { planRotations, validatePlan } from '../../src/rotations/planner';
import { buildScaleCompany } from './fixtures/scale-company';

const scenarios = [
  { guests: 5000, hostTeams: 40, weeks: 52, direction: 'marketing_to_sales' as const, capacity: 3 },
  { guests: 5000, hostTeams: 40, weeks: 52, direction: 'marketing_to_sales' as const, capacity: 12 },
  { guests: 5000, hostTeams: 40, weeks: 52, direction: 'both' as const, capacity: 12 },
];
for (const scenario of scenarios) {
  const input = buildScaleCompany(scenario);
  const cold0 = performance.now();
  planRotations(input);
  const coldMs = performance.now() - cold0;
  const t0 = performance.now();
  const plan = planRotations(input);
  const ms = performance.now() - t0;
  const t1 = performance.now();
  const checks = validatePlan(input, plan.rotations);
  const validateMs = performance.now() - t1;
  const broken = checks.filter((c) => c.violations.length > 0).length;
  console.log(
    `${scenario.direction} cap ${scenario.capacity}: plan ${coldMs.toFixed(0)} ms cold, ${ms.toFixed(0)} ms warm, placed ${plan.stats.placed}, unplaced ${plan.stats.unplaced} ${JSON.stringify(plan.stats.unplacedByRule)}; validate ${validateMs.toFixed(0)} ms, broken ${broken}`,
  );
}
