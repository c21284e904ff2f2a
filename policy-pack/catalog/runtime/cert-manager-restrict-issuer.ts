import type { Manifest, RuleContext, RuleSettings, RuntimeRule, Violation } from "../core/types";
import { asString, dig, isRecord, show } from "../core/values";
import { stringList } from "../core/settings";

type Issuer = { kind: string; name: string; group: string };

/** cert-manager's defaults for an issuerRef without kind or group. */
const DEFAULT_ISSUER_KIND = "Issuer";
const DEFAULT_ISSUER_GROUP = "cert-manager.io";

function allowedIssuers(settings: RuleSettings): Issuer[] {
    return (Array.isArray(settings.allowedIssuers) ? settings.allowedIssuers : []).filter(isRecord).map((issuer) => ({
        kind: asString(issuer.kind) ?? DEFAULT_ISSUER_KIND,
        name: asString(issuer.name) ?? "",
        group: asString(issuer.group) ?? DEFAULT_ISSUER_GROUP,
    }));
}

function allowedDomains(settings: RuleSettings): string[] {
    return (Array.isArray(settings.allowedDomains) ? settings.allowedDomains : [])
        .filter((domain): domain is string => typeof domain === "string" && domain.replace(/^\.|^\*\./, "") !== "")
        .map((domain) => domain.replace(/^\*?\./, "").toLowerCase());
}

/** Whether a DNS name (possibly a wildcard `*.x`) lies in the domain (`example.com` covers itself and its subdomains). */
export function inDomain(name: string, domain: string): boolean {
    const host = name.toLowerCase().replace(/\.$/, "");
    return host === domain || host.endsWith(`.${domain}`);
}

function label(issuer: Issuer): string {
    return `${issuer.kind}/${issuer.name}/${issuer.group}`;
}

/**
 * Upstream: kyverno/policies cert-manager/restrict-issuer — a Certificate for the trusted domain
 * must reference the designated issuer (upstream hard-codes `*.corp.com` and one ClusterIssuer;
 * here `allowedDomains` and `allowedIssuers`). Upstream's conditional anchor only fires when
 * every dnsName is in the domain; this rule fires as soon as one is, which closes the bypass of
 * adding an unrelated name.
 */
export const certManagerRestrictIssuer: RuntimeRule = {
    id: "cert-manager-restrict-issuer",
    scope: "runtime",
    title: "Restrict issuer",
    description: "A cert-manager Certificate for one of the trusted domains must use one of the designated issuers.",
    severity: "medium",
    category: "Cert-Manager",
    framework: { bsi: ["APP.4.4.A12", "APP.4.4.A3"] },
    remediation: "Set spec.issuerRef to one of the allowedIssuers (kind, name and group) for certificates in the allowedDomains.",
    settings: {
        allowedIssuers: {
            type: "array",
            description: "cert-manager issuers certificates for the allowedDomains must use.",
            items: {
                type: "object",
                properties: { kind: { type: "string", enum: ["Issuer", "ClusterIssuer"] }, name: { type: "string", minLength: 1 }, group: { type: "string" } },
                required: ["kind", "name"],
                additionalProperties: false,
            },
        },
        allowedDomains: stringList("DNS domains (suffixes, e.g. \"example.com\") certificates are issued for."),
    },
    kinds: ["Certificate"],
    check(manifest: Manifest, context: RuleContext): Violation[] {
        const issuers = allowedIssuers(context.settings);
        const domains = allowedDomains(context.settings);
        if (issuers.length === 0 || domains.length === 0) {
            return [{
                path: "spec.issuerRef",
                message: `cert-manager-restrict-issuer needs the settings allowedIssuers and allowedDomains (got ${issuers.length} issuers, ${domains.length} domains); without them no certificate can be checked.`,
            }];
        }
        const names = dig(manifest, "spec", "dnsNames");
        const trusted = (Array.isArray(names) ? names : []).filter(
            (name): name is string => typeof name === "string" && domains.some((domain) => inDomain(name, domain)),
        );
        if (trusted.length === 0) {
            return [];
        }
        const ref = dig(manifest, "spec", "issuerRef");
        const used: Issuer = {
            kind: asString(dig(ref, "kind")) || DEFAULT_ISSUER_KIND,
            name: asString(dig(ref, "name")) ?? "",
            group: asString(dig(ref, "group")) || DEFAULT_ISSUER_GROUP,
        };
        if (issuers.some((issuer) => label(issuer) === label(used))) {
            return [];
        }
        return [{
            path: "spec.issuerRef",
            message: `spec.issuerRef is ${show(label(used))} for ${show(trusted[0])}; certificates for ${domains.join(", ")} must use one of ${issuers.map(label).join(", ")}.`,
        }];
    },
    kyverno: (context: RuleContext) => {
        const domains = allowedDomains(context.settings);
        const issuers = allowedIssuers(context.settings);
        if (issuers.length === 0 || domains.length === 0) {
            // A policy without domains would match nothing and look enforced: refuse to render it.
            throw new Error(
                `cert-manager-restrict-issuer cannot render its ClusterPolicy: settings.allowedIssuers has ${issuers.length} and settings.allowedDomains ${domains.length} entries; set both, e.g. allowedIssuers [{"kind":"ClusterIssuer","name":"gitops-hub-acme"}] and allowedDomains ["gitops.example.com"].`,
            );
        }
        const filter = domains.map((domain) => `ends_with(@, '.${domain}') || @ == '${domain}'`).join(" || ");
        return [
            {
                name: "restrict-issuer",
                match: { any: [{ resources: { kinds: ["cert-manager.io/v1/Certificate"] } }] },
                preconditions: {
                    all: [{ key: `{{ length(request.object.spec.dnsNames[?${filter}] || \`[]\`) }}`, operator: "GreaterThan", value: 0 }],
                },
                validate: {
                    message: `Certificates for ${domains.join(", ")} must use one of the issuers ${issuers.map(label).join(", ")}.`,
                    deny: {
                        conditions: {
                            any: [{
                                key: "{{ request.object.spec.issuerRef.kind || 'Issuer' }}/{{ request.object.spec.issuerRef.name }}/{{ request.object.spec.issuerRef.group || 'cert-manager.io' }}",
                                operator: "AnyNotIn",
                                value: issuers.map(label),
                            }],
                        },
                    },
                },
            },
        ];
    },
};
