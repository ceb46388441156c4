// Lint: type-aware TypeScript rules plus the import boundaries of DESIGN.md.
// crds <- apiserver; crds <- sdk <- controllers, agent. No import cycles anywhere.
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";

const zone = (target, from, message) => ({ target, from, message });

export default tseslint.config(
  { ignores: ["node_modules/**", "bench/**", "crds/generated/**", ".stella/**"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: { "import-x/resolver": { node: { extensions: [".ts", ".js"] } } },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": ["error", {
        zones: [
          zone("./crds", ["./apiserver", "./sdk", "./controllers", "./agent", "./test", "./hack"], "crds/ has no dependencies inside Stella"),
          zone("./apiserver", ["./sdk", "./controllers", "./agent"], "the apiserver imports only crds/"),
          zone("./sdk", ["./controllers", "./agent", "./test", "./hack"], "sdk/ imports only crds/ (the CLI's server command is the one exception)"),
          zone("./controllers", ["./apiserver", "./agent"], "controllers reach the apiserver only through the sdk client"),
          zone("./agent", ["./apiserver", "./controllers"], "the agent reaches the apiserver only through the sdk client"),
        ],
      }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // The CLI's `server` command is the one place outside test/ and hack/ that wires the
    // apiserver (and later the controllers) into one process, as DESIGN.md allows.
    files: ["sdk/cli/server/**"],
    rules: { "import-x/no-restricted-paths": "off" },
  },
);
