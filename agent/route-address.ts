// Where this host's units answer for routers (they use the host network): the agent's --address,
// else the local address of a connection to the server — the interface this host reaches the
// control plane from, which is where a router beside the control plane reaches the host back.
import { connect } from "node:net";
import { AgentConfigError } from "./errors.ts";

const DEFAULT_PORTS: Record<string, number> = { "https:": 443, "http:": 80 };

/** The local address of a TCP connection to `server` (a URL); rejects when it cannot connect. */
export async function localAddressTowards(server: string, timeoutMs = 10_000): Promise<string> {
  const url = new URL(server);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol];
  if (!port) throw new AgentConfigError("--server", `cannot tell the port of ${server}`);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once("connect", () => {
      const address = socket.localAddress;
      socket.destroy();
      if (address) resolve(address.replace(/^::ffff:/, ""));
      else reject(new Error(`no local address for the connection to ${server}`));
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`connecting to ${server} timed out`));
    });
    socket.once("error", reject);
  });
}
