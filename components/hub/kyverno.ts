// Kyverno on the hub: the admission controller, the runtime half of the compliance catalog as
// ClusterPolicies, and (optionally) Policy Reporter with its UI. The same ClusterPolicies reach
// every vCluster through Argo CD (argocd.ts, ApplicationSet `kyverno-policies`).
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { runtimeRules } from "../../policy-pack/catalog";
import { PLATFORM_LABEL } from "../../policy-pack/catalog/core/conventions";
import { renderClusterPolicies } from "../../policy-pack/catalog/kyverno";
import type { Manifest, RuleContext } from "../../policy-pack/catalog/core/types";
import type { Environment } from "../../stacks/schema";
import { CHARTS } from "../versions";
import { RESTRICTED_CONTAINER, RESTRICTED_POD, chartArgs, inheritedDependsOn, platformNamespace, resources } from "./shared";

export interface KyvernoArgs {
    readonly environment: Environment;
    /** Admission controller replicas: 1, or 3 and more for HA (the loader refuses 2, and less than 3 in prod). */
    readonly admissionReplicas: number;
    /** `Audit` reports violations; `Enforce` rejects them at admission. */
    readonly validationFailureAction: "Audit" | "Enforce";
    /** Install Policy Reporter and its UI. */
    readonly policyReporter: boolean;
    /** Registries workload images may come from (restrict-image-registries). */
    readonly allowedRegistries: string[];
    /** DNS zone of the platform: certificates for it must come from `clusterIssuerName` (cert-manager-restrict-issuer). */
    readonly domain: string;
    /** The ClusterIssuer that signs certificates for `domain`. */
    readonly clusterIssuerName: string;
}

export const KYVERNO_NAMESPACE = "kyverno";
/** Helm release of the chart on the hub. */
const RELEASE = "kyverno";
/** The service accounts of the chart's admission and background controllers (`<release>-<controller>`): the two that load a generate rule's context. */
export const KYVERNO_CONTROLLER_ACCOUNTS = [`${RELEASE}-admission-controller`, `${RELEASE}-background-controller`] as const;
export const POLICY_REPORTER_NAMESPACE = "policy-reporter";

/** The settings the runtime rules are rendered with (the Kyverno half's counterpart of the policy-pack config). */
export function clusterPolicyContext(args: Pick<KyvernoArgs, "environment" | "allowedRegistries" | "domain" | "clusterIssuerName">): RuleContext {
    return {
        environment: args.environment,
        settings: {
            allowedRegistries: args.allowedRegistries,
            allowedIssuers: [{ kind: "ClusterIssuer", name: args.clusterIssuerName, group: "cert-manager.io" }],
            allowedDomains: [args.domain],
        },
    };
}

/** The catalog's runtime rules as ClusterPolicies, rendered with the stack's settings; the hub and the spokes (via git) apply the same. */
function clusterPoliciesFor(args: KyvernoArgs): Manifest[] {
    return renderClusterPolicies(runtimeRules, { validationFailureAction: args.validationFailureAction, context: clusterPolicyContext(args) });
}

/** Replicas of the background, cleanup and reports controllers: one in dev, two (leader election) in prod. */
export function controllerReplicas(environment: Environment): number {
    return environment === "prod" ? 2 : 1;
}

/** Helm values of the kyverno chart, shared by the hub and the spoke ApplicationSet. */
export function kyvernoValues(environment: Environment, admissionReplicas: number): Record<string, unknown> {
    const replicas = controllerReplicas(environment);
    const controller = (cpuLimit: string, memoryLimit: string) => ({
        replicas,
        securityContext: RESTRICTED_CONTAINER,
        podSecurityContext: RESTRICTED_POD,
        resources: resources("100m", "128Mi", cpuLimit, memoryLimit),
    });
    // Keys checked against the kyverno chart 3.x values (admissionController.container.*, <controller>.replicas).
    return {
        admissionController: {
            replicas: admissionReplicas,
            podSecurityContext: RESTRICTED_POD,
            container: { securityContext: RESTRICTED_CONTAINER, resources: resources("100m", "256Mi", "1", "768Mi") },
            initContainer: { securityContext: RESTRICTED_CONTAINER, resources: resources("10m", "64Mi", "100m", "256Mi") },
        },
        backgroundController: controller("500m", "256Mi"),
        cleanupController: controller("500m", "256Mi"),
        reportsController: controller("500m", "256Mi"),
    };
}

/** The CRDs whose stored objects the chart's post-upgrade hook migrates (kyverno chart 3.5.2's `crds.migration.resources`). */
export const KYVERNO_MIGRATED_RESOURCES = [
    "cleanuppolicies.kyverno.io",
    "clustercleanuppolicies.kyverno.io",
    "clusterpolicies.kyverno.io",
    "globalcontextentries.kyverno.io",
    "policies.kyverno.io",
    "policyexceptions.kyverno.io",
    "updaterequests.kyverno.io",
] as const;

/**
 * The kyverno chart's Helm hooks, which helm.v4.Chart never runs, are switched off on the hub so
 * that what is rendered is what is deployed, and replaced:
 * - the pre-delete Jobs that delete Kyverno's webhook configurations (and scale it to zero) by
 *   Kyverno's own cleanup: with `autoDeleteWebhooks` the chart puts finalizers on the admission
 *   controller's Deployment, ServiceAccount and RBAC (and the cleanup controller's
 *   ServiceAccount), and the controllers delete their webhook configurations when their
 *   Deployment is being deleted, then release the finalizers. No webhook is left behind to
 *   block the API server after `pulumi destroy`.
 * - the post-upgrade Job that migrates stored objects to the CRDs' new storage version by a
 *   manual step after a chart upgrade (README, "Kyverno upgrades"): `kyverno migrate` with the
 *   Kyverno CLI of the new version, for each of KYVERNO_MIGRATED_RESOURCES.
 */
export const HUB_HOOK_VALUES = {
    crds: { install: true, migration: { enabled: false } },
    webhooksCleanup: { enabled: false, autoDeleteWebhooks: { enabled: true } },
} as const;

/** The kyverno chart's values on the hub: the shared values, the hooks replaced, and admission that leaves platform namespaces alone. */
function hubValues(args: KyvernoArgs): Record<string, unknown> {
    return {
        ...kyvernoValues(args.environment, args.admissionReplicas),
        ...HUB_HOOK_VALUES,
        config: {
            // Platform namespaces are left out of admission on the hub: their objects are
            // checked before deploy by the policy pack (helm.v4 renders every object), and a
            // Kyverno outage or a narrow registry list must never stop the platform from
            // healing itself. Background scans still report on them.
            webhooks: {
                namespaceSelector: {
                    matchExpressions: [
                        { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system"] },
                        { key: PLATFORM_LABEL, operator: "NotIn", values: ["true"] },
                    ],
                },
            },
        },
    };
}

/** The policy-reporter chart's values (keys checked against the chart 3.x values: top-level pod, ui.*). */
function policyReporterValues(): Record<string, unknown> {
    const restricted = { podSecurityContext: RESTRICTED_POD, securityContext: RESTRICTED_CONTAINER, resources: resources("20m", "64Mi", "200m", "256Mi") };
    return { ...restricted, ui: { enabled: true, ...restricted } };
}

export class Kyverno extends pulumi.ComponentResource {
    /** Names of the ClusterPolicies applied on the hub. */
    readonly clusterPolicyNames: string[];
    /**
     * The ClusterPolicies as plain data. index.ts exports them, so `npm run plan -- --out <dir>`
     * writes them to `<dir>/kyverno/` for the spokes' policy directory in the platform repo.
     */
    readonly clusterPolicies: Manifest[];

    constructor(name: string, args: KyvernoArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-hub:hub:Kyverno", name, {}, opts);
        const inherited = inheritedDependsOn(opts);

        // restricted: every Kyverno controller runs non-root, read-only, without capabilities,
        // with RuntimeDefault seccomp (the chart's defaults, restated in kyvernoValues).
        const namespace = platformNamespace(this, name, KYVERNO_NAMESPACE, args.environment, { dependsOn: inherited });
        const chart = new kubernetes.helm.v4.Chart(`${name}-chart`, chartArgs(CHARTS.kyverno, RELEASE, KYVERNO_NAMESPACE, hubValues(args)),
            { parent: this, dependsOn: [...inherited, namespace] });

        this.clusterPolicies = clusterPoliciesFor(args);
        this.clusterPolicyNames = this.clusterPolicies.map((policy) => {
            const id = policy.metadata!.name!;
            new kubernetes.apiextensions.CustomResource(`${name}-policy-${id}`, policy as kubernetes.apiextensions.CustomResourceArgs, { parent: this, dependsOn: [...inherited, chart] });
            return id;
        });

        if (args.policyReporter) {
            // restricted: Policy Reporter and its UI run non-root, read-only, without capabilities.
            const reporterNamespace = platformNamespace(this, `${name}-policy-reporter`, POLICY_REPORTER_NAMESPACE, args.environment, { dependsOn: inherited });
            new kubernetes.helm.v4.Chart(`${name}-policy-reporter`, chartArgs(CHARTS.policyReporter, "policy-reporter", POLICY_REPORTER_NAMESPACE, policyReporterValues()),
                { parent: this, dependsOn: [...inherited, reporterNamespace, chart] });
        }

        this.registerOutputs({ clusterPolicyNames: this.clusterPolicyNames });
    }
}
