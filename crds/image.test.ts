import { test } from "node:test";
import assert from "node:assert/strict";
import { imageReference, isPinned, parseImageReference, pinnedReference } from "./image.ts";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

test("tag references parse into repository and tag", () => {
  assert.deepEqual(parseImageReference("127.0.0.1:5000/shop/web:1.4.0"), {
    repository: "127.0.0.1:5000/shop/web",
    tag: "1.4.0",
  });
  assert.deepEqual(parseImageReference("busybox"), { repository: "busybox" });
  assert.deepEqual(parseImageReference("localhost:5000/a/b"), { repository: "localhost:5000/a/b" });
});

test("pinned references parse with their digest, with or without a tag", () => {
  assert.deepEqual(parseImageReference(`127.0.0.1:5000/shop/web@${DIGEST}`), {
    repository: "127.0.0.1:5000/shop/web",
    digest: DIGEST,
  });
  assert.deepEqual(parseImageReference(`web:1.4.0@${DIGEST}`), { repository: "web", tag: "1.4.0", digest: DIGEST });
  assert.equal(isPinned(`web@${DIGEST}`), true);
  assert.equal(isPinned("web:1.4.0"), false);
  assert.equal(pinnedReference("127.0.0.1:5000/shop/web", DIGEST), `127.0.0.1:5000/shop/web@${DIGEST}`);
});

test("malformed digests are rejected with a message about the digest", () => {
  for (const bad of ["web@sha256:1234", `web@sha256:${"A".repeat(64)}`, `web@sha512:${"a".repeat(64)}`, "web@"]) {
    const result = imageReference.safeParse(bad);
    assert.equal(result.success, false, bad);
    assert.match(result.error?.issues[0].message ?? "", /^malformed digest/, bad);
  }
});

test("other malformed references are rejected with the general form", () => {
  for (const bad of ["Web:1", "web:tag with space", "/web", "web/:1", ""]) {
    const result = imageReference.safeParse(bad);
    assert.equal(result.success, false, bad);
    assert.match(result.error?.issues[0].message ?? "", /^must be an image reference/, bad);
  }
  assert.equal(parseImageReference("Web:1"), undefined);
});
