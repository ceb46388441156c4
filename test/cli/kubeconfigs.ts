// Variants of a test server's admin kubeconfig: another server URL, another token, broken files.
import { readFile, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";

const dir = mkdtemp(join(tmpdir(), "stella-kubeconfigs-"));

/** Writes `text` to a fresh file and returns its path. */
export async function writeKubeconfig(name: string, text: string): Promise<string> {
  const path = join(await dir, name);
  await writeFile(path, text);
  return path;
}

/** A copy of the kubeconfig at `path` with `change` applied to its parsed document. */
export async function editedKubeconfig(
  path: string,
  name: string,
  change: (doc: ReturnType<typeof parseDocument>) => void,
): Promise<string> {
  const doc = parseDocument(await readFile(path, "utf8"));
  change(doc);
  return writeKubeconfig(name, doc.toString());
}

/** A copy pointing at another server URL. */
export const withServer = (path: string, name: string, server: string) =>
  editedKubeconfig(path, name, (d) => d.setIn(["clusters", 0, "cluster", "server"], server));

/** A copy with another bearer token. */
export const withToken = (path: string, name: string, token: string) =>
  editedKubeconfig(path, name, (d) => d.setIn(["users", 0, "user", "token"], token));
