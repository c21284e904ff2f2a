import { certManagerLimitDnsNames } from "../../catalog/runtime/cert-manager-limit-dnsnames";
import type { Manifest } from "../../catalog/core/types";
import { ruleCases } from "../cases";

export function certificate(dnsNames?: unknown): Manifest {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "web", namespace: "web" },
        spec: { secretName: "web-tls", issuerRef: { kind: "ClusterIssuer", name: "gitops-hub-acme" }, ...(dnsNames === undefined ? {} : { dnsNames }) },
    };
}

const names = (count: number) => Array.from({ length: count }, (_, i) => `h${i}.example.com`);

export const cases = ruleCases(certManagerLimitDnsNames, { settings: { maxDnsNames: 2 } }, (c) => {
    c.add("passes a certificate with the maximum of dnsNames", certificate(["a.gitops.example.com", "b.gitops.example.com"]), []);
    c.add("passes a certificate without dnsNames", certificate(), []);
    c.add("fails when there are more dnsNames than allowed", certificate(["a.example.com", "b.example.com", "c.example.com"]), [
        { path: "spec.dnsNames", message: "spec.dnsNames has 3 entries; at most 2 dnsNames are allowed per certificate." },
    ]);
    c.add("fails when there are more dnsNames than the default maximum of 10", certificate(names(11)), [
        { path: "spec.dnsNames", message: "spec.dnsNames has 11 entries; at most 2 dnsNames are allowed per certificate." },
    ]);
    c.add("fails when spec.dnsNames is not a list", certificate("a.example.com"), [
        { path: "spec.dnsNames", message: 'spec.dnsNames is "a.example.com"; it must be a list.' },
    ]);
});
