import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The environment without what vitest adds (BASE_URL='/' would be an invalid crosstrain setting). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'TEST', 'NODE_ENV'].includes(k) || k.startsWith('VITEST')) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs a TypeScript file of the repository in its own Node process (through tsx), with pipes. */
export function spawnTs(script: string, args: string[] = [], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', resolve(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: cleanEnv(env),
    stdio: 'pipe',
  });
}

/** Collects a child's stdout as lines and stderr as text; `waitFor` resolves once a line matches. */
export function watchOutput(child: ChildProcessWithoutNullStreams) {
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters])
        if (w.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return {
    lines,
    stderr: () => stderr,
    waitFor(test: RegExp | ((line: string) => boolean), timeoutMs = 20_000): Promise<string> {
      const match = typeof test === 'function' ? test : (line: string) => test.test(line);
      const already = lines.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`Timed out waiting for output ${test}; stderr:\n${stderr}`)), timeoutMs);
        const onExit = (code: number | null) => rej(new Error(`Process exited (${code}) while waiting for ${test}; stderr:\n${stderr}`));
        child.once('exit', onExit);
        waiters.push({
          test: match,
          resolve: (line) => {
            clearTimeout(timer);
            child.off('exit', onExit);
            res(line);
          },
        });
      });
    },
  };
}

export function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
