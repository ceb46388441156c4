// The line apply, diff and delete print when the server refuses one object of a manifest:
// where it came from (file, document, object) and why, field by field.
import { ApiError, isConflict } from "../../crds/errors.ts";
import { errorMessage } from "../error-message.ts";
import type { Manifest } from "./load.ts";
import { originOf } from "./placement.ts";
import { objectName } from "../output/objects.ts";

/** `estate.yaml document 4 (environment.release.stella.io/staging): <why>`. */
export function objectFailure(m: Manifest, err: unknown, serverSide = false): string {
  let why = errorMessage(err);
  if (err instanceof ApiError && err.code === 422 && err.details.causes?.length) {
    const fields = err.details.causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    why = `invalid: ${fields.join("; ")}`;
  }
  if (serverSide && isConflict(err)) why += " — rerun with --force-conflicts to take over these fields";
  return `${originOf(m)} (${objectName(m.info, m.object.metadata.name)}): ${why}`;
}
