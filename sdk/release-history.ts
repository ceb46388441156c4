// Which releases an environment ran, derived from its Deployments (and standalone Canaries) alone
// (no memory, no status read back): a Succeeded deployment lands spec.release at
// status.completedAt; a deployment whose rollback completed (phase RolledBack, or Aborted after
// rolling back) lands status.rollback.release at status.rollback.completedAt; a Succeeded Canary
// that no Deployment made lands its spec.release at its status.completedAt (a Deployment's own
// canary lands through that Deployment). Shared by the environment controller (status.current,
// previous, history) and the deployment controller (where a rollback goes).
import type { Canary } from "../crds/canary.ts";
import type { Deployment } from "../crds/deployment.ts";
import type { ReleaseRecord } from "../crds/environment.ts";

/** How many records status.history keeps, newest first. */
export const HISTORY_LIMIT = 20;

/** The releases an environment ran, as its deployments tell. */
export interface ReleaseHistory {
  /** The newest landed release: what runs now. */
  current?: ReleaseRecord;
  /** The newest landed release before current whose release differs from current's. */
  previous?: ReleaseRecord;
  /** Every landed release, newest first, at most HISTORY_LIMIT. */
  history: ReleaseRecord[];
}

interface Landing {
  record: ReleaseRecord;
  at: number;
  /** Tie-breakers for landings at the same instant: the deployment's creation, then its name. */
  created: number;
  name: string;
}

/**
 * current/previous/history from the Deployments of one environment (pass only those). Pure and
 * order-independent. replacedAt of a record is when the next newer record with a different
 * release landed; a release landing again (a rollback to what already ran) does not replace it.
 */
export function releaseHistory(deployments: readonly Deployment[], canaries: readonly Canary[] = []): ReleaseHistory {
  const landings = [...deployments.flatMap(landingOf), ...canaries.flatMap(canaryLandingOf)].sort(byLanding);
  const records: ReleaseRecord[] = [];
  for (const { record } of landings.reverse()) {
    const newer = records.at(-1);
    // The nearest newer record with another release replaced this one; one with the same release inherits its
    // replacedAt.
    const replacedAt =
      newer === undefined ? undefined : newer.release !== record.release ? newer.deployedAt : newer.replacedAt;
    records.push(replacedAt === undefined ? record : { ...record, replacedAt });
  }
  return summarize(records);
}

function summarize(newestFirst: ReleaseRecord[]): ReleaseHistory {
  const [current] = newestFirst;
  const previous = current && newestFirst.find((r) => r.release !== current.release);
  return { current, previous, history: newestFirst.slice(0, HISTORY_LIMIT) };
}

function landingOf(d: Deployment): Landing[] {
  const base = { created: time(d.metadata.creationTimestamp) ?? 0, name: d.metadata.name ?? "" };
  const status = d.status ?? {};
  const at = time(status.completedAt);
  if (status.phase === "Succeeded" && at !== undefined) {
    const record: ReleaseRecord = {
      release: d.spec.release,
      deployment: d.metadata.name,
      promotion: d.spec.promotion,
      deployedAt: status.completedAt,
      rollback: d.spec.rollback || undefined,
    };
    return [{ ...base, at, record: compact(record) }];
  }
  const rb = status.rollback;
  const rbAt = time(rb?.completedAt);
  if ((status.phase === "RolledBack" || status.phase === "Aborted") && rb && rbAt !== undefined) {
    return [
      {
        ...base,
        at: rbAt,
        record: { release: rb.release, deployment: d.metadata.name, deployedAt: rb.completedAt, rollback: true },
      },
    ];
  }
  return [];
}

/** When a standalone canary (one no Deployment owns) landed its release: its success; else undefined. */
export function canaryLandedAt(c: Canary): number | undefined {
  const at = time(c.status?.completedAt);
  if (c.status?.phase !== "Succeeded" || at === undefined) return undefined;
  if ((c.metadata.ownerReferences ?? []).some((o) => o.kind === "Deployment")) return undefined;
  return at;
}

/** A standalone canary's success: its release is stable, one component moved. */
function canaryLandingOf(c: Canary): Landing[] {
  const at = canaryLandedAt(c);
  if (at === undefined) return [];
  const record = { release: c.spec.release, canary: c.metadata.name, component: c.spec.component };
  return [
    {
      created: time(c.metadata.creationTimestamp) ?? 0,
      name: c.metadata.name ?? "",
      at,
      record: compact({ ...record, deployedAt: c.status?.completedAt }),
    },
  ];
}

const byLanding = (a: Landing, b: Landing): number =>
  a.at - b.at || a.created - b.created || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function time(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function compact(record: ReleaseRecord): ReleaseRecord {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as ReleaseRecord;
}
