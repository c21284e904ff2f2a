import type { Manifest, RuntimeRule, Violation } from "../core/types";
import { asString, dig, key, show } from "../core/values";

/**
 * Annotation in which the platform program records the project an Application was created in.
 * The program sets it to `spec.project` and lists it in the resource's `ignoreChanges`, so Pulumi
 * keeps the value from the first deployment: the engine applies `ignoreChanges` (restores the old
 * input) before it sends the inputs to the analyzer. A later change of `spec.project` in the
 * program therefore reaches CrossGuard as `spec.project` != this annotation.
 */
export const PROJECT_AT_CREATION_ANNOTATION = "gitops-hub.io/project-at-creation";

/** The `ignoreChanges` entry the program puts on every Application it creates. */
export const PROJECT_AT_CREATION_IGNORE_CHANGES = `metadata.annotations["${PROJECT_AT_CREATION_ANNOTATION}"]`;

/**
 * Upstream: kyverno/policies argo/application-prevent-updates-project — on UPDATE, deny when
 * `request.object.spec.project` differs from `request.oldObject.spec.project`.
 *
 * Pre-deploy, CrossGuard's `validateResource` only sees the new inputs, never the old state, so
 * the twin compares `spec.project` with the annotation recorded at creation (see
 * PROJECT_AT_CREATION_ANNOTATION). An Application without the annotation is a finding too: without
 * it a project change cannot be detected, and this pack fails closed.
 */
export const applicationPreventUpdatesProject: RuntimeRule = {
    id: "application-prevent-updates-project",
    scope: "runtime",
    title: "Prevent Updates to Project",
    description: "The project of an Argo CD Application cannot be changed once the Application is created.",
    severity: "medium",
    category: "Argo",
    framework: { bsi: ["APP.4.4.A1", "APP.4.4.A3"] },
    remediation:
        `Keep spec.project as it was at creation; to move an application to another project, create a new Application (new name) and delete the old one. Pulumi-managed Applications carry the annotation ${PROJECT_AT_CREATION_ANNOTATION} with ignoreChanges ${PROJECT_AT_CREATION_IGNORE_CHANGES}.`,
    kinds: ["Application"],
    check(manifest: Manifest): Violation[] {
        const path = `metadata.annotations${key(PROJECT_AT_CREATION_ANNOTATION)}`;
        const project = asString(dig(manifest, "spec", "project"));
        const recorded = dig(manifest, "metadata", "annotations", PROJECT_AT_CREATION_ANNOTATION);
        if (asString(recorded) === undefined || recorded === "") {
            return [{
                path,
                message: `annotation ${PROJECT_AT_CREATION_ANNOTATION} is ${show(recorded)}; it must record the project the Application was created in, so that a change of spec.project can be detected before deploy.`,
            }];
        }
        if (project !== recorded) {
            return [{
                path: "spec.project",
                message: `spec.project is ${show(project)} but the Application was created in project ${show(recorded)}; the spec.project cannot be changed once the Application is created.`,
            }];
        }
        return [];
    },
    kyverno: () => [
        {
            name: "project-updates",
            match: { any: [{ resources: { kinds: ["argoproj.io/v1alpha1/Application"] } }] },
            preconditions: { all: [{ key: "{{ request.operation || 'BACKGROUND' }}", operator: "Equals", value: "UPDATE" }] },
            validate: {
                message: "The spec.project cannot be changed once the Application is created.",
                deny: {
                    conditions: {
                        any: [{ key: "{{ request.object.spec.project }}", operator: "NotEquals", value: "{{ request.oldObject.spec.project }}" }],
                    },
                },
            },
        },
    ],
};
