// How to reach one server: what a kubeconfig context resolves to (server, trust, credentials,
// namespace), or what a program states directly.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { KubeconfigInvalidError } from "./errors.ts";
import { loadKubeconfig, type Kubeconfig, type KubeconfigSource } from "./kubeconfig.ts";

/** Everything the transport needs to talk to one apiserver. */
export interface ClientConfig {
  /** Base URL, e.g. `https://127.0.0.1:7443`. */
  server: string;
  /** PEM of the CA that signed the server's certificate; the system roots when absent. */
  caCertPem?: string;
  insecureSkipTlsVerify?: boolean;
  /** Name to verify the server certificate against, when it differs from the URL's host. */
  tlsServerName?: string;
  /** Bearer token. */
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  /** The default namespace for namespaced calls that name none ("default" when unset). */
  namespace?: string;
  /** The kubeconfig context this came from, if any. */
  context?: string;
}

/** Overrides applied on top of a kubeconfig, as kubectl's --context and --namespace. */
export interface ContextOverrides {
  context?: string;
  namespace?: string;
}

/**
 * Resolves a context of a merged kubeconfig (the current one unless `overrides.context`) to a
 * ClientConfig, reading CA, certificate and token files relative to the file that names them.
 * Throws KubeconfigInvalidError naming the file and field when something does not resolve.
 */
export async function resolveContext(config: Kubeconfig, overrides: ContextOverrides = {}): Promise<ClientConfig> {
  const all = config.files.join(", ");
  const name = overrides.context ?? config.currentContext?.value;
  if (!name) throw new KubeconfigInvalidError(all, "current-context", "is not set (pass a context)");
  const ctx = config.contexts.get(name);
  if (!ctx) {
    const where = overrides.context ? all : config.currentContext!.source;
    throw new KubeconfigInvalidError(
      where,
      overrides.context ? "contexts" : "current-context",
      `no context named "${name}"`,
    );
  }
  const at = `contexts[name="${name}"].context`;
  const cluster = config.clusters.get(ctx.value.cluster);
  if (!cluster)
    throw new KubeconfigInvalidError(ctx.source, `${at}.cluster`, `no cluster named "${ctx.value.cluster}"`);
  const userName = ctx.value.user;
  const user = userName === undefined ? undefined : config.users.get(userName);
  if (userName !== undefined && !user)
    throw new KubeconfigInvalidError(ctx.source, `${at}.user`, `no user named "${userName}"`);

  const c = cluster.value;
  const clusterAt = `clusters[name="${ctx.value.cluster}"].cluster`;
  const userAt = `users[name="${userName}"].user`;
  const material = (source: string, field: string, data: string | undefined, file: string | undefined) =>
    data !== undefined
      ? decodeBase64(source, field + "-data", data)
      : file !== undefined
        ? readBeside(source, field, file)
        : undefined;
  const u = user?.value ?? {};
  const tokenFile =
    u.tokenFile === undefined ? undefined : (await readBeside(user!.source, `${userAt}.tokenFile`, u.tokenFile)).trim();
  const out: ClientConfig = {
    server: c.server.replace(/\/+$/, ""),
    caCertPem: await material(
      cluster.source,
      `${clusterAt}.certificate-authority`,
      c["certificate-authority-data"],
      c["certificate-authority"],
    ),
    insecureSkipTlsVerify: c["insecure-skip-tls-verify"] ?? false,
    tlsServerName: c["tls-server-name"],
    // As client-go: a token file, when readable, takes precedence over an inline token.
    token: tokenFile || u.token || undefined,
    clientCertPem:
      user &&
      (await material(
        user.source,
        `${userAt}.client-certificate`,
        u["client-certificate-data"],
        u["client-certificate"],
      )),
    clientKeyPem: user && (await material(user.source, `${userAt}.client-key`, u["client-key-data"], u["client-key"])),
    namespace: overrides.namespace ?? ctx.value.namespace ?? "default",
    context: name,
  };
  for (const k of Object.keys(out) as (keyof ClientConfig)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** Loads the kubeconfig files of `src` and resolves a context, as kubectl does on every call. */
export async function loadClientConfig(src: KubeconfigSource & ContextOverrides = {}): Promise<ClientConfig> {
  return resolveContext(await loadKubeconfig(src), src);
}

async function readBeside(source: string, field: string, file: string): Promise<string> {
  try {
    return await readFile(resolve(dirname(source), file), "utf8");
  } catch (err) {
    throw new KubeconfigInvalidError(
      source,
      field,
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
}

function decodeBase64(source: string, field: string, data: string): string {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(data)) throw new KubeconfigInvalidError(source, field, "is not base64");
  return Buffer.from(data, "base64").toString("utf8");
}
