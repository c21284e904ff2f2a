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
import { DEFAULT_MAX_DNS_NAMES } from "./catalog/cluster/cert-manager-limit-dnsnames";
import { DEFAULT_MAX_CERTIFICATE_DURATION_HOURS } from "./catalog/cluster/cert-manager-limit-duration";
import type { PulumiResource, RuleMetadata, StackRule } from "./catalog/platform/types";
import { CatalogRule, applies, catalogRules, checkResource, contextFromConfig, exemptionFor, runCheck, stackEnvironment } from "./evaluate";

const stringList: PolicyConfigJSONSchema = { type: "array", items: { type: "string", minLength: 1 } };

/** Every setting a rule may read, with its schema. */
export const SETTING_SCHEMAS: Record<string, PolicyConfigJSONSchema> = {
    allowedRegistries: { ...stringList, description: "Image registries (prefixes) images may come from, e.g. \"ghcr.io/acme/\"." },
    allowedChartRepositories: { ...stringList, description: "Helm chart repositories (https:// URLs or oci:// prefixes) charts may come from." },
    allowedIssuers: {
        type: "array",
        description: "cert-manager issuers certificates for the allowedDomains must use.",
        items: {
            type: "object",
            properties: { kind: { type: "string", enum: ["Issuer", "ClusterIssuer"] }, name: { type: "string", minLength: 1 }, group: { type: "string" } },
            required: ["kind", "name"],
            additionalProperties: false,
        },
    },
    allowedDomains: { ...stringList, description: "DNS domains (suffixes, e.g. \"example.com\") certificates are issued for." },
    maxCertificateDurationHours: {
        type: "integer",
        minimum: 1,
        default: DEFAULT_MAX_CERTIFICATE_DURATION_HOURS,
        description: "Longest certificate duration allowed, in hours.",
    },
    maxDnsNames: { type: "integer", minimum: 1, default: DEFAULT_MAX_DNS_NAMES, description: "Most dnsNames one certificate may carry." },
    environment: { type: "string", minLength: 1, description: "Environment the stack deploys to (dev, prod); default: the stack name." },
};

/** Which settings each rule reads (rules not listed read none). */
export const RULE_SETTINGS: Record<string, string[]> = {
    "restrict-image-registries": ["allowedRegistries"],
    "cert-manager-limit-duration": ["maxCertificateDurationHours"],
    "cert-manager-limit-dnsnames": ["maxDnsNames"],
    "cert-manager-restrict-issuer": ["allowedIssuers", "allowedDomains"],
    "helm-chart-pinned": ["allowedChartRepositories"],
    "vault-no-dev-mode-outside-dev": ["environment"],
    "no-literal-secrets-in-prod": ["environment"],
};

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
export function configSchemaFor(id: string): PolicyConfigSchema {
    const properties: Record<string, PolicyConfigJSONSchema> = {};
    for (const setting of RULE_SETTINGS[id] ?? []) {
        properties[setting] = SETTING_SCHEMAS[setting];
    }
    properties.exemptions = EXEMPTIONS_SCHEMA;
    return { properties };
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
        configSchema: configSchemaFor(rule.id),
    };
}

function message(path: string, text: string): string {
    return path ? `${path}: ${text}` : text;
}

function resourcePolicy(entry: CatalogRule): ResourceValidationPolicy {
    return {
        ...common(entry.rule),
        validateResource: (args, reportViolation: ReportViolation) => {
            if (!applies(entry, args.type)) {
                return;
            }
            const config = args.getConfig<Record<string, unknown>>();
            const resource: PulumiResource = { type: args.type, name: args.name, urn: args.urn, props: args.props };
            const outcome = checkResource(entry, resource, contextFromConfig(config, stackEnvironment()));
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
export const policies: Policies = catalogRules.map((entry) =>
    entry.scope === "stack" ? stackPolicy(entry.rule) : resourcePolicy(entry),
);

/** Policy names, in order. */
export const policyNames: string[] = policies.map((p) => p.name);
