// Promotion: where it stands (phase, message), its steps as a DAG, each gate's verdict with the
// inputs it judged, the approvals so far against those required, and the decision form.
import type { Promotion, PromotionStep } from "../../../crds/promotion.ts";
import { Badge } from "../parts/badge.tsx";
import { Scroll } from "../parts/scroll.tsx";
import { DecisionPanel } from "../parts/decision.tsx";
import { Values } from "../parts/values.tsx";
import { Link, pathTo } from "../router.tsx";
import { When } from "../time.tsx";
import { useObject } from "../use-watch.ts";
import { ObjectMissing } from "../parts/object-missing.tsx";

/** Steps in layers: a step sits in the layer after the last of the steps it depends on. */
export function stepLayers(steps: PromotionStep[]): PromotionStep[][] {
  const layer = new Map<string, number>();
  const byName = new Map(steps.map((s) => [s.name, s]));
  const of = (s: PromotionStep, depth = 0): number => {
    if (layer.has(s.name)) return layer.get(s.name)!;
    const deps = (s.dependsOn ?? []).map((d) => byName.get(d)).filter((d): d is PromotionStep => !!d);
    const l = deps.length && depth < steps.length ? 1 + Math.max(...deps.map((d) => of(d, depth + 1))) : 0;
    layer.set(s.name, l);
    return l;
  };
  const layers: PromotionStep[][] = [];
  for (const s of steps) (layers[of(s)] ??= []).push(s);
  return layers.filter(Boolean);
}

function Steps({ steps }: { steps: PromotionStep[] }) {
  if (!steps.length) return null;
  return (
    <section aria-labelledby="steps">
      <h2 id="steps">Steps</h2>
      <ol class="dag">
        {stepLayers(steps).map((layer, i) => (
          <li key={i}>
            {layer.map((s) => (
              <div key={s.name} class="step" data-step={s.name}>
                <strong>{s.name}</strong> <Badge value={s.phase} />
                {s.dependsOn?.length ? <small> after {s.dependsOn.join(", ")}</small> : null}
                {s.message && <p>{s.message}</p>}
              </div>
            ))}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The promotion `name` in `ns`. */
export function PromotionScreen({ ns, name }: { ns: string; name: string }) {
  const { object: p, loaded, error } = useObject<Promotion>(ns, "promotions", name);
  if (!p) return <ObjectMissing kind="promotion" ns={ns} name={name} loaded={loaded} error={error} />;
  const s = p.status ?? {};
  const approvals = s.approvals ?? [];
  const approved = new Set(approvals.filter((a) => a.decision === "Approved").map((a) => a.user.username)).size;
  return (
    <section aria-labelledby="title" data-phase={s.phase}>
      <h1 id="title">
        Promotion {name} <Badge value={s.phase} />
      </h1>
      {s.message && <p class="message">{s.message}</p>}
      <dl class="facts">
        <dt>Release</dt>
        <dd>
          <Link href={pathTo(ns, "releases", p.spec.release)}>{p.spec.release}</Link>
        </dd>
        <dt>Environment</dt>
        <dd>
          <Link href={pathTo(ns, "pipeline")}>{p.spec.environment}</Link>
        </dd>
        <dt>Requested by</dt>
        <dd>{p.spec.requestedBy?.username ?? "—"}</dd>
        {p.spec.reason && (
          <>
            <dt>Reason</dt>
            <dd>{p.spec.reason}</dd>
          </>
        )}
        <dt>Started</dt>
        <dd>
          <When iso={s.startedAt} />
        </dd>
        {s.deployment && (
          <>
            <dt>Deployment</dt>
            <dd>
              <Link href={pathTo(ns, "deployments", s.deployment)}>{s.deployment}</Link>
            </dd>
          </>
        )}
      </dl>
      <Steps steps={s.steps ?? []} />
      <section aria-labelledby="gates">
        <h2 id="gates">Gates</h2>
        {(s.gates ?? []).length === 0 ? (
          <p class="muted">No gate has been evaluated yet.</p>
        ) : (
          <Scroll label="Gates">
            <table>
              <thead>
                <tr>
                  <th scope="col">Gate</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Why</th>
                  <th scope="col">Inputs</th>
                </tr>
              </thead>
              <tbody>
                {(s.gates ?? []).map((g) => (
                  <tr key={g.name} data-gate={g.name}>
                    <th scope="row">{g.name}</th>
                    <td>
                      <Badge value={g.verdict} />
                    </td>
                    <td>{g.message}</td>
                    <td>
                      <Values value={g.inputs} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        )}
      </section>
      <section aria-labelledby="approvals">
        <h2 id="approvals">Approvals</h2>
        <p class="approval-count">
          {approved} of {s.approvalsRequired ?? 0} required
        </p>
        <ul class="approvals">
          {approvals.map((a, i) => (
            <li key={i} data-approver={a.user.username}>
              <Badge value={a.decision} /> by <strong>{a.user.username}</strong> <When iso={a.time} />
              {a.comment && <q>{a.comment}</q>}
              {a.evidence && (
                <>
                  {" "}
                  · <Link href={pathTo(ns, "evidence") + `#${a.evidence}`}>evidence</Link>
                </>
              )}
            </li>
          ))}
        </ul>
        <DecisionPanel ns={ns} p={p} />
      </section>
      {(s.evidence ?? []).length > 0 && (
        <section aria-labelledby="evidence">
          <h2 id="evidence">Evidence</h2>
          <ul>
            {(s.evidence ?? []).map((e) => (
              <li key={e}>
                <Link href={pathTo(ns, "evidence") + `#${e}`}>{e}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
