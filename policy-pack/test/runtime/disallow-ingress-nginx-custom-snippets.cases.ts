import { disallowIngressNginxCustomSnippets } from "../../catalog/runtime/disallow-ingress-nginx-custom-snippets";
import type { Manifest } from "../../catalog/core/types";
import { ruleCases } from "../cases";

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

export const cases = ruleCases(disallowIngressNginxCustomSnippets, { settings: {} }, (c) => {
    c.add("passes a ConfigMap that disables snippets", configMap({ "allow-snippet-annotations": "false" }), []);
    c.add("passes a ConfigMap without the key", configMap({ "use-forwarded-headers": "true" }), []);
    c.add("passes a ConfigMap without data", configMap(), []);
    c.add("passes a plain Ingress", ingress({ "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" }), []);
    c.add("fails when the ConfigMap allows snippet annotations", configMap({ "allow-snippet-annotations": "true" }), [
        { path: 'data["allow-snippet-annotations"]', message: 'data.allow-snippet-annotations is "true"; ingress-nginx allow-snippet-annotations must be set to "false".' },
    ]);
    c.add("fails for every *-snippet annotation on an Ingress", ingress({
        "nginx.ingress.kubernetes.io/configuration-snippet": "more_set_headers 'X: y';",
        "nginx.ingress.kubernetes.io/server-snippet": "location /x {}",
    }), [
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
