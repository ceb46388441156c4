// The webhook gate: asks an HTTP endpoint whether a promotion may proceed. The payload names the
// promotion, the release and its digests, the environment and the requester, signed with the
// environment's secret (see webhook-call.ts). 2xx passes; another 4xx or 3xx fails (a person must
// act); 5xx, 408, 429, timeouts and connection errors are Error with retryAfterMs: ask again later.
import { parseDuration } from "../../../crds/duration.ts";
import type { Gate, GateRequest, GateResult } from "../../../sdk/plugins/gate.ts";
import { WebhookUnreachable, isTransientStatus } from "./errors.ts";
import { type ImageDigest, type PromotionRef, promotionRef, releaseDigests } from "./payload.ts";
import { redactUrl } from "../../../sdk/http-url.ts";
import { DEFAULT_WEBHOOK_TIMEOUT_MS, callWebhook } from "./call.ts";

/** How long to wait before asking again after a transient failure, when the endpoint gave no Retry-After. */
export const WEBHOOK_RETRY_MS = 30_000;

/** The JSON a webhook gate POSTs. */
export interface WebhookGatePayload {
  gate: string;
  promotion: PromotionRef;
  release: string;
  environment: string;
  requestedBy?: { username: string; groups?: string[] };
  rollback: boolean;
  digests: ImageDigest[];
  /** When the call was made (RFC 3339); equal to X-Stella-Timestamp. */
  time: string;
}

/** The payload for one evaluation. */
export function webhookGatePayload(request: GateRequest): WebhookGatePayload {
  const { promotion, release } = request;
  const requester = promotion.spec.requestedBy;
  return {
    gate: request.config?.name ?? "webhook",
    promotion: promotionRef(promotion),
    release: promotion.spec.release,
    environment: promotion.spec.environment,
    requestedBy: requester ? { username: requester.username, groups: requester.groups } : undefined,
    rollback: promotion.spec.rollback === true,
    digests: releaseDigests(release),
    time: request.now.toISOString(),
  };
}

/** A GET carries the payload as query parameters: one `digest` per component (`component=image`). */
export function webhookGateQuery(payload: WebhookGatePayload): URLSearchParams {
  const q = new URLSearchParams({
    gate: payload.gate,
    promotion: payload.promotion.name,
    namespace: payload.promotion.namespace,
    release: payload.release,
    environment: payload.environment,
    rollback: String(payload.rollback),
    time: payload.time,
  });
  if (payload.promotion.uid) q.set("uid", payload.promotion.uid);
  if (payload.requestedBy) q.set("requestedBy", payload.requestedBy.username);
  for (const d of payload.digests) q.append("digest", `${d.component}=${d.image}`);
  return q;
}

/** The built-in webhook gate (type "webhook"); reads request.config.webhook. */
export const webhookGate: Gate = {
  type: "webhook",
  async evaluate(request: GateRequest): Promise<GateResult> {
    const name = request.config?.name ?? "webhook";
    const hook = request.config?.webhook;
    if (!hook) return { verdict: "Error", message: `gate "${name}" has no webhook settings` };
    const method = hook.method ?? "POST";
    const timeoutMs = hook.timeout ? parseDuration(hook.timeout) : DEFAULT_WEBHOOK_TIMEOUT_MS;
    const shown = `${method} ${redactUrl(hook.url)}`;
    const inputs: Record<string, unknown> = {
      url: redactUrl(hook.url),
      method,
      timeoutMs,
      signed: hook.signingSecretRef !== undefined,
    };
    let secret: string | undefined;
    if (hook.signingSecretRef) {
      const ref = hook.signingSecretRef;
      try {
        secret = await request.secretValue(ref);
      } catch (err) {
        const problem = err instanceof Error ? err.message : String(err);
        return {
          verdict: "Error",
          message: `webhook gate "${name}": cannot read signing secret ${ref.name}${ref.key ? `/${ref.key}` : ""}: ${problem}`,
          inputs,
          retryAfterMs: WEBHOOK_RETRY_MS,
        };
      }
    }
    const payload = webhookGatePayload(request);
    inputs.payload = payload;
    try {
      const answer = await callWebhook({
        url: hook.url,
        method,
        body: method === "POST" ? JSON.stringify(payload) : undefined,
        query: method === "GET" ? webhookGateQuery(payload) : undefined,
        secret,
        timestamp: payload.time,
        event: "gate",
        timeoutMs,
        signal: request.signal,
      });
      inputs.status = answer.status;
      const said = answer.body.trim() ? `: ${answer.body.trim()}` : "";
      if (answer.status >= 200 && answer.status < 300)
        return {
          verdict: "Passed",
          message: `webhook gate "${name}": ${shown} answered ${answer.status}${said}`,
          inputs,
        };
      if (isTransientStatus(answer.status)) {
        return {
          verdict: "Error",
          message: `webhook gate "${name}": ${shown} answered ${answer.status}${said}; asking again`,
          inputs,
          retryAfterMs: answer.retryAfterMs ?? WEBHOOK_RETRY_MS,
        };
      }
      const redirect =
        answer.status >= 300 && answer.status < 400
          ? " (redirects are not followed; point the gate at the final URL)"
          : "";
      return {
        verdict: "Failed",
        message: `webhook gate "${name}": ${shown} answered ${answer.status}${redirect}${said}`,
        inputs,
      };
    } catch (err) {
      if (!(err instanceof WebhookUnreachable)) throw err;
      inputs.timedOut = err.timedOut;
      return {
        verdict: "Error",
        message: `webhook gate "${name}": ${err.message}; asking again`,
        inputs,
        retryAfterMs: WEBHOOK_RETRY_MS,
      };
    }
  },
};
