import { expect } from "chai";
import { certManagerRestrictIssuer as rule, inDomain } from "../../catalog/cluster/cert-manager-restrict-issuer";
import type { Manifest } from "../../catalog/types";

const context = {
    settings: {
        allowedIssuers: [{ kind: "ClusterIssuer", name: "gitops-hub-acme", group: "cert-manager.io" }],
        allowedDomains: ["gitops.example.com"],
    },
};

function certificate(dnsNames: string[], issuerRef: Record<string, string> = { kind: "ClusterIssuer", name: "gitops-hub-acme" }): Manifest {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "argocd-server", namespace: "argocd" },
        spec: { secretName: "argocd-server-tls", dnsNames, issuerRef },
    };
}

describe("cert-manager-restrict-issuer", () => {
    it("passes a certificate for the domain from the designated issuer (group defaulted)", () => {
        expect(rule.check(certificate(["argocd.gitops.example.com"]), context)).to.deep.equal([]);
    });

    it("passes a certificate outside the trusted domains from any issuer", () => {
        expect(rule.check(certificate(["vault.vault.svc"], { kind: "Issuer", name: "vault-ca" }), context)).to.deep.equal([]);
    });

    it("fails when a certificate for the domain uses another issuer", () => {
        expect(rule.check(certificate(["argocd.gitops.example.com"], { kind: "Issuer", name: "self-signed" }), context)).to.deep.equal([
            {
                path: "spec.issuerRef",
                message:
                    'spec.issuerRef is "Issuer/self-signed/cert-manager.io" for "argocd.gitops.example.com"; certificates for gitops.example.com must use one of ClusterIssuer/gitops-hub-acme/cert-manager.io.',
            },
        ]);
    });

    it("fails when only one of several names is in the domain (upstream requires all)", () => {
        expect(rule.check(certificate(["x.other.org", "*.gitops.example.com"], { kind: "ClusterIssuer", name: "other" }), context)).to.deep.equal([
            {
                path: "spec.issuerRef",
                message:
                    'spec.issuerRef is "ClusterIssuer/other/cert-manager.io" for "*.gitops.example.com"; certificates for gitops.example.com must use one of ClusterIssuer/gitops-hub-acme/cert-manager.io.',
            },
        ]);
    });

    it("fails when the issuer kind defaults to Issuer", () => {
        expect(rule.check(certificate(["gitops.example.com"], { name: "gitops-hub-acme" }), context)).to.deep.equal([
            {
                path: "spec.issuerRef",
                message:
                    'spec.issuerRef is "Issuer/gitops-hub-acme/cert-manager.io" for "gitops.example.com"; certificates for gitops.example.com must use one of ClusterIssuer/gitops-hub-acme/cert-manager.io.',
            },
        ]);
    });

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
