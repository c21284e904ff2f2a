import { expect } from "chai";
import { exemptionFor } from "../evaluate";

const deployment = (namespace: string, name: string) => ({
    type: "kubernetes:apps/v1:Deployment", name: `chart:${namespace}/${name}`, props: { metadata: { name, namespace } },
});

describe("exemptions", () => {
    const reason = "a reason long enough to be one";

    it("match exact namespaces and names", () => {
        const exemptions = [{ namespaces: ["kyverno"], names: ["kyverno-reports-controller"], reason }];
        expect(exemptionFor(exemptions, deployment("kyverno", "kyverno-reports-controller"))).to.equal(reason);
        expect(exemptionFor(exemptions, deployment("kyverno", "kyverno-reports-controller-2"))).to.equal(undefined);
        expect(exemptionFor(exemptions, deployment("kyverno-2", "kyverno-reports-controller"))).to.equal(undefined);
    });

    it("take * for any run of characters and ? for one, over the whole name", () => {
        const exemptions = [{ namespaces: ["vcluster-*"], names: ["vc-config-?"], reason }];
        expect(exemptionFor(exemptions, deployment("vcluster-a", "vc-config-a"))).to.equal(reason);
        expect(exemptionFor(exemptions, deployment("vcluster-", "vc-config-b"))).to.equal(reason);
        expect(exemptionFor(exemptions, deployment("vcluster-a", "vc-config-ab"))).to.equal(undefined);
        expect(exemptionFor(exemptions, deployment("x-vcluster-a", "vc-config-a"))).to.equal(undefined);
    });

    it("treat braces, extglobs and dots as plain characters", () => {
        const exemptions = [{ names: ["{a,b}", "+(c)", ".hidden*"], reason }];
        expect(exemptionFor(exemptions, deployment("ns", "a"))).to.equal(undefined);
        expect(exemptionFor(exemptions, deployment("ns", "c"))).to.equal(undefined);
        expect(exemptionFor(exemptions, deployment("ns", "{a,b}"))).to.equal(reason);
        expect(exemptionFor(exemptions, deployment("ns", ".hidden-x"))).to.equal(reason);
    });

    it("need both the namespace and the name when both are given", () => {
        const exemptions = [{ namespaces: ["a"], names: ["x"], reason }];
        expect(exemptionFor(exemptions, deployment("a", "y"))).to.equal(undefined);
        expect(exemptionFor(exemptions, deployment("b", "x"))).to.equal(undefined);
    });
});
