// The estate's Prometheus (hack/estate.sh up starts it on 127.0.0.1:9090, scraping itself every
// second). When it is not running, suites are skipped locally and fail under CI=true.

/** Base URL of the estate's Prometheus. */
export const PROMETHEUS_URL = process.env.STELLA_TEST_PROMETHEUS ?? "http://127.0.0.1:9090";

/** Why Prometheus suites must be skipped (undefined: run them). Under CI=true this is never set. */
export async function prometheusSkipReason(): Promise<string | undefined> {
  if (process.env.CI === "true") return undefined; // run, and fail loudly
  try {
    const res = await fetch(`${PROMETHEUS_URL}/-/ready`, { signal: AbortSignal.timeout(3000) });
    return res.status === 200
      ? undefined
      : `Prometheus at ${PROMETHEUS_URL} answered ${res.status}; run hack/estate.sh up`;
  } catch (err) {
    return `Prometheus at ${PROMETHEUS_URL} is not running (${(err as Error).message}); run hack/estate.sh up`;
  }
}

/** Waits (up to 30 s) until `query` has a sample: Prometheus scrapes itself a second after start. */
export async function waitForSample(query: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent(query)}`, {
      signal: AbortSignal.timeout(3000),
    }).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as { data?: { result?: unknown[] } } | undefined;
    if ((body?.data?.result?.length ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Prometheus at ${PROMETHEUS_URL} has no sample for ${query} after 30s`);
}
