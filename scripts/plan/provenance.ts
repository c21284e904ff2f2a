// Which line of the stack's config a finding comes from. A finding names a resource and a field
// (`AppProject team-d-project`, `spec.sourceRepos[0]`); an operator edits a config entry
// (`tenants[3].repos[0].url`). Nothing here is a table from one to the other: both halves are
// read off the program itself.
//   1. Which entry: the resource's ancestor of type gitops-hub:tenant:Tenant is the component the
//      program registered for one tenant, named after it; its index in `tenants` is the entry.
//   2. Which settings of the entry: the real Tenant component is registered again under the
//      recording engine (probe-program.ts), once as the entry is and once with one setting
//      changed (a string gets a suffix, a number +1, a boolean flipped). A setting whose change
//      changes the finding's field is one it comes from. A field that no setting changes is set by
//      the program itself; the finding then names the entry only.
// Registrations cost time, so not every setting is tried on its own: a string setting reaches a
// field by appearing in it (a URL, a revision, a name inside `vcluster-<name>`), so only strings
// that appear in the field's value (or the resource's name) are tried one by one; all booleans
// and numbers are tried together once, and one by one only when that changes the field. A value
// derived from a string through a hash (a repository secret's name) is therefore not traced to
// it. Tenants whose entries differ only in their name share one probe, so hundreds of generated
// tenants cost a handful of registrations.
import * as path from "path";
import type { StackConfig, TenantConfig } from "../../stacks/schema";
import type { Progress } from "../progress";
import { RecordedResource, SecretValue, runProgram } from "../recorder";
import type { StackFile } from "../stack-file";
import { Plan, displayValue, isRecord } from "./model";
import type { PolicyFinding } from "./policies";

/** Project name of the probe runs; config keys are read under it. */
export const PROBE_PROJECT = "gitops-hub-probe";
const PROBE_PROGRAM = path.join(__dirname, "probe-program.ts");
export const TENANT_TYPE = "gitops-hub:tenant:Tenant";

/** Type token of copy `k`'s parent, the first element of its resources' URN type chain. */
export function copyType(k: number): string {
    return `${PROBE_PROJECT}:copy${k}:Copy`;
}

/** One setting of the config a finding's field comes from. */
export interface ConfigSetting {
    /** e.g. `tenants[3].repos[0].url` */
    path: string;
    /** Its value after environment defaults. */
    value: unknown;
    /** Whether the stack file sets it; false for an environment default the entry can override. */
    inStackFile: boolean;
}

/** The config entry behind a finding on a tenant's resource. */
export interface FindingOrigin {
    /** `tenants[3]` */
    entry: string;
    tenant: string;
    /** Settings of the entry whose change changes the finding's field; empty when the program sets it. */
    settings: ConfigSetting[];
    /** Why the settings could not be determined, when they could not. */
    unresolved?: string;
}

type Segment = string | number;

/** `spec.sourceRepos[0]`, `metadata.labels["a/b"]` → segments; undefined when it is no such path. */
export function parsePath(text: string): Segment[] | undefined {
    const out: Segment[] = [];
    let i = 0;
    while (i < text.length) {
        if (text[i] === "[") {
            const index = /^\[(\d+)\]/.exec(text.slice(i));
            if (index) {
                out.push(Number(index[1]));
                i += index[0].length;
                continue;
            }
            const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(text.slice(i));
            if (!quoted) return undefined;
            out.push(JSON.parse(quoted[1]) as string);
            i += quoted[0].length;
            continue;
        }
        if (text[i] === ".") {
            if (out.length === 0) return undefined;
            i += 1;
        }
        const name = /^[^.[\]]+/.exec(text.slice(i));
        if (!name) return undefined;
        out.push(name[0]);
        i += name[0].length;
    }
    return out;
}

/** Segments → `tenants[3].addons["kyverno-policies"]`. */
export function formatPath(segments: Segment[]): string {
    let out = "";
    for (const s of segments) {
        if (typeof s === "number") out += `[${s}]`;
        else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += out ? `.${s}` : s;
        else out += `[${JSON.stringify(s)}]`;
    }
    return out;
}

function getAt(value: unknown, segments: Segment[]): unknown {
    let current = value;
    for (const s of segments) {
        if (current instanceof SecretValue) current = current.value;
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<string | number, unknown>)[s];
    }
    return current;
}

function setAt(value: unknown, segments: Segment[], leaf: unknown): void {
    let current = value as Record<string | number, unknown>;
    for (const s of segments.slice(0, -1)) current = current[s] as Record<string | number, unknown>;
    current[segments[segments.length - 1]] = leaf;
}

interface Leaf {
    segments: Segment[];
    value: string | number | boolean;
}

function leavesOf(value: unknown, at: Segment[] = []): Leaf[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => leavesOf(v, [...at, i]));
    if (isRecord(value)) return Object.keys(value).flatMap((k) => leavesOf(value[k], [...at, k]));
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return [{ segments: at, value }];
    return [];
}

/** The smallest change of a setting that keeps its type. */
function perturbed(value: string | number | boolean): string | number | boolean {
    if (typeof value === "boolean") return !value;
    if (typeof value === "number") return value + 1;
    return `${value}x`;
}

/** Entries that differ only in the tenant's name (also inside other strings) behave alike. */
function signature(tenant: TenantConfig): string {
    const masked = JSON.stringify(tenant, (_key, v: unknown) => (typeof v === "string" ? v.split(tenant.name).join("\u0000") : v));
    return `${tenant.name.length}:${masked}`;
}

const shown = (value: unknown) => JSON.stringify(displayValue(value));

/** The Tenant component a resource belongs to, if any. */
function tenantComponentOf(plan: Plan, resource: RecordedResource): RecordedResource | undefined {
    let current: RecordedResource | undefined = resource;
    while (current) {
        if (current.type === TENANT_TYPE) return current;
        current = current.parent ? plan.byUrn.get(current.parent) : undefined;
    }
    return undefined;
}

/** Copy index of a probe resource, from the first element of its URN's type chain. */
function copyOf(urn: string): number | undefined {
    const chain = urn.split("::")[2] ?? "";
    const match = new RegExp(`^${PROBE_PROJECT}:copy(\\d+):Copy(\\$|$)`).exec(chain);
    return match ? Number(match[1]) : undefined;
}

export interface SourceContext {
    planned: Plan;
    config: StackConfig;
    file: StackFile;
    progress?: Progress;
}

/** A finding on a tenant's resource, and what is needed to probe it. */
interface Target {
    finding: PolicyFinding;
    resource: RecordedResource;
    /** Index of the entry in `tenants`. */
    index: number;
    group: Group;
    /** Role of the resource in its Tenant: its logical name without `<tenant>-`. */
    role?: string;
    segments?: Segment[];
    /** Leaves (indexes into group.leaves) whose text occurs in the field's value. */
    singles: number[];
    result?: Segment[][] | string;
}

/** Entries that behave alike (signature) share one baseline, one registration per changed leaf and one for their flags. */
interface Group {
    /** The entry registered. */
    tenant: TenantConfig;
    leaves: Leaf[];
    /** Copy index of the unchanged entry, of every boolean and number leaf changed at once, and per single leaf. */
    base?: number;
    flags?: number;
    single: Map<number, number>;
}

type Recorded = Map<number, Map<string, RecordedResource>>;

const isFlag = (leaf: Leaf) => typeof leaf.value !== "string";

/** The findings with `origin` set on those about a tenant's resource. */
export async function withConfigSources(findings: PolicyFinding[], context: SourceContext): Promise<PolicyFinding[]> {
    const targets = targetsOf(findings, context);
    if (targets.every((t) => t === undefined)) return findings;
    const open = targets.filter((t): t is Target => t !== undefined && t.result === undefined);
    const unresolved = open.length > 0 ? await probeTargets(open, context) : undefined;
    return originsOf(findings, targets, unresolved, context);
}

/** Per finding, what to trace: its tenant entry and resource, or nothing when it is not about a tenant's resource; decided at once where no probe can tell. */
function targetsOf(findings: PolicyFinding[], context: SourceContext): (Target | undefined)[] {
    const { planned, config } = context;
    const groups = new Map<string, Group>();
    return findings.map((finding): Target | undefined => {
        const resource = finding.resource?.urn !== undefined ? planned.byUrn.get(finding.resource.urn) : undefined;
        const component = resource ? tenantComponentOf(planned, resource) : undefined;
        const index = component ? config.tenants.findIndex((t) => t.name === component.name) : -1;
        if (index < 0) return undefined;
        const tenant = config.tenants[index];
        const key = signature(tenant);
        let group = groups.get(key);
        if (!group) {
            group = { tenant, leaves: leavesOf(tenant), single: new Map() };
            groups.set(key, group);
        }
        const target: Target = { finding, resource: resource!, index, group, singles: [] };
        const prefix = `${tenant.name}-`;
        const segments = finding.path === "" ? [] : parsePath(finding.path);
        const parent = resource!.parent ? planned.byUrn.get(resource!.parent) : undefined;
        // An object a chart renders (`plan --render`): the entry is known, its settings reach the
        // object through Helm's templates, which the probe does not run.
        if (parent && parent !== component) target.result = `rendered by the chart ${parent.name}; settings are traced to the chart's own inputs, not through its templates`;
        else if (finding.path === "") target.result = [];
        else if (!segments) target.result = `the field "${finding.path}" is not a path the planner can read`;
        else if (!resource!.name.startsWith(prefix)) target.result = `the resource's name does not start with "${prefix}"`;
        else {
            target.role = resource!.name.slice(prefix.length);
            target.segments = segments;
            // A string setting reaches a field by appearing in it: only those are probed one by one.
            target.singles = containedIn(group, `${resource!.name.replace(tenant.name, group.tenant.name)} ${shown(getAt(resource!.inputs, segments)).split(tenant.name).join(group.tenant.name)}`);
        }
        return target;
    });
}

/** Sets each open target's result by re-registering its entry with settings changed; the reason when the probe itself failed. */
async function probeTargets(open: Target[], context: SourceContext): Promise<string | undefined> {
    try {
        // Round 1: baseline, each single leaf, and all flags (booleans, numbers) at once.
        const copies: TenantConfig[] = [];
        for (const group of new Set(open.map((t) => t.group))) {
            group.base = copies.push(group.tenant) - 1;
            const flags = group.leaves.map((leaf, i) => (isFlag(leaf) ? i : -1)).filter((i) => i >= 0);
            if (flags.length > 0) group.flags = copies.push(changed(group, flags)) - 1;
        }
        for (const target of open) addSingles(target.group, target.singles, copies);
        let recorded = await probe(copies, context);
        // Round 2, only where needed: the strings that appear in the field as the Tenant
        // component builds it (the plan's value may differ, e.g. in a spec that injects a
        // violation), and each flag on its own where the flags changed the field.
        const more: TenantConfig[] = [...copies];
        for (const target of open) {
            const base = recorded.get(target.group.base!)?.get(`${target.resource.type} ${target.group.tenant.name}-${target.role}`);
            if (base) target.singles = [...new Set([...target.singles, ...containedIn(target.group, `${base.name} ${shown(getAt(base.inputs, target.segments!))}`)])];
            if (target.group.flags !== undefined && differs(target, target.group.flags, recorded, undefined)) {
                target.singles = [...new Set([...target.singles, ...target.group.leaves.flatMap((leaf, i) => (isFlag(leaf) ? [i] : []))])];
            }
            addSingles(target.group, target.singles, more);
        }
        if (more.length > copies.length) recorded = await probe(more, context);
        for (const target of open) target.result = settingsOf(target, recorded);
        return undefined;
    } catch (error) {
        return `the probe of the Tenant component failed: ${(error as Error).message.split("\n")[0]}`;
    }
}

/** Each finding about a tenant's resource with its origin: the entry, and the settings (or why they are not known). */
function originsOf(findings: PolicyFinding[], targets: (Target | undefined)[], unresolved: string | undefined, context: SourceContext): PolicyFinding[] {
    const { config } = context;
    const rawTenants = Array.isArray(context.file.config.tenants) ? context.file.config.tenants : [];
    return findings.map((finding, i) => {
        const target = targets[i];
        if (!target) return finding;
        const tenant = config.tenants[target.index];
        const entry = `tenants[${target.index}]`;
        const origin: FindingOrigin = { entry, tenant: tenant.name, settings: [] };
        const result = unresolved ?? target.result!;
        if (typeof result === "string") {
            origin.unresolved = result;
        } else {
            const raw = rawTenants[target.index];
            origin.settings = result.map((segments) => ({
                path: `${entry}${formatPath(segments).replace(/^(?=[A-Za-z_])/, ".")}`,
                value: getAt(tenant, segments),
                inStackFile: getAt(raw, segments) !== undefined,
            }));
        }
        return { ...finding, origin };
    });
}

/** Leaves of the group's entry whose text appears in `text`. */
function containedIn(group: Group, text: string): number[] {
    return group.leaves.flatMap((leaf, i) => (String(leaf.value) !== "" && text.includes(String(leaf.value)) ? [i] : []));
}

function changed(group: Group, leaves: number[]): TenantConfig {
    const copy = structuredClone(group.tenant);
    for (const i of leaves) setAt(copy, group.leaves[i].segments, perturbed(group.leaves[i].value));
    return copy;
}

function addSingles(group: Group, leaves: number[], copies: TenantConfig[]): void {
    for (const i of leaves) if (!group.single.has(i)) group.single.set(i, copies.push(changed(group, [i])) - 1);
}

/** One run of the probe program; resources by copy, then by `type name`. */
async function probe(copies: TenantConfig[], context: SourceContext): Promise<Recorded> {
    context.progress?.update(`tracing findings to their config entries (${copies.length} registrations of the Tenant component)`);
    const result = await runProgram({
        stack: context.planned.stack, project: PROBE_PROJECT, program: PROBE_PROGRAM,
        config: { platform: context.config.platform, copies },
    });
    const failed = new Set((result.outputs.failed as number[] | undefined) ?? []);
    const recorded: Recorded = new Map();
    for (const r of result.resources) {
        if (r.type === TENANT_TYPE) continue;
        // Under the mock runtime a URN carries its parent's type only, so the Tenant's children of
        // all copies share URNs; their parent, the copy's Tenant, tells them apart.
        const k = r.parent ? copyOf(r.parent) : undefined;
        if (k === undefined || failed.has(k)) continue;
        const byName = recorded.get(k) ?? new Map<string, RecordedResource>();
        byName.set(`${r.type} ${r.name}`, r);
        recorded.set(k, byName);
    }
    return recorded;
}

/**
 * Whether copy `k` (with `leaf` changed, or several) registers the target's resource with a
 * different field; undefined when it registers no such resource (a resource the changed entry no
 * longer registers, or under another name, says nothing about the field).
 */
function differs(target: Target, k: number, recorded: Recorded, leaf: Leaf | undefined): boolean | undefined {
    const { group, role, segments } = target;
    const base = recorded.get(group.base!)?.get(`${target.resource.type} ${group.tenant.name}-${role}`);
    const copy = recorded.get(k);
    if (!base || !copy) return undefined;
    const probed = group.tenant.name;
    const name = leaf && leaf.segments.length === 1 && leaf.segments[0] === "name" ? String(perturbed(leaf.value)) : probed;
    const candidates = [`${name}-${role}`];
    if (leaf && typeof leaf.value === "string" && leaf.value !== "" && role!.includes(leaf.value)) {
        candidates.push(`${name}-${role!.split(leaf.value).join(String(perturbed(leaf.value)))}`);
    }
    const other = candidates.map((n) => copy.get(`${target.resource.type} ${n}`)).find((r) => r !== undefined);
    if (!other) return group.flags === k ? true : undefined;
    return shown(getAt(other.inputs, segments!)) !== shown(getAt(base.inputs, segments!));
}

/** Segments (relative to the entry) of the settings whose change changes the target's field, or why they cannot be told. */
function settingsOf(target: Target, recorded: Recorded): Segment[][] | string {
    const { group } = target;
    if (!recorded.get(group.base!)?.has(`${target.resource.type} ${group.tenant.name}-${target.role}`)) {
        return `the Tenant component registers no ${target.resource.type} named "${group.tenant.name}-${target.role}" for this entry`;
    }
    return target.singles
        .filter((i) => differs(target, group.single.get(i)!, recorded, group.leaves[i]) === true)
        .sort((a, b) => a - b)
        .map((i) => group.leaves[i].segments);
}
