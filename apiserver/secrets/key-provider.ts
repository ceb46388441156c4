// Where the data-encryption key comes from. The local provider keeps it in the data directory
// (secrets.key, mode 0600). An external KMS plugin implements the same interface: it returns the
// data key once at start (unwrapping it with the KMS), so encrypting a value needs no round trip.
import { createHash, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DataKey } from "./cipher.ts";

/** A source of data-encryption keys. */
export interface KeyProvider {
  /** A name for logs, e.g. "local" or "kms:vault". */
  readonly name: string;
  /** The key to seal with, and older keys still needed to open existing values. */
  dataKeys(): Promise<{ current: DataKey; older: DataKey[] }>;
}

/** The key file's name in the data directory. */
export const SECRETS_KEY_FILE = "secrets.key";

const keyId = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 12);

/** Keeps one AES-256 key in `dataDir/secrets.key`, created on first use. */
export class LocalKeyProvider implements KeyProvider {
  readonly name = "local";
  constructor(private readonly dataDir: string) {}

  async dataKeys(): Promise<{ current: DataKey; older: DataKey[] }> {
    const path = join(this.dataDir, SECRETS_KEY_FILE);
    let encoded = await readFile(path, "utf8").catch(() => undefined);
    if (encoded === undefined) {
      encoded = randomBytes(32).toString("base64");
      await writeFile(path, encoded + "\n", { mode: 0o600, flag: "wx" }).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== "EEXIST") throw err;
        encoded = await readFile(path, "utf8");
      });
    }
    const key = Buffer.from(encoded.trim(), "base64");
    if (key.length !== 32) throw new Error(`${path} must hold a base64-encoded 32-byte key`);
    return { current: { id: keyId(key), key }, older: [] };
  }
}
