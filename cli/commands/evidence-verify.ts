// `stella evidence verify NAME | --chain | --bundle FILE`: checks evidence with only a public key.
// A packet or a namespace's chain is read from the server; a bundle is read from a file, fully
// offline (no server, no kubeconfig). Exit 1 when anything fails.
import { readFile } from "node:fs/promises";
import { evidencePacketKind, type EvidencePacket } from "../../crds/evidence-packet.ts";
import { parseBundle, verifyBundle } from "../../sdk/evidence/bundle.ts";
import { BundleInvalidError } from "../../sdk/evidence/errors.ts";
import { keyIdOfPem } from "../../sdk/evidence/keys.ts";
import { verifyChain } from "../../sdk/evidence/verify-chain.ts";
import { verifyPacket, type PacketVerdict } from "../../sdk/evidence/verify-packet.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { fetchServerKey, readKeyFile } from "../evidence/public-key.ts";
import { summaryLine, verdictLines } from "../evidence/report.ts";
import { reportNote } from "../output/report.ts";
import { objectNameArg } from "../resource-args.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  key: { type: "string" },
  chain: { type: "boolean" },
  bundle: { type: "string" },
} as const;

/** Prints the verdicts and the summary; returns the exit code. */
function report(verdicts: readonly PacketVerdict[], what: string, keyPem: string): number {
  const keyId = keyIdOfPem(keyPem);
  process.stdout.write([...verdictLines(verdicts), "", summaryLine(verdicts, { what, keyId })].join("\n") + "\n");
  return verdicts.every((v) => v.ok) ? EXIT.ok : EXIT.failure;
}

/** Verifies a bundle file offline with the key file at `keyPath`. */
async function verifyBundleFile(file: string, keyPath: string): Promise<number> {
  const pem = await readKeyFile(keyPath);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new BundleInvalidError(
      "",
      `${file} can not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const bundle = parseBundle(text);
  const verdict = verifyBundle(bundle, pem);
  if (!verdict.keyMatches)
    reportNote("evidence", `the bundle names key ${bundle.keyId}; verifying with ${verdict.keyId} from ${keyPath}`);
  if (bundle.packets.length === 0) {
    process.stdout.write(`bundle ${file} holds no evidence packets (namespace ${bundle.namespace})\n`);
    return EXIT.ok;
  }
  return report(verdict.packets, `bundle ${file} (namespace ${bundle.namespace}, exported ${bundle.exportedAt})`, pem);
}

/** `stella evidence verify`. */
export const evidenceVerifyCommand: Command = {
  name: "verify",
  summary: "Verify a packet, a namespace's chain, or an exported bundle",
  options,
  help: `Verify evidence packets: each packet's Ed25519 signature over its DSSE envelope, that its
payload hashes to its recorded digest, and that every stored field is what was signed; with
--chain or --bundle also the chain: sequences from 0 without gaps or forks, each packet naming
the digest of the one before it.

Prints one row per packet: SEQ, NAME, TYPE, OUTCOME and OK or exactly what is wrong (which
field differs from the signed payload, a signature that does not verify, a missing sequence...),
then a summary line. Exit 1 when anything fails.

Usage:
  stella evidence verify NAME [-n NS] [--key pub.pem]
  stella evidence verify --chain [-n NS] [--key pub.pem]
  stella evidence verify --bundle FILE --key pub.pem

Flags:
  --key FILE       the PEM public key to verify with. Without it, NAME and --chain use the key
                   the server serves (stella evidence key), which shows only that the server is
                   consistent with itself; an auditor passes a key obtained independently.
  --chain          verify every packet of the namespace and the links between them
  --bundle FILE    verify a bundle written by "stella evidence export", offline: no server and
                   no kubeconfig are used; --key is required

${CONNECTION_HELP}

Examples:
  stella evidence verify deployment-shop-1-4-0-prod-succeeded-0 -n shop
  stella evidence key > evidence.pub
  stella evidence verify --chain -n shop --key evidence.pub
  stella evidence verify --bundle shop-evidence.json --key evidence.pub`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    const modes = [positionals.length > 0, values.chain === true, values.bundle !== undefined].filter(Boolean).length;
    if (modes !== 1) throw new UsageError("give exactly one of: a packet NAME, --chain, or --bundle FILE");
    if (positionals.length > 1) throw new UsageError("give one packet name (use --chain for all of them)");
    if (values.bundle !== undefined) {
      if (values.key === undefined)
        throw new UsageError(
          "--bundle needs --key FILE: an offline check verifies with a public key you obtained yourself",
        );
      return verifyBundleFile(values.bundle, values.key);
    }
    const name = positionals.length === 1 ? objectNameArg(positionals[0], evidencePacketKind) : undefined;
    const session = await Session.open(values);
    try {
      const namespace = session.namespace;
      let pem: string;
      if (values.key !== undefined) pem = await readKeyFile(values.key);
      else {
        pem = await fetchServerKey(session);
        reportNote(
          "evidence",
          "verifying with the key the server serves; pass --key FILE to verify with a key you trust",
        );
      }
      const packets = session.client.resource<EvidencePacket>(evidencePacketKind);
      if (name !== undefined)
        return report(
          [verifyPacket(await packets.get(name, { namespace }), pem)],
          `packet ${name} in namespace ${namespace}`,
          pem,
        );
      const { items } = await packets.listAll({ namespace });
      if (items.length === 0) {
        process.stdout.write(`no evidence packets in namespace ${namespace}\n`);
        return EXIT.ok;
      }
      return report(verifyChain(items, pem, { namespace }).packets, `chain of namespace ${namespace}`, pem);
    } finally {
      session.close();
    }
  },
};
