// Validates Kubernetes objects the program emits against upstream schemas from the
// kubernetes-models packages. They are ES modules only, so they are loaded with import().
import type { RecordedResource } from "../scripts/recorder";

type ModelClass = new (data: unknown) => { validate(): void };

const GROUP_MODULES: Record<string, string> = {
    "v1": "kubernetes-models/v1",
    "apps/v1": "kubernetes-models/apps/v1",
    "batch/v1": "kubernetes-models/batch/v1",
    "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
    "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
    "policy/v1": "kubernetes-models/policy/v1",
    "argoproj.io/v1alpha1": "@kubernetes-models/argo-cd/argoproj.io/v1alpha1",
    "external-secrets.io/v1": "@kubernetes-models/external-secrets/external-secrets.io/v1",
    "external-secrets.io/v1alpha1": "@kubernetes-models/external-secrets/external-secrets.io/v1alpha1",
    "generators.external-secrets.io/v1alpha1": "@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1",
    "cert-manager.io/v1": "@kubernetes-models/cert-manager/cert-manager.io/v1",
    "gateway.networking.k8s.io/v1": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1",
    "gateway.networking.k8s.io/v1alpha2": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2",
};

const cache = new Map<string, Record<string, ModelClass>>();

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
    const module = GROUP_MODULES[apiVersion];
    if (!module) return undefined;
    if (!cache.has(module)) cache.set(module, await import(module));
    return cache.get(module)![kind];
}

/** Strips recorder markers (secrets → their value, unknowns → a placeholder string). */
function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") {
        if ("value" in value && value.constructor?.name === "SecretValue") return plain((value as { value: unknown }).value);
        if ((value as { unknown?: boolean }).unknown === true) return "unknown";
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    }
    return value;
}

/**
 * Validates one recorded Kubernetes resource; returns an error message, or undefined when valid.
 * Throws when no upstream schema is known for its kind, so nothing passes unchecked.
 */
export async function validateAgainstUpstream(resource: RecordedResource): Promise<string | undefined> {
    const inputs = plain(resource.inputs) as { apiVersion?: string; kind?: string };
    const apiVersion = inputs.apiVersion ?? "";
    const kind = inputs.kind ?? "";
    const Model = await modelFor(apiVersion, kind);
    if (!Model) throw new Error(`no upstream schema for ${apiVersion} ${kind} (${resource.type} ${resource.name})`);
    try {
        new Model(inputs).validate();
        return undefined;
    } catch (error) {
        return `${resource.type} ${resource.name}: ${(error as Error).message}`;
    }
}

/** True for recorded resources that are Kubernetes objects (not charts, providers, components). */
export function isKubernetesObject(resource: RecordedResource): boolean {
    return resource.type.startsWith("kubernetes:") && !resource.type.startsWith("kubernetes:helm.sh") && resource.custom && resource.type !== "pulumi:providers:kubernetes";
}
