// What an agent's credential may do, decided from the live objects rather than from grants in the
// token: an agent reads its own Agent, the Targets whose spec.agent.name names it, the AgentWork
// whose spec.agent names it and the Secrets that work references, and writes only their status
// (plus its heartbeat Lease and Events). Lists and watches must be pinned to the agent by a field
// selector (`spec.agent=NAME` for work, `spec.agent.name=NAME` for targets), as a kubelet lists its
// pods with `spec.nodeName=`; anything else is refused. Like Kubernetes' node authorizer.
import { agentLeaseName } from "../../crds/agent.ts";
import type { Decision, RequestAttributes } from "./authorize.ts";
import type { AgentBinding } from "./principal.ts";

/** What the scope decision reads: the current objects, kept in memory by the caller. */
export interface AgentScopeView {
  /** Names of the Targets in `namespace` whose spec.agent.name is `agent`. */
  targetsOf(namespace: string, agent: string): readonly string[];
  /** The agent named by AgentWork `name`, and the Secrets its units reference; undefined when there is none. */
  work(namespace: string, name: string): { agent: string; secrets: readonly string[] } | undefined;
  /** Secrets referenced by any AgentWork of `agent` in `namespace`. */
  secretsOf(namespace: string, agent: string): ReadonlySet<string>;
}

const READ = ["get", "list", "watch"];
const REPORT = ["update", "patch"];

/** Decides a request made with an agent credential. */
export function authorizeAgent(
  agent: AgentBinding,
  attrs: RequestAttributes & { fieldSelector?: string },
  view: AgentScopeView,
): Decision {
  const allowed = attrs.namespace === agent.namespace && covers(agent, attrs, view);
  if (allowed) return { allowed: true, role: "agent" };
  const what = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const named = attrs.name === undefined ? "" : ` "${attrs.name}"`;
  const where = attrs.namespace === "" ? "at cluster scope" : `in namespace "${attrs.namespace}"`;
  return {
    allowed: false,
    reason: `agent "${agent.name}" may reach only its own Agent, Lease, Targets, work and the Secrets that work references: it cannot ${attrs.verb} ${what}${named} ${where}`,
  };
}

function covers(agent: AgentBinding, attrs: RequestAttributes & { fieldSelector?: string }, view: AgentScopeView) {
  const { verb, resource, subresource, name } = attrs;
  const ns = agent.namespace;
  const me = agent.name;
  const pinned = (field: string) => selects(attrs.fieldSelector, field, me);
  const listing = verb === "list" || verb === "watch";
  const sub = subresource ?? "";
  switch (resource) {
    case "agents":
      if (sub === "") return READ.includes(verb) && name === me;
      return sub === "status" && (READ.includes(verb) || REPORT.includes(verb)) && name === me;
    case "leases":
      return sub === "" && ["get", "create", "update", "patch"].includes(verb) && name === agentLeaseName(me);
    case "targets": {
      const mine = name !== undefined && view.targetsOf(ns, me).includes(name);
      if (sub === "status") return (verb === "get" || REPORT.includes(verb)) && mine;
      if (sub !== "" || !READ.includes(verb)) return false;
      return listing ? pinned("spec.agent.name") || (mine && name !== undefined) : mine;
    }
    case "agentworks": {
      const mine = name !== undefined && view.work(ns, name)?.agent === me;
      if (sub === "status") return (verb === "get" || REPORT.includes(verb)) && mine;
      if (sub !== "" || !READ.includes(verb)) return false;
      return listing ? pinned("spec.agent") : mine;
    }
    case "secrets":
      return sub === "" && verb === "get" && name !== undefined && view.secretsOf(ns, me).has(name);
    case "events":
      return sub === "" && (verb === "create" || verb === "patch");
    default:
      return false;
  }
}

/** Whether a field selector requires exactly `field=value` (and so cannot reach other objects). */
function selects(selector: string | undefined, field: string, value: string): boolean {
  return (selector ?? "")
    .split(",")
    .map((term) => /^\s*([A-Za-z0-9_.]+)\s*(==|=)\s*(.*?)\s*$/.exec(term))
    .some((m) => m !== null && m[1] === field && m[3] === value);
}
