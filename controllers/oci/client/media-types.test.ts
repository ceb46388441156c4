import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DOCKER_MANIFEST_LIST, manifestMediaType, OCI_INDEX, OCI_MANIFEST } from "./media-types.ts";

describe("manifestMediaType", () => {
  it("takes an accepted Content-Type, ignoring parameters", () => {
    assert.equal(manifestMediaType(`${DOCKER_MANIFEST_LIST}; charset=utf-8`), DOCKER_MANIFEST_LIST);
  });

  it("falls back to the body's mediaType, then to its shape", () => {
    const generic = "application/json";
    assert.equal(
      manifestMediaType(
        generic,
        Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] })),
      ),
      OCI_INDEX,
    );
    assert.equal(
      manifestMediaType(generic, Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] }))),
      OCI_INDEX,
    );
    assert.equal(
      manifestMediaType(generic, Buffer.from(JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }))),
      OCI_MANIFEST,
    );
  });

  it("refuses schema 1 and anything unrecognizable", () => {
    const schema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    assert.equal(
      manifestMediaType(schema1, Buffer.from(JSON.stringify({ schemaVersion: 1, fsLayers: [] }))),
      undefined,
    );
    assert.equal(manifestMediaType(schema1), undefined);
    assert.equal(manifestMediaType("text/plain", Buffer.from("not json")), undefined);
  });
});
