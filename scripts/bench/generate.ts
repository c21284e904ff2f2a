// Synthetic but realistic tenant entries for `npm run bench`: what a typical team's entry in
// `Pulumi.<stack>.yaml` looks like (a public git repo, a private OCI chart repo whose
// credentials live in Vault, one app from each, a quota, both add-ons on). Pure and
// deterministic: the same count always yields the same config, so runs are comparable.

/** A raw tenant entry, as it would appear under `gitops-hub:tenants` (before defaults). */
export type RawTenant = Record<string, unknown>;

/** Quotas cycle through three team sizes so not every entry is identical. */
const QUOTAS = [
    { cpu: "2", memory: "4Gi", pods: 20, storageGiB: 10 },
    { cpu: "4", memory: "8Gi", pods: 40, storageGiB: 20 },
    { cpu: "8", memory: "16Gi", pods: 80, storageGiB: 50 },
] as const;

/** Name of the tenant at `index` (0-based) among `count`, e.g. `team-0042`. */
export function tenantName(index: number, count: number): string {
    const width = Math.max(4, String(count).length);
    return `team-${String(index + 1).padStart(width, "0")}`;
}

/** One tenant entry with two repos (one private), two applications, a quota and both add-ons. */
export function generateTenant(index: number, count: number): RawTenant {
    const name = tenantName(index, count);
    const gitRepo = `https://github.com/acme/${name}-apps.git`;
    const chartRepo = `oci://ghcr.io/acme/${name}/charts`;
    return {
        name,
        ownerGroups: [`${name}-admins`],
        repos: [
            { url: gitRepo, type: "git" },
            { url: chartRepo, type: "oci", credentialsVaultKey: `repos/${name}-ghcr` },
        ],
        applications: [
            { name: "webapp", repoURL: gitRepo, path: "apps/webapp", targetRevision: "main", namespace: "webapp" },
            { name: "api", repoURL: chartRepo, chart: "api", targetRevision: "1.4.2", namespace: "api" },
        ],
        vcluster: { kubernetesVersion: "1.33", quota: { ...QUOTAS[index % QUOTAS.length] } },
        addons: { kyverno: true, "kyverno-policies": true },
    };
}

/** `count` tenant entries, `team-0001` … */
export function generateTenants(count: number): RawTenant[] {
    if (!Number.isInteger(count) || count < 0) {
        throw new Error(`tenant count ${JSON.stringify(count)} must be a whole number of at least 0, e.g. 1000`);
    }
    return Array.from({ length: count }, (_, index) => generateTenant(index, count));
}

/**
 * A stack's plain config (`platform`, `tenants`, … as read by stack-file.ts) with its tenants
 * replaced by `count` generated ones; every other key is kept as the stack file has it.
 */
export function generateStackConfig(base: Readonly<Record<string, unknown>>, count: number): Record<string, unknown> {
    return { ...base, tenants: generateTenants(count) };
}
