// AES-256-GCM for Secret values at rest. A sealed value is `v1:<keyId>:<base64 iv|ciphertext|tag>`;
// the key id lets a rotated key be told apart, and GCM's tag makes tampering an error.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** A data-encryption key: 32 bytes and the id it is known by. */
export interface DataKey {
  id: string;
  key: Buffer;
}

/** Sealing failed to open: wrong key, or the stored value was altered. */
export class SealedValueError extends Error {
  override readonly name = "SealedValueError";
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts and decrypts with one or more data keys (the first seals; any opens). */
export class SecretCipher {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly current: DataKey,
    older: DataKey[] = [],
  ) {
    if (current.key.length !== 32) throw new RangeError("an AES-256 key has 32 bytes");
    this.keys = new Map([current, ...older].map((k) => [k.id, k.key]));
  }

  /** Seals plaintext with the current key. */
  seal(plaintext: Buffer): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(this.current.id));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return `v1:${this.current.id}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")}`;
  }

  /** Opens a sealed value; throws SealedValueError for an unknown key or altered data. */
  open(sealed: string): Buffer {
    const [version, id, payload] = sealed.split(":");
    const key = this.keys.get(id ?? "");
    if (version !== "v1" || !key || !payload)
      throw new SealedValueError(`cannot open sealed value (key "${id}" ${key ? "present" : "unknown"})`);
    const raw = Buffer.from(payload, "base64");
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SealedValueError("sealed value failed authentication (altered, or sealed with another key)");
    }
  }
}
