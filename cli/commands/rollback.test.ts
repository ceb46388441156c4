import { test } from "node:test";
import assert from "node:assert/strict";
import type { Environment } from "../../crds/environment.ts";
import { PromotionRequiredError } from "../deployment/errors.ts";
import { rollbackRelease } from "./rollback.ts";

const prod = (promotion?: Environment["spec"]["promotion"]): Environment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name: "prod", namespace: "shop" },
  spec: { targetSelector: {}, ...(promotion ? { promotion } : {}) },
  status: { current: { release: "shop-1-5-0" }, previous: { release: "shop-1-4-0" } },
});

test("a direct rollback of an environment that requires promotions is refused, pointing to --promote", () => {
  assert.throws(
    () => rollbackRelease(prod({ required: true }), undefined),
    (err: Error) => {
      assert.ok(err instanceof PromotionRequiredError);
      assert.match(err.message, /stella rollback prod --promote/);
      return true;
    },
  );
  assert.equal(rollbackRelease(prod({ required: true }), undefined, true), "shop-1-4-0");
  assert.equal(rollbackRelease(prod(), undefined), "shop-1-4-0");
});
