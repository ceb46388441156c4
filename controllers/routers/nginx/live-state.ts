// Reading back what nginx's workers run: the generated server answers STATE_PATH with the state its
// configuration was rendered from. Each read opens a new connection, so a worker of the previous
// configuration (still finishing old keep-alive connections after a reload) cannot answer it.
import http from "node:http";
import { RouterError } from "../../../sdk/plugins/router.ts";
import { type NginxRouteState, STATE_PATH } from "./render.ts";

const READ_TIMEOUT_MS = 5000;

/** The state nginx serves on `listen` now; RouterUnreachable when nothing answers. */
export function readLiveState(listen: string, signal?: AbortSignal): Promise<NginxRouteState> {
  const [host, port] = [listen.slice(0, listen.lastIndexOf(":")), Number(listen.slice(listen.lastIndexOf(":") + 1))];
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: STATE_PATH, agent: false, signal, timeout: READ_TIMEOUT_MS }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        try {
          if (res.statusCode !== 200) throw new Error(`answered ${res.statusCode}`);
          resolve(JSON.parse(body) as NginxRouteState);
        } catch (err) {
          reject(
            new RouterError("RouterRefused", `nginx on ${listen} serves no router state: ${(err as Error).message}`),
          );
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer in ${READ_TIMEOUT_MS} ms`)));
    req.on("error", (err) =>
      reject(
        signal?.aborted
          ? signal.reason
          : new RouterError("RouterUnreachable", `nginx on ${listen}: ${err.message}`, { cause: err }),
      ),
    );
  });
}
