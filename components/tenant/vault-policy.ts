// Vault policy documents of a tenant, as exact HCL text. Pure: tests and the policy pack's
// vault-tenant-policy-scoped rule read the same text Vault gets.
import { tenantVaultMount } from "../../policy-pack/catalog/core/conventions";
import { REPO_CREDENTIALS_PREFIX } from "../../stacks/contract";
import { tenantNames } from "./naming";

/**
 * The tenant's whole KV v2 space, read-only: the tenant's own SecretStore reads from it; the
 * tenant's owners write to it through Vault itself, never through this policy. No `sudo`, no
 * path outside `tenants/<t>/`.
 */
export function tenantPolicyHcl(tenant: string): string {
    const mount = tenantVaultMount(tenant);
    return [
        `path "${mount}/data/*" {`,
        `  capabilities = ["read", "list"]`,
        `}`,
        ``,
        `path "${mount}/metadata/*" {`,
        `  capabilities = ["read", "list"]`,
        `}`,
        ``,
    ].join("\n");
}


/**
 * What Argo CD's repository reader for the tenant may read: the current version of keys under
 * `repos/` and nothing else of the tenant's space (External Secrets reads KV v2 data only).
 */
export function repoReaderPolicyHcl(tenant: string): string {
    const mount = tenantVaultMount(tenant);
    return [
        `path "${mount}/data/${REPO_CREDENTIALS_PREFIX}*" {`,
        `  capabilities = ["read"]`,
        `}`,
        ``,
    ].join("\n");
}

/** Inputs of a Vault Kubernetes-auth role (vault.kubernetes.AuthBackendRole), as plain values. */
export interface VaultRoleSpec {
    backend: string;
    roleName: string;
    boundServiceAccountNames: string[];
    boundServiceAccountNamespaces: string[];
    audience: string;
    tokenPolicies: string[];
    /** Lifetime of a login's token, in seconds. */
    tokenTtl: number;
    /** Longest a token may be renewed to, in seconds. */
    tokenMaxTtl: number;
}

/**
 * Token lifetime of every tenant Kubernetes-auth role, in seconds: External Secrets logs in
 * again on each refresh, so a token needs to outlive one request, not Vault's default of 768 h.
 * The kubeconfig writer (exposure.ts) is one of them.
 */
export const TENANT_TOKEN_TTL_SECONDS = 600;

interface VaultRoleContext {
    argocdNamespace: string;
    vaultAuthPath: string;
    audience: string;
}

/** `tenant-<t>`: the tenant's whole space, for one service account in the tenant's namespace. */
export function tenantVaultRole(tenant: string, ctx: VaultRoleContext): VaultRoleSpec {
    const names = tenantNames(tenant);
    return vaultRole(names.vaultPolicy, names.tenantStoreServiceAccount, names.namespace, ctx);
}

/** `argocd-repos-<t>`: the tenant's `repos/` keys, for Argo CD's reader in the argocd namespace. */
export function repoVaultRole(tenant: string, ctx: VaultRoleContext): VaultRoleSpec {
    const names = tenantNames(tenant);
    return vaultRole(names.repoVaultPolicy, names.repoReader, ctx.argocdNamespace, ctx);
}

/** A Kubernetes-auth role named after its one policy, bound to one service account in one namespace, issuing short-lived tokens. */
export function vaultRole(policy: string, serviceAccount: string, namespace: string, ctx: VaultRoleContext): VaultRoleSpec {
    return {
        backend: ctx.vaultAuthPath,
        roleName: policy,
        boundServiceAccountNames: [serviceAccount],
        boundServiceAccountNamespaces: [namespace],
        audience: ctx.audience,
        tokenPolicies: [policy],
        tokenTtl: TENANT_TOKEN_TTL_SECONDS,
        tokenMaxTtl: TENANT_TOKEN_TTL_SECONDS,
    };
}
