// `stella create secret generic NAME --from-literal k=v --from-file k=path`: a Secret, as
// `kubectl create secret generic` makes one. Values never reach the terminal or the logs.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { apiVersionOf } from "../../crds/scheme.ts";
import { SECRET_KEY, secretKind } from "../../crds/secret.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { dryRunFlag, dryRunSuffix, parseDryRun } from "../dry-run.ts";
import { objectName } from "../output/objects.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  ...dryRunFlag,
  "from-literal": { type: "string", multiple: true },
  "from-file": { type: "string", multiple: true },
  type: { type: "string" },
} as const;

/** Reads `key=value` literals and `[key=]path` files into base64 data, refusing bad or repeated keys. */
export async function secretData(literals: string[], files: string[]): Promise<Record<string, string>> {
  const data: Record<string, string> = {};
  const put = (key: string, value: Buffer, flag: string) => {
    if (!SECRET_KEY.test(key))
      throw new UsageError(`--${flag}: "${key}" is not a valid key (letters, digits, '-', '_' and '.')`);
    if (key in data) throw new UsageError(`--${flag}: the key "${key}" is given twice`);
    data[key] = value.toString("base64");
  };
  for (const lit of literals) {
    const eq = lit.indexOf("=");
    if (eq <= 0) throw new UsageError(`--from-literal must be key=value (got a value without "key=")`);
    put(lit.slice(0, eq), Buffer.from(lit.slice(eq + 1), "utf8"), "from-literal");
  }
  for (const spec of files) {
    const eq = spec.indexOf("=");
    const [key, path] = eq > 0 ? [spec.slice(0, eq), spec.slice(eq + 1)] : [basename(spec), spec];
    const content = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`--from-file: cannot read ${path}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
    });
    put(key, content, "from-file");
  }
  return data;
}

const generic: Command = {
  name: "generic",
  summary: "Create a Secret from literals and files",
  options,
  help: `Create a Secret from literal values and files. Values are sealed at rest by the server and
readable only by the admin and controller roles.

Usage: stella create secret generic NAME [--from-literal KEY=VALUE]... [--from-file [KEY=]PATH]... [--type TYPE]

Flags:
  --from-literal KEY=VALUE   a value given on the command line (repeatable)
  --from-file [KEY=]PATH     a value read from a file; the key defaults to the file's name (repeatable)
  --type TYPE                the Secret type (default Opaque), e.g. kubernetes.io/basic-auth
  --dry-run MODE             server: validate without storing; client: check locally only

${CONNECTION_HELP}

Examples:
  stella create secret generic registry-login -n shop --type kubernetes.io/basic-auth --from-literal username=ci --from-literal password="$PASS"
  stella create secret generic deploy-ssh-key -n shop --from-file id_ed25519=$HOME/.ssh/deploy_key`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    if (positionals.length !== 1) throw new UsageError("give exactly one secret name");
    const data = await secretData(values["from-literal"] ?? [], values["from-file"] ?? []);
    if (Object.keys(data).length === 0) throw new UsageError("give at least one --from-literal or --from-file");
    const dryRun = parseDryRun(values["dry-run"]);
    const session = await Session.open(values);
    try {
      const secret = {
        apiVersion: apiVersionOf(secretKind),
        kind: "Secret",
        metadata: { name: positionals[0], namespace: session.namespace },
        type: values.type,
        data,
      };
      if (dryRun !== "client")
        await session.client.resource(secretKind).create(secret as never, { dryRun: dryRun === "server" });
      process.stdout.write(`${objectName(secretKind, positionals[0])} created${dryRunSuffix(dryRun)}\n`);
      return EXIT.ok;
    } finally {
      session.close();
    }
  },
};

/** `stella create secret` (generic). */
export const createSecretCommand: Command = {
  name: "secret",
  summary: "Create a Secret (generic)",
  options,
  help: generic.help,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== "generic")
      throw new UsageError(
        sub
          ? `unknown secret type "${sub}" (stella create secret generic NAME ...)`
          : "stella create secret generic NAME --from-literal k=v",
      );
    return generic.run(rest);
  },
};
