import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods, notWindows } from "./kyverno-blocks";
import { containerLabel, containerPath, forEachContainer, isUnset, isWindowsPod, POD_KINDS, podViolations, quote } from "./pod";
import { SECCOMP_TYPES, seccompTypeOf } from "./restrict-seccomp";

/**
 * Restricted: every container's effective seccomp profile must be `RuntimeDefault` or
 * `Localhost`. A container may inherit it from the pod or set it itself; any value it sets
 * must be allowed. (Upstream accepts a pod-level value that every container overrides, so a
 * pod-level `Unconfined` only fails through the containers that inherit it.)
 */
export const restrictSeccompStrict: RuntimeRule = {
    id: "restrict-seccomp-strict",
    scope: "runtime",
    title: "Restrict Seccomp (Strict)",
    description: "Every container must run with the RuntimeDefault or a Localhost seccomp profile, set on the pod or on the container.",
    severity: "medium",
    category: "Pod Security Standards (Restricted)",
    framework: pss("restricted", [BSI.extendedPolicies, BSI.isolation]),
    remediation: 'Set spec.securityContext.seccompProfile.type: "RuntimeDefault" on the pod (or on every container), and no container may set another type.',
    kinds: [...POD_KINDS],
    check(manifest) {
        return podViolations(manifest, (pod, violations) => {
            if (isWindowsPod(pod)) {
                return;
            }
            const podType = seccompTypeOf(pod.spec);
            forEachContainer(pod, (container, list, index) => {
                const type = seccompTypeOf(container);
                const who = containerLabel(container, list, index);
                let message: string | undefined;
                if (!isUnset(type)) {
                    if (!SECCOMP_TYPES.has(type)) {
                        message = `${who} sets securityContext.seccompProfile.type to ${quote(type)}; it must be "RuntimeDefault" or "Localhost".`;
                    }
                } else if (isUnset(podType)) {
                    message = `${who} sets no securityContext.seccompProfile.type and the pod sets none either; one of them must be "RuntimeDefault" or "Localhost".`;
                } else if (!SECCOMP_TYPES.has(podType)) {
                    message = `${who} inherits seccompProfile.type ${quote(podType)} from the pod; it must be "RuntimeDefault" or "Localhost".`;
                }
                if (message !== undefined) {
                    violations.push({ path: `${containerPath(pod, list, index)}.securityContext.seccompProfile.type`, message });
                }
            });
        });
    },
    kyverno() {
        const allowed = "RuntimeDefault | Localhost";
        const optional = { "=(securityContext)": { "=(seccompProfile)": { "=(type)": allowed } } };
        const required = { securityContext: { seccompProfile: { type: allowed } } };
        return [
            {
                name: "check-seccomp-strict",
                match: matchPods(),
                preconditions: { all: [notWindows()] },
                validate: {
                    message:
                        "Use of custom Seccomp profiles is disallowed: spec.securityContext.seccompProfile.type, or that of every container, init container and ephemeral container, must be `RuntimeDefault` or `Localhost`.",
                    anyPattern: [
                        {
                            spec: {
                                securityContext: { seccompProfile: { type: allowed } },
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
