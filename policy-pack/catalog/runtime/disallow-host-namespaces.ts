import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { isUnset, POD_KINDS, podViolations, quote } from "./pod";

/** The pod-level switches that share a host namespace with the pod. */
const HOST_NAMESPACE_FIELDS = ["hostNetwork", "hostIPC", "hostPID"] as const;

/** `hostNetwork`, `hostIPC` and `hostPID` must be absent or false. */
export const disallowHostNamespaces: RuntimeRule = {
    id: "disallow-host-namespaces",
    scope: "runtime",
    title: "Disallow Host Namespaces",
    description: "Pods must not share the node's network, IPC or PID namespace.",
    severity: "high",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.unprivileged, BSI.podSeparation, BSI.networkSeparation]),
    remediation: "Remove hostNetwork, hostIPC and hostPID from the pod spec or set them to false.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return podViolations(manifest, (pod, violations) => {
            for (const field of HOST_NAMESPACE_FIELDS) {
                const value = pod.spec[field];
                if (!isUnset(value) && value !== false) {
                    violations.push({
                        path: `${pod.path}.${field}`,
                        message: `The pod sets ${field} to ${quote(value)}; it must be unset or false.`,
                    });
                }
            }
        });
    },
    kyverno() {
        return [
            {
                name: "host-namespaces",
                match: matchPods(),
                validate: {
                    message: "Sharing the host namespaces is disallowed: spec.hostNetwork, spec.hostIPC and spec.hostPID must be unset or false.",
                    pattern: {
                        spec: { "=(hostPID)": "false", "=(hostIPC)": "false", "=(hostNetwork)": "false" },
                    },
                },
            },
        ];
    },
};
