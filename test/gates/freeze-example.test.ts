// The shop example's prod freeze window (../shared/examples/estate.yaml) through the freeze gate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { environmentSchema } from "../../crds/environment.ts";
import { freezeGate } from "../../controllers/gates/freeze/gate.ts";
import { fixtureRequest } from "../../controllers/gates/testing/fixture.ts";
import { loadExample } from "../fixtures.ts";

const prod = environmentSchema.parse(
  loadExample("estate.yaml").find((d) => d.kind === "Environment" && d.metadata.name === "prod"),
);

test("the example's prod environment is frozen from Friday 16:00 until Monday 08:00 UTC", async () => {
  const at = async (now: string) => freezeGate.evaluate(fixtureRequest({ environment: prod, now: new Date(now) }));
  assert.equal((await at("2026-11-27T15:59:00Z")).verdict, "Passed");
  for (const now of ["2026-11-27T16:00:00Z", "2026-11-29T09:00:00Z", "2026-11-30T07:59:00Z"]) {
    const frozen = await at(now);
    assert.equal(frozen.verdict, "Pending", now);
    assert.equal(
      frozen.message,
      "frozen by window freezeWindows[0] (FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0) until 2026-11-30T08:00:00Z",
    );
    assert.equal(frozen.retryAfterMs, Date.parse("2026-11-30T08:00:00Z") - Date.parse(now));
  }
  const monday = await at("2026-11-30T08:00:00Z");
  assert.equal(monday.verdict, "Passed");
  assert.match(monday.message, /opens at 2026-12-04T16:00:00Z$/);
});
