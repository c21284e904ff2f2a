// Every runtime rule's fixture set, in catalog order: what the CrossGuard specs assert and what
// the Kyverno run (test/kyverno-parity.spec.ts) feeds to the real Kyverno CLI.
import { runtimeRules } from "../catalog";
import type { RuleCases } from "./cases";
import { cases as applicationPreventDefaultProject } from "./cluster/application-prevent-default-project.cases";
import { cases as applicationPreventUpdatesProject } from "./cluster/application-prevent-updates-project.cases";
import { cases as certManagerLimitDnsNames } from "./cluster/cert-manager-limit-dnsnames.cases";
import { cases as certManagerLimitDuration } from "./cluster/cert-manager-limit-duration.cases";
import { cases as certManagerRestrictIssuer } from "./cluster/cert-manager-restrict-issuer.cases";
import { cases as disallowIngressNginxCustomSnippets } from "./cluster/disallow-ingress-nginx-custom-snippets.cases";
import { cases as disallowCapabilities } from "./workload/disallow-capabilities.cases";
import { cases as disallowCapabilitiesStrict } from "./workload/disallow-capabilities-strict.cases";
import { cases as disallowDefaultNamespace } from "./workload/disallow-default-namespace.cases";
import { cases as disallowHostNamespaces } from "./workload/disallow-host-namespaces.cases";
import { cases as disallowHostPath } from "./workload/disallow-host-path.cases";
import { cases as disallowHostPorts } from "./workload/disallow-host-ports.cases";
import { cases as disallowHostProbes } from "./workload/disallow-host-probes.cases";
import { cases as disallowHostProcess } from "./workload/disallow-host-process.cases";
import { cases as disallowLatestTag } from "./workload/disallow-latest-tag.cases";
import { cases as disallowPrivilegeEscalationItgrundschutz } from "./workload/disallow-privilege-escalation-itgrundschutz.cases";
import { cases as disallowPrivilegedContainers } from "./workload/disallow-privileged-containers.cases";
import { cases as disallowProcMount } from "./workload/disallow-proc-mount.cases";
import { cases as disallowSelinux } from "./workload/disallow-selinux.cases";
import { cases as requirePodProbes } from "./workload/require-pod-probes.cases";
import { cases as requireRequestsLimits } from "./workload/require-requests-limits.cases";
import { cases as requireRoRootfs } from "./workload/require-ro-rootfs.cases";
import { cases as requireRunAsNonRootUser } from "./workload/require-run-as-non-root-user.cases";
import { cases as requireRunAsNonroot } from "./workload/require-run-as-nonroot.cases";
import { cases as restrictApparmorProfiles } from "./workload/restrict-apparmor-profiles.cases";
import { cases as restrictImageRegistries } from "./workload/restrict-image-registries.cases";
import { cases as restrictSeccomp } from "./workload/restrict-seccomp.cases";
import { cases as restrictSeccompStrict } from "./workload/restrict-seccomp-strict.cases";
import { cases as restrictSysctls } from "./workload/restrict-sysctls.cases";
import { cases as restrictVolumeTypes } from "./workload/restrict-volume-types.cases";

const sets: RuleCases[] = [
    applicationPreventDefaultProject,
    applicationPreventUpdatesProject,
    certManagerLimitDnsNames,
    certManagerLimitDuration,
    certManagerRestrictIssuer,
    disallowIngressNginxCustomSnippets,
    disallowCapabilities,
    disallowCapabilitiesStrict,
    disallowDefaultNamespace,
    disallowHostNamespaces,
    disallowHostPath,
    disallowHostPorts,
    disallowHostProbes,
    disallowHostProcess,
    disallowLatestTag,
    disallowPrivilegeEscalationItgrundschutz,
    disallowPrivilegedContainers,
    disallowProcMount,
    disallowSelinux,
    requirePodProbes,
    requireRequestsLimits,
    requireRoRootfs,
    requireRunAsNonroot,
    requireRunAsNonRootUser,
    restrictApparmorProfiles,
    restrictImageRegistries,
    restrictSeccomp,
    restrictSeccompStrict,
    restrictSysctls,
    restrictVolumeTypes,
];

/** The fixture sets in the order of `runtimeRules`; throws when a runtime rule has none, or a set has no rule. */
export const runtimeCases: RuleCases[] = runtimeRules.map((rule) => {
    const set = sets.find((s) => s.rule === rule);
    if (set === undefined) throw new Error(`runtime rule "${rule.id}" has no fixture set in policy-pack/test/runtime-cases.ts`);
    return set;
});
const orphans = sets.filter((set) => !runtimeRules.includes(set.rule));
if (orphans.length > 0) throw new Error(`fixture sets without a runtime rule: ${orphans.map((s) => s.rule.id).join(", ")}`);
