import { expect } from "chai";
import { certManagerLimitDnsNames as rule } from "../../catalog/runtime/cert-manager-limit-dnsnames";
import { itChecksCases } from "../cases";
import { cases, certificate } from "./cert-manager-limit-dnsnames.cases";

const context = cases.context;

describe("cert-manager-limit-dnsnames", () => {
    itChecksCases(cases);

    it("allows 10 names when no maximum is configured", () => {
        const names = Array.from({ length: 11 }, (_, i) => `h${i}.example.com`);
        expect(rule.check(certificate(names.slice(0, 10)), { settings: {} })).to.deep.equal([]);
        expect(rule.check(certificate(names), { settings: {} })).to.deep.equal([
            { path: "spec.dnsNames", message: "spec.dnsNames has 11 entries; at most 10 dnsNames are allowed per certificate." },
        ]);
    });

    it("renders a deny on the length of dnsNames", () => {
        expect(rule.kyverno!(context)[0].validate).to.deep.equal({
            message: "At most 2 dnsNames entries are allowed per certificate.",
            deny: { conditions: { any: [{ key: "{{ length(request.object.spec.dnsNames || `[]`) }}", operator: "GreaterThan", value: 2 }] } },
        });
    });
});
