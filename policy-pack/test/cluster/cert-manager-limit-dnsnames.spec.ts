import { expect } from "chai";
import { certManagerLimitDnsNames as rule } from "../../catalog/cluster/cert-manager-limit-dnsnames";
import type { Manifest } from "../../catalog/types";

const context = { settings: { maxDnsNames: 2 } };

function certificate(dnsNames?: unknown): Manifest {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "web", namespace: "web" },
        spec: { secretName: "web-tls", issuerRef: { kind: "ClusterIssuer", name: "gitops-hub-acme" }, ...(dnsNames === undefined ? {} : { dnsNames }) },
    };
}

describe("cert-manager-limit-dnsnames", () => {
    it("passes a certificate with up to the maximum of dnsNames", () => {
        expect(rule.check(certificate(["a.gitops.example.com", "b.gitops.example.com"]), context)).to.deep.equal([]);
        expect(rule.check(certificate(), context)).to.deep.equal([]);
    });

    it("fails when there are more dnsNames than allowed", () => {
        expect(rule.check(certificate(["a.example.com", "b.example.com", "c.example.com"]), context)).to.deep.equal([
            { path: "spec.dnsNames", message: "spec.dnsNames has 3 entries; at most 2 dnsNames are allowed per certificate." },
        ]);
    });

    it("fails when spec.dnsNames is not a list", () => {
        expect(rule.check(certificate("a.example.com"), context)).to.deep.equal([
            { path: "spec.dnsNames", message: 'spec.dnsNames is "a.example.com"; it must be a list.' },
        ]);
    });

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
