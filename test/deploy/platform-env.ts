// Deployments to the platforms that schedule for themselves (Nomad, ECS), end to end: the
// deployment controller against their contract fakes (hack/nomad-fake, hack/ecs-fake), started in
// this process with credentials of their own, every allocation or task a real container on the
// estate's engine. The targets' Secrets (nomad-token, aws-credentials) go into the test namespace as
// the examples' do; a driver bound here reads the platform's view back. Host ports 28000-28999.
import { randomBytes } from "node:crypto";
import { ecsDriver } from "../../controllers/drivers/ecs/index.ts";
import { nomadDriver } from "../../controllers/drivers/nomad/index.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import type { Target } from "../../crds/target.ts";
import { INSTANCE_LABEL, startEcsFake, type EcsFake } from "../../hack/ecs-fake/index.ts";
import { FAKE_LABEL, startNomadFake, type NomadFake } from "../../hack/nomad-fake/index.ts";
import type { Driver } from "../../sdk/plugins/driver.ts";
import { removeContainerIds } from "../estate/estate-env.ts";
import { docker, type DeployEnv } from "./deploy-env.ts";

/** Host ports the platform deployment tests assign. */
export const PLATFORM_PORTS = { from: 28000, to: 28999 };

/** The platforms under test. */
export type Platform = "nomad" | "ecs";

/** Both contract fakes, with the credentials they accept. */
export interface PlatformFakes {
  nomad: NomadFake;
  ecs: EcsFake;
  nomadToken: string;
  aws: { accessKeyId: string; secretAccessKey: string };
  /** Stops both and removes the containers they started (only theirs: the engine is shared). */
  close(): Promise<void>;
}

export async function startPlatformFakes(): Promise<PlatformFakes> {
  const nomadToken = `nomad-${randomBytes(8).toString("hex")}`;
  const aws = {
    accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(24).toString("base64url"),
  };
  const nomad = await startNomadFake({ token: nomadToken });
  const ecs = await startEcsFake({ credentials: aws, clusters: ["shop-prod"] });
  return {
    nomad,
    ecs,
    nomadToken,
    aws,
    async close() {
      await Promise.all([nomad.close(), ecs.close()]);
      for (const instance of [nomad.instance, ecs.instance]) {
        const ids = await docker("ps", "-aq", "--filter", `label=${INSTANCE_LABEL}=${instance}`);
        await removeContainerIds(ids.split("\n").filter(Boolean));
      }
    },
  };
}

/** Removes the Nomad fake's containers of a test namespace's jobs (their job ids name it). */
export async function removeNomadContainers(namespace: string): Promise<void> {
  const rows = await docker(
    "ps",
    "-a",
    "--format",
    '{{.ID}} {{.Label "nomad.job_id"}}',
    "--filter",
    `label=${FAKE_LABEL}=nomad`,
  );
  const ids = rows
    .split("\n")
    .filter((row) => row.includes(`stella-${namespace}-`))
    .map((row) => row.split(" ")[0]);
  await removeContainerIds(ids);
}

/** The Secrets the platform targets name, in the test namespace, as hack/estate.sh writes them. */
export async function createPlatformSecrets(de: DeployEnv, fakes: PlatformFakes): Promise<void> {
  const secrets = de.admin.resource<Secret>(secretKind);
  const secret = (name: string, stringData: Record<string, string>): Secret =>
    ({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Secret",
      metadata: { name, namespace: de.namespace },
      stringData,
    }) as Secret;
  await secrets.create(secret("nomad-token", { token: fakes.nomadToken }));
  await secrets.create(
    secret("aws-credentials", {
      AWS_ACCESS_KEY_ID: fakes.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: fakes.aws.secretAccessKey,
    }),
  );
}

/**
 * A Target of `platform` on its fake, labelled for environment `env`, shaped like the examples' prod-nomad / prod-ecs.
 */
export function platformTarget(
  platform: Platform,
  fakes: PlatformFakes,
  namespace: string,
  name: string,
  env: string,
): Target {
  const meta = { name, namespace, labels: { env } };
  const spec: Target["spec"] =
    platform === "nomad"
      ? {
          driver: "nomad",
          nomad: {
            address: fakes.nomad.address,
            namespace: "default",
            datacenters: ["dc1"],
            tokenSecretRef: { name: "nomad-token", key: "token" },
          },
        }
      : {
          driver: "ecs",
          ecs: {
            region: "eu-west-1",
            cluster: "shop-prod",
            launchType: "EC2",
            endpoint: fakes.ecs.endpoint,
            credentialsSecretRef: { name: "aws-credentials" },
          },
        };
  return { apiVersion: "release.stella.io/v1alpha1", kind: "Target", metadata: meta, spec } as Target;
}

/** A driver bound to `target` outside the controllers, to read the platform back. */
export function bindDriver(platform: Platform, fakes: PlatformFakes, target: Target): Promise<Driver> {
  const values: Record<string, string> = {
    token: fakes.nomadToken,
    AWS_ACCESS_KEY_ID: fakes.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: fakes.aws.secretAccessKey,
  };
  const ctx = {
    async secretValue(ref: { key?: string }) {
      const v = values[ref.key ?? ""];
      if (v === undefined) throw new Error(`no key ${ref.key}`);
      return v;
    },
  };
  return (platform === "nomad" ? nomadDriver : ecsDriver).create(target, ctx as never);
}
