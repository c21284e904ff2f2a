import type { Manifest, RuntimeRule, Violation } from "../core/types";
import { dig, isRecord, key, show } from "../core/values";

const SNIPPET_SWITCH = "allow-snippet-annotations";

/**
 * Upstream: kyverno/policies nginx-ingress/disallow-ingress-nginx-custom-snippets — a ConfigMap
 * that sets `allow-snippet-annotations` must set it to "false", and an Ingress may carry no
 * `*-snippet` annotation (CVE-2021-25742: snippets can read every secret the controller can).
 */
export const disallowIngressNginxCustomSnippets: RuntimeRule = {
    id: "disallow-ingress-nginx-custom-snippets",
    scope: "runtime",
    title: "Disallow Custom Snippets",
    description: "ingress-nginx custom snippets are disabled in its ConfigMap and not used by any Ingress.",
    severity: "high",
    category: "Security, NGINX Ingress",
    framework: { bsi: ["APP.4.4.A7", "APP.4.4.A12"] },
    remediation: `Set data.${SNIPPET_SWITCH}: "false" in the ingress-nginx ConfigMap and remove every *-snippet annotation from Ingresses; use dedicated annotations or a custom template instead.`,
    kinds: ["ConfigMap", "Ingress"],
    check(manifest: Manifest): Violation[] {
        if (manifest.kind === "ConfigMap") {
            const data = dig(manifest, "data");
            if (isRecord(data) && SNIPPET_SWITCH in data && data[SNIPPET_SWITCH] !== "false") {
                return [{
                    path: `data${key(SNIPPET_SWITCH)}`,
                    message: `data.${SNIPPET_SWITCH} is ${show(data[SNIPPET_SWITCH])}; ingress-nginx allow-snippet-annotations must be set to "false".`,
                }];
            }
            return [];
        }
        if (manifest.kind === "Ingress") {
            const annotations = dig(manifest, "metadata", "annotations");
            return Object.keys(isRecord(annotations) ? annotations : {})
                .filter((name) => name.endsWith("-snippet"))
                .map((name) => ({
                    path: `metadata.annotations${key(name)}`,
                    message: `annotation ${name} is set; ingress-nginx custom snippets are not allowed.`,
                }));
        }
        return [];
    },
    kyverno: () => [
        {
            name: "check-config-map",
            match: { any: [{ resources: { kinds: ["ConfigMap"] } }] },
            validate: {
                message: "ingress-nginx allow-snippet-annotations must be set to false",
                pattern: { "=(data)": { [`=(${SNIPPET_SWITCH})`]: "false" } },
            },
        },
        {
            name: "check-ingress-annotations",
            match: { any: [{ resources: { kinds: ["networking.k8s.io/v1/Ingress"] } }] },
            validate: {
                message: "ingress-nginx custom snippets are not allowed",
                pattern: { metadata: { "=(annotations)": { "X(*-snippet)": "?*" } } },
            },
        },
    ],
};
