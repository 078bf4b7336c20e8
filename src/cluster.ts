/*
 * The worker processes of `npm start` (node:cluster), apart from the app so the benchmark's bare
 * servers can be forked the same way without loading it.
 */
import cluster from 'node:cluster';

/**
 * Forks `count` node:cluster workers that share the port, numbered 1…count in CROSSTRAIN_WORKER
 * (worker 1 runs the background jobs, see startWorker in server.ts), and starts a worker that dies again in its
 * role. `stop` ends them all and resolves once every one has exited (at most 6 s). The benchmark
 * forks its servers with this too, so it measures the processes `npm start` runs.
 */
export function forkWorkers(count: number): { stop(): Promise<void> } {
  const roles = new Map<number, string>();
  const fork = (role: string) => {
    const worker = cluster.fork({ CROSSTRAIN_WORKER: role });
    roles.set(worker.id, role);
  };
  for (let n = 1; n <= count; n++) fork(String(n));
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    const role = roles.get(worker.id) ?? '0';
    roles.delete(worker.id);
    if (stopping) return;
    console.error(`worker ${role} ended (${signal ?? code}); starting it again`);
    fork(role);
  });
  return {
    stop: () => {
      stopping = true;
      return new Promise((resolve) => {
        const done = () => Object.keys(cluster.workers ?? {}).length === 0 && resolve();
        cluster.on('exit', done);
        setTimeout(resolve, 6000).unref();
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
        done();
      });
    },
  };
}
