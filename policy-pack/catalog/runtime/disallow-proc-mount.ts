import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods, USER_NAMESPACE_POD } from "./kyverno-blocks";
import { containerLabel, containerPath, containerViolations, inUserNamespace, isUnset, POD_KINDS, podOf, quote, securityContextOf } from "./pod";

/**
 * `securityContext.procMount` must be absent or `Default` (never `Unmasked`), unless the pod runs
 * in its own user namespace (`hostUsers: false`), where PSS 1.35+ allows any procMount.
 */
export const disallowProcMount: RuntimeRule = {
    id: "disallow-proc-mount",
    scope: "runtime",
    title: "Disallow procMount",
    description: "Containers must keep the default masked /proc mount (procMount unset or Default), unless the pod runs in its own user namespace.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.unprivileged, BSI.podSeparation]),
    remediation: 'Remove securityContext.procMount or set it to "Default" on every container, init container and ephemeral container, or run the pod in a user namespace (spec.hostUsers: false).',
    kinds: [...POD_KINDS],
    check(manifest) {
        const pod = podOf(manifest);
        if (pod !== undefined && inUserNamespace(pod)) {
            return [];
        }
        return containerViolations(manifest, (container, list, index, pod, violations) => {
            const value = securityContextOf(container)?.procMount;
            if (!isUnset(value) && value !== "Default") {
                violations.push({
                    path: `${containerPath(pod, list, index)}.securityContext.procMount`,
                    message: `${containerLabel(container, list, index)} sets securityContext.procMount to ${quote(value)}; it must be unset or "Default".`,
                });
            }
        });
    },
    kyverno() {
        const optional = { "=(securityContext)": { "=(procMount)": "Default" } };
        return [
            {
                name: "check-proc-mount",
                match: matchPods(),
                validate: {
                    message:
                        "Changing the proc mount from the default is not allowed: securityContext.procMount of spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset or `Default`, unless spec.hostUsers is false.",
                    anyPattern: [
                        USER_NAMESPACE_POD,
                        {
                            spec: {
                                "=(ephemeralContainers)": [optional],
                                "=(initContainers)": [optional],
                                containers: [optional],
                            },
                        },
                    ],
                },
            },
        ];
    },
};
