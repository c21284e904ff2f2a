// One stack file opened for editing with the `yaml` Document API, so comments, key order and
// quoting survive an edit; validation runs the project's own loader on the edited values
// before anything is written.
import * as fs from "fs";
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import { CONFIG_NAMESPACE, ConfigError, parseStackConfig } from "../../../stacks/loader";
import type { StackConfig } from "../../../stacks/schema";
import { listStacks, stackFilePath } from "../stack-file";
import { UsageError } from "./errors";

export const TENANTS_KEY = `${CONFIG_NAMESPACE}:tenants`;

export interface StackDocument {
    stack: string;
    file: string;
    /** The file's bytes as read. */
    source: string;
    doc: Document.Parsed;
}

// `flowCollectionPadding: false` keeps `[a, b]` as written (the library's default pads it to `[ a, b ]`).
const TO_STRING = { flowCollectionPadding: false } as const;

export function openStackDocument(stack: string, root: string): StackDocument {
    const file = stackFilePath(stack, root);
    if (!fs.existsSync(file)) {
        throw new UsageError(`no stack "${stack}": ${file} does not exist; stacks here: ${listStacks(root).join(", ") || "(none)"}`);
    }
    const source = fs.readFileSync(file, "utf8");
    const doc = parseDocument(source, { keepSourceTokens: false });
    if (doc.errors.length > 0) {
        throw new UsageError(`${file} is not valid YAML`, doc.errors.map((e) => e.message));
    }
    if (doc.contents !== null && !isMap(doc.contents)) {
        throw new UsageError(`${file} must be a mapping with a "config" key`);
    }
    return { stack, file, source, doc };
}

export function render(document: StackDocument): string {
    return document.doc.toString(TO_STRING);
}

/** The stack's `config` mapping, created when absent. */
function configMap(doc: Document.Parsed): YAMLMap {
    let config = doc.get("config", true);
    if (config === undefined || (isScalar(config) && config.value === null)) {
        doc.set("config", doc.createNode({}));
        config = doc.get("config", true);
    }
    if (!isMap(config)) throw new UsageError(`"config" in the stack file must be a mapping`);
    return config;
}

/** The `gitops-hub:tenants` sequence; created (empty) only when `create` is set. */
export function tenantsSeq(doc: Document.Parsed, create: boolean): YAMLSeq | undefined {
    const config = configMap(doc);
    let tenants = config.get(TENANTS_KEY, true);
    if (tenants === undefined || (isScalar(tenants) && tenants.value === null)) {
        if (!create) return undefined;
        config.set(TENANTS_KEY, doc.createNode([]));
        tenants = config.get(TENANTS_KEY, true);
    }
    if (!isSeq(tenants)) throw new UsageError(`${TENANTS_KEY} in the stack file must be a list of tenant entries`);
    return tenants;
}

/** Index of the tenant entry named `name`, or -1. */
export function findTenant(tenants: YAMLSeq, name: string): number {
    return tenants.items.findIndex((item) => isMap(item) && item.get("name") === name);
}

/** Values the loader reads, taken from the (edited) document: plain keys as data, `secure:` keys as set secrets. */
export function rawConfigOf(doc: Document.Parsed): { values: Record<string, unknown>; secretsSet: Set<string> } {
    const js = (doc.toJS() ?? {}) as { config?: Record<string, unknown> };
    const values: Record<string, unknown> = {};
    const secretsSet = new Set<string>();
    for (const [fullKey, value] of Object.entries(js.config ?? {})) {
        const index = fullKey.indexOf(":");
        const [namespace, key] = index < 0 ? [CONFIG_NAMESPACE, fullKey] : [fullKey.slice(0, index), fullKey.slice(index + 1)];
        if (namespace !== CONFIG_NAMESPACE) continue;
        if (value !== null && typeof value === "object" && "secure" in value) secretsSet.add(key);
        else values[key] = value;
    }
    return { values, secretsSet };
}

/** Runs the project's loader over the document; a refusal becomes a UsageError carrying its problems. */
export function validate(document: StackDocument): StackConfig {
    try {
        return parseStackConfig(rawConfigOf(document.doc));
    } catch (error) {
        if (error instanceof ConfigError) {
            throw new UsageError(`Pulumi.${document.stack}.yaml would be invalid; nothing was written`, error.problems);
        }
        throw error;
    }
}

/** Validates, then writes the document back in place. Nothing is written when validation fails. */
export function save(document: StackDocument): StackConfig {
    const config = validate(document);
    const text = render(document);
    if (text !== document.source) fs.writeFileSync(document.file, text, "utf8");
    return config;
}
