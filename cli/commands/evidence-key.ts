// `stella evidence key`: prints the PEM public key the server seals evidence with.
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { fetchServerKey } from "../evidence/public-key.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

/** `stella evidence key`. */
export const evidenceKeyCommand: Command = {
  name: "key",
  summary: "Print the public key the server seals evidence with (PEM)",
  options: connectionFlags,
  help: `Print the Ed25519 public key (PEM) the server seals evidence packets with. Its id (the sha256
of the key) is in every packet's spec.seal.keyId. Keep a copy where the server can not change it
and give it to auditors: with it, "stella evidence verify" needs nothing else.

The same file is DATA_DIR/evidence.pub on the server.

Usage: stella evidence key

${CONNECTION_HELP}

Example:
  stella evidence key > evidence.pub`,
  async run(argv) {
    const { positionals, values } = parseFlags(argv, connectionFlags, true);
    if (positionals.length > 0) throw new UsageError("key takes no arguments");
    const session = await Session.open(values);
    try {
      process.stdout.write(await fetchServerKey(session));
      return EXIT.ok;
    } finally {
      session.close();
    }
  },
};
