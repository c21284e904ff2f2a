import { PROJECT_AT_CREATION_ANNOTATION, applicationPreventUpdatesProject } from "../../catalog/runtime/application-prevent-updates-project";
import type { Manifest } from "../../catalog/core/types";
import { ruleCases } from "../cases";
import type { AdmissionRequest } from "../cases";

function application(project: string, recorded?: string): Manifest {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: {
            name: "team-a-shop",
            namespace: "argocd",
            annotations: recorded === undefined ? {} : { [PROJECT_AT_CREATION_ANNOTATION]: recorded },
        },
        spec: {
            project,
            source: { repoURL: "https://github.com/acme/team-a-apps.git", path: "shop" },
            destination: { name: "team-a", namespace: "shop" },
        },
    };
}

/**
 * At runtime the rule judges an UPDATE against the stored object; before deploy the annotation
 * recorded at creation stands for it. Each case's admission request is the update the manifest
 * describes: from an Application created in `createdIn` (with the same annotation, which Pulumi
 * never changes: ignoreChanges) to the manifest.
 */
function updateFrom(createdIn: string, manifest: Manifest): AdmissionRequest {
    const oldObject = structuredClone(manifest);
    (oldObject.spec as { project: string }).project = createdIn;
    return { operation: "UPDATE", oldObject };
}

const unchanged = application("team-a", "team-a");
const moved = application("team-b", "team-a");
const unrecorded = application("team-a");

export const cases = ruleCases(applicationPreventUpdatesProject, { settings: {} }, (c) => {
    c.add("passes when spec.project equals the project recorded at creation", unchanged, [], updateFrom("team-a", unchanged));
    c.add("fails when spec.project changed since creation", moved, [
        {
            path: "spec.project",
            message: 'spec.project is "team-b" but the Application was created in project "team-a"; the spec.project cannot be changed once the Application is created.',
        },
    ], updateFrom("team-a", moved));
    // Without the record CrossGuard cannot tell an unchanged project from a moved one and fails
    // closed; the update it must assume is the one that moves the Application, which Kyverno,
    // seeing the stored object, denies.
    c.add("fails when the creation annotation is missing (a change could not be detected)", unrecorded, [
        {
            path: 'metadata.annotations["gitops-hub.io/project-at-creation"]',
            message:
                "annotation gitops-hub.io/project-at-creation is undefined; it must record the project the Application was created in, so that a change of spec.project can be detected before deploy.",
        },
    ], updateFrom("team-b", unrecorded));
});
