// Vault's platform configuration: Kubernetes auth, the platform's KV v2 mount, a read-only
// policy for it, and the role External Secrets logs in with. Every child goes through the Vault
// provider the caller passes in `opts.provider`; children inherit it from this component.
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { PLATFORM_VAULT_MOUNT } from "../../policy-pack/catalog/core/conventions";

export interface VaultConfigArgs {
    /** API server address Vault uses to review service-account tokens. */
    readonly kubernetesHost: string;
    /** Audience the service-account tokens must carry (Vault rejects roles without one). */
    readonly audience: string;
    /** Protect the platform mount (and the secrets in it) from deletion. */
    readonly protect: boolean;
}

/** `iss` of the hub's service-account tokens: the API server's default. */
const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";
/** Lifetime of the tokens External Secrets gets: ten minutes, it logs in again. */
const TOKEN_TTL_SECONDS = 600;

/** Vault policy that reads the platform mount and nothing else. */
export const PLATFORM_READ_POLICY = "platform-read";

/** The HCL of `platform-read`: read (and list) the platform's KV v2 data and metadata only. */
export function platformReadPolicy(mount: string = PLATFORM_VAULT_MOUNT): string {
    return [
        `path "${mount}/data/*" {`,
        '  capabilities = ["read"]',
        "}",
        "",
        `path "${mount}/metadata/*" {`,
        '  capabilities = ["read", "list"]',
        "}",
        "",
    ].join("\n");
}

export class VaultConfig extends pulumi.ComponentResource {
    /** Mount path of the Kubernetes auth method. */
    static readonly authPath = "kubernetes";
    /** Kubernetes-auth role External Secrets' controller logs in with. */
    static readonly externalSecretsRole = "external-secrets";
    /** Service account and namespace bound to that role (the external-secrets chart's own). */
    static readonly externalSecretsServiceAccount = { name: "external-secrets", namespace: "external-secrets" } as const;

    readonly platformMount: string;

    constructor(name: string, args: VaultConfigArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:VaultConfig", name, {}, opts);
        if (!opts?.provider && !opts?.providers) {
            // Falling back to the default provider would configure whatever VAULT_ADDR points at.
            throw new Error(`VaultConfig "${name}" needs the hub's Vault provider in opts.provider`);
        }

        const auth = new vault.AuthBackend(`${name}-kubernetes-auth`, {
            type: "kubernetes",
            path: VaultConfig.authPath,
            description: "Service accounts of the hub cluster",
        }, { parent: this });

        const authConfig = new vault.kubernetes.AuthBackendConfig(`${name}-kubernetes-auth-config`, {
            backend: auth.path,
            kubernetesHost: args.kubernetesHost,
            // Vault runs in the hub and reviews tokens with its own service account's token and CA.
            disableLocalCaJwt: false,
            issuer: SERVICE_ACCOUNT_ISSUER,
        }, { parent: this });

        const mount = new vault.Mount(`${name}-platform-mount`, {
            path: PLATFORM_VAULT_MOUNT,
            type: "kv",
            options: { version: "2" },
            description: "Platform secrets (Argo CD OIDC client secret, …), read by External Secrets",
        }, { parent: this, protect: args.protect, retainOnDelete: args.protect });

        const policy = new vault.Policy(`${name}-platform-read-policy`, {
            name: PLATFORM_READ_POLICY,
            policy: platformReadPolicy(PLATFORM_VAULT_MOUNT),
        }, { parent: this, dependsOn: [mount] });

        new vault.kubernetes.AuthBackendRole(`${name}-external-secrets-role`, {
            backend: auth.path,
            roleName: VaultConfig.externalSecretsRole,
            boundServiceAccountNames: [VaultConfig.externalSecretsServiceAccount.name],
            boundServiceAccountNamespaces: [VaultConfig.externalSecretsServiceAccount.namespace],
            audience: args.audience,
            tokenPolicies: [policy.name],
            tokenTtl: TOKEN_TTL_SECONDS,
            tokenMaxTtl: TOKEN_TTL_SECONDS * 2,
        }, { parent: this, dependsOn: [authConfig] });

        this.platformMount = PLATFORM_VAULT_MOUNT;
        this.registerOutputs({ platformMount: this.platformMount });
    }
}
