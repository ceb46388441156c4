// The Nomad contract fake's state: job versions, deployments and allocations, one Raft-like index
// that every change raises, and blocking queries that wait for the index to pass a value.
// Blocking queries: https://developer.hashicorp.com/nomad/api-docs#blocking-queries
import { createHash, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Allocation, Deployment, Job, TaskGroup } from "./types.ts";

const key = (namespace: string, id: string) => `${namespace}/${id}`;

/** A deterministic JSON string: object keys sorted. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The hash that decides whether an allocation survives a new job version in place. */
export const groupHash = (group: TaskGroup): string =>
  createHash("sha256")
    .update(canonical({ ...group, Update: undefined }))
    .digest("hex");

/** The fields of a job a user submits; what Nomad compares to decide whether a register changes anything. */
export const jobSpec = (job: Job): string =>
  canonical({
    ...job,
    Version: undefined,
    Stable: undefined,
    Status: undefined,
    SubmitTime: undefined,
    CreateIndex: undefined,
    ModifyIndex: undefined,
    JobModifyIndex: undefined,
    Stop: undefined,
  });

/** All state of the fake. */
export class Store {
  index = 1;
  /** Every version of every job, oldest first; the last is the current one. */
  readonly jobs = new Map<string, Job[]>();
  readonly deployments = new Map<string, Deployment>();
  readonly allocs = new Map<string, Allocation>();
  private readonly changes = new EventEmitter();

  constructor() {
    this.changes.setMaxListeners(0);
  }

  /** Raises the index and wakes blocking queries; returns the new index. */
  bump(): number {
    this.index++;
    this.changes.emit("change");
    return this.index;
  }

  /** Resolves once the index is above `after`, or after `waitMs`. */
  async waitFor(after: number, waitMs: number, signal: AbortSignal): Promise<void> {
    if (this.index > after) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.changes.off("change", check);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const check = () => this.index > after && done();
      const timer = setTimeout(done, waitMs);
      this.changes.on("change", check);
      signal.addEventListener("abort", done);
    });
  }

  versions(namespace: string, id: string): Job[] {
    return this.jobs.get(key(namespace, id)) ?? [];
  }

  job(namespace: string, id: string): Job | undefined {
    return this.versions(namespace, id).at(-1);
  }

  /** Stores `job` as a new version (or the first), unless it equals the current one. */
  register(namespace: string, submitted: Job): { job: Job; changed: boolean } {
    const versions = this.versions(namespace, submitted.ID);
    const current = versions.at(-1);
    if (current && !current.Stop && jobSpec(current) === jobSpec({ ...submitted, Namespace: namespace })) {
      return { job: current, changed: false };
    }
    const index = this.bump();
    const job: Job = {
      ...structuredClone(submitted),
      Namespace: namespace,
      Version: current ? current.Version! + 1 : 0,
      Stable: false,
      Stop: false,
      Status: "running",
      SubmitTime: Date.now() * 1e6,
      CreateIndex: versions[0]?.CreateIndex ?? index,
      ModifyIndex: index,
      JobModifyIndex: index,
    };
    this.jobs.set(key(namespace, submitted.ID), [...versions, job]);
    return { job, changed: true };
  }

  purge(namespace: string, id: string): void {
    this.jobs.delete(key(namespace, id));
    for (const d of [...this.deployments.values()])
      if (d.Namespace === namespace && d.JobID === id) this.deployments.delete(d.ID);
    this.bump();
  }

  jobAllocs(namespace: string, id: string): Allocation[] {
    return [...this.allocs.values()].filter((a) => a.Namespace === namespace && a.JobID === id);
  }

  latestDeployment(namespace: string, id: string): Deployment | undefined {
    return [...this.deployments.values()]
      .filter((d) => d.Namespace === namespace && d.JobID === id)
      .sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
  }

  newId(): string {
    return randomUUID();
  }
}
