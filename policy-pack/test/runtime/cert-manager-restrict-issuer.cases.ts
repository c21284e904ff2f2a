import { certManagerRestrictIssuer } from "../../catalog/runtime/cert-manager-restrict-issuer";
import type { Manifest } from "../../catalog/core/types";
import { ruleCases } from "../cases";

export const context = {
    settings: {
        allowedIssuers: [{ kind: "ClusterIssuer", name: "gitops-hub-acme", group: "cert-manager.io" }],
        allowedDomains: ["gitops.example.com"],
    },
};

export function certificate(dnsNames: string[], issuerRef: Record<string, string> = { kind: "ClusterIssuer", name: "gitops-hub-acme" }): Manifest {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "argocd-server", namespace: "argocd" },
        spec: { secretName: "argocd-server-tls", dnsNames, issuerRef },
    };
}

const wrongIssuer = (issuer: string, name: string) =>
    `spec.issuerRef is "${issuer}" for "${name}"; certificates for gitops.example.com must use one of ClusterIssuer/gitops-hub-acme/cert-manager.io.`;

export const cases = ruleCases(certManagerRestrictIssuer, context, (c) => {
    c.add("passes a certificate for the domain from the designated issuer (group defaulted)", certificate(["argocd.gitops.example.com"]), []);
    c.add("passes a certificate outside the trusted domains from any issuer", certificate(["vault.vault.svc"], { kind: "Issuer", name: "vault-ca" }), []);
    c.add("fails when a certificate for the domain uses another issuer", certificate(["argocd.gitops.example.com"], { kind: "Issuer", name: "self-signed" }), [
        { path: "spec.issuerRef", message: wrongIssuer("Issuer/self-signed/cert-manager.io", "argocd.gitops.example.com") },
    ]);
    c.add("fails when a certificate for a subdomain of the domain uses another issuer", certificate(["argocd.dev.gitops.example.com"], { kind: "ClusterIssuer", name: "self-signed" }), [
        { path: "spec.issuerRef", message: wrongIssuer("ClusterIssuer/self-signed/cert-manager.io", "argocd.dev.gitops.example.com") },
    ]);
    c.add("fails when only one of several names is in the domain (upstream requires all)", certificate(["x.other.org", "*.gitops.example.com"], { kind: "ClusterIssuer", name: "other" }), [
        { path: "spec.issuerRef", message: wrongIssuer("ClusterIssuer/other/cert-manager.io", "*.gitops.example.com") },
    ]);
    c.add("fails when the issuer kind defaults to Issuer", certificate(["gitops.example.com"], { name: "gitops-hub-acme" }), [
        { path: "spec.issuerRef", message: wrongIssuer("Issuer/gitops-hub-acme/cert-manager.io", "gitops.example.com") },
    ]);
    c.add("passes a name that only ends like the domain, from any issuer", certificate(["evilgitops.example.com"], { kind: "Issuer", name: "self-signed" }), []);
});
