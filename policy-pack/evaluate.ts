// The one policy evaluator: the only place that decides whether a rule applies to a resource,
// which settings and exemptions it gets, what a value unknown during preview means and what a
// check that throws means. CrossGuard (policies.ts, inside the Pulumi engine's analyzer), the
// offline plan and the bench all call it, so a rule means the same everywhere.
//
// Resources arrive as the analyzer hands them to a policy: plain data, secrets already unwrapped
// (or masked by the caller), values unknown during preview as @pulumi/policy's unknown sentinels.

import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import picomatch from "picomatch";
import { rules as catalog } from "./catalog";
import type { PulumiResource, Rule, RuleContext, SettingSchema, Severity, StackViolation, Violation } from "./catalog/core/types";
import { apiVersionOfType, isRecord, kindOfType } from "./catalog/core/values";

// @pulumi/policy's own unknown-value proxy (the one its analyzer server wraps every resource in);
// its typings are stripped as internal, so it is loaded untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (...args: never[]) => Error;
    unknownCheckingProxy<T extends object>(value: T): T;
    getSpecialProxyTarget: string;
    [sentinel: string]: unknown;
};
/** Every sentinel the analyzer uses for a value unknown during preview (string, number, boolean, …). */
const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set(
    ["unknownStringValue", "unknownNumberValue", "unknownBooleanValue", "unknownArrayValue", "unknownObjectValue", "unknownAssetValue", "unknownArchiveValue"].map((name) => proxy[name]),
);

// ---- configuration ----------------------------------------------------------------------------

/** The enforcement levels a `--policy-pack-config` may name (Pulumi's). */
export const LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type Level = (typeof LEVELS)[number];

/** The pack's own level for a policy its config does not mention (index.ts serves the pack with it). */
export const PACK_ENFORCEMENT_LEVEL: Level = "advisory";

/** One exemption of a policy: resources in these namespaces and/or with these names, and why. */
export interface Exemption {
    /** Kubernetes namespaces (metadata.namespace, or a chart's `namespace`) the exemption covers; `*` and `?` globs allowed. */
    namespaces?: string[];
    /** Names (metadata.name, a Vault object's `name`, or the Pulumi logical name) the exemption covers; `*` and `?` globs allowed. */
    names?: string[];
    /** Why the exemption is acceptable; shown with every exempted finding. */
    reason: string;
}

/** Exemptions every policy accepts: by namespace and/or name, always with a reason. */
export const EXEMPTIONS_SCHEMA: SettingSchema = {
    type: "array",
    description: "Resources this policy does not block, each scoped to namespaces and/or names (globs: * and ?), with the reason.",
    items: {
        type: "object",
        properties: {
            namespaces: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
            names: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
            reason: { type: "string", minLength: 10 },
        },
        required: ["reason"],
        // reason plus at least one of namespaces/names
        minProperties: 2,
        additionalProperties: false,
    },
};

/** What a policy's config may hold besides its enforcement level: the rule's own settings and its exemptions. */
export function configProperties(rule: Rule): Record<string, SettingSchema> {
    return { ...rule.settings, exemptions: EXEMPTIONS_SCHEMA };
}

/** One policy as configured: its level, its rule's context (settings with defaults; the environment when the config names one) and exemptions. */
export interface PolicySettings {
    rule: Rule;
    level: Level;
    context: RuleContext;
    exemptions: Exemption[];
}

/** A whole `--policy-pack-config` document, checked and resolved for every rule. */
export interface PackConfig {
    /** Rule id → how it is configured, in catalog order. */
    policies: Map<string, PolicySettings>;
}

/** A `--policy-pack-config` document that does not fit the pack, with every problem. */
export class PolicyConfigError extends Error {
    constructor(readonly source: string, readonly problems: string[]) {
        super(`${source}: the policy-pack config has ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
        this.name = "PolicyConfigError";
    }
}

export interface ConfigOptions {
    /** The rules the config is for. @default the catalog */
    rules?: readonly Rule[];
    /** Where the document came from, for error messages. @default "(policy config)" */
    source?: string;
    /** Appends a "did you mean" hint for an unknown name, e.g. ` (did you mean "x"?)`. @default - no hint */
    suggest?: (value: string, candidates: readonly string[]) => string;
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true });
const validators = new WeakMap<Rule, ValidateFunction>();

/** The JSON Schema of one policy's entry in the config (settings, exemptions and enforcementLevel). */
function validatorOf(rule: Rule): ValidateFunction {
    let validate = validators.get(rule);
    if (!validate) {
        validate = ajv.compile({
            type: "object",
            properties: { enforcementLevel: { type: "string", enum: [...LEVELS] }, ...configProperties(rule) },
            additionalProperties: false,
        });
        validators.set(rule, validate);
    }
    return validate;
}

/** A policy's entry checked against its schema, with the settings' schema defaults filled in (ajv's useDefaults). */
function checkEntry(rule: Rule, entry: Record<string, unknown>): { config: Record<string, unknown>; errors: ErrorObject[] } {
    const config = structuredClone(entry);
    const validate = validatorOf(rule);
    return { config, errors: validate(config) ? [] : [...(validate.errors ?? [])] };
}

function problemOf(error: ErrorObject, at: string, suggest: ConfigOptions["suggest"]): string {
    const path = at + error.instancePath.split("/").slice(1).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join("");
    const shown = JSON.stringify(error.data);
    const properties = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    switch (error.keyword) {
        case "additionalProperties": {
            const key = (error.params as { additionalProperty: string }).additionalProperty;
            const what = error.instancePath === "" ? "a setting of this policy" : "allowed here";
            return `${path}.${key} is not ${what}${suggest?.(key, properties) ?? ""}; allowed: ${properties.join(", ")}`;
        }
        case "required":
            return `${path}.${(error.params as { missingProperty: string }).missingProperty} is required`;
        case "enum": {
            const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
            const hint = typeof error.data === "string" ? suggest?.(error.data, allowed.map(String)) ?? "" : "";
            return `${path} ${shown} must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}${hint}`;
        }
        case "minProperties":
            return `${path} must set at least ${(error.params as { limit: number }).limit} of ${properties.join(", ")}`;
        default:
            return `${path} ${shown} ${error.message}`;
    }
}

/** A level given as a string or as `{ enforcementLevel }` (`all` may be either). */
function levelOf(value: unknown, at: string, problems: string[], suggest: ConfigOptions["suggest"]): Level | undefined {
    if (value === undefined) return undefined;
    if ((LEVELS as readonly unknown[]).includes(value)) return value as Level;
    const hint = typeof value === "string" ? suggest?.(value, LEVELS) ?? "" : "";
    problems.push(`${at} ${JSON.stringify(value)} must be one of ${LEVELS.map((l) => `"${l}"`).join(", ")}${hint}`);
    return undefined;
}

/**
 * Checks a `--policy-pack-config` document against every rule's schema (ajv) and resolves it:
 * a policy's own level over `all`, `all` over the pack's level; settings get their schema
 * defaults. Throws PolicyConfigError listing every problem.
 */
export function resolvePackConfig(raw: unknown, options: ConfigOptions = {}): PackConfig {
    const rules = options.rules ?? catalog;
    const source = options.source ?? "(policy config)";
    if (!isRecord(raw)) throw new PolicyConfigError(source, ["must be a JSON object of policy name → enforcement level or settings"]);
    const problems: string[] = [];
    const ids = rules.map((rule) => rule.id);
    for (const key of Object.keys(raw)) {
        if (key !== "all" && !ids.includes(key)) problems.push(`"${key}" is not a policy of this pack${options.suggest?.(key, ids) ?? ""}`);
    }
    const all = isRecord(raw.all)
        ? levelOf(raw.all.enforcementLevel, "all.enforcementLevel", problems, options.suggest)
        : levelOf(raw.all, "all", problems, options.suggest);
    const policies = new Map<string, PolicySettings>();
    for (const rule of rules) {
        const entry = raw[rule.id];
        let own: Level | undefined;
        let config: Record<string, unknown> = {};
        if (typeof entry === "string" || entry === undefined) {
            own = levelOf(entry, rule.id, problems, options.suggest);
            config = checkEntry(rule, {}).config;
        } else if (isRecord(entry)) {
            const checked = checkEntry(rule, entry);
            problems.push(...checked.errors.map((e) => problemOf(e, rule.id, options.suggest)));
            config = checked.config;
            own = (LEVELS as readonly unknown[]).includes(config.enforcementLevel) ? (config.enforcementLevel as Level) : undefined;
        } else {
            problems.push(`${rule.id} ${JSON.stringify(entry)} must be an enforcement level (${LEVELS.join(", ")}) or an object of settings`);
        }
        policies.set(rule.id, { ...settingsOf(rule, config), level: own ?? all ?? PACK_ENFORCEMENT_LEVEL });
    }
    if (problems.length > 0) throw new PolicyConfigError(source, problems);
    return { policies };
}

/**
 * One policy's config as CrossGuard's `getConfig()` returns it (the engine has checked it against
 * the policy's configSchema) split into its rule's context and exemptions, with the settings'
 * schema defaults filled in.
 */
export function policyOf(rule: Rule, config: Record<string, unknown>): Omit<PolicySettings, "level"> {
    return settingsOf(rule, checkEntry(rule, config).config);
}

function settingsOf(rule: Rule, config: Record<string, unknown>): Omit<PolicySettings, "level"> {
    const { enforcementLevel: _level, exemptions, environment, ...settings } = config;
    return {
        rule,
        context: { settings, ...(typeof environment === "string" ? { environment } : {}) },
        exemptions: Array.isArray(exemptions) ? (exemptions as Exemption[]) : [],
    };
}

/** The environment a policy pack process runs for: the stack the engine passes (`org/proj/prod` → `prod`). */
export function stackEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
    const stack = env.PULUMI_NODEJS_STACK;
    return stack ? stack.split("/").pop() : undefined;
}

// ---- applicability ----------------------------------------------------------------------------

/** Whether a resource-level rule looks at this Pulumi type (a runtime rule: every `kubernetes:<group>/<version>:<Kind>` whose Kind it names). */
export function applies(rule: Rule, type: string): boolean {
    if (rule.scope === "platform") return rule.resourceTypes.includes(type);
    if (rule.scope !== "runtime") return false;
    const kind = kindOfType(type);
    return kind !== undefined && (rule.kinds.includes(kind) || rule.kinds.includes("*"));
}

/** The manifest a runtime rule sees for a Pulumi Kubernetes resource: its inputs, with apiVersion/kind from the type token if absent. */
export function manifestOf(type: string, props: Record<string, unknown>): Record<string, unknown> {
    if (typeof props.kind === "string" && typeof props.apiVersion === "string") {
        return props;
    }
    return { apiVersion: apiVersionOfType(type), kind: kindOfType(type), ...props };
}

// ---- running a check --------------------------------------------------------------------------

/** Result of running one check. */
type Outcome<V extends Violation> =
    | { kind: "ok"; violations: V[] }
    | { kind: "unknown"; error: Error }
    | { kind: "failed"; message: string };

function isUnknownValueError(error: unknown): error is Error {
    return error instanceof proxy.UnknownValueError || (error instanceof Error && error.constructor?.name === "UnknownValueError");
}

/** Runs a check; a throw is a failed check (never a pass), reading a value unknown during preview is reported as such. */
function run<V extends Violation>(check: () => V[]): Outcome<V> {
    try {
        const violations = check();
        if (!Array.isArray(violations)) {
            return { kind: "failed", message: `check failed: it returned ${typeof violations} instead of a list of violations` };
        }
        return { kind: "ok", violations };
    } catch (error) {
        if (isUnknownValueError(error)) return { kind: "unknown", error };
        return { kind: "failed", message: `check failed: ${error instanceof Error ? error.message : String(error)}` };
    }
}

function containsUnknown(value: unknown): boolean {
    if (UNKNOWN_SENTINELS.has(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (isRecord(value)) {
        for (const key in value) if (containsUnknown(value[key])) return true;
    }
    return false;
}

/** A resource read once for all rules: its plain props, what checks read (the engine's unknown-checking proxy where unknowns occur), or why it cannot be read. */
interface Prepared {
    resource: PulumiResource;
    seen: Record<string, unknown>;
    unreadable?: string;
    /** What runtime rules read (manifestOf `seen`), made on first use and shared by them. */
    manifest?: Record<string, unknown>;
}

function prepare(resource: PulumiResource, what = "the resource's properties"): Prepared {
    try {
        const props = resource.props;
        // A proxy the engine already made is read through its target, so the decision is made here, once.
        const plain = ((props as Record<string, unknown>)[proxy.getSpecialProxyTarget] ?? props) as Record<string, unknown>;
        // Unknown values only appear in previews; the proxy makes reading one throw, exactly as in the engine.
        const seen = containsUnknown(plain) ? proxy.unknownCheckingProxy(plain) : plain;
        return { resource: { ...resource, props: plain }, seen };
    } catch (error) {
        return {
            resource: { type: resource.type, name: resource.name, urn: resource.urn, props: {} },
            seen: {},
            unreadable: `check failed: ${what} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        };
    }
}

// ---- exemptions -------------------------------------------------------------------------------

/** Namespace and names of a resource, for exemption matching. */
function identityOf(resource: PulumiResource): { namespace?: string; names: string[] } {
    const metadata = isRecord(resource.props.metadata) ? resource.props.metadata : {};
    const namespace =
        typeof metadata.namespace === "string" ? metadata.namespace : typeof resource.props.namespace === "string" ? resource.props.namespace : undefined;
    const names = [metadata.name, resource.props.name, resource.name].filter((n): n is string => typeof n === "string");
    return { namespace, names };
}

// Exemption entries are names or globs (`*` any run of characters, `?` one), as Kyverno's own
// resource filters are: `vc-config-*` in `vcluster-*` covers every tenant's chart-rendered config
// Secret without an entry per tenant. Compiled once per pattern.
const globCache = new Map<string, (value: string) => boolean>();
function matchesAny(patterns: unknown[], value: string): boolean {
    return patterns.some((pattern) => {
        if (typeof pattern !== "string") return false;
        let matcher = globCache.get(pattern);
        if (!matcher) {
            // picomatch's own matcher tests exactly this expression (after an equality shortcut); the bare RegExp is several times faster per call.
            const re = picomatch.makeRe(pattern, { dot: true, nobrace: true, noextglob: true });
            matcher = (candidate) => candidate === pattern || re.test(candidate);
            globCache.set(pattern, matcher);
        }
        return matcher(value);
    });
}

/** The reason of the first exemption covering the resource, or undefined. */
export function exemptionFor(exemptions: unknown, resource: PulumiResource): string | undefined {
    if (!Array.isArray(exemptions)) {
        return undefined;
    }
    const { namespace, names } = identityOf(resource);
    for (const exemption of exemptions) {
        if (!isRecord(exemption) || typeof exemption.reason !== "string" || exemption.reason.trim() === "") {
            continue; // the config schema rejects these; an exemption without a reason never applies
        }
        const byNamespace = Array.isArray(exemption.namespaces) ? exemption.namespaces : undefined;
        const byName = Array.isArray(exemption.names) ? exemption.names : undefined;
        if (byNamespace === undefined && byName === undefined) {
            continue;
        }
        const namespaceOk = byNamespace === undefined || (namespace !== undefined && matchesAny(byNamespace, namespace));
        const nameOk = byName === undefined || names.some((name) => matchesAny(byName, name));
        if (namespaceOk && nameOk) {
            return exemption.reason;
        }
    }
    return undefined;
}

// ---- findings ---------------------------------------------------------------------------------

/** What evaluation found for one policy and one resource (or the stack). */
export interface Finding {
    policy: string;
    severity: Severity;
    /** `mandatory` blocks. A check that threw is always mandatory (fail closed); a value unknown during preview is advisory, as the engine reports it. */
    enforcementLevel: "advisory" | "mandatory";
    /** The resource the finding is about; absent for a finding about the stack as a whole. */
    resource?: { type: string; name: string; urn?: string };
    /** Offending field, e.g. `spec.template.spec.containers[0].securityContext`; empty when the rule named none. */
    path: string;
    message: string;
    /** Set when an exemption covers the finding: the exemption's reason. Exempted findings do not block. */
    exempted?: string;
    /** Set when the check needed a value that is unknown during preview. */
    unknown?: boolean;
    /** Set when the check itself threw or its input could not be read: it blocks at any level and is never exempted. */
    failed?: boolean;
}

function subjectOf(resource: PulumiResource): Finding["resource"] {
    return { type: resource.type, name: resource.name, ...(resource.urn !== undefined ? { urn: resource.urn } : {}) };
}

function findingsOf(policy: PolicySettings, outcome: Outcome<Violation>, subject: PulumiResource | undefined): Finding[] {
    const { rule } = policy;
    const base = { policy: rule.id, severity: rule.severity, ...(subject ? { resource: subjectOf(subject) } : {}) };
    if (outcome.kind === "unknown") {
        return [{ ...base, enforcementLevel: "advisory", path: "", message: `can't run policy '${rule.id}' during preview: ${outcome.error.message}`, unknown: true }];
    }
    if (outcome.kind === "failed") {
        // A broken check is never exempted: the exemption was granted for a finding, not for a crash.
        return [{ ...base, enforcementLevel: "mandatory", path: "", message: outcome.message, failed: true }];
    }
    const level = policy.level === "advisory" ? "advisory" : "mandatory"; // remediations are not run here: a violation blocks
    const reason = subject && outcome.violations.length > 0 ? exemptionFor(policy.exemptions, subject) : undefined;
    return outcome.violations.map((v) => ({ ...base, enforcementLevel: level, path: v.path, message: v.message, ...(reason !== undefined ? { exempted: reason } : {}) }));
}

export interface EvaluateOptions {
    /** The environment the stack deploys to, for policies whose config names none (CrossGuard: the stack name). @default - none; rules that need one fail closed */
    environment?: string;
}

/** The context a check gets: the policy's settings, and its environment or the run's. */
function contextOf(policy: PolicySettings, options: EvaluateOptions): RuleContext {
    const context = policy.context;
    return context.environment !== undefined || options.environment === undefined ? context : { ...context, environment: options.environment };
}

function checkPrepared(policy: PolicySettings, context: RuleContext, prepared: Prepared): Finding[] {
    const { rule } = policy;
    const { resource, seen } = prepared;
    let outcome: Outcome<Violation>;
    if (prepared.unreadable !== undefined) {
        outcome = { kind: "failed", message: prepared.unreadable };
    } else if (rule.scope === "runtime") {
        const manifest = (prepared.manifest ??= manifestOf(resource.type, seen));
        outcome = run(() => rule.check(manifest, context));
    } else if (rule.scope === "platform") {
        outcome = run(() => rule.check({ ...resource, props: seen }, context));
    } else {
        return [];
    }
    return findingsOf(policy, outcome, resource);
}

/** Every finding of one resource-level policy for one resource (none when the rule does not apply or is disabled), exempted ones marked. */
export function evaluateRule(policy: PolicySettings, resource: PulumiResource, options: EvaluateOptions = {}): Finding[] {
    if (policy.level === "disabled" || !applies(policy.rule, resource.type)) return [];
    return checkPrepared(policy, contextOf(policy, options), prepare(resource));
}

/** Every finding of one stack policy over all resources of a stack, exempted ones marked. */
export function evaluateStackRule(policy: PolicySettings, resources: readonly PulumiResource[], options: EvaluateOptions = {}): Finding[] {
    const rule = policy.rule;
    if (policy.level === "disabled" || rule.scope !== "stack") return [];
    const prepared = resources.map((r) => prepare(r, "the stack's resources"));
    const unreadable = prepared.find((p) => p.unreadable !== undefined);
    if (unreadable) return findingsOf(policy, { kind: "failed", message: unreadable.unreadable! }, undefined);
    const plain = prepared.map((p) => p.resource);
    const context = contextOf(policy, options);
    const outcome = run<StackViolation>(() => rule.check(prepared.map((p) => ({ ...p.resource, props: p.seen })), context));
    if (outcome.kind !== "ok") return findingsOf(policy, outcome, undefined);
    const byName = new Map(plain.map((r) => [r.name, r]));
    return outcome.violations.flatMap((v) => {
        const subject = byName.get(v.resource) ?? { type: "", name: v.resource, ...(v.urn !== undefined ? { urn: v.urn } : {}), props: {} };
        return findingsOf(policy, { kind: "ok", violations: [{ path: v.path, message: v.message }] }, subject);
    });
}

/** A resource of a stack, and which phases of the engine's analysis see it. */
export interface StackResource extends PulumiResource {
    /** Judged by resource policies (false for a resource the program reads rather than manages). @default true */
    resourcePolicies?: boolean;
    /** Seen by stack policies. @default true */
    stackPolicies?: boolean;
}

/** Every finding of every enabled policy over a stack, as the engine's Analyze (per resource) and AnalyzeStack would produce them, exempted ones marked. */
export function evaluate(resources: readonly StackResource[], config: PackConfig, options: EvaluateOptions = {}): Finding[] {
    const policies = [...config.policies.values()].filter((p) => p.level !== "disabled");
    const contexts = new Map(policies.map((p) => [p, contextOf(p, options)]));
    const resourceLevel = policies.filter((p) => p.rule.scope !== "stack");
    // Which policies apply depends on the type token alone: decided once per type.
    const byType = new Map<string, PolicySettings[]>();
    const applicableTo = (type: string) => {
        let found = byType.get(type);
        if (!found) byType.set(type, (found = resourceLevel.filter((p) => applies(p.rule, type))));
        return found;
    };
    const findings: Finding[] = [];
    for (const resource of resources) {
        if (resource.resourcePolicies === false) continue;
        const applicable = applicableTo(resource.type);
        if (applicable.length === 0) continue;
        const prepared = prepare(resource);
        for (const policy of applicable) findings.push(...checkPrepared(policy, contexts.get(policy)!, prepared));
    }
    const inStack = resources.filter((r) => r.stackPolicies !== false);
    for (const policy of policies) {
        if (policy.rule.scope === "stack") findings.push(...evaluateStackRule(policy, inStack, options));
    }
    return findings;
}

/** Findings that block a deployment: mandatory (which includes every check that threw), not exempted. */
export function blocking<F extends Finding>(findings: readonly F[]): F[] {
    return findings.filter((f) => f.enforcementLevel === "mandatory" && f.exempted === undefined);
}
