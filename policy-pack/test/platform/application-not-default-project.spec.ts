import { expect } from "chai";
import { applicationNotDefaultProject as rule } from "../../catalog/platform/application-not-default-project";
import type { PulumiResource } from "../../catalog/platform/types";

const context = { settings: {} };

function application(project?: unknown): PulumiResource {
    return {
        type: "kubernetes:argoproj.io/v1alpha1:Application",
        name: "tenant-team-a-app-shop",
        props: { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "team-a-shop", namespace: "argocd" }, spec: project === undefined ? {} : { project } },
    };
}

describe("application-not-default-project", () => {
    it("passes an Application in a tenant project", () => {
        expect(rule.check(application("team-a"), context)).to.deep.equal([]);
    });

    for (const [label, value, shown] of [
        ["default", "default", '"default"'],
        ["empty", "", '""'],
        ["blank", "  ", '"  "'],
        ["missing", undefined, "undefined"],
        ["not a string", 7, "7"],
    ] as const) {
        it(`fails when spec.project is ${label}`, () => {
            expect(rule.check(application(value), context)).to.deep.equal([
                { path: "spec.project", message: `spec.project is ${shown}; an Application must name a project other than "default".` },
            ]);
        });
    }
});
