import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forbidden, notFound } from "../../crds/errors.ts";
import type { Secret } from "../../crds/secret.ts";
import { loadPullCredentials, REGISTRY_ANNOTATION } from "./pull-secrets.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const secret = (
  name: string,
  type: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
): Secret => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Secret",
  metadata: { name, namespace: "shop", ...(annotations ? { annotations } : {}) },
  type,
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
});
const target = { group: "release.stella.io", kind: "Secret", plural: "secrets" };

/** An in-memory Secret store with the sdk client's get(). */
function store(...secrets: Secret[]) {
  return {
    async get(name: string, opts: { namespace?: string } = {}) {
      if (name === "locked") throw forbidden("no", { ...target, name });
      const s = secrets.find((x) => x.metadata.name === name && x.metadata.namespace === opts.namespace);
      if (!s) throw notFound({ ...target, name });
      return s;
    },
  };
}

describe("pull credentials", () => {
  it("takes a basic-auth Secret for every registry, or only those its annotation lists", async () => {
    const any = await loadPullCredentials(
      store(secret("any", "kubernetes.io/basic-auth", { username: "u", password: "p" })),
      "shop",
      [{ name: "any" }],
    );
    assert.deepEqual(any.for("127.0.0.1:5001"), { secret: "any", credentials: { username: "u", password: "p" } });
    const scoped = secret(
      "scoped",
      "kubernetes.io/basic-auth",
      { username: "u", password: "p" },
      { [REGISTRY_ANNOTATION]: "127.0.0.1:5001, ghcr.io" },
    );
    const pulls = await loadPullCredentials(store(scoped), "shop", [{ name: "scoped" }]);
    assert.equal(pulls.for("127.0.0.1:5001")?.secret, "scoped");
    assert.equal(pulls.for("127.0.0.1:5000"), undefined);
  });

  it("takes per-registry logins from a dockerconfigjson Secret, first Secret in spec order winning", async () => {
    const config = JSON.stringify({ auths: { "127.0.0.1:5001": { username: "d", password: "dp" } } });
    const s = store(
      secret("docker", "kubernetes.io/dockerconfigjson", { ".dockerconfigjson": config }),
      secret("basic", "kubernetes.io/basic-auth", { username: "b", password: "bp" }),
    );
    const pulls = await loadPullCredentials(s, "shop", [{ name: "docker" }, { name: "basic" }]);
    assert.equal(pulls.for("127.0.0.1:5001")?.credentials.username, "d");
    assert.equal(pulls.for("127.0.0.1:5000")?.credentials.username, "b");
  });

  it("records missing, unreadable and malformed Secrets as problems naming them, never their values", async () => {
    const s = store(
      secret("opaque", "Opaque", { username: "u", password: "hunter2-xyz" }),
      secret("half", "kubernetes.io/basic-auth", { username: "u" }),
      secret("badjson", "kubernetes.io/dockerconfigjson", { ".dockerconfigjson": "{hunter2-xyz" }),
    );
    const pulls = await loadPullCredentials(
      s,
      "shop",
      ["gone", "locked", "opaque", "half", "badjson"].map((name) => ({ name })),
    );
    assert.deepEqual(
      pulls.problems.map((p) => [p.secret, p.reason]),
      [
        ["gone", "PullSecretNotFound"],
        ["locked", "PullSecretUnreadable"],
        ["opaque", "InvalidPullSecret"],
        ["half", "InvalidPullSecret"],
        ["badjson", "InvalidPullSecret"],
      ],
    );
    assert.doesNotMatch(JSON.stringify(pulls.problems), /hunter2/);
    assert.equal(pulls.for("127.0.0.1:5000"), undefined);
  });
});
