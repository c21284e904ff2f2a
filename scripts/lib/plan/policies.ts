// Runs the policy pack's own CrossGuard policy objects (the ones policy-pack/index.ts serves)
// over a recorded run, the way the Pulumi engine's analyzer would: resource validation per
// resource (type, name, inputs), stack validation over all of them, each policy at the
// enforcement level the `--policy-pack-config` file gives it. Exemptions from that file are
// applied here rather than inside the policies, so an exempted finding is still shown, with
// its reason, instead of vanishing.
import * as fs from "fs";
import type {
    EnforcementLevel, Policies, PolicyConfigSchema, PolicyResource, ReportViolation, ResourceValidation,
    ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { exemptionFor } from "../../../policy-pack/evaluate";
import { suggest } from "../../../stacks/loader";
import { RecordedResource, SecretValue, UNKNOWN_VALUE } from "../recorder";
import { MASK, Plan } from "./model";
import type { FindingOrigin } from "./provenance";

// @pulumi/policy's unknown-value proxy, which its analyzer wraps every resource's inputs in; its
// typings are stripped as internal, so it is loaded untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (...args: never[]) => Error;
    unknownCheckingProxy<T extends object>(value: T): T;
    unknownStringValue: unknown;
};

/** The pack's own default (policy-pack/index.ts: `enforcementLevel: "advisory"`). */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicyFinding {
    policy: string;
    severity?: string;
    /** Level the finding is reported at (advisory for values unknown during preview, as the engine does). */
    enforcementLevel: EnforcementLevel;
    /** The resource the finding is about; absent for a finding about the stack as a whole. */
    resource?: { type: string; name: string; urn: string };
    /** Offending field, e.g. `spec.template.spec.containers[0].securityContext`; empty when the policy named none. */
    path: string;
    message: string;
    /** The exemption's reason when one covers the finding; exempted findings never block. */
    exempted?: string;
    /** The check needed a value that is unknown until deployment. */
    unknown?: boolean;
    /** The policy itself threw; the engine would abort the preview, so this blocks. */
    failed?: boolean;
    /**
     * Set for an object rendered from a chart (`plan --render`): the installing resource, and
     * whether it is an object of a Helm release (which CrossGuard never sees) rather than a
     * resource helm.v4.Chart registers.
     */
    renderedBy?: { chart: string; releaseObject: boolean };
    /** The rule's remediation (the policy's `remediationSteps`, from the catalog). */
    remediation?: string;
    /** The rule's framework reference, e.g. `BSI IT-Grundschutz 2023: SYS.1.6.A17; Pod Security Standards (baseline)`. */
    framework?: string;
    /** For a finding on a tenant's resource: the config entry and settings it comes from (provenance.ts). */
    origin?: FindingOrigin;
}

/** A `--policy-pack-config` document after validation. */
export interface EffectivePolicyConfig {
    file: string;
    /** Policy name → its level and its config (schema defaults applied, `enforcementLevel` removed). */
    policies: Map<string, { level: EnforcementLevel; config: Record<string, unknown> }>;
}

export class PolicyConfigError extends Error {
    constructor(readonly file: string, readonly problems: string[]) {
        super(`${file}: the policy-pack config has ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
        this.name = "PolicyConfigError";
    }
}

// ---- the config file ------------------------------------------------------------------------

/** Reads and checks a `--policy-pack-config` file against the policies' names and config schemas. */
export function readPolicyConfig(file: string, policies: Policies): EffectivePolicyConfig {
    if (!fs.existsSync(file)) throw new PolicyConfigError(file, [`${file} does not exist; pass --policy-config <file>`]);
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new PolicyConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
    }
    return resolvePolicyConfig(raw, policies, file);
}

export function resolvePolicyConfig(raw: unknown, policies: Policies, file = "(policy config)"): EffectivePolicyConfig {
    const problems: string[] = [];
    if (!isPlainObject(raw)) throw new PolicyConfigError(file, [`must be a JSON object of policy name → enforcement level or settings`]);
    const names = policies.map((p) => p.name);
    const all = levelOf(raw.all, "all", problems);
    for (const key of Object.keys(raw)) {
        if (key !== "all" && !names.includes(key)) problems.push(`"${key}" is not a policy of this pack${suggest(key, names)}`);
    }
    const effective = new Map<string, { level: EnforcementLevel; config: Record<string, unknown> }>();
    for (const policy of policies) {
        const entry = raw[policy.name];
        const own = typeof entry === "string" ? levelOf(entry, policy.name, problems) : isPlainObject(entry) ? levelOf(entry.enforcementLevel, `${policy.name}.enforcementLevel`, problems) : undefined;
        if (entry !== undefined && typeof entry !== "string" && !isPlainObject(entry)) {
            problems.push(`${policy.name} must be an enforcement level (${LEVELS.join(", ")}) or an object of settings`);
        }
        const config: Record<string, unknown> = {};
        if (isPlainObject(entry)) for (const [k, v] of Object.entries(entry)) if (k !== "enforcementLevel") config[k] = v;
        problems.push(...checkSchema(config, policy.configSchema, policy.name));
        for (const [k, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if (config[k] === undefined && schema.default !== undefined) config[k] = schema.default;
        }
        effective.set(policy.name, { level: own ?? all ?? policy.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL, config });
    }
    if (problems.length > 0) throw new PolicyConfigError(file, problems);
    return { file, policies: effective };
}

function levelOf(value: unknown, at: string, problems: string[]): EnforcementLevel | undefined {
    if (value === undefined) return undefined;
    if (isPlainObject(value) && at === "all") return levelOf(value.enforcementLevel, "all.enforcementLevel", problems);
    if (typeof value === "string" && (LEVELS as string[]).includes(value)) return value as EnforcementLevel;
    problems.push(`${at} ${JSON.stringify(value)} must be one of ${LEVELS.map((l) => `"${l}"`).join(", ")}${typeof value === "string" ? suggest(value, LEVELS) : ""}`);
    return undefined;
}

/** The subset of JSON Schema the pack's config schemas use: type, enum, bounds, items, properties. */
function checkSchema(config: Record<string, unknown>, schema: PolicyConfigSchema | undefined, policy: string): string[] {
    const properties = schema?.properties ?? {};
    const problems: string[] = [];
    for (const [key, value] of Object.entries(config)) {
        if (!(key in properties)) {
            const known = Object.keys(properties);
            problems.push(`${policy}.${key} is not a setting of this policy${suggest(key, known)}; allowed: ${["enforcementLevel", ...known].join(", ")}`);
            continue;
        }
        problems.push(...checkValue(value, properties[key], `${policy}.${key}`));
    }
    for (const key of schema?.required ?? []) if (config[key] === undefined) problems.push(`${policy}.${key} is required`);
    return problems;
}

function checkValue(value: unknown, schema: PolicyConfigJSONSchema, at: string): string[] {
    const s = schema as Record<string, any>;
    const shown = JSON.stringify(value);
    const type = s.type as string | string[] | undefined;
    if (type !== undefined) {
        const types = Array.isArray(type) ? type : [type];
        const actual = Array.isArray(value) ? "array" : value === null ? "null" : Number.isInteger(value) ? "integer" : typeof value;
        const ok = types.some((t) => t === actual || (t === "number" && actual === "integer") || (t === "object" && actual === "object"));
        if (!ok) return [`${at} ${shown} must be of type ${types.join(" or ")}`];
    }
    const problems: string[] = [];
    if (Array.isArray(s.enum) && !s.enum.includes(value)) problems.push(`${at} ${shown} must be one of ${s.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}`);
    if (typeof value === "number" && typeof s.minimum === "number" && value < s.minimum) problems.push(`${at} ${shown} must be at least ${s.minimum}`);
    if (typeof value === "number" && typeof s.maximum === "number" && value > s.maximum) problems.push(`${at} ${shown} must be at most ${s.maximum}`);
    if (typeof value === "string" && typeof s.minLength === "number" && value.length < s.minLength) problems.push(`${at} ${shown} must be at least ${s.minLength} characters`);
    if (Array.isArray(value)) {
        if (typeof s.minItems === "number" && value.length < s.minItems) problems.push(`${at} must have at least ${s.minItems} entries`);
        if (s.items) value.forEach((item, i) => problems.push(...checkValue(item, s.items, `${at}[${i}]`)));
    }
    if (isPlainObject(value)) {
        const props = (s.properties ?? {}) as Record<string, PolicyConfigJSONSchema>;
        for (const key of s.required ?? []) if (value[key] === undefined) problems.push(`${at}.${key} is required`);
        if (typeof s.minProperties === "number" && Object.keys(value).length < s.minProperties) problems.push(`${at} must set at least ${s.minProperties} properties (${Object.keys(props).join(", ")})`);
        for (const [key, v] of Object.entries(value)) {
            if (props[key]) problems.push(...checkValue(v, props[key], `${at}.${key}`));
            else if (s.additionalProperties === false) problems.push(`${at}.${key} is not allowed here; allowed: ${Object.keys(props).join(", ")}`);
        }
    }
    return problems;
}

// ---- evaluation -----------------------------------------------------------------------------

/** Inputs as the analyzer hands them to a policy: secrets unwrapped to an opaque string, unknowns as the engine's sentinels. */
export function policyProps(value: unknown, insideSecret = false): unknown {
    if (value instanceof SecretValue) return policyProps(value.value, true);
    if (value === UNKNOWN_VALUE) return proxy.unknownStringValue;
    if (Array.isArray(value)) return value.map((v) => policyProps(v, insideSecret));
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = policyProps(v, insideSecret);
        return out;
    }
    // A secret's shape is kept (a secret mapping still shows its keys); its values never reach a policy.
    return insideSecret ? MASK : value;
}

class NotApplicable extends Error {}

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const token = (resourceClass as { __pulumiType?: string }).__pulumiType;
    return token !== undefined && token === type;
}

function optionsOf(r: RecordedResource) {
    return {
        protect: r.protect,
        ignoreChanges: r.ignoreChanges,
        aliases: r.aliases,
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        parent: r.parent,
    };
}

/** `path: message` (how the pack reports a field) → its parts; other messages have no path. */
export function splitPath(message: string): { path: string; message: string } {
    const match = /^([A-Za-z_$][^\s:]*(?:\[[^\]\s]*\][^\s:]*)*): (.*)$/s.exec(message);
    return match ? { path: match[1], message: match[2] } : { path: "", message };
}

export interface EvaluateOptions {
    /** Stack name the engine would pass to the pack process (PULUMI_NODEJS_STACK). */
    stack: string;
    /**
     * URNs of records resource policies judge but stack policies do not see: objects inside a
     * Helm release, which are no resources of the stack (`plan --render`).
     */
    outsideStack?: ReadonlySet<string>;
}

/** Every finding of every enabled policy over the plan, exempted ones included (marked). */
export async function evaluatePolicies(plan: Plan, policies: Policies, config: EffectivePolicyConfig, options: EvaluateOptions): Promise<PolicyFinding[]> {
    const previous = process.env.PULUMI_NODEJS_STACK;
    process.env.PULUMI_NODEJS_STACK = options.stack;
    try {
        const resources = plan.resources.map((r) => ({ record: r, props: policyProps(r.inputs) as Record<string, unknown> }));
        const findings: PolicyFinding[] = [];
        for (const policy of policies) {
            const effective = config.policies.get(policy.name) ?? { level: policy.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL, config: {} };
            if (effective.level === "disabled") continue;
            // Remediations are not run offline; a violation of a remediate policy is reported as mandatory (as the engine does).
            const level: EnforcementLevel = effective.level === "remediate" ? "mandatory" : effective.level;
            const { exemptions, ...settings } = effective.config;
            const getConfig = <T extends object>() => ({ ...settings }) as T;
            const base: Base = {
                policy: policy.name, severity: policy.severity, enforcementLevel: level,
                ...(policy.remediationSteps ? { remediation: policy.remediationSteps } : {}),
                ...(frameworkText(policy.framework) ? { framework: frameworkText(policy.framework) } : {}),
            };
            if ("validateStack" in policy) {
                const stackResources = options.outsideStack ? resources.filter((r) => !options.outsideStack!.has(r.record.urn)) : resources;
                findings.push(...(await runStackPolicy(policy, stackResources, getConfig, base, exemptions)));
                continue;
            }
            const validations = (policy as ResourceValidationPolicy).validateResource;
            if (!validations) continue;
            // The engine validates the resources a program manages; reads (StackReferences) only appear in stack validation.
            for (const { record, props } of resources.filter((r) => !r.record.read)) {
                findings.push(...(await runResourcePolicy(policy, [validations].flat(), record, props, getConfig, base, exemptions)));
            }
        }
        return findings;
    } finally {
        if (previous === undefined) delete process.env.PULUMI_NODEJS_STACK;
        else process.env.PULUMI_NODEJS_STACK = previous;
    }
}

type Base = Pick<PolicyFinding, "policy" | "severity" | "enforcementLevel" | "remediation" | "framework">;

/** A policy's compliance framework as one line: name, version, requirements, specification. */
export function frameworkText(framework: Policies[number]["framework"]): string | undefined {
    if (!framework) return undefined;
    const head = [framework.name, framework.version].filter(Boolean).join(" ");
    const reference = framework.reference ? `${head ? `${head}: ` : ""}${framework.reference}` : head;
    return [reference, framework.specification].filter(Boolean).join("; ") || undefined;
}

async function runResourcePolicy(
    policy: Policies[number], validations: ResourceValidation[], record: RecordedResource,
    props: Record<string, unknown>, getConfig: <T extends object>() => T, base: Base, exemptions: unknown,
): Promise<PolicyFinding[]> {
    const messages: string[] = [];
    const report: ReportViolation = (message: string) => { messages.push(message); };
    const proxied = proxy.unknownCheckingProxy(props);
    const args: ResourceValidationArgs = {
        type: record.type, props: proxied, urn: record.urn, name: record.name, opts: optionsOf(record),
        stackTags: new Map(),
        isType: (resourceClass) => isTypeOf(record.type, resourceClass),
        asType: ((resourceClass: unknown) => (isTypeOf(record.type, resourceClass) ? proxied : undefined)) as ResourceValidationArgs["asType"],
        getConfig,
        notApplicable: (reason?: string): never => { throw new NotApplicable(reason); },
    };
    const resource = { type: record.type, name: record.name, urn: record.urn };
    const findings: PolicyFinding[] = [];
    for (const validate of validations) {
        try {
            await Promise.resolve(validate(args, report));
        } catch (error) {
            if (error instanceof NotApplicable) continue;
            if (error instanceof proxy.UnknownValueError) {
                findings.push({ ...base, enforcementLevel: "advisory", resource, path: "", message: `can't run policy '${policy.name}' during preview: ${(error as Error).message}`, unknown: true });
                continue;
            }
            findings.push({ ...base, resource, path: "", message: `policy threw: ${(error as Error).message ?? String(error)}`, failed: true, enforcementLevel: "mandatory" });
        }
    }
    if (messages.length === 0) return findings;
    const reason = exemptionFor(exemptions, { type: record.type, name: record.name, urn: record.urn, props });
    for (const text of messages) findings.push({ ...base, resource, ...splitPath(text), ...(reason !== undefined ? { exempted: reason } : {}) });
    return findings;
}

async function runStackPolicy(
    policy: StackValidationPolicy, resources: { record: RecordedResource; props: Record<string, unknown> }[],
    getConfig: <T extends object>() => T, base: Base, exemptions: unknown,
): Promise<PolicyFinding[]> {
    const byUrn = new Map<string, PolicyResource>();
    const policyResources: PolicyResource[] = resources.map(({ record, props }) => {
        const resource: PolicyResource = {
            type: record.type, props, urn: record.urn, name: record.name, opts: optionsOf(record),
            dependencies: [], propertyDependencies: {},
            isType: (resourceClass) => isTypeOf(record.type, resourceClass),
            asType: ((resourceClass: unknown) => (isTypeOf(record.type, resourceClass) ? props : undefined)) as PolicyResource["asType"],
        };
        byUrn.set(record.urn, resource);
        return resource;
    });
    for (const { record } of resources) {
        const resource = byUrn.get(record.urn)!;
        if (record.parent) resource.parent = byUrn.get(record.parent);
        resource.dependencies = record.dependencies.map((urn) => byUrn.get(urn)).filter((r): r is PolicyResource => r !== undefined);
    }
    const reports: { message: string; urn?: string }[] = [];
    const args: StackValidationArgs = {
        resources: policyResources, stackTags: new Map(), getConfig,
        notApplicable: (reason?: string): never => { throw new NotApplicable(reason); },
    };
    try {
        await Promise.resolve(policy.validateStack(args, (message, urn) => { reports.push({ message, urn }); }));
    } catch (error) {
        if (error instanceof NotApplicable) return [];
        if (error instanceof proxy.UnknownValueError) {
            return [{ ...base, enforcementLevel: "advisory", path: "", message: `can't run policy '${policy.name}' during preview: ${(error as Error).message}`, unknown: true }];
        }
        return [{ ...base, path: "", message: `policy threw: ${(error as Error).message ?? String(error)}`, failed: true, enforcementLevel: "mandatory" }];
    }
    return reports.map(({ message, urn }) => {
        const subject = urn ? byUrn.get(urn) : undefined;
        const reason = subject ? exemptionFor(exemptions, { type: subject.type, name: subject.name, urn: subject.urn, props: subject.props }) : undefined;
        return {
            ...base,
            ...(subject ? { resource: { type: subject.type, name: subject.name, urn: subject.urn } } : {}),
            ...splitPath(message),
            ...(reason !== undefined ? { exempted: reason } : {}),
        };
    });
}

// ---- verdict and rendering ------------------------------------------------------------------

export interface PolicySummary {
    mandatory: number;
    advisory: number;
    exempted: number;
    /** Policies evaluated (enabled ones). */
    policiesEvaluated: number;
}

/** Findings that fail the plan: mandatory (or a policy that threw), not exempted. */
export function blocking(findings: PolicyFinding[]): PolicyFinding[] {
    return findings.filter((f) => f.exempted === undefined && (f.enforcementLevel === "mandatory" || f.failed));
}

export function summarize(findings: PolicyFinding[], config: EffectivePolicyConfig): PolicySummary {
    return {
        mandatory: blocking(findings).length,
        advisory: findings.filter((f) => f.exempted === undefined && f.enforcementLevel === "advisory" && !f.failed).length,
        exempted: findings.filter((f) => f.exempted !== undefined).length,
        policiesEvaluated: [...config.policies.values()].filter((p) => p.level !== "disabled").length,
    };
}

/** How many exemptions of the config (a policy and a reason) covered at least one finding. */
export function exemptionsApplied(findings: PolicyFinding[]): number {
    return new Set(findings.filter((f) => f.exempted !== undefined).map((f) => `${f.policy}\u0000${f.exempted}`)).size;
}

/** Findings grouped by policy, in a stable order (blocking policies first, then by name). */
export function groupByPolicy(findings: PolicyFinding[]): { policy: string; severity?: string; findings: PolicyFinding[] }[] {
    const groups = new Map<string, PolicyFinding[]>();
    for (const f of findings) groups.set(f.policy, [...(groups.get(f.policy) ?? []), f]);
    const rank = (list: PolicyFinding[]) => (blocking(list).length > 0 ? 0 : list.some((f) => f.exempted === undefined) ? 1 : 2);
    return [...groups].map(([policy, list]) => ({
        policy,
        severity: list[0].severity,
        findings: [...list].sort((a, b) => (a.resource?.name ?? "").localeCompare(b.resource?.name ?? "") || a.path.localeCompare(b.path) || a.message.localeCompare(b.message)),
    })).sort((a, b) => rank(a.findings) - rank(b.findings) || a.policy.localeCompare(b.policy));
}

export function renderFindings(findings: PolicyFinding[]): string[] {
    const lines: string[] = [];
    for (const group of groupByPolicy(findings)) {
        lines.push(`  ${group.policy} (severity ${group.severity ?? "unset"})`);
        const first = group.findings[0];
        if (first.framework) lines.push(`    framework: ${first.framework}`);
        if (first.remediation) lines.push(`    fix: ${first.remediation}`);
        for (const f of group.findings) {
            const level = f.exempted !== undefined ? "exempted" : f.enforcementLevel;
            const subject = f.resource ? `${f.resource.type} ${f.resource.name}` : "(stack)";
            lines.push(`    [${level}] ${subject}${f.path ? `  ${f.path}` : ""}${renderedByText(f)}`);
            lines.push(`        ${f.message}`);
            if (f.origin) lines.push(`        config: ${originText(f.origin)}`);
            if (f.exempted !== undefined) lines.push(`        exempted: ${f.exempted}`);
        }
    }
    return lines;
}

/** ` (rendered by argocd-chart)`, or for a Helm release's object the warning that CrossGuard does not see it. */
export function renderedByText(f: PolicyFinding): string {
    if (!f.renderedBy) return "";
    return f.renderedBy.releaseObject
        ? `  (object of the Helm release ${f.renderedBy.chart}: CrossGuard never sees it)`
        : `  (rendered by ${f.renderedBy.chart})`;
}

/** `tenants[0].applications[0].targetRevision "main"`, or the entry alone when the program sets the field. */
export function originText(origin: FindingOrigin): string {
    if (origin.unresolved !== undefined) return `${origin.entry} (tenant ${origin.tenant}); which of its settings: not determined (${origin.unresolved})`;
    if (origin.settings.length === 0) return `${origin.entry} (tenant ${origin.tenant}); no setting of the entry changes this field, the program sets it`;
    return origin.settings.map((s) => `${s.path} ${JSON.stringify(s.value)}${s.inStackFile ? "" : " (environment default)"}`).join(", ");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
