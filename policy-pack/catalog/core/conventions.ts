// Names and labels the platform program and the policy pack agree on. The pack reads
// deployed objects through them (which namespace is a tenant's, which Vault policy is a
// tenant's, …); the program creates objects with them. Changing one is a breaking change
// for both, which is why it lives in one place.

/** Label on every namespace the platform owns (argocd, vault, external-secrets, …). */
export const PLATFORM_LABEL = "gitops-hub.io/platform";
/** Label carrying the tenant name on every tenant object on the hub. */
export const TENANT_LABEL = "gitops-hub.io/tenant";
/**
 * Label on a tenant's namespace carrying its state (`active`, `decommissioned`). A decommissioned
 * tenant keeps its namespace, vCluster and Vault mount but has no grants left.
 */
export const TENANT_STATE_LABEL = "gitops-hub.io/tenant-state";

/** Label carrying the environment (`dev`, `prod`). */
export const ENVIRONMENT_LABEL = "gitops-hub.io/environment";

/**
 * Annotation on an Application whose tenant entry opted in to tracking a moving revision (a
 * branch) with `allowMovingRevision: true`; value "true". application-revision-pinned accepts it.
 */
export const MOVING_REVISION_ANNOTATION = "gitops-hub.io/allow-moving-revision";

/** The Argo CD AppProject that owns the platform's own applications (the only one allowed wide grants). */
export const PLATFORM_PROJECT = "platform";

/** Host namespace of a tenant's vCluster. */
export function tenantNamespace(tenant: string): string {
    return `vcluster-${tenant}`;
}

/** KV v2 mount that is the tenant's whole Vault space. */
export function tenantVaultMount(tenant: string): string {
    return `tenants/${tenant}`;
}

/** Name of the Vault policy (and of the Kubernetes-auth role) that grants the tenant's space. */
export function tenantVaultPolicy(tenant: string): string {
    return `tenant-${tenant}`;
}

/** Prefix of every tenant Vault policy name; `tenant-<name>`. */
export const TENANT_VAULT_POLICY_PREFIX = "tenant-";

/** KV v2 mount of the platform's own secrets. */
export const PLATFORM_VAULT_MOUNT = "platform";
