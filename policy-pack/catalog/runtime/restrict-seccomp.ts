import type { RuntimeRule } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asObject, containerLabel, containerPath, forEachContainer, isUnset, POD_KINDS, podViolations, quote, securityContextOf } from "./pod";
import type { JsonObject } from "./pod";

/** The seccomp profile types that keep syscall filtering on. */
export const SECCOMP_TYPES: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);

/** `securityContext.seccompProfile.type` of a pod or container (undefined when unset). */
export function seccompTypeOf(owner: JsonObject): unknown {
    return asObject(securityContextOf(owner)?.seccompProfile)?.type;
}

/** Baseline: a seccomp profile, where set, must not be `Unconfined` (unset is allowed). */
export const restrictSeccomp: RuntimeRule = {
    id: "restrict-seccomp",
    scope: "runtime",
    title: "Restrict Seccomp",
    description: "Pods and containers must not turn seccomp off: seccompProfile.type may be unset, RuntimeDefault or Localhost.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.extendedPolicies]),
    remediation: 'Set securityContext.seccompProfile.type to "RuntimeDefault" (or "Localhost" with a profile on the node), or remove it; never "Unconfined".',
    kinds: [...POD_KINDS],
    check(manifest) {
        return podViolations(manifest, (pod, violations) => {
            const podType = seccompTypeOf(pod.spec);
            if (!isUnset(podType) && !SECCOMP_TYPES.has(podType)) {
                violations.push({
                    path: `${pod.path}.securityContext.seccompProfile.type`,
                    message: `The pod sets securityContext.seccompProfile.type to ${quote(podType)}; it must be unset, "RuntimeDefault" or "Localhost".`,
                });
            }
            forEachContainer(pod, (container, list, index) => {
                const type = seccompTypeOf(container);
                if (!isUnset(type) && !SECCOMP_TYPES.has(type)) {
                    violations.push({
                        path: `${containerPath(pod, list, index)}.securityContext.seccompProfile.type`,
                        message: `${containerLabel(container, list, index)} sets securityContext.seccompProfile.type to ${quote(type)}; it must be unset, "RuntimeDefault" or "Localhost".`,
                    });
                }
            });
        });
    },
    kyverno() {
        const optional = { "=(securityContext)": { "=(seccompProfile)": { "=(type)": "RuntimeDefault | Localhost" } } };
        return [
            {
                name: "check-seccomp",
                match: matchPods(),
                validate: {
                    message:
                        "Use of custom Seccomp profiles is disallowed: seccompProfile.type of spec.securityContext, spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset, `RuntimeDefault` or `Localhost`.",
                    pattern: {
                        spec: {
                            ...optional,
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
