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
  startTime: number;
}

/** A span of CLOCK_MONOTONIC in microseconds (process.hrtime.bigint() / 1000n in any process). */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** The monotonic clock in microseconds, as V8 stamps profile samples. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

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
export function summarizeProfile(profile: CpuProfile, top = 25, window?: ProfileWindow): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
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

/** Areas by script URL; a sample is charged to the first matching frame from its leaf upwards. */
export type AreaRules = Array<[string, RegExp]>;

/** Milliseconds of profiled time per area (GC, "(idle)" and "other (event loop, native)" included). */
export function chargeByArea(profile: CpuProfile, areas: AreaRules, window?: ProfileWindow): Map<string, number> {
  const parent = new Map<number, ProfileNode>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const area = (n: ProfileNode | undefined): string => {
    for (; n; n = parent.get(n.id)) {
      if (n.callFrame.functionName === "(garbage collector)") return "GC";
      if (n.callFrame.functionName === "(idle)") return "(idle)";
      for (const [name, re] of areas) if (re.test(n.callFrame.url)) return name;
    }
    return "other (event loop, native)";
  };
  const out = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const a = area(byId.get(id));
    out.set(a, (out.get(a) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

/** Lines of "ms per unit, share, area", busiest first, then idle. */
export function areaLines(areas: Map<string, number>, units: number): string[] {
  const busy = [...areas].filter(([a]) => a !== "(idle)").reduce((s, [, v]) => s + v, 0);
  const lines: string[] = [];
  for (const [a, v] of [...areas].sort((x, y) => y[1] - x[1])) {
    const share = ((100 * v) / busy).toFixed(0).padStart(3);
    if (a !== "(idle)") lines.push(`  ${(v / units).toFixed(3).padStart(7)} ms  ${share}%  ${a}`);
  }
  lines.push(`  ${((areas.get("(idle)") ?? 0) / units).toFixed(3).padStart(7)} ms  idle`);
  return lines;
}
