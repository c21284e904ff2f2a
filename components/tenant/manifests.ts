// Kubernetes manifests of one tenant on the hub, as plain objects, and the builders every part of
// the tenant shares (labels, service accounts, Vault stores). Pure functions of the tenant's
// config and the hub's plain settings; resources.ts says which exist and how they are ordered.
import { PROJECT_AT_CREATION_ANNOTATION } from "../../policy-pack/catalog";
import { MOVING_REVISION_ANNOTATION } from "../../policy-pack/catalog/core/conventions";
import type { ApplicationConfig, Environment, HubApiServerConfig, PlatformExposureConfig, RepoConfig, TenantConfig, TenantNodesConfig } from "../../stacks/schema";
import { ADDONS } from "../../stacks/schema";
import { VaultCaProvider, vaultStoreProvider } from "../hub/external-secrets";
import type { Manifest } from "../manifest";
import {
    ARGOCD_SECRET_TYPE_LABEL, ENVIRONMENT_LABEL, TENANT_LABEL, TENANT_STATE_LABEL, TenantNames,
    VCLUSTER_API_PORT, applicationName, repoSecretName, tenantNames,
} from "./naming";

/** The hub settings a tenant's resources are built from: plain values only. */
export interface ManifestContext {
    environment: Environment;
    /** DNS zone of the platform. */
    domain: string;
    /** Namespace of Argo CD: AppProjects, Applications, cluster and repository secrets live there. */
    argocdNamespace: string;
    vaultAddress: string;
    vaultAuthPath: string;
    /** Where the tenant's stores find the CA of an https Vault (hub/vault-ca.ts). @default - the system trust store */
    vaultCaProvider?: VaultCaProvider;
    audience: string;
    refreshIntervalSeconds: number;
    /**
     * The hub API server's endpoints (platform.hubApiServer): the vCluster control plane may open
     * connections to these and to DNS only. @default - any address on API_SERVER_PORTS (dev only)
     */
    apiServerEndpoints?: HubApiServerConfig["endpoints"];
    /** How tenants' vCluster APIs are reached from outside the hub (`mode: none`: not at all). */
    exposure: PlatformExposureConfig;
    /** The hub nodes tenant pods run on. @default - no placement (dev only) */
    tenantNodes?: TenantNodesConfig;
}

/** Where the hub's own API server is reached from pods when its endpoints are not configured (Service port and the usual endpoint port). */
export const API_SERVER_PORTS = [443, 6443] as const;

/**
 * Egress of the vCluster control plane to the hub API server. NetworkPolicies see a connection
 * to the `kubernetes` Service after kube-proxy (or the CNI) has translated it to an endpoint, so
 * the rule names the endpoints: each address on its own port. Without configured endpoints (dev
 * only; the loader requires them in prod) it is any address on API_SERVER_PORTS.
 */
export function apiServerEgress(endpoints: ManifestContext["apiServerEndpoints"]): Record<string, unknown>[] {
    if (endpoints === undefined || endpoints.length === 0) return [{ ports: API_SERVER_PORTS.map((port) => ({ protocol: "TCP", port })) }];
    return endpoints.map(({ address, port }) => ({
        to: [{ ipBlock: { cidr: `${address}/${address.includes(":") ? 128 : 32}` } }],
        ports: [{ protocol: "TCP", port }],
    }));
}

// The labels the vCluster chart puts on its control-plane pods.
const vclusterPodLabels = (names: TenantNames) => ({ app: "vcluster", release: names.release });

/** Labels of every object of the tenant on the hub. */
export function tenantLabels(tenant: string, ctx: Pick<ManifestContext, "environment">): Record<string, string> {
    return { [TENANT_LABEL]: tenant, [ENVIRONMENT_LABEL]: ctx.environment };
}

const byName = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

// ---------------------------------------------------------------------------------------
// The tenant namespace and its isolation

export function namespaceManifest(tenant: TenantConfig, ctx: ManifestContext): Manifest {
    const names = tenantNames(tenant.name);
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
            name: names.namespace,
            labels: {
                ...tenantLabels(tenant.name, ctx),
                [TENANT_STATE_LABEL]: tenant.state,
                // Workloads synced from the vCluster land here. `baseline` is enforced because the
                // vCluster chart's own helpers (the StatefulSet hosts-rewrite init container) carry
                // no securityContext; `restricted` is warned and audited, and Kyverno enforces the
                // restricted-level rules of the compliance catalog in prod.
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/warn-version": "latest",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/audit-version": "latest",
            },
        },
    };
}

/**
 * Three NetworkPolicies: deny everything; let the namespace talk to itself and to the hub's DNS;
 * let Argo CD reach the vCluster API and the vCluster's syncer reach the hub API server.
 * Nothing admits traffic from another tenant's namespace.
 */
export function networkPolicyManifests(tenant: TenantConfig, ctx: ManifestContext): Manifest[] {
    const names = tenantNames(tenant.name);
    const metadata = (name: string) => ({ name, namespace: names.namespace, labels: tenantLabels(tenant.name, ctx) });
    return [
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: metadata("default-deny"),
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        },
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: metadata("allow-namespace-and-dns"),
            spec: {
                podSelector: {},
                policyTypes: ["Ingress", "Egress"],
                // A peer with only a podSelector means "pods of this namespace".
                ingress: [{ from: [{ podSelector: {} }] }],
                egress: [
                    { to: [{ podSelector: {} }] },
                    {
                        to: [{ namespaceSelector: byName("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                        ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
                    },
                ],
            },
        },
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: metadata("allow-vcluster-api"),
            spec: {
                podSelector: { matchLabels: vclusterPodLabels(names) },
                policyTypes: ["Ingress", "Egress"],
                ingress: [{
                    from: [{ namespaceSelector: byName(ctx.argocdNamespace) }],
                    ports: [{ protocol: "TCP", port: VCLUSTER_API_PORT }],
                }],
                // The syncer talks to the hub API server (kubernetes.default.svc, translated to an
                // endpoint). Its address is not a pod or namespace, so the rule names the
                // configured endpoints, for the vCluster's own control-plane pods only.
                egress: apiServerEgress(ctx.apiServerEndpoints),
            },
        },
    ];
}

// ---------------------------------------------------------------------------------------
// Argo CD registration: the vCluster's kubeconfig goes from its secret to Argo CD's cluster
// secret inside the hub, through External Secrets' Kubernetes provider.

export function kubeconfigReaderManifests(tenant: TenantConfig, ctx: ManifestContext): {
    serviceAccount: Manifest; role: Manifest; roleBinding: Manifest; store: Manifest;
} {
    const names = tenantNames(tenant.name);
    const labels = tenantLabels(tenant.name, ctx);
    return {
        serviceAccount: serviceAccountManifest(names.kubeconfigReader, ctx.argocdNamespace, labels),
        role: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: { name: names.kubeconfigReaderRole, namespace: names.namespace, labels },
            rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [names.kubeconfigSecret], verbs: ["get"] }],
        },
        roleBinding: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name: names.kubeconfigReaderRole, namespace: names.namespace, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.kubeconfigReaderRole },
            subjects: [{ kind: "ServiceAccount", name: names.kubeconfigReader, namespace: ctx.argocdNamespace }],
        },
        store: {
            apiVersion: "external-secrets.io/v1",
            kind: "SecretStore",
            metadata: { name: names.kubeconfigStore, namespace: ctx.argocdNamespace, labels },
            spec: {
                provider: {
                    kubernetes: {
                        remoteNamespace: names.namespace,
                        server: {
                            url: "https://kubernetes.default.svc",
                            caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" },
                        },
                        auth: { serviceAccount: { name: names.kubeconfigReader } },
                    },
                },
            },
        },
    };
}

/** Keys the vCluster writes into its kubeconfig secret besides `config`. */
export const KUBECONFIG_SECRET_KEYS = ["certificate-authority", "client-certificate", "client-key"] as const;

/** Argo CD's cluster `config`: TLS client settings built in-cluster from the kubeconfig secret. */
export const CLUSTER_CONFIG_TEMPLATE =
    `{"tlsClientConfig":{"insecure":false,` +
    `"caData":"{{ index . "certificate-authority" | b64enc }}",` +
    `"certData":"{{ index . "client-certificate" | b64enc }}",` +
    `"keyData":"{{ index . "client-key" | b64enc }}"}}`;

export function clusterSecretManifest(tenant: TenantConfig, ctx: ManifestContext): Manifest {
    const names = tenantNames(tenant.name);
    const labels = tenantLabels(tenant.name, ctx);
    const addonLabels = Object.fromEntries(ADDONS.map((addon) => [addon, tenant.addons[addon] ? "enabled" : "disabled"]));
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: names.clusterSecret, namespace: ctx.argocdNamespace, labels },
        spec: {
            refreshInterval: `${ctx.refreshIntervalSeconds}s`,
            secretStoreRef: { kind: "SecretStore", name: names.kubeconfigStore },
            target: {
                name: names.clusterSecret,
                // The cluster secret lives and dies with this ExternalSecret (offboarding).
                creationPolicy: "Owner",
                template: {
                    engineVersion: "v2",
                    type: "Opaque",
                    metadata: {
                        // The hub's ApplicationSets select clusters by these labels.
                        labels: { [ARGOCD_SECRET_TYPE_LABEL]: "cluster", ...labels, ...addonLabels },
                        annotations: { ...labels },
                    },
                    data: {
                        name: names.tenant,
                        server: names.server,
                        project: names.tenant,
                        config: CLUSTER_CONFIG_TEMPLATE,
                    },
                },
            },
            data: KUBECONFIG_SECRET_KEYS.map((key) => ({
                secretKey: key,
                remoteRef: { key: names.kubeconfigSecret, property: key },
            })),
        },
    };
}

// ---------------------------------------------------------------------------------------
// The AppProject and the Applications

/** Namespaces (inside the vCluster) the tenant's Applications deploy to, sorted, once each. */
export function destinationNamespaces(tenant: TenantConfig): string[] {
    return [...new Set(tenant.applications.map((app) => app.namespace))].sort();
}

/**
 * What the tenant's owner groups may do in Argo CD, all within their own project (`<t>/*`):
 * everything with its Applications, read their logs, and open a terminal into their pods when
 * the tenant entry allows it (`argocd.exec`; Argo CD's terminal must also be switched on). Argo CD
 * adds `get` on the project itself. Argo CD's default role grants nothing (hub/argocd.ts), so this
 * is all an owner can see or do.
 */
export function ownerPolicies(tenant: TenantConfig): string[] {
    const project = tenantNames(tenant.name).tenant;
    const subject = `proj:${project}:owners`;
    return [
        `p, ${subject}, applications, *, ${project}/*, allow`,
        `p, ${subject}, logs, get, ${project}/*, allow`,
        ...(tenant.argocd.exec ? [`p, ${subject}, exec, create, ${project}/*, allow`] : []),
    ];
}

export function appProjectManifest(tenant: TenantConfig, ctx: ManifestContext): Manifest {
    const names = tenantNames(tenant.name);
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: names.tenant, namespace: ctx.argocdNamespace, labels: tenantLabels(tenant.name, ctx) },
        spec: {
            description: `Tenant ${tenant.name}: its repositories, deployed to its vCluster only.`,
            sourceRepos: tenant.repos.map((repo) => repo.url),
            // Exactly the namespaces the tenant's apps name: Argo CD checks every namespaced
            // object against them, so an app cannot write into a namespace of another app set.
            destinations: destinationNamespaces(tenant).map((namespace) => ({ name: names.tenant, namespace })),
            sourceNamespaces: [ctx.argocdNamespace],
            // Only clusters whose secret names this project (the tenant's own, see the cluster
            // secret's `project`), whatever a destination's name matches.
            permitOnlyProjectScopedClusters: true,
            // Apps create the namespaces they deploy to (CreateNamespace=false), so Namespace is
            // the one cluster-scoped kind; cluster scope here is the vCluster's, not the hub's.
            clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
            orphanedResources: { warn: true },
            roles: [{
                name: "owners",
                description: `Owners of tenant ${tenant.name}`,
                groups: [...tenant.ownerGroups],
                policies: ownerPolicies(tenant),
            }],
            syncWindows: tenant.syncWindows.map((window) => ({
                kind: window.kind,
                schedule: window.schedule,
                duration: window.duration,
                // Windows name the tenant's apps as configured; Argo CD knows them as `<t>.<app>`.
                applications: window.applications.map((app) => applicationName(tenant.name, app)),
                ...(window.manualSync !== undefined ? { manualSync: window.manualSync } : {}),
                ...(window.timeZone !== undefined ? { timeZone: window.timeZone } : {}),
            })),
        },
    };
}

export function applicationManifest(tenant: TenantConfig, app: ApplicationConfig, ctx: ManifestContext): Manifest {
    const names = tenantNames(tenant.name);
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        // No resources finalizer: deleting the Application (offboarding) leaves the workloads in
        // the vCluster, which is kept.
        metadata: {
            name: applicationName(tenant.name, app.name),
            namespace: ctx.argocdNamespace,
            labels: tenantLabels(tenant.name, ctx),
            // The project at creation; tenant.ts keeps it with ignoreChanges, so the policy pack
            // refuses a later move to another project before deploy (application-prevent-updates-project).
            annotations: {
                [PROJECT_AT_CREATION_ANNOTATION]: names.tenant,
                // The entry's explicit opt-in to a moving targetRevision, for application-revision-pinned.
                ...(app.allowMovingRevision === true ? { [MOVING_REVISION_ANNOTATION]: "true" } : {}),
            },
        },
        spec: {
            project: names.tenant,
            source: {
                repoURL: app.repoURL,
                targetRevision: app.targetRevision,
                ...(app.path !== undefined ? { path: app.path } : {}),
                ...(app.chart !== undefined ? { chart: app.chart } : {}),
            },
            destination: { name: names.tenant, namespace: app.namespace },
            syncPolicy: {
                automated: { prune: true, selfHeal: true },
                syncOptions: [...app.syncOptions],
            },
        },
    };
}

// ---------------------------------------------------------------------------------------
// Vault: the tenant's own store, and Argo CD's reader of repository credentials

/**
 * The tenant's own SecretStore, in its namespace (a namespaced store is usable from that
 * namespace only), logging in as the one service account its Vault role is bound to.
 */
export function tenantStoreManifests(tenant: TenantConfig, ctx: ManifestContext): { serviceAccount: Manifest; store: Manifest } {
    const names = tenantNames(tenant.name);
    return vaultStoreManifests(tenant, ctx, { namespace: names.namespace, serviceAccount: names.tenantStoreServiceAccount, store: names.tenantStore, role: names.vaultPolicy });
}

/** A service account that only External Secrets uses (through TokenRequest): no token mounted anywhere. */
function serviceAccountManifest(name: string, namespace: string, labels: Record<string, string>): Manifest {
    return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels }, automountServiceAccountToken: false };
}

/** A SecretStore on the tenant's Vault space, logging in as its own service account (bound to `role`). */
export function vaultStoreManifests(
    tenant: TenantConfig, ctx: ManifestContext,
    at: { namespace: string; serviceAccount: string; store: string; role: string },
): { serviceAccount: Manifest; store: Manifest } {
    const names = tenantNames(tenant.name);
    const labels = tenantLabels(tenant.name, ctx);
    return {
        serviceAccount: serviceAccountManifest(at.serviceAccount, at.namespace, labels),
        store: {
            apiVersion: "external-secrets.io/v1",
            kind: "SecretStore",
            metadata: { name: at.store, namespace: at.namespace, labels },
            spec: {
                provider: vaultStoreProvider({
                    server: ctx.vaultAddress, path: names.vaultMount, authPath: ctx.vaultAuthPath, role: at.role,
                    serviceAccount: { name: at.serviceAccount }, audience: ctx.audience, caProvider: ctx.vaultCaProvider,
                }),
            },
        },
    };
}

/** Repositories whose credentials come from Vault. */
export function credentialedRepos(tenant: TenantConfig): RepoConfig[] {
    return tenant.repos.filter((repo) => repo.credentialsVaultKey !== undefined);
}

/** Argo CD's store for the tenant's repository credentials (argocd ns, `repos/` keys only). */
export function repoStoreManifests(tenant: TenantConfig, ctx: ManifestContext): { serviceAccount: Manifest; store: Manifest } {
    const names = tenantNames(tenant.name);
    return vaultStoreManifests(tenant, ctx, { namespace: ctx.argocdNamespace, serviceAccount: names.repoReader, store: names.repoStore, role: names.repoVaultPolicy });
}

/** SSH URLs authenticate with a private key, everything else with username and password. */
export function usesSshKey(url: string): boolean {
    return url.startsWith("ssh://") || url.startsWith("git@");
}

export function repoSecretManifest(tenant: TenantConfig, repo: RepoConfig, ctx: ManifestContext): Manifest {
    if (repo.credentialsVaultKey === undefined) throw new Error(`repo ${repo.url} of tenant ${tenant.name} has no credentialsVaultKey`);
    const names = tenantNames(tenant.name);
    const name = repoSecretName(tenant.name, repo.url);
    const fields = usesSshKey(repo.url) ? ["sshPrivateKey"] : ["username", "password"];
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name, namespace: ctx.argocdNamespace, labels: tenantLabels(tenant.name, ctx) },
        spec: {
            refreshInterval: `${ctx.refreshIntervalSeconds}s`,
            secretStoreRef: { kind: "SecretStore", name: names.repoStore },
            target: {
                name,
                creationPolicy: "Owner",
                template: {
                    engineVersion: "v2",
                    type: "Opaque",
                    metadata: { labels: { [ARGOCD_SECRET_TYPE_LABEL]: "repository", ...tenantLabels(tenant.name, ctx) } },
                    data: {
                        url: repo.url,
                        type: repo.type,
                        // Project-scoped: only the tenant's AppProject may use these credentials.
                        project: names.tenant,
                        ...Object.fromEntries(fields.map((field) => [field, `{{ .${field} }}`])),
                    },
                },
            },
            data: fields.map((field) => ({
                secretKey: field,
                remoteRef: { key: repo.credentialsVaultKey, property: field },
            })),
        },
    };
}
