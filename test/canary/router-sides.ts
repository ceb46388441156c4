// The nginx routers' counts as the estate's mtail exports them (hack/estate/mtail.sh running
// controllers/routers/nginx/router-sides.mtail over $ESTATE_DIR/nginx/access/*.log) and its
// Prometheus scrapes them. When mtail is not running, suites are skipped locally and fail under CI=true.
import { join } from "node:path";
import { ESTATE_DIR } from "../estate/estate-env.ts";

/** Where nginx routers write the access logs mtail reads. */
export const NGINX_ACCESS_DIR = process.env.STELLA_TEST_NGINX_ACCESS_DIR ?? join(ESTATE_DIR, "nginx", "access");
const MTAIL = "http://127.0.0.1:3903";

/** Why suites reading the nginx routers' counts must be skipped (never under CI=true). */
export async function mtailSkipReason(): Promise<string | undefined> {
  if (process.env.CI === "true") return undefined;
  try {
    const res = await fetch(`${MTAIL}/metrics`, { signal: AbortSignal.timeout(3000) });
    return res.status === 200 ? undefined : `mtail at ${MTAIL} answered ${res.status}; run hack/estate.sh up`;
  } catch (err) {
    return `mtail at ${MTAIL} is not running (${(err as Error).message}); run hack/estate.sh up`;
  }
}

/**
 * The canary side's error rate through the nginx router of `prefix` (`stella_<namespace>_<environment>_<component>`)
 * over `window`: 0 while the canary answered but never with a 5xx (mtail has no 5xx series until
 * the first one), and no data while the canary answered nothing.
 */
export function nginxErrorRate(prefix: string, window: string): string {
  const sel = (extra: string) => `stella_router_responses_total{router="${prefix}",side="canary"${extra}}`;
  return `(sum(rate(${sel(',code=~"5.."')}[${window}])) or vector(0)) / sum(rate(${sel("")}[${window}]))`;
}
