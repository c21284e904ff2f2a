import type { PulumiResource } from "../../catalog/core/types";

/** The resources a complete tenant brings to the hub, as the platform program registers them. */
export function tenant(name: string): PulumiResource[] {
    const ns = `vcluster-${name}`;
    return [
        {
            type: "kubernetes:core/v1:Namespace",
            name: `tenant-${name}-namespace`,
            urn: `urn:pulumi:prod::gitops-hub::kubernetes:core/v1:Namespace::tenant-${name}-namespace`,
            props: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "gitops-hub.io/tenant": name } } },
        },
        {
            type: "kubernetes:argoproj.io/v1alpha1:AppProject",
            name: `tenant-${name}-project`,
            props: {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name, namespace: "argocd" },
                spec: { sourceRepos: [`https://github.com/acme/${name}-apps.git`], destinations: [{ name: ns, namespace: "*" }, { server: `https://${name}.${ns}:443`, namespace: "apps" }] },
            },
        },
        {
            type: "kubernetes:helm.sh/v4:Chart",
            name: `tenant-${name}-vcluster`,
            props: { chart: "vcluster", version: "0.21.2", namespace: ns, repositoryOpts: { repo: "https://charts.loft.sh" }, values: {} },
        },
        {
            type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            name: `tenant-${name}-default-deny`,
            props: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: ns }, spec: { podSelector: {} } },
        },
        { type: "vault:index/policy:Policy", name: `tenant-${name}-vault-policy`, props: { name: `tenant-${name}`, policy: `path "tenants/${name}/data/*" { capabilities = ["read"] }` } },
    ];
}

/** `resources` without the one of that type (and optionally name). */
export function without(resources: PulumiResource[], type: string): PulumiResource[] {
    return resources.filter((r) => r.type !== type);
}
