// The version of this client, from package.json.
import { readFileSync } from "node:fs";

/** The stella client version, e.g. `0.1.0`. */
export const CLIENT_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
