// The drivers built into Stella, by name (Target.spec.driver).
import type { DriverPlugin } from "../../sdk/plugins/driver.ts";
import { composeDriver } from "./compose/index.ts";
import { dockerDriver } from "./docker/index.ts";

/** Every built-in driver plugin. */
export const builtinDrivers: readonly DriverPlugin[] = [
  dockerDriver,
  composeDriver,
];

/** The built-in plugin of that name, if there is one. */
export function findDriver(name: string): DriverPlugin | undefined {
  return builtinDrivers.find((d) => d.name === name);
}
export { DriverPool } from "./pool.ts";
