// The shape every compliance rule shares. This file is the contract between the rule
// catalog, the CrossGuard wrappers in ../index.ts and the Kyverno rendering used by the
// platform program (components/ imports only pure modules of this folder).

/** How bad a violation is; the same words as @pulumi/policy's `Severity`. */
export type Severity = "low" | "medium" | "high" | "critical";

/** Pulumi's enforcement levels that this pack uses. */
export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

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

/** One finding of a rule: the offending field and what is wrong with it. */
export interface Violation {
    /** Dotted path of the offending field, e.g. `spec.template.spec.initContainers[1].securityContext.allowPrivilegeEscalation`. */
    path: string;
    /** One sentence: what is wrong, quoting the value. */
    message: string;
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

/** Settings a rule reads; they come from the policy-pack config, never hard-coded. */
export interface RuleSettings {
    /** Registries images may come from (restrict-image-registries), e.g. `["ghcr.io/acme/"]`. */
    allowedRegistries?: string[];
    /** cert-manager issuers certificates may reference (cert-manager-restrict-issuer). */
    allowedIssuers?: { kind: string; name: string; group?: string }[];
    /** DNS suffixes certificates may be issued for, e.g. `[".example.com"]`. */
    allowedDomains?: string[];
    /** Longest certificate duration allowed, in hours (cert-manager-limit-duration). */
    maxCertificateDurationHours?: number;
    /** Most dnsNames one certificate may carry (cert-manager-limit-dnsnames). */
    maxDnsNames?: number;
    /** Anything else a rule documents. */
    [key: string]: unknown;
}

/** What a check gets besides the manifest. */
export interface RuleContext {
    settings: RuleSettings;
    /** The environment the stack deploys to (`dev`, `prod`). */
    environment?: string;
}

/**
 * One rule of the catalog. `check` is what CrossGuard runs before deploy; `kyverno` (only for
 * runtime rules) is the `spec.rules` of the Kyverno ClusterPolicy of the same name.
 */
export interface Rule {
    /** kebab-case id; for runtime rules also the ClusterPolicy name (same meaning as upstream Kyverno). */
    id: string;
    title: string;
    /** One sentence. */
    description: string;
    severity: Severity;
    /** Kyverno's `policies.kyverno.io/category` words, e.g. "Pod Security Standards (Baseline)". */
    category: string;
    framework: FrameworkReference;
    /** What to change to comply. */
    remediation: string;
    /** Kinds the rule looks at (`Pod`, `Deployment`, …, or `*`). */
    kinds: string[];
    /** Returns every violation in the manifest; an empty list means compliant. */
    check(manifest: Manifest, context: RuleContext): Violation[];
    /** Runtime rules only: the Kyverno `spec.rules` (validate blocks) of the ClusterPolicy. */
    kyverno?: (context: RuleContext) => Record<string, unknown>[];
}
