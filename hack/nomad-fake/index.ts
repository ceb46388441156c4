// Starting the Nomad CONTRACT FAKE in a process (main.ts for the estate; tests start their own).
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Faults } from "./faults.ts";
import { nomadServer } from "./http.ts";
import { Scheduler } from "./scheduler.ts";
import { Store } from "./store.ts";

export { FAKE_LABEL, INSTANCE_LABEL } from "./dataplane.ts";

/** A running fake: its address, failure injection, and close(). */
export interface NomadFake {
  address: string;
  faults: Faults;
  store: Store;
  /** The value of INSTANCE_LABEL on the containers of this fake's allocations. */
  instance: string;
  close(): Promise<void>;
}

/** Starts a fake on 127.0.0.1:`port` (0: any free port) accepting only `token`, if given. */
export async function startNomadFake(opts: { host?: string; port?: number; token?: string } = {}): Promise<NomadFake> {
  const host = opts.host ?? "127.0.0.1";
  if (!host.startsWith("127.")) throw new Error("the Nomad contract fake listens on 127.0.0.0/8 only");
  const store = new Store();
  const instance = randomBytes(6).toString("hex");
  const scheduler = new Scheduler(store, instance);
  const faults = new Faults();
  const server = nomadServer(store, scheduler, faults, opts.token);
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(opts.port ?? 0, host, resolve));
  scheduler.start();
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://${host}:${port}`,
    faults,
    store,
    instance,
    async close() {
      scheduler.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
