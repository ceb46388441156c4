// Release: each component's image as given and the digest it was pinned to, the signature
// verdicts, and the environments it runs in now or ran in before.
import type { Environment } from "../../../crds/environment.ts";
import type { Release } from "../../../crds/release.ts";
import { Badge } from "../parts/badge.tsx";
import { Scroll } from "../parts/scroll.tsx";
import { Values } from "../parts/values.tsx";
import { When } from "../time.tsx";
import { useObject, useWatch } from "../use-watch.ts";
import { ObjectMissing } from "../parts/object-missing.tsx";

/** The release `name` in `ns`. */
export function ReleaseScreen({ ns, name }: { ns: string; name: string }) {
  const { object: r, loaded, error } = useObject<Release>(ns, "releases", name);
  const envs = useWatch<Environment>(ns, "environments");
  if (!r) return <ObjectMissing kind="release" ns={ns} name={name} loaded={loaded} error={error} />;
  const s = r.status ?? {};
  const resolved = new Map((s.components ?? []).map((c) => [c.name, c]));
  const runsIn = envs.items.filter((e) => e.status?.current?.release === name).map((e) => e.metadata.name);
  const ranIn = envs.items
    .filter((e) => (e.status?.history ?? []).some((h) => h.release === name) || e.status?.previous?.release === name)
    .map((e) => e.metadata.name)
    .filter((e) => !runsIn.includes(e));
  return (
    <section aria-labelledby="title">
      <h1 id="title">
        Release {name} <Badge value={s.phase} />
      </h1>
      <dl class="facts">
        <dt>Runs in</dt>
        <dd class="runs-in">{runsIn.join(", ") || "nowhere"}</dd>
        <dt>Ran in</dt>
        <dd>{ranIn.join(", ") || "nowhere else"}</dd>
        <dt>Resolved</dt>
        <dd>
          <When iso={s.resolvedAt} />
        </dd>
        <dt>Annotations</dt>
        <dd class="annotations">
          <Values value={r.metadata.annotations} />
        </dd>
      </dl>
      <h2>Components</h2>
      <Scroll label="Components">
        <table>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Image</th>
              <th scope="col">Digest</th>
              <th scope="col">Signature</th>
            </tr>
          </thead>
          <tbody>
            {r.spec.components.map((c) => {
              const sig = (s.signatures ?? []).find((g) => g.name === c.name);
              return (
                <tr key={c.name}>
                  <th scope="row">{c.name}</th>
                  <td>{c.image}</td>
                  <td class="digest">{resolved.get(c.name)?.digest ?? "not resolved yet"}</td>
                  <td>
                    {sig ? (
                      <>
                        <Badge value={sig.verified ? "Verified" : "Failed"} /> {sig.reason} {sig.message}
                      </>
                    ) : (
                      "not required"
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Scroll>
    </section>
  );
}
