// The body of a list whose items are already UTF-8 JSON (the list cache keeps each object so):
// `{...head,"items":[a,b,...]}` copied into one buffer, without parsing or re-encoding an item.

const COMMA = 0x2c;
const CLOSE = Buffer.from("]}");

/** `head` (a JSON object) with an `items` array of the pre-encoded `items` appended. */
export function listBody(head: Record<string, unknown>, items: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  // The head's closing brace gives way to the items.
  const open = Buffer.from(`${JSON.stringify(head).slice(0, -1)},"items":[`);
  let size = open.length + CLOSE.length + Math.max(items.length - 1, 0);
  for (const item of items) size += item.length;
  const body = Buffer.allocUnsafe(size);
  let at = open.copy(body, 0);
  items.forEach((item, i) => {
    if (i > 0) body[at++] = COMMA;
    body.set(item, at);
    at += item.length;
  });
  CLOSE.copy(body, at);
  return body;
}
