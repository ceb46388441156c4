// Where `stella evidence` gets the key it verifies with: a PEM file the user trusts (--key), or the
// server's own key (GET /evidence/public-key), which proves only that the server is consistent.
import { readFile } from "node:fs/promises";
import { parsePublicKey } from "../../sdk/evidence/keys.ts";
import { PublicKeyInvalidError } from "../../sdk/evidence/errors.ts";
import type { Session } from "../session.ts";

/** The path the server serves its evidence public key at. */
export const EVIDENCE_PUBLIC_KEY_PATH = "/evidence/public-key";

/** Reads and checks a PEM public key file; throws PublicKeyInvalidError naming the file. */
export async function readKeyFile(path: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (err) {
    throw new PublicKeyInvalidError(
      path,
      `can not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  parsePublicKey(pem, path);
  return pem;
}

/** The server's evidence public key as PEM (the response is PEM text, read line by line). */
export async function fetchServerKey(session: Session): Promise<string> {
  const lines: string[] = [];
  const stream = await session.client.transport.stream({
    method: "GET",
    path: EVIDENCE_PUBLIC_KEY_PATH,
    accept: "application/x-pem-file",
  });
  for await (const line of stream) lines.push(line);
  const pem = lines.join("\n") + "\n";
  parsePublicKey(pem, `the key served at ${session.server}${EVIDENCE_PUBLIC_KEY_PATH}`);
  return pem;
}
