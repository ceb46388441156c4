// A haproxy of the test's own (Debian package): a temporary configuration with a runtime API on a
// free loopback port, one backend with a stable and a canary server, and the map files for the
// x-canary header and canary_user cookie routes.
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
    `  server stable ${servers.stable} weight 100`,
    `  server canary ${servers.canary} weight 0`,
    "",
  ].join("\n");
}

/** Starts haproxy in front of `servers` (host:port each; the router may repoint them). */
export async function startHaproxy(backend: string, servers: { stable: string; canary: string }) {
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
