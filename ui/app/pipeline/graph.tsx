// The pipeline drawn as a graph: one node per environment, laid out by depth (layout.ts), an arrow
// from each upstream to its downstream. Each node is a link to the environment's card, so Tab moves
// from node to node and Enter goes to the details; a link's name is the text it shows (as WCAG's
// label-in-name asks) and its description the full facts, from a list for screen readers that also
// describes the whole graph. Colours come from the stylesheet (classes), not from style attributes,
// as the Content-Security-Policy requires.
import type { Environment } from "../../../crds/environment.ts";
import { toneOf } from "../parts/badge.tsx";
import { freezeAt, freezeBoundary, useRedrawAt } from "../parts/freeze.tsx";
import type { Stored } from "../watch.ts";
import { placeAll } from "./layout.ts";

type Env = Stored<Environment>;

const W = 190;
const H = 72;
const GAP_X = 64;
const GAP_Y = 18;
const PAD = 8;

const x = (column: number) => PAD + column * (W + GAP_X);
const y = (row: number) => PAD + row * (H + GAP_Y);

/** `text` cut to fit a node's line, with the whole of it kept for the accessible name. */
const fit = (text: string, max = 24) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** What the graph and its list say about one environment. */
export function summary(env: Env): { release: string; targets: string; frozen: boolean } {
  const s = env.status ?? {};
  const check = env.spec.freezeWindows?.length ? freezeAt(env, new Date()) : undefined;
  const ready = `${s.readyTargets ?? 0}/${(s.totalTargets ?? 0) - (s.cordonedTargets ?? 0)} ready`;
  return {
    release: s.current?.release ?? "no release",
    targets: s.cordonedTargets ? `${ready}, ${s.cordonedTargets} cordoned` : ready,
    frozen: !!check && "open" in check && !!check.open,
  };
}

function describe(env: Env): string {
  const { release, targets, frozen } = summary(env);
  const after = env.spec.upstream?.length ? `after ${env.spec.upstream.join(", ")}` : "first stage";
  const phase = env.status?.phase ?? "Unknown";
  return `${env.metadata.name}: ${after}; ${phase}; runs ${release}; ${targets}${frozen ? "; frozen now" : ""}`;
}

function Node({ env, column, row }: { env: Env; column: number; row: number }) {
  const name = env.metadata.name;
  const { release, targets, frozen } = summary(env);
  return (
    <a href={`#env-${name}`} class="graph-node" data-node={name} aria-describedby={`graph-item-${name}`}>
      <rect x={x(column)} y={y(row)} width={W} height={H} rx={8} class={`node-box ${toneOf(env.status?.phase)}`} />
      <text x={x(column) + 10} y={y(row) + 22} class="node-name">
        {fit(name, 20)}
      </text>
      <text x={x(column) + 10} y={y(row) + 42} class="node-line">
        {fit(release)}
      </text>
      <text x={x(column) + 10} y={y(row) + 60} class="node-line">
        {fit(`${targets}${frozen ? " · frozen" : ""}`)}
      </text>
    </a>
  );
}

/** The environments `envs` as a graph, with its text equivalent. */
export function PipelineGraph({ envs }: { envs: Env[] }) {
  const { places, edges } = placeAll(envs);
  const now = new Date();
  const boundaries = envs.map((e) => freezeBoundary(e, now)?.getTime()).filter((t) => t !== undefined);
  // A node's "frozen" mark changes when a freeze opens or ends, with no change to any object.
  useRedrawAt(boundaries.length ? new Date(Math.min(...boundaries)) : undefined);
  if (!places.size) return null;
  const all = [...places.values()];
  const width = x(Math.max(...all.map((p) => p.column)) + 1) - GAP_X + PAD;
  const height = y(Math.max(...all.map((p) => p.row)) + 1) - GAP_Y + PAD;
  return (
    <figure class="graph">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="group"
        aria-labelledby="graph-title"
        aria-describedby="graph-list"
      >
        <title id="graph-title">Pipeline graph</title>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
          </marker>
        </defs>
        <g aria-hidden="true">
          {edges.map(([from, to]) => {
            const a = places.get(from)!;
            const b = places.get(to)!;
            const [x1, y1, x2, y2] = [x(a.column) + W, y(a.row) + H / 2, x(b.column), y(b.row) + H / 2];
            const mid = (x1 + x2) / 2;
            return (
              <path
                key={`${from}->${to}`}
                data-edge={`${from}->${to}`}
                class="graph-edge"
                d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}
                marker-end="url(#arrow)"
              />
            );
          })}
        </g>
        {all.map((p) => (
          <Node key={p.env.metadata.name} {...p} />
        ))}
      </svg>
      <ul id="graph-list" class="visually-hidden">
        {all.map((p) => (
          <li key={p.env.metadata.name} id={`graph-item-${p.env.metadata.name}`}>
            {describe(p.env)}
          </li>
        ))}
      </ul>
    </figure>
  );
}
