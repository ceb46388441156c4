// `stella server` logs for whoever reads them: text lines on a terminal (a real pseudo-terminal,
// through util-linux `script`), JSON lines when stderr is piped or --log-format json asks for them.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { REPO_ROOT, STELLA_BIN } from "./run-stella.ts";

const data = mkdtempSync(join(tmpdir(), "stella-logs-"));
after(() => rmSync(data, { recursive: true, force: true }));

/** Runs `command` until a line matches `done`; resolves with everything it printed. */
function runUntil(command: string, args: string[], done: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: "" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    const timer = setTimeout(
      () => (child.kill("SIGKILL"), reject(new Error(`no ${done} within 180s:\n${out}`))),
      // A guard against a hung server, not a measure: a first start on a loaded machine takes a while.
      180_000,
    );
    const seen = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (done.test(out)) child.kill("SIGTERM");
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.on("exit", () => (clearTimeout(timer), resolve(out)));
  });
}

const server = [STELLA_BIN, "server", "--data", data, "--port", "0", "--no-controllers"];

test("on a terminal: text lines with level, time, message and key=value fields", async () => {
  const cmd = [process.execPath, ...server].map((a) => `'${a}'`).join(" ");
  const out = await runUntil("script", ["-qec", cmd, "/dev/null"], /apiserver started/);
  const started = out.split(/\r?\n/).find((l) => l.includes("apiserver started"));
  assert.match(
    started ?? "",
    /^\d\d:\d\d:\d\d\.\d{3} (\x1b\[36m)?INFO (\x1b\[0m)? ?apiserver started url=https:\/\/127\.0\.0\.1:\d+ backend=pglite/,
  );
  assert.doesNotMatch(out, /\{"time":/);
});

test("on a terminal with --log-format json: JSON lines", async () => {
  const cmd = [process.execPath, ...server, "--log-format", "json"].map((a) => `'${a}'`).join(" ");
  const out = await runUntil("script", ["-qec", cmd, "/dev/null"], /apiserver started/);
  const started = out.split(/\r?\n/).find((l) => l.includes("apiserver started"));
  assert.equal(JSON.parse(started ?? "{}").level, "info");
});

test("piped: one JSON object per line", async () => {
  const out = await runUntil(process.execPath, server, /apiserver started/);
  const started = out.split("\n").find((l) => l.includes("apiserver started"));
  const entry = JSON.parse(started ?? "{}");
  assert.equal(entry.level, "info");
  assert.match(entry.url, /^https:\/\/127\.0\.0\.1:\d+$/);
});
