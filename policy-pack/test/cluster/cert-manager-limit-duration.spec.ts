import { expect } from "chai";
import { certManagerLimitDuration as rule } from "../../catalog/cluster/cert-manager-limit-duration";
import { parseGoDurationHours } from "../../catalog/cluster/duration";
import type { Manifest } from "../../catalog/types";

const context = { settings: { maxCertificateDurationHours: 2160 } };

function certificate(duration?: unknown, issuer = "gitops-hub-internal"): Manifest {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "vault-tls", namespace: "vault" },
        spec: { secretName: "vault-tls", dnsNames: ["vault.vault.svc"], issuerRef: { kind: "ClusterIssuer", name: issuer }, ...(duration === undefined ? {} : { duration }) },
    };
}

describe("cert-manager-limit-duration", () => {
    it("passes a certificate at the maximum", () => {
        expect(rule.check(certificate("2160h"), context)).to.deep.equal([]);
        expect(rule.check(certificate("2159h59m59s"), context)).to.deep.equal([]);
    });

    it("passes a certificate without spec.duration (cert-manager's 90-day default)", () => {
        expect(rule.check(certificate(), context)).to.deep.equal([]);
    });

    it("passes a Let's Encrypt certificate whatever its duration, as upstream", () => {
        expect(rule.check(certificate("8760h", "letsencrypt-prod"), context)).to.deep.equal([]);
    });

    it("fails when the duration exceeds the maximum", () => {
        expect(rule.check(certificate("2161h"), context)).to.deep.equal([
            { path: "spec.duration", message: 'spec.duration "2161h" is 2161h; certificate duration must be at most 2160h.' },
        ]);
    });

    it("fails when a mixed-unit duration exceeds the maximum", () => {
        expect(rule.check(certificate("2160h30m"), context)).to.deep.equal([
            { path: "spec.duration", message: 'spec.duration "2160h30m" is 2160.5h; certificate duration must be at most 2160h.' },
        ]);
    });

    it("fails when the duration is not a duration", () => {
        expect(rule.check(certificate("90d"), context)).to.deep.equal([
            { path: "spec.duration", message: 'spec.duration "90d" is not a duration such as "2160h".' },
        ]);
    });

    it("uses 2160h when no maximum is configured", () => {
        expect(rule.check(certificate("2200h"), { settings: {} })).to.deep.equal([
            { path: "spec.duration", message: 'spec.duration "2200h" is 2200h; certificate duration must be at most 2160h.' },
        ]);
    });

    it("parses Go durations", () => {
        expect(parseGoDurationHours("1h30m")).to.equal(1.5);
        expect(parseGoDurationHours("90m")).to.equal(1.5);
        expect(parseGoDurationHours("0")).to.equal(0);
        expect(parseGoDurationHours("")).to.equal(undefined);
        expect(parseGoDurationHours("h")).to.equal(undefined);
    });

    it("renders a deny comparing durations with the configured maximum", () => {
        const [rendered] = rule.kyverno!({ settings: { maxCertificateDurationHours: 720 } });
        expect(rendered.validate).to.deep.equal({
            message: "certificate duration must be at most 720h",
            deny: { conditions: { any: [{ key: "{{ request.object.spec.duration }}", operator: "GreaterThan", value: "720h" }] } },
        });
        expect(rendered.preconditions).to.deep.equal({
            all: [
                { key: "{{ contains(request.object.spec.issuerRef.name || '', 'letsencrypt') }}", operator: "Equals", value: false },
                { key: "{{ request.object.spec.duration || '' }}", operator: "NotEquals", value: "" },
            ],
        });
    });
});
