import { expect } from "chai";
import { certManagerLimitDuration as rule } from "../../catalog/runtime/cert-manager-limit-duration";
import { GO_DURATION_PATTERN, parseGoDurationHours } from "../../catalog/runtime/duration";
import { itChecksCases } from "../cases";
import { cases, certificate } from "./cert-manager-limit-duration.cases";

describe("cert-manager-limit-duration", () => {
    itChecksCases(cases);

    it("uses 2160h when no maximum is configured", () => {
        expect(rule.check(certificate("2200h"), { settings: {} })).to.deep.equal([
            { path: "spec.duration", message: 'spec.duration "2200h" is 2200h; certificate duration must be at most 2160h.' },
        ]);
    });

    it("matches with GO_DURATION_PATTERN exactly the strings it parses as Go durations", () => {
        const samples = ["2160h", "1h30m", "90m0s", "0", ".5h", "1.5h", "300ms", "2us", "2µs", "90d", "", "h", "1h 30m", "-1h", "0h", "1e3h", "00"];
        const pattern = new RegExp(GO_DURATION_PATTERN);
        expect(samples.filter((s) => pattern.test(s))).to.deep.equal(samples.filter((s) => parseGoDurationHours(s) !== undefined));
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
            deny: {
                conditions: {
                    any: [
                        { key: "{{ request.object.spec.duration }}", operator: "GreaterThan", value: "720h" },
                        { key: "{{ regex_match('^(0|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+)$', request.object.spec.duration) }}", operator: "Equals", value: false },
                    ],
                },
            },
        });
        expect(rendered.preconditions).to.deep.equal({
            all: [
                { key: "{{ contains(request.object.spec.issuerRef.name || '', 'letsencrypt') }}", operator: "Equals", value: false },
                { key: "{{ request.object.spec.duration || '' }}", operator: "NotEquals", value: "" },
            ],
        });
    });
});
