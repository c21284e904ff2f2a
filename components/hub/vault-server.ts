// Vault inside the hub: a dev server (dev stack only) or an HA raft cluster with TLS. Pulumi
// deploys the servers; it never initialises or unseals them, so unseal keys and the root
// token never pass through Pulumi's state or outputs. `nextSteps` tells the operator what to run.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { VAULT_SERVICE } from "../../stacks/contract";
import type { Environment, PlatformConfig } from "../../stacks/schema";
import { CHARTS } from "../versions";
import type { VaultCaProvider } from "./external-secrets";
import { RESTRICTED_CONTAINER, certificate, chartArgs, inheritedDependsOn, platformNamespace, resources } from "./shared";

export type AutoUnsealConfig = NonNullable<PlatformConfig["vault"]["autoUnseal"]>;

export interface VaultServerArgs {
    readonly environment: Environment;
    /** `dev`: one in-memory server, unsealed at start; `ha`: a raft cluster with TLS. */
    readonly mode: "dev" | "ha";
    /** Raft voters in `ha` mode (odd). Ignored in `dev` mode, which always runs one server. */
    readonly replicas: number;
    /** Size of each server's raft volume. */
    readonly storageGiB: number;
    /** Seal stanza for `ha` mode. @default - Shamir seal: every server waits for `vault operator unseal` */
    readonly autoUnseal?: AutoUnsealConfig;
    /** Root token of the dev server, as a secret. @default - the chart's dev token ("root") */
    readonly devRootToken?: pulumi.Output<string>;
    /** ClusterIssuer (a CA issuer) that signs the servers' TLS certificate in `ha` mode. */
    readonly clusterIssuerName: string;
    /** Protect the chart and its namespace from deletion, and keep the raft volumes. */
    readonly protect: boolean;
}

/** Namespace and Helm release name (the Service tenants and External Secrets reach, stacks/contract.ts); the chart's service and pod names derive from them. */
export const VAULT_NAMESPACE = VAULT_SERVICE.namespace;
const RELEASE = VAULT_SERVICE.name;
/** Secret the TLS certificate is written to, and where the servers mount it. */
export const VAULT_TLS_SECRET = "vault-tls";
const TLS_DIR = `/vault/userconfig/${VAULT_TLS_SECRET}`;

/** DNS names the HA servers answer on: the service, the active service and each pod behind the headless one. */
export const VAULT_TLS_DNS_NAMES = [
    `${RELEASE}`,
    `${RELEASE}.${VAULT_NAMESPACE}`,
    `${RELEASE}.${VAULT_NAMESPACE}.svc`,
    `${RELEASE}.${VAULT_NAMESPACE}.svc.cluster.local`,
    `${RELEASE}-active`,
    `${RELEASE}-active.${VAULT_NAMESPACE}`,
    `${RELEASE}-active.${VAULT_NAMESPACE}.svc`,
    `*.${RELEASE}-internal`,
    `*.${RELEASE}-internal.${VAULT_NAMESPACE}.svc`,
];

export class VaultServer extends pulumi.ComponentResource {
    /** Where clients inside the hub find the CA of the servers' certificate (`ha` only). */
    readonly caProvider?: VaultCaProvider;
    private readonly mode: "dev" | "ha";
    private readonly replicas: number;
    private readonly autoUnseal?: AutoUnsealConfig;

    constructor(name: string, args: VaultServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:VaultServer", name, {}, opts);
        const inherited = inheritedDependsOn(opts);
        const ha = args.mode === "ha";
        // Deleting the namespace would delete the raft volumes with it.
        const stateful = { protect: args.protect, retainOnDelete: args.protect };

        // restricted: server pods run as the chart's non-root vault user with the restricted
        // container context below; the agent injector (the chart's only other workload) is off.
        const namespace = platformNamespace(this, name, VAULT_NAMESPACE, args.environment, { dependsOn: inherited, ...stateful });

        const chartDependsOn: pulumi.Input<pulumi.Resource>[] = [...inherited, namespace];
        if (ha) {
            // cert-manager renews this certificate in place; Vault reads its TLS files at start and
            // on SIGHUP, so a renewal takes effect after a rolling restart of the servers (or a
            // `kill -HUP 1` in each pod) — well inside the 30 days cert-manager renews ahead.
            const request = certificate(VAULT_TLS_SECRET, VAULT_NAMESPACE, args.clusterIssuerName, {
                secretName: VAULT_TLS_SECRET,
                commonName: `${RELEASE}.${VAULT_NAMESPACE}.svc`,
                dnsNames: VAULT_TLS_DNS_NAMES,
                // `vault operator …` inside the pods and Pulumi's port-forward talk to 127.0.0.1.
                ipAddresses: ["127.0.0.1"],
                usages: ["server auth", "client auth"],
            });
            // Pulumi waits until cert-manager has written the secret: the servers mount it, and
            // Kyverno copies its CA for the tenants' stores (vault-ca.ts) as soon as that policy exists.
            const tls = new kubernetes.apiextensions.CustomResource(`${name}-tls-certificate`,
                { ...request, metadata: { ...request.metadata, annotations: { "pulumi.com/waitFor": "condition=Ready" } } },
                { parent: this, dependsOn: [...inherited, namespace] });
            chartDependsOn.push(tls);
        }

        const chart = new kubernetes.helm.v4.Chart(`${name}-chart`,
            chartArgs(CHARTS.vault, RELEASE, VAULT_NAMESPACE, ha ? haValues(args) : devValues(args)),
            { parent: this, dependsOn: chartDependsOn, ...stateful });

        this.mode = args.mode;
        this.replicas = ha ? args.replicas : 1;
        this.autoUnseal = args.autoUnseal;
        // A ClusterSecretStore may name a Secret in another namespace: Vault's own TLS secret.
        this.caProvider = ha ? { type: "Secret", name: VAULT_TLS_SECRET, namespace: VAULT_NAMESPACE, key: "ca.crt" } : undefined;
        this.registerOutputs({ chart });
    }

    /**
     * What the operator runs next. For an uninitialised HA Vault: initialise it (keys stay off
     * the cluster), unseal it, hand Pulumi a token, flip `platform.vault.initialized`.
     */
    nextSteps(initialized: boolean): string {
        if (this.mode === "dev") {
            return "Vault runs as a dev server (dev stack only): it starts initialised and unsealed, keeps everything in memory and loses it on restart. Nothing to do.";
        }
        if (initialized) {
            return "Vault is initialised; Pulumi configures it through platform.vault.address (kubectl -n vault port-forward svc/vault 8200:8200).";
        }
        const pods = Array.from({ length: this.replicas }, (_, i) => `${RELEASE}-${i}`);
        const init = this.autoUnseal
            ? "vault operator init -recovery-shares=5 -recovery-threshold=3 -format=json"
            : "vault operator init -key-shares=5 -key-threshold=3 -format=json";
        const unseal = this.autoUnseal
            ? [`2. Nothing to unseal: the servers unseal themselves through the "${this.autoUnseal.type}" seal. Check with:`,
                ...pods.map((pod) => `     kubectl -n vault exec ${pod} -- vault status`)]
            : ["2. Unseal every server with 3 of the 5 unseal keys (run each command three times, with a different key each time):",
                ...pods.map((pod) => `     kubectl -n vault exec -ti ${pod} -- vault operator unseal`)];
        return [
            `Vault (${this.replicas} raft servers) is deployed but not initialised. Next:`,
            "1. Initialise it once. The output holds the unseal (or recovery) keys and the root token: keep it OFF the cluster",
            "   (a password manager or an offline safe), never in Git, CI logs, Kubernetes objects or Pulumi config:",
            `     kubectl -n vault exec vault-0 -- ${init} > vault-init.json`,
            ...unseal,
            "3. Reach Vault from this machine and trust its CA:",
            "     kubectl -n vault port-forward svc/vault 8200:8200",
            "     kubectl -n vault get secret vault-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d > vault-ca.crt",
            "     export VAULT_CACERT=$PWD/vault-ca.crt",
            "4. Give Pulumi an admin token (the root token from step 1, or a narrower one you create with it), either",
            "   encrypted in the stack:",
            "     pulumi config set --secret gitops-hub:vaultToken <token>",
            "   or only for this shell:",
            "     export VAULT_TOKEN=<token>",
            "5. Set platform.vault.initialized: true in the stack's config and run `pulumi up` again.",
            "Then delete vault-init.json from this machine once its contents are stored safely.",
        ].join("\n");
    }
}

function devValues(args: VaultServerArgs): Record<string, unknown> {
    return {
        global: { tlsDisable: true },
        injector: { enabled: false },
        server: {
            // Dev mode is for the dev stack only (the loader and the policy pack refuse it
            // elsewhere): one in-memory server, unsealed at start, root token known. Without
            // gitops-hub:vaultToken the chart's own dev token applies.
            dev: args.devRootToken ? { enabled: true, devRootToken: pulumi.secret(args.devRootToken) } : { enabled: true },
            ha: { enabled: false },
            standalone: { enabled: false },
            dataStorage: { enabled: false },
            ...serverPodValues([]),
        },
    };
}

function haValues(args: VaultServerArgs): Record<string, unknown> {
    return {
        global: { tlsDisable: false },
        injector: { enabled: false },
        server: {
            dev: { enabled: false },
            standalone: { enabled: false },
            ha: {
                enabled: true,
                replicas: args.replicas,
                raft: { enabled: true, setNodeId: true, config: raftConfig(args.replicas, args.autoUnseal) },
            },
            dataStorage: { enabled: true, size: `${args.storageGiB}Gi` },
            // The raft volumes come from the StatefulSet's volumeClaimTemplates, not from Pulumi:
            // keep them when the StatefulSet is deleted or scaled down.
            ...(args.protect ? { persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" } } : {}),
            // The vault CLI inside the pods (`vault operator init`) talks https to 127.0.0.1.
            extraEnvironmentVars: { VAULT_CACERT: `${TLS_DIR}/ca.crt` },
            ...serverPodValues([{ name: VAULT_TLS_SECRET, secret: { secretName: VAULT_TLS_SECRET } }]),
        },
    };
}

/** Security contexts, resources and the writable scratch space a read-only root filesystem needs. */
function serverPodValues(extraVolumes: Record<string, unknown>[]): Record<string, unknown> {
    // The chart's entrypoint renders its config into /tmp. $HOME (/home/vault, where the CLI keeps
    // its token) is writable already: vault-helm 0.30.0's StatefulSet always defines the emptyDir
    // volume `home` mounted there, and a second one would make the StatefulSet invalid.
    const volumes = [...extraVolumes, { name: "tmp", emptyDir: {} }];
    const volumeMounts = [
        ...extraVolumes.map((v) => ({ name: v.name, mountPath: `/vault/userconfig/${v.name}`, readOnly: true })),
        { name: "tmp", mountPath: "/tmp" },
    ];
    return {
        // Values checked against hashicorp/vault-helm values.yaml (0.30.x): server.statefulSet.securityContext.{pod,container}.
        statefulSet: {
            securityContext: {
                pod: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
                container: RESTRICTED_CONTAINER,
            },
        },
        resources: resources("100m", "256Mi", "1", "512Mi"),
        volumes,
        volumeMounts,
    };
}

/** The raft server config: TLS listener, one retry_join per peer, optional auto-unseal seal. */
export function raftConfig(replicas: number, autoUnseal?: AutoUnsealConfig): string {
    const retryJoin = Array.from({ length: replicas }, (_, i) => [
        "  retry_join {",
        `    leader_api_addr     = "https://${RELEASE}-${i}.${RELEASE}-internal:8200"`,
        `    leader_ca_cert_file = "${TLS_DIR}/ca.crt"`,
        "  }",
    ].join("\n"));
    const lines = [
        "ui = true",
        // Raft data lives on a volume, and mlock needs the IPC_LOCK capability we drop.
        "disable_mlock = true",
        "",
        'listener "tcp" {',
        '  address         = "[::]:8200"',
        '  cluster_address = "[::]:8201"',
        `  tls_cert_file   = "${TLS_DIR}/tls.crt"`,
        `  tls_key_file    = "${TLS_DIR}/tls.key"`,
        '  tls_min_version = "tls12"',
        "}",
        "",
        'storage "raft" {',
        '  path = "/vault/data"',
        ...retryJoin,
        "}",
        "",
        'service_registration "kubernetes" {}',
    ];
    if (autoUnseal) {
        lines.push("", sealStanza(autoUnseal));
    }
    return `${lines.join("\n")}\n`;
}

/** `seal "<type>" { key = "value" … }` from the seal's non-secret settings, sorted by key. */
export function sealStanza(autoUnseal: AutoUnsealConfig): string {
    // The loader admits only seal parameter names as keys, so each is a bare HCL identifier.
    const settings = Object.keys(autoUnseal.settings).sort()
        .map((key) => `  ${key} = ${JSON.stringify(autoUnseal.settings[key])}`);
    return [`seal "${autoUnseal.type}" {`, ...settings, "}"].join("\n");
}
