// Runs the real `bin/stella.js` as a child process, the way a user runs it, against a test
// apiserver's kubeconfig. HOME is a temporary directory so ~/.kube/config never leaks in.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The stella executable. */
export const STELLA_BIN = fileURLToPath(new URL("../../bin/stella.js", import.meta.url));

/** The repository root (the working directory of every run). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

const HOME = mkdtempSync(join(tmpdir(), "stella-cli-home-"));

/** What a run printed and how it exited. */
export interface StellaResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of a run. */
export interface RunOptions {
  /** Sets KUBECONFIG (omit to test without one). */
  kubeconfig?: string;
  /** Standard input. */
  input?: string;
  env?: Record<string, string>;
}

const environment = (o: RunOptions) => {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME, ...o.env };
  if (o.kubeconfig) env.KUBECONFIG = o.kubeconfig;
  return env;
};

/** Runs `stella args...` to completion; never throws on a non-zero exit. */
export function stella(args: string[], o: RunOptions = {}): Promise<StellaResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [STELLA_BIN, ...args],
      { cwd: REPO_ROOT, env: environment(o), timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === "number"
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin!.end(o.input ?? "");
  });
}

/** A long-running stella (e.g. `get -w`) whose output lines are collected as they come. */
export interface StellaProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code. */
  exited: Promise<number>;
  /**
   * Resolves with the first line (of stdout, or stderr) matching `pred`; rejects after `ms` or if the process exits
   * first.
   */
  waitFor(pred: (line: string) => boolean, stream?: "stdout" | "stderr", ms?: number): Promise<string>;
  stop(): Promise<number>;
}

/** Starts `stella args...` without waiting for it to end. */
export function startStella(args: string[], o: RunOptions = {}): StellaProcess {
  const child = spawn(process.execPath, [STELLA_BIN, ...args], { cwd: REPO_ROOT, env: environment(o) });
  const out = { stdout: [] as string[], stderr: [] as string[] };
  for (const name of ["stdout", "stderr"] as const) {
    let partial = "";
    child[name]!.on("data", (d: Buffer) => {
      partial += d.toString();
      const parts = partial.split("\n");
      partial = parts.pop()!;
      out[name].push(...parts);
    });
  }
  let exitCode: number | undefined;
  const exited = new Promise<number>((resolve) =>
    child.on("close", (code, signal) => resolve((exitCode = code ?? (signal ? 128 : 1)))),
  );
  return {
    child,
    ...out,
    exited,
    async waitFor(pred, stream = "stdout", ms = 60_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = out[stream].find(pred);
        if (hit !== undefined) return hit;
        if (exitCode !== undefined || Date.now() > deadline)
          throw new Error(
            `stella ${args.join(" ")}: no matching ${stream} line (exit ${exitCode}); stdout:\n${out.stdout.join("\n")}\nstderr:\n${out.stderr.join("\n")}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (exitCode === undefined) child.kill("SIGTERM");
      return exited;
    },
  };
}
