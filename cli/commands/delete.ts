// `stella delete`: objects by name, selector, --all or manifest (-f), with kubectl's cascade
// policies, then (unless --wait=false) a wait, through watches, until every one is gone.
import { isNotFound, isUnauthorized } from "../../crds/errors.ts";
import { ConnectionError } from "../../sdk/errors.ts";
import { parseFlags, parseTimeoutMs } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { dryRunFlag, dryRunSuffix, parseDryRun } from "../dry-run.ts";
import { errorMessage } from "../error-message.ts";
import type { Manifest } from "../manifests/load.ts";
import { objectFailure } from "../manifests/object-failure.ts";
import { place } from "../manifests/placement.ts";
import { filenameFlags, readManifests } from "../manifests/read.ts";
import { qualifiedKind } from "../output/objects.ts";
import { Progress } from "../output/progress.ts";
import { reportError } from "../output/report.ts";
import { parseResourceArgs } from "../resource-args.ts";
import { allNamespacesFlag, connectionFlags, CONNECTION_HELP, Session } from "../session.ts";
import { resolveTargets } from "../targets.ts";
import { waitAll, type WaitTarget } from "../wait/wait-all.ts";

const options = {
  ...connectionFlags,
  ...allNamespacesFlag,
  ...filenameFlags,
  ...dryRunFlag,
  selector: { type: "string", short: "l" },
  "field-selector": { type: "string" },
  all: { type: "boolean" },
  cascade: { type: "string", default: "background" },
  wait: { type: "boolean", default: true },
  timeout: { type: "string", default: "0" },
  "ignore-not-found": { type: "boolean" },
} as const;

const CASCADE = {
  background: "Background",
  foreground: "Foreground",
  orphan: "Orphan",
  true: "Background",
  false: "Orphan",
} as const;

/** `stella delete`. */
export const deleteCommand: Command = {
  name: "delete",
  summary: "Delete objects by name, label or manifest, and wait until gone",
  options,
  help: `Delete objects, then wait until they are gone (their finalizers done and, with
--cascade=foreground, their dependents deleted first). On a terminal a live line shows what is
still held and why.

Usage: stella delete (TYPE NAME... | TYPE/NAME... | TYPE -l SEL | TYPE --all | -f FILE) [flags]

Flags:
  -f, --filename PATH      delete the objects of these manifests (file, directory, or -)
  -R, --recursive          read directories recursively
  -l, --selector SEL       delete the objects this label selector picks
  --all                    delete every object of the type in the namespace
  --cascade POLICY         background (default): delete now, dependents after;
                           foreground: dependents first, the object last; orphan: keep dependents
  --wait=false             return once the server accepted the deletions
  --timeout DURATION       give up waiting after this long (default 0: no limit); exit 1
  --ignore-not-found       an object that does not exist is not an error
  --dry-run server         ask the server whether the deletion would succeed, delete nothing
  -A, --all-namespaces     with -l or --all: in every namespace

${CONNECTION_HELP}

Examples:
  stella delete -f ../shared/examples/estate.yaml
  stella delete environment dev -n shop
  stella delete releases -l app=shop -n shop --cascade=foreground
  stella delete namespace shop --wait=false`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    const propagationPolicy = CASCADE[values.cascade as keyof typeof CASCADE];
    if (!propagationPolicy)
      throw new UsageError(`--cascade must be background, foreground or orphan, not "${values.cascade}"`);
    const dryRun = parseDryRun(values["dry-run"], ["none", "server"]);
    const timeoutMs = parseTimeoutMs(values.timeout!);
    if (values.filename && positionals.length) throw new UsageError("give -f or resource arguments, not both");
    const manifests = values.filename
      ? await readManifests("delete", values.filename, values.recursive, "nothing was deleted")
      : undefined;
    if (values.filename && !manifests) return EXIT.failure;
    const refs = manifests ? [] : parseResourceArgs(positionals, "what to delete");

    const session = await Session.open(values);
    const progress = new Progress();
    try {
      // Each target remembers its manifest (for messages) when it came from one.
      const targets: (WaitTarget & { manifest?: Manifest })[] = manifests
        ? manifests.map((m) => ({ ...place(m, session), manifest: m }))
        : await resolveTargets(session.client, refs, {
            namespace: values["all-namespaces"] ? undefined : session.namespace,
            labelSelector: values.selector,
            fieldSelector: values["field-selector"],
            all: values.all,
          });
      if (targets.length === 0) {
        process.stderr.write("No resources found\n");
        return EXIT.ok;
      }
      const deleted: WaitTarget[] = [];
      let failed = 0;
      for (const t of targets) {
        try {
          const gone = await session.client
            .resource(t.info)
            .delete(t.name, { namespace: t.namespace, propagationPolicy, dryRun: dryRun === "server" });
          process.stdout.write(`${qualifiedKind(t.info)} "${t.name}" deleted${dryRunSuffix(dryRun)}\n`);
          deleted.push({ info: t.info, namespace: t.namespace, name: t.name, uid: gone?.metadata.uid ?? t.uid });
        } catch (err) {
          if (isNotFound(err) && values["ignore-not-found"]) continue;
          if (err instanceof ConnectionError || isUnauthorized(err)) throw err;
          failed++;
          reportError("delete", t.manifest ? objectFailure(t.manifest, err) : errorMessage(err));
        }
      }
      if (values.wait && dryRun === "none" && deleted.length > 0) {
        const unmet = await waitAll(
          session.client,
          deleted,
          { kind: "delete" },
          { timeoutMs: timeoutMs || undefined, progress, onMet: () => {} },
        );
        for (const { target, verdict } of unmet)
          reportError(
            "delete",
            `timed out after ${values.timeout} waiting for ${target.info.plural}/${target.name} to be deleted: ${verdict.state}`,
          );
        failed += unmet.length;
      }
      return failed === 0 ? EXIT.ok : EXIT.failure;
    } finally {
      progress.stop();
      session.close();
    }
  },
};
