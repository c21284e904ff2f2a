import type { RuntimeRule, Violation } from "../core/types";
import { BSI } from "../core/frameworks";
import { isUnset, POD_KINDS, quote } from "./pod";

const kinds = new Set(POD_KINDS);

/**
 * Pods and pod controllers must name a namespace other than `default`. The namespace of a
 * controller is its own top-level `metadata.namespace` (a pod template carries none), which
 * is why the Kyverno twin matches the controllers itself instead of relying on auto-gen.
 * Before deploy, a manifest without `metadata.namespace` lands in the provider's default
 * namespace (normally `default`), so it fails too; at admission Kubernetes has filled it in.
 */
export const disallowDefaultNamespace: RuntimeRule = {
    id: "disallow-default-namespace",
    scope: "runtime",
    title: "Disallow Default Namespace",
    description: "Pods and pod controllers must run in a namespace of their own, never in the default namespace.",
    severity: "medium",
    category: "Multi-Tenancy",
    framework: { bsi: [BSI.appSeparation] },
    remediation: 'Set metadata.namespace to the application\'s own namespace (not "default").',
    kinds: [...POD_KINDS],
    check(manifest) {
        if (manifest.kind === undefined || !kinds.has(manifest.kind)) {
            return [];
        }
        const namespace = manifest.metadata?.namespace;
        const violations: Violation[] = [];
        if (isUnset(namespace) || namespace === "") {
            violations.push({
                path: "metadata.namespace",
                message: `${manifest.kind} ${quote(manifest.metadata?.name)} sets no metadata.namespace, so it would be created in the provider's default namespace; name its own namespace.`,
            });
        } else if (namespace === "default") {
            violations.push({
                path: "metadata.namespace",
                message: `${manifest.kind} ${quote(manifest.metadata?.name)} is in namespace "default"; using the default namespace is not allowed.`,
            });
        }
        return violations;
    },
    kyverno() {
        return [
            {
                name: "validate-namespace",
                match: { any: [{ resources: { kinds: ["Pod"] } }] },
                validate: {
                    message: "Using 'default' namespace is not allowed.",
                    pattern: { metadata: { namespace: "!default" } },
                },
            },
            {
                name: "validate-podcontroller-namespace",
                match: { any: [{ resources: { kinds: POD_KINDS.filter((kind) => kind !== "Pod") } }] },
                validate: {
                    message: "Using 'default' namespace is not allowed for pod controllers.",
                    pattern: { metadata: { namespace: "!default" } },
                },
            },
        ];
    },
};
