// Custom resources judged by the CRDs the rendered charts install, the way the API server judges
// them: each CRD version's `openAPIV3Schema` is a structural schema, so a field it does not
// declare is pruned (dropped silently) unless `x-kubernetes-preserve-unknown-fields` keeps it.
// The schema is translated once into JSON Schema for ajv with that rule made explicit
// (`additionalProperties: false`), int-or-string and nullable spelled out, and defaulted fields
// not required (the server defaults before it validates). CEL rules (`x-kubernetes-validations`)
// are counted, not evaluated.
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { isRecord } from "../model";
import { CrdScopes, groupOf } from "./kinds";
import { pathOf, valueAt } from "./pointer";

export interface CrdInfo {
    name: string;
    group: string;
    kind: string;
    namespaced: boolean;
    /** Version name → served, and its schema (absent when the CRD declares none). */
    versions: Map<string, { served: boolean; schema?: Record<string, unknown> }>;
    /** Release (chart) whose render installs it. */
    installedBy: string;
}

export type CrValidation =
    | { status: "no-crd" }
    | { status: "version-not-served"; crd: CrdInfo; served: string[] }
    | { status: "no-schema"; crd: CrdInfo }
    | { status: "validated"; crd: CrdInfo; invalid: { path: string; message: string }[]; unknownFields: string[]; celRules: number };

/** A value the program does not know before deployment; a schema error on it is not reported. */
export const UNKNOWN_SENTINEL = "\u0000unknown-until-deployment";

type Schema = Record<string, unknown>;

const COPIED = ["enum", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "multipleOf"];

/** One structural-schema node as JSON Schema; `logic` inside allOf/anyOf/oneOf/not, which only constrain and never prune. */
export function toJsonSchema(node: unknown, logic = false): Schema {
    if (!isRecord(node)) return {};
    const out: Schema = {};
    const nullable = node.nullable === true;
    if (node["x-kubernetes-int-or-string"] === true) out.anyOf = [{ type: "integer" }, { type: "string" }, ...(nullable ? [{ type: "null" }] : [])];
    else if (typeof node.type === "string") out.type = nullable ? [node.type, "null"] : node.type;
    for (const key of COPIED) if (node[key] !== undefined) out[key] = node[key];
    if (Array.isArray(node.enum) && nullable) out.enum = [...node.enum, null];
    // OpenAPI 3.0 writes exclusive bounds as booleans beside minimum/maximum.
    if (node.exclusiveMinimum === true && typeof node.minimum === "number") { out.exclusiveMinimum = node.minimum; delete out.minimum; }
    if (node.exclusiveMaximum === true && typeof node.maximum === "number") { out.exclusiveMaximum = node.maximum; delete out.maximum; }
    if (node["x-kubernetes-list-type"] === "set") out.uniqueItems = true;
    const properties = isRecord(node.properties) ? node.properties : undefined;
    if (properties) {
        out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toJsonSchema(v, logic)]));
        if (Array.isArray(node.required)) {
            const required = node.required.filter((k) => !(isRecord(properties[k as string]) && (properties[k as string] as Schema).default !== undefined));
            if (required.length > 0) out.required = required;
        }
    } else if (Array.isArray(node.required)) out.required = node.required;
    if (node["x-kubernetes-embedded-resource"] === true) {
        out.properties = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...(out.properties as Schema | undefined) };
    }
    if (node.items !== undefined) out.items = toJsonSchema(node.items, logic);
    const preserve = node["x-kubernetes-preserve-unknown-fields"] === true;
    if (node.additionalProperties === false) out.additionalProperties = false;
    else if (isRecord(node.additionalProperties)) out.additionalProperties = toJsonSchema(node.additionalProperties, logic);
    else if (node.additionalProperties !== true && !logic && !preserve && (node.type === "object" || properties)) out.additionalProperties = false;
    if (node["x-kubernetes-int-or-string"] !== true) {
        for (const key of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(node[key])) out[key] = (node[key] as unknown[]).map((s) => toJsonSchema(s, true));
    }
    if (node.not !== undefined) out.not = toJsonSchema(node.not, true);
    return out;
}

/** The root of a CR: apiVersion, kind and metadata are the API server's, not the CRD's. */
function rootSchema(openAPIV3Schema: Schema): Schema {
    const schema = toJsonSchema(openAPIV3Schema);
    schema.properties = { ...(schema.properties as Schema | undefined), apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } };
    return schema;
}

function countCel(node: unknown): number {
    if (Array.isArray(node)) return node.reduce((n: number, v) => n + countCel(v), 0);
    if (!isRecord(node)) return 0;
    const own = Array.isArray(node["x-kubernetes-validations"]) ? (node["x-kubernetes-validations"] as unknown[]).length : 0;
    return own + Object.entries(node).filter(([k]) => k !== "x-kubernetes-validations").reduce((n, [, v]) => n + countCel(v), 0);
}



/** An ajv error in the API server's words where there is one (`Required value`, `Unsupported value`). */
export function describeError(error: ErrorObject): { path: string; message: string } {
    const at = pathOf(error.instancePath);
    if (error.keyword === "required") {
        const missing = String((error.params as { missingProperty: string }).missingProperty);
        return { path: at ? `${at}.${missing}` : missing, message: "Required value" };
    }
    if (error.keyword === "enum") {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ");
        return { path: at, message: `Unsupported value: supported values: ${allowed}` };
    }
    return { path: at, message: error.message ?? "invalid" };
}

export class CrdIndex {
    private readonly crds = new Map<string, CrdInfo>();
    private readonly compiled = new Map<string, { validate: ValidateFunction; cel: number }>();
    private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

    /** Adds a rendered CRD; returns false when a CRD of that group and kind is already known (from another chart). */
    add(manifest: Record<string, unknown>, installedBy: string): boolean {
        const spec = isRecord(manifest.spec) ? manifest.spec : {};
        const names = isRecord(spec.names) ? spec.names : {};
        const group = String(spec.group ?? "");
        const kind = String(names.kind ?? "");
        const key = `${group}/${kind}`;
        if (this.crds.has(key)) return false;
        const versions = new Map<string, { served: boolean; schema?: Schema }>();
        for (const v of Array.isArray(spec.versions) ? spec.versions.filter(isRecord) : []) {
            const schema = isRecord(v.schema) && isRecord(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : undefined;
            versions.set(String(v.name), { served: v.served !== false, ...(schema ? { schema } : {}) });
        }
        const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
        this.crds.set(key, { name: String(metadata.name ?? ""), group, kind, namespaced: spec.scope !== "Cluster", versions, installedBy });
        return true;
    }

    get size(): number {
        return this.crds.size;
    }

    scopes(): CrdScopes {
        return new Map([...this.crds].map(([key, crd]) => [key, crd.namespaced]));
    }

    find(apiVersion: string, kind: string): CrdInfo | undefined {
        return this.crds.get(`${groupOf(apiVersion)}/${kind}`);
    }

    /** Validates one custom resource (secrets unwrapped, unknowns as UNKNOWN_SENTINEL) against its CRD. */
    validate(manifest: Record<string, unknown>): CrValidation {
        const apiVersion = String(manifest.apiVersion ?? "");
        const crd = this.find(apiVersion, String(manifest.kind ?? ""));
        if (!crd) return { status: "no-crd" };
        const version = apiVersion.slice(apiVersion.lastIndexOf("/") + 1);
        const entry = crd.versions.get(version);
        if (!entry || !entry.served) return { status: "version-not-served", crd, served: [...crd.versions].filter(([, v]) => v.served).map(([n]) => n) };
        if (!entry.schema) return { status: "no-schema", crd };
        const key = `${crd.group}/${crd.kind}/${version}`;
        let compiled = this.compiled.get(key);
        if (!compiled) {
            compiled = { validate: this.ajv.compile(rootSchema(entry.schema)), cel: countCel(entry.schema) };
            this.compiled.set(key, compiled);
        }
        compiled.validate(manifest);
        const invalid: { path: string; message: string }[] = [];
        const unknownFields: string[] = [];
        const seen = new Set<string>();
        for (const error of (compiled.validate.errors ?? []) as ErrorObject[]) {
            if (error.keyword === "additionalProperties") {
                const field = `${error.instancePath}/${String((error.params as { additionalProperty: string }).additionalProperty)}`;
                if (!seen.has(field)) unknownFields.push(pathOf(field));
                seen.add(field);
                continue;
            }
            if (valueAt(manifest, error.instancePath) === UNKNOWN_SENTINEL) continue;
            // anyOf/oneOf report each failed branch and then themselves; the summary is enough.
            if (error.schemaPath.includes("/anyOf/") || error.schemaPath.includes("/oneOf/")) continue;
            const item = describeError(error);
            if (!invalid.some((i) => i.path === item.path && i.message === item.message)) invalid.push(item);
        }
        return { status: "validated", crd, invalid, unknownFields, celRules: compiled.cel };
    }
}
