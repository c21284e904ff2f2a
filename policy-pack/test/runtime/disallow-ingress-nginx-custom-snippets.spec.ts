import { expect } from "chai";
import { disallowIngressNginxCustomSnippets as rule } from "../../catalog/runtime/disallow-ingress-nginx-custom-snippets";
import { itChecksCases } from "../cases";
import { cases } from "./disallow-ingress-nginx-custom-snippets.cases";

const context = cases.context;

describe("disallow-ingress-nginx-custom-snippets", () => {
    itChecksCases(cases);

    it("renders upstream's two rules", () => {
        expect(rule.kyverno!(context).map((r) => [r.name, (r.validate as { pattern: unknown }).pattern])).to.deep.equal([
            ["check-config-map", { "=(data)": { "=(allow-snippet-annotations)": "false" } }],
            ["check-ingress-annotations", { metadata: { "=(annotations)": { "X(*-snippet)": "?*" } } }],
        ]);
    });
});
