// Turns a stack's raw config into one typed, validated `StackConfig`, or one `ConfigError`
// that lists every problem with its path, the value received and the fix. Pure: the Pulumi
// side (reading `pulumi.Config`) lives in stack-config.ts.
import { closest, distance } from "fastest-levenshtein";
import type { core, z } from "zod";
import {
    ACME_DEFAULTS, DEFAULT_SYNC_OPTIONS, GATEWAY_EXPOSURE_DEFAULTS, INGRESS_EXPOSURE_DEFAULTS, isPlainObject, mergeDefaults, platformDefaults, tenantDefaults,
} from "./defaults";
import { REPO_CREDENTIALS_PREFIX, VCLUSTER_KUBERNETES_IMAGE_TAGS, applicationName, defaultArgoCdHost, inClusterVaultAddress, tenantApiHost } from "./contract";
import {
    ENVIRONMENTS, Environment, ParsedPlatformConfig, ParsedTenantConfig, PlatformConfig, PlatformExposureConfig, RESERVED_TENANT_NAMES, StackConfig,
    TenantConfig, maskUrlCredentials, platformSchema, tenantSchema,
} from "./schema";

/** Helm refuses release names longer than this; a tenant's vCluster release is the tenant's name. */
export const MAX_HELM_RELEASE_NAME_LENGTH = 53;

/** The config namespace of this project in `Pulumi.<stack>.yaml`. */
export const CONFIG_NAMESPACE = "gitops-hub";

/** Every key this project reads; secrets are marked. */
export const CONFIG_KEYS = {
    platform: { secret: false },
    tenants: { secret: false },
    /**
     * Vault admin token for Pulumi's Vault provider. Optional: without it the provider reads
     * `VAULT_TOKEN` from the environment of `pulumi up` (e.g. from a CI secret store), and the
     * token is then never stored by Pulumi at all.
     */
    vaultToken: { secret: true },
    /**
     * Sharded layout: the hub stack this tenant stack reads its platform settings from, through a
     * StackReference (`<organization>/<project>/<stack>`, or `<stack>` in the same project).
     */
    hubStack: { secret: false },
} as const;

const PLATFORM_IN_SHARD = `${CONFIG_NAMESPACE}:platform is set in a tenant shard stack (it has ${CONFIG_NAMESPACE}:hubStack); a shard takes its platform settings from the hub stack, so remove ${CONFIG_NAMESPACE}:platform here`;

/** Fully qualified or short Pulumi stack names. */
const STACK_NAME = /^(?:[A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/;

/**
 * What a tenant shard may not do that a platform stack may: own exposed tenants in `gateway`
 * mode, since the one shared Gateway (one listener per tenant) belongs to a single stack.
 */
export function shardProblems(config: StackConfig): string[] {
    if (config.platform.exposure.mode !== "gateway") return [];
    return config.tenants.flatMap((tenant, index) => tenant.exposure.enabled && tenant.state === "active"
        ? [`tenants[${index}].exposure.enabled true needs the hub's shared Gateway (platform.exposure.mode "gateway"), which a tenant shard cannot share with other stacks; keep exposed tenants in the hub stack, or use exposure mode "ingress" with shards`]
        : []);
}

/**
 * The hub stack a tenant shard reads, or undefined for a platform stack. Checks what must hold
 * before the StackReference is even created; throws `ConfigError`.
 */
export function shardHubStack(raw: RawStackConfig): string | undefined {
    const hubStack = raw.values.hubStack;
    if (hubStack === undefined) return undefined;
    const problems: string[] = [];
    checkTopLevelKeys(raw, problems);
    if (typeof hubStack !== "string" || !STACK_NAME.test(hubStack)) {
        problems.push(`${CONFIG_NAMESPACE}:hubStack ${show(hubStack)} must be a Pulumi stack name, e.g. "acme/gitops-hub/prod"`);
    }
    if (raw.values.platform !== undefined) {
        problems.push(PLATFORM_IN_SHARD);
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return hubStack as string;
}

/** What the loader reads: plain values for plain keys, and which secret keys are set (never their values). */
export interface RawStackConfig {
    /** Every `gitops-hub:*` key the stack sets, without the namespace, with its (plain) value. */
    values: Record<string, unknown>;
    /** Secret keys that are set; their values stay with Pulumi. */
    secretsSet: ReadonlySet<string>;
}

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(
            `The stack's config has ${problems.length} problem${problems.length === 1 ? "" : "s"}; ` +
            `nothing was deployed:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
        this.name = "ConfigError";
    }
}

/** Validates the whole config and applies per-environment defaults. Throws `ConfigError`. */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
    const problems: string[] = [];
    checkTopLevelKeys(raw, problems);
    if (raw.values.hubStack !== undefined && raw.values.platform !== undefined) {
        problems.push(PLATFORM_IN_SHARD);
    }

    const platformRaw = raw.values.platform ?? {};
    if (!isPlainObject(platformRaw)) {
        problems.push(`platform ${show(platformRaw)} must be a mapping of platform settings`);
        throw new ConfigError(problems);
    }
    const environment = platformRaw.environment;
    if (!ENVIRONMENTS.includes(environment as Environment)) {
        problems.push(
            environment === undefined
                ? `platform.environment is missing; set it to one of ${ENVIRONMENTS.map(show).join(", ")}`
                : `platform.environment ${show(environment)} must be one of ${ENVIRONMENTS.map(show).join(", ")}`,
        );
        throw new ConfigError(problems);
    }
    const env = environment as Environment;

    const platformInput = withExposureDefaults(withIssuerDefaults(mergeDefaults(platformDefaults(env), platformRaw)));
    // A field that fails its schema does not stop the checks of the others: each part that parses
    // is checked across fields, so one run reports every problem.
    const platform = parsePartly(platformSchema, platformInput);
    problems.push(...formatIssues(platform.issues, "platform", platformSchema));

    // `gitops-hub:tenants:` with nothing after it is YAML's null: no tenants.
    const tenantsRaw = raw.values.tenants ?? [];
    const tenants: ParsedTenantConfig[] = [];
    const tenantPaths: string[] = [];
    const partialTenants: { tenant: Partial<ParsedTenantConfig>; path: string }[] = [];
    if (!Array.isArray(tenantsRaw)) {
        problems.push(`tenants ${show(tenantsRaw)} must be a list of tenant entries`);
    } else {
        tenantsRaw.forEach((entry, index) => {
            const path = `tenants[${index}]`;
            if (!isPlainObject(entry)) {
                problems.push(`${path} ${show(entry)} must be a mapping with at least "name" and "ownerGroups"`);
                return;
            }
            const parsed = parsePartly(tenantSchema, mergeDefaults(tenantDefaults(env), entry));
            problems.push(...formatIssues(parsed.issues, path, tenantSchema));
            problems.push(...checkTenant(parsed.partial, path));
            partialTenants.push({ tenant: parsed.partial, path });
            if (parsed.complete) {
                tenants.push(parsed.complete);
                tenantPaths.push(path);
            }
        });
        problems.push(...checkTenantNames(tenantsRaw));
        problems.push(...checkOwnerGroups(partialTenants));
    }

    problems.push(...checkPlatform(platform.partial, platformInput as Record<string, unknown>, partialTenants.length));
    problems.push(...checkExposure(platform.partial, tenants, tenantPaths));
    if (problems.length > 0) throw new ConfigError(problems);
    return { platform: resolvePlatform(platform.complete!), tenants: tenants.map(resolveTenant) };
}

/** The checked tenant entry with each application's sync options: its own, else DEFAULT_SYNC_OPTIONS. */
function resolveTenant(tenant: ParsedTenantConfig): TenantConfig {
    return { ...tenant, applications: tenant.applications.map((app) => ({ ...app, syncOptions: app.syncOptions ?? [...DEFAULT_SYNC_OPTIONS] })) };
}

/**
 * The checked platform settings with what the checks guarantee made explicit: the in-cluster
 * Vault address (an in-cluster Vault's Service unless the stack names one), and the exposure
 * mode with exactly its settings (withExposureDefaults filled them in, checkExposure required them).
 */
function resolvePlatform(platform: ParsedPlatformConfig): PlatformConfig {
    const { vault, exposure } = platform;
    const inClusterAddress = vault.inClusterAddress ?? (vault.mode === "external" ? "" : inClusterVaultAddress(vault.mode));
    let resolved: PlatformExposureConfig;
    if (exposure.mode === "gateway") resolved = { mode: "gateway", gatewayClassName: exposure.gatewayClassName!, proxyNamespace: exposure.proxyNamespace! };
    else if (exposure.mode === "ingress") resolved = { mode: "ingress", ingressClassName: exposure.ingressClassName!, proxyNamespace: exposure.proxyNamespace! };
    else resolved = { mode: "none" };
    return { ...platform, vault: { ...vault, inClusterAddress }, exposure: resolved };
}

/**
 * Parses an object schema as a whole (for its issues, unknown keys included) and field by field,
 * so the fields that are valid can still be checked against each other.
 */
function parsePartly<S extends z.ZodObject>(schema: S, input: unknown): { complete?: z.infer<S>; partial: Partial<z.infer<S>>; issues: core.$ZodIssue[] } {
    const whole = schema.safeParse(input, { reportInput: true });
    if (whole.success) return { complete: whole.data, partial: whole.data, issues: [] };
    const partial: Record<string, unknown> = {};
    if (isPlainObject(input)) {
        for (const [key, field] of Object.entries(schema.shape)) {
            const part = (field as z.ZodType).safeParse(input[key]);
            if (part.success && part.data !== undefined) partial[key] = part.data;
        }
    }
    return { partial: partial as Partial<z.infer<S>>, issues: whole.error.issues };
}

function withIssuerDefaults(platform: unknown): unknown {
    if (!isPlainObject(platform) || !isPlainObject(platform.certManager)) return platform;
    const issuer = platform.certManager.issuer;
    if (!isPlainObject(issuer) || issuer.type !== "acme") return platform;
    return mergeDefaults(platform, { certManager: { issuer: mergeDefaults(ACME_DEFAULTS, issuer) } });
}

function withExposureDefaults(platform: unknown): unknown {
    if (!isPlainObject(platform) || !isPlainObject(platform.exposure)) return platform;
    const defaults = platform.exposure.mode === "ingress" ? INGRESS_EXPOSURE_DEFAULTS
        : platform.exposure.mode === "gateway" ? GATEWAY_EXPOSURE_DEFAULTS : undefined;
    return defaults ? mergeDefaults(platform, { exposure: mergeDefaults(defaults, platform.exposure) }) : platform;
}

function checkTopLevelKeys(raw: RawStackConfig, problems: string[]): void {
    const known = Object.keys(CONFIG_KEYS);
    for (const key of [...Object.keys(raw.values), ...raw.secretsSet]) {
        if (known.includes(key)) continue;
        problems.push(`${CONFIG_NAMESPACE}:${key} is not a setting of this project${suggest(key, known)}; known settings: ${known.map((k) => `${CONFIG_NAMESPACE}:${k}`).join(", ")}`);
    }
    for (const [key, meta] of Object.entries(CONFIG_KEYS)) {
        if (meta.secret && key in raw.values) {
            problems.push(`${CONFIG_NAMESPACE}:${key} is stored in plain text; remove it and set it with \`pulumi config set --secret ${CONFIG_NAMESPACE}:${key} <value>\``);
        }
    }
}

function checkPlatform(platform: Partial<ParsedPlatformConfig>, given: Record<string, unknown>, tenantCount: number): string[] {
    const problems: string[] = [];
    const { vault, environment, certManager, compliance, kyverno, argocd } = platform;
    const prod = environment === "prod";
    if (vault) {
        if (vault.mode === "dev" && environment !== "dev") {
            problems.push(`platform.vault.mode "dev" is only allowed in the dev environment (a dev server keeps every secret in memory and is unsealed with a known token); use "ha" or "external"`);
        }
        if (vault.mode === "ha" && (vault.replicas < 3 || vault.replicas % 2 === 0)) {
            problems.push(`platform.vault.replicas ${vault.replicas} must be an odd number of at least 3 in "ha" mode, so the raft quorum survives the loss of a server; e.g. 3`);
        }
        if (vault.mode === "external" && !vault.inClusterAddress) {
            problems.push(`platform.vault.inClusterAddress is missing; an "external" Vault needs the address External Secrets reaches from inside the hub, e.g. "https://vault.example.com:8200"`);
        }
        if (vault.autoUnseal && vault.mode !== "ha") {
            problems.push(`platform.vault.autoUnseal is only used in "ha" mode (mode is ${show(vault.mode)}); remove it`);
        }
        if (!vault.initialized && tenantCount > 0) {
            problems.push(`platform.vault.initialized is false but ${tenantCount} tenant${tenantCount === 1 ? " is" : "s are"} configured; tenants need a configured Vault: deploy the platform without tenants, initialise Vault (stack output vaultNextSteps), then set platform.vault.initialized to true`);
        }
    }
    if (vault?.autoUnseal) {
        const bad = Object.keys(vault.autoUnseal.settings).filter((key) => !/^[a-z][a-z0-9_]*$/.test(key));
        if (bad.length > 0) {
            problems.push(`platform.vault.autoUnseal.settings keys ${bad.map((k) => JSON.stringify(k)).join(", ")} must be seal parameter names (lowercase letters, digits, "_"), e.g. "kms_key_id"`);
        }
    }
    if (kyverno && (kyverno.admissionReplicas === 2 || (prod && kyverno.admissionReplicas < 3))) {
        problems.push(`platform.kyverno.admissionReplicas ${kyverno.admissionReplicas}: Kyverno's admission controller is highly available with 3 or more replicas (2 is not supported); use ${prod ? 3 : "1 or 3"}`);
    }
    if (argocd?.oidc && !argocd.hostname && platform.domain !== undefined) {
        problems.push(`platform.argocd.oidc is set but platform.argocd.hostname is not; SSO redirects to the UI's URL, so set a hostname, e.g. "argocd.${platform.domain}"`);
    }
    if (certManager?.issuer.type === "selfSigned" && prod) {
        problems.push(`platform.certManager.issuer.type "selfSigned" is not trusted by anyone outside the cluster; in prod use "acme" or "ca"`);
    }
    if (compliance && prod) {
        compliance.allowedRegistries.forEach((prefix, i) => {
            const problem = registryPrefixProblem(prefix);
            if (problem) problems.push(`platform.compliance.allowedRegistries[${i}] ${show(prefix)} ${problem}; in prod list each trusted registry as a host and path ending in "/", e.g. "ghcr.io/acme/"`);
        });
    }
    // `given`: what the stack set; a setting that is there but invalid is reported by the schema.
    if (prod && given.tenantNodes === undefined) {
        problems.push(`platform.tenantNodes is missing; in prod tenant pods must run on nodes of their own, not next to Vault or Argo CD: label (and taint) those nodes and set e.g. { nodeSelector: { "gitops-hub.io/node-pool": "tenants" }, taint: { key: "gitops-hub.io/node-pool", value: "tenants", effect: "NoSchedule" } }`);
    }
    if (prod && given.hubApiServer === undefined) {
        problems.push(`platform.hubApiServer is missing; in prod a vCluster control plane may reach only the hub API server: set its endpoints, e.g. { endpoints: [{ address: "10.0.0.10", port: 6443 }] } (find them with \`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes\`)`);
    }
    return problems;
}

/**
 * Why an image registry prefix lets more than one registry through, or undefined. Kyverno reads
 * each prefix as `<prefix>*`, so `*` or an empty prefix means any registry, and a host without
 * a `/` after it (`ghcr.io`) also matches `ghcr.io.example.net/…`.
 */
function registryPrefixProblem(prefix: string): string | undefined {
    if (prefix.trim() === "" || /^[*?]+$/.test(prefix.trim())) return "allows images from any registry";
    if (/[*?\s]/.test(prefix)) return "has a wildcard or a space in it, which lets other registries through";
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?\/([^/]+\/)*$/.test(prefix)) return "does not end in \"/\" after a registry host, so it also matches other hosts (\"ghcr.io\" matches \"ghcr.io.example.net/…\")";
    return undefined;
}

/** A Gateway holds at most 64 listeners (Gateway API GatewaySpec.listeners maxItems). */
export const MAX_GATEWAY_LISTENERS = 64;

/** Tenant vCluster exposure: the platform must offer a way in, and every host name must be a DNS name. */
function checkExposure(platform: Partial<ParsedPlatformConfig>, tenants: ParsedTenantConfig[], paths: string[]): string[] {
    const problems: string[] = [];
    const { exposure, domain } = platform;
    if (exposure === undefined || domain === undefined) return problems;
    const platformHosts = platformHostNames(platform);
    const only = (field: "gatewayClassName" | "ingressClassName", mode: string) => {
        if (exposure[field] !== undefined && exposure.mode !== mode) {
            problems.push(`platform.exposure.${field} ${show(exposure[field])} is only used in "${mode}" mode (mode is ${show(exposure.mode)}); remove it`);
        }
    };
    only("gatewayClassName", "gateway");
    only("ingressClassName", "ingress");
    if (exposure.mode === "none" && exposure.proxyNamespace !== undefined) {
        problems.push(`platform.exposure.proxyNamespace ${show(exposure.proxyNamespace)} is only used in "gateway" and "ingress" mode (mode is "none"); remove it`);
    }
    if (exposure.mode === "gateway" && exposure.gatewayClassName === undefined) {
        problems.push(`platform.exposure.gatewayClassName is missing; mode "gateway" needs the GatewayClass of the hub's Gateway controller (one that supports TLSRoute), e.g. "eg"`);
    }
    const exposed: string[] = [];
    tenants.forEach((tenant, i) => {
        if (!tenant.exposure.enabled) return;
        const path = paths[i];
        if (exposure.mode === "none") {
            problems.push(`${path}.exposure.enabled is true, but platform.exposure.mode is "none", so nothing outside the hub can reach the vCluster; set platform.exposure.mode to "gateway" or "ingress", or set ${path}.exposure.enabled to false`);
        }
        const host = tenantApiHost(tenant.name, domain);
        if (host.length > 253) {
            problems.push(`${path}.name "${tenant.name}" makes the vCluster API host name ${show(host)} ${host.length} characters long; a DNS name has at most 253; shorten the tenant name or platform.domain`);
        }
        const claimed = platformHosts.find((entry) => entry.host === host);
        if (claimed && tenant.state === "active") {
            problems.push(`${path}.name "${tenant.name}" with exposure.enabled true would serve the vCluster API at ${show(host)}, which is ${claimed.setting}; rename the tenant or turn its exposure off`);
        }
        if (tenant.state === "active") exposed.push(tenant.name);
    });
    if (exposure.mode === "gateway" && exposed.length > MAX_GATEWAY_LISTENERS) {
        problems.push(`platform.exposure.mode "gateway" gives every exposed tenant its own listener on one Gateway, which holds at most ${MAX_GATEWAY_LISTENERS}, but ${exposed.length} active tenants set exposure.enabled: true; expose at most ${MAX_GATEWAY_LISTENERS} or use mode "ingress"`);
    }
    return problems;
}

/** Every host name the platform's own settings give (or default to), with the setting that names it. */
function platformHostNames(platform: Partial<ParsedPlatformConfig>): { host: string; setting: string }[] {
    const hosts: { host: string; setting: string }[] = [];
    const add = (value: string | undefined, setting: string) => {
        if (value !== undefined) hosts.push({ host: value.toLowerCase(), setting });
    };
    const hostOf = (url: string | undefined) => (url === undefined ? undefined : /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url)?.[1]);
    const { argocd, vault, domain } = platform;
    if (argocd) {
        add(argocd.hostname ?? (domain !== undefined ? defaultArgoCdHost(domain) : undefined), argocd.hostname ? "platform.argocd.hostname" : "Argo CD's host name (platform.argocd.hostname's default)");
        add(hostOf(argocd.oidc?.issuer), "the host of platform.argocd.oidc.issuer");
        add(hostOf(argocd.rootApp.repoURL), "the host of platform.argocd.rootApp.repoURL");
    }
    if (vault) {
        add(hostOf(vault.address), "the host of platform.vault.address");
        add(hostOf(vault.inClusterAddress), "the host of platform.vault.inClusterAddress");
    }
    return hosts;
}

/**
 * A group owns one tenant: Argo CD then gives each group exactly one project. Entries that repeat
 * another's name are already reported as duplicates and are left out here.
 */
function checkOwnerGroups(tenants: { tenant: Partial<ParsedTenantConfig>; path: string }[]): string[] {
    const problems: string[] = [];
    const owner = new Map<string, { path: string; name?: string }>();
    const names = new Set<string>();
    for (const { tenant, path } of tenants) {
        if (tenant.name !== undefined) {
            if (names.has(tenant.name)) continue;
            names.add(tenant.name);
        }
        (tenant.ownerGroups ?? []).forEach((group, i) => {
            const first = owner.get(group);
            if (first === undefined) {
                owner.set(group, { path, name: tenant.name });
            } else if (first.path !== path) {
                problems.push(`${path}.ownerGroups[${i}] ${show(group)} already owns ${first.path}${first.name ? ` (${show(first.name)})` : ""}; a group owns one tenant, and its members see no other tenant's applications, so give this tenant its own group`);
            }
        });
    }
    return problems;
}

function checkTenantNames(tenants: unknown[]): string[] {
    const problems: string[] = [];
    const seen = new Map<string, number>();
    tenants.forEach((entry, index) => {
        if (!isPlainObject(entry) || typeof entry.name !== "string") {
            if (isPlainObject(entry) && entry.name === undefined) problems.push(`tenants[${index}].name is missing; every tenant needs a DNS-1123 label as its name, e.g. "team-a"`);
            return;
        }
        const name = entry.name;
        if ((RESERVED_TENANT_NAMES as readonly string[]).includes(name)) {
            problems.push(`tenants[${index}].name "${name}" is reserved by the platform; choose another name, e.g. "${name}-team"`);
        }
        const first = seen.get(name);
        if (first !== undefined) {
            problems.push(`tenants[${index}].name "${name}" is already used by tenants[${first}]; tenant names must be unique`);
        } else {
            seen.set(name, index);
        }
    });
    return problems;
}

function checkTenant(tenant: Partial<ParsedTenantConfig>, path: string): string[] {
    const problems: string[] = [];
    const { repos, applications, name } = tenant;
    const repoUrls = repos?.map((r) => r.url);
    const duplicates = (values: string[], field: string, what: string) => {
        values.forEach((value, i) => {
            const first = values.indexOf(value);
            if (first !== i) problems.push(`${path}.${field}[${i}] ${what} ${show(value)} is already listed at ${path}.${field}[${first}]; list it once`);
        });
    };
    if (repoUrls) duplicates(repoUrls, "repos", "url");
    if (applications) duplicates(applications.map((a) => a.name), "applications", "name");
    applications?.forEach((app, i) => {
        const appPath = `${path}.applications[${i}]`;
        if (repoUrls && !repoUrls.includes(app.repoURL)) {
            problems.push(`${appPath}.repoURL ${show(app.repoURL)} is not one of ${path}.repos${suggest(app.repoURL, repoUrls)}; add it to ${path}.repos first`);
        }
        if ((app.path === undefined) === (app.chart === undefined)) {
            problems.push(`${appPath} must set exactly one of "path" (a directory in a git repo) and "chart" (a Helm chart)`);
        }
        const repo = repos?.find((r) => r.url === app.repoURL);
        if (repo && repo.type === "git" && app.chart !== undefined) {
            problems.push(`${appPath}.chart "${app.chart}" needs a Helm or OCI repo, but ${show(repo.url)} is of type "git"; use "path" or change the repo's type`);
        }
        if (repo && repo.type !== "git" && app.path !== undefined) {
            problems.push(`${appPath}.path "${app.path}" needs a git repo, but ${show(repo.url)} is of type "${repo.type}"; use "chart"`);
        }
        if (name !== undefined && applicationName(name, app.name).length > 63) {
            problems.push(`${appPath}.name "${app.name}" makes the Application name "${applicationName(name, app.name)}" longer than 63 characters; shorten it`);
        }
    });
    problems.push(...checkTenantSpoke(tenant, path));
    return problems;
}

/** Limits the tenant's vCluster, Argo CD registration and Vault stores put on a tenant entry. */
function checkTenantSpoke(tenant: Partial<ParsedTenantConfig>, path: string): string[] {
    const problems: string[] = [];
    if (tenant.name !== undefined && tenant.name.length > MAX_HELM_RELEASE_NAME_LENGTH) {
        problems.push(`${path}.name "${tenant.name}" is ${tenant.name.length} characters; the tenant's vCluster is a Helm release named after it and Helm allows at most ${MAX_HELM_RELEASE_NAME_LENGTH}; shorten it`);
    }
    const versions = Object.keys(VCLUSTER_KUBERNETES_IMAGE_TAGS);
    if (tenant.vcluster && !versions.includes(tenant.vcluster.kubernetesVersion)) {
        problems.push(`${path}.vcluster.kubernetesVersion "${tenant.vcluster.kubernetesVersion}" is not offered by the pinned vCluster chart; use one of ${versions.map((v) => `"${v}"`).join(", ")}`);
    }
    tenant.repos?.forEach((repo, i) => {
        const key = repo.credentialsVaultKey;
        if (key !== undefined && (!key.startsWith(REPO_CREDENTIALS_PREFIX) || key.length === REPO_CREDENTIALS_PREFIX.length)) {
            problems.push(`${path}.repos[${i}].credentialsVaultKey "${key}" must be under "${REPO_CREDENTIALS_PREFIX}" in the tenant's Vault space (Argo CD may read nothing else of it), e.g. "${REPO_CREDENTIALS_PREFIX}${key.replace(/^repos\/?/, "") || "team-a-apps"}"`);
        }
    });
    tenant.applications?.forEach((app, i) => {
        const options = app.syncOptions ?? [];
        options.forEach((option, j) => {
            const [setting] = option.split("=");
            const first = options.findIndex((other) => other.split("=")[0] === setting);
            if (first !== j) problems.push(`${path}.applications[${i}].syncOptions[${j}] "${option}" sets ${setting} again after "${options[first]}" at syncOptions[${first}]; keep one`);
        });
    });
    const appNames = tenant.applications?.map((a) => a.name);
    if (appNames) {
        tenant.syncWindows?.forEach((window, w) => {
            window.applications.forEach((pattern, i) => {
                // Globs are Argo CD's business; a plain name must be one of the tenant's apps.
                if (/[*?[]/.test(pattern) || appNames.includes(pattern)) return;
                problems.push(`${path}.syncWindows[${w}].applications[${i}] "${pattern}" is not the name of one of ${path}.applications${suggest(pattern, appNames)}; name an application or use a glob such as "*"`);
            });
        });
    }
    return problems;
}

// ---------------------------------------------------------------------------------------
// Turning zod issues into sentences: path, value received, what is allowed, a suggestion.

export function formatIssues(issues: core.$ZodIssue[], prefix: string, schema: unknown): string[] {
    return issues.map((issue) => {
        const path = joinPath(prefix, issue.path);
        const input = (issue as { input?: unknown }).input;
        switch (issue.code) {
            case "unrecognized_keys": {
                const allowed = knownKeys(schema, issue.path);
                return issue.keys.map((key) =>
                    `${joinPath(path, [key])} is not a known setting${suggest(key, allowed)}; allowed here: ${allowed.join(", ")}`,
                ).join("\n  - ");
            }
            case "invalid_type":
                return input === undefined
                    ? `${path} is missing; it must be ${article(issue.expected)}`
                    : `${path} ${show(input)} must be ${article(issue.expected)}`;
            case "invalid_value": {
                const values = issue.values.map((v) => show(v));
                const hint = typeof input === "string" ? suggest(input, issue.values.map(String)) : "";
                return `${path} ${show(input)} must be one of ${values.join(", ")}${hint}`;
            }
            case "invalid_union":
                return `${path} ${show(input)} ${issue.message}`;
            case "too_small":
            case "too_big": {
                const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
                if (issue.message && !issue.message.startsWith("Too ")) return `${path} ${show(input)} ${issue.message}`;
                const word = issue.code === "too_small" ? "at least" : "at most";
                const unit = issue.origin === "array" ? " entries" : issue.origin === "string" ? " characters" : "";
                return `${path} ${show(input)} must be ${word} ${String(bound)}${unit}`;
            }
            default:
                return `${path} ${show(input)} ${issue.message}`;
        }
    });
}

function joinPath(prefix: string, path: PropertyKey[]): string {
    let out = prefix;
    for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
    return out;
}

/** The keys a (strict) object schema allows at `path`, for "did you mean". */
function knownKeys(schema: unknown, path: PropertyKey[]): string[] {
    let node: any = schema;
    for (const part of path) {
        node = unwrap(node);
        if (!node) return [];
        if (typeof part === "number") node = node.def?.element;
        else node = node.def?.shape?.[part as string] ?? findInUnion(node, part as string);
    }
    node = unwrap(node);
    if (node?.def?.type === "union") return [...new Set(node.def.options.flatMap((o: any) => Object.keys(o.def.shape ?? {})))] as string[];
    return Object.keys(node?.def?.shape ?? {});
}

function unwrap(node: any): any {
    while (node && (node.def?.type === "optional" || node.def?.type === "default" || node.def?.type === "nullable")) node = node.def.innerType;
    return node;
}

function findInUnion(node: any, key: string): any {
    if (node?.def?.type !== "union") return undefined;
    for (const option of node.def.options) if (option.def?.shape?.[key]) return option.def.shape[key];
    return undefined;
}

/** ` (did you mean "vault"?)` when one candidate is close enough to be a typo. */
export function suggest(value: string, candidates: readonly string[]): string {
    if (candidates.length === 0) return "";
    const best = closest(value, [...candidates]);
    const limit = Math.max(2, Math.floor(best.length / 3));
    return distance(value, best) <= limit ? ` (did you mean "${best}"?)` : "";
}

/** A value as messages quote it: JSON, shortened, with any credential in a URL masked. */
function show(value: unknown): string {
    if (value === undefined) return "(missing)";
    const text = JSON.stringify(value, (_key, v) => (typeof v === "string" ? maskUrlCredentials(v) : v));
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function article(expected: string): string {
    return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
