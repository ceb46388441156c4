// What a deployment generated, stored content-addressed: an Artifact named after the sha256 of its
// bytes, created once (the same bytes from another deployment are the same object), and listed in
// the deployment's status by digest so `stella deployment artifacts` can print them exactly.
import {
  ARTIFACT_TYPES,
  artifactDigest,
  artifactFor,
  artifactKind,
  contentSize,
  type Artifact,
  type ArtifactType,
} from "../../crds/artifact.ts";
import type { GeneratedArtifact } from "../../crds/deployment.ts";
import { isAlreadyExists } from "../../crds/errors.ts";
import type { Client } from "../../sdk/client.ts";
import { DriverError, DriverReasons, type RenderedArtifact } from "../../sdk/plugins/driver.ts";

/** Stores rendered artifacts; returns their status entries. */
export async function storeArtifacts(
  client: Client,
  namespace: string,
  target: string,
  rendered: readonly RenderedArtifact[],
): Promise<GeneratedArtifact[]> {
  const artifacts = client.resource<Artifact>(artifactKind);
  const out: GeneratedArtifact[] = [];
  for (const a of rendered) {
    if (!(ARTIFACT_TYPES as readonly string[]).includes(a.type))
      throw new DriverError(DriverReasons.ApplyFailed, `driver rendered an artifact of unknown type ${a.type}`, false);
    try {
      await artifacts.create(
        artifactFor(namespace, { type: a.type as ArtifactType, mediaType: a.mediaType, content: a.content }),
      );
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    out.push({
      target,
      ...(a.component ? { component: a.component } : {}),
      type: a.type,
      digest: artifactDigest(a.content),
      mediaType: a.mediaType,
      size: contentSize(a.content),
    });
  }
  return out;
}
