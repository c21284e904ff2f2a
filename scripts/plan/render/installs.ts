// Which charts a recorded stack installs, and exactly what each one hands Helm: chart, version,
// repository, release name, namespace and values, as the provider that installs it would pass
// them. Three installers: `kubernetes:helm.sh/v4:Chart` (renders every object as its own
// resource, drops hooks), `kubernetes:helm.sh/v3:Release`, and
// `kubernetes-cert-manager:index:CertManager`, which passes its own inputs (all but
// `helmOptions`) as values under their Pulumi names to a `helm.v3.Release` child.
import type { RecordedResource } from "../../recorder";
import { SecretValue, UNKNOWN_VALUE } from "../../recorder";
import { Plan, isRecord } from "../model";

export const CHART_V4 = "kubernetes:helm.sh/v4:Chart";
export const RELEASE_V3 = "kubernetes:helm.sh/v3:Release";
export const CERT_MANAGER = "kubernetes-cert-manager:index:CertManager";
export const INSTALLER_TYPES = new Set([CHART_V4, RELEASE_V3, CERT_MANAGER]);

/** @pulumi/kubernetes-cert-manager's defaults (its provider's DefaultChartName / DefaultRepoURL). */
const CERT_MANAGER_DEFAULTS = { chart: "cert-manager", repo: "https://charts.jetstack.io" };

export type Installer = "helm.v4.Chart" | "helm.v3.Release" | "CertManager";

export interface ChartInstall {
    /** The installing resource as recorded. */
    resource: RecordedResource;
    installer: Installer;
    chart: string;
    version?: string;
    repo?: string;
    release: string;
    namespace: string;
    /** Values exactly as handed to Helm; secrets as `SecretValue`, unknowns as `UNKNOWN_VALUE`. */
    values: Record<string, unknown>;
    includeCrds: boolean;
    /**
     * helm.v4.Chart registers each object as a Pulumi resource (CrossGuard sees it) named
     * `<resourcePrefix>:<namespace>/<name>`; a Helm release keeps its objects to itself.
     */
    childrenAreResources: boolean;
    /** helm.v4.Chart's `resourcePrefix` (default: the Chart's logical name). */
    resourcePrefix: string;
    /** A Helm release with `createNamespace` creates its namespace; helm.v4.Chart never does. */
    createsNamespace: boolean;
    /** Inputs the offline render cannot honour (e.g. valueYamlFiles), named for the report. */
    unsupported: string[];
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function unwrapSecret(value: unknown): unknown {
    return value instanceof SecretValue ? value.value : value;
}

function record(value: unknown): Record<string, unknown> {
    const plain = unwrapSecret(value);
    return isRecord(plain) ? plain : {};
}

function fromChartV4(resource: RecordedResource): ChartInstall {
    const inputs = resource.inputs;
    const unsupported = ["valueYamlFiles", "postRenderer", "dependencyUpdate"].filter((k) => inputs[k] !== undefined);
    return {
        resource,
        installer: "helm.v4.Chart",
        chart: str(inputs.chart) ?? "",
        version: str(inputs.version),
        repo: str(record(inputs.repositoryOpts).repo),
        // The provider names the release after the Chart resource when `name` is unset.
        release: str(inputs.name) ?? resource.name,
        namespace: str(inputs.namespace) ?? "default",
        values: record(inputs.values),
        includeCrds: unwrapSecret(inputs.skipCrds) !== true,
        childrenAreResources: true,
        resourcePrefix: str(inputs.resourcePrefix) ?? resource.name,
        createsNamespace: false,
        unsupported,
    };
}

function fromRelease(resource: RecordedResource, options: Record<string, unknown>, values: Record<string, unknown>, installer: Installer, defaults: { chart?: string; repo?: string } = {}): ChartInstall {
    return {
        resource,
        installer,
        chart: str(options.chart) ?? defaults.chart ?? "",
        version: str(options.version),
        repo: str(record(options.repositoryOpts).repo) ?? defaults.repo,
        // A Release without `name` gets a generated one; its logical name is the closest stand-in.
        release: str(options.name) ?? resource.name,
        namespace: str(options.namespace) ?? "default",
        values,
        includeCrds: unwrapSecret(options.skipCrds) !== true,
        childrenAreResources: false,
        resourcePrefix: resource.name,
        createsNamespace: unwrapSecret(options.createNamespace) === true,
        unsupported: ["valueYamlFiles", "postrender"].filter((k) => options[k] !== undefined),
    };
}

function fromCertManager(resource: RecordedResource): ChartInstall {
    const { helmOptions, ...typed } = resource.inputs;
    const options = record(helmOptions);
    // Like the provider: the typed inputs are written over helmOptions.values, key by key.
    const values = { ...record(options.values), ...typed };
    // The provider registers its Release as `<name>-helm`; the plan reports it under the component.
    return fromRelease(resource, options, values, "CertManager", CERT_MANAGER_DEFAULTS);
}

/** Every chart the plan installs, in URN order. */
export function chartInstalls(plan: Plan): ChartInstall[] {
    return [...plan.resources]
        .filter((r) => INSTALLER_TYPES.has(r.type) && !r.read)
        .sort((a, b) => a.urn.localeCompare(b.urn))
        .map((r) => (r.type === CHART_V4 ? fromChartV4(r) : r.type === CERT_MANAGER ? fromCertManager(r) : fromRelease(r, r.inputs, record(r.inputs.values), "helm.v3.Release")));
}

/** Dotted paths of the values that are unknown until deployment. */
export function unknownPaths(value: unknown, at = ""): string[] {
    if (value === UNKNOWN_VALUE) return [at || "(values)"];
    if (value instanceof SecretValue) return unknownPaths(value.value, at);
    if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, `${at}[${i}]`));
    if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, at ? `${at}.${k}` : k));
    return [];
}

/** Placeholder Helm gets for a value unknown until deployment. */
export const UNKNOWN_PLACEHOLDER = "[unknown]";

/** Values as Helm reads them: secrets unwrapped (they go to a private temporary file only), unknowns as a placeholder. */
export function helmValues(value: unknown): unknown {
    if (value instanceof SecretValue) return helmValues(value.value);
    if (value === UNKNOWN_VALUE) return UNKNOWN_PLACEHOLDER;
    if (Array.isArray(value)) return value.map(helmValues);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, helmValues(v)]));
    }
    return value;
}
