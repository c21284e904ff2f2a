import { expect } from "chai";
import type { PulumiResource } from "../../catalog/core/types";
import { appprojectUniqueDestinations as rule } from "../../catalog/stack/appproject-unique-destinations";
import { tenant } from "./fixtures";

const context = { settings: {} };

function project(name: string, destinations: unknown[]): PulumiResource {
    return {
        type: "kubernetes:argoproj.io/v1alpha1:AppProject",
        name: `${name}-project`,
        props: { metadata: { name, namespace: "argocd" }, spec: { destinations } },
    };
}

describe("appproject-unique-destinations", () => {
    it("passes projects with distinct destinations, and the platform project's wildcards", () => {
        const platform = project("platform", [{ server: "*", namespace: "*" }]);
        expect(rule.check([...tenant("team-a"), ...tenant("team-b"), platform], context)).to.deep.equal([]);
    });

    it("passes the same cluster with different namespaces", () => {
        expect(rule.check([project("a", [{ name: "hub", namespace: "a" }]), project("b", [{ name: "hub", namespace: "b" }])], context)).to.deep.equal([]);
    });

    it("fails when two projects share a server and namespace", () => {
        const a = project("team-a", [{ server: "https://kubernetes.default.svc", namespace: "shared" }]);
        const b = project("team-b", [{ name: "other", namespace: "x" }, { server: "https://kubernetes.default.svc", namespace: "shared" }]);
        expect(rule.check([a, b], context)).to.deep.equal([
            {
                resource: "team-b-project",
                urn: undefined,
                path: "spec.destinations[1]",
                message: 'destination server "https://kubernetes.default.svc" namespace "shared" of AppProject "team-b" is also a destination of AppProject "team-a".',
            },
        ]);
    });

    it("fails when two projects share a cluster name and namespace", () => {
        const a = project("team-a", [{ name: "vcluster-team-a", namespace: "apps" }]);
        const b = project("team-b", [{ name: "vcluster-team-a", namespace: "apps" }]);
        expect(rule.check([a, b], context)).to.deep.equal([
            {
                resource: "team-b-project",
                urn: undefined,
                path: "spec.destinations[0]",
                message: 'destination name "vcluster-team-a" namespace "apps" of AppProject "team-b" is also a destination of AppProject "team-a".',
            },
        ]);
    });
});
