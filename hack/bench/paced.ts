// Open-loop load: requests started at a fixed rate (not "as fast as the last one returns"), so
// latency is measured at a known write rate, as a control plane sees it.

/**
 * Starts `task(i)` for i in [0, n) at `perSecond`, at most `maxInFlight` at once; returns the
 * per-task latencies (ms) and the rate achieved.
 */
export async function runPaced(
  n: number,
  perSecond: number,
  task: (i: number) => Promise<void>,
  maxInFlight = 256,
): Promise<{ latencies: number[]; achieved: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  let inFlight = 0;
  let freed: (() => void) | undefined;
  const running: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    while (inFlight >= maxInFlight) await new Promise<void>((r) => (freed = r));
    inFlight++;
    const t0 = performance.now();
    running.push(
      task(i).then(() => {
        latencies.push(performance.now() - t0);
        inFlight--;
        freed?.();
      }),
    );
  }
  await Promise.all(running);
  return { latencies, achieved: n / ((performance.now() - started) / 1000) };
}
