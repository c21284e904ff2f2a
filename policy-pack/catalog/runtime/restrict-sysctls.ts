import type { RuntimeRule, Violation } from "../core/types";
import { BSI, pss } from "../core/frameworks";
import { matchPods } from "./kyverno-blocks";
import { asArray, asObject, isUnset, podOf, POD_KINDS, quote, securityContextOf } from "./pod";

/**
 * The "safe" sysctls of the PSS baseline as of Kubernetes 1.37: namespaced per pod and isolated
 * from other pods on the node. The original five, then ip_local_reserved_ports (1.27), the TCP
 * keepalive and fin timeout ones (1.29), tcp_rmem and tcp_wmem (1.32), and
 * tcp_slow_start_after_idle and tcp_notsent_lowat. (Upstream's Kyverno policy still lists the
 * original five.)
 */
export const SAFE_SYSCTLS: readonly string[] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
];

const safe = new Set(SAFE_SYSCTLS);

/** `spec.securityContext.sysctls[*].name` must be one of the safe sysctls. */
export const restrictSysctls: RuntimeRule = {
    id: "restrict-sysctls",
    scope: "runtime",
    title: "Restrict sysctls",
    description: "Pods may set only the safe, pod-namespaced sysctls.",
    severity: "medium",
    category: "Pod Security Standards (Baseline)",
    framework: pss("baseline", [BSI.unprivileged, BSI.podSeparation]),
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
