// Agents, their Targets and their work, kept in memory from the storage's event stream, so that
// checking an agent credential and deciding an agent's request cost no database round trip. A
// revoked or deleted Agent, or one enrolled again with a new key, stops its old credential as soon
// as the change's event arrives (a few milliseconds after the write).
import { createHash } from "node:crypto";
import type { AgentBinding } from "../auth/principal.ts";
import type { AgentScopeView } from "../auth/agent-scope.ts";
import { ResourceCache } from "../registry/resource-cache.ts";
import type { Storage, StoredObject } from "../storage/types.ts";

/** What a credential is checked against. */
export interface AgentRecord {
  uid: string;
  generation: number;
  revoked: boolean;
  /** Thumbprint of spec.publicKey (see publicKeyThumbprint); undefined before enrollment. */
  key?: string;
}

/** The identity of an agent's public key as tokens carry it: sha256 of the PEM's SPKI DER, base64url. */
export function publicKeyThumbprint(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
  return createHash("sha256").update(der).digest("base64url");
}

const spec = (o: StoredObject) => (o.spec ?? {}) as Record<string, unknown>;

function toAgent(o: StoredObject): AgentRecord {
  const s = spec(o);
  const key = typeof s.publicKey === "string" ? publicKeyThumbprint(s.publicKey) : undefined;
  return {
    uid: String(o.metadata.uid),
    generation: Number(o.metadata.generation ?? 1),
    revoked: s.revoked === true,
    key,
  };
}

function toWork(o: StoredObject): { namespace: string; agent: string; secrets: string[] } {
  const s = spec(o) as { agent?: string; units?: { env?: { secretKeyRef?: { name: string } }[] }[] };
  const secrets = (s.units ?? []).flatMap((u) =>
    (u.env ?? []).flatMap((e) => (e.secretKeyRef ? [e.secretKeyRef.name] : [])),
  );
  return { namespace: String(o.metadata.namespace), agent: s.agent ?? "", secrets: [...new Set(secrets)] };
}

function toTarget(o: StoredObject): { namespace: string; name: string; agent?: string } {
  const agent = (spec(o).agent as { name?: string } | undefined)?.name;
  return { namespace: String(o.metadata.namespace), name: String(o.metadata.name), agent };
}

/** The current Agents, agent Targets and AgentWork. */
export class AgentRegistry implements AgentScopeView {
  private readonly agents: ResourceCache<AgentRecord>;
  private readonly works: ResourceCache<ReturnType<typeof toWork>>;
  private readonly targets: ResourceCache<ReturnType<typeof toTarget>>;

  constructor(storage: Storage) {
    this.agents = new ResourceCache(storage, "agents", toAgent);
    this.works = new ResourceCache(storage, "agentworks", toWork);
    this.targets = new ResourceCache(storage, "targets", (o) => (toTarget(o).agent ? toTarget(o) : undefined));
  }

  async start(): Promise<void> {
    await Promise.all([this.agents.start(), this.works.start(), this.targets.start()]);
  }

  stop(): void {
    this.agents.stop();
    this.works.stop();
    this.targets.stop();
  }

  /** Why a credential bound to `binding` is no longer honoured; undefined while it is. */
  refusal(binding: AgentBinding): string | undefined {
    const agent = this.agents.get(binding.namespace, binding.name);
    const who = `agent ${binding.namespace}/${binding.name}`;
    if (!agent || agent.uid !== binding.uid) return `${who} no longer exists`;
    if (agent.revoked) return `${who} is revoked`;
    if (binding.key === undefined || agent.key !== binding.key) return `${who} was enrolled again with another key`;
    return undefined;
  }

  targetsOf(namespace: string, agent: string): string[] {
    return [...this.targets.values()].filter((t) => t.namespace === namespace && t.agent === agent).map((t) => t.name);
  }

  work(namespace: string, name: string): { agent: string; secrets: readonly string[] } | undefined {
    return this.works.get(namespace, name);
  }

  secretsOf(namespace: string, agent: string): ReadonlySet<string> {
    const out = new Set<string>();
    for (const w of this.works.values())
      if (w.namespace === namespace && w.agent === agent) for (const s of w.secrets) out.add(s);
    return out;
  }
}
