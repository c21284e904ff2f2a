// Every name derived from a tenant's name, in one place. They are a contract with the policy
// pack (policy-pack/catalog/core/conventions.ts), with Argo CD (destination and project names), with
// the vCluster chart (release and kubeconfig secret names) and with Vault (mount, policy and
// role names): changing one renames a live object.
import { createHash } from "crypto";
import { NAME_SEPARATOR } from "../../stacks/contract";
import {
    ENVIRONMENT_LABEL, TENANT_LABEL, TENANT_STATE_LABEL, tenantNamespace, tenantVaultMount, tenantVaultPolicy,
} from "../../policy-pack/catalog/core/conventions";

export { ENVIRONMENT_LABEL, TENANT_LABEL, TENANT_STATE_LABEL };

/** Argo CD's label that turns a Secret into a cluster or repository registration. */
export const ARGOCD_SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";

/** Port the vCluster API (its proxy) listens on inside its pod; the Service maps VCLUSTER_SERVICE_PORT to it. */
export const VCLUSTER_API_PORT = 8443;
/** Port of the vCluster Service, and of the shared Gateway's listeners. */
export const VCLUSTER_SERVICE_PORT = 443;

export interface TenantNames {
    /** The tenant's name: Helm release, AppProject, Argo CD destination name. */
    tenant: string;
    /** Host namespace of the vCluster, `vcluster-<t>`. */
    namespace: string;
    /** Helm release (and so the vCluster Service and StatefulSet) name. */
    release: string;
    /** Secret in the tenant namespace that the vCluster writes its kubeconfig to. */
    kubeconfigSecret: string;
    /** Address Argo CD uses for the vCluster: its Service, inside the hub. */
    server: string;
    /** Extra host names the vCluster's serving certificate must cover. */
    extraSANs: string[];
    /** ServiceAccount (argocd ns) that may read exactly the kubeconfig secret. */
    kubeconfigReader: string;
    /** Role and RoleBinding (tenant ns) granting that read. */
    kubeconfigReaderRole: string;
    /** SecretStore (argocd ns, Kubernetes provider) over the tenant namespace. */
    kubeconfigStore: string;
    /** Argo CD cluster secret (argocd ns), produced by External Secrets. */
    clusterSecret: string;
    /** KV v2 mount of the tenant's secrets. */
    vaultMount: string;
    /** Vault policy and Kubernetes-auth role granting the tenant's whole space. */
    vaultPolicy: string;
    /** ServiceAccount (tenant ns) the tenant's SecretStore logs in to Vault as. */
    tenantStoreServiceAccount: string;
    /** The tenant's own SecretStore, in its namespace. */
    tenantStore: string;
    /** Vault policy and Kubernetes-auth role of Argo CD's repository reader (only `repos/`). */
    repoVaultPolicy: string;
    /** ServiceAccount (argocd ns) the repository reader store logs in to Vault as. */
    repoReader: string;
    /** SecretStore (argocd ns, Vault provider) limited to the tenant's `repos/` keys. */
    repoStore: string;
    /** ServiceAccount and SecretStore (tenant ns) that may write the outside kubeconfig into Vault and nothing else (exposure). */
    kubeconfigWriter: string;
    /** Vault policy and Kubernetes-auth role of that writer (kubeconfigWriterPolicyName). */
    kubeconfigWriterPolicy: string;
}

export function tenantNames(tenant: string): TenantNames {
    const namespace = tenantNamespace(tenant);
    return {
        tenant,
        namespace,
        release: tenant,
        kubeconfigSecret: `vc-${tenant}`,
        server: `https://${tenant}.${namespace}.svc:${VCLUSTER_SERVICE_PORT}`,
        extraSANs: [`${tenant}.${namespace}.svc`, `${tenant}.${namespace}.svc.cluster.local`],
        kubeconfigReader: `${tenant}-kubeconfig-reader`,
        kubeconfigReaderRole: `${tenant}-kubeconfig-reader`,
        kubeconfigStore: `kubeconfig-${tenant}`,
        clusterSecret: `cluster-${tenant}`,
        vaultMount: tenantVaultMount(tenant),
        vaultPolicy: tenantVaultPolicy(tenant),
        tenantStoreServiceAccount: "vault-secret-store",
        tenantStore: tenantVaultPolicy(tenant),
        // Not `tenant-<t>-repos`: the policy pack reads every `tenant-*` policy as the whole space
        // of the tenant named by the rest, and a tenant may be called `<t>-repos`.
        repoVaultPolicy: `argocd-repos-${tenant}`,
        repoReader: `${tenant}-repo-reader`,
        repoStore: `repos-${tenant}`,
        kubeconfigWriter: "vault-kubeconfig-writer",
        kubeconfigWriterPolicy: kubeconfigWriterPolicyName(tenant),
    };
}

/**
 * Name of a repository's secret: stable when repos are reordered or added, unique per URL.
 * The hash keeps it short whatever the URL looks like.
 */
export function repoSecretName(tenant: string, url: string): string {
    return `repo-${tenant}-${shortHash(url)}`;
}

export function shortHash(text: string): string {
    return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

// The two names the loader checks (length, clashes with the platform's host names) are defined in
// the contract both layers share; every component takes them from here.
export { NAME_SEPARATOR, applicationName, tenantApiHost } from "../../stacks/contract";

/**
 * Name of the Application the hub's ApplicationSet of `addon` generates for a tenant's cluster:
 * `<tenant>.addon.<addon>`. Two separators, so it is never a tenant app's name (one) nor another
 * add-on's; the ApplicationSet template passes `{{name}}` (the cluster's name, the tenant) as `tenant`.
 */
export function addonApplicationName(tenant: string, addon: string): string {
    return `${tenant}${NAME_SEPARATOR}addon${NAME_SEPARATOR}${addon}`;
}

/** The placeholder of an ApplicationSet cluster generator for the cluster's name (the tenant). */
export const CLUSTER_NAME_PLACEHOLDER = "{{name}}";

/**
 * Pulumi logical name of a tenant app's Application under the Tenant component `component`:
 * `<component>-app.<app>`. With `-app-<app>`, tenant `x` with app `app-y` and tenant `x-app` with
 * app `y` had one URN. `applicationResourceAlias` is the name it had before.
 */
export function applicationResourceName(component: string, app: string): string {
    return `${component}-app${NAME_SEPARATOR}${app}`;
}

/** The logical name an app's Application had up to this version, kept as its alias. */
export function applicationResourceAlias(component: string, app: string): string {
    return `${component}-app-${app}`;
}

// ---------------------------------------------------------------------------------------
// Exposure (components/tenant/exposure.ts): reaching the tenant's vCluster from outside the hub.

/** The secret in vcluster-<t> that the vCluster writes the outside kubeconfig to. */
export function externalKubeconfigSecret(tenant: string): string {
    return `vc-${tenant}-external`;
}

/**
 * Name of the writer's Vault policy and Kubernetes-auth role. Deliberately not
 * `tenant-<t>-kubeconfig-writer`: the policy pack (vault-tenant-policy-scoped) reads every
 * `tenant-*` policy as the whole space of the tenant named by the rest, and a tenant named
 * `<t>-kubeconfig-writer` would own exactly that name — its read policy and this writer would
 * be one Vault object.
 */
export function kubeconfigWriterPolicyName(tenant: string): string {
    return `kubeconfig-writer-${tenant}`;
}

// The kubeconfig for outside the hub (exposure.ts): a contract with Vault, External Secrets and
// `npm run tenant -- kubeconfig`.

/** Key of the kubeconfig in the vCluster's kubeconfig secrets, and field name in Vault. */
export const KUBECONFIG_FIELD = "config";
/** Key of the kubeconfig in the tenant's Vault space (KV v2 under mount `tenants/<t>`). */
export const KUBECONFIG_VAULT_KEY = "kubeconfig";
/** PushSecret in vcluster-<t>. */
export const KUBECONFIG_PUSH_SECRET = "kubeconfig";

/** `tenants/<t>/data/kubeconfig`: the Vault API path of the tenant's kubeconfig (KV v2). */
export function kubeconfigVaultPath(tenant: string): string {
    return `${tenantVaultMount(tenant)}/data/${KUBECONFIG_VAULT_KEY}`;
}

/** `tenants/<t>/metadata/kubeconfig`: where External Secrets marks the kubeconfig as its own. */
export function kubeconfigVaultMetadataPath(tenant: string): string {
    return `${tenantVaultMount(tenant)}/metadata/${KUBECONFIG_VAULT_KEY}`;
}
