// One catalog, two enforcement points: every runtime rule is both a CrossGuard policy and a
// Kyverno ClusterPolicy the program deploys, with the same name, in both environments.
import { expect } from "chai";
import { runtimeRules } from "../policy-pack/catalog";
import { policies } from "../policy-pack/policies";
import { ofType, parentOf, runStack } from "./helpers";

describe("catalog parity: CrossGuard and Kyverno", function () {
    this.timeout(120_000);

    for (const stack of ["dev", "prod"] as const) {
        it(`deploys exactly one ClusterPolicy per runtime rule in ${stack}, named after it, with the environment's action`, async () => {
            const result = await runStack(stack);
            // The catalog's policies, under the Kyverno component (the tenant placement guard is the platform's own).
            const deployed = ofType(result, "kubernetes:kyverno.io/v1:ClusterPolicy").filter((r) => parentOf(result, r) === "gitops-hub:hub:Kyverno kyverno");
            const names = deployed.map((r) => (r.inputs.metadata as { name: string }).name).sort();
            expect(names).to.deep.equal(runtimeRules.map((r) => r.id).sort());
            const actions = new Set(deployed.flatMap((r) => ((r.inputs.spec as { rules: { validate: { failureAction: string } }[] }).rules).map((rule) => rule.validate.failureAction)));
            expect([...actions]).to.deep.equal([stack === "dev" ? "Audit" : "Enforce"]);
            for (const policy of deployed) {
                const spec = policy.inputs.spec as { background: boolean; rules: { match: unknown; validate: { message: string } }[] };
                expect(spec.background, policy.name).to.equal(true);
                for (const rule of spec.rules) {
                    expect(rule.match, policy.name).to.not.equal(undefined);
                    expect(rule.validate.message, policy.name).to.be.a("string").and.not.equal("");
                }
            }
        });
    }

    it("has a CrossGuard resource policy of the same name for every runtime rule", () => {
        const resourcePolicies = new Set(policies.filter((p) => "validateResource" in p).map((p) => p.name));
        expect(runtimeRules.filter((r) => !resourcePolicies.has(r.id)).map((r) => r.id)).to.deep.equal([]);
        expect(runtimeRules.filter((r) => r.kyverno === undefined).map((r) => r.id)).to.deep.equal([]);
    });
});
