// The compliance catalog as CrossGuard policies: a thin adapter over the evaluator
// (evaluate.ts), which decides everything. This module builds the policies and nothing else:
// index.ts serves them as a PolicyPack (a PolicyPack constructor starts a gRPC server, so it
// must not run on import).
//
// What the engine gets: every finding the evaluator reports, except exempted ones; a value
// unknown during preview is thrown back as the proxy's error, which the analyzer turns into its
// advisory "can't run policy … during preview"; a check that threw is thrown too, so the engine
// refuses the preview whatever the policy's level (fail closed).

import type { Policies, PolicyConfigSchema, PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { rules } from "./catalog";
import { complianceFramework } from "./catalog/core/frameworks";
import type { PulumiResource, Rule, StackRule } from "./catalog/core/types";
import { Finding, PolicySettings, configProperties, evaluateRule, evaluateStackRule, policyOf, stackEnvironment } from "./evaluate";

/** The configSchema of a rule's policy: its settings and exemptions (the engine adds enforcementLevel). */
export function configSchemaFor(rule: Rule): PolicyConfigSchema {
    return { properties: configProperties(rule) };
}

function common(rule: Rule) {
    return {
        name: rule.id,
        description: rule.description,
        displayName: rule.title,
        severity: rule.severity,
        remediationSteps: rule.remediation,
        tags: [rule.category, ...rule.framework.bsi, ...(rule.framework.pss ? [`pss-${rule.framework.pss}`] : [])],
        framework: complianceFramework(rule.framework),
        configSchema: configSchemaFor(rule),
    };
}

/** A finding as the engine shows it: `path: message`. */
export function engineMessage(finding: Pick<Finding, "path" | "message">): string {
    return finding.path ? `${finding.path}: ${finding.message}` : finding.message;
}

// @pulumi/policy's server recognises a value unknown during preview by its UnknownValueError class; its typings are internal.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as { UnknownValueError: new (sentinel: unknown, props: string[]) => Error; unknownStringValue: unknown };

/** The analyzer's own error for a value unknown during preview, carrying the evaluator's explanation. */
function unknownValueError(finding: Finding): Error {
    const error = new proxy.UnknownValueError(proxy.unknownStringValue, []);
    error.message = finding.message.replace(/^can't run policy '[^']*' during preview: /, "");
    return error;
}

/** Hands the evaluator's findings to the engine (see the header); a stack policy names the resource by its URN. */
function report(findings: Finding[], reportViolation: ReportViolation, stack = false): void {
    for (const f of findings) {
        if (f.failed) throw new Error(f.message);
        if (f.unknown) throw unknownValueError(f);
    }
    for (const f of findings) {
        if (f.exempted === undefined) reportViolation(engineMessage(f), stack ? f.resource?.urn : undefined);
    }
}

const resolved = new WeakMap<object, PolicySettings>();

/** The policy's settings from the config the engine hands over; the engine applies the level itself, so the evaluator only learns the policy is on. */
function settingsFor(rule: Rule, config: Record<string, unknown>): PolicySettings {
    let settings = resolved.get(config);
    if (!settings || settings.rule !== rule) {
        settings = { ...policyOf(rule, config), level: "advisory" };
        resolved.set(config, settings);
    }
    return settings;
}

function resourcePolicy(rule: Exclude<Rule, StackRule>): ResourceValidationPolicy {
    return {
        ...common(rule),
        validateResource: (args, reportViolation) => {
            const resource: PulumiResource = { type: args.type, name: args.name, urn: args.urn, props: args.props };
            report(evaluateRule(settingsFor(rule, args.getConfig<Record<string, unknown>>()), resource, { environment: stackEnvironment() }), reportViolation);
        },
    };
}

function stackPolicy(rule: StackRule): StackValidationPolicy {
    return {
        ...common(rule),
        validateStack: (args, reportViolation) => {
            // Props are read lazily, so a resource that cannot be read is the evaluator's to judge.
            const resources = args.resources.map((r: PolicyResource): PulumiResource => ({ type: r.type, name: r.name, urn: r.urn, get props() { return r.props; } }));
            report(evaluateStackRule(settingsFor(rule, args.getConfig<Record<string, unknown>>()), resources, { environment: stackEnvironment() }), reportViolation, true);
        },
    };
}

/** The CrossGuard policy of one rule, named by the rule id. */
export function policyFor(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    return rule.scope === "stack" ? stackPolicy(rule) : resourcePolicy(rule);
}

/** One policy per catalog rule, in catalog order. */
export const policies: Policies = rules.map(policyFor);
