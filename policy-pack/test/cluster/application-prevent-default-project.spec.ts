import { expect } from "chai";
import { applicationPreventDefaultProject as rule } from "../../catalog/cluster/application-prevent-default-project";
import type { Manifest } from "../../catalog/types";

const context = { settings: {} };

function application(project?: unknown): Manifest {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name: "team-a-shop", namespace: "argocd" },
        spec: { ...(project === undefined ? {} : { project }), source: { repoURL: "https://github.com/acme/team-a-apps.git", path: "shop" } },
    };
}

describe("application-prevent-default-project", () => {
    it("passes an Application in a tenant project", () => {
        expect(rule.check(application("team-a"), context)).to.deep.equal([]);
    });

    it("fails when spec.project is default", () => {
        expect(rule.check(application("default"), context)).to.deep.equal([
            { path: "spec.project", message: 'spec.project is "default"; the default project may not be used in an Application.' },
        ]);
    });

    it("fails when spec.project is missing", () => {
        expect(rule.check(application(), context)).to.deep.equal([
            { path: "spec.project", message: "spec.project is undefined; an Application must name its AppProject." },
        ]);
    });

    it("fails when spec.project is empty", () => {
        expect(rule.check(application(""), context)).to.deep.equal([
            { path: "spec.project", message: 'spec.project is ""; an Application must name its AppProject.' },
        ]);
    });

    it("renders upstream's pattern, skipped on DELETE", () => {
        expect(rule.kyverno!(context)).to.deep.equal([
            {
                name: "default-project",
                match: { any: [{ resources: { kinds: ["argoproj.io/v1alpha1/Application"] } }] },
                preconditions: { all: [{ key: "{{ request.operation || 'BACKGROUND' }}", operator: "NotEquals", value: "DELETE" }] },
                validate: { message: "The default project may not be used in an Application.", pattern: { spec: { project: "!default" } } },
            },
        ]);
    });
});
