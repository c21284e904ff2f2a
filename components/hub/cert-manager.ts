// cert-manager and the platform's ClusterIssuers. Two issuers matter to the rest of the hub:
// `clusterIssuerName` signs certificates for public host names (Ingresses), and
// `internalIssuerName` — always a CA issuer — signs certificates for in-cluster names such as
// vault.vault.svc, which no ACME server will ever issue for.
import * as certmanager from "@pulumi/kubernetes-cert-manager";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, IssuerConfig } from "../../stacks/schema";
import { CERT_MANAGER_REPO, CERT_MANAGER_VERSION } from "../versions";
import { RESTRICTED_CONTAINER, RESTRICTED_POD, inheritedDependsOn, platformNamespaceArgs, resources } from "./shared";

export interface CertManagerArgs {
    readonly environment: Environment;
    /** Which ClusterIssuer signs public certificates. */
    readonly issuer: IssuerConfig;
    /** Namespace of cert-manager and of the CA secrets its ClusterIssuers read. @default "cert-manager" */
    readonly namespace?: string;
}

/** Name of the self-signed root issuer that bootstraps the platform CA. */
export const SELF_SIGNED_ISSUER = "selfsigned";
/** Name of the platform's CA ClusterIssuer (in-cluster certificates; public ones with `selfSigned`/`ca`). */
export const PLATFORM_CA_ISSUER = "platform-ca";
/** Name of the ACME ClusterIssuer. */
export const ACME_ISSUER = "letsencrypt";

const API_VERSION = "cert-manager.io/v1";

export class CertManager extends pulumi.ComponentResource {
    /** ClusterIssuer for public host names (Ingress certificates). Known up front, hence a plain string. */
    readonly clusterIssuerName: string;
    /** ClusterIssuer for in-cluster service names; always a CA issuer. */
    readonly internalIssuerName: string;
    readonly namespace: string;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:CertManager", name, {}, opts);
        const namespaceName = args.namespace ?? "cert-manager";
        const inherited = inheritedDependsOn(opts);

        // restricted: the cert-manager chart's controller, webhook, cainjector and startupapicheck
        // run non-root with a RuntimeDefault seccomp profile and no capabilities (set below too).
        const namespace = new kubernetes.core.v1.Namespace(`${name}-namespace`,
            platformNamespaceArgs(namespaceName, args.environment, "restricted"),
            { parent: this, dependsOn: inherited });

        // The component hands these inputs to Helm as values under their own names, and the
        // chart's values schema rejects any key it does not know (every key here is one of
        // cert-manager v1.18.2's). The cainjector's pod security context is left to the chart:
        // the component's typed input for it (`podSecurityContext`) is not the chart's key
        // (`securityContext`) and fails the install, and the chart's default already is
        // RESTRICTED_POD (runAsNonRoot, RuntimeDefault seccomp).
        const chart = new certmanager.CertManager(`${name}-chart`, {
            installCRDs: true,
            securityContext: RESTRICTED_POD,
            containerSecurityContext: RESTRICTED_CONTAINER,
            resources: resources("50m", "128Mi", "500m", "256Mi"),
            webhook: {
                securityContext: RESTRICTED_POD,
                containerSecurityContext: RESTRICTED_CONTAINER,
                resources: resources("20m", "64Mi", "200m", "128Mi"),
            },
            cainjector: {
                containerSecurityContext: RESTRICTED_CONTAINER,
                resources: resources("20m", "128Mi", "200m", "256Mi"),
            },
            startupapicheck: {
                securityContext: RESTRICTED_POD,
                resources: resources("10m", "32Mi", "100m", "64Mi"),
            },
            helmOptions: {
                name: "cert-manager",
                namespace: namespaceName,
                version: CERT_MANAGER_VERSION,
                repositoryOpts: { repo: CERT_MANAGER_REPO },
            },
        }, { parent: this, dependsOn: [...inherited, namespace] });

        const issuerOpts = { parent: this, dependsOn: [...inherited, chart] };
        const clusterIssuer = (role: string, issuerName: string, spec: Record<string, unknown>, extra: pulumi.Resource[] = []) =>
            new kubernetes.apiextensions.CustomResource(`${name}-${role}`, {
                apiVersion: API_VERSION,
                kind: "ClusterIssuer",
                metadata: { name: issuerName },
                spec,
            }, { ...issuerOpts, dependsOn: [...issuerOpts.dependsOn, ...extra] });

        if (args.issuer.type === "ca") {
            // The CA's key pair is created outside Pulumi, so it never passes through the state.
            clusterIssuer("ca-issuer", PLATFORM_CA_ISSUER, { ca: { secretName: args.issuer.secretName } });
        } else {
            // A private CA for in-cluster names (and, with `selfSigned`, for everything): a
            // self-signed root signs one CA certificate; the CA issuer signs the rest.
            const selfSigned = clusterIssuer("selfsigned-issuer", SELF_SIGNED_ISSUER, { selfSigned: {} });
            const caCertificate = new kubernetes.apiextensions.CustomResource(`${name}-ca-certificate`, {
                apiVersion: API_VERSION,
                kind: "Certificate",
                metadata: { name: PLATFORM_CA_ISSUER, namespace: namespaceName },
                spec: {
                    isCA: true,
                    commonName: `gitops-hub ${args.environment} platform CA`,
                    secretName: PLATFORM_CA_ISSUER,
                    privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                    issuerRef: { name: SELF_SIGNED_ISSUER, kind: "ClusterIssuer", group: "cert-manager.io" },
                },
            }, { ...issuerOpts, dependsOn: [...issuerOpts.dependsOn, selfSigned] });
            clusterIssuer("ca-issuer", PLATFORM_CA_ISSUER, { ca: { secretName: PLATFORM_CA_ISSUER } }, [caCertificate]);
        }

        if (args.issuer.type === "acme") {
            clusterIssuer("acme-issuer", ACME_ISSUER, {
                acme: {
                    email: args.issuer.email,
                    server: args.issuer.server,
                    // The ACME account key; cert-manager creates it in the cert-manager namespace.
                    privateKeySecretRef: { name: `${ACME_ISSUER}-account-key` },
                    solvers: [{ http01: { ingress: { ingressClassName: args.issuer.ingressClassName } } }],
                },
            });
        }

        this.clusterIssuerName = args.issuer.type === "acme" ? ACME_ISSUER : PLATFORM_CA_ISSUER;
        this.internalIssuerName = PLATFORM_CA_ISSUER;
        this.namespace = namespaceName;
        this.registerOutputs({ clusterIssuerName: this.clusterIssuerName, internalIssuerName: this.internalIssuerName });
    }
}
