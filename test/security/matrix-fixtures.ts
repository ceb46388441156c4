// One valid object of every served kind, for the role matrix: from ../shared/examples where there
// is one, built here otherwise. Each call gives a fresh object with the name and labels asked for.
import { contentHex } from "../../crds/artifact.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { apiVersionOf } from "../../crds/scheme.ts";
import { loadExample, type Manifest } from "../fixtures.ts";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** The first example of `kind` in `file`. */
function example(file: string, kind: string): Manifest {
  const found = loadExample(file).find((d) => d.kind === kind);
  if (!found) throw new Error(`no ${kind} in ${file}`);
  return found;
}

const EXAMPLES: Record<string, [file: string, kind: string]> = {
  environments: ["estate.yaml", "Environment"],
  targets: ["estate.yaml", "Target"],
  agents: ["agent.yaml", "Agent"],
  releases: ["release.yaml", "Release"],
  promotions: ["promote.yaml", "Promotion"],
  deployments: ["deploy.yaml", "Deployment"],
  canaries: ["canary.yaml", "Canary"],
};

/**
 * The body of a new object of `info` (an Artifact's name is its content's digest, so `name` only seeds the content).
 */
export function objectOf(info: KindInfo, name: string, labels: Record<string, string>, secretValue: string): Manifest {
  const head = { apiVersion: apiVersionOf(info), kind: info.kind };
  const metadata: Record<string, unknown> = { name, labels, ...(info.namespaced ? { namespace: "default" } : {}) };
  const ex = EXAMPLES[info.plural];
  if (ex) {
    const { metadata: _m, status: _s, ...rest } = example(...ex);
    return { ...rest, ...head, metadata };
  }
  switch (info.plural) {
    case "evidencepackets":
      return {
        ...head,
        metadata,
        spec: { type: "Approval", subject: { kind: "Promotion", name: "p" }, decision: { outcome: "Approved" } },
      };
    case "artifacts": {
      const content = `{"seed":"${name}"}`;
      return {
        ...head,
        metadata: { ...metadata, name: `sha256-${contentHex(content)}` },
        spec: { type: "container-spec", mediaType: "application/json", content, size: content.length },
      };
    }
    case "agentworks":
      return {
        ...head,
        metadata,
        spec: {
          agent: "some-agent",
          target: "some-target",
          operation: "Run",
          scope: { namespace: "shop", environment: "prod", slot: "blue" },
          units: [],
        },
      };
    case "leases":
      return { ...head, metadata, spec: { holderIdentity: "someone", leaseDurationSeconds: 15 } };
    case "rolebindings":
      return { ...head, metadata, spec: { role: "viewer", subjects: [{ kind: "User", name: "nobody" }] } };
    case "namespaces":
      return { ...head, metadata };
    case "events": {
      const regarding = {
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Release",
        name: "shop-1-4-0",
        namespace: "default",
      };
      if (info.group === "")
        return { ...head, metadata, involvedObject: regarding, reason: "Resolved", message: "m", type: "Normal" };
      const reporting = { reportingController: "release-controller", reportingInstance: "stella" };
      return {
        ...head,
        metadata,
        regarding,
        reason: "Resolved",
        note: "m",
        type: "Normal",
        action: "Resolve",
        ...reporting,
        eventTime: "2026-12-06T00:00:00.000000Z",
      };
    }
    case "secrets": {
      // As client-side apply writes it: the value in stringData and again in the last-applied annotation.
      const manifest = { ...head, metadata, stringData: { password: secretValue } };
      return { ...manifest, metadata: { ...metadata, annotations: { [LAST_APPLIED]: JSON.stringify(manifest) } } };
    }
  }
  throw new Error(`no fixture for ${info.plural}`);
}
