import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Notification as NotificationTarget } from "../../../crds/environment.ts";
import { WebhookRejected, WebhookUnreachable, signature } from "../../gates/webhook/index.ts";
import {
  type FixtureServer,
  fixturePromotion,
  fixtureRequest,
  startFixtureServer,
} from "../../gates/testing/fixture.ts";
import { notifierConformance } from "../../../sdk/testing/notifier-conformance.ts";
import { webhookNotifier } from "./notifier.ts";

let server: FixtureServer;
before(async () => {
  server = await startFixtureServer((req, res) => {
    const status = Number(req.url.slice(1)) || 204;
    res.writeHead(status).end(status >= 400 ? `status ${status}` : undefined);
  });
});
after(() => server.close());

const { secretValue } = fixtureRequest({ secrets: { "notify-key/": "n0tify" } });
const target = (path: string): NotificationTarget => ({
  name: "chat",
  webhook: { url: `${server.url}${path}`, signingSecretRef: { name: "notify-key" } },
});
const notification = { promotion: fixturePromotion(), outcome: "Succeeded", message: "shop-1-4-0 runs in prod" };

test("POSTs the outcome, signed like the webhook gate", async () => {
  await webhookNotifier.notify(notification, target("/204"), secretValue);
  const sent = server.received.at(-1)!;
  assert.equal(sent.headers["x-stella-signature"], signature(sent.body, "n0tify"));
  assert.equal(sent.headers["x-stella-event"], "notification");
  const payload = JSON.parse(sent.body);
  assert.deepEqual(
    { ...payload, time: undefined },
    {
      notification: "chat",
      promotion: { name: "shop-1-4-0-to-prod", namespace: "shop", uid: "promo-uid" },
      outcome: "Succeeded",
      message: "shop-1-4-0 runs in prod",
      release: "shop-1-4-0",
      environment: "prod",
      requestedBy: "alice",
      time: undefined,
    },
  );
  assert.equal(sent.headers["x-stella-timestamp"], payload.time);
});

test("failures are typed: 5xx and no answer are retryable, other 4xx are not", async () => {
  await assert.rejects(
    webhookNotifier.notify(notification, target("/502"), secretValue),
    (err) => err instanceof WebhookRejected && err.status === 502 && err.retryable && err.body === "status 502",
  );
  await assert.rejects(
    webhookNotifier.notify(notification, target("/400"), secretValue),
    (err) =>
      err instanceof WebhookRejected &&
      err.status === 400 &&
      !err.retryable &&
      /answered 400: status 400$/.test(err.message),
  );
  const closed = await startFixtureServer(() => undefined);
  await closed.close();
  const gone: NotificationTarget = { name: "gone", webhook: { url: `${closed.url}/hook` } };
  await assert.rejects(
    webhookNotifier.notify(notification, gone, secretValue),
    (err) => err instanceof WebhookUnreachable && err.retryable && !err.timedOut,
  );
});

notifierConformance({
  notifier: webhookNotifier,
  notification: () => notification,
  secretValue,
  secrets: ["n0tify"],
  scenarios: [
    { name: "delivered on 204", target: () => target("/204") },
    { name: "refused for good on 403", target: () => target("/403"), fails: { retryable: false } },
    { name: "retried on 503", target: () => target("/503"), fails: { retryable: true } },
    {
      name: "retried when nothing listens",
      target: () => ({ name: "chat", webhook: { url: "http://127.0.0.1:1/" } }),
      fails: { retryable: true },
    },
  ],
});
