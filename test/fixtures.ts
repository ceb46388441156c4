// Manifests for tests: the operator-facing examples in ../shared/examples, and small builders.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

/** The shared examples folder (a sibling of the repository). */
export const EXAMPLES_DIR = fileURLToPath(new URL("../../shared/examples/", import.meta.url));

/** A manifest object as plain JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = { apiVersion: string; kind: string; metadata: Record<string, any>; [k: string]: any };

/** Every document of one example file. */
export function loadExample(file: string): Manifest[] {
  const text = readFileSync(EXAMPLES_DIR + file, "utf8");
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest)
    .filter((d) => d);
}

/** The names of the example files (top level, not bad/). */
export const exampleFiles = (): string[] => readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".yaml"));

/** A minimal valid Environment in a namespace. */
export function environment(name: string, namespace = "default", labels: Record<string, string> = {}): Manifest {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name, namespace, labels },
    spec: { displayName: name, targetSelector: { matchLabels: { "stella.io/environment": name } } },
  };
}

/** The collection URL of a Stella resource. */
export const collection = (plural: string, namespace = "default") =>
  `/apis/release.stella.io/v1alpha1/namespaces/${namespace}/${plural}`;
