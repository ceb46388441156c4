// Reading request bodies: bounded in size, decoded by content type (JSON or YAML), every
// failure a Status naming what was wrong. Nothing is stored until the body parsed cleanly.
import { parseDocument } from "yaml";
import { badRequest, tooLarge, unsupportedMediaType } from "../../crds/errors.ts";
import { checkBodyShape } from "./body-shape.ts";
import { decodeProtobufObject, PROTOBUF } from "./protobuf.ts";

/** Kubernetes' default request body limit (3 MiB). */
export const DEFAULT_BODY_LIMIT = 3 * 1024 * 1024;

/** Reads the body, refusing more than `limit` bytes with 413. */
export async function readBodyBytes(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (declared > limit) throw tooLarge(`request body of ${declared} bytes is larger than the limit of ${limit} bytes`);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(`request body is larger than the limit of ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The media type of a request, without parameters, lowercased. */
export const mediaType = (req: Request): string =>
  (req.headers.get("content-type") ?? "application/json").split(";")[0].trim().toLowerCase();

/** Alias expansions a YAML body may make (the yaml library's default budget, stated here on purpose). */
const MAX_YAML_ALIASES = 100;

/**
 * The yaml library aborts the whole process (a V8 fatal error, not an exception) on flow
 * sequences nested some tens of thousands deep, so such text never reaches it. The count is
 * rough (brackets inside quoted strings count too), hence a bound far above the 100 levels a
 * decoded body may have and far below what breaks the parser.
 */
const MAX_YAML_FLOW_NESTING = 1000;

function flowNestingOver(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return true;
    } else if ((ch === 0x5d || ch === 0x7d) && depth > 0) depth--;
  }
  return false;
}

const JSON_TYPES = new Set([
  "application/json",
  "application/merge-patch+json",
  "application/json-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+json",
]);
const YAML_TYPES = new Set(["application/yaml", "application/x-yaml", "text/yaml", "application/apply-patch+yaml"]);

/** Parses a body of the given media type; malformed, too deeply nested or unstorable input is a 400 that says where. */
export function parseBody(bytes: Buffer, type: string): unknown {
  const body = decode(bytes, type);
  checkBodyShape(body);
  return body;
}

const yamlError = (message: string) =>
  badRequest(`the request body is not valid YAML: ${message}`, [
    { reason: "FieldValueInvalid", message, field: "body" },
  ]);

// The yaml parser recurses per nesting level; its stack overflow is reported as an error like any other.
const yamlMessage = (message: string) => (/call stack/i.test(message) ? "nested too deeply" : message.split("\n")[0]);

function decode(bytes: Buffer, type: string): unknown {
  if (type === PROTOBUF) return decodeProtobufObject(bytes);
  const text = bytes.toString("utf8");
  if (text.trim() === "")
    throw badRequest("the request body is empty", [
      { reason: "FieldValueRequired", message: "a body is required", field: "body" },
    ]);
  if (JSON_TYPES.has(type)) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`, [
        { reason: "FieldValueInvalid", message: (err as Error).message, field: "body" },
      ]);
    }
  }
  if (YAML_TYPES.has(type)) {
    if (flowNestingOver(text, MAX_YAML_FLOW_NESTING)) throw yamlError("nested too deeply");
    const doc = parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const where = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
      const message = yamlMessage(e.message);
      throw badRequest(`the request body is not valid YAML${where}: ${message}`, [
        { reason: "FieldValueInvalid", message, field: "body" },
      ]);
    }
    // Aliases are expanded here: a "billion laughs" document stops at the library's alias
    // budget (maxAliasCount) with an error, which is the client's, not ours.
    try {
      return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (err) {
      throw yamlError(yamlMessage((err as Error).message));
    }
  }
  throw unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got ${type})`,
  );
}
