// The entry point of the sdk: a client for one apiserver, handing out typed calls per kind.
//
//   const client = await Client.fromKubeconfig();
//   const envs = client.resource<Environment>(environmentKind);
//   const prod = await envs.get("prod", { namespace: "shop" });
import type { StellaObject } from "../crds/meta.ts";
import { kindByKind } from "../crds/scheme.ts";
import type { KindInfo } from "../crds/scheme-types.ts";
import { loadClientConfig, type ClientConfig, type ContextOverrides } from "./client-config.ts";
import type { KubeconfigSource } from "./kubeconfig.ts";
import { ResourceClient } from "./resource-client.ts";
import { Transport, type TransportOptions } from "./transport.ts";

/** A connection to one apiserver. Cheap to share; `close()` releases its sockets. */
export class Client {
  private readonly resources = new Map<KindInfo, ResourceClient<StellaObject>>();

  constructor(readonly transport: Transport) {}

  /** A client for an explicit configuration. */
  static fromConfig(config: ClientConfig, opts?: TransportOptions): Client {
    return new Client(new Transport(config, opts));
  }

  /** A client for a kubeconfig context, found as kubectl finds it (see loadKubeconfig). */
  static async fromKubeconfig(src: KubeconfigSource & ContextOverrides = {}, opts?: TransportOptions): Promise<Client> {
    return Client.fromConfig(await loadClientConfig(src), opts);
  }

  /** The namespace single-object calls use when neither the call nor the object names one. */
  get namespace(): string {
    return this.transport.config.namespace ?? "default";
  }

  /** Typed calls for one kind. `T` is the kind's object type, e.g. `client.resource<Release>(releaseKind)`. */
  resource<T extends StellaObject = StellaObject>(info: KindInfo): ResourceClient<T> {
    let r = this.resources.get(info);
    if (!r) {
      r = new ResourceClient<StellaObject>(this.transport, info, this.namespace);
      this.resources.set(info, r);
    }
    return r as unknown as ResourceClient<T>;
  }

  /**
   * Typed calls for a kind of the scheme by its Kind name, e.g. `client.for<Release>("Release")`; throws TypeError for
   * an unknown kind.
   */
  for<T extends StellaObject = StellaObject>(kind: string): ResourceClient<T> {
    const info = kindByKind(kind);
    if (!info) throw new TypeError(`unknown kind ${JSON.stringify(kind)}`);
    return this.resource<T>(info);
  }

  /** Releases idle sockets. */
  close(): void {
    this.transport.close();
  }
}
