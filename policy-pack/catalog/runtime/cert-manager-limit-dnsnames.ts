import type { Manifest, RuntimeRule, RuleContext, Violation } from "../core/types";
import { dig, show } from "../core/values";

/** Used when the policy config sets no maxDnsNames. */
const DEFAULT_MAX_DNS_NAMES = 10;

function maxNames(context: RuleContext): number {
    const configured = context.settings.maxDnsNames;
    return typeof configured === "number" && Number.isInteger(configured) ? configured : DEFAULT_MAX_DNS_NAMES;
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
        maxDnsNames: { type: "integer", minimum: 1, default: DEFAULT_MAX_DNS_NAMES, description: "Most dnsNames one certificate may carry." },
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
