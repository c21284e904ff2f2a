// Built-in Kubernetes kinds checked against the upstream OpenAPI schemas that the
// `kubernetes-models` package compiles (required fields, types, enums; not unknown fields). The
// package is ES modules only, so it is loaded with import() (tsconfig `module: node16` keeps it).
import type { ErrorObject } from "ajv";
import { describeError } from "./crds";
import { groupOf, isBuiltInGroup } from "./kinds";
import { valueAt } from "./pointer";

type ModelClass = new (data: unknown) => { validate(): void };

const modules = new Map<string, Promise<Record<string, unknown> | undefined>>();

/** The module of a kubernetes-models package holding an API group version, loaded once. */
export function loadModule(specifier: string): Promise<Record<string, unknown> | undefined> {
    let loaded = modules.get(specifier);
    if (!loaded) {
        loaded = (import(specifier) as Promise<Record<string, unknown>>).catch(() => undefined);
        modules.set(specifier, loaded);
    }
    return loaded;
}

/** The model class of a kind in a module, if the package has one. */
export async function modelIn(specifier: string, kind: string): Promise<ModelClass | undefined> {
    const module = await loadModule(specifier);
    const model = module?.[kind];
    return typeof model === "function" ? (model as ModelClass) : undefined;
}

/** `apps/v1` → `kubernetes-models/apps/v1`; undefined for API groups the package does not cover (custom resources). */
export function coreModuleOf(apiVersion: string): string | undefined {
    if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !isBuiltInGroup(groupOf(apiVersion))) return undefined;
    return `kubernetes-models/${apiVersion}`;
}


export type UpstreamResult = { validated: false } | { validated: true; errors: { path: string; message: string }[] };

/** Validates a built-in object; `validated: false` when no upstream schema is known for its kind. */
export async function validateBuiltIn(manifest: Record<string, unknown>): Promise<UpstreamResult> {
    const specifier = coreModuleOf(String(manifest.apiVersion ?? ""));
    const Model = specifier ? await modelIn(specifier, String(manifest.kind ?? "")) : undefined;
    if (!Model) return { validated: false };
    try {
        new Model(manifest).validate();
        return { validated: true, errors: [] };
    } catch (error) {
        const details = (error as { errors?: ErrorObject[] }).errors;
        if (!Array.isArray(details)) return { validated: true, errors: [{ path: "", message: (error as Error).message }] };
        return {
            validated: true,
            // An empty string is Go's zero value: the server defaults it (imagePullPolicy: "" → IfNotPresent).
            errors: details.filter((d) => !(d.keyword === "enum" && valueAt(manifest, d.instancePath) === "")).map(describeError),
        };
    }
}
