import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { containerLabel, containerPath, forEachContainer, isUnset, POD_KINDS, podViolations, quote, securityContextOf } from "./pod";

/**
 * Restricted: every container must run with `runAsNonRoot: true`, either inherited from the
 * pod's securityContext or set on the container; no container may set it to false. As
 * upstream, a pod-level value that every container overrides with true is accepted.
 */
export const requireRunAsNonroot: RuntimeRule = {
    id: "require-run-as-nonroot",
    scope: "runtime",
    title: "Require runAsNonRoot",
    description: "Every container must be required to run as a non-root user through securityContext.runAsNonRoot: true.",
    severity: "medium",
    category: "Pod Security Standards (Restricted)",
    framework: pss("restricted", [BSI.unprivileged, BSI.serviceAccounts]),
    remediation: "Set spec.securityContext.runAsNonRoot: true on the pod (or on every container) and remove runAsNonRoot: false from all containers.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return podViolations(manifest, (pod, violations) => {
            const podValue = securityContextOf(pod.spec)?.runAsNonRoot;
            forEachContainer(pod, (container, list, index) => {
                const value = securityContextOf(container)?.runAsNonRoot;
                const who = containerLabel(container, list, index);
                let message: string | undefined;
                if (!isUnset(value)) {
                    if (value !== true) {
                        message = `${who} sets securityContext.runAsNonRoot to ${quote(value)}; it must be true.`;
                    }
                } else if (podValue !== true) {
                    message = `${who} does not set securityContext.runAsNonRoot and the pod's is ${quote(podValue)}; one of them must be true.`;
                }
                if (message !== undefined) {
                    violations.push({ path: `${containerPath(pod, list, index)}.securityContext.runAsNonRoot`, message });
                }
            });
        });
    },
    kyverno() {
        const optional = { "=(securityContext)": { "=(runAsNonRoot)": true } };
        const required = { securityContext: { runAsNonRoot: true } };
        return [
            {
                name: "run-as-non-root",
                match: matchPods(),
                validate: {
                    message:
                        "Running as root is not allowed: spec.securityContext.runAsNonRoot must be true, or that of every container, init container and ephemeral container must be true; none may be false.",
                    anyPattern: [
                        {
                            spec: {
                                securityContext: { runAsNonRoot: true },
                                "=(ephemeralContainers)": [optional],
                                "=(initContainers)": [optional],
                                containers: [optional],
                            },
                        },
                        {
                            spec: {
                                "=(ephemeralContainers)": [required],
                                "=(initContainers)": [required],
                                containers: [required],
                            },
                        },
                    ],
                },
            },
        ];
    },
};
