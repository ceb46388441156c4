// Match routes as HAProxy map entries. The configuration loads one map file per routable header or
// cookie and sends a request to the canary server when its value is a key of that map:
//   use-server canary if { req.hdr(x-canary),map(/etc/haproxy/<backend>.header.x-canary.map) -m found }
//   use-server canary if { req.cook(beta),map(/etc/haproxy/<backend>.cookie.beta.map) -m found }
// The router finds the files by name among the maps HAProxy has loaded, and adds or deletes entries
// (key: the value to match, value: the route name) through the runtime API, without a reload. One
// map lookup tests one header or cookie, so a route here carries exactly one match.
import { basename } from "node:path";
import { RouterError, type RouteMatch } from "../../../sdk/plugins/router.ts";
import { type RuntimeAddress, runtimeCommand } from "./runtime-api.ts";

/** A token HAProxy keeps as one word on the runtime API command line. */
const WORD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The file name (no directory) of the map for one header or cookie of `backend`. */
export function mapFileName(backend: string, match: Pick<RouteMatch, "name" | "cookie">): string {
  return `${backend}.${match.cookie ? "cookie" : "header"}.${match.cookie ? match.name : match.name.toLowerCase()}.map`;
}

/** The maps HAProxy has loaded that belong to `backend`, by file name. */
export async function backendMaps(api: RuntimeAddress, backend: string, signal?: AbortSignal) {
  const answer = await runtimeCommand(api, "show map", signal);
  const maps = new Map<string, string>();
  for (const m of answer.matchAll(/^\d+ \((.+?)\)/gm)) {
    const file = basename(m[1]);
    if (file.startsWith(`${backend}.`)) maps.set(file, m[1]);
  }
  return maps;
}

interface MapEntry {
  key: string;
  route: string;
}

async function entries(api: RuntimeAddress, path: string, signal?: AbortSignal): Promise<MapEntry[]> {
  const answer = await runtimeCommand(api, `show map ${path}`, signal);
  const out: MapEntry[] = [];
  for (const line of answer.split("\n")) {
    const f = line.split(" ");
    if (f.length === 3 && f[0].startsWith("0x")) out.push({ key: f[1], route: f[2] });
  }
  return out;
}

async function command(api: RuntimeAddress, cmd: string, signal?: AbortSignal) {
  const answer = await runtimeCommand(api, cmd, signal);
  if (answer.trim() !== "") throw new RouterError("RouterRefused", `HAProxy ${cmd}: ${answer.trim()}`);
}

/** The match routes in the backend's maps, by route name. */
export async function readRoutes(api: RuntimeAddress, backend: string, signal?: AbortSignal) {
  const routes: Record<string, RouteMatch[]> = {};
  for (const [file, path] of await backendMaps(api, backend, signal)) {
    const m = /^\.(header|cookie)\.(.+)\.map$/.exec(file.slice(backend.length));
    if (!m) continue;
    for (const e of await entries(api, path, signal))
      (routes[e.route] ??= []).push({ name: m[2], value: e.key, ...(m[1] === "cookie" ? { cookie: true } : {}) });
  }
  return routes;
}

/** Replaces route `name` by `matches` (at most one); an empty list removes it. */
export async function writeRoute(
  api: RuntimeAddress,
  backend: string,
  name: string,
  matches: readonly RouteMatch[],
  signal?: AbortSignal,
): Promise<void> {
  if (matches.length > 1)
    throw new RouterError("RouterRefused", `route ${name}: an HAProxy map route matches one header or cookie`);
  for (const word of [name, ...matches.flatMap((m) => [m.name, m.value])])
    if (!WORD.test(word))
      throw new RouterError("RouterRefused", `route ${name}: ${JSON.stringify(word)} is not a token`);
  const maps = await backendMaps(api, backend, signal);
  const wanted = matches[0] && maps.get(mapFileName(backend, matches[0]));
  if (matches[0] && !wanted)
    throw new RouterError(
      "RouterRefused",
      `HAProxy has no map ${mapFileName(backend, matches[0])} loaded; add a use-server rule for it to the configuration`,
    );
  for (const path of maps.values())
    for (const e of await entries(api, path, signal))
      if (e.route === name) await command(api, `del map ${path} ${e.key}`, signal);
  if (wanted) {
    for (const e of await entries(api, wanted, signal))
      if (e.key === matches[0].value) await command(api, `del map ${wanted} ${e.key}`, signal);
    await command(api, `add map ${wanted} ${matches[0].value} ${name}`, signal);
  }
}
