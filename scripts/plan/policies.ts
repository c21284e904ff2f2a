// The plan's policy step: the policy pack's own evaluator (policy-pack/evaluate.ts, which the
// CrossGuard policies wrap) over a recorded run, with the `--policy-pack-config` file of the
// stack's environment. Exempted findings are kept, with their reason, instead of vanishing as
// they do in the engine. This module reads the config file, hands the evaluator what the
// analyzer would see, and renders the verdict; it decides nothing about a rule.
import * as fs from "fs";
import type { Finding, PackConfig } from "../../policy-pack/evaluate";
import { PolicyConfigError, blocking as packBlocking, evaluate, resolvePackConfig } from "../../policy-pack/evaluate";
import { frameworkLine } from "../../policy-pack/catalog/core/frameworks";
import type { Rule } from "../../policy-pack/catalog/core/types";
import { suggest } from "../../stacks/loader";
import { policyInputs } from "../recorder";
import type { Plan } from "./model";
import type { FindingOrigin } from "./provenance";

export { PolicyConfigError };

/** One finding of the pack's evaluator, as the plan reports it. */
export interface PolicyFinding extends Finding {
    /**
     * Set for an object rendered from a chart (`plan --render`): the installing resource, and
     * whether it is an object of a Helm release (which CrossGuard never sees) rather than a
     * resource helm.v4.Chart registers.
     */
    renderedBy?: { chart: string; releaseObject: boolean };
    /** The rule's remediation. */
    remediation?: string;
    /** The rule's framework reference, e.g. `BSI IT-Grundschutz 2023: SYS.1.6.A17; Pod Security Standards (baseline)`. */
    framework?: string;
    /** For a finding on a tenant's resource: the config entry and settings it comes from (provenance.ts). */
    origin?: FindingOrigin;
}

/** A `--policy-pack-config` document after validation. */
export interface EffectivePolicyConfig extends PackConfig {
    file: string;
}

/** Reads and checks a `--policy-pack-config` file against the rules' names and settings. */
export function readPolicyConfig(file: string, rules?: readonly Rule[]): EffectivePolicyConfig {
    if (!fs.existsSync(file)) throw new PolicyConfigError(file, [`${file} does not exist; pass --policy-config <file>`]);
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new PolicyConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
    }
    return resolvePolicyConfig(raw, rules, file);
}

/** A parsed `--policy-pack-config` document, checked and resolved by the pack (did-you-mean hints from the loader). */
export function resolvePolicyConfig(raw: unknown, rules?: readonly Rule[], file = "(policy config)"): EffectivePolicyConfig {
    return { file, ...resolvePackConfig(raw, { rules, source: file, suggest }) };
}

export interface EvaluateOptions {
    /** Stack name the engine would pass to the pack process (PULUMI_NODEJS_STACK): the environment of policies whose config names none. */
    stack: string;
    /**
     * URNs of records resource policies judge but stack policies do not see: objects inside a
     * Helm release, which are no resources of the stack (`plan --render`).
     */
    outsideStack?: ReadonlySet<string>;
}

/**
 * Every finding of every enabled policy (of `rules`, default all) over the plan, exempted ones
 * included (marked). The engine analyzes the resources a program manages; reads
 * (StackReferences) only appear in stack validation.
 */
export async function evaluatePolicies(plan: Plan, rules: readonly Rule[] | undefined, config: EffectivePolicyConfig, options: EvaluateOptions): Promise<PolicyFinding[]> {
    const policies = rules ? new Map([...config.policies].filter(([, p]) => rules.includes(p.rule))) : config.policies;
    const resources = plan.resources.map((r) => ({
        type: r.type, name: r.name, urn: r.urn, props: policyInputs(r.inputs) as Record<string, unknown>,
        resourcePolicies: !r.read, stackPolicies: !options.outsideStack?.has(r.urn),
    }));
    // Each finding carries what to change and what it is audited against, from its rule.
    return evaluate(resources, { policies }, { environment: options.stack.split("/").pop() }).map((f): PolicyFinding => {
        const rule = policies.get(f.policy)!.rule;
        const framework = frameworkLine(rule.framework);
        return { ...f, ...(rule.remediation ? { remediation: rule.remediation } : {}), ...(framework ? { framework } : {}) };
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

/** Findings that fail the plan: the pack's one definition (mandatory, which includes every check that threw; not exempted). */
export const blocking = packBlocking;

export function summarize(findings: PolicyFinding[], config: EffectivePolicyConfig): PolicySummary {
    return {
        mandatory: blocking(findings).length,
        advisory: findings.filter((f) => f.exempted === undefined && f.enforcementLevel === "advisory").length,
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
