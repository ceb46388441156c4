// `stella dashboard`: a one-time sign-in link to the web dashboard for the kubeconfig's user. The
// server makes the code (POST /ui/sign-in-codes as that user); it travels in the link's fragment,
// which the browser never sends to a server or writes to its logs, and works once, for a minute.
import { parseFlags } from "../args.ts";
import { EXIT, type Command } from "../command.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = { ...connectionFlags } as const;

/** The server's answer to a sign-in code request. */
interface SignInCode {
  code: string;
  expiresAt: string;
}

/** `stella dashboard`. */
export const dashboardCommand: Command = {
  name: "dashboard",
  summary: "Print a one-time sign-in link to the web dashboard",
  options,
  help: `Print a link that signs the kubeconfig's user in to the web dashboard (/ui on the server).

Usage: stella dashboard [-n NAMESPACE]

The link carries a one-time code that expires after a minute; opening it starts a dashboard session
as the same user with the same roles (at most 8 hours, never longer than the kubeconfig's token).
The code rides in the URL fragment, so it never reaches a server log, and the page removes it from
the address bar. Anyone who opens the link first signs in as you: do not share it.

${CONNECTION_HELP}

Examples:
  stella dashboard
  stella dashboard --kubeconfig .stella/admin.kubeconfig -n shop`,
  async run(argv) {
    const { values } = parseFlags(argv, options);
    const session = await Session.open(values);
    try {
      const { code, expiresAt } = await session.client.transport.request<SignInCode>({
        method: "POST",
        path: "/ui/sign-in-codes",
        body: {},
      });
      const seconds = Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000));
      const screen = values.namespace ? `&next=${encodeURIComponent(`/ui/ns/${values.namespace}/pipeline`)}` : "";
      process.stdout.write(`${session.server}/ui/sign-in#code=${code}${screen}\n`);
      process.stderr.write(`Open the link within ${seconds}s; it works once.\n`);
      return EXIT.ok;
    } finally {
      session.close();
    }
  },
};
