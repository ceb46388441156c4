import { test } from "node:test";
import assert from "node:assert/strict";
import { deploymentKind } from "../crds/deployment.ts";
import { environmentKind } from "../crds/environment.ts";
import { targetKind } from "../crds/target.ts";
import { UsageError } from "./command.ts";
import { objectNameArg, parseResourceArgs } from "./resource-args.ts";

test("TYPE, TYPE NAME..., TYPE/NAME... and TYPE1,TYPE2", () => {
  assert.deepEqual(parseResourceArgs(["env"]), [{ info: environmentKind, names: [] }]);
  assert.deepEqual(parseResourceArgs(["Environments", "dev", "prod"]), [
    { info: environmentKind, names: ["dev", "prod"] },
  ]);
  assert.deepEqual(parseResourceArgs(["env/dev", "tgt/a", "environment/prod"]), [
    { info: environmentKind, names: ["dev", "prod"] },
    { info: targetKind, names: ["a"] },
  ]);
  assert.deepEqual(parseResourceArgs(["env,targets"]), [
    { info: environmentKind, names: [] },
    { info: targetKind, names: [] },
  ]);
  assert.deepEqual(parseResourceArgs(["environments.release.stella.io", "dev"]), [
    { info: environmentKind, names: ["dev"] },
  ]);
});

test("mistakes are usage errors", () => {
  assert.throws(() => parseResourceArgs([]), UsageError);
  assert.throws(
    () => parseResourceArgs(["pods"]),
    /doesn't have a resource type "pods" \("stella api-resources" lists them\)/,
  );
  assert.throws(
    () => parseResourceArgs(["enviroments"]),
    /doesn't have a resource type "enviroments"; did you mean environments\?/,
  );
  assert.throws(() => parseResourceArgs(["env/dev", "prod"]), UsageError);
  assert.throws(() => parseResourceArgs(["env,tgt", "dev"]), UsageError);
  assert.throws(() => parseResourceArgs(["env/"]), UsageError);
});

test("objectNameArg takes NAME or TYPE/NAME of the expected kind", () => {
  assert.equal(objectNameArg("shop-1-4-0-dev", deploymentKind), "shop-1-4-0-dev");
  assert.equal(objectNameArg("deploy/shop-1-4-0-dev", deploymentKind), "shop-1-4-0-dev");
  assert.equal(objectNameArg("deployment.release.stella.io/x", deploymentKind), "x");
  assert.throws(
    () => objectNameArg("environment/dev", deploymentKind),
    (err) => err instanceof UsageError && /not a deployment/.test(err.message),
  );
  assert.throws(() => objectNameArg("deployment/", deploymentKind), UsageError);
});
