import { numberSetting } from "../core/settings";
import type { Manifest, RuleContext, RuntimeRule, SettingSchema, Violation } from "../core/types";
import { asString, dig, show } from "../core/values";
import { GO_DURATION_PATTERN, parseGoDurationHours } from "./duration";

/** The default is cert-manager's own certificate duration (90 days). */
const MAX_HOURS: SettingSchema = { type: "integer", minimum: 1, default: 2160, description: "Longest certificate duration allowed, in hours." };

function maxHours(context: RuleContext): number {
    return numberSetting(context, "maxCertificateDurationHours", MAX_HOURS);
}

/**
 * Upstream: kyverno/policies cert-manager/limit-duration — a Certificate whose issuer is not a
 * Let's Encrypt issuer (issuerRef.name containing "letsencrypt", whose lifetime the ACME server
 * fixes) and that sets spec.duration may not ask for more than the maximum (upstream: 2400h
 * hard-coded; here `maxCertificateDurationHours`).
 */
export const certManagerLimitDuration: RuntimeRule = {
    id: "cert-manager-limit-duration",
    scope: "runtime",
    title: "Certificate maximum duration",
    description: "A cert-manager Certificate may not request a duration longer than the configured maximum.",
    severity: "medium",
    category: "Cert-Manager",
    framework: { bsi: ["APP.4.4.A12", "SYS.1.6.A8"] },
    remediation: "Lower spec.duration to at most maxCertificateDurationHours (e.g. `2160h`) and let cert-manager renew the certificate.",
    settings: {
        maxCertificateDurationHours: MAX_HOURS,
    },
    kinds: ["Certificate"],
    check(manifest: Manifest, context: RuleContext): Violation[] {
        const issuerName = asString(dig(manifest, "spec", "issuerRef", "name")) ?? "";
        const duration = dig(manifest, "spec", "duration");
        if (issuerName.includes("letsencrypt") || duration === undefined || duration === null || duration === "") {
            return [];
        }
        const max = maxHours(context);
        const hours = typeof duration === "string" ? parseGoDurationHours(duration) : undefined;
        if (hours === undefined) {
            return [{ path: "spec.duration", message: `spec.duration ${show(duration)} is not a duration such as "2160h".` }];
        }
        if (hours > max) {
            return [{ path: "spec.duration", message: `spec.duration ${show(duration)} is ${hours}h; certificate duration must be at most ${max}h.` }];
        }
        return [];
    },
    kyverno: (context: RuleContext) => [
        {
            name: "certificate-duration-max",
            match: { any: [{ resources: { kinds: ["cert-manager.io/v1/Certificate"] } }] },
            preconditions: {
                all: [
                    { key: "{{ contains(request.object.spec.issuerRef.name || '', 'letsencrypt') }}", operator: "Equals", value: false },
                    { key: "{{ request.object.spec.duration || '' }}", operator: "NotEquals", value: "" },
                ],
            },
            validate: {
                message: `certificate duration must be at most ${maxHours(context)}h`,
                deny: {
                    conditions: {
                        any: [
                            // Kyverno compares two duration strings as durations.
                            { key: "{{ request.object.spec.duration }}", operator: "GreaterThan", value: `${maxHours(context)}h` },
                            // A value that is no Go duration compares as not greater: deny it as CrossGuard does.
                            { key: `{{ regex_match('${GO_DURATION_PATTERN}', request.object.spec.duration) }}`, operator: "Equals", value: false },
                        ],
                    },
                },
            },
        },
    ],
};
