// kubeconfig files that both kubectl and stella read: one cluster (server + CA data), one user
// (bearer token), one context joining them, made current. Written 0600, since they hold a token.
// The server only writes them; reading kubeconfigs is the client's job (sdk/kubeconfig.ts).

import { stringify } from "yaml";
import { PRIVATE_MODE, writeDataFile } from "./data-dir.ts";

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
