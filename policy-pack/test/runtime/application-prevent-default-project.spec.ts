import { expect } from "chai";
import { applicationPreventDefaultProject as rule } from "../../catalog/runtime/application-prevent-default-project";
import { itChecksCases } from "../cases";
import { cases } from "./application-prevent-default-project.cases";

const context = cases.context;

describe("application-prevent-default-project", () => {
    itChecksCases(cases);

    it("renders upstream's check, also denying an empty or missing project (Argo CD's default), skipped on DELETE", () => {
        expect(rule.kyverno!(context)).to.deep.equal([
            {
                name: "default-project",
                match: { any: [{ resources: { kinds: ["argoproj.io/v1alpha1/Application"] } }] },
                preconditions: { all: [{ key: "{{ request.operation || 'BACKGROUND' }}", operator: "NotEquals", value: "DELETE" }] },
                validate: {
                    message: "The default project may not be used in an Application.",
                    deny: { conditions: { any: [{ key: "{{ request.object.spec.project || '' }}", operator: "AnyIn", value: ["", "default"] }] } },
                },
            },
        ]);
    });
});
