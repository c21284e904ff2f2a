import type { RuntimeRule, Violation } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asObject, containerLabel, containerPath, forEachContainer, isUnset, POD_KINDS, podViolations, quote, securityContextOf } from "./pod";
import type { JsonObject } from "./pod";

/** SELinux types a pod or container may ask for; any other type can escape confinement. */
export const ALLOWED_SELINUX_TYPES: readonly string[] = ["container_t", "container_init_t", "container_kvm_t"];

const allowedTypes = new Set(ALLOWED_SELINUX_TYPES);

/** Checks one `seLinuxOptions` block (pod-level or a container's) and reports at `path`. */
function checkOptions(owner: JsonObject, path: string, who: string, violations: Violation[]): void {
    const options = asObject(securityContextOf(owner)?.seLinuxOptions);
    if (options === undefined) {
        return;
    }
    const type = options.type;
    if (!isUnset(type) && !(typeof type === "string" && allowedTypes.has(type))) {
        violations.push({
            path: `${path}.securityContext.seLinuxOptions.type`,
            message: `${who} sets securityContext.seLinuxOptions.type to ${quote(type)}; it must be unset or one of ${ALLOWED_SELINUX_TYPES.join(", ")}.`,
        });
    }
    for (const field of ["user", "role"] as const) {
        // Upstream forbids the key itself (`X(user)`), so even an empty string fails.
        if (options[field] !== undefined) {
            violations.push({
                path: `${path}.securityContext.seLinuxOptions.${field}`,
                message: `${who} sets securityContext.seLinuxOptions.${field} to ${quote(options[field])}; the SELinux ${field} must not be set.`,
            });
        }
    }
}

/**
 * SELinux: `seLinuxOptions.type` may only be one of the container types, and `user` and
 * `role` must not be set, at pod level and on every kind of container.
 */
export const disallowSelinux: RuntimeRule = {
    id: "disallow-selinux",
    scope: "runtime",
    title: "Disallow SELinux",
    description: "Pods and containers may set only an allowed SELinux type and never an SELinux user or role.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.extendedPolicies, BSI.unprivileged]),
    remediation: `Remove securityContext.seLinuxOptions.user and .role everywhere, and leave .type unset or use ${ALLOWED_SELINUX_TYPES.join(", ")}.`,
    kinds: [...POD_KINDS],
    check(manifest) {
        return podViolations(manifest, (pod, violations) => {
            checkOptions(pod.spec, pod.path, "The pod", violations);
            forEachContainer(pod, (container, list, index) => {
                checkOptions(container, containerPath(pod, list, index), containerLabel(container, list, index), violations);
            });
        });
    },
    kyverno() {
        const typeOk = { "=(securityContext)": { "=(seLinuxOptions)": { "=(type)": ALLOWED_SELINUX_TYPES.join(" | ") } } };
        const noUserRole = { "=(securityContext)": { "=(seLinuxOptions)": { "X(user)": "null", "X(role)": "null" } } };
        const everywhere = (block: Record<string, unknown>) => ({
            spec: { ...block, "=(ephemeralContainers)": [block], "=(initContainers)": [block], containers: [block] },
        });
        return [
            {
                name: "selinux-type",
                match: matchPods(),
                validate: {
                    message: `Setting the SELinux type is restricted: seLinuxOptions.type of spec.securityContext, spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset or one of ${ALLOWED_SELINUX_TYPES.join(", ")}.`,
                    pattern: everywhere(typeOk),
                },
            },
            {
                name: "selinux-user-role",
                match: matchPods(),
                validate: {
                    message:
                        "Setting the SELinux user or role is forbidden: seLinuxOptions.user and seLinuxOptions.role of spec.securityContext, spec.containers[*], spec.initContainers[*] and spec.ephemeralContainers[*] must be unset.",
                    pattern: everywhere(noUserRole),
                },
            },
        ];
    },
};
