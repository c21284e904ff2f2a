// Argo CD on the hub: the chart sized for the tenant count, SSO and RBAC, the UI behind a
// TLS-terminating Ingress, and the GitOps objects the platform owns: a locked-down `default`
// AppProject, the `platform` AppProject, the root app-of-apps and one ApplicationSet per spoke
// add-on.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { PROJECT_AT_CREATION_ANNOTATION, PROJECT_AT_CREATION_IGNORE_CHANGES } from "../../policy-pack/catalog";
import { PLATFORM_PROJECT } from "../../policy-pack/catalog/core/conventions";
import { defaultArgoCdHost } from "../../stacks/contract";
import type { Environment, PlatformConfig } from "../../stacks/schema";
import { CHARTS } from "../versions";
import { CLUSTER_NAME_PLACEHOLDER, addonApplicationName } from "../tenant/naming";
import { KYVERNO_NAMESPACE, kyvernoValues } from "./kyverno";
import { Manifest, registerManifest } from "../manifest";
import { RESTRICTED_CONTAINER, certificate, chartArgs, inheritedDependsOn, platformNamespaceManifest, resources } from "./shared";

type ArgoCdConfig = PlatformConfig["argocd"];
export type SizingProfile = "small" | "medium" | "large";

export interface ArgoCdArgs {
    readonly environment: Environment;
    /** DNS zone of the platform. */
    readonly domain: string;
    /** UI host name. @default - no Ingress; `url` is a port-forward hint */
    readonly hostname?: string;
    /** Ingress class of the UI's Ingress. */
    readonly ingressClassName: string;
    /** HA Redis and at least two replicas of every stateless Argo CD server. */
    readonly ha: boolean;
    /** SSO groups that get `role:admin`. */
    readonly adminGroups: string[];
    /** SSO groups that get `role:readonly`. Nobody else gets a platform-wide role. */
    readonly readOnlyGroups: string[];
    /** OIDC provider (the loader requires a hostname with it). @default - no SSO; only the local admin account */
    readonly oidc?: ArgoCdConfig["oidc"];
    /** The root app-of-apps' source. */
    readonly rootApp: ArgoCdConfig["rootApp"];
    /** Sizing profile; `auto` picks it from `tenantCount`. */
    readonly sizing: ArgoCdConfig["sizing"];
    /** Admission controller replicas of the Kyverno add-on on every spoke (the hub's platform.kyverno.admissionReplicas). */
    readonly kyvernoAdmissionReplicas: number;
    /** Tenants (spoke clusters) this Argo CD manages. */
    readonly tenantCount: number;
    /** ClusterIssuer of the UI certificate. */
    readonly clusterIssuerName: string;
    /** ClusterSecretStore with the platform's secrets (the OIDC client secret). */
    readonly platformSecretStore: string;
    /** How often ExternalSecrets re-read Vault. */
    readonly refreshIntervalSeconds: number;
}

export const ARGOCD_NAMESPACE = "argocd";
const RELEASE = "argocd";
/** Secret that carries the OIDC client secret (`$argocd-oidc:clientSecret` in argocd-cm). */
export const OIDC_SECRET = "argocd-oidc";
/** Secret the chart's Redis reads its password from (key `auth`); a Helm hook would create it. */
export const REDIS_SECRET = "argocd-redis";
const IN_CLUSTER = "https://kubernetes.default.svc";

/** Upper bounds of the sizing profiles, in tenants (spoke clusters): small ≤ 50 < medium ≤ 300 < large. */
export const SIZING_THRESHOLDS = { small: 50, medium: 300 } as const;

interface Sizing {
    controller: number;
    repoServer: number;
    applicationSet: number;
    server: number;
    controllerResources: ReturnType<typeof resources>;
    repoServerResources: ReturnType<typeof resources>;
}

/**
 * Replicas per profile. The application controller shards clusters across its replicas
 * (consistent-hashing keeps reshuffling low when the count changes); repo servers render
 * manifests and scale with the number of applications.
 */
const PROFILES: Record<SizingProfile, Sizing> = {
    small: { controller: 1, repoServer: 1, applicationSet: 1, server: 1,
        controllerResources: resources("250m", "512Mi", "1", "1Gi"), repoServerResources: resources("100m", "256Mi", "1", "1Gi") },
    medium: { controller: 2, repoServer: 3, applicationSet: 2, server: 2,
        controllerResources: resources("500m", "1Gi", "2", "2Gi"), repoServerResources: resources("250m", "512Mi", "2", "2Gi") },
    large: { controller: 4, repoServer: 5, applicationSet: 2, server: 3,
        controllerResources: resources("1", "2Gi", "4", "4Gi"), repoServerResources: resources("500m", "1Gi", "2", "2Gi") },
};

/** The profile for a sizing setting and tenant count (thresholds in SIZING_THRESHOLDS). */
export function sizingProfile(sizing: ArgoCdConfig["sizing"], tenantCount: number): SizingProfile {
    if (sizing !== "auto") return sizing;
    if (tenantCount <= SIZING_THRESHOLDS.small) return "small";
    if (tenantCount <= SIZING_THRESHOLDS.medium) return "medium";
    return "large";
}

/** Replicas after HA: every stateless server at least 2; the controller as the profile says (it shards, a restart is quick). */
export function argoCdReplicas(profile: SizingProfile, ha: boolean) {
    const p = PROFILES[profile];
    const min = ha ? 2 : 1;
    return {
        controller: p.controller,
        repoServer: Math.max(p.repoServer, min),
        applicationSet: Math.max(p.applicationSet, min),
        server: Math.max(p.server, min),
    };
}

/**
 * Argo CD RBAC (argocd-rbac-cm): no default role, so a signed-in user gets nothing beyond what
 * their groups are given; `role:admin` for the admin groups, `role:readonly` for the read-only
 * groups, and nothing else platform-wide. Tenant owners get their own project through the
 * AppProject's `owners` role (components/tenant/manifests.ts), never through this policy.
 * Group names are validated by the loader: no commas or quotes (one CSV field each) and no
 * `role:`/`proj:` prefix.
 */
export function rbacPolicy(adminGroups: readonly string[], readOnlyGroups: readonly string[] = []): Record<string, string> {
    const lines = [
        ...adminGroups.map((group) => `g, ${group}, role:admin`),
        ...readOnlyGroups.map((group) => `g, ${group}, role:readonly`),
    ];
    return {
        "policy.default": "",
        "policy.csv": lines.map((line) => `${line}\n`).join(""),
        scopes: "[groups]",
    };
}

/** The chart's values: sizing, HA, SSO, RBAC, restricted security contexts. */
/** argocd-cm: the local admin only without SSO, no terminal, the UI's URL, and the OIDC provider. */
function argoCdCm(args: ArgoCdArgs): Record<string, unknown> {
    const cm: Record<string, unknown> = {
        // The local admin account is only a bootstrap path; with SSO nobody needs it.
        "admin.enabled": args.oidc === undefined,
        "exec.enabled": false,
    };
    if (args.hostname) cm.url = `https://${args.hostname}`;
    if (args.oidc) {
        cm["oidc.config"] = stringify({
            name: "SSO",
            issuer: args.oidc.issuer,
            clientID: args.oidc.clientID,
            // Resolved by Argo CD from Secret argocd-oidc (labelled part-of: argocd), key clientSecret.
            clientSecret: `$${OIDC_SECRET}:clientSecret`,
            requestedScopes: args.oidc.requestedScopes,
        });
    }
    return cm;
}

export function argoCdValues(args: ArgoCdArgs, profile: SizingProfile): Record<string, unknown> {
    const replicas = argoCdReplicas(profile, args.ha);
    const sizing = PROFILES[profile];
    const params: Record<string, unknown> = {
        // TLS ends at the Ingress (see the Ingress below); the server speaks plain HTTP inside the cluster.
        "server.insecure": true,
    };
    if (replicas.controller > 1) params["controller.sharding.algorithm"] = "consistent-hashing";
    // Beyond the small profile a single Redis becomes the bottleneck (and single point of
    // failure) of several controllers, repo servers and API servers, so it is HA in any environment.
    const redisHa = args.ha || profile !== "small";

    // The chart renders these controllers' probes only when enabled (off by default); a
    // controller that hangs is then restarted instead of silently stopping its work.
    const probes = { livenessProbe: { enabled: true }, readinessProbe: { enabled: true } };
    const component = (count: number, resourceRequirements: ReturnType<typeof resources>) => ({
        replicas: count,
        containerSecurityContext: RESTRICTED_CONTAINER,
        resources: resourceRequirements,
    });
    // Keys checked against argoproj/argo-helm charts/argo-cd (7.x–9.x): <component>.replicas,
    // controller.replicas → ARGOCD_CONTROLLER_REPLICAS (set by the chart's StatefulSet),
    // configs.params → argocd-cmd-params-cm, redisSecretInit.enabled, redis-ha.enabled.
    return {
        global: { domain: args.hostname ?? defaultArgoCdHost(args.domain) },
        crds: { install: true, keep: true },
        // SSO goes straight to the OIDC provider; Dex would be one more server to run and patch.
        dex: { enabled: false },
        // The Redis password comes from the ExternalSecret `argocd-redis` below, not from the
        // chart's pre-install hook Job, which helm.v4.Chart does not run.
        redisSecretInit: { enabled: false },
        redis: {
            enabled: !redisHa,
            image: { repository: `${DOCKER_LIBRARY}/redis` },
            containerSecurityContext: RESTRICTED_CONTAINER,
            resources: resources("50m", "64Mi", "500m", "256Mi"),
            ...probes,
        },
        "redis-ha": redisHa ? redisHaValues() : { enabled: false },
        controller: component(replicas.controller, sizing.controllerResources),
        server: { ...component(replicas.server, resources("50m", "128Mi", "500m", "512Mi")), ingress: { enabled: false } },
        repoServer: component(replicas.repoServer, sizing.repoServerResources),
        applicationSet: { ...component(replicas.applicationSet, resources("50m", "128Mi", "500m", "512Mi")), ...probes },
        notifications: { containerSecurityContext: RESTRICTED_CONTAINER, resources: resources("20m", "64Mi", "200m", "256Mi"), ...probes },
        configs: { params, cm: argoCdCm(args), rbac: rbacPolicy(args.adminGroups, args.readOnlyGroups) },
    };
}

/**
 * Where the Redis and HAProxy images are pulled from: Docker's official images on the ECR Public
 * registry. argo-cd 9.1.0 names the same registry by its dual-stack host (ecr-public.aws.com);
 * this is the host the platform's registry allow-list names.
 */
export const DOCKER_LIBRARY = "public.ecr.aws/docker/library";

/**
 * The redis-ha subchart (DandyDeveloper/charts redis-ha 4.34.11, inside argo-cd 9.1.0): password
 * from the `argocd-redis` Secret, requests and limits everywhere, restricted containers with a
 * read-only root filesystem (the argo-cd chart's own redis-ha defaults set readOnlyRootFilesystem
 * for the Redis, Sentinel and HAProxy containers; restated here with the rest).
 */
export function redisHaValues(): Record<string, unknown> {
    const small = resources("50m", "64Mi", "500m", "256Mi");
    return {
        enabled: true,
        auth: true,
        existingSecret: REDIS_SECRET,
        authKey: "auth",
        image: { repository: `${DOCKER_LIBRARY}/redis` },
        containerSecurityContext: RESTRICTED_CONTAINER,
        redis: { resources: resources("100m", "128Mi", "1", "512Mi") },
        sentinel: { resources: small },
        init: { resources: small },
        splitBrainDetection: { resources: small },
        haproxy: { image: { repository: `${DOCKER_LIBRARY}/haproxy` }, containerSecurityContext: RESTRICTED_CONTAINER, resources: small, init: { resources: small } },
    };
}

/** One resource of Argo CD on the hub: its logical name, what it is, and what (of this list) it waits for besides the component's own dependsOn. */
export type ArgoCdResource = { name: string; dependsOn: string[]; ignoreChanges?: string[] } & ({ manifest: Manifest } | { chart: ReturnType<typeof chartArgs> });

const SECRET_TEMPLATE_LABELS = { "app.kubernetes.io/part-of": "argocd" };

/** The Secrets the chart reads, made in-cluster by External Secrets: the Redis password (generated, never known to Pulumi) and the OIDC client secret (from Vault). */
function secretResources(name: string, args: ArgoCdArgs): ArgoCdResource[] {
    const password = `${name}-redis-password`;
    const resources: ArgoCdResource[] = [
        {
            name: password, dependsOn: [`${name}-namespace`],
            manifest: {
                apiVersion: "generators.external-secrets.io/v1alpha1",
                kind: "Password",
                metadata: { name: `${REDIS_SECRET}-password`, namespace: ARGOCD_NAMESPACE },
                spec: { length: 32, digits: 8, symbols: 0, noUpper: false, allowRepeat: true },
            },
        },
        {
            name: `${name}-redis-secret`, dependsOn: [`${name}-namespace`, password],
            manifest: {
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                metadata: { name: REDIS_SECRET, namespace: ARGOCD_NAMESPACE },
                spec: {
                    // Generated once: a new password on every refresh would lock the servers out of Redis.
                    refreshInterval: "0s",
                    target: { name: REDIS_SECRET, creationPolicy: "Owner", template: { metadata: { labels: SECRET_TEMPLATE_LABELS }, data: { auth: "{{ .password }}" } } },
                    dataFrom: [{ sourceRef: { generatorRef: { apiVersion: "generators.external-secrets.io/v1alpha1", kind: "Password", name: `${REDIS_SECRET}-password` } } }],
                },
            },
        },
    ];
    if (!args.oidc) return resources;
    return [...resources, {
        name: `${name}-oidc-secret`, dependsOn: [`${name}-namespace`],
        manifest: {
            apiVersion: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: { name: OIDC_SECRET, namespace: ARGOCD_NAMESPACE },
            spec: {
                refreshInterval: `${args.refreshIntervalSeconds}s`,
                secretStoreRef: { kind: "ClusterSecretStore", name: args.platformSecretStore },
                // Argo CD only resolves `$secret:key` references in secrets labelled part-of: argocd.
                target: { name: OIDC_SECRET, creationPolicy: "Owner", template: { metadata: { labels: SECRET_TEMPLATE_LABELS } } },
                data: [{ secretKey: "clientSecret", remoteRef: { key: "argocd/oidc", property: "clientSecret" } }],
            },
        },
    }];
}

/**
 * The UI behind an Ingress, when there is a hostname. TLS terminates at the Ingress with a
 * cert-manager certificate, and the server runs with server.insecure behind it: this works with
 * any ingress controller, whereas SSL passthrough needs ingress-nginx's --enable-ssl-passthrough
 * (off by default) and skips the Ingress' routing. The CLI uses `argocd login <host> --grpc-web`.
 */
function uiResources(name: string, args: ArgoCdArgs): ArgoCdResource[] {
    if (!args.hostname) return [];
    const tlsSecret = "argocd-server-tls";
    return [
        { name: `${name}-server-certificate`, dependsOn: [`${name}-namespace`], manifest: certificate(tlsSecret, ARGOCD_NAMESPACE, args.clusterIssuerName, { secretName: tlsSecret, dnsNames: [args.hostname] }) },
        {
            name: `${name}-server-ingress`, dependsOn: [`${name}-chart`],
            manifest: {
                apiVersion: "networking.k8s.io/v1",
                kind: "Ingress",
                metadata: { name: `${RELEASE}-server`, namespace: ARGOCD_NAMESPACE },
                spec: {
                    ingressClassName: args.ingressClassName,
                    tls: [{ hosts: [args.hostname], secretName: tlsSecret }],
                    rules: [{ host: args.hostname, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: `${RELEASE}-server`, port: { name: "http" } } } }] } }],
                },
            },
        },
    ];
}

/** An object of Argo CD's own kinds; they need its CRDs, which the chart brings. */
function argoObject(name: string, kind: string, objectName: string, spec: Record<string, unknown>, chart: string, more: { annotations?: Record<string, string>; ignoreChanges?: string[] } = {}): ArgoCdResource {
    return {
        name, dependsOn: [chart], ...(more.ignoreChanges ? { ignoreChanges: more.ignoreChanges } : {}),
        manifest: { apiVersion: "argoproj.io/v1alpha1", kind, metadata: { name: objectName, namespace: ARGOCD_NAMESPACE, ...(more.annotations ? { annotations: more.annotations } : {}) }, spec },
    };
}

/** The locked `default` AppProject, the `platform` AppProject and the root app-of-apps. */
function projectResources(name: string, args: ArgoCdArgs): ArgoCdResource[] {
    const chart = `${name}-chart`;
    return [
        // argocd-server creates `default` wide open when it starts; take it over and empty it,
        // so an Application that forgets its project can deploy nothing. patchForce makes the
        // server-side apply win over the fields argocd-server set.
        argoObject(`${name}-default-project`, "AppProject", "default", {
            description: "Locked: every Application names a real project",
            sourceRepos: [],
            destinations: [],
            clusterResourceWhitelist: [],
            namespaceResourceWhitelist: [],
        }, chart, { annotations: { "pulumi.com/patchForce": "true" } }),
        // The only project with wide grants: the platform's own applications deploy to every
        // spoke (destinations are registered at run time) and install cluster-scoped add-ons.
        argoObject(`${name}-platform-project`, "AppProject", PLATFORM_PROJECT, {
            description: "The platform's own applications: the root app-of-apps and the spoke add-ons",
            sourceRepos: [args.rootApp.repoURL, CHARTS.kyverno.repo],
            destinations: [{ server: "*", namespace: "*" }],
            clusterResourceWhitelist: [{ group: "*", kind: "*" }],
        }, chart),
        // The project at creation stays in state (ignoreChanges), so the policy pack can refuse a
        // later move to another project before deploy (application-prevent-updates-project).
        argoObject(`${name}-root-app`, "Application", "root", {
            project: PLATFORM_PROJECT,
            source: { repoURL: args.rootApp.repoURL, path: args.rootApp.path, targetRevision: args.rootApp.targetRevision },
            destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
            syncPolicy: {
                automated: { prune: true, selfHeal: true },
                syncOptions: ["RespectIgnoreDifferences=true", "PruneLast=true", "FailOnSharedResource=true"],
            },
        }, chart, { annotations: { [PROJECT_AT_CREATION_ANNOTATION]: PLATFORM_PROJECT }, ignoreChanges: [PROJECT_AT_CREATION_IGNORE_CHANGES] }),
    ];
}

/**
 * One ApplicationSet per spoke add-on, for every cluster secret labelled `<addon>: enabled`.
 * The spokes' ClusterPolicies come from git: `policies/<environment>` in the platform repo holds
 * the same ClusterPolicies this program applies on the hub. The stack exports them
 * (`kyvernoClusterPolicies`); `npm run plan -- --stack <env> --out <dir>` writes them to
 * `<dir>/kyverno/`, and those files are committed to `policies/<env>/`. What a vCluster enforces
 * is then reviewed like any other change, and Argo CD keeps it from drifting.
 */
function addonResources(name: string, args: ArgoCdArgs): ArgoCdResource[] {
    const chart = `${name}-chart`;
    const spokeSync = {
        automated: { prune: true, selfHeal: true },
        // Kyverno's CRDs are too large for client-side apply's last-applied annotation.
        syncOptions: ["CreateNamespace=true", "ServerSideApply=true"],
        retry: { limit: 10, backoff: { duration: "30s", factor: 2, maxDuration: "10m" } },
    };
    const applicationSet = (addon: string, source: Record<string, unknown>, destination: Record<string, unknown>, syncPolicy: Record<string, unknown>) =>
        argoObject(`${name}-addon-${addon}`, "ApplicationSet", addon, {
            generators: [{ clusters: { selector: { matchLabels: { [addon]: "enabled" } } } }],
            template: {
                metadata: { name: addonApplicationName(CLUSTER_NAME_PLACEHOLDER, addon) },
                spec: { project: PLATFORM_PROJECT, source, destination, syncPolicy },
            },
        }, chart);
    return [
        applicationSet("kyverno", {
            repoURL: CHARTS.kyverno.repo,
            chart: CHARTS.kyverno.chart,
            targetRevision: CHARTS.kyverno.version,
            helm: { releaseName: "kyverno", valuesObject: kyvernoValues(args.environment, args.kyvernoAdmissionReplicas) },
        }, { server: "{{server}}", namespace: KYVERNO_NAMESPACE }, {
            ...spokeSync,
            managedNamespaceMetadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
        }),
        // Retries cover the window before the kyverno add-on has installed its CRDs.
        applicationSet("kyverno-policies", { repoURL: args.rootApp.repoURL, targetRevision: args.rootApp.targetRevision, path: `policies/${args.environment}` },
            { server: "{{server}}" }, { ...spokeSync, syncOptions: ["ServerSideApply=true"] }),
    ];
}

/** Every resource of Argo CD on the hub under the component `name`, in creation order. */
export function argoCdResources(name: string, args: ArgoCdArgs, profile: SizingProfile): ArgoCdResource[] {
    const secrets = secretResources(name, args);
    return [
        // restricted: every Argo CD and redis-ha container runs non-root, read-only, without
        // capabilities and with RuntimeDefault seccomp (chart defaults, restated in argoCdValues and redisHaValues).
        { name: `${name}-namespace`, dependsOn: [], manifest: platformNamespaceManifest(ARGOCD_NAMESPACE, args.environment) },
        ...secrets,
        {
            name: `${name}-chart`, chart: chartArgs(CHARTS.argocd, RELEASE, ARGOCD_NAMESPACE, argoCdValues(args, profile)),
            dependsOn: [`${name}-namespace`, ...secrets.filter((r) => r.name !== `${name}-redis-password`).map((r) => r.name)],
        },
        ...uiResources(name, args),
        ...projectResources(name, args),
        ...addonResources(name, args),
    ];
}

export class ArgoCd extends pulumi.ComponentResource {
    static readonly namespace = ARGOCD_NAMESPACE;
    /** Where the UI is: `https://<hostname>`, or how to reach it without an Ingress. */
    readonly url: string;
    /** The sizing profile in use. */
    readonly sizingProfile: SizingProfile;

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:ArgoCd", name, {}, opts);
        // ExternalSecrets, generators and Certificates need the CRDs the caller's dependsOn brings.
        const inherited = inheritedDependsOn(opts);
        this.sizingProfile = sizingProfile(args.sizing, args.tenantCount);
        const created = new Map<string, pulumi.Resource>();
        for (const resource of argoCdResources(name, args, this.sizingProfile)) {
            const resourceOpts = {
                parent: this,
                dependsOn: [...inherited, ...resource.dependsOn.map((n) => created.get(n)!)],
                ...(resource.ignoreChanges ? { ignoreChanges: resource.ignoreChanges } : {}),
            };
            created.set(resource.name, "chart" in resource
                ? new kubernetes.helm.v4.Chart(resource.name, resource.chart, resourceOpts)
                : registerManifest(resource.name, resource.manifest, resourceOpts));
        }
        this.url = args.hostname
            ? `https://${args.hostname}`
            : `no Ingress: kubectl -n ${ARGOCD_NAMESPACE} port-forward svc/${RELEASE}-server 8080:80, then open http://localhost:8080`;
        this.registerOutputs({ url: this.url, sizingProfile: this.sizingProfile });
    }
}
