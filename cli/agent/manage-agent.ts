// `stella agent bootstrap NAME` and `stella agent revoke NAME`: what an operator does to an Agent.
import { agentKind } from "../../crds/agent.ts";
import { parseFlags, parseDurationSeconds } from "../args.ts";
import { EXIT, UsageError } from "../command.ts";
import { connectionFlags, Session } from "../session.ts";

/** Flags of bootstrap and revoke. */
export const manageAgentOptions = { ...connectionFlags, ttl: { type: "string" } } as const;

interface BootstrapAnswer {
  token: string;
  expirationTimestamp: string;
}

/** Prints a one-time bootstrap token for Agent NAME (only the token on stdout; how to use it on stderr). */
export async function bootstrapAgent(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, manageAgentOptions, true);
  if (positionals.length !== 1) throw new UsageError("give exactly one agent name");
  const name = positionals[0];
  const ttlSeconds = values.ttl ? parseDurationSeconds(values.ttl, "ttl") : undefined;
  const session = await Session.open(values);
  try {
    const answer = await session.client.transport.request<BootstrapAnswer>({
      method: "POST",
      path: `/agent-enrollment/v1/namespaces/${encodeURIComponent(session.namespace)}/agents/${encodeURIComponent(name)}/bootstrap`,
      body: ttlSeconds === undefined ? {} : { ttlSeconds },
    });
    process.stdout.write(answer.token + "\n");
    process.stderr.write(
      `One-time bootstrap token for agent ${session.namespace}/${name}, valid until ${answer.expirationTimestamp}. On the host, run\n` +
        `(the variable keeps the token out of the process list, where --bootstrap-token would show it):\n` +
        `  STELLA_BOOTSTRAP_TOKEN=TOKEN stella agent --server ${session.server} --name ${name} --data /var/lib/stella-agent\n`,
    );
    return EXIT.ok;
  } finally {
    session.close();
  }
}

/** Revokes Agent NAME: its credential stops working at once and its targets turn NotReady. */
export async function revokeAgent(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, manageAgentOptions, true);
  if (positionals.length !== 1) throw new UsageError("give exactly one agent name");
  const session = await Session.open(values);
  try {
    await session.client
      .resource(agentKind)
      .patch(positionals[0], { spec: { revoked: true } }, { namespace: session.namespace, type: "merge" });
    process.stdout.write(`agent.release.stella.io/${positionals[0]} revoked\n`);
    return EXIT.ok;
  } finally {
    session.close();
  }
}
