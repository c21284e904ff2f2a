import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { containerLabel, containerPath, containerViolations, isUnset, POD_KINDS, quote, securityContextOf } from "./pod";

/** `securityContext.privileged` must be absent or false on every kind of container. */
export const disallowPrivilegedContainers: RuntimeRule = {
    id: "disallow-privileged-containers",
    scope: "runtime",
    title: "Disallow Privileged Containers",
    description: "Privileged mode disables most container isolation, so no container may set securityContext.privileged to true.",
    severity: "high",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.unprivileged, BSI.podSeparation]),
    remediation: "Remove securityContext.privileged or set it to false on every container, init container and ephemeral container.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(manifest, (container, list, index, pod, violations) => {
            const value = securityContextOf(container)?.privileged;
            if (!isUnset(value) && value !== false) {
                violations.push({
                    path: `${containerPath(pod, list, index)}.securityContext.privileged`,
                    message: `${containerLabel(container, list, index)} sets securityContext.privileged to ${quote(value)}; it must be unset or false.`,
                });
            }
        });
    },
    kyverno() {
        const optional = { "=(securityContext)": { "=(privileged)": "false" } };
        return [
            {
                name: "privileged-containers",
                match: matchPods(),
                validate: {
                    message:
                        "Privileged mode is disallowed: securityContext.privileged of spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset or false.",
                    pattern: {
                        spec: {
                            "=(ephemeralContainers)": [optional],
                            "=(initContainers)": [optional],
                            containers: [optional],
                        },
                    },
                },
            },
        ];
    },
};
