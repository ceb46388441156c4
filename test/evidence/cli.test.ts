// `stella evidence verify|export|key` through the real CLI against a real apiserver: an intact
// chain verifies; a packet altered in storage, a packet removed from the middle, and an altered
// bundle are each named with what is wrong (exit 1); an exported bundle verifies offline with only
// the public key file, with no server and no kubeconfig.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEnv, type TestEnv } from "../env.ts";
import { stella } from "../cli/run-stella.ts";
import { createNamespace, createPacket, listPackets, publicKeyPem, tamperStored } from "./packets.ts";

let env: TestEnv;
let kubeconfig: string;
let dir: string;
let keyFile: string;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  dir = await mkdtemp(join(tmpdir(), "stella-evidence-cli-"));
  keyFile = join(dir, "evidence.pub");
});
after(() => env.stop());

const run = (...args: string[]) => stella(args, { kubeconfig });

/** A namespace with packets p0..p(n-1), sealed in order. */
async function chainIn(namespace: string, n: number): Promise<void> {
  await createNamespace(env, namespace);
  for (let i = 0; i < n; i++) await createPacket(env, namespace, `p${i}`);
}

test("stella evidence key prints the server's public key", async () => {
  const res = await run("evidence", "key");
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout, await publicKeyPem(env));
  await writeFile(keyFile, res.stdout);
});

test("an intact chain and each of its packets verify, with the key file or the server's key", async () => {
  await chainIn("intact", 3);
  const chain = await run("evidence", "verify", "--chain", "-n", "intact", "--key", keyFile);
  assert.equal(chain.code, 0, chain.stdout + chain.stderr);
  const lines = chain.stdout.trimEnd().split("\n");
  assert.match(lines[0], /^SEQ +NAME +TYPE +OUTCOME +RESULT$/);
  assert.match(lines[1], /^0 +p0 +Approval +Approved +OK$/);
  assert.match(lines[3], /^2 +p2 +Approval +Approved +OK$/);
  assert.match(
    lines.at(-1)!,
    /^OK: chain of namespace intact: 3 packets, sequences 0-2 verified with key [0-9a-f]{64}$/,
  );
  const one = await run("evidence", "verify", "evidencepacket/p1", "-n", "intact");
  assert.equal(one.code, 0, one.stdout + one.stderr);
  assert.match(one.stderr, /verifying with the key the server serves/);
  assert.match(one.stdout, /^1 +p1 +Approval +Approved +OK$/m);
  const empty = await run("evidence", "verify", "--chain", "-n", "default", "--key", keyFile);
  assert.deepEqual([empty.code, empty.stdout], [0, "no evidence packets in namespace default\n"]);
});

test("a packet altered in storage is named with the field that no longer matches what was signed", async () => {
  await chainIn("altered", 3);
  await tamperStored(env, "altered", "p1", (p) => (p.spec.decision.outcome = "Rejected"));
  const res = await run("evidence", "verify", "--chain", "-n", "altered", "--key", keyFile);
  assert.equal(res.code, 1);
  const row = res.stdout.split("\n").find((l) => l.startsWith("1 "));
  assert.match(
    row!,
    /^1 +p1 +Approval +Rejected +FAILED: spec\.decision\.outcome does not match the signed payload \(signed "Approved", stored "Rejected"\)$/,
  );
  assert.match(res.stdout, /^0 +p0 .* OK$/m);
  assert.match(res.stdout, /^2 +p2 .* OK$/m);
  assert.match(res.stdout, /^FAILED: chain of namespace altered: 1 of 3 packets failed verification \(p1\)/m);
  const single = await run("evidence", "verify", "p1", "-n", "altered", "--key", keyFile);
  assert.equal(single.code, 1);
  assert.match(single.stdout, /FAILED: spec\.decision\.outcome does not match/);
});

test("a re-signed payload and a packet removed from the middle of the chain are detected", async () => {
  await chainIn("broken", 4);
  const [p0] = await listPackets(env, "broken");
  // Swap in another packet's envelope (validly signed, but for other content) and delete p2.
  await tamperStored(env, "broken", "p1", (p) => (p.spec.seal!.envelope = p0.spec.seal!.envelope));
  await env.server.storage.delete({ resource: "evidencepackets", namespace: "broken", name: "p2" });
  const res = await run("evidence", "verify", "--chain", "-n", "broken", "--key", keyFile);
  assert.equal(res.code, 1);
  const rows = Object.fromEntries(
    res.stdout
      .split("\n")
      .filter((l) => /^\d/.test(l))
      .map((l) => [l.split(/ +/)[1], l]),
  );
  assert.match(
    rows.p1,
    /digest mismatch: the payload hashes to sha256:[0-9a-f]{64}, spec\.seal\.digest records sha256:/,
  );
  assert.match(rows.p1, /metadata\.name does not match the signed payload \(signed "p0", stored "p1"\)/);
  assert.match(rows.p3, /FAILED: sequence gap: packet 2 is missing before this one$/);
  assert.match(rows.p0, /OK$/);
});

test("export writes a bundle that verifies offline with only the key file; an altered bundle fails", async () => {
  await chainIn("audited", 3);
  const bundleFile = join(dir, "audited.json");
  const exported = await run("evidence", "export", "-n", "audited", "-o", bundleFile);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stderr, /wrote 3 packets of namespace audited/);
  const bundle = JSON.parse(await readFile(bundleFile, "utf8"));
  assert.deepEqual(
    [bundle.apiVersion, bundle.kind, bundle.namespace, bundle.publicKey],
    ["evidence.stella.io/v1", "EvidenceBundle", "audited", await publicKeyPem(env)],
  );
  assert.deepEqual(
    bundle.packets.map((p: { metadata: { name: string } }) => p.metadata.name),
    ["p0", "p1", "p2"],
  );

  // No KUBECONFIG and no server address: the check is offline.
  const offline = await stella(["evidence", "verify", "--bundle", bundleFile, "--key", keyFile]);
  assert.equal(offline.code, 0, offline.stdout + offline.stderr);
  assert.match(
    offline.stdout,
    /^OK: bundle .*audited\.json \(namespace audited, exported .*\): 3 packets, sequences 0-2 verified/m,
  );

  bundle.packets[2].spec.gates[0].verdict = "Failed";
  const altered = join(dir, "altered.json");
  await writeFile(altered, JSON.stringify(bundle));
  const bad = await stella(["evidence", "verify", "--bundle", altered, "--key", keyFile]);
  assert.equal(bad.code, 1);
  assert.match(
    bad.stdout,
    /^2 +p2 .*FAILED: spec\.gates\[0\]\.verdict does not match the signed payload \(signed "Passed", stored "Failed"\)$/m,
  );

  const stdoutExport = await run("evidence", "export", "-n", "audited");
  assert.equal(JSON.parse(stdoutExport.stdout).packets.length, 3);
});

test("usage mistakes exit 2 and say what to do", async () => {
  const noKey = await stella(["evidence", "verify", "--bundle", "x.json"]);
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /--bundle needs --key FILE/);
  assert.equal((await run("evidence", "verify")).code, 2);
  assert.equal((await run("evidence", "verify", "p0", "--chain")).code, 2);
  const missing = await stella(["evidence", "verify", "--bundle", join(dir, "none.json"), "--key", keyFile]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /none\.json can not be read \(ENOENT\)/);
  const help = await stella(["help"]);
  assert.match(help.stdout, /evidence +Verify sealed evidence offline/);
});
