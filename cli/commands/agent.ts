// `stella agent`: run the agent on a host, or (operators) hand out a bootstrap token or revoke one.
import { bootstrapAgent, manageAgentOptions, revokeAgent } from "../agent/manage-agent.ts";
import { runAgent, runAgentOptions } from "../agent/run-agent.ts";
import { printHelp, type Command } from "../command.ts";
import { CONNECTION_HELP } from "../session.ts";

/** `stella agent`. */
export const agentCommand: Command = {
  name: "agent",
  summary: "Run the agent on a host that only dials out; bootstrap or revoke an agent",
  subcommands: ["bootstrap", "revoke"],
  options: { ...runAgentOptions, ...manageAgentOptions },
  help: `Run the Stella agent, or manage an Agent's credentials.

Usage:
  stella agent --server URL --name NAME --bootstrap-token TOKEN --data DIR [--socket PATH] [--compose-command CMD]
               [--address ADDR]
  stella agent bootstrap NAME [--ttl DURATION] [-n NS]
  stella agent revoke NAME [-n NS]

The agent runs on a host the server cannot reach: it only dials out. On its first start it makes an
Ed25519 key pair in --data (mode 0600), checks the server's CA against the hash the bootstrap token
carries, and enrolls once; afterwards it holds a short-lived credential bound to its name and key,
renews it before it expires, heartbeats through the Lease agent-NAME, and runs the AgentWork the
server hands it with the local Docker Engine. Restarted, it resumes from --data (no token needed).

Agent flags:
  --server URL             the apiserver, e.g. https://127.0.0.1:7443 (needed to enroll)
  --name NAME              the Agent object's name (an operator creates it first)
  --bootstrap-token TOKEN  from "stella agent bootstrap NAME"; only for the first start
                           (or $STELLA_BOOTSTRAP_TOKEN, which keeps it out of the process list)
  --data DIR               where the agent keeps its key and credential
  --socket PATH            the local Docker Engine socket (default /var/run/docker.sock)
  --credential-ttl D       lifetime to ask for each credential (default: the server's, 15m)
  --compose-command CMD    the compose CLI for runtime compose targets, e.g. "docker compose"
                           (default: \`docker compose\` when it answers, else \`docker-compose\`)
  --address ADDR           where this host's units answer for routers (an IP address or DNS
                           name; they use the host network): reported in Agent status.address
                           and on every unit, so a Canary can route to them (default: the local
                           address of the agent's connection to the server)

The agent reports capabilities docker, and compose when a compose CLI answers on the host; a Target
with spec.agent.runtime compose runs its units as a compose project (spec.agent.project,
stella-TARGET when omitted) with the same code as the compose driver, and an agent without compose
leaves it NotReady (InvalidTarget) saying so.

bootstrap prints a one-time token (15 minutes unless --ttl) on stdout and how to use it on stderr.
It stops working once used, when it expires, when the Agent changes, or when a newer one is made
(only the newest works). Needs update rights on agents.
revoke sets spec.revoked: the agent's credential stops working at once, it cannot renew, and its
targets turn NotReady. To let the host back in, set spec.revoked to false and bootstrap it again.

${CONNECTION_HELP}

Examples:
  stella apply -f - <<'EOF'
  apiVersion: release.stella.io/v1alpha1
  kind: Agent
  metadata: {name: prod-web-2-agent, namespace: shop}
  spec: {heartbeatInterval: 10s}
  EOF
  TOKEN=$(stella agent bootstrap prod-web-2-agent -n shop)
  stella agent --server https://127.0.0.1:7443 --name prod-web-2-agent --bootstrap-token "$TOKEN" --data ./agent-data
  stella get agents -n shop
  stella agent revoke prod-web-2-agent -n shop`,
  async run(argv) {
    const [sub, ...rest] = argv;
    // `stella agent bootstrap --help`: the subcommands have no help of their own, the command's covers them.
    if (rest.includes("--help") || rest.includes("-h")) return printHelp(agentCommand);
    if (sub === "bootstrap") return bootstrapAgent(rest);
    if (sub === "revoke") return revokeAgent(rest);
    return runAgent(argv);
  },
};
