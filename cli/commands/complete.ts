// `stella __complete WORDS...`: the candidates the completion scripts offer for the last word,
// one per line. Lookups on the server are brief (2 s) and fail silently: completion never
// prints an error.
import { namespaceKind } from "../../crds/namespace.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { Client } from "../../sdk/client.ts";
import { loadKubeconfig } from "../../sdk/kubeconfig.ts";
import { parseFlags } from "../args.ts";
import { EXIT, type Command } from "../command.ts";
import { candidates } from "../completion/candidates.ts";
import { connectionFlags } from "../session.ts";

/** The connection flags written so far on the line being completed. */
function connectionOf(words: string[]): {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces: boolean;
} {
  const pick: string[] = [];
  let all = false;
  words.forEach((w, i) => {
    if (["--kubeconfig", "--context", "--namespace", "-n"].includes(w) && i + 1 < words.length - 1)
      pick.push(w, words[i + 1]);
    else if (/^--(kubeconfig|context|namespace)=/.test(w)) pick.push(w);
    else if (w === "-A" || w === "--all-namespaces") all = true;
  });
  try {
    return { ...parseFlags(pick, connectionFlags).values, allNamespaces: all };
  } catch {
    return { allNamespaces: all };
  }
}

/** `stella __complete` (hidden). */
export const completeCommand: Command = {
  name: "__complete",
  summary: "Completion candidates for the shell scripts",
  help: "Used by the completion scripts: stella __complete WORDS... prints candidates for the last word.",
  async run(argv) {
    const conn = connectionOf(argv);
    let client: Client | undefined;
    const connect = async () =>
      (client ??= await Client.fromKubeconfig(
        { path: conn.kubeconfig, context: conn.context, namespace: conn.namespace },
        { timeoutMs: 2000 },
      ));
    const names = async (info: KindInfo, namespace?: string) => {
      const c = await connect();
      const { items } = await c.resource(info).list({
        namespace: info.namespaced && !conn.allNamespaces ? (namespace ?? c.namespace) : undefined,
        limit: 500,
      });
      return [...new Set(items.map((o) => o.metadata.name!))];
    };
    const out = await candidates(argv, {
      namespaces: () => names(namespaceKind),
      contexts: async () => [...(await loadKubeconfig({ path: conn.kubeconfig })).contexts.keys()],
      objectNames: (info) => names(info),
    });
    (client as Client | undefined)?.close();
    process.stdout.write(out.map((c) => c + "\n").join(""));
    return EXIT.ok;
  },
};
