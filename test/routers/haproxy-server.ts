// A haproxy of the test's own (Debian package): a temporary configuration with a runtime API on a
// free loopback port, one backend with SLOTS server slots per side (`stable`, `stable-2`, ...,
// `canary`, `canary-2`, ...; all but the first of each side start in maintenance, the router fills
// them), and the map files for the x-canary header and canary_user cookie routes.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { mapFileName } from "../../controllers/routers/haproxy/index.ts";
import { accepts, freePort, startServer, tempDir } from "./router-env.ts";

/** A running haproxy: where requests enter, the runtime API, and how to stop it. */
export interface HaproxyServer {
  entry: string;
  runtimeApi: string;
  backend: string;
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Server slots per side in the test's haproxy (the router conformance suite uses up to 3). */
export const SLOTS = 4;

/** The server lines of one side: its first slot at `address` with `weight`, the rest disabled. */
export function slotLines(side: string, address: string, weight: number, slots = SLOTS): string[] {
  return Array.from({ length: slots }, (_, i) =>
    i === 0 ? `  server ${side} ${address} weight ${weight}` : `  server ${side}-${i + 1} ${address} weight 0 disabled`,
  );
}

function config(dir: string, api: number, entry: number, backend: string, servers: { stable: string; canary: string }) {
  const header = join(dir, mapFileName(backend, { name: "x-canary" }));
  const cookie = join(dir, mapFileName(backend, { name: "canary_user", cookie: true }));
  return [
    "global",
    `  stats socket 127.0.0.1:${api} level admin`,
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 10s",
    "  timeout server 10s",
    "frontend web",
    `  bind 127.0.0.1:${entry}`,
    `  default_backend ${backend}`,
    `backend ${backend}`,
    "  balance roundrobin",
    `  use-server canary if { req.hdr(x-canary),map(${header}) -m found }`,
    `  use-server canary if { req.cook(canary_user),map(${cookie}) -m found }`,
    ...slotLines("stable", servers.stable, 100),
    ...slotLines("canary", servers.canary, 0),
    "",
  ].join("\n");
}

/** Starts haproxy in front of `servers` (host:port, or the first of a list; the router may repoint them). */
export async function startHaproxy(
  backend: string,
  start: { stable: string | readonly string[]; canary: string | readonly string[] },
) {
  const first = (a: string | readonly string[]) => (typeof a === "string" ? a : a[0]);
  const servers = { stable: first(start.stable), canary: first(start.canary) };
  const tmp = await tempDir("stella-haproxy-");
  const [api, entry] = [await freePort(), await freePort()];
  for (const match of [{ name: "x-canary" }, { name: "canary_user", cookie: true }])
    await writeFile(join(tmp.dir, mapFileName(backend, match)), "");
  const file = join(tmp.dir, "haproxy.cfg");
  await writeFile(file, config(tmp.dir, api, entry, backend, servers));
  const server = await startServer("haproxy", ["-db", "-f", file], () => accepts(api));
  return {
    entry: `127.0.0.1:${entry}`,
    runtimeApi: `127.0.0.1:${api}`,
    backend,
    stop: () => server.stop(),
    async cleanup() {
      await server.stop();
      await tmp.remove();
    },
  } satisfies HaproxyServer;
}
