// `GET /v1/client/allocation/:alloc_id/exec` of the Nomad contract fake: a WebSocket whose frames
// follow Nomad's exec streaming protocol — the client sends `{"stdin": {"data": base64}}` and
// `{"stdin": {"close": true}}`, the server sends `{"stdout"|"stderr": {"data": base64}}` and finally
// `{"exited": true, "result": {"exit_code": N}}`. The command runs in the allocation's real container.
// https://developer.hashicorp.com/nomad/api-docs/allocations#exec-allocation
import { PassThrough } from "node:stream";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { docker } from "./dataplane.ts";
import type { Store } from "./store.ts";

const wss = new WebSocketServer({ noServer: true });

/** Upgrades an exec request, or answers it with an HTTP error. */
export function handleExec(
  store: Store,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  allocId: string,
  url: URL,
): void {
  const alloc = store.allocs.get(allocId);
  const refuse = (code: number, text: string) => {
    socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
  };
  if (!alloc) return refuse(404, "alloc not found");
  if (!alloc.container || alloc.ClientStatus !== "running") return refuse(400, "task is not running");
  let command: string[];
  try {
    command = JSON.parse(url.searchParams.get("command") ?? "[]") as string[];
  } catch {
    return refuse(400, "command is not a JSON array");
  }
  if (!Array.isArray(command) || command.length === 0) return refuse(400, "command is not set");
  wss.handleUpgrade(req, socket, head, (ws) => void run(ws, alloc.container!, command));
}

async function run(ws: WebSocket, container: string, command: string[]): Promise<void> {
  const send = (frame: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame));
  try {
    const exec = await docker.getContainer(container).exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.on("data", (b: Buffer) => send({ stdout: { data: b.toString("base64") } }));
    stderr.on("data", (b: Buffer) => send({ stderr: { data: b.toString("base64") } }));
    docker.modem.demuxStream(stream, stdout, stderr);
    await new Promise<void>((resolve) => stream.on("end", resolve).on("close", resolve));
    const info = await exec.inspect();
    send({ exited: true, result: { exit_code: info.ExitCode ?? -1 } });
  } catch (err) {
    send({ stderr: { data: Buffer.from((err as Error).message).toString("base64") } });
    send({ exited: true, result: { exit_code: 126 } });
  }
  ws.close();
}
