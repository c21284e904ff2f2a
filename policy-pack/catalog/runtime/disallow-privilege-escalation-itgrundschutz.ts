import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods, notWindows } from "./kyverno-blocks";
import { containerLabel, containerPath, containerViolations, isWindowsPod, POD_KINDS, quote, securityContextOf } from "./pod";

/**
 * Every container, init container and ephemeral container must set
 * `securityContext.allowPrivilegeEscalation: false` explicitly: the kernel's default
 * (no_new_privs unset) lets setuid binaries gain privileges, so "not set" fails too.
 */
export const disallowPrivilegeEscalationItgrundschutz: RuntimeRule = {
    id: "disallow-privilege-escalation-itgrundschutz",
    scope: "runtime",
    title: "Disallow Privilege Escalation (IT-Grundschutz)",
    description: "Every container must set securityContext.allowPrivilegeEscalation to false explicitly, so that no process can gain more privileges than its parent.",
    severity: "high",
    category: "IT-Grundschutz (standard)",
    framework: pss("restricted", [BSI.unprivileged, BSI.podSeparation]),
    remediation: "Set securityContext.allowPrivilegeEscalation: false on every entry of containers, initContainers and ephemeralContainers.",
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(manifest, (container, list, index, pod, violations) => {
            if (isWindowsPod(pod)) {
                return;
            }
            const value = securityContextOf(container)?.allowPrivilegeEscalation;
            if (value !== false) {
                violations.push({
                    path: `${containerPath(pod, list, index)}.securityContext.allowPrivilegeEscalation`,
                    message: `${containerLabel(container, list, index)} must set securityContext.allowPrivilegeEscalation to false, but it is ${quote(value)}.`,
                });
            }
        });
    },
    kyverno() {
        const required = { securityContext: { allowPrivilegeEscalation: "false" } };
        return [
            {
                name: "privilege-escalation",
                match: matchPods(),
                preconditions: { all: [notWindows()] },
                validate: {
                    message:
                        "Privilege escalation is disallowed: spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must set securityContext.allowPrivilegeEscalation to false.",
                    pattern: {
                        spec: {
                            "=(ephemeralContainers)": [required],
                            "=(initContainers)": [required],
                            containers: [required],
                        },
                    },
                },
            },
        ];
    },
};
