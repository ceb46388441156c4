// Reading manifests for `apply`, `delete -f` and `diff`: files, directories (optionally
// recursive) and standard input; multi-document YAML or JSON; `kind: List` flattened. Every
// document remembers where it came from, so errors say "file, document N".
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { kindForObject } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";

/** One object from a manifest, with its origin. */
export interface Manifest {
  source: string;
  /** 1-based document number within its source. */
  document: number;
  object: Record<string, unknown> & {
    apiVersion: string;
    kind: string;
    metadata: { name?: string; namespace?: string; [k: string]: unknown };
  };
  info: KindInfo;
}

/** A document that could not be read as a Stella object. */
export interface ManifestProblem {
  source: string;
  document: number;
  message: string;
}

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

async function filesOf(path: string, recursive: boolean): Promise<string[]> {
  const s = await stat(path).catch(() => undefined);
  if (!s) throw new Error(`the path "${path}" does not exist`);
  if (!s.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...(await filesOf(full, true)));
    } else if (MANIFEST_EXTENSIONS.has(extname(entry.name))) out.push(full);
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses one source's text into manifests and problems. */
export function parseManifests(source: string, text: string): { manifests: Manifest[]; problems: ManifestProblem[] } {
  const manifests: Manifest[] = [];
  const problems: ManifestProblem[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const where = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
      problems.push({ source, document, message: `not valid YAML${where}: ${e.message.split("\n")[0]}` });
      return;
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    const items = isList(value) ? value.items : [value];
    for (const item of items) {
      const problem = checkShape(item);
      if (problem) {
        problems.push({ source, document, message: problem });
        continue;
      }
      const obj = item as Manifest["object"];
      const info = kindForObject(obj.apiVersion, obj.kind);
      if (!info)
        problems.push({
          source,
          document,
          message: `no kind "${obj.kind}" is registered for version "${obj.apiVersion}" (stella api-resources lists them)`,
        });
      else manifests.push({ source, document, object: obj, info });
    }
  });
  return { manifests, problems };
}

function isList(v: unknown): v is { items: unknown[] } {
  return (
    !!v &&
    typeof v === "object" &&
    (v as { kind?: unknown }).kind === "List" &&
    Array.isArray((v as { items?: unknown }).items)
  );
}

function checkShape(v: unknown): string | undefined {
  if (!v || typeof v !== "object" || Array.isArray(v)) return "a manifest must be a YAML mapping (an object)";
  const o = v as Record<string, unknown>;
  if (typeof o.apiVersion !== "string" || !o.apiVersion) return "apiVersion is not set";
  if (typeof o.kind !== "string" || !o.kind) return "kind is not set";
  const meta = o.metadata as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== "object") return "metadata is not set";
  if (typeof meta.name !== "string" && typeof meta.generateName !== "string") return "metadata.name is not set";
  return undefined;
}

/** Reads every manifest from the given -f arguments ("-" is standard input). */
export async function loadManifests(
  paths: string[],
  recursive: boolean,
): Promise<{ manifests: Manifest[]; problems: ManifestProblem[] }> {
  const manifests: Manifest[] = [];
  const problems: ManifestProblem[] = [];
  for (const p of paths) {
    const files = p === "-" ? ["-"] : await filesOf(p, recursive);
    for (const f of files) {
      const text = f === "-" ? await readStdin() : await readFile(f, "utf8");
      const r = parseManifests(f === "-" ? "<stdin>" : f, text);
      manifests.push(...r.manifests);
      problems.push(...r.problems);
    }
  }
  return { manifests, problems };
}
