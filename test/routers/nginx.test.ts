// The nginx router against a real nginx (Debian package) of this test's own: a master with one
// worker, a temporary prefix, and an http block including the file the router generates.
import { writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { nginxRouterPlugin } from "../../controllers/routers/nginx/index.ts";
import { routerConformance } from "../../sdk/testing/router-conformance.ts";
import { accepts, freePort, routerSkipReason, startServer, tempDir } from "./router-env.ts";

function config(dir: string, status: number): string {
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${dir}/${t};`);
  return [
    "worker_processes 1;",
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log;`,
    "events { worker_connections 256; }",
    "http {",
    "  access_log off;",
    ...temp,
    // A fixed server so the test knows when the master is up; the router's file adds its own.
    `  server { listen 127.0.0.1:${status}; return 204; }`,
    `  include ${dir}/conf.d/*.conf;`,
    "}",
    "",
  ].join("\n");
}

routerConformance({
  name: "nginx",
  skip: await routerSkipReason("nginx"),
  async setup() {
    const tmp = await tempDir("stella-nginx-");
    const [status, entry] = [await freePort(), await freePort()];
    await mkdir(join(tmp.dir, "conf.d"));
    const file = join(tmp.dir, "nginx.conf");
    await writeFile(file, config(tmp.dir, status));
    const args = ["-p", tmp.dir, "-c", file, "-g", "daemon off;"];
    const server = await startServer("nginx", args, () => accepts(status));
    const router = nginxRouterPlugin.connect({
      configFile: join(tmp.dir, "conf.d", "canary.conf"),
      pidFile: join(tmp.dir, "nginx.pid"),
      listen: `127.0.0.1:${entry}`,
    });
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
