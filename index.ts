// The stack's entry point: load and validate the config (nothing is registered when it is
// invalid), build the platform, export what operators need.
//
// Two layouts share this program and the same components:
//   - a platform stack (`gitops-hub:platform`, optionally with `gitops-hub:tenants`): the hub and
//     its tenants; with no tenants it is the hub of a sharded layout;
//   - a tenant shard (`gitops-hub:hubStack` + `gitops-hub:tenants`): some tenants on the platform
//     of the hub stack, read through a StackReference (README, "Scale").
// The program is an async function so a shard can read the hub's outputs as plain values
// before deciding which resources exist.
import * as pulumi from "@pulumi/pulumi";
import { createPlatform, createTenantShard } from "./components/platform";
import type { Tenant } from "./components/tenant/tenant";
import { ConfigError, parseStackConfig, shardHubStack, shardProblems } from "./stacks/loader";
import { loadStack, readRawStackConfig, readSecrets } from "./stacks/stack-config";

export = async () => {
    const raw = readRawStackConfig();
    const hubStack = shardHubStack(raw);
    if (hubStack !== undefined) {
        const hub = new pulumi.StackReference("hub", { name: hubStack });
        const platform = (await hub.getOutputDetails("platformConfig")).value;
        if (platform === undefined) {
            throw new ConfigError([`gitops-hub:hubStack "${hubStack}" exports no platformConfig; deploy the hub stack first (pulumi up -s ${hubStack})`]);
        }
        const config = parseStackConfig({ values: { platform, tenants: raw.values.tenants }, secretsSet: raw.secretsSet });
        const problems = shardProblems(config);
        if (problems.length > 0) throw new ConfigError(problems);
        const tenants = createTenantShard(config, readSecrets(raw));
        return { environment: config.platform.environment, hubStack, ...tenantOutputs(tenants) };
    }

    const { config, secrets } = loadStack(raw);
    const { hub, tenants } = createPlatform(config, secrets);
    return {
        environment: config.platform.environment,
        argocdUrl: hub.argocd.url,
        argocdSizingProfile: hub.argocd.sizingProfile,
        /** The runtime ClusterPolicies of the hub; the spokes get the same through git (`npm run plan -- --out`). */
        kyvernoClusterPolicies: hub.kyverno.clusterPolicies,
        vaultAddress: config.platform.vault.inClusterAddress,
        platformSecretStore: hub.externalSecrets.clusterSecretStoreName,
        clusterIssuer: hub.certManager.clusterIssuerName,
        vaultNextSteps: hub.vaultServer?.nextSteps(config.platform.vault.initialized) ?? "Vault is external; nothing to initialise.",
        /** The validated platform settings (no secrets in them), for tenant shard stacks. */
        platformConfig: config.platform,
        ...tenantOutputs(tenants),
    };
};

function tenantOutputs(tenants: Tenant[]) {
    return {
        tenantNames: tenants.map((t) => t.tenantName),
        tenantStores: Object.fromEntries(tenants.map((t) => [t.tenantName, t.secretStoreName])),
    };
}
