import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DriverReasons, isDriverError } from "../../../sdk/plugins/driver.ts";
import { composeEnv, detectComposeCli, outputTail, runCompose } from "./command.ts";

describe("composeEnv", () => {
  it("drops what would redirect compose, keeps the rest and adds the engine and variables", () => {
    const env = composeEnv(
      {
        PATH: "/bin",
        HOME: "/root",
        DOCKER_HOST: "tcp://elsewhere:2375",
        DOCKER_CONTEXT: "x",
        COMPOSE_FILE: "other.yml",
        COMPOSE_PROJECT_NAME: "other",
        STELLA_SECRET_7: "stale",
        DOCKER_CONFIG: "/cfg",
      },
      "unix:///var/run/docker.sock",
      { STELLA_ARTIFACT: "sha256:1" },
    );
    assert.deepEqual(env, {
      PATH: "/bin",
      HOME: "/root",
      DOCKER_CONFIG: "/cfg",
      DOCKER_HOST: "unix:///var/run/docker.sock",
      COMPOSE_IGNORE_ORPHANS: "true",
      STELLA_ARTIFACT: "sha256:1",
    });
  });
});

describe("outputTail", () => {
  it("keeps the last non-empty lines, stderr first, with secret values redacted", () => {
    const run = { code: 1, timedOut: false, stdout: "out-1\n", stderr: "one\n\ntwo hunter2\nthree hunter22\n" };
    assert.equal(outputTail(run, ["hunter2", "hunter22", ""], 3), "two ***\nthree ***\nout-1");
  });
});

describe("runCompose and detectComposeCli with stand-in commands", () => {
  let dir: string;
  let fake: string;
  const env = { PATH: process.env.PATH };
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "stella-compose-cmd-"));
    fake = path.join(dir, "fake-compose");
    // `version` answers like docker-compose 1.29; anything else reports its argv and environment.
    await writeFile(
      fake,
      `#!/bin/sh\nif [ "$1" = version ]; then echo "docker-compose version 1.29.2, build unknown"; exit 0; fi\necho "args: $*" >&2\necho "secret: $STELLA_SECRET_0" >&2\nexit 4\n`,
    );
    await chmod(fake, 0o755);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("resolves with the exit code and output of a failing run", async () => {
    const run = await runCompose([fake, "-p", "x", "up"], { env: { ...env, STELLA_SECRET_0: "pw" } });
    assert.equal(run.code, 4);
    assert.equal(run.timedOut, false);
    assert.equal(outputTail(run, ["pw"]), "args: -p x up\nsecret: ***");
  });

  it("rejects with InvalidTarget when the command does not exist", async () => {
    await assert.rejects(
      runCompose([path.join(dir, "missing")], { env }),
      (err) => isDriverError(err) && err.reason === DriverReasons.InvalidTarget,
    );
  });

  it("kills a run that outlives its timeout", async () => {
    const run = await runCompose(["sleep", "30"], { env, timeoutMs: 100 });
    assert.equal(run.timedOut, true);
    assert.equal(run.code, null);
  });

  it("uses a configured command that answers version, and reports its version", async () => {
    assert.deepEqual(await detectComposeCli([fake], env), { command: [fake], version: "1.29.2" });
  });

  it("refuses a configured command that does not answer, with InvalidTarget", async () => {
    await assert.rejects(
      detectComposeCli([path.join(dir, "missing")], env),
      (err) => isDriverError(err) && err.reason === DriverReasons.InvalidTarget,
    );
    await assert.rejects(
      detectComposeCli(["false"], env),
      (err) => isDriverError(err) && err.reason === DriverReasons.InvalidTarget,
    );
  });
});
