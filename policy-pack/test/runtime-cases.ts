// Every runtime rule's fixture set, in catalog order: what the CrossGuard specs assert and what
// the Kyverno run (test/kyverno-parity.spec.ts) feeds to the real Kyverno CLI.
import { runtimeRules } from "../catalog";
import type { RuleCases } from "./cases";
import { cases as applicationPreventDefaultProject } from "./runtime/application-prevent-default-project.cases";
import { cases as applicationPreventUpdatesProject } from "./runtime/application-prevent-updates-project.cases";
import { cases as certManagerLimitDnsNames } from "./runtime/cert-manager-limit-dnsnames.cases";
import { cases as certManagerLimitDuration } from "./runtime/cert-manager-limit-duration.cases";
import { cases as certManagerRestrictIssuer } from "./runtime/cert-manager-restrict-issuer.cases";
import { cases as disallowIngressNginxCustomSnippets } from "./runtime/disallow-ingress-nginx-custom-snippets.cases";
import { cases as disallowCapabilities } from "./runtime/disallow-capabilities.cases";
import { cases as disallowCapabilitiesStrict } from "./runtime/disallow-capabilities-strict.cases";
import { cases as disallowDefaultNamespace } from "./runtime/disallow-default-namespace.cases";
import { cases as disallowHostNamespaces } from "./runtime/disallow-host-namespaces.cases";
import { cases as disallowHostPath } from "./runtime/disallow-host-path.cases";
import { cases as disallowHostPorts } from "./runtime/disallow-host-ports.cases";
import { cases as disallowHostProbes } from "./runtime/disallow-host-probes.cases";
import { cases as disallowHostProcess } from "./runtime/disallow-host-process.cases";
import { cases as disallowLatestTag } from "./runtime/disallow-latest-tag.cases";
import { cases as disallowPrivilegeEscalationItgrundschutz } from "./runtime/disallow-privilege-escalation-itgrundschutz.cases";
import { cases as disallowPrivilegedContainers } from "./runtime/disallow-privileged-containers.cases";
import { cases as disallowProcMount } from "./runtime/disallow-proc-mount.cases";
import { cases as disallowSelinux } from "./runtime/disallow-selinux.cases";
import { cases as requirePodProbes } from "./runtime/require-pod-probes.cases";
import { cases as requireRequestsLimits } from "./runtime/require-requests-limits.cases";
import { cases as requireRoRootfs } from "./runtime/require-ro-rootfs.cases";
import { cases as requireRunAsNonRootUser } from "./runtime/require-run-as-non-root-user.cases";
import { cases as requireRunAsNonroot } from "./runtime/require-run-as-nonroot.cases";
import { cases as restrictApparmorProfiles } from "./runtime/restrict-apparmor-profiles.cases";
import { cases as restrictImageRegistries } from "./runtime/restrict-image-registries.cases";
import { cases as restrictSeccomp } from "./runtime/restrict-seccomp.cases";
import { cases as restrictSeccompStrict } from "./runtime/restrict-seccomp-strict.cases";
import { cases as restrictSysctls } from "./runtime/restrict-sysctls.cases";
import { cases as restrictVolumeTypes } from "./runtime/restrict-volume-types.cases";

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
