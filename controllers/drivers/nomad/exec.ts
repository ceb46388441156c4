// An exec health probe through Nomad's alloc exec stream (a WebSocket): the command runs in the
// allocation's task; exit code 0 is healthy. Frames as Nomad documents them: `{"stdout"|"stderr":
// {"data": base64}}`, then `{"exited": true, "result": {"exit_code": N}}`.
// https://developer.hashicorp.com/nomad/api-docs/allocations#exec-allocation
import WebSocket from "ws";
import type { ObservedUnit, ProbeResult } from "../../../sdk/plugins/driver.ts";
import type { NomadClient } from "./client.ts";

interface Frame {
  stdout?: { data?: string };
  stderr?: { data?: string };
  exited?: boolean;
  result?: { exit_code?: number };
}

export function execProbe(
  client: NomadClient,
  unit: ObservedUnit,
  command: string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const { url, headers } = client.socket(`/client/allocation/${unit.id}/exec`, {
    task: unit.component,
    tty: "false",
    command: JSON.stringify(command),
  });
  const what = `exec ${JSON.stringify(command)} in ${unit.name}`;
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, ca: client.conn.tls?.ca });
    let output = "";
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ healthy: false, message: `${what}: timed out after ${timeoutMs}ms` }),
      timeoutMs,
    );
    signal?.addEventListener("abort", () => finish({ healthy: false, message: `${what}: aborted` }));
    ws.on("open", () => ws.send(JSON.stringify({ stdin: { close: true } })));
    ws.on("message", (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as Frame;
      for (const part of [frame.stdout?.data, frame.stderr?.data])
        if (part) output += Buffer.from(part, "base64").toString("utf8");
      if (frame.exited) {
        const code = frame.result?.exit_code ?? -1;
        const tail = output.trim().slice(-200);
        finish({ healthy: code === 0, message: `${what}: exit code ${code}${tail ? `: ${tail}` : ""}` });
      }
    });
    ws.on("unexpected-response", (_req, res) =>
      finish({ healthy: false, message: `${what}: Nomad answered ${res.statusCode}` }),
    );
    ws.on("error", (err) => finish({ healthy: false, message: `${what}: ${err.message}` }));
  });
}
