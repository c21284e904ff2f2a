import type { Manifest, RuntimeRule, Violation } from "../core/types";
import { asString, dig, show } from "../core/values";
import { notDeleting } from "./kyverno-blocks";

/**
 * Upstream: kyverno/policies argo/application-prevent-default-project — an Application must name
 * a project and that project may not be `default` (pattern `spec.project: "!default"`, skipped
 * on DELETE). Argo CD treats an empty spec.project as `default`, so both halves reject it too
 * (the Kyverno run showed upstream's pattern letting `""` through). The one rule for this check
 * in the catalog: a pre-deploy-only twin would report every such Application twice.
 */
export const applicationPreventDefaultProject: RuntimeRule = {
    id: "application-prevent-default-project",
    scope: "runtime",
    title: "Prevent Use of Default Project",
    description: "An Argo CD Application must belong to a project other than the default project.",
    severity: "medium",
    category: "Argo",
    framework: { bsi: ["APP.4.4.A1", "APP.4.4.A3"] },
    remediation:
        "Set spec.project to the tenant's AppProject (or `platform` for platform applications); the `default` project grants whatever it is configured to grant and is locked down on this hub.",
    kinds: ["Application"],
    check(manifest: Manifest): Violation[] {
        const project = dig(manifest, "spec", "project");
        if (asString(project) === undefined || project === "") {
            return [{ path: "spec.project", message: `spec.project is ${show(project)}; an Application must name its AppProject.` }];
        }
        if (project === "default") {
            return [{ path: "spec.project", message: `spec.project is "default"; the default project may not be used in an Application.` }];
        }
        return [];
    },
    kyverno: () => [
        {
            name: "default-project",
            match: { any: [{ resources: { kinds: ["argoproj.io/v1alpha1/Application"] } }] },
            preconditions: notDeleting(),
            validate: {
                message: "The default project may not be used in an Application.",
                // Upstream's pattern is `spec.project: "!default"`; Argo CD also reads an empty
                // spec.project as the default project, so an empty or missing one is denied too.
                deny: { conditions: { any: [{ key: "{{ request.object.spec.project || '' }}", operator: "AnyIn", value: ["", "default"] }] } },
            },
        },
    ],
};
