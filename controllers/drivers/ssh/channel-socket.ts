// SSH channels where node:http expects a net.Socket: the engine's HTTP requests and HTTP health
// probes run over channels of the one connection to the host.
import type { Duplex } from "node:stream";

/**
 * A channel to `host` (for messages) with the net.Socket methods node:http calls on a connection: an
 * idle timeout (reset by any traffic; when it passes the channel is destroyed with an ETIMEDOUT error
 * that says so) and no-op Nagle and keepalive knobs.
 */
export function asSocket(channel: Duplex, host: string): Duplex {
  let timer: NodeJS.Timeout | undefined;
  let idleMs = 0;
  const arm = () => {
    clearTimeout(timer);
    if (idleMs > 0) timer = setTimeout(() => silent(channel, host, idleMs), idleMs);
  };
  channel.on("data", arm);
  channel.once("close", () => clearTimeout(timer));
  return Object.assign(channel, {
    setTimeout(ms: number, onTimeout?: () => void) {
      idleMs = ms;
      if (onTimeout) channel.once("timeout", onTimeout);
      arm();
      return channel;
    },
    setNoDelay: () => channel,
    setKeepAlive: () => channel,
    ref: () => channel,
    unref: () => channel,
  });
}

/**
 * Ends a channel that stayed silent too long with an ETIMEDOUT error saying so (a connection error
 * to callers). Emitted before closing: an ssh2 channel does not pass destroy()'s error on.
 */
function silent(channel: Duplex, host: string, ms: number): void {
  channel.emit("error", Object.assign(new Error(`no answer from ${host} within ${ms}ms`), { code: "ETIMEDOUT" }));
  channel.destroy();
}
