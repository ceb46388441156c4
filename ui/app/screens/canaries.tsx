// Canaries: every canary of the namespace with its step, weight and phase, live.
import type { Canary } from "../../../crds/canary.ts";
import { Badge } from "../parts/badge.tsx";
import { Scroll } from "../parts/scroll.tsx";
import { Link, pathTo } from "../router.tsx";
import { useWatch } from "../use-watch.ts";

/** The canaries of namespace `ns`. */
export function CanariesScreen({ ns }: { ns: string }) {
  const live = useWatch<Canary>(ns, "canaries");
  return (
    <section aria-labelledby="title">
      <h1 id="title">Canaries · {ns}</h1>
      {live.error && (
        <p role="alert" class="error">
          {live.error}
        </p>
      )}
      {live.loaded && !live.items.length && <p>No canaries in {ns}.</p>}
      {live.items.length > 0 && (
        <Scroll label="Canaries">
          <table>
            <thead>
              <tr>
                <th scope="col">Canary</th>
                <th scope="col">Release</th>
                <th scope="col">Environment</th>
                <th scope="col">Step</th>
                <th scope="col">Weight</th>
                <th scope="col">Phase</th>
              </tr>
            </thead>
            <tbody>
              {live.items.map((c) => (
                <tr key={c.metadata.name} data-canary={c.metadata.name}>
                  <th scope="row">
                    <Link href={pathTo(ns, "canaries", c.metadata.name)}>{c.metadata.name}</Link>
                  </th>
                  <td>{c.spec.release}</td>
                  <td>{c.spec.environment}</td>
                  <td>
                    {(c.status?.currentStepIndex ?? 0) + 1} of {c.spec.steps.length}
                  </td>
                  <td>{c.status?.currentWeight === undefined ? "—" : `${c.status.currentWeight}%`}</td>
                  <td>
                    <Badge value={c.status?.phase ?? "Pending"} />
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
