/**
 * A background job of the kind most of ours are: `work` now, at start, and again every `intervalMs`. The timer never
 * keeps the process alive; a failed turn is logged (`${name} failed:`) and the next one runs as planned. Answers how
 * to stop it.
 */
export function everyInterval(name: string, intervalMs: number, work: () => void): () => void {
  const run = () => {
    try {
      work();
    } catch (err) {
      console.error(`${name} failed:`, err);
    }
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
