// The remote Docker Engine through the SSH connection: dockerode with an HTTP agent whose every
// connection is a channel to the host's engine socket (OpenSSH streamlocal forwarding, as
// `ssh -L local.sock:/var/run/docker.sock` does), so the shared controllers/engine/ code runs
// unchanged. Health probes go to the host's address.
import { Agent, type AgentOptions } from "node:http";
import type { Duplex } from "node:stream";
import Docker from "dockerode";
import type { Client } from "ssh2";
import type { Engine } from "../../engine/index.ts";
import { asSocket } from "./channel-socket.ts";
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
      .channel(`engine socket ${this.socket}`, (client) => forwardSocket(client, this.socket, this.connection.name))
      .then(
        (stream) => callback?.(null, stream),
        (err: Error) => callback?.(err, undefined as unknown as Duplex),
      );
    return undefined;
  }
}

function forwardSocket(client: Client, socket: string, host: string): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    client.openssh_forwardOutStreamLocal(socket, (err, stream) =>
      err ? reject(err) : resolve(asSocket(stream, host)),
    ),
  );
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
