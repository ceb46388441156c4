// Summarizes a V8 .cpuprofile: self time by area of the code base and the hottest functions.
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// Areas by URL, first match wins.
const AREAS: Array<[string, RegExp]> = [
  ["pglite (wasm)", /pglite|wasm:/],
  ["postgres driver", /node_modules\/postgres\//],
  ["jose (JWT)", /node_modules\/jose\//],
  ["zod", /node_modules\/zod\//],
  ["hono", /node_modules\/(hono|@hono)\//],
  ["tsx loader", /node_modules\/(tsx|esbuild)\//],
  ["storage", /apiserver\/storage\//],
  ["registry/patch (managedFields)", /apiserver\/registry\/patch\//],
  ["registry", /apiserver\/registry\//],
  ["auth", /apiserver\/(auth|security)/],
  ["http", /apiserver\/http\//],
  ["crds (schemas)", /\/crds\//],
  ["controllers/sdk", /\/(controllers|sdk)\//],
  ["node internals", /^node:|^internal/],
];

function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  const named: Record<string, string> = { "(garbage collector)": "GC", "(idle)": "(idle)" };
  if (!url) return named[functionName] ?? "native/other";
  for (const [name, re] of AREAS) if (re.test(url)) return name;
  return "other";
}

/** Self time per area and the top functions, as printable text. */
export function summarizeProfile(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const area = areaOf(node);
    areas.set(area, (areas.get(area) ?? 0) + us);
    if (area === "(idle)") continue;
    busy += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(node_modules|wt\/[^/]+)\//, "");
    const where = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    fns.set(where, (fns.get(where) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1)}%`;
  const idle = areas.get("(idle)") ?? 0;
  const lines = [`busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`, "", "self time by area:"];
  const desc = (x: [string, number], y: [string, number]) => y[1] - x[1];
  for (const [a, us] of [...areas].sort(desc)) if (a !== "(idle)") lines.push(`  ${pct(us).padStart(6)}  ${a}`);
  lines.push("", "hottest functions (self):");
  for (const [f, us] of [...fns].sort(desc).slice(0, top)) lines.push(`  ${pct(us).padStart(6)}  ${f}`);
  return lines.join("\n");
}
