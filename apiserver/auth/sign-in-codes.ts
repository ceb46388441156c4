// One-time sign-in codes for the dashboard: `stella dashboard` asks for one as the kubeconfig's
// user, prints a link carrying it in the URL fragment (which browsers never send to the server),
// and the page exchanges it once for a session token. Codes are stored as one-time tickets in the
// database, by hash only, so a code issued by one apiserver can be exchanged at any other sharing
// the database; they expire quickly and are gone after the first exchange, whatever its outcome.
import { createHash, randomBytes } from "node:crypto";
import type { Storage } from "../storage/types.ts";
import { grantsSchema, type Principal } from "./principal.ts";

/** How long a sign-in code may wait for its exchange, ms. */
export const SIGN_IN_CODE_TTL_MS = 60_000;

/** A code handed out, and until when it can be exchanged. */
export interface SignInCode {
  code: string;
  expiresAt: Date;
}

const digest = (code: string) => createHash("sha256").update(code).digest("hex");

/** The codes handed out and not yet exchanged or expired, in the database. */
export class SignInCodes {
  constructor(
    private readonly tickets: Pick<Storage, "putTicket" | "takeTicket">,
    private readonly ttlMs = SIGN_IN_CODE_TTL_MS,
  ) {}

  /** A new code that signs in as `principal` (its user, groups and grants; nothing more). */
  async create(principal: Principal): Promise<SignInCode> {
    const code = randomBytes(32).toString("base64url");
    const payload = {
      user: principal.user,
      groups: principal.groups,
      grants: principal.grants,
      tokenId: principal.tokenId,
      ...(principal.expiresAt ? { expiresAt: principal.expiresAt.toISOString() } : {}),
    };
    const expiresAt = await this.tickets.putTicket({ digest: digest(code), payload, ttlMs: this.ttlMs });
    return { code, expiresAt };
  }

  /** The principal `code` was made for, once: a second exchange, or one after expiry, finds nothing. */
  async redeem(code: string): Promise<Principal | undefined> {
    const payload = await this.tickets.takeTicket(digest(code));
    return payload ? principalOf(payload) : undefined;
  }
}

/** The principal a ticket's payload holds; a payload of any other shape signs in nobody. */
function principalOf(payload: Record<string, unknown>): Principal | undefined {
  const { user, groups, grants, tokenId, expiresAt } = payload;
  if (typeof user !== "string" || typeof tokenId !== "string") return undefined;
  if (!Array.isArray(groups) || !groups.every((g) => typeof g === "string")) return undefined;
  const parsed = grantsSchema.safeParse(grants);
  if (!parsed.success) return undefined;
  const principal: Principal = { user, groups, grants: parsed.data, tokenId };
  if (typeof expiresAt === "string") principal.expiresAt = new Date(expiresAt);
  return principal;
}
