// Spawning writer-process.ts children and talking to them, for the invariant tests.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildConfig, FromChild, ToChild } from "./writer-process.ts";

const SCRIPT = fileURLToPath(new URL("./writer-process.ts", import.meta.url));

/** A running child over IPC. */
export interface StorageChild {
  proc: ChildProcess;
  /** Resolves with the first message (already received or future) that `pred` accepts. */
  next<T extends FromChild>(pred: (m: FromChild) => m is T, timeoutMs?: number): Promise<T>;
  send(msg: ToChild): void;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts `node --import tsx writer-process.ts <mode> <config>`. stdout is piped; stderr is inherited. */
export function spawnChild(mode: "writer" | "watcher" | "acker", config: ChildConfig): StorageChild {
  const proc = spawn(process.execPath, ["--import", "tsx", SCRIPT, mode, JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const inbox: FromChild[] = [];
  const waiters = new Set<() => void>();
  proc.on("message", (m) => {
    inbox.push(m as FromChild);
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const next = <T extends FromChild>(pred: (m: FromChild) => m is T, timeoutMs = 300_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const i = inbox.findIndex(pred);
        if (i < 0) return;
        const [m] = inbox.splice(i, 1);
        cleanup();
        resolve(m as T);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`child ${mode} sent no expected message within ${timeoutMs} ms`));
      }, timeoutMs);
      // 'close' comes after the IPC channel is drained; look once more before giving up.
      const died = () => {
        check();
        if (!waiters.has(check)) return;
        cleanup();
        reject(new Error(`child ${mode} exited (code ${proc.exitCode}) before sending the expected message`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        proc.off("close", died);
      };
      waiters.add(check);
      proc.once("close", died);
      check();
    });
  return { proc, next, send: (msg) => proc.send(msg), exited };
}

/** Reads "ack <rv> <name>" lines from an acker's stdout as they arrive. */
export function readAcks(
  proc: ChildProcess,
  onAck: (rv: number, name: string) => void,
  onLine?: (line: string) => void,
): void {
  let buffer = "";
  proc.stdout!.setEncoding("utf8");
  proc.stdout!.on("data", (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) {
      const m = /^ack (\d+) (\S+)$/.exec(line);
      if (m) onAck(Number(m[1]), m[2]);
      else onLine?.(line);
    }
  });
}
