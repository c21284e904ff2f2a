// Per-environment defaults, the loader's to apply: dev is small and forgiving, prod is HA and
// strict (README, "What each stack deploys"). A stack's own settings always win; lists replace,
// objects merge.
import type { Environment } from "./schema";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function platformDefaults(environment: Environment): JsonObject {
    const prod = environment === "prod";
    return {
        protectStatefulResources: prod,
        certManager: { issuer: { type: "selfSigned" } },
        vault: {
            mode: prod ? "ha" : "dev",
            // Pulumi reaches an in-cluster Vault through `kubectl port-forward -n vault svc/vault 8200`.
            address: prod ? "https://127.0.0.1:8200" : "http://127.0.0.1:8200",
            // A dev server is initialised and unsealed when it starts; an HA one is not.
            initialized: !prod,
            replicas: prod ? 3 : 1,
            storageGiB: prod ? 20 : 1,
            audience: "vault",
            kubernetesHost: "https://kubernetes.default.svc",
        },
        externalSecrets: { replicas: prod ? 2 : 1, refreshIntervalSeconds: prod ? 300 : 60 },
        kyverno: {
            admissionReplicas: prod ? 3 : 1,
            validationFailureAction: prod ? "Enforce" : "Audit",
            policyReporter: true,
        },
        argocd: {
            ingressClassName: "nginx",
            ha: prod,
            adminGroups: [],
            readOnlyGroups: [],
            sizing: "auto",
        },
        // Nothing is reachable from outside the hub until a stack says how.
        exposure: { mode: "none" },
    };
}

/** Defaults of one tenant entry; ACME issuer defaults are filled in only when `type: acme`. */
export function tenantDefaults(environment: Environment): JsonObject {
    const prod = environment === "prod";
    return {
        state: "active",
        repos: [],
        applications: [],
        vcluster: {
            kubernetesVersion: "1.33",
            quota: prod
                ? { cpu: "8", memory: "16Gi", pods: 100, storageGiB: 100 }
                : { cpu: "2", memory: "4Gi", pods: 20, storageGiB: 10 },
            podSecurityStandard: prod ? "restricted" : "baseline",
        },
        addons: { kyverno: true, "kyverno-policies": true },
        syncWindows: [],
        exposure: { enabled: false },
        argocd: { exec: false },
    };
}

/** Sync options of a tenant Application whose entry sets none (its own list replaces these). */
export const DEFAULT_SYNC_OPTIONS = [
    "CreateNamespace=false",
    "PruneLast=true",
    "FailOnSharedResource=true",
    "RespectIgnoreDifferences=true",
    "ApplyOutOfSyncOnly=true",
] as const;

export const ACME_DEFAULTS: JsonObject = {
    server: "https://acme-v02.api.letsencrypt.org/directory",
    ingressClassName: "nginx",
};

/** Filled in only when `platform.exposure.mode` is `ingress`. */
export const INGRESS_EXPOSURE_DEFAULTS: JsonObject = {
    ingressClassName: "nginx",
    proxyNamespace: "ingress-nginx",
};

/**
 * Filled in only when `platform.exposure.mode` is `gateway`: the namespace of the shared Gateway
 * (HUB_GATEWAY_NAMESPACE in components/hub/tenant-gateway.ts), where controllers such as Istio or
 * NGINX Gateway Fabric run its data plane. Envoy Gateway runs it in `envoy-gateway-system`.
 */
export const GATEWAY_EXPOSURE_DEFAULTS: JsonObject = {
    proxyNamespace: "tenant-gateway",
};

/** Deep merge: `over` wins, objects merge key by key, everything else (lists too) replaces. */
export function mergeDefaults(defaults: unknown, over: unknown): unknown {
    if (over === undefined) return defaults;
    if (isPlainObject(defaults) && isPlainObject(over)) {
        const merged: Record<string, unknown> = { ...defaults };
        for (const [key, value] of Object.entries(over)) {
            merged[key] = mergeDefaults(defaults[key], value);
        }
        return merged;
    }
    return over;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
