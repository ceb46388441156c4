// The drivers built into Stella, by name (Target.spec.driver), one package each behind
// sdk/plugins/driver.ts and passing sdk/testing/driver-conformance.ts; the pool that binds targets to
// them; and Secret values as drivers read them.
import type { DriverPlugin } from "../../sdk/plugins/driver.ts";
import { composeDriver } from "./compose/index.ts";
import { dockerDriver } from "./docker/index.ts";
import { ecsDriver } from "./ecs/index.ts";
import { nomadDriver } from "./nomad/index.ts";
import { sshDriver } from "./ssh/index.ts";

/** Every built-in driver plugin. */
export const builtinDrivers: readonly DriverPlugin[] = [dockerDriver, composeDriver, sshDriver, nomadDriver, ecsDriver];

/** The built-in plugin of that name, if there is one. */
export function findDriver(name: string): DriverPlugin | undefined {
  return builtinDrivers.find((d) => d.name === name);
}

export { DriverPool } from "./pool.ts";
export { driverSecretReader } from "./secret-values.ts";
