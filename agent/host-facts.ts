// What the agent reports about itself and its host in Agent.status.
import { hostname } from "node:os";

/** The Stella version the agent runs (package.json's). */
export const AGENT_VERSION = "0.1.0";

/** Host facts and capabilities, as Agent.status holds them. */
export interface HostFacts {
  version: string;
  hostname: string;
  os: string;
  arch: string;
  /** Where this host's units answer for routers. */
  address?: string;
  capabilities: string[];
}

/** The facts of this host; `capabilities` are the local drivers the agent was given. */
export function hostFacts(capabilities: readonly string[], address?: string): HostFacts {
  return {
    version: AGENT_VERSION,
    hostname: hostname(),
    os: process.platform,
    arch: process.arch,
    ...(address ? { address } : {}),
    capabilities: [...capabilities].sort(),
  };
}
