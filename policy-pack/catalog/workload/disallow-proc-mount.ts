import type { Rule } from "../types";
import { BSI, matchPods } from "./shared";
import { containerLabel, containerPath, containerViolations, isUnset, POD_KINDS, quote, securityContextOf } from "./pod";

/** `securityContext.procMount` must be absent or `Default` (never `Unmasked`). */
export const disallowProcMount: Rule = {
    id: "disallow-proc-mount",
    title: "Disallow procMount",
    description: "Containers must keep the default masked /proc mount; procMount may only be unset or Default.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: { bsi: [BSI.unprivileged, BSI.podSeparation], pss: "baseline" },
    remediation: 'Remove securityContext.procMount or set it to "Default" on every container, init container and ephemeral container.',
    kinds: [...POD_KINDS],
    check(manifest) {
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
                        "Changing the proc mount from the default is not allowed: securityContext.procMount of spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset or `Default`.",
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
