import { certManagerLimitDuration } from "../../catalog/runtime/cert-manager-limit-duration";
import type { Manifest } from "../../catalog/core/types";
import { ruleCases } from "../cases";

export function certificate(duration?: unknown, issuer = "gitops-hub-internal"): Manifest {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "vault-tls", namespace: "vault" },
        spec: { secretName: "vault-tls", dnsNames: ["vault.vault.svc"], issuerRef: { kind: "ClusterIssuer", name: issuer }, ...(duration === undefined ? {} : { duration }) },
    };
}

export const cases = ruleCases(certManagerLimitDuration, { settings: { maxCertificateDurationHours: 2160 } }, (c) => {
    c.add("passes a certificate at the maximum", certificate("2160h"), []);
    c.add("passes a certificate just below the maximum, in mixed units", certificate("2159h59m59s"), []);
    c.add("passes a certificate without spec.duration (cert-manager's 90-day default)", certificate(), []);
    c.add("passes a Let's Encrypt certificate whatever its duration, as upstream", certificate("8760h", "letsencrypt-prod"), []);
    c.add("fails when the duration exceeds the maximum", certificate("2161h"), [
        { path: "spec.duration", message: 'spec.duration "2161h" is 2161h; certificate duration must be at most 2160h.' },
    ]);
    c.add("fails when a mixed-unit duration exceeds the maximum", certificate("2160h30m"), [
        { path: "spec.duration", message: 'spec.duration "2160h30m" is 2160.5h; certificate duration must be at most 2160h.' },
    ]);
    c.add("fails when the duration is not a duration", certificate("90d"), [
        { path: "spec.duration", message: 'spec.duration "90d" is not a duration such as "2160h".' },
    ]);
});
