// Applying a unit set through compose. Secrets are read and images pulled (through the Engine API,
// with the ApplyContext's credentials, so compose never pulls and never needs a docker config)
// before anything changes; then `up -d --no-deps` runs for the services whose container does not
// already run from this very file. A service that does is left out of `up`, which is what keeps
// a re-apply by another deployment (a different STELLA_DEPLOYMENT, so a different compose config
// hash) from recreating it; for the others compose's own config hash decides between start,
// recreate and leave alone.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  DriverError,
  DriverReasons,
  type ApplyContext,
  type DesiredUnit,
  type ObservedUnit,
  type UnitFilter,
  type UnitSet,
} from "../../../sdk/plugins/driver.ts";
import { artifactDigest } from "../../../crds/artifact.ts";
import {
  containerName,
  ensureImage,
  probeEngine,
  removeUnits,
  settleRemoval,
  type Engine,
} from "../../engine/index.ts";
import { composeEnv, outputTail, runCompose, type ComposeCli } from "./command.ts";
import type { ProjectUnit } from "./project.ts";
import { ARTIFACT_VARIABLE, DEPLOYMENT_VARIABLE, renderComposeFile, serviceName, type ComposeFile } from "./render.ts";

/** How long one `up` may take; images are already pulled, so this only bounds a stuck engine. */
export const UP_TIMEOUT_MS = 5 * 60_000;

/** What apply works with: the engine, the project, the CLI and the driver's observe. */
export interface ComposeProject {
  engine: Engine;
  project: string;
  cli(signal?: AbortSignal): Promise<ComposeCli>;
  /** The target's units, each marked whether the project owns it. */
  observe(filter: UnitFilter, signal?: AbortSignal): Promise<ProjectUnit[]>;
  /**
   * Runs `up -d --no-deps <services>` on the file with these variables in compose's environment;
   * throws DriverError when it fails, its message redacting `secretValues`. When absent, the local
   * compose CLI runs against the engine's endpoint (a remote host brings its own: the ssh driver).
   */
  up?: ComposeUp;
}

/** How a project runs `up` for some of its services. */
export type ComposeUp = (
  file: ComposeFile,
  services: string[],
  variables: Record<string, string>,
  secretValues: string[],
  signal?: AbortSignal,
) => Promise<void>;

/** Makes every unit of `set` run in the project; resolves with the set's units as observed. */
export async function applyComposeSet(p: ComposeProject, set: UnitSet, ctx: ApplyContext): Promise<ObservedUnit[]> {
  const file = renderComposeFile(set, p.project);
  const variables: Record<string, string> = {
    [ARTIFACT_VARIABLE]: artifactDigest(file.content),
    [DEPLOYMENT_VARIABLE]: set.deployment,
  };
  for (const s of file.secrets) variables[s.variable] = await ctx.secretValue(s.ref);
  const secretValues = file.secrets.map((s) => variables[s.variable]);

  const scope: UnitFilter = { namespace: set.namespace, environment: set.environment, slot: set.slot };
  const existing = await p.observe(scope, ctx.signal);
  const up: DesiredUnit[] = [];
  const stale: ObservedUnit[] = [];
  for (const unit of set.units) {
    const name = containerName(set, unit.component);
    const current = existing.filter((u) => u.unit.component === unit.component);
    const keep = current.find(
      ({ unit: u, inProject }) =>
        inProject && u.name === name && u.artifact === variables[ARTIFACT_VARIABLE] && u.running,
    );
    if (!keep) up.push(unit);
    // compose replaces its own container of that name itself; anything else of the component here
    // goes, and so does a container of that name it does not own (left by runtime docker), whose
    // name compose could not take
    stale.push(...current.filter((u) => u.unit.name !== name || !u.inProject).map((u) => u.unit));
  }

  for (const ref of new Set(up.map((u) => u.imageRef))) await ensureImage(p.engine.docker, ref, ctx);
  await removeUnits(p.engine.docker, stale, ctx.signal);
  // A container of a name compose is about to use may still be going (a scale-down racing this apply).
  for (const u of up) await settleRemoval(p.engine.docker, containerName(set, u.component), ctx.signal);
  if (up.length > 0) {
    const services = up.map((u) => serviceName(set, u.component)).sort();
    ctx.progress?.(`compose up ${services.join(" ")} in project ${p.project}`);
    const runUp: ComposeUp = p.up ?? ((...args) => composeUp(p, ...args));
    await runUp(file, services, variables, secretValues, ctx.signal);
  }
  const components = new Set(set.units.map((u) => u.component));
  return (await p.observe(scope, ctx.signal)).map((u) => u.unit).filter((u) => components.has(u.component));
}

/**
 * Runs `up -d --no-deps <services>` on the file, written to a private temporary directory that is
 * removed afterwards. Variables (Secret values among them) go only to the process's environment.
 * No `--remove-orphans` flag: the other slot's services are not in this file and must stay, and
 * docker-compose 1.29 answers `--remove-orphans=false` with its usage text and exit status 0,
 * doing nothing.
 */
async function composeUp(
  p: ComposeProject,
  file: ComposeFile,
  services: string[],
  variables: Record<string, string>,
  secretValues: string[],
  signal?: AbortSignal,
): Promise<void> {
  const cli = await p.cli(signal);
  const dir = await mkdtemp(path.join(tmpdir(), "stella-compose-"));
  try {
    await chmod(dir, 0o700);
    const composeFile = path.join(dir, "compose.yaml");
    await writeFile(composeFile, file.content, { mode: 0o600 });
    const argv = [...cli.command, "-p", p.project, "-f", composeFile, "up", "-d", "--no-deps", ...services];
    const run = await runCompose(argv, {
      env: composeEnv(process.env, p.engine.endpoint, variables),
      cwd: dir,
      signal,
      timeoutMs: UP_TIMEOUT_MS,
    });
    if (run.code === 0) return;
    // An engine that went away is the reason to report (transient), not compose's words about it.
    await probeEngine(p.engine.docker, p.engine.endpoint, signal);
    const how = run.timedOut ? `did not finish within ${UP_TIMEOUT_MS / 1000}s` : `exited with status ${run.code}`;
    const output = outputTail(run, secretValues);
    throw new DriverError(
      DriverReasons.ApplyFailed,
      `${cli.command.join(" ")} up ${services.join(" ")} ${how}${output ? `:\n${output}` : ""}`,
      run.timedOut,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
