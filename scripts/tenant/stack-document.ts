// One stack file opened for editing with the `yaml` Document API, so comments, key order and
// quoting survive an edit; validation runs the project's own loader on the edited values
// before anything is written.
import * as fs from "fs";
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import { CONFIG_NAMESPACE, ConfigError, parseStackConfig, shardHubStack } from "../../stacks/loader";
import type { StackConfig } from "../../stacks/schema";
import { listStacks, readStackFile, stackFilePath } from "../stack-file";
import { UsageError } from "./errors";

export const TENANTS_KEY = `${CONFIG_NAMESPACE}:tenants`;

export interface StackDocument {
    stack: string;
    /** Directory of the stack files (a shard's hub stack file is looked up here too). */
    root: string;
    file: string;
    /** The file's bytes as read. */
    source: string;
    doc: Document.Parsed;
}

// Written back as read: `[a, b]` unpadded (the library's default is `[ a, b ]`), and no line
// folded (its default folds flow collections and long strings at 80 columns).
const TO_STRING = { flowCollectionPadding: false, lineWidth: 0 } as const;

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
    return { stack, root, file, source, doc };
}

export function render(document: StackDocument): string {
    return document.doc.toString(TO_STRING);
}

/**
 * An edit must change only the edited entry. If the file does not even survive an unedited
 * round-trip through the library (an unusual quoting or layout), refuse rather than reformat it.
 */
export function assertRoundTrips(document: StackDocument): void {
    const unedited = render(document);
    if (unedited === document.source) return;
    const a = document.source.split("\n");
    const b = unedited.split("\n");
    const line = a.findIndex((text, i) => text !== b[i]);
    throw new UsageError(`${document.file} would be reformatted by the edit, not only changed; nothing was written`, [
        `line ${line + 1} ${JSON.stringify(a[line])} would be written as ${JSON.stringify(b[line] ?? "")}; edit this file by hand, or bring that line into the layout \`yaml\` writes`,
    ]);
}

/** Opens a stack file for an edit: only files that round-trip unchanged. */
export function openForEdit(stack: string, root: string): StackDocument {
    const document = openStackDocument(stack, root);
    assertRoundTrips(document);
    return document;
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

/**
 * Runs the project's loader over the document; a refusal becomes a UsageError carrying its
 * problems. A tenant shard (`gitops-hub:hubStack`) is checked against its hub's platform, read
 * from the hub's stack file beside it (`org/project/<stack>` → Pulumi.<stack>.yaml).
 */
export function validate(document: StackDocument, editing = true): StackConfig {
    const raw = rawConfigOf(document.doc);
    try {
        const hubStack = shardHubStack(raw);
        if (hubStack === undefined) return parseStackConfig(raw);
        const hubName = hubStack.split("/").pop()!;
        let hub;
        try {
            hub = readStackFile(hubName, document.root);
        } catch (error) {
            throw new UsageError(`Pulumi.${document.stack}.yaml is a shard of "${hubStack}", whose stack file is needed to check tenants: ${(error as Error).message}`);
        }
        const platform = parseStackConfig({ values: hub.config, secretsSet: new Set(Object.keys(hub.secrets)) }).platform;
        return parseStackConfig({ values: { platform, tenants: raw.values.tenants }, secretsSet: new Set() });
    } catch (error) {
        if (error instanceof ConfigError) {
            throw new UsageError(editing ? `Pulumi.${document.stack}.yaml would be invalid; nothing was written` : `Pulumi.${document.stack}.yaml is invalid`, error.problems);
        }
        throw error;
    }
}

/**
 * Tenants of the other stacks that share this stack's hub (the hub itself and its shards, in the
 * same directory), by name → stack. A name used twice there collides on the hub (namespace,
 * AppProject, Vault space), though each stack alone is valid.
 */
export function tenantsOfSiblingStacks(document: StackDocument): Map<string, string> {
    const hubOf = (config: Record<string, unknown>, stack: string) =>
        typeof config.hubStack === "string" ? config.hubStack.split("/").pop()! : stack;
    const own = rawConfigOf(document.doc).values;
    const hub = hubOf(own, document.stack);
    const names = new Map<string, string>();
    for (const stack of listStacks(document.root)) {
        if (stack === document.stack) continue;
        let config: Record<string, unknown>;
        try {
            config = readStackFile(stack, document.root).config;
        } catch {
            continue;
        }
        if (hubOf(config, stack) !== hub) continue;
        for (const tenant of Array.isArray(config.tenants) ? config.tenants : []) {
            if (tenant && typeof tenant === "object" && typeof (tenant as { name?: unknown }).name === "string") names.set((tenant as { name: string }).name, stack);
        }
    }
    return names;
}

/** Validates, then writes the document back in place. Nothing is written when validation fails. */
export function save(document: StackDocument): StackConfig {
    const config = validate(document);
    const elsewhere = tenantsOfSiblingStacks(document);
    const clashes = config.tenants.map((t, i) => [t.name, i] as const).filter(([name]) => elsewhere.has(name));
    if (clashes.length > 0) {
        throw new UsageError(`Pulumi.${document.stack}.yaml would be invalid; nothing was written`, clashes.map(([name, i]) =>
            `tenants[${i}].name "${name}" is already a tenant of stack "${elsewhere.get(name)}" (Pulumi.${elsewhere.get(name)}.yaml), which shares this hub; tenant names must be unique across a hub and its shards`));
    }
    const text = render(document);
    if (text !== document.source) fs.writeFileSync(document.file, text, "utf8");
    return config;
}
