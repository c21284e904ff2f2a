// How External Secrets trusts an HA Vault's certificate. The servers' certificate is signed by
// the platform CA (cert-manager, vault-server.ts), which no system trust store holds, so every
// Vault store names the CA:
// - the platform ClusterSecretStore reads it from Vault's TLS secret (`vault/vault-tls`, key
//   `ca.crt`): a cluster-scoped store may name a Secret in another namespace;
// - a namespaced SecretStore may only name a Secret or ConfigMap in its own namespace (External
//   Secrets refuses `caProvider.namespace` there), so the tenants' stores (in `vcluster-<t>`) and
//   Argo CD's repository stores (in `argocd`) read ConfigMap `vault-ca`, which a Kyverno
//   ClusterPolicy on the hub writes into each of those namespaces with the CA certificate alone
//   (never the TLS key beside it).
//
// Kyverno reads `vault/vault-tls` when a namespace is created or changed (admission) and, for the
// namespaces that already exist, when the policy is created (generateExisting); it keeps the
// ConfigMap as generated (synchronize). A new platform CA reaches the ConfigMaps once each
// namespace or the policy changes again (README, "Vault's certificate and CA").
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENT_LABEL, TENANT_LABEL } from "../../policy-pack/catalog/core/conventions";
import type { Environment } from "../../stacks/schema";
import { Manifest, PlannedManifest, registerPlanned } from "../manifest";
import type { VaultCaProvider } from "./external-secrets";
import { KYVERNO_CONTROLLER_ACCOUNTS, KYVERNO_NAMESPACE } from "./kyverno";
import { inheritedDependsOn } from "./shared";
import { VAULT_NAMESPACE, VAULT_TLS_SECRET } from "./vault-server";

/** Key of the CA certificate in cert-manager's TLS secret, and in the generated ConfigMap. */
export const CA_KEY = "ca.crt";

/** The CA for a namespaced SecretStore: ConfigMap `vault-ca` in the store's namespace, written by the ClusterPolicy below. */
export const STORE_VAULT_CA: VaultCaProvider = { type: "ConfigMap", name: "vault-ca", key: CA_KEY };

/** Name of the ClusterPolicy, and of the Role and RoleBinding that let Kyverno read the CA. */
export const VAULT_CA_POLICY = "vault-ca-distribution";

/**
 * The ClusterPolicy: ConfigMap `vault-ca` (the CA certificate, decoded) in every tenant namespace
 * and in Argo CD's, the namespaces that hold Vault SecretStores.
 */
export function vaultCaPolicy(environment: Environment, argocdNamespace: string): Manifest {
    const namespace = (selector: Record<string, unknown>) => ({ resources: { kinds: ["Namespace"], ...selector } });
    return {
        apiVersion: "kyverno.io/v1",
        kind: "ClusterPolicy",
        metadata: {
            name: VAULT_CA_POLICY,
            labels: { [ENVIRONMENT_LABEL]: environment },
            annotations: {
                "policies.kyverno.io/title": "Vault's CA in every namespace with a Vault SecretStore",
                "policies.kyverno.io/description": `Writes ConfigMap ${STORE_VAULT_CA.name} (key ${CA_KEY}: the CA of Vault's certificate, from Secret ${VAULT_NAMESPACE}/${VAULT_TLS_SECRET}) into each tenant namespace and into ${argocdNamespace}, so their namespaced SecretStores can verify Vault.`,
            },
        },
        spec: {
            rules: [{
                name: "vault-ca-config-map",
                match: { any: [namespace({ selector: { matchExpressions: [{ key: TENANT_LABEL, operator: "Exists" }] } }), namespace({ names: [argocdNamespace] })] },
                context: [{
                    name: "vaultCa",
                    apiCall: { urlPath: `/api/v1/namespaces/${VAULT_NAMESPACE}/secrets/${VAULT_TLS_SECRET}`, jmesPath: `data."${CA_KEY}"` },
                }],
                generate: {
                    generateExisting: true,
                    synchronize: true,
                    apiVersion: "v1",
                    kind: "ConfigMap",
                    name: STORE_VAULT_CA.name,
                    namespace: "{{ request.object.metadata.name }}",
                    data: { data: { [CA_KEY]: "{{ base64_decode(vaultCa) }}" } },
                },
            }],
        },
    };
}

/** Read access to Vault's TLS secret (by name, nothing else in the namespace) for the two Kyverno controllers that load the policy's context. */
export function vaultCaReaderManifests(): { role: Manifest; roleBinding: Manifest } {
    return {
        role: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: { name: VAULT_CA_POLICY, namespace: VAULT_NAMESPACE },
            rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [VAULT_TLS_SECRET], verbs: ["get"] }],
        },
        roleBinding: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name: VAULT_CA_POLICY, namespace: VAULT_NAMESPACE },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: VAULT_CA_POLICY },
            subjects: KYVERNO_CONTROLLER_ACCOUNTS.map((name) => ({ kind: "ServiceAccount", name, namespace: KYVERNO_NAMESPACE })),
        },
    };
}

export interface VaultCaDistributionArgs {
    readonly environment: Environment;
    /** Namespace of Argo CD, whose repository stores need the CA too. */
    readonly argocdNamespace: string;
}

/** The distribution's objects in creation order, each after the one before: the policy loads its context as soon as it exists, so Kyverno's access comes first. */
function vaultCaObjects(args: VaultCaDistributionArgs): PlannedManifest[] {
    const reader = vaultCaReaderManifests();
    return [
        { role: "reader-role", manifest: reader.role, after: [] },
        { role: "reader-binding", manifest: reader.roleBinding, after: ["reader-role"] },
        { role: "policy", manifest: vaultCaPolicy(args.environment, args.argocdNamespace), after: ["reader-binding"] },
    ];
}

/** The ClusterPolicy and Kyverno's read access to the CA; pass Kyverno (CRDs, controllers), the Vault server (its namespace) and Argo CD (its namespace) in `dependsOn`. */
export class VaultCaDistribution extends pulumi.ComponentResource {
    constructor(name: string, args: VaultCaDistributionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:VaultCaDistribution", name, {}, opts);
        registerPlanned(this, name, vaultCaObjects(args), inheritedDependsOn(opts));
        this.registerOutputs({});
    }
}
