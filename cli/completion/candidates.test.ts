import { test } from "node:test";
import assert from "node:assert/strict";
import { deploymentKind } from "../../crds/deployment.ts";
import { environmentKind } from "../../crds/environment.ts";
import { releaseKind } from "../../crds/release.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { candidates, type CompletionSources } from "./candidates.ts";

const asked: string[] = [];
const sources: CompletionSources = {
  namespaces: async () => ["default", "shop"],
  contexts: async () => ["stella", "staging-cluster"],
  objectNames: async (info: KindInfo) => {
    asked.push(info.plural);
    if (info === deploymentKind) return ["shop-1-4-0-dev", "dev-rollback-x7k2p"];
    if (info === releaseKind) return ["shop-1-3-0", "shop-1-4-0"];
    return info === environmentKind ? ["dev", "prod", "staging"] : [];
  },
};

test("command names, then flags of the command", async () => {
  assert.deepEqual(await candidates(["ap"], sources), ["apply", "approve", "api-resources"]);
  const flags = await candidates(["get", "--wa"], sources);
  assert.deepEqual(flags, ["--watch", "--watch-only"]);
  assert.ok((await candidates(["apply", "-"], sources)).includes("--server-side"));
});

test("resource types from the scheme, then object names from the server", async () => {
  assert.deepEqual(await candidates(["get", "env"], sources), ["env", "environment", "environments"]);
  assert.deepEqual(await candidates(["describe", "environments", "-n", "shop", "p"], sources), ["prod"]);
  assert.deepEqual(await candidates(["delete", "env", "dev", ""], sources), ["prod", "staging"]);
  assert.deepEqual(await candidates(["wait", "env/s"], sources), ["env/staging"]);
  assert.ok(asked.includes("environments"));
});

test("flag values: namespaces, contexts, formats; files left to the shell", async () => {
  assert.deepEqual(await candidates(["get", "env", "-n", ""], sources), ["default", "shop"]);
  assert.deepEqual(await candidates(["get", "env", "-o", "j"], sources), ["json", "jsonpath="]);
  assert.deepEqual(await candidates(["config", "use-context", "st"], sources), ["stella", "staging-cluster"]);
  assert.deepEqual(await candidates(["config", ""], sources), [
    "view",
    "get-contexts",
    "current-context",
    "use-context",
  ]);
  assert.deepEqual(await candidates(["create", ""], sources), ["namespace", "secret"]);
  assert.deepEqual(await candidates(["apply", "-f", ""], sources), []);
  assert.deepEqual(await candidates(["completion", ""], sources), ["bash", "zsh"]);
  assert.deepEqual(await candidates(["wait", "--for", "con"], sources), ["condition="]);
  assert.deepEqual(await candidates(["-n", "s"], sources), ["shop"]);
  assert.deepEqual(await candidates(["-n", "shop", "g"], sources), ["get"]);
  assert.deepEqual(await candidates(["--context", "stella", "get", "environments", "d"], sources), ["dev"]);
});

test("deployment commands: subcommands, then deployment or environment names; --to offers releases", async () => {
  assert.deepEqual(await candidates(["rollout", "p"], sources), ["pause"]);
  assert.deepEqual(await candidates(["rollout", "pause", "-n", "shop", "shop"], sources), ["shop-1-4-0-dev"]);
  assert.deepEqual(await candidates(["rollout", "status", "shop-1-4-0-dev", ""], sources), []);
  assert.ok((await candidates(["rollout", "status", "x", "-"], sources)).includes("--watch"));
  assert.deepEqual(await candidates(["rollback", "d"], sources), ["dev"]);
  assert.deepEqual(await candidates(["rollback", "dev", "--to", "shop-1-3"], sources), ["shop-1-3-0"]);
  assert.deepEqual(await candidates(["deployment", ""], sources), ["artifacts"]);
  assert.deepEqual(await candidates(["deployment", "artifacts", "d"], sources), ["dev-rollback-x7k2p"]);
  assert.deepEqual(await candidates(["deployment", "artifacts", "x", "-o", ""], sources), ["name", "json"]);
});
