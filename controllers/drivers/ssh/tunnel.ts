// Tunnels to ports on the host itself (ssh -L): health probes reach a unit where the host reaches
// it, on the host's loopback, whatever the controller can or cannot reach directly.
import type { Duplex } from "node:stream";
import { asSocket } from "./channel-socket.ts";
import type { SshConnection } from "./connection.ts";

/** Where on the host a tunnel ends. */
export const LOOPBACK = "127.0.0.1";

/** A channel to LOOPBACK:port on the host; DriverError(Unreachable) when the host cannot open it. */
export function tunnelToHostPort(connection: SshConnection, port: number): Promise<Duplex> {
  return connection.channel(
    `tunnel to ${LOOPBACK}:${port}`,
    (client) =>
      new Promise<Duplex>((resolve, reject) =>
        client.forwardOut(LOOPBACK, 0, LOOPBACK, port, (err, stream) =>
          err ? reject(err) : resolve(asSocket(stream, connection.name)),
        ),
      ),
  );
}
