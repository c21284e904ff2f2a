import { restrictSysctls as rule, SAFE_SYSCTLS } from "../../catalog/workload/restrict-sysctls";
import { expectPodViolations, itFlagsEveryKind, itPassesCompliantWorkloads } from "./fixtures";

describe("restrict-sysctls", () => {
    itPassesCompliantWorkloads(rule);

    it("passes every safe sysctl and an empty list", () => {
        expectPodViolations(rule, (pod) => (pod.securityContext.sysctls = SAFE_SYSCTLS.map((name) => ({ name, value: "1" }))), []);
        expectPodViolations(rule, (pod) => (pod.securityContext.sysctls = []), []);
    });

    itFlagsEveryKind(
        rule,
        "flags an unsafe sysctl",
        (pod) => pod.securityContext.sysctls.push({ name: "net.core.somaxconn", value: "1024" }),
        (p) => [
            {
                path: `${p}.securityContext.sysctls[1].name`,
                message: 'The pod sets sysctl "net.core.somaxconn", which is not one of the safe sysctls.',
            },
        ],
    );

    it("flags every unsafe entry, including prefixes of safe names and sysctls newer PSS versions allow", () => {
        expectPodViolations(
            rule,
            (pod) =>
                (pod.securityContext.sysctls = [
                    { name: "kernel.msgmax", value: "65536" },
                    { name: "kernel.shm_rmid_forced", value: "1" },
                    { name: "net.ipv4.ip_local_port", value: "1" },
                    { name: "net.ipv4.tcp_keepalive_time", value: "60" },
                ]),
            [
                { path: "spec.securityContext.sysctls[0].name", message: 'The pod sets sysctl "kernel.msgmax", which is not one of the safe sysctls.' },
                { path: "spec.securityContext.sysctls[2].name", message: 'The pod sets sysctl "net.ipv4.ip_local_port", which is not one of the safe sysctls.' },
                { path: "spec.securityContext.sysctls[3].name", message: 'The pod sets sysctl "net.ipv4.tcp_keepalive_time", which is not one of the safe sysctls.' },
            ],
        );
    });
});
