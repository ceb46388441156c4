import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Release } from "../../crds/release.ts";
import { packetName, releaseSubjects } from "./packet.ts";

describe("evidence packets of controllers", () => {
  it("names packets DNS-safe and deterministic", () => {
    assert.equal(packetName("deploy", "Shop_1.4.0-dev", "RolledBack", 0), "deploy-shop-1.4.0-dev-rolledback-0");
    assert.equal(packetName("x", "a".repeat(300)).length, 253);
  });

  it("takes the subjects from the release's pinned digests", () => {
    const hex = "b".repeat(64);
    const release = {
      status: {
        components: [
          {
            name: "web",
            image: "127.0.0.1:5000/shop/web:1.4.0",
            digest: `sha256:${hex}`,
            imageRef: `127.0.0.1:5000/shop/web@sha256:${hex}`,
          },
        ],
      },
    } as unknown as Release;
    assert.deepEqual(releaseSubjects(release), [{ name: "127.0.0.1:5000/shop/web", digest: { sha256: hex } }]);
  });
});
