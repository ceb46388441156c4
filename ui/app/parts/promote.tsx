// Promote a release into an environment from its pipeline card: the same request as
// `stella apply -f promote.yaml` (a Promotion of the chosen release into the environment, with an
// optional reason; the server records who asked). Whether the user may promote the chosen release
// is the server's answer to that same request as a dry run (dryRun=All: checked, not stored), so
// the role, a grant limited to named objects and the request's validation are judged as on the real
// click; a refusal disables the button and shows the server's reason. A gate, an approval or a
// freeze window holds a created promotion later, on its own page: the dry run cannot know those.
// Nothing is stored before confirmation; the created promotion is one click away.
import { useEffect, useState } from "preact/hooks";
import type { Environment } from "../../../crds/environment.ts";
import type { Promotion } from "../../../crds/promotion.ts";
import type { Release } from "../../../crds/release.ts";
import { createObject, type ApiFailure } from "../api.ts";
import { Link, pathTo } from "../router.tsx";
import type { Stored } from "../watch.ts";

/** The release offered first for `env`: what its first upstream runs now, else the newest release. */
export function suggested(env: Environment, all: Environment[], releases: Release[]): string | undefined {
  const upstream = all.find((e) => e.metadata.name === env.spec.upstream?.[0]);
  const fromUpstream = upstream?.status?.current?.release;
  if (fromUpstream && fromUpstream !== env.status?.current?.release) return fromUpstream;
  return newestFirst(releases)[0]?.metadata.name;
}

/** Releases, the most recently created first. */
export const newestFirst = <T extends Release>(releases: T[]) =>
  [...releases].sort((a, b) => (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? ""));

const promotionOf = (ns: string, env: string, release: string, reason: string) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Promotion",
  metadata: { generateName: `${release}-to-${env}-`, namespace: ns },
  spec: { release, environment: env, ...(reason ? { reason } : {}) },
});

const create = (ns: string, env: string, release: string, reason: string, dryRun: boolean) =>
  createObject<Promotion>(ns, "promotions", promotionOf(ns, env, release, reason), dryRun);

/** The Promote control of environment card `env`. */
export function PromoteControl(props: {
  ns: string;
  env: Stored<Environment>;
  all: Environment[];
  releases: Stored<Release>[];
}) {
  const { ns, env } = props;
  const name = env.metadata.name;
  const [chosen, setChosen] = useState<string>();
  /** The dry run's answer for the chosen release: undefined while asked, null when it would be accepted. */
  const [refusal, setRefusal] = useState<string | null>();
  const [reason, setReason] = useState("");
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<{ text: string; created?: string }>();
  const release = chosen ?? suggested(env, props.all, props.releases);
  useEffect(() => {
    setRefusal(undefined);
    if (!release) return;
    create(ns, name, release, "", true).then(
      () => setRefusal(null),
      (err: ApiFailure | Error) => setRefusal(err.message),
    );
  }, [ns, name, release]);
  if (!props.releases.length) return null;
  const id = (what: string) => `promote-${what}-${name}`;
  const run = (r: string) => {
    setAsking(false);
    create(ns, name, r, reason.trim(), false).then(
      (p) => setResult({ text: "Created", created: p.metadata.name }),
      (err: ApiFailure | Error) => setResult({ text: err.message }),
    );
  };
  return (
    <div class="promote">
      <label for={id("release")}>Release for {name}</label>
      <select id={id("release")} value={release} onChange={(e) => setChosen(e.currentTarget.value)}>
        {newestFirst(props.releases).map((r) => (
          <option key={r.metadata.name} value={r.metadata.name}>
            {r.metadata.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        class="promote-start"
        data-promote={name}
        disabled={refusal !== null || !release}
        aria-describedby={refusal ? id("refusal") : undefined}
        onClick={() => setAsking(true)}
      >
        Promote to {name}
      </button>
      {refusal && (
        <p id={id("refusal")} class="refusal">
          {refusal}
        </p>
      )}
      {asking && release && (
        <div role="alertdialog" aria-labelledby={id("title")} class="confirm">
          <p id={id("title")}>
            Promote release {release} into {name}? This creates a Promotion requested by you; its gates and approvals
            decide when it deploys.
          </p>
          <label for={id("reason")}>Reason</label>
          <input id={id("reason")} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <div class="actions">
            <button type="button" class="confirm-yes" onClick={() => run(release)}>
              Confirm promotion
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {result && (
        <p role="status" class="promote-result">
          {result.text}{" "}
          {result.created && <Link href={pathTo(ns, "promotions", result.created)}>{result.created}</Link>}
        </p>
      )}
    </div>
  );
}
