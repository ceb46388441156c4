// Arbitrary values (gate inputs, annotations) as text: keys and values are rendered by Preact as
// text nodes, never as HTML, whatever they contain.
/** `value` as a definition list (objects), or as its JSON text. */
export function Values({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span class="muted">—</span>;
  if (typeof value !== "object") return <span>{String(value)}</span>;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return <span class="muted">—</span>;
  return (
    <dl class="values">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
