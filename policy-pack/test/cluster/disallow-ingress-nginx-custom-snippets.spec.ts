import { expect } from "chai";
import { disallowIngressNginxCustomSnippets as rule } from "../../catalog/cluster/disallow-ingress-nginx-custom-snippets";
import type { Manifest } from "../../catalog/types";

const context = { settings: {} };

const configMap = (data?: Record<string, string>): Manifest => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "ingress-nginx-controller", namespace: "ingress-nginx" },
    ...(data ? { data } : {}),
});

const ingress = (annotations: Record<string, string>): Manifest => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "argocd-server", namespace: "argocd", annotations },
    spec: { ingressClassName: "nginx", rules: [{ host: "argocd.gitops.example.com" }] },
});

describe("disallow-ingress-nginx-custom-snippets", () => {
    it("passes a ConfigMap that disables snippets, one without the key, and a plain Ingress", () => {
        expect(rule.check(configMap({ "allow-snippet-annotations": "false" }), context)).to.deep.equal([]);
        expect(rule.check(configMap({ "use-forwarded-headers": "true" }), context)).to.deep.equal([]);
        expect(rule.check(configMap(), context)).to.deep.equal([]);
        expect(rule.check(ingress({ "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" }), context)).to.deep.equal([]);
    });

    it("fails when the ConfigMap allows snippet annotations", () => {
        expect(rule.check(configMap({ "allow-snippet-annotations": "true" }), context)).to.deep.equal([
            { path: 'data["allow-snippet-annotations"]', message: 'data.allow-snippet-annotations is "true"; ingress-nginx allow-snippet-annotations must be set to "false".' },
        ]);
    });

    it("fails for every *-snippet annotation on an Ingress", () => {
        expect(
            rule.check(
                ingress({
                    "nginx.ingress.kubernetes.io/configuration-snippet": "more_set_headers 'X: y';",
                    "nginx.ingress.kubernetes.io/server-snippet": "location /x {}",
                }),
                context,
            ),
        ).to.deep.equal([
            {
                path: 'metadata.annotations["nginx.ingress.kubernetes.io/configuration-snippet"]',
                message: "annotation nginx.ingress.kubernetes.io/configuration-snippet is set; ingress-nginx custom snippets are not allowed.",
            },
            {
                path: 'metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]',
                message: "annotation nginx.ingress.kubernetes.io/server-snippet is set; ingress-nginx custom snippets are not allowed.",
            },
        ]);
    });

    it("renders upstream's two rules", () => {
        expect(rule.kyverno!(context).map((r) => [r.name, (r.validate as { pattern: unknown }).pattern])).to.deep.equal([
            ["check-config-map", { "=(data)": { "=(allow-snippet-annotations)": "false" } }],
            ["check-ingress-annotations", { metadata: { "=(annotations)": { "X(*-snippet)": "?*" } } }],
        ]);
    });
});
