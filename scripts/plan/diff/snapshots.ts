// What a change deploys differently: two plans of a stack compared resource by resource. A
// resource is the same when its URN is (the stack segment aside, so two stacks' plans compare
// too), or when the newer one lists the older one's URN among its aliases (a rename that keeps
// the live object). Changes are listed per input path with old and new value. Secrets are never
// printed: a secret input shows as [secret] on both sides; two plans made in this process tell a
// changed secret by a keyed fingerprint that is never written anywhere, while saved plans hold no
// secret value at all, so between saved plans a secret's change is not visible.
import { createHmac, randomBytes } from "crypto";
import * as fs from "fs";
import type { RecordedResource } from "../../recorder";
import { SecretValue, UNKNOWN_VALUE } from "../../recorder";
import { MASK, UNKNOWN_TEXT, displayValue, isRecord } from "../model";
import { PlanUsageError } from "../errors";
import { formatPath } from "../provenance";

/** One resource of a plan, as compared. */
export interface SnapshotResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    protect: boolean;
    retainOnDelete: boolean;
    aliases: string[];
    /** Recorded inputs (secrets as SecretValue) or saved ones (secrets masked, listed in secretPaths). */
    inputs: Record<string, unknown>;
    secretPaths: string[];
}

/** One side of a comparison. */
export interface Snapshot {
    /** What it is, for people: `origin/main (1a2b3c4)`, `working tree`, `plan-dev.json`. */
    label: string;
    stack: string;
    environment: string;
    resources: SnapshotResource[];
    /** Whether the inputs are recorded ones (secret values at hand) rather than saved ones. */
    recorded: boolean;
}

export interface InputChange {
    /** Input path, e.g. `spec.sourceRepos[1]`, or the resource option (`protect`, `retainOnDelete`). */
    path: string;
    /** Printable old value; absent when the input is new. */
    before?: unknown;
    /** Printable new value; absent when the input is gone. */
    after?: unknown;
    /** The value is secret on one side or both; nothing of it is shown. */
    secret?: boolean;
    /** A resource option rather than an input. */
    option?: boolean;
}

export type ChangeKind = "add" | "delete" | "update";

export interface ResourceDiff {
    change: ChangeKind;
    urn: string;
    type: string;
    name: string;
    /** Of the newer side for add and update, of the older side for delete. */
    protect: boolean;
    retainOnDelete: boolean;
    /** Set when the resource was known under this URN before (an alias). */
    renamedFrom?: string;
    /** Changed inputs and options (update only), in path order. */
    changes: InputChange[];
}

export interface DiffReport {
    before: Pick<Snapshot, "label" | "stack" | "environment">;
    after: Pick<Snapshot, "label" | "stack" | "environment">;
    resources: ResourceDiff[];
    unchanged: number;
}

// ---- comparable values ---------------------------------------------------------------------

/** A secret, as compared: a fingerprint when both plans are in memory, never its value. */
class Secret {
    constructor(readonly fingerprint?: string) {}
}

// A key of this process only: fingerprints cannot be computed from outside or compared later.
const FINGERPRINT_KEY = randomBytes(32);

function fingerprint(value: unknown): string {
    return createHmac("sha256", FINGERPRINT_KEY).update(JSON.stringify(displayValue(value))).digest("hex");
}

/** Recorded inputs → comparable values: secrets become `Secret`s, unknowns their text. */
function comparable(value: unknown): unknown {
    if (value instanceof SecretValue) return new Secret(fingerprint(value.value));
    if (value === UNKNOWN_VALUE) return UNKNOWN_TEXT;
    if (Array.isArray(value)) return value.map(comparable);
    if (isRecord(value)) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, comparable(value[k])]));
    return value;
}

/** Saved inputs (masked) → comparable values: each listed secret path becomes a `Secret` without fingerprint. */
function comparableSaved(inputs: Record<string, unknown>, secretPaths: string[]): unknown {
    const out = structuredClone(inputs) as Record<string, unknown>;
    for (const at of secretPaths) {
        const segments = splitSecretPath(at);
        if (segments.length === 0) continue;
        let parent: unknown = out;
        for (const s of segments.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[s];
        if (parent !== null && typeof parent === "object") (parent as Record<string | number, unknown>)[segments[segments.length - 1]] = new Secret();
    }
    return out;
}

/** The recorder's secret paths: dotted keys and `[i]` indexes (`values.server.dev.devRootToken`, `a[0].b`). */
function splitSecretPath(at: string): (string | number)[] {
    const out: (string | number)[] = [];
    for (const part of at.split(".")) {
        const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
        if (!match) return [];
        if (match[1]) out.push(match[1]);
        for (const index of match[2].matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
    }
    return out;
}

/** A comparable value as printed: secrets as [secret]. */
function printable(value: unknown): unknown {
    if (value instanceof Secret) return MASK;
    if (Array.isArray(value)) return value.map(printable);
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)]));
    return value;
}

function hasSecret(value: unknown): boolean {
    if (value instanceof Secret) return true;
    if (Array.isArray(value)) return value.some(hasSecret);
    if (isRecord(value)) return Object.values(value).some(hasSecret);
    return false;
}

const same = (a: unknown, b: unknown) => JSON.stringify(printable(a)) === JSON.stringify(printable(b));

function diffValues(a: unknown, b: unknown, at: (string | number)[], out: InputChange[]): void {
    if (a instanceof Secret || b instanceof Secret) {
        const changed = a instanceof Secret && b instanceof Secret
            ? a.fingerprint !== undefined && b.fingerprint !== undefined && a.fingerprint !== b.fingerprint
            : a !== undefined || b !== undefined;
        if (changed) {
            out.push({
                path: formatPath(at),
                ...(a !== undefined ? { before: MASK } : {}),
                ...(b !== undefined ? { after: MASK } : {}),
                secret: true,
            });
        }
        return;
    }
    if (isRecord(a) && isRecord(b)) {
        for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) diffValues(a[key], b[key], [...at, key], out);
        return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        for (let i = 0; i < Math.max(a.length, b.length); i++) diffValues(a[i], b[i], [...at, i], out);
        return;
    }
    if (same(a, b)) return;
    // A whole subtree that appears or goes, and holds a secret, is shown masked as a whole.
    const secret = hasSecret(a) || hasSecret(b);
    out.push({
        path: formatPath(at),
        ...(a !== undefined ? { before: secret ? MASK : printable(a) } : {}),
        ...(b !== undefined ? { after: secret ? MASK : printable(b) } : {}),
        ...(secret ? { secret: true } : {}),
    });
}

// ---- identity ------------------------------------------------------------------------------

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>` → `<project>::<type chain>::<name>`. */
export function identity(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts.slice(1).join("::") : urn;
}

function typeChain(urn: string): string {
    return urn.split("::")[2] ?? "";
}

/** The identities a resource was known under before, from its aliases (URNs or alias specs). */
function aliasIdentities(resource: SnapshotResource): string[] {
    const project = resource.urn.split("::")[1] ?? "";
    return resource.aliases.flatMap((alias) => {
        if (alias.startsWith("urn:")) return [identity(alias)];
        let spec: Record<string, unknown> | undefined;
        try {
            const parsed = JSON.parse(alias) as { urn?: string; spec?: Record<string, unknown> };
            if (parsed.urn) return [identity(parsed.urn)];
            spec = parsed.spec;
        } catch {
            return [];
        }
        if (!spec) return [];
        const name = (spec.name as string) || resource.name;
        const type = (spec.type as string) || resource.type;
        const parent = spec.noparent ? undefined : ((spec.parenturn as string) || resource.parent);
        const chain = parent ? `${typeChain(parent)}$${type}` : type;
        return [`${(spec.project as string) || project}::${chain}::${name}`];
    });
}

// ---- the comparison ------------------------------------------------------------------------

function valuesOf(snapshot: Snapshot, resource: SnapshotResource): unknown {
    return snapshot.recorded ? comparable(resource.inputs) : comparableSaved(resource.inputs, resource.secretPaths);
}

export function diffSnapshots(before: Snapshot, after: Snapshot): DiffReport {
    const old = new Map(before.resources.map((r) => [identity(r.urn), r]));
    const matched = new Set<string>();
    const resources: ResourceDiff[] = [];
    let unchanged = 0;
    for (const resource of after.resources) {
        const key = identity(resource.urn);
        let previous = old.get(key);
        let renamedFrom: string | undefined;
        if (!previous || matched.has(key)) {
            previous = undefined;
            const alias = aliasIdentities(resource).find((a) => old.has(a) && !matched.has(a) && !after.resources.some((r) => identity(r.urn) === a));
            if (alias) {
                previous = old.get(alias);
                renamedFrom = previous!.urn;
            }
        }
        const base = { urn: resource.urn, type: resource.type, name: resource.name, protect: resource.protect, retainOnDelete: resource.retainOnDelete };
        if (!previous) {
            resources.push({ change: "add", ...base, changes: [] });
            continue;
        }
        matched.add(identity(previous.urn));
        const changes: InputChange[] = [];
        diffValues(valuesOf(before, previous), valuesOf(after, resource), [], changes);
        for (const option of ["protect", "retainOnDelete"] as const) {
            if (previous[option] !== resource[option]) changes.push({ path: option, before: previous[option], after: resource[option], option: true });
        }
        if (changes.length === 0 && !renamedFrom) unchanged += 1;
        else resources.push({ change: "update", ...base, ...(renamedFrom ? { renamedFrom } : {}), changes });
    }
    for (const [key, resource] of old) {
        if (matched.has(key)) continue;
        resources.push({
            change: "delete", urn: resource.urn, type: resource.type, name: resource.name,
            protect: resource.protect, retainOnDelete: resource.retainOnDelete, changes: [],
        });
    }
    resources.sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type) || a.urn.localeCompare(b.urn));
    const side = (s: Snapshot) => ({ label: s.label, stack: s.stack, environment: s.environment });
    return { before: side(before), after: side(after), resources, unchanged };
}

// ---- saved plans (`plan --format json`) ------------------------------------------------------

/** A resource as `--format json` saves it: inputs masked, secret paths listed. */
export function savedResource(r: RecordedResource): Record<string, unknown> {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        ...(r.parent ? { parent: r.parent } : {}),
        custom: r.custom,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        aliases: r.aliases,
        dependencies: r.dependencies,
        ...(r.read ? { read: true } : {}),
        inputs: displayValue(r.inputs),
        secretPaths: r.secretPaths,
    };
}

export function snapshotOfRecorded(label: string, stack: string, environment: string, resources: RecordedResource[]): Snapshot {
    return {
        label, stack, environment, recorded: true,
        resources: resources.map((r) => ({
            urn: r.urn, type: r.type, name: r.name, parent: r.parent, protect: r.protect, retainOnDelete: r.retainOnDelete,
            aliases: r.aliases, inputs: r.inputs, secretPaths: r.secretPaths,
        })),
    };
}

/** Reads a plan saved with `npm run plan -- --stack <s> --format json > <file>`. */
export function readSavedPlan(file: string): Snapshot {
    let report: unknown;
    try {
        report = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new PlanUsageError(`${file} is not a saved plan: ${(error as Error).message}`);
    }
    if (!isRecord(report) || typeof report.stack !== "string" || typeof report.environment !== "string") {
        throw new PlanUsageError(`${file} is not a saved plan: it has no "stack" and "environment" (write one with npm run plan -- --stack <s> --format json > ${file})`);
    }
    if (!Array.isArray(report.resources)) {
        throw new PlanUsageError(`${file} has no "resources": it was saved by an older \`npm run plan --format json\`, which did not save inputs; save it again from that commit with this version of the planner`);
    }
    const resources = report.resources.map((r, i) => {
        if (!isRecord(r) || typeof r.urn !== "string" || typeof r.type !== "string" || typeof r.name !== "string" || !isRecord(r.inputs)) {
            throw new PlanUsageError(`${file}: resources[${i}] must have urn, type, name and inputs`);
        }
        return {
            urn: r.urn, type: r.type, name: r.name, parent: typeof r.parent === "string" ? r.parent : undefined,
            protect: r.protect === true, retainOnDelete: r.retainOnDelete === true,
            aliases: Array.isArray(r.aliases) ? r.aliases.filter((a): a is string => typeof a === "string") : [],
            inputs: r.inputs, secretPaths: Array.isArray(r.secretPaths) ? r.secretPaths.filter((p): p is string => typeof p === "string") : [],
        };
    });
    return { label: file, stack: report.stack, environment: report.environment, resources, recorded: false };
}
