// Runs the real kubectl binary against a test apiserver.
import { execFile, spawn, type ChildProcess } from "node:child_process";

/** What a kubectl run printed and how it exited. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The kubectl binary (KUBECTL overrides). */
export const KUBECTL = process.env.KUBECTL ?? "kubectl";

/** Runs `kubectl --kubeconfig <file> args...`, never throwing on a non-zero exit. */
export function kubectl(kubeconfig: string, args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      ["--kubeconfig", kubeconfig, ...args],
      { timeout: 60_000, env: { ...process.env, KUBECACHEDIR: `${kubeconfig}.cache` } },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === "number"
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Starts a long-running kubectl (e.g. `get -w`) and collects its output lines. */
export function kubectlStream(
  kubeconfig: string,
  args: string[],
): { child: ChildProcess; lines: string[]; waitFor(pred: (l: string) => boolean, ms?: number): Promise<string> } {
  const child = spawn(KUBECTL, ["--kubeconfig", kubeconfig, ...args], {
    env: { ...process.env, KUBECACHEDIR: `${kubeconfig}.cache` },
  });
  const lines: string[] = [];
  let partial = "";
  child.stdout!.on("data", (d: Buffer) => {
    partial += d.toString();
    const parts = partial.split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  });
  return {
    child,
    lines,
    async waitFor(pred, ms = 15_000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const hit = lines.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`kubectl ${args.join(" ")} printed no matching line within ${ms} ms; got:\n${lines.join("\n")}`);
    },
  };
}
