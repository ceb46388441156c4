// The agent driver: work for hosts the server cannot reach, handed to their enrolled agent as AgentWork.
export { agentDriver, AgentDriver } from "./driver.ts";
