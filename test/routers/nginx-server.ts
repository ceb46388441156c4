// An nginx of the test's own (Debian package): a master with one worker, a temporary prefix, a
// fixed status server (so the test knows when the master is up) and an http block including the
// directory where the nginx router writes its file.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { accepts, freePort, startServer, tempDir } from "./router-env.ts";

/** A running nginx: the router settings that drive it, where requests enter, and how to stop it. */
export interface NginxServer {
  entry: string;
  settings: { configFile: string; pidFile: string; listen: string; accessLog?: string };
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

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
    `  server { listen 127.0.0.1:${status}; return 204; }`,
    `  include ${dir}/conf.d/*.conf;`,
    "}",
    "",
  ].join("\n");
}

/**
 * Starts nginx; the router's file (settings.configFile) does not exist until the router writes it.
 * With `accessLog`, the router's settings name it (its side and status per request).
 */
export async function startNginx(opts: { accessLog?: string } = {}): Promise<NginxServer> {
  const tmp = await tempDir("stella-nginx-");
  const [status, entry] = [await freePort(), await freePort()];
  await mkdir(join(tmp.dir, "conf.d"));
  const file = join(tmp.dir, "nginx.conf");
  await writeFile(file, config(tmp.dir, status));
  const args = ["-p", tmp.dir, "-c", file, "-g", "daemon off;"];
  const server = await startServer("nginx", args, () => accepts(status));
  return {
    entry: `127.0.0.1:${entry}`,
    settings: {
      configFile: join(tmp.dir, "conf.d", "canary.conf"),
      pidFile: join(tmp.dir, "nginx.pid"),
      listen: `127.0.0.1:${entry}`,
      ...(opts.accessLog ? { accessLog: opts.accessLog } : {}),
    },
    stop: () => server.stop(),
    async cleanup() {
      await server.stop();
      await tmp.remove();
    },
  } satisfies NginxServer;
}
