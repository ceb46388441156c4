// Audit: who did what, filtered by user, resource, verb and time (GET /audit/v1/events, newest
// first). The filters live in the URL's query, so a filtered view is a link. Audit records are not
// a watchable kind: the list is read when the filters change (and on "Refresh").
import { useEffect, useState } from "preact/hooks";
import type { AuditEvent, AuditEventList } from "../../../crds/audit-event.ts";
import { api, type ApiFailure } from "../api.ts";
import { Badge } from "../parts/badge.tsx";
import { Scroll } from "../parts/scroll.tsx";
import { navigate, pathTo } from "../router.tsx";
import { When } from "../time.tsx";

const FILTERS = ["user", "resource", "name", "verb", "since", "until"] as const;

/** The audit log of namespace `ns`, filtered by the URL's query. */
export function AuditScreen({ ns }: { ns: string }) {
  const search = location.search;
  const [events, setEvents] = useState<AuditEvent[]>();
  const [error, setError] = useState<string>();
  const [reload, setReload] = useState(0);
  useEffect(() => {
    const query = new URLSearchParams(search);
    query.set("namespace", ns);
    query.set("limit", "200");
    setError(undefined);
    api<AuditEventList>("GET", `/audit/v1/events?${query}`).then(
      (list) => setEvents(list.items),
      (err: ApiFailure | Error) => setError(err.message),
    );
  }, [ns, search, reload]);
  const params = new URLSearchParams(search);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const next = new URLSearchParams();
    for (const f of FILTERS) {
      const v = String(form.get(f) ?? "").trim();
      if (!v) continue;
      next.set(f, f === "since" || f === "until" ? new Date(v).toISOString() : v);
    }
    navigate(`${pathTo(ns, "audit")}${next.size ? `?${next}` : ""}`);
  };
  const local = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 16) : "");
  return (
    <section aria-labelledby="title">
      <h1 id="title">Audit · {ns}</h1>
      <form class="filters" onSubmit={onSubmit} aria-label="Filter the audit log">
        {FILTERS.map((f) => (
          <label key={f}>
            {f}
            <input
              name={f}
              type={f === "since" || f === "until" ? "datetime-local" : "text"}
              value={f === "since" || f === "until" ? local(params.get(f)) : (params.get(f) ?? "")}
            />
          </label>
        ))}
        <button type="submit">Filter</button>
        <button type="button" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {events && (
        <Scroll label="Audit events">
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">User</th>
                <th scope="col">Verb</th>
                <th scope="col">Resource</th>
                <th scope="col">Name</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e, i) => (
                <tr key={e.requestId ?? i} data-audit-user={e.user}>
                  <td>
                    <When iso={e.time} />
                  </td>
                  <td>{e.user}</td>
                  <td>
                    {e.verb}
                    {e.dryRun ? " (dry run)" : ""}
                  </td>
                  <td>{e.resource + (e.subresource ? `/${e.subresource}` : "")}</td>
                  <td>{e.name}</td>
                  <td>
                    <Badge value={e.outcome === "success" ? "Succeeded" : "Failed"} /> {e.code}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
    </section>
  );
}
