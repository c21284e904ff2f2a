// The compliance catalog as CrossGuard policies. This module builds the policies and nothing
// else: index.ts serves them as a PolicyPack, and the offline planner imports the same objects
// (a PolicyPack constructor starts a gRPC server, so it must not run on import).

import type {
    Policies,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { rules } from "./catalog";
import type { PlatformRule, PulumiResource, RuleMetadata, RuntimeRule, StackRule } from "./catalog/core/types";
import { applies, checkResource, contextFromConfig, exemptionFor, runCheck, stackEnvironment } from "./evaluate";

/** Exemptions every policy accepts: by namespace and/or name, always with a reason. */
export const EXEMPTIONS_SCHEMA: PolicyConfigJSONSchema = {
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

/** The configSchema of a rule's policy: its settings and exemptions. */
export function configSchemaFor(rule: RuleMetadata): PolicyConfigSchema {
    return { properties: { ...rule.settings, exemptions: EXEMPTIONS_SCHEMA } };
}

function common(rule: RuleMetadata) {
    return {
        name: rule.id,
        description: rule.description,
        displayName: rule.title,
        severity: rule.severity,
        remediationSteps: rule.remediation,
        tags: [rule.category, ...rule.framework.bsi, ...(rule.framework.pss ? [`pss-${rule.framework.pss}`] : [])],
        framework: {
            name: "BSI IT-Grundschutz",
            version: "2023",
            reference: rule.framework.bsi.join(", "),
            specification: rule.framework.pss ? `Pod Security Standards (${rule.framework.pss})` : "",
        },
        configSchema: configSchemaFor(rule),
    };
}

function message(path: string, text: string): string {
    return path ? `${path}: ${text}` : text;
}

function resourcePolicy(rule: RuntimeRule | PlatformRule): ResourceValidationPolicy {
    return {
        ...common(rule),
        validateResource: (args, reportViolation: ReportViolation) => {
            if (!applies(rule, args.type)) {
                return;
            }
            const config = args.getConfig<Record<string, unknown>>();
            const resource: PulumiResource = { type: args.type, name: args.name, urn: args.urn, props: args.props };
            const outcome = checkResource(rule, resource, contextFromConfig(config, stackEnvironment()));
            if (outcome.kind === "unknown") {
                // The analyzer server turns this into its advisory "can't run policy … during preview".
                throw outcome.error;
            }
            if (outcome.kind === "failed") {
                reportViolation(outcome.message);
                return;
            }
            if (outcome.violations.length > 0 && exemptionFor(config.exemptions, resource) !== undefined) {
                return;
            }
            for (const v of outcome.violations) {
                reportViolation(message(v.path, v.message));
            }
        },
    };
}

function stackPolicy(rule: StackRule): StackValidationPolicy {
    return {
        ...common(rule),
        validateStack: (args, reportViolation: ReportViolation) => {
            const config = args.getConfig<Record<string, unknown>>();
            let resources: PulumiResource[] = [];
            const outcome = runCheck(() => {
                resources = args.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props }));
                return rule.check(resources, contextFromConfig(config, stackEnvironment()));
            });
            const byName = new Map(resources.map((r) => [r.name, r]));
            if (outcome.kind === "unknown") {
                throw outcome.error;
            }
            if (outcome.kind === "failed") {
                reportViolation(outcome.message);
                return;
            }
            for (const v of outcome.violations) {
                const subject = byName.get(v.resource);
                if (subject && exemptionFor(config.exemptions, subject) !== undefined) {
                    continue;
                }
                reportViolation(message(v.path, `${v.resource}: ${v.message}`), v.urn);
            }
        },
    };
}

/** One policy per catalog rule, named by the rule id; resource rules first, then stack rules. */
export const policies: Policies = rules.map((rule) => (rule.scope === "stack" ? stackPolicy(rule) : resourcePolicy(rule)));
