// Editing one tenant's entry in place: find it, set a setting (nested mappings created as needed,
// a new `state` placed right after `name`), and save through the loader with
// its refusals said in the subcommand's flags.
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import type { StackConfig } from "../../stacks/schema";
import { UsageError } from "./errors";
import { FlagSetting, speakInFlags } from "./flags";
import { StackDocument, findTenant, openForEdit, save, tenantsSeq } from "./stack-document";

export interface TenantEdit {
    document: StackDocument;
    tenants: YAMLSeq;
    index: number;
    entry: YAMLMap;
    /** `tenants[3]` */
    base: string;
}

export function openTenant(name: string, stack: string, root: string): TenantEdit {
    const document = openForEdit(stack, root);
    const tenants = tenantsSeq(document.doc, false);
    const index = tenants ? findTenant(tenants, name) : -1;
    if (!tenants || index < 0) {
        const names = (tenants?.items ?? []).map((item) => (isMap(item) ? String(item.get("name")) : "?"));
        throw new UsageError(`no tenant "${name}" in Pulumi.${stack}.yaml; nothing was written; tenants there: ${names.join(", ") || "(none)"}`);
    }
    return { document, tenants, index, entry: tenants.items[index] as YAMLMap, base: `tenants[${index}]` };
}

/** The mapping at `path` below the entry, created (block style) when absent. */
function mapAt(edit: TenantEdit, path: string[]): YAMLMap {
    let current = edit.entry;
    for (const key of path) {
        let next: unknown = current.get(key, true);
        if (next === undefined || (isScalar(next) && next.value === null)) {
            const created = edit.document.doc.createNode({}) as YAMLMap;
            if (next === undefined) addPair(current, key, created, current === edit.entry);
            else current.set(key, created);
            next = created;
        }
        if (!isMap(next)) throw new UsageError(`${edit.base}.${path.join(".")} in Pulumi.${edit.document.stack}.yaml is not a mapping; fix it by hand`);
        current = next;
    }
    return current;
}

/** Keys of the entry that go right after `name` when added, where a reader looks for them. */
const NEXT_TO_NAME = ["state"];

/** Adds a key at the end of a mapping (a `state` of the entry itself right after `name`). */
function addPair(map: YAMLMap, key: string, value: unknown, topLevel: boolean): void {
    const pair = new Pair(new Scalar(key), value);
    const at = topLevel && NEXT_TO_NAME.includes(key) ? map.items.findIndex((p) => isScalar(p.key) && p.key.value === "name") : -1;
    if (at >= 0) map.items.splice(at + 1, 0, pair);
    else map.items.push(pair);
}

/** Sets a scalar setting below the entry; an existing key keeps its place, a new one is added. */
export function setSetting(edit: TenantEdit, path: string[], value: string | number | boolean): void {
    const parent = mapAt(edit, path.slice(0, -1));
    const key = path[path.length - 1];
    const existing = parent.get(key, true);
    if (isScalar(existing)) existing.value = value;
    else if (existing === undefined) addPair(parent, key, edit.document.doc.createNode(value), parent === edit.entry);
    else throw new UsageError(`${edit.base}.${path.join(".")} in Pulumi.${edit.document.stack}.yaml is not a single value; fix it by hand`);
}

/** Sets a list of strings below the entry (replacing the old one, keeping its place and style). */
export function setList(edit: TenantEdit, path: string[], values: string[]): void {
    const parent = mapAt(edit, path.slice(0, -1));
    const key = path[path.length - 1];
    const existing = parent.get(key, true);
    const node = edit.document.doc.createNode(values) as YAMLSeq;
    if (isSeq(existing)) node.flow = existing.flow;
    if (existing === undefined) addPair(parent, key, node, parent === edit.entry);
    else parent.set(key, node);
}

/** The list at `key` of the entry, created (block style) when absent. */
export function listOf(edit: TenantEdit, key: string): YAMLSeq {
    let list: unknown = edit.entry.get(key, true);
    if (list === undefined || (isScalar(list) && list.value === null)) {
        const created = edit.document.doc.createNode([]) as YAMLSeq;
        if (list === undefined) addPair(edit.entry, key, created, false);
        else edit.entry.set(key, created);
        list = created;
    }
    if (!isSeq(list)) throw new UsageError(`${edit.base}.${key} in Pulumi.${edit.document.stack}.yaml is not a list; fix it by hand`);
    // An empty `[]` becomes a block list: its entries are multi-line mappings.
    if (list.items.length === 0) list.flow = false;
    return list;
}

/** Validates with the loader and writes; the loader's refusals about `settings` are said in their flags. */
export function saveEdit(edit: TenantEdit, base: string, settings: FlagSetting[]): StackConfig {
    try {
        return save(edit.document);
    } catch (error) {
        throw speakInFlags(error, base, settings);
    }
}
