// One-time sign-in codes for the dashboard: `stella dashboard` asks for one as the kubeconfig's
// user, prints a link carrying it in the URL fragment (which browsers never send to the server),
// and the page exchanges it once for a session token. Codes live only in this process's memory,
// are stored by hash, expire quickly and are gone after the first exchange, whatever its outcome.
import { createHash, randomBytes } from "node:crypto";
import type { Principal } from "./principal.ts";

/** How long a sign-in code may wait for its exchange, ms. */
export const SIGN_IN_CODE_TTL_MS = 60_000;

/** A code handed out, and until when it can be exchanged. */
export interface SignInCode {
  code: string;
  expiresAt: Date;
}

const digest = (code: string) => createHash("sha256").update(code).digest("hex");

/** The codes handed out and not yet exchanged or expired. */
export class SignInCodes {
  private readonly pending = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly ttlMs = SIGN_IN_CODE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new code that signs in as `principal` (its user, groups and grants; nothing more). */
  create(principal: Principal): SignInCode {
    this.sweep();
    const code = randomBytes(32).toString("base64url");
    const expiresAt = this.now() + this.ttlMs;
    this.pending.set(digest(code), { principal, expiresAt });
    return { code, expiresAt: new Date(expiresAt) };
  }

  /** The principal `code` was made for, once: a second exchange, or one after expiry, finds nothing. */
  redeem(code: string): Principal | undefined {
    const key = digest(code);
    const entry = this.pending.get(key);
    this.pending.delete(key);
    this.sweep();
    return entry && entry.expiresAt > this.now() ? entry.principal : undefined;
  }

  private sweep() {
    const now = this.now();
    for (const [key, entry] of this.pending) if (entry.expiresAt <= now) this.pending.delete(key);
  }
}
