// One TCP connect health probe: healthy when a connection opens within the timeout; the
// connection is closed at once.
import { connect } from "node:net";
import type { ProbeResult } from "../../sdk/plugins/driver.ts";
import { errorSummary } from "./error-summary.ts";
import { hostPart } from "./http.ts";

/** Opens a TCP connection to host:port once within `timeoutMs`; never throws. */
export function probeTcp(
  target: { host: string; port: number },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const where = `TCP ${hostPart(target.host)}:${target.port}`;
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host: target.host, port: target.port });
    const done = (healthy: boolean, what: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve({ healthy, message: `${where}: ${what}` });
    };
    const timer = setTimeout(() => done(false, `no connection within ${timeoutMs}ms`), timeoutMs);
    const onAbort = () => done(false, "aborted");
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => done(true, "connected"));
    socket.once("error", (err) => done(false, errorSummary(err)));
  });
}
