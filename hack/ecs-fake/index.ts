// Starting the ECS CONTRACT FAKE in a process (main.ts for the estate; tests start their own).
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Faults } from "../nomad-fake/faults.ts";
import { ecsServer } from "./http.ts";
import { Scheduler } from "./scheduler.ts";
import type { FakeCredentials } from "./sigv4.ts";
import { Store } from "./store.ts";

export { FAKE_LABEL, INSTANCE_LABEL } from "./dataplane.ts";
export { ACTIONS } from "./http.ts";
export type { FakeCredentials } from "./sigv4.ts";

/** A running fake: its endpoint, failure injection, denied actions, and close(). */
export interface EcsFake {
  endpoint: string;
  faults: Faults;
  store: Store;
  /** The value of INSTANCE_LABEL on the containers of this fake's tasks. */
  instance: string;
  /** Actions answered with AccessDeniedException (an IAM policy that lacks them). */
  denied: Set<string>;
  close(): Promise<void>;
}

/** Starts a fake on 127.0.0.1:`port` (0: any free port) accepting only `credentials`. */
export async function startEcsFake(opts: {
  host?: string;
  port?: number;
  credentials: FakeCredentials;
  region?: string;
  clusters?: string[];
}): Promise<EcsFake> {
  const host = opts.host ?? "127.0.0.1";
  if (!host.startsWith("127.")) throw new Error("the ECS contract fake listens on 127.0.0.0/8 only");
  const store = new Store(opts.region ?? "eu-west-1", opts.clusters ?? ["default", "shop-prod", "stella"]);
  const instance = randomBytes(6).toString("hex");
  const scheduler = new Scheduler(store, instance);
  const faults = new Faults();
  const denied = new Set<string>();
  const server = ecsServer(store, faults, opts.credentials, denied);
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(opts.port ?? 0, host, resolve));
  scheduler.start();
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    faults,
    store,
    instance,
    denied,
    async close() {
      scheduler.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
