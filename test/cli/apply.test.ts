// `stella apply`: ten documents with one the server rejects, YAML errors that stop everything,
// the three-way merge, kubectl interplay, server-side apply and its conflicts, dry runs,
// directories.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collection } from "../fixtures.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { kubectl } from "../kubectl.ts";
import { documents, environmentYaml } from "./manifests.ts";
import { stella } from "./run-stella.ts";

let env: TestEnv;
let kubeconfig: string;
let dir: string;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  dir = await mkdtemp(join(tmpdir(), "stella-apply-"));
  for (const ns of ["ten", "yaml", "merge", "ssa", "dry", "tree"])
    await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
});
after(() => env.stop());

const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};
const names = async (ns: string) =>
  (await env.request("GET", collection("environments", ns))).body.items
    .map((i: { metadata: { name: string } }) => i.metadata.name)
    .sort();

test("ten documents, one invalid: the other nine are applied; file, document and field are named; exit 1", async () => {
  const docs = Array.from({ length: 10 }, (_, i) => environmentYaml(`e${i + 1}`, "ten"));
  docs[6] = docs[6].replace("  targetSelector:", "  targetSelecter:");
  const path = await file("ten.yaml", documents(docs));
  const r = await stella(["apply", "-f", path], { kubeconfig });
  assert.equal(r.code, 1);
  assert.equal(r.stdout.trim().split("\n").length, 9);
  assert.doesNotMatch(r.stdout, /e7/);
  const errors = r.stderr.trim().split("\n");
  assert.equal(errors.length, 2, r.stderr);
  assert.match(
    errors[0],
    new RegExp(
      `^stella apply: ${path} document 7 \\(environment\\.release\\.stella\\.io/e7\\): invalid: .*spec\\.targetSelecter`,
    ),
  );
  assert.equal(errors[1], "stella apply: 9 of 10 objects applied, 1 failed");
  assert.deepEqual(await names("ten"), ["e1", "e10", "e2", "e3", "e4", "e5", "e6", "e8", "e9"]);
});

test("a YAML syntax error stops everything before the first write", async () => {
  const docs = Array.from({ length: 10 }, (_, i) => environmentYaml(`y${i + 1}`, "yaml"));
  docs[4] = docs[4].replace("spec:\n", "spec:\n  displayName: [unclosed\n");
  const path = await file("syntax.yaml", documents(docs));
  const r = await stella(["apply", "-f", path], { kubeconfig });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.match(
    r.stderr,
    new RegExp(`^stella apply: ${path} document 5: not valid YAML \\(line \\d+, column \\d+\\)`, "m"),
  );
  assert.match(r.stderr, /nothing was applied: a document could not be read/);
  assert.deepEqual(await names("yaml"), []);
});

test("three-way merge: fields dropped from the manifest are deleted, fields others set are kept; kubectl agrees", async () => {
  const first = await file(
    "merge-1.yaml",
    environmentYaml("dev", "merge", "  displayName: Dev\n  upstream: [qa]\n  requiredSoak: 1h\n"),
  );
  assert.equal(
    (await stella(["apply", "-f", first], { kubeconfig })).stdout,
    "environment.release.stella.io/dev created\n",
  );
  const patched = await env.request(
    "PATCH",
    `${collection("environments", "merge")}/dev`,
    { spec: { description: "set by hand" } },
    { "content-type": "application/merge-patch+json" },
  );
  assert.equal(patched.status, 200, patched.text);

  const second = await file("merge-2.yaml", environmentYaml("dev", "merge", "  displayName: Development\n"));
  const r = await stella(["apply", "-f", second], { kubeconfig });
  assert.equal(r.stdout, "environment.release.stella.io/dev configured\n", r.stderr);
  const spec = (await env.request("GET", `${collection("environments", "merge")}/dev`)).body.spec;
  assert.equal(spec.displayName, "Development");
  assert.equal(spec.upstream, undefined, "removed from the manifest: deleted");
  assert.equal(spec.requiredSoak, undefined);
  assert.equal(spec.description, "set by hand", "never in the manifest: kept");

  // The annotation is kubectl's own format, so kubectl sees nothing to do, and vice versa.
  assert.match(
    (await kubectl(kubeconfig, ["apply", "-f", second])).stdout,
    /environment.release.stella.io\/dev unchanged/,
  );
  const third = await file("merge-3.yaml", environmentYaml("dev", "merge", "  displayName: Development 3\n"));
  assert.equal((await kubectl(kubeconfig, ["apply", "-f", third])).code, 0);
  assert.equal(
    (await stella(["apply", "-f", third], { kubeconfig })).stdout,
    "environment.release.stella.io/dev unchanged\n",
  );
});

test("server-side apply: owned by stella, conflicts named with the way out, --force-conflicts takes over", async () => {
  const mine = await file("ssa.yaml", environmentYaml("prod", "ssa", "  displayName: Production\n"));
  const r = await stella(["apply", "--server-side", "-f", mine], { kubeconfig });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "environment.release.stella.io/prod serverside-applied\n");
  const managers = (
    await env.request("GET", `${collection("environments", "ssa")}/prod`)
  ).body.metadata.managedFields.map((m: { manager: string }) => m.manager);
  assert.deepEqual(managers, ["stella"]);

  const theirs = await file("ssa-theirs.yaml", environmentYaml("prod", "ssa", "  displayName: Prod (theirs)\n"));
  const conflict = await stella(["apply", "--server-side", "--field-manager", "someone-else", "-f", theirs], {
    kubeconfig,
  });
  assert.equal(conflict.code, 1);
  assert.match(
    conflict.stderr,
    /document 1 \(environment\.release\.stella\.io\/prod\): .*conflict.*spec\.displayName.* — rerun with --force-conflicts/,
  );
  const forced = await stella(
    ["apply", "--server-side", "--field-manager", "someone-else", "--force-conflicts", "-f", theirs],
    { kubeconfig },
  );
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(
    (await env.request("GET", `${collection("environments", "ssa")}/prod`)).body.spec.displayName,
    "Prod (theirs)",
  );
  assert.equal(
    (await stella(["apply", "--force-conflicts", "-f", theirs], { kubeconfig })).code,
    2,
    "--force-conflicts needs --server-side",
  );
});

test("--dry-run=server validates on the server and stores nothing", async () => {
  const path = await file(
    "dry.yaml",
    documents([
      environmentYaml("a", "dry"),
      environmentYaml("b", "dry").replace("  targetSelector:", "  targetSelecter:"),
    ]),
  );
  const r = await stella(["apply", "--dry-run=server", "-f", path], { kubeconfig });
  assert.equal(r.stdout, "environment.release.stella.io/a created (server dry run)\n");
  assert.match(r.stderr, /document 2 \(environment\.release\.stella\.io\/b\): invalid: .*targetSelecter/);
  assert.equal(r.code, 1);
  assert.deepEqual(await names("dry"), []);
});

test("directories (-R for subdirectories), standard input, and a namespace that contradicts -n", async () => {
  const tree = join(dir, "tree");
  await mkdir(join(tree, "sub"), { recursive: true });
  await writeFile(join(tree, "a.yaml"), environmentYaml("top", "tree"));
  await writeFile(join(tree, "notes.txt"), "not a manifest");
  await writeFile(join(tree, "sub", "b.yml"), environmentYaml("nested", "tree"));
  assert.equal(
    (await stella(["apply", "-f", tree], { kubeconfig })).stdout,
    "environment.release.stella.io/top created\n",
  );
  assert.equal(
    (await stella(["apply", "-R", "-f", tree], { kubeconfig })).stdout,
    "environment.release.stella.io/top unchanged\nenvironment.release.stella.io/nested created\n",
  );

  const piped = await stella(["apply", "-f", "-", "-n", "tree"], {
    kubeconfig,
    input: environmentYaml("piped", "tree").replace("  namespace: tree\n", ""),
  });
  assert.equal(piped.stdout, "environment.release.stella.io/piped created\n", piped.stderr);
  const mismatch = await stella(["apply", "-f", "-", "-n", "other"], {
    kubeconfig,
    input: environmentYaml("x", "tree"),
  });
  assert.equal(mismatch.code, 1);
  assert.match(
    mismatch.stderr,
    /<stdin> document 1 \(environment\.release\.stella\.io\/x\): the manifest's namespace "tree" does not match -n other/,
  );
  assert.deepEqual(await names("tree"), ["nested", "piped", "top"]);
});
