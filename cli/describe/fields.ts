// Nested fields as `describe` prints them: `Display Name:  Development`, nested maps indented,
// list items of objects headed by their name, scalar lists joined with commas. Label-like keys
// (with a dot or slash) keep their spelling.

/** `displayName` -> `Display Name`; `stella.io/environment` stays as it is. */
export function humanKey(key: string): string {
  if (/[./]/.test(key)) return key;
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
}

const isScalar = (v: unknown) => v === null || typeof v !== "object";
const scalarText = (v: unknown) => (v === null || v === undefined ? "<none>" : String(v));

/** The lines describing `value` (an object), indented by `indent` spaces. */
export function fieldLines(value: Record<string, unknown>, indent = 2): string[] {
  const pad = " ".repeat(indent);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  const scalarWidth = Math.max(
    0,
    ...entries.filter(([, v]) => isScalar(v) || isScalarList(v)).map(([k]) => humanKey(k).length + 1),
  );
  const lines: string[] = [];
  for (const [k, v] of entries) {
    const label = `${humanKey(k)}:`;
    if (isScalar(v)) lines.push(`${pad}${label.padEnd(scalarWidth)}  ${scalarText(v)}`);
    else if (isScalarList(v))
      lines.push(
        `${pad}${label.padEnd(scalarWidth)}  ${(v as unknown[]).length ? (v as unknown[]).map(scalarText).join(", ") : "<none>"}`,
      );
    else if (Array.isArray(v)) {
      lines.push(`${pad}${label}`);
      v.forEach((item, i) => {
        const o = (item ?? {}) as Record<string, unknown>;
        const title = typeof o.name === "string" ? o.name : `[${i}]`;
        const { name: _name, ...rest } = o;
        lines.push(`${pad}  ${title}:`, ...fieldLines(typeof o.name === "string" ? rest : o, indent + 4));
      });
    } else if (Object.keys(v as object).length === 0) lines.push(`${pad}${label.padEnd(scalarWidth)}  <none>`);
    else lines.push(`${pad}${label}`, ...fieldLines(v as Record<string, unknown>, indent + 2));
  }
  return lines;
}

function isScalarList(v: unknown): boolean {
  return Array.isArray(v) && v.every(isScalar);
}
