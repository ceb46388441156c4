// The signature gate through the promotion controller on the local estate: the estate's web and
// worker images copied into fresh repositories of the real registry (same digests), signed in
// cosign's layout (or not, or by another key), then promoted. Signed with the key the release
// names: the gate passes and the release deploys. Unsigned: the promotion waits, saying so. Signed
// by another key: the promotion fails, as the release is bad.
import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { RegistryClient } from "../../controllers/oci/client/index.ts";
import type { ReleaseComponent } from "../../crds/release.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import { containers, dockerTarget, environment, hostPort, page, release, web, worker } from "../deploy/deploy-env.ts";
import { estateSkipReason, REGISTRY } from "../estate/estate-env.ts";
import { signImage } from "../release/sign.ts";
import { uniqueRepository } from "../release/test-image.ts";
import {
  createAs,
  evidenceOf,
  promotion,
  startPromotionEnv,
  waitMessage,
  waitPromotion,
  type PromotionEnv,
} from "./promotion-env.ts";

const skip = await estateSkipReason();
const ENDED = ["Succeeded", "Failed", "Errored", "Rejected", "Aborted", "Superseded"];
const oci = new RegistryClient({ timeoutMs: 10_000 });

/** Copies `image` (a tag of the estate registry) into a fresh repository; its name and digest there. */
async function copyImage(image: string, what: string): Promise<{ name: string; digest: string }> {
  const name = `${REGISTRY}/${uniqueRepository(what)}`;
  const manifest = await oci.getManifest(image);
  const from = image.slice(0, image.lastIndexOf(":"));
  const doc = JSON.parse(manifest.body.toString()) as { config: { digest: string }; layers: { digest: string }[] };
  for (const d of [doc.config.digest, ...doc.layers.map((l) => l.digest)])
    await oci.pushBlob(name, await oci.getBlob(from, d, { maxBytes: 64 << 20 }));
  const digest = await oci.pushManifest(`${name}:1.4.0`, manifest.body, manifest.mediaType);
  assert.equal(digest, manifest.digest, "the copy has the same digest");
  return { name, digest };
}

describe("the signature gate in a promotion", { skip }, () => {
  let pe: PromotionEnv;
  let ns: string;
  const signer = generateKeyPairSync("ed25519");
  const stranger = generateKeyPairSync("ed25519");
  const pem = (k: KeyObject) => k.export({ type: "spki", format: "pem" }).toString();

  /**
   * Release `name` of copies of web and worker, signed by `key` (unsigned when undefined), requiring the signer's key.
   */
  async function signedRelease(name: string, key: KeyObject | undefined): Promise<void> {
    const components: ReleaseComponent[] = [];
    for (const c of [web("1.4.0"), worker()]) {
      const copy = await copyImage(c.image, `${name}-${c.name}`);
      if (key) await signImage(oci, copy.name, copy.digest, key);
      components.push({ ...c, image: `${copy.name}:1.4.0` });
    }
    const r = release(ns, name, components);
    await pe.releases.create({
      ...r,
      spec: { ...r.spec, verification: { publicKeySecretRef: { name: "signing-key" } } },
    });
  }
  const promote = async (rel: string) => {
    await createAs(pe, promotion(ns, `${rel}-to-signed`, { release: rel, environment: "signed" }));
    return `${rel}-to-signed`;
  };

  before(async () => {
    pe = await startPromotionEnv();
    ns = pe.namespace;
    await pe.admin.resource<Secret>(secretKind).create({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Secret",
      metadata: { name: "signing-key", namespace: ns },
      stringData: { "cosign.pub": pem(signer.publicKey) },
    } as Secret);
    await pe.environments.create(
      environment(ns, "signed", { deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "1m" } }),
    );
    await pe.targets.create(dockerTarget(ns, "signed-docker", "signed"));
  });
  after(async () => await pe?.stop());

  it("passes a release signed with its key, records the verdict per digest, and deploys it", async () => {
    await signedRelease("good", signer.privateKey);
    const p = await waitPromotion(pe, await promote("good"), ENDED);
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    const gate = p.status?.gates?.find((g) => g.name === "signature");
    assert.equal(gate?.verdict, "Passed");
    const signatures = gate?.inputs?.signatures as { component: string; digest: string; verified: boolean }[];
    const resolved = (await pe.releases.get("good")).status?.components ?? [];
    assert.deepEqual(
      signatures.map((s) => [s.component, s.digest, s.verified]),
      resolved.map((c) => [c.name, c.digest, true]),
    );
    const unit = (await containers(ns, { environment: "signed" })).find(
      (c) => c.labels["stella.io/component"] === "web",
    )!;
    assert.equal(await page(hostPort(unit)), "1.4.0");
    const packets = await evidenceOf(pe, "good-to-signed");
    const verdict = packets.find(
      (e) => e.spec.type === "GateVerdict" && (e.spec.details as { gate: string }).gate === "signature",
    );
    assert.equal(verdict?.spec.decision.outcome, "Passed");
    assert.deepEqual(
      verdict?.spec.subjects?.map((s) => `sha256:${s.digest.sha256}`).sort(),
      resolved.map((c) => c.digest).sort(),
    );
  });

  it("waits while the release is unsigned, saying so, and deploys nothing", async () => {
    await signedRelease("unsigned", undefined);
    const name = await promote("unsigned");
    const p = await waitMessage(
      pe,
      name,
      /^signature: waiting for release unsigned's signatures to verify \(Unsigned: /,
    );
    assert.equal(p.status?.phase, "Evaluating");
    assert.equal(p.status?.deployment, undefined);
  });

  it("fails a release signed by another key", async () => {
    await signedRelease("forged", stranger.privateKey);
    const p = await waitPromotion(pe, await promote("forged"), ENDED);
    assert.equal(p.status?.phase, "Failed", p.status?.message);
    assert.match(
      p.status?.message ?? "",
      /^gate signature: release forged has an invalid signature \(SignatureInvalid\): /,
    );
    assert.equal(p.status?.deployment, undefined);
  });
});
