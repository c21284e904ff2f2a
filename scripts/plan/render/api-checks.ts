// The checks the API server makes that the upstream schemas cannot express: names and labels in
// the forms Kubernetes accepts (DNS-1123 label/subdomain, DNS-1035 label for Services, RBAC path
// segments, qualified label keys), and pod specs whose volumes, mounts, containers and ports
// contradict each other. Messages follow the API server's own wording (`Duplicate value`,
// `Not found`, `must be unique`), each with the field path, so a reader can grep upstream for it.
import { isRecord } from "../model";

export interface ObjectIssue {
    level: "error" | "warning";
    path: string;
    message: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])*$/;

const show = (value: unknown) => JSON.stringify(value);

export function dnsLabelError(value: string): string | undefined {
    if (value.length > 63) return "must be no more than 63 characters";
    if (!DNS1123_LABEL.test(value)) return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    return undefined;
}

export function dnsSubdomainError(value: string): string | undefined {
    if (value.length > 253) return "must be no more than 253 characters";
    if (!DNS1123_SUBDOMAIN.test(value)) return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    return undefined;
}

function dns1035Error(value: string): string | undefined {
    if (value.length > 63) return "must be no more than 63 characters";
    if (!DNS1035_LABEL.test(value)) return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    return undefined;
}

function pathSegmentError(value: string): string | undefined {
    if (value === "." || value === "..") return `may not be '${value}'`;
    if (/[/%]/.test(value)) return "may not contain '/' or '%'";
    return undefined;
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63 characters. */
export function qualifiedNameError(key: string): string | undefined {
    const parts = key.split("/");
    if (parts.length > 2) return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'";
    const name = parts[parts.length - 1];
    if (parts.length === 2) {
        if (parts[0].length === 0) return "prefix part must be non-empty";
        const prefix = dnsSubdomainError(parts[0]);
        if (prefix) return `prefix part ${prefix}`;
    }
    if (name.length === 0) return "name part must be non-empty";
    if (name.length > 63) return "name part must be no more than 63 characters";
    if (!QUALIFIED_NAME.test(name)) return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    return undefined;
}

function labelValueError(value: string): string | undefined {
    if (value.length > 63) return "must be no more than 63 characters";
    if (!LABEL_VALUE.test(value)) return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    return undefined;
}

function portNameError(value: string): string | undefined {
    if (value.length > 15) return "must be no more than 15 characters";
    if (!IANA_SVC_NAME.test(value)) return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
    if (value.includes("--")) return "must not contain consecutive hyphens";
    if (!/[a-z]/.test(value)) return "must contain at least one letter (a-z)";
    return undefined;
}

const invalid = (path: string, value: unknown, why: string): ObjectIssue => ({ level: "error", path, message: `Invalid value: ${show(value)}: ${why}` });

/** How the API server validates `metadata.name` per kind (apimachinery NameIsDNS…, RBAC path segments). */
function nameRule(apiVersion: string, kind: string): (name: string) => string | undefined {
    if (kind === "Namespace" && apiVersion === "v1") return dnsLabelError;
    if (kind === "Service" && apiVersion === "v1") return dns1035Error;
    if (apiVersion.startsWith("rbac.authorization.k8s.io/")) return pathSegmentError;
    return dnsSubdomainError;
}

function checkMetadata(manifest: Record<string, unknown>, issues: ObjectIssue[]): void {
    const apiVersion = String(manifest.apiVersion ?? "");
    const kind = String(manifest.kind ?? "");
    const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
    if (typeof metadata.name !== "string" || metadata.name === "") {
        issues.push({ level: "error", path: "metadata.name", message: "Required value: name or generateName is required" });
    } else {
        const why = nameRule(apiVersion, kind)(metadata.name);
        if (why) issues.push(invalid("metadata.name", metadata.name, why));
    }
    if (typeof metadata.namespace === "string") {
        const why = dnsLabelError(metadata.namespace);
        if (why) issues.push(invalid("metadata.namespace", metadata.namespace, why));
    }
    checkLabels(metadata.labels, "metadata.labels", issues);
    if (isRecord(metadata.annotations)) {
        for (const key of Object.keys(metadata.annotations)) {
            const why = qualifiedNameError(key);
            if (why) issues.push(invalid("metadata.annotations", key, why));
        }
    }
    if (kind === "CustomResourceDefinition" && apiVersion.startsWith("apiextensions.k8s.io/") && isRecord(manifest.spec)) {
        const plural = isRecord(manifest.spec.names) ? manifest.spec.names.plural : undefined;
        const expected = `${String(plural)}.${String(manifest.spec.group)}`;
        if (typeof metadata.name === "string" && metadata.name !== expected) issues.push(invalid("metadata.name", metadata.name, `must be spec.names.plural+"."+spec.group ("${expected}")`));
    }
}

function checkLabels(labels: unknown, at: string, issues: ObjectIssue[]): void {
    if (!isRecord(labels)) return;
    for (const [key, value] of Object.entries(labels)) {
        const keyWhy = qualifiedNameError(key);
        if (keyWhy) issues.push(invalid(at, key, keyWhy));
        const valueWhy = typeof value === "string" ? labelValueError(value) : "must be a string";
        if (valueWhy) issues.push(invalid(`${at}[${show(key)}]`, value, valueWhy));
    }
}

const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isRecord) : []);

/** Where a kind keeps its pod spec, and the pod template around it. */
function podSpecOf(manifest: Record<string, unknown>): { spec: Record<string, unknown>; at: string; template?: Record<string, unknown> } | undefined {
    const kind = manifest.kind;
    const spec = isRecord(manifest.spec) ? manifest.spec : undefined;
    if (!spec) return undefined;
    if (kind === "Pod") return { spec, at: "spec" };
    if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"].includes(String(kind)) && isRecord(spec.template) && isRecord(spec.template.spec)) {
        return { spec: spec.template.spec, at: "spec.template.spec", template: spec.template };
    }
    if (kind === "CronJob" && isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) && isRecord(spec.jobTemplate.spec.template) && isRecord(spec.jobTemplate.spec.template.spec)) {
        return { spec: spec.jobTemplate.spec.template.spec, at: "spec.jobTemplate.spec.template.spec", template: spec.jobTemplate.spec.template };
    }
    return undefined;
}

function checkPodSpec(manifest: Record<string, unknown>, issues: ObjectIssue[]): void {
    const pod = podSpecOf(manifest);
    if (!pod) return;
    const { spec, at } = pod;
    if (pod.template) checkLabels(isRecord(pod.template.metadata) ? pod.template.metadata.labels : undefined, `${at.replace(/\.spec$/, "")}.metadata.labels`, issues);

    // Volumes: names are DNS-1123 labels, unique within the pod.
    const volumes = new Set<string>();
    list(spec.volumes).forEach((volume, i) => {
        const name = volume.name;
        if (typeof name !== "string" || name === "") {
            issues.push({ level: "error", path: `${at}.volumes[${i}].name`, message: "Required value" });
            return;
        }
        const why = dnsLabelError(name);
        if (why) issues.push(invalid(`${at}.volumes[${i}].name`, name, why));
        if (volumes.has(name)) issues.push({ level: "error", path: `${at}.volumes[${i}].name`, message: `Duplicate value: ${show(name)}` });
        volumes.add(name);
    });
    // A StatefulSet's claim templates become volumes of the same name in every pod.
    const claims = new Set(list(isRecord(manifest.spec) ? manifest.spec.volumeClaimTemplates : undefined)
        .map((c) => (isRecord(c.metadata) ? c.metadata.name : undefined)).filter((n): n is string => typeof n === "string"));

    // Containers: names unique across init and regular containers.
    const containerNames = new Set<string>();
    const ports: { key: string; at: string }[] = [];
    for (const field of ["initContainers", "containers"] as const) {
        // Host ports are unique among the containers of one list (init containers run before the others).
        const hostPorts = new Set<string>();
        list(spec[field]).forEach((container, c) => {
            const cat = `${at}.${field}[${c}]`;
            const name = container.name;
            if (typeof name !== "string" || name === "") issues.push({ level: "error", path: `${cat}.name`, message: "Required value" });
            else {
                const why = dnsLabelError(name);
                if (why) issues.push(invalid(`${cat}.name`, name, why));
                if (containerNames.has(name)) issues.push({ level: "error", path: `${cat}.name`, message: `Duplicate value: ${show(name)}` });
                containerNames.add(name);
            }
            checkMounts(container, cat, volumes, claims, issues);
            checkPorts(container, cat, ports, hostPorts, issues);
            checkEnv(container, cat, issues);
        });
    }
    if (list(spec.containers).length === 0) issues.push({ level: "error", path: `${at}.containers`, message: "Required value" });

    // apps/v1 controllers must select their own template's pods.
    if (pod.template && ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(String(manifest.kind)) && isRecord(manifest.spec)) {
        const selector = isRecord(manifest.spec.selector) && isRecord(manifest.spec.selector.matchLabels) ? manifest.spec.selector.matchLabels : undefined;
        const labels = isRecord(pod.template.metadata) && isRecord(pod.template.metadata.labels) ? pod.template.metadata.labels : {};
        if (selector && Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
            issues.push({ level: "error", path: "spec.template.metadata.labels", message: `Invalid value: ${show(labels)}: \`selector\` does not match template \`labels\`` });
        }
    }
}

function checkMounts(container: Record<string, unknown>, at: string, volumes: Set<string>, claims: Set<string>, issues: ObjectIssue[]): void {
    const paths = new Set<string>();
    list(container.volumeMounts).forEach((mount, m) => {
        const mat = `${at}.volumeMounts[${m}]`;
        if (typeof mount.name !== "string" || mount.name === "") issues.push({ level: "error", path: `${mat}.name`, message: "Required value" });
        else if (!volumes.has(mount.name) && !claims.has(mount.name)) issues.push({ level: "error", path: `${mat}.name`, message: `Not found: ${show(mount.name)}` });
        if (typeof mount.mountPath !== "string" || mount.mountPath === "") issues.push({ level: "error", path: `${mat}.mountPath`, message: "Required value" });
        else {
            if (paths.has(mount.mountPath)) issues.push(invalid(`${mat}.mountPath`, mount.mountPath, "must be unique"));
            paths.add(mount.mountPath);
        }
    });
}

function checkPorts(container: Record<string, unknown>, at: string, seen: { key: string; at: string }[], hostPorts: Set<string>, issues: ObjectIssue[]): void {
    const names = new Set<string>();
    list(container.ports).forEach((port, p) => {
        const pat = `${at}.ports[${p}]`;
        if (port.name !== undefined) {
            const name = String(port.name);
            const why = portNameError(name);
            if (why) issues.push(invalid(`${pat}.name`, name, why));
            if (names.has(name)) issues.push({ level: "error", path: `${pat}.name`, message: `Duplicate value: ${show(name)}` });
            names.add(name);
        }
        const number = port.containerPort;
        if (number === undefined) issues.push({ level: "error", path: `${pat}.containerPort`, message: "Required value" });
        else if (typeof number !== "number" || !Number.isInteger(number) || number < 1 || number > 65535) issues.push(invalid(`${pat}.containerPort`, number, "must be between 1 and 65535, inclusive"));
        const protocol = String(port.protocol ?? "TCP");
        // A host port can be bound once per pod (and host IP); the API server refuses a second.
        if (port.hostPort !== undefined && port.hostPort !== 0) {
            const hostKey = `${String(port.hostPort)}/${protocol}/${String(port.hostIP ?? "")}`;
            if (hostPorts.has(hostKey)) issues.push({ level: "error", path: `${pat}.hostPort`, message: `Duplicate value: ${show(`${String(port.hostPort)}/${protocol}`)}` });
            hostPorts.add(hostKey);
        }
        // A repeated container port is accepted with a warning; it usually means two containers fight for it.
        const key = `${String(number)}/${protocol}/${String(port.hostIP ?? "")}/${String(port.hostPort ?? "")}`;
        const earlier = seen.find((s) => s.key === key);
        if (earlier) issues.push({ level: "warning", path: pat, message: `duplicate port definition with ${earlier.at}` });
        else seen.push({ key, at: pat });
    });
}

function checkEnv(container: Record<string, unknown>, at: string, issues: ObjectIssue[]): void {
    const names = new Set<string>();
    list(container.env).forEach((env, e) => {
        if (typeof env.name !== "string") return;
        if (names.has(env.name)) issues.push({ level: "warning", path: `${at}.env[${e}]`, message: `hides previous definition of ${show(env.name)}, which may be dropped when using apply` });
        names.add(env.name);
    });
}

function checkService(manifest: Record<string, unknown>, issues: ObjectIssue[]): void {
    if (manifest.apiVersion !== "v1" || manifest.kind !== "Service" || !isRecord(manifest.spec)) return;
    const ports = list(manifest.spec.ports);
    const names = new Set<string>();
    const numbers = new Set<string>();
    ports.forEach((port, p) => {
        const at = `spec.ports[${p}]`;
        if (ports.length > 1 && (typeof port.name !== "string" || port.name === "")) issues.push({ level: "error", path: `${at}.name`, message: "Required value" });
        if (typeof port.name === "string" && port.name !== "") {
            const why = dnsLabelError(port.name);
            if (why) issues.push(invalid(`${at}.name`, port.name, why));
            if (names.has(port.name)) issues.push({ level: "error", path: `${at}.name`, message: `Duplicate value: ${show(port.name)}` });
            names.add(port.name);
        }
        const key = `${String(port.port)}/${String(port.protocol ?? "TCP")}`;
        if (numbers.has(key)) issues.push({ level: "error", path: at, message: `Duplicate value: ${show({ port: port.port, protocol: port.protocol ?? "TCP" })}` });
        numbers.add(key);
    });
}

/** Every issue the API server would raise for one object (beyond its schema). */
export function apiServerIssues(manifest: Record<string, unknown>): ObjectIssue[] {
    const issues: ObjectIssue[] = [];
    checkMetadata(manifest, issues);
    checkPodSpec(manifest, issues);
    checkService(manifest, issues);
    return issues;
}
