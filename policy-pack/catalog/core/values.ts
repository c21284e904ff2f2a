// Defensive readers for resource properties. Properties come from users, Helm values and the
// Pulumi engine; any field may be missing, of the wrong type, or a placeholder. Rules read
// through these helpers so that a malformed value yields a finding, never a crash.

/** An exact SemVer 2.0 version, with the leading `v` some charts and tags use (`v1.16.2`). */
export const EXACT_SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Pulumi type tokens of the Helm resources the platform uses. */
export const HELM_CHART_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Release"];

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `obj[a][b]…`, or undefined as soon as one step is not an object. */
export function dig(value: unknown, ...keys: string[]): unknown {
    let current = value;
    for (const key of keys) {
        if (!isRecord(current)) {
            return undefined;
        }
        current = current[key];
    }
    return current;
}

export function asString(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
    return Array.isArray(value) ? value : undefined;
}

/** Quotes a value for a message: strings in double quotes, anything else as compact JSON. */
export function show(value: unknown): string {
    if (value === undefined) {
        return "undefined";
    }
    if (typeof value === "string") {
        return JSON.stringify(value);
    }
    try {
        const text = JSON.stringify(value);
        return text.length > 120 ? `${text.slice(0, 117)}...` : text;
    } catch {
        return String(value);
    }
}

/** Dotted path segment for a map key: `labels.app` or `annotations["a.b/c"]`. */
export function key(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** The chart's short name of a Helm resource: `vcluster` for `vcluster`, `loft/vcluster` or `oci://…/vcluster`. */
export function chartName(props: Record<string, unknown>): string | undefined {
    const chart = asString(props.chart);
    if (chart === undefined) {
        return undefined;
    }
    const last = chart.replace(/\/+$/, "").split("/").pop() ?? "";
    // A packaged chart reference such as `vault-0.29.1.tgz` still names the chart.
    return last.replace(/-\d+\.\d+\.\d+.*\.tgz$/, "").replace(/\.tgz$/, "");
}

/** Whether the resource is a Helm chart/release of the chart with that name. */
export function isHelmChartNamed(type: string, props: Record<string, unknown>, name: string): boolean {
    return HELM_CHART_TYPES.includes(type) && chartName(props) === name;
}

/** Kubernetes kind from a Pulumi type token (`kubernetes:apps/v1:Deployment` → `Deployment`). */
export function kindOfType(type: string): string | undefined {
    const match = /^kubernetes:[^:]+:([A-Za-z0-9]+)$/.exec(type);
    return match ? match[1] : undefined;
}

/** Kubernetes apiVersion from a Pulumi type token (`kubernetes:core/v1:Pod` → `v1`). */
export function apiVersionOfType(type: string): string | undefined {
    const match = /^kubernetes:([^:]+):[A-Za-z0-9]+$/.exec(type);
    if (!match) {
        return undefined;
    }
    return match[1].startsWith("core/") ? match[1].slice("core/".length) : match[1];
}
