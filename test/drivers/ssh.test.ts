// The ssh driver against the estate's real sshd hosts (127.0.0.2 and 127.0.0.3, port 2222, the one
// local Docker Engine behind both): the shared conformance suite for runtime docker and compose,
// then what only the ssh driver has: pinned host keys, refused logins, key types and passphrases,
// a jump host, a host whose engine does not answer, the compose files kept per release and their
// pruning (read from this machine's disk: the estate's hosts are this machine). A host going down
// is test/deploy/ssh.test.ts's (the only file that stops an sshd). Host ports 23000-23299; namespaces ssh-*.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  KEPT_RELEASES,
  REMOTE_COMPOSE_DIR,
  remoteComposePath,
  sshDriver,
} from "../../controllers/drivers/ssh/index.ts";
import { DriverReasons, isDriverError, type Driver, type UnitSet } from "../../sdk/plugins/driver.ts";
import { driverConformance, pinnedImage } from "../../sdk/testing/driver-conformance.ts";
import { docker, REGISTRY } from "../estate/estate-env.ts";
import { engineFixture, removeContainers } from "./engine-fixture.ts";
import { authorize, DEPLOY_KEY, hostKey, keyPair, revoke, secrets, sshSkipReason, sshTarget } from "./ssh-estate.ts";

const skip = await sshSkipReason();
const run = randomBytes(3).toString("hex");
const deployKey = skip ? "" : await readFile(DEPLOY_KEY, "utf8");
const deploySecrets = () => secrets({ "deploy-ssh-key/id_ed25519": deployKey });

driverConformance({
  name: "ssh (runtime docker)",
  skip,
  async setup() {
    const target = "ssh-web-1";
    return engineFixture({
      driver: await sshDriver.create(await sshTarget(target, "127.0.0.2"), deploySecrets()),
      target,
      namespace: `ssh-${run}`,
      environment: "prod",
      portBase: 23000,
    });
  },
});

driverConformance({
  name: "ssh (runtime compose)",
  skip,
  async setup() {
    const target = "ssh-web-2";
    const ssh = { runtime: "compose" as const, project: `sshc-${run}` };
    return engineFixture({
      driver: await sshDriver.create(await sshTarget(target, "127.0.0.3", ssh), deploySecrets()),
      target,
      namespace: `sshc-${run}`,
      environment: "prod",
      portBase: 23100,
    });
  },
});

/** `err` is a DriverError with this reason whose message matches `message`. */
const failsWith = (reason: string, message: RegExp) => (err: unknown) =>
  isDriverError(err) && err.reason === reason && message.test(err.message);

describe("ssh driver against the estate's sshd hosts", { skip }, () => {
  const namespace = `ssh-${run}-x`;
  const drivers: Driver[] = [];
  const marker = `stella-test-${run}`;
  let keys = "";
  let worker = "";
  before(async () => {
    keys = await mkdtemp(path.join(tmpdir(), "stella-ssh-keys-"));
    worker = await pinnedImage(`${REGISTRY}/shop/worker:1.4.0`);
  });
  after(async () => {
    await revoke(marker);
    await Promise.all(drivers.map((d) => d.close()));
    await removeContainers([namespace]);
    await rm(keys, { recursive: true, force: true });
  });

  async function bind(...args: Parameters<typeof sshTarget>): Promise<Driver> {
    return bindWith(deploySecrets(), ...args);
  }
  async function bindWith(ctx: ReturnType<typeof secrets>, ...args: Parameters<typeof sshTarget>): Promise<Driver> {
    const driver = await sshDriver.create(await sshTarget(...args), ctx);
    drivers.push(driver);
    return driver;
  }

  const workerSet = (target: string, port: number): UnitSet => ({
    namespace,
    environment: "prod",
    release: "r1",
    deployment: "d1",
    target,
    slot: "blue",
    units: [
      { component: "worker", imageRef: worker, env: [], ports: [{ name: "m", containerPort: 1, hostPort: port }] },
    ],
  });
  const noSecretsCtx = {
    secretValue: async () => assert.fail("no secret expected"),
    pullCredential: async () => undefined,
  };
  const containersOf = async (target: string) =>
    (
      await docker(
        "ps",
        "-aq",
        "--filter",
        `label=stella.io/namespace=${namespace}`,
        "--filter",
        `label=stella.io/target=${target}`,
      )
    )
      .split("\n")
      .filter(Boolean);

  it("probe says which host and engine answered", async () => {
    const info = await (await bind("ssh-probe", "127.0.0.2")).probe();
    assert.equal(info.version, await docker("version", "--format", "{{.Server.Version}}"));
    assert.match(info.name, /^Docker Engine over SSH \(root@127\.0\.0\.2:2222\)$/);
  });

  it("a host presenting another key than the pinned one: HostKeyMismatch on every verb, and nothing is created", async () => {
    const driver = await bind("ssh-mitm", "127.0.0.2", { hostKey: await hostKey("127.0.0.3") });
    const mismatch = failsWith(
      DriverReasons.HostKeyMismatch,
      /root@127\.0\.0\.2:2222 presented host key SHA256:.*nothing was sent/,
    );
    await assert.rejects(driver.probe(), mismatch);
    await assert.rejects(driver.observe(), mismatch);
    await assert.rejects(driver.apply(workerSet("ssh-mitm", 23200), noSecretsCtx), mismatch);
    assert.deepEqual(await containersOf("ssh-mitm"), []);
    // the same target with the right key applies: the refusal above was the key, nothing else
    const honest = await bind("ssh-mitm", "127.0.0.2");
    assert.equal((await honest.apply(workerSet("ssh-mitm", 23200), noSecretsCtx)).length, 1);
    assert.equal((await containersOf("ssh-mitm")).length, 1);
    await honest.remove(await honest.observe({ namespace }));
  });

  it("an unknown user or a key the host does not authorize is refused as Unauthorized, naming user and host", async () => {
    const stranger = await bind("ssh-stranger", "127.0.0.2", { user: `nobody-${run}` });
    await assert.rejects(
      stranger.probe(),
      failsWith(DriverReasons.Unauthorized, new RegExp(`nobody-${run}@127\\.0\\.0\\.2:2222 refused the login`)),
    );
    const unknownKey = (await keyPair(keys, "ed25519")).privateKey;
    const refused = await bindWith(
      secrets({ "deploy-ssh-key/id_ed25519": unknownKey }),
      "ssh-unknown-key",
      "127.0.0.2",
    );
    await assert.rejects(
      refused.probe(),
      failsWith(DriverReasons.Unauthorized, /root@127\.0\.0\.2:2222 refused the login: .*not authorized/),
    );
  });

  it("ed25519, rsa and ecdsa keys log in, with and without a passphrase; a wrong or missing passphrase is InvalidTarget", async () => {
    const pairs = {
      ed25519: await keyPair(keys, "ed25519", "pass-ed"),
      rsa: await keyPair(keys, "rsa"),
      rsaPass: await keyPair(keys, "rsa", "pass-rsa"),
      ecdsa: await keyPair(keys, "ecdsa"),
      ecdsaPass: await keyPair(keys, "ecdsa", "pass-ecdsa"),
    };
    await authorize(
      Object.values(pairs).map((p) => p.publicKey),
      marker,
    );
    const passphrases: Record<string, string | undefined> = {
      ed25519: "pass-ed",
      rsaPass: "pass-rsa",
      ecdsaPass: "pass-ecdsa",
    };
    for (const [type, pair] of Object.entries(pairs)) {
      const phrase = passphrases[type];
      const ctx = secrets({ "k/key": pair.privateKey, ...(phrase ? { "k/passphrase": phrase } : {}) });
      const extra = {
        privateKeySecretRef: { name: "k", key: "key" },
        ...(phrase ? { passphraseSecretRef: { name: "k", key: "passphrase" } } : {}),
      };
      const info = await (await bindWith(ctx, `ssh-key-${type.toLowerCase()}`, "127.0.0.2", extra)).probe();
      assert.equal(info.os, "linux", type);
    }
    const wrong = secrets({ "k/key": pairs.ecdsaPass.privateKey, "k/passphrase": "not-it" });
    const ref = {
      privateKeySecretRef: { name: "k", key: "key" },
      passphraseSecretRef: { name: "k", key: "passphrase" },
    };
    await assert.rejects(
      sshDriver.create(await sshTarget("ssh-wrong-phrase", "127.0.0.2", ref), wrong),
      (err) =>
        failsWith(DriverReasons.InvalidTarget, /secret k key key does not open with the passphrase/)(err) &&
        !(err as Error).message.includes("not-it"),
    );
    await assert.rejects(
      sshDriver.create(
        await sshTarget("ssh-no-phrase", "127.0.0.2", { privateKeySecretRef: { name: "k", key: "key" } }),
        secrets({ "k/key": pairs.rsaPass.privateKey }),
      ),
      failsWith(DriverReasons.InvalidTarget, /is encrypted and no passphraseSecretRef is set/),
    );
  });

  it("through a jump host (127.0.0.3 to 127.0.0.2), each key pinned; a wrong jump host key is HostKeyMismatch naming the jump host", async () => {
    const jumpHost = { host: "127.0.0.3", port: 2222, hostKey: await hostKey("127.0.0.3") };
    const via = await bind("ssh-jump", "127.0.0.2", { jumpHost });
    assert.match((await via.probe()).name, /root@127\.0\.0\.2:2222 via root@127\.0\.0\.3:2222/);
    assert.equal((await via.apply(workerSet("ssh-jump", 23210), noSecretsCtx))[0].running, true);
    await via.remove(await via.observe({ namespace }));
    const badJump = await bind("ssh-jump-bad", "127.0.0.2", {
      jumpHost: { ...jumpHost, hostKey: await hostKey("127.0.0.2") },
    });
    await assert.rejects(
      badJump.probe(),
      failsWith(DriverReasons.HostKeyMismatch, /^jump host root@127\.0\.0\.3:2222 presented/),
    );
    const badTarget = await bind("ssh-jump-bad2", "127.0.0.2", { jumpHost, hostKey: await hostKey("127.0.0.3") });
    await assert.rejects(
      badTarget.probe(),
      failsWith(DriverReasons.HostKeyMismatch, /^root@127\.0\.0\.2:2222 presented/),
    );
  });

  it(`runtime compose keeps each release's compose file on the host and prunes all but the ${KEPT_RELEASES} newest releases of a namespace and environment`, async () => {
    const project = `sshk-${run}`;
    const compose = await bind("ssh-keep", "127.0.0.3", { runtime: "compose", project });
    const projectDir = path.join(REMOTE_COMPOSE_DIR, project);
    const releasesIn = async (environment: string) =>
      (await readdir(path.join(projectDir, namespace, environment))).sort();
    try {
      const applyKept = async (environment: string, release: string, port: number) => {
        const set = { ...workerSet("ssh-keep", port), environment, release };
        await compose.apply(set, noSecretsCtx);
        const [rendered] = compose.render(set);
        const kept = remoteComposePath(project, set, rendered.content);
        assert.equal(path.dirname(kept), path.join(projectDir, namespace, environment, release));
        assert.match(path.basename(kept), /^[0-9a-f]{64}\.yaml$/);
        assert.equal(await readFile(kept, "utf8"), rendered.content, "the file compose ran is the rendered one");
        assert.equal((await stat(kept)).mode & 0o777, 0o600);
        return kept;
      };
      const staging = await applyKept("staging", "s1", 23231);
      // An environment whose name starts with another's and a dot: pruning prod must not touch it
      // (with one joined `<environment>.<release>` directory, prod's prefix matched prod.eu's).
      const prodEu = await applyKept("prod.eu", "eu1", 23232);
      const releases = Array.from({ length: KEPT_RELEASES + 2 }, (_, i) => `r${i + 1}`);
      for (const release of releases) await applyKept("prod", release, 23230);
      assert.deepEqual(await releasesIn("prod"), releases.slice(-KEPT_RELEASES));
      assert.deepEqual(await readdir(path.join(projectDir, namespace)).then((d) => d.sort()), [
        "prod",
        "prod.eu",
        "staging",
      ]);
      assert.equal(await readFile(staging, "utf8").then(Boolean), true, "another environment's file is left alone");
      assert.equal(await readFile(prodEu, "utf8").then(Boolean), true, "prod.eu's file is not prod's to prune");
      // Re-applying an older kept release makes it the newest again: the next prune keeps it.
      await applyKept("prod", releases[releases.length - KEPT_RELEASES], 23230);
      await applyKept("prod", "r9", 23230);
      assert.deepEqual(
        await releasesIn("prod"),
        [releases[releases.length - KEPT_RELEASES], releases[releases.length - 1], "r9"].sort(),
      );
    } finally {
      await rm(projectDir, { recursive: true, force: true });
    }
  });

  it("a slow host (its engine socket accepts and never answers) times out as Unreachable after commandTimeout", async () => {
    const socket = path.join(tmpdir(), `stella-ssh-silent-${run}.sock`);
    const held: Socket[] = [];
    const silent: Server = createServer((c) => void held.push(c));
    await new Promise<void>((r) => silent.listen(socket, r));
    try {
      const slow = await bind("ssh-slow", "127.0.0.2", { socket, commandTimeout: "1s" });
      await assert.rejects(
        slow.probe(),
        failsWith(DriverReasons.Unreachable, /no answer from root@127\.0\.0\.2:2222 within 1000ms/),
      );
      await assert.rejects(
        slow.observe(),
        failsWith(DriverReasons.Unreachable, /root@127\.0\.0\.2:2222 within 1000ms/),
      );
      await assert.rejects(
        slow.apply(workerSet("ssh-slow", 23220), noSecretsCtx),
        failsWith(DriverReasons.Unreachable, /within 1000ms/),
      );
    } finally {
      for (const c of held) c.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
