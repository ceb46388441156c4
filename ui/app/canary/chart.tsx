// A time series chart drawn by uPlot (a small, maintained canvas charting library), with its values
// as a table for screen readers and for reading exact numbers. uPlot sets sizes through the DOM's
// style properties (CSSOM), which the Content-Security-Policy allows; it adds no style attributes
// or <style> elements, and its stylesheet is served with the dashboard's (ui/build.ts). Colours are
// the page's theme colours, read when the chart is drawn and again when the theme changes.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

/** One point: when (ms since the epoch) and the value. */
export interface Point {
  at: number;
  value: number;
}

/** How the chart draws: a stepped line (a weight holds until changed) or points joined by lines. */
export type Shape = "steps" | "line";

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * The value axis of a chart without a fixed range: the data's span with a margin. uPlot's own guess
 * for a flat series is 0-100, which shows an error rate of 0 (the usual good canary) on a percent
 * scale; a flat series at 0 gets 0-1 instead, one elsewhere a span around its value.
 */
const fitted: uPlot.Range.Function = (_u, min, max) => {
  if (min !== max) return uPlot.rangeNum(min, max, 0.1, true);
  if (min === 0) return [0, 1];
  return [min - Math.abs(min) / 2, max + Math.abs(max) / 2];
};

function options(label: string, unit: string, shape: Shape, width: number, range?: [number, number]): uPlot.Options {
  const fg = cssVar("--fg");
  const grid = { stroke: cssVar("--line"), width: 1 };
  return {
    width,
    height: 220,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, y: { range: range ?? fitted } },
    axes: [
      { stroke: fg, grid, ticks: grid },
      {
        stroke: fg,
        grid,
        ticks: grid,
        label: unit,
        size: 64,
        values: (_u, splits) => splits.map((v) => String(Number(v.toPrecision(3)))),
      },
    ],
    series: [
      {},
      {
        label,
        stroke: cssVar("--run"),
        width: 2,
        points: { show: true, size: 6, fill: cssVar("--run") },
        ...(shape === "steps" ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
      },
    ],
  };
}

const dataOf = (points: Point[]): uPlot.AlignedData => [points.map((p) => p.at / 1000), points.map((p) => p.value)];

/** A chart of `points`, titled `label`, with its table. */
export function TimeChart(props: {
  id: string;
  label: string;
  unit: string;
  shape: Shape;
  points: Point[];
  range?: [number, number];
}) {
  const { id, label, unit, shape, points, range } = props;
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot>();
  useEffect(() => {
    const el = box.current!;
    const draw = () => {
      chart.current?.destroy();
      chart.current = new uPlot(options(label, unit, shape, el.clientWidth || 600, range), dataOf(points), el);
    };
    draw();
    const resize = new ResizeObserver(() => chart.current?.setSize({ width: el.clientWidth || 600, height: 220 }));
    resize.observe(el);
    const theme = matchMedia("(prefers-color-scheme: dark)");
    theme.addEventListener("change", draw);
    return () => {
      resize.disconnect();
      theme.removeEventListener("change", draw);
      chart.current?.destroy();
      chart.current = undefined;
    };
  }, [label, unit, shape]);
  useEffect(() => chart.current?.setData(dataOf(points)), [points]);
  return (
    <figure class="chart" data-chart={id} aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{label}</figcaption>
      <div ref={box} class="chart-box" aria-hidden="true" />
      <details>
        <summary>Values of {label}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">{unit}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => (
              <tr key={i} data-value={p.value}>
                <td>
                  <time datetime={new Date(p.at).toISOString()}>{new Date(p.at).toLocaleString()}</time>
                </td>
                <td>{p.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
