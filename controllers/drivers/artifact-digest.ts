// The digest of a rendered artifact: what units are labelled with (UnitLabels.artifact) and what
// names the stored Artifact (`sha256-<hex>`).
import { createHash } from "node:crypto";
import type { RenderedArtifact } from "../../sdk/plugins/driver.ts";

/** `sha256:<64 hex>` of the artifact's content as UTF-8 bytes. */
export function artifactDigest(artifact: Pick<RenderedArtifact, "content">): string {
  return `sha256:${createHash("sha256").update(artifact.content, "utf8").digest("hex")}`;
}
