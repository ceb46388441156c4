// Lint: type-aware TypeScript rules plus the import boundaries of DESIGN.md, with no exceptions:
//   crds <- apiserver;  crds <- sdk <- controllers, agent;  crds <- ui (the dashboard, browser code);
//   cli on top of all (nothing imports cli).
// Inside controllers/, a folder is a package: another package reaches it only through its index.ts.
// Plugin families (drivers, gates, metrics, routers, notifiers, verifiers) hold one package per plugin.
// No import cycles anywhere.
import { existsSync, readdirSync } from "node:fs";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";

const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

/** Folders that hold one package per plugin (controllers/<family>/<plugin>/). */
const FAMILIES = ["drivers", "gates", "metrics", "routers", "notifiers", "verifiers"];

/** What a package offers others: its index.ts, and test doubles in its testing/ folder (for tests). */
const ENTRIES = ["./index.ts", "./testing"];

const subdirs = (dir) =>
  (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [])
    .filter((e) => e.isDirectory() && e.name !== "testing")
    .map((e) => e.name);

/** Every package under controllers/ with the files others may import from it (relative to it). */
function controllerPackages() {
  const packages = [];
  for (const top of subdirs("controllers")) {
    if (!FAMILIES.includes(top)) {
      packages.push({ dir: `./controllers/${top}`, entries: ENTRIES });
      continue;
    }
    const plugins = subdirs(`controllers/${top}`);
    // The family's own entry and each plugin's entry may be imported from outside the family.
    const entries = [...ENTRIES, ...plugins.flatMap((p) => ENTRIES.map((e) => `./${p}/${e.slice(2)}`))];
    packages.push({ dir: `./controllers/${top}`, entries });
    for (const p of plugins) packages.push({ dir: `./controllers/${top}/${p}`, entries: ENTRIES });
  }
  return packages;
}

function packageZones() {
  const packages = controllerPackages();
  const zones = [];
  for (const target of packages) {
    for (const from of packages) {
      if (from === target) continue;
      // A plugin inside a family and the family itself are one neighbourhood: skip parent/child pairs.
      if (target.dir.startsWith(`${from.dir}/`) || from.dir.startsWith(`${target.dir}/`)) continue;
      zones.push(zone(target.dir, from.dir, `import ${from.dir} only through its index.ts`, from.entries));
    }
  }
  return zones;
}

export default tseslint.config(
  { ignores: ["node_modules/**", "bench/**", "crds/generated/**", ".stella/**"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver": { node: { extensions: [".ts", ".js"] } },
      // no-cycle parses the files an import leads to; without a parser for .ts it sees no cycle at all.
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
    },
    rules: {
      // A lazy `import()` (cli/registry.ts loads each command on demand) runs after every module has
      // loaded, so it cannot form a load-order cycle; static imports may form none.
      "import-x/no-cycle": ["error", { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: true }],
      "import-x/no-duplicates": "error",
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            zone(
              "./crds",
              ["./apiserver", "./sdk", "./controllers", "./agent", "./cli", "./ui", "./test", "./hack"],
              "crds/ has no dependencies inside Stella",
            ),
            zone(
              "./apiserver",
              ["./sdk", "./controllers", "./agent", "./cli", "./ui"],
              "the apiserver imports only crds/",
            ),
            zone(
              "./sdk",
              ["./apiserver", "./controllers", "./agent", "./cli", "./ui", "./test", "./hack"],
              "sdk/ is a library: it imports only crds/",
            ),
            zone(
              "./controllers",
              ["./apiserver", "./agent", "./cli", "./ui"],
              "controllers reach the apiserver only through the sdk client",
            ),
            zone(
              "./agent",
              ["./apiserver", "./controllers", "./cli", "./ui"],
              "the agent reaches the apiserver only through the sdk client and runs drivers through sdk contracts",
            ),
            zone(
              "./ui",
              ["./apiserver", "./sdk", "./controllers", "./agent", "./cli", "./test", "./hack"],
              "ui/ is the browser dashboard: it reads the API over HTTP and imports only crds/ (types)",
            ),
            zone(
              ["./crds", "./apiserver", "./sdk", "./controllers", "./agent", "./ui"],
              "./cli",
              "cli/ is the composition root: nothing imports it",
            ),
            ...packageZones(),
          ],
        },
      ],
      // The project's width (STYLE.md: about 120 columns, prettier's printWidth). Prettier wraps code but
      // not comments; this holds comments too. A string, template or URL may run past it (breaking one
      // changes what it says).
      "max-len": [
        "error",
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
);
