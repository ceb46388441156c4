import { test } from "node:test";
import assert from "node:assert/strict";
import { artifactDigest } from "../../crds/artifact.ts";
import type { Deployment, GeneratedArtifact } from "../../crds/deployment.ts";
import { headerLine, renderContents, selectArtifacts, verifyContent } from "./artifact-listing.ts";
import { ArtifactDigestMismatchError, NoArtifactsError } from "./errors.ts";

const web1 = {
  target: "docker-1",
  component: "web",
  type: "container-spec",
  digest: artifactDigest("{}"),
  mediaType: "application/json",
};
const worker1 = { ...web1, component: "worker", digest: artifactDigest('{"a":1}') };
const compose2 = {
  target: "compose-2",
  type: "compose-file",
  digest: artifactDigest("services: {}\n"),
  mediaType: "application/yaml",
};
const deployment = (artifacts?: GeneratedArtifact[]): Deployment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name: "d1" },
  spec: { release: "r", environment: "e" },
  status: { phase: "Progressing", ...(artifacts ? { artifacts } : {}) },
});

test("selection by target and component, in status order", () => {
  const d = deployment([web1, worker1, compose2]);
  assert.deepEqual(selectArtifacts(d, {}), [web1, worker1, compose2]);
  assert.deepEqual(selectArtifacts(d, { target: "docker-1" }), [web1, worker1]);
  assert.deepEqual(selectArtifacts(d, { component: "worker" }), [worker1]);
  assert.throws(
    () => selectArtifacts(d, { target: "docker-9" }),
    (err) => {
      assert.ok(err instanceof NoArtifactsError);
      assert.equal(
        err.message,
        "no artifact of deployment d1 matches --target docker-9 (targets: compose-2, docker-1; components: web, worker)",
      );
      return true;
    },
  );
  assert.throws(() => selectArtifacts(deployment(), {}), /deployment d1 has no artifacts yet \(phase Progressing\)/);
});

test("header lines name type, target/component and digest", () => {
  assert.equal(headerLine(web1), `# container-spec docker-1/web ${web1.digest}`);
  assert.equal(headerLine(compose2), `# compose-file compose-2 ${compose2.digest}`);
});

test("one artifact prints alone, byte for byte; several get headers and a line break where one is missing", () => {
  assert.equal(renderContents([{ entry: web1, content: "{}" }]), "{}");
  assert.equal(
    renderContents([
      { entry: web1, content: "{}" },
      { entry: compose2, content: "services: {}\n" },
    ]),
    `# container-spec docker-1/web ${web1.digest}\n{}\n# compose-file compose-2 ${compose2.digest}\nservices: {}\n`,
  );
});

test("content that does not hash to the recorded digest is refused", () => {
  verifyContent("sha256-x", web1.digest, "{}");
  assert.throws(
    () => verifyContent("sha256-x", web1.digest, "{ }"),
    (err) => err instanceof ArtifactDigestMismatchError && err.actual === artifactDigest("{ }"),
  );
});
