import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { ALL_CONTAINERS, matchPods, notDeleting, notWindows } from "./kyverno-blocks";
import { asArray, asObject, containerLabel, containerPath, containerViolations, isWindowsPod, POD_KINDS, quote, securityContextOf } from "./pod";

/** The one capability the restricted profile lets a container add back. */
const ADDABLE = "NET_BIND_SERVICE";

/**
 * Restricted profile: every container drops `ALL` capabilities and adds back at most
 * `NET_BIND_SERVICE`.
 */
export const disallowCapabilitiesStrict: RuntimeRule = {
    id: "disallow-capabilities-strict",
    scope: "runtime",
    title: "Disallow Capabilities (Strict)",
    description: "Every container must drop ALL Linux capabilities and may add back only NET_BIND_SERVICE.",
    severity: "medium",
    category: "Pod Security Standards (Restricted)",
    framework: pss("restricted", [BSI.unprivileged, BSI.isolation]),
    remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container, init container and ephemeral container, and add back nothing but NET_BIND_SERVICE.',
    kinds: [...POD_KINDS],
    check(manifest) {
        return containerViolations(manifest, (container, list, index, pod, violations) => {
            if (isWindowsPod(pod)) {
                return;
            }
            const capabilities = asObject(securityContextOf(container)?.capabilities);
            const drop = capabilities?.drop;
            const dropList = asArray(drop);
            if (dropList === undefined || !dropList.includes("ALL")) {
                violations.push({
                    path: `${containerPath(pod, list, index)}.securityContext.capabilities.drop`,
                    message: `${containerLabel(container, list, index)} must drop "ALL" capabilities, but securityContext.capabilities.drop is ${quote(drop)}.`,
                });
            }
            const add = asArray(capabilities?.add);
            if (add === undefined) {
                return;
            }
            for (let i = 0; i < add.length; i++) {
                if (add[i] !== ADDABLE) {
                    violations.push({
                        path: `${containerPath(pod, list, index)}.securityContext.capabilities.add[${i}]`,
                        message: `${containerLabel(container, list, index)} adds capability ${quote(add[i])}; only "NET_BIND_SERVICE" may be added.`,
                    });
                }
            }
        });
    },
    kyverno() {
        return [
            {
                name: "require-drop-all",
                match: matchPods(),
                preconditions: { all: [...(notDeleting().all as unknown[]), notWindows()] },
                validate: {
                    message: "Containers must drop `ALL` capabilities.",
                    foreach: [
                        {
                            list: ALL_CONTAINERS,
                            deny: {
                                conditions: {
                                    all: [
                                        {
                                            key: "ALL",
                                            operator: "AnyNotIn",
                                            value: "{{ element.securityContext.capabilities.drop[] || `[]` }}",
                                        },
                                    ],
                                },
                            },
                        },
                    ],
                },
            },
            {
                name: "adding-capabilities-strict",
                match: matchPods(),
                preconditions: { all: [...(notDeleting().all as unknown[]), notWindows()] },
                validate: {
                    message: "Any capabilities added other than NET_BIND_SERVICE are disallowed.",
                    foreach: [
                        {
                            list: ALL_CONTAINERS,
                            deny: {
                                conditions: {
                                    all: [
                                        {
                                            key: "{{ element.securityContext.capabilities.add[] || `[]` }}",
                                            operator: "AnyNotIn",
                                            value: [ADDABLE],
                                        },
                                    ],
                                },
                            },
                        },
                    ],
                },
            },
        ];
    },
};
