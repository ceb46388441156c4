// The commands around the edges: config, version, api-resources, completion, help.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { startEnv, type TestEnv } from "../env.ts";
import { kubectl } from "../kubectl.ts";
import { editedKubeconfig } from "./kubeconfigs.ts";
import { commandEntries } from "../../cli/registry.ts";
import { STELLA_BIN, stella } from "./run-stella.ts";

let env: TestEnv;
let kubeconfig: string;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
});
after(() => env.stop());

test("config view redacts secrets (as kubectl does) unless --raw; get-contexts, current-context, use-context", async () => {
  const two = await editedKubeconfig(kubeconfig, "two-contexts", (d) => {
    d.addIn(["contexts"], { name: "shop", context: { cluster: "stella", user: "admin", namespace: "shop" } });
  });
  const view = await stella(["config", "view"], { kubeconfig: two });
  assert.equal(view.code, 0, view.stderr);
  assert.equal(view.stdout, (await kubectl(two, ["config", "view"])).stdout, "same text as kubectl config view");
  assert.match(view.stdout, /token: REDACTED/);
  assert.match((await stella(["config", "view", "--raw"], { kubeconfig: two })).stdout, /token: eyJ/);
  const minified = parse(
    (await stella(["config", "view", "--minify", "--context", "shop"], { kubeconfig: two })).stdout,
  );
  assert.deepEqual(
    minified.contexts.map((c: { name: string }) => c.name),
    ["shop"],
  );
  assert.equal(minified["current-context"], "shop");

  const contexts = await stella(["config", "get-contexts"], { kubeconfig: two });
  assert.deepEqual(
    contexts.stdout
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/)),
    [
      ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"],
      ["shop", "stella", "admin", "shop"],
      ["*", "stella", "stella", "admin"],
    ],
  );
  assert.equal((await stella(["config", "current-context"], { kubeconfig: two })).stdout, "stella\n");
  const used = await stella(["config", "use-context", "shop"], { kubeconfig: two });
  assert.equal(used.stdout, 'Switched to context "shop".\n');
  assert.match(await readFile(two, "utf8"), /^current-context: shop$/m);
  assert.equal((await kubectl(two, ["config", "current-context"])).stdout, "shop\n", "kubectl reads the switched file");
  // The context's namespace is the default namespace.
  const ns = await stella(["create", "namespace", "shop"], { kubeconfig: two });
  assert.equal(ns.code, 0, ns.stderr);
  const none = await stella(["get", "environments"], { kubeconfig: two });
  assert.equal(none.stderr, "No resources found in shop namespace.\n");
  const viaFlag = await stella(["--context", "stella", "get", "environments"], { kubeconfig: two });
  assert.equal(viaFlag.stderr, "No resources found in default namespace.\n", "--context overrides current-context");
  const bad = await stella(["config", "use-context", "nope"], { kubeconfig: two });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /no context exists with the name "nope"/);
});

test("version, api-resources as kubectl prints them", async () => {
  const v = await stella(["version"], { kubeconfig });
  assert.match(v.stdout, /^Client Version: v\d+\.\d+\.\d+\nServer Version: v1\.32\.0\+stella\./);
  assert.equal((await stella(["version", "--client"])).code, 0, "no server needed");
  const ours = await stella(["api-resources"], { kubeconfig });
  assert.equal(ours.stdout, (await kubectl(kubeconfig, ["api-resources"])).stdout);
  // Cluster-scoped: namespaces, and the self-subject reviews (create only), as kubectl lists them.
  assert.deepEqual(
    (await stella(["api-resources", "-o", "name", "--namespaced=false"], { kubeconfig })).stdout
      .split("\n")
      .filter(Boolean),
    [
      "namespaces",
      "selfsubjectreviews.authentication.k8s.io",
      "selfsubjectaccessreviews.authorization.k8s.io",
      "selfsubjectrulesreviews.authorization.k8s.io",
    ],
  );
});

test("completion: bash completes commands, resource types and object names", async () => {
  const dir = await mkdtemp(join(tmpdir(), "stella-path-"));
  await symlink(STELLA_BIN, join(dir, "stella"));
  await stella(["create", "namespace", "comp"], { kubeconfig });
  await stella(["apply", "-f", "-"], {
    kubeconfig,
    input:
      "apiVersion: release.stella.io/v1alpha1\nkind: Environment\nmetadata: {name: staging, namespace: comp}\nspec: {targetSelector: {}}\n",
  });
  const complete = (words: string[]) =>
    new Promise<string>((resolve, reject) => {
      const script = `source <(stella completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _stella_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      execFile(
        "bash",
        ["-c", script],
        { env: { PATH: `${dir}:${process.env.PATH}`, KUBECONFIG: kubeconfig, HOME: dir } },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      );
    });
  assert.equal(await complete(["stella", "del"]), "delete\n");
  assert.equal(await complete(["stella", "get", "environm"]), "environment\nenvironments\n");
  assert.equal(await complete(["stella", "get", "env", "-n", "comp", "st"]), "staging\n");
  assert.equal(await complete(["stella", "get", "env", "--no-h"]), "--no-headers\n");
  const zsh = await stella(["completion", "zsh"]);
  assert.match(zsh.stdout, /^#compdef stella\n/);
  assert.equal((await stella(["completion", "fish"])).code, 2);
});

test("every command has --help with an example; stella --help lists them", async () => {
  const top = await stella(["--help"]);
  assert.equal(top.code, 0);
  const commands = [
    "create",
    "get",
    "describe",
    "delete",
    "apply",
    "diff",
    "wait",
    "config",
    "api-resources",
    "version",
    "completion",
    "server",
    "dashboard",
    "agent",
    "canary",
    "token",
  ];
  for (const c of commands) assert.match(top.stdout, new RegExp(`^  ${c}\\s`, "m"), c);
  for (const c of [...commands, "create namespace", "config view", "config use-context"]) {
    const h = await stella([...c.split(" "), "--help"]);
    assert.equal(h.code, 0, c);
    assert.match(h.stdout, /^Examples?:$/m, `${c} --help has an example`);
  }
  assert.equal((await stella([])).code, 2, "no command: usage, exit 2");
});

test("every subcommand of every listed command answers --help (after the subcommand too)", async () => {
  const listed = commandEntries.filter((e) => e.group);
  const words: string[][] = [];
  for (const entry of listed) {
    const command = await entry.load();
    for (const sub of command.subcommands ?? []) words.push([entry.name, sub]);
  }
  assert.ok(words.some(([c, s]) => c === "token" && s === "create"));
  for (const w of words) {
    const h = await stella([...w, "--help"]);
    assert.equal(h.code, 0, `${w.join(" ")} --help: ${h.stderr}`);
    assert.match(h.stdout, /^Usage:/m, `${w.join(" ")} --help prints usage`);
  }
});
