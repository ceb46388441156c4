// The agent controller: Agent.status (Ready, last heartbeat, targets) from the agents' Lease heartbeats.
export { addAgentController, type AgentControllerOptions } from "./controller.ts";
export { agentHealth } from "./health.ts";
