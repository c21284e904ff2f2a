import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { ALL_CONTAINERS, matchPods, notDeleting } from "./kyverno-blocks";
import { asArray, asObject, containerLabel, containerPath, containerViolations, POD_KINDS, quote, securityContextOf } from "./pod";

/**
 * Capabilities the Pod Security Standards' baseline profile lets a container add: the
 * container runtimes' historical default set. Anything else (SYS_ADMIN, NET_RAW, …) fails.
 */
export const BASELINE_CAPABILITIES: readonly string[] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

const allowed = new Set(BASELINE_CAPABILITIES);

/** Each entry of `securityContext.capabilities.add` must be one of the baseline set. */
export const disallowCapabilities: RuntimeRule = {
    id: "disallow-capabilities",
    scope: "runtime",
    title: "Disallow Capabilities",
    description: "Containers may add only the Linux capabilities of the Pod Security Standards' baseline set.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.unprivileged]),
    remediation: `Remove every capability from securityContext.capabilities.add that is not one of ${BASELINE_CAPABILITIES.join(", ")}.`,
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(manifest, (container, list, index, pod, violations) => {
            const add = asArray(asObject(securityContextOf(container)?.capabilities)?.add);
            if (add === undefined) {
                return;
            }
            for (let i = 0; i < add.length; i++) {
                const capability = add[i];
                if (typeof capability !== "string" || !allowed.has(capability)) {
                    violations.push({
                        path: `${containerPath(pod, list, index)}.securityContext.capabilities.add[${i}]`,
                        message: `${containerLabel(container, list, index)} adds capability ${quote(capability)}, which is not in the baseline set.`,
                    });
                }
            }
        });
    },
    kyverno() {
        return [
            {
                name: "adding-capabilities",
                match: matchPods(),
                preconditions: notDeleting(),
                validate: {
                    message: `Adding capabilities other than ${BASELINE_CAPABILITIES.join(", ")} is disallowed.`,
                    deny: {
                        conditions: {
                            all: [
                                {
                                    key: `{{ ${ALL_CONTAINERS}.securityContext.capabilities.add[] }}`,
                                    operator: "AnyNotIn",
                                    value: [...BASELINE_CAPABILITIES],
                                },
                            ],
                        },
                    },
                },
            },
        ];
    },
};
