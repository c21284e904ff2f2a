// Pre-deploy rules over single Pulumi resources (charts, Argo CD and Vault objects).
import { appprojectNoWildcards } from "./appproject-no-wildcards";
import { applicationNotDefaultProject } from "./application-not-default-project";
import { applicationRevisionPinned } from "./application-revision-pinned";
import { clustersecretstoreNamespaceConditions } from "./clustersecretstore-namespace-conditions";
import { helmChartPinned } from "./helm-chart-pinned";
import { noLiteralSecretsInProd } from "./no-literal-secrets-in-prod";
import type { PlatformRule } from "./types";
import { vaultAuthRoleBound } from "./vault-auth-role-bound";
import { vaultNoDevModeOutsideDev } from "./vault-no-dev-mode-outside-dev";
import { vaultTenantPolicyScoped } from "./vault-tenant-policy-scoped";
import { vclusterQuotaEnabled } from "./vcluster-quota-enabled";

export type { PlatformRule, PulumiResource, RuleMetadata, StackRule, StackViolation } from "./types";

export const platformRules: PlatformRule[] = [
    helmChartPinned,
    appprojectNoWildcards,
    applicationNotDefaultProject,
    applicationRevisionPinned,
    vaultNoDevModeOutsideDev,
    vaultTenantPolicyScoped,
    vaultAuthRoleBound,
    clustersecretstoreNamespaceConditions,
    noLiteralSecretsInProd,
    vclusterQuotaEnabled,
];
