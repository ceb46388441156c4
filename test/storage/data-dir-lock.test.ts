// The PGlite data directory lock, against real processes: a holder killed with SIGKILL never
// blocks the next start, even when the next process gets the same PID (PID 1 in a container,
// run here with `unshare --pid --fork --mount-proc`), and a live holder is always refused.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { acquireDataDirLock, processStartTime, selfHolder } from "../../apiserver/storage/data-dir-lock.ts";

const HOLDER = fileURLToPath(new URL("./lock-holder.ts", import.meta.url));
const canUnshare = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "true"]).status === 0;
const nsSkip = canUnshare
  ? undefined
  : "unshare --pid --fork --mount-proc is not permitted here (needs root or user namespaces)";
if (nsSkip && process.env.CI === "true") throw new Error(`${nsSkip} (CI=true: the PID namespace test must run)`);

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), "stella-lock-"));
  dirs.push(d);
  return d;
};

/** Runs the holder (optionally behind a prefix such as unshare) and waits for its first line. */
function startHolder(
  dbDir: string,
  prefix: string[] = [],
): { proc: ChildProcess; line: Promise<string>; exited: Promise<number | null> } {
  const cmd = [...prefix, process.execPath, "--import", "tsx", HOLDER, dbDir];
  const proc = spawn(cmd[0], cmd.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const line = new Promise<string>((resolve, reject) => {
    proc.stdout!.on("data", (d) => {
      out += String(d);
      if (out.includes("\n")) resolve(out.split("\n")[0]);
    });
    proc.on("exit", (code) => reject(new Error(`holder exited ${code} before answering: ${out}`)));
  });
  line.catch(() => {});
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return { proc, line, exited };
}

/** The PID (as the host sees it) of the only child of `pid`: the namespace's PID 1 under unshare. */
function onlyChild(pid: number): number {
  const out = spawnSync("cat", [`/proc/${pid}/task/${pid}/children`], { encoding: "utf8" }).stdout.trim();
  assert.match(out, /^[0-9]+$/, `unshare should have one child, got ${JSON.stringify(out)}`);
  return Number(out);
}

describe("data directory lock", () => {
  test("a lock left by an earlier process with this very PID is taken over", async () => {
    const dir = await tempDir();
    const lock = join(dir, "db.lock");
    const me = await selfHolder();
    assert.ok(me.startTime, "this test needs /proc");
    await writeFile(lock, JSON.stringify({ ...me, startTime: String(Number(me.startTime) - 1) }));
    const release = await acquireDataDirLock(lock, dir);
    await release();
    await writeFile(lock, String(process.pid)); // the format of earlier versions
    await (
      await acquireDataDirLock(lock, dir)
    )();
  });

  test("a live holder is refused with a clear error, and so is a second open in the same process", async () => {
    const dir = await tempDir();
    const lock = join(dir, "db.lock");
    const sleeper = spawn("sleep", ["60"]);
    try {
      const startTime = await processStartTime(sleeper.pid!);
      await writeFile(lock, JSON.stringify({ pid: sleeper.pid, startTime, bootId: (await selfHolder()).bootId }));
      await assert.rejects(acquireDataDirLock(lock, dir), new RegExp(`in use by process ${sleeper.pid}`));
    } finally {
      sleeper.kill("SIGKILL");
    }
    await rm(lock);
    const release = await acquireDataDirLock(lock, dir);
    await assert.rejects(acquireDataDirLock(lock, dir), /already open in this process/);
    await release();
  });

  test("a second server process on a running one's directory is refused", async () => {
    const db = join(await tempDir(), "db");
    const first = startHolder(db);
    try {
      assert.match(await first.line, /^open /);
      const second = startHolder(db);
      assert.match(await second.line, new RegExp(`^refused data directory .* is in use by process ${first.proc.pid}`));
      assert.equal(await second.exited, 3);
    } finally {
      first.proc.kill("SIGKILL");
      await first.exited;
    }
  });

  test(
    "PID 1 killed with SIGKILL starts again as PID 1; a live PID 1 refuses a second process",
    { skip: nsSkip },
    async () => {
      const db = join(await tempDir(), "db");
      const ns = ["unshare", "--pid", "--fork", "--mount-proc"];
      const first = startHolder(db, ns);
      assert.equal(await first.line, "open 1");
      process.kill(onlyChild(first.proc.pid!), "SIGKILL");
      await first.exited;

      const again = startHolder(db, ns);
      try {
        assert.equal(await again.line, "open 1", "the lock of the dead PID 1 must not block the new PID 1");
        // A second process inside the same PID namespace sees the live PID 1 and is refused.
        const inside = startHolder(db, [
          "nsenter",
          "--target",
          String(onlyChild(again.proc.pid!)),
          "--pid",
          "--mount",
          `--wd=${process.cwd()}`,
        ]);
        assert.match(await inside.line, /^refused data directory .* is in use by process 1 /);
        assert.equal(await inside.exited, 3);
      } finally {
        process.kill(onlyChild(again.proc.pid!), "SIGKILL");
        await again.exited;
      }
    },
  );
});
