import { expect } from "chai";
import { certManagerRestrictIssuer as rule, inDomain } from "../../catalog/runtime/cert-manager-restrict-issuer";
import { itChecksCases } from "../cases";
import { cases, certificate, context } from "./cert-manager-restrict-issuer.cases";

describe("cert-manager-restrict-issuer", () => {
    itChecksCases(cases);

    it("fails closed when no issuers or domains are configured", () => {
        expect(rule.check(certificate(["argocd.gitops.example.com"]), { settings: {} })).to.deep.equal([
            {
                path: "spec.issuerRef",
                message: "cert-manager-restrict-issuer needs the settings allowedIssuers and allowedDomains (got 0 issuers, 0 domains); without them no certificate can be checked.",
            },
        ]);
    });

    it("matches domains on label boundaries", () => {
        expect(inDomain("a.gitops.example.com", "gitops.example.com")).to.equal(true);
        expect(inDomain("evilgitops.example.com", "gitops.example.com")).to.equal(false);
    });

    it("renders the configured domains and issuers", () => {
        const [rendered] = rule.kyverno!(context);
        expect(rendered.preconditions).to.deep.equal({
            all: [
                {
                    key: "{{ length(request.object.spec.dnsNames[?ends_with(@, '.gitops.example.com') || @ == 'gitops.example.com'] || `[]`) }}",
                    operator: "GreaterThan",
                    value: 0,
                },
            ],
        });
        expect((rendered.validate as { deny: unknown }).deny).to.deep.equal({
            conditions: {
                any: [
                    {
                        key: "{{ request.object.spec.issuerRef.kind || 'Issuer' }}/{{ request.object.spec.issuerRef.name }}/{{ request.object.spec.issuerRef.group || 'cert-manager.io' }}",
                        operator: "AnyNotIn",
                        value: ["ClusterIssuer/gitops-hub-acme/cert-manager.io"],
                    },
                ],
            },
        });
    });

    it("refuses to render a ClusterPolicy without issuers or domains", () => {
        expect(() => rule.kyverno!({ settings: { allowedDomains: ["gitops.example.com"] } })).to.throw(
            'cert-manager-restrict-issuer cannot render its ClusterPolicy: settings.allowedIssuers has 0 and settings.allowedDomains 1 entries; set both, e.g. allowedIssuers [{"kind":"ClusterIssuer","name":"gitops-hub-acme"}] and allowedDomains ["gitops.example.com"].',
        );
    });
});
