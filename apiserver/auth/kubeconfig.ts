// kubeconfig files that both kubectl and stella read: one cluster (server + CA data), one user
// (bearer token), one context joining them, made current. Written 0600, since they hold a token.

import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseDocument, stringify } from "yaml";
import { z } from "zod";
import { PRIVATE_MODE, readDataFile, writeDataFile } from "./data-dir.ts";
import { KubeconfigInvalidError, KubeconfigNotFoundError } from "./errors.ts";

/** What writeKubeconfig puts in the file. */
export interface KubeconfigSpec {
  /** e.g. `https://127.0.0.1:7443`. */
  server: string;
  caCertPem: string;
  token: string;
  /** Name of the user entry, e.g. "admin". */
  user: string;
  /** Name of the context, made current. */
  context: string;
  /** Name of the cluster entry; the context name when absent. */
  cluster?: string;
  /** The context's default namespace; none (kubectl then uses "default") when absent. */
  namespace?: string;
}

/** How to reach the server, as read from a kubeconfig's (current) context. */
export interface KubeconfigTarget {
  context: string;
  server: string;
  /** From certificate-authority-data or the certificate-authority file; absent when neither is set. */
  caCertPem?: string;
  /** From token or tokenFile; absent when neither is set. */
  token?: string;
  /** The context's namespace, or "default". */
  namespace: string;
  insecureSkipTlsVerify: boolean;
}

/** Writes a kubeconfig for `spec` to `path` atomically with mode 0600, replacing any file there. */
export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<void> {
  const cluster = spec.cluster ?? spec.context;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: cluster,
        cluster: { server: spec.server, "certificate-authority-data": Buffer.from(spec.caCertPem).toString("base64") },
      },
    ],
    users: [{ name: spec.user, user: { token: spec.token } }],
    contexts: [
      {
        name: spec.context,
        context: { cluster, user: spec.user, ...(spec.namespace ? { namespace: spec.namespace } : {}) },
      },
    ],
    "current-context": spec.context,
    preferences: {},
  };
  await writeDataFile(path, stringify(config), PRIVATE_MODE);
}

const clusterSchema = z.object({
  server: z.string().min(1),
  "certificate-authority-data": z.string().optional(),
  "certificate-authority": z.string().optional(),
  "insecure-skip-tls-verify": z.boolean().optional(),
});
const userSchema = z.object({ token: z.string().optional(), tokenFile: z.string().optional() }).nullish();
const contextSchema = z.object({ cluster: z.string(), user: z.string().optional(), namespace: z.string().optional() });

// Only the fields Stella uses are checked; kubectl's others (exec, auth-provider, extensions) pass.
const kubeconfigSchema = z.object({
  "current-context": z.string().nullish(),
  clusters: z.array(z.object({ name: z.string(), cluster: clusterSchema })).nullish(),
  users: z.array(z.object({ name: z.string(), user: userSchema })).nullish(),
  contexts: z.array(z.object({ name: z.string(), context: contextSchema })).nullish(),
});

/**
 * Reads the kubeconfig at `path` and resolves `context` (the current context when absent) to its
 * server, CA, token and namespace. Throws KubeconfigNotFoundError when the file is absent and
 * KubeconfigInvalidError, naming the field, when it is not YAML or a reference does not resolve.
 */
export async function readKubeconfig(path: string, context?: string): Promise<KubeconfigTarget> {
  const text = await readDataFile(path);
  if (text === undefined) throw new KubeconfigNotFoundError(path);
  const invalid = (field: string, problem: string) => new KubeconfigInvalidError(path, field, problem);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw invalid("", `not YAML: ${doc.errors[0].message.split("\n")[0]}`);
  const parsed = kubeconfigSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i > 0 ? "." : ""}${String(k)}`)).join("");
    throw invalid(field, issue.message);
  }
  const config = parsed.data;
  const contextName = context ?? config["current-context"];
  if (!contextName) throw invalid("current-context", "is not set");
  const ctx = config.contexts?.find((c) => c.name === contextName)?.context;
  if (!ctx) throw invalid(context ? "contexts" : "current-context", `no context named "${contextName}"`);
  const at = `contexts[name="${contextName}"].context`;
  const cluster = config.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster) throw invalid(`${at}.cluster`, `no cluster named "${ctx.cluster}"`);
  const user = ctx.user === undefined ? undefined : config.users?.find((u) => u.name === ctx.user);
  if (ctx.user !== undefined && !user) throw invalid(`${at}.user`, `no user named "${ctx.user}"`);

  const readBeside = async (field: string, file: string) => {
    try {
      return await readFile(resolve(dirname(path), file), "utf8");
    } catch {
      throw invalid(field, `cannot read ${file}`);
    }
  };
  const caData = cluster["certificate-authority-data"];
  const caFile = cluster["certificate-authority"];
  const caCertPem = caData !== undefined
    ? Buffer.from(caData, "base64").toString("utf8")
    : caFile && (await readBeside(`clusters[name="${ctx.cluster}"].cluster.certificate-authority`, caFile));
  const tokenFile = user?.user?.tokenFile;
  const token = user?.user?.token ?? (tokenFile && (await readBeside(`users[name="${ctx.user}"].user.tokenFile`, tokenFile)).trim());
  return {
    context: contextName,
    server: cluster.server,
    ...(caCertPem ? { caCertPem } : {}),
    ...(token ? { token } : {}),
    namespace: ctx.namespace ?? "default",
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] ?? false,
  };
}
