// The stack's entry point: load and validate the config (nothing is registered when it is
// invalid), build the platform, export what operators need.
import * as pulumi from "@pulumi/pulumi";
import { createPlatform } from "./components/platform";
import { loadStack } from "./stacks/stack-config";

const { config, secrets } = loadStack();
const { hub, tenants } = createPlatform(config, secrets);

export const environment = config.platform.environment;
export const argocdUrl = hub.argocd.url;
export const argocdSizingProfile = hub.argocd.sizingProfile;
/** The runtime ClusterPolicies of the hub; the spokes get the same through git (`npm run plan -- --out`). */
export const kyvernoClusterPolicies = hub.kyverno.clusterPolicies;
export const vaultAddress = config.platform.vault.inClusterAddress ?? hub.vaultServer!.inClusterAddress;
export const platformSecretStore = hub.externalSecrets.clusterSecretStoreName;
export const clusterIssuer = hub.certManager.clusterIssuerName;
export const vaultNextSteps = hub.vaultServer?.nextSteps(config.platform.vault.initialized) ?? "Vault is external; nothing to initialise.";
export const tenantNames = tenants.map((t) => t.tenantName);
export const tenantStores = pulumi.output(Object.fromEntries(tenants.map((t) => [t.tenantName, t.secretStoreName])));
