import { expect } from "chai";
import { PROJECT_AT_CREATION_IGNORE_CHANGES, applicationPreventUpdatesProject as rule } from "../../catalog/runtime/application-prevent-updates-project";
import { itChecksCases } from "../cases";
import { cases } from "./application-prevent-updates-project.cases";

const context = cases.context;

describe("application-prevent-updates-project", () => {
    itChecksCases(cases);

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
