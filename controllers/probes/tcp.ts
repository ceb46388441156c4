// One TCP connect health probe: healthy when a connection opens within the timeout; the
// connection is closed at once.
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import type { ProbeResult } from "../../sdk/plugins/driver.ts";
import { errorSummary } from "./error-summary.ts";
import { hostPart } from "./http.ts";

/** Opens a TCP connection to host:port once within `timeoutMs`; never throws. */
export function probeTcp(
  target: { host: string; port: number; connect?: () => Promise<Duplex> },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const where = `TCP ${hostPart(target.host)}:${target.port}`;
  return new Promise((resolve) => {
    let settled = false;
    let socket: Duplex | undefined;
    const done = (healthy: boolean, what: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket?.destroy();
      resolve({ healthy, message: `${where}: ${what}` });
    };
    const timer = setTimeout(() => done(false, `no connection within ${timeoutMs}ms`), timeoutMs);
    const onAbort = () => done(false, "aborted");
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    if (target.connect) {
      target.connect().then(
        (stream) => {
          socket = stream;
          if (settled) stream.destroy();
          else done(true, "connected");
        },
        (err: Error) => done(false, errorSummary(err)),
      );
      return;
    }
    const direct = connect({ host: target.host, port: target.port });
    socket = direct;
    direct.once("connect", () => done(true, "connected"));
    direct.once("error", (err) => done(false, errorSummary(err)));
  });
}
