// Why a component could not be resolved (or its signature checked), as a condition reason and a
// message naming the component and image, and whether a retry soon may help. Messages are built
// from what the controller knows (registry, repository, Secret names), never from credentials.
import {
  InvalidReference,
  ManifestNotFound,
  OciError,
  RegistryError,
  RegistryUnreachable,
  Unauthorized,
} from "../oci/index.ts";
import type { PullCredentials, RegistryLogin } from "../oci/index.ts";

/** Condition reasons of Resolved=False. */
export const ResolveReasons = {
  ManifestNotFound: "ManifestNotFound",
  RegistryUnreachable: "RegistryUnreachable",
  Unauthorized: "Unauthorized",
  RegistryError: "RegistryError",
  InvalidImage: "InvalidImage",
} as const;

/** One component that failed, and how. */
export interface ComponentFailure {
  component: string;
  image: string;
  reason: string;
  message: string;
  /** A retry soon may help (unreachable registry, HTTP 5xx/429); else retry slowly. */
  transient: boolean;
}

/** The failure `err` means for `component`, given the login used (if any) and the pull Secrets. */
export function componentFailure(
  component: string,
  image: string,
  err: unknown,
  login: RegistryLogin | undefined,
  pulls: PullCredentials,
): ComponentFailure {
  const at = { component, image };
  const say = (reason: string, problem: string, transient: boolean): ComponentFailure => ({
    ...at,
    reason,
    message: `component ${component} (${image}): ${problem}`,
    transient,
  });
  if (err instanceof Unauthorized) {
    // A Secret that could not be used explains a refusal better than the refusal itself.
    const problem = login ? undefined : pulls.problems[0];
    if (problem) return say(problem.reason, `${problem.message}; registry ${err.registry} requires credentials`, false);
    const detail = login
      ? `registry ${err.registry} refused the credentials from Secret ${login.secret} for repository ${err.repository}`
      : `registry ${err.registry} requires credentials for repository ${err.repository}; name a Secret with a login for it in spec.imagePullSecrets`;
    return say(ResolveReasons.Unauthorized, detail, false);
  }
  if (err instanceof ManifestNotFound) return say(ResolveReasons.ManifestNotFound, err.message, false);
  if (err instanceof RegistryUnreachable) return say(ResolveReasons.RegistryUnreachable, err.message, true);
  if (err instanceof RegistryError) return say(ResolveReasons.RegistryError, err.message, err.transient);
  if (err instanceof OciError) return say(ResolveReasons.RegistryError, err.message, err.transient);
  if (err instanceof InvalidReference) return say(ResolveReasons.InvalidImage, err.message, false);
  return say(ResolveReasons.RegistryError, err instanceof Error ? err.message : String(err), true);
}

/** One message for several failures, in component order. */
export function failureMessage(failures: readonly ComponentFailure[]): string {
  return failures.map((f) => f.message).join("; ");
}
