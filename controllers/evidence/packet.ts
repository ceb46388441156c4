// Evidence packets as controllers write them. A controller states what it decided and on what;
// the apiserver seals the packet (in-toto Statement, DSSE, Ed25519, chained per namespace). The
// packet's name is derived from the decision, so a controller that crashed after writing one and
// decides again finds it (AlreadyExists) instead of recording the decision twice.
import { isAlreadyExists } from "../../crds/errors.ts";
import { evidencePacketKind, type EvidencePacket, type EvidencePacketSpec } from "../../crds/evidence-packet.ts";
import { parseImageReference } from "../../crds/image.ts";
import type { Release } from "../../crds/release.ts";
import type { Client } from "../../sdk/client.ts";

/** The in-toto subjects of a release: each component's repository and digest. */
export function releaseSubjects(release: Release): NonNullable<EvidencePacketSpec["subjects"]> {
  return (release.status?.components ?? []).map((c) => ({
    name: parseImageReference(c.imageRef)?.repository ?? c.image,
    digest: { sha256: c.digest.replace(/^sha256:/, "") },
  }));
}

/** A packet name from its parts: lowercase, DNS-safe, at most 253 characters. */
export function packetName(...parts: (string | number)[]): string {
  const name = parts
    .map((p) =>
      String(p)
        .toLowerCase()
        .replace(/[^a-z0-9.-]+/g, "-"),
    )
    .join("-")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
  return name.slice(0, 253).replace(/[^a-z0-9]+$/, "");
}

/** Creates the packet named `name` unless it exists; resolves with its name either way. */
export async function recordEvidence(
  client: Client,
  namespace: string,
  name: string,
  spec: EvidencePacketSpec,
  labels: Record<string, string> = {},
): Promise<string> {
  const packet: EvidencePacket = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "EvidencePacket",
    metadata: { name, namespace, labels },
    spec,
  };
  try {
    await client.resource<EvidencePacket>(evidencePacketKind).create(packet);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  return name;
}
