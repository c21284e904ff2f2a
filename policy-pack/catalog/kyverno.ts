// Renders catalog rules as Kyverno ClusterPolicies: the runtime half of a rule, applied on the
// hub and on every vCluster. Pure functions over plain data, so the platform program and the
// tests call them directly.

import type { Manifest, RuleContext, RuntimeRule } from "./core/types";

/** How failing resources are treated: `Audit` reports them, `Enforce` rejects them at admission. */
export type ValidationFailureAction = "Audit" | "Enforce";

export interface RenderOptions {
    /** Applied to every rule of the policy (dev: `Audit`, prod: `Enforce`). */
    validationFailureAction: ValidationFailureAction;
    /**
     * Whether Kyverno also scans existing resources and reports them in PolicyReports.
     * @default true
     */
    background?: boolean;
    /** Settings the rules read (e.g. `allowedRegistries`). */
    context: RuleContext;
}

/** Annotation carrying the BSI IT-Grundschutz requirements a policy implements. */
export const BSI_ANNOTATION = "gitops-hub.io/bsi-it-grundschutz";
/** Label carrying the Pod Security Standards level, so policies of one level can be selected. */
export const PSS_LEVEL_LABEL = "gitops-hub.io/pss-level";
/** Label marking every ClusterPolicy rendered from the catalog. */
export const CATALOG_RULE_LABEL = "gitops-hub.io/compliance-rule";

/**
 * Per-rule `validate.failureAction` needs Kyverno 1.13; the platform pins the kyverno chart
 * 3.5.x (Kyverno 1.15), and the spokes get the same add-on.
 */
const MIN_KYVERNO_VERSION = "1.13.0";

const ACTIONS: readonly string[] = ["Audit", "Enforce"];

/**
 * One rule as a `kyverno.io/v1` ClusterPolicy named `rule.id`.
 *
 * The failure action is written per rule as `spec.rules[*].validate.failureAction`: since
 * Kyverno 1.13 that is the field the API prefers, and the policy-wide
 * `spec.validationFailureAction` is deprecated (it still works, but warns, and a rule-level
 * value overrides it). Writing only the current field keeps one source of truth.
 *
 * @throws Error when the options are invalid or a Kyverno rule has no validate block.
 */
export function renderClusterPolicy(rule: RuntimeRule, options: RenderOptions): Manifest {
    const action = options.validationFailureAction;
    if (!ACTIONS.includes(action)) {
        throw new Error(`validationFailureAction ${JSON.stringify(action)} must be "Audit" or "Enforce".`);
    }
    const rules = rule.kyverno(options.context).map((kyvernoRule, index) => withFailureAction(rule.id, kyvernoRule, index, action));

    const annotations: Record<string, string> = {
        "policies.kyverno.io/title": rule.title,
        "policies.kyverno.io/category": rule.category,
        "policies.kyverno.io/severity": rule.severity,
        "policies.kyverno.io/subject": subjectOf(rule),
        "policies.kyverno.io/minversion": MIN_KYVERNO_VERSION,
        "policies.kyverno.io/description": rule.description,
        [BSI_ANNOTATION]: rule.framework.bsi.join(", "),
    };
    if (disablesAutogen(rules)) {
        // Kyverno would otherwise copy the Pod rules onto the pod templates of controllers,
        // while this policy matches the controllers themselves (e.g. their own namespace).
        annotations["pod-policies.kyverno.io/autogen-controllers"] = "none";
    }
    const labels: Record<string, string> = { [CATALOG_RULE_LABEL]: "true" };
    if (rule.framework.pss !== undefined) {
        labels[PSS_LEVEL_LABEL] = rule.framework.pss;
    }
    return {
        apiVersion: "kyverno.io/v1",
        kind: "ClusterPolicy",
        metadata: { name: rule.id, labels, annotations },
        spec: { background: options.background ?? true, rules },
    };
}

/** Every runtime rule as its ClusterPolicy, in the rules' order. */
export function renderClusterPolicies(rules: readonly RuntimeRule[], options: RenderOptions): Manifest[] {
    return rules.map((rule) => renderClusterPolicy(rule, options));
}

function withFailureAction(
    ruleId: string,
    kyvernoRule: Record<string, unknown>,
    index: number,
    action: ValidationFailureAction,
): Record<string, unknown> {
    const validate = kyvernoRule.validate;
    if (typeof validate !== "object" || validate === null || Array.isArray(validate)) {
        throw new Error(`rule "${ruleId}" Kyverno rule #${index} (${JSON.stringify(kyvernoRule.name)}) has no validate block; only validate rules are rendered.`);
    }
    return { ...kyvernoRule, validate: { ...(validate as Record<string, unknown>), failureAction: action } };
}

/** `Pod` for rules about pods (Kyverno's convention); otherwise the kinds the rule looks at. */
function subjectOf(rule: RuntimeRule): string {
    return rule.kinds.includes("Pod") ? "Pod" : rule.kinds.join(", ");
}

/** Kinds of a Kyverno rule's `match` (`any`/`all` lists and the legacy `resources` form). */
function matchedKinds(kyvernoRule: Record<string, unknown>): string[] {
    const match = kyvernoRule.match as { any?: unknown; all?: unknown; resources?: { kinds?: unknown } } | undefined;
    const kinds: string[] = [];
    const add = (resources: unknown) => {
        const list = (resources as { kinds?: unknown } | undefined)?.kinds;
        if (Array.isArray(list)) {
            kinds.push(...list.filter((kind): kind is string => typeof kind === "string"));
        }
    };
    for (const filters of [match?.any, match?.all]) {
        if (Array.isArray(filters)) {
            for (const filter of filters) {
                add((filter as { resources?: unknown } | undefined)?.resources);
            }
        }
    }
    add(match?.resources);
    return kinds;
}

/** True when the policy matches Pods and also other kinds, where auto-gen would double-check. */
function disablesAutogen(rules: Record<string, unknown>[]): boolean {
    const kinds = rules.flatMap(matchedKinds);
    return kinds.includes("Pod") && kinds.some((kind) => kind !== "Pod");
}
