// Builds the dashboard (ui/app/) into the files `stella server` serves at /ui: one bundled,
// minified script, the stylesheet and the page. esbuild runs in memory at server start (a few
// hundred milliseconds), so `npm start` serves the dashboard with no separate build step. The
// stylesheet is the dashboard's own followed by uPlot's (the charting library's), one file under
// the Content-Security-Policy's style-src 'self'.
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

/** One built file, by its path under /ui/. */
export interface BuiltFile {
  body: string;
  contentType: string;
}

const APP_DIR = new URL("./app/", import.meta.url);

/** The dashboard's files: index.html, app.js, app.css and the icon (without one, browsers ask for /favicon.ico). */
export async function buildDashboard(): Promise<Map<string, BuiltFile>> {
  const result = await build({
    entryPoints: [new URL("main.tsx", APP_DIR).pathname],
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    logLevel: "silent",
    legalComments: "none",
  });
  const script = result.outputFiles[0]?.text;
  if (!script) throw new Error("the dashboard build produced no script");
  const read = (name: string) => readFile(new URL(name, APP_DIR), "utf8");
  const chartCss = await readFile(new URL(import.meta.resolve("uplot/dist/uPlot.min.css")), "utf8");
  return new Map([
    ["index.html", { body: await read("index.html"), contentType: "text/html; charset=utf-8" }],
    ["app.css", { body: `${await read("app.css")}\n${chartCss}\n`, contentType: "text/css; charset=utf-8" }],
    ["app.js", { body: script, contentType: "text/javascript; charset=utf-8" }],
    ["icon.svg", { body: await read("icon.svg"), contentType: "image/svg+xml" }],
  ]);
}
