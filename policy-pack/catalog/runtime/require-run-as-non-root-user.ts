import type { RuntimeRule, Violation } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods, USER_NAMESPACE_POD } from "./kyverno-blocks";
import { containerLabel, containerPath, forEachContainer, inUserNamespace, isUnset, POD_KINDS, podViolations, quote, securityContextOf } from "./pod";
import type { JsonObject } from "./pod";

function checkUser(owner: JsonObject, path: string, who: string, violations: Violation[]): void {
    const user = securityContextOf(owner)?.runAsUser;
    if (!isUnset(user) && !(typeof user === "number" && user > 0)) {
        violations.push({
            path: `${path}.securityContext.runAsUser`,
            message: `${who} sets securityContext.runAsUser to ${quote(user)}; it must be unset or greater than 0.`,
        });
    }
}

/**
 * PSS restricted, Kubernetes 1.23+: no pod or container may run as user 0, i.e. `runAsUser` is
 * unset or greater than zero at pod level and on every kind of container (upstream
 * kyverno/policies require-run-as-non-root-user). Kubernetes 1.35+ exempts pods in their own
 * user namespace (`hostUsers: false`), where UID 0 is not the node's root.
 */
export const requireRunAsNonRootUser: RuntimeRule = {
    id: "require-run-as-non-root-user",
    scope: "runtime",
    title: "Require Run As Non-Root User",
    description: "Pods and containers must not run as user 0: runAsUser must be unset or greater than zero, unless the pod runs in its own user namespace.",
    severity: "medium",
    category: "Pod Security Standards (Restricted)",
    framework: pss("restricted", [BSI.unprivileged, BSI.serviceAccounts]),
    remediation:
        "Set securityContext.runAsUser to a non-zero UID (or remove it and let the image's non-root USER apply) on the pod and every container, or run the pod in a user namespace (spec.hostUsers: false).",
    kinds: [...POD_KINDS],
    check(manifest) {
        return podViolations(manifest, (pod, violations) => {
            if (inUserNamespace(pod)) {
                return;
            }
            checkUser(pod.spec, pod.path, "The pod", violations);
            forEachContainer(pod, (container, list, index) => {
                checkUser(container, containerPath(pod, list, index), containerLabel(container, list, index), violations);
            });
        });
    },
    kyverno() {
        const optional = { "=(securityContext)": { "=(runAsUser)": ">0" } };
        return [
            {
                name: "run-as-non-root-user",
                match: matchPods(),
                validate: {
                    message:
                        "Running as root is not allowed: runAsUser of spec.securityContext, spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset or greater than zero, unless spec.hostUsers is false.",
                    anyPattern: [
                        USER_NAMESPACE_POD,
                        {
                            spec: {
                                ...optional,
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
