// Drivers bound to Targets, shared by the controllers of one process: one binding (one engine
// connection) per target, made again when the target's spec changes and closed when it goes.
import type { Secret } from "../../crds/secret.ts";
import type { Target } from "../../crds/target.ts";
import { DriverError, DriverReasons, type Driver, type DriverPlugin } from "../../sdk/plugins/driver.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import { driverSecretReader } from "./secret-values.ts";

interface Binding {
  key: string;
  driver: Promise<Driver>;
}

/** Binds targets to drivers of the given plugins. */
export class DriverPool {
  private readonly bindings = new Map<string, Binding>();

  constructor(
    private readonly plugins: readonly DriverPlugin[],
    private readonly secrets: Pick<ResourceClient<Secret>, "get">,
  ) {}

  /** The driver for `target` as its spec is now; DriverError(DriverNotFound) for a driver not in the list. */
  async get(target: Target): Promise<Driver> {
    const id = `${target.metadata.namespace}/${target.metadata.name}`;
    const key = `${target.metadata.uid ?? ""}/${target.metadata.generation ?? 0}`;
    const existing = this.bindings.get(id);
    if (existing?.key === key) return existing.driver;
    if (existing) {
      this.bindings.delete(id);
      void closeQuietly(existing.driver);
    }
    const plugin = this.plugins.find((p) => p.name === target.spec.driver);
    if (!plugin)
      throw new DriverError(
        DriverReasons.DriverNotFound,
        `driver ${target.spec.driver} is not available in this build (available: ${this.plugins.map((p) => p.name).join(", ") || "none"})`,
        false,
      );
    const driver = plugin.create(target, {
      secretValue: driverSecretReader(this.secrets, target.metadata.namespace ?? "default"),
    });
    const binding = { key, driver };
    this.bindings.set(id, binding);
    driver.catch(() => {
      if (this.bindings.get(id) === binding) this.bindings.delete(id);
    });
    return driver;
  }

  /** Closes the binding of a target that is gone. */
  async forget(namespace: string, name: string): Promise<void> {
    const id = `${namespace}/${name}`;
    const binding = this.bindings.get(id);
    this.bindings.delete(id);
    if (binding) await closeQuietly(binding.driver);
  }

  /** Closes every binding. */
  async close(): Promise<void> {
    const all = [...this.bindings.values()];
    this.bindings.clear();
    await Promise.all(all.map((b) => closeQuietly(b.driver)));
  }
}

async function closeQuietly(driver: Promise<Driver>): Promise<void> {
  try {
    await (await driver).close();
  } catch {
    // a binding that failed or cannot close has nothing left to release
  }
}
