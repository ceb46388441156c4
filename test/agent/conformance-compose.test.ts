// The agent driver with a runtime compose target: the shared conformance suite, the agent (which
// found docker-compose on this host and says so in its capabilities) running the work with the
// compose driver's code on its local engine. Host ports 27640-27679.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { driverConformance } from "../../sdk/testing/driver-conformance.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { agentFixture } from "./conformance-fixture.ts";

/** Why this suite cannot run here: the estate is down, or docker-compose is missing (never under CI). */
async function skipReason(): Promise<string | undefined> {
  const estate = await estateSkipReason();
  if (estate) return estate;
  try {
    await promisify(execFile)("docker-compose", ["version"]);
    return undefined;
  } catch (err) {
    return process.env.CI === "true" ? undefined : `docker-compose does not run (${(err as Error).message})`;
  }
}

driverConformance({
  name: "agent (runtime compose)",
  skip: await skipReason(),
  setup: () =>
    agentFixture({
      runtime: "compose",
      portBase: 27640,
      ready: (agent) => assert.deepEqual(agent.status?.capabilities, ["compose", "docker"]),
    }),
});
