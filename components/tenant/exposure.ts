// Tenant access from outside the hub: how a team reaches its own vCluster API at
// `<t>.<platform.domain>`, and how the kubeconfig for it reaches the team (and only the team).
// Pure builders over the tenant's own (manifests.ts, vault-policy.ts): plain manifests, Vault
// policy text and role arguments, and the section of the tenant's resources (resources.ts) they
// make; the hub's shared Gateway is hub/tenant-gateway.ts.
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
import { tenantNamespace, tenantVaultMount } from "../../policy-pack/catalog/core/conventions";
import type { GatewayExposure, IngressExposure, PlatformExposureConfig, TenantConfig } from "../../stacks/schema";
import { HUB_GATEWAY_NAME, HUB_GATEWAY_NAMESPACE } from "../hub/tenant-gateway";
import type { Manifest } from "../manifest";
import { ManifestContext, tenantLabels, vaultStoreManifests } from "./manifests";
import {
    KUBECONFIG_FIELD, KUBECONFIG_PUSH_SECRET, KUBECONFIG_VAULT_KEY, VCLUSTER_API_PORT, VCLUSTER_SERVICE_PORT,
    externalKubeconfigSecret, kubeconfigVaultMetadataPath, kubeconfigVaultPath, kubeconfigWriterPolicyName, tenantApiHost, tenantNames,
} from "./naming";
import type { TenantResource } from "./resources";
import { kubernetes } from "./resources";
import { vaultRole } from "./vault-policy";

/** The command a tenant member runs to read the kubeconfig with the Vault CLI. */
export function kubeconfigReadCommand(tenant: string): string {
    return `vault kv get -mount=${tenantVaultMount(tenant)} -field=${KUBECONFIG_FIELD} ${KUBECONFIG_VAULT_KEY}`;
}

/** Whether the tenant's vCluster is reachable from outside: asked for, and the tenant is active (decommissioning removes every grant). */
export function isExposed(tenant: Pick<TenantConfig, "state" | "exposure">, exposure: Pick<PlatformExposureConfig, "mode">): boolean {
    return exposure.mode !== "none" && tenant.state === "active" && tenant.exposure.enabled;
}

// ---------------------------------------------------------------------------------------
// Gateway mode (the shared Gateway itself is the hub's: hub/tenant-gateway.ts)

/** The tenant's TLSRoute: `<t>.<domain>` on its own listener of the shared Gateway, to the vCluster Service. */
export function tenantTlsRoute(tenant: string, ctx: ManifestContext): Manifest {
    return {
        apiVersion: "gateway.networking.k8s.io/v1alpha2",
        kind: "TLSRoute",
        metadata: { name: "vcluster-api", namespace: tenantNamespace(tenant), labels: tenantLabels(tenant, ctx) },
        spec: {
            parentRefs: [{
                group: "gateway.networking.k8s.io",
                kind: "Gateway",
                name: HUB_GATEWAY_NAME,
                namespace: HUB_GATEWAY_NAMESPACE,
                sectionName: tenant,
            }],
            hostnames: [tenantApiHost(tenant, ctx.domain)],
            rules: [{ backendRefs: [{ name: tenantNames(tenant).release, port: VCLUSTER_SERVICE_PORT }] }],
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
export function tenantIngress(tenant: string, ctx: ManifestContext, exposure: IngressExposure): Manifest {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
            name: "vcluster-api",
            namespace: tenantNamespace(tenant),
            labels: tenantLabels(tenant, ctx),
            annotations: {
                "nginx.ingress.kubernetes.io/ssl-passthrough": "true",
                "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS",
            },
        },
        spec: {
            ingressClassName: exposure.ingressClassName,
            rules: [{
                host: tenantApiHost(tenant, ctx.domain),
                http: {
                    paths: [{
                        path: "/",
                        pathType: "Prefix",
                        backend: { service: { name: tenantNames(tenant).release, port: { number: VCLUSTER_SERVICE_PORT } } },
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
export function vclusterApiNetworkPolicy(tenant: string, ctx: ManifestContext, exposure: GatewayExposure | IngressExposure): Manifest {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "allow-vcluster-api-from-proxy", namespace: tenantNamespace(tenant), labels: tenantLabels(tenant, ctx) },
        spec: {
            // The chart's Service selects the control plane by these labels.
            podSelector: { matchLabels: { app: "vcluster", release: tenantNames(tenant).release } },
            policyTypes: ["Ingress"],
            ingress: [{
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": exposure.proxyNamespace } } }],
                ports: [{ protocol: "TCP", port: VCLUSTER_API_PORT }],
            }],
        },
    };
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
 * The writer's store in vcluster-<t>, logging in to Vault as the writer role with a
 * ServiceAccount no pod runs as: it can write the kubeconfig key and nothing else.
 */
export function kubeconfigWriterStoreManifests(tenant: TenantConfig, ctx: ManifestContext): { serviceAccount: Manifest; store: Manifest } {
    const names = tenantNames(tenant.name);
    return vaultStoreManifests(tenant, ctx, {
        namespace: names.namespace, serviceAccount: names.kubeconfigWriter, store: names.kubeconfigWriter, role: names.kubeconfigWriterPolicy,
    });
}

/**
 * Pushes the outside kubeconfig (`vc-<t>-external`, key `config`) to `tenants/<t>/data/kubeconfig`,
 * field `config`. `deletionPolicy: None`: removing the PushSecret leaves the last kubeconfig in the
 * tenant's own space (the writer may not delete); its host is unreachable once exposure is off.
 */
export function kubeconfigPushSecret(tenant: string, ctx: ManifestContext): Manifest {
    return {
        apiVersion: "external-secrets.io/v1alpha1",
        kind: "PushSecret",
        metadata: { name: KUBECONFIG_PUSH_SECRET, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant, ctx) },
        spec: {
            refreshInterval: `${ctx.refreshIntervalSeconds}s`,
            updatePolicy: "Replace",
            deletionPolicy: "None",
            secretStoreRefs: [{ kind: "SecretStore", name: tenantNames(tenant).kubeconfigWriter }],
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

// ---------------------------------------------------------------------------------------
// The tenant's resources for access from outside the hub (one section of resources.ts)

/** What an exposed tenant registers under the Tenant component `name`: route, NetworkPolicy, and the kubeconfig's way into its Vault space. */
export function accessResources(name: string, tenant: TenantConfig, ctx: ManifestContext): TenantResource[] {
    const { exposure } = ctx;
    if (exposure.mode === "none") return [];
    const t = tenant.name;
    const writer = kubeconfigWriterStoreManifests(tenant, ctx);
    const names = tenantNames(t);
    const [account, policy, role, store] = ["kubeconfig-writer-sa", "kubeconfig-writer-policy", "kubeconfig-writer-role", "kubeconfig-writer-store"].map((r) => `${name}-${r}`);
    const route = exposure.mode === "gateway"
        ? kubernetes(`${name}-gateway-route`, tenantTlsRoute(t, ctx), [`${name}-namespace`, `${name}-vcluster`])
        : kubernetes(`${name}-api-ingress`, tenantIngress(t, ctx, exposure), [`${name}-namespace`, `${name}-vcluster`]);
    return [
        route,
        kubernetes(`${name}-api-network-policy`, vclusterApiNetworkPolicy(t, ctx, exposure), [`${name}-namespace`]),
        kubernetes(account, writer.serviceAccount, [`${name}-namespace`]),
        { type: "vault-policy", name: policy, dependsOn: [], args: kubeconfigWriterPolicy(t) },
        { type: "vault-role", name: role, dependsOn: [policy], afterHub: true, args: vaultRole(names.kubeconfigWriterPolicy, names.kubeconfigWriter, names.namespace, ctx) },
        kubernetes(store, writer.store, [account, role], { afterHub: true }),
        kubernetes(`${name}-kubeconfig-push`, kubeconfigPushSecret(t, ctx), [store, `${name}-vcluster`, `${name}-vault-mount`], { afterHub: true }),
    ];
}
