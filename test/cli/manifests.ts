// Manifest text for CLI tests.

/** An Environment manifest in YAML; `extra` is appended inside spec (indented by the caller's text). */
export function environmentYaml(name: string, namespace: string, spec = ""): string {
  return `apiVersion: release.stella.io/v1alpha1
kind: Environment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  targetSelector:
    matchLabels:
      stella.io/environment: ${name}
${spec}`;
}

/** Documents joined into one multi-document YAML text. */
export const documents = (docs: string[]): string => docs.join("---\n");
