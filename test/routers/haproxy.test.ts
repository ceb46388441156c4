// The HAProxy router against a real haproxy (Debian package) of this test's own: a temporary
// configuration with a runtime API on a free loopback port, one backend with a stable and a canary
// server, and the map files the router's header and cookie routes use.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { haproxyRouterPlugin, mapFileName } from "../../controllers/routers/haproxy/index.ts";
import { routerConformance } from "../../sdk/testing/router-conformance.ts";
import { accepts, freePort, routerSkipReason, startServer, tempDir } from "./router-env.ts";

const BACKEND = "conformance_web";

function config(dir: string, api: number, entry: number, backends: { stable: string; canary: string }): string {
  const header = join(dir, mapFileName(BACKEND, { name: "x-canary" }));
  const cookie = join(dir, mapFileName(BACKEND, { name: "canary_user", cookie: true }));
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
    `  default_backend ${BACKEND}`,
    `backend ${BACKEND}`,
    "  balance roundrobin",
    `  use-server canary if { req.hdr(x-canary),map(${header}) -m found }`,
    `  use-server canary if { req.cook(canary_user),map(${cookie}) -m found }`,
    `  server stable ${backends.stable} weight 100`,
    `  server canary ${backends.canary} weight 0`,
    "",
  ].join("\n");
}

routerConformance({
  name: "haproxy",
  skip: await routerSkipReason("haproxy"),
  async setup(backends) {
    const tmp = await tempDir("stella-haproxy-");
    const [api, entry] = [await freePort(), await freePort()];
    for (const match of [{ name: "x-canary" }, { name: "canary_user", cookie: true }])
      await writeFile(join(tmp.dir, mapFileName(BACKEND, match)), "");
    const file = join(tmp.dir, "haproxy.cfg");
    await writeFile(file, config(tmp.dir, api, entry, backends));
    const server = await startServer("haproxy", ["-db", "-f", file], () => accepts(api));
    const router = haproxyRouterPlugin.connect({ runtimeApi: `127.0.0.1:${api}`, backend: BACKEND });
    return {
      router,
      entry: `127.0.0.1:${entry}`,
      stop: () => server.stop(),
      async cleanup() {
        await router.close();
        await server.stop();
        await tmp.remove();
      },
    };
  },
});
