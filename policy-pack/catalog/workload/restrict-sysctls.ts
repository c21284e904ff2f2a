import type { Rule, Violation } from "../types";
import { BSI, matchPods } from "./shared";
import { asArray, asObject, isUnset, podOf, POD_KINDS, quote, securityContextOf } from "./pod";

/**
 * The "safe" sysctls the upstream Kyverno policy allows: namespaced per pod and isolated
 * from other pods on the node. (Kubernetes 1.27+/1.29+ PSS added a few more net.ipv4 ones;
 * upstream's list, and therefore ours, is the original five.)
 */
export const SAFE_SYSCTLS: readonly string[] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
];

const safe = new Set(SAFE_SYSCTLS);

/** `spec.securityContext.sysctls[*].name` must be one of the safe sysctls. */
export const restrictSysctls: Rule = {
    id: "restrict-sysctls",
    title: "Restrict sysctls",
    description: "Pods may set only the safe, pod-namespaced sysctls.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: { bsi: [BSI.unprivileged, BSI.podSeparation], pss: "baseline" },
    remediation: `Remove every entry of spec.securityContext.sysctls whose name is not one of ${SAFE_SYSCTLS.join(", ")}.`,
    kinds: [...POD_KINDS],
    check(manifest) {
        const pod = podOf(manifest);
        const sysctls = pod === undefined ? undefined : asArray(securityContextOf(pod.spec)?.sysctls);
        if (pod === undefined || sysctls === undefined) {
            return [];
        }
        const violations: Violation[] = [];
        for (let i = 0; i < sysctls.length; i++) {
            const name = asObject(sysctls[i])?.name;
            if (!isUnset(name) && !(typeof name === "string" && safe.has(name))) {
                violations.push({
                    path: `${pod.path}.securityContext.sysctls[${i}].name`,
                    message: `The pod sets sysctl ${quote(name)}, which is not one of the safe sysctls.`,
                });
            }
        }
        return violations;
    },
    kyverno() {
        return [
            {
                name: "check-sysctls",
                match: matchPods(),
                validate: {
                    message: `Setting additional sysctls above the allowed type is disallowed: spec.securityContext.sysctls[*].name must be one of ${SAFE_SYSCTLS.join(", ")}.`,
                    pattern: { spec: { "=(securityContext)": { "=(sysctls)": [{ "=(name)": SAFE_SYSCTLS.join(" | ") }] } } },
                },
            },
        ];
    },
};
