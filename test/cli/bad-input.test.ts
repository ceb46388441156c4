// Bad input, each a one-line error a person understands and a non-zero exit: an unreachable
// server, a wrong or expired token, a kubeconfig that does not parse (file and field) or is
// missing, manifests that cannot be read. (Watch cuts: watch.test.ts; invalid objects: apply.test.ts.)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { TokenIssuer } from "../../apiserver/auth/tokens.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { documents, environmentYaml } from "./manifests.ts";
import { withServer, withToken, writeKubeconfig } from "./kubeconfigs.ts";
import { stella, type StellaResult } from "./run-stella.ts";

let env: TestEnv;

before(async () => {
  env = await startEnv({ listen: true });
});
after(() => env.stop());

/** Exactly one line on stderr, nothing on stdout, and the exit code. */
function oneLine(r: StellaResult, code = 1): string {
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stdout, "");
  const lines = r.stderr.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, `one line expected:\n${r.stderr}`);
  return lines[0];
}

async function closedPort(): Promise<number> {
  const s = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => s.once("listening", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test("an unreachable server: says so and asks whether stella server runs", async () => {
  const port = await closedPort();
  const kubeconfig = await withServer(env.server.kubeconfigPath, "unreachable", `https://127.0.0.1:${port}`);
  const line = oneLine(await stella(["get", "environments"], { kubeconfig }));
  assert.equal(
    line,
    `stella get: cannot reach https://127.0.0.1:${port}: connection refused — is \`stella server\` running?`,
  );
  // apply stops at the first object instead of repeating the same failure per object.
  const applied = await stella(["apply", "-f", "-"], {
    kubeconfig,
    input: documents([environmentYaml("a", "default"), environmentYaml("b", "default")]),
  });
  assert.equal(oneLine(applied), line.replace("stella get:", "stella apply:"));
});

test("a wrong or expired token: 401 says the token is the problem", async () => {
  const wrong = await withToken(env.server.kubeconfigPath, "wrong-token", "not-a-token");
  assert.match(
    oneLine(await stella(["get", "environments"], { kubeconfig: wrong })),
    /^stella get: the server rejected the credentials \(401 Unauthorized: .+\) — the kubeconfig's token is wrong or expired; `stella token create` makes a new one$/,
  );

  const anHourAgo = await TokenIssuer.open(env.dataDir, { now: () => new Date(Date.now() - 3600_000) });
  const stale = await anHourAgo.issue({
    subject: "admin",
    grants: [{ namespace: "*", role: "admin" }],
    ttlSeconds: 60,
  });
  const expired = await withToken(env.server.kubeconfigPath, "expired-token", stale);
  assert.match(
    oneLine(await stella(["get", "environments"], { kubeconfig: expired })),
    /^stella get: the server rejected the credentials \(401 Unauthorized: token expired at .+\)/,
  );
});

test("a kubeconfig that does not parse names the file (and the field)", async () => {
  const notYaml = await writeKubeconfig("not-yaml", "clusters: [\n  - name: x\n");
  assert.match(
    oneLine(await stella(["get", "environments"], { kubeconfig: notYaml })),
    new RegExp(`^stella get: kubeconfig ${notYaml}: not YAML: `),
  );
  const badField = await writeKubeconfig(
    "bad-field",
    "apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster:\n    server: 5\n",
  );
  assert.match(
    oneLine(await stella(["get", "environments"], { kubeconfig: badField })),
    new RegExp(`^stella get: kubeconfig ${badField}: clusters\\[0\\]\\.cluster\\.server: `),
  );
  const noContext = await writeKubeconfig("no-context", "apiVersion: v1\nkind: Config\ncurrent-context: gone\n");
  assert.match(
    oneLine(await stella(["get", "environments", "--kubeconfig", noContext])),
    /^stella get: kubeconfig .*no-context: current-context: no context named "gone"$/,
  );
});

test("a missing kubeconfig says where it looked and how to give one", async () => {
  assert.match(
    oneLine(await stella(["get", "environments"])),
    /^stella get: no kubeconfig: .*\/\.kube\/config does not exist — pass --kubeconfig FILE or set KUBECONFIG/,
  );
  assert.match(
    oneLine(await stella(["get", "environments", "--kubeconfig", "/nonexistent/kubeconfig"])),
    /^stella get: no kubeconfig: \/nonexistent\/kubeconfig does not exist/,
  );
});

test("manifests that cannot be read: every problem with file and document, nothing applied", async () => {
  const kubeconfig = env.server.kubeconfigPath;
  const docs = Array.from({ length: 10 }, (_, i) => environmentYaml(`m${i + 1}`, "default"));
  docs[2] = docs[2].replace("kind: Environment", "kind: Enviroment");
  docs[8] = docs[8].replace("kind: Environment\n", "");
  const r = await stella(["apply", "-f", "-"], { kubeconfig, input: documents(docs) });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.deepEqual(r.stderr.trim().split("\n"), [
    'stella apply: <stdin> document 3: no kind "Enviroment" is registered for version "release.stella.io/v1alpha1" (stella api-resources lists them)',
    "stella apply: <stdin> document 9: kind is not set",
    "stella apply: nothing was applied: 2 documents could not be read",
  ]);
  const listed = await stella(["get", "environments", "-o", "name"], { kubeconfig });
  assert.equal(listed.stdout, "");
  assert.equal(
    oneLine(await stella(["apply", "-f", "/nonexistent.yaml"], { kubeconfig })),
    'stella apply: the path "/nonexistent.yaml" does not exist',
  );
});

test("command-line mistakes exit 2 with a pointer to --help", async () => {
  const r = await stella(["apply"], { kubeconfig: env.server.kubeconfigPath });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^stella apply: give manifests with -f .*\nRun "stella apply --help" for usage\.\n$/);
  const unknown = await stella(["aply"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^stella: unknown command "aply"\nDid you mean "apply"\?/);
});
