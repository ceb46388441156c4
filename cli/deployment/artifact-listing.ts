// Which of a deployment's generated artifacts `stella deployment artifacts` prints, and how: the
// selection by target and component, the header line before each, and the check that fetched
// content still hashes to the digest the deployment recorded.
import { artifactDigest } from "../../crds/artifact.ts";
import type { Deployment, GeneratedArtifact } from "../../crds/deployment.ts";
import { phaseOf } from "./controls.ts";
import { ArtifactDigestMismatchError, NoArtifactsError } from "./errors.ts";

/** Narrows the listing; absent fields select everything. */
export interface ArtifactSelection {
  target?: string;
  component?: string;
}

/** `docker-1/web`, or just the target (a compose file covers every component), or `-`. */
export const placeOf = (a: GeneratedArtifact): string =>
  [a.target, a.component].filter((p) => p !== undefined).join("/") || "-";

/** `# container-spec docker-1/web sha256:<hex>`: the line before each artifact when several are printed. */
export const headerLine = (a: GeneratedArtifact): string => `# ${a.type} ${placeOf(a)} ${a.digest}`;

/** The artifacts of `d` that match `sel`, in status order; throws NoArtifactsError naming what exists when none do. */
export function selectArtifacts(d: Deployment, sel: ArtifactSelection): GeneratedArtifact[] {
  const name = d.metadata.name ?? "";
  const all = d.status?.artifacts ?? [];
  if (all.length === 0)
    throw new NoArtifactsError(name, `deployment ${name} has no artifacts yet (phase ${phaseOf(d)})`);
  const picked = all.filter(
    (a) =>
      (sel.target === undefined || a.target === sel.target) &&
      (sel.component === undefined || a.component === sel.component),
  );
  if (picked.length > 0) return picked;
  const known = (values: (string | undefined)[]) =>
    [...new Set(values.filter((v) => v !== undefined))].sort().join(", ") || "none";
  const asked = [
    sel.target !== undefined ? `--target ${sel.target}` : "",
    sel.component !== undefined ? `--component ${sel.component}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  throw new NoArtifactsError(
    name,
    `no artifact of deployment ${name} matches ${asked} (targets: ${known(all.map((a) => a.target))}; components: ${known(all.map((a) => a.component))})`,
  );
}

/** Throws ArtifactDigestMismatchError unless `content` hashes to `expected` (`sha256:<hex>`). */
export function verifyContent(artifact: string, expected: string, content: string): void {
  const actual = artifactDigest(content);
  if (actual !== expected) throw new ArtifactDigestMismatchError(artifact, expected, actual);
}

/**
 * The text printed for the selected artifacts: the content alone when there is one; otherwise a
 * header line before each content, and a newline after content that lacks a final one so the
 * next header starts a line.
 */
export function renderContents(items: readonly { entry: GeneratedArtifact; content: string }[]): string {
  if (items.length === 1) return items[0].content;
  return items
    .map(
      ({ entry, content }) => `${headerLine(entry)}\n${content}${content.endsWith("\n") || content === "" ? "" : "\n"}`,
    )
    .join("");
}
