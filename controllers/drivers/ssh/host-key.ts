// Pinned host keys: the key a target names (as in known_hosts) is the only one a connection accepts,
// compared byte for byte before authentication, so a host presenting any other key never sees the
// login, let alone a command. The connection offers only the pinned key's algorithm, so a host with
// several keys presents the one that was pinned.
import { createHash } from "node:crypto";
import { DriverError, DriverReasons } from "../../../sdk/plugins/driver.ts";

/** A host key as pinned in a target. */
export interface PinnedHostKey {
  /** The key type, e.g. `ssh-ed25519`. */
  type: string;
  /** The public key blob (the base64 field decoded). */
  blob: Buffer;
}

/** Parses `<type> <base64> [comment]`; DriverError(InvalidTarget) when it is not one. */
export function parseHostKey(text: string, field: string): PinnedHostKey {
  const [type, base64] = text.trim().split(/\s+/);
  const blob = Buffer.from(base64 ?? "", "base64");
  // The blob starts with its own type name: a key pasted under the wrong type is refused here.
  const inner = blob.length > 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString("latin1") : "";
  if (!type || inner !== type)
    throw new DriverError(DriverReasons.InvalidTarget, `${field} is not a public host key of type ${type}`, false);
  return { type, blob };
}

/** The host key algorithms to offer for a pinned key of this type. */
export function hostKeyAlgorithms(key: PinnedHostKey): string[] {
  return key.type === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [key.type];
}

/** The OpenSSH fingerprint of a key blob (`SHA256:...`), for messages. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}
