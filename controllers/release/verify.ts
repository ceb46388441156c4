// Signature verification of a resolved release: the public key from the Secret that
// spec.verification names, the plugin it names (cosign by default), one verdict per component
// digest. The plugin gets read access to the component's repository only, with the release's pull
// credentials bound in; it never sees them, nor the Secret.
import { isForbidden, isNotFound } from "../../crds/errors.ts";
import type { ComponentSignature, ReleaseSpec, ResolvedComponent } from "../../crds/release.ts";
import type { Secret } from "../../crds/secret.ts";
import type { RegistryReader, SignatureVerifier } from "../../sdk/plugins/signature-verifier.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import { componentFailure } from "./failures.ts";
import { ManifestNotFound, parseReference } from "../oci/index.ts";
import type { PullCredentials, Credentials, RegistryClient } from "../oci/index.ts";

/** The plugin used when spec.verification names none. */
export const DEFAULT_VERIFIER = "cosign";
/** The Secret key holding the public key when publicKeySecretRef names none (cosign's convention). */
export const DEFAULT_PUBLIC_KEY = "cosign.pub";

/** Condition reasons of Verified=False besides the verifiers' own. */
export const VerifyReasons = {
  KeyMissing: "KeyMissing",
  PluginNotFound: "PluginNotFound",
  WaitingForResolution: "WaitingForResolution",
} as const;

/** Why Verified is not True. */
export interface VerifyProblem {
  reason: string;
  message: string;
  /** A retry soon may help (registry unreachable); else retry slowly. */
  transient: boolean;
}

/** The verdicts, and the problem when not every component verified. */
export interface Verification {
  signatures: ComponentSignature[];
  problem?: VerifyProblem;
}

/** What verification needs. */
export interface VerifyDeps {
  registry: RegistryClient;
  verifiers: ReadonlyMap<string, SignatureVerifier>;
  secrets: Pick<ResourceClient<Secret>, "get">;
  pullCredentials(): Promise<PullCredentials>;
  now: string;
}

/** Verifies every component digest of a resolved release against the key `policy` names. */
export async function verifyComponents(
  namespace: string,
  policy: NonNullable<ReleaseSpec["verification"]>,
  components: readonly ResolvedComponent[],
  deps: VerifyDeps,
): Promise<Verification> {
  const plugin = policy.plugin ?? DEFAULT_VERIFIER;
  const verifier = deps.verifiers.get(plugin);
  if (!verifier) {
    const known = [...deps.verifiers.keys()].join(", ") || "none";
    return {
      signatures: [],
      problem: {
        reason: VerifyReasons.PluginNotFound,
        message: `no signature verifier named ${plugin} (available: ${known})`,
        transient: false,
      },
    };
  }
  const key = await publicKey(namespace, policy.publicKeySecretRef, deps.secrets);
  if ("problem" in key)
    return { signatures: [], problem: { reason: VerifyReasons.KeyMissing, message: key.problem, transient: false } };
  const pulls = await deps.pullCredentials();

  const outcomes = await Promise.all(
    components.map(async (c) => {
      const where = parseReference(c.imageRef);
      const login = pulls.for(where.registry);
      try {
        const registry = repositoryReader(deps.registry, where.name, login?.credentials);
        const v = await verifier.verify({ repository: where.name, digest: c.digest, publicKeyPem: key.pem, registry });
        const signature: ComponentSignature = {
          name: c.name,
          digest: c.digest,
          verified: v.verified,
          reason: v.reason,
          message: v.message,
          ...(v.keyId ? { keyId: v.keyId } : {}),
          verifiedAt: deps.now,
        };
        return {
          signature,
          problem: v.verified
            ? undefined
            : { reason: v.reason, message: `component ${c.name} (${c.imageRef}): ${v.message}`, transient: false },
        };
      } catch (err) {
        const f = componentFailure(c.name, c.imageRef, err, login, pulls);
        return { signature: undefined, problem: { reason: f.reason, message: f.message, transient: f.transient } };
      }
    }),
  );
  const signatures = outcomes.flatMap((o) => (o.signature ? [o.signature] : []));
  const problems = outcomes.flatMap((o) => (o.problem ? [o.problem] : []));
  if (problems.length === 0) return { signatures };
  const problem = {
    reason: problems[0].reason,
    message: problems.map((p) => p.message).join("; "),
    transient: problems.some((p) => p.transient),
  };
  return { signatures, problem };
}

async function publicKey(
  namespace: string,
  ref: { name: string; key?: string },
  secrets: VerifyDeps["secrets"],
): Promise<{ pem: string } | { problem: string }> {
  const key = ref.key ?? DEFAULT_PUBLIC_KEY;
  const where = `spec.verification.publicKeySecretRef`;
  let secret: Secret;
  try {
    secret = await secrets.get(ref.name, { namespace });
  } catch (err) {
    if (isNotFound(err)) return { problem: `Secret ${ref.name} (${where}) not found` };
    if (isForbidden(err)) return { problem: `Secret ${ref.name} (${where}) may not be read by the release controller` };
    throw err;
  }
  const b64 = secret.data?.[key];
  if (b64 === undefined) return { problem: `Secret ${ref.name} (${where}) has no key ${key}` };
  return { pem: Buffer.from(b64, "base64").toString("utf8") };
}

// Read access to one repository, as the plugin contract gives it.
function repositoryReader(registry: RegistryClient, name: string, credentials?: Credentials): RegistryReader {
  return {
    async manifest(reference) {
      const image = reference.startsWith("sha256:") ? `${name}@${reference}` : `${name}:${reference}`;
      try {
        return await registry.getManifest(image, { credentials });
      } catch (err) {
        if (err instanceof ManifestNotFound) return undefined;
        throw err;
      }
    },
    blob: (digest) => registry.getBlob(name, digest, { credentials }),
  };
}
