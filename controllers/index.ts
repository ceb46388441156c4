// The controllers of a Stella control plane, started together on one manager. `stella server`
// runs them in-process with a controller-role client; a separate process may run them the same way.
import { secretKind, type Secret } from "../crds/secret.ts";
import type { Client } from "../sdk/client.ts";
import { addDeploymentController, type DeploymentControllerOptions } from "./deployment/index.ts";
import { builtinDrivers } from "./drivers/index.ts";
import { agentDriver } from "./drivers/agent/index.ts";
import { addAgentController } from "./agent/index.ts";
import { addCanaryController } from "./canary/index.ts";
import { DriverPool } from "./drivers/pool.ts";
import { addEnvironmentController } from "./environment/index.ts";
import {
  addAutoPromoteController,
  addPromotionController,
  type PromotionControllerOptions,
} from "./promotion/index.ts";
import { addReleaseController, type ReleaseControllerOptions } from "./release/index.ts";
import {
  LeadershipLostError,
  Manager,
  stderrLogger,
  type LeaderElectionOptions,
  type Logger,
} from "./runtime/index.ts";
import { addTargetController, type TargetControllerOptions } from "./target/index.ts";
import { cosignVerifier } from "./verifiers/cosign/index.ts";

/** What startControllers needs. */
export interface StartControllersOptions {
  /** A client whose token has the controller role (in every namespace the controllers serve). */
  client: Client;
  log?: Logger;
  /** Run only while holding this lease (several replicas); absent: always run. */
  leaderElection?: LeaderElectionOptions;
  /** Overrides for the release controller (tests: registry client, retry schedule). */
  release?: Omit<ReleaseControllerOptions, "log">;
  /** Overrides for the target controller (tests: probe interval). */
  target?: Omit<TargetControllerOptions, "log" | "pool" | "drivers">;
  /** Overrides for the deployment controller (tests: host port range). */
  deployment?: Omit<DeploymentControllerOptions, "log" | "pool" | "drivers">;
  /** Driver plugins targets may name; the built-in ones when absent. */
  drivers?: DeploymentControllerOptions["drivers"];
  /**
   * Overrides for the promotion controller (tests: gate and notifier plugins, limits); the built-in ones when absent.
   */
  promotion?: Omit<PromotionControllerOptions, "log">;
}

/** Running controllers. */
export interface RunningControllers {
  manager: Manager;
  /** Settles when the manager ends: resolves after stop(), rejects with LeadershipLostError (exit then). */
  done: Promise<void>;
  /** Graceful stop: in-flight reconciles finish, informers stop, the lease is released. */
  stop(): Promise<void>;
}

/**
 * Starts every controller on one manager and returns at once; with leader election they run
 * while this process holds the lease. Losing leadership is logged and rejects `done`: the
 * process should then exit, as with controller-runtime.
 */
export async function startControllers(opts: StartControllersOptions): Promise<RunningControllers> {
  const log = opts.log ?? stderrLogger;
  const manager = new Manager({ client: opts.client, log, leaderElection: opts.leaderElection });
  addReleaseController(manager, { verifiers: [cosignVerifier], ...opts.release, log });
  const secrets = opts.client.resource<Secret>(secretKind);
  // One binding per target, shared: the target controller probes through it, the deployment controller deploys.
  const pool = new DriverPool(opts.drivers ?? [...builtinDrivers, agentDriver(opts.client)], secrets);
  addTargetController(manager, { ...opts.target, pool, log });
  addEnvironmentController(manager, { log });
  addAgentController(manager, { log });
  addDeploymentController(manager, { ...opts.deployment, pool, log });
  addCanaryController(manager, { pool, ports: opts.deployment?.ports, log });
  addPromotionController(manager, { ...opts.promotion, log });
  addAutoPromoteController(manager, { log });
  const done = manager.start();
  done.catch((err: unknown) => {
    if (err instanceof LeadershipLostError)
      log.error("controllers lost leadership; the process should exit", { lease: err.lease, identity: err.identity });
    else log.error("controller manager failed", { error: err instanceof Error ? err.message : String(err) });
  });
  return {
    manager,
    done,
    async stop() {
      await manager.stop();
      await done.catch(() => {});
      await pool.close();
    },
  };
}
