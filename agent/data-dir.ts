// What the agent keeps in its data directory (mode 0700): its Ed25519 key (`agent.key`, 0600),
// made once and never sent anywhere, and its current credential with the CA it pinned
// (`credential.json`, 0600). A restarted agent resumes from them without a bootstrap token.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AgentConfigError } from "./errors.ts";

/** The agent's credential as stored. */
export interface StoredCredential {
  server: string;
  namespace: string;
  name: string;
  caCertPem: string;
  token: string;
  expirationTimestamp: string;
}

const KEY_FILE = "agent.key";
const CREDENTIAL_FILE = "credential.json";

/** The agent's data directory. */
export class AgentDataDir {
  constructor(readonly dir: string) {}

  /** Loads the agent's key pair, making it on first start. */
  async keyPair(): Promise<{ privateKey: KeyObject; publicKeyPem: string }> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, KEY_FILE);
    let pem = await readFile(path, "utf8").catch(() => undefined);
    if (pem === undefined) {
      pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      await writePrivate(path, pem);
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch {
      throw new AgentConfigError("--data", `${path} is not a PEM private key`);
    }
    const publicKeyPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
    return { privateKey, publicKeyPem };
  }

  /** The stored credential, if the agent enrolled before. */
  async credential(): Promise<StoredCredential | undefined> {
    const text = await readFile(join(this.dir, CREDENTIAL_FILE), "utf8").catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as StoredCredential);
  }

  /** Replaces the stored credential atomically. */
  async saveCredential(credential: StoredCredential): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writePrivate(join(this.dir, CREDENTIAL_FILE), JSON.stringify(credential, null, 2) + "\n");
  }
}

async function writePrivate(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
