// Everything one tenant registers on the hub, as plain data in creation order: each resource's
// logical name, what it is, its inputs, and the resources it waits for. Which resources exist
// follows plain config only (the tenant's state, its credentialed repos, its exposure), never an
// Output. The Tenant component (tenant.ts) registers the list as it is; specs read it directly.
import type { TenantConfig } from "../../stacks/schema";
import type { Manifest } from "../manifest";
import { chartArgs } from "../hub/shared";
import { CHARTS } from "../versions";
import { accessResources, isExposed, mergeVclusterValues, vclusterExposureValues } from "./exposure";
import {
    ManifestContext, appProjectManifest, applicationManifest, clusterSecretManifest, credentialedRepos,
    kubeconfigReaderManifests, namespaceManifest, networkPolicyManifests, repoSecretManifest, repoStoreManifests, tenantStoreManifests,
} from "./manifests";
import { applicationResourceAlias, applicationResourceName, shortHash, tenantNames } from "./naming";
import { VaultRoleSpec, repoReaderPolicyHcl, repoVaultRole, tenantPolicyHcl, tenantVaultRole } from "./vault-policy";
import { vclusterValues } from "./vcluster-values";
import { PROJECT_AT_CREATION_IGNORE_CHANGES } from "../../policy-pack/catalog";

interface Planned {
    /** Logical name: `<component>-<role>`. */
    name: string;
    /** Logical names (of this list) the resource waits for. */
    dependsOn: string[];
    /** Also waits for the hub resources whose CRDs and controllers it needs. @default false */
    afterHub?: boolean;
    /** Protected and retained on delete where the stack protects stateful resources. @default false */
    stateful?: boolean;
}

/** One resource of a tenant. */
export type TenantResource = Planned & (
    | { type: "kubernetes"; manifest: Manifest; ignoreChanges?: string[]; aliases?: string[] }
    | { type: "chart"; args: ReturnType<typeof chartArgs> }
    | { type: "vault-mount"; args: { path: string; type: string; options: Record<string, string>; description: string } }
    | { type: "vault-policy"; args: { name: string; policy: string } }
    | { type: "vault-role"; args: VaultRoleSpec }
);

/** A Kubernetes object of the tenant. */
export function kubernetes(name: string, manifest: Manifest, dependsOn: string[], more: Omit<Planned, "name" | "dependsOn"> & { ignoreChanges?: string[]; aliases?: string[] } = {}): TenantResource {
    return { type: "kubernetes", name, manifest, dependsOn, ...more };
}

/** Kept while the tenant exists, also when decommissioned: its namespace, isolation, vCluster and Vault space. */
function keptResources(name: string, tenant: TenantConfig, ctx: ManifestContext): TenantResource[] {
    const names = tenantNames(tenant.name);
    const policies = networkPolicyManifests(tenant, ctx).map((policy) => kubernetes(`${name}-netpol-${policy.metadata.name}`, policy, [`${name}-namespace`]));
    const base = vclusterValues(tenant, ctx.tenantNodes);
    const values = isExposed(tenant, ctx.exposure) ? mergeVclusterValues(base, vclusterExposureValues(tenant.name, ctx.domain)) : base;
    return [
        kubernetes(`${name}-namespace`, namespaceManifest(tenant, ctx), [], { stateful: true }),
        ...policies,
        {
            type: "chart", name: `${name}-vcluster`, args: chartArgs(CHARTS.vcluster, names.release, names.namespace, values),
            dependsOn: [`${name}-namespace`, ...policies.map((p) => p.name)], stateful: true,
        },
        {
            type: "vault-mount", name: `${name}-vault-mount`, dependsOn: [], stateful: true,
            args: { path: names.vaultMount, type: "kv", options: { version: "2" }, description: `Secrets of tenant ${tenant.name}` },
        },
    ];
}

/** Argo CD's registration of the vCluster, the AppProject and the Applications. */
function argoCdResources(name: string, tenant: TenantConfig, ctx: ManifestContext): TenantResource[] {
    const reader = kubeconfigReaderManifests(tenant, ctx);
    const [account, role, binding, store, secret, project] = ["kubeconfig-reader", "kubeconfig-reader-role", "kubeconfig-reader-binding", "kubeconfig-store", "cluster-secret", "project"].map((r) => `${name}-${r}`);
    return [
        kubernetes(account, reader.serviceAccount, [], { afterHub: true }),
        kubernetes(role, reader.role, [`${name}-namespace`]),
        kubernetes(binding, reader.roleBinding, [`${name}-namespace`, account, role]),
        kubernetes(store, reader.store, [account, role, binding], { afterHub: true }),
        kubernetes(secret, clusterSecretManifest(tenant, ctx), [store, `${name}-vcluster`], { afterHub: true }),
        kubernetes(project, appProjectManifest(tenant, ctx), [], { afterHub: true }),
        ...tenant.applications.map((app) => kubernetes(applicationResourceName(name, app.name), applicationManifest(tenant, app, ctx), [project, secret], {
            afterHub: true,
            ignoreChanges: [PROJECT_AT_CREATION_IGNORE_CHANGES],
            // Renamed from `<t>-app-<app>`: the same resource in Pulumi's state (its Kubernetes
            // name changed too, so Pulumi replaces the Application; README).
            aliases: [applicationResourceAlias(name, app.name)],
        })),
    ];
}

/** The tenant's whole Vault space for its own store, and Argo CD's reader of its `repos/` keys (only with credentialed repos). */
function vaultResources(name: string, tenant: TenantConfig, ctx: ManifestContext): TenantResource[] {
    const names = tenantNames(tenant.name);
    const store = tenantStoreManifests(tenant, ctx);
    const own: TenantResource[] = [
        { type: "vault-policy", name: `${name}-vault-policy`, dependsOn: [], args: { name: names.vaultPolicy, policy: tenantPolicyHcl(tenant.name) } },
        { type: "vault-role", name: `${name}-vault-role`, dependsOn: [`${name}-vault-policy`], afterHub: true, args: tenantVaultRole(tenant.name, ctx) },
        kubernetes(`${name}-store-account`, store.serviceAccount, [`${name}-namespace`]),
        kubernetes(`${name}-secret-store`, store.store, [`${name}-namespace`, `${name}-store-account`, `${name}-vault-role`], { afterHub: true }),
    ];
    const repos = credentialedRepos(tenant);
    if (repos.length === 0) return own;
    const repoStore = repoStoreManifests(tenant, ctx);
    return [
        ...own,
        { type: "vault-policy", name: `${name}-repo-policy`, dependsOn: [], args: { name: names.repoVaultPolicy, policy: repoReaderPolicyHcl(tenant.name) } },
        { type: "vault-role", name: `${name}-repo-role`, dependsOn: [`${name}-repo-policy`], afterHub: true, args: repoVaultRole(tenant.name, ctx) },
        kubernetes(`${name}-repo-reader`, repoStore.serviceAccount, [], { afterHub: true }),
        kubernetes(`${name}-repo-store`, repoStore.store, [`${name}-repo-reader`, `${name}-repo-role`], { afterHub: true }),
        ...repos.map((repo) => kubernetes(`${name}-repo-${shortHash(repo.url)}`, repoSecretManifest(tenant, repo, ctx), [`${name}-repo-store`], { afterHub: true })),
    ];
}

/**
 * Every resource of the tenant under the Tenant component `name`, in creation order. Grants
 * (Argo CD registration, Vault policies and stores) exist only while the tenant is active;
 * access from outside the hub only when it is exposed (exposure.ts).
 */
export function tenantResources(name: string, tenant: TenantConfig, ctx: ManifestContext): TenantResource[] {
    const active = tenant.state === "active";
    return [
        ...keptResources(name, tenant, ctx),
        ...(active ? [...argoCdResources(name, tenant, ctx), ...vaultResources(name, tenant, ctx)] : []),
        ...(isExposed(tenant, ctx.exposure) ? accessResources(name, tenant, ctx) : []),
    ];
}
