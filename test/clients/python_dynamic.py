"""Drives Stella with the official Kubernetes Python client's dynamic client (Debian's
python3-kubernetes), as a third party would: discovery, create, get, list with a label and a field selector,
merge patch, watch from a resourceVersion, a stale update (409), an invalid object (422), delete.
Prints one JSON object with what each step saw; test/clients/python-client.test.ts asserts on it.

usage: python3 python_dynamic.py KUBECONFIG NAMESPACE
"""
import json
import sys

from kubernetes import config, dynamic
from kubernetes.client import api_client
from kubernetes.dynamic.exceptions import ApiException


def main(kubeconfig, namespace):
    config.load_kube_config(config_file=kubeconfig)
    client = dynamic.DynamicClient(api_client.ApiClient())
    seen = {}
    envs = client.resources.get(api_version="release.stella.io/v1alpha1", kind="Environment")
    seen["discovery"] = {"name": envs.name, "namespaced": envs.namespaced, "shortNames": list(envs.short_names or [])}

    def environment(name, labels):
        return {
            "apiVersion": "release.stella.io/v1alpha1",
            "kind": "Environment",
            "metadata": {"name": name, "labels": labels},
            "spec": {"targetSelector": {"matchLabels": {"env": name}}},
        }

    created = envs.create(body=environment("py-dev", {"tier": "dev"}), namespace=namespace)
    envs.create(body=environment("py-prod", {"tier": "prod"}), namespace=namespace)
    seen["created"] = {"uid": bool(created.metadata.uid), "resourceVersion": created.metadata.resourceVersion}
    got = envs.get(name="py-dev", namespace=namespace)
    seen["get"] = got.metadata.name
    listed = envs.get(namespace=namespace, label_selector="tier=prod")
    seen["list"] = {"names": [i.metadata.name for i in listed.items], "resourceVersion": listed.metadata.resourceVersion}
    by_field = envs.get(namespace=namespace, field_selector="metadata.name=py-dev")
    seen["fieldSelector"] = [i.metadata.name for i in by_field.items]

    patched = envs.patch(
        name="py-dev", namespace=namespace, body={"metadata": {"labels": {"patched": "yes"}}},
        content_type="application/merge-patch+json",
    )
    seen["patch"] = patched.metadata.labels.get("patched")

    events = []
    for event in envs.watch(namespace=namespace, resource_version=listed.metadata.resourceVersion, timeout=5):
        events.append({"type": event["type"], "name": event["object"].metadata.name})
        if event["object"].metadata.name == "py-dev" and event["type"] == "MODIFIED":
            break
    seen["watch"] = events

    stale = environment("py-dev", {"tier": "dev"})
    stale["metadata"]["resourceVersion"] = created.metadata.resourceVersion
    try:
        envs.replace(body=stale, namespace=namespace)
        seen["stale"] = "accepted"
    except ApiException as err:
        seen["stale"] = {"status": err.status, "reason": json.loads(err.body).get("reason")}

    bad = environment("py-bad", {})
    bad["spec"]["noSuchField"] = 1
    try:
        envs.create(body=bad, namespace=namespace)
        seen["invalid"] = "accepted"
    except ApiException as err:
        body = json.loads(err.body)
        seen["invalid"] = {"status": err.status, "fields": [c.get("field") for c in body.get("details", {}).get("causes", [])]}

    envs.delete(name="py-prod", namespace=namespace)
    try:
        envs.get(name="py-prod", namespace=namespace)
        seen["deleted"] = False
    except ApiException as err:
        seen["deleted"] = err.status == 404
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
