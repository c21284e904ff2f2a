// cert-manager and the platform's ClusterIssuers. Two issuers matter to the rest of the hub:
// `clusterIssuerName` signs certificates for public host names (Ingresses), and
// `internalIssuerName` — always a CA issuer — signs certificates for in-cluster names such as
// vault.vault.svc, which no ACME server will ever issue for.
import * as certmanager from "@pulumi/kubernetes-cert-manager";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, IssuerConfig } from "../../stacks/schema";
import { Manifest, PlannedManifest, registerPlanned } from "../manifest";
import { CERT_MANAGER_REPO, CERT_MANAGER_VERSION } from "../versions";
import { RESTRICTED_CONTAINER, RESTRICTED_POD, certificate, inheritedDependsOn, platformNamespace, resources } from "./shared";

export interface CertManagerArgs {
    readonly environment: Environment;
    /** Which ClusterIssuer signs public certificates. */
    readonly issuer: IssuerConfig;
}

/** Namespace of cert-manager and of the CA secrets its ClusterIssuers read. */
export const CERT_MANAGER_NAMESPACE = "cert-manager";
/** Name of the self-signed root issuer that bootstraps the platform CA. */
export const SELF_SIGNED_ISSUER = "selfsigned";
/** Name of the platform's CA ClusterIssuer (in-cluster certificates; public ones with `selfSigned`/`ca`). */
export const PLATFORM_CA_ISSUER = "platform-ca";
/** Name of the ACME ClusterIssuer. */
export const ACME_ISSUER = "letsencrypt";

/**
 * The inputs of @pulumi/kubernetes-cert-manager's CertManager. The component hands them to Helm
 * as values under their own names, and the chart's values schema rejects any key it does not
 * know (every key here is one of cert-manager v1.18.2's). The cainjector's pod security context
 * is left to the chart: the component's typed input for it (`podSecurityContext`) is not the
 * chart's key (`securityContext`) and fails the install, and the chart's default already is
 * RESTRICTED_POD (runAsNonRoot, RuntimeDefault seccomp).
 */
function certManagerInputs(): certmanager.CertManagerArgs {
    return {
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
            namespace: CERT_MANAGER_NAMESPACE,
            version: CERT_MANAGER_VERSION,
            repositoryOpts: { repo: CERT_MANAGER_REPO },
        },
    };
}

function clusterIssuer(name: string, spec: Record<string, unknown>): Manifest {
    return { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name }, spec };
}

/** The ClusterIssuers (and the platform CA's certificate) for an issuer config, in creation order. */
function issuerObjects(issuer: IssuerConfig, environment: Environment): PlannedManifest[] {
    const objects: PlannedManifest[] = [];
    if (issuer.type === "ca") {
        // The CA's key pair is created outside Pulumi, so it never passes through the state.
        objects.push({ role: "ca-issuer", manifest: clusterIssuer(PLATFORM_CA_ISSUER, { ca: { secretName: issuer.secretName } }), after: [] });
    } else {
        // A private CA for in-cluster names (and, with `selfSigned`, for everything): a
        // self-signed root signs one CA certificate; the CA issuer signs the rest.
        objects.push(
            { role: "selfsigned-issuer", manifest: clusterIssuer(SELF_SIGNED_ISSUER, { selfSigned: {} }), after: [] },
            {
                role: "ca-certificate",
                manifest: certificate(PLATFORM_CA_ISSUER, CERT_MANAGER_NAMESPACE, SELF_SIGNED_ISSUER, {
                    isCA: true,
                    commonName: `gitops-hub ${environment} platform CA`,
                    secretName: PLATFORM_CA_ISSUER,
                }),
                after: ["selfsigned-issuer"],
            },
            { role: "ca-issuer", manifest: clusterIssuer(PLATFORM_CA_ISSUER, { ca: { secretName: PLATFORM_CA_ISSUER } }), after: ["ca-certificate"] },
        );
    }
    if (issuer.type === "acme") {
        objects.push({
            role: "acme-issuer",
            manifest: clusterIssuer(ACME_ISSUER, {
                acme: {
                    email: issuer.email,
                    server: issuer.server,
                    // The ACME account key; cert-manager creates it in the cert-manager namespace.
                    privateKeySecretRef: { name: `${ACME_ISSUER}-account-key` },
                    solvers: [{ http01: { ingress: { ingressClassName: issuer.ingressClassName } } }],
                },
            }),
            after: [],
        });
    }
    return objects;
}

export class CertManager extends pulumi.ComponentResource {
    /** ClusterIssuer for public host names (Ingress certificates). Known up front, hence a plain string. */
    readonly clusterIssuerName: string;
    /** ClusterIssuer for in-cluster service names; always a CA issuer. */
    readonly internalIssuerName = PLATFORM_CA_ISSUER;
    readonly namespace = CERT_MANAGER_NAMESPACE;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:CertManager", name, {}, opts);
        const inherited = inheritedDependsOn(opts);

        // restricted: the cert-manager chart's controller, webhook, cainjector and startupapicheck
        // run non-root with a RuntimeDefault seccomp profile and no capabilities (certManagerInputs).
        const namespace = platformNamespace(this, name, CERT_MANAGER_NAMESPACE, args.environment, { dependsOn: inherited });
        const chart = new certmanager.CertManager(`${name}-chart`, certManagerInputs(), { parent: this, dependsOn: [...inherited, namespace] });

        registerPlanned(this, name, issuerObjects(args.issuer, args.environment), [...inherited, chart]);

        this.clusterIssuerName = args.issuer.type === "acme" ? ACME_ISSUER : PLATFORM_CA_ISSUER;
        this.registerOutputs({ clusterIssuerName: this.clusterIssuerName, internalIssuerName: this.internalIssuerName });
    }
}
