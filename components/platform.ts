// Wires the hub add-ons and the tenants together. index.ts calls `createPlatform` with the
// loaded stack config; the sharded layout (a hub stack plus tenant stacks) calls
// `createHub` and `createTenants` separately. Components never read config themselves.
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import type { PlatformConfig, StackConfig } from "../stacks/schema";
import type { StackSecrets } from "../stacks/stack-config";
import { ArgoCd } from "./hub/argocd";
import { CertManager } from "./hub/cert-manager";
import { ExternalSecrets } from "./hub/external-secrets";
import { Kyverno } from "./hub/kyverno";
import { STORE_VAULT_CA, VaultCaDistribution } from "./hub/vault-ca";
import { VaultConfig } from "./hub/vault-config";
import { VaultServer } from "./hub/vault-server";
import { TenantGateway } from "./hub/tenant-gateway";
import { TenantPlacement } from "./hub/tenant-placement";
import { isExposed } from "./tenant/exposure";
import { HubContext, Tenant } from "./tenant/tenant";

export interface Hub {
    certManager: CertManager;
    vaultServer?: VaultServer;
    vaultConfig?: VaultConfig;
    vaultProvider?: vault.Provider;
    externalSecrets: ExternalSecrets;
    kyverno: Kyverno;
    argocd: ArgoCd;
    /** What tenants need from the hub, as plain values and resources to wait for. */
    context: HubContext;
}

/** Vault on the hub (unless external), Pulumi's provider for it once it is initialised, and its platform configuration. */
function createVault(platform: PlatformConfig, secrets: StackSecrets, certManager: CertManager): Pick<Hub, "vaultServer" | "vaultProvider" | "vaultConfig"> {
    const protect = platform.protectStatefulResources;
    const vaultServer = platform.vault.mode === "external" ? undefined : new VaultServer("vault", {
        environment: platform.environment,
        mode: platform.vault.mode,
        replicas: platform.vault.replicas,
        storageGiB: platform.vault.storageGiB,
        autoUnseal: platform.vault.autoUnseal,
        devRootToken: platform.vault.mode === "dev" ? secrets.vaultToken : undefined,
        // In-cluster names (vault.vault.svc) need the platform CA; ACME cannot issue for them.
        clusterIssuerName: certManager.internalIssuerName,
        protect,
    }, { dependsOn: [certManager] });

    // Pulumi talks to Vault through one explicit provider, once Vault is initialised.
    const vaultProvider = platform.vault.initialized
        ? vaultProviderFor(platform, secrets, { dependsOn: vaultServer ? [vaultServer] : [] })
        : undefined;

    const vaultConfig = vaultProvider ? new VaultConfig("vault-config", {
        kubernetesHost: platform.vault.kubernetesHost,
        audience: platform.vault.audience,
        protect,
    }, { provider: vaultProvider }) : undefined;
    return { vaultServer, vaultProvider, vaultConfig };
}

export function createHub(config: StackConfig, secrets: StackSecrets, tenantCount: number): Hub {
    const { platform } = config;
    const certManager = new CertManager("cert-manager", {
        environment: platform.environment,
        issuer: platform.certManager.issuer,
    });
    const { vaultServer, vaultProvider, vaultConfig } = createVault(platform, secrets, certManager);

    const externalSecrets = new ExternalSecrets("external-secrets", {
        environment: platform.environment,
        replicas: platform.externalSecrets.replicas,
        vaultAddress: platform.vault.inClusterAddress,
        vaultAuthPath: VaultConfig.authPath,
        vaultRole: VaultConfig.externalSecretsRole,
        audience: platform.vault.audience,
        vaultCaProvider: vaultServer?.caProvider,
    }, { dependsOn: vaultConfig ? [vaultConfig] : [] });

    const kyverno = new Kyverno("kyverno", {
        environment: platform.environment,
        admissionReplicas: platform.kyverno.admissionReplicas,
        validationFailureAction: platform.kyverno.validationFailureAction,
        policyReporter: platform.kyverno.policyReporter,
        allowedRegistries: platform.compliance.allowedRegistries,
        domain: platform.domain,
        clusterIssuerName: certManager.clusterIssuerName,
    });

    // Tenant pods on tenant nodes, enforced on the hub (a plain decision from config).
    if (platform.tenantNodes) {
        new TenantPlacement("tenant-placement", { environment: platform.environment, tenantNodes: platform.tenantNodes }, { dependsOn: [kyverno] });
    }

    const argocd = new ArgoCd("argocd", {
        environment: platform.environment,
        domain: platform.domain,
        ...platform.argocd,
        kyvernoAdmissionReplicas: platform.kyverno.admissionReplicas,
        tenantCount,
        clusterIssuerName: certManager.clusterIssuerName,
        platformSecretStore: externalSecrets.clusterSecretStoreName,
        refreshIntervalSeconds: platform.externalSecrets.refreshIntervalSeconds,
    }, { dependsOn: [certManager, externalSecrets] });

    // The tenants' and Argo CD's namespaced stores need an HA Vault's CA in their own namespace.
    // After Argo CD: hub admission skips platform namespaces, so Kyverno writes argocd's copy
    // when the policy is created (generateExisting), which needs the namespace to exist.
    if (vaultServer && platform.vault.mode === "ha") {
        new VaultCaDistribution("vault-ca", { environment: platform.environment, argocdNamespace: ArgoCd.namespace }, { dependsOn: [kyverno, vaultServer, argocd] });
    }

    const context = hubContext(platform, [argocd, externalSecrets]);
    return { certManager, vaultServer, vaultConfig, vaultProvider, externalSecrets, kyverno, argocd, context };
}

/** What tenants need from the hub; in a tenant shard the same values come from the hub stack. */
export function hubContext(platform: PlatformConfig, dependsOn: pulumi.Resource[]): HubContext {
    return {
        environment: platform.environment,
        domain: platform.domain,
        argocdNamespace: ArgoCd.namespace,
        vaultAddress: platform.vault.inClusterAddress,
        vaultAuthPath: VaultConfig.authPath,
        // An HA Vault's certificate is signed by the platform CA; each namespace's copy comes from VaultCaDistribution.
        ...(platform.vault.mode === "ha" ? { vaultCaProvider: STORE_VAULT_CA } : {}),
        audience: platform.vault.audience,
        refreshIntervalSeconds: platform.externalSecrets.refreshIntervalSeconds,
        protect: platform.protectStatefulResources,
        exposure: platform.exposure,
        tenantNodes: platform.tenantNodes,
        apiServerEndpoints: platform.hubApiServer?.endpoints,
        dependsOn,
    };
}

/** Pulumi's one Vault provider. Without gitops-hub:vaultToken it reads VAULT_TOKEN from the environment of `pulumi up`. */
export function vaultProviderFor(platform: PlatformConfig, secrets: StackSecrets, opts?: pulumi.CustomResourceOptions): vault.Provider {
    return new vault.Provider("vault", { address: platform.vault.address, token: secrets.vaultToken, skipChildToken: true }, opts);
}

/**
 * A tenant shard (`tenants-<shard>` stack): the tenants of its own config on the platform of
 * the hub stack, whose output `platformConfig` it reads. The hub is deployed by its own stack, so
 * nothing here waits on hub resources.
 */
export function createTenantShard(config: StackConfig, secrets: StackSecrets): Tenant[] {
    const provider = vaultProviderFor(config.platform, secrets);
    return createTenants(config, hubContext(config.platform, []), provider);
}

export function createTenants(config: StackConfig, context: HubContext, vaultProvider: vault.Provider | undefined): Tenant[] {
    // The loader admits tenants only with an initialised Vault, so there is a provider for them.
    const tenants = config.tenants.map((tenant) => new Tenant(tenant.name, { tenant, hub: context }, {
        providers: { vault: vaultProvider! },
    }));
    // The shared Gateway lists exactly the exposed tenants this stack owns; it exists only in
    // gateway mode with at least one exposed tenant (a plain decision from config).
    const { exposure } = context;
    const exposed = config.tenants.filter((t) => isExposed(t, exposure)).map((t) => t.name);
    if (exposure.mode === "gateway" && exposed.length > 0) {
        new TenantGateway("tenant-gateway", { environment: context.environment, domain: context.domain, gatewayClassName: exposure.gatewayClassName, tenants: exposed });
    }
    return tenants;
}

export function createPlatform(config: StackConfig, secrets: StackSecrets) {
    const hub = createHub(config, secrets, config.tenants.length);
    const tenants = createTenants(config, hub.context, hub.vaultProvider);
    return { hub, tenants };
}

export type Platform = ReturnType<typeof createPlatform>;
export type { pulumi };
