import { numberSetting } from "../core/settings";
import type { Manifest, RuleContext, RuntimeRule, SettingSchema, Violation } from "../core/types";
import { dig, show } from "../core/values";

const MAX_DNS_NAMES: SettingSchema = { type: "integer", minimum: 1, default: 10, description: "Most dnsNames one certificate may carry." };

function maxNames(context: RuleContext): number {
    return numberSetting(context, "maxDnsNames", MAX_DNS_NAMES);
}

/**
 * Upstream: kyverno/policies cert-manager/limit-dnsnames — deny a Certificate whose spec.dnsNames
 * has more entries than allowed (upstream: 1; here `maxDnsNames`).
 */
export const certManagerLimitDnsNames: RuntimeRule = {
    id: "cert-manager-limit-dnsnames",
    scope: "runtime",
    title: "Limit dnsNames",
    description: "A cert-manager Certificate may carry at most the configured number of dnsNames.",
    severity: "medium",
    category: "Cert-Manager",
    framework: { bsi: ["APP.4.4.A12"] },
    remediation: "Split the Certificate into several, each with at most maxDnsNames entries in spec.dnsNames.",
    settings: {
        maxDnsNames: MAX_DNS_NAMES,
    },
    kinds: ["Certificate"],
    check(manifest: Manifest, context: RuleContext): Violation[] {
        const names = dig(manifest, "spec", "dnsNames");
        if (names === undefined || names === null) {
            return [];
        }
        if (!Array.isArray(names)) {
            return [{ path: "spec.dnsNames", message: `spec.dnsNames is ${show(names)}; it must be a list.` }];
        }
        const max = maxNames(context);
        if (names.length > max) {
            return [{ path: "spec.dnsNames", message: `spec.dnsNames has ${names.length} entries; at most ${max} dnsNames are allowed per certificate.` }];
        }
        return [];
    },
    kyverno: (context: RuleContext) => [
        {
            name: "limit-dnsnames",
            match: { any: [{ resources: { kinds: ["cert-manager.io/v1/Certificate"] } }] },
            validate: {
                message: `At most ${maxNames(context)} dnsNames entries are allowed per certificate.`,
                deny: {
                    conditions: {
                        any: [{ key: "{{ length(request.object.spec.dnsNames || `[]`) }}", operator: "GreaterThan", value: maxNames(context) }],
                    },
                },
            },
        },
    ],
};
