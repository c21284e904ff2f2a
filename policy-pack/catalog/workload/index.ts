// The workload half of the compliance catalog: Pod security and workload best practices, each
// checked before deploy by CrossGuard and rendered as the Kyverno ClusterPolicy of the same name.
import type { Rule } from "../types";
import { disallowCapabilities } from "./disallow-capabilities";
import { disallowCapabilitiesStrict } from "./disallow-capabilities-strict";
import { disallowHostNamespaces } from "./disallow-host-namespaces";
import { disallowHostPath } from "./disallow-host-path";
import { disallowHostPorts } from "./disallow-host-ports";
import { disallowHostProcess } from "./disallow-host-process";
import { disallowPrivilegeEscalationItgrundschutz } from "./disallow-privilege-escalation-itgrundschutz";
import { disallowPrivilegedContainers } from "./disallow-privileged-containers";
import { disallowProcMount } from "./disallow-proc-mount";
import { disallowSelinux } from "./disallow-selinux";
import { restrictApparmorProfiles } from "./restrict-apparmor-profiles";
import { restrictSeccomp } from "./restrict-seccomp";
import { restrictSeccompStrict } from "./restrict-seccomp-strict";
import { restrictSysctls } from "./restrict-sysctls";

/** Every workload rule, in a stable order: PSS baseline, PSS restricted, then best practices. */
export const workloadRules: Rule[] = [
    // Pod Security Standards (Baseline)
    disallowCapabilities,
    disallowHostNamespaces,
    disallowHostPath,
    disallowHostPorts,
    disallowHostProcess,
    disallowPrivilegedContainers,
    disallowProcMount,
    disallowSelinux,
    restrictApparmorProfiles,
    restrictSeccomp,
    restrictSysctls,
    // Pod Security Standards (Restricted)
    disallowCapabilitiesStrict,
    disallowPrivilegeEscalationItgrundschutz,
    restrictSeccompStrict,
];
