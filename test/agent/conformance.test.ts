// The agent driver against a real agent process on the local engine: the shared conformance suite,
// the agent running the work with its local docker driver (conformance-fixture.ts). Host ports
// 27600-27639.
import { driverConformance } from "../../sdk/testing/driver-conformance.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { agentFixture } from "./conformance-fixture.ts";

driverConformance({
  name: "agent",
  skip: await estateSkipReason(),
  setup: () => agentFixture({ runtime: "docker", portBase: 27600 }),
});
