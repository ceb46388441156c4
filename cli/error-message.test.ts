import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../crds/errors.ts";
import { ConnectionError, KubeconfigInvalidError, KubeconfigNotFoundError } from "../sdk/errors.ts";
import { errorMessage } from "./error-message.ts";

test("an unreachable server says whether stella server runs", () => {
  const msg = errorMessage(new ConnectionError("https://127.0.0.1:7443", "refused", "connection refused"));
  assert.equal(msg, "cannot reach https://127.0.0.1:7443: connection refused — is `stella server` running?");
  assert.equal(
    errorMessage(new ConnectionError("https://x", "tls", "the server's certificate has expired")),
    "cannot reach https://x: the server's certificate has expired",
  );
});

test("401 says the token is wrong or expired", () => {
  const msg = errorMessage(
    new ApiError(401, "Unauthorized", "Unauthorized: token expired at 2026-01-01T00:00:00.000Z"),
  );
  assert.match(
    msg,
    /^the server rejected the credentials \(401 Unauthorized: token expired at 2026-01-01T00:00:00.000Z\)/,
  );
  assert.match(msg, /stella token create/);
});

test("kubeconfig problems name the file (and field)", () => {
  assert.equal(
    errorMessage(new KubeconfigInvalidError("/k", "clusters[0].cluster.server", "must not be empty")),
    "kubeconfig /k: clusters[0].cluster.server: must not be empty",
  );
  assert.match(
    errorMessage(new KubeconfigNotFoundError("/nope")),
    /^no kubeconfig: \/nope does not exist — pass --kubeconfig/,
  );
});

test("other errors keep their message's first line", () => {
  assert.equal(
    errorMessage(new ApiError(404, "NotFound", 'environments.release.stella.io "x" not found')),
    'environments.release.stella.io "x" not found',
  );
  assert.equal(errorMessage(new ApiError(500, "InternalError", "boom")), "server error (500 InternalError): boom");
  assert.equal(errorMessage(new Error("one\ntwo")), "one");
});
