// What the docker and compose driver suites share on the local engine: the conformance fixture
// (estate images pinned by digest, foreign containers, cleanup by label) and container removal.
import assert from "node:assert/strict";
import { UnitLabels, type Driver } from "../../sdk/plugins/driver.ts";
import { pinnedImage, type ConformanceFixture } from "../../sdk/testing/driver-conformance.ts";
import { docker, REGISTRY, removeContainerIds } from "../estate/estate-env.ts";

/** A DriverContext for targets that name no Secrets. */
export const noSecrets = { secretValue: async (): Promise<string> => assert.fail("no secret expected") };

/** Removes every container of these namespaces, and the named ones. */
export async function removeContainers(namespaces: string[], names: string[] = []): Promise<void> {
  const ids = new Set<string>();
  for (const ns of namespaces) {
    for (const id of (await docker("ps", "-aq", "--filter", `label=${UnitLabels.namespace}=${ns}`)).split("\n"))
      if (id) ids.add(id);
  }
  for (const name of names) {
    const id = await docker("ps", "-aq", "--filter", `name=^${name}$`);
    if (id) ids.add(id);
  }
  await removeContainerIds([...ids]);
}

/** The conformance fixture of a driver bound to a target on the local engine. */
export async function engineFixture(opts: {
  driver: Driver;
  target: string;
  namespace: string;
  environment: string;
  portBase: number;
}): Promise<ConformanceFixture> {
  const [web, broken, worker] = await Promise.all(
    ["shop/web:1.4.0", "shop/web:1.6.0-broken", "shop/worker:1.4.0"].map((tag) => pinnedImage(`${REGISTRY}/${tag}`)),
  );
  const foreign: string[] = [];
  return {
    ...opts,
    images: { web, broken, worker },
    async startForeign(name, labels) {
      foreign.push(name);
      await docker(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "host",
        ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
        worker,
      );
    },
    async cleanup() {
      await removeContainers([opts.namespace, `${opts.namespace}-other`], foreign);
      await opts.driver.close();
    },
  };
}
