// The remote Docker Engine through the SSH connection: dockerode with an HTTP agent whose every
// connection is a channel to the host's engine socket (OpenSSH streamlocal forwarding, as
// `ssh -L local.sock:/var/run/docker.sock` does), so the shared controllers/engine/ code runs
// unchanged. Health probes go to the host's address.
import { Agent, type AgentOptions } from "node:http";
import type { Duplex } from "node:stream";
import Docker from "dockerode";
import type { Client } from "ssh2";
import type { Engine } from "../../engine/index.ts";
import type { SshConnection } from "./connection.ts";

/** An HTTP agent that opens each connection as a forwarded channel to `socket` on the host. */
class ForwardedSocketAgent extends Agent {
  constructor(
    private readonly connection: SshConnection,
    private readonly socket: string,
    options?: AgentOptions,
  ) {
    super(options);
  }

  override createConnection(_options: unknown, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    this.connection
      .channel(`engine socket ${this.socket}`, (client) => forwardSocket(client, this.socket))
      .then(
        (stream) => callback?.(null, stream),
        (err: Error) => callback?.(err, undefined as unknown as Duplex),
      );
    return undefined;
  }
}

function forwardSocket(client: Client, socket: string): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    client.openssh_forwardOutStreamLocal(socket, (err, stream) => (err ? reject(err) : resolve(asSocket(stream)))),
  );
}

/**
 * A channel with the net.Socket methods node:http calls on a connection: an idle timeout (reset by
 * any traffic, then 'timeout', as the request timeout expects) and no-op Nagle and keepalive knobs.
 */
function asSocket(channel: Duplex): Duplex {
  let timer: NodeJS.Timeout | undefined;
  let idleMs = 0;
  const arm = () => {
    clearTimeout(timer);
    if (idleMs > 0) timer = setTimeout(() => channel.emit("timeout"), idleMs);
  };
  channel.on("data", arm);
  channel.once("close", () => clearTimeout(timer));
  return Object.assign(channel, {
    setTimeout(ms: number, onTimeout?: () => void) {
      idleMs = ms;
      if (onTimeout) channel.once("timeout", onTimeout);
      arm();
      return channel;
    },
    setNoDelay: () => channel,
    setKeepAlive: () => channel,
    ref: () => channel,
    unref: () => channel,
  });
}

/**
 * The engine at `socket` on the host of `connection`. `timeoutMs` bounds how long one request may
 * go without any answer from the engine (a stuck or slow host).
 */
export function remoteEngine(connection: SshConnection, socket: string, timeoutMs: number): Engine {
  const agent = new ForwardedSocketAgent(connection, socket, { keepAlive: false });
  // docker-modem hands `agent` to every request; @types/dockerode does not declare it.
  const options = { host: "remote-engine", port: 80, protocol: "http", agent, timeout: timeoutMs };
  const docker = new Docker(options as Docker.DockerOptions);
  return {
    docker,
    address: connection.options.target.host,
    endpoint: `ssh://${connection.name}${socket}`,
  };
}
