// `stella deployment artifacts DEPLOYMENT`: prints exactly what a deployment generated (container
// specs, compose files, ...). Each artifact is fetched by its digest and re-hashed before anything
// is printed, so the output is either every selected artifact byte for byte or nothing and an error.
import { artifactKind, artifactNameOf, type Artifact } from "../../crds/artifact.ts";
import { deploymentKind, type Deployment, type GeneratedArtifact } from "../../crds/deployment.ts";
import { isNotFound } from "../../crds/errors.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { renderContents, selectArtifacts, verifyContent } from "../deployment/artifact-listing.ts";
import { ArtifactDigestMismatchError, ArtifactMissingError } from "../deployment/errors.ts";
import { errorMessage } from "../error-message.ts";
import { objectName, toJson } from "../output/objects.ts";
import { reportError } from "../output/report.ts";
import { objectNameArg } from "../resource-args.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  target: { type: "string" },
  component: { type: "string" },
  output: { type: "string", short: "o" },
} as const;

/** One selected artifact and its verified content. */
interface Fetched {
  entry: GeneratedArtifact;
  name: string;
  content: string;
}

/** Fetches and verifies one artifact; the error says which artifact and why. */
async function fetchVerified(
  artifacts: ResourceClient<Artifact>,
  namespace: string,
  deployment: string,
  entry: GeneratedArtifact,
): Promise<Fetched> {
  // The Deployment schema admits only sha256 digests, so the name always exists.
  const name = artifactNameOf(entry.digest) ?? entry.digest;
  let stored: Artifact;
  try {
    stored = await artifacts.get(name, { namespace });
  } catch (err) {
    if (isNotFound(err)) throw new ArtifactMissingError(name, deployment);
    throw err;
  }
  verifyContent(name, entry.digest, stored.spec.content);
  return { entry, name, content: stored.spec.content };
}

/** `stella deployment artifacts`. */
export const deploymentArtifactsCommand: Command = {
  name: "artifacts",
  summary: "Print exactly what a deployment generated (container specs, compose files)",
  options,
  help: `Print the artifacts a deployment generated, exactly as the drivers used them: a container spec
per component (the Engine API create body, with Secret values replaced by references) or one
compose file per target. Each is stored content-addressed (kind Artifact, named sha256-<hex>);
its sha256 is checked against the digest in the deployment's status before anything is printed.
A missing or altered artifact is an error (exit 1) and nothing is printed.

When one artifact is selected, its content alone is printed, byte for byte. When several are,
each is preceded by a header line "# <type> <target>/<component> sha256:<hex>" (a newline is
added after content that lacks a final one, so the next header starts a line).

Usage: stella deployment artifacts DEPLOYMENT [--target T] [--component C] [-o name|json] [-n NS]

Flags:
  --target T       only the artifacts generated for target T
  --component C    only the artifacts of component C
  -o name          the Artifact objects' names (artifact.release.stella.io/sha256-...), one a line
  -o json          a JSON list of {target, component, type, digest, mediaType, size, content}

${CONNECTION_HELP}

Examples:
  stella deployment artifacts shop-1-4-0-dev -n shop
  stella deployment artifacts shop-1-4-0-dev -n shop --target docker-1 --component web > web.json
  stella deployment artifacts shop-1-4-0-staging -n shop -o json`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    if (positionals.length !== 1) throw new UsageError("give exactly one deployment name");
    const name = objectNameArg(positionals[0], deploymentKind);
    const output = values.output ?? "content";
    if (!["content", "name", "json"].includes(output)) throw new UsageError(`-o must be name or json, not "${output}"`);
    const session = await Session.open(values);
    try {
      const namespace = session.namespace;
      const deployment = await session.client.resource<Deployment>(deploymentKind).get(name, { namespace });
      const selected = selectArtifacts(deployment, { target: values.target, component: values.component });
      const artifacts = session.client.resource<Artifact>(artifactKind);
      const fetched: Fetched[] = [];
      let failed = 0;
      for (const entry of selected) {
        try {
          fetched.push(await fetchVerified(artifacts, namespace, name, entry));
        } catch (err) {
          if (!(err instanceof ArtifactMissingError || err instanceof ArtifactDigestMismatchError)) throw err;
          failed++;
          reportError("deployment", errorMessage(err));
        }
      }
      if (failed > 0) {
        reportError("deployment", `${failed} of ${selected.length} artifacts could not be verified; nothing printed`);
        return EXIT.failure;
      }
      if (output === "name")
        process.stdout.write(
          [...new Set(fetched.map((f) => objectName(artifactKind, f.name)))].map((l) => l + "\n").join(""),
        );
      else if (output === "json")
        process.stdout.write(toJson(fetched.map(({ entry, content }) => ({ ...entry, content }))));
      else process.stdout.write(renderContents(fetched));
      return EXIT.ok;
    } finally {
      session.close();
    }
  },
};
