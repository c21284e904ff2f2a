import { expect } from "chai";
import {
    PROJECT_AT_CREATION_ANNOTATION,
    PROJECT_AT_CREATION_IGNORE_CHANGES,
    applicationPreventUpdatesProject as rule,
} from "../../catalog/cluster/application-prevent-updates-project";
import type { Manifest } from "../../catalog/types";

const context = { settings: {} };

function application(project: string, recorded?: unknown): Manifest {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: {
            name: "team-a-shop",
            namespace: "argocd",
            annotations: recorded === undefined ? {} : { [PROJECT_AT_CREATION_ANNOTATION]: recorded as string },
        },
        spec: { project },
    };
}

describe("application-prevent-updates-project", () => {
    it("passes when spec.project equals the project recorded at creation", () => {
        expect(rule.check(application("team-a", "team-a"), context)).to.deep.equal([]);
    });

    it("fails when spec.project changed since creation", () => {
        expect(rule.check(application("team-b", "team-a"), context)).to.deep.equal([
            {
                path: "spec.project",
                message: 'spec.project is "team-b" but the Application was created in project "team-a"; the spec.project cannot be changed once the Application is created.',
            },
        ]);
    });

    it("fails when the creation annotation is missing (a change could not be detected)", () => {
        expect(rule.check(application("team-a"), context)).to.deep.equal([
            {
                path: 'metadata.annotations["gitops-hub.io/project-at-creation"]',
                message:
                    "annotation gitops-hub.io/project-at-creation is undefined; it must record the project the Application was created in, so that a change of spec.project can be detected before deploy.",
            },
        ]);
    });

    it("names the ignoreChanges path the program must set", () => {
        expect(PROJECT_AT_CREATION_IGNORE_CHANGES).to.equal('metadata.annotations["gitops-hub.io/project-at-creation"]');
    });

    it("renders a deny on UPDATE comparing object and oldObject", () => {
        expect(rule.kyverno!(context)).to.deep.equal([
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
        ]);
    });
});
