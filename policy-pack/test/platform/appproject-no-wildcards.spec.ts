import { expect } from "chai";
import { appprojectNoWildcards as rule } from "../../catalog/platform/appproject-no-wildcards";
import type { PulumiResource } from "../../catalog/core/types";

const context = { settings: {} };

function project(name: string, spec: Record<string, unknown> = {}): PulumiResource {
    return {
        type: "kubernetes:argoproj.io/v1alpha1:AppProject",
        name: `tenant-${name}-project`,
        props: {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "AppProject",
            metadata: { name, namespace: "argocd" },
            spec: {
                sourceRepos: ["https://github.com/acme/team-a-apps.git"],
                destinations: [{ name: "vcluster-team-a", namespace: "shop" }],
                sourceNamespaces: ["argocd"],
                clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
                ...spec,
            },
        },
    };
}

describe("appproject-no-wildcards", () => {
    it("passes a tenant project with explicit grants", () => {
        expect(rule.check(project("team-a"), context)).to.deep.equal([]);
    });

    it("passes the platform project with wildcards", () => {
        expect(rule.check(project("platform", { sourceRepos: ["*"], destinations: [{ server: "*", namespace: "*" }] }), context)).to.deep.equal([]);
    });

    it("fails for a wildcard source repo, also inside a glob", () => {
        expect(rule.check(project("team-a", { sourceRepos: ["https://github.com/acme/team-a-apps.git", "https://github.com/acme/*"] }), context)).to.deep.equal([
            { path: "spec.sourceRepos[1]", message: 'spec.sourceRepos[1] is "https://github.com/acme/*"; wildcards are only allowed in the platform project.' },
        ]);
    });

    it("fails for wildcard destination server, name and namespace", () => {
        expect(rule.check(project("team-a", { destinations: [{ server: "*", name: "vcluster-*", namespace: "*" }] }), context)).to.deep.equal([
            { path: "spec.destinations[0].server", message: 'spec.destinations[0].server is "*"; wildcards are only allowed in the platform project.' },
            { path: "spec.destinations[0].name", message: 'spec.destinations[0].name is "vcluster-*"; wildcards are only allowed in the platform project.' },
            { path: "spec.destinations[0].namespace", message: 'spec.destinations[0].namespace is "*"; wildcards are only allowed in the platform project.' },
        ]);
    });

    it("fails for a wildcard source namespace", () => {
        expect(rule.check(project("team-a", { sourceNamespaces: ["*"] }), context)).to.deep.equal([
            { path: "spec.sourceNamespaces[0]", message: 'spec.sourceNamespaces[0] is "*"; wildcards are only allowed in the platform project.' },
        ]);
    });

    it("fails for a wildcard cluster resource", () => {
        expect(rule.check(project("team-a", { clusterResourceWhitelist: [{ group: "*", kind: "*" }] }), context)).to.deep.equal([
            { path: "spec.clusterResourceWhitelist[0].group", message: 'spec.clusterResourceWhitelist[0].group is "*"; wildcards are only allowed in the platform project.' },
            { path: "spec.clusterResourceWhitelist[0].kind", message: 'spec.clusterResourceWhitelist[0].kind is "*"; wildcards are only allowed in the platform project.' },
        ]);
    });
});
