// The one registry of the compliance catalog, in catalog order: runtime rules (checked before
// deploy and rendered for Kyverno; Pod security first, then the rules over other kinds),
// platform rules (one Pulumi resource) and stack rules (cross-resource invariants). Each rule
// declares its scope and settings in its own file.
import type { PlatformRule, Rule, RuntimeRule, StackRule } from "./core/types";
import { applicationPreventDefaultProject } from "./runtime/application-prevent-default-project";
import { applicationPreventUpdatesProject } from "./runtime/application-prevent-updates-project";
import { certManagerLimitDnsNames } from "./runtime/cert-manager-limit-dnsnames";
import { certManagerLimitDuration } from "./runtime/cert-manager-limit-duration";
import { certManagerRestrictIssuer } from "./runtime/cert-manager-restrict-issuer";
import { disallowCapabilities } from "./runtime/disallow-capabilities";
import { disallowCapabilitiesStrict } from "./runtime/disallow-capabilities-strict";
import { disallowDefaultNamespace } from "./runtime/disallow-default-namespace";
import { disallowHostNamespaces } from "./runtime/disallow-host-namespaces";
import { disallowHostPath } from "./runtime/disallow-host-path";
import { disallowHostPorts } from "./runtime/disallow-host-ports";
import { disallowHostProbes } from "./runtime/disallow-host-probes";
import { disallowHostProcess } from "./runtime/disallow-host-process";
import { disallowIngressNginxCustomSnippets } from "./runtime/disallow-ingress-nginx-custom-snippets";
import { disallowLatestTag } from "./runtime/disallow-latest-tag";
import { disallowPrivilegeEscalationItgrundschutz } from "./runtime/disallow-privilege-escalation-itgrundschutz";
import { disallowPrivilegedContainers } from "./runtime/disallow-privileged-containers";
import { disallowProcMount } from "./runtime/disallow-proc-mount";
import { disallowSelinux } from "./runtime/disallow-selinux";
import { requirePodProbes } from "./runtime/require-pod-probes";
import { requireRequestsLimits } from "./runtime/require-requests-limits";
import { requireRoRootfs } from "./runtime/require-ro-rootfs";
import { requireRunAsNonRootUser } from "./runtime/require-run-as-non-root-user";
import { requireRunAsNonroot } from "./runtime/require-run-as-nonroot";
import { restrictApparmorProfiles } from "./runtime/restrict-apparmor-profiles";
import { restrictImageRegistries } from "./runtime/restrict-image-registries";
import { restrictSeccomp } from "./runtime/restrict-seccomp";
import { restrictSeccompStrict } from "./runtime/restrict-seccomp-strict";
import { restrictSysctls } from "./runtime/restrict-sysctls";
import { restrictVolumeTypes } from "./runtime/restrict-volume-types";
import { applicationRevisionPinned } from "./platform/application-revision-pinned";
import { appprojectNoWildcards } from "./platform/appproject-no-wildcards";
import { clustersecretstoreNamespaceConditions } from "./platform/clustersecretstore-namespace-conditions";
import { helmChartPinned } from "./platform/helm-chart-pinned";
import { noLiteralSecretsInProd } from "./platform/no-literal-secrets-in-prod";
import { vaultAuthRoleBound } from "./platform/vault-auth-role-bound";
import { vaultNoDevModeOutsideDev } from "./platform/vault-no-dev-mode-outside-dev";
import { vaultTenantPolicyScoped } from "./platform/vault-tenant-policy-scoped";
import { vclusterQuotaEnabled } from "./platform/vcluster-quota-enabled";
import { appprojectUniqueDestinations } from "./stack/appproject-unique-destinations";
import { tenantComplete } from "./stack/tenant-complete";

export type * from "./core/types";

/** Every rule, in catalog order; ids are unique across the catalog. */
export const rules: readonly Rule[] = [
    // runtime: Pod Security Standards (Baseline)
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
    // runtime: Pod Security Standards (Restricted)
    disallowCapabilitiesStrict,
    disallowPrivilegeEscalationItgrundschutz,
    requireRunAsNonroot,
    requireRunAsNonRootUser,
    restrictSeccompStrict,
    restrictVolumeTypes,
    // runtime: Pod best practices and multi-tenancy
    disallowDefaultNamespace,
    disallowLatestTag,
    requirePodProbes,
    requireRequestsLimits,
    requireRoRootfs,
    restrictImageRegistries,
    // runtime: Argo CD, cert-manager, ingress-nginx
    applicationPreventDefaultProject,
    applicationPreventUpdatesProject,
    certManagerLimitDuration,
    certManagerLimitDnsNames,
    certManagerRestrictIssuer,
    disallowIngressNginxCustomSnippets,
    // platform
    helmChartPinned,
    appprojectNoWildcards,
    applicationRevisionPinned,
    vaultNoDevModeOutsideDev,
    vaultTenantPolicyScoped,
    vaultAuthRoleBound,
    clustersecretstoreNamespaceConditions,
    noLiteralSecretsInProd,
    vclusterQuotaEnabled,
    // stack
    tenantComplete,
    appprojectUniqueDestinations,
];

const ids = rules.map((rule) => rule.id);
const duplicated = ids.filter((id, index) => ids.indexOf(id) !== index);
if (duplicated.length > 0) {
    throw new Error(`rule ids must be unique across the catalog; duplicated: ${[...new Set(duplicated)].join(", ")}`);
}

/** Rules with a Kyverno twin, in catalog order. */
export const runtimeRules: readonly RuntimeRule[] = rules.filter((rule): rule is RuntimeRule => rule.scope === "runtime");
/** The runtime rules over pods (Pod Security Standards and pod best practices): every kind with a pod template. */
export const podRules: readonly RuntimeRule[] = runtimeRules.filter((rule) => rule.kinds.includes("Pod"));
/** Pre-deploy rules over one Pulumi resource, in catalog order. */
export const platformRules: readonly PlatformRule[] = rules.filter((rule): rule is PlatformRule => rule.scope === "platform");
/** Pre-deploy rules over the whole stack, in catalog order. */
export const stackRules: readonly StackRule[] = rules.filter((rule): rule is StackRule => rule.scope === "stack");

export { PROJECT_AT_CREATION_ANNOTATION, PROJECT_AT_CREATION_IGNORE_CHANGES } from "./runtime/application-prevent-updates-project";
