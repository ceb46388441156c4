// Target: one place to run containers. `driver` names the backend and exactly the matching block
// holds its connection settings; credentials are always references to Secrets.
import { z } from "zod";
import {
  condition,
  dnsSubdomain,
  duration,
  hostAddress,
  kindSchema,
  localObjectReference,
  secretKeyRef,
  timestamp,
} from "./meta.ts";
import { forbidField, requireField } from "./refinements.ts";
import type { KindInfo } from "./scheme-types.ts";

/** The built-in drivers; each has a settings block of the same name in Target.spec. */
export const TARGET_DRIVERS = ["docker", "compose", "ssh", "agent", "ecs", "nomad"] as const;
export type TargetDriver = (typeof TARGET_DRIVERS)[number];

const absolutePath = z.string().startsWith("/", "must be an absolute path");
const engineHost = z
  .string()
  .regex(/^(tcp|unix|ssh):\/\/\S+$/, "must be a tcp://, unix:// or ssh:// address")
  .meta({ description: "Docker Engine address (tcp://host:2376, unix:///path); instead of socket." });

/** A Docker Engine reached through its API. */
export const dockerTarget = z.strictObject({
  socket: absolutePath.optional().meta({
    description: "Path of the engine's Unix socket; /var/run/docker.sock when neither socket nor host is set.",
  }),
  host: engineHost.optional(),
  tlsSecretRef: localObjectReference
    .optional()
    .meta({ description: "Secret with ca.crt, tls.crt and tls.key for a TLS engine address." }),
});

/** A Compose project on a Docker Engine, driven through a generated compose file. */
export const composeTarget = z.strictObject({
  project: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a compose project name: lowercase letters, digits, '_' and '-'")
    .meta({ description: "Compose project name; everything Stella runs here belongs to it." }),
  socket: absolutePath.optional().meta({
    description: "Path of the engine's Unix socket; /var/run/docker.sock when neither socket nor host is set.",
  }),
  host: engineHost.optional(),
  command: z.array(z.string().min(1)).min(1).optional().meta({
    description:
      "Compose command to run, e.g. [docker, compose]; `docker compose` when present, else `docker-compose`.",
  }),
});

/** Host key formats as they appear in known_hosts. */
export const HOST_KEY =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,2}( .*)?$/;

const hostKey = z.string().regex(HOST_KEY, "must be a public host key as in known_hosts: '<type> <base64>'").meta({
  description: "The host's public key, as in known_hosts ('ssh-ed25519 AAAA...'); any other key is refused.",
});

/** An SSH host the connection to a target hops through; its own key is pinned too. */
export const sshJumpHost = z.strictObject({
  host: z.string().min(1).meta({ description: "Jump host name or address." }),
  port: z.number().int().min(1).max(65535).optional().meta({ description: "SSH port; 22 when omitted." }),
  user: z.string().min(1).optional().meta({ description: "Login user on the jump host; the target's when omitted." }),
  hostKey,
  privateKeySecretRef: secretKeyRef
    .optional()
    .meta({ description: "Secret key holding the private key for the jump host; the target's when omitted." }),
  passphraseSecretRef: secretKeyRef
    .optional()
    .meta({ description: "Secret key holding that private key's passphrase, if it has one." }),
});

/** A host reached over SSH; its engine is driven remotely. Host keys are pinned, never trusted on first use. */
export const sshTarget = z.strictObject({
  host: z.string().min(1).meta({ description: "Host name or address." }),
  port: z.number().int().min(1).max(65535).optional().meta({ description: "SSH port; 22 when omitted." }),
  user: z.string().min(1).optional().meta({ description: "Login user; root when omitted." }),
  hostKey,
  privateKeySecretRef: secretKeyRef.meta({ description: "Secret key holding the private key to log in with." }),
  passphraseSecretRef: secretKeyRef
    .optional()
    .meta({ description: "Secret key holding the private key's passphrase, if it has one." }),
  jumpHost: sshJumpHost.optional().meta({ description: "A bastion the connection goes through (ssh -J)." }),
  runtime: z
    .enum(["docker", "compose"])
    .optional()
    .meta({ description: "How containers run on the host: docker (default) or compose." }),
  socket: absolutePath
    .optional()
    .meta({ description: "Path of the engine socket on the remote host; /var/run/docker.sock when omitted." }),
  project: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a compose project name: lowercase letters, digits, '_' and '-'")
    .optional()
    .meta({ description: "Compose project (runtime compose); stella-<target> when omitted." }),
  commandTimeout: duration.optional().meta({
    description:
      "How long one call to the host (an Engine API request without progress, a remote command) may take; 60s when omitted.",
  }),
  maxConcurrency: z.number().int().min(1).max(64).optional().meta({
    description:
      "Channels open at once on the one connection to the host (Engine API calls, commands); 8 when omitted.",
  }),
});

/** A host served by an enrolled Stella agent. */
export const agentTarget = z.strictObject({
  name: dnsSubdomain.meta({ description: "Name of the Agent that serves this target." }),
  runtime: z.enum(["docker", "compose"]).optional().meta({
    description:
      "How the agent runs containers: docker (default) or compose (the agent must report the compose capability).",
  }),
  project: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a compose project name: lowercase letters, digits, '_' and '-'")
    .optional()
    .meta({ description: "Compose project (runtime compose); stella-<target> when omitted." }),
});

/** An AWS ECS cluster. */
export const ecsTarget = z.strictObject({
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region such as eu-west-1")
    .meta({ description: "AWS region." }),
  cluster: z.string().min(1).meta({ description: "Cluster name or ARN." }),
  launchType: z
    .enum(["FARGATE", "EC2", "EXTERNAL"])
    .optional()
    .meta({ description: "Launch type of the services Stella creates; FARGATE when omitted." }),
  endpoint: z
    .url()
    .optional()
    .meta({ description: "ECS API endpoint, for VPC endpoints or a test double; the regional endpoint when omitted." }),
  credentialsSecretRef: secretKeyRef.optional().meta({
    description:
      "Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and optionally AWS_SESSION_TOKEN); the default credential chain when omitted.",
  }),
  roleArn: z.string().min(1).optional().meta({ description: "Role to assume before calling ECS." }),
  executionRoleArn: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Task execution role for the task definitions Stella registers." }),
  taskRoleArn: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Task role for the task definitions Stella registers." }),
  network: z
    .strictObject({
      subnets: z.array(z.string().min(1)).min(1),
      securityGroups: z.array(z.string().min(1)).optional(),
      assignPublicIp: z.boolean().optional(),
    })
    .optional()
    .meta({ description: "awsvpc network configuration of the services." }),
});

/** A HashiCorp Nomad cluster. */
export const nomadTarget = z.strictObject({
  address: z.url().meta({ description: "Nomad HTTP API address, e.g. http://127.0.0.1:4646." }),
  namespace: z.string().min(1).optional().meta({ description: "Nomad namespace; default when omitted." }),
  region: z.string().min(1).optional().meta({ description: "Nomad region; the agent's region when omitted." }),
  datacenters: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .meta({ description: "Datacenters the generated jobs may run in." }),
  nodePool: z.string().min(1).optional(),
  tokenSecretRef: secretKeyRef.optional().meta({ description: "Secret key holding an ACL token." }),
  tlsSecretRef: localObjectReference
    .optional()
    .meta({ description: "Secret with ca.crt (and tls.crt, tls.key for mutual TLS)." }),
});

/** Target.spec: `driver` plus exactly the block of that name. */
export const targetSpec = z
  .strictObject({
    driver: z
      .enum(TARGET_DRIVERS)
      .meta({ description: "Which driver runs containers here; the block of the same name holds its settings." }),
    docker: dockerTarget.optional(),
    compose: composeTarget.optional(),
    ssh: sshTarget.optional(),
    agent: agentTarget.optional(),
    ecs: ecsTarget.optional(),
    nomad: nomadTarget.optional(),
    imagePullSecrets: z
      .array(localObjectReference)
      .optional()
      .meta({ description: "Secrets with registry credentials for pulling images here." }),
    unschedulable: z
      .boolean()
      .optional()
      .meta({ description: "Cordon: new deployments skip this target; what runs stays." }),
    unitAddress: hostAddress.optional().meta({
      description:
        "Where routers reach this target's units, which use the host network (an IP address or DNS name), " +
        "when it is not where Stella reaches the host: a private interface behind a bastion, an agent's host " +
        "behind NAT, hosts that share one machine. Omitted: the engine's host (docker, compose), ssh.host, " +
        "the address the agent reports, or where Nomad or ECS placed each unit.",
    }),
  })
  .superRefine((spec, ctx) => {
    if (spec[spec.driver] === undefined)
      requireField(ctx, [spec.driver], `spec.${spec.driver} is required when driver is ${spec.driver}`);
    for (const other of TARGET_DRIVERS) {
      if (other !== spec.driver && spec[other] !== undefined)
        forbidField(ctx, [other], `may only be set when driver is ${other}`);
    }
    for (const block of [spec.docker, spec.compose]) {
      if (block?.socket !== undefined && block.host !== undefined)
        forbidField(ctx, [spec.driver, "host"], "may not be set together with socket");
    }
  });
export type TargetSpec = z.infer<typeof targetSpec>;

/** Condition types of a Target. */
export const TargetConditions = { Ready: "Ready" } as const;

/** One unit (a component of a release) the driver observed on the target. */
export const observedUnit = z.strictObject({
  id: z.string().meta({ description: "The backend's identifier (container id, ECS service, Nomad job)." }),
  component: z.string().optional(),
  release: z.string().optional(),
  deployment: z.string().optional(),
  image: z.string().optional().meta({ description: "The pinned image it runs." }),
  state: z.string().optional().meta({ description: "The backend's state word (running, exited, ...)." }),
  healthy: z.boolean().optional(),
});

/** A platform's own rollout of one of Stella's workloads there (Nomad job, ECS service). */
export const platformRollout = z.strictObject({
  id: z.string().meta({ description: "The platform's object: Nomad job id, ECS service name." }),
  environment: z.string().optional(),
  release: z.string().optional(),
  version: z
    .string()
    .meta({ description: "Its version as the platform counts it: Nomad job version, ECS task definition revision." }),
  deployment: z.string().optional().meta({ description: "The platform's deployment id." }),
  status: z.string().meta({ description: "The platform's word for the rollout: running, successful, failed, ..." }),
  message: z.string().optional(),
  desired: z.number().int().optional(),
  healthy: z.number().int().optional(),
  unhealthy: z.number().int().optional(),
  drift: z.string().optional().meta({ description: "Set when the object was changed outside Stella: what differs." }),
});

/** Target.status. */
export const targetStatus = z.strictObject({
  observedGeneration: z.number().int().optional(),
  conditions: z
    .array(condition)
    .optional()
    .meta({ description: "Ready tells whether the last probe reached the backend; its reason says why not." }),
  lastProbeTime: timestamp.optional().meta({ description: "When the driver last probed the target." }),
  agent: z.string().optional().meta({ description: "The agent serving the target now (driver agent)." }),
  platform: z
    .strictObject({
      name: z.string().optional().meta({ description: "What answered, e.g. Docker Engine, Nomad, ECS." }),
      version: z.string().optional(),
      os: z.string().optional(),
      arch: z.string().optional(),
    })
    .optional()
    .meta({ description: "What the backend reported at the last probe." }),
  units: z
    .array(observedUnit)
    .optional()
    .meta({ description: "What Stella runs there, as observed through its labels." }),
  rollouts: z
    .array(platformRollout)
    .optional()
    .meta({ description: "Platforms that roll out by themselves (nomad, ecs): their own view of Stella's workloads." }),
});
export type TargetStatus = z.infer<typeof targetStatus>;

/** A full Target object. */
export const targetSchema = kindSchema("Target", targetSpec, targetStatus);
export type Target = z.infer<typeof targetSchema>;

/** Registration of the Target kind. */
export const targetKind: KindInfo = {
  kind: "Target",
  plural: "targets",
  singular: "target",
  shortNames: ["tgt"],
  namespaced: true,
  categories: ["all", "stella"],
  schema: targetSchema,
  hasStatus: true,
  printerColumns: [
    { name: "Driver", type: "string", jsonPath: ".spec.driver" },
    { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: "Reason", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
    { name: "Last Probe", type: "date", jsonPath: ".status.lastProbeTime" },
    { name: "Agent", type: "string", jsonPath: ".status.agent", priority: 1 },
  ],
  selectableFields: ["spec.driver", "spec.agent.name"],
  description:
    "One place to run containers: a driver (docker, compose, ssh, agent, ecs, nomad) and its connection settings. Environments select targets by label. Status shows reachability and the last probe.",
};
