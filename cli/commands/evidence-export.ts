// `stella evidence export [-n NS] [-o FILE]`: writes a namespace's packets and the server's public
// key as one JSON bundle an auditor verifies offline (stella evidence verify --bundle).
import { writeFile } from "node:fs/promises";
import { evidencePacketKind, type EvidencePacket } from "../../crds/evidence-packet.ts";
import { makeBundle } from "../../sdk/evidence/bundle.ts";
import { verifyChain } from "../../sdk/evidence/verify-chain.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { fetchServerKey } from "../evidence/public-key.ts";
import { reportError, reportNote } from "../output/report.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = { ...connectionFlags, output: { type: "string", short: "o" } } as const;

/** `stella evidence export`. */
export const evidenceExportCommand: Command = {
  name: "export",
  summary: "Write a namespace's evidence and public key as a bundle for offline verification",
  options,
  help: `Write every evidence packet of a namespace, complete and in sequence order, with the server's
public key, as one JSON file (apiVersion evidence.stella.io/v1, kind EvidenceBundle). Hand it to an
auditor with the public key (stella evidence key); they verify it without Stella's server:

  stella evidence verify --bundle FILE --key evidence.pub

The bundle is written even when the chain does not verify (a warning says so): the auditor
must see what is there.

Usage: stella evidence export [-n NS] [-o FILE]

Flags:
  -o, --output FILE   write to FILE (default: standard output)

${CONNECTION_HELP}

Examples:
  stella evidence export -n shop -o shop-evidence.json
  stella evidence export -n shop > shop-evidence.json`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    if (positionals.length > 0) throw new UsageError("export takes no names: it writes every packet of the namespace");
    const session = await Session.open(values);
    try {
      const namespace = session.namespace;
      const pem = await fetchServerKey(session);
      const { items } = await session.client.resource<EvidencePacket>(evidencePacketKind).listAll({ namespace });
      const bundle = makeBundle(namespace, items, pem, new Date());
      const text = JSON.stringify(bundle, null, 2) + "\n";
      const check = verifyChain(items, pem, { namespace });
      if (!check.ok)
        reportError(
          "evidence",
          `warning: ${check.packets.filter((p) => !p.ok).length} of ${items.length} packets do not verify with the server's key; exported as they are`,
        );
      if (values.output === undefined) process.stdout.write(text);
      else {
        await writeFile(values.output, text);
        reportNote(
          "evidence",
          `wrote ${items.length} packets of namespace ${namespace} to ${values.output}; verify offline: stella evidence verify --bundle ${values.output} --key evidence.pub`,
        );
      }
      return EXIT.ok;
    } finally {
      session.close();
    }
  },
};
