import { disallowDefaultNamespace } from "../../catalog/runtime/disallow-default-namespace";
import { POD_KIND_CASES, workload, workloadCases } from "./fixtures";
import type { Manifest } from "../../catalog/core/types";

/** The compliant `kind` with its own metadata.namespace set to `namespace`, or removed when undefined. */
function inNamespace(kind: string, namespace: string | undefined): Manifest {
    const manifest = workload(kind);
    if (namespace === undefined) {
        delete manifest.metadata!.namespace;
    } else {
        manifest.metadata!.namespace = namespace;
    }
    return manifest;
}

const unnamed = (kind: string) =>
    `${kind} "app" sets no metadata.namespace, so it would be created in the provider's default namespace; name its own namespace.`;

export const cases = workloadCases(disallowDefaultNamespace, (c) => {
    c.compliant();
    c.add(
        "ignores the pod template's own metadata (a template carries no namespace)",
        workload("Deployment", undefined, { namespace: "default", labels: { app: "app" } }),
        [],
    );
    for (const { kind } of POD_KIND_CASES) {
        c.add(`flags a ${kind} in namespace "default"`, inNamespace(kind, "default"), [
            { path: "metadata.namespace", message: `${kind} "app" is in namespace "default"; using the default namespace is not allowed.` },
        ]);
    }
    c.add("fails when metadata.namespace is absent, because the provider's default namespace applies", inNamespace("Deployment", undefined), [
        { path: "metadata.namespace", message: unnamed("Deployment") },
    ]);
    c.add("fails when metadata.namespace is empty, because the provider's default namespace applies", inNamespace("Pod", ""), [
        { path: "metadata.namespace", message: unnamed("Pod") },
    ]);
    c.add("passes namespaces that merely contain the word default", inNamespace("Pod", "default-team"), []);
});
