// One tenant team on the hub: its vCluster, its registration in Argo CD, its AppProject and
// Applications, and its Vault space. Manifests and values are built by the pure functions beside
// this file (manifests.ts, vcluster-values.ts, vault-policy.ts); this class only turns them into
// Pulumi resources and orders them.
//
// Pulumi resources per tenant, and why each exists (type token gitops-hub:tenant:Tenant):
//   kept while the tenant exists, also when decommissioned (the tenant's data and runtime):
//     1  Namespace `vcluster-<t>`          host namespace of the vCluster; tenant/environment/PSS labels
//     3  NetworkPolicy                     default-deny; namespace-internal + DNS; Argo CD → vCluster API
//                                          and syncer → hub API server (each a different pod selection)
//     1  helm.v4.Chart vcluster            the tenant's Kubernetes API; also its ResourceQuota and
//                                          LimitRange (`policies.*.enabled: true`), so no objects of ours
//     1  vault.Mount `tenants/<t>`         the tenant's secret space
//   grants, removed when the tenant is decommissioned:
//     1  ServiceAccount (argocd ns)        identity External Secrets uses to read the kubeconfig
//     1  Role + 1 RoleBinding (tenant ns)  `get` on exactly secret `vc-<t>`
//     1  SecretStore (argocd ns)           Kubernetes provider over the tenant namespace
//     1  ExternalSecret (argocd ns)        produces Argo CD's cluster secret in-cluster; its labels
//                                          switch the hub's add-on ApplicationSets on
//     1  AppProject `<t>`                  the tenant's repos, its vCluster, its owners
//     1  vault.Policy + 1 AuthBackendRole  `tenant-<t>`: the whole space, to one SA in one namespace
//     1  ServiceAccount + 1 SecretStore    the tenant's own store in `vcluster-<t>` (secretStoreName)
//     n  Application `<t>.<app>`           one per configured app (logical name `<t>-app.<app>`)
//   only when a repo has credentialsVaultKey (4 + one per such repo):
//     1  ServiceAccount + 1 SecretStore    Argo CD's reader of the tenant's `repos/` keys (argocd ns)
//     1  vault.Policy + 1 AuthBackendRole  `argocd-repos-<t>`: read `tenants/<t>/data/repos/*` only
//     r  ExternalSecret                    one Argo CD repository secret per credentialed repo
// So an active tenant without credentialed repos is 16 + n resources. Spoke add-ons and policies
// are not here: the hub's ApplicationSets roll them out to every cluster secret whose labels ask.
//
// Why the kubeconfig goes through External Secrets' Kubernetes provider and not through Vault:
// the vCluster writes `vc-<t>` itself; copying it into Vault would need a PushSecret and a write
// grant on the platform's Vault for every tenant, and a second copy of the credentials. Reading it
// where it is keeps the credentials inside the hub and out of Pulumi's state entirely.
//
// Offboarding (state: decommissioned): every grant above is deleted (AppProject, cluster secret
// and its store and RBAC, repository secrets and their store, Applications, both Vault policies
// and roles, the tenant's SecretStore). Argo CD then no longer reaches the vCluster; the deleted
// Applications carry no resources finalizer, so workloads inside the vCluster are left alone. The
// namespace, NetworkPolicies, vCluster and Vault mount stay, labelled `gitops-hub.io/tenant-state:
// decommissioned`, so data can be exported or the tenant re-activated by setting `active` again.
// Removing the entry from the config afterwards deletes the rest; in prod (protect: true) Pulumi
// refuses to delete the namespace, the vCluster and the mount until `pulumi state unprotect`, and
// `retainOnDelete` keeps them in the cluster and in Vault even then. Renaming a tenant changes every
// logical name (new URNs): `pulumi preview` shows the old tenant's deletion, and in prod `pulumi up`
// stops with an error at the protected namespace, vCluster and mount instead of deleting them; no
// alias is offered, as the vCluster and Vault mount names derive from the tenant name. Rename by
// onboarding the new name, moving the workloads, then decommissioning the old one.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { PROJECT_AT_CREATION_IGNORE_CHANGES } from "../../policy-pack/catalog";
import type { Environment, HubApiServerConfig, PlatformExposureConfig, TenantConfig, TenantNodesConfig } from "../../stacks/schema";
import { CHARTS } from "../versions";
import {
    Manifest, ManifestContext, appProjectManifest, applicationManifest, clusterSecretManifest,
    credentialedRepos, kubeconfigReaderManifests, namespaceManifest, networkPolicyManifests,
    repoSecretManifest, repoStoreManifests, tenantStoreManifests,
} from "./manifests";
import { mergeVclusterValues, tenantAccessPlan } from "./exposure";
import { ENVIRONMENT_LABEL, applicationResourceAlias, applicationResourceName, shortHash, tenantNames } from "./naming";
import { repoReaderPolicyHcl, repoVaultRole, tenantPolicyHcl, tenantVaultRole } from "./vault-policy";
import { vclusterValues } from "./vcluster-values";

/** What tenants need from the hub, as plain values and resources to wait for. */
export interface HubContext {
    environment: Environment;
    /** DNS zone of the platform. */
    domain: string;
    /** Namespace of Argo CD: AppProjects, Applications, cluster and repository secrets live there. */
    argocdNamespace: string;
    /** In-cluster Vault URL External Secrets uses. */
    vaultAddress: string;
    /** Mount path of Vault's Kubernetes auth backend. */
    vaultAuthPath: string;
    /** Audience Vault's Kubernetes-auth roles require. */
    audience: string;
    /** How often ExternalSecrets re-read their source. */
    refreshIntervalSeconds: number;
    /** Protect (and retain on delete) the tenant's namespace, vCluster and Vault mount. */
    protect: boolean;
    /** How tenants' vCluster APIs are reached from outside the hub (`mode: none`: not at all). */
    exposure: PlatformExposureConfig;
    /** The hub nodes tenant pods run on. @default - no placement (dev only) */
    tenantNodes?: TenantNodesConfig;
    /** The hub API server's endpoints, the vCluster control plane's only egress besides DNS. @default - any address on 443 and 6443 (dev only) */
    apiServerEndpoints?: HubApiServerConfig["endpoints"];
    /** Hub resources whose CRDs and controllers the tenant's custom resources need. */
    dependsOn: pulumi.Resource[];
}

export interface TenantArgs {
    /** The tenant's validated config entry. */
    readonly tenant: TenantConfig;
    readonly hub: HubContext;
}

export class Tenant extends pulumi.ComponentResource {
    /** The tenant's name. */
    readonly tenantName: string;
    /** Name of the tenant's SecretStore in `vcluster-<t>`; empty when decommissioned (no store exists). */
    readonly secretStoreName: string;

    constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:tenant:Tenant", name, {}, opts);
        const { tenant, hub } = args;
        const names = tenantNames(tenant.name);
        const active = tenant.state === "active";
        const ctx: ManifestContext = {
            environment: hub.environment,
            argocdNamespace: hub.argocdNamespace,
            vaultAddress: hub.vaultAddress,
            vaultAuthPath: hub.vaultAuthPath,
            audience: hub.audience,
            refreshIntervalSeconds: hub.refreshIntervalSeconds,
            apiServerEndpoints: hub.apiServerEndpoints,
        };
        const child = { parent: this };
        const stateful = { parent: this, protect: hub.protect, retainOnDelete: hub.protect };
        const afterHub = (...more: pulumi.Resource[]) => ({ parent: this, dependsOn: [...hub.dependsOn, ...more] });

        // --- kept while the tenant exists -------------------------------------------------
        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, args_(namespaceManifest(tenant, ctx)), stateful);
        const networkPolicies = networkPolicyManifests(tenant, ctx).map((policy) =>
            new k8s.networking.v1.NetworkPolicy(`${name}-netpol-${policy.metadata.name}`, args_(policy), { parent: this, dependsOn: [namespace] }));

        // Exposure is decided from plain config, so whether its resources exist never hangs on an Output.
        const access = tenantAccessPlan(tenant, {
            domain: hub.domain,
            exposure: hub.exposure,
            vaultAddress: hub.vaultAddress,
            vaultAuthPath: hub.vaultAuthPath,
            audience: hub.audience,
            refreshIntervalSeconds: hub.refreshIntervalSeconds,
        });
        const base = vclusterValues(tenant, hub.tenantNodes);
        const values = access ? mergeVclusterValues(base, access.vclusterValues) : base;

        const vcluster = new k8s.helm.v4.Chart(`${name}-vcluster`, {
            chart: CHARTS.vcluster.chart,
            version: CHARTS.vcluster.version,
            repositoryOpts: { repo: CHARTS.vcluster.repo },
            name: names.release,
            namespace: names.namespace,
            values,
        }, { ...stateful, dependsOn: [namespace, ...networkPolicies] });

        const vaultMount = new vault.Mount(`${name}-vault-mount`, {
            path: names.vaultMount,
            type: "kv",
            options: { version: "2" },
            description: `Secrets of tenant ${tenant.name}`,
        }, stateful);

        // --- grants, only while active --------------------------------------------------------
        if (active) {
            const reader = kubeconfigReaderManifests(tenant, ctx);
            const readerAccount = new k8s.core.v1.ServiceAccount(`${name}-kubeconfig-reader`, args_(reader.serviceAccount), afterHub());
            const readerRole = new k8s.rbac.v1.Role(`${name}-kubeconfig-reader-role`, args_(reader.role), { parent: this, dependsOn: [namespace] });
            const readerBinding = new k8s.rbac.v1.RoleBinding(`${name}-kubeconfig-reader-binding`, args_(reader.roleBinding), { parent: this, dependsOn: [namespace, readerAccount, readerRole] });
            const kubeconfigStore = customResource(`${name}-kubeconfig-store`, reader.store, afterHub(readerAccount, readerRole, readerBinding));
            const clusterSecret = customResource(`${name}-cluster-secret`, clusterSecretManifest(tenant, ctx), afterHub(kubeconfigStore, vcluster));

            const project = customResource(`${name}-project`, appProjectManifest(tenant, ctx), afterHub());
            for (const app of tenant.applications) {
                customResource(applicationResourceName(name, app.name), applicationManifest(tenant, app, ctx), {
                    ...afterHub(project, clusterSecret),
                    ignoreChanges: [PROJECT_AT_CREATION_IGNORE_CHANGES],
                    // Renamed from `<t>-app-<app>`: the same resource in Pulumi's state (its
                    // Kubernetes name changed too, so Pulumi replaces the Application; README).
                    aliases: [{ name: applicationResourceAlias(name, app.name) }],
                });
            }

            // The tenant's whole space, for the tenant's own store in its namespace.
            const policy = new vault.Policy(`${name}-vault-policy`, { name: names.vaultPolicy, policy: tenantPolicyHcl(tenant.name) }, child);
            const role = new vault.kubernetes.AuthBackendRole(`${name}-vault-role`, tenantVaultRole(tenant.name, ctx), afterHub(policy));
            const store = tenantStoreManifests(tenant, ctx);
            const storeAccount = new k8s.core.v1.ServiceAccount(`${name}-store-account`, args_(store.serviceAccount), { parent: this, dependsOn: [namespace] });
            customResource(`${name}-secret-store`, store.store, afterHub(namespace, storeAccount, role));

            // Argo CD's reader of the tenant's repository credentials: `repos/` keys only.
            const repos = credentialedRepos(tenant);
            if (repos.length > 0) {
                const repoPolicy = new vault.Policy(`${name}-repo-policy`, { name: names.repoVaultPolicy, policy: repoReaderPolicyHcl(tenant.name) }, child);
                const repoRole = new vault.kubernetes.AuthBackendRole(`${name}-repo-role`, repoVaultRole(tenant.name, ctx), afterHub(repoPolicy));
                const repoStore = repoStoreManifests(tenant, ctx);
                const repoAccount = new k8s.core.v1.ServiceAccount(`${name}-repo-reader`, args_(repoStore.serviceAccount), afterHub());
                const repoStoreResource = customResource(`${name}-repo-store`, repoStore.store, afterHub(repoAccount, repoRole));
                for (const repo of repos) {
                    customResource(`${name}-repo-${shortHash(repo.url)}`, repoSecretManifest(tenant, repo, ctx), afterHub(repoStoreResource));
                }
            }
        }

        // --- access from outside the hub, only when exposed (active and asked for) -------------
        if (access) {
            const withEnvironment = (object: Manifest | { metadata?: { labels?: Record<string, string> } }): Manifest => {
                const o = object as Manifest & { metadata: { labels?: Record<string, string> } };
                return { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, [ENVIRONMENT_LABEL]: hub.environment } } } as Manifest;
            };
            const route = access.route;
            if (hub.exposure.mode === "ingress") {
                new k8s.networking.v1.Ingress(route.name, args_(withEnvironment(route.inputs as Manifest)), { parent: this, dependsOn: [namespace, vcluster] });
            } else {
                customResource(route.name, withEnvironment(route.inputs as Manifest), { parent: this, dependsOn: [namespace, vcluster] });
            }
            new k8s.networking.v1.NetworkPolicy(access.networkPolicy.name, args_(withEnvironment(access.networkPolicy.inputs as Manifest)), { parent: this, dependsOn: [namespace] });
            const writerAccount = new k8s.core.v1.ServiceAccount(access.writerServiceAccount.name,
                args_(withEnvironment(access.writerServiceAccount.inputs as Manifest)), { parent: this, dependsOn: [namespace] });
            const writerPolicy = new vault.Policy(access.writerPolicy.name, access.writerPolicy.inputs, child);
            const writerRole = new vault.kubernetes.AuthBackendRole(access.writerRole.name, access.writerRole.inputs, afterHub(writerPolicy));
            const writerStore = customResource(access.writerStore.name, withEnvironment(access.writerStore.inputs as Manifest), afterHub(writerAccount, writerRole));
            customResource(access.pushSecret.name, withEnvironment(access.pushSecret.inputs as Manifest), afterHub(writerStore, vcluster, vaultMount));
        }

        this.tenantName = tenant.name;
        this.secretStoreName = active ? names.tenantStore : "";
        this.registerOutputs({ tenantName: this.tenantName, secretStoreName: this.secretStoreName });
    }
}

/** A manifest as the args of a typed Kubernetes resource (its literal apiVersion/kind are checked by the builder). */
function args_<T>(manifest: Manifest): T {
    return manifest as unknown as T;
}

function customResource(name: string, manifest: Manifest, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(name, manifest as k8s.apiextensions.CustomResourceArgs, opts);
}
