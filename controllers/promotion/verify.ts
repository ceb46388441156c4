// The verify step: after the deployment succeeded, the environment must show that it landed (its
// status, kept by the environment controller, records the deployment in current or history) and
// every unit the deployment reports must run the release's pinned digest for its component.
import type { Deployment } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import type { Release } from "../../crds/release.ts";

/** The verify step's finding. */
export type Verification =
  | { state: "verified"; message: string; inputs: Record<string, unknown> }
  | { state: "waiting"; message: string }
  | { state: "failed"; reason: string; message: string };

const DIGEST_IN_REF = /@(sha256:[a-f0-9]{64})$/;

/** Whether deployment `d` of `release` landed in `env` as it should. */
export function verifyLanding(d: Deployment, env: Environment | undefined, release: Release | undefined): Verification {
  const name = d.metadata.name ?? "";
  if (!env) return { state: "waiting", message: `environment ${d.spec.environment} not found` };
  const digests = new Map((release?.status?.components ?? []).map((c) => [c.name, c.digest]));
  const wrong: string[] = [];
  for (const t of d.status?.targets ?? []) {
    if (t.phase !== "Succeeded") continue;
    for (const u of t.units ?? []) {
      const running = DIGEST_IN_REF.exec(u.imageRef ?? "")?.[1];
      const expected = digests.get(u.component);
      if (running && expected && running !== expected)
        wrong.push(`${t.name} runs ${u.component} at ${running}, not ${expected}`);
    }
  }
  if (wrong.length)
    return {
      state: "failed",
      reason: "DigestMismatch",
      message: `deployment ${name} does not run release ${d.spec.release}'s digests: ${wrong.join("; ")}`,
    };
  const current = env.status?.current;
  const record = current?.deployment === name ? current : env.status?.history?.find((r) => r.deployment === name);
  if (!record) {
    const now = current
      ? `it shows ${current.release}${current.deployment ? ` from deployment ${current.deployment}` : ""}`
      : "it shows no release yet";
    return {
      state: "waiting",
      message: `waiting for environment ${env.metadata.name} to show release ${d.spec.release} from deployment ${name} (${now})`,
    };
  }
  if (record.release !== d.spec.release)
    return {
      state: "failed",
      reason: "ReleaseMismatch",
      message: `environment ${env.metadata.name} records deployment ${name} as landing ${record.release}, not ${d.spec.release}`,
    };
  const inputs = {
    environment: env.metadata.name,
    current: current?.release ?? null,
    deployedAt: record.deployedAt ?? null,
    digests: Object.fromEntries(digests),
  };
  const still = record === current ? "is current" : `has since been replaced (at ${record.replacedAt ?? "unknown"})`;
  return {
    state: "verified",
    message: `release ${d.spec.release} landed in ${env.metadata.name} at ${record.deployedAt ?? "unknown"} and ${still}; every unit runs its pinned digest`,
    inputs,
  };
}
