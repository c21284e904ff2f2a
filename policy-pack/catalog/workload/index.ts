// The workload half of the compliance catalog: Pod security and workload best practices, each
// checked before deploy by CrossGuard and rendered as the Kyverno ClusterPolicy of the same name.
import type { Rule } from "../types";
import { disallowCapabilities } from "./disallow-capabilities";
import { disallowCapabilitiesStrict } from "./disallow-capabilities-strict";
import { disallowDefaultNamespace } from "./disallow-default-namespace";
import { disallowHostNamespaces } from "./disallow-host-namespaces";
import { disallowHostPath } from "./disallow-host-path";
import { disallowHostPorts } from "./disallow-host-ports";
import { disallowHostProbes } from "./disallow-host-probes";
import { disallowHostProcess } from "./disallow-host-process";
import { disallowLatestTag } from "./disallow-latest-tag";
import { disallowPrivilegeEscalationItgrundschutz } from "./disallow-privilege-escalation-itgrundschutz";
import { disallowPrivilegedContainers } from "./disallow-privileged-containers";
import { disallowProcMount } from "./disallow-proc-mount";
import { disallowSelinux } from "./disallow-selinux";
import { requirePodProbes } from "./require-pod-probes";
import { requireRequestsLimits } from "./require-requests-limits";
import { requireRoRootfs } from "./require-ro-rootfs";
import { requireRunAsNonRootUser } from "./require-run-as-non-root-user";
import { requireRunAsNonroot } from "./require-run-as-nonroot";
import { restrictApparmorProfiles } from "./restrict-apparmor-profiles";
import { restrictImageRegistries } from "./restrict-image-registries";
import { restrictSeccomp } from "./restrict-seccomp";
import { restrictSeccompStrict } from "./restrict-seccomp-strict";
import { restrictSysctls } from "./restrict-sysctls";
import { restrictVolumeTypes } from "./restrict-volume-types";

/** Every workload rule, in a stable order: PSS baseline, PSS restricted, then best practices. */
export const workloadRules: Rule[] = [
    // Pod Security Standards (Baseline)
    disallowCapabilities,
    disallowHostNamespaces,
    disallowHostPath,
    disallowHostPorts,
    disallowHostProbes,
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
    requireRunAsNonroot,
    requireRunAsNonRootUser,
    restrictSeccompStrict,
    restrictVolumeTypes,
    // Best practices and multi-tenancy
    disallowDefaultNamespace,
    disallowLatestTag,
    requirePodProbes,
    requireRequestsLimits,
    requireRoRootfs,
    restrictImageRegistries,
];
