// The local drivers an agent is given by its composition root (agent/ may not import controllers):
// the docker driver always, and a maker of compose drivers when the host has a compose CLI. What is
// given is what the agent reports as its capabilities, and what its work may ask for.
import type { AgentWork } from "../crds/agent-work.ts";
import { DriverError, DriverReasons, type Driver } from "../sdk/plugins/driver.ts";

/** The drivers of this host. */
export interface LocalDrivers {
  /** Runs work of runtime docker (the default), and every health check. */
  docker: Driver;
  /** Makes the driver of one compose project for one target; absent when the host has no compose. */
  compose?: (target: string, project: string) => Driver;
}

/** The capabilities `drivers` give (`hostFacts` sorts them for the Agent's status). */
export function capabilities(drivers: LocalDrivers): string[] {
  return (["docker", "compose"] as const).filter((c) => drivers[c] !== undefined);
}

/** Finds the driver a Run work asks for, making compose drivers once per target and project. */
export class DriverChooser {
  private readonly composeDrivers = new Map<string, Driver>();

  constructor(private readonly drivers: LocalDrivers) {}

  /** The driver for `work`; InvalidTarget when this host cannot run its runtime. */
  forWork(work: AgentWork): Driver {
    if (work.spec.runtime !== "compose") return this.drivers.docker;
    const make = this.drivers.compose;
    if (!make)
      throw new DriverError(
        DriverReasons.InvalidTarget,
        `this host has no compose CLI (capabilities: ${capabilities(this.drivers).join(", ")})`,
        false,
      );
    const project = work.spec.project ?? `stella-${work.spec.target}`;
    const key = `${work.spec.target}/${project}`;
    let driver = this.composeDrivers.get(key);
    if (!driver) this.composeDrivers.set(key, (driver = make(work.spec.target, project)));
    return driver;
  }

  /** Closes the compose drivers made here (the docker driver belongs to the composition root). */
  async close(): Promise<void> {
    await Promise.all([...this.composeDrivers.values()].map((d) => d.close()));
    this.composeDrivers.clear();
  }
}
