// kubeconfig files, loaded and merged as kubectl does: an explicit path, else every file of the
// ':'-separated KUBECONFIG list (the first file to define a name or current-context wins), else
// ~/.kube/config. Only the fields Stella uses are checked; the rest (exec, extensions) pass.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { KubeconfigInvalidError, KubeconfigNotFoundError } from "./errors.ts";

const clusterSchema = z.looseObject({
  server: z.string().min(1, "must not be empty"),
  "certificate-authority": z.string().optional(),
  "certificate-authority-data": z.string().optional(),
  "insecure-skip-tls-verify": z.boolean().optional(),
  "tls-server-name": z.string().optional(),
});
const userSchema = z.looseObject({
  token: z.string().optional(),
  tokenFile: z.string().optional(),
  "client-certificate": z.string().optional(),
  "client-certificate-data": z.string().optional(),
  "client-key": z.string().optional(),
  "client-key-data": z.string().optional(),
});
const contextSchema = z.looseObject({
  cluster: z.string().min(1, "must not be empty"),
  user: z.string().optional(),
  namespace: z.string().optional(),
});
const name = z.string().min(1, "must not be empty");
const fileSchema = z.looseObject({
  "current-context": z.string().nullish(),
  clusters: z.array(z.looseObject({ name, cluster: clusterSchema })).nullish(),
  users: z.array(z.looseObject({ name, user: userSchema.nullish() })).nullish(),
  contexts: z.array(z.looseObject({ name, context: contextSchema })).nullish(),
});

/** A cluster entry: where the server is and how to trust it. */
export type KubeconfigCluster = z.infer<typeof clusterSchema>;
/** A user entry: the credentials. */
export type KubeconfigUser = z.infer<typeof userSchema>;
/** A context entry: a cluster, a user and a default namespace. */
export type KubeconfigContext = z.infer<typeof contextSchema>;

/** An entry together with the file that defined it (relative paths inside resolve against it). */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** Several kubeconfig files merged into one view. */
export interface Kubeconfig {
  /** The files read, in precedence order (missing files of a KUBECONFIG list are left out). */
  files: string[];
  currentContext?: Sourced<string>;
  clusters: Map<string, Sourced<KubeconfigCluster>>;
  users: Map<string, Sourced<KubeconfigUser>>;
  contexts: Map<string, Sourced<KubeconfigContext>>;
}

/** Where to look for kubeconfig files. */
export interface KubeconfigSource {
  /** An explicit file (kubectl's --kubeconfig); it must exist. */
  path?: string;
  /** The environment to read KUBECONFIG from; process.env by default. */
  env?: Record<string, string | undefined>;
  /** The home directory for the ~/.kube/config default; os.homedir() by default. */
  home?: string;
}

/** The files kubectl would read, in precedence order, and whether a missing one is an error. */
export function kubeconfigPaths(src: KubeconfigSource = {}): { paths: string[]; mustExist: boolean } {
  if (src.path) return { paths: [resolve(src.path)], mustExist: true };
  const list = (src.env ?? process.env).KUBECONFIG;
  if (list) {
    const paths = [
      ...new Set(
        list
          .split(delimiter)
          .filter((p) => p.length > 0)
          .map((p) => resolve(p)),
      ),
    ];
    if (paths.length > 0) return { paths, mustExist: false };
  }
  return { paths: [join(src.home ?? homedir(), ".kube", "config")], mustExist: false };
}

/**
 * Reads and merges the kubeconfig files of `src`. Throws KubeconfigNotFoundError when an explicit
 * file is missing, or when none of the candidate files exists; KubeconfigInvalidError naming the
 * file and field when a file is not YAML or has a field of the wrong shape.
 */
export async function loadKubeconfig(src: KubeconfigSource = {}): Promise<Kubeconfig> {
  const { paths, mustExist } = kubeconfigPaths(src);
  const merged: Kubeconfig = { files: [], clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const path of paths) {
    const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return undefined;
      throw new KubeconfigInvalidError(path, "", `cannot read: ${err.code ?? err.message}`);
    });
    if (text === undefined) {
      if (mustExist) throw new KubeconfigNotFoundError(path);
      continue;
    }
    merged.files.push(path);
    mergeFile(merged, path, parseFile(path, text));
  }
  if (merged.files.length === 0) throw new KubeconfigNotFoundError(paths.join(delimiter));
  return merged;
}

function parseFile(path: string, text: string): z.infer<typeof fileSchema> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new KubeconfigInvalidError(path, "", `not YAML: ${doc.errors[0].message.split("\n")[0]}`);
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KubeconfigInvalidError(path, fieldPath(issue.path), issue.message);
  }
  return parsed.data;
}

/** `clusters[0].cluster.server` from zod's path. */
const fieldPath = (path: PropertyKey[]) =>
  path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i > 0 ? "." : ""}${String(k)}`)).join("");

function mergeFile(into: Kubeconfig, source: string, file: z.infer<typeof fileSchema>): void {
  const current = file["current-context"];
  if (current && !into.currentContext) into.currentContext = { value: current, source };
  const add = <T>(map: Map<string, Sourced<T>>, name: string, value: T) => {
    if (!map.has(name)) map.set(name, { value, source });
  };
  for (const c of file.clusters ?? []) add(into.clusters, c.name, c.cluster);
  for (const u of file.users ?? []) add(into.users, u.name, u.user ?? {});
  for (const c of file.contexts ?? []) add(into.contexts, c.name, c.context);
}
