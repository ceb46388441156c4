// HAProxy's runtime API (the admin `stats socket`): one command per connection, the answer is
// whatever HAProxy writes before it closes. A socket that cannot be reached is RouterUnreachable;
// an answer HAProxy gives as an error message is RouterRefused, with HAProxy's own words.
import net from "node:net";
import { RouterError } from "../../../sdk/plugins/router.ts";

/** How long one command may take before the runtime API counts as unreachable. */
const COMMAND_TIMEOUT_MS = 5000;

/** Where the runtime API listens: `host:port`, or the path of a Unix socket. */
export type RuntimeAddress = { host: string; port: number } | { path: string };

/** Parses `runtimeApi` from the router settings; a value with a colon and a port is TCP. */
export function parseRuntimeAddress(text: string): RuntimeAddress {
  const tcp = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text);
  if (tcp && !text.startsWith("/")) return { host: tcp[1], port: Number(tcp[2]) };
  if (text.startsWith("/")) return { path: text };
  throw new RouterError(
    "InvalidRouterSettings",
    `runtimeApi ${JSON.stringify(text)} is neither host:port nor a socket path`,
  );
}

function describe(address: RuntimeAddress): string {
  return "path" in address ? address.path : `${address.host}:${address.port}`;
}

/** Sends one command and resolves with HAProxy's answer (trailing blank lines removed). */
export function runtimeCommand(address: RuntimeAddress, command: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = "path" in address ? net.connect(address.path) : net.connect(address.port, address.host);
    const chunks: Buffer[] = [];
    const fail = (err: Error) => {
      socket.destroy();
      reject(
        signal?.aborted
          ? signal.reason
          : new RouterError("RouterUnreachable", `HAProxy runtime API ${describe(address)}: ${err.message}`, {
              cause: err,
            }),
      );
    };
    const onAbort = () => fail(new Error("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.setTimeout(COMMAND_TIMEOUT_MS, () => fail(new Error(`no answer to ${command} in ${COMMAND_TIMEOUT_MS} ms`)));
    socket.on("error", fail);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => {
      signal?.removeEventListener("abort", onAbort);
      resolve(Buffer.concat(chunks).toString("utf8").replace(/\n+$/, ""));
    });
    socket.write(`${command}\n`);
  });
}
