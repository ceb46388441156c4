// `stella evidence verify|export|key`: checking sealed evidence with only a public key.
import { evidencePacketKind } from "../../crds/evidence-packet.ts";
import { type Command } from "../command.ts";
import { runSubcommand } from "../subcommands.ts";
import { evidenceExportCommand } from "./evidence-export.ts";
import { evidenceKeyCommand } from "./evidence-key.ts";
import { evidenceVerifyCommand } from "./evidence-verify.ts";

const subcommands: readonly Command[] = [evidenceVerifyCommand, evidenceExportCommand, evidenceKeyCommand];

/** `stella evidence`. */
export const evidenceCommand: Command = {
  name: "evidence",
  summary: "Verify sealed evidence offline, export it for an auditor, print the public key",
  subcommands: subcommands.map((c) => c.name),
  options: Object.assign({}, ...subcommands.map((c) => c.options)),
  completion: {
    argument: (positionals) =>
      positionals.length === 1 && positionals[0] === "verify" ? evidencePacketKind : undefined,
  },
  help: `Every promotion decision, approval, rejection, gate verdict, deployment outcome and rollback
leaves an EvidencePacket that the server seals: an in-toto Statement (subjects = the release's
image digests) in a DSSE envelope signed with Ed25519 over RFC 8785 canonical JSON, chained to
the namespace's previous packet by its sha256. Packets are write-once. To list or read them use
"stella get evidencepackets" and "stella describe evidencepacket NAME".

Usage: stella evidence <subcommand> [flags]

Subcommands:
${subcommands.map((c) => `  ${c.name.padEnd(8)}${c.summary}`).join("\n")}

Examples:
  stella evidence key > evidence.pub
  stella evidence verify --chain -n shop --key evidence.pub
  stella evidence export -n shop -o shop-evidence.json
  stella evidence verify --bundle shop-evidence.json --key evidence.pub`,
  run: (argv) => runSubcommand(subcommands, argv),
};
