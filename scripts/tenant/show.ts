// `tenant show <name>`: a tenant's entry as the program sees it (environment defaults applied),
// and what the platform creates for it, by the names components/tenant/naming.ts derives.
import { Command, Option } from "commander";
import { stringify } from "yaml";
import { isExposed, kubeconfigReadCommand } from "../../components/tenant/exposure";
import { applicationName, tenantApiHost, tenantNames } from "../../components/tenant/naming";
import { REPO_CREDENTIALS_PREFIX } from "../../stacks/contract";
import { suggest } from "../../stacks/loader";
import type { StackConfig, TenantConfig } from "../../stacks/schema";
import { UsageError } from "./errors";
import { Io, StackOptions, withStackOptions } from "./options";
import { openStackDocument, validate } from "./stack-document";

export interface Ownership {
    namespace: string;
    vcluster: { release: string; namespace: string; server: string };
    appProject?: string;
    applications: string[];
    argocdClusterSecret?: string;
    vault: { mount: string; policy?: string; readablePaths: string[]; repoCredentials: string[] };
    secretStore?: { name: string; namespace: string };
    host: { name: string; exposed: boolean; kubeconfig?: string };
    /** Whether `pulumi up` refuses to delete the namespace, vCluster and Vault mount (and retains them). */
    protected: boolean;
}

/** What the tenant has on the hub; grants only while active. */
export function ownership(tenant: TenantConfig, config: StackConfig): Ownership {
    const names = tenantNames(tenant.name);
    const active = tenant.state === "active";
    const exposed = isExposed(tenant, config.platform.exposure);
    return {
        namespace: names.namespace,
        vcluster: { release: names.release, namespace: names.namespace, server: names.server },
        ...(active ? { appProject: names.tenant, argocdClusterSecret: names.clusterSecret } : {}),
        applications: active ? tenant.applications.map((a) => applicationName(tenant.name, a.name)) : [],
        vault: {
            mount: names.vaultMount,
            ...(active ? { policy: names.vaultPolicy } : {}),
            readablePaths: active ? [`${names.vaultMount}/data/*`, `${names.vaultMount}/metadata/*`] : [],
            repoCredentials: tenant.repos.filter((r) => r.credentialsVaultKey !== undefined).map((r) => `${names.vaultMount}/data/${r.credentialsVaultKey}`),
        },
        ...(active ? { secretStore: { name: names.tenantStore, namespace: names.namespace } } : {}),
        host: { name: tenantApiHost(tenant.name, config.platform.domain), exposed, ...(exposed ? { kubeconfig: kubeconfigReadCommand(tenant.name) } : {}) },
        protected: config.platform.protectStatefulResources,
    };
}

export function showTenant(name: string, options: StackOptions & { format: "text" | "json" }, io: Io): void {
    const config = validate(openStackDocument(options.stack, options.root), false);
    const index = config.tenants.findIndex((t) => t.name === name);
    if (index < 0) {
        const names = config.tenants.map((t) => t.name);
        throw new UsageError(`no tenant "${name}" in Pulumi.${options.stack}.yaml${suggest(name, names)}; tenants there: ${names.join(", ") || "(none)"}`);
    }
    const tenant = config.tenants[index];
    const owns = ownership(tenant, config);
    if (options.format === "json") {
        io.out(JSON.stringify({ stack: options.stack, entry: `tenants[${index}]`, environment: config.platform.environment, config: tenant, owns }, null, 2));
        return;
    }
    const why = tenant.state !== "active" ? `it is ${tenant.state}` : config.platform.exposure.mode === "none" ? `platform.exposure.mode is "none"` : `tenants[${index}].exposure.enabled is false`;
    const lines = [
        `tenant "${name}": tenants[${index}] of Pulumi.${options.stack}.yaml (environment ${config.platform.environment}), ${tenant.state}`,
        "",
        "config, with the environment's defaults applied:",
        ...stringify(tenant, { lineWidth: 0 }).trimEnd().split("\n").map((l) => `  ${l}`),
        "",
        "on the hub:",
        `  namespace        ${owns.namespace}`,
        `  vCluster         Helm release ${owns.vcluster.release} in ${owns.vcluster.namespace}; Argo CD reaches it at ${owns.vcluster.server}`,
        `  Argo CD          ${owns.appProject ? `AppProject ${owns.appProject}; cluster secret argocd/${owns.argocdClusterSecret}; Applications ${owns.applications.join(", ") || "(none)"}` : "nothing (decommissioned: no AppProject, registration or Applications)"}`,
        `  Vault            KV v2 mount ${owns.vault.mount}${owns.vault.policy ? `; policy and Kubernetes-auth role ${owns.vault.policy} read ${owns.vault.readablePaths.join(" and ")}` : " (no policy or role while decommissioned)"}`,
        ...(owns.vault.repoCredentials.length > 0 ? [`                   repository credentials (under ${REPO_CREDENTIALS_PREFIX}): ${owns.vault.repoCredentials.join(", ")}`] : []),
        `  SecretStore      ${owns.secretStore ? `${owns.secretStore.name} in ${owns.secretStore.namespace}` : "none while decommissioned"}`,
        `  vCluster API     https://${owns.host.name}${owns.host.exposed ? `; kubeconfig: ${owns.host.kubeconfig}` : ` (not reachable from outside the hub: ${why})`}`,
        `  protection       ${owns.protected ? "namespace, vCluster and Vault mount are protected from deletion and retained on delete" : "none: pulumi up deletes what the config no longer has"}`,
    ];
    for (const line of lines) io.out(line);
}

export function showCommand(io: Io): Command {
    return withStackOptions(new Command("show"), "read")
        .description("show a tenant's config with defaults applied, and what it owns on the hub")
        .argument("<name>", "tenant name")
        .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
        .action((name: string, options: StackOptions & { format: "text" | "json" }) => showTenant(name, options, io));
}
