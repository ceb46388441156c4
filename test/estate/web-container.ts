// Web containers of the estate's test images for the estate suites: started on the host network
// (as Stella's drivers start units), waited for on /healthz, removed by their id afterwards.
import http from "node:http";
import { docker, REGISTRY, removeContainerIds } from "./estate-env.ts";

/** A running container of one of the estate's web images. */
export interface WebContainer {
  address: string;
  remove(): Promise<void>;
}

/** One GET on a fresh connection: status and body (status 0 when nothing answered). */
export function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 10_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", () => resolve({ status: 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve({ status: 0, body: "" }));
  });
}

/** Whether something on `address` (host:port) answers HTTP. */
export async function answers(address: string): Promise<boolean> {
  return (await get(`http://${address}/healthz`)).status !== 0;
}

/**
 * Starts `image` (a tag in the estate's registry) listening on 127.0.0.1:port, with `env`; `command`
 * replaces the image's (as a release component's command does). Resolves once /healthz answers 200.
 */
export async function startWeb(
  image: string,
  port: number,
  env: Record<string, string> = {},
  command: string[] = [],
): Promise<WebContainer> {
  const ref = `${REGISTRY}/${image}`;
  await docker("pull", "-q", ref);
  const envArgs = Object.entries({ PORT: String(port), ...env }).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  const id = await docker(
    "run",
    "-d",
    "--network",
    "host",
    "--label",
    "stella.test=estate",
    ...envArgs,
    ref,
    ...command,
  );
  const remove = () => removeContainerIds([id]);
  const address = `127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  while ((await get(`http://${address}/healthz`)).status !== 200) {
    if (Date.now() > until) {
      const logs = await docker("logs", id).catch(() => "");
      await remove();
      throw new Error(`${ref} on ${address} did not answer /healthz in 30 s: ${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { address, remove };
}

/** Sends `count` GETs to `url`, `parallel` at a time, and counts the answers by status. */
export async function tallyStatuses(url: string, count: number, parallel = 8): Promise<Map<number, number>> {
  const tally = new Map<number, number>();
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      const { status } = await get(url);
      tally.set(status, (tally.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return tally;
}
