// Waiting in the deployment benchmarks (deploy.ts, ssh-deploy.ts, platform-deploy.ts): a Release
// until it is Ready, a Deployment until it reaches a terminal phase. Polled, so the figures include
// at most one poll interval.
import type { Deployment } from "../../crds/deployment.ts";
import type { Release } from "../../crds/release.ts";
import { sleep } from "../../sdk/backoff.ts";
import type { Client } from "../../sdk/index.ts";

const TERMINAL = ["Succeeded", "Failed", "RolledBack", "Aborted", "Superseded"];

/** The release once Ready; throws when it failed to resolve. */
export async function waitRelease(releases: ReturnType<Client["resource"]>, name: string): Promise<Release> {
  for (;;) {
    const r = (await releases.get(name)) as Release;
    if (r.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) return r;
    if (r.status?.phase === "Failed") throw new Error(`release ${name} failed to resolve`);
    await sleep(100);
  }
}

/** The deployment once it has ended, whichever way. */
export async function waitPhase(deployments: ReturnType<Client["resource"]>, name: string): Promise<Deployment> {
  for (;;) {
    const d = (await deployments.get(name)) as Deployment;
    if (TERMINAL.includes(d.status?.phase ?? "")) return d;
    await sleep(25);
  }
}
