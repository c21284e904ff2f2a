// Rules that look at Pulumi resources rather than at Kubernetes manifests: Helm charts, Vault
// objects, and the stack as a whole. They share the metadata of `Rule` (../types.ts) but take a
// Pulumi resource (type token, logical name, input properties) instead of a manifest.

import type { FrameworkReference, RuleContext, Severity, Violation } from "../types";

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

/** Metadata every rule carries, whatever it looks at. */
export interface RuleMetadata {
    /** kebab-case id; also the CrossGuard policy name. */
    id: string;
    title: string;
    /** One sentence. */
    description: string;
    severity: Severity;
    /** Kyverno-style category words, e.g. "Argo", "Vault", "Supply Chain". */
    category: string;
    framework: FrameworkReference;
    /** What to change to comply. */
    remediation: string;
}

/** A pre-deploy rule over one Pulumi resource. */
export interface PlatformRule extends RuleMetadata {
    /** Pulumi type tokens the rule looks at. */
    resourceTypes: string[];
    /** Returns every violation of the resource; an empty list means compliant. */
    check(resource: PulumiResource, context: RuleContext): Violation[];
}

/** A finding of a stack rule: which resource it is about, and what is wrong. */
export interface StackViolation extends Violation {
    /** Logical name of the resource the finding is about. */
    resource: string;
    /** URN of that resource, where known. */
    urn?: string;
}

/** A pre-deploy rule over all resources of a stack at once (cross-resource invariants). */
export interface StackRule extends RuleMetadata {
    check(resources: PulumiResource[], context: RuleContext): StackViolation[];
}
