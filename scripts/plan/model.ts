// What the planner knows about one run of the program: the recorded resources, indexed, plus
// helpers to read them as Kubernetes objects. Everything else in plan/ reads through these.
import { RecordedResource, RunResult, SECRET_MASK, SecretValue, UNKNOWN_VALUE, viewOf } from "../recorder";

/** How a secret is shown anywhere the planner prints or writes. */
export const MASK = SECRET_MASK;
export const UNKNOWN_TEXT = "[unknown]";

export const HELM_CHART_TYPES = new Set(["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Release"]);
/** Kubernetes provider types that do not stand for one object in the cluster. */
const NOT_AN_OBJECT = /^kubernetes:(helm\.sh|kustomize|yaml)\/|^pulumi:providers:/;

export interface Plan {
    stack: string;
    resources: RecordedResource[];
    outputs: Record<string, unknown>;
    byUrn: Map<string, RecordedResource>;
    /** Parent URN → children, in registration order. */
    children: Map<string, RecordedResource[]>;
    /** Resources without a (known) parent. */
    roots: RecordedResource[];
}

export function planOf(stack: string, result: RunResult): Plan {
    const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
    const children = new Map<string, RecordedResource[]>();
    const roots: RecordedResource[] = [];
    for (const r of result.resources) {
        if (r.parent && byUrn.has(r.parent)) {
            const list = children.get(r.parent) ?? [];
            list.push(r);
            children.set(r.parent, list);
        } else {
            roots.push(r);
        }
    }
    return { stack, resources: result.resources, outputs: result.outputs, byUrn, children, roots };
}

/** `kubernetes:apps/v1:Deployment` → `{ apiVersion: "apps/v1", kind: "Deployment" }`; core group → `v1`. */
export function kubernetesKind(type: string): { apiVersion: string; kind: string } | undefined {
    if (NOT_AN_OBJECT.test(type)) return undefined;
    const match = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(type);
    if (!match) return undefined;
    const [group, version] = splitGroupVersion(match[1]);
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind: match[2] };
}

function splitGroupVersion(module: string): [string, string] {
    const index = module.lastIndexOf("/");
    return index < 0 ? ["core", module] : [module.slice(0, index), module.slice(index + 1)];
}

/** A Kubernetes resource as the manifest it applies: apiVersion and kind first, then its inputs. */
export function manifestOf(resource: RecordedResource): Record<string, unknown> | undefined {
    const gvk = kubernetesKind(resource.type);
    if (!gvk) return undefined;
    const { apiVersion: _a, kind: _k, ...rest } = resource.inputs;
    return { apiVersion: gvk.apiVersion, kind: gvk.kind, ...rest };
}

export function isChart(resource: RecordedResource): boolean {
    return HELM_CHART_TYPES.has(resource.type);
}

/** A Vault object the program configures (not the provider): its kind and the identifier Vault knows it by. */
export function vaultObject(resource: RecordedResource): { kind: string; id: string } | undefined {
    const match = /^vault:[^:]+:([A-Za-z0-9]+)$/.exec(resource.type);
    if (!match) return undefined;
    const { name, path, roleName, backend } = resource.inputs;
    const id = [name, path, roleName, backend].find((v): v is string => typeof v === "string" && v !== "") ?? resource.name;
    return { kind: match[1], id };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof SecretValue) && value !== UNKNOWN_VALUE;
}

export function dig(value: unknown, ...keys: string[]): unknown {
    let current = value;
    for (const key of keys) {
        if (!isRecord(current)) return undefined;
        current = current[key];
    }
    return current;
}

/**
 * A value made safe to print or write: secrets become `[secret]` (their shape kept, so a
 * secret mapping still shows its keys), unknowns `[unknown]`, keys sorted for stable output.
 */
export function displayValue(value: unknown): unknown {
    return viewOf(value, { unknown: UNKNOWN_TEXT, secretLeaf: MASK, sortKeys: true });
}

/** The logical name of the stack resource's children's parent: `pulumi:pulumi:Stack`. */
export const STACK_TYPE = "pulumi:pulumi:Stack";
