// The release controller against the real registry of hack/estate.sh: tags resolve once to the
// digest the registry serves, pinned images need no registry, indexes pin the index, a retagged
// image leaves the release alone, a missing tag is retried without flapping, an unreachable
// registry is retried until it is back, and a resolved release's components are frozen.
// Skipped locally when the estate is down; fails under CI=true.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { OCI_INDEX, RegistryClient } from "../../controllers/oci/client/index.ts";
import type { Release } from "../../crds/release.ts";
import { isInvalid } from "../../sdk/index.ts";
import { ESTATE_DIR, estateSkipReason, REGISTRY } from "../estate/estate-env.ts";
import { freePort, REGISTRY_BIN, RegistryProcess } from "../estate/registry-process.ts";
import { loadExample } from "../fixtures.ts";
import {
  condition,
  release,
  startReleaseEnv,
  waitForCondition,
  waitForRelease,
  type ReleaseEnv,
} from "./release-env.ts";
import { pushTestImage, uniqueRepository } from "./test-image.ts";

const skip = await estateSkipReason();
const oci = new RegistryClient({ timeoutMs: 5000 });

/** What the registry itself answers for a reference: Docker-Content-Digest and Content-Type of a HEAD. */
async function served(image: string): Promise<{ digest: string; type: string }> {
  const at = image.indexOf("/");
  const [repo, tag] = image.slice(at + 1).split(":");
  const accept =
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";
  const res = await fetch(`http://${image.slice(0, at)}/v2/${repo}/manifests/${tag}`, {
    method: "HEAD",
    headers: { accept },
  });
  assert.equal(res.status, 200, image);
  return { digest: res.headers.get("docker-content-digest") ?? "", type: res.headers.get("content-type") ?? "" };
}

let t: ReleaseEnv;
before(async () => {
  if (!skip) t = await startReleaseEnv();
});
after(() => t?.stop());

describe("release resolution against the estate registry", { skip }, () => {
  it("resolves the example release's tags to the digests the registry serves", async () => {
    const [example] = loadExample("release.yaml");
    await t.env.request("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: example.metadata.namespace },
    });
    await t.releases.create(example as unknown as Release);
    const got = await waitForCondition(t.releases, example.metadata.name, "Resolved", "True", undefined, {
      namespace: example.metadata.namespace,
    });
    for (const c of example.spec.components as { name: string; image: string }[]) {
      const r = got.status?.components?.find((x) => x.name === c.name);
      const truth = await served(c.image);
      assert.equal(r?.image, c.image);
      assert.equal(r?.digest, truth.digest, c.image);
      assert.equal(r?.imageRef, `${c.image.slice(0, c.image.lastIndexOf(":"))}@${truth.digest}`);
    }
    assert.equal(got.status?.phase, "Resolved");
    assert.equal(got.status?.observedGeneration, got.metadata.generation);
    assert.equal(condition(got, "Ready")?.status, "True");
  });

  it("resolves pinned images offline: the registry address does not even listen", async () => {
    const digest = `sha256:${"d".repeat(64)}`;
    const image = `127.0.0.1:${await freePort()}/shop/web@${digest}`;
    await t.releases.create(release("pinned", { web: image }));
    const rel = await waitForCondition(t.releases, "pinned", "Resolved", "True");
    assert.deepEqual(
      rel.status?.components?.map((c) => [c.digest, c.imageRef]),
      [[digest, image]],
    );
  });

  it("pins a multi-platform OCI index to the index's own digest", async () => {
    const image = `${REGISTRY}/shop/multi:1.0`;
    const truth = await served(image);
    assert.equal(truth.type, OCI_INDEX);
    await t.releases.create(release("multi", { app: image }));
    const rel = await waitForCondition(t.releases, "multi", "Resolved", "True");
    assert.equal(rel.status?.components?.[0].digest, truth.digest);
  });

  it("keeps the digest it resolved when the tag is later moved to another image", async () => {
    const name = `${REGISTRY}/${uniqueRepository("retag")}`;
    const first = await pushTestImage(oci, name, "v1");
    await t.releases.create(release("retag", { app: `${name}:v1` }));
    await waitForCondition(t.releases, "retag", "Resolved", "True");
    const second = await pushTestImage(oci, name, "v1");
    assert.equal((await served(`${name}:v1`)).digest, second);
    // A spec edit wakes the controller; it must not resolve the tag again.
    const edited = await t.releases.patch(
      "retag",
      { spec: { description: "wake the controller" } },
      { type: "merge", namespace: "default" },
    );
    const rel = await waitForRelease(
      t.releases,
      "retag",
      "observing the edit",
      (r) => r.status?.observedGeneration === edited.metadata.generation,
    );
    assert.equal(rel.status?.components?.[0].digest, first);
    assert.equal(rel.status?.components?.[0].imageRef, `${name}@${first}`);
  });

  it("reports a missing tag as ManifestNotFound, retries without rewriting status, and resolves once the tag exists", async () => {
    const name = `${REGISTRY}/${uniqueRepository("missing")}`;
    await t.releases.create(release("missing", { web: `${REGISTRY}/shop/web:1.4.0`, api: `${name}:v1` }));
    const failed = await waitForCondition(t.releases, "missing", "Resolved", "False", "ManifestNotFound");
    const c = condition(failed, "Resolved")!;
    assert.match(c.message ?? "", new RegExp(`component api \\(${name.replace(/[.]/g, "\\.")}:v1\\)`));
    assert.equal(failed.status?.phase, "Failed");
    assert.equal(failed.status?.components?.length, 1, "web's digest is recorded while api is missing");
    const attempts = () =>
      t.logs.filter((l) => l.includes('"release not resolved"') && l.includes("default/missing")).length;
    const seen = attempts();
    await waitForRelease(t.releases, "missing", "retried twice more", () => attempts() >= seen + 2);
    const later = await t.releases.get("missing", { namespace: "default" });
    assert.equal(
      later.metadata.resourceVersion,
      failed.metadata.resourceVersion,
      "retries that find the same answer write nothing",
    );
    assert.equal(condition(later, "Resolved")?.lastTransitionTime, c.lastTransitionTime);

    const digest = await pushTestImage(oci, name, "v1");
    const rel = await waitForCondition(t.releases, "missing", "Resolved", "True");
    assert.equal(rel.status?.components?.find((x) => x.name === "api")?.digest, digest);
  });

  it("refuses to change the components of a resolved release, naming the field", async () => {
    await waitForCondition(t.releases, "pinned", "Resolved", "True");
    await assert.rejects(
      t.releases.patch(
        "pinned",
        { spec: { components: [{ name: "web", image: `${REGISTRY}/shop/web:1.5.0` }] } },
        { type: "merge", namespace: "default" },
      ),
      (err: unknown) => {
        assert.ok(isInvalid(err), String(err));
        const e = err as {
          message: string;
          status?: { details?: { causes?: { field?: string; message?: string }[] } };
        };
        assert.match(e.message, /spec\.components/);
        assert.match(e.message, /immutable/);
        return true;
      },
    );
    const ok = await t.releases.patch(
      "pinned",
      { spec: { description: "notes may change" } },
      { type: "merge", namespace: "default" },
    );
    assert.equal(ok.spec.description, "notes may change");
  });
});

describe("release resolution while the registry is down, then up", { skip }, () => {
  const storage = path.join(ESTATE_DIR, "registry", "data");
  let registry: RegistryProcess | undefined;
  after(() => registry?.dispose());

  it("says RegistryUnreachable and keeps retrying, then resolves when the registry is back", async () => {
    assert.ok(
      existsSync(REGISTRY_BIN) && existsSync(storage),
      `${REGISTRY_BIN} and ${storage} come from hack/estate.sh up`,
    );
    registry = await RegistryProcess.create(storage);
    const image = `${registry.host}/shop/web:1.5.0`;
    await t.releases.create(release("down", { web: image }));
    const down = await waitForCondition(t.releases, "down", "Resolved", "False", "RegistryUnreachable");
    assert.equal(down.status?.phase, "Resolving");
    assert.match(
      condition(down, "Resolved")?.message ?? "",
      new RegExp(`component web \\(${image.replace(/[.]/g, "\\.")}\\)`),
    );
    assert.equal(condition(down, "Ready")?.status, "False");
    await registry.start();
    const up = await waitForCondition(t.releases, "down", "Resolved", "True");
    assert.equal(up.status?.components?.[0].digest, (await served(`${REGISTRY}/shop/web:1.5.0`)).digest);
    assert.equal(up.status?.phase, "Resolved");
  });
});
