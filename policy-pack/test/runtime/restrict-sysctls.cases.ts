import { restrictSysctls, SAFE_SYSCTLS } from "../../catalog/runtime/restrict-sysctls";
import { workloadCases } from "./fixtures";

export const cases = workloadCases(restrictSysctls, (c) => {
    c.compliant();
    c.pod(
        "passes every safe sysctl",
        (pod) => (pod.securityContext.sysctls = SAFE_SYSCTLS.map((name) => ({ name, value: "1" }))),
        [],
    );
    c.pod("passes an empty sysctl list", (pod) => (pod.securityContext.sysctls = []), []);
    c.everyKind(
        "flags an unsafe sysctl",
        (pod) => pod.securityContext.sysctls.push({ name: "net.core.somaxconn", value: "1024" }),
        (p) => [
            {
                path: `${p}.securityContext.sysctls[1].name`,
                message: 'The pod sets sysctl "net.core.somaxconn", which is not one of the safe sysctls.',
            },
        ],
    );
    c.pod(
        "flags every unsafe entry, including prefixes of safe names",
        (pod) =>
        (pod.securityContext.sysctls = [
            { name: "kernel.msgmax", value: "65536" },
            { name: "kernel.shm_rmid_forced", value: "1" },
            { name: "net.ipv4.ip_local_port", value: "1" },
            { name: "net.ipv4.tcp_keepalive_probe", value: "5" },
        ]),
        [
            { path: "spec.securityContext.sysctls[0].name", message: 'The pod sets sysctl "kernel.msgmax", which is not one of the safe sysctls.' },
            { path: "spec.securityContext.sysctls[2].name", message: 'The pod sets sysctl "net.ipv4.ip_local_port", which is not one of the safe sysctls.' },
            { path: "spec.securityContext.sysctls[3].name", message: 'The pod sets sysctl "net.ipv4.tcp_keepalive_probe", which is not one of the safe sysctls.' },
        ],
    );
    // PSS baseline as of Kubernetes 1.37: the allowed set grew in 1.27, 1.29, 1.32 and later.
    c.everyKind(
        "passes the sysctls the baseline added after the original five",
        (pod) =>
            (pod.securityContext.sysctls = [
                "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time",
                "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes",
                "net.ipv4.tcp_rmem",
                "net.ipv4.tcp_wmem",
                "net.ipv4.tcp_slow_start_after_idle",
                "net.ipv4.tcp_notsent_lowat",
            ].map((name) => ({ name, value: "1" }))),
        () => [],
    );
});
