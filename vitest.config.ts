import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'hono/jsx' },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A browser test waits for what htmx swaps in; with the whole suite sharing two cores a swap can take over
    // expect.poll's default second, which failed a rotations test once. A failing poll still fails, later.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // Browser tests mostly wait on Chromium, so more workers than cores keep both cores busy.
    maxWorkers: 3,
  },
});
