// Reading and writing the key, certificate and kubeconfig files of the data directory.
// Writes are atomic (temporary file + rename), so a crash never leaves half a key behind, and
// the mode is set on creation, so a private key is never readable by others, not even briefly.

import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Mode of files holding secrets: private keys, tokens. */
export const PRIVATE_MODE = 0o600;
/** Mode of files anyone may read: certificates, public keys. */
export const PUBLIC_MODE = 0o644;

/** Writes `data` to `path` atomically with exactly `mode`, creating the directory (0700) if needed. */
export async function writeDataFile(path: string, data: string, mode: number): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, data, { mode, flag: "wx" });
    await chmod(tmp, mode); // the umask may have narrowed or the mode arg been ignored
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The file's text, or undefined when it does not exist. Other I/O errors propagate. */
export async function readDataFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
