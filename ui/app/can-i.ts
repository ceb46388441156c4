// What the server lets the signed-in user do, asked of the server itself (SelfSubjectAccessReview,
// as `kubectl auth can-i`), so the page offers only the actions that would not be refused.
import { useEffect, useState } from "preact/hooks";
import { api } from "./api.ts";

/** The server's answer: allowed, or refused with its reason. */
export interface Permission {
  allowed: boolean;
  reason?: string;
}

/** Asks whether the user may `verb` `resource` (`name`, `subresource`) in `ns`. */
export async function canI(verb: string, resource: string, ns: string, name?: string, subresource?: string) {
  const review = await api<{ status: Permission }>("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: { resourceAttributes: { namespace: ns, verb, group: "release.stella.io", resource, name, subresource } },
  });
  return review.status;
}

/** The permission as a hook: undefined while the server is asked. */
export function useCanI(verb: string, resource: string, ns: string, name?: string, subresource?: string) {
  const [answer, setAnswer] = useState<Permission>();
  useEffect(() => {
    setAnswer(undefined);
    canI(verb, resource, ns, name, subresource).then(setAnswer, (err: Error) =>
      setAnswer({ allowed: false, reason: err.message }),
    );
  }, [verb, resource, ns, name, subresource]);
  return answer;
}
