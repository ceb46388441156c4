// Tiny, unique images pushed straight to a registry over the distribution API (no docker needed):
// a config blob with a nonce, one small layer, a Docker schema 2 manifest. Each call makes a new
// digest, so tests never collide with each other or with the estate's images.
import { randomBytes } from "node:crypto";
import { DOCKER_MANIFEST, type RegistryClient } from "../../controllers/oci/client/index.ts";

/** A repository name no other test run uses, e.g. `release-test/retag-3f9a1c`. */
export const uniqueRepository = (what: string): string => `release-test/${what}-${randomBytes(4).toString("hex")}`;

/** Pushes a fresh image to `name:tag` (name = registry/repository); resolves with its manifest digest. */
export async function pushTestImage(client: RegistryClient, name: string, tag: string): Promise<string> {
  const layer = Buffer.from(`stella test layer ${randomBytes(8).toString("hex")}\n`);
  const layerDigest = await client.pushBlob(name, layer);
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: {},
      rootfs: { type: "layers", diff_ids: [layerDigest] },
    }),
  );
  const configDigest = await client.pushBlob(name, config);
  const manifest = {
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: configDigest },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar", size: layer.length, digest: layerDigest }],
  };
  return client.pushManifest(`${name}:${tag}`, Buffer.from(JSON.stringify(manifest)), DOCKER_MANIFEST);
}
