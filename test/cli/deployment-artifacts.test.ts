// `stella deployment artifacts` against a real apiserver: artifacts stored through the API and
// listed in a deployment's status (written directly, no controller) are printed byte for byte;
// a missing artifact and one altered in storage behind the API's back are reported, and then
// nothing is printed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { artifactDigest, artifactFor, type ArtifactType } from "../../crds/artifact.ts";
import type { GeneratedArtifact } from "../../crds/deployment.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { create, createNamespace, deployment } from "./deployment-objects.ts";
import { stella } from "./run-stella.ts";

const NS = "artifacts-cli";
let env: TestEnv;
let kubeconfig: string;

// Content without a final newline, with multi-byte characters, and a YAML file: printed exactly.
const webSpec =
  '{"Env":["GREETING=grüß dich ☃","PORT=18080"],"HostConfig":{"NetworkMode":"host"},"Image":"127.0.0.1:5000/shop/web@sha256:' +
  "1".repeat(64) +
  '"}';
const workerSpec = '{"Image":"127.0.0.1:5000/shop/worker@sha256:' + "2".repeat(64) + '"}\n';
const compose =
  'services:\n  web-green:\n    image: "127.0.0.1:5000/shop/web@sha256:' +
  "1".repeat(64) +
  '"\n    network_mode: host\n';

async function stored(
  type: ArtifactType,
  mediaType: string,
  content: string,
  target: string,
  component?: string,
): Promise<GeneratedArtifact> {
  await create(env, "artifacts", NS, artifactFor(NS, { type, mediaType, content }));
  return {
    target,
    ...(component ? { component } : {}),
    type,
    digest: artifactDigest(content),
    mediaType,
    size: Buffer.byteLength(content, "utf8"),
  };
}

let web: GeneratedArtifact;
let worker: GeneratedArtifact;
let composeFile: GeneratedArtifact;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  await createNamespace(env, NS);
  web = await stored("container-spec", "application/json", webSpec, "docker-1", "web");
  worker = await stored("container-spec", "application/json", workerSpec, "docker-1", "worker");
  composeFile = await stored("compose-file", "application/yaml", compose, "compose-1");
  await deployment(env, NS, "d-art", {}, { phase: "Succeeded", artifacts: [web, worker, composeFile] });
});
after(() => env.stop());

const run = (...args: string[]) => stella([...args, "-n", NS], { kubeconfig });

test("one selected artifact is printed alone, byte for byte", async () => {
  const res = await run("deployment", "artifacts", "d-art", "--target", "docker-1", "--component", "web");
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout, webSpec);
  assert.equal(artifactDigest(res.stdout), web.digest);
  const yaml = await run("deployment", "artifacts", "d-art", "--target", "compose-1");
  assert.equal(yaml.stdout, compose);
});

test("several artifacts each follow a header line with type, target/component and digest", async () => {
  const res = await run("deployment", "artifacts", "d-art");
  assert.equal(res.code, 0, res.stderr);
  assert.equal(
    res.stdout,
    `# container-spec docker-1/web ${web.digest}\n${webSpec}\n` +
      `# container-spec docker-1/worker ${worker.digest}\n${workerSpec}` +
      `# compose-file compose-1 ${composeFile.digest}\n${compose}`,
  );
});

test("-o name lists the Artifact objects; -o json carries each entry with its content", async () => {
  const names = await run("deployment", "artifacts", "d-art", "--target", "docker-1", "-o", "name");
  assert.equal(
    names.stdout,
    [web, worker].map((a) => `artifact.release.stella.io/${a.digest.replace(":", "-")}\n`).join(""),
  );
  const json = await run("deployment", "artifacts", "d-art", "-o", "json");
  assert.equal(json.code, 0, json.stderr);
  const items = JSON.parse(json.stdout) as { content: string; digest: string; target: string }[];
  assert.deepEqual(
    items.map((i) => [i.target, i.digest, i.content]),
    [
      ["docker-1", web.digest, webSpec],
      ["docker-1", worker.digest, workerSpec],
      ["compose-1", composeFile.digest, compose],
    ],
  );
});

test("a selection that matches nothing, and a deployment without artifacts, are errors naming what exists", async () => {
  const none = await run("deployment", "artifacts", "d-art", "--component", "db");
  assert.equal(none.code, 1);
  assert.equal(
    none.stderr,
    "stella deployment: no artifact of deployment d-art matches --component db (targets: compose-1, docker-1; components: web, worker)\n",
  );
  await deployment(env, NS, "d-empty", {}, { phase: "Pending" });
  const empty = await run("deployment", "artifacts", "d-empty");
  assert.equal(empty.stderr, "stella deployment: deployment d-empty has no artifacts yet (phase Pending)\n");
  assert.equal((await run("deployment", "artifacts", "d-art", "-o", "yaml")).code, 2);
});

test("a missing artifact and one altered in storage are reported; nothing is printed", async () => {
  const lost = await stored("container-spec", "application/json", '{"Image":"lost"}', "docker-2", "web");
  const altered = await stored("container-spec", "application/json", '{"Image":"honest"}', "docker-2", "worker");
  await deployment(env, NS, "d-bad", {}, { phase: "Succeeded", artifacts: [web, lost, altered] });
  assert.equal(
    (
      await env.request(
        "DELETE",
        `/apis/release.stella.io/v1alpha1/namespaces/${NS}/artifacts/${lost.digest.replace(":", "-")}`,
      )
    ).status,
    200,
  );
  // The API refuses to change an artifact, so the tampering happens below it, in storage.
  const key = { resource: "artifacts", namespace: NS, name: altered.digest.replace(":", "-") };
  const row = (await env.server.storage.get(key))!;
  const spec = row.spec as { content: string };
  spec.content = '{"Image":"evil"}';
  await env.server.storage.update(key, row, Number(row.metadata.resourceVersion));

  const res = await run("deployment", "artifacts", "d-bad");
  assert.equal(res.code, 1);
  assert.equal(res.stdout, "", "nothing is printed when any artifact fails verification");
  assert.equal(
    res.stderr,
    [
      `stella deployment: artifact ${lost.digest.replace(":", "-")} listed by deployment d-bad is missing on the server`,
      `stella deployment: artifact ${altered.digest.replace(":", "-")} is corrupt: its content hashes to ${artifactDigest('{"Image":"evil"}')}, not ${altered.digest} as the deployment records; not printing it`,
      "stella deployment: 2 of 3 artifacts could not be verified; nothing printed",
      "",
    ].join("\n"),
  );
  const good = await run("deployment", "artifacts", "d-bad", "--target", "docker-1");
  assert.equal(good.stdout, webSpec, "the intact artifact still prints on its own");
});
