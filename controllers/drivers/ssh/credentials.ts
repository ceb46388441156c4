// The login of an SSH target: its private key (and passphrase) from Secrets, checked to parse before
// any connection is made. Key material lives only in the connection's options: never in messages.
import ssh2 from "ssh2"; // CommonJS: no named exports under ESM
import { DriverError, DriverReasons, type DriverContext } from "../../../sdk/plugins/driver.ts";

/** Secret references of a login; keys default to those of a Kubernetes ssh-auth Secret. */
export interface LoginRefs {
  privateKeySecretRef: { name: string; key?: string };
  passphraseSecretRef?: { name: string; key?: string };
}

/** The Secret key of a private key when the reference names none (Kubernetes' kubernetes.io/ssh-auth). */
export const PRIVATE_KEY_KEY = "ssh-privatekey";
/** The Secret key of a passphrase when the reference names none. */
export const PASSPHRASE_KEY = "passphrase";

/** A private key that parsed, with its passphrase. */
export interface Login {
  privateKey: string;
  passphrase?: string;
}

/**
 * Reads the key (and passphrase) through ctx; DriverError(InvalidTarget) when the key does not
 * parse or its passphrase is missing or wrong, naming the Secret key, never its content.
 */
export async function readLogin(refs: LoginRefs, ctx: DriverContext): Promise<Login> {
  const keyRef = { name: refs.privateKeySecretRef.name, key: refs.privateKeySecretRef.key ?? PRIVATE_KEY_KEY };
  const phraseRef = refs.passphraseSecretRef;
  const privateKey = await ctx.secretValue(keyRef);
  const passphrase = phraseRef
    ? await ctx.secretValue({ name: phraseRef.name, key: phraseRef.key ?? PASSPHRASE_KEY })
    : undefined;
  const parsed = ssh2.utils.parseKey(privateKey, passphrase);
  const where = `secret ${keyRef.name} key ${keyRef.key}`;
  if (parsed instanceof Error) {
    const why = /passphrase/i.test(parsed.message)
      ? passphrase === undefined
        ? "is encrypted and no passphraseSecretRef is set"
        : "does not open with the passphrase given"
      : "is not a private key ssh2 can read (OpenSSH, PEM or PuTTY)";
    throw new DriverError(DriverReasons.InvalidTarget, `${where} ${why}`, false);
  }
  return { privateKey, passphrase };
}
