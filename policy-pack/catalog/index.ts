// The whole compliance catalog: runtime rules (checked before deploy and rendered for Kyverno),
// platform rules (Pulumi resources) and stack rules (cross-resource invariants).
import { clusterRules } from "./cluster";
import { platformRules } from "./platform";
import type { RuleMetadata } from "./platform/types";
import { stackRules } from "./stack";
import type { Rule } from "./types";
import { workloadRules } from "./workload";

export type { FrameworkReference, Manifest, Rule, RuleContext, RuleSettings, Severity, Violation } from "./types";
export type { PlatformRule, PulumiResource, RuleMetadata, StackRule, StackViolation } from "./platform/types";
export { PROJECT_AT_CREATION_ANNOTATION, PROJECT_AT_CREATION_IGNORE_CHANGES } from "./cluster";
export { clusterRules, platformRules, stackRules, workloadRules };

/** Rules with a Kyverno twin: Pod security (workload) and the cluster rules. */
export const runtimeRules: Rule[] = [...workloadRules, ...clusterRules];

/** Which enforcement point(s) a rule has. */
export type RuleScope = "runtime" | "platform" | "stack";

/** Metadata of one rule plus where it is enforced. */
export interface CatalogEntry extends RuleMetadata {
    scope: RuleScope;
}

function metadata(rule: RuleMetadata, scope: RuleScope): CatalogEntry {
    const { id, title, description, severity, category, framework, remediation } = rule;
    return { id, title, description, severity, category, framework, remediation, scope };
}

/** Every rule's metadata, in catalog order (runtime, platform, stack). */
export const catalog: CatalogEntry[] = [
    ...runtimeRules.map((rule) => metadata(rule, "runtime")),
    ...platformRules.map((rule) => metadata(rule, "platform")),
    ...stackRules.map((rule) => metadata(rule, "stack")),
];

/** Every rule id; ids are unique across the catalog. */
export const allRuleIds: string[] = catalog.map((entry) => entry.id);

const byId = new Map(catalog.map((entry) => [entry.id, entry]));
if (byId.size !== catalog.length) {
    const duplicates = allRuleIds.filter((id, index) => allRuleIds.indexOf(id) !== index);
    throw new Error(`rule ids must be unique across the catalog; duplicated: ${[...new Set(duplicates)].join(", ")}`);
}

/** Metadata of a rule by id, or undefined. */
export function ruleMetadata(id: string): CatalogEntry | undefined {
    return byId.get(id);
}

/** Rules of a given BSI requirement, e.g. `rulesForRequirement("APP.4.4.A3")`. */
export function rulesForRequirement(requirement: string): CatalogEntry[] {
    return catalog.filter((entry) => entry.framework.bsi.includes(requirement));
}

/** Rules of a severity or worse. */
export function rulesAtLeast(severity: RuleMetadata["severity"]): CatalogEntry[] {
    const order = ["low", "medium", "high", "critical"];
    return catalog.filter((entry) => order.indexOf(entry.severity) >= order.indexOf(severity));
}
