// `stella token create`: mints a bearer token with the server's signing key (so it runs where
// the data directory is). The token carries the role grant; print it, hand it to its user.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { SIGNING_KEY_FILES } from "../../apiserver/auth/signing-key.ts";
import { ROLES, isRole, type Role } from "../../apiserver/auth/roles.ts";
import { TokenIssuer } from "../../apiserver/auth/tokens.ts";
import { parseDurationSeconds, parseFlags } from "../args.ts";
import { UsageError, printHelp, type Command } from "../command.ts";

/** `stella token create`. */
export const tokenCommand: Command = {
  name: "token",
  subcommands: ["create"],
  summary: "Create bearer tokens (run where the server's data directory is)",
  help: `Create a bearer token signed by the server's key.

Usage: stella token create --role ROLE [--role ROLE…] --namespace NS [--user NAME] [--ttl DURATION] [--data DIR]

Flags:
  --role ROLE        one of ${ROLES.join(", ")} (repeatable: each role applies in NS)
  --namespace NS     the namespace the roles apply in ("*" for all namespaces)
  --user NAME        the identity the token names (default: the roles and NS, e.g. viewer-shop,
                     operator-approver-all for "*"); approvals record it
  --group NAME       a group the user belongs to (repeatable); RoleBindings may name groups
  --ttl DURATION     lifetime such as 90s, 15m, 24h, 30d (default 24h)
  --data DIR         the server's data directory (default ./.stella)

The token is printed on stdout, nothing else, so it can be captured:

Examples:
  stella token create --role approver --namespace shop --user alice --ttl 8h
  stella token create --role operator --role approver --namespace shop --user alice
  TOKEN=$(stella token create --role viewer --namespace shop)
  kubectl --server https://127.0.0.1:7443 --certificate-authority .stella/ca.crt --token "$TOKEN" get releases -n shop`,
  async run(argv) {
    const [sub, ...rest] = argv;
    // `stella token create --help`: the subcommand has no help of its own, the command's covers it.
    if (rest.includes("--help") || rest.includes("-h")) return printHelp(tokenCommand);
    if (sub !== "create")
      throw new UsageError(
        sub ? `unknown subcommand "${sub}" (expected "create")` : 'missing subcommand (expected "create")',
      );
    const { values } = parseFlags(rest, {
      role: { type: "string", multiple: true },
      namespace: { type: "string", short: "n" },
      user: { type: "string" },
      group: { type: "string", multiple: true },
      ttl: { type: "string", default: "24h" },
      data: { type: "string", default: ".stella" },
    });
    const roles = [...new Set(values.role ?? [])].map((role): Role => {
      if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}, not "${role}"`);
      return role;
    });
    if (!roles.length) throw new UsageError("--role is required");
    if (!values.namespace) throw new UsageError('--namespace is required ("*" for all namespaces)');
    const dataDir = resolve(values.data!);
    if (!existsSync(join(dataDir, SIGNING_KEY_FILES.privateKey)))
      throw new Error(
        `no signing key in ${dataDir}: run this where the server's data directory is (start "stella server" first, or pass --data DIR)`,
      );
    const issuer = await TokenIssuer.open(dataDir);
    const token = await issuer.issue({
      subject: values.user ?? `${roles.join("-")}-${values.namespace === "*" ? "all" : values.namespace}`,
      groups: values.group ?? [],
      grants: roles.map((role) => ({ namespace: values.namespace!, role })),
      ttlSeconds: parseDurationSeconds(values.ttl!, "ttl"),
    });
    process.stdout.write(token + "\n");
    return 0;
  },
};
