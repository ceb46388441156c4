// One connection per host in a process: targets that reach the same host as the same user with the
// same key and jump host share it. Each binding holds a lease; the last one closed ends it.
import { createHash } from "node:crypto";
import { SshConnection, type SshConnectionOptions, type SshEndpoint } from "./connection.ts";

interface Shared {
  connection: SshConnection;
  leases: number;
}

const shared = new Map<string, Shared>();

/** A lease on the shared connection for `options`; release() it when done. */
export interface ConnectionLease {
  connection: SshConnection;
  release(): Promise<void>;
}

/** The connection to the host `options` names, shared with every other binding to it. */
export function leaseConnection(options: SshConnectionOptions): ConnectionLease {
  const key = connectionKey(options);
  let entry = shared.get(key);
  if (!entry) {
    entry = { connection: new SshConnection(options), leases: 0 };
    shared.set(key, entry);
  }
  entry.leases++;
  const held = entry;
  let released = false;
  return {
    connection: held.connection,
    async release() {
      if (released) return;
      released = true;
      if (--held.leases > 0) return;
      if (shared.get(key) === held) shared.delete(key);
      await held.connection.close();
    },
  };
}

/** Identity of a connection: hosts, users, pinned keys, a digest of the login (never the key itself). */
function connectionKey(o: SshConnectionOptions): string {
  const endpoint = (e?: SshEndpoint) =>
    e && {
      at: `${e.user}@${e.host}:${e.port}`,
      hostKey: e.hostKey.blob.toString("base64"),
      login: createHash("sha256")
        .update(`${e.login.privateKey}\0${e.login.passphrase ?? ""}`)
        .digest("hex"),
    };
  return JSON.stringify([endpoint(o.target), endpoint(o.jump), o.timeoutMs, o.concurrency]);
}
