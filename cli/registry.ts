// Every `stella` command, loaded on demand so that `stella get` does not pay for loading the
// apiserver that `stella server` needs.
import type { Command } from "./command.ts";

/** A command as the dispatcher lists it before loading it. */
export interface CommandEntry {
  name: string;
  summary: string;
  /** The heading it is listed under in `stella --help`; hidden when absent. */
  group?: "Basic" | "Deploy" | "Approve" | "Settings" | "Server";
  load(): Promise<Command>;
}

/** The commands, in the order `stella --help` lists them. */
export const commandEntries: readonly CommandEntry[] = [
  {
    name: "create",
    group: "Basic",
    summary: "Create a namespace (more kinds to come)",
    load: async () => (await import("./commands/create.ts")).createCommand,
  },
  {
    name: "get",
    group: "Basic",
    summary: "List objects, or watch them change (-w)",
    load: async () => (await import("./commands/get.ts")).getCommand,
  },
  {
    name: "describe",
    group: "Basic",
    summary: "Show an object: spec, conditions, history, related objects",
    load: async () => (await import("./commands/describe.ts")).describeCommand,
  },
  {
    name: "delete",
    group: "Basic",
    summary: "Delete objects by name, label or manifest, and wait until gone",
    load: async () => (await import("./commands/delete.ts")).deleteCommand,
  },
  {
    name: "apply",
    group: "Deploy",
    summary: "Create or update objects from manifests (-f)",
    load: async () => (await import("./commands/apply.ts")).applyCommand,
  },
  {
    name: "diff",
    group: "Deploy",
    summary: "Show what apply would change (exit 1 when something would)",
    load: async () => (await import("./commands/diff.ts")).diffCommand,
  },
  {
    name: "rollout",
    group: "Deploy",
    summary: "Follow a deployment (status -w), or pause, resume, abort or retry it",
    load: async () => (await import("./commands/rollout.ts")).rolloutCommand,
  },
  {
    name: "rollback",
    group: "Deploy",
    summary: "Put an environment's previous (or a named) release back",
    load: async () => (await import("./commands/rollback.ts")).rollbackCommand,
  },
  {
    name: "canary",
    group: "Deploy",
    summary: "Promote or abort a canary",
    load: async () => (await import("./commands/canary.ts")).canaryCommand,
  },
  {
    name: "deployment",
    group: "Deploy",
    summary: "Print exactly what a deployment generated (deployment artifacts NAME)",
    load: async () => (await import("./commands/deployment.ts")).deploymentCommand,
  },
  {
    name: "wait",
    group: "Deploy",
    summary: "Wait for a condition, a value, or deletion",
    load: async () => (await import("./commands/wait.ts")).waitCommand,
  },
  {
    name: "approve",
    group: "Approve",
    summary: "Approve a promotion (as the kubeconfig's user)",
    load: async () => (await import("./commands/approve.ts")).approveCommand,
  },
  {
    name: "reject",
    group: "Approve",
    summary: "Reject a promotion, saying why (--comment is required)",
    load: async () => (await import("./commands/approve.ts")).rejectCommand,
  },
  {
    name: "audit",
    group: "Approve",
    summary: "Query the audit log: who did what, when",
    load: async () => (await import("./commands/audit.ts")).auditCommand,
  },
  {
    name: "evidence",
    group: "Approve",
    summary: "Verify sealed evidence offline (verify NAME|--chain|--bundle), export it, print the key",
    load: async () => (await import("./commands/evidence.ts")).evidenceCommand,
  },
  {
    name: "config",
    group: "Settings",
    summary: "Show and switch kubeconfig contexts",
    load: async () => (await import("./commands/config.ts")).configCommand,
  },
  {
    name: "api-resources",
    group: "Settings",
    summary: "List the resource types the server serves",
    load: async () => (await import("./commands/api-resources.ts")).apiResourcesCommand,
  },
  {
    name: "version",
    group: "Settings",
    summary: "Print the client and server versions",
    load: async () => (await import("./commands/version.ts")).versionCommand,
  },
  {
    name: "completion",
    group: "Settings",
    summary: "Print a bash or zsh completion script",
    load: async () => (await import("./commands/completion.ts")).completionCommand,
  },
  {
    name: "server",
    group: "Server",
    summary: "Run the Stella API server",
    load: async () => (await import("./server/server-command.ts")).serverCommand,
  },
  {
    name: "dashboard",
    group: "Server",
    summary: "Print a one-time sign-in link to the web dashboard",
    load: async () => (await import("./commands/dashboard.ts")).dashboardCommand,
  },
  {
    name: "agent",
    group: "Server",
    summary: "Run the agent on a host that only dials out; bootstrap or revoke an agent",
    load: async () => (await import("./commands/agent.ts")).agentCommand,
  },
  {
    name: "token",
    group: "Server",
    summary: "Create bearer tokens (run where the server's data directory is)",
    load: async () => (await import("./server/token-command.ts")).tokenCommand,
  },
  {
    name: "__complete",
    summary: "Completion candidates for the shell scripts",
    load: async () => (await import("./commands/complete.ts")).completeCommand,
  },
];

/** The entry named `name`, if any. */
export const findCommand = (name: string): CommandEntry | undefined => commandEntries.find((c) => c.name === name);
