// The Stella agent (DESIGN.md, "Layout"): enrolls, heartbeats through a Lease, watches its work and
// runs it with a local driver the composition root (cli/) gives it. Imports only crds/ and sdk/.
export { AgentRuntime, type AgentOptions } from "./runtime.ts";
export { AgentConfigError, EnrollmentError } from "./errors.ts";
export { jsonLog, type AgentLog } from "./log.ts";
export { AGENT_VERSION } from "./host-facts.ts";
export { capabilities, type LocalDrivers } from "./local-drivers.ts";
