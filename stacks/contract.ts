// What the config layer and the components agree on: the loader checks a stack's config against
// these and resolves defaults with them; the components build with them. stacks/ imports nothing
// from components/, so the constants both need live here.

/** Prefix under a tenant's Vault mount holding repository credentials (`credentialsVaultKey`). */
export const REPO_CREDENTIALS_PREFIX = "repos/";

/**
 * Exact `ghcr.io/loft-sh/kubernetes` image tag per Kubernetes minor version the pinned vCluster
 * chart (components/versions.ts) supports. A tenant's `vcluster.kubernetesVersion` must be one of
 * these keys (the loader says so); bump the tags together with CHARTS.vcluster.
 */
export const VCLUSTER_KUBERNETES_IMAGE_TAGS: Readonly<Record<string, string>> = {
    "1.32": "v1.32.1",
    "1.33": "v1.33.4",
};

/**
 * Joins a tenant's name to what it names. Tenant names (and application and add-on names) are
 * DNS-1123 labels, which never contain a dot, so `<tenant>.<app>` splits back into one tenant and
 * one app: `team` + `a-web` and `team-a` + `web` cannot meet, as they did as `team-a-web`.
 */
export const NAME_SEPARATOR = ".";

/** Argo CD Application name of a tenant app: `<tenant>.<app>` (the loader keeps it within 63 characters). */
export function applicationName(tenant: string, app: string): string {
    return `${tenant}${NAME_SEPARATOR}${app}`;
}

/** The host name of the tenant's vCluster API outside the hub (the loader checks it against the platform's own). */
export function tenantApiHost(tenant: string, domain: string): string {
    return `${tenant}.${domain}`;
}

/** Argo CD's host name unless `platform.argocd.hostname` names one (the loader checks it against tenant host names). */
export function defaultArgoCdHost(domain: string): string {
    return `argocd.${domain}`;
}

/** The Vault Service an in-cluster Vault (`dev` or `ha`) answers on: the vault chart's release in its namespace. */
export const VAULT_SERVICE = { name: "vault", namespace: "vault", port: 8200 } as const;

/** Address External Secrets reaches an in-cluster Vault at: plain HTTP for a dev server, TLS for HA. */
export function inClusterVaultAddress(mode: "dev" | "ha"): string {
    return `${mode === "ha" ? "https" : "http"}://${VAULT_SERVICE.name}.${VAULT_SERVICE.namespace}.svc:${VAULT_SERVICE.port}`;
}
