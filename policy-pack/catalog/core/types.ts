// The shape every compliance rule shares: the contract between the rule catalog, the evaluator
// (../../evaluate.ts, which CrossGuard, the plan and the bench call) and the Kyverno rendering
// used by the platform program (components/ imports only pure modules of this folder).
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** How bad a violation is; the same words as @pulumi/policy's `Severity`. */
export type Severity = "low" | "medium" | "high" | "critical";


/** A Kubernetes object as plain data (what a Pulumi resource's inputs look like). */
export interface Manifest {
    apiVersion?: string;
    kind?: string;
    metadata?: {
        name?: string;
        namespace?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
        [key: string]: unknown;
    };
    [key: string]: unknown;
}

/** One Pulumi resource as CrossGuard sees it: its type token, logical name and input properties. */
export interface PulumiResource {
    /** Pulumi type token, e.g. `kubernetes:helm.sh/v4:Chart`, `vault:index/policy:Policy`. */
    type: string;
    /** Logical name (the last segment of the URN). */
    name: string;
    /** URN, where known (stack validation); used to attach a finding to its resource. */
    urn?: string;
    /** The resource's input properties as plain data. */
    props: Record<string, unknown>;
}

/** One finding of a rule: the offending field and what is wrong with it. */
export interface Violation {
    /** Dotted path of the offending field, e.g. `spec.template.spec.initContainers[1].securityContext.allowPrivilegeEscalation`. */
    path: string;
    /** One sentence: what is wrong, quoting the value. */
    message: string;
}

/** A finding of a stack rule: which resource it is about, and what is wrong. */
export interface StackViolation extends Violation {
    /** Logical name of the resource the finding is about. */
    resource: string;
    /** URN of that resource, where known. */
    urn?: string;
}

/** Where a rule comes from in the frameworks we are audited against. */
export interface FrameworkReference {
    /** BSI IT-Grundschutz requirements, e.g. `["SYS.1.6.A17", "APP.4.4.A9"]`. */
    bsi: string[];
    /** Pod Security Standard level the rule belongs to, where it is one of the PSS controls. */
    pss?: "baseline" | "restricted";
    /** The Kubernetes release whose Pod Security Standards the rule's semantics follow, e.g. `"1.37"`; set exactly when `pss` is. */
    pssKubernetesVersion?: string;
}

/** The JSON Schema of one setting: what the policy-pack config is validated against. */
export type SettingSchema = PolicyConfigJSONSchema;

/** Settings a rule reads, by name: each rule declares them (`settings`) and reads them defensively. */
export type RuleSettings = Record<string, unknown>;

/** What a check gets besides what it checks. */
export interface RuleContext {
    /** The rule's settings from the policy-pack config (only those its `settings` declare are accepted there). */
    settings: RuleSettings;
    /** The environment the stack deploys to (`dev`, `prod`). */
    environment?: string;
}

/**
 * Where a rule is enforced: `runtime` rules check one Kubernetes manifest before deploy and are
 * rendered as the Kyverno ClusterPolicy of the same name; `platform` rules check one Pulumi
 * resource before deploy; `stack` rules check all resources of a stack at once.
 */
export type RuleScope = "runtime" | "platform" | "stack";

/** Metadata every rule carries, whatever it looks at. */
export interface RuleMetadata {
    /** kebab-case id; the CrossGuard policy name, and for runtime rules the ClusterPolicy name (same meaning as upstream Kyverno). */
    id: string;
    scope: RuleScope;
    title: string;
    /** One sentence. */
    description: string;
    severity: Severity;
    /** Kyverno's `policies.kyverno.io/category` words, e.g. "Pod Security Standards (Baseline)", "Argo", "Vault". */
    category: string;
    framework: FrameworkReference;
    /** What to change to comply. */
    remediation: string;
    /** The settings the rule reads from the policy-pack config, with their schema (`environment` is the stack's environment). @default - none */
    settings?: Record<string, SettingSchema>;
}

/** A rule over one Kubernetes manifest, checked before deploy and rendered for Kyverno. */
export interface RuntimeRule extends RuleMetadata {
    scope: "runtime";
    /** Kinds the rule looks at (`Pod`, `Deployment`, …, or `*`). */
    kinds: string[];
    /** Returns every violation in the manifest; an empty list means compliant. */
    check(manifest: Manifest, context: RuleContext): Violation[];
    /** The Kyverno `spec.rules` (validate blocks) of the ClusterPolicy named after the rule. */
    kyverno(context: RuleContext): Record<string, unknown>[];
}

/** A pre-deploy rule over one Pulumi resource (charts, Argo CD and Vault objects). */
export interface PlatformRule extends RuleMetadata {
    scope: "platform";
    /** Pulumi type tokens the rule looks at. */
    resourceTypes: string[];
    /** Returns every violation of the resource; an empty list means compliant. */
    check(resource: PulumiResource, context: RuleContext): Violation[];
}

/** A pre-deploy rule over all resources of a stack at once (cross-resource invariants). */
export interface StackRule extends RuleMetadata {
    scope: "stack";
    check(resources: PulumiResource[], context: RuleContext): StackViolation[];
}

/** A rule of any scope. */
export type Rule = RuntimeRule | PlatformRule | StackRule;
