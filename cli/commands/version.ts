// `stella version`: the client's version and, unless --client, the server's (GET /version).
import { parseFlags } from "../args.ts";
import { CLIENT_VERSION } from "../client-version.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { errorMessage } from "../error-message.ts";
import { toJson, toYaml } from "../output/objects.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = { ...connectionFlags, client: { type: "boolean" }, output: { type: "string", short: "o" } } as const;

/** `stella version`. */
export const versionCommand: Command = {
  name: "version",
  summary: "Print the client and server versions",
  options,
  help: `Print the stella client version and the version of the server the kubeconfig points at.

Usage: stella version [--client] [-o json|yaml]

Flags:
  --client          only the client version (no server needed)
  -o, --output      json or yaml

${CONNECTION_HELP}

Examples:
  stella version
  stella version --client -o json`,
  async run(argv) {
    const { values } = parseFlags(argv, options);
    const format = values.output;
    if (format !== undefined && format !== "json" && format !== "yaml")
      throw new UsageError(`-o must be json or yaml, not "${format}"`);
    const out: { clientVersion: { gitVersion: string; platform: string }; serverVersion?: unknown } = {
      clientVersion: { gitVersion: `v${CLIENT_VERSION}`, platform: `${process.platform}/${process.arch}` },
    };
    let failure: unknown;
    if (!values.client) {
      try {
        const session = await Session.open(values);
        out.serverVersion = await session.client.transport.request({ method: "GET", path: "/version" });
        session.close();
      } catch (err) {
        failure = err;
      }
    }
    if (format === "json") process.stdout.write(toJson(out));
    else if (format === "yaml") process.stdout.write(toYaml(out));
    else {
      process.stdout.write(`Client Version: v${CLIENT_VERSION}\n`);
      const server = out.serverVersion as { gitVersion?: string } | undefined;
      if (server) process.stdout.write(`Server Version: ${server.gitVersion ?? "unknown"}\n`);
    }
    if (failure === undefined) return EXIT.ok;
    process.stderr.write(`stella version: ${errorMessage(failure)}\n`);
    return EXIT.failure;
  },
};
