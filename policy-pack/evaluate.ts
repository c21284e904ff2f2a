// The one place that runs a catalog rule against a resource. Both the CrossGuard policies
// (policies.ts, inside the Pulumi engine's analyzer) and the offline planner call it, so a rule
// means the same in both: same applicability, settings, exemptions, unknown-value handling and
// fail-closed treatment of a check that throws.

import picomatch from "picomatch";
import { rules, stackRules } from "./catalog";
import type { EnforcementLevel, PulumiResource, Rule, RuleContext, RuleSettings, RuntimeRule, StackViolation, Violation } from "./catalog/core/types";
import { apiVersionOfType, isRecord, kindOfType } from "./catalog/core/values";

// @pulumi/policy's own unknown-value proxy (the one its analyzer server wraps every resource in);
// its typings are stripped as internal, so it is loaded untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const policyProxy = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (...args: never[]) => Error;
    unknownCheckingProxy<T extends object>(value: T): T;
};
const { UnknownValueError, unknownCheckingProxy } = policyProxy;

/** One exemption of a policy: resources in these namespaces and/or with these names, and why. */
export interface Exemption {
    /** Kubernetes namespaces (metadata.namespace, or a chart's `namespace`) the exemption covers; `*` and `?` globs allowed. */
    namespaces?: string[];
    /** Names (metadata.name, a Vault object's `name`, or the Pulumi logical name) the exemption covers; `*` and `?` globs allowed. */
    names?: string[];
    /** Why the exemption is acceptable; shown with every exempted finding. */
    reason: string;
}

/** Configuration of one policy, as in a `--policy-pack-config` file. */
export interface PolicyConfig extends RuleSettings {
    enforcementLevel?: EnforcementLevel;
    /** Overrides the environment (`dev`, `prod`) the rule assumes; default: the stack name. */
    environment?: string;
    exemptions?: Exemption[];
}

/** A whole `--policy-pack-config` document: `all` and one entry per policy. */
export type PolicyPackConfig = Record<string, EnforcementLevel | PolicyConfig>;

/** What evaluation found for one policy and one resource. */
export interface Finding {
    policy: string;
    /** Logical name of the resource the finding is about. */
    resource: string;
    path: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    /** Set when an exemption covers the finding: the exemption's reason. Exempted findings do not block. */
    exempted?: string;
    /** Set when the check needed a value that is unknown during preview (reported advisory, as the engine does). */
    unknown?: boolean;
    /** Set when the check itself threw: reported as a violation (fail closed). */
    failed?: boolean;
}

/** Result of running one check. */
export type CheckOutcome<V extends Violation = Violation> =
    | { kind: "ok"; violations: V[] }
    | { kind: "unknown"; error: Error }
    | { kind: "failed"; message: string };

const RESERVED = new Set(["enforcementLevel", "exemptions", "environment"]);

/** Splits a policy's config into the rule's context (settings, environment). */
export function contextFromConfig(config: Record<string, unknown>, defaultEnvironment?: string): RuleContext {
    const settings: RuleSettings = {};
    for (const [name, value] of Object.entries(config)) {
        if (!RESERVED.has(name)) {
            settings[name] = value;
        }
    }
    const environment = typeof config.environment === "string" ? config.environment : defaultEnvironment;
    return { settings, environment };
}

/** The environment a policy pack process runs for: the stack the engine passes (`org/proj/prod` → `prod`). */
export function stackEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
    const stack = env.PULUMI_NODEJS_STACK;
    return stack ? stack.split("/").pop() : undefined;
}

/** Whether a runtime rule applies to a Pulumi type token (`kubernetes:apps/v1:Deployment` and kinds containing Deployment). */
export function runtimeRuleApplies(rule: RuntimeRule, type: string): boolean {
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

function isUnknownValueError(error: unknown): error is Error {
    return error instanceof UnknownValueError || (error instanceof Error && error.constructor?.name === "UnknownValueError");
}

/** Runs a check; a throw is a failed check (never a pass), an unknown value is reported as such. */
export function runCheck<V extends Violation>(check: () => V[]): CheckOutcome<V> {
    try {
        const violations = check();
        if (!Array.isArray(violations)) {
            return { kind: "failed", message: `check failed: it returned ${typeof violations} instead of a list of violations` };
        }
        return { kind: "ok", violations };
    } catch (error) {
        if (isUnknownValueError(error)) {
            return { kind: "unknown", error };
        }
        return { kind: "failed", message: `check failed: ${error instanceof Error ? error.message : String(error)}` };
    }
}

// ---- Pulumi property placeholders -------------------------------------------------------------

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Plain data from resource inputs as the mock runtime or a recording hands them over: secrets
 * are unwrapped (rules never print values of secret fields), output values are replaced by their
 * value or the unknown sentinel. Returns whether an unknown was seen.
 */
export function normalizeProps(value: unknown): { value: unknown; hasUnknown: boolean } {
    // Most resources carry no placeholder at all: find out without allocating, and only copy when needed.
    const found = scan(value);
    if (!found.placeholder) {
        return { value, hasUnknown: found.unknown };
    }
    let hasUnknown = false;
    const walk = (v: unknown): unknown => {
        if (v === UNKNOWN) {
            hasUnknown = true;
            return v;
        }
        if (Array.isArray(v)) {
            return v.map(walk);
        }
        if (isRecord(v)) {
            const sig = v[SIG_KEY];
            if (sig === SECRET_SIG) {
                return walk(v.value);
            }
            if (sig === OUTPUT_SIG) {
                if (!("value" in v) || v.value === undefined) {
                    hasUnknown = true;
                    return UNKNOWN;
                }
                return walk(v.value);
            }
            const out: Record<string, unknown> = {};
            for (const [k, item] of Object.entries(v)) {
                if (item !== undefined) {
                    out[k] = walk(item);
                }
            }
            return out;
        }
        return v;
    };
    return { value: walk(value), hasUnknown };
}

function scan(value: unknown, found = { placeholder: false, unknown: false }): { placeholder: boolean; unknown: boolean } {
    if (value === UNKNOWN) {
        found.unknown = true;
    } else if (Array.isArray(value)) {
        for (const item of value) scan(item, found);
    } else if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[SIG_KEY] !== undefined) {
            found.placeholder = true;
            return found;
        }
        for (const key in record) {
            const item = record[key];
            if (item === undefined) found.placeholder = true; // dropped by the copy, as deserialization does
            else scan(item, found);
        }
    }
    return found;
}

// ---- configuration ----------------------------------------------------------------------------

/** The effective enforcement level and config of one policy in a pack config. */
export function policyConfig(config: PolicyPackConfig | undefined, policy: string): { level: EnforcementLevel; config: PolicyConfig } {
    const all = config?.all;
    const entry = config?.[policy];
    const fallback: EnforcementLevel = typeof all === "string" ? all : isRecord(all) && typeof all.enforcementLevel === "string" ? all.enforcementLevel : "advisory";
    if (typeof entry === "string") {
        return { level: entry, config: {} };
    }
    if (isRecord(entry)) {
        return { level: entry.enforcementLevel ?? fallback, config: entry };
    }
    return { level: fallback, config: {} };
}

/** Namespace and names of a resource, for exemption matching. */
export function resourceIdentity(resource: PulumiResource): { namespace?: string; names: string[] } {
    const metadata = isRecord(resource.props.metadata) ? resource.props.metadata : {};
    const namespace =
        typeof metadata.namespace === "string" ? metadata.namespace : typeof resource.props.namespace === "string" ? resource.props.namespace : undefined;
    const names = [metadata.name, resource.props.name, resource.name].filter((n): n is string => typeof n === "string");
    return { namespace, names };
}

/** The reason of the first exemption covering the resource, or undefined. */
// Exemption entries are names or globs (`*` any run of characters, `?` one), as Kyverno's own
// resource filters are: `vc-config-*` in `vcluster-*` covers every tenant's chart-rendered config
// Secret without an entry per tenant. Compiled once per pattern.
const globCache = new Map<string, (value: string) => boolean>();
function matchesAny(patterns: unknown[], value: string): boolean {
    return patterns.some((pattern) => {
        if (typeof pattern !== "string") return false;
        let matcher = globCache.get(pattern);
        if (!matcher) {
            matcher = picomatch(pattern, { dot: true, nobrace: true, noextglob: true });
            globCache.set(pattern, matcher);
        }
        return matcher(value);
    });
}

export function exemptionFor(exemptions: unknown, resource: PulumiResource): string | undefined {
    if (!Array.isArray(exemptions)) {
        return undefined;
    }
    const { namespace, names } = resourceIdentity(resource);
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

// ---- evaluation -------------------------------------------------------------------------------

type Resolved = { level: EnforcementLevel; config: PolicyConfig; context: RuleContext };
const NO_CONFIG: PolicyPackConfig = {};
const resolvedCache = new WeakMap<PolicyPackConfig, Map<string, Resolved>>();

/** policyConfig + contextFromConfig, computed once per config document (treated as immutable), policy and environment. */
function resolved(config: PolicyPackConfig | undefined, policy: string, environment: string | undefined): Resolved {
    const document = config ?? NO_CONFIG;
    let perPolicy = resolvedCache.get(document);
    if (!perPolicy) {
        perPolicy = new Map();
        resolvedCache.set(document, perPolicy);
    }
    const key = `${policy}\u0000${environment ?? ""}`;
    let entry = perPolicy.get(key);
    if (!entry) {
        const { level, config: own } = policyConfig(document, policy);
        entry = { level, config: own, context: contextFromConfig(own, environment) };
        perPolicy.set(key, entry);
    }
    return entry;
}

/** Whether a resource-level rule looks at this Pulumi type. */
export function applies(rule: Rule, type: string): boolean {
    if (rule.scope === "runtime") return runtimeRuleApplies(rule, type);
    if (rule.scope === "platform") return rule.resourceTypes.includes(type);
    return false;
}

/** Runs one resource-level rule over one resource (props already plain or proxied). */
export function checkResource(rule: Rule, resource: PulumiResource, context: RuleContext): CheckOutcome {
    if (rule.scope === "runtime") {
        return runCheck(() => rule.check(manifestOf(resource.type, resource.props), context));
    }
    if (rule.scope === "platform") {
        return runCheck(() => rule.check(resource, context));
    }
    return { kind: "ok", violations: [] };
}

function findingsOf(
    policy: string,
    outcome: CheckOutcome,
    resource: PulumiResource,
    level: EnforcementLevel,
    exemptions: unknown,
): Finding[] {
    if (outcome.kind === "unknown") {
        return [{ policy, resource: resource.name, path: "", message: `can't run policy '${policy}' during preview: ${outcome.error.message}`, enforcementLevel: "advisory", unknown: true }];
    }
    if (outcome.kind === "failed") {
        // A broken check is never exempted: the exemption was granted for a finding, not for a crash.
        return [{ policy, resource: resource.name, path: "", message: outcome.message, enforcementLevel: level, failed: true }];
    }
    const reason = outcome.violations.length > 0 ? exemptionFor(exemptions, resource) : undefined;
    return outcome.violations.map((v) => ({
        policy,
        resource: resource.name,
        path: v.path,
        message: v.message,
        enforcementLevel: level,
        ...(reason !== undefined ? { exempted: reason } : {}),
    }));
}

export interface EvaluateOptions {
    /** Environment when a policy's config names none (default: none; rules that need one then fail closed). */
    environment?: string;
    /** Only these policies (default: all). */
    policies?: string[];
}

/**
 * Every finding of every enabled resource-level policy for one resource, including exempted ones
 * (marked with their reason). Pure: the planner calls it with what the mock runtime recorded.
 */
export function evaluateResource(
    type: string,
    name: string,
    props: Record<string, unknown>,
    config?: PolicyPackConfig,
    options: EvaluateOptions = {},
): Finding[] {
    let plain: Record<string, unknown> = {};
    let seen: Record<string, unknown> = {};
    let unreadable: string | undefined;
    try {
        const normalized = normalizeProps(props);
        plain = (isRecord(normalized.value) ? normalized.value : {}) as Record<string, unknown>;
        // Unknown values only appear in previews; the proxy makes reading one throw, exactly as in the engine.
        seen = normalized.hasUnknown ? (unknownCheckingProxy(plain) as Record<string, unknown>) : plain;
    } catch (error) {
        unreadable = `check failed: the resource's properties cannot be read: ${error instanceof Error ? error.message : String(error)}`;
    }
    const resource: PulumiResource = { type, name, props: seen };
    const findings: Finding[] = [];
    for (const rule of rules) {
        const policy = rule.id;
        if (rule.scope === "stack" || (options.policies && !options.policies.includes(policy)) || !applies(rule, type)) {
            continue;
        }
        const { level, config: own, context } = resolved(config, policy, options.environment);
        if (level === "disabled") {
            continue;
        }
        const outcome: CheckOutcome = unreadable !== undefined ? { kind: "failed", message: unreadable } : checkResource(rule, resource, context);
        findings.push(...findingsOf(policy, outcome, { type, name, props: plain }, level, own.exemptions));
    }
    return findings;
}

/** Every finding of every enabled stack policy over all resources of a stack. */
export function evaluateStack(resources: PulumiResource[], config?: PolicyPackConfig, options: EvaluateOptions = {}): Finding[] {
    let plain: PulumiResource[] = [];
    let unreadable: string | undefined;
    try {
        plain = resources.map((r) => ({ ...r, props: (normalizeProps(r.props).value ?? {}) as Record<string, unknown> }));
    } catch (error) {
        unreadable = `check failed: the stack's resources cannot be read: ${error instanceof Error ? error.message : String(error)}`;
    }
    const byName = new Map(plain.map((r) => [r.name, r]));
    const findings: Finding[] = [];
    for (const rule of stackRules) {
        if (options.policies && !options.policies.includes(rule.id)) {
            continue;
        }
        const { level, config: own } = policyConfig(config, rule.id);
        if (level === "disabled") {
            continue;
        }
        const outcome: CheckOutcome<StackViolation> =
            unreadable !== undefined ? { kind: "failed", message: unreadable } : runCheck(() => rule.check(plain, contextFromConfig(own, options.environment)));
        if (outcome.kind !== "ok") {
            findings.push(...findingsOf(rule.id, outcome, { type: "pulumi:pulumi:Stack", name: "stack", props: {} }, level, undefined));
            continue;
        }
        for (const v of outcome.violations) {
            const subject = byName.get(v.resource) ?? { type: "", name: v.resource, props: {} };
            findings.push(...findingsOf(rule.id, { kind: "ok", violations: [v] }, subject, level, own.exemptions));
        }
    }
    return findings;
}

/** Findings that block a deployment: mandatory, not exempted. */
export function blocking(findings: Finding[]): Finding[] {
    return findings.filter((f) => f.enforcementLevel === "mandatory" && f.exempted === undefined);
}
