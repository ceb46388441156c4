// The connection flags every server-facing command shares (kubectl's --kubeconfig, --context,
// -n) and the session they open: a client for the chosen context and its default namespace.
import { Client } from "../sdk/client.ts";
import { parseTimeoutMs } from "./args.ts";
import { CLIENT_VERSION } from "./client-version.ts";

/** --kubeconfig, --context, -n/--namespace and --request-timeout, as kubectl spells them. */
export const connectionFlags = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string", short: "n" },
  "request-timeout": { type: "string" },
} as const;

/** -A/--all-namespaces, for commands that can span namespaces. */
export const allNamespacesFlag = { "all-namespaces": { type: "boolean", short: "A" } } as const;

/** The parsed connection flags. */
export interface ConnectionValues {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  "request-timeout"?: string;
}

/** The help lines describing the connection flags. */
export const CONNECTION_HELP = `Connection flags (also accepted before the command):
  --kubeconfig FILE     kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)
  --context NAME        kubeconfig context to use (default: its current-context)
  -n, --namespace NS    namespace (default: the context's namespace, else "default")
  --request-timeout D   give up on a request the server has not answered in D (30s, 1m; 0: never; default 30s)`;

/** A client for the chosen kubeconfig context, and the namespace commands default to. */
export class Session {
  private constructor(
    readonly client: Client,
    /** The namespace given with -n, if any; it overrides manifests only by being checked against them. */
    readonly namespaceFlag: string | undefined,
  ) {}

  /** Loads the kubeconfig as kubectl does; throws KubeconfigNotFoundError / KubeconfigInvalidError. */
  static async open(values: ConnectionValues): Promise<Session> {
    const timeout = values["request-timeout"];
    const client = await Client.fromKubeconfig(
      { path: values.kubeconfig, context: values.context, namespace: values.namespace },
      {
        userAgent: `stella/${CLIENT_VERSION} (${process.platform}/${process.arch})`,
        ...(timeout === undefined ? {} : { timeoutMs: parseTimeoutMs(timeout, "request-timeout") }),
      },
    );
    return new Session(client, values.namespace);
  }

  /** The namespace: -n, else the context's, else "default". */
  get namespace(): string {
    return this.client.namespace;
  }

  /** The server URL. */
  get server(): string {
    return this.client.transport.config.server;
  }

  /** Releases the connection. */
  close(): void {
    this.client.close();
  }
}
