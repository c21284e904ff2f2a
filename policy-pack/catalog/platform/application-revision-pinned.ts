import { MOVING_REVISION_ANNOTATION } from "../core/conventions";
import type { PlatformRule, PulumiResource, Violation } from "../core/types";
import { EXACT_SEMVER, asArray, dig, isRecord, show } from "../core/values";

/** A full git commit id (SHA-1, or SHA-256 in repositories that use it). */
const COMMIT_SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Whether a targetRevision names one fixed thing. Offline nothing tells a tag from a branch of the
 * same name, so only what cannot move counts: a full commit id, or an exact SemVer version (a
 * release tag such as `v1.4.2`, or a chart version). Empty means HEAD to Argo CD.
 */
export function isPinnedRevision(revision: unknown): boolean {
    return typeof revision === "string" && (COMMIT_SHA.test(revision) || EXACT_SEMVER.test(revision));
}

function checkSource(source: unknown, path: string): Violation[] {
    if (!isRecord(source)) return [];
    const revision = source.targetRevision;
    if (isPinnedRevision(revision)) return [];
    const what = revision === undefined || revision === "" ? "unset, which Argo CD reads as HEAD" : `${show(revision)}, which can move`;
    return [{
        path: `${path}.targetRevision`,
        message: `${path}.targetRevision is ${what}; deploy a release tag (e.g. "v1.4.2"), an exact chart version or a full commit SHA, so what runs is what was reviewed.`,
    }];
}

/** What an Application deploys is fixed: a moving branch changes production without a change of the platform. */
export const applicationRevisionPinned: PlatformRule = {
    id: "application-revision-pinned",
    scope: "platform",
    title: "Applications deploy a pinned revision",
    description: "An Argo CD Application deploys a fixed revision (a full commit SHA, a SemVer release tag or an exact chart version), not a branch such as main or HEAD, unless its config entry opts in.",
    severity: "medium",
    category: "Supply Chain",
    framework: { bsi: ["APP.4.4.A2", "APP.4.4.A10"] },
    remediation:
        "Set the application's targetRevision to a release tag (e.g. \"v1.4.2\"), an exact chart version or a full commit SHA. A tenant application that must follow a branch opts in with `allowMovingRevision: true` on its entry in gitops-hub:tenants (annotation gitops-hub.io/allow-moving-revision).",
    resourceTypes: ["kubernetes:argoproj.io/v1alpha1:Application"],
    check(resource: PulumiResource): Violation[] {
        if (dig(resource.props, "metadata", "annotations", MOVING_REVISION_ANNOTATION) === "true") {
            return [];
        }
        const spec = dig(resource.props, "spec");
        const sources = asArray(dig(spec, "sources"));
        if (sources !== undefined) {
            return sources.flatMap((source, i) => checkSource(source, `spec.sources[${i}]`));
        }
        return checkSource(dig(spec, "source"), "spec.source");
    },
};
