// The resource tree as `pulumi preview` shows it: components with their children indented,
// type and logical name per resource, and (with details) each resource's key inputs, secrets
// masked. Plus resource counts by type.
import type { RecordedResource } from "../recorder";
import { Plan, displayValue, isChart, isRecord, kubernetesKind } from "./model";

export interface TreeNode {
    type: string;
    name: string;
    urn: string;
    custom: boolean;
    protect: boolean;
    /** Read, not managed (a StackReference). */
    read?: boolean;
    /** Key inputs as `path → printable value` (secrets masked); present with details. */
    details?: Record<string, unknown>;
    children: TreeNode[];
}

/** Children in a stable order: components before plain resources, then by type and name. */
function ordered(resources: RecordedResource[]): RecordedResource[] {
    return [...resources].sort((a, b) =>
        Number(a.custom) - Number(b.custom) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

export function buildTree(plan: Plan, withDetails: boolean): TreeNode[] {
    const node = (r: RecordedResource): TreeNode => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        custom: r.custom,
        protect: r.protect,
        ...(r.read ? { read: true } : {}),
        ...(withDetails ? { details: keyInputs(r) } : {}),
        children: ordered(plan.children.get(r.urn) ?? []).map(node),
    });
    return ordered(plan.roots).map(node);
}

const MAX_DETAIL_LINES = 12;

/** The inputs worth a glance: identity, chart coordinates, labels, then other short scalars. */
export function keyInputs(resource: RecordedResource): Record<string, unknown> {
    const inputs = displayValue(resource.inputs) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    if (isChart(resource)) {
        for (const key of ["name", "namespace", "chart", "version"]) if (inputs[key] !== undefined) out[key] = inputs[key];
        const repo = (inputs.repositoryOpts as Record<string, unknown> | undefined)?.repo;
        if (repo !== undefined) out["repositoryOpts.repo"] = repo;
        if (isRecord(inputs.values)) out.values = `${Object.keys(inputs.values).length} top-level keys (written by --out)`;
        return out;
    }
    const leaves: [string, unknown][] = [];
    flatten(kubernetesKind(resource.type) ? pick(inputs, ["metadata", "spec", "type", "stringData", "data"]) : inputs, "", 0, leaves);
    for (const [path, value] of leaves.slice(0, MAX_DETAIL_LINES)) out[path] = value;
    if (leaves.length > MAX_DETAIL_LINES) out["…"] = `${leaves.length - MAX_DETAIL_LINES} more (see --out or --format json)`;
    return out;
}

function pick(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]]));
}

function flatten(value: unknown, path: string, depth: number, out: [string, unknown][]): void {
    if (Array.isArray(value)) {
        if (value.every((v) => v === null || typeof v !== "object") && value.length <= 6) out.push([path, value]);
        else out.push([path, `${value.length} item${value.length === 1 ? "" : "s"}`]);
        return;
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (depth >= 4 && path) {
            out.push([path, `${entries.length} key${entries.length === 1 ? "" : "s"}`]);
            return;
        }
        for (const [key, v] of entries) flatten(v, path ? `${path}.${key}` : key, depth + 1, out);
        return;
    }
    if (typeof value === "string" && value.length > 100) {
        out.push([path, `${value.slice(0, 97)}...`]);
        return;
    }
    out.push([path, value]);
}

export function renderTree(nodes: TreeNode[]): string[] {
    const rows: { prefix: string; node: TreeNode; detailPrefix: string }[] = [];
    const walk = (list: TreeNode[], indent: string, top: boolean) => {
        list.forEach((node, i) => {
            const last = i === list.length - 1;
            const branch = top ? "" : last ? "└─ " : "├─ ";
            const continuation = top ? "" : last ? "   " : "│  ";
            rows.push({ prefix: indent + branch, node, detailPrefix: indent + continuation + (node.children.length ? "│  " : "   ") });
            walk(node.children, indent + continuation, false);
        });
    };
    walk(nodes, "", true);
    const width = Math.max(4, ...rows.map((r) => r.prefix.length + r.node.type.length)) + 2;
    const lines = [`${"Type".padEnd(width)}Name`];
    for (const { prefix, node, detailPrefix } of rows) {
        lines.push(`${(prefix + node.type).padEnd(width)}${node.name}${node.protect ? "  [protect]" : ""}${node.read ? "  [read]" : ""}`);
        for (const [path, value] of Object.entries(node.details ?? {})) {
            lines.push(`${detailPrefix}    ${path}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
        }
    }
    return lines;
}

/** Number of resources per type token, most frequent first, then by type. */
export function countByType(plan: Plan): { type: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

export function renderCounts(counts: { type: string; count: number }[]): string[] {
    const width = Math.max(...counts.map((c) => c.type.length), 4) + 2;
    const total = counts.reduce((sum, c) => sum + c.count, 0);
    return [
        ...counts.map((c) => `  ${c.type.padEnd(width)}${String(c.count).padStart(4)}`),
        `  ${"total".padEnd(width)}${String(total).padStart(4)}`,
    ];
}
