// The one schema of a stack's config. `Pulumi.<stack>.yaml` holds two keys of this project,
// `gitops-hub:platform` and `gitops-hub:tenants`; per-environment defaults (defaults.ts) are
// merged under what the stack says before this schema sees it, so every field below is
// present after loading unless it is marked optional.
import { z } from "zod";
import { cronScheduleProblem } from "./cron";

/** Names Kubernetes accepts for namespaces, releases and label values we derive from them. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 host names (Ingress hosts, certificate DNS names). */
export const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kubernetes quantities (`500m`, `4`, `8Gi`). */
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/;

export const ENVIRONMENTS = ["dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Tenant names the platform itself uses, or that would shadow a system namespace. */
export const RESERVED_TENANT_NAMES = [
    "default", "kube-system", "kube-public", "kube-node-lease", "argocd", "vault",
    "external-secrets", "kyverno", "cert-manager", "platform", "policy-reporter", "in-cluster",
] as const;

/** A tenant's name becomes `vcluster-<name>`, which must still be a 63-character label. */
export const MAX_TENANT_NAME_LENGTH = 63 - "vcluster-".length;

const dnsLabel = (example: string, max = 63) =>
    z.string()
        .max(max, { error: `must be at most ${max} characters` })
        .regex(DNS1123_LABEL, {
            error: `must be a DNS-1123 label (lowercase letters, digits, "-"; starting and ending with a letter or digit), e.g. "${example}"`,
        });

const dnsName = (example: string) =>
    z.string().regex(DNS_NAME, { error: `must be a DNS name (lowercase, dot-separated labels), e.g. "${example}"` });

/**
 * The userinfo of a URL that carries a credential: anything before `@` in an http(s) or oci URL
 * (a token alone is a credential), and a password in an ssh URL (`ssh://git@host/…` is fine).
 * Undefined when the URL carries none.
 */
export function urlCredentials(url: string): string | undefined {
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)@/i.exec(url);
    if (!match) return undefined;
    const [, scheme, userinfo] = match;
    if (scheme.toLowerCase() === "ssh" && !userinfo.includes(":")) return undefined;
    return userinfo;
}

/** The URL with any credential it carries replaced by `****`, so no message echoes it. */
export function maskUrlCredentials(url: string): string {
    const userinfo = urlCredentials(url);
    return userinfo === undefined ? url : url.replace(`${userinfo}@`, "****@");
}

const url = (example: string, fix: string) =>
    z.string()
        .regex(/^(https?|ssh|oci):\/\/[^\s]+$|^git@[^\s:]+:[^\s]+$/, {
            error: `must be a repository URL (https://, ssh://, oci:// or git@host:path), e.g. "${example}"`,
        })
        .refine((value) => urlCredentials(value) === undefined, {
            error: `has credentials in it, which would then sit in Pulumi's state and in Argo CD's objects; remove them from the URL and ${fix}`,
        });

/** Where a tenant's repository credentials go instead of its URL. */
const TENANT_REPO_CREDENTIALS = `keep them in the tenant's Vault space under repos/, named by the repo's credentialsVaultKey, e.g. "repos/team-a-apps"`;

/**
 * Kubernetes quantities (`500m`, `4`, `8Gi`). Kubernetes accepts them as int-or-string, so a YAML
 * number (`cpu: 4`) is accepted too and becomes its string form.
 */
const quantity = (example: string) =>
    z.union([z.string(), z.number()], { error: `must be a Kubernetes quantity (a number or a string), e.g. "${example}"` })
        .transform((value) => (typeof value === "number" ? String(value) : value))
        .pipe(z.string().regex(QUANTITY, { error: `must be a Kubernetes quantity, e.g. "${example}"` }));

/**
 * An SSO group as Argo CD's RBAC reads it: one field of a Casbin CSV line. A comma or a quote
 * would split or swallow the line, and `role:`/`proj:` are the names Argo CD gives its own
 * roles, so a group named like one would inherit (or hand out) that role's grants.
 */
const ssoGroup = () =>
    z.string()
        .min(1, { error: "must not be empty" })
        .refine((value) => !/[,"\u0000-\u001f\u007f]/.test(value) && value.trim() === value, {
            error: `must not contain commas, quotes, control characters or leading/trailing spaces (Argo CD reads it as one field of a policy.csv line), e.g. "team-a-admins"`,
        })
        .refine((value) => !/^(role|proj):/.test(value), {
            error: `must not start with "role:" or "proj:", the names of Argo CD's own roles, e.g. "team-a-admins"`,
        });

const replicas = (min: number, max: number) => z.number().int({ error: "must be a whole number" }).min(min).max(max);

// ---------------------------------------------------------------------------------------
// Platform

export const issuerSchema = z.discriminatedUnion("type", [
    z.strictObject({
        /** A self-signed root whose CA then issues every platform certificate (dev). */
        type: z.literal("selfSigned"),
    }),
    z.strictObject({
        type: z.literal("acme"),
        /** Account e-mail registered with the ACME server. */
        email: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: `must be an e-mail address, e.g. "platform@example.com"` }),
        /** @default Let's Encrypt production */
        server: z.string().regex(/^https:\/\//, { error: `must be an https:// ACME directory URL` }),
        /** Ingress class that answers HTTP-01 challenges. */
        ingressClassName: dnsLabel("nginx"),
    }),
    z.strictObject({
        type: z.literal("ca"),
        /** Secret in the cert-manager namespace holding the CA's `tls.crt`/`tls.key`; created outside Pulumi. */
        secretName: dnsLabel("platform-ca"),
    }),
], { error: `must have "type" set to one of "selfSigned", "acme", "ca"` });

export const autoUnsealSchema = z.strictObject({
    /** Vault seal stanza type. */
    type: z.enum(["awskms", "gcpckms", "azurekeyvault", "transit", "ocikms"]),
    /** The seal stanza's non-secret settings (key ids, regions); credentials come from workload identity. */
    settings: z.record(z.string(), z.string()),
});

export const vaultSchema = z.strictObject({
    /** `dev`: in-memory dev server (dev stack only); `ha`: raft cluster; `external`: an existing Vault/OpenBao. */
    mode: z.enum(["dev", "ha", "external"]),
    /** Address Pulumi's Vault provider talks to (a port-forward, an ingress, or the external Vault). */
    address: z.string().regex(/^https?:\/\/[^\s]+$/, { error: `must be an http(s):// URL, e.g. "https://vault.example.com:8200"` }),
    /**
     * Whether Vault is initialised and unsealed, so Pulumi can configure it. An `ha` Vault starts
     * uninitialised: deploy it with `false`, run `vault operator init`, then set `true`.
     */
    initialized: z.boolean(),
    /** Address External Secrets uses from inside the hub. @default derived from the mode */
    inClusterAddress: z.string().regex(/^https?:\/\/[^\s]+$/, { error: `must be an http(s):// URL` }).optional(),
    /** Raft voters in `ha` mode; odd so a quorum survives one loss. */
    replicas: replicas(1, 7),
    storageGiB: z.number().int().min(1).max(10_000),
    /** Seal configuration for `ha` mode; without it the servers start sealed and wait for `vault operator unseal`. */
    autoUnseal: autoUnsealSchema.optional(),
    /** Audience the Kubernetes-auth roles require of service-account tokens. */
    audience: dnsLabel("vault"),
    /** API server address Vault uses to review tokens. */
    kubernetesHost: z.string().regex(/^https:\/\/[^\s]+$/, { error: `must be an https:// URL, e.g. "https://kubernetes.default.svc"` }),
});

export const oidcSchema = z.strictObject({
    /** Issuer URL of the identity provider. */
    issuer: z.string().regex(/^https:\/\/[^\s]+$/, { error: `must be an https:// URL` }),
    clientID: z.string().min(1),
    // The client secret never passes through Pulumi: External Secrets copies it from the
    // platform's Vault mount (key `argocd/oidc`, field `clientSecret`) into Argo CD's namespace.
    requestedScopes: z.array(z.string().min(1)),
});

export const rootAppSchema = z.strictObject({
    repoURL: url("https://github.com/acme/platform-gitops.git", "give Argo CD the repository's credentials through a repository secret outside Pulumi"),
    path: z.string().min(1),
    targetRevision: z.string().min(1),
});

export const argocdSchema = z.strictObject({
    /** Argo CD UI host name; when set, an Ingress with a cert-manager certificate is created. */
    hostname: dnsName("argocd.example.com").optional(),
    ingressClassName: dnsLabel("nginx"),
    /** HA Redis and several replicas of every Argo CD server. */
    ha: z.boolean(),
    /** SSO groups that get Argo CD's admin role (everything, in every project). */
    adminGroups: z.array(ssoGroup()),
    /**
     * SSO groups that may read everything (Argo CD's `role:readonly`), e.g. an SRE on-call group.
     * Nobody else gets any platform-wide role: a signed-in user sees only the projects their
     * groups own. @default []
     */
    readOnlyGroups: z.array(ssoGroup()),
    oidc: oidcSchema.optional(),
    rootApp: rootAppSchema,
    /** Sizing profile for the GitOps control plane; `auto` picks it from the tenant count. */
    sizing: z.enum(["auto", "small", "medium", "large"]),
});

export const kyvernoSchema = z.strictObject({
    admissionReplicas: replicas(1, 9),
    /** `Audit` records violations in policy reports; `Enforce` rejects them at admission. */
    validationFailureAction: z.enum(["Audit", "Enforce"]),
    /** Policy Reporter with its UI, so teams see their reports without kubectl. */
    policyReporter: z.boolean(),
});

export const externalSecretsSchema = z.strictObject({
    replicas: replicas(1, 5),
    /** How often ExternalSecrets re-read Vault. */
    refreshIntervalSeconds: z.number().int().min(10).max(86_400),
});

export const complianceSchema = z.strictObject({
    /** Registries workload images may come from (restrict-image-registries). */
    allowedRegistries: z.array(z.string().min(1)).min(1, { error: "must name at least one registry" }),
});

/** How tenant vCluster API servers are reached from outside the hub. */
export const EXPOSURE_MODES = ["none", "gateway", "ingress"] as const;

export const platformExposureSchema = z.strictObject({
    /**
     * `none`: no vCluster API is reachable from outside the hub. `gateway`: one shared Gateway
     * (Gateway API) with a TLS-passthrough listener per exposed tenant. `ingress`: one
     * ingress-nginx Ingress per exposed tenant with SSL passthrough (the controller must run
     * with `--enable-ssl-passthrough`). Either way TLS ends at the vCluster itself.
     */
    mode: z.enum(EXPOSURE_MODES),
    /** GatewayClass of the hub's Gateway controller (it must support TLSRoute); required in `gateway` mode. */
    gatewayClassName: dnsName("eg").optional(),
    /** Ingress class of an ingress-nginx controller. @default "nginx" in `ingress` mode */
    ingressClassName: dnsLabel("nginx").optional(),
    /**
     * Namespace of the pods that proxy the traffic (ingress-nginx, or the Gateway's data plane);
     * the tenant namespace's NetworkPolicy admits them to the vCluster API and nobody else.
     * @default "ingress-nginx" in `ingress` mode, the Gateway's namespace in `gateway` mode
     */
    proxyNamespace: dnsLabel("ingress-nginx").optional(),
});

/** Kubernetes label keys (an optional DNS-subdomain prefix and `/`, then a name) and values. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const labelKey = () => z.string().regex(LABEL_KEY, { error: `must be a Kubernetes label key, e.g. "gitops-hub.io/node-pool"` });
const labelValue = () => z.string().regex(LABEL_VALUE, { error: `must be a Kubernetes label value (at most 63 letters, digits, "-", "_", "."), e.g. "tenants"` });

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/**
 * The hub nodes tenant workloads run on. Every tenant pod the vCluster syncs to the hub gets
 * `nodeSelector` (and tolerates `taint`); a Kyverno policy on the hub sets and checks the same
 * selector on every pod in a tenant namespace, so a tenant cannot schedule next to Vault or
 * Argo CD. Required in prod.
 */
export const tenantNodesSchema = z.strictObject({
    /** Labels of the tenant nodes, e.g. `{ "gitops-hub.io/node-pool": "tenants" }`. */
    nodeSelector: z.record(labelKey(), labelValue()).refine((labels) => Object.keys(labels).length > 0, {
        error: `must name at least one node label, e.g. { "gitops-hub.io/node-pool": "tenants" }`,
    }),
    /** The taint on the tenant nodes that keeps platform pods off them; tenant pods tolerate it. @default - no taint */
    taint: z.strictObject({
        key: labelKey(),
        value: labelValue().optional(),
        effect: z.enum(TAINT_EFFECTS),
    }).optional(),
});

const IP_ADDRESS = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/;

/**
 * The hub API server's endpoints, the only place a vCluster control plane may open connections
 * to besides DNS. Find them with
 * `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes -o jsonpath='{range .items[*].endpoints[*]}{.addresses[0]}{"\n"}{end}'`
 * (and the port with `…{.items[*].ports[*].port}`). Required in prod.
 */
export const hubApiServerSchema = z.strictObject({
    endpoints: z.array(z.strictObject({
        /** An IP address of the API server (an endpoint of the `kubernetes` Service). */
        address: z.string().regex(IP_ADDRESS, { error: `must be an IP address, e.g. "10.0.0.10"` }),
        /** Its port, usually 6443 (443 on some managed clusters). */
        port: z.number().int().min(1).max(65_535),
    })).min(1, { error: `must list at least one endpoint, e.g. [{ address: "10.0.0.10", port: 6443 }]` }),
});

export const platformSchema = z.strictObject({
    environment: z.enum(ENVIRONMENTS),
    /** DNS zone under which platform and tenant host names live. */
    domain: dnsName("dev.gitops.example.com"),
    /** Protect stateful resources (Vault, vClusters, tenant secret spaces) from deletion. */
    protectStatefulResources: z.boolean(),
    certManager: z.strictObject({ issuer: issuerSchema }),
    vault: vaultSchema,
    externalSecrets: externalSecretsSchema,
    kyverno: kyvernoSchema,
    argocd: argocdSchema,
    compliance: complianceSchema,
    /** Reaching tenant vClusters from outside the hub. @default { mode: "none" } */
    exposure: platformExposureSchema,
    /** The hub nodes tenant workloads run on. Required in prod. @default - anywhere (dev only) */
    tenantNodes: tenantNodesSchema.optional(),
    /** The hub API server's endpoints, for the vCluster control planes' egress. Required in prod. @default - any address on ports 443 and 6443 (dev only) */
    hubApiServer: hubApiServerSchema.optional(),
});

// ---------------------------------------------------------------------------------------
// Tenants

export const ADDONS = ["kyverno", "kyverno-policies"] as const;
export type Addon = (typeof ADDONS)[number];

export const repoSchema = z.strictObject({
    url: url("https://github.com/acme/team-a-apps.git", TENANT_REPO_CREDENTIALS),
    type: z.enum(["git", "helm", "oci"]),
    /** Key in the tenant's Vault space with `username`/`password` (or `sshPrivateKey`); absent for public repos. */
    credentialsVaultKey: z.string().regex(/^[a-z0-9][-a-z0-9_/]*$/, { error: `must be a Vault key path like "repos/team-a-apps"` }).optional(),
});

export const syncOptions = [
    "CreateNamespace=false", "CreateNamespace=true", "PruneLast=true", "FailOnSharedResource=true",
    "RespectIgnoreDifferences=true", "ApplyOutOfSyncOnly=true", "ServerSideApply=true", "Replace=true",
    "Validate=false", "PrunePropagationPolicy=foreground", "PrunePropagationPolicy=background",
] as const;

export const applicationSchema = z.strictObject({
    name: dnsLabel("webapp"),
    repoURL: url("https://github.com/acme/team-a-apps.git", TENANT_REPO_CREDENTIALS),
    /** Directory in a git repo; exactly one of `path` and `chart`. */
    path: z.string().min(1).optional(),
    /** Chart name in a Helm or OCI repo; exactly one of `path` and `chart`. */
    chart: z.string().min(1).optional(),
    targetRevision: z.string().min(1),
    /** Namespace inside the tenant's vCluster. */
    namespace: dnsLabel("webapp"),
    /** @default the platform's sync options */
    syncOptions: z.array(z.enum(syncOptions)).optional(),
    /**
     * Track a moving revision (a branch such as `main`) on purpose. Without it the policy
     * application-revision-pinned flags a targetRevision that is not a release tag, an exact
     * chart version or a commit SHA (advisory in dev, mandatory in prod). @default false
     */
    allowMovingRevision: z.boolean().optional(),
});

export const quotaSchema = z.strictObject({
    cpu: quantity("4"),
    memory: quantity("8Gi"),
    pods: z.number().int().min(1).max(10_000),
    storageGiB: z.number().int().min(1).max(100_000),
});

export const syncWindowSchema = z.strictObject({
    kind: z.enum(["allow", "deny"]),
    /** Cron schedule as Argo CD reads it: five fields (minute hour day-of-month month day-of-week) or a descriptor such as "@daily". */
    schedule: z.string().superRefine((value, ctx) => {
        const problem = cronScheduleProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem, input: value });
    }),
    duration: z.string().regex(/^[0-9]+(h|m)$/, { error: `must be a duration like "1h" or "30m"` }),
    applications: z.array(z.string().min(1)).min(1),
    manualSync: z.boolean().optional(),
    timeZone: z.string().min(1).optional(),
});

export const tenantSchema = z.strictObject({
    name: dnsLabel("team-a", MAX_TENANT_NAME_LENGTH),
    /** `decommissioned` removes every grant (project, registration, Vault role) but keeps the vCluster and data. */
    state: z.enum(["active", "decommissioned"]),
    /** SSO groups that own the tenant: its AppProject's `owners` role. A group owns one tenant. */
    ownerGroups: z.array(ssoGroup()).min(1, { error: `must name at least one SSO group, e.g. ["team-a-admins"]` }),
    repos: z.array(repoSchema),
    applications: z.array(applicationSchema),
    vcluster: z.strictObject({
        /** Kubernetes minor version of the vCluster's control plane, e.g. "1.33". */
        kubernetesVersion: z.string().regex(/^1\.[0-9]{2}$/, { error: `must be a Kubernetes minor version, e.g. "1.33"` }),
        quota: quotaSchema,
        /**
         * Pod Security Standard the vCluster itself checks every pod against before syncing it to
         * the hub (vCluster's `policies.podSecurityStandard`). @default "baseline" in dev, "restricted" in prod
         */
        podSecurityStandard: z.enum(["baseline", "restricted"]),
    }),
    addons: z.strictObject(Object.fromEntries(ADDONS.map((a) => [a, z.boolean()])) as Record<Addon, z.ZodBoolean>),
    syncWindows: z.array(syncWindowSchema),
    /**
     * Whether the tenant's vCluster API is reachable from outside the hub at `<name>.<platform.domain>`,
     * with a kubeconfig pushed into the tenant's own Vault space. Needs `platform.exposure.mode`
     * other than `none`; a decommissioned tenant is never exposed. @default { enabled: false }
     */
    exposure: z.strictObject({ enabled: z.boolean() }),
    /** The owners' Argo CD access beyond their Applications and logs. @default { exec: false } */
    argocd: z.strictObject({
        /** A terminal into the tenant's pods from Argo CD's UI (Argo CD's exec; off platform-wide unless the platform enables it). */
        exec: z.boolean(),
    }),
});

/** The platform settings as the schema reads them, before the loader resolves them (its own checks use this). */
export type ParsedPlatformConfig = z.infer<typeof platformSchema>;

/** Vault settings, resolved: `inClusterAddress` is always there (the in-cluster Service, or the external Vault's). */
export type VaultConfig = ParsedPlatformConfig["vault"] & { inClusterAddress: string };

/** Exposure in `gateway` mode: the GatewayClass and the namespace of the Gateway's data plane. */
export type GatewayExposure = { mode: "gateway"; gatewayClassName: string; proxyNamespace: string };
/** Exposure in `ingress` mode: the ingress-nginx class and the controller's namespace. */
export type IngressExposure = { mode: "ingress"; ingressClassName: string; proxyNamespace: string };
/** How tenant vCluster APIs are reached from outside the hub, resolved: each mode with exactly its settings. */
export type PlatformExposureConfig = { mode: "none" } | GatewayExposure | IngressExposure;

/** The platform settings as the loader returns them: every default applied, every field a component reads present. */
export type PlatformConfig = Omit<ParsedPlatformConfig, "vault" | "exposure"> & { vault: VaultConfig; exposure: PlatformExposureConfig };
/** A tenant entry as the schema reads it, before the loader resolves it (its own checks use this). */
export type ParsedTenantConfig = z.infer<typeof tenantSchema>;
/** A tenant application, resolved: its sync options are its own or the platform's default. */
export type ApplicationConfig = z.infer<typeof applicationSchema> & { syncOptions: string[] };
/** A tenant entry as the loader returns it. */
export type TenantConfig = Omit<ParsedTenantConfig, "applications"> & { applications: ApplicationConfig[] };
export type RepoConfig = z.infer<typeof repoSchema>;
export type IssuerConfig = z.infer<typeof issuerSchema>;
export type TenantNodesConfig = z.infer<typeof tenantNodesSchema>;
export type HubApiServerConfig = z.infer<typeof hubApiServerSchema>;

/** The whole, validated config of one stack. */
export interface StackConfig {
    platform: PlatformConfig;
    tenants: TenantConfig[];
}
