// Tenant access from outside the hub: how a team reaches its own vCluster API at
// `<t>.<platform.domain>`, and how the kubeconfig for it reaches the team (and only the team).
// Pure builders: plain manifests, Vault policy text and role arguments. The Tenant component and
// the hub register them; tests reach them directly.
//
// The path of a kubeconfig:
//   vCluster (chart values below) writes `vc-<t>-external` (key `config`, server https://<t>.<domain>)
//   → PushSecret `kubeconfig` in vcluster-<t>, through SecretStore `vault-kubeconfig-writer`
//   → Vault `tenants/<t>/data/kubeconfig`, field `config`, which only policy `tenant-<t>` reads
//   → `npm run tenant -- kubeconfig <t> --stack <s> --write <file>` with the caller's own token.
//
// TLS is never terminated on the way in (Gateway listener mode Passthrough, ingress-nginx
// ssl-passthrough): the vCluster serves its own certificate, whose extra SAN is `<t>.<domain>`, and
// authenticates the client certificate in the kubeconfig itself.
import type { Input } from "@pulumi/pulumi";
import { TENANT_LABEL, tenantNamespace, tenantVaultMount } from "../../policy-pack/catalog/core/conventions";
import type { PlatformExposureConfig, TenantConfig } from "../../stacks/schema";
import { TENANT_TOKEN_TTL_SECONDS } from "./vault-policy";

/** A Kubernetes object as a plain manifest. */
export interface KubernetesObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [field: string]: unknown;
}

// ---------------------------------------------------------------------------------------
// Names. They are a contract with Vault, External Secrets and the CLI: renaming one renames a
// live object.

/** Hub namespace holding the shared Gateway (and, for most controllers, its data plane). */
export const HUB_GATEWAY_NAMESPACE = "tenant-gateway";
/** The shared Gateway every exposed tenant's TLSRoute attaches to. */
export const HUB_GATEWAY_NAME = "vcluster-api";
/** Port of the vCluster Service (the chart maps it to the API's 8443) and of the Gateway listeners. */
export const VCLUSTER_SERVICE_PORT = 443;
/** Port the vCluster API listens on in its pod; the NetworkPolicy opens exactly this one. */
export const VCLUSTER_POD_PORT = 8443;
/** Key of the kubeconfig in the vCluster's kubeconfig secrets, and field name in Vault. */
export const KUBECONFIG_FIELD = "config";
/** Key of the kubeconfig in the tenant's Vault space (KV v2 under mount `tenants/<t>`). */
export const KUBECONFIG_VAULT_KEY = "kubeconfig";
/** ServiceAccount in vcluster-<t> that the kubeconfig writer store logs in to Vault as. */
export const KUBECONFIG_WRITER_SERVICE_ACCOUNT = "vault-kubeconfig-writer";
/** SecretStore in vcluster-<t> that may write the kubeconfig and nothing else. */
export const KUBECONFIG_WRITER_STORE = "vault-kubeconfig-writer";
/** PushSecret in vcluster-<t>. */
export const KUBECONFIG_PUSH_SECRET = "kubeconfig";
/** Vault policy that lets a platform admin rotate (destroy old versions of) any tenant's kubeconfig. */
export const PLATFORM_ADMIN_POLICY = "platform-admin";




/** `tenants/<t>/data/kubeconfig`: the Vault API path of the tenant's kubeconfig (KV v2). */
export function kubeconfigVaultPath(tenant: string): string {
    return `${tenantVaultMount(tenant)}/data/${KUBECONFIG_VAULT_KEY}`;
}

/** `tenants/<t>/metadata/kubeconfig`: where External Secrets marks the kubeconfig as its own. */
export function kubeconfigVaultMetadataPath(tenant: string): string {
    return `${tenantVaultMount(tenant)}/metadata/${KUBECONFIG_VAULT_KEY}`;
}


/** The command a tenant member runs to read the kubeconfig with the Vault CLI. */
export function kubeconfigReadCommand(tenant: string): string {
    return `vault kv get -mount=${tenantVaultMount(tenant)} -field=${KUBECONFIG_FIELD} ${KUBECONFIG_VAULT_KEY}`;
}

// Names derived from the tenant live in naming.ts; re-exported for the callers of this module.
export { externalKubeconfigSecret, kubeconfigWriterPolicyName, tenantApiHost, vclusterRelease } from "./naming";
import { externalKubeconfigSecret, kubeconfigWriterPolicyName, tenantApiHost, vclusterRelease } from "./naming";

/** Whether the tenant's vCluster is reachable from outside: asked for, and the tenant is active (decommissioning removes every grant). */
export function isExposed(tenant: Pick<TenantConfig, "state" | "exposure">, exposure: Pick<PlatformExposureConfig, "mode">): boolean {
    return exposure.mode !== "none" && tenant.state === "active" && tenant.exposure.enabled;
}

function tenantLabels(tenant: string): Record<string, string> {
    return { [TENANT_LABEL]: tenant };
}

// ---------------------------------------------------------------------------------------
// Gateway mode

/**
 * The shared Gateway: one TLS-passthrough listener per exposed tenant, each named after the
 * tenant, matching exactly `<t>.<domain>`, and accepting TLSRoutes from `vcluster-<t>` only.
 *
 * Per-tenant listeners rather than one `*.<domain>` listener: the Gateway itself then binds each
 * host name to its tenant's namespace, so a route in another namespace that claims
 * `<t>.<domain>` is never attached (with a wildcard listener, any namespace the listener admits
 * could take any tenant's host name, and the binding would rest on convention). The cost is one
 * listener per tenant (at most 64 per Gateway, which the loader checks) and a Gateway update on
 * each onboarding. No ReferenceGrant is needed: a route attaches to a Gateway in another
 * namespace through the listener's `allowedRoutes`, and each route's backend is in its own
 * namespace.
 *
 * Returns undefined when no tenant is exposed (a Gateway needs at least one listener).
 */
export function hubGateway(args: { tenants: readonly string[]; domain: string; gatewayClassName: string }): KubernetesObject | undefined {
    if (args.tenants.length === 0) return undefined;
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: HUB_GATEWAY_NAME, namespace: HUB_GATEWAY_NAMESPACE },
        spec: {
            gatewayClassName: args.gatewayClassName,
            listeners: [...args.tenants].sort().map((tenant) => ({
                name: tenant,
                hostname: tenantApiHost(tenant, args.domain),
                port: VCLUSTER_SERVICE_PORT,
                protocol: "TLS",
                tls: { mode: "Passthrough" },
                allowedRoutes: {
                    namespaces: {
                        from: "Selector",
                        selector: { matchLabels: { "kubernetes.io/metadata.name": tenantNamespace(tenant) } },
                    },
                    kinds: [{ group: "gateway.networking.k8s.io", kind: "TLSRoute" }],
                },
            })),
        },
    };
}

/** The tenant's TLSRoute: `<t>.<domain>` on its own listener of the shared Gateway, to the vCluster Service. */
export function tenantTlsRoute(tenant: string, domain: string): KubernetesObject {
    return {
        apiVersion: "gateway.networking.k8s.io/v1alpha2",
        kind: "TLSRoute",
        metadata: { name: "vcluster-api", namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
        spec: {
            parentRefs: [{
                group: "gateway.networking.k8s.io",
                kind: "Gateway",
                name: HUB_GATEWAY_NAME,
                namespace: HUB_GATEWAY_NAMESPACE,
                sectionName: tenant,
            }],
            hostnames: [tenantApiHost(tenant, domain)],
            rules: [{ backendRefs: [{ name: vclusterRelease(tenant), port: VCLUSTER_SERVICE_PORT }] }],
        },
    };
}

// ---------------------------------------------------------------------------------------
// Ingress mode

/**
 * The tenant's Ingress for ingress-nginx with SSL passthrough: nginx routes on the SNI
 * `<t>.<domain>` and hands the TLS stream to the vCluster Service untouched. The controller must
 * run with `--enable-ssl-passthrough`; without it these annotations are ignored.
 */
export function tenantIngress(tenant: string, domain: string, ingressClassName: string): KubernetesObject {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
            name: "vcluster-api",
            namespace: tenantNamespace(tenant),
            labels: tenantLabels(tenant),
            annotations: {
                "nginx.ingress.kubernetes.io/ssl-passthrough": "true",
                "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS",
            },
        },
        spec: {
            ingressClassName,
            rules: [{
                host: tenantApiHost(tenant, domain),
                http: {
                    paths: [{
                        path: "/",
                        pathType: "Prefix",
                        backend: { service: { name: vclusterRelease(tenant), port: { number: VCLUSTER_SERVICE_PORT } } },
                    }],
                },
            }],
        },
    };
}

/**
 * Admits the proxy (the Gateway's data plane or ingress-nginx) to the vCluster API port, and
 * nothing else: the tenant namespace is default-deny.
 */
export function vclusterApiNetworkPolicy(tenant: string, proxyNamespace: string): KubernetesObject {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "allow-vcluster-api-from-proxy", namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
        spec: {
            // The chart's Service selects the control plane by these labels.
            podSelector: { matchLabels: { app: "vcluster", release: vclusterRelease(tenant) } },
            policyTypes: ["Ingress"],
            ingress: [{
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": proxyNamespace } } }],
                ports: [{ protocol: "TCP", port: VCLUSTER_POD_PORT }],
            }],
        },
    };
}

/** The route of one tenant in the platform's mode: a TLSRoute, an Ingress, or nothing. */
export function tenantRoute(tenant: string, domain: string, exposure: PlatformExposureConfig): KubernetesObject | undefined {
    switch (exposure.mode) {
        case "gateway":
            return tenantTlsRoute(tenant, domain);
        case "ingress":
            // The loader fills in "nginx"; this keeps direct callers working.
            return tenantIngress(tenant, domain, exposure.ingressClassName ?? "nginx");
        case "none":
            return undefined;
    }
}

// ---------------------------------------------------------------------------------------
// vCluster chart values (loft-sh/vcluster 0.28: `controlPlane.proxy.extraSANs` and
// `exportKubeConfig.additionalSecrets`, each entry {name, namespace, context, server, insecure,
// serviceAccount}; `exportKubeConfig.secret` must then stay unset — the chart fails otherwise).

/**
 * Values to merge into the tenant's vCluster values: the serving certificate also covers
 * `<t>.<domain>`, and the vCluster writes a second kubeconfig, for outside the hub, into
 * `vc-<t>-external`. The default `vc-<t>` secret (Argo CD's, server inside the hub) is untouched.
 */
export function vclusterExposureValues(tenant: string, domain: string): Record<string, unknown> {
    const host = tenantApiHost(tenant, domain);
    return {
        controlPlane: { proxy: { extraSANs: [host] } },
        exportKubeConfig: {
            additionalSecrets: [{
                name: externalKubeconfigSecret(tenant),
                namespace: tenantNamespace(tenant),
                context: tenant,
                server: `https://${host}`,
                insecure: false,
            }],
        },
    };
}

/**
 * Deep-merges `extra` into `base` for Helm values: objects merge key by key, and the two lists
 * exposure adds to (`controlPlane.proxy.extraSANs`, `exportKubeConfig.additionalSecrets`) are
 * concatenated without duplicates rather than replaced, so Argo CD's SANs survive.
 */
export function mergeVclusterValues(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(extra)) {
        const current = out[key];
        if (Array.isArray(current) && Array.isArray(value)) {
            const seen = new Set(current.map((v) => JSON.stringify(v)));
            out[key] = [...current, ...value.filter((v) => !seen.has(JSON.stringify(v)))];
        } else if (isRecord(current) && isRecord(value)) {
            out[key] = mergeVclusterValues(current, value);
        } else {
            out[key] = value;
        }
    }
    return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------
// Kubeconfig delivery into the tenant's Vault space

/**
 * What the kubeconfig writer may do in Vault: External Secrets' Vault provider reads the current
 * value and its metadata (it overwrites only what it marked `managed-by: external-secrets`),
 * writes that mark to the metadata path, then writes the value. So: create, read, update on
 * exactly the data and metadata path of this one key, and nothing else — no list, no delete, no
 * glob. (With create/update on the data path alone, every push fails with 403 on its first read.)
 */
export function kubeconfigWriterPolicyHcl(tenant: string): string {
    return [
        `# External Secrets in ${tenantNamespace(tenant)} pushes the vCluster's kubeconfig here, and may do nothing else.`,
        `path "${kubeconfigVaultPath(tenant)}" {`,
        `  capabilities = ["create", "read", "update"]`,
        `}`,
        ``,
        `# External Secrets marks what it pushed (custom_metadata managed-by) and checks the mark before overwriting.`,
        `path "${kubeconfigVaultMetadataPath(tenant)}" {`,
        `  capabilities = ["create", "read", "update"]`,
        `}`,
        ``,
    ].join("\n");
}

/** Arguments of the writer's `vault.Policy`. */
export function kubeconfigWriterPolicy(tenant: string): { name: string; policy: string } {
    return { name: kubeconfigWriterPolicyName(tenant), policy: kubeconfigWriterPolicyHcl(tenant) };
}

/**
 * Arguments of the writer's `vault.kubernetes.AuthBackendRole`: one ServiceAccount in one
 * namespace, tokens issued for the platform's audience, the writer policy only, short-lived.
 */
export function kubeconfigWriterRole(tenant: string, args: { backend: Input<string>; audience: string }) {
    return {
        backend: args.backend,
        roleName: kubeconfigWriterPolicyName(tenant),
        boundServiceAccountNames: [KUBECONFIG_WRITER_SERVICE_ACCOUNT],
        boundServiceAccountNamespaces: [tenantNamespace(tenant)],
        audience: args.audience,
        tokenPolicies: [kubeconfigWriterPolicyName(tenant)],
        tokenTtl: TENANT_TOKEN_TTL_SECONDS,
        tokenMaxTtl: TENANT_TOKEN_TTL_SECONDS,
    };
}

/** The ServiceAccount the writer store logs in as; no pod runs as it, so it mounts no token. */
export function kubeconfigWriterServiceAccount(tenant: string): KubernetesObject {
    return {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: KUBECONFIG_WRITER_SERVICE_ACCOUNT, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
        automountServiceAccountToken: false,
    };
}

/** The SecretStore in vcluster-<t> that logs in as the writer role: it can write the kubeconfig key and nothing else. */
export function kubeconfigWriterStore(tenant: string, args: { vaultAddress: Input<string>; authPath: Input<string>; audience: string }): KubernetesObject {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "SecretStore",
        metadata: { name: KUBECONFIG_WRITER_STORE, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
        spec: {
            provider: {
                vault: {
                    server: args.vaultAddress,
                    path: tenantVaultMount(tenant),
                    version: "v2",
                    auth: {
                        kubernetes: {
                            mountPath: args.authPath,
                            role: kubeconfigWriterPolicyName(tenant),
                            serviceAccountRef: { name: KUBECONFIG_WRITER_SERVICE_ACCOUNT, audiences: [args.audience] },
                        },
                    },
                },
            },
        },
    };
}

/**
 * Pushes the outside kubeconfig (`vc-<t>-external`, key `config`) to `tenants/<t>/data/kubeconfig`,
 * field `config`. `deletionPolicy: None`: removing the PushSecret leaves the last kubeconfig in the
 * tenant's own space (the writer may not delete); its host is unreachable once exposure is off.
 */
export function kubeconfigPushSecret(tenant: string, refreshIntervalSeconds: number): KubernetesObject {
    return {
        apiVersion: "external-secrets.io/v1alpha1",
        kind: "PushSecret",
        metadata: { name: KUBECONFIG_PUSH_SECRET, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
        spec: {
            refreshInterval: `${refreshIntervalSeconds}s`,
            updatePolicy: "Replace",
            deletionPolicy: "None",
            secretStoreRefs: [{ kind: "SecretStore", name: KUBECONFIG_WRITER_STORE }],
            selector: { secret: { name: externalKubeconfigSecret(tenant) } },
            data: [{
                match: {
                    secretKey: KUBECONFIG_FIELD,
                    remoteRef: { remoteKey: KUBECONFIG_VAULT_KEY, property: KUBECONFIG_FIELD },
                },
            }],
        },
    };
}

/**
 * The part of the `platform-admin` Vault policy that rotation needs, for every tenant (`+` is
 * one path segment, the tenant's name): read a kubeconfig's versions, and soft-delete or destroy
 * old ones. It grants no read of any kubeconfig's value: admins rotate, tenants read.
 */
export function platformAdminKubeconfigRotationHcl(): string {
    return [
        `# Rotation of tenant kubeconfigs (components/tenant/exposure.ts, KUBECONFIG_ROTATION).`,
        `path "tenants/+/metadata/${KUBECONFIG_VAULT_KEY}" {`,
        `  capabilities = ["read"]`,
        `}`,
        ``,
        `path "tenants/+/delete/${KUBECONFIG_VAULT_KEY}" {`,
        `  capabilities = ["update"]`,
        `}`,
        ``,
        `path "tenants/+/destroy/${KUBECONFIG_VAULT_KEY}" {`,
        `  capabilities = ["update"]`,
        `}`,
        ``,
    ].join("\n");
}

/** What a platform admin does when a tenant's kubeconfig must be replaced (leaked, member left). */
export const KUBECONFIG_ROTATION = [
    `Only holders of the Vault policy "${PLATFORM_ADMIN_POLICY}" rotate a tenant's kubeconfig; tenants cannot (tenant-<t> reads, the writer only writes the current value).`,
    `1. Make the old credentials worthless: the kubeconfig authenticates with a client certificate signed by the vCluster's own CA, so rotate the vCluster's certificates (see the vCluster documentation for the pinned chart version); the vCluster then rewrites vc-<t>-external.`,
    `2. Wait for the push: kubectl -n vcluster-<t> get pushsecret ${KUBECONFIG_PUSH_SECRET} shows Synced with a new time, and vault kv metadata get -mount=tenants/<t> ${KUBECONFIG_VAULT_KEY} a new current_version.`,
    `3. Destroy the older versions, which KV v2 keeps and tenant-<t> can still read: vault kv destroy -mount=tenants/<t> -versions=<old versions> ${KUBECONFIG_VAULT_KEY}.`,
].join("\n");

// ---------------------------------------------------------------------------------------
// What the Tenant component registers per exposed tenant, and the hub once

/** One resource to register: its logical name (`${t}-<role>`) and its plain inputs. */
export interface PlannedResource<T> {
    name: string;
    inputs: T;
}

export interface TenantAccessPlan {
    /** `${t}-gateway-route` (TLSRoute) or `${t}-api-ingress` (Ingress). */
    route: PlannedResource<KubernetesObject>;
    /** `${t}-api-network-policy`: the proxy may reach the vCluster API port. */
    networkPolicy: PlannedResource<KubernetesObject>;
    /** `${t}-kubeconfig-writer-sa`. */
    writerServiceAccount: PlannedResource<KubernetesObject>;
    /** `${t}-kubeconfig-writer-store` (SecretStore). */
    writerStore: PlannedResource<KubernetesObject>;
    /** `${t}-kubeconfig-push` (PushSecret). */
    pushSecret: PlannedResource<KubernetesObject>;
    /** `${t}-kubeconfig-writer-policy` (vault.Policy). */
    writerPolicy: PlannedResource<{ name: string; policy: string }>;
    /** `${t}-kubeconfig-writer-role` (vault.kubernetes.AuthBackendRole). */
    writerRole: PlannedResource<ReturnType<typeof kubeconfigWriterRole>>;
    /** Merge into the vCluster's values with mergeVclusterValues. */
    vclusterValues: Record<string, unknown>;
}

export interface TenantAccessArgs {
    domain: string;
    exposure: PlatformExposureConfig;
    vaultAddress: Input<string>;
    vaultAuthPath: Input<string>;
    audience: string;
    refreshIntervalSeconds: number;
}

/** Everything one tenant's access needs, or undefined when the tenant is not exposed. */
export function tenantAccessPlan(tenant: Pick<TenantConfig, "name" | "state" | "exposure">, args: TenantAccessArgs): TenantAccessPlan | undefined {
    if (!isExposed(tenant, args.exposure)) return undefined;
    const t = tenant.name;
    const route = tenantRoute(t, args.domain, args.exposure)!;
    return {
        route: { name: args.exposure.mode === "gateway" ? `${t}-gateway-route` : `${t}-api-ingress`, inputs: route },
        networkPolicy: { name: `${t}-api-network-policy`, inputs: vclusterApiNetworkPolicy(t, proxyNamespace(args.exposure)) },
        writerServiceAccount: { name: `${t}-kubeconfig-writer-sa`, inputs: kubeconfigWriterServiceAccount(t) },
        writerStore: {
            name: `${t}-kubeconfig-writer-store`,
            inputs: kubeconfigWriterStore(t, { vaultAddress: args.vaultAddress, authPath: args.vaultAuthPath, audience: args.audience }),
        },
        pushSecret: { name: `${t}-kubeconfig-push`, inputs: kubeconfigPushSecret(t, args.refreshIntervalSeconds) },
        writerPolicy: { name: `${t}-kubeconfig-writer-policy`, inputs: kubeconfigWriterPolicy(t) },
        writerRole: { name: `${t}-kubeconfig-writer-role`, inputs: kubeconfigWriterRole(t, { backend: args.vaultAuthPath, audience: args.audience }) },
        vclusterValues: vclusterExposureValues(t, args.domain),
    };
}

/** The namespace whose pods proxy tenant traffic; the loader fills it in, this keeps direct callers working. */
export function proxyNamespace(exposure: PlatformExposureConfig): string {
    return exposure.proxyNamespace ?? (exposure.mode === "gateway" ? HUB_GATEWAY_NAMESPACE : "ingress-nginx");
}

/** The hub's shared Gateway for the stack, or undefined unless mode is `gateway` and some tenant is exposed. */
export function hubGatewayFor(config: { platform: { domain: string; exposure: PlatformExposureConfig }; tenants: readonly Pick<TenantConfig, "name" | "state" | "exposure">[] }): KubernetesObject | undefined {
    const { exposure, domain } = config.platform;
    if (exposure.mode !== "gateway" || exposure.gatewayClassName === undefined) return undefined;
    const tenants = config.tenants.filter((t) => isExposed(t, exposure)).map((t) => t.name);
    return hubGateway({ tenants, domain, gatewayClassName: exposure.gatewayClassName });
}
