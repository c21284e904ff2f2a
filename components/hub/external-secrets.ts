// External Secrets: the operator, and the platform's ClusterSecretStore on Vault's `platform`
// mount. Only namespaces labelled as platform namespaces may use the store; tenants get stores
// of their own.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PLATFORM_LABEL, PLATFORM_VAULT_MOUNT } from "../../policy-pack/catalog/core/conventions";
import type { Environment } from "../../stacks/schema";
import { CHARTS } from "../versions";
import { RESTRICTED_CONTAINER, RESTRICTED_POD, chartArgs, inheritedDependsOn, platformNamespace, resources } from "./shared";

/** Where a Vault store finds the CA of an https Vault (External Secrets' `caProvider`). */
export interface VaultCaProvider {
    readonly type: "Secret" | "ConfigMap";
    readonly name: string;
    /** Only a ClusterSecretStore may name one; a SecretStore reads its own namespace. */
    readonly namespace?: string;
    readonly key: string;
}

/** What a store on Vault logs in with and reads. */
export interface VaultStoreProviderArgs {
    /** Vault address as seen from inside the hub. */
    readonly server: string;
    /** The KV v2 mount the store reads (and writes, for a PushSecret). */
    readonly path: string;
    /** Mount path of Vault's Kubernetes auth method. */
    readonly authPath: string;
    /** Kubernetes-auth role the store logs in as. */
    readonly role: string;
    /** The service account whose token it presents; a ClusterSecretStore names its namespace. */
    readonly serviceAccount: { readonly name: string; readonly namespace?: string };
    /** Audience of that token. */
    readonly audience: string;
    /** @default - the system trust store */
    readonly caProvider?: VaultCaProvider;
}

/** The `spec.provider` of every SecretStore and ClusterSecretStore on Vault: the platform's and each tenant's. */
export function vaultStoreProvider(args: VaultStoreProviderArgs): Record<string, unknown> {
    return {
        vault: {
            server: args.server,
            path: args.path,
            version: "v2",
            ...(args.caProvider ? { caProvider: { ...args.caProvider } } : {}),
            auth: {
                kubernetes: {
                    mountPath: args.authPath,
                    role: args.role,
                    serviceAccountRef: { ...args.serviceAccount, audiences: [args.audience] },
                },
            },
        },
    };
}

export interface ExternalSecretsArgs {
    readonly environment: Environment;
    /** Controller, webhook and cert-controller replicas; above 1 the controllers elect a leader. */
    readonly replicas: number;
    /** Vault address as seen from inside the hub. */
    readonly vaultAddress: string;
    /** Mount path of Vault's Kubernetes auth method. */
    readonly vaultAuthPath: string;
    /** Kubernetes-auth role the controller logs in with. */
    readonly vaultRole: string;
    /** Audience of the service-account token the controller presents to Vault. */
    readonly audience: string;
    /** Where the CA of an https Vault is. @default - the system trust store */
    readonly vaultCaProvider?: VaultCaProvider;
}

/** Namespace and release; the chart's service account is then `external-secrets`. */
export const EXTERNAL_SECRETS_NAMESPACE = "external-secrets";
const RELEASE = "external-secrets";
/** Name of the platform's ClusterSecretStore. */
export const PLATFORM_SECRET_STORE = "platform-vault";

/** The external-secrets chart's values (checked against deploy/charts/external-secrets/values.yaml, 0.19.x). */
function externalSecretsValues(replicas: number): Record<string, unknown> {
    const pod = { enabled: true, ...RESTRICTED_POD };
    const container = { enabled: true, ...RESTRICTED_CONTAINER };
    // Above one replica each deployment keeps one pod through a node drain: the webhook
    // (it validates every ExternalSecret and SecretStore) and the cert-controller too.
    const deployment = (cpuLimit: string, memoryLimit: string, cpuRequest: string, memoryRequest: string) => ({
        podDisruptionBudget: { enabled: replicas > 1 },
        podSecurityContext: pod,
        securityContext: container,
        resources: resources(cpuRequest, memoryRequest, cpuLimit, memoryLimit),
    });
    return {
        installCRDs: true,
        replicaCount: replicas,
        leaderElect: replicas > 1,
        ...deployment("500m", "512Mi", "50m", "128Mi"),
        webhook: { replicaCount: replicas, ...deployment("200m", "256Mi", "20m", "64Mi") },
        certController: { replicaCount: replicas, ...deployment("200m", "256Mi", "20m", "64Mi") },
    };
}

/** The platform's ClusterSecretStore on Vault's `platform` mount, for platform namespaces only. */
function platformStoreManifest(args: ExternalSecretsArgs): Record<string, unknown> {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: PLATFORM_SECRET_STORE },
        spec: {
            provider: vaultStoreProvider({
                server: args.vaultAddress,
                path: PLATFORM_VAULT_MOUNT,
                authPath: args.vaultAuthPath,
                role: args.vaultRole,
                serviceAccount: { name: RELEASE, namespace: EXTERNAL_SECRETS_NAMESPACE },
                audience: args.audience,
                caProvider: args.vaultCaProvider,
            }),
            // Platform namespaces only: a tenant that could use this store could read every platform secret.
            conditions: [{ namespaceSelector: { matchLabels: { [PLATFORM_LABEL]: "true" } } }],
        },
    };
}

export class ExternalSecrets extends pulumi.ComponentResource {
    /** Name of the platform ClusterSecretStore; known up front, hence a plain string. */
    readonly clusterSecretStoreName = PLATFORM_SECRET_STORE;
    /** The chart (it brings the CRDs); resources of those kinds depend on it. */
    readonly chart: kubernetes.helm.v4.Chart;

    constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:ExternalSecrets", name, {}, opts);
        const inherited = inheritedDependsOn(opts);

        // restricted: the chart's three deployments run non-root, read-only, without capabilities,
        // with RuntimeDefault seccomp (its defaults, restated in externalSecretsValues).
        const namespace = platformNamespace(this, name, EXTERNAL_SECRETS_NAMESPACE, args.environment, { dependsOn: inherited });
        this.chart = new kubernetes.helm.v4.Chart(`${name}-chart`, chartArgs(CHARTS.externalSecrets, RELEASE, EXTERNAL_SECRETS_NAMESPACE, externalSecretsValues(args.replicas)),
            { parent: this, dependsOn: [...inherited, namespace] });
        new kubernetes.apiextensions.CustomResource(`${name}-platform-store`, platformStoreManifest(args) as kubernetes.apiextensions.CustomResourceArgs,
            { parent: this, dependsOn: [...inherited, this.chart] });

        this.registerOutputs({ clusterSecretStoreName: this.clusterSecretStoreName });
    }
}
